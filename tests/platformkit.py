"""The same responses in each survey platform's export layout, for tests and benchmarks.

``exportkit.export_frame`` gives the plain layout (one header row of the codebook's column
texts). Each builder here lays the same frame out as a platform does, adds the platform's
metadata columns with planted identifying values (``PLANTED``: an IP address, an e-mail
address, a free-text comment), and says what the codebook's ``export`` block must be (and, for
platforms matched by column id, the id of each column)::

    layout = platformkit.LAYOUTS["qualtrics"](q, export)
    path = platformkit.write(layout, tmp_path / "week1.csv")
    q_fmt = platformkit.questionnaire_for(layout, "patients")

Layouts, as the platforms document them (see likertflow.readers for the sources).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from exportkit import CODEBOOK
from likertflow.codebook import Questionnaire, parse_questionnaire
from likertflow.config_check import questionnaire_codebook

PLANTED_IP = "203.0.113.77"
PLANTED_EMAIL = "planted.person@example.org"
PLANTED_COMMENT = "PLANTED free-text comment that must not leave ingest"
PLANTED = (PLANTED_IP, PLANTED_EMAIL, PLANTED_COMMENT)


@dataclass
class Layout:
    """An export as a platform lays it out, and the codebook export block that reads it."""

    format: str
    header_rows: list[list[str]]
    data: pd.DataFrame  # one column per header position, strings, <NA> for blank
    export: dict  # the codebook's export block (replaces the shipped one)
    ids: dict[str, str] = field(default_factory=dict)  # question column text -> platform id
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)  # SPSS only
    dictionary: pd.DataFrame | None = None  # REDCap data dictionary


def _codes(q: Questionnaire, export: pd.DataFrame) -> pd.DataFrame:
    """The export with every answer label replaced by its code (as text)."""
    coded = export.copy()
    for question in q.questions:
        mapping = {label: str(code) for label, code in question.answers.code_of.items()}
        for column in question.columns:
            coded[column.header] = export[column.header].map(mapping).astype("str")
    return coded


def _meta(q: Questionnaire) -> list[str]:
    return [q.response_id, q.started, q.completed]


def _question_headers(q: Questionnaire) -> list[str]:
    return [column.header for question in q.questions for column in question.columns]


def _planted(n: int) -> list[pd.Series]:
    return [pd.Series([value] * n, dtype="str") for value in PLANTED]


def _frame(columns: list[pd.Series]) -> pd.DataFrame:
    return pd.DataFrame({i: column.reset_index(drop=True) for i, column in enumerate(columns)})


def plain(q: Questionnaire, export: pd.DataFrame, fmt: str = "csv") -> Layout:
    """Today's layout (also Excel's): one header row of column texts, plus metadata."""
    headers = [*export.columns, "IP Address", "Email Address", "Any other comments?"]
    data = _frame([*(export[c] for c in export.columns), *_planted(len(export))])
    block = {
        "format": fmt,
        "response_id": q.response_id,
        "started": q.started,
        "completed": q.completed,
        "timestamp_format": q.timestamp_format,
    }
    return Layout(fmt, [headers], data, block)


def qualtrics(q: Questionnaire, export: pd.DataFrame, numeric: bool = False) -> Layout:
    """Qualtrics: ids (ResponseId, Q3_1), question texts, ImportId JSON; choice text or codes."""
    values = _codes(q, export) if numeric else export
    questions = _question_headers(q)
    ids = ["StartDate", "EndDate", "Finished", "IPAddress", "RecipientEmail", "ResponseId"]
    ids += [f"Q{i + 1}" for i in range(len(questions))] + ["Q_comments"]
    texts = [q.started, q.completed, "Finished", "IP Address", "Recipient Email", q.response_id]
    texts += questions + ["Any other comments?"]
    import_ids = [json.dumps({"ImportId": name}, separators=(",", ":")) for name in ids]
    finished = export[q.completed].notna().map({True: "1", False: "0"}).astype("str")
    ip, email, comment = _planted(len(export))
    columns = [
        export[q.started],
        export[q.completed],
        finished,
        ip,
        email,
        export[q.response_id],
        *(values[h] for h in questions),
        comment,
    ]
    block = {
        "format": "qualtrics",
        "response_id": q.response_id,
        "started": q.started,
        "completed": q.completed,
        "finished": "Finished",
        "timestamp_format": q.timestamp_format,
    }
    if numeric:
        block["values"] = "codes"
    ids_of = {header: f"Q{i + 1}" for i, header in enumerate(questions)}
    return Layout("qualtrics", [ids, texts, import_ids], _frame(columns), block, ids=ids_of)


def surveymonkey(q: Questionnaire, export: pd.DataFrame) -> Layout:
    """SurveyMonkey: question text above a question's first column only, then row labels."""
    top = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
    ]
    second = [""] * len(top)
    ip, email, comment = _planted(len(export))
    n = len(export)
    columns = [
        export[q.response_id],
        pd.Series(["431"] * n, dtype="str"),
        export[q.started],
        export[q.completed],
        ip,
        email,
        pd.Series(["Planted"] * n, dtype="str"),
        pd.Series(["Person"] * n, dtype="str"),
    ]
    wording_of = {q_.columns[0].header: q_.text for q_ in q.statements()}
    previous_stem = None
    for header in _question_headers(q):
        wording = wording_of.get(header)
        if wording and header.endswith(f" - {wording}"):
            stem = header[: -len(f" - {wording}")]
            top.append(stem if stem != previous_stem else "")
            second.append(wording)
            previous_stem = stem
        else:
            top.append(header)
            second.append("Response")
            previous_stem = None
        columns.append(export[header])
    top.append("Any other comments?")
    second.append("Open-Ended Response")
    columns.append(comment)
    block = {
        "format": "surveymonkey",
        "response_id": "Respondent ID",
        "started": "Start Date",
        "completed": "End Date",
        "timestamp_format": q.timestamp_format,
    }
    return Layout("surveymonkey", [top, second], _frame(columns), block)


