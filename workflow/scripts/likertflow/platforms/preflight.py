"""What is checked of an export file before a reader takes it in, and after.

A reader allocates what a file declares: calamine a dense grid from A1 to the last cell of a
sheet (a 1 KB workbook with cells A1 and XFD1048576 asks for 512 GiB and aborts the process),
Arrow a block per record, pyreadstat a column per declared case. So each file is checked first,
against limits a researcher can raise in the config (``ingest`` in
workflow/schemas/config.schema.yaml, the one home of their defaults):

- the file itself: a regular file (not a FIFO or a device); a symbolic link only to a file inside
  the project or inside the folder that holds the link, so that a link to a private file
  elsewhere (a key, a password file) is never read; at most ``max_file_mb`` megabytes;
- a text export, in one pass over its bytes: no NUL byte, no record (a line, or the lines of one
  quoted answer) longer than ``max_line_bytes``, and the number of records, counted in the file's
  own dialect (quotes, line breaks inside quotes, blank lines) independently of the parser;
- a workbook (.xlsx, .xlsm, .ods): every part at most ``max_file_mb`` unpacked, and the grid its
  first sheet's cells span at most ``max_cells``, from the cells' own addresses (the sheet's
  declared dimension can lie); the rows that hold values, for the reader's rows to be held to;
- an SPSS file: the cases and variables its header declares, at most ``max_cells``;
- every cell read, of any format: at most ``max_cell_characters`` (32,767, what a spreadsheet
  cell holds).

A refusal names the file, the row or cell, what was found and the limit, and never quotes the
file's content: a file that fails here may not be an export at all.

Nothing half-written: ``FileState`` (size, modification and change times, inode, a CRC-32 of
the bytes) is taken before an export is read and compared after; an export that changed while it
was read (still being written, or replaced) fails its job, naming it. ``wait_until_settled``
first waits, if the config asks (``settle_seconds``), until the file has been left unchanged
that long.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from likertflow.errors import InputError, Problem

if TYPE_CHECKING:
    import numpy as np  # noqa: F401 (annotations)

CONFIG_SECTION = "ingest"  # the config key the limits are under
SCHEMA = Path(__file__).resolve().parents[3] / "schemas" / "config.schema.yaml"
MB = 2**20
CHUNK = 2**24  # bytes scanned at a time
SPREADSHEET_CELL = 32767  # characters a spreadsheet cell holds (Excel, LibreOffice)
MAX_LETTERS, MAX_DIGITS = 12, 18  # of a cell address read: far past any sheet, within int64


@dataclass(frozen=True)
class Limits:
    """What an export may be: the config's ``ingest`` limits (no defaults here: the schema
    holds them)."""

    max_file_mb: float
    max_line_bytes: int
    max_cell_characters: int
    max_cells: int

    @classmethod
    def from_config(cls, ingest: dict) -> Limits:
        """The limits of a validated config's ``ingest`` section."""
        return cls(**{field.name: ingest[field.name] for field in fields(cls)})

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)


@lru_cache(maxsize=1)
def schema_limits() -> Limits:
    """The limits as the config schema's defaults give them (for reading an export outside a
    run: drafting a codebook, tests)."""
    from likertflow.schemas import read_yaml

    properties = read_yaml(SCHEMA)["properties"][CONFIG_SECTION]["properties"]
    return Limits.from_config({name: spec["default"] for name, spec in properties.items()})


def _beyond(path: Path, what: str, limit: str, key: str, **where) -> InputError:
    """The error of an export beyond one of the config's limits: ``what`` the file does, the
    ``limit`` it must keep and the setting that sets it (``key`` in ``CONFIG_SECTION``);
    ``where``: the problem's row, column and value."""
    expected = f"{limit} ({CONFIG_SECTION}.{key} in the config)"
    return InputError(f"{path}: {what}", [Problem(str(path), expected, **where)])


def _size(count: float) -> str:
    return f"{count / MB:,.1f} MB" if count >= MB else f"{int(count):,} bytes"


# --- The file itself -------------------------------------------------------------------------


def _status(read_status, path: Path) -> os.stat_result:
    """``read_status(path)`` (os.stat or os.lstat), an OSError as the export's input error."""
    try:
        return read_status(path)
    except OSError as error:
        raise InputError(
            f"{path}: cannot be read ({error.strerror})",
            [Problem(str(path), "an export file that can be read", value=error.strerror)],
        ) from None


