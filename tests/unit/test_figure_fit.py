"""Figures of any survey fit (issue 21): Likert figures of 2-, 4-, 5-, 7- and 11-point scales,
a frequency scale and a too-little / too-much scale, with and without a midpoint and off-scale
answers; long wordings in 8 statement sets and 3 questionnaires; Figure 5 and the flow diagram
of them; each at the standard size and at a journal's one- and two-column widths. Drawn with the
library directly (no workflow run) and checked with matplotlib's renderer: every text lies inside
the figure, none is cut (the whole text is there, wrapped), no two texts overlap, and the
columns are headed in the answer set's own words."""

from __future__ import annotations

import itertools
import re

import matplotlib.text
import numpy as np
import pandas as pd
import pytest
from likertflow.agreement_plot import plot_agreement
from likertflow.coding import CODE_DTYPE
from likertflow.flow_plot import plot_flow
from likertflow.likert_plot import column_headers, layout_rows, legend_labels, plot_likert
from likertflow.plotting import FigureSize
from likertflow.tables import frequency_table
from matplotlib.backends.backend_agg import FigureCanvasAgg
from support import filled

SIZES = {
    "standard": FigureSize(),
    "one_column": FigureSize.from_params({"width_mm": 85, "png_dpi": 150}),
    "two_columns": FigureSize.from_params({"width_mm": 175, "png_dpi": 150}),
}
LONG = (
    "makes it far easier for the people who answered this rather long questionnaire to say "
    "exactly what they think about the services they were offered in the last twelve months"
)
SCALES = {
    # name: (labels low to high, off-scale labels, agree labels, poles, expected headers)
    "2-point": (["No", "Yes"], [], [], None, ("no", "yes")),
    "4-point": (["Strongly disagree", "Disagree", "Agree", "Strongly agree"], ["Don't know"], [],
                None, ("disagree", "agree")),
    "5-point": (["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                 "Strongly agree"], [], [], None, ("disagree", "agree")),
    "7-point": (["Strongly disagree", "Disagree", "Somewhat disagree",
                 "Neither agree nor disagree", "Somewhat agree", "Agree", "Strongly agree"],
                ["Don't know", "Prefer not to say"], [], None, ("disagree", "agree")),
    "11-point": (["0 - Not at all likely", *map(str, range(1, 10)), "10 - Extremely likely"],
                 ["Not applicable"], [], None, ("0 to 4", "6 to 10")),
    "frequency": (["Never", "Rarely", "Sometimes", "Often", "Always"], ["Don't know"],
                  ["Often", "Always"], None, ("never or rarely", "often or always")),
    "too little / too much": (["Much too little", "Too little", "About right", "Too much",
                               "Much too much"], [], [], None, ("too little", "too much")),
    "given poles": (["Very unfavourable", "Unfavourable", "Favourable", "Very favourable"],
                    ["Never heard of it"], [], {"low": "unfavourably", "high": "favourably"},
                    ("unfavourably", "favourably")),
}  # fmt: skip
SURVEYS = {"alpha": "First-year undergraduates on every campus of the university",
           "beta": "Postgraduates", "gamma": "Teaching staff"}  # fmt: skip


def codebook(scale: str, sets: int = 2, statements: int = 4, reverse: bool = False) -> dict:
    """A codebook of ``sets`` statement sets on one scale, long wordings, 3 questionnaires."""
    labels, off_scale, agree, poles, _ = SCALES[scale]
    options = [{"label": label, "code": code} for code, label in enumerate(labels, 1)]
    options += [{"label": label, "code": 90 + k, "off_scale": True}
                for k, label in enumerate(off_scale)]  # fmt: skip
    answers = {"ordinal": True, "options": options, "agree": agree}
    if poles:
        answers["poles"] = poles
    words = LONG.split()
    return filled.codebook(
        {
            "answer_sets": {"scale": answers},
            "statement_answers": "scale",
            "statement_sets": {
                f"set{k}": {"label": f"Statement set {k}: what the respondents think of part {k}"
                                     " of the services they use"}
                for k in range(sets)
            },  # fmt: skip
            "statement_stems": {f"set{k}": "How far do you agree that the service" for k in
                                range(sets)},  # fmt: skip
            "statements": [
                {"id": f"s{k}_{i}", "statement_set": f"set{k}",
                 "wording": " ".join(words[: 6 + 5 * i]) + f" (statement {k}.{i})",
                 "reverse": reverse and i == 1}
                for k in range(sets) for i in range(statements)
            ],  # fmt: skip
            "questionnaires": {
                survey: {
                    "label": label,
                    "export": {"response_id": "ID", "started": "S", "completed": "C",
                               "timestamp_format": "%Y"},
                    "questions": ["statements"],
                }  # fmt: skip
                for survey, label in SURVEYS.items()
            },
        }
    )


def questionnaire(book: dict, survey: str = "alpha"):
    from likertflow.codebook import questionnaire_codebook

    return filled.questionnaire(questionnaire_codebook(book, survey))


def answers(q, n: int = 300, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = {}
    for statement in q.statements():
        codes = statement.answers.codes
        drawn = rng.choice(codes, size=n, p=rng.dirichlet(np.ones(len(codes))))
        data[statement.id] = pd.array(drawn, dtype=CODE_DTYPE)
    return pd.DataFrame(data)


def statement_table(frame, q) -> pd.DataFrame:
    return frequency_table(frame, q, [s.id for s in q.statements()])


def texts(figure) -> list[matplotlib.text.Text]:
    """Every text the figure draws (tick labels and legend entries included)."""
    return [
        t for t in figure.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()
    ]


def check_fits(figure, expected: list[str]) -> None:
    """Every text inside the figure; each expected text there in full (wrapped, not cut); no two
    texts overlapping."""
    figure.set_dpi(150)  # the PNG's resolution (hinting widens small text at lower ones)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    page = figure.bbox
    drawn = texts(figure)
    boxes = [t.get_window_extent(renderer) for t in drawn]
    for text, box in zip(drawn, boxes, strict=True):
        inside = (box.x0 >= page.x0 - 0.5 and box.x1 <= page.x1 + 0.5
                  and box.y0 >= page.y0 - 0.5 and box.y1 <= page.y1 + 0.5)  # fmt: skip
        assert inside, f"{text.get_text()!r} lies outside the figure: {box} not in {page}"
    squeezed = [re.sub(r"\s+", "", t.get_text()) for t in drawn]
    for want in expected:
        whole = re.sub(r"\s+", "", want)
        assert any(whole in have for have in squeezed), f"{want!r} is not drawn in full"
    for (a, box_a), (b, box_b) in itertools.combinations(zip(drawn, boxes, strict=True), 2):
        overlap_x = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_y = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        # text boxes hold the font's ascent and descent: 2 pt of them may meet unseen
        allowed = 2 * figure.dpi / 72
        assert overlap_x <= allowed or overlap_y <= allowed, (
            f"{a.get_text()!r} and {b.get_text()!r} overlap"
        )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("scale", list(SCALES))
def test_likert_figure_fits_in_the_scales_own_words(scale, size):
    book = codebook(scale, sets=1, statements=5, reverse=True)
    q = questionnaire(book)
    frame = answers(q)
    title = "What the first-year undergraduates on every campus think of the services they use"
    stem = book["statement_stems"]["set0"]
    table = statement_table(frame, q)
    figure = plot_likert(table, q, "set0", title, stem=stem, rows=layout_rows(q),
                         total=len(frame), size=SIZES[size])  # fmt: skip
    low, high = SCALES[scale][4]
    assert [h.replace("\n", " ") for h in column_headers(figure)] == [low, high, "n"]
    labels = [option.label for option in q.statements()[0].answers.options if not option.off_scale]
    assert [label.replace("\n", " ") for label in legend_labels(figure)] == labels
    expected = [f"{title} (n = {len(frame)})", book["statement_stems"]["set0"], *labels,
                *[s.display_text for s in q.statements()], SURVEYS["alpha"]]  # fmt: skip
    check_fits(figure, expected)
    if size != "standard":
        assert figure.get_size_inches()[0] == pytest.approx(SIZES[size].width)


def summary_of(sets: int, surveys: list[str], seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for survey in surveys:
        for k in range(sets):
            values = rng.uniform(5, 95, 4)
            rows += [(survey, f"set{k}", f"s{k}_{i}", v, v - 5, v + 5, 200)
                     for i, v in enumerate(values)]  # fmt: skip
            mean = values.mean()
            rows.append((survey, f"set{k}", "mean", mean, mean - 3, mean + 3, 250))
    columns = ["survey", "statement_set", "statement", "percent_agree", "ci_low", "ci_high", "n"]
    return pd.DataFrame(rows, columns=columns)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("mixed", [False, True], ids=["one scale", "two scales"])
def test_figure5_of_8_long_sets_and_3_questionnaires_fits(size, mixed):
    book = codebook("frequency", sets=8)
    q = questionnaire(book)
    agree = {f"set{k}": ["Often", "Always"] for k in range(8)}
    high = {f"set{k}": "often or always" for k in range(8)}
    if mixed:  # the last set on an agreement scale: the y axis names no one scale's end
        agree["set7"], high["set7"] = ["Agree", "Strongly agree"], "agree"
    figure = plot_agreement(
        summary_of(8, list(SURVEYS)),
        SURVEYS,
        q.statement_sets,
        agree,
        confidence_level=0.95,
        high=high,
        notes=("reverse-keyed statements (R) in their keyed direction",),
        size=SIZES[size],
    )
    label = figure.axes[0].get_ylabel().replace("\n", " ")
    assert label.startswith("% at the high end" if mixed else "% often or always")
    check_fits(figure, [*q.statement_sets.values(), *SURVEYS.values(),
                        "reverse-keyed statements (R) in their keyed direction"])  # fmt: skip


@pytest.mark.parametrize("size", list(SIZES))
def test_flow_diagram_of_3_questionnaires_fits(size):
    rows = []
    for survey in SURVEYS:
        rows += [(survey, "exported_rows", 1200), (survey, "duplicate_responses", 4),
                 (survey, "returned", 1196), (survey, "excluded_under_18", 30),
                 (survey, "excluded_item_nonresponse", 66), (survey, "analysed", 1100)]  # fmt: skip
    flow = pd.DataFrame(rows, columns=["survey", "stage", "n"])
    rules = {"under_18": "Under 18 years of age, whose consent a guardian must give",
             "item_nonresponse": "A question that was asked was left blank (optional ones never "
                                 "count)"}  # fmt: skip
    figure = plot_flow(flow, SURVEYS, rules, SIZES[size])
    check_fits(figure, [*SURVEYS.values(), *(f"{text} (n = " for text in rules.values())])


@pytest.mark.parametrize("size", list(SIZES))
def test_likert_figure_of_unbreakable_poles_fits(size):
    # a pole with no space to wrap at (a pasted link or script, as tests/workflow/
    # test_hostile_text.py plants) once widened the side columns past the figure's width
    low = "<script>alert(document.cookie)</script>" * 3
    high = "https://example.org/" + "x" * 100
    book = codebook("given poles", sets=1, statements=3)
    book["answer_sets"]["scale"]["poles"] = {"low": low, "high": high}
    q = questionnaire(book)
    frame = answers(q)
    figure = plot_likert(statement_table(frame, q), q, "set0", "Toy", total=len(frame),
                         size=SIZES[size])  # fmt: skip
    check_fits(figure, [low, high, *[s.display_text for s in q.statements()]])


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("scale", ["4-point", "7-point", "11-point"])
def test_weighted_likert_figure_fits_with_its_design_named(scale, size):
    """The weighted figure (issue 23): its longer subtitle, naming the design as declared and
    the off-scale answers not drawn, fits as the unweighted figure's does."""
    import dataclasses

    from likertflow.codebook import DesignSpec
    from likertflow.likert_plot import plot_weighted_likert

    book = codebook(scale, sets=1, statements=5, reverse=True)
    design = DesignSpec(weight="Final analysis weight (trimmed, post-stratified)",
                        lonely_psu="adjust", strata="Region and urban or rural stratum",
                        clusters="Primary sampling unit (postcode sector)")  # fmt: skip
    q = dataclasses.replace(questionnaire(book), design=design)
    table = statement_table(answers(q), q).astype({"n": "int64"})
    weights = np.random.default_rng(3).uniform(0.5, 2.0, len(table))
    weighted = table["n"] * weights
    share = weighted / weighted.groupby(table["question_id"]).transform("sum") * 100
    table = table.assign(weighted_percent=share.map("{:.2f}".format), n=table["n"].map(str))
    title = "What the first-year undergraduates on every campus think of the services they use"
    figure = plot_weighted_likert(table, q, "set0", title, stem=book["statement_stems"]["set0"],
                                  rows=layout_rows(q), total=300, size=SIZES[size])  # fmt: skip
    labels = [option.label for option in q.statements()[0].answers.options if not option.off_scale]
    off_scale = ", ".join(SCALES[scale][1])
    expected = [f"{title} (weighted, n = 300)", *labels, *[s.display_text for s in q.statements()],
                f"weight {design.weight}, strata {design.strata}, clusters {design.clusters}",
                f"not drawn: {off_scale}"]  # fmt: skip
    check_fits(figure, expected)
