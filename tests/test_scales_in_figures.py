"""Figures follow the codebook's scales: reverse-keyed statements marked, answers as given,
"% agree" from the one definition, no "neutral" on a scale without one, and Figure 5 legible with
8 statement sets and 3 questionnaires."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from likertflow.agreement_plot import plot_agreement
from likertflow.codebook import parse_questionnaire, questionnaire_codebook
from likertflow.coding import CODE_DTYPE
from likertflow.likert_plot import likert_percentages, plot_likert

CODEBOOK = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))


def experts(edit=None):
    codebook = copy.deepcopy(CODEBOOK)
    if edit:
        edit(codebook)
    return parse_questionnaire(questionnaire_codebook(codebook, "experts"))


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
    percent, _ = likert_percentages(data, q, "risks")
    assert percent.loc["upset", 4] + percent.loc["upset", 5] == pytest.approx(500 / 6)
    figure = plot_likert(data, q, "risks", "Risks")
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
    figure = plot_likert(data, q, "benefits", "Benefits")
    axes = figure.axes[0]
    assert axes.get_xlabel() == "% of respondents: strongly disagree ◀ 0 ▶ strongly agree"
    # the "agree" column: 4, 5, 6 of the 7 on-scale answers (Don't know is off the scale)
    agree_texts = {t.get_text() for t in axes.texts}
    assert f"{100 * 4 / 7:.0f}%" in agree_texts


def test_five_point_axis_mentions_neutral():
    q = experts()
    data = frame(q, {s.id: [1, 2, 3, 4, 5] for s in q.statements()})
    label = plot_likert(data, q, "risks", "R").axes[0].get_xlabel()
    assert label.endswith("◀ 0 ▶ strongly agree (neutral split across zero)")


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
