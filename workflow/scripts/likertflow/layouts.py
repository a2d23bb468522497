"""Writing responses in a survey platform's export layout: the inverse of likertflow.readers.

A builder lays a plain frame of answers out as a platform does and says what the codebook's
``export`` block must be to read it back (and, for platforms matched by column id, the id of
each question column). ``write`` puts a layout in a file as the platform would (CSV in the
platform's dialect, an ``.xlsx`` workbook or an SPSS ``.sav`` by the file's extension)::

    layout = layouts.LAYOUTS["qualtrics"](questionnaire, answers)
    layouts.write(layout, "raw/undergraduates/export_2024-03-11.csv")

``answers`` has the questionnaire's export columns (response id, started and completed where the
questionnaire has them, one column per question column) holding answer labels as text, missing
where blank. The worked example's generator (workflow/scripts/generate_example_exports.py)
writes its exports with these builders, and the tests (tests/platformkit.py) build every
platform's layout of the same responses with them. Columns that platforms write but a codebook
does not analyse (IP address, e-mail address, names, free text) are added only when
``Unanalysed`` gives their values. Layouts, as the platforms document them: see
likertflow.readers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from likertflow.codebook import Questionnaire


@dataclass
class Layout:
    """An export as a platform lays it out, and the codebook export block that reads it."""

    format: str
    header_rows: list[list[str]]
    data: pd.DataFrame  # one column per header position, strings, <NA> for blank
    export: dict  # the codebook's export block
    ids: dict[str, str] = field(default_factory=dict)  # question column text -> platform id
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)  # SPSS only
    numbers: list[str] = field(default_factory=list)  # SPSS numeric variables without labels
    dictionary: pd.DataFrame | None = None  # REDCap data dictionary


@dataclass(frozen=True)
class Unanalysed:
    """Values of the columns a platform writes that no codebook analyses; None leaves one out."""

    ip: pd.Series | None = None
    email: pd.Series | None = None
    first_name: pd.Series | None = None
    last_name: pd.Series | None = None
    comment: pd.Series | None = None  # an open question the codebook does not list


NONE = Unanalysed()
COMMENT_TEXT = "Any other comments?"


def _codes(q: Questionnaire, answers: pd.DataFrame) -> pd.DataFrame:
    """The answers with every answer label replaced by its code (as text); numbers as they are."""
    coded = answers.copy()
    for question in q.questions:
        if question.numeric:
            continue
        mapping = {option.label: option.exported for option in question.answers.options}
        for column in question.columns:
            coded[column.header] = answers[column.header].map(mapping).astype("str")
    return coded


def _question_headers(q: Questionnaire) -> list[str]:
    return [column.header for question in q.questions for column in question.columns]


def _frame(columns: list[pd.Series]) -> pd.DataFrame:
    return pd.DataFrame({i: column.reset_index(drop=True) for i, column in enumerate(columns)})


def _block(fmt: str, q: Questionnaire, **keys) -> dict:
    """The export block: format, response id, and the times the questionnaire has."""
    block = {"format": fmt, "response_id": q.export.response_id}
    if q.export.started:
        block["started"] = q.export.started
    if q.export.completed:
        block["completed"] = q.export.completed
    block.update(keys)
    block["timestamp_format"] = q.export.timestamp_format
    return block


class _Columns:
    """Header rows and data columns, added side by side; a column whose values are None is
    left out (an unanalysed column not asked for, a time the questionnaire does not have)."""

    def __init__(self, rows: int):
        self.headers: list[list[str]] = [[] for _ in range(rows)]
        self.data: list[pd.Series] = []

    def add(self, values: pd.Series | None, *header: str) -> None:
        if values is None:
            return
        for row, text in zip(self.headers, header, strict=True):
            row.append(text)
        self.data.append(values)


def _time(answers: pd.DataFrame, column: str | None) -> pd.Series | None:
    return answers[column] if column else None


def plain(q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE, fmt="csv") -> Layout:
    """One header row of column texts (csv, and the same layout in Excel)."""
    out = _Columns(1)
    for column in answers.columns:
        out.add(answers[column], column)
    out.add(extra.ip, "IP Address")
    out.add(extra.email, "Email Address")
    out.add(extra.comment, COMMENT_TEXT)
    return Layout(fmt, out.headers, _frame(out.data), _block(fmt, q))


def excel(q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE) -> Layout:
    return plain(q, answers, extra, "excel")


def _import_id_json(name: str) -> str:
    return json.dumps({"ImportId": name}, separators=(",", ":"))


def _import_id_2016(name: str) -> str:
    return repr({"ImportId": name})  # 2016 "Insights" exports: {'ImportId': 'QID1'}


def qualtrics(
    q: Questionnaire,
    answers: pd.DataFrame,
    extra: Unanalysed = NONE,
    numeric: bool = False,
    import_id: Callable[[str], str] | None = _import_id_json,
) -> Layout:
    """Qualtrics: ids (ResponseId, Q3), question texts, the ImportId row (none: the legacy
    layout of two header rows); choice text or codes."""
    values = _codes(q, answers) if numeric else answers
    questions = _question_headers(q)
    ids_of = {header: f"Q{i + 1}" for i, header in enumerate(questions)}
    finished = None
    if q.export.completed:
        finished = answers[q.export.completed].notna().map({True: "1", False: "0"}).astype("str")
    out = _Columns(2)
    out.add(_time(answers, q.export.started), "StartDate", q.export.started)
    out.add(_time(answers, q.export.completed), "EndDate", q.export.completed)
    out.add(finished, "Finished", "Finished")
    out.add(extra.ip, "IPAddress", "IP Address")
    out.add(extra.email, "RecipientEmail", "Recipient Email")
    out.add(answers[q.export.response_id], "ResponseId", q.export.response_id)
    for header in questions:
        out.add(values[header], ids_of[header], header)
    out.add(extra.comment, "Q_comments", COMMENT_TEXT)
    ids, texts = out.headers
    header_rows = [ids, texts]
    if import_id is not None:
        header_rows.append([import_id(name) for name in ids])
    keys = {"finished": "Finished"} if q.export.completed else {}
    if numeric:
        keys["values"] = "codes"
    block = _block("qualtrics", q, **keys)
    return Layout("qualtrics", header_rows, _frame(out.data), block, ids=ids_of)


def qualtrics_numeric(q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE):
    return qualtrics(q, answers, extra, numeric=True)


def qualtrics_legacy(q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE):
    return qualtrics(q, answers, extra, numeric=True, import_id=None)


def qualtrics_2016(q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE):
    return qualtrics(q, answers, extra, import_id=_import_id_2016)


def surveymonkey(q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE) -> Layout:
    """SurveyMonkey: question text above a question's first column only, then row labels."""
    n = len(answers)
    out = _Columns(2)
    out.add(answers[q.export.response_id], "Respondent ID", "")
    out.add(pd.Series(["431"] * n, dtype="str"), "Collector ID", "")
    out.add(_time(answers, q.export.started), "Start Date", "")
    out.add(_time(answers, q.export.completed), "End Date", "")
    out.add(extra.ip, "IP Address", "")
    out.add(extra.email, "Email Address", "")
    out.add(extra.first_name, "First Name", "")
    out.add(extra.last_name, "Last Name", "")
    wording_of = {q_.columns[0].header: q_.text for q_ in q.statements()}
    previous_stem = None
    for header in _question_headers(q):
        wording = wording_of.get(header)
        if wording and header.endswith(f" - {wording}"):
            stem = header[: -len(f" - {wording}")]
            out.add(answers[header], stem if stem != previous_stem else "", wording)
            previous_stem = stem
        else:
            out.add(answers[header], header, "Response")
            previous_stem = None
    out.add(extra.comment, COMMENT_TEXT, "Open-Ended Response")
    block = {"format": "surveymonkey", "response_id": "Respondent ID"}
    block.update({"started": "Start Date"} if q.export.started else {})
    block.update({"completed": "End Date"} if q.export.completed else {})
    block["timestamp_format"] = q.export.timestamp_format
    return Layout("surveymonkey", out.headers, _frame(out.data), block)


