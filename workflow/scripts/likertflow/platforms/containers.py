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


def timestamp_format(spec: ExportSpec) -> str:
    """How date-time cells of this export are written as text."""
    return spec.timestamp_format or DEFAULT_TIMESTAMP_FORMAT


# --- Reading ---------------------------------------------------------------------------------


def read_text(path: Path, spec: ExportSpec, what: str | None = None) -> pd.DataFrame:
    """A delimited text file as a grid of strings, blanks missing (``what`` it is, for a message
    when it cannot be read: by default a ``spec.format`` export)."""
    import pandas as pd

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
            f"{path}: cannot be read as a {what or spec.format} export",
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
    import pandas as pd
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
    return grid.apply(lambda cells: cells_as_text(cells, timestamp_format(spec)))


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


GRID_READERS: dict[tuple[str, ...], Callable[[Path, ExportSpec], pd.DataFrame]] = {
    TEXT_EXTENSIONS: read_text,
    EXCEL_EXTENSIONS: _read_workbook,
}


def read_grid(path: Path, spec: ExportSpec) -> pd.DataFrame:
    """Every cell of the file (header rows included) as a string, blanks missing."""
    suffix = path.suffix.lower()
    for extensions, reader in GRID_READERS.items():
        if suffix in extensions:
            return _without_trailing_blank_columns(reader(path, spec))
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
    if isinstance(array, pa.ChunkedArray):
        array = pa.concat_arrays(array.chunks) if array.num_chunks else pa.array([], pa.string())
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
    lines = pa.concat_arrays([lines]) if isinstance(lines, pa.ChunkedArray) else lines
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
