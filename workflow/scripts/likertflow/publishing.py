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
    OUTCOME_GROUP_N,
    ROUNDING,
    SMALLEST_LEVEL_N,
    SUPPRESSED,
    SUPPRESSION,
    Policy,
    protect,
    recover,
    regime,
)
from likertflow.files import float_text, read_csv, survey_of
from likertflow.pvalues import journal_p

DENOMINATOR = ("denominator",)  # the key of a question's denominator among its cells
EFFECT_COLUMNS = ["effect_size", "effect_ci_low", "effect_ci_high"]
P_COLUMNS = ["p", "p_adjusted", "gate_p_adjusted", "po_term_p", "po_test_p"]
LOG10_COLUMNS = ["log10_p", "log10_p_adjusted", "gate_log10_p_adjusted"]
TERM_STATISTICS = ["odds_ratio", "ci_low", "ci_high", "p", "estimate", "std_error", "po_term_p",
                   "log10_p"]  # fmt: skip
MODEL_ESTIMATES = ["odds_ratio", "ci_low", "ci_high", "estimate", "std_error"]


def read_plans(paths) -> dict[str, pd.DataFrame]:
    """Each questionnaire's disclosure plan (``results/disclosure/{survey}.counts.csv``, written
    by ``describe_cohorts``) by survey, as text: a published ``*`` stays a string."""
    return {survey_of(path): read_csv(path, dtype="str", na_values=[]) for path in paths}


def shown(values, hide) -> pd.Series:
    """Values as text for a CSV (floats as ``write_csv`` writes them), ``*`` where ``hide``."""
    values = pd.Series(values).reset_index(drop=True)

    def text(value):  # text, integers and missing values other than NaN as they are
        if isinstance(value, float | np.floating):
            return np.nan if np.isnan(value) else float_text(value)
        return value

    return pd.Series([SUPPRESSED if h else text(v) for v, h in zip(values, hide, strict=True)])


def decimals(values, places: int, hide=None) -> pd.Series:
    """Statistics rounded to ``places`` decimals as text (``0.04``), ``*`` where ``hide``; a
    value that is already text (``*``, a bound) and a missing one as they are.

    >>> decimals([0.03963, -0.4821, 4.0, float("nan"), "*"], 2).tolist()
    ['0.04', '-0.48', '4.00', nan, '*']
    """
    values = pd.Series(values).reset_index(drop=True)
    hide = [False] * len(values) if hide is None else list(hide)

    def text(value):
        if isinstance(value, str) or value is None or value is pd.NA:
            return value
        if np.isnan(value):
            return np.nan
        rounded = round(float(value), places)
        return f"{0.0 if rounded == 0 else rounded:.{places}f}"

    return pd.Series([SUPPRESSED if h else text(v) for v, h in zip(values, hide, strict=True)])


def journal(values, hide, alpha: float) -> pd.Series:
    """p values as journals print them (``pvalues.journal_p``), ``*`` where ``hide``."""
    values = pd.Series(values).reset_index(drop=True)

    def text(value):
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return np.nan
        printed = journal_p(str(value), alpha)  # a float's text reads back as the float
        return printed or np.nan

    return pd.Series([SUPPRESSED if h else text(v) for v, h in zip(values, hide, strict=True)])


def withheld(values) -> pd.Series:
    """A column withheld by the policy: ``*`` in every row that has a value."""
    return pd.Series(
        [v if v is None or (isinstance(v, float) and np.isnan(v)) else SUPPRESSED for v in values]
    )


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


