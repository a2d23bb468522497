"""Proportional-odds models of one comparison's outcomes on its groups and covariates."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.ordinal import ordinal_models
from likertflow.publishing import publish_counts


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
    # the model's n as the disclosure rule publishes counts
    write_csv(
        publish_counts(table, policy_of(snakemake.params.get("disclosure"))), snakemake.output[0]
    )


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
