"""Descriptive frequency tables: one row per answer option, over those who were asked.

Each question's denominator is the respondents the skip logic asked it (Table 2's "Did you see
your radiological images?" is over the 267 who had imaging, not all 282). Options that an
exclusion rule removes from the cohort ("Under 18") cannot occur and are left out; every other
option is listed, n = 0 included, in questionnaire order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from likertflow.bands import band_codes, banded_questionnaire
from likertflow.codebook import Questionnaire
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE, question_asked
from likertflow.exclusions import RULES

NO_ANSWER = "(no answer)"
COLUMNS = ["question_id", "question", "response", "code", "n", "denominator", "percent"]
# answer_counts: respondents asked a question by their answer code (missing: a blank)
COUNT_COLUMNS = ["question_id", "code", "n"]


def excluded_labels(exclusions: list[dict], question_id: str) -> set[str]:
    """Labels of a question that exclusion rules keep out of the analysed cohort."""
    return set().union(*(RULES[rule["rule"]].left_out(rule, question_id) for rule in exclusions))


def frequency_table(
    analysed: pd.DataFrame,
    questionnaire: Questionnaire,
    question_ids: list[str],
    exclusions: list[dict] | None = None,
) -> pd.DataFrame:
    """Counts and percentages (0-100, two decimals) of each answer option of each question."""
    counts = answer_counts(analysed, questionnaire, question_ids)
    return frequency_table_from_counts(counts, questionnaire, question_ids, exclusions)


def answer_counts(
    analysed: pd.DataFrame, questionnaire: Questionnaire, question_ids: list[str]
) -> pd.DataFrame:
    """``question_id, code, n``: how many of the respondents asked each question gave each code
    (``code`` missing: left it blank); only codes that occur."""
    return _counts(analysed, questionnaire, question_ids, "code", CODE_DTYPE)


def number_counts(
    analysed: pd.DataFrame, questionnaire: Questionnaire, question_ids: list[str]
) -> pd.DataFrame:
    """``question_id, value, n``: how many of the respondents asked each numeric question gave
    each value (``value`` missing: left it blank); only values that occur. A banded question's
    ``answer_counts`` follow from them (``band_counts``)."""
    return _counts(analysed, questionnaire, question_ids, "value", NUMBER_DTYPE)


def _counts(
    analysed: pd.DataFrame,
    questionnaire: Questionnaire,
    question_ids: list[str],
    key: str,
    dtype: str,
) -> pd.DataFrame:
    parts = []
    for question_id in question_ids:
        question = questionnaire.question(question_id)
        asked = question_asked(analysed, question, questionnaire)
        counts = analysed.loc[asked, question_id].value_counts(dropna=False)
        parts.append(
            pd.DataFrame(
                {
                    "question_id": question_id,
                    key: pd.array(counts.index, dtype=dtype),
                    "n": counts.to_numpy(dtype=np.int64),
                }
            )
        )
    if not parts:
        return _empty(key, dtype)
    return pd.concat(parts, ignore_index=True)[["question_id", key, "n"]]


def empty_counts() -> pd.DataFrame:
    return _empty("code", CODE_DTYPE)


def _empty(key: str, dtype: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "question_id": pd.Series(dtype="str"),
            key: pd.Series(dtype=dtype),
            "n": pd.Series(dtype="int64"),
        }
    )


def band_counts(numbers: pd.DataFrame, bands: dict[str, list[dict]]) -> pd.DataFrame:
    """``answer_counts`` of the banded numeric questions (those ``bands`` has), from their
    ``number_counts``: each value counted under its band's code (``bands.band_codes``; a blank
    or a value below the first band is a blank), as ``answer_counts`` counts the question once
    ``bands.apply_bands`` has banded it."""
    banded = numbers[numbers["question_id"].isin(list(bands))]
    parts = [
        pd.DataFrame(
            {
                "question_id": question_id,
                "code": band_codes(cells["value"], bands[question_id]).to_numpy(),
                "n": cells["n"].to_numpy(dtype=np.int64),
            }
        )
        .groupby("code", dropna=False, sort=True)["n"]
        .sum()
        .reset_index()
        .assign(question_id=question_id)
        for question_id, cells in banded.groupby("question_id", sort=True)
    ]
    if not parts:
        return empty_counts()
    return pd.concat(parts, ignore_index=True).astype({"code": CODE_DTYPE})[COUNT_COLUMNS]


def banded_counts(
    answers: pd.DataFrame,
    numbers: pd.DataFrame,
    questionnaire: Questionnaire,
    bands: dict[str, list[dict]],
) -> tuple[pd.DataFrame, Questionnaire]:
    """The answer counts of a cohort's coded questions and of its banded numeric questions
    (from the counts of their values, ``band_counts``), with the questionnaire whose banded
    questions have the bands as answers: what ``answer_counts`` and ``bands.apply_bands`` give
    of its rows."""
    banded = {q.id: bands[q.id] for q in questionnaire.questions if q.numeric and q.id in bands}
    parts = [part for part in (answers, band_counts(numbers, banded)) if len(part)]
    counts = pd.concat(parts, ignore_index=True) if parts else answers
    return counts, banded_questionnaire(questionnaire, banded)


def frequency_table_from_counts(
    counts: pd.DataFrame,
    questionnaire: Questionnaire,
    question_ids: list[str],
    exclusions: list[dict] | None = None,
) -> pd.DataFrame:
    """``frequency_table`` of the respondents that ``counts`` (``answer_counts``) counts: its
    table follows from their answer counts alone, which add up over export batches
    (``likertflow.partials``)."""
    parts = [
        _question_frequencies(counts, questionnaire, question_id, exclusions or [])
        for question_id in question_ids
    ]
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def _question_frequencies(
    counts: pd.DataFrame, questionnaire: Questionnaire, question_id: str, exclusions: list[dict]
) -> pd.DataFrame:
    question = questionnaire.question(question_id)
    rows = counts[counts["question_id"] == question_id]
    blank = rows["code"].isna().to_numpy()
    by_code = dict(zip(rows["code"][~blank].astype(int), rows["n"][~blank], strict=True))
    left_out = excluded_labels(exclusions, question_id)
    options = [o for o in question.answers.options if o.label not in left_out]
    responses = [o.label for o in options]
    codes: list = [o.code for o in options]
    n = [int(by_code.get(o.code, 0)) for o in options]
    unanswered = int(rows["n"][blank].sum())
    if unanswered:  # only when no exclusion rule removed item non-response
        responses, codes, n = [*responses, NO_ANSWER], [*codes, pd.NA], [*n, unanswered]
    table = pd.DataFrame({"response": responses, "code": codes, "n": n})
    denominator = int(rows["n"].sum())  # all who were asked, whatever they answered
    table["question_id"] = question_id
    table["question"] = question.text
    table["denominator"] = denominator
    table["percent"] = np.round(table["n"] / denominator * 100, 2)  # 0 / 0: NaN
    table["code"] = table["code"].astype("Int16")
    return table
