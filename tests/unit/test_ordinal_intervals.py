"""The ordinal models' odds-ratio intervals and p against R: MASS::polr's Wald intervals
(exp(confint.default()) at levels 0.95 and 0.9) and Wald p, stored in
tests/expected/ordinal_models_polr.csv by the commands in tests/r/model_frames.py. At 0.9 too, so
that an interval at the wrong level, or a quantile that ignores the level, fails."""

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from likertflow.codebook import questionnaire_codebook
from likertflow.grouping import comparison_inputs
from likertflow.ordinal import cells, fit_proportional_odds, odds_ratio_wald, ordinal_models
from likertflow.settings import Comparison, OrdinalSettings
from support import filled

EXPECTED = REPO / "tests" / "expected" / "ordinal_models_polr.csv"
# the shipped models' complete cases, as tests/r/model_frames.py wrote them for polr.R
FRAMES = REPO / "tests" / "r" / "data" / "brant_data.csv"
LEVELS = {0.95: "95", 0.9: "90"}
# Ours is at the maximum (gradient 1e-10 per respondent, analytic Hessian); polr's BFGS stops 5e-8
# from it with a numerical Hessian (standard errors 2.8e-8 relative apart). Measured: interval
# bounds 7.9e-8 relative at most, p 5.0e-7 (its relative error is |b / se| times that of b / se).
# A wrong quantile moves a bound by several per cent.
RTOL = {"ci": 1e-6, "p": 5e-6}


@pytest.fixture(scope="module")
def polr() -> pd.DataFrame:
    return pd.read_csv(EXPECTED)


def compare(ours: pd.DataFrame, polr: pd.DataFrame, confidence: float) -> None:
    """``ours``: comparison, outcome, term_index and the workflow's columns."""
    both = ours.merge(polr, on=["comparison", "outcome", "term_index"], suffixes=("", "_r"))
    assert len(both) == len(ours) == len(polr) == 75
    level = LEVELS[confidence]
    np.testing.assert_allclose(both["ci_low"], both[f"or_ci_low_{level}"], rtol=RTOL["ci"])
    np.testing.assert_allclose(both["ci_high"], both[f"or_ci_high_{level}"], rtol=RTOL["ci"])
    np.testing.assert_allclose(both["p"], both["p_r"], rtol=RTOL["p"])


def shipped_fits() -> pd.DataFrame:
    """Estimates and standard errors of the shipped models, fitted here on the stored frames
    (group and age treatment-coded against their lowest value, as polr.R codes them)."""
    frames = pd.read_csv(FRAMES)
    rows = []
    for name, frame in frames[frames["dataset"].str.startswith("shipped/")].groupby("dataset"):
        x = pd.concat(
            [pd.get_dummies(frame[c].astype(int), prefix=c, drop_first=True, dtype=float)
             for c in ["group", "age"]], axis=1,
        )  # fmt: skip
        levels, y = np.unique(frame["y"], return_inverse=True)
        distinct, counts = cells(x.assign(_y=y))
        fit = fit_proportional_odds(distinct["_y"].to_numpy(), distinct[x.columns].to_numpy(),
                                    counts)  # fmt: skip
        assert fit.converged
        _, comparison, outcome = name.split("/")
        for index, (estimate, error) in enumerate(zip(fit.params, fit.bse, strict=True), 1):
            rows.append({"comparison": comparison, "outcome": outcome, "term_index": index,
                         "estimate": float(estimate), "std_error": float(error)})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize("confidence", LEVELS)
def test_wald_intervals_and_p_equal_polr(polr, confidence):
    fits = shipped_fits()
    rows = [
        odds_ratio_wald(b, se, confidence)
        for b, se in zip(fits["estimate"], fits["std_error"], strict=True)
    ]
    compare(pd.concat([fits, pd.DataFrame(rows)], axis=1), polr, confidence)


def test_the_two_levels_are_far_apart_in_the_reference(polr):
    """The 90 % interval is inside the 95 % one by more than any tolerance above."""
    assert (polr["or_ci_low_90"] / polr["or_ci_low_95"] - 1 > 0.05).all()
    assert (1 - polr["or_ci_high_90"] / polr["or_ci_high_95"] > 0.05).all()


def models_at(run, confidence: float) -> pd.DataFrame:
    """``ordinal_models`` of every adjusted shipped comparison on a run's scores, at
    ``confidence`` (what compare_groups does with params.model_analysis)."""
    config, codebook = filled.workflow_files(run)
    settings = filled.analysis(OrdinalSettings, confidence_level=confidence, alpha=0.05)
    tables = []
    for name, params in sorted(config["comparisons"].items()):
        spec = Comparison.from_params(params)
        if not spec.adjust_for:
            continue
        frames, questionnaires = comparison_inputs(
            [str(run / "results" / "data" / f"{spec.survey}.analysed.parquet")],
            {spec.survey: questionnaire_codebook(codebook, spec.survey)},
            {q: b for q, b in config["bands"].items() if q in {spec.by, *spec.adjust_for}},
            spec,
        )
        tables.append(ordinal_models(name, spec, frames, questionnaires, settings))
    return with_term_index(pd.concat(tables, ignore_index=True))


def with_term_index(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(term_index=table.groupby(["comparison", "outcome"]).cumcount() + 1)


@pytest.mark.slow
def test_shipped_run_intervals_and_p_equal_polr(shipped_run, polr):
    """What the workflow wrote (the shipped level, 0.95) and what the same code gives at 0.9 on
    the same data."""
    written = pd.read_csv(shipped_run / "results" / "tables" / "ordinal_models.csv")
    assert written["method"].str.contains("Wald 95% intervals").all()
    compare(with_term_index(written), polr, 0.95)
    at_90 = models_at(shipped_run, 0.9)
    assert at_90["method"].str.contains("Wald 90% intervals").all()
    compare(at_90, polr, 0.9)
