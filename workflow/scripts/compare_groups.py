"""One configured group comparison: rank tests, effect sizes, group summaries, Dunn pairs."""

from likertflow.comparisons import run_comparison
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.grouping import comparison_inputs
from likertflow.pvalues import with_bounds
from likertflow.settings import Comparison, ComparisonSettings


def main(snakemake):
    name = snakemake.wildcards.comparison
    comparison = Comparison.from_params(snakemake.params.comparison, f"comparisons.{name}")
    settings = ComparisonSettings.from_params(snakemake.params.analysis)
    # A numeric question's config bands (params.bands) form its groups.
    frames, questionnaires = comparison_inputs(
        snakemake.input.scores, snakemake.params.codebooks, snakemake.params.bands, comparison
    )
    tables = run_comparison(name, comparison, frames, questionnaires, settings)
    for table, path in zip(tables, [snakemake.output.tests, snakemake.output.groups,
                                    snakemake.output.posthoc], strict=True):  # fmt: skip
        write_csv(with_bounds(table), path)  # a p that underflows: a bound beside its log10


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
