"""Errors a survey researcher can act on, and the entry point that reports them.

A step that meets bad input raises ``InputError`` naming the file, the row, the column, the value
and what was expected. ``run_step`` turns it into a plain message on stderr and in the job's log,
and a non-zero exit, instead of a traceback; any other exception is written with its traceback to
the job's log as well as the console. Either way Snakemake then removes the job's outputs, so
nothing half-written is left behind.
"""

from __future__ import annotations

import logging
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
    """Run a script's ``main(snakemake)`` with logging to its log file and readable input errors."""
    log_path = snakemake.log[0] if snakemake.log else None
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(message)s", handlers=handlers, force=True
    )
    log = logging.getLogger("likertflow")
    try:
        main(snakemake)
    except InputError as error:
        log.error("Input error in rule %s:\n%s", snakemake.rule, error)
        sys.exit(1)
    except Exception:
        # Not a problem with the input that we foresaw: keep the traceback, in the job's log
        # as well as on the console, for whoever reads the log later.
        log.exception("Unexpected error in rule %s", snakemake.rule)
        sys.exit(1)
    finally:
        for handler in handlers:
            handler.flush()
