"""Conventions of the files under results/: one CSV dialect, and the survey a file belongs to.

Every table is written the same way, so that a rerun on the same data gives the same bytes
(no index, "\n" line endings, floats as Python's shortest round-trip text) and a change of
dialect is made once. A number read back from a results CSV equals the number computed (U =
493075.5 stays 493075.5; p values adjusted downstream are the unrounded ones).

No live formulas. A spreadsheet opens a text cell that begins with ``=``, ``+``, ``-``, ``@``,
a tab, a carriage return or a line feed as a formula (``=HYPERLINK(...)``, ``=cmd|...``,
``@SUM(...)``), and labels, ids and column names come from the exports and the codebook.
``safe_cell`` neutralises such a cell as OWASP's CSV Injection page recommends: it is prefixed
with a single quote, which spreadsheets show as text. It also catches the cell behind leading
spaces (a spreadsheet that trims them would see the formula) and the full-width forms ``＝＋－＠``
(read as formulas by East Asian versions of Excel). A number stays a number: a cell that is a
decimal number (``-0.25``, ``+3``, ``1e-05``, ``-inf``) cannot be a formula and is left as it
is, as are numeric columns. ``write_csv`` applies it to every text cell and column name of every
table under results/, shared or not (the ledger too); the workbook and Word writers apply it to
every text cell they write. A cell that already begins with quotes before such a character gets
one more, so that ``restore_cell`` (used by ``read_csv`` and the ledger reader when the workflow
reads its own tables back) returns exactly the text that was written.
"""

from __future__ import annotations

import re
from pathlib import Path

FLOAT_FORMAT = None  # pandas' default: repr(float), the shortest text that reads back equal
# What makes a spreadsheet read a cell as a formula: its first character, after any quotes
# (so that neutralising is reversible) and spaces. The same pattern in Python's and Arrow's
# (RE2) regular expressions.
FORMULA_TRIGGERS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"
FORMULA_START = "^'* *[=+@\\t\\r\\n\uff1d\uff0b\uff0d\uff20-]"
# A decimal number, as written by write_csv or a person (it cannot be a formula).
NUMBER = (
    r"^ *[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf|infinity|nan)) *$"
)
# (Python's $ also matches before a final line feed: its checks use fullmatch.)
_FORMULA_START = re.compile(FORMULA_START)
_NUMBER = re.compile(NUMBER)


def safe_cell(value):
    """A cell as it may be written to a CSV, workbook or document: a text that a spreadsheet
    would read as a formula (module docstring) prefixed with a single quote; numbers, numeric
    texts and everything else unchanged.

    >>> safe_cell("=HYPERLINK(A1)"), safe_cell("@SUM(A1)"), safe_cell(" -x")
    ("'=HYPERLINK(A1)", "'@SUM(A1)", "' -x")
    >>> safe_cell("-0.25"), safe_cell(-3), safe_cell("Strongly agree"), safe_cell("'=x")
    ('-0.25', -3, 'Strongly agree', "''=x")
    """
    if isinstance(value, str) and _FORMULA_START.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore_cell(value):
    """The text ``safe_cell`` was given, from what it returned.

    >>> restore_cell(safe_cell("=1+1")), restore_cell(safe_cell("'=x")), restore_cell("'Tis")
    ('=1+1', "'=x", "'Tis")
    """
    if isinstance(value, str) and value.startswith("'") and _FORMULA_START.match(value):
        return value[1:]
    return value


def write_csv(frame, path, float_format: str | None = FLOAT_FORMAT) -> None:
    """Write a results table in the project's one CSV dialect.

    Every text cell and column name passes ``safe_cell``. A table of text and integer columns
    only (the ledgers, a million rows) is written by ``_write_text_csv``, which gives the same
    bytes as pandas' ``to_csv`` several times faster.
    """
    write_csv_pieces([frame], path, float_format)


