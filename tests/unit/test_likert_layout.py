"""The Likert figure's layout as a whole (likertflow.likert_plot): a journal size is the
standard layout with its text and spacing scaled (``FigureSize.scale``), columns that make room
for wide values, and marks drawn over what they mark. Measured with matplotlib's renderer on
small toy questionnaires (support.figures, the fit test's codebook), no workflow run."""

from __future__ import annotations

import numpy as np
import pytest
from likertflow.disclosure import SUPPRESSED, Policy
from likertflow.likert_plot import plot_likert
from likertflow.plotting import FigureSize
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle
from test_figure_fit import answers, codebook
from test_figure_fit import questionnaire as fit_questionnaire
from test_figure_fit import statement_table as fit_table

DPI = 100


def short_worded(scale: str = "5-point", statements: int = 3):
    """The fit test's questionnaire with wordings short enough for one line at any size."""
    book = codebook(scale, sets=1, statements=statements)
    for k, statement in enumerate(book["statements"]):
        statement["wording"] = f"Short statement {k}"
    return fit_questionnaire(book)


def rendered(figure):
    figure.set_dpi(DPI)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def layout(figure) -> dict[str, list]:
    """Every text and bar of the figure, in drawing order by kind, as (text, font size, inches
    from the figure's top to the box's top and bottom, inches from its left and right edges)."""
    renderer = rendered(figure)
    width, height = figure.get_size_inches()
    axes = figure.axes[0]

    def place(artist):
        box = artist.get_window_extent(renderer)
        return (height - box.y1 / DPI, height - box.y0 / DPI, box.x0 / DPI, width - box.x1 / DPI)

    def described(texts):
        return [(t.get_text(), t.get_fontsize(), *place(t)) for t in texts if t.get_text()]

    bars = [p for p in axes.patches if isinstance(p, Rectangle) and p.get_width() > 0]
    return {
        "title and subtitle": described(figure.texts),
        "legend": described(figure.legends[0].get_texts()),
        "columns": described(axes.texts),
        "wordings": described(axes.get_yticklabels()),
        "ticks": described(axes.get_xticklabels()),
        "axis label": described([axes.xaxis.label]),
        "bars": [("bar", 0.0, *place(p)) for p in bars[:3]],
    }


def test_a_journal_size_is_the_standard_layout_with_text_and_spacing_scaled():
    """Twice the width at twice the text scale: every text twice the size, and every text and
    bar above the axis twice as far from the figure's top; the title and subtitle twice as far
    from the left edge, the side columns twice as far from the right edge (the axes take the
    rest), the legend centred."""
    q = short_worded()
    table = fit_table(answers(q), q)
    options = {"stem": "Do you agree", "total": 300}
    standard = plot_likert(table, q, "set0", "Toy", **options)
    double = plot_likert(table, q, "set0", "Toy", size=FigureSize(width=20.0, scale=2.0),
                         **options)  # fmt: skip
    assert double.get_size_inches()[1] == pytest.approx(2 * standard.get_size_inches()[1])
    one, two = layout(standard), layout(double)
    for kind, items in one.items():
        assert [item[0] for item in two[kind]] == [item[0] for item in items], kind
        for small, large in zip(items, two[kind], strict=True):
            assert large[1] == pytest.approx(2 * small[1]), (kind, small[0])  # font size
            if kind in ("ticks", "axis label"):
                continue  # matplotlib's tick lengths and pads are points of the style, unscaled
            # text boxes hold hinted glyphs: allow 2 % and a pixel
            for k in (2, 3):  # from the top: the box's top and bottom
                assert large[k] == pytest.approx(2 * small[k], rel=0.02, abs=0.02), (kind, small)
            if kind in ("title and subtitle",):
                assert large[4] == pytest.approx(2 * small[4], rel=0.02, abs=0.02), small
            if kind == "columns":
                assert large[5] == pytest.approx(2 * small[5], rel=0.02, abs=0.02), small
    legend_boxes = [figure.legends[0].get_window_extent(rendered(figure))
                    for figure in (standard, double)]  # fmt: skip
    for figure, box in zip((standard, double), legend_boxes, strict=True):
        centre = (box.x0 + box.x1) / 2 / DPI
        assert centre == pytest.approx(figure.get_size_inches()[0] / 2, abs=0.02)  # centred


