"""Reliability from partial results (issue 22): the pair tables and moment sums of export
batches, combined less the rows the duplicate rule drops, give the tables of the rows they
count, in any arrival order; and those tables are today's row-based statistics (Spearman's rho
as scipy computes it, alpha, item-rest r and inter-item r as numpy's floats give them, to
1e-12; alpha exactly the correctly rounded rational)."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from likertflow.coding import CODE_DTYPE
from likertflow.partials import combine
from likertflow.reliability import (
    inter_item,
    moment_cells,
    moment_sums,
    on_scale_counts,
    pair_cells,
    reliability_tables,
    reliability_tables_from_cells,
)
from likertflow.themes import statement_codes
from scipy import stats
from support import partial_batches as partial
from support import toy_codebook as toy

THEMES = {"t": "abc", "u": "de", "v": "f"}  # c reverse-keyed; f alone in its theme
REVERSE = {"c"}
SEVEN_POINT = {"d", "e"}  # codes 0-6, 0 on scale


def questionnaire():
    return toy.questionnaire(
        [("s", "abc"), ("s7", "de"), ("s", "f")],  # in theme order: u's set s7 between t and v
        themes=THEMES,
        reverse=REVERSE,
        answers={
            "agreement": toy.scale("{}", off_scale=toy.UNSURE),
            "zero_to_six": toy.scale("z{}", range(7)),
        },
        set_answers={"s7": "zero_to_six"},
        labels={"s7": "Seven"},
        label="Toy",
    )


QUESTIONNAIRE = questionnaire()
ITEMS = [item for items in THEMES.values() for item in items]


def answers(n: int, seed: int, missing: float) -> pd.DataFrame:
    """Random codes, blanks and off-scale answers; answers correlate through a common factor."""
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=n)
    frame = {}
    for item in ITEMS:
        scale = 7 if item in SEVEN_POINT else 5
        low = 0 if item in SEVEN_POINT else 1
        latent = factor * rng.uniform(0, 2) + rng.normal(size=n)
        codes = np.clip(np.round(latent + scale / 2 + low - 0.5), low, low + scale - 1)
        values = pd.array(codes.astype(int), dtype=CODE_DTYPE)
        if item not in SEVEN_POINT:
            values[rng.random(n) < missing / 3] = 9  # off scale
        values[rng.random(n) < missing] = pd.NA
        frame[item] = values
    return pd.DataFrame(frame)


def batch_cells(rows: pd.DataFrame, batches: int, dropped: np.ndarray, seed: int):
    """The cells of each kind: per batch (random sizes, shuffled arrival), summed, less the
    ``dropped`` rows' cells; and the rows that remain."""
    parts = partial.arrival(rows, batches, np.random.default_rng(seed))
    minus = rows.iloc[dropped] if len(dropped) else None
    cells = {
        name: partial.combined(name, parts, QUESTIONNAIRE, minus)
        for name in ("reliability_pairs", "reliability_moments")
    }
    return cells, rows.drop(rows.index[dropped])


