"""Survey-platform export readers: one function per export format, behind one seam.

``read_export(path, export)`` reads a file in the format the codebook's ``export.format`` names
and returns an ``Export``: the frame that validation takes (string columns named as the codebook
names them, by the platform's column id or by the question text as ``export.match`` says,
blank cells missing), the row number a person sees for each data row (the spreadsheet row,
counting the header rows), how to name each column in a message (id and text where the format
has both), and the names of the columns it dropped. Columns the codebook does not name (IP
addresses, locations, e-mail addresses, names, external references, user agents, free text that
is not analysed) are dropped here, so they never reach a results file: ``Export.dropped`` lists
their names, never their values.

The container is chosen by the file's extension (``CONTAINERS``: CSV/TSV text, Excel
workbooks, SPSS ``.sav``), so batches of one questionnaire may arrive as a CSV one week and an
Excel file the next; the layout of the header rows by the format (``FORMATS``). Platform layouts,
as the platforms document them:

- ``csv``: one header row of column texts (today's layout); ``delimiter`` and ``encoding``
  settable (UTF-8 with or without BOM, Windows-1252; ``,`` ``;`` or tab).
- ``excel``: the same layout in the first sheet of an ``.xlsx`` workbook.
- ``qualtrics``: column names (``ResponseId``, ``Q3_1``), question texts (a matrix column is
  "<question> - <statement>"), and the ImportId row (``{"ImportId":"QID3_1"}``; 2016
  "Insights" exports write ``{'ImportId': 'QID3-1'}``). The legacy export ("Use legacy
  format": column names ``V1``.. and ``Q3_1``, then question texts) has no ImportId row: its
  responses start on the third row. The layout is told from the third row
  (``qualtrics_header_rows``). Qualtrics, "Data Export Formats", "Use numeric values" /
  "Use choice text"; "Understanding Your Dataset" (the three header rows).
- ``surveymonkey``: two header rows: the question text (above the first column of a matrix or
  multiple-answer question only) and the row/choice label ("Response" or "Open-Ended Response"
  for single-column questions). Column text = question text, or "<question> - <row label>"
  for the columns of a matrix. SurveyMonkey help, "Understanding exported data" (CSV/XLSX,
  "Condensed" or "Expanded" columns).
- ``redcap``: REDCap "CSV / Microsoft Excel (raw data)" (field names, numeric codes, checkbox
  options as ``name___<code>``) or "(labels)"; column texts from the project's data dictionary
  (``export.data_dictionary``: "Variable / Field Name", "Field Label").
- ``limesurvey``: LimeSurvey "Export results": headings as question code (``Q1[SQ001]``), full
  question text, or "Question code & question text" (``Q1[SQ001]. text``); responses as answer
  codes or full answers.
- ``spss``: an SPSS ``.sav`` file (pyreadstat): variable names are the column ids, variable
  labels the column texts, value labels the answers (``export.values: labels``) or the codes.

Where the export holds answer codes rather than labels (``export.values: codes``: Qualtrics
numeric values, REDCap raw, LimeSurvey answer codes, SPSS without value labels), each
question's codes are turned into the codebook's labels before validation (by each option's
``export_code`` where the platform's codes are not the analysed ones, as LimeSurvey's "A1"),
so that every check is in the codebook's words; an unknown code stays as it is, and the
message lists the codes expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from likertflow.codebook import ExportSpec
from likertflow.errors import InputError, Problem
from likertflow.exportfiles import EXCEL_EXTENSIONS, SPSS_EXTENSIONS, TEXT_EXTENSIONS

MATRIX_SEPARATOR = " - "  # between a matrix question's text and its row label (as Qualtrics)
# Values of a platform's finished flag that mean finished (Qualtrics Finished: 1/True), unless
# the codebook's export.finished_values says otherwise; by (format, values) where a platform
# codes it its own way: REDCap's <form>_complete is 0 Incomplete, 1 Unverified, 2 Complete.
FINISHED_VALUES = ("1", "True", "true", "TRUE", "Yes", "yes", "Complete", "Completed")
FINISHED_VALUES_BY_FORMAT = {("redcap", "codes"): ("2",), ("redcap", "labels"): ("Complete",)}


def finished_values(spec: ExportSpec) -> tuple[str, ...]:
    """The values of the export's finished flag that mean finished."""
    if spec.finished_values is not None:
        return spec.finished_values
    return FINISHED_VALUES_BY_FORMAT.get((spec.format, spec.values), FINISHED_VALUES)