@pytest.mark.parametrize("size", ["standard", "one_column"])
def test_values_wider_than_their_column_move_the_columns_right(size):
    """An n of eight digits is wider than the n column's standard room: the columns move right
    (the bars give up the room) just enough that the widest n starts a small gap (0.05 inch,
    scaled) right of the column before it; no value meets its neighbour or the bars."""
    from test_figure_fit import SIZES

    q = short_worded(statements=2)
    table = fit_table(answers(q), q)
    small = plot_likert(table, q, "set0", "Toy", size=SIZES[size])
    large = plot_likert(table.assign(n=table["n"] * 100_000), q, "set0", "Toy", size=SIZES[size])
    columns = [t for t in large.axes[0].texts if t.get_horizontalalignment() == "right"]
    assert max(len(t.get_text()) for t in columns) == 8  # n of about 30 million: eight digits
    assert large.axes[0].get_position().x1 < small.axes[0].get_position().x1
    renderer = rendered(large)
    axes = large.axes[0]
    rows = {}
    for text in columns:
        if text.get_style() != "italic":
            box = text.get_window_extent(renderer)
            rows.setdefault(round(text.get_position()[1]), []).append(box)
    bars_right = axes.get_window_extent(renderer).x1
    for boxes in rows.values():
        assert len(boxes) == 3 and bars_right < boxes[0].x0
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))  # apart
    high_edge = max(boxes[1].x1 for boxes in rows.values())  # the % high column's right edge
    widest_n = min(boxes[2].x0 for boxes in rows.values())
    gap = (widest_n - high_edge) / DPI
    assert gap == pytest.approx(0.05 * SIZES[size].scale, abs=0.04)  # hinting: a few pixels


def test_a_hidden_count_at_zero_is_marked_over_the_zero_line():
    """A hidden count whose segment would start at zero (the first agreeing answer of an even
    scale): its tick is drawn over the zero line, not under it, and over the bars."""
    q = short_worded("4-point", statements=2)
    table = fit_table(answers(q), q).astype({"n": "object"})
    table.loc[table["code"] == 3, "n"] = SUPPRESSED  # "Agree": the first answer right of zero
    figure = plot_likert(
        table, q, "set0", "Toy", policy=Policy("nhs", min_count=5, rounding=1, min_statistic_n=5)
    )
    axes = figure.axes[0]
    ticks = [line for line in axes.lines if line.get_color() == "#111111"]
    zero = [line for line in axes.lines if line not in ticks]
    assert len(ticks) == 2 and len(zero) == 1 and list(zero[0].get_xdata()) == [0, 0]
    assert all(tick.get_xdata()[0] == pytest.approx(0) for tick in ticks)
    assert all(tick.get_zorder() > zero[0].get_zorder() for tick in ticks)
    assert all(tick.get_zorder() > patch.get_zorder() for tick in ticks
               for patch in axes.patches)  # fmt: skip


@pytest.mark.parametrize("size", ["standard", "one_column", "two_columns"])
@pytest.mark.parametrize("wrapped", [False, True], ids=["title", "wrapped title"])
def test_no_blank_band_between_title_subtitle_legend_columns_and_axis(size, wrapped):
    """From the top: the title, the subtitle, the legend, the columns' headers and the bars
    follow one another with small gaps (none overlapping), at any size and whether the title
    takes one line or more; and the axis label ends a little above the figure's bottom."""
    from test_figure_fit import SIZES

    q = fit_questionnaire(codebook("5-point", sets=1, statements=3))
    title = "What the first-year undergraduates on every campus think of the services they use"
    title = f"{title} {title}" if wrapped else "Toy"
    stem = "How far do you agree that the service"
    figure = plot_likert(fit_table(answers(q), q), q, "set0", title, total=300, stem=stem,
                         size=SIZES[size])  # fmt: skip
    renderer = rendered(figure)
    height = figure.get_size_inches()[1]
    axes = figure.axes[0]

    def top(box):
        return height - box.y1 / DPI

    def bottom(box):
        return height - box.y0 / DPI

    title_box, subtitle_box = (text.get_window_extent(renderer) for text in figure.texts)
    assert ("\n" in figure.texts[0].get_text()) == wrapped
    legend = figure.legends[0].get_window_extent(renderer)
    headers = [t.get_window_extent(renderer) for t in axes.texts if t.get_style() == "italic"]
    bars = axes.get_window_extent(renderer)
    label = axes.xaxis.label.get_window_extent(renderer)
    gaps = {
        "above the title": top(title_box),
        "title to subtitle": top(subtitle_box) - bottom(title_box),
        "subtitle to legend": top(legend) - bottom(subtitle_box),
        "headers to bars": top(bars) - max(bottom(h) for h in headers),
        "axis label to the bottom": height - bottom(label),
    }
    most = {"above the title": 0.25, "title to subtitle": 0.17, "subtitle to legend": 0.3,
            "headers to bars": 0.17, "axis label to the bottom": 0.35}  # inches # fmt: skip
    for gap, inches in gaps.items():
        assert 0 < inches < most[gap], (gap, inches)
    assert max(bottom(h) for h in headers) < top(bars)  # the headers above the first bar