def csv(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    return {name: table.to_csv(index=False) for name, table in tables.items()}


@settings(max_examples=40, deadline=None)
@given(**partial.draws(120, [0.0, 0.1, 0.4]))
@example(n=3, seed=1, batches=1, missing=0.0, drop=1)  # two rows left, theme u's r = -1
def test_cells_of_batches_less_the_dropped_rows_give_the_tables_of_the_rows_left(
    n, seed, batches, missing, drop
):
    rows = answers(n, seed, missing)
    dropped = np.random.default_rng(seed + 1).choice(n, min(drop, n), replace=False)
    cells, left = batch_cells(rows, batches, dropped, seed)
    from_cells = reliability_tables_from_cells(
        cells["reliability_pairs"], cells["reliability_moments"], QUESTIONNAIRE, 0.9
    )
    one_shot = reliability_tables(left, QUESTIONNAIRE, 0.9)
    assert csv(from_cells) == csv(one_shot)  # the same floats, byte for byte
    expected = row_based(left)
    for name, table in from_cells.items():
        assert_close(table, expected[name])
    codes = statement_codes(left, QUESTIONNAIRE, ITEMS)
    assert on_scale_counts(cells["reliability_pairs"]) == {
        item: int(count) for item, count in codes.notna().sum().items() if count
    }


def row_based(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tables as the rows give them with scipy's and numpy's own functions (the code of
    reliability_tables before issue 22, numpy's two-pass floats)."""
    correlations, reliability, item_rest = [], [], []
    for theme, items in THEMES.items():
        codes = statement_codes(rows, QUESTIONNAIRE, list(items)).to_numpy()
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                both = ~np.isnan(codes[:, [i, j]]).any(axis=1)
                x, y = codes[both, i], codes[both, j]
                n = int(both.sum())
                constant = n < 3 or len(set(x)) < 2 or len(set(y)) < 2
                rho, p = (np.nan, np.nan) if constant else stats.spearmanr(x, y)
                correlations.append((theme, items[i], items[j], float(rho), float(p), n))
        complete = codes[~np.isnan(codes).any(axis=1)]
        n, k = complete.shape
        alpha = _alpha(complete)
        rest = np.full(k, np.nan)
        deleted = [np.nan] * k
        if n > 1:
            for i in range(k):
                others = np.delete(complete, i, axis=1)
                x, y = complete[:, i], others.sum(axis=1)
                if x.std() > 0 and y.std() > 0:
                    rest[i] = np.corrcoef(x, y)[0, 1]
                if k > 2:
                    deleted[i] = _alpha(others)
        mean_r = np.nan
        if n > 1 and k > 1 and (complete.std(axis=0) > 0).all():
            mean_r = np.corrcoef(complete.T)[np.triu_indices(k, 1)].mean()
        # undefined at r = -1 / (k - 1); numpy's r of two items answered the opposite way can
        # be -0.9999999999999999 (the library's is exact), where 2r / (1 + r) is -1.8e16
        undefined = abs(1 + (k - 1) * mean_r) < 1e-12
        brown = np.nan if undefined else k * mean_r / (1 + (k - 1) * mean_r)
        reliability.append((theme, k, n, alpha, rest.min(), mean_r, brown))
        item_rest += [(theme, item, n, rest[i], deleted[i]) for i, item in enumerate(items)]
    return {
        "correlations": pd.DataFrame(
            correlations, columns=["theme", "item_a", "item_b", "rho", "p", "n"]
        ),
        "reliability": pd.DataFrame(
            reliability,
            columns=["theme", "n_items", "n", "alpha", "item_rest_min", "mean_inter_item_r",
                     "spearman_brown"],
        ),  # fmt: skip
        "item_rest": pd.DataFrame(
            item_rest, columns=["theme", "item", "n", "item_rest_r", "alpha_if_deleted"]
        ),
    }


def _alpha(items: np.ndarray) -> float:
    """k / (k - 1) (1 - sum of item variances / variance of the sum), numpy's floats."""
    n, k = items.shape
    total = items.sum(axis=1).var(ddof=1) if n > 1 else 0.0
    if n < 2 or k < 2 or total == 0:
        return np.nan
    return k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / total)


def assert_close(table: pd.DataFrame, expected: pd.DataFrame) -> None:
    """``table``'s columns that ``expected`` has equal to them, floats to 1e-12."""
    pd.testing.assert_frame_equal(
        table[list(expected.columns)], expected, check_dtype=False, rtol=1e-12, atol=1e-12
    )


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 200), seed=st.integers(0, 2**32 - 1))
def test_alpha_is_the_exact_rational_rounded_once(n, seed):
    rows = answers(n, seed, 0.1)
    alphas = reliability_tables(rows, QUESTIONNAIRE)["reliability"].set_index("theme")["alpha"]
    for theme, items in THEMES.items():
        codes = statement_codes(rows, QUESTIONNAIRE, list(items)).dropna().astype(int)
        k = len(items)
        rows_ = codes.to_numpy().tolist()
        if len(rows_) < 2 or k < 2:
            assert np.isnan(alphas[theme])
            continue
        item_variances = sum(_variance([row[i] for row in rows_]) for i in range(k))
        total = _variance([sum(row) for row in rows_])
        if total == 0:
            assert np.isnan(alphas[theme])
        else:
            assert alphas[theme] == float(Fraction(k, k - 1) * (1 - item_variances / total))


