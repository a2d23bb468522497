"""SPSS ``.sav`` files (pyreadstat): variable names are the column ids, variable labels the column
texts, value labels the answers (``export.values: labels``) or the codes. Any ``.sav`` or
``.zsav`` file is read this way, whatever ``export.format`` says: the container is the layout.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from likertflow.errors import InputError, Problem
from likertflow.platforms import base

if TYPE_CHECKING:
    import pandas as pd

    from likertflow.codebook import ExportSpec, Questionnaire
    from likertflow.platforms.preflight import Limits

TIMES = ("StartDate", "EndDate")  # the fixture writer's time variables, SPSS date-times
# An SPSS system file's header: "$FL2", product name (60 bytes), five 4-byte integers and an
# 8-byte bias, then the creation date ("dd mmm yy") and time ("hh:mm:ss") as text.
SAV_CREATED_AT = 92


def read(path: Path, spec: ExportSpec, limits: Limits | None = None) -> base.Table:
    """SPSS .sav: variable names, variable labels, and value labels where the codebook asks.

    The codes are read as numbers and their value labels applied here with an Arrow lookup
    (pyreadstat's apply_value_formats is several times slower on a million rows); a value
    without a label stays as its code, as in SPSS.
    """
    import pandas as pd
    import pyreadstat  # only SPSS batches need it

    from likertflow.platforms import preflight
    from likertflow.platforms.containers import cells_as_text, timestamp_format

    limits = limits or preflight.schema_limits()
    preflight.check_file(path, limits)
    declared = preflight.check_sav(path, limits)  # before anything is allocated
    try:
        frame, meta = pyreadstat.read_sav(str(path), encoding=None)
    except Exception as error:  # pyreadstat.ReadstatError and OSError
        raise InputError(
            f"{path}: cannot be read as an SPSS .sav file",
            [Problem(str(path), "an SPSS .sav file", value=str(error))],
        ) from None
    if declared is not None and len(frame) != declared:
        raise InputError(
            f"{path}: the SPSS file's header declares {declared} cases but {len(frame)} were "
            "read: nothing was ingested",
            [
                Problem(
                    str(path),
                    f"{declared} cases, as the file's header declares (save the file again "
                    "from SPSS)",
                    row=min(len(frame), declared) + 1,
                    value=f"{len(frame)} cases",
                )
            ],
        )
    ids = list(frame.columns)
    labels = meta.column_names_to_labels
    texts = [labels.get(name) or name for name in ids]
    value_labels = {
        name: meta.value_labels[label_set]
        for name, label_set in meta.variable_to_label.items()
        if label_set in meta.value_labels and spec.values == "labels"
    }
    data = {}
    for i, name in enumerate(ids):
        text = cells_as_text(frame[name], timestamp_format(spec))
        if name in value_labels:
            label_of = {
                _code_as_text(code): str(label) for code, label in value_labels[name].items()
            }
            text = base.labels_from_codes(text, label_of)
        data[i] = text
    table = base.Table(ids, texts, pd.DataFrame(data, index=frame.index), first_row=1)
    preflight.check_cells(path, table.data, limits)
    return table


def _code_as_text(code: object) -> str:
    return str(int(code)) if isinstance(code, float) and code.is_integer() else str(code)


def value_labels(path: Path, spec: ExportSpec) -> base.ValueLabels:
    """A .sav file's value labels by variable, and the codes of each variable that the file
    declares user-missing (read as blank, so they are no answers)."""
    import pyreadstat

    _, meta = pyreadstat.read_sav(str(path), metadataonly=True, user_missing=True)
    labels = {
        name: meta.value_labels[label_set]
        for name, label_set in meta.variable_to_label.items()
        if label_set in meta.value_labels
    }
    # SPSS's discrete missing values are ranges of one value here (lo == hi); pyreadstat's
    # missing_user_values holds SAS and Stata tagged missing values, never an SPSS file's.
    missing = {
        name: {
            code for code in labels.get(name, {}) if any(r["lo"] <= code <= r["hi"] for r in ranges)
        }
        for name, ranges in meta.missing_ranges.items()
    }
    return base.ValueLabels(labels=labels, missing=missing)


# --- The fixture writer ------------------------------------------------------------------------


def spss(
    q: Questionnaire, answers: pd.DataFrame, extra: base.Unanalysed = base.NONE
) -> base.Layout:
    """SPSS .sav: variable names, variable labels (texts), numeric codes with value labels."""
    ids = {header: f"V{i + 1}" for i, header in enumerate(base.question_headers(q))}
    values = base.coded_answers(q, answers)
    export = q.export
    out = base.Columns(2)
    out.add(answers[export.response_id], "ResponseId", export.response_id)
    out.add(base.time_column(answers, export.started), TIMES[0], export.started)
    out.add(base.time_column(answers, export.completed), TIMES[1], export.completed)
    out.add(extra.ip, "IPAddress", "IP Address")
    out.add(extra.email, "Email", "Email Address")
    for header in ids:
        out.add(values[header], ids[header], header)
    out.add(extra.comment, "Comments", base.COMMENT_TEXT)
    labels, numbers = {}, []
    for question in q.questions:
        for column in question.columns:
            if question.numeric:
                numbers.append(ids[column.header])
                continue
            labels[ids[column.header]] = {
                float(code): label for label, code in question.answers.code_of.items()
            }
    return base.Layout(
        "spss",
        out.headers,
        out.frame(),
        base.export_block("spss", q),
        ids=ids,
        value_labels=labels,
        numbers=numbers,
    )


def write(layout: base.Layout, path: Path, created: datetime | None = None) -> Path:
    """The layout as a .sav file; ``created``: the creation time its header records (default:
    now), fixed for files that must be the same bytes each time they are made."""
    import pandas as pd
    import pyreadstat  # only .sav files need it

    names, texts = layout.header_rows
    frame = pd.DataFrame()
    for position, name in enumerate(names):
        column = layout.data[position]
        if name in layout.value_labels or name in layout.numbers:
            frame[name] = pd.to_numeric(column).astype("float64")
        elif name in TIMES:
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


PLATFORM = base.Platform(
    "spss", read, {"spss": spss}, extension=".sav", draft=base.DraftHints(value_labels=value_labels)
)
