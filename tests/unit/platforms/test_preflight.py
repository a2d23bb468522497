"""Broken and hostile export files (likertflow.platforms.preflight and the readers): a TSV read
as TSV, every reader's rows held to an independent count, limits checked before a reader
allocates, no message quoting a file that may not be an export, nothing read half-written."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.errors import InputError
from likertflow.ingest import ingest, ingest_export
from likertflow.platforms import containers, preflight, read_table
from likertflow.platforms.preflight import check_workbook, scan_text, schema_limits
from support import exportkit

PATIENTS = exportkit.questionnaire("patients")
COMMENT = "Any other comments?"
SECRET = "TOP-SECRET-LINE-Zq8Xw4"


def responses(n: int = 4) -> pd.DataFrame:
    """A valid patients export of ``n`` responses with a free-text column the codebook does not
    analyse (dropped at ingest)."""
    export = exportkit.export_frame(PATIENTS, exportkit.random_answers(PATIENTS, n, seed=5))
    export[COMMENT] = "fine"
    return export


def tsv_as_google_writes_it(path: Path, export: pd.DataFrame) -> Path:
    """Google Sheets' TSV: cells joined by tabs as they are, no quoting at all."""
    lines = ["\t".join(export.columns)]
    lines += ["\t".join("" if pd.isna(cell) else cell for cell in row) for row in export.to_numpy()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def xlsx(path: Path, export: pd.DataFrame) -> Path:
    """An export frame as the first sheet of a workbook (header row, then the data)."""
    data = pd.DataFrame({i: export.iloc[:, i] for i in range(export.shape[1])})
    return containers.write_grid([list(export.columns)], data, path)


def questionnaire_reading(delimiter: str):
    return dataclasses.replace(
        PATIENTS, export=dataclasses.replace(PATIENTS.export, delimiter=delimiter)
    )


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# --- TSV read as TSV ------------------------------------------------------------------------


def test_a_google_sheets_tsv_cell_starting_with_a_quote_swallows_nothing(tmp_path):
    """A 4-response export whose free text starts with a quote: 4 responses ingested (read with
    CSV's quote rules, the quote swallowed the cells and rows after it: 2 were)."""
    export = responses(4)
    export.loc[1, COMMENT] = '"Quoted, he said. It starts here'
    export.loc[2, COMMENT] = 'and "ends" here'
    path = tsv_as_google_writes_it(tmp_path / "week1.tsv", export)
    coded = ingest_export(path, questionnaire_reading("\t"), "week1")
    assert coded["response_id"].tolist() == export["Response ID"].tolist()


def test_a_tsv_row_with_a_line_break_in_a_cell_is_named(tmp_path):
    """A line break in the last cell of row 4 (no TSV can hold one): row 5, the rest of that
    cell, is the first row with too few cells."""
    export = responses(4)
    export.loc[2, COMMENT] = "two\nlines"
    path = tsv_as_google_writes_it(tmp_path / "week1.tsv", export)
    message = refused(ingest_export, path, questionnaire_reading("\t"), "week1")
    assert "row 5: found '1 cells'" in message and "without quotes" in message


def test_an_unclosed_quote_in_a_csv_stops_ingest_naming_its_row(tmp_path):
    """CSV's own silent loss: a quoted cell never closed swallows every row after it."""
    export = responses(5)
    path = tmp_path / "week1.csv"
    exportkit.write_export(path, export)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ',"an answer that never ends'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(ingest_export, path, PATIENTS, "week1")
    assert "row 3" in message and "never closed" in message


def test_a_quote_inside_an_unquoted_cell_is_text(tmp_path):
    """``5" screen`` written as it is (no quoting): the quote opens nothing."""
    path = exportkit.write_export(tmp_path / "week1.csv", responses(4))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].removesuffix(',"fine"') + ',a 5" screen'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(ingest_export(path, PATIENTS, "week1")) == 4


@pytest.mark.parametrize(
    ("data", "quoting", "records"),
    [
        (b"a,b\n1,2\n", True, 2),
        (b"a,b\r\n1,2\r\n\r\n3,4", True, 3),
        (b'a,b\n"x\ny",2\n3,4\n', True, 3),
        (b'a,b\n"x\r\ny",2\r3,4\r\n', True, 3),
        (b'a\tb\n"x\ty\n3\t4\n', False, 3),
        (b"\n\n\na\n\n", True, 1),
        (b"", True, 0),
    ],
)
def test_records_are_counted_in_the_files_own_dialect(data, quoting, records):
    assert scan_text(data, quoting).records == records


def test_the_count_agrees_across_chunk_boundaries(monkeypatch):
    """Records straddling the chunks of the scan (CR LF split, quoted line breaks)."""
    rng = np.random.default_rng(3)
    pieces = [b"a,b", b"\r\n", b"\n", b'"q\r\nq"', b"x", b",", b"\r", b'""']
    data = b"".join(rng.choice(pieces, 400))
    full = scan_text(data, True)
    monkeypatch.setattr(preflight, "CHUNK", 7)
    assert scan_text(data, True) == full


def test_a_reader_returning_fewer_rows_than_the_file_holds_stops_ingest(tmp_path, monkeypatch):
    path = exportkit.write_export(tmp_path / "week1.csv", responses(6))
    parse = containers._parse_text

    def losing_a_row(*args):
        return parse(*args).drop(index=4).reset_index(drop=True)

    monkeypatch.setattr(containers, "_parse_text", losing_a_row)
    message = refused(ingest_export, path, PATIENTS, "week1")
    assert "row 5" in message and "nothing was ingested" in message


def test_a_workbook_reader_returning_fewer_rows_stops_ingest(tmp_path, monkeypatch):
    from python_calamine import CalamineWorkbook

    path = tmp_path / "week1.xlsx"
    containers.write_grid(
        [list(responses(5).columns)], responses(5).T.reset_index(drop=True).T, path
    )
    original = CalamineWorkbook.from_path

    class Losing:
        def __init__(self, path):
            self.sheet = original(path).get_sheet_by_index(0)

        def get_sheet_by_index(self, index):
            return self

        start = property(lambda self: self.sheet.start)

        def to_python(self):
            return self.sheet.to_python()[:-1]

    monkeypatch.setattr(CalamineWorkbook, "from_path", Losing)
    q = dataclasses.replace(PATIENTS, export=dataclasses.replace(PATIENTS.export, format="excel"))
    message = refused(ingest_export, path, q, "week1")
    assert "row 6" in message and "nothing was ingested" in message


# --- Limits checked before a reader allocates ---------------------------------------------------

WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def workbook(path: Path, rows: str) -> Path:
    """A minimal .xlsx whose first sheet's sheetData holds ``rows`` (XML)."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><sheetData>{rows}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in {**WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            book.writestr(name, text)
    return path



def read_parts(path: Path) -> dict[str, bytes]:
    """A workbook's parts by name, to edit and write back with ``write_parts``."""
    with zipfile.ZipFile(path) as book:
        return {item.filename: book.read(item) for item in book.infolist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)


