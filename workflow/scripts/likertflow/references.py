"""Start-up checks of what config/config.yaml and the codebook refer to: the names one file uses
exist in the other (a table's questions, a comparison's groups and outcomes, an exclusion's
question and labels, a figure's statement set), and the files an export block names exist.

The JSON schemas check each file's shape and ``likertflow.codebook.check_codebook`` the codebook
within itself; this checks the config against the parsed questionnaires, one function per config
section, so that a typo stops the run at once with a message naming it, not halfway through with a
KeyError. Plain Python only: it runs at parse time, where importing pandas would slow every
invocation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from likertflow.codebook import Questionnaire
from likertflow.exclusions import RULES
from likertflow.outputs import WEIGHTED_FIGURE

Questionnaires = dict[str, Questionnaire]


class ConfigError(ValueError):
    """The config names something the codebook does not define; ``problems`` lists each
    ("<key path>: what is wrong")."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


def check_references(config: dict, questionnaires: Questionnaires) -> None:
    """Raise ConfigError listing every name the config uses that the codebook lacks, and every
    file an export block names that is not there. ``config`` as its schema validated it (every
    default filled in: ``likertflow.schemas.validate``)."""
    problems = []
    for check in SECTIONS:
        problems.extend(check(config, questionnaires))
    if problems:
        raise ConfigError(
            "the config names things the codebook does not define:\n  - "
            + "\n  - ".join(problems),
            problems,
        )


def check_exports(config: dict, questionnaires: Questionnaires) -> list[str]:
    """Export blocks: a data dictionary that is not there, statement_columns naming no statement
    of the questionnaire."""
    problems = []
    for survey, questionnaire in questionnaires.items():
        export = questionnaire.export
        if export.data_dictionary and not Path(export.data_dictionary).is_file():
            problems.append(
                f"questionnaires.{survey}.export.data_dictionary: no file "
                f"{export.data_dictionary!r}"
            )
        statements = {statement.id for statement in questionnaire.statements()}
        for statement in export.statement_columns:
            if statement not in statements:
                problems.append(
                    f"questionnaires.{survey}.export.statement_columns: no statement {statement!r}"
                )
    return problems


def check_exclusions(config: dict, questionnaires: Questionnaires) -> list[str]:
    """Each exclusion rule's own checks (likertflow.exclusions)."""
    return [
        problem
        for rule in config["exclusions"]
        for problem in RULES[rule["rule"]].check(rule, questionnaires)
    ]


def check_bands(config: dict, questionnaires: Questionnaires) -> list[str]:
    """Bands are of numeric questions, start in increasing order and have distinct labels."""
    problems = []
    for question, spec in config["bands"].items():
        if not any(_numeric(q, question) for q in questionnaires.values()):
            problems.append(
                f"bands.{question}: no questionnaire has a numeric question {question!r}"
            )
        starts = [band["from"] for band in spec]
        if starts != sorted(set(starts)):
            problems.append(f"bands.{question}: `from` must increase from band to band ({starts})")
        labels = [band["label"] for band in spec]
        if len(set(labels)) < len(labels):
            problems.append(f"bands.{question}: a label is used twice ({labels})")
    return problems


def check_tables(config: dict, questionnaires: Questionnaires) -> list[str]:
    """A table's questionnaire and questions exist; a numeric question has bands."""
    problems = []
    for name, table in config["tables"].items():
        questionnaire = _questionnaire(f"tables.{name}", table["survey"], questionnaires, problems)
        if questionnaire is None:
            continue
        for question in table["questions"]:
            if question not in questionnaire.question_ids:
                problems.append(f"tables.{name}: {table['survey']} has no question {question!r}")
            elif _labels(config, questionnaire, question) is None:
                problems.append(
                    f"tables.{name}: question {question!r} is numeric; give it `bands` in "
                    "config to tabulate it"
                )
    return problems


def check_comparisons(config: dict, questionnaires: Questionnaires) -> list[str]:
    """A comparison's questionnaires, grouping question (with bands if numeric), omitted labels,
    outcomes (themes or questions) and covariates exist."""
    problems = []
    for name, spec in config["comparisons"].items():
        where, by = f"comparisons.{name}", spec["by"]
        compared = spec["surveys"] if by == "survey" else [spec["survey"]]
        for survey in compared:
            questionnaire = _questionnaire(where, survey, questionnaires, problems)
            if questionnaire is None:
                continue
            if by != "survey" and by not in questionnaire.question_ids:
                problems.append(f"{where}: {survey} has no question {by!r}")
            elif by != "survey":
                labels = _labels(config, questionnaire, by)
                if labels is None:
                    problems.append(
                        f"{where}: groups by numeric question {by!r}; give it `bands` in config"
                    )
                for label in spec["omit"] if labels is not None else []:
                    if label not in labels:
                        problems.append(
                            f"{where}: omit label {label!r} is not an answer of {by!r} "
                            f"(answers: {labels})"
                        )
            known = {*questionnaire.themes, *questionnaire.question_ids}
            for outcome in spec["outcomes"]:
                if outcome not in known:
                    problems.append(
                        f"{where}: outcome {outcome!r} is neither a theme nor a question of "
                        f"{survey}"
                    )
            for covariate in spec["adjust_for"]:
                if covariate not in questionnaire.question_ids:
                    problems.append(
                        f"{where}: adjust_for {covariate!r} is not a question of {survey}"
                    )
        if by == "survey":
            problems += _stackable(where, compared, questionnaires)
    return problems


