"""Multiple testing: p adjustment within families, and the gate that lets post-hoc pairs through.

p values of the comparison tests are adjusted across each family of comparisons (config
``comparisons.<name>.family``) once every comparison has run. A test's post-hoc pairs (Dunn's,
adjusted within their outcome) are reported in ``results/tables/posthoc.csv`` only when the test
passes its gate: its family-adjusted p is below ``analysis.alpha``. Each kept row says which test
let it through, with what adjusted p, and within which family its own p was adjusted; the full set
of pairs stays in ``results/compare/<comparison>.posthoc.csv``.
"""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd

GATE_COLUMNS = ["gate_test", "gate_p_adjusted", "gate_family", "gate", "adjust_family"]


def adjust(p: np.ndarray, method: str) -> np.ndarray:
    """p values adjusted with statsmodels' ``multipletests``; NaN stays NaN and is not counted."""
    p = np.asarray(p, dtype=np.float64)
    adjusted = np.full_like(p, np.nan)
    present = ~np.isnan(p)
    if present.any():
        # here, not at the top: statsmodels takes 0.5 s to import, and a two-group comparison
        # job adjusts nothing
        from statsmodels.stats.multitest import multipletests

        # multipletests' Holm branch calls gc.collect(), a full collection of every object the
        # process holds (40 ms a call with pandas and scipy loaded, 15 calls per comparison
        # job at scale); frozen objects are skipped, so it only looks at this call's own.
        gc.freeze()
        try:
            adjusted[present] = multipletests(p[present], method=method)[1]
        finally:
            gc.unfreeze()
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
