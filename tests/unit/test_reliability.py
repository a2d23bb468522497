"""Reliability statistics against independent computations on small data built here."""

import logging
import warnings
from decimal import Decimal, localcontext

import numpy as np
import pandas as pd
import pytest
from likertflow.coding import CODE_DTYPE
from likertflow.reliability import (
    alphas_if_deleted,
    cronbach_alpha,
    inter_item,
    item_rest_correlations,
    item_rest_table,
    reliability_tables,
    reliability_warnings,
    spearman,
    theme_correlations,
    theme_reliability,
)
from scipy import stats
from support import reverse_keyed as keyed
from support import toy_codebook as toy

# 8 respondents x 3 items on a 1-5 scale
ITEMS = np.array(
    [[1, 2, 1], [2, 2, 3], [3, 4, 3], [4, 4, 5], [5, 4, 4], [2, 1, 2], [3, 3, 4], [4, 5, 5]],
    dtype=float,
)


def hoyt_anova(items, confidence=0.95):
    """Alpha from a two-way (respondents x items) ANOVA, Hoyt (1941): 1 - MS_resid / MS_resp,
    and the interval of McGraw & Wong (1996) for ICC(C,k), which equals alpha."""
    n, k = items.shape
    grand = items.mean()
    ss_resp = k * ((items.mean(axis=1) - grand) ** 2).sum()
    ss_item = n * ((items.mean(axis=0) - grand) ** 2).sum()
    ss_resid = ((items - grand) ** 2).sum() - ss_resp - ss_item
    ms_resp, ms_resid = ss_resp / (n - 1), ss_resid / ((n - 1) * (k - 1))
    f_obs = ms_resp / ms_resid
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    low = 1 - stats.f.ppf(1 - tail, df1, df2) / f_obs
    high = 1 - stats.f.ppf(tail, df1, df2) / f_obs
    return 1 - ms_resid / ms_resp, low, high


def test_alpha_equals_hoyt_anova_and_covariance_formula():
    alpha, low, high = cronbach_alpha(ITEMS, 0.95)
    expected, expected_low, expected_high = hoyt_anova(ITEMS, 0.95)
    assert alpha == pytest.approx(expected)
    assert (low, high) == pytest.approx((expected_low, expected_high))
    # alpha = k c / (v + (k - 1) c), mean inter-item covariance c, mean item variance v
    cov = np.cov(ITEMS, rowvar=False)
    k = ITEMS.shape[1]
    c = cov[~np.eye(k, dtype=bool)].mean()
    v = np.diag(cov).mean()
    assert alpha == pytest.approx(k * c / (v + (k - 1) * c))
    assert low < alpha < high


def test_alpha_worked_by_hand():
    # items (1, 2, 3) and (2, 3, 3): variances 1 and 1/3; sums (3, 5, 6): variance 7/3;
    # alpha = 2/1 * (1 - (4/3) / (7/3)) = 6/7
    assert cronbach_alpha(np.array([[1, 2], [2, 3], [3, 3]], dtype=float))[0] == pytest.approx(
        6 / 7
    )


def test_alpha_of_identical_items_is_one_and_degenerate_cases_are_nan():
    base = ITEMS[:, :1]
    assert cronbach_alpha(np.hstack([base, base, base]))[0] == pytest.approx(1.0)
    assert np.isnan(cronbach_alpha(ITEMS[:1])[0])  # one respondent
    assert np.isnan(cronbach_alpha(ITEMS[:, :1])[0])  # one item
    assert np.isnan(cronbach_alpha(np.full((4, 2), 3.0))[0])  # no variance


def test_item_rest_is_pearson_with_the_other_items_sum():
    r = item_rest_correlations(ITEMS)
    for i in range(ITEMS.shape[1]):
        rest = np.delete(ITEMS, i, axis=1).sum(axis=1)
        assert r[i] == pytest.approx(np.corrcoef(ITEMS[:, i], rest)[0, 1])


def toy_questionnaire():
    """Theme t of statements x, y and z (the columns of ITEMS) and theme u of w alone, on a
    five-point scale with an off-scale answer."""
    return toy.questionnaire(
        {"s": "xyzw"},
        themes={"t": "xyz", "u": "w"},
        answers={"agreement": toy.scale("{}", off_scale=toy.UNSURE)},
    )


def toy_frame():
    frame = pd.DataFrame(ITEMS.astype(int), columns=list("xyz")).astype(CODE_DTYPE)
    frame.loc[0, "x"] = pd.NA  # unanswered
    frame.loc[1, "y"] = 9  # off-scale: counts as unanswered
    frame["w"] = pd.array([1, 2, 3, 4, 5, 1, 2, 3], dtype=CODE_DTYPE)
    return frame


