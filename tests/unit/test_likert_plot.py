"""The diverging Likert charts (likertflow.likert_plot): bar geometry, percentages counted by
hand, one common axis, labels from the codebook; and the codebook's scales followed:
reverse-keyed statements marked and shown as given, "% agree" from the one definition, no
"neutral" on a scale without one. On small frames (support.figures), no workflow run."""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd
import pytest
from likertflow.codebook import questionnaire_codebook
from likertflow.coding import CODE_DTYPE
from likertflow.disclosure import SUPPRESSED
from likertflow.likert_plot import (
    AXIS_LIMIT,
    layout_rows,
    legend_labels,
    likert_counts,
    likert_percentages,
    segment_geometry,
    split_scale,
)
from likertflow.plotting import DIVERGING_5
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle
from support import filled
from support import toy_codebook as toy
from support.figures import CODEBOOK, answers_frame, likert, questionnaire, statement_table


def bars_by_row(figure) -> dict[int, list[tuple[float, float, str]]]:
    """(left, width, colour) of every bar segment of the chart, per row (0 = top)."""
    axes = figure.axes[0]
    rows: dict[int, list] = {}
    for patch in axes.patches:
        if isinstance(patch, Rectangle):
            row = round(patch.get_y() + patch.get_height() / 2)
            rows.setdefault(row, []).append(
                (patch.get_x(), patch.get_width(), patch.get_facecolor())
            )
    return rows


def percentages(frame, q, statement_set):
    """% of each answer and n per statement, as a figure of ``frame``'s answers draws them."""
    counts = likert_counts(statement_table(frame, q), q, statement_set)
    return likert_percentages(counts, q.statements(statement_set)[0].answers.agree_codes)


# --- Scale and percentages -----------------------------------------------------------------


def test_split_scale_odd_has_neutral_even_has_none():
    agreement = questionnaire().statements()[0].answers
    scale = split_scale(agreement)
    assert (scale.disagree, scale.neutral, scale.agree) == ((1, 2), 3, (4, 5))
    years = questionnaire("experts").question("years_experience").answers  # six points
    even = split_scale(years)
    assert even.neutral is None and even.disagree == (1, 2, 3) and even.agree == (4, 5, 6)


def test_percentages_counted_by_hand_and_sorted_by_agreement():
    q = questionnaire()
    frame = answers_frame(q, 40, seed=3, missing=0.2)
    percent, n = percentages(frame, q, "benefits")
    ids = [s.id for s in q.statements("benefits")]
    assert sorted(percent.index) == sorted(ids)
    for sid in ids:
        answered = [int(v) for v in frame[sid] if v is not pd.NA]
        assert n[sid] == len(answered)
        for code in range(1, 6):
            expected = 100 * answered.count(code) / len(answered)
            assert percent.loc[sid, code] == pytest.approx(expected)
    agree = (percent[4] + percent[5]).to_numpy()
    assert np.all(np.diff(agree) <= 1e-12), "statements must be sorted by % agree, highest first"


def test_statement_nobody_answered_has_empty_bar():
    q = questionnaire()
    frame = answers_frame(q, 10, seed=1)
    frame["upset"] = pd.array([pd.NA] * 10, dtype=CODE_DTYPE)
    percent, n = percentages(frame, q, "risks")
    assert n["upset"] == 0 and percent.loc["upset"].sum() == 0
    assert percent.index[-1] == "upset"


# --- Bar geometry --------------------------------------------------------------------------


def test_neutral_split_equally_across_zero():
    scale = split_scale(questionnaire().statements()[0].answers)
    percent = pd.DataFrame(
        [[10.0, 20.0, 30.0, 25.0, 15.0], [0.0, 0.0, 100.0, 0.0, 0.0], [50.0, 0, 0, 0, 50.0]],
        columns=[1, 2, 3, 4, 5],
    )
    lefts, widths = segment_geometry(percent, scale)
    neutral_left, neutral_width = lefts[3], widths[3]
    assert np.allclose(neutral_left, -neutral_width / 2)  # half left of zero, half right
    # Left of zero: disagree % + neutral % / 2; right of zero: agree % + neutral % / 2.
    assert np.allclose(-lefts[1], [10 + 20 + 15, 50, 50])
    right_end = lefts[5] + widths[5]
    assert np.allclose(right_end, [25 + 15 + 15, 50, 50])
    assert np.allclose(right_end - lefts[1], 100)
    # Segments are contiguous, in scale order.
    for low, high in [(1, 2), (2, 3), (3, 4), (4, 5)]:
        assert np.allclose(lefts[low] + widths[low], lefts[high])


def test_rendered_bars_match_the_data():
    q = questionnaire()
    frame = answers_frame(q, 60, seed=5)
    figure = likert(frame, q, "risks", "Risks")
    percent, _ = percentages(frame, q, "risks")
    rows = bars_by_row(figure)
    assert sorted(rows) == list(range(len(percent)))
    for row, sid in enumerate(percent.index):
        # Identify each segment by its colour: the palette in scale order.
        by_code = {code: (left, width) for left, width, colour in rows[row]
                   for code, hex_colour in zip(range(1, 6), DIVERGING_5, strict=True)
                   if colour == pytest.approx(to_rgba(hex_colour))}  # fmt: skip
        assert sorted(by_code) == [1, 2, 3, 4, 5]
        p = percent.loc[sid]
        assert [by_code[c][1] for c in range(1, 6)] == pytest.approx(list(p))
        assert by_code[1][0] == pytest.approx(-(p[1] + p[2] + p[3] / 2))
        assert by_code[3][0] == pytest.approx(-p[3] / 2)  # neutral straddles zero equally
    # The top row is the statement with the most agreement.
    assert percent.index[0] == (percent[4] + percent[5]).idxmax()


