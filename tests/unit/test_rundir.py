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
from pathlib import Path
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


def test_the_record_names_this_process_and_its_lock_files(folder):
    from likertflow.rundir import _process_start

    record_run()
    path = folder / ".snakemake" / "likertflow" / "run.json"
    entry = json.loads(path.read_text(encoding="utf-8"))
    locks = folder / ".snakemake" / "locks"
    assert entry["locks"] == [
        {"name": name, "inode": (locks / name).stat().st_ino,
         "mtime_ns": (locks / name).stat().st_mtime_ns}
        for name in ("0.input.lock", "0.output.lock")
    ]  # fmt: skip
    assert (entry["pid"], entry["host"], entry["command"]) == (
        os.getpid(), socket.gethostname(), " ".join(sys.argv),
    )  # fmt: skip
    assert len(entry["started"]) == 19 and entry["started"][4] == "-"
    assert entry["process_start"] == _process_start(os.getpid())
    assert os.listdir(path.parent) == ["run.json"]  # no temporary file left behind
    holder = lock_holder()
    assert (holder.pid, holder.host, holder.started, holder.command) == (
        os.getpid(), socket.gethostname(), entry["started"], " ".join(sys.argv),
    )  # fmt: skip


def test_the_process_start_is_field_22_of_proc_stat():
    from likertflow.rundir import _process_start

    if not os.path.isdir("/proc"):
        pytest.skip("no /proc")
    with open("/proc/self/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    assert _process_start(os.getpid()) == fields[19]
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True)  # fmt: skip
    assert _process_start(int(ended.stdout)) is None


def test_another_users_process_is_alive(monkeypatch):
    from likertflow import rundir

    def kill(pid, signal):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(rundir.os, "kill", kill)
    assert rundir._alive(os.getpid(), None)
    assert rundir._alive(os.getpid(), rundir._process_start(os.getpid()))


@pytest.mark.parametrize("text", [None, "{not json", "[1, 2]", '{"pid": 1}'])
def test_a_missing_or_unreadable_record_leaves_the_holder_unknown(folder, text):
    from likertflow.rundir import Holder

    if text is not None:
        path = folder / ".snakemake" / "likertflow" / "run.json"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    assert lock_holder() == Holder("unknown")


def test_lock_messages_word_for_word():
    from likertflow.rundir import Holder, lock_message

    run = "process 42 on lab-7, started 2026-12-05 21:00:00: snakemake --cores 2"
    details = {"pid": 42, "host": "lab-7", "started": "2026-12-05 21:00:00",
               "command": "snakemake --cores 2"}  # fmt: skip
    assert lock_message(Holder("alive", **details)) == (
        f"Another Snakemake run is still working in this folder ({run}). Do not use --unlock: "
        "it is only for the lock of a run that has ended (a crash, a kill, a power cut). Wait "
        "for this run to end, or stop it (Ctrl-C in its terminal, or kill 42), then run again. "
        "See docs/recovery.md."
    )
    assert lock_message(Holder("ended", **details)) == (
        f"The folder is locked by a run that is no longer running ({run}): it ended without "
        "unlocking (a crash, a kill, a power cut). It is safe to unlock: snakemake --unlock, "
        "then run again. See docs/recovery.md."
    )
    assert lock_message(Holder("elsewhere", **details)) == (
        f"The folder is locked by a run started on another machine ({run}). Check whether it "
        "is still running there (ps -ef | grep snakemake on lab-7, or squeue on a cluster) "
        "before you use --unlock. See docs/recovery.md."
    )
    assert lock_message(Holder("ended")).startswith(
        "The folder is locked by a run that is no longer running (): it ended"
    )
    unknown = (
        "The folder is locked, and no record says by which run (a run started before this "
        "record was kept, or with --no-hooks). Check that no Snakemake run is working in this "
        "folder (ps -ef | grep snakemake; squeue on a cluster) before you use --unlock. See "
        "docs/recovery.md."
    )
    assert lock_message(Holder("unknown")) == unknown
    assert lock_message(Holder("unknown", **details)) == unknown


def test_only_unlock_under_a_live_run_is_refused(folder):
    from likertflow.rundir import lock_message

    record_run()
    message = lock_message(lock_holder())
    assert check_lock(["snakemake", "--cores", "1"]) == message
    with pytest.raises(LiveRunError) as refused:
        check_lock(["snakemake", "--unlock"])
    assert str(refused.value) == f"Not unlocking. {message}"
    record(folder, host="elsewhere")
    assert check_lock(["snakemake", "--unlock"]) == lock_message(lock_holder())


