"""R for the live cross-checks: Rscript (or the LIKERTFLOW_RSCRIPT launcher) if it can load the
packages a check needs, else None (the check then skips, and its stored numbers still hold)."""

from __future__ import annotations

import os
import shutil
import subprocess


def rscript(*packages: str) -> str | None:
    """The command that runs R with ``packages`` loadable, or None."""
    command = os.environ.get("LIKERTFLOW_RSCRIPT") or shutil.which("Rscript")
    if not command:
        return None
    loads = "; ".join(f"library({name})" for name in packages) or "invisible(0)"
    probe = subprocess.run([command, "-e", loads], capture_output=True, text=True)
    return command if probe.returncode == 0 else None
