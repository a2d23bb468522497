"""The report (``snakemake --report results/report.html``): no live markup from text we did not
write, and never a truncated file.

Snakemake builds the report from the captions (workflow/report/*.rst, rendered by Jinja with
the config and each job's params, then by docutils from reStructuredText to HTML) and embeds
everything as JSON in the page's ``<script>`` elements: the captions, each result's job
parameters (the whole codebook among them) and file names. Text from the config, the codebook
and so from the exports (labels are drafted from them) reaches it in four ways, each closed here:

1. Into reStructuredText, through a caption's Jinja. Every text a caption takes from the
   config or the codebook passes the ``rst`` filter (``rst_text``): it becomes literal inline
   text (markup characters escaped, line breaks and control characters gone), so a label
   cannot start a directive, a role, a link or a list. Ids are the schemas' identifiers
   (``[a-z][a-z0-9_]*``, and names of tables, figures, comparisons and families likewise).
2. Through the study's own texts (``study.description``, ``citation``, ``data_note``,
   ``notes``), which are meant as reStructuredText: they are checked before the report is made
   (``check_study_text``) and must keep to a safe subset: paragraphs, emphasis, strong text,
   literals, lists, block quotes, and links to ``http``, ``https`` and ``mailto`` addresses
   only. Raw HTML, directives (include, image, raw, ...), substitutions, targets and links with
   any other scheme (``javascript:``, ``data:``) are refused, naming the config key.
3. Through docutils itself: every caption is rendered with raw HTML and file insertion off
   (``.. raw::`` and ``.. include::`` are errors, never content), and its HTML is checked
   before the report is written (``check_html``: only the tags and attributes docutils writes
   for that subset, no ``on...`` attribute, and no link scheme but those and Snakemake's own
   ``javascript:`` calls to its report's menus).
4. Into the page's scripts: every JSON the report embeds is written so that it cannot end or
   confuse a ``<script>`` element (``<``, ``>`` and ``&`` as JSON escapes, which the browser
   reads back as the same text; ``script_safe_json``). A string in the job parameters holding
   ``</script><script>...`` stays a string. A final check counts the page's ``</script>`` tags
   against Snakemake's template before the file is kept.

The report is written to a temporary file beside the target and moved into place only when it
is complete, so a report that fails (a bad caption, a full disk, Ctrl-C) leaves the previous
report, or none, never a truncated one.

``protect_report()`` applies all of this to Snakemake's own HTML reporter at start-up
(workflow/rules/common.smk), so the README's command stays ``snakemake --report
results/report.html``. It relies on Snakemake's report internals (``snakemake.report``), which
are those of the version CI tests (constraints.txt); on another version whose internals differ,
building a report fails with a message instead of writing an unprotected one.
tests/workflow/test_hostile_text.py plants hostile text everywhere and opens the report in
headless Chromium.
"""

from __future__ import annotations

import html.parser
import io
import os
import re
import string
import tempfile
import unicodedata
from pathlib import Path

