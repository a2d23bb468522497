"""Percent agreement: one definition (above the midpoint, or the codebook's ``agree``), Wilson
intervals, bootstrap of the set mean."""

import numpy as np
import pandas as pd
import pytest
from likertflow.agreement import (
    agreement_summary_from_cells,
    bootstrap_mean_percent,
    pattern_cells,
    wilson_interval,
)
from likertflow.resampling import distinct_patterns
from scipy import stats
from support import reverse_keyed as keyed
from support import toy_codebook as toy

# A 7-point scale with an off-scale answer: "agree" must come from the codebook, not 4 and 5;
# here the codebook's `agree` names the top two points (the default would be the top three).
SEVEN = toy.scale(
    "point {}", range(1, 8), off_scale=("No opinion", 0), agree=["point 6", "point 7"]
)


def agreement_summary(rows: pd.DataFrame, q, *settings, **named) -> pd.DataFrame:
    """The summary of respondents' rows as the workflow makes it: from their pattern cells."""
    return agreement_summary_from_cells(pattern_cells(rows, q), q, *settings, **named)


def questionnaire():
    return toy.questionnaire(
        {"pros": "pq", "cons": "r"},
        answers={"agreement": SEVEN, "yes_no": toy.scale(["Yes"], [1], ordinal=False)},
        questions=[{"id": "yn", "text": "Yes?", "answers": "yes_no"}, "statements"],
    )


def test_agree_codes_are_the_codebooks_agree_labels():
    q = questionnaire()
    assert q.question("p").answers.agree_codes == [6, 7]
    with pytest.raises(ValueError, match="not ordinal"):
        _ = q.question("yn").answers.agree_codes


@pytest.mark.parametrize(
    "points, off_scale, expected, description",
    [
        (5, False, [4, 5], "top two scale points"),  # the shipped scale: unchanged
        (4, False, [3, 4], "top two scale points"),
        (6, True, [4, 5, 6], "top three scale points"),  # no neutral: the upper half
        (7, True, [5, 6, 7], "top three scale points"),  # neutral 4 excluded
        (11, False, [7, 8, 9, 10, 11], "top five scale points"),
        (2, False, [2], "top scale point"),  # a yes/no-like scale: not "top one scale points"
    ],
)
def test_default_agreement_is_above_the_midpoint(points, off_scale, expected, description):
    # an off-scale "Don't know" after the scale is no point of it
    scale = toy.scale(
        codes=range(1, points + 1), off_scale=("Don't know", 99) if off_scale else None
    )
    q = toy.questionnaire({"s": "a"}, answers={"scale": scale}, statement_answers="scale")
    answers = q.question("a").answers
    assert answers.agree_codes == expected
    assert answers.agree_description == description


def wilson_closed_form(k, n, confidence):
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return 100 * (centre - half), 100 * (centre + half)


def test_wilson_interval_gives_statsmodels_floats():
    """The same floats as statsmodels' proportion_confint(method="wilson"), the reference the
    workflow no longer imports: every count up to 60 respondents, and national-survey sizes."""
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(3)
    sizes = [(k, n) for n in range(1, 61) for k in range(n + 1)]
    sizes += [(int(k), int(n)) for n in rng.integers(1, 10**6, 200) for k in rng.integers(0, n, 2)]
    for confidence in (0.95, 0.9, 0.99, 0.8):
        for k, n in sizes:
            low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
            assert wilson_interval(k, n, confidence) == (100 * float(low), 100 * float(high))


@pytest.mark.parametrize("k, n", [(0, 10), (3, 10), (10, 10), (121, 282)])
def test_wilson_interval_matches_closed_form(k, n):
    assert wilson_interval(k, n, 0.95) == pytest.approx(wilson_closed_form(k, n, 0.95))
    assert wilson_interval(k, n, 0.9) == pytest.approx(wilson_closed_form(k, n, 0.9))


def toy_frame():
    na = pd.NA
    return toy.codes(
        {
            "yn": [1] * 8,
            # p: 6, 7 agree; 0 is off-scale (counted, not agreeing); <NA> not counted
            "p": [7, 6, 5, 0, 1, na, 7, 4],
            "q": [1, 2, 3, 6, 7, 7, na, na],
            "r": [na] * 8,
        }
    )


