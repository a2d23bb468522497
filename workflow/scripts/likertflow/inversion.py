"""Statistics inverted to counts: what a published statistic, at its published precision, says
about the counts behind it.

Each function takes statistics as the published tables hold them (text: ``0.04``, ``<0.001``,
a full-precision float, ``*``) and candidate counts (the values a published count may stand for
under the rule: ``Policy.interval``), and keeps the candidates consistent with every statistic
within its published precision (``window``). An attacker (``likertflow.attacker``) narrows the
hidden and rounded counts with them; ``likertflow.publishing`` withholds an effect size where
they would pin a test's n. The identities inverted:

- Kruskal-Wallis: epsilon-squared = H / (N - 1), the p is the chi-squared tail of H, and the
  interval's lower bound is lambda(H) / (N - 1) (``rank_stats.epsilon_squared_lower_bound``);
- Mann-Whitney: the rank-biserial r = 2 U / (n1 n2) - 1, so n1 n2 = 2 U / (1 + r);
- mean ranks: n x mean rank is a rank sum, a multiple of 1/2, and a test's rank sums add to
  N (N + 1) / 2;
- tie corrections: a Mann-Whitney p with U and the ns, or H with the mean ranks, fixes
  sum(t^3 - t) over the tied answers, which a 5-point answer's counts determine
  (``tie_sum_window``);
- Cronbach's alpha: Feldt's interval is a function of alpha, n and the number of statements.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import product

import numpy as np
from scipy import special, stats

from likertflow.disclosure import SUPPRESSED, Policy

TINY = 1e-9  # relative slack for a full-precision float (floating-point error of a recomputation)


def window(text) -> tuple[float, float] | None:
    """The true values a published number stands for: ``0.04`` -> [0.035, 0.045]; a float at
    full precision -> itself (within floating error); ``*``, empty or a bound -> None.

    >>> window("0.04"), window("12"), window("*")
    ((0.035, 0.045), (11.5, 12.5), None)
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    text = str(text).strip()
    if text in ("", SUPPRESSED, "nan") or text[0] in "<>":
        return None
    value = float(text)
    if "e" in text.lower() or len(text.partition(".")[2]) >= 10:  # full precision
        slack = TINY * max(abs(value), 1e-300)
        return (value - slack, value + slack)
    half = 0.5 * 10.0 ** -len(text.partition(".")[2])
    return (value - half, value + half)


