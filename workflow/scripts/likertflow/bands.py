"""Bands of numeric questions (config ``bands``): age in years as age groups, for tables and
comparisons.

A banded numeric question acts as a question with an ordinal answer set whose labels are the
band labels, in config order, coded 1, 2, ...: a value falls in the last band whose ``from`` it
reaches, and a value below the first band's ``from`` in none (<NA>).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from likertflow.codebook import AnswerSet, Option, Questionnaire


def band_answers(question_id: str, bands: list[dict]) -> AnswerSet:
    """The ordinal answer set of a question's bands, coded 1..k."""
    options = tuple(Option(str(band["label"]), code) for code, band in enumerate(bands, 1))
    return AnswerSet(name=f"{question_id} bands", ordinal=True, options=options)


def band_codes(values: pd.Series, bands: list[dict]) -> pd.Series:
    """The band code (1..k) of each value, as ``coding.CODE_DTYPE`` (Int16); <NA> for blanks and
    values below the first band."""
    numbers = values.to_numpy("float64")  # <NA> -> NaN
    codes = np.searchsorted([band["from"] for band in bands], numbers, side="right")
    valid = ~np.isnan(numbers) & (codes > 0)
    return pd.Series(pd.arrays.IntegerArray(codes.astype(np.int16), ~valid), index=values.index)


def apply_bands(
    frame: pd.DataFrame, questionnaire: Questionnaire, bands: dict[str, list[dict]]
) -> tuple[pd.DataFrame, Questionnaire]:
    """The frame with each banded numeric question's values replaced by band codes, and the
    questionnaire with those questions turned into questions with the bands as answers."""
    banded = [q for q in questionnaire.questions if q.numeric and q.id in bands]
    if not banded:
        return frame, questionnaire
    frame = frame.copy()
    for question in banded:
        frame[question.id] = band_codes(frame[question.id], bands[question.id])
    return frame, banded_questionnaire(questionnaire, bands)


def banded_questionnaire(
    questionnaire: Questionnaire, bands: dict[str, list[dict]]
) -> Questionnaire:
    """The questionnaire with each banded numeric question turned into a question with the
    bands as answers (``apply_bands``' questionnaire)."""
    replaced = {
        q.id: dataclasses.replace(q, answers=band_answers(q.id, bands[q.id]), numeric=False)
        for q in questionnaire.questions
        if q.numeric and q.id in bands
    }
    if not replaced:
        return questionnaire
    questions = tuple(replaced.get(q.id, q) for q in questionnaire.questions)
    return dataclasses.replace(questionnaire, questions=questions)
