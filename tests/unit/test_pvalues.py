"""p values are never written as 0: log10 of each p computed in log space where the p underflows,
adjusted p values likewise, and a true bound written where a float cannot hold the p.

Independent computations: the normal tail's asymptotic (Mills ratio) series, the chi-squared
tail's closed forms (even df: a finite sum; 3 df: erfc plus a term), H = N - 1 for groups that
do not overlap, and statsmodels' multipletests on representable p values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from likertflow.comparisons import compare_outcome
from likertflow.multiplicity import (
    adjust_families,
    adjust_log10,
    adjust_with_log10,
    gated_posthoc,
)
from likertflow.ordinal import ordinal_models
from likertflow.pvalues import (
    SMALLEST_NORMAL,
    bound,
    log10_chi2_p,
    log10_normal_p,
    log10_t_p,
    numeric,
    with_bounds,
)
from likertflow.settings import ComparisonSettings, OrdinalSettings
from scipy import special
from support import filled
from support import toy_codebook as toy

ANALYSIS = filled.analysis(ComparisonSettings, bootstrap_resamples=200, seed=1)


# --- independent computations -------------------------------------------------------------


def log10_two_sided_normal_by_series(z: float) -> float:
    """log10(2 Phi(-z)) for large z from the Mills-ratio series
    Phi(-z) = phi(z) / z (1 - 1/z^2 + 3/z^4 - 15/z^6 + 105/z^8 - ...)."""
    series = 1 - z**-2 + 3 * z**-4 - 15 * z**-6 + 105 * z**-8 - 945 * z**-10
    log_tail = -(z**2) / 2 - math.log(z) - 0.5 * math.log(2 * math.pi) + math.log(series)
    return (math.log(2) + log_tail) / math.log(10)


def log10_chi2_even_df(x: float, df: int) -> float:
    """Q(k, y) = exp(-y) sum_{i<k} y^i / i!, k = df / 2, y = x / 2: its log10."""
    y = x / 2
    terms = [i * math.log(y) - math.lgamma(i + 1) for i in range(df // 2)]
    top = max(terms)
    return (-y + top + math.log(sum(math.exp(t - top) for t in terms))) / math.log(10)


def log10_chi2_three_df(x: float) -> float:
    """Q(3/2, y) = erfc(sqrt y) + 2 sqrt(y / pi) exp(-y), with erfc(sqrt y) = exp(-y) / sqrt(pi y)
    (1 - 1/(2y) + 3/(4y^2) - 15/(8y^3) + ...): its log10 for large y = x / 2."""
    y = x / 2
    erfc_part = (1 - 1 / (2 * y) + 3 / (4 * y**2) - 15 / (8 * y**3)) / math.sqrt(math.pi * y)
    return (-y + math.log(erfc_part + 2 * math.sqrt(y / math.pi))) / math.log(10)


# --- the tails in log space ---------------------------------------------------------------


@pytest.mark.parametrize("z", [40.0, 45.0, 100.0, 1000.0, 1e5])
def test_normal_tail_below_the_smallest_float_equals_the_series(z):
    p = float(2 * special.ndtr(-z))
    assert p < SMALLEST_NORMAL
    assert log10_normal_p(z, p) == pytest.approx(log10_two_sided_normal_by_series(z), rel=1e-12)


@pytest.mark.parametrize("z", [0.5, 3.0, 20.0, 37.0])
def test_normal_tail_where_representable_is_log10_of_the_p(z):
    p = float(2 * special.ndtr(-z))
    assert log10_normal_p(z, p) == math.log10(p)


@pytest.mark.parametrize("df", [2, 4, 10, 40])
@pytest.mark.parametrize("x", [1500.0, 3000.0, 1e5])
def test_chi2_tail_below_the_smallest_float_equals_the_closed_form(df, x):
    p = float(special.chdtrc(df, x))
    if x > 1500 or df < 10:
        assert p < SMALLEST_NORMAL
    assert log10_chi2_p(x, df, p) == pytest.approx(log10_chi2_even_df(x, df), rel=1e-12)


@pytest.mark.parametrize("x", [2000.0, 2e4])
def test_chi2_tail_on_odd_df_equals_the_closed_form(x):
    assert log10_chi2_p(x, 3, 0.0) == pytest.approx(log10_chi2_three_df(x), rel=1e-12)


@pytest.mark.parametrize("log10_p", [-307.9, -308.0, -412.3, -412.0, -5000.5, -1e6 + 0.25])
def test_bound_is_true_and_the_tightest_power_of_ten(log10_p):
    text = bound(log10_p)
    assert text.startswith("<1e-")
    exponent = int(text[3:])  # p < 10 ** exponent
    assert log10_p < exponent and not log10_p < exponent - 1


# --- adjustment in log space ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_log_space_adjustment_equals_statsmodels_where_representable(method):
    from statsmodels.stats.multitest import multipletests

    p = np.random.default_rng(4).uniform(1e-12, 1, 30) ** 3
    expected = multipletests(p, method=method)[1]
    np.testing.assert_allclose(10 ** adjust_log10(np.log10(p), method), expected, rtol=1e-12)


def test_holm_in_log_space_by_definition_below_the_smallest_float():
    log10_p = np.array([-400.0, -500.0, math.log10(0.01), math.log10(0.04)])
    floats, logs = adjust_with_log10(np.array([0.0, 0.0, 0.01, 0.04]), log10_p, "holm")
    # sorted: -500 (x4), -400 (x3), 0.01 (x2), 0.04 (x1), each the running maximum
    assert logs[1] == pytest.approx(-500 + math.log10(4))
    assert logs[0] == pytest.approx(-400 + math.log10(3))
    assert logs[2] == pytest.approx(math.log10(0.02)) and logs[3] == pytest.approx(
        math.log10(0.04)
    )
    # the floats are statsmodels' arithmetic: 0.0 where the adjusted p comes from an underflow
    assert floats.tolist() == [0.0, 0.0, 0.02, 0.04]


def test_benjamini_hochberg_in_log_space_by_definition_below_the_smallest_float():
    log10_p = np.array([-400.0, -500.0, math.log10(0.03)])
    floats, logs = adjust_with_log10(10.0**log10_p, log10_p, "fdr_bh")
    # p_(i) m / i, made monotone from the largest down
    assert logs[1] == pytest.approx(-500 + math.log10(3))
    assert logs[0] == pytest.approx(-400 + math.log10(3 / 2))
    assert logs[2] == pytest.approx(math.log10(0.03))
    assert floats.tolist() == [0.0, 0.0, pytest.approx(0.03)]


def test_a_subnormal_p_counts_as_underflowed_in_the_adjustment():
    """1e-310 is a float, but a subnormal one (few significant bits): the adjusted p derived
    from it is a bound, not a float carrying its error."""
    floats, logs = adjust_with_log10(np.array([1e-310, 0.5]), np.array([-310.0, -0.30103]), "holm")
    assert floats[0] == 0.0 and logs[0] == pytest.approx(-310 + math.log10(2))


# --- what is written ----------------------------------------------------------------------


def test_with_bounds_writes_a_bound_only_where_the_float_cannot_hold_the_p():
    frame = pd.DataFrame(
        {"p": [0.0, 0.5, 1e-310], "log10_p": [-412.3, math.log10(0.5), -310.0],
         "p_adjusted": [0.02, 1.0, 0.3], "log10_p_adjusted": [-1.7, 0.0, -0.5]}
    )  # fmt: skip
    written = with_bounds(frame)
    assert written["p"].tolist() == ["<1e-412", 0.5, "<1e-309"]
    assert written["p_adjusted"].dtype == "float64"  # untouched: the CSV keeps its bytes
    assert numeric(written["p"]).tolist() == [0.0, 0.5, 0.0]


def test_the_smallest_normal_float_is_written_as_itself():
    """2.2e-308 still has full precision and is written as its float; the next float down, a
    subnormal, is written as a bound."""
    frame = pd.DataFrame(
        {"p": [SMALLEST_NORMAL, np.nextafter(SMALLEST_NORMAL, 0)], "log10_p": [-307.65, -307.66]}
    )
    assert with_bounds(frame)["p"].tolist() == [SMALLEST_NORMAL, "<1e-307"]


def test_a_table_written_twice_keeps_its_bounds():
    """A table read back with its bounds (a published table, or one written by an earlier step)
    is written as it is."""
    frame = pd.DataFrame({"p": [0.0, 0.5], "log10_p": [-412.3, math.log10(0.5)]})
    once = with_bounds(frame)
    assert with_bounds(once)["p"].tolist() == ["<1e-412", 0.5]


def test_with_bounds_keeps_each_p_on_its_row_of_a_filtered_table():
    frame = pd.DataFrame(
        {"p": [0.0, 0.5, 0.0], "log10_p": [-412.3, math.log10(0.5), -900.0]}, index=[7, 3, 11]
    )
    written = with_bounds(frame)
    assert written["p"].to_dict() == {7: "<1e-412", 3: 0.5, 11: "<1e-899"}


def test_a_p_column_without_its_log10_is_left_as_it_is():
    """Only a p beside its exact log10 can be written as a bound; a table without the log10
    column (a hand-made or older one) is written unchanged."""
    frame = pd.DataFrame({"p": [0.0, 0.5], "log10_p_adjusted": [-3.0, -0.1]})
    assert with_bounds(frame)["p"].tolist() == [0.0, 0.5]


def test_p_values_read_back_from_a_csv():
    cells = pd.Series(["0.0461", "<1e-412", "*", 0.5, np.nan], dtype="object")
    np.testing.assert_array_equal(numeric(cells), [0.0461, 0.0, np.nan, 0.5, np.nan])


def test_a_perfect_correlation_states_a_log10_p_of_minus_infinity():
    """Two statements answered identically: rho 1, t infinite, p 0 and its log10 -inf (written
    as the fallback bound), never +inf."""
    from likertflow.reliability import spearman_from_table, spearman_t

    rho, p, n = spearman_from_table(np.array([[3, 0], [0, 4]]))
    assert (rho, p, n) == (1.0, 0.0, 7)
    assert log10_t_p(float(spearman_t(rho, n)), n - 2, p) == -math.inf
    assert bound(-math.inf) == "<1e-307"


@pytest.mark.parametrize(
    "log10_p",
    [
        lambda: log10_chi2_p(3000.0, 2, 0.0),
        lambda: log10_t_p(80.0, 64598, 0.0),
    ],
    ids=["chi2", "t"],
)
def test_an_underflowing_p_logs_no_warning(log10_p):
    """The log space computation passes through log(0) on its way; the job's log must not show
    a divide-by-zero warning for a p that is stated correctly."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert log10_p() < -300


