"""The Snakemake report of a completed run: self-contained, captioned, and rendered by Chromium.

Runs the whole workflow once (the session's ``shipped_run``), builds ``results/report.html`` and
opens it in headless Chromium (Debian's ``chromium``): once as it opens, and once with a line of
JavaScript that does what a reader's click on Figure 1 does, so that the screenshot shows the
figure drawn inside the report. Skipped only when Chromium is not installed; CI installs it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_snakemake

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium")
REPORT = "results/report.html"
FIGURES = [
    "figure1_patient_benefits",
    "figure2_expert_benefits",
    "figure3_patient_risks",
    "figure4_expert_risks",
    "figure5_agreement",
    "participant_flow",
]
CATEGORIES = ["1. Cohort", "2. Descriptive tables", "3. Themes", "4. Comparisons", "5. Figures",
              "6. Tables for the manuscript"]  # fmt: skip
# Colours of the diverging palette (likertflow.plotting.DIVERGING_5) that the report's own
# interface does not use: seeing them in a screenshot means the figure itself was drawn.
STRONGLY_DISAGREE, DISAGREE = (0xCA, 0x00, 0x20), (0xF4, 0xA5, 0x82)


@pytest.fixture(scope="module")
def report(shipped_run) -> Path:
    run_snakemake(shipped_run, "--report", REPORT)
    return shipped_run / REPORT


def embedded_results(html: str) -> dict:
    """The report's table of results (path -> name, caption, data URI, ...)."""
    match = re.search(r"var results = (\{.*?\});\s*</script>", html, flags=re.DOTALL)
    assert match, "no results table in the report"
    return json.loads(match.group(1))


def chromium(page: Path, profile: Path, *action: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on a local page (flags for a closed network, as root)."""
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
        "--virtual-time-budget=10000",  # let the report's scripts and timers finish first
        "--window-size=1400,2000",
        *action,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def screenshot(page: Path, png: Path, profile: Path) -> None:
    result = chromium(page, profile, f"--screenshot={png}")
    assert png.exists(), f"chromium made no screenshot:\n{result.stdout}\n{result.stderr}"


def rendered_markup(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran, without the scripts themselves: what React drew."""
    result = chromium(page, profile, "--dump-dom")
    assert result.returncode == 0, result.stderr
    return re.sub(r"<script\b.*?</script>", "", result.stdout, flags=re.DOTALL)


def colour_counts(png: Path) -> tuple[int, float, dict[tuple[int, int, int], int]]:
    """Distinct colours, the share of non-white pixels, and pixels near the palette colours."""
    import numpy as np
    from PIL import Image  # Pillow comes with matplotlib

    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16).reshape(-1, 3)
    distinct = len(np.unique(pixels, axis=0))
    non_white = float((pixels.min(axis=1) < 245).mean())
    near = {
        target: int((np.abs(pixels - np.array(target)).max(axis=1) < 12).sum())
        for target in (STRONGLY_DISAGREE, DISAGREE)
    }
    return distinct, non_white, near


def test_report_is_self_contained_and_captioned(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=[\"']https?:", html), (
        "external resource"
    )
    results = embedded_results(html)
    for figure in FIGURES:
        for path, entry in results.items():
            if path.endswith(f"{figure}.png"):
                assert (
                    entry["data_uri"].startswith("data:image/png;")
                    and ";base64," in entry["data_uri"]
                )
                break
        else:
            pytest.fail(f"{figure}.png is not in the report")
    for path, entry in results.items():
        caption = entry["caption"]
        # reStructuredText that did not render shows as a system message (or a bare "**")
        assert "system-message" not in caption, f"{path}: caption did not render"
        if path.startswith("results/checks/"):  # the output check: of files, not respondents
            assert "<strong>Output check</strong>" in caption, path
            continue
        assert "<strong>n</strong>" in caption, f"{path}: caption states no n"
        assert "<strong>Method</strong>" in caption, f"{path}: caption states no method"
        if "count as agreeing" in caption:
            assert "<em>Agree</em>, <em>Strongly agree</em>" in caption, path
    for category in CATEGORIES:
        assert category in html
    assert "synthetic reconstruction calibrated to the published tables" in html


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); CI installs it",
)
def test_report_renders_in_headless_chromium(report, tmp_path):
    front = tmp_path / "front.png"
    screenshot(report, front, tmp_path / "profile-front")
    distinct, non_white, _ = colour_counts(front)
    assert distinct > 50 and non_white > 0.02, "the report's front page is blank"
    front_markup = rendered_markup(report, tmp_path / "profile-front-dom")
    assert "synthetic reconstruction calibrated to the published tables" in front_markup
    assert "5. Figures" in front_markup, "the report's menu was not drawn"

    # The same report, opened at Figure 1 as a click on its entry would (app.setView is what the
    # report's own buttons call).
    figure = "results/figures/figure1_patient_benefits.png"
    opened = tmp_path / "report_at_figure1.html"
    opener = (
        "<script>window.addEventListener('load', function () { setTimeout(function () {"
        f" app.setView({{navbarMode: 'resultinfo', content: 'img', resultPath: '{figure}',"
        f" contentPath: results['{figure}'].data_uri}}); }}, 200); }});</script>"
    )
    # Before the page's own closing tag (the last one: inline libraries contain the string too).
    head, body_end, tail = report.read_text(encoding="utf-8").rpartition("</body>")
    opened.write_text(head + opener + body_end + tail, encoding="utf-8")
    shot = tmp_path / "figure1.png"
    screenshot(opened, shot, tmp_path / "profile-figure")
    distinct, non_white, near = colour_counts(shot)
    assert distinct > 50 and non_white > 0.02, "the report page showing Figure 1 is blank"
    markup = rendered_markup(opened, tmp_path / "profile-figure-dom")
    assert re.search(r"<img src=\"data:image/png;[^\"]*base64,", markup), "Figure 1 is not shown"
    assert "diverging stacked bars" in markup, "Figure 1's caption is not shown"
    assert near[STRONGLY_DISAGREE] > 200 and near[DISAGREE] > 200, (
        f"Figure 1's bars are not visible in the report (palette pixels: {near})"
    )
