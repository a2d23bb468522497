"""Codebook ids from the export's own names.

``export_ids(names, texts)`` maps each column's export name (SPSS variable names such as
``pid7``, Qualtrics export tags ``Q3_1``, REDCap field names, LimeSurvey codes
``G01Q01[SQ001]``) to the codebook's id pattern ``^[a-z][a-z0-9_]*$``: lower case, brackets
flattened (``g01q01_sq001``), other characters as ``_``, a leading digit prefixed with ``q_``.
Only a column without a name (a plain CSV whose header is the question) gets a slug of its
text. Two names that map to one id are reported (``Ids.collisions``, both names) and told
apart deterministically: the first keeps the id, the next get ``_2``, ``_3``, ... in export
order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SLUG_WORDS = 5  # a slug of question text keeps its first words
PREFIX = "q_"  # before an id that would start with a digit


@dataclass(frozen=True)
class Collision:
    """Export names that map to one id, and the ids they were given."""

    id: str
    names: tuple[str, ...]
    assigned: tuple[str, ...]


@dataclass(frozen=True)
class Ids:
    ids: tuple[str, ...]  # one per column, in order, unique
    from_text: tuple[bool, ...]  # True where the column had no name and its text was slugged
    collisions: tuple[Collision, ...]


def id_from_name(name: str) -> str:
    """An export name as an id: ``G01Q01[SQ001]`` -> ``g01q01_sq001``, ``Q3_1`` -> ``q3_1``,
    ``1st_visit`` -> ``q_1st_visit``."""
    text = str(name).strip().casefold()
    text = re.sub(r"[^a-z0-9_]+", "_", text).strip("_")
    if not text:
        return "q"
    return text if text[0].isalpha() else f"{PREFIX}{text}"


def id_from_text(text: str) -> str:
    """A slug of question text, for a column the export gives no name: its first words."""
    words = re.sub(r"[^a-z0-9]+", "_", str(text).casefold()).strip("_").split("_")
    return id_from_name("_".join(words[:SLUG_WORDS]) or "question")


def has_name(name: str | None, text: str | None = None) -> bool:
    """Whether ``name`` is an export name rather than the question itself (a plain CSV's
    header is both the column's name and its text)."""
    if name is None or not str(name).strip():
        return False
    return not (text is not None and name == text and re.search(r"\s", str(name)))


def export_ids(
    names: Sequence[str | None],
    texts: Sequence[str] | None = None,
    taken: Iterable[str] = (),
) -> Ids:
    """Ids for columns named ``names`` (None or "" where the export has none; then the text's
    slug), unique among themselves and ``taken`` (ids the codebook already uses)."""
    texts = list(texts) if texts is not None else [None] * len(names)
    used = set(taken)
    bases, from_text = [], []
    for name, text in zip(names, texts, strict=True):
        named = has_name(name, text)
        bases.append(id_from_name(name) if named else id_from_text(text or ""))
        from_text.append(not named)
    ids, by_base = [], {}
    for position, base in enumerate(bases):
        unique, number = base, 1
        while unique in used:
            number += 1
            unique = f"{base}_{number}"
        used.add(unique)
        ids.append(unique)
        by_base.setdefault(base, []).append(position)
    collisions = tuple(
        Collision(
            base,
            tuple(str(names[p]) if not from_text[p] else str(texts[p]) for p in positions),
            tuple(ids[p] for p in positions),
        )
        for base, positions in by_base.items()
        if len(positions) > 1 or ids[positions[0]] != base
    )
    return Ids(tuple(ids), tuple(from_text), collisions)
