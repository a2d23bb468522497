"""The numbers R wrote for the weighted and paired checks (tests/r/*.R, stored under
tests/expected/ with the command that made them in each file's first line), and how close ours
must be to them."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

EXPECTED = Path(__file__).resolve().parents[1] / "expected"
REL = 1e-6  # issue 23's tolerance; measured worst case: about 1e-7 (svyolr's numerical Hessian)


def expected(name: str) -> dict[tuple[str, str, str], float]:
    """tests/expected/<name>.csv as (what, question or statement, term) -> value."""
    return expected_from(EXPECTED / f"{name}.csv")


def expected_from(path: Path) -> dict[tuple[str, str, str], float]:
    """The numbers an R script wrote: (what, question or statement, term) -> value."""
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {(row["what"], row[list(row)[1]], row["term"]): float(row["value"]) for row in rows}


def close(got: float, want: float) -> bool:
    if np.isnan(want):
        return bool(np.isnan(got))
    return got == pytest.approx(want, rel=REL, abs=1e-12)


def assert_paired_test_equals_r(row, want: dict) -> None:
    """One statement's row of paired_tests (a namedtuple) against R: wilcox.test(paired =
    TRUE)'s V, p and zeros, effectsize's rank-biserial and interval, Stuart-Maxwell's test."""
    s = row.statement
    assert close(row.signed_rank_v, want[("signed_rank", s, "V")])
    assert close(row.p, want[("signed_rank", s, "p")])
    assert row.unchanged == want[("signed_rank", s, "zeros")]
    assert close(row.rank_biserial, want[("rank_biserial", s, "r")])
    assert close(row.rb_ci_low, want[("rank_biserial", s, "low")])
    assert close(row.rb_ci_high, want[("rank_biserial", s, "high")])
    assert close(row.marginal_statistic, want[("stuart_maxwell", s, "statistic")])
    assert close(row.marginal_p, want[("stuart_maxwell", s, "p")])
    assert row.marginal_df == want[("stuart_maxwell", s, "df")]


PANEL_TERMS = [("weighted_mean_before", "before"), ("weighted_mean_after", "after"),
               ("mean_difference", "difference"), ("std_error", "se"), ("deff", "deff"),
               ("statistic", "t"), ("df", "df"), ("p", "p"), ("ci_low", "low"),
               ("ci_high", "high")]  # fmt: skip


def assert_weighted_panel_test_equals_r(row, want: dict) -> None:
    """One statement's row of weighted_paired_tests against R: the weighted means, svyttest of
    the paired differences on the first wave's design, and the number of matched pairs."""
    for column, term in PANEL_TERMS:
        assert close(getattr(row, column), want[("panel/test", row.statement, term)]), term
    assert row.n == want[("panel", "", "matched")]


def assert_weighted_frequency_equals_r(row, want: dict, answered: int) -> int:
    """One answer's row of weighted_frequencies (a namedtuple) against R's svyciprop and svymean
    (percent, standard error, design effect, interval, degrees of freedom), and its effective
    sample size: the question's domain (``answered``) over the design effect. The number of
    values compared."""
    checked = 0
    for column in ["weighted_percent", "std_error", "deff", "ci_low", "ci_high"]:
        what = "percent" if column == "weighted_percent" else column
        key = (what, row.question_id, str(row.code))
        assert close(getattr(row, column), want[key]), (key, getattr(row, column))
        checked += 1
    assert row.df == want[("df", row.question_id, "df")]
    assert row.n_effective == pytest.approx(answered / row.deff, rel=1e-12)
    return checked


def assert_weighted_panel_cell_equals_r(row, cell: int, statement: str, want: dict) -> None:
    """One cell of a weighted before-by-after table against R: the percentage, its standard
    error and design effect, its logit interval (none for a share of 0) and the df."""
    compared = [("weighted_percent", "percent"), ("std_error", "se"), ("deff", "deff")]
    if row.n == 0:  # no logit interval of a share of 0
        assert np.isnan(row.ci_low) and np.isnan(row.ci_high)
    else:
        compared += [("ci_low", "low"), ("ci_high", "high")]
    for column, term in compared:
        key = ("panel/table", statement, f"{term} {cell}")
        assert close(getattr(row, column), want[key]), key
    assert row.df == want[("panel/table", statement, "df")]


THEME_TERMS = [("weighted_mean", "mean"), ("std_error", "se"), ("deff", "deff"),
               ("ci_low", "low"), ("ci_high", "high"), ("df", "df")]  # fmt: skip


def assert_weighted_theme_mean_equals_r(row, theme: str, want: dict) -> None:
    """The row of weighted_theme_means (a Series) against R's svymean and confint of the theme
    score: mean, standard error, design effect, interval, degrees of freedom."""
    for column, term in THEME_TERMS:
        assert close(row[column], want[("theme", theme, term)]), column


TWO_GROUP_TERMS = [("statistic", "t"), ("df", "df"), ("p", "p"), ("estimate", "estimate")]


def assert_two_group_tests_equal_r(table: pd.DataFrame, want: dict):
    """The rows of weighted_comparisons of one comparison of two groups against R: each
    outcome's design-based rank test (svyranktest, mid-ranks patched) and proportional-odds
    model (svyolr): statistic, df, p and estimate. The rank tests and the models, by outcome."""
    ranks = table[table["test"] == "design-based rank test"].set_index("outcome")
    models = table[table["test"] == "proportional-odds model"].set_index("outcome")
    for outcome in ranks.index:
        for column, term in TWO_GROUP_TERMS:
            assert close(ranks.at[outcome, column], want[("rank_test", outcome, term)]), outcome
            assert close(models.at[outcome, column], want[("olr", outcome, term)]), outcome
    return ranks, models
