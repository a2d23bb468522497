"""Clear messages for the run itself, and nothing half-written (issue 18): a raw_exports pattern
that matches no export, results/ that cannot be written, a job that cannot write its output, a
lock held by a live run (and --unlock refused under it), and a report that fails while it is
written. Each says what and where, without a traceback, and leaves no truncated file.

A full disk is stood in for by a file size limit (``ulimit -f``: writes beyond it fail with
EFBIG, as they fail with ENOSPC on a full disk), which works for root, who may write anywhere.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_workflow, run_snakemake
from support import exportkit

pytestmark = pytest.mark.slow

RECORD = Path(".snakemake") / "likertflow" / "run.json"


def small_study(workdir: Path, surveys=("patients", "experts")) -> Path:
    copy_workflow(workdir, with_data=False)
    for survey, n in (("patients", 40), ("experts", 30)):
        if survey in surveys:
            exportkit.make_export(workdir / "resources/raw" / survey / "week1.csv", survey, n, 2)
    return workdir


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A small study run to the end, with its report."""
    workdir = small_study(tmp_path_factory.mktemp("finished"))
    run_snakemake(workdir)
    run_snakemake(workdir, "--report", "results/report.html")
    return workdir


def limited(size: int):
    """A child process's file size limit (``ulimit -f``)."""

    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def snakemake(workdir: Path, *args: str, limit: int | None = None, timeout: float = 600):
    command = [sys.executable, "-m", "snakemake", "--cores", "1", *args]
    return subprocess.run(
        command, cwd=workdir, capture_output=True, text=True, timeout=timeout,
        preexec_fn=limited(limit) if limit else None,
    )  # fmt: skip


def test_a_pattern_matching_no_export_is_named_not_a_traceback(tmp_path):
    """No export of one questionnaire: the pattern and what it resolved to, at start-up and in
    the job that needs them ('No objects to concatenate' and a traceback before)."""
    workdir = small_study(tmp_path / "w", surveys=("patients",))
    (workdir / "resources/raw/experts").mkdir(parents=True, exist_ok=True)
    (workdir / "resources/raw/experts/notes.pdf").write_text("not an export")
    result = snakemake(workdir)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (
        "raw_exports 'resources/raw/{survey}/{batch}.{ext}' matches no export of questionnaire "
        "'experts': no file resources/raw/experts/{batch}.{ext}"
    ) in output
    assert "without an export's extension: notes.pdf" in output
    assert "resources/raw/experts/*.* (no export of experts matches raw_exports)" in output
    assert "Traceback" not in output and "No objects to concatenate" not in output


def test_a_file_where_results_writes_a_folder_is_named_at_start_up(finished, tmp_path):
    workdir = copy_workflow(tmp_path / "w", with_data=False)
    (workdir / "results").mkdir()
    (workdir / "results" / "tables").write_text("a file")
    result = snakemake(workdir)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "results/tables is a file, where the run writes a folder: move it away" in output
    assert "Traceback" not in output


def test_a_job_that_cannot_write_says_which_file_and_why(finished):
    """A figure larger than the disk lets it be (EFBIG here, ENOSPC on a full disk)."""
    target = "results/figures/figure1_patient_benefits.png"
    result = snakemake(finished, target, "--forcerun", "plot_likert", limit=60_000)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"cannot write {target}: File too large (EFBIG)" in output  # the file, not the job's
    assert "Traceback" not in output
    run_snakemake(finished)  # put it back for the other tests


def test_a_failed_report_leaves_the_report_that_was_there(finished):
    """The report is written to a temporary name and moved into place: a write that fails
    half-way (the disk full) leaves the previous report whole, and nothing beside it."""
    run_snakemake(finished)  # every result there, whatever the tests before did
    report = finished / "results" / "report.html"
    before = report.read_bytes()
    assert len(before) > 1_000_000
    result = snakemake(finished, "--report", "results/report.html", limit=500_000)
    assert result.returncode != 0
    assert report.read_bytes() == before
    assert [p.name for p in report.parent.iterdir() if p.name.startswith(".")] == []


def test_a_lock_held_by_a_live_run_is_named_and_unlock_refused(tmp_path):
    """A run paused mid-way (alive, holding the lock): a second start says so and names it, and
    --unlock is refused (it removed the live run's lock, and a third run then failed on lock
    files the first one removed). Once the run is killed, the lock is said to be safe to remove
    and --unlock removes it."""
    workdir = small_study(tmp_path / "w")
    run = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "1"],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.time() + 120
        while not (workdir / RECORD).exists() and run.poll() is None and time.time() < deadline:
            time.sleep(0.2)
        assert (workdir / RECORD).exists(), "the run did not record itself"
        os.kill(run.pid, signal.SIGSTOP)
        assert json.loads((workdir / RECORD).read_text())["pid"] == run.pid
        unlock = snakemake(workdir, "--unlock")
        output = unlock.stdout + unlock.stderr
        assert unlock.returncode != 0
        assert "Not unlocking. Another Snakemake run is still working in this folder" in output
        assert f"process {run.pid}" in output
        assert list((workdir / ".snakemake" / "locks").glob("*.lock"))  # still locked
        second = snakemake(workdir)
        output = second.stdout + second.stderr
        assert second.returncode != 0
        assert "Another Snakemake run is still working in this folder" in output
        assert "Do not use --unlock" in output
    finally:
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
    after = snakemake(workdir)
    output = after.stdout + after.stderr
    assert after.returncode != 0
    assert "locked by a run that is no longer running" in output and "safe to unlock" in output
    unlock = snakemake(workdir, "--unlock")
    assert unlock.returncode == 0
    assert not list((workdir / ".snakemake" / "locks").glob("*.lock"))
