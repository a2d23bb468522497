"""Which scale an answer set is on, and its points from low to high.

``recognise(labels, codes)`` takes a question's distinct answer labels (and, where the export
has them, the codes it gives them, e.g. SPSS value labels) and returns a ``Recognition``: the
points low to high, the off-scale answers, whether the set is ordinal, the scale's name, kind
and poles, how it was recognised, and what a person must still check (``todos``).

It tries, in turn:

1. the catalogue of standard scales (``data/scales.yaml``), on each label's ``label_key``
   (case, spacing, punctuation, word order, British spellings, numbering and the wording of
   the middle do not matter); a set that is some of an entry's points gets the points nobody
   chose filled in (with ``complete``);
2. inference for scales of a known shape the catalogue lacks (words in
   ``data/scale_words.yaml``): labels that carry their point's number ("0 - Not at all
   likely" ... "10 - Extremely likely"; numbers nobody chose filled in), numeric bands ("$0 -
   $24,999", "65 or older", "Less than 1 year"), rates ("Once a month or less", "A few times
   per week"), bipolar labels (intensity words around an antonym pair), unipolar intensity
   ("Not at all ... Extremely"), and ordered vocabularies ("Low", "Medium", "High");
3. otherwise the set is not ordinal, listed in the order given, with a TODO saying so.

Off-scale answers (``data/off_scale.yaml``: don't know, not applicable, refusals, other) are
recognised in every set. The codes a platform exported stay with their labels
(``Point.export_code``) whatever order the points are given in.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
NEUTRAL_KEY = "<neutral>"
# A scale has at most this many points: numbered labels further apart are not filled in.
MOST_POINTS = 11
# Off-scale kinds that may be a scale's lowest point ("Not familiar at all", "Never used").
SOFT_OFF_SCALE = ("no_opinion", "not_applicable")
PLAIN = 3.0  # the strength of a pole word without an intensity word ("Agree")


@dataclass(frozen=True)
class Point:
    """One answer: its label (as the export spells it, or the catalogue's wording for a point
    nobody chose), whether any respondent chose it, and the export's code for it."""

    label: str
    seen: bool = True
    export_code: object = None


@dataclass(frozen=True)
class Recognition:
    """What ``recognise`` found.

    ``points`` are low to high when ``ordinal``; otherwise in the order given. ``recognised_by``
    is "catalogue", "inference" or "unrecognised"; ``method`` says which rule ("catalogue",
    "numbered", "bands", "rates", "bipolar", "unipolar", "ladder", "unordered").
    """

    points: tuple[Point, ...]
    off_scale: tuple[Point, ...]
    ordinal: bool
    recognised_by: str
    method: str
    scale: str | None = None
    kind: str | None = None
    poles: Mapping[str, str] | None = None
    todos: tuple[str, ...] = ()
    codes_direction: str | None = None  # "ascending", "descending", "mixed" or None

    def export_codes(self) -> dict[str, object]:
        """Each label the export holds, with the export's code for it (points and off-scale)."""
        return {
            point.label: point.export_code
            for point in (*self.points, *self.off_scale)
            if point.seen and point.export_code is not None
        }

    @property
    def labels(self) -> list[str]:
        return [point.label for point in self.points]


@dataclass(frozen=True)
class Scale:
    """One catalogue entry (or an entry less its middle point)."""

    name: str
    kind: str
    points: tuple[str, ...]
    poles: Mapping[str, str] | None
    off_scale: tuple[str, ...]
    source: str
    ordinal: bool = True
    keys: tuple[str, ...] = field(default=(), compare=False)


# --- data ------------------------------------------------------------------------------------


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@cache
def words() -> dict:
    """``data/scale_words.yaml``: spellings, neutral words, intensities, antonyms, ladders."""
    return _load("scale_words.yaml")


@cache
def _spellings() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple(
        (re.compile(rf"\b{re.escape(british)}\b"), american)
        for british, american in words()["spellings"].items()
    )


