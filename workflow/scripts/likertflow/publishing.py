"""What each shareable table shows under a disclosure policy (see ``likertflow.disclosure``).

Every function leaves its table untouched when the policy publishes everything exactly (rule
``none``), so the shipped study's tables stay byte for byte what they were. Otherwise counts are
protected (primary and secondary suppression, rounding), percentages are computed from the
published counts, and medians, mean ranks and tests of groups too small to publish are ``*``.

The descriptive tables and the comparison groups show the same questions' counts: both take
them from the same per-question protection (``publish_frequencies``), so a cell hidden in one
is hidden in the other and no subtraction across tables recovers it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from likertflow.disclosure import (
    COUNT_COLUMNS,
    SMALLEST_LEVEL_N,
    SUPPRESSED,
    Policy,
    protect,
    recover,
)
from likertflow.files import float_text, read_csv, survey_of

DENOMINATOR = ("denominator",)  # the key of a question's denominator among its cells
TEST_STATISTICS = [
    "statistic", "p", "p_adjusted", "effect_size", "effect_ci_low", "effect_ci_high",
    "highest_mean_rank", "log10_p", "log10_p_adjusted",
]  # fmt: skip
PAIR_STATISTICS = ["z", "p", "p_adjusted", "mean_rank_a", "mean_rank_b", "log10_p",
                   "log10_p_adjusted"]  # fmt: skip
TERM_STATISTICS = ["odds_ratio", "ci_low", "ci_high", "p", "estimate", "std_error", "po_term_p",
                   "log10_p"]  # fmt: skip
# A Dunn pair's gate: the p of a test that may itself be hidden
GATE_STATISTICS = ["gate_p_adjusted", "gate_log10_p_adjusted"]


def read_plans(paths) -> dict[str, pd.DataFrame]:
    """Each questionnaire's disclosure plan (``results/disclosure/{survey}.counts.csv``, written
    by ``plan_disclosure``) by survey, as text: a published ``*`` stays a string."""
    return {survey_of(path): read_csv(path, dtype="str", na_values=[]) for path in paths}


def shown(values, hide) -> pd.Series:
    """Values as text for a CSV (floats as ``write_csv`` writes them), ``*`` where ``hide``."""
    values = pd.Series(values).reset_index(drop=True)
    hide = pd.Series(hide).reset_index(drop=True).astype(bool)

    def text(value):
        if isinstance(value, str) or value is None or value is pd.NA:
            return value
        if isinstance(value, float | np.floating):
            return np.nan if np.isnan(value) else float_text(value)
        return value

    return pd.Series([SUPPRESSED if h else text(v) for v, h in zip(values, hide, strict=True)])


def percent_text(n, denominator) -> object:
    """A percentage (two decimals) of published counts; ``*`` if either is suppressed."""
    if SUPPRESSED in (n, denominator):
        return SUPPRESSED
    return np.nan if int(denominator) == 0 else f"{round(100 * int(n) / int(denominator), 2):.2f}"


STATEMENT_COLUMNS = ["survey", "statement_set", "question_id", "question", "response", "code",
                     "n", "denominator", "percent"]  # fmt: skip


def statement_frequencies(plan: pd.DataFrame, questionnaire) -> pd.DataFrame:
    """The published frequencies of a questionnaire's statements, the numbers the Likert figures
    draw (results/tables/statement_frequencies.csv): the rows of its disclosure plan that are
    statements, with its published columns only (never ``count``, the exact one)."""
    sets = {statement.id: statement.statement_set for statement in questionnaire.statements()}
    rows = plan[plan["question_id"].isin(list(sets))]
    rows = rows.assign(survey=questionnaire.survey, statement_set=rows["question_id"].map(sets))
    return rows[STATEMENT_COLUMNS]


def publish_frequencies(table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """A descriptive table (``question_id, ..., n, denominator, percent``) as published: each
    question's cells protected against subtraction from its denominator."""
    if not policy.applies:
        return table
    parts = []
    for _, rows in table.groupby("question_id", sort=False):
        counts = {index: int(n) for index, n in zip(rows.index, rows["n"], strict=True)}
        counts[DENOMINATOR] = int(rows["denominator"].iloc[0])
        published = protect(counts, [(list(rows.index), DENOMINATOR)], policy)
        out = rows.astype({"n": "object", "denominator": "object", "percent": "object"})
        out["n"] = [published[index] for index in rows.index]
        out["denominator"] = published[DENOMINATOR]
        out["percent"] = [percent_text(n, published[DENOMINATOR]) for n in out["n"]]
        parts.append(out)
    return pd.concat(parts)