def test_journal_p_at_its_edges():
    """AMA style: 0.001 itself and 0.99 itself are printed as numbers, only beyond them as
    "<0.001" and ">0.99"; no p (NaN in memory, empty in a CSV) prints empty."""
    from likertflow.pvalues import journal_p

    assert [journal_p(p) for p in ["0.001", "0.99", "0.0009999", "0.9900001"]] == [
        "0.001", "0.99", "<0.001", ">0.99",
    ]  # fmt: skip
    assert [journal_p(p) for p in [float("nan"), "NaN", " ", "*"]] == ["", "", "", "*"]
    assert journal_p("0.0496") == "0.0496" and journal_p("0.0496", alpha=0.01) == "0.05"
    # two decimals from 0.01 up; alpha itself is not below alpha; at most six decimals
    assert [journal_p(p) for p in ["0.01", "0.05", "0.04999999"]] == ["0.01", "0.05", "0.050000"]


def test_gate_text_states_a_bound():
    tests = pd.DataFrame(
        {"comparison": ["c"], "outcome": ["o"], "test": ["Kruskal-Wallis H"], "p": [0.0],
         "log10_p": [-700.2]}
    )  # fmt: skip
    adjusted = adjust_families(tests, {"c": "f"}, "holm")
    posthoc = pd.DataFrame({"comparison": ["c"], "outcome": ["o"], "group_a": ["a"]})
    kept = gated_posthoc(posthoc, adjusted, 0.05)
    assert kept["gate"].tolist() == [
        "Kruskal-Wallis H: p adjusted (holm, family f) < 1e-700 < alpha 0.05"
    ]
    assert with_bounds(kept)["gate_p_adjusted"].tolist() == ["<1e-700"]
    assert kept["gate_log10_p_adjusted"].tolist() == [-700.2]


