"""Draft a codebook from an export: the hour of typing that the export's own labels can save.

    likertflow draft EXPORT --format qualtrics [--survey patients] [--into ~/surveys/mysurvey]
        [--match text|id] [--values labels|codes] [--delimiter ";"] [--encoding cp1252]
        [--data-dictionary dictionary.csv] [--out draft_codebook.yaml]

``draft_codebook(path, export)`` reads an export in any format of ``likertflow.platforms`` and
returns the codebook (a dict that validates against ``workflow/schemas/codebook.schema.yaml``)
and the list of decisions left to a person (``TODO``). ``to_yaml`` writes both, the TODOs as
comments at the top. With ``--into`` the draft goes into a survey folder of its own, with a
starter config and the export (``likertflow_tools.survey``), and the draft says how many
responses each exclusion rule would drop on this export (``likertflow_tools.preview``).

The drafter's knowledge lives in its own modules, as data where it can be:
- answer scales (``likertflow_tools.scales``, ``data/scales.yaml``): each set of answers is
  recognised as a standard scale (listed low to high, points nobody chose filled in, its poles
  written), inferred from its shape (numbered anchors, numeric bands, rates, intensity words
  around antonyms), or left ``ordinal: false`` with a TODO; off-scale answers (don't know, not
  applicable, refusals, "Unfamiliar (N/A)") are marked in every set; the codes a platform
  exported stay with their labels as ``export_code`` whatever order the points are given in;
- matrix questions (``likertflow_tools.matrices``): rows grouped by the stem they share in every
  layout ("stem - row", "stem: row", "stem [row]", ``Q1_1``, ``Q1[SQ001]``, SPSS variable
  labels), whatever their scale; a rating grid is one statement set, a ranking or check-all
  question becomes questions of its own, never statements;
- ids (``likertflow_tools.ids``): from the export's own names (SPSS variable names, Qualtrics
  export tags, REDCap fields, LimeSurvey codes), slugs of the text only where it has none;
  collisions reported;
- timestamps (``likertflow_tools.timestamps``, ``data/timestamps.yaml``);
- the survey design (``likertflow_tools.design_columns``, ``data/design_columns.yaml``): weight,
  strata, cluster and population-size columns recognised by the names and labels weighted
  surveys give them, checked on their values, and written as the questionnaire's ``design``
  with a comment saying why (commented out where the draft is not sure); never questions;
- platform conventions (``likertflow.platforms``, each platform's ``DraftHints``): metadata
  column names, matched whole (never words inside a question), and the columns that mark a
  platform's preview, test and spam responses (Qualtrics ``Status``).

Free-text columns (answers nearly all distinct) are left out, listed in a TODO. Two columns with
the same text are matched by their ids (``match: id``) where the platform has ids, and otherwise
left out with a TODO.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from likertflow.codebook import parse_export
from likertflow.coding import CODE_DTYPE
from likertflow.errors import InputError
from likertflow.platforms import PLATFORMS, platform_of, read_table
from likertflow.platforms.base import MATRIX_SEPARATOR, Table, ValueLabels
from likertflow.schemas import export_defaults

from likertflow_tools.design_columns import DesignDraft, find_design
from likertflow_tools.ids import export_ids, has_name
from likertflow_tools.matrices import ExportColumn, Matrix, group_matrices, id_split, matrix_kind
from likertflow_tools.scales import Recognition, label_number, recognise
from likertflow_tools.timestamps import guess_timestamp_format

TODO = "TODO"
FREE_TEXT_DISTINCT = 30  # more distinct answers than this, in more than half the rows: free text
# More distinct numbers than the longest rating scale has points: a number (age in years), not a
# coded answer.
NUMERIC_DISTINCT = 11
NUMBER = "numeric"  # the drafted "answer set" of a numeric column: `type: numeric`, no answers
# Free text or identifiers: more than a few distinct answers, and at least three in four
# answers different (sparse comments: 21 distinct in 28 answers; a choice repeats).
FEW_DISTINCT = 5
NEARLY_ALL = 0.75
# A set with more distinct answers than this is no scale: not worth recognising.
MOST_SCALE_ANSWERS = 24
# The codes the workflow analyses (codebook `code`): its answers are stored as CODE_DTYPE.
CODE_RANGE = np.iinfo(CODE_DTYPE.lower())
# Codes for off-scale answers the export gives no code of: the first of these above the scale.
OFF_SCALE_CODES = (9, 99, 999, 9999)
# Metadata columns by role, from every platform's draft hints (likertflow.platforms): a column
# name, lower-cased with runs of other characters as "_", must match a pattern whole (its id or
# its text), so that a question that mentions a "duration" or a "location" is not taken for the
# platform's column of that name. Every platform's names are matched: a plain CSV may come from
# any of them. free_text is the exception: a hint in the question's words, which its answers
# overrule (_on_known_scale).
ROLES = ("response_id", "started", "completed", "finished", "drop")
METADATA = {
    role: re.compile(
        "|".join(
            f"(?:{platform.draft.metadata[role]})"
            for platform in PLATFORMS.values()
            if role in platform.draft.metadata
        )
    )
    for role in ROLES
}
# Columns where a platform marks its own preview, test and spam responses, and the values that
# mark one, by how the export writes answers (labels or codes).
TEST_MARKS = [
    (re.compile(pattern), values)
    for platform in PLATFORMS.values()
    for pattern, values in platform.draft.test_responses.items()
]
FREE_TEXT_HINT = re.compile(
    r"comment|please specify|feedback|anything else|open-ended|free.?text|text entry|_text$"
    r"|_other$",
    re.IGNORECASE,
)
# An id-like column name, taken as the response id when no column is named as one above.
ID_LIKE = re.compile(r"(^|_)(id|code|number|no)$")
# Google Forms names its time column so; its layout (day or month first) follows the sheet.
GOOGLE_FORMS_TIME = "timestamp"


@dataclass
class Entry:
    """One drafted question or statement: its export column, the name the export gives it (None
    where the header is the question itself), its text (a statement's: the row's wording), its
    answer set (or NUMBER), and the statement set it belongs to, if any."""

    key: str
    text: str
    name: str | None
    answers: str
    statement_set: int | None = None  # index into Draft.sets
    optional: bool = False


@dataclass
class StatementSet:
    stem: str
    name: str | None  # the export's name for the matrix (Qualtrics Q3 of Q3_1), if any
    answers: str


@dataclass
class Draft:
    """A drafted questionnaire before it is written as a codebook."""

    codebook: dict
    todos: list[str]
    table: Table
    keys: list[str]
    test_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    design: DesignDraft = field(default_factory=DesignDraft)


def draft_codebook(
    path: str | Path, export: dict, survey: str = "survey"
) -> tuple[dict, list[str]]:
    """A draft codebook for one questionnaire, and what a person must still decide."""
    drafted = draft(path, export, survey)
    return drafted.codebook, drafted.todos


def draft(path: str | Path, export: dict, survey: str = "survey") -> Draft:
    """The draft of ``draft_codebook``, with the table it was drafted from."""
    spec = parse_export({**export_defaults(), **export})
    table = read_table(path, spec)
    platform = platform_of(Path(path), spec)
    hinted = platform.draft.value_labels
    carried = hinted(Path(path), spec) if hinted else ValueLabels()
    todos: list[str] = []
    block: dict = {"format": spec.format}
    block |= {k: v for k, v in export.items() if k not in ("format",) and v is not None}
    by_id = spec.match == "id"
    twins = _same_texts(table)
    if twins and not by_id and table.ids != table.texts:
        by_id = True
        block["match"] = "id"
        todos.append(
            "export.match: id, because several columns share a text ("
            + "; ".join(f"{text!r}: {', '.join(ids)}" for text, ids in twins.items())
            + "); columns are named by their ids"
        )
    keys = table.ids if by_id else table.texts
    # Keys still repeated (texts of a plain export; ids an export repeats, as a LimeSurvey one
    # that copied a question): ingest could not tell the columns apart.
    repeated = {key: n for key, n in Counter(keys).items() if n > 1}
    left_out = []
    candidates = []  # (position, key, text) of the columns that may hold answers
    identifiers = []  # (position, key) of id-like columns: the response id, or left out
    test_columns: dict[str, tuple[str, ...]] = {}
    # The sampling design's columns (weights, strata, clusters of a weighted export): never
    # questions.
    design = find_design(table, keys)
    for position, (key, text) in enumerate(zip(keys, table.texts, strict=True)):
        role = _metadata_role(table.ids[position], text)
        values = table.data[position]
        if key in repeated:
            if key not in left_out:
                todos.append(
                    f"column {key!r} occurs {repeated[key]} times in the export: left out "
                    "(ingest cannot tell them apart); rename them in the export to keep them"
                )
            left_out.append(key)
            continue
        if key in design.columns:
            continue
        marks = _test_marks(table.ids[position], text, spec.values)
        if marks is not None:
            test_columns[key] = marks
            continue
        if role in ("response_id", "started", "completed", "finished"):
            if role in block:  # a second id or time (another REDCap form's): not analysed
                left_out.append(key)
            block.setdefault(role, key)
            continue
        if role == "drop":
            left_out.append(key)
            continue
        if ID_LIKE.search(_name(table.ids[position])) or ID_LIKE.search(_name(text)):
            identifiers.append((position, key))
            continue
        labels = carried.labels.get(table.ids[position])
        # A name that sounds like free text ("feedback") holding answers on a known scale is a
        # rated statement: the values decide.
        if labels is None and _free_text(values, hinted=role == "free_text"):
            left_out.append(key)
            continue
        candidates.append((position, key, text))
    if "response_id" not in block:
        _take_id_like_column(block, table, identifiers, candidates, platform)
    left_out += [key for _, key in identifiers if key != block.get("response_id")]
    if test_columns:
        block["test_responses"] = {key: list(values) for key, values in test_columns.items()}
        todos.append(
            "export.test_responses: the platform marks preview, test and spam responses in "
            f"{', '.join(map(repr, test_columns))}; the config's exclusion rule platform_test "
            "leaves them out (check the values listed)"
        )
    drafter = _Drafter(table, spec.values == "codes", carried, todos)
    entries, left = drafter.entries(candidates, by_id)
    left_out += left
    if "response_id" in block:
        _check_unique_ids(table, keys, block["response_id"], todos)
    if "response_id" not in block:  # valid without one: each row is then its own response
        todos.append(
            "export.response_id: no column identifies a response, so each row is taken as "
            "one (a response exported twice would be counted twice); name the id column if "
            "the export has one"
        )
    times = [block[role] for role in ("started", "completed") if role in block]
    if times and "timestamp_format" not in block:
        block["timestamp_format"] = _timestamp_format(table, keys, times, platform.name, todos)
    codebook = _codebook(entries, drafter, block, by_id, todos)
    questionnaire = codebook.pop("questionnaire")
    if design.block:
        questionnaire = {"export": questionnaire["export"], "design": design.block,
                         "questions": questionnaire["questions"]}  # fmt: skip
    codebook["questionnaires"] = {survey: {"label": _label(survey), **questionnaire}}
    todos.extend(design.todos)
    todos.append(f"label: {_label(survey)!r} names the questionnaire in tables and figures; check")
    todos.append(
        "themes: group statements of a set into themes (themes: {id: {label, statement_set}} "
        "and theme: on each statement), or leave none"
    )
    todos.append("reverse keying: mark statements worded against their theme")
    todos.append(
        "skip logic: add asked_if to the columns of questions the platform asked only of some "
        "respondents, or optional: true on questions respondents may skip (the draft's "
        "exclusion rule leaves out only responses that skipped most questions)"
        + _often_blank(table, keys, [entry.key for entry in entries])
    )
    if left_out:
        todos.append(
            "left out as metadata, free text or identifiers (ingest drops them; add any you "
            "analyse by hand): " + ", ".join(map(repr, left_out))
        )
    return Draft(codebook, todos, table, keys, test_columns, design)


def _label(survey: str) -> str:
    return survey.replace("_", " ").capitalize()


# A column blank in this share of responses or more was perhaps not asked of everyone, or could
# be skipped.
OFTEN_BLANK = 0.2


def _often_blank(table: Table, keys: list[str], drafted: list[str]) -> str:
    """The drafted columns blank in at least ``OFTEN_BLANK`` of the responses, for the skip-logic
    TODO ("" if none)."""
    shares = {key: table.data[keys.index(key)].isna().mean() for key in dict.fromkeys(drafted)}
    often = [f"{key!r} {share:.0%}" for key, share in shares.items() if share >= OFTEN_BLANK]
    if not often:
        return ""
    return "; blank in at least one response in five here: " + ", ".join(often)


def _name(name: str) -> str:
    """A column name as METADATA matches it: lower case, other characters as one "_"."""
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def _metadata_role(column_id: str, text: str) -> str | None:
    for role, pattern in METADATA.items():
        if any(pattern.fullmatch(_name(name)) for name in (column_id, text)):
            return role
    if any(FREE_TEXT_HINT.search(name) for name in (column_id, text)):
        return "free_text"
    return None


def _test_marks(column_id: str, text: str, values: str) -> tuple[str, ...] | None:
    """The values that mark a preview, test or spam response in this column, if a platform
    writes its marks there (Qualtrics Status), else None."""
    for pattern, marks in TEST_MARKS:
        if any(pattern.fullmatch(_name(name)) for name in (column_id, text)):
            return tuple(marks[values])
    return None


def _same_texts(table: Table) -> dict[str, list[str]]:
    """Texts that several columns share (two matrices with the same rows, two SPSS variables
    with one label), with the ids of those columns."""
    ids: dict[str, list[str]] = {}
    for column_id, text in zip(table.ids, table.texts, strict=True):
        ids.setdefault(text, []).append(column_id)
    return {text: found for text, found in ids.items() if len(found) > 1}


def _take_id_like_column(block, table, identifiers, candidates, platform) -> None:
    """Without a column named as the response id: the first id-like column ("Participant ID",
    "Student number") with no blank; the first column where the platform's always identifies
    the response (REDCap's first field, the record id)."""
    if platform.draft.first_column_is_id and candidates and candidates[0][0] == 0:
        identifiers.insert(0, candidates.pop(0)[:2])
    for position, key in identifiers:
        if table.data[position].notna().all():
            block["response_id"] = key
            return


def _check_unique_ids(table: Table, keys: list[str], column: str, todos: list[str]) -> None:
    ids = table.data[keys.index(column)].dropna()
    repeated = ids[ids.duplicated(keep=False)]
    if len(repeated):
        todos.append(
            f"export.response_id: {column!r} repeats values ({repeated.nunique()} ids on "
            f"{len(repeated)} rows), and ingest needs an id that occurs once in each export: "
            "name a column that identifies a response (one row per person and session?)"
        )


def _numbers(values: pd.Series) -> bool:
    """Whether a column's answers are numbers with more distinct values than a rating scale."""
    distinct = values.dropna().unique()
    return len(distinct) > NUMERIC_DISTINCT and all(_is_number(str(v)) for v in distinct)


def _on_known_scale(values: pd.Series) -> bool:
    """Whether a column's answers are points of a scale the drafter can order."""
    distinct = [str(v) for v in values.dropna().unique()]
    if not distinct or len(distinct) > MOST_SCALE_ANSWERS:
        return False
    recognition = recognise(distinct)
    return recognition.ordinal and bool(recognition.points)


def _free_text(values: pd.Series, hinted: bool = False) -> bool:
    """Free text or identifiers: more than a few answers, nearly all different (not numbers, not
    points of a scale); or a column whose name says so, unless its answers are on a scale."""
    answered = values.dropna()
    distinct = answered.nunique()
    if distinct <= FEW_DISTINCT and not hinted:
        return False
    if _on_known_scale(values):
        return False
    if hinted and distinct > 0:
        return True
    if _numbers(values):
        return False
    many = distinct > FREE_TEXT_DISTINCT and distinct > len(answered) / 2
    return many or (distinct > FEW_DISTINCT and distinct >= NEARLY_ALL * len(answered))


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _is_int(value: str) -> bool:
    try:
        return float(value).is_integer()
    except ValueError:
        return False


def _code_text(code: object) -> str:
    """A code as an export writes it: 2.0 as "2"."""
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def _fits(code: float) -> bool:
    return float(code).is_integer() and CODE_RANGE.min <= code <= CODE_RANGE.max


# --- Columns to questions, statements and answer sets ------------------------------------------


class _Drafter:
    """Drafts the questions of an export's candidate columns, and their answer sets."""

    def __init__(self, table: Table, codes: bool, carried: ValueLabels, todos: list[str]):
        self.table = table
        self.codes = codes  # the export holds answer codes (values: codes)
        self.carried = carried  # value labels from the file or beside it
        self.todos = todos
        self.answer_sets: dict[str, dict] = {}
        self.sets: list[StatementSet] = []

    def entries(self, candidates: list[tuple], by_id: bool) -> tuple[list[Entry], list[str]]:
        """The drafted questions and statements of ``candidates`` in export order, and the
        columns left out."""
        columns = [
            ExportColumn(key, text, self._export_name(position))
            for position, key, text in candidates
        ]
        position_of = {key: position for position, key, _ in candidates}
        text_of = {key: text for _, key, text in candidates}
        matrices = {matrix.keys[0]: matrix for matrix in group_matrices(columns)}
        in_matrix = {key for matrix in matrices.values() for key in matrix.keys}
        entries: list[Entry] = []
        left_out: list[str] = []
        for _, key, text in candidates:
            if key in matrices:
                entries += self._matrix(matrices[key], position_of, text_of, left_out)
            elif key not in in_matrix:
                entry = self._single(position_of[key], key, text)
                if entry is None:
                    left_out.append(key)
                else:
                    entries.append(entry)
        return entries, left_out

    def _export_name(self, position: int) -> str | None:
        """The export's own name of a column (an SPSS variable, a Qualtrics export tag), or None
        where the header is the question itself."""
        name, text = self.table.ids[position], self.table.texts[position]
        return name if has_name(name, text) else None

    def _values(self, position: int) -> pd.Series:
        return self.table.data[position]

    def _labels(self, position: int) -> dict | None:
        return self.carried.labels.get(self.table.ids[position])

    def _is_numeric(self, positions: list[int]) -> bool:
        column_ids = [self.table.ids[p] for p in positions]
        if any(self._labels(p) for p in positions):
            return False
        if all(column_id in self.carried.numbers for column_id in column_ids):
            return True
        pooled = pd.concat([self._values(p) for p in positions], ignore_index=True)
        return _numbers(pooled)

    def _single(self, position: int, key: str, text: str) -> Entry | None:
        name = self._export_name(position)
        if self._is_numeric([position]):
            why = (
                "is a number field of the data dictionary"
                if self.table.ids[position] in self.carried.numbers
                else f"holds {self._values(position).dropna().nunique()} distinct numbers"
            )
            self.todos.append(
                f"column {key!r} {why}: drafted as type: numeric; add min and max to "
                "validate it, and config bands to tabulate it"
            )
            return Entry(key, text, name, NUMBER)
        answers = self._answer_set([position], key)
        return None if answers is None else Entry(key, text, name, answers)

    def _matrix(self, matrix: Matrix, position_of, text_of, left_out) -> list[Entry]:
        positions = [position_of[key] for key in matrix.keys]
        column_ids = [self.table.ids[p] for p in positions]
        kind = matrix_kind(
            {key: _cells(self._values(p)) for key, p in zip(matrix.keys, positions, strict=True)},
            ids=column_ids,
            stem=matrix.stem,
        )
        first = matrix.keys[0]
        if kind != "rating" or self._is_numeric(positions) or self._disjoint(positions):
            # Questions of their own: a ranking or check-all question, numbers, or rows that
            # share no answer (consecutive questions that happen to share a prefix).
            entries = []
            shared = self._answer_set(positions, first) if kind == "ranking" else None
            for key, position in zip(matrix.keys, positions, strict=True):
                if kind == "ranking" and shared is not None:
                    entry = Entry(key, text_of[key], self._export_name(position), shared)
                else:
                    entry = self._single(position, key, text_of[key])
                if entry is None:
                    left_out.append(key)
                    continue
                entry.optional = kind == "check_all"
                entries.append(entry)
            if kind == "ranking":
                self.todos.append(
                    f"{matrix.stem!r} is a ranking question: its {len(positions)} rows are "
                    "drafted as questions holding the rank given (1 = ranked first), not as "
                    "rated statements (no % agree, no themes)"
                )
            elif kind == "check_all":
                self.todos.append(
                    f"{matrix.stem!r} is a check-all question: its {len(positions)} options are "
                    "drafted as questions of their own, optional (a blank is an option not "
                    "chosen), not as rated statements"
                )
            return entries
        answers = self._answer_set(positions, first)
        if answers is None:
            left_out.extend(matrix.keys)
            return []
        split = id_split(self._export_name(positions[0]))
        self.sets.append(StatementSet(matrix.stem, split[0] if split else None, answers))
        index = len(self.sets) - 1
        return [
            Entry(row.key, row.row, self._export_name(position), answers, index)
            for row, position in zip(matrix.rows, positions, strict=True)
        ]

    def _disjoint(self, positions: list[int]) -> bool:
        """Rows answered on sets that share no answer: not one question's rows."""
        if any(self._labels(p) for p in positions):
            return False
        answered = [set(self._values(p).dropna().unique()) for p in positions]
        answered = [found for found in answered if found]
        return any(
            not (a & b) for i, a in enumerate(answered) for b in answered[i + 1 :]
        ) and not _on_known_scale(pd.concat([self._values(p) for p in positions]))

    # --- answer sets ---------------------------------------------------------------------------

    def _answer_set(self, positions: list[int], key: str) -> str | None:
        """The name of the answer set of these columns, pooled (added if new), or None."""
        labels: dict = {}
        for position in positions:
            for code, label in (self._labels(position) or {}).items():
                labels.setdefault(code, label)
        if labels:  # value labels: every label the file defines, less the user-missing ones
            missing = set().union(
                *(self.carried.missing.get(self.table.ids[p], set()) for p in positions)
            )
            kept = {
                code: str(label) for code, label in sorted(labels.items()) if code not in missing
            }
            notes = []
            if missing & set(labels):
                gone = [f"{_code_text(c)} {labels[c]!r}" for c in sorted(missing & set(labels))]
                notes.append(
                    f"{', '.join(gone)} declared missing in the .sav (read as blank): left out"
                )
            recognition = recognise(list(kept.values()), {label: c for c, label in kept.items()})
            return self._add_recognised(recognition, True, key, notes)
        pooled = pd.concat([self._values(p) for p in positions], ignore_index=True)
        distinct = _distinct(pooled)
        if not distinct:
            self.todos.append(
                f"column {key!r} has no answers in this export: left out; add it by hand"
            )
            return None
        if self.codes:
            return self._coded(distinct, key)
        return self._add_recognised(recognise(distinct), False, key, [])

    def _add_recognised(
        self, recognition: Recognition, codes_known: bool, key: str, notes: list[str]
    ) -> str:
        options, more = _options(recognition, codes_known)
        negative = [
            point.label
            for point in recognition.off_scale
            if any(_is_number(str(v)) and float(v) < 0 for v in (point.export_code, point.label))
        ]
        if negative:
            more.append(
                f"{negative} have negative codes: drafted off_scale (answers that are not points "
                "of the scale, as Qualtrics' -1 for no answer); check"
            )
        spec: dict = {"ordinal": recognition.ordinal, "options": options}
        if recognition.ordinal and recognition.poles:
            spec["poles"] = {"low": recognition.poles["low"], "high": recognition.poles["high"]}
        name = recognition.scale or {"unordered": "answers"}.get(
            recognition.method, recognition.method
        )
        return self._add(spec, name, key, [*notes, *recognition.todos, *more])

    def _coded(self, distinct: list[str], key: str) -> str | None:
        """Codes without labels (``values: codes`` without value labels): each code an option
        whose label a person writes."""
        if not all(map(_is_int, distinct)) and not all(map(EXPORT_CODE.match, distinct)):
            self.todos.append(f"column {key!r} has answers that are not codes: left out")
            return None
        numbers = all(map(_is_int, distinct)) and all(_fits(float(v)) for v in distinct)
        ordered = sorted(distinct, key=_natural)
        options = []
        for position, code in enumerate(ordered, 1):
            option = {"label": f"{TODO}: label of code {code}"}
            if numbers:
                option["code"] = int(float(code))
            else:  # letters, or numbers beyond the codes analysed: numbered 1..k, kept as exported
                option |= {"code": position, "export_code": code}
            if _is_number(code) and float(code) < 0:
                option["off_scale"] = True
            options.append(option)
        notes = ["the export holds codes: write each code's label; if they are points of a "
                 "scale, list them from low to high and set ordinal: true"]  # fmt: skip
        negative = [o["label"].rsplit(" ", 1)[-1] for o in options if o.get("off_scale")]
        if negative:
            notes.append(f"codes {negative} drafted off_scale (negative: answers that are not "
                         "points of the scale); check")  # fmt: skip
        if not numbers and all(map(_is_int, distinct)):
            notes.append(_out_of_range(distinct))
        return self._add({"ordinal": False, "options": options}, "coded", key, notes)

    def _add(self, spec: dict, name: str, key: str, notes: list[str]) -> str:
        """Add an answer set (or find it drafted already) and, if new, its TODOs."""
        for existing, other in self.answer_sets.items():
            if other == spec:
                return existing
        unique, number = name, 1
        while unique in self.answer_sets:
            number += 1
            unique = f"{name}_{number}"
        self.answer_sets[unique] = spec
        self.todos.extend(f"answer set {unique!r} (first in column {key!r}): {n}" for n in notes)
        return unique


def _cells(values: pd.Series) -> list:
    """A column's cells as matrix_kind reads them: blanks as None."""
    return [None if pd.isna(value) else value for value in values.tolist()]


def _natural(value: str) -> list:
    """A2 before A10; numbers in numeric order."""
    if _is_number(value):
        return [0, float(value)]
    return [1, *(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", value))]


def _distinct(values: pd.Series) -> list[str]:
    """A column's distinct answers, numbers in numeric order, then the rest in natural order
    (an order that does not depend on which respondent answered first)."""
    return sorted({str(v) for v in values.dropna().unique()}, key=_natural)


def _out_of_range(codes) -> str:
    return (
        f"the export's codes ({', '.join(map(_code_text, codes))}) are not all whole numbers from "
        f"{CODE_RANGE.min} to {CODE_RANGE.max} (the codes the workflow analyses, stored as "
        f"{CODE_DTYPE}): the options are coded 1..k, each keeping the export's code as "
        "export_code"
    )


# An answer code that is not a number: LimeSurvey's answer codes (A1, AO01; -oth- for "Other"),
# REDCap's alphanumeric choice codes (letters, digits, underscores).
EXPORT_CODE = re.compile(r"^(?:[A-Za-z0-9_.]{1,20}|-oth-)$")


def _options(recognition: Recognition, codes_known: bool) -> tuple[list[dict], list[str]]:
    """The options of a recognised answer set, points low to high then off-scale answers, each
    with its analysed ``code`` and, where the export's code differs, its ``export_code``.

    Codes: the export's own where it has codes that fit (whole numbers within CODE_RANGE,
    distinct, rising with the scale); the numbers the labels carry for a numbered scale; else
    1..k. Off-scale answers keep the export's code where it fits, else take the first of
    OFF_SCALE_CODES above the scale.
    """
    points, off = list(recognition.points), list(recognition.off_scale)
    everything = (*points, *off)
    exported = {p.label: p.export_code for p in everything if p.export_code is not None}
    notes = []
    codes = None
    if codes_known and all(_is_number(str(exported.get(p.label))) for p in everything):
        numbers = [float(exported[p.label]) for p in everything]
        on = numbers[: len(points)]
        rising = not recognition.ordinal or on == sorted(on)
        if all(map(_fits, numbers)) and len(set(numbers)) == len(numbers) and rising:
            codes = [int(n) for n in numbers]
        elif not all(map(_fits, numbers)):
            notes.append(_out_of_range(exported[p.label] for p in everything))
    if codes is None:
        numbered = [label_number(p.label) for p in points]
        if (
            recognition.method == "numbered"
            and all(n is not None for n in numbered)
            and all(map(_fits, numbered))
        ):
            codes = numbered
        else:
            codes = list(range(1, len(points) + 1))
        free = [c for c in OFF_SCALE_CODES if c > max(codes, default=0)]
        for offset, point in enumerate(off):
            mine = exported.get(point.label)
            if mine is not None and _fits(float(mine)) and int(float(mine)) not in codes:
                codes.append(int(float(mine)))
            else:
                codes.append(free[0] + offset if free else CODE_RANGE.max - offset)
    options = []
    for index, (point, code) in enumerate(zip(everything, codes, strict=True)):
        option = {"label": point.label, "code": code}
        mine = exported.get(point.label)
        if codes_known and mine is not None and _code_text(mine) != str(code):
            option["export_code"] = _code_text(mine)
        if index >= len(points):
            option["off_scale"] = True
        options.append(option)
    return options, notes


def _codebook(entries: list[Entry], drafter: _Drafter, block, by_id, todos) -> dict:
    """The codebook of the drafted entries: questions in export order, the statements of every
    rating grid at the place of the first (``statements``), each statement naming its column
    (export.statement_columns) where that is not "<stem> - <row>" or columns are matched by
    id."""
    ids = export_ids([e.name for e in entries], [e.text for e in entries])
    for collision in ids.collisions:
        todos.append(
            f"ids: the export's names {list(collision.names)} all map to the id "
            f"{collision.id!r}: drafted as {list(collision.assigned)}; rename them if you wish"
        )
    set_ids = export_ids([s.name for s in drafter.sets], [s.stem for s in drafter.sets]).ids
    codebook: dict = {"answer_sets": drafter.answer_sets}
    questions: list = []
    statements, statement_columns = [], {}
    for entry, entry_id in zip(entries, ids.ids, strict=True):
        if entry.statement_set is None:
            question: dict = {"id": entry_id, "text": entry.text}
            question |= {"type": NUMBER} if entry.answers == NUMBER else {"answers": entry.answers}
            if by_id or entry.key != entry.text:
                question["columns"] = [{"column": entry.key}]
            if entry.optional:
                question["optional"] = True
            questions.append(question)
            continue
        if "statements" not in questions:
            questions.append("statements")
        statement_set = drafter.sets[entry.statement_set]
        set_id = set_ids[entry.statement_set]
        statements.append({"id": entry_id, "statement_set": set_id, "wording": entry.text})
        if by_id or entry.key != f"{statement_set.stem}{MATRIX_SEPARATOR}{entry.text}":
            statement_columns[entry_id] = entry.key
    if drafter.sets:
        statement_answers = drafter.sets[0].answers
        statement_sets = {}
        for statement_set, set_id in zip(drafter.sets, set_ids, strict=True):
            statement_sets[set_id] = {"label": statement_set.stem}
            if statement_set.answers != statement_answers:
                statement_sets[set_id]["answers"] = statement_set.answers
            todos.append(
                f"statement set {set_id!r}: its label is the matrix's stem; check it, and group "
                "its statements into themes"
            )
        codebook |= {
            "statement_sets": statement_sets,
            "statement_stems": {
                set_id: s.stem for s, set_id in zip(drafter.sets, set_ids, strict=True)
            },
            "statement_answers": statement_answers,
            "statements": statements,
        }
    if statement_columns:
        block["statement_columns"] = statement_columns
    codebook["questionnaire"] = {"export": block, "questions": questions}
    return codebook


def _timestamp_format(
    table: Table, keys: list[str], columns: list[str], platform: str, todos: list[str]
) -> str:
    values = pd.concat([table.data[keys.index(column)] for column in columns])
    if platform in ("csv", "excel") and any(_name(c) == GOOGLE_FORMS_TIME for c in columns):
        platform = "google_forms"
    guess = guess_timestamp_format(values.dropna().unique().tolist(), platform)
    if guess.todo:
        todos.append(f"export.timestamp_format of {' and '.join(map(repr, columns))}: {guess.todo}")
    if guess.format is None:
        return f"{TODO}: the strptime format of {columns[0]!r}, e.g. %Y-%m-%d %H:%M:%S"
    return guess.format


def to_yaml(
    codebook: dict,
    todos: list[str],
    source: str,
    notes: list[str] = (),
    designs: dict[str, list[str]] | None = None,
) -> str:
    """The draft as YAML, its TODOs as numbered comments at the top (``notes``: comment lines
    after them, e.g. what the exclusion rules would drop); in each questionnaire of ``designs``,
    its comment lines (``DesignDraft.yaml_lines``: why each design column was or was not taken)
    before its ``design`` (or, where the draft was not sure and wrote the design commented out,
    before its ``questions``)."""
    import yaml

    lines = [
        f"# Draft codebook, written by `likertflow draft` from {source}.",
        "# Check every entry; decide each TODO below (and the TODO values in the file), then",
        "# check it with `likertflow check` (in a survey folder) or `snakemake -n`.",
        "#",
        *(f"# {TODO} {number}. {todo}" for number, todo in enumerate(todos, 1)),
        *(["#", *(f"# {note}" for note in notes)] if notes else []),
        "",
    ]
    body = yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False, width=100)
    for survey, comments in (designs or {}).items():
        body = _with_design_comments(body, survey, comments)
    return "\n".join(lines) + body


DESIGN_INDENT = "    "  # a questionnaire's keys in a drafted codebook


def _with_design_comments(body: str, survey: str, comments: list[str]) -> str:
    """``body`` (a dumped codebook) with ``comments`` in questionnaire ``survey``, before its
    ``design:`` or, without one, its ``questions:``."""
    if not comments:
        return body
    lines = body.split("\n")
    start = lines.index("questionnaires:")
    start = lines.index(f"  {survey}:", start)
    for position in range(start + 1, len(lines)):
        if lines[position] in ("    design:", "    questions:"):
            lines[position:position] = comments
            break
    return "\n".join(lines)


# --- The command --------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("export", help="an export file (.csv .tsv .txt .xlsx .sav ...)")
    parser.add_argument("--format", default="csv", choices=list(PLATFORMS))
    parser.add_argument("--survey", default="survey", help="questionnaire id (snake_case)")
    parser.add_argument(
        "--into",
        help="a survey folder: writes config/codebook.yaml (adding this questionnaire to one "
        "already there), a starter config/config.yaml, and copies the export to raw/<survey>/",
    )
    parser.add_argument("--match", default="text", choices=["text", "id"])
    parser.add_argument("--values", default="labels", choices=["labels", "codes"])
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--data-dictionary", help="REDCap: the project's data dictionary CSV")
    parser.add_argument("--out", help="where to write the draft codebook alone (default: print it)")
    parser.add_argument(
        "--force", action="store_true", help="replace a codebook or questionnaire drafted before"
    )


def export_options(args: argparse.Namespace) -> dict:
    """The command's export options as an export block, defaults left out."""
    export = {
        "format": args.format,
        "match": args.match,
        "values": args.values,
        "delimiter": "\t" if args.delimiter in ("\\t", "tab") else args.delimiter,
        "encoding": args.encoding,
        "data_dictionary": args.data_dictionary,
    }
    if Path(args.export).suffix.lower() == ".tsv" and args.delimiter == ",":
        export["delimiter"] = "\t"  # a .tsv file (Google Forms' "Tab-separated values")
    defaults = export_defaults()  # left out of the draft: the schema fills them in
    return {k: v for k, v in export.items() if v is not None and (k, v) not in defaults.items()}


def main(args: argparse.Namespace) -> int:
    """Write a codebook that validates against workflow/schemas/codebook.schema.yaml: one
    question per answer column, answer sets from the answers (or an SPSS file's value labels) in
    the order of a known scale, matrix rows grouped into statement sets, metadata and free text
    left out, and numbered TODO comments at the top for what a person must decide."""
    from likertflow_tools import preview, survey

    export = export_options(args)
    try:
        if args.into:
            return survey.draft_into(args, export)
        drafted = draft(args.export, export, args.survey)
        rules = preview.draft_exclusions([drafted.codebook])
        notes, more = preview.exclusion_notes(args.export, drafted.codebook, args.survey, rules)
        drafted.todos.extend(more)
        notes.append(f"The config's exclusions these counts are for: {rules}")
        designs = {args.survey: drafted.design.yaml_lines(DESIGN_INDENT)}
        text = to_yaml(drafted.codebook, drafted.todos, args.export, notes, designs)
        for line in notes[:-1]:
            print(line, file=sys.stderr)
        if args.out:
            survey.refuse_to_overwrite(Path(args.out), args.force)
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"{args.out}: draft codebook with {len(drafted.todos)} TODO(s)", file=sys.stderr)
        else:
            print(text)
    except (InputError, survey.SurveyFolderError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0
