"""The output check (likertflow.output_check): every published cell held to the policy's form
for its class, each shareable file's status, the report's front page, its one-line summary."""

from __future__ import annotations

import pandas as pd
import pytest
from likertflow.attacker import BY_HAND, Finding, Release
from likertflow.disclosure import STATISTIC_CLASSES, Policy
from likertflow.output_check import (
    _in_form,
    check,
    conforms,
    failures,
    rule_words,
    summary,
    why,
    write_report,
)
from support.policies import NHS, NONE, TEN

CONFIG = {"tables": {}, "comparisons": {}, "likert_figures": {}}


def release(tables: dict, policy) -> Release:
    return Release(
        {name: pd.DataFrame(frame).astype(str) for name, frame in tables.items()},
        {},
        CONFIG,
        {},
        policy,
    )


GROUPS = {
    "comparison": ["c", "c"], "outcome": ["x", "x"], "group": ["A", "B"], "n": ["60", "40"],
    "mean_rank": ["*", "*"], "median": ["4.00", "3.50"], "group_position": ["1", "2"],
}  # fmt: skip


def test_a_published_table_in_the_policys_forms_conforms():
    assert conforms(release({"comparison_groups": GROUPS}, NHS)) == []


def test_cells_out_of_their_class_form_are_named():
    # an unrounded count, a mean rank under rounding, a median at full precision
    planted = {**GROUPS, "n": ["61", "40"], "mean_rank": ["55.2", "*"], "median": ["4.125", "3.50"]}
    problems = [what for _, what in conforms(release({"comparison_groups": planted}, NHS))]
    assert any("column 'n': '61'" in p for p in problems), problems
    assert any("column 'mean_rank': '55.2' is not withheld" in p for p in problems), problems
    assert any("column 'median': '4.125'" in p for p in problems), problems
    # under a threshold rule the mean rank is published, at one decimal
    assert (
        conforms(release({"comparison_groups": {**GROUPS, "mean_rank": ["55.2", "44.5"]}}, TEN))
        == []
    )


def test_a_column_of_no_class_fails_the_check():
    problems = conforms(release({"comparison_groups": {**GROUPS, "secret": ["1", "2"]}}, TEN))
    assert problems == [
        (
            "results/tables/comparison_groups.csv",
            "column 'secret' is of no statistic class of the policy "
            "(likertflow.disclosure.COLUMN_CLASSES)",
        )
    ]


def test_every_class_says_how_each_kind_of_rule_shows_it_and_why():
    for statistic in STATISTIC_CLASSES.values():
        assert set(statistic.shown) == {"exact", "suppression", "rounding"}
        assert statistic.reason and statistic.title and statistic.examples


def test_statuses_summary_and_report(tmp_path):
    table = {"question_id": ["q", "q"], "question": ["Q?", "Q?"], "response": ["a", "b"],
             "code": ["1", "2"], "n": ["*", "115"], "denominator": ["120", "120"],
             "percent": ["*", "95.83"]}  # fmt: skip
    files = ["results/tables/t.csv", "results/figures/f.svg", "results/report.html"]
    records = check(release({"t": table}, NHS), files)
    assert [r.status for r in records] == ["pass", "review", "review"]
    assert sum(records[0].withheld.values()) == 2
    line = summary(records, NHS)
    assert line.startswith("Output check: rule nhs, 3 shareable files (1 pass, 2 review)")
    markdown, csv = tmp_path / "check.md", tmp_path / "check.csv"
    write_report(records, NHS, markdown, csv, "Toy")
    text = markdown.read_text(encoding="utf-8")
    front = text.split("## Summary")[0]
    assert "**Disclosure rule in force: `nhs`**" in front and "rounded to the nearest 5" in front
    assert "withheld: 1 cells of `n` (count of respondents): a count from 1 to 7" in text
    assert "Successive releases" in text and "does not protect across releases" in text
    assert pd.read_csv(csv)["status"].tolist() == ["pass", "review", "review"]


def test_the_front_page_states_the_rule_with_its_setting(tmp_path):
    records = check(release({}, TEN), ["results/report.html"])
    write_report(records, TEN, tmp_path / "c.md", tmp_path / "c.csv")
    front = (tmp_path / "c.md").read_text(encoding="utf-8").split("## Summary")[0]
    assert "**Disclosure rule in force: `threshold`**: counts below 10 suppressed" in front


