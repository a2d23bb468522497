"""Internal consistency of each theme: Spearman correlations, Cronbach's alpha, item-rest r.

- Spearman's rho of every pair of a theme's statements, on the respondents who answered both
  (pairwise complete), with scipy's p value (t approximation) and n: the paper's "R" values.
- Cronbach's alpha on the respondents who answered every statement of the theme (listwise
  complete), alpha = k/(k-1) * (1 - sum of item variances / variance of the sum), with Feldt's
  (1965) F-based confidence interval: (1 - alpha) / (1 - alpha_hat) ~ F(n-1, (n-1)(k-1)).
- Item-rest correlations: Pearson's r of each statement with the sum of the theme's other
  statements (listwise complete, as alpha), and alpha with the statement deleted.

Off-scale answers count as unanswered. Codes are used as they are (1-5 on the agreement scale).
"""

from __future__ import annotations

import logging
import warnings
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from likertflow.codebook import Questionnaire, Theme
from likertflow.themes import statement_codes

log = logging.getLogger(__name__)

ALPHA_METHOD = "Cronbach's alpha on complete cases; Feldt (1965) F-based {level:g}% interval"


def cronbach_alpha(items: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Alpha and Feldt's interval for an (n respondents x k items) array without missing values."""
    n, k = items.shape
    if n < 2 or k < 2:
        return np.nan, np.nan, np.nan
    item_variances = items.var(axis=0, ddof=1).sum()
    total_variance = items.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return np.nan, np.nan, np.nan
    alpha = k / (k - 1) * (1 - item_variances / total_variance)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return float(alpha), float(low), float(high)


def item_rest_correlations(items: np.ndarray) -> np.ndarray:
    """Pearson's r of each column with the sum of the other columns (complete data)."""
    rest = items.sum(axis=1, keepdims=True) - items
    items_c = items - items.mean(axis=0)
    rest_c = rest - rest.mean(axis=0)
    denominator = np.sqrt((items_c**2).sum(axis=0) * (rest_c**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (items_c * rest_c).sum(axis=0) / denominator


def _codes(analysed: pd.DataFrame, questionnaire: Questionnaire, theme: Theme) -> np.ndarray:
    """The theme's statement codes as an (n x k) float array, NaN where unanswered/off-scale."""
    return statement_codes(analysed, questionnaire, theme.items).to_numpy("float64")


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float, int]:
    """Spearman's rho, its p value and n on the pairs where both values are present."""
    both = ~(np.isnan(x) | np.isnan(y))
    n = int(both.sum())
    if n < 3:
        return np.nan, np.nan, n
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        result = stats.spearmanr(x[both], y[both])
    return float(result.statistic), float(result.pvalue), n


def theme_correlations(analysed: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Spearman's rho, p and n of every pair of each theme's statements (codebook order)."""
    rows = []
    for theme in questionnaire.themes.values():
        codes = _codes(analysed, questionnaire, theme)
        for (i, item_a), (j, item_b) in combinations(enumerate(theme.items), 2):
            rho, p, n = spearman(codes[:, i], codes[:, j])
            if np.isnan(rho):
                log.warning("%s: rho of %s, %s undefined (n=%d)", theme.id, item_a, item_b, n)
            rows.append((questionnaire.survey, theme.id, item_a, item_b, rho, p, n))
    return pd.DataFrame(rows, columns=["survey", "theme", "item_a", "item_b", "rho", "p", "n"])


def theme_reliability(
    analysed: pd.DataFrame, questionnaire: Questionnaire, confidence: float = 0.95
) -> pd.DataFrame:
    """Cronbach's alpha with Feldt's interval per theme, plus the weakest item-rest r."""
    rows = []
    method = ALPHA_METHOD.format(level=100 * confidence)
    for theme in questionnaire.themes.values():
        codes = _codes(analysed, questionnaire, theme)
        complete = codes[~np.isnan(codes).any(axis=1)]
        alpha, low, high = cronbach_alpha(complete, confidence)
        item_rest = item_rest_correlations(complete) if len(complete) > 1 else [np.nan]
        rows.append(
            (
                questionnaire.survey,
                theme.id,
                len(theme.items),
                len(complete),
                alpha,
                low,
                high,
                float(np.min(item_rest)),
                method,
            )
        )
    columns = ["survey", "theme", "n_items", "n", "alpha", "alpha_ci_low", "alpha_ci_high",
               "item_rest_min", "method"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def item_rest_table(
    analysed: pd.DataFrame, questionnaire: Questionnaire, confidence: float = 0.95
) -> pd.DataFrame:
    """Per statement of each theme: item-rest r and alpha if the statement were deleted."""
    rows = []
    for theme in questionnaire.themes.values():
        codes = _codes(analysed, questionnaire, theme)
        complete = codes[~np.isnan(codes).any(axis=1)]
        item_rest = item_rest_correlations(complete) if len(complete) > 1 else None
        for i, item in enumerate(theme.items):
            others = np.delete(complete, i, axis=1)
            alpha_deleted = cronbach_alpha(others, confidence)[0]
            r = np.nan if item_rest is None else float(item_rest[i])
            rows.append((questionnaire.survey, theme.id, item, len(complete), r, alpha_deleted))
    columns = ["survey", "theme", "item", "n", "item_rest_r", "alpha_if_deleted"]
    return pd.DataFrame(rows, columns=columns)
