"""The Word and Excel tables (likertflow.office) as a reader and a journal see them: page size and
orientation, the caption, the three rules, bold headings and indented rows, type sizes, column
widths that break no word, footnotes, the files' fixed metadata and zip entries. Read back with
python-docx, openpyxl and zipfile, never with the writer's own helpers."""

from __future__ import annotations

import datetime
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from likertflow.manuscript import Row, Table
from likertflow.office import write_docx, write_xlsx
from openpyxl import load_workbook

TWIP = 635  # EMU: Word stores widths in twentieths of a point
FIXED = datetime.datetime(2000, 1, 1, 0, 0, 0)


def table(columns=2, number=1, rows=None, footnotes=("Note: n is the number asked.",)):
    header = ("Question", *(f"Group {i}" for i in range(1, columns)))
    if rows is None:
        rows = (
            Row(("Overall satisfaction", *[""] * (columns - 1)), heading=True),
            Row(("Agree", *["10 (50.00%)"] * (columns - 1)), indent=True),
            Row(("Disagree", *["1 (5.00%)"] * (columns - 1)), indent=True),
        )
    return Table(number, f"Answers {number}", header, rows, footnotes)


def docx_of(tmp_path, tables, title="Study") -> Document:
    path = tmp_path / "tables.docx"
    write_docx(tables, path, title)
    return Document(str(path))


def borders(cell) -> dict[str, dict[str, str]]:
    found = cell._tc.tcPr.find(qn("w:tcBorders"))
    if found is None:
        return {}
    return {
        edge.tag.split("}")[1]: {k.split("}")[1]: v for k, v in edge.attrib.items()}
        for edge in found
    }


RULE = {"val": "single", "space": "0", "color": "000000"}


# -- Word ----------------------------------------------------------------------------------------


def test_each_table_on_its_own_a4_page_landscape_from_five_columns(tmp_path):
    document = docx_of(tmp_path, [table(4, 1), table(5, 2), table(2, 3)])
    sections = document.sections
    assert len(sections) == 3
    assert [s.start_type for s in sections[1:]] == [WD_SECTION.NEW_PAGE] * 2
    assert [s.orientation for s in sections] == [
        WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT
    ]  # fmt: skip
    a4 = (Cm(21.0), Cm(29.7))
    for section, size in zip(sections, [a4, a4[::-1], a4], strict=True):
        assert near((section.page_width, section.page_height), size)
        margins = (section.left_margin, section.right_margin, section.top_margin,
                   section.bottom_margin)  # fmt: skip
        assert near(margins, (Cm(2),) * 4)
    # each table follows its section's break: caption, table, footnote, in that order
    body = [child.tag.split("}")[1] for child in document.element.body]
    assert body.count("tbl") == 3


def test_the_caption_is_bold_table_number_then_the_title(tmp_path):
    document = docx_of(tmp_path, [table()])
    caption = document.paragraphs[0]
    assert caption.text == "Table 1. Answers 1"
    assert [(run.text, run.bold) for run in caption.runs] == [
        ("Table 1.", True), (" Answers 1", None)
    ]  # fmt: skip
    assert caption.paragraph_format.space_after == Pt(6)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(10)
    assert normal.paragraph_format.space_after == Pt(0)


def test_three_rules_as_journals_draw_them(tmp_path):
    grid = docx_of(tmp_path, [table()]).tables[0]
    for cell in grid.rows[0].cells:
        assert borders(cell) == {"top": {**RULE, "sz": "8"}, "bottom": {**RULE, "sz": "4"}}
    assert all(borders(cell) == {} for cell in grid.rows[1].cells + grid.rows[2].cells)
    for cell in grid.rows[-1].cells:
        assert borders(cell) == {"bottom": {**RULE, "sz": "8"}}
    one_row = docx_of(tmp_path, [table(rows=(Row(("Agree", "1")),))]).tables[0]
    assert borders(one_row.rows[0].cells[0])["bottom"]["sz"] == "4"
    assert borders(one_row.rows[1].cells[1]) == {"bottom": {**RULE, "sz": "8"}}


def test_the_header_repeats_on_every_page_and_only_it(tmp_path):
    grid = docx_of(tmp_path, [table()]).tables[0]
    header = grid.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    for row in grid.rows[1:]:
        assert row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
    assert grid.alignment == WD_TABLE_ALIGNMENT.LEFT and grid.autofit is False