# How a workbook's or an SPSS file's date-time cells are read as text when the codebook gives no
# timestamp format (the export then has no time columns the codebook names).
DEFAULT_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Table:
    """An export as the platform laid it out: column ids and texts, and the data as strings."""

    ids: list[str]
    texts: list[str]
    data: pd.DataFrame  # positional columns 0..n-1, strings, blanks missing
    first_row: int  # the row number a person sees for the first data row


@dataclass(frozen=True)
class Export:
    """What validation takes from any reader."""

    frame: pd.DataFrame  # string columns named as the codebook names them, blanks missing
    rows: np.ndarray  # the row number a person sees for each data row
    names: dict[str, str] = field(default_factory=dict)  # column -> its name in messages
    dropped: list[str] = field(default_factory=list)  # names of columns left out


# ---------------------------------------------------------------------------------------------
# Containers: a grid of strings from a file, by its extension.


def _read_text(path: Path, spec: ExportSpec) -> pd.DataFrame:
    try:
        return pd.read_csv(
            path,
            header=None,
            engine="pyarrow",
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            sep=spec.delimiter,
            encoding=spec.encoding,
        )
    except (ValueError, LookupError) as error:  # ArrowInvalid, ParserError, unknown encoding
        raise InputError(
            f"{path}: cannot be read as a {spec.format} export",
            [
                Problem(
                    str(path),
                    f"a text file in {spec.encoding} with columns separated by "
                    f"{spec.delimiter!r} (export.encoding and export.delimiter in the codebook)",
                    value=str(error),
                )
            ],
        ) from None


def _read_workbook(path: Path, spec: ExportSpec) -> pd.DataFrame:
    from python_calamine import CalamineWorkbook  # only Excel batches need it

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except Exception as error:  # calamine raises its own error types for unreadable files
        raise InputError(
            f"{path}: cannot be read as an Excel workbook",
            [
                Problem(
                    str(path),
                    "an .xlsx workbook with the export in its first sheet",
                    value=str(error),
                )
            ],
        ) from None
    grid = pd.DataFrame(rows, dtype=object)
    return grid.apply(lambda cells: _cells_as_text(cells, _timestamp_format(spec)))


def _timestamp_format(spec: ExportSpec) -> str:
    return spec.timestamp_format or DEFAULT_TIMESTAMP_FORMAT


def _cells_as_text(cells: pd.Series, timestamp_format: str) -> pd.Series:
    """Cells as the text a person sees: 2.0 as '2', dates in the codebook's timestamp format.

    Vectorised by the column's inferred kind; only columns of mixed kinds go cell by cell.
    """
    kind = pd.api.types.infer_dtype(cells, skipna=True)
    if kind in ("string", "empty"):  # through Arrow: pandas' object-to-str is ~1 s a million
        strings = pa.array(cells.to_numpy(object), from_pandas=True, type=pa.large_string())
        text = pd.Series(pd.array(strings, dtype="str"), index=cells.index)
    elif kind in ("floating", "integer", "mixed-integer-float", "decimal"):
        numbers = pd.to_numeric(cells, errors="coerce").to_numpy("float64", na_value=np.nan)
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers)) & (abs(numbers) < 2**53)
        as_float = pa.array(numbers, from_pandas=True)  # NaN -> null
        as_int = pa.array(np.where(whole, numbers, 0).astype(np.int64), mask=~whole)
        text = pc.if_else(
            pa.array(whole),
            pc.cast(as_int, pa.large_string()),
            pc.cast(as_float, pa.large_string()),
        )
        text = pd.Series(pd.array(text, dtype="str"), index=cells.index)
    elif kind in ("datetime", "datetime64", "date"):
        text = pd.to_datetime(cells).dt.strftime(timestamp_format)
    else:  # mixed kinds, booleans: one cell at a time
        text = cells.map(lambda cell: _cell_as_text(cell, timestamp_format), na_action="ignore")
        text = text.astype("str")
    missing = cells.isna().to_numpy() | (text == "").to_numpy()
    return text.where(~missing).astype("str")


def _cell_as_text(cell: object, timestamp_format: str) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "strftime"):
        return cell.strftime(timestamp_format)
    return str(cell)


CONTAINERS: dict[tuple[str, ...], Callable[[Path, ExportSpec], pd.DataFrame]] = {
    TEXT_EXTENSIONS: _read_text,
    EXCEL_EXTENSIONS: _read_workbook,
}


