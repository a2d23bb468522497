"""Qualtrics: column names (``ResponseId``, ``Q3_1``), question texts (a matrix column is
"<question> - <statement>"), and the ImportId row (``{"ImportId":"QID3_1"}``; 2016 "Insights"
exports write ``{'ImportId': 'QID3-1'}``).

The legacy export ("Use legacy format": column names ``V1``.. and ``Q3_1``, then question texts)
has no ImportId row: its responses start on the third row. The layout is told from the third row
(``header_rows``). Answers are choice text or, with "Use numeric values", codes
(``export.values: codes``). Qualtrics, "Data Export Formats", "Use numeric values" / "Use choice
text"; "Understanding Your Dataset" (the three header rows). Its CSV quotes every field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from likertflow.errors import InputError, Problem
from likertflow.platforms import base

if TYPE_CHECKING:
    import pandas as pd

    from likertflow.codebook import ExportSpec, Questionnaire
    from likertflow.platforms.preflight import Limits

# Where Qualtrics marks the responses that are not respondents': Status ("Response Type": "IP
# Address" for a respondent; with numeric values 0) and DistributionChannel ("anonymous",
# "email", ...). Preview 1 / "Survey Preview" as the R package excluder reads it
# (ropensci/excluder, R/preview.R); test 2 / "Survey Test", spam 8 / "Spam" and preview spam
# 9 / "Survey Preview Spam" as Qualtrics' Response Type lists them. By export.values.
TEST_RESPONSES = {
    r"status|response_?type": {
        "labels": ("Survey Preview", "Survey Test", "Spam", "Survey Preview Spam"),
        "codes": ("1", "2", "8", "9"),
    },
    r"distribution_?channel": {"labels": ("preview", "test"), "codes": ("preview", "test")},
}
# A cell of the ImportId row: JSON ({"ImportId":"QID3_1","timeZone":"Z"}) or, in 2016 "Insights"
# exports, a Python dict's text ({'ImportId': 'QID3-1'}).
IMPORT_ID = re.compile(r"""^\s*\{\s*["']ImportId["']\s*:""")


def read(path: Path, spec: ExportSpec, limits: Limits | None = None) -> base.Table:
    """Qualtrics: column names, question texts, and the ImportId row unless a legacy export."""
    from likertflow.platforms.containers import header, read_grid, split

    grid = read_grid(path, spec, limits)
    rows = header_rows(grid, path)
    headers, data = split(grid, rows, path)
    ids, texts = header(headers.iloc[0]), header(headers.iloc[1])
    return base.Table(ids, texts, data, first_row=rows + 1)


def header_rows(grid: pd.DataFrame, path: Path) -> int:
    """3 when the third row is the ImportId row (every non-blank cell an ImportId), 2 when it is
    a response (the legacy layout). A row partly of ImportIds is neither: an error, so that no
    response is taken for a header row, nor a header row for a response."""
    if len(grid) < 3:
        return 2
    cells = grid.iloc[2].dropna().astype("str")
    import_ids = cells.str.match(IMPORT_ID)
    if import_ids.all() and len(cells):
        return 3
    if not import_ids.any():
        return 2
    columns = [str(position + 1) for position in cells.index[~import_ids]]
    raise InputError(
        f"{path}: the third row is partly a Qualtrics ImportId row, so it is neither the header "
        "row of a current export nor the first response of a legacy one",
        [
            Problem(
                str(path),
                'an ImportId ({"ImportId":"QID1"}) in every column of row 3, or none (a legacy '
                "export, whose responses start on row 3)",
                row=3,
                value=f"other values in column(s) {', '.join(columns[:10])}",
            )
        ],
    )


def _import_id_json(name: str) -> str:
    return json.dumps({"ImportId": name}, separators=(",", ":"))


def _import_id_2016(name: str) -> str:
    return repr({"ImportId": name})  # 2016 "Insights" exports: {'ImportId': 'QID1'}


def qualtrics(
    q: Questionnaire,
    answers: pd.DataFrame,
    extra: base.Unanalysed = base.NONE,
    numeric: bool = False,
    import_id: Callable[[str], str] | None = _import_id_json,
) -> base.Layout:
    """Qualtrics: ids (ResponseId, Q3), question texts, the ImportId row (none: the legacy
    layout of two header rows); choice text or codes."""
    values = base.coded_answers(q, answers) if numeric else answers
    questions = base.question_headers(q)
    ids_of = {header: f"Q{i + 1}" for i, header in enumerate(questions)}
    started, completed = q.export.started, q.export.completed
    finished = None
    if completed:
        finished = answers[completed].notna().map({True: "1", False: "0"}).astype("str")
    out = base.Columns(2)
    out.add(base.time_column(answers, started), "StartDate", started)
    out.add(base.time_column(answers, completed), "EndDate", completed)
    out.add(extra.status, "Status", "Response Type")
    out.add(finished, "Finished", "Finished")
    out.add(extra.ip, "IPAddress", "IP Address")
    out.add(extra.email, "RecipientEmail", "Recipient Email")
    out.add(extra.channel, "DistributionChannel", "Distribution Channel")
    out.add(answers[q.export.response_id], "ResponseId", q.export.response_id)
    for header in questions:
        out.add(values[header], ids_of[header], header)
    out.add(extra.comment, "Q_comments", base.COMMENT_TEXT)
    ids, texts = out.headers
    header_rows = [ids, texts]
    if import_id is not None:
        header_rows.append([import_id(name) for name in ids])
    keys = {"finished": "Finished"} if completed else {}
    if numeric:
        keys["values"] = "codes"
    block = base.export_block("qualtrics", q, **keys)
    return base.Layout("qualtrics", header_rows, out.frame(), block, ids=ids_of, quoting="all")


def qualtrics_numeric(q: Questionnaire, answers: pd.DataFrame, extra: base.Unanalysed = base.NONE):
    return qualtrics(q, answers, extra, numeric=True)


def qualtrics_legacy(q: Questionnaire, answers: pd.DataFrame, extra: base.Unanalysed = base.NONE):
    return qualtrics(q, answers, extra, numeric=True, import_id=None)


def qualtrics_2016(q: Questionnaire, answers: pd.DataFrame, extra: base.Unanalysed = base.NONE):
    return qualtrics(q, answers, extra, import_id=_import_id_2016)


PLATFORM = base.Platform(
    "qualtrics",
    read,
    {
        "qualtrics": qualtrics,
        "qualtrics_numeric": qualtrics_numeric,
        "qualtrics_legacy": qualtrics_legacy,
        "qualtrics_2016": qualtrics_2016,
    },
    draft=base.DraftHints(
        metadata={
            "response_id": r"response_?id",
            "started": r"start_?date",
            "completed": r"end_?date",
            "finished": r"finished",
            "drop": r"ip_?addr(ess)?|location_?(latitude|longitude|accuracy)"
            r"|(recipient_?)?e_?mail(_?address)?|recipient_?(first|last)_?name"
            r"|external_?(data_?)?ref(erence)?|user_?agent|recipient|duration(_in_seconds)?"
            r"|progress|response_?set|user_?language|recorded_?date",
        },
        test_responses=TEST_RESPONSES,
    ),
)
