"""Tables for the manuscript: the published CSVs as journals print them, in Word and Excel.

Every number comes from the published tables under ``results/tables/`` (already under the
disclosure rule), read as text: nothing here computes from the respondents, so a Word or Excel
table can show no more than the CSVs do. The tables are built as a small document model
(``Table`` of ``Row`` s of text, with footnotes) by pure functions here, and written to Word and
Excel by ``likertflow.office``.

- **Descriptive tables** (config ``tables``), laid out as the shipped paper's Table 1: one
  column headed by the questionnaire and its N (the analysed respondents of the participant
  flow), a row per question (its wording) and per answer below it, each ``n (%)``. A question
  asked of fewer than all (skip logic) states its n.
- **Comparison tables**, one per configured comparison: a row per outcome, a column per group
  headed by the group and its n, each cell the group's median (mean rank); then the test
  statistic, the effect size with its interval, p and adjusted p. Footnotes name each test, the
  adjustment's method and family, and the disclosure rule.
- **Dunn's post-hoc pairs** that passed their gate, and the **ordinal models**' odds ratios.

p values are printed as the AMA Manual of Style (11th ed., section 20.9) prints them, with the
leading zero BMJ journals use (``journal_p``): two decimals (three where two would round a p
below alpha up to alpha), three below 0.01, ``<0.001`` below 0.001, ``>0.99`` above 0.99.
Counts and percentages are printed as the CSVs hold them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from likertflow.disclosure import SUPPRESSED, Policy
from likertflow.pvalues import journal_p
from likertflow.settings import ManuscriptSettings

NOTHING = "–"  # a cell with no value (a group without respondents for that outcome)
MINUS = "\u2212"
NBSP = "\u00a0"  # keeps a value and its bracket on one line
EQUALS = f"{NBSP}={NBSP}"  # "H(4) = 33.65" never broken
ADJUST_METHODS = {"holm": "Holm's step-down method", "fdr_bh": "Benjamini-Hochberg's method"}
P_NOTE = (
    "p values are two-sided, printed to two decimals (three below 0.01, or where two would "
    "round a p below alpha up to it), <0.001 below 0.001 and >0.99 above 0.99."
)


@dataclass(frozen=True)
class Row:
    """One row of a table: its cells' text; a heading row (a question's wording, an outcome, a
    comparison) is printed bold, a body row under a heading is indented."""

    cells: tuple[str, ...]
    heading: bool = False
    indent: bool = False


@dataclass(frozen=True)
class Table:
    number: int
    title: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[str, ...] = ()

    @property
    def caption(self) -> str:
        return f"Table {self.number}. {self.title}"

    @property
    def sheet(self) -> str:
        """The workbook sheet's name (Excel: at most 31 characters, none of []:*?/\\)."""
        return f"Table {self.number}"


@dataclass(frozen=True)
class Study:
    """What the tables need besides the published CSVs: names from the codebook and config."""

    survey_labels: dict[str, str]  # questionnaire id -> label ("Patients")
    outcome_labels: dict[str, str]  # theme or question id -> its label or wording
    question_texts: dict[tuple[str, str], str]  # (survey, question id) -> wording
    alpha: float
    confidence_level: float
    policy: Policy
    table_specs: dict[str, dict] = field(default_factory=dict)  # config tables, in order
    comparison_specs: dict[str, dict] = field(default_factory=dict)  # config comparisons


# --- numbers as journals print them ---------------------------------------------------------


def n_percent(n: str, percent: str) -> str:
    """A count and its percentage as ``n (p%)``, as the CSV holds them; ``*`` alone where the
    count is hidden.

    Examples
    --------
    >>> n_percent("9", "3.19"), n_percent("*", "*"), n_percent("10", "*")
    ('9 (3.19%)', '*', '10 (*)')
    """
    if n == SUPPRESSED:
        return SUPPRESSED
    if percent in ("", "nan"):
        return n
    return f"{n} ({percent})" if percent == SUPPRESSED else f"{n} ({percent}%)"


