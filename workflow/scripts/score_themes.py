"""Add each respondent's theme scores to the analysed cohort of each questionnaire."""

import logging

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import survey_of
from likertflow.themes import theme_scores


def main(snakemake):
    for analysed, output in zip(snakemake.input.analysed, snakemake.output.scores, strict=True):
        codebook = snakemake.params.codebooks[survey_of(analysed)]
        score(analysed, parse_questionnaire(codebook), output)


def score(analysed: str, questionnaire, output: str) -> None:
    scores = theme_scores(pd.read_parquet(analysed), questionnaire)
    for theme in questionnaire.themes.values():
        missing = int(scores[theme.id].isna().sum())
        logging.info(
            "%s: %d of %d respondents scored (min_answered %d of %d statements)",
            theme.id, len(scores) - missing, len(scores), theme.min_answered, len(theme.items),
        )  # fmt: skip
    scores.to_parquet(output, index=False)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
