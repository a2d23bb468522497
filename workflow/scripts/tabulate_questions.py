"""Tabulate questions of the analysed cohorts as the paper's descriptive tables."""

from pathlib import Path

import pandas as pd
from likertflow.bands import apply_bands
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.publishing import answer_sums, publish_frequencies
from likertflow.tables import frequency_table


def main(snakemake):
    analysed = {survey_of(path): path for path in snakemake.input.analysed}
    cohorts = {}  # each questionnaire's cohort, read once for all its tables
    policy = policy_of(snakemake.params.disclosure)
    for output in snakemake.output.tables:
        name = Path(output).stem  # results/tables/{table}.csv
        spec = snakemake.params.tables[name]
        survey = spec["survey"]
        if survey not in cohorts:
            cohorts[survey] = pd.read_parquet(analysed[survey])
        questionnaire = parse_questionnaire(snakemake.params.codebooks[survey])
        # Numeric questions tabulated by their config bands.
        frame, questionnaire = apply_bands(
            cohorts[survey], questionnaire, snakemake.params.bands[name]
        )
        questions, exclusions = spec["questions"], snakemake.params.exclusions
        table = frequency_table(frame, questionnaire, questions, exclusions)
        table = publish_frequencies(table, policy, answer_sums(questionnaire, questions))
        write_csv(table, output, float_format="%.2f")  # percent: two decimals


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
