"""Figures 1-4: diverging stacked bars of a statement set in a questionnaire, one figure per entry
of config likert_figures, drawn from the published statement frequencies and participant flow."""

from pathlib import Path

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
    frequencies = read_csv(snakemake.input.frequencies, dtype="str")
    flow = read_csv(snakemake.input.flow, dtype="str")
    size = FigureSize.from_params(snakemake.params.size)
    policy = policy_of(snakemake.params.disclosure)
    for png in snakemake.output.png:
        name = Path(png).stem  # results/figures/{figure}.png, its other formats beside it
        formats = [path for path in snakemake.output.formats if Path(path).stem == name]
        spec = snakemake.params.figures[name]
        codebook = snakemake.params.codebooks[spec["survey"]]
        questionnaire = parse_questionnaire(codebook)
        figure = plot_likert(
            frequencies[frequencies["survey"] == questionnaire.survey],
            questionnaire,
            spec["statement_set"],
            # the title is optional in the schema: without one, questionnaire and statement set
            spec.get("title")
            or f"{questionnaire.label}: {questionnaire.statement_sets[spec['statement_set']]}",
            stem=codebook["statement_stems"].get(spec["statement_set"]),
            rows=layout_rows(questionnaire),
            policy=policy,
            total=analysed_total(flow, questionnaire.survey),
            size=size,
        )
        save_figure(figure, png, *formats, png_dpi=size.png_dpi)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
