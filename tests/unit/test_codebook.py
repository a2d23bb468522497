"""The codebook model (likertflow.codebook): statements expanded into questions, and the
checks within the codebook that stop the workflow at start-up (codes used twice, skip logic
naming unknown questions or answers)."""

from __future__ import annotations

import copy
import re

import pytest
import yaml
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


# --- The model's parts, each as a job reads it -------------------------------------------------

from likertflow.codebook import (  # noqa: E402
    AnswerSet,
    CodebookError,
    Column,
    DesignSpec,
    ExportSpec,
    Option,
    Question,
    Questionnaire,
    check_codebook,
    load_questionnaires,
    parse_export,
    parse_questionnaire,
    pole_words,
    questionnaire_codebook,
)


def agreement(**spec) -> AnswerSet:
    """Five points and an off-scale "Don't know" (code 9, exported as "DK")."""
    labels = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
    options = tuple(Option(label, code) for code, label in enumerate(labels, 1))
    return AnswerSet("agreement", True, (*options, Option("Don't know", 9, True, "DK")), **spec)


def test_an_answer_set_by_label_code_and_exported_code():
    answers = agreement()
    assert answers.labels[-1] == "Don't know" and answers.codes == [1, 2, 3, 4, 5, 9]
    assert answers.code_of["Agree"] == 4 and answers.label_of[9] == "Don't know"
    assert answers.label_of_exported == {
        "1": "Strongly disagree", "2": "Disagree", "3": "Neither", "4": "Agree",
        "5": "Strongly agree", "DK": "Don't know",
    }  # fmt: skip
    assert answers.scale_codes == [1, 2, 3, 4, 5]
    assert answers.scale_labels == answers.labels[:5]
    assert Option("Yes", 1).exported == "1" and Option("Yes", 1, export_code="A1").exported == "A1"


def test_agree_and_low_ends_leave_the_middle_out():
    assert agreement().agree_codes == [4, 5] and agreement().low_codes == [1, 2]
    four = AnswerSet("s", True, tuple(Option(str(c), c) for c in (1, 2, 3, 4)))
    assert four.agree_codes == [3, 4] and four.low_codes == [1, 2]
    assert agreement(agree_labels=("Strongly agree",)).agree_codes == [5]
    with pytest.raises(ValueError, match="^answer set 'sex' is not ordinal: no 'agree' end$"):
        _ = AnswerSet("sex", False, (Option("Woman", 1), Option("Man", 2))).agree_codes


@pytest.mark.parametrize(
    ("agree", "words"),
    [
        ((), "top two scale points"),
        (("Strongly agree",), "top scale point"),
        (("Neither", "Agree", "Strongly agree"), "top three scale points"),
        (("Disagree", "Neither", "Agree", "Strongly agree"), "top four scale points"),
        (("Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"),
         "top five scale points"),
        (("Agree",), "answers Agree"),
        (("Neither", "Strongly agree"), "answers Neither or Strongly agree"),
    ],
)  # fmt: skip
def test_how_agree_is_described(agree, words):
    assert agreement(agree_labels=agree).agree_description == words


def test_six_agree_points_are_named_by_their_answers():
    labels = [str(code) for code in range(1, 13)]
    answers = AnswerSet("s", True, tuple(Option(label, int(label)) for label in labels))
    assert answers.agree_description == "answers 7 or 8 or 9 or 10 or 11 or 12"


@pytest.mark.parametrize(
    ("labels", "words"),
    [
        (["1 - Low", "2 - Lower"], "low or lower"),  # two numbered: their words
        (["1", "2", "3"], "1 to 3"),
        (["1 = Never", "2: Rarely", "3. Sometimes"], "1 to 3"),
        (["-1) Worse", "0 – Same", "1 — Better"], "-1 to 1"),
        (["Not at all", "A little", "Somewhat"], "not at all to somewhat"),
        (["Very iPad", "NHS", "A"], "iPad to a"),
        (["  Strongly  ", "Very"], "strongly or very"),  # only intensity words: kept
        (["7"], "7"),
    ],
)
def test_pole_words(labels, words):
    assert pole_words(labels) == words