def test_one_common_axis_across_figures():
    """Figures of different sets, questionnaires and n: same size, x axis and bar thickness."""
    patients, experts = questionnaire("patients"), questionnaire("experts")
    figures = [
        likert(
            answers_frame(patients, 282, 1), patients, "benefits", "F1", rows=layout_rows(patients)
        ),
        likert(
            answers_frame(experts, 121, 2), experts, "benefits", "F2", rows=layout_rows(experts)
        ),
        likert(
            answers_frame(patients, 282, 3), patients, "risks", "F3", rows=layout_rows(patients)
        ),
        likert(
            answers_frame(experts, 12, 4), experts, "risks", "F4", rows=layout_rows(experts)
        ),
    ]
    sizes = {tuple(f.get_size_inches()) for f in figures}
    assert len(sizes) == 1
    for figure in figures:
        axes = figure.axes[0]
        assert axes.get_xlim() == (-AXIS_LIMIT, AXIS_LIMIT)
        assert [t.get_text() for t in axes.get_xticklabels()] == [
            t.get_text() for t in figures[0].axes[0].get_xticklabels()
        ]
    boxes = [f.axes[0].get_position() for f in figures]
    width, height = figures[0].get_size_inches()
    assert {(round(b.x0 * width, 6), round(b.x1 * width, 6)) for b in boxes} == {
        (round(boxes[0].x0 * width, 6), round(boxes[0].x1 * width, 6))
    }
    # Bar thickness in inches: axes height per row is the same whatever the number of rows.
    per_row = {
        round(b.height * height / len(bars_by_row(f)), 6)
        for b, f in zip(boxes, figures, strict=True)
    }
    assert len(per_row) == 1


def test_legend_labels_come_from_the_codebook_in_scale_order():
    codebook = copy.deepcopy(CODEBOOK)
    labels = ["Not at all", "Hardly", "Unsure either way", "Mostly", "Fully"]
    for option, label in zip(codebook["answer_sets"]["agreement"]["options"], labels, strict=True):
        option["label"] = label
    q = questionnaire("experts", codebook)
    figure = likert(answers_frame(q, 20, 7), q, "benefits", "Benefits")
    assert legend_labels(figure) == labels


def test_title_and_statement_labels():
    q = questionnaire("experts")
    frame = answers_frame(q, 37, 8)
    figure = likert(frame, q, "risks", "Expert risks", stem="Showing images")
    texts = [t.get_text() for t in figure.texts]
    assert "Expert risks (n = 37)" in texts
    y_labels = [t.get_text().replace("\n", " ") for t in figure.axes[0].get_yticklabels()]
    percent, _ = percentages(frame, q, "risks")
    assert y_labels == [q.question(sid).text for sid in percent.index]


# --- Figure 5 and the flow diagram -----------------------------------------------------------


# --- Deterministic output --------------------------------------------------------------------


def experts(edit=None):
    codebook = copy.deepcopy(CODEBOOK)
    if edit:
        edit(codebook)
    return filled.questionnaire(questionnaire_codebook(codebook, "experts"))


