"""Matrix rows grouped by their stem in every layout, whatever their answers; ranking and
check-all questions told from rating grids."""

from __future__ import annotations

import random

import pytest
from likertflow_tools.matrices import ExportColumn, group_matrices, id_split, matrix_kind

SPENDING = "Are we spending too much, too little, or about the right amount on"
PROGRAMS = ["Space exploration", "The environment", "Health", "Big cities", "Crime",
            "Drug addiction", "Education", "Race relations", "The military", "Foreign aid",
            "Welfare", "Highways", "Social Security", "Mass transit", "Parks", "Children",
            "Science", "Assistance to the poor"]  # fmt: skip


def test_an_18_row_stem_dash_row_grid_is_one_question():
    # The Qualtrics spending battery: 18 rows on a scale the old draft did not know became 18
    # questions. Grouping looks at the headers only.
    columns = [ExportColumn(f"Q5_{i}", f"{SPENDING} - {row}", f"Q5_{i}")
               for i, row in enumerate(PROGRAMS, 1)]  # fmt: skip
    columns = [ExportColumn("Q4", "How old are you?", "Q4"), *columns,
               ExportColumn("Q6", "Anything else?", "Q6")]  # fmt: skip
    [matrix] = group_matrices(columns)
    assert matrix.stem == SPENDING and matrix.layout == "stem - row"
    assert [row.row for row in matrix.rows] == PROGRAMS
    assert matrix.keys == [f"Q5_{i}" for i in range(1, 19)]


def test_stem_colon_row_grid():
    texts = ["Rate each service: Parking", "Rate each service: Food", "Rate each service: Wi-Fi"]
    [matrix] = group_matrices([(text, text) for text in texts])
    assert matrix.stem == "Rate each service" and matrix.layout == "stem: row"
    assert [row.row for row in matrix.rows] == ["Parking", "Food", "Wi-Fi"]


def test_google_forms_and_limesurvey_brackets():
    texts = ["Symptom Assessment [Fatigue]", "Symptom Assessment [Headache]"]
    [matrix] = group_matrices([(t, t) for t in texts])
    assert (matrix.stem, matrix.layout) == ("Symptom Assessment", "stem [row]")
    # LimeSurvey question codes: the header is the code, the text the question.
    columns = [ExportColumn(f"G01Q01[SQ00{i}]", f"How useful was it? [{row}]", f"G01Q01[SQ00{i}]")
               for i, row in enumerate(["Lectures", "Labs"], 1)]  # fmt: skip
    [matrix] = group_matrices(columns)
    assert matrix.stem == "How useful was it?"
    assert [row.row for row in matrix.rows] == ["Lectures", "Labs"]


@pytest.mark.parametrize(
    "ids, stem, layout",
    [
        (["Q1_1", "Q1_2", "Q1_3"], "Q1", "Q_row"),
        (["QID7_1", "QID7_2"], "QID7", "Q_row"),
        (["SUS1[SQ001]", "SUS1[SQ002]"], "SUS1", "code[row]"),
        (["G01Q01_SQ001", "G01Q01_SQ002"], "G01Q01", "code_row"),
        (["consent___1", "consent___2"], "consent", "field___code"),
    ],
)
def test_ids_alone_group_rows(ids, stem, layout):
    assert all(id_split(i)[0] == stem and id_split(i)[2] == layout for i in ids)
    # The texts are the rows (REDCap: each checkbox choice; Qualtrics with row text only).
    texts = [f"Row {i}" for i in range(len(ids))]
    [matrix] = group_matrices([ExportColumn(i, t, i) for i, t in zip(ids, texts, strict=True)])
    assert matrix.layout == "ids" and matrix.stem == stem
    assert [row.row for row in matrix.rows] == texts


def test_one_text_on_every_row_takes_the_rows_from_the_ids():
    columns = [ExportColumn(f"Q2_{i}", "How much do you trust", f"Q2_{i}") for i in (1, 2, 3)]
    [matrix] = group_matrices(columns)
    assert matrix.stem == "How much do you trust"
    assert [row.row for row in matrix.rows] == ["1", "2", "3"]


