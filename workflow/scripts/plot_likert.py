"""Figures 1-4: diverging stacked bars of one statement set in one questionnaire, drawn from the
published statement frequencies and participant flow."""

from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import SUPPRESSED, policy_of
from likertflow.errors import run_step
from likertflow.files import read_csv
from likertflow.likert_plot import layout_rows, plot_likert
from likertflow.plotting import FigureSize, save_figure


def analysed_total(flow, survey):
    """The published number of respondents analysed (an int, or ``*``)."""
    rows = flow[(flow["survey"] == survey) & (flow["stage"] == "analysed")]["n"]
    value = str(rows.iloc[0])
    return value if value == SUPPRESSED else int(value)


def main(snakemake):
    codebook = snakemake.params.codebook
    spec = snakemake.params.figure
    questionnaire = parse_questionnaire(codebook)
    frequencies = read_csv(snakemake.input.frequencies, dtype="str")
    frequencies = frequencies[frequencies["survey"] == questionnaire.survey]
    flow = read_csv(snakemake.input.flow, dtype="str")
    size = FigureSize.from_params(snakemake.params.size)
    figure = plot_likert(
        frequencies,
        questionnaire,
        spec["statement_set"],
        # the title is optional in the schema: without one, questionnaire and statement set
        spec.get("title")
        or f"{questionnaire.label}: {questionnaire.statement_sets[spec['statement_set']]}",
        stem=codebook["statement_stems"].get(spec["statement_set"]),
        rows=layout_rows(questionnaire),
        policy=policy_of(snakemake.params.disclosure),
        total=analysed_total(flow, questionnaire.survey),
        size=size,
    )
    save_figure(figure, snakemake.output.png, *snakemake.output.formats, png_dpi=size.png_dpi)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
