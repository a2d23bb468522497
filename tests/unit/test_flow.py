"""Participant flow: stages, counts, and the cross-checks between batches, ledgers and cohorts."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.cleaning import LEDGER_COLUMNS, LedgerError, clean
from likertflow.files import write_csv
from likertflow.flow import (
    COUNT_COLUMNS,
    FlowMismatch,
    check_counts,
    ledger_counts,
    ledger_summary,
    participant_flow,
    read_ledger,
    stage_of,
    stage_relations,
    write_ledger,
)
from likertflow.ingest import code_export
from support import exportkit

PATIENTS = exportkit.questionnaire("patients")
EXCLUSIONS = [
    {"id": "under_18", "rule": "answered", "question": "age", "labels": ["Under 18"]},
    {"id": "item_nonresponse", "rule": "item_nonresponse"},
]
STAGES = [
    "exported_rows",
    "duplicate_responses",
    "returned",
    "excluded_under_18",
    "excluded_item_nonresponse",
    "analysed",
]


def batch(name: str, records: list[dict]) -> pd.DataFrame:
    export = exportkit.export_frame(PATIENTS, exportkit.answers_from_records(PATIENTS, records))
    return code_export(export, PATIENTS, name)


@pytest.fixture
def cleaned():
    """Two batches: 7 raw rows, 1 repeated id, 1 under 18, 2 with blanks, 3 analysed."""
    batches = [
        batch("w1", [{"response_id": "a"}, {"response_id": "b", "age": "Under 18"}, {}]),
        batch(
            "w2",
            [
                {"response_id": "a", "completed": None},
                {"response_id": "c", "upset": None},
                {"response_id": "d", "recall": None},
                {"response_id": "e"},
            ],
        ),
    ]
    analysed, ledger = clean(batches, PATIENTS, EXCLUSIONS)
    return {"w1": 3, "w2": 4}, ledger, len(analysed)


def test_flow_stages_and_counts(cleaned):
    rows, ledger, analysed = cleaned
    counts = {"patients": ledger_counts(ledger)}
    flow = participant_flow(
        ["patients"], {"patients": rows}, counts, {"patients": analysed}, EXCLUSIONS
    )
    assert list(flow.columns) == ["survey", "stage", "n"]
    assert flow["stage"].tolist() == STAGES
    assert flow["n"].tolist() == [7, 1, 6, 1, 2, 3]


def test_flow_of_several_surveys_keeps_their_order(cleaned):
    rows, ledger, analysed = cleaned
    empty = ledger.iloc[:0]
    flow = participant_flow(
        ["patients", "experts"],
        {"patients": rows, "experts": {}},
        {"patients": ledger_counts(ledger), "experts": ledger_counts(empty)},
        {"patients": analysed, "experts": 0},
        EXCLUSIONS,
    )
    assert flow["survey"].tolist() == ["patients"] * 6 + ["experts"] * 6
    assert flow.loc[flow["survey"] == "experts", "n"].tolist() == [0] * 6


@pytest.mark.parametrize(
    ("rows", "edit", "analysed_shift", "message"),
    [
        ({"w1": 3, "w2": 5}, None, 0, "batch 'w2' has 5 raw rows but the ledger has 4"),
        ({"w1": 3}, None, 0, "lists batch 'w2', which was not ingested"),
        ({"w1": 3, "w2": 4, "w3": 2}, None, 0, "batch 'w3' has 2 raw rows and none"),
        (None, None, 1, "the analysed cohort has 4 rows, but the ledger marks 3 analysed"),
        (None, lambda led: led.assign(status="dropped"), 0, "have status ['dropped']"),
        (None, lambda led: led.assign(reason="lost"), 0, "no exclusion rule: ['lost']"),
        (None, lambda led: led.assign(row=1), 0, "distinct"),
    ],
)
def test_flow_refuses_counts_that_disagree(cleaned, rows, edit, analysed_shift, message):
    good_rows, ledger, analysed = cleaned
    ledger = edit(ledger) if edit else ledger
    with pytest.raises(FlowMismatch, match="participant flow of 'patients' does not add up") as e:
        participant_flow(
            ["patients"],
            {"patients": rows or good_rows},
            {"patients": ledger_counts(ledger)},
            {"patients": analysed + analysed_shift},
            EXCLUSIONS,
        )
    assert message in str(e.value)


def test_read_ledger_round_trip(cleaned, tmp_path):
    _, ledger, _ = cleaned
    path = tmp_path / "patients.ledger.csv"
    ledger.to_csv(path, index=False, lineterminator="\n")
    back = read_ledger(path)
    assert back["row"].dtype == "int64"
    assert back.astype("str").equals(ledger.astype("str"))
    assert (back.loc[back["status"] == "analysed", "reason"] == "").all()


def test_read_ledger_reads_back_any_detail(tmp_path):
    """Quoted commas, quotes and newlines, empty fields and labels pandas would take for
    missing: every field comes back as written; or only the columns asked for."""
    details = ["", "a, b", 'say "no"', "two\nlines", "NA", "None", "nan", "x\r\ny"]
    ledger = pd.DataFrame(
        {
            "response_id": [f"R,{i}" for i in range(len(details))],
            "batch": ["w1"] * len(details),
            "row": range(1, len(details) + 1),
            "status": ["excluded"] * len(details),
            "reason": ["", "NA", *["r"] * (len(details) - 2)],
            "detail": details,
        }
    ).astype({"response_id": "str", "batch": "str", "status": "str", "reason": "str"})
    ledger = ledger.astype({"detail": "str"})
    path = tmp_path / "patients.ledger.csv"
    write_csv(ledger, path)
    pd.testing.assert_frame_equal(read_ledger(path), ledger)
    some = read_ledger(path, ["batch", "row", "reason"])
    pd.testing.assert_frame_equal(some, ledger[["batch", "row", "reason"]])


def test_stage_relations_are_the_two_sums_of_the_flow():
    assert stage_relations(STAGES) == [
        (["duplicate_responses", "returned"], "exported_rows"),
        (["excluded_under_18", "excluded_item_nonresponse", "analysed"], "returned"),
    ]
    assert stage_relations(["exported_rows", "returned", "analysed"])[1] == (
        ["analysed"],
        "returned",
    )


@pytest.mark.parametrize(
    ("status", "reason", "stage"),
    [
        ("analysed", "", "analysed"),
        ("excluded", "duplicate_response", "duplicate_responses"),
        ("excluded", "under_18", "excluded_under_18"),
    ],
)
def test_stage_of_a_ledger_row(status, reason, stage):
    assert stage_of(status, reason) == stage


def test_ledger_summary_counts_rows_by_survey_status_and_reason():
    ledger = pd.DataFrame(
        {
            "batch": ["w1", "w1", "w2", "w2", "w2"],
            "row": [1, 2, 1, 2, 3],
            "status": ["excluded", "analysed", "excluded", "analysed", "excluded"],
            "reason": ["under_18", None, "duplicate_response", None, "under_18"],
        }
    )
    counts = {"patients": ledger_counts(ledger), "experts": ledger_counts(ledger.iloc[[1]])}
    summary = ledger_summary(counts)
    assert list(summary.columns) == ["survey", "status", "reason", "n"]
    assert summary.index.tolist() == [0, 1, 2, 3]  # one table, numbered afresh
    assert summary["n"].dtype == "int64"
    assert summary.values.tolist() == [
        ["experts", "analysed", "", 1],
        ["patients", "analysed", "", 2],
        ["patients", "excluded", "duplicate_response", 1],
        ["patients", "excluded", "under_18", 2],
    ]


def test_a_questionnaire_with_no_batch_ingested_has_a_flow_of_zeros():
    ledger = pd.DataFrame({column: pd.Series([], dtype="str") for column in LEDGER_COLUMNS})
    ledger = ledger.astype({"row": "int64"})
    counts = {"experts": ledger_counts(ledger)}
    flow = participant_flow(["experts"], {}, counts, {"experts": 0}, EXCLUSIONS)
    assert flow["stage"].tolist() == STAGES and flow["n"].tolist() == [0] * 6


def ledger_of(rows: dict[str, list[int]], status="excluded", reason="under_18") -> pd.DataFrame:
    """A ledger of the batches' row numbers, every row of one status and reason."""
    numbers = [(batch, row) for batch, batch_numbers in rows.items() for row in batch_numbers]
    return pd.DataFrame(
        {
            "batch": [batch for batch, _ in numbers],
            "row": [row for _, row in numbers],
            "status": status,
            "reason": reason,
        }
    )


