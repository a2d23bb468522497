"""The second worked example, "Learning online" (config/examples/online_learning/), end to end.

Its exports are synthetic (likertflow.simulate, model in synthetic.yaml) and are regenerated
here byte for byte. The workflow runs on them with `--configfile` alone, and its cohort, theme
alphas and test statistics are compared with an independent computation in R from the raw
exports (tests/r/online_learning_expected.R, output stored in
tests/data/online_learning_expected.csv; psych::alpha, wilcox.test, kruskal.test). Its report
must contain none of the first study's words.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import copy_workflow, run_snakemake
from test_report_text import FIRST_STUDY_WORDS, plain

REPO = Path(__file__).resolve().parents[1]
CONFIG = "config/examples/online_learning/config.yaml"
RAW = REPO / "resources" / "examples" / "online_learning" / "raw"
GENERATOR = REPO / "workflow" / "scripts" / "generate_example_exports.py"
EXPECTED = REPO / "tests" / "data" / "online_learning_expected.csv"
R_SCRIPT = REPO / "tests" / "r" / "online_learning_expected.R"
REL = 1e-9  # the CSVs keep full precision; R and scipy agree to rounding


def expected(what: str) -> dict[tuple[str, str], float]:
    with EXPECTED.open(encoding="utf-8") as handle:
        return {
            (row["survey"], row["name"]): float(row["value"])
            for row in csv.DictReader(handle)
            if row["what"] == what
        }


def test_generator_writes_the_shipped_exports_byte_for_byte(tmp_path):
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    shipped = sorted(path.relative_to(RAW) for path in RAW.rglob("*.csv"))
    made = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*.csv"))
    assert made == shipped
    for path in shipped:
        assert (tmp_path / path).read_bytes() == (RAW / path).read_bytes(), path


def test_exports_exercise_what_the_first_study_does_not():
    frames = {
        survey.name: pd.concat(
            [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(survey.glob("*.csv"))]
        )
        for survey in sorted(RAW.iterdir())
    }
    assert sorted(frames) == ["postgraduates", "staff", "undergraduates"]
    for frame in frames.values():
        assert not any("date" in column.lower() for column in frame.columns), "no timestamps"
        values = frame.to_numpy().ravel()
        assert (values == "Don't know").any()
        assert (frame["What is your gender?"] == "").any()  # optional, sometimes left blank
    ages = pd.to_numeric(frames["undergraduates"]["How old are you? (years)"], errors="coerce")
    assert (ages < 18).sum() > 0


@pytest.mark.skipif(not Path("/usr/bin/Rscript").exists(), reason="R is not installed")
def test_stored_r_numbers_are_what_the_r_script_prints():
    result = subprocess.run(
        ["Rscript", str(R_SCRIPT)], cwd=REPO, check=True, capture_output=True, text=True
    )
    assert result.stdout == EXPECTED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> Path:
    workdir = copy_workflow(tmp_path_factory.mktemp("online_learning"))
    run_snakemake(workdir, "--configfile", CONFIG)
    run_snakemake(workdir, "--configfile", CONFIG, "--report", "results/report.html")
    return workdir


@pytest.mark.slow
def test_participant_flow_equals_r(example_run):
    flow = pd.read_csv(example_run / "results" / "tables" / "participant_flow.csv")
    got = {(row.survey, row.stage): row.n for row in flow.itertuples()}
    for key, value in expected("flow").items():
        assert got[key] == value, key


@pytest.mark.slow
def test_theme_alphas_equal_r(example_run):
    table = pd.read_csv(example_run / "results" / "tables" / "theme_reliability.csv")
    got = {(row.survey, row.theme): row.alpha for row in table.itertuples()}
    alphas = expected("alpha")
    assert set(got) == set(alphas)
    for key, value in alphas.items():
        assert got[key] == pytest.approx(value, rel=REL), key
    assert all(value > 0.5 for value in got.values()), "reverse-keyed items not reversed?"


@pytest.mark.slow
def test_test_statistics_equal_r(example_run):
    table = pd.read_csv(example_run / "results" / "tables" / "comparisons.csv")
    got = {(row.comparison, row.outcome): (row.statistic, row.p) for row in table.itertuples()}
    statistics, p_values = expected("statistic"), expected("p")
    assert set(got) == set(statistics)
    for key, value in statistics.items():
        assert got[key][0] == pytest.approx(value, rel=REL), key
        assert got[key][1] == pytest.approx(p_values[key], rel=1e-6), key


@pytest.mark.slow
def test_report_describes_the_example_only(example_run):
    html = (example_run / "results" / "report.html").read_text(encoding="utf-8")
    front = re.search(r'var workflow_desc = (".*?");\n', html, flags=re.DOTALL)
    results = re.search(r"var results = (\{.*?\});\s*</script>", html, flags=re.DOTALL)
    assert front and results
    texts = {"front page": plain(json.loads(front.group(1)))}
    for path, entry in json.loads(results.group(1)).items():
        texts[path] = plain(entry["caption"])
    assert "Learning online" in texts["front page"]
    assert "The data are synthetic." in texts["front page"]
    found = sorted(
        (name, word)
        for name, text in texts.items()
        for word in FIRST_STUDY_WORDS
        if word.lower() in text.lower()
    )
    assert not found, found
