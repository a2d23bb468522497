"""Exclusion rules (config ``exclusions``): a registry, rule name -> what the rule does.

Each rule is one ``ExclusionRule``: which responses it excludes and why (``apply``, used by
cleaning), what config it needs checked against the codebook at start-up (``check``, on the
parsed questionnaires, before any job runs), its words (``description``, for config/README.md;
``explain``, one configured rule in a sentence, for the report's captions), and which answer
labels it leaves out of the cohort (``left_out``, so that descriptive tables do not list an
option that cannot occur). Adding a rule is one function set here and one schema entry
(``workflow/schemas/config.schema.yaml``, ``exclusions``).

- ``answered``: the response gave ``question`` one of ``labels`` (e.g. "Under 18");
- ``item_nonresponse``: a question that was asked (per the skip logic) was left blank; only the
  rule's ``questions`` when listed, never a question the codebook marks ``optional``; with
  ``min_answered`` below 1, only responses that answered less than that share of the questions
  asked of them (0.5: those that skipped more than half);
- ``less_than`` / ``greater_than``: the number answered to a numeric ``question`` is below /
  above ``value`` (a blank answer meets neither);
- ``platform_test``: the platform marks the response as a preview, test or spam (the codebook's
  ``export.test_responses``: Qualtrics ``Status``, ``DistributionChannel``).

Each rule also says which export columns are responsible for the responses it excluded
(``columns``), for the warning cleaning gives when a rule excludes many.

A rule naming a question a questionnaire lacks does not apply to that questionnaire (experts are
not asked their age). This module runs at parse time too (the checks), so pandas and the helpers
over coded answers are imported only inside the functions that clean data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from likertflow.codebook import Question, Questionnaire

Questionnaires = dict[str, Questionnaire]  # every questionnaire of the codebook, by survey


def _question_columns(cohort, questionnaire, rule, excluded) -> list[tuple[str, int]]:
    """The export columns of the rule's question, each responsible for every exclusion."""
    count = int(excluded.sum())
    return [(c.header, count) for c in questionnaire.question(rule["question"]).columns]


@dataclass(frozen=True)
class ExclusionRule:
    # (cohort, questionnaire, rule) -> (met: bool Series, why: Series of texts, object dtype:
    # a million texts stay Python strings until cleaning writes them to the ledger)
    apply: Callable
    check: Callable[[dict, Questionnaires], list[str]]  # (rule, questionnaires) -> problems
    # What it excludes, naming its config keys (reStructuredText that reads as Markdown too).
    description: str
    explain: Callable[[dict], str]  # a configured rule -> what it excludes, in a sentence
    left_out: Callable[[dict, str], set[str]] = lambda rule, question_id: set()
    # (cohort, questionnaire, rule, excluded: bool array of the responses it excluded) ->
    # [(export column, how many of them it accounts for)], most first
    columns: Callable = _question_columns


def rule_inputs(questionnaire) -> list[str]:
    """The columns of an ingested batch that the rules read (``apply``, ``columns``): the
    questions and the platform's test marks where the codebook names them."""
    from likertflow.coding import TEST_RESPONSE

    marks = [TEST_RESPONSE] if questionnaire.export.test_responses else []
    return [*questionnaire.question_ids, *marks]


def applies(rule: dict, question_ids: list[str]) -> bool:
    """Whether a rule applies to a questionnaire with these questions."""
    return "question" not in rule or rule["question"] in question_ids


# --- answered ----------------------------------------------------------------------------------


def _answered(cohort, questionnaire, rule):
    import pandas as pd

    from likertflow.errors import InputError, Problem

    question = questionnaire.question(rule["question"])
    unknown = [label for label in rule["labels"] if label not in question.answers.code_of]
    if unknown:  # start-up checks catch this; a direct caller gets the same message
        labels = ", ".join(repr(label) for label in question.answers.labels)
        raise InputError(
            f"exclusion rule {rule['id']!r} names labels that question {question.id!r} lacks",
            [Problem("config exclusions", f"one of: {labels}", value=label) for label in unknown],
        )
    codes = cohort[question.id]
    met = codes.isin([question.answers.code_of[label] for label in rule["labels"]])
    met = met.fillna(False).astype(bool)
    why = pd.Series("", index=cohort.index, dtype=object)
    why[met] = f"{question.id}: " + codes[met].map(question.answers.label_of).astype("str")
    return met, why


def _check_answered(rule: dict, questionnaires: Questionnaires) -> list[str]:
    problems = []
    for survey, question in _questions(rule, questionnaires, problems):
        if question.numeric:
            problems.append(
                f"exclusions.{rule['id']}: {survey} question {rule['question']!r} is numeric; "
                "use rule less_than or greater_than"
            )
            continue
        labels = question.answers.labels
        for label in rule["labels"]:
            if label not in labels:
                problems.append(
                    f"exclusions.{rule['id']}: {label!r} is not an answer of {survey} question "
                    f"{rule['question']!r} (answers: {labels})"
                )
    return problems