def write_csv_pieces(pieces, path, float_format: str | None = FLOAT_FORMAT) -> None:
    """``write_csv`` of the frames ``pieces`` gives (the same columns each) joined, one piece
    held at a time: a ledger of ten million rows is written batch by batch."""
    with open(path, "wb") as out:
        for number, frame in enumerate(pieces):
            if _text_and_integers(frame):
                _write_text_csv(frame, out, header=number == 0)
                continue
            header = [safe_cell(name) for name in frame.columns]
            header = (header if header != list(frame.columns) else True) if number == 0 else False
            text = _neutralised(frame).to_csv(
                index=False, lineterminator="\n", float_format=float_format, header=header
            )
            out.write(text.encode("utf-8"))


def _neutralised(frame):
    """The frame with ``safe_cell`` applied to its text cells (the frame itself if none needs
    it): text columns of any dtype, and the texts among other objects (numbers written as text
    beside ``*`` in published tables stay as they are)."""
    import pandas as pd

    changed = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if column.dtype != object and not isinstance(column.dtype, pd.StringDtype):
            continue
        safe = column.map(safe_cell, na_action="ignore")
        if not safe.equals(column):
            changed[position] = safe
    if not changed:
        return frame
    frame = frame.copy()
    for position, safe in changed.items():
        frame.isetitem(position, safe)
    return frame


def float_text(value: float) -> str:
    """A float as ``write_csv`` writes it, for a column that mixes numbers and text."""
    return repr(float(value)) if FLOAT_FORMAT is None else FLOAT_FORMAT % value


def _text_and_integers(frame) -> bool:
    """Whether ``_write_text_csv`` writes this frame as ``to_csv`` would: at least two columns
    (a lone empty field is quoted), each named by a string and holding strings or numpy
    integers (never missing)."""
    import numpy as np
    import pandas as pd

    columns = frame.columns
    return (
        len(columns) >= 2
        and not isinstance(columns, pd.MultiIndex)
        and all(isinstance(name, str) for name in columns)
        and all(
            isinstance(dtype, pd.StringDtype)
            or (isinstance(dtype, np.dtype) and dtype.kind in "iu")
            for dtype in frame.dtypes
        )
    )


def _quoted_by_csv() -> str:
    """The characters that make Python's csv module (which pandas writes with) quote a field,
    in this dialect: comma, quote and newline; a lone carriage return only in some Pythons."""
    import csv
    import io

    def quoted(char: str) -> bool:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([f"a{char}b", "c"])
        return out.getvalue().startswith('"')

    return "".join(char for char in ',"\n\r' if quoted(char))


def _write_text_csv(frame, out, header: bool = True) -> None:
    """``frame.to_csv(out, index=False, lineterminator="\\n")`` for text and integer columns,
    built as Arrow strings: a field is quoted (its quotes doubled) when it holds a character the
    csv module quotes for, a missing text is empty, an integer is its decimal digits."""
    import csv
    import io
    import re

    import pyarrow as pa
    import pyarrow.compute as pc

    def text(value: str):
        return pa.scalar(value, pa.large_string())

    quoted_for = _quoted_by_csv()
    special = "[" + re.escape(quoted_for) + "]"
    # A line is its fields joined by commas, a quoted field between two quote marks (an empty
    # text where the field needs none): one element-wise join of every piece, each column copied
    # once (a pass to quote a column and another to choose took as long as the join itself).
    pieces = []
    for position in range(frame.shape[1]):
        column = pa.array(frame.iloc[:, position])  # an Array or, from Arrow storage, chunked
        column = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column])
        digits = pa.types.is_integer(column.type)
        column = pc.cast(column, pa.large_string()).fill_null("")
        if not digits:
            column = safe_text_array(column)
        if not digits and _holds_any(column, quoted_for):
            needs_quotes = pc.match_substring_regex(column, special)
            if _holds_any(column, '"'):  # doubled: a text holding one is quoted (special)
                column = pc.replace_substring(column, '"', '""')
            mark = pc.if_else(needs_quotes, text('"'), text(""))
            pieces += [mark, column, mark, text(",")]
        else:
            pieces += [column, text(",")]
    if header:
        names = io.StringIO()
        csv.writer(names, lineterminator="\n").writerow([safe_cell(n) for n in frame.columns])
        out.write(names.getvalue().encode("utf-8"))
    if not len(frame):
        return
    lines = pc.binary_join_element_wise(*pieces[:-1], text("\n"), text(""))
    for chunk in lines.chunks:
        if len(chunk):
            out.write(_chunk_bytes(chunk)[1].data)


