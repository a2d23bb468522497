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
import math
from fractions import Fraction
from itertools import combinations, combinations_with_replacement

import numpy as np
import pandas as pd

from likertflow.codebook import Questionnaire, Theme
from likertflow.themes import statement_codes

log = logging.getLogger(__name__)

ALPHA_METHOD = "Cronbach's alpha on complete cases; Feldt (1965) F-based {level:g}% interval"


def cronbach_alpha(items: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Alpha and Feldt's interval for an (n respondents x k items) array of integer codes without
    missing values."""
    return alpha_interval(covariance_numerators(*moment_sums(items)), confidence)


def moment_sums(items: np.ndarray) -> tuple[int, list[int], list[list[int]]]:
    """n, each column's sum and every sum of products of two columns (squares on the diagonal)
    of an (n x k) array of integer codes, as Python integers: the sums alpha, item-rest r and
    the inter-item r need, which add up over batches of respondents."""
    codes = np.asarray(items)
    integers = codes.astype(np.int64)
    if not np.array_equal(integers, codes):
        raise ValueError("moment sums are of integer codes")
    return len(integers), integers.sum(axis=0).tolist(), (integers.T @ integers).tolist()


def covariance_numerators(
    n: int, sums: list[int], products: list[list[int]]
) -> tuple[int, list[list[int]]]:
    """n and n (n - 1) times the covariance matrix, n sum(x y) - sum(x) sum(y) (exact)."""
    k = len(sums)
    return n, [[n * products[i][j] - sums[i] * sums[j] for j in range(k)] for i in range(k)]


def alpha_interval(
    numerators: tuple[int, list[list[int]]], confidence: float
) -> tuple[float, float, float]:
    """Alpha and Feldt's interval from ``covariance_numerators`` (NaN below 2 respondents or
    2 items, or without variance)."""
    n, matrix = numerators
    k = len(matrix)
    if n < 2 or k < 2:
        return np.nan, np.nan, np.nan
    alpha = _alpha(sum(matrix[i][i] for i in range(k)), sum(map(sum, matrix)), k)
    # Imported here, as in spearman_from_table: the batch jobs that compute this module's cells
    # (likertflow.partials) never need scipy (0.15 CPU-s a job)
    from scipy import special

    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    # F quantiles: what scipy.stats.f.ppf computes, without importing scipy.stats (0.4 s a job)
    low = 1 - (1 - alpha) * special.fdtri(df1, df2, 1 - tail)
    high = 1 - (1 - alpha) * special.fdtri(df1, df2, tail)
    return alpha, float(low), float(high)


def _alpha(item_variances: int, total_variance: int, k: int) -> float:
    """Alpha from the summed item variances and the variance of the sum, both as multiples of
    one common factor (``covariance_numerators``), exact and rounded once (NaN if the variance
    of the sum is 0)."""
    if total_variance == 0:
        return np.nan
    return float(Fraction(k, k - 1) * (1 - Fraction(item_variances, total_variance)))


def alphas_if_deleted(items: np.ndarray) -> list[float]:
    """``cronbach_alpha`` of the integer codes without each column in turn."""
    return _alphas_if_deleted(covariance_numerators(*moment_sums(items)))


def _alphas_if_deleted(numerators: tuple[int, list[list[int]]]) -> list[float]:
    """Alpha without each item in turn, from the covariance matrix: without item i, the summed
    variances lose its variance and the variance of the sum loses 2 cov(i, sum) - var(i)."""
    n, matrix = numerators
    k = len(matrix)
    if n < 2 or k < 3:
        return [np.nan] * k
    trace, total = sum(matrix[i][i] for i in range(k)), sum(map(sum, matrix))
    return [
        _alpha(trace - matrix[i][i], total - 2 * sum(matrix[i]) + matrix[i][i], k - 1)
        for i in range(k)
    ]


def item_rest_correlations(items: np.ndarray) -> np.ndarray:
    """Pearson's r of each column with the sum of the other columns (integer codes, complete)."""
    return _item_rest(covariance_numerators(*moment_sums(items)))


