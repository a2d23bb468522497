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
import math
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
from support import filled, reverse_keyed
from support import toy_codebook as toy
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
    frame = toy.codes(columns)
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
    frame = toy.codes(columns)
    svg.write_text(likert_svg(frame, Policy("none"), tmp_path), encoding="utf-8")
    assert likert_geometry.check(tmp_path, config, {SURVEY: QUESTIONNAIRE}) == []


# --- the system of sums, table by table ---------------------------------------------------------

TOY = reverse_keyed.questionnaire(True)  # statements a, b, c (c reverse-keyed), theme t


def table(**columns) -> pd.DataFrame:
    """A published table as the attacker reads it: every cell text."""
    return pd.DataFrame({name: [str(v) for v in values] for name, values in columns.items()})


def hand_release(tables: dict, config=None, policy: Policy = TEN, svgs=None) -> Release:
    config = {"tables": {}, "comparisons": {}, "likert_figures": {}, **(config or {})}
    return Release(tables, svgs or {}, config, {SURVEY: QUESTIONNAIRE, "toy": TOY}, policy)


def toy_cells(statement: str, labels) -> list:
    return [("cell", "toy", statement, label) for label in labels]


def test_a_question_asked_of_everybody_is_a_system_of_its_answers():
    """A statement's answers sum to its denominator, which is the analysed n; its answers but
    the blank to those who answered; its on-scale answers to the on-scale n, which with the
    off-scale and blank cells makes the denominator; its two top answers to those agreeing, its
    two bottom ones (below the middle of five) to the Likert figures' low pole."""
    agreement = table(
        survey=["toy"], statement_set=["s"], statement=["a"], n=[12], n_agree=[5],
        percent_agree=["41.67"], method=["share of those who answered"],
    )  # fmt: skip
    system = attacker.build_system(hand_release({"agreement_summary": agreement}))
    scale = toy_cells("a", [f"p{code}" for code in range(1, 6)])
    off, blank = ("cell", "toy", "a", "Don't know"), ("cell", "toy", "a", attacker.NO_ANSWER)
    expected = [
        ([*scale, off, blank], ("denominator", "toy", "a")),
        ([("denominator", "toy", "a")], ("flow", "toy", "analysed")),
        ([*scale, off], ("answered", "toy", "a")),
        (scale, ("on_scale", "toy", "a")),
        ([("on_scale", "toy", "a"), off, blank], ("denominator", "toy", "a")),
        (scale[3:], ("agree", "toy", "a")),
        (scale[:2], ("low", "toy", "a")),
        (scale[3:], ("n_agree", "toy", "a")),
    ]
    assert system.constraints == expected
    assert system.publications == [(("answered", "toy", "a"), 12), (("n_agree", "toy", "a"), 5)]
    file = "results/tables/agreement_summary.csv"
    assert system.sources == {
        ("answered", "toy", "a"): (file, "row 2 (toy, a), n"),
        ("n_agree", "toy", "a"): (file, "row 2 (toy, a), n_agree"),
    }


def test_a_reverse_keyed_statement_agrees_in_its_keyed_direction_where_the_summary_says_so():
    rows = {
        "survey": ["toy", "toy", "toy"], "statement_set": ["s"] * 3, "statement": ["c"] * 3,
        "n": [11, 11, 11], "n_agree": [6, 6, 6], "percent_agree": ["54.55"] * 3,
    }  # fmt: skip
    methods = ["share agreeing in the statement's keyed direction", "share agreeing", "nan"]
    scale = toy_cells("c", [f"p{code}" for code in range(1, 6)])
    for method, agreeing in zip(methods, [[scale[1], scale[0]], scale[3:], scale[3:]], strict=True):
        frame = table(**{k: v[:1] for k, v in rows.items()}, method=[method])
        system = attacker.build_system(hand_release({"agreement_summary": frame}))
        n_agree = [parts for parts, total in system.constraints if total[0] == "n_agree"]
        assert n_agree == [agreeing], method
    # the summary without a method column counts in the answers' own direction
    frame = table(**{k: v[:1] for k, v in rows.items()})
    system = attacker.build_system(hand_release({"agreement_summary": frame}))
    assert [p for p, t in system.constraints if t[0] == "n_agree"] == [scale[3:]]


def test_the_set_mean_row_publishes_the_analysed_n():
    agreement = table(
        survey=["toy"], statement_set=["s"], statement=["mean"], n=[12], n_agree=[""],
        percent_agree=["45"],
    )  # fmt: skip
    system = attacker.build_system(hand_release({"agreement_summary": agreement}))
    assert system.publications == [(("flow", "toy", "analysed"), 12)]
    assert system.constraints == []
    file = "results/tables/agreement_summary.csv"
    assert system.sources == {("flow", "toy", "analysed"): (file, "row 2 (toy, mean), n")}


def test_the_flow_and_the_ledger_summary_are_one_system():
    flow = table(
        survey=["staff"] * 5,
        stage=["exported_rows", "duplicate_responses", "returned", "excluded_a", "analysed"],
        n=[130, 0, 130, 9, 121],
    )
    ledger = table(
        survey=["staff"] * 3, status=["analysed", "excluded", "excluded"],
        reason=["", "duplicate_response", "a"], n=[121, 0, 9],
    )  # fmt: skip
    system = attacker.build_system(
        hand_release({"participant_flow": flow, "ledger_summary": ledger})
    )

    def stage(name: str) -> tuple:
        return ("flow", "staff", name)

    assert system.constraints == [
        ([stage("duplicate_responses"), stage("returned")], stage("exported_rows")),
        ([stage("excluded_a"), stage("analysed")], stage("returned")),
    ]
    flow_counts = [(stage(s), int(n)) for s, n in zip(flow["stage"], flow["n"], strict=True)]
    ledger_counts = [
        (stage("analysed"), 121),
        (stage("duplicate_responses"), 0),
        (stage("excluded_a"), 9),
    ]
    assert system.publications == flow_counts + ledger_counts
    assert system.sources[stage("excluded_a")] == (
        "results/tables/participant_flow.csv",
        "staff excluded_a",
    )
    # the ledger summary alone names its own rows
    system = attacker.build_system(hand_release({"ledger_summary": ledger}))
    assert system.sources[stage("excluded_a")] == (
        "results/tables/ledger_summary.csv",
        "staff excluded a",
    )
    assert system.constraints == []


