"""Percent agreement per statement and statement set, every questionnaire (Figure 5's data)."""

import pandas as pd
from likertflow.agreement import agreement_summary
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv


def main(snakemake):
    analysis = snakemake.params.analysis
    paths = {survey_of(path): path for path in snakemake.input.analysed}
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
    write_csv(pd.concat(tables, ignore_index=True), snakemake.output[0])


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
