"""The configured group comparisons: rank tests, effect sizes, group summaries, Dunn pairs."""

from likertflow.comparisons import run_comparison
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.grouping import comparisons_with_inputs
from likertflow.pvalues import with_bounds
from likertflow.settings import ComparisonSettings


def main(snakemake):
    settings = ComparisonSettings.from_params(snakemake.params.analysis)
    outputs = [snakemake.output.tests, snakemake.output.groups, snakemake.output.posthoc]
    # outputs are in comparison-name order (common.smk's COMPARISONS); a numeric question's
    # config bands (params.bands) form its groups
    params = snakemake.params
    inputs = comparisons_with_inputs(
        params.comparisons, snakemake.input.scores, params.codebooks, params.bands
    )
    for index, (name, comparison, frames, questionnaires) in enumerate(inputs):
        tables = run_comparison(name, comparison, frames, questionnaires, settings)
        for table, paths in zip(tables, outputs, strict=True):
            write_csv(with_bounds(table), paths[index])  # a p that underflows: a bound too


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