def _field_ids(q: Questionnaire) -> dict[str, str]:
    """A field name per question column: the question id, numbered when it has several."""
    ids = {}
    for question in q.questions:
        for number, column in enumerate(question.columns):
            ids[column.header] = question.id if number == 0 else f"{question.id}_{number + 1}"
    return ids


def redcap(q: Questionnaire, export: pd.DataFrame, dictionary_path: str = "") -> Layout:
    """REDCap raw: field names, codes, <form>_timestamp and <form>_complete; no start time."""
    values = _codes(q, export)
    ids = _field_ids(q)
    form = q.survey
    names = [
        "record_id",
        "email",
        *ids.values(),
        "comments",
        f"{form}_timestamp",
        f"{form}_complete",
    ]
    complete = export[q.completed].notna().map({True: "2", False: "0"}).astype("str")
    ip, email, comment = _planted(len(export))
    columns = [
        export[q.response_id],
        email,
        *(values[h] for h in ids),
        comment,
        export[q.completed],
        complete,
    ]
    dictionary = pd.DataFrame(
        {
            "Variable / Field Name": ["record_id", "email", *ids.values(), "comments"],
            "Form Name": form,
            "Section Header": "",
            "Field Type": ["text", "text", *(["radio"] * len(ids)), "notes"],
            "Field Label": ["Record ID", "E-mail", *ids, "Any other comments?"],
        }
    )
    block = {
        "format": "redcap",
        "match": "id",
        "values": "codes",
        "response_id": "record_id",
        "completed": f"{form}_timestamp",
        "finished": f"{form}_complete",
        "finished_values": ["2"],
        "timestamp_format": q.timestamp_format,
    }
    if dictionary_path:
        block["data_dictionary"] = dictionary_path
    return Layout("redcap", [names], _frame(columns), block, ids=ids, dictionary=dictionary)


def limesurvey(q: Questionnaire, export: pd.DataFrame) -> Layout:
    """LimeSurvey: "code. text" headings (Q1, B[SQ001]), answer codes, submitdate."""
    values = _codes(q, export)
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
    headings = [
        "id. Response ID",
        "submitdate. Date submitted",
        "startdate. Date started",
        "ipaddr. IP address",
        "refurl. Referrer URL",
    ]
    headings += [f"{ids[h]}. {h}" for h in ids] + ["Q99. Any other comments?"]
    ip, email, comment = _planted(len(export))
    columns = [
        export[q.response_id],
        export[q.completed],
        export[q.started],
        ip,
        email,
        *(values[h] for h in ids),
        comment,
    ]
    block = {
        "format": "limesurvey",
        "match": "id",
        "values": "codes",
        "response_id": "id",
        "started": "startdate",
        "completed": "submitdate",
        "timestamp_format": q.timestamp_format,
    }
    return Layout("limesurvey", [headings], _frame(columns), block, ids=ids)


