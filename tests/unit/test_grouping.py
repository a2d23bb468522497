"""Comparison data from scores and questionnaires: groups, outcomes, and the errors that name
what is wrong (likertflow.grouping)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from likertflow.bands import apply_bands
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE
from likertflow.grouping import (
    comparison_data,
    comparison_inputs,
    comparisons_with_cells,
    covariate_codes,
    model_columns,
    model_value_of,
    outcome_values,
)
from likertflow.settings import Comparison, SettingsError
from support import filled
from support import numeric_study as numeric
from support import toy_codebook as toy
from support.comparison_cohorts import FRAMES, QUESTIONNAIRES, questionnaire


def test_grouping_errors_name_what_is_wrong():
    spec = {"survey": "people", "by": "colour", "outcomes": ["t"], "family": "f"}
    with pytest.raises(ValueError, match="comparison by 'colour': not a question of people"):
        comparison_data(FRAMES, QUESTIONNAIRES, filled.comparison(**spec))
    twins = {"a": questionnaire("a", "Same"), "b": questionnaire("b", "Same")}
    spec = {"by": "survey", "surveys": ["a", "b"], "outcomes": ["t"], "family": "f"}
    frames = {"a": FRAMES["people"], "b": FRAMES["pros"]}
    with pytest.raises(ValueError, match=r"compared questionnaires share a label: \['Same'"):
        comparison_data(frames, twins, filled.comparison(**spec))
    frame = FRAMES["people"].drop(columns=["t"])
    spec = {"survey": "people", "by": "seen", "outcomes": ["t"], "family": "f"}
    with pytest.raises(ValueError, match="people: no theme score column 't'"):
        comparison_data({"people": frame}, QUESTIONNAIRES, filled.comparison(**spec))


def test_comparison_data_columns_and_index():
    spec = {"by": "survey", "surveys": ["people", "pros"], "outcomes": ["t", "x"], "family": "f"}
    spec = filled.comparison(**spec)
    data, labels = comparison_data(FRAMES, QUESTIONNAIRES, spec, columns=["verdict"])
    assert list(data.columns) == ["group", "verdict"] and labels == ["People", "Professionals"]
    assert list(data.index) == list(range(13 + 6))
    spec = {"survey": "people", "by": "band", "outcomes": ["t"], "family": "f"}
    data, _ = comparison_data(FRAMES, QUESTIONNAIRES, filled.comparison(**spec))
    assert list(data.columns) == ["group", "t"] and list(data.index) == list(range(len(data)))


def test_banded_question_forms_comparison_groups():
    data = numeric.cohort([20, 40, 70, 30], [1] * 4, [1, 2, 1, 2])
    frame, q = apply_bands(data, numeric.questionnaire(), numeric.BANDS)
    spec = {"survey": "toy", "by": "age", "outcomes": ["x"], "omit": ["65 and over"], "family": "f"}
    # columns=[]: the groups alone, no outcome read
    groups, labels = comparison_data({"toy": frame}, {"toy": q}, filled.comparison(**spec), [])
    assert labels == ["18–34", "35–64"]
    np.testing.assert_array_equal(groups["group"].to_numpy(), [0, 1, 0])


LEVELS = toy.scale("level {}", (1, 2, 3), ordinal=False)  # as the schema leaves a scale


def toy_codebook(survey: str = "toy", label: str | None = None, theme: bool = False) -> dict:
    """The codebook dict of one questionnaire as a comparison job gets it (its params); with
    ``theme``, two statements x and y scored as theme t."""
    return filled.cut(
        toy.codebook(
            {"s": "xy"} if theme else {},
            themes={"t": "xy"} if theme else None,
            answers={"agreement": LEVELS},
            set_answers={"s": "agreement"},
            questions=[
                {"id": "age", "text": "Age?", "type": "numeric", "min": 0, "max": 120},
                {"id": "more", "text": "More?", "answers": "agreement"},
                *(["statements"] if theme else []),
            ],
            survey=survey,
            label=label,
        )
    )


def test_comparison_inputs_read_only_what_the_comparison_uses_with_bands_applied(tmp_path):
    scores = pd.DataFrame(
        {
            "response_id": ["R1", "R2", "R3"],
            "age": pd.array([20, 70, None], dtype=NUMBER_DTYPE),
            "more": pd.array([1, 3, 2], dtype=CODE_DTYPE),
            "unused": [0.5, 0.25, 1.0],
        }
    )
    path = tmp_path / "toy.scores.parquet"
    scores.to_parquet(path)
    spec = filled.comparison(survey="toy", by="age", outcomes=["more"], family="f")
    frames, questionnaires = comparison_inputs([str(path)], {"toy": toy_codebook()},
                                               numeric.BANDS, spec)  # fmt: skip
    assert list(frames) == ["toy"] and list(frames["toy"].columns) == ["age", "more"]
    assert frames["toy"]["age"].tolist() == [1, 3, pd.NA]  # band codes, not years
    assert questionnaires["toy"].question("age").answers.labels == [
        "18–34", "35–64", "65 and over",
    ]  # fmt: skip
    everything, _ = comparison_inputs([str(path)], {"toy": toy_codebook()}, {})
    assert list(everything["toy"].columns) == list(scores.columns)
    assert everything["toy"]["age"].tolist() == [20, 70, pd.NA]  # no bands: years


def test_outcomes_are_floats_with_nan_where_unanswered():
    """A theme score, a numeric answer and a statement's scored code, each held in a nullable
    column, become float64 with NaN for <NA> (and for an off-scale answer), as the rank tests
    take them."""
    q = QUESTIONNAIRES["people"]
    frame = FRAMES["people"].head(3).copy()
    frame["t"] = pd.array([2.5, None, 4.0], dtype="Float64")
    frame["x"] = pd.array([1, None, 5], dtype=CODE_DTYPE)
    frame["verdict"] = pd.array([2, 9, None], dtype=CODE_DTYPE)  # 9: not on the scale
    for outcome, expected in [("t", [2.5, np.nan, 4.0]), ("x", [1.0, np.nan, 5.0]),
                              ("verdict", [2.0, np.nan, np.nan])]:  # fmt: skip
        values = outcome_values(frame, q, outcome)
        assert values.dtype == np.float64
        np.testing.assert_array_equal(values, expected)
    complete = outcome_values(frame.assign(verdict=pd.array([2, 5, 1], dtype=CODE_DTYPE)), q,
                              "verdict")  # fmt: skip
    assert complete.dtype == np.float64 and complete.tolist() == [2.0, 5.0, 1.0]
    data = numeric.cohort([20, None], [1, 1], [1, 1])
    values = outcome_values(data, numeric.questionnaire(), "age")
    assert values.dtype == np.float64
    np.testing.assert_array_equal(values, [20.0, np.nan])


def test_comparisons_with_cells_in_name_order_with_their_questionnaires_cells_and_bands(tmp_path):
    """What a grouped comparison job runs, one comparison after another in name order (the
    order of its outputs): the comparison's settings, the combined cells of its questionnaires
    joined in its groups' order, and its questionnaires with its own config bands applied."""
    codebooks = {"a": toy_codebook("a", "A"), "b": toy_codebook("b", "B")}
    cells = {s: pd.DataFrame({"comparison": ["x"] * n, "n": range(n)})
             for s, n in [("a", 2), ("b", 3)]}  # fmt: skip
    paths = []
    for survey, frame in cells.items():
        paths.append(str(tmp_path / f"{survey}.comparison_cells.parquet"))
        frame.to_parquet(paths[-1])
    comparisons = filled.config({"comparisons": {
        "within": {"survey": "b", "by": "age", "outcomes": ["more"], "family": "f"},
        "across": {"by": "survey", "surveys": ["b", "a"], "outcomes": ["more"], "family": "f"},
    }})["comparisons"]  # fmt: skip
    bands = {"within": numeric.BANDS, "across": {}}
    got = list(comparisons_with_cells(comparisons, paths, codebooks, bands))
    assert [name for name, *_ in got] == ["across", "within"]
    (_, across, joined, questionnaires), (_, within, alone, banded) = got
    assert across == Comparison.from_params(comparisons["across"])
    assert within == Comparison.from_params(comparisons["within"])
    pd.testing.assert_frame_equal(joined, pd.concat([cells["b"], cells["a"]], ignore_index=True))
    pd.testing.assert_frame_equal(alone, cells["b"])
    assert list(questionnaires) == ["b", "a"] and list(banded) == ["b"]
    assert [q.label for q in questionnaires.values()] == ["B", "A"]
    assert questionnaires["b"].question("age").numeric  # no bands of its own: years
    assert banded["b"].question("age").answers.labels == ["18–34", "35–64", "65 and over"]
    wrong = {"odd": {key: value for key, value in comparisons["within"].items()
                     if key != "family"}}  # fmt: skip
    with pytest.raises(SettingsError, match=r"comparisons\.odd\.family: missing"):
        next(comparisons_with_cells(wrong, paths, codebooks, {"odd": {}}))


