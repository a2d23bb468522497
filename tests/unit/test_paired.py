"""Paired before-and-after statistics from the before-by-after table (issue 23, item 4).

tests/expected/paired.csv was made by the command in its header (R 4.2.2, effectsize 0.8.3) from
tests/data/paired.csv (tests/r/paired_data.py): wilcox.test(paired = TRUE), effectsize's
rank_biserial, mcnemar.test and the Stuart-Maxwell statistic written out in R. Independent
checks: scipy.stats.wilcoxon and rankdata on the rows, statsmodels' SquareTable and mcnemar.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from likertflow import paired
from scipy import stats
from statsmodels.stats import contingency_tables

TESTS = Path(__file__).resolve().parents[1]
EXPECTED = TESTS / "expected" / "paired.csv"
PAIRS = pd.read_csv(TESTS / "data" / "paired.csv")
SCENARIOS = list(dict.fromkeys(PAIRS["scenario"]))


def scenario(name: str):
    rows = PAIRS[PAIRS["scenario"] == name]
    codes = np.arange(1, rows["scale"].iloc[0] + 1)
    table = paired.pair_table(rows["id"], rows["before"], rows["id"], rows["after"], codes)
    return rows, codes, table


def ours(name: str) -> dict:
    _, codes, pairs = scenario(name)
    table = pairs.table
    test = paired.signed_rank_test(table, codes)
    uncorrected = paired.signed_rank_test(table, codes, correct=False)
    r = paired.rank_biserial(table, codes)
    mcnemar = paired.mcnemar_test(table)
    stuart = paired.stuart_maxwell_test(table)
    return {
        ("wilcox", "V"): test.statistic,
        ("wilcox", "p"): test.p,
        ("wilcox", "exact"): float(test.exact),
        ("wilcox_uncorrected", "V"): uncorrected.statistic,
        ("wilcox_uncorrected", "p"): uncorrected.p,
        ("rank_biserial", "r"): r.estimate,
        ("rank_biserial", "low"): r.ci_low,
        ("rank_biserial", "high"): r.ci_high,
        ("mcnemar", "statistic"): mcnemar.statistic,
        ("mcnemar", "df"): mcnemar.df,
        ("mcnemar", "p"): mcnemar.p,
        ("stuart_maxwell", "statistic"): stuart.statistic,
        ("stuart_maxwell", "df"): stuart.df,
        ("stuart_maxwell", "p"): stuart.p,
    }


def read_expected(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#")


def compare(expected: pd.DataFrame, name: str) -> list[str]:
    computed = ours(name)
    problems = []
    rows = expected[expected["scenario"] == name]
    for row in rows.itertuples():
        if row.statistic == "rank_biserial_two_samples":
            continue  # effectsize's two-sample form: see its own test
        value = computed[row.statistic, row.term]
        if not (np.isnan(value) and np.isnan(row.value)) and not np.isclose(
            value, row.value, rtol=1e-10, atol=0
        ):
            problems.append(f"{row.statistic} {row.term}: ours {value!r}, R {row.value!r}")
    assert len(rows) == 17
    return problems


@pytest.mark.parametrize("name", SCENARIOS)
def test_paired_statistics_equal_r(name):
    """Measured: 1e-15 relative at most (closed forms on both sides)."""
    assert compare(read_expected(EXPECTED), name) == []


def test_r_is_exact_only_without_zeros_or_ties_and_so_are_we():
    expected = read_expected(EXPECTED).set_index(["scenario", "statistic", "term"])["value"]
    for name in SCENARIOS:
        _, codes, pairs = scenario(name)
        assert paired.signed_rank_test(pairs.table, codes).exact == bool(
            expected[name, "wilcox", "exact"]
        )
    assert expected["exact_small", "wilcox", "exact"] == 1  # 4 pairs, differences 1, -2, 3, 4
    _, codes, pairs = scenario("exact_small")
    p = stats.wilcoxon([1, -2, 3, 4], method="exact").pvalue
    assert np.isclose(paired.signed_rank_test(pairs.table, codes).p, p, rtol=1e-14)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_signed_rank_test_agrees_with_scipy_on_the_rows(name):
    rows, codes, pairs = scenario(name)
    difference = (rows["after"] - rows["before"]).to_numpy()
    if np.all(difference == 0):
        return
    for zero_method in ["wilcox", "pratt"]:
        ours_ = paired.signed_rank_test(pairs.table, codes, zero_method=zero_method)
        if ours_.exact:
            continue
        theirs = stats.wilcoxon(difference, zero_method=zero_method, correction=True,
                                method="asymptotic")  # fmt: skip
        assert np.isclose(ours_.p, theirs.pvalue, rtol=1e-12), zero_method
        kept = difference[difference != 0] if zero_method == "wilcox" else difference
        ranks = stats.rankdata(np.abs(kept))
        if zero_method == "pratt":
            ranks, kept = ranks[kept != 0], kept[kept != 0]
        assert ours_.statistic == ranks[kept > 0].sum()


@pytest.mark.parametrize("name", SCENARIOS)
def test_rank_biserial_equals_an_independent_computation(name):
    """(T+ - T-) / (n (n + 1) / 2) from scipy's ranks of the non-zero differences (Kerby 2014)."""
    rows, codes, pairs = scenario(name)
    difference = (rows["after"] - rows["before"]).to_numpy()
    kept = difference[difference != 0]
    ranks = stats.rankdata(np.abs(kept))
    n = len(kept)
    r = (ranks[kept > 0].sum() - ranks[kept < 0].sum()) / (n * (n + 1) / 2)
    assert np.isclose(paired.rank_biserial(pairs.table, codes).estimate, r, rtol=1e-14)