def test_theme_correlations_are_pearson_on_ranks_pairwise_complete():
    table = theme_correlations(toy_frame(), toy_questionnaire())
    columns = ["survey", "theme", "item_a", "item_b", "rho", "p", "n", "log10_p"]
    assert list(table.columns) == columns
    assert list(zip(table.item_a, table.item_b, strict=True)) == [
        ("x", "y"),
        ("x", "z"),
        ("y", "z"),
    ]
    for row in table.itertuples():
        a, b = ITEMS[:, "xyz".index(row.item_a)], ITEMS[:, "xyz".index(row.item_b)]
        missing = {"x": 0, "y": 1}  # the row each item lacks in toy_frame
        keep = np.array(
            [i not in {missing.get(row.item_a), missing.get(row.item_b)} for i in range(8)]
        )
        ra, rb = stats.rankdata(a[keep]), stats.rankdata(b[keep])
        rho = np.corrcoef(ra, rb)[0, 1]
        n = int(keep.sum())
        t = rho * np.sqrt((n - 2) / (1 - rho**2))
        assert row.n == n
        assert row.rho == pytest.approx(rho)
        assert row.p == pytest.approx(2 * stats.t.sf(abs(t), n - 2))
    assert (table.theme == "t").all()  # theme u has one statement: no pairs


def test_reliability_uses_complete_cases():
    table = theme_reliability(toy_frame(), toy_questionnaire(), 0.90)
    row = table.set_index("theme").loc["t"]
    assert (row.n_items, row.n) == (3, 6)
    expected = hoyt_anova(ITEMS[2:], 0.90)
    assert (row.alpha, row.alpha_ci_low, row.alpha_ci_high) == pytest.approx(expected)
    assert "Feldt" in row.method and "90%" in row.method
    assert np.isnan(table.set_index("theme").loc["u", "alpha"])

    items = item_rest_table(toy_frame(), toy_questionnaire()).query("theme == 't'")
    np.testing.assert_allclose(items.item_rest_r, item_rest_correlations(ITEMS[2:]))
    assert row.item_rest_min == pytest.approx(items.item_rest_r.min())
    assert items.alpha_if_deleted.iloc[0] == pytest.approx(cronbach_alpha(ITEMS[2:, 1:])[0])


def likert_codes(rng, n, levels=5, missing=0.1):
    """n codes 1..levels as floats, a share of them missing (NaN)."""
    codes = rng.integers(1, levels + 1, size=n).astype(float)
    codes[rng.random(n) < missing] = np.nan
    return codes


@pytest.mark.parametrize("n", [3, 40, 5_000, 200_000])
def test_spearman_from_the_count_table_is_scipys_float(n):
    # Same floats as scipy.stats.spearmanr on the pairwise-complete values, not approximately:
    # the tables of a study written before this change stay byte-identical.
    rng = np.random.default_rng(n)
    x = likert_codes(rng, n)
    y = np.where(rng.random(n) < 0.6, x, likert_codes(rng, n, levels=7))  # correlated, ties
    both = ~(np.isnan(x) | np.isnan(y))
    if both.sum() < 3 or len(np.unique(x[both])) < 2 or len(np.unique(y[both])) < 2:
        x, y, both = np.array([1.0, 2, 3]), np.array([1.0, 3, 2]), np.ones(3, bool)
    expected = stats.spearmanr(x[both], y[both])
    rho, p, count = spearman(x, y)
    assert (rho, p, count) == (float(expected.statistic), float(expected.pvalue), both.sum())


def test_spearman_is_exact_where_scipys_sums_round():
    # Above a few hundred thousand pairs scipy's float sums of rank products round; the count
    # table's integer sums do not: rho is the correctly rounded value (in 60-digit arithmetic
    # from the respondents' midranks) and within 1e-14 of scipy's.
    rng = np.random.default_rng(7)
    n = 1_000_000
    x = likert_codes(rng, n, missing=0)
    y = np.clip(x + rng.integers(-1, 2, size=n), 1, 5)
    rho, _, _ = spearman(x, y)
    assert rho == pytest.approx(stats.spearmanr(x, y).statistic, rel=1e-14, abs=0)
    # twice (midrank - mean rank): integers, per respondent
    dx = (2 * stats.rankdata(x) - (n + 1)).astype(np.int64)
    dy = (2 * stats.rankdata(y) - (n + 1)).astype(np.int64)
    sums = [sum(int(v) for v in a * b) for a, b in ((dx, dy), (dx, dx), (dy, dy))]
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(sums[0]) / (Decimal(sums[1]) * Decimal(sums[2])).sqrt()
        assert abs(Decimal(rho) - exact) <= Decimal(float(np.spacing(rho))) / 2


