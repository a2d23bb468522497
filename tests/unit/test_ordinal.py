"""Adjusted proportional-odds models: estimates against R's MASS::polr on the shipped data and
statsmodels' OrderedModel on simulated data, the fit on cell counts against the fit on every
respondent, the Brant check on data simulated with and without proportional odds, and the
start-up check."""

import copy

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO, START_UP_ERRORS, start_up_checks
from likertflow.bands import apply_bands
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE
from likertflow.disclosure import OUTCOME_GROUP_N, SMALLEST_LEVEL_N, SUPPRESSED, policy_of
from likertflow.grouping import GROUP
from likertflow.ordinal import brant, cells, fit_proportional_odds, ordinal_models, term_sizes
from likertflow.publishing import TERM_STATISTICS, publish_ordinal
from likertflow.settings import OrdinalSettings
from support import filled
from support import numeric_study as numeric


def simulated(rng, n, slope_by_cut=None):
    """Group (0/1) and a balanced 5-level covariate; outcome on 8 levels, proportional odds unless
    ``slope_by_cut`` gives the group's slope for each cut point."""
    group, level = rng.integers(0, 2, n), rng.integers(0, 5, n)
    x = pd.DataFrame({"g": group, **{f"a{k}": level == k for k in range(1, 5)}}).astype(float)
    cuts = np.linspace(-2, 3, 7)
    if slope_by_cut is None:
        latent = 0.4 * group + 0.3 * level + rng.logistic(size=n)
        y = np.searchsorted(cuts, latent)
    else:  # P(y > j) = logistic(slope_j * g + 0.3 level - cut_j), cumulative by construction
        u = rng.uniform(size=n)
        above = [
            1 / (1 + np.exp(-(s * group + 0.3 * level - c)))
            for s, c in zip(slope_by_cut, cuts, strict=True)
        ]
        y = np.sum([u < np.minimum.accumulate(above)[j] for j in range(len(cuts))], axis=0)
    return np.unique(y, return_inverse=True)[1], x


def test_fit_recovers_the_coefficients_it_simulated():
    rng = np.random.default_rng(3)
    y, x = simulated(rng, 3000)
    result = fit_proportional_odds(y, x.to_numpy())
    assert result.converged
    truth = {"g": 0.4, "a1": 0.3, "a2": 0.6, "a3": 0.9, "a4": 1.2}
    for term, estimate, error in zip(x.columns, result.params, result.bse, strict=True):
        # 3.5 standard errors: a wrong sign or parameterisation misses by far more
        assert abs(estimate - truth[term]) < 3.5 * error, term


def three_groups(rng, n):
    """Group on 3 levels and a 4-level covariate (treatment-coded), outcome on 5 levels."""
    group, level = rng.integers(0, 3, n), rng.integers(0, 4, n)
    x = pd.DataFrame(
        {"g1": group == 1, "g2": group == 2, **{f"a{k}": level == k for k in range(1, 4)}}
    ).astype(float)
    latent = 0.5 * (group == 1) - 0.4 * (group == 2) + 0.25 * level + rng.logistic(size=n)
    return np.searchsorted([-1.0, 0.0, 1.0, 2.0], latent), x


def test_fit_on_cell_counts_equals_the_fit_on_every_respondent():
    y, x = three_groups(np.random.default_rng(5), 2000)
    rows = fit_proportional_odds(y, x.to_numpy())
    distinct, counts = cells(x.assign(y=y))
    assert len(distinct) <= 5 * 3 * 4 < len(y) and counts.sum() == len(y)
    by_cell = fit_proportional_odds(
        distinct["y"].to_numpy(), distinct[list(x.columns)].to_numpy(), counts
    )
    assert rows.converged and by_cell.converged
    np.testing.assert_allclose(by_cell.params, rows.params, rtol=0, atol=1e-8)
    np.testing.assert_allclose(by_cell.bse, rows.bse, rtol=0, atol=1e-8)
    np.testing.assert_allclose(by_cell.cuts, rows.cuts, rtol=0, atol=1e-8)
    # the Brant check too: its binary logits are the same weighted fit
    p_rows, df_rows, terms_rows = brant(y, x)
    p_cells, df_cells, terms_cells = brant(distinct["y"].to_numpy(), distinct[x.columns], counts)
    assert df_cells == df_rows and p_cells == pytest.approx(p_rows, rel=1e-8)
    assert terms_cells == pytest.approx(terms_rows, rel=1e-8)


