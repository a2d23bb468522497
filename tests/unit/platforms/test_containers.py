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
    """Counted as the dialect reads rows: a quoted cell closed before its end ("ab"c) is one
    cell of a CSV; a blank line is no row."""
    first = '"ab"c' if delimiter == "," else "\n1"
    content = f"a{delimiter}b\n{first}{delimiter}2\n1{delimiter}2{delimiter}3\n4{delimiter}5\n"
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


# --- Files that two readers could read two ways (issue 17) --------------------------------------
# Arrow parses a text export; Python's csv module, the independent reading, names the row of a
# refusal. Each refusal a researcher can meet, from a file of the kind that meets it.


def test_a_line_holding_only_a_quoted_blank_is_a_row_of_one_cell(tmp_path):
    """``""`` on a line of its own is one blank cell, for Arrow and for Python's csv module (a
    blank line is none): in a two-column export that row is named by its number of cells; in a
    one-column export it is a blank answer, read even behind a quote inside an unquoted cell
    (which makes the quick count of records differ from the reader's)."""
    path, summary, problem = _refused(tmp_path, b'a,b\n1,2\n""\n3,4\n')
    assert (
        summary
        == f"{path}: cannot be read as a csv export: its rows have different numbers of cells"
    )
    assert (problem.row, problem.value) == (3, "1 cells")
    _, grid = _read(tmp_path, b'q1\n5" screen\n""\n4\n')
    assert grid.astype(object).where(grid.notna(), None).values.tolist() == [
        ["q1"], ['5" screen'], [None], ["4"],
    ]  # fmt: skip
    path, _, problem = _refused(tmp_path, b'a,b\n1,x"y\n"')  # a last lone quote: one cell
    assert (problem.row, problem.value) == (3, "1 cells")


LONG = 140_000  # characters of an answer longer than Python's csv reader takes by default


@pytest.fixture
def csv_default_limit():
    """Python's csv module at its default cell limit (131,072), as a fresh job has it."""
    import csv

    before = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(before)


@pytest.mark.usefixtures("csv_default_limit")
def test_an_answer_longer_than_the_csv_modules_default_is_named_as_too_long(tmp_path):
    """Python's csv module stops at a cell of more than 131,072 characters; the independent
    readings make room for it, so a long answer is named as one (not as a quote never closed,
    nor a traceback) and a ragged row behind it or beside a long header is named by row."""
    long = b"w" * LONG
    path, summary, problem = _refused(tmp_path, b'a,b\n1,5" screen\n2,' + long + b"\n")
    assert summary == f"{path}: has a cell longer than an export's may be"
    assert (problem.row, problem.column, problem.value) == (3, "column 2", "140,000 characters")
    _, summary, problem = _refused(tmp_path, b"a,b\n1," + long + b"\n1,2,3\n")
    assert summary.endswith("its rows have different numbers of cells")
    assert (problem.row, problem.value) == (3, "3 cells")
    _, _, problem = _refused(tmp_path, b"a" + long + b",b\n1,2,3\n")
    assert (problem.row, problem.value, problem.expected[:8]) == (2, "3 cells", "2 cells,")
    _, summary, problem = _refused(tmp_path, b'a,b\n1,5" screen\n2,"' + long + b"\n3,4\n")
    assert "a quoted cell opened in row 3 is never closed" in summary


def _spanning(last: bytes, width: int = 400_000) -> bytes:
    """A CSV whose second row's quoted answer spans three lines of ``width`` characters, opened
    and closed behind quotes inside unquoted cells (``x"y``, ``z"w``): every line break sits
    behind an even number of quotes, so the quick count sees no quoted line break, and Arrow,
    told that no record spans lines, cuts its blocks (1 MB) inside the answer."""
    return b'a,b,c\nx"y,"' + b"p" * width + b"\n" + b"q" * width + b"\n" + b"r" * width + last


