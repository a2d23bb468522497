"""The rank-test registry (likertflow.rank_tests): its entries, the selection by group count,
the schema's names, and the rows it writes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from likertflow import rank_tests
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


WORDS = dict(title="T", description="d", method="m", effect="e", interval="i {level}",
             reference="r", posthoc="p", posthoc_method="pm {seed}")  # fmt: skip


def test_register_adds_an_entry_with_its_words_and_returns_the_function(monkeypatch):
    """What a new test's registration does (run here, not at import, so that a broken
    ``register`` fails a test)."""
    registry = {}
    monkeypatch.setattr(rank_tests, "TESTS", registry)

    def three_way(samples, settings):
        return None

    assert rank_tests.register("three_way", 3, 3, **WORDS)(three_way) is three_way
    assert rank_tests.register("open", 2, **WORDS)(mann_whitney) is mann_whitney
    assert list(registry) == ["three_way", "open"]  # in registration order: auto's order
    entry = registry["three_way"]
    assert (entry.name, entry.min_groups, entry.max_groups, entry.run) == (
        "three_way", 3, 3, three_way,
    )  # fmt: skip
    assert {key: getattr(entry, key) for key in WORDS} == WORDS
    assert registry["open"].max_groups is None and registry["open"].groups == "2 or more groups"
    assert entry.groups == "3 groups"
    assert rank_tests.select_test(3, "auto").name == "three_way"
    assert rank_tests.select_test(4, "auto").name == "open"


def registry_of(monkeypatch, *entries) -> dict:
    """A registry of made-up tests (name, min_groups, max_groups) in registration order."""
    registry = {}
    monkeypatch.setattr(rank_tests, "TESTS", registry)
    for name, low, high in entries:
        rank_tests.register(name, low, high, **{**WORDS, "title": name.upper()})(mann_whitney)
    return registry


def test_auto_choices_in_words_over_every_number_of_groups(monkeypatch):
    registry_of(monkeypatch, ("pair", 2, 2), ("few", 3, 5), ("many", 2, None))
    assert rank_tests.auto_choices() == {
        "pair": "2 groups", "few": "3 to 5 groups", "many": "6 or more groups",
    }  # fmt: skip
    assert rank_tests.auto_description() == (
        "chosen by the number of groups: PAIR (``pair``) for 2 groups, FEW (``few``) for 3 to "
        "5 groups, MANY (``many``) for 6 or more groups"
    )


def test_auto_choices_past_a_number_no_test_takes(monkeypatch):
    """A gap (no test for 3 groups) does not end the list; an open-ended test that a later one
    overtakes is bounded in words."""
    registry_of(monkeypatch, ("pair", 2, 2), ("wide", 4, None))
    assert rank_tests.auto_choices() == {"pair": "2 groups", "wide": "4 or more groups"}
    registry_of(monkeypatch, ("late", 4, None), ("early", 2, None))
    assert rank_tests.auto_choices() == {"early": "2 to 3 groups", "late": "4 or more groups"}


def test_words_fill_in_the_run_settings(monkeypatch):
    registry = registry_of(monkeypatch, ("pair", 2, 3))
    settings = ComparisonSettings(p_adjust="holm", min_group_size=5, confidence_level=0.9,
                                  bootstrap_resamples=500, seed=7)  # fmt: skip
    words = registry["pair"].words(settings)
    assert words["groups"] == "2 to 3 groups"
    assert words["interval"] == "i 90%"
    assert words["posthoc_method"] == "pm 7"
    registry["pair"] = dataclasses.replace(
        registry["pair"], interval="{complement} {resamples}"
    )
    assert registry["pair"].words(settings)["interval"] == "0.1 500"


def test_epsilon_squared_row_states_its_interval():
    values = np.array([1.0, 2, 2, 3, 3, 4, 5, 5, 1, 2])
    groups = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    from likertflow.rank_stats import counts_and_values

    table, distinct = counts_and_values(values, groups, 3)
    ranks = stats.rankdata(values)
    sizes = np.bincount(groups)
    sample = Sample(list("abc"), table, distinct, sizes, np.bincount(groups, ranks) / sizes)
    # the respondents, as the table holds them: group by group, values increasing within each
    assert sample.values.tolist() == [1, 2, 2, 3, 3, 4, 1, 2, 5, 5]
    assert sample.groups.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    settings = filled.analysis(ComparisonSettings, confidence_level=0.9)
    row = select_test(3, "auto").run(sample, settings)
    assert row["effect_ci_high"] == 1.0
    assert (
        "one-sided" in row["effect_ci_method"]
        and "noncentral chi-squared" in (row["effect_ci_method"])
    )
    assert "p >= 0.1" in row["effect_ci_method"]
