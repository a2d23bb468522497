"""Every registry in step with its schema enum and with the workflow, and every entry carrying the
words the report's captions and config/README.md are written from."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from likertflow import disclosure, exclusions, rank_tests
from likertflow.figure_kinds import FIGURE_KINDS
from likertflow.platforms import PLATFORMS
from likertflow.schemas import CODEBOOK_SCHEMA, CONFIG_SCHEMA, read_yaml
from likertflow.settings import Disclosure
from support import filled

CONFIG = read_yaml(CONFIG_SCHEMA)["properties"]
CODEBOOK = read_yaml(CODEBOOK_SCHEMA)["$defs"]
FIGURES_SMK = REPO / "workflow" / "rules" / "figures.smk"


def rule_block(path, rule: str) -> str:
    """The text of one rule of a .smk file."""
    blocks = re.split(r"^(?=rule )", path.read_text(encoding="utf-8"), flags=re.M)
    [block] = [block for block in blocks if block.startswith(f"rule {rule}:")]
    return block


def figure_captions() -> list[str]:
    """The captions of the rules in figures.smk, by the names config study.notes gives them."""
    text = FIGURES_SMK.read_text(encoding="utf-8")
    return sorted(re.findall(r'caption="\.\./report/(\w+)\.rst"', text))


# Registry -> (its names, the names the schema allows): equal, in order where the schema's order
# is what the registry's order means (none here: registration order picks `auto`'s test).
REGISTRIES = {
    "statistical tests": (
        lambda: sorted(rank_tests.TESTS),
        lambda: sorted(set(CONFIG["comparisons"]["additionalProperties"]["properties"]["test"]
                           ["enum"]) - {rank_tests.AUTO}),
    ),  # fmt: skip
    "exclusion rules": (
        lambda: sorted(exclusions.RULES),
        lambda: sorted(CONFIG["exclusions"]["items"]["properties"]["rule"]["enum"]),
    ),
    "disclosure rules": (
        lambda: sorted(disclosure.RULES),
        lambda: sorted(CONFIG["disclosure"]["properties"]["rule"]["enum"]),
    ),
    "platforms": (
        lambda: list(PLATFORMS),
        lambda: CODEBOOK["questionnaire"]["properties"]["export"]["properties"]["format"]["enum"],
    ),
    # a figure kind's caption is a name of study.notes, as the captions of its rules are
    "figure kinds": (
        lambda: sorted(kind.caption for kind in FIGURE_KINDS.values()),
        lambda: [name for name in figure_captions()
                 if name in CONFIG["study"]["properties"]["notes"]["propertyNames"]["enum"]],
    ),  # fmt: skip
    # and its name one of config figures.draw's
    "figure kinds drawn": (
        lambda: sorted(FIGURE_KINDS),
        lambda: sorted(CONFIG["figures"]["properties"]["draw"]["items"]["enum"]),
    ),
}


@pytest.mark.parametrize("registry", list(REGISTRIES))
def test_registry_and_schema_name_the_same_entries(registry):
    names, allowed = REGISTRIES[registry]
    assert names() == allowed(), f"{registry}: the registry and the schema's enum differ"


@pytest.mark.parametrize("name", list(rank_tests.TESTS))
def test_every_test_carries_its_words(name):
    test = rank_tests.TESTS[name]
    for field in ("title", "description", "method", "effect", "interval", "reference"):
        assert getattr(test, field).strip(), f"{name}: no {field}"
    assert bool(test.posthoc) == bool(test.posthoc_method), name
    settings = filled.analysis(rank_tests.ComparisonSettings, confidence_level=0.9, seed=7)
    words = test.words(settings)
    assert "{" not in words["interval"] + words["posthoc_method"], "a setting not filled in"
    if "{level}" in test.interval:
        assert "90%" in words["interval"]


@pytest.mark.parametrize("name", list(exclusions.RULES))
def test_every_exclusion_rule_carries_its_words(name):
    rule = exclusions.RULES[name]
    assert rule.description.strip()
    entry = {"id": "x", "rule": name, "question": "age", "labels": ["Under 18"], "value": 18}
    assert rule.explain(entry).strip()


@pytest.mark.parametrize("name", list(disclosure.RULES))
def test_every_disclosure_rule_carries_its_words(name):
    rule = disclosure.RULES[name]
    assert "{" not in rule.describe() and "{" not in rule.describe(Disclosure(name, 10))
    if "{min_count}" in rule.description:
        assert "10" in rule.describe(Disclosure(name, 10))
        assert "``min_count``" in rule.describe()  # config/README.md names the key


@pytest.mark.parametrize("name", list(FIGURE_KINDS))
def test_every_figure_kind_is_what_its_rule_draws(name):
    """The registry's entry is true of figures.smk: its rule draws the kind's files with its
    script, its caption and its plotting module."""
    kind = FIGURE_KINDS[name]
    assert kind.title.strip() and kind.description.strip()
    block = rule_block(FIGURES_SMK, kind.rule)
    stem = f"{{figure}}{kind.suffix}" if kind.config else kind.stem
    # one job per figure (its wildcard) or one job for all of a config section's (a loop)
    assert f'"results/figures/{stem}.png"' in block
    assert f'figure_files("{stem}")' in block or "figure_files(figure)" in block
    assert f'caption="../report/{kind.caption}.rst"' in block
    assert f'"../scripts/{kind.script}"' in block
    assert re.search(rf'library\([^)]*"{kind.module}"', block), f"{kind.rule}: {kind.module}"
    assert (REPO / "workflow" / "scripts" / "likertflow" / f"{kind.module}.py").is_file()
    if kind.config:
        assert kind.config in CONFIG, f"no config section {kind.config}"


def test_every_rule_of_figures_smk_is_a_figure_kind():
    rules = re.findall(r"^rule (\w+):", FIGURES_SMK.read_text(encoding="utf-8"), flags=re.M)
    assert sorted(rules) == sorted(kind.rule for kind in FIGURE_KINDS.values())