def test_fit_agrees_with_statsmodels_ordered_model():
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    y, x = three_groups(np.random.default_rng(8), 500)
    ours = fit_proportional_odds(y, x.to_numpy())
    theirs = OrderedModel(y, x, distr="logit").fit(
        method="bfgs", disp=False, maxiter=5000, gtol=1e-8
    )
    assert ours.converged and theirs.mle_retvals["converged"]
    np.testing.assert_allclose(ours.params, theirs.params[x.columns], rtol=0, atol=1e-5)
    # statsmodels' standard errors come from a numerical Hessian
    np.testing.assert_allclose(ours.bse, theirs.bse[x.columns], rtol=1e-3)
    # its cut points: the first, then log increments
    cuts = np.cumsum([theirs.params.iloc[5], *np.exp(theirs.params.iloc[6:])])
    np.testing.assert_allclose(ours.cuts, cuts, rtol=0, atol=1e-5)


def test_brant_check_holds_its_level_under_proportional_odds_and_detects_a_violation():
    rng = np.random.default_rng(11)
    p = np.array([brant(*simulated(rng, 600))[0] for _ in range(60)])
    # 60 models: under a 5 % level, P(more than 9 rejections) < 0.01 (binomial)
    assert np.sum(p < 0.05) <= 9
    # the group's slope runs from -1 to +1 across the cut points: far from proportional odds
    p_violated, df, per_term = brant(*simulated(rng, 600, np.linspace(-1, 1, 7)))
    assert p_violated < 1e-4 and per_term["g"] < 1e-4
    assert df == 5 * 2  # 5 slopes, 3 quartile cut points: 2 contrasts each


def test_unknown_covariate_is_refused_at_start_up():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    codebook = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    config = copy.deepcopy(config)
    config["comparisons"]["patients_by_had_imaging"]["adjust_for"] = ["agee"]
    with pytest.raises(START_UP_ERRORS, match="adjust_for 'agee'"):
        start_up_checks(config, codebook)


def test_term_sizes_are_the_smaller_side_of_each_contrast():
    # cells of (outcome, group, band): group 0 has 3 + 4 respondents, group 1 has 10; band 1
    # (the reference) has 3 + 10, band 2 has 4
    distinct = pd.DataFrame({"y": [1, 2, 1], GROUP: [0, 0, 1], "band": [1, 2, 1]})
    counts = np.array([3.0, 4.0, 10.0])
    level_names = {"band": {1: "young", 2: "old"}, "years": None}
    sizes = term_sizes(distinct, counts, ["A", "B"], ["band"], level_names)
    assert sizes == {"group: B vs A": 7, "band: old vs young": 4}
    distinct["years"] = [20.0, 30.0, 40.0]  # a linear term: every respondent
    assert term_sizes(distinct, counts, ["A", "B"], ["years"], level_names)["years: per unit"] == 17


def test_a_rule_hides_the_odds_ratios_of_a_contrast_with_a_small_side():
    models = pd.DataFrame(
        {column: [0.5, 0.25] for column in TERM_STATISTICS}
        | {"comparison": "c", "outcome": "o", "term": ["group: B vs A", "band: old vs young"],
           "n": [40, 40], SMALLEST_LEVEL_N: [30, 7]}
    )  # fmt: skip
    exact = publish_ordinal(models, policy_of({"rule": "none"}))
    assert SMALLEST_LEVEL_N not in exact and exact["odds_ratio"].tolist() == [0.5, 0.25]
    published = publish_ordinal(models, policy_of({"rule": "nhs"}))
    assert SMALLEST_LEVEL_N not in published
    # estimates at 2 decimals, p as journals print it, log10 p withheld (the p at full precision)
    shown = {"p": "0.50", "po_term_p": "0.50", "log10_p": SUPPRESSED}
    for column in TERM_STATISTICS:
        assert published[column].tolist() == [shown.get(column, "0.50"), SUPPRESSED], column
    assert published["n"].tolist() == [40, 40]
    threshold = publish_ordinal(models.assign(**{SMALLEST_LEVEL_N: [9, 12]}),
                                policy_of({"rule": "threshold", "min_count": 10}))  # fmt: skip
    assert threshold["p"].tolist() == [SUPPRESSED, "0.25"]
    # a level hidden in a descriptive table hides its terms too, whatever their size
    hidden = publish_ordinal(models.assign(**{SMALLEST_LEVEL_N: [30, 30]}),
                             policy_of({"rule": "threshold", "min_count": 10}),
                             hidden_levels={("band", "old")})  # fmt: skip
    assert hidden["odds_ratio"].tolist() == ["0.50", SUPPRESSED]


