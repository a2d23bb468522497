"""Draft a codebook from an export: the hour of typing that the export's own labels can save.

    likertflow draft EXPORT --format qualtrics [--survey patients] [--match text|id]
        [--values labels|codes] [--delimiter ";"] [--encoding cp1252]
        [--data-dictionary dictionary.csv] [--out config/draft_codebook.yaml]

``draft_codebook(path, export)`` reads an export in any format of ``likertflow.platforms`` and
returns the codebook (a dict that validates against ``workflow/schemas/codebook.schema.yaml``)
and the list of decisions left to a person (``TODO``). ``to_yaml`` writes both, the TODOs as
comments at the top and beside the entries they concern.

What it recognises:
- metadata columns (``METADATA``, matched on whole column names, never on words inside a
  question): the response id, start and completion times and a finished flag become the
  ``export`` block; identifying or platform columns (IP address, location, e-mail, names,
  external reference, user agent, ...) are left out, so ingest drops them. Without a named
  response id, an id-like column ("Participant ID"; REDCap's first field) is taken;
- free-text columns (answers nearly all distinct) are left out, listed in a TODO;
- answer sets: a column's distinct answers (or, in an SPSS file, its value labels, less those
  declared user-missing) matched, whatever their case, to a known scale (``SCALES``: agreement,
  frequency, satisfaction, likelihood, accuracy; with and without a neutral point, "Neither" or
  "Neutral" standing for it) and listed in the scale's order, low to high; labels that carry
  numbers ("0 None", "Stimme voll zu - 7", "3") in the order of their numbers; off-scale
  answers (``OFF_SCALE``, negative codes) marked; other answers become an unordered set. Each
  guess a person must confirm is a TODO;
- matrix questions: consecutive columns of one stem on one scale ("<stem> - <row>",
  Qualtrics' "<stem>-<row>", "<stem> [<row>]" of Google Forms and LimeSurvey)
  become a statement set, one statement per row; their answers are pooled, so that a point
  nobody chose in one row is still a point of the set;
- two columns with the same text: the draft matches columns by their ids (``match: id``) where
  the platform has ids, and otherwise leaves both out with a TODO.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
from likertflow.codebook import parse_export
from likertflow.errors import InputError
from likertflow.platforms import PLATFORMS, platform_of, read_table
from likertflow.platforms.base import MATRIX_SEPARATOR, Table, ValueLabels
from likertflow.schemas import export_defaults

TODO = "TODO"
FREE_TEXT_DISTINCT = 30  # more distinct answers than this, in more than half the rows: free text
# More distinct numbers than the longest rating scale has points: a number (age in years), not a
# coded answer.
NUMERIC_DISTINCT = 11
NUMBER = "numeric"  # the drafted "answer set" of a numeric column: `type: numeric`, no answers

# Known ordered scales, lowest point first; each with and without its neutral point.
_SCALES = {
    "agreement": (
        ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
        [
            "Strongly disagree",
            "Disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Agree",
            "Strongly agree",
        ],
    ),
    "frequency": (
        ["Never", "Rarely", "Sometimes", "Often", "Always"],
        ["Never", "Rarely", "Sometimes", "Often", "Very often", "Always"],
    ),
    "satisfaction": (
        [
            "Very dissatisfied",
            "Dissatisfied",
            "Neither satisfied nor dissatisfied",
            "Satisfied",
            "Very satisfied",
        ],
    ),
    "likelihood": (
        ["Very unlikely", "Unlikely", "Neither likely nor unlikely", "Likely", "Very likely"],
    ),
    "accuracy": (
        [
            "Very inaccurate",
            "Moderately inaccurate",
            "Neither accurate nor inaccurate",
            "Moderately accurate",
            "Very accurate",
        ],
    ),
}
NEUTRAL = re.compile(r"^neither\b|^neutral$", re.IGNORECASE)
SCALES: list[tuple[str, list[str]]] = []
for _name, _variants in _SCALES.items():
    for _labels in _variants:
        SCALES.append((f"{_name}_{len(_labels)}", _labels))
        without = [label for label in _labels if not NEUTRAL.match(label)]
        if len(without) < len(_labels):
            SCALES.append((f"{_name}_{len(without)}", without))

# Known unordered answer sets, in the order a draft lists them.
NOMINAL = {"yes_no": ["Yes", "No"], "no_yes": ["No", "Yes"]}
OFF_SCALE = re.compile(
    r"^(don.?t know|do not know|unsure|not sure|not applicable|n/?a|prefer not to (say|answer)"
    r"|i do not want to .*|no opinion|can.?t say|no basis for (evaluation|judg(e)?ment))$",
    re.IGNORECASE,
)
# A label that carries its point's number: "0 None", "1. Never", "(2) Often", "Stimme voll zu -
# 7", or a bare number; the rest holds no digit, so that ranges ("18 - 29") are not numbers.
NUMBERED = (
    re.compile(r"^\(?(?P<number>-?\d+)\)?(?:\s*[.):=-]\s*|\s+)(?P<words>[^\d]+)$"),
    re.compile(r"^(?P<words>[^\d]*[^\d\s(=:-])\s*[-(=:]?\s*(?P<number>\d+)\)?$"),
    re.compile(r"^(?P<number>-?\d+)$"),
)
# Free text or identifiers: more than a few distinct answers, and at least three in four
# answers different (sparse comments: 21 distinct in 28 answers; a choice repeats).
FEW_DISTINCT = 5
NEARLY_ALL = 0.75
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
FREE_TEXT_HINT = re.compile(
    r"comment|please specify|feedback|anything else|open-ended|free.?text|text entry|_text$"
    r"|_other$",
    re.IGNORECASE,
)
# An id-like column name, taken as the response id when no column is named as one above.
ID_LIKE = re.compile(r"(^|_)(id|code|number|no)$")
# How platforms name the column of a matrix row: "<stem> - <row>" (Qualtrics, SurveyMonkey),
# "<stem>-<row>" (Qualtrics 2016), "<stem> [<row>]" (Google Forms grids, LimeSurvey "Q1[SQ001]").
MATRIX_SEPARATORS = re.compile(r" - |-")
MATRIX_BRACKETS = re.compile(r"^(?P<stem>.+?)\s*\[(?P<row>[^\[\]]+)\]$")
# The platforms' timestamp formats, tried in turn; and what their time columns hold for no time.
TIMESTAMP_FORMATS = tuple(
    dict.fromkeys(f for platform in PLATFORMS.values() for f in platform.draft.timestamp_formats)
)
NOT_A_TIME = tuple(value for platform in PLATFORMS.values() for value in platform.draft.not_a_time)


def draft_codebook(
    path: str | Path, export: dict, survey: str = "survey"
) -> tuple[dict, list[str]]:
    """A draft codebook for one questionnaire, and what a person must still decide."""
    spec = parse_export({**export_defaults(), **export})
    table = read_table(path, spec)
    platform = platform_of(Path(path), spec)
    hinted = platform.draft.value_labels
    carried = hinted(Path(path), spec) if hinted else ValueLabels()
    value_labels, user_missing, number_fields = carried.labels, carried.missing, carried.numbers
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
        labels = value_labels.get(table.ids[position])
        # A name that sounds like free text ("feedback") holding answers on a known scale is a
        # rated statement: the values decide.
        if labels is None and _free_text(values, hinted=role == "free_text"):
            left_out.append(key)
            continue
        candidates.append((position, key, text))
    if "response_id" not in block:
        _take_id_like_column(block, table, identifiers, candidates, platform)
    left_out += [key for _, key in identifiers if key != block.get("response_id")]
    columns = []  # (key, text, answer set, (stem, row) or None)
    answer_sets: dict[str, dict] = {}
    for run in _matrix_runs(candidates):
        positions = [position for position, _, _ in run]
        pooled = pd.concat([table.data[p] for p in positions], ignore_index=True)
        for position, key, text in run:
            labels = value_labels.get(table.ids[position])
            numbers = table.ids[position] in number_fields or _numbers(table.data[position])
            if labels is None and numbers:
                why = (
                    "is a number field of the data dictionary"
                    if table.ids[position] in number_fields
                    else f"holds {table.data[position].dropna().nunique()} distinct numbers"
                )
                todos.append(
                    f"column {key!r} {why}: drafted as type: numeric; add min and max to "
                    "validate it, and config bands to tabulate it"
                )
                columns.append((key, text, NUMBER, None))
                continue
            values = table.data[position] if labels else pooled
            missing = user_missing.get(table.ids[position], ())
            codes = spec.values == "codes"
            name = _answer_set(values, labels, answer_sets, todos, key, codes, missing)
            if name is None:
                left_out.append(key)
                continue
            stem = _run_stem(run)
            columns.append((key, text, name, (stem, _stem_splits(text)[stem]) if stem else None))
    if "response_id" in block:
        _check_unique_ids(table, keys, block["response_id"], todos)
    if "response_id" not in block:  # valid without one: each row is then its own response
        todos.append(
            "export.response_id: no column identifies a response, so each row is taken as "
            "one (a response exported twice would be counted twice); name the id column if "
            "the export has one"
        )
    for role in ("started", "completed"):
        if role in block and "timestamp_format" not in block:
            block["timestamp_format"] = _timestamp_format(table, keys, block[role])
    block.setdefault("timestamp_format", "%Y-%m-%d %H:%M:%S")
    codebook, statement_todos = _questions(columns, answer_sets, block, by_id)
    todos += statement_todos
    codebook["questionnaires"] = {
        survey: {"label": f"{TODO}: name of the questionnaire", **codebook.pop("questionnaire")}
    }
    todos.append("label: name the questionnaire (tables and figures use it)")
    todos.append(
        "themes: group statements of a set into themes (themes: {id: {label, statement_set}} "
        "and theme: on each statement), or leave none"
    )
    todos.append("reverse keying: mark statements worded against their theme")
    todos.append(
        "skip logic: add asked_if to the columns of questions the platform asked only of some "
        "respondents (a column left blank by design is otherwise item non-response), or "
        "optional: true on questions respondents may skip"
        + _often_blank(table, keys, [key for key, *_ in columns])
    )
    if left_out:
        todos.append(
            "left out as metadata, free text or identifiers (ingest drops them; add any you "
            "analyse by hand): " + ", ".join(map(repr, left_out))
        )
    return codebook, todos


# A column blank in this share of responses or more was perhaps not asked of everyone, or could
# be skipped: with the default item_nonresponse exclusion, each such blank excludes a respondent.
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
    answered = [str(v) for v in values.dropna().unique() if not OFF_SCALE.match(str(v))]
    return bool(answered) and (_scale_of(answered) is not None or _numbered(answered) is not None)


def _free_text(values: pd.Series, hinted: bool = False) -> bool:
    """Free text or identifiers: more than a few answers, nearly all different (not numbers, not
    points of a scale); or a column whose name says so, unless its answers are on a scale."""
    if _on_known_scale(values):
        return False
    answered = values.dropna()
    distinct = answered.nunique()
    if hinted and distinct > 0:
        return True
    if _numbers(values):
        return False
    many = distinct > FREE_TEXT_DISTINCT and distinct > len(answered) / 2
    return many or (distinct > FEW_DISTINCT and distinct >= NEARLY_ALL * len(answered))


def _answer_set(values, labels, answer_sets, todos, key, codes, missing=()) -> str | None:
    """The name of the answer set of a column (added to ``answer_sets`` if new)."""
    if labels:  # SPSS value labels: every label the file defines, less the user-missing ones
        answers = [(str(label), code) for code, label in labels.items() if code not in missing]
        notes = []
        if missing:
            gone = [f"{_code_text(code)} {labels[code]!r}" for code in sorted(missing)]
            notes.append(
                f"{', '.join(gone)} declared missing in the .sav (read as blank): left out"
            )
        return _add_drafted(answer_sets, todos, key, answers, codes, notes)
    distinct = _distinct(values)
    if not distinct:
        todos.append(f"column {key!r} has no answers in this export: left out; add it by hand")
        return None
    if codes and not all(map(_is_int, distinct)) and all(map(EXPORT_CODE.match, distinct)):
        todos.append(f"column {key!r}: the export holds codes; write each code's label")
        spec = {"ordinal": True, "options": _export_code_options(distinct)}
        return _add(answer_sets, spec, "coded")
    if codes:
        options = [
            {"label": f"{TODO}: label of code {v}", "code": int(float(v))}
            for v in distinct
            if _is_int(v)
        ]
        if len(options) != len(distinct):
            todos.append(f"column {key!r} has answers that are not codes: left out")
            return None
        spec = {"ordinal": True, "options": sorted(options, key=lambda o: o["code"])}
        _negative_codes_off_scale(spec["options"], todos, key)
        todos.append(f"column {key!r}: the export holds codes; write each code's label")
        return _add(answer_sets, spec, "coded")
    return _add_drafted(answer_sets, todos, key, [(v, None) for v in distinct], False, [])


def _distinct(values: pd.Series) -> list[str]:
    """A column's distinct answers, numbers in numeric order, then the rest as text."""
    distinct = [str(v) for v in values.dropna().unique()]
    return sorted(distinct, key=lambda v: (0, float(v), v) if _is_number(v) else (1, 0, v))


