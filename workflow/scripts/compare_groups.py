"""One configured group comparison: rank tests, effect sizes, group summaries, Dunn pairs."""

from pathlib import Path

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.comparisons import run_comparison
from likertflow.errors import run_step

SUFFIX = ".scores.parquet"  # results/themes/{survey}.scores.parquet
FLOAT_FORMAT = "%.6g"


def main(snakemake):
    frames = {
        Path(path).name.removesuffix(SUFFIX): pd.read_parquet(path)
        for path in snakemake.input.scores
    }
    questionnaires = {
        survey: parse_questionnaire(codebook)
        for survey, codebook in snakemake.params.codebooks.items()
    }
    tables = run_comparison(
        snakemake.wildcards.comparison,
        snakemake.params.comparison,
        frames,
        questionnaires,
        snakemake.params.analysis,
    )
    for table, path in zip(tables, [snakemake.output.tests, snakemake.output.groups,
                                    snakemake.output.posthoc], strict=True):  # fmt: skip
        table.to_csv(path, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
