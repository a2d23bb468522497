"""The report describes the study it ran on: its front page and captions come from config and
the codebook, so a report of another survey carries none of the first study's words.

Every template under workflow/report/ is rendered here as Snakemake renders it (Jinja2 with
trim_blocks and lstrip_blocks, then docutils to HTML), with the params each rule passes, for
the shipped study and for the second worked example; the slow end-to-end report of the example
is in tests/workflow/test_example_online_learning.py.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import REPO
from docutils.core import publish_parts
from jinja2 import Environment
from likertflow.captions import WORDS, caption_words
from likertflow.codebook import questionnaire_codebook
from likertflow.reporting import DOCUTILS_SETTINGS, rst_text
from likertflow.schemas import validate

REPORT = REPO / "workflow" / "report"
SHIPPED = REPO / "config" / "config.yaml"
EXAMPLE = REPO / "config" / "examples" / "online_learning" / "config.yaml"
# Words of the first study (radiology image sharing, BMJ Open 2020) that no other report may use.
FIRST_STUDY_WORDS = [
    "radiolog",
    "patient",
    "clinician",
    "clinical",
    "expert",
    "BMJ",
    "Cox",
    "282",
    "121",
    "synthetic reconstruction",
    "the paper",
    "appendix",
    "image",
    "Unsure",
    "I do not want to reveal my age",
    "five-point",
]


def load(config_path: Path) -> tuple[dict, dict]:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    validate(config, REPO / "workflow" / "schemas" / "config.schema.yaml", str(config_path))
    codebook = yaml.safe_load((REPO / config["codebook"]).read_text(encoding="utf-8"))
    return config, codebook


def questionnaires_of(config: dict) -> dict:
    """The parsed codebook a config names, as the workflow's start-up parses it."""
    from likertflow.codebook import load_questionnaires

    return load_questionnaires(REPO / config["codebook"])


def poles_of(config: dict, spec: dict) -> dict:
    """A Likert figure's poles param, as common.smk's get_figure_poles gives it."""
    questionnaire = questionnaires_of(config)[spec["survey"]]
    ends = questionnaire.statements(spec["statement_set"])[0].answers.ends
    return {"low": ends.low, "high": ends.high}


def render(template: str, config: dict, **job) -> str:
    """One template as Snakemake's report renders it, as HTML text: with the config as the
    workflow's start-up leaves it, the registries' words in (common.smk)."""
    snakemake = SimpleNamespace(
        config={**config, WORDS: caption_words(config, questionnaires_of(config))},
        params=SimpleNamespace(**job.get("params", {})),
        wildcards=SimpleNamespace(**job.get("wildcards", {})),
    )
    environment = Environment(trim_blocks=True, lstrip_blocks=True)
    environment.filters["rst"] = rst_text  # as likertflow.reporting gives Snakemake's reporter
    text = environment.from_string((REPORT / template).read_text(encoding="utf-8"))
    rst = text.render(snakemake=snakemake, categories={}, files=[])
    html = publish_parts(
        rst, writer="html", settings_overrides={**DOCUTILS_SETTINGS, "report_level": 2}
    )
    assert "system-message" not in html["html_body"], f"{template}: invalid reStructuredText"
    return html["html_body"]


def rendered_report(config_path: Path) -> dict[str, str]:
    """Every caption, once per job that uses it, and the front page, by a readable key."""
    return rendered_report_from(load(config_path)[0])


