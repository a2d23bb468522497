"""The registry of statistical tests a comparison can run: name -> one function and its words.

A test takes the respondents of one outcome (a ``Sample``) and the settings it reads, and returns
the fields of its row of ``comparisons.csv`` (statistic, p, method, effect size and its interval
with the interval's method) and, if it has them, its post-hoc pairs. A comparison names its test
(config ``comparisons.<name>.test``), or leaves ``auto``: the registered test for its number of
groups. Each test carries its words (``RankTest``): the report's captions (likertflow.captions)
and config/README.md (``likertflow config-readme``) are written from them. A new test is one
function here with its ``register`` call, and one entry in the schema's enum.

The registry is read at parse time (the report's words), so this module imports nothing heavy:
each test imports numpy and the statistics it uses when it runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from likertflow.settings import ComparisonSettings

if TYPE_CHECKING:
    import numpy as np

EXACT_MAX_N = 8  # scipy's rule for an exact Mann-Whitney p: no ties and a group this small
AUTO = "auto"


@dataclass(frozen=True)
class Sample:
    """The respondents of one outcome with a value, in non-empty groups, as their count table:
    every test is a function of it (so of counted cells, issue 22)."""

    labels: list[str]
    table: np.ndarray  # groups x distinct values counts
    distinct: np.ndarray  # the table's columns' values, increasing (float64)
    sizes: np.ndarray
    mean_ranks: np.ndarray

    @property
    def values(self) -> np.ndarray:
        """Each respondent's value, group by group (in increasing order within a group)."""
        import numpy as np

        return np.repeat(np.tile(self.distinct, len(self.table)), np.ravel(self.table))

    @property
    def groups(self) -> np.ndarray:
        """Each respondent's group (0 .. k - 1), in the order of ``values``."""
        import numpy as np

        return np.repeat(np.arange(len(self.table)), np.sum(self.table, axis=1))


TestFunction = Callable[[Sample, ComparisonSettings], dict]


@dataclass(frozen=True)
class RankTest:
    """One test of the registry: its function, the numbers of groups it takes, and its words.

    The words are reStructuredText that reads as Markdown too (names in double backquotes).
    ``interval`` and ``posthoc_method`` may name the run's settings (``words`` fills them in):
    ``{level}`` (e.g. 95%), ``{complement}`` (1 - the confidence level), ``{resamples}`` and
    ``{seed}``."""

    name: str  # the config name (comparisons.<name>.test)
    min_groups: int
    max_groups: int | None  # None: any number
    run: TestFunction
    title: str  # the test as comparisons.csv's ``test`` column and the captions name it
    description: str  # what it asks of the data (captions, config/README.md)
    method: str  # how the statistic and its p are computed
    effect: str  # the name of its effect size
    interval: str  # the effect size and its interval
    reference: str  # where the test and its effect size come from (docs/statistics.md: in full)
    posthoc: str = ""  # the name of its post-hoc pairs, if it gives them
    posthoc_method: str = ""  # how they are computed

    @property
    def groups(self) -> str:
        """The numbers of groups it takes, in words ("2 groups", "2 or more groups")."""
        if self.max_groups is None:
            return f"{self.min_groups} or more groups"
        if self.max_groups == self.min_groups:
            return f"{self.min_groups} groups"
        return f"{self.min_groups} to {self.max_groups} groups"

    def words(self, settings: ComparisonSettings) -> dict[str, str]:
        """Its words with the run's settings filled in (the report's captions)."""
        values = {
            "level": f"{100 * settings.confidence_level:g}%",
            "complement": f"{1 - settings.confidence_level:g}",
            "resamples": settings.bootstrap_resamples,
            "seed": settings.seed,
        }
        fixed = ["name", "title", "description", "method", "effect", "reference", "posthoc"]
        return {
            **{key: getattr(self, key) for key in fixed},
            "groups": self.groups,
            "interval": self.interval.format(**values),
            "posthoc_method": self.posthoc_method.format(**values),
        }


TESTS: dict[str, RankTest] = {}


def register(name: str, min_groups: int, max_groups: int | None = None, **words: str):
    """Decorator: register a test function under ``name`` (the config name), with its words
    (the fields of ``RankTest`` from ``title`` on)."""

    def wrap(function: TestFunction) -> TestFunction:
        TESTS[name] = RankTest(name, min_groups, max_groups, function, **words)
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


def auto_choices() -> dict[str, str]:
    """What ``auto`` runs: test name -> the numbers of groups it is chosen for, in words."""
    bounds = [t.min_groups for t in TESTS.values()] + [
        t.max_groups + 1 for t in TESTS.values() if t.max_groups is not None
    ]
    chosen: dict[str, list[int]] = {}
    for n in range(min(bounds), max(bounds) + 1):
        try:
            chosen.setdefault(select_test(n, AUTO).name, []).append(n)
        except ValueError:  # no test takes n groups
            continue
    top = max(bounds)
    return {
        name: (
            f"{ns[0]} or more groups" if ns[-1] == top and TESTS[name].max_groups is None
            else f"{ns[0]} groups" if len(ns) == 1
            else f"{ns[0]} to {ns[-1]} groups"
        )
        for name, ns in chosen.items()
    }  # fmt: skip


