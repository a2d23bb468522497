"""Add each respondent's theme scores to the analysed cohort of one questionnaire."""

import logging

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.themes import theme_scores


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    scores = theme_scores(pd.read_parquet(snakemake.input.analysed), questionnaire)
    for theme in questionnaire.themes.values():
        missing = int(scores[theme.id].isna().sum())
        logging.info(
            "%s: %d of %d respondents scored (min_answered %d of %d statements)",
            theme.id, len(scores) - missing, len(scores), theme.min_answered, len(theme.items),
        )  # fmt: skip
    scores.to_parquet(snakemake.output[0], index=False)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
