"""Containers: which files are export batches, and a grid of strings read from or written to a
file, chosen by the file's extension (CSV/TSV text, Excel workbooks; an SPSS ``.sav`` holds an
SPSS layout, read and written by ``likertflow.platforms.spss``).

A batch is named by its file's stem (``export_2019-06-10.xlsx`` is batch ``export_2019-06-10``),
so a questionnaire's batches may arrive in different containers over time. ``batch_files`` runs
at parse time; like every module of the platforms package, this imports pandas, numpy and
pyarrow only inside the functions that read and write data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from likertflow.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from likertflow.codebook import ExportSpec
    from likertflow.platforms.preflight import Limits

TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
SPSS_EXTENSIONS = (".sav", ".zsav")
EXTENSIONS = (*TEXT_EXTENSIONS, *EXCEL_EXTENSIONS, *SPSS_EXTENSIONS)
# How a workbook's or an SPSS file's date-time cells are read as text when the codebook gives no
# timestamp format (the export then has no time columns the codebook names).
DEFAULT_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
# How a written CSV quotes its fields: only those that need it (a delimiter, quote or line break
# inside; Python's csv.QUOTE_MINIMAL), every field (csv.QUOTE_ALL: Qualtrics), or every field
# that is not blank (blank cells left empty).
QUOTING = ("minimal", "all", "nonblank")
ROWS_PER_WRITE = 100_000  # rows of a CSV built and written at a time, to bound memory


def batch_files(paths: list[str]) -> dict[str, str]:
    """Batch name -> file, for the files with an export extension, in batch order.

    Raises ValueError if two files share a stem (``week1.csv`` and ``week1.xlsx``): each
    batch must be one file, or results/ingest/<survey>/<batch>.parquet would be ambiguous.
    """
    found: dict[str, str] = {}
    for path in sorted(paths):
        pure = PurePath(path)
        if pure.suffix.lower() not in EXTENSIONS:
            continue
        if pure.stem in found:
            raise ValueError(
                f"{found[pure.stem]} and {path} are both export batch {pure.stem!r}: "
                "give each export its own file name (e.g. its date)"
            )
        found[pure.stem] = path
    return dict(sorted(found.items()))


def no_exports_found(pattern: str, survey: str, paths: list[str]) -> str:
    """What to say when the config's ``raw_exports`` pattern matches no export of a
    questionnaire: the pattern, what it resolved to, and the files it matched that are no
    export (by their names only)."""
    looked_for = pattern.replace("{survey}", survey)
    others = sorted(PurePath(path).name for path in paths)
    found = (
        f"; it matched {len(others)} file(s) without an export's extension: "
        + ", ".join(others[:10])
        + (f" and {len(others) - 10} more" if len(others) > 10 else "")
        if others
        else ""
    )
    return (
        f"raw_exports {pattern!r} matches no export of questionnaire {survey!r}: no file "
        f"{looked_for} with one of the extensions {' '.join(EXTENSIONS)}{found}. Put the "
        "questionnaire's exports there, or set raw_exports in the config to where they are."
    )


def timestamp_format(spec: ExportSpec) -> str:
    """How date-time cells of this export are written as text."""
    return spec.timestamp_format or DEFAULT_TIMESTAMP_FORMAT


# --- Reading ---------------------------------------------------------------------------------


def read_text(
    path: Path, spec: ExportSpec, what: str | None = None, limits: Limits | None = None
) -> pd.DataFrame:
    """A delimited text file as a grid of strings, blanks missing (``what`` it is, for a message
    when it cannot be read: by default a ``spec.format`` export).

    A comma-, semicolon- or bar-separated file is read in CSV's dialect (a quoted cell may hold
    the delimiter, quotes doubled and line breaks); a tab-separated one as Google Sheets writes
    it, without quotes: a cell that starts with a quote is that text, never the start of a
    quoted cell that swallows the cells and rows after it. Before it is parsed, the file's bytes
    are checked (``preflight``: NUL bytes, record lengths) and its records counted in its own
    dialect; a reader that returns another number of rows stops ingest, naming the first row
    that differs. No message quotes the file: it may not be an export.
    """
    import codecs

    from likertflow.platforms import preflight

    limits = limits or preflight.schema_limits()
    preflight.check_file(path, limits)
    what = what or f"{spec.format} export"
    quoting = spec.delimiter != "\t"
    raw = path.read_bytes()
    encoding = codecs.lookup(spec.encoding).name
    if encoding in ("utf-8", "utf-8-sig"):
        data = raw
    else:  # transcoded once, so that every check and the parser see UTF-8
        try:
            data = raw.decode(encoding).encode("utf-8")
        except UnicodeDecodeError as error:
            raise _not_text(path, spec, what, raw, error.start, quoting) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    scan = preflight.scan_text(data, quoting)
    preflight.check_text(path, data, scan, limits, quoting)
    if scan.open_quote:
        _check_quotes_close(path, spec, what, data)
    grid = _parse_text(path, spec, what, data, scan, quoting)
    if scan.quoted_breaks and _ends_in_a_quoted_break(grid):
        # an even count of quotes can hide an open one (a quote inside an unquoted cell and
        # one never closed): then the last cell runs to the end of the file, rows and all
        _check_quotes_close(path, spec, what, data)
    if len(grid) != scan.records:
        _check_rows(path, spec, what, data, grid, quoting)
    if scan.longest > limits.max_cell_characters:  # else no cell can be longer than its record
        preflight.check_cells(path, grid, limits)
    return grid


def _not_text(path: Path, spec: ExportSpec, what: str, raw: bytes, offset: int, quoting: bool):
    """The error for bytes that are not text in the export's encoding, naming their row."""

    from likertflow.platforms.preflight import row_at

    row = row_at(raw, offset, quoting)
    return InputError(
        f"{path}: cannot be read as a {what}: it is not text in {spec.encoding}",
        [
            Problem(
                str(path),
                f"a text file in {spec.encoding} with columns separated by {spec.delimiter!r} "
                "(export.encoding and export.delimiter in the codebook)",
                row=row,
                value=f"bytes that are not {spec.encoding}",
            )
        ],
    )


