"""Word and Excel files of the manuscript's tables (``likertflow.manuscript.Table``).

- ``write_docx`` (python-docx): each table on its own page, A4, landscape when it has more than
  four columns; its caption above ("Table 1." bold, then the title), three horizontal rules as
  journals draw them (above and below the header, below the last row), heading rows bold, the
  header repeated on every page the table runs over, its footnotes below in small type.
- ``write_xlsx`` (openpyxl): one sheet per table, named "Table 1" ...: caption, header, rows and
  footnotes, every cell text (``write_cell``).

Text we did not write (answer labels, wordings, group names from the codebook) is data: every
workbook cell is written by ``write_cell`` as a string, so that a label starting with ``=``,
``+``, ``-``, ``@``, a tab or a return never becomes a formula, and characters XML cannot hold
are dropped (``clean``).

Both files are deterministic: their metadata carry a fixed time (``FIXED_TIME``) and their zip
entries are rewritten with it (both libraries stamp entries with the time of writing), so a
rerun on the same tables gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from likertflow.files import safe_cell
from likertflow.manuscript import Table

FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # the files' metadata and zip entries
AUTHOR = "likertflow"
FONT = "Times New Roman"
LANDSCAPE_FROM = 5  # columns
SMALL_FROM = 9  # columns: a table this wide is set in 9 points, not 10
# Characters XML 1.0 cannot hold (control characters other than tab, newline and return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text that a .docx or .xlsx can store: XML's forbidden characters dropped.

    Examples
    --------
    >>> clean("a\\x00b\\tc")
    'ab\\tc'
    """
    return _NOT_XML.sub("", str(text))


def cell_text(text: object) -> str:
    """The text of a table cell or a paragraph of its own, as every shareable file writes it:
    ``clean``, and a text a spreadsheet would take for a formula (pasted from Word, or opened
    from the workbook) neutralised as in the CSVs (``files.safe_cell``: a leading quote).

    Examples
    --------
    >>> cell_text("=HYPERLINK(A1)"), cell_text("-0.25"), cell_text("Agree")
    ("'=HYPERLINK(A1)", '-0.25', 'Agree')
    """
    return clean(safe_cell(str(text)))


# --- Excel ----------------------------------------------------------------------------------


def write_cell(sheet, row: int, column: int, text: object, font: Font | None = None):
    """The one place a workbook cell is written: always as a string cell, so that a label that
    starts with =, +, -, @, a tab or a return is never a formula, and neutralised by ``clean``
    as in the CSVs; XML's forbidden characters dropped."""
    cell = sheet.cell(row=row, column=column)
    cell.value = cell_text(text)
    cell.data_type = "s"  # after the value: openpyxl makes a string starting with = a formula
    if font is not None:
        cell.font = font
    return cell


def write_xlsx(tables: list[Table], path, title: str = "") -> None:
    """One sheet per table: caption, header, rows, footnotes."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _write_sheet(book.create_sheet(table.sheet), table)
    if not tables:
        write_cell(book.create_sheet("Tables"), 1, 1, "No tables were configured.")
    properties = book.properties
    properties.creator = properties.lastModifiedBy = AUTHOR
    properties.title = clean(title) or None
    properties.created = properties.modified = datetime.datetime(*FIXED_TIME)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # save_workbook would stamp "modified" now
    _write_deterministic_zip(buffer.getvalue(), path)


def _write_sheet(sheet, table: Table) -> None:
    rule = Side(style="thin")
    sheet.page_setup.orientation = (
        "landscape" if len(table.header) >= LANDSCAPE_FROM else "portrait"
    )
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # printed one page wide
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    write_cell(sheet, 1, 1, table.caption, Font(bold=True))
    for column, text in enumerate(table.header, start=1):
        cell = write_cell(sheet, 2, column, text, Font(bold=True))
        cell.border = Border(top=rule, bottom=rule)
        cell.alignment = Alignment(wrap_text=True, horizontal=_horizontal(column))
    last = len(table.rows) - 1
    for offset, row in enumerate(table.rows):
        for column, text in enumerate(row.cells, start=1):
            cell = write_cell(sheet, 3 + offset, column, text, Font(bold=row.heading))
            cell.alignment = Alignment(
                indent=1 if row.indent and column == 1 else 0, horizontal=_horizontal(column)
            )
            if offset == last:
                cell.border = Border(bottom=rule)
    for offset, note in enumerate(table.footnotes):
        write_cell(sheet, 4 + len(table.rows) + offset, 1, note, Font(size=9))
    for column in range(1, len(table.header) + 1):
        texts = [table.header[column - 1], *(row.cells[column - 1] for row in table.rows)]
        widest = max(len(text) for text in texts)
        limit = 60 if column == 1 else 30
        sheet.column_dimensions[get_column_letter(column)].width = min(limit, max(10, widest + 3))


def _horizontal(column: int) -> str:
    return "left" if column == 1 else "center"


# --- Word -----------------------------------------------------------------------------------


def write_docx(tables: list[Table], path, title: str = "") -> None:
    """Each table on its own page, as journals print tables."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(0)
    for position, table in enumerate(tables):
        section = document.sections[0]
        if position:
            section = document.add_section(WD_SECTION.NEW_PAGE)
        width = _page(section, landscape=len(table.header) >= LANDSCAPE_FROM)
        _write_table(document, table, width)
    if not tables:
        document.add_paragraph("No tables were configured.")
    properties = document.core_properties
    properties.author = properties.last_modified_by = AUTHOR
    properties.title = clean(title)
    properties.created = properties.modified = datetime.datetime(*FIXED_TIME)
    properties.last_printed = datetime.datetime(*FIXED_TIME)
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    _write_deterministic_zip(buffer.getvalue(), path)


