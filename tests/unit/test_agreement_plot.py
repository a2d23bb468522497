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