def test_cells_bold_indented_aligned_and_sized_as_their_rows(tmp_path):
    grid = docx_of(tmp_path, [table(3)]).tables[0]

    def look(row, column):
        paragraph = grid.rows[row].cells[column].paragraphs[0]
        (run,) = paragraph.runs
        return (run.text, run.bold, run.font.size, paragraph.alignment,
                paragraph.paragraph_format.left_indent)  # fmt: skip

    left, centre = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER
    assert look(0, 0) == ("Question", True, Pt(10), left, None)
    assert look(0, 1) == ("Group 1", True, Pt(10), centre, None)
    assert look(2, 0) == ("Agree", False, Pt(10), left, Pt(10))
    assert look(2, 2) == ("10 (50.00%)", False, Pt(10), centre, None)
    # a heading alone on its row spans the table, in one paragraph
    heading = grid.rows[1].cells
    assert heading[0]._tc is heading[-1]._tc and len(heading[0].paragraphs) == 1
    assert heading[0].text == "Overall satisfaction" and heading[0].paragraphs[0].runs[0].bold
    assert heading[0]._tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "3"


def test_a_heading_with_numbers_on_its_row_is_not_merged(tmp_path):
    rows = (Row(("All", "20", "30"), heading=True), Row(("Agree", "", ""), indent=True))
    grid = docx_of(tmp_path, [table(3, rows=rows)]).tables[0]
    assert [c.text for c in grid.rows[1].cells] == ["All", "20", "30"]
    assert [c.text for c in grid.rows[2].cells] == ["Agree", "", ""]  # not a heading: kept
    assert grid.rows[2].cells[0]._tc is not grid.rows[2].cells[1]._tc


def test_a_table_of_nine_columns_is_set_in_nine_points(tmp_path):
    grid = docx_of(tmp_path, [table(9), table(8, 2)]).tables
    assert {r.font.size for c in grid[0].rows[2].cells for r in c.paragraphs[0].runs} == {Pt(9)}
    assert {r.font.size for c in grid[1].rows[2].cells for r in c.paragraphs[0].runs} == {Pt(10)}


def test_footnotes_below_in_small_type(tmp_path):
    document = docx_of(tmp_path, [table(footnotes=("Note: a.", "=1+1"))])
    notes = document.paragraphs[1:]
    assert [p.text for p in notes] == ["Note: a.", "'=1+1"]
    assert [p.runs[0].font.size for p in notes] == [Pt(8)] * 2
    assert [p.paragraph_format.space_before for p in notes] == [Pt(2)] * 2


def widths(grid):
    return [column.width for column in grid.columns], [
        [cell.width for cell in row.cells] for row in grid.rows
    ]


def near(found, expected):
    return all(abs(a - b) <= TWIP for a, b in zip(found, expected, strict=True))


def test_columns_as_wide_as_their_longest_text_at_most_45_and_24_characters(tmp_path):
    # 0.19 cm a character at 10 points, and 0.4 cm of padding
    rows = (Row(("Agree", "10 (50.00%)")), Row(("w" * 80, "x" * 30)))
    short = table(rows=(Row(("Agree", "10 (50.00%)")),), footnotes=())
    long_ = table(rows=rows, footnotes=())
    document = docx_of(tmp_path, [short, long_])
    columns, cells = widths(document.tables[0])
    assert near(columns, [Cm(0.19 * 8 + 0.4), Cm(0.19 * 11 + 0.4)])  # "Question", "10 (50.00%)"
    assert all(near(row, columns) for row in cells)
    columns, cells = widths(document.tables[1])
    assert near(columns, [Cm(0.19 * 45 + 0.4), Cm(0.19 * 24 + 0.4)])
    assert all(near(row, columns) for row in cells)


def test_a_table_wider_than_the_page_shares_the_room_above_its_longest_words(tmp_path):
    # landscape A4: 29.7 - 2 * 2 cm; five columns that would want 8.95 + 4 * 4.96 cm
    words = " ".join(["abcdefgh"] * 8)  # longest word 8 characters
    rows = (Row((words, *["12 (10.00%) of " + "y" * 12] * 4)),)
    document = docx_of(tmp_path, [table(5, rows=rows, footnotes=())])
    columns, _ = widths(document.tables[0])
    least = [Cm(0.19 * 8 + 0.4)] + [Cm(0.19 * 12 + 0.4)] * 4
    desired = [Cm(0.19 * 45 + 0.4)] + [Cm(0.19 * 24 + 0.4)] * 4
    available = Cm(29.7) - 2 * Cm(2)
    assert sum(desired) > available > sum(least)
    assert abs(sum(columns) - available) <= 5 * TWIP
    shares = [(w - lo) / (hi - lo) for w, lo, hi in zip(columns, least, desired, strict=True)]
    assert max(shares) - min(shares) < 0.001 and 0 < shares[0] < 1
    assert shares[0] == pytest.approx(
        (available - sum(least)) / (sum(desired) - sum(least)), abs=0.001
    )


