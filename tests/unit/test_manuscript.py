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


# -- comparison and post-hoc tables, from published rows made by hand ------------------------------

NB = "\u00a0"
EQ = f"{NB}={NB}"


def comparison_rows():
    """Two comparisons of one Holm family (c1: 2 tests, c2: 1 test and 1 not tested), and a
    second family; groups of c1 listed out of their position order."""
    tests = pd.DataFrame(
        {"comparison": ["c1", "c1", "c2", "c2", "c3"],
         "outcome": ["trust", "q1", "trust", "q2", "q1"],
         "test": ["Kruskal-Wallis H", "Kruskal-Wallis H", "Mann-Whitney U", "none",
                  "Mann-Whitney U"],
         "statistic": ["5.987", "*", "12.0", "", "3"], "df": ["2", "2", "", "", ""],
         "effect_size": ["0.1049", "*", "-0.25", "", "0.5"],
         "effect_ci_low": ["0.0213", "*", "-0.6012", "", "0.1"],
         "effect_ci_high": ["1.0", "*", "0.1049", "", "0.9"],
         "p": ["0.0501", "0.0004", "0.00912", "", "0.5"],
         "p_adjusted": ["0.049", "0.0012", "0.995", "", "0.5"],
         "family": ["f1", "f1", "f1", "f1", "f2"],
         "adjust_method": ["holm", "holm", "holm", "holm", "fdr_bh"],
         "warning": ["", "group B has fewer than 5", "", "nan", ""]}
    )  # fmt: skip
    groups = pd.DataFrame(
        {"comparison": ["c1"] * 6,
         "outcome": ["trust", "trust", "trust", "q1", "q1", "q1"],
         "group": ["B", "A", "C", "B", "A", "C"],
         "group_position": ["1", "0", "2", "1", "0", "2"],
         "n": ["10", "12", "8", "10", "11", "*"],
         "median": ["3.5", "-0.126", "2", "4", "*", "3"],
         "mean_rank": ["15.26", "9.5", "*", "12", "*", "*"]}
    )  # fmt: skip
    return tests, groups


def study_for(policy=None, **specs):
    from likertflow.manuscript import Study

    return Study({"s": "Patients", "e": "Experts", "p": "Public"}, {"trust": "Trust in staff"},
                 {("s", "age"): "How old are you?"}, 0.05, 0.95,
                 policy or policy_of({"rule": "none"}), comparison_specs=specs)  # fmt: skip


def test_a_comparison_table_has_a_row_per_outcome_and_a_column_per_group_in_order():
    from likertflow.manuscript import comparison_table

    tests, groups = comparison_rows()
    study = study_for(c1={"survey": "s", "by": "age"})
    table = comparison_table(3, "c1", tests, groups, study)
    assert (table.number, table.title) == (
        3,
        "Patients by their answer to \u201cHow old are you?\u201d",
    )
    # B has one n for every outcome: in its header; A (12, 11) and C (8, *): in each cell
    assert table.header == (
        "Outcome", "A", "B (n = 10)", "C", "Test statistic", "Effect size (95% CI)", "p",
        "Adjusted p",
    )  # fmt: skip
    assert [row.cells for row in table.rows] == [
        ("Trust in staff", f"\u22120.13{NB}(9.5); n{EQ}12", f"3.50{NB}(15.3)",
         f"2.00; n{EQ}8", f"H(2){EQ}5.99", f"\u03b5\u00b2{EQ}0.10{NB}(0.02 to 1.00)", "0.05",
         "0.049"),
        ("q1", f"*; n{EQ}11", f"4.00{NB}(12.0)", f"3.00; n{EQ}*", "*", "*", "<0.001", "0.001"),
    ]  # fmt: skip


def test_a_comparison_tables_notes_name_its_tests_family_warnings_and_rule():
    from likertflow.disclosure import Policy
    from likertflow.manuscript import P_NOTE, comparison_table

    tests, groups = comparison_rows()
    policy = Policy("nhs", min_count=10, rounding=5, min_statistic_n=10)
    table = comparison_table(1, "c1", tests, groups, study_for(policy, c1={"survey": "s"}))
    assert table.footnotes == (
        "Cells: each group's median (mean rank) of the outcome, a theme score (the mean of the "
        "theme's statement codes) or a statement's code; n: respondents with a value. "
        "Comparison c1 of results/tables/comparisons.csv.",
        "H(df): Kruskal-Wallis H test, tie-corrected, chi-squared approximation on the df "
        "shown; \u03b5\u00b2: epsilon-squared = H/(n - 1), with a one-sided 95% interval "
        "[lower bound, 1] from the noncentral chi-squared distribution of H.",
        "Adjusted p: Holm's step-down method over the family f1, the 3 tests of c1, c2.",
        P_NOTE,
        "Warning: group B has fewer than 5.",
        "Disclosure control (nhs): counts from 1 to 9 are hidden; every other count is rounded "
        "to the nearest 5; no statistic is given for a group of fewer than 10; mean ranks and "
        "test statistics are not given, as they would undo the rounding; statistics are given "
        "to two decimals, p as journals print it. * marks a value hidden by it, or hidden "
        "because subtraction from a total would reveal one.",
    )


