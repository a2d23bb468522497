"""The cleaning's fast routes at a million rows (issue 22): each gives what the plain one gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.cleaning import (
    LedgerError,
    check_ledger,
    clean,
    repeated_texts,
    sort_texts,
)
from likertflow.ingest import code_export
from support import exportkit

PATIENTS = exportkit.questionnaire("patients")

# Texts that share long prefixes, differ in their 8th and 9th bytes, hold NUL bytes (a short text
# pads with them), multi-byte characters and nothing at all; some repeated, some missing.
TEXTS = st.lists(
    st.one_of(
        st.none(),
        st.text(alphabet="ab\x00é\U0001f600", max_size=11),
        st.sampled_from(["", "R_", "R_0000000", "R_00000000", "R_0000000\x00", "R_000000001"]),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_texts_sorted_as_arrow_sorts_them(texts):
    array = pa.array(texts, pa.large_string())
    expected = pc.array_sort_indices(array, null_placement="at_end").to_numpy()
    assert sort_texts(array).tolist() == expected.tolist()
    without_missing = pa.array([text for text in texts if text is not None], pa.large_string())
    expected = pc.array_sort_indices(without_missing).to_numpy()
    assert sort_texts(without_missing).tolist() == expected.tolist()


def test_texts_sorted_from_a_slice_and_a_chunked_column():
    array = pa.array(["b", "R_00000002", "R_00000001", "a", "", "R_0"], pa.large_string())
    assert sort_texts(array.slice(1, 4)).tolist() == [3, 1, 0, 2]
    assert sort_texts(pa.array(["b", "a"], pa.string())).tolist() == [1, 0]
    assert sort_texts(pa.array([], pa.large_string())).tolist() == []


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_repeated_texts_are_those_pandas_finds(texts):
    """Missing texts repeat one another, as pandas' ``duplicated`` has them."""
    array = pa.array(texts, pa.large_string())
    expected = pd.Series(texts, dtype="str").duplicated(keep=False).to_numpy()
    assert repeated_texts(array, sort_texts(array)).tolist() == expected.tolist()


def raw_keys(batches: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat([b[["batch", "row"]] for b in batches], ignore_index=True)


def test_a_ledger_in_another_order_still_accounts_for_every_raw_row():
    """The quick route holds a ledger sorted by batch and row; any other order is judged by the
    full check, which accepts a ledger that still lists each raw row once."""
    coded = [
        code_export(
            exportkit.export_frame(PATIENTS, exportkit.answers_from_records(PATIENTS, records)),
            PATIENTS,
            name,
        )
        for name, records in (("w1", [{}, {"upset": None}]), ("w2", [{}]))
    ]
    analysed, ledger = clean(coded, PATIENTS, [{"id": "nr", "rule": "item_nonresponse"}])
    check_ledger(ledger, raw_keys(coded), analysed)
    check_ledger(ledger.iloc[::-1], raw_keys(coded), analysed)
    check_ledger(ledger, raw_keys(coded[::-1]), analysed)
    with pytest.raises(LedgerError, match="share a"):
        check_ledger(pd.concat([ledger, ledger.iloc[:1]]), raw_keys(coded), analysed)
    assert np.array_equal(ledger["row"].to_numpy(), [1, 2, 1])