def test_a_model_n_a_few_short_of_its_comparisons_is_withheld():
    # 1 of the comparison's 41 has no covariate: the model's n (40) would tell that one respondent
    models = pd.DataFrame(
        {column: [0.5] for column in TERM_STATISTICS}
        | {"comparison": "c", "outcome": "o", "term": ["group: B vs A"], "n": [40],
           SMALLEST_LEVEL_N: [20], OUTCOME_GROUP_N: [41]}
    )  # fmt: skip
    assert publish_ordinal(models, policy_of({"rule": "threshold", "min_count": 10}))[
        "n"
    ].tolist() == [SUPPRESSED]
    assert publish_ordinal(models, policy_of({"rule": "nhs"}))["n"].tolist() == [40]
    assert OUTCOME_GROUP_N not in publish_ordinal(models, policy_of({"rule": "none"}))


def rated(n: int, seed: int) -> tuple[pd.DataFrame, object]:
    """``n`` respondents: sex, age in years and a 5-point rating that rises with age and sex."""
    rng = np.random.default_rng(seed)
    sex, age = rng.integers(1, 3, n), rng.integers(18, 80, n).astype(float)
    latent = 0.5 * (sex == 2) + 0.03 * (age - 50) + rng.logistic(size=n)
    rating = np.searchsorted([-1.5, -0.5, 0.5, 1.5], latent) + 1
    codebook = {
        "survey": "toy",
        "answer_sets": {
            "sex": {"options": [{"label": "Female", "code": 1}, {"label": "Male", "code": 2}]},
            "scale": {"ordinal": True,
                      "options": [{"label": str(k), "code": k} for k in range(1, 6)]},
        },  # fmt: skip
        "export": {"response_id": "ID"},
        "questions": [
            {"id": "age", "text": numeric.AGE, "type": "numeric", "min": 0, "max": 120},
            {"id": "sex", "text": numeric.SEX, "answers": "sex"},
            {"id": "rating", "text": "How good?", "answers": "scale"},
        ],
    }
    frame = pd.DataFrame({"age": pd.array(age, dtype=NUMBER_DTYPE),
                          "sex": pd.array(sex, dtype=CODE_DTYPE),
                          "rating": pd.array(rating, dtype=CODE_DTYPE)})  # fmt: skip
    return frame, filled.questionnaire(codebook)


SPEC = filled.comparison(
    survey="toy", by="sex", outcomes=["rating"], adjust_for=["age"], family="f"
)
SETTINGS = filled.analysis(OrdinalSettings)


