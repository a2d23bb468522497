"""Design-based tests of the comparisons that involve a questionnaire with a survey design: Lumley
and Scott's rank test per outcome, with the proportional-odds model of a statement and the
differences of weighted means of a theme score (``likertflow.weighting.weighted_comparison``).
Groups are a question's answers (a number's config bands) within a questionnaire, or
questionnaires (``by: survey``) stacked as independent samples."""

import logging

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.settings import Comparison
from likertflow.weighting import (
    TEST_COLUMNS,
    compared_surveys,
    publish_comparisons,
    read_units,
    weighted_comparison,
)


def main(snakemake):
    policy = policy_of(snakemake.params.disclosure)
    analysed = {survey_of(path): pd.read_parquet(path) for path in snakemake.input.analysed}
    units = {survey_of(path): read_units(path) for path in snakemake.input.units}
    log = logging.getLogger("likertflow")
    tables = [pd.DataFrame(columns=TEST_COLUMNS)]
    for name, spec in snakemake.params.comparisons.items():
        comparison = Comparison.from_params(spec, f"comparisons.{name}")
        questionnaires = {s: parse_questionnaire(snakemake.params.codebooks[s])
                          for s in compared_surveys(comparison)}  # fmt: skip
        table = weighted_comparison(name, comparison, analysed, units, questionnaires,
                                    snakemake.params.bands[name],
                                    snakemake.params.confidence_level)  # fmt: skip
        left = sorted(set(comparison.outcomes) - set(table["outcome"]))
        if left:
            log.info("%s: no design-based test of %s (an unordered answer, a number, or fewer "
                     "than two groups or answers)", name, ", ".join(left))  # fmt: skip
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    published = publish_comparisons(table, policy, snakemake.params.alpha)
    write_csv(published, snakemake.output[0])


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