@cache
def _neutral() -> frozenset[str]:
    return frozenset(words()["neutral"])


@cache
def _off_scale_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple(
        (group["kind"], re.compile(pattern))
        for group in _load("off_scale.yaml")["off_scale"]
        for pattern in group["patterns"]
    )


@cache
def catalogue() -> tuple[Scale, ...]:
    """Every catalogue entry, and each ordinal entry less its middle point (named
    ``<name>_no_midpoint``), in the catalogue's order."""
    scales = []
    for entry in _load("scales.yaml")["scales"]:
        points = tuple(str(point) for point in entry["points"])
        scale = Scale(
            name=entry["name"],
            kind=entry["kind"],
            points=points,
            poles=entry.get("poles"),
            off_scale=tuple(entry.get("off_scale", ())),
            source=entry["source"],
            ordinal=entry.get("ordinal", True),
            keys=tuple(match_key(point, strip_number=False) for point in points),
        )
        scales.append(scale)
        middle = [i for i, key in enumerate(scale.keys) if key == NEUTRAL_KEY]
        if scale.ordinal and len(middle) == 1 and len(points) > 2:
            keep = [i for i in range(len(points)) if i != middle[0]]
            scales.append(
                Scale(
                    name=f"{scale.name}_no_midpoint",
                    kind=scale.kind,
                    points=tuple(points[i] for i in keep),
                    poles=scale.poles,
                    off_scale=scale.off_scale,
                    source=scale.source,
                    keys=tuple(scale.keys[i] for i in keep),
                )
            )
    return tuple(scales)


# --- keys ------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


def _plain(label: str) -> str:
    """NFKC, straight quotes, ASCII dashes, lower case."""
    text = unicodedata.normalize("NFKC", str(label)).translate(_QUOTES)
    return _DASHES.sub("-", text).casefold().strip()


def label_key(label: str) -> str:
    """A label as words are matched: lower case, apostrophes dropped, other punctuation as
    spaces, British spellings American ("Don't know" -> "dont know", "Unfamiliar (N/A)" ->
    "unfamiliar n a", "Very favourably" -> "very favorably")."""
    text = _plain(label).replace("&", " and ").replace("'", "")
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
    for pattern, american in _spellings():
        text = pattern.sub(american, text)
    return text


def is_neutral(key: str) -> bool:
    """Whether a label key is a bipolar scale's middle ("neither ... nor ...", "neutral")."""
    return key in _neutral() or key.startswith("neither ") or key.endswith(" neutral")


def match_key(label: str, strip_number: bool = True) -> str:
    """A label as catalogue points are matched: its key without the number it carries (with
    ``strip_number``), the middle as one key, word order ignored ("Agree strongly" = "Strongly
    agree", "1 - Strongly disagree" = "Strongly disagree")."""
    numbered = _numbered_label(label) if strip_number else None
    key = label_key(numbered[1] if numbered and numbered[1] else label)
    if is_neutral(key):
        return NEUTRAL_KEY
    return " ".join(sorted(key.split()))


def off_scale_kind(label: str) -> str | None:
    """The kind of off-scale answer ``label`` is ("dont_know", "no_opinion",
    "not_applicable", "refused", "other"), or None."""
    key = label_key(label)
    return next((kind for kind, pattern in _off_scale_patterns() if pattern.fullmatch(key)), None)


# A label that carries its point's number: "0 None", "1. Never", "(2) Often", "1 - Strongly
# disagree", "Strongly agree (5)", "Stimme voll zu - 7", or a bare number; the words hold no
# digit, so that ranges ("18 - 29") are not numbers.
_NUMBERED = (
    re.compile(r"^\(?(?P<number>-?\d+)\)?(?:\s*[.):=-]\s*|\s+)(?P<words>[^\d]+)$"),
    re.compile(r"^(?P<words>[^\d]*[^\d\s(=:-])\s*[-(=:]?\s*(?P<number>-?\d+)\)?$"),
    re.compile(r"^(?P<number>-?\d+)(?P<words>)$"),
)


