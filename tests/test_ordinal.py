"""Adjusted proportional-odds models: estimates against R's MASS::polr on the shipped data, the
Brant check on data simulated with and without proportional odds, and the start-up check."""

import copy

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from likertflow.config_check import ConfigError, check_references
from likertflow.ordinal import brant, fit_proportional_odds

EXPECTED = REPO / "tests" / "expected" / "ordinal_models_polr.csv"


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
    result = fit_proportional_odds(y, x)
    truth = {"g": 0.4, "a1": 0.3, "a2": 0.6, "a3": 0.9, "a4": 1.2}
    for term, value in truth.items():
        # 3.5 standard errors: a wrong sign or parameterisation misses by far more
        assert abs(result.params[term] - value) < 3.5 * result.bse[term], term


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
    with pytest.raises(ConfigError, match="adjust_for 'agee'"):
        check_references(config, codebook)


@pytest.mark.slow
def test_shipped_ordinal_models_match_r_polr(shipped_run):
    """tests/expected/ordinal_models_polr.csv was made by the commands in tests/r/model_frames.py
    (R 4.2.2, MASS 7.3-58.2) from the same analysed data."""
    ours = pd.read_csv(shipped_run / "results" / "tables" / "ordinal_models.csv")
    r = pd.read_csv(EXPECTED)
    ours["term_index"] = ours.groupby(["comparison", "outcome"]).cumcount() + 1
    both = ours.merge(r, on=["comparison", "outcome", "term_index"], suffixes=("", "_r"))
    assert len(both) == len(ours) == len(r) == 75
    assert (both["n"] == both["n_r"]).all()
    assert set(zip(ours["comparison"], ours["covariates"], strict=True)) == {
        (name, "age")
        for name in ["patients_by_had_imaging", "patients_by_saw_images",
                     "patients_by_expert_patient"]
    }  # fmt: skip
    # Both optimisers stop near 1e-6 on the log-odds scale (measured: 1e-5 at most); standard
    # errors come from numerical (R) and analytic-numerical (statsmodels) Hessians (1e-4).
    np.testing.assert_allclose(both["estimate"], both["estimate_r"], atol=1e-4)
    np.testing.assert_allclose(both["std_error"], both["std_error_r"], rtol=1e-3)
    np.testing.assert_allclose(both["odds_ratio"], np.exp(both["estimate_r"]), rtol=1e-4)
