"""Figure 5 (likertflow.agreement_plot): bars and intervals from the mean rows, a mean the
disclosure rule hid, and labels legible with 8 statement sets and 3 questionnaires."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from likertflow.agreement_plot import plot_agreement
from matplotlib.collections import PathCollection
from support.figures import agreement_summary, plot_figure5


def crowded_summary(n_sets: int, surveys: list[str]) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for survey in surveys:
        for k in range(n_sets):
            values = rng.uniform(5, 95, 3)
            rows += [
                (survey, f"set{k}", f"s{i}", v, v - 5, v + 5, 50) for i, v in enumerate(values)
            ]
            rows.append(
                (survey, f"set{k}", "mean", values.mean(), values.mean() - 3, values.mean() + 3, 60)
            )
    columns = ["survey", "statement_set", "statement", "percent_agree", "ci_low", "ci_high", "n"]
    return pd.DataFrame(rows, columns=columns)


def overlaps(boxes) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]


def test_figure5_labels_do_not_overlap_with_8_sets_and_3_questionnaires():
    names = {
        f"set{k}": f"A rather long statement set name number {k} of the survey" for k in range(8)
    }
    agree = {f"set{k}": ["Agree", "Strongly agree"] for k in range(8)}
    agree["set7"] = ["Often", "Always"]  # a frequency scale beside the agreement scale
    figure = plot_agreement(
        crowded_summary(8, ["a", "b", "c"]), {"a": "A", "b": "B", "c": "C"}, names, agree, 0.95
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    axes = figure.axes[0]
    values = [t.get_window_extent(renderer) for t in axes.get_xticklabels() if t.get_text()]
    assert len(values) == 24 and not overlaps(values)
    set_labels = [t for t in axes.texts if t.get_text().startswith("A rather long")]
    boxes = [t.get_window_extent(renderer) for t in set_labels]
    assert len(boxes) == 8 and not overlaps(boxes)
    assert not overlaps([*boxes, figure.legends[0].get_window_extent(renderer)])
    assert "(Often or Always)" in set_labels[7].get_text()
    figure_box = figure.bbox
    assert all(figure_box.x0 <= b.x0 and b.x1 <= figure_box.x1 for b in boxes)


def test_figure5_bars_and_intervals_match_the_mean_rows():
    summary = agreement_summary()
    figure = plot_figure5(summary)
    axes = figure.axes[0]
    bars = sorted((p.get_x() + p.get_width() / 2, p.get_height()) for p in axes.patches)
    means = summary[summary["statement"] == "mean"]
    # Sets along x (benefits, risks), questionnaires in table order within a set.
    expected = [
        means.set_index(["statement_set", "survey"]).loc[(s, q), "percent_agree"]
        for s in ["benefits", "risks"]
        for q in ["patients", "experts"]
    ]
    assert [height for _, height in bars] == pytest.approx(expected)
    segments = np.concatenate(
        [c.get_segments() for c in axes.collections if hasattr(c, "get_segments")]
    )
    spans = sorted((round(s[:, 1].min(), 6), round(s[:, 1].max(), 6)) for s in segments)
    for _, row in means.iterrows():
        assert (round(row.ci_low, 6), round(row.ci_high, 6)) in spans
    # Each mean's value is printed under its bar (patients' bars, then experts').
    tick_texts = [t.get_text() for t in axes.get_xticklabels()]
    assert tick_texts == [f"{v:.1f}%" for v in [78.49, 5.1, 73.35, 27.76]]
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[:2] == ["Patients (n = 120)", "Clinical experts (n = 120)"]


def test_figure5_marks_a_mean_the_disclosure_rule_hid():
    """The summary as published: a hidden mean has no bar, "*" under its slot (as in the
    table), and the subtitle says what "*" means; hidden statements are not drawn."""
    summary = agreement_summary().astype({c: "object" for c in ["percent_agree", "ci_low",
                                                                 "ci_high", "n"]})  # fmt: skip
    hidden_mean = (summary["survey"] == "experts") & (summary["statement_set"] == "risks")
    summary.loc[hidden_mean, ["percent_agree", "ci_low", "ci_high", "n"]] = "*"
    figure = plot_figure5(summary)
    axes = figure.axes[0]
    tick_texts = [t.get_text() for t in axes.get_xticklabels()]
    assert tick_texts == ["78.5%", "5.1%", "73.3%", "*"]
    heights = [p.get_height() for p in axes.patches if np.isfinite(p.get_height())]
    assert sorted(heights) == pytest.approx(sorted([78.49, 5.1, 73.35]))
    dots = [c.get_offsets() for c in axes.collections if isinstance(c, PathCollection)]
    assert sum(len(d) for d in dots) == 5 + 3  # the experts' two risk statements are hidden
    assert any("; * hidden (disclosure rule)" in t.get_text() for t in figure.texts)
    assert not any("hidden" in t.get_text() for t in plot_figure5(agreement_summary()).texts)


# --- What a reader sees: bars, intervals, dots, axes, words -------------------------------------


def summary_of(surveys: dict[str, list[float]], n=None) -> pd.DataFrame:
    """Per questionnaire, each set's statements' % agree (benefits: all but the last two,
    risks: the last two); the mean row their mean, its interval mean -3 / +2."""
    rows = []
    for survey, values in surveys.items():
        for set_id, part in [("benefits", values[:-2]), ("risks", values[-2:])]:
            for i, v in enumerate(part):
                rows.append((survey, set_id, f"{set_id}{i}", v, v - 6, v + 6, 90))
            mean = float(np.mean(part))
            mean_n = (n or {}).get((survey, set_id), 100)
            rows.append((survey, set_id, "mean", mean, mean - 3, mean + 2, mean_n))
    columns = ["survey", "statement_set", "statement", "percent_agree", "ci_low", "ci_high", "n"]
    return pd.DataFrame(rows, columns=columns)


SETS = {"benefits": "Potential benefits", "risks": "Potential risks"}
AGREE = ["Agree", "Strongly agree"]


def bars_by_set(axes) -> list[list]:
    return [sorted((p for p in axes.patches if round(p.get_x() + p.get_width() / 2) == k),
                   key=lambda p: p.get_x()) for k in (0, 1)]  # fmt: skip


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_bars_side_by_side_in_table_order_in_each_set(count):
    """One bar per questionnaire in each set, in table order left to right, in the group
    colours, each bar's height its mean row's % agree; the bars of a set centred on it, 0.36
    wide where two fit, all of them within 0.8 of the set's slot, a tenth of a bar apart."""
    from likertflow.plotting import GROUP_COLOURS
    from matplotlib.colors import to_rgba

    names = ["zeta", "alpha", "mid", "beta"][:count]
    values = {name: [10.0 + 20 * k, 30.0 + 20 * k, 40.0 + 10 * k, 5.0 + k] for k, name in
              enumerate(names)}  # fmt: skip
    figure = plot_agreement(summary_of(values), {}, SETS, AGREE, 0.95)
    for k, bars in enumerate(bars_by_set(figure.axes[0])):
        assert len(bars) == count
        widths = {round(b.get_width(), 9) for b in bars}
        (width,) = widths
        assert width == pytest.approx(0.36 if count <= 2 else 0.8 / count / 1.1)
        centres = [b.get_x() + width / 2 for b in bars]
        assert np.mean(centres) == pytest.approx(k, abs=1e-8)
        assert np.diff(centres) == pytest.approx([1.1 * width] * (count - 1))
        assert bars[-1].get_x() + width - bars[0].get_x() <= 0.8 + 1e-9
        expected = [np.mean(values[name][:-2] if k == 0 else values[name][-2:]) for name in names]
        assert [b.get_height() for b in bars] == pytest.approx(expected)
        colours = [b.get_facecolor() for b in bars]
        assert colours == [to_rgba(c, 0.85) for c in GROUP_COLOURS[:count]]