def _check_quotes_close(path, spec, what, data: bytes) -> None:
    """A file with an odd number of quotes: refuse it if a quoted cell is left open, which every
    CSV reader reads as one cell swallowing the rows after it (a quote inside an unquoted cell,
    as in ``5" screen``, is text and opens nothing; Python's csv module in its strict mode tells
    them apart)."""
    import csv

    rows = 0
    try:
        for row in _csv_reader(data, spec.delimiter, strict=True):
            rows += bool(row)
    except csv.Error:
        raise InputError(
            f"{path}: cannot be read as a {what}: a quoted cell opened in row {rows + 1} is "
            "never closed, so the rows after it would be read as part of that cell",
            [
                Problem(
                    str(path),
                    "a closing quote for every opening one (a cell that starts with a quote "
                    'is quoted: its quotes inside are doubled, ""); a tab-separated export '
                    "(export.delimiter: a tab) is read without quotes",
                    row=rows + 1,
                    value="a quote that is never closed",
                )
            ],
        ) from None


def _ends_in_a_quoted_break(grid: pd.DataFrame) -> bool:
    """Whether the file's last cell holds a line break: where a quoted cell left open ends."""
    if not len(grid) or not len(grid.columns):
        return False
    last = grid.iat[-1, -1]
    return isinstance(last, str) and ("\n" in last or "\r" in last)


