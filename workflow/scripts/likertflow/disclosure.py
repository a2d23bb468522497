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

Statistics other than counts follow ``STATISTIC_CLASSES``: the documented policy of what each
class of published statistic (a mean rank, a p value, an effect size, ...) shows under each kind
of rule (``regime``: exact, suppression only, or rounding), and why. ``COLUMN_CLASSES`` names the
class of every column of every published table; ``likertflow.publishing`` applies the policy and
``likertflow.output_check`` holds every published cell to it (docs/publishing.md prints it).
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
# Not published either: the respondents with a value of a model's outcome and a group (its
# comparison's n), whom the model's complete cases are part of (``publishing.nested_n``).
OUTCOME_GROUP_N = "outcome_group_n"

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
        values = {k: getattr(settings, k) if settings else f"``{k}``" for k in Disclosure.keys()}
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


# --- What each class of published statistic shows under each kind of rule -----------------------

# The kinds of rule (``regime``): one that publishes everything exactly, one that only suppresses
# small counts (threshold), and one that also rounds every count (nhs).
EXACT, SUPPRESSION, ROUNDING = "exact", "suppression", "rounding"
REGIMES = (EXACT, SUPPRESSION, ROUNDING)
# Forms a published cell of a class may take (``likertflow.output_check`` checks each cell):
# "any" (exact), "count" (as the rule publishes counts), "decimals:<d>" (at most d decimals),
# "journal_p" (as journals print a p), "withheld" (``*`` or empty), "words" (text whose numbers are
# published forms), "label" (not a statistic: names, methods, the shape of the analysis).
WITHHELD = "withheld"


def regime(policy: Policy) -> str:
    """The kind of rule a policy is: ``exact``, ``suppression`` or ``rounding``."""
    if not policy.applies:
        return EXACT
    return ROUNDING if policy.rounding > 1 else SUPPRESSION


@dataclass(frozen=True)
class Shown:
    words: str  # how the class is shown, in words (docs/publishing.md, the output-check report)
    form: str  # what a published cell may look like (see the forms above)


@dataclass(frozen=True)
class StatisticClass:
    """One class of published statistic: what it is, how each kind of rule shows it, and why."""

    name: str
    title: str
    examples: str  # the columns of this class, in words
    shown: dict[str, Shown]  # regime -> how it is shown
    reason: str  # why it is shown so under a rule


def _classes(*classes: StatisticClass) -> dict[str, StatisticClass]:
    return {c.name: c for c in classes}


