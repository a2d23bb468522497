"""Validate one export batch against its questionnaire's codebook and write it coded, with its
screening: the exclusion reasons and duplicate keys of its rows (likertflow.cleaning.screen)."""

import logging

import pandas as pd
from likertflow.cleaning import screen
from likertflow.codebook import parse_questionnaire
from likertflow.errors import InputError, Problem, run_step
from likertflow.files import write_csv
from likertflow.ingest import ingest
from likertflow.platforms.preflight import Limits


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    survey, batch = snakemake.wildcards.survey, snakemake.wildcards.batch
    export = str(snakemake.input.export)
    if questionnaire.survey != survey:
        raise InputError(
            f"{export}: the codebook passed is not that of its questionnaire",
            [Problem(export, f"the codebook of {survey!r}", value=questionnaire.survey)],
        )
    settings = snakemake.params.ingest
    limits = Limits.from_config(settings)
    coded, dropped = ingest(export, questionnaire, batch, limits, settings["settle_seconds"])
    coded.to_parquet(snakemake.output.coded, engine="pyarrow", index=False)
    screening = screen(coded, questionnaire, snakemake.params.exclusions)
    screening.to_parquet(snakemake.output.screening, engine="pyarrow", index=False)
    # Names only: the values of columns the codebook does not analyse never leave ingest.
    write_csv(pd.DataFrame({"dropped_column": dropped}, dtype="str"), snakemake.output.dropped)
    logging.getLogger("likertflow").info("%s: %d responses ingested", export, len(coded))

if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