def test_a_number_without_bands_adjusts_as_a_linear_term():
    """Age in years as a covariate (it used to stop the job with an AttributeError): one term,
    its odds ratio per year, the same as statsmodels' OrderedModel on every respondent."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    frame, q = rated(1500, seed=2)
    table = ordinal_models("by_sex", SPEC, {"toy": frame}, {"toy": q}, SETTINGS)
    assert table["term"].tolist() == ["group: Male vs Female", "age: per unit"]
    assert "age as linear terms, odds ratio per unit" in table["method"].iloc[0]
    x = pd.DataFrame({"male": (frame["sex"] == 2).astype(float), "age": frame["age"].astype(float)})
    reference = OrderedModel(frame["rating"].astype(int).to_numpy(), x, distr="logit").fit(
        method="newton", disp=False, maxiter=200
    )
    np.testing.assert_allclose(table["estimate"], reference.params[["male", "age"]], atol=1e-5)
    np.testing.assert_allclose(table["std_error"], reference.bse[["male", "age"]], rtol=1e-3)
    assert table["odds_ratio"].iloc[1] == pytest.approx(np.exp(0.03), abs=0.01)  # as simulated


def test_banded_number_adjusts_as_groups():
    frame, q = rated(600, seed=3)
    frame, q = apply_bands(frame, q, numeric.BANDS)  # as the workflow does with config bands
    table = ordinal_models("by_sex", SPEC, {"toy": frame}, {"toy": q}, SETTINGS)
    assert table["term"].tolist() == [
        "group: Male vs Female", "age: 35–64 vs 18–34", "age: 65 and over vs 18–34"
    ]
    assert "linear" not in table["method"].iloc[0]


def test_fit_starts_from_the_cumulative_frequencies_and_counts_its_newton_steps():
    """No step: the cuts are the logits of the cumulative level frequencies (weighted by the
    counts) and the slopes 0. A fit that takes N Newton steps has not converged with N - 1
    allowed; its log-likelihood is statsmodels' OrderedModel's at the same parameters."""
    from scipy.special import logit
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    y, x = np.array([0, 1, 2, 0, 1, 2]), np.array([[0.0], [0.0], [0.0], [1.0], [1.0], [1.0]])
    counts = np.array([3, 2, 1, 1, 2, 3])
    start = fit_proportional_odds(y, x, counts, max_iterations=0)
    assert not start.converged and start.iterations == 0
    np.testing.assert_allclose(start.cuts, logit([4 / 12, 8 / 12]), rtol=1e-12)
    np.testing.assert_array_equal(start.params, [0.0])
    fit = fit_proportional_odds(y, x, counts)
    assert fit.converged and 2 <= fit.iterations <= 10
    short = fit_proportional_odds(y, x, counts, max_iterations=fit.iterations - 1)
    assert not short.converged and short.iterations == fit.iterations - 1
    # statsmodels' parameters: slopes, the first cut, log increments of the others
    model = OrderedModel(np.repeat(y, counts), np.repeat(x, counts, axis=0), distr="logit")
    theirs = model.loglike(np.r_[fit.params, fit.cuts[0], np.log(np.diff(fit.cuts))])
    assert fit.loglike == pytest.approx(theirs, rel=1e-12)


def test_a_boolean_design_fits_as_its_zeros_and_ones():
    y, x = three_groups(np.random.default_rng(6), 300)
    as_bool = fit_proportional_odds(y, x.to_numpy().astype(bool))
    as_float = fit_proportional_odds(y, x.to_numpy())
    np.testing.assert_array_equal(as_bool.params, as_float.params)


def test_a_design_that_cannot_be_fitted_ends_unconverged_without_standard_errors():
    """A column repeated (a covariate that is the group again) or repeated up to 1e-8: no
    maximum to find; the fit stops, says it did not converge and gives no standard error."""
    rng = np.random.default_rng(0)
    group = rng.integers(0, 2, 60).astype(float)
    y = rng.integers(0, 3, 60)
    # the second: Newton steps so long that each is halved (26 tries in 4 steps), until none
    # keeps the log-likelihood up
    noise = np.random.default_rng(1).normal(size=60)
    for x in [np.column_stack([group, group]), np.column_stack([group, group + 1e-8 * noise])]:
        fit = fit_proportional_odds(y, x)
        assert not fit.converged and 1 <= fit.iterations < 100
        assert fit.bse.shape == (2,) and np.isnan(fit.bse).all()


def test_the_log_likelihood_keeps_a_far_tail():
    """A respondent at the top level with the last cut 40 logits above the linear predictor: p
    = F(-40), 4e-18, not 1 - F(40), which is 0 in floating point (log -inf)."""
    from likertflow.ordinal import _loglike
    from scipy.special import expit

    one = _loglike(np.array([40.0]), np.zeros(1), np.array([1]), np.zeros((1, 1)), np.ones(1))
    assert one == pytest.approx(np.log(expit(-40.0)), rel=1e-12)


def test_cut_points_keep_splits_with_at_least_ten_on_each_side():
    from likertflow.ordinal import MIN_PER_SIDE, cut_points

    assert MIN_PER_SIDE == 10
    # quartile splits after levels 0, 1, 2: the first has exactly 10 below, kept
    assert cut_points(np.array([10, 30, 30, 30])) == [0, 1, 2]
    # the third quartile's split (after level 4) has 3 above: dropped
    assert cut_points(np.array([5, 5, 5, 5, 100, 3])) == [3]


def test_a_fit_stops_at_a_zero_gradient_or_after_100_newton_steps():
    """The fit stops where every gradient component is at most the tolerance (at 0: exactly 0)
    and otherwise after 100 Newton steps by default (as R's optim under MASS::polr).

    Groups with the same answers: the start (slope 0, cuts the cumulative logits) is the
    maximum to the bit, converged with no step even at tolerance 0. The 2 x 3 table of the
    docstring has its maximum in closed form, slope log 5, cuts 0 and log 5, standard error
    2 / sqrt(3) (polr: 1.60943791454233, -2.2e-09, 1.60943790404301, 1.15470052838284, from
    ``polr(y ~ x, Hess = TRUE, control = list(reltol = 1e-14, maxit = 1000))`` on those 12
    rows): at tolerance 0 its gradient stays at rounding's 1e-16, the fit runs its 100 steps,
    unconverged, at the maximum."""
    same = fit_proportional_odds(np.array([0, 1, 0, 1]), np.array([[0.0], [0.0], [1.0], [1.0]]),
                                 tolerance=0.0)  # fmt: skip
    assert same.converged and same.iterations == 0
    np.testing.assert_array_equal(same.params, [0.0])
    np.testing.assert_array_equal(same.cuts, [0.0])
    y, x = np.array([0, 1, 2, 0, 1, 2]), np.array([[0.0], [0.0], [0.0], [1.0], [1.0], [1.0]])
    counts = np.array([3, 2, 1, 1, 2, 3])
    exact = fit_proportional_odds(y, x, counts, tolerance=0.0)
    assert not exact.converged and exact.iterations == 100
    assert exact.params[0] == pytest.approx(np.log(5), rel=1e-14)
    np.testing.assert_allclose(exact.cuts, [0.0, np.log(5)], rtol=0, atol=1e-14)
    assert exact.bse[0] == pytest.approx(2 / np.sqrt(3), rel=1e-12)
    fit = fit_proportional_odds(y, x, counts)
    assert fit.converged and fit.params[0] == pytest.approx(np.log(5), rel=1e-9)
    # the same table as weights summing to 0.4 (log-likelihood -0.40): the allowance for
    # rounding, 64 eps (|loglike| + 1), still takes the steps at the maximum that lose rounding
    weighted = fit_proportional_odds(y, x, counts / 30, tolerance=0.0)
    assert -1 < weighted.loglike < 0 and weighted.iterations == 100
    assert weighted.params[0] == pytest.approx(np.log(5), rel=1e-12)


def test_the_fit_and_its_log_likelihood_warn_of_nothing():
    """A fit logs no warning of numpy's (a deprecated call would fail with numpy's next
    release); a cell beyond floating point, whose probability is 0 (a step the line search
    rejects), gives a log-likelihood of -inf without a divide-by-zero warning."""
    import warnings

    from likertflow.ordinal import _loglike

    y, x = np.array([0, 1, 2, 0, 1, 2]), np.array([[0.0], [0.0], [0.0], [1.0], [1.0], [1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = fit_proportional_odds(y, x, np.array([3, 2, 1, 1, 2, 3]))
        assert fit.converged and fit.iterations >= 1
        beyond = _loglike(np.array([-800.0]), np.zeros(1), np.array([0]), np.zeros((1, 1)),
                          np.ones(1))  # fmt: skip
    assert beyond == -np.inf


def test_a_step_not_finite_or_never_keeping_the_log_likelihood_up_ends_the_fit():
    """The fit ends unconverged, at its last accepted point, where a Newton step is not finite
    (a covariate of 1e160, whose information overflows) or where no halving of it (down to
    1e-10) keeps the log-likelihood up (a column repeated up to 1e-8, this noise: the first
    step goes down at every length): here both at the start, slope 0 and the cumulative logits
    as cuts, no standard error."""
    rng = np.random.default_rng(0)
    group = rng.integers(0, 2, 60).astype(float)
    y = rng.integers(0, 3, 60)
    noise = np.random.default_rng(13).normal(size=60)
    start = fit_proportional_odds(y, group[:, None], max_iterations=0)
    repeated = np.column_stack([group, group + 1e-8 * noise])
    for x in [group[:, None] * 1e160, repeated]:
        with np.errstate(all="ignore"):
            fit = fit_proportional_odds(y, x)
        assert not fit.converged and fit.iterations == 1
        np.testing.assert_array_equal(fit.params, np.zeros(x.shape[1]))
        np.testing.assert_array_equal(fit.cuts, start.cuts)
        assert fit.loglike == start.loglike and np.isnan(fit.bse).all()
    # the repeated column's covariance has a negative variance: no standard error, and no
    # "invalid value in sqrt" warning in the job's log
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(fit_proportional_odds(y, repeated).bse).all()