def p_window(text) -> tuple[float, float] | None:
    """The true p a published p stands for: ``<0.001`` -> [0, 0.001], ``>0.99`` -> [0.99, 1],
    ``0.45`` -> [0.445, 0.455], a bound ``<1e-N`` -> [0, 1e-N]."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    text = str(text).strip()
    if text in ("", SUPPRESSED, "nan"):
        return None
    if text.startswith("<"):
        return (0.0, float(text[1:]))
    if text.startswith(">"):
        return (float(text[1:]), 1.0)
    return window(text)


def chi2_statistic_window(p: tuple[float, float], df: float) -> tuple[float, float]:
    """The chi-squared statistics on ``df`` df whose upper tail lies in ``p``."""
    low = float(stats.chi2.isf(min(p[1], 1.0), df)) if p[1] < 1 else 0.0
    high = float(stats.chi2.isf(p[0], df)) if p[0] > 0 else math.inf
    return (low, high)


def _lower_bound_noncentrality(h: float, df: float, confidence: float) -> float:
    """lambda at which ``h`` is the upper (1 - confidence) quantile (0 when not significant)."""
    from scipy import optimize

    tail = 1 - confidence
    if not np.isfinite(h) or special.chdtrc(df, h) >= tail:
        return 0.0
    high = max(h, 1.0)
    while stats.ncx2.sf(h, df, high) - tail < 0:
        high *= 2
    return optimize.brentq(lambda lam: stats.ncx2.sf(h, df, lam) - tail, 0.0, high, xtol=1e-8)


def kruskal_n(
    candidates: Iterable[int],
    df: float,
    epsilon=None,
    statistic=None,
    p=None,
    ci_low=None,
    confidence: float | None = None,
) -> list[int]:
    """The test sizes N among ``candidates`` consistent with a Kruskal-Wallis test's published
    epsilon-squared, H, p and the lower bound of epsilon-squared's interval (any may be missing).

    >>> kruskal_n(range(118, 123), 5, epsilon="0.03963543238829683", statistic="4.75625188659562")
    [121]
    >>> kruskal_n(range(118, 123), 5, epsilon="0.04", p="0.45")  # journal precision: all remain
    [118, 119, 120, 121, 122]
    """
    eps, h_published = window(epsilon), window(statistic)
    h_from_p = chi2_statistic_window(p_window(p), df) if p_window(p) else None
    ci = window(ci_low)
    kept = []
    for n in candidates:
        low, high = 0.0, math.inf
        for bounds in (h_published, h_from_p):
            if bounds:
                low, high = max(low, bounds[0]), min(high, bounds[1])
        if eps:
            low, high = max(low, eps[0] * (n - 1)), min(high, eps[1] * (n - 1))
        if low > high:
            continue
        if ci and confidence and ci[1] > 0 and math.isfinite(high):
            # lambda(H) / (N - 1) within the bound's window for some H in [low, high]
            lam_low = _lower_bound_noncentrality(low, df, confidence) / (n - 1)
            lam_high = _lower_bound_noncentrality(high, df, confidence) / (n - 1)
            if lam_high < ci[0] or lam_low > ci[1]:
                continue
        kept.append(n)
    return kept


def mann_whitney_sizes(
    pairs: Iterable[tuple[int, int]], statistic=None, effect=None
) -> list[tuple[int, int]]:
    """The group sizes (n1, n2) among ``pairs`` consistent with a published U of the first group
    (a multiple of 1/2 between 0 and n1 n2) and rank-biserial r = 2 U / (n1 n2) - 1.

    >>> pairs = [(a, b) for a in range(73, 78) for b in range(173, 178)]  # published 75 and 175
    >>> mann_whitney_sizes(pairs, statistic="6680.5", effect="0.023831417624521123")
    [(75, 174)]
    >>> len(mann_whitney_sizes(pairs, effect="0.02"))  # r alone, 2 decimals: nothing learnt
    25
    """
    u, r = window(statistic), window(effect)
    kept = []
    for n1, n2 in pairs:
        product_ = n1 * n2
        low, high = 0.0, float(product_)
        if u:
            low, high = max(low, u[0]), min(high, u[1])
        if r:
            low, high = max(low, (r[0] + 1) * product_ / 2), min(high, (r[1] + 1) * product_ / 2)
        # U is a multiple of 1/2
        if math.floor(2 * high + 1e-9) >= math.ceil(2 * low - 1e-9):
            kept.append((n1, n2))
    return kept


def rank_sum_sizes(
    mean_ranks: list, candidates: list[Iterable[int]], limit: int = 200_000
) -> list[tuple[int, ...]] | None:
    """The group sizes (one tuple per consistent combination) among ``candidates`` (one set per
    group) for which every n x mean rank can be a rank sum (a multiple of 1/2 within the mean
    rank's published precision) and the rank sums add to N (N + 1) / 2. A group whose mean rank
    is not published constrains only the total. ``limit``: the combinations tried at most (None
    beyond it: not evaluated).

    >>> ranks = ["58.263888888888886", "55.5", "52.6578947368421", "63.96153846153846",
    ...          "61.81818181818182", "72.4423076923077"]  # published ns 35, 15, 20, 15, 10, 25
    >>> sizes = [range(33, 38), range(13, 18), range(18, 23), range(13, 18), range(8, 13),
    ...          range(23, 28)]
    >>> rank_sum_sizes(ranks, sizes)
    [(36, 16, 19, 13, 11, 26)]
    >>> len(rank_sum_sizes([f"{float(r):.1f}" for r in ranks], sizes))  # 1 decimal: 317 remain
    317
    """
    windows = [window(mean_rank) for mean_rank in mean_ranks]
    per_group = []
    for bounds, sizes in zip(windows, candidates, strict=True):
        options = []
        for n in sizes:
            if n <= 0:
                continue
            if bounds is None:
                options.append((n, None))
                continue
            low, high = n * bounds[0], n * bounds[1]
            if math.floor(2 * high + 1e-9) >= math.ceil(2 * low - 1e-9):
                options.append((n, (low, high)))
        per_group.append(options)
    if math.prod(len(options) for options in per_group) > limit:
        return None
    kept = []
    for combo in product(*per_group):
        total = sum(n for n, _ in combo)
        target = total * (total + 1) / 2
        known = [bounds for _, bounds in combo if bounds is not None]
        unknown = [n for n, bounds in combo if bounds is None]
        low = sum(b[0] for b in known) + sum(n * (n + 1) / 2 for n in unknown)
        high = sum(b[1] for b in known) + sum(n * (2 * total - n + 1) / 2 for n in unknown)
        if low - 1e-9 <= target <= high + 1e-9:
            kept.append(tuple(n for n, _ in combo))
    return kept


def feldt_n(
    candidates: Iterable[int], items: int, alpha, ci_low=None, ci_high=None, confidence=0.95
) -> list[int]:
    """The ns among ``candidates`` consistent with a published Cronbach's alpha and Feldt's
    interval: (1 - bound) / (1 - alpha) is an F quantile on n - 1 and (n - 1)(k - 1) df.

    >>> feldt_n(range(118, 123), 2, "0.7946467536245927", "0.7057952156668197")
    [121]
    >>> feldt_n(range(118, 123), 2, "0.79", "0.71")  # 2 decimals
    [119, 120, 121, 122]
    """
    a = window(alpha)
    if a is None or items < 2:
        return list(candidates)
    tail = (1 - confidence) / 2
    kept = []
    for n in candidates:
        if n < 3:
            continue
        df1, df2 = n - 1, (n - 1) * (items - 1)
        ok = True
        for bound, q in ((window(ci_low), 1 - tail), (window(ci_high), tail)):
            if bound is None:
                continue
            f = stats.f.ppf(q, df1, df2)
            # bound = 1 - (1 - alpha) * F: monotone in alpha; its range over alpha's window
            values = [1 - (1 - a[0]) * f, 1 - (1 - a[1]) * f]
            if max(values) < bound[0] or min(values) > bound[1]:
                ok = False
        if ok:
            kept.append(n)
    return kept


def tie_sum_window_mann_whitney(n1: int, n2: int, statistic, p) -> tuple[float, float] | None:
    """sum(t^3 - t) of the pooled answers consistent with a Mann-Whitney test's published U (of
    the first group), ns and p (normal approximation, continuity and tie corrected):
    z = (|U - n1 n2 / 2| - 1/2) / s, s^2 = n1 n2 / 12 (N + 1 - T / (N (N - 1)))."""
    u, pw = window(statistic), p_window(p)
    if u is None or pw is None or pw[0] <= 0:
        return None
    n = n1 + n2
    distance = [abs(value - n1 * n2 / 2) - 0.5 for value in u]
    if min(distance) <= 0:
        return None
    z_low, z_high = special.ndtri(1 - pw[1] / 2), special.ndtri(1 - pw[0] / 2)
    s_low, s_high = min(distance) / max(z_high, 1e-300), max(distance) / max(z_low, 1e-300)
    ties = [(n + 1 - 12 * s**2 / (n1 * n2)) * n * (n - 1) for s in (s_high, s_low)]
    return (max(0.0, ties[0]), max(0.0, ties[1]))


def tie_sum_window_kruskal(sizes: list[int], mean_ranks: list, statistic) -> tuple | None:
    """sum(t^3 - t) consistent with a Kruskal-Wallis test's published H, mean ranks and ns:
    H = H_raw / (1 - T / (N^3 - N)), H_raw = 12 / (N (N + 1)) sum n_g R_g^2 - 3 (N + 1)."""
    h = window(statistic)
    windows = [window(m) for m in mean_ranks]
    if h is None or h[0] <= 0 or any(w is None for w in windows):
        return None
    n = sum(sizes)
    raw = [
        12 / (n * (n + 1)) * sum(size * w[i] ** 2 for size, w in zip(sizes, windows, strict=True))
        - 3 * (n + 1)
        for i in (0, 1)
    ]
    # the extreme ratios H_raw / H
    ratios = [r / hh for r in raw for hh in h]
    correction_low, correction_high = max(0.0, min(ratios)), min(1.0, max(ratios))
    return ((1 - correction_high) * (n**3 - n), (1 - correction_low) * (n**3 - n))


def tie_sum(counts: Iterable[int]) -> int:
    """sum(t^3 - t) over the counts of the distinct answers."""
    return int(sum(t**3 - t for t in counts))


def effect_sizes_to_withhold(tests, groups, policy: Policy) -> list[bool]:
    """Per published test (rows of ``comparisons.csv`` as published under a rounding rule):
    whether its effect size must be withheld because, with its p and interval, it would narrow
    the test's n (``kruskal_n``) to one value within the rounding. Tests whose groups show the
    same ns are taken to be of the same respondents (the worst case), and their candidate ns
    intersected; the effect sizes of such a set are withheld one test at a time, the most
    precise first, until the intersection keeps at least two values."""
    withhold = [False] * len(tests)
    if policy.rounding <= 1:
        return withhold
    sets: dict[tuple, list[int]] = {}
    candidates: dict[int, list[int]] = {}
    for position, row in enumerate(tests.to_dict("records")):
        if row.get("test") != "Kruskal-Wallis H" or row["n"] == SUPPRESSED:
            continue
        if str(row.get("effect_size")) in (SUPPRESSED, "", "nan"):
            continue
        low, high = policy.interval(row["n"])
        confidence = _confidence(row.get("effect_ci_method"))
        candidates[position] = kruskal_n(
            range(int(low), int(high) + 1),
            float(row["df"]),
            epsilon=row["effect_size"],
            statistic=row.get("statistic"),
            p=row.get("p"),
            ci_low=row.get("effect_ci_low"),
            confidence=confidence,
        )
        shown = groups[
            (groups["comparison"] == row["comparison"]) & (groups["outcome"] == row["outcome"])
        ]
        key = (row["comparison"], row["n"], tuple(map(str, shown["n"])))
        sets.setdefault(key, []).append(position)
    for members in sets.values():
        active = [m for m in members if candidates.get(m) is not None]
        while active:
            common = set.intersection(*(set(candidates[m]) for m in active))
            if len(common) >= 2:
                break
            narrowest = min(active, key=lambda m: (len(candidates[m]), m))
            withhold[narrowest] = True
            active.remove(narrowest)
    return withhold


def _confidence(method) -> float | None:
    """The confidence level an interval's method text names (``95% one-sided ...``)."""
    import re

    found = re.match(r"\s*(\d+(?:\.\d+)?)%", str(method))
    return float(found.group(1)) / 100 if found else None
