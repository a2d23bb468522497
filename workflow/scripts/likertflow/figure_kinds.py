"""The registry of figure kinds: what each kind of figure shows, the rule and script that draw
it, its caption and its files.

A kind draws one figure per entry of a config section (the Likert figures: ``likert_figures``)
or one figure of the whole run, each as ``results/figures/<name>.png`` and ``.svg``. The figures
``rule all`` asks for come from here (``outputs``, in workflow/rules/common.smk), and the
report's front page describes the kinds from their words (likertflow.captions).
tests/unit/test_registries.py checks each entry against its rule in workflow/rules/figures.smk.
A new kind is one entry here, a plotting module and its entry script, a rule, a caption, and
tests (docs/development.md). Plain Python: this runs at parse time.
"""

from __future__ import annotations

from dataclasses import dataclass

FOLDER = "results/figures"
EXTENSIONS = ("png", "svg")


@dataclass(frozen=True)
class FigureKind:
    name: str
    title: str  # the kind's name in the report
    description: str  # what a figure of this kind shows (reStructuredText, reads as Markdown)
    rule: str  # the rule in workflow/rules/figures.smk that draws it
    script: str  # its entry script, workflow/scripts/<script>
    module: str  # the library module that draws it, likertflow.<module>
    caption: str  # workflow/report/<caption>.rst, also its name in config study.notes
    config: str | None  # the config section with one figure per entry; None: one figure
    stem: str | None  # the one figure's file name without extension (config None)

    def names(self, config: dict) -> list[str]:
        """The file names (without extension) of this kind's figures in a run of ``config``."""
        return sorted(config[self.config]) if self.config else [self.stem]

    def outputs(self, config: dict) -> list[str]:
        """Its figures' files, every extension of each figure in turn."""
        return [f"{FOLDER}/{name}.{ext}" for name in self.names(config) for ext in EXTENSIONS]


FIGURE_KINDS: dict[str, FigureKind] = {
    kind.name: kind
    for kind in [
        FigureKind(
            name="likert",
            title="Likert figures",
            description=(
                "diverging stacked bars of the answers to each statement of a statement set, in "
                "one questionnaire, one figure per entry of config ``likert_figures``, all on "
                "one common axis"
            ),
            rule="plot_likert",
            script="plot_likert.py",
            module="likert_plot",
            caption="likert_figure",
            config="likert_figures",
            stem=None,
        ),
        FigureKind(
            name="agreement",
            title="Figure 5",
            description=(
                "the mean % agree of each statement set in each questionnaire, with its "
                "confidence interval, and each statement's % agree"
            ),
            rule="plot_agreement",
            script="plot_agreement.py",
            module="agreement_plot",
            caption="figure5",
            config=None,
            stem="figure5_agreement",
        ),
        FigureKind(
            name="participant_flow",
            title="Participant flow diagram",
            description=(
                "the responses of each questionnaire from the exported rows to the analysed "
                "cohort, CONSORT style: duplicates, exclusions by rule, respondents analysed"
            ),
            rule="plot_participant_flow",
            script="plot_participant_flow.py",
            module="flow_plot",
            caption="participant_flow_figure",
            config=None,
            stem="participant_flow",
        ),
    ]
}


def outputs(config: dict) -> list[str]:
    """Every figure file of a run of ``config``, kind by kind."""
    return [path for kind in FIGURE_KINDS.values() for path in kind.outputs(config)]
