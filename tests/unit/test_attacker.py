"""The workflow's attacker (likertflow.attacker), one class of attack at a time, on a toy study
published two ways: as the workflow published it before issue 19 (counts under the rule,
every statistic at full precision from the exact data, figures drawn from exact counts), where
each attack recovers what the rule hides, and as it publishes now (likertflow.publishing), where
none does.

The toy study: 121 staff; a yes/no question ``seen`` (Yes 60, No 61), an age band ``band``
(Young 40, Middle 41, Old 40) and a 5-point statement ``x`` whose lowest answers are rare
(1: 2, 2: 12, 3: 30, 4: 40, 5: 37), so that a threshold of 10 hides the 2 and, to protect it,
the 12.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pytest
from likertflow import attacker
from likertflow.attacker import Release, attack, read_svg
from likertflow.coding import CODE_DTYPE
from likertflow.comparisons import run_comparison
from likertflow.disclosure import COUNT_COLUMNS, SUPPRESSED, Policy, policy_of
from likertflow.files import read_csv, write_csv
from likertflow.publishing import publish_comparisons, publish_frequencies
from likertflow.settings import ComparisonSettings
from likertflow.tables import frequency_table
from support import filled
from support.comparison_cohorts import questionnaire

NHS = policy_of({"rule": "nhs"})
TEN = policy_of({"rule": "threshold", "min_count": 10})
SURVEY = "staff"
QUESTIONNAIRE = questionnaire(SURVEY, "Staff")
X_COUNTS = {1: 2, 2: 12, 3: 30, 4: 40, 5: 37}


def cohort(seed: int = 7) -> pd.DataFrame:
    """The 121 respondents, answers shuffled so that the groups differ a little."""
    rng = np.random.default_rng(seed)
    x = np.repeat(list(X_COUNTS), list(X_COUNTS.values()))
    seen = np.array([1] * 60 + [2] * 61)
    band = np.array([1] * 40 + [2] * 41 + [3] * 40)
    order = np.argsort(x + rng.normal(0, 1.5, len(x)))  # x related to seen and band
    frame = pd.DataFrame(
        {
            "seen": pd.array(seen[np.argsort(order)], dtype=CODE_DTYPE),
            "band": pd.array(band[np.argsort(order)], dtype=CODE_DTYPE),
            "x": pd.array(x, dtype=CODE_DTYPE),
            "y": pd.array(rng.permutation(x), dtype=CODE_DTYPE),
            "verdict": pd.array(x, dtype=CODE_DTYPE),
        }
    )
    frame["t"] = frame[["x", "y"]].astype("float64").mean(axis=1)
    return frame


CONFIG = {
    "tables": {
        "table1": {"survey": SURVEY, "questions": ["seen", "band"]},
        "table2": {"survey": SURVEY, "questions": ["x"]},
    },
    "comparisons": {
        "by_seen": {"by": "seen", "survey": SURVEY, "outcomes": ["x"], "family": "f"},
        "by_band": {"by": "band", "survey": SURVEY, "outcomes": ["x"], "family": "f"},
    },
    "likert_figures": {},
}
FIGURE = {"fig": {"survey": SURVEY, "statement_set": "s"}}


def text(frame: pd.DataFrame, tmp_path, name: str) -> pd.DataFrame:
    """A table as a published CSV reads: written by the one writer, read back as text."""
    path = tmp_path / f"{name}.csv"
    write_csv(frame, path)
    return read_csv(path, dtype="str", keep_default_na=False)


@functools.cache
def comparison_tables(seed: int = 7):
    """The toy study's tests, groups and pairs, exact (computed once)."""
    frame = cohort(seed)
    settings = filled.analysis(ComparisonSettings, bootstrap_resamples=200)
    parts = [
        run_comparison(
            name,
            filled.comparison(**spec),
            {SURVEY: frame},
            {SURVEY: QUESTIONNAIRE},
            settings,
        )
        for name, spec in CONFIG["comparisons"].items()
    ]
    tests, groups, posthoc = (pd.concat(p, ignore_index=True) for p in zip(*parts, strict=True))
    tests = tests.assign(p_adjusted=tests["p"], family="f", adjust_method="holm")
    return tests, groups, posthoc