def test_groups_tests_pairs_and_models_are_nested_in_their_populations():
    """A comparison's group is part of those who gave its answer (or of its questionnaire's
    analysed n, for a comparison of questionnaires), its groups sum to the test's n, a Dunn
    pair publishes its groups' ns again, and a model's n is part of its test's."""
    config = {
        "comparisons": {
            "by_seen": {"by": "seen", "survey": SURVEY, "outcomes": ["x"]},
            "by_survey": {"by": "survey", "surveys": [SURVEY, "toy"], "outcomes": ["x"]},
        }
    }
    groups = table(
        comparison=["by_seen", "by_seen", "by_survey", "by_survey"], outcome=["x"] * 4,
        group=["Yes", "No", "Staff", "Toy"], n=[60, 61, 100, 12],
    )  # fmt: skip
    tests = table(
        comparison=["by_seen", "by_survey"], outcome=["x", "x"], n=[121, 112],
        group_order=["Yes; No", "Staff; Toy"],
    )  # fmt: skip
    posthoc = table(
        comparison=["by_seen"], outcome=["x"], group_a=["Yes"], group_b=["No"], n_a=[60],
        n_b=[61],
    )  # fmt: skip
    models = table(comparison=["by_seen"], outcome=["x"], term=["group: No vs Yes"], n=[120])
    tables = {
        "comparison_groups": groups, "comparisons": tests, "posthoc": posthoc,
        "ordinal_models": models,
    }  # fmt: skip
    system = attacker.build_system(hand_release(tables, config))

    def group(comparison, label):
        return ("group", comparison, "x", label)

    def nested(part, whole):
        return ([part, ("difference", whole, part)], whole)

    seen = [("cell", SURVEY, "seen", label) for label in ("Yes", "No", "Unsure")]
    blank = ("cell", SURVEY, "seen", attacker.NO_ANSWER)
    assert system.constraints == [
        ([*seen, blank], ("denominator", SURVEY, "seen")),
        ([("denominator", SURVEY, "seen")], ("flow", SURVEY, "analysed")),
        (seen, ("answered", SURVEY, "seen")),
        nested(group("by_seen", "Yes"), seen[0]),
        nested(group("by_seen", "No"), seen[1]),
        nested(group("by_survey", "Staff"), ("flow", SURVEY, "analysed")),
        nested(group("by_survey", "Toy"), ("flow", "toy", "analysed")),
        ([group("by_seen", "Yes"), group("by_seen", "No")], ("test", "by_seen", "x")),
        ([group("by_survey", "Staff"), group("by_survey", "Toy")], ("test", "by_survey", "x")),
        nested(("model", "by_seen", "x"), ("test", "by_seen", "x")),
    ]
    assert system.publications == [
        (group("by_seen", "Yes"), 60),
        (group("by_seen", "No"), 61),
        (group("by_survey", "Staff"), 100),
        (group("by_survey", "Toy"), 12),
        (("test", "by_seen", "x"), 121),
        (("test", "by_survey", "x"), 112),
        (group("by_seen", "Yes"), 60),
        (group("by_seen", "No"), 61),
        (("model", "by_seen", "x"), 120),
    ]
    groups_csv, tests_csv = "results/tables/comparison_groups.csv", "results/tables/comparisons.csv"
    assert system.sources == {
        group("by_seen", "Yes"): (groups_csv, "row 2 (by_seen, x, Yes), n"),
        group("by_seen", "No"): (groups_csv, "row 3 (by_seen, x, No), n"),
        group("by_survey", "Staff"): (groups_csv, "row 4 (by_survey, x, Staff), n"),
        group("by_survey", "Toy"): (groups_csv, "row 5 (by_survey, x, Toy), n"),
        ("test", "by_seen", "x"): (tests_csv, "row 2 (by_seen, x), n"),
        ("test", "by_survey", "x"): (tests_csv, "row 3 (by_survey, x), n"),
        ("model", "by_seen", "x"): (
            "results/tables/ordinal_models.csv",
            "row 2 (by_seen, x, group: No vs Yes), n",
        ),
    }
    # the pair's ns, where no group table is: named by the pair's row
    system = attacker.build_system(hand_release({"posthoc": posthoc}, config))
    assert system.sources == {
        group("by_seen", "Yes"): ("results/tables/posthoc.csv", "row 2 (by_seen, x, Yes, No), n_a"),
        group("by_seen", "No"): ("results/tables/posthoc.csv", "row 2 (by_seen, x, Yes, No), n_b"),
    }  # fmt: skip
    assert system.constraints == []


def test_theme_tables_nest_a_theme_in_its_pairs_and_its_statements():
    """A correlation's n is part of each of its statements' on-scale answers; a theme's n (its
    reliability's and its item-rest rows') part of each of its pairs' and its statements'."""
    correlations = table(survey=["toy"], theme=["t"], item_a=["a"], item_b=["c"], n=[11])
    reliability = table(survey=["toy"], theme=["t"], n=[10], n_items=[3], alpha=["0.80"])
    item_rest = table(survey=["toy"], theme=["t"], item=["b"], n=[10])
    tables = {
        "theme_correlations": correlations, "theme_reliability": reliability,
        "theme_item_rest": item_rest,
    }  # fmt: skip
    system = attacker.build_system(hand_release(tables))
    pair, theme = ("pair", "toy", "a", "c"), ("theme", "toy", "t")

    def nested(part, whole):
        return ([part, ("difference", whole, part)], whole)

    relations = [c for c in system.constraints if c[1][0] != "cell" and c[0][0][0] != "cell"]
    relations = [c for c in relations if c[0][0][0] in ("pair", "theme")]
    assert relations == [
        nested(pair, ("on_scale", "toy", "a")),
        nested(pair, ("on_scale", "toy", "c")),
        nested(theme, pair),
        nested(theme, ("on_scale", "toy", "a")),
        nested(theme, ("on_scale", "toy", "b")),
        nested(theme, ("on_scale", "toy", "c")),
    ]
    # each statement named is a system of its answers (a, c, then b: in the order first named)
    denominators = [t for _, t in system.constraints if t[0] == "denominator"]
    assert denominators == [("denominator", "toy", s) for s in "acb" for _ in range(2)]
    assert system.publications == [(pair, 11), (theme, 10), (theme, 10)]
    assert system.sources == {
        pair: ("results/tables/theme_correlations.csv", "row 2 (toy, a, c), n"),
        theme: ("results/tables/theme_reliability.csv", "row 2 (toy, t), n"),
    }
    # the item-rest table alone: its row named with its item
    system = attacker.build_system(hand_release({"theme_item_rest": item_rest}))
    assert system.sources == {theme: ("results/tables/theme_item_rest.csv", "row 2 (toy, t, b), n")}


def test_a_theme_the_codebook_does_not_define_is_published_alone():
    """A reliability row of a theme the questionnaire does not define (toy defines only t): its n
    is published, nested in no statement (no items known), and the release still read."""
    reliability = table(survey=["toy"], theme=["u"], n=[10], n_items=[3], alpha=["0.80"])
    system = attacker.build_system(hand_release({"theme_reliability": reliability}))
    theme = ("theme", "toy", "u")
    assert system.publications == [(theme, 10)]
    assert not [c for c in system.constraints if theme in c[0] or c[1] == theme]


def test_a_release_is_read_as_published_text(tmp_path):
    """Every CSV of results/tables/ as text ("NA" and "007" as written, a blank cell missing:
    files.read_csv), every SVG of
    results/figures/ (other files and folders ignored), and what the attacker is told."""
    tables, figures = tmp_path / "results" / "tables", tmp_path / "results" / "figures"
    tables.mkdir(parents=True)
    figures.mkdir(parents=True)
    (tables / "b.csv").write_text("question_id,n,percent\nNA,007,\n", encoding="utf-8")
    (tables / "a.csv").write_text("survey,n\nstaff,12\n", encoding="utf-8")
    (tables / "notes.txt").write_text("not a table", encoding="utf-8")
    (figures / "f.svg").write_text("<svg>é</svg>", encoding="utf-8")
    (figures / "f.png").write_bytes(b"\x89PNG")
    primary = [("cell", SURVEY, "x", "level 1")]
    release_ = attacker.read_release(tmp_path, CONFIG, {SURVEY: QUESTIONNAIRE}, TEN, primary)
    assert list(release_.tables) == ["a", "b"]
    row = release_.tables["b"].iloc[0]
    assert (row["question_id"], row["n"], pd.isna(row["percent"])) == ("NA", "007", True)
    assert release_.svgs == {"f": "<svg>é</svg>"}
    assert release_.config is CONFIG and release_.policy == TEN
    assert release_.questionnaires == {SURVEY: QUESTIONNAIRE}
    assert release_.primary == set(primary)
    # nothing published: nothing to read, nothing found
    empty = attacker.read_release(tmp_path / "none", CONFIG, {}, TEN)
    assert (empty.tables, empty.svgs, empty.primary) == ({}, {}, set())


