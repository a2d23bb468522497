"""Participant flow diagram (CONSORT-like), one column per questionnaire.

Reads the participant flow table (``survey, stage, n``, stages in order). Stages that remove
responses (``duplicate_responses`` and ``excluded_<rule>``) are drawn as a side box beside the
arrow between the counts they connect; consecutive removals share one box, one line per reason.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from likertflow.disclosure import SUPPRESSED
from likertflow.plotting import new_figure

EXCLUDED_PREFIX = "excluded_"
REMOVAL_STAGES = ("duplicate_responses",)
STAGE_LABELS = {
    "exported_rows": "Rows in the exports",
    "duplicate_responses": "Repeated response ids (one row kept per id)",
    "returned": "Responses returned",
    "analysed": "Analysed",
}
# Layout in inches (axes span the whole figure, so data units are inches).
COLUMN = 5.6
MAIN_X, MAIN_W, MAIN_H = 0.25, 2.5, 0.62
SIDE_X, SIDE_W = 3.0, 2.45
LINE = 0.165  # height of one text line in a side box
GAP = 0.45  # between a box and the next arrow's end
HEADER = 0.75
WRAP = 34  # characters per line in a side box


def is_removal(stage: str) -> bool:
    return stage.startswith(EXCLUDED_PREFIX) or stage in REMOVAL_STAGES


def stage_label(stage: str, exclusions: dict[str, str] | None = None) -> str:
    """A reader's name for a stage: known names, else the exclusion rule's description or id."""
    if stage in STAGE_LABELS:
        return STAGE_LABELS[stage]
    rule = stage.removeprefix(EXCLUDED_PREFIX)
    if exclusions and rule in exclusions:
        return exclusions[rule]
    return rule.replace("_", " ").capitalize()


def flow_steps(flow: pd.DataFrame) -> dict[str, list[tuple[str, int, list[tuple[str, int]]]]]:
    """Per survey (file order): main stages in order, each with the removals that follow it."""
    steps: dict[str, list] = {}
    for survey, rows in flow.groupby("survey", sort=False):
        column: list[tuple[str, int, list[tuple[str, int]]]] = []
        for stage, n in zip(rows["stage"], rows["n"].map(_count), strict=True):
            if is_removal(stage):
                if not column:
                    raise ValueError(f"{survey}: removal stage {stage!r} before any count")
                column[-1][2].append((stage, n))
            else:
                column.append((stage, n, []))
        steps[survey] = column
    return steps


def plot_flow(
    flow: pd.DataFrame,
    survey_labels: dict[str, str],
    exclusions: dict[str, str] | None = None,
) -> Figure:
    """The flow diagram; ``exclusions`` maps rule ids to descriptions for the side boxes."""
    steps = flow_steps(flow)
    side_texts = {
        survey: [_side_text(removals, exclusions) for _, _, removals in column]
        for survey, column in steps.items()
    }
    heights = {
        survey: HEADER + sum(_segment_height(text) for text in texts[:-1]) + MAIN_H
        for survey, texts in side_texts.items()
    }
    width, height = COLUMN * max(len(steps), 1), max(heights.values(), default=1.0) + 0.3
    figure = new_figure(width, height)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.axis("off")
    for index, (survey, column) in enumerate(steps.items()):
        centre_x = index * COLUMN + MAIN_X + MAIN_W / 2
        side_x = index * COLUMN + SIDE_X
        y = height - 0.15
        axes.text(
            centre_x,
            y - 0.25,
            survey_labels.get(survey, survey),
            ha="center",
            va="center",
            weight="bold",
            size=12,
        )
        y -= HEADER
        for position, ((stage, n, _), text) in enumerate(
            zip(column, side_texts[survey], strict=True)
        ):
            label = f"{stage_label(stage, exclusions)}\nn = {_text(n)}"
            _box(
                axes, centre_x - MAIN_W / 2, y - MAIN_H, MAIN_W, MAIN_H, label, "#eef3f8", bold=True
            )
            if position == len(column) - 1:
                break
            segment = _segment_height(text)
            _arrow(axes, centre_x, y - MAIN_H, y - segment)
            if text:
                side_h = _side_height(text)
                mid = y - MAIN_H - (segment - MAIN_H) / 2
                _box(axes, side_x, mid - side_h / 2, SIDE_W, side_h, text, "#fbf3ea", size=8.5)
                axes.annotate(
                    "",
                    xy=(side_x, mid),
                    xytext=(centre_x, mid),
                    arrowprops={"arrowstyle": "-|>", "color": "#4d4d4d", "lw": 0.9},
                )
            y -= segment
    return figure


def _side_text(removals: list[tuple[str, int]], exclusions: dict[str, str] | None) -> str:
    if not removals:
        return ""
    counts = [n for _, n in removals]
    total = SUPPRESSED if SUPPRESSED in counts else sum(counts)
    excluded = all(stage.startswith(EXCLUDED_PREFIX) for stage, _ in removals)
    lines = [f"{'Excluded' if excluded else 'Removed'} (n = {_text(total)})"]
    for stage, n in removals:
        label = textwrap.fill(
            f"{stage_label(stage, exclusions)} (n = {_text(n)})",
            WRAP,
            initial_indent="• ",
            subsequent_indent="   ",
        )
        lines.append(label)
    return "\n".join(lines)


def _side_height(text: str) -> float:
    return LINE * (text.count("\n") + 1) + 0.22


def _segment_height(text: str) -> float:
    """Height from the top of a main box to the top of the next one."""
    return MAIN_H + max(GAP, _side_height(text) + 0.3) if text else MAIN_H + GAP


def _box(axes, x, y, width, height, text, colour, bold=False, size=9.5):
    axes.add_patch(
        FancyBboxPatch(
            (x, y),
            width,
            height,
            boxstyle="round,pad=0,rounding_size=0.06",
            facecolor=colour,
            edgecolor="#4d4d4d",
            linewidth=0.9,
        )
    )
    if bold:
        first, _, rest = text.partition("\n")
        axes.text(x + width / 2, y + height / 2 + 0.1, first, ha="center", va="center", size=size)
        axes.text(
            x + width / 2,
            y + height / 2 - 0.12,
            rest,
            ha="center",
            va="center",
            size=size,
            weight="bold",
        )
    else:
        axes.text(
            x + 0.1, y + height - 0.12, text, ha="left", va="top", size=size, linespacing=1.35
        )


def _arrow(axes, x, y_from, y_to):
    axes.annotate(
        "",
        xy=(x, y_to),
        xytext=(x, y_from),
        arrowprops={"arrowstyle": "-|>", "color": "#4d4d4d", "lw": 0.9},
    )


def _count(value):
    """A flow count as read from the table: an int, or ``*`` (suppressed)."""
    return SUPPRESSED if str(value) == SUPPRESSED else int(value)


def _text(count) -> str:
    return f"{count:,}" if isinstance(count, int) else str(count)
