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
    patterns, counts = distinct_patterns(states)
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


def agreement_summary(
    analysed: pd.DataFrame,
    questionnaire: Questionnaire,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
    reverse_keyed: str = KEYED,
) -> pd.DataFrame:
    """Per statement set: each statement's % agree with Wilson CI, then the set's mean row.

    ``reverse_keyed``: ``KEYED`` counts a reverse-keyed statement in its keyed direction,
    ``LEFT_OUT`` leaves it out (the mean row's method says how many)."""
    level = f"{100 * confidence:g}%"
    rows = []
    for set_id in questionnaire.statement_sets:
        statements = [q for q in questionnaire.statements(set_id) if q.answers.ordinal]
        left_out = [q for q in statements if q.reverse] if reverse_keyed == LEFT_OUT else []
        statements = [q for q in statements if q not in left_out]
        if not statements:
            continue
        states = np.column_stack(
            [
                analysed[q.id].notna().to_numpy(dtype=np.int8)
                + analysed[q.id].isin(q.keyed_agree_codes).to_numpy(dtype=np.int8)
                for q in statements
            ]
        )
        percents = []
        for j, question in enumerate(statements):
            n = int((states[:, j] > 0).sum())
            agree = int((states[:, j] == 2).sum())
            percent = 100 * agree / n if n else np.nan
            percents.append(percent)
            low, high = wilson_interval(agree, n, confidence)
            method = f"{question.answers.agree_description}; Wilson {level} interval"
            if question.reverse:
                method += f"; {reverse_note(question)}"
            rows.append((set_id, question.id, percent, low, high, n, agree, method))
        respondents = states[(states > 0).any(axis=1)]
        low, high = bootstrap_mean_percent(respondents, confidence, resamples, seed)
        method = (
            f"unweighted mean over {len(statements)} statements; percentile bootstrap {level} "
            f"interval, {resamples} resamples of respondents, seed {seed}"
        )
        if any(q.reverse for q in statements):
            method += f"; reverse-keyed statements {REVERSE_MARK} in their keyed direction"
        if left_out:
            method += (
                f"; {len(left_out)} reverse-keyed statement{'s' if len(left_out) > 1 else ''} "
                f"{REVERSE_MARK} left out ({', '.join(q.id for q in left_out)})"
            )
        rows.append(
            (set_id, MEAN_ROW, float(np.mean(percents)), low, high, len(respondents), pd.NA, method)
        )
    table = pd.DataFrame(rows, columns=[*COLUMNS[1:], "n_agree", "method"]).astype(
        {"n": "int64", "n_agree": "Int64"}
    )
    table.insert(0, "survey", questionnaire.survey)
    return table
