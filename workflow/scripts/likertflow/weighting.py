"""The tables of a questionnaire with a survey design (codebook ``design``) and of before-and-after
pairs (config ``pairs``): the workflow's glue between the cohort and the pure statistics of
``likertflow.design``, ``likertflow.design_tests`` and ``likertflow.paired``.

The design is the **full sample**: every response of every batch that the duplicate rule keeps,
excluded ones included (``sample_units``). Estimates are made on the analysed cohort, a domain of
that design: a stratum or PSU whose responses were all excluded still counts in the variance, with
nothing of its own, as ``subset()`` of an ``svydesign`` does (Lumley 2010, sec. 2.3); no row is
ever deleted from the design. Each estimate's domain is the analysed responses that answered
(``svymean(na.rm = TRUE)``), or that answered and belong to a compared group.

Every ``*_table`` function returns exact numbers; ``publish_*`` applies the disclosure rule to
them: a weighted cell is shown only where its unweighted count, as the disclosure plan publishes
it, passes the rule (``likertflow.publishing.publish_weighted``).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from likertflow import design as D
from likertflow import design_tests as T
from likertflow import paired as P
from likertflow.bands import apply_bands
from likertflow.cleaning import keep_one_per_id, merge_batches
from likertflow.codebook import FPC, LINK, PSU, STRATUM, WEIGHT, Questionnaire
from likertflow.coding import blank_ids, normalise_ids
from likertflow.errors import InputError, Problem
from likertflow.settings import Comparison, Pair
from likertflow.themes import theme_score

ONE_STRATUM = "all"  # the stratum label of an unstratified design
UNIT_COLUMNS = ["stratum", "psu", "responses", "population"]
FREQUENCY_COLUMNS = [
    "survey", "question_id", "question", "response", "code", "n", "weighted_percent", "ci_low",
    "ci_high", "std_error", "deff", "n_effective", "df", "method",
]  # fmt: skip
MEAN_COLUMNS = [
    "survey", "theme", "n", "weighted_mean", "ci_low", "ci_high", "std_error", "deff",
    "n_effective", "df", "method",
]  # fmt: skip
TEST_COLUMNS = [
    "comparison", "survey", "outcome", "n", "groups", "test", "statistic", "df", "p",
    "estimate", "method",
]  # fmt: skip


@contextmanager
def design_checked(questionnaire: Questionnaire):
    """A design that cannot be used as declared (a stratum with a single PSU under
    ``lonely_psu: fail``, an fpc below the PSUs sampled) as an ``InputError`` naming the
    codebook's design block and what to change, not a traceback."""
    try:
        yield
    except D.DesignError as error:
        raise InputError(
            f"{questionnaire.survey}: the survey design cannot be used as declared",
            [Problem(f"codebook questionnaires.{questionnaire.survey}.design",
                     "a design survey can estimate a variance from: for a stratum with a single "
                     "sampling unit, choose lonely_psu (adjust, average, remove, certainty)",
                     value=str(error))],  # fmt: skip
        ) from None


def _strata(rows: pd.DataFrame) -> np.ndarray:
    if STRATUM in rows:
        return rows[STRATUM].astype("str").to_numpy(dtype=object)
    return np.full(len(rows), ONE_STRATUM, dtype=object)


def _psus(rows: pd.DataFrame) -> np.ndarray | None:
    return rows[PSU].astype("str").to_numpy(dtype=object) if PSU in rows else None


def sample_units(batches: list[pd.DataFrame], questionnaire: Questionnaire) -> pd.DataFrame:
    """The sampling units of the full sample: per (stratum, PSU) its responses, and per stratum
    its population (the fpc; NaN without one), from every response the duplicate rule keeps.
    ``InputError`` where a stratum's fpc differs between its responses."""
    responses = merge_batches(batches, questionnaire)
    kept, _ = keep_one_per_id(responses.reset_index(drop=True), questionnaire.question_ids)
    rows = responses.reset_index(drop=True)[kept]
    strata = _strata(rows)
    units = D.SampleUnits.from_responses(stratum=strata, psu=_psus(rows), length=len(rows))
    population = {}
    if FPC in rows:
        fpc = pd.DataFrame({"stratum": strata, "fpc": rows[FPC].to_numpy()})
        spread = fpc.groupby("stratum")["fpc"].agg(["min", "max"])
        varying = spread[spread["min"] != spread["max"]]
        if len(varying):
            column = questionnaire.design.fpc
            raise InputError(
                f"{questionnaire.survey}: the finite population correction differs within a "
                "stratum",
                [Problem(f"{questionnaire.survey} exports", "one population size per stratum",
                         column=column, value=f"stratum {s}: {lo:g} to {hi:g}")
                 for s, (lo, hi) in varying.iterrows()],  # fmt: skip
            )
        population = spread["min"].to_dict()
    return pd.DataFrame(
        {
            "stratum": units.stratum.astype("str"),
            "psu": "" if units.psu is None else units.psu.astype("str"),
            "responses": units.responses.astype("int64"),
            "population": [population.get(s, np.nan) for s in units.stratum],
        }
    )[UNIT_COLUMNS]


def read_units(path) -> pd.DataFrame:
    """The units file ``sample_units`` wrote, labels as text."""
    from likertflow.files import read_csv

    units = read_csv(path, dtype={"stratum": "str", "psu": "str"})
    # an unclustered design's PSU column is empty: read back as floats (NaN), not text
    return units.assign(psu=units["psu"].astype("str").fillna(""))


