"""Theme scores: the mean of a theme's answered statement codes, missing below min_answered."""


import numpy as np
import pandas as pd
import pytest
from likertflow.grouping import outcome_values
from likertflow.themes import theme_scores
from support import reverse_keyed as keyed
from support import toy_codebook as toy

LIKERT = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]


def questionnaire(min_answered=None):
    """Theme good_theme of a, b and c, theme other of d, and e in no theme, on one set."""
    return toy.questionnaire(
        {"good": "abcde"},
        themes={"good_theme": "abc", "other": "d"},
        answers={"agreement": toy.scale(LIKERT, off_scale=toy.DONT_KNOW)},
        labels={"good": "Good things", "good_theme": "Good"},
        min_answered={} if min_answered is None else {"good_theme": min_answered},
    )


def analysed():
    na = pd.NA
    codes = {
        "a": [1, 5, 2, na, 9, na],
        "b": [2, 4, na, na, 4, 9],
        "c": [3, 3, 5, 4, 5, na],
        "d": [4, na, 1, 2, 3, 5],
        "e": [5, 5, 5, 5, 5, 5],
    }
    frame = toy.codes(codes)
    frame.insert(0, "response_id", [f"r{i}" for i in range(len(frame))])
    return frame


def test_all_statements_required_by_default():
    scores = theme_scores(analysed(), questionnaire())
    # by hand: only respondents 0 and 1 answered a, b and c on the scale
    expected = [2.0, 4.0, np.nan, np.nan, np.nan, np.nan]
    np.testing.assert_allclose(scores["good_theme"], expected)
    np.testing.assert_allclose(scores["other"], [4, np.nan, 1, 2, 3, 5])


def test_min_answered_counts_on_scale_answers_only():
    scores = theme_scores(analysed(), questionnaire(min_answered=2))
    # respondent 2: (2 + 5) / 2; 3: one answer; 4: "Don't know" on a is unanswered -> (4 + 5) / 2;
    # 5: "Don't know" on b and nothing else
    expected = [2.0, 4.0, 3.5, np.nan, 4.5, np.nan]
    np.testing.assert_allclose(scores["good_theme"], expected)


def test_keeps_analysed_columns_and_adds_float_columns():
    frame = analysed()
    scores = theme_scores(frame, questionnaire())
    assert list(scores.columns) == [*frame.columns, "good_theme", "other"]
    pd.testing.assert_frame_equal(scores[frame.columns], frame)
    assert scores["good_theme"].dtype == "float64"


def test_theme_id_clashing_with_a_column_is_refused():
    frame = analysed().assign(other=1)
    with pytest.raises(ValueError, match="other"):
        theme_scores(frame, questionnaire())


def test_theme_score_and_comparison_use_mirrored_codes_off_scale_untouched():
    data = keyed.frame()
    data.loc[0, "c"] = 9  # "Don't know": off-scale, stays out of the score
    data.loc[1, "c"] = pd.NA
    scores = theme_scores(data, keyed.questionnaire(reverse=True))["t"]
    mirrored = 6 - np.array(keyed.C, dtype=float)
    expected = (np.array(keyed.A) + np.array(keyed.B) + mirrored) / 3
    expected[[0, 1]] = np.nan  # min_answered "all": an off-scale or blank answer leaves no score
    np.testing.assert_allclose(scores.to_numpy(), expected)
    values = outcome_values(data, keyed.questionnaire(reverse=True), "c")
    np.testing.assert_array_equal(values[2:], mirrored[2:])
    assert np.isnan(values[:2]).all()
    # Answers as given: the stored codes are never rewritten.
    assert data["c"].tolist()[2:] == keyed.C[2:]


def test_each_clashing_theme_id_is_named():
    frame = analysed().assign(other=1, good_theme=2)
    with pytest.raises(ValueError, match="^theme ids also name data columns: good_theme, other$"):
        theme_scores(frame, questionnaire())


def test_a_filtered_cohort_keeps_each_score_on_its_respondents_row():
    """The analysed cohort after exclusions has gaps in its row labels: every score stays with
    its respondent (a frame built on 0..n-1 would shift them or leave them blank)."""
    whole = theme_scores(analysed(), questionnaire())
    kept = analysed().iloc[[1, 2, 4]]
    scores = theme_scores(kept, questionnaire())
    assert scores.index.tolist() == [1, 2, 4]
    pd.testing.assert_frame_equal(scores, whole.iloc[[1, 2, 4]])


def test_statement_codes_are_floats_when_every_statement_is_answered():
    from likertflow.themes import statement_codes

    frame = analysed().iloc[[0]]  # every statement answered: no <NA> to make them float
    codes = statement_codes(frame, questionnaire(), ["a", "b", "c"])
    assert codes.dtypes.tolist() == [np.float64] * 3
    assert codes.iloc[0].tolist() == [1.0, 2.0, 3.0]
