"""Run `snakemake --lint` and allow only the documented note: rules have no conda environment.

The workflow pins one environment (requirements.txt, constraints.txt) instead of per-rule conda
environments (README, "Checks"), so Snakemake's conda note is expected; any other lint fails.
Usage (from the repository root): .venv/bin/python .ci/lint_workflow.py
"""

import re
import subprocess
import sys

ALLOWED = {"Specify a conda environment or container for each rule."}
NOTE = re.compile(r"^\s+\* (.+?):?$")

result = subprocess.run(
    [sys.executable, "-m", "snakemake", "--lint"], capture_output=True, text=True, timeout=600
)
output = result.stdout + result.stderr
notes = [m.group(1) for line in output.splitlines() if (m := NOTE.match(line))]
other = sorted(set(notes) - ALLOWED)
if "Traceback" in output or (result.returncode != 0 and not notes):
    sys.exit(f"snakemake --lint did not run:\n{output}")
if other:
    found = "\n  - ".join(other)
    sys.exit(f"snakemake --lint found more than the documented conda note:\n  - {found}")
print(f"snakemake --lint: only the documented conda note ({len(notes)} rules)")
