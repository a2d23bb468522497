"""Typed settings: the config sections the library reads, as frozen dataclasses with no defaults.

The config schema (``workflow/schemas/config.schema.yaml``) is the one home of every default:
``likertflow.schemas.validate`` fills them in before anything reads the config. These classes add
types and a loud failure, never a default of their own: building one from a mapping that lacks a
key raises ``SettingsError`` naming it (a rule that forgot to pass a setting would otherwise let a
default written in code change a result silently), and so does a key the class does not read (a
job given a setting it does not use reruns, for nothing, whenever that setting changes). A key the
schema lets a config leave out, and gives no default, is ``None`` when absent (``optional``).

Rules pass plain dicts as params, never these objects: Snakemake decides whether a job's params
changed by comparing the ``repr`` of builtin values (``PersistenceBase._serialize_param_builtin``)
and leaves any other object out of the comparison, so a changed field of a dataclass param would
rerun nothing. A job's script turns its params into these classes first thing (``from_params``).

Each ``*Settings`` class is what one rule's jobs read of config ``analysis``; the rule passes
exactly its keys (``analysis_settings(...)`` in ``workflow/rules/common.smk``). A test keeps every
class in step with the schema (tests/unit/test_settings.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import ClassVar

OPTIONAL = {"optional": True}  # field metadata: the schema lets the key be left out, no default


class SettingsError(ValueError):
    """Settings that lack a key the job reads, or have one it does not read."""


def _frozen(value):
    """A config value as an immutable one: lists as tuples, mappings left as they are."""
    return tuple(_frozen(item) for item in value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Section:
    """A config section read by the library: every field a key of the section."""

    SECTION: ClassVar[str]  # where the keys are in the config, for messages

    @classmethod
    def from_params(cls, values: Mapping, where: str | None = None):
        """The settings of ``values`` (a rule's param, or the config section); ``SettingsError``
        naming every missing or unexpected key, at ``where`` (default: the config section)."""
        where = where or cls.SECTION
        if not isinstance(values, Mapping):
            raise SettingsError(f"{where}: expected a mapping of settings, got {values!r}")
        known = {item.name: item for item in fields(cls)}
        missing = [
            name for name, item in known.items()
            if name not in values and not item.metadata.get("optional")
        ]  # fmt: skip
        unexpected = [name for name in values if name not in known]
        if missing or unexpected:
            problems = [f"{where}.{name}: missing" for name in missing]
            problems += [f"{where}.{name}: not read by {cls.__name__}" for name in unexpected]
            raise SettingsError(
                f"{cls.__name__} settings do not match what the job reads (a rule passes exactly "
                "the keys its job reads; the config schema fills in every default):\n  - "
                + "\n  - ".join(problems)
            )
        return cls(**{name: _frozen(values.get(name)) for name in known})

    @classmethod
    def keys(cls) -> list[str]:
        """The config keys these settings read, in order."""
        return [item.name for item in fields(cls)]


# --- What each rule reads of config `analysis` ---------------------------------------------------


@dataclass(frozen=True)
class ComparisonSettings(Section):
    """Rule compare_groups: the rank tests, their effect-size intervals and Dunn's pairs."""

    SECTION = "analysis"
    p_adjust: str  # Dunn's pairs, adjusted within their outcome
    min_group_size: int
    confidence_level: float
    bootstrap_resamples: int
    seed: int


@dataclass(frozen=True)
class AdjustmentSettings(Section):
    """Rule compare_groups, its adjustment: p adjusted within families, the post-hoc gate."""

    SECTION = "analysis"
    p_adjust: str
    alpha: float


@dataclass(frozen=True)
class OrdinalSettings(Section):
    """Rule compare_groups, its ordinal models: Wald intervals, the proportional-odds warning."""

    SECTION = "analysis"
    confidence_level: float
    alpha: float


@dataclass(frozen=True)
class ReliabilitySettings(Section):
    """Rule summarise_themes, its reliability: Cronbach's alpha intervals, the alpha below which
    it warns, and the significance level a published p is printed against (under a disclosure
    rule)."""

    SECTION = "analysis"
    confidence_level: float
    min_cronbach_alpha: float
    alpha: float


@dataclass(frozen=True)
class ManuscriptSettings(Section):
    """Rule write_manuscript_tables: the significance level the p column is printed against, and
    the confidence level its intervals are named with."""

    SECTION = "analysis"
    alpha: float
    confidence_level: float


@dataclass(frozen=True)
class AgreementSettings(Section):
    """Rule summarise_themes, its agreement: Wilson and bootstrap intervals of % agree, and how a
    reverse-keyed statement is counted."""

    SECTION = "analysis"
    confidence_level: float
    bootstrap_resamples: int
    seed: int
    reverse_keyed_agreement: str  # keyed or leave_out


@dataclass(frozen=True)
class WeightingSettings(Section):
    """Rules of a questionnaire with a survey design (codebook ``design``) and of pairs: the
    level of every interval, the method of a weighted percentage's interval
    (survey::svyciprop's), and what a design effect compares with."""

    SECTION = "analysis"
    confidence_level: float
    proportion_interval: str
    design_effect: str  # srswor or srswr (likertflow.design.DEFF_VARIANTS)


ANALYSIS_SETTINGS = (
    ComparisonSettings, AdjustmentSettings, OrdinalSettings, ReliabilitySettings,
    ManuscriptSettings, AgreementSettings, WeightingSettings,
)  # fmt: skip


# --- Other sections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disclosure(Section):
    """Config ``disclosure``: the rule of ``likertflow.disclosure.RULES`` and its setting."""

    SECTION = "disclosure"
    rule: str
    min_count: int | None = field(metadata=OPTIONAL)  # rule threshold only (the schema says so)


@dataclass(frozen=True)
class Pair(Section):
    """One entry of config ``pairs``: the two waves and the statements compared."""

    SECTION = "pairs.<name>"
    before: str
    after: str
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class CountedComparison(Section):
    """What the counted cells of a comparison read of its config entry (``likertflow.grouping``,
    each export batch's partial results): who is compared on what, not how. Rules pass each
    batch's job only these keys, so editing a comparison's ``family`` or ``test`` recounts no
    batch (issue 22)."""

    SECTION = "comparisons.<name>"
    by: str  # "survey", or a question id of ``survey``
    survey: str | None = field(metadata=OPTIONAL)  # by a question: its questionnaire
    surveys: tuple[str, ...] | None = field(metadata=OPTIONAL)  # by survey: the questionnaires
    omit: tuple[str, ...]
    outcomes: tuple[str, ...]
    adjust_for: tuple[str, ...]


def counted_comparisons(comparisons: Mapping) -> dict:
    """Config ``comparisons`` with, of each entry, only the keys its counted cells read."""
    return {
        name: {key: entry[key] for key in CountedComparison.keys() if key in entry}
        for name, entry in comparisons.items()
    }


@dataclass(frozen=True)
class Comparison(CountedComparison):
    """One entry of config ``comparisons``: who is compared, on what, with which test."""

    family: str
    test: str