def test_an_uncontrolled_run_is_not_disclosure_controlled(tmp_path):
    table = {"question_id": ["q"], "question": ["Q?"], "response": ["a"], "code": ["1"],
             "n": ["3"], "denominator": ["3"], "percent": ["100.00"]}  # fmt: skip
    records = check(release({"t": table}, NONE), ["results/tables/t.csv"])
    assert records[0].status == "not disclosure-controlled" and records[0].small_counts == 2
    assert summary(records, NONE).endswith("NOT disclosure-controlled; 2 counts below 10 shown")
    write_report(records, NONE, tmp_path / "c.md", tmp_path / "c.csv")
    text = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert "**These results are not disclosure-controlled**" in text.split("## Summary")[0]
    assert "**WARNING**: the shareable tables show 2 counts from 1 to 9." in text


def test_the_front_page_of_an_uncontrolled_run(tmp_path):
    """Under rule none the front page says, before anything else, that nothing is
    disclosure-controlled, where sharing is fine, and how to set a rule; then how many small
    counts the tables show."""
    table = {"question_id": ["q"], "question": ["Q?"], "response": ["a"], "code": ["1"],
             "n": ["3"], "denominator": ["3"], "percent": ["100.00"]}  # fmt: skip
    records = check(release({"t": table}, NONE), ["results/tables/t.csv"])
    write_report(records, NONE, tmp_path / "c.md", tmp_path / "c.csv", "Toy")
    lines = (tmp_path / "c.md").read_text(encoding="utf-8").split("\n")
    assert lines[:7] == [
        "# Output check: Toy",
        "",
        "**These results are not disclosure-controlled** (rule `none`: every count and "
        "statistic is published exactly). Share them only where the participants consented to "
        "exact counts being published; otherwise set `disclosure: {rule: nhs}` or "
        "`{rule: threshold, min_count: 10}` in the config and run again (docs/publishing.md).",
        "",
        "**WARNING**: the shareable tables show 2 counts from 1 to 9.",
        "",
        "## Summary",
    ]
    records[0].small_counts = 0  # no small count: no warning
    write_report(records, NONE, tmp_path / "c.md", tmp_path / "c.csv", "Toy")
    lines = (tmp_path / "c.md").read_text(encoding="utf-8").split("\n")
    assert lines[3:5] == ["", "## Summary"]


def test_the_publishing_docs_print_the_policy():
    """docs/publishing.md prints the policy as the code holds it (regenerate the table with
    ``likertflow.output_check.policy_table()`` after changing a class)."""
    from conftest import REPO
    from likertflow.output_check import policy_table

    text = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
    assert policy_table() in text
    assert "Known gaps" not in text and "Successive releases" in text.replace("**s", "**S")


# --- The forms a published cell may take --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "form", "policy", "allowed"),
    [
        # empty, hidden or missing: any form; exact and labels: anything
        ("", "count", NHS, True), ("*", "decimals:2", NHS, True), ("nan", "journal_p", TEN, True),
        ("4.125", "any", NHS, True), ("Clinical", "label", NHS, True),
        ("-1.3", "withheld", NHS, False),
        # a count as the rule publishes it: NHS 10 and 0, not 12 (rounded: 10) or 3 (hidden)
        ("10", "count", NHS, True), ("0", "count", NHS, True), ("12", "count", NHS, False),
        ("3", "count", NHS, False), ("12", "count", TEN, True), ("9", "count", TEN, False),
        ("10.0", "count", TEN, False), ("-10", "count", TEN, False),
        ("0.12", "decimals:2", NHS, True), ("-0.12", "decimals:2", NHS, True),
        ("4", "decimals:2", NHS, True), ("0.123", "decimals:2", NHS, False),
        ("1e-05", "decimals:2", NHS, False), (".5", "decimals:2", NHS, False),
        ("0.12 ", "decimals:2", NHS, False), ("55.2", "decimals:1", TEN, True),
        ("55.25", "decimals:1", TEN, False),
        ("<0.001", "journal_p", NHS, True), (">0.99", "journal_p", NHS, True),
        ("0.046", "journal_p", NHS, True), ("0.05", "journal_p", NHS, True),
        ("0.000123", "journal_p", NHS, True), ("0.0000123", "journal_p", NHS, False),
        ("0.5", "journal_p", NHS, False), ("1.00", "journal_p", NHS, False),
        ("<0.01", "journal_p", NHS, False), ("0.0461234", "journal_p", NHS, False),
        # words: the ns they quote as counts are published, no number beyond 3 decimals
        ("groups smaller than 50: B (n=40), C (n=30)", "words", NHS, True),
        ("groups smaller than 50: B (n=41)", "words", NHS, False),
        ("groups smaller than 10: B (n=3)", "words", TEN, False),
        ("alpha 0.795 is below 0.8", "words", NHS, True),
        ("alpha 0.7951 is below 0.8", "words", NHS, False),
        ("Brant test p = -0.0123", "words", NHS, False),
        # a p in words as journals print it: up to 6 decimals just below alpha, or a bound
        ("Brant test p = 0.04999 < 0.05", "words", NHS, True),
        ("Brant test p <0.001 < 0.05", "words", NHS, True),
        ("Brant test p >0.99; alpha 0.7951", "words", NHS, False),
        ("Brant test p = 0.0499912 < 0.05", "words", NHS, False),
    ],
)  # fmt: skip
def test_a_cell_in_its_classes_form(value, form, policy, allowed):
    assert _in_form(value, form, policy) is allowed