@pytest.mark.parametrize("size", ["standard", "one_column", "two_columns"])
def test_a_row_is_as_tall_as_its_longest_wording_needs(size):
    """Wordings wrapped to several lines: a row is the tallest wording's lines and a small gap
    (beside the bars), or those and the bar (a wording above its bar): no blank band."""
    from test_figure_fit import SIZES

    q = fit_questionnaire(codebook("5-point", sets=1, statements=5))
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", size=SIZES[size])
    renderer = rendered(figure)
    axes = figure.axes[0]
    pitch = abs(axes.transData.transform((0, 1))[1] - axes.transData.transform((0, 0))[1]) / DPI
    wordings = [t for t in [*axes.get_yticklabels(), *axes.texts] if "(statement" in t.get_text()]
    assert len(wordings) == 5 and max(t.get_text().count("\n") for t in wordings) >= 3
    tallest = max(t.get_window_extent(renderer).height for t in wordings) / DPI
    bar = max(p.get_height() for p in axes.patches) * pitch  # a bar's thickness, inches
    beside = size != "one_column"
    assert 0 < pitch - tallest - (0 if beside else bar) < 0.15, pitch - tallest


def test_wordings_beside_the_bars_use_the_room_left_of_them():
    """At a journal width the wordings are wrapped to the room between the margin and the bars
    (less a small gap): the widest line takes most of it, none starts left of the margin."""
    from test_figure_fit import SIZES

    size = SIZES["two_columns"]
    q = fit_questionnaire(codebook("5-point", sets=1, statements=5))
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", size=size)
    renderer = rendered(figure)
    axes = figure.axes[0]
    margin = 0.15 * size.scale  # inches, as at every size
    room = axes.get_window_extent(renderer).x0 / DPI - margin
    boxes = [t.get_window_extent(renderer) for t in axes.get_yticklabels()]
    assert len(boxes) == 5 and min(box.x0 for box in boxes) / DPI >= margin - 0.01
    assert max(box.width for box in boxes) / DPI > 0.8 * room


def test_a_hidden_share_stars_its_own_statement_only():
    """A hidden count in one statement's agreeing answer stars that statement's % agree; the
    other statements' % agree and every % disagree are shown (each from its own counts)."""
    q = short_worded(statements=3)
    table = fit_table(answers(q), q).astype({"n": "object"})
    first = q.statements()[0].id
    table.loc[(table["question_id"] == first) & (table["code"] == 5), "n"] = SUPPRESSED
    policy = Policy("nhs", min_count=1, rounding=1, min_statistic_n=1)
    figure = plot_likert(table, q, "set0", "Toy", policy=policy)
    axes = figure.axes[0]
    wordings = [t.get_text() for t in axes.get_yticklabels()]
    values = [t.get_text() for t in axes.texts if t.get_style() != "italic"]
    low, high = values[:3], values[3:6]
    starred = wordings.index(q.question(first).text)
    assert high[starred] == SUPPRESSED
    assert all(v.endswith("%") for k, v in enumerate(high) if k != starred)
    assert all(v.endswith("%") for v in low)


@pytest.mark.parametrize("size", ["standard", "one_column", "two_columns"])
def test_a_legend_of_long_answers_and_long_poles_fits(size):
    """Answers too long for the legend's row: fewer columns, and in a narrow column each
    label wrapped; with wrapped headers beside it: every text inside the figure, whole, none
    over another (the headers moved below the legend's text where the two would meet)."""
    from test_figure_fit import SIZES, check_fits

    book = codebook("given poles", sets=1, statements=3)
    poles = {"low": "incomprehensibly unfavourably", "high": "overwhelmingly favourably"}
    book["answer_sets"]["scale"]["poles"] = poles
    for option in book["answer_sets"]["scale"]["options"]:
        option["label"] += " of every service the university offered in the last year"
    q = fit_questionnaire(book)
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", total=300,
                         size=SIZES[size])  # fmt: skip
    labels = [o.label for o in q.statements()[0].answers.options if not o.off_scale]
    legend = figure.legends[0]
    assert [t.get_text().replace("\n", " ") for t in legend.get_texts()] == labels
    assert legend._ncols < len(labels)
    wrapped = any("\n" in t.get_text() for t in legend.get_texts())
    assert wrapped == (size == "one_column")  # only where one column is still too wide
    check_fits(figure, [*labels, *poles.values(), *[s.display_text for s in q.statements()]])


