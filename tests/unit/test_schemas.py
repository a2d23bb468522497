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


# --- places and hints, each as the message gives them -----------------------------------------


def test_a_place_names_what_is_known_of_it():
    from likertflow.schemas import where_in

    assert where_in("c.yaml", 3, 7) == "c.yaml, line 3, column 7"
    assert where_in("c.yaml", 3) == "c.yaml, line 3"
    assert where_in("c.yaml", None) == "c.yaml"
    assert where_in("c.yaml", 0, 0) == "c.yaml, line 0, column 0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("study:\n\ttitle: x\n", "line 2, column 1: not valid YAML: "),
        ("a: b: c\n", "line 1, column 5: not valid YAML: mapping values are not allowed in "
         "this context (a value with ': ' in it needs quotes, or a key is indented wrongly)"),
        ("a: [1, 2\n", "line 2, column 1: not valid YAML: while parsing a flow sequence did not "
         "find expected ',' or ']' (check the indentation of this line and the one before)"),
        ("a: 'unclosed\n", "not valid YAML: while scanning a quoted scalar found unexpected end "
         "of stream"),
    ],
)  # fmt: skip
def test_a_yaml_mistake_is_named_with_what_usually_causes_it(tmp_path, text, message):
    from likertflow.schemas import read_yaml

    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as refused:
        read_yaml(path)
    assert str(refused.value).startswith(f"{path}, line ")
    assert message in str(refused.value)
    if "\t" in text:
        assert str(refused.value).endswith(" (indent with spaces, not tabs)")
    if "unclosed" in text:
        assert str(refused.value).endswith("end of stream")  # no hint


