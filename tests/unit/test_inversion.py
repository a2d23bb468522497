"""Statistics inverted to counts (likertflow.inversion): each identity checked against a test
computed here from counts, by scipy or a closed form, then inverted back to those counts.

Fast on purpose (no workflow, no tables): the module's other tests, through publishing and the
attacker, take seconds each.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from likertflow import inversion
from likertflow.disclosure import Policy
from scipy import optimize, stats

# --- What a published number stands for ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.04", (0.035, 0.045)),
        ("12", (11.5, 12.5)),
        (" -0.25 ", (-0.255, -0.245)),
        ("0.5", (0.45, 0.55)),
    ],
)
def test_a_rounded_number_stands_for_half_a_unit_of_its_last_digit_either_side(text, expected):
    low, high = inversion.window(text)
    assert low == pytest.approx(expected[0], abs=1e-15)
    assert high == pytest.approx(expected[1], abs=1e-15)


@pytest.mark.parametrize("text", [None, float("nan"), "", "  ", "*", "nan", "<0.001", ">0.99"])
def test_nothing_is_learnt_from_a_suppressed_blank_or_bounded_number(text):
    assert inversion.window(text) is None


@pytest.mark.parametrize("text", ["0.0396354323882968", "1.5e-05", "2E+03", 0.25])
def test_a_number_at_full_precision_stands_for_itself(text):
    """Ten decimals or more, or scientific notation: only floating-point error is allowed
    (a relative 1e-9); a float given as a number is its own text."""
    value = float(text)
    low, high = inversion.window(text)
    if isinstance(text, float):  # str(0.25) has two decimals: a rounded 0.25
        assert (low, high) == pytest.approx((0.245, 0.255))
        return
    assert low < value < high
    assert high - low == pytest.approx(2e-9 * abs(value))


def test_a_zero_at_full_precision_has_a_window_of_its_own():
    low, high = inversion.window("0.0000000000")
    assert low < 0 < high and high < 1e-300


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<0.001", (0.0, 0.001)),
        ("<1e-10", (0.0, 1e-10)),
        (">0.99", (0.99, 1.0)),
        ("0.45", (0.445, 0.455)),
        (" <0.05", (0.0, 0.05)),
    ],
)
def test_a_published_p_and_its_bounds(text, expected):
    assert inversion.p_window(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [None, float("nan"), "", "*", "nan"])
def test_no_p_window_without_a_p(text):
    assert inversion.p_window(text) is None


def test_a_p_window_gives_the_chi_squared_statistics_with_that_tail():
    """On 2 df the tail is exp(-x / 2), so x = -2 ln p: p in [0.04, 0.05] is x in
    [5.99, 6.44]; p up to 1 leaves 0, p down to 0 leaves no upper bound."""
    low, high = inversion.chi2_statistic_window((0.04, 0.05), 2)
    assert (low, high) == pytest.approx((-2 * math.log(0.05), -2 * math.log(0.04)))
    assert inversion.chi2_statistic_window((0.5, 1.0), 2) == pytest.approx(
        (0.0, -2 * math.log(0.5))
    )
    assert inversion.chi2_statistic_window((0.0, 0.001), 2) == (
        pytest.approx(-2 * math.log(0.001)),
        math.inf,
    )


# --- Kruskal-Wallis ---------------------------------------------------------------------------


def _kruskal(sizes, seed=1):
    """A Kruskal-Wallis test of 5-point answers in groups of these sizes (scipy)."""
    rng = np.random.default_rng(seed)
    groups = [rng.integers(1, 6, size) for size in sizes]
    h, p = stats.kruskal(*groups)
    return groups, float(h), float(p)


def _lower_lambda(h, df, confidence):
    """The noncentrality whose upper (1 - confidence) quantile is h, by bisection."""
    tail = 1 - confidence
    return optimize.bisect(lambda lam: stats.ncx2.sf(h, df, lam) - tail, 1e-9, 10 * h + 100)


def test_the_lower_bound_noncentrality_puts_h_at_the_upper_quantile():
    h, df = 20.0, 3
    lam = inversion._lower_bound_noncentrality(h, df, 0.95)
    assert stats.ncx2.sf(h, df, lam) == pytest.approx(0.05, abs=1e-7)
    assert lam == pytest.approx(_lower_lambda(h, df, 0.95), abs=1e-6)
    # a large h needs the bracket doubled more than once
    assert stats.ncx2.sf(200.0, 2, inversion._lower_bound_noncentrality(200.0, 2, 0.9)) == (
        pytest.approx(0.1, abs=1e-7)
    )
    assert inversion._lower_bound_noncentrality(2.0, 3, 0.95) == 0.0  # not significant
    assert inversion._lower_bound_noncentrality(math.inf, 3, 0.95) == 0.0
    assert inversion._lower_bound_noncentrality(math.nan, 3, 0.95) == 0.0


def test_kruskal_n_from_full_precision_statistics_is_the_true_n():
    """epsilon-squared = H / (N - 1) at full precision leaves only N; so does the interval's
    lower bound with H's p (no statistic published)."""
    sizes = (40, 41, 40)
    _, h, p = _kruskal(sizes)
    n = sum(sizes)
    epsilon = h / (n - 1)
    candidates = range(n - 5, n + 6)
    assert inversion.kruskal_n(candidates, 2, epsilon=repr(epsilon), statistic=repr(h)) == [n]
    assert inversion.kruskal_n(candidates, 2, epsilon=repr(epsilon), p=repr(p)) == [n]
    assert inversion.kruskal_n(candidates, 2) == list(candidates)  # nothing published