# A group passes the rule when its n is published and at least the rule's smallest group.
_GROUP_PASSES = "where its group passes the rule"
_GROUPS_PASS = "where every group of its test passes the rule"
STATISTIC_CLASSES: dict[str, StatisticClass] = _classes(
    StatisticClass(
        "count", "count of respondents",
        "n, denominator, n_agree, n_a, n_b in every table; the n of a test, a model, a correlation",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(
                "exact; 1 to min_count - 1 as *, and * where a subtraction (within or across "
                "tables) would reveal one, or where it differs from the n of the population it "
                "is part of (a group's answer, the analysed respondents) by 1 to min_count - 1",
                "count",
            ),
            ROUNDING: Shown(
                "1 to 7 as *, every other count rounded to the nearest 5; * where a subtraction "
                "would reveal a hidden one",
                "count",
            ),
        },
        "a small count, or one worked out by subtraction, can identify people; rounding keeps "
        "exact totals from being subtracted",
    ),
    StatisticClass(
        "percentage", "percentage of a count",
        "percent (descriptive tables), percent_agree of a statement",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(
                "of the published counts, 2 decimals; * with its count", "decimals:2"
            ),
            ROUNDING: Shown(
                "of the published (rounded) counts, 2 decimals; * with its count", "decimals:2"
            ),
        },
        "a percentage of an exact count is the count divided by a published n: it gives the "
        "count back",
    ),
    StatisticClass(
        "proportion_interval", "interval of a percentage",
        "ci_low, ci_high of a statement's % agree (Wilson)",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(
                "of the published counts, 2 decimals; * with its count", "decimals:2"
            ),
            ROUNDING: Shown(
                "of the published (rounded) counts, 2 decimals; * with its count", "decimals:2"
            ),
        },
        "both ends of a Wilson interval are functions of the count and n alone: from exact "
        "counts they give them back",
    ),
    StatisticClass(
        "mean_of_percentages", "mean of percentages",
        "percent_agree of a statement set's mean",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(
                "2 decimals; * when one of its percentages is *", "decimals:2"
            ),
            ROUNDING: Shown(
                "the mean of the published percentages, 2 decimals; * when one of them is *",
                "decimals:2",
            ),
        },
        "a mean of exact percentages is a sum of exact counts over published ns",
    ),
    StatisticClass(
        "resampled_interval", "bootstrap interval of a mean",
        "ci_low, ci_high of a statement set's mean % agree",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown("2 decimals; * with its mean", "decimals:2"),
            ROUNDING: Shown("withheld (*)", WITHHELD),
        },
        "it resamples the exact answers, which a rounding rule does not publish: its centre and "
        "width would be a second, unrounded view of the same counts",
    ),
    StatisticClass(
        "median", "median of a group",
        "median (comparison groups)",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(f"2 decimals, {_GROUP_PASSES}", "decimals:2"),
            ROUNDING: Shown(f"2 decimals, {_GROUP_PASSES}", "decimals:2"),
        },
        "a quantile of a small group is an answer of one of its members (the SDC Handbook's "
        "rule for percentiles); of a larger group it is a point of the answer scale",
    ),
    StatisticClass(
        "mean_rank", "mean rank",
        "mean_rank (comparison groups), mean_rank_a, mean_rank_b (post-hoc pairs)",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(f"1 decimal, {_GROUPS_PASS}", "decimals:1"),
            ROUNDING: Shown("withheld (*)", WITHHELD),
        },
        "n times a mean rank is a rank sum, a half-integer, and a test's rank sums add to "
        "N(N+1)/2: with rounded ns they give the exact ns back; with one group hidden they give "
        "its n back",
    ),
    StatisticClass(
        "test_statistic", "test statistic",
        "statistic (U, H) of a test, z of a Dunn pair",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(f"2 decimals, {_GROUPS_PASS}", "decimals:2"),
            ROUNDING: Shown("withheld (*)", WITHHELD),
        },
        "with its effect size a test statistic is a function of the group sizes alone "
        "(n1 n2 = 2U/(1 + r), N = H/epsilon-squared + 1), and a Dunn z is one of N: they would "
        "undo the rounding; with a group hidden, they give its n back",
    ),
    StatisticClass(
        "effect_size", "effect size and its interval",
        "effect_size, effect_ci_low, effect_ci_high (rank-biserial r, epsilon-squared)",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(f"2 decimals, {_GROUPS_PASS}", "decimals:2"),
            ROUNDING: Shown(
                f"2 decimals, {_GROUPS_PASS}, and * where with the test's p it "
                "would narrow the test's n to one value",
                "decimals:2",
            ),
        },
        "an effect size is a test statistic divided by a function of the ns: at full precision, "
        "or with a statistic, it gives the ns back",
    ),
    StatisticClass(
        "p_value", "p value",
        "p, p_adjusted, gate_p_adjusted, po_term_p, po_test_p, Spearman's p",
        {
            EXACT: Shown("exact (a bound below the smallest float)", "any"),
            SUPPRESSION: Shown(
                f"as journals print it (two decimals, three below 0.01, <0.001, >0.99), "
                f"{_GROUPS_PASS}",
                "journal_p",
            ),
            ROUNDING: Shown(
                f"as journals print it (two decimals, three below 0.01, <0.001, >0.99), "
                f"{_GROUPS_PASS}",
                "journal_p",
            ),
        },
        "a p at full precision gives its test statistic back, and with it the test's tie "
        "correction, which pins the counts of a 5-point answer; the p of a hidden test, with "
        "the visible statistics, gives the hidden group's n back",
    ),
    StatisticClass(
        "log10_p", "log10 of a p value",
        "log10_p, log10_p_adjusted, gate_log10_p_adjusted",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown("withheld (*): the p column says it as journals print it", WITHHELD),
            ROUNDING: Shown("withheld (*): the p column says it as journals print it", WITHHELD),
        },
        "it is the p at full precision (see p value)",
    ),
    StatisticClass(
        "correlation", "correlation",
        "rho (Spearman), item_rest_r, item_rest_min, mean_inter_item_r",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown("2 decimals", "decimals:2"),
            ROUNDING: Shown("2 decimals", "decimals:2"),
        },
        "at full precision, with its p, a correlation gives its n back",
    ),
    StatisticClass(
        "reliability", "reliability coefficient",
        "alpha, alpha_ci_low, alpha_ci_high, alpha_if_deleted, spearman_brown; the values of "
        "reliability warnings",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown("2 decimals", "decimals:2"),
            ROUNDING: Shown("2 decimals", "decimals:2"),
        },
        "Feldt's interval is a function of alpha and n alone: at full precision the two give n "
        "back",
    ),
    StatisticClass(
        "model_estimate", "model estimate",
        "odds_ratio, ci_low, ci_high, estimate, std_error (ordinal models)",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(
                "2 decimals, where both sides of the term's contrast (its level and the "
                "reference) pass the rule and are not hidden in another table",
                "decimals:2",
            ),
            ROUNDING: Shown(
                "2 decimals, where both sides of the term's contrast (its level and the "
                "reference) pass the rule and are not hidden in another table",
                "decimals:2",
            ),
        },
        "a coefficient of a category with few respondents describes their answers (the SDC "
        "Handbook: no coefficient for a category with few observations)",
    ),
    StatisticClass(
        "weighted_estimate", "weighted estimate",
        "a design-weighted total, percentage or mean (likertflow.publishing.publish_weighted)",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(
                "2 decimals, where the unweighted count behind it is published and at least "
                "min_count; * otherwise",
                "decimals:2",
            ),
            ROUNDING: Shown(
                "2 decimals (a weighted total rounded as counts are), where the unweighted "
                "count behind it is published and at least 8; * otherwise",
                "decimals:2",
            ),
        },
        "a weighted estimate of a small group describes few respondents however large their "
        "weights (NHS England and ONS publish one only where its unweighted count passes)",
    ),
    StatisticClass(
        "words", "words quoting statistics",
        "warning (tests, models, reliability), gate (post-hoc pairs)",
        {
            EXACT: Shown("exact", "any"),
            SUPPRESSION: Shown(
                "the numbers in them as in their columns: n as published, p as journals print "
                "it, other statistics 2 decimals; withheld (*) for a hidden test",
                "words",
            ),
            ROUNDING: Shown(
                "the numbers in them as in their columns: n as published, p as journals print "
                "it, other statistics 2 decimals; withheld (*) for a hidden test",
                "words",
            ),
        },
        "a number in words is as revealing as in a column",
    ),
    StatisticClass(
        "design", "shape of the analysis",
        "df, po_test_df, levels, n_items, group_position, code",
        {regime_: Shown("as it is", "label") for regime_ in REGIMES},
        "it describes the analysis (degrees of freedom, the number of distinct outcome values, "
        "of statements, an answer's code), not how many respondents gave an answer",
    ),
    StatisticClass(
        "label", "names and methods",
        "survey, question, response, group, outcome, term, method, family, ...",
        {regime_: Shown("as it is", "label") for regime_ in REGIMES},
        "words of the codebook and config",
    ),
)

