"""Conventions of the files under results/: one CSV dialect, and the survey a file belongs to.

Every table is written the same way, so that a rerun on the same data gives the same bytes
(no index, "\n" line endings, floats as Python's shortest round-trip text) and a change of
dialect is made once. A number read back from a results CSV equals the number computed (U =
493075.5 stays 493075.5; p values adjusted downstream are the unrounded ones).
"""

from __future__ import annotations

from pathlib import Path

FLOAT_FORMAT = None  # pandas' default: repr(float), the shortest text that reads back equal


def write_csv(frame, path, float_format: str | None = FLOAT_FORMAT) -> None:
    """Write a results table in the project's one CSV dialect.

    A table of text and integer columns only (the ledgers, a million rows) is written by
    ``_write_text_csv``, which gives the same bytes as pandas' ``to_csv`` several times faster.
    """
    if _text_and_integers(frame):
        _write_text_csv(frame, path)
    else:
        frame.to_csv(path, index=False, lineterminator="\n", float_format=float_format)


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


def _write_text_csv(frame, path) -> None:
    """``frame.to_csv(path, index=False, lineterminator="\\n")`` for text and integer columns,
    built as Arrow strings: a field is quoted (its quotes doubled) when it holds a character the
    csv module quotes for, a missing text is empty, an integer is its decimal digits."""
    import csv
    import io
    import re

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(value: str):
        return pa.scalar(value, pa.large_string())

    quoted_for = _quoted_by_csv()
    special = "[" + re.escape(quoted_for) + "]"
    fields = []
    for position in range(frame.shape[1]):
        column = pa.array(frame.iloc[:, position])  # an Array or, from Arrow storage, chunked
        column = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column])
        digits = pa.types.is_integer(column.type)
        column = pc.cast(column, pa.large_string()).fill_null("")
        if not digits and _holds_any(column, quoted_for):
            needs_quotes = pc.match_substring_regex(column, special)
            doubled = pc.replace_substring(column, '"', '""')
            quoted = pc.binary_join_element_wise(text('"'), doubled, text('"'), text(""))
            column = pc.if_else(needs_quotes, quoted, column)
        fields.append(column)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(frame.columns)
    with open(path, "wb") as out:
        out.write(header.getvalue().encode("utf-8"))
        if not len(frame):
            return
        lines = pc.binary_join_element_wise(*fields, text(","))
        for chunk in lines.chunks:
            if not len(chunk):
                continue
            ends, text_bytes = _chunk_bytes(chunk)
            out.write(np.insert(text_bytes, ends[1:] - ends[0], ord("\n")).data)


def _holds_any(column, characters: str) -> bool:
    """Whether any text of an Arrow (large) string column holds one of these ASCII characters:
    one pass over its bytes (no byte of a multi-byte UTF-8 character is ASCII)."""
    import numpy as np

    wanted = np.frombuffer(characters.encode("ascii"), np.uint8)
    for chunk in column.chunks:
        if len(chunk) and np.isin(_chunk_bytes(chunk)[1], wanted).any():
            return True
    return False


def _chunk_bytes(chunk):
    """A non-empty large-string chunk's text end offsets (one more than its texts, from its
    own first) and the bytes of its texts, as numpy views of its buffers."""
    import numpy as np

    _, offsets, data = chunk.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64)[chunk.offset :][: len(chunk) + 1]
    if data is None:  # every text empty
        return ends, np.empty(0, dtype=np.uint8)
    return ends, np.frombuffer(data, dtype=np.uint8)[ends[0] : ends[-1]]


def survey_of(path) -> str:
    """The survey of a per-questionnaire file, named results/<stage>/{survey}.<what>.<ext>."""
    return Path(path).name.split(".")[0]


def read_csv(path, **options):
    """Read a results table written by ``write_csv``. Labels such as "None" or "NA" are answers,
    not missing values: only empty cells are missing."""
    import pandas as pd

    return pd.read_csv(path, **{"keep_default_na": False, "na_values": [""], **options})
