"""The participant-flow diagram (likertflow.flow_plot): removals grouped between counts."""

from __future__ import annotations

import textwrap

import matplotlib.transforms
import numpy as np
import pandas as pd
import pytest
from likertflow.flow_plot import flow_steps, plot_flow
from likertflow.plotting import STANDARD, STYLE, FigureSize
from matplotlib.colors import to_rgba


def test_flow_steps_group_removals_between_counts():
    flow = pd.DataFrame(
        {
            "survey": ["patients"] * 6,
            "stage": [
                "exported_rows",
                "duplicate_responses",
                "returned",
                "excluded_under_18",
                "excluded_item_nonresponse",
                "analysed",
            ],  # fmt: skip
            "n": [360, 5, 355, 0, 73, 282],
        }
    )
    steps = flow_steps(flow)["patients"]
    assert [(stage, n) for stage, n, _ in steps] == [
        ("exported_rows", 360),
        ("returned", 355),
        ("analysed", 282),
    ]
    assert steps[1][2] == [("excluded_under_18", 0), ("excluded_item_nonresponse", 73)]
    figure = plot_flow(flow, {"patients": "Patients"}, {"item_nonresponse": "Item non-response"})
    texts = "\n".join(t.get_text() for t in figure.axes[0].texts)
    for expected in [
        "Patients",
        "n = 360",
        "n = 355",
        "n = 282",
        "Excluded (n = 73)",
        "Item non-response (n = 73)",
    ]:
        assert expected in texts


# --- Stages and their counts ------------------------------------------------------------------


def test_each_stage_is_named_for_a_reader():
    from likertflow.flow_plot import stage_label

    assert stage_label("returned") == "Responses returned"
    assert stage_label("analysed", {"analysed": "not this"}) == "Analysed"
    assert stage_label("duplicate_responses") == "Repeated response ids (one row kept per id)"
    assert stage_label("exported_rows") == "Rows in the exports"
    rules = {"under_18": "Younger than 18"}
    assert stage_label("excluded_under_18", rules) == "Younger than 18"
    assert stage_label("excluded_under_18") == "Under 18"  # no descriptions: the rule's id
    assert stage_label("excluded_too_fast", rules) == "Too fast"
    assert stage_label("excluded_too_fast", {}) == "Too fast"


def test_a_removal_before_any_count_is_refused_with_its_questionnaire():
    flow = pd.DataFrame(
        {"survey": ["experts", "patients", "patients"],
         "stage": ["returned", "excluded_under_18", "returned"], "n": [5, 1, 4]}
    )  # fmt: skip
    with pytest.raises(ValueError) as error:
        flow_steps(flow)
    assert str(error.value) == "patients: removal stage 'excluded_under_18' before any count"


def test_counts_read_as_published_hidden_ones_as_the_mark():
    flow = pd.DataFrame(
        {"survey": ["a"] * 4 + ["b"] * 2,
         "stage": ["returned", "duplicate_responses", "excluded_x", "analysed", "returned",
                   "analysed"],
         "n": ["1200", "*", "3", "1190", "7", "7"]}
    )  # fmt: skip
    steps = flow_steps(flow)
    assert list(steps) == ["a", "b"]  # file order
    assert steps["a"] == [
        ("returned", 1200, [("duplicate_responses", "*"), ("excluded_x", 3)]),
        ("analysed", 1190, []),
    ]
    assert steps["b"] == [("returned", 7, []), ("analysed", 7, [])]


# --- What the diagram draws ---------------------------------------------------------------------

MAIN, SIDE = "#eef3f8", "#fbf3ea"


def boxes(figure, colour):
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyBboxPatch

    return [
        p for p in figure.axes[0].patches
        if isinstance(p, FancyBboxPatch) and p.get_facecolor() == to_rgba(colour)
    ]  # fmt: skip


def inside(text, box) -> bool:
    x, y = text.get_position()
    return box.get_x() <= x <= box.get_x() + box.get_width() and (
        box.get_y() <= y <= box.get_y() + box.get_height()
    )


