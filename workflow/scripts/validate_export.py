"""Validate one export batch against its questionnaire's codebook and write it coded."""

import logging

from likertflow.codebook import parse_questionnaire
from likertflow.errors import InputError, Problem, run_step
from likertflow.ingest import ingest_export


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    survey, batch = snakemake.wildcards.survey, snakemake.wildcards.batch
    export = str(snakemake.input.export)
    if questionnaire.survey != survey:
        raise InputError(
            f"{export}: the codebook passed is not that of its questionnaire",
            [Problem(export, f"the codebook of {survey!r}", value=questionnaire.survey)],
        )
    coded = ingest_export(export, questionnaire, batch)
    coded.to_parquet(snakemake.output[0], engine="pyarrow", index=False)
    logging.getLogger("likertflow").info("%s: %d responses ingested", export, len(coded))


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
