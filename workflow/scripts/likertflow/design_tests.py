"""Design-based tests and models from cell totals: Lumley & Scott's rank tests between groups
(``survey::svyranktest``) and the proportional-odds model on the design (``survey::svyolr``).

Both take a ``CellTotals`` (per stratum, PSU and cell: responses, sum of weights and of squared
weights) whose cells are what the statistic needs, so a batch yields its part once and the parts
add up (issue 22), and a ``Design`` (``design.SampleUnits.design``):

- ``rank_test``: cells are (group, answer category) pairs. For an ordinal answer, every response
  in a category has the same estimated population mid-rank, so the rank score and each
  response's influence value depend only on the cell.
- ``proportional_odds``: cells are (outcome level, covariate pattern) pairs; the pseudo-likelihood
  and its per-response scores depend only on the cell.

The variance of each is the ultimate-cluster linearisation of ``design.cell_variance``, with the
same domain and lonely-PSU rules as the design-based estimates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from likertflow.design import CellTotals, Design, cell_variance, degrees_of_freedom

RANK_SCORES = {
    "wilcoxon": "Wilcoxon (Kruskal-Wallis) rank score F(y)",
    "vanderWaerden": "van der Waerden normal score qnorm(F(y))",
    "median": "median score 1[F(y) > 1/2]",
}


@dataclass(frozen=True)
class RankTest:
    """A design-based rank test between groups.

    Two groups: ``statistic`` is t = (difference in mean rank score) / its design-based standard
    error, on ``df`` = degf - 1, and ``estimate`` that difference (second group minus first).
    More groups: ``statistic`` is the Wald chi-squared of the k - 1 differences from the first
    group, tested as F = chi-squared / ``ndf`` on (``ndf``, ``df`` = degf - ndf) df; ``estimate``
    is NaN. ``mean_scores``: each group's weighted mean rank score; ``n``: its responses
    (unweighted); ``weight``: its sum of weights.
    """

    statistic: float
    statistic_name: str
    ndf: int
    df: int
    p: float
    estimate: float
    mean_scores: np.ndarray
    n: np.ndarray
    weight: np.ndarray
    method: str


def rank_scores(weights: np.ndarray, score: str = "wilcoxon") -> np.ndarray:
    """Each ordered category's rank score from its total weight: the estimated population
    mid-rank (weight below the category + half its own weight) divided by the total weight N,
    i.e. the mid-distribution function F(y) (with weights 1, N F is the usual mid-rank less 1/2,
    as svyranktest's cumsum(w) - w/2), then transformed as ``svyranktest``'s ``test``:
    "wilcoxon" (and "KruskalWallis") F, "vanderWaerden" qnorm(F), "median" 1[F > 1/2].

    Examples
    --------
    >>> rank_scores(np.array([1.0, 2.0, 1.0])).tolist()  # mid-ranks 0.5, 2, 3.5 of N = 4
    [0.125, 0.5, 0.875]
    """
    weights = np.asarray(weights, dtype="float64")
    total = weights.sum()
    below = np.cumsum(weights) - weights
    fraction = (below + weights / 2) / total
    if score == "wilcoxon":
        return fraction
    if score == "vanderWaerden":
        return special.ndtri(fraction)
    if score == "median":
        return (fraction > 0.5).astype("float64")
    raise ValueError(f"score {score!r}: expected one of {', '.join(RANK_SCORES)}")


@dataclass(frozen=True)
class _GroupFit:
    """The weighted least-squares regression of a cell value on group (treatment coding):
    each group's weighted mean, the differences from the first group, their design-based
    covariance (index 0 the first group's mean, 1 .. k - 1 the differences), and the domain's
    ``degf``, responses and sums of weights per group."""

    means: np.ndarray
    differences: np.ndarray
    covariance: np.ndarray
    degf: int
    n: np.ndarray
    weight: np.ndarray


def _group_regression(totals: CellTotals, design: Design, group, cell_value) -> _GroupFit:
    """svyglm(value ~ group) on cells: the coefficients are the groups' weighted means less the
    first's; each response's influence value is w (value - its group's mean) x_g (X'WX)^-1."""
    cells = len(group)
    weight_of_cell = np.bincount(totals.cell, weights=totals.w, minlength=cells)
    n_of_cell = np.bincount(totals.cell, weights=totals.n, minlength=cells)
    k = int(group.max()) + 1
    group_weight = np.bincount(group, weights=weight_of_cell, minlength=k)
    if np.any(group_weight <= 0) or k < 2:
        raise ValueError("every group 0 .. k - 1 needs responses, and k at least 2")
    group_n = np.bincount(group, weights=n_of_cell, minlength=k).astype("int64")
    means = np.bincount(group, weights=weight_of_cell * cell_value, minlength=k) / group_weight
    # treatment coding: X_g = (1, 1[g = 1], ..., 1[g = k-1])
    x = np.eye(k)
    x[:, 0] = 1.0
    information = (x * group_weight[:, None]).T @ x
    bread = np.linalg.inv(information)
    influence = (cell_value - means[group])[:, None] * (x[group] @ bread)
    covariance = cell_variance(totals, design, influence)
    df = degrees_of_freedom(design, totals.stratum, totals.psu, totals.n)
    return _GroupFit(means, means - means[0], covariance, df, group_n, group_weight)


@dataclass(frozen=True)
class MeanDifferences:
    """Design-based differences of the groups' weighted means from the first group's, as
    ``svyglm(y ~ group, design)``: per group 1 .. k - 1 its ``estimate`` (the difference),
    ``std_error``, ``t`` with two-sided ``p`` and Wald interval ``ci_low``/``ci_high`` on ``df``
    = degf - (k - 1) (svyglm's df.residual); ``means`` each group's weighted mean, ``n`` its
    responses, ``weight`` its sum of weights."""

    estimate: np.ndarray
    std_error: np.ndarray
    t: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    df: int
    means: np.ndarray
    n: np.ndarray
    weight: np.ndarray
    method: str


def mean_differences(
    totals: CellTotals, design: Design, group: np.ndarray, value: np.ndarray, level: float = 0.95
) -> MeanDifferences:
    """The groups' weighted means of a score compared on the design, as ``summary(svyglm(y ~
    group, subset(design, <domain>)))``: the coefficient of each group (its mean less the first
    group's) with its design-based standard error, t on degf - (k - 1) df and Wald interval on
    the same df. Cells as ``rank_test``: ``group[cell]`` the cell's group, ``value[cell]`` its
    value (a theme score: its distinct values are few).

    Examples
    --------
    >>> from likertflow.design import SampleUnits
    >>> groups, values = np.repeat([0, 1], 4), np.array([1, 2, 2, 3, 2, 3, 4, 4.0])
    >>> cells, index = np.unique(groups * 10 + values, return_inverse=True)
    >>> totals = CellTotals.from_responses(index, np.ones(8))
    >>> fit = mean_differences(totals, SampleUnits.from_responses(length=8).design(), cells // 10,
    ...                        cells % 10)
    >>> float(fit.estimate[0]), fit.df  # 3.25 - 2
    (1.25, 6)
    """
    group = np.asarray(group, dtype="int64")
    fit = _group_regression(totals, design, group, np.asarray(value, dtype="float64"))
    k = len(fit.means)
    errors = np.sqrt(np.diag(fit.covariance))[1:]
    df = fit.degf - (k - 1)
    t = fit.differences[1:] / errors
    quantile = float(special.stdtrit(df, 0.5 + level / 2)) if df > 0 else np.nan
    method = (
        f"difference in weighted means from the first group, design-based (svyglm(score ~ "
        f"group); Taylor linearisation, {design.describe()}); {100 * level:g}% Wald interval and "
        f"p from t on {df} df"
    )
    return MeanDifferences(
        fit.differences[1:], errors, t, 2 * special.stdtr(df, -np.abs(t)),
        fit.differences[1:] - quantile * errors, fit.differences[1:] + quantile * errors, df,
        fit.means, fit.n, fit.weight, method,
    )  # fmt: skip


def rank_test(
    totals: CellTotals,
    design: Design,
    group: np.ndarray,
    category: np.ndarray,
    score: str = "wilcoxon",
) -> RankTest:
    """Lumley & Scott's (2013) design-based rank test of an ordinal answer between groups, as
    ``survey::svyranktest(answer ~ group, subset(design, <domain>))``.

    ``totals``: the domain's cells (pass only responses with an answer and a group);
    ``group[cell]``: the cell's group, 0 .. k - 1 (0 is the reference; every group present);
    ``category[cell]``: the cell's answer (any ordered numbers, e.g. codes).

    Method: each category's rank score is computed from the estimated population distribution
    (``rank_scores``; weighted mid-ranks over N); the scores are regressed on group by weighted
    least squares (the coefficients are the differences of the groups' weighted mean scores from
    the first group's), and the coefficients' variance is the design-based variance of their
    influence values w (score - group mean) x_g (X'WX)^-1, per cell. With two groups the test is
    a t test on degf - 1 df, with more a Wald F test on (k - 1, degf - k + 1) df, as survey has
    them (``multiranktest``).

    Tied answers: survey 4.1 ranks tied responses by the unweighted average of their running
    positions cumsum(w) - w/2 in row order, which depends on the order of the rows when weights
    differ within a category; this uses the weighted mid-rank of the category (the mid-
    distribution function of Lumley & Scott), which needs no row order. They agree when the
    weights are equal within each category (tests/r/design_survey.R compares both).

    Examples
    --------
    >>> from likertflow.design import SampleUnits
    >>> groups, answers = np.repeat([0, 1], 6), np.array([1, 2, 2, 3, 3, 4, 2, 3, 4, 4, 5, 5])
    >>> totals = CellTotals.from_responses(groups * 5 + answers - 1, np.ones(12))
    >>> cells = np.arange(10)
    >>> test = rank_test(totals, SampleUnits.from_responses(length=12).design(), cells // 5,
    ...                  cells % 5 + 1)
    >>> test.statistic_name, round(test.statistic, 4), test.df, round(test.p, 4)
    ('t', 2.1479, 10, 0.0573)
    """
    group = np.asarray(group, dtype="int64")
    category = np.asarray(category, dtype="float64")
    weight_of_cell = np.bincount(totals.cell, weights=totals.w, minlength=len(group))
    values, value_index = np.unique(category, return_inverse=True)
    value_weight = np.bincount(value_index, weights=weight_of_cell, minlength=len(values))
    present = value_weight > 0
    scores = np.zeros(len(values))
    scores[present] = rank_scores(value_weight[present], score)
    fit = _group_regression(totals, design, group, scores[value_index])
    mean_scores, group_n, group_weight = fit.means, fit.n, fit.weight
    variance, coefficients, df, k = fit.covariance, fit.differences, fit.degf, len(fit.means)
    name = "Wilcoxon" if score == "wilcoxon" else score
    shared = (
        f"Lumley & Scott design-based {name} rank test ({RANK_SCORES[score]}, F the estimated "
        f"population mid-distribution function; Taylor linearisation, {design.describe()})"
    )
    if k == 2:
        t = float(coefficients[1] / np.sqrt(variance[1, 1]))
        p = float(2 * special.stdtr(df - 1, -abs(t)))
        method = f"{shared}; t on {df - 1} df (survey::svyranktest)"
        return RankTest(t, "t", 1, df - 1, p, float(coefficients[1]), mean_scores, group_n,
                        group_weight, method)  # fmt: skip
    beta = coefficients[1:]
    chisq = float(beta @ np.linalg.solve(variance[1:, 1:], beta))
    ndf, ddf = k - 1, df - (k - 1)
    p = float(special.fdtrc(ndf, ddf, chisq / ndf))
    method = f"{shared}; Wald chi-squared / {ndf} as F on ({ndf}, {ddf}) df (survey::svyranktest)"
    return RankTest(chisq, "chi-squared", ndf, ddf, p, np.nan, mean_scores, group_n, group_weight,
                    method)  # fmt: skip


@dataclass(frozen=True)
class OrdinalDesignFit:
    """A proportional-odds model fitted on the design: logit P(y <= j) = cut_j - x' beta.

    ``coefficients`` (beta, > 0: higher outcome levels) and ``cuts`` (zeta, R's "1|2", ...),
    their design-based ``covariance`` (beta then cuts, as ``vcov(svyolr)``), ``std_errors`` and
    ``cut_std_errors``; ``t`` = beta / se with two-sided ``p`` and ``ci_low``/``ci_high`` on
    ``df`` = degf - len(beta) (svyolr's df.residual); ``n`` responses (unweighted) and ``weight``.
    """

    coefficients: np.ndarray
    cuts: np.ndarray
    covariance: np.ndarray
    std_errors: np.ndarray
    cut_std_errors: np.ndarray
    t: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    df: int
    n: int
    weight: float
    converged: bool
    method: str


def _scores_and_information(cuts, params, y, x, weights):
    """Per cell, the gradient of log P(y | x) with respect to (params, cuts) (R's order), and the
    information (minus the Hessian of the weighted log-likelihood). For level k,
    P = F(a) - F(b), a = cut_k - x'beta (+inf at the top), b = cut_k-1 - x'beta (-inf at the
    bottom); with u = da/dtheta, v = db/dtheta: grad log P = (f(a) u - f(b) v) / P,
    Hess log P = (f'(a) u u' - f'(b) v v') / P - grad grad'."""
    m, p_terms = len(cuts), x.shape[1]
    eta = x @ params
    a = np.append(cuts, np.inf)[y] - eta
    b = np.insert(cuts, 0, -np.inf)[y] - eta
    prob = np.where(
        b > 0, special.expit(-b) - special.expit(-a), special.expit(a) - special.expit(b)
    )
    f_a, f_b = special.expit(a) * special.expit(-a), special.expit(b) * special.expit(-b)
    df_a = f_a * (special.expit(-a) - special.expit(a))
    df_b = f_b * (special.expit(-b) - special.expit(b))
    rows = np.arange(len(y))
    u = np.zeros((len(y), p_terms + m))
    v = np.zeros_like(u)
    u[:, :p_terms] = v[:, :p_terms] = -x
    upper, lower = y < m, y > 0
    u[rows[upper], p_terms + y[upper]] = 1.0
    v[rows[lower], p_terms + y[lower] - 1] = 1.0
    scores = (f_a / prob)[:, None] * u - (f_b / prob)[:, None] * v
    hessian = (
        u.T @ (u * (weights * df_a / prob)[:, None])
        - v.T @ (v * (weights * df_b / prob)[:, None])
        - scores.T @ (scores * weights[:, None])
    )
    return scores, -hessian


def proportional_odds(
    totals: CellTotals,
    design: Design,
    levels: np.ndarray,
    x: np.ndarray,
    level: float = 0.95,
) -> OrdinalDesignFit:
    """The proportional-odds (cumulative logit) model on the design, as ``survey::svyolr(y ~
    terms, subset(design, <domain>))``: weighted pseudo-maximum likelihood, sandwich variance.

    ``totals``: the domain's cells (responses with an outcome and every covariate);
    ``levels[cell]``: the outcome level index 0 .. J - 1 (every level present); ``x[cell]``: the
    cell's row of the model matrix without intercept (e.g. treatment-coded group and covariates).

    Method: the log pseudo-likelihood sum_c W_c log P(level_c | x_c) (W_c the cell's sum of
    weights) is maximised by ``ordinal.fit_proportional_odds`` (Newton-Raphson, the
    parameterisation of MASS::polr and svyolr); each response's influence value is w times its
    cell's score times the inverse information (svyolr's ``inffun``), and the covariance is their
    design-based variance (``design.cell_variance``). svyolr takes its information from optim's
    numerical Hessian; this one is analytic.

    Examples
    --------
    >>> from likertflow.design import SampleUnits
    >>> y, g = np.array([0, 1, 2, 0, 1, 2]), np.array([0, 0, 0, 1, 1, 1])
    >>> totals = CellTotals.from_responses(np.arange(6), np.array([3.0, 2, 1, 1, 2, 3]))
    >>> fit = proportional_odds(totals, SampleUnits.from_responses(length=6).design(), y,
    ...                         g[:, None].astype(float))
    >>> round(float(fit.coefficients[0]), 4), fit.df  # polr's estimate; degf 5 - 1 term
    (1.6094, 4)
    """
    from likertflow.ordinal import fit_proportional_odds  # pandas: only when a model is fitted

    levels = np.asarray(levels, dtype="int64")
    x = np.asarray(x, dtype="float64").reshape(len(levels), -1)
    weights = np.bincount(totals.cell, weights=totals.w, minlength=len(levels))
    used = weights > 0
    fit = fit_proportional_odds(levels[used], x[used], weights[used])
    scores, information = _scores_and_information(fit.cuts, fit.params, levels, x, weights)
    influence = scores @ np.linalg.inv(information)
    covariance = cell_variance(totals, design, influence)
    p_terms = x.shape[1]
    errors = np.sqrt(np.diag(covariance))
    df = degrees_of_freedom(design, totals.stratum, totals.psu, totals.n) - p_terms
    t = fit.params / errors[:p_terms]
    quantile = float(special.stdtrit(df, 0.5 + level / 2)) if df > 0 else np.nan
    method = (
        f"proportional-odds logistic regression on the design (weighted pseudo-maximum "
        f"likelihood on cells, Newton-Raphson; sandwich variance by Taylor linearisation, "
        f"{design.describe()}; survey::svyolr); {100 * level:g}% Wald intervals and p from t "
        f"on {df} df"
    )
    return OrdinalDesignFit(
        fit.params, fit.cuts, covariance, errors[:p_terms], errors[p_terms:], t,
        2 * special.stdtr(df, -np.abs(t)), fit.params - quantile * errors[:p_terms],
        fit.params + quantile * errors[:p_terms], df, int(totals.n.sum()), float(weights.sum()),
        fit.converged, method,
    )  # fmt: skip