def arrows(figure):
    """(from, to) of every arrow, in data inches."""
    return [(a.xyann, a.xy) for a in figure.axes[0].texts if hasattr(a, "arrow_patch")
            and a.arrow_patch is not None]  # fmt: skip


def patients_flow(n=None):
    return pd.DataFrame(
        {"survey": ["patients"] * 6,
         "stage": ["exported_rows", "duplicate_responses", "returned", "excluded_under_18",
                   "excluded_item_nonresponse", "analysed"],
         "n": n or [1360, 5, 1355, 0, 1073, 282]}
    )  # fmt: skip


def test_boxes_top_down_in_stage_order_joined_by_arrows_with_the_removals_beside():
    rules = {"item_nonresponse": "Item non-response"}
    figure = plot_flow(patients_flow(), {"patients": "Patients"}, rules)
    main, side = boxes(figure, MAIN), boxes(figure, SIDE)
    assert len(main) == 3 and len(side) == 2
    main.sort(key=lambda b: -b.get_y())
    texts = figure.axes[0].texts
    labels = [[t.get_text() for t in texts if t.get_text() and inside(t, b)] for b in main]
    assert labels == [
        ["Rows in the exports", "n = 1,360"],
        ["Responses returned", "n = 1,355"],
        ["Analysed", "n = 282"],
    ]
    # every count in bold under its stage's name
    counts = [t for t in texts if t.get_text().startswith("n = ")]
    assert {t.get_weight() for t in counts} == {"bold"}
    centre = main[0].get_x() + main[0].get_width() / 2
    assert {round(b.get_x() + b.get_width() / 2, 9) for b in main} == {round(centre, 9)}
    # down the middle: from the bottom of each box to the top of the next
    down = sorted((a for a in arrows(figure) if a[0][0] == a[1][0]), key=lambda a: -a[0][1])
    assert [(f, t) for f, t in down] == [
        ((centre, upper.get_y()), (centre, lower.get_y() + lower.get_height()))
        for upper, lower in zip(main, main[1:], strict=False)
    ]
    # the removals: right of the main boxes, each level with the middle of its arrow and
    # pointed at from the main line
    side.sort(key=lambda b: -b.get_y())
    across = sorted((a for a in arrows(figure) if a[0][1] == a[1][1]), key=lambda a: -a[0][1])
    assert len(across) == 2
    for box, (start, end), (top, bottom) in zip(side, across, down, strict=True):
        assert box.get_x() > main[0].get_x() + main[0].get_width()
        middle = box.get_y() + box.get_height() / 2
        assert middle == pytest.approx((top[1] + bottom[1]) / 2)
        assert start == pytest.approx((centre, middle)) and end == pytest.approx(
            (box.get_x(), middle)
        )
    side_texts = [[t.get_text() for t in texts if t.get_text() and inside(t, b)] for b in side]
    duplicates = textwrap.fill("Repeated response ids (one row kept per id) (n = 5)", 34,
                               initial_indent="• ", subsequent_indent="   ")  # fmt: skip
    assert duplicates.count("\n") == 1  # 34 characters a line where that fits the box
    assert side_texts == [
        [f"Removed (n = 5)\n{duplicates}"],
        ["Excluded (n = 1,073)\n• Under 18 (n = 0)\n• Item non-response (n = 1,073)"],
    ]
    # every box inside the figure
    width, height = figure.get_size_inches()
    for box in [*main, *side]:
        assert 0 <= box.get_x() and box.get_x() + box.get_width() <= width
        assert 0 <= box.get_y() and box.get_y() + box.get_height() <= height
    assert width == 5.6  # the standard column


def test_a_hidden_removal_hides_the_total_of_its_box():
    n = [1360, "*", 1355, "*", 73, 282]
    figure = plot_flow(patients_flow(n), {"patients": "Patients"})
    text = "\n".join(t.get_text() for t in figure.axes[0].texts)
    assert "Removed (n = *)" in text and "Excluded (n = *)" in text
    assert "Under 18 (n = *)" in text and "Item nonresponse (n = 73)" in text