def test_a_reverse_keyed_statement_agrees_at_the_other_end():
    question = Question("q", "I worry", agreement(), (Column("Q1"),), reverse=True)
    assert question.keyed_agree_codes == [1, 2] and question.display_text == "I worry (R)"
    question = Question("q", "I worry", agreement(agree_labels=("Strongly agree",)), ())
    assert question.keyed_agree_codes == [5] and question.display_text == "I worry"
    question = Question("q", "I worry", agreement(agree_labels=("Agree",)), (), reverse=True)
    assert question.keyed_agree_codes == [2]
    question = Question(
        "q", "x", agreement(agree_labels=("Strongly agree", "Agree")), (), reverse=True
    )
    assert question.keyed_agree_codes == [1, 2]  # in scale order


EXPORT = {
    "format": "csv", "match": "text", "values": "labels", "delimiter": ",", "encoding": "utf-8",
    "statement_columns": {}, "test_responses": {},
}  # fmt: skip


def test_an_export_block_is_parsed_with_its_values_as_text():
    spec = parse_export(
        EXPORT | {"values": "codes", "finished_values": [1, True], "response_id": "Id",
                  "test_responses": {"Status": [1, "Spam"]}, "statement_columns": {"s": "Q1"},
                  "started": "Start", "completed": "End", "finished": "Done", "unknown": "x"}
    )  # fmt: skip
    assert spec.finished_values == ("1", "True") and spec.codes
    assert spec.test_responses == {"Status": ("1", "Spam")}
    assert spec.statement_columns == {"s": "Q1"}
    assert spec.metadata_columns == ["Id", "Start", "End", "Done", "Status"]
    plain = parse_export(EXPORT)
    assert plain.finished_values is None and not plain.codes and plain.metadata_columns == []
    assert plain == ExportSpec(**EXPORT)


def test_an_export_block_the_schema_did_not_fill_is_refused_naming_its_keys():
    with pytest.raises(CodebookError) as refused:
        parse_export({"format": "csv", "values": "labels", "statement_columns": {}})
    assert str(refused.value) == (
        "export block without match, delimiter, encoding, test_responses: parse the block as the "
        "codebook schema fills it (likertflow.schemas.validate, or export_defaults() for a "
        "partial one)"
    )


def test_the_columns_of_a_design_and_a_link_id():
    design = DesignSpec(weight="W", lonely_psu="adjust", strata="S", fpc="F")
    assert design.columns == {"_weight": "W", "_stratum": "S", "_fpc": "F"}
    export = parse_export(EXPORT | {"response_id": "Id"})
    questions = (Question("q", "Q?", agreement(), (Column("Q1"), Column("Q1b"))),)
    q = Questionnaire("s", "S", export, questions, design=design, link_id="Id")
    assert q.design_columns == {"_weight": "W", "_stratum": "S", "_fpc": "F", "_link": "Id"}
    assert q.export_columns == ["Id", "W", "S", "F", "Q1", "Q1b"]  # the id once
    bare = Questionnaire("s", "S", export, questions)
    assert bare.design_columns == {} and bare.export_columns == ["Id", "Q1", "Q1b"]
    with pytest.raises(KeyError, match="s questionnaire has no question 'age'"):
        bare.question("age")


def small_codebook() -> dict:
    """A codebook with two statement sets (one with its own answers and stem), a numeric
    question, skip logic, two themes (one of no statement here) and a design."""
    return {
        "answer_sets": {
            "agreement": {"ordinal": True, "options": [
                {"label": "Disagree", "code": 1}, {"label": "Agree", "code": 2}]},
            "yes_no": {"ordinal": False, "options": [
                {"label": "Yes", "code": 1, "export_code": "Y"}, {"label": "No", "code": 2}]},
        },
        "statement_answers": "agreement",
        "statement_sets": {
            "care": {"label": "Care"}, "other": {"label": "Other", "answers": "yes_no"}},
        "statement_stems": {"care": "About your care"},
        "themes": {
            "caring": {"label": "Caring", "statement_set": "care", "min_answered": 1},
            "all_care": {"label": "All care", "statement_set": "care", "min_answered": "all",
                         "encompasses": "caring"},
            "none": {"label": "None here", "statement_set": "care", "min_answered": "all"},
        },
        "statements": [
            {"id": "kind", "statement_set": "care", "theme": "caring",
             "wording": "Staff were kind"},
            {"id": "quick", "statement_set": "care", "theme": "all_care",
             "wording": "Care was quick", "reverse": True},
            {"id": "again", "statement_set": "other", "wording": "Would come again"},
        ],
        "questionnaires": {
            "patients": {
                "label": "Patients",
                "export": {"format": "csv", "statement_columns": {"kind": "Q7"}},
                "design": {"weight": "W", "clusters": "Ward"},
                "link_id": "Person",
                "questions": [
                    {"id": "seen", "text": "Were you seen?", "answers": "yes_no"},
                    {"id": "age", "text": "Age", "type": "numeric", "min": 16, "max": 99,
                     "optional": True},
                    {"id": "why", "text": "Why not?", "answers": "agreement",
                     "columns": [{"column": "Why", "asked_if": {"seen": ["No"]}}]},
                    "statements",
                ],
            },
            "staff": {"export": {"format": "csv"}, "questions": ["statements"]},
        },
    }  # fmt: skip


