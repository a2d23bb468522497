"""Containers (likertflow.platforms.containers): batches are named by file stem, whatever the
container."""

from __future__ import annotations

import pytest


def test_batches_are_named_by_file_stem_whatever_the_container():
    from likertflow.platforms.containers import batch_files

    found = batch_files(["raw/p/w2.XLSX", "raw/p/w1.csv", "raw/p/notes.md", "raw/p/w3.sav"])
    assert found == {"w1": "raw/p/w1.csv", "w2": "raw/p/w2.XLSX", "w3": "raw/p/w3.sav"}
    with pytest.raises(ValueError, match="both export batch 'w1'"):
        batch_files(["raw/p/w1.csv", "raw/p/w1.xlsx"])


# --- What a researcher sees of a container, word for word (issue 17) --------------------------
# Ingest's tests (test_ingest.py, test_preflight.py) read whole exports and look for a phrase of
# a message; here each container function's message, row and rendering of cells is held exactly
# (aimed at mutation survivors).

import datetime as dt  # noqa: E402
from decimal import Decimal  # noqa: E402

import pandas as pd  # noqa: E402
from likertflow.errors import InputError  # noqa: E402
from likertflow.platforms import containers  # noqa: E402
from likertflow.platforms.preflight import Limits  # noqa: E402
from support import filled  # noqa: E402


def test_two_files_of_one_batch_are_named():
    with pytest.raises(ValueError) as caught:
        containers.batch_files(["raw/p/w1.xlsx", "raw/p/w1.csv"])
    assert str(caught.value) == (
        "raw/p/w1.csv and raw/p/w1.xlsx are both export batch 'w1': give each export its own "
        "file name (e.g. its date)"
    )


def test_no_exports_found_says_where_it_looked_and_what_it_found():
    extensions = ".csv .tsv .txt .xlsx .xlsm .xls .ods .sav .zsav"
    others = [f"raw/p/notes{i:02}.md" for i in range(12, 0, -1)]
    assert containers.no_exports_found("raw/{survey}/*", "p", others) == (
        "raw_exports 'raw/{survey}/*' matches no export of questionnaire 'p': no file raw/p/* "
        f"with one of the extensions {extensions}; it matched 12 file(s) without an export's "
        "extension: " + ", ".join(f"notes{i:02}.md" for i in range(1, 11)) + " and 2 more. Put "
        "the "
        "questionnaire's exports there, or set raw_exports in the config to where they are."
    )
    assert "1 file(s) without an export's extension: b.md. Put" in (
        containers.no_exports_found("raw/{survey}/*", "p", ["a/b.md"])
    )
    ten = containers.no_exports_found("raw/{survey}/*", "p", others[2:])
    eleven = containers.no_exports_found("raw/{survey}/*", "p", others[1:])
    assert "notes10.md. Put" in ten and "notes10.md and 1 more. Put" in eleven
    assert containers.no_exports_found("x/{survey}.csv", "q", []) == (
        f"raw_exports 'x/{{survey}}.csv' matches no export of questionnaire 'q': no file "
        f"x/q.csv with one of the extensions {extensions}. Put the questionnaire's exports "
        "there, or set raw_exports in the config to where they are."
    )


def _spec(**keys):
    return filled.export({"format": "csv", **keys})


def _read(tmp_path, content: bytes, **keys):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    return path, containers.read_text(path, _spec(**keys))


def _refused(tmp_path, content: bytes, **keys):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        containers.read_text(path, _spec(**keys))
    [problem] = caught.value.problems
    assert problem.file == str(path)
    return path, caught.value.summary, problem


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_bytes_that_are_not_text_are_named_by_row(encoding, tmp_path):
    bad = b"\xff\xfe" if encoding == "utf-8" else b"\x81"
    path, summary, problem = _refused(tmp_path, b"a,b\n1,2\n" + bad + b",3\n", encoding=encoding)
    assert summary == f"{path}: cannot be read as a csv export: it is not text in {encoding}"
    assert (problem.row, problem.value) == (3, f"bytes that are not {encoding}")
    assert problem.expected == (
        f"a text file in {encoding} with columns separated by ',' (export.encoding and "
        "export.delimiter in the codebook)"
    )


