"""Coded answers, vectorised: the pandas side of the codebook model (likertflow.codebook).

Answers are coded as the codebook's small integer codes in pandas' nullable ``Int16``
(``CODE_DTYPE``: <NA> is "not asked or not answered"), numbers as nullable ``Float64``. Here: the
on-scale codes of an answer set (for rank-based statistics), reverse keying, the codes as scored,
and which respondents the skip logic asked a column or question.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from likertflow.codebook import AnswerSet, Column, Question, Questionnaire

# Codes are small integers; pandas' nullable Int16 keeps "not asked / not answered" as <NA>.
CODE_DTYPE = "Int16"
# Answers to numeric questions (codebook ``type: numeric``): nullable float, <NA> when blank.
NUMBER_DTYPE = "Float64"
# An ingested batch's column of the platform's marks of preview, test and spam responses
# ("Status: Survey Preview"; <NA> for a respondent's), present when the codebook's
# export.test_responses names the columns that carry them.
TEST_RESPONSE = "test_response"


def on_scale(codes: pd.Series, answers: AnswerSet) -> pd.Series:
    """The codes with off-scale answers set to <NA>, for rank-based statistics."""
    return codes.where(codes.isin(answers.scale_codes)).astype(CODE_DTYPE)


def reversed_codes(codes: pd.Series, answers: AnswerSet) -> pd.Series:
    """On-scale codes mirrored within the scale, off-scale codes left as they are: the i-th
    point from the bottom becomes the i-th from the top (min + max - code when the codes are
    evenly spaced, as 1-5). For a reverse-keyed statement's scores, reliability, comparisons."""
    scale = answers.scale_codes
    mirror = dict(zip(scale, reversed(scale), strict=True))
    return codes.map(mirror).fillna(codes).astype(CODE_DTYPE)


def scored(codes: pd.Series, question: Question) -> pd.Series:
    """A question's codes as scored: on-scale only, reversed if reverse-keyed (themes,
    reliability, comparisons). Off-scale answers are <NA>."""
    kept = on_scale(codes, question.answers)
    return reversed_codes(kept, question.answers) if question.reverse else kept


def column_asked(coded: pd.DataFrame, column: Column, questionnaire: Questionnaire) -> pd.Series:
    """Which respondents the platform asked ``column``, from their coded earlier answers.

    A condition on a question that was not asked (code <NA>) is not met.
    """
    asked = pd.Series(True, index=coded.index)
    for question_id, labels in column.asked_if:
        answers = questionnaire.question(question_id).answers
        wanted = [answers.code_of[label] for label in labels]
        asked &= coded[question_id].isin(wanted).fillna(False).astype(bool)
    return asked


def question_asked(
    coded: pd.DataFrame, question: Question, questionnaire: Questionnaire
) -> pd.Series:
    """Whether any of the question's columns was asked of each respondent."""
    masks = [column_asked(coded, column, questionnaire) for column in question.columns]
    return pd.Series(np.logical_or.reduce([m.to_numpy() for m in masks]), index=coded.index)
