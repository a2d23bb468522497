"""LimeSurvey: "Export results" with headings as question codes (``Q1[SQ001]``), full question
texts, or "Question code & question text" (``Q1[SQ001]. text``); responses as answer codes
(``A1``, read through each option's ``export_code``) or full answers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from likertflow.platforms import base

if TYPE_CHECKING:
    import pandas as pd

    from likertflow.codebook import ExportSpec, Questionnaire
    from likertflow.platforms.preflight import Limits

CODE_AND_TEXT = re.compile(r"^(?P<id>[A-Za-z][\w]*(?:\[[\w]+\])*)\. (?P<text>.*)$", re.S)


def read(path: Path, spec: ExportSpec, limits: Limits | None = None) -> base.Table:
    """LimeSurvey: headings as codes, full texts, or "code. text"."""
    from likertflow.platforms.containers import header, read_grid, split

    headers, data = split(read_grid(path, spec, limits), 1, path)
    ids, texts = [], []
    for heading in header(headers.iloc[0]):
        both = CODE_AND_TEXT.match(heading)
        ids.append(both["id"] if both else heading)
        texts.append(both["text"] if both else heading)
    return base.Table(ids, texts, data, first_row=2)


def limesurvey(
    q: Questionnaire, answers: pd.DataFrame, extra: base.Unanalysed = base.NONE
) -> base.Layout:
    """LimeSurvey: "code. text" headings (Q1, B[SQ001]), answer codes, submitdate."""
    values = base.coded_answers(q, answers)
    ids, number, sub = {}, 0, {}
    statement_headers = {question.columns[0].header: question for question in q.statements()}
    for header in base.question_headers(q):
        if header in statement_headers:
            group = statement_headers[header].statement_set.upper()
            sub[group] = sub.get(group, 0) + 1
            ids[header] = f"{group}[SQ{sub[group]:03d}]"
        else:
            number += 1
            ids[header] = f"Q{number}"
    out = base.Columns(1)
    out.add(answers[q.export.response_id], "id. Response ID")
    out.add(base.time_column(answers, q.export.completed), "submitdate. Date submitted")
    out.add(base.time_column(answers, q.export.started), "startdate. Date started")
    out.add(extra.ip, "ipaddr. IP address")
    out.add(extra.email, "refurl. Referrer URL")
    for header in ids:
        out.add(values[header], f"{ids[header]}. {header}")
    out.add(extra.comment, f"Q99. {base.COMMENT_TEXT}")
    block = {"format": "limesurvey", "match": "id", "values": "codes", "response_id": "id"}
    block.update({"started": "startdate"} if q.export.started else {})
    block.update({"completed": "submitdate"} if q.export.completed else {})
    block["timestamp_format"] = q.export.timestamp_format
    return base.Layout("limesurvey", out.headers, out.frame(), block, ids=ids)


PLATFORM = base.Platform(
    "limesurvey",
    read,
    {"limesurvey": limesurvey},
    draft=base.DraftHints(
        metadata={
            "response_id": r"id",
            "started": r"start_?date|date_started",
            "completed": r"submit_?date|date_submitted",
            "drop": r"ip_?addr(ess)?|refurl|referrer|lastpage|startlanguage|seed|datestamp|token",
        },
    ),
)
