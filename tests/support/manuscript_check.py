"""Read results/tables.docx and results/tables.xlsx back and check every n, % and p they show
against the published CSVs of the same run (used by the tests of every run that makes them).

The checks parse the printed cells independently of the code that printed them: "9 (3.19%)"
is n 9 and 3.19 %, a p of "0.45" is a p within 0.005 of the CSV's, "<0.001" a p below 0.001
(or a bound such as <1e-412), "*" a value the CSV hides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

SUPPRESSED = "*"
NBSP = "\u00a0"


@dataclass
class Shown:
    """One table as a reader sees it: caption, header cells, rows of cell texts."""

    caption: str
    header: list[str]
    rows: list[list[str]]


def read_docx(path: Path) -> list[Shown]:
    from docx import Document

    document = Document(str(path))
    captions = [p.text for p in document.paragraphs if re.match(r"Table \d+\. ", p.text)]
    tables = []
    for caption, table in zip(captions, document.tables, strict=True):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        tables.append(Shown(caption, rows[0], rows[1:]))
    return tables


def read_xlsx(path: Path) -> list[Shown]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    tables = []
    for sheet in book.worksheets:
        rows = [[("" if c.value is None else str(c.value)) for c in r] for r in sheet.iter_rows()]
        width = max(i + 1 for i, value in enumerate(rows[1]) if value)
        body = []
        for row in rows[2:]:
            if not any(row):
                break  # the blank row before the footnotes
            body.append(row[:width])
        tables.append(Shown(rows[0][0], rows[1][:width], body))
    return tables


def text_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype="str", keep_default_na=False)


def p_agrees(shown: str, published: str, alpha: float = 0.05) -> bool:
    """Whether a printed p says what the CSV's p is."""
    if published == SUPPRESSED or shown == SUPPRESSED:
        return shown == published
    if published == "":
        return shown == ""
    if published.startswith("<"):
        return shown == "<0.001"
    if published.startswith(">"):  # a p the CSV already gives as journals print it
        return shown == published
    p = float(published)
    if shown == "<0.001":
        return p < 0.001
    if shown == ">0.99":
        return p > 0.99
    decimals = len(shown.split(".")[1])
    close = abs(p - float(shown)) <= 0.5 * 10**-decimals + 1e-12
    expected_decimals = 3 if p < 0.01 else 2
    more_for_alpha = p < alpha and decimals > expected_decimals  # 0.046, not 0.05
    return close and (decimals == expected_decimals or more_for_alpha)


def n_percent(cell: str) -> tuple[str, str]:
    """("9", "3.19") from "9 (3.19%)"; ("*", "*") from "*"; ("10", "*") from "10 (*)"."""
    if cell == SUPPRESSED:
        return SUPPRESSED, SUPPRESSED
    match = re.fullmatch(r"(\d+|\*) \((\S+?)%?\)", cell)
    assert match, f"not n (%): {cell!r}"
    return match.group(1), match.group(2)


