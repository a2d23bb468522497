"""The JSON schemas of the config and the codebook (workflow/schemas/), applied with their defaults.

Snakemake's ``snakemake.utils.validate`` does the same, but reads each schema through its source
cache with the pure-Python YAML parser: a sixth of every start-up, no-op reruns included
(issue 10). Here the schema is read with libyaml and checked with jsonschema's Draft 2020-12
validator, filling in each property's ``default`` as Snakemake does. The schemas only refer to
their own ``$defs``. Plain dicts only: this runs at parse time.

A mistake in a person's YAML names the file, line and column: a syntax error as libyaml found
it (``read_yaml``), a value the schema refuses at the line of that value (``validate`` with the
file it came from, which is read again for its lines only then, so a valid file costs nothing
more). ``line_of`` finds the line of a dotted key path ("answer_sets.agreement") for checks
made after the schema.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import best_match

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"  # workflow/schemas/
CONFIG_SCHEMA = SCHEMAS / "config.schema.yaml"
CODEBOOK_SCHEMA = SCHEMAS / "codebook.schema.yaml"


class SchemaError(ValueError):
    """A config or codebook file does not have the shape its schema describes."""


def _filling_defaults(validator_class):
    """The validator class, setting each missing property that has a ``default`` (in place)."""
    check_properties = validator_class.VALIDATORS["properties"]

    def properties_with_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, subschema in properties.items():
                if "default" in subschema:
                    instance.setdefault(name, subschema["default"])
        yield from check_properties(validator, properties, instance, schema)

    return validators.extend(validator_class, {"properties": properties_with_defaults})


DefaultingValidator = _filling_defaults(Draft202012Validator)


def read_yaml(path: str | Path) -> object:
    """A YAML file's content (libyaml's parser, UTF-8); ``SchemaError`` naming the file, line and
    column of a syntax error."""
    with open(path, encoding="utf-8") as handle:
        try:
            return yaml.load(handle, Loader=YAML_LOADER)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            what = " ".join(part for part in (error.context, error.problem) if part)
            handle.seek(0)
            lines = handle.read().splitlines()
            line = lines[mark.line] if mark.line < len(lines) else ""
            raise SchemaError(
                f"{where_in(path, mark.line + 1, mark.column + 1)}: not valid YAML: {what}"
                f"{_yaml_hint(what, line)}"
            ) from None
        except yaml.YAMLError as error:  # a mistake without a place (e.g. a bad character)
            raise SchemaError(f"{path}: not valid YAML: {error}") from None


def where_in(path: str | Path, line: int | None, column: int | None = None) -> str:
    """"<file>, line L, column C", as every message about a place in a person's file."""
    place = [str(path)]
    if line is not None:
        place.append(f"line {line}")
    if column is not None:
        place.append(f"column {column}")
    return ", ".join(place)


def _yaml_hint(problem: str, line: str) -> str:
    """What usually causes a YAML error (``problem``, on ``line``), in a survey researcher's
    terms."""
    if "\t" in line or "tab" in problem:
        return " (indent with spaces, not tabs)"
    if "mapping values are not allowed" in problem:
        return " (a value with ': ' in it needs quotes, or a key is indented wrongly)"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return " (check the indentation of this line and the one before)"
    return ""


def line_of(path: str | Path, keys: list | tuple) -> tuple[int, int] | None:
    """(line, column) of the value at ``keys`` (mapping keys and list positions) in a YAML
    file, or of the deepest of them that exists; None if the file cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            node = yaml.compose(handle, Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError):
        return None
    found = node
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            node = next((value for k, value in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            node = node.value[key] if key < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        found = node
    if found is None:
        return None
    return found.start_mark.line + 1, found.start_mark.column + 1


def _resolve(node, keys: list[str]):
    """The node a dotted path's keys reach (a key into a list of mappings may be an item's
    ``id``, as problems name exclusion rules), and how many keys it followed."""
    followed = 0
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            found = next((value for k, value in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode):
            found = None
            if key.isdigit() and int(key) < len(node.value):
                found = node.value[int(key)]
            for item in node.value if found is None else ():
                if isinstance(item, yaml.MappingNode) and any(
                    k.value == "id" and v.value == key for k, v in item.value
                ):
                    found = item
                    break
        else:
            found = None
        if found is None:
            break
        node, followed = found, followed + 1
    return node, followed


DOTTED = re.compile(r"^(?P<path>[A-Za-z0-9_][\w.-]*): ")


def locate_problems(problems: list[str], files: list[str | Path | None]) -> list[str]:
    """Problems that start with a dotted key path ("answer_sets.agreement: ...",
    "exclusions.under_18: ...") prefixed with the file, line and column of that key: in the
    first of ``files`` where the path's first key is found. Others are kept as they are."""
    nodes = []
    for file in files:
        if file is None:
            continue
        try:
            with open(file, encoding="utf-8") as handle:
                nodes.append((file, yaml.compose(handle, Loader=YAML_LOADER)))
        except (OSError, yaml.YAMLError):
            continue
    located = []
    for problem in problems:
        found = DOTTED.match(problem)
        place = None
        for file, node in nodes if found else ():
            reached, followed = _resolve(node, found["path"].split("."))
            if followed:
                mark = reached.start_mark
                place = where_in(file, mark.line + 1, mark.column + 1)
                break
        located.append(f"{place}: {problem}" if place else problem)
    return located


def validate(
    instance: dict, schema_path: str | Path, source: str, file: str | Path | None = None
) -> dict:
    """``instance`` with its schema's defaults filled in; ``SchemaError`` naming ``source``, the
    key path and what the schema expects when it does not fit, and, given the ``file`` the
    instance was read from, the line and column of the value."""
    schema = read_yaml(schema_path)
    error = best_match(DefaultingValidator(schema).iter_errors(instance))
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        place = line_of(file, list(error.absolute_path)) if file is not None else None
        origin = where_in(file, *place) if place else source
        raise SchemaError(f"{origin}: {where}: {error.message} (schema {Path(schema_path).name})")
    return instance


def defaults(schema_path: str | Path, *keys: str) -> dict:
    """The ``default`` of every property of the schema node at ``keys``, for a block given
    outside a file the schema validates (a command line, a test): the schema stays their one home.
    """
    node = read_yaml(schema_path)
    for key in keys:
        node = node[key]
    return {name: spec["default"] for name, spec in node["properties"].items() if "default" in spec}


def export_defaults() -> dict:
    """The defaults of a codebook ``export`` block (format, match, values, delimiter, ...)."""
    return defaults(CODEBOOK_SCHEMA, "$defs", "questionnaire", "properties", "export")
