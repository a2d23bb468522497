"""Group comparisons against independent computations: pair counting, rank formulas, Dunn's z and
Holm's step-down procedure written out here, and toy cohorts shaped like the analysed data."""

import logging
from itertools import combinations
from math import comb

import numpy as np
import pandas as pd
import pytest
from likertflow.comparisons import (
    GROUP_COLUMNS,
    POSTHOC_COLUMNS,
    TEST_COLUMNS,
    compare_cells,
    compare_outcome,
    run_comparison,
)
from likertflow.multiplicity import adjust, adjust_families, gated_posthoc
from likertflow.rank_stats import (
    chi2_p,
    count_table,
    counts_and_values,
    epsilon_squared,
    group_medians,
    kruskal_h,
    kruskal_wallis_h,
    mann_whitney_p,
    mann_whitney_u,
    rank_biserial,
)
from likertflow.rank_tests import AUTO
from likertflow.resampling import bootstrap_interval
from likertflow.settings import ComparisonSettings, SettingsError
from scipy import stats
from support import filled
from support.comparison_cohorts import FRAMES, QUESTIONNAIRES

# holm, groups under 5 flagged, 95 % intervals (the schema's defaults); a quicker bootstrap
ANALYSIS = filled.analysis(ComparisonSettings, bootstrap_resamples=500, seed=1)


def compare(name: str, spec: dict):
    """``run_comparison`` of a config entry (the schema's defaults filled in) on the toy cohorts."""
    return run_comparison(name, filled.comparison(**spec), FRAMES, QUESTIONNAIRES, ANALYSIS)


# --- independent computations -----------------------------------------------------------


def midranks(values):
    """Midranks by counting: rank = #smaller + (#equal + 1) / 2."""
    return [sum(v < x for v in values) + (sum(v == x for v in values) + 1) / 2 for x in values]


def pair_counts(first, second):
    """U of the first sample and the rank-biserial r, by comparing every pair."""
    wins = sum(a > b for a in first for b in second)
    ties = sum(a == b for a in first for b in second)
    losses = len(first) * len(second) - wins - ties
    u = wins + 0.5 * ties
    return u, (wins - losses) / (len(first) * len(second))


def tie_sum(values):
    return sum(t**3 - t for t in pd.Series(values).value_counts())


def kruskal_by_hand(samples):
    pooled = [v for sample in samples for v in sample]
    ranks = midranks(pooled)
    n = len(pooled)
    h, start = 0.0, 0
    for sample in samples:
        r = sum(ranks[start : start + len(sample)])
        h += r**2 / len(sample)
        start += len(sample)
    h = 12 / (n * (n + 1)) * h - 3 * (n + 1)
    return h / (1 - tie_sum(pooled) / (n**3 - n))


def holm_by_definition(p):
    """Step-down: the i-th smallest p times (m - i), made monotone, capped at 1."""
    order = np.argsort(p)
    adjusted, running = np.empty(len(p)), 0.0
    for i, index in enumerate(order):
        running = max(running, (len(p) - i) * p[index])
        adjusted[index] = min(1.0, running)
    return adjusted


A = [1, 2, 2, 3, 5, 5]
B = [2, 3, 4, 4, 5, 5, 5]
C = [1, 1, 2, 2, 3]


def as_arrays(*samples):
    values = np.array([v for s in samples for v in s], dtype=float)
    groups = np.repeat(np.arange(len(samples)), [len(s) for s in samples])
    return values, groups


# --- statistics -------------------------------------------------------------------------


def test_mann_whitney_and_rank_biserial_by_pair_counting():
    values, groups = as_arrays(A, B)
    u, r = pair_counts(A, B)
    table = count_table(values, groups, 2)
    assert mann_whitney_u(table) == pytest.approx(u)
    assert rank_biserial(table) == pytest.approx(r)
    assert rank_biserial(count_table(*as_arrays(B, A), 2)) == pytest.approx(-r)

    row, groups_table, _ = compare_outcome(values, groups, ["a", "b"], ANALYSIS, AUTO)
    assert row["test"] == "Mann-Whitney U"
    assert row["statistic"] == pytest.approx(u)
    assert row["effect_size"] == pytest.approx(r)
    # normal approximation with tie and continuity correction, written out
    n1, n2, n = len(A), len(B), len(A) + len(B)
    sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie_sum(A + B) / (n * (n - 1))))
    z = (abs(u - n1 * n2 / 2) - 0.5) / sigma
    assert row["p"] == pytest.approx(2 * stats.norm.sf(z))
    assert "tie and continuity correction" in row["method"]
    assert "a ranks higher" in row["effect_size_name"]
    ranks = midranks(A + B)
    assert groups_table["mean_rank"].tolist() == pytest.approx(
        [np.mean(ranks[:n1]), np.mean(ranks[n1:])]
    )
    assert groups_table["median"].tolist() == [np.median(A), np.median(B)]
    assert row["effect_ci_low"] < row["effect_size"] < row["effect_ci_high"]