def number(cell: str, decimals: int) -> str:
    """A statistic's text rounded for print, a negative one with the minus sign (U+2212) that
    typesetting uses, which no line break separates from its digits; ``*`` and empty cells as
    they are.

    Examples
    --------
    >>> number("-0.48218", 2), number("4.25", 2), number("*", 2)
    ('−0.48', '4.25', '*')
    """
    cell = str(cell).strip()
    if cell in ("", SUPPRESSED) or cell.lower() == "nan":
        return "" if cell.lower() in ("", "nan") else cell
    return f"{float(cell):.{decimals}f}".replace("-", MINUS)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- the tables -----------------------------------------------------------------------------


def descriptive_table(number_: int, name: str, frame, flow, study: Study) -> Table:
    """A configured descriptive table (``question_id, question, response, code, n,
    denominator, percent``, as text) laid out as the paper's Table 1."""
    spec = study.table_specs.get(name, {})
    survey = spec.get("survey", "")
    total = _analysed(flow, survey)
    label = study.survey_labels.get(survey, survey)
    header = ("", f"{label} (N = {total})" if total else label)
    rows, partial = [], False
    for _, question in frame.groupby("question_id", sort=False):
        denominator = str(question["denominator"].iloc[0])
        asked = "" if denominator == total else f"n = {denominator}"
        partial |= bool(asked)
        rows.append(Row((str(question["question"].iloc[0]), asked), heading=True))
        rows += [
            Row((str(response), n_percent(str(n), str(percent))), indent=True)
            for response, n, percent in zip(
                question["response"], question["n"], question["percent"], strict=True
            )
        ]
    notes = ["Values are n (%) of the respondents asked each question."]
    if partial:
        notes.append(
            "A question asked of fewer than all respondents (by the questionnaire's skip logic) "
            "gives its n beside its wording; its percentages are of those asked."
        )
    notes += _disclosure_notes(study.policy, _shows_hidden(frame))
    return Table(number_, spec.get("title", name), header, tuple(rows), tuple(notes))


def _analysed(flow, survey: str) -> str:
    """The questionnaire's analysed respondents as the published participant flow shows them."""
    rows = flow[(flow["survey"] == survey) & (flow["stage"] == "analysed")]
    return str(rows["n"].iloc[0]) if len(rows) else ""


def comparison_table(number_: int, name: str, all_tests, all_groups, study: Study) -> Table:
    """One comparison: a row per outcome, a column per group (median (mean rank)), the test,
    the effect size with its interval, p and adjusted p. ``all_tests`` (every comparison's, for
    the size of each adjustment family) and ``all_groups`` as the published CSVs hold them."""
    tests = all_tests[all_tests["comparison"] == name]
    groups = all_groups[all_groups["comparison"] == name]
    order = (
        groups.assign(position=groups["group_position"].astype(int))
        .sort_values(["position"], kind="stable")["group"]
        .drop_duplicates()
        .tolist()
    )
    sizes = {g: set(groups.loc[groups["group"] == g, "n"].astype(str)) for g in order}
    header = (
        "Outcome",
        *(f"{g} (n = {next(iter(sizes[g]))})" if len(sizes[g]) == 1 else g for g in order),
        "Test statistic",
        f"Effect size ({_level(study)} CI)",
        "p",
        "Adjusted p",
    )
    rows = []
    for test in tests.to_dict("records"):
        in_outcome = groups[groups["outcome"] == test["outcome"]].set_index("group")
        cells = [
            _group_cell(in_outcome.loc[g], len(sizes[g]) > 1) if g in in_outcome.index else NOTHING
            for g in order
        ]
        label = study.outcome_labels.get(test["outcome"], test["outcome"])
        rows.append(
            Row(
                (
                    label,
                    *cells,
                    _statistic(test),
                    _effect(test),
                    journal_p(test["p"], study.alpha),
                    journal_p(test["p_adjusted"], study.alpha),
                )
            )
        )
    notes = [
        "Cells: each group's median (mean rank) of the outcome, a theme score (the mean of the "
        "theme's statement codes) or a statement's code; n: respondents with a value. "
        f"Comparison {name} of results/tables/comparisons.csv.",
        *_test_notes(tests, order, study),
        *_family_notes(tests, all_tests),
        P_NOTE,
        *sorted({f"Warning: {w}." for w in tests["warning"] if str(w) not in ("", "nan")}),
        *_disclosure_notes(study.policy, _shows_hidden(tests) or _shows_hidden(groups)),
    ]
    return Table(number_, _comparison_title(name, study), header, tuple(rows), tuple(notes))


