"""Config names that the codebook lacks stop the workflow at start-up, each one named."""

import copy
import re

import pandas as pd
import pytest
from conftest import START_UP_ERRORS, start_up_checks
from likertflow.codebook import parse_codebook
from support import exportkit, filled, platformkit


def test_shipped_config_is_consistent(shipped_yaml):
    start_up_checks(*shipped_yaml)


@pytest.mark.parametrize(
    "edit, named",
    [
        (lambda c: c["tables"]["table1_patient_age"].update(questions=["agee"]), "'agee'"),
        (lambda c: c["tables"]["table3_expert_role"].update(survey="expert"), "'expert'"),
        (lambda c: c["comparisons"]["patients_by_age"].update(by="sex"), "'sex'"),
        (lambda c: c["comparisons"]["patients_vs_experts"]["outcomes"].append("trust"), "'trust'"),
        (lambda c: c["exclusions"][0].update(question="age_band"), "'age_band'"),
        (lambda c: c["likert_figures"]["figure3_patient_risks"].update(statement_set="x"), "'x'"),
    ],
)
def test_unknown_names_are_reported(shipped_yaml, edit, named):
    config, codebook = copy.deepcopy(shipped_yaml)
    edit(config)
    with pytest.raises(START_UP_ERRORS, match=named):
        start_up_checks(config, codebook)


def numeric_age(codebook):
    """The patients' age asked in years instead of bands."""
    for entry in codebook["questionnaires"]["patients"]["questions"]:
        if isinstance(entry, dict) and entry["id"] == "age":
            entry.pop("answers")
            entry.update(type="numeric", min=0, max=120)


@pytest.mark.parametrize(
    "edit_config, edit_codebook, named",
    [
        # a misspelt exclusion label stops the run at start-up, not in the cleaning job
        (lambda c: c["exclusions"][0].update(labels=["Under 81"]), None, "'Under 81'"),
        (lambda c: c["comparisons"]["patients_by_age"].update(omit=["Unknown"]), None, "'Unknown'"),
        (lambda c: c["exclusions"][1].update(questions=["agee"]), None, "'agee'"),
        (
            lambda c: c["exclusions"][0].update(rule="less_than", value=18),
            None,
            "needs a numeric question",
        ),
        (
            lambda c: c.update(
                bands={"age": [{"label": "a", "from": 0}, {"label": "b", "from": 9}]}
            ),
            None,
            "no questionnaire has a numeric question 'age'",
        ),  # fmt: skip
        (None, numeric_age, "question 'age' is numeric; give it `bands`"),
        (None, numeric_age, "groups by numeric question 'age'"),
        (None, numeric_age, "exclusions.under_18: patients question 'age' is numeric"),
        (
            lambda c: c.update(
                bands={"age": [{"label": "a", "from": 9}, {"label": "b", "from": 0}]}
            ),
            numeric_age,
            "`from` must increase",
        ),
        (
            None,
            lambda b: b["answer_sets"]["agreement"]["options"][1].update(code=1),
            "answer_sets.agreement: codes used twice: 1",
        ),
        (
            None,
            lambda b: b["answer_sets"]["agreement"]["options"][0].update(export_code="2"),
            "answer_sets.agreement: export_codes used twice: 2",  # option 2's code, as text
        ),
        (
            None,
            lambda b: b["answer_sets"]["agreement"].update(agree=["Agree", "Unsure"]),
            "'Unsure' is not an on-scale answer",
        ),
        (
            None,
            lambda b: b["statement_sets"]["risks"].update(answers="frequency"),
            "unknown answer set 'frequency'",
        ),
    ],
)
def test_startup_checks_of_labels_bands_and_answer_sets(
    shipped_yaml, edit_config, edit_codebook, named
):
    config, codebook = copy.deepcopy(shipped_yaml)
    if edit_config:
        edit_config(config)
    if edit_codebook:
        edit_codebook(codebook)
    with pytest.raises(START_UP_ERRORS, match=re.escape(named)):
        start_up_checks(config, codebook)


def test_banded_numeric_age_passes(shipped_yaml):
    config, codebook = copy.deepcopy(shipped_yaml)
    numeric_age(codebook)
    config["bands"] = {
        "age": [{"label": "18–24", "from": 18}, {"label": "25 and over", "from": 25}]
    }
    config["exclusions"][0] = {
        "id": "under_18",
        "rule": "less_than",
        "question": "age",
        "value": 18,
    }
    config["comparisons"]["patients_by_age"]["omit"] = ["25 and over"]
    start_up_checks(config, codebook)


@pytest.mark.parametrize(
    "rule, value, stopped",
    [
        ("less_than", 121, True),  # every age 0-120 is below 121
        ("greater_than", -1, True),  # every age is above -1
        ("less_than", 120, False),  # keeps 120
        ("greater_than", 0, False),  # keeps 0
        ("less_than", 18, False),
    ],
)
def test_a_threshold_that_excludes_every_valid_answer_stops_the_run(
    shipped_yaml, rule, value, stopped
):
    config, codebook = copy.deepcopy(shipped_yaml)
    numeric_age(codebook)  # age in years, 0 to 120
    config["bands"] = {"age": [{"label": "a", "from": 0}, {"label": "b", "from": 18}]}
    config["exclusions"][0] = {"id": "age_rule", "rule": rule, "question": "age", "value": value}
    if not stopped:
        start_up_checks(config, codebook)
        return
    with pytest.raises(START_UP_ERRORS) as raised:
        start_up_checks(config, codebook)
    message = str(raised.value)
    assert "exclusions.age_rule" in message and "would exclude every answer" in message
    assert "from 0 to 120" in message


def test_export_blocks_are_checked_at_start_up(tmp_path):
    from likertflow.references import check_exports

    q = exportkit.questionnaire("patients")
    codebook = platformkit.codebook_for(platformkit.LAYOUTS["csv"](q, pd.DataFrame()), "patients")
    assert check_exports({}, parse_codebook(filled.codebook(codebook))) == []
    export = codebook["questionnaires"]["patients"]["export"]
    export |= {"data_dictionary": str(tmp_path / "none.csv"), "statement_columns": {"nope": "Q1"}}
    problems = check_exports({}, parse_codebook(filled.codebook(codebook)))
    assert len(problems) == 2 and "none.csv" in problems[0] and "'nope'" in problems[1]