def test_a_folder_that_cannot_be_written_is_named_with_the_reason(tmp_path, monkeypatch):
    from likertflow import rundir

    (tmp_path / "results" / "tables").mkdir(parents=True)
    (tmp_path / "results" / "notes.txt").write_text("a file with a suffix is no folder's place")
    (tmp_path / "results" / "linked").symlink_to(tmp_path / "elsewhere")  # dangling: skipped
    probed = []
    real = rundir.tempfile.TemporaryFile

    def probe(dir, prefix):
        probed.append((os.path.relpath(dir, tmp_path), prefix))
        if os.path.basename(dir) == "tables":
            raise PermissionError(errno.EACCES, "Permission denied", dir)
        return real(dir=dir, prefix=prefix)

    monkeypatch.setattr(rundir.tempfile, "TemporaryFile", probe)
    error = PermissionError(errno.EACCES, "Permission denied")
    with pytest.raises(NotWritableError) as refused:
        check_writable(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path / 'results' / 'tables'}/ cannot be written: {os_error_text(error)}. The "
        "run writes its results to results/ and its logs to logs/ in this folder"
    )
    assert probed == [("results", ".likertflow-probe-"), ("results/tables", ".likertflow-probe-")]
    probed.clear()
    (tmp_path / "results" / "tables").rmdir()
    assert check_writable(tmp_path) is None
    assert probed == [("results", ".likertflow-probe-"), (".", ".likertflow-probe-")]


def test_a_nearly_full_disk_is_warned_of(tmp_path, monkeypatch):
    from likertflow import rundir

    asked = []

    def usage(path):
        asked.append(path)
        return SimpleNamespace(free=rundir.LOW_SPACE - 1)

    monkeypatch.setattr(rundir.shutil, "disk_usage", usage)
    warning = "the disk holding results/ has 500 MB free: a run may fill it (free space first)"
    assert check_writable(tmp_path) == warning
    (tmp_path / "results").mkdir()
    assert check_writable(tmp_path) == warning
    assert asked == [tmp_path, tmp_path / "results"]
    monkeypatch.setattr(rundir.shutil, "disk_usage", lambda path: SimpleNamespace(free=2**40))
    assert check_writable(tmp_path) is None
    monkeypatch.setattr(
        rundir.shutil, "disk_usage", lambda path: SimpleNamespace(free=rundir.LOW_SPACE)
    )
    assert check_writable(tmp_path) is None
    assert rundir.LOW_SPACE == 500 * 2**20


def test_a_record_elsewhere_is_written_and_read_there(folder, tmp_path_factory):
    """record_run creates the record's folders, may run twice, and check_lock reads the record
    it is given, not the default one."""
    from likertflow.rundir import Holder

    locks = folder / ".snakemake" / "locks"
    (locks / "0.dangling.lock").symlink_to(folder / "gone")  # removed meanwhile: skipped
    path = tmp_path_factory.mktemp("other") / "a" / "b" / "run.json"
    record_run(locks, path)
    record_run(locks, path)
    assert [lock["name"] for lock in json.loads(path.read_text())["locks"]] == [
        "0.input.lock", "0.output.lock",
    ]  # fmt: skip
    os.chdir(tmp_path_factory.mktemp("elsewhere"))  # the default paths hold nothing here
    with pytest.raises(LiveRunError):
        check_lock(["snakemake", "--unlock"], locks, path)
    entry = json.loads(path.read_text())
    path.write_text(json.dumps(entry | {"host": "lab-7"}))
    assert lock_holder(locks, path) == Holder(
        "elsewhere", pid=os.getpid(), host="lab-7", started=entry["started"],
        command=entry["command"],
    )  # fmt: skip


def test_asking_whether_a_run_is_alive_sends_it_no_signal():
    from likertflow.rundir import _alive

    child = subprocess.Popen(["sleep", "30"])
    try:
        assert _alive(child.pid, None)
        with pytest.raises(subprocess.TimeoutExpired):  # still running: not hung up on
            child.wait(timeout=0.5)
    finally:
        child.kill()
        child.wait()
    assert not _alive(child.pid, None)


def test_a_process_named_with_parentheses_and_other_bytes():
    """The process name (field 2 of /proc/<pid>/stat) may hold ")" and bytes that are not
    ASCII: the start time is still field 22, counted after the last ")"."""
    from likertflow.rundir import _process_start

    if not os.path.isdir("/proc"):
        pytest.skip("no /proc")
    name = "b'\\xe9t) x ) y'"
    code = (
        f"import ctypes, sys; ctypes.CDLL(None).prctl(15, {name}, 0, 0, 0); "
        "print('ready', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)  # fmt: skip
    try:
        assert child.stdout.readline() == b"ready\n"
        stat = Path(f"/proc/{child.pid}/stat").read_bytes()
        assert b"\xe9t) x ) y)" in stat
        fields = stat.rsplit(b")", 1)[1].split()
        assert _process_start(child.pid) == fields[19].decode()
    finally:
        child.kill()
        child.wait()