def test_spearman_degenerate_cases_are_nan():
    assert np.isnan(spearman(np.array([1.0, 2.0]), np.array([2.0, 1.0]))[0])  # n < 3
    constant = spearman(np.array([3.0, 3, 3, 3]), np.array([1.0, 2, 3, 4]))
    assert np.isnan(constant[0]) and np.isnan(constant[1]) and constant[2] == 4
    assert spearman(np.array([1.0, 2, 3]), np.array([3.0, 2, 1]))[:2] == (-1.0, 0.0)


def test_two_statements_answered_alike_correlate_perfectly():
    """A pair answered identically (or exactly mirrored) by everyone: rho +-1, p 0 as scipy
    gives it, and log10 p -inf (written as a bound), not a crash of the job."""
    frame = toy_frame()
    frame["y"] = frame["x"]
    frame["z"] = 6 - frame["x"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # t = 1 / 0 on the way: infinite, with no warning
        table = theme_correlations(frame, toy_questionnaire()).set_index(["item_a", "item_b"])
    expected = stats.spearmanr(ITEMS[1:, 0], ITEMS[1:, 0])
    assert table.loc[("x", "y"), "rho"] == expected.statistic == 1.0
    assert table.loc[("x", "y"), "p"] == expected.pvalue == 0.0
    assert table.loc[("x", "z"), ["rho", "p"]].tolist() == [-1.0, 0.0]
    assert (table["log10_p"] == -np.inf).all()


def test_alpha_if_deleted_is_the_alpha_of_the_other_items_to_the_bit():
    rng = np.random.default_rng(3)
    base = rng.integers(1, 6, size=(100_000, 1))
    items = np.clip(base + rng.integers(-1, 2, size=(100_000, 6)), 1, 5).astype(float)
    expected = [cronbach_alpha(np.delete(items, i, axis=1))[0] for i in range(6)]
    assert alphas_if_deleted(items) == expected
    assert all(np.isnan(alphas_if_deleted(items[:, :2])))  # one item left: no alpha


# Reverse-keyed statements (support.reverse_keyed): expected values from R's psych package (an
# independent implementation that reverses items with its ``keys`` argument), made by
# ``Rscript tests/data/reverse_keyed_alpha.R`` on those data (psych 2.x; output: alpha, item-rest
# r (r.drop) of a, b, c, alpha if deleted, then the same without reversing).
R_ALPHA_KEYED = 0.963532513181019


R_ITEM_REST_KEYED = [0.944423058451927, 0.89241660915553, 0.933518170996215]


R_ALPHA_DELETED_KEYED = [0.929961089494163, 0.967919340054995, 0.93923789907312]


R_ALPHA_UNKEYED = -3.125


R_ITEM_REST_UNKEYED = [-0.261116483933547, -0.117360459774566, -0.933518170996215]


def test_marked_reverse_keyed_item_gives_the_independent_alpha():
    q = keyed.questionnaire(reverse=True)
    reliability = theme_reliability(keyed.frame(), q)
    assert reliability.loc[0, "alpha"] == pytest.approx(R_ALPHA_KEYED, abs=1e-12)
    item_rest = item_rest_table(keyed.frame(), q)
    assert item_rest["item_rest_r"].tolist() == pytest.approx(R_ITEM_REST_KEYED, abs=1e-12)
    assert item_rest["alpha_if_deleted"].tolist() == pytest.approx(R_ALPHA_DELETED_KEYED)
    assert reliability_warnings(reliability, item_rest, q, min_alpha=0.5).empty


def test_unmarked_reverse_keyed_item_is_flagged_in_log_and_table(caplog):
    q = keyed.questionnaire(reverse=False)
    reliability = theme_reliability(keyed.frame(), q)
    item_rest = item_rest_table(keyed.frame(), q)
    assert reliability.loc[0, "alpha"] == pytest.approx(R_ALPHA_UNKEYED)
    assert item_rest["item_rest_r"].tolist() == pytest.approx(R_ITEM_REST_UNKEYED, abs=1e-12)
    with caplog.at_level(logging.WARNING):
        warnings = reliability_warnings(reliability, item_rest, q, min_alpha=0.5)
    assert list(warnings["item"]) == ["", "a", "b", "c"]
    assert list(warnings["statistic"]) == ["alpha", "item_rest_r", "item_rest_r", "item_rest_r"]
    assert "reverse-keyed" in warnings.loc[3, "warning"] and "'c'" in warnings.loc[3, "warning"]
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(logged) == 4 and any("'c'" in m and "reverse-keyed" in m for m in logged)


def test_the_default_interval_is_95_percent():
    assert cronbach_alpha(ITEMS) == cronbach_alpha(ITEMS, 0.95)
    assert cronbach_alpha(ITEMS, 0.90)[1] > cronbach_alpha(ITEMS)[1]  # a narrower interval
    for table in (theme_reliability(toy_frame(), toy_questionnaire()),
                  reliability_tables(toy_frame(), toy_questionnaire())["reliability"]):  # fmt: skip
        assert table.loc[0, "method"] == (
            "Cronbach's alpha on complete cases; Feldt (1965) F-based 95% interval"
        )


def test_two_respondents_are_enough_for_alpha_by_hand():
    """Two respondents, two items: variances 2 and 4.5, of the sum 12.5: alpha = 2 (1 - 6.5 /
    12.5) = 0.96; their two answers correlate perfectly (r 1, Spearman-Brown 1)."""
    items = np.array([[1.0, 2.0], [3.0, 5.0]])
    alpha, low, high = cronbach_alpha(items, 0.95)
    assert alpha == pytest.approx(0.96) and low < alpha < high
    assert inter_item(items) == pytest.approx((1.0, 1.0))
    three = np.array([[1.0, 2.0, 1.0], [3.0, 5.0, 2.0]])
    assert alphas_if_deleted(three) == pytest.approx(
        [cronbach_alpha(three[:, [1, 2]])[0], cronbach_alpha(three[:, [0, 2]])[0], 0.96]
    )


def test_alpha_when_the_sum_has_variance_one():
    """Items (0, 1, 1) and (0, 0, 1): each variance 1/3, the sum's (0, 1, 2) exactly 1:
    alpha = 2 (1 - 2/3) = 2/3."""
    assert cronbach_alpha(np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]))[0] == pytest.approx(2 / 3)