# --- solving: bounds, integer programming and what they pin -------------------------------------


def triangle(totals=(10, 10, 10), policy: Policy = TEN) -> attacker.System:
    """Three hidden counts a, b, c published only as the sums a + b, b + c and a + c: interval
    propagation leaves each in [0, 10]; integers pin them (a + b + c is half the three sums)."""
    system = attacker.System()
    for (x, y), total in zip(["ab", "bc", "ac"], totals, strict=True):
        system.publish(x, SUPPRESSED, "results/tables/t.csv", f"cell {x}")
        system.publish(y, SUPPRESSED, "results/tables/t.csv", f"cell {y}")
        system.publish(x + y, total, "results/tables/t.csv", f"sum {x + y}")
        system.add([x, y], x + y)
    return system


def test_integer_programming_pins_what_propagation_leaves_open():
    system = triangle()
    loose = attacker.solve(system, TEN, integer=False)
    assert [(loose.low[k], loose.high[k]) for k in "abc"] == [(0, 10)] * 3
    bounds = attacker.solve(system, TEN)
    assert [(bounds.low[k], bounds.high[k]) for k in "abc"] == [(5, 5)] * 3
    assert bounds.infeasible == []
    findings = attacker.findings_of(bounds, system, TEN, "subtraction")
    assert [str(f) for f in findings] == [
        f"results/tables/t.csv: cell {k}: hidden count = 5 (subtraction within and across "
        "tables, differences of totals and ns)"
        for k in "abc"
    ]
    # a + b = 12, b + c = 14, a + c = 10: a + b + c = 18, so (4, 8, 6); a + b = 10 and b + c =
    # 10 alone allow (a, 10 - a, a) for any a up to 10: nothing pinned
    bounds = attacker.solve(triangle((12, 14, 10)), TEN)
    assert [(bounds.low[k], bounds.high[k]) for k in "abc"] == [(4, 4), (8, 8), (6, 6)]
    open_ = attacker.System()
    for x, y in ["ab", "bc"]:
        open_.publish(x, SUPPRESSED, "t", x)
        open_.publish(x + y, 10, "t", x + y)
        open_.add([x, y], x + y)
    open_.publish("c", SUPPRESSED, "t", "c")
    bounds = attacker.solve(open_, TEN)
    assert [(bounds.low[k], bounds.high[k]) for k in "abc"] == [(0, 10)] * 3
    assert attacker.findings_of(bounds, open_, TEN, "subtraction") == []


def test_sums_with_no_integer_solution_are_for_review():
    """a + b + c = 31 / 2 has no integer solution: the attacker's model contradicts the tables
    (a bug), said once, where the first cell of the system was read."""
    system = triangle((10, 10, 11))
    bounds = attacker.solve(system, TEN)
    assert bounds.infeasible == ["a"]
    findings = attacker.findings_of(bounds, system, TEN, "statistics")
    assert findings == [
        attacker.Finding(
            "statistics",
            "results/tables/t.csv",
            "cell a",
            "review by hand: the attacker's model of these tables and what it learnt has no "
            "solution (a table it misreads); check by hand",
        )
    ]
    # crossed bounds from propagation alone: 7 + 6 published as parts of 10
    crossed = attacker.System()
    crossed.publish("x", 7, "results/tables/u.csv", "x")
    crossed.publish("y", 6, "results/tables/u.csv", "y")
    crossed.publish("t", 10, "results/tables/u.csv", "t")
    crossed.add(["x", "y"], "t")
    bounds = attacker.solve(crossed, Policy("threshold", min_count=2, min_statistic_n=2))
    findings = attacker.findings_of(bounds, crossed, TEN, "subtraction")
    assert len(findings) == 1 and findings[0].what.startswith(attacker.BY_HAND)


def test_a_small_difference_of_populations_is_found_where_its_whole_was_read():
    """A part published beside its whole: their difference is a count of respondents; pinned
    at 3 it is what the rule hides, named by the whole's cell and both populations."""
    system = attacker.System()
    whole, part = ("group", "c", "x", "Yes"), ("model", "c", "x")
    system.publish(("flow", "s", "analysed"), "40", "results/tables/f.csv", "analysed")
    system.add([("flow", "s", "a"), ("flow", "s", "b")], ("flow", "s", "analysed"))
    system.publish(whole, "20", "results/tables/g.csv", "row 2, n")
    system.publish(part, "17 ", "results/tables/m.csv", "row 3, n")
    system.nested(part, whole)
    difference = ("difference", whole, part)
    assert system.constraints[-1] == ([part, difference], whole)
    bounds = attacker.solve(system, TEN)
    assert (bounds.low[difference], bounds.high[difference]) == (3, 3)
    assert attacker.findings_of(bounds, system, TEN, "subtraction") == [
        attacker.Finding(
            "subtraction",
            "results/tables/g.csv",
            "row 2, n (with group c x Yes minus model c x)",
            "a count of 3 respondents (group c x Yes minus model c x), which the rule hides",
        )
    ]
    # the same at 10 or more is no finding; nor is a difference of 0
    for shown in (10, 20):  # differences of 10 and 0
        system.publications[-1] = (part, shown)
        assert attacker.findings_of(attacker.solve(system, TEN), system, TEN, "x") == [], shown


def test_where_a_cell_no_table_shows_is_named():
    system = attacker.System()
    system.publish("u", "30", "results/tables/u.csv", "u")
    system.add(["v", "w"], "u")  # an unrelated sum, read first
    system.add(["p", "q"], "t")  # t: a total of unpublished parts...
    system.publish("w2", "25", "results/tables/w.csv", "w2")
    system.publish("r", "20", "results/tables/r.csv", "r")
    system.add(["t", "r"], "w2")  # ...and a part of a published sum
    assert attacker._source("t", system) == ("results/tables/w.csv", "w2 (with t)")
    assert attacker._source("p", system) == ("results/tables/", "p")
    assert attacker._source(("difference", ("a", 1), ("b", 2)), system) == (
        "results/tables/",
        "a 1 minus b 2",
    )
    bounds = attacker.solve(system, TEN)
    assert (bounds.low["t"], bounds.high["t"]) == (5, 5)
    findings = attacker.findings_of(bounds, system, TEN, "subtraction")
    assert [(f.file, f.cell, f.what) for f in findings] == [
        (
            "results/tables/w.csv",
            "w2 (with t)",
            "a count of 5 respondents (t), which the rule hides",
        )
    ]


def test_what_facts_pin_is_a_finding_of_their_attack_alone():
    """Under rounding, a published count that another fact pins is its exact value (not for a
    0, which rounding shows exactly); bounds already pinned without the fact are not this
    attack's finding; the fact's evidence names where it was read."""
    system = attacker.System()
    for key, value in (("a", "60"), ("b", "60"), ("z", "0"), ("h", SUPPRESSED)):
        system.publish(key, value, "results/tables/t.csv", f"cell {key}")
    system.add(["a", "b", "z", "h"], "total")
    facts = {"a": (61, 61), "z": (0, 0), "h": (12, 12)}
    base = attacker.solve(system, NHS)
    bounds = attacker.solve(system, NHS, facts=facts)
    evidence = {"a": ("results/tables/comparisons.csv", "row 2, statistic")}
    findings = attacker.findings_of(bounds, system, NHS, "statistics", base, evidence)
    assert [(f.attack, f.file, f.cell, f.what) for f in findings] == [
        (
            "statistics",
            "results/tables/comparisons.csv",
            "row 2, statistic",
            "exact value 61 of a count published rounded",
        ),
        ("statistics", "results/tables/t.csv", "cell h", "hidden count = 12"),
    ]
    assert attacker.findings_of(bounds, system, NHS, "statistics", before=bounds) == []
    # without the bounds before the fact: the rounded count's exact value, not the 0's
    findings = attacker.findings_of(bounds, system, NHS, "statistics")
    assert [f.what for f in findings] == [
        "exact value 61 of a count published rounded",
        "hidden count = 12",
    ]
    # under a threshold, the same bounds on published counts say nothing the tables do not
    findings = attacker.findings_of(bounds, system, TEN, "statistics")
    assert [f.what for f in findings] == ["hidden count = 12"]


