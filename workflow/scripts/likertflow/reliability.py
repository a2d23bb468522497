"""Internal consistency of each theme: Spearman correlations, Cronbach's alpha, item-rest r.

- Spearman's rho of every pair of a theme's statements, on the respondents who answered both
  (pairwise complete), with scipy's p value (t approximation) and n: the paper's "R" values.
  Computed from the pair's (answer x answer) count table: the codes take few values, so midranks
  and every sum of products are exact integers (``spearman_from_table``), with scipy's
  arithmetic after them. The same floats as ``scipy.stats.spearmanr`` while its own sums are
  exact (a few hundred thousand respondents); above that, ours are the exact ones.
- Cronbach's alpha on the respondents who answered every statement of the theme (listwise
  complete), alpha = k/(k-1) * (1 - sum of item variances / variance of the sum), with Feldt's
  (1965) F-based confidence interval: (1 - alpha) / (1 - alpha_hat) ~ F(n-1, (n-1)(k-1)).
- Item-rest correlations: Pearson's r of each statement with the sum of the theme's other
  statements (listwise complete, as alpha), and alpha with the statement deleted.
- The mean inter-item correlation (Pearson's r of every pair of statements, listwise complete)
  and its Spearman-Brown coefficient k r / (1 + (k - 1) r): for two statements 2r / (1 + r),
  the reliability of a two-item scale that Eisinga, te Grotenhuis and Pelzer (2013) recommend
  over alpha, which assumes equal item variances (psych::alpha calls it std.alpha).

Off-scale answers count as unanswered. Codes are the scored codes of ``likertflow.themes`` (1-5
on the agreement scale, reverse-keyed statements mirrored).

A negative alpha, or a negative item-rest r, almost always means a reverse-keyed statement that
the codebook does not mark ``reverse: true``: ``reliability_warnings`` names it, in the log and
in a table for the report. It also warns of an alpha below ``analysis.min_cronbach_alpha``
(naming the statement that holds the theme together least), and gives every theme of two
statements the Spearman-Brown coefficient and inter-item r a reviewer asks for.
"""

from __future__ import annotations

import logging
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import special

from likertflow.codebook import Questionnaire, Theme
from likertflow.pvalues import log10_t_p
from likertflow.themes import statement_codes

log = logging.getLogger(__name__)

ALPHA_METHOD = "Cronbach's alpha on complete cases; Feldt (1965) F-based {level:g}% interval"