def _parse_text(path, spec, what, data: bytes, scan, quoting: bool) -> pd.DataFrame:
    """Parse UTF-8 text with Arrow's CSV reader into a grid of strings (columns 0..n-1, blanks
    missing); a malformed file is described by its first bad row, not by Arrow's message, which
    quotes the file."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if not scan.records:
        return pd.DataFrame()
    first = _records(data, spec.delimiter, quoting, limit=1)[0]  # the header's cells
    names = [f"f{i}" for i in range(len(first))]
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(
                column_names=names,
                block_size=max(1 << 20, 2 * scan.longest + 1024),  # a record never straddles
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=spec.delimiter,
                quote_char='"' if quoting else False,
                newlines_in_values=scan.quoted_breaks,  # faster where no record spans lines
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in names},  # large_string: slower
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid:
        raise _malformed(path, spec, what, data, quoting, len(first)) from None
    text = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str"
    grid = table.to_pandas(types_mapper={pa.string(): text}.get)
    grid.columns = range(grid.shape[1])
    return grid


def _records(data: bytes, delimiter: str, quoting: bool, limit: int | None = None) -> list:
    """The first ``limit`` (or all) non-empty records as lists of cells, read by Python's csv
    module (without quoting, a record is a line), lazily: the first record costs its own bytes
    only."""
    import io
    import itertools

    if quoting:  # a blank line is no record ([]); a line holding "" is one blank cell ([""])
        rows = (row for row in _csv_reader(data, delimiter) if row)
    else:
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace", newline="")
        lines = (line.rstrip("\r\n") for line in text)
        rows = (line.split(delimiter) for line in lines if line)
    return list(itertools.islice(rows, limit))


def _csv_reader(data: bytes, delimiter: str, strict: bool = False):
    """Python's csv reader over UTF-8 bytes, with room for a cell as long as the file: its own
    limit (131,072 characters) would stop it at a long answer, which Arrow reads and
    ``preflight.check_cells`` names, with an error that is not the file's."""
    import csv
    import io

    csv.field_size_limit(max(csv.field_size_limit(), len(data)))
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace", newline="")
    return csv.reader(text, delimiter=delimiter, strict=strict)


