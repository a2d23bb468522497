"""Write config/README.md: every config and codebook key, from the JSON schemas.

A developer tool, not a workflow step (like ``likertflow generate``). The schemas are the one
home of each key's description and default, and the library's registries of the words for what
their entries do (statistical tests, exclusion rules, disclosure rules); this renders them as the
page the Snakemake workflow catalog shows, so that the page cannot drift from what the workflow
validates and runs (a test fails when it is stale). Run from a clone (it writes the clone's
config/README.md):

    likertflow config-readme          # rewrite config/README.md
    likertflow config-readme --check  # exit 1 if stale
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = {
    "config/config.yaml": REPO / "workflow" / "schemas" / "config.schema.yaml",
    "config/codebook.yaml": REPO / "workflow" / "schemas" / "codebook.schema.yaml",
}
OUTPUT = REPO / "config" / "README.md"
HEADER = """# Configuration

<!-- Generated from workflow/schemas/*.schema.yaml by `likertflow config-readme`;
do not edit by hand: edit the schema and run the command. -->

The workflow reads two files: `config/config.yaml` (what to analyse: exclusions, tables,
statistics, comparisons, figures) and the codebook it names, `config/codebook.yaml` (the
instrument: answer sets, questions, skip logic, statements, themes). Both are validated against
the JSON schemas in `workflow/schemas/` when the workflow starts, and the names one uses are
checked against the other. A new survey is a new codebook and config, not new code.

In the key column, `<name>` stands for a key you choose (a table, comparison or questionnaire id)
and `[]` for each item of a list. Keys without a default are required where their parent is
given, unless marked optional.
"""


def resolve(node: dict, root: dict) -> dict:
    """The node with a local ``$ref`` replaced by its target (its own keys win)."""
    while "$ref" in node:
        target = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def kind(node: dict) -> str:
    if "const" in node:
        return "constant"
    if "oneOf" in node:
        return " or ".join(kind(option) for option in node["oneOf"])
    return node.get("type", "any")


def allowed(node: dict) -> str:
    parts = []
    if "enum" in node:
        parts.append("one of " + ", ".join(f"`{value}`" for value in node["enum"]))
    if "const" in node:
        parts.append(f"`{node['const']}`")
    for option in node.get("oneOf", []):
        if "const" in option:
            parts.append(f"`{option['const']}`")
    for key, word in [("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="),
                      ("exclusiveMaximum", "<"), ("minItems", "items >="),
                      ("minLength", "length >=")]:  # fmt: skip
        if key in node:
            parts.append(f"{word} {node[key]}")
    if "pattern" in node:
        parts.append(f"pattern `{node['pattern']}`")
    return "; ".join(parts)


def cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def registry_words() -> dict[str, dict[str, str]]:
    """Key -> {allowed value: what it does}, for the keys whose values name an entry of a
    registry of the library: the registries carry their own words, and the page shows them."""
    from likertflow import disclosure, exclusions, rank_tests

    tests = {
        name: f"{test.title}, {test.groups}: {test.description}"
        + (f"; with {test.posthoc}" if test.posthoc else "")
        for name, test in rank_tests.TESTS.items()
    }
    return {
        "exclusions[].rule": {name: rule.description for name, rule in exclusions.RULES.items()},
        "comparisons.<name>.test": {rank_tests.AUTO: rank_tests.auto_description(), **tests},
        "disclosure.rule": {name: rule.describe() for name, rule in disclosure.RULES.items()},
    }


def rows(node: dict, path: str, root: dict, required: bool) -> list[tuple]:
    """(key, type, required, default, allowed, description) for a node and everything below it."""
    node = resolve(node, root)
    found = []
    if path:
        default = json.dumps(node["default"], ensure_ascii=False) if "default" in node else ""
        described = node.get("description", "")
        words = registry_words().get(path, {})
        described += "".join(f" `{value}`: {text}." for value, text in words.items())
        found.append(
            (path, kind(node), "yes" if required else "optional" if default == "" else "",
             default, allowed(node), described)
        )  # fmt: skip
    found += _children(node, f"{path}." if path else "", root)
    if "items" in node:
        items = resolve(node["items"], root)
        options = [resolve(o, root) for o in items.get("oneOf", [items])]
        for option in options:
            found += _children(option, f"{path}[].", root)
    return found


def _children(node: dict, prefix: str, root: dict) -> list[tuple]:
    """Rows of a node's properties and of its free-named entries, keys after ``prefix``."""
    found = []
    needed = set(node.get("required", []))
    for key, child in node.get("properties", {}).items():
        found += rows(child, f"{prefix}{key}", root, key in needed)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        found += rows(extra, f"{prefix}<name>", root, False)
    return found


def render() -> str:
    parts = [HEADER]
    for file, schema_path in SCHEMAS.items():
        schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
        parts.append(f"\n## `{file}`\n\n{cell(schema.get('description', ''))}\n")
        parts.append(f"\nSchema: `{schema_path.relative_to(REPO)}`.\n\n")
        parts.append("| key | type | required | default | allowed | description |\n")
        parts.append("|---|---|---|---|---|---|\n")
        for row in rows(schema, "", schema, True):
            key, *rest = row
            parts.append(f"| `{key}` | " + " | ".join(cell(value) for value in rest) + " |\n")
    return "".join(parts)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="exit 1 if config/README.md is stale")


def main(args: argparse.Namespace) -> int:
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print("config/README.md is stale: run `likertflow config-readme`")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0
