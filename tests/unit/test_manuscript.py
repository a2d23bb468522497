"""Tables for the manuscript (likertflow.manuscript, likertflow.office): p values as journals
print them, text that never becomes a formula, the same bytes on a rewrite, a partly asked
question's n, and a rule that reads only the published tables. On real runs:
tests/workflow/test_manuscript_tables.py."""

from __future__ import annotations

import re
import zipfile

import pandas as pd
import pytest
from conftest import REPO
from likertflow.disclosure import policy_of
from likertflow.files import safe_cell
from likertflow.manuscript import Row, Study, Table, descriptive_table, journal_p, n_percent
from likertflow.office import write_docx, write_xlsx
from support.manuscript_check import p_agrees, read_docx, read_xlsx

HOSTILE = ["=SUM(A1:A2)", "+1-2", "-3", "@cmd", "\tTabbed", "\rReturned", "Nul\x00l", "<b>&amp;"]


@pytest.mark.parametrize(
    ("p", "printed"),
    [
        ("0.44634580825730297", "0.45"),
        ("0.07331241969066733", "0.07"),
        ("0.0461", "0.046"),  # two decimals would print 0.05, at alpha
        ("0.0496", "0.0496"),  # so would three
        ("0.0549", "0.05"),  # above alpha: two decimals
        ("0.00834", "0.008"),
        ("0.0009999", "<0.001"),
        ("8.781555921778941e-07", "<0.001"),
        ("<1e-412", "<0.001"),  # a bound below the smallest float
        ("0.995", ">0.99"),
        ("1.0", ">0.99"),
        ("*", "*"),
        ("", ""),
    ],
)
def test_p_values_are_printed_as_journals_print_them(p, printed):
    assert journal_p(p, 0.05) == printed
    assert p_agrees(printed, p, 0.05)  # the tests' independent reading agrees


def test_a_p_below_alpha_never_prints_as_alpha():
    assert journal_p("0.0096", alpha=0.01) == "0.0096"  # three decimals would print 0.010
    assert p_agrees("0.0096", "0.0096", alpha=0.01)


def test_counts_and_percentages_are_printed_as_the_csv_holds_them():
    assert n_percent("9", "3.19") == "9 (3.19%)"
    assert n_percent("0", "0.00") == "0 (0.00%)"
    assert n_percent("*", "*") == "*"
    assert n_percent("10", "*") == "10 (*)"


def hostile_table() -> Table:
    rows = tuple(Row((text, "1 (50.00%)"), indent=True) for text in HOSTILE)
    return Table(1, "=HYPERLINK(\"x\")", ("", "=A1 (N = 2)"), rows, ("=1+1",))