# The class of each column of the published tables: (table, column) for a column of one table,
# ("*", column) for a column of the same meaning in any table. A table is named by its file's
# stem; the configured descriptive tables are "descriptive" (``table_kind``).
_LABELS = (
    "survey", "stage", "status", "reason", "question_id", "question", "response",
    "statement_set", "statement", "method", "comparison", "outcome", "group", "group_a",
    "group_b", "test", "effect_size_name", "family", "adjust_method", "group_order",
    "highest_mean_rank", "effect_ci_method", "empty_groups", "term", "covariates", "theme",
    "item", "item_a", "item_b", "gate_test", "gate_family", "adjust_family",
)  # fmt: skip
COLUMN_CLASSES: dict[tuple[str, str], str] = {
    **{("*", column): "label" for column in _LABELS},
    **{("*", column): "count" for column in COUNT_COLUMNS},
    **{("*", column): "design" for column in ("df", "po_test_df", "levels", "n_items",
                                              "group_position", "code")},  # fmt: skip
    ("*", "percent"): "percentage",
    ("*", "p"): "p_value",
    ("*", "p_adjusted"): "p_value",
    ("*", "log10_p"): "log10_p",
    ("*", "log10_p_adjusted"): "log10_p",
    ("*", "warning"): "words",
    ("agreement_summary", "percent_agree"): "percentage",  # a set's mean: mean_of_percentages
    ("agreement_summary", "ci_low"): "proportion_interval",  # a set's mean: resampled_interval
    ("agreement_summary", "ci_high"): "proportion_interval",
    ("comparisons", "statistic"): "test_statistic",
    ("comparisons", "effect_size"): "effect_size",
    ("comparisons", "effect_ci_low"): "effect_size",
    ("comparisons", "effect_ci_high"): "effect_size",
    ("comparison_groups", "mean_rank"): "mean_rank",
    ("comparison_groups", "median"): "median",
    ("posthoc", "z"): "test_statistic",
    ("posthoc", "mean_rank_a"): "mean_rank",
    ("posthoc", "mean_rank_b"): "mean_rank",
    ("posthoc", "gate_p_adjusted"): "p_value",
    ("posthoc", "gate_log10_p_adjusted"): "log10_p",
    ("posthoc", "gate"): "words",
    ("ordinal_models", "odds_ratio"): "model_estimate",
    ("ordinal_models", "ci_low"): "model_estimate",
    ("ordinal_models", "ci_high"): "model_estimate",
    ("ordinal_models", "estimate"): "model_estimate",
    ("ordinal_models", "std_error"): "model_estimate",
    ("ordinal_models", "po_term_p"): "p_value",
    ("ordinal_models", "po_test_p"): "p_value",
    ("theme_correlations", "rho"): "correlation",
    ("theme_reliability", "alpha"): "reliability",
    ("theme_reliability", "alpha_ci_low"): "reliability",
    ("theme_reliability", "alpha_ci_high"): "reliability",
    ("theme_reliability", "item_rest_min"): "correlation",
    ("theme_reliability", "mean_inter_item_r"): "correlation",
    ("theme_reliability", "spearman_brown"): "reliability",
    ("theme_item_rest", "item_rest_r"): "correlation",
    ("theme_item_rest", "alpha_if_deleted"): "reliability",
    ("reliability_warnings", "statistic"): "label",  # the statistic's name
    ("reliability_warnings", "value"): "reliability",
    # issue 23: weighted (codebook design) and paired (config pairs) tables
    **{("weighted_frequencies", column): "weighted_estimate" for column in (
        "weighted_percent", "ci_low", "ci_high", "std_error", "deff", "n_effective")},
    **{("weighted_theme_means", column): "weighted_estimate" for column in (
        "weighted_mean", "ci_low", "ci_high", "std_error", "deff", "n_effective")},
    **{("survey_design", column): "label" for column in (
        "weight", "strata", "clusters", "fpc", "lonely_psu")},
    **{("survey_design", column): "design" for column in ("n_strata", "n_psus")},
    ("survey_design", "n_analysed"): "count",
    **{("survey_design", column): "weighted_estimate" for column in (
        "sum_of_weights", "kish_deff", "n_effective")},
    ("weighted_comparisons", "groups"): "label",
    ("weighted_comparisons", "statistic"): "test_statistic",
    ("weighted_comparisons", "estimate"): "model_estimate",
    **{("paired_tests", column): "label" for column in ("pair", "exact", "marginal_test")},
    **{("paired_tests", column): "count" for column in ("pairs", "unchanged")},
    **{("paired_tests", column): "test_statistic" for column in (
        "signed_rank_v", "marginal_statistic")},
    **{("paired_tests", column): "effect_size" for column in (
        "rank_biserial", "rb_ci_low", "rb_ci_high")},
    ("paired_tests", "marginal_df"): "design",
    ("paired_tests", "marginal_p"): "p_value",
    **{("paired_tables", column): "label" for column in ("pair", "before", "after")},
    ("paired_flow", "pair"): "label",
    **{("weighted_paired_tests", column): "label" for column in ("pair",)},
    **{("weighted_paired_tests", column): "weighted_estimate" for column in (
        "weighted_mean_before", "weighted_mean_after", "mean_difference", "ci_low", "ci_high",
        "std_error", "deff")},
    ("weighted_paired_tests", "statistic"): "test_statistic",
    **{("weighted_paired_tables", column): "label" for column in ("pair", "before", "after")},
    **{("weighted_paired_tables", column): "weighted_estimate" for column in (
        "weighted_percent", "ci_low", "ci_high", "std_error", "deff", "n_effective")},
}  # fmt: skip
# Rows of the agreement summary that are a statement set's mean (``statement`` column).
SET_MEAN = "mean"
DESCRIPTIVE = "descriptive"  # a configured descriptive table, whatever its name
DESCRIPTIVE_COLUMNS = {"question_id", "question", "response", "code", "n", "denominator", "percent"}


