"""Plain exports (``csv``, ``excel``): one header row of column texts, as a text file or as the
first sheet of an ``.xlsx`` workbook. The column's text is its id.

``csv`` takes any ``delimiter`` and ``encoding`` (UTF-8 with or without BOM, Windows-1252;
``,`` ``;`` or tab). Its draft hints are the metadata names of hand-made exports and tools
without a platform module of their own (Google Forms' "Timestamp", a "Participant ID").
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from likertflow.platforms import base

if TYPE_CHECKING:
    import pandas as pd

    from likertflow.codebook import ExportSpec, Questionnaire
    from likertflow.platforms.preflight import Limits


def read(path: Path, spec: ExportSpec, limits: Limits | None = None) -> base.Table:
    """One header row: the column's text is its id (csv, and the same layout in Excel)."""
    from likertflow.platforms.containers import header, read_grid, split

    headers, data = split(read_grid(path, spec, limits), 1, path)
    names = header(headers.iloc[0])
    return base.Table(names, names, data, first_row=2)


def plain(
    q: Questionnaire, answers: pd.DataFrame, extra: base.Unanalysed = base.NONE, fmt="csv"
) -> base.Layout:
    """One header row of column texts (csv, and the same layout in Excel)."""
    out = base.Columns(1)
    for column in answers.columns:
        out.add(answers[column], column)
    out.add(extra.ip, "IP Address")
    out.add(extra.email, "Email Address")
    out.add(extra.comment, base.COMMENT_TEXT)
    return base.Layout(fmt, out.headers, out.frame(), base.export_block(fmt, q))


def excel(
    q: Questionnaire, answers: pd.DataFrame, extra: base.Unanalysed = base.NONE
) -> base.Layout:
    return plain(q, answers, extra, "excel")


HINTS = base.DraftHints(
    metadata={
        "response_id": r"id|participant_?id|subject_?id|respondent(_?id)?",
        "started": r"started",
        "completed": r"completion_date|completed|timestamp",
        "drop": r"name|latitude|longitude",
    },
)
CSV = base.Platform("csv", read, {"csv": plain}, draft=HINTS)
EXCEL = base.Platform("excel", read, {"excel": excel}, extension=".xlsx", draft=HINTS)
