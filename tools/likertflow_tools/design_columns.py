"""The survey design an export ships: its weight, strata, clusters and population sizes, drafted as
a codebook ``design:`` block, each choice with its reason.

``find_design(table, keys)`` looks at every column's name and label against
``data/design_columns.yaml`` (the names the ESS, GSS, NHANES, BRFSS and others give them, and
labels saying "weight", "stratum", "sampling unit"), then checks the values: a weight positive and
finite on every response and not all equal; a stratum or cluster column with no blank and few
distinct values (a stratum or a cluster holds several responses); a population size positive,
the same within a stratum, and at least the number sampled there. What passes goes into the
block; what is doubtful (several weights of the same standing, weights that are whole numbers, a
population size given as a sampling fraction) is written commented out, with the reason. Every
column recognised as a design column is kept out of the questions, whatever its values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

DATA = Path(__file__).resolve().parent / "data"
ROLES = ("replicate", "weight", "strata", "clusters", "fpc")
# A stratum or cluster column has few distinct values: on average at least this many responses
# in each (a column with a value per response is an id, not a sampling unit).
PER_UNIT = 2
SHOWN = 5  # values or strata named in a reason
# A label (an SPSS variable label, or a plain CSV's header, which is the question) names a design
# column only if it is short and no question: "Final survey weight", not "I am happy with my
# weight and my diet?".
LABEL_WORDS = 6
# Weights, population sizes and replicate weights are numbers: a column whose answers are mostly
# not numbers is a question, whatever its name ("Weight": Underweight, Normal, Overweight).
NUMBERED = ("replicate", "weight", "fpc")
# The answers of a rating scale: whole numbers, at most this many distinct (the drafter's
# NUMERIC_DISTINCT).
SCALE_POINTS = 11


@dataclass(frozen=True)
class Role:
    names: re.Pattern
    labels: re.Pattern
    weak_names: re.Pattern | None = None
    not_labels: re.Pattern | None = None
    prefer: tuple[re.Pattern, ...] = ()
    design_only: re.Pattern | None = None


@cache
def roles() -> dict[str, Role]:
    """The patterns of ``data/design_columns.yaml``, by role."""
    data = yaml.safe_load((DATA / "design_columns.yaml").read_text(encoding="utf-8"))["roles"]

    def optional(entry: dict, key: str) -> re.Pattern | None:
        return re.compile(entry[key], re.IGNORECASE) if key in entry else None

    return {
        role: Role(
            names=re.compile("|".join(f"(?:{p})" for p in entry["names"])),
            labels=re.compile(entry["labels"], re.IGNORECASE),
            weak_names=re.compile(entry["weak_names"]) if "weak_names" in entry else None,
            not_labels=optional(entry, "not_labels"),
            prefer=tuple(re.compile(p, re.IGNORECASE) for p in entry.get("prefer", ())),
            design_only=optional(entry, "design_only"),
        )
        for role, entry in data.items()
    }


def _name(name: str) -> str:
    """A column name as the patterns match it: lower case, other characters as one "_"."""
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


@dataclass
class Candidate:
    key: str  # the codebook's name of the column (its text or its id, as export.match says)
    column_id: str
    text: str
    values: pd.Series
    why: str  # what named it: "its name 'anweight'", "its label 'Sampling stratum'"


@dataclass
class DesignDraft:
    """The drafted design of one questionnaire.

    ``block``: the design written into the codebook (empty: none); ``commented``: a design
    written commented out, for a person to decide (empty: none); ``notes``: one line per column
    looked at, why it was or was not taken; ``todos``: what a person must decide; ``columns``:
    every column recognised as a design column, never drafted as a question.
    """

    block: dict = field(default_factory=dict)
    commented: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)

    def yaml_lines(self, indent: str) -> list[str]:
        """Comment lines at ``indent`` saying why each design column was or was not taken,
        followed, when the design is not written (``commented``), by the design commented
        out."""
        if not (self.block or self.commented or self.notes):
            return []
        lines = [f"{indent}# The survey design, from the export's columns (docs/weights.md):"]
        lines += [f"{indent}#   {note}" for note in self.notes]
        if self.commented:
            lines.append(f"{indent}# Not declared: decide, then remove the '# ' before each line:")
            dumped = yaml.safe_dump(
                {"design": self.commented}, allow_unicode=True, sort_keys=False, width=100
            )
            lines += [f"{indent}# {line}" for line in dumped.splitlines()]
        return lines


def role_of(column_id: str, text: str) -> tuple[str, str] | None:
    """The design role a column's name or label gives it, and what gave it, or None."""
    for role, patterns in roles().items():
        label_said = patterns.not_labels is not None and patterns.not_labels.search(text)
        for name in dict.fromkeys((column_id, text)):
            if patterns.names.fullmatch(_name(name)) and not label_said:
                return role, f"its name {name!r}"
            weak = patterns.weak_names
            if weak is not None and weak.fullmatch(_name(name)) and not label_said:
                return role, f"its name {name!r} (a name a question could have)"
        short = len(text.split()) <= LABEL_WORDS and "?" not in text
        if patterns.labels.search(text) and short and not label_said:
            return role, f"its label {text!r}"
    return None