def test_a_questionnaire_is_parsed_into_its_model():
    parsed = parse_codebook(filled.codebook(small_codebook()))
    patients, staff = parsed["patients"], parsed["staff"]
    assert list(parsed) == ["patients", "staff"]
    assert (patients.label, staff.label) == ("Patients", "staff")  # else named by its id
    assert patients.question_ids == ["seen", "age", "why", "kind", "quick", "again"]
    seen, age, why, kind, quick, again = patients.questions
    assert seen.columns == (Column("Were you seen?"),) and seen.answers.name == "yes_no"
    assert (
        seen.answers.options[1] == Option("No", 2) and seen.answers.label_of_exported["Y"] == "Yes"
    )
    assert not seen.optional and not seen.numeric and seen.statement_set is None
    assert age.numeric and age.answers is None and age.optional
    assert (age.minimum, age.maximum) == (16, 99) and (seen.minimum, seen.maximum) == (None, None)
    assert why.columns == (Column("Why", (("seen", ("No",)),)),)
    assert kind.columns == (Column("Q7"),) and kind.text == "Staff were kind"
    assert quick.columns == (Column("About your care - Care was quick"),)
    assert again.columns == (Column("Would come again"),) and again.answers.name == "yes_no"
    assert (kind.theme, quick.theme, again.theme) == ("caring", "all_care", None)
    assert (kind.reverse, quick.reverse) == (False, True)
    assert (kind.statement_set, again.statement_set) == ("care", "other")
    assert [q.id for q in patients.statements("care")] == ["kind", "quick"]
    assert [q.id for q in patients.statements()] == ["kind", "quick", "again"]
    assert list(patients.themes) == ["caring", "all_care"]  # "none" has no statement here
    assert patients.themes["caring"].items == ("kind",)
    assert patients.themes["caring"].min_answered == 1
    assert patients.themes["caring"].encompasses is None
    assert patients.themes["all_care"].min_answered == 1  # all of its one statement
    assert patients.themes["all_care"].encompasses == "caring"
    assert patients.themes["all_care"].label == "All care"
    assert patients.themes["all_care"].statement_set == "care"
    assert patients.statement_sets == {"care": "Care", "other": "Other"}
    assert patients.design == DesignSpec(weight="W", lonely_psu="fail", clusters="Ward")
    assert (patients.link_id, staff.link_id, staff.design) == ("Person", None, None)
    assert patients.export.statement_columns == {"kind": "Q7"}


def test_themes_of_all_statements_count_them(tmp_path):
    codebook = small_codebook()
    codebook["statements"][1]["theme"] = "all_care"
    codebook["statements"][0]["theme"] = "all_care"
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(codebook), encoding="utf-8")
    themes = load_questionnaires(path)["patients"].themes
    assert themes["all_care"].min_answered == 2 and themes["all_care"].items == ("kind", "quick")


def test_one_questionnaires_codebook_is_the_shared_sections_and_its_own():
    codebook = filled.codebook(small_codebook())
    cut = questionnaire_codebook(codebook, "staff")
    assert "questionnaires" not in cut and cut["survey"] == "staff"
    assert cut["questions"] == ["statements"] and cut["statements"] == codebook["statements"]
    assert parse_questionnaire(cut) == parse_codebook(codebook)["staff"]


def test_a_codebook_the_schema_did_not_fill_is_named_where_it_is_parsed():
    with pytest.raises(CodebookError) as refused:
        parse_questionnaire({"survey": "staff", "answer_sets": {}})
    assert str(refused.value) == (
        "questionnaire 'staff': no 'export' where the codebook is parsed: parse a codebook as its "
        "schema fills it (likertflow.schemas.validate), after check_codebook"
    )
    with pytest.raises(CodebookError, match="^codebook: no 'questionnaires' where"):
        parse_codebook({"answer_sets": {}})


