"""Partial results that add up (issue 22): cells of integers computed once per export batch.

Each export batch, once validated, yields its partial results once: for every registered kind
(``KINDS``), the cells of its rows that pass the row-wise exclusion rules (those its screening
records no rule for; ``likertflow.cleaning.screen``). The cross-batch duplicate rule then drops
some rows of earlier batches, and only those rows' cells are subtracted (``combine``). The
values of a cell are integers (counts, sums of integer codes and of their products), so the sums
are exact in any order: the combined partials are the partials of the analysed cohort computed
in one pass, cell for cell, in any arrival order, with a batch replaced or withdrawn.
In the workflow: ``summarise_batch`` writes a batch's cells (``screened_rows``, ``compute_all``),
``clean_responses`` the rows the duplicate rule drops that pass every other rule
(``Cleaned.repeats_screened``), and ``describe_cohorts`` each questionnaire's combined cells
(``combined_cells``), which every step after the cleaning reads instead of the cohort's rows.

A kind is a name, the key columns of its cells, their int64 value columns and ``compute(rows,
questionnaire, definition)``: the cells of the rows given (any rows, so that a batch's cells
and the dropped rows' cells come from the same function). Its cells must add up row by row:
the cells of two sets of rows are the sums of each set's cells. ``definition`` holds the config
settings the kinds read (``likertflow.outputs.PARTIAL_KINDS``, which names each kind for the
rules at parse time; the rule's params, so that editing another setting reruns no batch).

Registered here: ``answer_counts`` (each coded question: the respondents asked it by answer
code, blanks counted; ``likertflow.tables.answer_counts``), everything a descriptive table
prints; ``number_counts`` (each numeric question: the respondents asked it by the value they
gave), from which a banded question's counts follow (``likertflow.tables.band_counts``). At
the end of this module, each from its own module: ``reliability_pairs`` and
``reliability_moments`` (``likertflow.reliability``), ``agreement_patterns``
(``likertflow.agreement``), ``comparison_cells`` and ``model_cells`` (``likertflow.grouping``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from likertflow import agreement, reliability
from likertflow.codebook import Questionnaire
from likertflow.errors import InputError, Problem
from likertflow.grouping import COMPARISON_KEYS, COUNT, comparison_cells, model_cells
from likertflow.outputs import PARTIAL_KINDS
from likertflow.tables import answer_counts, number_counts

# compute(rows, questionnaire, definition) -> the cells of ``rows``
Compute = Callable[[pd.DataFrame, Questionnaire, dict], pd.DataFrame]


class PartialsError(ValueError):
    """Partials that cannot be those of any rows: more subtracted than was added, a cell of
    another kind. A bug (or files of another run mixed in), never bad input."""


@dataclass(frozen=True)
class Kind:
    """One kind of partial result: its cells are keyed by ``keys`` and hold int64 ``values``.
    ``keys`` None: every column of the cells but the values, in their order (keys that depend
    on the definition, as one per covariate of the configured comparisons); the parts combined
    must then have the same columns.

    ``signed``: the value columns that may come to less than zero (sums of signed numbers);
    every other value column is a count, and a negative count is refused. The config keys
    ``compute`` reads from its ``definition`` are declared with its name in
    ``likertflow.outputs.PARTIAL_KINDS``."""

    name: str
    keys: tuple[str, ...] | None
    values: tuple[str, ...]
    compute: Compute
    signed: tuple[str, ...] = ()

    def __post_init__(self):
        if set(self.keys or ()) & set(self.values) or not set(self.signed) <= set(self.values):
            raise ValueError(f"partial kind {self.name!r}: keys, values and signed disagree")

    def key_columns(self, cells: pd.DataFrame) -> list[str]:
        if self.keys is not None:
            return list(self.keys)
        return [column for column in cells.columns if column not in self.values]

    def cells(self, rows: pd.DataFrame, questionnaire: Questionnaire, definition: dict):
        """``compute``'s cells of ``rows``, checked to be this kind's columns with int64
        values."""
        return self.check(self.compute(rows, questionnaire, definition))

    def check(self, cells: pd.DataFrame) -> pd.DataFrame:
        """``cells`` if they have this kind's columns, in order, and int64 values."""
        found = list(cells.columns)
        expected = [*self.key_columns(cells), *self.values]
        wrong = [c for c in self.values if c in cells and cells[c].dtype != np.int64]
        if found != expected or wrong:
            raise PartialsError(
                f"partial kind {self.name!r}: cells with columns {found} (values not int64: "
                f"{wrong}), expected {expected} with int64 values"
            )
        return cells


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to ``KINDS`` (a name registered twice is refused: one home for each; a name
    ``likertflow.outputs.PARTIAL_KINDS`` does not declare too: no rule would write it)."""
    if kind.name in KINDS:
        raise ValueError(f"partial kind {kind.name!r} is registered already")
    if kind.name not in PARTIAL_KINDS:
        raise ValueError(f"partial kind {kind.name!r} is not declared in outputs.PARTIAL_KINDS")
    KINDS[kind.name] = kind
    return kind


def combine(
    kind: Kind | str, parts: Sequence[pd.DataFrame], minus: Iterable[pd.DataFrame] = ()
) -> pd.DataFrame:
    """The sum of the cells of ``parts`` less those of ``minus``: grouped by the kind's keys
    (missing keys a key of their own), sorted by them, without the cells whose values all come
    to zero; int64 sums, so the same cells in any order of the parts. A count below zero is
    refused (``PartialsError``): ``minus`` holds cells that ``parts`` did not.

    ``parts``: at least one (its columns' types are the result's when every part is empty).
    """
    kind = KINDS[kind] if isinstance(kind, str) else kind
    if not parts:
        raise ValueError(f"combine needs the cells of at least one part of {kind.name!r}")
    parts = [kind.check(part) for part in parts]
    less = [kind.check(part) for part in minus]
    keys = kind.key_columns(parts[0])
    if any(list(part.columns) != list(parts[0].columns) for part in [*parts, *less]):
        raise PartialsError(f"partial kind {kind.name!r}: parts with different columns")
    negated = [part.assign(**{c: -part[c] for c in kind.values}) for part in less]
    frames = [frame for frame in [*parts, *negated] if len(frame)]
    if not frames:  # every part empty
        return parts[0].reset_index(drop=True)
    # groupby sorts its keys (the cells' order) and ignores the parts' row labels
    total = (
        pd.concat(frames)
        .groupby(keys, dropna=False)[list(kind.values)]
        .sum()
        .reset_index()
    )
    counts = [c for c in kind.values if c not in kind.signed]
    if (total[counts] < 0).to_numpy().any():
        raise PartialsError(f"partial kind {kind.name!r}: subtracted more than the partials hold")
    nonzero = (total[list(kind.values)] != 0).to_numpy().any(axis=1)
    return total[nonzero][[*keys, *kind.values]].reset_index(drop=True)


def compute_all(
    rows: pd.DataFrame, questionnaire: Questionnaire, definition: dict
) -> dict[str, pd.DataFrame]:
    """Every registered kind's cells of ``rows``, by kind name."""
    return {name: kind.cells(rows, questionnaire, definition) for name, kind in KINDS.items()}


