"""A survey in a folder of its own, outside the clone, run with the installed workflow, which is
neither copied nor edited (issue 20 item 9): as a Snakemake module, the way `snakedeploy
deploy-workflow` sets a deployment up (offline, from a local path), and in the plain form
`snakemake --snakefile <clone>/Snakefile --directory <survey>`. Results and logs land in the
survey folder; an exclusion rule that drops more than 10 % of the responses prints a WARNING
naming it; a YAML mistake in the survey's config is reported at its line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_snakemake
from support import exportkit, platformkit

pytestmark = pytest.mark.slow
SURVEY = "patients"


def tool(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "likertflow_tools", *args]
    # this checkout's tools, whichever checkout the environment was installed from: the draft
    # names its own workflow in the survey folder's Snakefile
    path = os.pathsep.join([str(REPO / "tools"), str(REPO / "workflow" / "scripts")])
    environment = {**os.environ, "PYTHONPATH": path}
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment)
    assert result.returncode == 0, f"likertflow {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def export(tmp_path: Path) -> Path:
    """A Qualtrics export of 120 random patients, a few answers left blank (2 % of each)."""
    q = exportkit.questionnaire(SURVEY)
    answers = exportkit.random_answers(q, 120, seed=11, blank_rate=0.02)
    layout = platformkit.LAYOUTS["qualtrics"](q, exportkit.export_frame(q, answers))
    return platformkit.write(layout, tmp_path / "downloads" / "export_2020-05-14.csv")


def strict_rule_too(folder: Path) -> None:
    """The config with the strict item non-response rule after the draft's: every response with
    a blank, far more than 10 % of them."""
    path = folder / "config" / "config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["exclusions"].append({"id": "any_blank", "rule": "item_nonresponse"})
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def assert_results_in(folder: Path) -> None:
    for made in ("results/tables/participant_flow.csv", "results/tables.docx",
                 f"results/audit/{SURVEY}.ledger.csv",
                 f"logs/clean_responses/{SURVEY}.log"):  # fmt: skip
        assert (folder / made).is_file(), made


def assert_warned(result: subprocess.CompletedProcess, folder: Path) -> None:
    """The WARNING names the rule, its count and the columns responsible, on the console and in
    the cleaning job's log."""
    log = (folder / "logs" / "clean_responses" / f"{SURVEY}.log").read_text(encoding="utf-8")
    for text in (result.stderr, log):
        warning = next(line for line in text.splitlines() if "exclusion rule 'any_blank'" in line)
        assert warning.startswith("WARNING ")
        assert "responses" in warning and "columns responsible:" in warning
        assert "exclusion_warning_share (10%)" in warning


def test_the_module_form_as_snakedeploy_sets_it_up(tmp_path):
    # snakedeploy reads the repository's Snakefile, config/ and profiles/: a copy of those is
    # the "clone" it deploys from; the module then points at the workflow itself.
    source = tmp_path / "likertflow"
    source.mkdir()
    shutil.copy2(REPO / "Snakefile", source / "Snakefile")
    for part in ("config", "profiles"):
        shutil.copytree(REPO / part, source / part)
    folder = tmp_path / "surveys" / "clinic"
    snakedeploy = Path(sys.executable).parent / "snakedeploy"
    subprocess.run(
        [snakedeploy, "deploy-workflow", str(source), str(folder), "--branch", "main"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    deployed = (folder / "workflow" / "Snakefile").read_text(encoding="utf-8")
    # From a local path snakedeploy writes the Snakefile's path relative to the repository,
    # which Snakemake reads from the deploying Snakefile's folder: point it at the clone.
    assert 'snakefile: \n        "Snakefile"' in deployed
    assert "use rule * from likertflow" in deployed
    deployed = deployed.replace('"Snakefile"', f'"{REPO / "Snakefile"}"')
    (folder / "workflow" / "Snakefile").write_text(deployed, encoding="utf-8")
    # snakedeploy copies the shipped study's config as a template: the draft replaces it.
    for name in ("config.yaml", "codebook.yaml"):
        (folder / "config" / name).unlink()
    tool("draft", str(export(tmp_path)), "--format", "qualtrics", "--survey", SURVEY,
         "--into", str(folder))  # fmt: skip
    assert (folder / "raw" / SURVEY / "export_2020-05-14.csv").is_file()
    strict_rule_too(folder)
    result = run_snakemake(folder)
    assert_results_in(folder)
    assert_warned(result, folder)


def test_the_plain_form_and_a_folder_the_draft_made(tmp_path):
    folder = tmp_path / "surveys" / "clinic"
    drafted = tool("draft", str(export(tmp_path)), "--format", "qualtrics", "--survey", SURVEY,
                   "--into", str(folder))  # fmt: skip
    assert "the exclusion rules keep" in drafted.stderr  # what the rules would drop, printed
    config = (folder / "config" / "config.yaml").read_text(encoding="utf-8")
    assert "# Which responses are left out" in config and "mostly_unanswered" in config
    assert tool("check", str(folder)).stdout.rstrip().endswith("accept this config and codebook")
    strict_rule_too(folder)
    result = run_snakemake(
        tmp_path, "--snakefile", str(REPO / "Snakefile"), "--directory", str(folder)
    )
    assert_results_in(folder)
    assert_warned(result, folder)
    assert not (tmp_path / "results").exists()  # nothing outside the survey folder
    # The module file the draft wrote runs the same workflow: nothing left to do.
    again = run_snakemake(folder, "-n")
    assert "Nothing to be done" in again.stdout + again.stderr


def test_a_yaml_mistake_in_the_survey_config_names_its_line(tmp_path):
    folder = tmp_path / "surveys" / "clinic"
    tool("draft", str(export(tmp_path)), "--format", "qualtrics", "--survey", SURVEY,
         "--into", str(folder))  # fmt: skip
    path = folder / "config" / "config.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("raw_exports:"))
    lines[at] = "raw_exports: raw/{survey}/{batch}.{ext}: oops"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for form in ([], ["--snakefile", str(REPO / "Snakefile"), "--directory", str(folder)]):
        result = run_snakemake(folder if not form else tmp_path, "-n", *form, check=False)
        assert result.returncode != 0
        assert f"config/config.yaml, line {at + 1}, column " in result.stderr + result.stdout
    checked = subprocess.run(
        [sys.executable, "-m", "likertflow_tools", "check", str(folder)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 1
    assert f"config/config.yaml, line {at + 1}, column " in checked.stderr
