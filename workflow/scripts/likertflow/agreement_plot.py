"""Figure 5: mean % agree per statement set and questionnaire, with confidence intervals.

Reads the agreement summary table (one row per statement, plus a ``mean`` row per set). A bar is a
set's mean % agree in one questionnaire, its error bar that row's confidence interval; the dots
are the set's individual statements, so that a reader sees the spread behind each mean.
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
from likertflow.plotting import GROUP_COLOURS, new_figure

BAR_WIDTH = 0.36


def plot_agreement(
    summary: pd.DataFrame,
    survey_labels: dict[str, str],
    set_labels: dict[str, str],
    agree_labels: list[str],
    confidence_level: float | None = None,
    title: str = "Mean agreement per statement set, by questionnaire",
) -> Figure:
    """Grouped bars: statement sets along x, one bar per questionnaire (in table order)."""
    missing = [column for column in SUMMARY_COLUMNS if column not in summary.columns]
    if missing:
        raise ValueError(f"agreement summary lacks columns {missing}")
    surveys = list(dict.fromkeys(summary["survey"]))
    sets = list(dict.fromkeys(summary["statement_set"]))
    is_mean = summary["statement"] == MEAN_ROW
    means = summary[is_mean].set_index(["statement_set", "survey"])
    items = summary[~is_mean]

    figure = new_figure(8.0, 5.6)
    axes = figure.add_axes((0.1, 0.22, 0.86, 0.62))
    x = np.arange(len(sets))
    offsets = (np.arange(len(surveys)) - (len(surveys) - 1) / 2) * BAR_WIDTH * 1.1
    handles, ticks, tick_labels = [], [], []
    for offset, survey, colour in zip(offsets, surveys, GROUP_COLOURS, strict=False):
        rows = means.reindex([(s, survey) for s in sets])
        value = rows["percent_agree"].to_numpy(dtype=float)
        low, high = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
        axes.bar(x + offset, value, BAR_WIDTH, color=colour, alpha=0.85, zorder=2)
        axes.errorbar(
            x + offset,
            value,
            yerr=np.vstack([value - low, high - value]),
            fmt="none",
            ecolor="#222222",
            elinewidth=1.2,
            capsize=5,
            zorder=4,
        )
        _statement_dots(axes, items[items["survey"] == survey], sets, x + offset)
        # The mean's value under its bar, where nothing can overlap it.
        ticks.extend(x + offset)
        tick_labels.extend("" if np.isnan(v) else f"{v:.1f}%" for v in value)
        n = rows["n"].max()
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
            markersize=5,
            linestyle="none",
            label="one statement's % agree",
        )
    )
    axes.set_xticks(ticks, tick_labels, size=9, weight="bold")
    axes.tick_params(axis="x", length=0)
    below = blended_transform_factory(axes.transData, axes.transAxes)
    for xi, set_id in zip(x, sets, strict=True):
        axes.text(
            xi,
            -0.09,
            set_labels.get(set_id, set_id),
            transform=below,
            ha="center",
            va="top",
            size=10.5,
        )
    axes.set_xlim(-0.6, len(sets) - 0.4)
    axes.set_ylim(0, 100)
    axes.set_yticks(np.arange(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)])
    axes.grid(axis="y", color="#e0e0e0", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    axes.set_ylabel(f"% agree ({' or '.join(agree_labels)})")
    figure.text(0.015, 0.95, title, weight="bold", size=12)
    figure.text(
        0.015,
        0.905,
        "Bars: mean % agree over the statements of each set; dots: the individual statements",
        size=9.5,
        color="#333333",
    )
    figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.01), ncol=2)
    return figure


def _statement_dots(axes, items: pd.DataFrame, sets: list[str], centres: np.ndarray) -> None:
    """Each statement's % agree as an open dot, in one column beside the error bar."""
    for centre, set_id in zip(centres, sets, strict=True):
        values = items.loc[items["statement_set"] == set_id, "percent_agree"].to_numpy(dtype=float)
        values = np.sort(values[np.isfinite(values)])
        if values.size == 0:
            continue
        axes.scatter(
            np.full(values.size, centre + BAR_WIDTH * 0.25),
            values,
            s=16,
            facecolor="white",
            edgecolor="#444444",
            linewidth=0.8,
            zorder=3,
            clip_on=False,  # a statement at 0 % stays visible on the axis
        )
