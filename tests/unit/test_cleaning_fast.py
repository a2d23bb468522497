"""The cleaning's fast routes at a million rows (issue 22): each gives what the plain one gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.cleaning import (
    ROW_GROUP,
    LedgerError,
    check_ledger,
    clean,
    decide,
    read_rows,
    read_table_pieces,
    read_table_rows,
    repeated_texts,
    screen,
    sort_texts,
    write_rows,
)
from likertflow.errors import InputError
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
    # every text 8 bytes or longer (as response ids mostly are): 8 bytes gathered at once
    for start in ("R_", "R_000000"):
        long = pa.array([start + (text or "") + "\x00" * 6 for text in texts], pa.large_string())
        expected = pc.array_sort_indices(long).to_numpy()
        assert sort_texts(long).tolist() == expected.tolist()


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


EXCLUSIONS = [
    {"id": "under_18", "rule": "answered", "question": "age", "labels": ["Under 18"]},
    {"id": "item_nonresponse", "rule": "item_nonresponse"},
]


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    sizes=st.lists(st.integers(0, 25), min_size=1, max_size=4),
    arrival=st.randoms(use_true_random=False),
)
def test_rows_read_and_written_by_arrow_are_pandas_bytes(tmp_path_factory, seed, sizes, arrival):
    """The analysed cohort and the repeats as clean_responses writes them by Arrow: the same
    Parquet bytes as the rows read by pandas (``read_rows``) and written by ``to_parquet``,
    whatever the batches' arrival order; a batch that is not its screening's is refused."""
    rows_read_and_written_by_arrow(tmp_path_factory.mktemp("rows"), seed, sizes, arrival)


@pytest.mark.parametrize(
    ("seed", "sizes", "arrival"), [(1, [6, 0, 9], 0), (5, [12, 7], 3), (2, [0], 0), (9, [4], 1)]
)
def test_rows_read_and_written_by_arrow_of_a_few_batches(tmp_path, seed, sizes, arrival):
    """The property above on a few fixed batches (an empty one among them), at the fast tier."""
    import random

    rows_read_and_written_by_arrow(tmp_path, seed, sizes, random.Random(arrival))


def rows_read_and_written_by_arrow(tmp_path, seed, sizes, arrival):
    rng = np.random.default_rng(seed)
    named = []
    for number, size in enumerate(sizes):
        answers = exportkit.random_answers(PATIENTS, size, seed + number, blank_rate=0.05)
        answers["response_id"] = [f"R{i}" for i in rng.integers(0, max(1, sum(sizes) // 2), size)]
        export = exportkit.export_frame(PATIENTS, answers)
        named.append((f"b{number}", code_export(export, PATIENTS, f"b{number}")))
    arrival.shuffle(named)
    screenings, paths = [], []
    for name, frame in named:
        paths.append(tmp_path / f"{name}.parquet")
        frame.to_parquet(paths[-1], index=False)
        screenings.append(screen(frame, PATIENTS, EXCLUSIONS))
    cleaned = decide(screenings, EXCLUSIONS)
    columns = PATIENTS.question_ids
    for rows in (cleaned.analysed, cleaned.repeats_screened):
        by_pandas = read_rows(cleaned, paths, rows, columns, every_batch=True)
        by_pandas.to_parquet(tmp_path / "pandas.parquet", engine="pyarrow", index=False)
        table = read_table_rows(cleaned, paths, rows, columns)
        write_rows(table, tmp_path / "arrow.parquet")
        written = (tmp_path / "arrow.parquet").read_bytes()
        assert written == (tmp_path / "pandas.parquet").read_bytes()
    # a rule's excluded rows, every column, only the batches holding them (the warning's rows)
    for rule in EXCLUSIONS:
        rows = np.flatnonzero(cleaned.reason == rule["id"])
        table = read_table_rows(cleaned, paths, rows, None, every_batch=False)
        pd.testing.assert_frame_equal(table.to_pandas(), read_rows(cleaned, paths, rows))
    named[0][1].iloc[:-1].to_parquet(paths[0], index=False)  # a row short of its screening
    if len(named[0][1]):
        with pytest.raises(InputError, match="is not the batch its screening was made from"):
            read_table_rows(cleaned, paths, cleaned.analysed, columns)


def test_rows_of_other_column_types_written_as_pandas_writes_them(tmp_path):
    """Texts, floats, nullable integers and booleans, times; a column of Python objects (its
    type inferred from its values) and an empty table, each read from a batch file: what pandas
    writes of them read by pandas."""
    frame = pd.DataFrame(
        {
            "stratum": pd.array(["north", None, "=south"], dtype="str"),
            "weight": [1.5, np.nan, 2.0],
            "code": pd.array([1, None, 3], dtype="Int16"),
            "finished": pd.array([True, None, False], dtype="boolean"),
            "completed": pd.to_datetime(["2020-01-01", None, "2020-01-02"]).as_unit("us"),
        }
    )
    odd = frame.assign(texts=pd.Series(["a", None, "b"], dtype=object))
    for rows in (frame, frame.iloc[:0], odd):
        rows.to_parquet(tmp_path / "batch.parquet", engine="pyarrow", index=False)
        by_pandas = pd.read_parquet(tmp_path / "batch.parquet")
        by_pandas.to_parquet(tmp_path / "pandas.parquet", engine="pyarrow", index=False)
        write_rows(pq.read_table(tmp_path / "batch.parquet"), tmp_path / "arrow.parquet")
        assert (tmp_path / "arrow.parquet").read_bytes() == (
            tmp_path / "pandas.parquet"
        ).read_bytes()


def test_rows_taken_a_row_group_at_a_time_are_written_as_one_write_of_them(tmp_path):
    """The analysed cohort of ten million rows is taken from its batches' pieces a row group
    at a time (``read_table_pieces``, ``write_rows`` with an order), never held twice: the
    file is the one pandas writes of all the rows taken at once, at more than one row group
    and at exactly one, and so is that of a table of more than a row group written whole."""
    rng = np.random.default_rng(7)
    size = ROW_GROUP + 1000
    frame = pd.DataFrame(
        {
            "upset": pd.array(rng.integers(1, 6, size), dtype="Int16"),
            "age": pd.array(
                np.where(rng.random(size) < 0.1, None, rng.integers(1, 4, size)), dtype="Int16"
            ),
        }
    )
    frame.to_parquet(tmp_path / "batch.parquet", index=False)
    whole = pq.read_table(tmp_path / "batch.parquet")
    pieces = pa.concat_tables([whole.slice(0, 5000), whole.slice(5000)])  # two batches' rows
    orders = (rng.permutation(size), rng.permutation(size)[:ROW_GROUP], np.arange(3), None)
    for order in orders:  # None: the pieces' rows as they are (``read_table_rows``' table)
        write_rows(pieces, tmp_path / "by_groups.parquet", order)
        taken = frame if order is None else frame.take(order)
        taken.to_parquet(tmp_path / "at_once.parquet", engine="pyarrow", index=False)
        groups = pq.ParquetFile(tmp_path / "by_groups.parquet").metadata.num_row_groups
        assert groups == -(-len(taken) // ROW_GROUP)
        written = (tmp_path / "by_groups.parquet").read_bytes()
        assert written == (tmp_path / "at_once.parquet").read_bytes()


def batches_on_disk(tmp_path, sizes, seed=0, distinct=False, edit=None):
    """Coded batches b0, b1, ... of ``sizes`` rows written as ingest writes them (``edit``:
    how a batch's file differs from the batch screened), screened and decided."""
    rng = np.random.default_rng(seed)
    frames, screenings, paths = [], [], []
    for number, size in enumerate(sizes):
        answers = exportkit.random_answers(PATIENTS, size, seed + number, blank_rate=0.05)
        ids = [f"R{number}_{i}" for i in range(size)] if distinct else [
            f"R{i}" for i in rng.integers(0, max(1, sum(sizes) // 2), size)]  # fmt: skip
        answers["response_id"] = ids
        frame = code_export(exportkit.export_frame(PATIENTS, answers), PATIENTS, f"b{number}")
        frames.append(frame)
        screenings.append(screen(frame, PATIENTS, EXCLUSIONS))
        paths.append(tmp_path / f"b{number}.parquet")
        (frame if edit is None else edit(number, frame)).to_parquet(paths[-1], index=False)
    return frames, decide(screenings, EXCLUSIONS), paths


def test_many_rows_of_a_batch_are_read_in_the_order_asked(tmp_path):
    """Hundreds of rows of each batch asked in any order (an order that a sort that is not
    stable would shuffle within a batch): pandas' and Arrow's reading give each row asked, in
    that order."""
    frames, cleaned, paths = batches_on_disk(tmp_path, [300, 200], distinct=True)
    rows = np.random.default_rng(3).permutation(500)
    expected = [frames[s]["response_id"].iloc[p] for s, p in
                zip(cleaned.source[rows], cleaned.position[rows], strict=True)]  # fmt: skip
    assert read_rows(cleaned, paths, rows)["response_id"].tolist() == expected
    table = read_table_rows(cleaned, paths, rows, ["response_id"])
    assert table.column("response_id").to_pylist() == expected


def test_batches_whose_columns_differ_in_type_are_joined_by_pandas(tmp_path):
    """A column typed differently by two batches (a batch file written with floats): Arrow's
    route gives up (None) when a batch read has another type, and pandas joins every batch's
    types when every batch is read (``every_batch``), as ``pd.concat`` of the batches does."""

    def floats(number, frame):
        return frame.astype({"age": "float64"}) if number == 1 else frame

    frames, cleaned, paths = batches_on_disk(tmp_path, [6, 5], distinct=True, edit=floats)
    first = np.flatnonzero(cleaned.source == 0)
    assert read_table_rows(cleaned, paths, first, ["age"], every_batch=True) is None
    assert read_table_pieces(cleaned, paths, first, ["age"]) is None  # as clean_responses asks
    assert read_table_rows(cleaned, paths, np.arange(11), ["age"], every_batch=False) is None
    alone = read_table_rows(cleaned, paths, first, ["age"], every_batch=False)
    assert alone.column("age").to_pylist() == frames[0]["age"].astype(object).where(
        frames[0]["age"].notna(), None).tolist()  # fmt: skip
    joined = pd.concat([frames[0], floats(1, frames[1])])["age"].dtype
    assert read_rows(cleaned, paths, first, ["age"], every_batch=True)["age"].dtype == joined
    assert read_rows(cleaned, paths, first, ["age"])["age"].dtype == frames[0]["age"].dtype


@pytest.mark.parametrize("kind", ["renumbered", "filled"])
def test_a_batch_file_that_is_not_its_screenings_is_named(tmp_path, kind):
    """A batch file with the screened batch's count of rows but other row numbers, or rows
    where the screened batch had none: refused by both readers, the file and both row spans
    named."""
    (tmp_path / "other").mkdir()
    other = batches_on_disk(tmp_path / "other", [2], distinct=True)[0][0]

    def edit(number, frame):
        if kind == "renumbered":
            return frame.assign(row=frame["row"] + 1) if number == 0 else frame
        return other if number == 1 else frame

    sizes = [3, 2] if kind == "renumbered" else [3, 0]
    _, cleaned, paths = batches_on_disk(tmp_path, sizes, distinct=True, edit=edit)
    index, expected, found = {
        "renumbered": (0, "3 rows, 1 to 3", "3 rows, 2 to 4"),
        "filled": (1, "0 rows", "2 rows, 1 to 2"),
    }[kind]
    rows = np.flatnonzero(cleaned.source == 0)
    for read in (read_rows, read_table_rows):
        with pytest.raises(InputError) as refused:
            read(cleaned, paths, rows, None, every_batch=True)
        assert refused.value.summary.startswith(f"{paths[index]} is not the batch its screening")
        [problem] = refused.value.problems
        assert (problem.file, problem.expected, problem.value) == (
            str(paths[index]), f"rows {expected}", found)  # fmt: skip


def test_rows_written_a_row_group_at_a_time_read_back_as_the_rows(tmp_path, monkeypatch):
    """With a row group of 7 rows, 30 rows written whole or in an order read back as those
    rows, in 5 groups (or as many as the order's rows fill)."""
    import likertflow.cleaning as cleaning

    monkeypatch.setattr(cleaning, "ROW_GROUP", 7)
    frame = pd.DataFrame(
        {"n": pd.array(range(30), dtype="Int16"), "t": [f"r{i}" for i in range(30)]}
    )
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for order in (None, np.arange(30)[::-1], np.array([4, 29, 0, 7, 8, 9, 10, 11, 12, 13, 1])):
        write_rows(table, tmp_path / "rows.parquet", order)
        back = pd.read_parquet(tmp_path / "rows.parquet")
        expected = frame if order is None else frame.take(order).reset_index(drop=True)
        pd.testing.assert_frame_equal(back, expected)
        groups = pq.ParquetFile(tmp_path / "rows.parquet").metadata.num_row_groups
        assert groups == -(-len(expected) // 7)
