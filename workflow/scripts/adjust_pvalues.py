"""Adjust p values within each comparison family; keep the post-hoc pairs of tests that pass
their gate, each row stating the gate."""

import logging

import pandas as pd
from likertflow.errors import run_step
from likertflow.files import read_csv, write_csv
from likertflow.multiplicity import adjust_families, gated_posthoc


def read_all(paths) -> pd.DataFrame:
    return pd.concat([read_csv(path) for path in paths], ignore_index=True)


def main(snakemake):
    analysis = snakemake.params.analysis
    tests = adjust_families(
        read_all(snakemake.input.tests), snakemake.params.families, analysis["p_adjust"]
    )
    posthoc = gated_posthoc(read_all(snakemake.input.posthoc), tests, analysis["alpha"])
    logging.info(
        "%d tests in %d families adjusted (%s); %d of them significant at %g; %d Dunn pairs kept",
        len(tests), tests["family"].nunique(), analysis["p_adjust"],
        int((tests["p_adjusted"] < analysis["alpha"]).sum()), analysis["alpha"], len(posthoc),
    )  # fmt: skip
    outputs = {
        snakemake.output.comparisons: tests,
        snakemake.output.groups: read_all(snakemake.input.groups),
        snakemake.output.posthoc: posthoc,
    }
    for path, table in outputs.items():
        write_csv(table, path)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
