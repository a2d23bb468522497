"""Decide a questionnaire's cleaning from its batches' screenings (each batch's duplicate keys
and exclusion reasons, made once by its validation), and write the analysed cohort, read from
the batches' analysed rows, and the ledger; and the rows the duplicate rule drops that pass every
other rule, whose cells describe_cohorts subtracts from their batches' (likertflow.partials)."""

import logging

import numpy as np
from likertflow.cleaning import (
    EXCLUDED,
    Screenings,
    decide,
    name_columns,
    read_rows,
    read_table_pieces,
    read_table_rows,
    write_rows,
)
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.exclusions import rule_inputs
from likertflow.flow import write_ledger

NONRESPONSE_HINT = (
    " In the codebook, give questions asked of only some respondents asked_if, and mark those "
    "respondents may skip `optional: true`; or judge item non-response with min_answered "
    "(e.g. 0.5)."
)


def listed(paths) -> list[str]:
    return [paths] if isinstance(paths, str) else list(paths)


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    survey = snakemake.wildcards.survey
    # Read a few columns at a time (the ids of every batch, then a batch at a time): memory is
    # set by the ids and the largest batch, not by the cohort (issue 22, decision 5).
    screenings = Screenings.from_files(listed(snakemake.input.screenings), survey)
    batches = listed(snakemake.input.batches)
    cleaned = decide(screenings, snakemake.params.exclusions)
    counts = write_ledger(cleaned.ledger_pieces(), snakemake.output.ledger)
    # what count_participants reads of the ledger, so that it need not parse it again
    counts.to_parquet(snakemake.output.ledger_counts, engine="pyarrow", index=False)
    rows = int(counts["n"].sum())
    excluded = counts[counts["status"] == EXCLUDED].groupby("reason", sort=False)["n"].sum()
    excluded = {reason: int(n) for reason, n in excluded.sort_values(ascending=False).items()}
    # Coded answers only: no response id, timestamp or batch row leaves the cleaning step; with
    # a declared survey design or linking id, its columns too (likertflow.codebook.WEIGHT, ...).
    # Every batch is read (its analysed rows, these columns): each batch's rows are checked
    # against its screening's. In the same pass, the repeats the duplicate rule drops that pass
    # every other rule: their batches' partial results count them (likertflow.partials).
    columns = questionnaire.question_ids + list(questionnaire.design_columns)
    wanted = np.concatenate([cleaned.analysed, cleaned.repeats_screened])
    n_analysed = len(cleaned.analysed)
    read = read_table_pieces(cleaned, batches, wanted, columns)  # by Arrow, pandas' bytes
    if read is not None:
        table, order = read
        write_rows(table, snakemake.output.analysed, order[:n_analysed])
        write_rows(table, snakemake.output.repeats, order[n_analysed:])
        del table
    else:  # the batches' columns differ in type: joined as pandas joins them
        read = read_rows(cleaned, batches, wanted, columns, every_batch=True)
        for part, path in ((read.iloc[:n_analysed], snakemake.output.analysed),
                           (read.iloc[n_analysed:], snakemake.output.repeats)):  # fmt: skip
            part.to_parquet(path, engine="pyarrow", index=False)
    del read
    log = logging.getLogger("likertflow")
    log.info("%s: %d raw rows, %d analysed, excluded: %s", survey, rows, n_analysed,
             excluded)  # fmt: skip
    share = snakemake.params.exclusion_warning_share
    rules = {rule["id"]: rule for rule in snakemake.params.exclusions}
    for count in cleaned.counts:
        if count.share > share:
            # the export columns responsible, from the responses it excluded (these alone read)
            rule = rules[count.rule]
            excluded_rows = cleaned.excluded_by(rule["id"])
            inputs = rule_inputs(questionnaire)  # only what the rules read of a response
            recorded = read_table_rows(cleaned, batches, excluded_rows, inputs, every_batch=False)
            recorded = (
                read_rows(cleaned, batches, excluded_rows, inputs)
                if recorded is None
                else recorded.to_pandas()
            )
            count = name_columns(count, rule, recorded, questionnaire)
            # Many responses gone to one rule: often a default that does not fit the survey
            # (a question asked of some, or one respondents may skip).
            hint = NONRESPONSE_HINT if rule["rule"] == "item_nonresponse" else ""
            log.warning(
                "%s, more than the config's exclusion_warning_share (%s): check the rule.%s",
                count.describe(survey), f"{share:.0%}", hint,
            )  # fmt: skip
    if rows and not n_analysed:
        # Every table, test and figure of this questionnaire will be empty: say why, loudly.
        log.warning(
            "%s: none of its %d responses is left to analyse; excluded by rule: %s. Check the "
            "config's exclusions (item_nonresponse excludes anyone who left a statement blank; "
            "mark questions respondents may skip `optional: true` in the codebook).",
            survey, rows, excluded,
        )  # fmt: skip

if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
