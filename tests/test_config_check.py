"""Config names that the codebook lacks stop the workflow at start-up, each one named."""

import copy

import pytest
import yaml
from conftest import REPO
from likertflow.config_check import ConfigError, check_references, question_ids


@pytest.fixture(scope="module")
def shipped():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    codebook = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    return config, codebook


def test_shipped_config_is_consistent(shipped):
    check_references(*shipped)


def test_statements_expand_into_question_ids(shipped):
    _, codebook = shipped
    ids = question_ids(codebook, "experts")
    assert ids[:2] == ["role", "years_experience"]
    assert "upset" in ids and ids[-1] == "good_idea"


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
def test_unknown_names_are_reported(shipped, edit, named):
    config, codebook = copy.deepcopy(shipped)
    edit(config)
    with pytest.raises(ConfigError, match=named):
        check_references(config, codebook)