def test_kruskal_n_at_journal_precision_and_with_the_interval():
    """Two decimals of epsilon-squared keep the ns whose H = eps (N - 1) lies in the window
    (an independent count); the interval's lower bound, lambda(H) / (N - 1), narrows them."""
    df, confidence = 2, 0.95
    h = 30 + 1 / 7  # at full precision
    candidates = range(100, 400)
    kept = inversion.kruskal_n(candidates, df, epsilon="0.15", statistic=repr(h))
    assert kept == [n for n in candidates if 0.145 <= h / (n - 1) <= 0.155]
    assert kept == list(range(196, 209))
    ci = _lower_lambda(h, df, confidence) / (200 - 1)
    with_ci = inversion.kruskal_n(
        candidates, df, epsilon="0.15", statistic=repr(h), ci_low=f"{ci:.3f}",
        confidence=confidence,
    )  # fmt: skip
    expected = [
        n for n in kept if abs(_lower_lambda(h, df, confidence) / (n - 1) - ci) <= 0.0005 + 1e-12
    ]
    assert with_ci == expected and 200 in with_ci and len(with_ci) < len(kept)
    # an interval without its confidence narrows nothing
    assert inversion.kruskal_n(candidates, df, "0.15", repr(h), ci_low=f"{ci:.3f}") == kept


def test_kruskal_n_keeps_no_n_that_statistic_and_p_cannot_share():
    """A published H outside the range its p allows leaves no n; an H whose epsilon-squared
    window holds no candidate leaves none."""
    assert inversion.kruskal_n(range(50, 60), 2, statistic="3.00", p="0.01") == []
    assert inversion.kruskal_n(range(50, 60), 2, epsilon="0.50", statistic="3.00") == []
    h = -2 * math.log(0.01)  # p 0.01 on 2 df
    assert inversion.kruskal_n(range(50, 60), 2, statistic=f"{h:.2f}", p="0.01") == list(
        range(50, 60)
    )


# --- Mann-Whitney -----------------------------------------------------------------------------


def test_mann_whitney_sizes_from_u_and_the_rank_biserial_r():
    """r = 2 U / (n1 n2) - 1 (scipy's U of the first group): at full precision only the true
    pair is left; at two decimals each pair whose U window holds a multiple of 1/2 is kept."""
    rng = np.random.default_rng(3)
    a, b = rng.integers(1, 6, 30), rng.integers(1, 6, 20)
    u = float(stats.mannwhitneyu(a, b).statistic)
    r = 2 * u / (30 * 20) - 1
    pairs = [(x, y) for x in range(28, 33) for y in range(18, 23)]
    assert inversion.mann_whitney_sizes(pairs, statistic=repr(u), effect=repr(r)) == [(30, 20)]
    kept = inversion.mann_whitney_sizes(pairs, effect=f"{r:.2f}")
    expected = [
        (x, y) for x, y in pairs
        if math.floor(2 * (float(f"{r:.2f}") + 0.005 + 1) * x * y / 2 + 1e-9)
        >= math.ceil(2 * (float(f"{r:.2f}") - 0.005 + 1) * x * y / 2 - 1e-9)
    ]  # fmt: skip
    assert kept == expected