def _malformed(path, spec, what, data: bytes, quoting: bool, header_cells: int) -> InputError:
    """Why Arrow could not parse the file: its first row whose number of cells differs from the
    first row's, or text that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _not_text(path, spec, what, data, error.start, quoting)
    for row, cells in enumerate(_records(data, spec.delimiter, quoting), start=1):
        if len(cells) != header_cells:
            hint = (
                "; a tab-separated export is read as Google Sheets writes it, without quotes, "
                "so a cell cannot hold a tab or a line break (save such an export as CSV)"
                if not quoting
                else ""
            )
            return InputError(
                f"{path}: cannot be read as a {what}: its rows have different numbers of cells",
                [
                    Problem(
                        str(path),
                        f"{header_cells} cells, as in the first row, separated by "
                        f"{spec.delimiter!r} (export.delimiter in the codebook){hint}",
                        row=row,
                        value=f"{len(cells)} cells",
                    )
                ],
            )
    return InputError(
        f"{path}: cannot be read as a {what}",
        [
            Problem(
                str(path),
                f"a text file in {spec.encoding} with columns separated by {spec.delimiter!r} "
                "(export.encoding and export.delimiter in the codebook)",
                value="a file the CSV reader cannot parse",
            )
        ],
    )


def _check_rows(path, spec, what, data: bytes, grid: pd.DataFrame, quoting: bool) -> None:
    """The reader returned another number of rows than the quick count of records: read the
    file again with Python's csv module, and stop at the first row where the two readings
    differ (a quote or a line break read two ways)."""
    records = _records(data, spec.delimiter, quoting)
    records = [tuple(cell or None for cell in record) for record in records]
    rows = [
        tuple(None if cell != cell else cell for cell in row)  # NaN: blank
        for row in grid.astype(object).itertuples(index=False, name=None)
    ]
    if records == rows:
        return  # the quick count took a quote inside an unquoted cell for a quoted one
    row = next(
        (i for i, (a, b) in enumerate(zip(records, rows, strict=False), start=1) if a != b),
        min(len(records), len(rows)) + 1,
    )
    raise InputError(
        f"{path}: the {what}'s records are not read alike by two readers ({len(rows)} rows by "
        f"one, {len(records)} by the other): nothing was ingested",
        [
            Problem(
                str(path),
                "rows that every CSV reader reads alike (look at the quotes and line breaks of "
                "this row in a text editor; export.delimiter in the codebook)",
                row=row,
                value="a row read two ways",
            )
        ],
    )


def _read_workbook(path: Path, spec: ExportSpec, limits: Limits | None = None) -> pd.DataFrame:
    """The first sheet of a workbook as a grid of strings, once ``preflight.check_workbook`` has
    found its grid within ``max_cells``; an .xlsx sheet's rows holding values are held to those
    its XML holds (an .ods sheet's extent is checked, its rows are not counted a second way; an
    .xls workbook is neither)."""
    import itertools

    import pandas as pd
    from python_calamine import CalamineWorkbook  # only Excel batches need it

    from likertflow.platforms import preflight

    limits = limits or preflight.schema_limits()
    preflight.check_file(path, limits)
    scan = preflight.check_workbook(path, limits)
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        rows = sheet.to_python()
    except Exception as error:  # calamine raises its own error types for unreadable files
        raise InputError(
            f"{path}: cannot be read as an Excel workbook",
            [
                Problem(
                    str(path),
                    "an .xlsx workbook with the export in its first sheet",
                    value=f"a file calamine cannot read ({type(error).__name__})",
                )
            ],
        ) from None
    grid = pd.DataFrame(rows, dtype=object)
    grid = grid.apply(lambda cells: cells_as_text(cells, timestamp_format(spec)))
    if scan is not None and path.suffix.lower() in (".xlsx", ".xlsm"):  # held to the XML's rows
        first = (sheet.start[0] + 1) if rows and sheet.start else 1
        held = tuple(int(row) + first for row in grid.index[grid.notna().any(axis=1)])
        if held != scan.value_rows:
            row = next(  # the first row that differs, or the first beyond the shorter
                itertools.chain(
                    (min(a, b) for a, b in zip(scan.value_rows, held, strict=False) if a != b),
                    scan.value_rows[len(held) :],
                    held[len(scan.value_rows) :],
                )
            )
            raise InputError(
                f"{path}: the workbook's reader returned {len(held)} rows with values, its first "
                f"sheet holds {len(scan.value_rows)}, and they differ from row {row}: nothing "
                "was ingested",
                [
                    Problem(
                        str(path),
                        "every row of the first sheet read (open and save the workbook in a "
                        "spreadsheet, or export it as CSV)",
                        row=row,
                        value="a row read differently",
                    )
                ],
            )
    preflight.check_cells(path, grid, limits)
    return grid


def cells_as_text(cells: pd.Series, timestamp_format: str) -> pd.Series:
    """Cells as the text a person sees: 2.0 as '2', dates in the codebook's timestamp format.

    Vectorised by the column's inferred kind; only columns of mixed kinds go cell by cell.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

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


GRID_READERS: dict[tuple[str, ...], Callable[..., pd.DataFrame]] = {
    TEXT_EXTENSIONS: read_text,
    EXCEL_EXTENSIONS: _read_workbook,
}


def read_grid(path: Path, spec: ExportSpec, limits: Limits | None = None) -> pd.DataFrame:
    """Every cell of the file (header rows included) as a string, blanks missing, within
    ``limits`` (default: the config schema's)."""
    suffix = path.suffix.lower()
    for extensions, reader in GRID_READERS.items():
        if suffix in extensions:
            return _without_trailing_blank_columns(reader(path, spec, limits=limits))
    known = ", ".join(ext for extensions in GRID_READERS for ext in extensions)
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


