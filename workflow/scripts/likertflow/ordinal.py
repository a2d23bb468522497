"""Proportional-odds (cumulative logit) models of a comparison's outcomes, adjusted for covariates.

A comparison that declares ``adjust_for: [question ids]`` gets, per outcome, the model

    logit P(outcome <= j) = cut_j - (group terms + covariate terms)

fitted by maximum likelihood (the parameterisation of R's ``MASS::polr``; the tests compare
both, and statsmodels' ``OrderedModel``). Odds ratios > 1 mean higher outcome values.

- **Fit**: the likelihood depends on the respondents only through the counts of each distinct
  (outcome level, group, covariate levels) cell, so the model is fitted on those cells with the
  counts as frequency weights, by Newton-Raphson with the analytic gradient and Hessian
  (``fit_proportional_odds``): its cost depends on the number of cells, not of respondents.

- **Outcome**: its distinct observed values, in increasing order, are the ordered categories.
  A statement's code has at most as many levels as its scale; a theme score (the mean of its
  statement codes) has one level per distinct mean, so no information is lost by binning and the
  same rule is applied in R (``factor(y, ordered = TRUE)``).
- **Group and covariates** enter as categorical terms (treatment contrasts): each group against
  the comparison's first group, each covariate's answer against its lowest code present. Off-scale
  answers (e.g. "I do not want to reveal my age") are missing; the model uses the respondents with
  a value of the outcome and of every covariate (complete cases, ``n``).
- **Intervals and p**: Wald, from the observed information (the inverse of the negative Hessian
  at the maximum).
- **Proportional-odds check**: Brant's (1990) Wald test that the slopes of the binary logits
  P(outcome > j) are equal across cut points j, for the whole model (``po_test_p``, on
  ``po_test_df`` df) and per term (``po_term_p``): separate binary logit fits, their joint
  covariance, Wald contrasts of each slope at the first cut point against the others
  (``brant_test``; equal to R's, tests/r/brant.R, to 1e-8 relative on the shipped study). The
  cut points are the splits nearest the outcome's quartiles with at least ``MIN_PER_SIDE``
  respondents on each side, so the test is Brant's on the outcome grouped at those splits. With
  every split (the test of R's brant package and car::poTest on the ungrouped outcome) the binary
  fits at the extremes are separated (no finite estimate) on all 15 shipped models, as R's glm
  warns too: a theme mean's extreme values have 1-4 respondents. A binary logit can be separated
  at a quartile split too (a sparse group or covariate level entirely on one side): the test then
  has no finite estimate to compare, its columns are blank and the row's ``warning`` names the
  split. It is asymptotic, and liberal when a covariate level is sparse (about 14 % rejections
  at 0.05 under proportional odds with a reference level of 11 respondents in 280). When
  ``po_test_p`` is below alpha the row's ``warning`` says so and the log warns: read the odds
  ratio as an average over cut points.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from likertflow.codebook import Questionnaire
from likertflow.disclosure import OUTCOME_GROUP_N, SMALLEST_LEVEL_N, SUPPRESSED
from likertflow.grouping import (
    COUNT,
    GROUP,
    VALUE,
    compared_surveys,
    comparison_data,
    covariate_key,
    group_labels,
    model_columns,
    model_value_of,
    outcome_cells,
)
from likertflow.pvalues import log10_normal_p
from likertflow.settings import Comparison, OrdinalSettings

log = logging.getLogger(__name__)

COLUMNS = [
    "comparison", "outcome", "term", "odds_ratio", "ci_low", "ci_high", "p", "n", "covariates",
    "method", "estimate", "std_error", "levels", "po_term_p", "po_test_p", "po_test_df", "warning",
    "log10_p",
]  # fmt: skip
MIN_PER_SIDE = 10  # respondents on each side of a cut point used by the proportional-odds check
QUANTILES = (0.25, 0.5, 0.75)  # the check compares the binary logits split near these quantiles
GRADIENT_TOLERANCE = 1e-10  # the fit stops when every |d loglike| <= this x respondents
# the Brant test's binary logits: with 1e-10 their Wald statistics are 1e-8 (relative) from the
# maximum's, which p values far in the tail (1e-27 on the shipped data) magnify 100-fold
BINARY_GRADIENT_TOLERANCE = 1e-13
# a binary logit is separated when its linear programme's maximum exceeds this x rows (the maximum
# is 0 without separation and at least of the order of a row's scaled predictor with it)
SEPARATION_TOLERANCE = 1e-9


def design(
    data: pd.DataFrame, labels: list[str], covariates: list[str], level_names: dict
) -> pd.DataFrame:
    """Treatment-coded columns of group and categorical covariates, levels absent from ``data``
    dropped; a numeric covariate (``level_names`` None: a number without config bands, such as
    age in years) is one linear term, its odds ratio per unit."""
    columns = {term: column for term, column, _ in _terms(data, labels, covariates, level_names)}
    return pd.DataFrame(columns).astype("float64")  # the columns are Series on data's index


def term_sizes(
    data: pd.DataFrame,
    counts: np.ndarray,
    labels: list[str],
    covariates: list[str],
    level_names: dict,
) -> dict[str, int]:
    """Per term of ``design``: respondents on the smaller side of its contrast (the level or the
    reference level; every respondent for a linear term), from the model's cells and counts.
    A disclosure rule hides the odds ratio of a contrast with a group too small to publish."""
    sizes = {}
    for term, column, reference in _terms(data, labels, covariates, level_names):
        if reference is None:
            sizes[term] = int(counts.sum())
        else:
            level, reference = column.to_numpy(), reference.to_numpy()  # boolean Series
            sizes[term] = int(min(counts[level].sum(), counts[reference].sum()))
    return sizes


def _terms(data: pd.DataFrame, labels: list[str], covariates: list[str], level_names: dict):
    """(term, its column, the reference level's indicator or None for a linear term)."""
    present = sorted(data[GROUP].unique())
    for position in present[1:]:
        term = f"{GROUP}: {labels[position]} vs {labels[present[0]]}"
        yield term, data[GROUP] == position, data[GROUP] == present[0]
    for name in covariates:
        names = level_names[name]
        if names is None:
            yield f"{name}: per unit", data[name], None
            continue
        codes = sorted(data[name].unique())
        for code in codes[1:]:
            term = f"{name}: {names[code]} vs {names[codes[0]]}"
            yield term, data[name] == code, data[name] == codes[0]


@dataclass(frozen=True)
class OrdinalFit:
    """Maximum-likelihood fit of P(y <= j) = F(cuts_j - x @ params), F the logistic cdf."""

    cuts: np.ndarray
    params: np.ndarray
    bse: np.ndarray  # of params, from the inverse observed information
    loglike: float
    converged: bool
    iterations: int


def cells(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct rows of ``frame`` (one per respondent) and how many respondents share each.

    The model's likelihood depends on the respondents only through these counts. The cells come
    sorted (groupby sorts its keys), so the fit's sums, and every bit of its results, do not
    depend on the respondents' order.
    """
    counted = frame.groupby(list(frame.columns)).size()
    return counted.index.to_frame(index=False), counted.to_numpy()


def _loglike(cuts, params, y, x, counts, derivatives=False):
    """Log-likelihood (and its gradient and Hessian) of the cells (y, x) weighted by ``counts``.

    For a cell at level k, p = F(a) - F(b) with a = cut_k - x @ params, b = cut_(k-1) - x @ params
    (cut_(-1) = -inf, cut_(J-1) = +inf). With u = d a / d(cuts, params), v = d b / d(cuts, params):
    grad log p = (f(a) u - f(b) v) / p, Hess log p = (f'(a) u u' - f'(b) v v') / p - grad grad'.
    """
    eta = x @ params
    a = np.append(cuts, np.inf)[y] - eta
    b = np.insert(cuts, 0, -np.inf)[y] - eta
    # the difference of the smaller tails, without cancellation when both are near 1
    p = np.where(b > 0, special.expit(-b) - special.expit(-a), special.expit(a) - special.expit(b))
    with np.errstate(divide="ignore"):
        loglike = float(counts @ np.log(p))
    if not derivatives:
        return loglike
    m = len(cuts)
    f_a, f_b = special.expit(a) * special.expit(-a), special.expit(b) * special.expit(-b)
    df_a = f_a * (special.expit(-a) - special.expit(a))  # f' = f (1 - 2F)
    df_b = f_b * (special.expit(-b) - special.expit(b))
    rows = np.arange(len(y))
    u = np.zeros((len(y), m + x.shape[1]))
    v = np.zeros_like(u)
    u[:, m:] = v[:, m:] = -x
    upper, lower = y < m, y > 0
    u[rows[upper], y[upper]] = 1.0
    v[rows[lower], y[lower] - 1] = 1.0
    per_cell = (f_a / p)[:, None] * u - (f_b / p)[:, None] * v  # grad log p of each cell
    gradient = counts @ per_cell
    hessian = (
        u.T @ (u * (counts * df_a / p)[:, None])
        - v.T @ (v * (counts * df_b / p)[:, None])
        - per_cell.T @ (per_cell * counts[:, None])
    )
    return loglike, gradient, hessian


def fit_proportional_odds(
    y: np.ndarray,
    x: np.ndarray,
    counts: np.ndarray | None = None,
    max_iterations: int = 100,
    tolerance: float = GRADIENT_TOLERANCE,
) -> OrdinalFit:
    """Cumulative-logit model of the level index ``y`` (0 .. J - 1, every level present) on the
    design ``x``, by Newton-Raphson on the log-likelihood with ``counts`` as frequency weights
    (one respondent per row when None), so that cells of identical respondents fit at once.

    The log-likelihood is concave in (cuts, params) (Pratt 1981). The fit starts from the logits
    of the cumulative level frequencies and params = 0, halves a step until the cuts stay
    increasing and the log-likelihood does not decrease, and stops when every gradient component
    is below ``tolerance`` per respondent. Standard errors come from the inverse of the
    negative Hessian at the optimum (their params block does not depend on how the cuts are
    parameterised, so it is MASS::polr's and statsmodels' OrderedModel's).

    Examples
    --------
    >>> y, x = np.array([0, 1, 2, 0, 1, 2]), np.array([[0.0], [0.0], [0.0], [1.0], [1.0], [1.0]])
    >>> fit = fit_proportional_odds(y, x, counts=np.array([3, 2, 1, 1, 2, 3]))
    >>> fit.converged, round(float(fit.params[0]), 4), round(float(fit.bse[0]), 4)  # as polr's
    (True, 1.6094, 1.1547)
    """
    y = np.asarray(y, dtype="int64")
    x = np.asarray(x, dtype="float64").reshape(len(y), -1)
    counts = np.ones(len(y)) if counts is None else np.asarray(counts)
    total = counts.sum()
    cumulative = np.cumsum(np.bincount(y, weights=counts))[:-1] / total
    cuts, params = special.logit(cumulative), np.zeros(x.shape[1])
    m = len(cuts)
    loglike, gradient, hessian = _loglike(cuts, params, y, x, counts, derivatives=True)
    converged, iterations = False, 0
    while iterations < max_iterations:
        if np.max(np.abs(gradient)) <= tolerance * total:
            converged = True
            break
        iterations += 1
        try:
            step = np.linalg.solve(-hessian, gradient)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)):
            break
        # rounding in a sum over cells: a step this close to the maximum may "lose" ~1e-14
        allowance = 64 * np.finfo(float).eps * (abs(loglike) + 1.0)
        scale = 1.0
        while scale > 1e-10:
            new_cuts, new_params = cuts + scale * step[:m], params + scale * step[m:]
            if np.all(np.diff(new_cuts) > 0):
                new_loglike = _loglike(new_cuts, new_params, y, x, counts)
                if new_loglike >= loglike - allowance:
                    break
            scale /= 2
        else:
            break  # no step keeps the cuts increasing and the log-likelihood up
        cuts, params = new_cuts, new_params
        loglike, gradient, hessian = _loglike(cuts, params, y, x, counts, derivatives=True)
    try:
        covariance = np.linalg.inv(-hessian)
        variances = np.diag(covariance)[m:]
        # an unconverged fit's may be negative: no standard error, and no warning in the log
        bse = np.sqrt(np.where(variances >= 0, variances, np.nan))
    except np.linalg.LinAlgError:
        bse = np.full(x.shape[1], np.nan)
    return OrdinalFit(cuts, params, bse, loglike, converged, iterations)


def cut_points(level_counts: np.ndarray) -> list[int]:
    """The levels j whose binary split y <= j / y > j is nearest each quartile of y, deduplicated,
    keeping those with at least ``MIN_PER_SIDE`` respondents on each side (``level_counts``:
    respondents at each level)."""
    below = np.cumsum(level_counts)[:-1]  # respondents with y <= j
    total = np.sum(level_counts)
    cuts = {int(np.argmin(np.abs(below - q * total))) for q in QUANTILES}
    return sorted(j for j in cuts if min(below[j], total - below[j]) >= MIN_PER_SIDE)


@dataclass(frozen=True)
class BrantTest:
    """Brant's test of one model: omnibus p on ``df`` df, per-term p, the splits it compared (level
    indices j of the binary logits y > j) and those whose binary logit is separated."""

    p: float
    df: int
    term_p: dict[str, float]
    splits: list[int]
    separated: list[int]


def separated(above: np.ndarray, x: np.ndarray) -> bool:
    """Whether the binary logit of ``above`` on an intercept and ``x`` has no finite maximum:
    some b != 0 puts every row with ``above`` at x'b >= 0 and every other row at x'b <= 0
    (complete or quasi-complete separation, Albert and Anderson 1984). Found by Konis's (2007)
    linear programme, as R's detectseparation and safeBinaryRegression do: maximise the sum of
    the signed linear predictors subject to each being >= 0, with b in [-1, 1]; separated when
    the maximum is positive (else only b = 0, on a design of full rank, attains it)."""
    from scipy.optimize import linprog  # here: 0.15 s of start-up that only ordinal jobs need

    exog = np.column_stack([np.ones(len(x)), x])
    exog = exog / np.max(np.abs(exog), axis=0)  # separation does not depend on column scales
    signed = np.where(above, 1.0, -1.0)[:, None] * exog
    result = linprog(
        -signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(signed)), bounds=(-1, 1)
    )  # HiGHS, scipy's default method
    return bool(result.status == 0 and -result.fun > SEPARATION_TOLERANCE * len(signed))


def brant_test(
    y: np.ndarray,
    x: pd.DataFrame,
    counts: np.ndarray | None = None,
    splits: list[int] | None = None,
) -> BrantTest:
    """Brant's (1990) Wald test of equal slopes across the binary logits P(y > j).

    ``y`` (level indices 0 .. J - 1) and ``x`` are cells with ``counts`` respondents each (one
    each when None). ``splits`` are the j compared (default ``cut_points``: near the quartiles;
    ``range(J - 1)`` gives every split, the test of R's brant package and car::poTest). Each
    binary logit is fitted on its own (the proportional-odds fit with two levels), their joint
    covariance is Brant's: the inverse information of each fit on the diagonal, and for j < l
    (X' W_j X)^-1 X' W_jl X (X' W_l X)^-1 with W_jl = pi_l (1 - pi_j), its transpose below the
    diagonal. (R's brant package and car::poTest 3.1-1 copy the block below the diagonal without
    transposing it: their omnibus statistic differs from this one by that, their per-term ones
    do not; tests/r/brant.R shows both.) The omnibus test compares every slope's estimate at the
    first split with those at the others, on (splits - 1) x terms df; each term's test does so for
    its slope alone. NaN, df 0, when fewer than two splits have ``MIN_PER_SIDE`` respondents on
    each side or when a binary logit is separated (``separated``: no finite estimate, so no Wald
    test; R's glm warns that fitted probabilities are 0 or 1).
    """
    y = np.asarray(y)
    counts = np.ones(len(y)) if counts is None else np.asarray(counts)
    if splits is None:
        splits = cut_points(np.bincount(y, weights=counts))
    splits, terms = list(splits), list(x.columns)
    design_ = x.to_numpy()
    untested = BrantTest(np.nan, 0, dict.fromkeys(terms, np.nan), splits, [])
    if len(splits) < 2 or not terms:
        return untested
    broken = [j for j in splits if separated(y > j, design_)]
    if broken:
        return BrantTest(np.nan, 0, dict.fromkeys(terms, np.nan), splits, broken)
    exog = np.column_stack([np.ones(len(x)), design_])
    betas, fitted, bread = [], [], []
    for j in splits:
        # P(y > j) = F(x @ params - cut): the logit's intercept is -cut
        fit = fit_proportional_odds(y > j, design_, counts, tolerance=BINARY_GRADIENT_TOLERANCE)
        betas.append(np.concatenate([-fit.cuts, fit.params]))
        fitted.append(special.expit(design_ @ fit.params - fit.cuts[0]))
    for pi in fitted:
        bread.append(np.linalg.pinv(exog.T @ (exog * (counts * pi * (1 - pi))[:, None])))
    m, k = len(splits), exog.shape[1]
    variance = np.zeros((m * k, m * k))
    for a in range(m):
        for b in range(a, m):
            # P(y > cut_a and y > cut_b) = pi_b for cut_a < cut_b
            weight = counts * fitted[b] * (1 - fitted[a])
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
        return float(special.chdtrc(len(rows), statistic)), len(rows)  # chi2.sf

    p, df = wald(list(range(1, k)))
    per_term = {term: wald([i + 1])[0] for i, term in enumerate(terms)}
    return BrantTest(p, df, per_term, splits, [])


def brant(
    y: np.ndarray, x: pd.DataFrame, counts: np.ndarray | None = None
) -> tuple[float, int, dict[str, float]]:
    """``brant_test`` at the quartile splits as (p, df, per-term p)."""
    test = brant_test(y, x, counts)
    return test.p, test.df, test.term_p


def model_data(
    spec: Comparison, frames: dict[str, pd.DataFrame], questionnaires: dict[str, Questionnaire]
) -> tuple[pd.DataFrame, list[str], dict[str, dict[int, str] | None]]:
    """(respondents with group, outcomes and covariate codes; group labels; covariate labels)."""
    data, labels = comparison_data(
        frames, questionnaires, spec, columns=model_columns(spec), value_of=model_value_of(spec)
    )
    return data, labels, covariate_levels(spec, questionnaires)


def covariate_levels(
    spec: Comparison, questionnaires: dict[str, Questionnaire]
) -> dict[str, dict[int, str] | None]:
    """Each covariate's answer labels by code (of every compared questionnaire), or None for a
    numeric covariate (a linear term)."""
    level_names = {}
    for covariate in spec.adjust_for:
        questions = [q.question(covariate) for q in questionnaires.values()]
        if any(question.numeric for question in questions):
            level_names[covariate] = None  # a linear term
            continue
        level_names[covariate] = {}
        for question in questions:
            level_names[covariate].update(question.answers.label_of)
    return level_names


def counted_model_cells(
    chosen: pd.DataFrame, outcome: str, covariates: list[str]
) -> tuple[pd.DataFrame, np.ndarray, int]:
    """``cells`` of a model's complete cases from one outcome's counted cells
    (``grouping.model_cells``, combined over batches), and the respondents with a value of the
    outcome and a group: the same cells and counts as from the respondents' rows."""
    columns = list(dict.fromkeys([outcome, GROUP, *covariates]))
    frame = pd.DataFrame(
        {
            outcome: chosen[VALUE],
            GROUP: chosen[GROUP],
            **{c: chosen[covariate_key(c)] for c in covariates if c != outcome},
            COUNT: chosen[COUNT],
        }
    )
    outcome_group_n = int(frame.loc[frame[[outcome, GROUP]].notna().all(axis=1), COUNT].sum())
    complete = frame.dropna(subset=columns)
    counted = complete.groupby(columns, sort=True)[COUNT].sum()
    return counted.index.to_frame(index=False), counted.to_numpy(), outcome_group_n


def odds_ratio_wald(estimate: float, error: float, confidence: float) -> dict[str, float]:
    """The odds ratio of a log-odds ``estimate`` with standard error ``error``, its two-sided Wald
    interval at ``confidence`` and its Wald p: exp(b), exp(b -+ z se) with z the normal quantile
    at (1 + confidence) / 2, and 2 P(Z > |b / se|) (R: exp(confint.default()), 2 pnorm(-|t|)).

    Examples
    --------
    >>> row = odds_ratio_wald(np.log(2.0), 0.5, 0.95)
    >>> [round(float(row[key]), 4) for key in ["odds_ratio", "ci_low", "ci_high", "p"]]  # as R's
    [2.0, 0.7506, 5.3288, 0.1657]
    """
    z = special.ndtri(0.5 + confidence / 2)  # norm.ppf
    return {
        "odds_ratio": np.exp(estimate),
        "ci_low": np.exp(estimate - z * error),
        "ci_high": np.exp(estimate + z * error),
        "p": float(2 * special.ndtr(-abs(estimate / error))),
    }


def _method(
    levels: int, outcome: str, covariates: list[str], confidence: float, linear: list[str]
) -> str:
    linear_note = f"; {', '.join(linear)} as linear terms, odds ratio per unit" if linear else ""
    return (
        f"proportional-odds logistic regression (logit; maximum likelihood, Newton-Raphson on the "
        f"cell counts) of the "
        f"{levels} ordered distinct values of {outcome} on {' + '.join([GROUP, *covariates])} "
        f"(treatment contrasts{linear_note}); Wald {100 * confidence:g}% intervals and p; "
        f"Brant test of "
        f"proportional odds at the quartile cut points"
    )


def ordinal_models(
    name: str,
    spec: Comparison,
    frames: dict[str, pd.DataFrame],
    questionnaires: dict[str, Questionnaire],
    settings: OrdinalSettings,
) -> pd.DataFrame:
    """One row per model term of every outcome of a comparison that declares ``adjust_for``;
    its last columns, ``SMALLEST_LEVEL_N`` and ``OUTCOME_GROUP_N`` (respondents with a value of
    the outcome and a group, whom the model's complete cases are part of), are for the
    disclosure rule and are not published."""
    covariates = list(spec.adjust_for)
    data, labels, level_names = model_data(spec, frames, questionnaires)
    models = {}
    for outcome in spec.outcomes:
        complete = data[list(dict.fromkeys([outcome, GROUP, *covariates]))].dropna()
        outcome_group_n = int(data[[outcome, GROUP]].notna().all(axis=1).sum())
        models[outcome] = (*cells(complete), outcome_group_n)
    return _model_table(name, spec, models, labels, level_names, settings)


def ordinal_models_from_cells(
    name: str,
    spec: Comparison,
    counted: pd.DataFrame,
    questionnaires: dict[str, Questionnaire],
    settings: OrdinalSettings,
) -> pd.DataFrame:
    """``ordinal_models`` from the counted cells of its questionnaires
    (``grouping.model_cells``, combined over batches, its questionnaires' cells concatenated)
    and its questionnaires (banded as its groups and covariates are): the same table."""
    labels = group_labels(questionnaires, spec)
    level_names = covariate_levels(spec, questionnaires)
    models = {
        outcome: counted_model_cells(
            outcome_cells(counted, name, outcome), outcome, list(spec.adjust_for)
        )
        for outcome in spec.outcomes
    }
    return _model_table(name, spec, models, labels, level_names, settings)


def _model_table(
    name: str,
    spec: Comparison,
    models: dict[str, tuple[pd.DataFrame, np.ndarray, int]],
    labels: list[str],
    level_names: dict[str, dict[int, str] | None],
    settings: OrdinalSettings,
) -> pd.DataFrame:
    """The rows of ``ordinal_models`` from each outcome's (cells, counts, respondents with a
    value of the outcome and a group)."""
    covariates = list(spec.adjust_for)
    confidence, alpha = settings.confidence_level, settings.alpha
    linear = [name for name in covariates if level_names[name] is None]
    rows = []
    for outcome, (distinct, counts, outcome_group_n) in models.items():
        levels, y = np.unique(distinct[outcome].to_numpy(), return_inverse=True)
        x = design(distinct, labels, covariates, level_names)
        x = x.loc[:, x.std() > 0]
        sizes = term_sizes(distinct, counts, labels, covariates, level_names)
        if len(levels) < 2 or x.empty:
            log.warning("%s, %s: no model (fewer than 2 outcome levels or no terms)", name, outcome)
            continue
        result = fit_proportional_odds(y, x.to_numpy(), counts)
        po = brant_test(y, x, counts)
        po_p, po_df, po_terms = po.p, po.df, po.term_p
        problems = []
        if not result.converged:
            problems.append("model fit did not converge")
        if po.separated:
            splits = " and ".join(f"{outcome} > {levels[j]:g}" for j in po.separated)
            logits = "logit of {} is" if len(po.separated) == 1 else "logits of {} are"
            problems.append(
                f"Brant test not computed: the binary {logits.format(splits)} separated (no "
                f"finite estimate)"
            )
        if po_p < alpha:
            problems.append(f"proportional odds doubtful: Brant test p = {po_p:.3g} < {alpha:g}")
        warning = "; ".join(problems)
        if warning:
            log.warning("%s, %s: %s", name, outcome, warning)
        shared = {
            "comparison": name,
            "outcome": outcome,
            "n": int(counts.sum()),
            "covariates": "; ".join(covariates),
            "method": _method(len(levels), outcome, covariates, confidence, linear),
            "levels": len(levels),
            "po_test_p": po_p,
            "po_test_df": po_df,
            "warning": warning,
        }
        for term, estimate, error in zip(x.columns, result.params, result.bse, strict=True):
            estimate, error = float(estimate), float(error)
            wald = odds_ratio_wald(estimate, error, confidence)
            rows.append(
                {
                    **shared,
                    "term": term,
                    **wald,
                    "log10_p": log10_normal_p(abs(estimate / error), wald["p"]),
                    "estimate": estimate,
                    "std_error": error,
                    "po_term_p": po_terms[term],
                    SMALLEST_LEVEL_N: sizes[term],
                    OUTCOME_GROUP_N: outcome_group_n,
                }
            )
    return pd.DataFrame(rows, columns=[*COLUMNS, SMALLEST_LEVEL_N, OUTCOME_GROUP_N]).astype(
        {"n": "int64", "levels": "int64", SMALLEST_LEVEL_N: "int64", OUTCOME_GROUP_N: "int64"}
    )


def hidden_levels(plans: dict, comparison: Comparison) -> set[tuple[str, str]]:
    """The levels of a model's terms that the published tables hide: (``group`` or a covariate,
    its answer's label) of every answer shown as ``*`` in the published frequencies (``plans``:
    survey -> its disclosure plan, ``publishing.read_plans``), so that no odds ratio shows them."""
    hidden = set()
    for survey, plan in plans.items():
        if comparison.by != "survey" and survey == comparison.survey:
            rows = plan[(plan["question_id"] == comparison.by) & (plan["n"] == SUPPRESSED)]
            hidden |= {("group", label) for label in rows["response"]}
        if survey in compared_surveys(comparison):
            for covariate in comparison.adjust_for:
                rows = plan[(plan["question_id"] == covariate) & (plan["n"] == SUPPRESSED)]
                hidden |= {(covariate, label) for label in rows["response"]}
    return hidden
