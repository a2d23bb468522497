"""The sampling units of a questionnaire's full sample (codebook ``design``): every response the
duplicate rule keeps, excluded ones included, so that exclusions are domains of the design."""

import logging

from likertflow.cleaning import read_batch
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.weighting import design_checked, design_of, sample_units


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    paths = snakemake.input.batches
    paths = [paths] if isinstance(paths, str) else list(paths)
    batches = [read_batch(path, snakemake.wildcards.survey) for path in paths]
    units = sample_units(batches, questionnaire)
    with design_checked(questionnaire):
        design = design_of(units, questionnaire)  # refuses an fpc below the PSUs sampled
    write_csv(units, snakemake.output.units)
    logging.getLogger("likertflow").info(
        "%s: %d responses; %s", questionnaire.survey, int(units["responses"].sum()),
        design.describe(),
    )  # fmt: skip


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