def frame(q, codes_by_statement: dict[str, list[int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {s.id: pd.array(codes_by_statement[s.id], dtype=CODE_DTYPE) for s in q.statements()}
    )


def reverse_upset(codebook):
    for statement in codebook["statements"]:
        if statement["id"] == "upset":
            statement["reverse"] = True


def test_reverse_keyed_statement_is_marked_and_shown_as_given():
    q = experts(reverse_upset)
    codes = {s.id: [1, 2, 3, 4, 5, 5] for s in q.statements()}
    codes["upset"] = [5, 5, 5, 5, 4, 1]  # most agree with the statement as worded
    data = frame(q, codes)
    percent, _ = percentages(data, q, "risks")
    assert percent.loc["upset", 4] + percent.loc["upset", 5] == pytest.approx(500 / 6)
    figure = likert(data, q, "risks", "Risks")
    labels = [t.get_text().replace("\n", " ") for t in figure.axes[0].get_yticklabels()]
    assert labels[0] == f"{q.question('upset').text} (R)"  # most agreement: first, as given
    assert sum(label.endswith("(R)") for label in labels) == 1
    assert any("(R) reverse-keyed, answers as given" in t.get_text() for t in figure.texts)


def six_points(codebook):
    codebook["answer_sets"]["agreement"]["options"] = [
        {"label": label, "code": code}
        for code, label in enumerate(
            [
                "Strongly disagree",
                "Disagree",
                "Slightly disagree",
                "Slightly agree",
                "Agree",
                "Strongly agree",
            ],
            1,
        )  # fmt: skip
    ] + [{"label": "Don't know", "code": 9, "off_scale": True}]


def test_six_point_scale_agrees_above_the_midpoint_and_has_no_neutral():
    q = experts(six_points)
    codes = {s.id: [1, 2, 3, 4, 5, 6, 9, 4] for s in q.statements()}
    data = frame(q, codes)
    figure = likert(data, q, "benefits", "Benefits")
    axes = figure.axes[0]
    assert axes.get_xlabel() == "% of respondents: strongly disagree ◀ 0 ▶ strongly agree"
    # the "agree" column: 4, 5, 6 of the 7 on-scale answers (Don't know is off the scale)
    agree_texts = {t.get_text() for t in axes.texts}
    assert f"{100 * 4 / 7:.0f}%" in agree_texts


def test_five_point_axis_mentions_neutral():
    q = experts()
    data = frame(q, {s.id: [1, 2, 3, 4, 5] for s in q.statements()})
    label = likert(data, q, "risks", "R").axes[0].get_xlabel()
    assert label.endswith("◀ 0 ▶ strongly agree (neutral split across zero)")


# --- Drawn from published numbers only ------------------------------------------------------


def test_a_likert_figure_shows_nothing_its_published_table_hides():
    """Under a disclosure rule the bars, shares and n come from the published statement
    frequencies only: each bar is 100 % of its published on-scale counts, a hidden count has no
    width and is marked by a tick, and the shares and n it enters read "*" (issue 19/21)."""
    from likertflow.disclosure import SUPPRESSED, Policy
    from likertflow.likert_plot import plot_likert
    from likertflow.publishing import publish_frequencies
    from matplotlib.lines import Line2D

    q = experts()
    counts = {1: 3, 2: 12, 3: 20, 4: 41, 5: 44}  # 3 strongly disagree: under NHS's 8
    codes = [code for code, k in counts.items() for _ in range(k)]
    data = frame(q, {s.id: codes for s in q.statements()})
    policy = Policy("nhs", min_count=8, rounding=5, min_statistic_n=8)
    published = publish_frequencies(statement_table(data, q).astype({"n": "int64"}), policy)
    first = published[published["question_id"] == q.statements("risks")[0].id]
    shown = dict(zip(first["code"].astype(int), first["n"], strict=True))
    assert shown[1] == SUPPRESSED
    figure = plot_likert(published, q, "risks", "Risks", policy=policy, total=120)
    base = sum(n for n in shown.values() if n != SUPPRESSED)
    row = bars_by_row(figure)[0]
    widths = sorted(round(width, 9) for _, width, _ in row)
    expected = sorted(round(100 * (0 if n == SUPPRESSED else n) / base, 9) for n in shown.values())
    assert widths == expected  # the published counts' shares, never the exact 3 of 120
    ticks = [line for line in figure.axes[0].lines if isinstance(line, Line2D)
             and len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]
             and line.get_color() == "#111111"]  # fmt: skip
    assert len(ticks) == len(q.statements("risks"))  # every statement has the same answers
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "120" not in texts and SUPPRESSED in texts
    exact = f"{100 * (counts[1] + counts[2]) / 120:.0f}%"  # the exact % disagree: never shown
    assert exact not in texts
    assert any("hidden by the disclosure rule" in t.get_text() for t in figure.texts)


# --- What the reader is told: errors, counts read from the table, title and subtitle -------


def test_a_statement_set_the_questionnaire_lacks_is_named_in_the_error():
    """A figure's statement set that the questionnaire lacks: the error names both (the
    figures once failed with an IndexError before they got to say so)."""
    from likertflow.likert_plot import plot_likert, plot_weighted_likert, weighted_percentages

    q = experts()
    table = statement_table(frame(q, {s.id: [1, 2, 3] for s in q.statements()}), q)
    weighted = table.assign(weighted_percent=table["percent"].map(str), n=table["n"].map(str))
    calls = [
        lambda: likert_counts(table, q, "benefit"),
        lambda: plot_likert(table, q, "benefit", "Benefits"),
        lambda: weighted_percentages(weighted, q, "benefit"),
        lambda: plot_weighted_likert(weighted, q, "benefit", "Benefits"),
    ]
    for call in calls:
        with pytest.raises(ValueError) as refused:
            call()
        assert str(refused.value) == "experts has no statements in set 'benefit'"


def published_rows(rows: list[tuple[str, str | None, str]]) -> pd.DataFrame:
    """statement_frequencies.csv rows (question_id, code, n) as the workflow reads them: text,
    a blank code for "(no answer)"."""
    return pd.DataFrame(
        [{"question_id": sid, "code": code, "n": n} for sid, code, n in rows],
        dtype="object",
    )


def test_counts_are_the_published_on_scale_answers_in_scale_and_questionnaire_order():
    """Rows in any order; "(no answer)" (no code), off-scale answers and other sets' statements
    are not on the bars; an answer the table does not list counts 0; a hidden count stays "*"."""
    q = experts(six_points)  # codes 1-6 on the scale, 9 "Don't know" off it
    upset, anxiety = (s.id for s in q.statements("risks")[:2])
    other = q.statements("benefits")[0].id
    table = published_rows([
        (anxiety, "6", "4"), (upset, "9", "7"), (upset, "2", "3"), (upset, None, "11"),
        (anxiety, "1", "2"), (other, "1", "50"), (upset, "6", SUPPRESSED), (upset, "1", "5"),
    ])  # fmt: skip
    counts = likert_counts(table, q, "risks")
    ids = [s.id for s in q.statements("risks")]
    assert list(counts.index) == ids and list(counts.columns) == [1, 2, 3, 4, 5, 6]
    assert counts.loc[upset].tolist() == [5, 3, 0, 0, 0, SUPPRESSED]
    assert counts.loc[anxiety].tolist() == [2, 0, 0, 0, 0, 4]
    assert counts.loc[ids[2:]].to_numpy().tolist() == [[0] * 6] * (len(ids) - 2)


def test_percentages_of_one_answer_and_of_a_hidden_count():
    """n = 1: its one answer is 100 %; a hidden count enters neither the % nor n; nobody: 0 %."""
    counts = pd.DataFrame(
        {1: [0, 4, 0], 2: [0, SUPPRESSED, 0], 3: [1, 0, 0], 4: [0, 1, 0], 5: [0, 3, 0]},
        index=["one", "hidden", "nobody"], dtype="object",
    )  # fmt: skip
    percent, n = likert_percentages(counts, [4, 5])
    assert list(percent.index) == ["hidden", "one", "nobody"]  # 50 %, 0 %, 0 % agree
    assert n.name == "n" and n.to_dict() == {"hidden": 8, "one": 1, "nobody": 0}
    assert percent.loc["one"].tolist() == [0, 0, 100, 0, 0]
    assert percent.loc["hidden"].tolist() == [50, 0, 0, 12.5, 37.5]
    assert percent.loc["nobody"].tolist() == [0] * 5


def texts_of(figure) -> list[str]:
    return [t.get_text() for t in figure.texts]


def test_the_title_keeps_its_n_on_one_line_when_it_wraps():
    q = experts()
    data = frame(q, {s.id: [1, 2, 3, 4, 5] for s in q.statements()})
    short = likert(data, q, "risks", "Risks")
    assert texts_of(short)[0] == "Risks (n = 5)"
    title = "What the clinical experts on every ward of the hospital think of the risks " * 2
    long = texts_of(likert(data, q, "risks", title.strip()))[0]
    assert "\n" in long and long.endswith("(n\u00a0=\u00a05)")
    assert long.replace("\n", " ").replace("\u00a0", " ") == f"{title.strip()} (n = 5)"
    untold = plot_likert_of(data, q, total=None)
    assert texts_of(untold)[0] == "Risks"  # no n given: none said


def plot_likert_of(data, q, **options):
    from likertflow.likert_plot import plot_likert

    return plot_likert(statement_table(data, q), q, "risks", "Risks", **options)


def test_the_subtitle_names_the_stem_the_questionnaire_and_each_mark_it_uses():
    q = experts(reverse_upset)
    said = f"{q.label}: each bar is 100 % of those who answered the statement (n)"
    data = frame(q, {s.id: [1, 2, 3, 4, 5] * 2 for s in q.statements()})
    assert texts_of(plot_likert_of(data, q, stem="Showing images"))[1] == (
        f"Showing images …   ·   {said};  (R) reverse-keyed, answers as given"
    )
    plain = experts()
    assert texts_of(plot_likert_of(data, plain))[1] == said  # no stem, no mark: no note
    from likertflow.disclosure import Policy

    policy = Policy("nhs", min_count=3, rounding=1, min_statistic_n=3)
    table = statement_table(data, plain).astype({"n": "object"})
    table.loc[table["code"] == 1, "n"] = SUPPRESSED  # 2 strongly disagree: under 3, hidden
    from likertflow.likert_plot import plot_likert

    hidden = plot_likert(table, plain, "risks", "Risks", policy=policy)
    subtitle = texts_of(hidden)[1]
    assert "\n" in subtitle  # three notes: wider than the figure, wrapped
    assert re.sub(r"\s+", " ", subtitle) == (
        f"{said}; | a count hidden by the disclosure rule, drawn with no width; "
        f"{SUPPRESSED} not published (disclosure rule)"
    )


# --- Where things are drawn: legend rows, side columns, ticks, wordings above narrow bars ---


def drawn(figure):
    """The figure drawn at its PNG's resolution, and its renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure.set_dpi(150)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def legend_rows(figure) -> list[list[str]]:
    """The legend's entries as a reader sees them: rows top to bottom, each left to right."""
    renderer = drawn(figure)
    rows: dict[float, list] = {}
    for text in figure.legends[0].get_texts():
        box = text.get_window_extent(renderer)
        y = next((y for y in rows if abs(y - box.y0) < 3), box.y0)  # a row: within 3 px
        rows.setdefault(y, []).append((box.x0, text.get_text()))
    return [[label for _, label in sorted(rows[y])] for y in sorted(rows, reverse=True)]


def fit_figure(scale: str, size: str, statements: int = 3, **options):
    from likertflow.likert_plot import plot_likert
    from test_figure_fit import SIZES, answers, codebook
    from test_figure_fit import questionnaire as fit_questionnaire
    from test_figure_fit import statement_table as fit_table

    q = fit_questionnaire(codebook(scale, sets=1, statements=statements))
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", total=300,
                         size=SIZES[size], **options)  # fmt: skip
    return figure, q


