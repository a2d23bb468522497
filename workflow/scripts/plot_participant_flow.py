"""Participant flow diagram: exported rows to analysed respondents, per questionnaire."""

from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import read_csv
from likertflow.flow_plot import plot_flow
from likertflow.plotting import FigureSize, save_figure


def main(snakemake):
    labels = {
        q.survey: q.label for q in map(parse_questionnaire, snakemake.params.codebooks.values())
    }
    flow = read_csv(snakemake.input.flow)
    # Exclusion rule descriptions from config (optional, with no default in the schema): a rule
    # without one is shown by its id.
    exclusions = {
        rule["id"]: rule.get("description", rule["id"]) for rule in snakemake.params.exclusions
    }
    size = FigureSize.from_params(snakemake.params.size)
    figure = plot_flow(flow, labels, exclusions, size)
    save_figure(figure, snakemake.output.png, *snakemake.output.formats, png_dpi=size.png_dpi)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
