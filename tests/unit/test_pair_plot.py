"""The figure of before-and-after pairs (likertflow.pair_plot): each statement's before and after
bars are the margins of its published before-by-after table, counted here from the people's own
answers; a hidden cell is left out of both bars and the title says so. On the shipped codebook's
questionnaires (support.figures), no workflow run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from likertflow.disclosure import SUPPRESSED
from likertflow.pair_plot import pair_margins, plot_pair_shift
from likertflow.plotting import DIVERGING, FigureSize
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from support.figures import questionnaire

AGREEMENT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
             "Strongly agree"]  # fmt: skip
PAIRS = {"visit": {"before": "patients", "after": "experts"}}
QUESTIONNAIRES = {"patients": questionnaire("patients"), "experts": questionnaire("experts")}


def people(seed: int, n: int = 40) -> pd.DataFrame:
    """``n`` people's before and after answers on the agreement scale (labels)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"before": rng.choice(AGREEMENT, n), "after": rng.choice(AGREEMENT, n)})


def cells(pair: str, statement: str, answers: pd.DataFrame) -> pd.DataFrame:
    """The published before-by-after table of one statement (every count shown, as text, as the
    workflow reads results/tables/paired_tables.csv)."""
    counts = answers.value_counts(["before", "after"]).reset_index(name="n")
    return counts.assign(pair=pair, statement=statement, n=counts["n"].astype(str))[
        ["pair", "statement", "before", "after", "n"]
    ]


def segments(figure) -> dict[float, list[tuple[float, float, tuple]]]:
    """(left, width, colour) of every drawn segment, per bar's y (the legend's empty
    proxies left out)."""
    bars: dict[float, list] = {}
    for patch in figure.axes[0].patches:
        if isinstance(patch, Rectangle) and patch.get_width() > 0:
            y = round(patch.get_y() + patch.get_height() / 2, 9)
            bars.setdefault(y, []).append((patch.get_x(), patch.get_width(), patch.get_facecolor()))
    return bars


def tick_labels(figure) -> dict[float, str]:
    axes = figure.axes[0]
    return {round(y, 9): t.get_text() for y, t in zip(axes.get_yticks(), axes.get_yticklabels(),
                                                      strict=True)}  # fmt: skip


# --- The margins -----------------------------------------------------------------------------


def test_margins_are_the_shares_of_the_people_before_and_after():
    answers = people(1)
    table = cells("visit", "understand", answers)
    before, after, hidden = pair_margins(table, AGREEMENT)
    expected_before = answers["before"].value_counts().reindex(AGREEMENT, fill_value=0) / 40
    expected_after = answers["after"].value_counts().reindex(AGREEMENT, fill_value=0) / 40
    assert before == pytest.approx(expected_before.to_numpy())
    assert after == pytest.approx(expected_after.to_numpy())
    assert hidden is False


def test_a_hidden_cell_is_left_out_of_both_margins():
    answers = pd.DataFrame(
        {"before": ["Agree"] * 6 + ["Disagree"] * 3 + ["Strongly agree"],
         "after": ["Strongly agree"] * 6 + ["Agree"] * 3 + ["Disagree"]}
    )  # fmt: skip
    table = cells("visit", "understand", answers)
    hide = (table["before"] == "Strongly agree") & (table["after"] == "Disagree")
    table.loc[hide, "n"] = SUPPRESSED
    before, after, hidden = pair_margins(table, AGREEMENT)
    assert hidden is True
    # the 9 people of the cells shown: 6 agree then strongly agree, 3 disagree then agree
    assert before == pytest.approx([0, 3 / 9, 0, 6 / 9, 0])
    assert after == pytest.approx([0, 0, 0, 3 / 9, 6 / 9])