def _add_drafted(answer_sets, todos, key, answers, keep_codes, notes) -> str:
    """Draft options from ``answers`` ((label, the export's code or None), in the export's
    order), add the set, and its TODOs if it is new."""
    spec, name, more = _options(answers, keep_codes)
    if keep_codes:  # the labels are the codebook's to choose: "Strongly Disagree" is one set
        same = next(
            (n for n, s in answer_sets.items() if _casefolded(s) == _casefolded(spec)), None
        )
        if same:
            return same
    known = len(answer_sets)
    name = _add(answer_sets, spec, name)
    if len(answer_sets) > known:
        todos.extend(f"answer set {name!r} (first in column {key!r}): {n}" for n in notes + more)
    return name


def _options(answers: list[tuple[str, float | None]], keep_codes: bool):
    """An answer set's options, its name and what a person must check.

    Points of a known scale are listed low to high, labels that carry numbers in the order of
    their numbers; off-scale answers and negative codes (Qualtrics' -1 "No basis for
    evaluation") follow, marked off_scale. With ``keep_codes`` (``values: codes``) each option
    keeps the export's code; otherwise the points are coded 1..k (or by their numbers).
    """
    code_of = dict(answers)
    off = [label for label, code in answers if OFF_SCALE.match(label) or _negative(label, code)]
    on = [label for label, _ in answers if label not in off]
    notes = []
    negative = [label for label in off if not OFF_SCALE.match(label)]
    if negative:
        notes.append(
            f"{negative} have negative codes: drafted off_scale (answers that are not points "
            "of the scale); check"
        )
    scale, numbered = _scale_of(on), _numbered(on)
    nominal = next(
        (
            name
            for name, labels in NOMINAL.items()
            if on and {v.casefold() for v in on} <= {label.casefold() for label in labels}
        ),
        None,
    )
    if scale:
        ordered = _in_scale_order(on, scale, complete=not keep_codes and not _all_coded(answers))
        points = [(label, i) for i, label in enumerate(ordered, 1)]
        ordinal, name = True, scale
    elif numbered:
        points = numbered
        ordinal, name = True, "numbered"
        notes.append(
            f"{[label for label, _ in numbered]}: ordered by the numbers they carry; confirm "
            "it is a scale from low to high (or set ordinal: false), and check the codes"
        )
    elif nominal:
        labels = {label.casefold(): label for label in on}
        points = [(labels.get(v.casefold(), v), i) for i, v in enumerate(NOMINAL[nominal], 1)]
        ordinal, name = False, nominal
    else:
        points = [(label, i) for i, label in enumerate(on, 1)]
        ordinal, name = False, "answers"
        notes.append(
            f"{on} match no known scale; order them (and set ordinal: true) if they are "
            "ordered, and check their codes"
        )
    if keep_codes:
        points = [(label, int(code_of[label])) for label, _ in points]
        codes = [code for _, code in points]
        if ordinal and codes != sorted(codes):
            coding = ", ".join(f"{code} = {label}" for label, code in points)
            notes.append(
                f"the export's codes run against the scale ({coding}), "
                "listed here low to high: % agree and the figures follow this order, but theme "
                "scores, reliability and tests use the codes, so recode them (or read the export "
                "with values: labels) before analysing"
            )
    options = [{"label": label, "code": code} for label, code in points]
    used = [code for _, code in points]
    off_code = 9 if max(used, default=0) < 9 else 10 ** len(str(max(used))) - 1
    for offset, label in enumerate(off):
        code = int(code_of[label]) if keep_codes else off_code + offset
        options.append({"label": label, "code": code, "off_scale": True})
    return {"ordinal": ordinal, "options": options}, name, notes