def kind_of(path: str | Path) -> str:
    """The kind of a partial results file: ``{batch}.{kind}.parquet``, ``{survey}.{kind}...``."""
    return Path(path).name.removesuffix(".parquet").rsplit(".", 1)[-1]


def screened_rows(coded: pd.DataFrame, screening: pd.DataFrame, name: str) -> pd.DataFrame:
    """The rows of an ingested batch that pass the row-wise exclusion rules: those its
    screening (``likertflow.cleaning.screen``, one row per row of the batch, in order) records
    no rule for. ``InputError`` if the screening is not the batch's (``name``: the batch)."""
    if not np.array_equal(coded["row"].to_numpy(), screening["row"].to_numpy()):
        raise InputError(
            f"{name}: its screening is not of its rows; delete results/ingest/ and "
            "results/screening/ and rerun",
            [Problem(name, f"{len(coded)} rows as in the batch", column="row",
                     value=f"{len(screening)} rows")],
        )  # fmt: skip
    passed = (screening["reason"] == "").to_numpy(dtype=bool)
    return coded[passed].reset_index(drop=True)


def combined_cells(
    batches: dict[str, list[pd.DataFrame]], dropped: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """Each kind's cells of the analysed cohort: its batches' cells (``batches``: by kind, in
    any order) less those of the rows the duplicate rule drops that pass every other rule
    (``dropped``: by kind, ``compute_all`` of those rows)."""
    if set(batches) != set(KINDS) or set(dropped) != set(KINDS):
        raise PartialsError(
            f"partial results of kinds {sorted(batches)} and {sorted(dropped)}, expected "
            f"{sorted(KINDS)}: delete results/partials/ and rerun"
        )
    return {name: combine(name, batches[name], [dropped[name]]) for name in KINDS}


def _answer_counts(rows: pd.DataFrame, questionnaire: Questionnaire, definition: dict):
    coded = [q.id for q in questionnaire.questions if not q.numeric]
    return answer_counts(rows, questionnaire, coded)


def _number_counts(rows: pd.DataFrame, questionnaire: Questionnaire, definition: dict):
    numeric = [q.id for q in questionnaire.questions if q.numeric]
    return number_counts(rows, questionnaire, numeric)


register(Kind("answer_counts", ("question_id", "code"), ("n",), _answer_counts))
register(Kind("number_counts", ("question_id", "value"), ("n",), _number_counts))
# partstats: reliability (Spearman's pair tables; alpha's, item-rest r's and inter-item r's
# moment sums, which are signed with signed codes) and percent agreement (answer patterns)
register(Kind("reliability_pairs", (*reliability.PAIR_KEYS,), (*reliability.PAIR_VALUES,),
              reliability.pair_cells))  # fmt: skip
register(Kind("reliability_moments", (*reliability.MOMENT_KEYS,), (*reliability.MOMENT_VALUES,),
              reliability.moment_cells, signed=("sum_a", "sum_b", "sum_ab")))  # fmt: skip
register(Kind("agreement_patterns", (*agreement.PATTERN_KEYS,), (*agreement.PATTERN_VALUES,),
              agreement.pattern_cells))  # fmt: skip
# the comparisons' rank tests (group x outcome value) and the ordinal models (outcome value x
# group x covariates; keyed by the configured covariates, so by every column but n)
register(Kind("comparison_cells", tuple(COMPARISON_KEYS), (COUNT,), comparison_cells))
register(Kind("model_cells", None, (COUNT,), model_cells))