def test_a_two_group_comparison_names_its_first_group_and_what_was_not_tested():
    from likertflow.manuscript import comparison_table

    tests, _ = comparison_rows()
    groups = pd.DataFrame(
        {"comparison": "c2", "outcome": ["trust", "trust"], "group": ["Yes", "No"],
         "group_position": ["0", "1"], "n": ["4", "6"], "median": ["2", "3"],
         "mean_rank": ["4.5", "6.1"]}
    )  # fmt: skip
    study = study_for(c2={"by": "survey", "surveys": ["s", "e", "p"]})
    table = comparison_table(2, "c2", tests, groups, study)
    assert table.title == "Patients, Experts and Public compared"
    assert [row.cells for row in table.rows] == [
        ("Trust in staff", f"2.00{NB}(4.5)", f"3.00{NB}(6.1)", f"U{EQ}12",
         f"r{EQ}\u22120.25{NB}(\u22120.60 to 0.10)", "0.009", ">0.99"),
        ("q2", "\u2013", "\u2013", "not tested", "", "", ""),
    ]  # fmt: skip
    notes = table.footnotes
    assert notes[1] == (
        "U: Mann-Whitney U test (U of \u201cYes\u201d), two-sided, normal approximation with tie "
        "and continuity correction (exact where there are no ties and a group has at most 8 "
        "respondents); r: rank-biserial correlation (> 0: \u201cYes\u201d ranks higher), with a "
        "95% percentile bootstrap interval."
    )
    assert notes[2] == "Not tested: fewer than two groups with a value, or all values equal."
    assert (
        notes[3] == "Adjusted p: Holm's step-down method over the family f1, the 3 tests of c1, c2."
    )
    assert not any(note.startswith(("Warning", "Disclosure")) for note in notes)


def test_disclosure_notes_name_only_what_the_rule_does():
    from likertflow.disclosure import Policy
    from likertflow.manuscript import _disclosure_notes

    assert _disclosure_notes(Policy("none"), True) == []
    assert _disclosure_notes(Policy("threshold", min_count=2), False) == [
        "Disclosure control (threshold): counts from 1 to 1 are hidden; statistics are given to "
        "two decimals, p as journals print it."
    ]
    assert _disclosure_notes(Policy("r", rounding=2), False) == [
        "Disclosure control (r): every other count is rounded to the nearest 2; mean ranks and "
        "test statistics are not given, as they would undo the rounding; statistics are given "
        "to two decimals, p as journals print it."
    ]
    assert _disclosure_notes(Policy("m", min_statistic_n=1), False) == [
        "Disclosure control (m): no statistic is given for a group of fewer than 1; statistics "
        "are given to two decimals, p as journals print it."
    ]


def test_post_hoc_pairs_by_outcome_with_their_gate():
    from likertflow.manuscript import P_NOTE, posthoc_table

    posthoc = pd.DataFrame(
        {"comparison": ["c1", "c1", "c1", "c9"], "outcome": ["trust", "trust", "q1", "q1"],
         "group_a": ["A", "A", "B", "x"], "group_b": ["B", "C", "C", "y"],
         "n_a": ["12", "12", "10", "1"], "n_b": ["10", "8", "*", "1"],
         "mean_rank_a": ["9.46", "9.5", "12", "1"], "mean_rank_b": ["15.26", "*", "3", "1"],
         "z": ["-2.345", "0.5", "1", "0"], "p": ["0.019", "0.6", "0.0005", "1"],
         "p_adjusted": ["0.038", "0.6", "0.001", "1"],
         "adjust_method": ["holm", "holm", "fdr_bh", "holm"],
         "gate_family": ["f1", "f1", "f2", "f9"]}
    )  # fmt: skip
    study = study_for(c1={"survey": "s", "by": "age"})
    table = posthoc_table(4, "c1", posthoc, study)
    assert table.title == (
        "Dunn's post-hoc pairs: Patients by their answer to \u201cHow old are you?\u201d"
    )
    assert table.header == ("Groups compared", "n", "Mean ranks", "z", "p", "Adjusted p")
    assert [(row.cells, row.heading, row.indent) for row in table.rows] == [
        (("Trust in staff", "", "", "", "", ""), True, False),
        (("A vs B", "12 vs 10", "9.5 vs 15.3", "\u22122.35", "0.02", "0.04"), False, True),
        (("A vs C", "12 vs 8", "*", "0.50", "0.60", "0.60"), False, True),
        (("q1", "", "", "", "", ""), True, False),
        (("B vs C", "10 vs *", "12.0 vs 3.0", "1.00", "<0.001", "0.001"), False, True),
    ]  # fmt: skip
    assert table.footnotes == (
        "Dunn's test with tie correction, two-sided normal p (z > 0: the first group of the pair "
        "ranks higher); adjusted p: Holm's step-down method, Benjamini-Hochberg's method over "
        "the pairs of each outcome.",
        "Shown for the outcomes whose Kruskal-Wallis test had an adjusted p below 0.05 within "
        "its family (f1, f2). Source: results/tables/posthoc.csv, comparison c1.",
        P_NOTE,
    )
    assert posthoc_table(5, "c2", posthoc, study) is None


