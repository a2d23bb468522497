"""Disclosure rules, secondary suppression and the recovery checker, on small hand-made tables.

Expected values are worked out by hand in the comments (NHS England: counts 1-7 suppressed,
others rounded to the nearest 5; ONS-style threshold of 10).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from likertflow.disclosure import RULES, SUPPRESSED, policy_of, protect, recover
from likertflow.publishing import publish_frequencies

NHS = policy_of({"rule": "nhs"})
TEN = policy_of({"rule": "threshold", "min_count": 10})
NONE = policy_of(None)


def test_registry_names_every_rule_of_the_schema():
    import yaml
    from conftest import REPO

    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    rule = schema["properties"]["disclosure"]["properties"]["rule"]
    assert set(rule["enum"]) == set(RULES)
    assert schema["properties"]["disclosure"]["default"] == {"rule": "none"}


@pytest.mark.parametrize(
    ("n", "published"),
    # 1-7 hidden; 8, 9, 10, 11, 12 -> 10; 13 -> 15; 0 stays 0
    [(0, 0), (1, "*"), (7, "*"), (8, 10), (12, 10), (13, 15), (17, 15), (18, 20), (121, 120)],
)
def test_nhs_suppresses_1_to_7_and_rounds_the_rest_to_5(n, published):
    assert NHS.publish(n) == published


def test_threshold_and_none():
    assert [TEN.publish(n) for n in (0, 1, 9, 10, 11)] == [0, "*", "*", 10, 11]
    assert [NONE.publish(n) for n in (0, 1, 3)] == [0, 1, 3]
    assert not NONE.applies and NHS.applies and TEN.applies
    assert NHS.statistic_allowed(10) and not NHS.statistic_allowed(SUPPRESSED)
    assert TEN.min_statistic_n == 10 and NHS.min_statistic_n == 8


def test_nhs_interval_of_a_published_count():
    # 10 is published for 8..12; 15 for 13..17; * (primary) for 1..7; 0 only for 0
    assert NHS.interval(10) == (8, 12)
    assert NHS.interval(15) == (13, 17)
    assert NHS.interval(SUPPRESSED, primary=True) == (1, 7)
    assert NHS.interval(SUPPRESSED) == (0, math.inf)
    assert NHS.interval(0) == (0, 0)


def test_recover_finds_the_subtractions():
    # one hidden cell beside a published total: 16 - 15 = 1
    assert recover([("a", "*"), ("b", 15), ("t", 16)], [(["a", "b"], "t")], TEN) == {"a": 1}
    # two hidden cells known to be small that sum to 2: both are 1
    pubs = [("a", "*"), ("b", "*"), ("c", 20), ("t", 22)]
    assert recover(pubs, [(["a", "b", "c"], "t")], TEN, primary=["a", "b"]) == {"a": 1, "b": 1}
    # ... but not when the attacker cannot tell a small cell from a secondary one
    assert recover(pubs, [(["a", "b", "c"], "t")], TEN) == {}
    # a count hidden in one table and shown in another is recovered
    assert recover([("a", "*"), ("a", 12)], [], TEN) == {"a": 12}
    # chained tables: t1 = a + b; b = c + d with c, d shown; so a = t1 - c - d
    pubs = [("a", "*"), ("b", "*"), ("c", 10), ("d", 12), ("t1", 25)]
    assert recover(pubs, [(["a", "b"], "t1"), (["c", "d"], "b")], TEN) == {"a": 3, "b": 22}


def test_protect_adds_the_smallest_other_cell():
    # Table 3 of the paper: Clinical 93, Technical 3, Other 25 of 121
    counts = {"clinical": 93, "technical": 3, "other": 25, "all": 121}
    sums = [(["clinical", "technical", "other"], "all")]
    assert protect(counts, sums, TEN) == {
        "clinical": 93, "technical": "*", "other": "*", "all": 121,
    }  # fmt: skip
    # NHS rounding already hides 3: 121 (120 = 118..122) - 95 (93..97) - 25 (23..27) is 0..6
    assert protect(counts, sums, NHS) == {
        "clinical": 95, "technical": "*", "other": 25, "all": 120,
    }  # fmt: skip
    # a zero beside a 1 does not protect it (1 + 0 = 1 pins the 1): a non-zero cell is chosen
    counts = {"sd": 1, "d": 0, "n": 21, "a": 69, "sa": 30, "all": 121}
    published = protect(counts, [(["sd", "d", "n", "a", "sa"], "all")], TEN)
    assert published == {"sd": "*", "d": 0, "n": "*", "a": 69, "sa": 30, "all": 121}


def test_protected_patterns_resist_the_worst_case_attacker():
    counts = {"a": 1, "b": 1, "c": 40, "d": 12, "all": 54}
    sums = [(["a", "b", "c", "d"], "all")]
    for policy in (TEN, NHS):
        published = protect(counts, sums, policy)
        primary = [key for key, n in counts.items() if policy.primary(n)]
        assert recover(list(published.items()), sums, policy, primary) == {}


def test_publish_frequencies_hides_percent_with_count():
    table = pd.DataFrame(
        {
            "question_id": ["role"] * 3,
            "question": ["Role?"] * 3,
            "response": ["Clinical", "Technical", "Other"],
            "code": [1, 2, 3],
            "n": [93, 3, 25],
            "denominator": [121] * 3,
            "percent": [76.86, 2.48, 20.66],
        }
    )
    assert publish_frequencies(table, NONE) is table  # rule none: untouched
    ten = publish_frequencies(table, TEN)
    assert ten["n"].tolist() == [93, "*", "*"]
    assert ten["percent"].tolist() == ["76.86", "*", "*"]
    nhs = publish_frequencies(table, NHS)
    # percentages of the published counts: 95 / 120 and 25 / 120
    assert nhs["n"].tolist() == [95, "*", 25] and nhs["denominator"].tolist() == [120] * 3
    assert nhs["percent"].tolist() == ["79.17", "*", "20.83"]