def _group_cell(group, with_n: bool) -> str:
    median, mean_rank = str(group["median"]), str(group["mean_rank"])
    if median == SUPPRESSED:
        cell = SUPPRESSED
    elif mean_rank == SUPPRESSED:  # a rounding rule withholds mean ranks, not medians
        cell = number(median, 2)
    else:
        cell = f"{number(median, 2)}{NBSP}({number(mean_rank, 1)})"
    return f"{cell}; n{EQUALS}{group['n']}" if with_n else cell


def _level(study: Study) -> str:
    return f"{100 * study.confidence_level:g}%"


def _comparison_title(name: str, study: Study) -> str:
    spec = study.comparison_specs.get(name, {})
    if spec.get("by") == "survey":
        labels = [study.survey_labels.get(s, s) for s in spec.get("surveys", [])]
        return f"{', '.join(labels[:-1])} and {labels[-1]} compared"
    survey = spec.get("survey", "")
    by = study.question_texts.get((survey, spec.get("by", "")), spec.get("by", ""))
    return f"{study.survey_labels.get(survey, survey)} by their answer to \u201c{by}\u201d"


def _statistic(test: dict) -> str:
    statistic = str(test["statistic"])
    if test["test"] == "none" or statistic in ("", "nan"):
        return "not tested"
    if statistic == SUPPRESSED:
        return SUPPRESSED
    if test["test"] == "Kruskal-Wallis H":
        return f"H({number(test['df'], 0)}){EQUALS}{number(statistic, 2)}"
    if test["test"] == "Mann-Whitney U":
        return f"U{EQUALS}{float(statistic):g}"
    return f"{test['test']}{EQUALS}{number(statistic, 2)}"


EFFECT_SYMBOLS = {"Kruskal-Wallis H": "ε²", "Mann-Whitney U": "r"}


def _effect(test: dict) -> str:
    value = str(test["effect_size"])
    if value in ("", "nan"):
        return ""
    if value == SUPPRESSED:
        return SUPPRESSED
    symbol = EFFECT_SYMBOLS.get(test["test"], "")
    low, high = number(test["effect_ci_low"], 2), number(test["effect_ci_high"], 2)
    return f"{symbol}{EQUALS}{number(value, 2)}{NBSP}({low} to {high})"


def _test_notes(tests, order: list[str], study: Study) -> list[str]:
    notes = []
    names = set(tests["test"])
    if "Mann-Whitney U" in names:
        first = f"\u201c{order[0]}\u201d" if order else "the first group"
        notes.append(
            f"U: Mann-Whitney U test (U of {first}), two-sided, normal approximation with tie and "
            "continuity correction (exact where there are no ties and a group has at most 8 "
            f"respondents); r: rank-biserial correlation (> 0: {first} ranks higher), with a "
            f"{_level(study)} percentile bootstrap interval."
        )
    if "Kruskal-Wallis H" in names:
        notes.append(
            "H(df): Kruskal-Wallis H test, tie-corrected, chi-squared approximation on the df "
            f"shown; ε²: epsilon-squared = H/(n - 1), with a one-sided {_level(study)} interval "
            "[lower bound, 1] from the noncentral chi-squared distribution of H."
        )
    if "none" in names:
        notes.append("Not tested: fewer than two groups with a value, or all values equal.")
    return notes