def rendered_report_from(config: dict) -> dict[str, str]:
    codebook = yaml.safe_load((REPO / config["codebook"]).read_text(encoding="utf-8"))
    surveys = sorted(codebook["questionnaires"])
    exclusions = config["exclusions"]
    pages = {"workflow.rst": render("workflow.rst", config)}
    codebooks = {"codebooks": {s: questionnaire_codebook(codebook, s) for s in surveys}}
    for name in ["agreement_summary", "figure5"]:
        pages[name] = render(f"{name}.rst", config, params=codebooks)
    for name in [
        "comparison_groups",
        "comparisons",
        "manuscript_tables",
        "posthoc",
        "participant_flow_figure",
        "reliability_warnings",
        "theme_correlations",
        "theme_item_rest",
        "theme_reliability",
    ]:
        pages[name] = render(f"{name}.rst", config)
    pages["participant_flow"] = render(
        "participant_flow.rst", config, params={"surveys": surveys, "exclusions": exclusions}
    )
    pages["ledger_summary"] = render("ledger_summary.rst", config)
    # One job makes every table: each caption picks its own by the file's report label, given as
    # its wildcards (likertflow.reporting, issue 22).
    books = {s: questionnaire_codebook(codebook, s) for s in surveys}
    for table in config["tables"]:
        pages[f"table/{table}"] = render(
            "table.rst",
            config,
            wildcards={"table": table},
            params={"codebooks": books, "tables": config["tables"], "exclusions": exclusions},
        )
    # one job draws every Likert figure: its params hold each figure's, by name
    figures = config["likert_figures"]
    surveys = sorted({spec["survey"] for spec in figures.values()})
    for figure in figures:
        pages[f"likert_figure/{figure}"] = render(
            "likert_figure.rst",
            config,
            wildcards={"figure": figure},
            params={
                "codebooks": {s: questionnaire_codebook(codebook, s) for s in surveys},
                "figures": figures,
                "poles": {name: poles_of(config, spec) for name, spec in figures.items()},
            },
        )
    return pages


def likert_caption(template: str, config: dict, codebook: dict, figure: str) -> str:
    """A weighted Likert figure's caption, with the params its rule passes (plot_weighted_likert
    draws one figure a job)."""
    spec = config["likert_figures"][figure]
    return render(
        template,
        config,
        wildcards={"figure": figure},
        params={
            "codebook": questionnaire_codebook(codebook, spec["survey"]),
            "figure": spec,
            "poles": poles_of(config, spec),
        },
    )


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def test_example_report_has_none_of_the_first_studys_words():
    pages = rendered_report(EXAMPLE)
    found = {
        (name, word)
        for name, html in pages.items()
        for word in FIRST_STUDY_WORDS
        if word.lower() in plain(html).lower()
    }
    assert not found, f"the example's report uses the first study's words: {sorted(found)}"


def test_example_front_page_describes_the_example():
    text = plain(rendered_report(EXAMPLE)["workflow.rst"])
    assert "Learning online" in text
    assert "The data are synthetic." in text
    assert "Disclosure rule none: no disclosure control, every count published exactly." in text


def test_shipped_front_page_says_what_it_said():
    text = plain(rendered_report(SHIPPED)["workflow.rst"])
    for sentence in [
        "Benefits and risks of sharing diagnostic radiological images with patients: a "
        "reproducible analysis",
        "BMJ Open 2020;10:e033835. doi:10.1136/bmjopen-2019-033835.",
        "The paper analysed 282 patients and 121 clinical experts, after 73 and 10 responses "
        "were excluded for item non-response.",
        "The shipped data are a synthetic reconstruction calibrated to the published tables; "
        "the real data are available from the study's authors on request.",
        "Disclosure rule none: no disclosure control, every count published exactly.",
    ]:
        assert sentence in text


@pytest.mark.parametrize(
    ("disclosure", "expected"),
    [
        ({"rule": "nhs"}, "NHS England's rule"),
        ({"rule": "threshold", "min_count": 10}, "counts below 10 suppressed"),
    ],
)
def test_front_page_names_the_disclosure_rule(disclosure, expected):
    config, _ = load(EXAMPLE)
    text = plain(render("workflow.rst", {**config, "disclosure": disclosure}))
    assert f"Disclosure rule {disclosure['rule']}: {expected}" in text
    assert "no disclosure control" not in text and "shown as *" in text


def test_captions_follow_the_scale():
    shipped = rendered_report(SHIPPED)
    example = rendered_report(EXAMPLE)
    # A 5-point agreement scale has a neutral point; the 5-point frequency scale's middle,
    # "Sometimes", is neutral too; 7 points: the middle of seven.
    assert "neutral category (Neither agree nor disagree)" in plain(
        shipped["likert_figure/figure1_patient_benefits"]
    )
    habits = plain(example["likert_figure/figure3_undergraduate_habits"])
    assert "5-point scale, Never to Always" in habits and "(Sometimes)" in habits
    # The columns in the scale's words: the frequency scale's poles, the shipped "disagree".
    assert "% never or rarely column" in habits and "% often or always column" in habits
    assert "% disagree column" in plain(shipped["likert_figure/figure1_patient_benefits"])
    benefits = plain(example["likert_figure/figure1_undergraduate_benefits"])
    assert "7-point scale" in benefits and "Somewhat agree, Agree, Strongly agree" in benefits
    # Off-scale answers and excluded labels named from the codebook and config, per table.
    assert '"Unsure"' in plain(shipped["table/table2_patient_experience"])
    assert '"Under 18"' in plain(shipped["table/table1_patient_age"])
    assert '"Prefer not to say"' in plain(example["table/table1_undergraduates"])


