"""Weighted panels (config ``pairs`` whose first wave has a survey design): the matched people as
a domain of the first wave's design; per statement the design-based t test of the paired
differences and the weighted before-by-after table (``likertflow.weighting.weighted_panel``),
published with the counts of the unweighted pair tables."""

import logging

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import read_csv, survey_of, write_csv
from likertflow.settings import Pair, WeightingSettings
from likertflow.weighting import (
    WEIGHTED_PAIR_TABLE_COLUMNS,
    WEIGHTED_PAIR_TEST_COLUMNS,
    publish_weighted_pairs,
    read_units,
    weighted_panel,
)


def main(snakemake):
    settings = WeightingSettings.from_params(snakemake.params.analysis)
    policy = policy_of(snakemake.params.disclosure)
    analysed = {survey_of(path): pd.read_parquet(path) for path in snakemake.input.analysed}
    units = {survey_of(path): read_units(path) for path in snakemake.input.units}
    log = logging.getLogger("likertflow")
    tests = [pd.DataFrame(columns=WEIGHTED_PAIR_TEST_COLUMNS)]
    tables = [pd.DataFrame(columns=WEIGHTED_PAIR_TABLE_COLUMNS)]
    for name, spec in snakemake.params.pairs.items():
        pair = Pair.from_params(spec, f"pairs.{name}")
        questionnaires = {s: parse_questionnaire(snakemake.params.codebooks[s])
                          for s in (pair.before, pair.after)}  # fmt: skip
        if questionnaires[pair.after].design is not None:
            log.info("%s: weighted by the design of %s (the first wave); the design of %s is "
                     "not used", name, pair.before, pair.after)  # fmt: skip
        made = weighted_panel(name, pair, analysed, units, questionnaires, settings)
        tests.append(made[0])
        tables.append(made[1])
    tests = pd.concat(tests, ignore_index=True)
    tables = pd.concat(tables, ignore_index=True)
    published_tests = read_csv(snakemake.input.paired_tests, dtype=str)
    published_tables = read_csv(snakemake.input.paired_tables, dtype=str)
    tests, tables = publish_weighted_pairs(tests, tables, published_tests, published_tables,
                                           policy, snakemake.params.alpha)  # fmt: skip
    write_csv(tests, snakemake.output.tests)
    write_csv(tables, snakemake.output.tables)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
