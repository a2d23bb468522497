"""Time ingest and cleaning on a large synthetic export (run by hand, not a test).

    .venv/bin/python benchmarks/ingest_benchmark.py [--rows 1000000] [--runs 3]

Writes, in a temporary directory, a valid export of ``--rows`` random patients (2% of asked
questions blank, 5% unfinished) made with tests/support/exportkit.py, plus a second batch
re-exporting 1% of them, then prints the median of ``--runs`` runs of each step: read (pandas'
pyarrow engine), validate (the pandera schema built from the codebook), code (labels -> Int16
codes) and clean (merge, repeated ids, exclusions, ledger and its check).
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

import pandas as pd  # noqa: E402
from likertflow.cleaning import check_ledger, clean  # noqa: E402
from likertflow.ingest import code_export, validate_export  # noqa: E402
from likertflow.platforms import read_export  # noqa: E402
from support import exportkit  # noqa: E402

EXCLUSIONS = [
    {"id": "under_18", "rule": "answered", "question": "age", "labels": ["Under 18"]},
    {"id": "item_nonresponse", "rule": "item_nonresponse"},
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--survey", default="patients")
    args = parser.parse_args()
    q = exportkit.questionnaire(args.survey)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        big = Path(tmp) / "week1.csv"
        small = Path(tmp) / "week2.csv"
        exportkit.make_export(big, q, args.rows, seed=1, blank_rate=0.02, unfinished_rate=0.05)
        exportkit.make_export(small, q, max(args.rows // 100, 1), seed=2, blank_rate=0.02)
        print(
            f"{args.rows:,} + {max(args.rows // 100, 1):,} rows of {args.survey} "
            f"({big.stat().st_size / 1e6:.0f} MB) written in {time.perf_counter() - started:.1f} s"
        )
        times: dict[str, list[float]] = {"read": [], "validate": [], "code": [], "clean": []}
        for _ in range(args.runs):
            run = dict.fromkeys(times, 0.0)  # read/validate/code: summed over both batches
            batches = []
            for path in (big, small):
                frame = timed(run, "read", read_export, path, q).frame
                timed(run, "validate", validate_export, frame, q, str(path))
                batches.append(timed(run, "code", code_export, frame, q, path.stem))
            analysed, ledger = timed(run, "clean", clean_and_check, batches, q)
            for step, seconds in run.items():
                times[step].append(seconds)
        for step, seconds in times.items():
            print(f"{step:>8}: median {statistics.median(seconds):6.2f} s over {args.runs} runs")
        print(f"analysed {len(analysed):,} of {len(ledger):,} raw rows")


def clean_and_check(batches: list[pd.DataFrame], q):
    analysed, ledger = clean(batches, q, EXCLUSIONS)
    raw = pd.concat([batch[["batch", "row"]] for batch in batches], ignore_index=True)
    check_ledger(ledger, raw, analysed)
    return analysed, ledger


def timed(run: dict[str, float], step: str, function, *args):
    started = time.perf_counter()
    result = function(*args)
    run[step] += time.perf_counter() - started
    return result


if __name__ == "__main__":
    main()
