"""The instrument: questions, answer sets, skip logic, statements and themes, read from config.

The workflow passes each job the codebook of one questionnaire as a plain dict (see
``likertflow.config_check.questionnaire_codebook``); ``parse_questionnaire`` turns it into
these frozen objects so that code reads ``question.answers.codes``, not nested dict lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from likertflow.config_check import STATEMENTS_PLACEHOLDER, questionnaire_codebook

# Codes are small integers; pandas' nullable Int16 keeps "not asked / not answered" as <NA>.
CODE_DTYPE = "Int16"
# Answers to numeric questions (codebook ``type: numeric``): nullable float, <NA> when blank.
NUMBER_DTYPE = "Float64"
NUMERIC = "numeric"
REVERSE_MARK = "(R)"  # after a reverse-keyed statement's wording in figures and tables
# Values of a platform's finished flag that mean finished (Qualtrics Finished: 1/True), unless
# the codebook's export.finished_values says otherwise; by (format, values) where a platform
# codes it its own way: REDCap's <form>_complete is 0 Incomplete, 1 Unverified, 2 Complete.
FINISHED_VALUES = ("1", "True", "true", "TRUE", "Yes", "yes", "Complete", "Completed")
FINISHED_VALUES_BY_FORMAT = {("redcap", "codes"): ("2",), ("redcap", "labels"): ("Complete",)}


def finished_values(export: dict) -> tuple[str, ...]:
    """The values of the export's finished flag that mean finished."""
    if "finished_values" in export:
        return tuple(str(value) for value in export["finished_values"])
    platform = (export.get("format", "csv"), export.get("values", "labels"))
    return FINISHED_VALUES_BY_FORMAT.get(platform, FINISHED_VALUES)


@dataclass(frozen=True)
class Option:
    label: str
    code: int
    off_scale: bool = False
    export_code: str | None = None  # codebook ``export_code``: the platform's code, if not ``code``

    @property
    def exported(self) -> str:
        """This answer as a ``values: codes`` export writes it (LimeSurvey "A1", REDCap "1")."""
        return str(self.code) if self.export_code is None else self.export_code


