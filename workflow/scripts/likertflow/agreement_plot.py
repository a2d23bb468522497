"""Figure 5: mean % agree per statement set and questionnaire, with confidence intervals.

Reads the agreement summary table as published (one row per statement, plus a ``mean`` row per
set): every number it draws is the table's, a hidden one (``*``) is not drawn. A bar is a set's
mean % agree in one questionnaire, its error bar that row's confidence interval; the dots are the
set's individual statements, so that a reader sees the spread behind each mean. Reverse-keyed
statements are in the table in their keyed direction (or left out): the subtitle says which.
Titles, set names and questionnaire names are wrapped to their room, at the standard size or a
journal column's width (``likertflow.plotting.FigureSize``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from likertflow.agreement import COLUMNS as SUMMARY_COLUMNS
from likertflow.agreement import MEAN_ROW
from likertflow.disclosure import SUPPRESSED
from likertflow.plotting import (
    GROUP_COLOURS,
    STANDARD,
    FigureSize,
    line_count,
    new_figure,
    text_width,
    wrap,
)

BAR_WIDTH = 0.36  # per questionnaire, narrower when more than two share a set
GROUP_SPAN = 0.8  # width of the bars of one set together, in set slots
WIDTH, HEIGHT = 8.0, 5.6  # inches, for up to 3 sets x 2 questionnaires; wider beyond
SLOT_PER_BAR = 0.55  # inches of axis each bar needs, so its value under it stays legible
LEFT_MARGIN, RIGHT_MARGIN = 0.8, 0.32  # inches
LABEL_SIZE = 10.5  # statement set names under the axis, wrapped to their slot
DOT_SIZE, DOT_EDGE = 4.0, 0.8  # a statement's open dot, and its legend key: points across, edge


LINE = 1.3  # a text line's height, in font sizes


def figure_width(n_sets: int, n_surveys: int) -> float:
    """The figure's width: the default, or wide enough for every bar's value to be legible."""
    needed = LEFT_MARGIN + RIGHT_MARGIN + n_sets * (n_surveys * SLOT_PER_BAR + 0.3)
    return max(WIDTH, needed)


def wrapped_set_label(label: str, slot_inches: float, size: float = LABEL_SIZE) -> str:
    """A statement set's name wrapped to the width of its slot (at ``size`` points): as many
    characters as an average one allows, kept where every line fits, else by measured width."""
    # ~0.6 em per character on average; a little space between neighbouring slots
    characters = max(8, int((slot_inches - 0.15) * 72 / (size * 0.6)))
    return wrap(label, slot_inches - 0.1, size, chars=characters)


def _legend_fit(handles, width: float, columns: int, size: float):
    """Handles with labels wrapped and the columns of a legend no wider than ``width``, and
    its height in inches (measured in a scratch figure)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def measure(handles, columns):
        scratch = new_figure(width + 2, 4.0)
        canvas = FigureCanvasAgg(scratch)
        legend = scratch.legend(handles=handles, loc="center", ncol=columns, fontsize=size)
        box = legend.get_window_extent(canvas.get_renderer())
        return box.width / scratch.dpi, box.height / scratch.dpi

    measured = measure(handles, columns)
    while measured[0] > width and columns > 1:
        columns -= 1
        measured = measure(handles, columns)
    if measured[0] > width:
        room = width - 3.5 * size / 72  # the handle, its pads and the border
        for handle in handles:
            handle.set_label(wrap(handle.get_label(), room, size))
        measured = measure(handles, columns)
    return columns, measured[1]


