"""`snakemake --configfile FILE` runs FILE alone: nothing of config/config.yaml is merged in."""

from __future__ import annotations

import pytest
import yaml
from conftest import copy_workflow, run_snakemake

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
    often has neither. The run must not fail on them (adjust_pvalues concatenated nothing) nor
    print input-function errors for the figures it does not make."""
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