def test_a_scale_without_neutral_point_is_not_split(tmp_path):
    config, codebook = load(EXAMPLE)
    six = {
        "ordinal": True,
        "options": [{"label": f"Level {i}", "code": i} for i in range(1, 7)],
    }
    codebook = {**codebook, "answer_sets": {**codebook["answer_sets"], "agreement7": six}}
    html = render(
        "likert_figure.rst",
        config,
        wildcards={"figure": "f"},
        params={  # plot_likert's: every figure's, by name
            "codebooks": {"staff": questionnaire_codebook(codebook, "staff")},
            "figures": {"f": {"survey": "staff", "statement_set": "benefits", "title": "T"}},
            "poles": {"f": {"low": "level 1 to level 3", "high": "level 4 to level 6"}},
        },
    )
    text = plain(html)
    assert "no neutral point" in text and "neutral category" not in text
    assert "% level 1 to level 3 column sums the lower half" in text
    assert "neutral in light grey" not in text


def test_reverse_keyed_statements_are_explained_where_the_set_has_them():
    example = rendered_report(EXAMPLE)
    assert "marked (R) are reverse-keyed" in plain(
        example["likert_figure/figure1_undergraduate_benefits"]
    )
    assert "(R)" not in plain(example["likert_figure/figure3_undergraduate_habits"])


@pytest.mark.parametrize("config_path", [SHIPPED, EXAMPLE])
@pytest.mark.parametrize(
    "disclosure", [None, {"rule": "nhs"}, {"rule": "threshold", "min_count": 5}]
)
def test_front_page_keeps_its_sections(config_path, disclosure):
    config, _ = load(config_path)
    if disclosure:
        config = {**config, "disclosure": disclosure}
    headings = re.findall(r"<h1>(.*?)</h1>", render("workflow.rst", config))
    assert headings == ["The study", "The data", "What the workflow does"]


def test_agreement_captions_name_the_agreeing_answers_of_each_set():
    example = rendered_report(EXAMPLE)
    for name in ["agreement_summary", "figure5"]:
        text = plain(example[name])
        assert "What online learning offers: Somewhat agree, Agree, Strongly agree" in text
        assert "How students take part online: Often, Always (5-point scale)" in text
    shipped = plain(rendered_report(SHIPPED)["agreement_summary"])
    assert "Potential benefits: Agree, Strongly agree (5-point scale)" in shipped


def test_captions_take_study_notes_by_the_names_the_schema_lists():
    config, _ = load(EXAMPLE)
    schema = yaml.safe_load(
        (REPO / "workflow" / "schemas" / "config.schema.yaml").read_text(encoding="utf-8")
    )
    names = schema["properties"]["study"]["properties"]["notes"]["propertyNames"]["enum"]
    for path in REPORT.glob("*.rst"):
        uses = re.findall(r"study\.notes\.get\(\"(\w+)\"", path.read_text(encoding="utf-8"))
        assert uses in ([], [path.stem]), f"{path.name} shows another caption's note: {uses}"
        assert not uses or path.stem in names, f"{path.stem} is not a notes name in the schema"
        if path.stem in names:
            assert uses, f"{path.name} does not show its study note"
    notes = {name: f"Note for {name}." for name in names}
    config = {**config, "study": {**config["study"], "notes": notes}}
    for key, html in rendered_report_from(config).items():
        name = key.split("/")[0]
        if name in names:
            assert f"Note for {name}." in plain(html), key


def test_a_misspelt_note_is_refused():
    config = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    config["study"]["notes"] = {"likert_figures": "typo"}
    with pytest.raises(Exception, match="likert_figures"):
        validate(config, REPO / "workflow" / "schemas" / "config.schema.yaml", "config")


