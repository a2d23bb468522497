"""The one CSV dialect of results/: the fast writer of text tables gives pandas' bytes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.files import _text_and_integers, write_csv

# Characters the csv module quotes for, or might (a lone carriage return), and others near them.
TRICKY = st.text(st.sampled_from(list(",\"\n\r \t';\\\x00aé€😀")), max_size=6)
WORDS = st.sampled_from(["", '""', "\r\n", "NA", "None", "nan", "1,2", 'say "hi"'])
TEXT = st.one_of(st.none(), TRICKY, WORDS, st.text(max_size=5))


def written(frame: pd.DataFrame, path) -> bytes:
    write_csv(frame, path)
    return path.read_bytes()


def by_pandas(frame: pd.DataFrame, path) -> bytes:
    frame.to_csv(path, index=False, lineterminator="\n")
    return path.read_bytes()


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(TEXT, TEXT, st.integers(-(2**63), 2**63 - 1)), max_size=8),
    storage=st.sampled_from(["pyarrow", "python"]),
    name=TRICKY,
)
def test_text_tables_are_written_as_pandas_writes_them(tmp_path_factory, rows, storage, name):
    """Quotes, commas, newlines, carriage returns, empty and missing texts, any integer, odd
    column names: the same bytes as ``to_csv``."""
    frame = pd.DataFrame(
        {
            f"id{name}": pd.array([r[0] for r in rows], dtype=pd.StringDtype(storage, np.nan)),
            "detail": pd.array([r[1] for r in rows], dtype=pd.StringDtype(storage)),
            "row": np.array([r[2] for r in rows], dtype=np.int64),
        }
    )
    assert _text_and_integers(frame)
    path = tmp_path_factory.mktemp("csv") / "table.csv"
    assert written(frame, path) == by_pandas(frame, path)


def test_a_slice_of_a_long_table_in_chunks(tmp_path):
    """Arrow storage in several chunks, a frame that starts mid-way, unsigned integers."""
    texts = pd.array(["a,b", "c", 'd"e', "f\ng"] * 5000, dtype="str")
    frame = pd.DataFrame({"text": texts, "n": np.arange(20000, dtype=np.uint16)}).iloc[7:]
    frame = pd.concat([frame, frame.iloc[::-3]])
    assert written(frame, tmp_path / "t.csv") == by_pandas(frame, tmp_path / "t.csv")


def test_other_tables_are_left_to_pandas(tmp_path):
    """Floats, nullable integers, a lone column: written by pandas itself."""
    for frame in (
        pd.DataFrame({"a": ["x"], "b": [1.5]}),
        pd.DataFrame({"a": ["x"], "b": pd.array([None], dtype="Int64")}),
        pd.DataFrame({"a": pd.array([""], dtype="str")}),
    ):
        assert not _text_and_integers(frame)
        assert written(frame, tmp_path / "t.csv") == by_pandas(frame, tmp_path / "t.csv")
