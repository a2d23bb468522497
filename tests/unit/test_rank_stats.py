"""Rank statistics (likertflow.rank_stats): epsilon-squared of stacked tables and its bounds;
effect-size intervals that do not mislead (how often they cover the null value when groups do
not differ) and the epsilon-squared bound against R's effectsize."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from likertflow.rank_stats import (
    count_table,
    epsilon_squared,
    epsilon_squared_lower_bound,
    kruskal_h,
    rank_biserial,
)
from likertflow.resampling import bootstrap_interval
from scipy import optimize, stats


def test_epsilon_squared_of_a_stack_is_each_tables_own():
    rng = np.random.default_rng(2)
    values = rng.integers(1, 6, 60).astype(float)
    groups = np.repeat([0, 1, 2], [15, 20, 25])
    first = count_table(values, groups, 3)
    second = count_table(values[::-1], groups, 3)
    stacked = epsilon_squared(np.stack([first, second]))
    assert stacked.tolist() == pytest.approx([epsilon_squared(first), epsilon_squared(second)])


def test_epsilon_squared_lower_bound_never_exceeds_one():
    assert epsilon_squared_lower_bound(h=1e4, n=10, k=3, confidence=0.95) == 1.0


LIKERT = np.array([0.10, 0.20, 0.30, 0.25, 0.15])  # one 5-point answer distribution for all


def null_tables(rng, sizes, repeats):
    """Count tables (repeats x groups x 5) of groups drawn from the same answer distribution."""
    return np.stack([rng.multinomial(n, LIKERT, size=repeats) for n in sizes], axis=1)


def test_epsilon_squared_interval_covers_zero_at_its_nominal_rate_under_no_difference():
    rng = np.random.default_rng(20200507)
    sizes, repeats, confidence = (20, 35, 50), 4000, 0.95
    tables = null_tables(rng, sizes, repeats)
    h = kruskal_h(tables)
    n = sum(sizes)
    lower = np.array([epsilon_squared_lower_bound(x, n, len(sizes), confidence) for x in h])
    coverage = np.mean(lower == 0)
    # Monte Carlo sd of the coverage is sqrt(.95 * .05 / 4000) = 0.0034; the chi-squared
    # approximation of tied H at these n adds about 0.005. 0.015 is 3 sd plus that.
    assert coverage == pytest.approx(confidence, abs=0.015)
    # The bound excludes 0 exactly when the Kruskal-Wallis test rejects at 1 - confidence.
    np.testing.assert_array_equal(lower > 0, stats.chi2.sf(h, len(sizes) - 1) < 1 - confidence)
    # The old percentile bootstrap of H/(n-1) excluded 0 for every table: H > 0 whenever the
    # groups' mean ranks differ at all. The point estimate still does; the interval no longer.
    assert np.mean(h / (n - 1) > 0) > 0.99


@pytest.mark.parametrize(
    "h, df, r_lambda",
    # R 4.2.2, effectsize 0.8.3:
    # Rscript -e 'f <- effectsize:::.get_ncp_chi; for (h in c(10, 25.5, 40))
    #   for (df in c(2,4)) print(c(h, df, f(h, df, 0.90)))'   (first of the two bounds)
    [
        (10, 2, 1.602131), (10, 4, 0.2193945), (25.5, 2, 10.77041),
        (25.5, 4, 9.131288), (40, 2, 21.03827), (40, 4, 19.31876),
    ],
)  # fmt: skip
def test_epsilon_squared_lower_bound_is_r_effectsize_noncentrality(h, df, r_lambda):
    n = 201
    bound = epsilon_squared_lower_bound(h, n, df + 1, 0.95)
    # R prints 7 significant digits
    assert bound * (n - 1) == pytest.approx(r_lambda, rel=2e-6)


@pytest.mark.parametrize("sizes", [(12, 15), (40, 60)])
def test_rank_biserial_interval_covers_zero_near_its_nominal_rate_under_no_difference(sizes):
    rng = np.random.default_rng(7)
    repeats, confidence = 300, 0.95
    tables = null_tables(rng, sizes, repeats)
    covered = []
    for seed, table in enumerate(tables):
        low, high = bootstrap_interval(table, rank_biserial, confidence, 1000, seed)
        covered.append(low <= 0 <= high)
    # Monte Carlo sd of the coverage is sqrt(.95 * .05 / 300) = 0.0126; measured 0.967 and 0.960
    # here. 0.035 is nearly 3 sd: a 90 % interval (coverage about 0.90) fails it.
    assert np.mean(covered) == pytest.approx(confidence, abs=0.035)


def test_h_of_groups_that_all_give_one_answer_is_nan_without_a_warning():
    # every respondent ties, so the tie correction is 0: H is undefined (scipy's kruskal says
    # so too), and the job's log gets no RuntimeWarning. Groups of 3, 4, 5 make H's numerator
    # exactly 0 (0/0); groups of 1, 1, 23 leave it at 1.4e-14 by rounding (x/0)
    tables = np.zeros((2, 3, 5))
    tables[0, :, 2] = [3, 4, 5]
    tables[1, :, 1] = [1, 1, 23]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = kruskal_h(tables)
    assert np.isnan(h).all()


def test_the_lower_bound_at_a_low_confidence_level_searches_past_h():
    # at 20 % the bound is where H = 10 is the 80 % upper quantile: a noncentrality above H
    # itself (ncx2.sf(10, 2, 10) is about 0.55), so the search widens its bracket first
    h, n, k = 10.0, 100, 3
    assert stats.ncx2.sf(h, k - 1, h) < 0.8
    noncentrality = optimize.brentq(lambda x: stats.ncx2.sf(h, k - 1, x) - 0.8, 0.0, 1000.0)
    bound = epsilon_squared_lower_bound(h, n, k, confidence=0.2)
    assert bound == pytest.approx(noncentrality / (n - 1), rel=1e-9)
