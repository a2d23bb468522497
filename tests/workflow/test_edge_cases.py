"""Edge cases run end to end: a cohort in which every response is excluded, a statement set
without statements, and a question asked only after a multi-wording question."""

from __future__ import annotations

import pytest
import yaml
from conftest import START_UP_ERRORS, copy_workflow, run_snakemake, start_up_checks
from likertflow.files import read_csv
from support import exportkit


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(data, path):
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.slow
def test_cohort_with_every_response_excluded_gives_clean_empty_results(tmp_path):
    workdir = copy_workflow(tmp_path / "run")
    config = load(workdir / "config" / "config.yaml")
    # every patient answers expert_patient (Yes, No or Unsure); the rule has no description
    everyone = ["Yes", "No", "Unsure"]
    config["exclusions"].insert(
        0, {"id": "everyone", "rule": "answered", "question": "expert_patient", "labels": everyone}
    )
    dump(config, workdir / "config" / "config.yaml")
    result = run_snakemake(workdir)
    # said on the console, not only in a job's log: every patients table will be empty
    console = result.stdout + result.stderr
    assert "WARNING patients: none of its 355 responses is left to analyse" in console
    assert "WARNING experts:" not in console
    flow = read_csv(workdir / "results" / "tables" / "participant_flow.csv")
    patients = flow[flow.survey == "patients"].set_index("stage")["n"]
    assert patients["analysed"] == 0
    assert (
        patients["excluded_everyone"]
        + patients["excluded_under_18"]
        + patients["excluded_item_nonresponse"]
        == patients["returned"]
    )
    tests = read_csv(workdir / "results" / "tables" / "comparisons.csv")
    of_patients = tests[tests.comparison.str.startswith("patients")]
    assert (of_patients.test == "none").all()
    assert of_patients.warning.str.contains("fewer than 2 groups").all()
    experts = tests[tests.comparison.str.startswith("experts")]
    assert (experts.test != "none").all()  # the other questionnaire is analysed as before
    models = read_csv(workdir / "results" / "tables" / "ordinal_models.csv")
    assert models.empty and "odds_ratio" in models.columns
    age = read_csv(workdir / "results" / "tables" / "table1_patient_age.csv")
    assert (age.n == 0).all() and (age.denominator == 0).all()


@pytest.mark.slow
def test_empty_statement_set_and_a_question_after_a_multi_wording_question(tmp_path):
    workdir = copy_workflow(tmp_path / "run", with_data=False)
    codebook = load(workdir / "config" / "codebook.yaml")
    codebook["statement_sets"]["extras"] = {"label": "Statements still to come"}
    patients = codebook["questionnaires"]["patients"]["questions"]
    # asked only of those who want to see their images: wants_to_see has three wordings
    position = next(i for i, q in enumerate(patients) if isinstance(q, dict) and q["id"] == "age")
    patients.insert(position, {
        "id": "would_share", "text": "Would you share your images with your family?",
        "answers": "yes_no_unsure",
        "columns": [{"column": "Would you share your images with your family?",
                     "asked_if": {"wants_to_see": ["Yes"]}}],
    })  # fmt: skip
    dump(codebook, workdir / "config" / "codebook.yaml")
    config = load(workdir / "config" / "config.yaml")
    config["tables"]["table8_would_share"] = {"survey": "patients", "questions": ["would_share"]}
    # a figure of a set without statements is refused at start-up, naming both
    config["likert_figures"]["figure9_extras"] = {"survey": "patients", "statement_set": "extras"}
    with pytest.raises(START_UP_ERRORS, match="figure9_extras: statement set 'extras' has no"):
        start_up_checks(config, codebook)
    del config["likert_figures"]["figure9_extras"]
    dump(config, workdir / "config" / "config.yaml")
    answers = {}
    for survey, n in [("patients", 150), ("experts", 60)]:
        q = exportkit.questionnaire(survey, workdir / "config" / "codebook.yaml")
        raw = workdir / "resources" / "raw" / survey / "export_1.csv"
        answers[survey] = exportkit.make_export(raw, q, n, seed=5)

    run_snakemake(workdir)

    table = read_csv(workdir / "results" / "tables" / "table8_would_share.csv")
    kept = answers["patients"][answers["patients"].age != "Under 18"]
    asked = kept[kept.wants_to_see == "Yes"]
    assert 0 < len(asked) < len(kept)
    assert (table.denominator == len(asked)).all()
    counts = asked.would_share.value_counts()
    assert dict(zip(table.response, table.n, strict=True)) == {
        label: int(counts.get(label, 0)) for label in table.response
    }
    summary = read_csv(workdir / "results" / "tables" / "agreement_summary.csv")
    assert "extras" not in set(summary.statement_set)  # no statements: no row, no mean
    assert {"benefits", "risks"} <= set(summary.statement_set)