@pytest.mark.parametrize("size", ["standard", "one_column", "two_columns"])
def test_a_header_word_wider_than_the_widest_header_is_broken(size):
    """A side column's header is at most 1.2 inches wide (scaled at a journal size): a longer
    word is broken over lines, so the bars keep their room; a shorter one stays whole."""
    from likertflow.likert_plot import column_headers
    from likertflow.plotting import text_width
    from test_figure_fit import SIZES

    s = SIZES[size].scale
    book = codebook("given poles", sets=1, statements=2)
    book["answer_sets"]["scale"]["poles"] = {"low": "incomprehensibly",
                                             "high": "counterrevolutionaries"}  # fmt: skip
    q = fit_questionnaire(book)
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", size=SIZES[size])
    low, high, _ = column_headers(figure)
    assert low == "incomprehensibly"  # narrower than 1.2 inches (scaled): whole
    assert "\n" in high and high.replace("\n", "") == "counterrevolutionaries"
    for line in high.split("\n"):
        assert text_width(line, 8.5 * s, style="italic") <= 1.2 * s


def test_the_zero_line_is_drawn_as_the_axis_over_segments_edged_in_the_background():
    """The zero line in the colour and width of the axes' frame, over the bars and the grid; the
    segments of a bar parted by thin lines of the figure's background colour; a light grid at
    the x ticks only, under the bars, thinner and lighter than the zero line."""
    from matplotlib.colors import to_rgba

    q = short_worded()
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy")
    axes = figure.axes[0]
    [zero] = [line for line in axes.lines if list(line.get_xdata()) == [0, 0]]
    spine = axes.spines["bottom"]
    assert to_rgba(zero.get_color()) == to_rgba(spine.get_edgecolor())
    assert zero.get_linewidth() == spine.get_linewidth()
    segments = [p for p in axes.patches if isinstance(p, Rectangle)]
    assert all(zero.get_zorder() > p.get_zorder() for p in segments)
    assert zero.get_zorder() > axes.xaxis.get_gridlines()[0].get_zorder()
    background = to_rgba(figure.get_facecolor())
    assert all(to_rgba(p.get_edgecolor()) == background for p in segments)
    assert all(0 < p.get_linewidth() < zero.get_linewidth() for p in segments)
    grid = [line for line in axes.xaxis.get_gridlines() if line.get_visible()]
    assert len(grid) == len(axes.get_xticks())
    assert not any(line.get_visible() for line in axes.yaxis.get_gridlines())
    for line in grid:
        assert line.get_zorder() < min(p.get_zorder() for p in segments)
        assert 0 < line.get_linewidth() < zero.get_linewidth()
        grey = np.mean(to_rgba(line.get_color())[:3])
        assert np.mean(to_rgba(zero.get_color())[:3]) < grey < np.mean(background[:3])


def test_the_headers_are_secondary_text_as_the_subtitle_is():
    """The side columns' headers in the subtitle's dark grey, lighter than the title and the
    values they head (secondary text); the title in bold, the weight its lines are wrapped for."""
    from matplotlib.colors import to_rgba

    q = short_worded()
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", stem="Do you agree")
    title, subtitle = figure.texts
    assert title.get_fontweight() == "bold" and subtitle.get_fontweight() == "normal"
    axes = figure.axes[0]
    headers = [t for t in axes.texts if t.get_style() == "italic"]
    values = [t for t in axes.texts if t.get_style() != "italic"]
    grey = to_rgba(subtitle.get_color())
    assert len(headers) == 3 and all(to_rgba(h.get_color()) == grey for h in headers)
    darker = [to_rgba(title.get_color()), *(to_rgba(v.get_color()) for v in values)]
    assert all(np.mean(c[:3]) < np.mean(grey[:3]) < 1 for c in darker)
