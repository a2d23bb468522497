"""The report's protections (likertflow.reporting), one at a time: text made literal for
reStructuredText, the study's reStructuredText held to a safe subset, the HTML of captions
checked, JSON made safe inside <script>. tests/workflow/test_hostile_text.py runs them
together on a real report in Chromium."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import REPO
from docutils.core import publish_parts
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.reporting import (
    DOCUTILS_SETTINGS,
    UnsafeReportText,
    check_html,
    check_study_text,
    link_scheme,
    rst_text,
    script_safe,
    unsafe_rst,
)
from support.hostile import BREAKOUT, IMG, JS_LINK, MATH, RST_LINK, RST_RAW, SCRIPT

HOSTILE = [SCRIPT, IMG, BREAKOUT, JS_LINK, RST_LINK, RST_RAW, MATH, "*bold* `x`_ |s| [1]_ ::"]


def rendered(rst: str) -> str:
    return publish_parts(
        rst, writer="html", settings_overrides={**DOCUTILS_SETTINGS, "report_level": 1}
    )["body"]


def visible(markup: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("context", ["{}", "- {}: *{}*", "**{}** (x)", "*{}*, *{}*"])
def test_escaped_text_is_shown_as_written_and_nothing_else(text, context):
    """In each place a caption puts a label (a paragraph, a list item, emphasis, strong),
    escaped text renders as the text itself: no link, no element, no system message."""
    markup = rendered(context.format(rst_text(text), rst_text(text)))
    assert "<a " not in markup and "system-message" not in markup
    assert "<script" not in markup and "<img" not in markup
    assert " ".join(text.split()) in visible(markup)


MARKUP = list("ab \n\t*`_|[]<>:.-=#\\'\"!()$&@+/{}~^")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(MARKUP), max_size=12))
def test_any_text_is_literal_once_escaped(text):
    markup = rendered(f"- x: *{rst_text(text)}*" if text.strip() else "- x")
    assert "<a " not in markup and "system-message" not in markup
    if text.strip():
        assert " ".join(text.split()) in visible(markup)


def test_a_title_is_underlined_to_its_escaped_length():
    title = rst_text(f"Title {SCRIPT} {MATH}")
    markup = publish_parts(f"{title}\n{'=' * len(title)}\n\nbody", writer="html")
    assert " ".join(f"Title {SCRIPT} {MATH}".split()) == visible(markup["title"])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"See {RST_LINK}.", "javascript: address"),
        (f"Bare {JS_LINK}", "javascript: address"),
        ("`x <JaVa\tScRiPt:alert(1)>`_", "javascript: address"),
        ("`x <data:text/html;base64,PHNjcmlwdD4=>`_", "data: address"),
        ("`x <vbscript:msgbox(1)>`_", "vbscript: address"),
        ("`relative <other.html>`_", "relative address"),
        (RST_RAW, "raw"),
        (".. include:: /etc/passwd", "include"),
        (".. image:: https://example.org/tracker.png", "image"),
        (".. |x| replace:: y\n\n|x|", "substitution"),
        (".. _target: javascript:alert(1)\n\n`target`_", "javascript: address"),
        (":raw-html:`<b>`", "not reStructuredText"),
        ("Title\n=====\n\ntext", "title"),
        ("text\n\nTitle\n=====\n\ntext", "section"),
        (".. _internal:\n\ntext", "target to a name"),
        (".. meta::\n   :refresh: 0; url=https://example.org", "meta"),
        (".. csv-table::\n   :url: https://example.org/a.csv", "csv"),
    ],
)
def test_study_text_outside_the_safe_subset_is_refused(text, found):
    problem = unsafe_rst(text)
    assert problem is not None and found in problem, problem
    with pytest.raises(UnsafeReportText, match=r"config study\.description: "):
        check_study_text({"study": {"description": text}})


@pytest.mark.parametrize(
    "text",
    [
        "Plain, *emphasis*, **strong**, ``literal`` and `title`.",
        "- a list\n- of items\n\n1. numbered",
        "Links: https://example.org/a?b=c, `the paper <https://doi.org/10.1136/x>`_, a@b.org.",
        f"Markup as text: {SCRIPT} {IMG} {MATH}",
    ],
)
def test_study_text_in_the_safe_subset_is_accepted(text):
    assert unsafe_rst(text) is None


@pytest.mark.parametrize(
    "config", ["config/config.yaml", "config/examples/online_learning/config.yaml"]
)
def test_the_shipped_studies_texts_are_in_the_safe_subset(config):
    check_study_text(yaml.safe_load((REPO / config).read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("uri", "scheme"),
    [("javascript:x", "javascript"), (" Java\nScript:x", "javascript"), ("HTTPS://a", "https"),
     ("page.html", ""), ("#x", ""), ("java\x7fscript:x", "javascript"),
     ("\x00java\tscript:x", "javascript")],
)  # fmt: skip
def test_a_links_scheme_is_read_as_a_browser_reads_it(uri, scheme):
    assert link_scheme(uri) == scheme


@pytest.mark.parametrize(
    "markup",
    [
        "<p>x<script>y()</script></p>",
        '<p><img src="x" onerror="y()"></p>',
        '<p onclick="y()">x</p>',
        '<a href="javascript:y()">x</a>',
        '<a href=" JaVaScRiPt:y()">x</a>',
        "<a href=\"javascript:app.showCategory('x');y()\">x</a>",
        "<p><!-- x --></p>",
        '<iframe src="https://example.org"></iframe>',
    ],
)
def test_caption_html_with_live_markup_is_refused(markup):
    with pytest.raises(UnsafeReportText, match="nothing was written"):
        check_html(markup, "a caption")


def test_caption_html_as_docutils_writes_it_passes():
    check_html(rendered(f"**n**: *{rst_text(SCRIPT)}* ``x`` https://example.org"), "a caption")
    check_html('<a class="reference external" href="javascript:app.showCategory(\'1.%20Cohort\')">'
               "1. Cohort</a>", "the front page")  # fmt: skip


@pytest.mark.parametrize(
    "value", [{"params": f"codebook={{'label': '{BREAKOUT}'}}"}, [SCRIPT, IMG]]
)
def test_embedded_json_cannot_end_its_script_and_reads_back_the_same(value):
    text = script_safe(json.dumps(value))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_escaped_text_drops_controls_surrogates_and_bidi_and_keeps_the_rest():
    from likertflow.reporting import rst_text

    assert rst_text(None) == ""
    assert rst_text("a\x00b\x1bc\ud800d\u202ee\u2067f g") == "abcdef g"
    assert rst_text("\x07é-ü") == "é\\-ü"


def test_study_texts_by_config_key():
    from likertflow.reporting import study_texts

    config = {"study": {"description": "D", "citation": None,
                        "notes": {"table1": "N", "figure2": None}}}  # fmt: skip
    assert study_texts(config) == {
        "study.description": "D", "study.citation": "", "study.data_note": "",
        "study.notes.table1": "N", "study.notes.figure2": "",
    }  # fmt: skip
    assert study_texts({}) == {"study.description": "", "study.citation": "", "study.data_note": ""}


def test_unsafe_study_text_is_refused_word_for_word(capsys):
    from likertflow.reporting import UnsafeReportText, check_study_text, unsafe_rst

    with pytest.raises(UnsafeReportText) as refused:
        check_study_text({"study": {"notes": {"table1": "`a <ftp://x>`_"}}})
    assert str(refused.value) == (
        "config study.notes.table1: it links to a ftp: address, which the report does not allow. "
        "The study's "
        "texts are reStructuredText limited to paragraphs, *emphasis*, **strong**, ``literals``, "
        "lists and links to http, https or mailto addresses, so that nothing in them runs in the "
        "report (docs/codebook.md, the study text)"
    )
    assert unsafe_rst("a\n\n.. |x| replace:: y\n\n|x|") == (
        "it holds a substitution definition, which the report does not allow"
    )
    assert unsafe_rst("`a <page.html>`_") == (
        "it links to a relative address, which the report does not allow"
    )
    assert (
        unsafe_rst("`a <ftp://x>`_")
        == "it links to a ftp: address, which the report does not allow"
    )
    # an informational message (level 1) is a problem too, and nothing reaches the console
    problem = unsafe_rst("a\n\n.. _x:\n\n.. _x:\n\nb")
    assert problem is not None and problem.startswith("it is not reStructuredText of the subset")
    assert capsys.readouterr() == ("", "")


def test_caption_html_problems_are_named_word_for_word():
    from likertflow.reporting import UnsafeReportText, check_html

    markup = (
        '<p onclick="x"><!-- c --><?pi x><!x>'
        '<a href="data:text/html,' + "a" * 70 + '">l</a>'
        '<a href="page.html">r</a><a href="&#106;avascript:alert(1)">j</a></p>'
    )
    with pytest.raises(UnsafeReportText) as refused:
        check_html(markup, "the caption of x")
    assert str(refused.value) == (
        "the caption of x: the report would hold a 'onclick' attribute on <p>, a link to "
        + repr("data:text/html," + "a" * 45)
        + ", a link to 'javascript:alert(1)', a processing instruction, an HTML comment; "
        "nothing was written. Report this as a likertflow bug: some text reached the "
        "report without being escaped"
    )
    with pytest.raises(UnsafeReportText, match="an HTML comment"):
        check_html("<!-- c -->", "x")
    check_html('<p class="x">a</p><a href="page.html">r</a>', "x")


def test_script_safe_escapes_each_character_exactly():
    from likertflow.reporting import ScriptSafeJson, script_safe

    assert script_safe("&<>\u2028\u2029a") == "\\u0026\\u003c\\u003e\\u2028\\u2029a"
    safe = ScriptSafeJson(json)
    assert safe.dumps({"a": "</script>"}) == '{"a": "\\u003c/script\\u003e"}'
    assert safe.loads(safe.dumps(["<&>"])) == ["<&>"]


# -- protect_report on a stand-in of Snakemake's report modules ----------------------------------
# protect_report changes snakemake.report, its html_reporter and data modules in place. Here they
# are stand-ins (modules made in the test, put in sys.modules), so that each change can be seen
# on its own and no real Snakemake module is left changed.


class StandIn:
    """snakemake.report, html_reporter (Reporter, json, template) and html_reporter.data (two
    data modules with json; a module without json; a foreign module with json, not a data
    module), each attribute a recorder."""

    def __init__(self, monkeypatch, tmp_path, scripts=2, leave_out=()):
        import sys
        import types

        import snakemake

        def module(name):
            made = types.ModuleType(name)
            monkeypatch.setitem(sys.modules, name, made)
            return made

        self.calls = []
        calls = self.calls
        report = module("snakemake.report")
        monkeypatch.setattr(snakemake, "report", report, raising=False)
        html_reporter = module("snakemake.report.html_reporter")
        data = module("snakemake.report.html_reporter.data")
        report.html_reporter, html_reporter.data = html_reporter, data
        for name in ("results", "rules"):
            setattr(data, name, module(f"snakemake.report.html_reporter.data.{name}"))
            getattr(data, name).json = json
        data.plain = module("snakemake.report.html_reporter.data.plain")  # no json
        data.foreign = types.ModuleType("elsewhere")
        data.foreign.json = json
        data.settings = types.SimpleNamespace(json=json)  # no __name__: not a data module
        template = module("snakemake.report.html_reporter.template")
        template.__file__ = str(tmp_path / "template" / "__init__.py")
        (tmp_path / "template").mkdir()
        (tmp_path / "template" / "index.html.jinja2").write_text(
            "<SCRIPT>a</Script>" * scripts + "<p>{{ x }}</p>", encoding="utf-8"
        )
        html_reporter.template = template

        def publish_parts(*args, settings_overrides=None, **kwargs):
            calls.append(("publish_parts", args, settings_overrides, kwargs))
            return {"body": "parts"}

        async def auto_report(dag, *args, **kwargs):
            calls.append(("auto_report", dag, args, kwargs))
            return "built"

        class Reporter:
            def render(self):
                calls.append(("render", self.settings.path))
                self.settings.path.write_text(self.page, encoding="utf-8")
                if self.fail == "cleaned up":
                    self.settings.path.unlink()
                if self.fail:
                    raise KeyboardInterrupt

        class Wildcards(dict):
            def __init__(self, fromdict):
                super().__init__(fromdict)

        class FileRecord:
            raw_wildcards = property(lambda self: ("raw", self.job.wildcards))

        attributes = {
            (report, "auto_report"): auto_report,
            (report, "publish_parts"): publish_parts,
            (html_reporter, "Reporter"): Reporter,
            (html_reporter, "json"): json,
            (report, "FileRecord"): FileRecord,
            (report, "Wildcards"): Wildcards,
        }
        for (owner, name), value in attributes.items():
            if name not in leave_out:
                setattr(owner, name, value)
        self.report, self.html_reporter, self.data = report, html_reporter, data
        self.originals = {name: value for (_, name), value in attributes.items()}


def stand_in_reporter(stand_in, target, page, fail=False, description="", captions=()):
    import types

    reporter = stand_in.html_reporter.Reporter()
    reporter.settings = types.SimpleNamespace(path=target)
    reporter.page, reporter.fail, reporter.workflow_description = page, fail, description
    results = [types.SimpleNamespace(path=path, caption=caption) for path, caption in captions]
    reporter.results = {"Tables": {"Descriptive": results}}
    return reporter


@pytest.fixture
def protected(monkeypatch, tmp_path):
    import jinja2.defaults
    from likertflow.reporting import protect_report

    monkeypatch.setitem(jinja2.defaults.DEFAULT_FILTERS, "rst", None)
    stand_in = StandIn(monkeypatch, tmp_path)
    protect_report()
    assert jinja2.defaults.DEFAULT_FILTERS["rst"] is rst_text
    return stand_in


def test_captions_are_rendered_with_raw_html_and_file_insertion_off(protected):
    publish = protected.report.publish_parts
    assert publish is not protected.originals["publish_parts"]
    assert publish("text", writer="html") == {"body": "parts"}
    assert protected.calls[-1] == (
        "publish_parts",
        ("text",),
        DOCUTILS_SETTINGS,
        {"writer": "html"},
    )
    publish("t", settings_overrides={"raw_enabled": True, "report_level": 5})
    assert protected.calls[-1][2] == {
        "raw_enabled": False, "report_level": 5, "file_insertion_enabled": False
    }  # fmt: skip


def test_every_json_the_report_embeds_is_script_safe(protected):
    from likertflow.reporting import ScriptSafeJson

    page = {"label": "</script><script>alert(1)</script>&"}
    for module in (protected.html_reporter, protected.data.results, protected.data.rules):
        assert isinstance(module.json, ScriptSafeJson)
        assert "<" not in module.json.dumps(page) and "&" not in module.json.dumps(page)
        assert module.json.loads(module.json.dumps(page)) == page
    assert protected.data.foreign.json is json  # not one of the report's data modules
    assert protected.data.settings.json is json
    assert not hasattr(protected.data.plain, "json")


def test_a_report_of_unsafe_study_text_is_refused_before_it_is_built(protected):
    import asyncio
    import types

    from snakemake.exceptions import WorkflowError

    def dag(config):
        return types.SimpleNamespace(workflow=types.SimpleNamespace(config=config))

    unsafe = {"study": {"citation": "`a <ftp://x>`_"}}
    with pytest.raises(WorkflowError) as refused:
        asyncio.run(protected.report.auto_report(dag(unsafe), "plugin", settings=1))
    with pytest.raises(UnsafeReportText) as directly:
        check_study_text(unsafe)
    assert str(directly.value) in str(refused.value) and "config study.citation" in str(
        refused.value
    )
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
    assert protected.calls == []  # nothing built
    safe = dag({"study": {"citation": "*Survey*, 2026"}})
    assert asyncio.run(protected.report.auto_report(safe, "plugin", settings=1)) == "built"
    assert protected.calls == [("auto_report", safe, ("plugin",), {"settings": 1})]


def test_a_report_is_written_whole_beside_its_target_then_moved_into_place(protected, tmp_path):
    import os

    target = tmp_path / "report.html"
    page = "<SCRIPT>a</Script><script>b</script><p>report</p>"
    reporter = stand_in_reporter(protected, target, page)
    reporter.render()
    (_, written_to), = protected.calls  # fmt: skip
    assert written_to.parent == tmp_path and written_to != target
    assert written_to.name.startswith(".report.html.") and written_to.name.endswith(".partial")
    assert target.read_text(encoding="utf-8") == page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "template"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert reporter.settings.path == target


def test_a_report_that_fails_leaves_the_previous_one_and_no_partial_file(protected, tmp_path):
    from snakemake.exceptions import WorkflowError

    target = tmp_path / "report.html"
    target.write_text("previous", encoding="utf-8")
    failing = stand_in_reporter(protected, target, "<script></script>" * 2, fail=True)
    with pytest.raises(KeyboardInterrupt):
        failing.render()
    assert target.read_text(encoding="utf-8") == "previous"
    assert failing.settings.path == target
    breaking_out = stand_in_reporter(protected, target, "<script></script>" * 3)
    with pytest.raises(WorkflowError) as refused:
        breaking_out.render()
    assert str(refused.value) == (
        "the report would hold 3 </script> end tags where Snakemake's template has 2: some text "
        "reached a script unescaped; nothing was written"
    )
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "template"]
    assert breaking_out.settings.path == target


def test_a_zipped_report_is_not_counted_for_script_tags(protected, tmp_path):
    target = tmp_path / "report.zip"
    stand_in_reporter(protected, target, "<script>" * 5).render()
    assert target.read_text(encoding="utf-8") == "<script>" * 5


def test_live_markup_in_a_caption_or_the_front_page_is_refused_before_rendering(
    protected, tmp_path
):
    from snakemake.exceptions import WorkflowError

    target = tmp_path / "report.html"
    captions = [("results/a.csv", "<p>fine</p>"), ("results/b.csv", '<p onclick="x">b</p>')]
    with pytest.raises(WorkflowError) as refused:
        stand_in_reporter(protected, target, "", captions=captions).render()
    assert str(refused.value).startswith(
        "the caption of results/b.csv: the report would hold a 'onclick' attribute on <p>;"
    )
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
    with pytest.raises(WorkflowError, match="^the report's front page: .* <img>"):
        stand_in_reporter(protected, target, "", description="<img src=x>").render()
    ok = [("results/a.csv", None), ("results/c.csv", "<p>c</p>")]
    stand_in_reporter(
        protected, target, "<script></script>" * 2, description=None, captions=ok
    ).render()
    assert protected.calls[-1][0] == "render" and not any(c[0] != "render" for c in protected.calls)
    assert len(protected.calls) == 1 and target.exists()


def test_a_file_of_a_job_without_wildcards_is_captioned_with_its_labels(protected):
    import types

    record = protected.report.FileRecord()
    record.wildcards_overwrite, record.labels = None, {"table": "age"}
    record.job = types.SimpleNamespace(wildcards={})
    assert record.raw_wildcards == {"table": "age"}
    assert isinstance(record.raw_wildcards, protected.report.Wildcards)
    record.job = types.SimpleNamespace(wildcards={"survey": "s"})
    assert record.raw_wildcards == ("raw", {"survey": "s"})
    record.job, record.labels = types.SimpleNamespace(wildcards={}), None
    assert record.raw_wildcards == ("raw", {})
    record.labels, record.wildcards_overwrite = {"table": "age"}, {"w": 1}
    assert record.raw_wildcards == ("raw", {})


def test_protecting_twice_changes_nothing_more(protected):
    from likertflow.reporting import protect_report

    report, html_reporter = protected.report, protected.html_reporter
    before = (report.publish_parts, report.auto_report, html_reporter.Reporter.render,
              html_reporter.json, report.FileRecord.raw_wildcards)  # fmt: skip
    protect_report()
    after = (report.publish_parts, report.auto_report, html_reporter.Reporter.render,
             html_reporter.json, report.FileRecord.raw_wildcards)  # fmt: skip
    assert after == before and report._likertflow_protected is True


@pytest.mark.parametrize(
    "leave_out, named",
    [
        (("publish_parts",), "publish_parts"),
        (("Reporter", "json"), "Reporter, json"),
        (("FileRecord",), "FileRecord"),
        (("Wildcards",), "Wildcards"),
        (("auto_report",), "auto_report"),
    ],
)
def test_a_snakemake_whose_report_internals_differ_refuses_to_build_a_report(
    monkeypatch, tmp_path, leave_out, named
):
    import asyncio

    import jinja2.defaults
    from likertflow.reporting import protect_report

    monkeypatch.setitem(jinja2.defaults.DEFAULT_FILTERS, "rst", None)
    stand_in = StandIn(monkeypatch, tmp_path, leave_out=leave_out)
    protect_report()
    report = stand_in.report
    assert not hasattr(report, "_likertflow_protected")
    if "publish_parts" not in leave_out:
        assert report.publish_parts is stand_in.originals["publish_parts"]
    if "json" not in leave_out:
        assert stand_in.html_reporter.json is json
    if "auto_report" in leave_out:
        assert not hasattr(report, "auto_report")
        return
    with pytest.raises(UnsafeReportText) as refused:
        asyncio.run(report.auto_report("dag", "plugin", settings=1))
    assert str(refused.value) == (
        f"this Snakemake's report internals are not those likertflow makes safe (missing: "
        f"{named}); use the Snakemake version of constraints.txt to build the report"
    )
    assert stand_in.calls == []


def test_a_snakemake_without_report_data_modules_refuses_to_build_a_report(monkeypatch, tmp_path):
    import asyncio

    import jinja2.defaults
    from likertflow.reporting import protect_report

    monkeypatch.setitem(jinja2.defaults.DEFAULT_FILTERS, "rst", None)
    stand_in = StandIn(monkeypatch, tmp_path)
    for name in ("results", "rules"):
        monkeypatch.delattr(stand_in.data, name)
    protect_report()
    with pytest.raises(UnsafeReportText, match=r"\(missing: its data modules\); use the"):
        asyncio.run(stand_in.report.auto_report("dag"))


def test_a_reporter_that_removed_its_partial_file_before_failing_shows_its_own_error(
    protected, tmp_path
):
    target = tmp_path / "report.html"
    with pytest.raises(KeyboardInterrupt):  # not FileNotFoundError from the clean-up
        stand_in_reporter(protected, target, "", fail="cleaned up").render()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["template"]


def test_informational_messages_are_problems_too():
    assert unsafe_rst("3. a\n4. b") == (
        "it is not reStructuredText of the subset (<string>:1: (INFO/1) Enumerated list start "
        'value not ordinal-1: "3" (ordinal 3))'
    )


def test_html_problems_beyond_five_are_left_out_and_declarations_named():
    markup = '<p onclick="x" style="y"><!-- c --><?pi x><![CDATA[x]]><a href="data:x">l</a></p>'
    with pytest.raises(UnsafeReportText) as refused:
        check_html(markup, "x")
    assert str(refused.value).startswith(
        "x: the report would hold a 'onclick' attribute on <p>, a 'style' attribute on <p>, a "
        "declaration, a link to 'data:x', a processing instruction; nothing was written."
    )
    with pytest.raises(UnsafeReportText, match="^x: the report would hold a declaration;"):
        check_html("<![CDATA[<script>]]>", "x")


def test_only_an_href_is_read_as_a_link():
    check_html('<p title="note: see below" class="a:b">a</p><a href>x</a>', "x")


def test_script_safe_json_passes_on_the_options_of_dumps():
    from likertflow.reporting import ScriptSafeJson

    assert ScriptSafeJson(json).dumps({"b": "<", "a": 1}, sort_keys=True, indent=1) == (
        '{\n "a": 1,\n "b": "\\u003c"\n}'
    )
