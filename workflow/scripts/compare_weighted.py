"""Design-based tests of the comparisons within a questionnaire with a survey design: Lumley and
Scott's rank test and the proportional-odds model on the design, per ordinal outcome."""

import logging

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.settings import Comparison
from likertflow.weighting import (
    TEST_COLUMNS,
    comparison_table,
    design_checked,
    design_of,
    publish_counted,
    read_units,
)


def main(snakemake):
    policy = policy_of(snakemake.params.disclosure)
    analysed = {survey_of(path): pd.read_parquet(path) for path in snakemake.input.analysed}
    units = {survey_of(path): read_units(path) for path in snakemake.input.units}
    log = logging.getLogger("likertflow")
    tables = [pd.DataFrame(columns=TEST_COLUMNS)]
    for name, spec in snakemake.params.comparisons.items():
        comparison = Comparison.from_params(spec, f"comparisons.{name}")
        survey = comparison.survey
        questionnaire = parse_questionnaire(snakemake.params.codebooks[survey])
        if questionnaire.question(comparison.by).numeric:
            log.info("%s: groups of a number (config bands) are not tested on the design", name)
            continue
        with design_checked(questionnaire):
            design = design_of(units[survey], questionnaire)
            table = comparison_table(name, analysed[survey], questionnaire, design,
                                     comparison.by, list(comparison.omit),
                                     list(comparison.outcomes),
                                     snakemake.params.confidence_level)  # fmt: skip
        left = sorted(set(comparison.outcomes) - set(table["outcome"]))
        if left:
            log.info("%s: no design-based test of %s (a theme score, an unordered answer, or "
                     "fewer than two groups or answers)", name, ", ".join(left))  # fmt: skip
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    published = publish_counted(table, policy, ["estimate"], ["statistic"],
                                snakemake.params.alpha)  # fmt: skip
    write_csv(published, snakemake.output[0])


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