def test_exact_mann_whitney_without_ties_in_small_groups():
    values, groups = as_arrays([1.0, 2.5, 3.0], [4.0, 5.0, 6.0, 7.5])
    row, _, _ = compare_outcome(values, groups, ["low", "high"], ANALYSIS, AUTO)
    assert "exact" in row["method"]
    # exact two-sided p of complete separation: 2 / C(7, 3)
    assert row["p"] == pytest.approx(2 / 35)
    assert row["effect_size"] == pytest.approx(-1.0)


def test_kruskal_wallis_by_rank_formula():
    values, groups = as_arrays(A, B, C)
    expected = kruskal_by_hand([A, B, C])
    table = count_table(values, groups, 3)
    assert kruskal_h(table) == pytest.approx(expected)
    assert epsilon_squared(table) == pytest.approx(expected / (len(values) - 1))
    row, _, posthoc = compare_outcome(values, groups, ["a", "b", "c"], ANALYSIS, AUTO)
    assert row["test"] == "Kruskal-Wallis H"
    assert row["statistic"] == pytest.approx(expected)
    assert row["p"] == pytest.approx(stats.chi2.sf(expected, 2))
    assert row["df"] == 2
    assert row["effect_size"] == pytest.approx(expected / (len(values) - 1))
    assert len(posthoc) == 3


def test_dunn_by_hand():
    values, groups = as_arrays(A, B, C)
    _, _, posthoc = compare_outcome(values, groups, ["a", "b", "c"], ANALYSIS, AUTO)
    ranks = midranks(A + B + C)
    n = len(ranks)
    bounds = np.cumsum([0, len(A), len(B), len(C)])
    mean_rank = [np.mean(ranks[bounds[g] : bounds[g + 1]]) for g in range(3)]
    sizes = [len(A), len(B), len(C)]
    expected = []
    for i, j in combinations(range(3), 2):
        variance = (n * (n + 1) / 12 - tie_sum(A + B + C) / (12 * (n - 1))) * (
            1 / sizes[i] + 1 / sizes[j]
        )
        z = (mean_rank[i] - mean_rank[j]) / np.sqrt(variance)
        expected.append((z, 2 * (1 - stats.norm.cdf(abs(z)))))
    assert posthoc[["group_a", "group_b"]].values.tolist() == [["a", "b"], ["a", "c"], ["b", "c"]]
    np.testing.assert_allclose(posthoc["z"], [z for z, _ in expected])
    np.testing.assert_allclose(posthoc["p"], [p for _, p in expected])
    np.testing.assert_allclose(posthoc["p_adjusted"], holm_by_definition([p for _, p in expected]))


