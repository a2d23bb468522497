"""From a questionnaire's ingested batches to the analysed cohort and its ledger.

Repeated response ids. A platform re-exports a response that was resumed or edited, so the same
response id can appear in several batches (or, after a botched merge, in several rows). Ids are
compared as ``likertflow.coding.normalise_ids`` gives them (`` R_1 `` is ``R_1``). Exactly
one row per id is kept; the kept row is the best by these keys, compared in order:

1. a finished response over an unfinished one: finished by the platform's finished flag where
   the codebook's export names one (``export.finished``), else by having a completion time;
   without either, every response counts as unknown and this key decides nothing;
2. the latest completion time (skipped when the export has no completion times);
3. the latest start time (skipped when the export has no start times);
4. the most questions answered;
5. the lexicographically greatest batch name (batches named by date sort by date);
6. the greatest row number within that batch.

(batch, row) identifies a raw row uniquely, so the choice is total: it does not depend on the
order in which batches arrive or are listed. The other rows are excluded with reason
``duplicate_response``, their detail naming the kept row.

Exclusions. The rules of config ``exclusions`` are applied to the kept rows in order, and a
response is recorded under the first rule it meets. What each rule does is in
``likertflow.exclusions`` (one entry of its ``RULES`` per rule name).

Per batch, once (issue 22, decision 1). Every exclusion rule but the duplicate rule looks at one
response alone, so each batch is screened once, when it is validated (``screen``): for each row,
the keys the duplicate rule compares (``KEY_COLUMNS``) and the first exclusion rule it meets
with its detail. Cleaning the questionnaire then reads only these screenings (``decide``): it
decides the repeats across batches, and a kept row is excluded under the rule its batch's
screening found, which is the rule the rules in order give the kept rows; the analysed rows are
then read from each batch (``read_rows``, only the columns analysed). The result is the one a
single pass over every batch gives, in any arrival order.

Memory set by a batch (issue 22, decision 5). The screenings are read a few columns at a time
(``Screenings``): every batch's ids and reasons, then the ranking keys of the rows whose id
repeats; the ledger is built and written a batch at a time (``Cleaned.ledger_pieces``); the
analysed cohort is taken from the batches' rows a row group at a time (``write_rows``). What
spans the cohort is the ids and a few numbers a row (at 11 million responses the cleaning
peaked at 1.5 GB, against 5.2 GB when it held the screenings and the ledger whole).

Ledger. One row per raw row of every batch, with status ``analysed`` or ``excluded`` and, when
excluded, the reason and a human-readable detail. ``check_ledger`` verifies that it accounts for
every raw row exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from likertflow.codebook import FPC, LINK, PSU, STRATUM, WEIGHT, Questionnaire
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE, TEST_RESPONSE, normalise_ids
from likertflow.errors import InputError, Problem
from likertflow.exclusions import RULES, applies

log = logging.getLogger(__name__)

ANALYSED, EXCLUDED = "analysed", "excluded"
DUPLICATE = "duplicate_response"
LEDGER_COLUMNS = ["response_id", "batch", "row", "status", "reason", "detail"]
META_COLUMNS = ["response_id", "batch", "row", "started", "completed", "finished"]
# What the duplicate rule compares of each row: its id, the keys it ranks rows by (best first,
# the module docstring's order), and where the row is.
RANKED = ["finished", "completed", "started", "answered", "batch", "row"]
KEY_COLUMNS = ["response_id", "batch", "row", "finished", "completed", "started", "answered"]
# A batch's screening (``screen``): a row per raw row, its keys and the first rule it meets
SCREENING_COLUMNS = [*KEY_COLUMNS, "reason", "detail"]


class LedgerError(RuntimeError):
    """The ledger does not account for every raw row exactly once: a bug, never bad input."""


def read_batch(path: str | Path, survey: str) -> pd.DataFrame:
    """An ingested batch, checked to be the file it claims (results/ingest/{survey}/{batch})."""
    path = Path(path)
    frame = pd.read_parquet(path)
    batches = set(frame["batch"].unique()) if "batch" in frame else {None}
    _check_batch_file(path, survey, batches, len(frame))
    return frame


def _check_batch_file(path: Path, survey: str, batches: set, rows: int) -> None:
    """Refuse a batch's file (ingested, or its screening) holding another batch or survey."""
    if path.parent.name != survey or (rows and batches != {path.stem}):
        raise InputError(
            f"{path} does not hold what its name says; delete it and rerun the ingest",
            [
                Problem(
                    str(path),
                    f"batch {path.stem!r} of survey {survey!r}",
                    column="batch",
                    value=f"{sorted(map(str, batches))} of survey {path.parent.name!r}",
                )
            ],
        )


def meta_columns(questionnaire: Questionnaire) -> list[str]:
    """The metadata columns of an ingested batch: ``META_COLUMNS``, and the platform's test
    marks where the codebook names them (export.test_responses)."""
    marks = [TEST_RESPONSE] if questionnaire.export.test_responses else []
    return [*META_COLUMNS, *marks, *questionnaire.design_columns]


def batch_columns(questionnaire: Questionnaire) -> list[str]:
    """The columns of an ingested batch of the questionnaire, in order."""
    return [*meta_columns(questionnaire), *questionnaire.question_ids]


