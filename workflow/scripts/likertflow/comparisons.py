"""Group comparisons of ordinal outcomes: rank tests, effect sizes, Dunn pairs, p adjustment.

A comparison (config ``comparisons.<name>``) pools respondents into groups, either by
questionnaire (``by: survey``, groups = questionnaire labels in ``surveys`` order) or by the
answer to a question of one questionnaire (groups = its answer labels in codebook order; off-scale
answers and ``omit`` labels left out). Each outcome is a theme score or a statement's code
(off-scale = missing). Per outcome, groups without a value are dropped, then:

- two groups: Mann-Whitney U (scipy), U of the first group, two-sided; normal approximation with
  tie and continuity correction, or the exact null distribution when there are no ties and a
  group has at most 8 values (scipy's own rule). Effect size: rank-biserial correlation
  r = 2 U1 / (n1 n2) - 1, positive when the first group ranks higher.
- more groups: Kruskal-Wallis H (scipy; tie-corrected, chi-squared on k - 1 df), effect size
  epsilon-squared = H / (n - 1) (Tomczak & Tomczak 2014), and Dunn's (1964) z for every pair with
  the tie-corrected variance, p adjusted within the outcome. Written here: no maintained library
  among the dependencies has it; tests check it against a by-hand computation.

Effect-size intervals are percentile bootstraps that resample respondents within each group (group
sizes fixed). Because Likert outcomes take few distinct values, a resample is drawn as a
multinomial over each group's value counts and the statistic computed from the count table:
the same distribution as resampling rows, at a cost independent of the number of respondents.

p values are adjusted across each family of tests (``adjust_families``) after all comparisons
have run; Dunn pairs are kept only for outcomes whose Kruskal-Wallis test stays significant.
"""

from __future__ import annotations

import logging
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from likertflow.codebook import Questionnaire

log = logging.getLogger(__name__)

TEST_COLUMNS = [
    "comparison", "outcome", "test", "n", "statistic", "p", "p_adjusted", "method",
    "effect_size_name", "effect_size", "effect_ci_low", "effect_ci_high",
    "family", "adjust_method", "group_order", "highest_mean_rank", "df", "effect_ci_method",
    "warning", "empty_groups",
]  # fmt: skip
GROUP_COLUMNS = ["comparison", "outcome", "group", "n", "mean_rank", "median", "group_position"]
POSTHOC_COLUMNS = [
    "comparison", "outcome", "group_a", "group_b", "z", "p", "p_adjusted",
    "n_a", "n_b", "mean_rank_a", "mean_rank_b", "adjust_method", "method",
]  # fmt: skip
GROUP = "group"
EXACT_MAX_N = 8  # scipy's rule for an exact Mann-Whitney p: no ties and a group this small
_BLOCK_CELLS = 4_000_000  # resamples x groups x distinct values drawn at once


# --- Grouping respondents --------------------------------------------------------------------


def outcome_values(frame: pd.DataFrame, questionnaire: Questionnaire, outcome: str) -> np.ndarray:
    """An outcome as float64: a theme score column, a question's scored code (on-scale,
    reverse-keyed statements mirrored), or a numeric question's number."""
    if outcome in questionnaire.themes:
        if outcome not in frame.columns:
            raise ValueError(f"{questionnaire.survey}: no theme score column {outcome!r}")
        return frame[outcome].to_numpy("float64", na_value=np.nan)
    try:
        question = questionnaire.question(outcome)
    except KeyError:
        raise ValueError(
            f"comparison outcome {outcome!r} is neither a theme nor a question of the "
            f"{questionnaire.survey} questionnaire"
        ) from None
    if question.numeric:
        return frame[outcome].to_numpy("float64", na_value=np.nan)
    if not question.answers.ordinal:
        raise ValueError(f"comparison outcome {outcome!r} has no ordinal scale: no rank test")
    return question.scored(frame[outcome]).to_numpy("float64", na_value=np.nan)