def test_an_unknown_form_is_a_bug():
    with pytest.raises(ValueError, match="unknown form 'stars'"):
        _in_form("1", "stars", NHS)


def test_a_cell_out_of_form_is_named_by_its_row_and_what_its_class_allows():
    planted = {**GROUPS, "n": ["60", "41"]}
    problems = conforms(release({"comparison_groups": planted}, NHS))
    assert problems == [
        (
            "results/tables/comparison_groups.csv",
            "row 3, column 'n': '41' is not 1 to 7 as *, every other count rounded to the "
            "nearest 5; * where a subtraction would reveal a hidden one (count of respondents)",
        )
    ]


def test_a_set_means_cells_are_held_to_their_own_class():
    """In the agreement summary a statement set's mean (statement ``mean``) is a mean of
    percentages with a bootstrap interval, withheld under rounding; a statement's interval is
    a Wilson interval of the published counts, shown at 2 decimals."""
    summary_ = {
        "survey": ["s", "s"], "statement_set": ["pros", "pros"], "statement": ["p", "mean"],
        "percent_agree": ["68.00", "68.00"], "ci_low": ["58.12", "60.00"],
        "ci_high": ["76.04", "*"], "n": ["100", "100"], "n_agree": ["70", ""],
        "method": ["Wilson", "mean"],
    }  # fmt: skip
    problems = conforms(release({"agreement_summary": summary_}, NHS))
    assert [what for _, what in problems] == [
        "row 3, column 'ci_low': '60.00' is not withheld (*) (bootstrap interval of a mean)"
    ]
    assert conforms(release({"agreement_summary": summary_}, TEN)) == []


def test_an_empty_table_is_checked_by_its_columns():
    empty = {"question_id": [], "n": [], "secret": []}
    problems = conforms(release({"t": empty}, TEN))
    assert [what for _, what in problems] == [
        "column 'secret' is of no statistic class of the policy "
        "(likertflow.disclosure.COLUMN_CLASSES)"
    ]


# --- Each file's status -------------------------------------------------------------------------

TABLE = {
    "question_id": ["q", "q", "q"], "question": ["Q?"] * 3, "response": ["a", "b", "c"],
    "code": ["1", "2", "3"], "n": ["*", "*", "110"], "denominator": ["120"] * 3,
    "percent": ["*", "*", "91.67"],
}  # fmt: skip


def found(monkeypatch, findings):
    from likertflow import output_check

    monkeypatch.setattr(output_check, "attack", lambda release: list(findings))


def test_a_recovered_value_fails_its_file_and_a_finding_by_hand_is_for_review(monkeypatch):
    recovered = Finding("subtraction", "results/tables/t.csv", "row 2, column n", "n is 3")
    unread = Finding("subtraction", "results/figures/f.svg", "the figure", f"{BY_HAND}: no text")
    noted = Finding("ties", "results/tables/u.csv", "row 2", f"{BY_HAND}: a tie")
    found(monkeypatch, [recovered, unread, noted])
    files = ["results/tables/t.csv", "results/figures/f.svg", "results/tables/u.csv",
             "results/tables/v.csv"]  # fmt: skip
    tables = {"t": TABLE, "u": TABLE, "v": TABLE}
    records = check(release(tables, NHS), files)
    assert [r.status for r in records] == ["fail", "review", "review", "pass"]
    assert [r.findings for r in records] == [[recovered], [unread], [noted], []]
    assert [r.kind for r in records] == ["table", "figure", "table", "table"]
    assert all(r.rule == "nhs" for r in records)
    assert failures(records) == [str(recovered)]
    line = summary(records, NHS)
    assert line == (
        "Output check: rule nhs, 4 shareable files (1 fail, 1 pass, 2 review); 12 values "
        "withheld; attacker recovered 1 hidden values"
    )


