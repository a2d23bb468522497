"""Descriptive tables: denominators from skip logic, every option listed, percentages."""

import pandas as pd
import pytest
from conftest import REPO
from likertflow.codebook import load_questionnaires
from likertflow.tables import COUNT_COLUMNS, NO_ANSWER, answer_counts, frequency_table


@pytest.fixture(scope="module")
def patients():
    return load_questionnaires(REPO / "config" / "codebook.yaml")["patients"]


def coded(questionnaire, rows):
    frame = pd.DataFrame(rows, columns=questionnaire.question_ids)
    return frame.astype("Int16")


def test_denominator_is_those_asked(patients):
    yes, no, unsure = 1, 2, 9
    frame = coded(
        patients,
        [
            {"had_imaging": yes, "saw_images": yes},
            {"had_imaging": yes, "saw_images": no},
            {"had_imaging": yes, "saw_images": yes},
            {"had_imaging": no},
            {"had_imaging": unsure},
        ],
    )
    table = frequency_table(frame, patients, ["had_imaging", "saw_images"])
    saw = table[table.question_id == "saw_images"]
    assert saw.denominator.unique().tolist() == [3]
    assert saw.set_index("response").n.to_dict() == {"Yes": 2, "No": 1, "Unsure": 0}
    assert saw.set_index("response").percent.to_dict() == {"Yes": 66.67, "No": 33.33, "Unsure": 0.0}
    had = table[table.question_id == "had_imaging"]
    assert had.denominator.unique().tolist() == [5]
    assert had.response.tolist() == ["Yes", "No", "Unsure"]


def test_excluded_options_left_out_and_zero_counts_kept(patients):
    frame = coded(patients, [{"age": 3}, {"age": 3}, {"age": 9}])
    rules = [{"id": "under_18", "rule": "answered", "question": "age", "labels": ["Under 18"]}]
    table = frequency_table(frame, patients, ["age"], rules)
    labels = [o.label for o in patients.question("age").answers.options if o.label != "Under 18"]
    assert table.response.tolist() == labels
    assert table.n.sum() == 3
    assert table.set_index("response").loc["I do not want to reveal my age", "n"] == 1
    assert (table.n == 0).sum() == len(labels) - 2


def test_unanswered_row_when_item_nonresponse_is_kept(patients):
    frame = coded(patients, [{"expert_patient": 1}, {"expert_patient": None}])
    table = frequency_table(frame, patients, ["expert_patient"])
    assert table.response.iloc[-1] == NO_ANSWER
    assert table.percent.sum() == pytest.approx(100)


def test_a_question_asked_of_nobody_lists_its_options_with_no_percent(patients):
    """Nobody had imaging, so nobody was asked whether they saw the images: every option at
    n = 0 over a denominator of 0, the percent blank (not 0, not a division error)."""
    no = 2
    frame = coded(patients, [{"had_imaging": no}, {"had_imaging": no}])
    table = frequency_table(frame, patients, ["saw_images", "had_imaging"])
    saw = table[table.question_id == "saw_images"]
    assert saw.response.tolist() == ["Yes", "No", "Unsure"] and saw.n.tolist() == [0, 0, 0]
    assert saw.denominator.tolist() == [0, 0, 0] and saw.percent.isna().all()
    assert table.question_id.tolist() == ["saw_images"] * 3 + ["had_imaging"] * 3
    assert table.set_index(["question_id", "response"]).loc[("had_imaging", "No"), "percent"] == 100


def test_the_table_columns_and_types(patients):
    frame = coded(
        patients, [{"expert_patient": 1}, {"expert_patient": None}, {"expert_patient": 2}]
    )
    table = frequency_table(frame, patients, ["expert_patient"])
    assert table.columns.tolist() == [
        "question_id", "question", "response", "code", "n", "denominator", "percent"
    ]  # fmt: skip
    assert table.dtypes.astype(str).tolist() == [
        "str", "str", "str", "Int16", "int64", "int64", "float64"
    ]  # fmt: skip
    assert table.question.unique().tolist() == [patients.question("expert_patient").text]
    assert table.code.isna().tolist() == [False] * (len(table) - 1) + [True]  # (no answer)
    assert table.percent.tolist()[-1] == 33.33


def test_answer_counts_of_no_question_are_an_empty_typed_table(patients):
    frame = coded(patients, [{"had_imaging": 1}])
    counts = answer_counts(frame, patients, [])
    assert counts.empty and counts.columns.tolist() == COUNT_COLUMNS
    assert counts.dtypes.astype(str).tolist() == ["str", "Int16", "int64"]


