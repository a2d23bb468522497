"""The folder a run works in: who holds Snakemake's lock on it, and whether results/ can be
written.

Results. Snakemake creates each job's output folder and removes its old outputs before the job
starts, and fails with a traceback when results/ (or logs/) is read-only, or a file stands where
a folder should be. ``check_writable`` looks first, at start-up, and says which folder and why
(the system's reason, and its errno name), and warns when the disk holding results/ is nearly
full; a job that then fails to write (a disk filling up during the run) says so too
(``likertflow.errors.run_step``).

Lock. Who holds Snakemake's lock on this folder: a live run, or one that ended without unlocking.

Snakemake locks the folder it runs in by writing the files a run reads and writes into
``.snakemake/locks/*.lock``; the files say nothing of the process that wrote them. When a second
run finds them, Snakemake cannot tell a live run's lock from one left by a run killed
mid-way, and suggests ``--unlock`` for both. Unlocking under a live run lets two runs write the
same files at once (and a third one then fails on a lock file the first one removed).

So each run that takes the lock records itself (``record_run``, from the workflow's ``onstart``,
which Snakemake calls once the lock is taken): its process id, host, start and command line,
and which lock files are its own (name, inode, modification time), in
``.snakemake/likertflow/run.json``. A later start (``lock_holder``, at parse time) finds the
record that matches the lock files and checks whether that process is still alive on this
host (the same process id and the same process start time, so that a reused process id is not
taken for the run). ``check_lock`` then says which it is, and refuses ``--unlock`` while the run
holding the lock is alive.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from likertflow.errors import os_error_text

LOCKS = Path(".snakemake") / "locks"
RECORD = Path(".snakemake") / "likertflow" / "run.json"


class LiveRunError(RuntimeError):
    """Asked to unlock a folder whose lock a live run holds."""


class NotWritableError(RuntimeError):
    """results/ or logs/ cannot be written."""


# The folders a run writes (likertflow.outputs), and the disk space below which it warns.
WRITTEN = ("results", "logs")
LOW_SPACE = 500 * 2**20


def check_writable(root: Path = Path(".")) -> str | None:
    """Raise ``NotWritableError`` naming the folder if results/ or logs/ (or a folder of
    results/ that exists) cannot be written, or is a file; a warning when the disk holding
    results/ has little space left (None if not)."""
    for name in WRITTEN:
        folder = root / name
        if not folder.exists():
            folder = root  # created by the run: the project folder must be writable
        folders = [folder]
        if folder.name == name:
            folders += [path for path in sorted(folder.iterdir()) if not path.is_symlink()]
        for path in folders:
            if not path.is_dir():
                if path.parent.name == "results" and path.suffix == "":
                    raise NotWritableError(
                        f"{path} is a file, where the run writes a folder: move it away"
                    )
                continue
            try:
                with tempfile.TemporaryFile(dir=path, prefix=".likertflow-probe-"):
                    pass
            except OSError as error:
                raise NotWritableError(
                    f"{path}/ cannot be written: {os_error_text(error)}. The run writes its "
                    "results to results/ and its logs to logs/ in this folder"
                ) from None
    free = shutil.disk_usage(root / "results" if (root / "results").is_dir() else root).free
    if free < LOW_SPACE:
        return (
            f"the disk holding results/ has {free / 2**20:,.0f} MB free: a run may fill it "
            "(free space first)"
        )
    return None


@dataclass(frozen=True)
class Holder:
    """What is known of the lock's holder."""

    state: str  # "alive", "ended", "elsewhere" (another host), "unknown" (no matching record)
    pid: int | None = None
    host: str | None = None
    started: str | None = None  # when the run started, local time
    command: str | None = None


def _lock_files(locks: Path) -> list[dict]:
    files = []
    for path in sorted(locks.glob("*.lock")) if locks.is_dir() else []:
        try:
            status = path.stat()
        except OSError:  # removed meanwhile
            continue
        files.append({"name": path.name, "inode": status.st_ino, "mtime_ns": status.st_mtime_ns})
    return files


def _process_start(pid: int) -> str | None:
    """When a process started (Linux: field 22 of /proc/<pid>/stat, clock ticks since boot);
    None where the system does not say, or the process does not exist."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[19] if len(fields) > 19 else None


def _alive(pid: int, process_start: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        pass
    if process_start is not None and Path("/proc").is_dir():
        return _process_start(pid) == process_start
    return True


def record_run(locks: Path = LOCKS, record: Path = RECORD) -> None:
    """Record this process as the holder of the lock files now in ``locks`` (called once the
    run holds the lock)."""
    pid = os.getpid()
    entry = {
        "pid": pid,
        "host": socket.gethostname(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "process_start": _process_start(pid),
        "command": " ".join(sys.argv),
        "locks": _lock_files(locks),
    }
    record.parent.mkdir(parents=True, exist_ok=True)
    temporary = record.with_suffix(f".{pid}.tmp")
    temporary.write_text(json.dumps(entry, indent=1), encoding="utf-8")
    os.replace(temporary, record)


def lock_holder(locks: Path = LOCKS, record: Path = RECORD) -> Holder | None:
    """The holder of the lock files in ``locks``; None when the folder is not locked."""
    files = _lock_files(locks)
    if not files:
        return None
    try:
        entry = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Holder("unknown")
    if not isinstance(entry, dict) or entry.get("locks") != files:
        return Holder("unknown")  # the lock files are not those the recorded run took
    details = {key: entry.get(key) for key in ("pid", "host", "started", "command")}
    if entry.get("host") != socket.gethostname():
        return Holder("elsewhere", **details)
    alive = _alive(int(entry["pid"]), entry.get("process_start"))
    return Holder("alive" if alive else "ended", **details)


def lock_message(holder: Holder) -> str:
    """What to say of a locked folder, and what to do about it."""
    run = (
        f"process {holder.pid} on {holder.host}, started {holder.started}: {holder.command}"
        if holder.pid is not None
        else ""
    )
    if holder.state == "alive":
        return (
            f"Another Snakemake run is still working in this folder ({run}). Do not use "
            "--unlock: it is only for the lock of a run that has ended (a crash, a kill, a "
            "power cut). Wait for this run to end, or stop it (Ctrl-C in its terminal, or "
            f"kill {holder.pid}), then run again. See docs/recovery.md."
        )
    if holder.state == "ended":
        return (
            f"The folder is locked by a run that is no longer running ({run}): it ended "
            "without unlocking (a crash, a kill, a power cut). It is safe to unlock: "
            "snakemake --unlock, then run again. See docs/recovery.md."
        )
    if holder.state == "elsewhere":
        return (
            f"The folder is locked by a run started on another machine ({run}). Check "
            f"whether it is still running there (ps -ef | grep snakemake on {holder.host}, or "
            "squeue on a cluster) before you use --unlock. See docs/recovery.md."
        )
    return (
        "The folder is locked, and no record says by which run (a run started before this "
        "record was kept, or with --no-hooks). Check that no Snakemake run is working in this "
        "folder (ps -ef | grep snakemake; squeue on a cluster) before you use --unlock. See "
        "docs/recovery.md."
    )


def check_lock(argv: list[str], locks: Path = LOCKS, record: Path = RECORD) -> str | None:
    """At start-up: the message about the folder's lock, if it is locked (None if not); raise
    ``LiveRunError`` when asked to ``--unlock`` while the run holding the lock is alive."""
    holder = lock_holder(locks, record)
    if holder is None:
        return None
    message = lock_message(holder)
    if holder.state == "alive" and "--unlock" in argv:
        raise LiveRunError(f"Not unlocking. {message}")
    return message