def _field_ids(q: Questionnaire) -> dict[str, str]:
    """A field name per question column: the question id, numbered when it has several."""
    ids = {}
    for question in q.questions:
        for number, column in enumerate(question.columns):
            ids[column.header] = question.id if number == 0 else f"{question.id}_{number + 1}"
    return ids


def redcap(
    q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE, dictionary_path: str = ""
) -> Layout:
    """REDCap raw: field names, codes, <form>_timestamp and <form>_complete; no start time."""
    values = _codes(q, answers)
    ids = _field_ids(q)
    form = q.survey
    out = _Columns(2)  # field name, field label (for the data dictionary)
    out.add(answers[q.export.response_id], "record_id", "Record ID")
    out.add(extra.email, "email", "E-mail")
    for header, name in ids.items():
        out.add(values[header], name, header)
    out.add(extra.comment, "comments", COMMENT_TEXT)
    fields_, labels = (list(row) for row in out.headers)
    types = ["radio" if name in ids.values() else "text" for name in fields_]
    if extra.comment is not None:
        types[-1] = "notes"
    dictionary = pd.DataFrame(
        {
            "Variable / Field Name": fields_,
            "Form Name": form,
            "Section Header": "",
            "Field Type": types,
            "Field Label": labels,
        }
    )
    block = {"format": "redcap", "match": "id", "values": "codes", "response_id": "record_id"}
    if q.export.completed:
        complete = answers[q.export.completed].notna().map({True: "2", False: "0"}).astype("str")
        out.add(answers[q.export.completed], f"{form}_timestamp", "")
        out.add(complete, f"{form}_complete", "")
        block.update(completed=f"{form}_timestamp", finished=f"{form}_complete")
        block["finished_values"] = ["2"]
    block["timestamp_format"] = q.export.timestamp_format
    if dictionary_path:
        block["data_dictionary"] = dictionary_path
    names = out.headers[0]
    return Layout("redcap", [names], _frame(out.data), block, ids=ids, dictionary=dictionary)