def comparison_data(
    frames: dict[str, pd.DataFrame], questionnaires: dict[str, Questionnaire], spec: dict
) -> tuple[pd.DataFrame, list[str]]:
    """Respondents of the compared groups: an int ``group`` column (position in the returned
    labels) and one float64 column per outcome."""
    outcomes = spec["outcomes"]
    if spec["by"] == "survey":
        labels = [questionnaires[survey].label for survey in spec["surveys"]]
        if len(set(labels)) < len(labels):
            raise ValueError(f"compared questionnaires share a label: {labels}")
        parts = []
        for position, survey in enumerate(spec["surveys"]):
            frame, questionnaire = frames[survey], questionnaires[survey]
            part = {o: outcome_values(frame, questionnaire, o) for o in outcomes}
            parts.append(pd.DataFrame({GROUP: position, **part}))
        return pd.concat(parts, ignore_index=True), labels

    frame, questionnaire = frames[spec["survey"]], questionnaires[spec["survey"]]
    try:
        answers = questionnaire.question(spec["by"]).answers
    except KeyError:
        raise ValueError(
            f"comparison by {spec['by']!r}: not a question of {spec['survey']}"
        ) from None
    omit = list(spec.get("omit") or [])
    unknown = [label for label in omit if label not in answers.labels]
    if unknown:
        raise ValueError(f"omit labels {unknown} are not answers of {spec['by']!r}")
    kept = [o for o in answers.options if not o.off_scale and o.label not in omit]
    position_of = {option.code: position for position, option in enumerate(kept)}
    group = frame[spec["by"]].map(position_of).to_numpy("float64", na_value=np.nan)
    data = pd.DataFrame(
        {GROUP: group, **{o: outcome_values(frame, questionnaire, o) for o in outcomes}}
    )
    data = data[~np.isnan(group)].astype({GROUP: "int64"}).reset_index(drop=True)
    return data, [option.label for option in kept]


# --- Statistics from value-count tables (for the bootstrap) --------------------------------


