"""Typed settings (likertflow.settings): in step with the config schema, loud about a missing or
unread key, and passed by every rule exactly as its job reads them."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import fields

import pytest
from conftest import REPO
from likertflow import settings
from likertflow.schemas import CONFIG_SCHEMA, read_yaml
from likertflow.settings import (
    ANALYSIS_SETTINGS,
    Comparison,
    ComparisonSettings,
    Disclosure,
    SettingsError,
)
from support import filled
from support.rules import rule_scripts

SCHEMA = read_yaml(CONFIG_SCHEMA)["properties"]
# The schema node of each section class's keys.
SECTIONS = {
    Disclosure: SCHEMA["disclosure"],
    Comparison: SCHEMA["comparisons"]["additionalProperties"],
    **{cls: SCHEMA["analysis"] for cls in ANALYSIS_SETTINGS},
}
JSON_TYPES = {"integer": int, "number": float, "string": str, "array": tuple}


def field_type(cls, name: str):
    """The field's type, None taken out of an optional one (``str | None`` -> str)."""
    hint = typing.get_type_hints(cls)[name]
    if isinstance(hint, types.UnionType):
        [hint] = [kind for kind in typing.get_args(hint) if kind is not type(None)]
    return typing.get_origin(hint) or hint


@pytest.mark.parametrize("cls", list(SECTIONS), ids=lambda cls: cls.__name__)
def test_every_field_is_a_schema_key_with_its_type_and_no_default_of_its_own(cls):
    node = SECTIONS[cls]
    properties, required = node["properties"], set(node.get("required", []))
    for item in fields(cls):
        assert item.name in properties, f"{cls.__name__}.{item.name} is no key of the schema"
        spec = properties[item.name]
        # optional: the schema lets a config leave it out and gives it no default (then None)
        loose = item.name not in required and "default" not in spec
        assert bool(item.metadata.get("optional")) == loose, f"{cls.__name__}.{item.name}"
        if "$ref" in spec:  # a shared definition, e.g. output_name (a string pattern)
            spec = {**read_yaml(CONFIG_SCHEMA)["$defs"][spec["$ref"].rsplit("/", 1)[-1]], **spec}
        kind = JSON_TYPES[spec["type"]]
        assert field_type(cls, item.name) is kind, f"{cls.__name__}.{item.name}"
    if cls not in ANALYSIS_SETTINGS:  # a whole section: every key of it
        assert [item.name for item in fields(cls)] == list(properties)


def test_every_analysis_setting_is_read_by_some_job():
    read = {name for cls in ANALYSIS_SETTINGS for name in cls.keys()}
    assert read == set(SCHEMA["analysis"]["properties"])


def test_a_missing_or_unread_key_is_named():
    params = {"confidence_level": 0.95, "bootstrap_resamples": 2000}
    with pytest.raises(SettingsError) as caught:
        settings.AgreementSettings.from_params({**params, "alpha": 0.05})
    assert "analysis.seed: missing" in str(caught.value)
    assert "analysis.alpha: not read by AgreementSettings" in str(caught.value)
    with pytest.raises(SettingsError, match=r"comparisons\.c\.family: missing"):
        Comparison.from_params({"by": "survey", "outcomes": ["t"]}, "comparisons.c")
    with pytest.raises(SettingsError, match="expected a mapping"):
        Disclosure.from_params(None)


def test_the_schemas_defaults_fill_what_a_config_leaves_out():
    spec = filled.comparison(by="survey", surveys=["a", "b"], outcomes=["t"], family="f")
    assert spec == Comparison(
        by="survey", survey=None, surveys=("a", "b"), omit=(), outcomes=("t",), family="f",
        test="auto", adjust_for=(),
    )  # fmt: skip
    assert filled.analysis(ComparisonSettings) == ComparisonSettings(
        p_adjust="holm", min_group_size=5, confidence_level=0.95, bootstrap_resamples=2000,
        seed=20200507,
    )  # fmt: skip
    assert Disclosure.from_params({"rule": "none"}).min_count is None


def test_each_rule_passes_exactly_the_analysis_settings_its_job_reads():
    """Params are the rerun contract: a rule passes the keys of the settings class its script
    builds, so that changing another setting reruns none of its jobs (and a job never runs
    without a setting it reads)."""
    classes = {cls.__name__: cls for cls in ANALYSIS_SETTINGS}
    checked = set()
    for rule, (block, path) in rule_scripts(REPO).items():
        script = path.read_text(encoding="utf-8")
        # a job of several parts (issue 22, decision 4) passes each part's settings as a param
        # of its own: param name -> the keys passed, and -> the settings class built from it
        passed = dict(re.findall(r"(\w+)=analysis_settings\(([^)]*)\)", block))
        built = {
            param: name
            for name, param in re.findall(
                r"(\w+Settings)\.from_params\(snakemake\.params\.(\w+)\)", script
            )
            if name in classes
        }
        assert set(passed) == set(built), f"{rule}: analysis settings params and their classes"
        for param, keys in passed.items():
            assert re.findall(r'"(\w+)"', keys) == classes[built[param]].keys(), (rule, param)
            checked.add(built[param])
    assert checked == set(classes)  # every class is what some rule's job reads (one may serve two)


def test_the_message_lists_each_problem_on_its_own_line_and_says_what_to_do():
    with pytest.raises(SettingsError) as caught:
        settings.AdjustmentSettings.from_params({"alpha": 0.05, "seed": 1})
    assert str(caught.value) == (
        "AdjustmentSettings settings do not match what the job reads (a rule passes exactly the "
        "keys its job reads; the config schema fills in every default):\n"
        "  - analysis.p_adjust: missing\n"
        "  - analysis.seed: not read by AdjustmentSettings"
    )
    assert (
        settings.AdjustmentSettings.from_params({"alpha": 0.05, "p_adjust": "holm"}).alpha == 0.05
    )


def test_counted_comparisons_keep_who_is_compared_on_what_not_how():
    """A batch's cells read of a comparison only who is compared on what: editing its ``family``
    or ``test`` leaves the counted entry equal (no batch recounts); an optional key the config
    leaves out stays out (the entry is still valid settings of the cells), and every other key
    reaches them."""
    raw = {
        "across": {"by": "survey", "surveys": ["a", "b"], "outcomes": ["t"], "family": "f"},
        "within": {"survey": "a", "by": "sex", "omit": ["Other"], "outcomes": ["t", "q1"],
                   "family": "g", "test": "kruskal_wallis", "adjust_for": ["age"]},
    }  # fmt: skip
    filled_in = filled.config({"comparisons": raw})["comparisons"]
    counted = settings.counted_comparisons(filled_in)
    assert counted == {
        "across": {"by": "survey", "surveys": ["a", "b"], "omit": [], "outcomes": ["t"],
                   "adjust_for": []},
        "within": {"by": "sex", "survey": "a", "omit": ["Other"], "outcomes": ["t", "q1"],
                   "adjust_for": ["age"]},
    }  # fmt: skip
    edited = {name: {**entry, "family": "other", "test": "mann_whitney"}
              for name, entry in filled_in.items()}  # fmt: skip
    assert settings.counted_comparisons(edited) == counted
    within = settings.CountedComparison.from_params(counted["within"], "comparisons.within")
    assert (within.by, within.survey, within.surveys, within.adjust_for) == ("sex", "a", None,
                                                                            ("age",))  # fmt: skip
    with pytest.raises(SettingsError, match=r"comparisons\.within\.family: not read by "):
        settings.CountedComparison.from_params(filled_in["within"], "comparisons.within")
    assert settings.counted_comparisons({}) == {}