def _family_notes(tests, all_tests) -> list[str]:
    """Each adjustment: its method, and the family of tests it ran over."""
    notes = []
    families = tests[["family", "adjust_method"]].drop_duplicates()
    for family, method in zip(families["family"], families["adjust_method"], strict=True):
        members = all_tests[(all_tests["family"] == family) & (all_tests["test"] != "none")]
        comparisons = ", ".join(dict.fromkeys(members["comparison"]))
        notes.append(
            f"Adjusted p: {ADJUST_METHODS.get(method, method)} over the family {family}, the "
            f"{len(members)} tests of {comparisons}."
        )
    return notes


def _shows_hidden(frame) -> bool:
    return bool((frame.astype(str) == SUPPRESSED).to_numpy().any())


def _disclosure_notes(policy: Policy, hidden: bool) -> list[str]:
    """What the disclosure rule did, and what ``*`` means, when a rule applies."""
    if not policy.applies:
        return []
    parts = []
    if policy.min_count > 1:
        parts.append(f"counts from 1 to {policy.min_count - 1} are hidden")
    if policy.rounding > 1:
        parts.append(f"every other count is rounded to the nearest {policy.rounding}")
    if policy.min_statistic_n:
        parts.append(f"no statistic is given for a group of fewer than {policy.min_statistic_n}")
    if policy.rounding > 1:
        parts.append(
            "mean ranks and test statistics are not given, as they would undo the rounding"
        )
    parts.append("statistics are given to two decimals, p as journals print it")
    note = f"Disclosure control ({policy.rule}): {'; '.join(parts)}."
    if hidden:
        note += (
            f" {SUPPRESSED} marks a value hidden by it, or hidden because subtraction from a "
            "total would reveal one."
        )
    return [note]


def posthoc_table(number_: int, name: str, posthoc, study: Study) -> Table | None:
    """One comparison's Dunn pairs that passed their gate, by outcome; None when it has none."""
    posthoc = posthoc[posthoc["comparison"] == name]
    if posthoc.empty:
        return None
    rows = []
    for outcome, pairs in posthoc.groupby("outcome", sort=False):
        rows.append(Row((study.outcome_labels.get(outcome, outcome), *[""] * 5), heading=True))
        for pair in pairs.to_dict("records"):
            ranks = f"{number(pair['mean_rank_a'], 1)} vs {number(pair['mean_rank_b'], 1)}"
            if SUPPRESSED in (str(pair["mean_rank_a"]), str(pair["mean_rank_b"])):
                ranks = SUPPRESSED
            cells = (
                f"{pair['group_a']} vs {pair['group_b']}",
                f"{pair['n_a']} vs {pair['n_b']}",
                ranks,
                number(pair["z"], 2),
                journal_p(pair["p"], study.alpha),
                journal_p(pair["p_adjusted"], study.alpha),
            )
            rows.append(Row(cells, indent=True))
    methods = dict.fromkeys(ADJUST_METHODS.get(m, m) for m in posthoc["adjust_method"])
    gates = dict.fromkeys(str(g) for g in posthoc["gate_family"])
    notes = [
        "Dunn's test with tie correction, two-sided normal p (z > 0: the first group of the pair "
        f"ranks higher); adjusted p: {', '.join(methods)} over the pairs of each outcome.",
        "Shown for the outcomes whose Kruskal-Wallis test had an adjusted p below "
        f"{study.alpha:g} within its family ({', '.join(gates)}). Source: "
        f"results/tables/posthoc.csv, comparison {name}.",
        P_NOTE,
        *_disclosure_notes(study.policy, _shows_hidden(posthoc)),
    ]
    title = f"Dunn's post-hoc pairs: {_comparison_title(name, study)}"
    header = ("Groups compared", "n", "Mean ranks", "z", "p", "Adjusted p")
    return Table(number_, title, header, tuple(rows), tuple(notes))


