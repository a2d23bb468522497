"""Hostile text everywhere a study's text comes from: nothing live in what is shared.

Scripts, an ``<img onerror>``, raw HTML, a ``</script>`` break-out, ``javascript:`` links and
reStructuredText directives, and cells that begin spreadsheet formulas, are planted in the
codebook's labels (answers, statement sets, statements and their stems, themes, questionnaires),
its question texts (the exports' column headers), the config's study texts, table and figure
titles and exclusion descriptions, the exports' response ids, answers, free-text columns and
column headers. The whole workflow runs on them and builds its report, which headless Chromium
opens, showing every result's caption and parameters in turn: no planted script runs, no link
but the report's own is a ``javascript:`` one, no element has an event attribute. No
shareable file (likertflow.outputs), no CSV the report embeds, and neither the ledger nor the
audit of dropped columns has a cell a spreadsheet would run as a formula. Study text outside
the safe subset of reStructuredText stops the report, naming its config key, and leaves the
report that was there.
"""

from __future__ import annotations

import html
import html.parser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import copy_workflow, run_snakemake
from likertflow.outputs import shareable_files
from support import exportkit
from support.hostile import (
    BREAKOUT,
    FORMULAS,
    IMG,
    JS_LINK,
    MARKER,
    MATH,
    RAW_HTML,
    RST_LINK,
    RST_RAW,
    RUN,
    SCRIPT,
    embedded_csvs,
    live_formulas,
)

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium")
REPORT = "results/report.html"
SNAKEMAKE_LINK = re.compile(
    r"javascript:(?:app\.showCategory|app\.showResultInfo|show_panel)\('[^'\"\\<>]*'\)"
)
AGREEMENT = [
    f"Strongly disagree {SCRIPT}",
    f"{FORMULAS[0]} Disagree",
    f"Neither {IMG} nor {RAW_HTML}",
    f"{BREAKOUT} Agree",
    f"Strongly agree {JS_LINK}",
]


def hostile_codebook(codebook: dict) -> dict:
    book = codebook
    for option, label in zip(book["answer_sets"]["agreement"]["options"], AGREEMENT, strict=True):
        option["label"] = label
    roles = [f"{FORMULAS[2]} Clinical", RST_LINK, f"{FORMULAS[3]} {MATH}"]
    options = book["answer_sets"]["professional_role"]["options"]
    for option, label in zip(options, roles, strict=True):
        option["label"] = label
    book["answer_sets"]["age_band"]["options"][-1]["label"] = f"{FORMULAS[1]} {RST_RAW}"
    book["statement_sets"]["benefits"]["label"] = f"Benefits {SCRIPT}"
    book["statement_sets"]["risks"]["label"] = f"{RST_RAW}Risks {JS_LINK}"
    book["statement_stems"]["benefits"] = f"Showing {IMG} images"
    book["statements"][0]["wording"] = f"{MATH} {BREAKOUT}"
    book["statements"][1]["wording"] = f"{FORMULAS[4]} recall {RST_LINK}"
    for theme in book["themes"].values():
        theme["label"] = f"{theme['label']} {IMG}"
    book["questionnaires"]["patients"]["label"] = f"Patients {SCRIPT}"
    book["questionnaires"]["experts"]["label"] = f"{BREAKOUT}Experts"
    for question in book["questionnaires"]["experts"]["questions"]:
        if isinstance(question, dict) and question["id"] == "role":
            question["text"] = f"{FORMULAS[0]} role {RAW_HTML}"
    for question in book["questionnaires"]["patients"]["questions"]:
        if isinstance(question, dict) and question["id"] == "age":
            question["text"] = f"Age {IMG} {FORMULAS[5]}"
    return book


def hostile_config(config: dict) -> dict:
    study = config["study"]
    study["title"] = f"Title {SCRIPT} {FORMULAS[0]}"
    # As text the study's reStructuredText may hold any markup; a javascript: link it may not
    # (test_study_text_outside_the_safe_subset_stops_the_report).
    study["description"] = f"A study of {SCRIPT} and {IMG}; {FORMULAS[1]}."
    study["citation"] = f"Cox et al. {BREAKOUT}"
    study["data_note"] = f"{IMG} {MATH} <b onmouseover=\"{RUN}\">bold</b>"
    study["notes"] = {"table": SCRIPT, "likert_figure": BREAKOUT, "comparisons": IMG}
    for table in config["tables"].values():
        table["title"] = f"{SCRIPT} {table['title']}"
    for figure in config["likert_figures"].values():
        figure["title"] = f"{FORMULAS[0]} {IMG}"
    for rule in config["exclusions"]:
        rule["description"] = f"{RST_LINK} {JS_LINK} {RST_RAW}"
    return config


