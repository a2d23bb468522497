"""Time each export format's reader on a large export (run by hand, not a test).

    .venv/bin/python benchmarks/reader_benchmark.py [--rows 1000000] [--runs 3]
        [--formats csv qualtrics ...]

Builds, in a temporary directory, ``--rows`` random patients (tests/support/exportkit.py) laid
out as each platform does (tests/support/platformkit.py, with its metadata columns), writes the
file once, and prints the median of ``--runs`` reads through ``likertflow.platforms.read_export``
(the reader registry: parse, name columns, drop metadata, codes to labels) and of the validation,
plus the file's size and the time taken to write it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "workflow" / "scripts"), str(REPO / "tests")]

from likertflow.ingest import validate_export  # noqa: E402
from likertflow.platforms import read_export  # noqa: E402
from support import exportkit, platformkit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", nargs="+", default=list(platformkit.LAYOUTS))
    args = parser.parse_args()
    q = exportkit.questionnaire("patients")
    answers = exportkit.random_answers(q, args.rows, seed=1, blank_rate=0.02, unfinished_rate=0.05)
    export = exportkit.export_frame(q, answers)
    print(f"{args.rows:,} rows of patients ({len(export.columns)} codebook columns)")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.formats:
            layout = platformkit.LAYOUTS[name](q, export)
            if layout.dictionary is not None:
                layout.dictionary.to_csv(Path(tmp) / "dictionary.csv", index=False)
                layout.export["data_dictionary"] = str(Path(tmp) / "dictionary.csv")
            path = Path(tmp) / f"{name}{platformkit.EXTENSION.get(name, '.csv')}"
            started = time.perf_counter()
            platformkit.write(layout, path)
            written = time.perf_counter() - started
            q_format = platformkit.questionnaire_for(layout, "patients")
            reads, validations = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                read = read_export(path, q_format)
                reads.append(time.perf_counter() - started)
                started = time.perf_counter()
                validate_export(read.frame, q_format, str(path), read.rows, read.names)
                validations.append(time.perf_counter() - started)
            print(
                f"{name:>18}: read median {statistics.median(reads):6.2f} s, validate "
                f"{statistics.median(validations):5.2f} s over {args.runs} runs "
                f"({path.stat().st_size / 1e6:.0f} MB, written in {written:.0f} s)",
                flush=True,
            )
            path.unlink()


if __name__ == "__main__":
    main()