def plot_agreement(
    summary: pd.DataFrame,
    survey_labels: dict[str, str],
    set_labels: dict[str, str],
    agree_labels: list[str] | dict[str, list[str]],
    confidence_level: float | None = None,
    title: str = "Mean agreement per statement set, by questionnaire",
    high: str | dict[str, str] = "agree",
    notes: tuple[str, ...] = (),
    size: FigureSize = STANDARD,
) -> Figure:
    """Grouped bars: statement sets along x, one bar per questionnaire (in table order).

    ``agree_labels``: the labels that count as agreeing, one list for every set, or a list per
    statement set id when sets use different answer scales; ``high``: the word of the scale's
    high end (``AnswerSet.ends``), one or per set, for the y axis ("% agree", "% often or
    always"). ``summary`` may be the table as published: a value a disclosure rule hid
    (``SUPPRESSED``) is not drawn, and a hidden mean is marked with it under its bar, as in the
    tables. ``notes``: more of the subtitle (how reverse-keyed statements are counted).
    """
    missing = [column for column in SUMMARY_COLUMNS if column not in summary.columns]
    if missing:
        raise ValueError(f"agreement summary lacks columns {missing}")
    hidden = summary["percent_agree"].eq(SUPPRESSED).to_numpy()
    numbers = ["percent_agree", "ci_low", "ci_high", "n"]  # "*" where hidden: not drawn
    summary = summary.assign(
        hidden=hidden, **{c: pd.to_numeric(summary[c], errors="coerce") for c in numbers}
    )
    surveys = list(dict.fromkeys(summary["survey"]))
    sets = list(dict.fromkeys(summary["statement_set"]))
    is_mean = summary["statement"] == MEAN_ROW
    means = summary[is_mean].set_index(["statement_set", "survey"])
    items = summary[~is_mean]
    per_set = agree_labels if isinstance(agree_labels, dict) else dict.fromkeys(sets, agree_labels)
    shared = {tuple(per_set.get(s, ())) for s in sets}
    highs = high if isinstance(high, dict) else dict.fromkeys(sets, high)
    s = size.scale
    label_size = LABEL_SIZE * s

    width = size.width or figure_width(len(sets), len(surveys))
    # The y axis in the scales' words, wrapped to the shortest axes this figure can have, and
    # the left margin widened by the lines it takes beyond one.
    words = {highs.get(set_id, "agree") for set_id in sets}
    if len(shared) == 1:
        y_label = f"% {next(iter(words))} ({' or '.join(next(iter(shared)))})"
    elif len(words) == 1:
        y_label = f"% {next(iter(words))} (the answers under each set's name)"
    else:
        y_label = "% at the high end (the answers under each set's name)"
    y_label = wrap(y_label, 3.4 * s - 0.1, 10 * s)
    left_margin = LEFT_MARGIN * s + (line_count(y_label) - 1) * LINE * 10 * s / 72
    axes_left, axes_right = left_margin / width, 1 - RIGHT_MARGIN * s / width
    bar_width = min(BAR_WIDTH, GROUP_SPAN / max(len(surveys), 1) / 1.1)
    slot_per_bar = (axes_right - axes_left) * width / max(len(sets) * len(surveys), 1)
    crowded = len(sets) * len(surveys) > 6 or slot_per_bar < SLOT_PER_BAR * s
    value_size = (8 if crowded else 9) * s
    # Values under bars too narrow for them stand upright, the set names below them.
    value_width = text_width("100.0%", value_size, "bold")
    upright = slot_per_bar < value_width + 0.06 * s
    below_values = (value_width - 0.16 * s) if upright else 0.0
    label_text = {
        set_id: set_labels.get(set_id, set_id)
        + ("" if len(shared) == 1 else f"\n({' or '.join(per_set.get(set_id, ()))})")
        for set_id in sets
    }
    slot = (axes_right - axes_left) * width / max(len(sets), 1)
    wrapped = {
        set_id: "\n".join(wrapped_set_label(line, slot, label_size) for line in text.split("\n"))
        for set_id, text in label_text.items()
    }
    # Slots too narrow for a set's words: numbers under the bars, the names in a key below.
    words = [w for text in label_text.values() for w in text.split()]
    widest = max((text_width(w, label_size) for w in words), default=0.0)
    key = ""
    if widest > slot - 0.1 or any(line_count(text) > 6 for text in wrapped.values()):
        key = "\n".join(
            wrap(f"{k}  {text.replace(chr(10), ' ')}", width - 0.3 * s, label_size * 0.9)
            for k, text in enumerate(label_text.values(), 1)
        )
        wrapped = {set_id: str(k) for k, set_id in enumerate(sets, 1)}
    key_height = (line_count(key) * LINE * label_size * 0.9 / 72 + 0.1 * s) if key else 0.0
    label_lines = max((text.count("\n") + 1 for text in wrapped.values()), default=1)
    handles = _handles(summary, surveys, survey_labels, confidence_level)
    columns = 3 if width > WIDTH else 2
    legend_rows = -(-(len(surveys) + 2) // columns)
    legend_height = legend_rows * 0.27
    if not size.standard or _legend_fit(handles, width - 0.2, columns, 9)[0] != columns:
        columns, legend_height = _legend_fit(handles, width - 0.2 * s, columns, 9 * s)
    # Above the axes: the title and subtitle, wrapped to the figure's width.
    room = width - 0.03 * width
    title = wrap(title, room, 12 * s, weight="bold")
    subtitle = "; ".join(
        [
            "Bars: mean % agree over the statements of each set; dots: the individual statements",
            *notes,
            *([f"{SUPPRESSED} hidden (disclosure rule)"] if hidden.any() else []),
        ]
    )
    subtitle = wrap(subtitle, room, 9.5 * s)
    title_extra = (line_count(title) - 1) * LINE * 12 * s / 72
    subtitle_extra = (line_count(subtitle) - 1) * LINE * 9.5 * s / 72
    # Below the axes, in inches: the values under the bars, the set names, the legend.
    bottom = 0.4 * s + label_lines * label_size * 1.25 / 72 + 0.15 * s + legend_height + 0.1 * s
    bottom += below_values + key_height
    top_inches = 0.9 * s + title_extra + subtitle_extra
    height = max(HEIGHT * s, bottom + 4.3 * s + (title_extra + subtitle_extra))
    figure = new_figure(width, height)
    top = 1 - top_inches / height  # below the title and subtitle
    axes = figure.add_axes(
        (axes_left, bottom / height, axes_right - axes_left, top - bottom / height)
    )
    x = np.arange(len(sets))
    offsets = (np.arange(len(surveys)) - (len(surveys) - 1) / 2) * bar_width * 1.1
    ticks, tick_labels = [], []
    for offset, survey, colour in zip(offsets, surveys, GROUP_COLOURS, strict=False):
        rows = means.reindex([(s, survey) for s in sets])
        value = rows["percent_agree"].to_numpy(dtype=float)
        low, high = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
        axes.bar(x + offset, value, bar_width, color=colour, alpha=0.85, zorder=2)
        axes.errorbar(
            x + offset,
            value,
            yerr=np.vstack([value - low, high - value]),
            fmt="none",
            ecolor="#222222",
            elinewidth=1.2,
            capsize=5 if not crowded else 3,
            zorder=4,
        )
        _statement_dots(axes, items[items["survey"] == survey], sets, x + offset, bar_width)
        # The mean's value under its bar, where nothing can overlap it.
        ticks.extend(x + offset)
        tick_labels.extend(
            SUPPRESSED if hide is True else "" if np.isnan(v) else f"{v:.1f}%"
            for v, hide in zip(value, rows["hidden"], strict=True)
        )
    axes.set_xticks(ticks, tick_labels, size=value_size, weight="bold", rotation=90 * upright)
    axes.tick_params(axis="x", length=0)
    below = blended_transform_factory(axes.transData, axes.transAxes)
    for xi, set_id in zip(x, sets, strict=True):
        axes.annotate(
            wrapped[set_id],
            xy=(xi, 0),
            xycoords=below,
            xytext=(0, -20 * s - below_values * 72),
            textcoords="offset points",
            ha="center",
            va="top",
            size=label_size,
        )
    axes.set_xlim(-0.6, len(sets) - 0.4)
    axes.set_ylim(0, 100)
    axes.set_yticks(np.arange(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)])
    axes.grid(axis="y", color="#e0e0e0", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    axes.set_ylabel(y_label, **({"size": 10 * s} if s != 1 else {}))
    if s != 1:
        axes.tick_params(axis="y", labelsize=9 * s)
    figure.text(0.015, 1 - (0.28 * s + title_extra) / height, title, weight="bold", size=12 * s)
    figure.text(
        0.015,
        1 - (0.53 * s + title_extra + subtitle_extra) / height,
        subtitle,
        size=9.5 * s,
        color="#333333",
    )
    legend = figure.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.01),
        ncol=columns,
        **({"fontsize": 9 * s} if s != 1 else {}),
    )
    if key:  # above the legend, under the set numbers
        figure.text(
            0.15 * s / width,
            (0.01 * height + legend_height + 0.05 * s + key_height - 0.1 * s) / height,
            key,
            va="top",
            ha="left",
            size=label_size * 0.9,
        )
    del legend
    return figure