def test_a_cell_against_the_policy_fails_its_file(monkeypatch):
    found(monkeypatch, [])
    records = check(release({"t": {**TABLE, "n": ["*", "*", "111"]}}, NHS),
                    ["results/tables/t.csv", "results/tables.docx"])  # fmt: skip
    assert [r.status for r in records] == ["fail", "review"]
    assert records[0].violations == [
        "row 4, column 'n': '111' is not 1 to 7 as *, every other count rounded to the nearest "
        "5; * where a subtraction would reveal a hidden one (count of respondents)"
    ]
    assert records[1].violations == [] and records[1].kind == "document"
    assert failures(records) == [f"results/tables/t.csv: {records[0].violations[0]}"]


def test_withheld_cells_by_column_and_class(monkeypatch):
    found(monkeypatch, [])
    svg = '<svg><text>12</text><!-- * --><text x="1">*</text><text>**</text></svg>'
    rel = release({"t": {**TABLE, "note": ["x", "*", "y"]}}, TEN)
    rel.svgs = {"f": svg, "g": "<svg></svg>"}
    files = ["results/tables/t.csv", "results/figures/f.svg", "results/figures/g.svg",
             "results/figures/f.png", "results/tables/absent.csv"]  # fmt: skip
    records = check(rel, files)
    assert records[0].withheld == {("n", "count"): 2, ("percent", "percentage"): 2,
                                   ("note", "?"): 1}  # fmt: skip
    assert records[1].withheld == {("labels", "count"): 2}  # a comment and a label
    assert [sum(r.withheld.values()) for r in records[2:]] == [0, 0, 0]
    assert records[0].small_counts == 0  # counted only where no rule applies


def test_small_counts_of_an_uncontrolled_run(monkeypatch):
    found(monkeypatch, [])
    table = {**TABLE, "n": ["0", "9", "10"], "denominator": ["19"] * 3, "code": ["1", "2", "3"],
             "n_agree": ["1", "x", "12"]}  # fmt: skip
    records = check(release({"t": table}, NONE), ["results/tables/t.csv", "results/report.html"])
    # 9 (n) and 1 (n_agree): 1 to 9; 0, 10, 19, a code of 1 to 3 and text are not
    assert [r.small_counts for r in records] == [2, 0]
    assert [r.status for r in records] == ["not disclosure-controlled"] * 2
    assert summary(records, NONE) == (
        "Output check: rule none, 2 shareable files NOT disclosure-controlled; 2 counts below "
        "10 shown"
    )
    records = check(release({"t": {**table, "n": ["0", "10", "10"], "n_agree": ["0"] * 3}},
                            NONE), ["results/tables/t.csv"])  # fmt: skip
    assert summary(records, NONE) == (
        "Output check: rule none, 1 shareable files NOT disclosure-controlled"
    )


# --- Words for the report -----------------------------------------------------------------------


def test_the_rule_in_words():
    assert rule_words(TEN).startswith("counts below 10 suppressed, and no median")
    assert rule_words(NHS).startswith("NHS England's rule for published statistics")
    assert rule_words(NONE) == "no disclosure control, every count published exactly"
    assert rule_words(Policy("local", min_count=6)) == "local"


def test_why_a_cell_is_withheld():
    assert why("mean_rank", NHS).startswith("not published under this rule: n times a mean rank")
    assert why("count", TEN) == (
        "a count from 1 to 9, or one that a subtraction or a difference of ns would reveal "
        "beside the others (secondary suppression)"
    )
    # a rule that hides no count for its own sake (min_count 1: none from 1 to 0)
    rounding_only = Policy("r", min_count=1, rounding=5)
    assert why("count", rounding_only).startswith("a count small, or one that a subtraction")
    assert why("count", Policy("two", min_count=2)).startswith("a count from 1 to 1, or one")
    assert why("median", TEN) == (
        "its count or a group it involves is hidden, or the group is smaller than 10"
    )
    assert why("?", TEN) == "hidden by the rule"