def test_a_u_is_a_multiple_of_a_half_within_0_and_n1_n2():
    pairs = [(5, 5), (6, 5)]
    assert inversion.mann_whitney_sizes(pairs, statistic="10.25") == []  # no half in its window
    assert inversion.mann_whitney_sizes(pairs, statistic="10.5") == pairs
    assert inversion.mann_whitney_sizes(pairs, statistic="30") == [(6, 5)]  # 5 x 5 is 25
    assert inversion.mann_whitney_sizes(pairs, statistic="0") == pairs
    assert inversion.mann_whitney_sizes(pairs) == pairs


# --- Mean ranks -------------------------------------------------------------------------------


def test_rank_sum_sizes_from_mean_ranks():
    """Ranks 1..5 split {1, 2, 4} and {3, 5}: mean ranks 7/3 and 4. At full precision only
    (3, 2) gives rank sums that are multiples of 1/2 adding to 15; an unpublished mean rank
    constrains only the total; no n of 0 or less is a group."""
    ranks = [repr(7 / 3), "4.0"]
    assert inversion.rank_sum_sizes(ranks, [range(-1, 6), range(0, 6)]) == [(3, 2)]
    # group 2's mean rank unknown: n2 ranks can sum to anything from 1 + .. + n2 to the top n2
    kept = inversion.rank_sum_sizes([repr(7 / 3), None], [range(1, 6), range(1, 4)])
    possible = [  # n1 ranks of 1..N with mean 7/3 (n1 = 3: ranks 1, 2, 4), the rest the other's
        (n1, n2)
        for n1 in range(1, 6)
        for n2 in range(1, 4)
        if any(sum(c) * 3 == 7 * n1 for c in combinations(range(1, n1 + n2 + 1), n1))
    ]
    assert kept == possible == [(3, 1), (3, 2), (3, 3)]
    assert inversion.rank_sum_sizes(ranks, [range(1, 40), range(1, 40)], limit=100) is None


# --- Cronbach's alpha -------------------------------------------------------------------------


def _feldt(alpha, n, k, confidence=0.95):
    """Feldt's interval: 1 - (1 - alpha) F, F the F quantiles on n - 1, (n - 1)(k - 1) df."""
    tail = (1 - confidence) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return (
        float(1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)),
        float(1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)),
    )


def test_feldt_n_from_alpha_and_its_interval():
    alpha, n, k = 0.8 + 1 / 3000, 60, 4  # at full precision
    low, high = _feldt(alpha, n, k)
    candidates = range(50, 71)
    assert inversion.feldt_n(candidates, k, repr(alpha), repr(low), repr(high)) == [n]
    assert inversion.feldt_n(candidates, k, repr(alpha), ci_high=repr(high)) == [n]
    kept = inversion.feldt_n(candidates, k, "0.80", f"{low:.2f}", f"{high:.2f}")
    expected = []
    for m in candidates:
        ends = [_feldt(a, m, k) for a in (0.795, 0.805)]
        lows, highs = [e[0] for e in ends], [e[1] for e in ends]
        if max(lows) >= float(f"{low:.2f}") - 0.005 and min(lows) <= float(f"{low:.2f}") + 0.005:
            if max(highs) >= float(f"{high:.2f}") - 0.005 and (
                min(highs) <= float(f"{high:.2f}") + 0.005
            ):
                expected.append(m)
    assert kept == expected and n in kept
    # 99 % intervals are wider: the 95 % bounds match no n at 99 %
    assert inversion.feldt_n(candidates, k, repr(alpha), repr(low), confidence=0.99) == []


def test_feldt_n_needs_an_alpha_two_statements_and_three_respondents():
    assert inversion.feldt_n(range(1, 6), 1, "0.8", "0.7") == [1, 2, 3, 4, 5]
    assert inversion.feldt_n(range(1, 6), 3, None, "0.7") == [1, 2, 3, 4, 5]
    assert inversion.feldt_n(range(1, 6), 3, "0.8") == [3, 4, 5]


