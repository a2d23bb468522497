"""Draft a codebook from an export: the hour of typing that the export's own labels can save.

``draft_codebook(path, export)`` reads an export in any format of ``likertflow.readers`` and
returns the codebook (a dict that validates against ``workflow/schemas/codebook.schema.yaml``)
and the list of decisions left to a person (``TODO``). ``to_yaml`` writes both, the TODOs as
comments at the top and beside the entries they concern.

What it recognises:
- metadata columns (``METADATA``): the response id, start and completion times and a finished
  flag become the ``export`` block; identifying or platform columns (IP address, location,
  e-mail, names, external reference, user agent, ...) are left out, so ingest drops them;
- free-text columns (many distinct answers) are left out, listed in a TODO;
- answer sets: a column's distinct answers (or, in an SPSS file, its value labels) matched to a
  known scale (``SCALES``: agreement, frequency, satisfaction, likelihood, accuracy; with and
  without a neutral point) in the scale's order, off-scale answers (``OFF_SCALE``) recognised;
  other answers become an unordered set with a TODO to order them;
- matrix questions: consecutive columns "<stem> - <row>" on one scale become a statement set
  with that stem, one statement per row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from likertflow.exportfiles import SPSS_EXTENSIONS
from likertflow.readers import (
    MATRIX_SEPARATOR,
    REDCAP_NOT_COMPLETED,
    ExportSpec,
    Table,
    read_table,
)

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
    r"|i do not want to .*|no opinion|can.?t say)$",
    re.IGNORECASE,
)
# Metadata columns by role, matched (case-insensitively) on the column id or its text.
METADATA = {
    "response_id": r"response ?id|respondent ?id|record_id|^id$|responseid",
    "started": r"^start ?date$|^startdate$|^started$|^date started$",
    "completed": r"^end ?date$|^enddate$|^completion date$|^submitdate$|^date submitted$"
    r"|_timestamp$|^completed$",
    "finished": r"^finished$|_complete$",
    "free_text": r"comment|please specify|feedback|anything else|open-ended|_text$|_other$",
    "drop": r"ip ?addr|ipaddress|location|latitude|longitude|e-?mail|first ?name|last ?name"
    r"|^name$|external ?(ref|data)|user ?agent|recipient|collector|custom data|duration"
    r"|progress|^status$|distribution ?channel|user ?language|refurl|referrer|lastpage"
    r"|startlanguage|^seed$|datestamp|survey_identifier|recorded ?date",
}
TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M",
)


def draft_codebook(
    path: str | Path, export: dict, survey: str = "survey"
) -> tuple[dict, list[str]]:
    """A draft codebook for one questionnaire, and what a person must still decide."""
    spec = ExportSpec.from_codebook(export)
    table = read_table(path, export)
    value_labels = _spss_value_labels(Path(path))
    keys = table.ids if spec.match == "id" else table.texts
    todos: list[str] = []
    block: dict = {"format": spec.format}
    block |= {k: v for k, v in export.items() if k not in ("format",) and v is not None}
    answer_sets: dict[str, dict] = {}
    columns = []  # (key, text, answer set)
    left_out = []
    for position, (key, text) in enumerate(zip(keys, table.texts, strict=True)):
        role = _metadata_role(table.ids[position], text)
        values = table.data[position]
        if role in ("response_id", "started", "completed", "finished"):
            block.setdefault(role, key)
            continue
        if role == "drop":
            left_out.append(key)
            continue
        # A name that sounds like free text ("feedback") holding answers on a known scale is a
        # rated statement: the values decide.
        if role == "free_text" and not _on_known_scale(values):
            todos.append(f"column {key!r} looks like free text: left out (ingest drops it)")
            left_out.append(key)
            continue
        labels = value_labels.get(table.ids[position])
        if labels is None and _numbers(values):
            todos.append(
                f"column {key!r} holds {values.dropna().nunique()} distinct numbers: drafted as "
                "type: numeric; add min and max to validate it, and config bands to tabulate it"
            )
            columns.append((key, text, NUMBER))
            continue
        if labels is None and _free_text(values):
            todos.append(f"column {key!r} looks like free text: left out (ingest drops it)")
            left_out.append(key)
            continue
        name = _answer_set(values, labels, answer_sets, todos, key, spec.values == "codes")
        if name is None:
            left_out.append(key)
            continue
        columns.append((key, text, name))
    block.setdefault("response_id", f"{TODO}: the response id column")
    if "response_id" not in export and block["response_id"].startswith(TODO):
        todos.append("export.response_id: name the column that identifies a response")
    for role in ("started", "completed"):
        if role in block and "timestamp_format" not in block:
            block["timestamp_format"] = _timestamp_format(table, keys, block[role])
    block.setdefault("timestamp_format", "%Y-%m-%d %H:%M:%S")
    codebook, statement_todos = _questions(columns, answer_sets, block, spec.match == "id")
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
        "respondents (a column left blank by design is otherwise item non-response)"
    )
    if left_out:
        todos.append("left out as metadata or free text: " + ", ".join(map(repr, left_out)))
    return codebook, todos


def _metadata_role(column_id: str, text: str) -> str | None:
    for role, pattern in METADATA.items():
        if any(re.search(pattern, name, re.IGNORECASE) for name in (column_id, text)):
            return role
    return None


def _numbers(values: pd.Series) -> bool:
    """Whether a column's answers are numbers with more distinct values than a rating scale."""
    distinct = values.dropna().unique()
    return len(distinct) > NUMERIC_DISTINCT and all(_is_number(str(v)) for v in distinct)