# --- the tests on data whose p underflows -------------------------------------------------


def test_mann_whitney_of_disjoint_groups_states_its_log10_p():
    n1, n2 = 1000, 1200
    values = np.r_[np.full(n1, 5.0), np.full(n2, 1.0)]
    groups = np.r_[np.zeros(n1, int), np.ones(n2, int)]
    row, _, _ = compare_outcome(values, groups, ["a", "b"], ANALYSIS, "auto")
    assert row["p"] == 0.0  # the float underflows
    # z by the formula: U = n1 n2, two tied values of n1 and n2
    n = n1 + n2
    s = math.sqrt(n1 * n2 / 12 * ((n + 1) - (n1**3 - n1 + n2**3 - n2) / (n * (n - 1))))
    z = (n1 * n2 / 2 - 0.5) / s
    assert row["log10_p"] == pytest.approx(log10_two_sided_normal_by_series(z), rel=1e-12)
    assert row["log10_p"] < -320


def test_kruskal_wallis_and_dunn_of_disjoint_groups_state_their_log10_p():
    sizes = [700, 800, 900]
    values = np.concatenate([np.full(size, float(k + 1)) for k, size in enumerate(sizes)])
    groups = np.repeat(np.arange(3), sizes)
    row, _, posthoc = compare_outcome(values, groups, ["a", "b", "c"], ANALYSIS, "auto")
    n = sum(sizes)
    assert row["statistic"] == pytest.approx(n - 1)  # no overlap, every group one value
    assert row["p"] == 0.0
    # chi-squared on 2 df: Q = exp(-H / 2)
    assert row["log10_p"] == pytest.approx(-(n - 1) / 2 / math.log(10), rel=1e-12)
    extreme = posthoc[(posthoc.group_a == "a") & (posthoc.group_b == "c")].iloc[0]
    assert extreme["p"] == 0.0 and extreme["p_adjusted"] == 0.0
    assert extreme["log10_p"] == pytest.approx(
        log10_two_sided_normal_by_series(abs(extreme["z"])), rel=1e-12
    )
    # Holm over the 3 pairs: the smallest p times 3
    assert extreme["log10_p_adjusted"] == pytest.approx(extreme["log10_p"] + math.log10(3))
    assert with_bounds(posthoc).loc[extreme.name, "p"] == bound(extreme["log10_p"])


