"""Diverging stacked bars of one statement set in one questionnaire (Figures 1-4).

Each statement is a bar of 100 % of those who answered it on the scale, placed so that it shows
the deviation from neutral: the categories below the scale's middle lie left of zero, those above
it right of zero, and the middle (neutral) category, where the scale has one, is split half each
side. "% agree" is the answer set's one definition (``AnswerSet.agree_codes``). Answers are shown
as given; a reverse-keyed statement's wording is marked "(R)". Statements are sorted by % agree.
Every figure uses the same x axis (-100 % to 100 %), width, margins and bar thickness, so bars of
different figures can be compared by eye.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from likertflow.codebook import REVERSE_MARK, AnswerSet, Questionnaire
from likertflow.coding import on_scale
from likertflow.disclosure import SUPPRESSED, Policy
from likertflow.plotting import DIVERGING_5, new_figure

AXIS_LIMIT = 100.0  # percent: one common axis for every figure
# Layout in inches, the same for every figure.
WIDTH = 10.0
LEFT = 4.0  # statement wordings
RIGHT = 1.75  # the disagree / agree / n columns
TOP = 1.3  # title, subtitle, legend
BOTTOM = 0.7  # x ticks and label
ROW = 0.42  # one statement
WRAP = 46  # characters per line of a statement wording


@dataclass(frozen=True)
class ScaleSplit:
    """The on-scale codes of an ordinal answer set, split at its middle."""

    disagree: tuple[int, ...]
    neutral: int | None
    agree: tuple[int, ...]

    @property
    def codes(self) -> tuple[int, ...]:
        middle = () if self.neutral is None else (self.neutral,)
        return (*self.disagree, *middle, *self.agree)


def split_scale(answers: AnswerSet) -> ScaleSplit:
    """Split a scale at its middle: an odd scale has a neutral category, an even one has none."""
    codes = answers.scale_codes
    half = len(codes) // 2
    neutral = codes[half] if len(codes) % 2 else None
    return ScaleSplit(tuple(codes[:half]), neutral, tuple(codes[len(codes) - half :]))


def likert_percentages(
    analysed: pd.DataFrame, questionnaire: Questionnaire, statement_set: str
) -> tuple[pd.DataFrame, pd.Series]:
    """Percent of each on-scale answer per statement, and each statement's n (on-scale answers).

    Rows are statement ids sorted by % agree, highest first (ties keep questionnaire order);
    columns are the scale codes in scale order. A statement nobody answered has 0 % throughout.
    """
    statements = questionnaire.statements(statement_set)
    if not statements:
        raise ValueError(f"{questionnaire.survey} has no statements in set {statement_set!r}")
    scale = split_scale(statements[0].answers)
    ids = [statement.id for statement in statements]
    # One value_counts per statement column (columns are few; rows may be millions).
    counts = pd.DataFrame(
        {
            statement.id: on_scale(analysed[statement.id], statement.answers).value_counts()
            for statement in statements
        }
    )
    counts = counts.reindex(index=list(scale.codes), columns=ids).fillna(0).T.astype("int64")
    n = counts.sum(axis=1)
    percent = counts.div(n.where(n > 0), axis=0).fillna(0.0) * 100.0
    agree = percent[statements[0].answers.agree_codes].sum(axis=1)
    order = agree.sort_values(ascending=False, kind="stable").index
    return percent.loc[order], n.loc[order].rename("n")


def segment_geometry(percent: pd.DataFrame, scale: ScaleSplit) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Left edge and width of each category's segment, per statement, in percent.

    A bar starts at -(disagree % + neutral % / 2), so that the neutral segment straddles zero
    equally and the agree categories end at agree % + neutral % / 2.
    """
    widths = percent[list(scale.codes)]
    left_of_zero = widths[list(scale.disagree)].sum(axis=1)
    if scale.neutral is not None:
        left_of_zero = left_of_zero + widths[scale.neutral] / 2
    ends = widths.cumsum(axis=1).sub(left_of_zero, axis=0)
    return ends - widths, widths


def layout_rows(questionnaire: Questionnaire) -> int:
    """Rows every Likert figure reserves: the largest statement set, so all figures match."""
    sets = {statement.statement_set for statement in questionnaire.statements()}
    return max(len(questionnaire.statements(name)) for name in sets)


