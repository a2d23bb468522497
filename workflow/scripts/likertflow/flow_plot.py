"""Participant flow diagram (CONSORT-like), one column per questionnaire.

Reads the participant flow table (``survey, stage, n``, stages in order). Stages that remove
responses (``duplicate_responses`` and ``excluded_<rule>``) are drawn as a side box beside the
arrow between the counts they connect; consecutive removals share one box, one line per reason.
Every count is the published table's (``*`` where the disclosure rule hid it). At a journal
column's width (``likertflow.plotting.FigureSize``) the questionnaires' columns are narrowed and,
where they do not fit side by side, stacked; every text is wrapped to its box, never cut.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from likertflow.disclosure import SUPPRESSED
from likertflow.plotting import STANDARD, FigureSize, new_figure, text_width, wrap

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
NARROWEST = 3.3  # inches a questionnaire's column needs at a journal's width


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
    size: FigureSize = STANDARD,
) -> Figure:
    """The flow diagram; ``exclusions`` maps rule ids to descriptions for the side boxes;
    ``size``: the standard size (a column of COLUMN inches per questionnaire) or a journal
    column's width."""
    steps = flow_steps(flow)
    s = size.scale
    if size.standard:
        column_width, per_row = COLUMN, max(len(steps), 1)
    else:
        # side by side where each questionnaire has NARROWEST inches or more, else stacked
        per_row = max(1, min(len(steps), int(size.width // NARROWEST)))
        column_width = size.width / per_row
    x = column_width / COLUMN  # horizontal scale of the standard column's layout
    side_room = SIDE_W * x - 0.2 * s
    side_texts = {
        survey: [_side_text(removals, exclusions, side_room, s) for _, _, removals in column]
        for survey, column in steps.items()
    }
    # the counts' stages (exported rows, returned, analysed) are named in STAGE_LABELS, never
    # by an exclusion rule's description
    main_labels = {
        survey: [wrap(stage_label(stage), MAIN_W * x - 0.15 * s, 9.5 * s) for stage, _, _ in column]
        for survey, column in steps.items()
    }  # fmt: skip
    headers = {
        survey: wrap(survey_labels.get(survey, survey), column_width - 0.2 * s, 12 * s, "bold")
        for survey in steps
    }
    order = list(steps)
    grid = [order[start : start + per_row] for start in range(0, len(order), per_row)] or [[]]
    # the questionnaires of one row start their boxes level, below the tallest name
    header_room = {
        survey: max(_header_height(headers[other], s) for other in row)
        for row in grid
        for survey in row
    }
    heights = {
        survey: header_room[survey]
        + sum(_segment_height(text, s) for text in texts[:-1])
        + MAIN_H * s
        + sum(label.count("\n") * LINE * s for label in main_labels[survey])  # wrapped names
        for survey, texts in side_texts.items()
    }
    row_heights = [max((heights[survey] for survey in row), default=1.0) for row in grid]
    width = column_width * per_row
    height = sum(row_heights) + 0.3 * s * len(grid) if len(grid) > 1 else row_heights[0] + 0.3 * s
    figure = new_figure(width, height)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.axis("off")
    row_top = height
    for row, row_height in zip(grid, row_heights, strict=True):
        for index, survey in enumerate(row):
            _column(axes, steps[survey], side_texts[survey], headers[survey], main_labels[survey],
                    index * column_width, x, row_top, s, header_room[survey])  # fmt: skip
        row_top -= row_height + 0.3 * s
    return figure


def _column(axes, column, side_texts, header, labels, left, x, top, s, room) -> None:
    """One questionnaire's boxes and arrows, from ``top`` down, starting ``left`` inches in;
    ``labels``: its stages' names, wrapped to the main boxes."""
    main_w = MAIN_W * x
    centre_x = left + MAIN_X * x + main_w / 2
    side_x = left + SIDE_X * x
    y = top - 0.15 * s
    header_height = room
    # over the main boxes, as ever, where it fits; else over the whole column
    over_boxes = text_width(header, 12 * s, "bold") <= 2 * (centre_x - left) - 0.1 * s
    axes.text(
        centre_x if over_boxes else left + (MAIN_X * x + SIDE_X * x + SIDE_W * x) / 2,
        y - 0.25 * s - (header_height - HEADER * s) / 2,
        header,
        ha="center",
        va="center",
        weight="bold",
        size=12 * s,
    )
    y -= header_height
    for position, ((_, n, _), text, label) in enumerate(
        zip(column, side_texts, labels, strict=True)
    ):
        label = f"{label}\nn = {_text(n)}"
        main_h = MAIN_H * s + (label.count("\n") - 1) * LINE * s
        _box(axes, centre_x - main_w / 2, y - main_h, main_w, main_h, label, "#eef3f8",
             bold=True, s=s)  # fmt: skip
        if position == len(column) - 1:
            break
        segment = _segment_height(text, s) + (main_h - MAIN_H * s)
        _arrow(axes, centre_x, y - main_h, y - segment)
        if text:
            side_h = _side_height(text, s)
            mid = y - main_h - (segment - main_h) / 2
            _box(axes, side_x, mid - side_h / 2, SIDE_W * x, side_h, text, "#fbf3ea",
                 size=8.5 * s, s=s)  # fmt: skip
            axes.annotate(
                "",
                xy=(side_x, mid),
                xytext=(centre_x, mid),
                arrowprops={"arrowstyle": "-|>", "color": "#4d4d4d", "lw": 0.9},
            )
        y -= segment


def _header_height(header: str, s: float) -> float:
    """The room a questionnaire's name takes above its boxes (more lines, more room)."""
    return HEADER * s + header.count("\n") * 1.3 * 12 * s / 72


def _side_text(
    removals: list[tuple[str, int]], exclusions: dict[str, str] | None, room: float, s: float
) -> str:
    if not removals:
        return ""
    counts = [n for _, n in removals]
    total = SUPPRESSED if SUPPRESSED in counts else sum(counts)
    excluded = all(stage.startswith(EXCLUDED_PREFIX) for stage, _ in removals)
    headline = f"{'Excluded' if excluded else 'Removed'} (n\u00a0=\u00a0{_text(total)})"
    # on one line where it fits, as ever; in a narrow column wrapped to the box, never past it
    lines = [wrap(headline, room, 8.5 * s).replace("\u00a0", " ")]
    for stage, n in removals:
        text = f"{stage_label(stage, exclusions)} (n = {_text(n)})"
        label = textwrap.fill(text, WRAP, initial_indent="• ", subsequent_indent="   ")
        if text_width(label, 8.5 * s) > room:  # measured: the box's width, not characters
            indent = text_width("• ", 8.5 * s)
            unbroken = text.replace(f"(n = {_text(n)})", f"(n\u00a0=\u00a0{_text(n)})")
            wrapped = wrap(unbroken, room - indent, 8.5 * s).split("\n")
            label = "\n".join(["• " + wrapped[0], *("   " + line for line in wrapped[1:])])
        lines.append(label)
    return "\n".join(lines)


def _side_height(text: str, s: float) -> float:
    return LINE * s * (text.count("\n") + 1) + 0.22 * s


def _segment_height(text: str, s: float) -> float:
    """Height from the top of a main box to the top of the next one: GAP between them, or the
    side box's height and 0.15 inch above and below it (a side box has two lines or more, a
    headline and a removal, so this is always more than GAP)."""
    if not text:
        return MAIN_H * s + GAP * s
    return MAIN_H * s + _side_height(text, s) + 0.3 * s


def _box(axes, x, y, width, height, text, colour, *, s, bold=False, size=9.5):
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
    if bold:  # the stage's name (one line or more) over its count, in bold
        first, _, rest = text.rpartition("\n")
        size = size * s
        # centre of the name: a name wrapped to more lines rises by half of each line it adds,
        # its last line where a one-line name sits (it rose by whole lines, past the box's top)
        above = y + MAIN_H * s / 2 + 0.1 * s + (height - MAIN_H * s) / 2
        axes.text(x + width / 2, above, first, ha="center", va="center", size=size)
        axes.text(
            x + width / 2,
            y + MAIN_H * s / 2 - 0.12 * s,
            rest,
            ha="center",
            va="center",
            size=size,
            weight="bold",
        )
    else:
        axes.text(
            x + 0.1 * s, y + height - 0.12 * s, text, ha="left", va="top", size=size,
            linespacing=1.35,
        )  # fmt: skip


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