# --- Ties -------------------------------------------------------------------------------------


def test_tie_sum():
    assert inversion.tie_sum([3, 2, 1]) == 24 + 6 + 0
    assert inversion.tie_sum([]) == 0


def _answers(counts, seed):
    values = np.repeat(np.arange(1, len(counts) + 1), counts)
    return np.random.default_rng(seed).permutation(values)


def test_the_tie_sum_from_a_mann_whitney_p_holds_the_true_one():
    """scipy's asymptotic p (continuity and tie corrected) at full precision pins
    sum(t^3 - t) of the pooled answers; at 3 decimals the window still holds it."""
    answers = _answers([20, 15, 10, 8, 7], seed=5)
    a, b = answers[:35], answers[35:]
    result = stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=True)
    u, p = float(result.statistic), float(result.pvalue)
    true = inversion.tie_sum(np.unique(answers, return_counts=True)[1])
    low, high = inversion.tie_sum_window_mann_whitney(35, 25, f"{u:.12f}", repr(p))
    assert low == pytest.approx(true, abs=0.05) and high == pytest.approx(true, abs=0.05)
    # U at one decimal (453.0): |U - n1 n2 / 2| - 1/2 within 0.05, so s = that / z, and
    # T = (N + 1 - 12 s^2 / (n1 n2)) N (N - 1) falls as s grows
    z = stats.norm.isf(p / 2)
    d = abs(u - 35 * 25 / 2) - 0.5
    ties = [(61 - 12 * (x / z) ** 2 / (35 * 25)) * 60 * 59 for x in (d + 0.05, d - 0.05)]
    assert inversion.tie_sum_window_mann_whitney(35, 25, f"{u:.1f}", repr(p)) == pytest.approx(
        ties, rel=1e-6
    )
    low, high = inversion.tie_sum_window_mann_whitney(35, 25, repr(u), f"{p:.3f}")
    assert low <= true <= high and high - low > 1
    assert inversion.tie_sum_window_mann_whitney(35, 25, repr(u), "<0.001") is None
    assert inversion.tie_sum_window_mann_whitney(35, 25, None, repr(p)) is None
    assert inversion.tie_sum_window_mann_whitney(35, 25, repr(u), None) is None
    # U at n1 n2 / 2: |U - n1 n2 / 2| - 1/2 is not positive, z says nothing
    assert inversion.tie_sum_window_mann_whitney(35, 25, "437.5", "0.99") is None
    assert inversion.tie_sum_window_mann_whitney(35, 25, "437.9", "0.99") is None


def test_the_tie_sum_from_a_kruskal_h_and_mean_ranks_holds_the_true_one():
    answers = _answers([12, 18, 10, 9, 11], seed=7)
    sizes = [20, 25, 15]
    groups = np.split(answers, np.cumsum(sizes)[:-1])
    h = float(stats.kruskal(*groups).statistic)
    ranks = stats.rankdata(answers)
    mean_ranks = [float(r.mean()) for r in np.split(ranks, np.cumsum(sizes)[:-1])]
    true = inversion.tie_sum(np.unique(answers, return_counts=True)[1])
    full = [f"{m:.15f}" for m in mean_ranks]
    low, high = inversion.tie_sum_window_kruskal(sizes, full, repr(h))
    assert low == pytest.approx(true, abs=0.05) and high == pytest.approx(true, abs=0.05)
    low, high = inversion.tie_sum_window_kruskal(
        sizes, [f"{m:.1f}" for m in mean_ranks], f"{h:.2f}"
    )
    assert low <= true <= high
    assert inversion.tie_sum_window_kruskal(sizes, ["1", None, "2"], repr(h)) is None
    assert inversion.tie_sum_window_kruskal(sizes, mean_ranks, "*") is None
    assert inversion.tie_sum_window_kruskal(sizes, mean_ranks, "0") is None


# --- Which effect sizes are withheld ----------------------------------------------------------

NHS = Policy("nhs", min_count=8, rounding=5, min_statistic_n=8)