def _plausible(role: str, values: pd.Series, weak: bool = False) -> bool:
    """Whether a column named for ``role`` holds what such a column holds: numbers, mostly, for
    a weight or a population size (strata and clusters may be labels); for a ``weak`` name, not
    the codes of a rating scale."""
    if role not in NUMBERED:
        return True
    answered = values.dropna()
    numbers = pd.to_numeric(answered, errors="coerce")
    if len(answered) and numbers.notna().mean() <= 0.5:
        return False
    codes = numbers.dropna()
    coded = len(codes) and (codes == codes.round()).all() and codes.nunique() <= SCALE_POINTS
    return not (weak and coded)


def find_design(table, keys: list[str]) -> DesignDraft:
    """The design of an export (a ``likertflow.platforms.base.Table``) whose columns the codebook
    names ``keys``."""
    found: dict[str, list[Candidate]] = {role: [] for role in ROLES}
    for position, key in enumerate(keys):
        column_id, text = table.ids[position], table.texts[position]
        role = role_of(column_id, text)
        values = table.data[position]
        if role is not None and _plausible(role[0], values, "question could" in role[1]):
            found[role[0]].append(Candidate(key, column_id, text, values, role[1]))
    drafted = DesignDraft()
    if not found["weight"] and not found["replicate"]:
        # An unweighted export: a "Cluster" or "Stratum" column is a question (a staff survey's
        # directorate cluster), drafted as before, with a TODO in case the survey is weighted.
        sampling = [c.key for role in ("strata", "clusters", "fpc") for c in found[role]]
        if sampling:
            drafted.todos.append(
                f"design: {_few(map(repr, sampling))} named like a sampling design's strata, "
                "clusters or population size, but the export has no weight column: drafted as "
                "question(s); if the survey is weighted, declare its design (docs/weights.md)"
            )
        return drafted
    drafted.columns = {c.key for candidates in found.values() for c in candidates}
    _replicates(found["replicate"], drafted)
    design: dict = {}
    sure = _weight(found["weight"], design, drafted)
    sure &= _units(found["strata"], "strata", design, drafted)
    sure &= _units(found["clusters"], "clusters", design, drafted)
    sure &= _fpc(found["fpc"], design, drafted, _sampled(design, keys, table))
    if "weight" not in design:
        if design:
            drafted.notes.append(
                "no weight column: a design needs one (codebook design.weight); strata and "
                "clusters alone are not declared"
            )
            drafted.todos.append(
                "design: the export has sampling columns ("
                + ", ".join(f"{k!r}" for k in design.values())
                + ") but no weight the draft could take; if the survey is weighted, name its "
                "weight column in design.weight (docs/weights.md)"
            )
        return drafted
    lonely = _lonely(design, keys, table)
    if lonely:
        design["lonely_psu"] = "adjust"
        drafted.notes.append(
            f"{len(lonely)} stratum/strata with a single sampled cluster ({_few(lonely)}): "
            "lonely_psu: adjust (centred at the population mean, conservative); the default, "
            "fail, would stop the run"
        )
        drafted.todos.append(
            "design.lonely_psu: adjust, because strata have a single sampled cluster; check "
            "which rule the survey's documentation recommends (docs/weights.md)"
        )
    if "strata" not in design and "clusters" not in design:
        drafted.todos.append(
            "design: a weight but no strata or clusters recognised: the intervals then assume "
            "a simple random sample; name them (design.strata, design.clusters) if the export "
            "has them"
        )
    if sure:
        drafted.block = design
        drafted.todos.append(
            "design: drafted from the export's columns (the comments above it say why each "
            "was taken); check it against the survey's documentation"
        )
    else:
        drafted.commented = design
        drafted.todos.append(
            "design: written commented out, because the draft is not sure (the comments say "
            "why); decide, then remove the '# ' before its lines"
        )
    return drafted


