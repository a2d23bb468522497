"""Paired before-and-after statistics from the before-by-after table (issue 23, item 4).

tests/expected/paired.csv was made by the command in its header (R 4.2.2, effectsize 0.8.3) from
tests/data/paired.csv (tests/r/paired_data.py): wilcox.test(paired = TRUE), effectsize's
rank_biserial, mcnemar.test and the Stuart-Maxwell statistic written out in R. Independent
checks: scipy.stats.wilcoxon and rankdata on the rows, statsmodels' SquareTable and mcnemar.
"""

from __future__ import annotations

import shutil
import subprocess
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