def test_ordinal_models_odds_ratios_by_outcome_and_term_with_doubtful_odds_named():
    from likertflow.manuscript import P_NOTE, ordinal_table

    models = pd.DataFrame(
        {"comparison": ["c1", "c1", "c1", "c2"], "outcome": ["trust", "trust", "q1", "q1"],
         "n": ["40", "40", "35", "1"],
         "term": ["group: B vs A", "age: 2 vs 1", "group: B vs A", "x"],
         "odds_ratio": ["2.456", "0.5", "*", "1"], "ci_low": ["1.1", "0.25", "*", "1"],
         "ci_high": ["5.49", "0.996", "*", "1"], "p": ["0.028", "0.048", "*", "1"],
         "covariates": ["age", "age", "age", "sex"],
         "warning": ["Brant test p 0.01 < 0.05", "Brant test p 0.01 < 0.05", "", ""]}
    )  # fmt: skip
    study = study_for(c1={"survey": "s", "by": "age"})
    table = ordinal_table(6, "c1", models, study)
    assert (
        table.title
        == "Adjusted ordinal models: Patients by their answer to \u201cHow old are you?\u201d"
    )
    assert table.header == ("Outcome and term", "Odds ratio (95% CI)", "p", "n")
    assert [(row.cells, row.heading, row.indent) for row in table.rows] == [
        (("Trust in staff", "", "", "n = 40"), True, False),
        (("group: B vs A", f"2.46{NB}(1.10 to 5.49)", "0.03", ""), False, True),
        (("age: 2 vs 1", f"0.50{NB}(0.25 to 1.00)", "0.048", ""), False, True),
        (("q1", "", "", "n = 35"), True, False),
        (("group: B vs A", "*", "*", ""), False, True),
    ]  # fmt: skip
    assert table.footnotes[0].startswith(
        "Proportional-odds (cumulative logit) model of each outcome on the groups (group) and "
        "age, by maximum likelihood."
    )
    assert table.footnotes[0].endswith(
        "Wald 95% confidence intervals and p; n: respondents with every value (complete cases). "
        "Source: results/tables/ordinal_models.csv, comparison c1."
    )
    assert table.footnotes[1:] == (
        P_NOTE,
        "Proportional odds doubtful (Brant test p < 0.05): Trust in staff. Read their odds "
        "ratios as averages over the outcome's cut points.",
    )
    assert ordinal_table(7, "c3", models, study) is None
    assert ordinal_table(7, "c1", None, study) is None
    assert len(ordinal_table(7, "c2", models, study_for(c2={"survey": "s"})).footnotes) == 2


def test_every_table_in_print_order_numbered_from_one(monkeypatch):
    """Descriptive tables in config order, then per comparison in config order its table, its
    Dunn pairs and its ordinal models, then weighted percentages, comparisons on the design,
    pairs and weighted panels (two before-by-after tables each); each builder given the next
    number and its own published frames (the builders replaced by recorders)."""
    from likertflow import manuscript

    given = {}

    def recorder(kind, none_for=()):
        def build(number_, name, *args):
            if name in none_for:
                return None
            given[f"{kind} {name}"] = args
            return Table(number_, f"{kind} {name}", ("",), ())

        return build

    for kind in ("descriptive", "comparison", "weighted", "weighted_comparison", "paired",
                 "weighted_paired"):  # fmt: skip
        monkeypatch.setattr(manuscript, f"{kind}_table", recorder(kind))
    monkeypatch.setattr(manuscript, "posthoc_table", recorder("posthoc", none_for=("c2",)))
    monkeypatch.setattr(manuscript, "ordinal_table", recorder("ordinal", none_for=("c1",)))

    def before_after(number_, pair, *args):
        given[f"cells {pair}"] = args
        return [Table(number_ + i, f"cells {pair} {i}", ("",), ()) for i in range(2)]

    monkeypatch.setattr(manuscript, "weighted_before_after_tables", before_after)
    study = study_for(c2={}, c1={}, c3={})
    study = Study(**{**study.__dict__, "table_specs": {"t2": {}, "t1": {}, "t4": {}}})
    tests = pd.DataFrame({"comparison": ["c1", "c2"]})
    t1, t2, t3, flow, groups, posthoc, models, cells = (object() for _ in range(8))
    weighted = pd.DataFrame({"survey": ["e", "s", "e"]})
    paired = pd.DataFrame({"pair": ["p2", "p1", "p2"]})
    on_design = pd.DataFrame({"comparison": ["c3", "c1"]})
    panel = pd.DataFrame({"pair": ["w1", "w1"]})
    tables = manuscript.manuscript_tables(
        {"t1": t1, "t2": t2, "t3": t3}, flow, tests, groups, posthoc, models, study,
        weighted=weighted, paired=paired, weighted_comparisons=on_design,
        weighted_pairs=(panel, cells),
    )  # fmt: skip
    assert [(t.number, t.title) for t in tables] == list(enumerate([
        "descriptive t2", "descriptive t1",
        "comparison c2", "ordinal c2", "comparison c1", "posthoc c1", "posthoc c3", "ordinal c3",
        "weighted e", "weighted s",
        "weighted_comparison c1", "weighted_comparison c3",
        "paired p2", "paired p1",
        "weighted_paired w1", "cells w1 0", "cells w1 1",
    ], start=1))  # fmt: skip
    expected = {
        "descriptive t2": (t2, flow, study), "descriptive t1": (t1, flow, study),
        "comparison c2": (tests, groups, study), "comparison c1": (tests, groups, study),
        "posthoc c1": (posthoc, study), "posthoc c3": (posthoc, study),
        "ordinal c2": (models, study), "ordinal c3": (models, study),
        "weighted e": (weighted, study), "weighted s": (weighted, study),
        "weighted_comparison c1": (on_design, study), "weighted_comparison c3": (on_design, study),
        "paired p2": (paired, study), "paired p1": (paired, study),
        "weighted_paired w1": (panel, study), "cells w1": (cells, study),
    }  # fmt: skip
    assert given.keys() == expected.keys()
    for title, args in expected.items():
        assert len(given[title]) == len(args) and all(
            a is b for a, b in zip(given[title], args, strict=True)
        ), title
    given.clear()
    assert len(manuscript.manuscript_tables({}, flow, tests, groups, posthoc, None, study)) == 6
    assert given["ordinal c3"][0] is None