def hostile_export(q, n: int, seed: int) -> pd.DataFrame:
    export = exportkit.export_frame(q, exportkit.random_answers(q, n, seed=seed))
    ids = export["Response ID"].tolist()
    ids[:3] = [FORMULAS[0], SCRIPT, FORMULAS[2]]
    export["Response ID"] = ids
    export["Any other comments?"] = [FORMULAS[i % len(FORMULAS)] + IMG for i in range(n)]
    export[f"{IMG}{FORMULAS[1]}"] = SCRIPT
    return export


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> Path:
    workdir = copy_workflow(tmp_path_factory.mktemp("hostile"), with_data=False)
    codebook_path = workdir / "config" / "codebook.yaml"
    config_path = workdir / "config" / "config.yaml"
    codebook = hostile_codebook(yaml.safe_load(codebook_path.read_text(encoding="utf-8")))
    codebook_path.write_text(yaml.safe_dump(codebook, allow_unicode=True), encoding="utf-8")
    config = hostile_config(yaml.safe_load(config_path.read_text(encoding="utf-8")))
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for survey, n, seed in (("patients", 90, 3), ("experts", 60, 4)):
        q = exportkit.questionnaire(survey, codebook_path)
        export = hostile_export(q, n, seed)
        raw = workdir / "resources" / "raw" / survey
        exportkit.write_export(raw / "week1.csv", export)
        repeat = export.iloc[[5]].copy()  # one response again, its id padded and disguised
        repeat["Response ID"] = f"\u200b {repeat['Response ID'].iloc[0]} "
        exportkit.write_export(raw / "week2.csv", repeat)
    run_snakemake(workdir)
    run_snakemake(workdir, "--report", REPORT)
    return workdir


def embedded(report: str, name: str) -> dict | list:
    match = re.search(
        rf"<script id=\"[^\"]*\">\s*var {name} = (.*?);\s*</script>", report, flags=re.DOTALL
    )
    assert match, f"no {name} in the report"
    return json.loads(match.group(1))


class Elements(html.parser.HTMLParser):
    """Every element's tag and attributes of a page."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(markup: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(markup)
    return parser.elements


def test_the_planted_text_reached_every_output(hostile_run):
    """The test means something: the hostile labels are in the tables (neutralised) and the
    captions (escaped), and the padded id was one respondent."""
    tables = hostile_run / "results" / "tables"

    def cells(name: str) -> list[str]:
        table = pd.read_csv(tables / name, dtype=str, keep_default_na=False)
        return table.to_numpy().ravel().tolist()

    assert f"'{FORMULAS[0]} Disagree" in cells("table6_patient_good_idea.csv")
    assert f"'{FORMULAS[2]} Clinical" in cells("table3_expert_role.csv")
    ledger = pd.read_csv(hostile_run / "results/audit/patients.ledger.csv", dtype=str)
    assert "'" + FORMULAS[0] in ledger["response_id"].tolist()
    assert (ledger["reason"] == "duplicate_response").sum() >= 1  # the padded id's repeat
    report = (hostile_run / REPORT).read_text(encoding="utf-8")
    captions = " ".join(entry["caption"] for entry in embedded(report, "results").values())
    assert html.escape(f"Strongly disagree {SCRIPT}", quote=False) in captions
    assert "&lt;/script&gt;&lt;script&gt;" in captions


def test_the_report_embeds_no_live_markup(hostile_run):
    """In the report's own HTML: its data stay inside their scripts (as many ``</script>`` as
    Snakemake's template writes), and every caption and the front page hold no element, event
    attribute or link that the planted text brought."""
    report = (hostile_run / REPORT).read_text(encoding="utf-8")
    from snakemake.report.html_reporter import template

    page = (Path(template.__file__).parent / "index.html.jinja2").read_text(encoding="utf-8")
    assert report.lower().count("</script") == page.lower().count("</script")
    pieces = [embedded(report, "workflow_desc")]
    pieces += [entry["caption"] for entry in embedded(report, "results").values()]
    for piece in pieces:
        for tag, attributes in elements(piece):
            assert tag not in ("script", "img", "iframe", "object", "embed", "b"), tag
            assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
            href = attributes.get("href") or ""
            assert not href.lower().startswith("javascript:") or SNAKEMAKE_LINK.fullmatch(href)


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); CI installs it",
)
def test_nothing_planted_runs_in_a_browser(hostile_run, tmp_path):
    """Headless Chromium opens the report, then every result's view in turn (caption, job
    parameters, file), then the rule graph: no planted script adds its element, and the page
    drawn has no event attribute and no ``javascript:`` link but the report's own."""
    report = hostile_run / REPORT
    paths = list(embedded(report.read_text(encoding="utf-8"), "results"))
    assert len(paths) > 15
    steps = [f"function () {{ app.showResultInfo({json.dumps(path)}); }}" for path in paths]
    steps.append("function () { app.showResultInfo(" + json.dumps(paths[0]) + "); }")
    opener = (
        "<script>window.addEventListener('load', function () { var steps = ["
        + ", ".join(steps)
        + "]; steps.forEach(function (step, i) { setTimeout(step, 300 * (i + 1)); }); });"
        "</script>"
    )
    head, body_end, tail = report.read_text(encoding="utf-8").rpartition("</body>")
    page = tmp_path / "report.html"
    page.write_text(head + opener + body_end + tail, encoding="utf-8")
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars",
        f"--virtual-time-budget={300 * (len(steps) + 10)}", "--window-size=1400,2000",
        "--dump-dom", page.as_uri(),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "5. Figures" in dom, "the report's menu was not drawn"
    assert f"<{MARKER}" not in dom, "a planted script ran"
    shown = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    assert "Strongly disagree <script>" in shown or "Benefits <script>" in shown
    for tag, attributes in elements(re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)):
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        href = attributes.get("href") or ""
        assert not href.lower().startswith("javascript:") or SNAKEMAKE_LINK.fullmatch(href), href