def _variance(values: list[int]) -> Fraction:
    mean = Fraction(sum(values), len(values))
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def test_cells_are_scored_on_scale_codes_and_pairwise_or_listwise_complete():
    rows = toy.codes(
        {item: [1, 2, 9, pd.NA] for item in "abc"}
        | {"d": [0, 6, 3, pd.NA], "e": [0, pd.NA, 3, 2], "f": [5, 5, 9, 1]}
    )
    pairs = pair_cells(rows, QUESTIONNAIRE)
    ac = pairs[(pairs["item_a"] == "a") & (pairs["item_b"] == "c")]
    # c reverse-keyed: 1 -> 5, 2 -> 4; the off-scale 9 and the blank are in no cell
    assert ac[["code_a", "code_b", "n"]].values.tolist() == [[1, 5, 1], [2, 4, 1]]
    de = pairs[(pairs["item_a"] == "d") & (pairs["item_b"] == "e")]
    assert de[["code_a", "code_b", "n"]].values.tolist() == [[0, 0, 1], [3, 3, 1]]
    assert on_scale_counts(pairs) == {"a": 2, "b": 2, "c": 2, "d": 3, "e": 3, "f": 3}
    moments = moment_cells(rows, QUESTIONNAIRE).set_index(["theme", "item_a", "item_b"])
    # t: rows 0 and 1 answered a, b, c on scale; c scored 5 and 4
    assert moments.loc[("t", "a", "c")].tolist() == [2, 3, 9, 1 * 5 + 2 * 4]
    assert moments.loc[("t", "c", "c")].tolist() == [2, 9, 9, 25 + 16]
    assert moments.loc[("u", "d", "e")].tolist() == [2, 3, 3, 0 + 9]
    assert moments.loc[("v", "f", "f")].tolist() == [3, 11, 11, 51]
    for cells in (pairs, moments.reset_index()):
        assert all(cells[c].dtype == np.int64 for c in cells.columns if c not in
                   ("theme", "item_a", "item_b"))  # fmt: skip


def test_no_cells_give_the_tables_of_no_respondents():
    empty = answers(0, 0, 0.0)
    pairs = combine("reliability_pairs", [pair_cells(empty, QUESTIONNAIRE)])
    moments = combine("reliability_moments", [moment_cells(empty, QUESTIONNAIRE)])
    assert len(pairs) == len(moments) == 0  # the zero moments are no cells
    tables = reliability_tables_from_cells(pairs, moments, QUESTIONNAIRE)
    assert csv(tables) == csv(reliability_tables(empty, QUESTIONNAIRE))
    assert (tables["reliability"]["n"] == 0).all()
    assert tables["reliability"]["alpha"].isna().all()


def test_two_items_of_r_minus_one_have_no_spearman_brown_coefficient():
    # 2r / (1 + r) divides by zero: before issue 22 this raised ZeroDivisionError (the step
    # failed on two respondents answering two statements the opposite way)
    r, brown = inter_item(np.array([[1, 2], [2, 1]]))
    assert r == -1.0
    assert np.isnan(brown)


def test_moment_sums_of_codes_that_are_not_integers_are_refused():
    assert moment_sums(np.array([[1.0, 2.0], [3.0, 5.0]])) == (2, [4, 7], [[10, 17], [17, 29]])
    with pytest.raises(ValueError, match="^moment sums are of integer codes$"):
        moment_sums(np.array([[1.0, 2.5], [3.0, 5.0]]))