@pytest.mark.parametrize("distinct", [3, 200], ids=["few combinations", "many combinations"])
def test_counted_cells_are_pandas_groupby_sizes_with_missing_a_value_of_its_own(distinct):
    """The counting behind every cell (``_counted``) is ``groupby(dropna=False).size()``: sorted
    by the keys, a missing value after the others, only combinations that occur; with few
    possible combinations it counts them all at once, with many (numeric covariates: here
    200**3 > 8 n + 100,000) only those found."""
    from likertflow.grouping import COUNT, _counted

    rng = np.random.default_rng(7)
    n = 500
    columns = {}
    for name in ["a", "b", "c"]:
        values = rng.integers(0, distinct, n).astype("float64") / 4
        values[rng.random(n) < 0.2] = np.nan
        columns[name] = values
    counted = _counted(columns)
    expected = pd.DataFrame(columns).groupby(list(columns), dropna=False).size().reset_index()
    got = pd.DataFrame(counted)
    assert list(got.columns) == ["a", "b", "c", COUNT] and got[COUNT].dtype == "int64"
    pd.testing.assert_frame_equal(got, expected.rename(columns={0: COUNT}), check_dtype=False)
    assert got[COUNT].sum() == n
    empty = _counted({"a": np.zeros(0), "b": np.zeros(0)})
    assert [len(v) for v in empty.values()] == [0, 0, 0] and empty[COUNT].dtype == "int64"