def test_intervals_and_statement_dots_beside_each_bar():
    """Each bar's interval from its ci_low to its ci_high in near-black; each statement's % agree
    an open dot (white, grey edge), in one column a quarter of a bar right of its centre,
    lowest first, drawn over the axis' edge (a statement at 0 % stays visible)."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    values = {"p": [70.0, 0.0, 90.0, 20.0, 10.0], "e": [50.0, 60.0, 55.0, 30.0, 35.0]}
    summary = summary_of(values)
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95)
    axes = figure.axes[0]
    bars = [b for column in bars_by_set(axes) for b in column]
    centres = {(round(b.get_x() + b.get_width() / 2, 6), round(b.get_height(), 6)) for b in bars}
    intervals = [c for c in axes.collections if isinstance(c, LineCollection)]
    segments = [s for c in intervals for s in c.get_segments()]
    means = summary[summary["statement"] == "mean"]
    assert sorted((s[0, 0].round(6), s[:, 1].min().round(6), s[:, 1].max().round(6))
                  for s in segments) == sorted(
        (x, round(h - 3, 6), round(h + 2, 6)) for x, h in centres)  # fmt: skip
    assert len(means) == len(segments)
    assert {tuple(c.get_colors()[0]) for c in intervals} == {to_rgba("#222222")}
    dots = [c for c in axes.collections if isinstance(c, PathCollection)]
    width = bars[0].get_width()
    columns = {}
    for collection in dots:
        offsets = collection.get_offsets()
        assert len(set(offsets[:, 0])) == 1 and list(offsets[:, 1]) == sorted(offsets[:, 1])
        columns[round(offsets[0, 0] - width / 4, 6)] = list(offsets[:, 1])
        assert tuple(collection.get_facecolor()[0]) == to_rgba("white")
        assert tuple(collection.get_edgecolor()[0]) == to_rgba("#444444")
        assert not collection.get_clip_on()
    expected = {}
    for k, column in enumerate(bars_by_set(axes)):
        for bar, survey in zip(column, values, strict=True):
            part = values[survey][:-2] if k == 0 else values[survey][-2:]
            expected[round(bar.get_x() + bar.get_width() / 2, 6)] = sorted(part)
    assert columns == expected


def test_axes_from_0_to_100_percent_and_the_sets_named_under_their_bars():
    figure = plot_agreement(summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]}), {}, SETS, AGREE)
    axes = figure.axes[0]
    assert axes.get_ylim() == (0, 100)
    assert [t.get_text() for t in axes.get_yticklabels()] == [f"{v}%" for v in range(0, 101, 20)]
    assert list(axes.get_yticks()) == list(range(0, 101, 20))
    assert axes.get_xlim() == (-0.6, 1.6)  # the sets' slots, 0.6 beside the outer ones
    names = {t.get_text(): t for t in axes.texts}
    assert list(names) == ["Potential benefits", "Potential risks"]
    for k, text in enumerate(names.values()):
        assert text.xy[0] == k and text.get_horizontalalignment() == "center"
    # the y axis in the scale's words, the answers that count as agreeing
    assert axes.get_ylabel() == "% agree (Agree or Strongly agree)"


def test_missing_columns_refused_by_name():
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]}).drop(columns=["ci_low", "n"])
    with pytest.raises(ValueError) as error:
        plot_agreement(summary, {}, SETS, AGREE)
    assert str(error.value) == "agreement summary lacks columns ['ci_low', 'n']"


@pytest.mark.parametrize(
    ("agree", "high", "label"),
    [
        ({"benefits": AGREE, "risks": AGREE}, "agree", "% agree (Agree or Strongly agree)"),
        ({"benefits": AGREE, "risks": ["Agree"]}, "agree",
         "% agree (the answers under each set's name)"),
        ({"benefits": AGREE, "risks": ["Often", "Always"]},
         {"benefits": "agree", "risks": "often or always"},
         "% at the high end (the answers under each set's name)"),
    ],
)  # fmt: skip
def test_the_y_axis_in_the_scales_words(agree, high, label):
    figure = plot_agreement(
        summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]}), {}, SETS, agree, high=high
    )
    assert figure.axes[0].get_ylabel().replace("\n", " ") == label
    names = [t.get_text().replace("\n", " ") for t in figure.axes[0].texts]
    if len({tuple(v) for v in agree.values()}) == 1:
        assert names == list(SETS.values())
    else:  # each set's answers under its name
        assert names == [f"{SETS[k]} ({' or '.join(v)})" for k, v in agree.items()]


@pytest.mark.parametrize(("level", "words"), [(0.95, "95% "), (0.9, "90% "), (None, "")])
def test_legend_names_each_questionnaire_with_its_largest_n_and_the_interval(level, words):
    n = {("p", "benefits"): 118, ("p", "risks"): 121, ("e", "benefits"): 40, ("e", "risks"): 39}
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]}, n)
    figure = plot_agreement(summary, {"p": "Patients"}, SETS, AGREE, level)
    legend = figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == [
        "Patients (n = 121)", "e (n = 40)", f"{words}confidence interval of the mean",
        "one statement's % agree",
    ]  # fmt: skip
    handles = legend.legend_handles
    assert handles[2].get_marker() == "|" and handles[3].get_marker() == "o"
    assert handles[3].get_markerfacecolor() == "white"


def test_title_subtitle_and_notes_above_the_axes():
    notes = ("reverse-keyed statements (R) in their keyed direction",)
    figure = plot_agreement(summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]}), {}, SETS, AGREE,
                            title="Agreement", notes=notes)  # fmt: skip
    title, subtitle = figure.texts
    assert title.get_text() == "Agreement" and title.get_weight() == "bold"
    assert subtitle.get_text().replace("\n", " ") == (
        "Bars: mean % agree over the statements of each set; dots: the individual statements; "
        "reverse-keyed statements (R) in their keyed direction"
    )
    top = figure.axes[0].get_position().y1
    assert title.get_position()[1] > subtitle.get_position()[1] > top
    assert title.get_fontsize() == 12 and subtitle.get_fontsize() == 9.5


@pytest.mark.parametrize(("sets", "surveys", "width"), [(2, 2, 8.0), (3, 2, 8.0), (8, 3, 16.72)])
def test_figure_wide_enough_for_every_bar(sets, surveys, width):
    """8 inches, or 0.55 inch of axis a bar and 0.3 a set between 1.12 inches of margins."""
    from likertflow.agreement_plot import figure_width

    assert figure_width(sets, surveys) == pytest.approx(width)
    names = {f"set{k}": f"Set {k}" for k in range(sets)}
    figure = plot_agreement(crowded_summary(sets, list("abc")[:surveys]), {}, names, AGREE)
    assert figure.get_size_inches()[0] == pytest.approx(width)


def extents(figure):
    """Every drawn text's extent in inches (tick labels, legend, key included)."""
    import matplotlib.text
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Affine2D

    figure.set_dpi(150)  # the PNG's resolution (hinting widens small text at lower ones)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer, inch = canvas.get_renderer(), Affine2D().scale(1 / figure.dpi)
    return {
        t: t.get_window_extent(renderer).transformed(inch)
        for t in figure.findobj(matplotlib.text.Text)
        if t.get_visible() and t.get_text().strip()
    }


def sizes(texts) -> set[float]:
    return {round(t.get_fontsize(), 6) for t in texts}


def inside_figure(figure, boxes) -> None:
    width, height = figure.get_size_inches()
    for text, box in boxes.items():
        assert box.x0 >= -0.01 and box.x1 <= width + 0.01, text.get_text()
        assert box.y0 >= -0.01 and box.y1 <= height + 0.01, text.get_text()