def ordinal_table(number_: int, name: str, models, study: Study) -> Table | None:
    """One comparison's proportional-odds models: odds ratios by outcome and term; None when
    it declares no ``adjust_for``."""
    if models is None:
        return None
    models = models[models["comparison"] == name]
    if models.empty:
        return None
    rows, doubtful = [], []
    for outcome, terms in models.groupby("outcome", sort=False):
        label = study.outcome_labels.get(outcome, outcome)
        rows.append(Row((label, "", "", f"n = {terms['n'].iloc[0]}"), heading=True))
        if str(terms["warning"].iloc[0]) not in ("", "nan"):
            doubtful.append(label)
        for term in terms.to_dict("records"):
            ratio = number(term["odds_ratio"], 2)
            if ratio != SUPPRESSED:
                ratio += f"{NBSP}({number(term['ci_low'], 2)} to {number(term['ci_high'], 2)})"
            cells = (str(term["term"]), ratio, journal_p(term["p"], study.alpha), "")
            rows.append(Row(cells, indent=True))
    covariates = ", ".join(dict.fromkeys(str(c) for c in models["covariates"]))
    notes = [
        "Proportional-odds (cumulative logit) model of each outcome on the groups (group) and "
        f"{covariates}, by maximum likelihood. Odds ratios > 1: higher outcome values, for each "
        "group against the first and each covariate answer against its lowest; Wald "
        f"{_level(study)} confidence intervals and p; n: respondents with every value "
        f"(complete cases). Source: results/tables/ordinal_models.csv, comparison {name}.",
        P_NOTE,
    ]
    if doubtful:
        notes.append(
            f"Proportional odds doubtful (Brant test p < {study.alpha:g}): {'; '.join(doubtful)}."
            " Read their odds ratios as averages over the outcome's cut points."
        )
    notes += _disclosure_notes(study.policy, _shows_hidden(models))
    title = f"Adjusted ordinal models: {_comparison_title(name, study)}"
    header = ("Outcome and term", f"Odds ratio ({_level(study)} CI)", "p", "n")
    return Table(number_, title, header, tuple(rows), tuple(notes))


def _interval(low: str, high: str, decimals: int) -> str:
    """An interval as ``low to high`` (``*`` where hidden, empty where undefined)."""
    low, high = number(low, decimals), number(high, decimals)
    if SUPPRESSED in (low, high):
        return SUPPRESSED
    return f"{low} to {high}" if low and high else ""


def weighted_table(number_: int, survey: str, frequencies, study: Study) -> Table:
    """A weighted questionnaire's answers (``weighted_frequencies.csv``, issue 23): per question
    its wording, then per answer the unweighted n, the weighted % with its interval and the
    design effect."""
    frame = frequencies[frequencies["survey"] == survey]
    rows = []
    for _, question in frame.groupby("question_id", sort=False):
        rows.append(Row((str(question["question"].iloc[0]), "", "", ""), heading=True))
        for answer in question.to_dict("records"):
            percent = number(answer["weighted_percent"], 1)
            interval = _interval(answer["ci_low"], answer["ci_high"], 1)
            shown = f"{percent} ({interval})" if interval and percent != SUPPRESSED else percent
            rows.append(Row((str(answer["response"]), str(answer["n"]), shown,
                             number(answer["deff"], 2)), indent=True))  # fmt: skip
    method = str(frame["method"].iloc[0]) if len(frame) else ""
    notes = [
        "n: respondents who gave the answer (unweighted); weighted %: of those who answered, "
        f"with its {_level(study)} confidence interval; deff: design effect.",
        f"Method: {method}.",
        *_disclosure_notes(study.policy, _shows_hidden(frame)),
    ]
    label = study.survey_labels.get(survey, survey)
    header = ("", "n", f"Weighted % ({_level(study)} CI)", "deff")
    return Table(number_, f"Weighted percentages: {label}", header, tuple(rows), tuple(notes))