def check_tables(shown: list[Shown], run: Path, config: dict) -> dict[str, int]:
    """Assert every number the tables show equals the CSVs'; counts of what was checked."""
    tables_dir = run / "results" / "tables"
    checked = {"n": 0, "percent": 0, "p": 0, "tables": 0, "suppressed": 0}
    position = 0
    flow = text_csv(tables_dir / "participant_flow.csv")
    for name, spec in config["tables"].items():
        table = shown[position]
        position += 1
        assert table.caption == f"Table {position}. {spec.get('title', name)}"
        frame = text_csv(tables_dir / f"{name}.csv")
        analysed = flow[(flow.survey == spec["survey"]) & (flow.stage == "analysed")]["n"].iloc[0]
        assert table.header[1].endswith(f"(N = {analysed})"), table.header
        rows = iter(table.rows)
        for _, question in frame.groupby("question_id", sort=False):
            heading = next(rows)
            assert heading[0] == question["question"].iloc[0]
            denominator = question["denominator"].iloc[0]
            if denominator != analysed:
                assert heading[1] == f"n = {denominator}", heading
            for response, n, percent in zip(
                question["response"], question["n"], question["percent"], strict=True
            ):
                row = next(rows)
                assert row[0] == response
                shown_n, shown_percent = n_percent(row[1])
                assert shown_n == n, (name, response, row)
                checked["n"] += 1
                checked["suppressed"] += n == SUPPRESSED
                if n != SUPPRESSED:
                    assert shown_percent == percent, (name, response, row)
                    checked["percent"] += 1
        assert next(rows, None) is None
        checked["tables"] += 1
    tests = text_csv(tables_dir / "comparisons.csv")
    groups = text_csv(tables_dir / "comparison_groups.csv")
    posthoc = text_csv(tables_dir / "posthoc.csv")
    models_path = tables_dir / "ordinal_models.csv"
    models = text_csv(models_path) if models_path.exists() else None
    alpha = config["analysis"]["alpha"]
    for name in config["comparisons"]:
        table = shown[position]
        position += 1
        rows = tests[tests.comparison == name]
        in_comparison = groups[groups.comparison == name]
        per_cell = {}  # column -> group whose n varies by outcome: each cell states it
        for column, header in enumerate(table.header[1:-4], start=1):
            match = re.fullmatch(r"(.*) \(n = (\S+)\)", header.replace(NBSP, " "))
            if match:
                sizes = set(in_comparison[in_comparison.group == match.group(1)]["n"])
                assert sizes == {match.group(2)}, (name, header)
                checked["n"] += 1
            else:
                per_cell[column] = header
        assert len(table.rows) == len(rows)
        for row, test in zip(table.rows, rows.to_dict("records"), strict=True):
            for column, group in per_cell.items():
                size = in_comparison[
                    (in_comparison.group == group) & (in_comparison.outcome == test["outcome"])
                ]["n"]
                if size.empty:
                    assert row[column] == "\u2013", (name, group, row)  # no respondents
                else:
                    cell = row[column].replace(NBSP, " ")
                    assert cell.endswith(f"; n = {size.iloc[0]}"), (name, group, row)
                    checked["n"] += 1
            assert p_agrees(row[-2], test["p"], alpha), (name, row[-2], test["p"])
            assert p_agrees(row[-1], test["p_adjusted"], alpha), (name, row[-1], test)
            checked["p"] += 2
        checked["tables"] += 1
        pairs = posthoc[posthoc.comparison == name]
        if len(pairs):
            table = shown[position]
            position += 1
            assert table.caption.startswith(f"Table {position}. Dunn's post-hoc pairs")
            body = [row for row in table.rows if " vs " in row[0]]
            assert len(body) == len(pairs)
            for row, pair in zip(body, pairs.to_dict("records"), strict=True):
                assert row[1] == f"{pair['n_a']} vs {pair['n_b']}"
                assert p_agrees(row[4], pair["p"], alpha) and p_agrees(row[5], pair["p_adjusted"])
                checked["n"] += 2
                checked["p"] += 2
            checked["tables"] += 1
        if models is not None and (models.comparison == name).any():
            table = shown[position]
            position += 1
            assert table.caption.startswith(f"Table {position}. Adjusted ordinal models")
            terms = models[models.comparison == name]
            heading_n = [row[3] for row in table.rows if row[3]]
            expected = [f"n = {n}" for n in terms.groupby("outcome", sort=False)["n"].first()]
            assert heading_n == expected
            body = [row for row in table.rows if not row[3]]
            for row, term in zip(body, terms.to_dict("records"), strict=True):
                assert row[0] == term["term"] and p_agrees(row[2], term["p"], alpha)
                checked["p"] += 1
            checked["n"] += len(expected)
            checked["tables"] += 1
    assert position == len(shown)
    return checked


def check_run(run: Path, config_path: Path) -> dict[str, dict[str, int]]:
    """Both files of a run checked against its CSVs; what was checked, per file."""
    from likertflow.schemas import validate

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    schema = run / "workflow" / "schemas" / "config.schema.yaml"
    config = validate(config, schema, str(config_path))
    return {
        "docx": check_tables(read_docx(run / "results" / "tables.docx"), run, config),
        "xlsx": check_tables(read_xlsx(run / "results" / "tables.xlsx"), run, config),
    }
