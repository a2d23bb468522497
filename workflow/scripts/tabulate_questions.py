"""Tabulate questions of the analysed cohort as one of the paper's descriptive tables."""

import pandas as pd
from likertflow.bands import apply_bands
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.publishing import answer_sums, publish_frequencies
from likertflow.tables import frequency_table


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    analysed = pd.read_parquet(snakemake.input.analysed)
    # Numeric questions tabulated by their config bands.
    analysed, questionnaire = apply_bands(analysed, questionnaire, snakemake.params.bands)
    table = frequency_table(
        analysed,
        questionnaire,
        snakemake.params.table["questions"],
        snakemake.params.exclusions,
    )
    sums = answer_sums(questionnaire, snakemake.params.table["questions"])
    table = publish_frequencies(table, policy_of(snakemake.params.disclosure), sums)
    write_csv(table, snakemake.output[0], float_format="%.2f")  # percent: two decimals


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