@pytest.mark.parametrize(
    ("scale", "rows"),
    [("5-point", [5]), ("7-point", [7]), ("11-point", [6, 5])],
)
def test_the_legend_reads_in_scale_order_along_its_rows(scale, rows):
    """One row up to 7 answers at the standard size, two beyond; in a narrow column as many rows
    as it takes, still read in scale order along each row."""
    figure, q = fit_figure(scale, "standard")
    labels = [o.label for o in q.statements()[0].answers.options if not o.off_scale]
    standard = legend_rows(figure)
    assert [len(row) for row in standard] == rows
    assert sum(standard, []) == labels
    if scale != "11-point":  # (its wrapped labels stand in no rows: its columns are the test)
        narrow = legend_rows(fit_figure(scale, "one_column")[0])
        assert len(narrow) > 1 and sum(narrow, []) == labels
        assert all(len(row) == len(narrow[0]) for row in narrow[:-1])  # full rows, the last less


def test_the_side_columns_stand_beside_their_bars_under_their_headers():
    """% low, % high and n: right of the bars in that order, each value level with its bar and
    right-aligned under its header, the headers above the first bar; wordings beside the bars
    at the standard size, one per bar, level with it."""
    q = experts()
    data = answers_frame(q, 40, seed=4)
    figure = likert(data, q, "risks", "Risks")
    renderer = drawn(figure)
    axes = figure.axes[0]
    box = axes.get_window_extent(renderer)
    centres = {row: axes.transData.transform((0, row))[1] for row in bars_by_row(figure)}
    percent, n = percentages(data, q, "risks")
    headers = [t for t in axes.texts if t.get_style() == "italic"]
    assert [t.get_text() for t in headers] == ["disagree", "agree", "n"]
    edges = [t.get_window_extent(renderer).x1 for t in headers]
    assert box.x1 < headers[0].get_window_extent(renderer).x0 and edges == sorted(edges)
    for header in headers:
        assert header.get_window_extent(renderer).y0 > box.y1 - 1  # above the first bar
    values = [t for t in axes.texts if t.get_style() != "italic"]
    expected = [f"{p:.0f}%" for p in percent[[1, 2]].sum(axis=1)]
    expected += [f"{p:.0f}%" for p in percent[[4, 5]].sum(axis=1)] + ["40"] * len(n)  # all 40
    assert [t.get_text() for t in values] == expected
    for i, text in enumerate(values):
        row = i % len(percent)
        extent = text.get_window_extent(renderer)
        assert (extent.y0 + extent.y1) / 2 == pytest.approx(centres[row], abs=1.5)
        assert extent.x1 == pytest.approx(edges[i // len(percent)], abs=1)
        assert box.x1 < extent.x0
    labels = axes.get_yticklabels()
    assert [t.get_text() for t in labels] == [q.question(sid).text for sid in percent.index]
    for row, label in enumerate(labels):
        extent = label.get_window_extent(renderer)
        assert extent.x1 < box.x0 and (extent.y0 + extent.y1) / 2 == pytest.approx(
            centres[row], abs=4
        )
    top, second = (axes.transData.transform((0, row))[1] for row in (0, 1))
    assert top > second  # the first row (most agreement) on top


def test_the_x_axis_is_every_25_percent_both_ways_where_its_labels_have_room():
    figure = likert(answers_frame(experts(), 20, seed=2), experts(), "risks", "Risks")
    axes = figure.axes[0]
    assert axes.get_xlim() == (-100, 100)
    assert list(axes.get_xticks()) == list(range(-100, 101, 25))
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        f"{abs(x)}%" for x in range(-100, 101, 25)
    ]



@pytest.mark.parametrize(("width_mm", "every"),
                         [(60, 100), (85, (50, 100)), (100, 50), (200, 25)])  # fmt: skip
def test_a_journal_width_has_the_most_ticks_whose_labels_have_room(width_mm, every):
    """Ticks every 25 %, 50 % or 100 %, always at 0: at 60 mm five labels would overlap, at
    100 mm nine would touch (their centres 0.3 inches apart, a label 0.29 wide), at 200 mm nine
    stand clear; at 85 mm (a column) five or three."""
    from likertflow.likert_plot import plot_likert
    from likertflow.plotting import FigureSize
    from test_figure_fit import answers, codebook
    from test_figure_fit import questionnaire as fit_questionnaire
    from test_figure_fit import statement_table as fit_table

    q = fit_questionnaire(codebook("5-point", sets=1, statements=2))
    size = FigureSize.from_params({"width_mm": width_mm, "png_dpi": 150})
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", size=size)
    axes = figure.axes[0]
    if isinstance(every, tuple):
        every = next(step for step in every if len(axes.get_xticks()) == 200 // step + 1)
    assert list(axes.get_xticks()) == list(range(-100, 101, every))
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        f"{abs(x)}%" for x in range(-100, 101, every)
    ]
    renderer = drawn(figure)
    boxes = [t.get_window_extent(renderer) for t in axes.get_xticklabels()]
    gap = 0.03 * 150  # inches at 150 dpi
    assert all(a.x1 + gap < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))  # apart