def test_every_statistic_that_involves_a_hidden_group_is_named():
    """A group is hidden when its n is (``*`` or blank) or is below the rule's least n for a
    statistic; a test with such a group shows no statistic, mean rank, Dunn pair; a hidden group
    no median; a model no term of a level the tables hide; a table no percentage of a hidden
    count, and an agreement summary no mean of a set with a hidden statement."""
    policy = Policy("threshold", min_count=5, min_statistic_n=10)
    groups = table(
        comparison=["by_seen", "by_seen", "by_band", "by_band", "by_band", "other"],
        outcome=["x"] * 6, group=["Yes", "No", "Young", "Middle", "Old", "A"],
        n=["60", SUPPRESSED, "40", "7", "", "30"],
        mean_rank=["40.2", "81.4", "nan", "", "", "3"], median=["3", "5", "", "4", "", "2"],
    )  # fmt: skip
    tests = table(
        comparison=["by_seen", "by_band", "other"], outcome=["x"] * 3,
        group_order=["Yes; No", "Young; Middle; Old", "A; B"], statistic=["584", "", "1"],
        p=["<0.001", "0.2", "0.5"], effect_size=["", SUPPRESSED, "0.1"],
        highest_mean_rank=["No", "nan", "A"], log10_p=["-3.1", "", ""],
    )  # fmt: skip
    posthoc = table(
        comparison=["by_band", "by_band", "other"], outcome=["x"] * 3,
        group_a=["Young", "Young", "A"], group_b=["Middle", "Old", "B"], z=["-3.2", "", "1"],
        p=["nan", SUPPRESSED, "0.3"], mean_rank_b=["64.0", "", "2"],
    )  # fmt: skip
    models = table(
        comparison=["by_band", "by_band", "by_band", "by_seen", "by_seen"], outcome=["x"] * 5,
        term=[
            "group: Middle vs Young", "group: Old vs Young", "seen: No vs Yes", "group",
            "group: Unsure vs Yes",
        ],
        odds_ratio=["0.8", "0.9", SUPPRESSED, "1.2", "1.1"], p=["", "", "0.04", "0.1", "0.5"],
    )  # fmt: skip
    answers = table(
        question_id=["band", "band", "band"], response=["Young", "Middle", "Old"],
        n=["40", "*", "*"], denominator=["121", "121", "*"], percent=["33.06", "3.2", "*"],
    )  # fmt: skip
    seen = table(
        question_id=["seen"] * 3, response=["No", "Yes", "Unsure"], n=["*", "60", "5"],
        denominator=["121"] * 3, percent=["", "49.6", "4.13"],
    )  # fmt: skip
    agreement = table(
        survey=["toy"] * 4, statement_set=["s"] * 4, statement=["a", "b", "c", "mean"],
        n=["12", "12", SUPPRESSED, "12"], n_agree=["*", "5", SUPPRESSED, ""],
        percent_agree=["41.67", "41.67", SUPPRESSED, "45"],
    )  # fmt: skip
    config = {
        "tables": {
            "table1": {"survey": SURVEY, "questions": ["band"]},
            "table4": {"survey": SURVEY, "questions": ["seen"]},
        },
        "comparisons": {
            "by_seen": {"by": "seen", "survey": SURVEY, "outcomes": ["x"]},
            "by_band": {"by": "band", "survey": SURVEY, "outcomes": ["x"]},
        },
    }
    tables = {
        "comparison_groups": groups, "comparisons": tests, "posthoc": posthoc,
        "ordinal_models": models, "table1": answers, "table4": seen,
        "agreement_summary": agreement,
    }  # fmt: skip
    findings = attacker.hidden_groups(hand_release(tables, config, policy))
    test_ = "a statistic of a test over a hidden group is published"
    rank = (
        "a mean rank of a test with a hidden group is published (ranks are among all its "
        "groups: with the others' rank sums it gives the hidden n back)"
    )
    pair = (
        "a Dunn pair of a test with a hidden group is published (its row says the test passed "
        "its gate; its z and p give the test's N back)"
    )
    median = "a median of a hidden group is published"
    model = "a model estimate of a level the tables hide is published"
    percent = "a percentage of a hidden count is published"
    assert [(f.file.split("/")[-1], f.cell, f.what) for f in findings] == [
        ("comparisons.csv", "row 2 (by_seen, x), statistic", test_),
        ("comparisons.csv", "row 2 (by_seen, x), p", test_),
        ("comparisons.csv", "row 2 (by_seen, x), log10_p", test_),
        ("comparisons.csv", "row 2 (by_seen, x), highest_mean_rank", test_),
        ("comparisons.csv", "row 3 (by_band, x), p", test_),
        ("comparison_groups.csv", "row 2 (by_seen, x, Yes), mean_rank", rank),
        ("comparison_groups.csv", "row 3 (by_seen, x, No), mean_rank", rank),
        ("comparison_groups.csv", "row 3 (by_seen, x, No), median", median),
        ("comparison_groups.csv", "row 5 (by_band, x, Middle), median", median),
        ("posthoc.csv", "row 2 (by_band, x, Young, Middle), z, mean_rank_b", pair),
        ("posthoc.csv", "row 3 (by_band, x, Young, Old)", pair),
        ("ordinal_models.csv", "row 2 (by_band, x, group: Middle vs Young), odds_ratio", model),
        ("ordinal_models.csv", "row 3 (by_band, x, group: Old vs Young), odds_ratio", model),
        ("ordinal_models.csv", "row 4 (by_band, x, seen: No vs Yes), odds_ratio", model),
        ("table1.csv", "row 3 (band, Middle), percent", percent),
        ("agreement_summary.csv", "row 2 (toy, a), percent_agree", percent),
        ("agreement_summary.csv", "row 5 (toy, mean), percent_agree", percent),
    ]  # fmt: skip
    assert all(f.attack == "hidden_groups" for f in findings)


def test_a_model_terms_levels():
    config = {
        "comparisons": {
            "by_band": {"by": "band", "survey": SURVEY},
            "by_survey": {"by": "survey", "surveys": [SURVEY, "toy"]},
        }
    }
    release_ = hand_release({}, config)
    levels = functools.partial(attacker._term_levels, release_)
    assert levels("by_band", "group: Old vs Young") == {
        (SURVEY, "band", "Old"), (SURVEY, "band", "Young")
    }  # fmt: skip
    assert levels("by_band", "seen: No vs Yes") == {(SURVEY, "seen", "No"), (SURVEY, "seen", "Yes")}
    # a label holding " vs " is split at the first
    assert levels("by_band", "group: A vs B vs C") == {
        (SURVEY, "band", "A"),
        (SURVEY, "band", "B vs C"),
    }
    # a label holding ": " is a label of the term's variable
    colon = {(SURVEY, "band", "Ratio: high"), (SURVEY, "band", "low")}
    assert levels("by_band", "group: Ratio: high vs low") == colon
    assert levels("by_band", "age") == set()  # a numeric covariate: no levels
    assert levels("by_band", "group: vs") == set()
    assert levels("by_survey", "group: Toy vs Staff") == set()  # questionnaires: no answer
    assert levels("unknown", "age") == set()


