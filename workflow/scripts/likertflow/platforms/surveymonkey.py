"""SurveyMonkey: two header rows, the question text (above the first column of a matrix or
multiple-answer question only) and the row or choice label ("Response" or "Open-Ended Response"
for single-column questions). Column text = question text, or "<question> - <row label>" for
the columns of a matrix. SurveyMonkey help, "Understanding exported data" (CSV/XLSX,
"Condensed" or "Expanded" columns).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from likertflow.platforms import base

if TYPE_CHECKING:
    import pandas as pd

    from likertflow.codebook import ExportSpec, Questionnaire
    from likertflow.platforms.preflight import Limits

# The row label of a single-column question's column.
SINGLE_COLUMN_LABELS = ("", "Response", "Open-Ended Response")


def read(path: Path, spec: ExportSpec, limits: Limits | None = None) -> base.Table:
    """SurveyMonkey: question text above the first column of each question, then row labels."""
    from likertflow.platforms.containers import header, read_grid, split

    headers, data = split(read_grid(path, spec, limits), 2, path)
    questions, labels = header(headers.iloc[0]), header(headers.iloc[1])
    texts, current = [], ""
    for question, label in zip(questions, labels, strict=True):
        current = question or current
        single = label in SINGLE_COLUMN_LABELS or label == current
        texts.append(current if single else f"{current}{base.MATRIX_SEPARATOR}{label}")
    return base.Table(texts, texts, data, first_row=3)


def surveymonkey(
    q: Questionnaire, answers: pd.DataFrame, extra: base.Unanalysed = base.NONE
) -> base.Layout:
    """SurveyMonkey: question text above a question's first column only, then row labels."""
    import pandas as pd

    n = len(answers)
    out = base.Columns(2)
    out.add(answers[q.export.response_id], "Respondent ID", "")
    out.add(pd.Series(["431"] * n, dtype="str"), "Collector ID", "")
    out.add(base.time_column(answers, q.export.started), "Start Date", "")
    out.add(base.time_column(answers, q.export.completed), "End Date", "")
    out.add(extra.ip, "IP Address", "")
    out.add(extra.email, "Email Address", "")
    out.add(extra.first_name, "First Name", "")
    out.add(extra.last_name, "Last Name", "")
    wording_of = {q_.columns[0].header: q_.text for q_ in q.statements()}
    previous_stem = None
    for header in base.question_headers(q):
        wording = wording_of.get(header)
        if wording and header.endswith(f"{base.MATRIX_SEPARATOR}{wording}"):
            stem = header[: -len(f"{base.MATRIX_SEPARATOR}{wording}")]
            out.add(answers[header], stem if stem != previous_stem else "", wording)
            previous_stem = stem
        else:
            out.add(answers[header], header, "Response")
            previous_stem = None
    out.add(extra.comment, base.COMMENT_TEXT, "Open-Ended Response")
    block = {"format": "surveymonkey", "response_id": "Respondent ID"}
    block.update({"started": "Start Date"} if q.export.started else {})
    block.update({"completed": "End Date"} if q.export.completed else {})
    block["timestamp_format"] = q.export.timestamp_format
    return base.Layout("surveymonkey", out.headers, out.frame(), block)


PLATFORM = base.Platform(
    "surveymonkey",
    read,
    {"surveymonkey": surveymonkey},
    draft=base.DraftHints(
        metadata={
            "response_id": r"respondent_?id",
            "started": r"start_?date",
            "completed": r"end_?date",
            "drop": r"ip_?addr(ess)?|e_?mail(_?address)?|(first|last)_?name|collector_?id"
            r"|custom_?data_?\d*",
        },
    ),
)