def test_holm_and_benjamini_hochberg_by_definition():
    p = np.array([0.01, 0.04, 0.03, 0.2, np.nan, 0.005])
    present = ~np.isnan(p)
    holm = adjust(p, "holm")
    np.testing.assert_allclose(holm[present], holm_by_definition(p[present]))
    assert np.isnan(holm[4])
    # Benjamini-Hochberg: p_(i) * m / i, made monotone from the largest down
    q = p[present]
    order = np.argsort(q)
    bh = np.minimum.accumulate((q[order] * len(q) / np.arange(1, len(q) + 1))[::-1])[::-1]
    expected = np.empty(len(q))
    expected[order] = np.minimum(bh, 1)
    np.testing.assert_allclose(adjust(p, "fdr_bh")[present], expected)


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_adjustment_gives_statsmodels_floats(method):
    """The same floats as statsmodels' multipletests, the reference implementation the workflow
    no longer imports: ties, p values near 0 and 1, one test, families of up to 200."""
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(7)
    cases = [np.array([0.3]), np.array([0.02, 0.02, 0.02]), np.array([1.0, 0.9999999, 1e-300])]
    for size in [2, 3, 5, 8, 13, 40, 200] * 20:
        p = rng.uniform(size=size) ** rng.choice([1, 4, 20])
        p[rng.uniform(size=size) < 0.2] = rng.choice(p)  # ties, as discrete tests give
        cases.append(p)
    for p in cases:
        expected = multipletests(p, method=method)[1]
        assert adjust(p, method).tobytes() == expected.tobytes(), p
        with_gaps = np.insert(p, [0, len(p)], np.nan)  # NaN stays NaN and is not counted
        assert adjust(with_gaps, method)[1:-1].tobytes() == expected.tobytes()
        assert np.isnan(adjust(with_gaps, method)[[0, -1]]).all()
    assert np.isnan(adjust(np.array([np.nan]), method)).all()


def test_count_table_statistics_agree_with_scipy_on_random_data():
    rng = np.random.default_rng(0)
    for _ in range(20):
        values = rng.integers(1, 6, 60).astype(float) / rng.choice([1, 2])
        groups = rng.integers(0, 3, 60)
        table = count_table(values, groups, 3)
        samples = [values[groups == g] for g in range(3)]
        assert kruskal_h(table) == pytest.approx(stats.kruskal(*samples).statistic)
        two = groups < 2
        u = stats.mannwhitneyu(values[two & (groups == 0)], values[two & (groups == 1)]).statistic
        assert mann_whitney_u(count_table(values[two], groups[two], 2)) == pytest.approx(u)


def test_bootstrap_matches_resampling_rows_within_groups():
    values, groups = as_arrays(A * 5, B * 5)
    table = count_table(values, groups, 2)
    low, high = bootstrap_interval(table, rank_biserial, 0.95, 4000, seed=2)
    assert bootstrap_interval(table, rank_biserial, 0.95, 4000, seed=2) == (low, high)
    rng = np.random.default_rng(5)
    first, second = values[groups == 0], values[groups == 1]
    naive = []
    for _ in range(4000):
        x = rng.choice(first, len(first))
        y = rng.choice(second, len(second))
        naive.append(np.sign(x[:, None] - y[None, :]).mean())  # rank-biserial by pairs
    assert (low, high) == pytest.approx(tuple(np.quantile(naive, [0.025, 0.975])), abs=0.03)


def test_between_questionnaires():
    spec = {
        "by": "survey",
        "surveys": ["people", "pros"],
        "outcomes": ["t", "verdict"],
        "family": "between",
    }
    tests, groups, posthoc = compare("p_vs_p", spec)
    assert list(tests.columns) == TEST_COLUMNS
    assert list(groups.columns) == GROUP_COLUMNS
    assert list(posthoc.columns) == POSTHOC_COLUMNS and posthoc.empty
    assert tests.outcome.tolist() == ["t", "verdict"]
    assert (tests.test == "Mann-Whitney U").all()
    assert tests.group_order.tolist() == ["People; Professionals"] * 2

    people, pros = FRAMES["people"], FRAMES["pros"]
    u, r = pair_counts(people.t.tolist(), pros.t.tolist())
    t_row = tests.set_index("outcome").loc["t"]
    assert (t_row.statistic, t_row.effect_size) == pytest.approx((u, r))
    assert t_row.effect_size > 0 and t_row.highest_mean_rank == "People"
    verdict = tests.set_index("outcome").loc["verdict"]
    assert verdict.n == 18  # one people's verdict missing
    assert verdict.statistic == pytest.approx(
        pair_counts(people.verdict.dropna().tolist(), pros.verdict.tolist())[0]
    )
    assert t_row.warning == ""  # 13 and 6 respondents: no group below 5
    assert groups.query("outcome == 't'").group.tolist() == ["People", "Professionals"]