@pytest.mark.parametrize("level", [95, 90])
def test_feldts_interval_and_a_percentage_give_rounded_ns_back(level):
    """Under rounding, a theme's alpha with Feldt's interval at full precision (computed here
    from the F distribution, (1 - bound) / (1 - alpha) = F on n - 1 and (n - 1)(k - 1) df, at
    the interval's level, which its method names) fixes n = 121 where 120 is published; so does
    a percentage agreeing of 61 / 121 where 60 / 120 is published."""
    from scipy.stats import f

    n, items, alpha, tail = 121, 3, 0.81234567, (1 - level / 100) / 2
    low, high = (1 - (1 - alpha) * f.ppf(q, n - 1, (n - 1) * (items - 1)) for q in (1 - tail, tail))
    reliability = table(
        survey=["toy"], theme=["t"], n=["120"], n_items=[items], alpha=[alpha],
        alpha_ci_low=[repr(float(low))], alpha_ci_high=[repr(float(high))],
        method=[f"Cronbach's alpha on complete cases; Feldt (1965) F-based {level}% interval"],
    )  # fmt: skip
    agreement = table(
        survey=["toy", "toy"], statement_set=["s", "s"], statement=["a", "b"], n=["120", "120"],
        n_agree=["60", "60"], percent_agree=[f"{100 * 61 / 121:.2f}", "50.00"],
    )  # fmt: skip
    tables = {"theme_reliability": reliability, "agreement_summary": agreement}
    findings = attack(hand_release(tables, policy=NHS))
    assert [(f.attack, f.file, f.cell, f.what) for f in findings] == [
        (
            "statistics",
            "results/tables/agreement_summary.csv",
            "row 2 (toy, a), percent_agree",
            "exact value 61 of a count published rounded",
        ),
        (
            "statistics",
            "results/tables/theme_reliability.csv",
            "row 2 (toy, t), alpha, alpha_ci_low",
            "exact value 121 of a count published rounded",
        ),
    ]
    # the same interval read at another level fits no n: nothing learnt from it
    other = 90 if level == 95 else 95
    reliability["method"] = f"Feldt (1965) F-based {other}% interval"
    agreement["percent_agree"] = "50.00"
    assert attack(hand_release(tables, policy=NHS)) == []


def one_test(test: str, groups: list[str], published: list[str], n: str, **columns):
    """A comparison of x by ``seen`` (two groups) or ``band`` (three): its test's row and its
    groups' rows, published under the nhs rule."""
    tests = table(
        comparison=["c"], outcome=["x"], test=[test], n=[n], group_order=["; ".join(groups)],
        **{k: [v] for k, v in columns.items() if k != "mean_rank"},
    )  # fmt: skip
    ranks = columns.get("mean_rank", [""] * len(groups))
    rows = table(
        comparison=["c"] * len(groups), outcome=["x"] * len(groups), group=groups, n=published,
        mean_rank=ranks,
    )  # fmt: skip
    by = "seen" if len(groups) == 2 else "band"
    config = {"comparisons": {"c": {"by": by, "survey": SURVEY, "outcomes": ["x"]}}}
    return hand_release({"comparisons": tests, "comparison_groups": rows}, config, NHS)


def test_a_test_statistic_gives_rounded_ns_back():
    """Groups of 52 and 61 published as 50 and 60 (the test's 113 as 115): a Mann-Whitney U
    with its r = 2U / (n1 n2) - 1 at full precision fixes n1 n2 = 3172, which in those windows
    only 52 x 61 gives; the groups' mean ranks at full precision (computed here by scipy's
    rankdata) fix them too, as rank sums adding to N (N + 1) / 2. A Kruskal-Wallis H with its
    epsilon-squared = H / (N - 1) fixes N = 121 where 120 is published."""
    from scipy.stats import rankdata

    rounded = "exact value {} of a count published rounded"

    def found_(release_):
        return [(f.file.split("/")[-1], f.cell, f.what) for f in attack(release_)]

    test_n = ("comparisons.csv", "row 2 (c, x), n", rounded.format(113))
    u = 1000.0
    release_ = one_test(
        "Mann-Whitney U", ["Yes", "No"], ["50", "60"], "115", statistic=repr(u),
        effect_size=repr(2 * u / (52 * 61) - 1),
    )  # fmt: skip
    where = "row 2 (c, x), statistic, effect_size"
    assert found_(release_) == [
        ("comparisons.csv", where, rounded.format(61)),
        ("comparisons.csv", where, rounded.format(52)),
        test_n,
    ]
    ranks = rankdata(np.r_[np.arange(52) % 5, np.arange(61) % 4 + 1])
    mean_ranks = [repr(float(ranks[:52].mean())), repr(float(ranks[52:].mean()))]
    release_ = one_test("Mann-Whitney U", ["Yes", "No"], ["50", "60"], "115", mean_rank=mean_ranks)
    assert found_(release_) == [
        ("comparison_groups.csv", "c, x, mean_rank", rounded.format(61)),
        ("comparison_groups.csv", "c, x, mean_rank", rounded.format(52)),
        test_n,
    ]
    # the mean ranks withheld: nothing to read
    release_ = one_test("Mann-Whitney U", ["Yes", "No"], ["50", "60"], "115", mean_rank=["*", "*"])
    assert found_(release_) == []
    h = 12.3456789
    release_ = one_test(
        "Kruskal-Wallis H", ["Young", "Middle", "Old"], ["40", "40", "40"], "120", df="2",
        statistic=repr(h), effect_size=repr(h / 120),
    )  # fmt: skip
    where = "row 2 (c, x), statistic, effect_size, p"
    assert found_(release_) == [("comparisons.csv", where, rounded.format(121))]
    # the statistics of another test say nothing of these ns
    release_ = one_test(
        "Mann-Whitney U", ["Young", "Middle", "Old"], ["40", "40", "40"], "120", df="2",
        statistic=repr(h), effect_size=repr(h / 120),
    )  # fmt: skip
    assert found_(release_) == []