def test_weighted_percentages_with_their_interval_and_design_effect():
    from likertflow.manuscript import weighted_table

    frequencies = pd.DataFrame(
        {"survey": ["s", "s", "s", "e"], "question_id": ["q", "q", "r", "q"],
         "question": ["Seen?", "Seen?", "Liked?", "x"], "response": ["Yes", "No", "Yes", "x"],
         "n": ["30", "*", "12", "1"], "weighted_percent": ["61.234", "*", "", "1"],
         "ci_low": ["45.06", "*", "", "1"], "ci_high": ["75.44", "*", "", "1"],
         "deff": ["1.456", "*", "", "1"], "method": "Taylor linearisation"}
    )  # fmt: skip
    table = weighted_table(2, "s", frequencies, study_for())
    assert (table.number, table.title) == (2, "Weighted percentages: Patients")
    assert table.header == ("", "n", "Weighted % (95% CI)", "deff")
    assert [(row.cells, row.heading, row.indent) for row in table.rows] == [
        (("Seen?", "", "", ""), True, False),
        (("Yes", "30", "61.2 (45.1 to 75.4)", "1.46"), False, True),
        (("No", "*", "*", "*"), False, True),
        (("Liked?", "", "", ""), True, False),
        (("Yes", "12", "", ""), False, True),
    ]  # fmt: skip
    assert table.footnotes == (
        "n: respondents who gave the answer (unweighted); weighted %: of those who answered, "
        "with its 95% confidence interval; deff: design effect.",
        "Method: Taylor linearisation.",
    )
    assert weighted_table(3, "none", frequencies, study_for()).footnotes[1] == "Method: ."


def test_before_and_after_tests_a_row_per_statement():
    from likertflow.manuscript import paired_table

    tests = pd.DataFrame(
        {"pair": ["w", "w", "v"], "question": ["Trust", "Care", "x"],
         "pairs": ["40", "*", "1"], "unchanged": ["12", "*", "1"],
         "signed_rank_v": ["123.45", "*", "1"], "p": ["0.0042", "*", "1"],
         "rank_biserial": ["-0.3141", "*", "1"], "rb_ci_low": ["-0.55", "*", "1"],
         "rb_ci_high": ["-0.051", "*", "1"], "marginal_p": ["0.2", "*", "1"]}
    )  # fmt: skip
    table = paired_table(4, "w", tests, study_for())
    assert (table.number, table.title) == (4, "Before and after: w")
    assert table.header == ("Statement", "Pairs (unchanged)", "V", "p", "r (95% CI)",
                            "Marginal p")  # fmt: skip
    assert [row.cells for row in table.rows] == [
        ("Trust", "40 (12)", "123.5", "0.004", "\u22120.31 (\u22120.55 to \u22120.05)", "0.20"),
        ("Care", "* (*)", "*", "*", "*", "*"),
    ]
    assert table.footnotes[0].startswith("Pairs: matched people who answered the statement")
    assert "with its 95% confidence interval" in table.footnotes[0]
    assert len(table.footnotes) == 1


def test_a_weighted_panels_tests_and_before_by_after_tables_one_per_scale():
    from likertflow.manuscript import P_NOTE, weighted_before_after_tables, weighted_paired_table

    tests = pd.DataFrame(
        {"pair": ["w", "w", "v"], "question": ["Trust", "Care", "x"], "n": ["40", "*", "1"],
         "weighted_mean_before": ["3.214", "*", "1"], "weighted_mean_after": ["3.5", "*", "1"],
         "mean_difference": ["0.286", "*", "1"], "ci_low": ["-0.014", "*", "1"],
         "ci_high": ["0.5861", "*", "1"], "statistic": ["1.95", "*", "1"],
         "df": ["38", "*", "1"], "p": ["0.058", "*", "1"], "method": "design-based t"}
    )  # fmt: skip
    table = weighted_paired_table(5, "w", tests, study_for())
    assert (table.number, table.title) == (5, "Before and after, weighted: w")
    assert table.header == ("Statement", "n", "Before", "After", "Difference (95% CI)", "t", "p")
    assert [row.cells for row in table.rows] == [
        ("Trust", "40", "3.21", "3.50", f"0.29{NB}(\u22120.01 to 0.59)", f"t(38){EQ}1.95", "0.06"),
        ("Care", "*", "*", "*", "*", "*", "*"),
    ]  # fmt: skip
    assert table.footnotes[0].endswith("Source: results/tables/weighted_paired_tests.csv, pair w.")
    assert table.footnotes[1:] == ("Method: design-based t.", P_NOTE)

    cells = pd.DataFrame(
        {"pair": "w",
         "statement": ["trust"] * 4 + ["care"] * 4 + ["seen"] * 4,
         "before": ["Low", "Low", "High", "High"] * 2 + ["No", "No", "Yes", "Yes"],
         "after": ["Low", "High"] * 4 + ["No", "Yes", "No", "Yes"],
         "n": ["5", "3", "*", "10", "1", "2", "3", "4", "6", "0", "1", "9"],
         "weighted_percent": ["31.24", "18.76", "*", "50", "10", "20", "30", "40", "37.5", "0",
                              "6.26", "56.24"],
         "method": "first wave's design"}
    )  # fmt: skip
    tables = weighted_before_after_tables(6, "w", cells, study_for())
    assert [(t.number, t.title, t.header) for t in tables] == [
        (6, "Before by after, weighted: w", ("Before \\ after", "Low", "High")),
        (7, "Before by after, weighted: w", ("Before \\ after", "No", "Yes")),
    ]
    assert [(row.cells, row.heading) for row in tables[0].rows] == [
        (("Trust in staff", "", ""), True),
        (("Low", "5 (31.2%)", "3 (18.8%)"), False),
        (("High", "*", "10 (50.0%)"), False),
        (("care", "", ""), True),
        (("Low", "1 (10.0%)", "2 (20.0%)"), False),
        (("High", "3 (30.0%)", "4 (40.0%)"), False),
    ]  # fmt: skip
    assert [row.cells for row in tables[1].rows][1:] == [
        ("No", "6 (37.5%)", "0 (0.0%)"), ("Yes", "1 (6.3%)", "9 (56.2%)")
    ]  # fmt: skip
    assert tables[1].footnotes[1:] == ("Method: first wave's design.",)