@pytest.mark.parametrize("mm", [None, 85, 175])
def test_text_at_print_size_at_a_journal_width(mm):
    """At a journal column's width every text is 0.8 of its standard size (8 pt where the
    standard has 10), the values under the bars bold and level, the intervals' caps 5 pt a
    side, and everything inside the figure."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95, size=size)
    axes = figure.axes[0]
    assert figure.get_size_inches()[0] == pytest.approx(8.0 if mm is None else mm / 25.4)
    values = axes.get_xticklabels()
    assert {(round(t.get_fontsize(), 6), t.get_rotation(), t.get_weight()) for t in values} == {
        (round(9 * s, 6), 0.0, "bold")
    }
    assert axes.yaxis.label.get_fontsize() == pytest.approx(10 * s)
    assert sizes(axes.get_yticklabels()) == {round(9 * s, 6)}
    assert sizes(figure.legends[0].get_texts()) == {round(9 * s, 6)}
    assert sizes(axes.texts) == {round(10.5 * s, 6)}
    title, subtitle = figure.texts
    assert (title.get_fontsize(), subtitle.get_fontsize()) == pytest.approx((12 * s, 9.5 * s))
    caps = [line for line in axes.lines if line.get_marker() == "_"]
    assert caps and {line.get_markersize() for line in caps} == {10.0}
    boxes = extents(figure)
    inside_figure(figure, boxes)
    # the title, subtitle, axes, values, set names and legend from the top down, apart
    axes_box = axes.get_window_extent().transformed(figure.dpi_scale_trans.inverted())
    names = [boxes[t] for t in axes.texts]
    legend = figure.legends[0].get_window_extent().transformed(figure.dpi_scale_trans.inverted())
    assert boxes[title].y0 > boxes[subtitle].y1 and boxes[subtitle].y0 > axes_box.y1
    lowest_value = min(boxes[t].y0 for t in values)
    assert all(b.y1 < lowest_value for b in names) and all(b.y0 > legend.y1 for b in names)


def test_crowded_slots_number_the_sets_and_name_them_in_a_key():
    """Sets whose names cannot fit their slots are numbered under their bars and named in a key
    above the legend, in order; the values under the bars stand upright, smaller, the caps
    3 pt a side; all inside the figure, nothing overlapping."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": 85, "png_dpi": 150})
    s = size.scale
    names = {f"set{k}": f"Set{k}withaverylongunbreakablename" for k in range(8)}
    figure = plot_agreement(crowded_summary(8, ["a", "b", "c"]), {}, names, AGREE, size=size)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.texts] == [str(k) for k in range(1, 9)]
    key = figure.texts[2]
    assert key.get_text().split("\n") == [f"{k + 1}  {names[f'set{k}']}" for k in range(8)]
    assert key.get_fontsize() == pytest.approx(10.5 * s * 0.9)
    values = axes.get_xticklabels()
    assert {(round(t.get_fontsize(), 6), t.get_rotation()) for t in values} == {
        (round(8 * s, 6), 90)
    }
    caps = [line for line in axes.lines if line.get_marker() == "_"]
    assert {line.get_markersize() for line in caps} == {6.0}
    boxes = extents(figure)
    inside_figure(figure, boxes)
    legend = figure.legends[0].get_window_extent().transformed(figure.dpi_scale_trans.inverted())
    numbers = [boxes[t] for t in axes.texts]
    assert boxes[key].y0 > legend.y1 and all(boxes[key].y1 < b.y0 for b in numbers)
    assert boxes[key].x0 >= 0.1 * s  # in from the figure's left edge
    lowest_value = min(boxes[t].y0 for t in values)
    assert all(b.y1 < lowest_value for b in numbers)


def legend_width(handles, labels, columns, size) -> float:
    """The width in inches of a legend of these entries in ``columns`` columns."""
    from likertflow.plotting import new_figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    scratch = new_figure(30, 4)
    canvas = FigureCanvasAgg(scratch)
    legend = scratch.legend(handles, labels, ncol=columns, fontsize=size)
    return legend.get_window_extent(canvas.get_renderer()).width / scratch.dpi


@pytest.mark.parametrize("mm", [None, 85])
@pytest.mark.parametrize("words", [1, 6, 30])
def test_legend_as_many_columns_as_fit_its_entries_wrapped_where_one_does_not(mm, words):
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale
    labels = {"p": " ".join(["Patients"] * words), "e": "Experts"}
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, labels, SETS, AGREE, 0.95, size=size)
    legend = figure.legends[0]
    width = figure.get_size_inches()[0]
    extents(figure)  # drawn at the PNG's resolution
    drawn = legend.get_window_extent().width / figure.dpi
    assert drawn <= width - 0.2 * s + 1e-6
    texts = [t.get_text() for t in legend.get_texts()]
    handles = legend.legend_handles
    columns = legend._ncols
    assert 1 <= columns <= 2  # two at the standard width of 8 inches
    if columns < 2:  # a second column would not fit
        assert legend_width(handles, texts, columns + 1, 9 * s) > width - 0.2 * s
    # a name is wrapped only where even one column of it would not fit
    whole = [text.replace("\n", " ") for text in texts]
    assert whole[0] == f"{labels['p']} (n = 100)"
    too_wide = legend_width(handles, whole, 1, 9 * s) > width - 0.2 * s
    assert ("\n" in texts[0]) == too_wide
    assert too_wide == (words == 30 or (words == 6 and mm == 85))


@pytest.mark.parametrize("mm", [None, 85])
def test_a_y_axis_label_of_two_lines_moves_the_axes_right_by_its_line(mm):
    """The y axis' words in one line or two (wrapped to the axes' shortest height): the label
    starts as near the figure's left edge either way (within 0.025 inch), its last line clear of
    the axis' values."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]})
    mixed = {"benefits": AGREE, "risks": ["Often", "Always"]}
    lefts = []
    for agree, high in [(AGREE, "agree"), (mixed, {"benefits": "agree", "risks": "often"})]:
        figure = plot_agreement(summary, {}, SETS, agree, high=high, size=size)
        axes = figure.axes[0]
        boxes = extents(figure)
        label = boxes[axes.yaxis.label]
        assert label.x1 < min(boxes[t].x0 for t in axes.get_yticklabels())
        lefts.append((axes.get_ylabel().count("\n") + 1, label.x0))
    assert [lines for lines, _ in lefts] == [1, 2]
    assert 0.04 <= lefts[0][1] <= 0.2
    assert lefts[1][1] == pytest.approx(lefts[0][1], abs=0.025)


def test_defaults_a_set_without_a_name_and_a_scale_without_its_word():
    """The default title; a set the labels do not name is shown by its id; a set with no high
    end's word (``high`` naming other sets) reads "agree"; one word for every set."""
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]})
    figure = plot_agreement(summary, {}, {"benefits": "Benefits"}, AGREE, high={"x": "often"})
    title = figure.texts[0].get_text().replace("\n", " ")
    assert title == "Mean agreement per statement set, by questionnaire"
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.texts] == ["Benefits", "risks"]
    assert axes.get_ylabel() == "% agree (Agree or Strongly agree)"
    agree = {"benefits": AGREE, "risks": ["Agree"]}
    figure = plot_agreement(summary, {}, SETS, agree, high="often or always")
    assert figure.axes[0].get_ylabel().replace("\n", " ") == (
        "% often or always (the answers under each set's name)"
    )


def test_set_names_wrapped_at_an_average_characters_width_where_that_fits():
    """A set's name is wrapped at whole words to as many characters as its slot holds at an
    average 0.6 em a character (0.15 inch spare), where every such line fits the slot less 0.1
    inch; a name of narrow letters is so wrapped though it would fit in one line by measure."""
    import textwrap

    from likertflow.plotting import text_width

    name = "ill fit lilt if it is still still till it fills its little lilt list"
    figure = plot_agreement(
        summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]}), {}, {"benefits": name}, AGREE
    )
    axes = figure.axes[0]
    slot = axes.get_position().width * figure.get_size_inches()[0] / 2
    assert text_width(name, 10.5) < slot - 0.1  # one line by measure
    characters = int((slot - 0.15) * 72 / (10.5 * 0.6))
    assert axes.texts[0].get_text() == textwrap.fill(name, characters)
    assert textwrap.fill(name, characters) != textwrap.fill(name, characters + 1)