def read_grid(path: Path, spec: ExportSpec) -> pd.DataFrame:
    """Every cell of the file (header rows included) as a string, blanks missing."""
    suffix = path.suffix.lower()
    for extensions, reader in CONTAINERS.items():
        if suffix in extensions:
            return _without_trailing_blank_columns(reader(path, spec))
    known = ", ".join(ext for extensions in CONTAINERS for ext in extensions)
    raise InputError(
        f"{path}: a {spec.format} export cannot be read from a {suffix or 'nameless'} file",
        [Problem(str(path), f"a file ending in one of {known}", value=path.name)],
    )


def _without_trailing_blank_columns(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid without the nameless, empty last column(s) that a delimiter at the end of every
    line makes (Qualtrics legacy exports)."""
    last = grid.shape[1]
    while last and grid.iloc[:, last - 1].isna().all():  # usually one column looked at
        last -= 1
    return grid.iloc[:, :last] if last < grid.shape[1] else grid


def _split(grid: pd.DataFrame, header_rows: int, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    if len(grid) < header_rows:
        raise InputError(
            f"{path}: the file has fewer rows than the export's {header_rows} header row(s)",
            [Problem(str(path), f"{header_rows} header row(s)", value=f"{len(grid)} row(s)")],
        )
    data = grid.iloc[header_rows:].reset_index(drop=True)
    data.columns = range(data.shape[1])
    return grid.iloc[:header_rows], data


def _header(row: pd.Series) -> list[str]:
    return ["" if pd.isna(cell) else str(cell) for cell in row]


# ---------------------------------------------------------------------------------------------
# Formats: one reader each, from the file to a Table of ids, texts and data.


def read_plain(path: Path, spec: ExportSpec) -> Table:
    """One header row: the column's text is its id (csv, and the same layout in Excel)."""
    headers, data = _split(read_grid(path, spec), 1, path)
    names = _header(headers.iloc[0])
    return Table(names, names, data, first_row=2)


# A cell of the ImportId row: JSON ({"ImportId":"QID3_1","timeZone":"Z"}) or, in 2016 "Insights"
# exports, a Python dict's text ({'ImportId': 'QID3-1'}).
QUALTRICS_IMPORT_ID = re.compile(r"""^\s*\{\s*["']ImportId["']\s*:""")


def read_qualtrics(path: Path, spec: ExportSpec) -> Table:
    """Qualtrics: column names, question texts, and the ImportId row unless a legacy export."""
    grid = read_grid(path, spec)
    header_rows = qualtrics_header_rows(grid, path)
    headers, data = _split(grid, header_rows, path)
    ids, texts = _header(headers.iloc[0]), _header(headers.iloc[1])
    return Table(ids, texts, data, first_row=header_rows + 1)


def qualtrics_header_rows(grid: pd.DataFrame, path: Path) -> int:
    """3 when the third row is the ImportId row (every non-blank cell an ImportId), 2 when it is
    a response (the legacy layout). A row partly of ImportIds is neither: an error, so that no
    response is taken for a header row, nor a header row for a response."""
    if len(grid) < 3:
        return 2
    cells = grid.iloc[2].dropna().astype("str")
    import_ids = cells.str.match(QUALTRICS_IMPORT_ID)
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


def read_surveymonkey(path: Path, spec: ExportSpec) -> Table:
    """SurveyMonkey: question text above the first column of each question, then row labels."""
    headers, data = _split(read_grid(path, spec), 2, path)
    questions, labels = _header(headers.iloc[0]), _header(headers.iloc[1])
    texts, current = [], ""
    for question, label in zip(questions, labels, strict=True):
        current = question or current
        single = label in ("", "Response", "Open-Ended Response") or label == current
        texts.append(current if single else f"{current}{MATRIX_SEPARATOR}{label}")
    return Table(texts, texts, data, first_row=3)


# What a REDCap survey export writes in <form>_timestamp for a survey started but not completed.
REDCAP_NOT_COMPLETED = "[not completed]"
# Names the repeating form of a row of a repeating instrument (blank on the record's own row).
REDCAP_REPEAT_INSTRUMENT = "redcap_repeat_instrument"


def read_redcap(path: Path, spec: ExportSpec) -> Table:
    """REDCap: field names (raw) or labels; texts from the data dictionary when one is given.

    In the codebook's start and completion time columns, "[not completed]" is read as blank:
    no completion time, as the other platforms write it."""
    headers, data = _split(read_grid(path, spec), 1, path)
    ids = _header(headers.iloc[0])
    texts = list(ids)
    if spec.data_dictionary:
        labels = redcap_field_labels(Path(spec.data_dictionary), spec)
        texts = [redcap_column_text(name, labels) for name in ids]
    keys = ids if spec.match == "id" else texts
    for position, key in enumerate(keys):
        if key in (spec.started, spec.completed):
            data[position] = data[position].mask(data[position] == REDCAP_NOT_COMPLETED)
    if REDCAP_REPEAT_INSTRUMENT in ids:
        _refuse_repeating_rows(data[ids.index(REDCAP_REPEAT_INSTRUMENT)], path, first_row=2)
    return Table(ids, texts, data, first_row=2)


def _refuse_repeating_rows(instrument: pd.Series, path: Path, first_row: int) -> None:
    """Rows of a repeating instrument are instances of a form, not responses: a record has one
    such row per instance beside its own row, so they cannot be read one response per record."""
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
            f"rows whose {REDCAP_REPEAT_INSTRUMENT} is blank",
            row=int(rows[names == name][0]),
            column=REDCAP_REPEAT_INSTRUMENT,
            value=str(name),
        )
        for name in dict.fromkeys(names)
    ]
    raise InputError(
        f"{path}: {int(repeating.sum())} row(s) are instances of a REDCap repeating instrument "
        f"({REDCAP_REPEAT_INSTRUMENT} not blank), not responses; a response id must occur once "
        "per file",
        problems,
    )


