"""Descriptive frequency tables: one row per answer option, over those who were asked.

Each question's denominator is the respondents the skip logic asked it (Table 2's "Did you see
your radiological images?" is over the 267 who had imaging, not all 282). Options that an
exclusion rule removes from the cohort ("Under 18") cannot occur and are left out; every other
option is listed, n = 0 included, in questionnaire order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from likertflow.codebook import Questionnaire
from likertflow.coding import question_asked
from likertflow.exclusions import RULES

NO_ANSWER = "(no answer)"
COLUMNS = ["question_id", "question", "response", "code", "n", "denominator", "percent"]


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
    parts = [
        _question_frequencies(analysed, questionnaire, question_id, exclusions or [])
        for question_id in question_ids
    ]
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def _question_frequencies(
    analysed: pd.DataFrame, questionnaire: Questionnaire, question_id: str, exclusions: list[dict]
) -> pd.DataFrame:
    question = questionnaire.question(question_id)
    asked = question_asked(analysed, question, questionnaire)
    answers = analysed.loc[asked, question_id]
    counts = answers.value_counts(dropna=True)
    left_out = excluded_labels(exclusions, question_id)
    options = [o for o in question.answers.options if o.label not in left_out]
    responses = [o.label for o in options]
    codes: list = [o.code for o in options]
    n = [int(counts.get(o.code, 0)) for o in options]
    unanswered = int(answers.isna().sum())
    if unanswered:  # only when no exclusion rule removed item non-response
        responses, codes, n = [*responses, NO_ANSWER], [*codes, pd.NA], [*n, unanswered]
    table = pd.DataFrame({"response": responses, "code": codes, "n": n})
    denominator = int(asked.sum())
    table["question_id"] = question_id
    table["question"] = question.text
    table["denominator"] = denominator
    share = table["n"] / denominator * 100 if denominator else np.nan
    table["percent"] = np.round(share, 2)
    table["code"] = table["code"].astype("Int16")
    return table