def _left_out_answered(rule: dict, question_id: str) -> set[str]:
    return set(rule["labels"]) if rule["question"] == question_id else set()


# --- item_nonresponse -------------------------------------------------------------------------


def _blanks(cohort, questionnaire, rule):
    """The questions the rule looks at, and which of them each response was asked and which it
    left blank (two respondents x questions arrays)."""
    import numpy as np

    from likertflow.coding import question_asked

    named = rule.get("questions")
    questions = [
        q for q in questionnaire.questions if not q.optional and (named is None or q.id in named)
    ]
    asked = np.zeros((len(cohort), len(questions)), dtype=bool)
    blank = np.zeros((len(cohort), len(questions)), dtype=bool)
    for j, question in enumerate(questions):
        asked[:, j] = question_asked(cohort, question, questionnaire).to_numpy()
        blank[:, j] = asked[:, j] & cohort[question.id].isna().to_numpy()
    return questions, asked, blank


def _item_nonresponse(cohort, questionnaire, rule):
    """Responses that left an asked question blank (with ``min_answered`` below 1: more than
    that share of the questions asked), with the blank questions' ids."""
    import numpy as np
    import pandas as pd

    questions, asked, blank = _blanks(cohort, questionnaire, rule)
    ids = np.asarray([q.id for q in questions], dtype=object)
    share = rule.get("min_answered")  # None: every question asked (any blank excludes)
    if share is None or share >= 1:
        met = blank.any(axis=1)
    else:
        answered = asked.sum(axis=1) - blank.sum(axis=1)
        met = answered < share * asked.sum(axis=1)
    why = np.full(len(cohort), "", dtype=object)
    if met.any():
        # One text per distinct pattern of blank questions (a bit string), not per respondent.
        packed = np.packbits(blank[met], axis=1)
        patterns = np.ascontiguousarray(packed).view(f"V{packed.shape[1]}").ravel()
        _, first, which = np.unique(patterns, return_index=True, return_inverse=True)
        texts = np.array(
            ["unanswered: " + ", ".join(ids[row]) for row in blank[met][first]], dtype=object
        )
        why[met] = texts[which]
    return pd.Series(met, index=cohort.index), pd.Series(why, index=cohort.index, dtype=object)


def _blank_columns(cohort, questionnaire, rule, excluded) -> list[tuple[str, int]]:
    """The questions most often left blank by the responses the rule excluded, as
    "<id> (<export column>)", with how many of those left each blank."""
    questions, _, blank = _blanks(cohort, questionnaire, rule)
    counts = blank[excluded].sum(axis=0)
    named = [
        (f"{q.id} ({', '.join(repr(c.header) for c in q.columns)})", int(count))
        for q, count in zip(questions, counts, strict=True)
        if count
    ]
    return sorted(named, key=lambda item: -item[1])


def _check_item_nonresponse(rule: dict, questionnaires: Questionnaires) -> list[str]:
    known = {question_id for q in questionnaires.values() for question_id in q.question_ids}
    return [
        f"exclusions.{rule['id']}: no questionnaire has question {question!r}"
        for question in rule.get("questions", [])
        if question not in known
    ]


# --- less_than, greater_than ------------------------------------------------------------------


def _threshold(compare: Callable, word: str) -> Callable:
    def apply(cohort, questionnaire, rule):
        import pandas as pd

        values = cohort[rule["question"]]
        met = compare(values, rule["value"]).fillna(False).astype(bool)
        why = pd.Series("", index=cohort.index, dtype=object)
        why[met] = (
            f"{rule['question']} "
            + values[met].map("{:g}".format).astype("str")
            + f" is {word} {rule['value']:g}"
        )
        return met, why

    return apply


def _check_numeric(rule: dict, questionnaires: Questionnaires) -> list[str]:
    problems = []
    for survey, question in _questions(rule, questionnaires, problems):
        if not question.numeric:
            problems.append(
                f"exclusions.{rule['id']}: rule {rule['rule']} needs a numeric question, but "
                f"{survey} question {rule['question']!r} has answer labels; use rule answered"
            )
            continue
        # A threshold beyond the question's valid range excludes every answer: a typo (18 for
        # 1.8) or the wrong rule (less_than for greater_than), never a study design.
        value = rule["value"]
        low, high = question.minimum, question.maximum
        everyone = (
            high is not None and value > high if rule["rule"] == "less_than"
            else low is not None and value < low
        )  # fmt: skip
        if everyone:
            bound, word = ("max", "above") if rule["rule"] == "less_than" else ("min", "below")
            problems.append(
                f"exclusions.{rule['id']}: rule {rule['rule']} with value {value:g} would "
                f"exclude every answer to {survey} question {rule['question']!r}, whose valid "
                f"answers are from {_bound(low)} to {_bound(high)} (codebook {bound}); is the "
                f"value {word} the range by mistake, or is the other rule meant?"
            )
    return problems