def test_rows_that_two_readers_read_differently_are_refused_not_read(tmp_path):
    """Arrow reads the answer cut short and the rest as another row of three cells, two rows as
    Python's csv module does but not the same: the check of the rows refuses the file, naming
    the row (a valid file refused, not misread: reading it needs Arrow told of the line breaks)."""
    path, summary, problem = _refused(tmp_path, _spanning(b',s",z"w\n'))
    assert summary == (
        f"{path}: the csv export's records are not read alike by two readers (2 rows by one, 2 "
        "by the other): nothing was ingested"
    )
    assert problem.expected == (
        "rows that every CSV reader reads alike (look at the quotes and line breaks of this row "
        "in a text editor; export.delimiter in the codebook)"
    )
    assert (problem.row, problem.value) == (2, "a row read two ways")


def test_a_file_arrow_cannot_parse_whose_rows_python_reads_whole(tmp_path):
    """Arrow fails on the cut answer (a row of two cells), while every row Python's csv module
    reads has the header's three: no row to name, the file and its dialect are."""
    path, summary, problem = _refused(tmp_path, _spanning(b'",z"w\n'))
    assert summary == f"{path}: cannot be read as a csv export"
    assert problem.expected == (
        "a text file in utf-8 with columns separated by ',' (export.encoding and "
        "export.delimiter in the codebook)"
    )
    assert (problem.row, problem.value) == (None, "a file the CSV reader cannot parse")


def test_check_rows_names_the_first_row_read_differently(tmp_path):
    """Called on a grid another reader made: the first row whose cells differ, or the row after
    the shorter reading where one reading stops; rows read alike pass (blank as missing)."""
    path = tmp_path / "e.csv"
    data = b"a,b\n1,\n3,4\n"
    check = containers._check_rows
    alike = pd.DataFrame([["a", "b"], ["1", None], ["3", "4"]], dtype="str")
    assert check(path, _spec(), "csv export", data, alike, True) is None
    for grid, row in ((alike.iloc[:2], 3), (alike.replace("3", "x"), 3), (alike[[1, 0]], 1)):
        with pytest.raises(InputError) as caught:
            check(path, _spec(), "csv export", data, grid, True)
        assert caught.value.problems[0].row == row
        assert f"({len(grid)} rows by one, 3 by the other)" in caught.value.summary


# --- Workbooks whose sheet XML a reader takes another way -----------------------------------


def _workbook(tmp_path, rows, replace: tuple[str, str] | None = None):
    """An .xlsx of these rows (openpyxl: inline strings, every row and cell addressed), with one
    piece of its sheet's XML replaced, as a broken or unusual writer leaves it."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    written = tmp_path / "written.xlsx"
    book.save(written)
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if replace and item.filename == "xl/worksheets/sheet1.xml":
                assert data.count(replace[0].encode()) == 1
                data = data.replace(replace[0].encode(), replace[1].encode())
            target.writestr(item, data)
    return path


def _workbook_refused(path):
    with pytest.raises(InputError) as caught:
        containers.read_grid(path, _spec())
    [problem] = caught.value.problems
    assert problem.file == str(path)
    assert problem.expected == (
        "every row of the first sheet read (open and save the workbook in a spreadsheet, or "
        "export it as CSV)"
    )
    assert problem.value == "a row read differently"
    return caught.value.summary, problem.row


ROWS = [["id", "q"], ["r1", "x"], [None, None], ["r3", "y"]]


def test_a_workbook_read_as_its_xml_holds(tmp_path):
    """The rows with values that calamine returns are those the sheet's XML holds (the blank
    row 3 has neither; a blank cell without an address is counted in its row)."""
    for replace in (None, ('<c r="B4" t="inlineStr">', '<c t="inlineStr">')):
        grid = containers.read_grid(_workbook(tmp_path, ROWS, replace), _spec())
        assert grid.astype(object).where(grid.notna(), None).values.tolist() == ROWS


def test_a_row_whose_only_value_is_an_empty_text_is_refused(tmp_path):
    """An inline string holding nothing is a value in the sheet's XML but a blank cell read:
    the rows differ from row 3; in the last row, that row is named, not the count's next."""
    empty = '<row r="3"><c r="A3" t="inlineStr"><is><t></t></is></c></row>'
    path = _workbook(tmp_path, ROWS, ('<row r="3"></row>', empty))
    summary, row = _workbook_refused(path)
    assert summary == (
        f"{path}: the workbook's reader returned 3 rows with values, its first sheet holds 4, "
        "and they differ from row 3: nothing was ingested"
    )
    assert row == 3
    rows = [*ROWS, [None], ["", "z"]]
    path = _workbook(tmp_path, rows, ("<is><t>z</t></is>", "<is><t></t></is>"))
    assert _workbook_refused(path) == (
        f"{path}: the workbook's reader returned 3 rows with values, its first sheet holds 4, "
        "and they differ from row 6: nothing was ingested",
        6,
    )


