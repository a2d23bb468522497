"""The instrument, as one model: questions, answer sets, skip logic, statements, themes and the
export they arrive in, read from the codebook (config/codebook.yaml, checked by its schema).

The workflow passes each job the codebook of one questionnaire as a plain dict
(``questionnaire_codebook``: its params, so that editing one questionnaire reruns nothing of
another); ``parse_questionnaire`` turns it into these frozen objects so that code reads
``question.answers.codes``, not nested dict lookups. At start-up ``parse_codebook`` parses every
questionnaire once, after ``check_codebook`` has found what the schema cannot see (an answer set
named but not defined, a code used twice, skip logic naming an unknown answer).

Plain Python only: this runs at parse time, where importing pandas would slow every invocation.
The vectorised helpers over coded answers (on-scale codes, reverse keying, skip logic over a
frame) are ``likertflow.coding``.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, field, fields

STATEMENTS_PLACEHOLDER = "statements"  # in a questionnaire's questions: the shared statements
NUMERIC = "numeric"  # codebook ``type: numeric``
REVERSE_MARK = "(R)"  # after a reverse-keyed statement's wording in figures and tables
# Words of intensity that a scale's labels put before the word of their end ("Strongly agree",
# "Much too little", "A little too much"): left out when a pole's word is taken from the labels.
INTENSITY_WORDS = (
    "a little", "a lot", "absolutely", "completely", "definitely", "entirely", "extremely",
    "fairly", "far", "fully", "highly", "mildly", "moderately", "mostly", "much", "quite", "rather",
    "slightly", "somewhat", "strongly", "totally", "very",
)  # fmt: skip
_INTENSITY = re.compile(
    r"^(?:(?:" + "|".join(re.escape(word) for word in INTENSITY_WORDS) + r")\s+)+", re.IGNORECASE
)
# A label's leading number: "1 - Strongly disagree", "10 = Extremely likely", "0: Never".
_NUMBERED = re.compile(r"^\s*(-?\d+)\s*(?:[-=:.)\u2013\u2014]\s*(.*))?$")


class CodebookError(ValueError):
    """The codebook is inconsistent in a way its schema cannot see; ``problems`` lists each
    ("<key path>: what is wrong")."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True)
class ExportSpec:
    """A questionnaire's ``export`` block: how its exports are laid out and read, and its metadata
    columns (named as ``match`` says: the platform's column ids or texts). Parsed once, from the
    block as the codebook schema fills it: the schema is the one home of the defaults of the
    keys up to ``test_responses``; a key after it is None when the codebook leaves it out.
    ``format`` names a platform of ``likertflow.platforms.PLATFORMS``."""

    format: str
    match: str
    values: str
    delimiter: str
    encoding: str
    statement_columns: dict[str, str]  # statement id -> column
    # Columns where the platform marks preview, test and spam responses, each with the values
    # that mark one (export.test_responses; exclusion rule platform_test).
    test_responses: dict[str, tuple[str, ...]]
    data_dictionary: str | None = None  # REDCap: the project's data dictionary CSV
    response_id: str | None = None  # None: the export has no id column (each row is a response)
    started: str | None = None  # None: the export has no start times
    completed: str | None = None  # None: the export has no completion times
    timestamp_format: str | None = None  # strftime format of both times, given with either
    finished: str | None = None  # column of the platform's finished flag, if it has one
    # Values of that column that mean finished, as the codebook gives them; None: the platform's
    # convention (likertflow.platforms.finished_values).
    finished_values: tuple[str, ...] | None = None

    @property
    def codes(self) -> bool:
        """Whether answers are exported as codes (``values: codes``), not labels."""
        return self.values == "codes"

    @property
    def metadata_columns(self) -> list[str]:
        """The response id, time, finished-flag and test-mark columns the export has, in that
        order."""
        columns = [self.response_id, self.started, self.completed, self.finished]
        return [column for column in columns if column is not None] + list(self.test_responses)


