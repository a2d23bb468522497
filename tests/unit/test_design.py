"""Design-based estimates, tests and models against R's survey package (issue 23).

tests/expected/design_survey.csv was made by the command in its header (R 4.2.2, survey 4.1.1)
from the samples in tests/data/design_*.csv (tests/r/design_data.py). Here the same numbers are
computed from additive totals (design.CellTotals, design.MomentTotals) built batch by batch, and
compared: every estimate, standard error, design effect, interval, df, test and model within 1e-6
relative. Measured worst cases are written beside each tolerance. A live check reruns the R
script when R and its survey package are present (``Rscript``, or the launcher named by
LIKERTFLOW_RSCRIPT).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from likertflow import design as D
from likertflow import design_tests as T
from scipy import stats
from scipy.special import expit
from support.rscript import run_live

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
EXPECTED = TESTS / "expected" / "design_survey.csv"
R_SCRIPT = TESTS / "r" / "design_survey.R"
CASES = [
    ("national", "none", "fail"),
    ("national", "fpc", "fail"),
    *[("clustered", fpc, lonely) for fpc in ("none", "fpc")
      for lonely in ("adjust", "average", "certainty", "remove")],
    ("clustered", "census_D", "fail"),
    ("unweighted", "none", "adjust"),
]  # fmt: skip
DOMAINS = {
    "all": lambda d: np.ones(len(d), bool),
    "finished": lambda d: d["finished"].to_numpy(),
    "finished_F": lambda d: (d["finished"] & (d["sex"] == "F")).to_numpy(),
    "old": lambda d: (d["age"] == "65+").to_numpy(),
    "some_psus": lambda d: (
        d["stratum"].isin(["North", "South"])
        if "psu" not in d
        else d["psu"].isin(["A1", "B2", "C1", "C2", "D1"])
    ).to_numpy(),
}
METHODS = ["logit", "likelihood", "asin", "beta", "mean", "xlogit"]
AGREE = np.array([False, False, False, True, True])  # codes 4 and 5 of 1..5
RARE = np.array([True, False, False, False, False])  # code 1
AGE = {"18-34": 0, "35-64": 1, "65+": 2}
OLR_TERMS = ["sexM", "age35-64", "age65+", "1|2", "2|3", "3|4", "4|5"]


def sample(name: str, fpc: str) -> tuple[pd.DataFrame, dict | None]:
    """The sample's rows and its population sizes (None without an fpc)."""
    data = pd.read_csv(
        TESTS / "data" / f"design_{'national' if name == 'national' else 'clustered'}.csv"
    )
    if name == "unweighted":
        data["weight"] = 1.0
    if fpc == "none":
        return data, None
    population = dict(zip(data["stratum"], data["population"], strict=False))
    if fpc == "census_D":
        population["D"] = 1
    return data, population


def batches(data: pd.DataFrame, count: int, order: list[int] | None = None) -> list[pd.DataFrame]:
    """The rows dealt into ``count`` batches (row i to batch i mod count: every PSU spans
    several batches), in ``order``."""
    parts = [data.iloc[i::count] for i in range(count)]
    return [parts[i] for i in (order or range(count))]


def labels(rows: pd.DataFrame, column: str):
    return rows[column].to_numpy() if column in rows else None


def cell_totals(parts: list[pd.DataFrame], cells) -> D.CellTotals:
    """The totals of each batch (``cells(rows)`` -> the rows' cells), combined."""
    return D.CellTotals.combine([
        D.CellTotals.from_responses(cells(rows), rows["weight"].to_numpy(),
                                    rows["stratum"].to_numpy(), labels(rows, "psu"))
        for rows in parts
    ])  # fmt: skip


def put(out: dict, domain: str, statistic: str, **terms: float) -> None:
    """``out[domain, statistic, term]`` for each of ``terms``: rows as the R script writes them."""
    for term, value in terms.items():
        out[domain, statistic, term] = value


