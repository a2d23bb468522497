"""Group comparisons of ordinal outcomes: one comparison's tests, group summaries and pairs.

The concepts live in their own modules: who is in which group (``grouping``), rank statistics
on count tables (``rank_stats``), the bootstrap (``resampling``), the registry of tests
(``rank_tests``), Dunn's pairs (``dunn``), and p adjustment with the post-hoc gate
(``multiplicity``). This module runs them for every outcome of a comparison: per outcome, groups
without a value are dropped, the comparison's test runs, and a warning names groups smaller than
``analysis.min_group_size``.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from likertflow.codebook import Questionnaire
from likertflow.files import read_csv
from likertflow.grouping import (
    COUNT,
    GROUP,
    VALUE,
    comparison_data,
    group_labels,
    outcome_cells,
)
from likertflow.rank_stats import counts_and_values, group_medians, rank_sums
from likertflow.rank_tests import Sample, select_test
from likertflow.settings import Comparison, ComparisonSettings

log = logging.getLogger(__name__)

TEST_COLUMNS = [
    "comparison", "outcome", "test", "n", "statistic", "p", "p_adjusted", "method",
    "effect_size_name", "effect_size", "effect_ci_low", "effect_ci_high",
    "family", "adjust_method", "group_order", "highest_mean_rank", "df", "effect_ci_method",
    "warning", "empty_groups", "log10_p",
]  # fmt: skip
GROUP_COLUMNS = ["comparison", "outcome", "group", "n", "mean_rank", "median", "group_position"]
POSTHOC_COLUMNS = [
    "comparison", "outcome", "group_a", "group_b", "z", "p", "p_adjusted",
    "n_a", "n_b", "mean_rank_a", "mean_rank_b", "adjust_method", "method",
    "log10_p", "log10_p_adjusted",
]  # fmt: skip


def read_comparison_tables(paths, what: str) -> pd.DataFrame:
    """The comparisons' ``what`` tables (tests, groups, posthoc: results/compare/) as one; with
    no comparisons configured, an empty table with their columns, so that the tables are still
    written."""
    if paths:
        return pd.concat([read_csv(path) for path in paths], ignore_index=True)
    columns = {"tests": TEST_COLUMNS, "groups": GROUP_COLUMNS, "posthoc": POSTHOC_COLUMNS}
    return pd.DataFrame(columns=columns[what])


def compare_outcome(
    values: np.ndarray,
    groups: np.ndarray,
    labels: list[str],
    settings: ComparisonSettings,
    test: str,
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Test one outcome across groups with ``test`` (a name of the registry, or ``auto``):
    (test row, group rows, post-hoc pair rows)."""
    present = ~np.isnan(values)
    table, distinct = counts_and_values(values[present], np.asarray(groups)[present], len(labels))
    return compare_table(table, distinct, labels, settings, test)