@pytest.mark.parametrize(
    "numbers",
    [[1, 2, 2, 3], [2, 3, 4], [1, 2, 5], [0, 1, 2]],
    ids=["a row twice", "numbered from 2", "a gap", "numbered from 0"],
)
def test_a_batch_whose_ledger_rows_are_not_1_to_n_is_named(numbers):
    ledger = ledger_of({"w1": numbers})
    with pytest.raises(FlowMismatch) as refused:
        check_counts("patients", {"w1": 3}, ledger_counts(ledger), 0, ["under_18"])
    size, distinct = len(numbers), len(set(numbers))
    assert (
        f"batch 'w1' has 3 raw rows but the ledger has {size} rows ({distinct} distinct, "
        f"numbered {min(numbers)}-{max(numbers)})"
    ) in str(refused.value)


def test_a_one_row_batch_numbered_wrongly_is_named():
    with pytest.raises(FlowMismatch, match=r"numbered 2-2"):
        check_counts("patients", {"w1": 1}, ledger_counts(ledger_of({"w1": [2]})), 0, ["under_18"])
    counts = ledger_counts(ledger_of({"w1": [1]}))
    check_counts("patients", {"w1": 1, "w0": 0}, counts, 0, ["under_18"])


def test_every_disagreement_is_named_in_one_message():
    ledger = ledger_of({"w0": [1], "w2": [1, 2]})
    ledger.loc[1, "status"] = "analysed"
    ledger.loc[2, "status"] = "dropped"
    with pytest.raises(FlowMismatch) as refused:
        check_counts("patients", {"w1": 2, "w2": 3}, ledger_counts(ledger), 2, ["under_18"])
    assert str(refused.value) == (
        "participant flow of 'patients' does not add up (raw rows = ledger rows = analysed + "
        "excluded, cohort rows = ledger analysed): "
        "the ledger lists batch 'w0', which was not ingested; "
        "batch 'w1' has 2 raw rows and none in the ledger; "
        "batch 'w2' has 3 raw rows but the ledger has 2 rows (2 distinct, numbered 1-2); "
        "5 raw rows in the ingested batches but 3 in the ledger; "
        "1 ledger rows have status ['dropped']; "
        "the analysed cohort has 2 rows, but the ledger marks 1 analysed"
    )