@pytest.mark.parametrize("test", ["Mann-Whitney U", "Kruskal-Wallis H"])
def test_a_tie_correction_pins_the_hidden_answers_of_everyone_compared(test):
    """x's 121 answers (2, 12, 30, 40, 37) with the 2 and, to protect it, the 12 hidden under a
    threshold of 10; a rank test of all 121 by seen (61, 60) or band (41, 40, 40), its U and p
    or H and mean ranks at full precision (scipy: mannwhitneyu, asymptotic with continuity
    correction; kruskal; rankdata): the tie correction's sum(t^3 - t) is 143,268 for (2, 12),
    142,890 for (3, 11), 143,730 for (1, 13): only (2, 12) fits, for an attacker who knows the
    first cell was hidden for being small (else it may be 0)."""
    from scipy.stats import kruskal, mannwhitneyu, rankdata

    x = np.repeat([1, 2, 3, 4, 5], [2, 12, 30, 40, 37])
    order = np.argsort(x + np.random.default_rng(3).normal(0, 2, len(x)))  # x related to groups
    answers = table(
        question_id=["x"] * 5, response=[f"level {c}" for c in range(1, 6)],
        n=[SUPPRESSED, SUPPRESSED, 30, 40, 37], denominator=[121] * 5,
        percent=[SUPPRESSED, SUPPRESSED, "24.79", "33.06", "30.58"],
    )  # fmt: skip
    if test == "Mann-Whitney U":
        sizes, labels, by = [61, 60], ["Yes", "No"], "seen"
        result = mannwhitneyu(x[order[:61]], x[order[61:]], method="asymptotic")
        mean_ranks = ["", ""]
    else:
        sizes, labels, by = [41, 40, 40], ["Young", "Middle", "Old"], "band"
        result = kruskal(x[order[:41]], x[order[41:81]], x[order[81:]])
        ranks = rankdata(x[order])
        mean_ranks = [repr(float(r.mean())) for r in (ranks[:41], ranks[41:81], ranks[81:])]
    tests = table(
        comparison=["c"], outcome=["x"], test=[test], n=["121"], group_order=["; ".join(labels)],
        statistic=[repr(float(result.statistic))], p=[repr(float(result.pvalue))], df=["2"],
    )  # fmt: skip
    groups = table(
        comparison=["c"] * len(sizes), outcome=["x"] * len(sizes), group=labels, n=sizes,
        mean_rank=mean_ranks,
    )  # fmt: skip
    config = {
        "tables": {"table2": {"survey": SURVEY, "questions": ["x"]}},
        "comparisons": {"c": {"by": by, "survey": SURVEY, "outcomes": ["x"]}},
    }
    tables = {"table2": answers, "comparisons": tests, "comparison_groups": groups}
    release_ = hand_release(tables, config, TEN)
    assert attack(release_) == []  # the 2 may be a 0 and the 12 a 14
    release_.primary = {("cell", SURVEY, "x", "level 1")}
    where = "row 2 (c, x), statistic, p"
    assert [(f.attack, f.file, f.cell, f.what) for f in attack(release_)] == [
        ("ties", "results/tables/comparisons.csv", where, "hidden count = 2"),
        ("ties", "results/tables/comparisons.csv", where, "hidden count = 12"),
    ]
    # the same with a test of y by the same groups beside it (its groups' rows too)
    both = dict(config, comparisons={"c": {"by": by, "survey": SURVEY, "outcomes": ["x", "y"]}})
    release_.config = both
    release_.tables["comparisons"] = pd.concat([tests, tests.assign(outcome="y")])
    y_ranks = list(reversed(mean_ranks))
    release_.tables["comparison_groups"] = pd.concat(
        [groups, groups.assign(outcome="y", mean_rank=y_ranks)], ignore_index=True
    )
    assert [(f.attack, f.cell, f.what) for f in attack(release_) if f.attack == "ties"] == [
        ("ties", where, "hidden count = 2"),
        ("ties", where, "hidden count = 12"),
    ]
    # the same test over fewer than everyone who answered x says nothing of x's answers
    fewer = tests.assign(comparison="d", n="120")
    fewer_groups = groups.assign(comparison="d", n=[str(n - (i == 0)) for i, n in enumerate(sizes)])
    release_.config = {**config, "comparisons": {"d": config["comparisons"]["c"]}}
    release_.tables["comparisons"] = fewer
    release_.tables["comparison_groups"] = fewer_groups
    assert found(attack(release_), "ties") == []
    # ... and is passed over for the tests after it
    release_.config = {
        **config,
        "comparisons": {"d": config["comparisons"]["c"], **config["comparisons"]},
    }
    release_.tables["comparisons"] = pd.concat([fewer, tests], ignore_index=True)
    release_.tables["comparison_groups"] = pd.concat([fewer_groups, groups], ignore_index=True)
    where = "row 3 (c, x), statistic, p"
    assert [(f.attack, f.cell, f.what) for f in attack(release_) if f.attack == "ties"] == [
        ("ties", where, "hidden count = 2"),
        ("ties", where, "hidden count = 12"),
    ]


def test_a_percentage_of_a_hidden_count_gives_the_count_back():
    """3.31 % of 121 is 4.005: the hidden count is 4, and the other hidden one 121 - 105 - 4 (a
    percentage of a hidden count is what hidden_groups names, and what the statistics attack
    reads); a percentage beside a hidden denominator is read against the denominator the sums
    give (y's, like x's, is the analysed n, 121: found by subtraction), and 24.79 % of it is
    the 30 shown."""
    levels = [f"level {c}" for c in range(1, 6)]
    x = table(
        question_id=["x"] * 5, response=levels, n=[SUPPRESSED, SUPPRESSED, "30", "40", "35"],
        denominator=["121"] * 5, percent=["3.31", SUPPRESSED, "24.79", "33.06", "28.93"],
    )  # fmt: skip
    y = table(
        question_id=["y"] * 5, response=levels, n=[SUPPRESSED, SUPPRESSED, "30", "*", "*"],
        denominator=[SUPPRESSED] * 5, percent=[SUPPRESSED, SUPPRESSED, "24.79", "*", "*"],
    )  # fmt: skip
    config = {
        "tables": {
            "table2": {"survey": SURVEY, "questions": ["x"]},
            "table3": {"survey": SURVEY, "questions": ["y"]},
        }
    }
    findings = attack(hand_release({"table2": x, "table3": y}, config, TEN))
    percent = "a percentage of a hidden count is published"
    assert [(f.attack, f.file.split("/")[-1], f.cell, f.what) for f in findings] == [
        ("subtraction", "table3.csv", "y, column denominator", "hidden count = 121"),
        ("hidden_groups", "table2.csv", "row 2 (x, level 1), percent", percent),
        ("hidden_groups", "table3.csv", "row 4 (y, level 3), percent", percent),
        ("statistics", "table2.csv", "row 2 (x, level 1), percent", "hidden count = 4"),
        ("statistics", "table2.csv", "x 'level 2', column n", "hidden count = 12"),
    ]


def test_the_values_a_cell_may_take_and_what_facts_keep():
    bounds = attacker.Bounds(
        {"a": 0, "b": 0.5, "c": 3, "d": 3, "f": 0},
        {"a": 10_000, "b": 10_001, "c": 2, "d": math.inf, "f": 10_001},
        set(), set(),
    )  # fmt: skip
    assert attacker._candidates(bounds, "a") == range(0, 10_001)  # 10,001 values: the most
    assert attacker._candidates(bounds, "b") == range(1, 10_002)  # 0.5: from 1
    assert attacker._candidates(bounds, "b", spread=9_999) is None
    assert attacker._candidates(bounds, "f") is None  # 10,002: too many to try
    assert attacker._candidates(bounds, "c") == range(3, 3)  # crossed: none
    assert attacker._candidates(bounds, "d") is None  # unbounded
    assert attacker._candidates(bounds, "e") is None  # never named
    facts = attacker.Facts()
    facts.learn("k", [], "f", "nothing")  # no value: nothing learnt
    facts.learn("k", [3, 0, 5], "f", "first")
    assert (facts.bounds, facts.evidence) == ({"k": (0, 5)}, {"k": ("f", "first")})
    facts.learn("k", range(2, 9), "f", "second")  # intersected, named by what narrowed it
    assert (facts.bounds, facts.evidence) == ({"k": (2, 5)}, {"k": ("f", "second")})
    facts.learn("k", range(0, 9), "f", "third")  # narrows nothing: the evidence stays
    assert (facts.bounds, facts.evidence) == ({"k": (2, 5)}, {"k": ("f", "second")})


