"""Within-theme Spearman correlations, Cronbach's alpha and item-rest r of each questionnaire,
and the tables of all questionnaires, from the questionnaire's combined partial results (its pair
tables and moment sums, issue 22), not its rows."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.concat import concatenate
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.publishing import publish_theme_tables
from likertflow.pvalues import with_bounds
from likertflow.reliability import (
    on_scale_counts,
    reliability_tables_from_cells,
    reliability_warnings,
)
from likertflow.settings import ReliabilitySettings


def main(snakemake):
    settings = ReliabilitySettings.from_params(snakemake.params.analysis)
    policy = policy_of(snakemake.params.disclosure)
    # item_rest and warnings are optional outputs (per-statement table; warnings)
    names = [name for name in ("correlations", "reliability", "item_rest", "warnings")
             if name in snakemake.output.keys()]  # fmt: skip
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
    tables = {name: computed[name] for name in ("correlations", "reliability", "item_rest")
              if name in outputs}  # fmt: skip
    if "warnings" in outputs:
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


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
