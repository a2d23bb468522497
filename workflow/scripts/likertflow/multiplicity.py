"""Multiple testing: p adjustment within families, and the gate that lets post-hoc pairs through.

p values of the comparison tests are adjusted across each family of comparisons (config
``comparisons.<name>.family``) once every comparison has run. A test's post-hoc pairs (Dunn's,
adjusted within their outcome) are reported in ``results/tables/posthoc.csv`` only when the test
passes its gate: its family-adjusted p is below ``analysis.alpha``. Each kept row says which test
let it through, with what adjusted p, and within which family its own p was adjusted; the full set
of pairs stays in ``results/compare/<comparison>.posthoc.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GATE_COLUMNS = ["gate_test", "gate_p_adjusted", "gate_family", "gate", "adjust_family"]


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


def adjust(p: np.ndarray, method: str) -> np.ndarray:
    """p values adjusted by ``ADJUSTMENTS[method]``, capped at 1; NaN stays NaN and is not
    counted."""
    p = np.asarray(p, dtype=np.float64)
    adjusted = np.full_like(p, np.nan)
    present = np.flatnonzero(~np.isnan(p))
    if present.size:
        order = present[np.argsort(p[present])]
        adjusted[order] = np.minimum(ADJUSTMENTS[method](p[order]), 1.0)
    return adjusted


def adjust_families(tests: pd.DataFrame, families: dict[str, str], method: str) -> pd.DataFrame:
    """Set ``family`` from config and adjust p across each family's tests."""
    tests = tests.copy()
    tests["family"] = tests["comparison"].map(families)
    tests["adjust_method"] = method
    tests["p_adjusted"] = np.nan
    for _, index in tests.groupby("family", sort=True).groups.items():
        tests.loc[index, "p_adjusted"] = adjust(tests.loc[index, "p"].to_numpy(), method)
    return tests


def gated_posthoc(posthoc: pd.DataFrame, tests: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Post-hoc pairs of the tests whose family-adjusted p is below ``alpha``, each row stating
    its gate (test, adjusted p, family) and the family of its own p adjustment."""
    gates = tests.loc[
        tests["p_adjusted"] < alpha,
        ["comparison", "outcome", "test", "p_adjusted", "family", "adjust_method"],
    ].rename(
        columns={
            "test": "gate_test",
            "p_adjusted": "gate_p_adjusted",
            "family": "gate_family",
            "adjust_method": "gate_adjust_method",
        }
    )
    kept = posthoc.merge(gates, on=["comparison", "outcome"], how="inner")
    pairs = kept.groupby(["comparison", "outcome"], sort=False)["group_a"].transform("size")
    kept["gate"] = [
        f"{test}: p adjusted ({method}, family {family}) = {p:.6g} < alpha {alpha:g}"
        for test, method, family, p in zip(
            kept["gate_test"], kept["gate_adjust_method"], kept["gate_family"],
            kept["gate_p_adjusted"], strict=True,
        )
    ]  # fmt: skip
    kept["adjust_family"] = [
        f"the {m} pairs of {comparison}, {outcome}"
        for m, comparison, outcome in zip(pairs, kept["comparison"], kept["outcome"], strict=True)
    ]
    return kept[[*posthoc.columns, *GATE_COLUMNS]]
