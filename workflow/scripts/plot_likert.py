"""Figures 1-4: diverging stacked bars of one statement set in one questionnaire, drawn from the
published statement frequencies and participant flow."""

from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import read_csv
from likertflow.likert_plot import likert_figure
from likertflow.plotting import FigureSize, save_figure


def main(snakemake):
    size = FigureSize.from_params(snakemake.params.size)
    figure = likert_figure(
        read_csv(snakemake.input.frequencies, dtype="str"),
        read_csv(snakemake.input.flow, dtype="str"),
        snakemake.params.codebook,
        snakemake.params.figure,
        policy_of(snakemake.params.disclosure),
        size,
    )
    save_figure(figure, snakemake.output.png, *snakemake.output.formats, png_dpi=size.png_dpi)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
