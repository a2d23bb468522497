"""The config and codebook schemas as the workflow applies them (likertflow.schemas): the same
verdicts and the same filled-in defaults as Snakemake's own ``snakemake.utils.validate``, which
it replaces at start-up because that one parses each schema with pure-Python YAML (issue 10)."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import REPO
from likertflow.schemas import SchemaError, validate
from snakemake.utils import validate as snakemake_validate

SCHEMAS = REPO / "workflow" / "schemas"
CONFIGS = [REPO / "config" / "config.yaml",
           REPO / "config" / "examples" / "online_learning" / "config.yaml"]  # fmt: skip
CODEBOOKS = [REPO / "config" / "codebook.yaml",
             REPO / "config" / "examples" / "online_learning" / "codebook.yaml"]  # fmt: skip


def both(instance: dict, schema: str) -> tuple[dict, dict]:
    ours, theirs = copy.deepcopy(instance), copy.deepcopy(instance)
    validate(ours, SCHEMAS / schema, "test")
    snakemake_validate(theirs, str(SCHEMAS / schema))
    return ours, theirs


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.parent.name)
def test_config_defaults_are_snakemakes(path):
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("disclosure", "bands", "study"):  # left to their defaults
        config.pop(key, None)
    ours, theirs = both(config, "config.schema.yaml")
    assert ours == theirs
    assert ours["disclosure"] == {"rule": "none"}  # a default was filled in


@pytest.mark.parametrize("path", CODEBOOKS, ids=lambda path: path.parent.name)
def test_codebook_defaults_are_snakemakes(path):
    ours, theirs = both(yaml.safe_load(path.read_text(encoding="utf-8")), "codebook.schema.yaml")
    assert ours == theirs


def break_alpha(config):
    config["analysis"]["alpha"] = 2


def break_comparison(config):
    del next(iter(config["comparisons"].values()))["outcomes"]


def add_unknown_key(config):
    config["analysis"]["alpah"] = 0.05


@pytest.mark.parametrize(
    ("breakage", "where"),
    [(break_alpha, "config: analysis.alpha: 2 is greater than or equal to the maximum of 1"),
     (break_comparison, "config: comparisons."),
     (add_unknown_key, "config: analysis: Additional properties")],
)  # fmt: skip
def test_a_broken_config_is_refused_naming_the_key(breakage, where):
    config = yaml.safe_load(CONFIGS[0].read_text(encoding="utf-8"))
    breakage(config)
    with pytest.raises(Exception):  # noqa: B017 - Snakemake's verdict, whatever its type
        snakemake_validate(copy.deepcopy(config), str(SCHEMAS / "config.schema.yaml"))
    with pytest.raises(SchemaError) as refused:
        validate(config, SCHEMAS / "config.schema.yaml", "config")
    assert str(refused.value).startswith(where)
