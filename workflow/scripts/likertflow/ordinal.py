"""Proportional-odds (cumulative logit) models of a comparison's outcomes, adjusted for covariates.

A comparison that declares ``adjust_for: [question ids]`` gets, per outcome, the model

    logit P(outcome <= j) = cut_j - (group terms + covariate terms)

fitted by maximum likelihood with statsmodels' ``OrderedModel`` (the parameterisation of R's
``MASS::polr``; the tests compare both). Odds ratios > 1 mean higher outcome values.

- **Outcome**: its distinct observed values, in increasing order, are the ordered categories.
  A statement's code has at most as many levels as its scale; a theme score (the mean of its
  statement codes) has one level per distinct mean, so no information is lost by binning and the
  same rule is applied in R (``factor(y, ordered = TRUE)``).
- **Group and covariates** enter as categorical terms (treatment contrasts): each group against
  the comparison's first group, each covariate's answer against its lowest code present. Off-scale
  answers (e.g. "I do not want to reveal my age") are missing; the model uses the respondents with
  a value of the outcome and of every covariate (complete cases, ``n``).
- **Intervals and p**: Wald, from the observed information.
- **Proportional-odds check**: Brant's (1990) Wald test that the slopes of the binary logits
  P(outcome > j) are equal across cut points j, for the whole model (``po_test_p``, on
  ``po_test_df`` df) and per term (``po_term_p``). The cut points are the splits nearest the
  outcome's quartiles with at least ``MIN_PER_SIDE`` respondents on each side: with one cut per
  distinct theme mean, the binary fits at the extremes are near-separated and the test rejects
  data simulated under proportional odds. It is asymptotic, and liberal when a covariate level is
  sparse (about 14 % rejections at 0.05 under proportional odds with a reference level of 11
  respondents in 280). When ``po_test_p`` is below alpha the row's ``warning`` says so and the
  log warns: read the odds ratio as an average over cut points.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from likertflow.codebook import Questionnaire
from likertflow.grouping import GROUP, comparison_data, outcome_values

log = logging.getLogger(__name__)

COLUMNS = [
    "comparison", "outcome", "term", "odds_ratio", "ci_low", "ci_high", "p", "n", "covariates",
    "method", "estimate", "std_error", "levels", "po_term_p", "po_test_p", "po_test_df", "warning",
]  # fmt: skip
MIN_PER_SIDE = 10  # respondents on each side of a cut point used by the proportional-odds check
QUANTILES = (0.25, 0.5, 0.75)  # the check compares the binary logits split near these quantiles


def covariate_codes(frame: pd.DataFrame, questionnaire: Questionnaire, name: str) -> np.ndarray:
    """A covariate question's on-scale codes as float64 (off-scale answers missing)."""
    try:
        answers = questionnaire.question(name).answers
    except KeyError:
        raise ValueError(
            f"adjust_for {name!r} is not a question of the {questionnaire.survey} questionnaire"
        ) from None
    return answers.on_scale(frame[name]).to_numpy("float64", na_value=np.nan)


def design(
    data: pd.DataFrame, labels: list[str], covariates: list[str], level_names: dict
) -> pd.DataFrame:
    """Treatment-coded columns of group and covariates, levels absent from ``data`` dropped."""
    columns = {}
    present = sorted(data[GROUP].unique())
    for position in present[1:]:
        columns[f"{GROUP}: {labels[position]} vs {labels[present[0]]}"] = data[GROUP] == position
    for name in covariates:
        codes = sorted(data[name].unique())
        names = level_names[name]
        for code in codes[1:]:
            columns[f"{name}: {names[code]} vs {names[codes[0]]}"] = data[name] == code
    return pd.DataFrame(columns, index=data.index).astype("float64")