def test_read_ledger_keeps_ids_that_look_like_numbers_as_text(tmp_path):
    ledger = pd.DataFrame(
        {
            "response_id": ["007", "12"], "batch": ["2024", "2024"], "row": [1, 2],
            "status": ["analysed", "excluded"], "reason": ["", "1"], "detail": ["", "3.5"],
        }
    ).astype({name: "str" for name in LEDGER_COLUMNS if name != "row"})  # fmt: skip
    path = tmp_path / "patients.ledger.csv"
    write_csv(ledger, path)
    pd.testing.assert_frame_equal(read_ledger(path), ledger)


def test_read_ledger_of_several_blocks_with_newlines_in_details(tmp_path):
    """Arrow reads a large file in blocks: a detail's line feeds must not split a block."""
    detail = "\n".join(["a line of the detail"] * 20)
    ledger = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(6000)], "batch": "w1", "row": range(1, 6001),
            "status": "excluded", "reason": "r", "detail": detail,
        }
    ).astype({name: "str" for name in LEDGER_COLUMNS if name != "row"})  # fmt: skip
    path = tmp_path / "patients.ledger.csv"
    write_csv(ledger, path)
    assert path.stat().st_size > 2**21  # more than one of Arrow's blocks (1 MiB)
    pd.testing.assert_frame_equal(read_ledger(path), ledger)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["w1", "w2", "w10", "=w"]),
            st.integers(0, 5),
            st.sampled_from(["analysed", "excluded", "dropped"]),
            st.sampled_from(["", "under_18", "duplicate_response", None]),
        ),
        max_size=30,
    )
)
def test_ledger_counts_are_the_ledger_counted(rows):
    """Each batch, status and reason's rows, and each batch's distinct, first and last row
    numbers, as pandas counts them on the ledger itself (a missing reason counted as "")."""
    ledger = pd.DataFrame(rows, columns=["batch", "row", "status", "reason"])
    ledger = ledger.astype({"batch": "str", "row": "int64", "status": "str", "reason": "str"})
    counts = ledger_counts(ledger)
    assert list(counts.columns) == COUNT_COLUMNS
    keys = ["batch", "status", "reason"]
    expected = ledger.fillna({"reason": ""}).groupby(keys).size().rename("n").reset_index()
    per_batch = ledger.groupby("batch")["row"].agg(["nunique", "min", "max"])
    expected = expected.join(per_batch, on="batch").set_axis(COUNT_COLUMNS, axis=1)
    pd.testing.assert_frame_equal(counts, expected, check_dtype=False)
    assert (counts.dtypes[COUNT_COLUMNS[3:]] == "int64").all()