def check_file(path: Path, limits: Limits, project: Path | None = None) -> os.stat_result:
    """The file's status, once it is known to be a regular file of at most ``max_file_mb`` and,
    if a symbolic link, one to a file inside ``project`` (default: the working directory, the
    project Snakemake runs in) or inside the link's own folder."""
    link = _status(os.lstat, path)
    if stat.S_ISLNK(link.st_mode):
        target = Path(os.path.realpath(path))
        roots = [Path(os.path.realpath(root)) for root in (project or os.getcwd(), path.parent)]
        if not any(target.is_relative_to(root) for root in roots):
            raise InputError(
                f"{path}: is a symbolic link to a file outside the project, which is not read",
                [
                    Problem(
                        str(path),
                        "the export itself, or a link to a file inside the project: copy the "
                        "export into the raw folder, or point raw_exports at the folder it is in",
                        value=f"a link to {target}",
                    )
                ],
            )
    status = _status(os.stat, path)
    if not stat.S_ISREG(status.st_mode):
        kind = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file"
        raise InputError(
            f"{path}: is {kind}, not an export file",
            [Problem(str(path), "a regular file (an export saved to disk)", value=kind)],
        )
    if status.st_size > limits.max_file_bytes:
        raise _beyond(
            path,
            "is larger than an export may be",
            f"at most {_size(limits.max_file_bytes)}",
            "max_file_mb",
            value=_size(status.st_size),
        )
    return status


# --- Text exports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextScan:
    """What one pass over a text export's bytes found."""

    records: int  # non-empty records (rows), as a reader of the dialect returns them
    longest: int  # bytes of the longest record
    longest_row: int  # its row (1: the first record)
    nul_offset: int | None  # where the first NUL byte is, if any
    open_quote: bool = False  # an odd number of quotes: a quoted cell may never close
    quoted_breaks: bool = False  # a line break inside quotes (a record spans lines)


def scan_text(data: bytes, quoting: bool) -> TextScan:
    """Count the records of a text export in its own dialect, vectorised over its bytes: a
    record ends at a line feed, a carriage return or both, outside quotes where the dialect
    quotes (``quoting``: a line break inside a quoted answer belongs to the answer); an empty
    record is no row (as CSV readers skip blank lines). Quotes are counted wherever they are, so
    a file with a stray quote inside an unquoted cell counts differently from a reader that takes
    it literally: Python's csv module then has the last word (``containers.read_text``)."""
    import numpy as np

    data = bytes(data)
    array = np.frombuffer(data, dtype=np.uint8)
    total = len(data)
    nul = data.find(b"\x00")
    has_cr = b"\r" in data
    quoting = quoting and b'"' in data
    records = longest = longest_row = 0
    quoted_breaks = False
    start = 0  # where the current record starts
    parity = 0  # quotes seen so far, mod 2
    after_cr = False  # the previous chunk ended with an unquoted carriage return
    for low in range(0, total, CHUNK):
        chunk = array[low : low + CHUNK]
        # A line feed right after a carriage return ends the same record, even when the two are
        # split between chunks.
        split_lf = after_cr and chunk[0] == 10
        if split_lf and start == low:
            start = low + 1
        breaks = np.flatnonzero(chunk == 10)
        if has_cr:
            breaks = np.sort(np.concatenate((breaks, np.flatnonzero(chunk == 13))))
        if quoting:
            before = _quotes_before(chunk, breaks) + parity
            outside = before[:-1] % 2 == 0
            quoted_breaks = quoted_breaks or not outside.all()
            breaks = breaks[outside]
            parity = int(before[-1]) % 2
        if has_cr:
            # CR LF: the record ends at the CR, and the next starts after the LF.
            cr = chunk[breaks] == 13
            last = len(chunk) - 1
            with_lf = cr & (breaks < last) & (chunk[np.minimum(breaks + 1, last)] == 10)
            after = ~cr & (
                ((breaks > 0) & (chunk[np.maximum(breaks - 1, 0)] == 13))
                | ((breaks == 0) & split_lf)
            )
            ends, skip = breaks[~after] + low, 1 + with_lf[~after]
            after_cr = bool(len(breaks) and cr[-1] and breaks[-1] == last)
        else:
            ends, skip = breaks + low, np.ones(len(breaks), dtype=np.int64)
            after_cr = False
        if not len(ends):
            continue
        starts = np.concatenate(([start], (ends + skip)[:-1]))
        lengths = np.maximum(ends - starts, 0)
        nonempty = lengths > 0
        longest_here = int(np.argmax(lengths))
        if lengths[longest_here] > longest:
            longest = int(lengths[longest_here])
            longest_row = records + int(np.count_nonzero(nonempty[: longest_here + 1]))
        records += int(np.count_nonzero(nonempty))
        start = int(ends[-1] + skip[-1])
    if total - start > 0:
        records += 1
        if total - start > longest:
            longest, longest_row = total - start, records
    nul = nul if nul >= 0 else None
    return TextScan(records, longest, longest_row, nul, parity == 1, quoted_breaks)


