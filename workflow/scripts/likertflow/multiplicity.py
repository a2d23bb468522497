"""Multiple testing: p adjustment within families, and the gate that lets post-hoc pairs through.

p values of the comparison tests are adjusted across each family of comparisons (config
``comparisons.<name>.family``) once every comparison has run. A test's post-hoc pairs (Dunn's,
adjusted within their outcome) are reported in ``results/tables/posthoc.csv`` only when the test
passes its gate: its family-adjusted p is below ``analysis.alpha``. Each kept row says which test
let it through, with what adjusted p, and within which family its own p was adjusted; the full set
of pairs stays in ``results/compare/<comparison>.posthoc.csv``.

Adjustment works in log space too (``adjust_with_log10``), so that an adjusted p whose float
underflows is still a true value: its log10 beside it, and a bound where it is written
(``likertflow.pvalues``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from likertflow.pvalues import SMALLEST_NORMAL, bound, numeric

GATE_COLUMNS = ["gate_test", "gate_p_adjusted", "gate_family", "gate", "adjust_family"]
LOG10_COLUMNS = ["log10_p", "log10_p_adjusted"]  # beside the columns above, last


def holm(ascending: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of p values sorted in increasing order: p_(i) x (m - i + 1),
    made monotone upwards (not yet capped at 1)."""
    return np.maximum.accumulate(ascending * np.arange(len(ascending), 0, -1))