def test_names_for_the_tables_from_the_codebook_and_config():
    from likertflow.manuscript import study_of
    from likertflow.settings import ManuscriptSettings
    from support import exportkit

    patients = exportkit.questionnaire("patients")
    config = {"tables": {"t": {"survey": "s"}}, "comparisons": {"c": {"by": "survey"}}}
    policy = policy_of({"rule": "none"})
    study = study_of({"s": patients}, config, ManuscriptSettings(0.01, 0.9), policy)
    assert study.survey_labels == {"s": "Patients"}
    assert study.question_texts[("s", "saw_images")] == "Did you see your radiological images?"
    assert study.outcome_labels["saw_images"] == "Did you see your radiological images?"
    assert study.outcome_labels["knowledge_and_understanding"] == (
        "Contribution to knowledge and understanding"
    )
    assert (study.alpha, study.confidence_level, study.policy) == (0.01, 0.9, policy)
    assert (study.table_specs, study.comparison_specs) == (config["tables"], config["comparisons"])


def test_a_descriptive_table_without_flow_or_title_under_a_rule():
    from likertflow.disclosure import Policy
    from likertflow.manuscript import Study

    frame = pd.DataFrame(
        {"question_id": ["q", "q"], "question": ["Seen?", "Seen?"], "response": ["Yes", "No"],
         "code": ["1", "2"], "n": ["*", "10"], "denominator": ["10", "10"],
         "percent": ["*", ""]}
    )  # fmt: skip
    flow = pd.DataFrame({"survey": ["other"], "stage": ["analysed"], "n": ["4"]})
    study = Study({}, {}, {}, 0.05, 0.95, Policy("threshold", min_count=10),
                  {"t": {"survey": "s"}})  # fmt: skip
    table = descriptive_table(1, "t", frame, flow, study)
    assert (table.title, table.header) == ("t", ("", "s"))  # no analysed N: the survey alone
    assert [row.cells for row in table.rows] == [("Seen?", "n = 10"), ("Yes", "*"), ("No", "10")]
    assert table.footnotes == (
        "Values are n (%) of the respondents asked each question.",
        "A question asked of fewer than all respondents (by the questionnaire's skip logic) "
        "gives its n beside its wording; its percentages are of those asked.",
        "Disclosure control (threshold): counts from 1 to 9 are hidden; statistics are given to "
        "two decimals, p as journals print it. * marks a value hidden by it, or hidden because "
        "subtraction from a total would reveal one.",
    )


def test_a_statistic_of_another_test_is_named_by_it():
    from likertflow.manuscript import _statistic

    test = {"test": "Chi-squared", "statistic": "3.14159", "df": "1"}
    assert _statistic(test) == f"Chi-squared{EQ}3.14"
    assert _statistic({**test, "statistic": "nan"}) == "not tested"
    assert _statistic({**test, "test": "Mann-Whitney U", "statistic": "12.5"}) == f"U{EQ}12.5"


STRICT_ALPHA = 0.01  # p = 0.0096 prints as 0.0096 against it, 0.010 against 0.05
HIDING = "threshold"


def strict_study():
    from likertflow.disclosure import Policy

    study = study_for(Policy(HIDING, min_count=10), c1={"survey": "s", "by": "age"})
    return Study(**{**study.__dict__, "alpha": STRICT_ALPHA})


def rule_note(hidden: bool) -> str:
    note = (
        f"Disclosure control ({HIDING}): counts from 1 to 9 are hidden; statistics are given to "
        "two decimals, p as journals print it."
    )
    return note + (
        " * marks a value hidden by it, or hidden because subtraction from a total would "
        "reveal one." if hidden else ""
    )


def test_post_hoc_pairs_against_the_studys_alpha_under_a_rule():
    from likertflow.manuscript import posthoc_table

    posthoc = pd.DataFrame(
        {"comparison": "c1", "outcome": ["q1"], "group_a": ["A"], "group_b": ["B"],
         "n_a": ["12"], "n_b": ["10"], "mean_rank_a": ["*"], "mean_rank_b": ["3"], "z": ["1"],
         "p": ["0.0096"], "p_adjusted": ["0.0096"], "adjust_method": ["bonferroni"],
         "gate_family": ["f1"]}
    )  # fmt: skip
    table = posthoc_table(8, "c1", posthoc, strict_study())
    assert table.number == 8
    assert table.rows[1].cells == ("A vs B", "12 vs 10", "*", "1.00", "0.0096", "0.0096")
    assert table.footnotes[0].endswith("adjusted p: bonferroni over the pairs of each outcome.")
    assert "adjusted p below 0.01 within" in table.footnotes[1]
    assert table.footnotes[3] == rule_note(True)


