"""The JSON schemas of the config and the codebook (workflow/schemas/), applied with their defaults.

Snakemake's ``snakemake.utils.validate`` does the same, but reads each schema through its source
cache with the pure-Python YAML parser: a sixth of every start-up, no-op reruns included
(issue 10). Here the schema is read with libyaml and checked with jsonschema's Draft 2020-12
validator, filling in each property's ``default`` as Snakemake does. The schemas only refer to
their own ``$defs``. Plain dicts only: this runs at parse time.
"""

from __future__ import annotations

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
    """A YAML file's content (libyaml's parser, UTF-8)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER)


def validate(instance: dict, schema_path: str | Path, source: str) -> dict:
    """``instance`` with its schema's defaults filled in; ``SchemaError`` naming ``source``, the
    key path and what the schema expects when it does not fit."""
    schema = read_yaml(schema_path)
    error = best_match(DefaultingValidator(schema).iter_errors(instance))
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        raise SchemaError(f"{source}: {where}: {error.message} (schema {Path(schema_path).name})")
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