def paired_table(number_: int, pair: str, tests, study: Study) -> Table:
    """A before-and-after pair's tests (``paired_tests.csv``, issue 23), a row per statement."""
    frame = tests[tests["pair"] == pair]
    rows = []
    for test in frame.to_dict("records"):
        effect = number(test["rank_biserial"], 2)
        interval = _interval(test["rb_ci_low"], test["rb_ci_high"], 2)
        rows.append(Row((
            str(test["question"]), f"{test['pairs']} ({test['unchanged']})",
            number(test["signed_rank_v"], 1), journal_p(test["p"], study.alpha),
            f"{effect} ({interval})" if interval and effect != SUPPRESSED else effect,
            journal_p(test["marginal_p"], study.alpha),
        )))  # fmt: skip
    notes = [
        "Pairs: matched people who answered the statement at both times (unchanged: those "
        "whose answer did not change, left out of the signed-rank test). V: Wilcoxon's "
        "signed-rank statistic of after minus before; r: matched-pairs rank-biserial "
        f"correlation (> 0: higher after) with its {_level(study)} confidence interval; "
        "marginal p: Stuart-Maxwell test of marginal homogeneity (McNemar's for two points).",
        *_disclosure_notes(study.policy, _shows_hidden(frame)),
    ]
    header = ("Statement", "Pairs (unchanged)", "V", "p", f"r ({_level(study)} CI)",
              "Marginal p")  # fmt: skip
    return Table(number_, f"Before and after: {pair}", header, tuple(rows), tuple(notes))


WEIGHTED_TESTS = {  # weighted_comparisons.csv's test -> (its row's name, what its estimate is)
    "design-based rank test": ("Rank test", "difference in mean rank score"),
    "proportional-odds model": ("Proportional-odds model", "log odds ratio"),
    "difference in means": ("Difference in means", "difference in weighted mean score"),
}
WEIGHTED_MODELS = ("proportional-odds model", "difference in means")  # an interval in the method
_WALD_F = re.compile(r"as F on \((\d+), (\d+)\) df")  # a rank test of more than two groups
_INTERVAL = re.compile(r"^[^(]*\(([^()]+) to ([^()]+)\); ")  # "... (low to high); " opening


def _method_interval(method: str) -> tuple[str, str]:
    """The interval a row of ``weighted_comparisons.csv`` gives at the start of its method
    (``"... (low to high); ..."``), as text; empty where it gives none (a rank test)."""
    found = _INTERVAL.match(method)
    return (found.group(1), found.group(2)) if found else ("", "")


def _method_alone(method: str) -> str:
    """A method's words without the interval it starts with."""
    found = _INTERVAL.match(method)
    return method[found.end():] if found else method


def weighted_comparison_table(number_: int, name: str, comparisons, study: Study) -> Table:
    """One comparison on the design (``weighted_comparisons.csv``, issue 23): per outcome its
    n, then Lumley and Scott's rank test and, per group against the first, the
    proportional-odds model of a statement or the difference in weighted mean of a theme score,
    each with its statistic, df, estimate (with its interval) and p."""
    frame = comparisons[comparisons["comparison"] == name]
    rows = []
    for outcome, tests in frame.groupby("outcome", sort=False):
        label = study.outcome_labels.get(outcome, outcome)
        rows.append(Row((label, str(tests["n"].iloc[0]), "", "", "", ""), heading=True))
        for test in tests.to_dict("records"):
            what = WEIGHTED_TESTS.get(test["test"], (test["test"], ""))[0]
            groups = str(test["groups"])
            wald = _WALD_F.search(str(test["method"]))  # more than two groups: chi-squared, F
            statistic = number(test["statistic"], 2)
            if statistic not in ("", SUPPRESSED):
                statistic = f"{'χ²' if wald else 't'}{EQUALS}{statistic}"
            df = f"{wald.group(1)}, {wald.group(2)}" if wald else number(test["df"], 0)
            estimate = number(test["estimate"], 2)
            low, high = _method_interval(str(test["method"]))
            if estimate not in ("", SUPPRESSED) and low and test["test"] in WEIGHTED_MODELS:
                estimate += f"{NBSP}({_interval(low, high, 2)})"
            cells = (f"{what}: {groups.replace('; ', ', ')}", "", statistic, df, estimate,
                     journal_p(test["p"], study.alpha))  # fmt: skip
            rows.append(Row(cells, indent=True))
    methods = dict.fromkeys(_method_alone(str(m)) for m in frame["method"])
    notes = [
        "Each outcome's n: respondents in a compared group with a value (unweighted). Rank test: "
        "Lumley and Scott's design-based rank test, t (two groups; estimate: the difference in "
        "mean rank score, second group less first) or Wald χ² (more groups, its p from "
        "F = χ²/(k − 1) on the df shown). Proportional-odds model: log odds ratio of a higher "
        "answer, each group against the first. Difference in means: the difference in weighted "
        f"mean score, each group against the first. Intervals: {_level(study)}, on the df "
        f"shown. Source: results/tables/weighted_comparisons.csv, comparison {name}.",
        *(f"Method: {method}." for method in methods),
        P_NOTE,
        *_disclosure_notes(study.policy, _shows_hidden(frame)),
    ]
    title = f"Compared on the survey design: {_comparison_title(name, study)}"
    header = ("Outcome and test", "n", "Statistic", "df", f"Estimate ({_level(study)} CI)", "p")
    return Table(number_, title, header, tuple(rows), tuple(notes))