def table_kind(stem: str, columns) -> str:
    """The table a published CSV is, for ``COLUMN_CLASSES``: its stem, or ``descriptive`` for a
    table of a question's answers (the configured tables and any other of their columns)."""
    if any(key[0] == stem for key in COLUMN_CLASSES) or stem in (
        "participant_flow", "ledger_summary",
    ):  # fmt: skip
        return stem
    return DESCRIPTIVE if set(columns) <= DESCRIPTIVE_COLUMNS | {"label"} else stem


def column_class(kind: str, column: str, row: Mapping | None = None) -> str | None:
    """The statistic class of a published cell (None: a column the policy does not know, which
    the output check refuses). ``row`` tells a statement set's mean from a statement."""
    name = COLUMN_CLASSES.get((kind, column), COLUMN_CLASSES.get(("*", column)))
    if kind == "agreement_summary" and row is not None and row.get("statement") == SET_MEAN:
        if name == "percentage":
            return "mean_of_percentages"
        if name == "proportion_interval":
            return "resampled_interval"
    return name


def policy_of(settings: Mapping) -> Policy:
    """The policy of config's ``disclosure`` setting (a rule's param, as the schema fills it)."""
    disclosure = Disclosure.from_params(settings)
    return RULES[disclosure.rule].policy(disclosure)