def limesurvey(q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE) -> Layout:
    """LimeSurvey: "code. text" headings (Q1, B[SQ001]), answer codes, submitdate."""
    values = _codes(q, answers)
    ids, number, sub = {}, 0, {}
    statement_headers = {question.columns[0].header: question for question in q.statements()}
    for header in _question_headers(q):
        if header in statement_headers:
            group = statement_headers[header].statement_set.upper()
            sub[group] = sub.get(group, 0) + 1
            ids[header] = f"{group}[SQ{sub[group]:03d}]"
        else:
            number += 1
            ids[header] = f"Q{number}"
    out = _Columns(1)
    out.add(answers[q.export.response_id], "id. Response ID")
    out.add(_time(answers, q.export.completed), "submitdate. Date submitted")
    out.add(_time(answers, q.export.started), "startdate. Date started")
    out.add(extra.ip, "ipaddr. IP address")
    out.add(extra.email, "refurl. Referrer URL")
    for header in ids:
        out.add(values[header], f"{ids[header]}. {header}")
    out.add(extra.comment, f"Q99. {COMMENT_TEXT}")
    block = {"format": "limesurvey", "match": "id", "values": "codes", "response_id": "id"}
    block.update({"started": "startdate"} if q.export.started else {})
    block.update({"completed": "submitdate"} if q.export.completed else {})
    block["timestamp_format"] = q.export.timestamp_format
    return Layout("limesurvey", out.headers, _frame(out.data), block, ids=ids)


SPSS_TIMES = ("StartDate", "EndDate")  # written as SPSS date-times