def test_a_statement_whose_every_cell_is_hidden_has_empty_bars():
    table = pd.DataFrame(
        {"pair": "visit", "statement": "understand", "before": ["Agree", "Disagree"],
         "after": ["Agree", "Agree"], "n": [SUPPRESSED, SUPPRESSED]}
    )  # fmt: skip
    with np.errstate(all="raise"):  # no 0 / 0
        before, after, hidden = pair_margins(table, AGREEMENT)
    assert hidden is True
    assert list(before) == [0] * 5 and list(after) == [0] * 5


def test_a_label_not_on_the_scale_counts_for_neither_margin():
    table = pd.DataFrame(
        {"pair": "visit", "statement": "understand", "before": ["Agree", "Don't know"],
         "after": ["Don't know", "Agree"], "n": ["4", "1"]}
    )  # fmt: skip
    before, after, hidden = pair_margins(table, AGREEMENT)
    assert before == pytest.approx([0, 0, 0, 1, 0])
    assert after == pytest.approx([0, 0, 0, 0.25, 0])
    assert hidden is False


# --- The figure ------------------------------------------------------------------------------


def test_each_statement_has_a_before_bar_above_its_after_bar_of_the_peoples_shares():
    first, second = people(2), people(3, n=25)
    table = pd.concat(
        [cells("visit", "understand", first), cells("visit", "recall", second)],
        ignore_index=True,
    )
    figure = plot_pair_shift(table, QUESTIONNAIRES, PAIRS)
    bars, labels = segments(figure), tick_labels(figure)
    colours = [to_rgba(c) for c in DIVERGING[5]]
    q = QUESTIONNAIRES["patients"]
    rows = [(first, "understand"), (second, "recall")]
    ys = sorted(bars, reverse=True)  # top first
    assert len(ys) == 4 and set(labels) == set(ys)
    for k, (answers, statement) in enumerate(rows):
        top, below = ys[2 * k], ys[2 * k + 1]
        assert labels[top].replace("\n", " ") == f"{q.question(statement).text} before"
        assert labels[below] == "after"
        for y, when in ((top, "before"), (below, "after")):
            shares = answers[when].value_counts().reindex(AGREEMENT, fill_value=0) / len(answers)
            drawn = {colours.index(tuple(colour)): (left, width) for left, width, colour in bars[y]}
            expected = {i: share for i, share in enumerate(shares) if share > 0}
            assert sorted(drawn) == sorted(expected)  # each answer in its own colour
            assert [drawn[i][1] for i in sorted(drawn)] == pytest.approx(
                [100 * expected[i] for i in sorted(expected)]
            )
            # low end left, each segment where the one before it ends
            lefts = 100 * np.concatenate([[0], np.cumsum(shares)[:-1]])
            assert [drawn[i][0] for i in sorted(drawn)] == pytest.approx(
                [lefts[i] for i in sorted(expected)]
            )
    # bars 0.8 thick: before and after touch but for 0.2; statements 0.6 apart
    heights = {round(p.get_height(), 9) for p in figure.axes[0].patches if p.get_width() > 0}
    assert heights == {0.8}
    assert [round(a - b, 9) for a, b in zip(ys, ys[1:], strict=False)] == [1.0, 1.4, 1.0]


def test_axis_legend_and_title_in_the_scales_words():
    figure = plot_pair_shift(cells("visit", "understand", people(4)), QUESTIONNAIRES, PAIRS)
    axes = figure.axes[0]
    assert axes.get_xlim() == (0, 100)
    assert axes.get_xlabel() == "% of matched people"
    assert not axes.spines["top"].get_visible() and not axes.spines["right"].get_visible()
    assert axes.spines["left"].get_visible() and axes.spines["bottom"].get_visible()
    legend = figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == AGREEMENT
    assert [tuple(h.get_facecolor()) for h in legend.legend_handles] == [
        to_rgba(c) for c in DIVERGING[5]
    ]
    assert legend._ncols == 3  # five answers in rows of three
    assert figure.get_suptitle() == "Answers of the same people before and after"
    assert figure.get_size_inches()[0] == 7.0