def _stackable(where: str, surveys: list[str], questionnaires: Questionnaires) -> list[str]:
    """Questionnaires compared ``by: survey`` on the design (likertflow.weighting.stacked_design)
    either all declare a survey design, with one lonely-PSU rule, or none does."""
    known = [questionnaires[s] for s in surveys if s in questionnaires]
    designed = [q.survey for q in known if q.design is not None]
    if not designed:
        return []
    if len(designed) < len(known):
        bare = [q.survey for q in known if q.design is None]
        return [
            f"{where}: {', '.join(designed)} declare a survey design (codebook design) and "
            f"{', '.join(bare)} none: a design-based comparison of questionnaires needs the "
            f"design of each (declare the design of {', '.join(bare)}, with a weight column "
            "of 1 for a simple random sample) or none (then the comparison is unweighted)"
        ]
    rules = sorted({q.design.lonely_psu for q in known})
    if len(rules) > 1:
        return [
            f"{where}: the questionnaires compared declare different lonely_psu rules "
            f"({', '.join(rules)}): their stacked design has one; declare the same in each"
        ]
    return []


def check_likert_figures(config: dict, questionnaires: Questionnaires) -> list[str]:
    """A figure's questionnaire exists and has statements of the figure's statement set."""
    problems = []
    for name, figure in config["likert_figures"].items():
        where, statement_set = f"likert_figures.{name}", figure["statement_set"]
        questionnaire = _questionnaire(where, figure["survey"], questionnaires, problems)
        known = {s for q in questionnaires.values() for s in q.statement_sets}
        if statement_set not in known:
            problems.append(f"{where}: unknown statement set {statement_set!r}")
        elif questionnaire is not None and not questionnaire.statements(statement_set):
            problems.append(
                f"{where}: statement set {statement_set!r} has no statements to plot"
            )
        twin = f"{name}{WEIGHTED_FIGURE}"
        if twin in config["likert_figures"] and questionnaire and questionnaire.design:
            problems.append(
                f"likert_figures.{twin}: the name of {where}'s weighted figure (its "
                f"questionnaire {figure['survey']!r} declares a survey design): rename one"
            )
    return problems


def check_figures(config: dict, questionnaires: Questionnaires) -> list[str]:
    """Figure 5's questionnaires and statement sets (``figures.agreement``) exist."""
    chosen, where = config["figures"]["agreement"], "figures.agreement"
    problems = [
        f"{where}.surveys: unknown questionnaire {survey!r} (codebook has {sorted(questionnaires)})"
        for survey in chosen["surveys"]
        if survey not in questionnaires
    ]
    known = {s for q in questionnaires.values() for s in q.statement_sets}
    problems += [
        f"{where}.statement_sets: unknown statement set {name!r} (codebook has {sorted(known)})"
        for name in chosen["statement_sets"]
        if name not in known
    ]
    return problems


# One check per section of the config (and the export blocks), in the order they are reported.
def check_pairs(config: dict, questionnaires: Questionnaires) -> list[str]:
    """Each pair's two questionnaires exist, differ and name a link_id; its outcomes are ordinal
    statements both ask (likertflow.weighting.pair_outcomes); a design, if any, is the first
    wave's (a weighted panel is analysed on it)."""
    problems = []
    for name, spec in config["pairs"].items():
        where = f"pairs.{name}"
        waves = [spec["before"], spec["after"]]
        if waves[0] == waves[1]:
            problems.append(f"{where}: before and after are the same questionnaire {waves[0]!r}")
        known = [survey for survey in waves if survey in questionnaires]
        for survey in waves:
            if survey not in questionnaires:
                problems.append(f"{where}: no questionnaire {survey!r} ({sorted(questionnaires)})")
            elif questionnaires[survey].link_id is None:
                problems.append(
                    f"{where}: questionnaire {survey!r} names no link_id in the codebook (the "
                    "column that links a person's two waves)"
                )
        if len(known) < 2:
            continue
        before, after = (questionnaires[survey] for survey in waves)
        if after.design is not None and before.design is None:
            problems.append(
                f"{where}: {after.survey} (after) declares a survey design and {before.survey} "
                "(before) none: a weighted panel is analysed on the first wave's design (its "
                f"weights, or the panel's longitudinal weights); declare the design on "
                f"{before.survey}, or remove it from {after.survey} to analyse the pairs "
                "unweighted"
            )
        for outcome in spec["outcomes"]:
            ok = outcome in before.question_ids and outcome in after.question_ids
            question = before.question(outcome) if ok else None
            if not ok or question.numeric or not question.answers.ordinal:
                problems.append(
                    f"{where}.outcomes: {outcome!r} is not an ordinal question of both "
                    f"{waves[0]!r} and {waves[1]!r}"
                )
    return problems


SECTIONS: tuple[Callable[[dict, Questionnaires], list[str]], ...] = (
    check_exports,
    check_exclusions,
    check_bands,
    check_tables,
    check_comparisons,
    check_likert_figures,
    check_figures,
    check_pairs,
)


def _questionnaire(
    where: str, survey: str, questionnaires: Questionnaires, problems: list[str]
) -> Questionnaire | None:
    """The questionnaire ``survey``; None, with a problem, if the codebook has none."""
    if survey not in questionnaires:
        problems.append(
            f"{where}: unknown questionnaire {survey!r} (codebook has {list(questionnaires)})"
        )
        return None
    return questionnaires[survey]


def _numeric(questionnaire: Questionnaire, question: str) -> bool:
    return question in questionnaire.question_ids and questionnaire.question(question).numeric


def _labels(config: dict, questionnaire: Questionnaire, question: str) -> list[str] | None:
    """A question's answer labels (its band labels if numeric); None: numeric, unbanded."""
    bands = config["bands"]
    if _numeric(questionnaire, question):
        return [band["label"] for band in bands[question]] if question in bands else None
    return questionnaire.question(question).answers.labels
