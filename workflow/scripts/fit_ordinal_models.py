"""Proportional-odds models of one comparison's outcomes on its groups and covariates."""

from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.grouping import comparison_inputs
from likertflow.ordinal import ordinal_models
from likertflow.publishing import publish_ordinal
from likertflow.pvalues import with_bounds
from likertflow.settings import Comparison, OrdinalSettings


def main(snakemake):
    name = snakemake.wildcards.comparison
    comparison = Comparison.from_params(snakemake.params.comparison, f"comparisons.{name}")
    settings = OrdinalSettings.from_params(snakemake.params.analysis)
    # Config bands of the grouping question and covariates (params.bands) make them groups.
    frames, questionnaires = comparison_inputs(
        snakemake.input.scores, snakemake.params.codebooks, snakemake.params.bands, comparison
    )
    table = ordinal_models(name, comparison, frames, questionnaires, settings)
    policy = policy_of(snakemake.params.disclosure)
    write_csv(publish_ordinal(with_bounds(table), policy), snakemake.output[0])


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