def _tests(**columns):
    base = {
        "comparison": "c", "outcome": ["a", "b"], "test": "Kruskal-Wallis H", "n": [40, 40],
        "df": ["2.0", "2.0"], "statistic": "*", "p": ["0.01", "0.009"],
        "effect_size": ["0.21", "0.24"], "effect_ci_low": ["", ""], "effect_ci_method": "",
    }  # fmt: skip
    return pd.DataFrame({**base, **columns})


GROUPS = pd.DataFrame({"comparison": "c", "outcome": ["a"] * 3 + ["b"] * 3, "n": [15] * 6})


def test_effect_sizes_of_tests_that_cannot_pin_an_n_are_kept():
    """Each test alone leaves two ns (41 or 42; 40 or 41: kruskal_n); other tests, suppressed
    ns or effect sizes, different groups shown, or a rule without rounding leave both shown."""
    assert inversion.kruskal_n(range(38, 43), 2, epsilon="0.21", p="0.01") == [41, 42]
    assert inversion.kruskal_n(range(38, 43), 2, epsilon="0.24", p="0.009") == [40, 41]
    assert inversion.effect_sizes_to_withhold(_tests(), GROUPS, NHS) == [True, False]
    keep = [False, False]
    assert inversion.effect_sizes_to_withhold(_tests(test="Mann-Whitney U"), GROUPS, NHS) == keep
    assert inversion.effect_sizes_to_withhold(_tests(n=["*", 40]), GROUPS, NHS) == keep
    for blank in ("*", "", "nan"):
        tests = _tests(effect_size=[blank, "0.24"])
        assert inversion.effect_sizes_to_withhold(tests, GROUPS, NHS) == keep
    other = GROUPS.assign(n=[15] * 3 + [14, 16, 15])  # the tests' groups are not the same
    assert inversion.effect_sizes_to_withhold(_tests(), other, NHS) == keep
    assert inversion.effect_sizes_to_withhold(_tests(), GROUPS, Policy("none")) == keep


def test_the_most_precise_effect_size_is_withheld_first():
    """Three tests of one set of respondents leaving ns {41, 42}, {40, 41}, {41, 42}: one at a
    time, the fewest ns first (ties: the earlier test), until two ns are left in common: the
    first two go, the third alone leaves two. A test pinned to one n goes first."""
    tests = pd.concat([_tests(), _tests(outcome=["c", "d"]).iloc[:1]], ignore_index=True)
    groups = pd.concat([GROUPS, GROUPS.iloc[:3].assign(outcome="c")], ignore_index=True)
    assert inversion.effect_sizes_to_withhold(tests, groups, NHS) == [True, True, False]
    pinned = tests.assign(effect_ci_low=["", "", "0.026"], effect_ci_method="95% one-sided")
    candidates = inversion.kruskal_n(range(38, 43), 2, "0.21", p="0.01", ci_low="0.026",
                                     confidence=0.95)  # fmt: skip
    assert candidates == [42]
    assert inversion.effect_sizes_to_withhold(pinned, groups, NHS) == [True, False, True]
    tests = _tests(effect_size=["0.24", "0.24"], p=["0.009", "0.009"])
    assert inversion.effect_sizes_to_withhold(tests, GROUPS, NHS) == [False, False]


def test_the_confidence_an_intervals_method_names():
    assert inversion._confidence("95% one-sided, noncentral chi-squared") == 0.95
    assert inversion._confidence("  90.5% two-sided") == pytest.approx(0.905)
    assert inversion._confidence("one-sided 95%") is None
    assert inversion._confidence(None) is None


# --- Ends of windows, limits and lengths (issue 17) ---------------------------------------------


def test_a_u_at_the_very_end_of_its_window_is_kept():
    """2 x 2 respondents, U = 0.5: r = -0.75, published -0.8 (U window [0.3, 0.5]) or -0.7
    ([0.5, 0.7]): 0.5 is the window's last or first value, kept despite floating error."""
    assert inversion.mann_whitney_sizes([(2, 2)], effect="-0.8") == [(2, 2)]
    assert inversion.mann_whitney_sizes([(2, 2)], effect="-0.7") == [(2, 2)]