def test_ordinal_models_whose_warning_was_read_as_nan_are_not_doubtful():
    from likertflow.manuscript import ordinal_table

    models = pd.DataFrame(
        {"comparison": "c1", "outcome": ["q1"], "n": ["35"], "term": ["group: B vs A"],
         "odds_ratio": ["2"], "ci_low": ["1"], "ci_high": ["3"], "p": ["0.0096"],
         "covariates": ["age"], "warning": ["nan"]}
    )  # fmt: skip
    table = ordinal_table(1, "c1", models, strict_study())
    assert table.rows[1].cells[2] == "0.0096"
    assert not any(note.startswith("Proportional odds doubtful") for note in table.footnotes)
    assert table.footnotes[-1] == rule_note(False)


def test_weighted_percentages_keep_the_questions_order_and_name_an_unlabelled_survey():
    from likertflow.manuscript import weighted_table

    frequencies = pd.DataFrame(
        {"survey": "x", "question_id": ["z", "a"], "question": ["Zed?", "Aye?"],
         "response": ["Yes", "No"], "n": ["*", "20"], "weighted_percent": ["*", "40"],
         "ci_low": ["*", "30"], "ci_high": ["*", "50"], "deff": ["*", "1"],
         "method": "Taylor"}
    )  # fmt: skip
    table = weighted_table(1, "x", frequencies, strict_study())
    assert table.title == "Weighted percentages: x"
    assert [row.cells[0] for row in table.rows] == ["Zed?", "Yes", "Aye?", "No"]
    assert table.footnotes[1:] == ("Method: Taylor.", rule_note(True))
    one = frequencies.iloc[1:]
    assert weighted_table(1, "x", one, strict_study()).footnotes[1:] == (
        "Method: Taylor.", rule_note(False)
    )  # fmt: skip


def test_before_and_after_tests_against_the_studys_alpha_with_every_note():
    from likertflow.manuscript import paired_table

    tests = pd.DataFrame(
        {"pair": "w", "question": ["Trust"], "pairs": ["40"], "unchanged": ["12"],
         "signed_rank_v": ["10"], "p": ["0.0096"], "rank_biserial": ["nan"],
         "rb_ci_low": ["nan"], "rb_ci_high": ["nan"], "marginal_p": ["0.0096"]}
    )  # fmt: skip
    table = paired_table(1, "w", tests, strict_study())
    assert table.rows[0].cells == ("Trust", "40 (12)", "10.0", "0.0096", "", "0.0096")
    assert table.footnotes == (
        "Pairs: matched people who answered the statement at both times (unchanged: those "
        "whose answer did not change, left out of the signed-rank test). V: Wilcoxon's "
        "signed-rank statistic of after minus before; r: matched-pairs rank-biserial "
        "correlation (> 0: higher after) with its 95% confidence interval; "
        "marginal p: Stuart-Maxwell test of marginal homogeneity (McNemar's for two points).",
        rule_note(False),
    )


def test_a_descriptive_table_keeps_its_questions_order_and_marks_headings_and_answers():
    from likertflow.manuscript import Study

    frame = pd.DataFrame(
        {"question_id": ["z", "z", "a"], "question": ["Zed?", "Zed?", "Aye?"],
         "response": ["Yes", "No", "Yes"], "code": ["1", "2", "1"], "n": ["3", "1", "2"],
         "denominator": ["3", "3", "4"], "percent": ["75.00", "25.00", "50.00"]}
    )  # fmt: skip
    flow = pd.DataFrame({"survey": ["s"], "stage": ["analysed"], "n": ["4"]})
    study = Study({"s": "People"}, {}, {}, 0.05, 0.95, policy_of({"rule": "none"}),
                  {"t": {"survey": "s", "title": "Seen"}})  # fmt: skip
    table = descriptive_table(7, "t", frame, flow, study)
    assert (table.number, table.title) == (7, "Seen")
    assert [(row.cells, row.heading, row.indent) for row in table.rows] == [
        (("Zed?", "n = 3"), True, False), (("Yes", "3 (75.00%)"), False, True),
        (("No", "1 (25.00%)"), False, True), (("Aye?", ""), True, False),
        (("Yes", "2 (50.00%)"), False, True),
    ]  # fmt: skip
    assert len(table.footnotes) == 2  # the partly asked question's note, though asked first
    everyone = frame.assign(denominator="4")
    assert descriptive_table(7, "t", everyone, flow, study).footnotes == (
        "Values are n (%) of the respondents asked each question.",
    )
    unnamed = descriptive_table(2, "other", frame, flow, study)  # a table the config lacks
    assert (unnamed.title, unnamed.header) == ("other", ("", ""))


def test_ordinal_models_name_every_covariate_and_doubtful_outcome_and_mark_hidden_values():
    from likertflow.manuscript import ordinal_table

    models = pd.DataFrame(
        {"comparison": "c1", "outcome": ["q1", "q2"], "n": ["35", "30"],
         "term": ["group: B vs A"] * 2, "odds_ratio": ["2", "*"], "ci_low": ["1", "*"],
         "ci_high": ["3", "*"], "p": ["0.5", "*"], "covariates": ["age", "sex"],
         "warning": ["Brant", "Brant"]}
    )  # fmt: skip
    table = ordinal_table(9, "c1", models, strict_study())
    assert table.number == 9
    assert "on the groups (group) and age, sex, by maximum" in table.footnotes[0]
    assert table.footnotes[2] == (
        "Proportional odds doubtful (Brant test p < 0.01): q1; q2. Read their odds ratios as "
        "averages over the outcome's cut points."
    )
    assert table.footnotes[3] == rule_note(True)


