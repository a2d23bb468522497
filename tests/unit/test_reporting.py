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
     ("page.html", ""), ("#x", "")],
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
