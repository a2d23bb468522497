"""The configured group comparisons: rank tests, effect sizes, group summaries, Dunn pairs."""

from likertflow.comparisons import run_comparison
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.grouping import compared_surveys, comparison_inputs, score_paths
from likertflow.pvalues import with_bounds
from likertflow.settings import Comparison, ComparisonSettings


def main(snakemake):
    settings = ComparisonSettings.from_params(snakemake.params.analysis)
    outputs = [snakemake.output.tests, snakemake.output.groups, snakemake.output.posthoc]
    # outputs are in comparison-name order (common.smk's COMPARISONS)
    for index, name in enumerate(sorted(snakemake.params.comparisons)):
        comparison = Comparison.from_params(
            snakemake.params.comparisons[name], f"comparisons.{name}"
        )
        codebooks = {s: snakemake.params.codebooks[s] for s in compared_surveys(comparison)}
        # A numeric question's config bands (params.bands) form its groups.
        frames, questionnaires = comparison_inputs(
            score_paths(snakemake.input.scores, comparison),
            codebooks,
            snakemake.params.bands[name],
            comparison,
        )
        tables = run_comparison(name, comparison, frames, questionnaires, settings)
        for table, paths in zip(tables, outputs, strict=True):
            write_csv(with_bounds(table), paths[index])  # a p that underflows: a bound too


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