def test_the_flow_from_a_ledgers_counts_read_back_from_parquet(cleaned, tmp_path):
    """What clean_responses writes and count_participants reads gives the same flow."""
    rows, ledger, analysed = cleaned
    path = tmp_path / "patients.ledger_counts.parquet"
    ledger_counts(ledger).to_parquet(path, engine="pyarrow", index=False)
    back = {"patients": pd.read_parquet(path)}
    flow = participant_flow(["patients"], {"patients": rows}, back, {"patients": analysed},
                            EXCLUSIONS)  # fmt: skip
    assert flow["n"].tolist() == [7, 1, 6, 1, 2, 3]
    assert ledger_summary(back).equals(ledger_summary({"patients": ledger_counts(ledger)}))


def test_a_ledger_piece_that_loses_a_raw_row_is_refused_before_it_is_written(cleaned, tmp_path):
    """clean_responses writes the ledger a batch at a time (``write_ledger``): each piece is
    checked against its batch's raw rows as it is written, and the first that does not
    account for them stops the writing with the rows named (a bug, never bad input)."""
    _, ledger, _ = cleaned
    w1, w2 = (ledger[ledger["batch"] == name].reset_index(drop=True) for name in ("w1", "w2"))

    def pieces(second):
        for piece in (w1, second):
            raw = piece[["batch", "row"]]
            yield piece, raw, raw[piece["status"] == "analysed"]

    counts = write_ledger(pieces(w2), tmp_path / "ledger.csv")
    pd.testing.assert_frame_equal(counts, ledger_counts(ledger))
    lost = w2.iloc[1:].reset_index(drop=True)

    def short():
        for piece, raw, analysed in pieces(lost):
            yield piece, (w2[["batch", "row"]] if piece is lost else raw), analysed

    with pytest.raises(LedgerError, match="1 raw rows missing from the ledger: w2 row 1"):
        write_ledger(short(), tmp_path / "ledger.csv")


def counted_by_hand(records: list[tuple]) -> list[tuple]:
    """``ledger_counts`` of (batch, row, status, reason) records, from plain Python: rows by
    batch, status and reason (a missing reason counted as "", a missing batch or status as
    None, sorted last), each with its batch's distinct, first and last row numbers."""
    from collections import Counter, defaultdict

    def text(value):
        return value if isinstance(value, str) else None

    n = Counter((text(b), text(s), text(r) or "") for b, _, s, r in records)
    rows = defaultdict(list)
    for b, row, _, _ in records:
        rows[text(b)].append(int(row))
    return [
        (b, s, r, count, len(set(rows[b])), min(rows[b]), max(rows[b]))
        for (b, s, r), count in sorted(
            n.items(), key=lambda item: [(v is None, v or "") for v in item[0]]
        )
    ]


def counts_as_records(counts: pd.DataFrame) -> list[tuple]:
    return [
        tuple(None if pd.isna(v) else (int(v) if i > 2 else v) for i, v in enumerate(row))
        for row in counts.itertuples(index=False)
    ]


LEDGER_RECORDS = [
    ("w1", 1, "analysed", None),
    ("w1", 2, "excluded", "duplicate_response"),
    ("w1", 3, "excluded", "under_18"),
    ("w2", 1, "analysed", float("nan")),
    ("w2", 1, "excluded", "under_18"),
    ("w2", 4, "excluded", ""),
    ("w10", 7, "analysed", None),
]


