"""Tables of several questionnaires or comparisons joined into one, as their steps wrote them."""

from __future__ import annotations

import logging
from pathlib import Path

from likertflow.errors import InputError, Problem

log = logging.getLogger(__name__)


def concatenate(paths: list[str], output: str) -> None:
    """Concatenate CSV files into ``output``: one header, then every file's rows in order, as
    text, so that values keep the exact bytes their own step wrote. All files must share the
    same header."""
    header = None
    rows: list[str] = []
    for path in paths:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        if not lines:
            raise InputError("Cannot concatenate tables", [Problem(path, "a CSV header")])
        if header is None:
            header = lines[0]
        elif lines[0] != header:
            problem = Problem(path, f"the header of {paths[0]}: {header}", row=0, value=lines[0])
            raise InputError("Tables to concatenate differ in their columns", [problem])
        rows.extend(lines[1:])
    Path(output).write_text("\n".join([header or "", *rows]) + "\n", encoding="utf-8")
    log.info("%s: %d rows from %d files", output, len(rows), len(paths))