def publish_flow(flow: pd.DataFrame, relations, policy: Policy) -> pd.DataFrame:
    """The participant flow (``survey, stage, n``) as published; ``relations(stages)`` gives
    the (parts, total) sums between its stages."""
    if not policy.applies:
        return flow
    values = []
    for _, rows in flow.groupby("survey", sort=False):
        counts = dict(zip(rows["stage"], rows["n"].astype("int64"), strict=True))
        published = protect(counts, relations(list(counts)), policy)
        values += [published[stage] for stage in rows["stage"]]
    return flow.astype({"n": "object"}).assign(n=values)


def publish_ledger_summary(summary: pd.DataFrame, flow: pd.DataFrame, stage_of) -> pd.DataFrame:
    """The ledger summary (``survey, status, reason, n``) with each count as the published
    flow shows it (``stage_of(status, reason)`` names its flow stage): one value everywhere."""
    shown_n = dict(zip(zip(flow["survey"], flow["stage"], strict=True), flow["n"], strict=True))
    n = [
        shown_n[(survey, stage_of(status, reason))]
        for survey, status, reason in zip(
            summary["survey"], summary["status"], summary["reason"], strict=True
        )
    ]
    return summary.astype({"n": "object"}).assign(n=n)


def publish_comparisons(
    tests: pd.DataFrame,
    groups: pd.DataFrame,
    posthoc: pd.DataFrame,
    cells: dict[tuple[str, str], tuple[int, object]],
    policy: Policy,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tests, group summaries and Dunn pairs as published.

    ``cells``: (comparison, group) -> (count, published count) of the group's answer in the
    published frequencies, so that a group shows the n its question's table shows. A group whose
    n is hidden or under ``policy.min_statistic_n`` shows no median or mean rank, a test or pair
    involving it shows no statistic, and a test over a hidden group shows no n.
    """
    if not policy.applies:
        return tests, groups, posthoc
    group_n = []
    for comparison, group, n in zip(
        groups["comparison"], groups["group"], groups["n"], strict=True
    ):
        count, published = cells.get((comparison, group), (None, None))
        group_n.append(published if count == int(n) else policy.publish(int(n)))
    hidden = [not policy.statistic_allowed(n) for n in group_n]
    key = list(zip(groups["comparison"], groups["outcome"], groups["group"], strict=True))
    shown_n = dict(zip(key, group_n, strict=True))
    hidden_group = dict(zip(key, hidden, strict=True))
    groups = groups.assign(
        n=group_n,
        mean_rank=shown(groups["mean_rank"], hidden),
        median=shown(groups["median"], hidden),
    )

    def involved(frame, column):
        return [
            {g: (shown_n[(c, o, g)], hidden_group[(c, o, g)]) for g in str(order).split("; ")}
            for c, o, order in zip(
                frame["comparison"], frame["outcome"], frame[column], strict=True
            )
        ]

    test_groups = involved(tests, "group_order")
    test_hidden = [any(h for _, h in members.values()) for members in test_groups]
    n_hidden = [any(n == SUPPRESSED for n, _ in members.values()) for members in test_groups]
    tests = tests.assign(
        n=[
            SUPPRESSED if h else policy.rounded(int(n))
            for n, h in zip(tests["n"], n_hidden, strict=True)
        ],
        **{
            column: shown(tests[column], test_hidden)
            for column in TEST_STATISTICS
            if column in tests
        },
        warning=[_published_warning(text, policy) for text in tests["warning"]],
    )
    pairs = [
        ((c, o, a), (c, o, b))
        for c, o, a, b in zip(
            posthoc["comparison"], posthoc["outcome"], posthoc["group_a"], posthoc["group_b"],
            strict=True,
        )
    ]  # fmt: skip
    pair_hidden = [hidden_group[a] or hidden_group[b] for a, b in pairs]
    hidden_test = dict(
        zip(zip(tests["comparison"], tests["outcome"], strict=True), test_hidden, strict=True)
    )
    gate_hidden = [
        hidden_test.get((c, o), False)
        for c, o in zip(posthoc["comparison"], posthoc["outcome"], strict=True)
    ]
    posthoc = posthoc.assign(
        n_a=[shown_n[a] for a, _ in pairs],
        n_b=[shown_n[b] for _, b in pairs],
        **{
            column: shown(posthoc[column], pair_hidden)
            for column in PAIR_STATISTICS
            if column in posthoc
        },
        **{
            column: shown(posthoc[column], gate_hidden)
            for column in GATE_STATISTICS
            if column in posthoc
        },
    )
    if "gate" in posthoc:  # the gate in words without the hidden test's p
        posthoc["gate"] = [
            re.sub(r" [=<] \S+ < alpha", " < alpha", text) if hidden else text
            for text, hidden in zip(posthoc["gate"], gate_hidden, strict=True)
        ]
    return tests, groups, posthoc


def _published_warning(text, policy: Policy):
    """A test's warning with the group sizes it quotes as published."""
    if not isinstance(text, str):
        return text
    return re.sub(r"\(n=(\d+)\)", lambda m: f"(n={policy.publish(int(m.group(1)))})", text)


def publish_agreement(
    summary: pd.DataFrame,
    questions: dict[tuple[str, str], tuple[pd.DataFrame, list]],
    policy: Policy,
    interval,
) -> pd.DataFrame:
    """The agreement summary as published.

    ``questions``: (survey, statement) -> (the statement's published frequencies: ``code``,
    exact ``count``, published ``n`` and ``denominator``; its agree codes). ``n_agree`` (a sum of
    cells) is hidden when, beside the cells the tables show, it would pin a hidden cell. When the
    rule rounds, percentages and intervals (``interval(agree, n)``) come from the published
    counts. A set's mean (the rows without ``n_agree``) is hidden when one of its statements is.
    """
    if not policy.applies:
        return summary
    table = summary.astype(
        {c: "object" for c in ["n", "n_agree", "percent_agree", "ci_low", "ci_high"]}
    )
    is_mean = summary["n_agree"].isna().to_numpy()
    for index in table.index[~is_mean]:
        row = table.loc[index]
        frequencies, agree = questions[(row["survey"], row["statement"])]
        n = policy.publish(int(row["n"]))
        n_agree = _published_agree(int(row["n_agree"]), frequencies, agree, policy)
        table.at[index, "n"], table.at[index, "n_agree"] = n, n_agree
        if SUPPRESSED in (n, n_agree):
            values = (SUPPRESSED,) * 3
        elif policy.rounding > 1:
            values = (100 * n_agree / n if n else np.nan, *interval(n_agree, n))
            table.at[index, "method"] = f"{row['method']}, of the published (rounded) counts"
        else:
            continue
        table.loc[index, ["percent_agree", "ci_low", "ci_high"]] = values
    for index in table.index[is_mean]:
        members = table[
            (table["survey"] == table.at[index, "survey"])
            & (table["statement_set"] == table.at[index, "statement_set"])
            & ~is_mean
        ]
        table.at[index, "n"] = policy.publish(int(table.at[index, "n"]))
        if (members["percent_agree"] == SUPPRESSED).any():
            table.loc[index, ["percent_agree", "ci_low", "ci_high"]] = (SUPPRESSED,) * 3
        elif policy.rounding > 1:
            table.at[index, "percent_agree"] = float(
                np.mean(members["percent_agree"].astype(float))
            )
            method = table.at[index, "method"]
            table.at[index, "method"] = f"{method}; mean of the published percentages"
    for column in ["percent_agree", "ci_low", "ci_high"]:
        table[column] = shown(table[column], [False] * len(table)).to_numpy()
    return table


def _published_agree(n_agree: int, frequencies: pd.DataFrame, agree: list, policy: Policy):
    """``n_agree`` as published, or ``*`` if publishing it would recover a hidden cell."""
    candidate = policy.publish(n_agree)
    if candidate == SUPPRESSED:
        return candidate
    codes = list(frequencies["code"])
    publications = [
        *zip(codes, frequencies["n"], strict=True),
        (DENOMINATOR, frequencies["denominator"].iloc[0]),
        ("agree", candidate),
    ]
    primary = [c for c, n in zip(codes, frequencies["count"], strict=True) if policy.primary(n)]
    constraints = [(codes, DENOMINATOR), ([c for c in codes if c in agree], "agree")]
    return SUPPRESSED if recover(publications, constraints, policy, primary) else candidate


def publish_counts(table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Every count column of a table (``COUNT_COLUMNS``) published on its own: rounded, or ``*``
    (for counts that sum to nothing else published, such as the n of a correlation)."""
    if not policy.applies:
        return table
    return table.assign(
        **{
            column: [n if pd.isna(n) else policy.publish(int(n)) for n in table[column]]
            for column in COUNT_COLUMNS
            if column in table
        }
    )


def publish_ordinal(models: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Ordinal models as published: the model's n as counts are, and no odds ratio, interval, p,
    estimate or standard error for a term whose contrast has a side (its level or the reference
    level) too small for a statistic; the size of that side is not published."""
    sizes = models[SMALLEST_LEVEL_N]
    models = publish_counts(models.drop(columns=SMALLEST_LEVEL_N), policy)
    if not policy.applies:
        return models
    hidden = [not policy.statistic_allowed(policy.publish(int(n))) for n in sizes]
    return models.assign(
        **{column: shown(models[column], hidden) for column in TERM_STATISTICS if column in models}
    )
