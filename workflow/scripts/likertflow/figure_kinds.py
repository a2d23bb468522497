"""The registry of figure kinds: what each kind of figure shows, the rule and script that draw
it, its caption and its files.

A kind draws one figure per entry of a config section (the Likert figures: ``likert_figures``;
the weighted Likert figures: those of its entries whose questionnaire declares a survey design,
each named as the entry with ``WEIGHTED_FIGURE``) or one figure of the whole run, each as
``results/figures/<name>.png`` and the formats of config ``figures.formats`` (``.svg``,
``.pdf``). Config ``figures.draw`` chooses the kinds drawn, and a
kind may draw nothing where it would show nothing (Figure 5 with one bar: ``agreement_bars``).
The figures ``rule all`` asks for come from here (``outputs``, in workflow/rules/common.smk), and
the report's front page describes the kinds from their words (likertflow.captions).
tests/unit/test_registries.py checks each entry against its rule in workflow/rules/figures.smk.
A new kind is one entry here, a plotting module and its entry script, a rule, a caption, and
tests (docs/development.md). Plain Python: this runs at parse time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from likertflow.outputs import WEIGHTED_FIGURE

FOLDER = "results/figures"
PNG = "png"  # every figure has one: the report shows it


def extensions(config: dict) -> list[str]:
    """The formats of a run's figures: PNG and config ``figures.formats``."""
    return [PNG, *config["figures"]["formats"]]


@dataclass(frozen=True)
class FigureKind:
    name: str
    title: str  # the kind's name in the report
    description: str  # what a figure of this kind shows (reStructuredText, reads as Markdown)
    rule: str  # the rule in workflow/rules/figures.smk that draws it
    module: str  # the library module that draws it, likertflow.<module>
    caption: str  # workflow/report/<caption>.rst, also its name in config study.notes
    config: str | None  # the config section with one figure per entry; None: one figure
    stem: str | None  # the one figure's file name without extension (config None)
    # Whether a run of (config, questionnaires) draws the one figure; None: always.
    wanted: Callable[[dict, dict], bool] | None = None
    # A kind with a config section: the entries it draws a figure of (None: every one), and
    # what the figure's name adds to the entry's (results/figures/<entry><suffix>.png).
    entries: Callable[[dict, dict], list[str]] | None = None
    suffix: str = ""

    @property
    def script(self) -> str:
        """Its entry script, workflow/scripts/<script>: named as the rule, as every rule's is."""
        return f"{self.rule}.py"

    def names(self, config: dict, questionnaires: dict) -> list[str]:
        """The file names (without extension) of this kind's figures in a run of ``config`` on
        ``questionnaires`` (the parsed codebook, by survey): none unless ``figures.draw`` names
        the kind."""
        if self.name not in config["figures"]["draw"]:
            return []
        if self.config:
            chosen = config[self.config] if self.entries is None else self.entries(config,
                                                                                 questionnaires)
            return [f"{entry}{self.suffix}" for entry in sorted(chosen)]  # fmt: skip
        return [self.stem] if self.wanted is None or self.wanted(config, questionnaires) else []

    def outputs(self, config: dict, questionnaires: dict) -> list[str]:
        """Its figures' files, every format of each figure in turn."""
        return [
            f"{FOLDER}/{name}.{ext}"
            for name in self.names(config, questionnaires)
            for ext in extensions(config)
        ]


def agreement_bars(config: dict, questionnaires: dict) -> list[tuple[str, str]]:
    """Figure 5's bars, (statement set, survey) in drawing order: the sets and questionnaires
    config ``figures.agreement`` names (empty: every one), each pair whose questionnaire has
    statements of the set on an ordered scale."""
    chosen = config["figures"]["agreement"]
    surveys = list(chosen["surveys"]) or list(questionnaires)
    every_set = dict.fromkeys(
        s.statement_set
        for survey in surveys
        for s in questionnaires[survey].statements()
        if s.answers.ordinal
    )
    sets = list(chosen["statement_sets"]) or list(every_set)
    return [
        (set_id, survey)
        for set_id in sets
        for survey in surveys
        if any(s.answers.ordinal for s in questionnaires[survey].statements(set_id))
    ]


def weighted_likert_figures(config: dict, questionnaires: dict) -> list[str]:
    """The entries of config ``likert_figures`` whose questionnaire declares a survey design
    (codebook ``design``): each has a weighted figure too."""
    return sorted(
        name
        for name, spec in config["likert_figures"].items()
        if questionnaires[spec["survey"]].design is not None
    )


def _agreement_wanted(config: dict, questionnaires: dict) -> bool:
    """Figure 5 compares something: two bars or more, or one if ``single_bar`` asks for it."""
    bars = len(agreement_bars(config, questionnaires))
    return bars > 1 or (bars == 1 and config["figures"]["agreement"]["single_bar"])


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
            module="likert_plot",
            caption="likert_figure",
            config="likert_figures",
            stem=None,
        ),
        FigureKind(
            name="weighted_likert",
            title="Weighted Likert figures",
            description=(
                "the Likert figures of each questionnaire with a survey design (codebook "
                "``design``), drawn from its weighted percentages: each bar estimates the "
                "population's answers, on the same axis as the unweighted figures, its n "
                "unweighted; one figure per such entry of config ``likert_figures``, named as "
                f"the entry with ``{WEIGHTED_FIGURE}``"
            ),
            rule="plot_weighted_likert",
            module="likert_plot",
            caption="weighted_likert_figure",
            config="likert_figures",
            stem=None,
            entries=weighted_likert_figures,
            suffix=WEIGHTED_FIGURE,
        ),
        FigureKind(
            name="agreement",
            title="Figure 5",
            description=(
                "the mean % agree of each statement set in each questionnaire, with its "
                "confidence interval, and each statement's % agree, each statement in its keyed "
                "direction; drawn where it compares two bars or more"
            ),
            rule="plot_agreement",
            module="agreement_plot",
            caption="figure5",
            config=None,
            stem="figure5_agreement",
            wanted=_agreement_wanted,
        ),
        FigureKind(
            name="participant_flow",
            title="Participant flow diagram",
            description=(
                "the responses of each questionnaire from the exported rows to the analysed "
                "cohort, CONSORT style: duplicates, exclusions by rule, respondents analysed"
            ),
            rule="plot_participant_flow",
            module="flow_plot",
            caption="participant_flow_figure",
            config=None,
            stem="participant_flow",
        ),
    ]
}


def outputs(config: dict, questionnaires: dict) -> list[str]:
    """Every figure file of a run of ``config`` on ``questionnaires``, kind by kind."""
    return [path for kind in FIGURE_KINDS.values() for path in kind.outputs(config, questionnaires)]