BOMB = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
)


def test_a_1_kb_workbook_spanning_a_whole_sheet_is_refused_not_aborted(tmp_path):
    """Cells A1 and XFD1048576: calamine would allocate 512 GiB and abort the process
    (SIGABRT, a native backtrace). Run in a child process with its memory capped, so that a
    reader that does allocate fails there, not here."""
    path = workbook(tmp_path / "week1.xlsx", BOMB)
    assert path.stat().st_size < 1500
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
        f"sys.path[:0] = [{str(REPO / 'workflow' / 'scripts')!r}]\n"
        "from likertflow.codebook import parse_export\n"
        "from likertflow.schemas import export_defaults\n"
        "from likertflow.errors import InputError\n"
        "from likertflow.platforms import read_table\n"
        "try:\n"
        "    read_table(sys.argv[1], parse_export({**export_defaults(), 'format': 'excel'}))\n"
        "except InputError as error:\n"
        "    print(error); sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3, (result.returncode, result.stderr[-2000:])
    assert "row 1048576, column 'XFD'" in result.stdout
    assert "ingest.max_cells" in result.stdout


@pytest.mark.parametrize(
    ("rows", "extent"),
    [
        (BOMB, (1048576, 16384)),
        # a declared dimension and a styled empty far cell allocate nothing
        ('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row>', (1, 1)),
        ('<row r="2"><c r="C2"><v></v></c><c r="B2"><v>1</v></c></row>', (2, 2)),
        # cells and rows without addresses count on
        ("<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>", (2, 2)),
        # a namespace prefix
        ('<x:row r="3"><x:c r="D3"><x:v>1</x:v></x:c></x:row>', (3, 4)),
    ],
)
def test_a_sheets_grid_is_measured_from_its_cells(tmp_path, rows, extent, monkeypatch):
    """Exactly, counting cells that hold values (as calamine allocates); the quick scan, which
    counts every address, never less (it decides alone when within the limit)."""
    path = workbook(tmp_path / "week1.xlsx", rows)
    limits = dataclasses.replace(schema_limits(), max_cells=10**12)
    scans = []
    for chunk in (preflight.CHUNK, 5):  # 5: every tag split across reads
        monkeypatch.setattr(preflight, "CHUNK", chunk)
        with zipfile.ZipFile(path) as book:
            exact = preflight._scan_xlsx(book, path, limits, precise=True)
            quick = preflight._scan_xlsx(book, path, limits)
        assert (exact.rows, exact.columns) == extent
        assert quick.rows >= exact.rows and quick.columns >= exact.columns
        assert quick.value_rows == exact.value_rows
        scans.append((exact, quick))
    assert scans[0] == scans[1]
    tight = dataclasses.replace(limits, max_cells=extent[0] * extent[1])
    assert (check_workbook(path, tight).rows, check_workbook(path, tight).columns) == extent


def test_the_sheet_scan_finds_the_rows_calamine_reads(tmp_path):
    """A workbook written as the fixtures are (openpyxl) with blank cells and rows: the scan's
    rows holding values are those calamine returns."""
    export = responses(30)
    export.iloc[::4, 3:] = None
    path = containers.write_grid(
        [list(export.columns)], export.T.reset_index(drop=True).T, tmp_path / "a.xlsx"
    )
    grid = containers.read_grid(path, PATIENTS.export)
    scan = check_workbook(path, schema_limits())
    assert scan.value_rows == tuple(range(1, len(grid) + 1))