def parse_export(block: dict) -> ExportSpec:
    """An ``export`` block as the codebook schema fills it (or the same keys given on a command
    line, completed with ``likertflow.schemas.export_defaults()``) as an ``ExportSpec``;
    ``CodebookError`` naming the keys the schema would have filled in, if any is missing."""
    missing = [
        item.name for item in fields(ExportSpec)
        if item.default is MISSING and item.default_factory is MISSING and item.name not in block
    ]  # fmt: skip
    if missing:
        raise CodebookError(
            f"export block without {', '.join(missing)}: parse the block as the codebook schema "
            "fills it (likertflow.schemas.validate, or export_defaults() for a partial one)"
        )
    known = {key: block[key] for key in ExportSpec.__dataclass_fields__ if key in block}
    if known.get("finished_values") is not None:
        known["finished_values"] = tuple(str(value) for value in known["finished_values"])
    known["statement_columns"] = dict(known["statement_columns"])
    known["test_responses"] = {
        str(column): tuple(str(value) for value in values)
        for column, values in known["test_responses"].items()
    }
    return ExportSpec(**known)


# The columns a declared survey design adds to the ingested batches and the analysed cohort
# (codebook ``design`` and ``link_id``): not identifiers, so no question id can take them.
WEIGHT, STRATUM, PSU, FPC, LINK = "_weight", "_stratum", "_psu", "_fpc", "_link"


@dataclass(frozen=True)
class DesignSpec:
    """A questionnaire's ``design`` block: the export columns of its survey design, as R's
    ``svydesign(ids = ~clusters, strata = ~strata, weights = ~weight, fpc = ~fpc)`` names them,
    and the rule for strata with a single sampling unit (``options(survey.lonely.psu)``). The
    schema fills in ``lonely_psu``; a column left out is None (unstratified, unclustered, no
    finite population correction)."""

    weight: str
    lonely_psu: str
    strata: str | None = None
    clusters: str | None = None
    fpc: str | None = None

    @property
    def columns(self) -> dict[str, str]:
        """Export column by the cohort column it becomes (``WEIGHT``, ``STRATUM``, ...)."""
        named = {WEIGHT: self.weight, STRATUM: self.strata, PSU: self.clusters, FPC: self.fpc}
        return {target: column for target, column in named.items() if column is not None}

    @property
    def words(self) -> str:
        """The design as declared, by its export columns: "weight Weight, strata Region,
        clusters Area" (a column left out is not named)."""
        named = {"weight": self.weight, "strata": self.strata, "clusters": self.clusters,
                 "fpc": self.fpc}  # fmt: skip
        return ", ".join(f"{role} {column}" for role, column in named.items() if column)


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
class Poles:
    """The words of an ordinal scale's two ends (codebook ``poles``): "% <low> / % <high>"."""

    low: str
    high: str