def test_a_two_point_question_in_its_two_colours_and_a_legend_of_two_columns():
    answers = pd.DataFrame({"before": ["Yes", "No", "No", "Yes"], "after": ["Yes"] * 4})
    table = cells("visit", "had_imaging", answers)
    figure = plot_pair_shift(table, QUESTIONNAIRES, PAIRS)
    legend = figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["Yes", "No"]
    assert [tuple(h.get_facecolor()) for h in legend.legend_handles] == [
        to_rgba(c) for c in DIVERGING[2]
    ]
    assert legend._ncols == 2
    bars = segments(figure)
    top, below = sorted(bars, reverse=True)
    drawn = [[v for left, width, _ in bars[y] for v in (left, width)] for y in (top, below)]
    assert drawn[0] == pytest.approx([0, 50, 50, 50]) and drawn[1] == pytest.approx([0, 100])


def test_a_hidden_cell_is_named_in_the_title():
    answers = people(5)
    table = cells("visit", "understand", answers)
    table.loc[0, "n"] = SUPPRESSED
    figure = plot_pair_shift(table, QUESTIONNAIRES, PAIRS)
    text = QUESTIONNAIRES["patients"].question("understand").text
    assert figure.get_suptitle() == (
        f"Answers of the same people before and after\n{text}: hidden counts (*) left out"
    )
    # the bars are the shares of the people in the cells shown
    shown = table.drop(index=0).astype({"n": "int64"})
    top = max(segments(figure))
    before = shown.groupby("before")["n"].sum().reindex(AGREEMENT, fill_value=0)
    widths = [width for _, width, _ in segments(figure)[top]]
    assert widths == pytest.approx([100 * v / before.sum() for v in before if v > 0])


def test_several_pairs_name_their_pair_before_each_statement():
    pairs = {"visit": PAIRS["visit"], "year": {"before": "experts", "after": "experts"}}
    table = pd.concat(
        [cells("visit", "understand", people(6)), cells("year", "upset", people(7))],
        ignore_index=True,
    )
    figure = plot_pair_shift(table, QUESTIONNAIRES, pairs)
    labels = [t.get_text().replace("\n", " ") for t in figure.axes[0].get_yticklabels()]
    q = QUESTIONNAIRES["experts"]
    assert set(labels) == {
        f"visit: {QUESTIONNAIRES['patients'].question('understand').text} before",
        f"year: {q.question('upset').text} before",
        "after",
    }
    assert len(labels) == 4


def test_at_a_journal_width_the_figure_takes_that_width_and_wraps_its_labels():
    size = FigureSize.from_params({"width_mm": 85, "png_dpi": 150})
    figure = plot_pair_shift(cells("visit", "understand", people(8)), QUESTIONNAIRES, PAIRS, size)
    assert figure.get_size_inches()[0] == pytest.approx(85 / 25.4)
    label = max(figure.axes[0].get_yticklabels(), key=lambda t: len(t.get_text())).get_text()
    text = QUESTIONNAIRES["patients"].question("understand").text
    assert label.replace("\n", " ") == f"{text} before"
    assert label.count("\n") > 1  # the wording itself in more than one line


# --- Fitting the figure -----------------------------------------------------------------------

SIZES = {
    "standard": FigureSize(),
    "one_column": FigureSize.from_params({"width_mm": 85, "png_dpi": 150}),
    "two_columns": FigureSize.from_params({"width_mm": 175, "png_dpi": 150}),
}


def drawn(figure):
    """Every visible text with its box in pixels (at the PNG's 150 dpi), the axes' box, and the
    figure's."""
    import matplotlib.text
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure.set_dpi(150)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [t for t in figure.findobj(matplotlib.text.Text)
             if t.get_visible() and t.get_text().strip()]  # fmt: skip
    boxes = {t: t.get_window_extent(renderer) for t in texts}
    return boxes, figure.axes[0].get_window_extent(renderer), figure.bbox


