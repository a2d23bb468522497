"""The README stays a front door (issue 17): short, the two quick-start commands first, and a
link to every docs/ page; every relative link in the README and docs/ reaches a file and
heading that exist."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
MAX_LINES = 220

# The contract: two commands that work on a fresh machine, one runs the workflow on the shipped
# data, one runs the tests. Changing them is a decision, not an edit.
QUICK_START = [
    "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt -c constraints.txt"
    " && .venv/bin/snakemake --cores 4 && .venv/bin/snakemake --report results/report.html",
    "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt -c constraints.txt"
    " && .venv/bin/python -m pytest",
]

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def links(path: Path) -> list[str]:
    """The relative link targets of a Markdown file, code blocks left out."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


def anchors(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces
    as hyphens."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    found = set()
    for heading in re.findall(r"^#{1,6}\s+(.*?)\s*$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        found.add(slug)
    return found


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    first_block = FENCE.search(text)
    assert first_block, "README.md has no code block"
    before = text[: first_block.start()]
    assert not re.search(r"^##", before, re.M), "the quick start must come before any section"
    assert before.count("\n") <= 10, "the quick start must be at the very top"
    commands = [
        line
        for line in first_block.group(0).splitlines()[1:-1]
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands == QUICK_START


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.relative_to(REPO).as_posix())
def test_links_reach_existing_files_and_headings(path):
    for target in links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.exists(), f"{path.name} links to {target}, which does not exist"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), f"{path.name} links to {target}: no such heading"


def test_every_docs_page_is_linked_from_the_readme():
    linked = {(README.parent / t.partition("#")[0]).resolve() for t in links(README)}
    assert DOCS, "docs/ has no pages"
    unlinked = [p.name for p in DOCS if p.resolve() not in linked]
    assert not unlinked, f"docs pages the README does not link: {unlinked}"