@dataclass(frozen=True)
class AnswerSet:
    name: str
    ordinal: bool
    options: tuple[Option, ...]
    agree_labels: tuple[str, ...] = ()  # codebook ``agree``; empty: above the midpoint
    poles: Poles | None = None  # codebook ``poles``, if given

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
    def scale_labels(self) -> list[str]:
        """Labels of the points on the scale, in order (off-scale answers left out)."""
        return [option.label for option in self.options if not option.off_scale]

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
    def low_codes(self) -> list[int]:
        """The on-scale points below the scale's midpoint (a neutral middle point excluded): the
        low end, counted in the "% disagree" (or "% <low>") columns."""
        codes = self.scale_codes
        return codes[: len(codes) // 2]

    @property
    def ends(self) -> Poles:
        """The words of the scale's two ends, for headers, legends and captions ("% <low>",
        "% <high>"): the codebook's ``poles``, or else words taken from the labels the two ends
        count (``low_codes``, ``agree_codes``): "Strongly disagree" and "Disagree" give
        "disagree", "Never" and "Rarely" "never or rarely", "Too much" and "Much too much" "too
        much"; numbered points "6 to 10"."""
        if self.poles is not None:
            return self.poles
        return Poles(
            pole_words([self.label_of[code] for code in self.low_codes]),
            pole_words([self.label_of[code] for code in self.agree_codes]),
        )

    @property
    def agree_description(self) -> str:
        """How "agree" is defined, for method columns and captions ("top two scale points")."""
        codes, agree = self.scale_codes, self.agree_codes
        words = {1: "scale point", 2: "two scale points", 3: "three scale points",
                 4: "four scale points", 5: "five scale points"}  # fmt: skip
        if agree == codes[len(codes) - len(agree) :] and len(agree) in words:
            return f"top {words[len(agree)]}"
        return "answers " + " or ".join(self.label_of[code] for code in agree)


def pole_words(labels: list[str]) -> str:
    """The word of one end of a scale from the labels it counts, lowest first: intensity words
    left out and capitalised words in lower case ("Strongly agree", "Agree": "agree"); two
    different words joined by "or" ("never or rarely"); more, the first and last ("not at all
    to somewhat"), or their numbers when every label is numbered ("0 to 4")."""
    numbered = [_NUMBERED.match(label) for label in labels]
    if len(labels) > 2 and all(numbered):
        return f"{numbered[0].group(1)} to {numbered[-1].group(1)}"
    words = list(dict.fromkeys(_end_word(label) for label in labels))
    if len(words) <= 2:
        return " or ".join(words)
    return f"{words[0]} to {words[-1]}"


def _end_word(label: str) -> str:
    """A label as a pole's word: without its number and intensity words, capitalised words in
    lower case (an acronym or a word such as "iPad" kept as written)."""
    numbered = _NUMBERED.match(label)
    text = numbered.group(2) or numbered.group(1) if numbered else label.strip()
    text = _INTENSITY.sub("", text).strip() or text.strip()
    return " ".join(
        word.lower() if word[:1].isupper() and (word[1:].islower() or len(word) == 1) else word
        for word in text.split()
    )


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

    @property
    def keyed_agree_codes(self) -> list[int]:
        """The codes that agree in the statement's keyed direction: its answer set's agree codes,
        mirrored on the scale for a reverse-keyed statement (agree and strongly agree become
        disagree and strongly disagree), in scale order."""
        agree = self.answers.agree_codes
        if not self.reverse:
            return agree
        scale = self.answers.scale_codes
        mirror = dict(zip(scale, reversed(scale), strict=True))
        return sorted((mirror[code] for code in agree), key=scale.index)

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
    encompasses: str | None = None  # codebook ``encompasses``, if given


@dataclass(frozen=True)
class Questionnaire:
    survey: str
    label: str
    export: ExportSpec
    questions: tuple[Question, ...]
    themes: dict[str, Theme] = field(default_factory=dict)
    statement_sets: dict[str, str] = field(default_factory=dict)  # id -> label
    design: DesignSpec | None = None  # codebook ``design``: None, a simple random sample
    link_id: str | None = None  # codebook ``link_id``: the column pairing a person's two waves

    @property
    def design_columns(self) -> dict[str, str]:
        """Export column by cohort column of the design and linking id (empty without them)."""
        columns = {} if self.design is None else dict(self.design.columns)
        return columns | ({LINK: self.link_id} if self.link_id is not None else {})

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
        questions = [column.header for q in self.questions for column in q.columns]
        design = [c for c in self.design_columns.values() if c not in self.export.metadata_columns]
        return self.export.metadata_columns + list(dict.fromkeys(design)) + questions


def questionnaire_codebook(codebook: dict, survey: str) -> dict:
    """One questionnaire's codebook dict: the shared sections plus that questionnaire's own.

    Jobs get this as their params, so that editing one questionnaire reruns nothing of another.
    """
    shared = {key: value for key, value in codebook.items() if key != "questionnaires"}
    return {**shared, "survey": survey, **codebook["questionnaires"][survey]}


@contextmanager
def _filled_by_the_schema(where: str):
    """A key missing where parsing reads it as a ``CodebookError`` that names it: the codebook
    schema fills in every default, and parsing adds none of its own."""
    try:
        yield
    except KeyError as error:
        raise CodebookError(
            f"{where}: no {error} where the codebook is parsed: parse a codebook as its schema "
            "fills it (likertflow.schemas.validate), after check_codebook"
        ) from error


def parse_codebook(codebook: dict) -> dict[str, Questionnaire]:
    """Every questionnaire of a codebook as its schema fills it (``likertflow.schemas.validate``),
    by survey id, in codebook order; ``CodebookError`` listing every problem ``check_codebook``
    finds."""
    with _filled_by_the_schema("codebook"):
        problems = check_codebook(codebook)
    if problems:
        raise CodebookError(
            "the codebook is inconsistent:\n  - " + "\n  - ".join(problems), problems
        )
    return {
        survey: parse_questionnaire(questionnaire_codebook(codebook, survey))
        for survey in codebook["questionnaires"]
    }


def load_questionnaires(path) -> dict[str, Questionnaire]:
    """Every questionnaire of a codebook file, by survey id, after its schema (which fills in the
    defaults)."""
    # here: only the callers outside Snakemake need the schema's validator
    from likertflow.schemas import CODEBOOK_SCHEMA, read_yaml, validate

    return parse_codebook(validate(read_yaml(path), CODEBOOK_SCHEMA, str(path)))


def parse_questionnaire(codebook: dict) -> Questionnaire:
    """Resolve one questionnaire's codebook dict (shared sections plus its own, as
    ``questionnaire_codebook`` cuts it from a codebook the schema filled) into objects."""
    with _filled_by_the_schema(f"questionnaire {codebook.get('survey')!r}"):
        return _parse_questionnaire(codebook)


def _parse_questionnaire(codebook: dict) -> Questionnaire:
    answer_sets = _answer_sets(codebook)
    export = parse_export(codebook["export"])
    questions: list[Question] = []
    for entry in codebook["questions"]:
        if entry == STATEMENTS_PLACEHOLDER:
            questions.extend(_statement_questions(codebook, answer_sets, export.statement_columns))
            continue
        columns = entry.get("columns") or [{"column": entry["text"]}]
        numeric = entry["type"] == NUMERIC
        questions.append(
            Question(
                id=entry["id"],
                text=entry["text"],
                answers=None if numeric else answer_sets[entry["answers"]],
                columns=tuple(_column(c) for c in columns),
                optional=bool(entry["optional"]),
                numeric=numeric,
                minimum=entry.get("min"),
                maximum=entry.get("max"),
            )
        )
    themes = {}
    for theme_id, spec in codebook["themes"].items():
        items = tuple(q.id for q in questions if q.theme == theme_id)
        if not items:  # a theme no statement of this questionnaire belongs to
            continue
        rule = spec["min_answered"]
        themes[theme_id] = Theme(
            id=theme_id,
            label=spec["label"],
            statement_set=spec["statement_set"],
            items=items,
            min_answered=len(items) if rule == "all" else int(rule),
            encompasses=spec.get("encompasses"),  # optional, no default
        )
    return Questionnaire(
        survey=codebook["survey"],
        label=codebook.get("label", codebook["survey"]),  # optional: else the id names it
        export=export,
        questions=tuple(questions),
        themes=themes,
        statement_sets={
            set_id: spec["label"] for set_id, spec in codebook["statement_sets"].items()
        },
        design=_design(codebook.get("design")),  # optional, no default: a simple random sample
        link_id=codebook.get("link_id"),  # optional, no default: not one wave of a pair
    )


def _design(block: dict | None) -> DesignSpec | None:
    """The ``design`` block as a ``DesignSpec`` (replicate weights were refused by
    ``check_codebook``)."""
    if block is None:
        return None
    known = {key: block[key] for key in ("weight", "strata", "clusters", "fpc") if key in block}
    return DesignSpec(lonely_psu=block["lonely_psu"], **known)


def _answer_sets(codebook: dict) -> dict[str, AnswerSet]:
    return {
        name: AnswerSet(
            name=name,
            ordinal=bool(spec["ordinal"]),
            options=tuple(_option(o) for o in spec["options"]),
            agree_labels=tuple(str(label) for label in spec["agree"]),
            poles=Poles(**spec["poles"]) if spec.get("poles") else None,  # optional, no default
        )
        for name, spec in codebook["answer_sets"].items()
    }


def _option(spec: dict) -> Option:
    export_code = spec.get("export_code")
    return Option(
        label=str(spec["label"]),
        code=int(spec["code"]),
        off_scale=bool(spec["off_scale"]),
        export_code=None if export_code is None else str(export_code),
    )


def _statement_questions(
    codebook: dict, answer_sets: dict[str, AnswerSet], columns: dict[str, str]
) -> list[Question]:
    stems = codebook["statement_stems"]
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
                answers=answer_sets[_statement_answers(codebook, set_id)],
                columns=(Column(header),),
                statement_set=set_id,
                theme=statement.get("theme"),
                reverse=bool(statement["reverse"]),
            )
        )
    return questions