def test_legend_columns_measured_at_the_print_size():
    """At a journal's width the legend is measured in the size it is drawn (0.8 of 9 pt): two
    columns where two fit at that size, though they would not at 9 pt."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": 175, "png_dpi": 150})
    room = 175 / 25.4 - 0.2 * size.scale
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    for words in range(1, 12):
        labels = {"p": " ".join(["Patients"] * words), "e": "Experts"}
        figure = plot_agreement(summary, labels, SETS, AGREE, 0.95, size=size)
        legend = figure.legends[0]
        texts = [t.get_text() for t in legend.get_texts()]
        handles = legend.legend_handles
        if legend_width(handles, texts, 2, 9) > room >= legend_width(handles, texts, 2, 7.2):
            assert legend._ncols == 2
            return
    raise AssertionError("no name length between the two sizes' fits")


# --- The legend's keys, the dots' drawing, sets with few statements -----------------------------


def drawn(figure):
    """The axes' bars, interval lines and statement dots, and the legend's keys."""
    from matplotlib.collections import LineCollection

    axes = figure.axes[0]
    intervals = [c for c in axes.collections if isinstance(c, LineCollection)]
    dots = [c for c in axes.collections if isinstance(c, PathCollection)]
    caps = [line for line in axes.lines if line.get_marker() == "_"]
    return axes, intervals, dots, caps, figure.legends[0].legend_handles


def test_legend_keys_look_like_the_marks_they_name():
    """Each questionnaire's key is its bars' colour (at the bars' 85 %); the interval's key a
    bar as tall as a cap is wide, in the intervals' colour; the statement's key an open dot as
    large as the drawn dots, in their colours and edge width; neither key a line through its
    marker."""
    from matplotlib.colors import to_rgba

    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    axes, intervals, dots, caps, keys = drawn(plot_agreement(summary, {}, SETS, AGREE, 0.95))
    for k in range(2):  # p, then e
        (colour,) = {tuple(column[k].get_facecolor()) for column in bars_by_set(axes)}
        assert tuple(keys[k].get_facecolor()) == colour
    interval, dot = keys[2], keys[3]
    (interval_colour,) = {tuple(c.get_colors()[0]) for c in intervals}
    assert to_rgba(interval.get_color()) == interval_colour
    assert interval.get_marker() == "|" and interval.get_linestyle() == "None"
    (cap_width,) = {line.get_markersize() for line in caps}
    assert interval.get_markersize() == cap_width
    assert dot.get_marker() == "o" and dot.get_linestyle() == "None"
    (face,) = {tuple(c.get_facecolor()[0]) for c in dots}
    (edge,) = {tuple(c.get_edgecolor()[0]) for c in dots}
    assert to_rgba(dot.get_markerfacecolor()) == face
    assert to_rgba(dot.get_markeredgecolor()) == edge
    (area,) = {size for c in dots for size in c.get_sizes()}  # points squared
    assert dot.get_markersize() == pytest.approx(np.sqrt(area))
    (edge_width,) = {width for c in dots for width in c.get_linewidths()}
    assert dot.get_markeredgewidth() == pytest.approx(edge_width)


def test_statement_dots_over_the_bars_under_the_intervals():
    """The dots are drawn over the bars (a dot inside a bar stays visible) and under the
    intervals (where a cap meets a dot the interval stays whole); the grid under everything."""
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    axes, intervals, dots, caps, _ = drawn(plot_agreement(summary, {}, SETS, AGREE, 0.95))
    (bar,) = {p.get_zorder() for p in axes.patches}
    (dot,) = {c.get_zorder() for c in dots}
    (interval,) = {c.get_zorder() for c in [*intervals, *caps]}
    grid = {line.get_zorder() for line in axes.get_ygridlines()}
    assert max(grid) < bar < dot < interval


def test_a_set_with_one_statement_or_none_beside_sets_with_more():
    """Every statement gets its dot: a set with a single statement, and the sets after a set
    whose statements were all hidden or left out (its mean row alone)."""
    rows = [
        ("p", "none", "mean", 40.0, 35.0, 45.0, 90),
        ("p", "one", "one0", 30.0, 24.0, 36.0, 90),
        ("p", "one", "mean", 30.0, 25.0, 35.0, 90),
        ("p", "two", "two0", 80.0, 74.0, 86.0, 90),
        ("p", "two", "two1", 60.0, 54.0, 66.0, 90),
        ("p", "two", "mean", 70.0, 65.0, 75.0, 90),
    ]
    columns = ["survey", "statement_set", "statement", "percent_agree", "ci_low", "ci_high", "n"]
    figure = plot_agreement(pd.DataFrame(rows, columns=columns), {}, {}, AGREE)
    axes, _, dots, _, _ = drawn(figure)
    centres = {round(p.get_x() + p.get_width() / 2): p for p in axes.patches}
    placed = {}
    for collection in dots:
        offsets = collection.get_offsets()
        placed[round(offsets[0, 0])] = list(offsets[:, 1])
    assert placed == {1: [30.0], 2: [60.0, 80.0]}
    assert sorted(centres) == [0, 1, 2]


def test_a_questionnaire_whose_every_mean_is_hidden_is_named_without_n():
    """The legend gives a questionnaire's n from its published mean rows: where the disclosure
    rule hid them all, its name alone (no "n = " of a number nobody may see)."""
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    summary = summary.astype({c: "object" for c in ["percent_agree", "ci_low", "ci_high", "n"]})
    hidden = (summary["survey"] == "e") & (summary["statement"] == "mean")
    summary.loc[hidden, ["percent_agree", "ci_low", "ci_high", "n"]] = "*"
    figure = plot_agreement(summary, {"p": "Patients", "e": "Experts"}, SETS, AGREE, 0.95)
    texts = [t.get_text() for t in figure.legends[0].get_texts()]
    assert texts[:2] == ["Patients (n = 100)", "Experts"]


def test_a_wide_figure_legend_in_two_columns_where_three_do_not_fit():
    """A figure wider than 8 inches starts from three legend columns; where three are wider than
    the figure (less 0.2 inch) but two fit, two, not fewer."""
    from likertflow.agreement_plot import figure_width

    labels = {"a": " ".join(["Patients"] * 20), "b": "Experts", "c": "Carers"}
    names = {f"set{k}": f"Set {k}" for k in range(8)}
    figure = plot_agreement(crowded_summary(8, ["a", "b", "c"]), labels, names, AGREE, 0.95)
    room = figure_width(8, 3) - 0.2
    legend = figure.legends[0]
    texts = [t.get_text() for t in legend.get_texts()]
    assert "\n" not in texts[0]
    handles = legend.legend_handles
    assert legend_width(handles, texts, 3, 9) > room >= legend_width(handles, texts, 2, 9)
    assert legend._ncols == 2


@pytest.mark.parametrize("mm", [None, 85])
def test_a_wrapped_legend_is_given_its_height(mm):
    """A legend whose name had to be wrapped takes the lines it has: it stays under the set
    names and inside the figure."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    labels = {"p": " ".join(["Patients"] * 30), "e": "Experts"}
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, labels, SETS, AGREE, 0.95, size=size)
    legend = figure.legends[0]
    assert legend.get_texts()[0].get_text().count("\n") >= 2
    boxes = extents(figure)
    inside_figure(figure, boxes)
    box = legend.get_window_extent().transformed(figure.dpi_scale_trans.inverted())
    assert box.y0 >= 0
    assert all(boxes[t].y0 > box.y1 for t in figure.axes[0].texts)


@pytest.mark.parametrize("word", ["agree", "often or always", "often or very often",
                                  "agree or strongly agree a lot"])  # fmt: skip
def test_the_y_axis_label_in_one_line_where_it_fits_beside_the_axes(word):
    """The y axis' words wrapped to the axes' height less 0.1 inch at 10 pt (with the 2 % that
    ``wrap`` keeps to spare): in one line where the whole fits, else in lines that each fit."""
    from likertflow.plotting import text_width

    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]})
    figure = plot_agreement(summary, {}, SETS, AGREE, high=word)
    axes = figure.axes[0]
    room = axes.get_position().height * figure.get_size_inches()[1] - 0.1
    label = axes.get_ylabel()
    whole = f"% {word} (Agree or Strongly agree)"
    assert label.replace("\n", " ") == whole
    assert ("\n" in label) == (text_width(whole, 10) * 1.02 > room)
    assert all(text_width(line, 10) * 1.02 <= room for line in label.split("\n"))