def test_effectsize_two_sample_form_counts_nonzero_after_values_for_its_interval():
    """rank_biserial(after, before, paired = TRUE) in effectsize 0.8.3 has our estimate, and its
    interval is ours with n the number of non-zero `after` values (all pairs, codes 1..k)."""
    expected = read_expected(EXPECTED).set_index(["scenario", "statistic", "term"])["value"]
    expected = expected.sort_index()
    for name in SCENARIOS:
        rows, codes, pairs = scenario(name)
        r = paired.rank_biserial(pairs.table, codes)
        two = expected[name, "rank_biserial_two_samples"]
        assert np.isclose(two["r"], r.estimate, rtol=1e-12)
        n = len(rows)
        se = np.sqrt((2 * n**3 + 3 * n**2 + n) / 6) / (n * (n + 1) / 2)
        with np.errstate(divide="ignore"):  # r = 1 in the one-change scenario
            low = np.tanh(np.arctanh(r.estimate) - stats.norm.ppf(0.975) * se)
        assert np.isclose(two["low"], low, rtol=1e-10)


@pytest.mark.parametrize("name", SCENARIOS)
def test_marginal_homogeneity_and_symmetry_agree_with_statsmodels(name):
    _, _, pairs = scenario(name)
    table = pairs.table
    moved = table - np.diag(np.diag(table))
    used = (moved.sum(axis=0) + moved.sum(axis=1)) > 0
    if used.sum() < 2:
        assert np.isnan(paired.stuart_maxwell_test(table).statistic)
        return
    square = contingency_tables.SquareTable(table[np.ix_(used, used)], shift_zeros=False)
    ours_ = paired.stuart_maxwell_test(table)
    theirs = square.homogeneity(method="stuart_maxwell")
    assert np.isclose(ours_.statistic, theirs.statistic, rtol=1e-10)
    assert ours_.df == theirs.df
    if table.shape == (2, 2):
        mcnemar = contingency_tables.mcnemar(table, exact=False, correction=True)
        assert np.isclose(paired.mcnemar_test(table).statistic, mcnemar.statistic, rtol=1e-12)
        assert np.isclose(paired.mcnemar_test(table).p, mcnemar.pvalue, rtol=1e-12)


