"""The library's layer contract (pyproject.toml, [tool.importlinter]; .ci/run runs it) holds on
the real tree, and breaks when a module imports up the layers or one platform module imports
another: shown on a copy of the library with one import planted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

LIBRARY = Path("workflow") / "scripts" / "likertflow"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter on the library under ``root``, with the contract of ``root/pyproject.toml``."""
    command = [Path(sys.executable).parent / "lint-imports", "--no-cache", "--no-logo"]
    env = {**os.environ, "PYTHONPATH": str(root / "workflow" / "scripts")}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


def test_the_library_keeps_its_layers():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, planted, broken",
    [
        # the codebook model importing what validates exports with it: an import upwards
        ("codebook.py", "from likertflow import ingest", "codebook -> likertflow.ingest"),
        # a platform importing an analysis
        ("platforms/redcap.py", "import likertflow.comparisons", "likertflow.comparisons"),
        # one platform module importing another: each format is its own module
        (
            "platforms/spss.py",
            "from likertflow.platforms import redcap",
            "likertflow.platforms.spss is not allowed to import likertflow.platforms.redcap",
        ),
    ],
)
def test_a_planted_import_breaks_the_contract(tmp_path, module, planted, broken):
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    shutil.copytree(
        REPO / LIBRARY, tmp_path / LIBRARY, ignore=shutil.ignore_patterns("__pycache__")
    )
    path = tmp_path / LIBRARY / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout and broken in result.stdout, result.stdout
