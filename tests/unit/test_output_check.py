"""The output check (likertflow.output_check): every published cell held to the policy's form
for its class, each shareable file's status, the report's front page, its one-line summary."""

from __future__ import annotations

import pandas as pd
from likertflow.attacker import Release
from likertflow.disclosure import STATISTIC_CLASSES, policy_of
from likertflow.output_check import check, conforms, summary, write_report

NHS = policy_of({"rule": "nhs"})
TEN = policy_of({"rule": "threshold", "min_count": 10})
NONE = policy_of({"rule": "none"})
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


def test_the_publishing_docs_print_the_policy():
    """docs/publishing.md prints the policy as the code holds it (regenerate the table with
    ``likertflow.output_check.policy_table()`` after changing a class)."""
    from conftest import REPO
    from likertflow.output_check import policy_table

    text = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
    assert policy_table() in text
    assert "Known gaps" not in text and "Successive releases" in text.replace("**s", "**S")