def benjamini_hochberg(ascending: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjustment of p values sorted in increasing order: p_(i) / (i / m),
    made monotone from the largest down (not yet capped at 1)."""
    share_ranked = np.arange(1, len(ascending) + 1) / float(len(ascending))
    return np.minimum.accumulate((ascending / share_ranked)[::-1])[::-1]


# config ``analysis.p_adjust`` -> adjustment of sorted p values. Each one is statsmodels'
# ``multipletests`` arithmetic, operation for operation, so that the floats are the same
# (tests/unit/test_comparisons.py checks them against statsmodels); written out here because
# importing statsmodels (with scipy.stats) costs a comparison job 0.3-0.5 s of start-up (issue 10).
ADJUSTMENTS = {"holm": holm, "fdr_bh": benjamini_hochberg}


def holm_log10(ascending: np.ndarray) -> np.ndarray:
    """``holm`` on log10 p values: log10 p_(i) + log10(m - i + 1), made monotone upwards."""
    return np.maximum.accumulate(ascending + np.log10(np.arange(len(ascending), 0, -1)))


def benjamini_hochberg_log10(ascending: np.ndarray) -> np.ndarray:
    """``benjamini_hochberg`` on log10 p values: log10 p_(i) - log10(i / m), made monotone
    from the largest down."""
    share_ranked = np.arange(1, len(ascending) + 1) / float(len(ascending))
    return np.minimum.accumulate((ascending - np.log10(share_ranked))[::-1])[::-1]


LOG10_ADJUSTMENTS = {"holm": holm_log10, "fdr_bh": benjamini_hochberg_log10}


def adjust_log10(log10_p: np.ndarray, method: str) -> np.ndarray:
    """log10 of the adjusted p values from log10 p values: ``adjust`` in log space, so that
    an adjusted p far below the smallest float is still its true value; capped at 0 (p 1)."""
    return _adjust_present(log10_p, LOG10_ADJUSTMENTS[method], cap=0.0)


def adjust_with_log10(p, log10_p, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Adjusted p values and their log10.

    The floats are ``adjust``'s (statsmodels' arithmetic, the same floats as before) of the p
    values with every p below ``SMALLEST_NORMAL`` (or read back as a bound) taken as 0.0: an
    adjusted p that comes from such a p is then 0.0, written as the bound of its log10, and
    every other one is the exact product of a representable p. The log10 values are
    ``adjust_log10``'s.
    """
    floats = numeric(p)
    floats = np.where(floats < SMALLEST_NORMAL, 0.0, floats)
    return adjust(floats, method), adjust_log10(log10_p, method)


def adjust(p: np.ndarray, method: str) -> np.ndarray:
    """p values adjusted by ``ADJUSTMENTS[method]``, capped at 1; NaN stays NaN and is not
    counted."""
    return _adjust_present(p, ADJUSTMENTS[method], cap=1.0)


def _adjust_present(values, adjustment, cap: float) -> np.ndarray:
    """``adjustment`` of the values that are not NaN, given in increasing order, capped at
    ``cap`` (p 1, or its log10 0); NaN stays NaN."""
    values = np.asarray(values, dtype=np.float64)
    adjusted = np.full_like(values, np.nan)
    present = np.flatnonzero(~np.isnan(values))
    if present.size:
        order = present[np.argsort(values[present])]
        adjusted[order] = np.minimum(adjustment(values[order]), cap)
    return adjusted


def adjust_families(tests: pd.DataFrame, families: dict[str, str], method: str) -> pd.DataFrame:
    """Set ``family`` from config and adjust p across each family's tests, in floats and in
    log space (``log10_p_adjusted``; from ``log10_p``, or log10 of p if the table has none)."""
    tests = tests.copy()
    tests["family"] = tests["comparison"].map(families)
    tests["adjust_method"] = method
    if "log10_p" not in tests:
        with np.errstate(divide="ignore"):
            tests["log10_p"] = np.log10(numeric(tests["p"]))
    tests["p_adjusted"] = np.nan
    tests["log10_p_adjusted"] = np.nan
    for index in tests.groupby("family").groups.values():  # each family on its own
        floats, logs = adjust_with_log10(tests.loc[index, "p"], tests.loc[index, "log10_p"], method)
        tests.loc[index, "p_adjusted"] = floats
        tests.loc[index, "log10_p_adjusted"] = logs
    return tests


def gated_posthoc(posthoc: pd.DataFrame, tests: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Post-hoc pairs of the tests whose family-adjusted p is below ``alpha``, each row stating
    its gate (test, adjusted p, family) and the family of its own p adjustment; the log10
    columns of the pairs and of the gate's p (``gate_log10_p_adjusted``) last."""
    if "log10_p_adjusted" not in tests:
        with np.errstate(divide="ignore"):
            tests = tests.assign(log10_p_adjusted=np.log10(numeric(tests["p_adjusted"])))
    gates = tests.loc[
        tests["p_adjusted"] < alpha,
        ["comparison", "outcome", "test", "p_adjusted", "family", "adjust_method",
         "log10_p_adjusted"],
    ].rename(
        columns={
            "test": "gate_test",
            "p_adjusted": "gate_p_adjusted",
            "family": "gate_family",
            "adjust_method": "gate_adjust_method",
            "log10_p_adjusted": "gate_log10_p_adjusted",
        }
    )  # fmt: skip
    kept = posthoc.merge(gates, on=["comparison", "outcome"])  # pairs of the gated tests only
    pairs = kept.groupby(["comparison", "outcome"])["group_a"].transform("size")
    kept["gate"] = [
        f"{row.gate_test}: p adjusted ({row.gate_adjust_method}, family {row.gate_family}) "
        f"{_relation(row.gate_p_adjusted, row.gate_log10_p_adjusted)} < alpha {alpha:g}"
        for row in kept.itertuples()
    ]
    kept["adjust_family"] = (
        "the " + pairs.astype(str) + " pairs of " + kept["comparison"] + ", " + kept["outcome"]
    )
    log10 = [column for column in LOG10_COLUMNS if column in posthoc]
    existing = [column for column in posthoc.columns if column not in log10]
    return kept[[*existing, *GATE_COLUMNS, *log10, "gate_log10_p_adjusted"]]


def _relation(p: float, log10_p: float) -> str:
    """The gate's p: "= p" where representable (6 significant digits), else "< its bound"."""
    if p < SMALLEST_NORMAL:
        return f"< {bound(log10_p)[1:]}"
    return f"= {p:.6g}"
