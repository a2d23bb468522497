"""Shared figure style, palettes, text fitting, sizes and deterministic saving for every figure.

Figures are built on ``matplotlib.figure.Figure`` objects (no pyplot state) and drawn by the Agg
renderer. Determinism: the font is DejaVu Sans (shipped with matplotlib, so the same on every
machine), SVG element ids come from a fixed ``svg.hashsalt``, and the metadata that would carry a
date or the matplotlib version are fixed, so the same data give the same PNG, SVG and PDF bytes.

Ready for a journal: every figure is written as PNG and, as config ``figures.formats`` asks, as
SVG (glyphs as paths: the drawing needs no font) and PDF (fonts embedded as TrueType, Type 42,
never as Type 3 bitmaps). ``FigureSize`` draws a figure at its own width (``standard``) or at a
journal's one- or two-column width, with text scaled to print sizes. Text that comes from the
codebook or config is fitted, never cut: ``wrap`` breaks it into lines no wider than the room
it has, measured in the figure's font.

Text is drawn as text: every label, title and legend entry comes from the codebook, the config
or the data, so the style turns off matplotlib's mathtext (``text.parse_math``) and TeX
(``text.usetex``) for every text artist of every figure. An income band ``$0 - $24,999`` prints
as written, and a label such as ``$\\frac{`` cannot stop a figure from being drawn.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# ColorBrewer "RdBu", 5 classes (colour-blind safe, print friendly): red = disagree,
# blue = agree. Its middle class (#f7f7f7) is almost invisible on white, so the neutral category
# is drawn in a light grey of the same lightness family instead.
PALETTE_NAME = "ColorBrewer RdBu (5 classes), neutral as light grey"
DIVERGING_5 = ("#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0")
NEUTRAL = DIVERGING_5[2]
# A diverging palette for every scale of 2 to 11 points, low end red, high end blue, the middle
# point (odd scales) the neutral grey. 2 to 5 points take ColorBrewer RdBu's colours (5: the one
# above). 6 to 11 points: CIELAB colours on the path through RdBu's 11-class colours (red
# #f4a582, #d6604d, #b2182b, #67001f; blue #92c5de, #4393c3, #2166ac, #053061), at lightness
# L* evenly from 74 (next to the middle) to 26 (the ends), chroma reduced into the sRGB gamut.
# tests/unit/test_palette.py holds every size to: every two colours at least 8 CIEDE2000 apart
# for normal vision and simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009,
# severity 1); and in greyscale, lightness falling by at least 9 L* from the middle out on each
# side (a point's side of zero tells the two ends apart, as in any diverging chart).
DIVERGING: dict[int, tuple[str, ...]] = {
    2: ("#ca0020", "#0571b0"),
    3: ("#ca0020", NEUTRAL, "#0571b0"),
    4: ("#ca0020", "#f4a582", "#92c5de", "#0571b0"),
    5: DIVERGING_5,
    6: ("#7f0623", "#cb4d42", "#f3a380", "#87bdda", "#347bb7", "#0c3e74"),
    7: ("#7f0623", "#cb4d42", "#f3a380", NEUTRAL, "#87bdda", "#347bb7", "#0c3e74"),
    8: ("#7f0623", "#ba2c32", "#db6a54", "#f3a380", "#87bdda", "#4393c3", "#2065aa", "#0c3e74"),
    9: ("#7f0623", "#ba2c32", "#db6a54", "#f3a380", NEUTRAL, "#87bdda", "#4393c3", "#2065aa",
        "#0c3e74"),
    10: ("#7f0623", "#b0172b", "#cb4d42", "#e1795f", "#f3a380", "#87bdda", "#569dc9", "#347bb7",
         "#1b5b9c", "#0c3e74"),
    11: ("#7f0623", "#b0172b", "#cb4d42", "#e1795f", "#f3a380", NEUTRAL, "#87bdda", "#569dc9",
         "#347bb7", "#1b5b9c", "#0c3e74"),
}  # fmt: skip
# Okabe-Ito colours (colour-blind safe) for groups such as questionnaires, kept apart from the
# agreement palette so that a group is never read as an answer.
GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#4d4d4d",
    "axes.linewidth": 0.8,
    "xtick.color": "#4d4d4d",
    "ytick.color": "#4d4d4d",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "path",  # glyphs as paths: the SVG looks the same without the font
    "svg.hashsalt": "likertflow",  # fixed element ids instead of random ones
    "path.simplify": True,
    # Labels are data: never mathtext or TeX (see the module docstring).
    "text.parse_math": False,
    "text.usetex": False,
}
PNG_DPI = 150
# Fixed metadata: no date, no library version (PNG "Software", SVG "Creator" and PDF "Creator"
# and "Producer" default to it).
PNG_METADATA = {"Software": "likertflow"}
SVG_METADATA = {"Creator": "likertflow", "Date": None}
PDF_METADATA = {"Creator": "likertflow", "Producer": "likertflow", "CreationDate": None}
# PDF fonts embedded as TrueType (Type 42), which journals' checks ask for, not Type 3.
SAVE_STYLE = {**STYLE, "pdf.fonttype": 42}
FORMATS = ("png", "svg", "pdf")

MM_PER_INCH = 25.4
JOURNAL_TEXT = 0.8  # text and spacing at a journal width: 8 pt where the standard figure has 10


@dataclass(frozen=True)
class FigureSize:
    """How large a figure is drawn: its kind's own size (``width`` None, text as ``STYLE`` sets
    it), or ``width`` inches (a journal column) with text and spacing scaled by ``scale``; and
    the PNG's resolution."""

    width: float | None = None
    scale: float = 1.0
    png_dpi: int = PNG_DPI

    @classmethod
    def from_params(cls, params: dict) -> FigureSize:
        """From a rule's ``size`` param: ``width_mm`` (None: standard) and ``png_dpi``."""
        width_mm, dpi = params["width_mm"], int(params["png_dpi"])
        if width_mm is None:
            return cls(None, 1.0, dpi)
        return cls(float(width_mm) / MM_PER_INCH, JOURNAL_TEXT, dpi)

    @property
    def standard(self) -> bool:
        return self.width is None


