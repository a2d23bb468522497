"""p values that are never written as 0: their base-10 logarithm, and how a p is written.

A p value far in a tail underflows: two groups of a thousand with disjoint answers give a
Mann-Whitney p near 1e-435, below the smallest float64 (about 5e-324), and ``2 * ndtr(-z)``
returns 0. Every test therefore also states ``log10_p``, computed in log space where the p
itself cannot be represented:

- a normal tail (Mann-Whitney's and Dunn's z, an ordinal model's Wald z) from scipy's
  ``special.log_ndtr``;
- a chi-squared tail (Kruskal-Wallis H) and a Student t tail (Spearman's rho) from the log
  survival functions of scipy's ``stats.make_distribution(stats.chi2)`` and ``(stats.t)``,
  which work in log space.

Where the p is a normal float64 (at least ``SMALLEST_NORMAL``, 2.2e-308, where a float keeps
its full 53-bit precision) ``log10_p`` is ``log10(p)`` and the p is written as computed, so
results above that are the same floats as before. Below it, the p is written as a true bound
from its logarithm, ``<1e-N`` with N the least integer such that p < 10^-N (``bound``), and
``log10_p`` holds its value. Adjusted p values are computed in log space alike
(``multiplicity.adjust_with_log10``).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from likertflow.disclosure import SUPPRESSED

SMALLEST_NORMAL = float(np.finfo(np.float64).tiny)  # 2.2250738585072014e-308
LN10 = math.log(10.0)
# The bound written when even the logarithm is not finite: every float below SMALLEST_NORMAL is.
FALLBACK_BOUND = "<1e-307"


def representable(p: float) -> bool:
    """Whether a p is written as its float: a normal float64 (NaN, no p, counts as written)."""
    return not p < SMALLEST_NORMAL


def log10_normal_p(z: float, p: float) -> float:
    """log10 of the two-sided normal p = min(1, 2 Phi(-z)) of ``z`` whose float is ``p``
    (``z`` signed as in Mann-Whitney's continuity-corrected form; Dunn's and Wald's pass |z|).

    Examples
    --------
    >>> round(log10_normal_p(50.0, 0.0), 4)  # 2 Phi(-50): p underflows, its log does not
    -544.6653
    """
    if np.isnan(p):
        return np.nan
    if representable(p):
        return math.log10(p)
    # here: only an underflowing p needs it; at the top, every job publishing a table paid 0.2-0.4 s
    from scipy import special

    return float((math.log(2.0) + special.log_ndtr(-z)) / LN10)  # p < 2.2e-308: z > 37


def log10_chi2_p(statistic: float, df: float, p: float) -> float:
    """log10 of the upper chi-squared tail P(X > ``statistic``) on ``df`` df whose float is
    ``p`` (``special.chdtrc``); in log space where ``p`` underflows.

    Examples
    --------
    >>> round(log10_chi2_p(3000.0, 2, 0.0), 6)  # exp(-1500): log10 = -1500 / ln 10
    -651.441723
    """
    if np.isnan(p):
        return np.nan
    if representable(p):
        return math.log10(p)
    with np.errstate(divide="ignore"):  # log(ccdf) = -inf before log space
        log_p = _distribution("chi2")(df=df).logccdf(statistic)
    return float(log_p) / LN10


def log10_t_p(t: float, df: float, p: float) -> float:
    """log10 of the two-sided Student t p = 2 P(T > |t|) on ``df`` df whose float is ``p``
    (``special.stdtr``; Spearman's rho's p); in log space where ``p`` underflows (with ``t``
    infinite, a correlation of exactly 1, the p is 0 and its log10 -inf: written as a bound).

    Examples
    --------
    >>> round(log10_t_p(80.0, 64598, 0.0), 4)  # about rho 0.3 over 64,600 respondents
    -1327.1132
    """
    if np.isnan(p):
        return np.nan
    if representable(p):
        return math.log10(p)
    if np.isinf(t):
        return -math.inf
    with np.errstate(divide="ignore"):  # log(ccdf) = -inf before log space
        log_tail = _distribution("t")(df=df).logccdf(abs(t))
    return (math.log(2.0) + float(log_tail)) / LN10


@cache
def _distribution(name: str):
    """scipy's distribution class of ``stats.<name>``, made once: ``make_distribution`` builds
    its documentation by parsing scipy's source, about 0.2 s a call (3.5 of reliability's 5
    CPU-s at a million responses, where every p underflows)."""
    from scipy import stats  # here: only an underflowing p needs it (0.4 s of start-up)

    return stats.make_distribution(getattr(stats, name))


def bound(log10_p: float) -> str:
    """A true upper bound of a p from its log10: ``<1e-N`` with p < 10^-N, N = -floor(log10 p)
    - 1, the least such N.

    Examples
    --------
    >>> bound(-412.3), bound(-412.0), bound(float("-inf"))
    ('<1e-412', '<1e-411', '<1e-307')
    """
    if not np.isfinite(log10_p):
        return FALLBACK_BOUND
    return f"<1e{math.floor(log10_p) + 1}"


def written(p: float, log10_p: float) -> float | str:
    """A p as written: its float where representable, else its bound."""
    return p if representable(p) else bound(log10_p)


# Each p column of the results tables and the column of its log10.
P_COLUMNS = {
    "p": "log10_p",
    "p_adjusted": "log10_p_adjusted",
    "gate_p_adjusted": "gate_log10_p_adjusted",
}


def with_bounds(frame):
    """A results table with each p column (``P_COLUMNS``) as written: a bound where the p is
    not representable. Applied last before the table is published and written; in memory, the
    columns stay floats (0.0 where a p underflowed) beside their exact log10."""
    bounded = {
        column: written_column(frame[column], frame[log_column])
        for column, log_column in P_COLUMNS.items()
        if column in frame and log_column in frame
    }
    return frame.assign(**bounded)


def written_column(p, log10_p):
    """A column of p values as written: the same float column when every p is representable
    (so the CSV keeps its bytes), else an object column holding the bounds."""
    import pandas as pd

    p = pd.Series(p)
    if p.map(lambda value: isinstance(value, str)).any():
        return p  # already written (a bound or a suppressed value)
    numeric = p.astype("float64")
    if numeric.map(representable).all():
        return p
    logs = pd.Series(log10_p).astype("float64")  # of the same rows, in the same order
    return pd.Series(list(map(written, numeric, logs)), index=p.index, dtype="object")


def numeric(p) -> np.ndarray:
    """p values read back from a CSV as floats: a bound (below ``SMALLEST_NORMAL``) as 0.0,
    the float that underflowed; a suppressed ``*`` as NaN."""
    import pandas as pd

    def value(cell):
        if isinstance(cell, str):
            return 0.0 if cell.startswith("<") else np.nan if cell == SUPPRESSED else float(cell)
        return cell

    return pd.Series(p).map(value).astype("float64").to_numpy()


def journal_p(cell: str, alpha: float = 0.05) -> str:
    """A p value (as its CSV holds it: a float's text, a bound ``<1e-N``, ``*`` or empty) as
    journals print it: AMA style with a leading zero.

    Examples
    --------
    >>> [journal_p(p) for p in ["0.44634", "0.0733", "0.0461", "0.00834", "0.000999", "1.0"]]
    ['0.45', '0.07', '0.046', '0.008', '<0.001', '>0.99']
    >>> journal_p("<1e-412"), journal_p("*"), journal_p("")
    ('<0.001', '*', '')

    A p already printed so (a published table under a disclosure rule) prints the same:

    >>> [journal_p(journal_p(p)) for p in ["0.44634", "0.0461", "0.000999", "0.995"]]
    ['0.45', '0.046', '<0.001', '>0.99']
    """
    cell = str(cell).strip()
    if cell.lower() in ("", "nan"):
        return ""  # no p (a float NaN reads "nan")
    if cell == SUPPRESSED:
        return cell
    if cell.startswith("<"):
        return "<0.001"  # a bound below the smallest float, or a p already printed so
    if cell.startswith(">"):
        return cell  # a p already printed as journals print it (">0.99")
    p = float(cell)
    if p < 0.001:
        return "<0.001"
    if p > 0.99:
        return ">0.99"
    decimals = 3 if p < 0.01 else 2
    while p < alpha <= float(f"{p:.{decimals}f}") and decimals < 6:
        decimals += 1  # 0.046 stays 0.046, not 0.05
    return f"{p:.{decimals}f}"
