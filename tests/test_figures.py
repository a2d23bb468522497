"""Figures: bar geometry of the diverging Likert charts, Figure 5, the flow diagram, and
byte-identical PNG/SVG output, on small frames built here (no workflow run)."""

from __future__ import annotations

import copy
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from likertflow.agreement_plot import plot_agreement
from likertflow.codebook import parse_questionnaire, questionnaire_codebook
from likertflow.coding import CODE_DTYPE
from likertflow.flow_plot import flow_steps, plot_flow
from likertflow.likert_plot import (
    AXIS_LIMIT,
    layout_rows,
    legend_labels,
    likert_percentages,
    plot_likert,
    segment_geometry,
    split_scale,
)
from likertflow.plotting import DIVERGING_5, save_figure
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

CODEBOOK = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))


def questionnaire(survey: str = "patients", codebook: dict = CODEBOOK):
    return parse_questionnaire(questionnaire_codebook(codebook, survey))


def answers_frame(q, n: int, seed: int, missing: float = 0.0) -> pd.DataFrame:
    """Random 1-5 answers to every statement, some left blank."""
    rng = np.random.default_rng(seed)
    data = {}
    for statement in q.statements():
        codes = rng.choice([1, 2, 3, 4, 5], size=n, p=rng.dirichlet(np.ones(5)))
        values = pd.array(codes, dtype=CODE_DTYPE)
        values[rng.random(n) < missing] = pd.NA
        data[statement.id] = values
    return pd.DataFrame(data)


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
    percent, n = likert_percentages(frame, q, "benefits")
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
    percent, n = likert_percentages(frame, q, "risks")
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
    figure = plot_likert(frame, q, "risks", "Risks")
    percent, _ = likert_percentages(frame, q, "risks")
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
        plot_likert(
            answers_frame(patients, 282, 1), patients, "benefits", "F1", rows=layout_rows(patients)
        ),
        plot_likert(
            answers_frame(experts, 121, 2), experts, "benefits", "F2", rows=layout_rows(experts)
        ),
        plot_likert(
            answers_frame(patients, 282, 3), patients, "risks", "F3", rows=layout_rows(patients)
        ),
        plot_likert(
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
    figure = plot_likert(answers_frame(q, 20, 7), q, "benefits", "Benefits")
    assert legend_labels(figure) == labels


def test_title_and_statement_labels():
    q = questionnaire("experts")
    frame = answers_frame(q, 37, 8)
    figure = plot_likert(frame, q, "risks", "Expert risks", stem="Showing images")
    texts = [t.get_text() for t in figure.texts]
    assert "Expert risks (n = 37)" in texts
    y_labels = [t.get_text().replace("\n", " ") for t in figure.axes[0].get_yticklabels()]
    percent, _ = likert_percentages(frame, q, "risks")
    assert y_labels == [q.question(sid).text for sid in percent.index]


# --- Figure 5 and the flow diagram -----------------------------------------------------------


def agreement_summary() -> pd.DataFrame:
    rows = []
    for survey, benefit, risk in [("patients", 78.49, 5.1), ("experts", 73.35, 27.76)]:
        for statement_set, mean, k in [("benefits", benefit, 3), ("risks", risk, 2)]:
            for i in range(k):
                value = mean + (i - (k - 1) / 2) * 4
                rows.append((survey, statement_set, f"s{i}", value, value - 6, value + 6, 100))
            rows.append((survey, statement_set, "mean", mean, mean - 3, mean + 2, 120))
    return pd.DataFrame(
        rows,
        columns=["survey", "statement_set", "statement", "percent_agree", "ci_low", "ci_high", "n"],
    )


def plot_figure5(summary: pd.DataFrame):
    return plot_agreement(
        summary,
        {"patients": "Patients", "experts": "Clinical experts"},
        {"benefits": "Potential benefits", "risks": "Potential risks"},
        ["Agree", "Strongly agree"],
        confidence_level=0.95,
    )


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


# --- Deterministic output --------------------------------------------------------------------


def render_all(directory) -> dict[str, bytes]:
    """Render every kind of figure into ``directory``; return the bytes of each file."""
    q = questionnaire()
    figures = {
        "likert": plot_likert(
            answers_frame(q, 50, 11), q, "benefits", "Benefits", rows=layout_rows(q)
        ),
        "figure5": plot_figure5(agreement_summary()),
        "flow": plot_flow(
            pd.DataFrame(
                {
                    "survey": ["experts"] * 3,
                    "stage": ["returned", "excluded_x", "analysed"],
                    "n": [5, 1, 4],
                }
            ),
            {"experts": "Clinical experts"},
        ),
    }
    out = {}
    for name, figure in figures.items():
        png, svg = directory / f"{name}.png", directory / f"{name}.svg"
        save_figure(figure, png, svg)
        out[png.name], out[svg.name] = png.read_bytes(), svg.read_bytes()
    return out


def test_same_bytes_when_rendered_twice(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = render_all(tmp_path / "a"), render_all(tmp_path / "b")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two renderings"
    assert b"<dc:date>" not in first["likert.svg"] and b"Matplotlib v" not in first["likert.svg"]
    assert b"Matplotlib" not in first["likert.png"]


@pytest.mark.slow  # over 3 s
def test_same_bytes_in_a_fresh_interpreter(tmp_path):
    """Another process, another hash seed: the files are still byte-identical."""
    here = render_all(tmp_path)
    (tmp_path / "other").mkdir()
    script = (
        "import sys; from pathlib import Path; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "import test_figures; test_figures.render_all(Path(sys.argv[3]))\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(REPO / "workflow" / "scripts"),
            str(REPO / "tests"),
            str(tmp_path / "other"),
        ],
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    for name, data in here.items():
        assert (tmp_path / "other" / name).read_bytes() == data, f"{name} differs across processes"
