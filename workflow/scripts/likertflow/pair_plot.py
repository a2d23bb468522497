"""The figure of before-and-after pairs: per pair and statement, the matched people's answers
before and after as two 100% stacked bars, so that the shift shows at a glance. Drawn from the
published before-by-after tables (results/tables/paired_tables.csv) alone: a hidden cell (``*``)
is left out of both bars, and the figure says so."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from likertflow.codebook import Questionnaire
from likertflow.disclosure import SUPPRESSED
from likertflow.plotting import STANDARD, FigureSize, diverging_palette, new_figure, wrap


def pair_margins(tables: pd.DataFrame, labels: list[str]) -> tuple[np.ndarray, np.ndarray, bool]:
    """One statement's before and after distributions (shares, in ``labels``' order) from its
    published before-by-after cells, and whether a hidden cell was left out."""
    hidden = bool((tables["n"].astype("str") == SUPPRESSED).any())
    n = pd.to_numeric(tables["n"], errors="coerce").fillna(0.0)
    before = np.array([n[tables["before"] == label].sum() for label in labels])
    after = np.array([n[tables["after"] == label].sum() for label in labels])
    total = before.sum()
    if not total:
        return before, after, hidden
    return before / total, after / total, hidden


def plot_pair_shift(
    tables: pd.DataFrame,
    questionnaires: dict[str, Questionnaire],
    pairs: dict[str, dict],
    size: FigureSize = STANDARD,
) -> Figure:
    """Two bars per statement of every pair (before above after), each answer a segment of the
    scale's diverging colours, low end left; a legend of the answers below."""
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
            text = wrap(words, 0.36 * width, 9 * size.scale)
            rows.append((f"{text}\nbefore", b))
            rows.append(("after", a))
            if hidden:
                notes.append(f"{question.text}: hidden counts (*) left out")
    bottom, top = 1.3 * size.scale, 0.7 * size.scale  # inches: axis and legend; title
    height = bottom + top + 0.4 * len(rows) * size.scale
    figure = new_figure(width, height)
    axes = figure.add_axes((0.4, bottom / height, 0.56, 1 - (bottom + top) / height))
    colours = diverging_palette(max(len(scale_labels), 2))
    y = np.arange(len(rows))[::-1] + np.repeat(np.arange(len(rows) // 2)[::-1], 2) * 0.4
    for position, (_, shares) in zip(y, rows, strict=True):
        left = 0.0
        for share, colour in zip(shares, colours, strict=False):
            axes.barh(position, 100 * share, left=100 * left, color=colour, height=0.8,
                      edgecolor="white", linewidth=0.5)  # fmt: skip
            left += share
    axes.set_yticks(y, [label for label, _ in rows])
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of matched people")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles = [axes.barh(0, 0, color=c) for c in colours[: len(scale_labels)]]
    figure.legend(handles, scale_labels, loc="lower center", ncols=min(len(scale_labels), 3),
                  frameon=False, fontsize="small")  # fmt: skip
    title = "Answers of the same people before and after"
    figure.suptitle(title + ("" if not notes else "\n" + "; ".join(notes)), fontsize="medium")
    return figure
