"""Diverging stacked bars of one statement set in one questionnaire (Figures 1-4), unweighted
and weighted.

Each statement is a bar of 100 % of those who answered it on the scale, placed so that it shows
the deviation from neutral: the categories below the scale's middle lie left of zero, those above
it right of zero, and the middle (neutral) category, where the scale has one, is split half each
side. "% agree" is the answer set's one definition (``AnswerSet.agree_codes``). Answers are shown
as given; a reverse-keyed statement's wording is marked "(R)". Statements are sorted by % agree.
Every figure uses the same x axis (-100 % to 100 %), width, margins and bar thickness, so bars of
different figures can be compared by eye.

The columns beside the bars, the legend and the axis speak the scale's own words: "% <low>" and
"% <high>" are the answer set's poles (``AnswerSet.ends``: the codebook's ``poles`` or words
taken from its labels), for any scale of 2 to 11 points (``likertflow.plotting.DIVERGING``).
Titles, the subtitle, statement wordings, headers and the legend are wrapped to the room they
have (``likertflow.plotting.wrap``), never cut; at a journal's column width (``FigureSize``) too
narrow for wordings beside the bars, each wording is drawn above its bar.

Drawn from published numbers only: the bars, the percentages and each statement's n come from
the published per-statement frequencies (``results/tables/statement_frequencies.csv``), the
title's n from the published participant flow. A count the disclosure rule hid (``*``) is drawn
with no width: the bar is 100 % of the published counts, a short black tick marks where the
hidden count lies, and the shares and n it would enter read ``*``; a statement whose published n
is too small for a statistic has no bar. So a figure shows nothing its tables hide.

A questionnaire with a survey design (codebook ``design``, docs/weights.md) also has its weighted
figure (``plot_weighted_likert``): the same bars, axis and layout, drawn from the published
weighted frequencies (``results/tables/weighted_frequencies.csv``): each segment is the table's
weighted percent of its answer, a value the rule hid has no width and a tick, and the n beside
each bar and in the title are unweighted, as the table's. Its unweighted figure says so in its
title.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from likertflow.codebook import REVERSE_MARK, AnswerSet, Questionnaire, parse_questionnaire
from likertflow.disclosure import SUPPRESSED, Policy
from likertflow.plotting import (
    STANDARD,
    FigureSize,
    diverging_palette,
    line_count,
    new_figure,
    text_width,
    wrap,
)

AXIS_LIMIT = 100.0  # percent: one common axis for every figure
# Layout in inches at the standard size (a journal size scales them by its text scale).
WIDTH = 10.0
LEFT = 4.0  # statement wordings
RIGHT = 1.75  # the disagree / agree / n columns
TOP = 1.3  # title, subtitle, legend
BOTTOM = 0.7  # x ticks and label
ROW = 0.42  # one statement
BAR = 0.72  # a bar's thickness, in rows of ROW
WRAP = 46  # characters per line of a statement wording
MARGIN = 0.15  # inches at each side of the figure
HEADER_WIDEST = 1.2  # inches: a side column's header is wrapped, words broken, to this width
COLUMN_EDGE, COLUMN_PITCH = 0.6, 0.48  # the side columns' right edges: axes right + these
COLUMN_GAP = 0.05  # between a column's text and the column (or bars) left of it
HIDDEN_TICK = "#111111"
# Font sizes (points) at the standard size.
TITLE, SUBTITLE, TICKS, HEADER, VALUES, AXIS_LABEL = 12, 9.5, 9, 8.5, 9, 10
LINE = 1.3  # a text line's height, in font sizes (matplotlib's line spacing of DejaVu Sans)


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


def likert_counts(
    frequencies: pd.DataFrame, questionnaire: Questionnaire, statement_set: str
) -> pd.DataFrame:
    """The published count of each on-scale answer per statement of the set: rows statement ids
    in questionnaire order, columns the scale's codes in order, each an int or ``SUPPRESSED``.

    ``frequencies``: published frequencies of the questionnaire's statements (``question_id``,
    ``code``, ``n``; results/tables/statement_frequencies.csv, or ``tables.frequency_table``).
    An answer the table does not list counts 0; off-scale answers and "(no answer)" are not on
    the scale."""
    statements = questionnaire.statements(statement_set)
    if not statements:
        raise ValueError(f"{questionnaire.survey} has no statements in set {statement_set!r}")
    scale = split_scale(statements[0].answers)
    ids = [statement.id for statement in statements]
    rows = frequencies[frequencies["question_id"].isin(ids) & frequencies["code"].notna()]
    codes = pd.to_numeric(rows["code"]).astype("int64")
    values = [SUPPRESSED if str(n) == SUPPRESSED else int(n) for n in rows["n"]]
    table = pd.DataFrame({"question_id": rows["question_id"], "code": codes, "n": values})
    table = table[table["code"].isin(scale.codes)]
    counts = table.pivot(index="question_id", columns="code", values="n")
    counts = counts.reindex(index=ids, columns=list(scale.codes)).astype(object)
    return counts.where(counts.notna(), 0)


def likert_percentages(counts: pd.DataFrame, agree: list[int]) -> tuple[pd.DataFrame, pd.Series]:
    """Percent of each on-scale answer per statement, and each statement's n (the sum of its
    published on-scale counts, a hidden count as 0), from ``likert_counts``.

    Rows are sorted by % agree (the ``agree`` codes), highest first (ties keep questionnaire
    order). A statement nobody answered has 0 % throughout."""
    counts = counts.mask(counts.eq(SUPPRESSED), 0).astype("int64")
    n = counts.sum(axis=1)
    percent = counts.div(n.where(n > 0), axis=0).fillna(0.0) * 100.0
    order = _by_agreement(percent, agree)
    return percent.loc[order], n.loc[order].rename("n")


def _by_agreement(percent: pd.DataFrame, agree: list[int]) -> pd.Index:
    """The statements by % agree (the ``agree`` codes' sum), highest first; ties keep
    questionnaire order."""
    return percent[agree].sum(axis=1).sort_values(ascending=False, kind="stable").index


def weighted_percentages(
    weighted: pd.DataFrame, questionnaire: Questionnaire, statement_set: str
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame, pd.Series]:
    """The published weighted percent of each on-scale answer per statement of the set, as
    ``likert_percentages`` gives the unweighted ones: rows sorted by weighted % agree, columns
    the scale's codes; a hidden value (``*``) as 0. With each statement's unweighted n (the sum
    of the published counts of all its answers, the percentages' denominator), which cells are
    hidden, and whether each n is short of a hidden count.

    ``weighted``: the published weighted frequencies (``question_id``, ``code``, ``n``,
    ``weighted_percent``; results/tables/weighted_frequencies.csv). Its percentages are of those
    who answered the statement, off-scale answers included: drawn as they are, so that a bar
    reads as the table does. A statement nobody answered has 0 % throughout."""
    statements = questionnaire.statements(statement_set)
    if not statements:
        raise ValueError(f"{questionnaire.survey} has no statements in set {statement_set!r}")
    answers = statements[0].answers
    ids = [statement.id for statement in statements]
    rows = weighted[weighted["question_id"].isin(ids) & weighted["code"].notna()]
    table = pd.DataFrame(
        {
            "question_id": rows["question_id"],
            "code": pd.to_numeric(rows["code"]).astype("int64"),
            "percent": rows["weighted_percent"].astype(str),
            "n": rows["n"].astype(str),
        }
    )
    shares = table.pivot(index="question_id", columns="code", values="percent")
    shares = shares.reindex(index=ids, columns=answers.scale_codes)
    shares = shares.astype(object).fillna("0")  # an answer no row lists: a column of floats
    hidden_cells = shares.eq(SUPPRESSED)
    percent = shares.mask(hidden_cells, "0").astype("float64")
    counts = table.pivot(index="question_id", columns="code", values="n").reindex(index=ids)
    counts = counts.fillna("0")
    n_hidden = counts.eq(SUPPRESSED).any(axis=1) | hidden_cells.any(axis=1)
    n = counts.mask(counts.eq(SUPPRESSED), "0").astype("int64").sum(axis=1).rename("n")
    order = _by_agreement(percent, answers.agree_codes)
    return percent.loc[order], n.loc[order], hidden_cells.loc[order], n_hidden.loc[order]


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


@dataclass(frozen=True)
class _Columns:
    """The side columns: wrapped headers, their values, and each column's right edge (inches
    right of the axes); ``extra``: inches they need beyond the standard right margin."""

    headers: list[str]
    values: list[pd.Series]
    edges: list[float]
    extra: float


def _fit_columns(columns: dict[str, pd.Series], s: float) -> _Columns:
    """Each column's header wrapped, and the columns moved right where a header word or a value
    is wider than the standard column; the standard places when everything fits."""
    headers, edges, values = [], [], []
    shift, previous = 0.0, 0.0
    for column, (header, shown) in enumerate(columns.items()):
        edge = shift + (COLUMN_EDGE + COLUMN_PITCH * column) * s
        room = edge - previous - COLUMN_GAP * s
        full = text_width(header, HEADER * s, style="italic") * 1.03
        word = max(text_width(w, HEADER * s, style="italic") for w in header.split()) * 1.03
        word = min(word, HEADER_WIDEST * s)  # a longer word is broken: the bars keep their room
        text = wrap(header, max(room, word, min(full, room + 0.2 * s)), HEADER * s, style="italic")
        widest = max(
            [text_width(text, HEADER * s, style="italic")]
            + [text_width(str(value), VALUES * s) for value in shown]
        )
        if widest > room:
            shift += widest - room
            edge += widest - room
        headers.append(text)
        edges.append(edge)
        values.append(shown)
        previous = edge
    return _Columns(headers, values, edges, shift)


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


def _row_major(handles: list, labels: list[str], columns: int) -> tuple[list, list[str]]:
    """Entries reordered so that a legend, which fills its columns top to bottom, reads in
    scale order along its rows (one row: as given)."""
    rows = -(-len(labels) // columns)
    order = [r * columns + c for c in range(columns) for r in range(rows)]
    order = [i for i in order if i < len(labels)]
    return [handles[i] for i in order], [labels[i] for i in order]


def _measure_legend(width: float, handles, labels, settings: dict) -> tuple[float, float, float]:
    """Width, height and the height of its text block's bottom above the box's bottom, in
    inches, of a legend of these entries drawn in a scratch figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    scratch = new_figure(width, 4.0)
    canvas = FigureCanvasAgg(scratch)
    legend = scratch.legend(handles, labels, loc="center", **settings)
    canvas.draw()  # lays the legend's texts out
    renderer = canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    texts = [text.get_window_extent(renderer) for text in legend.get_texts()]
    bottom = min(t.y0 for t in texts) - box.y0
    return box.width / scratch.dpi, box.height / scratch.dpi, bottom / scratch.dpi


def _fit_legend(width: float, handles, labels: list[str], points: int, s: float):
    """Labels and settings of a legend no wider than ``width`` inches: the standard settings,
    else fewer columns, else labels wrapped; with its measured size."""
    settings = _legend_layout(points)
    size = settings.get("fontsize", 9) * s
    settings = {**settings, "fontsize": size}
    measured = _measure_legend(width + 1, handles, labels, settings)
    columns = settings["ncol"]
    while measured[0] > width and columns > 1:
        columns -= 1
        settings = {**settings, "ncol": columns}
        measured = _measure_legend(width + 1, handles, labels, settings)
    if measured[0] > width:
        handle = (settings["handlelength"] + 1.6) * size / 72  # handle, its pads, border
        labels = [wrap(label, width - handle, size) for label in labels]
        measured = _measure_legend(width + 1, handles, labels, settings)
    one_row = _measure_legend(width + 1, handles[:1], labels[:1], settings)
    return labels, settings, measured, one_row[1]


@dataclass(frozen=True)
class _Bars:
    """What a Likert figure draws, from one published table: each statement's percentages in
    drawing order (``likert_percentages``, ``weighted_percentages``), its n, which cells the rule
    hid, and whether its n is short of a hidden count."""

    percent: pd.DataFrame
    n: pd.Series
    hidden_cells: pd.DataFrame
    n_hidden: pd.Series


@dataclass(frozen=True)
class _Reading:
    """How a figure's numbers read: the word before the title's n ("weighted"; "" none), the
    subtitle's first note, and what the x axis counts."""

    tag: str
    note: str
    axis: str


def plot_likert(
    frequencies: pd.DataFrame,
    questionnaire: Questionnaire,
    statement_set: str,
    title: str,
    stem: str | None = None,
    rows: int | None = None,
    policy: Policy | None = None,
    total: int | str | None = None,
    size: FigureSize = STANDARD,
    weighted: bool = False,
) -> Figure:
    """The diverging stacked bar chart of one statement set; ``rows`` fixes the figure height.

    ``frequencies``: the published frequencies of the questionnaire's statements
    (``likert_counts``), or with ``weighted`` its published weighted frequencies
    (``plot_weighted_likert``); ``total``: the published number of respondents analysed, for the
    title (None: no n in the title). ``policy``: the disclosure policy; a statement whose
    published n is too small for a statistic has no bar (its row reads ``*``). ``size``: the
    standard size or a journal column's width. A questionnaire with a survey design (codebook
    ``design``) has its sample's answers said "unweighted" in the title (``plot_weighted_likert``
    draws the population's)."""
    bars_of = _weighted_bars if weighted else _counted_bars
    bars, reading = bars_of(frequencies, questionnaire, statement_set)
    return _draw(bars, reading, questionnaire, statement_set, title, stem, rows, policy, total,
                 size)  # fmt: skip


def plot_weighted_likert(
    table: pd.DataFrame, questionnaire: Questionnaire, statement_set: str, title: str, **layout
) -> Figure:
    """The diverging stacked bar chart of one statement set of a questionnaire with a survey
    design, drawn from the published weighted frequencies ``table`` (``weighted_percentages``):
    each segment is its answer's published weighted percent, a value the rule hid has no width
    and a tick, and a share or n it enters reads ``*``. The n column and the title's n are
    unweighted (respondents), as the table's ``n``; the subtitle names the design as declared.
    Otherwise as ``plot_likert`` (``layout``: its stem, rows, policy, total and size), on the
    same axis, size and layout, so the two compare by eye."""
    return plot_likert(table, questionnaire, statement_set, title, weighted=True, **layout)


def _counted_bars(
    frequencies: pd.DataFrame, questionnaire: Questionnaire, statement_set: str
) -> tuple[_Bars, _Reading]:
    """The bars of the published frequencies: each is 100 % of the statement's answers."""
    counts = likert_counts(frequencies, questionnaire, statement_set)  # a set it lacks: named
    answers = questionnaire.statements(statement_set)[0].answers
    percent, n = likert_percentages(counts, answers.agree_codes)
    hidden_cells = counts.loc[percent.index].eq(SUPPRESSED)
    bars = _Bars(percent, n, hidden_cells, hidden_cells.any(axis=1))
    reading = _Reading(
        "" if questionnaire.design is None else "unweighted",
        f"{questionnaire.label}: each bar is 100 % of those who answered the statement (n)",
        "% of respondents",
    )
    return bars, reading


def _weighted_bars(
    weighted: pd.DataFrame, questionnaire: Questionnaire, statement_set: str
) -> tuple[_Bars, _Reading]:
    """The bars of the published weighted frequencies, their n unweighted."""
    percent, n, hidden_cells, n_hidden = weighted_percentages(weighted, questionnaire,
                                                              statement_set)  # fmt: skip
    answers = questionnaire.statements(statement_set)[0].answers
    off_scale = [o.label for o in answers.options if o.off_scale]
    rest = f"; not drawn: {', '.join(off_scale)}" if off_scale else ""
    reading = _Reading(
        "weighted",
        f"{questionnaire.label}, weighted ({questionnaire.design.words}): each bar is the "
        f"weighted % of those who answered the statement, n unweighted{rest}",
        "weighted % of respondents",
    )
    return _Bars(percent, n, hidden_cells, n_hidden), reading


def likert_figure(
    table: pd.DataFrame,
    flow: pd.DataFrame,
    codebook: dict,
    spec: dict,
    policy: Policy,
    size: FigureSize,
    weighted: bool = False,
) -> Figure:
    """The figure of one config ``likert_figures`` entry (``spec``), as the workflow draws it:
    ``plot_likert`` of the published statement frequencies, or with ``weighted``
    ``plot_weighted_likert`` of the published weighted frequencies (``table``, every
    questionnaire's, read as text); the title's n from the published participant flow
    (``flow``), the statement set's stem from the questionnaire's codebook (``codebook``), and
    the rows of its largest statement set, so that its figures match."""
    questionnaire = parse_questionnaire(codebook)
    table = table[table["survey"] == questionnaire.survey]
    analysed = flow[(flow["survey"] == questionnaire.survey) & (flow["stage"] == "analysed")]
    total = str(analysed["n"].iloc[0])
    # the title is optional in the schema: without one, questionnaire and statement set
    title = spec["title"] if "title" in spec else ""
    title = title or f"{questionnaire.label}: {questionnaire.statement_sets[spec['statement_set']]}"
    return plot_likert(
        table,
        questionnaire,
        spec["statement_set"],
        title,
        stem=codebook["statement_stems"].get(spec["statement_set"]),
        rows=layout_rows(questionnaire),
        policy=policy,
        total=total,  # as published: a count, or "*"
        size=size,
        weighted=weighted,
    )


def _draw(
    bars: _Bars,
    reading: _Reading,
    questionnaire: Questionnaire,
    statement_set: str,
    title: str,
    stem: str | None,
    rows: int | None,
    policy: Policy | None,
    total: int | str | None,
    size: FigureSize,
) -> Figure:
    """The figure of ``bars`` as ``plot_likert`` lays it out, read as ``reading`` says."""
    statements = questionnaire.statements(statement_set)
    answers = statements[0].answers
    scale = split_scale(answers)
    percent, n, hidden_cells = bars.percent, bars.n, bars.hidden_cells
    policy = policy or Policy("none")
    hidden = ~n.map(policy.statistic_allowed)
    percent = percent.mask(hidden, 0.0)
    lefts, widths = segment_geometry(percent, scale)
    s = size.scale
    width = size.width or WIDTH
    margin = MARGIN * s

    # The side columns, in the scale's words, and the margin they take.
    ends = answers.ends
    shown = _side_values(percent, n, scale, answers.agree_codes, hidden, hidden_cells,
                         bars.n_hidden)  # fmt: skip
    columns = _fit_columns(dict(zip([ends.low, ends.high, "n"], shown, strict=True)), s)
    right = RIGHT * s + columns.extra

    # Statement wordings beside the bars, or above each bar when the figure is too narrow.
    above = (width - right) * 0.42 < 1.5 and not size.standard
    if size.standard:
        left = LEFT
    elif above:
        left = margin + 0.05 * s
    else:
        left = (width - right) * 0.42
    axes_width = width - left - right
    label_room = (width - right - margin) if above else (left - margin - 0.1 * s)
    wording = {
        statement.id: wrap(
            statement.display_text, label_room, TICKS * s, chars=WRAP if size.standard else None
        )
        for statement in questionnaire.statements()
    }  # every statement of the questionnaire: its figures share one row height
    lines = max(line_count(text) for text in wording.values())
    line = LINE * TICKS * s / 72
    bar_inches = BAR * ROW * s
    if above:
        row = lines * line + bar_inches + 0.12 * s
    else:
        row = max(ROW * s, lines * line + 0.08 * s)
    bar = BAR if row == ROW * s else bar_inches / row
    head = 0.25 if row == ROW * s else 0.25 * ROW * s / row  # header above the axes, in rows

    # Title, subtitle and legend above the bars.
    text_room = width - 2 * margin
    title_text = _title(title, reading.tag, total)
    if text_width(title_text, TITLE * s, weight="bold") * 1.02 > text_room:
        title_text = _title(title, reading.tag, total, "\u00a0")  # "n = 282" kept together
    title_text = wrap(title_text, text_room, TITLE * s, weight="bold")
    notes = [reading.note]
    if any(statement.reverse for statement in statements):
        notes.append(f"{REVERSE_MARK} reverse-keyed, answers as given")
    if hidden_cells.to_numpy().any():
        notes.append("| a count hidden by the disclosure rule, drawn with no width")
    if any(value.eq(SUPPRESSED).any() for value in columns.values):
        notes.append(f"{SUPPRESSED} not published (disclosure rule)")
    subtitle = ";  ".join(notes)
    if stem:
        subtitle = f"{stem} …   ·   {subtitle}"
    if text_width(subtitle, SUBTITLE * s) > text_room:
        pieces = ([f"{stem} …"] if stem else []) + [";  ".join(notes)]
        subtitle = "\n".join(wrap(piece, text_room, SUBTITLE * s) for piece in pieces)
    colours = diverging_palette(len(scale.codes))
    proxies = [Patch() for _ in colours]  # to measure the legend before drawing: any patch
    labels = [answers.label_of[code] for code in scale.codes]
    tick = Line2D([], [], color=HIDDEN_TICK, marker="|", markersize=9, linestyle="none")
    if hidden_cells.to_numpy().any():
        proxies.append(tick)
        labels.append("hidden count")
    labels, legend_settings, legend, legend_one = _fit_legend(
        text_room, proxies, labels, len(scale.codes), s
    )
    title_lines, subtitle_lines = line_count(title_text), line_count(subtitle)
    header_lines = max(line_count(header) for header in columns.headers)
    legend_extra = legend[1] - legend_one if legend[1] > legend_one + 1e-9 else 0.0
    # Baselines of the last title and subtitle lines and the legend's centre, from the top.
    title_extra = (title_lines - 1) * LINE * TITLE * s / 72
    subtitle_extra = (subtitle_lines - 1) * LINE * SUBTITLE * s / 72
    title_y = 0.3 * s + title_extra
    subtitle_y = 0.58 * s + title_extra + subtitle_extra
    legend_y = 0.98 * s + title_extra + subtitle_extra + legend_extra / 2
    top = TOP * s + title_extra + subtitle_extra + legend_extra
    top += (header_lines - 1) * LINE * HEADER * s / 72
    # The headers below the legend's text where the two would meet.
    legend_text_bottom = legend_y + legend[1] / 2 - legend[2]
    header_height = header_lines * LINE * HEADER * s / 72
    header_left = (
        width
        - right
        + min(
            edge - text_width(header, HEADER * s, style="italic")
            for edge, header in zip(columns.edges, columns.headers, strict=True)
        )
    )
    if width / 2 + legend[0] / 2 > header_left:
        # Text boxes include the font's ascent and descent: 2 pt of them may meet unseen.
        overlap = legend_text_bottom - (top - head * row - header_height)
        top += overlap if overlap > 2 * s / 72 else 0.0

    # Below the bars: ticks and the axis label, wrapped to the room either side of the axes.
    axis_label_text = axis_label(answers, scale, reading.axis)
    centre = left + axes_width / 2
    axis_room = 2 * min(centre - margin, width - margin - centre)
    axis_label_text = wrap(axis_label_text, axis_room, AXIS_LABEL * s)
    bottom = BOTTOM * s + (line_count(axis_label_text) - 1) * LINE * AXIS_LABEL * s / 72

    rows = max(rows or 0, len(percent))
    height = top + rows * row + bottom
    axes_height = len(percent) * row
    figure = new_figure(width, height)
    axes = figure.add_axes(
        (
            left / width,
            (height - top - axes_height) / height,
            axes_width / width,
            axes_height / height,
        )
    )
    y = np.arange(len(percent))
    bar_y = y + 0.5 - bar / 2 - 0.06 * s / row if above else y
    for code, colour in zip(scale.codes, colours, strict=True):
        axes.barh(
            bar_y,
            widths[code].to_numpy(),
            left=lefts[code].to_numpy(),
            height=bar,
            color=colour,
            edgecolor="white",
            linewidth=0.5,
            label=answers.label_of[code],
        )
    _hidden_ticks(axes, lefts, hidden_cells, scale, bar_y, bar)
    axes.axvline(0, color="#4d4d4d", linewidth=0.8, zorder=3)
    axes.set_xlim(-AXIS_LIMIT, AXIS_LIMIT)
    axes.set_ylim(len(percent) - 0.5, -0.5)  # first statement (most agreement) on top
    ticks = np.linspace(-AXIS_LIMIT, AXIS_LIMIT, 9 if s == 1 else _tick_count(axes_width, s))
    axes.set_xticks(ticks, [f"{abs(tick):.0f}%" for tick in ticks])
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    if above:
        axes.set_yticks([])
        place = blended_transform_factory(figure.transFigure, axes.transData)
        for row_index, sid in enumerate(percent.index):
            axes.text(  # just above its own bar, on white over the grid and the zero line
                margin / width,
                bar_y[row_index] - bar / 2 - 0.03 * s / row,
                wording[sid],
                transform=place,
                ha="left",
                va="bottom",
                size=TICKS * s,
                color="#4d4d4d",
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
            )
    else:
        axes.set_yticks(y, [wording[sid] for sid in percent.index])
    axes.tick_params(axis="y", length=0)
    axes.tick_params(labelsize=TICKS * s)
    axes.spines["left"].set_visible(False)
    axes.set_xlabel(axis_label_text, size=AXIS_LABEL * s)
    _side_columns(axes, columns, axes_width, bar_y, -0.5 - head, s)
    figure.text(margin / width, 1 - title_y / height, title_text, weight="bold", size=TITLE * s)
    figure.text(
        margin / width, 1 - subtitle_y / height, subtitle, size=SUBTITLE * s, color="#333333"
    )
    handles = axes.get_legend_handles_labels()[0]  # the bars' own, as the legend shows them
    handles += [tick] if hidden_cells.to_numpy().any() else []
    figure.legend(
        *_row_major(handles, labels, legend_settings["ncol"]),
        loc="center",
        bbox_to_anchor=(0.5, 1 - legend_y / height),
        **legend_settings,
    )
    return figure


def _title(title: str, tag: str, total: int | str | None, space: str = " ") -> str:
    """The title with what its bars are ("weighted") and the n analysed, in brackets."""
    count = None if total is None else f"n{space}={space}{total}"
    said = ", ".join(word for word in (tag, count) if word)
    return f"{title} ({said})" if said else title


def _tick_count(axes_width: float, s: float) -> int:
    """9 ticks (every 25 %) where their labels have room, else every 50 % or 100 %."""
    label = text_width("100%", TICKS * s) + 0.12 * s
    return next((count for count in (9, 5, 3) if axes_width >= count * label), 3)


def _hidden_ticks(axes, lefts, hidden_cells, scale, bar_y, bar) -> None:
    """A short black tick where a hidden count lies in its bar (its segment has no width)."""
    for row, sid in enumerate(lefts.index):
        for code in scale.codes:
            if hidden_cells.at[sid, code]:
                x = lefts.at[sid, code]
                half = bar / 2 + 0.08
                axes.plot(
                    [x, x], [bar_y[row] - half, bar_y[row] + half], color=HIDDEN_TICK,
                    linewidth=1.2, zorder=4, solid_capstyle="butt",
                )  # fmt: skip


def axis_label(answers: AnswerSet, scale: ScaleSplit, counted: str) -> str:
    """The x axis text in the scale's own words: what it ``counted``, the scale's two ends, and
    "neutral" only if it has one."""
    low, high = (answers.label_of[code].lower() for code in (scale.codes[0], scale.codes[-1]))
    middle = " (neutral split across zero)" if scale.neutral is not None else ""
    return f"{counted}: {low} ◀ 0 ▶ {high}{middle}"


def legend_labels(figure: Figure) -> list[str]:
    """The labels of a figure's legend, in reading order along its rows (for tests and
    checks)."""
    legend = figure.legends[0]
    texts = [text.get_text() for text in legend.get_texts()]
    columns = legend._ncols  # matplotlib keeps the number of columns only here
    order = _row_major(list(range(len(texts))), texts, columns)[0]
    return [texts[order.index(i)] for i in range(len(texts))]


def column_headers(figure: Figure) -> list[str]:
    """The side columns' headers, left to right (for tests and checks)."""
    return [text.get_text() for text in figure.axes[0].texts if text.get_style() == "italic"]


def _side_values(
    percent: pd.DataFrame,
    n: pd.Series,
    scale: ScaleSplit,
    agree: list[int],
    hidden: pd.Series,
    hidden_cells: pd.DataFrame,
    n_hidden: pd.Series,
) -> list[pd.Series]:
    """% low, % high and n of each statement as shown: ``*`` for a statement without a bar, for
    a share that a hidden value enters, and for n when it is short of a hidden count."""
    low, high = list(scale.disagree), list(agree)
    return [
        percent[low].sum(axis=1).map("{:.0f}%".format).mask(hidden | hidden_cells[low].any(axis=1),
                                                             SUPPRESSED),
        percent[high].sum(axis=1).map("{:.0f}%".format).mask(
            hidden | hidden_cells[high].any(axis=1), SUPPRESSED
        ),
        n.map(str).mask(hidden | n_hidden, SUPPRESSED),
    ]  # fmt: skip


def _side_columns(axes, columns: _Columns, axes_width: float, y, header_y: float, s) -> None:
    """% low, % high and n at the right of each bar, so the figure reads without caption."""
    transform = blended_transform_factory(axes.transAxes, axes.transData)
    for edge, header, values in zip(columns.edges, columns.headers, columns.values, strict=True):
        x = 1 + edge / axes_width  # right edge of the column, in inches
        axes.text(
            x,
            header_y,
            header,
            transform=transform,
            ha="right",
            va="bottom",
            size=HEADER * s,
            color="#333333",
            style="italic",
        )
        for row, value in zip(y, values, strict=True):
            axes.text(x, row, value, transform=transform, ha="right", va="center", size=VALUES * s)