def test_a_table_whose_words_alone_are_wider_than_the_page_is_scaled_to_it(tmp_path):
    # landscape: 25.7 cm; five columns, each text one word of 45 or 24 characters
    wide = table(5, rows=(Row(("a" * 45, *["b" * 24] * 4)),), footnotes=())
    columns, _ = widths(docx_of(tmp_path, [wide]).tables[0])
    least = [Cm(0.19 * 45 + 0.4)] + [Cm(0.19 * 24 + 0.4)] * 4  # every text one word
    available = Cm(29.7) - 2 * Cm(2)
    assert sum(least) > available
    assert abs(sum(columns) - available) <= 5 * TWIP
    ratios = [w / lo for w, lo in zip(columns, least, strict=True)]
    assert max(ratios) - min(ratios) < 0.001
    assert ratios[0] == pytest.approx(available / sum(least), abs=0.001)


def test_nine_point_columns_are_narrower_in_proportion(tmp_path):
    grid = docx_of(tmp_path, [table(9, rows=(Row(("Agree", *["1"] * 8)),), footnotes=())])
    columns, _ = widths(grid.tables[0])
    assert near(columns[:2], [Cm(0.171 * 8 + 0.4), Cm(0.171 * 7 + 0.4)])  # "Question", "Group 1"


def test_no_tables_gives_one_sentence(tmp_path):
    document = docx_of(tmp_path, [])
    assert [p.text for p in document.paragraphs] == ["No tables were configured."]
    assert document.tables == []


def test_the_documents_metadata_is_fixed(tmp_path):
    properties = docx_of(tmp_path, [table()], "Study\x00 of 2026").core_properties
    assert (properties.author, properties.last_modified_by) == ("likertflow", "likertflow")
    assert properties.title == "Study of 2026"
    fixed = FIXED.replace(tzinfo=datetime.UTC)
    assert (properties.created, properties.modified, properties.last_printed) == (fixed,) * 3
    assert properties.revision == 1


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_zip_entries_stamped_with_the_fixed_time_in_the_libraries_order(tmp_path, suffix):
    import io

    path = tmp_path / f"tables.{suffix}"
    (write_docx if suffix == "docx" else write_xlsx)([table()], path, "Study")
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        names = [entry.filename for entry in entries]
        for entry in entries:
            assert entry.date_time == (2000, 1, 1, 0, 0, 0)
            assert entry.compress_type == zipfile.ZIP_DEFLATED
            assert entry.external_attr == 0o644 << 16
        assert all(archive.read(name) for name in names if not name.endswith("/"))
    if suffix == "docx":  # python-docx's own order of the same parts
        buffer = io.BytesIO()
        Document(str(path)).save(buffer)
        with zipfile.ZipFile(buffer) as own:
            assert names == [entry.filename for entry in own.infolist()]
        assert names[0] == "[Content_Types].xml"


# -- Excel ---------------------------------------------------------------------------------------


def book_of(tmp_path, tables, title="Study"):
    path = tmp_path / "tables.xlsx"
    write_xlsx(tables, path, title)
    return load_workbook(path)


def test_one_sheet_a_table_printed_one_page_wide_landscape_from_five_columns(tmp_path):
    book = book_of(tmp_path, [table(4, 1), table(5, 2)])
    assert book.sheetnames == ["Table 1", "Table 2"]
    assert [s.page_setup.orientation for s in book.worksheets] == ["portrait", "landscape"]
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert (int(sheet.page_setup.fitToWidth), int(sheet.page_setup.fitToHeight)) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True


def test_a_sheet_holds_caption_header_rows_then_after_a_blank_row_the_footnotes(tmp_path):
    sheet = book_of(tmp_path, [table(3, footnotes=("Note: a.", "Note: b."))]).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [
        ["Table 1. Answers 1", None, None],
        ["Question", "Group 1", "Group 2"],
        ["Overall satisfaction", None, None],  # empty strings are no cell in the file
        ["Agree", "10 (50.00%)", "10 (50.00%)"],
        ["Disagree", "1 (5.00%)", "1 (5.00%)"],
        [None, None, None],
        ["Note: a.", None, None],
        ["Note: b.", None, None],
    ]
    assert sheet["A1"].font.b is True
    assert [sheet.cell(2, c).font.b for c in (1, 2, 3)] == [True] * 3
    assert [sheet.cell(r, 1).font.b for r in (3, 4, 5)] == [True, False, False]
    assert [sheet.cell(r, 1).font.sz for r in (7, 8)] == [9, 9]