def test_summary_by_hand():
    table = agreement_summary(toy_frame(), questionnaire(), 0.95, resamples=500, seed=1)
    assert list(table.columns[:7]) == [
        "survey", "statement_set", "statement", "percent_agree", "ci_low", "ci_high", "n",
    ]  # fmt: skip
    rows = table.set_index(["statement_set", "statement"])
    assert rows.loc[("pros", "p"), "n"] == 7
    assert rows.loc[("pros", "p"), "percent_agree"] == pytest.approx(300 / 7)
    low, high = wilson_closed_form(3, 7, 0.95)
    assert rows.loc[("pros", "p"), ["ci_low", "ci_high"]].tolist() == pytest.approx([low, high])
    assert rows.loc[("pros", "q"), ["percent_agree", "n"]].tolist() == pytest.approx([50, 6])
    mean = rows.loc[("pros", "mean")]
    assert mean.percent_agree == pytest.approx((300 / 7 + 50) / 2)
    assert mean.n == 8  # respondents who answered at least one statement of the set
    assert mean.ci_low <= mean.percent_agree <= mean.ci_high
    # a set nobody answered: n = 0, no interval
    assert rows.loc[("cons", "r"), "n"] == 0
    assert np.isnan(rows.loc[("cons", "r"), "percent_agree"])
    assert rows.loc[("cons", "mean"), "n"] == 0
    assert list(table.statement) == ["p", "q", "mean", "r", "mean"]


def test_bootstrap_is_seeded_and_matches_resampling_rows():
    rng = np.random.default_rng(3)
    states = rng.choice([0, 1, 2], p=[0.1, 0.4, 0.5], size=(400, 4))
    states[states.sum(axis=1) == 0, 0] = 1
    first = bootstrap_mean_percent(states, 0.95, 2000, seed=11)
    assert bootstrap_mean_percent(states, 0.95, 2000, seed=11) == first

    # naive bootstrap: resample respondents' rows, recompute each statement's % agree
    means = []
    for _ in range(2000):
        sample = states[rng.integers(0, len(states), len(states))]
        means.append(np.mean(100 * (sample == 2).sum(0) / (sample > 0).sum(0)))
    naive = np.quantile(means, [0.025, 0.975])
    assert first == pytest.approx(tuple(naive), abs=0.6)  # percentage points


@pytest.mark.parametrize("columns", [1, 2, 9, 39, 40])  # 40: too wide for one int64 key
@pytest.mark.parametrize("seed", [0, 1])
def test_distinct_patterns_are_numpys_unique_rows(columns, seed):
    """The bootstrap's answer patterns and their counts, in np.unique's order (the draws depend
    on the order, so the interval stays byte-identical)."""
    rng = np.random.default_rng(seed)
    states = rng.integers(0, 3, size=(500, columns)).astype(np.int8)
    states[250:] = states[:250]  # repeated patterns
    states[:20, :] = 2  # a pattern of the highest key
    patterns, counts = distinct_patterns(states)
    expected_patterns, expected_counts = np.unique(states, axis=0, return_counts=True)
    np.testing.assert_array_equal(patterns, expected_patterns)
    np.testing.assert_array_equal(counts, expected_counts)
    assert patterns.dtype == states.dtype


def test_agreement_bootstrap_interval_is_95_percent():
    """Kills a 90 % interval (or any level off by 2 points) in the agreement-summary bootstrap.

    One statement, 1000 respondents, 500 agreeing: the bootstrap distribution of % agree is
    exactly 100 Binomial(1000, 0.5) / 1000. With 20,000 resamples the Monte Carlo sd of its
    2.5 % quantile is about 0.03 points; a 90 % interval moves each end by 0.5 points. Tolerance
    0.15 points: 5 sd, a third of the smallest bug it must catch.
    """
    states = np.repeat([[2], [1]], 500, axis=0)
    low, high = bootstrap_mean_percent(states, 0.95, 20_000, seed=1)
    expected = 100 * stats.binom.ppf([0.025, 0.975], 1000, 0.5) / 1000
    assert (low, high) == pytest.approx(tuple(expected), abs=0.15)