def _quotes_before(chunk, positions):
    """The number of quote bytes (mod 2) before each of the positions, and in the whole chunk
    last: from the quotes packed eight to a byte and a running count of their bits, so that no
    array of every quote's position is made."""
    import numpy as np

    set_bits, above = _bit_tables()
    bits = np.packbits(chunk == 34)  # the first byte's quote is the top bit
    counts = np.cumsum(set_bits[bits], dtype=np.int32)
    byte = positions >> 3
    before = np.where(byte > 0, counts[np.maximum(byte - 1, 0)], 0)
    before += set_bits[bits[byte] & above[positions & 7]]
    return np.append(before % 2, counts[-1] % 2 if len(counts) else 0)


@lru_cache(maxsize=1)
def _bit_tables():
    """The bits set in each byte value, and the bits above each bit position of a byte."""
    import numpy as np

    set_bits = np.array([bin(byte).count("1") for byte in range(256)], dtype=np.int32)
    above = np.array([(0xFF00 >> k) & 0xFF for k in range(8)], dtype=np.uint8)
    return set_bits, above


def row_at(data: bytes, offset: int, quoting: bool) -> int:
    """The row (record, from 1) that holds the byte at ``offset``."""
    return max(scan_text(data[: offset + 1], quoting).records, 1)


def check_text(path: Path, data: bytes, scan: TextScan, limits: Limits, quoting: bool):
    """Refuse a text export with a NUL byte or a record longer than ``max_line_bytes``."""
    if scan.nul_offset is not None:
        row = row_at(data, scan.nul_offset, quoting)
        raise InputError(
            f"{path}: holds a NUL byte, which no text export does (a binary file, or one saved in "
            "another encoding than export.encoding says?)",
            [Problem(str(path), "text without NUL bytes", row=row, value="a NUL byte")],
        )
    if scan.longest > limits.max_line_bytes:
        raise _beyond(
            path,
            "has a record longer than an export's may be",
            f"records of at most {_size(limits.max_line_bytes)}",
            "max_line_bytes",
            row=scan.longest_row,
            value=_size(scan.longest),
        )


# --- Workbooks and SPSS files --------------------------------------------------------------------


@dataclass(frozen=True)
class SheetScan:
    """What the first sheet of a workbook holds, from its XML."""

    rows: int  # the last row any cell or row element names (or counts to)
    columns: int  # the last column any cell names (or counts to, in a row)
    value_rows: tuple[int, ...]  # rows (from 1) with at least one cell holding a value