def test_a_weighted_panels_untested_statement_and_every_note():
    from likertflow.manuscript import weighted_before_after_tables, weighted_paired_table

    tests = pd.DataFrame(
        {"pair": "w", "question": ["Trust", "Care"], "n": ["1", "*"],
         "weighted_mean_before": ["3", "*"], "weighted_mean_after": ["3", "*"],
         "mean_difference": ["nan", "*"], "ci_low": ["nan", "*"], "ci_high": ["nan", "*"],
         "statistic": ["nan", "*"], "df": ["nan", "*"], "p": ["0.0096", "*"],
         "method": "design-based t"}
    )  # fmt: skip
    table = weighted_paired_table(1, "w", tests, strict_study())
    assert table.rows[0].cells == ("Trust", "1", "3.00", "3.00", "", "", "0.0096")
    assert table.footnotes[0] == (
        "n: matched people who answered the statement at both times (unweighted). Before, "
        "after: their weighted mean answer code (the scale's codes, not mirrored); difference: "
        "after less before, with its 95% confidence interval; t: the design-based one-sample t "
        "test of the paired differences. Source: results/tables/weighted_paired_tests.csv, "
        "pair w."
    )
    assert table.footnotes[3] == rule_note(True)
    alone = weighted_paired_table(1, "w", tests.iloc[:1], strict_study())
    assert alone.footnotes[1] == "Method: design-based t."
    assert weighted_paired_table(1, "v", tests, strict_study()).footnotes[1] == "Method: ."

    cells = pd.DataFrame(
        {"pair": "w", "statement": "trust", "before": ["Low", "Low"], "after": ["Low", "High"],
         "n": ["*", "3"], "weighted_percent": ["*", "60"], "method": "first wave's design"}
    )  # fmt: skip
    (shown,) = weighted_before_after_tables(1, "w", cells, strict_study())
    assert [(row.heading, row.indent) for row in shown.rows] == [(True, False), (False, True)]
    assert shown.footnotes == (
        "Rows: the answer before; columns: the answer after. Cells: unweighted n (weighted % of "
        "the matched people who answered at both times, by the first wave's design). Intervals, "
        "design effects and effective sample sizes: results/tables/weighted_paired_tables.csv, "
        "pair w.",
        "Method: first wave's design.",
        rule_note(True),
    )


def test_a_comparison_on_the_design_row_by_row_with_its_methods():
    from likertflow.manuscript import P_NOTE, weighted_comparison_table

    odds = "log odds ratio of a higher answer (-0.342821 to 0.534459); proportional-odds, t"
    frame = pd.DataFrame(
        {"comparison": ["c1"] * 4 + ["c9"], "outcome": ["z_q", "z_q", "trust", "trust", "x"],
         "n": ["50", "49", "*", "*", "1"],
         "groups": ["A; B; C", "B vs A", "B vs A", "A; B", "x"],
         "test": ["design-based rank test", "proportional-odds model", "difference in means",
                  "another test", "x"],
         "statistic": ["7.891", "-2.1", "*", "nan", "1"], "df": ["45", "45", "45", "nan", "1"],
         "p": ["0.0096", "0.04", "*", "0.2", "1"], "estimate": ["nan", "-0.29", "*", "0.5", "1"],
         "method": ["Lumley & Scott; Wald chi-squared as F on (2, 45) df", odds,
                    "difference in weighted mean score (0.1 to 0.5); linearisation", "other",
                    "x"]}
    )  # fmt: skip
    table = weighted_comparison_table(4, "c1", frame, strict_study())
    assert (table.number, table.title) == (
        4, "Compared on the survey design: Patients by their answer to \u201cHow old are you?\u201d"
    )  # fmt: skip
    assert table.header == ("Outcome and test", "n", "Statistic", "df", "Estimate (95% CI)", "p")
    assert [(row.cells, row.heading, row.indent) for row in table.rows] == [
        (("z_q", "50", "", "", "", ""), True, False),
        (("Rank test: A, B, C", "", f"\u03c7\u00b2{EQ}7.89", "2, 45", "", "0.0096"), False, True),
        (("Proportional-odds model: B vs A", "", f"t{EQ}\u22122.10", "45",
          f"\u22120.29{NB}(\u22120.34 to 0.53)", "0.04"), False, True),
        (("Trust in staff", "*", "", "", "", ""), True, False),
        (("Difference in means: B vs A", "", "*", "45", "*", "*"), False, True),
        (("another test: A, B", "", "", "", "0.50", "0.20"), False, True),
    ]  # fmt: skip
    assert table.footnotes == (
        "Each outcome's n: respondents in a compared group with a value (unweighted). Rank test: "
        "Lumley and Scott's design-based rank test, t (two groups; estimate: the difference in "
        "mean rank score, second group less first) or Wald \u03c7\u00b2 (more groups, its p from "
        "F = \u03c7\u00b2/(k \u2212 1) on the df shown). Proportional-odds model: log odds ratio "
        "of a higher answer, each group against the first. Difference in means: the difference "
        "in weighted mean score, each group against the first. Intervals: 95%, on the df shown. "
        "Source: results/tables/weighted_comparisons.csv, comparison c1.",
        "Method: Lumley & Scott; Wald chi-squared as F on (2, 45) df.",
        "Method: proportional-odds, t.",
        "Method: linearisation.",
        "Method: other.",
        P_NOTE,
        rule_note(True),
    )


