"""Dunn's pairwise test (likertflow.dunn): what its rows say of their method, every column of a
pair against the formula, scipy and statsmodels, and p values below the smallest float kept in
log10."""

from __future__ import annotations

import numpy as np
import pytest
from likertflow.dunn import dunn_table
from scipy import stats
from statsmodels.stats.multitest import multipletests


def test_dunn_rows_state_their_method():
    table = dunn_table(["a", "b"], np.array([3.0, 7.0]), np.array([4, 6]), 0.0, "holm")
    assert table["method"].tolist() == [
        "Dunn z with tie correction (> 0: group_a ranks higher), two-sided normal p, adjusted "
        "(holm) over the outcome's pairs"
    ]


COLUMNS = [
    "group_a", "group_b", "z", "p", "p_adjusted", "n_a", "n_b", "mean_rank_a", "mean_rank_b",
    "adjust_method", "method", "log10_p", "log10_p_adjusted",
]  # fmt: skip


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_dunn_table_against_the_formula_scipy_and_statsmodels(method):
    # three groups of 10, 20 and 30 (N = 60) with sum(t^3 - t) = 600 over the ties
    mean_ranks, sizes = np.array([25.0, 28.0, 35.0]), np.array([10, 20, 30])
    table = dunn_table(["a", "b", "c"], mean_ranks, sizes, 600.0, method)
    assert list(table.columns) == COLUMNS
    variance = 60 * 61 / 12 - 600 / (12 * 59)
    pairs = [(0, 1), (0, 2), (1, 2)]
    z = [(mean_ranks[i] - mean_ranks[j]) / np.sqrt(variance * (1 / sizes[i] + 1 / sizes[j]))
         for i, j in pairs]  # fmt: skip
    p = 2 * stats.norm.sf(np.abs(z))
    adjusted = multipletests(p, method=method)[1]
    assert table["group_a"].tolist() == ["a", "a", "b"]
    assert table["group_b"].tolist() == ["b", "c", "c"]
    assert table["z"].to_numpy() == pytest.approx(z, rel=1e-12)
    assert table["p"].to_numpy() == pytest.approx(p, rel=1e-12)
    assert table["p_adjusted"].to_numpy() == pytest.approx(adjusted, rel=1e-12)
    assert table["log10_p"].to_numpy() == pytest.approx(np.log10(p), rel=1e-12)
    assert table["log10_p_adjusted"].to_numpy() == pytest.approx(np.log10(adjusted), rel=1e-12)
    assert table[["n_a", "n_b"]].to_numpy().tolist() == [[10, 20], [10, 30], [20, 30]]
    assert table["mean_rank_a"].tolist() == [25.0, 25.0, 28.0]
    assert table["mean_rank_b"].tolist() == [28.0, 35.0, 35.0]
    assert table["adjust_method"].tolist() == [method] * 3


def test_p_values_below_the_smallest_float_keep_their_log10():
    # three groups of a million that do not overlap: |z| of 816 and 1633, p far below 1e-308
    sizes = np.array([1_000_000] * 3)
    mean_ranks = np.array([500_000.5, 1_500_000.5, 2_500_000.5])
    table = dunn_table(["low", "mid", "high"], mean_ranks, sizes, 0.0, "holm")
    z = table["z"].to_numpy()
    assert (np.abs(z) > 800).all()
    assert (table["p"] == 0.0).all() and (table["p_adjusted"] == 0.0).all()
    log10_p = (np.log(2) + stats.norm.logsf(np.abs(z))) / np.log(10)
    assert table["log10_p"].to_numpy() == pytest.approx(log10_p, rel=1e-12)
    # Holm by hand in log space: the smallest p times 3, the next times 2, the largest times 1,
    # each at least the one before
    order = np.argsort(log10_p)
    holm = np.maximum.accumulate(log10_p[order] + np.log10([3, 2, 1]))
    expected = np.empty(3)
    expected[order] = holm
    assert table["log10_p_adjusted"].to_numpy() == pytest.approx(expected, rel=1e-12)