def test_margins_scale_with_the_text_at_a_journal_width():
    """At a journal width the axes' left and right margins are the standard's times the text's
    scale (0.8), as the y axis' words and values beside them are."""
    from likertflow.plotting import FigureSize

    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]})
    margins = []
    for mm in [None, 85]:
        size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
        figure = plot_agreement(summary, {}, SETS, AGREE, size=size)
        box, width = figure.axes[0].get_position(), figure.get_size_inches()[0]
        margins.append((box.x0 * width / size.scale, (1 - box.x1) * width / size.scale))
    assert margins[1] == pytest.approx(margins[0])


@pytest.mark.parametrize("mm", [60, 70])
def test_values_smaller_where_a_bar_slot_is_narrower_than_0_55_inch(mm):
    """Four bars at a narrow journal width: where each bar's share of the axes is narrower than
    0.55 inch (scaled with the text), the values under the bars are at 8 pt (scaled) and the
    caps 3 pt a side; else 9 pt and 5 pt."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95, size=size)
    axes, _, _, caps, _ = drawn(figure)
    slot = axes.get_position().width * figure.get_size_inches()[0] / 4
    narrow = slot < 0.55 * s
    assert narrow == (mm == 60)
    assert sizes(axes.get_xticklabels()) == {round((8 if narrow else 9) * s, 6)}
    assert {line.get_markersize() for line in caps} == {6.0 if narrow else 10.0}


def test_a_set_the_agreeing_answers_do_not_list_is_still_drawn():
    """Agreeing answers listed per set but not for every set: the figure is drawn, the y axis
    points to the answers under each set's name, and a listed set has its answers there."""
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]})
    figure = plot_agreement(summary, {}, SETS, {"benefits": AGREE})
    axes = figure.axes[0]
    assert axes.get_ylabel().replace("\n", " ") == "% agree (the answers under each set's name)"
    names = [t.get_text().replace("\n", " ") for t in axes.texts]
    assert names[0] == "Potential benefits (Agree or Strongly agree)"
    assert names[1].startswith("Potential risks")
    assert len(axes.patches) == 2


@pytest.mark.parametrize(
    ("n_sets", "n_surveys", "mm", "crowded", "upright"),
    [
        (3, 2, None, False, False),  # six bars at the standard width
        (7, 1, None, True, False),  # seven bars: crowded, however wide the figure grows
        (4, 2, None, True, False),
        (1, 1, 44, False, False),  # one bar, 0.84 inch of axes
        (1, 2, 43, True, True),  # 0.4 inch a bar: under the bold "100.0%" and 0.05 inch
        (1, 2, 44.6, True, False),  # 0.43 inch: over them
    ],
)
def test_values_smaller_beyond_six_bars_and_upright_where_they_do_not_fit(
    n_sets, n_surveys, mm, crowded, upright
):
    """The values under the bars at 8 pt (scaled) beyond six bars or where a bar's share of the
    axes is under 0.55 inch (scaled), else 9 pt; upright where that share is narrower than the
    widest value, "100.0%" in bold, and 0.06 inch (scaled)."""
    from likertflow.plotting import FigureSize, text_width

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale
    names = {f"set{k}": f"S{k}" for k in range(n_sets)}
    summary = crowded_summary(n_sets, list("abc")[:n_surveys])
    figure = plot_agreement(summary, {}, names, AGREE, 0.95, size=size)
    axes = figure.axes[0]
    bars = n_sets * n_surveys
    slot = axes.get_position().width * figure.get_size_inches()[0] / bars
    assert crowded == (bars > 6 or slot < 0.55 * s)
    value_size = (8 if crowded else 9) * s
    assert upright == (slot < text_width("100.0%", value_size, "bold") + 0.06 * s)
    values = axes.get_xticklabels()
    assert {(round(t.get_fontsize(), 6), t.get_rotation()) for t in values} == {
        (round(value_size, 6), 90.0 if upright else 0.0)
    }


@pytest.mark.parametrize(("n_sets", "n_surveys", "mm"), [(3, 2, None), (2, 2, 85), (2, 2, 60),
                                                         (1, 2, 43)])  # fmt: skip
def test_set_names_just_under_the_values_level_or_upright(n_sets, n_surveys, mm):
    """Under level values and under upright ones (taller: the names move down by them), the set
    names start a little below the lowest value: 0.06 to 0.15 inch (less than a line of the
    names' text), so they read as the names of the bars above."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    names = {f"set{k}": f"S{k}" for k in range(n_sets)}
    summary = crowded_summary(n_sets, list("abc")[:n_surveys])
    figure = plot_agreement(summary, {}, names, AGREE, 0.95, size=size)
    axes = figure.axes[0]
    boxes = extents(figure)
    lowest_value = min(boxes[t].y0 for t in axes.get_xticklabels() if t.get_text())
    gap = lowest_value - max(boxes[t].y1 for t in axes.texts)
    assert 0.06 <= gap <= 0.15


def test_one_set_named_across_the_whole_axes():
    """A figure of one statement set gives its name the axes' whole width: a name that fits
    there (less 0.1 inch) stays on one line."""
    from likertflow.plotting import text_width

    name = "Potential benefits and drawbacks of the new service for patients and carers"
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]})
    summary = summary[summary["statement_set"] == "benefits"]
    figure = plot_agreement(summary, {}, {"benefits": name}, AGREE)
    axes = figure.axes[0]
    room = axes.get_position().width * figure.get_size_inches()[0] - 0.1
    assert text_width(name, 10.5) * 1.02 < room
    assert [t.get_text() for t in axes.texts] == [name]


def journal_figure(names: dict[str, str], mm: float = 85):
    """Two sets of two questionnaires at a journal width: the figure, its axes and the slot of a
    set in inches."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, {}, names, AGREE, 0.95, size=size)
    axes = figure.axes[0]
    return figure, axes, axes.get_position().width * figure.get_size_inches()[0] / 2


def test_set_names_wrapped_at_the_print_size():
    """At a journal width a set's name is wrapped for the size it is printed at (0.8 of
    10.5 pt): as many characters as its slot holds at 0.6 em a character, 0.15 inch spare."""
    import textwrap

    name = "care at home is safe and kind"
    _, axes, slot = journal_figure({"benefits": name, "risks": "Risks"})
    characters = int((slot - 0.15) * 72 / (10.5 * 0.8 * 0.6))
    assert axes.texts[0].get_text() == textwrap.fill(name, characters)
    assert textwrap.fill(name, characters) != textwrap.fill(name, int(characters * 0.8))


def test_sets_numbered_where_a_word_is_wider_than_its_slot():
    """A word wider than its set's slot less 0.1 inch (printed at 8.4 pt): the sets are
    numbered under their bars and named in the key, though the word would break in two lines."""
    from likertflow.plotting import text_width

    names = {"benefits": "Telecommunications", "risks": "Risks"}
    figure, axes, slot = journal_figure(names)
    assert slot - 0.1 < text_width("Telecommunications", 8.4) < slot + 0.1
    assert [t.get_text() for t in axes.texts] == ["1", "2"]
    assert figure.texts[2].get_text().split("\n") == ["1  Telecommunications", "2  Risks"]


@pytest.mark.parametrize("lines", [6, 7])
def test_sets_numbered_where_a_name_takes_more_than_six_lines(lines):
    """A name of short words wrapped into more than six lines under its bars is numbered and
    named in the key instead; one of six lines stays under its bars."""
    from likertflow.agreement_plot import wrapped_set_label
    from likertflow.plotting import line_count

    _, _, slot = journal_figure(SETS)
    words = (
        "care at home is safe and kind to me and my family when I need it most of all days"
        " and nights of the week and on every one of the days off as well"
    )
    names = [" ".join(words.split()[:k]) for k in range(1, len(words.split()) + 1)]
    name = next(n for n in names if line_count(wrapped_set_label(n, slot, 8.4)) == lines)
    figure, axes, _ = journal_figure({"benefits": name, "risks": "Risks"})
    texts = [t.get_text() for t in axes.texts]
    if lines > 6:
        assert texts == ["1", "2"]
        assert " ".join(figure.texts[2].get_text().split()) == f"1 {name} 2 Risks"
    else:
        assert line_count(texts[0]) == 6 and texts[1] == "Risks" and len(figure.texts) == 2