def count_table(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """(groups x distinct values) counts, distinct values in increasing order."""
    _, value_index = np.unique(values, return_inverse=True)
    n_values = int(value_index.max()) + 1
    flat = np.bincount(groups * n_values + value_index, minlength=n_groups * n_values)
    return flat.reshape(n_groups, n_values)


def rank_sums(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group rank sums (midranks for ties) and sum(t^3 - t) over tie sizes t, for count tables
    of shape (..., groups, values)."""
    tables = np.asarray(tables, dtype=np.float64)
    totals = tables.sum(axis=-2)
    midranks = np.cumsum(totals, axis=-1) - (totals - 1) / 2
    sums = (tables * midranks[..., None, :]).sum(axis=-1)
    return sums, (totals**3 - totals).sum(axis=-1)


def kruskal_h(tables: np.ndarray) -> np.ndarray:
    """Tie-corrected Kruskal-Wallis H of count tables (..., groups, values)."""
    sizes = np.asarray(tables, dtype=np.float64).sum(axis=-1)
    n = sizes.sum(axis=-1)
    sums, ties = rank_sums(tables)
    h = 12 / (n * (n + 1)) * (sums**2 / sizes).sum(axis=-1) - 3 * (n + 1)
    correction = 1 - ties / (n**3 - n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(correction > 0, h / correction, np.nan)


def mann_whitney_u(tables: np.ndarray) -> np.ndarray:
    """U of the first group (pairs it wins + half the ties) of two-group count tables."""
    sums, _ = rank_sums(tables)
    first = np.asarray(tables, dtype=np.float64)[..., 0, :].sum(axis=-1)
    return sums[..., 0] - first * (first + 1) / 2


def rank_biserial(tables: np.ndarray) -> np.ndarray:
    """Rank-biserial r = 2 U1 / (n1 n2) - 1 of two-group count tables."""
    sizes = np.asarray(tables, dtype=np.float64).sum(axis=-1)
    return 2 * mann_whitney_u(tables) / (sizes[..., 0] * sizes[..., 1]) - 1


def epsilon_squared(tables: np.ndarray) -> np.ndarray:
    """Epsilon-squared = H / (n - 1) of count tables."""
    n = np.asarray(tables, dtype=np.float64).sum(axis=(-2, -1))
    return kruskal_h(tables) / (n - 1)


def bootstrap_interval(
    table: np.ndarray, statistic, confidence: float, resamples: int, seed: int
) -> tuple[float, float]:
    """Percentile interval of ``statistic`` over resamples drawn within each group."""
    rng = np.random.default_rng(seed)
    sizes = table.sum(axis=1)
    probabilities = table / sizes[:, None]
    block = max(1, _BLOCK_CELLS // table.size)
    values = []
    for start in range(0, resamples, block):
        size = min(block, resamples - start)
        draws = [
            rng.multinomial(n, p, size=size) for n, p in zip(sizes, probabilities, strict=True)
        ]
        values.append(statistic(np.stack(draws, axis=1)))
    tail = (1 - confidence) / 2
    low, high = np.nanquantile(np.concatenate(values), [tail, 1 - tail])
    return float(low), float(high)


# --- Dunn's test ------------------------------------------------------------------------------


def dunn(
    mean_ranks: np.ndarray, sizes: np.ndarray, ties: float
) -> list[tuple[int, int, float, float]]:
    """Dunn's z and two-sided p for every pair (i < j) of groups, z > 0 when i ranks higher.

    z = (mean rank i - mean rank j) / sqrt((N(N+1)/12 - sum(t^3 - t)/(12(N-1))) (1/n_i + 1/n_j)).
    """
    n = float(np.sum(sizes))
    variance = n * (n + 1) / 12 - ties / (12 * (n - 1))
    pairs = []
    for i, j in combinations(range(len(sizes)), 2):
        z = (mean_ranks[i] - mean_ranks[j]) / np.sqrt(variance * (1 / sizes[i] + 1 / sizes[j]))
        pairs.append((i, j, float(z), float(2 * stats.norm.sf(abs(z)))))
    return pairs


def adjust(p: np.ndarray, method: str) -> np.ndarray:
    """p values adjusted with statsmodels' ``multipletests``; NaN stays NaN and is not counted."""
    p = np.asarray(p, dtype=np.float64)
    adjusted = np.full_like(p, np.nan)
    present = ~np.isnan(p)
    if present.any():
        adjusted[present] = multipletests(p[present], method=method)[1]
    return adjusted


# --- One outcome --------------------------------------------------------------------------------


def compare_outcome(
    values: np.ndarray, groups: np.ndarray, labels: list[str], analysis: dict
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Test one outcome across groups: (test row, group rows, Dunn pair rows)."""
    confidence = analysis.get("confidence_level", 0.95)
    resamples = analysis.get("bootstrap_resamples", 2000)
    seed = analysis.get("seed", 0)
    adjust_method = analysis.get("p_adjust", "holm")
    level = f"{100 * confidence:g}%"

    present = ~np.isnan(values)
    values, groups = values[present], np.asarray(groups)[present]
    sizes_all = np.bincount(groups, minlength=len(labels))
    kept = np.flatnonzero(sizes_all)
    empty = [labels[position] for position in np.flatnonzero(sizes_all == 0)]
    labels = [labels[k] for k in kept]
    groups = np.searchsorted(kept, groups)
    sizes = sizes_all[kept]

    ranks = stats.rankdata(values)
    mean_ranks = np.bincount(groups, weights=ranks, minlength=len(kept)) / sizes
    medians = pd.Series(values).groupby(groups).median().to_numpy()
    group_rows = pd.DataFrame(
        {"group": labels, "n": sizes, "mean_rank": mean_ranks, "median": medians,
         "group_position": np.arange(1, len(labels) + 1)}
    )  # fmt: skip

    minimum = analysis.get("min_group_size", 0)
    small = [f"{label} (n={n})" for label, n in zip(labels, sizes, strict=True) if n < minimum]
    warning = f"groups smaller than {minimum}: {', '.join(small)}" if small else ""
    row = {
        "n": int(sizes.sum()),
        "group_order": "; ".join(labels),
        "highest_mean_rank": _highest(labels, mean_ranks),
        "warning": warning,
        "empty_groups": "; ".join(empty),
    }
    posthoc = pd.DataFrame(columns=POSTHOC_COLUMNS[2:])
    untestable = (
        "fewer than 2 groups" if len(labels) < 2
        else "all values equal" if np.unique(values).size < 2
        else ""
    )  # fmt: skip
    if untestable:
        row.update(test="none", warning="; ".join(filter(None, [warning, untestable])))
        return row, group_rows, posthoc

    table = count_table(values, groups, len(labels))
    if len(labels) == 2:
        row.update(_mann_whitney(values, groups, table, labels))
        statistic = rank_biserial
    else:
        result = stats.kruskal(*(values[groups == g] for g in range(len(labels))))
        row.update(
            test="Kruskal-Wallis H", statistic=float(result.statistic), p=float(result.pvalue),
            method=(
                f"Kruskal-Wallis H, tie-corrected, chi-squared approximation on "
                f"{len(labels) - 1} df"
            ),
            df=len(labels) - 1, effect_size_name="epsilon-squared = H/(n-1)",
            effect_size=float(epsilon_squared(table)),
        )  # fmt: skip
        statistic = epsilon_squared
        posthoc = _dunn_table(labels, mean_ranks, sizes, float(rank_sums(table)[1]), adjust_method)
    low, high = bootstrap_interval(table, statistic, confidence, resamples, seed)
    row.update(
        effect_ci_low=low,
        effect_ci_high=high,
        effect_ci_method=(
            f"{level} percentile bootstrap, {resamples} resamples of respondents within groups, "
            f"seed {seed}"
        ),
    )
    return row, group_rows, posthoc


def _mann_whitney(
    values: np.ndarray, groups: np.ndarray, table: np.ndarray, labels: list[str]
) -> dict:
    """scipy's Mann-Whitney U of the first group, its method stated, and the rank-biserial r."""
    first, second = values[groups == 0], values[groups == 1]
    no_ties = table.shape[1] == len(values)
    exact = no_ties and min(len(first), len(second)) <= EXACT_MAX_N
    result = stats.mannwhitneyu(
        first, second, alternative="two-sided", use_continuity=True,
        method="exact" if exact else "asymptotic",
    )  # fmt: skip
    how = (
        "exact null distribution (no ties)"
        if exact
        else "normal approximation with tie and continuity correction"
    )
    return {
        "test": "Mann-Whitney U",
        "statistic": float(result.statistic),
        "p": float(result.pvalue),
        "method": f"Mann-Whitney U of {labels[0]} (U1), two-sided, {how}",
        "df": np.nan,
        "effect_size_name": f"rank-biserial r (> 0: {labels[0]} ranks higher)",
        "effect_size": float(rank_biserial(table)),
    }


def _dunn_table(
    labels: list[str], mean_ranks: np.ndarray, sizes: np.ndarray, ties: float, method: str
) -> pd.DataFrame:
    """Dunn's pairs of one outcome, p adjusted over its pairs."""
    pairs = pd.DataFrame(dunn(mean_ranks, sizes, ties), columns=["a", "b", "z", "p"])
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    return pd.DataFrame(
        {
            "group_a": np.asarray(labels, dtype=object)[a],
            "group_b": np.asarray(labels, dtype=object)[b],
            "z": pairs["z"],
            "p": pairs["p"],
            "p_adjusted": adjust(pairs["p"].to_numpy(), method),
            "n_a": sizes[a],
            "n_b": sizes[b],
            "mean_rank_a": mean_ranks[a],
            "mean_rank_b": mean_ranks[b],
            "adjust_method": method,
            "method": "Dunn z with tie correction (> 0: group_a ranks higher), two-sided "
            f"normal p, adjusted ({method}) over the outcome's pairs",
        }
    )


def _highest(labels: list[str], mean_ranks: np.ndarray) -> str:
    """The group with the highest mean rank, or "" when none is strictly highest."""
    if not labels or np.sum(mean_ranks == mean_ranks.max()) > 1:
        return ""
    return labels[int(np.argmax(mean_ranks))]


# --- One comparison and the families --------------------------------------------------------


def run_comparison(
    name: str,
    spec: dict,
    frames: dict[str, pd.DataFrame],
    questionnaires: dict[str, Questionnaire],
    analysis: dict,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tests, group summaries and Dunn pairs of every outcome of one comparison."""
    data, labels = comparison_data(frames, questionnaires, spec)
    tests, groups, posthocs = [], [], []
    for outcome in spec["outcomes"]:
        row, group_rows, posthoc = compare_outcome(
            data[outcome].to_numpy(), data[GROUP].to_numpy(), labels, analysis
        )
        if row["warning"]:
            log.warning("%s, %s: %s", name, outcome, row["warning"])
        if row["empty_groups"]:
            log.info(
                "%s, %s: groups without values left out: %s", name, outcome, row["empty_groups"]
            )
        tests.append({"comparison": name, "outcome": outcome, "family": spec["family"], **row})
        groups.append(group_rows.assign(comparison=name, outcome=outcome))
        posthocs.append(posthoc.assign(comparison=name, outcome=outcome))
    return (
        pd.DataFrame(tests).reindex(columns=TEST_COLUMNS).astype({"n": "int64"}),
        pd.concat(groups, ignore_index=True)[GROUP_COLUMNS],
        pd.concat(posthocs, ignore_index=True)[POSTHOC_COLUMNS],
    )


def adjust_families(tests: pd.DataFrame, families: dict[str, str], method: str) -> pd.DataFrame:
    """Set ``family`` from config and adjust p across each family's tests."""
    tests = tests.copy()
    tests["family"] = tests["comparison"].map(families)
    tests["adjust_method"] = method
    tests["p_adjusted"] = np.nan
    for _, index in tests.groupby("family", sort=True).groups.items():
        tests.loc[index, "p_adjusted"] = adjust(tests.loc[index, "p"].to_numpy(), method)
    return tests


def significant_posthoc(posthoc: pd.DataFrame, tests: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Dunn pairs of the outcomes whose Kruskal-Wallis test is significant after adjustment."""
    significant = tests.loc[
        (tests["test"] == "Kruskal-Wallis H") & (tests["p_adjusted"] < alpha),
        ["comparison", "outcome"],
    ]
    return posthoc.merge(significant, on=["comparison", "outcome"], how="inner")[posthoc.columns]
