"""The figures' palettes stay distinguishable for the common colour-vision deficiencies and in
greyscale (issue 21), checked with colour-science, not by hand:

- every two colours of the diverging palette of each scale size, 2 to 11 points, and of the
  questionnaires' colours (Figure 5, up to 6), differ by at least ``MIN_DELTA_E`` CIEDE2000 for
  normal vision and for simulated protanopia, deuteranopia and tritanopia (Machado, Oliveira and
  Fernandes 2009, IEEE TVCG 15(6):1291-1298, severity 1: the full dichromacy; colour-science
  notes that its tritan simulation is an approximation);
- in greyscale (CIELAB L*), the diverging palette's lightness falls from the middle out on each
  side by at least ``MIN_LIGHTNESS_STEP`` from one point to the next, so a point reads as
  stronger the darker it is; its two ends are told apart by their side of zero, as in any
  diverging chart. The questionnaires' first two colours (two questionnaires, as shipped) differ
  in lightness too; beyond two, Figure 5 keeps their bars in the legend's order in every set.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from likertflow.plotting import DIVERGING, DIVERGING_5, GROUP_COLOURS, diverging_palette
from matplotlib.colors import to_rgb

_PRINTING = np.get_printoptions()
import colour  # noqa: E402  colour-science (requirements-dev.txt)

np.set_printoptions(**_PRINTING)  # it sets numpy's legacy printing for the whole session

MIN_DELTA_E = 8.0
MIN_LIGHTNESS_STEP = 9.0
VISION = ("normal", "Protanomaly", "Deuteranomaly", "Tritanomaly")


def seen(colours, vision: str) -> np.ndarray:
    """CIELAB of sRGB colours as normal vision or a full dichromacy (Machado 2009) sees them."""
    rgb = np.array([to_rgb(c) for c in colours])
    if vision != "normal":
        with warnings.catch_warnings():  # colour-science's note on its tritan approximation
            warnings.simplefilter("ignore")
            matrix = colour.blindness.matrix_cvd_Machado2009(vision, 1.0)
        linear = colour.cctf_decoding(rgb, function="sRGB")
        rgb = colour.cctf_encoding(np.clip(linear @ matrix.T, 0, 1), function="sRGB")
    return colour.XYZ_to_Lab(colour.sRGB_to_XYZ(rgb))


def smallest_difference(colours, vision: str) -> float:
    lab = seen(colours, vision)
    return min(
        float(colour.delta_E(lab[i], lab[j], method="CIE 2000"))
        for i, j in itertools.combinations(range(len(lab)), 2)
    )


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("points", range(2, 12))
def test_every_two_colours_of_a_scale_differ_for_every_vision(points, vision):
    assert smallest_difference(diverging_palette(points), vision) >= MIN_DELTA_E


@pytest.mark.parametrize("points", range(2, 12))
def test_lightness_falls_from_the_middle_out_on_each_side(points):
    lightness = seen(diverging_palette(points), "normal")[:, 0]
    half = points // 2
    middle = [lightness[half]] if points % 2 else []
    low_side = [*middle, *lightness[:half][::-1]]  # from the middle out
    high_side = [*middle, *lightness[points - half :]]
    for side in (low_side, high_side):
        steps = -np.diff(side)
        assert (steps >= MIN_LIGHTNESS_STEP).all(), (points, np.round(side, 1))


def test_the_shipped_five_point_palette_is_kept():
    """ColorBrewer RdBu, neutral as light grey: the shipped figures' colours."""
    assert DIVERGING[5] == DIVERGING_5 == ("#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0")
    assert set(DIVERGING) == set(range(2, 12))


@pytest.mark.parametrize("vision", VISION)
def test_questionnaire_colours_differ_for_every_vision(vision):
    for count in range(2, len(GROUP_COLOURS) + 1):
        assert smallest_difference(GROUP_COLOURS[:count], vision) >= MIN_DELTA_E, count
    first, second = seen(GROUP_COLOURS[:2], "normal")[:, 0]
    assert abs(first - second) >= MIN_LIGHTNESS_STEP  # two questionnaires: apart in greyscale
