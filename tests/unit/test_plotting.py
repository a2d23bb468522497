"""Figures are deterministic (likertflow.plotting): the same bytes of every kind of figure when
rendered twice, and in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO
from likertflow.flow_plot import plot_flow
from likertflow.likert_plot import (
    layout_rows,
    plot_likert,
)
from likertflow.plotting import save_figure
from support.figures import agreement_summary, answers_frame, plot_figure5, questionnaire


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
