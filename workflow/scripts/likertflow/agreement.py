"""Percent agreement per statement and per statement set (the data of Figure 5).

A respondent agrees with a statement when their answer is one of its answer set's agree codes
(``AnswerSet.agree_codes``: the codebook's ``agree`` labels, or the points above the scale's
midpoint, e.g. agree and strongly agree on a five-point scale), the one definition that the Likert
figures and Figure 5 use too. A reverse-keyed statement is counted in its keyed direction
(``Question.keyed_agree_codes``: agreeing with it means answering at the mirrored, low end of
its scale as worded), so that a set's mean runs one way; or, as config
``analysis.reverse_keyed_agreement`` asks, left out. The denominator of a statement is everyone
who answered it, off-scale answers included (an "Unsure" does not agree). Statement sets on an
unordered scale have no agree end and are left out. Each statement gets a Wilson interval; a set's
mean % agree (the unweighted mean over its statements) gets a percentile bootstrap interval that
resamples respondents, drawn as a multinomial over the distinct answer patterns (equivalent to
resampling rows, and fast for any number of respondents).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from likertflow.codebook import REVERSE_MARK, Questionnaire
from likertflow.resampling import (
    distinct_patterns,
    multinomial_resamples,
    percentile_interval,
)

COLUMNS = ["survey", "statement_set", "statement", "percent_agree", "ci_low", "ci_high", "n"]
MEAN_ROW = "mean"
KEYED = "keyed"  # analysis.reverse_keyed_agreement: counted in the keyed direction
LEFT_OUT = "leave_out"  # or left out


def reverse_note(question) -> str:
    """The method's words for a reverse-keyed statement counted in its keyed direction."""
    labels = " or ".join(question.answers.label_of[code] for code in question.keyed_agree_codes)
    return (
        f"reverse-keyed statement {REVERSE_MARK}: agreeing in its keyed direction, {labels} to it "
        "as worded"
    )


def wilson_interval(agree: int, n: int, confidence: float) -> tuple[float, float]:
    """Wilson score interval for a proportion, in percent (NaN when n = 0).

    statsmodels' ``proportion_confint(method="wilson")``, operation for operation (the same
    floats, tests/unit/test_agreement.py), without its 0.4 s import (issue 10)."""
    if n == 0:
        return np.nan, np.nan
    # Imported here: the figure job that only reads this module's column names never needs it.
    from scipy import special

    z = -float(special.ndtri((1 - confidence) / 2))  # norm.isf of the upper tail
    n = float(n)
    share, z2 = agree / n, z**2
    denominator = 1 + z2 / n
    centre = (share + z2 / (2 * n)) / denominator
    half = z * math.sqrt(share * (1.0 - share) / n + z2 / (4.0 * n**2)) / denominator
    return 100 * min(max(centre - half, 0.0), 1.0), 100 * min(max(centre + half, 0.0), 1.0)


def bootstrap_mean_percent(
    states: np.ndarray, confidence: float, resamples: int, seed: int
) -> tuple[float, float]:
    """Percentile interval of the mean over statements of % agree, resampling respondents.

    ``states`` is (respondents x statements): 0 unanswered, 1 answered without agreeing, 2 agreed.
    """
    return bootstrap_from_patterns(*distinct_patterns(states), confidence, resamples, seed)


