"""Partial results that add up (issue 22): the answer counts of each export batch, summed, less
the rows the cross-batch duplicate rule drops, give the one-shot descriptive table byte for
byte, in any arrival order."""

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.codebook import load_questionnaires
from likertflow.partials import add_counts
from likertflow.tables import (
    answer_counts,
    empty_counts,
    frequency_table,
    frequency_table_from_counts,
)

QUESTIONNAIRES = load_questionnaires(REPO / "config" / "codebook.yaml")
EXCLUSIONS = [{"id": "under_18", "rule": "answered", "question": "age", "labels": ["Under 18"]}]


def coded_cohort(survey: str, n: int, seed: int) -> pd.DataFrame:
    """Random codes of every question (blanks among them); the skip logic is applied by the
    tables themselves, as on the analysed cohort."""
    questionnaire = QUESTIONNAIRES[survey]
    rng = np.random.default_rng(seed)
    frame = {}
    for question in questionnaire.questions:
        if question.numeric:
            values = pd.array(rng.integers(18, 90, n), dtype="Float64")
        else:
            values = pd.array(rng.choice(question.answers.codes, n), dtype="Int16")
        values[rng.random(n) < 0.1] = pd.NA
        frame[question.id] = values
    return pd.DataFrame(frame)


def counted(questionnaire) -> list[str]:
    return [q.id for q in questionnaire.questions if not q.numeric]


@pytest.mark.parametrize("survey", sorted(QUESTIONNAIRES))
def test_table_from_counts_is_the_table(survey):
    questionnaire = QUESTIONNAIRES[survey]
    cohort = coded_cohort(survey, 500, seed=1)
    questions = counted(questionnaire)
    table = frequency_table(cohort, questionnaire, questions, EXCLUSIONS)
    from_counts = frequency_table_from_counts(
        answer_counts(cohort, questionnaire, questions), questionnaire, questions, EXCLUSIONS
    )
    assert table.to_csv(index=False) == from_counts.to_csv(index=False)
    assert table.dtypes.equals(from_counts.dtypes)


@settings(max_examples=25, deadline=None)
@given(
    survey=st.sampled_from(sorted(QUESTIONNAIRES)),
    seed=st.integers(0, 2**32 - 1),
    batches=st.integers(1, 5),
)
def test_batch_counts_less_the_dropped_rows_give_the_one_shot_table(survey, seed, batches):
    questionnaire = QUESTIONNAIRES[survey]
    questions = counted(questionnaire)
    rng = np.random.default_rng(seed)
    rows = coded_cohort(survey, int(rng.integers(1, 400)), seed)
    # the rows the cross-batch duplicate rule drops (repeats kept from another batch)
    dropped = rng.random(len(rows)) < 0.2
    parts = np.array_split(rng.permutation(len(rows)), batches)  # batches, in arrival order
    partials = [answer_counts(rows.iloc[part], questionnaire, questions) for part in parts]
    order = rng.permutation(len(partials))  # any order of summation
    total = add_counts(*(partials[i] for i in order))
    combined = add_counts(total, answer_counts(rows[dropped], questionnaire, questions), sign=-1)
    kept = rows[~dropped].reset_index(drop=True)
    one_shot = frequency_table(kept, questionnaire, questions, EXCLUSIONS)
    table = frequency_table_from_counts(combined, questionnaire, questions, EXCLUSIONS)
    assert table.to_csv(index=False) == one_shot.to_csv(index=False)


def test_subtracting_more_than_was_counted_is_refused():
    questionnaire = QUESTIONNAIRES["patients"]
    rows = coded_cohort("patients", 10, seed=3)
    small = answer_counts(rows.iloc[:2], questionnaire, ["had_imaging"])
    with pytest.raises(ValueError, match="^subtracted more answers than the counts hold$"):
        add_counts(small, answer_counts(rows, questionnaire, ["had_imaging"]), sign=-1)


def test_sums_are_by_question_and_code_blanks_included_zeros_left_out():
    first = pd.DataFrame(
        {"question_id": ["b", "a", "a"], "code": pd.array([1, None, 2], dtype="Int16"),
         "n": np.array([4, 2, 3], dtype="int64")}
    )  # fmt: skip
    second = pd.DataFrame(
        {"question_id": ["a", "a", "b"], "code": pd.array([None, 2, 2], dtype="Int16"),
         "n": np.array([5, 3, 1], dtype="int64")}
    )  # fmt: skip
    total = add_counts(first, second)
    assert total.columns.tolist() == ["question_id", "code", "n"]
    assert total.index.tolist() == list(range(len(total)))
    rows = [(q, None if pd.isna(c) else int(c), n) for q, c, n in total.itertuples(index=False)]
    assert rows == [("a", 2, 6), ("a", None, 7), ("b", 1, 4), ("b", 2, 1)]
    less = add_counts(total, second, sign=-1)  # back to the first, its cells in order
    pd.testing.assert_frame_equal(
        less, first.sort_values(["question_id", "code"]).reset_index(drop=True)
    )
    assert add_counts(first, first, sign=-1).empty  # every cell comes to zero


def test_no_counts_add_up_to_an_empty_typed_table():
    for total in [add_counts(), add_counts(empty_counts(), empty_counts())]:
        assert total.empty and total.columns.tolist() == ["question_id", "code", "n"]
        assert total.dtypes.astype(str).tolist() == ["str", "Int16", "int64"]