STANDARD = FigureSize()


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches in the house style."""
    matplotlib.rcParams.update(STYLE)
    return Figure(figsize=(width, height))


def save_figure(figure: Figure, *paths: str | Path, png_dpi: int = PNG_DPI) -> None:
    """Write the figure to each path in the format its suffix names (PNG, SVG, PDF) with fixed
    metadata, the same bytes on every run."""
    metadata = {"png": PNG_METADATA, "svg": SVG_METADATA, "pdf": PDF_METADATA}
    # The SVG's element ids hash numbers as numpy prints them: numpy's own print options, not
    # whatever another library set (colour-science sets legacy 1.13 printing on import).
    with matplotlib.rc_context(SAVE_STYLE), np.printoptions(legacy=False):
        for path in paths:
            suffix = Path(path).suffix.lstrip(".").lower()
            if suffix not in FORMATS:
                raise ValueError(f"{path}: a figure is written as {', '.join(FORMATS)}")
            dpi = {"dpi": png_dpi} if suffix == "png" else {}
            try:
                figure.savefig(path, format=suffix, metadata=metadata[suffix], **dpi)
            except OSError as error:  # written through a file object: name the file
                if error.filename is not None:
                    raise
                raise OSError(error.errno, error.strerror, str(path)) from error


def diverging_palette(points: int) -> list:
    """The colours of a scale of ``points`` points, low end first (``DIVERGING``); beyond 11
    points an even pick from matplotlib's RdBu, which no test holds to the checks above."""
    if points in DIVERGING:
        return list(DIVERGING[points])
    from matplotlib import colormaps  # only for scales longer than any checked palette

    return [colormaps["RdBu"](x) for x in np.linspace(0.1, 0.9, points)]


# --- Text that fits ------------------------------------------------------------------------------


@functools.cache
def _font(size: float, weight: str, style: str):
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=STYLE["font.family"], size=size, weight=weight, style=style)


def text_width(text: str, size: float, weight: str = "normal", style: str = "normal") -> float:
    """Inches the widest line of ``text`` takes at ``size`` points, as matplotlib lays out the
    glyphs of the figure's font."""
    from matplotlib.textpath import text_to_path

    font = _font(float(size), weight, style)
    widths = [
        text_to_path.get_text_width_height_descent(line, font, ismath=False)[0]
        for line in text.split("\n")
    ]
    return max(widths) / 72  # split() gives at least one line, "" for no text


def wrap(
    text: str,
    width: float,
    size: float,
    weight: str = "normal",
    style: str = "normal",
    chars: int | None = None,
) -> str:
    """``text`` in lines no wider than ``width`` inches at ``size`` points, nothing left out.

    ``chars``: first try ``textwrap.fill`` at that many characters (a figure's layout as it has
    always been), kept if every line fits; otherwise words are laid greedily by their measured
    width, and a word wider than a line alone is broken between characters."""

    def fits(line: str) -> bool:  # 2 % to spare: hinting widens small text in the PNG
        return text_width(line, size, weight, style) * 1.02 <= width

    if chars is not None:
        filled = textwrap.fill(text, chars)
        if fits(filled):  # text_width measures the widest of its lines
            return filled
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if fits(paragraph):  # as written, its spacing kept
            lines.append(paragraph)
            continue
        line = ""
        for word in paragraph.split(" "):  # a no-break space holds its words together
            if not word:
                continue
            candidate = f"{line} {word}" if line else word
            if fits(candidate):
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while not fits(line) and len(line) > 1:  # one word wider than the line
                cut = max(k for k in range(1, len(line)) if fits(line[:k]) or k == 1)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return "\n".join(lines)


def line_count(text: str) -> int:
    return text.count("\n") + 1