def compare_cells(
    cells: pd.DataFrame, labels: list[str], settings: ComparisonSettings, test: str
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """``compare_outcome`` from one outcome's counted cells (``group``, ``value``, ``n``: as
    ``grouping.comparison_cells`` counts them, combined over batches): the same table, so the
    same numbers."""
    present = cells[cells[VALUE].notna() & (cells[COUNT] > 0)]
    distinct, columns = np.unique(present[VALUE].to_numpy("float64"), return_inverse=True)
    table = np.zeros((len(labels), len(distinct)), dtype="int64")
    np.add.at(table, (present[GROUP].to_numpy("int64"), columns), present[COUNT].to_numpy())
    return compare_table(table, distinct, labels, settings, test)


def compare_table(
    table: np.ndarray,
    distinct: np.ndarray,
    labels: list[str],
    settings: ComparisonSettings,
    test: str,
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """``compare_outcome`` from the (groups x distinct values) count table of the respondents
    with a value, ``distinct`` its columns' values (increasing)."""
    sizes_all = table.sum(axis=1)
    kept = np.flatnonzero(sizes_all)
    empty = [labels[position] for position in np.flatnonzero(sizes_all == 0)]
    if len(kept) < len(labels):  # the groups that have values
        labels = [labels[k] for k in kept]
        table = table[kept]
    sizes = sizes_all[kept]

    mean_ranks = rank_sums(table)[0] / sizes  # exact: sums of midranks are half-integers
    medians = group_medians(table, distinct)
    group_rows = pd.DataFrame(
        {"group": labels, "n": sizes, "mean_rank": mean_ranks, "median": medians,
         "group_position": np.arange(1, len(labels) + 1)}
    )  # fmt: skip

    minimum = settings.min_group_size
    small = [f"{label} (n={n})" for label, n in zip(labels, sizes, strict=True) if n < minimum]
    warning = f"groups smaller than {minimum}: {', '.join(small)}" if small else ""
    row = {
        "n": int(sizes.sum()),
        "group_order": "; ".join(labels),
        "highest_mean_rank": _highest(labels, mean_ranks),
        "warning": warning,
        "empty_groups": "; ".join(empty),
    }
    untestable = (
        "fewer than 2 groups" if len(labels) < 2
        else "all values equal" if table.shape[1] < 2
        else ""
    )  # fmt: skip
    if untestable:
        row.update(test="none", warning="; ".join(filter(None, [warning, untestable])))
        return row, group_rows, pd.DataFrame(columns=POSTHOC_COLUMNS[2:])

    sample = Sample(labels, table, distinct, sizes, mean_ranks)
    chosen = select_test(len(labels), test)
    result = chosen.run(sample, settings)
    posthoc = result.pop("posthoc", None)
    row.update(test=chosen.title, **result)
    if posthoc is None:
        posthoc = pd.DataFrame(columns=POSTHOC_COLUMNS[2:])
    return row, group_rows, posthoc


def _highest(labels: list[str], mean_ranks: np.ndarray) -> str:
    """The group with the highest mean rank, or "" when none is strictly highest."""
    if not labels or np.sum(mean_ranks == mean_ranks.max()) > 1:
        return ""
    return labels[int(np.argmax(mean_ranks))]


def run_comparison(
    name: str,
    spec: Comparison,
    frames: dict[str, pd.DataFrame],
    questionnaires: dict[str, Questionnaire],
    settings: ComparisonSettings,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tests, group summaries and post-hoc pairs of every outcome of one comparison, from the
    respondents' rows."""
    data, labels = comparison_data(frames, questionnaires, spec)
    results = {
        outcome: compare_outcome(
            data[outcome].to_numpy(), data[GROUP].to_numpy(), labels, settings, spec.test
        )
        for outcome in spec.outcomes
    }
    return _tables(name, spec, results)


def run_comparison_from_cells(
    name: str,
    spec: Comparison,
    cells: pd.DataFrame,
    questionnaires: dict[str, Questionnaire],
    settings: ComparisonSettings,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``run_comparison`` from the counted cells of its questionnaires
    (``grouping.comparison_cells``, combined over batches, its questionnaires' cells
    concatenated) and its questionnaires (banded as its groups are): the same tables."""
    labels = group_labels(questionnaires, spec)
    results = {
        outcome: compare_cells(outcome_cells(cells, name, outcome), labels, settings, spec.test)
        for outcome in spec.outcomes
    }
    return _tables(name, spec, results)


def _tables(
    name: str, spec: Comparison, results: dict[str, tuple[dict, pd.DataFrame, pd.DataFrame]]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    tests, groups, posthocs = [], [], []
    for outcome, (row, group_rows, posthoc) in results.items():
        if row["warning"]:
            log.warning("%s, %s: %s", name, outcome, row["warning"])
        if row["empty_groups"]:
            log.info(
                "%s, %s: groups without values left out: %s", name, outcome, row["empty_groups"]
            )
        tests.append({"comparison": name, "outcome": outcome, "family": spec.family, **row})
        groups.append(group_rows.assign(comparison=name, outcome=outcome))
        posthocs.append(posthoc.assign(comparison=name, outcome=outcome))
    return (
        pd.DataFrame(tests).reindex(columns=TEST_COLUMNS).astype({"n": "int64"}),
        pd.concat(groups, ignore_index=True)[GROUP_COLUMNS],
        pd.concat(posthocs, ignore_index=True)[POSTHOC_COLUMNS],
    )