def _replicates(candidates: list[Candidate], drafted: DesignDraft) -> None:
    """Replicate weights: named, not supported (the workflow refuses them at start-up)."""
    if not candidates:
        return
    names = [c.key for c in candidates]
    drafted.notes.append(
        f"{len(names)} replicate weight(s) ({_few(map(repr, names))}; by {candidates[0].why}): "
        "not supported, not declared (the design is the full-sample weight with its strata "
        "and clusters, Taylor linearisation)"
    )
    drafted.todos.append(
        f"design: the export has {len(names)} replicate weight(s) ({_few(names)}), which the "
        "workflow does not support: the draft declares the full-sample weight with its strata "
        "and clusters where it found them; if the survey publishes no strata or clusters, "
        "analyse it with survey::svrepdesign() in R (docs/weights.md)"
    )


def _numbers(values: pd.Series) -> pd.Series | None:
    """A column's values as numbers (blanks as NaN), or None if some are not numbers."""
    numbers = pd.to_numeric(values, errors="coerce")
    if (numbers.isna() & values.notna()).any():
        return None
    return numbers.astype(float)


def _few(items) -> str:
    items = list(items)
    shown = ", ".join(map(str, items[:SHOWN]))
    return shown + (f" and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def _number(value: float) -> str:
    return f"{value:.6g}"


def _weight(candidates: list[Candidate], design: dict, drafted: DesignDraft) -> bool:
    """Take the weight among ``candidates``; False where a person must decide."""
    usable = []
    for c in candidates:
        numbers = _numbers(c.values)
        problem = None
        if numbers is None:
            problem = "has values that are not numbers"
        elif numbers.isna().any():
            problem = f"is blank on {int(numbers.isna().sum())} response(s)"
        elif not np.isfinite(numbers).all() or (numbers <= 0).any():
            problem = "has values that are not positive finite numbers"
        elif numbers.nunique() == 1:
            problem = (
                f"is the same on every response ({_number(numbers.iloc[0])}): weighting by "
                "it changes nothing (a population size weight, for combining countries?)"
            )
        if problem:
            drafted.notes.append(f"{c.key!r} (a weight by {c.why}) {problem}: not taken")
            continue
        usable.append((c, numbers))
    if not usable:
        return True
    role = roles()["weight"]

    def rank(c: Candidate) -> int:
        for position, pattern in enumerate(role.prefer):
            if pattern.search(c.column_id) or pattern.search(c.text):
                return position
        return len(role.prefer)

    ranks = [rank(c) for c, _ in usable]
    best = [pair for pair, r in zip(usable, ranks, strict=True) if r == min(ranks)]
    chosen, numbers = best[0]
    design["weight"] = chosen.key
    sure = True
    summary = (
        f"{chosen.key!r} as the weight ({chosen.why}; positive on all {len(numbers):,} "
        f"responses, {_number(numbers.min())} to {_number(numbers.max())})"
    )
    if len(best) > 1:
        sure = False
        drafted.notes.append(
            summary + "; but " + ", ".join(repr(c.key) for c, _ in best[1:]) + " are weights of "
            "the same standing: which one the survey's documentation says to analyse with?"
        )
    elif (numbers == numbers.round()).all():
        sure = False
        drafted.notes.append(
            summary + "; but all are whole numbers: a frequency weight, or a count or measure "
            "rather than a survey weight? check (if it is a question, declare it under questions)"
        )
    else:
        drafted.notes.append(summary)
    for other, values in usable:
        if other is chosen:
            continue
        ratio = values / numbers
        relation = (
            f"proportional to {chosen.key!r} (x{_number(ratio.iloc[0])}): the same estimates"
            if np.allclose(ratio, ratio.iloc[0], rtol=1e-6)
            else "gives other estimates"
        )
        kind = (
            "a design weight"
            if role.design_only
            and (role.design_only.search(other.column_id) or role.design_only.search(other.text))
            else "another weight"
        )
        drafted.notes.append(f"{other.key!r} is {kind} ({other.why}), {relation}: not taken")
    return sure


def _units(candidates: list[Candidate], role: str, design: dict, drafted: DesignDraft) -> bool:
    """Take the stratum or cluster column among ``candidates``; False where a person must
    decide."""
    usable = []
    for c in candidates:
        values = c.values
        distinct = values.nunique()
        problem = None
        if values.isna().any():
            problem = f"is blank on {int(values.isna().sum())} response(s)"
        elif distinct < 2:
            problem = "has a single value: no " + ("stratification" if role == "strata" else
                                                   "clustering")  # fmt: skip
        elif distinct * PER_UNIT > len(values):
            problem = (
                f"has {distinct:,} distinct values in {len(values):,} responses: too many for "
                f"{role} (an id?)"
            )
        if problem:
            drafted.notes.append(f"{c.key!r} ({role} by {c.why}) {problem}: not taken")
            continue
        usable.append(c)
    if not usable:
        return True
    chosen = usable[0]
    design[role] = chosen.key
    units = "strata" if role == "strata" else "clusters (primary sampling units)"
    drafted.notes.append(
        f"{chosen.key!r} as the {role} ({chosen.why}; {chosen.values.nunique():,} {units}, "
        "none blank)"
    )
    if len(usable) > 1:
        drafted.notes.append(
            "but " + ", ".join(repr(c.key) for c in usable[1:]) + f" could be the {role} too"
        )
        return False
    return True


def _sampled(design: dict, keys: list[str], table) -> pd.DataFrame:
    """Each response's stratum (one stratum without strata) and sampling unit (the response
    itself without clusters), as text."""
    rows = len(table.data)

    def column(role: str, default) -> pd.Series:
        if role in design:
            return table.data[keys.index(design[role])].astype(str).reset_index(drop=True)
        return pd.Series(default, dtype=str)

    return pd.DataFrame(
        {
            "stratum": column("strata", [""] * rows),
            "unit": column("clusters", [str(n) for n in range(rows)]),
        }
    )


def _fpc(
    candidates: list[Candidate], design: dict, drafted: DesignDraft, sampled: pd.DataFrame
) -> bool:
    """Take a population-size column among ``candidates``: the same within a stratum and at
    least the units sampled there; False where a person must decide."""
    sure = True
    for c in candidates:
        numbers = _numbers(c.values)
        if numbers is None or numbers.isna().any() or (numbers <= 0).any():
            drafted.notes.append(
                f"{c.key!r} (a population size by {c.why}) is not a positive number on every "
                "response: not taken"
            )
            continue
        if (numbers <= 1).all():
            drafted.notes.append(
                f"{c.key!r} (by {c.why}) holds sampling fractions (at most 1); design.fpc takes "
                "the number of sampling units in the population: give that column instead"
            )
            sure = False
            continue
        if "fpc" in design:
            drafted.notes.append(f"{c.key!r} could be the population size too: not taken")
            sure = False
            continue
        frame = sampled.assign(fpc=numbers.reset_index(drop=True))
        by_stratum = frame.groupby("stratum")
        varies = by_stratum["fpc"].nunique()
        small = by_stratum["fpc"].first() < by_stratum["unit"].nunique()
        if (varies > 1).any() or small.any():
            bad = sorted(varies[varies > 1].index) or sorted(small[small].index)
            drafted.notes.append(
                f"{c.key!r} (a population size by {c.why}) "
                + (
                    "differs within a stratum"
                    if (varies > 1).any()
                    else "is smaller than the units sampled in a stratum"
                )  # fmt: skip
                + f" ({_few(bad)}): not a finite population correction; not taken"
            )
            sure = False
            continue
        design["fpc"] = c.key
        drafted.notes.append(
            f"{c.key!r} as the finite population correction ({c.why}; from "
            f"{_number(numbers.min())} to {_number(numbers.max())})"
        )
    return sure


def _lonely(design: dict, keys: list[str], table) -> list[str]:
    """The strata with a single sampled cluster (or response, without clusters)."""
    if "strata" not in design:
        return []
    strata = table.data[keys.index(design["strata"])]
    if "clusters" in design:
        units = table.data[keys.index(design["clusters"])]
    else:
        units = pd.Series(range(len(strata)), index=strata.index)
    counts = pd.DataFrame({"s": strata.astype(str), "u": units.astype(str)}).groupby("s")["u"]
    per_stratum = counts.nunique()
    return sorted(per_stratum[per_stratum == 1].index)