def _statement_answers(codebook: dict, statement_set: str) -> str:
    """The answer set of a statement set: its own ``answers``, else ``statement_answers``."""
    own = codebook["statement_sets"].get(statement_set, {})
    return own.get("answers", codebook["statement_answers"])


def _column(spec: dict) -> Column:
    asked_if = tuple(
        (question_id, tuple(str(label) for label in labels))
        for question_id, labels in (spec.get("asked_if") or {}).items()
    )
    return Column(header=spec["column"], asked_if=asked_if)


# --- Checks within the codebook (run at start-up, before parsing) -------------------------------


def check_codebook(codebook: dict) -> list[str]:
    """Problems within the codebook that its schema cannot see: duplicate codes, labels or
    export codes in an answer set, answer set ids that do not exist, ``agree`` labels that are
    not on the scale, reverse keying on an unordered scale, skip logic naming unknown questions
    or answers. Parsing relies on there being none."""
    answer_sets = _answer_sets(codebook)
    problems = []
    for name, answers in answer_sets.items():
        exported = any(option.export_code is not None for option in answers.options)
        for key in ("code", "label", "exported") if exported else ("code", "label"):
            values = [getattr(option, key) for option in answers.options]
            repeated = sorted({str(v) for v in values if values.count(v) > 1})
            if repeated:
                word = "export_code" if key == "exported" else key
                problems.append(f"answer_sets.{name}: {word}s used twice: {', '.join(repeated)}")
        if answers.poles is not None and not answers.ordinal:
            problems.append(
                f"answer_sets.{name}.poles: an unordered set (ordinal: false) has no ends"
            )
        for label in answers.agree_labels:
            if label not in answers.scale_labels:
                problems.append(
                    f"answer_sets.{name}.agree: {label!r} is not an on-scale answer "
                    f"({answers.scale_labels})"
                )
    for survey in codebook["questionnaires"]:
        entries = _question_entries(codebook, survey)
        for question_id, entry in entries.items():
            answers = entry.get("answers")
            if answers is not None and answers not in answer_sets:
                problems.append(
                    f"questionnaires.{survey}: question {question_id!r} names unknown answer set "
                    f"{answers!r} (codebook has {sorted(answer_sets)})"
                )
            if answers in answer_sets and entry.get("reverse") and not answer_sets[answers].ordinal:
                problems.append(
                    f"statements: {question_id!r} is reverse-keyed but its answer set "
                    f"{answers!r} is not ordinal"
                )
        problems.extend(_skip_logic_problems(survey, entries, answer_sets))
        problems.extend(_design_problems(survey, codebook["questionnaires"][survey]))
    declared = sorted(codebook["statement_sets"])
    for statement in codebook["statements"]:
        if statement["statement_set"] not in codebook["statement_sets"]:
            # else its answers would silently be statement_answers, and no figure would show it
            problems.append(
                f"statements: {statement['id']!r} names unknown statement_set "
                f"{statement['statement_set']!r} (codebook has {declared})"
            )
    return problems