def bootstrap_from_patterns(
    patterns: np.ndarray, counts: np.ndarray, confidence: float, resamples: int, seed: int
) -> tuple[float, float]:
    """``bootstrap_mean_percent`` of the respondents that ``counts`` counts by their distinct
    answer ``patterns`` (rows of states, in lexicographic order, as ``distinct_patterns``
    gives them)."""
    n = int(counts.sum())
    if n == 0:
        return np.nan, np.nan
    agreed = (patterns == 2).astype(np.int64)
    answered = (patterns > 0).astype(np.int64)
    rng = np.random.default_rng(seed)
    means = []
    for draws in multinomial_resamples(counts[None, :], resamples, rng):
        weights = draws[:, 0, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            percents = 100 * (weights @ agreed) / (weights @ answered)
        means.append(percents.mean(axis=1))
    return percentile_interval(np.concatenate(means), confidence)


# The partial result of this module (issue 22): per statement set, respondents who answered at
# least one of its statements by their answer pattern, one state a statement (``STATES``) over the
# set's statements on an ordered scale in codebook order, reverse-keyed ones in their keyed
# direction. Integer cells that add up over export batches; everything
# ``agreement_summary_from_cells`` prints follows from them (a left-out reverse-keyed statement:
# its state dropped).
PATTERN_KEYS = ["statement_set", "pattern"]
PATTERN_VALUES = ["n"]
STATES = "012"  # unanswered, answered without agreeing, agreed: one digit each in ``pattern``


def summarised_statements(questionnaire: Questionnaire, set_id: str) -> list:
    """The statements of a set that have an agree end (an ordered scale), in codebook order."""
    return [q for q in questionnaire.statements(set_id) if q.answers.ordinal]


def pattern_cells(rows: pd.DataFrame, questionnaire: Questionnaire, definition=None):
    """``PATTERN_KEYS`` + ``PATTERN_VALUES`` of the rows given (patterns that occur, everyone
    who answered none of a set's statements left out). ``definition``: the analysis definition,
    which these cells do not depend on (``reverse_keyed_agreement`` applies to the summary)."""
    sets, patterns, counts = [], [], []
    for set_id in questionnaire.statement_sets:
        statements = summarised_statements(questionnaire, set_id)
        if not statements:
            continue
        distinct, n = distinct_patterns(_states(rows, statements))
        answered = (distinct > 0).any(axis=1)
        texts = ["".join(STATES[state] for state in row) for row in distinct[answered].tolist()]
        sets += [set_id] * len(texts)
        patterns += texts
        counts += n[answered].tolist()
    return pd.DataFrame(
        {
            "statement_set": pd.Series(sets, dtype="str"),
            "pattern": pd.Series(patterns, dtype="str"),
            "n": pd.Series(counts, dtype=np.int64),
        }
    )


def _states(rows: pd.DataFrame, statements: list) -> np.ndarray:
    """(respondents x statements) states: 0 unanswered, 1 answered without agreeing, 2 agreed
    (off-scale answers are answers that do not agree)."""
    return np.column_stack(
        [
            rows[q.id].notna().to_numpy(dtype=np.int8)
            + rows[q.id].isin(q.keyed_agree_codes).to_numpy(dtype=np.int8)
            for q in statements
        ]
    )


def agreement_summary_from_cells(
    cells: pd.DataFrame,
    questionnaire: Questionnaire,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
    reverse_keyed: str = KEYED,
) -> pd.DataFrame:
    """Per statement set: each statement's % agree with Wilson CI, then the set's mean row, from
    the (combined) ``pattern_cells``.

    ``reverse_keyed``: ``KEYED`` counts a reverse-keyed statement in its keyed direction,
    ``LEFT_OUT`` leaves it out (the mean row's method says how many)."""
    level = f"{100 * confidence:g}%"
    rows = []
    for set_id in questionnaire.statement_sets:
        every = summarised_statements(questionnaire, set_id)
        left_out = [q for q in every if q.reverse] if reverse_keyed == LEFT_OUT else []
        statements = [q for q in every if q not in left_out]
        if not statements:
            continue
        kept = [every.index(q) for q in statements]
        patterns, counts = _set_patterns(cells, set_id, kept)
        percents = []
        for j, question in enumerate(statements):
            n = int(counts[patterns[:, j] > 0].sum())
            agree = int(counts[patterns[:, j] == 2].sum())
            percent = 100 * agree / n if n else np.nan
            percents.append(percent)
            low, high = wilson_interval(agree, n, confidence)
            method = f"{question.answers.agree_description}; Wilson {level} interval"
            if question.reverse:
                method += f"; {reverse_note(question)}"
            rows.append((set_id, question.id, percent, low, high, n, agree, method))
        low, high = bootstrap_from_patterns(patterns, counts, confidence, resamples, seed)
        over = f"{len(statements)} statement{'s' if len(statements) != 1 else ''}"
        method = (
            f"unweighted mean over {over}; percentile bootstrap {level} interval, {resamples} "
            f"resamples of respondents, seed {seed}"
        )
        if any(q.reverse for q in statements):
            method += f"; reverse-keyed statements {REVERSE_MARK} in their keyed direction"
        if left_out:
            method += (
                f"; {len(left_out)} reverse-keyed statement{'s' if len(left_out) > 1 else ''} "
                f"{REVERSE_MARK} left out ({', '.join(q.id for q in left_out)})"
            )
        rows.append(
            (set_id, MEAN_ROW, float(np.mean(percents)), low, high, int(counts.sum()), pd.NA,
             method)
        )  # fmt: skip
    table = pd.DataFrame(rows, columns=[*COLUMNS[1:], "n_agree", "method"]).astype(
        {"n": "int64", "n_agree": "Int64"}
    )
    table.insert(0, "survey", questionnaire.survey)
    return table


def _set_patterns(
    cells: pd.DataFrame, set_id: str, kept: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct patterns of states over the ``kept`` statements (positions among the
    set's summarised statements) of the respondents who answered at least one of them, in
    lexicographic order, and their counts: ``distinct_patterns`` of their rows."""
    mine = cells[cells["statement_set"] == set_id]
    texts = ["".join(text[i] for i in kept) for text in mine["pattern"]]
    summed = (
        pd.Series(mine["n"].to_numpy(dtype=np.int64), index=texts).groupby(level=0).sum()
    )  # sorted: a pattern's digits in order, so lexicographic
    summed = summed[[STATES[0] * len(kept) != text for text in summed.index]]
    patterns = np.array(
        [[STATES.index(digit) for digit in text] for text in summed.index], dtype=np.int8
    ).reshape(len(summed), len(kept))
    return patterns, summed.to_numpy(dtype=np.int64)
