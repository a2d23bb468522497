"""Figures are deterministic (likertflow.plotting): the same bytes of every kind of figure when
rendered twice, and in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO
from likertflow.agreement_plot import plot_agreement
from likertflow.flow_plot import plot_flow
from support.figures import (
    CODEBOOK,
    agreement_summary,
    answers_frame,
    likert,
    questionnaire,
    render_all,
)


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
        "from support.figures import render_all; render_all(Path(sys.argv[3]))\n"
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


# --- Text drawn as text -------------------------------------------------------------------------

DOLLARS = "$0 - $24,999"
BROKEN_MATH = r"Cost in $\frac{ or $x^"


def test_labels_are_drawn_as_written_never_as_mathtext(tmp_path):
    """Statement wordings, a statement set, a questionnaire and a title holding dollar signs (an
    income band, unbalanced TeX) are drawn as written in every kind of figure: the SVG, with
    its text kept as text, holds them verbatim, and nothing fails to draw."""
    import copy

    import matplotlib
    import matplotlib.text
    from likertflow.plotting import save_figure

    codebook = copy.deepcopy(CODEBOOK)
    codebook["statements"][0]["wording"] = DOLLARS
    codebook["statements"][1]["wording"] = BROKEN_MATH
    codebook["questionnaires"]["patients"]["label"] = "Income $25,000 - $49,999"
    q = questionnaire(codebook=codebook)
    statement_set = q.statements()[0].statement_set
    figures = {
        "likert": likert(answers_frame(q, 40, 3), q, statement_set, "Title $a$ and $b$"),
        "figure5": plot_agreement(
            agreement_summary(),
            {"patients": DOLLARS, "experts": BROKEN_MATH},
            {"benefits": "$1 $2", "risks": "Risks"},
            ["Agree $", "Strongly agree"],
            confidence_level=0.95,
        ),
        "flow": plot_flow(
            pd.DataFrame(
                {"survey": ["experts"] * 2, "stage": ["returned", "analysed"], "n": [5, 4]}
            ),
            {"experts": DOLLARS},
        ),
    }
    for name, figure in figures.items():
        texts = [t for t in figure.findobj(matplotlib.text.Text) if "$" in t.get_text()]
        assert texts, name
        assert not any(t.get_parse_math() or t.get_usetex() for t in texts), name
        save_figure(figure, tmp_path / f"{name}.png", tmp_path / f"{name}.svg")
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            figure.savefig(tmp_path / f"{name}.text.svg", format="svg")
        svg = (tmp_path / f"{name}.text.svg").read_text(encoding="utf-8")
        wanted = {"likert": [DOLLARS, "Title $a$ and $b$"], "figure5": [DOLLARS], "flow": [DOLLARS]}
        for text in wanted[name]:
            assert text in svg, (name, text)


# --- Ready for a journal -----------------------------------------------------------------------


def test_pdf_embeds_its_fonts_as_truetype_and_svg_draws_glyphs_as_paths(tmp_path):
    """Journals' checks refuse Type 3 (bitmap) fonts and fonts not embedded: every font of the
    PDF is a TrueType one (Type 42: a CIDFontType2 with its FontFile2), and the SVG draws its
    text as paths, so it needs no font at all."""
    import re

    files = render_all(tmp_path)
    for name in ["likert", "figure5", "flow"]:
        pdf = files[f"{name}.pdf"]
        fonts = re.findall(rb"/Subtype /(\w+)", pdf)
        assert b"Type3" not in fonts and b"CIDFontType2" in fonts, (name, fonts)
        assert pdf.count(b"/FontFile2") == pdf.count(b"/Subtype /CIDFontType2"), name
        assert b"/CreationDate" not in pdf and b"Matplotlib" not in pdf, name
        svg = files[f"{name}.svg"]
        assert b"<text" not in svg and b"<path" in svg, name