def answer_sums(questionnaire, question_ids) -> dict[str, list[list[int]]]:
    """The sums of a statement's answers that tables and figures show beside its cells: those
    who agreed (the agreement summary's n_agree, the Likert figures' high pole) and those below
    the scale's middle (the figures' low pole). ``publish_frequencies`` keeps each from being
    worked out as a small count."""
    sums = {}
    for question_id in question_ids:
        question = questionnaire.question(question_id)
        if question.statement_set is None or not question.answers.ordinal:
            continue
        scale = question.answers.scale_codes
        sums[question_id] = [list(question.answers.agree_codes), scale[: len(scale) // 2]]
    return sums


def publish_frequencies(
    table: pd.DataFrame, policy: Policy, sums: dict[str, list[list[int]]] | None = None
) -> pd.DataFrame:
    """A descriptive table (``question_id, ..., n, denominator, percent``) as published: each
    question's cells protected against subtraction from its denominator, and against a sum of
    its answers (``sums``: question id -> lists of codes, ``answer_sums``) being worked out as a
    small count."""
    if not policy.applies:
        return table
    parts = []
    for question_id, rows in table.groupby("question_id", sort=False):
        counts = {index: int(n) for index, n in rows["n"].items()}
        counts[DENOMINATOR] = int(rows["denominator"].iloc[0])
        constraints = [(list(rows.index), DENOMINATOR)]
        for position, codes in enumerate((sums or {}).get(question_id, [])):
            members = [i for i, code in rows["code"].items()
                       if not pd.isna(code) and int(code) in codes]  # fmt: skip
            others = [i for i in rows.index if i not in members]
            # the sum, and the denominator less the other cells: both give it (bounds
            # propagated through the one, not the other)
            total = ("sum", position)
            constraints += [(members, total), ([total, *others], DENOMINATOR)]
        published = protect(counts, constraints, policy)
        out = rows.astype({"n": "object", "denominator": "object", "percent": "object"})
        out["n"] = [published[index] for index in rows.index]
        out["denominator"] = published[DENOMINATOR]
        out["percent"] = [percent_text(n, published[DENOMINATOR]) for n in out["n"]]
        parts.append(out)
    return pd.concat(parts)


def publish_flow(
    flow: pd.DataFrame, relations, policy: Policy, plans: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """The participant flow (``survey, stage, n``) as published; ``relations(stages)`` gives
    the (parts, total) sums between its stages. ``plans``: the questionnaires' disclosure plans
    (``read_plans``); where a statement's published denominator is the analysed respondents
    (nobody analysed skipped it), the flow hides another stage to protect a small exclusion,
    since hiding the analysed would protect nothing."""
    if not policy.applies:
        return flow
    values = []
    for survey, rows in flow.groupby("survey", sort=False):
        counts = dict(_rows(rows, "stage", "n"))
        shown_elsewhere = ["analysed"] if _shows_analysed(plans.get(survey), counts) else []
        published = protect(counts, relations(list(counts)), policy, (), shown_elsewhere)
        values += [published[stage] for stage in rows["stage"]]
    return flow.astype({"n": "object"}).assign(n=values)


def _shows_analysed(plan: pd.DataFrame | None, counts: dict) -> bool:
    """Whether a questionnaire's disclosure plan shows a denominator equal to its analysed
    respondents (the exact counts of a question add up to them, its denominator shown)."""
    if plan is None or not len(plan):
        return False
    exact = plan.astype({"count": "int64"}).groupby("question_id", sort=False)["count"].sum()
    shown_denominator = plan.groupby("question_id", sort=False)["denominator"].first()
    return bool(((exact == counts["analysed"]) & (shown_denominator != SUPPRESSED)).any())


def flow_as_published(flow_path) -> dict[tuple[str, str], int | str]:
    """The published participant flow (results/tables/participant_flow.csv) as (survey, stage)
    -> the count shown, or ``SUPPRESSED``. Every other table that shows one of these numbers
    takes it from here: one value everywhere, or a count the flow hides would come back by
    subtraction from the flow's other stages."""
    flow = read_csv(flow_path, dtype="str", na_values=[])
    return {
        (survey, stage): n if n == SUPPRESSED else int(n)
        for survey, stage, n in _rows(flow, "survey", "stage", "n")
    }


def analysed_as_published(flow_path) -> dict[str, int | str]:
    """Each questionnaire's analysed respondents as the published flow shows them."""
    return {
        survey: n
        for (survey, stage), n in flow_as_published(flow_path).items()
        if stage == "analysed"  # likertflow.flow's stage of the analysed
    }


def comparison_group_cells(
    plans: dict[str, pd.DataFrame],
    group_questions: dict[str, tuple[str, str]],
    survey_groups: dict[str, dict[str, str]],
    analysed: dict[str, int],
    flow_path,
) -> dict[tuple[str, str], tuple[int, int | str]]:
    """(comparison, group label) -> (count, published count) of the population a group is part
    of: the answer that forms it, from the published frequencies (``plans``, ``read_plans``) of
    the comparison's grouping question (``group_questions``: comparison -> (survey, question));
    or, for a comparison of questionnaires (``survey_groups``: comparison -> survey -> label),
    the questionnaire's analysed respondents (``analysed``: survey -> rows of its cohort) as the
    published participant flow shows them."""
    cells = {}
    for comparison, (survey, question) in group_questions.items():
        if survey not in plans:
            continue
        plan = plans[survey]
        rows = plan[plan["question_id"] == question]
        for label, count, n in zip(rows["response"], rows["count"], rows["n"], strict=True):
            cells[(comparison, label)] = (int(count), n if n == SUPPRESSED else int(n))
    shown = analysed_as_published(flow_path)
    for comparison, surveys in survey_groups.items():
        for survey, label in surveys.items():
            cells[(comparison, label)] = (analysed[survey], shown[survey])
    return cells


def publish_ledger_summary(summary: pd.DataFrame, flow: pd.DataFrame, stage_of) -> pd.DataFrame:
    """The ledger summary (``survey, status, reason, n``) with each count as the published
    flow shows it (``stage_of(status, reason)`` names its flow stage): one value everywhere."""
    shown_n = {(survey, stage): n for survey, stage, n in _rows(flow, "survey", "stage", "n")}
    n = [
        shown_n[(survey, stage_of(status, reason))]
        for survey, status, reason in _rows(summary, "survey", "status", "reason")
    ]
    return summary.astype({"n": "object"}).assign(n=n)


def publish_comparisons(
    tests: pd.DataFrame,
    groups: pd.DataFrame,
    posthoc: pd.DataFrame,
    cells: dict[tuple[str, str], tuple[int, object]],
    policy: Policy,
    alpha: float,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tests, group summaries and Dunn pairs as published (``STATISTIC_CLASSES``).

    ``cells``: (comparison, group) -> (count, published count) of the population a group is
    part of: its answer of the grouping question in the published frequencies, or its
    questionnaire's analysed respondents in the published flow. A group with as many
    respondents shows the n shown there; one with fewer (respondents without a value of the
    outcome) shows its own n, unless the difference is a count the rule would hide (threshold)
    or the population's own count is hidden. A group passes when its n is shown and at least
    ``policy.min_statistic_n``; a test passes when every group it involves passes. Only a
    passing group shows its median, and only a passing test its n, statistic, mean ranks,
    effect size, p values and warning; the Dunn pairs of a test that does not pass are not
    published at all (their rows would say that its adjusted p passed the gate). Under a rule,
    statistics are shown at journal precision, and under a rounding rule the mean ranks and test
    statistics are withheld, the effect sizes too where with their p they would give a test's n
    back (``likertflow.inversion``).
    """
    if not policy.applies:
        return tests, groups, posthoc
    rounding = regime(policy) == ROUNDING
    # by (comparison, outcome, group): the exact n, the n as published, whether it passes
    exact_n = {
        (c, o, g): int(n) for c, o, g, n in _rows(groups, "comparison", "outcome", "group", "n")
    }
    shown_n = {
        key: _group_n(cells.get((key[0], key[2]), (None, None)), n, policy)
        for key, n in exact_n.items()
    }
    group_passes = {key: policy.statistic_allowed(n) for key, n in shown_n.items()}
    # by (comparison, outcome): the groups of each test, and whether it is hidden
    test_members = {
        (c, o): [(c, o, g) for g in str(order).split("; ")]
        for c, o, order in _rows(tests, "comparison", "outcome", "group_order")
    }
    hidden_test = {
        test: not all(group_passes[m] for m in group) for test, group in test_members.items()
    }
    test_hidden = [hidden_test[test] for test in _rows(tests, "comparison", "outcome")]
    group_test_hidden = [hidden_test.get((c, o), True) for c, o, _ in shown_n]
    groups = groups.assign(
        n=list(shown_n.values()),
        mean_rank=decimals(groups["mean_rank"], 1, [h or rounding for h in group_test_hidden]),
        median=decimals(groups["median"], 2, [not p for p in group_passes.values()]),
    )
    tests = tests.assign(
        n=[
            SUPPRESSED
            if any(shown_n[m] == SUPPRESSED for m in test_members[(c, o)])
            else policy.publish(int(n))
            for c, o, n in _rows(tests, "comparison", "outcome", "n")
        ],
        statistic=decimals(tests["statistic"], 2, [h or rounding for h in test_hidden]),
        **{
            column: decimals(tests[column], 2, test_hidden)
            for column in EFFECT_COLUMNS
            if column in tests
        },
        **{c: journal(tests[c], test_hidden, alpha) for c in P_COLUMNS if c in tests},
        **{column: withheld(tests[column]) for column in LOG10_COLUMNS if column in tests},
        highest_mean_rank=shown(tests["highest_mean_rank"], test_hidden),
        warning=[
            SUPPRESSED
            if hidden_test[(c, o)]
            else _published_warning(text, test_members[(c, o)], exact_n, shown_n)
            for c, o, text in _rows(tests, "comparison", "outcome", "warning")
        ],
    )  # fmt: skip
    if rounding:
        from likertflow.inversion import effect_sizes_to_withhold

        withhold = effect_sizes_to_withhold(tests, groups, policy)
        tests = tests.assign(
            **{c: shown(tests[c], withhold) for c in EFFECT_COLUMNS if c in tests}
        )  # fmt: skip
    kept = [not hidden_test[test] for test in _rows(posthoc, "comparison", "outcome")]
    posthoc = posthoc[np.array(kept, dtype=bool)].reset_index(drop=True)
    none = [False] * len(posthoc)
    posthoc = posthoc.assign(
        n_a=[shown_n[a] for a in _rows(posthoc, "comparison", "outcome", "group_a")],
        n_b=[shown_n[b] for b in _rows(posthoc, "comparison", "outcome", "group_b")],
        z=decimals(posthoc["z"], 2, [rounding] * len(posthoc)),
        mean_rank_a=decimals(posthoc["mean_rank_a"], 1, [rounding] * len(posthoc)),
        mean_rank_b=decimals(posthoc["mean_rank_b"], 1, [rounding] * len(posthoc)),
        **{c: journal(posthoc[c], none, alpha) for c in P_COLUMNS if c in posthoc},
        **{column: withheld(posthoc[column]) for column in LOG10_COLUMNS if column in posthoc},
    )  # fmt: skip
    if "gate" in posthoc:  # the gate in words, its p as journals print it
        posthoc["gate"] = [
            _journal_gate(text, p, alpha) for text, p in _rows(posthoc, "gate", "gate_p_adjusted")
        ]
    return tests, groups, posthoc


def _rows(frame: pd.DataFrame, *columns: str):
    """The values of a frame's ``columns`` row by row, as tuples."""
    return zip(*(frame[column] for column in columns), strict=True)


def _group_n(cell: tuple[int | None, object], n: int, policy: Policy):
    """A group's n as published, from (count, published count) of the population it is part of
    (see ``publish_comparisons``)."""
    count, published = cell
    if count is None:  # no population published for it: its n on its own
        return policy.publish(n)
    if count == n:
        return published
    if published == SUPPRESSED:  # fewer than a hidden count: the n would bound it
        return SUPPRESSED
    if regime(policy) == SUPPRESSION and policy.primary(count - n):
        return SUPPRESSED  # the difference would be a count the rule hides
    return policy.publish(n)


def _published_warning(text, members, exact_n, shown_n):
    """A test's warning with the group sizes it quotes (``B (n=41)``) as published."""
    if not isinstance(text, str):
        return text
    for member in members:
        group = member[2]
        text = text.replace(f"{group} (n={exact_n[member]})", f"{group} (n={shown_n[member]})")
    return text


def _journal_gate(text, p, alpha: float):
    """A post-hoc gate's words with its adjusted p as journals print it."""
    if not isinstance(text, str):
        return text
    printed = journal_p(str(p), alpha)
    relation = "<" if printed.startswith("<") else "="
    value = printed.removeprefix("<")
    return re.sub(r" [=<] \S+ < alpha", f" {relation} {value} < alpha", text)


def publish_agreement(
    summary: pd.DataFrame,
    questions: dict[tuple[str, str], tuple[pd.DataFrame, list]],
    policy: Policy,
    interval,
) -> pd.DataFrame:
    """The agreement summary as published.

    ``questions``: (survey, statement) -> (the statement's published frequencies: ``code``,
    exact ``count``, published ``n`` and ``denominator``; its agree codes). A statement's n is its
    published denominator; ``n_agree`` (a sum of cells) is hidden when, beside the cells the
    tables show, it would pin a hidden cell. Percentages and Wilson intervals
    (``interval(agree, n)``) come from the published counts, at 2 decimals. A set's mean (the
    rows without ``n_agree``) is the mean of its statements' published percentages, hidden when
    one of them is; its bootstrap interval, which resamples the exact answers, is withheld under
    a rounding rule.
    """
    if not policy.applies:
        return summary
    rounding = regime(policy) == ROUNDING
    table = summary.astype(
        {c: "object" for c in ["n", "n_agree", "percent_agree", "ci_low", "ci_high"]}
    )
    is_mean = summary["n_agree"].isna().to_numpy()
    for index in table.index[~is_mean]:
        row = table.loc[index]
        frequencies, agree = questions[(row["survey"], row["statement"])]
        n = _published_denominator(frequencies, int(row["n"]), policy)
        n_agree = _published_agree(int(row["n_agree"]), frequencies, agree, policy)
        table.at[index, "n"], table.at[index, "n_agree"] = n, n_agree
        if SUPPRESSED in (n, n_agree):
            values = (SUPPRESSED,) * 3
        else:
            values = (100 * n_agree / n if n else np.nan, *interval(n_agree, n))
            if rounding:
                table.at[index, "method"] = f"{row['method']}, of the published (rounded) counts"
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
            continue
        # the mean of the percentages as published (two decimals), so that it reads as theirs
        published = [float(v) for v in decimals(members["percent_agree"], 2)]
        table.at[index, "percent_agree"] = float(np.mean(published))
        method = table.at[index, "method"]
        table.at[index, "method"] = f"{method}; mean of the published percentages"
        if rounding:
            table.loc[index, ["ci_low", "ci_high"]] = (SUPPRESSED,) * 2
            table.at[index, "method"] += "; its interval withheld under a rounding rule"
    for column in ["percent_agree", "ci_low", "ci_high"]:
        table[column] = decimals(table[column], 2).to_numpy()
    return table


def _published_denominator(frequencies: pd.DataFrame, n: int, policy: Policy):
    """A statement's n (everyone who answered it) as its published frequencies show it: their
    denominator when everyone asked answered, else the sum of the answers' cells, ``*`` if that
    sum would pin a hidden cell."""
    if not len(frequencies):
        return policy.publish(n)
    denominator = frequencies["denominator"].iloc[0]
    if int(frequencies["count"].sum()) == n:
        return denominator if denominator == SUPPRESSED else int(denominator)
    answered = [c for c in frequencies["code"] if c not in ("", None) and not pd.isna(c)]
    return _published_sum(n, answered, frequencies, policy)


def _published_agree(n_agree: int, frequencies: pd.DataFrame, agree: list, policy: Policy):
    """``n_agree`` as published, or ``*`` if publishing it would recover a hidden cell."""
    codes = [c for c in frequencies["code"] if c in agree]
    return _published_sum(n_agree, codes, frequencies, policy)


def _published_sum(total: int, parts: list, frequencies: pd.DataFrame, policy: Policy):
    """A sum of some of a question's cells as published, or ``*`` if publishing it beside the
    cells its table shows would recover a hidden cell."""
    candidate = policy.publish(total)
    if candidate == SUPPRESSED:
        return candidate
    codes = list(frequencies["code"])
    publications = [
        *_rows(frequencies, "code", "n"),
        (DENOMINATOR, frequencies["denominator"].iloc[0]),
        ("sum", candidate),
    ]
    primary = [c for c, n in _rows(frequencies, "code", "count") if policy.primary(n)]
    constraints = [(codes, DENOMINATOR), (parts, "sum")]
    return SUPPRESSED if recover(publications, constraints, policy, primary) else candidate


def nested_n(n: int, parents, policy: Policy):
    """The n of respondents with a value, among a population (or several) whose exact counts
    ``parents`` hold: as counts are published, and, under a threshold rule, ``*`` where it
    differs from one of them by a count the rule hides (the difference would tell how many
    respondents have no value: "2 of the 120 did not answer")."""
    if regime(policy) == SUPPRESSION and any(policy.primary(int(p) - int(n)) for p in parents):
        return SUPPRESSED
    return policy.publish(int(n))


# The statistics of the theme tables and the decimals they are published with under a rule.
THEME_STATISTICS = {
    "rho": 2, "alpha": 2, "alpha_ci_low": 2, "alpha_ci_high": 2, "item_rest_min": 2,
    "mean_inter_item_r": 2, "spearman_brown": 2, "item_rest_r": 2, "alpha_if_deleted": 2,
    "value": 2,
}  # fmt: skip


def publish_theme_tables(
    tables: dict[str, pd.DataFrame],
    on_scale: dict[str, int],
    theme_items: dict[str, list[str]],
    policy: Policy,
    alpha: float,
) -> dict[str, pd.DataFrame]:
    """The theme tables (``correlations``, ``reliability``, ``item_rest``, ``warnings``) of one
    questionnaire as published. ``on_scale``: statement -> respondents with an on-scale answer
    (exact), the population every n of the tables is part of; ``theme_items``: theme -> its
    statements. A correlation's n (pairwise complete) is nested in its two statements', a
    theme's (listwise complete) in its statements' and its pairs' (``nested_n``); the statistics
    are shown at 2 decimals, p as journals print it, log10 p withheld."""
    if not policy.applies:
        return tables
    out = dict(tables)
    pairs: dict[str, list[int]] = {}
    if "correlations" in tables:
        frame = tables["correlations"]
        for theme, n in _rows(frame, "theme", "n"):
            pairs.setdefault(theme, []).append(int(n))
        out["correlations"] = frame.assign(
            n=[
                nested_n(n, [on_scale[a], on_scale[b]], policy)
                for n, a, b in _rows(frame, "n", "item_a", "item_b")
            ]
        )
    for name in ("reliability", "item_rest"):
        if name not in tables:
            continue
        frame = tables[name]
        out[name] = frame.assign(
            n=[
                nested_n(
                    n, [*(on_scale[i] for i in theme_items[theme]), *pairs.get(theme, [])], policy
                )
                for n, theme in _rows(frame, "n", "theme")
            ]
        )
    for name, frame in out.items():
        no_hide = [False] * len(frame)
        out[name] = frame.assign(
            **{c: decimals(frame[c], d) for c, d in THEME_STATISTICS.items() if c in frame},
            **{c: journal(frame[c], no_hide, alpha) for c in P_COLUMNS if c in frame},
            **{c: withheld(frame[c]) for c in LOG10_COLUMNS if c in frame},
            **({"warning": [published_words(w, alpha) for w in frame["warning"]]}
               if "warning" in frame else {}),
        )  # fmt: skip
    return out


# A p quoted in words, or another number with more than 2 decimals (``published_words``).
WORDS_NUMBER = re.compile(r"\bp = (?P<p>[0-9.eE+-]+)|(?<![\d.])(?P<number>-?\d+\.\d{3,})(?!\d)")


def published_words(text, alpha: float):
    """Words quoting statistics with their numbers as the columns publish them: a p (``p =
    0.0123``) as journals print it, any other number with more than 2 decimals at 2. One pass:
    a p once printed is not rounded again (``p = 0.008`` stays, ``p <0.001`` is not ``<0.00``).

    >>> published_words("alpha 0.442 is below 0.5; Brant test p = 0.0123 < 0.05", 0.05)
    'alpha 0.44 is below 0.5; Brant test p = 0.01 < 0.05'
    >>> published_words("Brant test p = 1.2e-05 < 0.05; p = 0.0461", 0.05)
    'Brant test p <0.001 < 0.05; p = 0.046'
    """
    if not isinstance(text, str):
        return text

    def published(match) -> str:
        if match["p"] is None:
            return decimals([float(match["number"])], 2)[0]
        printed = journal_p(match["p"], alpha)  # "p = 0.012", or a bound: "p <0.001"
        return f"p {printed}" if printed.startswith(("<", ">")) else f"p = {printed}"

    return re.sub(WORDS_NUMBER, published, text)


def publish_ordinal(
    models: pd.DataFrame,
    policy: Policy,
    alpha: float = 0.05,
    hidden_levels: set | None = None,
) -> pd.DataFrame:
    """Ordinal models as published: the model's n as counts are (nested in the respondents
    with a value of the outcome and a group, ``OUTCOME_GROUP_N``), and no odds ratio,
    interval, p, estimate or standard error for a term whose contrast has a side (its level or
    the reference level) too small for a statistic, or hidden in another table
    (``hidden_levels``: (question or "group", label) pairs); the size of that side is not
    published. Under a rule the estimates are shown at 2 decimals, p as journals print it."""
    exact = models
    parent = OUTCOME_GROUP_N if OUTCOME_GROUP_N in models else "n"
    models = models.drop(columns=[c for c in (SMALLEST_LEVEL_N, OUTCOME_GROUP_N) if c in models])
    if not policy.applies:
        return models
    hidden_levels = hidden_levels or set()
    hidden = [
        not policy.statistic_allowed(policy.publish(int(n)))
        or bool(term_levels(term) & hidden_levels)
        for n, term in _rows(exact, SMALLEST_LEVEL_N, "term")
    ]  # fmt: skip
    none = [False] * len(models)
    return models.assign(
        n=[nested_n(n, [outer], policy) for n, outer in _rows(exact, "n", parent)],
        **{column: decimals(models[column], 2, hidden) for column in MODEL_ESTIMATES},
        **{
            column: journal(models[column], hidden if column in TERM_STATISTICS else none, alpha)
            for column in P_COLUMNS
            if column in models
        },
        **{column: withheld(models[column]) for column in LOG10_COLUMNS if column in models},
        **({"warning": [published_words(text, alpha) for text in models["warning"]]}
           if "warning" in models else {}),
    )  # fmt: skip


def term_levels(term: str) -> set[tuple[str, str]]:
    """The (variable, label) pairs of a model term's contrast: ``"age: 25-34 vs 18-24"`` ->
    {("age", "25-34"), ("age", "18-24")}; a linear term (``"age: per unit"``) has none."""
    variable, _, contrast = str(term).partition(": ")
    if " vs " not in contrast:
        return set()
    level, _, reference = contrast.partition(" vs ")
    return {(variable, level), (variable, reference)}


def publish_weighted(
    estimates: pd.DataFrame,
    unweighted: pd.Series,
    policy: Policy,
    totals: list[str] = (),
    statistics: list[str] = (),
) -> pd.DataFrame:
    """Weighted estimates (issue 23's design-based tables) as published: each row shown only
    where the unweighted count behind it (``unweighted``, one per row, as the disclosure rule
    published it: a count or ``*``) passes the rule, as NHS England and ONS publish weighted
    figures. ``totals``: columns of weighted counts (rounded as counts are, never below the
    rule's smallest count); ``statistics``: weighted percentages and means (2 decimals).

    >>> toy = pd.DataFrame({"total": [1234.6, 5.2], "percent": [61.234, 2.5]})
    >>> nhs = Policy("nhs", min_count=8, rounding=5, min_statistic_n=8)
    >>> publish_weighted(toy, pd.Series([40, "*"]), nhs, ["total"], ["percent"]).values.tolist()
    [[1235, '61.23'], ['*', '*']]
    """
    if not policy.applies:
        return estimates
    hide = [not policy.statistic_allowed(n) for n in unweighted]
    out = estimates.assign(
        **{column: decimals(estimates[column], 2, hide) for column in statistics}
    )
    for column in totals:
        out[column] = [
            SUPPRESSED if h else policy.publish(int(round(float(v))))
            for v, h in zip(estimates[column], hide, strict=True)
        ]
    return out
