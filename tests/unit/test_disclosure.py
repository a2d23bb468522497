"""Disclosure rules, secondary suppression and the recovery checker, on small hand-made tables.

Expected values are worked out by hand in the comments (NHS England: counts 1-7 suppressed,
others rounded to the nearest 5; ONS-style threshold of 10).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from likertflow.disclosure import (
    RULES,
    SUPPRESSED,
    Policy,
    column_class,
    policy_of,
    propagate,
    protect,
    recover,
    regime,
    table_kind,
)
from likertflow.publishing import publish_frequencies
from likertflow.settings import Disclosure
from support.policies import NHS, NONE, TEN


def test_the_schemas_default_rule_publishes_everything():
    # the registry and the schema's enum: tests/unit/test_registries.py
    import yaml
    from conftest import REPO

    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    assert schema["properties"]["disclosure"]["default"] == {"rule": "none"}
    assert not policy_of(schema["properties"]["disclosure"]["default"]).applies
    assert RULES["none"].policy is not None


@pytest.mark.parametrize(
    ("n", "published"),
    # 1-7 hidden; 8, 9, 10, 11, 12 -> 10; 13 -> 15; 0 stays 0
    [(0, 0), (1, "*"), (7, "*"), (8, 10), (12, 10), (13, 15), (17, 15), (18, 20), (121, 120)],
)
def test_nhs_suppresses_1_to_7_and_rounds_the_rest_to_5(n, published):
    assert NHS.publish(n) == published


def test_threshold_and_none():
    assert [TEN.publish(n) for n in (0, 1, 9, 10, 11)] == [0, "*", "*", 10, 11]
    assert [NONE.publish(n) for n in (0, 1, 3)] == [0, 1, 3]
    assert not NONE.applies and NHS.applies and TEN.applies
    assert NHS.statistic_allowed(10) and not NHS.statistic_allowed(SUPPRESSED)
    assert TEN.min_statistic_n == 10 and NHS.min_statistic_n == 8


def test_nhs_interval_of_a_published_count():
    # 10 is published for 8..12; 15 for 13..17; * (primary) for 1..7; 0 only for 0
    assert NHS.interval(10) == (8, 12)
    assert NHS.interval(15) == (13, 17)
    assert NHS.interval(SUPPRESSED, primary=True) == (1, 7)
    assert NHS.interval(SUPPRESSED) == (0, math.inf)
    assert NHS.interval(0) == (0, 0)


def test_recover_finds_the_subtractions():
    # one hidden cell beside a published total: 16 - 15 = 1
    assert recover([("a", "*"), ("b", 15), ("t", 16)], [(["a", "b"], "t")], TEN) == {"a": 1}
    # two hidden cells known to be small that sum to 2: both are 1
    pubs = [("a", "*"), ("b", "*"), ("c", 20), ("t", 22)]
    assert recover(pubs, [(["a", "b", "c"], "t")], TEN, primary=["a", "b"]) == {"a": 1, "b": 1}
    # ... but not when the attacker cannot tell a small cell from a secondary one
    assert recover(pubs, [(["a", "b", "c"], "t")], TEN) == {}
    # a count hidden in one table and shown in another is recovered
    assert recover([("a", "*"), ("a", 12)], [], TEN) == {"a": 12}
    # chained tables: t1 = a + b; b = c + d with c, d shown; so a = t1 - c - d
    pubs = [("a", "*"), ("b", "*"), ("c", 10), ("d", 12), ("t1", 25)]
    assert recover(pubs, [(["a", "b"], "t1"), (["c", "d"], "b")], TEN) == {"a": 3, "b": 22}


def test_protect_adds_the_smallest_other_cell():
    # Table 3 of the paper: Clinical 93, Technical 3, Other 25 of 121
    counts = {"clinical": 93, "technical": 3, "other": 25, "all": 121}
    sums = [(["clinical", "technical", "other"], "all")]
    assert protect(counts, sums, TEN) == {
        "clinical": 93, "technical": "*", "other": "*", "all": 121,
    }  # fmt: skip
    # NHS rounding already hides 3: 121 (120 = 118..122) - 95 (93..97) - 25 (23..27) is 0..6
    assert protect(counts, sums, NHS) == {
        "clinical": 95, "technical": "*", "other": 25, "all": 120,
    }  # fmt: skip
    # a zero beside a 1 does not protect it (1 + 0 = 1 pins the 1): a non-zero cell is chosen
    counts = {"sd": 1, "d": 0, "n": 21, "a": 69, "sa": 30, "all": 121}
    published = protect(counts, [(["sd", "d", "n", "a", "sa"], "all")], TEN)
    assert published == {"sd": "*", "d": 0, "n": "*", "a": 69, "sa": 30, "all": 121}


def test_protected_patterns_resist_the_worst_case_attacker():
    counts = {"a": 1, "b": 1, "c": 40, "d": 12, "all": 54}
    sums = [(["a", "b", "c", "d"], "all")]
    for policy in (TEN, NHS):
        published = protect(counts, sums, policy)
        primary = [key for key, n in counts.items() if policy.primary(n)]
        assert recover(list(published.items()), sums, policy, primary) == {}


def test_publish_frequencies_hides_percent_with_count():
    table = pd.DataFrame(
        {
            "question_id": ["role"] * 3,
            "question": ["Role?"] * 3,
            "response": ["Clinical", "Technical", "Other"],
            "code": [1, 2, 3],
            "n": [93, 3, 25],
            "denominator": [121] * 3,
            "percent": [76.86, 2.48, 20.66],
        }
    )
    assert publish_frequencies(table, NONE) is table  # rule none: untouched
    ten = publish_frequencies(table, TEN)
    assert ten["n"].tolist() == [93, "*", "*"]
    assert ten["percent"].tolist() == ["76.86", "*", "*"]
    nhs = publish_frequencies(table, NHS)
    # percentages of the published counts: 95 / 120 and 25 / 120
    assert nhs["n"].tolist() == [95, "*", 25] and nhs["denominator"].tolist() == [120] * 3
    assert nhs["percent"].tolist() == ["79.17", "*", "20.83"]


def test_publish_flow_hides_a_small_exclusion_and_its_partner():
    from likertflow.flow import stage_relations
    from likertflow.publishing import publish_flow

    stages = ["exported_rows", "duplicate_responses", "returned", "excluded_a", "excluded_b"]
    counts = [60, 0, 60, 3, 12]
    flow = pd.DataFrame({"survey": "s", "stage": [*stages, "analysed"], "n": [*counts, 45]})
    # 3 excluded for a: hidden; then 60 - 0 - 12 - 45 = 3 would recover it, so 12 is hidden too
    assert publish_flow(flow, stage_relations, TEN, {})["n"].tolist() == [60, 0, 60, "*", "*", 45]
    # NHS: 3 hidden; 60, 12, 45 rounded to 60, 10, 45: 60 - 10 - 45 = 5 is a range of 0..9
    assert publish_flow(flow, stage_relations, NHS, {})["n"].tolist() == [60, 0, 60, "*", 10, 45]
    assert publish_flow(flow, stage_relations, NONE, {}) is flow


def test_publish_comparisons_hides_small_groups_their_tests_and_pairs():
    from likertflow.publishing import publish_comparisons

    groups = pd.DataFrame(
        {
            "comparison": "by_role", "outcome": "x", "group": ["Clinical", "Technical", "Other"],
            "n": [93, 3, 25], "mean_rank": [61.2, 90.2, 55.0], "median": [4.0, 4.5, 4.0],
            "group_position": [1, 2, 3],
        }
    )  # fmt: skip
    tests = pd.DataFrame(
        {
            "comparison": ["by_role"], "outcome": ["x"], "n": [121], "statistic": [4.1],
            "p": [0.13], "p_adjusted": [0.5], "effect_size": [0.03], "effect_ci_low": [0.01],
            "effect_ci_high": [0.1], "highest_mean_rank": ["Technical"],
            "group_order": ["Clinical; Technical; Other"],
            "warning": ["groups smaller than 5: Technical (n=3)"],
        }
    )  # fmt: skip
    posthoc = pd.DataFrame(
        {
            "comparison": ["by_role"] * 2, "outcome": ["x"] * 2, "group_a": ["Clinical"] * 2,
            "group_b": ["Technical", "Other"], "z": [1.0, 2.0], "p": [0.3, 0.04],
            "p_adjusted": [0.6, 0.08], "n_a": [93, 93], "n_b": [3, 25],
            "mean_rank_a": [61.2, 61.2], "mean_rank_b": [90.2, 55.0],
        }
    )  # fmt: skip
    # the role question's published cells (as its descriptive table shows them, threshold 10)
    cells = {("by_role", "Clinical"): (93, 93), ("by_role", "Technical"): (3, "*"),
             ("by_role", "Other"): (25, "*")}  # fmt: skip
    t, g, p = publish_comparisons(tests, groups, posthoc, cells, TEN, 0.05)
    assert g["n"].tolist() == [93, "*", "*"]
    # the group that passes keeps its median (journal precision); the test has hidden groups, so
    # no mean rank of any of its groups (ranks are among all of them), no statistic, no warning
    assert g["median"].tolist() == ["4.00", "*", "*"] and g["mean_rank"].tolist() == ["*"] * 3
    row = t.iloc[0]
    assert [row["n"], row["statistic"], row["p"], row["highest_mean_rank"]] == ["*"] * 4
    assert row["warning"] == "*"
    assert p.empty  # no Dunn pair of a hidden test: its rows would say it passed its gate
    # NHS: Other (25) is shown; Technical (3) is not, so the test and its pairs are not either
    cells = {("by_role", "Clinical"): (93, 95), ("by_role", "Technical"): (3, "*"),
             ("by_role", "Other"): (25, 25)}  # fmt: skip
    t, g, p = publish_comparisons(tests, groups, posthoc, cells, NHS, 0.05)
    assert g["n"].tolist() == [95, "*", 25] and g["median"].tolist() == ["4.00", "*", "4.00"]
    assert t.iloc[0]["statistic"] == "*" and p.empty


def test_publish_comparisons_of_groups_that_pass():
    """Every group passes: statistics at journal precision; under a rounding rule no mean rank
    or test statistic (they would give the exact ns back), p as journals print it."""
    from likertflow.publishing import publish_comparisons

    groups = pd.DataFrame(
        {
            "comparison": "c", "outcome": "x", "group": ["A", "B"], "n": [60, 41],
            "mean_rank": [55.208333, 44.5], "median": [4.0, 3.5], "group_position": [1, 2],
        }
    )  # fmt: skip
    tests = pd.DataFrame(
        {
            "comparison": ["c"], "outcome": ["x"], "test": ["Mann-Whitney U"], "n": [101],
            "statistic": [1442.5], "p": [0.0461234], "p_adjusted": [0.09],
            "effect_size": [0.1727], "effect_ci_low": [-0.0123], "effect_ci_high": [0.356],
            "highest_mean_rank": ["A"], "group_order": ["A; B"], "warning": [""],
            "log10_p": [-1.336], "log10_p_adjusted": [-1.05],
        }
    )  # fmt: skip
    posthoc = pd.DataFrame(
        columns=["comparison", "outcome", "group_a", "group_b", "z", "p", "p_adjusted", "n_a",
                 "n_b", "mean_rank_a", "mean_rank_b"]
    )  # fmt: skip
    cells = {("c", "A"): (60, 60), ("c", "B"): (44, 44)}  # B: 3 of its 44 have no value
    t, g, _ = publish_comparisons(tests, groups, posthoc, cells, TEN, alpha=0.05)
    # under threshold 10, B's n differs from its answer's count by 3: withheld, and so its test
    assert g["n"].tolist() == [60, "*"] and t.iloc[0]["p"] == "*"
    cells = {("c", "A"): (60, 60), ("c", "B"): (41, 41)}
    t, g, _ = publish_comparisons(tests, groups, posthoc, cells, TEN, alpha=0.05)
    row = t.iloc[0]
    assert g["mean_rank"].tolist() == ["55.2", "44.5"] and g["median"].tolist() == ["4.00", "3.50"]
    assert [row["statistic"], row["p"], row["effect_size"], row["effect_ci_low"]] == [
        "1442.50", "0.046", "0.17", "-0.01",
    ]  # fmt: skip
    assert [row["log10_p"], row["log10_p_adjusted"]] == ["*", "*"]  # the p at full precision
    cells = {("c", "A"): (60, 60), ("c", "B"): (41, 40)}
    t, g, _ = publish_comparisons(tests, groups, posthoc, cells, NHS, alpha=0.05)
    assert g["n"].tolist() == [60, 40] and g["mean_rank"].tolist() == ["*", "*"]
    assert t.iloc[0]["statistic"] == "*" and t.iloc[0]["n"] == 100
    assert t.iloc[0]["p"] == "0.046" and t.iloc[0]["effect_size"] == "0.17"


def test_a_weighted_estimate_is_published_only_where_its_unweighted_count_passes():
    """The hook for design-weighted estimates (issue 23): a toy weighted table of three groups
    whose unweighted counts are 40, 6 and (hidden by a subtraction) 12."""
    from likertflow.publishing import publish_weighted

    weighted = pd.DataFrame(
        {"group": ["a", "b", "c"], "total": [5321.7, 802.2, 1490.4], "percent": [69.9, 10.5, 19.6]}
    )
    unweighted = pd.Series([40, SUPPRESSED, SUPPRESSED])
    shown = publish_weighted(weighted, unweighted, TEN, ["total"], ["percent"])
    assert shown["total"].tolist() == [5322, SUPPRESSED, SUPPRESSED]
    assert shown["percent"].tolist() == ["69.90", SUPPRESSED, SUPPRESSED]
    rounded = publish_weighted(weighted, pd.Series([40, 10, 10]), NHS, ["total"], ["percent"])
    assert rounded["total"].tolist() == [5320, 800, 1490]  # rounded as counts are
    assert publish_weighted(weighted, unweighted, NONE, ["total"], ["percent"]) is weighted


def test_effect_sizes_that_would_pin_a_tests_n_are_withheld():
    """Two Kruskal-Wallis tests of the same 41 respondents (published 40): each effect size with
    its p leaves two ns (41 or 42; 40 or 41), together one, 41. Under the rounding rule one of
    the two effect sizes is withheld, so the ns left are two again."""
    from likertflow.inversion import effect_sizes_to_withhold, kruskal_n

    tests = pd.DataFrame(
        {
            "comparison": "c", "outcome": ["a", "b"], "test": "Kruskal-Wallis H", "n": [40, 40],
            "df": ["2.0", "2.0"], "statistic": "*", "p": ["0.01", "0.009"],
            "effect_size": ["0.21", "0.24"], "effect_ci_low": ["", ""], "effect_ci_method": "",
        }
    )  # fmt: skip
    groups = pd.DataFrame(
        {"comparison": "c", "outcome": ["a"] * 3 + ["b"] * 3, "n": [15, 15, 10] * 2}
    )
    assert kruskal_n(range(38, 43), 2, epsilon="0.21", p="0.01") == [41, 42]
    assert kruskal_n(range(38, 43), 2, epsilon="0.24", p="0.009") == [40, 41]
    assert effect_sizes_to_withhold(tests, groups, NHS) == [True, False]
    assert effect_sizes_to_withhold(tests.assign(outcome=["a", "a"]).iloc[:1], groups, NHS) == [
        False
    ]
    assert effect_sizes_to_withhold(tests, groups, TEN) == [False, False]  # ns exact anyway


def test_a_sum_another_table_shows_is_not_left_to_be_worked_out_as_a_small_count():
    # A statement's answers: Strongly disagree .. Strongly agree 50, 40, 25, 5, 3 of 123.
    # Threshold 10 hides 5 and 3, and the total less the others gives their sum, 8: those who
    # agreed, a count the agreement summary hides. Protecting that sum hides one more cell.
    table = pd.DataFrame(
        {
            "question_id": "s", "question": "S?", "response": list("abcde"),
            "code": pd.array([1, 2, 3, 4, 5], dtype="Int16"), "n": [50, 40, 25, 5, 3],
            "denominator": 123, "percent": 0.0,
        }
    )  # fmt: skip
    assert publish_frequencies(table, TEN)["n"].tolist() == [50, 40, 25, "*", "*"]
    protected = publish_frequencies(table, TEN, {"s": [[4, 5], [1, 2]]})
    assert protected["n"].tolist() == [50, 40, "*", "*", "*"]


def test_each_rule_builds_its_policy_from_the_settings():
    """Built here, inside the test (the module's constants are built once, at import)."""
    assert policy_of({"rule": "nhs"}) == Policy("nhs", min_count=8, rounding=5, min_statistic_n=8)
    assert policy_of({"rule": "threshold", "min_count": 10}) == Policy(
        "threshold", min_count=10, rounding=1, min_statistic_n=10
    )
    assert policy_of({"rule": "none"}) == Policy("none", min_count=0, rounding=1)
    assert not policy_of({"rule": "none"}).applies


def test_a_rule_describes_itself_with_its_setting_or_the_key_named():
    threshold = RULES["threshold"]
    settings = Disclosure.from_params({"rule": "threshold", "min_count": 10})
    assert threshold.describe(settings) == (
        "counts below 10 suppressed, and no median, mean rank or test for a smaller group"
    )
    assert threshold.describe().startswith("counts below ``min_count`` suppressed")


@pytest.mark.parametrize(
    ("stem", "columns", "kind"),
    [
        ("participant_flow", ["stage", "n"], "participant_flow"),
        ("ledger_summary", ["stage", "n"], "ledger_summary"),
        # the flow and the ledger summary by their names, even with only columns of answers
        ("participant_flow", ["n"], "participant_flow"),
        ("ledger_summary", ["n", "label"], "ledger_summary"),
        ("theme_item_rest", ["item", "n"], "theme_item_rest"),
        ("age_by_sex", ["question_id", "response", "n", "percent", "label"], "descriptive"),
        ("age_by_sex", ["question_id", "question", "response", "code", "n", "denominator",
                        "percent", "label"], "descriptive"),  # fmt: skip
        ("agreement_summary", ["question_id", "n", "percent"], "agreement_summary"),
        ("age_by_sex", ["question_id", "response", "n", "extra"], "age_by_sex"),
    ],
)
def test_a_published_table_is_known_by_its_stem_or_as_a_table_of_answers(stem, columns, kind):
    assert table_kind(stem, columns) == kind


def test_a_statement_sets_mean_row_has_its_own_classes():
    """A statement set's mean of percentages and its resampled interval are not one
    statement's percentage and proportion interval."""
    mean, statement = {"statement": "mean"}, {"statement": "s1"}
    assert column_class("agreement_summary", "percent_agree", mean) == "mean_of_percentages"
    assert column_class("agreement_summary", "ci_low", mean) == "resampled_interval"
    assert column_class("agreement_summary", "percent_agree", statement) == "percentage"
    assert column_class("agreement_summary", "ci_high", statement) == "proportion_interval"
    assert column_class("agreement_summary", "ci_high") == "proportion_interval"
    assert column_class("agreement_summary", "n", mean) == "count"
    assert column_class("other_table", "percent_agree", mean) is None
    assert column_class("descriptive", "percent", mean) == "percentage"


def test_secondary_suppression_stays_within_the_table_of_the_hidden_cell():
    """Threshold 10: a1 = 3 is hidden; a2, the smallest other part of its total, is hidden
    beside it (a1 + a2 = 53 - 30, a1 in 1-9: a2 in 14-22, not pinned). The other table, with a
    smaller count (15), is not touched."""
    counts = {"a1": 3, "a2": 20, "a3": 30, "A": 53, "b1": 15, "b2": 25, "B": 40}
    constraints = [(["a1", "a2", "a3"], "A"), (["b1", "b2"], "B")]
    assert protect(counts, constraints, TEN) == {
        "a1": SUPPRESSED, "a2": SUPPRESSED, "a3": 30, "A": 53, "b1": 15, "b2": 25, "B": 40,
    }  # fmt: skip


def test_a_small_sum_no_table_shows_is_protected_by_hiding_its_total():
    """Threshold 10: p4 = 3 and p5 = 4 are hidden, but those who agreed (p4 + p5, a sum no
    table shows, a part of T) would be 97 - 90 = 7. No other cell sits beside p4 and p5 in a
    sum, so the total T is hidden; the unrelated table (b1 = 12) is not touched."""
    counts = {"p1": 20, "p2": 30, "p3": 40, "p4": 3, "p5": 4, "T": 97, "b1": 12, "b2": 50,
              "B": 62}  # fmt: skip
    constraints = [(["p1", "p2", "p3", "agree"], "T"), (["p4", "p5"], "agree"),
                   (["b1", "b2"], "B")]  # fmt: skip
    published = protect(counts, constraints, TEN)
    assert [key for key, value in published.items() if value == SUPPRESSED] == ["p4", "p5", "T"]
    assert recover(list(published.items()), constraints, TEN, ["p4", "p5"]) == {}


def test_what_an_attacker_reads_from_a_published_count():
    """NHS: a published 10 is a true 8 to 12 (8 is the least count shown); a rule rounding to 10
    with a minimum of 8: a published 10 is 8 to 14; a group of exactly the minimum may show a
    statistic."""
    assert NHS.interval(10) == (8, 12) and NHS.interval(0) == (0, 0)
    assert Policy("x", min_count=8, rounding=10).interval(10) == (8, 14)
    assert NHS.statistic_allowed(8) and not NHS.statistic_allowed(7)
    assert not NHS.statistic_allowed(SUPPRESSED)
    assert regime(Policy("x", rounding=2)) == "rounding"
    assert regime(TEN) == "suppression" and regime(NONE) == "exact"


def test_propagation_stops_where_the_published_numbers_contradict_each_other():
    """5 + 5 published against a total of 20: the bounds cross after one pass and stay as that
    pass left them (further passes would only drift them apart). T: [20, 20] and [10, 10]; a:
    [20 - 5, 10 - 5] with [5, 5]; b: [20 - 5, 10 - 15] (a's new low) with [5, 5]."""
    low, high, _, _ = propagate([("a", 5), ("b", 5), ("T", 20)], [(["a", "b"], "T")], NONE)
    assert (low["T"], high["T"]) == (20, 10)
    assert (low["a"], high["a"]) == (15, 5) and (low["b"], high["b"]) == (15, -5)


def test_an_unpublished_cell_is_any_count_from_zero_or_small_if_known_suppressed():
    low, high, hidden, unpublished = propagate([("a", 20), ("T", 20)], [(["a", "x"], "T")], NONE)
    assert (low["x"], high["x"]) == (0, 0) and hidden == unpublished == {"x"}
    low, high, hidden, _ = propagate([("a", 20)], [(["a", "x"], "T")], TEN, primary=["x"])
    assert (low["x"], high["x"]) == (1, 9)  # known to be suppressed for being small
    assert (low["T"], high["T"]) == (21, 29) and hidden == {"x", "T"}


def test_facts_learnt_elsewhere_narrow_the_bounds():
    """A fact on an unpublished cell makes it hidden and known; one on a published cell only
    narrows it."""
    low, high, hidden, unpublished = propagate(
        [("a", 20), ("T", SUPPRESSED)], [(["a", "x"], "T")], TEN, facts={"x": (3, 3), "a": (0, 25)}
    )
    assert (low["x"], high["x"]) == (3, 3) and (low["a"], high["a"]) == (20, 20)
    assert (low["T"], high["T"]) == (23, 23)
    assert hidden == {"x", "T"} and unpublished == {"x"}


def test_protect_never_hides_a_count_shown_elsewhere():
    """A count another table shows (``shown_elsewhere``) is never the partner that hides a
    small one: the sum it is in is hidden instead, and its own sum's other parts; a count
    recovered only through another pinned one (the 3 through the hidden total 60) is protected
    by hiding beside that one."""
    from likertflow.disclosure import protect, recover

    counts = {"all": 60, "repeats": 0, "returned": 60, "small": 3, "rest": 57}
    sums = [(["repeats", "returned"], "all"), (["small", "rest"], "returned")]
    assert protect(counts, sums, TEN)["rest"] == "*"  # the natural partner, when free
    published = protect(counts, sums, TEN, shown_elsewhere=["rest"])
    assert published == {"all": 60, "repeats": "*", "returned": "*", "small": "*", "rest": 57}
    assert recover(list(published.items()), sums, TEN, {"small"}) == {}


def test_protect_hides_a_count_hidden_elsewhere_and_its_partner():
    """A count another table hides (``hidden_elsewhere``, not small itself) is hidden here
    too, with a partner, so that it does not come back by subtraction."""
    from likertflow.disclosure import protect, recover

    counts = {"total": 315, "a": 0, "b": 51, "c": 264}
    sums = [(["a", "b", "c"], "total")]
    published = protect(counts, sums, TEN, hidden_elsewhere=["total"])
    assert published == {"total": "*", "a": 0, "b": "*", "c": 264}
    assert recover(list(published.items()), sums, TEN) == {}
    assert protect(counts, sums, TEN) == counts


def test_a_count_that_nothing_can_protect_is_refused_not_published():
    """a (3) is hidden, but b and the total are shown in another table: 13 - 10 gives it back
    and no cell is left to hide beside it. protect refuses rather than publish it."""
    policy = Policy("threshold", min_count=10, min_statistic_n=10)
    with pytest.raises(RuntimeError) as caught:
        protect({"a": 3, "b": 10, "T": 13}, [(["a", "b"], "T")], policy, (), ["b", "T"])
    assert str(caught.value) == "cannot protect suppressed count 'a'"
