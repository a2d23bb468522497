"""One configured group comparison: rank tests, effect sizes, group summaries, Dunn pairs."""

import pandas as pd
from likertflow.bands import apply_bands
from likertflow.codebook import parse_questionnaire
from likertflow.comparisons import run_comparison
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv


def main(snakemake):
    frames = {survey_of(path): pd.read_parquet(path) for path in snakemake.input.scores}
    questionnaires = {
        survey: parse_questionnaire(codebook)
        for survey, codebook in snakemake.params.codebooks.items()
    }
    # Optional param: a numeric question's config bands form its groups.
    bands = snakemake.params.get("bands", {})
    for survey in frames:
        frames[survey], questionnaires[survey] = apply_bands(
            frames[survey], questionnaires[survey], bands
        )
    tables = run_comparison(
        snakemake.wildcards.comparison,
        snakemake.params.comparison,
        frames,
        questionnaires,
        snakemake.params.analysis,
    )
    for table, path in zip(tables, [snakemake.output.tests, snakemake.output.groups,
                                    snakemake.output.posthoc], strict=True):  # fmt: skip
        write_csv(table, path)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