def hidden_ticks(figure) -> list:
    from matplotlib.lines import Line2D

    return [line for line in figure.axes[0].lines if isinstance(line, Line2D)
            and len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]
            and line.get_color() == "#111111"]  # fmt: skip


def test_a_hidden_count_is_a_tick_across_its_bar_where_its_segment_would_start():
    """The tick stands where the published counts put the hidden answer (after the answers
    below it), across the whole bar and short of the bars above and below; the legend names it
    last."""
    from likertflow.disclosure import Policy
    from likertflow.likert_plot import plot_likert

    q = experts()
    data = frame(q, {s.id: [1, 2, 3, 4, 5] * 4 for s in q.statements()})
    table = statement_table(data, q).astype({"n": "object"})
    first = q.statements("risks")[0].id
    table.loc[(table["question_id"] == first) & (table["code"] == 4), "n"] = SUPPRESSED
    figure = plot_likert(table, q, "risks", "Risks",
                         policy=Policy("nhs", min_count=5, rounding=1, min_statistic_n=5))
    [tick] = hidden_ticks(figure)
    # published: 4 each of 1, 2, 3 and 5 (16): left of zero 4 + 4 + 2 = 10 of 16, and the
    # hidden "Agree" after 1, 2 and 3: at (4 + 4 + 4) / 16 - 10 / 16 of the bar
    assert tick.get_xdata()[0] == pytest.approx(100 * (12 - 10) / 16)
    row = [r for r, segments in bars_by_row(figure).items()
           if any(w == 0 for _, w, _ in segments)]  # fmt: skip
    last = len(q.statements("risks")) - 1
    assert row == [last]  # 1 agrees of 4 published answers: below the others' 2 of 5
    bar = next(p for p in figure.axes[0].patches
               if round(p.get_y() + p.get_height() / 2) == last)  # fmt: skip
    low, high = sorted(tick.get_ydata())
    assert (low + high) / 2 == pytest.approx(bar.get_y() + bar.get_height() / 2)
    assert low < bar.get_y() and high > bar.get_y() + bar.get_height()  # across the bar
    gap = 1 - bar.get_height()  # between two bars
    assert high - low < bar.get_height() + gap  # reaches neither neighbour
    assert legend_labels(figure)[-1] == "hidden count"
    legend = figure.legends[0]
    entries = dict(zip([t.get_text() for t in legend.get_texts()], legend.legend_handles,
                       strict=True))  # fmt: skip
    assert len(entries) == 6 and entries["hidden count"].get_marker() == "|"
    assert entries["hidden count"].get_color() == tick.get_color()
    shown = [t.get_text() for t in figure.axes[0].texts]
    at = shown.index("agree") + 1 + last
    assert shown[at] == SUPPRESSED and shown[at + len(q.statements("risks")) + 1] == SUPPRESSED
    assert shown[1 + last] == "50%"  # % disagree, (4 + 4) / 16: the hidden count not in it
    assert shown[shown.index("n") + 1 :] == ["20"] * last + [SUPPRESSED]  # the others' n whole


