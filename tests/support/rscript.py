"""R for the live cross-checks: Rscript (or the LIKERTFLOW_RSCRIPT launcher) if it can load the
packages a check needs, else None (the check then skips, and its stored numbers still hold)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def rscript(*packages: str) -> str | None:
    """The command that runs R with ``packages`` loadable, or None."""
    command = os.environ.get("LIKERTFLOW_RSCRIPT") or shutil.which("Rscript")
    if not command:
        return None
    loads = "; ".join(f"library({name})" for name in packages) or "invisible(0)"
    probe = subprocess.run([command, "-e", loads], capture_output=True, text=True)
    return command if probe.returncode == 0 else None


def run_live(script: str | Path, out: Path, *packages: str) -> Path:
    """``out``, written by the R ``script`` (run from the repository's root) with R that loads
    ``packages``; the calling test skips where there is no such R."""
    command = rscript(*packages)
    if command is None:
        missing = ", ".join(packages)
        pytest.skip(f"R with {missing} is not available (Rscript or LIKERTFLOW_RSCRIPT)")
    subprocess.run([command, str(script), str(out)], cwd=REPO, check=True, capture_output=True,
                   timeout=600)  # fmt: skip
    return out
