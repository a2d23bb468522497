"""Exclusion rules (likertflow.exclusions) on numeric questions: less_than and greater_than on
the number, item non-response limited to the questions a rule names and never counting
optional ones."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from likertflow.cleaning import apply_exclusions
from likertflow.errors import InputError
from likertflow.exclusions import RULES, applies
from support import numeric_study as numeric
from support import toy_codebook


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


# --- each rule's parts as a researcher reads them ---------------------------------------------


def toy() -> dict:
    return {"toy": numeric.questionnaire()}


def test_a_rule_applies_to_a_questionnaire_that_has_its_question():
    assert applies({"rule": "item_nonresponse"}, [])
    assert applies({"rule": "answered", "question": "age"}, ["sex", "age"])
    assert not applies({"rule": "answered", "question": "age"}, ["sex"])


def test_answered_excludes_the_labels_named_and_says_which():
    data = numeric.cohort([30, 40, 50, 60], [1, 2, pd.NA, 2], [1, 1, 1, 1])
    rule = {"id": "men", "rule": "answered", "question": "sex", "labels": ["Male"]}
    met, why = RULES["answered"].apply(data, numeric.questionnaire(), rule)
    assert met.tolist() == [False, True, False, True] and met.dtype == bool
    assert why.tolist() == ["", "sex: Male", "", "sex: Male"] and why.dtype == object
    assert RULES["answered"].left_out(rule, "sex") == {"Male"}
    assert RULES["answered"].left_out(rule, "more") == set()
    assert RULES["answered"].explain(rule | {"labels": ["Male", "Female"]}) == (
        '``sex`` answered "Male" or "Female"'
    )


def test_answered_with_a_label_the_question_lacks_is_an_input_error():
    data = numeric.cohort([30], [1], [1])
    rule = {"id": "men", "rule": "answered", "question": "sex", "labels": ["Men", "Male", "X"]}
    with pytest.raises(InputError) as refused:
        RULES["answered"].apply(data, numeric.questionnaire(), rule)
    assert str(refused.value) == (
        "exclusion rule 'men' names labels that question 'sex' lacks\n"
        "  - config exclusions: found 'Men'; expected one of: 'Female', 'Male'\n"
        "  - config exclusions: found 'X'; expected one of: 'Female', 'Male'"
    )


def test_the_checks_of_answered_name_the_questionnaire_question_and_labels():
    check = RULES["answered"].check
    rule = {"id": "r", "rule": "answered", "question": "sex", "labels": ["Male", "Men", "Women"]}
    assert check(rule, toy()) == [
        "exclusions.r: 'Men' is not an answer of toy question 'sex' (answers: ['Female', 'Male'])",
        "exclusions.r: 'Women' is not an answer of toy question 'sex' (answers: ['Female', "
        "'Male'])",
    ]
    assert check(rule | {"question": "age"}, toy()) == [
        "exclusions.r: toy question 'age' is numeric; use rule less_than or greater_than"
    ]
    assert check(rule | {"question": "height"}, toy()) == [
        "exclusions.r: no questionnaire has question 'height'"
    ]


def test_the_checks_of_a_threshold_name_its_question_and_range():
    check = RULES["less_than"].check
    rule = {"id": "r", "rule": "less_than", "question": "more", "value": 2}
    assert check(rule, toy()) == [
        "exclusions.r: rule less_than needs a numeric question, but toy question 'more' has "
        "answer labels; use rule answered"
    ]
    assert check(rule | {"question": "age", "value": 120}, toy()) == []
    assert check(rule | {"question": "age", "value": 120.5}, toy()) == [
        "exclusions.r: rule less_than with value 120.5 would exclude every answer to toy question "
        "'age', whose valid answers are from 0 to 120 (codebook max); is the value above the "
        "range by mistake, or is the other rule meant?"
    ]
    greater = rule | {"rule": "greater_than", "question": "age", "value": -0.5}
    assert RULES["greater_than"].check(greater, toy()) == [
        "exclusions.r: rule greater_than with value -0.5 would exclude every answer to toy "
        "question 'age', whose valid answers are from 0 to 120 (codebook min); is the value "
        "below the range by mistake, or is the other rule meant?"
    ]
    assert RULES["greater_than"].check(greater | {"value": 0}, toy()) == []
    unbounded = {"toy": numeric.questionnaire({"max": 120})}
    assert RULES["less_than"].check(rule | {"question": "age", "value": -5}, unbounded) == []
    assert RULES["greater_than"].check(greater | {"value": -5}, unbounded) == []  # no min
    assert RULES["less_than"].check(rule | {"question": "age", "value": 121}, unbounded) == [
        "exclusions.r: rule less_than with value 121 would exclude every answer to toy question "
        "'age', whose valid answers are from no bound to 120 (codebook max); is the value above "
        "the range by mistake, or is the other rule meant?"
    ]
    no_max = {"toy": numeric.questionnaire({"min": 0})}
    assert RULES["less_than"].check(rule | {"question": "age", "value": 500}, no_max) == []
    assert RULES["greater_than"].check(greater | {"value": -1}, no_max) == [
        "exclusions.r: rule greater_than with value -1 would exclude every answer to toy "
        "question 'age', whose valid answers are from 0 to no bound (codebook min); is the value "
        "below the range by mistake, or is the other rule meant?"
    ]


def test_a_threshold_says_the_number_and_the_value():
    data = numeric.cohort([17.5, 18, None], [1, 1, 1], [1, 1, 1])
    rule = {"id": "r", "rule": "less_than", "question": "age", "value": 18}
    met, why = RULES["less_than"].apply(data, numeric.questionnaire(), rule)
    assert met.tolist() == [True, False, False] and met.dtype == bool
    assert why.tolist() == ["age 17.5 is below 18", "", ""] and why.dtype == object
    assert RULES["less_than"].explain(rule | {"value": 18.5}) == "``age`` is below 18.5"
    assert RULES["greater_than"].explain(rule) == "``age`` is above 18"
    assert RULES["less_than"].left_out(rule, "age") == set()


def test_item_nonresponse_explained_and_checked():
    explain, check = RULES["item_nonresponse"].explain, RULES["item_nonresponse"].check
    assert explain({"id": "b"}) == (
        "a question that was asked was left unanswered; optional questions never count"
    )
    assert explain({"id": "b", "questions": ["age", "more"], "min_answered": 0.5}) == (
        "fewer than 50% of the questions asked (among ``age``, ``more``) were answered; optional "
        "questions never count"
    )
    assert explain({"id": "b", "questions": ["age"]}) == (
        "a question that was asked was left unanswered (among ``age``); optional questions "
        "never count"
    )
    assert check({"id": "b", "questions": ["age", "hight", "x"]}, toy()) == [
        "exclusions.b: no questionnaire has question 'hight'",
        "exclusions.b: no questionnaire has question 'x'",
    ]
    assert check({"id": "b"}, toy()) == []


def test_item_nonresponse_below_a_share_of_the_questions_asked():
    na = pd.NA
    # two required questions asked of everyone (sex is optional): answered 2, 1, 0, 0 of them
    data = numeric.cohort([30, 40, na, na], [1, 1, 1, 1], [1, na, na, na])
    q = numeric.questionnaire()
    rule = {"id": "b", "rule": "item_nonresponse", "min_answered": 0.6}
    met, why = RULES["item_nonresponse"].apply(data, q, rule)
    assert met.tolist() == [False, True, True, True]  # 1 of 2 is below 60 %
    assert why.tolist() == [
        "",
        "unanswered: more",
        "unanswered: age, more",
        "unanswered: age, more",
    ]
    met, why = RULES["item_nonresponse"].apply(data, q, rule | {"min_answered": 0.5})
    assert met.tolist() == [False, False, True, True]  # half answered is not below half
    assert why.tolist() == ["", "", "unanswered: age, more", "unanswered: age, more"]
    met, _ = RULES["item_nonresponse"].apply(data, q, rule | {"min_answered": 0})
    assert met.tolist() == [False] * 4
    met, why = RULES["item_nonresponse"].apply(data, q, rule | {"min_answered": 1.5})
    assert met.tolist() == [False, True, True, True] and why[1] == "unanswered: more"


def test_the_columns_of_blank_and_platform_marked_responses():
    na = pd.NA
    data = numeric.cohort([na, na, 40, na], [1, 1, 1, 1], [na, 1, na, 1])
    q = numeric.questionnaire()
    rule = {"id": "b", "rule": "item_nonresponse"}
    excluded = np.array([True, True, True, False])
    assert RULES["item_nonresponse"].columns(data, q, rule, excluded) == [
        (f"age ({numeric.AGE!r})", 2),
        (f"more ({numeric.TEXT!r})", 2),
    ]
    excluded = np.array([True, True, False, False])
    assert RULES["item_nonresponse"].columns(data, q, rule, excluded) == [
        (f"age ({numeric.AGE!r})", 2),
        (f"more ({numeric.TEXT!r})", 1),
    ]
    excluded = np.array([True, False, True, False])  # most first
    assert RULES["item_nonresponse"].columns(data, q, rule, excluded) == [
        (f"more ({numeric.TEXT!r})", 2),
        (f"age ({numeric.AGE!r})", 1),
    ]
    from likertflow.coding import TEST_RESPONSE

    data[TEST_RESPONSE] = pd.Series(
        ["Status: Spam", "Channel: preview", "Status: Survey Test", na], dtype="str"
    )
    marked = np.array([True, True, True, False])
    assert RULES["platform_test"].columns(data, q, {}, marked) == [("Status", 2), ("Channel", 1)]
    assert RULES["platform_test"].explain({}) == (
        "marked by the platform as a preview, test or spam response"
    )
    assert RULES["less_than"].columns(data, q, {"question": "age"}, marked) == [(numeric.AGE, 3)]


def test_platform_test_needs_a_questionnaire_that_names_its_marks_exactly():
    rule = {"id": "previews", "rule": "platform_test"}
    assert RULES["platform_test"].check(rule, toy()) == [
        "exclusions.previews: rule platform_test needs the columns where the platform marks test "
        "responses, and no questionnaire's codebook export names any (export.test_responses, e.g. "
        "{Status: [Survey Preview, Survey Test, Spam]})"
    ]


def test_a_threshold_rule_built_in_the_test():
    """``RULES`` builds the threshold rules at import; built here, a change to ``_threshold``
    shows (mutation testing activates a change only after import)."""
    from likertflow.exclusions import _threshold

    data = numeric.cohort([17.5, 18, None, 1e6], [1, 1, 1, 1], [1, 1, 1, 1])
    data.index = [10, 11, 12, 13]  # a cohort's index is its rows, not 0..n-1
    below = _threshold(lambda values, value: values < value, "below")
    met, why = below(data, numeric.questionnaire(), {"question": "age", "value": 18})
    assert met.tolist() == [True, False, False, False] and met.dtype == bool
    assert met.index.tolist() == [10, 11, 12, 13] and why.index.tolist() == [10, 11, 12, 13]
    assert why.tolist() == ["age 17.5 is below 18", "", "", ""] and why.dtype == object
    above = _threshold(lambda values, value: values > value, "above")
    met, why = above(data, numeric.questionnaire(), {"question": "age", "value": 17.25})
    assert met.tolist() == [True, True, False, True]
    assert why.tolist() == [
        "age 17.5 is above 17.25", "age 18 is above 17.25", "", "age 1e+06 is above 17.25"
    ]  # fmt: skip


def test_exclusions_keep_the_cohorts_index_and_python_texts():
    from likertflow.coding import TEST_RESPONSE

    na = pd.NA
    data = numeric.cohort([30, na, 50], [1, 1, 1], [1, 1, na])
    data.index = [5, 6, 7]
    met, why = RULES["item_nonresponse"].apply(data, numeric.questionnaire(), {"id": "b"})
    assert met.index.tolist() == [5, 6, 7] and why.index.tolist() == [5, 6, 7]
    assert why.tolist() == ["", "unanswered: age", "unanswered: more"] and why.dtype == object
    met, why = RULES["platform_test"].apply(data, numeric.questionnaire(), {})
    assert met.tolist() == [False] * 3 and met.index.tolist() == [5, 6, 7]
    assert why.tolist() == ["", "", ""] and why.dtype == object and why.index.tolist() == [5, 6, 7]
    data[TEST_RESPONSE] = pd.Series([na, "Status: Spam", na], index=[5, 6, 7], dtype="str")
    met, why = RULES["platform_test"].apply(data, numeric.questionnaire(), {})
    assert why.tolist() == ["", "marked by the platform: Status: Spam", ""]
    assert why.dtype == object


def test_a_platform_mark_whose_value_holds_a_colon_is_of_its_column():
    from likertflow.coding import TEST_RESPONSE

    data = numeric.cohort([30, 40], [1, 1], [1, 1])
    data[TEST_RESPONSE] = pd.Series(["Status: Test: manual", "Status: Spam"], dtype="str")
    marked = np.array([True, True])
    columns = RULES["platform_test"].columns(data, numeric.questionnaire(), {}, marked)
    assert columns == [("Status", 2)]


def labelled_age() -> dict:
    """A second questionnaire asking age in labelled bands."""
    bands = toy_codebook.scale(["Under 18", "18 or over"], [1, 2], ordinal=False)
    return toy_codebook.questionnaire(
        {},
        answers={"bands": bands},
        export={},
        questions=[{"id": "age", "text": "Age band", "answers": "bands"}],
        survey="staff",
    )


def test_every_questionnaire_with_the_question_is_checked():
    both = {"toy": numeric.questionnaire(), "staff": labelled_age()}
    answered = {"id": "r", "rule": "answered", "question": "age", "labels": ["Under 16"]}
    assert RULES["answered"].check(answered, both) == [
        "exclusions.r: toy question 'age' is numeric; use rule less_than or greater_than",
        "exclusions.r: 'Under 16' is not an answer of staff question 'age' (answers: ['Under 18', "
        "'18 or over'])",
    ]
    reordered = {"staff": labelled_age(), "toy": numeric.questionnaire()}
    less = {"id": "r", "rule": "less_than", "question": "age", "value": 500}
    assert RULES["less_than"].check(less, reordered) == [
        "exclusions.r: rule less_than needs a numeric question, but staff question 'age' has "
        "answer labels; use rule answered",
        "exclusions.r: rule less_than with value 500 would exclude every answer to toy question "
        "'age', whose valid answers are from 0 to 120 (codebook max); is the value above the "
        "range by mistake, or is the other rule meant?",
    ]
    assert RULES["less_than"].check(less | {"question": "height"}, both) == [
        "exclusions.r: no questionnaire has question 'height'"
    ]


def test_a_blank_question_of_two_export_columns_names_both():
    questionnaire = toy_codebook.questionnaire(
        {},
        answers={"yes_no": toy_codebook.YES_NO},
        export={},
        questions=[{"id": "seen", "text": "Seen?", "answers": "yes_no",
                    "columns": [{"column": "Seen (ward)"}, {"column": "Seen (clinic)"}]}],
        survey="grid",
    )  # fmt: skip
    cohort = pd.DataFrame({"seen": pd.array([1, pd.NA], dtype="Int16")})
    rule = {"id": "b", "rule": "item_nonresponse"}
    assert RULES["item_nonresponse"].columns(
        cohort, questionnaire, rule, np.array([False, True])
    ) == [("seen ('Seen (ward)', 'Seen (clinic)')", 1)]


def test_the_rules_name_the_same_columns_from_what_they_read_alone():
    """clean_responses reads the responses a rule excluded with only the columns the rules read
    (``rule_inputs``: the questions, and the platform's test marks where the codebook names
    them), not every column of the batch: each rule's count and columns responsible are the
    same from those columns alone."""
    from dataclasses import replace

    from likertflow.cleaning import exclusion_counts
    from likertflow.coding import TEST_RESPONSE
    from likertflow.exclusions import rule_inputs

    plain = numeric.questionnaire()
    assert rule_inputs(plain) == plain.question_ids == ["age", "sex", "more"]
    q = replace(plain, export=replace(plain.export, test_responses={"Status": ("Spam",)}))
    assert rule_inputs(q) == ["age", "sex", "more", TEST_RESPONSE]
    na = pd.NA
    data = numeric.cohort([17, na, 40, 50, 30], [1, 1, 1, 1, 2], [1, 1, na, 1, 1])
    data[TEST_RESPONSE] = pd.Series([na, na, na, "Status: Spam", na], dtype="str")
    data["response_id"] = pd.Series(list("abcde"), dtype="str")  # read by no rule
    data["started"] = pd.to_datetime(["2020-01-01"] * 5)
    rules = [
        {"id": "previews", "rule": "platform_test"},
        {"id": "under_18", "rule": "less_than", "question": "age", "value": 18},
        {"id": "blank", "rule": "item_nonresponse"},
    ]
    reason, _ = apply_exclusions(data, q, rules)
    assert reason.tolist() == ["under_18", "blank", "blank", "previews", ""]
    everything = exclusion_counts(data, q, rules, reason)
    assert all(count.columns for count in everything)
    assert exclusion_counts(data[rule_inputs(q)], q, rules, reason) == everything
