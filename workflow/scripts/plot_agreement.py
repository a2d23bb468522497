"""Figure 5: mean % agree per statement set and questionnaire, with confidence intervals, from
the published agreement summary; the questionnaires and sets of config figures.agreement."""

from likertflow.agreement_plot import plot_agreement
from likertflow.codebook import REVERSE_MARK, parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import read_csv
from likertflow.plotting import FigureSize, save_figure

REVERSE_NOTES = {
    "keyed": f"reverse-keyed statements {REVERSE_MARK} in their keyed direction",
    "leave_out": f"reverse-keyed statements {REVERSE_MARK} left out",
}


def chosen_rows(summary, chosen: dict):
    """The summary's rows of the chosen questionnaires and sets (empty: all), in their order."""
    surveys = list(chosen["surveys"]) or list(dict.fromkeys(summary["survey"]))
    sets = list(chosen["statement_sets"]) or list(dict.fromkeys(summary["statement_set"]))
    kept = summary[summary["survey"].isin(surveys) & summary["statement_set"].isin(sets)]
    order = kept["statement_set"].map(sets.index) * len(surveys) + kept["survey"].map(surveys.index)
    return kept.iloc[order.argsort(kind="stable")]


def main(snakemake):
    questionnaires = [parse_questionnaire(c) for c in snakemake.params.codebooks.values()]
    summary = chosen_rows(read_csv(snakemake.input.summary), snakemake.params.chosen)
    # Each statement set's answer scale and its one definition of agreement.
    scales = {
        q.statement_set: q.answers
        for questionnaire in questionnaires
        for q in questionnaire.statements()
        if q.answers.ordinal
    }
    drawn = set(summary["statement_set"])
    reverse = any(
        q.reverse and q.statement_set in drawn for qs in questionnaires for q in qs.statements()
    )
    size = FigureSize.from_params(snakemake.params.size)
    figure = plot_agreement(
        summary,
        survey_labels={q.survey: q.label for q in questionnaires},
        set_labels={k: v for q in questionnaires for k, v in q.statement_sets.items()},
        agree_labels={
            set_id: [answers.label_of[code] for code in answers.agree_codes]
            for set_id, answers in scales.items()
        },
        confidence_level=snakemake.params.confidence_level,
        high={set_id: answers.ends.high for set_id, answers in scales.items()},
        notes=(REVERSE_NOTES[snakemake.params.reverse_keyed],) if reverse else (),
        size=size,
    )
    save_figure(figure, snakemake.output.png, *snakemake.output.formats, png_dpi=size.png_dpi)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
