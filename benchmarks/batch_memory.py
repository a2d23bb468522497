"""Peak memory and time of a cold run as one questionnaire's exports pile up (issue 22).

    .venv/bin/python benchmarks/batch_memory.py [--batch-size 100000] [--batches 1,5,10]
        [--cores 2] [--workdir DIR]

Each batch is an export of about ``--batch-size`` synthetic patient responses (the first one
generated from the calibrated model, the others copies of it under new response ids, so every
batch has the same answers and every response id is new); the experts' exports are the shipped
ones. For each number of batches it prints the wall time, CPU time and the peak RSS of the
largest single process of a cold run (``snakemake --cores N`` on an empty results/), and of the
rerun after one more batch arrives. Run by hand; not a test.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from run_benchmarks import REPO, SNAKEMAKE, generate, timed


def patient_export(root: Path, responses: int):
    """One export of about ``responses`` synthetic patient responses, as a frame of text."""
    import pandas as pd

    generated = root / "generated"
    shutil.rmtree(generated, ignore_errors=True)
    generate(generated, responses)
    paths = sorted((generated / "patients").glob("*.csv"))
    frame = pd.concat([pd.read_csv(p, dtype="str", keep_default_na=False) for p in paths])
    shutil.rmtree(generated)
    return frame


def write_batches(frame, folder: Path, count: int) -> None:
    """``count`` batches of the same answers, each under new response ids (the first column),
    named in arrival order."""
    id_column = frame.columns[0]
    for index in range(count):
        frame[id_column] = [f"R_b{index:03d}_{row:09d}" for row in range(len(frame))]
        frame.to_csv(folder / f"export_{index:03d}.csv", index=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=100_000)
    parser.add_argument("--batches", default="1,5,10")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--workdir", default=None, help="default: a new temporary folder")
    args = parser.parse_args(argv)
    root = Path(args.workdir or tempfile.mkdtemp(prefix="likertflow-batches."))
    snakemake = [SNAKEMAKE, "--cores", str(args.cores)]
    frame = patient_export(root, args.batch_size)
    rows = []
    for count in (int(n) for n in args.batches.split(",")):
        work = root / f"{count}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copy(REPO / "Snakefile", work / "Snakefile")
        for name in ("config", "workflow", "profiles"):
            shutil.copytree(REPO / name, work / name)
        raw = work / "resources" / "raw"
        shutil.copytree(REPO / "resources" / "raw" / "experts", raw / "experts")
        (raw / "patients").mkdir()
        write_batches(frame, raw / "patients", count + 1)
        late = raw / "patients" / f"export_{count:03d}.csv"
        held = work / late.name  # the batch that arrives after the cold run
        late.rename(held)
        cold, cold_mb, cold_cpu = timed(snakemake, work)
        held.rename(late)
        again, again_mb, _ = timed(snakemake, work)
        rows.append(
            f"{count:>7} | {count * len(frame):>10,} | {cold:6.1f} | {cold_cpu:6.1f} | "
            f"{cold_mb:>7} | {again:6.1f} | {again / cold:7.2f} | {again_mb:>7}"
        )
        print(f"{count} batches done", flush=True)
        shutil.rmtree(work)
    print(f"\nbatches of {len(frame):,} patient responses each; {args.cores} cores")
    print("batches |  responses | cold s |  CPU s | peak MB | +1 s   | +1/cold | peak MB")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