def frequencies(frame, policy: Policy, questions) -> pd.DataFrame:
    table = frequency_table(frame, QUESTIONNAIRE, questions).astype({"n": "int64"})
    return publish_frequencies(table, policy)


def cells_of(plan: pd.DataFrame, exact: pd.DataFrame) -> dict:
    """(comparison, group) -> (count, published count) of the grouping answers."""
    cells = {}
    for name, spec in CONFIG["comparisons"].items():
        rows = plan[plan["question_id"] == spec["by"]]
        counts = exact[exact["question_id"] == spec["by"]]
        for label, published, count in zip(rows["response"], rows["n"], counts["n"], strict=True):
            cells[(name, label)] = (int(count), published)
    return cells


def release(policy: Policy, tmp_path, before: bool, svgs=None, primary=()) -> Release:
    """The toy study published by the rule: ``before`` as the workflow published it before issue
    19 (statistics exact, ns as counts), else as it publishes now."""
    frame = cohort()
    exact_tables = {
        name: frequency_table(frame, QUESTIONNAIRE, spec["questions"])
        for name, spec in CONFIG["tables"].items()
    }
    tables = {
        name: frequencies(frame, policy, spec["questions"])
        for name, spec in CONFIG["tables"].items()
    }
    tests, groups, posthoc = comparison_tables()
    plan = pd.concat(tables.values(), ignore_index=True)
    exact = pd.concat(exact_tables.values(), ignore_index=True)
    if before:  # counts under the rule (as the tables show them), statistics exact
        cells = cells_of(plan, exact)
        groups = groups.assign(
            n=[cells[(c, g)][1] for c, g in zip(groups["comparison"], groups["group"], strict=True)]
        )
        tests = tests.assign(n=[policy.publish(int(n)) for n in tests["n"]])
        published = {"comparisons": tests, "comparison_groups": groups, "posthoc": posthoc}
    else:
        t, g, p = publish_comparisons(tests, groups, posthoc, cells_of(plan, exact), policy, 0.05)
        published = {"comparisons": t, "comparison_groups": g, "posthoc": p}
    published |= tables
    return Release(
        {name: text(table, tmp_path, name) for name, table in published.items()},
        svgs or {},
        CONFIG,
        {SURVEY: QUESTIONNAIRE},
        policy,
        set(primary),
    )


def found(findings, kind: str) -> list[str]:
    return [f"{f.file}: {f.cell}: {f.what}" for f in findings if f.attack == kind]


# --- subtraction within and across tables, differences of ns ------------------------------------


def test_subtraction_recovers_a_cell_shown_in_another_table(tmp_path):
    published = release(TEN, tmp_path, before=False)
    x = published.tables["table2"]
    assert x["n"].tolist()[:2] == [SUPPRESSED, SUPPRESSED]  # 2 hidden, and 12 to protect it
    primary = {("cell", SURVEY, "x", "level 1")}
    assert found(attack(Release(**{**published.__dict__, "primary": primary})), "subtraction") == []
    # planted: the 12 shown in a second table of the same answers
    planted = x.copy()
    planted.loc[1, ["n", "percent"]] = ["12", "9.92"]
    published.tables["table3"] = planted
    tables = {**CONFIG["tables"], "table3": CONFIG["tables"]["table2"]}
    published.config = {**CONFIG, "tables": tables}
    assert any("hidden count = 2" in line for line in found(attack(published), "subtraction"))


def test_differences_of_nested_ns_isolate_respondents(tmp_path):
    published = release(TEN, tmp_path, before=False)
    # planted: a model of the seen comparison over all but one of its respondents
    published.tables["ordinal_models"] = pd.DataFrame(
        {
            "comparison": ["by_seen"], "outcome": ["x"], "term": ["group: No vs Yes"],
            "odds_ratio": ["0.80"], "n": ["120"],
        }
    )  # fmt: skip
    lines = found(attack(published), "subtraction")
    assert any("a count of 1 respondents" in line for line in lines), lines


# --- statistics inverted to counts -------------------------------------------------------------


