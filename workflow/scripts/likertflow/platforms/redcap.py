"""REDCap: "CSV / Microsoft Excel (raw data)" (field names, numeric codes, checkbox options as
``<field>___<code>``) or "(labels)"; column texts from the project's data dictionary
(``export.data_dictionary``: "Variable / Field Name", "Field Label"; Project Setup -> Data
Dictionary -> download).

A survey's completion time is ``<form>_timestamp`` ("[not completed]" for a survey started but
not completed, read as blank) and its finished flag ``<form>_complete``: 0 Incomplete,
1 Unverified, 2 Complete. There is no start time. Rows of a repeating instrument are refused:
they are instances of a form, not responses.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from likertflow.errors import InputError, Problem
from likertflow.platforms import base

if TYPE_CHECKING:
    import pandas as pd

    from likertflow.codebook import ExportSpec, Questionnaire
    from likertflow.platforms.preflight import Limits

# What a REDCap survey export writes in <form>_timestamp for a survey started but not completed.
NOT_COMPLETED = "[not completed]"
# Names the repeating form of a row of a repeating instrument (blank on the record's own row).
REPEAT_INSTRUMENT = "redcap_repeat_instrument"
# The data dictionary's columns, by what we use.
DICTIONARY_COLUMNS = {
    "name": "Variable / Field Name",
    "form": "Form Name",
    "section": "Section Header",
    "label": "Field Label",
    "type": "Field Type",
    "choices": "Choices, Calculations, OR Slider Labels",
    "validation": "Text Validation Type OR Show Slider Number",
}
CHECKBOX_SEPARATOR = "___"  # a checkbox field's column per choice: <field>___<code>


def read(path: Path, spec: ExportSpec, limits: Limits | None = None) -> base.Table:
    """REDCap: field names (raw) or labels; texts from the data dictionary when one is given.

    In the codebook's start and completion time columns, "[not completed]" is read as blank:
    no completion time, as the other platforms write it."""
    from likertflow.platforms.containers import header, read_grid, split

    headers, data = split(read_grid(path, spec, limits), 1, path)
    ids = header(headers.iloc[0])
    texts = list(ids)
    if spec.data_dictionary:
        labels = field_labels(Path(spec.data_dictionary), spec)
        texts = [column_text(name, labels) for name in ids]
    keys = ids if spec.match == "id" else texts
    for position, key in enumerate(keys):
        if key in (spec.started, spec.completed):
            data[position] = data[position].mask(data[position] == NOT_COMPLETED)
    if REPEAT_INSTRUMENT in ids:
        _refuse_repeating_rows(data[ids.index(REPEAT_INSTRUMENT)], path, first_row=2)
    return base.Table(ids, texts, data, first_row=2)


def _refuse_repeating_rows(instrument: pd.Series, path: Path, first_row: int) -> None:
    """Rows of a repeating instrument are instances of a form, not responses: a record has one
    such row per instance beside its own row, so they cannot be read one response per record."""
    import numpy as np

    repeating = instrument.notna().to_numpy()
    if not repeating.any():
        return
    rows = np.flatnonzero(repeating) + first_row
    names = instrument[repeating].to_numpy()
    problems = [
        Problem(
            str(path),
            f"no rows of a repeating instrument ({int((names == name).sum())} row(s) of this "
            "one, the first here): export the non-repeating forms alone, or keep only the "
            f"rows whose {REPEAT_INSTRUMENT} is blank",
            row=int(rows[names == name][0]),
            column=REPEAT_INSTRUMENT,
            value=str(name),
        )
        for name in dict.fromkeys(names)
    ]
    raise InputError(
        f"{path}: {int(repeating.sum())} row(s) are instances of a REDCap repeating instrument "
        f"({REPEAT_INSTRUMENT} not blank), not responses; a response id must occur once "
        "per file",
        problems,
    )


def dictionary(path: Path, spec: ExportSpec) -> pd.DataFrame:
    """A REDCap data dictionary CSV: one row per field, the columns of ``DICTIONARY_COLUMNS``
    by their keys ("" where blank or absent; the field's name and label are required)."""
    from dataclasses import replace

    import pandas as pd

    from likertflow.platforms.containers import header, read_text, split

    # a comma-separated file in the export's encoding, whatever the export's own delimiter
    grid = read_text(path, replace(spec, delimiter=","), "REDCap data dictionary")
    headers, rows = split(grid, 1, path)
    columns = header(headers.iloc[0])
    required = [DICTIONARY_COLUMNS[key] for key in ("name", "label")]
    if not all(column in columns for column in required):
        missing = [column for column in required if column not in columns]
        raise InputError(  # its columns are not quoted: the file may be anything
            f"{path}: not a REDCap data dictionary",
            [
                Problem(
                    str(path),
                    "columns " + " and ".join(map(repr, required)),
                    value=f"{len(columns)} columns, without " + " or ".join(map(repr, missing)),
                )
            ],
        )
    return pd.DataFrame(
        {
            key: rows[columns.index(name)].fillna("") if name in columns else ""
            for key, name in DICTIONARY_COLUMNS.items()
        }
    )


def field_labels(path: Path, spec: ExportSpec) -> dict[str, str]:
    """Field name -> field label, from a REDCap data dictionary CSV."""
    fields = dictionary(path, spec)
    return dict(zip(fields["name"], fields["label"], strict=True))


def column_text(name: str, labels: dict[str, str]) -> str:
    """A checkbox option's column ``field___code`` is "<field label> - <code>"."""
    if name in labels:
        return labels[name]
    field_name, _, code = name.rpartition(CHECKBOX_SEPARATOR)
    if field_name in labels:
        return f"{labels[field_name]}{base.MATRIX_SEPARATOR}{code}"
    return name


# --- The fixture writer ------------------------------------------------------------------------


def _field_ids(q: Questionnaire) -> dict[str, str]:
    """A field name per question column: the question id, numbered when it has several."""
    ids = {}
    for question in q.questions:
        for number, column in enumerate(question.columns):
            ids[column.header] = question.id if number == 0 else f"{question.id}_{number + 1}"
    return ids


def redcap(
    q: Questionnaire,
    answers: pd.DataFrame,
    extra: base.Unanalysed = base.NONE,
    dictionary_path: str = "",
) -> base.Layout:
    """REDCap raw: field names, codes, <form>_timestamp and <form>_complete; no start time."""
    import pandas as pd

    values = base.coded_answers(q, answers)
    ids = _field_ids(q)
    form = q.survey
    out = base.Columns(2)  # field name, field label (for the data dictionary)
    out.add(answers[q.export.response_id], "record_id", "Record ID")
    out.add(extra.email, "email", "E-mail")
    for header, name in ids.items():
        out.add(values[header], name, header)
    out.add(extra.comment, "comments", base.COMMENT_TEXT)
    fields_, labels = (list(row) for row in out.headers)
    types = ["radio" if name in ids.values() else "text" for name in fields_]
    if extra.comment is not None:
        types[-1] = "notes"
    columns = DICTIONARY_COLUMNS
    written = pd.DataFrame(
        {
            columns["name"]: fields_,
            columns["form"]: form,
            columns["section"]: "",
            columns["type"]: types,
            columns["label"]: labels,
        }
    )
    block = {"format": "redcap", "match": "id", "values": "codes", "response_id": "record_id"}
    completed = q.export.completed
    if completed:
        complete = answers[completed].notna().map({True: "2", False: "0"}).astype("str")
        out.add(answers[completed], f"{form}_timestamp", "")
        out.add(complete, f"{form}_complete", "")
        block.update(completed=f"{form}_timestamp", finished=f"{form}_complete")
        block["finished_values"] = ["2"]
    block["timestamp_format"] = q.export.timestamp_format
    if dictionary_path:
        block["data_dictionary"] = dictionary_path
    names = out.headers[0]
    return base.Layout("redcap", [names], out.frame(), block, ids=ids, dictionary=written)


# --- What the drafter reads from the data dictionary -------------------------------------------

# REDCap's built-in choice fields, whose choices the data dictionary leaves blank.
BUILT_IN_CHOICES = {"yesno": {1: "Yes", 0: "No"}, "truefalse": {1: "True", 0: "False"}}
CHOICE_FIELDS = ("radio", "dropdown")
# A checkbox field is one column per choice, "<field>___<code>", holding 0 or 1 in a raw export
# and REDCap's own labels of those in a label export.
CHECKBOX = {0: "Unchecked", 1: "Checked"}
NUMBER_VALIDATION = re.compile(r"^(integer|number.*)$")


def choices(path: Path, spec: ExportSpec) -> base.ValueLabels:
    """From the data dictionary, if the export block names one: the answer labels of each choice
    field's column by code (whole-number codes only; others are drafted from the export), as
    SPSS value labels are, a checkbox's columns as Unchecked/Checked; and the text fields
    validated as numbers."""
    if not spec.data_dictionary:
        return base.ValueLabels()
    rows = dictionary(Path(spec.data_dictionary), spec)
    labels, numbers = {}, set()
    fields = rows[["name", "type", "choices", "validation"]].to_numpy()
    for name, kind, listed, validation in fields:
        if kind in BUILT_IN_CHOICES:
            labels[name] = BUILT_IN_CHOICES[kind]
        elif kind == "checkbox":
            codes = [choice.partition(",")[0].strip() for choice in listed.split("|")]
            labels |= {
                f"{name}{CHECKBOX_SEPARATOR}{code}": CHECKBOX for code in codes if code.isdigit()
            }
        elif kind in CHOICE_FIELDS:
            pairs = [choice.partition(",") for choice in listed.split("|")]
            codes = [code.strip() for code, _, _ in pairs]
            if all(map(_whole_number, codes)):
                labels[name] = {
                    int(code): label.strip()
                    for code, (_, _, label) in zip(codes, pairs, strict=True)
                }
        elif kind == "text" and NUMBER_VALIDATION.match(validation):
            numbers.add(name)
    return base.ValueLabels(labels=labels, numbers=numbers)


def _whole_number(text: str) -> bool:
    try:
        return float(text).is_integer()
    except ValueError:
        return False


PLATFORM = base.Platform(
    "redcap",
    read,
    {"redcap": redcap},
    draft=base.DraftHints(
        metadata={
            "response_id": r"record_?id",
            "completed": r".+_timestamp",
            "finished": r".+_complete",
            "drop": r"redcap_survey_identifier"
            r"|redcap_(event_name|repeat_instrument|repeat_instance|data_access_group)",
        },
        not_a_time=(NOT_COMPLETED,),
        first_column_is_id=True,  # the record id is always a project's first field
        value_labels=choices,
    ),
    finished={"codes": ("2",), "labels": ("Complete",)},
)