def test_a_byte_order_mark_is_not_part_of_the_first_header(tmp_path):
    _, grid = _read(tmp_path, b"\xef\xbb\xbfa,b\n1,2\n")
    assert grid.values.tolist() == [["a", "b"], ["1", "2"]]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_row_with_another_number_of_cells_is_named(delimiter, tmp_path):
    content = f"a{delimiter}b\n1{delimiter}2\n1{delimiter}2{delimiter}3\n4{delimiter}5\n"
    path, summary, problem = _refused(tmp_path, content.encode(), delimiter=delimiter)
    assert (
        summary
        == f"{path}: cannot be read as a csv export: its rows have different numbers of cells"
    )
    hint = (
        "; a tab-separated export is read as Google Sheets writes it, without quotes, so a cell "
        "cannot hold a tab or a line break (save such an export as CSV)"
        if delimiter == "\t"
        else ""
    )
    assert problem.expected == (
        f"2 cells, as in the first row, separated by {delimiter!r} (export.delimiter in the "
        f"codebook){hint}"
    )
    assert (problem.row, problem.value) == (3, "3 cells")


def test_an_unclosed_quote_is_named_with_its_row(tmp_path):
    path, summary, problem = _refused(tmp_path, b'a,b\n1,2\n3,"never\n5,6\n7,8\n')
    assert summary == (
        f"{path}: cannot be read as a csv export: a quoted cell opened in row 3 is never closed, "
        "so the rows after it would be read as part of that cell"
    )
    assert problem.expected == (
        "a closing quote for every opening one (a cell that starts with a quote is quoted: its "
        'quotes inside are doubled, ""); a tab-separated export (export.delimiter: a tab) is '
        "read without quotes"
    )
    assert (problem.row, problem.value) == (3, "a quote that is never closed")


def test_an_unclosed_quote_behind_a_stray_one_is_refused(tmp_path):
    """A quote inside an unquoted cell (row 2) makes the count of quotes even, so the quick
    count sees nothing open; the cell opened in row 3 still swallows row 4 to the end of the
    file, which is refused, not read as two rows. A closed last cell with a line break is read."""
    path, summary, problem = _refused(tmp_path, b'a,b\n1,x "y\n3,"4\n5,6\n')
    assert summary == (
        f"{path}: cannot be read as a csv export: a quoted cell opened in row 3 is never closed, "
        "so the rows after it would be read as part of that cell"
    )
    assert (problem.row, problem.value) == (3, "a quote that is never closed")
    _, grid = _read(tmp_path, b'a,b\n1,x "y\n3,"4\n5,6"\n')
    assert grid.to_numpy().tolist() == [["a", "b"], ["1", 'x "y'], ["3", "4\n5,6"]]


def test_quotes_in_csv_and_in_tab_separated_text(tmp_path):
    """In a CSV a quoted cell holds the delimiter, doubled quotes and line breaks; a quote
    inside an unquoted cell is text. Tab-separated text has no quoting at all."""
    _, grid = _read(tmp_path, b'a,b\n"1,5","say ""hi""\nthere"\n5" screen,x\n,\n')
    assert grid.iloc[:3].values.tolist() == [
        ["a", "b"], ["1,5", 'say "hi"\nthere'], ['5" screen', "x"],
    ]  # fmt: skip
    assert grid.iloc[3].isna().all()  # blank cells are missing
    _, grid = _read(tmp_path, b'a\tb\n"x\t"y,"\n', delimiter="\t")
    assert grid.values.tolist() == [["a", "b"], ['"x', '"y,"']]


def test_an_empty_file_is_an_empty_grid(tmp_path):
    _, grid = _read(tmp_path, b"")
    assert grid.shape == (0, 0)


def test_a_long_cell_is_refused_within_the_limits_given(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"a,b\n1,Strongly agree\n")
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=8, max_cells=100)
    with pytest.raises(InputError) as caught:
        containers.read_text(path, _spec(), limits=limits)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "column 2")
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=14, max_cells=100)
    assert containers.read_text(path, _spec(), limits=limits).iloc[1, 1] == "Strongly agree"


