"""Participant flow: how many exported rows became how many analysed respondents, and why.

Stages, per questionnaire: ``exported_rows`` (raw rows of every batch), ``duplicate_responses``
(rows dropped as repeats of a response id), ``returned`` (distinct responses),
``excluded_<rule>`` for each exclusion rule in config order, ``analysed``.

The counts are taken from three independent sources (the ingested batches, the ledgers, the
analysed cohorts), and ``participant_flow`` refuses to tabulate them unless they agree: raw rows
= ledger rows = analysed + excluded, each (batch, row) once, and cohort rows = ledger analysed.

A ledger enters as its counts (``ledger_counts``): its rows by batch, status and reason, with
each batch's distinct, first and last row numbers. That is all the flow and the ledger summary
read of it, and clean_responses writes them beside the ledger
(results/audit/{survey}.ledger_counts.parquet) as it writes the ledger (``write_ledger``), so
the flow does not parse a million-row CSV again (issue 22).
"""

from __future__ import annotations

import pandas as pd

from likertflow.cleaning import ANALYSED, DUPLICATE, EXCLUDED, LEDGER_COLUMNS

# A ledger's counts (``ledger_counts``): a row per batch, status and reason, its ``n`` rows; and
# on each, its batch's distinct, first and last row numbers.
COUNT_COLUMNS = ["batch", "status", "reason", "n", "batch_distinct", "batch_first", "batch_last"]


class FlowMismatch(RuntimeError):
    """The workflow's own outputs disagree about how many responses there are."""