def test_outcome_covariate_and_omit_errors_are_said_in_full():
    """Bad comparison settings get a message naming the setting, the value and the
    questionnaire, word for word."""
    q = QUESTIONNAIRES["people"]
    frame = FRAMES["people"]
    with pytest.raises(ValueError) as caught:
        outcome_values(frame, q, "seen")
    assert str(caught.value) == "comparison outcome 'seen' has no ordinal scale: no rank test"
    with pytest.raises(ValueError) as caught:
        outcome_values(frame, q, "colour")
    assert str(caught.value) == (
        "comparison outcome 'colour' is neither a theme nor a question of the people questionnaire"
    )
    with pytest.raises(ValueError) as caught:
        covariate_codes(frame, q, "colour")
    assert str(caught.value) == "adjust_for 'colour' is not a question of the people questionnaire"
    spec = filled.comparison(survey="people", by="band", omit=["Old", "Older", "Oldest"],
                             outcomes=["t"], family="f")  # fmt: skip
    with pytest.raises(ValueError) as caught:
        comparison_data(FRAMES, QUESTIONNAIRES, spec)
    assert str(caught.value) == "omit labels ['Older', 'Oldest'] are not answers of 'band'"


def test_model_columns_read_covariates_as_codes_and_groups_as_integers():
    """An ordinal model's respondents: its outcomes as outcomes, its covariates (a yes/no
    question, not ordinal: no outcome) as on-scale codes (off-scale: NaN), groups as int64
    positions; by questionnaire, groups alone (no column read) are one row per respondent."""
    spec = filled.comparison(survey="people", by="band", omit=["Old"], outcomes=["verdict"],
                             adjust_for=["seen", "verdict"], family="f")  # fmt: skip
    assert model_columns(spec) == ["verdict", "seen"]
    data, labels = comparison_data(FRAMES, QUESTIONNAIRES, spec, model_columns(spec),
                                   model_value_of(spec))  # fmt: skip
    assert labels == ["Young", "Middle", "Ancient"]
    assert data["group"].dtype == "int64" and data["group"].tolist() == [0] * 4 + [1] * 6
    assert data["seen"].tolist() == [1, 1, 1, 1, 1, 1, 2, 2, 2, 2]
    # codes as float64 also where every answer is on the scale (a blank would be NaN)
    assert covariate_codes(FRAMES["pros"], QUESTIONNAIRES["pros"], "band").dtype == "float64"
    assert data["verdict"].tolist() == [5, 5, 5, 4, 4, 4, 3, 3, 1, 2]
    people = FRAMES["people"].assign(seen=pd.array([9] * 13, dtype=CODE_DTYPE))
    data, _ = comparison_data({"people": people}, QUESTIONNAIRES, spec, model_columns(spec),
                              model_value_of(spec))  # fmt: skip
    assert data["seen"].isna().all() and data["seen"].dtype == "float64"
    across = filled.comparison(by="survey", surveys=["pros", "people"], outcomes=["t"],
                               family="f")  # fmt: skip
    groups, labels = comparison_data(FRAMES, QUESTIONNAIRES, across, [])
    assert labels == ["Professionals", "People"] and list(groups.columns) == ["group"]
    assert groups["group"].tolist() == [0] * 6 + [1] * 13