def test_an_unknown_extension_is_refused(tmp_path):
    path = tmp_path / "export.json"
    with pytest.raises(InputError) as caught:
        containers.read_grid(path, _spec(format="qualtrics"))
    assert caught.value.summary == f"{path}: a qualtrics export cannot be read from a .json file"
    [problem] = caught.value.problems
    assert problem.expected == (
        "a file ending in one of .csv, .tsv, .txt, .xlsx, .xlsm, .xls, .ods"
    )
    assert problem.value == "export.json"
    with pytest.raises(InputError, match="from a nameless file"):
        containers.read_grid(tmp_path / "export", _spec())


def test_trailing_blank_columns_are_dropped_inner_ones_kept(tmp_path):
    path = tmp_path / "export.CSV"
    path.write_bytes(b"a,,b,,\n1,,2,,\n")
    grid = containers.read_grid(path, _spec())
    assert grid.shape == (2, 3)
    assert grid[2].tolist() == ["b", "2"] and grid[1].isna().all()


def test_header_cells_as_text():
    assert containers.header(pd.Series(["a", None, 3])) == ["a", "", "3"]


def test_split_numbers_the_data_columns_and_rows_from_0(tmp_path):
    grid = pd.DataFrame({5: ["id", "r1", "r2"], 7: ["q", "x", "y"]})
    headers, data = containers.split(grid, 1, tmp_path / "e.csv")
    assert headers.values.tolist() == [["id", "q"]]
    assert data.columns.tolist() == [0, 1] and data.index.tolist() == [0, 1]
    assert data.values.tolist() == [["r1", "x"], ["r2", "y"]]


def test_cells_as_the_text_a_person_sees():
    text = containers.cells_as_text
    assert text(pd.Series([2.0, 2.5, None, -3.0, 2.0**53 - 1, 1e16]), "%Y").tolist()[:2] == [
        "2", "2.5",
    ]  # fmt: skip
    numbers = text(pd.Series([2.0, 2.5, None, -3.0, 2.0**53 - 1, 1e16]), "%Y")
    assert pd.isna(numbers.iloc[2])
    assert numbers.tolist()[3:] == ["-3", "9007199254740991", "1e+16"]
    assert text(pd.Series([1, 2, None], dtype=object), "%Y").tolist()[:2] == ["1", "2"]
    assert text(pd.Series([Decimal("2"), Decimal("2.5")]), "%Y").tolist() == ["2", "2.5"]
    when = dt.datetime(2024, 3, 1, 9, 5)
    assert text(pd.Series([when]), "%d/%m/%Y %H:%M").tolist() == ["01/03/2024 09:05"]
    assert text(pd.Series([dt.date(2024, 3, 1)]), "%d/%m/%Y").tolist() == ["01/03/2024"]
    mixed = text(pd.Series([True, 2.0, 2.5, "x", when, None, ""], dtype=object), "%d/%m/%Y")
    assert mixed.tolist()[:5] == ["True", "2", "2.5", "x", "01/03/2024"]
    assert mixed.isna().tolist()[5:] == [True, True]  # blank text is missing too
    strings = text(pd.Series(["a", "", None], dtype=object), "%Y")
    assert strings.iloc[0] == "a" and strings.iloc[1:].isna().all()
    assert strings.dtype == "str"


def test_timestamp_format_default():
    assert containers.timestamp_format(_spec()) == "%Y-%m-%d %H:%M:%S"
    assert containers.timestamp_format(_spec(timestamp_format="%d/%m/%Y")) == "%d/%m/%Y"


def _grid():
    header = [["id", "q"], ["Id", "Q, text"]]
    data = pd.DataFrame({0: ["r1", "r2", "r3"], 1: ['say "hi"', None, "a\nb"]})
    return header, data


@pytest.mark.parametrize(
    ("quoting", "expected"),
    [
        ("minimal", 'id,q\nId,"Q, text"\nr1,"say ""hi"""\nr2,\nr3,"a\nb"\n'),
        ("all", '"id","q"\n"Id","Q, text"\n"r1","say ""hi"""\n"r2",""\n"r3","a\nb"\n'),
        ("nonblank", '"id","q"\n"Id","Q, text"\n"r1","say ""hi"""\n"r2",\n"r3","a\nb"\n'),
    ],
)
def test_write_grid_quotes_as_asked(quoting, expected, tmp_path):
    path = containers.write_grid(*_grid(), tmp_path / "e.csv", quoting=quoting, eol="\n")
    assert path.read_bytes().decode("utf-8") == expected