def test_within_a_questionnaire_leaves_out_off_scale_omitted_and_empty_groups():
    spec = {
        "survey": "people",
        "by": "band",
        "omit": ["Old"],
        "outcomes": ["t", "verdict"],
        "family": "within",
    }
    tests, groups, posthoc = compare("by_band", spec)
    t_groups = groups.query("outcome == 't'")
    # Old omitted, Ancient has nobody, "Rather not say" is off-scale
    assert t_groups.group.tolist() == ["Young", "Middle"]
    assert t_groups.n.tolist() == [4, 6]
    row = tests.set_index("outcome").loc["t"]
    assert row.test == "Mann-Whitney U" and row.n == 10
    assert row.warning == "groups smaller than 5: Young (n=4)"
    assert row.empty_groups == "Ancient"
    young, middle = FRAMES["people"].t[:4].tolist(), FRAMES["people"].t[4:10].tolist()
    assert row.statistic == pytest.approx(pair_counts(young, middle)[0])


def test_within_with_more_groups_gives_kruskal_wallis_and_dunn():
    spec = {"survey": "pros", "by": "band", "outcomes": ["x"], "family": "within"}
    tests, groups, posthoc = compare("pros_by_band", spec)
    row = tests.iloc[0]
    assert row.test == "Kruskal-Wallis H"
    x = FRAMES["pros"].x.tolist()
    samples = [[x[0], x[4]], [x[1], x[5]], [x[2]], [x[3]]]
    assert row.statistic == pytest.approx(kruskal_by_hand(samples))
    assert groups.group.tolist() == ["Young", "Middle", "Old", "Ancient"]
    assert len(posthoc) == 6
    assert "Ancient (n=1)" in row.warning


def test_unknown_outcome_or_omit_label_is_refused():
    spec = {"survey": "people", "by": "band", "outcomes": ["nope"], "family": "f"}
    with pytest.raises(ValueError, match="nope"):
        compare("c", spec)
    spec = {**spec, "outcomes": ["t"], "omit": ["Olde"]}
    with pytest.raises(ValueError, match="Olde"):
        compare("c", spec)
    spec = {"survey": "people", "by": "band", "outcomes": ["seen"], "family": "f"}
    with pytest.raises(ValueError, match="ordinal"):
        compare("c", spec)


def test_family_adjustment_and_posthoc_filter():
    tests = pd.DataFrame(
        {
            "comparison": ["c1", "c1", "c2", "c3"],
            "outcome": ["o1", "o2", "o1", "o1"],
            "test": ["Kruskal-Wallis H", "Kruskal-Wallis H", "Mann-Whitney U", "Kruskal-Wallis H"],
            "p": [0.01, 0.04, 0.03, 0.02],
        }
    )
    families = {"c1": "f", "c2": "f", "c3": "g"}
    adjusted = adjust_families(tests, families, "holm")
    np.testing.assert_allclose(adjusted.p_adjusted[:3], holm_by_definition([0.01, 0.04, 0.03]))
    assert adjusted.p_adjusted[3] == pytest.approx(0.02)  # alone in its family
    assert adjusted.family.tolist() == ["f", "f", "f", "g"]
    posthoc = pd.DataFrame(
        {
            "comparison": ["c1", "c1", "c3"],
            "outcome": ["o1", "o2", "o1"],
            "group_a": ["a", "a", "a"],
            "group_b": ["b", "b", "b"],
        }
    )
    kept = gated_posthoc(posthoc, adjusted, 0.05)
    # c1/o1: 0.03 < 0.05 kept; c1/o2: 0.06 dropped; c3/o1: 0.02 kept
    assert kept[["comparison", "outcome"]].values.tolist() == [["c1", "o1"], ["c3", "o1"]]


def test_untestable_outcomes_are_reported_not_tested():
    row, _, _ = compare_outcome(
        np.array([3.0, 3, 3, 3]), np.array([0, 0, 1, 2]), list("abc"), ANALYSIS, AUTO
    )
    assert row["test"] == "none" and "all values equal" in row["warning"]
    assert row["highest_mean_rank"] == ""
    row, groups, _ = compare_outcome(
        np.array([3.0, np.nan]), np.array([0, 1]), list("ab"), ANALYSIS, AUTO
    )
    assert row["test"] == "none" and "fewer than 2 groups" in row["warning"]
    assert groups.group.tolist() == ["a"] and row["empty_groups"] == "b"


def likert_sample(rng, sizes, levels):
    """Tied outcome values (theme-mean-like, on a grid) of groups of the given sizes."""
    values = [rng.integers(0, levels, size=size) / 3 + 1 for size in sizes]
    return values, count_table(np.concatenate(values), np.repeat(np.arange(len(sizes)), sizes),
                               len(sizes))  # fmt: skip


