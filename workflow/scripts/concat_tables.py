"""Concatenate the CSV files of each named input into the output of the same name.

Text is copied as it is (one header, then every file's rows in input order), so the values keep
the exact bytes their own step wrote. All files of one name must share the same header.
"""

import logging
from pathlib import Path

from likertflow.errors import InputError, Problem, run_step


def concatenate(paths: list[str], output: str) -> None:
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
    logging.info("%s: %d rows from %d files", output, len(rows), len(paths))


def main(snakemake):
    for name in snakemake.output.keys():
        concatenate(list(getattr(snakemake.input, name)), getattr(snakemake.output, name))


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