def test_in_a_narrow_column_each_wording_stands_above_its_own_bar():
    """Too narrow for wordings beside the bars: no y labels; each wording starts at the
    figure's left margin, just above its bar, clear of the bar above."""
    figure, q = fit_figure("5-point", "one_column", statements=4)
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == []
    renderer = drawn(figure)
    bars = {}
    for patch in axes.patches:
        box = patch.get_window_extent(renderer)
        if box.height > 0:
            bars.setdefault(round(box.y0), box)
    bars = [bars[y] for y in sorted(bars, reverse=True)]  # top to bottom
    wordings = [t for t in axes.texts if t.get_text().startswith("makes it")]
    assert len(wordings) == len(bars) == 4
    for k, (text, bar) in enumerate(zip(wordings, bars, strict=True)):
        box = text.get_window_extent(renderer)
        assert box.x0 == pytest.approx(0.15 * figure.get_figwidth() / 10 * 150, abs=30)
        assert bar.y1 <= box.y0 + 2 < bar.y1 + 10  # just above its bar
        if k:
            assert box.y1 < bars[k - 1].y0  # below the bar above
    check_fits(figure, [s.display_text for s in q.statements()])


def check_fits(figure, expected):
    from test_figure_fit import check_fits as fits

    fits(figure, expected)


@pytest.mark.parametrize("size", ["standard", "two_columns"])
def test_a_figure_with_every_note_and_mark_fits(size):
    """A stem, a reverse-keyed statement, hidden counts, a statement without a bar, long
    wordings: every text inside the figure, whole, none over another."""
    from likertflow.disclosure import Policy
    from likertflow.likert_plot import plot_likert
    from test_figure_fit import SIZES, answers, codebook
    from test_figure_fit import questionnaire as fit_questionnaire
    from test_figure_fit import statement_table as fit_table

    book = codebook("7-point", sets=1, statements=4, reverse=True)
    q = fit_questionnaire(book)
    table = fit_table(answers(q, n=40), q).astype({"n": "object"})
    table.loc[table["code"] == 2, "n"] = SUPPRESSED
    table.loc[table["question_id"] == "s0_3", "n"] = 0
    table.loc[(table["question_id"] == "s0_3") & (table["code"] == 5), "n"] = 3
    title = "What the first-year undergraduates on every campus think of the services they use"
    stem = book["statement_stems"]["set0"]
    figure = plot_likert(table, q, "set0", title, stem=stem, total=40, size=SIZES[size],
                         policy=Policy("nhs", min_count=5, rounding=1, min_statistic_n=5))
    rows = bars_by_row(figure)
    assert sorted(sum(w for _, w, _ in rows[r]) > 0 for r in rows) == [False] + [True] * 3
    expected = [f"{title} (n = 40)", stem, "reverse-keyed", "hidden count",
                "not published (disclosure rule)", *[s.display_text for s in q.statements()]]
    check_fits(figure, expected)


# --- A set on its own scale; the workflow's one call ----------------------------------------


def two_scales():
    """The fit test's codebook: set0 of four statements on an agreement scale, set1 of one
    statement on a frequency scale of its own."""
    from test_figure_fit import SCALES, codebook

    book = codebook("5-point", sets=2, statements=4)
    labels, off_scale, agree, _, _ = SCALES["frequency"]
    book["answer_sets"]["often"] = {
        "ordinal": True,
        "options": [{"label": label, "code": code, "off_scale": False}
                    for code, label in enumerate(labels, 1)]
        + [{"label": off_scale[0], "code": 9, "off_scale": True},
           {"label": "Prefer not to say", "code": 10, "off_scale": True}],
        "agree": agree,
    }
    book["statement_sets"]["set1"]["answers"] = "often"
    book["statements"] = [s for s in book["statements"]
                          if s["statement_set"] == "set0" or s["id"] == "s1_0"]  # fmt: skip
    return book, labels