# Up to about 200,000 respondents every sum involved is exact, so the count-table arithmetic gives
# scipy's floats bit for bit (issue 10: the shipped tables stay byte-identical).
@pytest.mark.parametrize("sizes", [(9, 12), (40, 300), (2000, 3500), (30_000, 70_000)])
@pytest.mark.parametrize("levels", [2, 5, 37])
def test_mann_whitney_from_counts_is_scipys_float(sizes, levels):
    values, table = likert_sample(np.random.default_rng(sum(sizes) + levels), sizes, levels)
    expected = stats.mannwhitneyu(*values, alternative="two-sided", method="asymptotic")
    assert float(mann_whitney_u(table)) == expected.statistic
    assert mann_whitney_p(table) == expected.pvalue


@pytest.mark.parametrize("sizes", [(9, 12), (40, 300, 25), (900, 1200, 40, 3000, 800, 2000, 700,
                                                           1500, 60)])  # fmt: skip
@pytest.mark.parametrize("levels", [2, 5, 37])
def test_kruskal_wallis_from_counts_is_scipys_float(sizes, levels):
    values, table = likert_sample(np.random.default_rng(len(sizes) * 100 + levels), sizes, levels)
    expected = stats.kruskal(*values)
    h = kruskal_wallis_h(table)
    assert h == expected.statistic
    assert chi2_p(h, len(sizes) - 1) == expected.pvalue


def test_mann_whitney_from_counts_at_a_million_is_scipys_within_rounding():
    values, table = likert_sample(np.random.default_rng(7), (400_000, 600_000), 37)
    expected = stats.mannwhitneyu(*values, alternative="two-sided", method="asymptotic")
    assert float(mann_whitney_u(table)) == expected.statistic  # exact sums
    assert mann_whitney_p(table) == pytest.approx(expected.pvalue, rel=1e-12, abs=1e-300)
    assert kruskal_wallis_h(table) == pytest.approx(stats.kruskal(*values).statistic, rel=1e-12)


def test_mann_whitney_p_of_evenly_split_groups_is_one():
    """U at its null mean: the continuity correction makes z slightly negative, and p stays 1."""
    table = np.array([[3, 4, 3], [3, 4, 3]])
    assert (
        mann_whitney_p(table)
        == 1.0
        == stats.mannwhitneyu([0, 0, 0, 1, 1, 1, 1, 2, 2, 2], [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]).pvalue
    )


def test_rank_test_p_values_do_not_overflow_at_millions_of_ties():
    """t**3 - t of 3 million tied answers is beyond int64; an integer count table gives the same
    p and H as the same table in floats."""
    table = np.array([[3_000_000, 1_000_000, 2_000_000], [3_001_000, 999_000, 2_000_000]])
    assert mann_whitney_p(table) == mann_whitney_p(table.astype(float))
    assert 0 < mann_whitney_p(table) < 1
    assert kruskal_wallis_h(table) == kruskal_wallis_h(table.astype(float)) > 0


def test_an_outcome_nobody_answered_is_untestable():
    row, groups, posthoc = compare_outcome(
        np.full(6, np.nan), np.array([0, 0, 0, 1, 1, 1]), ["a", "b"], ANALYSIS, AUTO
    )
    assert row["test"] == "none" and "fewer than 2 groups" in row["warning"]
    assert row["n"] == 0 and posthoc.empty


def test_group_medians_from_counts_are_pandas_medians_to_the_bit():
    # Codes, theme scores (means of k codes: non-integers) and decimals; odd and even group
    # sizes (the mean of the two middle values); one group left empty (NaN).
    rng = np.random.default_rng(11)
    for trial in range(200):
        n = int(rng.integers(3, 2000))
        k = int(rng.integers(1, 7))
        kind = trial % 3
        values = (
            rng.integers(1, 6, size=(n, k)).mean(axis=1) if kind == 0
            else rng.integers(0, 11, n).astype(float) if kind == 1
            else rng.integers(1, 6, n) * 0.1 + 1e-3 * rng.integers(0, 3, n)
        )  # fmt: skip
        groups = rng.integers(0, 3, n)
        table, distinct = counts_and_values(values, groups, 4)
        expected = pd.Series(values).groupby(groups).median().reindex(range(4)).to_numpy()
        np.testing.assert_array_equal(group_medians(table, distinct), expected)