def test_stuart_maxwell_does_not_depend_on_the_category_left_out():
    _, _, pairs = scenario("course")
    table = pairs.table
    statistic = paired.stuart_maxwell_test(table).statistic
    for shift in range(1, 5):
        order = np.roll(np.arange(5), shift)
        moved = paired.stuart_maxwell_test(table[np.ix_(order, order)]).statistic
        assert np.isclose(moved, statistic, rtol=1e-12)


def test_unmatched_and_incomplete_pairs_are_counted():
    before_ids, after_ids = ["p1", "p2", "p3", "p4", "p5"], ["p2", "p3", "p4", "p6", "p7", "p8"]
    table = paired.pair_table(before_ids, [1, 2, 3, 4, 5], after_ids, [2, 9, np.nan, 3, 3, 3],
                              codes=[1, 2, 3, 4, 5])  # fmt: skip
    assert (table.unmatched_before, table.unmatched_after, table.incomplete) == (2, 3, 2)
    assert table.pairs == 1 and table.table[1, 1] == 1  # p2: 2 -> 2; p3 off-scale, p4 blank


def test_an_id_twice_in_one_wave_is_refused():
    with pytest.raises(paired.PairingError, match=r"repeated in the after wave: \['b'\]"):
        paired.pair_table(["a", "b"], [1, 2], ["a", "b", "b"], [1, 2, 3], codes=[1, 2, 3])


def test_tables_of_batches_add_up():
    rows, codes, pairs = scenario("course")
    parts = [rows.iloc[i::3] for i in range(3)]
    tables = [paired.pair_table(p["id"], p["before"], p["id"], p["after"], codes).table
              for p in parts]  # fmt: skip
    np.testing.assert_array_equal(sum(tables), pairs.table)


def test_no_change_gives_no_test():
    table = np.diag([3, 4, 5])
    test = paired.signed_rank_test(table, np.array([1, 2, 3]))
    assert test.n == 0 and test.zeros == 12 and np.isnan(test.p)
    assert np.isnan(paired.stuart_maxwell_test(table).statistic)


def test_categories_without_change_are_left_out_of_stuart_maxwell():
    """Everyone who chose code 1 chose it at both times: code 1 says nothing about change, and
    the statistic is that of the other categories (df one less)."""
    table = np.array([[6, 0, 0], [0, 4, 3], [0, 1, 5]])
    test = paired.stuart_maxwell_test(table)
    assert test.df == 1 and np.isclose(test.statistic, (3 - 1) ** 2 / (3 + 1))


