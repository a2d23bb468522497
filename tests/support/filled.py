"""Codebooks and settings as the workflow hands them to the library: after the schemas, which are
the one home of every default (the library adds none). Tests write only what they care about
and let the schema fill in the rest, as it does for a user's files."""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from likertflow.codebook import (
    ExportSpec,
    Questionnaire,
    parse_export,
    parse_questionnaire,
    questionnaire_codebook,
)
from likertflow.schemas import CODEBOOK_SCHEMA, CONFIG_SCHEMA, export_defaults, read_yaml, validate
from likertflow.settings import Comparison


@functools.cache
def _questionnaire_keys() -> frozenset[str]:
    """The keys of a questionnaire's own block in the codebook (label, export, questions)."""
    schema = read_yaml(CODEBOOK_SCHEMA)
    return frozenset(schema["$defs"]["questionnaire"]["properties"])


def codebook(raw: dict) -> dict:
    """A copy of a whole codebook as its schema fills it (``SchemaError`` if it does not fit)."""
    return validate(copy.deepcopy(raw), CODEBOOK_SCHEMA, "test codebook")


def cut(raw: dict) -> dict:
    """One questionnaire's codebook dict (the shared sections, ``survey`` and its own keys, as
    ``questionnaire_codebook`` cuts it) as a workflow job gets it in its params: cut again from
    the codebook it stands for, after the schema filled that codebook."""
    survey = raw["survey"]
    own = {key: value for key, value in raw.items() if key in _questionnaire_keys()}
    shared = {k: v for k, v in raw.items() if k not in _questionnaire_keys() and k != "survey"}
    return questionnaire_codebook(codebook({**shared, "questionnaires": {survey: own}}), survey)


def questionnaire(raw: dict) -> Questionnaire:
    """One questionnaire's codebook dict (as ``cut`` takes it), parsed as a workflow job gets
    it."""
    return parse_questionnaire(cut(raw))


def export(block: dict) -> ExportSpec:
    """An export block with the schema's defaults for the keys it leaves out."""
    return parse_export({**export_defaults(), **block})


def config(raw: dict) -> dict:
    """A copy of a config as its schema fills it; the required sections default to empty."""
    required = {"codebook": "config/codebook.yaml", "raw_exports": "r/{survey}/{batch}.csv"}
    sections = {"tables": {}, "comparisons": {}, "likert_figures": {}}
    return validate(copy.deepcopy({**required, **sections, **raw}), CONFIG_SCHEMA, "test config")


def workflow_files(root: Path, config_path: str = "config/config.yaml") -> tuple[dict, dict]:
    """The config of a workflow directory and the codebook it names, as its start-up reads them
    (validated, every default filled in)."""
    config = validate(read_yaml(root / config_path), CONFIG_SCHEMA, config_path)
    return config, validate(read_yaml(root / config["codebook"]), CODEBOOK_SCHEMA, "codebook")


def analysis(settings_class, **values):
    """``settings_class`` (likertflow.settings) from the schema's ``analysis`` defaults, with
    ``values`` in their place."""
    unread = set(values) - set(settings_class.keys())
    assert not unread, f"{settings_class.__name__} does not read {sorted(unread)}"
    filled = config({"analysis": values})["analysis"]
    return settings_class.from_params({key: filled[key] for key in settings_class.keys()})


def comparison(**spec) -> Comparison:
    """A comparison spec as config ``comparisons`` gives it (``by``, ``outcomes``, ``family`` and
    ``survey`` or ``surveys``), with the schema's defaults (omit, test, adjust_for)."""
    return Comparison.from_params(config({"comparisons": {"c": spec}})["comparisons"]["c"])