def test_a_count_without_a_percentage_is_printed_alone():
    assert n_percent("10", "nan") == "10"
    assert n_percent("10", "") == "10"


def test_comparison_titles_fall_back_to_the_configs_own_names():
    from likertflow.manuscript import _comparison_title

    study = study_for(
        by_survey={"by": "survey", "surveys": ["s", "x"]},
        unlabelled={"survey": "x", "by": "age"},
        unworded={"survey": "s", "by": "sex"},
    )
    assert _comparison_title("by_survey", study) == "Patients and x compared"
    assert _comparison_title("unlabelled", study) == "x by their answer to \u201cage\u201d"
    assert _comparison_title("unworded", study) == "Patients by their answer to \u201csex\u201d"
    assert _comparison_title("unknown", study) == " by their answer to \u201c\u201d"


def test_a_comparison_against_the_studys_alpha_with_hidden_groups_and_untested_outcomes():
    from likertflow.disclosure import Policy
    from likertflow.manuscript import comparison_table

    tests = pd.DataFrame(
        {"comparison": "c", "outcome": ["q1", "q2", "q3"],
         "test": ["Mann-Whitney U", "none", "Mann-Whitney U"],
         "statistic": ["4", "7", ""], "df": "", "effect_size": ["0.5", "", "nan"],
         "effect_ci_low": ["0.1", "", ""], "effect_ci_high": ["0.9", "", ""],
         "p": ["0.0096", "", "nan"], "p_adjusted": ["0.0096", "", "nan"], "family": "f",
         "adjust_method": "bonferroni", "warning": ""}
    )  # fmt: skip
    groups = pd.DataFrame(columns=["comparison", "outcome", "group", "group_position", "n",
                                   "median", "mean_rank"])  # fmt: skip
    study = Study(**{**strict_study().__dict__, "policy": Policy(HIDING, min_count=1, rounding=5)})
    table = comparison_table(1, "c", tests, groups, study)
    assert [row.cells for row in table.rows] == [
        ("q1", f"U{EQ}4", f"r{EQ}0.50{NB}(0.10 to 0.90)", "0.0096", "0.0096"),
        ("q2", "not tested", "", "", ""),
        ("q3", "not tested", "", "", ""),
    ]
    assert table.footnotes[1].startswith("U: Mann-Whitney U test (U of the first group), ")
    assert table.footnotes[3] == (
        "Adjusted p: bonferroni over the family f, the 2 tests of c."
    )
    assert table.footnotes[-1] == (
        f"Disclosure control ({HIDING}): every other count is rounded to the nearest 5; mean "
        "ranks and test statistics are not given, as they would undo the rounding; statistics "
        "are given to two decimals, p as journals print it."
    )
    hidden = pd.DataFrame({"comparison": ["c"], "outcome": ["q1"], "group": ["A"],
                           "group_position": ["0"], "n": ["*"], "median": ["*"],
                           "mean_rank": ["*"]})  # fmt: skip
    table = comparison_table(1, "c", tests, hidden, study)
    assert table.footnotes[-1].endswith(" * marks a value hidden by it, or hidden because "
                                        "subtraction from a total would reveal one.")  # fmt: skip


def test_half_an_interval_and_an_interval_without_an_estimate_are_not_printed():
    """A bug fixed: an effect or weighted percentage whose interval lacks a bound was printed
    with empty brackets ("0.30 ()")."""
    from likertflow.manuscript import paired_table, weighted_comparison_table, weighted_table

    tests = pd.DataFrame(
        {"pair": "w", "question": ["Trust", "Care"], "pairs": ["40", "*"],
         "unchanged": ["12", "1"], "signed_rank_v": ["10", "1"], "p": ["0.5", "0.5"],
         "rank_biserial": ["0.3", "0.1"], "rb_ci_low": ["nan", "0"], "rb_ci_high": ["0.5", "1"],
         "marginal_p": ["0.5", "0.5"]}
    )  # fmt: skip
    table = paired_table(1, "w", tests, strict_study())
    assert [row.cells[4] for row in table.rows] == ["0.30", "0.10 (0.00 to 1.00)"]  # not "0.30 ()"
    assert table.footnotes[-1] == rule_note(True)
    frame = pd.DataFrame(
        {"comparison": "c1", "outcome": "q", "n": "50", "groups": "B vs A",
         "test": ["proportional-odds model", "difference in means"], "statistic": "1",
         "df": "45", "p": "0.5", "estimate": ["nan", "0.25"],
         "method": ["log odds ratio of a higher answer (0.1 to 0.5); x", "no interval here"]}
    )  # fmt: skip
    rows = weighted_comparison_table(1, "c1", frame, strict_study()).rows
    assert [row.cells[4] for row in rows[1:]] == ["", "0.25"]

    frequencies = pd.DataFrame(
        {"survey": "s", "question_id": "q", "question": "Seen?", "response": ["Yes", "No"],
         "n": ["30", "0"], "weighted_percent": ["100", "0"], "ci_low": ["nan", "0"],
         "ci_high": ["100", "nan"], "deff": "1", "method": "Taylor"}
    )  # fmt: skip
    rows = weighted_table(1, "s", frequencies, strict_study()).rows
    assert [row.cells[2] for row in rows[1:]] == ["100.0", "0.0"]