def test_comparison_inputs_score_a_theme_from_its_statements_unless_the_file_has_scores(tmp_path):
    """A theme outcome of a cohort without scores is each row's mean of the theme's statements
    (only those columns read); a file that has a theme's score column keeps it (its statements
    not read)."""
    rows = pd.DataFrame(
        {
            "response_id": ["R1", "R2", "R3"],
            "age": pd.array([20, 40, 70], dtype=NUMBER_DTYPE),
            "more": pd.array([1, 3, 2], dtype=CODE_DTYPE),
            "x": pd.array([1, 3, 2], dtype=CODE_DTYPE),
            "y": pd.array([2, 3, 3], dtype=CODE_DTYPE),
        }
    )
    codebooks = {"toy": toy_codebook(theme=True)}
    spec = filled.comparison(survey="toy", by="age", outcomes=["t"], family="f")
    path = tmp_path / "toy.analysed.parquet"
    rows.to_parquet(path)
    frames, _ = comparison_inputs([str(path)], codebooks, numeric.BANDS, spec)
    assert list(frames["toy"].columns) == ["age", "x", "y", "t"]
    assert frames["toy"]["t"].tolist() == [1.5, 3.0, 2.5]
    rows.assign(t=[0.25, 0.5, 0.75]).to_parquet(path)
    frames, _ = comparison_inputs([str(path)], codebooks, numeric.BANDS, spec)
    assert list(frames["toy"].columns) == ["age", "t"]
    assert frames["toy"]["t"].tolist() == [0.25, 0.5, 0.75]
    assert frames["toy"]["age"].tolist() == [1, 2, 3]  # band codes
    rows.to_parquet(path)
    frames, _ = comparison_inputs([str(path)], codebooks, {})  # no comparison: every column
    assert list(frames["toy"].columns) == [*rows.columns, "t"]


def test_every_theme_id_that_names_a_data_column_is_named():
    """Scoring themes whose ids are already data columns would overwrite them: refused, each
    clashing theme named."""
    from likertflow.grouping import with_theme_scores

    q = toy.questionnaire(
        {"s": "xy"}, themes={"t": "x", "u": "y"}, answers={"agreement": LEVELS},
        set_answers={"s": "agreement"},
    )  # fmt: skip
    rows = pd.DataFrame({"x": pd.array([1], dtype=CODE_DTYPE), "y": pd.array([2], dtype=CODE_DTYPE),
                         "t": [1.0], "u": [2.0]})  # fmt: skip
    with pytest.raises(ValueError) as caught:
        with_theme_scores(rows, q, ["u", "t"])
    assert str(caught.value) == "theme ids also name data columns: u, t"
    scored = with_theme_scores(rows.drop(columns=["t", "u"]), q, ["u", "t", "u"])
    assert scored[["u", "t"]].to_numpy().tolist() == [[2.0, 1.0]]
