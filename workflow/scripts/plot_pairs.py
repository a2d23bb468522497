"""The figure of before-and-after pairs, from the published before-by-after tables."""

from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import read_csv
from likertflow.pair_plot import plot_pair_shift
from likertflow.plotting import FigureSize, save_figure


def main(snakemake):
    tables = read_csv(snakemake.input.tables, dtype="str")
    questionnaires = {
        survey: parse_questionnaire(codebook)
        for survey, codebook in snakemake.params.codebooks.items()
    }
    size = FigureSize.from_params(snakemake.params.size)
    figure = plot_pair_shift(tables, questionnaires, snakemake.params.pairs, size)
    save_figure(figure, snakemake.output.png, *snakemake.output.formats, png_dpi=size.png_dpi)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
