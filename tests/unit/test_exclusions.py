"""Exclusion rules (likertflow.exclusions) on numeric questions: less_than and greater_than on
the number, item non-response limited to the questions a rule names and never counting
optional ones."""

from __future__ import annotations

import pandas as pd
from likertflow.cleaning import apply_exclusions
from support import numeric_study as numeric


def test_less_than_and_greater_than_exclude_on_the_number():
    data = numeric.cohort([17, 18, 90.5, None, 40], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1])
    rules = [
        {"id": "under_18", "rule": "less_than", "question": "age", "value": 18},
        {"id": "over_90", "rule": "greater_than", "question": "age", "value": 90},
    ]
    reason, detail = apply_exclusions(data, numeric.questionnaire(), rules)
    assert reason.tolist() == ["under_18", "", "over_90", "", ""]  # 18 itself is kept
    assert detail[0] == "age 17 is below 18" and detail[2] == "age 90.5 is above 90"


def test_item_nonresponse_ignores_optional_questions_and_those_not_named():
    na = pd.NA
    data = numeric.cohort([30, 40, na, 50], [na, 1, 1, 1], [1, na, 1, 1])
    every = [{"id": "blank", "rule": "item_nonresponse"}]
    reason, detail = apply_exclusions(data, numeric.questionnaire(), every)
    # row 0 left only the optional sex blank: kept
    assert reason.tolist() == ["", "blank", "blank", ""]
    assert detail[1] == "unanswered: more" and detail[2] == "unanswered: age"
    named = [{"id": "blank", "rule": "item_nonresponse", "questions": ["age"]}]
    excluded = apply_exclusions(data, numeric.questionnaire(), named)[0]
    assert excluded.tolist() == ["", "", "blank", ""]
