"""Shared fixtures: the repository, the published values, and one full workflow run."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from likertflow.codebook import CodebookError, parse_codebook
from likertflow.references import ConfigError, check_references
from likertflow.schemas import CODEBOOK_SCHEMA, CONFIG_SCHEMA, validate

REPO = Path(__file__).resolve().parents[1]
WORKFLOW_PARTS = ["Snakefile", "config", "workflow", "resources", "profiles"]


def copy_workflow(destination: Path, with_data: bool = True) -> Path:
    """A runnable copy of the workflow (code, config, optionally the shipped exports)."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in WORKFLOW_PARTS:
        source = REPO / part
        if not source.exists():
            continue
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", *([] if with_data else ["*.csv"]))
            shutil.copytree(source, destination / part, ignore=ignore)
        else:
            shutil.copy2(source, destination / part)
    return destination


def run_snakemake(
    workdir: Path,
    *args: str,
    check: bool = True,
    cores: int | None = 2,
    timeout: float = 1200,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """The one way the tests run Snakemake: in ``workdir``, with this interpreter, on ``cores``
    (None: leave it to a profile given in ``args``), with ``env`` added to the environment; fail
    with its output if asked to."""
    cores_args = ["--cores", str(cores)] if cores else []
    command = [sys.executable, "-m", "snakemake", *cores_args, *args]
    result = subprocess.run(
        command, cwd=workdir, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    if check and result.returncode != 0:
        pytest.fail(f"snakemake {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


# What the workflow's start-up raises for a codebook inconsistent in itself, or a config naming
# what the codebook lacks.
START_UP_ERRORS = (CodebookError, ConfigError)


def start_up_checks(config: dict, codebook: dict) -> None:
    """The checks the workflow runs when it starts (common.smk): the schemas (which fill in the
    defaults), the codebook parsed (``CodebookError``), the config checked against it
    (``ConfigError``). The dicts given are left as they are."""
    config = validate(copy.deepcopy(config), CONFIG_SCHEMA, "config")
    codebook = validate(copy.deepcopy(codebook), CODEBOOK_SCHEMA, "codebook")
    check_references(config, parse_codebook(codebook))


def run_tool(*args: str) -> subprocess.CompletedProcess:
    """The ``likertflow`` command (``python -m likertflow_tools``), from the repository root, as
    pip installs it with requirements.txt; fails with its output."""
    command = [sys.executable, "-m", "likertflow_tools", *args]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"likertflow {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def shipped_yaml() -> tuple[dict, dict]:
    """The shipped config/config.yaml and config/codebook.yaml as read (copy before editing)."""
    return tuple(
        yaml.safe_load((REPO / "config" / name).read_text(encoding="utf-8"))
        for name in ("config.yaml", "codebook.yaml")
    )


@pytest.fixture(scope="session")
def published() -> dict:
    path = REPO / "resources" / "published" / "bmjopen2020_published_values.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory) -> Path:
    """The whole workflow run once on the shipped exports, as `snakemake --cores` would."""
    workdir = copy_workflow(tmp_path_factory.mktemp("shipped_run"))
    run_snakemake(workdir)
    return workdir
