"""The analysed cohorts' partial results and every questionnaire's counts as published, in one job
(issue 22, decision 4: together they take less than a job's start-up): each questionnaire's
batches' cells less the cells of the repeats its cleaning dropped that pass every other rule
(likertflow.partials); then from the combined answer counts, not the cohorts' rows, each
questionnaire's disclosure plan and every statement's answers as published (the Likert figures'
numbers). (The descriptive tables are a job of their own, tabulate_questions: see its rule.)

The disclosure plan is every question's counts as the disclosure rule publishes them, for the
steps that show them. The descriptive tables protect each question on their own; the comparison
groups and the agreement summary show counts of the same questions, and take them from the plan so
that a cell hidden in one table is hidden everywhere (results/disclosure/ is for the workflow, not
to share).
"""

from pathlib import Path

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.partials import combined_cells, compute_all, kind_of
from likertflow.publishing import (
    STATEMENT_COLUMNS,
    answer_sums,
    publish_frequencies,
    read_plans,
    statement_frequencies,
)
from likertflow.tables import banded_counts, frequency_table_from_counts


def main(snakemake):
    combine_partials(snakemake)
    counts = {}  # each questionnaire's answer and numeric answers' counts, as written
    for path in snakemake.output.partials:  # results/partials/{survey}.{kind}.parquet
        if kind_of(path) in ("answer_counts", "number_counts"):
            counts.setdefault(survey_of(path), {})[kind_of(path)] = pd.read_parquet(path)
    counts = {survey: (cells["answer_counts"], cells["number_counts"])
              for survey, cells in counts.items()}  # fmt: skip
    plan_disclosure(snakemake, counts)
    tabulate_statements(snakemake)


def combine_partials(snakemake) -> None:
    """Every questionnaire's combined partial results (results/partials/{survey}.{kind}.parquet):
    its batches' cells less those of its repeats."""
    batch_cells = {survey: {} for survey in snakemake.params.codebooks}
    for path in snakemake.input.partials:  # results/partials/{survey}/{batch}.{kind}.parquet
        cells = batch_cells[Path(path).parent.name].setdefault(kind_of(path), [])
        cells.append(pd.read_parquet(path))
    combined = {}
    for path in snakemake.input.repeats:  # results/data/{survey}.repeats.parquet
        survey = survey_of(path)
        questionnaire = parse_questionnaire(snakemake.params.codebooks[survey])
        repeats = compute_all(pd.read_parquet(path), questionnaire, snakemake.params.definition)
        combined[survey] = combined_cells(batch_cells[survey], repeats)
    for path in snakemake.output.partials:
        combined[survey_of(path)][kind_of(path)].to_parquet(path, engine="pyarrow", index=False)


def plan_disclosure(snakemake, counts: dict) -> None:
    """Every questionnaire's disclosure plan (results/disclosure/{survey}.counts.csv)."""
    params = snakemake.params
    for output in snakemake.output.plans:
        survey = survey_of(output)
        plan(*counts[survey], params.codebooks[survey], params.survey_bands[survey],
             params.exclusions, params.disclosure, output)  # fmt: skip


def plan(
    answers: pd.DataFrame,
    numbers: pd.DataFrame,
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
    counts, questionnaire = banded_counts(answers, numbers, questionnaire, bands)
    counted = [q.id for q in questionnaire.questions if not q.numeric]
    table = frequency_table_from_counts(counts, questionnaire, counted, exclusions)
    table = table.astype({"n": "int64"})  # counts, also when the cohort is empty
    policy = policy_of(disclosure)
    published = publish_frequencies(table, policy, answer_sums(questionnaire, counted))
    published.insert(published.columns.get_loc("n"), "count", table["n"])
    write_csv(published, output, float_format="%.2f")


def tabulate_statements(snakemake) -> None:
    """Every statement's answers as published, every questionnaire, from the plans just
    written (results/tables/statement_frequencies.csv)."""
    plans = read_plans(snakemake.output.plans)
    tables = [
        statement_frequencies(plans[survey], parse_questionnaire(codebook))
        for survey, codebook in sorted(snakemake.params.codebooks.items())
    ]
    empty = pd.DataFrame(columns=STATEMENT_COLUMNS)
    table = pd.concat(tables, ignore_index=True) if tables else empty
    write_csv(table, snakemake.output.statements)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