def check_columns(name: str, found: list[str], expected: list[str]) -> None:
    """``InputError`` unless an ingested batch (or its screening) has the columns expected."""
    if found != expected:
        raise InputError(
            f"ingested batch {name!r} does not have the columns of the current codebook; "
            "delete results/ingest/ and rerun",
            [Problem(f"batch {name}", ", ".join(expected), value=", ".join(found))],
        )


def merge_batches(batches: list[pd.DataFrame], questionnaire: Questionnaire) -> pd.DataFrame:
    """Stack ingested batches (any order) after checking they share the questionnaire's columns."""
    columns = batch_columns(questionnaire)
    for frame in batches:
        check_columns(frame["batch"].iloc[0] if len(frame) else "?", list(frame.columns), columns)
    if not batches:
        dtypes = {"response_id": "str", "batch": "str", "row": "int64"}
        dtypes |= {"started": "datetime64[us]", "completed": "datetime64[us]"}
        dtypes |= {"finished": "boolean", TEST_RESPONSE: "str"}
        dtypes |= {q.id: NUMBER_DTYPE for q in questionnaire.questions if q.numeric}
        dtypes |= {column: "float64" for column in (WEIGHT, FPC)}
        dtypes |= {column: "str" for column in (STRATUM, PSU, LINK)}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, CODE_DTYPE)) for c in columns})
    # In batch-name order, so that the ledger is in (batch, row) order already (``clean``).
    merged = pd.concat(sorted(batches, key=_batch_name), ignore_index=True)
    # Ingest normalised them; a batch ingested by an earlier version may not have.
    merged["response_id"] = normalise_ids(merged["response_id"])
    return merged


def _batch_name(frame: pd.DataFrame) -> str:
    return str(frame["batch"].iloc[0]) if len(frame) else ""


def duplicate_keys(responses: pd.DataFrame, question_ids: list[str]) -> pd.DataFrame:
    """What the duplicate rule compares of each response (``KEY_COLUMNS``): its id, finished
    flag, completion and start times, how many questions it answered, its batch and row."""
    keys = responses[KEY_COLUMNS[:-1]].copy()
    keys["answered"] = responses[question_ids].notna().sum(axis=1).astype(np.int64)
    return keys