def _casefolded(spec: dict) -> dict:
    options = [{**o, "label": o["label"].casefold()} for o in spec["options"]]
    return {**spec, "options": options}


def _negative(label: str, code: float | None) -> bool:
    """A negative code (or, read as text, a negative number): an answer off the scale."""
    if code is not None:
        return code < 0
    return _is_number(label) and float(label) < 0


def _all_coded(answers) -> bool:
    return all(code is not None for _, code in answers)


def _negative_codes_off_scale(options: list[dict], todos: list[str], key: str) -> None:
    """Negative codes (Qualtrics' -1 "No basis for evaluation") are no points of the scale."""
    negative = [option for option in options if option["code"] < 0]
    for option in negative:
        option["off_scale"] = True
    if negative:
        todos.append(
            f"column {key!r}: codes {[o['code'] for o in negative]} drafted off_scale "
            "(negative: answers that are not points of the scale); check"
        )


def _code_text(code: float) -> str:
    return str(int(code)) if float(code).is_integer() else str(code)


# An answer code that is not a number: LimeSurvey's answer codes (A1, AO01; -oth- for "Other"),
# REDCap's alphanumeric choice codes (letters, digits, underscores).
EXPORT_CODE = re.compile(r"^(?:[A-Za-z0-9_]{1,20}|-oth-)$")