def _design_problems(survey: str, questionnaire: dict) -> list[str]:
    """Replicate weights are refused: only the full-sample weight is used (Taylor
    linearisation)."""
    design = questionnaire.get("design")
    if design is None:
        return []
    where = f"questionnaires.{survey}.design"
    problems = []
    if design.get("replicate_weights"):
        names = ", ".join(design["replicate_weights"])
        problems.append(
            f"{where}.replicate_weights: replicate weights ({names}) are not supported: declare "
            "the full-sample weight with its strata and clusters (Taylor linearisation), or "
            "analyse the data in R's survey package with svrepdesign()"
        )
    return problems


def _question_entries(codebook: dict, survey: str) -> dict[str, dict]:
    """A questionnaire's questions by id as the codebook gives them; a statement's entry names
    the answer set of its statement set."""
    entries = {}
    for entry in codebook["questionnaires"][survey]["questions"]:
        if entry != STATEMENTS_PLACEHOLDER:
            entries[entry["id"]] = entry
            continue
        for statement in codebook["statements"]:
            answers = _statement_answers(codebook, statement["statement_set"])
            entries[statement["id"]] = {**statement, "answers": answers}
    return entries


def _skip_logic_problems(
    survey: str, entries: dict[str, dict], answer_sets: dict[str, AnswerSet]
) -> list[str]:
    """``asked_if`` conditions must name labelled questions of the questionnaire, and labels."""
    problems = []
    for question_id, entry in entries.items():
        for column in entry.get("columns") or []:
            for condition, labels in (column.get("asked_if") or {}).items():
                where = f"questionnaires.{survey}: {question_id!r} asked_if {condition!r}"
                target = entries.get(condition)
                if target is None:
                    problems.append(f"{where}: no such question")
                elif target.get("type") == NUMERIC:
                    problems.append(f"{where}: a numeric question has no labels to condition on")
                elif target.get("answers") in answer_sets:
                    known = answer_sets[target["answers"]].labels
                    problems.extend(
                        f"{where}: {label!r} is not one of its answers ({known})"
                        for label in labels
                        if str(label) not in known
                    )
    return problems