def test_write_grid_in_chunks_with_one_byte_order_mark(tmp_path, monkeypatch):
    monkeypatch.setattr(containers, "ROWS_PER_WRITE", 2)
    header, data = _grid()
    path = containers.write_grid(
        header, data, tmp_path / "e.csv", delimiter=";", encoding="utf-8-sig"
    )
    assert path.read_bytes() == (
        b'\xef\xbb\xbfid;q\r\nId;Q, text\r\nr1;"say ""hi"""\r\nr2;\r\nr3;"a\nb"\r\n'
    )
    path = containers.write_grid(
        header, data, tmp_path / "e.tsv", delimiter="\t", encoding="cp1252"
    )
    assert path.read_bytes().split(b"\r\n")[:2] == [b"id\tq", b"Id\tQ, text"]


def test_write_grid_refuses_an_unknown_quoting(tmp_path):
    with pytest.raises(ValueError) as caught:
        containers.write_grid(*_grid(), tmp_path / "e.csv", quoting="some")
    assert str(caught.value) == "quoting 'some': one of ('minimal', 'all', 'nonblank')"


def test_write_grid_takes_categorical_and_chunked_columns(tmp_path):
    data = pd.DataFrame(
        {
            0: pd.Series(["x", None, "y"], dtype="category"),
            1: pd.Series(["1", "2", None], dtype="string[pyarrow]"),
        }
    )
    path = containers.write_grid([["a", "b"]], data, tmp_path / "e.csv", eol="\n")
    assert path.read_text(encoding="utf-8") == "a,b\nx,1\n,2\ny,\n"
    path = containers.write_grid([], data.iloc[:0], tmp_path / "empty.csv")
    assert path.read_bytes() == b""


def test_a_workbook_written_and_read_back(tmp_path):
    header, data = _grid()
    path = containers.write_grid(header, data, tmp_path / "e.xlsx")
    grid = containers.read_grid(path, _spec())
    assert grid.iloc[:3].values.tolist() == [["id", "q"], ["Id", "Q, text"], ["r1", 'say "hi"']]
    assert grid.iloc[3, 0] == "r2" and pd.isna(grid.iloc[3, 1])


def test_rows_are_counted_in_the_csv_dialect_in_every_refusal(tmp_path):
    """A quoted answer holding a line break is one row: the rows after it keep their numbers."""
    _, _, problem = _refused(tmp_path, b'a,b\n"x\ny",2\n\xff,3\n')
    assert (problem.row, problem.value) == (3, "bytes that are not utf-8")
    _, _, problem = _refused(tmp_path, b'a,b\n"x\ny",2\n1,2,3\n')
    assert (problem.row, problem.value) == (3, "3 cells")


@pytest.mark.parametrize(
    ("content", "delimiter"),
    [
        (b'a;b\n1;"never\n2;3\n', ";"),  # in the export's own delimiter
        (b'a,b\n1,"never \xff\n2,3\n', ","),  # bytes that are not UTF-8 after the quote
    ],
)
def test_an_unclosed_quote_in_any_dialect_or_encoding(content, delimiter, tmp_path):
    path, summary, problem = _refused(tmp_path, content, delimiter=delimiter)
    assert summary == (
        f"{path}: cannot be read as a csv export: a quoted cell opened in row 2 is never closed, "
        "so the rows after it would be read as part of that cell"
    )
    assert problem.row == 2


def test_a_file_that_is_no_workbook_is_refused(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputError) as caught:
        containers.read_grid(path, _spec())
    assert caught.value.summary == f"{path}: cannot be read as an Excel workbook"
    [problem] = caught.value.problems
    assert (problem.file, problem.expected, problem.value) == (
        str(path),
        "an .xlsx workbook with the export in its first sheet",
        "a file calamine cannot read (CalamineError)",
    )
