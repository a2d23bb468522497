"""The comparisons' statistics in one job (issue 22, decision 4: together they take less than a
job's start-up): each configured comparison's rank tests, effect sizes, group summaries and Dunn
pairs, from each questionnaire's combined partial results (the comparison cells:
likertflow.partials); their p values adjusted within families, with the post-hoc pairs of tests
that pass their gate and the disclosure rule applied to what is published; and the
proportional-odds models of each adjusted comparison (the model cells)."""

import logging

import pyarrow.parquet as pq
from likertflow.comparisons import read_comparison_tables, run_comparison_from_cells
from likertflow.concat import concatenate
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.grouping import comparisons_with_cells
from likertflow.multiplicity import adjust_families, gated_posthoc
from likertflow.ordinal import hidden_levels, ordinal_models_from_cells
from likertflow.publishing import (
    comparison_group_cells,
    publish_comparisons,
    publish_ordinal,
    read_plans,
)
from likertflow.pvalues import with_bounds
from likertflow.settings import AdjustmentSettings, ComparisonSettings, OrdinalSettings


def main(snakemake):
    compare(snakemake)
    plans = read_plans(snakemake.input.disclosure)  # the published frequencies, read once
    adjust(snakemake, plans)
    fit_models(snakemake, plans)


def compare(snakemake):
    """Every comparison's tests, groups and post-hoc pairs (results/compare/)."""
    settings = ComparisonSettings.from_params(snakemake.params.analysis)
    outputs = [snakemake.output.tests, snakemake.output.groups, snakemake.output.posthoc]
    # outputs are in comparison-name order (common.smk's COMPARISONS); a numeric question's
    # config bands (params.bands) form its groups
    params = snakemake.params
    inputs = comparisons_with_cells(
        params.comparisons, snakemake.input.cells, params.codebooks, params.bands
    )
    for index, (name, comparison, cells, questionnaires) in enumerate(inputs):
        tables = run_comparison_from_cells(name, comparison, cells, questionnaires, settings)
        for table, paths in zip(tables, outputs, strict=True):
            write_csv(with_bounds(table), paths[index])  # a p that underflows: a bound too


def adjust(snakemake, plans: dict):
    """The comparisons' tables as published (results/tables/comparisons.csv, comparison_groups,
    posthoc), read back from the files ``compare`` wrote; ``plans``: the disclosure plans."""
    analysis = AdjustmentSettings.from_params(snakemake.params.adjustment)
    tests = adjust_families(
        read_comparison_tables(snakemake.output.tests, "tests"),
        snakemake.params.families,
        analysis.p_adjust,
    )
    posthoc = read_comparison_tables(snakemake.output.posthoc, "posthoc")
    posthoc = gated_posthoc(posthoc, tests, analysis.alpha)
    logging.getLogger("likertflow").info(
        "%d tests in %d families adjusted (%s); %d of them significant at %g; %d Dunn pairs kept",
        len(tests), tests["family"].nunique(), analysis.p_adjust,
        int((tests["p_adjusted"] < analysis.alpha).sum()), analysis.alpha, len(posthoc),
    )  # fmt: skip
    groups = read_comparison_tables(snakemake.output.groups, "groups")
    policy = policy_of(snakemake.params.disclosure)
    analysed = {
        survey_of(path): pq.ParquetFile(path).metadata.num_rows for path in snakemake.input.analysed
    }
    cells = comparison_group_cells(
        plans,
        snakemake.params.group_questions,
        snakemake.params.survey_groups,
        analysed,
        snakemake.input.flow,
    )
    tests, groups, posthoc = publish_comparisons(
        with_bounds(tests), groups, with_bounds(posthoc), cells, policy, analysis.alpha
    )
    outputs = {
        snakemake.output.comparisons: tests,
        snakemake.output.comparison_groups: groups,
        snakemake.output.posthoc_table: posthoc,
    }
    for path, table in outputs.items():
        write_csv(table, path)


def fit_models(snakemake, plans: dict):
    """The adjusted comparisons' ordinal models (results/compare/{comparison}.ordinal.csv), and
    their table; ``plans``: the disclosure plans."""
    settings = OrdinalSettings.from_params(snakemake.params.model_analysis)
    policy = policy_of(snakemake.params.disclosure)
    # outputs are in comparison-name order (common.smk's ADJUSTED_COMPARISONS); config bands of
    # the grouping question and covariates (params.model_bands) make them groups
    params = snakemake.params
    inputs = comparisons_with_cells(
        params.adjusted, snakemake.input.model_cells, params.model_codebooks, params.model_bands
    )
    for (name, comparison, cells, questionnaires), output in zip(
        inputs, snakemake.output.models, strict=True
    ):
        table = ordinal_models_from_cells(name, comparison, cells, questionnaires, settings)
        published = publish_ordinal(
            with_bounds(table), policy, settings.alpha, hidden_levels(plans, comparison)
        )
        write_csv(published, output)
    # the comparisons' models, one after another, as each was written: the one table (common.smk's
    # ORDINAL_MODELS; Snakemake names a one-file list by the file), none when no comparison
    # declares adjust_for
    table = snakemake.output.models_table
    for path in [table] if isinstance(table, str) else table:
        concatenate(list(snakemake.output.models), path)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
