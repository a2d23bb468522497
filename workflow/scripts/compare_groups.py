"""One configured group comparison: rank tests, effect sizes, group summaries, Dunn pairs."""

from likertflow.comparisons import run_comparison
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.grouping import comparison_inputs
from likertflow.pvalues import with_bounds


def main(snakemake):
    # Optional param: a numeric question's config bands form its groups.
    frames, questionnaires = comparison_inputs(
        snakemake.input.scores,
        snakemake.params.codebooks,
        snakemake.params.get("bands", {}),
        snakemake.params.comparison,
    )
    tables = run_comparison(
        snakemake.wildcards.comparison,
        snakemake.params.comparison,
        frames,
        questionnaires,
        snakemake.params.analysis,
    )
    for table, path in zip(tables, [snakemake.output.tests, snakemake.output.groups,
                                    snakemake.output.posthoc], strict=True):  # fmt: skip
        write_csv(with_bounds(table), path)  # a p that underflows: a bound beside its log10


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
