"""Tables for the manuscript on the shipped study: every n, % and p that results/tables.docx and
.xlsx show equals the published CSVs', Table 1 is laid out as the paper's, a rerun writes the same
bytes. The second worked example and the disclosure-controlled runs are checked with the same
reader (``support.manuscript_check``) in test_example_online_learning.py and
test_safe_publishing.py, on the runs those modules make anyway."""

from __future__ import annotations

import re

import pytest
from conftest import run_snakemake
from support.manuscript_check import check_run, read_docx

# --- on the shipped study --------------------------------------------------------------------


@pytest.mark.slow
def test_every_number_shown_equals_the_published_csvs(shipped_run):
    checked = check_run(shipped_run, shipped_run / "config" / "config.yaml")
    for counts in checked.values():
        # 7 descriptive tables, 7 comparisons, 1 Dunn table, 3 ordinal model tables
        assert counts["tables"] == 18
        assert counts["n"] > 60 and counts["percent"] > 30 and counts["p"] > 100


@pytest.mark.slow
def test_table_1_is_laid_out_as_the_papers(shipped_run, published):
    table = read_docx(shipped_run / "results" / "tables.docx")[0]
    assert table.caption == "Table 1. Patient age"
    assert table.header == ["", "Patients (N = 282)"]
    heading, *rows = table.rows
    assert heading[0] == "What is your age? (years)"  # the question, then its answers
    paper = published["tables"]["table1_patient_age"]
    assert [row[0] for row in rows] == list(paper)
    for row, (n, percent) in zip(rows, paper.values(), strict=True):
        shown = re.fullmatch(r"(\d+) \((\d+\.\d+)%\)", row[1])
        assert shown, row  # "9 (3.19%)", as the paper prints it
        assert int(shown.group(1)) == n
        assert float(shown.group(2)) == pytest.approx(percent, abs=0.011)  # paper truncates


@pytest.mark.slow
def test_a_rerun_writes_the_same_bytes(shipped_run):
    paths = [shipped_run / "results" / f"tables.{suffix}" for suffix in ["docx", "xlsx"]]
    before = [path.read_bytes() for path in paths]
    run_snakemake(
        shipped_run, "--forcerun", "write_manuscript_tables", *(str(p.relative_to(shipped_run))
                                                                for p in paths)
    )  # fmt: skip
    assert [path.read_bytes() for path in paths] == before