def test_no_shareable_file_holds_a_live_formula(hostile_run):
    files = [hostile_run / path for path in shareable_files(hostile_run)]
    csvs = [path for path in files if path.suffix == ".csv"]
    assert len(csvs) > 15
    for path in csvs:
        assert live_formulas(path.read_bytes()) == [], path
    report = (hostile_run / REPORT).read_bytes()
    inside = embedded_csvs(report)
    assert len(inside) == len(csvs)
    for data in inside:
        assert live_formulas(data) == []
    audit = list((hostile_run / "results" / "audit").rglob("*.csv"))
    assert any("dropped_columns" in path.name for path in audit)
    for path in audit:  # not shareable, but opened in spreadsheets by the analyst
        assert live_formulas(path.read_bytes()) == [], path


@pytest.mark.parametrize(
    ("key", "text", "found"),
    [
        ("description", f"See {RST_LINK}.", "javascript: address"),
        ("description", f"Bare {JS_LINK} link.", "javascript: address"),
        ("citation", RST_RAW, "raw"),
        ("data_note", ".. include:: /etc/passwd", "include"),
        ("data_note", ".. image:: https://example.org/tracker.png", "image"),
        ("description", "`data <data:text/html;base64,PHNjcmlwdD4=>`_", "data: address"),
        ("notes", ".. |x| replace:: y\n\n|x|", "substitution"),
    ],
)
def test_study_text_outside_the_safe_subset_stops_the_report(hostile_run, key, text, found):
    """The config's study text may hold reStructuredText, but no raw HTML, directive or link
    other than to http, https or mailto: the report is refused, naming the key, and the report
    already there is left as it was (nothing half-written beside it)."""
    config_path = hostile_run / "config" / "config.yaml"
    original = config_path.read_text(encoding="utf-8")
    before = (hostile_run / REPORT).read_bytes()
    config = yaml.safe_load(original)
    if key == "notes":
        config["study"]["notes"]["table"] = text
    else:
        config["study"][key] = text
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    try:
        result = run_snakemake(hostile_run, "--report", REPORT, check=False)
    finally:
        config_path.write_text(original, encoding="utf-8")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    where = "study.notes.table" if key == "notes" else f"study.{key}"
    assert f"config {where}:" in output and found in output, output[-3000:]
    assert (hostile_run / REPORT).read_bytes() == before
    assert sorted(p.name for p in (hostile_run / "results").iterdir() if p.name.startswith("."))\
        == []  # fmt: skip