def test_integers_pin_hidden_counts_above_the_threshold():
    """Counts hidden to protect others (secondary suppression) are at least the threshold too:
    a + a' = b + b' = c + c' = 20 and a + b = b + c = a + c = 30, every cell hidden, leave each
    of a, b, c in [10, 20] by propagation; integers give 15 (half of 90 less 30), and a', b', c'
    5 each."""
    system = triangle((30, 30, 30))
    for key in "abc":
        system.publish(key + "'", SUPPRESSED, "results/tables/t.csv", f"cell {key}'")
        system.publish(key + "+", 20, "results/tables/t.csv", f"sum {key}+")
        system.add([key, key + "'"], key + "+")
    loose = attacker.solve(system, TEN, integer=False)
    assert [(loose.low[k], loose.high[k]) for k in "abc"] == [(10, 20)] * 3
    findings = attacker.findings_of(attacker.solve(system, TEN), system, TEN, "subtraction")
    assert sorted((f.cell, f.what) for f in findings) == [
        ("cell a", "hidden count = 15"),
        ("cell a'", "hidden count = 5"),
        ("cell b", "hidden count = 15"),
        ("cell b'", "hidden count = 5"),
        ("cell c", "hidden count = 15"),
        ("cell c'", "hidden count = 5"),
    ]


def test_blank_cells_publish_nothing_and_numbers_are_read_as_counts():
    system = attacker.System()
    for value in ("", " ", "nan", float("nan")):
        system.publish("k", value, "f", "c")
    assert (system.publications, system.sources) == ([], {})
    system.publish("k", " 12.0 ", "f", "first")
    system.publish("k", SUPPRESSED, "g", "second")
    assert system.publications == [("k", 12), ("k", SUPPRESSED)]
    assert system.sources == {"k": ("f", "first")}


def test_integers_pin_what_they_can_beside_a_cell_they_cannot():
    """A cell the sums leave open (d + e = a) read before the triangle: the others are still
    pinned (a, b, c = 5)."""
    system = triangle()
    system.publications[:0] = [("d", SUPPRESSED), ("e", SUPPRESSED)]
    system.add(["d", "e"], "a")
    bounds = attacker.solve(system, TEN)
    assert [(bounds.low[k], bounds.high[k]) for k in "abc"] == [(5, 5)] * 3
    assert not bounds.pinned("d") and not bounds.pinned("e")


def test_sums_with_no_integer_solution_are_named_where_a_sum_was_read():
    system = attacker.System()
    for (x, y), total in zip(["ab", "bc", "ac"], (10, 10, 11), strict=True):
        system.publish(x + y, total, "results/tables/t.csv", f"sum {x + y}")
        system.add([x, y], x + y)
    findings = attacker.findings_of(attacker.solve(system, TEN), system, TEN, "ties")
    assert [(f.file, f.cell) for f in findings] == [("results/tables/t.csv", "sum ab (with a)")]


def test_a_descriptive_table_and_the_statements_frequencies_are_systems_of_their_rows():
    """A configured table's rows (its survey from the config) and the statements' frequencies
    (their own survey column) are their questions' cells, as listed: x's five answers sum to
    its denominator 121, the analysed n (y's likewise, from the second table)."""
    levels = [f"level {c}" for c in range(1, 6)]
    x = table(
        question_id=["x"] * 5, response=levels, n=[SUPPRESSED, SUPPRESSED, 30, 40, 37],
        denominator=[121] * 5, percent=[SUPPRESSED, SUPPRESSED, "24.79", "33.06", "30.58"],
    )  # fmt: skip
    y = x.assign(question_id="y", survey=SURVEY, statement_set="s")
    config = {"tables": {"table2": {"survey": SURVEY, "questions": ["x"]}}}
    system = attacker.build_system(hand_release({"table2": x, "statement_frequencies": y}, config))
    for question, stem in (("x", "table2"), ("y", "statement_frequencies")):
        cells = [("cell", SURVEY, question, label) for label in levels]
        total = ("denominator", SURVEY, question)
        expected = [
            (cells, total),
            ([total], ("flow", SURVEY, "analysed")),
            (cells, ("answered", SURVEY, question)),
            (cells, ("on_scale", SURVEY, question)),
            ([("on_scale", SURVEY, question)], total),
            (cells[3:], ("agree", SURVEY, question)),
            (cells[:2], ("low", SURVEY, question)),
        ]
        assert [c for c in system.constraints if c[1][2:3] == (question,) or c[0] == [total]] == (
            expected
        )
        published = [(key, value) for key, value in system.publications if key[2] == question]
        assert published == [
            *zip(cells, [SUPPRESSED, SUPPRESSED, 30, 40, 37], strict=True),
            (total, 121),
        ]
        file = f"results/tables/{stem}.csv"
        assert system.sources[cells[1]] == (file, f"{question} 'level 2', column n")
        assert system.sources[total] == (file, f"{question}, column denominator")


def test_each_published_statistic_of_a_rank_test_narrows_its_ns_on_its_own():
    """The same groups (52 and 61 published as 50 and 60; three of 121 published as 40 each):
    U at full precision with r to three decimals (-0.369: n1 n2 from 3167.1 to 3172.1) fixes
    n1 n2 = 3172 (r alone, or U alone, would not); a Kruskal-Wallis p at full precision
    (scipy's chi2) with epsilon-squared fixes N as H does; and epsilon-squared to two decimals
    with the lower bound of its 95 % interval at full precision (the noncentrality at which H
    is the upper 5 % point of a noncentral chi-squared, scipy's ncx2 and brentq, over N - 1)
    fixes N where epsilon-squared alone does not."""
    from scipy.optimize import brentq
    from scipy.stats import chi2, ncx2

    rounded = "exact value {} of a count published rounded"

    def found_(release_):
        return [(f.file.split("/")[-1], f.cell, f.what) for f in attack(release_)]

    u = 1000.0
    r = 2 * u / (52 * 61) - 1
    release_ = one_test(
        "Mann-Whitney U", ["Yes", "No"], ["50", "60"], "115", statistic=repr(u),
        effect_size=f"{r:.3f}",
    )  # fmt: skip
    where = "row 2 (c, x), statistic, effect_size"
    assert found_(release_) == [
        ("comparisons.csv", where, rounded.format(61)),
        ("comparisons.csv", where, rounded.format(52)),
        ("comparisons.csv", "row 2 (c, x), n", rounded.format(113)),
    ]
    release_.tables["comparisons"]["statistic"] = ""
    assert found_(release_) == []
    h = 12.3456789
    where = "row 2 (c, x), statistic, effect_size, p"
    release_ = one_test(
        "Kruskal-Wallis H", ["Young", "Middle", "Old"], ["40", "40", "40"], "120", df="2",
        p=repr(float(chi2.sf(h, 2))), effect_size=repr(h / 120),
    )  # fmt: skip
    assert found_(release_) == [("comparisons.csv", where, rounded.format(121))]
    noncentrality = brentq(lambda lam: ncx2.sf(h, 2, lam) - 0.05, 0, 10 * h, xtol=1e-12)
    interval = {"effect_ci_low": repr(noncentrality / 120), "effect_size": f"{h / 120:.2f}"}
    release_ = one_test(
        "Kruskal-Wallis H", ["Young", "Middle", "Old"], ["40", "40", "40"], "120", df="2",
        statistic=repr(h), effect_ci_method="95% one-sided, noncentral chi-squared", **interval,
    )  # fmt: skip
    assert found_(release_) == [("comparisons.csv", where, rounded.format(121))]
    release_.tables["comparisons"]["effect_ci_method"] = "one-sided"  # no level: not read
    assert found_(release_) == []


