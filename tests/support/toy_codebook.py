"""Toy codebooks of rated statements for the unit tests: statement sets, themes, reverse-keyed
statements and answer scales written in one line each, the rest (export block, question list,
labels) filled in the same way for every test. A test names only what it varies, so a difference
between two toys is an argument, not a line lost in a copied dict.

``codebook({"s": "abc"}, themes={"t": "abc"}, reverse="c")`` is one set s of statements a, b
and c (worded "A", "B", "C"), scored as theme t, c reverse-keyed, on a five-point scale p1..p5.
``codebook({}, answers={"yes_no": YES_NO}, questions=[...], export={"response_id": "ID"})`` is
a questionnaire of questions alone with the export block a test reads. ``questionnaire(...)``
takes the same arguments and parses the codebook as a workflow job gets it
(``support.filled``). ``all_well(...)`` is a questionnaire of one yes/no question and what a test
adds to it (``designed()``: every design column and a linking id)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import pandas as pd
from likertflow.codebook import Questionnaire
from likertflow.coding import CODE_DTYPE

from support import filled

EXPORT = {"response_id": "ID", "started": "S", "completed": "C", "timestamp_format": "%Y"}

DONT_KNOW = ("Don't know", 9)
UNSURE = ("Unsure", 9)


def scale(
    labels: str | Sequence[str] = "p{}",
    codes: Iterable[int] = range(1, 6),
    *,
    off_scale: tuple[str, int] | None = None,
    agree: list[str] | None = None,
    ordinal: bool = True,
) -> dict:
    """An answer set: one option per code, labelled ``labels.format(code)`` (or the labels
    given, in code order); ``off_scale`` a (label, code) answer after the scale that is no point
    of it; ``agree`` the codebook's agree labels."""
    codes = list(codes)
    if isinstance(labels, str):
        assert "{}" in labels, f"{labels!r}: a pattern with {{}} for the code, or a list of labels"
        labels = [labels.format(code) for code in codes]
    options = [{"label": label, "code": code} for label, code in zip(labels, codes, strict=True)]
    if off_scale is not None:
        options.append({"label": off_scale[0], "code": off_scale[1], "off_scale": True})
    answers = {"ordinal": ordinal, "options": options}
    if agree is not None:
        answers["agree"] = agree
    return answers


YES_NO = scale(["Yes", "No"], [1, 2], ordinal=False)


def codebook(
    statements: Mapping[str, Sequence[str]] | Sequence[tuple[str, Sequence[str]]],
    *,
    themes: Mapping[str, Sequence[str]] | None = None,
    reverse: Collection[str] = "",
    answers: Mapping[str, dict] | None = None,
    set_answers: Mapping[str, str] | None = None,
    statement_answers: str | None = None,
    labels: Mapping[str, str] | None = None,
    min_answered: Mapping[str, int] | None = None,
    wording: Callable[[str], str] = str.upper,
    questions: Sequence[str | dict] = ("statements",),
    export: Mapping[str, object] = EXPORT,
    survey: str = "toy",
    label: str | None = None,
) -> dict:
    """One questionnaire's codebook dict (as ``filled.questionnaire`` takes it).

    statements: statement set id -> its statement ids (one letter each, in order); pairs
        (set, ids) where a set's statements are not listed together.
    themes: theme id -> its statement ids; a theme's statement set is that of its statements.
    reverse: the ids of the reverse-keyed statements.
    answers: the answer sets (default: ``agreement``, a five-point ``scale()``).
    set_answers: statement set id -> the answer set it uses, where it names one.
    statement_answers: the codebook's default answer set for statements, if it names one.
    labels: labels of sets and themes (default: the id capitalised: s -> S, pros -> Pros).
    min_answered: theme id -> its ``min_answered``.
    wording: a statement's wording from its id.
    questions: the questionnaire's questions; "statements" stands for the statements.
    export: the questionnaire's export block (default: ``EXPORT``, ids and timestamps).
    survey, label: the questionnaire's id and (if given) label.
    """
    pairs = list(statements.items()) if isinstance(statements, Mapping) else list(statements)
    labels = labels or {}
    set_answers = set_answers or {}
    theme_of = {item: theme for theme, items in (themes or {}).items() for item in items}
    set_of = {item: set_id for set_id, items in pairs for item in items}
    rows = []
    for set_id, items in pairs:
        for item in items:
            row = {"id": item, "statement_set": set_id}
            if item in theme_of:
                row["theme"] = theme_of[item]
            rows.append({**row, "wording": wording(item), "reverse": item in reverse})
    sets = {}
    for set_id, _ in pairs:
        sets[set_id] = {"label": labels.get(set_id, set_id.capitalize())}
        if set_id in set_answers:
            sets[set_id]["answers"] = set_answers[set_id]
    raw = {
        "survey": survey,
        **({"label": label} if label is not None else {}),
        "answer_sets": dict(answers) if answers is not None else {"agreement": scale()},
        **({"statement_answers": statement_answers} if statement_answers else {}),
        **({"statement_sets": sets, "statements": rows} if rows else {}),
        "export": dict(export),
        "questions": list(questions),
    }
    if themes:
        raw["themes"] = {
            theme: {
                "label": labels.get(theme, theme.capitalize()),
                "statement_set": set_of[items[0]],
                **({"min_answered": min_answered[theme]} if theme in (min_answered or {}) else {}),
            }
            for theme, items in themes.items()
        }
    return raw


def questionnaire(
    statements: Mapping[str, Sequence[str]] | Sequence[tuple[str, Sequence[str]]], **arguments
) -> Questionnaire:
    """``codebook(statements, **arguments)`` parsed as a workflow job gets it."""
    return filled.questionnaire(codebook(statements, **arguments))


def all_well(*, export=(), answer_sets=(), questions=(), **more):
    """A toy questionnaire of one yes/no question ("All well?") with response ids in column
    "ID", and what a test adds: more ``export`` keys, answer sets and questions, and any other
    codebook key (``design``, ``link_id``)."""
    yes_no = [{"label": "Yes", "code": 1}, {"label": "No", "code": 2}]
    return filled.questionnaire(
        {
            "survey": "toy",
            "answer_sets": {"yes_no": {"options": yes_no}, **dict(answer_sets)},
            "export": {"response_id": "ID", **dict(export)},
            "questions": [{"id": "ok", "text": "All well?", "answers": "yes_no"}, *questions],
            **more,
        }
    )


def designed(test_responses: dict | None = None):
    """The toy questionnaire of a weighted sample: every design column and a linking id."""
    return all_well(
        export={"test_responses": test_responses or {}},
        design={"weight": "W", "strata": "S", "clusters": "C", "fpc": "F"},
        link_id="L",
    )


def codes(columns: Mapping[str, Sequence]) -> pd.DataFrame:
    """Answer codes by statement id (``pd.NA`` for no answer), as the analysed rows hold them."""
    return pd.DataFrame({k: pd.array(v, dtype=CODE_DTYPE) for k, v in columns.items()})