def test_statistics_give_exact_ns_back_under_rounding(tmp_path):
    lines = found(attack(release(NHS, tmp_path, before=True)), "statistics")
    # U and r give n1 n2, H and epsilon-squared N, the mean ranks every group's n: exact
    assert any("exact value 61 of a count published rounded" in line for line in lines), lines
    assert any("exact value 121" in line for line in lines), lines


def test_published_statistics_give_nothing_back(tmp_path):
    assert attack(release(NHS, tmp_path, before=False)) == []
    assert attack(release(TEN, tmp_path, before=False)) == []


def test_a_percentage_of_exact_counts_gives_a_rounded_count_back(tmp_path):
    published = release(NHS, tmp_path, before=False)
    table = published.tables["table1"]
    seen_no = (table["question_id"] == "seen") & (table["response"] == "No")
    assert table.loc[seen_no, "n"].tolist() == ["60"]  # 61, rounded
    table.loc[seen_no, "percent"] = "50.41"  # planted: 61 of 121, the exact percentage
    lines = found(attack(published), "statistics")
    assert any("exact value 61" in line for line in lines), lines


# --- tie corrections ---------------------------------------------------------------------------


def test_a_full_precision_p_pins_a_hidden_answer_through_its_tie_correction(tmp_path):
    # Mann-Whitney over everyone who answered x: its p with U and the ns fixes sum(t^3 - t) of
    # x's answers, and with the table's other cells the hidden 2 and 12 (2: 6 + 1716; 3: ...)
    primary = {("cell", SURVEY, "x", "level 1")}
    before = release(TEN, tmp_path, before=True, primary=primary)
    lines = found(attack(before), "ties")
    assert any("hidden count = 2" in line for line in lines), lines
    assert found(attack(release(TEN, tmp_path, before=False, primary=primary)), "ties") == []


# --- statistics of hidden groups ---------------------------------------------------------------


def test_statistics_of_a_hidden_group_are_found(tmp_path):
    published = release(TEN, tmp_path, before=False)
    assert found(attack(published), "hidden_groups") == []
    groups = published.tables["comparison_groups"]
    young = (groups["comparison"] == "by_band") & (groups["group"] == "Young")
    groups.loc[young, "n"] = SUPPRESSED  # planted: a group hidden, its test's statistics shown
    tests = published.tables["comparisons"]
    tests.loc[tests["comparison"] == "by_band", "p"] = "0.03"
    lines = found(attack(published), "hidden_groups")
    assert any("comparisons.csv" in line and ", p:" in line for line in lines), lines
    assert any("a median of a hidden group" in line for line in lines), lines


# --- figures: geometry and labels ---------------------------------------------------------------


def likert_svg(frame: pd.DataFrame, policy: Policy, tmp_path) -> str:
    """The toy statements' Likert figure drawn from the exact counts of ``frame`` (as figures
    were drawn before issue 19), ``policy`` deciding only which statements get a bar."""
    from likertflow.likert_plot import plot_likert
    from likertflow.plotting import save_figure

    exact = frequencies(frame, Policy("none"), ["x", "y"])
    figure = plot_likert(exact, QUESTIONNAIRE, "s", "Toy", policy=policy, total=len(frame))
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    save_figure(figure, png, svg)
    return svg.read_text(encoding="utf-8")


def test_bar_widths_times_the_printed_n_give_exact_counts_back(tmp_path):
    svg = likert_svg(cohort(), NHS, tmp_path)  # drawn from the exact counts
    config = {**CONFIG, "likert_figures": FIGURE}
    published = release(NHS, tmp_path, before=False, svgs={"fig": svg})
    published.config = config
    lines = found(attack(published), "figures")
    assert any("exact n 121 of a count published rounded" in line for line in lines), lines
    assert any("gives a count of 2, which the rule hides" in line for line in lines), lines