def label_number(label: str) -> int | None:
    """The number a label carries ("0 - Not at all likely" -> 0, "7" -> 7), else None: a
    numbered scale's drafted code."""
    numbered = _numbered_label(label)
    return None if numbered is None else numbered[0]


def _numbered_label(label: str) -> tuple[int, str] | None:
    """(number, words) of a label that carries its number, else None."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", str(label))).strip()
    for pattern in _NUMBERED:
        found = pattern.fullmatch(text)
        if found:
            return int(found["number"]), found["words"].strip(" -:=.")
    return None


# --- recognise -------------------------------------------------------------------------------


def recognise(
    labels: Sequence[str],
    codes: Sequence | Mapping | None = None,
    *,
    complete: bool | None = None,
) -> Recognition:
    """Recognise the scale of an answer set.

    ``labels``: the distinct answers (repeats and blanks are dropped), in the export's order
    (first seen, or the codes' order). ``codes``: the export's code of each label, as a
    sequence parallel to ``labels`` or a mapping label -> code (SPSS value labels, REDCap
    choices, Qualtrics recode values); kept on each point as ``export_code``; a negative code
    marks its answer off the scale. ``complete``: fill in the points of a known scale that
    nobody chose; by default only without codes (an export's value labels already list every
    point it defines).
    """
    distinct = list(dict.fromkeys(str(label).strip() for label in labels))
    distinct = [label for label in distinct if label]
    if codes is None:
        code_of: dict[str, object] = {}
    elif isinstance(codes, Mapping):
        code_of = {str(k).strip(): v for k, v in codes.items()}
    else:
        code_of = {str(k).strip(): v for k, v in zip(labels, codes, strict=True)}
    if complete is None:
        complete = codes is None
    off = {label: off_scale_kind(label) for label in distinct}
    for label in distinct:
        # A negative code (Qualtrics' -1 "No basis for evaluation"), or a negative number read
        # as the answer itself, is no point of the scale.
        code = code_of.get(label, None if codes is not None else label)
        if off[label] is None and _number(code) is not None and _number(code) < 0:
            off[label] = "negative_code"
    found = _from_catalogue(distinct, off, code_of, complete)
    # "Not familiar at all" is the low point of a familiarity scale, and off the scale beside
    # "Very favorably": an answer that may be either is tried as a point first.
    soft = [label for label in distinct if off[label] in SOFT_OFF_SCALE]
    for maybe in ([soft, []] if soft else [[]]) if found is None else []:
        on = [label for label in distinct if not off[label] or label in maybe]
        for infer in (_numbered, _bands, _rates, _bipolar, _unipolar, _ladder):
            inferred = infer(on, complete) if len(on) >= 2 else None
            if inferred is not None:
                kept = {label: None if label in maybe else kind for label, kind in off.items()}
                found = _inferred(inferred, on, kept, code_of, distinct)
                break
        if found is not None:
            break
    if found is None:
        found = _unordered(distinct, off, code_of)
    return found


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _points(labels, code_of, seen=True) -> tuple[Point, ...]:
    return tuple(Point(label, seen, code_of.get(label) if seen else None) for label in labels)


def _direction(points: Sequence[Point]) -> str | None:
    numbers = [_number(p.export_code) for p in points if p.seen and p.export_code is not None]
    if len(numbers) < 2 or any(n is None for n in numbers):
        return None
    if numbers == sorted(numbers) and len(set(numbers)) == len(numbers):
        return "ascending"
    if numbers == sorted(numbers, reverse=True) and len(set(numbers)) == len(numbers):
        return "descending"
    return "mixed"


def _code_notes(points: Sequence[Point]) -> tuple[str | None, list[str]]:
    direction = _direction(points)
    coding = ", ".join(f"{p.export_code} = {p.label}" for p in points if p.seen)
    if direction == "descending":
        return direction, [
            f"the export codes this scale high to low ({coding}); listed low to high here, "
            "each label keeping its export_code"
        ]
    if direction == "mixed":
        return direction, [
            f"the export's codes do not follow the scale's order ({coding}); check the order"
        ]
    return direction, []


def _from_catalogue(distinct, off, code_of, complete) -> Recognition | None:
    # Each label as written ("2-year") and without the number it carries ("1 - Agree").
    keys = {label: (match_key(label, False), match_key(label)) for label in distinct}
    best, ties = None, []
    for index, scale in enumerate(catalogue()):
        position = {key: i for i, key in enumerate(scale.keys)}
        extra = {match_key(label) for label in scale.off_scale}
        matched, rest = {}, []
        for label in distinct:
            at = next((position[key] for key in keys[label] if key in position), None)
            if at is not None and at not in matched.values():
                matched[label] = at
            elif off[label] or keys[label][1] in extra:
                rest.append(label)
            else:
                break
        else:
            if len(matched) >= (2 if scale.ordinal else 1):
                score = (-len(matched), len(scale.points), index)
                if best is None or score < best[0]:
                    best, ties = (score, scale, matched, rest), []
                elif score[:2] == best[0][:2] and scale.keys != best[1].keys:
                    ties.append(scale.name)
    if best is None:
        return None
    _, scale, matched, rest = best
    todos = []
    if not scale.ordinal:
        points = _points(sorted(matched, key=matched.get), code_of)
        rest_points = _points(rest, code_of)
        return Recognition(
            points, rest_points, False, "catalogue", "catalogue", scale.name, scale.kind,
            scale.poles,
        )  # fmt: skip
    by_position = {i: label for label, i in matched.items()}
    ordered = []
    for i, wording in enumerate(scale.points):
        if i in by_position:
            ordered.append(Point(by_position[i], True, code_of.get(by_position[i])))
        elif complete:
            ordered.append(Point(wording, False, None))
    if ties:
        todos.append(
            f"{[p.label for p in ordered if p.seen]} fit the catalogue's {scale.name!r} and also "
            f"{ties}: the points nobody chose are those of {scale.name!r}; check"
        )
    unseen = [p.label for p in ordered if not p.seen]
    if unseen:
        todos.append(f"points nobody chose, added from {scale.name!r}: {unseen}")
    numbers = [_numbered_label(p.label) for p in ordered if p.seen]
    if all(numbers) and len(numbers) >= 2:
        values = [n[0] for n in numbers]
        if values != sorted(values):
            todos.append(
                f"the numbers the labels carry run against the scale's order ({values}): "
                "listed in the scale's order"
            )
    direction, notes = _code_notes(ordered)
    return Recognition(
        tuple(ordered),
        _points(rest, code_of),
        True,
        "catalogue",
        "catalogue",
        scale.name,
        scale.kind,
        scale.poles,
        tuple(todos + notes),
        direction,
    )


@dataclass(frozen=True)
class _Inferred:
    method: str
    order: list[str]  # labels low to high (some perhaps unseen: see ``unseen``)
    poles: Mapping[str, str] | None
    notes: list[str]
    unseen: frozenset[str] = frozenset()


def _inferred(found: _Inferred, on, off, code_of, distinct) -> Recognition:
    points = tuple(
        Point(
            label, label not in found.unseen, None if label in found.unseen else code_of.get(label)
        )
        for label in found.order
    )
    rest = [label for label in distinct if off[label]]
    shown = [label for label in found.order if label not in found.unseen]
    notes = [
        f"{shown}: ordered as {found.method} ({_EXPLAIN[found.method]}); confirm the order from "
        "low to high (or set ordinal: false)",
        *found.notes,
    ]
    direction, code_notes = _code_notes(points)
    return Recognition(
        points,
        _points(rest, code_of),
        True,
        "inference",
        found.method,
        None,
        {"rates": "frequency", "bands": "bands"}.get(found.method),
        found.poles,
        tuple(notes + code_notes),
        direction,
    )


_EXPLAIN = {
    "numbered": "by the numbers the labels carry",
    "bands": "by the numbers of each band",
    "rates": "by how often each says",
    "bipolar": "intensity words around an antonym pair",
    "unipolar": "by their intensity words",
    "ladder": "by an ordered vocabulary",
}


def _unordered(distinct, off, code_of) -> Recognition:
    # "Other" is one of the categories of an unordered set, not an answer off its scale.
    points = [label for label in distinct if not off[label] or off[label] == "other"]
    rest = [label for label in distinct if off[label] and off[label] != "other"]
    todos = []
    if len(points) > 1:
        given = "the export's code order" if code_of else "the order given"
        todos.append(
            f"{points} match no known scale: drafted ordinal: false, listed in {given}; if "
            "they are ordered, list them from low to high and set ordinal: true"
        )
    return Recognition(
        _points(points, code_of), _points(rest, code_of), False, "unrecognised", "unordered",
        todos=tuple(todos),
    )  # fmt: skip


# --- numbered labels -------------------------------------------------------------------------


def _numbered(on: list[str], complete: bool) -> _Inferred | None:
    numbers = {label: _numbered_label(label) for label in on}
    if not all(numbers.values()):
        return None
    values = [n[0] for n in numbers.values()]
    if len(set(values)) != len(values) or len(values) > MOST_POINTS:
        return None
    order = sorted(on, key=lambda label: numbers[label][0])
    low, high = numbers[order[0]], numbers[order[-1]]
    unseen: list[str] = []
    notes = []
    if complete and high[0] - low[0] < MOST_POINTS:
        missing = sorted(set(range(low[0], high[0] + 1)) - set(values))
        if missing:
            unseen = [str(n) for n in missing]
            order = sorted(
                order + unseen,
                key=lambda label: numbers[label][0] if label in numbers else int(label),
            )
            notes.append(f"numbers nobody chose, added: {missing}")
        if not low[1] or not high[1]:
            notes.append(
                f"the lowest and highest answers seen are {low[0]} and {high[0]}; if the scale "
                "runs further (0 or 1 to 5, 7 or 10), add its end points"
            )
    poles = {"low": low[1].lower(), "high": high[1].lower()} if low[1] and high[1] else None
    return _Inferred("numbered", order, poles, notes, frozenset(unseen))


# --- numeric bands ---------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)?"


@cache
def _band_patterns():
    numbers = words()["numbers"]

    def alternatives(phrases):
        return "|".join(sorted((re.escape(p) for p in phrases), key=len, reverse=True))

    unit = r"(?P<unit>[a-z ]*?)"
    below_before, below_after = (
        alternatives(numbers["below_before"]),
        alternatives(numbers["below_after"]),
    )
    above_before, above_after = (
        alternatives(numbers["above_before"]),
        alternatives(numbers["above_after"]),
    )
    return (
        ("below", re.compile(rf"^(?:{below_before}) (?P<a>{_NUM}) ?{unit}$")),
        ("below", re.compile(rf"^(?P<a>{_NUM}) ?{unit} ?(?:{below_after})$")),
        ("above", re.compile(rf"^(?:{above_before}) (?P<a>{_NUM}) ?{unit}$")),
        ("above", re.compile(rf"^(?P<a>{_NUM}) ?{unit} ?(?:{above_after})$")),
        (
            "range",
            re.compile(
                rf"^(?:between |from )?(?P<a>{_NUM}) ?(?P<ua>[a-z ]*?) ?(?:-|to|and|through|until)"
                rf" ?(?P<b>{_NUM}) ?{unit}$"
            ),
        ),
        ("exact", re.compile(rf"^(?:about |around |exactly )?(?P<a>{_NUM}) ?{unit}$")),
    )


def _band_text(label: str) -> str:
    """A band's label with numbers as digits: currency and thousands separators dropped,
    number and ordinal words as digits, "k" and "million" multiplied out."""
    numbers = words()["numbers"]
    text = _plain(label)
    text = re.sub(r"[$£€¥]", "", text)
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = text.replace("+", " plus ").replace("<=", " le ").replace(">=", " ge ")
    text = text.replace("<", " lt ").replace(">", " gt ").replace("%", " percent ")
    text = re.sub(r"(?<=\d)\s*-\s*(?=[\d$])", " - ", text)
    text = re.sub(r"[^a-z0-9.\- ]+", " ", text)
    text = " ".join(text.replace(" - ", " to ").split())
    for phrase, value in sorted(numbers["words"].items(), key=lambda kv: -len(kv[0])):
        text = re.sub(rf"\b{re.escape(phrase)}\b(?= |$)", str(value), text)
    for phrase, value in numbers["ordinals"].items():
        text = re.sub(rf"\b{phrase}\b", str(value), text)
    text = re.sub(r"\b(a|an) (?=(year|month|week|day|hour|minute|decade)s?\b)", "1 ", text)
    for word, factor in numbers["multipliers"].items():
        text = re.sub(rf"({_NUM}) ?{word}\b", lambda m, f=factor: f"{float(m[1]) * f:g}", text)
    return text


def _unit(text: str | None) -> tuple[str | None, float]:
    """The time unit a band names ("years" -> ("year", 1.0)), or (None, 1.0)."""
    units = words()["numbers"]["units"]
    for token in (text or "").split():
        singular = token[:-1] if token.endswith("s") else token
        if singular in units:
            return singular, float(units[singular])
    return None, 1.0


def _band(label: str) -> tuple[float, float, str | None, float] | None:
    text = _band_text(label)
    if label_key(label) in words()["numbers"]["never"]:
        return 0.0, 0.0, None, 1.0
    for shape, pattern in _band_patterns():
        found = pattern.fullmatch(text)
        if not found:
            continue
        unit, factor = _unit(found["unit"])
        if unit is None and shape == "range" and found["ua"]:
            unit, factor = _unit(found["ua"])
        a = float(found["a"])
        if shape == "below":
            return -math.inf, a, unit, factor
        if shape == "above":
            return a, math.inf, unit, factor
        if shape == "range":
            b = float(found["b"]) * factor
            # "6 months - 1 year": each number in its own unit, both in the second's.
            a_unit, a_factor = _unit(found["ua"]) if found["ua"] else (unit, factor)
            if unit is None and a_unit is not None:
                unit, factor, b = a_unit, a_factor, b * a_factor
            a = a * a_factor / factor if unit else a
            return (a, b / factor, unit, factor) if a <= b / factor else None
        return a, a, unit, factor
    return None


def _bands(on: list[str], complete: bool) -> _Inferred | None:
    bands = {label: _band(label) for label in on}
    if not all(bands.values()):
        return None
    if all(re.fullmatch(r"-?\d+", label.strip()) for label in on):
        return None  # bare numbers: numbered, not bands
    units = {band[2] for band in bands.values() if band[2] is not None}
    if not any(lo != hi for lo, hi, *_ in bands.values()) and not units:
        return None  # single numbers with words: not bands

    def scaled(label):
        lo, hi, unit, factor = bands[label]
        # A label without a unit takes the set's one unit ("Under 1", "1-5 years").
        if unit is None and len(units) == 1:
            factor = _unit(next(iter(units)))[1]
        elif unit is None and len(units) > 1:
            return None
        return lo * factor, hi * factor

    keys = {label: scaled(label) for label in on}
    if any(key is None for key in keys.values()) or len(set(keys.values())) != len(keys):
        return None
    order = sorted(on, key=keys.get)
    return _Inferred("bands", order, {"low": order[0], "high": order[-1]}, [])


# --- rates -----------------------------------------------------------------------------------


def _rate(label: str) -> float | None:
    """Times per year a frequency label says ("A few times per week" -> 156), or None."""
    numbers = words()["numbers"]
    key = label_key(label)
    if key in numbers["never"]:
        return 0.0
    factor = 1.0
    for phrase, change in (
        (r"\bor less\b|\bless than\b|\bfewer than\b|\bor fewer\b|\bunder\b|\bat most\b", 0.8),
        (r"\bor more\b|\bmore than\b(?! once)|\bat least\b|\bover\b|\bplus\b", 1.25),
    ):
        if re.search(phrase, key):
            factor *= change
            key = re.sub(phrase, " ", key)
    key = " ".join(key.split())
    for adverb, per_year in numbers["adverbs"].items():
        if re.search(rf"\b{adverb}\b", key):
            return per_year * factor
    periods = "|".join(numbers["periods"])
    found = re.search(rf"\b(?P<period>{periods})s?\b", key)
    if not found:
        return None
    per_year = numbers["periods"][found["period"]]
    before = re.sub(r"\b(a|an|per|in a|in an)$", "", key[: found.start()].strip()).strip()
    counts = numbers["counts"]
    without_times = " ".join(
        re.sub(r"\b(times?|or so|about|around|roughly)\b", " ", before).split()
    )
    for phrase in (before, without_times, f"{without_times} times"):
        if phrase in counts:
            return counts[phrase] * per_year * factor
    digits = re.fullmatch(r"(\d+)(?: (?:to |or )?(\d+))?", without_times)
    if digits and re.search(r"\btimes?\b", before):  # "1-2 times a month", not "1-2 years"
        low = float(digits[1])
        high = float(digits[2]) if digits[2] else low
        return (low + high) / 2 * per_year * factor
    return None


def _rates(on: list[str], complete: bool) -> _Inferred | None:
    rates = {label: _rate(label) for label in on}
    if any(rate is None for rate in rates.values()):
        return None
    if len(set(rates.values())) != len(rates) or not any(rates.values()):
        return None
    order = sorted(on, key=rates.get)
    return _Inferred("rates", order, {"low": order[0].lower(), "high": order[-1].lower()}, [])


# --- words: bipolar, unipolar, ladders -------------------------------------------------------


@cache
def _intensities() -> tuple[tuple[tuple[str, ...], float], ...]:
    """Intensity phrases as token tuples, longest first."""
    phrases = [(tuple(p.split()), float(v)) for p, v in words()["intensity"].items()]
    return tuple(sorted(phrases, key=lambda item: -len(item[0])))


NEGATIONS = (("not",), ("not", "so"), ("not", "too"), ("not", "that"))
NEGATED = 0.25  # "not so strongly", "not much": a quarter of the phrase they negate


def _intensity_of(tokens: Sequence[str]) -> float | None:
    """The strength of ``tokens`` if they are exactly one intensity phrase, or a negation of
    one ("not so strongly" is weaker than "strongly", and stronger than "not at all")."""
    tokens = tuple(tokens)
    exact = next((v for p, v in _intensities() if p == tokens), None)
    if exact is not None:
        return exact
    for negation in NEGATIONS:
        if tokens[: len(negation)] == negation and len(tokens) > len(negation):
            rest = next((v for p, v in _intensities() if p == tokens[len(negation) :]), None)
            if rest is not None:
                return rest * NEGATED
    return None


def _intensity_prefix(tokens: Sequence[str]) -> tuple[float, int] | None:
    """(strength, length) of the longest intensity phrase (or negated one) ``tokens`` start
    with."""
    for length in range(len(tokens), 0, -1):
        strength = _intensity_of(tokens[:length])
        if strength is not None:
            return strength, length
    return None


def _word_key(label: str) -> str:
    """A label's key for intensity words: "not familiar at all" as "not at all familiar"."""
    key = label_key(label)
    return re.sub(r"^not (.+) at all$", r"not at all \1", key)


def _find(tokens: list[str], phrase: tuple[str, ...]) -> int | None:
    for i in range(len(tokens) - len(phrase) + 1):
        if tuple(tokens[i : i + len(phrase)]) == phrase:
            return i
    return None


def _bipolar_value(key: str, low: tuple, high: tuple):
    """(value, context) of a label on the pair (low, high), or None; neutral -> (0, None)."""
    if is_neutral(key):
        return 0.0, None
    tokens = key.split()
    at_low, at_high = _find(tokens, low), _find(tokens, high)
    if (at_low is None) == (at_high is None):
        return None
    sign, at, pole = (-1, at_low, low) if at_low is not None else (1, at_high, high)
    before, after = tokens[:at], tokens[at + len(pole) :]
    for split in range(len(before) + 1):  # a shared prefix, then an intensity phrase
        prefix, rest = before[:split], before[split:]
        strength = _intensity_of(rest) if rest else None
        if rest and strength is None:
            continue
        suffix = after
        if not rest:
            found = _intensity_prefix(after)
            if found:
                strength, length = found
                suffix = after[length:]
        strength = PLAIN if strength is None else strength
        return sign * strength, (tuple(prefix), tuple(suffix))
    return None


def _bipolar(on: list[str], complete: bool) -> _Inferred | None:
    keys = {label: _word_key(label) for label in on}
    for low_word, high_word in words()["antonyms"]:
        low, high = tuple(low_word.split()), tuple(high_word.split())
        values = {label: _bipolar_value(keys[label], low, high) for label in on}
        if any(v is None for v in values.values()):
            continue
        contexts = {v[1] for v in values.values() if v[1] is not None}
        if len(contexts) != 1:
            continue
        numbers = [v[0] for v in values.values()]
        if len(set(numbers)) != len(numbers):
            return None  # the pair fits but two labels tie: no order to give
        order = sorted(on, key=lambda label: values[label][0])
        notes = [] if not complete else ["points nobody chose cannot be known: add any missing"]
        return _Inferred("bipolar", order, {"low": low_word, "high": high_word}, notes)
    return None


_ZERO = {"not at all", "none", "none at all", "never", "not", "no"}


def _unipolar(on: list[str], complete: bool) -> _Inferred | None:
    parsed = {}
    for label in on:
        tokens = _word_key(label).split()
        if not tokens or is_neutral(" ".join(tokens)):
            return None
        found = _intensity_prefix(tokens)
        strength, length = found if found else (None, 0)
        parsed[label] = (strength, tuple(tokens[length:]))
    heads = {head for _, head in parsed.values() if head}
    if len(heads) > 1:
        return None
    for label, (strength, head) in parsed.items():
        if not head and strength is None:
            return None
        if not head and heads and _word_key(label) not in _ZERO:
            # "Slightly" beside "Very important": not one head.
            return None
    if sum(strength is not None for strength, _ in parsed.values()) < 2:
        return None
    values = {label: PLAIN if s is None else s for label, (s, _) in parsed.items()}
    if len(set(values.values())) != len(values):
        return None
    order = sorted(on, key=values.get)
    poles = {"low": order[0].lower(), "high": order[-1].lower()}
    return _Inferred("unipolar", order, poles, [])


def _ladder(on: list[str], complete: bool) -> _Inferred | None:
    keys = {label: label_key(label) for label in on}
    for name, ranks in words()["ladders"].items():
        if all(keys[label] in ranks for label in on):
            values = [ranks[keys[label]] for label in on]
            if len(set(values)) != len(values):
                continue
            order = sorted(on, key=lambda label: ranks[keys[label]])
            notes = [f"ordered by the {name} vocabulary"]
            return _Inferred(
                "ladder", order, {"low": order[0].lower(), "high": order[-1].lower()}, notes
            )
    return None
