"""check_ledger's cheap route: a ledger as the cleaning writes it is accounted for without the
full check (no set membership over a million keys), and the integer keys it compares are the
(batch, row) pairs themselves, in their order.

The full check gives the same verdict whatever the cheap route says, so only these tests see a
cheap route that gives up too often (a million-row cleaning then pays the full check) or keys
that do not follow the pairs (the cheap route then accepts or refuses the wrong ledgers).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from likertflow.cleaning import (
    ANALYSED,
    EXCLUDED,
    LedgerError,
    _accounted,
    _increasing,
    _row_keys,
    _runs,
    check_ledger,
)


def ledger_of(pairs, analysed_every=2):
    """A ledger of (batch, row) pairs in the order given, every ``analysed_every``-th analysed,
    and the raw rows and cohort it accounts for."""
    batch = [b for b, _ in pairs]
    row = [r for _, r in pairs]
    status = [ANALYSED if i % analysed_every == 0 else EXCLUDED for i in range(len(pairs))]
    ledger = pd.DataFrame({"batch": batch, "row": row, "status": status})
    raw = ledger[["batch", "row"]].copy()
    analysed = ledger.loc[ledger["status"] == ANALYSED, ["batch", "row"]].reset_index(drop=True)
    return ledger, raw, analysed


def sorted_pairs(batches, rows_each, first_row=1, step=1):
    return [(b, first_row + step * r) for b in sorted(batches) for r in range(rows_each)]


SHAPES = {
    "one batch": sorted_pairs(["export_2019-05-13"], 5),
    "several batches": sorted_pairs(["export_2019-05-13", "export_2019-05-20", "late"], 4),
    "rows from 2": sorted_pairs(["a", "b"], 3, first_row=2),
    "rows far apart (ranked)": sorted_pairs(["a", "b", "c"], 3, first_row=0, step=2**61),
    "one row": [("a", 1)],
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_ledger_sorted_by_batch_and_row_is_accounted_for_cheaply(shape):
    ledger, raw, analysed = ledger_of(SHAPES[shape])
    assert _accounted(ledger, *_row_keys(ledger, raw, analysed))
    check_ledger(ledger, raw, analysed)


def test_raw_rows_in_another_order_are_accounted_for_cheaply_a_ledger_in_another_order_not():
    """Raw rows come in any order; the cheap route holds only a ledger sorted by batch and row
    (a ledger in another order is still a right one: the full check accepts it,
    test_cleaning_fast)."""
    ledger, raw, analysed = ledger_of(SHAPES["several batches"])
    shuffled = raw.sample(frac=1, random_state=3).reset_index(drop=True)
    assert _accounted(ledger, *_row_keys(ledger, shuffled, analysed))
    reversed_ledger = ledger.iloc[::-1]
    assert not _accounted(reversed_ledger, *_row_keys(reversed_ledger, raw, analysed))


BROKEN = {
    "a raw row missing": lambda ledger, raw, analysed: (ledger.iloc[1:], raw, analysed),
    "a row twice": lambda ledger, raw, analysed: (
        pd.concat([ledger.iloc[:2], ledger.iloc[1:]]).reset_index(drop=True), raw, analysed
    ),
    "another status": lambda ledger, raw, analysed: (
        ledger.assign(status=ledger["status"].where(ledger.index != 1, "pending")), raw, analysed
    ),
    "a cohort row not analysed": lambda ledger, raw, analysed: (
        ledger, raw, pd.concat([raw.iloc[[1]], analysed.iloc[1:]]).reset_index(drop=True)
    ),
    "a cohort row too many": lambda ledger, raw, analysed: (
        ledger, raw, pd.concat([analysed, raw.iloc[[1]]]).reset_index(drop=True)
    ),
    "a ledger row that is no raw row": lambda ledger, raw, analysed: (
        ledger, raw.assign(row=raw["row"].where(raw.index != 3, 99)), analysed
    ),
}


@pytest.mark.parametrize("broken", BROKEN)
def test_a_broken_ledger_is_not_accounted_for_cheaply_and_the_full_check_names_it(broken):
    ledger, raw, analysed = BROKEN[broken](*ledger_of(SHAPES["several batches"]))
    assert not _accounted(ledger, *_row_keys(ledger, raw, analysed))
    with pytest.raises(LedgerError):
        check_ledger(ledger, raw, analysed)


PAIRS = [
    ("b", 3), ("a", 10), ("b", 1), (None, 2), ("a", 2), ("ab", 1), ("b", 3), (None, 1), ("", 5),
]  # fmt: skip


@pytest.mark.parametrize("rows", ["near", "far apart"])
def test_row_keys_are_equal_for_equal_pairs_and_ordered_as_the_pairs(rows):
    """Missing batch names first, then names as text, then row numbers; across frames."""
    step = 1 if rows == "near" else 2**58  # 10 x 2**58: the ranked route
    pairs = [(b, r * step) for b, r in PAIRS]
    first = pd.DataFrame({"batch": [b for b, _ in pairs[:5]], "row": [r for _, r in pairs[:5]]})
    second = pd.DataFrame({"batch": [b for b, _ in pairs[5:]], "row": [r for _, r in pairs[5:]]})
    keys = np.concatenate(_row_keys(first, second))

    def order(pair):
        return (pair[0] is not None, pair[0] or "", pair[1])

    for (i, p), (j, q) in itertools.combinations(enumerate(pairs), 2):
        assert (keys[i] == keys[j]) == (p == q), (p, q)
        assert (keys[i] < keys[j]) == (order(p) < order(q)), (p, q)


def test_runs_are_the_runs_of_equal_texts_a_missing_one_its_own():
    texts = ["a", "a", "b", None, None, "b", "b", "a"]
    lengths, values = _runs(pa.array(texts, pa.large_string()))
    # itertools.groupby would join the two missing ones: a missing text is a run of its own
    expected = [("a", 2), ("b", 1), (None, 1), (None, 1), ("b", 2), ("a", 1)]
    assert list(zip(values.to_pylist(), lengths.tolist(), strict=True)) == expected
    assert _runs(pa.array(["x"]))[0].tolist() == [1]
    assert _runs(pa.array([], pa.string()))[0].tolist() == []


@pytest.mark.parametrize(
    ("batch", "row", "increasing"),
    [
        (["a", "a", "b"], [1, 2, 1], True),
        (["a", "a", "b"], [1, 1, 1], False),  # a repeated pair
        (["a", "a", "b"], [2, 1, 3], False),
        (["b", "a"], [1, 2], False),
        (["a", None], [1, 2], False),
        (["a"], [5], True),
        ([], [], True),
    ],
)
def test_increasing_means_sorting_by_batch_and_row_changes_nothing(batch, row, increasing):
    frame = pd.DataFrame({"batch": pd.Series(batch, dtype=object), "row": row})
    assert _increasing(frame["batch"], frame["row"]) is increasing
    chunked = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([batch], pa.string())))
    assert _increasing(chunked, frame["row"]) is increasing