def exact_two_sided_p(first, second):
    """Exact two-sided p of U1 without ties, by counting the subsets of ranks (dynamic
    programming over rank sums): independent of scipy's algorithm."""
    m, n = len(first), len(second)
    ranks = stats.rankdata(np.concatenate([first, second]))
    u = ranks[:m].sum() - m * (m + 1) / 2
    # ways[k][s]: subsets of k ranks among those seen with sum s
    ways = [[0] * (m * (m + n) + 1) for _ in range(m + 1)]
    ways[0][0] = 1
    for rank in range(1, m + n + 1):
        for k in range(min(m, rank), 0, -1):
            for s in range(len(ways[k]) - 1, rank - 1, -1):
                ways[k][s] += ways[k - 1][s - rank]
    counts = np.array(ways[m][m * (m + 1) // 2 :][: m * n + 1], dtype=float)  # U = 0 .. mn
    total = comb(m + n, m)
    low, high = counts[: int(u) + 1].sum() / total, counts[int(u) :].sum() / total
    return min(1.0, 2 * min(low, high))


@pytest.mark.parametrize("smaller", [8, 9])
def test_mann_whitney_is_exact_up_to_8_in_the_smaller_group(smaller):
    """Kills `<= 8` -> `< 8` and min -> max of the group sizes in the exact-p rule."""
    rng = np.random.default_rng(smaller)
    values = rng.permutation(np.arange(smaller + 12, dtype=float))  # no ties
    first, second = values[:smaller], values[smaller:]
    groups = np.repeat([0, 1], [smaller, 12])
    row, _, _ = compare_outcome(values, groups, ["a", "b"], ANALYSIS, AUTO)
    if smaller == 8:
        assert "exact null distribution" in row["method"]
        assert row["p"] == pytest.approx(exact_two_sided_p(first, second), rel=1e-12)
    else:
        assert "normal approximation" in row["method"]
        u = row["statistic"]
        sigma = np.sqrt(smaller * 12 * (smaller + 13) / 12)
        z = (abs(u - smaller * 6) - 0.5) / sigma
        assert row["p"] == pytest.approx(2 * stats.norm.sf(z), rel=1e-12)


def test_comparison_bootstrap_interval_is_95_percent():
    """Kills a comparison bootstrap at about 92 %: compared with resampling rows by hand.

    Two groups of 60 and 70 on a 5-point scale. The 2.5 % quantile of r estimated from 100,000
    resamples has a Monte Carlo sd of about 0.0016 (measured 0.0035 at 20,000), so ours and the
    by-hand one differ by about 0.0022 (sd). A 92 % interval moves the ends by 0.022 and 0.017.
    Tolerance 0.007: over 3 sd of that difference, well under half the bug.
    """
    rng = np.random.default_rng(4)
    first = rng.choice(5, 60, p=[0.1, 0.2, 0.3, 0.25, 0.15]).astype(float)
    second = rng.choice(5, 70, p=[0.15, 0.25, 0.3, 0.2, 0.1]).astype(float)
    values = np.concatenate([first, second])
    settings = filled.analysis(
        ComparisonSettings, confidence_level=0.95, bootstrap_resamples=100_000, seed=3
    )
    row, _, _ = compare_outcome(values, np.repeat([0, 1], [60, 70]), ["a", "b"], settings, AUTO)
    low, high = row["effect_ci_low"], row["effect_ci_high"]
    table = count_table(values, np.repeat([0, 1], [60, 70]), 2)
    assert (low, high) == bootstrap_interval(table, rank_biserial, 0.95, 100_000, seed=3)
    signs = np.sign(np.arange(5)[:, None] - np.arange(5)[None, :])  # value a vs value b
    by_hand = []
    for _ in range(5):  # 5 blocks of 20,000 resamples of rows; r by comparing every pair
        x = first[rng.integers(0, 60, (20_000, 60))]
        y = second[rng.integers(0, 70, (20_000, 70))]
        count_x = (x[:, :, None] == np.arange(5)).sum(axis=1)  # resamples x values
        count_y = (y[:, :, None] == np.arange(5)).sum(axis=1)
        by_hand.append(np.einsum("ra,ab,rb->r", count_x, signs, count_y) / (60 * 70))
    expected = np.quantile(np.concatenate(by_hand), [0.025, 0.975])
    assert (low, high) == pytest.approx(tuple(expected), abs=0.007)


def test_small_group_warning_is_strict_at_the_minimum():
    """Kills warning about a group whose n equals min_group_size."""
    values = np.array([1.0, 2, 3, 4, 5, 1, 2, 3, 4])
    groups = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1])
    settings = filled.analysis(ComparisonSettings, min_group_size=5)
    row, _, _ = compare_outcome(values, groups, ["five", "four"], settings, AUTO)
    assert row["warning"] == "groups smaller than 5: four (n=4)"