def test_each_files_section_and_row_of_the_report(tmp_path, monkeypatch):
    recovered = Finding("subtraction", "results/tables/t.csv", "row 2, column n", "n is 3")
    found(monkeypatch, [recovered])
    records = check(release({"t": TABLE}, TEN), ["results/tables/t.csv", "results/report.html"])
    records[0].small_counts = 4  # (only under rule none; here to see the line)
    write_report(records, TEN, tmp_path / "c.md", tmp_path / "c.csv")
    text = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert text.startswith("# Output check\n\n**Disclosure rule in force: `threshold`**")
    section = text.split("### `results/tables/t.csv`")[1].split("###")[0]
    assert section.splitlines()[:2] == ["", ""]  # the heading's line ends, then a blank line
    assert section.splitlines()[2:] == [
        "- status: **fail**",
        "- rule applied: `threshold`",
        f"- withheld: 2 cells of `n` (count of respondents): {why('count', TEN)}",
        f"- withheld: 2 cells of `percent` (percentage of a count): {why('percentage', TEN)}",
        "- to look at: row 2, column n: n is 3",
        "- 4 counts from 1 to 9 shown",
        "- residual risk: Statistics of large groups (correlations, alphas, model estimates) "
        "are published at two decimals; an extreme value (an alpha of 1.00, a correlation of "
        "-1.00) says that every respondent answered alike.",
        "",
    ]
    assert "| `results/tables/t.csv` | table | fail | 4 |" in text
    assert "| `results/report.html` | report | review |  |" in text
    assert "| median of a group | 2 decimals, where its group passes the rule |" in text
    rows = pd.read_csv(tmp_path / "c.csv", keep_default_na=False)
    assert rows.columns.tolist() == ["file", "kind", "status", "rule", "withheld",
                                     "withheld_why", "to_look_at", "residual_risks"]  # fmt: skip
    first = rows.iloc[0].to_dict()
    assert first["withheld"] == 4 and first["rule"] == "threshold"
    assert first["withheld_why"] == (
        f"2 of n: {why('count', TEN)}; 2 of percent: {why('percentage', TEN)}"
    )
    assert first["to_look_at"] == "row 2, column n: n is 3"
    assert first["residual_risks"].endswith("answered alike. Successive releases (see the report).")
    assert rows.iloc[1]["residual_risks"].startswith("Made after the run by `snakemake --report`")


def test_the_reports_outline_and_front_page(tmp_path, monkeypatch):
    """The report a checker reads: its front page says the rule and what it did, then the
    summary table, a section per file, the residual risks, the policy and the attacks, in this
    order; the CSV has a row per file."""
    from likertflow.attacker import ATTACKS
    from likertflow.output_check import GENERAL_RISKS, SUCCESSIVE_RELEASES

    found(monkeypatch, [
        Finding("subtraction", "results/tables/t.csv", "row 2, column n", "n is 3"),
        Finding("ties", "results/tables/t.csv", "row 3, column n", f"{BY_HAND}: a tie"),
    ])  # fmt: skip
    records = check(release({"t": {**TABLE, "note": ["x", "*", "y"]}}, NHS),
                    ["results/tables/t.csv", "results/figures/f.svg"])  # fmt: skip
    write_report(records, NHS, tmp_path / "c.md", tmp_path / "c.csv", "Toy study")
    text = (tmp_path / "c.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert [line for line in lines if line.startswith("#")] == [
        "# Output check: Toy study",
        "## Summary",
        "## Each file",
        "### `results/tables/t.csv`",
        "### `results/figures/f.svg`",
        "## Residual risks for the checker",
        "## The policy: what each class of statistic shows under this rule",
        "## The attacks tried",
    ]
    assert lines[:3] == ["# Output check: Toy study", "", (
        "**Disclosure rule in force: `nhs`**: NHS England's rule for published statistics: "
        "counts from 1 to 7 suppressed, every other count rounded to the nearest 5, percentages "
        "computed from the published counts, and no median, mean rank or test for a group of "
        "fewer than 8. A withheld value is written `*`. Every published statistic is shown as "
        "the policy below allows for its class under this rule, and the workflow's attacker "
        "tried every class of attack on these files and recovered no hidden value (else the run "
        "would have stopped)."
    )]  # fmt: skip
    assert lines[3:5] == ["", "## Summary"]
    summary_at = lines.index("## Summary")
    assert lines[summary_at : summary_at + 8] == [
        "## Summary",
        "",
        summary(records, NHS),
        "",
        "| file | kind | status | withheld |",
        "|---|---|---|---|",
        "| `results/tables/t.csv` | table | fail | 5 |",
        "| `results/figures/f.svg` | figure | review |  |",
    ]
    assert lines[summary_at + 8 : summary_at + 11] == ["", "## Each file", ""]
    assert "- withheld: 1 cells of `note` (?): hidden by the rule" in lines
    assert "- to look at: row 3, column n: review by hand: a tie" in lines
    risks_at = lines.index("## Residual risks for the checker")
    assert lines[risks_at:risks_at + 5] == [
        "## Residual risks for the checker", "", f"- {SUCCESSIVE_RELEASES}",
        *(f"- {risk}" for risk in GENERAL_RISKS),
    ]  # fmt: skip
    policy_at = lines.index("## The policy: what each class of statistic shows under this rule")
    assert lines[policy_at - 1:policy_at + 5] == [
        "", "## The policy: what each class of statistic shows under this rule", "",
        "| class | shown as | why |", "|---|---|---|",
        f"| count of respondents | {STATISTIC_CLASSES['count'].shown['rounding'].words} | "
        f"{STATISTIC_CLASSES['count'].reason} |",
    ]  # fmt: skip
    attacks_at = lines.index("## The attacks tried")
    assert lines[attacks_at - 1:] == [
        "", "## The attacks tried", "",
        *(f"- **{a.title}**: {a.description}" for a in ATTACKS.values()), "",
    ]  # fmt: skip
    rows = pd.read_csv(tmp_path / "c.csv", keep_default_na=False)
    assert rows["file"].tolist() == ["results/tables/t.csv", "results/figures/f.svg"]
    assert rows["kind"].tolist() == ["table", "figure"]
    assert rows["status"].tolist() == ["fail", "review"]
    assert rows["to_look_at"].iloc[0] == (
        "row 2, column n: n is 3; row 3, column n: review by hand: a tie"
    )


