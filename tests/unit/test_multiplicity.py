"""Multiplicity (likertflow.multiplicity): the post-hoc gate strict at alpha, and the family and
gate stated in words."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from likertflow.multiplicity import adjust, adjust_families, gated_posthoc
from likertflow.pvalues import SMALLEST_NORMAL


def test_posthoc_gate_is_strict_at_alpha():
    """Kills keeping Dunn pairs whose test's adjusted p equals alpha."""
    tests = pd.DataFrame(
        {
            "comparison": ["c", "c"],
            "outcome": ["at_alpha", "below"],
            "test": ["Kruskal-Wallis H"] * 2,
            "p_adjusted": [0.05, np.nextafter(0.05, 0)],
            "family": ["f", "f"],
            "adjust_method": ["holm", "holm"],
        }
    )
    posthoc = pd.DataFrame(
        {"comparison": ["c", "c"], "outcome": ["at_alpha", "below"], "group_a": ["x"] * 2}
    )
    kept = gated_posthoc(posthoc, tests, 0.05)
    assert kept["outcome"].tolist() == ["below"]


def test_gate_and_family_are_stated_in_words():
    tests = pd.DataFrame(
        {
            "comparison": ["c", "d"], "outcome": ["o", "o"], "test": ["Kruskal-Wallis H"] * 2,
            "p_adjusted": [0.0123456789, 0.5], "family": ["fam", "fam"],
            "adjust_method": ["holm", "holm"],
        }
    )  # fmt: skip
    posthoc = pd.DataFrame(
        {"comparison": ["c"] * 3 + ["d"], "outcome": ["o"] * 4, "group_a": list("xxyx")}
    )
    kept = gated_posthoc(posthoc, tests, 0.05)
    assert kept["gate"].unique().tolist() == [
        "Kruskal-Wallis H: p adjusted (holm, family fam) = 0.0123457 < alpha 0.05"
    ]
    assert kept["adjust_family"].unique().tolist() == ["the 3 pairs of c, o"]
    assert kept[["gate_test", "gate_family"]].drop_duplicates().values.tolist() == [
        ["Kruskal-Wallis H", "fam"]
    ]


def test_family_adjustment_states_its_method_and_leaves_unfamilied_tests_unadjusted():
    tests = pd.DataFrame({"comparison": ["a", "b"], "outcome": ["o", "o"], "p": [0.01, 0.02]})
    adjusted = adjust_families(tests, {"a": "f"}, "fdr_bh")
    assert adjusted["adjust_method"].tolist() == ["fdr_bh", "fdr_bh"]
    assert adjusted["p_adjusted"].iloc[0] == pytest.approx(0.01)
    assert np.isnan(adjusted["p_adjusted"].iloc[1])


def test_family_adjustment_adds_its_columns_last_as_floats():
    """The adjusted p and its log10 come last, as floats, even where no comparison has a family
    (the CSV's columns do not depend on the config)."""
    tests = pd.DataFrame({"comparison": ["a", "b"], "outcome": ["o", "o"], "p": [0.01, 0.04]})
    for families in ({"a": "f"}, {}):
        adjusted = adjust_families(tests, families, "holm")
        assert list(adjusted.columns) == [
            "comparison", "outcome", "p", "family", "adjust_method", "log10_p", "p_adjusted",
            "log10_p_adjusted",
        ]  # fmt: skip
        assert adjusted[["p_adjusted", "log10_p_adjusted"]].dtypes.tolist() == ["float64"] * 2
    assert adjusted[["p_adjusted", "log10_p_adjusted"]].isna().all(axis=None)


def test_a_table_without_log10_gets_them_from_its_p_without_warnings():
    """A p of 0 (a table from before log10 columns, or hand-made): its log10 is -inf, and
    neither the adjustment nor the gate writes a divide-by-zero warning to the job's log."""
    tests = pd.DataFrame(
        {"comparison": ["c", "c"], "outcome": ["o", "q"], "test": ["Kruskal-Wallis H"] * 2,
         "p": [0.0, 0.01]}
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        adjusted = adjust_families(tests, {"c": "f"}, "holm")
        gated = gated_posthoc(
            pd.DataFrame({"comparison": ["c", "c"], "outcome": ["o", "q"], "group_a": ["x"] * 2}),
            adjusted.drop(columns="log10_p_adjusted").assign(p_adjusted=[0.0, 0.02]),
            0.05,
        )
    assert adjusted["log10_p"].tolist() == [-np.inf, np.log10(0.01)]
    assert adjusted["log10_p_adjusted"].tolist() == [-np.inf, -2.0]  # Holm: 0 x 2, 0.01 x 1
    assert gated["gate_log10_p_adjusted"].tolist() == [-np.inf, np.log10(0.02)]


def test_the_smallest_normal_p_is_adjusted_as_a_float():
    """2.2e-308 is a float with full precision: its adjusted p is its product, and the gate
    states it as a number, not as a bound."""
    p = SMALLEST_NORMAL
    tests = pd.DataFrame(
        {"comparison": ["c", "c"], "outcome": ["o", "q"], "test": ["Kruskal-Wallis H"] * 2,
         "p": [p, 0.5], "log10_p": [np.log10(p), np.log10(0.5)]}
    )  # fmt: skip
    adjusted = adjust_families(tests, {"c": "f"}, "holm")
    assert adjusted["p_adjusted"].tolist() == [2 * p, 0.5]
    posthoc = pd.DataFrame({"comparison": ["c"], "outcome": ["o"], "group_a": ["x"]})
    gate = gated_posthoc(posthoc, adjusted.assign(p_adjusted=[p, 0.5]), 0.05)["gate"]
    assert gate.tolist() == [
        "Kruskal-Wallis H: p adjusted (holm, family f) = 2.22507e-308 < alpha 0.05"
    ]


def test_p_values_read_as_integers_are_adjusted_as_floats():
    """A CSV column holding only 0 and 1 reads as integers; the adjusted p stays a float column
    (written 1.0, not 1), and NaN stays NaN."""
    adjusted = adjust(np.array([1, 0]), "holm")
    assert adjusted.dtype == np.float64 and adjusted.tolist() == [1.0, 0.0]
    with_missing = adjust(np.array([0.01, np.nan, 0.04]), "fdr_bh")
    # BH over the two present p values (m = 2, not 3): 0.01 x 2, 0.04 x 2 / 2
    assert np.isnan(with_missing[1]) and with_missing[[0, 2]].tolist() == [0.02, 0.04]