def spss(q: Questionnaire, export: pd.DataFrame) -> Layout:
    """SPSS .sav: variable names, variable labels (texts), numeric codes with value labels."""
    ids = {header: f"V{i + 1}" for i, header in enumerate(_question_headers(q))}
    names = ["ResponseId", "StartDate", "EndDate", "IPAddress", "Email", *ids.values(), "Comments"]
    texts = [
        q.response_id,
        q.started,
        q.completed,
        "IP Address",
        "Email Address",
        *ids,
        "Any other comments?",
    ]
    values = _codes(q, export)
    ip, email, comment = _planted(len(export))
    columns = [
        export[q.response_id],
        export[q.started],
        export[q.completed],
        ip,
        email,
        *(values[h] for h in ids),
        comment,
    ]
    labels = {}
    for question in q.questions:
        for column in question.columns:
            labels[ids[column.header]] = {
                float(code): label for label, code in question.answers.code_of.items()
            }
    block = {
        "format": "spss",
        "response_id": q.response_id,
        "started": q.started,
        "completed": q.completed,
        "timestamp_format": q.timestamp_format,
    }
    return Layout("spss", [names, texts], _frame(columns), block, ids=ids, value_labels=labels)


LAYOUTS = {
    "csv": plain,
    "excel": lambda q, export: plain(q, export, "excel"),
    "qualtrics": qualtrics,
    "qualtrics_numeric": lambda q, export: qualtrics(q, export, numeric=True),
    "surveymonkey": surveymonkey,
    "redcap": redcap,
    "limesurvey": limesurvey,
    "spss": spss,
}
EXTENSION = {"excel": ".xlsx", "spss": ".sav"}


def write(layout: Layout, path: str | Path, *, delimiter: str = ",", encoding: str = "utf-8"):
    """Write the layout as the platform would: CSV (any dialect), .xlsx, or .sav by extension."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".sav":
        return _write_sav(layout, path)
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
        quoting=1 if layout.format == "qualtrics" else 0,
    )
    return path


def _write_sav(layout: Layout, path: Path) -> Path:
    import pyreadstat

    names, texts = layout.header_rows
    frame = pd.DataFrame()
    for position, name in enumerate(names):
        column = layout.data[position]
        if name in layout.value_labels:
            frame[name] = pd.to_numeric(column).astype("float64")
        elif name in ("StartDate", "EndDate"):
            frame[name] = pd.to_datetime(column)
        else:
            frame[name] = column.astype(object).where(column.notna(), "")
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=dict(zip(names, texts, strict=True)),
        variable_value_labels=layout.value_labels,
    )
    return path


def codebook_for(layout: Layout, survey: str, codebook: str | Path = CODEBOOK) -> dict:
    """The full codebook with ``survey`` read in this layout (its export block, its ids)."""
    with open(codebook, encoding="utf-8") as handle:
        full = yaml.safe_load(handle)
    full = copy.deepcopy(full)
    entry = full["questionnaires"][survey]
    entry["export"] = copy.deepcopy(layout.export)
    if layout.export.get("match") == "id":
        statements = {s["id"]: s for s in full.get("statements", [])}
        stems = full.get("statement_stems", {})
        for question in entry["questions"]:
            if question == "statements":
                entry["export"]["statement_columns"] = {
                    sid: layout.ids[f"{stems[s['statement_set']]} - {s['wording']}"]
                    for sid, s in statements.items()
                    if f"{stems.get(s['statement_set'])} - {s['wording']}" in layout.ids
                }
                continue
            columns = question.get("columns") or [{"column": question["text"]}]
            question["columns"] = [{**c, "column": layout.ids[c["column"]]} for c in columns]
    return full


def questionnaire_for(layout: Layout, survey: str) -> Questionnaire:
    return parse_questionnaire(questionnaire_codebook(codebook_for(layout, survey), survey))
