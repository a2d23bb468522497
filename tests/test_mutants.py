"""One test for each small bug that issue 11 planted in the library and the fast tests missed.

Each test names the mutation it kills. Tolerances are set from what the computation needs, with
the reason beside them, so that a plausible bug cannot hide inside them.
"""

from __future__ import annotations

from math import comb

import exportkit
import numpy as np
import pandas as pd
import pytest
from likertflow.agreement import bootstrap_mean_percent
from likertflow.cleaning import clean
from likertflow.coding import question_asked
from likertflow.comparisons import compare_outcome
from likertflow.ingest import code_export
from likertflow.multiplicity import gated_posthoc
from likertflow.rank_stats import count_table, rank_biserial
from likertflow.resampling import bootstrap_interval
from scipy import stats

PATIENTS = exportkit.questionnaire("patients")


# --- Mann-Whitney: exact p when there are no ties and the smaller group has at most 8 ----------


def exact_two_sided_p(first, second):
    """Exact two-sided p of U1 without ties, by counting the subsets of ranks (dynamic
    programming over rank sums): independent of scipy's algorithm."""
    m, n = len(first), len(second)
    ranks = stats.rankdata(np.concatenate([first, second]))
    u = ranks[:m].sum() - m * (m + 1) / 2
    # ways[k][s]: subsets of k ranks among those seen with sum s
    ways = [[0] * (m * (m + n) + 1) for _ in range(m + 1)]
    ways[0][0] = 1
    for rank in range(1, m + n + 1):
        for k in range(min(m, rank), 0, -1):
            for s in range(len(ways[k]) - 1, rank - 1, -1):
                ways[k][s] += ways[k - 1][s - rank]
    counts = np.array(ways[m][m * (m + 1) // 2 :][: m * n + 1], dtype=float)  # U = 0 .. mn
    total = comb(m + n, m)
    low, high = counts[: int(u) + 1].sum() / total, counts[int(u) :].sum() / total
    return min(1.0, 2 * min(low, high))


@pytest.mark.parametrize("smaller", [8, 9])
def test_mann_whitney_is_exact_up_to_8_in_the_smaller_group(smaller):
    """Kills `<= 8` -> `< 8` and min -> max of the group sizes in the exact-p rule."""
    rng = np.random.default_rng(smaller)
    values = rng.permutation(np.arange(smaller + 12, dtype=float))  # no ties
    first, second = values[:smaller], values[smaller:]
    groups = np.repeat([0, 1], [smaller, 12])
    row, _, _ = compare_outcome(values, groups, ["a", "b"], {})
    if smaller == 8:
        assert "exact null distribution" in row["method"]
        assert row["p"] == pytest.approx(exact_two_sided_p(first, second), rel=1e-12)
    else:
        assert "normal approximation" in row["method"]
        u = row["statistic"]
        sigma = np.sqrt(smaller * 12 * (smaller + 13) / 12)
        z = (abs(u - smaller * 6) - 0.5) / sigma
        assert row["p"] == pytest.approx(2 * stats.norm.sf(z), rel=1e-12)


# --- bootstrap intervals at their stated level ---------------------------------------------


def test_agreement_bootstrap_interval_is_95_percent():
    """Kills a 90 % interval (or any level off by 2 points) in the agreement-summary bootstrap.

    One statement, 1000 respondents, 500 agreeing: the bootstrap distribution of % agree is
    exactly 100 Binomial(1000, 0.5) / 1000. With 20,000 resamples the Monte Carlo sd of its
    2.5 % quantile is about 0.03 points; a 90 % interval moves each end by 0.5 points. Tolerance
    0.15 points: 5 sd, a third of the smallest bug it must catch.
    """
    states = np.repeat([[2], [1]], 500, axis=0)
    low, high = bootstrap_mean_percent(states, 0.95, 20_000, seed=1)
    expected = 100 * stats.binom.ppf([0.025, 0.975], 1000, 0.5) / 1000
    assert (low, high) == pytest.approx(tuple(expected), abs=0.15)


def test_comparison_bootstrap_interval_is_95_percent():
    """Kills a comparison bootstrap at about 92 %: compared with resampling rows by hand.

    Two groups of 60 and 70 on a 5-point scale. The 2.5 % quantile of r estimated from 100,000
    resamples has a Monte Carlo sd of about 0.0016 (measured 0.0035 at 20,000), so ours and the
    by-hand one differ by about 0.0022 (sd). A 92 % interval moves the ends by 0.022 and 0.017.
    Tolerance 0.007: over 3 sd of that difference, well under half the bug.
    """
    rng = np.random.default_rng(4)
    first = rng.choice(5, 60, p=[0.1, 0.2, 0.3, 0.25, 0.15]).astype(float)
    second = rng.choice(5, 70, p=[0.15, 0.25, 0.3, 0.2, 0.1]).astype(float)
    values = np.concatenate([first, second])
    settings = {"confidence_level": 0.95, "bootstrap_resamples": 100_000, "seed": 3}
    row, _, _ = compare_outcome(values, np.repeat([0, 1], [60, 70]), ["a", "b"], settings)
    low, high = row["effect_ci_low"], row["effect_ci_high"]
    table = count_table(values, np.repeat([0, 1], [60, 70]), 2)
    assert (low, high) == bootstrap_interval(table, rank_biserial, 0.95, 100_000, seed=3)
    signs = np.sign(np.arange(5)[:, None] - np.arange(5)[None, :])  # value a vs value b
    by_hand = []
    for _ in range(5):  # 5 blocks of 20,000 resamples of rows; r by comparing every pair
        x = first[rng.integers(0, 60, (20_000, 60))]
        y = second[rng.integers(0, 70, (20_000, 70))]
        count_x = (x[:, :, None] == np.arange(5)).sum(axis=1)  # resamples x values
        count_y = (y[:, :, None] == np.arange(5)).sum(axis=1)
        by_hand.append(np.einsum("ra,ab,rb->r", count_x, signs, count_y) / (60 * 70))
    expected = np.quantile(np.concatenate(by_hand), [0.025, 0.975])
    assert (low, high) == pytest.approx(tuple(expected), abs=0.007)


# --- skip logic: a question with several wordings is asked when any of them is --------------


def test_question_with_several_wordings_is_asked_when_any_wording_is():
    """Kills `any` -> `every` wording in question_asked (wants_to_see has three wordings, each
    asked under another condition; a respondent meets exactly one)."""
    yes, no = (PATIENTS.question("had_imaging").answers.code_of[x] for x in ("Yes", "No"))
    coded = pd.DataFrame(
        {"had_imaging": [yes, yes, no, pd.NA], "saw_images": [yes, no, pd.NA, pd.NA]}
    ).astype("Int16")
    asked = question_asked(coded, PATIENTS.question("wants_to_see"), PATIENTS)
    assert asked.tolist() == [True, True, True, False]


# --- duplicates: the latest completion wins before the latest start -------------------------


def test_duplicate_finished_later_but_started_earlier_is_kept():
    """Kills ranking the start time before the completion time."""
    records = {
        "a": {"started": "2020-05-07 08:00:00", "completed": "2020-05-07 09:30:00"},
        "b": {"started": "2020-05-07 08:30:00", "completed": "2020-05-07 09:20:00"},
    }
    batches = [
        code_export(
            exportkit.export_frame(
                PATIENTS,
                exportkit.answers_from_records(PATIENTS, [{"response_id": "x", **record}]),
            ),
            PATIENTS,
            name,
        )
        for name, record in records.items()
    ]
    for order in (batches, batches[::-1]):
        analysed, _ = clean(order, PATIENTS, [])
        assert analysed["batch"].tolist() == ["a"]


# --- thresholds: strict where the method says strict ----------------------------------------


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


def test_small_group_warning_is_strict_at_the_minimum():
    """Kills warning about a group whose n equals min_group_size."""
    values = np.array([1.0, 2, 3, 4, 5, 1, 2, 3, 4])
    groups = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1])
    row, _, _ = compare_outcome(values, groups, ["five", "four"], {"min_group_size": 5})
    assert row["warning"] == "groups smaller than 5: four (n=4)"
