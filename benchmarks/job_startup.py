"""What one Snakemake job costs before it does any work: the start-up a late batch pays per job.

    .venv/bin/python benchmarks/job_startup.py [--jobs 20] [--runs 3]

Builds a throwaway workflow in a temporary folder whose rule runs a script that imports what
every likertflow job imports (pandas, pyarrow.parquet, the library's ``run_step``) and writes
one byte, the way the workflow's rules run their scripts (``script:``, a log, one core). Runs it
with no job and with ``--jobs`` jobs, alternating, and prints the CPU-seconds (user + system of
Snakemake and every job) of each run and the median per job:

    per job = (CPU of N jobs - CPU of no job) / N

This is the floor under any step the workflow runs as a job of its own (round 11 in
benchmarks/README.md uses it to bound what a late batch can cost). Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAKEFILE = """\
import os

rule all:
    input:
        expand("out/{i}.txt", i=range(int(os.environ["STUB_JOBS"]))),

rule job:
    output:
        "out/{i}.txt",
    log:
        "logs/{i}.log",
    script:
        "scripts/job.py"
"""
SCRIPT = f"""\
import sys

sys.path.insert(0, {str(ROOT / "workflow" / "scripts")!r})
import pandas  # noqa: F401  (every job of the workflow imports these)
import pyarrow.parquet  # noqa: F401
from likertflow.errors import run_step


def main(snakemake):
    with open(snakemake.output[0], "w") as out:
        out.write("x")


run_step(main, snakemake)
"""


def cpu_of_run(folder: Path, jobs: int) -> float:
    """CPU-seconds (user + system) of one cold ``snakemake`` run of ``jobs`` stub jobs."""
    for name in ("out", "logs", ".snakemake"):
        shutil.rmtree(folder / name, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [str(Path(sys.executable).parent / "snakemake"), "--cores", "1", "-q"],
        cwd=folder,
        env={**os.environ, "STUB_JOBS": str(jobs)},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="likertflow-startup-") as tmp:
        folder = Path(tmp)
        (folder / "scripts").mkdir()
        (folder / "Snakefile").write_text(SNAKEFILE, encoding="utf-8")
        (folder / "scripts" / "job.py").write_text(SCRIPT, encoding="utf-8")
        per_job = []
        for run in range(args.runs):
            empty = cpu_of_run(folder, 0)
            full = cpu_of_run(folder, args.jobs)
            per_job.append((full - empty) / args.jobs)
            print(
                f"run {run + 1}: no job {empty:.2f} CPU-s, {args.jobs} jobs {full:.2f} CPU-s, "
                f"{per_job[-1]:.3f} CPU-s a job"
            )
    print(f"median: {statistics.median(per_job):.3f} CPU-s a job ({args.runs} runs)")


if __name__ == "__main__":
    main()