def test_rank_sums_at_the_ends_of_their_windows_and_the_unpublished_groups_bounds():
    """Two respondents tied with one other (ranks 1.5 and 2: sum 3.5, mean 1.75), published
    1.8 or 1.7: 3.5 ends the window either way and is kept. An unpublished group of n takes
    at least ranks 1..n and at most the top n: a mean rank of 4.5 for two needs five
    respondents; of 1.0 for two (sum 2) no total; a single rank 6 at least six."""
    assert inversion.rank_sum_sizes(["1.8", None], [[2], [1]]) == [(2, 1)]
    assert inversion.rank_sum_sizes(["1.7", None], [[2], [1]]) == [(2, 1)]
    assert inversion.rank_sum_sizes(["4.5", None], [[2], [1, 2, 3]]) == [(2, 3)]
    assert inversion.rank_sum_sizes(["1.0", None], [[2], [1, 2, 3]]) == []
    assert inversion.rank_sum_sizes(["6", None], [[1], range(1, 8)]) == [(1, 5), (1, 6), (1, 7)]
    # exactly the limit of combinations is still tried
    assert inversion.rank_sum_sizes(["1.5", None], [[1, 2], [1, 2]], limit=4) is not None
    with pytest.raises(ValueError):
        inversion.rank_sum_sizes(["1.5"], [[1], [1]])


def test_feldt_n_with_two_statements():
    alpha, n = 0.7 + 1 / 3000, 40
    low, high = _feldt(alpha, n, 2)
    assert inversion.feldt_n(range(35, 46), 2, repr(alpha), repr(low), repr(high)) == [n]


def _ties_window(n1, n2, u_window, p_window):
    """sum(t^3 - t) from s = (|U - n1 n2 / 2| - 1/2) / z and s^2 = n1 n2 / 12 (N + 1 - T /
    (N (N - 1))), over the ends of U's and p's windows."""
    n = n1 + n2
    d = [abs(u - n1 * n2 / 2) - 0.5 for u in u_window]
    z_small, z_large = (stats.norm.isf(p / 2) for p in (p_window[1], p_window[0]))
    return [(n + 1 - 12 * s**2 / (n1 * n2)) * n * (n - 1)
            for s in (max(d) / z_small, min(d) / z_large)]  # fmt: skip


def test_the_mann_whitney_tie_window_over_both_ends_of_the_p():
    """With p at three decimals both ends of its window count; a U half a rank from the
    middle still tells; no ties at all give 0, never less."""
    answers = _answers([20, 15, 10, 8, 7], seed=5)
    result = stats.mannwhitneyu(answers[:35], answers[35:], method="asymptotic")
    u, p = float(result.statistic), float(result.pvalue)
    rounded = float(f"{p:.3f}")
    expected = _ties_window(35, 25, (u - 0.05, u + 0.05), (rounded - 0.0005, rounded + 0.0005))
    got = inversion.tie_sum_window_mann_whitney(35, 25, f"{u:.1f}", f"{p:.3f}")
    assert got == pytest.approx(expected, rel=1e-9)
    expected = _ties_window(35, 25, (438.45, 438.55), (0.945, 0.955))
    got = inversion.tie_sum_window_mann_whitney(35, 25, "438.5", "0.95")
    assert got == pytest.approx(expected, rel=1e-9)
    distinct = np.random.default_rng(2).permutation(60)  # no ties
    result = stats.mannwhitneyu(distinct[:35], distinct[35:], method="asymptotic")
    low, high = inversion.tie_sum_window_mann_whitney(
        35, 25, f"{result.statistic:.12f}", repr(float(result.pvalue))
    )
    assert low == 0.0 and high == pytest.approx(0, abs=0.05)


def test_the_kruskal_tie_window_of_a_small_h_and_of_untied_answers():
    """An H below 1 still tells (the true sum within the window); untied answers give 0 at the
    low end, never less, though H's and the mean ranks' rounding allow a ratio above 1."""
    rng = np.random.default_rng(0)
    groups = [rng.integers(1, 6, 20) for _ in range(3)]
    h = float(stats.kruskal(*groups).statistic)
    assert h < 1
    answers = np.concatenate(groups)
    ranks = np.split(stats.rankdata(answers), [20, 40])
    means = [f"{float(r.mean()):.15f}" for r in ranks]
    true = inversion.tie_sum(np.unique(answers, return_counts=True)[1])
    low, high = inversion.tie_sum_window_kruskal([20, 20, 20], means, repr(h))
    assert low == pytest.approx(true, abs=0.5) and high == pytest.approx(true, abs=0.5)
    distinct = np.random.default_rng(4).permutation(60)
    groups = np.split(distinct, [20, 40])
    h = float(stats.kruskal(*groups).statistic)
    means = [f"{float(g.mean() + 1):.1f}" for g in groups]  # ranks are the values + 1
    low, high = inversion.tie_sum_window_kruskal([20, 20, 20], means, f"{h:.2f}")
    assert low == 0.0 and high > 0
    with pytest.raises(ValueError):
        inversion.tie_sum_window_kruskal([20, 40], means, f"{h:.2f}")


