"""The workflow on a SLURM cluster through profiles/slurm (issue: incremental re-analysis, point 4).

The cluster test needs a running cluster (`sinfo` answers); CI starts a one-node cluster with
.ci/slurm_up.sh, and .ci/run also runs the whole workflow through the profile and compares every
table with a local run byte for byte. Here a smaller target set checks the same on the way.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import copy_workflow, run_snakemake

PROFILE = ("--workflow-profile", "profiles/slurm")
SUBMISSION = re.compile(r"^(?:\[[^]]*\] Group job (\w+) |rule (\w+):$)")


def cluster_is_up() -> bool:
    if shutil.which("sinfo") is None:
        return False
    try:
        states = subprocess.run(
            ["sinfo", "--noheader", "--format=%T"], capture_output=True, text=True, timeout=10
        )
    except subprocess.TimeoutExpired:
        return False
    return states.returncode == 0 and bool(
        {"idle", "mixed", "allocated"} & set(states.stdout.split())
    )


def snakemake(workdir, *args, timeout=600) -> subprocess.CompletedProcess:
    # The plugin is installed for cluster use only (requirements-slurm.txt; .ci/run installs it).
    pytest.importorskip("snakemake_executor_plugin_slurm", reason="needs requirements-slurm.txt")
    return run_snakemake(workdir, *PROFILE, *args, cores=None, timeout=timeout)


@pytest.mark.slow  # over 3 s
def test_profile_sends_batches_alone_and_cheap_jobs_in_bundles(tmp_path):
    """A dry run through the profile (no cluster needed): one SLURM job per export batch, few
    for the many other jobs."""
    workdir = copy_workflow(tmp_path / "run")
    result = snakemake(workdir, "--dry-run")
    output = (result.stdout + "\n" + result.stderr).splitlines()
    total = next(int(line.split()[1]) for line in output if line.startswith("total "))
    submissions = [m.group(1) or m.group(2) for m in map(SUBMISSION.match, output) if m]
    submissions = [name for name in submissions if name != "all"]  # `all` runs locally
    assert {"cohort", "describe", "statistics", "figures"} <= set(submissions), submissions
    # Each export batch is a SLURM job of its own, its validation and its partial results
    # (issue 22: batches spread over nodes); the other jobs go out in bundles.
    batches = submissions.count("batch")
    assert batches == len(list((workdir / "resources/raw").glob("*/*.*")))
    bundled = len(submissions) - batches
    assert bundled <= (total - batches) / 3, f"{bundled} SLURM jobs for {total - batches} jobs"


@pytest.mark.slurm
@pytest.mark.slow
@pytest.mark.skipif(
    not cluster_is_up(), reason="no SLURM cluster (sinfo does not answer); .ci/run starts one"
)
def test_cluster_run_makes_the_local_tables(shipped_run, tmp_path):
    workdir = copy_workflow(tmp_path / "run")
    targets = ["results/tables/table3_expert_role.csv", "results/tables/theme_reliability.csv"]
    result = snakemake(workdir, *targets)
    assert "has been submitted with SLURM jobid" in result.stderr, "nothing went through SLURM"
    for target in targets:
        assert (workdir / target).read_bytes() == (shipped_run / target).read_bytes(), target
