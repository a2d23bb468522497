"""Recovery after a crash: a run killed with SIGKILL part-way (as by `kill -9` or a power cut)
leaves Snakemake's lock behind; after `snakemake --unlock` the next run redoes the jobs that were
cut short and gives the same results, byte for byte, as a run that was never interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_workflow, run_snakemake

pytestmark = pytest.mark.slow

COMPARED = ["results/tables", "results/figures", "results/audit"]


def kill_when(workdir: Path, pattern: str, timeout: float = 300) -> None:
    """Start a run and kill it, with every job it started, once a file matching ``pattern``
    appears under results/ (the run is then part-way: some jobs done, others running)."""
    command = [sys.executable, "-m", "snakemake", "--cores", "2"]
    process = subprocess.Popen(
        command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + timeout
    try:
        while not list((workdir / "results").glob(pattern)):
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, f"no {pattern} after {timeout} s"
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.parametrize("kill_after", ["ingest/*/*.parquet", "tables/table*.csv", "figures/*"])
def test_rerun_after_kill_is_byte_identical(kill_after, shipped_run, tmp_path):
    workdir = copy_workflow(tmp_path / "run")
    kill_when(workdir, kill_after)
    locked = run_snakemake(workdir, check=False)  # the lock of the killed run is still there
    assert locked.returncode != 0
    assert "Directory cannot be locked" in locked.stderr and "--unlock" in locked.stderr
    run_snakemake(workdir, "--unlock")
    run_snakemake(workdir)  # profiles/default sets rerun-incomplete: the cut-short jobs rerun
    for part in COMPARED:
        expected = sorted(
            p.relative_to(shipped_run) for p in (shipped_run / part).rglob("*") if p.is_file()
        )
        found = sorted(p.relative_to(workdir) for p in (workdir / part).rglob("*") if p.is_file())
        assert found == expected
        for path in expected:
            assert (workdir / path).read_bytes() == (shipped_run / path).read_bytes(), path
    assert "Nothing to be done" in run_snakemake(workdir, "-n").stdout