def test_sheet_rules_alignment_and_indent(tmp_path):
    sheet = book_of(tmp_path, [table(3)]).active
    for column in (1, 2, 3):
        header = sheet.cell(2, column)
        assert (header.border.top.style, header.border.bottom.style) == ("thin", "thin")
        assert header.alignment.wrap_text is True
        assert sheet.cell(5, column).border.bottom.style == "thin"  # the last row
        assert sheet.cell(4, column).border.bottom.style is None
        assert sheet.cell(3, column).border.top.style is None
    assert [sheet.cell(2, c).alignment.horizontal for c in (1, 2, 3)] == [
        "left",
        "center",
        "center",
    ]
    assert [sheet.cell(4, c).alignment.horizontal for c in (1, 2, 3)] == [
        "left",
        "center",
        "center",
    ]
    assert [sheet.cell(r, 1).alignment.indent for r in (3, 4, 5)] == [0, 1, 1]
    assert [sheet.cell(4, c).alignment.indent for c in (2, 3)] == [0, 0]


def test_sheet_columns_as_wide_as_their_text_within_bounds(tmp_path):
    rows = (Row(("a" * 70, "b" * 40, "c")), Row(("Agree", "1 (5.00%)", "x" * 20)))
    sheet = book_of(tmp_path, [table(3, rows=rows)]).active
    found = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert found == [60, 30, 23]  # at most 60 and 30; 3 characters more than the text
    narrow = book_of(tmp_path, [table(2, rows=(Row(("a", "b")),))]).active
    assert [narrow.column_dimensions[x].width for x in "AB"] == [11, 10]  # "Question": 8 + 3


def test_an_empty_workbook_says_so_and_its_metadata_is_fixed(tmp_path):
    book = book_of(tmp_path, [], "Study\x00 of 2026")
    assert book.sheetnames == ["Tables"]
    assert book.active["A1"].value == "No tables were configured."
    properties = book.properties
    assert (properties.creator, properties.lastModifiedBy) == ("likertflow", "likertflow")
    assert properties.title == "Study of 2026"
    assert (properties.created, properties.modified) == (FIXED, FIXED)
    assert book_of(tmp_path, [table()], "").properties.title is None


def test_a_heading_with_a_number_in_any_column_is_not_merged(tmp_path):
    rows = (Row(("All", "", "30"), heading=True), Row(("Some", "20", ""), heading=True))
    grid = docx_of(tmp_path, [table(3, rows=rows)]).tables[0]
    assert [c.text for c in grid.rows[1].cells] == ["All", "", "30"]
    assert [c.text for c in grid.rows[2].cells] == ["Some", "20", ""]


def test_a_row_longer_than_the_header_is_an_error_not_cut(tmp_path):
    with pytest.raises(ValueError, match="zip"):
        docx_of(tmp_path, [table(2, rows=(Row(("Agree", "1", "2")),))])


def test_a_number_and_its_bracket_joined_by_a_no_break_space_are_one_word(tmp_path):
    # five columns of one 24-character "word" each (the median and mean rank of a group) and a
    # first column of 45: wider than landscape A4 (25.7 cm), so scaled to their words
    cell = "12.00\u00a0(1234.5);\u00a0n\u00a0=\u00a01234"
    assert len(cell) == 24
    wide = table(5, rows=(Row(("a" * 45, *[cell] * 4)),), footnotes=())
    columns, _ = widths(docx_of(tmp_path, [wide]).tables[0])
    least = [Cm(0.19 * 45 + 0.4)] + [Cm(0.19 * 24 + 0.4)] * 4
    ratios = [w / lo for w, lo in zip(columns, least, strict=True)]
    assert max(ratios) - min(ratios) < 0.001


def test_every_edge_is_ruled_once_in_a_table_without_rows_or_ending_in_a_heading(tmp_path):
    empty = Table(1, "Nobody", ("Question", "n"), (), ())
    ending = table(rows=(Row(("Agree", "1")), Row(("Last", ""), heading=True)), footnotes=())
    grids = docx_of(tmp_path, [empty, ending]).tables
    for cell in grids[0].rows[0].cells:  # the header is the last row: the last rule wins
        edges = cell._tc.tcPr.find(qn("w:tcBorders"))
        assert [edge.tag.split("}")[1] for edge in edges] == ["top", "bottom"]
        assert borders(cell) == {"top": {**RULE, "sz": "8"}, "bottom": {**RULE, "sz": "8"}}
    merged = grids[1].rows[-1].cells[0]
    assert len(merged._tc.tcPr.findall(qn("w:tcBorders"))) == 1
    assert len(merged._tc.tcPr.find(qn("w:tcBorders"))) == 1
    assert borders(merged) == {"bottom": {**RULE, "sz": "8"}}


def test_files_without_a_title(tmp_path):
    write_docx([table()], tmp_path / "t.docx")
    assert Document(str(tmp_path / "t.docx")).core_properties.title == ""
    write_xlsx([table()], tmp_path / "t.xlsx")
    assert load_workbook(tmp_path / "t.xlsx").properties.title is None