def test_a_yaml_mistake_with_no_place_is_named_by_its_file(tmp_path):
    from likertflow.schemas import read_yaml

    path = tmp_path / "config.yaml"
    path.write_text("a: !!python/name:os.system x\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=f"^{path}, line 1, column 4: not valid YAML"):
        read_yaml(path)
    path.write_bytes(b"a: \x07\n")  # a character YAML does not allow
    with pytest.raises(SchemaError) as refused:
        read_yaml(path)
    assert str(refused.value).startswith(f"{path}: not valid YAML: ")
    assert "line" not in str(refused.value).split(": not valid YAML")[0]


def test_line_of_a_key_path_or_the_deepest_part_found(tmp_path):
    from likertflow.schemas import line_of

    path = tmp_path / "c.yaml"
    path.write_text("a:\n  b:\n    - x\n    - {id: y, v: 2}\nc: 1\n", encoding="utf-8")
    assert line_of(path, ["a", "b", 1, "v"]) == (4, 18)
    assert line_of(path, ["a", "b", 0]) == (3, 7)
    assert line_of(path, ["a", "b", 5]) == (3, 5)  # no item 5: the list
    assert line_of(path, ["a", "nope", "deeper"]) == (2, 3)  # the deepest found: a's value
    assert line_of(path, ["c", "x"]) == (5, 4)  # a scalar has no keys
    assert line_of(path, ["a", "b", "0"]) == (3, 5)  # a list takes positions, not texts
    assert line_of(path, []) == (1, 1)
    assert line_of(tmp_path / "none.yaml", ["a"]) is None
    (tmp_path / "bad.yaml").write_text("a: [\n", encoding="utf-8")
    assert line_of(tmp_path / "bad.yaml", ["a"]) is None
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert line_of(tmp_path / "empty.yaml", ["a"]) is None


def test_problems_are_located_in_the_first_file_with_their_path(tmp_path):
    from likertflow.schemas import locate_problems

    first, second = tmp_path / "one.yaml", tmp_path / "two.yaml"
    first.write_text("tables:\n  t1: {}\n", encoding="utf-8")
    second.write_text(
        "tables:\n  t2: x\nexclusions:\n  - id: a\n  - id: b\n    rule: c\nlist:\n  - q\n  - r\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.yaml").write_text("a: [\n", encoding="utf-8")
    files = [tmp_path / "missing.yaml", tmp_path / "bad.yaml", first, second]
    assert locate_problems(
        ["tables.t2: x", "exclusions.b.rule: y", "list.1: z", "list.q: w", "other.key: v",
         "exclusions.zz: u", "no path here", "tables: whole"],
        files,
    ) == [
        f"{first}, line 2, column 3: tables.t2: x",  # "tables" is first found in one.yaml
        f"{second}, line 6, column 11: exclusions.b.rule: y",  # the value of rule
        f"{second}, line 9, column 5: list.1: z",
        f"{second}, line 8, column 3: list.q: w",  # no item with id q: the list
        "other.key: v",
        f"{second}, line 4, column 3: exclusions.zz: u",
        "no path here",
        f"{first}, line 2, column 3: tables: whole",
    ]  # fmt: skip


def test_a_value_refused_at_the_top_level_and_without_a_file(tmp_path):
    with pytest.raises(SchemaError) as refused:
        validate([], SCHEMAS / "config.schema.yaml", "my config")
    assert str(refused.value).startswith("my config: (top level): [] is not of type 'object'")
    assert str(refused.value).endswith(" (schema config.schema.yaml)")
    path = tmp_path / "missing.yaml"
    with pytest.raises(SchemaError, match="^my config: analysis.alpha: "):
        validate({"analysis": {"alpha": 2}}, SCHEMAS / "config.schema.yaml", "my config", path)


def test_the_schemas_defaults_of_a_block():
    from likertflow.schemas import CODEBOOK_SCHEMA, defaults, export_defaults

    assert defaults(SCHEMAS / "config.schema.yaml", "properties", "disclosure") == {"rule": "none"}
    export = export_defaults()
    assert export["format"] == "csv" and export["statement_columns"] == {}
    assert "response_id" not in export  # no default: left out
    assert export == defaults(CODEBOOK_SCHEMA, "$defs", "questionnaire", "properties", "export")


def test_the_defaulting_validator_built_in_the_test_fills_defaults_and_still_refuses():
    """``DefaultingValidator`` is built at import; built here, a change to ``_filling_defaults``
    shows (mutation testing activates a change only after import)."""
    from jsonschema import Draft202012Validator
    from likertflow.schemas import _filling_defaults

    schema = {
        "type": "object",
        "properties": {
            "alpha": {"type": "number", "default": 0.05, "maximum": 1},
            "name": {"type": "string"},
            "inner": {"type": "object", "properties": {"seed": {"default": 7}}},
        },
    }
    validator = _filling_defaults(Draft202012Validator)(schema)
    instance = {"inner": {}}
    assert list(validator.iter_errors(instance)) == []
    assert instance == {"inner": {"seed": 7}, "alpha": 0.05}  # no default: left out
    kept = {"alpha": 0.5, "inner": {"seed": 1}}
    assert list(validator.iter_errors(kept)) == [] and kept == {"alpha": 0.5, "inner": {"seed": 1}}
    [error] = validator.iter_errors({"alpha": 2, "inner": {}})
    assert error.message == "2 is greater than the maximum of 1"
    assert list(error.absolute_path) == ["alpha"]
    assert [e.message for e in validator.iter_errors({"name": 3})] == ["3 is not of type 'string'"]


def test_a_tab_that_starts_the_file_is_named(tmp_path):
    from likertflow.schemas import read_yaml

    path = tmp_path / "config.yaml"
    path.write_text("\tstudy: x\n", encoding="utf-8")
    with pytest.raises(SchemaError) as refused:
        read_yaml(path)
    assert str(refused.value).startswith(f"{path}, line 1, column 1: not valid YAML")
    assert str(refused.value).endswith(" (indent with spaces, not tabs)")


@pytest.mark.parametrize(
    ("problem", "hint"),
    [
        ("found a tab character where an indentation space is expected",
         " (indent with spaces, not tabs)"),
        ("while parsing a block mapping expected <block end>, but found '-'",
         " (check the indentation of this line and the one before)"),
        ("did not find expected key", " (check the indentation of this line and the one before)"),
        ("found unexpected end of stream", ""),
    ],
)  # fmt: skip
def test_what_usually_causes_a_yaml_problem(problem, hint):
    from likertflow.schemas import _yaml_hint

    assert _yaml_hint(problem, "a line without tabs") == hint


def test_a_path_into_a_list_stops_at_its_end_or_at_a_scalar(tmp_path):
    from likertflow.schemas import line_of, locate_problems

    path = tmp_path / "c.yaml"
    path.write_text("a:\n  - x\n  - {id: '0', v: 1}\nc: 1\n", encoding="utf-8")
    assert line_of(path, ["a", 2]) == (2, 3)  # two items: no item 2, the list
    assert locate_problems(["a.2: p", "c.x: q", "a.1: r", "a.0: s"], [path]) == [
        f"{path}, line 2, column 3: a.2: p",
        f"{path}, line 4, column 4: c.x: q",
        f"{path}, line 3, column 5: a.1: r",  # position 1, though item 1's id is '0'
        f"{path}, line 2, column 5: a.0: s",
    ]
