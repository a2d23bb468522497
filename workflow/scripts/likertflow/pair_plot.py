"""The figure of before-and-after pairs: per pair and statement, the matched people's answers
before and after as two 100% stacked bars, so that the shift shows at a glance. Drawn from the
published before-by-after tables (results/tables/paired_tables.csv) alone: a hidden cell (``*``)
is left out of both bars, and the figure says so."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from likertflow.codebook import Questionnaire
from likertflow.disclosure import SUPPRESSED
from likertflow.plotting import (
    STANDARD,
    FigureSize,
    diverging_palette,
    line_count,
    new_figure,
    wrap,
)

# Font sizes (points) at the standard size: ticks, axis label and title as the house style
# draws them, the legend matplotlib's "small" of 10 pt.
TICKS, AXIS_LABEL, TITLE, LEGEND = 9, 10, 10, 10 / 1.2
# inches a line of a wording and of the title take (1.3 font sizes: DejaVu Sans' line spacing)
WORDING_LINE, TITLE_LINE = 1.3 * TICKS / 72, 1.3 * TITLE / 72


def pair_margins(tables: pd.DataFrame, labels: list[str]) -> tuple[np.ndarray, np.ndarray, bool]:
    """One statement's before and after distributions (shares, in ``labels``' order) from its
    published before-by-after cells, and whether a hidden cell was left out."""
    hidden = bool((tables["n"].astype("str") == SUPPRESSED).any())
    n = pd.to_numeric(tables["n"], errors="coerce")  # NaN where hidden: sum() skips it
    before = np.array([n[tables["before"] == label].sum() for label in labels])
    after = np.array([n[tables["after"] == label].sum() for label in labels])
    total = before.sum()
    if not total:
        return before, after, hidden
    return before / total, after / total, hidden


def _legend_fit(handles, labels: list[str], width: float, size: float):
    """Columns (three at most) and labels of a legend no wider than ``width`` inches at ``size``
    points, and its height in inches, measured in a scratch figure."""
    scratch = new_figure(width, 1.0)

    def measure(labels, columns):
        box = scratch.legend(handles, labels, ncols=columns, fontsize=size).get_window_extent()
        return box.width / scratch.dpi, box.height / scratch.dpi

    for columns in range(min(len(labels), 3), 1, -1):
        measured = measure(labels, columns)
        if measured[0] <= width:
            return columns, labels, measured[1]
    # one column, the answers wrapped where they are wider than the figure
    labels = [wrap(label, width - 3.5 * size / 72, size) for label in labels]
    return 1, labels, measure(labels, 1)[1]


def plot_pair_shift(
    tables: pd.DataFrame,
    questionnaires: dict[str, Questionnaire],
    pairs: dict[str, dict],
    size: FigureSize = STANDARD,
) -> Figure:
    """Two bars per statement of every pair (before above after), each answer a segment of the
    scale's diverging colours, low end left; a legend of the answers below. At a journal
    column's width, text is drawn at its print size and wrapped to the room it has."""
    s = size.scale
    width = 7.0 if size.standard else size.width
    rows = []  # (label, shares)
    notes = []
    scale_labels: list[str] = []
    for name, spec in pairs.items():
        before = questionnaires[spec["before"]]
        for statement, part in tables[tables["pair"] == name].groupby("statement", sort=False):
            question = before.question(statement)
            scale_labels = [question.answers.label_of[c] for c in question.answers.scale_codes]
            b, a, hidden = pair_margins(part, scale_labels)
            words = question.text if len(pairs) == 1 else f"{name}: {question.text}"
            text = wrap(words, 0.36 * width, TICKS * s)
            rows.append((f"{text}\nbefore", b))
            rows.append(("after", a))
            if hidden:
                notes.append(f"{question.text}: hidden counts (*) left out")
    title = "Answers of the same people before and after"
    title = "\n".join(
        wrap(line, width - 0.2 * s, TITLE * s)
        for line in [title, *(["; ".join(notes)] * bool(notes))]
    )
    colours = diverging_palette(max(len(scale_labels), 2))
    handles = [Patch(color=c) for c in colours[: len(scale_labels)]]
    columns, legend_labels, legend_height = _legend_fit(
        handles, scale_labels, width - 0.2 * s, LEGEND * s
    )
    # inches: the ticks, axis label and legend below; the title above, two lines or more
    bottom = 0.8 * s + legend_height
    top = (0.7 + max(line_count(title) - 2, 0) * TITLE_LINE) * s
    # a bar's row: 0.4 inch, or room for its wording's lines beside the next bar's "after"
    lines = max((line_count(label) for label, _ in rows), default=1)
    row = max(0.4, 0.6 * (lines + 1) * WORDING_LINE) * s
    height = bottom + top + row * len(rows)
    figure = new_figure(width, height)
    axes = figure.add_axes((0.4, bottom / height, 0.56, 1 - (bottom + top) / height))
    y = np.arange(len(rows))[::-1] + np.repeat(np.arange(len(rows) // 2)[::-1], 2) * 0.4
    for position, (_, shares) in zip(y, rows, strict=True):
        left = 0.0
        for share, colour in zip(shares, colours, strict=False):
            axes.barh(position, 100 * share, left=100 * left, color=colour, edgecolor="white",
                      linewidth=0.5)  # fmt: skip
            left += share
    axes.set_yticks(y, [label for label, _ in rows])
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of matched people", size=AXIS_LABEL * s)
    axes.tick_params(labelsize=TICKS * s)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(handles, legend_labels, loc="lower center", ncols=columns, fontsize=LEGEND * s)
    figure.suptitle(title, fontsize=TITLE * s)
    return figure
