"""Within-theme Spearman correlations, Cronbach's alpha and item-rest r of one questionnaire."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.publishing import publish_counts
from likertflow.reliability import (
    item_rest_table,
    reliability_warnings,
    theme_correlations,
    theme_reliability,
)


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    analysed = pd.read_parquet(snakemake.input.analysed)
    confidence = snakemake.params.analysis["confidence_level"]
    tables = {
        "correlations": theme_correlations(analysed, questionnaire),
        "reliability": theme_reliability(analysed, questionnaire, confidence),
    }
    if "item_rest" in snakemake.output.keys():  # optional: per-statement item-rest table
        tables["item_rest"] = item_rest_table(analysed, questionnaire, confidence)
    if "warnings" in snakemake.output.keys():  # optional: negative alpha / item-rest r
        item_rest = tables.get("item_rest")
        if item_rest is None:
            item_rest = item_rest_table(analysed, questionnaire, confidence)
        tables["warnings"] = reliability_warnings(tables["reliability"], item_rest, questionnaire)
    policy = policy_of(snakemake.params.get("disclosure"))
    for name, table in tables.items():
        write_csv(publish_counts(table, policy), getattr(snakemake.output, name))


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
