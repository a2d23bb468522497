"""The second worked example, "Learning online" (config/examples/online_learning/), end to end.

Its exports are synthetic (`likertflow generate`, model in synthetic.yaml) and are regenerated
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
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, copy_workflow, run_snakemake, run_tool
from test_report_text import FIRST_STUDY_WORDS, plain

CONFIG = "config/examples/online_learning/config.yaml"
RAW = REPO / "resources" / "examples" / "online_learning" / "raw"
MODEL = "config/examples/online_learning/synthetic.yaml"
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
    run_tool("generate", MODEL, "--out", str(tmp_path))
    shipped = sorted(path.relative_to(RAW) for path in RAW.rglob("*") if path.is_file())
    made = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*") if path.is_file())
    assert made == shipped
    for path in shipped:
        assert (tmp_path / path).read_bytes() == (RAW / path).read_bytes(), path


def read_qualtrics(path: Path) -> pd.DataFrame:
    """A Qualtrics CSV as its three header rows say: ids, question texts, ImportId JSON."""
    rows = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    ids, texts, import_ids = (list(rows.iloc[i]) for i in range(3))
    assert ids[0] == "ResponseId" and all(re.fullmatch(r"Q\d+", i) for i in ids[1:])
    assert import_ids == [json.dumps({"ImportId": i}, separators=(",", ":")) for i in ids]
    assert path.read_bytes().startswith(b'"ResponseId","Q1",')  # Qualtrics quotes every field
    return pd.DataFrame(rows.iloc[3:].to_numpy(), columns=texts)


def read_sav(path: Path) -> pd.DataFrame:
    """An SPSS file by its variable labels, coded answers turned into their value labels."""
    import pyreadstat

    frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    coded = set(meta.variable_value_labels)
    assert "V1" not in coded and "V2" in coded  # V1 age: a number; V2 gender: labelled codes
    assert frame["V2"].isin(["Woman", "Man", "Non-binary", "Prefer not to say"]).any()
    text = frame.astype(object).map(
        lambda v: "" if pd.isna(v) else f"{v:g}" if isinstance(v, float) else str(v)
    )
    text.columns = [meta.column_names_to_labels[name] for name in frame.columns]
    return text


def read_plain(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


LAYOUT_OF = {"undergraduates": read_qualtrics, "staff": read_sav, "postgraduates": read_plain}


def test_exports_are_in_three_platforms_layouts_with_what_the_first_study_lacks():
    frames = {
        survey.name: pd.concat(
            [
                LAYOUT_OF[survey.name](path)
                for path in sorted(p for p in survey.iterdir() if p.is_file())
            ]
        )
        for survey in sorted(RAW.iterdir())
    }
    assert sorted(frames) == ["postgraduates", "staff", "undergraduates"]
    assert {p.suffix for p in (RAW / "staff").iterdir()} == {".sav"}
    assert {p.suffix for p in (RAW / "undergraduates").iterdir()} == {".csv"}
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


@pytest.mark.slow
def test_manuscript_tables_show_the_published_numbers(example_run):
    """results/tables.docx and .xlsx of the example: every n, % and p they show is the CSVs'."""
    from support.manuscript_check import check_run

    checked = check_run(example_run, example_run / CONFIG)
    for counts in checked.values():
        assert counts["tables"] >= 4 + 6  # its 4 descriptive tables and 6 comparisons
        assert counts["n"] > 0 and counts["percent"] > 0 and counts["p"] > 0