def test_answer_counts_count_blanks_and_only_codes_that_occur(patients):
    yes, unsure = 1, 9
    frame = coded(
        patients,
        [
            {"had_imaging": yes},
            {"had_imaging": yes},
            {"had_imaging": unsure},
            {"had_imaging": None},
        ],
    )
    counts = answer_counts(frame, patients, ["had_imaging"])
    assert counts.dtypes.astype(str).tolist() == ["str", "Int16", "int64"]
    by_code = {
        (None if pd.isna(c) else int(c)): n for c, n in zip(counts.code, counts.n, strict=True)
    }
    assert by_code == {yes: 2, unsure: 1, None: 1}


def test_banded_counts_count_a_numeric_question_by_its_bands_beside_the_coded_ones():
    """Ten ages: 18-34 holds 18, 18, 34 and 34.5; 35-64 holds 35 and 64; 65 and over 65 and 99;
    17.5 (below the first band) and a blank are no answer. The coded questions' counts pass
    through unchanged, and the questionnaire asks age with the bands as its answers."""
    from likertflow.tables import banded_counts, frequency_table_from_counts, number_counts
    from support import numeric_study

    questionnaire = numeric_study.questionnaire()
    ages = [17.5, 18, 34, 34.5, 35, 64, 65, 99, None, 18]
    rows = numeric_study.cohort(ages, [1, 2, 1, 1, 2, 2, 1, 1, None, 2], [1] * 10)
    answers = answer_counts(rows, questionnaire, ["sex", "more"])
    numbers = number_counts(rows, questionnaire, ["age"])
    counts, banded = banded_counts(answers, numbers, questionnaire, numeric_study.BANDS)
    assert not banded.question("age").numeric
    assert [o.label for o in banded.question("age").answers.options] == [
        "18–34", "35–64", "65 and over",
    ]  # fmt: skip
    table = frequency_table_from_counts(counts, banded, ["age", "sex"]).set_index("response")
    age = table[table.question_id == "age"]
    assert age.n.to_dict() == {"18–34": 4, "35–64": 2, "65 and over": 2, NO_ANSWER: 2}
    assert age.denominator.unique().tolist() == [10]
    sex = table[table.question_id == "sex"]
    assert sex.n.to_dict() == {"Female": 5, "Male": 4, NO_ANSWER: 1}
    # the coded questions' counts are the answer counts given, the bands' after them
    pd.testing.assert_frame_equal(counts.iloc[: len(answers)], answers)
    assert set(counts.question_id[len(answers) :]) == {"age"}


def test_banded_counts_band_only_the_questions_asked_as_numbers():
    """Bands of a question this questionnaire asks with coded answers (config may band a
    question another questionnaire asks as a number) change nothing; without banded questions
    the counts and the questionnaire are those given."""
    from likertflow.tables import banded_counts, number_counts
    from support import numeric_study

    questionnaire = numeric_study.questionnaire()
    rows = numeric_study.cohort([20, 70], [1, 2], [1, 2])
    answers = answer_counts(rows, questionnaire, ["sex", "more"])
    numbers = number_counts(rows, questionnaire, ["age"])
    sex_bands = {"sex": [{"label": "low", "from": 0}, {"label": "high", "from": 2}]}
    counts, banded = banded_counts(answers, numbers, questionnaire, sex_bands)
    assert counts.equals(answers)
    assert banded.question("sex") == questionnaire.question("sex")
    assert banded.question("age").numeric
    empty = answer_counts(rows, questionnaire, [])
    counts, _ = banded_counts(empty, number_counts(rows, questionnaire, []), questionnaire, {})
    assert counts.empty and counts.columns.tolist() == COUNT_COLUMNS


def test_number_counts_of_no_question_are_an_empty_typed_table():
    """As answer_counts': the value column keeps the numbers' type (Float64) when no numeric
    question is counted, so an empty batch's cells combine with any other's."""
    from likertflow.tables import number_counts
    from support import numeric_study

    questionnaire = numeric_study.questionnaire()
    counts = number_counts(numeric_study.cohort([20], [1], [1]), questionnaire, [])
    assert counts.empty and counts.columns.tolist() == ["question_id", "value", "n"]
    assert counts.dtypes.astype(str).tolist() == ["str", "Float64", "int64"]


def test_a_table_of_several_questions_is_labelled_row_by_row(patients):
    """Rows labelled 0..n-1 over all the questions, not each question's own 0..k: describe_cohorts
    puts the unrounded count beside the published table by these labels (``insert`` aligns a
    Series on them), which repeated labels would break."""
    frame = coded(patients, [{"had_imaging": 1, "saw_images": 2}, {"had_imaging": 2}])
    table = frequency_table(frame, patients, ["had_imaging", "saw_images"])
    assert table.question_id.tolist()[0] == "had_imaging" and len(set(table.question_id)) == 2
    assert table.index.tolist() == list(range(len(table)))
