"""The configured group comparisons: rank tests, effect sizes, group summaries, Dunn pairs,
from each questionnaire's combined partial results (the comparison cells: likertflow.partials)."""

from likertflow.comparisons import run_comparison_from_cells
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.grouping import comparisons_with_cells
from likertflow.pvalues import with_bounds
from likertflow.settings import ComparisonSettings


def main(snakemake):
    settings = ComparisonSettings.from_params(snakemake.params.analysis)
    outputs = [snakemake.output.tests, snakemake.output.groups, snakemake.output.posthoc]
    # outputs are in comparison-name order (common.smk's COMPARISONS); a numeric question's
    # config bands (params.bands) form its groups
    params = snakemake.params
    inputs = comparisons_with_cells(
        params.comparisons, snakemake.input.cells, params.codebooks, params.bands
    )
    for index, (name, comparison, cells, questionnaires) in enumerate(inputs):
        tables = run_comparison_from_cells(name, comparison, cells, questionnaires, settings)
        for table, paths in zip(tables, outputs, strict=True):
            write_csv(with_bounds(table), paths[index])  # a p that underflows: a bound too


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
