"""The registry of statistical tests a comparison can run: name -> one function.

A test takes the respondents of one outcome (a ``Sample``) and the settings it reads, and returns
the fields of its row of ``comparisons.csv`` (statistic, p, method, effect size and its interval
with the interval's method) and, if it has them, its post-hoc pairs. A comparison names its test
(config ``comparisons.<name>.test``), or leaves ``auto``: the registered test for its number of
groups. A new test is one function here, one ``register`` call and one entry in the schema's enum.

- ``mann_whitney`` (2 groups): Mann-Whitney U of the first group, two-sided, as scipy computes it
  (from the count table, see ``rank_stats.mann_whitney_p``); normal
  approximation with tie and continuity correction, or the exact null distribution when there are
  no ties and a group has at most 8 values (scipy's own rule). Effect size: rank-biserial r =
  2 U1 / (n1 n2) - 1, positive when the first group ranks higher, with a two-sided percentile
  bootstrap interval (r is centred, bounded by -1 and 1, and has no boundary at its null value 0).
- ``kruskal_wallis`` (2 or more groups; ``auto`` uses it from 3): tie-corrected H as scipy
  computes it (from the count table, ``rank_stats.kruskal_wallis_h``),
  chi-squared on k - 1 df; epsilon-squared = H / (n - 1) with a one-sided lower confidence bound
  from the noncentral chi-squared distribution of H (upper bound 1), so that the interval excludes
  0 exactly when the test is significant; Dunn's pairs adjusted within the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from likertflow.dunn import dunn_table
from likertflow.rank_stats import (
    chi2_p,
    epsilon_squared,
    epsilon_squared_lower_bound,
    kruskal_wallis_h,
    mann_whitney_p,
    mann_whitney_u,
    rank_biserial,
    rank_sums,
)
from likertflow.resampling import bootstrap_interval
from likertflow.settings import ComparisonSettings

EXACT_MAX_N = 8  # scipy's rule for an exact Mann-Whitney p: no ties and a group this small
AUTO = "auto"


@dataclass(frozen=True)
class Sample:
    """The respondents of one outcome with a value, in non-empty groups."""

    values: np.ndarray  # float64
    groups: np.ndarray  # 0 .. k - 1
    labels: list[str]
    table: np.ndarray  # groups x distinct values counts
    sizes: np.ndarray
    mean_ranks: np.ndarray


@dataclass(frozen=True)
class RankTest:
    name: str
    min_groups: int
    max_groups: int | None
    run: Callable[[Sample, ComparisonSettings], dict]


TESTS: dict[str, RankTest] = {}


def register(key: str, min_groups: int, max_groups: int | None = None):
    """Decorator: register a test function under ``key`` (the config name)."""

    def wrap(function: Callable[[Sample, ComparisonSettings], dict]) -> Callable:
        TESTS[key] = RankTest(key, min_groups, max_groups, function)
        return function

    return wrap


def select_test(n_groups: int, name: str) -> RankTest:
    """The test named in config, or for ``auto`` the first registered test that takes the
    number of groups (registration order: the most specific first)."""
    candidates = [TESTS[name]] if name != AUTO else list(TESTS.values())
    for test in candidates:
        if n_groups >= test.min_groups and (test.max_groups is None or n_groups <= test.max_groups):
            return test
    raise ValueError(f"test {name!r} cannot compare {n_groups} groups")


def _interval_settings(settings: ComparisonSettings) -> tuple[float, int, int, str]:
    confidence = settings.confidence_level
    return confidence, settings.bootstrap_resamples, settings.seed, f"{100 * confidence:g}%"


@register("mann_whitney", min_groups=2, max_groups=2)
def mann_whitney(sample: Sample, settings: ComparisonSettings) -> dict:
    """Mann-Whitney U of the first group (scipy's arithmetic, from the count table unless the p
    is exact), its method stated, and the rank-biserial r."""
    no_ties = sample.table.shape[1] == len(sample.values)
    exact = no_ties and min(sample.sizes) <= EXACT_MAX_N
    labels = sample.labels
    if exact:  # at most 8 respondents in a group: scipy's exact null distribution
        from scipy import stats  # here: 0.4 s of start-up that most comparison jobs never need

        values, groups = sample.values, sample.groups
        result = stats.mannwhitneyu(
            values[groups == 0], values[groups == 1], alternative="two-sided", method="exact"
        )
        u1, p = float(result.statistic), float(result.pvalue)
    else:
        u1, p = float(mann_whitney_u(sample.table)), mann_whitney_p(sample.table)
    how = (
        "exact null distribution (no ties)"
        if exact
        else "normal approximation with tie and continuity correction"
    )
    confidence, resamples, seed, level = _interval_settings(settings)
    low, high = bootstrap_interval(sample.table, rank_biserial, confidence, resamples, seed)
    return {
        "test": "Mann-Whitney U",
        "statistic": u1,
        "p": p,
        "method": f"Mann-Whitney U of {labels[0]} (U1), two-sided, {how}",
        "df": np.nan,
        "effect_size_name": f"rank-biserial r (> 0: {labels[0]} ranks higher)",
        "effect_size": float(rank_biserial(sample.table)),
        "effect_ci_low": low,
        "effect_ci_high": high,
        "effect_ci_method": (
            f"{level} two-sided percentile bootstrap, {resamples} resamples of respondents "
            f"within groups, seed {seed}"
        ),
    }


@register("kruskal_wallis", min_groups=2)
def kruskal_wallis(sample: Sample, settings: ComparisonSettings) -> dict:
    """Kruskal-Wallis H (scipy's arithmetic, from the count table), epsilon-squared with its
    lower bound, and Dunn's pairs."""
    k, n = len(sample.labels), int(sample.sizes.sum())
    h = kruskal_wallis_h(sample.table)
    confidence, _, _, level = _interval_settings(settings)
    adjust_method = settings.p_adjust
    return {
        "test": "Kruskal-Wallis H",
        "statistic": h,
        "p": chi2_p(h, k - 1),
        "method": f"Kruskal-Wallis H, tie-corrected, chi-squared approximation on {k - 1} df",
        "df": k - 1,
        "effect_size_name": "epsilon-squared = H/(n-1)",
        "effect_size": float(epsilon_squared(sample.table)),
        "effect_ci_low": epsilon_squared_lower_bound(h, n, k, confidence),
        "effect_ci_high": 1.0,
        "effect_ci_method": (
            f"{level} one-sided interval [lower bound, 1]: lower bound lambda/(n-1) from the "
            f"noncentral chi-squared distribution of H on {k - 1} df, 0 when the test's p >= "
            f"{1 - confidence:g}"
        ),
        "posthoc": dunn_table(
            sample.labels,
            sample.mean_ranks,
            sample.sizes,
            float(rank_sums(sample.table)[1]),
            adjust_method,
        ),  # fmt: skip
    }
