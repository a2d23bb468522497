"""Proportional-odds models of each adjusted comparison's outcomes on its groups and
covariates, from each questionnaire's combined partial results (the model cells:
likertflow.partials)."""

from likertflow.concat import concatenate
from likertflow.disclosure import SUPPRESSED, policy_of
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.grouping import compared_surveys, comparisons_with_cells
from likertflow.ordinal import ordinal_models_from_cells
from likertflow.publishing import publish_ordinal, read_plans
from likertflow.pvalues import with_bounds
from likertflow.settings import Comparison, OrdinalSettings


def main(snakemake):
    settings = OrdinalSettings.from_params(snakemake.params.analysis)
    policy = policy_of(snakemake.params.disclosure)
    plans = read_plans(snakemake.input.disclosure)
    # outputs are in comparison-name order (common.smk's ADJUSTED_COMPARISONS); config bands of
    # the grouping question and covariates (params.bands) make them groups
    params = snakemake.params
    inputs = comparisons_with_cells(
        params.comparisons, snakemake.input.cells, params.codebooks, params.bands
    )
    for (name, comparison, cells, questionnaires), output in zip(
        inputs, snakemake.output.models, strict=True
    ):
        table = ordinal_models_from_cells(name, comparison, cells, questionnaires, settings)
        published = publish_ordinal(
            with_bounds(table), policy, settings.alpha, hidden_levels(plans, comparison)
        )
        write_csv(published, output)
    # the comparisons' models, one after another, as each was written
    table = snakemake.output.table  # a list of the one table (common.smk's ORDINAL_MODELS)
    concatenate(list(snakemake.output.models), table if isinstance(table, str) else table[0])


def hidden_levels(plans: dict, comparison: Comparison) -> set[tuple[str, str]]:
    """The levels of the model's terms that a published table hides: (``group`` or a covariate,
    its answer's label) of every answer shown as ``*`` in the published frequencies."""
    hidden = set()
    for survey, plan in plans.items():
        if comparison.by != "survey" and survey == comparison.survey:
            rows = plan[(plan["question_id"] == comparison.by) & (plan["n"] == SUPPRESSED)]
            hidden |= {("group", label) for label in rows["response"]}
        if survey in compared_surveys(comparison):
            for covariate in comparison.adjust_for:
                rows = plan[(plan["question_id"] == covariate) & (plan["n"] == SUPPRESSED)]
                hidden |= {(covariate, label) for label in rows["response"]}
    return hidden


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