@pytest.mark.slow
def test_live_r_gives_the_stored_numbers(tmp_path):
    if shutil.which("Rscript") is None:
        pytest.skip("R is not installed")
    probe = subprocess.run(["Rscript", "-e", "library(effectsize)"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("R's effectsize package is not installed")
    out = tmp_path / "paired.csv"
    subprocess.run(["Rscript", str(TESTS / "r" / "paired.R"), str(out)], cwd=TESTS.parent,
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    live, stored = read_expected(out), read_expected(EXPECTED)
    np.testing.assert_allclose(live["value"], stored["value"], rtol=1e-12, equal_nan=True)
    for name in SCENARIOS:
        assert compare(live, name) == []


@pytest.mark.parametrize("cells", [
    [(0, 1), (2, 0), (1, 3), (4, 0), (2, 5), (5, 1), (3, 4), (0, 3)],  # V below n(n + 1) / 4
    [(1, 0), (0, 2), (3, 1), (0, 4), (5, 2), (1, 5), (4, 3), (3, 0)],  # the mirror: V above
    [(0, 1), (1, 3), (2, 5), (0, 4)],  # every difference positive
])
def test_exact_p_without_zeros_or_ties_equals_scipys(cells):
    """Codes 2**k - 1 make every |after - before| distinct: no tie, no zero, n < 50, so the p is
    exact, scipy's ``wilcoxon(method="exact")``; V is the sum of the positive ranks."""
    codes = np.array([0, 1, 3, 7, 15, 31])
    table = np.zeros((6, 6), dtype=int)
    for before, after in cells:
        table[before, after] += 1
    d = np.array([codes[a] - codes[b] for b, a in cells], dtype=float)
    test = paired.signed_rank_test(table, codes)
    assert test.exact and test.n == len(cells) and test.zeros == 0
    assert test.statistic == stats.rankdata(np.abs(d))[d > 0].sum()
    assert test.p == pytest.approx(stats.wilcoxon(d, method="exact").pvalue, rel=1e-12)
    assert test.method == (
        "Wilcoxon signed-rank test of after - before, two-sided, exact null distribution "
        "(no zero or tied differences, n < 50; R wilcox.test paired)"
    )


# Edge cases and labels (issue 17, mutation survivors of paired.py): each number is checked
# against scipy, statsmodels or chi-squared by hand, never against our own earlier output.

APPROX_METHOD = (
    "Wilcoxon signed-rank test of after - before, two-sided, pairs without change dropped, "
    "mid-ranks for tied |differences|; normal approximation with tie correction, {how} "
    "(R wilcox.test paired)"
)
PRATT_METHOD = (
    "Wilcoxon signed-rank test of after - before, two-sided, Pratt's treatment of the pairs "
    "without change (ranked, then dropped); normal approximation with Cureton's adjustment and "
    "tie correction, {how} (scipy.stats.wilcoxon, pratt)"
)


def table_of(pairs, k):
    """The k x k before-by-after table of (before index, after index) pairs."""
    table = np.zeros((k, k), dtype=int)
    for before, after in pairs:
        table[before, after] += 1
    return table


def test_zero_method_other_than_wilcox_or_pratt_is_refused_by_name():
    with pytest.raises(ValueError, match=r"zero_method 'zsplit': expected 'wilcox' or 'pratt'"):
        paired.signed_rank_test(np.eye(2, dtype=int), np.array([1, 2]), zero_method="zsplit")


@pytest.mark.parametrize("correct", [True, False])
@pytest.mark.parametrize("zero_method", ["wilcox", "pratt"])
def test_normal_approximation_with_ties_and_zeros_equals_scipy(correct, zero_method):
    """Differences 1, 1, 2, -1, 0, 0 (ties and zeros): the normal approximation, scipy's, with
    its label saying which correction and which treatment of zeros."""
    codes = np.array([1, 2, 3])
    table = table_of([(0, 1), (1, 2), (0, 2), (1, 0), (0, 0), (2, 2)], 3)
    d = np.array([1, 1, 2, -1, 0, 0])
    test = paired.signed_rank_test(table, codes, correct=correct, zero_method=zero_method)
    theirs = stats.wilcoxon(d, zero_method=zero_method, correction=correct, method="asymptotic")
    assert test.p == pytest.approx(theirs.pvalue, rel=1e-12)
    assert (test.n, test.zeros, test.exact) == (4, 2, False)
    how = "with continuity correction" if correct else "without continuity correction"
    template = APPROX_METHOD if zero_method == "wilcox" else PRATT_METHOD
    assert test.method == template.format(how=how)


def test_ties_without_zeros_rule_out_the_exact_p():
    """Differences 1, 1, 3 (a tie of two, no zero, n < 50): R and scipy give the normal
    approximation."""
    codes = np.array([1, 2, 3, 4])
    table = table_of([(0, 1), (1, 2), (0, 3)], 4)
    test = paired.signed_rank_test(table, codes)
    theirs = stats.wilcoxon([1, 1, 3], correction=True, method="asymptotic")
    assert not test.exact and test.p == pytest.approx(theirs.pvalue, rel=1e-12)


def test_exact_argument_overrides_the_rule_both_ways():
    """exact=False: normal approximation even for 4 untied pairs; exact=True: exact p."""
    codes = np.array([0, 1, 3, 7, 15])
    table = table_of([(0, 1), (1, 3), (0, 4), (2, 0)], 5)  # differences 1, 6, 15, -3
    d = [1, 6, 15, -3]
    approx = paired.signed_rank_test(table, codes, exact=False)
    assert not approx.exact
    assert approx.p == pytest.approx(
        stats.wilcoxon(d, correction=True, method="asymptotic").pvalue, rel=1e-12
    )
    exact = paired.signed_rank_test(table, codes, exact=True)
    assert exact.exact
    assert exact.p == pytest.approx(stats.wilcoxon(d, method="exact").pvalue, rel=1e-12)


def distinct_differences(n):
    """n pairs on codes 2**i whose |after - before| are all distinct (every pair of codes at
    most once), alternating in sign."""
    codes = 2.0 ** np.arange(12)
    cells = [(i, j) for j in range(12) for i in range(j)][:n]
    cells = [(i, j) if m % 2 else (j, i) for m, (i, j) in enumerate(cells)]
    d = np.array([codes[a] - codes[b] for b, a in cells])
    assert len(np.unique(np.abs(d))) == n
    return codes, table_of(cells, 12), d


def test_the_exact_p_stops_at_50_non_zero_differences():
    """R's exact = NULL: exact for n < 50, normal approximation from 50 on."""
    codes, table, d = distinct_differences(49)
    test = paired.signed_rank_test(table, codes)
    assert test.exact and test.n == 49
    assert test.p == pytest.approx(stats.wilcoxon(d, method="exact").pvalue, rel=1e-10)
    codes, table, d = distinct_differences(50)
    test = paired.signed_rank_test(table, codes)
    assert not test.exact and test.n == 50
    theirs = stats.wilcoxon(d, correction=True, method="asymptotic").pvalue
    assert test.p == pytest.approx(theirs, rel=1e-12)


def test_one_pair_has_the_exact_p_of_one():
    test = paired.signed_rank_test(table_of([(0, 1)], 2), np.array([1, 2]))
    assert test.exact and test.n == 1 and test.p == 1.0
    assert stats.wilcoxon([1], method="exact").pvalue == 1.0


def test_an_exact_p_above_one_half_is_capped_at_one():
    """Differences -1, -2, 3: V = 3 = n (n + 1) / 4, P(V <= 3) = 5/8, two-sided p 1, not 5/4."""
    test = paired.signed_rank_test(table_of([(1, 0), (2, 0), (0, 3)], 4), np.arange(4))
    assert test.exact and test.statistic == 3
    assert test.p == 1.0 == stats.wilcoxon([-1, -2, 3], method="exact").pvalue


def test_a_statistic_at_its_mean_has_the_normal_p_of_one():
    """Differences 1 and -1 (tied): V = 1.5, the mean, so z = 0 with the continuity correction
    too (the correction is towards the mean, here nothing)."""
    test = paired.signed_rank_test(table_of([(0, 1), (1, 0)], 2), np.array([1, 2]))
    assert not test.exact and test.p == 1.0
    assert stats.wilcoxon([1, -1], correction=True, method="asymptotic").pvalue == 1.0


@pytest.mark.parametrize("zero_method", ["wilcox", "pratt"])
def test_all_differences_zero_give_nan_without_a_warning(zero_method):
    table = np.diag([2, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        test = paired.signed_rank_test(table, np.array([1, 2]), zero_method=zero_method)
        r = paired.rank_biserial(table, np.array([1, 2]))
    assert (test.n, test.zeros, test.exact) == (0, 5, False) and np.isnan(test.p)
    assert np.isnan(r.estimate) and np.isnan(r.ci_low) and r.n == 0
    assert np.isnan(paired.signed_rank_test(np.zeros((2, 2), int), np.array([1, 2])).p)


def test_pratt_counts_pairs_as_wilcox_does():
    _, codes, pairs = scenario("course")
    wilcox = paired.signed_rank_test(pairs.table, codes)
    pratt = paired.signed_rank_test(pairs.table, codes, zero_method="pratt")
    assert (pratt.n, pratt.zeros, pratt.exact) == (wilcox.n, wilcox.zeros, False)
    assert pratt.zeros > 0


def test_codes_of_an_unsigned_type_give_signed_differences():
    """Codes stored as uint8 (a compact column type): after - before must not wrap around."""
    table = np.array([[2, 5, 3], [1, 4, 6], [0, 2, 7]])
    small = np.array([1, 2, 3], dtype=np.uint8)
    assert paired.signed_rank_test(table, small) == paired.signed_rank_test(table, [1, 2, 3])
    assert paired.rank_biserial(table, small) == paired.rank_biserial(table, [1, 2, 3])


def test_tables_of_an_unsigned_type_give_the_same_tests():
    """Counts stored as uint8: differences of counts and of margins must not wrap around."""
    table = np.array([[5, 1, 4], [3, 6, 2], [2, 6, 7]])  # margins' differences 0, -2, 2
    small = table.astype(np.uint8)
    assert paired.stuart_maxwell_test(table).statistic > 0
    assert paired.mcnemar_test(small) == paired.mcnemar_test(table)
    assert paired.stuart_maxwell_test(small) == paired.stuart_maxwell_test(table)
    b, c = np.array([[4, 2], [7, 3]]), np.array([[4, 2], [7, 3]], dtype=np.uint8)
    assert paired.mcnemar_test(c) == paired.mcnemar_test(b)


def test_rank_biserial_with_half_point_codes_and_its_label():
    """Codes 1, 1.5, 2: differences of -0.5 are negative (not positive for being above -1);
    the label gives the confidence asked for."""
    codes = np.array([1, 1.5, 2])
    table = table_of([(1, 0), (2, 1), (0, 2), (0, 1), (1, 1)], 3)
    d = np.array([-0.5, -0.5, 1, 0.5])
    ranks = stats.rankdata(np.abs(d))
    expected = (ranks[d > 0].sum() - ranks[d < 0].sum()) / (4 * 5 / 2)
    r = paired.rank_biserial(table, codes, confidence=0.9)
    assert r.estimate == pytest.approx(expected, rel=1e-14) and r.n == 4
    assert r.method == (
        "matched-pairs rank-biserial correlation of after - before (> 0: higher after), "
        "non-zero differences; 90% normal interval on Fisher's z (effectsize::rank_biserial)"
    )


def test_rank_biserial_of_one_direction_is_one_without_a_warning():
    """r = 1: atanh(1) is infinite, so the interval is [1, 1], as effectsize's (the R numbers of
    the one-change scenario above)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = paired.rank_biserial(table_of([(0, 1), (0, 2), (1, 2)], 3), np.array([1, 2, 3]))
    assert (r.estimate, r.ci_low, r.ci_high) == (1.0, 1.0, 1.0)


def test_mcnemar_with_equal_off_diagonals_is_not_corrected():
    """b = c: R's mcnemar.test applies no correction (statistic 0, p 1)."""
    test = paired.mcnemar_test(np.array([[5, 4], [4, 9]]))
    assert (test.statistic, test.df, test.p) == (0.0, 1, 1.0)
    assert test.method == (
        "McNemar's chi-squared test without continuity correction (R mcnemar.test)"
    )


def test_mcnemar_corrected_and_not_equals_chi2_by_hand_and_near_the_exact_binomial():
    b, c = 3, 11
    table = np.array([[10, b], [c, 6]])
    corrected, plain = paired.mcnemar_test(table), paired.mcnemar_test(table, correct=False)
    assert corrected.statistic == pytest.approx((abs(b - c) - 1) ** 2 / (b + c), rel=1e-14)
    assert corrected.p == pytest.approx(stats.chi2.sf((abs(b - c) - 1) ** 2 / (b + c), 1))
    assert plain.statistic == pytest.approx((b - c) ** 2 / (b + c), rel=1e-14)
    assert plain.p == pytest.approx(stats.chi2.sf((b - c) ** 2 / (b + c), 1), rel=1e-12)
    label = "McNemar's chi-squared test {} continuity correction (R mcnemar.test)"
    assert (corrected.method, plain.method) == (label.format("with"), label.format("without"))
    exact = stats.binomtest(b, b + c, 0.5).pvalue  # what the correction is for: 0.057
    assert abs(corrected.p - exact) < 0.005 < abs(plain.p - exact)


def test_bowker_equals_chi2_by_hand():
    table = np.array([[5, 1, 4], [3, 6, 2], [2, 6, 7]])
    statistic = sum((table[i, j] - table[j, i]) ** 2 / (table[i, j] + table[j, i])
                    for i, j in [(0, 1), (0, 2), (1, 2)])  # fmt: skip
    for correct in [True, False]:  # no correction beyond two points
        test = paired.mcnemar_test(table, correct=correct)
        assert test.statistic == pytest.approx(statistic, rel=1e-14) and test.df == 3
        assert test.p == pytest.approx(stats.chi2.sf(statistic, 3), rel=1e-12)
        assert test.method == "Bowker's test of symmetry, chi-squared on 3 df (R mcnemar.test)"
    theirs = contingency_tables.SquareTable(table, shift_zeros=False).symmetry()
    assert test.statistic == pytest.approx(theirs.statistic, rel=1e-12)


def test_an_empty_off_diagonal_gives_nan_without_a_warning():
    """A 2 x 2 table nobody changed in, and a 3 x 3 with both cells of a pair empty: R's
    mcnemar.test gives NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        two = paired.mcnemar_test(np.array([[5, 0], [0, 3]]))
        three = paired.mcnemar_test(np.array([[5, 0, 1], [0, 3, 2], [4, 1, 2]]))
    assert np.isnan(two.statistic) and np.isnan(two.p) and two.df == 1
    assert np.isnan(three.statistic) and np.isnan(three.p) and three.df == 3


def test_stuart_maxwell_without_change_has_no_df_and_says_so():
    test = paired.stuart_maxwell_test(np.diag([3, 4, 5]))
    assert np.isnan(test.statistic) and np.isnan(test.p) and test.df == 0
    assert test.method == "Stuart-Maxwell test of marginal homogeneity, chi-squared on 0 df"


def test_stuart_maxwell_label_and_p_on_k_minus_one_df():
    table = np.array([[5, 1, 4], [3, 6, 2], [2, 6, 7]])
    test = paired.stuart_maxwell_test(table)
    theirs = contingency_tables.SquareTable(table, shift_zeros=False).homogeneity()
    assert test.df == 2 and test.p == pytest.approx(stats.chi2.sf(theirs.statistic, 2), rel=1e-10)
    assert test.method == "Stuart-Maxwell test of marginal homogeneity, chi-squared on 2 df"


def test_stuart_maxwell_of_two_separate_exchanges_is_nan():
    """Changes only between codes 1 and 2 and between 3 and 4: the covariance of the marginal
    differences is singular (the exchanges are two tables), so there is no test."""
    table = np.diag([3, 3, 3, 3])
    table[0, 1], table[1, 0], table[2, 3], table[3, 2] = 2, 1, 4, 1
    test = paired.stuart_maxwell_test(table)
    assert np.isnan(test.statistic) and np.isnan(test.p) and test.df == 3


def test_pair_table_keeps_the_codes_and_leaves_out_answers_between_or_outside_codes():
    """2.5 (between codes), 0 (below), 9 (above), None and NaN (blank) in either wave are
    incomplete pairs."""
    ids = ["a", "b", "c", "d", "e", "f", "g"]
    before = [1, 2.5, 0, 9, None, 2, 3]
    after = [2, 2, 2, 2, 2, None, np.nan]
    t = paired.pair_table(ids, before, ids, after, codes=[1, 2, 3])
    assert t.codes.tolist() == [1.0, 2.0, 3.0]
    assert t.incomplete == 6 and t.pairs == 1 and t.table[0, 1] == 1
    t = paired.pair_table(ids, after, ids, before, codes=[1, 2, 3])
    assert t.incomplete == 6 and t.pairs == 1 and t.table[1, 0] == 1


def test_ids_repeated_in_the_before_wave_are_named_five_at_most():
    ids = [f"p{i}" for i in range(7)]
    with pytest.raises(paired.PairingError) as error:
        paired.pair_table(ids + ids, [1] * 14, ["p0"], [1], codes=[1, 2])
    assert str(error.value) == (
        "linking ids repeated in the before wave: ['p0', 'p1', 'p2', 'p3', 'p4']; each person "
        "must answer each wave once (run the duplicate rule per wave)"
    )
