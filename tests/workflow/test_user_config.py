"""`snakemake --configfile FILE` runs FILE alone: nothing of config/config.yaml is merged in."""

from __future__ import annotations

import pytest
import yaml
from conftest import copy_workflow, run_snakemake
from likertflow_tools.draft import draft_codebook
from support import exportkit, platformkit

USER_CONFIG = {
    "codebook": "config/codebook.yaml",
    "raw_exports": "resources/raw/{survey}/{batch}.csv",
    "exclusions": [{"id": "item_nonresponse", "rule": "item_nonresponse"}],
    "tables": {"my_roles": {"survey": "experts", "questions": ["role"]}},
    "comparisons": {
        "experts_by_role": {
            "survey": "experts",
            "by": "role",
            "outcomes": ["communication"],
            "family": "mine",
        }
    },
    "likert_figures": {"my_risks": {"survey": "experts", "statement_set": "risks"}},
}


@pytest.mark.slow
def test_user_configfile_runs_alone(tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    (workdir / "my").mkdir()
    (workdir / "my" / "config.yaml").write_text(yaml.safe_dump(USER_CONFIG), encoding="utf-8")
    plan = run_snakemake(workdir, "-n", "--quiet", "rules", "--configfile", "my/config.yaml")
    rules = {line.split()[0]: int(line.split()[1]) for line in plan.stdout.splitlines()
             if len(line.split()) == 2 and line.split()[1].isdigit()}  # fmt: skip
    # Only the user's one table, comparison and Likert figure: the shipped study's seven tables,
    # seven comparisons and four figures are not merged in.
    assert rules["tabulate_questions"] == 1
    assert rules["compare_groups"] == 1
    assert rules["plot_likert"] == 1


@pytest.mark.slow
def test_user_configfile_typo_stops_at_startup_naming_it(tmp_path):
    workdir = copy_workflow(tmp_path / "wf", with_data=False)
    (workdir / "my").mkdir()
    typo = {"id": "young", "rule": "answered", "question": "age", "labels": ["Under 81"]}
    config = {**USER_CONFIG, "exclusions": [typo]}
    (workdir / "my" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = run_snakemake(workdir, "-n", "--configfile", "my/config.yaml", check=False)
    assert result.returncode != 0
    assert "'Under 81' is not an answer of patients question 'age'" in result.stdout + result.stderr


@pytest.mark.slow
def test_a_config_of_one_table_runs_and_writes_empty_comparison_tables(tmp_path):
    """Comparisons and Likert figures are optional (schema default {}): a survey's first run
    often has neither. The run must not fail on them (the comparisons job concatenates nothing)
    nor print input-function errors for the figures it does not make."""
    workdir = copy_workflow(tmp_path / "wf")
    (workdir / "my").mkdir()
    config = {key: USER_CONFIG[key] for key in ["codebook", "raw_exports", "tables"]}
    (workdir / "my" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = run_snakemake(workdir, "--cores", "2", "--configfile", "my/config.yaml")
    assert "Exception" not in result.stdout + result.stderr
    tables = workdir / "results" / "tables"
    assert (tables / "my_roles.csv").exists() and (tables / "agreement_summary.csv").exists()
    for name, first in [("comparisons", "comparison,outcome,test,"), ("posthoc", "comparison,")]:
        lines = (tables / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 and lines[0].startswith(first)


Q = exportkit.questionnaire("patients")


@pytest.mark.slow
def test_filled_draft_runs_the_workflow(tmp_path):
    """The README's steps: draft, decide the TODOs (label, a theme, skip logic), run."""
    from conftest import copy_workflow, run_snakemake

    workdir = copy_workflow(tmp_path / "run", with_data=False)
    raw = workdir / "resources/raw/patients"
    raw.mkdir(parents=True, exist_ok=True)
    path, reading = platformkit.random_export("qualtrics", raw, n=200)
    codebook, _ = draft_codebook(path, reading, "patients")
    # Decide the TODOs: names, one theme over the first three statements, the skip logic.
    questionnaire = codebook["questionnaires"]["patients"]
    questionnaire["label"] = "Patients"
    [set_id] = codebook["statement_sets"]
    codebook["statement_sets"][set_id]["label"] = "Potential benefits and risks"
    codebook["themes"] = {"benefit": {"label": "Benefit", "statement_set": set_id}}
    for statement in codebook["statements"][:3]:
        statement["theme"] = "benefit"
    ids = {q["text"]: q["id"] for q in questionnaire["questions"] if isinstance(q, dict)}
    had, saw = ids[Q.question("had_imaging").text], ids[Q.question("saw_images").text]
    for question in questionnaire["questions"]:
        if isinstance(question, dict):
            rule = {
                "Did you see your radiological images?": {had: ["Yes"]},
                "Did you want to see your radiological images?": {saw: ["Yes"]},
                "Would you have liked to see your radiological images?": {saw: ["No", "Unsure"]},
                "Would you like to see your radiological images?": {had: ["No", "Unsure"]},
            }.get(question["text"])
            if rule:
                question["columns"] = [{"column": question["text"], "asked_if": rule}]
    (workdir / "config/codebook.yaml").write_text(
        yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    statements = [s["id"] for s in codebook["statements"]]
    config = {
        "codebook": "config/codebook.yaml",
        "raw_exports": "resources/raw/{survey}/{batch}.{ext}",
        "exclusions": [
            {"id": "item_nonresponse", "description": "blank", "rule": "item_nonresponse"}
        ],
        "tables": {
            "ages": {
                "survey": "patients",
                "questions": [ids["What is your age? (years)"]],
                "title": "Age",
            }
        },
        "comparisons": {
            "by_expert": {
                "by": ids["Do you consider yourself to be an expert patient?"],
                "survey": "patients",
                "outcomes": ["benefit", statements[5]],
                "family": "main",
            }
        },
        "likert_figures": {
            "figure1": {"survey": "patients", "statement_set": set_id, "title": "Statements"}
        },
    }
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    run_snakemake(workdir)
    table = (workdir / "results/tables/ages.csv").read_text(encoding="utf-8")
    assert "55 and over" in table
