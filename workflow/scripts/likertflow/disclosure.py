"""Statistical disclosure control: which counts and statistics a shareable table may show.

A rule is chosen in config (``disclosure: {rule: ...}``) and looked up in ``RULES``, a registry
of rule name -> the function building its ``Policy`` from the settings and its words, from which
the report's front page and config/README.md describe it (one schema entry each, in
``workflow/schemas/config.schema.yaml``). A policy says which counts are suppressed (primary
suppression: 1 to ``min_count`` - 1; zero is published), how the others are rounded, and the
smallest group whose median, mean rank or test may be shown.

Primary suppression alone is not enough: a hidden cell can be recovered by subtracting the
published cells from their total. ``protect`` therefore adds secondary suppressions until
``recover`` (an attacker who knows the rule and every published number, and even which cells
were suppressed first) pins down no suppressed cell. ``recover`` propagates the interval each
cell can lie in through every "parts sum to a total" relation, to a fixed point.

A suppressed value is written ``SUPPRESSED`` ("*") in every table and shown so on figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass

from likertflow.settings import Disclosure

SUPPRESSED = "*"
# Columns of results/tables/*.csv that hold counts of respondents.
COUNT_COLUMNS = ("n", "denominator", "n_agree", "n_a", "n_b")
# Not published: the respondents on the smaller side of an odds ratio's contrast (its level or
# its reference), which decides whether the rule lets it be shown (``publishing.publish_ordinal``).
SMALLEST_LEVEL_N = "smallest_level_n"

Key = Hashable
Constraint = tuple[list[Key], Key]  # (parts, total): the parts sum to the total


@dataclass(frozen=True)
class Policy:
    """What a disclosure rule allows to be published."""

    rule: str
    min_count: int = 0  # counts from 1 to min_count - 1 are suppressed
    rounding: int = 1  # other counts are rounded to the nearest multiple of this
    min_statistic_n: int = 0  # no median, mean rank or test for a smaller group

    @property
    def applies(self) -> bool:
        """False for a rule that publishes everything exactly (the tables are left untouched)."""
        return self.min_count > 1 or self.rounding > 1 or self.min_statistic_n > 0

    def primary(self, n: int) -> bool:
        """Whether a count is suppressed for its own sake."""
        return 0 < n < self.min_count

    def rounded(self, n: int) -> int:
        """A count rounded to the nearest multiple of ``rounding`` (halves up)."""
        return self.rounding * ((2 * int(n) + self.rounding) // (2 * self.rounding))

    def publish(self, n: int) -> int | str:
        """A count as published on its own (no secondary suppression)."""
        return SUPPRESSED if self.primary(n) else self.rounded(n)

    def statistic_allowed(self, n) -> bool:
        """Whether a median, mean rank or test of a group of ``n`` may be published."""
        return n != SUPPRESSED and int(n) >= self.min_statistic_n

    def interval(self, published, primary: bool = False) -> tuple[float, float]:
        """The true counts consistent with a published value, as an attacker knowing the rule
        sees them; ``primary``: the attacker also knows the cell was suppressed for its own sake."""
        if published == SUPPRESSED or published is None:
            return (1, self.min_count - 1) if primary else (0, math.inf)
        value = int(published)
        if value == 0:
            return (0, 0)
        low = max(value - self.rounding // 2, self.min_count, 1)
        return (low, value + (self.rounding - 1) // 2)


def _none(settings: Disclosure) -> Policy:
    return Policy("none")


def _nhs(settings: Disclosure) -> Policy:
    # NHS England's rule for published statistics: 1-7 suppressed, the rest rounded to 5, no
    # mean or median of fewer than 8 people.
    return Policy("nhs", min_count=8, rounding=5, min_statistic_n=8)


def _threshold(settings: Disclosure) -> Policy:
    minimum = int(settings.min_count)
    return Policy("threshold", min_count=minimum, min_statistic_n=minimum)


@dataclass(frozen=True)
class DisclosureRule:
    """One rule of the registry: its policy for the settings, and what it does in words
    (reStructuredText that reads as Markdown too; ``{min_count}`` and any other key of config
    ``disclosure`` stand for the setting: ``describe`` fills them in)."""

    policy: Callable[[Disclosure], Policy]
    description: str

    def describe(self, settings: Disclosure | None = None) -> str:
        """Its words for these settings; without settings, the keys named (config/README.md)."""
        keys = [name for name in Disclosure.keys() if name != "rule"]
        values = {k: getattr(settings, k) if settings else f"``{k}``" for k in keys}
        return self.description.format(**values)


RULES: dict[str, DisclosureRule] = {
    "none": DisclosureRule(_none, "no disclosure control, every count published exactly"),
    "nhs": DisclosureRule(
        _nhs,
        "NHS England's rule for published statistics: counts from 1 to 7 suppressed, every "
        "other count rounded to the nearest 5, percentages computed from the published counts, "
        "and no median, mean rank or test for a group of fewer than 8",
    ),
    "threshold": DisclosureRule(
        _threshold,
        "counts below {min_count} suppressed, and no median, mean rank or test for a smaller "
        "group",
    ),
}


def policy_of(settings: Mapping) -> Policy:
    """The policy of config's ``disclosure`` setting (a rule's param, as the schema fills it)."""
    disclosure = Disclosure.from_params(settings)
    return RULES[disclosure.rule].policy(disclosure)


def recover(
    publications: Iterable[tuple[Key, object]],
    constraints: list[Constraint],
    policy: Policy,
    primary: Iterable[Key] = (),
) -> dict[Key, int]:
    """Suppressed cells whose value follows from what is published: key -> recovered count.

    ``publications``: (cell, published value) pairs; a cell published in several tables
    appears several times (a number anywhere beats a ``*`` elsewhere). Cells named only in
    ``constraints`` are unpublished (any count). ``primary``: cells the attacker is assumed to
    know were suppressed for being small (the worst case).
    """
    primary = set(primary)
    low: dict[Key, float] = {}
    high: dict[Key, float] = {}
    hidden: set[Key] = set()

    def narrow(key, bounds) -> bool:
        new_low, new_high = max(low.get(key, 0), bounds[0]), min(high.get(key, math.inf), bounds[1])
        changed = (new_low, new_high) != (low.get(key, 0), high.get(key, math.inf))
        low[key], high[key] = new_low, new_high
        return changed

    for key, value in publications:
        if value == SUPPRESSED:
            hidden.add(key)
        narrow(key, policy.interval(value, key in primary))
    unpublished = set()
    for parts, total in constraints:
        for key in [*parts, total]:
            if key not in low:
                hidden.add(key)
                unpublished.add(key)
                narrow(key, (1, policy.min_count - 1) if key in primary else (0, math.inf))
    for _ in range(1000):
        changed = False
        for parts, total in constraints:
            changed |= narrow(total, (sum(low[p] for p in parts), sum(high[p] for p in parts)))
            for part in parts:
                others_low = sum(low[p] for p in parts if p != part)
                others_high = sum(high[p] for p in parts if p != part)
                changed |= narrow(part, (low[total] - others_high, high[total] - others_low))
        if not changed:
            break
    suppressed = hidden - unpublished  # a * here and a number elsewhere: recovered too
    return {
        key: int(low[key])
        for key in sorted(hidden, key=str)
        if low[key] == high[key]
        and (key in suppressed or policy.primary(int(low[key])))  # unpublished: only if small
    }


def protect(
    counts: dict[Key, int], constraints: list[Constraint], policy: Policy
) -> dict[Key, int | str]:
    """The published value of each count: primary suppression, then secondary suppression of
    the smallest other part of a total until ``recover`` recovers nothing, the rest rounded.

    Deterministic: the same counts give the same pattern in every table that shows them.
    """
    primary = {key for key, n in counts.items() if policy.primary(n)}
    suppressed = set(primary)
    order = {key: position for position, key in enumerate(counts)}
    while True:
        published = {
            k: SUPPRESSED if k in suppressed else policy.rounded(n) for k, n in counts.items()
        }
        pinned = recover(list(published.items()), constraints, policy, primary)
        pinned = [key for key in pinned if key in counts]
        if not pinned:
            return published
        key = pinned[0]
        candidates = {
            candidate
            for parts, total in constraints
            if key in parts or key == total
            for candidate in parts
            if candidate not in suppressed and candidate in counts
        }
        if not candidates:  # nothing left to hide beside it: hide the totals
            candidates = {
                total
                for parts, total in constraints
                if (key in parts) and total not in suppressed and total in counts
            }
        if not candidates:
            raise RuntimeError(f"cannot protect suppressed count {key!r}")  # a bug, not input
        suppressed.add(min(candidates, key=lambda c: (counts[c] == 0, counts[c], order[c])))