def test_no_text_becomes_a_formula_in_the_workbook(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "tables.xlsx"
    write_xlsx([hostile_table()], path)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    assert all(cell.data_type == "s" for cell in cells)  # every one a string
    texts = [cell.value for cell in cells]
    # a cell that starts as a formula would is neutralised as in the CSVs (files.safe_cell)
    assert 'Table 1. =HYPERLINK("x")' in texts and "'=A1 (N = 2)" in texts and "'=1+1" in texts
    shown = read_xlsx(path)[0]
    expected = [safe_cell(text).replace("\x00", "") for text in HOSTILE]
    assert [row[0] for row in shown.rows] == expected


def test_hostile_text_is_stored_as_text_in_the_document(tmp_path):
    path = tmp_path / "tables.docx"
    write_docx([hostile_table()], path)
    shown = read_docx(path)[0]
    assert shown.caption == 'Table 1. =HYPERLINK("x")'
    expected = [safe_cell(text).replace("\x00", "").replace("\r", "\n") for text in HOSTILE]
    assert [row[0] for row in shown.rows] == expected  # a return is a line break in Word


def test_a_rewrite_gives_the_same_bytes(tmp_path):
    import time

    tables = [hostile_table()]
    for name in ["a", "b"]:
        write_docx(tables, tmp_path / f"{name}.docx", "Title")
        write_xlsx(tables, tmp_path / f"{name}.xlsx", "Title")
        time.sleep(2.1)  # zip timestamps count in two-second steps
    for suffix in ["docx", "xlsx"]:
        assert (tmp_path / f"a.{suffix}").read_bytes() == (tmp_path / f"b.{suffix}").read_bytes()


def test_descriptive_table_gives_a_partly_asked_question_its_n():
    from likertflow.manuscript import Study

    frame = pd.DataFrame(
        {"question_id": ["q", "q", "r"], "question": ["Seen?", "Seen?", "Liked?"],
         "response": ["Yes", "No", "Yes"], "code": ["1", "2", "1"], "n": ["3", "1", "2"],
         "denominator": ["4", "4", "3"], "percent": ["75.00", "25.00", "66.67"]}
    )  # fmt: skip
    flow = pd.DataFrame({"survey": ["s"], "stage": ["analysed"], "n": ["4"]})
    study = Study({"s": "People"}, {}, {}, 0.05, 0.95, policy_of({"rule": "none"}),
                  {"t": {"survey": "s", "title": "Seen"}})  # fmt: skip
    table = descriptive_table(1, "t", frame, flow, study)
    assert table.header == ("", "People (N = 4)")
    assert [row.cells for row in table.rows] == [
        ("Seen?", ""), ("Yes", "3 (75.00%)"), ("No", "1 (25.00%)"),
        ("Liked?", "n = 3"), ("Yes", "2 (66.67%)"),
    ]  # fmt: skip
    assert any("fewer than all" in note for note in table.footnotes)


def test_the_rule_reads_only_published_tables():
    """The Word and Excel tables are made from results/tables/ alone: never from the
    respondents, the disclosure plans or the per-comparison files."""
    rule = (REPO / "workflow" / "rules" / "manuscript.smk").read_text(encoding="utf-8")
    inputs = rule.split("input:")[1].split("output:")[0]
    paths = re.findall(r'"(results/[^"]+)"', inputs)
    assert paths and all(path.startswith("results/tables/") for path in paths)
    assert "ORDINAL_MODELS" in inputs  # results/tables/ordinal_models.csv (common.smk)


def test_a_hidden_estimate_on_the_design_shows_no_interval_and_labels_stay_text(tmp_path):
    """A comparison on the design (weighted_comparisons.csv as published): its interval, given
    in the method's words, is printed only beside an estimate the rule shows; a hostile outcome
    label is text in the workbook."""
    from likertflow.manuscript import weighted_comparison_table

    method = "log odds ratio of a higher answer (-0.342821 to 0.534459); proportional-odds ..."
    frame = pd.DataFrame({
        "comparison": "c", "survey": "s", "outcome": "q", "n": ["40", "40", "*"],
        "groups": ["=A; B", "B vs =A", "B vs =A"], "test": ["design-based rank test",
        "proportional-odds model", "proportional-odds model"], "statistic": ["2.5", "-2.1", "*"],
        "df": "16", "p": ["0.02", "0.05", "*"], "estimate": ["0.05", "-0.29", "*"],
        "method": ["Lumley & Scott design-based rank test (x); t on 16 df", method, method],
    })  # fmt: skip
    study = Study({"s": "People"}, {"q": "=HYPERLINK(1)"}, {}, 0.05, 0.95,
                  policy_of({"rule": "none"}),
                  comparison_specs={"c": {"survey": "s", "by": "g"}})  # fmt: skip
    table = weighted_comparison_table(1, "c", frame, study)
    assert [row.cells[2:] for row in table.rows[1:]] == [
        ("t\u00a0=\u00a02.50", "16", "0.05", "0.02"),
        ("t\u00a0=\u00a0\u22122.10", "16", "\u22120.29\u00a0(\u22120.34 to 0.53)", "0.05"),
        ("*", "16", "*", "*"),
    ]
    write_xlsx([table], tmp_path / "t.xlsx")
    shown = read_xlsx(tmp_path / "t.xlsx")[0]
    assert shown.rows[0][0] == safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