def auto_description() -> str:
    """``auto`` in words: which test it runs for which numbers of groups."""
    return "chosen by the number of groups: " + ", ".join(
        f"{TESTS[name].title} (``{name}``) for {groups}" for name, groups in auto_choices().items()
    )


def _interval_settings(settings: ComparisonSettings) -> tuple[float, int, int, str]:
    confidence = settings.confidence_level
    return confidence, settings.bootstrap_resamples, settings.seed, f"{100 * confidence:g}%"


@register(
    "mann_whitney",
    min_groups=2,
    max_groups=2,
    title="Mann-Whitney U",
    description="whether one of two groups tends to rank higher than the other",
    method=(
        "U of the first group (U1), two-sided; p from the normal approximation with tie and "
        "continuity correction, or from the exact null distribution when there are no ties and a "
        "group has at most 8 values"
    ),
    effect="rank-biserial r",
    interval=(
        "the rank-biserial correlation r = 2 U1 / (n1 n2) - 1 (positive when the first group "
        "ranks higher), with a two-sided {level} percentile bootstrap interval ({resamples} "
        "resamples of respondents within groups, seed {seed})"
    ),
    reference=(
        "Mann and Whitney (1947); rank-biserial r: Wendt (1972), Kerby (2014); bootstrap: Efron "
        "and Tibshirani (1993)"
    ),
)
def mann_whitney(sample: Sample, settings: ComparisonSettings) -> dict:
    """Mann-Whitney U of the first group (scipy's arithmetic, from the count table unless the p
    is exact), its method stated, and the rank-biserial r."""
    import numpy as np

    from likertflow.pvalues import log10_normal_p
    from likertflow.rank_stats import mann_whitney_p, mann_whitney_u, mann_whitney_z, rank_biserial
    from likertflow.resampling import bootstrap_interval

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
        log10_p = math.log10(p)  # at least 2 / C(16, 8): never near underflow
    else:
        u1, p = float(mann_whitney_u(sample.table)), mann_whitney_p(sample.table)
        log10_p = log10_normal_p(mann_whitney_z(sample.table), p)
    how = (
        "exact null distribution (no ties)"
        if exact
        else "normal approximation with tie and continuity correction"
    )
    confidence, resamples, seed, level = _interval_settings(settings)
    low, high = bootstrap_interval(sample.table, rank_biserial, confidence, resamples, seed)
    return {
        "statistic": u1,
        "p": p,
        "log10_p": log10_p,
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


@register(
    "kruskal_wallis",
    min_groups=2,
    title="Kruskal-Wallis H",
    description="whether the groups differ in how they rank",
    method="tie-corrected H; p from the chi-squared distribution on k - 1 degrees of freedom",
    effect="epsilon-squared",
    interval=(
        "epsilon-squared = H / (n - 1), with a one-sided {level} interval [lower bound, 1]: "
        "epsilon-squared cannot go below 0 and is about (k - 1) / (n - 1) when groups do not "
        "differ, so the lower bound is found by inverting the noncentral chi-squared distribution "
        "of H; it is 0 whenever the test's p is at least {complement}, so the interval excludes 0 "
        "exactly when the test finds a difference"
    ),
    reference=(
        "Kruskal and Wallis (1952); epsilon-squared: Kelley (1935), Tomczak and Tomczak (2014); "
        "its interval: Steiger (2004); Dunn's pairs: Dunn (1964)"
    ),
    posthoc="Dunn's pairs",
    posthoc_method=(
        "Dunn's (1964) z = (mean rank a - mean rank b) / SE, with the tie-corrected variance "
        "(z > 0: ``group_a`` ranks higher); two-sided normal p, adjusted over the pairs of the "
        "outcome by ``analysis.p_adjust``"
    ),
)
def kruskal_wallis(sample: Sample, settings: ComparisonSettings) -> dict:
    """Kruskal-Wallis H (scipy's arithmetic, from the count table), epsilon-squared with its
    lower bound, and Dunn's pairs."""
    from likertflow.dunn import dunn_table
    from likertflow.pvalues import log10_chi2_p
    from likertflow.rank_stats import (
        chi2_p,
        epsilon_squared,
        epsilon_squared_lower_bound,
        kruskal_wallis_h,
        rank_sums,
    )

    k, n = len(sample.labels), int(sample.sizes.sum())
    h = kruskal_wallis_h(sample.table)
    confidence, _, _, level = _interval_settings(settings)
    adjust_method = settings.p_adjust
    p = chi2_p(h, k - 1)
    return {
        "statistic": h,
        "p": p,
        "log10_p": log10_chi2_p(h, k - 1, p),
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
