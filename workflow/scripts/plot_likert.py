"""Figures 1-4: diverging stacked bars of a statement set in a questionnaire, one figure per entry
of config likert_figures, drawn from the published statement frequencies and participant flow."""

from pathlib import Path

from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import read_csv
from likertflow.likert_plot import likert_figure
from likertflow.plotting import FigureSize, save_figure


def main(snakemake):
    size = FigureSize.from_params(snakemake.params.size)
    policy = policy_of(snakemake.params.disclosure)
    frequencies = read_csv(snakemake.input.frequencies, dtype="str")
    flow = read_csv(snakemake.input.flow, dtype="str")
    for png in snakemake.output.png:
        name = Path(png).stem  # results/figures/{figure}.png, its other formats beside it
        formats = [path for path in snakemake.output.formats if Path(path).stem == name]
        spec = snakemake.params.figures[name]
        codebook = snakemake.params.codebooks[spec["survey"]]
        figure = likert_figure(frequencies, flow, codebook, spec, policy, size)
        save_figure(figure, png, *formats, png_dpi=size.png_dpi)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
