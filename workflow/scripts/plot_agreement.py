"""Figure 5: mean % agree per statement set and questionnaire, with confidence intervals."""

import pandas as pd
from likertflow.agreement_plot import plot_agreement
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.plotting import save_figure


def main(snakemake):
    questionnaires = [parse_questionnaire(c) for c in snakemake.params.codebooks.values()]
    summary = pd.read_csv(snakemake.input.summary)
    # A disclosure rule writes suppressed values as "*": not drawn (and no n in the legend).
    numbers = ["percent_agree", "ci_low", "ci_high", "n", "n_agree"]
    summary[numbers] = summary[numbers].apply(pd.to_numeric, errors="coerce")
    scale = questionnaires[0].statements()[0].answers
    figure = plot_agreement(
        summary,
        survey_labels={q.survey: q.label for q in questionnaires},
        set_labels=questionnaires[0].statement_sets,
        agree_labels=[scale.label_of[code] for code in scale.scale_codes[-2:]],
        # Optional params: the figure names the level only when the rule passes it.
        confidence_level=snakemake.params.get("confidence_level"),
    )
    save_figure(figure, snakemake.output.png, snakemake.output.svg)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
