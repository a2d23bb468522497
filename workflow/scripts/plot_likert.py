"""Figures 1-4: diverging stacked bars of one statement set in one questionnaire."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.likert_plot import layout_rows, plot_likert
from likertflow.plotting import save_figure


def main(snakemake):
    codebook = snakemake.params.codebook
    spec = snakemake.params.figure
    questionnaire = parse_questionnaire(codebook)
    analysed = pd.read_parquet(snakemake.input.analysed)
    figure = plot_likert(
        analysed,
        questionnaire,
        spec["statement_set"],
        # the title is optional in the schema: without one, questionnaire and statement set
        spec.get("title")
        or f"{questionnaire.label}: {questionnaire.statement_sets[spec['statement_set']]}",
        stem=codebook["statement_stems"].get(spec["statement_set"]),
        rows=layout_rows(questionnaire),
        policy=policy_of(snakemake.params.disclosure),
    )
    save_figure(figure, snakemake.output.png, snakemake.output.svg)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