def _item_rest(numerators: tuple[int, list[list[int]]]) -> np.ndarray:
    """Item-rest r from the covariance matrix: cov(i, rest) = cov(i, sum) - var(i), var(rest)
    = var(sum) - 2 cov(i, sum) + var(i); NaN without variance or below 2 respondents."""
    n, matrix = numerators
    k = len(matrix)
    total = sum(map(sum, matrix))
    r = np.full(k, np.nan)
    for i in range(k):
        row, own = sum(matrix[i]), matrix[i][i]
        denominator = own * (total - 2 * row + own)  # exact; the float root rounded once
        if n > 1 and denominator > 0:
            r[i] = (row - own) / math.sqrt(denominator)
    return r


def inter_item(items: np.ndarray) -> tuple[float, float]:
    """The mean Pearson r over every pair of columns of complete integer codes, and its
    Spearman-Brown coefficient k r / (1 + (k - 1) r) (2r / (1 + r) for two items); NaN where
    undefined (the coefficient of r = -1 / (k - 1), as two items of r = -1, too).

    Examples
    --------
    >>> r, sb = inter_item(np.array([[1, 1], [2, 3], [3, 2], [4, 4]], dtype=float))
    >>> round(r, 6), round(sb, 6)  # r = 0.8: 2 x 0.8 / 1.8
    (0.8, 0.888889)
    """
    return _inter_item(covariance_numerators(*moment_sums(items)))


def _inter_item(numerators: tuple[int, list[list[int]]]) -> tuple[float, float]:
    """``inter_item`` from the covariance matrix (np.corrcoef's clip to [-1, 1] kept)."""
    n, matrix = numerators
    k = len(matrix)
    if n < 2 or k < 2 or any(matrix[i][i] == 0 for i in range(k)):
        return np.nan, np.nan
    correlations = [
        min(max(matrix[i][j] / math.sqrt(matrix[i][i] * matrix[j][j]), -1.0), 1.0)
        for i, j in combinations(range(k), 2)
    ]
    r = float(np.mean(correlations))
    denominator = 1 + (k - 1) * r  # 0 at r = -1 / (k - 1), as two items of r = -1
    return r, k * r / denominator if denominator else np.nan


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
    from scipy import special  # imported here: see alpha_interval

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
    factors = [_factorized(column) for column in codes.T]
    return {
        (i, j): _pair_table(factors[i], factors[j])
        for i, j in combinations(range(codes.shape[1]), 2)
    }