def spss(q: Questionnaire, answers: pd.DataFrame, extra: Unanalysed = NONE) -> Layout:
    """SPSS .sav: variable names, variable labels (texts), numeric codes with value labels."""
    ids = {header: f"V{i + 1}" for i, header in enumerate(_question_headers(q))}
    values = _codes(q, answers)
    out = _Columns(2)
    out.add(answers[q.export.response_id], "ResponseId", q.export.response_id)
    out.add(_time(answers, q.export.started), SPSS_TIMES[0], q.export.started)
    out.add(_time(answers, q.export.completed), SPSS_TIMES[1], q.export.completed)
    out.add(extra.ip, "IPAddress", "IP Address")
    out.add(extra.email, "Email", "Email Address")
    for header in ids:
        out.add(values[header], ids[header], header)
    out.add(extra.comment, "Comments", COMMENT_TEXT)
    labels, numbers = {}, []
    for question in q.questions:
        for column in question.columns:
            if question.numeric:
                numbers.append(ids[column.header])
                continue
            labels[ids[column.header]] = {
                float(code): label for label, code in question.answers.code_of.items()
            }
    return Layout(
        "spss",
        out.headers,
        _frame(out.data),
        _block("spss", q),
        ids=ids,
        value_labels=labels,
        numbers=numbers,
    )


# Format name -> builder(questionnaire, answers, unanalysed columns).
LAYOUTS: dict[str, Callable[..., Layout]] = {
    "csv": plain,
    "excel": excel,
    "qualtrics": qualtrics,
    "qualtrics_numeric": qualtrics_numeric,
    "qualtrics_legacy": qualtrics_legacy,
    "qualtrics_2016": qualtrics_2016,
    "surveymonkey": surveymonkey,
    "redcap": redcap,
    "limesurvey": limesurvey,
    "spss": spss,
}
EXTENSION = {"excel": ".xlsx", "spss": ".sav"}  # others: .csv


def write(
    layout: Layout,
    path: str | Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    created: datetime | None = None,
) -> Path:
    """Write the layout as the platform would: CSV (any dialect), .xlsx, or .sav by extension.

    ``created``: the creation time a .sav file's header records (default: now); give a fixed
    one for files that must be the same bytes each time they are made.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".sav":
        return _write_sav(layout, path, created)
    header = pd.DataFrame(layout.header_rows, columns=layout.data.columns, dtype="str")
    grid = pd.concat([header, layout.data.astype("str")], ignore_index=True)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in grid.itertuples(index=False):
            sheet.append([None if pd.isna(cell) else cell for cell in row])
        book.save(path)
        return path
    grid.to_csv(
        path,
        header=False,
        index=False,
        sep=delimiter,
        encoding=encoding,
        lineterminator="\r\n",
        quoting=1 if layout.format == "qualtrics" else 0,  # Qualtrics quotes every field
    )
    return path


# An SPSS system file's header: "$FL2", product name (60 bytes), five 4-byte integers and an
# 8-byte bias, then the creation date ("dd mmm yy") and time ("hh:mm:ss") as text.
SAV_CREATED_AT = 92


def _write_sav(layout: Layout, path: Path, created: datetime | None) -> Path:
    import pyreadstat  # only .sav files need it

    names, texts = layout.header_rows
    frame = pd.DataFrame()
    for position, name in enumerate(names):
        column = layout.data[position]
        if name in layout.value_labels or name in layout.numbers:
            frame[name] = pd.to_numeric(column).astype("float64")
        elif name in SPSS_TIMES:
            frame[name] = pd.to_datetime(column)
        else:
            frame[name] = column.astype(object).where(column.notna(), "")
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=dict(zip(names, texts, strict=True)),
        variable_value_labels=layout.value_labels,
    )
    if created is not None:
        stamp = created.strftime("%d %b %y%H:%M:%S").encode("ascii")
        with path.open("r+b") as handle:
            handle.seek(SAV_CREATED_AT)
            handle.write(stamp)
    return path