@dataclass(frozen=True)
class AnswerSet:
    name: str
    ordinal: bool
    options: tuple[Option, ...]
    agree_labels: tuple[str, ...] = ()  # codebook ``agree``; empty: above the midpoint

    @property
    def labels(self) -> list[str]:
        return [option.label for option in self.options]

    @property
    def codes(self) -> list[int]:
        return [option.code for option in self.options]

    @property
    def code_of(self) -> dict[str, int]:
        return {option.label: option.code for option in self.options}

    @property
    def label_of(self) -> dict[int, str]:
        return {option.code: option.label for option in self.options}

    @property
    def label_of_exported(self) -> dict[str, str]:
        """Label by the code a ``values: codes`` export writes (``Option.exported``)."""
        return {option.exported: option.label for option in self.options}

    @property
    def scale_codes(self) -> list[int]:
        """Codes that are points on the scale, in order (off-scale answers left out)."""
        return [option.code for option in self.options if not option.off_scale]

    @property
    def agree_codes(self) -> list[int]:
        """The codes that count as agreeing: the codebook's ``agree`` labels, or else the
        on-scale points above the scale's midpoint (a neutral middle point excluded).

        This is the one definition of "% agree" (Likert figures, agreement summary, Figure 5).
        """
        if not self.ordinal:
            raise ValueError(f"answer set {self.name!r} is not ordinal: no 'agree' end")
        if self.agree_labels:
            return [self.code_of[label] for label in self.agree_labels]
        codes = self.scale_codes
        return codes[len(codes) - len(codes) // 2 :]

    @property
    def agree_description(self) -> str:
        """How "agree" is defined, for method columns and captions ("top two scale points")."""
        codes, agree = self.scale_codes, self.agree_codes
        words = {1: "scale point", 2: "two scale points", 3: "three scale points",
                 4: "four scale points", 5: "five scale points"}  # fmt: skip
        if agree == codes[len(codes) - len(agree) :] and len(agree) in words:
            return f"top {words[len(agree)]}"
        return "answers " + " or ".join(self.label_of[code] for code in agree)

    def on_scale(self, codes: pd.Series) -> pd.Series:
        """The codes with off-scale answers set to <NA>, for rank-based statistics."""
        return codes.where(codes.isin(self.scale_codes)).astype(CODE_DTYPE)

    def reversed(self, codes: pd.Series) -> pd.Series:
        """On-scale codes mirrored within the scale, off-scale codes left as they are: the i-th
        point from the bottom becomes the i-th from the top (min + max - code when the codes are
        evenly spaced, as 1-5). For a reverse-keyed statement's scores, reliability, comparisons."""
        scale = self.scale_codes
        mirror = dict(zip(scale, reversed(scale), strict=True))
        return codes.map(mirror).fillna(codes).astype(CODE_DTYPE)


@dataclass(frozen=True)
class Column:
    """One export column and the condition under which the platform asks it."""

    header: str
    asked_if: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: AnswerSet
    columns: tuple[Column, ...]
    statement_set: str | None = None
    theme: str | None = None
    reverse: bool = False  # codebook ``reverse: true`` (statements)
    optional: bool = False  # codebook ``optional: true``: a blank is never item non-response
    numeric: bool = False  # codebook ``type: numeric``: answers are numbers, ``answers`` is None
    minimum: float | None = None
    maximum: float | None = None

    def scored(self, codes: pd.Series) -> pd.Series:
        """The codes as scored: on-scale only, reversed if reverse-keyed (themes, reliability,
        comparisons). Off-scale answers are <NA>."""
        on_scale = self.answers.on_scale(codes)
        return self.answers.reversed(on_scale) if self.reverse else on_scale

    @property
    def display_text(self) -> str:
        """The wording as shown in figures: reverse-keyed statements marked "(R)"."""
        return f"{self.text} {REVERSE_MARK}" if self.reverse else self.text


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    statement_set: str
    items: tuple[str, ...]
    min_answered: int  # statements a respondent must have answered for a theme score
    encompasses: str = ""


@dataclass(frozen=True)
class Questionnaire:
    survey: str
    label: str
    response_id: str | None  # None: the export has no id column (each row is a response)
    started: str | None  # None: the export has no start times
    completed: str | None  # None: the export has no completion times
    timestamp_format: str
    questions: tuple[Question, ...]
    themes: dict[str, Theme] = field(default_factory=dict)
    statement_sets: dict[str, str] = field(default_factory=dict)  # id -> label
    finished: str | None = None  # column of the platform's finished flag, if it has one
    finished_values: tuple[str, ...] = ()  # values of that column that mean finished
    export: dict = field(default_factory=dict)  # the codebook's export block (likertflow.readers)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"{self.survey} questionnaire has no question {question_id!r}")

    @property
    def question_ids(self) -> list[str]:
        return [question.id for question in self.questions]

    def statements(self, statement_set: str | None = None) -> list[Question]:
        """Likert statements, in questionnaire order, optionally of one set."""
        return [
            question
            for question in self.questions
            if question.statement_set is not None
            and (statement_set is None or question.statement_set == statement_set)
        ]

    @property
    def export_columns(self) -> list[str]:
        """Every column an export of this questionnaire must have, in questionnaire order."""
        meta = [self.response_id, self.started, self.completed, self.finished]
        meta = [header for header in meta if header is not None]
        return meta + [column.header for q in self.questions for column in q.columns]


def parse_questionnaire(codebook: dict) -> Questionnaire:
    """Resolve one questionnaire's codebook dict (shared sections plus its own) into objects."""
    answer_sets = {
        name: AnswerSet(
            name=name,
            ordinal=bool(spec.get("ordinal", False)),
            options=tuple(_option(o) for o in spec["options"]),
            agree_labels=tuple(str(label) for label in spec.get("agree", ())),
        )
        for name, spec in codebook["answer_sets"].items()
    }
    questions: list[Question] = []
    for entry in codebook["questions"]:
        if entry == STATEMENTS_PLACEHOLDER:
            columns = codebook["export"].get("statement_columns", {})
            questions.extend(_statement_questions(codebook, answer_sets, columns))
            continue
        columns = entry.get("columns") or [{"column": entry["text"]}]
        numeric = entry.get("type") == NUMERIC
        questions.append(
            Question(
                id=entry["id"],
                text=entry["text"],
                answers=None if numeric else answer_sets[entry["answers"]],
                columns=tuple(_column(c) for c in columns),
                optional=bool(entry.get("optional", False)),
                numeric=numeric,
                minimum=entry.get("min"),
                maximum=entry.get("max"),
            )
        )
    themes = {}
    for theme_id, spec in codebook.get("themes", {}).items():
        items = tuple(q.id for q in questions if q.theme == theme_id)
        if not items:  # a theme no statement of this questionnaire belongs to
            continue
        rule = spec.get("min_answered", "all")
        themes[theme_id] = Theme(
            id=theme_id,
            label=spec["label"],
            statement_set=spec["statement_set"],
            items=items,
            min_answered=len(items) if rule == "all" else int(rule),
            encompasses=spec.get("encompasses", ""),
        )
    export = codebook["export"]
    return Questionnaire(
        survey=codebook["survey"],
        label=codebook.get("label", codebook["survey"]),
        response_id=export.get("response_id"),
        started=export.get("started"),
        completed=export.get("completed"),
        timestamp_format=export.get("timestamp_format"),
        questions=tuple(questions),
        themes=themes,
        statement_sets={
            set_id: spec["label"] for set_id, spec in codebook.get("statement_sets", {}).items()
        },
        finished=export.get("finished"),
        finished_values=finished_values(export),
        export=dict(export),
    )


def _option(spec: dict) -> Option:
    export_code = spec.get("export_code")
    return Option(
        label=str(spec["label"]),
        code=int(spec["code"]),
        off_scale=bool(spec.get("off_scale", False)),
        export_code=None if export_code is None else str(export_code),
    )


def _statement_questions(
    codebook: dict, answer_sets: dict[str, AnswerSet], columns: dict[str, str]
) -> list[Question]:
    stems = codebook.get("statement_stems", {})
    default = codebook.get("statement_answers", "agreement")
    sets = codebook.get("statement_sets", {})
    questions = []
    for statement in codebook["statements"]:
        set_id = statement["statement_set"]
        stem = stems.get(set_id)
        header = f"{stem} - {statement['wording']}" if stem else statement["wording"]
        header = columns.get(statement["id"], header)  # export.statement_columns
        questions.append(
            Question(
                id=statement["id"],
                text=statement["wording"],
                answers=answer_sets[sets.get(set_id, {}).get("answers", default)],
                columns=(Column(header),),
                statement_set=set_id,
                theme=statement.get("theme"),
                reverse=bool(statement.get("reverse", False)),
            )
        )
    return questions


def _column(spec: dict) -> Column:
    asked_if = tuple(
        (question_id, tuple(str(label) for label in labels))
        for question_id, labels in (spec.get("asked_if") or {}).items()
    )
    return Column(header=spec["column"], asked_if=asked_if)


def column_asked(coded: pd.DataFrame, column: Column, questionnaire: Questionnaire) -> pd.Series:
    """Which respondents the platform asked ``column``, from their coded earlier answers.

    A condition on a question that was not asked (code <NA>) is not met.
    """
    asked = pd.Series(True, index=coded.index)
    for question_id, labels in column.asked_if:
        answers = questionnaire.question(question_id).answers
        wanted = [answers.code_of[label] for label in labels]
        asked &= coded[question_id].isin(wanted).fillna(False).astype(bool)
    return asked


def question_asked(
    coded: pd.DataFrame, question: Question, questionnaire: Questionnaire
) -> pd.Series:
    """Whether any of the question's columns was asked of each respondent."""
    masks = [column_asked(coded, column, questionnaire) for column in question.columns]
    return pd.Series(np.logical_or.reduce([m.to_numpy() for m in masks]), index=coded.index)


def load_questionnaires(path) -> dict[str, Questionnaire]:
    """Every questionnaire of a codebook file, by survey id."""
    import yaml  # only the callers outside Snakemake need it

    with open(path, encoding="utf-8") as handle:
        codebook = yaml.safe_load(handle)
    return {
        survey: parse_questionnaire(questionnaire_codebook(codebook, survey))
        for survey in codebook["questionnaires"]
    }