def test_a_report_of_no_files_has_the_csvs_header(tmp_path):
    write_report([], TEN, tmp_path / "c.md", tmp_path / "c.csv")
    header = (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()
    assert header == ["file,kind,status,rule,withheld,withheld_why,to_look_at,residual_risks"]


def test_an_uncontrolled_run_is_not_held_to_the_policy(monkeypatch):
    found(monkeypatch, [])
    records = check(release({"t": {**TABLE, "secret": ["1", "2", "3"]}}, NONE),
                    ["results/tables/t.csv"])  # fmt: skip
    assert records[0].violations == [] and records[0].status == "not disclosure-controlled"


def test_a_file_the_list_of_outputs_lacks_is_a_document_to_review(monkeypatch):
    found(monkeypatch, [])
    records = check(release({}, NHS), ["results/extra/notes.txt"])
    assert [(r.kind, r.status) for r in records] == [("document", "review")]
    assert records[0].notes[0].startswith("Made from the published tables alone")


def test_a_withheld_cell_is_of_its_tables_class(monkeypatch):
    """A withheld test statistic of the comparisons table is a test statistic (a class of that
    table's column), not a column of no class."""
    found(monkeypatch, [])
    tests = {"comparison": ["c"], "outcome": ["x"], "statistic": ["*"], "n": ["120"]}
    records = check(release({"comparisons": tests}, NHS), ["results/tables/comparisons.csv"])
    assert records[0].withheld == {("statistic", "test_statistic"): 1}


def test_every_column_is_held_to_its_class_after_one_of_no_class():
    planted = {"secret": ["1", "2"], **GROUPS, "median": ["4.125", "3.50"]}  # secret first
    problems = [what for _, what in conforms(release({"comparison_groups": planted}, NHS))]
    assert problems[0].startswith("column 'secret' is of no statistic class")
    assert problems[1].startswith("row 2, column 'median': '4.125' is not 2 decimals")


def test_a_set_means_withheld_interval_is_counted_as_a_resampled_interval(monkeypatch):
    found(monkeypatch, [])
    summary_ = {
        "survey": ["s", "s"], "statement_set": ["pros", "pros"], "statement": ["p", "mean"],
        "percent_agree": ["68.00", "68.00"], "ci_low": ["*", "*"], "ci_high": ["76.04", "*"],
        "n": ["100", "100"], "n_agree": ["70", ""], "method": ["Wilson", "mean"],
    }  # fmt: skip
    files = ["results/tables/agreement_summary.csv"]
    records = check(release({"agreement_summary": summary_}, NHS), files)
    assert records[0].withheld == {
        ("ci_low", "proportion_interval"): 1,
        ("ci_low", "resampled_interval"): 1,
        ("ci_high", "resampled_interval"): 1,
    }
