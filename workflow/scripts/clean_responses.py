"""Merge a questionnaire's ingested batches into the analysed cohort and the ledger."""

import logging

import pandas as pd
from likertflow.cleaning import check_ledger, clean_and_count, read_batch
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import write_csv

NONRESPONSE_HINT = (
    " In the codebook, give questions asked of only some respondents asked_if, and mark those "
    "respondents may skip `optional: true`; or judge item non-response with min_answered "
    "(e.g. 0.5)."
)


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    paths = snakemake.input.batches
    paths = [paths] if isinstance(paths, str) else list(paths)
    batches = [read_batch(path, snakemake.wildcards.survey) for path in paths]
    analysed, ledger, counts = clean_and_count(
        batches, questionnaire, snakemake.params.exclusions
    )
    keys = [batch[["batch", "row"]] for batch in batches]
    raw = pd.concat(keys, ignore_index=True) if keys else pd.DataFrame({"batch": [], "row": []})
    check_ledger(ledger, raw, analysed)  # fails loudly: a bug, not bad input
    # Coded answers only: no response id, timestamp or batch row leaves the cleaning step; with
    # a declared survey design or linking id, its columns too (likertflow.codebook.WEIGHT, ...).
    analysed = analysed[questionnaire.question_ids + list(questionnaire.design_columns)]
    analysed.to_parquet(snakemake.output.analysed, engine="pyarrow", index=False)
    write_csv(ledger, snakemake.output.ledger)
    excluded = ledger.loc[ledger["status"] == "excluded", "reason"].value_counts().to_dict()
    log = logging.getLogger("likertflow")
    survey = snakemake.wildcards.survey
    log.info("%s: %d raw rows, %d analysed, excluded: %s", survey, len(ledger), len(analysed),
             excluded)  # fmt: skip
    share = snakemake.params.exclusion_warning_share
    kinds = {rule["id"]: rule["rule"] for rule in snakemake.params.exclusions}
    for count in counts:
        if count.share > share:
            # Many responses gone to one rule: often a default that does not fit the survey
            # (a question asked of some, or one respondents may skip).
            hint = NONRESPONSE_HINT if kinds[count.rule] == "item_nonresponse" else ""
            log.warning(
                "%s, more than the config's exclusion_warning_share (%s): check the rule.%s",
                count.describe(survey), f"{share:.0%}", hint,
            )  # fmt: skip
    if len(ledger) and not len(analysed):
        # Every table, test and figure of this questionnaire will be empty: say why, loudly.
        log.warning(
            "%s: none of its %d responses is left to analyse; excluded by rule: %s. Check the "
            "config's exclusions (item_nonresponse excludes anyone who left a statement blank; "
            "mark questions respondents may skip `optional: true` in the codebook).",
            survey, len(ledger), excluded,
        )  # fmt: skip

if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
