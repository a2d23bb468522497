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
