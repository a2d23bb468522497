"""Matrix questions in an export: which columns are the rows of one question, and what kind.

``group_matrices(columns)`` groups consecutive columns by the stem they share, in every layout
platforms write: "<stem> - <row>" (Qualtrics, SurveyMonkey, SPSS variable labels),
"<stem>: <row>", "<stem> [<row>]" (Google Forms, LimeSurvey), "<stem>-<row>" (Qualtrics 2016,
where the ids agree), and by the ids alone: Qualtrics ``Q1_1``, LimeSurvey ``Q1[SQ001]`` /
``G01Q01[SQ001]`` / ``G01Q01_SQ001``, REDCap checkboxes ``field___code``. The answers play no
part: a grid on a scale nobody knows is still one question.

``matrix_kind(values)`` tells a ranking question (each respondent uses each rank 1..k at most
once across the rows) and a check-all question (each column one label or blank; 0/1 or
Selected/Not selected) from a rating grid, so that a drafter never drafts them as statements.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ExportColumn:
    """A column as the drafter sees it: ``key`` (what the codebook will name it by), its
    ``text`` (header, or an SPSS variable label) and the export's ``id`` for it, if any."""

    key: str
    text: str
    id: str | None = None


@dataclass(frozen=True)
class MatrixRow:
    key: str
    row: str


@dataclass(frozen=True)
class Matrix:
    """Consecutive columns that are the rows of one question."""

    stem: str
    layout: str  # "stem - row", "stem: row", "stem [row]", "stem-row", "ids"
    rows: tuple[MatrixRow, ...]

    @property
    def keys(self) -> list[str]:
        return [row.key for row in self.rows]


# Text layouts, in the order a tie between equally long stems is settled.
_SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")
_COLON = re.compile(r":\s+")
_BRACKET = re.compile(r"^(?P<stem>.+?)\s*\[(?P<row>[^\[\]]+)\]$")
_BARE_DASH = re.compile(r"(?<=\S)-(?=\S)")
# Id layouts: (pattern, layout). Qualtrics Q1_1 / QID1_1 (not Q1_1_TEXT), LimeSurvey,
# REDCap checkbox fields.
_ID_LAYOUTS = (
    (re.compile(r"^(?P<stem>Q(?:ID)?\d+)_(?P<row>\d+)$", re.IGNORECASE), "Q_row"),
    (re.compile(r"^(?P<stem>[^\[\]]+)\[(?P<row>[^\[\]]+)\]$"), "code[row]"),
    (re.compile(r"^(?P<stem>G\d+Q\d+)_(?P<row>SQ\d+)$", re.IGNORECASE), "code_row"),
    (re.compile(r"^(?P<stem>[A-Za-z][A-Za-z0-9_]*?)___(?P<row>[A-Za-z0-9_-]+)$"), "field___code"),
)


def _text_splits(text: str) -> dict[str, tuple[str, str]]:
    """Every way to read ``text`` as a matrix row: {stem: (row, layout)}."""
    splits: dict[str, tuple[str, str]] = {}
    for pattern, layout in ((_SPACED_DASH, "stem - row"), (_COLON, "stem: row")):
        for found in pattern.finditer(text):
            stem, row = text[: found.start()].strip(), text[found.end() :].strip()
            if stem and row:
                splits.setdefault(stem, (row, layout))
    bracketed = _BRACKET.match(text.strip())
    if bracketed:
        splits.setdefault(bracketed["stem"].strip(), (bracketed["row"].strip(), "stem [row]"))
    return splits


def _bare_dash_splits(text: str) -> dict[str, tuple[str, str]]:
    """Qualtrics 2016's "<stem>-<row>": only trusted where the ids agree (a hyphenated word
    such as "Self-esteem" is no matrix)."""
    splits = {}
    for found in _BARE_DASH.finditer(text):
        stem, row = text[: found.start()].strip(), text[found.end() :].strip()
        if stem and row:
            splits.setdefault(stem, (row, "stem-row"))
    return splits


def id_split(column_id: str | None) -> tuple[str, str, str] | None:
    """(stem, row, layout) of an export id that names a matrix row, else None."""
    if not column_id:
        return None
    for pattern, layout in _ID_LAYOUTS:
        found = pattern.match(column_id.strip())
        if found:
            return found["stem"], found["row"], layout
    return None


def _column(item) -> ExportColumn:
    if isinstance(item, ExportColumn):
        return item
    return ExportColumn(*item)