def test_agreement_defaults_are_stated_and_seeded():
    frame, q = toy_frame(), questionnaire()
    table = agreement_summary(frame, q)
    assert table.equals(agreement_summary(frame, q, 0.95, 2000, 0))
    assert table.equals(agreement_summary(frame, q))  # seeded: the same twice
    assert (table["survey"] == "toy").all()
    methods = table.set_index("statement")["method"]
    assert methods["p"] == "top two scale points; Wilson 95% interval"
    assert methods["mean"].iloc[0] == (
        "unweighted mean over 2 statements; percentile bootstrap 95% interval, 2000 resamples "
        "of respondents, seed 0"
    )


def test_a_statement_set_without_statements_is_skipped_not_the_end():
    q = questionnaire()
    sets = {"empty": "Nothing yet", **q.statement_sets}
    object.__setattr__(q, "statement_sets", sets)  # the frozen toy gets an empty first set
    table = agreement_summary(toy_frame(), q, resamples=200)
    assert list(dict.fromkeys(table.statement_set)) == ["pros", "cons"]


def test_wilson_interval_of_one_respondent():
    low, high = wilson_interval(1, 1, 0.95)
    assert 0 < low < high == pytest.approx(100)
    assert np.isnan(wilson_interval(0, 0, 0.95)).all()


def keyed_frame() -> pd.DataFrame:
    """Six answers to a, b and the reverse-keyed c (mostly disagreeing with c as worded)."""
    columns = {"a": [4, 5, 4, 2, 3, 5], "b": [5, 4, 3, 4, 5, 2], "c": [1, 1, 2, 1, 3, 5]}
    return toy.codes(columns)


def test_a_reverse_keyed_sets_summary_uses_keyed_directions():
    """Issue 21: the set's mean % agree no longer averages statements pointing opposite ways.
    c is counted as agreeing when its answer is at the low end (p1, p2: the mirror of the top two
    points): 4 of 6, not the 1 of 6 who agree with it as worded."""
    q = keyed.questionnaire(reverse=True)
    assert q.question("c").keyed_agree_codes == [1, 2]
    rows = agreement_summary(keyed_frame(), q, resamples=200, seed=1).set_index("statement")
    assert rows.loc["a", "percent_agree"] == pytest.approx(100 * 4 / 6)
    assert rows.loc["b", "percent_agree"] == pytest.approx(100 * 4 / 6)
    assert rows.loc["c", "percent_agree"] == pytest.approx(100 * 4 / 6)
    assert rows.loc["c", "n_agree"] == 4
    assert "keyed direction, p1 or p2 to it as worded" in rows.loc["c", "method"]
    assert "reverse-keyed" not in rows.loc["a", "method"]
    assert rows.loc["mean", "percent_agree"] == pytest.approx(100 * 4 / 6)
    assert "reverse-keyed statements (R) in their keyed direction" in rows.loc["mean", "method"]
    # As worded, the mean would have been (4 + 4 + 1) / 18: a number with no meaning.
    assert rows.loc["mean", "percent_agree"] != pytest.approx(100 * 9 / 18)


def test_reverse_keyed_statements_can_be_left_out_and_the_mean_says_so():
    from likertflow.agreement import LEFT_OUT

    q = keyed.questionnaire(reverse=True)
    table = agreement_summary(keyed_frame(), q, resamples=200, seed=1, reverse_keyed=LEFT_OUT)
    rows = table.set_index("statement")
    assert list(rows.index) == ["a", "b", "mean"]
    assert rows.loc["mean", "percent_agree"] == pytest.approx(100 * 4 / 6)
    assert "over 2 statements" in rows.loc["mean", "method"]
    assert "1 reverse-keyed statement (R) left out (c)" in rows.loc["mean", "method"]


