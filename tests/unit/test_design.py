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
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from likertflow import design as D
from likertflow import design_tests as T
from support.rscript import rscript

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
        for term, value in [("estimate", item.estimate), ("se", item.std_error),
                            ("deff", item.deff)]:  # fmt: skip
            out[domain, "item_mean", term] = value
        rows = data[member(data) & data["score"].notna().to_numpy()]
        moments = D.MomentTotals.combine([
            D.MomentTotals.from_responses(r["score"].to_numpy(), r["weight"].to_numpy(),
                                          r["stratum"].to_numpy(), labels(r, "psu"))
            for r in batches(rows, count, order)
        ])  # fmt: skip
        m, m_wr = D.mean(moments, design), D.mean(moments, design, deff_variant="srswr")
        for term, value in [("estimate", m.estimate), ("se", m.std_error), ("deff", m.deff),
                            ("deff_replace", m_wr.deff), ("low", m.ci_low), ("high", m.ci_high),
                            ("df", m.df)]:  # fmt: skip
            out[domain, "mean", term] = value
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
    for term, value in [("t", two.statistic), ("df", two.df), ("p", two.p),
                        ("estimate", two.estimate)]:  # fmt: skip
        out["finished", "rank2_midrank", term] = value
    for score in ["vanderWaerden", "median"]:
        other = T.rank_test(cell_totals(parts, lambda r: male(r) * 5 + q(r)), design,
                            cells // 5, cells % 5 + 1, score=score)  # fmt: skip
        out["finished", f"rank2_{score}", "t"] = other.statistic
        out["finished", f"rank2_{score}", "p"] = other.p
    cells = np.arange(15)
    three = T.rank_test(cell_totals(parts, lambda r: age(r) * 5 + q(r)), design, cells // 5,
                        cells % 5 + 1)  # fmt: skip
    for term, value in [("chisq", three.statistic), ("ndf", three.ndf), ("ddf", three.df),
                        ("p", three.p)]:  # fmt: skip
        out["finished", "rank3_midrank", term] = value
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
    command = rscript("survey")
    if command is None:
        pytest.skip("R with the survey package is not available (Rscript or LIKERTFLOW_RSCRIPT)")
    out = tmp_path / "design_survey.csv"
    subprocess.run([command, str(R_SCRIPT), str(out)], cwd=REPO, check=True, capture_output=True,
                   timeout=600)  # fmt: skip
    live, stored = read_expected(out), read_expected(EXPECTED)
    assert len(live) == len(stored)
    np.testing.assert_allclose(live["value"], stored["value"], rtol=1e-12, equal_nan=True)
    for case in CASES:
        assert compare(live, ours(*case), case) == []
    with out.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle))[0].startswith("# made by: Rscript tests/r/design_survey.R")