def test_ordinal_model_term_states_its_log10_p():
    questionnaire = toy.questionnaire(
        {"s": "x"},
        answers={"agreement": toy.scale(list("ABCDE")), "yes_no": toy.YES_NO},
        questions=[{"id": "seen", "text": "Seen?", "answers": "yes_no"},
                   {"id": "other", "text": "Other?", "answers": "yes_no"}, "statements"],
        survey="people",
        label="People",
    )  # fmt: skip
    rng = np.random.default_rng(8)
    n = 40_000
    seen, other = rng.integers(1, 3, n), rng.integers(1, 3, n)
    latent = 6.0 * (seen == 2) + 0.2 * (other == 2) + rng.logistic(size=n)
    x = np.searchsorted([1.0, 2.5, 4.0, 5.5], latent) + 1
    frame = pd.DataFrame(
        {"response_id": [f"R{i}" for i in range(n)],
         **{name: pd.array(column, dtype="Int16") for name, column in
            [("seen", seen), ("other", other), ("x", x)]}}
    )  # fmt: skip
    spec = filled.comparison(survey="people", by="seen", outcomes=["x"], family="f",
                             adjust_for=["other"])  # fmt: skip
    settings = filled.analysis(OrdinalSettings)
    models = ordinal_models("c", spec, {"people": frame}, {"people": questionnaire}, settings)
    group = models[models.term.str.startswith("group")].iloc[0]
    z = abs(group["estimate"] / group["std_error"])
    assert z > 40 and group["p"] == 0.0
    assert group["log10_p"] == pytest.approx(log10_two_sided_normal_by_series(z), rel=1e-12)
    assert with_bounds(models).loc[group.name, "p"] == bound(group["log10_p"])


def log10_t_tail_by_series(t: float, df: float) -> float:
    """log10 of 2 P(T > t) = I_x(df/2, 1/2), x = df / (df + t^2), by the series
    I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) sum_k (a + b)_k / (a + 1)_k x^k."""
    a, b, x = df / 2, 0.5, df / (df + t * t)
    total, term, k = 1.0, 1.0, 0
    while term > 1e-18 * total:
        term *= (a + b + k) / (a + 1 + k) * x
        total += term
        k += 1
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    log_i = a * math.log(x) + b * math.log1p(-x) - math.log(a) - log_beta + math.log(total)
    return log_i / math.log(10)


def test_spearman_p_of_a_large_survey_states_its_log10():
    """A correlation over 64,600 respondents (the size of a national election study): its
    t-approximation p underflows, its log10 does not."""
    from likertflow.pvalues import log10_t_p
    from likertflow.reliability import spearman_from_table, spearman_t

    table = np.array([[20_000, 12_300], [12_300, 20_000]])  # rho about 0.24
    rho, p, n = spearman_from_table(table)
    assert n == 64_600 and p == 0.0
    t = float(spearman_t(rho, n))
    log10_p = log10_t_p(t, n - 2, p)
    assert log10_p == pytest.approx(log10_t_tail_by_series(t, n - 2), rel=1e-10)
    assert log10_p < -320