def check_workbook(path: Path, limits: Limits) -> SheetScan | None:
    """Refuse a workbook whose parts unpack to more than ``max_file_mb`` or whose first sheet's
    cells span more than ``max_cells``; the scan of its first sheet (None: a legacy .xls, whose
    grid its format bounds to 65,536 x 256 cells)."""
    import zipfile

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        return None
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            f"{path}: cannot be read as a workbook (it is not a zip archive, as .xlsx and .ods "
            "files are)",
            [Problem(str(path), f"a {suffix} workbook", value="not a zip archive")],
        ) from None
    with book:
        for member in book.infolist():
            if member.file_size > limits.max_file_bytes:
                raise _beyond(
                    path,
                    "a part of the workbook unpacks to more than an export may be",
                    f"parts of at most {_size(limits.max_file_bytes)} unpacked",
                    "max_file_mb",
                    value=f"{member.filename}: {_size(member.file_size)}",
                )
        try:
            if suffix == ".ods":
                scan = _scan_ods(book, path)
            else:
                scan = _scan_xlsx(book, path, limits)
                if scan.rows * scan.columns > limits.max_cells:  # count value cells only
                    scan = _scan_xlsx(book, path, limits, precise=True)
        except zipfile.BadZipFile:  # a part that does not unpack to what its header says
            raise InputError(
                f"{path}: cannot be read as a workbook (a part of it is damaged)",
                [Problem(str(path), f"a {suffix} workbook", value="a damaged part")],
            ) from None
    if scan.rows * scan.columns > limits.max_cells:
        raise _beyond(
            path,
            "the first sheet's cells span a larger grid than an export's may (a reader would "
            "allocate all of it)",
            f"at most {limits.max_cells:,} cells",
            "max_cells",
            row=scan.rows,
            column=_column_name(scan.columns),
            value=f"{scan.rows:,} rows x {scan.columns:,} columns",
        )
    return scan


def _column_name(number: int) -> str:
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name or "A"