def test_a_sheet_whose_row_numbers_contradict_its_cells_is_refused(tmp_path):
    """A row element numbered 3 holding cells addressed A4 and B4 (a broken writer): the XML
    holds values in rows 1, 2 and 3, calamine returns them in 1, 2 and 4."""
    path = _workbook(tmp_path, ROWS, ('<row r="4">', '<row r="3">'))
    assert _workbook_refused(path) == (
        f"{path}: the workbook's reader returned 3 rows with values, its first sheet holds 3, "
        "and they differ from row 3: nothing was ingested",
        3,
    )
    full = [["id", "q"], ["r1", "x"], ["r2", "y"], ["r3", "z"]]  # two row elements numbered 3
    path = _workbook(tmp_path, full, ('<row r="4">', '<row r="3">'))
    assert _workbook_refused(path) == (
        f"{path}: the workbook's reader returned 4 rows with values, its first sheet holds 3, "
        "and they differ from row 4: nothing was ingested",
        4,
    )


# --- Text exports as researchers' tools write them (issue 17) -----------------------------------


def _cells(grid):
    return grid.astype(object).where(grid.notna(), None).values.tolist()


def test_an_export_in_another_encoding_is_read_and_its_bad_bytes_named(tmp_path):
    """cp1252 (Excel's "CSV" on Windows) is transcoded once; a byte cp1252 leaves undefined is
    named by its row, counted in the CSV dialect (the quoted line break keeps rows apart)."""
    _, grid = _read(tmp_path, "a,b\ncafé,2\n".encode("cp1252"), encoding="cp1252")
    assert _cells(grid) == [["a", "b"], ["café", "2"]]
    path, summary, problem = _refused(tmp_path, b'a,b\n"x\ny",2\n\x81,3\n', encoding="cp1252")
    assert summary == f"{path}: cannot be read as a csv export: it is not text in cp1252"
    assert (problem.row, problem.value) == (3, "bytes that are not cp1252")


def test_a_nul_byte_is_named_by_its_row_in_the_csv_dialect(tmp_path):
    path, summary, problem = _refused(tmp_path, b'a,b\n"x\ny",2\n\x00,3\n')
    assert summary.startswith(f"{path}: holds a NUL byte, which no text export does")
    assert (problem.row, problem.value) == (3, "a NUL byte")


def test_a_quote_closed_before_its_cell_ends_is_read_as_csv_readers_do(tmp_path):
    """``"ab"c`` is ``abc`` for Arrow and for Python's csv module alike, with or without a
    quoted line break elsewhere: not a quote left open."""
    _, grid = _read(tmp_path, b'a,b\n"ab"c,d\n')
    assert _cells(grid) == [["a", "b"], ["abc", "d"]]
    _, grid = _read(tmp_path, b'a,b\n"x\ny","ab"c\n')
    assert _cells(grid) == [["a", "b"], ["x\ny", "abc"]]


@pytest.mark.parametrize(
    "content",
    [
        b'a,b,c\n1,2,x "y\n3,4,"5\n6,7,8\n',  # the open cell is the last of three columns
        b'a,b\r1,x "y\r3,"4\r5,6\r',  # lines ended by carriage returns alone (classic Mac)
    ],
)
def test_an_open_quote_behind_a_stray_one_in_any_layout_is_refused(content, tmp_path):
    path, summary, problem = _refused(tmp_path, content)
    assert summary == (
        f"{path}: cannot be read as a csv export: a quoted cell opened in row 3 is never closed, "
        "so the rows after it would be read as part of that cell"
    )
    assert problem.row == 3