def weighted_paired_table(number_: int, pair: str, tests, study: Study) -> Table:
    """A weighted panel's tests (``weighted_paired_tests.csv``, issue 23), a row per statement:
    the matched people's weighted mean answer before and after, the difference with its
    interval, and the design-based t test of the differences."""
    frame = tests[tests["pair"] == pair]
    rows = []
    for test in frame.to_dict("records"):
        difference = number(test["mean_difference"], 2)
        if difference not in ("", SUPPRESSED):
            difference += f"{NBSP}({_interval(test['ci_low'], test['ci_high'], 2)})"
        statistic = number(test["statistic"], 2)
        if statistic not in ("", SUPPRESSED):
            statistic = f"t({number(test['df'], 0)}){EQUALS}{statistic}"
        rows.append(Row((
            str(test["question"]), str(test["n"]), number(test["weighted_mean_before"], 2),
            number(test["weighted_mean_after"], 2), difference, statistic,
            journal_p(test["p"], study.alpha),
        )))  # fmt: skip
    method = str(frame["method"].iloc[0]) if len(frame) else ""
    notes = [
        "n: matched people who answered the statement at both times (unweighted). Before, "
        "after: their weighted mean answer code (the scale's codes, not mirrored); difference: "
        f"after less before, with its {_level(study)} confidence interval; t: the design-based "
        "one-sample t test of the paired differences. Source: "
        f"results/tables/weighted_paired_tests.csv, pair {pair}.",
        f"Method: {method}.",
        P_NOTE,
        *_disclosure_notes(study.policy, _shows_hidden(frame)),
    ]
    header = ("Statement", "n", "Before", "After", f"Difference ({_level(study)} CI)", "t",
              "p")  # fmt: skip
    return Table(number_, f"Before and after, weighted: {pair}", header, tuple(rows),
                 tuple(notes))  # fmt: skip


def weighted_before_after_tables(number_: int, pair: str, cells, study: Study) -> list[Table]:
    """A weighted panel's before-by-after tables (``weighted_paired_tables.csv``, issue 23): per
    statement a row per answer before, a column per answer after, each cell the weighted % of
    the matched people with its unweighted n. Statements on the same scale share a table."""
    frame = cells[cells["pair"] == pair]
    scales: dict[tuple[str, ...], list] = {}
    for statement, part in frame.groupby("statement", sort=False):
        after = tuple(dict.fromkeys(part["after"]))
        scales.setdefault(after, []).append((statement, part))
    tables = []
    for after, statements in scales.items():
        rows = []
        for statement, part in statements:
            label = study.outcome_labels.get(statement, statement)
            rows.append(Row((label, *[""] * len(after)), heading=True))
            for before, answers in part.groupby("before", sort=False):
                shown = [
                    n_percent(str(cell["n"]), number(cell["weighted_percent"], 1))
                    for cell in answers.to_dict("records")
                ]
                rows.append(Row((str(before), *shown), indent=True))
        notes = [
            "Rows: the answer before; columns: the answer after. Cells: unweighted n (weighted "
            "% of the matched people who answered at both times, by the first wave's design). "
            "Intervals, design effects and effective sample sizes: "
            f"results/tables/weighted_paired_tables.csv, pair {pair}.",
            *(f"Method: {m}." for m in dict.fromkeys(str(m) for m in frame["method"])),
            *_disclosure_notes(study.policy, _shows_hidden(frame)),
        ]
        title = f"Before by after, weighted: {pair}"
        header = ("Before \\ after", *after)
        tables.append(Table(number_ + len(tables), title, header, tuple(rows), tuple(notes)))
    return tables