@pytest.mark.parametrize("disclosure", [{"rule": "none"}, {"rule": "nhs"}])
def test_front_page_and_output_check_say_whether_results_are_disclosure_controlled(disclosure):
    config, _ = load(SHIPPED)
    config = {**config, "disclosure": disclosure}
    front = plain(render("workflow.rst", config))
    check = plain(render("output_check.rst", config))
    controlled = disclosure["rule"] != "none"
    assert ("These results are not disclosure-controlled" in front) != controlled
    assert ("recovered no hidden count" in front) == controlled
    assert "Output check" in check
    strong = "<strong>not disclosure-controlled</strong>"
    assert (strong in render("output_check.rst", config)) != controlled


WEIGHTED_EXAMPLES = [REPO / "config" / "examples" / name / "config.yaml"
                     for name in ("national_weighted", "ess9_gb")]  # fmt: skip


def weighted_captions(config: dict, codebook: dict) -> dict[str, str]:
    """The weighted Likert figures' captions of a run, as the rule plot_weighted_likert passes
    its params (the entries whose questionnaire declares a design), from the codebook as its
    schema fills it (the workflow's start-up)."""
    from likertflow.figure_kinds import weighted_likert_figures
    from support import filled

    codebook = filled.codebook(codebook)
    return {
        figure: likert_caption("weighted_likert_figure.rst", config, codebook, figure)
        for figure in weighted_likert_figures(config, questionnaires_of(config))
    }


@pytest.mark.parametrize("config_path", WEIGHTED_EXAMPLES)
def test_a_weighted_figures_caption_names_the_design_the_method_and_the_unweighted_n(config_path):
    config, codebook = load(config_path)
    [(figure, html)] = weighted_captions(config, codebook).items()
    text = plain(html)
    spec = config["likert_figures"][figure]
    design = codebook["questionnaires"][spec["survey"]]["design"]
    assert f"({figure}_weighted)" in text
    declared = f"Design: as the codebook declares it: weight {design['weight']}, strata " \
               f"{design['strata']}, clusters (primary sampling units) {design['clusters']}"
    assert declared in text
    assert "n: unweighted." in text and "the sample behind its weighted percentages" in text
    assert "each segment is its answer's weighted_percent in results/tables/" in text
    analysis = config["analysis"]
    assert f"95% intervals ({analysis['proportion_interval']}, as svyciprop)" in text
    assert f"design effects ({analysis['design_effect']})" in text
    assert "Disclosure" not in text  # rule none
    assert "Note for the weighted figure." in plain(
        weighted_captions({**config, "study": {**config["study"], "notes": {
            "weighted_likert_figure": "Note for the weighted figure."}}}, codebook)[figure]
    )  # fmt: skip
    untitled = {name: {k: v for k, v in spec.items() if k != "title"}
                for name, spec in config["likert_figures"].items()}  # fmt: skip
    html = weighted_captions({**config, "likert_figures": untitled}, codebook)[figure]
    label = codebook["questionnaires"][spec["survey"]]["label"]
    assert plain(html).startswith(f" {label}: ")  # the figure's own title without one
    nhs = weighted_captions({**config, "disclosure": {"rule": "nhs"}}, codebook)[figure]
    assert "Disclosure: the bars, percentages and n are drawn from the published weighted" in \
        plain(nhs)  # fmt: skip


def test_a_weighted_figures_caption_escapes_hostile_design_columns_and_labels():
    from support.hostile import IMG, RST_RAW, SCRIPT

    config, codebook = load(WEIGHTED_EXAMPLES[0])
    adults = codebook["questionnaires"]["adults"]
    adults["label"] = f"Adults {SCRIPT}"
    adults["design"] = {**adults["design"], "weight": f"W {IMG}", "clusters": RST_RAW}
    figure, spec = next(iter(config["likert_figures"].items()))
    config["likert_figures"][figure] = {**spec, "title": f"T {SCRIPT}"}
    html = weighted_captions(config, codebook)[figure]
    assert "<script" not in html and "<img" not in html and "raw" in plain(html)
    assert "weight W <img src=x" in plain(html)  # shown as written, as text
