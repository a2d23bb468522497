"""Multiplicity (likertflow.multiplicity): the post-hoc gate strict at alpha, and the family and
gate stated in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from likertflow.multiplicity import adjust_families, gated_posthoc


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
