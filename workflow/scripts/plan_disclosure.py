"""Every question's counts as the disclosure rule publishes them, for the steps that show them.

The descriptive tables protect each question on their own; the comparison groups and the
agreement summary show counts of the same questions, and take them from here so that a cell
hidden in one table is hidden everywhere (results/disclosure/ is for the workflow, not to share).
"""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.publishing import answer_sums, publish_frequencies
from likertflow.tables import banded_counts, frequency_table_from_counts


def main(snakemake):
    inputs = zip(snakemake.input.answers, snakemake.input.numbers, snakemake.output.plans,
                 strict=True)  # fmt: skip
    for answers, numbers, output in inputs:
        survey = survey_of(answers)
        plan(answers, numbers, snakemake.params.codebooks[survey], snakemake.params.bands[survey],
             snakemake.params.exclusions, snakemake.params.disclosure, output)  # fmt: skip


def plan(
    answers: str,
    numbers: str,
    codebook: dict,
    bands: dict,
    exclusions: list,
    disclosure: dict,
    output: str,
):
    """One questionnaire's counts, as the disclosure rule publishes them, from the analysed
    cohort's answer counts and numeric answers' counts (likertflow.partials)."""
    questionnaire = parse_questionnaire(codebook)
    # Banded numeric questions are counted by band, as tables and comparisons show them; a
    # numeric question without bands is shown in no count.
    counts, questionnaire = banded_counts(
        pd.read_parquet(answers), pd.read_parquet(numbers), questionnaire, bands
    )
    counted = [q.id for q in questionnaire.questions if not q.numeric]
    table = frequency_table_from_counts(counts, questionnaire, counted, exclusions)
    table = table.astype({"n": "int64"})  # counts, also when the cohort is empty
    policy = policy_of(disclosure)
    published = publish_frequencies(table, policy, answer_sums(questionnaire, counted))
    published.insert(published.columns.get_loc("n"), "count", table["n"])
    write_csv(published, output, float_format="%.2f")


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
