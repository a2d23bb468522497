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
# What is removed from a response id before it is compared (RE2): white space around it (Unicode
# separators and ASCII controls counted as space), and invisible format characters anywhere
# (zero-width spaces and joiners, byte-order marks, bidirectional marks).
ID_SURROUNDING_SPACE = r"^[\s\v\p{Z}\x{85}\x{1c}-\x{1f}]+|[\s\v\p{Z}\x{85}\x{1c}-\x{1f}]+$"
ID_INVISIBLE = r"\p{Cf}"
ID_BLANK = r"^[\s\v\p{Z}\x{85}\x{1c}-\x{1f}\p{Cf}]*$"


def normalise_ids(ids: pd.Series) -> pd.Series:
    """Response ids as every check compares them (within a batch, across batches, in the
    ledger): Unicode NFKC (compatibility composition: full-width "Ｒ_1" is "R_1", a decomposed
    accent is one character), invisible format characters removed, surrounding white space
    stripped. Ids that look the same to a person are the same id; case and inner spaces are
    kept. An id with nothing left is kept as it was, for the check of blank ids
    (``blank_ids``) to report as it is written; missing stays missing.

    >>> normalise_ids(pd.Series([" R_1 ", "\\u200bR_1", "Ｒ_1", "r_1", None], dtype="str")).tolist()
    ['R_1', 'R_1', 'R_1', 'r_1', nan]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    written = pa.array(ids)  # a pandas Series: NaN and None are nulls
    if not pa.types.is_large_string(written.type):  # Python objects (null type if all missing)
        written = written.cast(pa.large_string())
    text = written
    ascii_only = pc.all(pc.string_is_ascii(text)).as_py() is not False  # NFKC changes nothing
    if ascii_only and not pc.any(pc.match_substring_regex(text, ID_SURROUNDING_SPACE)).as_py():
        return ids
    if not ascii_only:
        text = pc.utf8_normalize(text, "NFKC")
        text = pc.replace_substring_regex(text, ID_INVISIBLE, "")
    normalised = pc.replace_substring_regex(text, ID_SURROUNDING_SPACE, "")
    blank = pc.equal(pc.utf8_length(normalised), 0)
    text = pc.if_else(blank, written, normalised)
    return pd.Series(pd.array(text, dtype=ids.dtype), index=ids.index, name=ids.name)


def blank_ids(ids: pd.Series) -> pd.Series:
    """Which ids are blank once normalised (nothing but white space and invisible characters);
    missing ids are not (another check reports them). Ids that are not text raise (pandera
    reports the column)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids.str  # noqa: B018 (AttributeError unless the ids are text)
    text = pa.array(ids)
    if not pa.types.is_large_string(text.type):
        text = text.cast(pa.large_string())
    blank = pc.match_substring_regex(text, ID_BLANK)
    return pd.Series(pc.fill_null(blank, False).to_numpy(zero_copy_only=False), index=ids.index)


def on_scale(codes: pd.Series, answers: AnswerSet) -> pd.Series:
    """The codes with off-scale answers set to <NA>, for rank-based statistics."""
    return codes.where(codes.isin(answers.scale_codes)).astype(CODE_DTYPE)


def reversed_codes(codes: pd.Series, answers: AnswerSet) -> pd.Series:
    """On-scale codes mirrored within the scale, off-scale codes left as they are: the i-th
    point from the bottom becomes the i-th from the top (min + max - code when the codes are
    evenly spaced, as 1-5). For a reverse-keyed statement's scores, reliability, comparisons."""
    scale = answers.scale_codes
    mirror = {code: scale[-1 - i] for i, code in enumerate(scale)}
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
        asked &= coded[question_id].isin(wanted).astype(bool)  # <NA> is not in wanted
    return asked


def question_asked(
    coded: pd.DataFrame, question: Question, questionnaire: Questionnaire
) -> pd.Series:
    """Whether any of the question's columns was asked of each respondent."""
    masks = [column_asked(coded, column, questionnaire) for column in question.columns]
    return pd.Series(np.logical_or.reduce([m.to_numpy() for m in masks]), index=coded.index)