def _export_code_options(exported: list[str]) -> list[dict]:
    """Options for codes that are not numbers: each the platform's code as ``export_code``, in
    natural order (A2 before A10), analysed as 1..k."""
    ordered = sorted(
        exported, key=lambda v: [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", v)]
    )
    return [
        {"label": f"{TODO}: label of code {v}", "code": i, "export_code": v}
        for i, v in enumerate(ordered, 1)
    ]


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


def _scale_key(label: str) -> str:
    """A label as scales are matched: any case; "Neither ..." or "Neutral" as the middle."""
    label = label.strip()
    return "neutral" if NEUTRAL.match(label) else label.casefold()


def _scale_of(labels: list[str]) -> str | None:
    """The smallest known scale whose points include all of ``labels``."""
    wanted = {_scale_key(label) for label in labels if not OFF_SCALE.match(label)}
    if not wanted:
        return None
    fits = [
        (len(scale), name)
        for name, scale in SCALES
        if wanted <= {_scale_key(point) for point in scale}
    ]
    return min(fits)[1] if fits else None


def _in_scale_order(labels: list[str], scale: str, complete: bool) -> list[str]:
    """``labels`` (as the export spells them) low to high; with ``complete``, the scale's
    points nobody chose too, as the scale spells them."""
    points = dict(SCALES)[scale]
    position = {_scale_key(point): i for i, point in enumerate(points)}
    ordered = [(position[_scale_key(label)], label) for label in labels]
    if complete:
        seen = {_scale_key(label) for label in labels}
        ordered += [(i, point) for i, point in enumerate(points) if _scale_key(point) not in seen]
    return [label for _, label in sorted(ordered, key=lambda item: item[0])]


def _numbered(labels: list[str]) -> list[tuple[str, int]] | None:
    """Labels that all carry distinct numbers (2 to ``NUMERIC_DISTINCT`` of them, as a scale's
    points), in the order of their numbers, each with its number as its code; else None."""
    numbers = {}
    for label in labels:
        found = next((m for m in (p.fullmatch(label.strip()) for p in NUMBERED) if m), None)
        if found is None:
            return None
        numbers[label] = int(found["number"])
    distinct = len(set(numbers.values()))
    if not 2 <= distinct == len(numbers) <= NUMERIC_DISTINCT:  # no scale has more points
        return None
    return sorted(numbers.items(), key=lambda item: item[1])


def _stem_splits(text: str) -> dict[str, str]:
    """Every way to read a column text as a matrix row: {stem: row}."""
    splits: dict[str, str] = {}
    for separator in MATRIX_SEPARATORS.finditer(text):
        stem, row = text[: separator.start()], text[separator.end() :]
        if stem.strip() and row.strip():
            splits.setdefault(stem, row)
    bracketed = MATRIX_BRACKETS.match(text)
    if bracketed:
        splits[bracketed["stem"]] = bracketed["row"]
    return splits


def _run_stem(run: list[tuple]) -> str | None:
    """The longest stem that every column of ``run`` shares (None for a single column)."""
    if len(run) < 2:
        return None
    stems = set(_stem_splits(run[0][2]))
    for _, _, text in run[1:]:
        stems &= set(_stem_splits(text))
    return max(stems, key=len) if stems else None


def _matrix_runs(candidates: list[tuple]) -> list[list[tuple]]:
    """Consecutive columns that share a stem (a matrix's rows), each other column alone."""
    runs: list[list[tuple]] = []
    for column in candidates:
        if runs and _run_stem([*runs[-1], column]) is not None:
            runs[-1].append(column)
        else:
            runs.append([column])
    return runs


def _questions(columns, answer_sets, block, by_id) -> tuple[dict, list[str]]:
    """Questions in export order; runs of matrix rows on one ordinal scale become a statement
    set, whose statements name their columns (export.statement_columns) where the column is
    not "<stem> - <row>" or is matched by its id."""
    todos: list[str] = []
    taken: set[str] = set()
    groups: list[list[tuple]] = []
    for column in columns:
        previous = groups[-1][-1] if groups else None
        if (
            previous is not None
            and column[3] is not None
            and previous[3] is not None
            and previous[3][0] == column[3][0]
            and previous[2] == column[2]
        ):
            groups[-1].append(column)
        else:
            groups.append([column])
    codebook: dict = {"answer_sets": answer_sets}
    statement_sets, stems, statements, questions = {}, {}, [], []
    statement_columns = {}
    statement_answers = None
    for group in groups:
        answers = group[0][2]
        is_matrix = len(group) >= 2 and answers != NUMBER and answer_sets[answers]["ordinal"]
        if not is_matrix:
            for key, text, answers, _ in group:
                question = {"id": _identifier(text, taken), "text": text}
                question |= {"type": NUMBER} if answers == NUMBER else {"answers": answers}
                if by_id or key != text:
                    question["columns"] = [{"column": key}]
                questions.append(question)
            continue
        stem = group[0][3][0]
        statement_answers = statement_answers or answers
        set_id = _identifier(stem, taken)
        statement_sets[set_id] = {"label": f"{TODO}: name of this statement set ({stem})"}
        if answers != statement_answers:
            statement_sets[set_id]["answers"] = answers
        stems[set_id] = stem
        if "statements" not in questions:
            questions.append("statements")
        for key, _, _, (_, row) in group:
            wording = row.strip()
            code_like = re.fullmatch(r"\w*\d\w*", wording) is not None  # LimeSurvey's "SQ001"
            statement_id = _identifier(f"{stem} {wording}" if code_like else wording, taken)
            statements.append({"id": statement_id, "statement_set": set_id, "wording": wording})
            if by_id or key != f"{stem}{MATRIX_SEPARATOR}{wording}":
                statement_columns[statement_id] = key
        todos.append(f"statement set {set_id!r}: name it, and group its statements into themes")
    if statement_sets:
        codebook |= {
            "statement_sets": statement_sets,
            "statement_stems": stems,
            "statement_answers": statement_answers,
            "statements": statements,
        }
    if statement_columns:
        block["statement_columns"] = statement_columns
    codebook["questionnaire"] = {"export": block, "questions": questions}
    return codebook, todos


def _add(answer_sets: dict, spec: dict, name: str) -> str:
    for existing, other in answer_sets.items():
        if other == spec:
            return existing
    unique, number = name, 1
    while unique in answer_sets:
        number += 1
        unique = f"{name}_{number}"
    answer_sets[unique] = spec
    return unique


def _identifier(text: str, taken: set[str]) -> str:
    words = re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_").split("_")
    base = "_".join(words[:5]) or "question"
    if not base[0].isalpha():
        base = f"q_{base}"
    unique, number = base, 1
    while unique in taken:
        number += 1
        unique = f"{base}_{number}"
    taken.add(unique)
    return unique


def _timestamp_format(table: Table, keys: list[str], column: str) -> str:
    values = table.data[keys.index(column)].dropna()
    values = values[~values.isin(NOT_A_TIME)].head(50)  # read as blank (likertflow.platforms)
    for candidate in TIMESTAMP_FORMATS:
        if pd.to_datetime(values, format=candidate, errors="coerce").notna().all():
            return candidate
    return f"{TODO}: the strftime format of {column!r}, e.g. %Y-%m-%d %H:%M:%S"


def to_yaml(codebook: dict, todos: list[str], source: str) -> str:
    """The draft as YAML, its TODOs as numbered comments at the top."""
    import yaml

    lines = [
        f"# Draft codebook, written by `likertflow draft` from {source}.",
        "# Check every entry; decide each TODO below (and the TODO values in the file), then",
        "# validate by running `snakemake -n` with this codebook.",
        "#",
        *(f"# {TODO} {number}. {todo}" for number, todo in enumerate(todos, 1)),
        "",
    ]
    body = yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(lines) + body


# --- The command --------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("export", help="an export file (.csv .tsv .txt .xlsx .sav ...)")
    parser.add_argument("--format", default="csv", choices=list(PLATFORMS))
    parser.add_argument("--survey", default="survey", help="questionnaire id (snake_case)")
    parser.add_argument("--match", default="text", choices=["text", "id"])
    parser.add_argument("--values", default="labels", choices=["labels", "codes"])
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--data-dictionary", help="REDCap: the project's data dictionary CSV")
    parser.add_argument("--out", help="where to write the draft (default: print it)")


def main(args: argparse.Namespace) -> int:
    """Write a codebook that validates against workflow/schemas/codebook.schema.yaml: one
    question per answer column, answer sets from the answers (or an SPSS file's value labels) in
    the order of a known scale, matrix rows grouped into statement sets, metadata and free text
    left out, and numbered TODO comments at the top for what a person must decide."""
    export = {
        "format": args.format,
        "match": args.match,
        "values": args.values,
        "delimiter": "\t" if args.delimiter in ("\\t", "tab") else args.delimiter,
        "encoding": args.encoding,
        "data_dictionary": args.data_dictionary,
    }
    defaults = export_defaults()  # left out of the draft: the schema fills them in
    export = {k: v for k, v in export.items() if v is not None and (k, v) not in defaults.items()}
    try:
        codebook, todos = draft_codebook(args.export, export, args.survey)
    except InputError as error:
        print(error, file=sys.stderr)
        return 1
    text = to_yaml(codebook, todos, args.export)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{args.out}: draft codebook with {len(todos)} TODO(s)", file=sys.stderr)
    else:
        print(text)
    return 0
