"""Adjust p values within each comparison family; keep Dunn pairs of significant tests."""

import logging

import pandas as pd
from likertflow.comparisons import adjust_families, significant_posthoc
from likertflow.errors import run_step
from likertflow.files import write_csv


def read_all(paths) -> pd.DataFrame:
    # Labels such as "None" or "NA" are answers, not missing values: only empty cells are.
    frames = [pd.read_csv(path, keep_default_na=False, na_values=[""]) for path in paths]
    return pd.concat(frames, ignore_index=True)


def main(snakemake):
    analysis = snakemake.params.analysis
    tests = adjust_families(
        read_all(snakemake.input.tests), snakemake.params.families, analysis["p_adjust"]
    )
    posthoc = significant_posthoc(read_all(snakemake.input.posthoc), tests, analysis["alpha"])
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