def test_an_empty_summary_draws_the_frame_of_the_figure():
    """No rows (nothing published for the chosen sets yet): the axes, title and legend's keys,
    no bars, no error."""
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]}).iloc[:0]
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95)
    axes = figure.axes[0]
    assert not axes.patches and not axes.texts
    assert figure.texts[0].get_text().startswith("Mean agreement")
    assert [t.get_text() for t in figure.legends[0].get_texts()] == [
        "95% confidence interval of the mean", "one statement's % agree"
    ]  # fmt: skip


def test_the_key_of_numbered_sets_in_full_lines_across_the_figure():
    """The key names each numbered set in its words, its answers (where scales differ) on the
    same line as its name, in lines as long as the figure allows: 0.15 inch in from each side
    at the key's size, each line as full as the next word allows."""
    from likertflow.plotting import FigureSize, text_width

    size = FigureSize.from_params({"width_mm": 85, "png_dpi": 150})
    s = size.scale
    names = {f"set{k}": f"Set{k}withaverylongunbreakablename and some words of {k} to wrap in"
             for k in range(8)}  # fmt: skip
    agree = {f"set{k}": AGREE for k in range(8)}
    agree["set7"] = ["Often", "Always"]
    figure = plot_agreement(crowded_summary(8, ["a", "b", "c"]), {}, names, agree, size=size)
    key = figure.texts[2]
    lines = key.get_text().split("\n")
    answers = {k: " or ".join(v) for k, v in agree.items()}
    assert " ".join(key.get_text().split()) == " ".join(
        f"{k + 1} {names[f'set{k}']} ({answers[f'set{k}']})" for k in range(8)
    )
    room = figure.get_size_inches()[0] - 0.3 * s
    widths = [text_width(line, key.get_fontsize()) for line in lines]
    assert max(widths) * 1.02 <= room
    for line, following in zip(lines, lines[1:], strict=False):
        if following.split()[0].isdigit():  # the next set's entry
            continue
        assert text_width(f"{line} {following.split()[0]}", key.get_fontsize()) * 1.02 > room


@pytest.mark.parametrize("mm", [None, 85])
def test_no_blank_band_above_the_legend_or_the_key(mm):
    """The space below the axes is what its texts take: the legend comes under the set names
    (no room kept for a key there is none of), a key under the set numbers and the legend under
    the key, with less than half an inch between them."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95, size=size)
    boxes = extents(figure)
    legend = figure.legends[0].get_window_extent().transformed(figure.dpi_scale_trans.inverted())
    assert 0 < min(boxes[t].y0 for t in figure.axes[0].texts) - legend.y1 < 0.5
    names = {f"set{k}": f"Set{k}withaverylongunbreakablename" for k in range(8)}
    figure = plot_agreement(crowded_summary(8, ["a", "b", "c"]), {}, names, AGREE, size=size)
    boxes = extents(figure)
    key = boxes[figure.texts[2]]
    legend = figure.legends[0].get_window_extent().transformed(figure.dpi_scale_trans.inverted())
    assert 0 < min(boxes[t].y0 for t in figure.axes[0].texts) - key.y1 < 0.5
    assert 0 < key.y0 - legend.y1 < 0.5


def axes_bottom(figure) -> float:
    """The room below the axes, in inches."""
    return figure.axes[0].get_position().y0 * figure.get_size_inches()[1]


@pytest.mark.parametrize("mm", [None, 85])
def test_a_key_takes_its_lines_at_1_3_their_size_and_a_tenth_of_an_inch(mm):
    """Numbering the sets moves the axes up by the key's room and nothing else: its lines at 1.3
    times the key's size (0.9 of the set names', 72 points an inch) and 0.1 inch, both scaled;
    the same sets with names that fit their slots keep no room for a key."""
    from likertflow.plotting import FigureSize, line_count

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale
    summary = crowded_summary(8, ["a", "b", "c"])
    short = plot_agreement(summary, {}, {f"set{k}": f"S{k}" for k in range(8)}, AGREE, size=size)
    names = {f"set{k}": f"Set{k}withaverylongunbreakablename" for k in range(8)}
    numbered = plot_agreement(summary, {}, names, AGREE, size=size)
    assert len(short.texts) == 2 and len(numbered.texts) == 3  # title, subtitle (, key)
    key = numbered.texts[2]
    lines = line_count(key.get_text())
    assert lines == 8
    room = lines * 1.3 * 10.5 * s * 0.9 / 72 + 0.1 * s
    assert axes_bottom(numbered) - axes_bottom(short) == pytest.approx(room, abs=1e-9)


def test_at_the_standard_size_a_legend_row_takes_0_27_inch():
    """At the standard size the legend's room is 0.27 inch a row (as drawn before journal
    widths were measured): a third questionnaire, five entries in two columns, three rows
    instead of two, moves the axes up by one row's 0.27 inch."""
    two = plot_agreement(crowded_summary(2, ["a", "b"]), {}, {}, AGREE, 0.95)
    three = plot_agreement(crowded_summary(2, ["a", "b", "c"]), {}, {}, AGREE, 0.95)
    assert [legend._ncols for legend in (two.legends[0], three.legends[0])] == [2, 2]
    assert axes_bottom(three) - axes_bottom(two) == pytest.approx(0.27, abs=1e-9)


def test_a_wide_figure_legend_in_three_columns_where_they_fit():
    """A figure wider than 8 inches (8 sets of 3 questionnaires: 16.72 inches) puts its five
    legend entries in three columns where three fit, not two and not more; an 8-inch figure's
    in two."""
    names = {f"set{k}": f"Set {k}" for k in range(8)}
    wide = plot_agreement(crowded_summary(8, ["a", "b", "c"]), {}, names, AGREE, 0.95)
    assert wide.get_size_inches()[0] == pytest.approx(16.72)
    assert len(wide.legends[0].get_texts()) == 5 and wide.legends[0]._ncols == 3
    narrow = plot_agreement(crowded_summary(2, ["a", "b", "c"]), {}, {}, AGREE, 0.95)
    assert narrow.get_size_inches()[0] == 8.0 and narrow.legends[0]._ncols == 2


def test_an_empty_summary_keeps_one_line_for_set_names():
    """With no sets the figure keeps the room of one line of set names under the axes, as a
    figure of one-line names does (the same one-row legend: an empty figure's two entries in
    two columns, one questionnaire's three in the three columns of a 9-set figure)."""
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0]}).iloc[:0]
    empty = plot_agreement(summary, {}, SETS, AGREE, 0.95)
    names = {f"set{k}": f"S{k}" for k in range(9)}
    one_line = plot_agreement(crowded_summary(9, ["a"]), {}, names, AGREE, 0.95)
    assert one_line.get_size_inches()[0] > 8.0 and one_line.legends[0]._ncols == 3
    assert {t.get_text().count("\n") for t in one_line.axes[0].texts} == {0}
    assert {t.get_rotation() for t in one_line.axes[0].get_xticklabels()} == {0.0}
    assert axes_bottom(empty) == pytest.approx(axes_bottom(one_line), abs=1e-9)


def full_lines(text: str, room: float, size: float, weight: str = "normal") -> None:
    """Every line of ``text`` fits ``room`` inches at ``size`` (with ``wrap``'s 2 % to spare) and
    none could take the next line's first word."""
    from likertflow.plotting import text_width

    lines = text.split("\n")
    assert all(text_width(line, size, weight) * 1.02 <= room for line in lines), lines
    for line, following in zip(lines, lines[1:], strict=False):
        candidate = f"{line} {following.split()[0]}"
        assert text_width(candidate, size, weight) * 1.02 > room, candidate


