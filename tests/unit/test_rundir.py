"""The folder a run works in (likertflow.rundir): who holds its lock, whether results/ can be
written; and the message of a job that cannot write (likertflow.errors). The workflow-level
cases are in tests/workflow/test_run_messages.py."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from types import SimpleNamespace

import pytest
from likertflow.errors import file_error, os_error_text, run_step
from likertflow.rundir import (
    LiveRunError,
    NotWritableError,
    check_lock,
    check_writable,
    lock_holder,
    record_run,
)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("a\n")
    (locks / "0.output.lock").write_text("b\n")
    return tmp_path


def record(folder, **changes):
    path = folder / ".snakemake" / "likertflow" / "run.json"
    entry = json.loads(path.read_text())
    entry.update(changes)
    path.write_text(json.dumps(entry))


def test_an_unlocked_folder_says_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert check_lock(["snakemake", "--unlock"]) is None


def test_a_live_holder_is_named_and_unlock_refused(folder):
    record_run()  # this test's own process: alive
    assert lock_holder().state == "alive"
    message = check_lock(["snakemake", "--cores", "1"])
    assert f"process {os.getpid()}" in message and "Do not use --unlock" in message
    with pytest.raises(LiveRunError, match="Not unlocking"):
        check_lock(["snakemake", "--unlock"])


def test_a_holder_that_ended_may_be_unlocked(folder):
    record_run()
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True)  # fmt: skip
    record(folder, pid=int(ended.stdout), process_start=None)
    assert lock_holder().state == "ended"
    assert "safe to unlock" in check_lock(["snakemake", "--unlock"])


def test_a_reused_process_id_is_not_the_holder(folder):
    record_run()
    record(folder, process_start="1")  # this process id, but not started then
    if os.path.isdir("/proc"):
        assert lock_holder().state == "ended"


def test_a_holder_on_another_host_or_unrecorded_is_said_to_be_unknown(folder):
    record_run()
    record(folder, host=socket.gethostname() + "-elsewhere")
    assert lock_holder().state == "elsewhere"
    assert "another machine" in check_lock(["snakemake", "--unlock"])
    (folder / ".snakemake" / "locks" / "1.output.lock").write_text("c\n")  # another run's lock
    assert lock_holder().state == "unknown"
    assert "no record says by which run" in check_lock(["snakemake"])


def test_results_that_cannot_hold_a_folder_are_named(tmp_path):
    (tmp_path / "results").mkdir()
    assert check_writable(tmp_path) is None
    (tmp_path / "results" / "figures").write_text("not a folder")
    with pytest.raises(NotWritableError, match="results/figures is a file"):
        check_writable(tmp_path)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOSPC, "(ENOSPC); the disk is full"),
        (errno.EROFS, "(EROFS); the disk is mounted read-only"),
        (errno.EACCES, "(EACCES); you may not write there"),
        (errno.EFBIG, "(EFBIG)"),
    ],
)
def test_a_file_error_names_the_file_the_reason_and_what_to_do(number, words):
    job = SimpleNamespace(output=["results/tables/a.csv"], input=["results/data/x.parquet"])
    error = OSError(number, os.strerror(number), "results/tables/a.csv")
    assert file_error(error, job) == f"cannot write results/tables/a.csv: {os_error_text(error)}"
    assert words in os_error_text(error)
    read = FileNotFoundError(errno.ENOENT, "No such file or directory", "results/data/x.parquet")
    assert file_error(read, job).startswith("cannot read results/data/x.parquet: No such file")


def test_a_job_that_cannot_write_ends_with_a_message_not_a_traceback(tmp_path, capsys):
    def main(snakemake):
        raise OSError(errno.ENOSPC, "No space left on device", snakemake.output[0])

    job = SimpleNamespace(
        log=[str(tmp_path / "job.log")], rule="tabulate_questions",
        output=["results/tables/a.csv"], input=[],
    )  # fmt: skip
    with pytest.raises(SystemExit) as ended:
        run_step(main, job)
    assert ended.value.code == 1
    shown = capsys.readouterr().err
    assert "cannot write results/tables/a.csv: No space left on device (ENOSPC)" in shown
    assert "Traceback" not in shown and "Traceback" not in (tmp_path / "job.log").read_text()
