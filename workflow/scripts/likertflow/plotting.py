"""Shared figure style and deterministic saving for every figure of the workflow.

Figures are built on ``matplotlib.figure.Figure`` objects (no pyplot state) and drawn by the Agg
renderer. Determinism: the font is DejaVu Sans (shipped with matplotlib, so the same on every
machine), SVG element ids come from a fixed ``svg.hashsalt``, and the metadata that would carry a
date or the matplotlib version are fixed, so the same data give the same PNG and SVG bytes.

Text is drawn as text: every label, title and legend entry comes from the codebook, the config
or the data, so the style turns off matplotlib's mathtext (``text.parse_math``) and TeX
(``text.usetex``) for every text artist of every figure. An income band ``$0 - $24,999`` prints
as written, and a label such as ``$\\frac{`` cannot stop a figure from being drawn.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

# ColorBrewer "RdBu", 5 classes (colour-blind safe, print friendly): red = disagree,
# blue = agree. Its middle class (#f7f7f7) is almost invisible on white, so the neutral category
# is drawn in a light grey of the same lightness family instead.
PALETTE_NAME = "ColorBrewer RdBu (5 classes), neutral as light grey"
DIVERGING_5 = ("#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0")
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
# Fixed metadata: no date, no library version (PNG "Software" and SVG "Creator" default to it).
PNG_METADATA = {"Software": "likertflow"}
SVG_METADATA = {"Creator": "likertflow", "Date": None}


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches in the house style."""
    matplotlib.rcParams.update(STYLE)
    return Figure(figsize=(width, height))


def save_figure(figure: Figure, png: str | Path, svg: str | Path) -> None:
    """Write the figure as PNG and SVG with fixed metadata, the same bytes on every run."""
    with matplotlib.rc_context(STYLE):
        figure.savefig(png, format="png", dpi=PNG_DPI, metadata=PNG_METADATA)
        figure.savefig(svg, format="svg", metadata=SVG_METADATA)