def safe_text_array(column):
    """``safe_cell`` over an Arrow (chunked) string array, vectorised (RE2 regular expressions
    anchored at the start: a few milliseconds a million texts)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not _first_bytes_in(column, "'" + " " + FORMULA_TRIGGERS):
        return column
    risky = pc.match_substring_regex(column, FORMULA_START)
    if not pc.any(risky).as_py():
        return column
    risky = pc.and_(risky, pc.invert(pc.match_substring_regex(column, NUMBER)))
    quote, nothing = pa.scalar("'", column.type), pa.scalar("", column.type)
    return pc.if_else(risky, pc.binary_join_element_wise(quote, column, nothing), column)


def restore_text_array(column):
    """``restore_cell`` over an Arrow (chunked) string array."""
    import pyarrow.compute as pc

    neutralised = pc.match_substring_regex(column, "^'" + FORMULA_START[1:])
    if not pc.any(neutralised).as_py():
        return column
    return pc.if_else(neutralised, pc.utf8_slice_codeunits(column, 1), column)


def _first_bytes_in(column, characters: str) -> bool:
    """Whether the first UTF-8 byte of any text of an Arrow (large) string column is the first
    byte of one of these characters: one look at a byte per text, before any regular
    expression."""
    import numpy as np

    wanted = np.unique(np.frombuffer(b"".join(c.encode()[:1] for c in characters), np.uint8))
    for chunk in column.chunks:
        if not len(chunk):
            continue
        ends, text_bytes = _chunk_bytes(chunk)
        starts = ends[:-1] - ends[0]
        starts = starts[starts < ends[1:] - ends[0]]  # non-empty texts
        if np.isin(text_bytes[starts], wanted).any():
            return True
    return False


def _holds_any(column, characters: str) -> bool:
    """Whether any text of an Arrow (large) string column holds one of these ASCII characters:
    one pass over its bytes (no byte of a multi-byte UTF-8 character is ASCII)."""
    import numpy as np

    wanted = np.frombuffer(characters.encode("ascii"), np.uint8)
    for chunk in column.chunks:
        text_bytes = _chunk_bytes(chunk)[1] if len(chunk) else None
        # a comparison per character: several times faster than np.isin over every byte
        if text_bytes is not None and any((text_bytes == byte).any() for byte in wanted):
            return True
    return False


def _chunk_bytes(chunk):
    """A non-empty large-string chunk's text end offsets (one more than its texts, from its
    own first) and the bytes of its texts, as numpy views of its buffers."""
    import numpy as np

    _, offsets, data = chunk.buffers()  # Arrow refuses a string array without a data buffer
    ends = np.frombuffer(offsets, dtype=np.int64)[chunk.offset :][: len(chunk) + 1]
    return ends, np.frombuffer(data, dtype=np.uint8)[ends[0] : ends[-1]]


def survey_of(path) -> str:
    """The survey of a per-questionnaire file, named results/<stage>/{survey}.<what>.<ext>."""
    return Path(path).name.split(".")[0]


def read_csv(path, **options):
    """Read a results table written by ``write_csv``. Labels such as "None" or "NA" are answers,
    not missing values: only empty cells are missing. Texts and column names are as they were
    before ``safe_cell`` (``restore_cell``)."""
    import pandas as pd

    frame = pd.read_csv(path, **{"keep_default_na": False, "na_values": [""], **options})
    frame.columns = [restore_cell(name) for name in frame.columns]
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            restored = column.map(restore_cell, na_action="ignore")
            if not restored.equals(column):
                frame.isetitem(position, restored)
    return frame
