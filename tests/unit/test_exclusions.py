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


def test_item_nonresponse_with_min_answered_keeps_who_skipped_a_few():
    # Two required questions (age, more): a response that answered one of the two answered half.
    na = pd.NA
    data = numeric.cohort([30, na, na, 50], [1, 1, 1, 1], [1, 1, na, na])
    half = [{"id": "mostly_blank", "rule": "item_nonresponse", "min_answered": 0.5}]
    reason, detail = apply_exclusions(data, numeric.questionnaire(), half)
    assert reason.tolist() == ["", "", "mostly_blank", ""]  # answered 2, 1, 0, 1 of 2
    assert detail[2] == "unanswered: age, more"
    strict = [{"id": "blank", "rule": "item_nonresponse", "min_answered": 1}]
    assert apply_exclusions(data, numeric.questionnaire(), strict)[0].tolist() == [
        "", "blank", "blank", "blank"
    ]  # fmt: skip


def test_platform_test_leaves_out_what_the_platform_marks():
    from likertflow.coding import TEST_RESPONSE

    data = numeric.cohort([30, 40, 50], [1, 1, 1], [1, 1, 1])
    rule = [{"id": "previews", "rule": "platform_test"}]
    # A questionnaire whose export names no test marks has none.
    assert apply_exclusions(data, numeric.questionnaire(), rule)[0].tolist() == ["", "", ""]
    data[TEST_RESPONSE] = pd.Series([pd.NA, "Status: Survey Preview", pd.NA], dtype="str")
    reason, detail = apply_exclusions(data, numeric.questionnaire(), rule)
    assert reason.tolist() == ["", "previews", ""]
    assert detail[1] == "marked by the platform: Status: Survey Preview"


def test_platform_test_needs_a_questionnaire_that_names_its_marks():
    from likertflow.exclusions import RULES

    rule = {"id": "previews", "rule": "platform_test"}
    [problem] = RULES["platform_test"].check(rule, {"toy": numeric.questionnaire()})
    assert "export.test_responses" in problem


def test_each_rule_names_the_columns_responsible():
    import numpy as np
    from likertflow.cleaning import exclusion_counts

    na = pd.NA
    data = numeric.cohort([17, na, 40, 50], [1, 1, 1, 1], [1, 1, na, 1])
    rules = [
        {"id": "under_18", "rule": "less_than", "question": "age", "value": 18},
        {"id": "blank", "rule": "item_nonresponse"},
    ]
    q = numeric.questionnaire()
    reason, _ = apply_exclusions(data, q, rules)
    under, blank = exclusion_counts(data, q, rules, reason)
    assert (under.excluded, under.responses, under.columns) == (1, 4, ((numeric.AGE, 1),))
    assert blank.excluded == 2 and blank.share == 0.5
    assert blank.columns == ((f"age ({numeric.AGE!r})", 1), (f"more ({numeric.TEXT!r})", 1))
    text = blank.describe("toy")
    assert text.startswith("toy: exclusion rule 'blank' excludes 2 of 4 responses (50%)")
    assert "columns responsible: age ('How old are you? (years)') in 1" in text
    assert np.array_equal(reason == "blank", [False, True, True, False])