@pytest.mark.parametrize("mm", [None, 85])
def test_title_and_subtitle_in_full_lines_across_the_figure_the_axes_under_them(mm):
    """The title (bold, 12 pt scaled) and the subtitle (9.5 pt scaled) are wrapped to the
    figure's width less 3 %, each line as full as the next word allows; each line beyond the
    first moves the subtitle and the axes down by 1.3 times its text's size."""
    from likertflow.plotting import FigureSize, line_count

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    words = "Mean agreement per statement set by questionnaire in the spring and autumn waves"
    short = plot_agreement(summary, {}, SETS, AGREE, 0.95, title="Agreement", size=size)
    notes = (" ".join(["reverse-keyed statements are counted in their keyed direction"] * 3),)
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95, title=f"{words}: {words}",
                            notes=notes, size=size)  # fmt: skip
    width = figure.get_size_inches()[0]
    title, subtitle = (t.get_text() for t in figure.texts)
    full_lines(title, 0.97 * width, 12 * s, "bold")
    full_lines(subtitle, 0.97 * width, 9.5 * s)
    assert line_count(title) >= 2 and line_count(subtitle) >= 3
    assert line_count(short.texts[0].get_text()) == 1

    def below(figure) -> float:  # the lines the title and subtitle take beyond one each, inches
        title, subtitle = (line_count(t.get_text()) - 1 for t in figure.texts)
        return (title * 12 + subtitle * 9.5) * 1.3 * s / 72

    def from_top(figure, y) -> float:  # inches from the figure's top edge
        return (1 - y) * figure.get_size_inches()[1]

    moved = below(figure) - below(short)
    subtitles = [from_top(f, f.texts[1].get_position()[1]) for f in (figure, short)]
    assert subtitles[0] - subtitles[1] == pytest.approx(moved, abs=1e-9)
    tops = [from_top(f, f.axes[0].get_position().y1) for f in (figure, short)]
    assert tops[0] - tops[1] == pytest.approx(moved, abs=1e-9)