def split(grid: pd.DataFrame, header_rows: int, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The grid's header rows, and its data rows with columns numbered from 0."""
    if len(grid) < header_rows:
        raise InputError(
            f"{path}: the file has fewer rows than the export's {header_rows} header row(s)",
            [Problem(str(path), f"{header_rows} header row(s)", value=f"{len(grid)} row(s)")],
        )
    data = grid.iloc[header_rows:].reset_index(drop=True)
    data.columns = range(data.shape[1])
    return grid.iloc[:header_rows], data


def header(row: pd.Series) -> list[str]:
    """A header row as texts, blank cells as ""."""
    import pandas as pd

    return ["" if pd.isna(cell) else str(cell) for cell in row]


# --- Writing -----------------------------------------------------------------------------------


def write_grid(
    header_rows: list[list[str]],
    data: pd.DataFrame,
    path: Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    quoting: str = "minimal",
    eol: str = "\r\n",
) -> Path:
    """Header rows, then the data (columns by position, strings, missing where blank), as a CSV
    in this dialect (``QUOTING``) or, for ``.xlsx``, the first sheet of a workbook."""
    if path.suffix == ".xlsx":
        return _write_workbook(header_rows, data, path)
    if quoting not in QUOTING:
        raise ValueError(f"quoting {quoting!r}: one of {QUOTING}")
    import codecs

    import pyarrow as pa

    utf8 = codecs.lookup(encoding).name == "utf-8"  # Arrow's own text: written as it is
    encoder = codecs.getincrementalencoder(encoding)()  # a BOM, if any, once at the start
    with path.open("wb") as handle:

        def write(columns: list) -> None:
            lines = _csv_lines(columns, delimiter, quoting, eol)
            handle.write(lines if utf8 else encoder.encode(lines.decode("utf-8")))

        if header_rows:
            cells = zip(*header_rows, strict=True)
            write([pa.array(column, pa.large_string()) for column in cells])
        for start in range(0, len(data), ROWS_PER_WRITE):
            rows = data.iloc[start : start + ROWS_PER_WRITE]
            write([_strings(rows[column]) for column in rows.columns])
    return path


def _strings(values: pd.Series):
    """A column of text (any pandas string or categorical dtype) as an Arrow large string array."""
    import pyarrow as pa

    array = pa.array(values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):  # an Arrow-backed column (pandas' "str") made by concat
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    return array.cast(pa.large_string())


def _csv_lines(columns: list, delimiter: str, quoting: str, eol: str) -> bytes:
    """The rows of these Arrow string columns as CSV lines in UTF-8 (vectorised in Arrow)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()

    def scalar(value: str) -> pa.Scalar:
        return pa.scalar(value, text)

    cells = []
    for values in columns:
        quoted = pc.binary_join_element_wise(
            scalar('"'), pc.replace_substring(values, '"', '""'), scalar('"'), scalar("")
        )
        if quoting == "minimal":
            special = "[" + "".join(f"\\{c}" for c in {delimiter, '"'}) + "\\r\\n]"
            quoted = pc.if_else(pc.match_substring_regex(values, special), quoted, values)
        blank = '""' if quoting == "all" else ""
        cells.append(pc.fill_null(quoted, scalar(blank)))
    if not cells:
        return b""
    joined = pc.binary_join_element_wise(*cells, scalar(delimiter))
    lines = pc.binary_join_element_wise(joined, scalar(eol), scalar(""))
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    offsets = offsets[lines.offset : lines.offset + len(lines) + 1]
    return lines.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]]


def _write_workbook(header_rows: list[list[str]], data: pd.DataFrame, path: Path) -> Path:
    import pandas as pd
    from openpyxl import Workbook  # only .xlsx fixtures need it

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in header_rows:
        sheet.append(row)
    for row in data.itertuples(index=False):
        sheet.append([None if pd.isna(cell) else str(cell) for cell in row])
    book.save(path)
    return path
