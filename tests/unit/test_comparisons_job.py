"""The helpers the comparisons' job uses between its parts (issue 22, decision 4: the tests, the
adjustment and the ordinal models are one job): reading the comparisons' tables back, the
populations the groups are part of, and the answers a model's odds ratios must hide. Expected
values are written out by hand from the small inputs below."""

import pandas as pd
import pytest
from likertflow.comparisons import (
    GROUP_COLUMNS,
    POSTHOC_COLUMNS,
    TEST_COLUMNS,
    read_comparison_tables,
)
from likertflow.multiplicity import adjust_families
from likertflow.ordinal import hidden_levels
from likertflow.publishing import comparison_group_cells
from likertflow.settings import Comparison

FAMILIES = {"by_age": "age", "by_sex": "sex"}


def plan(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    """A disclosure plan as ``publishing.read_plans`` gives it: text, the exact count too."""
    return pd.DataFrame(rows, columns=["question_id", "response", "count", "n"])


def test_comparison_tables_are_read_as_one_in_the_order_given(tmp_path):
    paths = []
    for name, n in [("b", 3), ("a", 5)]:
        path = tmp_path / f"{name}.tests.csv"
        pd.DataFrame({"comparison": [name], "n": [n]}).to_csv(path, index=False)
        paths.append(str(path))
    table = read_comparison_tables(paths, "tests")
    assert table["comparison"].tolist() == ["b", "a"] and table["n"].tolist() == [3, 5]


def test_comparison_tables_read_as_one_are_adjusted_family_by_family(tmp_path):
    # each comparison's file numbers its rows from 0; read as one, the rows must be numbered
    # afresh, or adjust_families (which takes a family's rows by their labels) would adjust
    # both files' row 0 as one family
    paths = []
    for name, p in [("by_age", [0.01, 0.04]), ("by_sex", [0.02, 0.03])]:
        path = tmp_path / f"{name}.tests.csv"
        pd.DataFrame({"comparison": [name] * 2, "p": p}).to_csv(path, index=False)
        paths.append(str(path))
    table = adjust_families(read_comparison_tables(paths, "tests"), FAMILIES, "holm")
    # Holm within each family of two: the smaller p times 2, the larger at least that
    assert table["family"].tolist() == ["age", "age", "sex", "sex"]
    assert table["p_adjusted"].tolist() == pytest.approx([0.02, 0.04, 0.04, 0.04])


def test_no_comparisons_read_as_empty_tables_with_their_columns():
    for what, columns in [("tests", TEST_COLUMNS), ("groups", GROUP_COLUMNS),
                          ("posthoc", POSTHOC_COLUMNS)]:  # fmt: skip
        table = read_comparison_tables([], what)
        assert table.empty and list(table.columns) == columns


def test_group_cells_from_the_published_answers_and_the_published_flow(tmp_path):
    plans = {
        "patients": plan([("age", "Under 40", 7, "*"), ("age", "40+", 12, "12"),
                          ("sex", "Female", 9, "9")]),  # fmt: skip
        "experts": plan([("role", "Radiologist", 30, "30")]),
    }
    flow = tmp_path / "participant_flow.csv"
    flow.write_text(
        "survey,stage,n\npatients,analysed,282\nexperts,analysed,*\nexperts,returned,131\n",
        encoding="utf-8",
    )
    cells = comparison_group_cells(
        plans,
        # by a question: its answers; a comparison of a questionnaire without a plan: none, and
        # the comparisons after it still counted
        {"elsewhere": ("nurses", "grade"), "by_age": ("patients", "age")},
        {"by_survey": {"patients": "Patients", "experts": "Experts"}},
        {"patients": 282, "experts": 131},
        flow,
    )
    assert cells == {
        ("by_age", "Under 40"): (7, "*"),
        ("by_age", "40+"): (12, 12),
        ("by_survey", "Patients"): (282, 282),
        ("by_survey", "Experts"): (131, "*"),
    }


def comparison(**fields) -> Comparison:
    values = {"by": "age", "survey": "patients", "surveys": None, "omit": (), "outcomes": ("q1",),
              "adjust_for": (), "family": "f", "test": "auto"} | fields  # fmt: skip
    return Comparison(**values)


def test_hidden_levels_are_the_suppressed_answers_of_the_groups_and_covariates():
    plans = {
        "patients": plan([("age", "Under 40", 2, "*"), ("age", "40+", 40, "40"),
                          ("sex", "Other", 1, "*"), ("sex", "Female", 20, "20"),
                          ("role", "Nurse", 1, "*")]),  # fmt: skip
        # another questionnaire's answers: hidden only where it is compared
        "experts": plan([("age", "60+", 1, "*"), ("sex", "Prefer not to say", 2, "*")]),
    }
    by_age = comparison(adjust_for=("sex",))
    assert hidden_levels(plans, by_age) == {("group", "Under 40"), ("sex", "Other")}
    # grouped by questionnaire: no answer forms a group; covariates of both questionnaires
    by_survey = comparison(by="survey", survey=None, surveys=("patients", "experts"),
                           adjust_for=("sex",))  # fmt: skip
    assert hidden_levels(plans, by_survey) == {("sex", "Other"), ("sex", "Prefer not to say")}
    assert hidden_levels(plans, comparison()) == {("group", "Under 40")}


def test_a_comparison_by_questionnaire_that_also_names_one_hides_no_answer_as_a_group():
    """The config schema lets a comparison by questionnaire name a ``survey`` too; its groups
    are still the questionnaires, so no answer of that questionnaire is hidden as a group, not
    even of a question whose id is ``survey`` (an id the codebook allows), only the covariates'."""
    plans = {
        "patients": plan([("survey", "Online", 1, "*"), ("sex", "Other", 1, "*")]),
        "experts": plan([("survey", "Paper", 2, "*")]),
    }
    both = comparison(by="survey", survey="patients", surveys=("patients", "experts"),
                      adjust_for=("sex",))  # fmt: skip
    assert hidden_levels(plans, both) == {("sex", "Other")}