def arrow_chunked(values: list, chunks: int) -> pd.Series:
    """A text column in Arrow's storage (as ``pd.read_parquet(dtype_backend="pyarrow")``
    gives it), cut into ``chunks`` chunks: the i-th of every ``chunks`` values in chunk i."""
    import pyarrow as pa

    values = [v if isinstance(v, str) else None for v in values]
    cut = [values[i::chunks] for i in range(chunks)] if chunks > 1 else [values]
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array(cut, pa.string())))


@pytest.mark.parametrize("chunks", [1, 2, 3])
def test_ledger_counts_of_a_ledger_in_arrows_storage(chunks):
    """A ledger whose texts are in Arrow's storage, in one chunk or several (each chunk with
    its own dictionary of texts): the counts are those of its records."""
    import pyarrow as pa

    records = [
        (b, r, s, reason)
        for part in range(chunks)
        for b, r, s, reason in LEDGER_RECORDS[part::chunks]
    ]
    ledger = pd.DataFrame(
        {
            "batch": arrow_chunked([b for b, *_ in LEDGER_RECORDS], chunks),
            "row": [r for _, r, *_ in records],
            "status": arrow_chunked([s for *_, s, _ in LEDGER_RECORDS], chunks),
            "reason": arrow_chunked([r for *_, r in LEDGER_RECORDS], chunks),
        }
    )
    assert isinstance(pa.array(ledger["batch"]), pa.ChunkedArray) or chunks == 1
    counts = ledger_counts(ledger)
    assert counts_as_records(counts) == counted_by_hand(records)
    assert list(counts.index) == list(range(len(counts)))


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda r: r, id="as written"),
        pytest.param(lambda r: (r[0], r[1], r[2], None), id="no reason at all"),
        pytest.param(lambda r: (None if r[1] == 4 else r[0], *r[1:]), id="a missing batch"),
        pytest.param(lambda r: (*r[:2], None if r[1] == 4 else r[2], r[3]), id="a missing status"),
        pytest.param(lambda r: (r[0], r[1] * 2**62 if r[1] == 1 else r[1], *r[2:]), id="far apart"),
    ],
)
def test_ledger_counts_of_a_ledger_as_pandas_holds_it(edit):
    """A ledger of texts as pandas holds them (objects: None or NaN for a missing reason, as a
    hand-made or read-back table has them), missing batches or statuses (never written so: the
    flow's checks then name them; the rows of a missing batch are counted under it) or row
    numbers so far apart that (batch, row) is no 64-bit integer: the counts are those of its
    records, indexed from 0, integers as int64."""
    records = [edit(record) for record in LEDGER_RECORDS]
    ledger = pd.DataFrame(records, columns=["batch", "row", "status", "reason"], dtype=object)
    ledger["row"] = ledger["row"].astype("int64")
    counts = ledger_counts(ledger)
    assert list(counts.columns) == COUNT_COLUMNS
    assert counts_as_records(counts) == counted_by_hand(records)
    assert list(counts.index) == list(range(len(counts)))
    assert (counts.dtypes[COUNT_COLUMNS[3:]] == "int64").all()


@pytest.mark.parametrize("dtype", ["str", object])
@pytest.mark.parametrize("last_row", [7, 1000])
def test_ledger_counts_keep_pandas_text_dtype(dtype, last_row):
    """The counts of a ledger as written (every batch and status, integer rows, near or far
    apart) hold their texts as pandas' default text columns (the dtype ``read_ledger`` gives),
    whatever the ledger's texts were held as: their parquet file is the same either way."""
    records = [(*record[:1], last_row if record[0] == "w10" else record[1], *record[2:])
               for record in LEDGER_RECORDS]  # fmt: skip
    ledger = pd.DataFrame(records, columns=["batch", "row", "status", "reason"])
    ledger = ledger.astype({"batch": dtype, "status": dtype, "reason": dtype})
    counts = ledger_counts(ledger)
    for column in ["batch", "status", "reason"]:
        assert counts[column].dtype == pd.Series(["a"]).dtype
    assert counts_as_records(counts) == counted_by_hand(records)
