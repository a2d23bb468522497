"""Proportional-odds models of one comparison's outcomes on its groups and covariates."""

from likertflow.disclosure import SUPPRESSED, policy_of
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.grouping import comparison_inputs
from likertflow.ordinal import ordinal_models
from likertflow.publishing import publish_ordinal, read_plans
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
    published = publish_ordinal(
        with_bounds(table), policy, settings.alpha, hidden_levels(snakemake, comparison)
    )
    write_csv(published, snakemake.output[0])


def hidden_levels(snakemake, comparison: Comparison) -> set[tuple[str, str]]:
    """The levels of the model's terms that a published table hides: (``group`` or a covariate,
    its answer's label) of every answer shown as ``*`` in the published frequencies."""
    plans = read_plans(snakemake.input.disclosure)
    hidden = set()
    for survey, plan in plans.items():
        if comparison.by != "survey" and survey == comparison.survey:
            rows = plan[(plan["question_id"] == comparison.by) & (plan["n"] == SUPPRESSED)]
            hidden |= {("group", label) for label in rows["response"]}
        if survey in comparison_surveys(comparison):
            for covariate in comparison.adjust_for:
                rows = plan[(plan["question_id"] == covariate) & (plan["n"] == SUPPRESSED)]
                hidden |= {(covariate, label) for label in rows["response"]}
    return hidden


def comparison_surveys(comparison: Comparison) -> list[str]:
    return list(comparison.surveys) if comparison.by == "survey" else [comparison.survey]


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