def ours(name: str, fpc: str, lonely: str, count: int = 3, order=None) -> dict:
    """Every number the R script writes for this case, from totals built in ``count`` batches."""
    data, population = sample(name, fpc)
    units = D.SampleUnits.combine([
        D.SampleUnits.from_responses(rows["stratum"].to_numpy(), labels(rows, "psu"))
        for rows in batches(data, count, order)
    ])  # fmt: skip
    design = units.design(population, lonely)
    out = {}
    for domain, member in DOMAINS.items():
        rows = data[member(data) & data["q1"].notna().to_numpy()]
        totals = cell_totals(batches(rows, count, order), lambda r: (r["q1"] - 1).astype(int))
        shares = D.proportions(totals, design, 5)
        shares_wr = D.proportions(totals, design, 5, deff_variant="srswr")
        out[domain, "df", "q1"] = shares[0].df
        out[domain, "n", "q1"] = shares[0].n
        for c in range(5):
            out[domain, "prop_estimate", str(c + 1)] = shares[c].estimate
            out[domain, "prop_se", str(c + 1)] = shares[c].std_error
            out[domain, "prop_deff", str(c + 1)] = shares[c].deff
            out[domain, "prop_deff_replace", str(c + 1)] = shares_wr[c].deff
        for what, numerator in [("agree", AGREE), ("rare", RARE)]:
            for method in METHODS:
                e = D.proportion(totals, design, numerator, method=method)
                for term, value in [("estimate", e.estimate), ("low", e.ci_low),
                                    ("high", e.ci_high)]:  # fmt: skip
                    out[domain, f"{what}_{method}", term] = value
                    if method == "likelihood" and term != "estimate":
                        out[domain, f"{what}_likelihood_converged", term] = value
        item = D.cell_mean(totals, design, np.arange(1.0, 6.0))
        put(out, domain, "item_mean", estimate=item.estimate, se=item.std_error, deff=item.deff)
        rows = data[member(data) & data["score"].notna().to_numpy()]
        moments = D.MomentTotals.combine([
            D.MomentTotals.from_responses(r["score"].to_numpy(), r["weight"].to_numpy(),
                                          r["stratum"].to_numpy(), labels(r, "psu"))
            for r in batches(rows, count, order)
        ])  # fmt: skip
        m, m_wr = D.mean(moments, design), D.mean(moments, design, deff_variant="srswr")
        put(out, domain, "mean", estimate=m.estimate, se=m.std_error, deff=m.deff,
            deff_replace=m_wr.deff, low=m.ci_low, high=m.ci_high, df=m.df)  # fmt: skip
        m_t = D.mean(moments, design, design_df=True)
        out[domain, "mean_t", "low"], out[domain, "mean_t", "high"] = m_t.ci_low, m_t.ci_high
        # the same mean from the score's distinct values as cells
        values, index = np.unique(rows["score"].to_numpy(), return_inverse=True)
        by_value = D.CellTotals.from_responses(
            index, rows["weight"].to_numpy(), rows["stratum"].to_numpy(), labels(rows, "psu")
        )
        from_cells = D.cell_mean(by_value, design, values)
        for got, want in [(from_cells.estimate, m.estimate), (from_cells.std_error, m.std_error),
                          (from_cells.deff, m.deff)]:  # fmt: skip
            assert np.isclose(got, want, rtol=1e-12)
    rows = data[data["finished"] & data["q1"].notna()]
    parts = batches(rows, count, order)
    q = lambda r: (r["q1"] - 1).astype(int).to_numpy()  # noqa: E731
    male = lambda r: (r["sex"] == "M").astype(int).to_numpy()  # noqa: E731
    age = lambda r: r["age"].map(AGE).to_numpy()  # noqa: E731
    cells = np.arange(10)
    two = T.rank_test(cell_totals(parts, lambda r: male(r) * 5 + q(r)), design, cells // 5,
                      cells % 5 + 1)  # fmt: skip
    put(out, "finished", "rank2_midrank", t=two.statistic, df=two.df, p=two.p,
        estimate=two.estimate)  # fmt: skip
    for score in ["vanderWaerden", "median"]:
        other = T.rank_test(cell_totals(parts, lambda r: male(r) * 5 + q(r)), design,
                            cells // 5, cells % 5 + 1, score=score)  # fmt: skip
        out["finished", f"rank2_{score}", "t"] = other.statistic
        out["finished", f"rank2_{score}", "p"] = other.p
    cells = np.arange(15)
    three = T.rank_test(cell_totals(parts, lambda r: age(r) * 5 + q(r)), design, cells // 5,
                        cells % 5 + 1)  # fmt: skip
    put(out, "finished", "rank3_midrank", chisq=three.statistic, ndf=three.ndf, ddf=three.df,
        p=three.p)  # fmt: skip
    cells = np.arange(30)
    pattern = cells // 5
    x = np.column_stack([pattern // 3 == 1, pattern % 3 == 1, pattern % 3 == 2]).astype(float)
    totals = cell_totals(parts, lambda r: (male(r) * 3 + age(r)) * 5 + q(r))
    fit = T.proportional_odds(totals, design, cells % 5, x)
    estimates = np.concatenate([fit.coefficients, fit.cuts])
    errors = np.concatenate([fit.std_errors, fit.cut_std_errors])
    for term, estimate, error in zip(OLR_TERMS, estimates, errors, strict=True):
        out["finished", "olr_coef", term] = estimate
        out["finished", "olr_se", term] = error
    out["finished", "olr_df", "df"] = fit.df
    return out


def read_expected(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", dtype={"term": str})


# Tolerances (relative): 1e-6 as issue 23 asks, except where R itself stops short of the exact
# number it means (measured worst case beside each).
TOLERANCE = 1e-6
LOOSER = {
    # svyciprop(method = "likelihood") scales its profile with the naive variance of its glm at
    # the last-but-one IRLS iterate (glm's convergence test is 1e-8 on the deviance): 1.9e-4 at
    # most here, in a domain with 1 df. Against R's own code with the glm converged
    # (*_likelihood_converged) the tolerance is 1e-6 (measured 1.6e-7).
    "agree_likelihood": 5e-4,
    "rare_likelihood": 5e-4,
}
SKIP = {"rank2_survey", "rank3_survey"}  # R's order-dependent mid-ranks: see test below


def compare(expected: pd.DataFrame, computed: dict, case) -> list[str]:
    name, fpc, lonely = case
    rows = expected[(expected["sample"] == name) & (expected["fpc"] == fpc)
                    & (expected["lonely"] == lonely)]  # fmt: skip
    problems, checked = [], 0
    for row in rows.itertuples():
        if row.statistic in SKIP:
            continue
        value = computed[row.domain, row.statistic, row.term]
        tolerance = LOOSER.get(row.statistic, TOLERANCE)
        both_nan = np.isnan(row.value) and np.isnan(value)
        if row.statistic.endswith("_logit") and row.term == "high" and np.isnan(row.value):
            # survey's expit, exp(eta) / (1 + exp(eta)), is Inf / Inf at the infinite quantile
            # of a domain with 1 df (see proportion_interval): ours is the limit, 1
            both_nan = value == 1.0
        if not both_nan and not np.isclose(value, row.value, rtol=tolerance, atol=0):
            problems.append(
                f"{row.domain} {row.statistic} {row.term}: ours {value!r}, R {row.value!r}"
            )
        checked += 1
    assert checked > 300  # the case is in the file
    return problems


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return read_expected(EXPECTED)


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_estimates_tests_and_models_equal_r_survey(expected, case):
    assert compare(expected, ours(*case), case) == []


@pytest.mark.parametrize("fpc", ["none", "fpc"])
def test_a_lonely_psu_stops_under_fail_as_in_r(expected, fpc):
    stops = expected[(expected["statistic"] == "stops") & (expected["fpc"] == fpc)]
    assert stops["value"].tolist() == [1.0]  # R stopped
    with pytest.raises(D.DesignError, match="stratum 'D' has only one PSU"):
        ours("clustered", fpc, "fail")


def test_batches_in_any_order_give_the_one_shot_numbers():
    """Issue 22: totals of batches add up. The same batches in any order give the same floats
    (totals are summed in the order of their keys and values); a different split of the rows
    into batches changes the sums' rounding only: 1e-12 relative at most (measured 1.2e-14
    over every case)."""
    for case in [("clustered", "fpc", "adjust"), ("national", "none", "fail")]:
        one_shot = ours(*case, count=1)
        in_order = ours(*case, count=4)
        shuffled = ours(*case, count=4, order=[2, 0, 3, 1])
        assert shuffled.keys() == in_order.keys()
        for key, value in in_order.items():
            assert shuffled[key] == value or (np.isnan(value) and np.isnan(shuffled[key])), key
            assert np.isclose(value, one_shot[key], rtol=1e-12, atol=0, equal_nan=True), key
        split = ours(*case, count=5, order=[4, 3, 2, 1, 0])
        for key, value in one_shot.items():
            assert np.isclose(split[key], value, rtol=1e-12, atol=0, equal_nan=True), key


def test_r_survey_ranks_ties_by_row_order_and_ours_by_weighted_mid_rank(expected):
    """R's svyranktest averages cumsum(w) - w/2 over tied responses in row order. With equal
    weights that is the mid-rank, and R's own svyranktest equals ours; with unequal weights it
    is not a function of the totals (it changes when rows are reordered), and ours is R's code
    with the weighted mid-rank (rows *_midrank), which differs from it by about 1 % here."""
    unweighted = expected[expected["sample"] == "unweighted"]
    computed = ours("unweighted", "none", "adjust")
    for statistic, terms in [("rank2_survey", ["t", "df", "p", "estimate"]),
                             ("rank3_survey", ["chisq", "ndf", "ddf", "p"])]:  # fmt: skip
        for term in terms:
            r = unweighted[(unweighted["statistic"] == statistic) & (unweighted["term"] == term)]
            mine = computed["finished", statistic.replace("survey", "midrank"), term]
            assert np.isclose(mine, r["value"].item(), rtol=1e-12, atol=0)
    weighted = expected[(expected["sample"] == "national") & (expected["fpc"] == "none")]
    t = weighted.set_index(["statistic", "term"])["value"]
    relative = abs(t["rank2_survey", "t"] / t["rank2_midrank", "t"] - 1)
    assert 1e-4 < relative < 0.05  # a real difference, and a small one


def test_the_census_stratum_adds_no_variance_and_does_not_fail():
    """A stratum sampled completely (n_h = N_h) adds nothing, even with a single PSU under
    'fail', as svyrecvar checks the fpc before the lonely-PSU rule."""
    census = ours("clustered", "census_D", "fail", count=1)
    assert np.isfinite(census["all", "prop_se", "1"])


# -- the unweighted design reproduces today's unweighted numbers ---------------------------------


def unit_sample(seed: int = 7, n: int = 180):
    rng = np.random.default_rng(seed)
    groups = rng.integers(0, 3, size=n)
    answers = np.clip(np.round(rng.normal(3 + 0.4 * groups, 1.1)), 1, 5).astype(int)
    return groups, answers


def test_unweighted_proportions_are_todays_counts_over_n():
    """Weights 1: sums of weights are the counts, exactly, so W_c / W is the float count / n,
    and a percent formed as 100 * W_c / W is agreement.py's 100 * agree / n, bit for bit."""
    _, answers = unit_sample()
    totals = D.CellTotals.from_responses(answers - 1, np.ones(len(answers)))
    design = D.SampleUnits.from_responses(length=len(answers)).design()
    shares = D.proportions(totals, design, 5)
    counts = np.bincount(answers - 1, minlength=5)
    for c in range(5):
        assert shares[c].estimate == counts[c] / len(answers)
        w_c = totals.w[totals.cell == c].sum()
        assert 100 * w_c / totals.w.sum() == 100 * counts[c] / len(answers)
        assert shares[c].count == counts[c] and shares[c].n == len(answers)
    agree = D.proportion(totals, design, AGREE)
    assert agree.estimate == (answers >= 4).sum() / len(answers)


def test_unweighted_rank_scores_are_rank_stats_mid_ranks():
    """Weights 1: N times the design's rank score of each answer is rank_stats' mid-rank less
    1/2 (Lumley & Scott's cumsum(w) - w/2 counts positions from 1/2), so the groups' rank sums,
    U and H follow exactly. (The design-based test is another test: its variance is the
    design's, not the permutation variance; with no design declared the workflow keeps
    rank_stats' Mann-Whitney and Kruskal-Wallis.)"""
    from likertflow import rank_stats

    groups, answers = unit_sample()
    table = rank_stats.count_table(answers, groups, 3)
    n, sizes, totals = table.sum(), table.sum(axis=1), table.sum(axis=0)
    ranks = n * T.rank_scores(totals.astype(float)) + 0.5
    np.testing.assert_allclose(ranks, np.cumsum(totals) - (totals - 1) / 2, rtol=1e-15)
    np.testing.assert_allclose((table * ranks).sum(axis=1), rank_stats.rank_sums(table)[0])
    two = table[:2]
    ranks2 = two.sum() * T.rank_scores(two.sum(axis=0).astype(float)) + 0.5
    u = (two[0] * ranks2).sum() - sizes[0] * (sizes[0] + 1) / 2
    assert np.isclose(u, rank_stats.mann_whitney_u(two), rtol=1e-15)
    # the design-based test's weighted mean rank scores give H by its formula
    cells = np.arange(15)
    design = D.SampleUnits.from_responses(length=len(answers)).design()
    cell_totals_ = D.CellTotals.from_responses(groups * 5 + answers - 1, np.ones(len(answers)))
    test = T.rank_test(cell_totals_, design, cells // 5, cells % 5 + 1)
    mean_ranks = n * test.mean_scores + 0.5
    between = (sizes * (mean_ranks - (n + 1) / 2) ** 2).sum()
    h = 12 / (n * (n + 1)) * between / (1 - (totals**3 - totals).sum() / (n**3 - n))
    assert np.isclose(h, rank_stats.kruskal_wallis_h(table), rtol=1e-12)
    assert test.n.tolist() == sizes.tolist()


def test_unweighted_proportional_odds_estimates_are_ordinal_models():
    """Weights 1: the point estimates are ordinal.py's (polr's) maximum likelihood ones; only the
    variance differs (the design's sandwich instead of the model's information)."""
    from likertflow.ordinal import fit_proportional_odds

    groups, answers = unit_sample()
    cells = np.arange(15)
    x = np.column_stack([cells // 5 == 1, cells // 5 == 2]).astype(float)
    design = D.SampleUnits.from_responses(length=len(answers)).design()
    totals = D.CellTotals.from_responses(groups * 5 + answers - 1, np.ones(len(answers)))
    fit = T.proportional_odds(totals, design, cells % 5, x)
    counts = np.bincount(groups * 5 + answers - 1, minlength=15).astype(float)
    used = counts > 0
    model = fit_proportional_odds((cells % 5)[used], x[used], counts[used])
    np.testing.assert_array_equal(fit.coefficients, model.params)
    np.testing.assert_array_equal(fit.cuts, model.cuts)


# -- design_tests beyond R's numbers: the fields and labels, by an independent computation -------


def srs_rank_test(groups, answers, weights, score="wilcoxon"):
    """rank_test on a design with no strata and no clusters (each response its own PSU)."""
    k = int(groups.max()) + 1
    cells = np.arange(5 * k)
    totals = D.CellTotals.from_responses(groups * 5 + answers - 1, weights)
    design = D.SampleUnits.from_responses(length=len(answers)).design()
    return T.rank_test(totals, design, cells // 5, cells % 5 + 1, score=score), design


def test_rank_scores_are_the_mid_distribution_function_and_its_transforms():
    weights = np.array([1.0, 2.0, 1.0, 4.0])
    fraction = np.array([0.5, 2.0, 3.5, 6.0]) / 8  # weight below + half its own, over N = 8
    np.testing.assert_allclose(T.rank_scores(weights), fraction, rtol=1e-15)
    np.testing.assert_allclose(T.rank_scores(weights, "vanderWaerden"),
                               stats.norm.ppf(fraction), rtol=1e-12)  # fmt: skip
    assert T.rank_scores(weights, "median").tolist() == [0.0, 0.0, 0.0, 1.0]
    # F exactly 1/2 is not above the median
    assert T.rank_scores(np.array([1.0, 2.0, 1.0]), "median").tolist() == [0.0, 0.0, 1.0]
    with pytest.raises(
        ValueError, match="score 'kruskal': expected one of wilcoxon, vanderWaerden, median"
    ):
        T.rank_scores(weights, "kruskal")


def test_two_group_rank_test_equals_the_linearisation_by_hand():
    """Weighted, no strata or clusters: the mean rank scores are weighted means of the weighted
    mid-ranks over N, and the difference's variance is n / (n - 1) times the sum of squared
    influence values (s - mean of the group) w / W_group, signed by group (svyrecvar)."""
    rng = np.random.default_rng(3)
    groups = np.repeat([0, 1], [9, 11])
    answers = np.array([1, 2, 2, 3, 3, 3, 4, 5, 5, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 2])
    weights = rng.uniform(0.5, 2.5, size=20)
    test, design = srs_rank_test(groups, answers, weights)
    by_answer = np.bincount(answers - 1, weights=weights, minlength=5)
    score = ((np.cumsum(by_answer) - by_answer / 2) / weights.sum())[answers - 1]
    sizes = np.array([9, 11])
    group_weight = np.bincount(groups, weights=weights)
    means = np.bincount(groups, weights=weights * score) / group_weight
    influence = weights * (score - means[groups]) / group_weight[groups] * np.where(groups, 1, -1)
    se = np.sqrt(20 / 19 * (influence**2).sum())
    t = (means[1] - means[0]) / se
    np.testing.assert_allclose(test.mean_scores, means, rtol=1e-12)
    assert test.n.tolist() == sizes.tolist() and test.n.dtype == np.int64
    np.testing.assert_allclose(test.weight, group_weight, rtol=1e-12)
    assert test.estimate == pytest.approx(means[1] - means[0], rel=1e-12)
    assert test.statistic == pytest.approx(t, rel=1e-10)
    assert (test.statistic_name, test.ndf, test.df) == ("t", 1, 18)
    assert test.p == pytest.approx(2 * stats.t.sf(abs(t), 18), rel=1e-10)
    assert test.method == (
        "Lumley & Scott design-based Wilcoxon rank test (Wilcoxon (Kruskal-Wallis) rank score "
        "F(y), F the estimated population mid-distribution function; Taylor linearisation, "
        f"{design.describe()}); t on 18 df (survey::svyranktest)"
    )
    other, _ = srs_rank_test(groups, answers, weights, "median")
    assert other.method.startswith(
        "Lumley & Scott design-based median rank test (median score 1[F(y) > 1/2], F the"
    )


def test_three_group_rank_test_is_a_wald_f_test():
    groups = np.repeat([0, 1, 2], 6)
    answers = np.array([1, 2, 2, 3, 3, 4, 2, 3, 4, 4, 5, 5, 1, 1, 2, 5, 4, 3])
    test, design = srs_rank_test(groups, answers, np.ones(18))
    assert (test.statistic_name, test.ndf, test.df) == ("chi-squared", 2, 15)
    assert np.isnan(test.estimate)
    assert test.p == pytest.approx(stats.f.sf(test.statistic / 2, 2, 15), rel=1e-10)
    assert test.n.tolist() == [6, 6, 6] and test.weight.tolist() == [6.0, 6.0, 6.0]
    assert test.method.endswith(
        f"{design.describe()}); Wald chi-squared / 2 as F on (2, 15) df (survey::svyranktest)"
    )


def test_rank_test_ignores_cells_without_responses_and_takes_whole_float_groups():
    """A top answer nobody gave (its cell last, so the totals stop before it), light weights
    (groups' sums below 1) and groups as whole floats give the test of the cells answered,
    also for the van der Waerden score, whose empty top category would be qnorm(1) = inf."""
    groups = np.repeat([0, 1], 6)
    answers = np.array([1, 2, 2, 3, 3, 4, 2, 3, 4, 4, 3, 4])
    weights = np.full(12, 0.1)
    design = D.SampleUnits.from_responses(length=12).design()
    totals = D.CellTotals.from_responses(groups * 5 + answers - 1, weights)
    cells = np.arange(10)
    for score in ["wilcoxon", "vanderWaerden"]:
        full = T.rank_test(totals, design, (cells // 5).astype(float), cells % 5 + 1, score)
        four = D.CellTotals.from_responses(groups * 4 + answers - 1, weights)
        cut = T.rank_test(four, design, np.arange(8) // 4, np.arange(8) % 4 + 1, score)
        assert np.isfinite(full.statistic)
        assert full.statistic == pytest.approx(cut.statistic, rel=1e-12)
        np.testing.assert_allclose(full.mean_scores, cut.mean_scores, rtol=1e-12)
        assert full.n.tolist() == [6, 6]
        np.testing.assert_allclose(full.weight, [0.6, 0.6], rtol=1e-12)


def test_a_rank_test_needs_two_groups_each_with_responses():
    design = D.SampleUnits.from_responses(length=4).design()
    totals = D.CellTotals.from_responses(np.array([0, 1, 0, 1]), np.ones(4))
    message = r"^every group 0 \.\. k - 1 needs responses, and k at least 2$"
    with pytest.raises(ValueError, match=message):
        T.rank_test(totals, design, np.array([0, 0]), np.array([1, 2]))
    with pytest.raises(ValueError, match=message):  # group 1's only cell has no response
        T.rank_test(totals, design, np.array([0, 0, 1]), np.array([1, 2, 3]))
    with pytest.raises(ValueError, match=message):
        T.mean_differences(totals, design, np.array([0, 2]), np.array([1.0, 2.0]))


def test_proportional_odds_derived_fields_follow_from_its_estimates():
    """t, p and the Wald interval from the coefficients and their design-based errors on
    degf - terms df (scipy's t), the errors the root of the covariance's diagonal."""
    groups, answers = unit_sample()
    cells = np.arange(15)
    x = np.column_stack([cells // 5 == 1, cells // 5 == 2]).astype(float)
    design = D.SampleUnits.from_responses(length=len(answers)).design()
    weights = np.linspace(0.5, 2.0, len(answers))
    totals = D.CellTotals.from_responses(groups * 5 + answers - 1, weights)
    fit = T.proportional_odds(totals, design, cells % 5, x, level=0.9)
    errors = np.sqrt(np.diag(fit.covariance))
    assert fit.covariance.shape == (6, 6)
    np.testing.assert_array_equal(fit.std_errors, errors[:2])
    np.testing.assert_array_equal(fit.cut_std_errors, errors[2:])
    df = len(answers) - 1 - 2
    assert fit.df == df
    t = fit.coefficients / errors[:2]
    np.testing.assert_allclose(fit.t, t, rtol=1e-14)
    np.testing.assert_allclose(fit.p, 2 * stats.t.sf(np.abs(t), df), rtol=1e-10)
    q = stats.t.ppf(0.95, df)
    np.testing.assert_allclose(fit.ci_low, fit.coefficients - q * errors[:2], rtol=1e-10)
    np.testing.assert_allclose(fit.ci_high, fit.coefficients + q * errors[:2], rtol=1e-10)
    assert fit.n == len(answers) and isinstance(fit.n, int)
    assert fit.weight == pytest.approx(weights.sum(), rel=1e-14)
    assert fit.converged is True or fit.converged == np.True_
    assert fit.method == (
        "proportional-odds logistic regression on the design (weighted pseudo-maximum "
        "likelihood on cells, Newton-Raphson; sandwich variance by Taylor linearisation, "
        f"{design.describe()}; survey::svyolr); 90% Wald intervals and p from t on {df} df"
    )


def test_mean_differences_label_and_group_fields():
    design = D.SampleUnits.from_responses(length=8).design()
    groups, values = np.repeat([0, 1], 4), np.array([1, 2, 2, 3, 2, 3, 4, 4.0])
    cells, index = np.unique(groups * 10 + values, return_inverse=True)
    weights = np.array([1.0, 2, 1, 1, 3, 1, 1, 2])
    totals = D.CellTotals.from_responses(index, weights)
    fit = T.mean_differences(totals, design, cells // 10, cells % 10, level=0.9)
    means = [
        np.average(values[:4], weights=weights[:4]),
        np.average(values[4:], weights=weights[4:]),
    ]
    np.testing.assert_allclose(fit.means, means, rtol=1e-14)
    assert fit.n.tolist() == [4, 4] and fit.weight.tolist() == [5.0, 7.0]
    default = T.mean_differences(totals, design, cells // 10, cells % 10)
    assert default.method.endswith("95% Wald interval and p from t on 6 df")
    q = stats.t.ppf(0.975, 6)
    np.testing.assert_allclose(default.ci_low, default.estimate - q * default.std_error)
    assert fit.method == (
        "difference in weighted means from the first group, design-based (svyglm(score ~ "
        f"group); Taylor linearisation, {design.describe()}); 90% Wald interval and p from t on "
        "6 df"
    )


def test_proportional_odds_covariance_equals_a_numerical_sandwich():
    """The design-based covariance of (beta, cuts), by finite differences: each response's score
    the numerical gradient of its log P(y | x), the information the numerical Hessian of the
    weighted log-likelihood, and with each response its own PSU (no strata) the variance n /
    (n - 1) times the sum of the squared influence values w score A^-1 (svyrecvar)."""
    groups, answers = unit_sample()
    weights = np.linspace(0.5, 2.0, len(answers))
    cells = np.arange(15)
    x = np.column_stack([cells // 5 == 1, cells // 5 == 2]).astype(float)
    design = D.SampleUnits.from_responses(length=len(answers)).design()
    fit = T.proportional_odds(
        D.CellTotals.from_responses(groups * 5 + answers - 1, weights), design, cells % 5, x
    )
    rows = np.column_stack([groups == 1, groups == 2]).astype(float)

    def log_p(theta):
        cuts = np.concatenate([[-np.inf], theta[2:], [np.inf]])
        eta = rows @ theta[:2]
        return np.log(expit(cuts[answers] - eta) - expit(cuts[answers - 1] - eta))

    theta = np.concatenate([fit.coefficients, fit.cuts])
    h = 1e-5
    steps = np.eye(len(theta)) * h
    scores = np.column_stack([(log_p(theta + e) - log_p(theta - e)) / (2 * h) for e in steps])
    gradient = lambda t: np.array(  # noqa: E731
        [(weights * (log_p(t + e) - log_p(t - e))).sum() / (2 * h) for e in steps]
    )
    hessian = np.column_stack([(gradient(theta + e) - gradient(theta - e)) / (2 * h)
                               for e in steps])  # fmt: skip
    influence = (weights[:, None] * scores) @ np.linalg.inv(-hessian)
    n = len(answers)
    covariance = n / (n - 1) * influence.T @ influence
    np.testing.assert_allclose(fit.covariance, covariance, rtol=1e-4, atol=1e-8)
    assert (fit.covariance[:2, 2:] != 0).all()  # the signs of beta's covariance with the cuts
    # the default level is 95 %
    assert fit.method.endswith(f"95% Wald intervals and p from t on {n - 3} df")
    q = stats.t.ppf(0.975, n - 3)
    np.testing.assert_allclose(fit.ci_high, fit.coefficients + q * fit.std_errors, rtol=1e-10)


def test_proportional_odds_takes_boolean_dummies_whole_float_levels_and_empty_last_cells():
    """A model matrix of booleans, outcome levels as whole floats and cells after the last
    response (a pattern nobody has) give the fit of float dummies and integer levels."""
    groups, answers = unit_sample(seed=5, n=90)
    design = D.SampleUnits.from_responses(length=len(answers)).design()
    totals = D.CellTotals.from_responses(groups * 5 + answers - 1, np.ones(len(answers)))
    cells = np.arange(20)  # a fourth group (cells 15 .. 19) without responses
    dummies = np.column_stack([cells // 5 == 1, cells // 5 == 2])
    want = T.proportional_odds(totals, design, cells % 5, dummies.astype(float))
    got = T.proportional_odds(totals, design, (cells % 5).astype(float), dummies)
    np.testing.assert_array_equal(got.coefficients, want.coefficients)
    np.testing.assert_array_equal(got.covariance, want.covariance)
    alone = T.proportional_odds(totals, design, cells[:15] % 5, dummies[:15].astype(float))
    np.testing.assert_allclose(want.coefficients, alone.coefficients, rtol=1e-12)
    np.testing.assert_allclose(want.covariance, alone.covariance, rtol=1e-10)


def test_proportional_odds_with_one_df_has_a_finite_interval():
    """Three clusters in one stratum (degf 2) less one term: t on 1 df, the interval finite."""
    groups, answers = unit_sample()
    cluster = np.arange(len(answers)) % 3
    design = D.SampleUnits.from_responses(psu=cluster).design()
    totals = D.CellTotals.from_responses(
        (groups == 2) * 5 + answers - 1, np.ones(len(answers)), psu=cluster
    )
    cells = np.arange(10)
    fit = T.proportional_odds(totals, design, cells % 5, (cells // 5)[:, None].astype(float))
    assert fit.df == 1
    q = stats.t.ppf(0.975, 1)
    np.testing.assert_allclose(fit.ci_low, fit.coefficients - q * fit.std_errors, rtol=1e-10)


# -- errors a survey researcher can act on -------------------------------------------------------


def test_bad_weights_and_replicate_weights_are_refused():
    with pytest.raises(
        D.DesignError, match="2 responses have a weight .* rows, counted from 1: 2, 3"
    ):
        D.CellTotals.from_responses([0, 1, 1], [1.0, -2.0, np.inf])
    with pytest.raises(D.DesignError, match="replicate weights .* svrepdesign"):
        D.refuse_replicate_weights(["repw1"])


def test_totals_of_a_stratum_the_design_lacks_are_refused():
    design = D.SampleUnits.from_responses(stratum=["a", "a", "b"]).design()
    totals = D.CellTotals.from_responses([0, 1], [1.0, 1.0], stratum=["a", "c"])
    with pytest.raises(D.DesignError, match=r"strata not in the design: \['c'\]"):
        D.proportions(totals, design, 2)


def test_an_empty_domain_gives_no_estimate_and_no_error():
    design = D.SampleUnits.from_responses(stratum=[0, 0, 1, 1]).design()
    nothing = np.array([], dtype="int64")
    empty = D.CellTotals.from_responses(nothing, nothing.astype(float), stratum=nothing)
    share = D.proportions(empty, design, 2)[1]
    assert share.n == 0 and share.count == 0 and np.isnan(share.estimate)
    assert share.method.startswith("no responses in the domain")
    moments = D.MomentTotals.from_responses(nothing, nothing.astype(float), stratum=nothing)
    assert np.isnan(D.mean(moments, design).estimate)
    assert np.isnan(D.cell_mean(empty, design, np.array([1.0, 2.0])).estimate)


def test_weights_scaled_to_the_sample_size_have_no_srswor_design_effect():
    """survey's deff = TRUE divides by the variance under sampling without replacement from a
    population of sum(w): with weights summing to less than n that is undefined (R: NA and a
    warning); the with-replacement design effect (deff = 'replace') remains."""
    design = D.SampleUnits.from_responses(length=6).design()
    totals = D.CellTotals.from_responses([0, 1, 1, 0, 1, 1], [0.5, 0.6, 0.4, 0.9, 0.3, 0.8])
    assert np.isnan(D.proportions(totals, design, 2)[1].deff)
    assert np.isfinite(D.proportions(totals, design, 2, deff_variant="srswr")[1].deff)


def test_an_unknown_lonely_psu_rule_is_refused():
    with pytest.raises(D.DesignError, match="lonely_psu 'drop'"):
        D.SampleUnits.from_responses(stratum=["a"]).design(lonely_psu="drop")


def test_an_fpc_below_the_sample_is_refused():
    units = D.SampleUnits.from_responses(stratum=["a", "a", "a"], psu=[1, 2, 3])
    with pytest.raises(D.DesignError, match="more than 100% sampling"):
        units.design(population={"a": 2})


# -- live check against R ------------------------------------------------------------------------


@pytest.mark.slow
def test_live_r_survey_gives_the_stored_numbers_and_ours(tmp_path):
    out = run_live(R_SCRIPT, tmp_path / "design_survey.csv", "survey")
    live, stored = read_expected(out), read_expected(EXPECTED)
    assert len(live) == len(stored)
    np.testing.assert_allclose(live["value"], stored["value"], rtol=1e-12, equal_nan=True)
    for case in CASES:
        assert compare(live, ours(*case), case) == []
    with out.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle))[0].startswith("# made by: Rscript tests/r/design_survey.R")


# -- what R's stored numbers do not reach: messages word for word, R's spline, empty domains ----


def test_replicate_weights_and_bad_weights_are_refused_word_for_word():
    with pytest.raises(D.DesignError) as caught:
        D.refuse_replicate_weights(["rw1", "rw2"])
    assert str(caught.value) == (
        "replicate weights (rw1, rw2) are not supported: declare the full-sample weight with its "
        "strata and clusters (Taylor linearisation), or analyse the data in R's survey package "
        "with svrepdesign()"
    )
    D.refuse_replicate_weights(())  # nothing declared, nothing refused
    weights = np.array([1.0, 0.0, 2.0, -1.0, np.nan, np.inf, -np.inf, 0.0, 3.0])
    with pytest.raises(D.DesignError) as caught:
        D.check_weights(weights, "Weight")
    assert str(caught.value) == (
        "6 responses have a weight that is not positive and finite (weight column 'Weight'; "
        "first rows, counted from 1: 2, 4, 5, 6, 7)"
    )  # the first five of rows 2, 4, 5, 6, 7 and 8
    with pytest.raises(D.DesignError, match=r"^1 responses .*\(weight column 'weight'; "):
        D.check_weights([5.0, 0.0])  # a list; the default name
    D.check_weights(np.array([1e-300, 1e300]))  # tiny and huge are positive and finite


def test_design_errors_say_what_is_wrong_word_for_word():
    units = D.SampleUnits.from_responses(stratum=["a", "a", "b"], psu=[1, 2, 3])
    with pytest.raises(D.DesignError) as caught:
        units.design(lonely_psu="drop")
    assert str(caught.value) == (
        "lonely_psu 'drop': expected one of fail, remove, adjust, average, certainty"
    )
    with pytest.raises(D.DesignError) as caught:
        units.design(population={"a": 1, "b": 1})  # b: a census, which is allowed
    assert str(caught.value) == "the fpc implies more than 100% sampling in strata ['a']"
    with pytest.raises(D.DesignError) as caught:
        units.design(population={"a": 10})
    assert str(caught.value) == "no population size (fpc) for strata ['b']"
    plain = D.SampleUnits.from_responses(stratum=["a"])
    with pytest.raises(D.DesignError) as caught:
        D.SampleUnits.combine([units, plain])
    assert str(caught.value) == "batches disagree on whether the design has clusters"
    clustered = D.CellTotals.from_responses([0], [1.0], ["a"], [1])
    unclustered = D.CellTotals.from_responses([0], [1.0], ["a"])
    with pytest.raises(D.DesignError) as caught:
        D.CellTotals.combine([clustered, unclustered])
    assert str(caught.value) == "batches disagree on whether the design has clusters"
    with pytest.raises(D.DesignError) as caught:
        D.proportions(unclustered, units.design(), 1)
    assert str(caught.value) == ("the totals and the design disagree on whether there are clusters")
    with pytest.raises(D.DesignError) as caught:
        units.design().stratum_index(np.array(["b", "z", "c", "z"]))
    assert str(caught.value) == "strata not in the design: ['c', 'z']"
    assert units.design().stratum_index(np.array(["b", "a", "b"])).tolist() == [1, 0, 1]


def test_a_lonely_psu_under_fail_is_refused_naming_the_stratum_and_the_rules():
    units = D.SampleUnits.from_responses(stratum=["a", "a", "b"], psu=[1, 2, 3])
    totals = D.CellTotals.from_responses([0, 1, 1], [1.0, 1.0, 1.0], ["a", "a", "b"], [1, 2, 3])
    with pytest.raises(D.DesignError) as caught:
        D.proportions(totals, units.design(), 2)
    assert str(caught.value) == (
        "stratum 'b' has only one PSU (lonely PSU); declare how to treat it: lonely_psu one of "
        "remove, adjust, average, certainty"
    )
    # without the lonely stratum's responses (a domain), stratum b still fails: it is present
    # in the design, and a domain with no member there adds nothing
    domain = D.CellTotals.from_responses([0, 1], [1.0, 1.0], ["a", "a"], [1, 2])
    assert np.isfinite(D.proportions(domain, units.design(), 2)[0].std_error)


def test_bad_arguments_of_the_estimators_are_refused_word_for_word():
    design = D.SampleUnits.from_responses(length=3).design()
    totals = D.CellTotals.from_responses([0, 1, 2], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError) as caught:
        D.proportions(totals, design, 2)
    assert str(caught.value) == "cells outside 0 .. 1"
    negative = D.CellTotals.from_responses([0, -1, 1], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError) as caught:
        D.proportions(negative, design, 2)
    assert str(caught.value) == "cells outside 0 .. 1"  # not bincount's own words
    with pytest.raises(ValueError) as caught:
        D.proportions(totals, design, 3, method="wald")
    assert str(caught.value) == (
        "method 'wald': expected one of logit, likelihood, asin, beta, mean, xlogit"
    )
    with pytest.raises(ValueError) as caught:
        D.proportions(totals, design, 3, deff_variant="srs")
    assert str(caught.value) == "deff_variant 'srs': expected one of ['srswor', 'srswr']"
    moments = D.MomentTotals.from_responses([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], domain=[0, 1, 1])
    with pytest.raises(ValueError) as caught:
        D.mean(moments, design)
    assert str(caught.value) == "moments of several domains: select one"


def test_an_empty_domain_is_nan_with_no_responses_and_says_so():
    design = D.SampleUnits.from_responses(stratum=[0, 0, 1, 1]).design()
    nothing = np.array([], dtype="int64")
    empty = D.CellTotals.from_responses(nothing, nothing.astype(float), stratum=nothing)
    shares = D.proportions(empty, design, 3, level=0.9, method="beta", deff_variant="srswr")
    assert len(shares) == 3
    for share in shares:
        assert (share.n, share.count, share.df, share.weight) == (0, 0, 0, 0.0)
        for value in (share.estimate, share.std_error, share.ci_low, share.ci_high, share.deff,
                      share.n_effective):  # fmt: skip
            assert np.isnan(value)
        assert share.method == (
            "no responses in the domain; design-based proportion, Taylor linearisation "
            f"({design.describe()}); 90% beta interval on 0 df (survey::svyciprop method = "
            "'beta'); design effect against simple random sampling with replacement (survey's "
            "deff = 'replace')"
        )
    moments = D.MomentTotals.from_responses(nothing, nothing.astype(float), stratum=nothing)
    for e in (D.mean(moments, design), D.cell_mean(empty, design, np.array([1.0]))):
        assert (e.n, e.count, e.df, e.weight) == (0, None, 0, 0.0)
        assert np.isnan([e.estimate, e.std_error, e.ci_low, e.ci_high, e.deff]).all()
        assert np.isnan(e.n_effective)
        assert e.method == "no responses in the domain; design-based weighted mean"


def test_moments_of_one_domain_are_those_of_its_responses_alone():
    rng = np.random.default_rng(11)
    values, weights = rng.integers(1, 6, 40).astype(float), rng.uniform(0.5, 3.0, 40)
    stratum, psu, domain = np.arange(40) % 3, np.arange(40) % 8, rng.integers(0, 3, 40)
    both = D.MomentTotals.from_responses(values, weights, stratum, psu, domain)
    for d in range(3):
        alone = D.MomentTotals.from_responses(values[domain == d], weights[domain == d],
                                              stratum[domain == d], psu[domain == d])  # fmt: skip
        selected = both.select(d)
        assert selected.domain.tolist() == [d] * len(alone.n)
        assert selected.stratum.tolist() == alone.stratum.tolist()
        assert selected.psu.tolist() == alone.psu.tolist()
        for column in D.MomentTotals.SUMS:
            np.testing.assert_array_equal(getattr(selected, column), getattr(alone, column))
    unclustered = D.MomentTotals.from_responses(values, weights, stratum, domain=domain)
    assert unclustered.select(1).psu is None
    assert unclustered.select(1).n.sum() == (domain == 1).sum()


SPLINE_SETS = {  # as tests/r/spline_fmm.R declares them
    "two": ([0.5, 2], [1, 5]),
    "three": ([-1, 0, 2.5], [0.3, -0.2, 1.7]),
    "four": ([0, 1, 3, 4], [2, -1, 0.5, 3]),
    "seven": ([3, 1, 0, -2, 5, 2, 4.5], [0.5, -1, 2, 1, -0.5, 0.25, 3]),
}


def test_the_profile_is_interpolated_as_r_spline_fmm_and_approx():
    """svyciprop(method = "likelihood") interpolates its profile with R's spline (Forsythe,
    Malcolm & Moler's end conditions) and approx (ties averaged, NA outside): R's numbers in
    tests/expected/spline_fmm.csv (tests/r/spline_fmm.R; the command in its first line)."""
    table = pd.read_csv(TESTS / "expected" / "spline_fmm.csv", comment="#", dtype={"term": str})
    want = {(r.what, r.term): r.value for r in table.itertuples()}
    for name, (x, y) in SPLINE_SETS.items():
        grid, values = D._spline_points(np.array(x, dtype=float), np.array(y, dtype=float))
        count = 3 * len(x)
        assert len(grid) == len(values) == count
        r_grid = [want[(name, f"x {i}")] for i in range(1, count + 1)]
        r_values = [want[(name, f"y {i}")] for i in range(1, count + 1)]
        np.testing.assert_allclose(grid, r_grid, rtol=1e-14, atol=1e-15, err_msg=name)
        np.testing.assert_allclose(values, r_values, rtol=1e-12, atol=1e-14, err_msg=name)
        # at the ends of the grid R evaluates the knots' own pieces: the data, exactly
        ends = y[int(np.argmin(x))], y[int(np.argmax(x))]
        assert (values[0], values[-1]) == ends == (r_values[0], r_values[-1])
    x, y = np.array([1.0, 2.0, 2.0, 4.0]), np.array([1.0, 3.0, 5.0, 2.0])
    for at in ["0.5", "1", "1.5", "2", "3", "4", "4.5"]:
        got = D._interpolate(x, y, float(at))
        expected = want[("approx", at)]
        assert got == pytest.approx(expected, rel=1e-15, nan_ok=True), at


def test_qbeta_has_r_s_point_masses_and_its_closed_forms():
    """R's qbeta: all mass at 0 when a = 0, at 1 when b = 0; Beta(1, b) and Beta(a, 1) have
    the closed-form quantiles 1 - (1 - q)^(1/b) and q^(1/a)."""
    assert D._qbeta(0.025, 0.0, 3.0) == 0.0 and D._qbeta(0.975, 0.0, 3.0) == 0.0
    assert D._qbeta(0.025, 2.0, 0.0) == 1.0 and D._qbeta(0.975, 2.0, 0.0) == 1.0
    for q in (0.025, 0.5, 0.975):
        assert D._qbeta(q, 1.0, 4.0) == pytest.approx(1 - (1 - q) ** 0.25, rel=1e-12)
        assert D._qbeta(q, 3.0, 1.0) == pytest.approx(q ** (1 / 3), rel=1e-12)


def test_the_likelihood_interval_needs_a_share_strictly_between_0_and_1():
    """As svyciprop(method = "likelihood"): no interval at p = 0 or 1, or of one response."""
    for p in (0.0, 1.0):
        assert np.isnan(D.proportion_interval(p, 0.01, 10, 12, method="likelihood")).all()
    assert np.isnan(D.proportion_interval(0.5, 0.01, 10, 1, method="likelihood")).all()
    low, high = D.proportion_interval(0.5, 0.01, 10, 12, method="likelihood")
    assert 0 < low < 0.5 < high < 1


def test_a_mean_of_cells_defaults_to_95_percent_on_the_normal_quantile():
    """confint of an svymean: mean +- qnorm(0.975) se unless design_df asks for t on degf."""
    design = D.SampleUnits.from_responses(stratum=[0, 0, 0, 1, 1, 1]).design()
    totals = D.CellTotals.from_responses([0, 1, 2, 2, 1, 0], [1.0, 2, 1, 3, 1, 2],
                                         stratum=[0, 0, 0, 1, 1, 1])  # fmt: skip
    values = np.array([1, 2, 5])  # whole numbers: the mean is a float all the same
    m = D.cell_mean(totals, design, values)
    assert m.estimate == pytest.approx((1 + 4 + 5 + 15 + 2 + 2) / 10, rel=1e-15)
    z = stats.norm.ppf(0.975)
    assert m.ci_low == pytest.approx(m.estimate - z * m.std_error, rel=1e-12)
    assert m.ci_high == pytest.approx(m.estimate + z * m.std_error, rel=1e-12)
    assert m.df == 4 and m.count is None and m.n == 6 and m.weight == 10.0
    assert m.method.endswith("95% Wald interval, normal quantile (confint of svymean); "
                             "design effect against simple random sampling without replacement "
                             "(survey's deff = TRUE)")  # fmt: skip
    t = D.cell_mean(totals, design, values, level=0.9, design_df=True)
    q = stats.t.ppf(0.95, 4)
    assert t.ci_high == pytest.approx(t.estimate + q * t.std_error, rel=1e-12)
    assert "90% Wald interval, t on 4 df;" in t.method
    moments = D.MomentTotals.from_responses(values[[0, 1, 2, 2, 1, 0]], [1.0, 2, 1, 3, 1, 2],
                                            stratum=[0, 0, 0, 1, 1, 1])  # fmt: skip
    from_moments = D.mean(moments, design)
    assert from_moments.estimate == pytest.approx(m.estimate, rel=1e-15)
    assert from_moments.ci_low == pytest.approx(m.ci_low, rel=1e-12)


def test_units_of_batches_combine_a_psu_split_between_them_into_one():
    """A PSU whose responses arrive in two batches is one PSU with the responses of both; an
    unclustered design counts responses per stratum."""
    first = D.SampleUnits.from_responses(stratum=["a", "a", "b"], psu=["p1", "p2", "p3"])
    second = D.SampleUnits.from_responses(stratum=["a", "b", "b"], psu=["p1", "p3", "p4"])
    both = D.SampleUnits.combine([first, second])
    assert list(zip(both.stratum, both.psu, both.responses, strict=True)) == [
        ("a", "p1", 2), ("a", "p2", 1), ("b", "p3", 2), ("b", "p4", 1)
    ]  # fmt: skip
    assert both.design().psus.tolist() == [2, 2]
    plain = D.SampleUnits.combine([D.SampleUnits.from_responses(stratum=["a", "b", "a"]),
                                   D.SampleUnits.from_responses(stratum=["b"])])  # fmt: skip
    assert plain.psu is None and plain.responses.tolist() == [2, 2]
    assert plain.design().psus.tolist() == [2, 2]


def test_a_share_of_0_or_1_has_no_interval_and_no_warning_but_mean_and_beta():
    """As R: the logit, xlogit and asin intervals are undefined at p = 0 or 1 (NaN), quietly
    (numpy's divide and invalid warnings would only fill the job's log); the Wald interval of a
    share with no variance is the share itself; the beta interval of a share with no variance
    is undefined (no effective sample size; a ZeroDivisionError for Python floats before)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for p in (0.0, 1.0):
            for method in ("logit", "xlogit", "asin", "beta"):
                low, high = D.proportion_interval(p, 0.0, 10, 12, method=method)
                assert np.isnan(low) and np.isnan(high), method
            assert D.proportion_interval(p, 0.0, 10, 12, method="mean") == (p, p)


def test_the_default_interval_is_the_logit_one_at_95_percent():
    """svyciprop's default: expit(logit(p) +- qt(0.975, df) se / (p (1 - p)))."""
    p, variance, df = 0.3, 0.0004, 12
    half = stats.t.ppf(0.975, df) * np.sqrt(variance) / (p * (1 - p))
    logit = np.log(p / (1 - p))
    want = expit(logit - half), expit(logit + half)
    got = D.proportion_interval(p, variance, df, 100)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert got == D.proportion_interval(p, variance, df, 100, 0.95, "logit")


def test_design_effects_of_an_srs_a_category_nobody_chose_and_a_census():
    """Equal weights, one stratum, with replacement: the design is simple random sampling, so
    every share's design effect against srswr is 1, from 2 responses on; a category nobody
    chose has none (0 / 0), a census (fpc equal to the sample) no variance, a design effect
    of 0 and an infinite effective n; neither warns."""
    import warnings

    for n in (2, 3, 7):
        design = D.SampleUnits.from_responses(length=n).design()
        totals = D.CellTotals.from_responses(np.arange(n) % 2, np.ones(n))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            shares = D.proportions(totals, design, 3, deff_variant="srswr")
        assert shares[0].method == (
            "design-based proportion, Taylor linearisation (strata: 1, no clusters, weights; "
            f"with replacement (no fpc); lonely PSU: fail); 95% logit interval on {n - 1} df "
            "(survey::svyciprop method = 'logit'); design effect against simple random sampling "
            "with replacement (survey's deff = 'replace')"
        )  # the defaults: 95 %, logit
        assert [(s.n, s.count, s.weight) for s in shares] == [
            (n, (n + 1) // 2, n), (n, n // 2, n), (n, 0, n)
        ]  # fmt: skip
        for share in shares[:2]:
            assert share.deff == pytest.approx(1.0, rel=1e-12), n
            assert share.n_effective == pytest.approx(n, rel=1e-12)
        assert np.isnan(shares[2].deff) and np.isnan(shares[2].n_effective)
    units = D.SampleUnits.from_responses(stratum=["a"] * 4)
    census = units.design(population={"a": 4})
    totals = D.CellTotals.from_responses([0, 1, 1, 0], [1.0, 1.0, 1.0, 1.0], ["a"] * 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        share = D.proportions(totals, census, 2, deff_variant="srswr")[1]
    assert (share.std_error, share.deff, share.n_effective) == (0.0, 0.0, np.inf)


LONELY = TESTS / "expected" / "lonely_psu.csv"
LONELY_R = TESTS / "r" / "lonely_psu.R"


def lonely_numbers(data: pd.DataFrame) -> dict:
    """Every number tests/r/lonely_psu.R writes, ours: per sample, fpc, lonely-PSU rule and
    domain, the standard errors of the mean of y (moments) and of the share y == 1 (cells)."""
    out = {}
    for name, rows in data.groupby("sample", sort=False):
        psu = rows["psu"].to_numpy() if rows["psu"].notna().any() else None
        stratum = rows["stratum"].to_numpy()
        units = D.SampleUnits.from_responses(stratum, psu)
        population = dict(zip(rows["stratum"], rows["population"], strict=True))
        for fpc in ("none", "fpc"):
            for lonely in ("adjust", "average", "remove", "certainty"):
                design = units.design(None if fpc == "none" else population, lonely)
                for domain in ("all", "domain"):
                    member = np.ones(len(rows), bool) if domain == "all" else rows["domain"]
                    part = rows[np.asarray(member)]
                    part_psu = None if psu is None else part["psu"].to_numpy()
                    y, w, s = part["y"].to_numpy(), part["weight"].to_numpy(), part["stratum"]
                    moments = D.MomentTotals.from_responses(y.astype(float), w, s.to_numpy(),
                                                            part_psu)  # fmt: skip
                    cells = D.CellTotals.from_responses(y, w, s.to_numpy(), part_psu)
                    share = D.proportions(cells, design, 2)[1]
                    key = (name, fpc, lonely, domain)
                    out[(*key, "mean_se")] = D.mean(moments, design).std_error
                    out[(*key, "share_se")] = share.std_error
                    out[(*key, "df")] = share.df
    return out


def test_lonely_psus_census_strata_and_domains_missing_a_stratum_as_r_survey():
    """svyrecvar's rules where design_survey.R's samples do not reach: a census stratum before
    the others (it adds nothing, the strata after it do), a lonely PSU before or between others
    (adjust: centred at 0; average: left out and the rest scaled up; remove and certainty: 0), a
    stratum of a single response without clusters, a domain with no member in the last stratum,
    and no stratum left to average over (NaN). R's numbers in tests/expected/lonely_psu.csv
    (tests/r/lonely_psu.R, the command in its first line)."""
    data = pd.read_csv(TESTS / "data" / "design_lonely.csv", dtype={"psu": str})
    ours_ = lonely_numbers(data)
    table = read_expected(LONELY)
    assert len(table) == len(ours_) == 144
    for row in table.itertuples():
        key = (row.sample, row.fpc, row.lonely, row.domain, row.statistic)
        got = ours_[key]
        if np.isnan(row.value):
            assert np.isnan(got), key
        else:
            assert got == pytest.approx(row.value, rel=1e-12, abs=1e-15), key
    # what the rules are there for: the lonely stratum's variance differs between them
    assert ours_["unclustered", "none", "adjust", "all", "mean_se"] != pytest.approx(
        ours_["unclustered", "none", "remove", "all", "mean_se"], rel=1e-6
    )


@pytest.mark.slow
def test_live_r_survey_gives_the_stored_lonely_psu_numbers(tmp_path):
    out = run_live(LONELY_R, tmp_path / "lonely_psu.csv", "survey")
    live, stored = read_expected(out), read_expected(LONELY)
    assert live.drop(columns="value").equals(stored.drop(columns="value"))
    np.testing.assert_allclose(live["value"], stored["value"], rtol=1e-12, equal_nan=True)


def test_a_stratum_sampled_to_within_1e_7_still_adds_variance_as_svyrecvar():
    """svyrecvar drops a stratum's variance only when its fraction not sampled is below 1e-7
    (``all(f < 1e-07)``, survey 4.1's onestrat): 9,999,999 PSUs of 10,000,000 leave exactly
    1e-7, which still adds (1 - n/N) n / (n - 1) sum_k (t_k - mean t)^2 over every PSU of the
    stratum (those without a member with t_k = 0); all of them sampled add nothing."""
    n = 9_999_999
    fraction = (1e7 - n) / 1e7
    assert fraction == D.CERTAINTY_FRACTION == 1e-7
    totals = D.CellTotals.from_responses([0, 1], [1.0, 3.0], ["a", "a"], [1, 2])
    scores = np.array([[1.0], [2.0]])  # influence per unit weight: PSU totals t = 1 and 6
    mean = 7 / n
    by_hand = fraction * n / (n - 1) * ((1 - mean) ** 2 + (6 - mean) ** 2 + (n - 2) * mean**2)
    for population, want in [(1e7, by_hand), (float(n), 0.0)]:
        design = D.Design(np.array(["a"]), np.array([n]), np.array([population]), True)
        got = D.cell_variance(totals, design, scores)
        assert got.shape == (1, 1)
        assert got[0, 0] == pytest.approx(want, rel=1e-9, abs=0), population


def test_a_domain_on_0_df_has_no_interval_by_any_method():
    """A domain whose members sit in one PSU of each of its strata has 0 df (degf: 2 PSUs - 2
    strata): no t quantile, so no interval, NaN by every method (R: NaN with a warning, and
    svyciprop(method = "likelihood") stops: "zero or negative denomintor df", sic); before, the
    likelihood method raised an IndexError from a profile of one point. The share and its
    standard error stand: p = 2/6, se = sqrt(2)/6 by hand (each stratum's PSU totals of the
    influence values, +-1/6 and 0, give 2 (1/12)^2 times n/(n - 1) = 2 each)."""
    units = D.SampleUnits.from_responses(list("aaaabbbb"), "a1 a1 a2 a2 b1 b1 b2 b2".split())
    totals = D.CellTotals.from_responses([1, 0, 0, 0], [2.0, 1.0, 1.0, 2.0], list("aabb"),
                                         "a1 a1 b1 b1".split())  # fmt: skip
    for method in D.PROPORTION_METHODS:
        share = D.proportions(totals, units.design(), 2, method=method)[1]
        assert share.df == 0
        assert share.estimate == pytest.approx(1 / 3, rel=1e-15)
        assert share.std_error == pytest.approx(np.sqrt(2) / 6, rel=1e-12)
        assert np.isnan(share.ci_low) and np.isnan(share.ci_high), method
    assert np.isnan(D.proportion_interval(0.5, 0.01, 0, 12, method="likelihood")).all()


def test_the_variance_of_a_total_over_no_responses_is_zero():
    """cell_variance (design_tests' statistics call it directly) of a domain without responses:
    its total is 0 whatever the draw, so every entry of the m x m variance is 0."""
    design = D.SampleUnits.from_responses(stratum=["a", "a", "b"], psu=[1, 2, 3]).design()
    nothing = np.array([], dtype="int64")
    empty = D.CellTotals.from_responses(nothing, nothing.astype(float), nothing.astype(str),
                                        nothing)  # fmt: skip
    got = D.cell_variance(empty, design, np.array([[1.0, -2.0], [0.5, 3.0]]))
    np.testing.assert_array_equal(got, np.zeros((2, 2)))
