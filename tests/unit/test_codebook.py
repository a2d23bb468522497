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
    import copy

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