def design_of(units: pd.DataFrame, questionnaire: Questionnaire) -> D.Design:
    """The ``Design`` of the full sample's units (``sample_units``, as read back from its CSV)."""
    spec = questionnaire.design
    clustered = spec.clusters is not None
    strata = units["stratum"].astype("str").to_numpy(dtype=object)
    psu = units["psu"].astype("str").to_numpy(dtype=object) if clustered else None
    sample = D.SampleUnits(strata, psu, units["responses"].to_numpy("int64"))
    population = None
    if spec.fpc is not None:
        population = dict(zip(strata, units["population"].astype("float64"), strict=True))
    return sample.design(population, spec.lonely_psu)


def _cells(rows: pd.DataFrame, cell: np.ndarray) -> D.CellTotals:
    return D.CellTotals.from_responses(cell, rows[WEIGHT].to_numpy("float64"), _strata(rows),
                                       _psus(rows))  # fmt: skip


def frequencies_table(
    analysed: pd.DataFrame,
    questionnaire: Questionnaire,
    design: D.Design,
    level: float,
    method: str,
    deff: str,
) -> pd.DataFrame:
    """Every answered question's weighted percentages (0-100) with design-based intervals,
    standard errors, design effects and effective sample sizes, and the unweighted ``n`` of each
    answer: ``svymean(~factor(q), subset(design, analysed & !is.na(q)), deff = TRUE)`` and
    ``svyciprop(~I(q == code), ..., method = method)``."""
    parts = []
    for question in questionnaire.questions:
        if question.numeric:
            continue
        codes = question.answers.codes
        answered = analysed[question.id].isin(codes).to_numpy(dtype=bool, na_value=False)
        rows = analysed[answered]
        if not len(rows):
            continue
        cell = pd.Index(codes).get_indexer(rows[question.id].astype("int64"))
        estimates = D.proportions(_cells(rows, cell), design, len(codes), level, method, deff)
        parts.append(
            pd.DataFrame(
                {
                    "survey": questionnaire.survey,
                    "question_id": question.id,
                    "question": question.text,
                    "response": question.answers.labels,
                    "code": codes,
                    "n": [e.count for e in estimates],
                    "weighted_percent": [100 * e.estimate for e in estimates],
                    "ci_low": [100 * e.ci_low for e in estimates],
                    "ci_high": [100 * e.ci_high for e in estimates],
                    "std_error": [100 * e.std_error for e in estimates],
                    "deff": [e.deff for e in estimates],
                    "n_effective": [e.n_effective for e in estimates],
                    "df": [e.df for e in estimates],
                    "method": [e.method for e in estimates],
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=FREQUENCY_COLUMNS)
    return pd.concat(parts, ignore_index=True)[FREQUENCY_COLUMNS]


def theme_means_table(
    analysed: pd.DataFrame, questionnaire: Questionnaire, design: D.Design, level: float, deff: str
) -> pd.DataFrame:
    """Each theme's weighted mean score with its design-based interval (normal quantile, as
    ``confint(svymean(~score, subset(design, !is.na(score))))``), design effect and effective
    sample size."""
    rows = []
    for theme in questionnaire.themes.values():
        score = theme_score(analysed, questionnaire, theme).to_numpy()
        scored_rows = analysed[~np.isnan(score)]
        values = score[~np.isnan(score)]
        moments = D.MomentTotals.from_responses(
            values, scored_rows[WEIGHT].to_numpy("float64"), _strata(scored_rows),
            _psus(scored_rows),
        )  # fmt: skip
        e = D.mean(moments, design, level, deff)
        rows.append([questionnaire.survey, theme.id, e.n, e.estimate, e.ci_low, e.ci_high,
                     e.std_error, e.deff, e.n_effective, e.df, e.method])  # fmt: skip
    return pd.DataFrame(rows, columns=MEAN_COLUMNS)


ITEM, THEME = "item", "theme"  # the kinds of outcome tested on the design


def design_outcome(
    rows: pd.DataFrame, questionnaire: Questionnaire, outcome: str
) -> tuple[np.ndarray, str] | None:
    """An outcome tested on the design, per row (float64, NaN where missing), with its kind: a
    theme's score (``THEME``) or an ordinal question's code, off-scale answers missing
    (``ITEM``, unmirrored); None for anything else (a number, an unordered answer, an outcome
    the questionnaire lacks)."""
    if outcome in questionnaire.themes:
        score = theme_score(rows, questionnaire, questionnaire.themes[outcome])
        return score.to_numpy("float64"), THEME
    if outcome not in questionnaire.question_ids:
        return None
    question = questionnaire.question(outcome)
    if question.numeric or not question.answers.ordinal:
        return None
    return scored_codes(rows, questionnaire, outcome), ITEM


def question_groups(
    analysed: pd.DataFrame, questionnaire: Questionnaire, by: str, omit: list[str]
) -> tuple[np.ndarray, list[str]]:
    """Each row's group (its position among the by-question's on-scale answers but ``omit``;
    -1 in none) and the groups' labels. A numeric question must have had its config bands
    applied (``likertflow.bands.apply_bands``)."""
    grouping = questionnaire.question(by)
    kept = [o for o in grouping.answers.options if not o.off_scale and o.label not in omit]
    group = pd.Index([o.code for o in kept]).get_indexer(analysed[by])
    return group.astype("int64"), [o.label for o in kept]


@dataclass(frozen=True)
class StackedDesign(D.Design):
    """The design of independent samples analysed together (a comparison ``by: survey``): each
    questionnaire's strata are strata of the stack (crossed with the questionnaire), its
    clusters stay its own, an unclustered questionnaire's responses are each a PSU."""

    surveys: tuple[str, ...] = ()

    def describe(self) -> str:
        return (
            f"independent samples stacked ({', '.join(self.surveys)}), each questionnaire's "
            f"strata strata of the stack; {super().describe()}"
        )


def stacked_design(
    parts: list[tuple[pd.DataFrame, pd.DataFrame, Questionnaire]],
) -> tuple[pd.DataFrame, StackedDesign]:
    """The design of several questionnaires sampled independently, as ``svydesign`` on their
    stacked data with strata = questionnaire x stratum and ids = each questionnaire's clusters
    (an unclustered one's responses each its own PSU), the fpc per stratum as declared: ``parts``
    are (analysed cohort, sampling units as ``sample_units`` wrote them, questionnaire). Returns
    the analysed rows stacked (design columns rewritten: ``STRATUM`` the stack's stratum,
    ``PSU`` its PSU) and the design. ``DesignError`` for a questionnaire without a design or
    questionnaires whose lonely-PSU rules differ (the stack has one)."""
    missing = [q.survey for _, _, q in parts if q.design is None]
    if missing:
        raise D.DesignError(
            f"{', '.join(missing)} declare no survey design: a design-based comparison of "
            "questionnaires needs the design of each"
        )
    rules = {q.design.lonely_psu for _, _, q in parts}
    if len(rules) > 1:
        raise D.DesignError(
            f"the questionnaires compared declare different lonely_psu rules ({sorted(rules)}): "
            "a stacked design has one; declare the same in each"
        )
    rows, strata, psus, population = [], [], [], []
    for analysed, units, questionnaire in parts:
        spec, survey = questionnaire.design, questionnaire.survey
        stratum = survey + ": " + pd.Series(_strata(analysed), dtype="str")
        if spec.clusters is None:  # each response its own PSU
            psu = pd.Series([f"#{i}" for i in range(len(analysed))], dtype="str")
            counted = units.groupby("stratum", sort=True)["responses"].sum()
        else:
            psu = pd.Series(_psus(analysed), dtype="str")
            counted = units.groupby("stratum", sort=True)["psu"].count()
        size = units.groupby("stratum", sort=True)["population"].first()
        for label, count in counted.items():
            strata.append(f"{survey}: {label}")
            psus.append(int(count))
            population.append(float(size[label]) if spec.fpc is not None else np.inf)
        rows.append(analysed.assign(**{STRATUM: stratum.to_numpy(object),
                                       PSU: psu.to_numpy(object)}))  # fmt: skip
    order = np.argsort(np.array(strata, dtype=object), kind="stable")
    design = StackedDesign(
        np.array(strata, dtype=object)[order], np.array(psus, dtype="int64")[order],
        np.array(population, dtype="float64")[order], True, rules.pop(),
        surveys=tuple(q.survey for _, _, q in parts),
    )  # fmt: skip
    return pd.concat(rows, ignore_index=True), design


def compared_surveys(comparison: Comparison) -> list[str]:
    """The questionnaires a comparison draws on: its ``surveys`` when ``by: survey``, else its
    one ``survey``."""
    return list(comparison.surveys) if comparison.by == "survey" else [comparison.survey]


def _by_question(comparison, analysed, units, questionnaire, bands):
    """(rows, groups, labels, outcomes, design) of a comparison by a question's answers (a
    number's config ``bands``)."""
    rows, questionnaire = apply_bands(analysed, questionnaire, bands)
    group, labels = question_groups(rows, questionnaire, comparison.by, list(comparison.omit))
    outcomes = {o: design_outcome(rows, questionnaire, o) for o in comparison.outcomes}
    return rows, group, labels, outcomes, design_of(units, questionnaire)


def _by_survey(comparison, analysed, units, questionnaires):
    """(rows, groups, labels, outcomes, design) of a comparison of questionnaires: their
    independent samples stacked (``stacked_design``), each questionnaire a group; an outcome
    only where every questionnaire has it, of the same kind."""
    parts = [(analysed[s], units[s], questionnaires[s]) for s in comparison.surveys]
    rows, design = stacked_design(parts)
    group = np.repeat(np.arange(len(parts)), [len(a) for a, _, _ in parts])
    outcomes = {}
    for outcome in comparison.outcomes:
        each = [design_outcome(a, q, outcome) for a, _, q in parts]
        if all(e is not None and e[1] == each[0][1] for e in each):
            outcomes[outcome] = (np.concatenate([e[0] for e in each]), each[0][1])
    return rows, group, [q.label for _, _, q in parts], outcomes, design


def weighted_comparison(
    name: str,
    comparison: Comparison,
    analysed: dict[str, pd.DataFrame],
    units: dict[str, pd.DataFrame],
    questionnaires: dict[str, Questionnaire],
    bands: dict[str, list[dict]],
    level: float,
) -> pd.DataFrame:
    """One configured comparison's design-based tests (``comparison_table``): groups by a
    question's answers (``bands``: config bands by question id, those of a numeric ``by``)
    within its questionnaire, or, ``by: survey``, the questionnaires stacked as independent
    samples.
    ``analysed``, ``units`` and ``questionnaires`` by survey (at least those the comparison
    draws on). A design that cannot be used is an ``InputError`` naming the first
    questionnaire's design block (``design_checked``)."""
    surveys = compared_surveys(comparison)
    with design_checked(questionnaires[surveys[0]]):
        if comparison.by == "survey":
            made = _by_survey(comparison, analysed, units, questionnaires)
        else:
            survey = comparison.survey
            made = _by_question(comparison, analysed[survey], units[survey],
                                questionnaires[survey], bands)  # fmt: skip
        rows, group, labels, outcomes, design = made
        tested = {o: value for o, value in outcomes.items() if value is not None}
        return comparison_table(name, ", ".join(surveys), rows, group, labels, tested, design,
                                level)  # fmt: skip


def comparison_table(
    name: str,
    survey: str,
    rows: pd.DataFrame,
    group: np.ndarray,
    labels: list[str],
    outcomes: dict[str, tuple[np.ndarray, str]],
    design: D.Design,
    level: float,
) -> pd.DataFrame:
    """A comparison's design-based tests: ``rows`` the analysed responses with their design
    columns, ``group`` each row's group (-1: in none) of ``labels``, ``outcomes`` by id each
    row's value and kind (``design_outcome``). Per outcome, Lumley and Scott's rank test
    (``svyranktest``), and, for a statement, the proportional-odds model of its answer on the
    groups (``svyolr``), for a theme score the differences of the groups' weighted means
    (``svyglm``); each row's ``method`` says which. The domain of each is the rows in a group
    with a value; an outcome with fewer than two groups or values in it is left out."""
    table = []
    for outcome, (values, kind) in outcomes.items():
        member = (group >= 0) & ~np.isnan(values)
        domain = rows[member]
        present, group_index = np.unique(group[member], return_inverse=True)
        levels, level_index = np.unique(values[member], return_inverse=True)
        if len(present) < 2 or len(levels) < 2:
            continue
        k, j = len(present), len(levels)
        totals = _cells(domain, group_index.reshape(-1) * j + level_index.reshape(-1))
        cells = np.arange(k * j)
        cell_group = cells // j
        names = [labels[g] for g in present]
        test = T.rank_test(totals, design, cell_group, levels[cells % j])
        table.append([name, survey, outcome, len(domain), "; ".join(names),
                      "design-based rank test", test.statistic, test.df, test.p, test.estimate,
                      test.method])  # fmt: skip
        first = [name, survey, outcome, len(domain)]
        if kind == THEME:
            fit = T.mean_differences(totals, design, cell_group, levels[cells % j], level)
            table += _contrasts(first, names, "difference in means", fit, fit.estimate,
                                "difference in weighted mean score")  # fmt: skip
            continue
        x = np.zeros((k * j, k - 1))
        for g in range(1, k):
            x[cell_group == g, g - 1] = 1.0
        fit = T.proportional_odds(totals, design, cells % j, x, level)
        table += _contrasts(first, names, "proportional-odds model", fit, fit.coefficients,
                            "log odds ratio of a higher answer")  # fmt: skip
    return pd.DataFrame(table, columns=TEST_COLUMNS)


def _contrasts(first: list, names: list[str], test: str, fit, estimates, words: str) -> list:
    """A model's rows of a comparison table: each group against the first (``names[0]``), its
    t, df, p and estimate, the interval in ``method`` after what the estimate is."""
    return [
        [*first, f"{names[g]} vs {names[0]}", test, fit.t[g - 1], fit.df, fit.p[g - 1],
         estimates[g - 1],
         f"{words} ({fit.ci_low[g - 1]:.6g} to {fit.ci_high[g - 1]:.6g}); {fit.method}"]
        for g in range(1, len(names))
    ]  # fmt: skip


# --- Before-and-after pairs ----------------------------------------------------------------------

PAIR_TEST_COLUMNS = [
    "pair", "statement", "question", "pairs", "unchanged", "signed_rank_v", "p", "exact",
    "rank_biserial", "rb_ci_low", "rb_ci_high", "marginal_statistic", "marginal_df",
    "marginal_p", "marginal_test", "method",
]  # fmt: skip
PAIR_TABLE_COLUMNS = ["pair", "statement", "before", "after", "n"]
PAIR_FLOW_COLUMNS = ["pair", "stage", "n"]
# The sums between a pair's flow rows (their positions, as ``pair_tables`` writes them): each
# wave's analysed = those without a linking id + those in that wave only + the matched pairs.
PAIR_FLOW_RELATIONS = [([2, 4, 6], 0), ([3, 5, 6], 1)]
PAIR_FLOW_ANALYSED = {0: "before", 1: "after"}  # the rows counting a wave's analysed


def pair_outcomes(before: Questionnaire, after: Questionnaire, outcomes: list[str]) -> list[str]:
    """The statements compared: ``outcomes``, or every ordinal statement both ask."""
    if outcomes:
        return list(outcomes)
    return [
        q.id
        for q in before.statements()
        if q.answers.ordinal and q.id in after.question_ids
    ]


def _linked(analysed: pd.DataFrame) -> pd.DataFrame:
    """The cohort's rows with a linking id (normalised); a blank id (nothing but white space and
    invisible characters) is never matched."""
    written = analysed[LINK].astype("str")
    ids = normalise_ids(written)
    blank = analysed[LINK].isna().to_numpy() | blank_ids(written).to_numpy()
    return analysed.assign(**{LINK: ids})[~blank]


def pair_tables(
    name: str,
    before_rows: pd.DataFrame,
    after_rows: pd.DataFrame,
    before: Questionnaire,
    after: Questionnaire,
    outcomes: list[str],
    level: float,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(tests, before-by-after tables, flow) of one pair of waves: per statement, Wilcoxon's
    signed-rank test of after - before (R's wilcox.test(paired = TRUE) rule), the matched-pairs
    rank-biserial correlation with its interval, and Stuart-Maxwell's test of marginal
    homogeneity (McNemar's test for a two-point scale); the flow counts the responses of each
    wave, those without a linking id, the ids matched and those in one wave only."""
    linked_b, linked_a = _linked(before_rows), _linked(after_rows)
    _once_per_wave(name, ((linked_b, before), (linked_a, after)))
    ids_b, ids_a = set(linked_b[LINK]), set(linked_a[LINK])
    flow = pd.DataFrame(
        [
            [name, f"analysed in {before.survey} (before)", len(before_rows)],
            [name, f"analysed in {after.survey} (after)", len(after_rows)],
            [name, f"without a linking id in {before.survey}", len(before_rows) - len(linked_b)],
            [name, f"without a linking id in {after.survey}", len(after_rows) - len(linked_a)],
            [name, f"in {before.survey} only (unmatched)", len(ids_b - ids_a)],
            [name, f"in {after.survey} only (unmatched)", len(ids_a - ids_b)],
            [name, "matched pairs", len(ids_b & ids_a)],
        ],
        columns=PAIR_FLOW_COLUMNS,
    )
    tests, tables = [], []
    for statement in pair_outcomes(before, after, outcomes):
        question = before.question(statement)
        codes = question.answers.scale_codes
        table = P.pair_table(
            linked_b[LINK], scored_codes(linked_b, before, statement),
            linked_a[LINK], scored_codes(linked_a, after, statement), codes,
        )  # fmt: skip
        counts = table.table
        labels = question.answers.label_of
        for i, b in enumerate(codes):
            for j, a in enumerate(codes):
                tables.append([name, statement, labels[b], labels[a], int(counts[i, j])])
        rank = P.signed_rank_test(counts, np.asarray(codes))
        effect = P.rank_biserial(counts, np.asarray(codes), level)
        marginal = P.mcnemar_test(counts) if len(codes) == 2 else P.stuart_maxwell_test(counts)
        tests.append([
            name, statement, question.text, int(counts.sum()), rank.zeros, rank.statistic, rank.p,
            rank.exact, effect.estimate, effect.ci_low, effect.ci_high, marginal.statistic,
            marginal.df, marginal.p, marginal.method,
            f"{rank.method}; {effect.method}",
        ])  # fmt: skip
    return (
        pd.DataFrame(tests, columns=PAIR_TEST_COLUMNS),
        pd.DataFrame(tables, columns=PAIR_TABLE_COLUMNS),
        flow,
    )


WEIGHTED_PAIR_TEST_COLUMNS = [
    "pair", "statement", "question", "n", "weighted_mean_before", "weighted_mean_after",
    "mean_difference", "ci_low", "ci_high", "std_error", "deff", "statistic", "df", "p", "method",
]  # fmt: skip
WEIGHTED_PAIR_TABLE_COLUMNS = [
    "pair", "statement", "before", "after", "n", "weighted_percent", "ci_low", "ci_high",
    "std_error", "deff", "n_effective", "df", "method",
]  # fmt: skip


def weighted_pair_tables(
    name: str,
    before_rows: pd.DataFrame,
    after_rows: pd.DataFrame,
    before: Questionnaire,
    after: Questionnaire,
    outcomes: list[str],
    design: D.Design,
    level: float,
    method: str,
    deff: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tests, before-by-after tables) of a weighted panel: the people matched by linking id are
    a domain of the **first wave's design** (``design``, with the first wave's weights, strata
    and clusters on ``before_rows``). Per statement, over the matched people with an on-scale
    answer at both times: the weighted means before and after and the design-based one-sample t
    test of the differences after - before (``svyttest(d ~ 0, subset(design, <domain>))``: t
    on degf - 1 df, its interval on the same df; codes as in the scale, unmirrored), and the
    weighted before-by-after table, each (before, after) cell's share of the matched people
    with its interval and design effect (``svymean(~interaction(before, after))``,
    ``svyciprop``)."""
    linked_b, linked_a = _linked(before_rows), _linked(after_rows)
    _once_per_wave(name, ((linked_b, before), (linked_a, after)))
    tests, tables = [], []
    for statement in pair_outcomes(before, after, outcomes):
        question = before.question(statement)
        codes = question.answers.scale_codes
        a = pd.Series(scored_codes(linked_a, after, statement), index=linked_a[LINK].to_numpy())
        b = scored_codes(linked_b, before, statement)
        a = a.reindex(linked_b[LINK].to_numpy()).to_numpy("float64")  # NaN: no follow-up
        both = ~np.isnan(a) & ~np.isnan(b)
        rows, b, a = linked_b[both], b[both], a[both]
        if not len(rows):
            continue
        moments = [D.MomentTotals.from_responses(values, rows[WEIGHT].to_numpy("float64"),
                                                 _strata(rows), _psus(rows))
                   for values in (b, a, a - b)]  # fmt: skip
        mean_b, mean_a, change = (D.mean(m, design, level, deff) for m in moments)
        df = change.df - 1
        t = change.estimate / change.std_error
        quantile = float(special.stdtrit(df, 0.5 + level / 2)) if df > 0 else np.nan
        p = float(2 * special.stdtr(df, -abs(t))) if df > 0 else np.nan
        tests.append([
            name, statement, question.text, len(rows), mean_b.estimate, mean_a.estimate,
            change.estimate, change.estimate - quantile * change.std_error,
            change.estimate + quantile * change.std_error, change.std_error, change.deff, t, df,
            p, "design-based one-sample t test of the paired differences after - before "
            f"(survey::svyttest(d ~ 0)), {100 * level:g}% interval and p from t on {df} df; "
            f"the matched people a domain of {before.survey}'s design "
            f"({design.describe()}), weighted by its weights; design effect against "
            f"{D.DEFF_VARIANTS[deff]}. Not a rank test: no design-based signed-rank test "
            "exists in survey (svyranktest compares independent groups)",
        ])  # fmt: skip
        index = {code: i for i, code in enumerate(codes)}
        cell = np.array([index[x] * len(codes) + index[y] for x, y in zip(b, a, strict=True)])
        labels = question.answers.label_of
        cells = [(labels[x], labels[y]) for x in codes for y in codes]
        estimates = D.proportions(_cells(rows, cell), design, len(cells), level, method, deff)
        for (x, y), e in zip(cells, estimates, strict=True):
            tables.append([name, statement, x, y, e.count, 100 * e.estimate, 100 * e.ci_low,
                           100 * e.ci_high, 100 * e.std_error, e.deff, e.n_effective, e.df,
                           e.method])  # fmt: skip
    return (
        pd.DataFrame(tests, columns=WEIGHTED_PAIR_TEST_COLUMNS),
        pd.DataFrame(tables, columns=WEIGHTED_PAIR_TABLE_COLUMNS),
    )


def weighted_panel(
    name: str,
    pair: Pair,
    analysed: dict[str, pd.DataFrame],
    units: dict[str, pd.DataFrame],
    questionnaires: dict[str, Questionnaire],
    settings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tests, before-by-after tables) of one configured pair whose first wave has a design
    (``weighted_pair_tables``), on the first wave's design as its sampling units give it;
    ``settings`` a ``settings.WeightingSettings`` (confidence level, proportion interval, design
    effect). A design that cannot be used is an ``InputError`` naming the first wave's design
    block (``design_checked``), and so is a first wave without one (the start-up checks refuse
    such a panel first: ``references``)."""
    before, after = questionnaires[pair.before], questionnaires[pair.after]
    if before.design is None:
        raise InputError(
            f"{name}: a weighted panel is analysed on its first wave's design, and "
            f"{before.survey} (before) declares none",
            [Problem(f"codebook questionnaires.{before.survey}.design",
                     f"the survey design of {before.survey}, or no design on {after.survey} "
                     "to analyse the pairs unweighted", value="none")],  # fmt: skip
        )
    with design_checked(before):
        design = design_of(units[pair.before], before)
        return weighted_pair_tables(
            name, analysed[pair.before], analysed[pair.after], before, after,
            list(pair.outcomes), design, settings.confidence_level,
            settings.proportion_interval, settings.design_effect,
        )  # fmt: skip


def publish_weighted_pairs(
    tests: pd.DataFrame, tables: pd.DataFrame, published_tests: pd.DataFrame,
    published_tables: pd.DataFrame, policy, alpha: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The weighted panel's tables as published: each count as the unweighted pair tables
    publish it (``publish_pairs``: the number of pairs, each before-by-after cell), so that no
    table reveals more than another; a weighted statistic only where that count passes the
    rule (2 decimals), the t statistic as the policy shows a test statistic, p as journals
    print it."""
    from likertflow.disclosure import ROUNDING, regime
    from likertflow.publishing import decimals, journal, publish_weighted

    if not policy.applies:
        return tests, tables
    pairs = published_tests.set_index(["pair", "statement"])["pairs"]
    n = [pairs[(p, s)] for p, s in tests[["pair", "statement"]].to_numpy()]
    hide = [not policy.statistic_allowed(value) for value in n]
    withhold = [h or regime(policy) == ROUNDING for h in hide]
    shown = tests.assign(
        n=n,
        **{column: decimals(tests[column], 2, hide) for column in WEIGHTED_PAIR_STATISTICS},
        statistic=decimals(tests["statistic"], 2, withhold),
        p=journal(tests["p"], hide, alpha),
    )
    cells = published_tables.set_index(["pair", "statement", "before", "after"])["n"]
    counts = pd.Series([cells[tuple(key)] for key in
                        tables[["pair", "statement", "before", "after"]].to_numpy()])  # fmt: skip
    table = publish_weighted(tables, counts, policy, statistics=WEIGHTED_STATISTICS)
    each = [pairs[(p, s)] for p, s in tables[["pair", "statement"]].to_numpy()]
    effective = published_effective_n(each, tables["deff"], table["n_effective"] == "*")
    return shown, table.assign(n=counts.to_numpy(), n_effective=effective)


def _once_per_wave(name: str, waves) -> None:
    """An ``InputError`` for a linking id that occurs twice among a wave's analysed responses."""
    for rows, questionnaire in waves:
        repeated = rows[LINK][rows[LINK].duplicated()]
        if len(repeated):
            raise InputError(
                f"{name}: a linking id occurs twice among the analysed responses of "
                f"{questionnaire.survey} (each person answers each wave once)",
                [Problem(f"{questionnaire.survey} exports", "a linking id used once per wave",
                         column=questionnaire.link_id, value=value)
                 for value in repeated.unique()[:5]],  # fmt: skip
            )


def scored_codes(rows: pd.DataFrame, questionnaire: Questionnaire, statement: str) -> np.ndarray:
    """A statement's answer codes as float64 (NaN where unanswered or off-scale), unmirrored:
    the before-by-after table is in the scale's own order."""
    values = rows[statement].astype("Float64").to_numpy("float64", na_value=np.nan)
    scale = questionnaire.question(statement).answers.scale_codes
    return np.where(np.isin(values, scale), values, np.nan)


# --- Publishing under the disclosure rule --------------------------------------------------------

WEIGHTED_STATISTICS = ["weighted_percent", "ci_low", "ci_high", "std_error", "deff", "n_effective"]
MEAN_STATISTICS = ["weighted_mean", "ci_low", "ci_high", "std_error", "deff", "n_effective"]
WEIGHTED_PAIR_STATISTICS = [
    "weighted_mean_before", "weighted_mean_after", "mean_difference", "ci_low", "ci_high",
    "std_error", "deff",
]  # fmt: skip


def publish_frequencies_table(
    table: pd.DataFrame, plans: dict[str, pd.DataFrame], policy
) -> pd.DataFrame:
    """The weighted frequencies as published: each answer's unweighted ``n`` as the disclosure
    plan publishes it (the descriptive tables' own protection, so no table reveals more than
    another), its weighted statistics only where that count passes the rule."""
    from likertflow.publishing import publish_weighted

    if not policy.applies or table.empty:
        return table
    published, denominators = [], []
    for survey, question_id, code in table[["survey", "question_id", "code"]].to_numpy():
        plan = plans[survey]
        hit = plan[(plan["question_id"] == question_id) & (plan["code"] == str(code))]
        published.append(hit["n"].iloc[0] if len(hit) else "*")
        denominators.append(hit["denominator"].iloc[0] if len(hit) else "*")
    out = publish_weighted(table, pd.Series(published), policy, statistics=WEIGHTED_STATISTICS)
    effective = published_effective_n(denominators, table["deff"], out["n_effective"] == "*")
    return out.assign(n=published, n_effective=effective)


def published_effective_n(published_n, deff, hide) -> pd.Series:
    """The effective sample size as published: the published (rounded) number of respondents
    over the design effect, 2 decimals, ``*`` where hidden or that number is. The exact one is
    n / deff, so with the design effect beside it, it would give back the unrounded n that the
    rule rounds or hides."""
    from likertflow.publishing import decimals

    numbers = pd.to_numeric(pd.Series(list(published_n)), errors="coerce").to_numpy("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        values = numbers / np.asarray(deff, dtype="float64")
    hidden = [h or np.isnan(n) for h, n in zip(hide, numbers, strict=True)]
    return decimals(values, 2, hidden)


def publish_means_table(table: pd.DataFrame, policy) -> pd.DataFrame:
    """The weighted theme means as published (``publish_counted``), the effective sample size
    from the published n (``published_effective_n``)."""
    out = publish_counted(table, policy, MEAN_STATISTICS)
    if not policy.applies or table.empty:
        return out
    effective = published_effective_n(out["n"], table["deff"], out["n_effective"] == "*")
    return out.assign(n_effective=effective)


def publish_counted(
    table: pd.DataFrame,
    policy,
    statistics: list[str],
    test_statistics: list[str] = (),
    alpha: float | None = None,
) -> pd.DataFrame:
    """A table of one estimate or test per row over ``n`` respondents: ``n`` published on its
    own, the statistics only where it passes the rule (2 decimals); ``test_statistics`` as the
    policy shows a test statistic (withheld under rounding, where with an effect it would give
    the group sizes back: ``likertflow.disclosure``); a ``p`` column as journals print it
    against ``alpha``."""
    from likertflow.disclosure import ROUNDING, regime
    from likertflow.publishing import decimals, journal

    if not policy.applies or table.empty:
        return table
    n = [policy.publish(int(value)) for value in table["n"]]
    hide = [not policy.statistic_allowed(value) for value in n]
    out = table.assign(n=n)
    for column in statistics:
        out[column] = decimals(table[column], 2, hide)
    withhold = regime(policy) == ROUNDING
    for column in test_statistics:
        out[column] = decimals(table[column], 2, [h or withhold for h in hide])
    if "p" in table and alpha is not None:
        out["p"] = journal(table["p"], hide, alpha)
    return out


_METHOD_INTERVAL = re.compile(r"^([^(]*)\(([^()]+) to ([^()]+)\); ")  # "... (low to high); "


def publish_comparisons(table: pd.DataFrame, policy, alpha: float) -> pd.DataFrame:
    """The design-based comparisons as published (``publish_counted``: ``n`` on its own, the
    estimate where it passes the rule, the t or chi-squared as the policy shows a test
    statistic), and the interval a model's or difference's ``method`` opens with
    (``comparison_table``) as its estimate: 2 decimals, ``*`` where the estimate is hidden, so
    that the method's words reveal no more than the columns."""
    from likertflow.publishing import decimals

    published = publish_counted(table, policy, ["estimate"], ["statistic"], alpha)
    if not policy.applies or table.empty:
        return published
    hide = [not policy.statistic_allowed(value) for value in published["n"]]
    methods = []
    for method, hidden in zip(table["method"], hide, strict=True):
        found = _METHOD_INTERVAL.match(method)
        if found:
            low, high = decimals([float(found[2]), float(found[3])], 2)
            interval = "*" if hidden else f"{low} to {high}"
            method = f"{found[1]}({interval}); {method[found.end():]}"
        methods.append(method)
    return published.assign(method=methods)


def publish_design_summary(table: pd.DataFrame, policy, flow_shown: dict) -> pd.DataFrame:
    """The design summary as published: the full sample's and the analysed count as the
    participant flow shows them (``flow_shown``: (survey, stage) -> its published value,
    ``publishing.flow_as_published``; one value everywhere, or the flow's hidden counts come
    back by subtraction), the weights' sum
    and Kish's design effect at 2 decimals where the analysed count passes, the effective sample
    size from the published count (``published_effective_n``)."""
    from likertflow.publishing import decimals

    if not policy.applies:
        return table
    n_analysed = [flow_shown[(survey, "analysed")] for survey in table["survey"]]
    hide = [not policy.statistic_allowed(v) for v in n_analysed]
    return table.assign(
        n=[flow_shown[(survey, "exported_rows")] for survey in table["survey"]],  # every row
        n_analysed=n_analysed,
        **{column: decimals(table[column], 2, hide) for column in ("sum_of_weights", "kish_deff")},
        n_effective=published_effective_n(n_analysed, table["kish_deff"], hide),
    )  # fmt: skip


def publish_pairs(
    tests: pd.DataFrame,
    tables: pd.DataFrame,
    flow: pd.DataFrame,
    policy,
    alpha: float,
    hidden_waves: set[tuple[str, str]] = frozenset(),
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The pair tables as published: each before-by-after table's cells protected against
    subtraction from its number of pairs (``publishing.publish_frequencies``), the tests shown
    only where the number of pairs passes the rule, the flow's counts protected against
    subtraction within each pair (``PAIR_FLOW_RELATIONS``). ``hidden_waves``: the (pair,
    "before" or "after") whose questionnaire's analysed respondents the participant flow hides:
    hidden here too, one value everywhere."""
    from likertflow.disclosure import ROUNDING, regime
    from likertflow.publishing import decimals, journal, publish_frequencies

    if not policy.applies:
        return tests, tables, flow
    pairs = tests.set_index(["pair", "statement"])["pairs"]
    frame = tables.assign(
        question_id=tables["pair"] + "/" + tables["statement"],
        code=pd.NA,
        denominator=[pairs[(p, s)] for p, s in tables[["pair", "statement"]].to_numpy()],
        percent=np.nan,
    )
    protected = publish_frequencies(frame, policy) if len(frame) else frame
    total = dict(zip(protected["question_id"], protected["denominator"], strict=False))
    published_tables = tables.assign(n=protected["n"].to_numpy())
    shown = [total.get(f"{p}/{s}", policy.publish(int(n)))
             for p, s, n in tests[["pair", "statement", "pairs"]].to_numpy()]  # fmt: skip
    hide = [not policy.statistic_allowed(value) for value in shown]
    withhold = [h or regime(policy) == ROUNDING for h in hide]  # test statistics, as the policy
    published_tests = tests.assign(
        pairs=shown,
        unchanged=[policy.publish(int(v)) for v in tests["unchanged"]],
        **{column: decimals(tests[column], 2, hide)
           for column in ["rank_biserial", "rb_ci_low", "rb_ci_high"]},
        **{column: decimals(tests[column], 2, withhold)
           for column in ["signed_rank_v", "marginal_statistic"]},  # fmt: skip
        **{column: journal(tests[column], hide, alpha) for column in ["p", "marginal_p"]},
    )
    return published_tests, published_tables, _publish_pair_flow(flow, policy, hidden_waves)


def _publish_pair_flow(flow: pd.DataFrame, policy, hidden_waves) -> pd.DataFrame:
    """The pairing counts of each pair, protected against subtraction within the pair."""
    from likertflow.disclosure import protect

    values = []
    for pair, rows in flow.groupby("pair", sort=False):
        counts = dict(enumerate(int(n) for n in rows["n"]))
        hidden = [row for row, wave in PAIR_FLOW_ANALYSED.items() if (pair, wave) in hidden_waves]
        published = protect(counts, PAIR_FLOW_RELATIONS, policy, hidden)
        values += [published[row] for row in range(len(rows))]
    return flow.astype({"n": "object"}).assign(n=values)


def design_summary(
    survey: str, questionnaire: Questionnaire, units: pd.DataFrame, analysed: pd.DataFrame,
    design: D.Design,
) -> pd.DataFrame:
    """The design as declared and as found, one row per questionnaire: its columns, strata,
    PSUs, the fpc and lonely-PSU rule, the full sample's and the analysed cohort's responses,
    and the analysed weights' sum, Kish's design effect of weighting 1 + CV**2 and effective
    sample size (sum w)**2 / sum w**2."""
    spec = questionnaire.design
    weights = analysed[WEIGHT].to_numpy("float64")
    total, squares = float(weights.sum()), float((weights**2).sum())
    kish = len(weights) * squares / total**2 if len(weights) else np.nan
    return pd.DataFrame(
        [{
            "survey": survey,
            "weight": spec.weight,
            "strata": spec.strata or "",
            "clusters": spec.clusters or "",
            "fpc": spec.fpc or "",
            "lonely_psu": spec.lonely_psu,
            "n_strata": len(design.strata),
            "n_psus": int(design.psus.sum()) if design.clustered else "",
            "n": int(units["responses"].sum()),
            "n_analysed": len(weights),
            "sum_of_weights": total,
            "kish_deff": kish,
            "n_effective": total**2 / squares if squares else np.nan,
            "method": f"design: {design.describe()}; weights used as delivered (checked positive "
                      "and finite at ingest); exclusions and subgroups are domains of the full "
                      "design (survey::subset); Kish's design effect of weighting 1 + CV^2",
        }]
    )  # fmt: skip
