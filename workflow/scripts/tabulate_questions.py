"""Tabulate questions of the analysed cohorts as the paper's descriptive tables, from their answer
counts (likertflow.partials): a table follows from them alone."""

from pathlib import Path

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.publishing import answer_sums, publish_frequencies
from likertflow.tables import banded_counts, frequency_table_from_counts


def main(snakemake):
    answers = {survey_of(path): path for path in snakemake.input.answers}
    numbers = {survey_of(path): path for path in snakemake.input.numbers}
    cohorts = {}  # each questionnaire's counts, read once for all its tables
    policy = policy_of(snakemake.params.disclosure)
    for output in snakemake.output.tables:
        name = Path(output).stem  # results/tables/{table}.csv
        spec = snakemake.params.tables[name]
        survey = spec["survey"]
        if survey not in cohorts:
            cohorts[survey] = pd.read_parquet(answers[survey]), pd.read_parquet(numbers[survey])
        questionnaire = parse_questionnaire(snakemake.params.codebooks[survey])
        # Numeric questions tabulated by their config bands.
        counts, questionnaire = banded_counts(
            *cohorts[survey], questionnaire, snakemake.params.bands[name]
        )
        questions, exclusions = spec["questions"], snakemake.params.exclusions
        table = frequency_table_from_counts(counts, questionnaire, questions, exclusions)
        table = publish_frequencies(table, policy, answer_sums(questionnaire, questions))
        write_csv(table, output, float_format="%.2f")  # percent: two decimals


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
