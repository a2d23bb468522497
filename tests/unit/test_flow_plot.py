"""The participant-flow diagram (likertflow.flow_plot): removals grouped between counts."""

from __future__ import annotations

import re
import textwrap

import matplotlib.transforms
import numpy as np
import pandas as pd
import pytest
from likertflow.flow_plot import flow_steps, plot_flow
from likertflow.plotting import STANDARD, STYLE, FigureSize, text_width
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


def test_questionnaires_in_file_order_not_alphabetical():
    flow = flow_of(["patients", "experts"])
    assert list(flow_steps(flow)) == ["patients", "experts"]
    labels = {"patients": "Patients", "experts": "Clinical experts"}
    left, right = headers(plot_flow(flow, labels), labels.values())
    assert left.get_position()[0] < right.get_position()[0]


def names_around(threshold, size):
    """Two questionnaire names whose bold width at the heading's size lies just under and just
    over ``threshold`` inches (names of narrow letters, a few hundredths of an inch apart)."""
    import bisect

    def name(k: int) -> str:
        return f"Staff {'i' * k}"

    def width(k: int) -> float:
        return text_width(name(k), 12 * size.scale, "bold")

    under = bisect.bisect_right(range(200), threshold, key=width) - 1  # widths grow with k
    assert width(under) <= threshold < width(under + 1) < threshold + 0.03
    return name(under), name(under + 1)


@pytest.mark.parametrize("size", [STANDARD, JOURNAL[175]], ids=["standard", "175"])
def test_a_name_is_centred_over_the_main_boxes_where_it_fits_else_over_the_column(size):
    """Over the main boxes where it fits between the column's left edge and as far right of
    their middle (less 0.05 inch a side), else over the column's boxes, main and side; in the
    second questionnaire's column too."""
    s = size.scale
    figure = plot_flow(flow_of(["a", "b"]), {}, size=size)
    main = sorted(boxes(figure, MAIN), key=lambda b: b.get_x())
    side = sorted(boxes(figure, SIDE), key=lambda b: b.get_x())
    column = figure.get_size_inches()[0] / 2
    for index in (0, 1):
        left = index * column
        centre = main[2 * index].get_x() + main[2 * index].get_width() / 2
        whole = (main[2 * index].get_x() + side[index].get_x() + side[index].get_width()) / 2
        fits, too_wide = names_around(2 * (centre - left) - 0.1 * s, size)
        assert text_width(too_wide, 12 * s) < 2 * (centre - left) - 0.1 * s  # not bold: fits
        for name, x in [(fits, centre), (too_wide, whole)]:
            labels = {"a": "A", "b": "B", ["a", "b"][index]: name}
            (head,) = headers(plot_flow(flow_of(["a", "b"]), labels, size=size), [name])
            assert head.get_position()[0] == pytest.approx(x)


@pytest.mark.parametrize("size", [STANDARD, JOURNAL[85]], ids=["standard", "85"])
def test_a_long_name_wraps_and_pushes_the_boxes_down_by_its_lines(size):
    """A name of one, two or three lines: as far below the figure's top and above the first box
    (within 0.01 inch a line: a line of 12 pt text is 0.2 inch at matplotlib's spacing, the room
    a line adds 0.217), every line within the column less 0.1 inch a side."""
    s = size.scale
    gaps = []
    per_line = 4 if size.standard else 2  # "Questionnaire": 1.3 inch at 12 pt, 1.0 at 9.6
    for words in (1, per_line + 1, 2 * per_line + 1):
        name = " ".join(["Questionnaire"] * words)
        figure = plot_flow(patients_flow(), {"patients": name}, size=size)
        extents = drawn(figure)
        (head,) = [t for t in extents if t.get_text().replace("\n", " ") == name]
        lines = head.get_text().count("\n") + 1
        width, height = figure.get_size_inches()
        parts = head.get_text().split("\n")
        for line, after in zip(parts, [*parts[1:], None], strict=True):
            # within the column less 0.1 inch a side, and as full as the next word allows
            assert text_width(line, 12 * s, "bold") <= width - 0.2 * s
            if after:
                wider = f"{line} {after.split(' ')[0]}"
                assert text_width(wider, 12 * s, "bold") * 1.02 > width - 0.2 * s
        top = max(b.get_y() + b.get_height() for b in boxes(figure, MAIN))
        gaps.append((lines, height - extents[head].y1, extents[head].y0 - top))
    assert [lines for lines, _, _ in gaps] == [1, 2, 3]
    for lines, above, below in gaps[1:]:
        assert above == pytest.approx(gaps[0][1], abs=0.01 * lines)
        assert below == pytest.approx(gaps[0][2], abs=0.01 * lines)