def test_keyed_agree_codes_mirror_the_codebooks_agree_labels():
    """A frequency scale whose agree labels are Often and Always: a reverse-keyed statement
    agrees in its keyed direction with Never and Rarely."""
    frequency = toy.scale(["Never", "Rarely", "Sometimes", "Often", "Always"],
                          off_scale=toy.DONT_KNOW, agree=["Often", "Always"])  # fmt: skip
    q = toy.questionnaire({"s": "xy"}, reverse="x", answers={"f": frequency}, statement_answers="f")
    assert q.question("x").keyed_agree_codes == [1, 2]
    assert q.question("y").keyed_agree_codes == [4, 5]


def test_the_method_of_a_keyed_set_says_word_for_word_how_reverse_keyed_ones_were_counted():
    """What a reader of the table sees: the reverse-keyed statement's row names its keyed agree
    labels after the scale's definition and interval, and the mean's row says its reverse-keyed
    statements were counted in their keyed direction after the bootstrap's settings."""
    q = keyed.questionnaire(reverse=True)
    methods = agreement_summary(keyed_frame(), q, resamples=200, seed=1).set_index("statement")
    assert methods.loc["a", "method"] == "top two scale points; Wilson 95% interval"
    assert methods.loc["c", "method"] == (
        "top two scale points; Wilson 95% interval; reverse-keyed statement (R): agreeing in its "
        "keyed direction, p1 or p2 to it as worded"
    )
    assert methods.loc["mean", "method"] == (
        "unweighted mean over 3 statements; percentile bootstrap 95% interval, 200 resamples of "
        "respondents, seed 1; reverse-keyed statements (R) in their keyed direction"
    )


def test_two_reverse_keyed_statements_left_out_are_counted_and_named_in_the_mean_row():
    """b and c reverse-keyed in a set of four, left out: the mean over a and d says "2
    reverse-keyed statements" (plural) and names both, in codebook order."""
    from likertflow.agreement import LEFT_OUT

    q = toy.questionnaire({"s": "abcd"}, reverse="bc")  # a five-point scale
    columns = {"a": [4, 5, 1, 2], "b": [1, 1, 5, 5], "c": [2, 1, 4, 5], "d": [5, 3, 3, 4]}
    frame = toy.codes(columns)
    rows = agreement_summary(frame, q, resamples=200, seed=1, reverse_keyed=LEFT_OUT)
    rows = rows.set_index("statement")
    assert list(rows.index) == ["a", "d", "mean"]
    # a: 4, 5 agree (2 of 4); d: 5, 4 (2 of 4)
    assert rows.loc["mean", "percent_agree"] == pytest.approx(50)
    assert rows.loc["mean", "method"] == (
        "unweighted mean over 2 statements; percentile bootstrap 95% interval, 200 resamples of "
        "respondents, seed 1; 2 reverse-keyed statements (R) left out (b, c)"
    )


def test_a_mean_over_one_statement_says_statement_not_statements():
    """a and b reverse-keyed are left out of a set of three: the mean row is over c alone and
    says so in the singular (it read "over 1 statements")."""
    from likertflow.agreement import LEFT_OUT

    q = toy.questionnaire({"s": "abc"}, reverse="ab")
    columns = {"a": [4, 5, 1, 2], "b": [1, 1, 5, 5], "c": [2, 1, 4, 5]}
    frame = toy.codes(columns)
    rows = agreement_summary(frame, q, resamples=200, seed=1, reverse_keyed=LEFT_OUT)
    method = rows.set_index("statement").loc["mean", "method"]
    assert method.startswith("unweighted mean over 1 statement; percentile bootstrap 95% ")


def test_a_resample_in_which_nobody_answered_a_statement_is_left_out_without_a_warning():
    """One of 30 respondents answered the second statement: about a third of the resamples draw
    nobody who did, so that statement's % agree is 0 / 0 in them. They are left out of the
    interval (``percentile_interval`` ignores NaN) quietly: no RuntimeWarning for the job's log,
    where a researcher would read it as a fault."""
    import warnings

    states = np.zeros((30, 2), dtype=np.int8)
    states[:, 0] = [2] * 12 + [1] * 18
    states[0, 1] = 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = bootstrap_mean_percent(states, 0.95, 200, seed=2)
    # every resample that counts has the second statement at 100 %: the mean is 50 + first / 2
    assert 50 <= low <= high <= 100