def test_tests_other_than_kruskal_wallis_and_blank_effect_sizes_are_passed_over():
    """A Mann-Whitney row first, then a row without an effect size whose statistic and p
    alone pin its n (nothing of it to withhold), then the two tests of the example: only the
    first of those two is withheld; a rounding of 2 is a rounding too."""
    h = 2 * math.log(100)  # p 0.01 on 2 df
    others = pd.DataFrame(
        {
            "comparison": "c", "outcome": ["m", "a"], "test": ["Mann-Whitney U",
            "Kruskal-Wallis H"], "n": [40, 40], "df": ["2.0", "2.0"],
            "statistic": ["*", repr(h)], "p": ["0.01", repr(math.exp(-h / 2))],
            "effect_size": ["0.21", "*"], "effect_ci_low": "", "effect_ci_method": "",
        }
    )  # fmt: skip
    tests = pd.concat([others, _tests()], ignore_index=True)
    groups = pd.concat([GROUPS, GROUPS.iloc[:3].assign(outcome="m")], ignore_index=True)
    assert inversion.effect_sizes_to_withhold(tests, groups, NHS) == [False, False, True, False]
    two = Policy("x", rounding=2)  # 40 stands for 39 or 40
    assert two.interval(40) == (39, 40)
    assert inversion.kruskal_n(range(39, 41), 2, "0.21", p="0.01") == []
    assert inversion.kruskal_n(range(39, 41), 2, "0.24", p="0.009") == [40]  # pinned
    assert inversion.effect_sizes_to_withhold(_tests(), GROUPS, two) == [True, True]


def test_a_p_written_without_its_leading_zero():
    """APA style drops the zero before the point: <.001 and >.99."""
    assert inversion.p_window("<.001") == (0.0, 0.001)
    assert inversion.p_window(">.99") == (0.99, 1.0)


def test_a_lower_bound_whose_bracket_must_grow():
    """At 20 % confidence the upper 80 % quantile of H = 4 on 1 df is reached only above
    lambda = 4, so the search doubles its bracket first."""
    assert stats.ncx2.sf(4.0, 1, 4.0) < 0.8
    lam = inversion._lower_bound_noncentrality(4.0, 1, 0.2)
    assert lam > 4 and stats.ncx2.sf(4.0, 1, lam) == pytest.approx(0.8, abs=1e-7)


def test_an_h_below_1_is_a_statistic_too():
    assert inversion.kruskal_n(range(5, 8), 2, statistic="0.50") == [5, 6, 7]


def test_a_published_statistic_can_pin_an_n_and_groups_are_matched_by_their_own_ns():
    """H at full precision with epsilon-squared at two decimals: H / (N - 1) in [0.205, 0.215]
    leaves N = 41 alone, so that effect size is withheld (p alone leaves 41 and 42). Tests are
    of the same respondents when their own groups show the same ns, whatever other outcomes'
    groups show."""
    assert inversion.kruskal_n(range(38, 43), 2, epsilon="0.21", statistic="8.400000000001") == [41]
    pinned = _tests(statistic=["8.400000000001", "*"]).iloc[:1]
    assert inversion.effect_sizes_to_withhold(pinned, GROUPS, NHS) == [True]
    other = pd.DataFrame({"comparison": "c", "outcome": ["x"] * 3, "n": [9, 9, 9]})
    groups = pd.concat([GROUPS.iloc[:3], other, GROUPS.iloc[3:]], ignore_index=True)
    assert inversion.effect_sizes_to_withhold(_tests(), groups, NHS) == [True, False]