def test_an_ods_spanning_a_whole_sheet_is_refused(tmp_path):
    content = (
        '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
        'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:'
        'table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="S"><table:table-row '
        'table:number-rows-repeated="1048576"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    path = tmp_path / "week1.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
    message = refused(check_workbook, path, schema_limits())
    assert "1,048,576 rows x 16,384 columns" in message


def test_a_workbook_part_that_unpacks_too_large_is_refused(tmp_path):
    path = workbook(tmp_path / "week1.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>' * 5000)
    limits = dataclasses.replace(schema_limits(), max_file_mb=0.05)
    message = refused(check_workbook, path, limits)
    assert "unpacked" in message and "ingest.max_file_mb" in message


def test_an_spss_file_declaring_more_cells_than_the_limit_is_refused(tmp_path):
    from support import platformkit

    export = exportkit.export_frame(PATIENTS, exportkit.random_answers(PATIENTS, 20, seed=1))
    path = platformkit.write(platformkit.LAYOUTS["spss"](PATIENTS, export), tmp_path / "w.sav")
    limits = dataclasses.replace(schema_limits(), max_cells=100)
    message = refused(read_table, path, PATIENTS.export, limits)
    assert "20 cases" in message and "ingest.max_cells" in message


@pytest.mark.parametrize("size", [5 * 2**20, 60 * 2**20])
def test_a_huge_cell_is_refused_naming_its_row_and_the_limit(tmp_path, size):
    """A 5 MB and a 60 MB answer (the record limit is 4 MiB): its row and the limit, not a
    parser's hint about the encoding."""
    export = responses(4)
    export.loc[2, COMMENT] = "x" * size
    path = exportkit.write_export(tmp_path / "week1.csv", export)
    message = refused(ingest_export, path, PATIENTS, "week1")
    assert "row 4" in message and "ingest.max_line_bytes" in message
    assert "utf-8" not in message


def test_a_cell_longer_than_a_spreadsheet_holds_is_refused_naming_row_and_column(tmp_path):
    export = responses(4)
    export.loc[1, COMMENT] = "y" * 40_000
    path = exportkit.write_export(tmp_path / "week1.csv", export)
    message = refused(ingest_export, path, PATIENTS, "week1")
    column = list(export.columns).index(COMMENT) + 1
    assert f"row 3, column 'column {column}'" in message
    assert "40,000 characters" in message and "ingest.max_cell_characters" in message


def test_a_nul_byte_is_refused_naming_its_row(tmp_path):
    path = exportkit.write_export(tmp_path / "week1.csv", responses(4))
    data = path.read_bytes().splitlines(keepends=True)
    data[3] = data[3].replace(b",", b",\x00", 1)
    path.write_bytes(b"".join(data))
    message = refused(ingest_export, path, PATIENTS, "week1")
    assert "NUL" in message and "row 4" in message


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path):
    path = exportkit.write_export(tmp_path / "week1.csv", responses(40))
    limits = dataclasses.replace(schema_limits(), max_file_mb=0.001)
    message = refused(ingest, path, PATIENTS, "week1", limits)
    assert "ingest.max_file_mb" in message


# --- Links, special files, and messages that never quote a file that may not be an export ------


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "elsewhere" / "private.txt"
    path.parent.mkdir()
    path.write_text(f"{SECRET},b,c\n{SECRET} on its second line\n", encoding="utf-8")
    return path


def test_a_link_to_a_file_outside_the_project_is_refused_unread(tmp_path, secret, caplog,
                                                                 monkeypatch):  # fmt: skip
    project = tmp_path / "project"
    raw = project / "resources" / "raw" / "patients"
    raw.mkdir(parents=True)
    (raw / "week1.csv").symlink_to(secret)
    monkeypatch.chdir(project)
    with caplog.at_level(logging.INFO):
        message = refused(ingest_export, Path("resources/raw/patients/week1.csv"), PATIENTS, "w")
    assert "symbolic link" in message
    assert SECRET not in message + caplog.text


def test_a_link_inside_the_project_is_followed(tmp_path, monkeypatch):
    raw = tmp_path / "resources" / "raw" / "patients"
    export = exportkit.write_export(tmp_path / "kept" / "week1.csv", responses(4))
    raw.mkdir(parents=True)
    (raw / "week1.csv").symlink_to(export)
    monkeypatch.chdir(tmp_path)
    assert len(ingest_export(Path("resources/raw/patients/week1.csv"), PATIENTS, "w")) == 4


def test_a_file_that_is_no_export_is_never_quoted(tmp_path, secret, caplog):
    """A private file saved under an export's name: whatever fails, neither the message nor the
    log quotes it (its rows differ in length, then its header names no codebook column)."""
    path = tmp_path / "week1.csv"
    path.write_bytes(secret.read_bytes())
    with caplog.at_level(logging.INFO):
        message = refused(ingest_export, path, PATIENTS, "week1")
    assert SECRET not in message + caplog.text
    path.write_text(f"{SECRET},b,c\n1,2,3\n", encoding="utf-8")
    with caplog.at_level(logging.INFO):
        message = refused(ingest_export, path, PATIENTS, "week1")
    assert SECRET not in message + caplog.text


def test_a_fifo_is_refused_instead_of_read_forever(tmp_path):
    path = tmp_path / "week1.csv"
    os.mkfifo(path)
    script = (
        f"import sys; sys.path[:0] = [{str(REPO / 'workflow' / 'scripts')!r}]\n"
        "from likertflow.codebook import parse_export\n"
        "from likertflow.schemas import export_defaults\n"
        "from likertflow.errors import InputError\n"
        "from likertflow.platforms import read_table\n"
        "try:\n"
        "    read_table(sys.argv[1], parse_export({**export_defaults(), 'format': 'csv'}))\n"
        "except InputError as error:\n"
        "    print(error); sys.exit(3)\n"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.fail("reading a FIFO hung")
    assert result.returncode == 3 and "not a regular file" in result.stdout


# --- Nothing half-written -------------------------------------------------------------------


def test_an_export_written_to_while_it_is_read_fails_naming_it(tmp_path, monkeypatch):
    """The export grows while it is read (a platform still writing it): 18 of 80 rows were
    ingested without a warning; now the job fails."""
    path = exportkit.write_export(tmp_path / "week1.csv", responses(18))
    more = exportkit.export_frame(PATIENTS, exportkit.random_answers(PATIENTS, 62, seed=9))
    import likertflow.ingest as ingest_module

    read = ingest_module.read_export

    def still_being_written(*args, **kwargs):
        export = read(*args, **kwargs)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(more.iloc[:, :3].to_csv(header=False, index=False))
        return export

    monkeypatch.setattr(ingest_module, "read_export", still_being_written)
    message = refused(ingest, path, PATIENTS, "week1")
    assert str(path) in message and "changed while it was read" in message


def test_an_export_replaced_by_one_of_the_same_size_and_time_fails(tmp_path, monkeypatch):
    path = exportkit.write_export(tmp_path / "week1.csv", responses(6))
    import likertflow.ingest as ingest_module

    read = ingest_module.read_export
    status = path.stat()

    def rewritten(*args, **kwargs):
        export = read(*args, **kwargs)
        data = bytearray(path.read_bytes())
        data[-3] = ord("Z") if data[-3] != ord("Z") else ord("Y")
        path.write_bytes(bytes(data))
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
        return export

    monkeypatch.setattr(ingest_module, "read_export", rewritten)
    assert "changed while it was read" in refused(ingest, path, PATIENTS, "week1")


def test_a_settle_time_waits_for_a_fresh_export(tmp_path):
    path = exportkit.write_export(tmp_path / "week1.csv", responses(4))
    started = time.monotonic()
    coded, _ = ingest(path, PATIENTS, "week1", settle_seconds=0.6)
    assert time.monotonic() - started >= 0.5 and len(coded) == 4
    old = time.time() - 60
    os.utime(path, (old, old))
    started = time.monotonic()
    ingest(path, PATIENTS, "week1", settle_seconds=30)  # left alone long enough: no wait
    assert time.monotonic() - started < 20


# --- The independent counts agree with the readers on every file a platform could write --------


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(
        st.lists(st.sampled_from(["", "a", "b,c", 'say "hi"', "x\ny", "x\r\ny", " "]), min_size=2,
                 max_size=2),
        min_size=1,
        max_size=12,
    ),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
    chunk=st.sampled_from([3, 16, 2**24]),
)  # fmt: skip
def test_the_quick_count_is_the_csv_modules(cells, eol, chunk):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator=eol).writerows(cells)
    data = out.getvalue().encode()
    expected = [row for row in csv.reader(io.StringIO(out.getvalue(), newline="")) if row]
    previous = preflight.CHUNK
    preflight.CHUNK = chunk
    try:
        assert scan_text(data, True).records == len(expected)
    finally:
        preflight.CHUNK = previous


@settings(max_examples=30, deadline=None)
@given(
    cells=st.dictionaries(
        st.tuples(st.integers(1, 40), st.integers(1, 30)),
        st.one_of(st.integers(-5, 5), st.sampled_from(["x", "", "y z"])),
        max_size=25,
    ),
    chunk=st.sampled_from([7, 64, 2**24]),
)
def test_the_sheet_scan_is_calamines_reading(tmp_path_factory, cells, chunk):
    """Sparse sheets as openpyxl writes them (numbers, shared strings, empty strings): the rows
    holding values and the extent are those calamine reads."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    path = tmp_path_factory.mktemp("sheet") / "a.xlsx"
    book = Workbook()
    for (row, column), value in cells.items():
        book.active.cell(row=row, column=column, value=value)
    book.save(path)
    previous = preflight.CHUNK
    preflight.CHUNK = chunk
    try:
        quick = check_workbook(path, schema_limits())
        with zipfile.ZipFile(path) as book:
            exact = preflight._scan_xlsx(book, path, schema_limits(), precise=True)
    finally:
        preflight.CHUNK = previous
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sheet.to_python()
    first = sheet.start[0] + 1 if rows and sheet.start else 1
    held = [first + i for i, row in enumerate(rows) if any(c not in ("", None) for c in row)]
    assert list(quick.value_rows) == list(exact.value_rows) == held
    if held:
        assert (exact.rows, exact.columns) == (sheet.end[0] + 1, sheet.end[1] + 1)
        assert quick.rows >= exact.rows and quick.columns >= exact.columns


# --- Every refusal word for word (issue 17) ------------------------------------------------------
# What a researcher reads: the file, what was expected (with the config key to raise), the row
# or cell, what was found; the tests above look for a phrase.


def refusal(call, *args, **kwargs):
    """The summary and the one problem of a refusal."""
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    [problem] = caught.value.problems
    return caught.value.summary, problem


def assert_refused(path: Path, summary: str, expected: str, value: str, check=None) -> None:
    """``check`` (default ``check_workbook``) refuses ``path`` at ``LIMITS``: the refusal's
    summary after the file's name, and its one problem's file, expected and value, word for
    word."""
    said, problem = refusal(check or check_workbook, path, LIMITS)
    assert said == f"{path}: {summary}"
    assert (problem.file, problem.expected, problem.value) == (str(path), expected, value)


def refused_cell(path: Path) -> tuple[int, str]:
    """The row and column of the cell at which ``check_workbook`` refuses ``path`` at the
    schema's limits."""
    _, problem = refusal(check_workbook, path, schema_limits())
    return problem.row, problem.column