def test_a_statement_everyone_answered_alike_gives_nan_without_warnings():
    """A constant statement has no correlation: NaN, and nothing in the job's log but the one
    warning that names the undefined rho."""
    items = np.array([[3.0, 1.0, 2.0], [3.0, 2.0, 2.0], [3.0, 4.0, 5.0], [3.0, 5.0, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rest = item_rest_correlations(items)
        assert np.isnan(rest[0]) and not np.isnan(rest[1:]).any()
        assert np.isnan(inter_item(items)).all()
        # constant where both are answered, though the first has another answer elsewhere
        rho, p, n = spearman(np.array([1.0, 1, 1, 2]), np.array([1.0, 2, 3, np.nan]))
        assert np.isnan(rho) and np.isnan(p) and n == 3
        rho, p, n = spearman(np.array([1.0, 2, 3, np.nan]), np.array([1.0, 1, 1, 2]))
        assert np.isnan(rho) and np.isnan(p) and n == 3


def test_an_undefined_rho_is_named_in_the_log(caplog):
    frame = toy_frame()
    frame["y"] = pd.array([3] * 8, dtype=CODE_DTYPE)
    with caplog.at_level(logging.WARNING):
        table = theme_correlations(frame, toy_questionnaire())
    assert "t: rho of x, y undefined (n=7)" in caplog.messages
    row = table[(table.item_a == "x") & (table.item_b == "y")].iloc[0]
    assert np.isnan(row.rho) and np.isnan(row.log10_p)


@pytest.mark.parametrize("complete", [0, 1, 2])
def test_a_theme_few_answered_completely(complete):
    """No, one or two respondents who answered every statement: the item-rest r and alpha are
    NaN below two, computed from two on, with no warning in the log."""
    frame = toy_frame().iloc[2 : 2 + complete]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tables = reliability_tables(frame, toy_questionnaire(), 0.95)
    rows = tables["item_rest"].query("theme == 't'")
    assert rows["n"].tolist() == [complete] * 3
    if complete < 2:
        assert rows["item_rest_r"].isna().all()
        assert np.isnan(tables["reliability"].loc[0, "item_rest_min"])
    else:
        expected = item_rest_correlations(ITEMS[2:4])
        np.testing.assert_array_equal(rows["item_rest_r"], expected)


def test_the_log10_p_of_a_large_theme_is_on_n_minus_2_df():
    """64,600 respondents whose two statements correlate (rho about 0.24): the p underflows and
    the table's log10 p is the t tail on n - 2 df."""
    from likertflow.pvalues import log10_t_p
    from likertflow.reliability import spearman_t

    x = np.repeat([1, 1, 2, 2], [20_000, 12_300, 12_300, 20_000])
    y = np.repeat([1, 2, 1, 2], [20_000, 12_300, 12_300, 20_000])
    frame = pd.DataFrame({"x": pd.array(x, dtype=CODE_DTYPE), "y": pd.array(y, dtype=CODE_DTYPE),
                          "z": pd.array(y, dtype=CODE_DTYPE),
                          "w": pd.array(x, dtype=CODE_DTYPE)})  # fmt: skip
    row = theme_correlations(frame, toy_questionnaire()).iloc[0]
    assert row.p == 0.0 and row.n == 64_600
    assert row.log10_p == log10_t_p(spearman_t(row.rho, 64_600), 64_598, 0.0) < -300