def test_removals_of_both_kinds_in_one_box_are_removed_not_excluded():
    flow = pd.DataFrame(
        {"survey": ["s"] * 4, "stage": ["returned", "duplicate_responses", "excluded_x",
                                        "analysed"], "n": [20, 2, 3, 15]}
    )  # fmt: skip
    figure = plot_flow(flow, {})
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert any(t.startswith("Removed (n = 5)\n") for t in texts)
    assert "s" in texts  # a questionnaire without a label: its id


def flow_of(surveys):
    rows = []
    for survey in surveys:
        rows += [(survey, "returned", 50), (survey, "excluded_x", 5), (survey, "analysed", 45)]
    return pd.DataFrame(rows, columns=["survey", "stage", "n"])


def headers(figure, labels):
    return [next(t for t in figure.axes[0].texts if t.get_text() == label) for label in labels]


def test_questionnaires_side_by_side_at_the_standard_size():
    labels = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    figure = plot_flow(flow_of(labels), labels)
    assert figure.get_size_inches()[0] == pytest.approx(3 * 5.6)
    heads = headers(figure, labels.values())
    assert len({t.get_position()[1] for t in heads}) == 1
    xs = [t.get_position()[0] for t in heads]
    assert np.diff(xs) == pytest.approx([5.6, 5.6])
    assert {t.get_weight() for t in heads} == {"bold"}
    # each name centred over its main boxes
    main = sorted(boxes(figure, MAIN), key=lambda b: b.get_x())
    centres = sorted({round(b.get_x() + b.get_width() / 2, 9) for b in main})
    assert xs == pytest.approx(centres)


def test_at_a_journal_width_questionnaires_are_stacked_where_they_do_not_fit():
    from likertflow.plotting import FigureSize

    labels = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    one = FigureSize.from_params({"width_mm": 85, "png_dpi": 150})  # 3.3 inches: one a row
    figure = plot_flow(flow_of(labels), labels, size=one)
    assert figure.get_size_inches()[0] == pytest.approx(85 / 25.4)
    heads = headers(figure, labels.values())
    assert len({round(t.get_position()[0], 9) for t in heads}) == 1
    ys = [t.get_position()[1] for t in heads]
    assert ys == sorted(ys, reverse=True) and len(set(ys)) == 3
    assert {round(t.get_fontsize(), 9) for t in heads} == {round(12 * 0.8, 9)}
    two = FigureSize.from_params({"width_mm": 175, "png_dpi": 150})  # two a row
    figure = plot_flow(flow_of(labels), labels, size=two)
    a, b, c = (t.get_position() for t in headers(figure, labels.values()))
    assert a[1] == b[1] > c[1] and a[0] == c[0] < b[0]
    assert b[0] - a[0] == pytest.approx(175 / 25.4 / 2)
    # every box inside the figure
    width, height = figure.get_size_inches()
    for box in figure.axes[0].patches:
        assert 0 <= box.get_x() and box.get_x() + box.get_width() <= width + 1e-9
        assert 0 <= box.get_y() and box.get_y() + box.get_height() <= height + 1e-9


# --- What a reader sees at every size -----------------------------------------------------------

JOURNAL = {mm: FigureSize.from_params({"width_mm": mm, "png_dpi": 150}) for mm in (40, 60, 85, 175)}