LIMITS = preflight.Limits(max_file_mb=1, max_line_bytes=1024, max_cell_characters=10, max_cells=6)


def test_the_limits_are_the_config_schemas_defaults():
    import yaml

    schema = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    ingest_keys = schema["properties"]["ingest"]["properties"]
    limits = schema_limits()
    for name in ("max_file_mb", "max_line_bytes", "max_cell_characters", "max_cells"):
        assert getattr(limits, name) == ingest_keys[name]["default"]
    assert limits.max_file_bytes == int(ingest_keys["max_file_mb"]["default"] * 2**20)
    assert preflight.Limits.from_config({"max_file_mb": 0.5, "max_line_bytes": 2,
                                         "max_cell_characters": 3, "max_cells": 4,
                                         "settle_seconds": 9}) == preflight.Limits(
        0.5, 2, 3, 4
    )  # fmt: skip
    assert preflight.Limits(1.5, 1, 1, 1).max_file_bytes == 1_572_864


def test_sizes_are_said_in_bytes_below_a_megabyte_and_in_megabytes_from_one():
    assert preflight._size(1023) == "1,023 bytes"
    assert preflight._size(2**20 - 1) == "1,048,575 bytes"
    assert preflight._size(2**20) == "1.0 MB"
    assert preflight._size(1536 * 2**20) == "1,536.0 MB"


def test_a_missing_file_a_folder_and_a_fifo_are_refused_as_what_they_are(tmp_path):
    gone = tmp_path / "week1.csv"
    assert_refused(gone, "cannot be read (No such file or directory)",
                   "an export file that can be read", "No such file or directory",
                   check=preflight.check_file)  # fmt: skip
    folder = tmp_path / "week2.csv"
    folder.mkdir()
    assert_refused(folder, "is a folder, not an export file",
                   "a regular file (an export saved to disk)", "a folder",
                   check=preflight.check_file)  # fmt: skip
    fifo = tmp_path / "week3.csv"
    os.mkfifo(fifo)
    summary, problem = refusal(preflight.check_file, fifo, LIMITS)
    assert summary == f"{fifo}: is not a regular file, not an export file"
    assert problem.value == "not a regular file"


def test_a_file_over_the_size_limit_is_refused_with_both_sizes(tmp_path):
    path = tmp_path / "week1.csv"
    path.write_bytes(b"x" * (2**20 + 1))
    summary, problem = refusal(preflight.check_file, path, LIMITS)
    assert summary == f"{path}: is larger than an export may be"
    assert (problem.file, problem.expected, problem.value) == (
        str(path), "at most 1.0 MB (ingest.max_file_mb in the config)", "1.0 MB",
    )  # fmt: skip
    path.write_bytes(b"x" * 2**20)  # exactly the limit
    assert preflight.check_file(path, LIMITS).st_size == 2**20


def test_links_inside_the_project_or_beside_the_link_are_followed_others_refused(tmp_path):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (project / "raw").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "data.csv").write_bytes(b"a\n")
    (project / "kept.csv").write_bytes(b"a\n")
    inside = project / "raw" / "in.csv"
    inside.symlink_to(project / "kept.csv")
    assert preflight.check_file(inside, LIMITS, project=project).st_size == 2
    beside = elsewhere / "link.csv"  # a link in the folder of its target
    beside.symlink_to(elsewhere / "data.csv")
    assert preflight.check_file(beside, LIMITS, project=project).st_size == 2
    outside = project / "raw" / "out.csv"
    outside.symlink_to(elsewhere / "data.csv")
    summary, problem = refusal(preflight.check_file, outside, LIMITS, project=project)
    assert summary == (
        f"{outside}: is a symbolic link to a file outside the project, which is not read"
    )
    assert problem.expected == (
        "the export itself, or a link to a file inside the project: copy the export into the "
        "raw folder, or point raw_exports at the folder it is in"
    )
    assert problem.value == f"a link to {elsewhere / 'data.csv'}"
    assert problem.file == str(outside)


def test_a_nul_byte_and_a_long_record_word_for_word(tmp_path):
    path = tmp_path / "week1.csv"
    data = b'a,b\n"x\ny",\x00\n'
    summary, problem = refusal(
        preflight.check_text, path, data, scan_text(data, True), LIMITS, True
    )
    assert summary == (
        f"{path}: holds a NUL byte, which no text export does (a binary file, or one saved in "
        "another encoding than export.encoding says?)"
    )
    assert (problem.file, problem.expected, problem.row, problem.value) == (
        str(path), "text without NUL bytes", 2, "a NUL byte",
    )  # fmt: skip
    data = b"a,b\n" + b"x" * 1025 + b"\n1,2\n"
    summary, problem = refusal(
        preflight.check_text, path, data, scan_text(data, True), LIMITS, True
    )
    assert summary == f"{path}: has a record longer than an export's may be"
    assert (problem.expected, problem.row, problem.value) == (
        "records of at most 1,024 bytes (ingest.max_line_bytes in the config)", 2, "1,025 bytes",
    )  # fmt: skip
    at_limit = b"a,b\n" + b"x" * 1024 + b"\n"
    assert preflight.check_text(path, at_limit, scan_text(at_limit, True), LIMITS, True) is None


@pytest.mark.parametrize(
    ("data", "quoting", "scan"),
    [
        (b"", True, (0, 0, 0, None, False, False)),
        (b"ab\n\ncde\r\nf", True, (3, 3, 2, None, False, False)),
        (b'a,"b\nc"\nd\x00', True, (2, 7, 1, 9, False, True)),
        (b'a,"b\nc"\nd', False, (3, 4, 1, None, False, False)),  # no quoting: lines
        (b'a,"b\n', True, (1, 5, 1, None, True, True)),  # an open quote runs to the end
        (b"\r\n\r\nxy\r", True, (1, 2, 1, None, False, False)),
    ],
)
def test_what_the_scan_of_a_text_export_finds(data, quoting, scan):
    """Records, the longest record's bytes and row, where the first NUL is, whether a quote is
    left open, whether a quoted answer spans lines: counted by hand for each file."""
    assert dataclasses.astuple(scan_text(data, quoting)) == scan