def propagate(
    publications: Iterable[tuple[Key, object]],
    constraints: list[Constraint],
    policy: Policy,
    primary: Iterable[Key] = (),
    facts: Mapping[Key, tuple[float, float]] | None = None,
) -> tuple[dict[Key, float], dict[Key, float], set[Key], set[Key]]:
    """The interval each cell can lie in, as an attacker who knows the rule and every published
    number sees it: (low, high, hidden, unpublished). ``hidden``: cells published as ``*`` or
    not published at all; ``unpublished``: those named only in ``constraints``. ``facts``: more
    bounds the attacker learnt elsewhere (``likertflow.attacker``). The bounds of every "parts
    sum to a total" relation are propagated to a fixed point."""
    primary = set(primary)
    low: dict[Key, float] = {}
    high: dict[Key, float] = {}
    hidden: set[Key] = set()
    contradictions: list[Key] = []  # bounds that cross: the cells and sums cannot all hold

    def narrow(key, bounds) -> bool:
        old = (low.get(key, 0), high.get(key, math.inf))  # a count: at least 0
        low[key], high[key] = max(old[0], bounds[0]), min(old[1], bounds[1])
        if low[key] > high[key]:
            contradictions.append(key)
        return (low[key], high[key]) != old

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
    for key, bounds in (facts or {}).items():
        if key not in low:
            hidden.add(key)
            unpublished.add(key)
        narrow(key, bounds)
    for _ in range(1000):
        changed = False
        for parts, total in constraints:
            changed |= narrow(total, (sum(low[p] for p in parts), sum(high[p] for p in parts)))
            for part in parts:
                others_low = sum(low[p] for p in parts if p != part)
                others_high = sum(high[p] for p in parts if p != part)
                changed |= narrow(part, (low[total] - others_high, high[total] - others_low))
        if not changed or contradictions:  # crossed bounds would only drift further apart
            break
    return low, high, hidden, unpublished


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
    low, high, hidden, unpublished = propagate(publications, constraints, policy, primary)
    suppressed = hidden - unpublished  # a * here and a number elsewhere: recovered too
    return {
        key: int(low[key])
        for key in sorted(hidden, key=str)
        if low[key] == high[key]
        and (key in suppressed or policy.primary(int(low[key])))  # unpublished: only if small
    }


