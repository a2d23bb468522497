"""Proportional-odds models of one comparison's outcomes on its groups and covariates."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.ordinal import ordinal_models


def main(snakemake):
    frames = {survey_of(path): pd.read_parquet(path) for path in snakemake.input.scores}
    questionnaires = {
        survey: parse_questionnaire(codebook)
        for survey, codebook in snakemake.params.codebooks.items()
    }
    table = ordinal_models(
        snakemake.wildcards.comparison,
        snakemake.params.comparison,
        frames,
        questionnaires,
        snakemake.params.analysis,
    )
    write_csv(table, snakemake.output[0])


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
