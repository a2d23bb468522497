"""Numeric questions (codebook ``type: numeric``): checked at ingest, stored as numbers, banded for
tables and comparisons, excluded by ``less_than`` / ``greater_than``; and item non-response
limited to the questions a rule names, never counting ``optional`` ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from likertflow.bands import apply_bands
from likertflow.cleaning import apply_exclusions
from likertflow.codebook import parse_questionnaire
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE
from likertflow.errors import InputError
from likertflow.grouping import comparison_data
from likertflow.ingest import ingest_export
from likertflow.ordinal import ordinal_models
from likertflow.tables import frequency_table

AGE = "How old are you? (years)"
SEX = "Sex"
TEXT = "Anything else?"
BANDS = {"age": [{"label": "18–34", "from": 18}, {"label": "35–64", "from": 35},
                 {"label": "65 and over", "from": 65}]}  # fmt: skip


def questionnaire(age_bounds: dict | None = None):
    bounds = {"min": 0, "max": 120} if age_bounds is None else age_bounds
    return parse_questionnaire(
        {
            "survey": "toy",
            "answer_sets": {
                "sex": {"options": [{"label": "Female", "code": 1}, {"label": "Male", "code": 2}]},
                "yes_no": {"options": [{"label": "Yes", "code": 1}, {"label": "No", "code": 2}]},
            },
            "export": {
                "response_id": "ID",
                "started": "S",
                "completed": "C",
                "timestamp_format": "%Y-%m-%d",
            },  # fmt: skip
            "questions": [
                {"id": "age", "text": AGE, "type": "numeric", **bounds},
                {"id": "sex", "text": SEX, "answers": "sex", "optional": True},
                {"id": "more", "text": TEXT, "answers": "yes_no"},
            ],
        }
    )


def write(tmp_path, ages, sexes=None, more=None) -> str:
    n = len(ages)
    frame = pd.DataFrame(
        {
            "ID": [f"R{i}" for i in range(n)],
            "S": ["2020-05-07"] * n,
            "C": ["2020-05-07"] * n,
            AGE: ages,
            SEX: sexes or ["Female"] * n,
            TEXT: more or ["Yes"] * n,
        }
    )
    path = tmp_path / "week1.csv"
    frame.to_csv(path, index=False)
    return str(path)


def test_numbers_are_stored_as_numbers(tmp_path):
    coded = ingest_export(write(tmp_path, ["17", "18.5", "", "120", "0"]), questionnaire(), "w")
    assert coded["age"].dtype == NUMBER_DTYPE
    assert coded["age"].tolist()[:2] == [17.0, 18.5] and pd.isna(coded["age"][2])
    assert coded["age"].tolist()[3:] == [120.0, 0.0]


def test_bad_numbers_name_file_row_column_value_and_bounds(tmp_path):
    path = write(tmp_path, ["30", "121", "forty", "-1"])
    with pytest.raises(InputError) as caught:
        ingest_export(path, questionnaire(), "w")
    found = [(p.file, p.row, p.column, p.value, p.expected) for p in caught.value.problems]
    # Rows as a person sees them in the file (issue8): the header is line 1, "121" is on line 3.
    assert found == [
        (path, 3, AGE, "121", "a number from 0 to 120"),
        (path, 4, AGE, "forty", "a number from 0 to 120"),
        (path, 5, AGE, "-1", "a number from 0 to 120"),
    ]


def cohort(ages, sexes, more) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": pd.array(ages, dtype=NUMBER_DTYPE),
            "sex": pd.array(sexes, dtype=CODE_DTYPE),
            "more": pd.array(more, dtype=CODE_DTYPE),
        }
    )


def test_less_than_and_greater_than_exclude_on_the_number():
    data = cohort([17, 18, 90.5, None, 40], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1])
    rules = [
        {"id": "under_18", "rule": "less_than", "question": "age", "value": 18},
        {"id": "over_90", "rule": "greater_than", "question": "age", "value": 90},
    ]
    reason, detail = apply_exclusions(data, questionnaire(), rules)
    assert reason.tolist() == ["under_18", "", "over_90", "", ""]  # 18 itself is kept
    assert detail[0] == "age 17 is below 18" and detail[2] == "age 90.5 is above 90"


def test_item_nonresponse_ignores_optional_questions_and_those_not_named():
    na = pd.NA
    data = cohort([30, 40, na, 50], [na, 1, 1, 1], [1, na, 1, 1])
    every = [{"id": "blank", "rule": "item_nonresponse"}]
    reason, detail = apply_exclusions(data, questionnaire(), every)
    # row 0 left only the optional sex blank: kept
    assert reason.tolist() == ["", "blank", "blank", ""]
    assert detail[1] == "unanswered: more" and detail[2] == "unanswered: age"
    named = [{"id": "blank", "rule": "item_nonresponse", "questions": ["age"]}]
    assert apply_exclusions(data, questionnaire(), named)[0].tolist() == ["", "", "blank", ""]


def test_bands_turn_a_number_into_ordered_groups():
    data = cohort([18, 34.9, 35, 64, 65, 101, None, 12], [1] * 8, [1] * 8)
    banded, q = apply_bands(data, questionnaire(), BANDS)
    assert banded["age"].tolist()[:6] == [1, 1, 2, 2, 3, 3]
    assert banded["age"][6:].isna().all()  # blank, and below the first band
    assert q.question("age").answers.labels == ["18–34", "35–64", "65 and over"]
    table = frequency_table(banded, q, ["age"])
    assert table["response"].tolist() == ["18–34", "35–64", "65 and over", "(no answer)"]
    assert table["n"].tolist() == [2, 2, 2, 2]
    assert data["age"].tolist()[0] == 18  # the input frame is not changed


def test_banded_question_forms_comparison_groups():
    data = cohort([20, 40, 70, 30], [1] * 4, [1, 2, 1, 2])
    frame, q = apply_bands(data, questionnaire(), BANDS)
    spec = {"survey": "toy", "by": "age", "outcomes": [], "omit": ["65 and over"]}
    groups, labels = comparison_data({"toy": frame}, {"toy": q}, spec)
    assert labels == ["18–34", "35–64"]
    np.testing.assert_array_equal(groups["group"].to_numpy(), [0, 1, 0])


@pytest.mark.parametrize(
    ("bounds", "expected", "good", "bad"),
    [
        ({"min": 0}, "a number of at least 0", ["0", "1e6"], ["-0.5", "forty"]),
        ({"max": 120}, "a number of at most 120", ["120", "-1e6"], ["120.5", "forty"]),
        ({}, "a number", ["-1e6", "1e6"], ["forty", "12 years"]),
    ],
)
def test_numbers_with_one_bound_or_none(tmp_path, bounds, expected, good, bad):
    """The expected text names only the bounds the codebook gives; a bound itself is valid."""
    coded = ingest_export(write(tmp_path, good), questionnaire(bounds), "w")
    assert coded["age"].tolist() == [float(x) for x in good]
    path = write(tmp_path, ["30", *bad])
    with pytest.raises(InputError) as caught:
        ingest_export(path, questionnaire(bounds), "w")
    found = [(p.row, p.value, p.expected) for p in caught.value.problems]
    assert found == [(3, bad[0], expected), (4, bad[1], expected)]


def test_number_asked_in_two_wordings_and_the_questions_after_it(tmp_path):
    """Each respondent answered one wording; the number comes from whichever it was."""
    young, old = "Age (under 65)", "Age (65 and over)"
    q = parse_questionnaire(
        {
            "survey": "toy",
            "answer_sets": {
                "yes_no": {"options": [{"label": "Yes", "code": 1}, {"label": "No", "code": 2}]}
            },
            "export": {"response_id": "ID"},
            "questions": [
                {"id": "over_65", "text": "65 or over?", "answers": "yes_no"},
                {
                    "id": "age",
                    "text": "Age",
                    "type": "numeric",
                    "columns": [
                        {"column": young, "asked_if": {"over_65": ["No"]}},
                        {"column": old, "asked_if": {"over_65": ["Yes"]}},
                    ],
                },
                {"id": "more", "text": TEXT, "answers": "yes_no"},
            ],
        }
    )
    path = tmp_path / "w.csv"
    pd.DataFrame(
        {
            "ID": ["a", "b", "c"],
            "65 or over?": ["No", "Yes", "Yes"],
            young: ["40", None, None],
            old: [None, "70", None],
            TEXT: ["Yes", "No", "Yes"],
        }
    ).to_csv(path, index=False)
    coded = ingest_export(path, q, "w")
    assert coded["age"].tolist()[:2] == [40.0, 70.0] and pd.isna(coded["age"][2])
    assert coded["more"].tolist() == [1, 2, 1]


def rated(n: int, seed: int) -> tuple[pd.DataFrame, object]:
    """``n`` respondents: sex, age in years and a 5-point rating that rises with age and sex."""
    rng = np.random.default_rng(seed)
    sex, age = rng.integers(1, 3, n), rng.integers(18, 80, n).astype(float)
    latent = 0.5 * (sex == 2) + 0.03 * (age - 50) + rng.logistic(size=n)
    rating = np.searchsorted([-1.5, -0.5, 0.5, 1.5], latent) + 1
    codebook = {
        "survey": "toy",
        "answer_sets": {
            "sex": {"options": [{"label": "Female", "code": 1}, {"label": "Male", "code": 2}]},
            "scale": {"ordinal": True,
                      "options": [{"label": str(k), "code": k} for k in range(1, 6)]},
        },  # fmt: skip
        "export": {"response_id": "ID"},
        "questions": [
            {"id": "age", "text": AGE, "type": "numeric", "min": 0, "max": 120},
            {"id": "sex", "text": SEX, "answers": "sex"},
            {"id": "rating", "text": "How good?", "answers": "scale"},
        ],
    }
    frame = pd.DataFrame({"age": pd.array(age, dtype=NUMBER_DTYPE),
                          "sex": pd.array(sex, dtype=CODE_DTYPE),
                          "rating": pd.array(rating, dtype=CODE_DTYPE)})  # fmt: skip
    return frame, parse_questionnaire(codebook)


SPEC = {"survey": "toy", "by": "sex", "outcomes": ["rating"], "adjust_for": ["age"]}


def test_a_number_without_bands_adjusts_as_a_linear_term():
    """Age in years as a covariate (it used to stop the job with an AttributeError): one term,
    its odds ratio per year, the same as statsmodels' OrderedModel on every respondent."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    frame, q = rated(1500, seed=2)
    table = ordinal_models("by_sex", SPEC, {"toy": frame}, {"toy": q}, {})
    assert table["term"].tolist() == ["group: Male vs Female", "age: per unit"]
    assert "age as linear terms, odds ratio per unit" in table["method"].iloc[0]
    x = pd.DataFrame({"male": (frame["sex"] == 2).astype(float), "age": frame["age"].astype(float)})
    reference = OrderedModel(frame["rating"].astype(int).to_numpy(), x, distr="logit").fit(
        method="newton", disp=False, maxiter=200
    )
    np.testing.assert_allclose(table["estimate"], reference.params[["male", "age"]], atol=1e-5)
    np.testing.assert_allclose(table["std_error"], reference.bse[["male", "age"]], rtol=1e-3)
    assert table["odds_ratio"].iloc[1] == pytest.approx(np.exp(0.03), abs=0.01)  # as simulated


def test_banded_number_adjusts_as_groups():
    frame, q = rated(600, seed=3)
    frame, q = apply_bands(frame, q, BANDS)  # as the workflow does with config bands
    table = ordinal_models("by_sex", SPEC, {"toy": frame}, {"toy": q}, {})
    assert table["term"].tolist() == [
        "group: Male vs Female", "age: 35–64 vs 18–34", "age: 65 and over vs 18–34"
    ]
    assert "linear" not in table["method"].iloc[0]