def test_bars_drawn_from_the_published_counts_give_nothing_back(tmp_path):
    # the figure drawn from respondents as many as the published counts say (x: 0, 10, 30, 40,
    # 35; y likewise): its bars are the published shares, its n their sum
    published = release(NHS, tmp_path, before=False)
    plan = frequencies(cohort(), NHS, ["x", "y"])
    columns = {}
    for statement in ("x", "y"):
        counts = plan[plan["question_id"] == statement]
        shown = [0 if n == SUPPRESSED else int(n) for n in counts["n"]]
        columns[statement] = np.repeat(counts["code"].astype(int).to_numpy(), shown)
    assert len(columns["x"]) == len(columns["y"]) == 115  # 0 + 10 + 30 + 40 + 35 each
    frame = pd.DataFrame({s: pd.array(v, dtype=CODE_DTYPE) for s, v in columns.items()})
    svg = likert_svg(frame, Policy("none"), tmp_path)
    published.svgs = {"fig": svg}
    published.tables["statement_frequencies"] = text(
        plan.assign(survey=SURVEY, statement_set="s"), tmp_path, "statement_frequencies"
    )
    published.config = {**CONFIG, "likert_figures": FIGURE}
    assert found(attack(published), "figures") == []


def test_a_flow_diagram_number_the_table_does_not_show_is_found(tmp_path):
    published = release(NHS, tmp_path, before=False)
    published.tables["participant_flow"] = pd.DataFrame(
        {
            "survey": SURVEY,
            "stage": ["exported_rows", "duplicate_responses", "returned", "excluded_a", "analysed"],
            "n": ["125", "0", "125", "*", "120"],
        }
    )
    published.svgs = {"participant_flow": "<svg><!-- Analysed --><!-- n = 121 --></svg>"}
    lines = found(attack(published), "figures")
    assert any("prints a count (121) the rule does not publish" in line for line in lines), lines


def test_svg_texts_and_bars_are_read_in_drawing_order(tmp_path):
    texts, rectangles = read_svg(likert_svg(cohort(), NHS, tmp_path))
    assert "n" in texts and "Toy (n = 121)" in texts  # total: the rows of the cohort
    legend = [r.label for r in rectangles if r.legend and r.fill != "#ffffff"]
    assert legend == [f"level {code}" for code in range(1, 6)]


def test_every_attack_class_is_described():
    classes = {"subtraction", "statistics", "ties", "hidden_groups", "figures"}
    assert set(attacker.ATTACKS) == classes
    for attack_ in attacker.ATTACKS.values():
        assert len(attack_.description) > 40 and attack_.title


@pytest.mark.parametrize("column", COUNT_COLUMNS)
def test_count_columns_are_counts_in_the_policy(column):
    from likertflow.disclosure import column_class

    assert column_class("anything", column) == "count"
    assert re.fullmatch(r"[a-z_]+", column)


def test_the_geometry_check_holds_a_figure_to_its_published_counts(tmp_path):
    """tests/support/likert_geometry (the workflow tests' check of every Likert figure): a
    figure drawn from the exact counts differs from the published table; one drawn from the
    published counts is what they imply."""
    from support import likert_geometry

    plan = frequencies(cohort(), NHS, ["x", "y"]).assign(survey=SURVEY, statement_set="s")
    for folder in ("figures", "tables"):
        (tmp_path / "results" / folder).mkdir(parents=True)
    write_csv(plan, tmp_path / "results" / "tables" / "statement_frequencies.csv")
    config = {"likert_figures": FIGURE}
    svg = tmp_path / "results" / "figures" / "fig.svg"
    svg.write_text(likert_svg(cohort(), NHS, tmp_path), encoding="utf-8")
    problems = likert_geometry.check(tmp_path, config, {SURVEY: QUESTIONNAIRE})
    assert any("is no statement's published shares" in problem for problem in problems)
    columns = {}
    for statement in ("x", "y"):
        counts = plan[plan["question_id"] == statement]
        shown = [0 if n == SUPPRESSED else int(n) for n in counts["n"]]
        columns[statement] = np.repeat(counts["code"].astype(int).to_numpy(), shown)
    frame = pd.DataFrame({s: pd.array(v, dtype=CODE_DTYPE) for s, v in columns.items()})
    svg.write_text(likert_svg(frame, Policy("none"), tmp_path), encoding="utf-8")
    assert likert_geometry.check(tmp_path, config, {SURVEY: QUESTIONNAIRE}) == []