def manuscript_tables(
    descriptive: dict,
    flow,
    tests,
    groups,
    posthoc,
    models,
    study: Study,
    weighted=None,
    paired=None,
    weighted_comparisons=None,
    weighted_pairs=None,
) -> list[Table]:
    """Every table in print order: the descriptive tables in config order, then for each
    comparison in config order its table, its Dunn pairs and its ordinal models; then, when
    given, each weighted questionnaire's weighted percentages (``weighted``), each comparison on
    the design (``weighted_comparisons``, in config order), each pair's tests (``paired``), and
    each weighted panel's tests and before-by-after tables (``weighted_pairs``: the frames of
    weighted_paired_tests.csv and weighted_paired_tables.csv). Inputs are the published CSVs
    read as text (``descriptive``: table name -> its frame; ``models`` None when no comparison
    has them)."""
    tables: list[Table] = []
    for name in study.table_specs:
        if name in descriptive:
            tables.append(descriptive_table(len(tables) + 1, name, descriptive[name], flow, study))
    for name in study.comparison_specs:
        if (tests["comparison"] == name).any():
            tables.append(comparison_table(len(tables) + 1, name, tests, groups, study))
        for build, frame in [(posthoc_table, posthoc), (ordinal_table, models)]:
            table = build(len(tables) + 1, name, frame, study)
            if table is not None:
                tables.append(table)
    if weighted is not None:
        for survey in dict.fromkeys(weighted["survey"]):
            tables.append(weighted_table(len(tables) + 1, survey, weighted, study))
    if weighted_comparisons is not None:
        for name in study.comparison_specs:
            if (weighted_comparisons["comparison"] == name).any():
                tables.append(weighted_comparison_table(len(tables) + 1, name,
                                                        weighted_comparisons, study))  # fmt: skip
    if paired is not None:
        for pair in dict.fromkeys(paired["pair"]):
            tables.append(paired_table(len(tables) + 1, pair, paired, study))
    if weighted_pairs is not None:
        tests, cells = weighted_pairs
        for pair in dict.fromkeys(tests["pair"]):
            tables.append(weighted_paired_table(len(tables) + 1, pair, tests, study))
            tables += weighted_before_after_tables(len(tables) + 1, pair, cells, study)
    return tables


def study_of(
    questionnaires: dict, config: dict, settings: ManuscriptSettings, policy: Policy
) -> Study:
    """Names for the tables from the codebook's questionnaires (``Questionnaire`` by survey) and
    the config (its ``tables`` and ``comparisons``), with the run's alpha and confidence level."""
    outcome_labels, question_texts = {}, {}
    for survey, questionnaire in questionnaires.items():
        for question in questionnaire.questions:
            question_texts[(survey, question.id)] = question.text
            outcome_labels.setdefault(question.id, _capitalised(question.text))
        for theme in questionnaire.themes.values():
            outcome_labels.setdefault(theme.id, theme.label)
    return Study(
        survey_labels={survey: q.label for survey, q in questionnaires.items()},
        outcome_labels=outcome_labels,
        question_texts=question_texts,
        alpha=settings.alpha,
        confidence_level=settings.confidence_level,
        policy=policy,
        table_specs=dict(config["tables"]),
        comparison_specs=dict(config["comparisons"]),
    )
