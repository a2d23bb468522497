"""Compare two runs' results/tables/*.csv column by column, ignoring columns only one run has.

A results table is a contract: a change may add columns, never alter an existing one. Run the
workflow in two copies of the repository (before and after a change) and compare:

    python benchmarks/compare_results.py /tmp/before/results/tables /tmp/after/results/tables

For every CSV of the first directory it prints the columns added and removed, and each shared
column whose text differs in any row (the cells are compared as text, byte for byte, in row
order). Exit status 1 when a shared column differs, a column was removed, a table is missing or
a table's row count changed; added columns and tables are listed but allowed.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return (rows[0], rows[1:]) if rows else ([], [])


def compare(before: Path, after: Path) -> list[str]:
    """Problems found (empty: every shared column identical); prints a line per table."""
    problems = []
    for old_path in sorted(before.glob("*.csv")):
        new_path = after / old_path.name
        if not new_path.exists():
            problems.append(f"{old_path.name}: missing after")
            continue
        old_header, old_rows = read(old_path)
        new_header, new_rows = read(new_path)
        added = [c for c in new_header if c not in old_header]
        removed = [c for c in old_header if c not in new_header]
        changed = []
        if len(old_rows) != len(new_rows):
            problems.append(f"{old_path.name}: {len(old_rows)} rows before, {len(new_rows)} after")
        else:
            for column in old_header:
                if column in removed:
                    continue
                i, j = old_header.index(column), new_header.index(column)
                if any(old[i] != new[j] for old, new in zip(old_rows, new_rows, strict=True)):
                    changed.append(column)
        problems += [f"{old_path.name}: column {c} removed" for c in removed]
        problems += [f"{old_path.name}: column {c} differs" for c in changed]
        status = "differs" if changed or removed else "same"
        print(
            f"{old_path.name}: {len(old_rows)} rows, {len(old_header)} shared columns {status}"
            + (f"; added {', '.join(added)}" if added else "")
        )
    for new_path in sorted(after.glob("*.csv")):
        if not (before / new_path.name).exists():
            print(f"{new_path.name}: new table")
    return problems


if __name__ == "__main__":
    found = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    for problem in found:
        print("PROBLEM", problem)
    sys.exit(1 if found else 0)
