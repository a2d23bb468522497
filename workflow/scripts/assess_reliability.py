"""Within-theme Spearman correlations, Cronbach's alpha and item-rest r of one questionnaire."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.publishing import publish_counts
from likertflow.pvalues import with_bounds
from likertflow.reliability import reliability_tables, reliability_warnings
from likertflow.settings import ReliabilitySettings


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    analysed = pd.read_parquet(snakemake.input.analysed)
    settings = ReliabilitySettings.from_params(snakemake.params.analysis)
    computed = reliability_tables(analysed, questionnaire, settings.confidence_level)
    # item_rest and warnings are optional outputs (per-statement table; warnings)
    outputs = snakemake.output.keys()
    tables = {name: computed[name] for name in ("correlations", "reliability", "item_rest")
              if name in outputs}  # fmt: skip
    if "warnings" in outputs:
        tables["warnings"] = reliability_warnings(
            computed["reliability"],
            computed["item_rest"],
            questionnaire,
            min_alpha=settings.min_cronbach_alpha,
        )
    policy = policy_of(snakemake.params.disclosure)
    for name, table in tables.items():
        write_csv(publish_counts(with_bounds(table), policy), getattr(snakemake.output, name))


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