def cronbach_alpha(items: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Alpha and Feldt's interval for an (n respondents x k items) array without missing values."""
    n, k = items.shape
    if n < 2 or k < 2:
        return np.nan, np.nan, np.nan
    alpha = _alpha(items.var(axis=0, ddof=1).sum(), items.sum(axis=1).var(ddof=1), k)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    # F quantiles: what scipy.stats.f.ppf computes, without importing scipy.stats (0.4 s a job)
    low = 1 - (1 - alpha) * special.fdtri(df1, df2, 1 - tail)
    high = 1 - (1 - alpha) * special.fdtri(df1, df2, tail)
    return alpha, float(low), float(high)


def _alpha(item_variances: float, total_variance: float, k: int) -> float:
    """Alpha from the summed item variances and the variance of the sum (NaN if that is 0)."""
    if total_variance == 0:
        return np.nan
    return float(k / (k - 1) * (1 - item_variances / total_variance))


def alphas_if_deleted(items: np.ndarray) -> list[float]:
    """``cronbach_alpha`` of the items without each one in turn, from one pass over the data:
    each column's variance does not depend on the other columns, and the codes are integers, so
    the sum of the others is exactly the total minus the item (the same floats as deleting it)."""
    n, k = items.shape
    if n < 2 or k < 3:
        return [np.nan] * k
    variances = items.var(axis=0, ddof=1)
    totals = items.sum(axis=1)
    return [
        _alpha(np.delete(variances, i).sum(), (totals - items[:, i]).var(ddof=1), k - 1)
        for i in range(k)
    ]


def item_rest_correlations(items: np.ndarray) -> np.ndarray:
    """Pearson's r of each column with the sum of the other columns (complete data)."""
    rest = items.sum(axis=1, keepdims=True) - items
    items_c = items - items.mean(axis=0)
    rest_c = rest - rest.mean(axis=0)
    denominator = np.sqrt((items_c**2).sum(axis=0) * (rest_c**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (items_c * rest_c).sum(axis=0) / denominator


def inter_item(items: np.ndarray) -> tuple[float, float]:
    """The mean Pearson r over every pair of columns of complete data, and its Spearman-Brown
    coefficient k r / (1 + (k - 1) r) (2r / (1 + r) for two items); NaN where undefined.

    Examples
    --------
    >>> r, sb = inter_item(np.array([[1, 1], [2, 3], [3, 2], [4, 4]], dtype=float))
    >>> round(r, 6), round(sb, 6)  # r = 0.8: 2 x 0.8 / 1.8
    (0.8, 0.888889)
    """
    n, k = items.shape
    if n < 2 or k < 2 or np.any(items.std(axis=0) == 0):
        return np.nan, np.nan
    correlations = np.corrcoef(items.T)  # columns as variables
    r = float(correlations[np.triu_indices(k, 1)].mean())
    return r, k * r / (1 + (k - 1) * r)


def _codes(analysed: pd.DataFrame, questionnaire: Questionnaire, theme: Theme) -> np.ndarray:
    """The theme's scored codes as an (n x k) float array, NaN where unanswered/off-scale."""
    return statement_codes(analysed, questionnaire, theme.items).to_numpy()  # float64 columns


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    """Spearman's rho, its p value and n on the pairs where both values are present."""
    return spearman_from_table(pair_tables(np.column_stack([x, y]))[0, 1])


def spearman_from_table(table: np.ndarray) -> tuple[float, float, int]:
    """Spearman's rho, p and n from the (x values x y values) count table of complete pairs,
    values in increasing order: scipy.stats.spearmanr's result without ranking each respondent.

    scipy ranks (midranks), takes np.corrcoef of the ranks and a t-test of rho. Twice a midrank
    is an integer, so the sums of squared and cross products of the centred ranks are computed
    exactly here (Python integers), then put through np.cov's and np.corrcoef's float steps in
    their order."""
    table = np.asarray(table, dtype=np.int64)
    n = int(table.sum())
    if n < 3:
        return np.nan, np.nan, n
    x_counts, y_counts = table.sum(axis=1), table.sum(axis=0)
    if (x_counts > 0).sum() < 2 or (y_counts > 0).sum() < 2:
        return np.nan, np.nan, n  # a constant input: scipy warns and returns NaN
    x_dev, y_dev = _centred_double_ranks(x_counts, n), _centred_double_ranks(y_counts, n)
    counts = table.tolist()
    # 4 x the sums of squared and cross products of (rank - mean rank): the factor 4, a power of
    # two, scales every float below exactly and cancels in rho
    s_xx = sum(map(lambda count, dev: count * dev * dev, x_counts.tolist(), x_dev))
    s_yy = sum(map(lambda count, dev: count * dev * dev, y_counts.tolist(), y_dev))
    s_xy = sum(
        counts[i][j] * x_dev[i] * y_dev[j]
        for i in range(len(x_dev))
        for j in range(len(y_dev))
        if counts[i][j]
    )
    fact = np.true_divide(1, n - 1)  # np.cov: c *= 1 / (N - ddof)
    c_xx, c_yy, c_xy = (np.float64(value) * fact for value in (s_xx, s_yy, s_xy))
    rho = c_xy / np.sqrt(c_yy) / np.sqrt(c_xx)  # np.corrcoef: rows, then columns
    rho = np.clip(rho, -1, 1)
    t = spearman_t(rho, n)
    p = 2 * special.stdtr(n - 2, -np.abs(t))
    return float(rho), float(p), n


def spearman_t(rho: float, n: int) -> float:
    """The t statistic of Spearman's rho on n - 2 df, as scipy.stats.spearmanr computes it (its
    clip at 0 left out: with |rho| <= 1 the quotient is never negative)."""
    dof = n - 2
    with np.errstate(divide="ignore"):  # rho of +-1: t infinite (a float rho would raise)
        return rho * np.sqrt(np.divide(dof, (rho + 1.0) * (1.0 - rho)))


def _centred_double_ranks(counts: np.ndarray, n: int) -> list[int]:
    """2 x (midrank - mean rank) of each value, from the counts of the values in order."""
    before = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return (2 * before + counts - n).tolist()  # 2 (start + (count + 1) / 2) - (n + 1)


def pair_tables(codes: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
    """The (answer x answer) count table of every pair of columns of an (n x k) code array, on
    the rows where both are present (pairwise complete), answers in increasing order."""
    levels, indices = [], []
    for column in codes.T:
        index, values = pd.factorize(column, sort=True)  # NaN -> -1
        levels.append(len(values))
        indices.append(index)
    tables = {}
    for i, j in combinations(range(codes.shape[1]), 2):
        both = (indices[i] >= 0) & (indices[j] >= 0)
        flat = np.bincount(
            indices[i][both] * levels[j] + indices[j][both], minlength=levels[i] * levels[j]
        )
        tables[i, j] = flat.reshape(levels[i], levels[j])
    return tables


CORRELATION_COLUMNS = ["survey", "theme", "item_a", "item_b", "rho", "p", "n", "log10_p"]
RELIABILITY_COLUMNS = ["survey", "theme", "n_items", "n", "alpha", "alpha_ci_low",
                       "alpha_ci_high", "item_rest_min", "method", "mean_inter_item_r",
                       "spearman_brown"]  # fmt: skip
ITEM_REST_COLUMNS = ["survey", "theme", "item", "n", "item_rest_r", "alpha_if_deleted"]


def reliability_tables(
    analysed: pd.DataFrame, questionnaire: Questionnaire, confidence: float = 0.95
) -> dict[str, pd.DataFrame]:
    """The three tables of this module, each theme's codes and complete cases taken once:
    ``correlations`` (Spearman's rho, p and n of every pair of a theme's statements),
    ``reliability`` (alpha with Feldt's interval, the weakest item-rest r, and the mean
    inter-item r with its Spearman-Brown coefficient, per theme) and
    ``item_rest`` (per statement: item-rest r and alpha if the statement were deleted)."""
    correlations, reliability, item_rest_rows = [], [], []
    method = ALPHA_METHOD.format(level=100 * confidence)
    survey = questionnaire.survey
    for theme in questionnaire.themes.values():
        codes = _codes(analysed, questionnaire, theme)
        tables = pair_tables(codes)
        for (i, item_a), (j, item_b) in combinations(enumerate(theme.items), 2):
            rho, p, n = spearman_from_table(tables[i, j])
            if np.isnan(rho):
                log.warning("%s: rho of %s, %s undefined (n=%d)", theme.id, item_a, item_b, n)
            log10_p = log10_t_p(spearman_t(rho, n), n - 2, p)  # NaN with rho
            correlations.append((survey, theme.id, item_a, item_b, rho, p, n, log10_p))
        complete = codes[~np.isnan(codes).any(axis=1)]  # listwise complete
        n, k = complete.shape
        alpha, low, high = cronbach_alpha(complete, confidence)
        item_rest = item_rest_correlations(complete) if n > 1 else np.full(k, np.nan)
        reliability.append(
            (survey, theme.id, k, n, alpha, low, high, float(np.min(item_rest)), method,
             *inter_item(complete))
        )  # fmt: skip
        deleted = alphas_if_deleted(complete)
        for i, item in enumerate(theme.items):
            item_rest_rows.append((survey, theme.id, item, n, float(item_rest[i]), deleted[i]))
    return {
        "correlations": pd.DataFrame(correlations, columns=CORRELATION_COLUMNS),
        "reliability": pd.DataFrame(reliability, columns=RELIABILITY_COLUMNS),
        "item_rest": pd.DataFrame(item_rest_rows, columns=ITEM_REST_COLUMNS),
    }


def theme_correlations(analysed: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Spearman's rho, p and n of every pair of each theme's statements (codebook order)."""
    return reliability_tables(analysed, questionnaire)["correlations"]


def theme_reliability(
    analysed: pd.DataFrame, questionnaire: Questionnaire, confidence: float = 0.95
) -> pd.DataFrame:
    """Cronbach's alpha with Feldt's interval per theme, plus the weakest item-rest r."""
    return reliability_tables(analysed, questionnaire, confidence)["reliability"]


def item_rest_table(analysed: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Per statement of each theme: item-rest r and alpha if the statement were deleted."""
    return reliability_tables(analysed, questionnaire)["item_rest"]


WARNING_COLUMNS = ["survey", "theme", "item", "statistic", "value", "warning"]
# Eisinga, te Grotenhuis and Pelzer (2013): the reliability of a two-item scale
TWO_ITEMS_REFERENCE = "Eisinga et al. 2013"


def reliability_warnings(
    reliability: pd.DataFrame,
    item_rest: pd.DataFrame,
    questionnaire: Questionnaire,
    *,
    min_alpha: float,
    places: int = 3,
) -> pd.DataFrame:
    """One row per negative alpha or negative item-rest r (asking whether an item is
    reverse-keyed), per alpha from 0 to below ``min_alpha`` (naming the theme's statements and
    the one with the lowest item-rest r), and per theme of two statements (their Spearman-Brown
    coefficient and inter-item r); each is logged as a warning too. ``places``: the decimals of
    the statistics the words quote (2 under a disclosure rule, as its columns publish them)."""
    rows = []
    for row in reliability.itertuples():
        if row.alpha < 0:
            rows.append(
                (row.survey, row.theme, "", "alpha", row.alpha,
                 f"{questionnaire.label}, theme {row.theme}: Cronbach's alpha is negative "
                 f"({row.alpha:.{places}f}); is one of its statements reverse-keyed but not marked "
                 "`reverse: true` in the codebook?")
            )  # fmt: skip
        elif row.alpha < min_alpha:
            rows.append(_low_alpha(row, item_rest, questionnaire, min_alpha, places))
    for row in item_rest.itertuples():
        if row.item_rest_r < 0:
            marked = questionnaire.question(row.item).reverse
            rows.append(
                (row.survey, row.theme, row.item, "item_rest_r", row.item_rest_r,
                 f"{questionnaire.label}, theme {row.theme}: statement {row.item!r} correlates "
                 "negatively with the rest of its theme (item-rest r = "
                 f"{row.item_rest_r:.{places}f}); "
                 + ("it is marked reverse-keyed: should it be?" if marked else
                    "is it reverse-keyed but not marked `reverse: true` in the codebook?"))
            )  # fmt: skip
    for row in reliability.itertuples():
        if row.n_items == 2 and not np.isnan(row.spearman_brown):
            rows.append(_two_items(row, questionnaire, places))
    for *_, text in rows:
        log.warning(text)  # no arguments: a % in a label is not a format
    return pd.DataFrame(rows, columns=WARNING_COLUMNS)


def _low_alpha(
    row, item_rest: pd.DataFrame, questionnaire: Questionnaire, min_alpha: float, places: int
):
    """The warning row of an alpha in [0, ``min_alpha``): the theme's statements named, and the
    one with the lowest item-rest r with the alpha the theme would have without it."""
    items = item_rest[(item_rest["survey"] == row.survey) & (item_rest["theme"] == row.theme)]
    named = ", ".join(repr(item) for item in items["item"])
    text = (
        f"{questionnaire.label}, theme {row.theme}: Cronbach's alpha {row.alpha:.{places}f} is "
        f"below {min_alpha:g} (analysis.min_cronbach_alpha): its statements ({named}) may not "
        "measure one thing."
    )
    if items["item_rest_r"].isna().all():
        return (row.survey, row.theme, "", "alpha", row.alpha, text)
    weakest = items.loc[items["item_rest_r"].idxmin()]
    without = weakest["alpha_if_deleted"]
    text += (
        f" The one that fits least is {weakest['item']!r} (item-rest r = "
        f"{weakest['item_rest_r']:.{places}f}"
        + ("" if np.isnan(without) else f"; alpha without it {without:.{places}f}")
        + ")."
    )
    return (row.survey, row.theme, weakest["item"], "alpha", row.alpha, text)


def _two_items(row, questionnaire: Questionnaire, places: int):
    """The row of a two-statement theme: its Spearman-Brown coefficient and inter-item r."""
    first, second = questionnaire.themes[row.theme].items
    text = (
        f"{questionnaire.label}, theme {row.theme} has two statements ({first!r}, {second!r}): "
        f"report the Spearman-Brown coefficient {row.spearman_brown:.{places}f} (2r / (1 + r) of "
        f"their Pearson r = {row.mean_inter_item_r:.{places}f}) beside or instead of Cronbach's "
        f"alpha ({row.alpha:.{places}f}), which assumes the two have equal variances "
        f"({TWO_ITEMS_REFERENCE})."
    )
    return (row.survey, row.theme, f"{first}; {second}", "spearman_brown", row.spearman_brown,
            text)  # fmt: skip
