"""Percent agreement per statement and statement set, every questionnaire (Figure 5's data)."""

from pathlib import Path

import pandas as pd
from likertflow.agreement import agreement_summary
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step

SUFFIX = ".analysed.parquet"  # results/data/{survey}.analysed.parquet


def main(snakemake):
    analysis = snakemake.params.analysis
    paths = {Path(path).name.removesuffix(SUFFIX): path for path in snakemake.input.analysed}
    tables = [
        agreement_summary(
            pd.read_parquet(paths[survey]),
            parse_questionnaire(codebook),
            confidence=analysis["confidence_level"],
            resamples=analysis["bootstrap_resamples"],
            seed=analysis["seed"],
        )
        for survey, codebook in sorted(snakemake.params.codebooks.items())
    ]
    pd.concat(tables, ignore_index=True).to_csv(
        snakemake.output[0], index=False, lineterminator="\n", float_format="%.6g"
    )


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
