"""Errors a survey researcher can act on, and the entry point that reports them.

A step that meets bad input raises ``InputError`` naming the file, the row, the column, the value
and what was expected. ``run_step`` turns it into a plain message on stderr and in the job's log,
and a non-zero exit, instead of a traceback; any other exception is written with its traceback to
the job's log as well as the console. Either way Snakemake then removes the job's outputs, so
nothing half-written is left behind.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem with the input: where it is, what was found and what was expected."""

    file: str
    expected: str
    row: int | None = None  # the row as seen in the file (spreadsheet row, header rows counted)
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        found = "" if self.value is None else f": found {self.value!r}"
        return f"{', '.join(where)}{found}; expected {self.expected}"


class InputError(Exception):
    """Bad input, described by one or more ``Problem``s."""

    def __init__(self, summary: str, problems: list[Problem] | None = None, limit: int = 20):
        self.summary = summary
        self.problems = list(problems or [])
        lines = [summary]
        lines += [f"  - {problem}" for problem in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more problems of the same kind")
        super().__init__("\n".join(lines))


def run_step(main: Callable[[object], None], snakemake) -> None:
    """Run a script's ``main(snakemake)`` with logging to its log file and readable input errors.

    A file that cannot be written or read (a full disk, a read-only folder) is a message naming
    the file, the system's reason and its errno name, and what to do, not a traceback."""
    log_path = snakemake.log[0] if snakemake.log else None
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        try:
            handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
        except OSError as error:  # logs/ not writable: say so, and go on with the console
            print(f"likertflow: cannot write the log {log_path}: {error.strerror}", file=sys.stderr)
    # Our own messages from INFO up; other libraries' only from WARNING up (fontTools alone
    # logs some 250 INFO lines of font subsetting for every figure saved as PDF).
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(message)s", handlers=handlers, force=True
    )
    log = logging.getLogger("likertflow")
    log.setLevel(logging.INFO)
    try:
        main(snakemake)
    except InputError as error:
        log.error("Input error in rule %s:\n%s", snakemake.rule, error)
        sys.exit(1)
    except OSError as error:
        log.error("Error in rule %s: %s", snakemake.rule, file_error(error, snakemake))
        sys.exit(1)
    except Exception:
        # Not a problem with the input that we foresaw: keep the traceback, in the job's log
        # as well as on the console, for whoever reads the log later.
        log.exception("Unexpected error in rule %s", snakemake.rule)
        sys.exit(1)
    finally:
        for handler in handlers:
            handler.flush()


def file_error(error: OSError, snakemake=None) -> str:
    """An OSError of a job as a person reads it: whether the file is one of the job's outputs
    (cannot write) or inputs (cannot read), the system's reason and errno name, and what to do
    (likertflow.rundir.os_error_text)."""
    path = error.filename
    outputs = [os.path.normpath(str(f)) for f in getattr(snakemake, "output", [])]
    inputs = [os.path.normpath(str(f)) for f in getattr(snakemake, "input", [])]
    where = os.path.normpath(str(path)) if path is not None else None
    writing = error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)
    if where in outputs or (where is None and writing):
        verb = "cannot write"
    elif where in inputs:
        verb = "cannot read"
    else:
        verb = "cannot use"
    if where is None:  # written through a file object (an image library): the job's outputs
        where = " or ".join(outputs) if verb == "cannot write" and outputs else "a file"
    return f"{verb} {where}: {os_error_text(error)}"


def os_error_text(error: OSError) -> str:
    """An OSError as a person reads it: the system's reason, its errno name, and what to do for
    the reasons a run meets (a full disk, a read-only folder or disk, a file too large)."""
    name = errno.errorcode.get(error.errno or 0, "")
    reason = f"{error.strerror or error}" + (f" ({name})" if name else "")
    advice = {
        errno.ENOSPC: "the disk is full: free space on it, then run again",
        errno.EDQUOT: "your disk quota is used up: free space, then run again",
        errno.EROFS: "the disk is mounted read-only: run in a folder on a writable disk",
        errno.EACCES: "you may not write there: check the folder's permissions and owner",
        errno.EPERM: "you may not write there: check the folder's permissions and owner",
        errno.EFBIG: "the file is larger than the file system or a limit (ulimit -f) allows",
        errno.ENOTDIR: "a file stands where a folder should be: move it away",
        errno.EEXIST: "a file stands where a folder should be: move it away",
    }.get(error.errno)
    return f"{reason}; {advice}" if advice else reason