# The data dictionary's columns (Project Setup -> Data Dictionary -> download), by what we use.
REDCAP_DICTIONARY_COLUMNS = {
    "name": "Variable / Field Name",
    "label": "Field Label",
    "type": "Field Type",
    "choices": "Choices, Calculations, OR Slider Labels",
    "validation": "Text Validation Type OR Show Slider Number",
}


def redcap_dictionary(path: Path, spec: ExportSpec) -> pd.DataFrame:
    """A REDCap data dictionary CSV: one row per field, the columns of
    ``REDCAP_DICTIONARY_COLUMNS`` by their keys ("" where blank or absent; the field's name and
    label are required)."""
    grid = _read_text(path, ExportSpec(format="REDCap data dictionary", encoding=spec.encoding))
    headers, rows = _split(grid, 1, path)
    columns = _header(headers.iloc[0])
    required = [REDCAP_DICTIONARY_COLUMNS[key] for key in ("name", "label")]
    if not all(column in columns for column in required):
        raise InputError(
            f"{path}: not a REDCap data dictionary",
            [
                Problem(
                    str(path),
                    "columns " + " and ".join(map(repr, required)),
                    value=", ".join(columns),
                )
            ],
        )
    return pd.DataFrame(
        {
            key: rows[columns.index(header)].fillna("") if header in columns else ""
            for key, header in REDCAP_DICTIONARY_COLUMNS.items()
        }
    )


def redcap_field_labels(path: Path, spec: ExportSpec) -> dict[str, str]:
    """Field name -> field label, from a REDCap data dictionary CSV."""
    dictionary = redcap_dictionary(path, spec)
    return dict(zip(dictionary["name"], dictionary["label"], strict=True))


def redcap_column_text(name: str, labels: dict[str, str]) -> str:
    """A checkbox option's column ``field___code`` is "<field label> - <code>"."""
    if name in labels:
        return labels[name]
    field_name, _, code = name.rpartition("___")
    if field_name in labels:
        return f"{labels[field_name]}{MATRIX_SEPARATOR}{code}"
    return name


LIMESURVEY_CODE_AND_TEXT = re.compile(r"^(?P<id>[A-Za-z][\w]*(?:\[[\w]+\])*)\. (?P<text>.*)$", re.S)


def read_limesurvey(path: Path, spec: ExportSpec) -> Table:
    """LimeSurvey: headings as codes, full texts, or "code. text"."""
    headers, data = _split(read_grid(path, spec), 1, path)
    ids, texts = [], []
    for heading in _header(headers.iloc[0]):
        both = LIMESURVEY_CODE_AND_TEXT.match(heading)
        ids.append(both["id"] if both else heading)
        texts.append(both["text"] if both else heading)
    return Table(ids, texts, data, first_row=2)