def _handles(summary, surveys, survey_labels, confidence_level) -> list:
    """The legend's entries: each questionnaire's colour with its n (the largest n of its mean
    rows, as published), the interval and the statements' dots."""
    means = summary[summary["statement"] == MEAN_ROW]
    handles = []
    for survey, colour in zip(surveys, GROUP_COLOURS, strict=False):
        n = means.loc[means["survey"] == survey, "n"].max()
        n_text = f" (n = {int(n)})" if pd.notna(n) else ""
        label = f"{survey_labels.get(survey, survey)}{n_text}"
        handles.append(Patch(color=colour, alpha=0.85, label=label))
    level = f"{100 * confidence_level:g}% " if confidence_level else ""
    handles.append(
        Line2D(
            [],
            [],
            color="#222222",
            marker="|",
            markersize=10,
            linestyle="none",
            label=f"{level}confidence interval of the mean",
        )
    )
    handles.append(
        Line2D(
            [],
            [],
            color="#444444",
            marker="o",
            markerfacecolor="white",
            markersize=DOT_SIZE,
            markeredgewidth=DOT_EDGE,
            linestyle="none",
            label="one statement's % agree",
        )
    )
    return handles


def _statement_dots(
    axes, items: pd.DataFrame, sets: list[str], centres: np.ndarray, bar_width: float
) -> None:
    """Each statement's % agree as an open dot, in one column beside the error bar."""
    for centre, set_id in zip(centres, sets, strict=True):
        values = items.loc[items["statement_set"] == set_id, "percent_agree"].to_numpy(dtype=float)
        values = np.sort(values[np.isfinite(values)])
        if values.size == 0:
            continue
        axes.scatter(
            np.full(values.size, centre + bar_width * 0.25),
            values,
            s=DOT_SIZE**2,  # an area, in points squared
            facecolor="white",
            edgecolor="#444444",
            linewidth=DOT_EDGE,
            zorder=3,
            clip_on=False,  # a statement at 0 % stays visible on the axis
        )
