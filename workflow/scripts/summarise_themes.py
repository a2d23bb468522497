"""The themes' and statements' summaries of every questionnaire in one job (issue 22, decision 4:
together they take less than a job's start-up), from each questionnaire's combined partial
results (issue 22), not its rows: within-theme Spearman correlations, Cronbach's alpha and
item-rest r (from its pair tables and moment sums), and percent agreement per statement and
statement set (Figure 5's data, from its answer patterns)."""

import pandas as pd
from likertflow.agreement import agreement_summary_from_cells, wilson_interval
from likertflow.codebook import parse_questionnaire
from likertflow.concat import concatenate
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.publishing import (
    publish_agreement,
    publish_theme_tables,
    read_plans,
)
from likertflow.pvalues import with_bounds
from likertflow.reliability import (
    on_scale_counts,
    reliability_tables_from_cells,
    reliability_warnings,
)
from likertflow.settings import AgreementSettings, ReliabilitySettings


def main(snakemake):
    assess_reliability(snakemake)
    summarise_agreement(snakemake)


def assess_reliability(snakemake):
    """Every questionnaire's reliability tables (results/themes/), and the tables of all
    questionnaires."""
    settings = ReliabilitySettings.from_params(snakemake.params.reliability)
    policy = policy_of(snakemake.params.disclosure)
    names = ["correlations", "reliability", "item_rest", "warnings"]
    for index, path in enumerate(snakemake.input.pairs):
        questionnaire = parse_questionnaire(snakemake.params.codebooks[survey_of(path)])
        outputs = {name: getattr(snakemake.output, name)[index] for name in names}
        cells = pd.read_parquet(path), pd.read_parquet(snakemake.input.moments[index])
        assess(*cells, questionnaire, settings, policy, outputs)
    for name in names:  # the questionnaires' tables, one after another, as each was written
        table = getattr(snakemake.output, f"{name}_table")
        concatenate(list(getattr(snakemake.output, name)), table)


def assess(pairs, moments, questionnaire, settings, policy, outputs: dict[str, str]) -> None:
    """One questionnaire's tables from its combined ``reliability_pairs`` and
    ``reliability_moments`` cells, written to ``outputs`` (table name -> path)."""
    computed = reliability_tables_from_cells(
        pairs, moments, questionnaire, settings.confidence_level
    )
    tables = {name: computed[name] for name in ("correlations", "reliability", "item_rest")}
    tables["warnings"] = reliability_warnings(
        computed["reliability"],
        computed["item_rest"],
        questionnaire,
        min_alpha=settings.min_cronbach_alpha,
        places=2 if policy.applies else 3,  # as a rule publishes the columns it quotes
    )
    themes = questionnaire.themes.values()
    items = {theme.id: list(theme.items) for theme in themes}
    counts = on_scale_counts(pairs)
    on_scale_n = {item: counts.get(item, 0) for theme in themes for item in theme.items}
    tables = {name: with_bounds(table) for name, table in tables.items()}
    published = publish_theme_tables(tables, on_scale_n, items, policy, settings.alpha)
    for name, table in published.items():
        write_csv(table, outputs[name])


def summarise_agreement(snakemake):
    """Percent agreement per statement and statement set, every questionnaire."""
    analysis = AgreementSettings.from_params(snakemake.params.agreement)
    paths = {survey_of(path): path for path in snakemake.input.patterns}
    tables = [
        agreement_summary_from_cells(
            pd.read_parquet(paths[survey]),
            parse_questionnaire(codebook),
            confidence=analysis.confidence_level,
            resamples=analysis.bootstrap_resamples,
            seed=analysis.seed,
            reverse_keyed=analysis.reverse_keyed_agreement,
        )
        for survey, codebook in sorted(snakemake.params.codebooks.items())
    ]
    summary = pd.concat(tables, ignore_index=True)
    policy = policy_of(snakemake.params.disclosure)
    if policy.applies:
        summary = publish_agreement(
            summary,
            statement_frequencies(snakemake),
            policy,
            lambda agree, n: wilson_interval(agree, n, analysis.confidence_level),
        )
    write_csv(summary, snakemake.output.agreement)


def statement_frequencies(snakemake) -> dict:
    """(survey, statement) -> (its published frequencies, its agree codes)."""
    plans = read_plans(snakemake.input.disclosure)
    frequencies = {}
    for survey, codebook in snakemake.params.codebooks.items():
        plan = plans[survey]
        for question in parse_questionnaire(codebook).statements():
            if not question.answers.ordinal:  # no agree end: not summarised
                continue
            rows = plan[plan["question_id"] == question.id]
            agree = [str(code) for code in question.keyed_agree_codes]
            frequencies[(survey, question.id)] = (rows.astype({"count": "int64"}), agree)
    return frequencies


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