@pytest.mark.parametrize("size", list(SIZES))
def test_every_text_lies_inside_the_figure_and_apart_at_every_size(size):
    """Long wordings, a hidden cell's note in the title and the five answers' legend: at a
    journal's column width the text is drawn at print size, wrapped to its room, and the
    legend takes fewer columns, so nothing is cut or drawn over anything else."""
    import itertools

    table = pd.concat(
        [cells("visit", "speak_with_clinicians", people(9)),
         cells("visit", "understand", people(10))], ignore_index=True,
    )  # fmt: skip
    table.loc[0, "n"] = SUPPRESSED
    figure = plot_pair_shift(table, QUESTIONNAIRES, PAIRS, SIZES[size])
    boxes, axes_box, page = drawn(figure)
    for text, box in boxes.items():
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, text.get_text()
        assert page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5, text.get_text()
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        overlap_x = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_y = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        assert overlap_x <= 4 or overlap_y <= 4, (a.get_text(), b.get_text())
    # the title above the axes, the legend below the axis label, both centred on the figure
    title = next(t for t in boxes if t.get_text().startswith("Answers of"))
    legend = figure.legends[0].get_window_extent()
    label = next(t for t in boxes if t.get_text() == "% of matched people")
    assert boxes[title].y0 >= axes_box.y1 and legend.y1 <= boxes[label].y0 + 4
    assert (legend.x0 + legend.x1) / 2 == pytest.approx(page.x1 / 2, abs=2)
    assert (boxes[title].x0 + boxes[title].x1) / 2 == pytest.approx(page.x1 / 2, abs=2)
    wording = QUESTIONNAIRES["patients"].question("speak_with_clinicians").text
    assert " ".join(figure.get_suptitle().split()) == (
        f"Answers of the same people before and after {wording}: hidden counts (*) left out"
    )
    assert not figure.legends[0].get_frame_on()
    # apart, and compact: a tenth of an inch to 0.4 inch of white between the title and the
    # axes, at most 0.45 inch between the axis label and the legend
    assert 0.1 * 150 <= boxes[title].y0 - axes_box.y1 <= 0.4 * 150
    assert 0 <= boxes[label].y0 - legend.y1 <= 0.45 * 150


@pytest.mark.parametrize("size", list(SIZES))
def test_text_is_drawn_at_print_size_and_rows_are_equally_thick(size):
    """Text scaled as the other figures' at a journal width (ticks 9 pt, axis label and title
    10 pt at the standard size); every bar takes 0.4 inch (scaled likewise) whatever the number
    of statements, more where long wordings need it, with the axes from 40 % to 96 % of the
    width."""
    s = SIZES[size].scale
    heights = []
    for statements in (["understand"], ["understand", "recall", "upset"]):
        table = pd.concat(
            [cells("visit", sid, people(k)) for k, sid in enumerate(statements)],
            ignore_index=True,
        )
        figure = plot_pair_shift(table, QUESTIONNAIRES, PAIRS, SIZES[size])
        axes = figure.axes[0]
        box = axes.get_position()
        width, height = figure.get_size_inches()
        assert (box.x0, box.x1) == pytest.approx((0.4, 0.96))
        per_bar = box.height * height / (2 * len(statements))
        lines = max(t.get_text().count("\n") + 1 for t in axes.get_yticklabels())
        if lines <= 3:  # a wording of two lines over "before"
            assert per_bar == pytest.approx(0.4 * s)
        else:
            assert per_bar > 0.4 * s
        heights.append(height - box.height * height)
        assert {round(t.get_fontsize(), 9) for t in axes.get_yticklabels()} == {round(9 * s, 9)}
        assert {round(t.get_fontsize(), 9) for t in axes.get_xticklabels()} == {round(9 * s, 9)}
        assert axes.xaxis.label.get_fontsize() == pytest.approx(10 * s)
        assert figure._suptitle.get_fontsize() == pytest.approx(10 * s)
        legend_sizes = {round(t.get_fontsize(), 9) for t in figure.legends[0].get_texts()}
        assert legend_sizes == {round(10 / 1.2 * s, 9)}  # matplotlib's "small"
        # each segment parted from the next by a thin white line
        segments = [p for p in axes.patches if p.get_width() > 0]
        assert {p.get_edgecolor() for p in segments} == {to_rgba("white")}
        assert {p.get_linewidth() for p in segments} == {0.5}
    assert heights[0] == pytest.approx(heights[1])  # the same margins above and below