@pytest.mark.parametrize("mm", [None, 175])
def test_legend_columns_drop_to_one_exactly_where_two_no_longer_fit(mm):
    """The legend takes as many columns (of the two an 8-inch or narrower figure starts from)
    as fit in the figure's width less 0.2 inch (scaled), measured at the size it is printed
    (9 pt scaled): a questionnaire's name one letter longer than the longest that fits in two
    columns puts the legend in one."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    base = plot_agreement(summary, {}, SETS, AGREE, 0.95, size=size)
    handles, room = base.legends[0].legend_handles, base.get_size_inches()[0] - 0.2 * s
    rest = [t.get_text() for t in base.legends[0].get_texts()][1:]

    def two_columns(k):
        return legend_width(handles, [f"P{'e' * k} (n = 100)", *rest], 2, 9 * s)

    longest = next(k for k in range(200) if two_columns(k + 1) > room)
    assert two_columns(longest) <= room
    for k, columns in [(longest, 2), (longest + 1, 1)]:
        figure = plot_agreement(summary, {"p": f"P{'e' * k}"}, SETS, AGREE, 0.95, size=size)
        assert figure.legends[0]._ncols == columns, k


@pytest.mark.parametrize("mm", [None, 85])
@pytest.mark.parametrize("title", ["Agreement", "Mean agreement per statement set by "
                                   "questionnaire in the spring and autumn waves of the study"])
def test_no_blank_band_above_the_title_or_between_title_subtitle_and_axes(mm, title):
    """Whether the title takes one line or two: the title starts within 0.2 inch of the
    figure's top, the subtitle within 0.15 inch under it, the axes within 0.4 inch under that;
    the legend comes within 0.5 inch under the set names (0.3 at a journal width, where the
    legend's height is measured rather than 0.27 inch a row)."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95, title=title, size=size)
    boxes = extents(figure)
    inches = figure.dpi_scale_trans.inverted()
    axes = figure.axes[0].get_window_extent().transformed(inches)
    legend = figure.legends[0].get_window_extent().transformed(inches)
    title_box, subtitle = boxes[figure.texts[0]], boxes[figure.texts[1]]
    assert 0 < figure.get_size_inches()[1] - title_box.y1 < 0.2
    assert 0 < title_box.y0 - subtitle.y1 < 0.15
    assert 0 < subtitle.y0 - axes.y1 < 0.4
    names = min(boxes[t].y0 for t in figure.axes[0].texts)
    assert 0 < names - legend.y1 < (0.5 if mm is None else 0.3)


def test_the_room_below_the_axes_scales_with_the_text_apart_from_the_legend():
    """Below the axes, the values, the set names and the spaces between them and the legend
    take the standard's room times the text's scale (0.8) at a journal width; only the legend
    is measured there (as drawn, at the figure's resolution), where the standard keeps 0.27
    inch a row (two rows here)."""
    from likertflow.plotting import FigureSize

    names = {"benefits": "Benefits", "risks": "Risks"}  # one line at both sizes
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    rooms = []
    for mm in [None, 85]:
        size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
        figure = plot_agreement(summary, {}, names, AGREE, 0.95, size=size)
        assert [t.get_text() for t in figure.axes[0].texts] == ["Benefits", "Risks"]
        if mm is None:
            legend = 2 * 0.27
        else:
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            renderer = FigureCanvasAgg(figure).get_renderer()
            legend = figure.legends[0].get_window_extent(renderer).height / figure.dpi
        rooms.append((axes_bottom(figure) - legend) / size.scale)
    assert rooms[1] == pytest.approx(rooms[0], abs=1e-9)


def test_each_further_line_of_a_set_name_raises_the_axes_by_1_25_its_size():
    """The set names' room under the axes is their longest name's lines at 1.25 times their
    size (10.5 pt, 72 points an inch): a name of three lines instead of one raises the axes by
    two such lines."""
    from likertflow.plotting import line_count

    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    one = plot_agreement(summary, {}, {"benefits": "Benefits", "risks": "Risks"}, AGREE, 0.95)
    long = "Potential benefits of the service for patients, carers and the staff who run it"
    three = plot_agreement(summary, {}, {"benefits": long, "risks": "Risks"}, AGREE, 0.95)
    assert [line_count(t.get_text()) for t in three.axes[0].texts] == [3, 1]
    assert [line_count(t.get_text()) for t in one.axes[0].texts] == [1, 1]
    assert axes_bottom(three) - axes_bottom(one) == pytest.approx(2 * 10.5 * 1.25 / 72, abs=1e-9)


@pytest.mark.parametrize("mm", [None, 85])
def test_the_figure_grows_taller_to_keep_the_axes_3_4_inches_tall(mm):
    """5.6 inches tall (scaled with the text) where that leaves the axes at least 3.4 inches
    (scaled: a wide figure whose legend takes one row); else as tall as the axes' 3.4 inches
    (scaled) and the title's, subtitle's, names', values', key's and legend's lines need."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale

    def axes_height(figure):
        return figure.axes[0].get_position().height * figure.get_size_inches()[1]

    if mm is None:
        names = {f"set{k}": f"S{k}" for k in range(9)}
        wide = plot_agreement(crowded_summary(9, ["a"]), {}, names, AGREE, 0.95)
        assert wide.legends[0]._ncols == 3  # one row
        assert wide.get_size_inches()[1] == 5.6 and axes_height(wide) > 3.4
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    plain = plot_agreement(summary, {}, SETS, AGREE, 0.95, size=size)
    words = "Mean agreement per statement set by questionnaire in the spring and autumn waves"
    notes = (" ".join(["reverse-keyed statements are counted in their keyed direction"] * 3),)
    names = {f"set{k}": f"Set{k}withaverylongunbreakablename" for k in range(8)}
    tall = plot_agreement(crowded_summary(8, ["a", "b", "c"]), {}, names, AGREE, 0.95,
                          title=f"{words}: {words}", notes=notes, size=size)  # fmt: skip
    assert len(tall.texts) == 3 and "\n" in tall.texts[0].get_text()  # a key; two title lines
    for figure in [plain, tall]:
        assert figure.get_size_inches()[1] > 5.6 * s
        assert axes_height(figure) == pytest.approx(3.4 * s, abs=1e-9)


def test_intervals_are_1_2_point_lines_with_no_line_through_the_means():
    """Each interval is a 1.2 pt line in the intervals' colour with its caps; nothing joins the
    means (the bars show them), so the axes hold no line but the caps."""
    from matplotlib.colors import to_rgba

    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    axes, intervals, _, caps, _ = drawn(plot_agreement(summary, {}, SETS, AGREE, 0.95))
    assert len(intervals) == 2 and len(caps) == 4  # per questionnaire; a low and a high cap
    for interval in intervals:
        np.testing.assert_array_equal(interval.get_linewidths(), [1.2])
        np.testing.assert_array_equal(interval.get_colors(), [to_rgba("#222222")])
    assert [line for line in axes.lines if line not in caps] == []


@pytest.mark.parametrize("count", [2, 3])
def test_each_value_is_written_under_its_own_bar(count):
    """The value under the axis at a bar's centre is that bar's mean, whichever questionnaire
    and set the bar is of."""
    summary = crowded_summary(3, list("abc")[:count])
    axes = plot_agreement(summary, {}, {}, AGREE, 0.95).axes[0]
    bars = {round(p.get_x() + p.get_width() / 2, 9): p.get_height() for p in axes.patches}
    ticks = axes.get_xticks()
    labels = [t.get_text() for t in axes.get_xticklabels()]
    assert len(ticks) == len(bars) == 3 * count
    for tick, label in zip(ticks, labels, strict=True):
        assert label == f"{bars[round(tick, 9)]:.1f}%"


def test_a_questionnaire_without_a_set_has_no_bar_and_no_value_there():
    """A set that one questionnaire does not ask (no mean row of it): no bar there and nothing
    written under the axis at its place; the others' values as ever. The values stand without
    tick marks, the y axis keeps its ticks."""
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    summary = summary[~((summary["survey"] == "e") & (summary["statement_set"] == "risks"))]
    axes = plot_agreement(summary, {}, SETS, AGREE, 0.95).axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == ["73.3%", "15.0%", "2.0%", ""]
    heights = [p.get_height() for p in axes.patches]
    assert np.isnan(heights).sum() == 1 and len(heights) == 4
    assert {tick.tick1line.get_markersize() for tick in axes.xaxis.get_major_ticks()} == {0}
    assert min(tick.tick1line.get_markersize() for tick in axes.yaxis.get_major_ticks()) > 0


@pytest.mark.parametrize("mm", [None, 85])
def test_set_names_centred_under_their_bars(mm):
    """Each set's name is centred under its bars (the middle of its slot), within a hundredth
    of an inch."""
    from likertflow.plotting import FigureSize

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95, size=size)
    boxes = extents(figure)
    axes = figure.axes[0]
    to_inches = axes.transData + figure.dpi_scale_trans.inverted()
    for k, name in enumerate(axes.texts):
        centre = to_inches.transform((k, 0))[0]
        assert (boxes[name].x0 + boxes[name].x1) / 2 == pytest.approx(centre, abs=0.01)


@pytest.mark.parametrize(("mm", "n_sets", "upright"), [(None, 2, False), (85, 2, False),
                                                       (43, 1, True)])  # fmt: skip
def test_set_names_start_20_points_under_the_axes_lower_by_upright_values(mm, n_sets, upright):
    """The set names' tops are 20 pt (scaled) under the axes; under upright values lower by the
    widest value ("100.0%" in bold at the values' size) less 0.16 inch (scaled)."""
    from likertflow.plotting import FigureSize, text_width

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    s = size.scale
    names = {f"set{k}": f"S{k}" for k in range(n_sets)}
    figure = plot_agreement(crowded_summary(n_sets, ["a", "b"]), {}, names, AGREE, size=size)
    axes = figure.axes[0]
    rotation = {t.get_rotation() for t in axes.get_xticklabels()}
    assert rotation == {90.0 if upright else 0.0}
    value_size = {t.get_fontsize() for t in axes.get_xticklabels()}.pop()
    lower = (text_width("100.0%", value_size, "bold") - 0.16 * s) * 72 if upright else 0.0
    boxes = extents(figure)
    bottom = axes.get_window_extent().transformed(figure.dpi_scale_trans.inverted()).y0
    for name in axes.texts:
        assert (bottom - boxes[name].y1) * 72 == pytest.approx(20 * s + lower, abs=1e-6)


def test_the_axis_stays_0_to_100_where_an_interval_reaches_beyond_it():
    """An interval of a mean near 0 or near 100 % that reaches beyond (here -1 % and 101.5 %) is
    cut at the axis: the axis is 0 to 100 % whatever the intervals."""
    for values, mean in [([1.0, 2, 3, 4, 5], "ci_low"), ([99.0, 100, 99.5, 98, 100], "ci_high")]:
        summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": values})
        beyond = summary.loc[summary["statement"] == "mean", mean]
        assert beyond.min() == -1.0 if mean == "ci_low" else beyond.max() == 101.5
        assert plot_agreement(summary, {}, SETS, AGREE, 0.95).axes[0].get_ylim() == (0, 100)


def test_a_light_horizontal_grid_and_no_vertical_one():
    """The grid is light grey (#e0e0e0) 0.6 pt lines at the y axis' ticks only, under the bars:
    no line runs up from the values under the bars or across a bar."""
    from matplotlib.colors import to_rgba

    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    axes = plot_agreement(summary, {}, SETS, AGREE, 0.95).axes[0]
    assert not any(line.get_visible() for line in axes.get_xgridlines())
    lines = axes.get_ygridlines()
    assert len(lines) == 6 and all(line.get_visible() for line in lines)
    assert {(to_rgba(line.get_color()), line.get_linewidth()) for line in lines} == {
        (to_rgba("#e0e0e0"), 0.6)
    }
    # drawn with its axis, under the bars (a grid line never crosses a bar)
    assert axes.yaxis.get_zorder() < min(p.get_zorder() for p in axes.patches)


@pytest.mark.parametrize("mm", [None, 85])
def test_legend_centred_at_the_foot_and_the_subtitle_in_dark_grey(mm):
    """The legend is centred at the figure's foot, 1 % of the figure's height and half its
    text's size (matplotlib's pad, 4.5 pt scaled) above the bottom edge; the title is black,
    the subtitle dark grey (#333333) under it."""
    from likertflow.plotting import FigureSize
    from matplotlib.colors import to_rgba

    size = FigureSize.from_params({"width_mm": mm, "png_dpi": 150})
    summary = summary_of({"p": [70.0, 60.0, 90.0, 20.0, 10.0], "e": [1.0, 2, 3, 4, 5]})
    figure = plot_agreement(summary, {}, SETS, AGREE, 0.95, size=size)
    extents(figure)  # drawn
    width, height = figure.get_size_inches()
    legend = figure.legends[0].get_window_extent().transformed(figure.dpi_scale_trans.inverted())
    assert (legend.x0 + legend.x1) / 2 == pytest.approx(width / 2, abs=1e-6)
    assert (legend.y0 - 0.01 * height) * 72 == pytest.approx(4.5 * size.scale, abs=1e-3)
    title, subtitle = figure.texts
    assert [to_rgba(t.get_color()) for t in (title, subtitle)] == [
        to_rgba("black"), to_rgba("#333333")
    ]  # fmt: skip


def test_the_key_starts_at_0_15_inch_and_tops_its_room_above_the_legend():
    """At a journal width the key of numbered sets starts 0.15 inch (scaled) in from the
    left edge; its top is at the top of its room (its lines at 1.3 their size and 0.1 inch,
    scaled) less 0.05 inch (scaled), the room above the legend's measured height over the
    figure's 1 % foot."""
    from likertflow.plotting import FigureSize, line_count
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    size = FigureSize.from_params({"width_mm": 85, "png_dpi": 150})
    s = size.scale
    names = {f"set{k}": f"Set{k}withaverylongunbreakablename" for k in range(8)}
    figure = plot_agreement(crowded_summary(8, ["a", "b", "c"]), {}, names, AGREE, size=size)
    renderer = FigureCanvasAgg(figure).get_renderer()  # at the figure's own resolution
    key, height = figure.texts[2], figure.get_size_inches()[1]
    box = key.get_window_extent(renderer)
    legend = figure.legends[0].get_window_extent(renderer).height / figure.dpi
    room = line_count(key.get_text()) * 1.3 * key.get_fontsize() / 72 + 0.1 * s
    assert box.x0 / figure.dpi == pytest.approx(0.15 * s, abs=1e-6)
    assert box.y1 / figure.dpi == pytest.approx(0.01 * height + legend + room - 0.05 * s, abs=1e-6)