def _on_known_scale(values: pd.Series) -> bool:
    answered = [str(v) for v in values.dropna().unique() if not OFF_SCALE.match(str(v))]
    return bool(answered) and _scale_of(answered) is not None


def _free_text(values: pd.Series) -> bool:
    answered = values.dropna()
    distinct = answered.nunique()
    return distinct > FREE_TEXT_DISTINCT and distinct > len(answered) / 2


def _spss_value_labels(path: Path) -> dict[str, dict[float, str]]:
    if path.suffix.lower() not in SPSS_EXTENSIONS:
        return {}
    import pyreadstat

    _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    return {
        name: meta.value_labels[label_set]
        for name, label_set in meta.variable_to_label.items()
        if label_set in meta.value_labels
    }


def _answer_set(values, labels, answer_sets, todos, key, codes) -> str | None:
    """The name of the answer set of a column (added to ``answer_sets`` if new)."""
    if labels:  # SPSS value labels: every label, coded as the file codes them
        options = [{"label": str(label), "code": int(code)} for code, label in labels.items()]
        ordinal = _scale_of([o["label"] for o in options]) is not None
        for option in options:
            if OFF_SCALE.match(option["label"]):
                option["off_scale"] = True
        spec = {"ordinal": ordinal, "options": options}
        return _add(answer_sets, spec, _scale_of([o["label"] for o in options]) or "answers")
    distinct = sorted(str(v) for v in values.dropna().unique())
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
        todos.append(f"column {key!r}: the export holds codes; write each code's label")
        return _add(answer_sets, spec, "coded")
    on_scale = [v for v in distinct if not OFF_SCALE.match(v)]
    off = [v for v in distinct if OFF_SCALE.match(v)]
    scale = _scale_of(on_scale)
    nominal = next(
        (
            name
            for name, labels in NOMINAL.items()
            if {v.casefold() for v in on_scale} <= {label.casefold() for label in labels}
        ),
        None,
    )
    if nominal and not scale:
        options = [{"label": label, "code": i} for i, label in enumerate(NOMINAL[nominal], 1)]
        ordinal = False
    elif scale:
        labels_in_order = dict(SCALES)[scale]
        options = [{"label": label, "code": i} for i, label in enumerate(labels_in_order, 1)]
        ordinal = True
    else:
        options = [{"label": label, "code": i} for i, label in enumerate(on_scale, 1)]
        ordinal = False
    off_code = 9 if len(options) < 9 else 99
    for offset, label in enumerate(off):
        options.append({"label": label, "code": off_code + offset, "off_scale": True})
    known = len(answer_sets)
    name = _add(
        answer_sets, {"ordinal": ordinal, "options": options}, scale or nominal or "answers"
    )
    if not (scale or nominal) and len(answer_sets) > known:
        todos.append(
            f"answer set {name!r} (first in column {key!r}): {on_scale} match no known scale; "
            "order them (and set ordinal: true) if they are ordered, and check their codes"
        )
    return name


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