# The study's reStructuredText: the config keys, and what may be in them.
STUDY_TEXT_KEYS = ("description", "citation", "data_note")
SAFE_SCHEMES = ("http", "https", "mailto")
SAFE_NODES = {
    "document",
    "paragraph",
    "Text",
    "emphasis",
    "strong",
    "literal",
    "title_reference",
    "reference",
    "bullet_list",
    "enumerated_list",
    "list_item",
    "definition_list",
    "definition_list_item",
    "term",
    "definition",
    "block_quote",
    "line_block",
    "line",
    "literal_block",
    "comment",
    "inline",
    "target",
}
# Docutils settings of every caption: no raw HTML, nothing read from files or URLs.
DOCUTILS_SETTINGS = {"raw_enabled": False, "file_insertion_enabled": False}
# What docutils writes for that subset, and Snakemake's own links to its report's menus.
SAFE_TAGS = {
    "a", "blockquote", "br", "cite", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "colgroup", "col", "ul", "aside",
    "main", "header", "footer", "caption", "abbr", "kbd", "small", "big", "tt", "var", "samp",
}  # fmt: skip
SAFE_ATTRIBUTES = {"class", "id", "href", "title", "colspan", "rowspan", "start", "lang"}
SNAKEMAKE_LINK = re.compile(
    r"javascript:(?:app\.showCategory|app\.showResultInfo|show_panel)\('[^'\"\\<>]*'\)"
)
_MARKUP = set(string.punctuation)
# Bidirectional embeddings, overrides and isolates: they reorder what is shown.
_BIDI = {chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


class UnsafeReportText(ValueError):
    """Text that would put live markup into the report."""


# --- 1. Text into reStructuredText --------------------------------------------------------------


def rst_text(value) -> str:
    """Any value as literal inline reStructuredText (the captions' ``rst`` Jinja filter):
    white space, line breaks included, as single spaces; control and bidirectional formatting
    characters removed; every ASCII punctuation character escaped with a backslash, which
    reStructuredText reads as that character, never as markup.

    >>> rst_text("$0 - $24,999")
    '\\\\$0 \\\\- \\\\$24\\\\,999'
    >>> rst_text(".. raw:: html\\n\\n   <script>")
    '\\\\.\\\\. raw\\\\:\\\\: html \\\\<script\\\\>'
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    kept = []
    for char in text:
        if char in _BIDI or unicodedata.category(char) in ("Cc", "Cs"):
            continue
        kept.append("\\" + char if char in _MARKUP else char)
    return "".join(kept)


# --- 2. The study's reStructuredText -----------------------------------------------------------


def study_texts(config: dict) -> dict[str, str]:
    """The reStructuredText of the study, by config key (``study.notes.<caption>`` for notes)."""
    study = config.get("study") or {}
    texts = {f"study.{key}": study.get(key) or "" for key in STUDY_TEXT_KEYS}
    for caption, note in (study.get("notes") or {}).items():
        texts[f"study.notes.{caption}"] = note or ""
    return texts


def check_study_text(config: dict) -> None:
    """Raise ``UnsafeReportText`` naming the config key of study text outside the safe subset
    of reStructuredText (module docstring)."""
    for key, text in study_texts(config).items():
        problem = unsafe_rst(text)
        if problem:
            raise UnsafeReportText(
                f"config {key}: {problem}. The study's texts are reStructuredText limited to "
                "paragraphs, *emphasis*, **strong**, ``literals``, lists and links to http, "
                "https or mailto addresses, so that nothing in them runs in the report "
                "(docs/codebook.md, the study text)"
            )


def unsafe_rst(text: str) -> str | None:
    """What in this reStructuredText is outside the safe subset, or None."""
    from docutils.core import publish_doctree

    if not text.strip():
        return None
    messages = io.StringIO()  # kept off the console; the doctree holds every message, any level
    doctree = publish_doctree(
        text,
        settings_overrides={
            **DOCUTILS_SETTINGS,
            "halt_level": 5,
            "warning_stream": messages,
        },
    )
    nodes = list(doctree.findall())
    for node in nodes:
        if type(node).__name__ == "system_message":
            return f"it is not reStructuredText of the subset ({node.astext().splitlines()[0]})"
    for node in nodes:
        kind = type(node).__name__
        if kind not in SAFE_NODES:
            return f"it holds a {kind.replace('_', ' ')}, which the report does not allow"
        if kind in ("reference", "target"):  # a target: a link's address, given apart
            uri = node.get("refuri")
            if uri is None:
                return f"it holds a {kind} to a name, not to an address"
            scheme = link_scheme(uri)
            if scheme not in SAFE_SCHEMES:
                address = f"a {scheme}: address" if scheme else "a relative address"
                return f"it links to {address}, which the report does not allow"
    return None


def link_scheme(uri: str) -> str:
    """A link's scheme as a browser reads it (white space and control characters inside it
    ignored, any case), "" for a relative link."""
    cleaned = "".join(char for char in uri if char > " " and char != "\x7f")
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


# --- 3. The HTML docutils wrote -------------------------------------------------------------


class _Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"a <{tag}> element")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES:
                self.problems.append(f"a {name!r} attribute on <{tag}>")
            elif name == "href" and value is not None:
                allowed = link_scheme(value) in (*SAFE_SCHEMES, "")
                if not allowed and not SNAKEMAKE_LINK.fullmatch(value):
                    self.problems.append(f"a link to {value[:60]!r}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append("an HTML comment")

    def handle_pi(self, data):
        self.problems.append("a processing instruction")

    def unknown_decl(self, data):
        self.problems.append("a declaration")


def check_html(markup: str, where: str) -> None:
    """Raise ``UnsafeReportText`` if the HTML of a caption or the front page holds anything
    but what docutils writes for the safe subset (module docstring)."""
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    if checker.problems:
        raise UnsafeReportText(
            f"{where}: the report would hold {', '.join(sorted(set(checker.problems))[:5])}; "
            "nothing was written. Report this as a likertflow bug: some text reached the "
            "report without being escaped"
        )


# --- 4. JSON inside <script> -------------------------------------------------------------------


def script_safe(text: str) -> str:
    """JSON text that cannot end or confuse a ``<script>`` element: ``<``, ``>``, ``&`` and the
    JavaScript line separators written as JSON escapes (which occur only inside strings, and
    read back as the same characters).

    >>> script_safe('{"a": "</script><script>x()</script>"}')
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ex()\\\\u003c/script\\\\u003e"}'
    """
    for char, escape in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


class ScriptSafeJson:
    """The ``json`` module as a report module sees it, its ``dumps`` script-safe."""

    def __init__(self, module):
        self._module = module

    def dumps(self, *args, **kwargs) -> str:
        return script_safe(self._module.dumps(*args, **kwargs))

    def __getattr__(self, name):
        return getattr(self._module, name)


# --- Applying it to Snakemake's HTML reporter --------------------------------------------------


def protect_report() -> None:
    """Make Snakemake's own HTML report safe and atomic (module docstring). Called at start-up,
    in the process that builds the report; changes nothing a run computes."""
    import json

    import jinja2.defaults

    jinja2.defaults.DEFAULT_FILTERS["rst"] = rst_text
    try:
        import snakemake.report as report
        from snakemake.report import html_reporter
        from snakemake.report.html_reporter import data as report_data
    except ImportError:  # pragma: no cover - Snakemake always has its report
        return
    if getattr(report, "_likertflow_protected", False):
        return
    missing = [
        name
        for name, owner in (
            ("auto_report", report),
            ("publish_parts", report),
            ("Reporter", html_reporter),
            ("json", html_reporter),
            ("FileRecord", report),
            ("Wildcards", report),
        )
        if not hasattr(owner, name)
    ]
    data_modules = [
        getattr(report_data, name)
        for name in dir(report_data)
        if hasattr(getattr(report_data, name), "json")
        and getattr(getattr(report_data, name), "__name__", "").startswith(report_data.__name__)
    ]
    if missing or not data_modules:
        original = getattr(report, "auto_report", None)

        async def refuse(*args, **kwargs):
            raise UnsafeReportText(
                "this Snakemake's report internals are not those likertflow makes safe "
                f"(missing: {', '.join(missing) or 'its data modules'}); use the Snakemake "
                "version of constraints.txt to build the report"
            )

        if original is not None:
            report.auto_report = refuse
        return

    publish_parts = report.publish_parts

    def safe_publish_parts(*args, settings_overrides=None, **kwargs):
        return publish_parts(
            *args, settings_overrides={**(settings_overrides or {}), **DOCUTILS_SETTINGS}, **kwargs
        )

    report.publish_parts = safe_publish_parts
    html_reporter.json = ScriptSafeJson(json)
    for module in data_modules:
        module.json = ScriptSafeJson(json)

    auto_report = report.auto_report

    async def checked_auto_report(dag, *args, **kwargs):
        from snakemake.exceptions import WorkflowError

        try:
            check_study_text(dag.workflow.config)
        except UnsafeReportText as error:
            raise WorkflowError(str(error)) from None
        return await auto_report(dag, *args, **kwargs)

    report.auto_report = checked_auto_report

    render = html_reporter.Reporter.render

    def checked_render(self):
        from snakemake.exceptions import WorkflowError

        try:
            check_html(self.workflow_description or "", "the report's front page")
            for subcategories in self.results.values():
                for results in subcategories.values():
                    for result in results:
                        check_html(result.caption or "", f"the caption of {result.path}")
        except UnsafeReportText as error:
            raise WorkflowError(str(error)) from None
        target = Path(self.settings.path)
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
        os.close(handle)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file (mkstemp's is private)
        self.settings.path = Path(temporary)
        try:
            render(self)
            if target.suffix == ".html":
                check_scripts(Path(temporary))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        finally:
            self.settings.path = target

    html_reporter.Reporter.render = checked_render
    record = report.FileRecord
    record.raw_wildcards = labelled_wildcards(record.raw_wildcards, report.Wildcards)
    report._likertflow_protected = True


def labelled_wildcards(raw_wildcards: property, wildcards_type: type) -> property:
    """A result's wildcards, or, for a file of a job without wildcards, its report labels. One
    job makes all descriptive tables (and one all Likert figures: issue 22), while Snakemake
    renders each file's caption with its job's wildcards; the labels name the file's table or
    figure (``{"table": name}``), as the wildcards of one job per table did."""

    def wildcards(self):
        if self.wildcards_overwrite is None and not len(self.job.wildcards) and self.labels:
            return wildcards_type(fromdict=self.labels)
        return raw_wildcards.fget(self)

    return property(wildcards)


def check_scripts(path: Path) -> None:
    """The report holds as many ``</script>`` end tags as Snakemake's template writes: none
    came in with the data (a tripwire: ``script_safe`` makes them impossible)."""
    from snakemake.exceptions import WorkflowError
    from snakemake.report.html_reporter import template

    expected = (
        (Path(template.__file__).parent / "index.html.jinja2")
        .read_text(encoding="utf-8")
        .lower()
        .count("</script")
    )
    found = path.read_text(encoding="utf-8").lower().count("</script")
    if found != expected:
        raise WorkflowError(
            f"the report would hold {found} </script> end tags where Snakemake's template has "
            f"{expected}: some text reached a script unescaped; nothing was written"
        )