def test_windows_line_ends_inside_a_quoted_answer_are_kept(tmp_path):
    """CR LF inside a quoted answer stays CR LF for both readers (a stray quote makes them
    compare their rows)."""
    _, grid = _read(tmp_path, 'a,b\r\n"x\r\ny",5" écran\r\n1,2\r\n'.encode())
    assert _cells(grid) == [["a", "b"], ["x\r\ny", '5" écran'], ["1", "2"]]


def test_texts_that_look_like_missing_values_are_answers(tmp_path):
    """NA, N/A, null and NaN are texts a respondent or a platform wrote (Arrow's reader would
    take them for missing values); only empty cells, quoted or not, are missing; every column
    is text (pandas' str)."""
    _, grid = _read(tmp_path, b'a,b,c,d\nNA,N/A,null,NaN\n"",2,,""\n')
    assert _cells(grid) == [["a", "b", "c", "d"], ["NA", "N/A", "null", "NaN"],
                            [None, "2", None, None]]  # fmt: skip
    assert [str(dtype) for dtype in grid.dtypes] == ["str"] * 4


def test_quoted_answers_over_lines_are_read_across_the_readers_blocks(tmp_path):
    """More than a megabyte of answers that each span two lines: Arrow reads in blocks of about
    a megabyte, and is told that records span lines, so no answer is cut at a block's end."""
    rows = b"".join(b'%d,"first line\nsecond line"\n' % i for i in range(40_000))
    _, grid = _read(tmp_path, b"id,comment\n" + rows)
    assert grid.shape == (40_001, 2)
    assert (grid.iloc[1:, 1] == "first line\nsecond line").all()
    assert grid.iloc[-1, 0] == "39999"


def test_ends_in_a_quoted_break_of_a_grid_without_rows():
    assert containers._ends_in_a_quoted_break(pd.DataFrame(columns=[0, 1])) is False
    assert containers._ends_in_a_quoted_break(pd.DataFrame()) is False


def test_an_unknown_extension_names_the_file(tmp_path):
    with pytest.raises(InputError) as caught:
        containers.read_grid(tmp_path / "export.json", _spec())
    assert caught.value.problems[0].file == str(tmp_path / "export.json")


def test_one_trailing_blank_column_and_a_grid_of_blanks(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"a,b,\n1,2,\n")
    assert _cells(containers.read_grid(path, _spec())) == [["a", "b"], ["1", "2"]]
    path.write_bytes(b",,\n,,\n")
    assert containers.read_grid(path, _spec()).shape == (2, 0)


def test_split_refuses_fewer_rows_than_the_header_rows(tmp_path):
    grid = pd.DataFrame({0: ["id", "Id"], 1: ["q", "Q"]})
    headers, data = containers.split(grid, 2, tmp_path / "e.csv")
    assert headers.values.tolist() == [["id", "q"], ["Id", "Q"]] and data.shape == (0, 2)
    with pytest.raises(InputError) as caught:
        containers.split(grid, 3, tmp_path / "e.csv")
    assert caught.value.summary == (
        f"{tmp_path / 'e.csv'}: the file has fewer rows than the export's 3 header row(s)"
    )
    [problem] = caught.value.problems
    assert (problem.file, problem.expected, problem.value) == (
        str(tmp_path / "e.csv"), "3 header row(s)", "2 row(s)",
    )  # fmt: skip


def test_cells_as_text_keep_their_index_and_missing_values():
    import numpy as np

    text = containers.cells_as_text
    words = text(pd.Series(["a", np.nan, "b"], index=[5, 7, 9], dtype=object), "%Y")
    assert words.index.tolist() == [5, 7, 9] and words.isna().tolist() == [False, True, False]
    assert words[9] == "b"
    numbers = text(pd.Series([1.0, 2.5], index=[5, 7]), "%Y")
    assert numbers.to_dict() == {5: "1", 7: "2.5"}
    # numbers as a spreadsheet shows them: no trailing zeros; a float from 2**53 on (where not
    # every whole number is a float) as a float, also among whole numbers of a mixed column
    assert text(pd.Series([Decimal("2.50"), Decimal("3")]), "%Y").tolist() == ["2.5", "3"]
    assert text(pd.Series([1, 1e16], dtype=object), "%Y").tolist() == ["1", "1e+16"]
    assert text(pd.Series([2.0**53]), "%Y").tolist() == ["9.007199254740992e+15"]


