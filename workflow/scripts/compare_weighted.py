"""Design-based tests of the comparisons that involve a questionnaire with a survey design: Lumley
and Scott's rank test per outcome, with the proportional-odds model of a statement and the
differences of weighted means of a theme score. Groups are a question's answers (a number's
config bands) within a questionnaire, or questionnaires (``by: survey``) stacked as independent
samples."""

import logging

import numpy as np
import pandas as pd
from likertflow.bands import apply_bands
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
    design_outcome,
    publish_counted,
    question_groups,
    read_units,
    stacked_design,
)


def by_question(comparison, analysed, units, questionnaire, bands):
    """(rows, groups, labels, outcomes, design) of a comparison by a question's answers."""
    rows, questionnaire = apply_bands(analysed, questionnaire, bands)
    group, labels = question_groups(rows, questionnaire, comparison.by, list(comparison.omit))
    outcomes = {o: design_outcome(rows, questionnaire, o) for o in comparison.outcomes}
    return rows, group, labels, outcomes, design_of(units, questionnaire)


def by_survey(comparison, analysed, units, questionnaires):
    """(rows, groups, labels, outcomes, design) of a comparison of questionnaires: their
    independent samples stacked, each questionnaire a group."""
    parts = [(analysed[s], units[s], questionnaires[s]) for s in comparison.surveys]
    rows, design = stacked_design(parts)
    group = np.repeat(np.arange(len(parts)), [len(a) for a, _, _ in parts])
    outcomes = {}
    for outcome in comparison.outcomes:
        each = [design_outcome(a, q, outcome) for a, _, q in parts]
        if all(e is not None and e[1] == each[0][1] for e in each):
            outcomes[outcome] = (np.concatenate([e[0] for e in each]), each[0][1])
    return rows, group, [q.label for _, _, q in parts], outcomes, design


def main(snakemake):
    policy = policy_of(snakemake.params.disclosure)
    analysed = {survey_of(path): pd.read_parquet(path) for path in snakemake.input.analysed}
    units = {survey_of(path): read_units(path) for path in snakemake.input.units}
    log = logging.getLogger("likertflow")
    tables = [pd.DataFrame(columns=TEST_COLUMNS)]
    for name, spec in snakemake.params.comparisons.items():
        comparison = Comparison.from_params(spec, f"comparisons.{name}")
        surveys = list(comparison.surveys) if comparison.by == "survey" else [comparison.survey]
        questionnaires = {s: parse_questionnaire(snakemake.params.codebooks[s]) for s in surveys}
        # the first questionnaire without a usable design is the one an error names
        with design_checked(questionnaires[surveys[0]]):
            if comparison.by == "survey":
                made = by_survey(comparison, analysed, units, questionnaires)
            else:
                made = by_question(comparison, analysed[comparison.survey],
                                   units[comparison.survey], questionnaires[comparison.survey],
                                   snakemake.params.bands[name])  # fmt: skip
            rows, group, labels, outcomes, design = made
            tested = {o: value for o, value in outcomes.items() if value is not None}
            table = comparison_table(name, ", ".join(surveys), rows, group, labels, tested,
                                     design, snakemake.params.confidence_level)  # fmt: skip
        left = sorted(set(comparison.outcomes) - set(table["outcome"]))
        if left:
            log.info("%s: no design-based test of %s (an unordered answer, a number, or fewer "
                     "than two groups or answers)", name, ", ".join(left))  # fmt: skip
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    published = publish_counted(table, policy, ["estimate"], ["statistic"],
                                snakemake.params.alpha)  # fmt: skip
    write_csv(published, snakemake.output[0])


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