def _factorized(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's position among the column's distinct values in increasing order (NaN: -1),
    and those values."""
    return pd.factorize(column, sort=True)


def _pair_table(first, second) -> np.ndarray:
    """The count table of two ``_factorized`` columns on the rows where both are present."""
    (index_a, values_a), (index_b, values_b) = first, second
    both = (index_a >= 0) & (index_b >= 0)
    flat = np.bincount(
        index_a[both] * len(values_b) + index_b[both], minlength=len(values_a) * len(values_b)
    )
    return flat.reshape(len(values_a), len(values_b))


# The partial results of this module (issue 22), per theme: integer cells that add up over
# export batches, so the tables of the combined cells are those of the rows they count.
# ``pair_cells``: every pair of the theme's statements (codebook order, a statement with itself
# included: its on-scale answers), respondents by their two scored codes, where both are on scale.
PAIR_KEYS = ["theme", "item_a", "item_b", "code_a", "code_b"]
PAIR_VALUES = ["n"]
# ``moment_cells``: on the respondents who answered every statement of the theme on scale
# (listwise complete, as alpha), n, the two sums and the sum of products of every pair of its
# statements (a statement with itself included: its sum of squares).
MOMENT_KEYS = ["theme", "item_a", "item_b"]
MOMENT_VALUES = ["n", "sum_a", "sum_b", "sum_ab"]


def pair_cells(rows: pd.DataFrame, questionnaire: Questionnaire, definition=None) -> pd.DataFrame:
    """``PAIR_KEYS`` + ``PAIR_VALUES`` of the rows given (only cells that occur); the codes are
    the scored ones (reverse-keyed statements mirrored), off-scale answers left out.
    ``definition``: the analysis definition, which these cells do not depend on."""
    columns: dict[str, list] = {name: [] for name in PAIR_KEYS + PAIR_VALUES}
    for theme in questionnaire.themes.values():
        factors = [_factorized(column) for column in _codes(rows, questionnaire, theme).T]
        for i, j in combinations_with_replacement(range(len(theme.items)), 2):
            table = _pair_table(factors[i], factors[j])
            a, b = np.nonzero(table)
            columns["theme"] += [theme.id] * len(a)
            columns["item_a"] += [theme.items[i]] * len(a)
            columns["item_b"] += [theme.items[j]] * len(a)
            columns["code_a"] += factors[i][1][a].tolist()
            columns["code_b"] += factors[j][1][b].tolist()
            columns["n"] += table[a, b].tolist()
    return _cells(columns, PAIR_KEYS[:3], PAIR_KEYS[3:] + PAIR_VALUES)


def moment_cells(
    rows: pd.DataFrame, questionnaire: Questionnaire, definition=None
) -> pd.DataFrame:
    """``MOMENT_KEYS`` + ``MOMENT_VALUES`` of the rows given, every pair of every theme
    (zeros where no respondent answered all of a theme's statements). ``definition``: as
    ``pair_cells``."""
    columns: dict[str, list] = {name: [] for name in MOMENT_KEYS + MOMENT_VALUES}
    for theme in questionnaire.themes.values():
        codes = _codes(rows, questionnaire, theme)
        n, sums, products = moment_sums(codes[~np.isnan(codes).any(axis=1)])
        for i, j in combinations_with_replacement(range(len(theme.items)), 2):
            columns["theme"].append(theme.id)
            columns["item_a"].append(theme.items[i])
            columns["item_b"].append(theme.items[j])
            columns["n"].append(n)
            columns["sum_a"].append(sums[i])
            columns["sum_b"].append(sums[j])
            columns["sum_ab"].append(products[i][j])
    return _cells(columns, MOMENT_KEYS, MOMENT_VALUES)


def _cells(columns: dict[str, list], text: list[str], integers: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **{name: pd.Series(columns[name], dtype="str") for name in text},
            **{name: pd.Series(columns[name], dtype=np.int64) for name in integers},
        }
    )


def on_scale_counts(pairs: pd.DataFrame) -> dict[str, int]:
    """Statement -> respondents with an on-scale answer to it, from ``pair_cells`` (a statement
    paired with itself); a statement nobody answered on scale is not in the cells."""
    own = pairs[pairs["item_a"] == pairs["item_b"]]
    totals = own.groupby(["theme", "item_a"], sort=False)["n"].sum()
    return {item: int(n) for (_, item), n in totals.items()}


CORRELATION_COLUMNS = ["survey", "theme", "item_a", "item_b", "rho", "p", "n", "log10_p"]
RELIABILITY_COLUMNS = ["survey", "theme", "n_items", "n", "alpha", "alpha_ci_low",
                       "alpha_ci_high", "item_rest_min", "method", "mean_inter_item_r",
                       "spearman_brown"]  # fmt: skip
ITEM_REST_COLUMNS = ["survey", "theme", "item", "n", "item_rest_r", "alpha_if_deleted"]


def reliability_tables(
    analysed: pd.DataFrame, questionnaire: Questionnaire, confidence: float = 0.95
) -> dict[str, pd.DataFrame]:
    """``reliability_tables_from_cells`` of the rows' cells."""
    return reliability_tables_from_cells(
        pair_cells(analysed, questionnaire), moment_cells(analysed, questionnaire),
        questionnaire, confidence,
    )  # fmt: skip


def reliability_tables_from_cells(
    pairs: pd.DataFrame,
    moments: pd.DataFrame,
    questionnaire: Questionnaire,
    confidence: float = 0.95,
) -> dict[str, pd.DataFrame]:
    """The three tables of this module from the (combined) ``pair_cells`` and ``moment_cells``:
    ``correlations`` (Spearman's rho, p and n of every pair of a theme's statements),
    ``reliability`` (alpha with Feldt's interval, the weakest item-rest r, and the mean
    inter-item r with its Spearman-Brown coefficient, per theme) and
    ``item_rest`` (per statement: item-rest r and alpha if the statement were deleted)."""
    from likertflow.pvalues import log10_t_p  # scipy: imported here, see alpha_interval

    correlations, reliability, item_rest_rows = [], [], []
    method = ALPHA_METHOD.format(level=100 * confidence)
    survey = questionnaire.survey
    tables = _tables_of(pairs)
    sums = _sums_of(moments)
    for theme in questionnaire.themes.values():
        for item_a, item_b in combinations(theme.items, 2):
            rho, p, n = spearman_from_table(tables.get((theme.id, item_a, item_b), NO_PAIRS))
            if np.isnan(rho):
                log.warning("%s: rho of %s, %s undefined (n=%d)", theme.id, item_a, item_b, n)
            log10_p = log10_t_p(spearman_t(rho, n), n - 2, p)  # NaN with rho
            correlations.append((survey, theme.id, item_a, item_b, rho, p, n, log10_p))
        numerators = covariance_numerators(*_theme_moments(sums, theme))
        n, k = numerators[0], len(theme.items)
        alpha, low, high = alpha_interval(numerators, confidence)
        item_rest = _item_rest(numerators)
        reliability.append(
            (survey, theme.id, k, n, alpha, low, high, float(np.min(item_rest)), method,
             *_inter_item(numerators))
        )  # fmt: skip
        deleted = _alphas_if_deleted(numerators)
        for i, item in enumerate(theme.items):
            item_rest_rows.append((survey, theme.id, item, n, float(item_rest[i]), deleted[i]))
    return {
        "correlations": pd.DataFrame(correlations, columns=CORRELATION_COLUMNS),
        "reliability": pd.DataFrame(reliability, columns=RELIABILITY_COLUMNS),
        "item_rest": pd.DataFrame(item_rest_rows, columns=ITEM_REST_COLUMNS),
    }


NO_PAIRS = np.zeros((0, 0), dtype=np.int64)  # a pair that no respondent answered on scale


def _tables_of(pairs: pd.DataFrame) -> dict[tuple[str, str, str], np.ndarray]:
    """(theme, item_a, item_b) -> the pair's count table, codes in increasing order (the codes
    that occur: a code with no respondents adds nothing to Spearman's rho)."""
    tables = {}
    for key, cells in pairs.groupby(PAIR_KEYS[:3], sort=False):
        codes_a, index_a = np.unique(cells["code_a"].to_numpy(), return_inverse=True)
        codes_b, index_b = np.unique(cells["code_b"].to_numpy(), return_inverse=True)
        table = np.zeros((len(codes_a), len(codes_b)), dtype=np.int64)
        np.add.at(table, (index_a, index_b), cells["n"].to_numpy(dtype=np.int64))
        tables[key] = table
    return tables


def _sums_of(moments: pd.DataFrame) -> dict[tuple[str, str, str], tuple[int, int, int, int]]:
    """(theme, item_a, item_b) -> (n, sum_a, sum_b, sum_ab) as Python integers."""
    keys = zip(*(moments[name] for name in MOMENT_KEYS), strict=True)
    values = zip(*(moments[name].tolist() for name in MOMENT_VALUES), strict=True)
    return dict(zip(keys, values, strict=True))


def _theme_moments(sums, theme: Theme) -> tuple[int, list[int], list[list[int]]]:
    """A theme's ``moment_sums`` from ``_sums_of`` (a missing cell: no respondents, zeros)."""
    items, k = theme.items, len(theme.items)
    cell = {}
    for i, j in combinations_with_replacement(range(k), 2):
        cell[i, j] = cell[j, i] = sums.get((theme.id, items[i], items[j]), (0, 0, 0, 0))
    n = cell[0, 0][0] if k else 0
    products = [[cell[i, j][3] for j in range(k)] for i in range(k)]
    return n, [cell[i, i][1] for i in range(k)], products


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