def test_write_grid_columns_quoting_and_header_rows(tmp_path):
    """An Arrow-backed column made by concatenation (several chunks) is written whole; a cell
    is quoted only for a delimiter, quote or line break (not for an X); header rows of
    different lengths are a writer's bug, refused; no columns write nothing."""
    joined = pd.concat([pd.Series(["x", None], dtype="str"), pd.Series(["XL"], dtype="str")])
    data = pd.DataFrame({0: joined.reset_index(drop=True), 1: ["1", "2", "3"]})
    path = containers.write_grid([["a", "b"]], data, tmp_path / "e.csv", eol="\n")
    assert path.read_text(encoding="utf-8") == "a,b\nx,1\n,2\nXL,3\n"
    with pytest.raises(ValueError):
        containers.write_grid([["a", "b"], ["A"]], data, tmp_path / "e.csv")
    path = containers.write_grid([[]], pd.DataFrame(index=range(2)), tmp_path / "none.csv")
    assert path.read_bytes() == b""


def test_write_grid_writes_nan_in_a_text_column_as_blank(tmp_path):
    import numpy as np

    data = pd.DataFrame({0: pd.Series(["x", np.nan], dtype=object)})
    path = containers.write_grid([["a"]], data, tmp_path / "e.csv", eol="\n")
    assert path.read_text(encoding="utf-8") == "a\nx\n\n"


def _book(path, rows):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_sheet_that_starts_below_and_right_of_a1_and_an_empty_sheet(tmp_path):
    """The export from B4 (blank rows and a column before it, as a hand-made sheet has them):
    its rows held to the XML's rows 4 and 5, dates in the codebook's timestamp format; a sheet
    with nothing in it is an empty grid."""
    when = dt.datetime(2024, 3, 1, 9, 5)
    rows = [[None], [None], [None], [None, "id", "q"], [None, "r1", when]]
    path = _book(tmp_path / "export.xlsx", rows)
    grid = containers.read_grid(path, _spec(timestamp_format="%d/%m/%Y %H:%M"))
    assert _cells(grid) == [["id", "q"], ["r1", "01/03/2024 09:05"]]
    assert containers.read_grid(_book(tmp_path / "empty.xlsx", []), _spec()).shape == (0, 0)


def test_an_xlsm_is_held_to_its_xml_as_an_xlsx_is(tmp_path):
    empty = '<row r="3"><c r="A3" t="inlineStr"><is><t></t></is></c></row>'
    written = _workbook(tmp_path, ROWS, ('<row r="3"></row>', empty))
    path = written.rename(tmp_path / "export.xlsm")
    assert _workbook_refused(path)[1] == 3


def test_a_long_cell_of_a_workbook_is_named_with_its_file(tmp_path):
    path = _book(tmp_path / "export.xlsx", [["id", "q"], ["r1", "x" * 11]])
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=10, max_cells=100)
    with pytest.raises(InputError) as caught:
        containers.read_grid(path, _spec(), limits=limits)
    assert caught.value.summary == f"{path}: has a cell longer than an export's may be"
    assert caught.value.problems[0].row == 2


def test_a_tsv_whose_header_is_not_text_is_named(tmp_path):
    path, summary, problem = _refused(tmp_path, b"a\xff\tb\n1\t2\n", delimiter="\t")
    assert summary == f"{path}: cannot be read as a csv export: it is not text in utf-8"
    assert (problem.row, problem.value) == (1, "bytes that are not utf-8")


def test_a_tsv_with_a_tab_at_the_end_of_every_line(tmp_path):
    """A last column without a name or answers (a tab ending each line, as a legacy export
    writes it) is one more cell of every row, dropped as a trailing blank column."""
    path = tmp_path / "export.tsv"
    path.write_bytes(b"a\tb\t\n1\t2\t\n")
    assert _cells(containers.read_grid(path, _spec(delimiter="\t"))) == [["a", "b"], ["1", "2"]]