def ledger_counts(ledger: pd.DataFrame) -> pd.DataFrame:
    """A ledger's counts (``COUNT_COLUMNS``; module docstring), sorted by batch, status and
    reason: what ``participant_flow``, ``check_counts`` and ``ledger_summary`` read of it. A
    missing reason counts as "" (the ledger writes it so). A ledger has a row per raw row, a
    million or more: its texts are counted as Arrow's dictionary codes, its rows per batch from
    one sort of (batch, row) as integers (linear on a ledger sorted by them, as written)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def coded(name: str) -> tuple[np.ndarray, list]:
        texts = pa.array(ledger[name], pa.large_string(), from_pandas=True)
        texts = texts.fill_null("") if name == "reason" else texts
        encoded = pc.dictionary_encode(texts)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.unify_dictionaries()
            codes = [chunk.indices for chunk in encoded.chunks]
            values = encoded.chunk(0).dictionary if encoded.num_chunks else pa.array([], texts.type)
            encoded = pa.DictionaryArray.from_arrays(
                pa.concat_arrays(codes) if codes else pa.array([], pa.int32()), values
            )
        return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()

    keys = ["batch", "status", "reason"]
    rows = ledger["row"].to_numpy()
    missing = ledger["batch"].isna().any() or ledger["status"].isna().any()
    if missing or rows.dtype.kind not in "iu" or not len(ledger):
        return _ledger_counts_by_pandas(ledger)
    (batch, batches), (status, statuses), (reason, reasons) = map(coded, keys)
    batch, status, reason = (codes.astype(np.int64) for codes in (batch, status, reason))
    low, span = int(rows.min()), int(rows.max()) - int(rows.min()) + 1
    if len(batches) * span >= 2**62:
        return _ledger_counts_by_pandas(ledger)
    # rows by batch, status and reason: one integer per combination, counted
    sizes = (len(batches), len(statuses), len(reasons))
    code = (batch * sizes[1] + status) * sizes[2] + reason
    combined = np.bincount(code, minlength=int(np.prod(sizes)))
    found = np.flatnonzero(combined)
    b, rest = np.divmod(found, sizes[1] * sizes[2])
    s, r = np.divmod(rest, sizes[2])
    # each batch's rows: (batch, row) as one integer, sorted; distinct ones, first and last
    pairs = np.sort(batch * span + (rows.astype(np.int64) - low), kind="stable")
    new = np.r_[True, pairs[1:] != pairs[:-1]]
    distinct = np.bincount(pairs[new] // span, minlength=len(batches))
    owner = pairs // span
    starts = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
    ends = np.r_[starts[1:] - 1, len(pairs) - 1]
    first = np.zeros(len(batches), np.int64)
    last = np.zeros(len(batches), np.int64)
    first[owner[starts]] = pairs[starts] % span + low
    last[owner[ends]] = pairs[ends] % span + low
    counts = pd.DataFrame(
        {
            "batch": pd.array(np.asarray(batches, dtype=object)[b], dtype="str"),
            "status": pd.array(np.asarray(statuses, dtype=object)[s], dtype="str"),
            "reason": pd.array(np.asarray(reasons, dtype=object)[r], dtype="str"),
            "n": combined[found],
            "batch_distinct": distinct[b],
            "batch_first": first[b],
            "batch_last": last[b],
        }
    )
    counts = counts.sort_values(keys, ignore_index=True)
    return counts.astype({column: "int64" for column in COUNT_COLUMNS[3:]})


def write_ledger(pieces, path) -> pd.DataFrame:
    """Write a ledger from its pieces (``likertflow.cleaning.Cleaned.ledger_pieces``: each
    batch's rows, with its raw rows and those analysed), one batch at a time, each checked to
    account for its raw rows (``check_ledger``: a bug, not bad input); its counts
    (``ledger_counts``)."""
    from likertflow.cleaning import check_ledger
    from likertflow.files import write_csv_pieces

    counts = []

    def checked():
        for ledger, raw, analysed in pieces:
            check_ledger(ledger, raw, analysed)
            counts.append(ledger_counts(ledger))
            yield ledger

    write_csv_pieces(checked(), path)
    return combined_counts(counts)


def combined_counts(pieces: list[pd.DataFrame]) -> pd.DataFrame:
    """``ledger_counts`` of a ledger from those of its pieces, each one batch's rows, in batch
    order (``likertflow.cleaning.Cleaned.ledger_pieces``): the cleaning writes a ledger of ten
    million rows a batch at a time."""
    counted = [counts for counts in pieces if len(counts)] or pieces[:1]
    return pd.concat(counted, ignore_index=True)


def _ledger_counts_by_pandas(ledger: pd.DataFrame) -> pd.DataFrame:
    """``ledger_counts`` of a ledger with missing batches or statuses, or rows that are no
    integers (never written so; the flow's checks then name them), or of no rows."""
    keys = ["batch", "status", "reason"]
    ledger = ledger.fillna({"reason": ""})
    counts = ledger.groupby(keys, dropna=False).size().rename("n").reset_index()
    per_batch = ledger.groupby("batch", dropna=False)["row"].agg(["nunique", "min", "max"])
    per_batch.columns = COUNT_COLUMNS[4:]
    counts = counts.join(per_batch, on="batch").sort_values(keys, ignore_index=True)
    return counts[COUNT_COLUMNS].astype({column: "int64" for column in COUNT_COLUMNS[3:]})


def participant_flow(
    surveys: list[str],
    batch_rows: dict[str, dict[str, int]],
    counts: dict[str, pd.DataFrame],
    analysed_rows: dict[str, int],
    exclusions: list[dict],
) -> pd.DataFrame:
    """The flow table ``survey, stage, n`` after checking that every count agrees.

    ``batch_rows``: survey -> batch -> rows of its ingested file; ``counts``: survey -> its
    ledger's counts (``ledger_counts``); ``analysed_rows``: survey -> cohort rows.
    """
    rule_ids = [rule["id"] for rule in exclusions]
    records = []
    for survey in surveys:
        ledger = counts[survey]
        check_counts(survey, batch_rows.get(survey, {}), ledger, analysed_rows[survey], rule_ids)
        reasons = ledger[ledger["status"] == EXCLUDED].groupby("reason")["n"].sum()
        exported = sum(batch_rows.get(survey, {}).values())
        duplicates = int(reasons.get(DUPLICATE, 0))
        stages = [("exported_rows", exported), ("duplicate_responses", duplicates)]
        stages.append(("returned", exported - duplicates))
        stages += [(f"excluded_{rule}", int(reasons.get(rule, 0))) for rule in rule_ids]
        stages.append(("analysed", analysed_rows[survey]))
        records += [(survey, stage, n) for stage, n in stages]
    return pd.DataFrame(records, columns=["survey", "stage", "n"]).astype({"n": "int64"})


def check_counts(
    survey: str,
    batch_rows: dict[str, int],
    counts: pd.DataFrame,
    analysed_rows: int,
    rule_ids: list[str],
) -> None:
    """Raise ``FlowMismatch`` naming every disagreement between batches, ledger (its counts,
    ``ledger_counts``) and cohort."""
    problems = []
    per_batch = counts.groupby("batch").agg(
        size=("n", "sum"),
        nunique=("batch_distinct", "first"),
        min=("batch_first", "first"),
        max=("batch_last", "first"),
    )
    for batch in sorted(set(batch_rows) | set(per_batch.index)):
        raw = batch_rows.get(batch)
        if raw is None:
            problems.append(f"the ledger lists batch {batch!r}, which was not ingested")
            continue
        if batch not in per_batch.index:
            if raw:
                problems.append(f"batch {batch!r} has {raw} raw rows and none in the ledger")
            continue
        size, distinct, low, high = per_batch.loc[batch]
        if not (size == distinct == raw and (raw == 0 or (low == 1 and high == raw))):
            problems.append(
                f"batch {batch!r} has {raw} raw rows but the ledger has {size} rows "
                f"({distinct} distinct, numbered {low}-{high})"
            )
    raw_total, ledger_total = sum(batch_rows.values()), int(counts["n"].sum())
    if raw_total != ledger_total:
        problems.append(
            f"{raw_total} raw rows in the ingested batches but {ledger_total} in the ledger"
        )
    status = counts["status"]
    n_analysed = int(counts.loc[status == ANALYSED, "n"].sum())
    n_excluded = int(counts.loc[status == EXCLUDED, "n"].sum())
    if n_analysed + n_excluded != ledger_total:
        other = sorted(set(status) - {ANALYSED, EXCLUDED})
        problems.append(f"{ledger_total - n_analysed - n_excluded} ledger rows have status {other}")
    reasons = set(counts.loc[status == EXCLUDED, "reason"].unique())
    unknown = sorted(reasons - {DUPLICATE, *rule_ids})
    if unknown:
        problems.append(f"excluded for reasons that are no exclusion rule: {unknown}")
    if analysed_rows != n_analysed:
        problems.append(
            f"the analysed cohort has {analysed_rows} rows, "
            f"but the ledger marks {n_analysed} analysed"
        )
    if problems:
        raise FlowMismatch(
            f"participant flow of {survey!r} does not add up (raw rows = ledger rows = analysed + "
            "excluded, cohort rows = ledger analysed): " + "; ".join(problems)
        )


def read_ledger(path, columns: list[str] | None = None) -> pd.DataFrame:
    """A ledger CSV as written by clean_responses (every field text, empty or not, except
    ``row``), or only some of its columns. Read by Arrow's parser: a ledger has a row per raw
    row, a million or more, which pandas' parser takes seconds to read. Texts are as they were
    before ``write_csv`` neutralised them (``files.restore_cell``)."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    from likertflow.files import restore_text_array

    types = {column: pa.string() for column in LEDGER_COLUMNS} | {"row": pa.int64()}
    table = pa_csv.read_csv(
        path,
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),  # a detail may hold one
        convert_options=pa_csv.ConvertOptions(
            column_types=types,
            include_columns=columns,
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    for position, field in enumerate(table.schema):
        if pa.types.is_string(field.type):
            table = table.set_column(position, field, restore_text_array(table.column(position)))
    return table.to_pandas()


def stage_relations(stages: list[str]) -> list[tuple[list[str], str]]:
    """The sums between the stages of one questionnaire's flow, as (parts, total):
    exported rows = duplicates + returned, returned = the exclusions + analysed."""
    excluded = [stage for stage in stages if stage.startswith("excluded_")]
    return [
        (["duplicate_responses", "returned"], "exported_rows"),
        ([*excluded, "analysed"], "returned"),
    ]


def stage_of(status: str, reason: str) -> str:
    """The flow stage that counts the ledger rows of a status and reason."""
    if status == ANALYSED:
        return "analysed"
    return "duplicate_responses" if reason == DUPLICATE else f"excluded_{reason}"


def ledger_summary(counts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Ledger rows counted by questionnaire, status and reason (``survey, status, reason, n``),
    from each ledger's counts (``ledger_counts``): what the report shows of the ledgers, which
    stay in results/audit/ for the analyst."""
    parts = [
        ledger.groupby(["status", "reason"], sort=True)["n"]
        .sum()
        .rename("n")
        .reset_index()
        .assign(survey=survey)
        for survey, ledger in sorted(counts.items())
    ]
    columns = ["survey", "status", "reason", "n"]
    return pd.concat(parts, ignore_index=True)[columns].astype({"n": "int64"})