def test_a_set_mean_is_a_percentage_of_hidden_counts_only_where_its_own_set_hides_one():
    """The mean of a statement set's agreement is published beside a hidden statement of the
    same questionnaire's same set only: staff's mean (its x hidden) is found; toy's mean of set
    s, with toy's hidden d in set u and staff's hidden x in a set also called s, is not."""
    agreement = table(
        survey=["toy", "toy", "toy", "staff", "staff"], statement_set=["s", "s", "u", "s", "s"],
        statement=["a", "mean", "d", "x", "mean"], n=["12", "12", SUPPRESSED, "5", "12"],
        n_agree=["5", "", SUPPRESSED, SUPPRESSED, ""],
        percent_agree=["41.67", "45", SUPPRESSED, SUPPRESSED, "40"],
    )  # fmt: skip
    findings = attacker.hidden_groups(hand_release({"agreement_summary": agreement}))
    assert [(f.file, f.cell, f.what) for f in findings] == [
        (
            "results/tables/agreement_summary.csv",
            "row 6 (staff, mean), percent_agree",
            "a percentage of a hidden count is published",
        )
    ]


def test_either_bound_of_feldts_interval_gives_the_n_back():
    """Feldt's 95 % interval (scipy's F, as above) with one bound withheld: the other, at full
    precision, still fixes n = 121 where 120 is published; so does the interval of a method
    that names no level (read as 95 %). A theme whose n is not published (staff's t, before
    it) says nothing."""
    from scipy.stats import f

    n, items, alpha = 121, 3, 0.81234567
    low, high = (1 - (1 - alpha) * f.ppf(q, n - 1, (n - 1) * (items - 1)) for q in (0.975, 0.025))
    low_, high_ = {"alpha_ci_low": repr(float(low))}, {"alpha_ci_high": repr(float(high))}
    for bounds, level in ((low_, "95% "), (high_, "95% "), ({**low_, **high_}, "")):
        reliability = table(
            survey=["staff", "toy"], theme=["t", "t"], n=["", "120"], n_items=[items] * 2,
            alpha=[alpha] * 2, method=[f"Feldt (1965) F-based {level}interval"] * 2,
            **{k: [v, v] for k, v in bounds.items()},
        )  # fmt: skip
        findings = attack(hand_release({"theme_reliability": reliability}, policy=NHS))
        assert [(f.cell, f.what) for f in findings] == [
            ("row 3 (toy, t), alpha, alpha_ci_low", "exact value 121 of a count published rounded")
        ]


def test_every_statement_row_of_the_agreement_summary_is_read_past_a_set_mean():
    """A set's mean row (toy's) stands before the next questionnaire's statements: staff's x,
    60 of 120 published, agreeing 50.41 % (61 of 121) still gives 61 back."""
    agreement = table(
        survey=["toy", "toy", "staff"], statement_set=["s", "s", "s"],
        statement=["a", "mean", "x"], n=["120", "120", "120"], n_agree=["60", "", "60"],
        percent_agree=["50.00", "50.00", f"{100 * 61 / 121:.2f}"],
    )  # fmt: skip
    findings = attack(hand_release({"agreement_summary": agreement}, policy=NHS))
    assert [(f.attack, f.cell, f.what) for f in findings] == [
        (
            "statistics",
            "row 4 (staff, x), percent_agree",
            "exact value 61 of a count published rounded",
        )
    ]


def test_each_outcomes_mean_ranks_are_read_from_its_own_groups_rows():
    """One comparison of two outcomes, x and y, over the same groups (52 and 61 published as
    50 and 60): each outcome's mean ranks (rankdata) give its own groups' ns back, from its own
    rows of the groups' table."""
    from scipy.stats import rankdata

    rounded = "exact value {} of a count published rounded"
    tests = table(
        comparison=["c", "c"], outcome=["x", "y"], test=["Mann-Whitney U"] * 2, n=["115"] * 2,
        group_order=["Yes; No"] * 2,
    )  # fmt: skip
    ranks = {
        "x": rankdata(np.r_[np.arange(52) % 5, np.arange(61) % 4 + 1]),
        "y": rankdata(np.r_[np.arange(52) % 3, np.arange(61) % 5]),
    }
    groups = table(
        comparison=["c"] * 4, outcome=["x", "x", "y", "y"], group=["Yes", "No"] * 2,
        n=["50", "60"] * 2,
        mean_rank=[repr(float(part.mean())) for r in ranks.values() for part in (r[:52], r[52:])],
    )  # fmt: skip
    config = {"comparisons": {"c": {"by": "seen", "survey": SURVEY, "outcomes": ["x", "y"]}}}
    release_ = hand_release({"comparisons": tests, "comparison_groups": groups}, config, NHS)
    found_ = sorted((f.cell, f.what) for f in attack(release_))
    assert found_ == sorted(
        [(f"c, {outcome}, mean_rank", rounded.format(n)) for outcome in "xy" for n in (61, 52)]
        + [
            (f"row {row} (c, {outcome}), n", rounded.format(113))
            for row, outcome in ((2, "x"), (3, "y"))
        ]
    )


def test_a_table_of_answers_is_one_with_the_four_answer_columns_and_no_more_needed():
    """A configured table of answers (question_id, response, n, denominator: no percent
    needed) is read with its survey from the config; the statements' frequencies by their own
    survey column; a table lacking a denominator is none."""
    answers = table(question_id=["x"], response=["level 1"], n=["12"], denominator=["12"])
    statements = answers.assign(survey=SURVEY)
    config = {"tables": {"table2": {"survey": SURVEY, "questions": ["x"]}}}
    tables = {
        "table2": answers, "statement_frequencies": statements,
        "other": statements.drop(columns="denominator"),
    }  # fmt: skip
    read = list(attacker.answer_tables(hand_release(tables, config)))
    assert [(stem, survey, list(frame[survey])) for stem, survey, frame in read] == [
        ("table2", "_survey", [SURVEY]),
        ("statement_frequencies", "survey", [SURVEY]),
    ]


def test_what_the_sums_pin_already_is_no_statistics_finding_again():
    """x's one hidden count is 121 - 119 = 2 by its table's sum (subtraction); its published
    percentage (1.65 % of 121) gives the same 2, which is no new finding of the statistics
    attack (only the percentage of a hidden count, published, is)."""
    answers = table(
        question_id=["x"] * 5, response=[f"level {c}" for c in range(1, 6)],
        n=[SUPPRESSED, 15, 30, 40, 34], denominator=[121] * 5,
        percent=["1.65", "12.40", "24.79", "33.06", "28.10"],
    )  # fmt: skip
    config = {"tables": {"table2": {"survey": SURVEY, "questions": ["x"]}}}
    findings = attack(hand_release({"table2": answers}, config))
    assert [(f.attack, f.cell, f.what) for f in findings] == [
        ("subtraction", "x 'level 1', column n", "hidden count = 2"),
        (
            "hidden_groups",
            "row 2 (x, level 1), percent",
            "a percentage of a hidden count is published",
        ),
    ]


def test_a_release_of_the_tests_table_alone_is_read():
    """comparisons.csv shared without comparison_groups.csv: its groups' ns unknown, no
    statistic or tie correction is read (and nothing fails)."""
    release_ = one_test(
        "Mann-Whitney U", ["Yes", "No"], ["50", "60"], "115", statistic="1000.0",
        effect_size="-0.369",
    )  # fmt: skip
    assert len(attack(release_)) == 3  # with its groups' table: 61, 52 and 113 (above)
    del release_.tables["comparison_groups"]
    assert attack(release_) == []