def test_a_one_statement_set_on_its_own_scale_is_drawn_in_its_own_words():
    """Unweighted and weighted: one bar, the legend and columns in the set's scale, the other
    set's statements nowhere."""
    import dataclasses

    from likertflow.codebook import DesignSpec
    from likertflow.likert_plot import column_headers, plot_likert, plot_weighted_likert
    from test_figure_fit import answers
    from test_figure_fit import questionnaire as fit_questionnaire
    from test_figure_fit import statement_table as fit_table

    book, labels = two_scales()
    q = dataclasses.replace(fit_questionnaire(book),
                            design=DesignSpec(weight="w", lonely_psu="adjust"))  # fmt: skip
    table = fit_table(answers(q, n=50), q)
    weighted = table.assign(weighted_percent=table["percent"].map("{:.2f}".format),
                            n=table["n"].map(str))  # fmt: skip
    for figure in (plot_likert(table, q, "set1", "Often", total=50),
                   plot_weighted_likert(weighted, q, "set1", "Often", total=50)):  # fmt: skip
        assert legend_labels(figure) == labels
        headers = [header.replace("\n", " ") for header in column_headers(figure)]
        assert headers == ["never or rarely", "often or always", "n"]
        assert len(bars_by_row(figure)) == 1
        assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == [
            q.question("s1_0").text
        ]
    shown = re.sub(r"\s+", " ", figure.texts[1].get_text())
    assert shown.endswith("n unweighted; not drawn: Don't know, Prefer not to say")  # its own
    agreement = plot_weighted_likert(weighted, q, "set0", "Agree", total=50)
    assert re.sub(r"\s+", " ", agreement.texts[1].get_text()).endswith("n unweighted")  # none


def test_the_workflow_draws_an_entry_as_its_config_and_published_flow_say():
    """likert_figure, unweighted: the entry's title, the stem of its set, the rows of the
    largest set (its figures match), the policy (a statement under its n has no bar), the size,
    and the title's n as the flow published it, hidden too."""
    from likertflow.codebook import questionnaire_codebook
    from likertflow.disclosure import Policy
    from likertflow.likert_plot import likert_figure
    from test_figure_fit import SIZES, answers
    from test_figure_fit import questionnaire as fit_questionnaire
    from test_figure_fit import statement_table as fit_table

    book, _ = two_scales()
    book["statement_stems"]["set1"] = "How often does the service"
    q = fit_questionnaire(book)
    data = answers(q, n=50)
    data.loc[6:, "s1_0"] = pd.NA  # 6 answered the one-statement set: under the policy's 8
    table = fit_table(data, q).assign(survey="alpha")
    other = table.assign(survey="beta", n=1)
    table = pd.concat([other, table], ignore_index=True).astype({"n": "object"})
    flow = pd.DataFrame({"survey": ["alpha", "alpha", "beta"],
                         "stage": ["returned", "analysed", "analysed"],
                         "n": ["60", SUPPRESSED, "12"]})  # fmt: skip
    policy = Policy("nhs", min_count=1, rounding=1, min_statistic_n=8)
    size = SIZES["two_columns"]
    spec = {"survey": "alpha", "statement_set": "set1", "title": "How often"}
    one = likert_figure(table, flow, questionnaire_codebook(book, "alpha"), spec, policy, size)
    shown = [t.get_text() for t in one.texts]
    assert shown[0] == f"How often (n = {SUPPRESSED})"
    assert shown[1].startswith("How often does the service …")
    assert [sum(w for _, w, _ in row) for row in bars_by_row(one).values()] == [0]
    assert one.get_figwidth() == pytest.approx(size.width)
    untitled = likert_figure(table, flow, questionnaire_codebook(book, "alpha"),
                             {"survey": "alpha", "statement_set": "set0"}, policy, size)
    assert re.sub(r"\s+", " ", untitled.texts[0].get_text()) == (
        f"{q.label}: {q.statement_sets['set0']} (n = {SUPPRESSED})"
    )
    from likertflow.likert_plot import plot_likert

    alpha = table[table["survey"] == "alpha"]
    options = {"stem": "How often does the service", "policy": policy, "total": SUPPRESSED,
               "size": size}  # fmt: skip
    four = plot_likert(alpha, q, "set1", "How often", rows=4, **options)  # set0's 4 rows
    assert one.get_figheight() == pytest.approx(four.get_figheight())
    alone = plot_likert(alpha, q, "set1", "How often", **options)
    assert four.get_figheight() > alone.get_figheight()
    rows = bars_by_row(untitled)
    assert len(rows) == 4 and all(sum(w for _, w, _ in r) == pytest.approx(100) for r in
                                  rows.values())  # fmt: skip


def test_ties_in_agreement_keep_questionnaire_order_in_a_long_set():
    """37 statements at 3 levels of agreement: highest first, each level's statements in
    questionnaire order (a sort that is not stable reorders ties among more than 16)."""
    ids = [f"s{i:02d}" for i in range(37)]
    level = {sid: 2 + i * 7 % 3 for i, sid in enumerate(ids)}  # 2, 3 or 4 of 6 agree
    counts = pd.DataFrame({1: [6 - level[sid] for sid in ids], 2: 0, 3: 0, 4: 0,
                           5: [level[sid] for sid in ids]}, index=ids, dtype="object")  # fmt: skip
    percent, n = likert_percentages(counts, [4, 5])
    assert list(percent.index) == sorted(ids, key=lambda sid: -level[sid])  # sorted() is stable
    assert list(n.index) == list(percent.index) and set(n) == {6}