def _write_table(document, table: Table, width) -> None:
    size = Pt(9) if len(table.header) >= SMALL_FROM else Pt(10)
    caption = document.add_paragraph()
    caption.paragraph_format.space_after = Pt(6)
    caption.add_run(clean(f"Table {table.number}.")).bold = True
    caption.add_run(clean(f" {table.title}"))
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT  # under its caption and over its notes
    grid.autofit = False
    _fill(grid.rows[0], table.header, bold=True, indent=False, size=size)
    _repeat_header(grid.rows[0])
    for cell in grid.rows[0].cells:
        _borders(cell, top=8, bottom=4)
    for index, row in enumerate(table.rows, start=1):
        _fill(grid.rows[index], row.cells, bold=row.heading, indent=row.indent, size=size)
        if row.heading and not any(row.cells[1:]):
            cells = grid.rows[index].cells
            merged = cells[0].merge(cells[-1])  # a heading alone on its row spans the table
            for paragraph in merged.paragraphs[1:]:  # the merged cells' empty paragraphs
                paragraph._element.getparent().remove(paragraph._element)
    for cell in grid.rows[-1].cells:
        _borders(cell, bottom=8)
    for column, column_width in zip(grid.columns, _widths(table, width, size), strict=True):
        column.width = column_width
        for cell in column.cells:
            cell.width = column_width
    for note in table.footnotes:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(2)
        paragraph.add_run(cell_text(note)).font.size = Pt(8)


def _page(section, landscape: bool) -> int:
    """A4, portrait or landscape, 2 cm margins; the width between them (EMU)."""
    short, long_ = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    return section.page_width - 2 * Cm(2)


def _widths(table: Table, available: int, size) -> list[int]:
    """Column widths from their texts (about 0.19 cm a character at 10 points): each column as
    wide as its longest text (at most 45 characters for the first, of wordings, and 24 for the
    others), and when the table would be wider than the page, the room above each column's
    longest word shared out in proportion, so that no word is broken."""
    desired, least = [], []
    character = 0.19 * size.pt / 10
    for column in range(len(table.header)):
        texts = [table.header[column], *(row.cells[column] for row in table.rows)]
        longest = min(max(len(text) for text in texts), 45 if column == 0 else 24)
        word = max(len(part) for text in texts for part in text.split(" "))
        desired.append(Cm(character * longest + 0.4))
        least.append(min(desired[-1], Cm(character * word + 0.4)))
    if sum(desired) <= available:
        return [int(width) for width in desired]
    if sum(least) >= available:
        return [int(width * available / sum(least)) for width in least]
    share = (available - sum(least)) / (sum(desired) - sum(least))
    return [int(low + (high - low) * share) for low, high in zip(least, desired, strict=True)]


def _fill(row, texts, bold: bool, indent: bool, size) -> None:
    for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if column == 0 else WD_ALIGN_PARAGRAPH.CENTER
        if indent and column == 0:
            paragraph.paragraph_format.left_indent = Pt(10)
        run = paragraph.add_run(cell_text(text))
        run.bold, run.font.size = bold, size


def _borders(cell, **sizes: int) -> None:
    """Horizontal rules on a cell's edges (``top``, ``bottom``; eighths of a point). An edge
    already ruled is ruled again, not twice (the schema allows one of each: the header of a
    table without rows is also its last row, and a merged row's cells are one cell)."""
    properties = cell._tc.get_or_add_tcPr()
    borders = properties.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        properties.append(borders)
    for edge, size in sizes.items():
        for ruled in borders.findall(qn(f"w:{edge}")):
            borders.remove(ruled)
        element = OxmlElement(f"w:{edge}")
        for name, value in [("val", "single"), ("sz", str(size)), ("space", "0"),
                            ("color", "000000")]:  # fmt: skip
            element.set(qn(f"w:{name}"), value)
        borders.append(element)


def _repeat_header(row) -> None:
    """Repeat the header row on every page the table runs over."""
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


# --- both -----------------------------------------------------------------------------------


def _write_deterministic_zip(data: bytes, path) -> None:
    """Rewrite an Office file's zip, entries in the same order, each stamped ``FIXED_TIME``."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, open(path, "wb") as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for entry in source.infolist():
                info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                target.writestr(info, source.read(entry.filename))