def test_every_problem_within_the_codebook_is_named():
    codebook = filled.codebook(small_codebook())
    assert check_codebook(codebook) == []
    options = codebook["answer_sets"]["yes_no"]["options"]
    options[1]["export_code"] = "Y"
    codebook["answer_sets"]["agreement"]["agree"] = ["Agreed"]
    codebook["statements"][2]["reverse"] = True  # of the unordered yes_no
    patients = codebook["questionnaires"]["patients"]
    patients["questions"][0]["answers"] = "yes"
    patients["questions"][2]["columns"][0]["asked_if"] = {"age": ["Old"], "again": ["Maybe", "Yes"]}
    patients["design"]["replicate_weights"] = ["R1", "R2"]
    codebook["statements"].append({**codebook["statements"][0], "id": "typo",
                                   "statement_set": "cares"})  # fmt: skip
    problems = check_codebook(codebook)
    assert problems == [
        "answer_sets.agreement.agree: 'Agreed' is not an on-scale answer (['Disagree', 'Agree'])",
        "answer_sets.yes_no: export_codes used twice: Y",
        "questionnaires.patients: question 'seen' names unknown answer set 'yes' (codebook has "
        "['agreement', 'yes_no'])",
        "statements: 'again' is reverse-keyed but its answer set 'yes_no' is not ordinal",
        "questionnaires.patients: 'why' asked_if 'age': a numeric question has no labels to "
        "condition on",
        "questionnaires.patients: 'why' asked_if 'again': 'Maybe' is not one of its answers "
        "(['Yes', 'No'])",
        "questionnaires.patients.design.replicate_weights: replicate weights (R1, R2) are not "
        "supported: declare the full-sample weight with its strata and clusters (Taylor "
        "linearisation), or analyse the data in R's survey package with svrepdesign()",
        "statements: 'again' is reverse-keyed but its answer set 'yes_no' is not ordinal",  # staff
        "statements: 'typo' names unknown statement_set 'cares' (codebook has ['care', 'other'])",
    ]
    with pytest.raises(CodebookError) as refused:
        parse_codebook(codebook)
    assert refused.value.problems == problems
    assert str(refused.value) == "the codebook is inconsistent:\n  - " + "\n  - ".join(problems)
    assert CodebookError("x").problems == []


def test_themes_designs_and_off_scale_answers_are_parsed_as_given():
    codebook = small_codebook()
    codebook["themes"] = {
        "none": codebook["themes"]["none"],  # of no statement here: skipped, the rest parsed
        "care": {"label": "Care", "statement_set": "care", "min_answered": 1},
    }
    for statement in codebook["statements"][:2]:
        statement["theme"] = "care"
    codebook["questionnaires"]["patients"]["design"] = {
        "weight": "W", "strata": "S", "clusters": "C", "fpc": "F", "lonely_psu": "adjust"
    }  # fmt: skip
    codebook["answer_sets"]["agreement"]["options"].append(
        {"label": "Don't know", "code": 9, "off_scale": True}
    )
    patients = parse_codebook(filled.codebook(codebook))["patients"]
    [care] = patients.themes.values()
    assert (care.id, care.items, care.min_answered) == ("care", ("kind", "quick"), 1)
    assert patients.design == DesignSpec("W", "adjust", strata="S", clusters="C", fpc="F")
    assert patients.question("why").answers.scale_labels == ["Disagree", "Agree"]
    assert patients.question("why").answers.options[-1].off_scale
    assert patients.question("seen").text == "Were you seen?"


def test_a_code_used_twice_is_named_once_with_every_repeat():
    codebook = filled.codebook(small_codebook())
    options = codebook["answer_sets"]["agreement"]["options"]
    options += [{"label": "A", "code": 1, "off_scale": False}, {"label": "B", "code": 2,
                "off_scale": False}]  # fmt: skip
    assert check_codebook(codebook) == ["answer_sets.agreement: codes used twice: 1, 2"]


def test_a_codebook_file_refused_by_its_schema_is_named(tmp_path):
    from likertflow.schemas import SchemaError

    path = tmp_path / "codebook.yaml"
    path.write_text("questionnaires: []\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=f"^{re.escape(str(path))}: "):
        load_questionnaires(path)