def test_the_row_of_a_byte_counts_quoted_line_breaks_as_the_answers():
    data = b'a,b\n"x\ny",2\n3,4\n'
    assert [preflight.row_at(data, data.index(c), True) for c in (b"a", b"y", b"3")] == [1, 2, 3]
    assert preflight.row_at(data, data.index(b"3"), False) == 4
    assert preflight.row_at(b"\n\nx", 0, True) == 1  # before any record: the first


def test_a_workbook_that_is_no_zip_or_lacks_its_parts_is_refused(tmp_path):
    path = tmp_path / "week1.xlsx"
    path.write_bytes(b"PK not really")
    assert_refused(
        path,
        "cannot be read as a workbook (it is not a zip archive, as .xlsx and .ods files are)",
        "a .xlsx workbook",
        "not a zip archive",
    )
    for missing in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"):
        with zipfile.ZipFile(workbook(tmp_path / "full.xlsx", "")) as full:
            with zipfile.ZipFile(path, "w") as book:
                for item in full.infolist():
                    if item.filename != missing:
                        book.writestr(item, full.read(item))
        assert_refused(path, f"cannot be read as a workbook (it has no {missing})",
                       "an .xlsx workbook", f"no {missing}")  # fmt: skip


def test_a_workbook_whose_first_sheet_cannot_be_found_is_refused(tmp_path):
    path = workbook(tmp_path / "week1.xlsx", "")
    parts = read_parts(path)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'r:id="rId1"', b'r:id="rId9"')
    write_parts(path, parts)
    assert_refused(path, "cannot be read as a workbook (its first sheet cannot be found)",
                   "an .xlsx workbook with a first sheet", "no sheet")  # fmt: skip


def test_the_first_sheet_is_found_through_the_workbooks_relationships(tmp_path):
    """The sheet listed first, by its relationship id, wherever its part is (an absolute
    target, other relationships before it)."""
    path = workbook(tmp_path / "week1.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    parts = read_parts(path)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b'<Relationship Id="rId1"',
        b'<Relationship Id="rId2" Type="x" Target="styles.xml"/><Relationship Id="rId1"',
    ).replace(b'Target="worksheets/sheet1.xml"', b'Target="/xl/sheets/first.xml"')
    parts["xl/sheets/first.xml"] = parts.pop("xl/worksheets/sheet1.xml")
    write_parts(path, parts)
    with zipfile.ZipFile(path) as book:
        assert preflight._first_sheet(book, path) == "xl/sheets/first.xml"
    assert check_workbook(path, LIMITS) == preflight.SheetScan(1, 1, (1,))