def _shared(run: list[ExportColumn]) -> tuple[dict[str, tuple[str, str]], str | None]:
    """The text stems every column of ``run`` shares, and the id stem they share (None if any
    column has no matrix-like id or the stems differ)."""
    ids = [id_split(column.id) for column in run]
    id_stem = ids[0][0] if all(ids) and len({i[0] for i in ids}) == 1 else None
    stems = None
    for column in run:
        splits = _text_splits(column.text)
        if id_stem is not None:
            splits = {**_bare_dash_splits(column.text), **splits}
        stems = set(splits) if stems is None else stems & set(splits)
    shared = {stem: _text_splits(run[0].text).get(stem) for stem in stems or ()}
    if id_stem is not None:
        bare = _bare_dash_splits(run[0].text)
        shared = {stem: shared.get(stem) or bare[stem] for stem in shared}
    return shared, id_stem


def _fits(run: list[ExportColumn]) -> bool:
    shared, id_stem = _shared(run)
    some_ids = [id_split(column.id) for column in run]
    if all(some_ids) and id_stem is None:
        return False  # Q3_1 and Q4_1: two questions, whatever their texts
    return bool(shared) or id_stem is not None


def group_matrices(columns: Iterable[ExportColumn | tuple]) -> list[Matrix]:
    """The matrix questions among ``columns`` (in export order): runs of at least two
    consecutive columns sharing a stem (the longest they share) or a matrix id stem."""
    runs: list[list[ExportColumn]] = []
    for column in map(_column, columns):
        if runs and _fits([*runs[-1], column]):
            runs[-1].append(column)
        else:
            runs.append([column])
    return [_matrix(run) for run in runs if len(run) >= 2]


def _matrix(run: list[ExportColumn]) -> Matrix:
    shared, id_stem = _shared(run)
    if shared:
        stem = max(shared, key=len)
        layout = shared[stem][1]
        rows = []
        for column in run:
            splits = _text_splits(column.text)
            if id_stem is not None:
                splits = {**_bare_dash_splits(column.text), **splits}
            rows.append(MatrixRow(column.key, splits[stem][0]))
        return Matrix(stem, layout, tuple(rows))
    # Grouped by ids alone: the texts are the rows, or one text for all (then the ids' rows).
    texts = {column.text for column in run}
    same = len(texts) == 1
    stem = next(iter(texts)) if same else id_stem
    rows = tuple(
        MatrixRow(column.key, id_split(column.id)[1] if same else column.text) for column in run
    )
    return Matrix(stem, "ids", rows)


# --- what kind of matrix -------------------------------------------------------------------

RANKING_HINT = re.compile(r"\brank", re.IGNORECASE)
CHECK_ALL_HINT = re.compile(r"all that apply|check all|select all|tick all", re.IGNORECASE)
# Values of a check-all column beside blank: one label, or these pairs.
CHECK_PAIRS = (
    {"0", "1"},
    {"checked", "unchecked"},
    {"selected", "not selected"},
    {"true", "false"},
)
# Ranking needs this many respondents who ranked at least two rows, unless the stem says rank.
RANKING_EVIDENCE = 5


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() == ""


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def matrix_kind(
    values: Mapping[str, Sequence],
    *,
    ids: Sequence[str | None] = (),
    stem: str = "",
) -> str:
    """ "ranking", "check_all" or "rating" for a matrix's columns.

    ``values``: each column's answers, one per respondent, in the same respondent order
    (blank as None, NaN or ""). ``ids``: the columns' export ids (REDCap ``field___code`` marks
    a checkbox field). ``stem``: the question's text ("Please rank ...", "Select all that
    apply").
    """
    columns = [[None if _blank(v) else _text(v) for v in column] for column in values.values()]
    if len(columns) < 2:
        return "rating"
    if _check_all(columns, ids, stem):
        return "check_all"
    if _ranking(columns, stem):
        return "ranking"
    return "rating"


def _check_all(columns, ids, stem) -> bool:
    distinct = [{v for v in column if v is not None} for column in columns]
    if not any(distinct):
        return False
    if all(len(d) <= 1 for d in distinct):
        # One label or blank in each column: SurveyMonkey, Qualtrics (1 or blank), Forms grids.
        return True
    pair = next(
        (pair for pair in CHECK_PAIRS if all({v.casefold() for v in d} <= pair for d in distinct)),
        None,
    )
    if pair is None:
        return False
    redcap = any(id_split(i) and id_split(i)[2] == "field___code" for i in ids)
    return pair != {"0", "1"} or redcap or bool(CHECK_ALL_HINT.search(stem))


def _ranking(columns, stem) -> bool:
    k = len(columns)
    evidence = 0
    for answers in zip(*columns, strict=True):
        given = [a for a in answers if a is not None]
        if not given:
            continue
        if not all(re.fullmatch(r"\d+", a) for a in given):
            return False
        ranks = [int(a) for a in given]
        if any(not 1 <= r <= k for r in ranks) or len(set(ranks)) != len(ranks):
            return False
        evidence += len(ranks) >= 2
    return evidence >= RANKING_EVIDENCE or (evidence >= 1 and bool(RANKING_HINT.search(stem)))
