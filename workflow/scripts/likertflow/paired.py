"""Paired (before-and-after) designs: everything from the before-by-after table of answer codes.

Two questionnaires or two waves declared as paired by a linking id give, per statement, the
k x k table of (before code, after code) counts over the matched people (``pair_table``). The
table is all the statistics below need, so it is what a pipeline stores; it adds up over
batches of pairs once the pairs are formed (forming them needs only the linking keys and codes,
small like the duplicate rule's keys).

- ``signed_rank_test``: Wilcoxon's signed-rank test of the differences after - before, as R's
  ``wilcox.test(after, before, paired = TRUE)``; ``zero_method = "pratt"`` as an alternative.
- ``rank_biserial``: the matched-pairs rank-biserial correlation with its interval, as
  ``effectsize::rank_biserial(after - before)``.
- ``mcnemar_test``: R's ``mcnemar.test`` (McNemar's test with continuity correction for two
  points, Bowker's test of symmetry for more).
- ``stuart_maxwell_test``: the Stuart-Maxwell test of marginal homogeneity.
- ``margins``: the before and after distributions (for the figure of the shift).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

EXACT_MAX_N = 50  # wilcox.test(exact = NULL): exact below 50 non-zero differences
SIGNED_RANK = "Wilcoxon signed-rank test of after - before, two-sided"  # every method text's start


class PairingError(ValueError):
    """Pairs that cannot be formed as declared."""


@dataclass(frozen=True)
class PairedTable:
    """The before-by-after table: ``table[i, j]`` people answered ``codes[i]`` before and
    ``codes[j]`` after. ``unmatched_before`` / ``unmatched_after``: ids in one wave only;
    ``incomplete``: matched ids without an on-scale answer at both times (left out)."""

    codes: np.ndarray
    table: np.ndarray
    unmatched_before: int
    unmatched_after: int
    incomplete: int

    @property
    def pairs(self) -> int:
        return int(self.table.sum())


def pair_table(before_ids, before_codes, after_ids, after_codes, codes) -> PairedTable:
    """Match the two waves by linking id and count the (before, after) answer pairs.

    ``codes``: the statement's on-scale codes in order; an answer not among them (missing,
    off-scale such as "don't know") leaves its pair out, counted in ``incomplete``. An id twice
    in one wave is refused (the duplicate rule runs within each wave first, and never across
    waves: a person's two waves are not duplicates).

    Examples
    --------
    >>> t = pair_table(["a", "b", "c", "d"], [1, 2, 2, 3], ["b", "c", "d", "e"], [3, 2, np.nan, 1],
    ...                codes=[1, 2, 3])
    >>> t.table.tolist(), t.unmatched_before, t.unmatched_after, t.incomplete
    ([[0, 0, 0], [0, 1, 1], [0, 0, 0]], 1, 1, 1)
    """
    codes = np.asarray(codes, dtype="float64")
    waves = []
    for name, ids, answers in [("before", before_ids, before_codes),
                               ("after", after_ids, after_codes)]:  # fmt: skip
        ids = np.asarray(ids)
        unique, counts = np.unique(ids, return_counts=True)
        if np.any(counts > 1):
            raise PairingError(
                f"linking ids repeated in the {name} wave: {unique[counts > 1][:5].tolist()}; "
                "each person must answer each wave once (run the duplicate rule per wave)"
            )
        waves.append((ids, np.asarray(answers, dtype="float64")))
    (ids_b, answers_b), (ids_a, answers_a) = waves
    common, in_b, in_a = np.intersect1d(ids_b, ids_a, return_indices=True)
    b, a = answers_b[in_b], answers_a[in_a]
    row = np.searchsorted(codes, b)
    column = np.searchsorted(codes, a)
    row_ok = (row < len(codes)) & (codes[np.minimum(row, len(codes) - 1)] == b)
    column_ok = (column < len(codes)) & (codes[np.minimum(column, len(codes) - 1)] == a)
    complete = row_ok & column_ok
    k = len(codes)
    table = np.bincount(row[complete] * k + column[complete], minlength=k * k).reshape(k, k)
    return PairedTable(
        codes, table, len(ids_b) - len(common), len(ids_a) - len(common),
        int((~complete).sum()),
    )  # fmt: skip


def _differences(table: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct after - before differences and how many pairs have each."""
    codes = np.asarray(codes, dtype="float64")
    difference = codes[None, :] - codes[:, None]  # row: before, column: after
    values, index = np.unique(difference.ravel(), return_inverse=True)
    counts = np.bincount(index, weights=np.asarray(table, dtype="float64").ravel())
    return values, counts


def _signed_ranks(values, counts, zero_method):
    """Mid-ranks of |difference| (zeros included in the ranking for Pratt, then dropped)."""
    keep = counts > 0
    values, counts = values[keep], counts[keep]
    if zero_method == "wilcox":
        keep = values != 0
        values, counts = values[keep], counts[keep]
    magnitude, index = np.unique(np.abs(values), return_inverse=True)
    ties = np.bincount(index, weights=counts)
    ranks = np.cumsum(ties) - (ties - 1) / 2
    return values, counts, ranks[index], ties, magnitude


def _signrank_distribution(n: int) -> np.ndarray:
    """Counts of the 2**n sign patterns by V = sum of the positive ranks 1..n (R's dsignrank
    times 2**n), by the usual recursion over ranks."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for rank in range(1, n + 1):
        counts[rank:] = counts[rank:] + counts[:-rank].copy()
    return counts


@dataclass(frozen=True)
class SignedRankTest:
    """Wilcoxon's signed-rank test of after - before: ``statistic`` V (sum of the ranks of the
    positive differences), two-sided ``p``, ``n`` non-zero differences (the pairs tested),
    ``zeros`` pairs without change, ``exact`` whether p is from the exact null distribution."""

    statistic: float
    p: float
    n: int
    zeros: int
    exact: bool
    method: str


def signed_rank_test(
    table: np.ndarray,
    codes: np.ndarray,
    correct: bool = True,
    exact: bool | None = None,
    zero_method: str = "wilcox",
) -> SignedRankTest:
    """Wilcoxon's signed-rank test of the differences after - before from the before-by-after
    table, two-sided, as R's ``wilcox.test(after, before, paired = TRUE)`` (defaults
    ``exact = NULL``, ``correct = TRUE``).

    Rule (R's): pairs without change (zero differences) are dropped and the others ranked by
    |difference| with mid-ranks for ties; V is the sum of the ranks of the positive differences.
    The p is exact (the null distribution of V over the 2**n sign patterns) when ``exact`` is
    None and fewer than 50 non-zero differences remain, or ``exact`` is True, and in both cases
    only if no difference was zero and no |difference| is tied (R refuses an exact p then, and
    warns); otherwise it is the normal approximation with the tie correction
    sum(t**3 - t) / 48 of the variance and, with ``correct``, the continuity correction 0.5
    towards the mean. On Likert codes ties are the rule, so the p is almost always the normal
    approximation.

    ``zero_method = "pratt"``: Pratt's (1959) variant, zero differences ranked with the others
    and their ranks then dropped, normal approximation with Cureton's adjustment of mean and
    variance (scipy.stats.wilcoxon(zero_method = "pratt", method = "approx")); not R's default.

    Examples
    --------
    >>> codes = np.array([1, 2, 3])
    >>> table = np.array([[2, 5, 3], [1, 4, 6], [0, 2, 7]])  # rows before, columns after
    >>> test = signed_rank_test(table, codes)
    >>> test.statistic, round(test.p, 6), test.n, test.zeros, test.exact
    (130.5, 0.006668, 17, 13, False)
    """
    if zero_method not in ("wilcox", "pratt"):
        raise ValueError(f"zero_method {zero_method!r}: expected 'wilcox' or 'pratt'")
    values, counts = _differences(table, codes)
    zeros = int(counts[values == 0].sum())
    values, counts, ranks, ties, magnitude = _signed_ranks(values, counts, zero_method)
    nonzero = values != 0
    n = int(counts[nonzero].sum())
    statistic = float((counts * ranks)[values > 0].sum())
    if zero_method == "pratt":
        return _pratt(statistic, n, zeros, ties, magnitude, correct)
    exact_p = (n < EXACT_MAX_N) if exact is None else exact
    tied = bool(np.any(ties > 1))
    if exact_p and not tied and zeros == 0 and n > 0:
        counts_v = _signrank_distribution(n)
        cumulative = np.cumsum(counts_v) / 2.0**n  # P(V <= v)
        v = int(round(statistic))
        if statistic > n * (n + 1) / 4:
            p = 1 - cumulative[v - 1]  # P(V >= v)
        else:
            p = cumulative[v]
        p = min(2 * p, 1.0)
        method = (
            f"{SIGNED_RANK}, exact null distribution (no zero or tied differences, n < 50; "
            "R wilcox.test paired)"
        )
        return SignedRankTest(statistic, float(p), n, zeros, True, method)
    shift = statistic - n * (n + 1) / 4
    sigma = np.sqrt(n * (n + 1) * (2 * n + 1) / 24 - (ties**3 - ties).sum() / 48)
    return _normal_test(
        statistic, n, zeros, shift, sigma, correct,
        "pairs without change dropped, mid-ranks for tied |differences|; normal approximation "
        "with tie correction", "R wilcox.test paired",
    )  # fmt: skip


def _normal_test(statistic, n, zeros, shift, sigma, correct, treatment, source) -> SignedRankTest:
    """The test by the normal approximation: the two-sided p of a statistic ``shift`` from its
    mean with standard deviation ``sigma``, with a continuity correction of 1/2 towards the mean
    if ``correct`` (NaN when sigma is 0: every difference tied); its method text names how the
    pairs without change were treated (``treatment``), the correction and the ``source``."""
    correction = 0.5 * np.sign(shift) if correct else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (shift - correction) / sigma
    p = float(2 * special.ndtr(-abs(z))) if np.isfinite(z) else np.nan
    how = "with continuity correction" if correct else "without continuity correction"
    method = f"{SIGNED_RANK}, {treatment}, {how} ({source})"
    return SignedRankTest(statistic, p, n, zeros, False, method)


def _pratt(statistic, n, zeros, ties, magnitude, correct):
    """Pratt's variant with the normal approximation, as scipy.stats.wilcoxon computes it."""
    count = n + zeros
    mean = count * (count + 1) / 4 - zeros * (zeros + 1) / 4
    variance = count * (count + 1) * (2 * count + 1) - zeros * (zeros + 1) * (2 * zeros + 1)
    nonzero_ties = ties[magnitude != 0]
    variance -= 0.5 * (nonzero_ties * (nonzero_ties**2 - 1)).sum()
    sigma = np.sqrt(variance / 24)
    return _normal_test(
        statistic, n, zeros, statistic - mean, sigma, correct,
        "Pratt's treatment of the pairs without change (ranked, then dropped); normal "
        "approximation with Cureton's adjustment and tie correction", "scipy.stats.wilcoxon, pratt",
    )  # fmt: skip


@dataclass(frozen=True)
class RankBiserial:
    """The matched-pairs rank-biserial correlation r (> 0: higher after) and its interval."""

    estimate: float
    ci_low: float
    ci_high: float
    n: int
    method: str


def rank_biserial(table: np.ndarray, codes: np.ndarray, confidence: float = 0.95) -> RankBiserial:
    """Matched-pairs rank-biserial correlation of after - before (Kerby 2014): r = (T+ - T-) / S
    over the non-zero differences, T+ and T- the sums of the ranks of the positive and negative
    ones (mid-ranks of |difference|), S = n (n + 1) / 2, as ``effectsize::rank_biserial(after -
    before)``; its interval tanh(atanh(r) -+ z se) with se = sqrt((2 n**3 + 3 n**2 + n) / 6) / S
    (effectsize's normal interval on Fisher's z), n the non-zero differences.

    effectsize 0.8.3 given the two samples, ``rank_biserial(after, before, paired = TRUE)``,
    counts for the interval the non-zero values of ``after`` rather than of the differences
    (the same estimate, an interval from all pairs when no code is 0); this follows its
    difference form, where both use the non-zero differences.

    Examples
    --------
    >>> codes = np.array([1, 2, 3])
    >>> table = np.array([[2, 5, 3], [1, 4, 6], [0, 2, 7]])
    >>> r = rank_biserial(table, codes)
    >>> round(r.estimate, 6), round(r.ci_low, 6), round(r.ci_high, 6), r.n
    (0.705882, 0.325428, 0.88963, 17)
    """
    values, counts = _differences(table, codes)
    values, counts, ranks, _, _ = _signed_ranks(values, counts, "wilcox")
    n = int(counts.sum())
    total = np.float64(n * (n + 1) / 2)  # 0 when nobody changed: r is NaN, not an error
    positive = float((counts * ranks)[values > 0].sum())
    negative = float((counts * ranks)[values < 0].sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (positive - negative) / total
        se = np.sqrt((2 * n**3 + 3 * n**2 + n) / 6) / total
        z = float(special.ndtri(0.5 + confidence / 2))
        centre = np.arctanh(r)
    low, high = np.tanh(centre - z * se), np.tanh(centre + z * se)
    method = (
        "matched-pairs rank-biserial correlation of after - before (> 0: higher after), "
        f"non-zero differences; {100 * confidence:g}% normal interval on Fisher's z "
        "(effectsize::rank_biserial)"
    )
    return RankBiserial(float(r), float(low), float(high), n, method)


@dataclass(frozen=True)
class TableTest:
    """A chi-squared test of a before-by-after table."""

    statistic: float
    df: int
    p: float
    method: str


def mcnemar_test(table: np.ndarray, correct: bool = True) -> TableTest:
    """R's ``mcnemar.test(table)``: for two points McNemar's chi-squared (|b - c| - 1)**2 /
    (b + c) on 1 df (the continuity correction by default, when b != c); for k > 2 points
    Bowker's test of symmetry, sum over i < j of (n_ij - n_ji)**2 / (n_ij + n_ji) on
    k (k - 1) / 2 df, uncorrected. As in R, a pair of cells both empty makes it NaN.

    Examples
    --------
    >>> test = mcnemar_test(np.array([[20, 5], [15, 10]]))
    >>> round(test.statistic, 6), test.df, round(test.p, 6)
    (4.05, 1, 0.044171)
    """
    x = np.asarray(table, dtype="float64")
    k = x.shape[0]
    df = k * (k - 1) // 2
    corrected = correct and k == 2 and np.any(x != x.T)
    y = np.abs(x - x.T) - 1 if corrected else x - x.T
    s = x + x.T
    upper = np.triu_indices(k, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        statistic = float((y[upper] ** 2 / s[upper]).sum())
    p = float(special.chdtrc(df, statistic)) if np.isfinite(statistic) else np.nan
    if k == 2:
        how = "with continuity correction" if corrected else "without continuity correction"
        method = f"McNemar's chi-squared test {how} (R mcnemar.test)"
    else:
        method = f"Bowker's test of symmetry, chi-squared on {df} df (R mcnemar.test)"
    return TableTest(statistic, df, p, method)


def stuart_maxwell_test(table: np.ndarray) -> TableTest:
    """The Stuart-Maxwell test of marginal homogeneity (Stuart 1955, Maxwell 1970): with d the
    differences of the row and column totals (n_i. - n_.i) and V the estimate of their
    covariance, V_ii = n_i. + n_.i - 2 n_ii and V_ij = -(n_ij + n_ji), the statistic d' V^-1 d
    over all categories but one is chi-squared on k - 1 df. Categories nobody moved into or out
    of (nobody chose them, or everyone who did chose them at both times) are left out first:
    their d and their row of V are 0, so they carry no information on change and would make V
    singular; k counts the others. The statistic does not depend on which category is left out
    of d. For two points it is McNemar's statistic without continuity correction. NaN when
    fewer than two categories saw a change.

    Examples
    --------
    >>> test = stuart_maxwell_test(np.array([[20, 5], [15, 10]]))  # (5 - 15)**2 / 20
    >>> round(test.statistic, 6), test.df
    (5.0, 1)
    """
    x = np.asarray(table, dtype="float64")
    moved = x - np.diag(np.diag(x))
    used = (moved.sum(axis=0) + moved.sum(axis=1)) > 0
    x = x[np.ix_(used, used)]
    k = x.shape[0]
    method = "Stuart-Maxwell test of marginal homogeneity, chi-squared on {df} df"
    if k < 2:
        return TableTest(np.nan, 0, np.nan, method.format(df=0))
    d = (x.sum(axis=1) - x.sum(axis=0))[:-1]
    v = -(x + x.T)
    np.fill_diagonal(v, x.sum(axis=1) + x.sum(axis=0) - 2 * np.diag(x))
    v = v[:-1, :-1]
    try:
        statistic = float(d @ np.linalg.solve(v, d))
    except np.linalg.LinAlgError:
        statistic = np.nan
    p = float(special.chdtrc(k - 1, statistic)) if np.isfinite(statistic) else np.nan
    return TableTest(statistic, k - 1, p, method.format(df=k - 1))


def margins(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The before (row) and after (column) distributions of the paired answers, as shares.

    Examples
    --------
    >>> [m.tolist() for m in margins(np.array([[1, 1], [0, 2]]))]
    [[0.5, 0.5], [0.25, 0.75]]
    """
    x = np.asarray(table, dtype="float64")
    return x.sum(axis=1) / x.sum(), x.sum(axis=0) / x.sum()