def _scale_of(labels: list[str]) -> str | None:
    """The smallest known scale whose labels include all of ``labels`` (case-insensitive)."""
    wanted = {label.casefold() for label in labels if not OFF_SCALE.match(label)}
    if not wanted:
        return None
    fits = [(len(scale), name) for name, scale in SCALES if wanted <= {s.casefold() for s in scale}]
    return min(fits)[1] if fits else None


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


def _questions(columns, answer_sets, block, by_id) -> tuple[dict, list[str]]:
    """Questions in export order; runs of "<stem> - <row>" columns on one ordinal scale become
    a statement set."""
    todos: list[str] = []
    taken: set[str] = set()
    groups: list[list[tuple[str, str, str]]] = []
    for column in columns:
        stem = _stem(column[1])
        previous = groups[-1][-1] if groups else None
        if (
            previous is not None
            and stem is not None
            and NUMBER not in (previous[2], column[2])
            and _stem(previous[1]) == stem
            and _on_scale(answer_sets[previous[2]]) == _on_scale(answer_sets[column[2]])
        ):
            groups[-1].append(column)
        else:
            groups.append([column])
    codebook: dict = {"answer_sets": answer_sets}
    statement_sets, stems, statements, questions = {}, {}, [], []
    statement_columns = {}
    statement_answers = None
    for group in groups:
        stem = _stem(group[0][1])
        is_matrix = (
            len(group) >= 2
            and stem is not None
            and answer_sets[group[0][2]]["ordinal"]
            and statement_answers in (None, *(c[2] for c in group))
        )
        if not is_matrix:
            for key, text, answers in group:
                question = {"id": _identifier(text, taken), "text": text}
                question |= {"type": NUMBER} if answers == NUMBER else {"answers": answers}
                if by_id or key != text:
                    question["columns"] = [{"column": key}]
                questions.append(question)
            continue
        # The set of the group's columns with the most options (off-scale answers included).
        statement_answers = max((c[2] for c in group), key=lambda n: len(answer_sets[n]["options"]))
        set_id = _identifier(stem, taken)
        statement_sets[set_id] = {"label": f"{TODO}: name of this statement set ({stem})"}
        stems[set_id] = stem
        if "statements" not in questions:
            questions.append("statements")
        for key, text, _ in group:
            wording = text[len(stem) + len(MATRIX_SEPARATOR) :]
            statement_id = _identifier(wording, taken)
            statements.append({"id": statement_id, "statement_set": set_id, "wording": wording})
            if by_id:
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


def _on_scale(answer_set: dict) -> list[str]:
    return [o["label"] for o in answer_set["options"] if not o.get("off_scale")]


def _stem(text: str) -> str | None:
    return text.rsplit(MATRIX_SEPARATOR, 1)[0] if MATRIX_SEPARATOR in text else None


def _timestamp_format(table: Table, keys: list[str], column: str) -> str:
    values = table.data[keys.index(column)].dropna()
    values = values[values != REDCAP_NOT_COMPLETED].head(50)  # read as blank (readers)
    for candidate in TIMESTAMP_FORMATS:
        if pd.to_datetime(values, format=candidate, errors="coerce").notna().all():
            return candidate
    return f"{TODO}: the strftime format of {column!r}, e.g. %Y-%m-%d %H:%M:%S"


def to_yaml(codebook: dict, todos: list[str], source: str) -> str:
    """The draft as YAML, its TODOs as numbered comments at the top."""
    import yaml

    lines = [
        f"# Draft codebook, written by workflow/scripts/draft_codebook.py from {source}.",
        "# Check every entry; decide each TODO below (and the TODO values in the file), then",
        "# validate by running `snakemake -n` with this codebook.",
        "#",
        *(f"# {TODO} {number}. {todo}" for number, todo in enumerate(todos, 1)),
        "",
    ]
    body = yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(lines) + body
