"""Figure 5: mean % agree per statement set and questionnaire, with confidence intervals."""

from likertflow.agreement_plot import plot_agreement
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import read_csv
from likertflow.plotting import save_figure


def main(snakemake):
    questionnaires = [parse_questionnaire(c) for c in snakemake.params.codebooks.values()]
    summary = read_csv(snakemake.input.summary)
    # Each statement set's answer scale and its one definition of agreement.
    scales = {
        q.statement_set: q.answers for q in questionnaires[0].statements() if q.answers.ordinal
    }
    figure = plot_agreement(
        summary,
        survey_labels={q.survey: q.label for q in questionnaires},
        set_labels=questionnaires[0].statement_sets,
        agree_labels={
            set_id: [answers.label_of[code] for code in answers.agree_codes]
            for set_id, answers in scales.items()
        },
        confidence_level=snakemake.params.confidence_level,
    )
    save_figure(figure, snakemake.output.png, snakemake.output.svg)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