def test_spss_variable_labels():
    # The election study: variable names say nothing; labels are "<stem> - <row>".
    stem = "Do you support or oppose each of the following proposals?"
    rows = ["Background checks", "Ban assault rifles", "Concealed carry"]
    columns = [ExportColumn(f"CC16_330{c}", f"{stem} - {row}", f"CC16_330{c}")
               for c, row in zip("abd", rows, strict=True)]  # fmt: skip
    [matrix] = group_matrices([ExportColumn("pid7", "7 point Party ID", "pid7"), *columns])
    assert matrix.stem == stem and [r.row for r in matrix.rows] == rows


def test_twin_matrices_with_the_same_rows_are_two_questions():
    # Qualtrics 2016 "<stem>-<row>" with ids: Q3 and Q4 share their texts.
    texts = ["How do you feel-Squash", "How do you feel-Beans"]
    columns = [ExportColumn(f"Q{q}_{i}", t, f"Q{q}_{i}")
               for q in (3, 4) for i, t in enumerate(texts, 1)]  # fmt: skip
    first, second = group_matrices(columns)
    assert first.keys == ["Q3_1", "Q3_2"] and second.keys == ["Q4_1", "Q4_2"]
    assert first.stem == "How do you feel" and first.layout == "stem-row"
    assert [r.row for r in first.rows] == ["Squash", "Beans"]


def test_hyphenated_words_without_matrix_ids_are_not_a_matrix():
    texts = ["Self-esteem matters", "Self-care is easy"]
    assert group_matrices([(t, t, f"v{i}") for i, t in enumerate(texts)]) == []


def test_different_stems_are_different_questions():
    texts = ["A - one", "A - two", "B - one", "B - two", "C"]
    groups = group_matrices([(t, t) for t in texts])
    assert [g.stem for g in groups] == ["A", "B"]


# --- ranking and check-all -----------------------------------------------------------------


def test_a_ranking_question_is_recognised():
    # "Please rank the Star Wars films in order of preference" (FiveThirtyEight, SurveyMonkey):
    # the draft made it six rated statements.
    rng = random.Random(1)
    films = [f"film_{i}" for i in range(1, 7)]
    respondents = [rng.sample(range(1, 7), 6) for _ in range(40)] + [[None] * 6]
    values = {film: [r[i] for r in respondents] for i, film in enumerate(films)}
    assert matrix_kind(values) == "ranking"
    as_text = {film: [None if v is None else f"{v}" for v in column]
               for film, column in values.items()}  # fmt: skip
    assert matrix_kind(as_text, stem="Please rank the films") == "ranking"


def test_a_rating_grid_is_not_a_ranking():
    rng = random.Random(2)
    values = {f"row{i}": [rng.randint(1, 5) for _ in range(40)] for i in range(5)}
    assert matrix_kind(values) == "rating"
    labels = {"a": ["Agree", "Disagree", None], "b": ["Agree", "Agree", "Disagree"]}
    assert matrix_kind(labels) == "rating"


@pytest.mark.parametrize(
    "values, ids, stem",
    [
        # SurveyMonkey and Google Forms grids: the chosen label or blank.
        ({"a": ["Email", None, "Email"], "b": [None, "Phone", "Phone"]}, (), ""),
        # Qualtrics multiple answer: 1 or blank.
        ({"Q5_1": [1.0, None, 1.0], "Q5_2": [None, 1.0, float("nan")]}, (), ""),
        # REDCap raw checkbox columns: 0/1, field___code.
        ({"c___1": [0, 1, 1], "c___2": [1, 0, 0]}, ("c___1", "c___2"), ""),
        ({"x": ["Selected", "Not selected"], "y": ["Not selected", "Selected"]}, (), ""),
        ({"x": [0, 1], "y": [1, 1]}, (), "Select all that apply"),
    ],
)
def test_check_all_questions(values, ids, stem):
    assert matrix_kind(values, ids=ids, stem=stem) == "check_all"


def test_a_yes_no_grid_coded_0_1_is_a_rating_grid():
    assert matrix_kind({"x": [0, 1, 1], "y": [1, 0, 1]}) == "rating"