def side_items(text):
    """A side box's text as (headline, [(first line, continuation lines)] per removal)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("• ")]
    head = lines[: starts[0]]
    items = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    return head, items


RULES = {
    "under_18": "Younger than eighteen years on the day they answered",
    "item_nonresponse": "Left unanswered a compulsory question that everyone was asked",
}


@pytest.mark.parametrize("size", [JOURNAL[60], JOURNAL[85], JOURNAL[175]], ids=["60", "85", "175"])
def test_removals_wrapped_to_their_box_in_a_narrow_column(size):
    """Where a reason does not fit its box in 34-character lines it is wrapped to the box's
    width (0.1 inch spare a side, scaled): a bullet, then lines indented under its first word,
    each line as full as the next word allows, its count "(n = 1,073)" never broken."""
    s = size.scale
    figure = plot_flow(patients_flow(), {"patients": "Patients"}, RULES, size=size)
    (excluded,) = [t for t in figure.axes[0].texts if t.get_text().startswith("Excluded")]
    (side,) = [b for b in boxes(figure, SIDE) if inside(excluded, b)]
    room = side.get_width() - 0.2 * s
    indent = text_width("• ", 8.5 * s)
    _, items = side_items(excluded.get_text())
    expected = [f"{RULES['under_18']} (n = 0)", f"{RULES['item_nonresponse']} (n = 1,073)"]
    assert len(items) == 2
    for item, want in zip(items, expected, strict=True):
        assert all(line.startswith("   ") and line[3] != " " for line in item[1:])
        pieces = [item[0].removeprefix("• "), *(line[3:] for line in item[1:])]
        assert " ".join(pieces).replace("\u00a0", " ") == want
        if "\u00a0" not in item[-1]:
            continue  # in 34-character lines (under 18 at 85 mm)
        assert re.search(r"\(n\u00a0=\u00a0[\d,]+\)$", pieces[-1])  # the count on one line
        for piece, after in zip(pieces, pieces[1:], strict=False):
            # as full as the next word allows, with 2 % to spare (likertflow.plotting.wrap)
            assert text_width(piece, 8.5 * s) * 1.02 <= room - indent
            next_word = after.split(" ")[0]
            assert text_width(f"{piece} {next_word}", 8.5 * s) * 1.02 > room - indent
    # in one column (85 mm or less) both are wrapped to the box; in two, 34 characters fit
    assert [("\u00a0" in item[-1]) for item in items] == [size.width < 3.5] * 2


def rule_of_width(size, low, high):
    """A rule description whose bulleted 34-character lines (with its count, "(n = 7)") measure
    between ``low`` and ``high`` inches at the side boxes' font."""
    for letters in range(1, 12):
        for letter in "nmwHMW":
            text = " ".join([letter * letters] * 12)
            label = textwrap.fill(f"{text} (n = 7)", 34, initial_indent="• ",
                                  subsequent_indent="   ")  # fmt: skip
            if low < text_width(label, 8.5 * size.scale) <= high:
                return text, label
    raise AssertionError("no such description")


@pytest.mark.parametrize("size", [STANDARD, JOURNAL[175]], ids=["standard", "175"])
def test_removals_that_fit_keep_34_character_lines(size):
    """A reason whose 34-character lines fit the box's room (0.1 inch spare a side) keeps
    them, even where it would not fit at a larger font; one just too wide is wrapped to the
    box."""
    s = size.scale
    x = (size.width or 5.6) / 5.6
    room = 2.45 * x - 0.2 * s  # the side box's width less 0.1 inch a side
    flow = pd.DataFrame({"survey": ["s"] * 3, "stage": ["returned", "excluded_r", "analysed"],
                         "n": [20, 7, 13]})  # fmt: skip
    fits, label = rule_of_width(size, room * 8.5 / 9.5 / (1 if size.standard else 1.25), room)
    figure = plot_flow(flow, {}, {"r": fits}, size=size)
    (text,) = [t.get_text() for t in figure.axes[0].texts if t.get_text().startswith("Excl")]
    assert text == f"Excluded (n = 7)\n{label}"
    too_wide, label = rule_of_width(size, room, room + 0.5)
    figure = plot_flow(flow, {}, {"r": too_wide}, size=size)
    (text,) = [t.get_text() for t in figure.axes[0].texts if t.get_text().startswith("Excl")]
    assert text != f"Excluded (n = 7)\n{label}" and "\u00a0" in text


