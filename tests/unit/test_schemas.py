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


# --- a person's YAML mistakes, at their file, line and column --------------------------------


def test_a_yaml_syntax_error_names_the_file_line_and_column(tmp_path):
    from likertflow.schemas import read_yaml

    path = tmp_path / "config.yaml"
    path.write_text("codebook: config/codebook.yaml\nexclusions:\n  - id: a\n   rule: b\n")
    with pytest.raises(SchemaError) as refused:
        read_yaml(path)
    assert str(refused.value).startswith(f"{path}, line 4, column 4: not valid YAML")
    assert "indentation" in str(refused.value)
    path.write_text("study:\n\ttitle: x\n")
    with pytest.raises(SchemaError) as refused:
        read_yaml(path)
    assert f"{path}, line 2, column 1" in str(refused.value) and "not tabs" in str(refused.value)


def test_a_value_the_schema_refuses_is_named_at_its_line(tmp_path):
    path = tmp_path / "config.yaml"
    text = CONFIGS[0].read_text(encoding="utf-8").replace("p_adjust: holm", "p_adjust: holmes")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "holmes" in row)
    config = yaml.safe_load(text)
    with pytest.raises(SchemaError) as refused:
        validate(config, SCHEMAS / "config.schema.yaml", "config", path)
    assert str(refused.value).startswith(f"{path}, line {line}, column 13: analysis.p_adjust:")


def test_problems_found_after_the_schema_are_located_by_their_key_path(tmp_path):
    from likertflow.schemas import locate_problems

    path = tmp_path / "config.yaml"
    path.write_text(
        "exclusions:\n  - id: under_18\n    rule: answered\ntables:\n  t1:\n    survey: x\n"
    )
    located = locate_problems(
        ["exclusions.under_18: 'Under 19' is not an answer", "tables.t1.survey: no such survey",
         "something without a path"],
        [None, path],
    )  # fmt: skip
    assert located == [
        f"{path}, line 2, column 5: exclusions.under_18: 'Under 19' is not an answer",
        f"{path}, line 6, column 13: tables.t1.survey: no such survey",
        "something without a path",
    ]
