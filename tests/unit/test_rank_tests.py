"""The rank-test registry (likertflow.rank_tests): its entries, the selection by group count,
the schema's names, and the rows it writes."""

from __future__ import annotations

import numpy as np
import pytest
from likertflow.rank_tests import (
    TESTS,
    Sample,
    auto_choices,
    kruskal_wallis,
    mann_whitney,
    select_test,
)
from likertflow.settings import ComparisonSettings
from scipy import stats
from support import filled


def test_registry_entries_and_selection():
    entries = {name: (t.name, t.min_groups, t.max_groups, t.run) for name, t in TESTS.items()}
    assert entries["mann_whitney"] == ("mann_whitney", 2, 2, mann_whitney)
    assert entries["kruskal_wallis"] == ("kruskal_wallis", 2, None, kruskal_wallis)
    assert list(TESTS)[:2] == ["mann_whitney", "kruskal_wallis"]  # auto: the first that fits
    assert auto_choices() == {"mann_whitney": "2 groups", "kruskal_wallis": "3 or more groups"}
    assert select_test(2, "auto").name == "mann_whitney"
    assert select_test(7, "auto").name == "kruskal_wallis"
    assert select_test(2, "kruskal_wallis").name == "kruskal_wallis"
    with pytest.raises(ValueError, match="'mann_whitney' cannot compare 3 groups"):
        select_test(3, "mann_whitney")
    with pytest.raises(ValueError, match="cannot compare 1 groups"):
        select_test(1, "auto")


def test_epsilon_squared_row_states_its_interval():
    values = np.array([1.0, 2, 2, 3, 3, 4, 5, 5, 1, 2])
    groups = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    from likertflow.rank_stats import count_table

    table = count_table(values, groups, 3)
    ranks = stats.rankdata(values)
    sizes = np.bincount(groups)
    sample = Sample(values, groups, list("abc"), table, sizes, np.bincount(groups, ranks) / sizes)
    settings = filled.analysis(ComparisonSettings, confidence_level=0.9)
    row = select_test(3, "auto").run(sample, settings)
    assert row["effect_ci_high"] == 1.0
    assert (
        "one-sided" in row["effect_ci_method"]
        and "noncentral chi-squared" in (row["effect_ci_method"])
    )
    assert "p >= 0.1" in row["effect_ci_method"]