def keep_one_per_id(
    responses: pd.DataFrame, question_ids: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Which rows are kept under the rule of the module docstring, and a detail for the others
    ("" for the rows kept).

    ``responses`` must have a 0..n-1 index.
    """
    return keep_one(duplicate_keys(responses, question_ids))


def keep_one(
    keys: pd.DataFrame, repeated: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``keep_one_per_id`` of rows given by their keys alone (``duplicate_keys``, with a 0..n-1
    index). Only rows whose id repeats are ranked: ``repeated`` says which (``repeated_texts``;
    None: found here)."""
    if repeated is None:
        repeated = keys["response_id"].duplicated(keep=False).to_numpy()
    kept = ~repeated
    detail = np.full(len(keys), "", dtype=object)
    if not repeated.any():
        return kept, detail
    # Best first: every key descending, missing values last; the first row of each id wins.
    ranked = keys[repeated].sort_values(RANKED, ascending=False)
    best = ~ranked["response_id"].duplicated(keep="first").to_numpy()
    winners = ranked[best].set_index("response_id")
    losers = ranked[~best]
    kept[ranked.index[best]] = True
    detail[losers.index] = (
        "repeat of the response kept from batch "
        + losers["response_id"].map(winners["batch"])
        + ", row "
        + losers["response_id"].map(winners["row"]).astype("str")
    ).to_numpy()
    return kept, detail


def apply_exclusions(
    cohort: pd.DataFrame, questionnaire: Questionnaire, exclusions: list[dict]
) -> tuple[np.ndarray, np.ndarray]:
    """Reason (rule id, "" if none) and detail of each response: the first rule it meets."""
    reason = np.full(len(cohort), "", dtype=object)
    detail = np.full(len(cohort), "", dtype=object)
    for rule in exclusions:
        if rule["rule"] not in RULES:
            raise InputError(
                f"exclusion rule {rule['id']!r} has an unknown rule",
                [Problem("config exclusions", " or ".join(RULES), value=rule["rule"])],
            )
        if not applies(rule, questionnaire.question_ids):
            log.info(
                "exclusion rule %r does not apply to %s: it has no question %r",
                rule["id"],
                questionnaire.survey,
                rule["question"],
            )
            continue
        met, why = RULES[rule["rule"]].apply(cohort, questionnaire, rule)
        first = met.to_numpy() & (reason == "")
        reason[first] = rule["id"]
        detail[first] = why.to_numpy()[first]
    return reason, detail


@dataclass(frozen=True)
class RuleCount:
    """How many responses an exclusion rule left out of a questionnaire's cohort (those recorded
    under it, its first rule met), of how many the rules were applied to (the responses kept
    after repeats), and the export columns responsible, most first."""

    rule: str
    excluded: int
    responses: int
    columns: tuple[tuple[str, int], ...] = ()

    @property
    def share(self) -> float:
        return self.excluded / self.responses if self.responses else 0.0

    def describe(self, survey: str, limit: int = 5) -> str:
        """"<survey>: exclusion rule 'x' excludes n of N responses (p%); columns responsible:
        ..." """
        text = (
            f"{survey}: exclusion rule {self.rule!r} excludes {self.excluded:,} of "
            f"{self.responses:,} responses ({self.share:.0%})"
        )
        if self.columns:
            shown = [f"{column} in {count:,}" for column, count in self.columns[:limit]]
            more = len(self.columns) - limit
            text += "; columns responsible: " + "; ".join(shown)
            text += f"; and {more} more" if more > 0 else ""
        return text


def exclusion_counts(
    cohort: pd.DataFrame, questionnaire: Questionnaire, exclusions: list[dict], reason: np.ndarray
) -> list[RuleCount]:
    """Each rule's ``RuleCount`` on ``cohort`` (the responses kept after repeats), given the
    rule each response was recorded under (``apply_exclusions``' reason)."""
    return [
        name_columns(count, rule, cohort[reason == rule["id"]], questionnaire)
        for count, rule in zip(rule_counts(exclusions, reason), exclusions, strict=True)
    ]


def rule_counts(exclusions: list[dict], reason: np.ndarray) -> list[RuleCount]:
    """Each rule's ``RuleCount``, given the rule each response kept after repeats was recorded
    under, without the columns responsible (``name_columns``)."""
    return [
        RuleCount(rule["id"], int((reason == rule["id"]).sum()), len(reason))
        for rule in exclusions
    ]


def name_columns(
    count: RuleCount, rule: dict, rows: pd.DataFrame, questionnaire: Questionnaire
) -> RuleCount:
    """``count`` with the export columns responsible, from the rows recorded under its rule."""
    if not count.excluded:
        return count
    everyone = np.ones(len(rows), dtype=bool)
    columns = RULES[rule["rule"]].columns(rows, questionnaire, rule, everyone)
    return replace(count, columns=tuple(columns))


def screen(
    coded: pd.DataFrame, questionnaire: Questionnaire, exclusions: list[dict]
) -> pd.DataFrame:
    """A batch's screening, once (module docstring): a row per row of ``coded`` in its order,
    with the keys the duplicate rule compares (the id normalised) and the first of the other
    exclusion rules it meets, with its detail ("" and "" for none)."""
    coded = coded.reset_index(drop=True)
    keys = duplicate_keys(coded, questionnaire.question_ids)
    keys["response_id"] = normalise_ids(keys["response_id"])
    keys["row"] = keys["row"].astype(np.int64)
    reason, detail = apply_exclusions(coded, questionnaire, exclusions)
    return keys.assign(reason=_texts(reason), detail=_texts(detail))


class Screenings:
    """A questionnaire's batch screenings (``screen``), read a few columns at a time: from their
    files (``from_files``) or from frames in memory (``from_frames``). Cleaning holds the ids of
    every batch, never every screening whole, so that its memory is set by the ids and one
    batch (issue 22, decision 5). ``order``: the screenings' indices in batch-name order."""

    def __init__(self, names: list[str], sizes: list[int], read: Callable):
        if not names:
            raise ValueError("decide needs the screening of at least one batch")
        self.names, self.sizes = list(names), list(sizes)
        self._read = read  # (index, columns) -> those columns of that screening, a frame
        self.order = tuple(sorted(range(len(names)), key=lambda i: self.names[i]))

    def read(self, index: int, columns: list[str]) -> pd.DataFrame:
        return self._read(index, columns)

    @classmethod
    def from_frames(cls, frames: list[pd.DataFrame]) -> Screenings:
        names = [_batch_name(frame) for frame in frames]
        for name, frame in zip(names, frames, strict=True):
            check_columns(name or "?", list(frame.columns), SCREENING_COLUMNS)
        return cls(names, [len(frame) for frame in frames], lambda i, columns: frames[i][columns])

    @classmethod
    def from_files(cls, paths: list[str | Path], survey: str) -> Screenings:
        """Screenings written by validate_export (results/screening/{survey}/{batch}.parquet),
        each checked to be the batch its name says (``read_batch``) and a screening."""
        import pyarrow.parquet as pq

        paths = [Path(path) for path in paths]
        names, sizes = [], []
        for path in paths:
            columns = pq.read_schema(path).names
            size = pq.ParquetFile(path).metadata.num_rows
            found = {None}
            if "batch" in columns:
                found = set(pc.unique(pq.read_table(path, columns=["batch"])["batch"]).to_pylist())
            _check_batch_file(path, survey, found, size)
            names.append(path.stem if size else "")
            check_columns(names[-1] or "?", columns, SCREENING_COLUMNS)
            sizes.append(size)
        return cls(names, sizes, lambda i, columns: pd.read_parquet(paths[i], columns=columns))


@dataclass(frozen=True)
class Cleaned:
    """A questionnaire's cleaning, decided from its batches' screenings (``decide``).

    Its rows are numbered in batch-name order, each batch's rows in their own order: ``source``
    says which of the screenings given each row is of, ``position`` which of its rows."""

    screenings: Screenings
    counts: list[RuleCount]  # each rule's count, the columns responsible not yet named
    kept: np.ndarray  # whether the duplicate rule keeps the row
    screened: np.ndarray  # whether its batch's screening found no rule it meets
    dropped: np.ndarray  # the rows the duplicate rule drops, in order,
    dropped_detail: np.ndarray  # and their ledger detail: the row kept instead
    analysed: np.ndarray  # the rows analysed, in response-id order
    sizes: np.ndarray  # each batch's rows, in batch-name order
    reasons: tuple  # each batch's screening reasons as (codes, the reason of each code)

    @property
    def batch_order(self) -> tuple[int, ...]:
        """The screenings given, in batch-name order."""
        return self.screenings.order

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each batch's rows start, in batch-name order, and the number of rows."""
        return _starts(self.sizes)

    @cached_property
    def source(self) -> np.ndarray:
        return np.repeat(np.asarray(self.batch_order, dtype=np.int64), self.sizes)

    @cached_property
    def position(self) -> np.ndarray:
        return np.arange(self.starts[-1], dtype=np.int64) - np.repeat(self.starts[:-1], self.sizes)

    @cached_property
    def rank(self) -> np.ndarray:
        """The place of each row's batch in batch-name order."""
        return np.repeat(np.arange(len(self.sizes), dtype=np.int64), self.sizes)

    @property
    def reason(self) -> pd.Series:
        """Each row's "" (analysed), DUPLICATE or the id of the rule it was excluded under."""
        screening = [values[codes] for codes, values in self.reasons]
        reason = np.where(self.kept, np.concatenate(screening), DUPLICATE)
        return _texts(reason)

    def excluded_by(self, rule_id: str) -> np.ndarray:
        """The rows kept after repeats and recorded under the rule."""
        met = [codes == _code_of(values, rule_id) for codes, values in self.reasons]
        return np.flatnonzero(self.kept & np.concatenate(met))

    @property
    def repeats_screened(self) -> np.ndarray:
        """The rows the duplicate rule drops that pass every other rule (their batches'
        partial results count them; ``likertflow.partials``), in batch-name order."""
        return np.flatnonzero(~self.kept & self.screened)

    def ledger_pieces(self):
        """Each batch's rows of the ledger (``LEDGER_COLUMNS``, sorted by batch and row), in
        batch-name order, one batch read at a time; with the ``batch`` and ``row`` of the
        batch's raw rows and of its rows in the analysed cohort: what ``check_ledger``
        compares."""
        analysed = np.sort(self.analysed)
        for place, index in enumerate(self.batch_order):
            low, high = self.starts[place], self.starts[place + 1]
            part = self.screenings.read(index, ["response_id", "batch", "row", "reason", "detail"])
            kept = self.kept[low:high]
            # A kept row's reason and detail are its screening's; a dropped repeat's, the
            # duplicate rule's. Built as Arrow texts (a million Python strings took longer).
            duplicate = pa.scalar(DUPLICATE, pa.large_string())
            reason = pc.if_else(pa.array(kept), _text_array(part["reason"]), duplicate)
            details = _text_array(part["detail"])
            first, last = np.searchsorted(self.dropped, [low, high])
            if last > first:
                dropped = np.zeros(high - low, dtype=bool)
                dropped[self.dropped[first:last] - low] = True
                replaced = pa.array(self.dropped_detail[first:last], pa.large_string())
                details = pc.replace_with_mask(details, pa.array(dropped), replaced)
            reason = reason.to_pandas()
            analysed_rows = (reason == "").to_numpy(dtype=bool)
            status = pa.DictionaryArray.from_arrays(
                analysed_rows.astype(np.int8), [EXCLUDED, ANALYSED]
            )
            ledger = pd.DataFrame(
                {
                    "response_id": part["response_id"],
                    "batch": part["batch"],
                    "row": part["row"].astype(np.int64),
                    "status": status.cast(pa.large_string()).to_pandas(),
                    "reason": reason,
                    "detail": details.to_pandas(),
                }
            )
            if not _increasing(ledger["batch"], ledger["row"]):  # a million rows take a while
                ledger = ledger.sort_values(["batch", "row"])
            raw = part[["batch", "row"]]
            inside = analysed[np.searchsorted(analysed, low) : np.searchsorted(analysed, high)]
            yield ledger.reset_index(drop=True), raw, raw.take(inside - low)

    @property
    def ledger(self) -> pd.DataFrame:
        """The whole ledger, sorted by batch and row (clean_responses writes it piece by piece,
        ``ledger_pieces``, instead)."""
        ledger = pd.concat([piece for piece, _, _ in self.ledger_pieces()], ignore_index=True)
        if not _increasing(ledger["batch"], ledger["row"]):
            ledger = ledger.sort_values(["batch", "row"])
        return ledger.reset_index(drop=True)


def _starts(sizes: np.ndarray) -> np.ndarray:
    """Where each batch's rows start in the cleaning's numbering (batches of these sizes, in
    batch-name order), and after the last, the number of rows."""
    return np.r_[0, np.cumsum(sizes)].astype(np.int64)


def _code_of(values: np.ndarray, text: str) -> int:
    """The code of a text among ``pd.factorize``'s values; -1 (no code) if it is none."""
    found = np.flatnonzero(pd.Series(values, dtype=object).eq(text).to_numpy(dtype=bool))
    return int(found[0]) if len(found) else -1


def decide(screenings: list[pd.DataFrame] | Screenings, exclusions: list[dict]) -> Cleaned:
    """The duplicate rule across the batches, then each kept row under the first rule its
    screening found: each rule's count and which rows are analysed, from the screenings alone
    (``screen``; any order), read a few columns at a time (``Screenings``): every batch's ids
    and reasons, then the keys the rule ranks of the rows whose id repeats. The ledger follows
    from it (``Cleaned.ledger_pieces``)."""
    if not isinstance(screenings, Screenings):
        screenings = Screenings.from_frames(screenings)
    sizes = np.asarray([screenings.sizes[i] for i in screenings.order], dtype=np.int64)
    starts = _starts(sizes)
    ids, reasons = [], []
    for index in screenings.order:
        part = screenings.read(index, ["response_id", "reason"])
        ids.append(_text_array(part["response_id"]))
        codes, values = pd.factorize(part["reason"], use_na_sentinel=False)
        reasons.append((codes.astype(np.int32), np.asarray(values, dtype=object)))
    ids = pa.concat_arrays(ids)
    # One sort of every id finds the repeated ids and orders the analysed ones.
    by_id = sort_texts(ids)
    repeated = repeated_texts(ids, by_id)
    del ids
    kept, dropped, detail = _keep_repeats(screenings, starts, repeated)
    screened = np.concatenate([codes == _code_of(values, "") for codes, values in reasons])
    tally: dict = {}
    for place, (codes, values) in enumerate(reasons):
        inside = codes[kept[starts[place] : starts[place + 1]]]
        for value, count in zip(values, np.bincount(inside, minlength=len(values)), strict=True):
            tally[value] = tally.get(value, 0) + int(count)
    responses = int(kept.sum())
    counts = [RuleCount(rule["id"], tally.get(rule["id"], 0), responses) for rule in exclusions]
    # Sorted by response_id (distinct among the rows kept): every row's order, kept rows only.
    analysed = by_id[(kept & screened)[by_id]]
    return Cleaned(
        screenings, counts, kept, screened, dropped, detail, analysed, sizes, tuple(reasons)
    )


def _keep_repeats(
    screenings: Screenings, starts: np.ndarray, repeated: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which rows the duplicate rule keeps, and the rows it drops with their detail: the rows
    whose id repeats ranked by their keys (``keep_one``), read from their batches alone."""
    kept = ~repeated
    where = np.flatnonzero(repeated)
    if not len(where):
        return kept, where, np.array([], dtype=object)
    bounds = np.searchsorted(where, starts)
    pieces = []
    for place, index in enumerate(screenings.order):
        inside = where[bounds[place] : bounds[place + 1]] - starts[place]
        if len(inside):
            pieces.append(screenings.read(index, KEY_COLUMNS).take(inside))
    keys = pd.concat(pieces, ignore_index=True)
    won, detail = keep_one(keys, np.ones(len(keys), dtype=bool))
    kept[where[won]] = True
    return kept, where[~won], detail[~won]


def _text_array(texts: pd.Series) -> pa.Array:
    """A text column as one Arrow large-string array."""
    array = pa.array(texts, pa.large_string(), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def sort_texts(texts: pa.Array) -> np.ndarray:
    """The positions of ``texts`` in ascending order, as Arrow's ``array_sort_indices`` gives
    them (bytewise, missing last, equal texts in their order): sorted by their first 8 bytes
    as integers, which decides all but the texts that share them, and those sorted by Arrow.
    Twice as fast as Arrow alone on a million ids that differ early."""
    texts = pa.array(texts, pa.large_string()) if not isinstance(texts, pa.Array) else texts
    if texts.null_count or not len(texts):
        return pc.array_sort_indices(texts, null_placement="at_end").to_numpy()
    texts = texts.cast(pa.large_string())
    _, offsets, data = texts.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64)[texts.offset : texts.offset + len(texts) + 1]
    text_bytes = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    starts, lengths = ends[:-1], np.diff(ends)
    if lengths.min() >= 8:  # ids are mostly longer: their first 8 bytes in one gather
        windows = np.lib.stride_tricks.sliding_window_view(text_bytes, 8)  # a view, no copy
        prefix = windows[starts].view(">u8").ravel().astype(np.uint64)
    else:
        prefix = np.zeros(len(texts), dtype=np.uint64)
    for place in range(8 if lengths.min() < 8 else 0):  # big-endian; a short text pads with 0
        has = np.flatnonzero(lengths > place)
        byte = text_bytes[starts[has] + place].astype(np.uint64)
        prefix[has] |= byte << np.uint64(8 * (7 - place))
    order = np.argsort(prefix, kind="stable")
    ordered = prefix[order]
    same = ordered[1:] == ordered[:-1]
    if same.any():  # texts sharing their first 8 bytes: in their places, ordered by Arrow
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        places = np.flatnonzero(tied)
        rows = order[places]
        order[places] = rows[pc.array_sort_indices(texts.take(pa.array(rows))).to_numpy()]
    return order


def repeated_texts(texts: pa.Array, order: np.ndarray) -> np.ndarray:
    """Whether each text occurs more than once (missing ones the same text), given their sort
    order (``sort_texts``): ``Series.duplicated(keep=False)`` from equal neighbours."""
    ordered = texts.take(pa.array(order))
    missing = ordered.is_null().to_numpy(zero_copy_only=False)
    equal = pc.equal(ordered[1:], ordered[:-1]).fill_null(False).to_numpy(zero_copy_only=False)
    same = equal | (missing[1:] & missing[:-1])
    repeated = np.zeros(len(order), dtype=bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    out = np.empty(len(order), dtype=bool)
    out[order] = repeated
    return out


def take_rows(cleaned: Cleaned, frames: list[pd.DataFrame], rows: np.ndarray) -> pd.DataFrame:
    """The rows ``rows`` (in ``cleaned``'s numbering, in that order) taken from ``frames``, each
    the batch of the screening at its index; its pieces are joined in batch-name order, as
    ``merge_batches`` joins whole batches."""
    source, position = cleaned.source[rows], cleaned.position[rows]
    pieces = [frames[i].take(position[source == i]) for i in cleaned.batch_order]
    return _in_order(cleaned, rows, pieces)


def _in_order(cleaned: Cleaned, rows: np.ndarray, pieces: list[pd.DataFrame]) -> pd.DataFrame:
    """The pieces of ``take_rows`` (each batch's rows asked, batch by batch) joined, in the
    order of ``rows``."""
    joined = pd.concat(pieces, ignore_index=True)
    by_batch = np.argsort(cleaned.rank[rows], kind="stable")
    return joined.take(np.argsort(by_batch, kind="stable")).reset_index(drop=True)


def read_rows(
    cleaned: Cleaned,
    paths: list[str | Path],
    rows: np.ndarray,
    columns: list[str] | None = None,
    every_batch: bool = False,
) -> pd.DataFrame:
    """``take_rows`` of ingested batches read from ``paths`` (the batches of the screenings, in
    the same order), only ``columns`` of each (None: all), and only the batches that hold one
    of the rows (``every_batch``: every batch, as the analysed cohort's column types come from
    all of them). One batch is held whole at a time: memory is set by the largest batch and
    the rows asked."""
    pieces = []
    for index, taken in _batch_takes(cleaned, rows, every_batch):
        path = paths[index]
        frame = pd.read_parquet(path, columns=None if columns is None else ["row", *columns])
        _check_batch_rows(cleaned, index, path, frame["row"].to_numpy())
        frame = frame if columns is None else frame[columns]
        pieces.append(frame.take(taken))
    return _in_order(cleaned, rows, pieces)


def _batch_takes(cleaned: Cleaned, rows: np.ndarray, every_batch: bool):
    """(batch index, positions within it of the ``rows`` it holds) of each batch to read, in
    batch order: those holding one of the rows, or every batch (``every_batch``)."""
    source, position = cleaned.source[rows], cleaned.position[rows]
    # with no row asked, one batch still gives the columns and their types
    wanted = set(source.tolist()) or {cleaned.batch_order[0]}
    for index in cleaned.batch_order:
        if every_batch or index in wanted:
            yield index, position[source == index]


def _check_batch_rows(cleaned: Cleaned, index: int, path, found: np.ndarray) -> None:
    """Refuse an ingested batch whose rows are not those its screening was made from (a batch
    re-ingested since the cleaning's screenings were read)."""
    expected = cleaned.screenings.read(index, ["row"])["row"].to_numpy()
    if len(found) != len(expected) or not np.array_equal(found, expected):
        raise InputError(
            f"{path} is not the batch its screening was made from; delete results/ingest/ "
            "and rerun",
            [Problem(str(path), f"rows {_span(expected)}", column="row", value=_span(found))],
        )


def read_table_rows(
    cleaned: Cleaned,
    paths: list[str | Path],
    rows: np.ndarray,
    columns: list[str] | None,
    every_batch: bool = True,
) -> pa.Table | None:
    """``read_rows`` as an Arrow table, without pandas: each batch's ``columns`` (None: all)
    read by Arrow, its rows taken, the pieces joined and put in the order of ``rows``; None if
    the batches' columns are not of one type each (``read_rows`` then joins them as pandas
    does). A million rows are read and taken several times faster so."""
    pieces = read_table_pieces(cleaned, paths, rows, columns, every_batch)
    return None if pieces is None else pieces[0].take(pa.array(pieces[1]))


def read_table_pieces(
    cleaned: Cleaned,
    paths: list[str | Path],
    rows: np.ndarray,
    columns: list[str] | None,
    every_batch: bool = True,
) -> tuple[pa.Table, np.ndarray] | None:
    """``read_table_rows`` before its last step: the batches' pieces joined in batch order (not
    copied), and the order of ``rows`` as positions in it; ``write_rows`` takes the rows a row
    group at a time, so that the cohort is never held twice."""
    import pyarrow.parquet as pq

    pieces = []
    for index, taken in _batch_takes(cleaned, rows, every_batch):
        path = paths[index]
        table = pq.read_table(path, columns=None if columns is None else ["row", *columns])
        _check_batch_rows(cleaned, index, path, table.column("row").to_numpy())
        table = table if columns is None else table.select(columns)
        pieces.append(table.take(pa.array(taken)))
    if any(not piece.schema.equals(pieces[0].schema) for piece in pieces[1:]):
        return None
    joined = pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]
    by_batch = np.argsort(cleaned.rank[rows], kind="stable")
    return joined, np.argsort(by_batch, kind="stable")


# pyarrow's row group (``pq.write_table``'s default): rows written a group at a time make the
# file one write of them all makes
ROW_GROUP = 1024 * 1024


def write_rows(table: pa.Table, path: str | Path, order: np.ndarray | None = None) -> None:
    """Write rows read by ``read_table_rows`` (or those of ``read_table_pieces``: ``table``'s
    rows in ``order``, taken a row group at a time) as ``to_parquet(path, index=False)``
    writes them as a pandas frame (the same schema, its pandas metadata included, and the same
    bytes), but without converting a million rows to pandas and back. Columns of no fixed type
    (object: pandas infers their type from the values) go through pandas."""
    import pyarrow.parquet as pq

    def rows(start: int = 0, stop: int | None = None) -> pa.Table:
        if order is None:
            return table.slice(start, None if stop is None else stop - start)
        return table.take(pa.array(order[start:stop]))

    empty = table.slice(0, 0).to_pandas()
    schema = pa.Schema.from_pandas(empty, preserve_index=False)
    typed = not any(isinstance(dtype, np.dtype) and dtype.kind == "O" for dtype in empty.dtypes)
    same = table.replace_schema_metadata(schema.metadata).schema.equals(schema, check_metadata=True)
    if not typed or not same:
        rows().to_pandas().to_parquet(path, engine="pyarrow", index=False)
        return
    count = table.num_rows if order is None else len(order)
    if count <= ROW_GROUP:
        pq.write_table(rows().combine_chunks().replace_schema_metadata(schema.metadata), path)
        return
    with pq.ParquetWriter(path, schema, compression="snappy") as writer:
        for start in range(0, count, ROW_GROUP):
            group = rows(start, start + ROW_GROUP).combine_chunks()
            writer.write_table(group.replace_schema_metadata(schema.metadata))


def _span(rows: np.ndarray) -> str:
    return f"{len(rows)} rows" + (f", {rows[0]} to {rows[-1]}" if len(rows) else "")


def clean(
    batches: list[pd.DataFrame], questionnaire: Questionnaire, exclusions: list[dict]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(analysed cohort sorted by response_id, ledger sorted by batch and row)."""
    analysed, ledger, _ = clean_and_count(batches, questionnaire, exclusions)
    return analysed, ledger


def clean_and_count(
    batches: list[pd.DataFrame], questionnaire: Questionnaire, exclusions: list[dict]
) -> tuple[pd.DataFrame, pd.DataFrame, list[RuleCount]]:
    """``clean``'s analysed cohort and ledger, and how many responses each rule excluded: the
    batches screened and decided as the workflow does them (``screen``, ``decide``), in
    memory."""
    responses = merge_batches(batches, questionnaire)
    cleaned = decide([screen(responses, questionnaire, exclusions)], exclusions)
    analysed = take_rows(cleaned, [responses], cleaned.analysed)
    counts = [
        name_columns(count, rule, take_rows(cleaned, [responses], np.flatnonzero(
            cleaned.reason == rule["id"])), questionnaire)
        for count, rule in zip(cleaned.counts, exclusions, strict=True)
    ]  # fmt: skip
    return analysed, cleaned.ledger, counts


def _texts(values: np.ndarray) -> pd.Series:
    """Python strings as a ``str`` Series, through Arrow: faster than pandas' own conversion."""
    return pa.array(values, pa.large_string(), from_pandas=True).to_pandas()


def _increasing(batch: pd.Series, row: pd.Series) -> bool:
    """Whether (batch, row) strictly increase down the rows: sorting by them changes nothing."""

    if len(batch) < 2:
        return True
    if batch.isna().any():
        return False
    names = pa.array(batch)  # an Array or, from Arrow storage, a ChunkedArray
    earlier, later = names[:-1], names[1:]
    rows = row.to_numpy()
    after = pc.greater(later, earlier).to_numpy(zero_copy_only=False)
    same = pc.equal(later, earlier).to_numpy(zero_copy_only=False)
    return bool(np.all(after | (same & (rows[1:] > rows[:-1]))))


def check_ledger(ledger: pd.DataFrame, raw: pd.DataFrame, analysed: pd.DataFrame) -> None:
    """Raise ``LedgerError`` unless raw rows = analysed + excluded, each raw row once.

    ``raw``: the ``batch`` and ``row`` of every row of every ingested batch.
    """
    ledger_keys, raw_keys, cohort_keys = _row_keys(ledger, raw, analysed)
    if _accounted(ledger, ledger_keys, raw_keys, cohort_keys):
        return
    problems = []
    if len(ledger) != len(raw):
        problems.append(f"{len(raw)} raw rows but {len(ledger)} ledger rows")
    repeated = pd.Series(ledger_keys).duplicated(keep=False).to_numpy()
    if repeated.any():
        problems.append(
            f"{int(repeated.sum())} ledger rows share a (batch, row): {_some(ledger[repeated])}"
        )
    missing = ~np.isin(raw_keys, ledger_keys)
    if missing.any():
        rows = _in_key_order(raw, raw_keys, missing)
        problems.append(f"{len(rows)} raw rows missing from the ledger: {_some(rows)}")
    unknown = ~np.isin(ledger_keys, raw_keys) & ~pd.Series(ledger_keys).duplicated().to_numpy()
    if unknown.any():
        rows = _in_key_order(ledger, ledger_keys, unknown)
        problems.append(f"{len(rows)} ledger rows that are no raw row: {_some(rows)}")
    status = ledger["status"]
    is_analysed = (status == ANALYSED).to_numpy(dtype=bool, na_value=False)
    n_analysed, n_excluded = int(is_analysed.sum()), int((status == EXCLUDED).sum())
    if n_analysed + n_excluded != len(ledger):
        problems.append(f"{len(ledger) - n_analysed - n_excluded} ledger rows with another status")
    if len(analysed) != n_analysed:
        problems.append(
            f"{n_analysed} rows analysed in the ledger but {len(analysed)} in the cohort"
        )
    elif not np.isin(cohort_keys, ledger_keys[is_analysed]).all():
        problems.append("the cohort holds rows the ledger does not mark analysed")
    if problems:
        raise LedgerError(
            "ledger invariant broken (raw rows = analysed + excluded, each raw row once): "
            + "; ".join(problems)
        )


def _accounted(
    ledger: pd.DataFrame, ledger_keys: np.ndarray, raw_keys: np.ndarray, cohort_keys: np.ndarray
) -> bool:
    """``check_ledger``'s invariant, by a cheaper route that holds it for a ledger sorted by
    batch and row, as ``decide`` writes it (False: not shown so; the full check then names
    what is wrong, if anything): its (batch, row) keys strictly increase, so none repeats, and
    equal the raw rows' sorted, so each raw row is there once (no set membership, no hashing);
    every status is analysed or excluded; and the cohort's rows are as many as those analysed,
    each found among them."""
    increasing = bool(np.all(ledger_keys[1:] > ledger_keys[:-1]))
    if not increasing or len(ledger_keys) != len(raw_keys):
        return False
    if not np.all(raw_keys[1:] > raw_keys[:-1]):
        raw_keys = np.sort(raw_keys)
    if not np.array_equal(ledger_keys, raw_keys):
        return False
    status = ledger["status"]
    is_analysed = (status == ANALYSED).to_numpy(dtype=bool, na_value=False)
    is_excluded = (status == EXCLUDED).to_numpy(dtype=bool, na_value=False)
    if not np.all(is_analysed | is_excluded) or int(is_analysed.sum()) != len(cohort_keys):
        return False
    return bool(np.isin(cohort_keys, ledger_keys[is_analysed]).all())


def _row_keys(*frames: pd.DataFrame) -> list[np.ndarray]:
    """One integer per (batch, row) of each frame, equal for equal pairs and ordered as the
    pairs are (batch names as text, then row numbers): comparing a million rows as integers
    instead of merging frames on two columns."""
    runs = [_runs(_text_array(frame["batch"])) for frame in frames]
    names = set().union(*(pc.unique(values.drop_null()).to_pylist() for _, values in runs))
    index = pa.array(sorted(names), pa.large_string())
    batches = [  # 0: missing
        np.repeat(
            pc.index_in(values, value_set=index).fill_null(-1).to_numpy().astype(np.int64) + 1,
            lengths,
        )
        for lengths, values in runs
    ]
    rows = [frame["row"].to_numpy() for frame in frames]
    together = np.concatenate(rows) if rows else np.array([], dtype=np.int64)
    if together.dtype.kind in "iu" and len(together):
        low, high = int(together.min()), int(together.max())
        span = high - low + 1
        if (len(index) + 1) * span < 2**62:
            pairs = zip(batches, rows, strict=True)
            return [b * span + (r.astype(np.int64) - low) for b, r in pairs]
    # Rows that are no integers, or numbers too far apart: rank them first.
    values, ranks = np.unique(together, return_inverse=True)
    ends = np.cumsum([len(r) for r in rows])[:-1]
    return [b * len(values) + r for b, r in zip(batches, np.split(ranks, ends), strict=True)]


def _runs(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """The lengths of the runs of equal texts (a missing one a run of its own) and each run's
    text: a ledger's batch names, a million texts, are a few runs."""
    if len(texts) < 2:
        return np.ones(len(texts), dtype=np.int64), texts
    change = pc.not_equal(texts[1:], texts[:-1]).fill_null(True).to_numpy(zero_copy_only=False)
    starts = np.r_[0, np.flatnonzero(change) + 1]
    return np.diff(np.r_[starts, len(texts)]), texts.take(pa.array(starts))


def _in_key_order(frame: pd.DataFrame, keys: np.ndarray, chosen: np.ndarray) -> pd.DataFrame:
    """The chosen rows of a frame, in the order of their (batch, row)."""
    positions = np.flatnonzero(chosen)
    return frame.iloc[positions[np.argsort(keys[positions], kind="stable")]]


def _some(rows: pd.DataFrame, limit: int = 5) -> str:
    first = rows.head(limit)
    shown = ", ".join(first["batch"] + " row " + first["row"].astype("str"))
    return shown + (" ..." if len(rows) > limit else "")
