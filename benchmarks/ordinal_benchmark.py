"""Time one comparison's proportional-odds models at a given size (run by hand, not a test).

    .venv/bin/snakemake --cores 2      # once, for results/data/patients.analysed.parquet
    .venv/bin/python benchmarks/ordinal_benchmark.py [--rows 100000 1000000] [--runs 3]
        [--comparison patients_by_had_imaging] [--timeout 300]

Draws ``--rows`` respondents with replacement from the shipped run's scored patients (so the
outcomes keep their shipped distinct values and the covariates their levels), and prints the
median wall and CPU seconds of ``--runs`` calls of ``likertflow.ordinal.ordinal_models`` for
one comparison of ``config/config.yaml`` (all its outcomes, Brant checks included; CPU time is
less disturbed by other work on a shared machine). A run longer than ``--timeout`` seconds ends
the measurements at that size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "workflow" / "scripts")]

from likertflow.codebook import parse_questionnaire, questionnaire_codebook  # noqa: E402
from likertflow.ordinal import ordinal_models  # noqa: E402
from likertflow.schemas import CODEBOOK_SCHEMA, CONFIG_SCHEMA, read_yaml, validate  # noqa: E402
from likertflow.settings import Comparison, OrdinalSettings  # noqa: E402
from likertflow.themes import theme_scores  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--comparison", default="patients_by_had_imaging")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    config = validate(read_yaml(REPO / "config" / "config.yaml"), CONFIG_SCHEMA, "config")
    codebook = validate(read_yaml(REPO / config["codebook"]), CODEBOOK_SCHEMA, "codebook")
    spec = Comparison.from_params(config["comparisons"][args.comparison])
    settings = OrdinalSettings.from_params(
        {key: config["analysis"][key] for key in OrdinalSettings.keys()}
    )
    survey = spec.survey
    questionnaires = {survey: parse_questionnaire(questionnaire_codebook(codebook, survey))}
    analysed = pd.read_parquet(REPO / "results" / "data" / f"{survey}.analysed.parquet")
    shipped = theme_scores(analysed, questionnaires[survey])
    for rows in args.rows:
        rng = np.random.default_rng(rows)
        frame = shipped.iloc[rng.integers(0, len(shipped), rows)].reset_index(drop=True)
        seconds, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            table = ordinal_models(args.comparison, spec, {survey: frame}, questionnaires,
                                   settings)  # fmt: skip
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            if seconds[-1] > args.timeout:
                break
        print(
            f"{rows:>9,} rows, {args.comparison}: median {statistics.median(seconds):.3f} s wall, "
            f"{statistics.median(cpu):.3f} CPU-s of {len(seconds)} runs (wall "
            f"{', '.join(f'{s:.3f}' for s in seconds)}); {len(table)} terms, "
            f"n = {table['n'].max():,}",
            flush=True,
        )


if __name__ == "__main__":
    main()
