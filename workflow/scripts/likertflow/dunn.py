"""Dunn's (1964) pairwise test after a Kruskal-Wallis test.

Written here: no maintained library among the dependencies has it. tests/test_dunn_reference.py
checks z, p and the adjusted p against R (tests/r/dunn.R: the definition, with the tie correction
of dunn.test and FSA::dunnTest, and stats::p.adjust) on stored data, the shipped study's included.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special

from likertflow.multiplicity import adjust_with_log10
from likertflow.pvalues import log10_normal_p


def dunn(
    mean_ranks: np.ndarray, sizes: np.ndarray, ties: float
) -> list[tuple[int, int, float, float]]:
    """Dunn's z and two-sided p for every pair (i < j) of groups, z > 0 when i ranks higher.

    z = (mean rank i - mean rank j) / sqrt((N(N+1)/12 - sum(t^3 - t)/(12(N-1))) (1/n_i + 1/n_j)).
    """
    n = float(np.sum(sizes))
    variance = n * (n + 1) / 12 - ties / (12 * (n - 1))
    pairs = []
    for i, j in combinations(range(len(sizes)), 2):
        z = (mean_ranks[i] - mean_ranks[j]) / np.sqrt(variance * (1 / sizes[i] + 1 / sizes[j]))
        p = 2 * special.ndtr(-abs(z))  # 2 x scipy.stats.norm.sf(|z|), the same float
        pairs.append((i, j, float(z), float(p)))
    return pairs


def dunn_table(
    labels: list[str], mean_ranks: np.ndarray, sizes: np.ndarray, ties: float, method: str
) -> pd.DataFrame:
    """Dunn's pairs of one outcome, p adjusted over its pairs."""
    pairs = pd.DataFrame(dunn(mean_ranks, sizes, ties), columns=["a", "b", "z", "p"])
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    log10_p = [log10_normal_p(abs(z), p) for z, p in zip(pairs["z"], pairs["p"], strict=True)]
    p_adjusted, log10_p_adjusted = adjust_with_log10(pairs["p"].to_numpy(), log10_p, method)
    return pd.DataFrame(
        {
            "group_a": np.asarray(labels, dtype=object)[a],
            "group_b": np.asarray(labels, dtype=object)[b],
            "z": pairs["z"],
            "p": pairs["p"],
            "p_adjusted": p_adjusted,
            "n_a": sizes[a],
            "n_b": sizes[b],
            "mean_rank_a": mean_ranks[a],
            "mean_rank_b": mean_ranks[b],
            "adjust_method": method,
            "method": "Dunn z with tie correction (> 0: group_a ranks higher), two-sided "
            f"normal p, adjusted ({method}) over the outcome's pairs",
            "log10_p": log10_p,
            "log10_p_adjusted": log10_p_adjusted,
        }
    )