def scale_of(points: int):
    """The fit test's questionnaire on a scale of ``points`` answers, labelled "Answer k"."""
    from test_figure_fit import codebook
    from test_figure_fit import questionnaire as fit_questionnaire

    book = codebook("5-point", sets=1, statements=2)
    book["answer_sets"]["scale"]["options"] = [
        {"label": f"Answer {code}", "code": code, "off_scale": False}
        for code in range(1, points + 1)
    ]
    return fit_questionnaire(book)


@pytest.mark.parametrize(("points", "rows"), [(2, [2]), (6, [6]), (8, [4, 4]), (9, [5, 4])])
def test_the_legend_has_one_row_up_to_7_answers_and_two_beyond(points, rows):
    from likertflow.likert_plot import plot_likert
    from test_figure_fit import answers
    from test_figure_fit import statement_table as fit_table

    q = scale_of(points)
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", total=300)
    shown = legend_rows(figure)
    assert [len(row) for row in shown] == rows
    assert sum(shown, []) == [f"Answer {code}" for code in range(1, points + 1)]
    size = figure.legends[0].get_texts()[0].get_fontsize()
    tick = figure.axes[0].get_xticklabels()[0].get_fontsize()
    assert size == tick if points <= 5 else size < tick  # up to 5: the figure's text size


@pytest.mark.parametrize("size", ["standard", "one_column"])
def test_long_poles_move_the_columns_right_and_take_room_from_the_bars(size):
    """Poles whose words are wider than a column: the headers wrap at spaces, the columns move
    right so that nothing meets, and the bars give up that room; short poles keep the standard
    places."""
    from likertflow.likert_plot import column_headers, plot_likert
    from test_figure_fit import SIZES, answers, codebook
    from test_figure_fit import questionnaire as fit_questionnaire
    from test_figure_fit import statement_table as fit_table

    def figure_of(poles):
        book = codebook("given poles", sets=1, statements=3)
        book["answer_sets"]["scale"]["poles"] = poles
        q = fit_questionnaire(book)
        return plot_likert(fit_table(answers(q), q), q, "set0", "Toy", total=300,
                           size=SIZES[size]), q  # fmt: skip

    short, _ = figure_of({"low": "no", "high": "yes"})
    poles = {"low": "incomprehensibly unfavourably", "high": "overwhelmingly favourably"}
    long, q = figure_of(poles)
    assert [h.replace("\n", " ") for h in column_headers(long)] == [*poles.values(), "n"]
    assert all("\n" in h for h in column_headers(long)[:2])  # wrapped at their spaces
    assert long.get_figwidth() == short.get_figwidth()
    renderer = drawn(long)
    axes = long.axes[0]
    assert axes.get_position().x1 < short.axes[0].get_position().x1  # the bars gave room
    headers = [t for t in axes.texts if t.get_style() == "italic"]
    boxes = [t.get_window_extent(renderer) for t in headers]
    assert axes.get_window_extent(renderer).x1 < boxes[0].x0
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    check_fits(long, [*poles.values(), *[s.display_text for s in q.statements()]])


def test_a_set_on_another_scale_is_sorted_by_its_own_agreement():
    """set1's scale counts "Sometimes" as agreeing (its own ``agree``), set0's does not: set1's
    statements are sorted by their agreement on set1's scale, not on the questionnaire's first."""
    from likertflow.likert_plot import plot_likert
    from test_figure_fit import codebook
    from test_figure_fit import questionnaire as fit_questionnaire
    from test_figure_fit import statement_table as fit_table

    book = codebook("5-point", sets=2, statements=2)
    labels = ["Never", "Rarely", "Sometimes", "Often", "Always"]
    book["answer_sets"]["often"] = {
        "ordinal": True,
        "options": [{"label": label, "code": code, "off_scale": False}
                    for code, label in enumerate(labels, 1)],
        "agree": ["Sometimes", "Often", "Always"],
    }  # fmt: skip
    book["statement_sets"]["set1"]["answers"] = "often"
    q = fit_questionnaire(book)
    codes = {"s0_0": [1, 5], "s0_1": [1, 5], "s1_0": [1, 5], "s1_1": [3, 3]}  # s1_1: 100 % agree
    data = toy.codes(codes)
    figure = plot_likert(fit_table(data, q), q, "set1", "Often")
    wordings = [t.get_text().replace("\n", " ") for t in figure.axes[0].get_yticklabels()]
    assert wordings == [q.question("s1_1").text, q.question("s1_0").text]


@pytest.mark.parametrize(("high", "lines"), [("very good", 1), ("mostly agree", 2)])
def test_a_header_a_little_wider_than_its_column_stays_on_one_line(high, lines):
    """"very good" is 0.18 inch wider than the agree column's 0.43 inch: kept on one line, the
    columns moved right; "mostly agree", 0.37 inch wider, is wrapped at its space."""
    from likertflow.likert_plot import column_headers, plot_likert
    from test_figure_fit import answers, codebook
    from test_figure_fit import questionnaire as fit_questionnaire
    from test_figure_fit import statement_table as fit_table

    book = codebook("given poles", sets=1, statements=2)
    book["answer_sets"]["scale"]["poles"] = {"low": "poor", "high": high}
    q = fit_questionnaire(book)
    figure = plot_likert(fit_table(answers(q), q), q, "set0", "Toy", total=300)
    headers = column_headers(figure)
    assert headers[1].replace("\n", " ") == high and headers[1].count("\n") == lines - 1
    renderer = drawn(figure)
    boxes = [t.get_window_extent(renderer) for t in figure.axes[0].texts
             if t.get_style() == "italic"]  # fmt: skip
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))  # apart
