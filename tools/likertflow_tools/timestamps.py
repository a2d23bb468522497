"""The strptime format of a timestamp column, from its values.

``guess_timestamp_format(values, platform=None)`` tries the formats platforms write
(``data/timestamps.yaml``) and returns those that parse every value: one is the answer; a day
above 12 rules out month-first (or day-first) layouts; where no value tells them apart the
guess is ``ambiguous`` and ``format`` is None, unless ``platform`` names the platform whose
documented format is among the candidates. The formats are strptime formats as the workflow
reads them (``pandas.to_datetime(values, format=...)`` in ingest.parse_times).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class TimestampFormat:
    format: str | None  # the strptime format, or None when none or several fit
    ambiguous: bool  # several formats fit (day-first and month-first) and nothing decided
    candidates: tuple[str, ...]  # every known format that parses all values
    todo: str | None  # what a person must decide, if anything


@cache
def known_formats() -> tuple[dict, ...]:
    """The formats of ``data/timestamps.yaml``, in the order they are tried."""
    data = yaml.safe_load((DATA / "timestamps.yaml").read_text(encoding="utf-8"))
    return tuple(data["formats"])


@cache
def _not_times() -> frozenset[str]:
    """Values a platform writes in a time column for "no time" (REDCap's "[not completed]"):
    each platform's draft hints."""
    from likertflow.platforms import PLATFORMS

    return frozenset(v for platform in PLATFORMS.values() for v in platform.draft.not_a_time)


def _parses(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def _present(values: Iterable) -> list[str]:
    present = []
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        text = str(value).strip()
        if text and text not in _not_times():
            present.append(text)
    return present


def guess_timestamp_format(values: Iterable, platform: str | None = None) -> TimestampFormat:
    """The format that parses every non-blank value in ``values``."""
    present = list(dict.fromkeys(_present(values)))
    if not present:
        return TimestampFormat(None, False, (), "no timestamps to tell the format from")
    candidates = tuple(
        entry["format"]
        for entry in known_formats()
        if all(_parses(v, entry["format"]) for v in present)
    )
    if len(candidates) == 1:
        return TimestampFormat(candidates[0], False, candidates, None)
    examples = ", ".join(repr(v) for v in present[:3])
    if not candidates:
        return TimestampFormat(
            None, False, (), f"no known format reads {examples}: write its strptime format"
        )
    own = [
        entry["format"]
        for entry in known_formats()
        if platform in entry["platforms"] and entry["format"] in candidates
    ]
    if len(own) == 1:
        return TimestampFormat(
            own[0],
            True,
            candidates,
            f"{examples} fit {list(candidates)}; taken as {own[0]!r}, {platform}'s format: "
            "check that the day and month are not the other way round",
        )
    return TimestampFormat(
        None,
        True,
        candidates,
        f"{examples} fit {list(candidates)} (no day above 12 tells day-first from "
        "month-first): choose one",
    )