def fit_proportional_odds(y: np.ndarray, x: pd.DataFrame):
    """statsmodels' OrderedModel (logit) of the level index ``y`` on ``x``."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    model = OrderedModel(y, x, distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.fit(method="bfgs", disp=False, maxiter=5000, gtol=1e-8)
    return result


def cut_points(y: np.ndarray) -> list[int]:
    """The levels j whose binary split y <= j / y > j is nearest each quartile of y, deduplicated,
    keeping those with at least ``MIN_PER_SIDE`` respondents on each side."""
    below = np.cumsum(np.bincount(y))[:-1]  # respondents with y <= j
    cuts = {int(np.argmin(np.abs(below - q * len(y)))) for q in QUANTILES}
    return sorted(j for j in cuts if min(below[j], len(y) - below[j]) >= MIN_PER_SIDE)


def brant(y: np.ndarray, x: pd.DataFrame) -> tuple[float, int, dict[str, float]]:
    """Brant's Wald test of equal slopes across the binary logits P(y > j): (p, df, per-term p).

    NaN when fewer than two cut points have ``MIN_PER_SIDE`` respondents on each side.
    """
    import statsmodels.api as sm

    cuts = cut_points(y)
    terms = list(x.columns)
    if len(cuts) < 2 or not terms:
        return np.nan, 0, dict.fromkeys(terms, np.nan)
    exog = np.column_stack([np.ones(len(x)), x.to_numpy()])
    betas, fitted, bread = [], [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for j in cuts:
            fit = sm.Logit((y > j).astype(float), exog).fit(disp=False, maxiter=200)
            betas.append(fit.params)
            fitted.append(fit.predict(exog))
    for pi in fitted:
        bread.append(np.linalg.pinv(exog.T @ (exog * (pi * (1 - pi))[:, None])))
    m, k = len(cuts), exog.shape[1]
    variance = np.zeros((m * k, m * k))
    for a in range(m):
        for b in range(a, m):
            # P(y > cut_a and y > cut_b) = pi_b for cut_a < cut_b
            weight = fitted[b] * (1 - fitted[a])
            block = bread[a] @ (exog.T @ (exog * weight[:, None])) @ bread[b]
            variance[a * k : (a + 1) * k, b * k : (b + 1) * k] = block
            variance[b * k : (b + 1) * k, a * k : (a + 1) * k] = block.T
    stacked = np.concatenate(betas)

    def wald(slopes: list[int]) -> tuple[float, int]:
        # contrasts slope(cut 0) - slope(cut a), a = 1 .. m - 1, for the chosen slopes
        rows = []
        for a in range(1, m):
            for s in slopes:
                row = np.zeros(m * k)
                row[s], row[a * k + s] = 1.0, -1.0
                rows.append(row)
        d = np.array(rows)
        diff = d @ stacked
        statistic = float(diff @ np.linalg.pinv(d @ variance @ d.T) @ diff)
        return float(stats.chi2.sf(statistic, len(rows))), len(rows)

    p, df = wald(list(range(1, k)))
    per_term = {term: wald([i + 1])[0] for i, term in enumerate(terms)}
    return p, df, per_term


def model_data(
    spec: dict, frames: dict[str, pd.DataFrame], questionnaires: dict[str, Questionnaire]
) -> tuple[pd.DataFrame, list[str], dict[str, dict[int, str]]]:
    """(respondents with group, outcomes and covariate codes; group labels; covariate labels)."""
    covariates, outcomes = list(spec.get("adjust_for") or []), list(spec["outcomes"])

    def value_of(frame, questionnaire, column):
        if column in covariates and column not in outcomes:
            return covariate_codes(frame, questionnaire, column)
        return outcome_values(frame, questionnaire, column)

    columns = [*outcomes, *(c for c in covariates if c not in outcomes)]
    data, labels = comparison_data(frames, questionnaires, spec, columns=columns, value_of=value_of)
    level_names = {covariate: {} for covariate in covariates}
    for covariate in covariates:
        for questionnaire in questionnaires.values():
            level_names[covariate].update(questionnaire.question(covariate).answers.label_of)
    return data, labels, level_names


def _method(levels: int, outcome: str, covariates: list[str], confidence: float) -> str:
    return (
        f"proportional-odds logistic regression (statsmodels OrderedModel, logit) of the "
        f"{levels} ordered distinct values of {outcome} on {' + '.join([GROUP, *covariates])} "
        f"(treatment contrasts); Wald {100 * confidence:g}% intervals and p; Brant test of "
        f"proportional odds at the quartile cut points"
    )


def ordinal_models(
    name: str,
    spec: dict,
    frames: dict[str, pd.DataFrame],
    questionnaires: dict[str, Questionnaire],
    settings: dict,
) -> pd.DataFrame:
    """One row per model term of every outcome of a comparison that declares ``adjust_for``."""
    covariates = list(spec.get("adjust_for") or [])
    confidence, alpha = settings.get("confidence_level", 0.95), settings.get("alpha", 0.05)
    data, labels, level_names = model_data(spec, frames, questionnaires)
    z = stats.norm.ppf(0.5 + confidence / 2)
    rows = []
    for outcome in spec["outcomes"]:
        complete = data[[GROUP, outcome, *covariates]].dropna()
        levels, y = np.unique(complete[outcome].to_numpy(), return_inverse=True)
        x = design(complete, labels, covariates, level_names)
        x = x.loc[:, x.std() > 0]
        if len(levels) < 2 or x.empty:
            log.warning("%s, %s: no model (fewer than 2 outcome levels or no terms)", name, outcome)
            continue
        result = fit_proportional_odds(y, x)
        po_p, po_df, po_terms = brant(y, x)
        problems = []
        if not result.mle_retvals.get("converged", True):
            problems.append("model fit did not converge")
        if po_p < alpha:
            problems.append(f"proportional odds doubtful: Brant test p = {po_p:.3g} < {alpha:g}")
        warning = "; ".join(problems)
        if warning:
            log.warning("%s, %s: %s", name, outcome, warning)
        shared = {
            "comparison": name,
            "outcome": outcome,
            "n": len(complete),
            "covariates": "; ".join(covariates),
            "method": _method(len(levels), outcome, covariates, confidence),
            "levels": len(levels),
            "po_test_p": po_p,
            "po_test_df": po_df,
            "warning": warning,
        }
        for term in x.columns:
            estimate, error = float(result.params[term]), float(result.bse[term])
            rows.append(
                {
                    **shared,
                    "term": term,
                    "odds_ratio": np.exp(estimate),
                    "ci_low": np.exp(estimate - z * error),
                    "ci_high": np.exp(estimate + z * error),
                    "p": float(2 * stats.norm.sf(abs(estimate / error))),
                    "estimate": estimate,
                    "std_error": error,
                    "po_term_p": po_terms[term],
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS).astype({"n": "int64", "levels": "int64"})
