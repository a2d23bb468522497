"""The Likert figure's layout as a whole (likertflow.likert_plot): a journal size is the
standard layout with its text and spacing scaled (``FigureSize.scale``), columns that make room
for wide values, and marks drawn over what they mark. Measured with matplotlib's renderer on
small toy questionnaires (support.figures, the fit test's codebook), no workflow run."""

from __future__ import annotations

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


def test_values_wider_than_their_column_move_the_columns_right():
    """An n of eight digits is wider than the n column's standard room: the columns move right
    (the bars give up the room) and no value meets its neighbour or the bars."""
    q = short_worded(statements=2)
    table = fit_table(answers(q), q)
    small = plot_likert(table, q, "set0", "Toy")
    large = plot_likert(table.assign(n=table["n"] * 100_000), q, "set0", "Toy")
    shown = [t.get_text() for t in large.axes[0].texts]
    assert max(len(text) for text in shown) == 8  # n of about 30 million: eight digits
    assert large.axes[0].get_position().x1 < small.axes[0].get_position().x1
    renderer = rendered(large)
    axes = large.axes[0]
    rows = {}
    for text in axes.texts:
        if text.get_style() != "italic":
            box = text.get_window_extent(renderer)
            rows.setdefault(round(text.get_position()[1]), []).append(box)
    bars_right = axes.get_window_extent(renderer).x1
    for boxes in rows.values():
        assert len(boxes) == 3 and bars_right < boxes[0].x0
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))  # apart


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