def test_comparison_rows_are_labelled_and_its_test_is_honoured(caplog):
    spec = {"survey": "people", "by": "seen", "outcomes": ["t", "verdict"], "family": "fam"}
    with caplog.at_level(logging.INFO, logger="likertflow.comparisons"):
        tests, groups, posthoc = compare("cmp", spec)
    assert tests[["comparison", "outcome", "family"]].values.tolist() == [
        ["cmp", "t", "fam"], ["cmp", "verdict", "fam"]
    ]  # fmt: skip
    assert tests["test"].tolist() == ["Mann-Whitney U"] * 2
    assert list(groups.index) == list(range(len(groups))) and len(groups) == 4
    assert set(zip(groups.comparison, groups.outcome, strict=True)) == {
        ("cmp", "t"), ("cmp", "verdict")
    }  # fmt: skip
    named = filled.comparison(**{**spec, "test": "kruskal_wallis"})
    tests, _, posthoc = run_comparison("cmp", named, FRAMES, QUESTIONNAIRES, ANALYSIS)
    assert tests["test"].tolist() == ["Kruskal-Wallis H"] * 2
    assert list(posthoc.index) == [0, 1] and (posthoc.comparison == "cmp").all()
    assert posthoc.outcome.tolist() == ["t", "verdict"]

    caplog.clear()
    small = {"survey": "people", "by": "band", "outcomes": ["t"], "family": "f"}
    with caplog.at_level(logging.INFO, logger="likertflow.comparisons"):
        compare("by_band", small)
    assert caplog.messages == [
        "by_band, t: groups smaller than 5: Young (n=4), Old (n=2)",
        "by_band, t: groups without values left out: Ancient",
    ]


def test_settings_are_the_schemas_and_a_missing_one_is_named():
    """No default in code: the row states the schema's defaults (seed 20200507, not a 0 written
    in code), and settings without a key the test reads fail, naming it."""
    values = np.array([1.0, 2, 2, 3, 4, 2, 3, 4, 5, 5])
    groups = np.repeat([0, 1], 5)
    defaults = filled.analysis(ComparisonSettings)
    row, _, _ = compare_outcome(values, groups, ["a", "b"], defaults, AUTO)
    assert row["effect_ci_method"] == (
        "95% two-sided percentile bootstrap, 2000 resamples of respondents within groups, "
        "seed 20200507"
    )
    forgot = {"p_adjust": "holm", "min_group_size": 5, "confidence_level": 0.95,
              "bootstrap_resamples": 2000}  # fmt: skip
    with pytest.raises(SettingsError, match=r"analysis\.seed: missing"):
        ComparisonSettings.from_params(forgot)
    with pytest.raises(SettingsError, match=r"analysis\.alpha: not read by ComparisonSettings"):
        ComparisonSettings.from_params({**forgot, "seed": 1, "alpha": 0.05})


def as_cells(values: np.ndarray, groups: np.ndarray) -> pd.DataFrame:
    """The comparison cells of some respondents as ``grouping.comparison_cells`` counts them
    (written out with pandas here): by group and value, a blank value a cell of its own."""
    frame = pd.DataFrame({"group": groups, "value": values})
    return frame.groupby(["group", "value"], dropna=False).size().rename("n").reset_index()