def test_a_table_without_rows_of_its_pairs_draws_an_empty_figure():
    table = cells("other", "understand", people(11))
    figure = plot_pair_shift(table, QUESTIONNAIRES, PAIRS)
    assert not [p for p in figure.axes[0].patches if p.get_width() > 0]
    assert figure.axes[0].get_yticklabels() == [] or not [
        t.get_text() for t in figure.axes[0].get_yticklabels()
    ]
    assert [t.get_text() for t in figure.legends[0].get_texts()] == []


def legend_width(figure, columns: int) -> float:
    """Inches a legend of the figure's answers takes in ``columns`` columns."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    drawn_legend = figure.legends[0]
    size = drawn_legend.get_texts()[0].get_fontsize()
    labels = [t.get_text() for t in drawn_legend.get_texts()]
    trial = figure.legend(drawn_legend.legend_handles, labels, ncols=columns, fontsize=size)
    width = trial.get_window_extent(FigureCanvasAgg(figure).get_renderer()).width / figure.dpi
    trial.remove()
    return width


@pytest.mark.parametrize("size", list(SIZES))
def test_the_legend_takes_as_many_columns_as_fit_three_at_most(size):
    s = SIZES[size].scale
    figure = plot_pair_shift(cells("visit", "understand", people(12)), QUESTIONNAIRES, PAIRS,
                             SIZES[size])  # fmt: skip
    width = figure.get_size_inches()[0]
    columns = figure.legends[0]._ncols
    assert legend_width(figure, columns) <= width - 0.2 * s
    if columns < 3:
        assert legend_width(figure, columns + 1) > width - 0.2 * s
    assert [t.get_text() for t in figure.legends[0].get_texts()] == AGREEMENT


def test_answers_wider_than_a_journal_column_are_wrapped_in_one_column():
    import copy

    from support.figures import CODEBOOK

    codebook = copy.deepcopy(CODEBOOK)
    long = [f"{label} with every word of a very long answer, {k}" for k, label in
            enumerate(AGREEMENT)]  # fmt: skip
    for option, label in zip(codebook["answer_sets"]["agreement"]["options"], long, strict=True):
        option["label"] = label
    q = questionnaire("patients", codebook)
    rng = np.random.default_rng(13)
    answers = pd.DataFrame({"before": rng.choice(long, 30), "after": rng.choice(long, 30)})
    size = SIZES["one_column"]
    figure = plot_pair_shift(cells("visit", "understand", answers), {"patients": q}, PAIRS, size)
    legend = figure.legends[0]
    assert legend._ncols == 1
    assert [" ".join(t.get_text().split()) for t in legend.get_texts()] == long
    assert any("\n" in t.get_text() for t in legend.get_texts())
    boxes, axes_box, page = drawn(figure)
    box = legend.get_window_extent()
    assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5
    label = next(t for t in boxes if t.get_text() == "% of matched people")
    assert page.y0 - 0.5 <= box.y0 and box.y1 <= boxes[label].y0


def test_each_statement_with_a_hidden_cell_is_named_in_the_title():
    table = pd.concat(
        [cells("visit", "understand", people(14)), cells("visit", "recall", people(15))],
        ignore_index=True,
    )
    table.loc[table.groupby("statement").head(1).index, "n"] = SUPPRESSED
    figure = plot_pair_shift(table, QUESTIONNAIRES, PAIRS)
    q = QUESTIONNAIRES["patients"]
    notes = [
        f"{q.question(sid).text}: hidden counts (*) left out" for sid in ("understand", "recall")
    ]
    assert " ".join(figure.get_suptitle().split()) == " ".join(
        ["Answers of the same people before and after", "; ".join(notes)]
    )