def protect(
    counts: dict[Key, int],
    constraints: list[Constraint],
    policy: Policy,
    hidden_elsewhere: Iterable[Key] = (),
    shown_elsewhere: Iterable[Key] = (),
) -> dict[Key, int | str]:
    """The published value of each count: primary suppression, then secondary suppression of
    the smallest other part of a total until ``recover`` recovers nothing, the rest rounded.
    A total in ``constraints`` that is not among ``counts`` (a sum another table shows, such as
    the respondents who agreed) must not be pinned to a small count either.
    ``hidden_elsewhere``: counts another table hides (the participant flow's analysed
    respondents, hidden there as a complement, not for being small): hidden here too, and kept
    from being recovered. ``shown_elsewhere``: counts another table shows (every statement's
    denominator is the analysed respondents when nobody may skip one): never hidden here to
    protect another, since hiding them protects nothing.

    Deterministic: the same counts give the same pattern in every table that shows them.
    """
    primary = {key for key, n in counts.items() if policy.primary(n)}
    suppressed = primary | set(hidden_elsewhere)
    fixed = suppressed | (set(shown_elsewhere) - primary)  # not to be chosen as a complement
    order = {key: position for position, key in enumerate(counts)}
    while True:
        published = {
            k: SUPPRESSED if k in suppressed else policy.rounded(n) for k, n in counts.items()
        }
        pinned = list(recover(list(published.items()), constraints, policy, primary))
        if not pinned:
            return published
        # the first pinned count with a cell left to hide beside it (a count recovered only
        # through another pinned one has none of its own: hiding beside that one protects both)
        candidates = next(filter(None, (_complements(k, counts, constraints, fixed)
                                        for k in pinned)), None)  # fmt: skip
        if not candidates:
            raise RuntimeError(f"cannot protect suppressed count {pinned[0]!r}")  # a bug
        chosen = min(candidates, key=lambda c: (counts[c] == 0, counts[c], order[c]))
        suppressed.add(chosen)
        fixed.add(chosen)


def _complements(key: Key, counts: dict, constraints: list[Constraint], fixed: set) -> set:
    """The cells that may be hidden to stop ``key`` being recovered: the other parts of a sum
    it is in, else the totals of its sums; none of ``fixed`` (hidden already, or shown
    elsewhere)."""
    if key in counts:
        candidates = {
            candidate
            for parts, total in constraints
            if key in parts or key == total
            for candidate in parts
            if candidate not in fixed and candidate in counts
        }
    else:  # a sum no table shows (those who agreed), pinned to a small count: hide a cell
        # beside its parts, so that their total less the cells shown no longer gives it
        inside = {part for parts, total in constraints if total == key for part in parts}
        candidates = {
            candidate
            for parts, _ in constraints
            if inside & set(parts)
            for candidate in parts
            if candidate not in inside and candidate not in fixed and candidate in counts
        }
    if not candidates:  # nothing left to hide beside it: hide the totals
        candidates = {
            total
            for parts, total in constraints
            if (key in parts) and total not in fixed and total in counts
        }
    return candidates
