"""The codebook model (likertflow.codebook): statements expanded into questions, and the
checks within the codebook that stop the workflow at start-up (codes used twice, skip logic
naming unknown questions or answers)."""

from __future__ import annotations

import copy
import re

import pytest
from conftest import START_UP_ERRORS, start_up_checks
from likertflow.codebook import parse_codebook
from support import filled


@pytest.mark.parametrize("repeat", ["code", "label"])
def test_answer_set_with_a_repeated_code_or_label_is_refused_at_start_up(shipped_yaml, repeat):
    config, codebook = copy.deepcopy(shipped_yaml)
    options = codebook["answer_sets"]["yes_no_unsure"]["options"]
    options[1][repeat] = options[0][repeat]  # "No" given the code (or label) of "Yes"
    with pytest.raises(START_UP_ERRORS, match=f"answer_sets.yes_no_unsure: {repeat}s used twice"):
        start_up_checks(config, codebook)


def test_statements_expand_into_question_ids(shipped_yaml):
    _, codebook = shipped_yaml
    ids = parse_codebook(filled.codebook(codebook))["experts"].question_ids
    assert ids[:2] == ["role", "years_experience"]
    assert "upset" in ids and ids[-1] == "good_idea"


@pytest.mark.parametrize(
    "edit, named",
    [
        (lambda q: q[1]["columns"][0]["asked_if"].update(had_imaging=["Yes", "Yeah"]), "'Yeah'"),
        (lambda q: q[1]["columns"][0].update(asked_if={"imaging": ["Yes"]}), "no such question"),
    ],
)
def test_skip_logic_names_known_questions_and_labels(shipped_yaml, edit, named):
    config, codebook = copy.deepcopy(shipped_yaml)
    edit(codebook["questionnaires"]["patients"]["questions"])
    with pytest.raises(START_UP_ERRORS, match=re.escape(named)):
        start_up_checks(config, codebook)


def test_poles_and_test_marks_are_parsed_into_the_model(shipped_yaml):
    from likertflow.codebook import Poles, check_codebook, parse_codebook

    codebook = copy.deepcopy(shipped_yaml[1])
    name = next(iter(codebook["answer_sets"]))
    codebook["answer_sets"][name]["poles"] = {"low": "disagree", "high": "agree"}
    survey = next(iter(codebook["questionnaires"]))
    codebook["questionnaires"][survey]["export"]["test_responses"] = {"Status": ["Survey Preview"]}
    codebook = filled.codebook(codebook)
    parsed = parse_codebook(codebook)[survey]
    answers = next(q.answers for q in parsed.questions if q.answers and q.answers.name == name)
    assert answers.poles == Poles("disagree", "agree")
    assert parsed.export.test_responses == {"Status": ("Survey Preview",)}
    assert parsed.export.metadata_columns[-1] == "Status"  # read, never analysed
    codebook["answer_sets"][name]["ordinal"] = False
    assert any("an unordered set" in p for p in check_codebook(codebook))


# --- The words of a scale's ends (poles) -----------------------------------------------------


def scale(labels, **spec):
    from likertflow.codebook import AnswerSet, Option

    options = tuple(Option(label, code) for code, label in enumerate(labels, 1))
    return AnswerSet("s", True, options, **spec)


@pytest.mark.parametrize(
    ("labels", "agree", "low", "high"),
    [
        (["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"], (), "disagree",
         "agree"),
        (["Never", "Rarely", "Sometimes", "Often", "Always"], ("Often", "Always"),
         "never or rarely", "often or always"),
        (["Much too little", "Too little", "About right", "Too much", "Much too much"], (),
         "too little", "too much"),
        (["Too little", "About right", "Too much"], (), "too little", "too much"),
        (["No", "Yes"], (), "no", "yes"),
        (["Very dissatisfied", "Dissatisfied", "Satisfied", "Very satisfied"], (), "dissatisfied",
         "satisfied"),
        (["0 - Not at all likely", *map(str, range(1, 10)), "10 - Extremely likely"], (),
         "0 to 4", "6 to 10"),
        (["Somewhat disagree", "Disagree", "Strongly disagree", "Neither", "Somewhat agree",
          "Agree", "Strongly agree"], (), "disagree", "agree"),
        (["Strongly disagree", "Disagree", "Agree", "Strongly agree"], ("Strongly agree",),
         "disagree", "agree"),
        (["Not NHS", "Partly", "NHS-funded", "Fully NHS"], (), "not NHS or partly",
         "NHS-funded or NHS"),
    ],
)  # fmt: skip
def test_poles_taken_from_the_labels_each_end_counts(labels, agree, low, high):
    ends = scale(labels, agree_labels=agree).ends
    assert (ends.low, ends.high) == (low, high)


def test_poles_given_in_the_codebook_are_used_as_written(shipped_yaml):
    from likertflow.codebook import parse_codebook
    from likertflow.schemas import CODEBOOK_SCHEMA, validate

    codebook = copy.deepcopy(shipped_yaml[1])
    codebook["answer_sets"]["agreement"]["poles"] = {"low": "against", "high": "in favour"}
    parsed = parse_codebook(validate(codebook, CODEBOOK_SCHEMA, "codebook"))
    ends = parsed["patients"].statements()[0].answers.ends
    assert (ends.low, ends.high) == ("against", "in favour")
    shipped = parse_codebook(validate(copy.deepcopy(shipped_yaml[1]), CODEBOOK_SCHEMA, "codebook"))
    ends = shipped["patients"].statements()[0].answers.ends  # derived: the shipped figures' words
    assert (ends.low, ends.high) == ("disagree", "agree")


def test_poles_on_an_unordered_answer_set_are_refused(shipped_yaml):
    from likertflow.codebook import check_codebook
    from likertflow.schemas import CODEBOOK_SCHEMA, validate

    codebook = copy.deepcopy(shipped_yaml[1])
    unordered = next(n for n, s in codebook["answer_sets"].items() if not s.get("ordinal"))
    codebook["answer_sets"][unordered]["poles"] = {"low": "a", "high": "b"}
    problems = check_codebook(validate(codebook, CODEBOOK_SCHEMA, "codebook"))
    assert any(f"answer_sets.{unordered}.poles" in problem for problem in problems)