@pytest.mark.parametrize("size", [STANDARD, *JOURNAL.values()], ids=["standard", *JOURNAL])
def test_texts_placed_in_their_boxes(size):
    """A main box's name and count centred across it, the two together centred down it (within
    0.015 inch); a side box's text 0.1 inch (scaled) in from its left and 0.12 below its top,
    the box ending 0.05 to 0.25 inch (scaled) below the text's last line; a side box between
    the levels of the main boxes it stands beside, 0.15 inch (scaled) from each where it is
    the taller, the main boxes 0.45 apart where nothing is removed between them."""
    s = size.scale
    flow = pd.DataFrame(
        {"survey": ["p"] * 5, "stage": ["exported_rows", "returned", "excluded_under_18",
                                        "excluded_item_nonresponse", "analysed"],
         "n": [1360, 1360, 0, 1073, 287]}
    )  # fmt: skip
    figure = plot_flow(flow, {"p": "Patients"}, RULES, size=size)
    extents = drawn(figure)
    main = sorted(boxes(figure, MAIN), key=lambda b: -b.get_y())
    for box in main:
        name, count = sorted((t for t in extents if inside(t, box)), key=lambda t: -extents[t].y0)
        for text in (name, count):
            assert (extents[text].x0 + extents[text].x1) / 2 == pytest.approx(
                box.get_x() + box.get_width() / 2, abs=0.001
            )
        middle = (extents[name].y1 + extents[count].y0) / 2
        assert middle == pytest.approx(box.get_y() + box.get_height() / 2, abs=0.015)
        # the count's line centred 0.19 inch (scaled) above the box's bottom, whatever the name
        count_middle = (extents[count].y0 + extents[count].y1) / 2
        assert count_middle == pytest.approx(box.get_y() + 0.19 * s, abs=0.01)
    (side,) = boxes(figure, SIDE)
    (text,) = [t for t in extents if inside(t, side)]
    assert extents[text].x0 == pytest.approx(side.get_x() + 0.1 * s, abs=0.005)
    assert extents[text].y1 == pytest.approx(side.get_y() + side.get_height() - 0.12 * s, abs=0.005)
    assert 0.05 * s <= extents[text].y0 - side.get_y() <= 0.25 * s
    first, second, third = main
    assert first.get_y() - (second.get_y() + second.get_height()) == pytest.approx(0.45 * s)
    above = second.get_y() - (side.get_y() + side.get_height())
    below = side.get_y() - (third.get_y() + third.get_height())
    assert above == pytest.approx(below) and above == pytest.approx(0.15 * s)


def test_stacked_rows_apart_by_twice_the_margin():
    """At one journal column three questionnaires stack: each row's name is as far below the
    row above's last box (0.3 inch, scaled, then the name's half room, 0.25) as the first name
    is below the figure's top edge less its margin; the last box 0.15 inch above the bottom."""
    size = JOURNAL[85]
    s = size.scale
    labels = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    figure = plot_flow(flow_of(labels), labels, size=size)
    height = figure.get_size_inches()[1]
    heads = headers(figure, labels.values())
    main = boxes(figure, MAIN)
    assert heads[0].get_position()[1] == pytest.approx(height - 0.4 * s)
    for upper, lower in zip(heads, heads[1:], strict=False):
        last = min(b.get_y() for b in main if b.get_y() < upper.get_position()[1]
                   and b.get_y() > lower.get_position()[1])  # fmt: skip
        assert lower.get_position()[1] == pytest.approx(last - 0.3 * s - 0.25 * s)
    assert min(b.get_y() for b in main) == pytest.approx(0.15 * s)


def test_no_questionnaire_draws_an_empty_small_figure():
    figure = plot_flow(pd.DataFrame({"survey": [], "stage": [], "n": []}), {})
    assert not figure.axes[0].texts and not figure.axes[0].patches
    assert figure.get_size_inches()[1] <= 1.5


@pytest.mark.parametrize("size", [STANDARD, *JOURNAL.values()], ids=["standard", *JOURNAL])
def test_boxes_rounded_side_boxes_right_of_the_main_ones_names_centred(size):
    from matplotlib.patches import BoxStyle

    s = size.scale
    figure = plot_flow(patients_flow(), {"patients": "Patients"}, RULES, size=size)
    # rounded corners, no padding: each box drawn where it is laid out
    for box in figure.axes[0].patches:
        style = box.get_boxstyle()
        assert isinstance(style, BoxStyle.Round) and (style.pad, style.rounding_size) == (0, 0.06)
    right = max(b.get_x() + b.get_width() for b in boxes(figure, MAIN))
    assert all(b.get_x() > right for b in boxes(figure, SIDE))
    extents = drawn(figure)
    (head,) = [t for t in extents if t.get_text() == "Patients"]
    height = figure.get_size_inches()[1]
    assert (extents[head].y0 + extents[head].y1) / 2 == pytest.approx(height - 0.4 * s, abs=0.01)
    centre = max(b.get_x() + b.get_width() / 2 for b in boxes(figure, MAIN))
    assert (extents[head].x0 + extents[head].x1) / 2 == pytest.approx(centre, abs=0.001)
    names = [t for t in extents if t.get_text() in ("Analysed", "Responses returned")]
    assert {round(t.get_fontsize(), 9) for t in names} == {round(9.5 * s, 9)}
    # the stages' names wrapped to their boxes, less 0.075 inch a side, each line as full as
    # the next word allows
    for box in boxes(figure, MAIN):
        name = max((t for t in extents if inside(t, box)), key=lambda t: extents[t].y0)
        lines = name.get_text().split("\n")
        for line, after in zip(lines, lines[1:], strict=False):
            wider = f"{line} {after.split(' ')[0]}"
            assert text_width(wider, 9.5 * s) * 1.02 > box.get_width() - 0.15 * s


def test_no_axis_drawn_around_the_diagram():
    """The diagram's own words only: no axis lines, ticks or numbers at the figure's edges."""
    import matplotlib.text

    figure = plot_flow(patients_flow(), {"patients": "Patients"})
    drawn(figure)
    words = [t for t in figure.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()]
    assert set(words) == {t for t in figure.axes[0].texts if t.get_text()}
    assert not any(spine.get_visible() and figure.axes[0].axison
                   for spine in figure.axes[0].spines.values())  # fmt: skip