def test_a_workbook_part_or_grid_over_the_limits_word_for_word(tmp_path):
    path = workbook(tmp_path / "week1.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>' * 5000)
    limits = dataclasses.replace(LIMITS, max_file_mb=0.05)
    size = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size
    summary, problem = refusal(check_workbook, path, limits)
    assert summary == f"{path}: a part of the workbook unpacks to more than an export may be"
    assert (problem.expected, problem.value) == (
        "parts of at most 52,428 bytes unpacked (ingest.max_file_mb in the config)",
        f"xl/worksheets/sheet1.xml: {size:,} bytes",
    )
    path = workbook(tmp_path / "week2.xlsx", '<row r="3"><c r="AB3"><v>1</v></c></row>')
    summary, problem = refusal(check_workbook, path, LIMITS)
    assert summary == (
        f"{path}: the first sheet's cells span a larger grid than an export's may (a reader "
        "would allocate all of it)"
    )
    assert (problem.expected, problem.row, problem.column, problem.value) == (
        "at most 6 cells (ingest.max_cells in the config)", 3, "AB", "3 rows x 28 columns",
    )  # fmt: skip
    fits = workbook(tmp_path / "week3.xlsx", '<row r="3"><c r="B3"><v>1</v></c></row>')
    assert check_workbook(fits, LIMITS) == preflight.SheetScan(3, 2, (3,))  # 6 cells: allowed


def test_column_names_as_a_spreadsheet_writes_them():
    names = {1: "A", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD"}
    assert {n: preflight._column_name(n) for n in names} == names
    assert preflight._column_name(0) == "A"


def test_an_ods_without_readable_content_is_refused(tmp_path):
    path = tmp_path / "week1.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert_refused(path, "cannot be read as an OpenDocument spreadsheet", "an .ods workbook",
                   "no readable content.xml")  # fmt: skip
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("content.xml", "<not closed")
    assert refusal(check_workbook, path, LIMITS)[1].value == "no readable content.xml"


def test_an_empty_ods_spans_nothing(tmp_path):
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    content = (
        f'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
        f'opendocument:xmlns:office:1.0" xmlns:table="{table}"><office:body><office:spreadsheet>'
        "<table:table><table:table-row><table:table-cell/></table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "week1.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("content.xml", content)
    assert check_workbook(path, LIMITS) == preflight.SheetScan(0, 0, ())


def test_an_legacy_xls_is_not_scanned(tmp_path):
    path = tmp_path / "week1.XLS"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert check_workbook(path, LIMITS) is None


def test_an_ods_scan_counts_repeated_rows_and_cells(tmp_path):
    """Row 1: a value in the third cell after two repeated empty ones; two empty rows; row 4
    repeated twice with a value in its first cell; a second table is not read."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    cell = '<table:table-cell office:value-type="float" office:value="1"/>'
    content = (
        f'<?xml version="1.0"?><office:document-content xmlns:office="{office}" '
        f'xmlns:table="{table}"><office:body><office:spreadsheet><table:table>'
        '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
        f"{cell}</table:table-row>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        f'<table:table-row table:number-rows-repeated="2">{cell}<table:table-cell/>'
        "</table:table-row></table:table>"
        f"<table:table><table:table-row>{cell * 9}</table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "week1.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("content.xml", content)
    limits = dataclasses.replace(LIMITS, max_cells=100)
    assert check_workbook(path, limits) == preflight.SheetScan(5, 3, (1, 4, 5))


def test_an_spss_file_that_cannot_be_read_or_declares_too_many_cells(tmp_path):
    from support import platformkit

    path = tmp_path / "w.sav"
    path.write_bytes(b"$FL2 not really")
    summary, problem = refusal(preflight.check_sav, path, LIMITS)
    assert summary == f"{path}: cannot be read as an SPSS .sav file"
    assert (problem.file, problem.expected, problem.value) == (
        str(path), "an SPSS .sav file", "ReadstatError",
    )  # fmt: skip
    export = exportkit.export_frame(PATIENTS, exportkit.random_answers(PATIENTS, 20, seed=1))
    path = platformkit.write(platformkit.LAYOUTS["spss"](PATIENTS, export), tmp_path / "w.sav")
    import pyreadstat

    columns = pyreadstat.read_sav(str(path), metadataonly=True)[1].number_columns
    limits = dataclasses.replace(LIMITS, max_cells=20 * columns)
    assert preflight.check_sav(path, limits) == 20  # exactly the limit: allowed
    limits = dataclasses.replace(LIMITS, max_cells=20 * columns - 1)
    summary, problem = refusal(preflight.check_sav, path, limits)
    assert summary == (
        f"{path}: the SPSS file declares a larger grid than an export's may be (a reader would "
        "allocate all of it)"
    )
    assert (problem.file, problem.expected, problem.value) == (
        str(path),
        f"at most {20 * columns - 1:,} cells (ingest.max_cells in the config)",
        f"20 cases x {columns:,} variables",
    )
    empty = tmp_path / "empty.sav"
    pyreadstat.write_sav(pd.DataFrame({"q1": pd.Series([], dtype="float64")}), str(empty))
    assert preflight.check_sav(empty, LIMITS) == 0  # no cases: 0, not unknown


def test_a_long_cell_is_named_by_row_and_column_from_the_first_row_given(tmp_path):
    grid = pd.DataFrame(
        {0: ["a", "b", None], 1: pd.array([1, 2, 3]), 2: ["x" * 10, np.nan, "y" * 11]}
    )  # a cell of exactly the limit first, NaN as pandas' missing value
    path = tmp_path / "week1.csv"
    summary, problem = refusal(preflight.check_cells, path, grid, LIMITS, first_row=5)
    assert summary == f"{path}: has a cell longer than an export's may be"
    assert (problem.expected, problem.row, problem.column, problem.value) == (
        "cells of at most 10 characters (ingest.max_cell_characters in the config)",
        7, "column 3", "11 characters",
    )  # fmt: skip
    assert preflight.check_cells(path, grid.iloc[:2], LIMITS) is None  # 10 is allowed
    ten = grid.copy()
    ten[2] = ["x" * 10, np.nan, "y" * 10]
    assert preflight.check_cells(path, ten, LIMITS) is None


def _state(path):
    return preflight.file_state(path)


def test_a_file_changed_while_read_says_what_changed(tmp_path):
    import zlib

    path = tmp_path / "week1.csv"
    path.write_bytes(b"a,b\n1,2\n")
    before = _state(path)
    status = path.stat()
    assert before == preflight.FileState(
        8, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, zlib.crc32(b"a,b\n1,2\n")
    )
    assert preflight.check_unchanged(path, before) is None

    def what(after):
        with pytest.raises(InputError) as caught:
            preflight.check_unchanged(path, before)
        [problem] = caught.value.problems
        assert caught.value.summary == (
            f"{path}: changed while it was read ({after}): it may still be being written; "
            "nothing was ingested. Run again once the export is complete (or set "
            "ingest.settle_seconds in the config to wait until an export has been left "
            "unchanged that long)"
        )
        assert (problem.file, problem.expected, problem.value) == (
            str(path), "an export that is not being written while it is read", after,
        )  # fmt: skip

    path.write_bytes(b"a,b\n1,2\n3,4\n")
    what("its size, modification time, content changed")
    path.write_bytes(b"a,b\n1,3\n")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    what("its content changed")
    path.write_bytes(b"a,b\n1,2\n")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    what("its status (written to) changed")  # only the change time differs
    path.unlink()
    path.write_bytes(b"a,b\n1,2\n")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    if path.stat().st_ino != before.inode:
        what("its file (replaced) changed")
    path.unlink()
    what("it is gone (No such file or directory)")


def test_an_export_still_changing_after_the_wait_is_refused(tmp_path):
    path = tmp_path / "week1.csv"
    path.write_bytes(b"a\n")
    future = time.time() + 1000  # written "from now on": never settles within 10 x 0.5 s
    os.utime(path, (future, future))
    started = time.monotonic()
    summary, problem = refusal(preflight.wait_until_settled, path, 0.5)
    assert time.monotonic() - started < 1  # refused at once, not after waiting
    assert summary == (
        f"{path}: is still being written after 5 s (it must be left unchanged for 0.5 s, "
        "ingest.settle_seconds)"
    )
    assert (problem.file, problem.expected, problem.value) == (
        str(path), "an export left unchanged", "still changing",
    )  # fmt: skip
    assert preflight.wait_until_settled(path, 0) is None
    assert preflight.wait_until_settled(path, -1) is None


def test_the_sheet_xmls_addresses_tags_and_values_by_position():
    """Counted by hand: the space before each ``r="..."`` (2, 20, 29), its row and column (AB
    is 28, XFD 16,384); where elements named c start (the ``<``, or the ``:`` of a prefix; not
    ``<cell``); where values start (not ``<v/>`` or ``<v></v>``; an inline string's ``<is>``)."""
    xml = b'<c r="AB12" t="s"><x r="C3"/> r="XFD1048576"'
    rows, columns, at = preflight._addresses(np.frombuffer(xml, np.uint8))
    assert (rows.tolist(), columns.tolist(), at.tolist()) == (
        [12, 3, 1048576], [28, 3, 16384], [2, 20, 29],
    )  # fmt: skip
    rows, columns, at = preflight._addresses(np.frombuffer(b' r="C"', np.uint8))
    assert (rows.tolist(), columns.tolist(), at.tolist()) == ([0], [3], [0])
    assert preflight._tag_starts(b'<row r="1"><x:c r="A1"/><cell/><c>', b"c").tolist() == [13, 31]
    assert preflight._tag_starts(b"<c", b"c").tolist() == []
    cells = b'<c><v/></c><c><v></v></c><c><v>1</v></c><c t="inlineStr"><is><t>x</t></is></c>'
    assert sorted(preflight._value_starts(cells).tolist()) == [28, 57]


def test_cells_addressed_in_rows_without_numbers_and_empty_values(tmp_path):
    """A row numbered only by its cell (AB3) spans 3 rows and 28 columns; a row whose only
    cell holds ``<v/>`` holds no value."""
    path = workbook(tmp_path / "week1.xlsx", '<row><c r="AB3"><v>1</v></c></row>')
    limits = dataclasses.replace(LIMITS, max_cells=100)
    scan = check_workbook(path, limits)
    assert (scan.rows, scan.columns) == (3, 28)
    path = workbook(
        tmp_path / "week2.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v/></c></row>',
    )
    assert check_workbook(path, LIMITS).value_rows == (1,)


def test_a_file_replaced_by_an_identical_one_is_named_as_replaced(tmp_path):
    path = tmp_path / "week1.csv"
    path.write_bytes(b"a,b\n1,2\n")
    before = preflight.file_state(path)
    status = path.stat()
    new = tmp_path / "week1.new"  # written beside it, then moved over it: another inode
    new.write_bytes(b"a,b\n1,2\n")
    os.utime(new, ns=(status.st_atime_ns, status.st_mtime_ns))
    os.replace(new, path)
    with pytest.raises(InputError) as caught:
        preflight.check_unchanged(path, before)
    assert caught.value.problems[0].value == "its file (replaced) changed"


def test_a_workbook_with_a_damaged_part_is_refused_not_a_traceback(tmp_path):
    """The sheet's CRC-32 in the zip's headers no longer matches its bytes (a download cut
    and patched, a disk error): zipfile raises BadZipFile on reading it to the end."""
    import struct

    path = workbook(tmp_path / "week1.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, crc_at in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            length = 26 if signature == b"PK\x03\x04" else 28
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                crc = struct.unpack_from("<I", data, start + crc_at)[0]
                struct.pack_into("<I", data, start + crc_at, crc ^ 1)
            start += length
    path.write_bytes(bytes(data))
    assert_refused(path, "cannot be read as a workbook (a part of it is damaged)",
                   "a .xlsx workbook", "a damaged part")  # fmt: skip


def test_an_empty_sheet_spans_nothing(tmp_path):
    assert check_workbook(workbook(tmp_path / "week1.xlsx", ""), LIMITS) == preflight.SheetScan(
        0, 0, ()
    )


# --- Survivors of the lead's re-measure, sorted one by one (issue 17, branch mutpre) -------------
# Each test names the hostile or odd file a mutant would accept, refuse or misname.


def quick_and_exact(path, limits=None):
    limits = limits or dataclasses.replace(schema_limits(), max_cells=10**12)
    with zipfile.ZipFile(path) as book:
        return preflight._scan_xlsx(book, path, limits), preflight._scan_xlsx(
            book, path, limits, precise=True
        )


def test_cells_addressed_beyond_rows_without_numbers_are_refused(tmp_path):
    """The 1 KB bomb with rows that carry no ``r``: its cells' own addresses span the sheet, in
    the exact scan as well (a cell's row is its own address, not its row element's count)."""
    rows = '<row><c r="A1"><v>1</v></c></row><row><c r="XFD1048576"><v>1</v></c></row>'
    assert refused_cell(workbook(tmp_path / "week1.xlsx", rows)) == (1048576, "XFD")


def test_unaddressed_cells_in_numbered_rows_count_towards_the_columns(tmp_path):
    """Rows with ``r``, cells without (a streaming writer's sheet): 20 cells in row 1 and a row
    10 make a 10 x 20 grid, refused at 100 cells in both scans; two numbered rows of one
    unaddressed cell each span 2 x 1 (as many addresses as cells)."""
    cells = "<c><v>1</v></c>" * 20
    path = workbook(
        tmp_path / "week1.xlsx", f'<row r="1">{cells}</row><row r="10"><c><v>1</v></c></row>'
    )
    quick, exact = quick_and_exact(path)
    assert (quick.rows, quick.columns) == (exact.rows, exact.columns) == (10, 20)
    summary, problem = refusal(check_workbook, path, dataclasses.replace(LIMITS, max_cells=100))
    assert (problem.row, problem.column) == (10, "T")
    path = workbook(
        tmp_path / "week2.xlsx", '<row r="1"><c><v>1</v></c></row><row r="2"><c><v>1</v></c></row>'
    )
    quick, exact = quick_and_exact(path)
    assert (quick.rows, quick.columns, quick.value_rows) == (2, 1, (1, 2))
    assert (exact.rows, exact.columns, exact.value_rows) == (2, 1, (1, 2))


def test_end_tags_with_a_space_before_the_bracket_are_read_to_the_end(tmp_path):
    """``</c >`` is well-formed XML: the bomb's far cell after the last ``c>`` still counts."""
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>2</v></c ></row >'
    assert refused_cell(workbook(tmp_path / "week1.xlsx", rows)) == (1048576, "XFD")


def test_rich_text_and_a_formula_string_with_a_slash_are_read_as_what_they_are(tmp_path):
    """An inline string's run properties ``<rPr>`` are no row; a formula's string result
    ``1/2`` is a value (its fifth byte is a slash, as in ``<v></v>``)."""
    rich = '<c t="inlineStr"><is><r><rPr><b/></rPr><t>x</t></r></is></c>'
    path = workbook(
        tmp_path / "week1.xlsx",
        f"<row>{rich}</row><row><c><v>1</v></c></row>"
        '<row><c/></row><row><c t="str"><f>A1</f><v>1/2</v></c></row>',
    )
    quick, exact = quick_and_exact(path)
    assert quick.value_rows == exact.value_rows == (1, 2, 4)
    assert (exact.rows, exact.columns) == (4, 1)


MIXED = (
    '<row r="2"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>'
    "<row><c><v>4</v></c><c><v>5</v></c><c><v>6</v></c><c><v>7</v></c></row>"
    '<row r="5"/><row><c><v>8</v></c><c/></row><row r="8"><c r="B8"><v>9</v></c><c><v>10</v>'
    "</c><c><v>11</v></c></row>"
)


def test_the_sheet_scan_is_the_same_at_every_chunk_size(tmp_path, monkeypatch):
    """Rows and cells with and without addresses, an empty numbered row, an empty cell: cut at
    every read size from 1 byte (a cell parted from its value, a row from its cells), both scans
    give what one read gives, counted by hand: values in rows 2, 3, 6 and 8, the widest row 3
    (4 cells, as many as row 8's B8 to D8)."""
    path = workbook(tmp_path / "week1.xlsx", MIXED)
    whole = quick_and_exact(path)
    assert (whole[1].rows, whole[1].columns, whole[1].value_rows) == (8, 4, (2, 3, 6, 8))
    assert (whole[0].rows, whole[0].columns) == (8, 4)
    assert whole[0].value_rows == (2, 3, 6, 8)
    size = len(zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml"))
    for chunk in range(1, size, 3):
        monkeypatch.setattr(preflight, "CHUNK", chunk)
        scans = quick_and_exact(path)
        assert scans == whole, chunk
        for scan in scans:  # rows as Python integers, as a refusal names them
            assert {type(row) for row in (scan.rows, scan.columns, *scan.value_rows)} == {int}


def test_an_ods_with_many_rows_is_scanned_to_its_last(tmp_path):
    """60 rows holding values, then one repeated down to row 1,048,576: refused (the scan stops
    early only past 2**24 rows, well beyond any limit's reach)."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    cell = '<table:table-cell office:value-type="float" office:value="1"/>'
    rows = f"<table:table-row>{cell}</table:table-row>" * 60
    content = (
        f'<?xml version="1.0"?><office:document-content xmlns:office="{office}" '
        f'xmlns:table="{table}"><office:body><office:spreadsheet><table:table>{rows}'
        f'<table:table-row table:number-rows-repeated="1048516">{cell}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "week1.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("content.xml", content)
    summary, problem = refusal(check_workbook, path, dataclasses.replace(LIMITS, max_cells=1000))
    assert problem.row == 1048576


def test_an_spss_header_without_a_case_count_or_variables(tmp_path, monkeypatch):
    """pyreadstat's metadata: no case count (None, or -1 as a streaming writer leaves it) is
    None, not a refusal or a crash; no variables declare no cells, however many cases."""
    import types

    import pyreadstat

    path = tmp_path / "week1.sav"
    for rows, columns, cases in ((None, 3, None), (-1, 3, None), (10**12, 0, 10**12)):
        meta = types.SimpleNamespace(number_rows=rows, number_columns=columns)
        monkeypatch.setattr(pyreadstat, "read_sav", lambda *a, meta=meta, **k: (None, meta))
        assert preflight.check_sav(path, LIMITS) == cases


def test_a_part_of_exactly_the_limit_is_accepted(tmp_path):
    path = workbook(tmp_path / "week1.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    largest = max(member.file_size for member in zipfile.ZipFile(path).infolist())
    limits = dataclasses.replace(schema_limits(), max_file_mb=largest / preflight.MB)
    assert check_workbook(path, limits).value_rows == (1,)
    limits = dataclasses.replace(limits, max_file_mb=(largest - 1) / preflight.MB)
    assert refusal(check_workbook, path, limits)[1].file == str(path)


def test_a_workbook_part_with_bytes_that_are_not_utf8_is_still_scanned(tmp_path):
    path = workbook(tmp_path / "week1.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    parts = read_parts(path)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"<sheets>", b"<!--\xff--><sheets>")
    assert b"\xff" in parts["xl/workbook.xml"]
    write_parts(path, parts)
    assert check_workbook(path, LIMITS).value_rows == (1,)


def test_every_refusal_names_its_file(tmp_path):
    """The file, not "None": a grid too large, a NUL byte, a record too long, an export still
    being written."""
    path = workbook(tmp_path / "week1.xlsx", BOMB)
    assert refusal(check_workbook, path, LIMITS)[1].file == str(path)
    text = tmp_path / "week1.csv"
    text.write_bytes(b"a,b\n" + b"x" * 2000 + b"\n")
    for data in (text.read_bytes(), b"a\x00"):
        scan = scan_text(data, True)
        assert refusal(preflight.check_text, text, data, scan, LIMITS, True)[1].file == str(text)


def test_the_first_nul_byte_is_named_even_at_the_start(tmp_path):
    """A UTF-16 export starts with a NUL byte; with two, the first one's row is named."""
    assert scan_text(b"\x00a,b\n", True).nul_offset == 0
    data = b"a,b\n1,\x00\n2,\x00\n"
    assert scan_text(data, True).nul_offset == 6
    assert refusal(preflight.check_text, tmp_path / "a.csv", data, scan_text(data, True), LIMITS,
                   True)[1].row == 2  # fmt: skip


def test_the_longest_record_is_the_first_of_equal_length_and_the_last_counted_whole(monkeypatch):
    """Across reads (3 bytes each) and for a last record without a line break."""
    monkeypatch.setattr(preflight, "CHUNK", 3)
    assert scan_text(b"ab\ncd\n", False) == preflight.TextScan(2, 2, 1, None)
    assert scan_text(b"ab\ncd", False) == preflight.TextScan(2, 2, 1, None)
    monkeypatch.setattr(preflight, "CHUNK", 2**24)
    assert scan_text(b"a\nbcd", False) == preflight.TextScan(2, 3, 2, None)


def test_the_row_of_a_line_break_is_the_record_it_ends():
    assert preflight.row_at(b"a\nb", 1, False) == 1


def test_the_checksum_covers_every_read(tmp_path, monkeypatch):
    import zlib

    monkeypatch.setattr(preflight, "CHUNK", 4)
    path = tmp_path / "week1.csv"
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    assert preflight.file_state(path).crc32 == zlib.crc32(path.read_bytes())


def test_the_settle_wait_sleeps_only_for_the_time_left(tmp_path, monkeypatch):
    path = tmp_path / "week1.csv"
    path.write_bytes(b"a\n")
    now = time.time()
    os.utime(path, (now - 0.2, now - 0.2))
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        os.utime(path, (now - 5, now - 5))

    monkeypatch.setattr(preflight.time, "sleep", sleep)
    preflight.wait_until_settled(path, 0.5)
    [seconds] = slept
    assert 0.2 <= seconds <= 0.3


@pytest.mark.parametrize(
    ("address", "extent"),
    [
        ("A123456789", (123456789, 1)),
        ("ZZZZ1", (1, 475254)),
        ("A1234567890123", (1234567890123, 1)),
    ],
)
def test_an_address_past_the_sheets_end_is_read_whole(tmp_path, address, extent):
    """A bug the survivors showed (addresses 63, 98: a 4th letter, a 9th digit): the scan read
    three letters and eight digits, so a 1 KB sheet with a cell at A123456789 measured 12,345,678
    x 1 cells, under the 50 million limit, and calamine then allocated 3.9 GB and aborted the
    process. Calamine reads every letter and digit; so does the scan now."""
    path = workbook(
        tmp_path / "week1.xlsx", f'<row><c r="A1"><v>1</v></c><c r="{address}"><v>1</v></c></row>'
    )
    quick, exact = quick_and_exact(path)
    assert (quick.rows, quick.columns) == (exact.rows, exact.columns) == extent
    limits = dataclasses.replace(schema_limits(), max_cells=10**5)
    summary, problem = refusal(check_workbook, path, limits)
    assert (problem.row, problem.column) == (extent[0], preflight._column_name(extent[1]))


def test_an_ods_row_longer_than_the_parsers_read_is_counted_whole(tmp_path):
    """A first cell of 70,000 characters, then a value repeated 16,384 columns: the row's cells
    after ElementTree's first 16 KB read still count (a row is measured at its end)."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    content = (
        f'<?xml version="1.0"?><office:document-content xmlns:office="{office}" '
        f'xmlns:table="{table}" xmlns:text="{text}"><office:body><office:spreadsheet>'
        '<table:table><table:table-row><table:table-cell office:value-type="string"><text:p>'
        + "x" * 70000
        + '</text:p></table:table-cell><table:table-cell office:value-type="float" '
        'office:value="1" table:number-columns-repeated="16384"/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "week1.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("content.xml", content)
    summary, problem = refusal(check_workbook, path, dataclasses.replace(LIMITS, max_cells=100))
    assert problem.value == "1 rows x 16,385 columns"


def test_an_absolute_sheet_target_keeps_its_folder(tmp_path):
    """``Target="/Xsheets/first.xml"``: only the leading slash goes."""
    path = workbook(tmp_path / "week1.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    parts = read_parts(path)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b'Target="worksheets/sheet1.xml"', b'Target="/Xsheets/first.xml"'
    )
    parts["Xsheets/first.xml"] = parts.pop("xl/worksheets/sheet1.xml")
    write_parts(path, parts)
    assert check_workbook(path, LIMITS).value_rows == (1,)


def test_an_address_ends_at_its_first_non_digit():
    """A value's digits a few bytes after a short address are not its row, while a longer
    address in the same chunk is still being read."""
    xml = b'<c r="A1"><v>5</v></c><c r="ZZZZ1048576"><v>6</v></c>'
    rows, columns, _ = preflight._addresses(np.frombuffer(xml, np.uint8))
    assert (rows.tolist(), columns.tolist()) == ([1, 1048576], [1, 475254])