def _first_sheet(book, path: Path) -> str:
    """The member name of a workbook's first sheet (the one read), from its workbook part and
    that part's relationships."""
    import re

    def text(name: str) -> str:
        try:
            return book.read(name).decode("utf-8", "replace")
        except KeyError:
            raise InputError(
                f"{path}: cannot be read as a workbook (it has no {name})",
                [Problem(str(path), "an .xlsx workbook", value=f"no {name}")],
            ) from None

    sheet = re.search(r"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"", text("xl/workbook.xml"))
    rels = text("xl/_rels/workbook.xml.rels")
    for relation in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = relation.group(0)
        ident = re.search(r"\bId=\"([^\"]+)\"", tag)
        target = re.search(r"\bTarget=\"([^\"]+)\"", tag)
        if sheet and ident and target and ident.group(1) == sheet.group(1):
            name = target.group(1)
            return name.lstrip("/") if name.startswith("/") else f"xl/{name}"
    raise InputError(
        f"{path}: cannot be read as a workbook (its first sheet cannot be found)",
        [Problem(str(path), "an .xlsx workbook with a first sheet", value="no sheet")],
    )


def _scan_xlsx(book, path: Path, limits: Limits, precise: bool = False) -> SheetScan:
    """The extent of the first sheet's cells and the rows holding values, from the bytes of its
    XML, streamed and vectorised (no per-cell Python). Every address (``r="B12"``) of a cell or
    a row counts towards the extent; rows without an address are the row after the one before,
    cells without one the next cell of their row; a row holds values if it holds a ``<v>`` with
    something in it or an inline string.

    ``precise``: count only cells that hold a value, as calamine does (an empty cell with a
    style allocates nothing), each value belonging to the cell element before it: for a sheet
    whose addresses alone span more than the limit, before refusing it."""
    import numpy as np

    name = _first_sheet(book, path)
    try:
        stream = book.open(name)
    except KeyError:
        raise InputError(
            f"{path}: cannot be read as a workbook (it has no {name})",
            [Problem(str(path), "an .xlsx workbook", value=f"no {name}")],
        ) from None
    max_row = max_col = 0
    row = 0  # the number of the row element the scan is in (0: before the first)
    in_row = 0  # cell elements seen in that row so far
    cell = (0, 0)  # the (row, column) of the last cell element seen
    value_rows = []
    carry = b""
    with stream:
        while True:
            block = stream.read(CHUNK)  # at most the part's declared size, held to the limit
            text = carry + block
            # Cut after the end of a cell or row, so that no tag, and no value, is split.
            ends = [(text.rfind(end), len(end)) for end in (b"c>", b"row>", b"/>")]
            cut = len(text) if not block else max(at + n if at >= 0 else 0 for at, n in ends)
            done, carry = text[:cut], text[cut:]
            a = np.frombuffer(done, dtype=np.uint8)
            addresses = _addresses(a)
            row_tags = _tag_starts(done, b"row")
            numbers = _row_numbers(_own_addresses(a, row_tags, addresses)[0], row)
            values = _value_starts(done)
            cells = _tag_starts(done, b"c")
            rless = len(cells) > np.count_nonzero(addresses[1])  # cells counted in their row
            if precise or rless:
                in_which = np.searchsorted(row_tags, cells, side="right") - 1
                first = np.searchsorted(in_which, in_which, side="left")
                place = np.arange(len(cells)) - first + 1 + np.where(in_which < 0, in_row, 0)
            if len(row_tags):  # cells so far in the row the next chunk starts in
                in_row = len(cells) - int(np.searchsorted(cells, row_tags[-1]))
            else:
                in_row += len(cells)
            if precise:
                own_rows, own_cols = _own_addresses(a, cells, addresses)
                cell_rows = np.where(own_rows > 0, own_rows, _at(numbers, in_which, row))
                cell_cols = np.where(own_cols > 0, own_cols, place)
                holder = np.searchsorted(cells, values, side="right") - 1
                rows_of_values = _at(cell_rows, holder, cell[0])
                if len(holder):
                    max_row = max(max_row, int(rows_of_values.max()))
                    max_col = max(max_col, int(_at(cell_cols, holder, cell[1]).max()))
                    value_rows.append(_distinct(rows_of_values))
                if len(cells):
                    cell = (int(cell_rows[-1]), int(cell_cols[-1]))
            else:
                rows, columns, _ = addresses
                if len(rows):
                    max_row = max(max_row, int(rows.max()))
                    max_col = max(max_col, int(columns.max()))
                if len(numbers):
                    max_row = max(max_row, int(numbers.max()))
                if rless and len(place):
                    max_col = max(max_col, int(place.max()))
                # Which row elements hold a value (-1: the row carried over), without sorting.
                holding = np.zeros(len(row_tags) + 1, dtype=bool)
                holding[np.searchsorted(row_tags, values, side="right")] = True
                value_rows.append(numbers[holding[1:]])
                if holding[0]:
                    value_rows.append(np.array([row], dtype=np.int64))
            if len(row_tags):
                row = int(numbers[-1])
            if not block:
                break
    rows = _distinct(np.concatenate(value_rows)) if value_rows else np.array([], np.int64)
    return SheetScan(max_row, max_col, tuple(rows[rows > 0].tolist()))


def _distinct(values):
    """The distinct values, in order (rows come in order: no sort, no hashing, as a rule)."""
    import numpy as np

    if len(values) and not np.all(values[1:] >= values[:-1]):
        values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _at(values, index, carried: int):
    """``values[index]``, and ``carried`` where the index is -1 (what the chunk before held)."""
    import numpy as np

    if not len(values):
        return np.full(len(index), carried, dtype=np.int64)
    return np.where(index < 0, carried, values[np.maximum(index, 0)])


def _own_addresses(a, tags, addresses):
    """The (row, column) each element names in its start tag (0 where it names none; a row
    element's column is 0)."""
    import numpy as np

    rows, cols, refs = addresses
    if not len(tags) or not len(refs):
        none = np.zeros(len(tags), dtype=np.int64)
        return none, none
    closes = np.flatnonzero(a == ord(">"))
    tag_end = closes[np.minimum(np.searchsorted(closes, tags), len(closes) - 1)]
    first = np.minimum(np.searchsorted(refs, tags), len(refs) - 1)
    own = (refs[first] > tags) & (refs[first] < tag_end)
    return np.where(own, rows[first], 0), np.where(own, cols[first], 0)


def _row_numbers(given, before: int):
    """Row numbers from the addresses row elements give (0: none, so the row after the one
    before; ``before``: the number of the row before the first)."""
    import numpy as np

    if not len(given) or given.all():
        return given.astype(np.int64)
    numbers = given.astype(np.int64).copy()
    for i in range(len(numbers)):  # only for workbooks whose rows lack addresses
        if not numbers[i]:
            numbers[i] = (numbers[i - 1] if i else before) + 1
    return numbers


@lru_cache(maxsize=4)
def _byte_table(characters: bytes):
    """A 256-entry lookup: whether each byte value is one of ``characters``."""
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[list(characters)] = True
    return table


def _tag_starts(data: bytes, name: bytes):
    """Where elements named ``name`` (any namespace prefix) start: ``<name`` or ``:name``
    followed by a space, ``>`` or ``/`` (the position of the ``<`` or ``:``)."""
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    n = len(name)
    if len(a) < n + 2:
        return np.array([], dtype=np.int64)
    hits = a[1 : len(a) - n] == name[0]
    for i in range(1, n):
        hits &= a[1 + i : len(a) - n + i] == name[i]
    candidates = np.flatnonzero(hits)
    candidates = candidates[_byte_table(b"<:")[a[candidates]]]
    candidates = candidates[_byte_table(b" \t\r\n>/")[a[candidates + n + 1]]]
    return candidates.astype(np.int64)


def _value_starts(data: bytes):
    """Where cells' values start (not in order): a ``<v>`` element with something in it
    (``<v></v>`` and ``<v/>`` hold nothing), or an inline string."""
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    values = _tag_starts(data, b"v")

    def byte(shift: int):
        return a[np.minimum(values + shift, len(a) - 1)]

    empty = (byte(2) == ord(">")) & (byte(3) == ord("<")) & (byte(4) == ord("/"))
    empty |= byte(2) == ord("/")
    return np.concatenate((values[~empty], _tag_starts(data, b"is")))  # not in order


def _addresses(a):
    """Every ``r="..."`` attribute's address: (rows, columns, positions of the space before
    it); a row element's address has column 0."""
    import numpy as np

    if len(a) < 6:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty
    hits = (a[1:-3] == ord("r")) & (a[2:-2] == ord("=")) & (a[3:-1] == ord('"'))
    at = np.flatnonzero(hits)
    at = at[_byte_table(b" \t\r\n")[a[at]]]
    first = at + 4  # the address's first character
    last = len(a) - 1

    def byte(shift: int):
        return a[np.minimum(first + shift, last)].astype(np.int64)

    # As many letters and digits as the address has (calamine reads them all: ZZZZ1 is column
    # 475,254, A123456789 row 123,456,789), up to what int64 holds; a sheet ends at XFD1048576.
    letters = np.zeros(len(at), dtype=np.int64)
    columns = np.zeros(len(at), dtype=np.int64)
    going = np.ones(len(at), dtype=bool)
    for i in range(MAX_LETTERS):
        char = byte(i)
        going &= (char >= 65) & (char <= 90)
        if not going.any():
            break
        columns = np.where(going, columns * 26 + char - 64, columns)
        letters += going
    rows = np.zeros(len(at), dtype=np.int64)
    going = np.ones(len(at), dtype=bool)
    for i in range(MAX_DIGITS):
        char = a[np.minimum(first + letters + i, last)].astype(np.int64)
        going &= (char >= 48) & (char <= 57)
        if not going.any():
            break
        rows = np.where(going, rows * 10 + char - 48, rows)
    return rows, columns, at


def _scan_ods(book, path: Path) -> SheetScan:
    """The extent of an OpenDocument spreadsheet's first table, repeated rows and cells
    counted, from its content.xml (ElementTree's parser: no external entities)."""
    import xml.etree.ElementTree as ElementTree

    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    rows = columns = 0
    value_rows: list[int] = []
    row = 0
    depth = 0
    try:
        with book.open("content.xml") as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                if element.tag == f"{table}table":
                    depth += 1 if event == "start" else -1
                    if event == "end" and depth == 0:
                        break
                    continue
                if event != "end" or depth != 1:
                    continue
                if element.tag == f"{table}table-row":
                    repeat = int(element.get(f"{table}number-rows-repeated", "1"))
                    column, last = 0, 0
                    for cell in element:
                        span = int(cell.get(f"{table}number-columns-repeated", "1"))
                        column += span
                        if cell.get(f"{office}value-type") or len(cell):
                            last = column
                    if last:
                        value_rows.extend(range(row + 1, row + repeat + 1))
                        rows = row + repeat
                        columns = max(columns, last)
                    row += repeat
                    element.clear()
                    if len(value_rows) > 2**24:
                        break
    except (KeyError, ElementTree.ParseError):
        raise InputError(
            f"{path}: cannot be read as an OpenDocument spreadsheet",
            [Problem(str(path), "an .ods workbook", value="no readable content.xml")],
        ) from None
    return SheetScan(rows, columns, tuple(value_rows))


def check_sav(path: Path, limits: Limits) -> int | None:
    """Refuse an SPSS file whose header declares more cells (cases x variables) than
    ``max_cells``; the cases it declares (None when its header does not say)."""
    import pyreadstat

    try:
        _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    except Exception as error:  # pyreadstat.ReadstatError and OSError
        raise InputError(
            f"{path}: cannot be read as an SPSS .sav file",
            [Problem(str(path), "an SPSS .sav file", value=type(error).__name__)],
        ) from None
    cases = meta.number_rows if meta.number_rows is not None and meta.number_rows >= 0 else None
    variables = meta.number_columns or 0
    if cases is not None and cases * variables > limits.max_cells:
        raise _beyond(
            path,
            "the SPSS file declares a larger grid than an export's may be (a reader would "
            "allocate all of it)",
            f"at most {limits.max_cells:,} cells",
            "max_cells",
            value=f"{cases:,} cases x {variables:,} variables",
        )
    return cases


# --- Cells ------------------------------------------------------------------------------------


def check_cells(path: Path, grid, limits: Limits, first_row: int = 1) -> None:
    """Refuse a grid of strings (or a ``Table``'s data) with a cell longer than
    ``max_cell_characters``, naming its row (``first_row``: the row of the grid's first) and
    column."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    for position in range(grid.shape[1]):
        column = grid.iloc[:, position]
        text = pa.array(column, from_pandas=True)
        if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
            continue
        lengths = pc.utf8_length(text)
        longest = pc.max(lengths).as_py()
        if longest is None or longest <= limits.max_cell_characters:
            continue
        row = int(np.argmax(lengths.fill_null(0).to_numpy() > limits.max_cell_characters))
        raise _beyond(
            path,
            "has a cell longer than an export's may be",
            f"cells of at most {limits.max_cell_characters:,} characters",
            "max_cell_characters",
            row=first_row + row,
            column=f"column {position + 1}",
            value=f"{lengths[row].as_py():,} characters",
        )


# --- Nothing half-written ----------------------------------------------------------------------


@dataclass(frozen=True)
class FileState:
    """What changes when a file is written to: its size, times, inode and bytes."""

    size: int
    modified_ns: int
    changed_ns: int
    inode: int
    crc32: int  # of every byte: a change detector (nothing here is adversarial), 2 GB/s


def file_state(path: Path) -> FileState:
    import zlib

    status = os.stat(path)
    crc = 0
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            crc = zlib.crc32(block, crc)
    return FileState(status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, crc)


def check_unchanged(path: Path, before: FileState) -> None:
    """Fail if the file is no longer what it was when reading began."""
    try:
        after = file_state(path)
    except OSError as error:
        after = None
        what = f"it is gone ({error.strerror})"
    if after == before:
        return
    if after is not None:
        what = ", ".join(
            label
            for name, label in (
                ("size", "size"),
                ("modified_ns", "modification time"),
                ("crc32", "content"),
                ("inode", "file (replaced)"),
            )
            if getattr(after, name) != getattr(before, name)
        ) or "status (written to)"
        what = f"its {what} changed"
    raise InputError(
        f"{path}: changed while it was read ({what}): it may still be being written; nothing "
        "was ingested. Run again once the export is complete (or set ingest.settle_seconds in "
        "the config to wait until an export has been left unchanged that long)",
        [Problem(str(path), "an export that is not being written while it is read", value=what)],
    )


def wait_until_settled(path: Path, seconds: float, timeout_factor: float = 10) -> None:
    """Wait until the file has been left unchanged for ``seconds`` (its modification
    time that long past); fail if it is still changing after ``timeout_factor`` times
    as long."""
    if seconds <= 0:
        return
    deadline = time.time() + seconds * timeout_factor
    while True:
        status = os.stat(path)
        age = time.time() - status.st_mtime
        if age >= seconds:
            return
        if time.time() + (seconds - age) > deadline:
            raise InputError(
                f"{path}: is still being written after {seconds * timeout_factor:g} s "
                f"(it must be left unchanged for {seconds:g} s, ingest.settle_seconds)",
                [Problem(str(path), "an export left unchanged", value="still changing")],
            )
        time.sleep(seconds - age)