def drawn(figure):
    """Each box's and each text's extent on the page, in inches from the figure's lower left."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer, dpi = canvas.get_renderer(), figure.dpi
    texts = {t: t.get_window_extent(renderer).transformed(
        matplotlib.transforms.Affine2D().scale(1 / dpi))
        for t in figure.axes[0].texts if t.get_text()}  # fmt: skip
    return texts


@pytest.mark.parametrize("size", [STANDARD, *JOURNAL.values()], ids=["standard", *JOURNAL])
def test_every_box_and_text_inside_the_figure_with_even_margins(size):
    """The lowest box stands as far above the figure's bottom edge as the questionnaire's name
    stands below its top (0.15 inch, scaled), at every width, also where the stages' names
    wrap to two or three lines in narrow columns (at 40 and 60 mm the last box once ran past
    the bottom edge: the figure's height left the wrapped lines out)."""
    s = size.scale
    figure = plot_flow(patients_flow(), {"patients": "Patients"}, size=size)
    width, height = figure.get_size_inches()
    patches = figure.axes[0].patches
    assert min(b.get_y() for b in patches) == pytest.approx(0.15 * s)
    for box in patches:
        assert 0 <= box.get_x() and box.get_x() + box.get_width() <= width + 1e-9
        assert box.get_y() + box.get_height() <= height
    for text, extent in drawn(figure).items():
        assert extent.x0 >= 0 and extent.x1 <= width, text.get_text()
        assert extent.y0 >= 0 and extent.y1 <= height, text.get_text()
    (name,) = [t for t in figure.axes[0].texts if t.get_text() == "Patients"]
    # the name's line is centred 0.4 inch (scaled) below the top: 0.15 margin, 0.25 half-room
    assert name.get_position()[1] == pytest.approx(height - 0.4 * s)
    main = boxes(figure, MAIN)
    assert max(b.get_y() + b.get_height() for b in main) == pytest.approx(
        height - 0.15 * s - 0.75 * s
    )


@pytest.mark.parametrize("size", [STANDARD, *JOURNAL.values()], ids=["standard", *JOURNAL])
def test_every_text_inside_its_box_in_the_house_style(size):
    s = size.scale
    rules = {"item_nonresponse": "A question that was asked was left blank"}
    figure = plot_flow(patients_flow(), {"patients": "Patients"}, rules, size=size)
    extents = drawn(figure)
    patches = figure.axes[0].patches
    for text, extent in extents.items():
        if text.get_text() == "Patients":
            continue
        (box,) = [b for b in patches if inside(text, b)]
        # inside the box, with at least 0.05 inch (scaled) to spare on the left and the right
        assert box.get_x() + 0.05 * s <= extent.x0
        assert extent.x1 <= box.get_x() + box.get_width() - 0.05 * s
        assert box.get_y() <= extent.y0 and extent.y1 <= box.get_y() + box.get_height()
    for box in boxes(figure, MAIN):  # the stage's name above its count, apart
        name, count = sorted((t for t in extents if inside(t, box)), key=lambda t: -extents[t].y0)
        assert count.get_text().startswith("n = ") and extents[count].y1 < extents[name].y0
    sizes = {" ".join(t.get_text().split()[:2]): t.get_fontsize() for t in extents}
    assert sizes["Patients"] == pytest.approx(12 * s)
    assert sizes["n ="] == pytest.approx(9.5 * s)
    assert sizes["Removed (n"] == pytest.approx(8.5 * s)
    assert sizes["Excluded (n"] == pytest.approx(8.5 * s)
    # the removals' headlines whole, wrapped where the column is narrow
    squeezed = ["".join(t.get_text().split()) for t in extents]
    side = [text for text in squeezed if text.startswith(("Removed(", "Excluded("))]
    assert [text[: text.index(")") + 1] for text in side] == ["Removed(n=5)", "Excluded(n=1,073)"]
    # boxes and arrows drawn in the house style's line colour, thin
    grey = to_rgba(STYLE["axes.edgecolor"])
    assert {b.get_edgecolor() for b in patches} == {grey}
    assert {b.get_linewidth() for b in patches} == {0.9}
    for arrow in [t for t in figure.axes[0].texts if getattr(t, "arrow_patch", None)]:
        assert arrow.arrow_patch.get_edgecolor() == grey
        assert arrow.arrow_patch.get_linewidth() == 0.9
