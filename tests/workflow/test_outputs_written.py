"""The one list of outputs (likertflow.outputs) against what a real run writes: every file
under results/, logs/ and .snakemake/ of a run of the shipped study, its report included, is
one the list describes."""

from __future__ import annotations

import pytest
from conftest import run_snakemake
from likertflow.outputs import output_of, shareable_files, written_files

pytestmark = pytest.mark.slow


def test_a_run_writes_nothing_the_list_lacks(shipped_run):
    if not (shipped_run / "results" / "report.html").exists():
        run_snakemake(shipped_run, "--report", "results/report.html")
    written = written_files(shipped_run)
    assert len(written) > 100
    assert [path for path in written if output_of(path) is None] == []
    shared = {
        path.parts[1] if len(path.parts) > 2 else path.name for path in shareable_files(shipped_run)
    }
    assert shared == {"tables", "figures", "checks", "report.html", "tables.docx", "tables.xlsx"}
