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


# --- Sizes, palettes and saving ---------------------------------------------------------------


def test_a_journal_size_is_its_width_in_inches_with_text_at_print_size():
    from likertflow.plotting import STANDARD, FigureSize

    column = FigureSize.from_params({"width_mm": 85, "png_dpi": "300"})
    assert column == FigureSize(85 / 25.4, 0.8, 300)  # 8 pt where the standard figure has 10
    assert not column.standard
    standard = FigureSize.from_params({"width_mm": None, "png_dpi": 300})
    assert standard == FigureSize(None, 1.0, 300)
    assert FigureSize.from_params({"width_mm": None, "png_dpi": 150}) == STANDARD
    assert standard.standard and isinstance(standard.png_dpi, int)


def test_a_new_figure_has_the_size_asked_in_the_house_style():
    import matplotlib
    from likertflow.plotting import new_figure

    with matplotlib.rc_context({"font.family": "serif", "text.parse_math": True}):
        figure = new_figure(3.5, 2.25)
        assert tuple(figure.get_size_inches()) == (3.5, 2.25)
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]
        assert not figure.text(0, 0, "$x$").get_parse_math()


def test_save_figure_writes_each_format_its_suffix_names_at_the_png_resolution(tmp_path):
    from likertflow.plotting import new_figure, save_figure
    from PIL import Image

    figure = new_figure(2.0, 1.0)
    save_figure(figure, tmp_path / "a.PNG", tmp_path / "a.svg", tmp_path / "a.pdf", png_dpi=100)
    with Image.open(tmp_path / "a.PNG") as png:
        assert png.format == "PNG" and png.size == (200, 100)
        assert png.info.get("Software") == "likertflow"
    assert (tmp_path / "a.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert b"<dc:creator>" in (tmp_path / "a.svg").read_bytes()
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert b"/Creator (likertflow)" in (tmp_path / "a.pdf").read_bytes()
    save_figure(figure, tmp_path / "b.png")
    with Image.open(tmp_path / "b.png") as png:
        assert png.size == (300, 150)  # 150 dpi unless asked


def test_save_figure_refuses_a_format_it_does_not_write(tmp_path):
    from likertflow.plotting import new_figure, save_figure

    with pytest.raises(ValueError) as error:
        save_figure(new_figure(1, 1), tmp_path / "a.png", tmp_path / "figure.jpg")
    assert str(error.value) == f"{tmp_path / 'figure.jpg'}: a figure is written as png, svg, pdf"
    with pytest.raises(ValueError, match="a figure is written as"):
        save_figure(new_figure(1, 1), tmp_path / "figure.Xpng")  # only ends in a format


def test_svg_bytes_do_not_depend_on_numpys_print_options(tmp_path):
    """colour-science sets numpy's legacy (1.13) printing on import; the SVG's element ids hash
    numbers as numpy prints them, so save_figure prints them numpy's own way."""
    import numpy as np
    from likertflow.plotting import save_figure
    from support.figures import plot_figure5

    figure = plot_figure5(agreement_summary())
    save_figure(figure, tmp_path / "a.svg")
    with np.printoptions(legacy="1.13"):
        save_figure(figure, tmp_path / "b.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_a_file_that_cannot_be_written_is_named_in_the_error(tmp_path, monkeypatch):
    """An error raised while writing through a file object names no file: save_figure names it;
    an error that names its file is passed on as it is."""
    import errno

    from likertflow.plotting import new_figure, save_figure

    figure = new_figure(1, 1)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(figure, "savefig", full_disk)
    with pytest.raises(OSError) as error:
        save_figure(figure, tmp_path / "a.pdf")
    assert (error.value.errno, error.value.strerror, error.value.filename) == (
        errno.ENOSPC, "No space left on device", str(tmp_path / "a.pdf")
    )  # fmt: skip
    assert isinstance(error.value.__cause__, OSError)
    monkeypatch.undo()
    with pytest.raises(FileNotFoundError) as error:
        save_figure(figure, tmp_path / "missing" / "a.png")
    assert error.value.filename == str(tmp_path / "missing" / "a.png")


def test_a_scale_longer_than_eleven_points_runs_from_red_to_blue():
    from likertflow.plotting import diverging_palette
    from matplotlib.colors import to_rgb

    for points in (12, 15):
        colours = [to_rgb(c) for c in diverging_palette(points)]
        assert len(set(colours)) == points
        assert colours[0][0] > colours[0][2] and colours[-1][2] > colours[-1][0]  # red, blue
        # lighter towards the middle on each side
        light = [sum(c) for c in colours]
        half = points // 2
        assert light[:half] == sorted(light[:half])
        assert light[points - half :] == sorted(light[points - half :], reverse=True)
    assert diverging_palette(5) is not diverging_palette(5)  # a copy: a caller may append


# --- Text that fits ----------------------------------------------------------------------------


def drawn_width(text: str, size: float, weight: str = "normal", style: str = "normal") -> float:
    """Inches the text takes when matplotlib draws it (at 600 dpi, where hinting hardly
    widens it)."""
    from likertflow.plotting import new_figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = new_figure(8, 2)
    figure.set_dpi(600)
    canvas = FigureCanvasAgg(figure)
    artist = figure.text(0.05, 0.5, text, size=size, weight=weight, style=style)
    canvas.draw()
    return artist.get_window_extent(canvas.get_renderer()).width / 600


@pytest.mark.parametrize(
    ("size", "weight", "style"),
    [(10, "normal", "normal"), (14, "bold", "normal"), (8.5, "normal", "italic")],
)
def test_text_width_is_the_width_matplotlib_draws(size, weight, style):
    from likertflow.plotting import text_width

    text = "Sharing radiological images with patients"
    assert text_width(text, size, weight, style) == pytest.approx(
        drawn_width(text, size, weight, style), rel=0.01
    )
    # the widest of several lines, and nothing for no text
    widest = text_width(text, size, weight, style)
    assert text_width(f"{text}\nshort", size, weight, style) == widest
    assert text_width(f"short\n{text}", size, weight, style) == widest
    assert text_width("", size) == 0.0


def test_wrapped_lines_fit_and_leave_nothing_out():
    from likertflow.plotting import line_count, text_width, wrap

    text = "Did you want/would you like/have liked to see your radiological images? " * 3
    for width in (0.8, 1.5, 3.0):
        wrapped = wrap(text.strip(), width, 9)
        assert wrapped.replace("\n", " ") == text.strip()
        assert all(text_width(line, 9) * 1.02 <= width for line in wrapped.split("\n"))
        assert line_count(wrapped) == wrapped.count("\n") + 1 > 1
        # greedy: no line could have taken the next line's first word
        lines = wrapped.split("\n")
        for line, following in zip(lines, lines[1:], strict=False):
            assert text_width(f"{line} {following.split(' ')[0]}", 9) * 1.02 > width
    assert line_count("one line") == 1


def test_a_line_may_take_the_width_less_two_percent():
    from likertflow.plotting import text_width, wrap

    text = "alpha beta"
    fitting = text_width(text, 10) * 1.02
    assert wrap(text, fitting, 10) == text
    assert wrap(text, fitting * 0.999, 10) == "alpha\nbeta"
    bold = text_width(text, 10, "bold") * 1.02
    assert wrap(text, bold, 10, weight="bold") == text
    assert wrap(text, bold * 0.999, 10, weight="bold") == "alpha\nbeta"
    assert wrap(text, fitting, 10, weight="bold") == "alpha\nbeta"  # bold is wider


def test_a_word_wider_than_the_line_is_broken_between_characters():
    from likertflow.plotting import text_width, wrap

    word = "https://example.org/" + "x" * 40
    wrapped = wrap(f"see {word} now", 1.0, 9)
    lines = wrapped.split("\n")
    assert lines[0] == "see" and lines[-1].endswith(" now")
    assert "".join(lines[1:]) == f"{word} now"
    assert all(text_width(line, 9) * 1.02 <= 1.0 for line in lines)
    # each piece as long as fits: one more character would not
    for line, following in zip(lines[1:-2], lines[2:-1], strict=True):
        assert text_width(line + following[0], 9) * 1.02 > 1.0
    # no room for even one character: one a line, nothing lost
    assert wrap("abc", 0.001, 10) == "a\nb\nc"


def test_wrap_keeps_paragraphs_no_break_spaces_and_a_fitting_line_as_written():
    from likertflow.plotting import text_width, wrap

    assert wrap("two  spaces kept", 5.0, 10) == "two  spaces kept"
    narrow = text_width("spaces", 10) * 1.02
    assert wrap("two  spaces", narrow, 10) == "two\nspaces"  # a double space breaks once
    assert wrap("first line\nsecond", 5.0, 10) == "first line\nsecond"
    # a paragraph that fits keeps its spacing beside one that is wrapped
    assert wrap("two  spaces\nthen a longer paragraph", narrow * 1.75, 10) == (
        "two  spaces\nthen a\nlonger\nparagraph"
    )
    # a paragraph of nothing but spaces, wider than the line: an empty line
    assert wrap("a\n" + " " * 200, 0.5, 10) == "a\n"
    held = "n\u00a0=\u00a0282"
    assert wrap(f"Patients {held}", text_width(held, 10) * 1.02, 10) == f"Patients\n{held}"


def test_wrap_at_a_number_of_characters_where_every_line_fits():
    """``chars``: textwrap's lines where they fit (a figure's layout as it has always been), else
    the measured ones."""
    import textwrap

    from likertflow.plotting import wrap

    text = "one two three four five six seven eight nine ten"
    assert wrap(text, 5.0, 10, chars=12) == textwrap.fill(text, 12)
    assert wrap(text, 5.0, 10) == text  # measured: all in one line
    # 30 characters do not fit in 0.9 inch: measured lines instead
    assert wrap(text, 0.9, 10, chars=30) == wrap(text, 0.9, 10)
    assert wrap(text, 0.9, 10, chars=30) != textwrap.fill(text, 30)