def plot_likert(
    analysed: pd.DataFrame,
    questionnaire: Questionnaire,
    statement_set: str,
    title: str,
    stem: str | None = None,
    rows: int | None = None,
    policy: Policy | None = None,
) -> Figure:
    """The diverging stacked bar chart of one statement set; ``rows`` fixes the figure height.

    ``policy``: a disclosure policy; the n shown are as it publishes them, and the bar of a
    statement answered by too few to publish is left out (its row reads ``*``)."""
    statements = questionnaire.statements(statement_set)
    answers = statements[0].answers
    scale = split_scale(answers)
    percent, n = likert_percentages(analysed, questionnaire, statement_set)
    policy = policy or Policy("none")
    hidden = ~n.map(lambda count: policy.statistic_allowed(policy.publish(count)))
    percent = percent.mask(hidden, 0.0)
    lefts, widths = segment_geometry(percent, scale)
    rows = max(rows or 0, len(percent))
    height = TOP + rows * ROW + BOTTOM
    figure = new_figure(WIDTH, height)
    axes_height = len(percent) * ROW
    axes = figure.add_axes(
        (
            LEFT / WIDTH,
            (height - TOP - axes_height) / height,
            (WIDTH - LEFT - RIGHT) / WIDTH,
            axes_height / height,
        )
    )
    y = np.arange(len(percent))
    colours = _palette(len(scale.codes))
    for code, colour in zip(scale.codes, colours, strict=True):
        axes.barh(
            y,
            widths[code].to_numpy(),
            left=lefts[code].to_numpy(),
            height=0.72,
            color=colour,
            edgecolor="white",
            linewidth=0.5,
            label=answers.label_of[code],
        )
    axes.axvline(0, color="#4d4d4d", linewidth=0.8, zorder=3)
    axes.set_xlim(-AXIS_LIMIT, AXIS_LIMIT)
    axes.set_ylim(len(percent) - 0.5, -0.5)  # first statement (most agreement) on top
    ticks = np.linspace(-AXIS_LIMIT, AXIS_LIMIT, 9)
    axes.set_xticks(ticks, [f"{abs(tick):.0f}%" for tick in ticks])
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    wording = {statement.id: statement.display_text for statement in statements}
    axes.set_yticks(y, [textwrap.fill(wording[sid], WRAP) for sid in percent.index])
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)
    axes.set_xlabel(axis_label(answers, scale))
    _side_columns(axes, percent, n, scale, answers.agree_codes, policy, hidden)
    total = policy.publish(len(analysed))
    figure.text(0.015, 1 - 0.3 / height, f"{title} (n = {total})", weight="bold", size=12)
    subtitle = f"{questionnaire.label}: each bar is 100 % of those who answered the statement (n)"
    if stem:
        subtitle = f"{stem} …   ·   {subtitle}"
    if any(statement.reverse for statement in statements):
        subtitle += f";  {REVERSE_MARK} reverse-keyed, answers as given"
    figure.text(0.015, 1 - 0.58 / height, subtitle, size=9.5, color="#333333")
    figure.legend(
        *axes.get_legend_handles_labels(),
        loc="center",
        bbox_to_anchor=(0.5, 1 - 0.98 / height),
        **_legend_layout(len(scale.codes)),
    )
    return figure


def _legend_layout(points: int) -> dict:
    """Legend settings that keep every answer of a long scale inside the figure's width: one row
    at the default size up to 5 points, smaller and tighter up to 7, two rows beyond."""
    if points <= 5:
        return {"ncol": points, "handlelength": 1.4, "columnspacing": 1.4}
    return {
        "ncol": points if points <= 7 else -(-points // 2),
        "handlelength": 1.0,
        "columnspacing": 0.8,
        "fontsize": 8,
    }


def axis_label(answers: AnswerSet, scale: ScaleSplit) -> str:
    """The x axis text in the scale's own words: its two ends, and "neutral" only if it has one."""
    low, high = (answers.label_of[code].lower() for code in (scale.codes[0], scale.codes[-1]))
    middle = " (neutral split across zero)" if scale.neutral is not None else ""
    return f"% of respondents: {low} ◀ 0 ▶ {high}{middle}"


def legend_labels(figure: Figure) -> list[str]:
    """The labels of a figure's legend, in order (for tests and checks)."""
    return [text.get_text() for text in figure.legends[0].get_texts()]


def _palette(size: int) -> list[str]:
    """The 5-class diverging palette, or an evenly spaced pick from it for other scale sizes."""
    if size == len(DIVERGING_5):
        return list(DIVERGING_5)
    from matplotlib import colormaps  # only for unusual scale lengths

    return [colormaps["RdBu"](x) for x in np.linspace(0.1, 0.9, size)]


def _side_columns(
    axes,
    percent: pd.DataFrame,
    n: pd.Series,
    scale: ScaleSplit,
    agree: list[int],
    policy: Policy,
    hidden: pd.Series,
) -> None:
    """% disagree, % agree and n at the right of each bar, so the figure reads without caption."""
    transform = blended_transform_factory(axes.transAxes, axes.transData)
    axes_width = WIDTH - LEFT - RIGHT
    columns = {
        "disagree": percent[list(scale.disagree)].sum(axis=1).map("{:.0f}%".format),
        "agree": percent[agree].sum(axis=1).map("{:.0f}%".format),
        "n": n.map(lambda count: str(policy.publish(count))),
    }
    # A share that stands for a count the rule hides ("1%" of 120: one person) reads "*" too.
    small = {
        name: (percent[list(codes)].sum(axis=1) * n / 100).round().astype(int).map(policy.primary)
        for name, codes in (("disagree", scale.disagree), ("agree", agree))
    }
    columns = {
        name: values.mask(hidden | small.get(name, False), SUPPRESSED)
        for name, values in columns.items()
    }
    for column, (header, values) in enumerate(columns.items()):
        x = 1 + (0.6 + 0.48 * column) / axes_width  # right edge of the column, in inches
        axes.text(
            x,
            -0.75,
            header,
            transform=transform,
            ha="right",
            va="bottom",
            size=8.5,
            color="#333333",
            style="italic",
        )
        for row, value in enumerate(values):
            axes.text(x, row, value, transform=transform, ha="right", va="center", size=9)