def read_spss(path: Path, spec: ExportSpec) -> Table:
    """SPSS .sav: variable names, variable labels, and value labels where the codebook asks.

    The codes are read as numbers and their value labels applied here with an Arrow lookup
    (pyreadstat's apply_value_formats is several times slower on a million rows); a value
    without a label stays as its code, as in SPSS.
    """
    import pyreadstat  # only SPSS batches need it

    try:
        frame, meta = pyreadstat.read_sav(str(path), encoding=None)
    except Exception as error:  # pyreadstat.ReadstatError and OSError
        raise InputError(
            f"{path}: cannot be read as an SPSS .sav file",
            [Problem(str(path), "an SPSS .sav file", value=str(error))],
        ) from None
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
        text = _cells_as_text(frame[name], _timestamp_format(spec))
        if name in value_labels:
            label_of = {
                _code_as_text(code): str(label) for code, label in value_labels[name].items()
            }
            text = labels_from_codes(text, label_of)
        data[i] = text
    return Table(ids, texts, pd.DataFrame(data, index=frame.index), first_row=1)


def _code_as_text(code: object) -> str:
    return str(int(code)) if isinstance(code, float) and code.is_integer() else str(code)


FORMATS: dict[str, Callable[[Path, ExportSpec], Table]] = {
    "csv": read_plain,
    "excel": read_plain,
    "qualtrics": read_qualtrics,
    "surveymonkey": read_surveymonkey,
    "redcap": read_redcap,
    "limesurvey": read_limesurvey,
    "spss": read_spss,
}


# ---------------------------------------------------------------------------------------------
# The seam.


def read_table(path: str | Path, spec: ExportSpec) -> Table:
    """The export as the platform laid it out (for drafting a codebook)."""
    path = Path(path)
    reader = read_spss if path.suffix.lower() in SPSS_EXTENSIONS else FORMATS[spec.format]
    return reader(path, spec)


# What to do about two columns of one name, by how the codebook matches columns.
REPEATED_COLUMN_REMEDY = {
    "text": "match columns by the platform's id instead (export.match: id)",
    "id": "the export itself repeats this column id (e.g. a question copied in the survey): "
    "give one of the two another code on the platform and export again",
}


def read_export(
    path: str | Path, spec: ExportSpec, wanted: list[str], answers: dict[str, dict[str, str]]
) -> Export:
    """Read an export of any format as validation takes it.

    ``spec`` is the questionnaire's codebook ``export`` block; ``wanted`` the columns the
    codebook names (as ``export.match`` says: column ids or texts); ``answers`` maps each
    question column to {code as the export writes it (the option's ``export_code``, else its
    ``code``): label}, used when ``export.values`` is ``codes``.
    Columns not wanted are dropped (their names kept in ``Export.dropped``).
    """
    table = read_table(path, spec)
    keys = table.ids if spec.match == "id" else table.texts
    names = {
        key: key if id_ == text else f"{id_}: {text}"
        for key, id_, text in zip(keys, table.ids, table.texts, strict=True)
    }
    wanted_set = set(wanted)
    keep: dict[str, int] = {}
    for position, key in enumerate(keys):
        if key in wanted_set and key in keep:
            raise InputError(
                f"{path}: two columns are both {key!r}, so the codebook cannot tell them apart",
                [
                    Problem(
                        str(path),
                        "each column the codebook names to occur once; "
                        + REPEATED_COLUMN_REMEDY[spec.match],
                        column=key,
                        value=f"columns {keep[key] + 1} and {position + 1}",
                    )
                ],
            )
        if key in wanted_set:
            keep[key] = position
    dropped = [names[key] for position, key in enumerate(keys) if keep.get(key) != position]
    frame = pd.DataFrame({key: table.data[position] for key, position in keep.items()})
    if len(frame.columns) == 0:
        frame = pd.DataFrame(index=table.data.index)
    if spec.values == "codes":
        for column, labels in answers.items():
            if column in frame:
                frame[column] = labels_from_codes(frame[column], labels)
    rows = np.arange(table.first_row, table.first_row + len(frame), dtype=np.int64)
    return Export(frame.astype("str"), rows, names, dropped)


def labels_from_codes(values: pd.Series, label_of: dict[str, str]) -> pd.Series:
    """Answer codes (as the export writes them) to the codebook's labels; unknown codes stay."""
    text = pa.array(values, from_pandas=True)
    if not pa.types.is_large_string(text.type):  # e.g. an all-blank column
        text = text.cast(pa.large_string())
    codes = pa.array(list(label_of), type=text.type)
    position = pc.index_in(text, value_set=codes)  # a hash lookup, no Python loop
    labels = pc.take(pa.array(list(label_of.values()), type=text.type), position)
    coded = pc.if_else(pc.is_null(position), text, labels)
    return pd.Series(coded.to_pandas(), index=values.index, dtype="str")