@pytest.mark.parametrize(
    "values, groups, labels",
    [
        # three groups, ties, blanks, a middle group with no value at all: Kruskal-Wallis, Dunn
        ([1, 2, 2, 3, np.nan, 4, 4, 1, 5, np.nan, 2], [0, 0, 0, 0, 1, 2, 2, 2, 2, 0, 3], "abcd"),
        # two groups without ties, one of at most 8: the exact Mann-Whitney p
        ([1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 0, 1, 1, 0, 1, 1, 1], "ab"),
        # two groups, ties: the normal approximation
        ([1, 1, 2, 2, 2, 3, 3, 1, 2, 3, 3, 3, 1], [0] * 6 + [1] * 7, "ab"),
    ],
)
def test_compare_cells_is_compare_outcome_of_the_rows(values, groups, labels):
    """A comparison from counted cells is the comparison of the rows they count, to the bit,
    also when the combined cells keep a cell whose respondents were all subtracted (``n`` 0)."""
    values, groups = np.array(values, dtype="float64"), np.array(groups)
    cells = as_cells(values, groups)
    emptied = pd.DataFrame({"group": [0, 1], "value": [0.5, 9.0], "n": [0, 0]})
    cells = pd.concat([emptied, cells], ignore_index=True)
    expected = compare_outcome(values, groups, list(labels), ANALYSIS, AUTO)
    got = compare_cells(cells, list(labels), ANALYSIS, AUTO)
    assert got[0] == expected[0]
    pd.testing.assert_frame_equal(got[1], expected[1], check_exact=True)
    pd.testing.assert_frame_equal(got[2], expected[2], check_exact=True)


def test_compare_cells_subtracted_to_one_value_is_untestable():
    """Cells whose only other value was subtracted away (``n`` 0) hold one value: nothing to
    rank, as for the rows that are left."""
    cells = pd.DataFrame({"group": [0, 1, 1, 0], "value": [2.0, 2.0, 4.0, np.nan],
                          "n": [3, 2, 0, 1]})  # fmt: skip
    row, groups, posthoc = compare_cells(cells, ["a", "b"], ANALYSIS, AUTO)
    assert row["test"] == "none" and row["warning"].endswith("all values equal")
    assert row["n"] == 5 and groups["n"].tolist() == [3, 2] and posthoc.empty


def test_untestable_outcomes_say_why_in_full_with_empty_pairs():
    """The warning of an untestable outcome word for word (after a small group's), the empty
    groups each named, and pairs with their columns and no rows."""
    row, groups, posthoc = compare_outcome(
        np.array([1.0, 2, 3, np.nan]), np.array([0, 0, 0, 2]), list("abc"), ANALYSIS, AUTO
    )
    assert row["test"] == "none" and row["empty_groups"] == "b; c"
    assert row["warning"] == "groups smaller than 5: a (n=3); fewer than 2 groups"
    assert list(posthoc.columns) == POSTHOC_COLUMNS[2:] and posthoc.empty
    row, _, posthoc = compare_outcome(
        np.full(10, 2.0), np.repeat([0, 1], 5), list("ab"), ANALYSIS, AUTO
    )
    assert row["warning"] == "all values equal" and list(posthoc.columns) == POSTHOC_COLUMNS[2:]


def test_a_two_point_outcome_is_tested_as_scipy_tests_its_rows():
    """Two distinct values (a yes/no statement) are enough to rank: Mann-Whitney U with the
    tie-corrected normal p, as scipy computes it from the respondents."""
    a, b = np.array([1.0] * 6 + [2.0] * 4), np.array([1.0] * 3 + [2.0] * 9)
    row, _, _ = compare_outcome(
        np.concatenate([a, b]), np.repeat([0, 1], [len(a), len(b)]), list("ab"), ANALYSIS, AUTO
    )
    expected = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    assert row["test"] == "Mann-Whitney U" and row["statistic"] == expected.statistic
    assert row["p"] == pytest.approx(expected.pvalue, rel=1e-12)
    assert row["highest_mean_rank"] == "b"  # the second group ranks higher


def test_no_group_is_highest_when_two_share_the_highest_mean_rank():
    """Two groups alike, or two of three that rank above the third alike: none is highest."""
    cases = [([1.0, 3, 1, 3], [0, 0, 1, 1]), ([3.0, 4, 1, 2, 3, 4], [0, 0, 1, 1, 2, 2])]
    for values, groups in cases:
        labels = list("abc")[: max(groups) + 1]
        row, _, _ = compare_outcome(np.array(values), np.array(groups), labels, ANALYSIS, AUTO)
        assert row["highest_mean_rank"] == ""