def _bound(value) -> str:
    return "no bound" if value is None else f"{value:g}"


def _questions(
    rule: dict, questionnaires: Questionnaires, problems: list[str]
) -> list[tuple[str, Question]]:
    """(survey, question) of every questionnaire with the rule's question; a problem if none
    has it."""
    found = [
        (survey, q.question(rule["question"]))
        for survey, q in questionnaires.items()
        if rule["question"] in q.question_ids
    ]
    if not found:
        problems.append(
            f"exclusions.{rule['id']}: no questionnaire has question {rule['question']!r}"
        )
    return found


# --- platform_test ----------------------------------------------------------------------------


def _platform_test(cohort, questionnaire, rule):
    """Responses the platform marks as a preview, test or spam (ingested as TEST_RESPONSE when
    the codebook names export.test_responses; a questionnaire without them has none)."""
    import pandas as pd

    from likertflow.coding import TEST_RESPONSE

    if TEST_RESPONSE not in cohort:
        return pd.Series(False, index=cohort.index), pd.Series("", index=cohort.index, dtype=object)
    marks = cohort[TEST_RESPONSE]
    met = marks.notna()
    why = pd.Series("", index=cohort.index, dtype=object)
    why[met] = "marked by the platform: " + marks[met].astype(object)
    return met, why


def _mark_columns(cohort, questionnaire, rule, excluded) -> list[tuple[str, int]]:
    from likertflow.coding import TEST_RESPONSE

    marks = cohort[TEST_RESPONSE][excluded]
    counts = marks.str.split(": ", n=1).str[0].value_counts()
    return [(str(column), int(count)) for column, count in counts.items()]


def _check_platform_test(rule: dict, questionnaires: Questionnaires) -> list[str]:
    if any(q.export.test_responses for q in questionnaires.values()):
        return []
    return [
        f"exclusions.{rule['id']}: rule platform_test needs the columns where the platform marks "
        "test responses, and no questionnaire's codebook export names any "
        "(export.test_responses, e.g. {Status: [Survey Preview, Survey Test, Spam]})"
    ]


def _quoted(labels) -> str:
    return " or ".join(f'"{label}"' for label in labels)


def _explain_item_nonresponse(rule: dict) -> str:
    named = rule.get("questions")  # optional: without it, every question
    among = f" (among {', '.join(f'``{q}``' for q in named)})" if named else ""
    share = rule.get("min_answered")  # optional: without it, any blank
    if share is None:
        return (
            f"a question that was asked was left unanswered{among}; optional questions never count"
        )
    return (
        f"fewer than {share:.0%} of the questions asked{among} were answered; optional questions "
        "never count"
    )


RULES: dict[str, ExclusionRule] = {
    "answered": ExclusionRule(
        _answered,
        _check_answered,
        "the response gave one of ``labels`` as its answer to ``question``",
        lambda rule: f"``{rule['question']}`` answered {_quoted(rule['labels'])}",
        _left_out_answered,
    ),
    "item_nonresponse": ExclusionRule(
        _item_nonresponse,
        _check_item_nonresponse,
        "a question that was asked (by the skip logic) was left unanswered: any question, or "
        "only those listed in ``questions``; never a question the codebook marks ``optional``; "
        "with ``min_answered`` (a share), only a response that answered less than that share of "
        "the questions asked of it",
        _explain_item_nonresponse,
        columns=_blank_columns,
    ),
    "platform_test": ExclusionRule(
        _platform_test,
        _check_platform_test,
        "the platform marks the response as a preview, test or spam (the codebook's "
        "``export.test_responses``, e.g. Qualtrics ``Status``); a questionnaire whose export "
        "names no such columns has none",
        lambda rule: "marked by the platform as a preview, test or spam response",
        columns=_mark_columns,
    ),
    "less_than": ExclusionRule(
        _threshold(lambda v, x: v < x, "below"),
        _check_numeric,
        "the number answered to the numeric ``question`` is below ``value`` (a blank answer is "
        "not)",
        lambda rule: f"``{rule['question']}`` is below {rule['value']:g}",
    ),
    "greater_than": ExclusionRule(
        _threshold(lambda v, x: v > x, "above"),
        _check_numeric,
        "the number answered to the numeric ``question`` is above ``value`` (a blank answer is "
        "not)",
        lambda rule: f"``{rule['question']}`` is above {rule['value']:g}",
    ),
}
