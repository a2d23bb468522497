"""Descriptive tables: denominators from skip logic, every option listed, percentages."""

import pandas as pd
import pytest
from conftest import REPO
from likertflow.codebook import load_questionnaires
from likertflow.tables import NO_ANSWER, frequency_table


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
