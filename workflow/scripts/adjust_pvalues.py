"""Adjust p values within each comparison family; keep the post-hoc pairs of tests that pass
their gate, each row stating the gate; apply the disclosure rule to what is published."""

import logging

import pandas as pd
import pyarrow.parquet as pq
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import read_csv, survey_of, write_csv
from likertflow.multiplicity import adjust_families, gated_posthoc
from likertflow.publishing import analysed_as_published, publish_comparisons, read_plans
from likertflow.pvalues import with_bounds
from likertflow.settings import AdjustmentSettings


def read_all(paths, what: str) -> pd.DataFrame:
    """The comparison jobs' ``what`` tables (tests, groups, posthoc) as one; with no comparisons
    configured, an empty table with their columns, so that the tables are still written."""
    if paths:
        return pd.concat([read_csv(path) for path in paths], ignore_index=True)
    # here: the comparison module's imports are only worth paying for this one case
    from likertflow.comparisons import GROUP_COLUMNS, POSTHOC_COLUMNS, TEST_COLUMNS

    columns = {"tests": TEST_COLUMNS, "groups": GROUP_COLUMNS, "posthoc": POSTHOC_COLUMNS}
    return pd.DataFrame(columns=columns[what])


def group_cells(snakemake) -> dict:
    """(comparison, group label) -> (count, published count) of the population that a group is
    part of: the answer that forms it, from the published frequencies of the comparison's
    grouping question; or, for a comparison of questionnaires, the questionnaire's analysed
    respondents (the cohort's rows) as the published participant flow shows them."""
    plans = read_plans(snakemake.input.disclosure)
    cells = {}
    for comparison, (survey, question) in snakemake.params.group_questions.items():
        if survey not in plans:
            continue
        plan = plans[survey]
        rows = plan[plan["question_id"] == question]
        for label, count, n in zip(rows["response"], rows["count"], rows["n"], strict=True):
            cells[(comparison, label)] = (int(count), n if n == "*" else int(n))
    shown = analysed_as_published(snakemake.input.flow)
    analysed = {
        survey_of(path): pq.ParquetFile(path).metadata.num_rows for path in snakemake.input.analysed
    }
    for comparison, surveys in snakemake.params.survey_groups.items():
        for survey, label in surveys.items():
            cells[(comparison, label)] = (analysed[survey], shown[survey])
    return cells


def main(snakemake):
    analysis = AdjustmentSettings.from_params(snakemake.params.analysis)
    tests = adjust_families(
        read_all(snakemake.input.tests, "tests"), snakemake.params.families, analysis.p_adjust
    )
    posthoc = gated_posthoc(read_all(snakemake.input.posthoc, "posthoc"), tests, analysis.alpha)
    logging.info(
        "%d tests in %d families adjusted (%s); %d of them significant at %g; %d Dunn pairs kept",
        len(tests), tests["family"].nunique(), analysis.p_adjust,
        int((tests["p_adjusted"] < analysis.alpha).sum()), analysis.alpha, len(posthoc),
    )  # fmt: skip
    groups = read_all(snakemake.input.groups, "groups")
    policy = policy_of(snakemake.params.disclosure)
    tests, groups, posthoc = publish_comparisons(
        with_bounds(tests), groups, with_bounds(posthoc), group_cells(snakemake), policy,
        analysis.alpha,
    )
    outputs = {
        snakemake.output.comparisons: tests,
        snakemake.output.groups: groups,
        snakemake.output.posthoc: posthoc,
    }
    for path, table in outputs.items():
        write_csv(table, path)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
