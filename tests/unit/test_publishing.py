"""What the shareable tables show under a disclosure rule (likertflow.publishing), on small
hand-made tables: which cells and sums are hidden, which counts are rounded, and the published
values, each worked out by hand in the comments (threshold 10: counts 1-9 hidden, no statistic of
a group below 10; NHS England: counts 1-7 hidden, the rest rounded to the nearest 5, no statistic
of a group below 8). ``publish_frequencies``, ``publish_flow`` and the first comparison tests are
in test_disclosure.py, the ordinal models' in test_ordinal.py.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from likertflow.disclosure import SUPPRESSED, Policy
from likertflow.publishing import (
    STATEMENT_COLUMNS,
    _journal_gate,
    _published_denominator,
    answer_sums,
    publish_agreement,
    publish_comparisons,
    publish_ledger_summary,
    publish_theme_tables,
    read_plans,
    statement_frequencies,
)
from support import toy_codebook as toy
from support.policies import NHS, NONE, TEN


def questionnaire():
    """A 5-point scale (with an off-scale answer), a question on it that is no statement, a
    yes/no question, and statements: two pros (one reverse-keyed), a con, and a yes/no flag."""
    return toy.questionnaire(
        {"pros": "pq", "cons": "r", "flags": "f"},
        reverse="q",
        answers={
            "agreement": toy.scale("point {}", off_scale=toy.DONT_KNOW),
            "yes_no": toy.YES_NO,
        },
        statement_answers="agreement",
        set_answers={"flags": "yes_no"},
        questions=[
            {"id": "mood", "text": "Mood?", "answers": "agreement"},
            {"id": "yn", "text": "Yes?", "answers": "yes_no"},
            "statements",
        ],
    )


# --- Plans, statement frequencies and the sums beside a statement's cells ----------------------


def test_answer_sums_are_the_agree_codes_and_the_lower_half_of_the_scale():
    # a 5-point scale: agree is its top two points (4, 5), the low pole below its middle (1, 2);
    # the off-scale 9 is in neither. A reverse-keyed statement's cells are the same codes. A
    # question that is no statement (mood) and a statement without a scale (f) have no sums.
    sums = answer_sums(questionnaire(), ["mood", "yn", "p", "q", "f"])
    assert sums == {"p": [[4, 5], [1, 2]], "q": [[4, 5], [1, 2]]}
    assert answer_sums(questionnaire(), ["r"]) == {"r": [[4, 5], [1, 2]]}


def test_answer_sums_low_pole_of_an_even_and_a_longer_scale():
    q = toy.questionnaire(
        {"a": "x", "b": "y"},
        answers={
            "four": toy.scale(codes=(10, 20, 30, 40)),
            "seven": toy.scale("s{}", range(1, 8), agree=["s7"]),
        },
        statement_answers="four",
        set_answers={"b": "seven"},
    )
    # four points: the lower two; seven: the lower three (the middle 4 is in neither pole)
    assert answer_sums(q, ["x", "y"]) == {"x": [[30, 40], [10, 20]], "y": [[7], [1, 2, 3]]}


PLAN_COLUMNS = ["question_id", "question", "response", "code", "count", "n", "denominator",
                "percent"]  # fmt: skip


def test_read_plans_keeps_every_cell_as_the_text_it_was(tmp_path):
    """A plan is read as text: a ``*`` and a 0 stay what they were, a label "None" is an answer,
    and the no-answer row's empty code stays an empty text (not a missing value)."""
    folder = tmp_path / "results" / "disclosure"
    folder.mkdir(parents=True)
    (folder / "alpha.counts.csv").write_text(
        "question_id,question,response,code,count,n,denominator,percent\n"
        "yn,Yes?,Yes,1,3,*,40,*\n"
        "yn,Yes?,None,2,0,0,40,0.00\n"
        "yn,Yes?,No answer,,37,37,40,92.50\n",
        encoding="utf-8",
    )
    (folder / "beta.counts.csv").write_text(
        "question_id,question,response,code,count,n,denominator,percent\n"
        "yn,Yes?,Yes,1,12,12,12,100.00\n",
        encoding="utf-8",
    )
    plans = read_plans([folder / "alpha.counts.csv", str(folder / "beta.counts.csv")])
    assert list(plans) == ["alpha", "beta"]
    alpha = plans["alpha"]
    assert list(alpha.columns) == PLAN_COLUMNS
    assert alpha["code"].tolist() == ["1", "2", ""]
    assert alpha["response"].tolist() == ["Yes", "None", "No answer"]
    assert alpha["n"].tolist() == ["*", "0", "37"]
    assert alpha["percent"].tolist() == ["*", "0.00", "92.50"]
    assert plans["beta"]["count"].tolist() == ["12"]


def test_statement_frequencies_are_the_plans_statement_rows_without_exact_counts():
    plan = pd.DataFrame(
        {
            "question_id": ["mood", "p", "p", "yn", "r", "f"],
            "question": ["Mood?", "P", "P", "Yes?", "R", "F"],
            "response": ["point 1", "point 1", "point 2", "Yes", "point 5", "Yes"],
            "code": ["1", "1", "2", "1", "5", "1"],
            "count": ["50", "3", "47", "50", "50", "50"],
            "n": ["50", "*", "*", "50", "50", "50"],
            "denominator": ["50", "50", "50", "50", "50", "50"],
            "percent": ["100.00", "*", "*", "100.00", "100.00", "100.00"],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    table = statement_frequencies(plan, questionnaire())
    expected = pd.DataFrame(
        {
            "survey": "toy",
            "statement_set": ["pros", "pros", "cons", "flags"],
            "question_id": ["p", "p", "r", "f"],
            "question": ["P", "P", "R", "F"],
            "response": ["point 1", "point 2", "point 5", "Yes"],
            "code": ["1", "2", "5", "1"],
            "n": ["*", "*", "50", "50"],
            "denominator": ["50", "50", "50", "50"],
            "percent": ["*", "*", "100.00", "100.00"],
        },
        index=[11, 12, 14, 15],
    )
    assert list(table.columns) == STATEMENT_COLUMNS  # never the exact count
    pd.testing.assert_frame_equal(table, expected)


# --- The ledger summary ------------------------------------------------------------------------


def test_ledger_summary_shows_each_count_as_the_published_flow_does():
    from likertflow.flow import stage_of

    flow = pd.DataFrame(
        {
            "survey": ["a", "a", "a", "b", "b", "b"],
            "stage": ["duplicate_responses", "excluded_speeders", "analysed"] * 2,
            "n": [0, SUPPRESSED, 45, 10, 15, 120],
        }
    )
    summary = pd.DataFrame(
        {
            "survey": ["a", "a", "b", "b", "b"],
            "status": ["analysed", "excluded", "analysed", "excluded", "excluded"],
            "reason": ["", "speeders", "", "duplicate_response", "speeders"],
            "n": [44, 3, 121, 12, 13],
        }
    )
    published = publish_ledger_summary(summary, flow, stage_of)
    assert published["n"].tolist() == [45, SUPPRESSED, 120, 10, 15]
    assert published[["survey", "status", "reason"]].equals(summary[["survey", "status", "reason"]])
    assert summary["n"].tolist() == [44, 3, 121, 12, 13]  # the exact table is left as it was


# --- The gate of a post-hoc pair in words -------------------------------------------------------


GATE = "Kruskal-Wallis H: p adjusted (holm, family f) = 1.6685e-05 < alpha 0.05"
BELOW = "Kruskal-Wallis H: p adjusted (holm, family f) < 0.001 < alpha 0.05"


@pytest.mark.parametrize(
    ("text", "p", "alpha", "expected"),
    [
        (GATE, 1.6685e-05, 0.05, BELOW),
        (GATE, "<1e-320", 0.05, BELOW),  # a bound below the smallest float
        # two decimals, three below 0.01; 0.0461 stays 0.046 (not 0.05) below alpha 0.05
        ("H: p = 0.0123 < alpha 0.05", 0.0123, 0.05, "H: p = 0.01 < alpha 0.05"),
        ("H: p = 0.00834 < alpha 0.05", 0.00834, 0.05, "H: p = 0.008 < alpha 0.05"),
        ("H: p = 0.0461 < alpha 0.05", 0.0461, 0.05, "H: p = 0.046 < alpha 0.05"),
        ("H: p = 0.0961 < alpha 0.1", 0.0961, 0.1, "H: p = 0.096 < alpha 0.1"),
        ("H: p = 0.0961 < alpha 0.1", 0.0961, 0.05, "H: p = 0.10 < alpha 0.1"),
    ],
)  # fmt: skip
def test_a_gate_in_words_quotes_its_p_as_journals_print_it(text, p, alpha, expected):
    assert _journal_gate(text, p, alpha) == expected


def test_a_pair_without_a_gate_keeps_its_empty_cell():
    assert math.isnan(_journal_gate(float("nan"), float("nan"), 0.05))
    assert _journal_gate(None, 0.01, 0.05) is None


# --- The agreement summary ---------------------------------------------------------------------

CODES = ["1", "2", "3", "4", "5"]
AGREE = ["4", "5"]
STATEMENT_METHOD = "top two scale points; Wilson 95% interval"
MEAN_METHOD = "unweighted mean over 2 statements; percentile bootstrap 95% interval"


def frequencies(counts: list[int], shown: list, denominator, codes=CODES) -> pd.DataFrame:
    """A statement's rows of its disclosure plan as ``summarise_themes`` hands them over:
    codes and published counts as text, the exact ``count`` as integers."""
    return pd.DataFrame(
        {
            "code": codes,
            "count": pd.array(counts, dtype="int64"),
            "n": [str(n) for n in shown],
            "denominator": str(denominator),
        }
    )


def summary(rows: list[tuple]) -> pd.DataFrame:
    """An agreement summary as ``agreement_summary`` makes it: (survey, set, statement, n,
    n_agree) per row, a set's mean with no n_agree; the exact percentages and intervals
    placeholders (a statement's are recomputed from the published counts)."""
    return pd.DataFrame(
        {
            "survey": [r[0] for r in rows],
            "statement_set": [r[1] for r in rows],
            "statement": [r[2] for r in rows],
            "percent_agree": [61.111 + i for i, _ in enumerate(rows)],
            "ci_low": [28.123 + i for i, _ in enumerate(rows)],
            "ci_high": [37.456 + i for i, _ in enumerate(rows)],
            "n": pd.array([r[3] for r in rows], dtype="int64"),
            "n_agree": pd.array([r[4] for r in rows], dtype="Int64"),
            "method": [MEAN_METHOD if r[2] == "mean" else STATEMENT_METHOD for r in rows],
        }
    )


def interval(agree, n):
    """A stand-in for the Wilson interval whose ends tell which counts it was given."""
    return (agree / 2, n / 4) if n else (math.nan, math.nan)


def test_agreement_hides_n_agree_where_it_would_pin_a_hidden_cell():
    """Threshold 10. Statement p: 2 and 10 disagree (hidden, the 10 to protect the 2), 68 agree
    (30 + 38): 68 pins nothing. Statement q: 40, 30, (10), (5), 15: 20 agree would give the
    hidden 4 as 20 - 15 = 5, so n_agree, its percentage and interval are hidden; a set's mean with
    a hidden percentage is hidden too; the set's n is shown."""
    table = summary([("s", "pros", "p", 100, 68), ("s", "pros", "q", 100, 20),
                     ("s", "pros", "mean", 100, None)])  # fmt: skip
    questions = {
        ("s", "p"): (frequencies([2, 10, 20, 30, 38], ["*", "*", 20, 30, 38], 100), AGREE),
        ("s", "q"): (frequencies([40, 30, 10, 5, 15], [40, 30, "*", "*", 15], 100), AGREE),
    }
    published = publish_agreement(table, questions, TEN, interval)
    assert published["n"].tolist() == [100, 100, 100]
    assert published["n_agree"].tolist()[:2] == [68, SUPPRESSED]
    assert pd.isna(published["n_agree"].iloc[2])
    # p: 68 of 100; its interval from (68, 100): 34.00, 25.00
    assert published["percent_agree"].tolist() == ["68.00", SUPPRESSED, SUPPRESSED]
    assert published["ci_low"].tolist() == ["34.00", SUPPRESSED, SUPPRESSED]
    assert published["ci_high"].tolist() == ["25.00", SUPPRESSED, SUPPRESSED]
    # no rounding: the methods say what they said
    assert published["method"].tolist() == [STATEMENT_METHOD, STATEMENT_METHOD, MEAN_METHOD]
    assert table["n_agree"].iloc[0] == 68 and table["percent_agree"].iloc[0] == 61.111


def test_agreement_n_of_a_statement_some_left_blank():
    """A statement's n is those who answered it, the sum of its answered cells. Statement r: 12
    left it blank (denominator 127): n 115 is shown, 30 agree, 26.09 %. Statement r2: 3 left it
    blank (hidden, and 10 to protect it): n 115 would give 118 - 115 = 3, so it is hidden, and
    with it the percentage (n_agree, 30, would give the hidden 10 as 30 - 20, hidden too)."""
    blank = [*CODES, ""]
    table = summary([("s", "cons", "r", 115, 30), ("s", "cons", "r2", 115, 30)])
    questions = {
        ("s", "r"): (frequencies([40, 30, 15, 10, 20, 12], [40, 30, 15, 10, 20, 12], 127, blank),
                     AGREE),
        ("s", "r2"): (frequencies([40, 30, 15, 10, 20, 3], [40, 30, 15, "*", 20, "*"], 118,
                                  blank), AGREE),
    }  # fmt: skip
    published = publish_agreement(table, questions, TEN, interval)
    assert published["n"].tolist() == [115, SUPPRESSED]
    assert published["n_agree"].tolist() == [30, SUPPRESSED]
    # 30 / 115 = 26.0869...; the interval of (30, 115): 15.00, 28.75
    assert published["percent_agree"].tolist() == ["26.09", SUPPRESSED]
    assert published[["ci_low", "ci_high"]].values.tolist() == [["15.00", "28.75"], ["*", "*"]]


def test_agreement_n_where_a_small_blank_count_is_hidden_but_the_n_pins_nothing():
    # 5 left it blank, hidden together with the 10 beside it: 115 answered, 120 asked; then
    # 120 - 115 = 5 would pin the blank cell, so n is hidden even though n_agree (65) is not
    blank = [*CODES, ""]
    table = summary([("s", "cons", "r", 115, 65)])
    questions = {("s", "r"): (frequencies([10, 20, 20, 30, 35, 5], ["*", 20, 20, 30, 35, "*"],
                                          120, blank), AGREE)}  # fmt: skip
    published = publish_agreement(table, questions, TEN, interval)
    assert published["n"].tolist() == [SUPPRESSED]
    assert published["n_agree"].tolist() == [65]
    assert published["percent_agree"].tolist() == [SUPPRESSED]


def test_agreement_set_mean_is_the_mean_of_the_published_percentages():
    """A set's mean is the mean of its statements' percentages as published (2 decimals), so
    that it reads as theirs: 10 / 41 = 24.39 and 17 / 41 = 41.46 give 32.92 (the exact ones,
    24.390... and 41.463..., give 32.93). Only the statements of its own questionnaire and set
    count: survey s's pros (a hidden one) and cons sets are beside it."""
    table = summary([
        ("s", "pros", "q", 100, 20), ("t", "pros", "p", 41, 10), ("t", "cons", "r", 41, 41),
        ("t", "pros", "q", 41, 17), ("s", "pros", "mean", 100, None),
        ("t", "pros", "mean", 41, None),
    ])  # fmt: skip
    questions = {
        ("s", "q"): (frequencies([40, 30, 10, 5, 15], [40, 30, "*", "*", 15], 100), AGREE),
        ("t", "p"): (frequencies([31, 0, 0, 0, 10], [31, 0, 0, 0, 10], 41), AGREE),
        ("t", "q"): (frequencies([24, 0, 0, 0, 17], [24, 0, 0, 0, 17], 41), AGREE),
        ("t", "r"): (frequencies([0, 0, 0, 0, 41], [0, 0, 0, 0, 41], 41), AGREE),
    }
    published = publish_agreement(table, questions, TEN, interval)
    assert published["percent_agree"].tolist() == ["*", "24.39", "100.00", "41.46", "*", "32.92"]
    # the mean's bootstrap interval is kept (2 decimals) under a rule that does not round
    assert published["ci_low"].tolist() == ["*", "5.00", "20.50", "8.50", "*", "33.12"]
    assert published["ci_high"].tolist() == ["*", "10.25", "10.25", "10.25", "*", "42.46"]
    assert published["n"].tolist() == [100, 41, 41, 41, 100, 41]
    assert published["method"].tolist() == [
        STATEMENT_METHOD, STATEMENT_METHOD, STATEMENT_METHOD, STATEMENT_METHOD, MEAN_METHOD,
        f"{MEAN_METHOD}; mean of the published percentages",
    ]  # fmt: skip


def test_agreement_under_rounding_is_of_the_rounded_counts():
    """NHS: 31 and 10 of 41 are published 30 and 10 of 40: 25.00 %; 24 and 17 as 25 and 15:
    37.50 %; the set's mean 31.25 % with its bootstrap interval withheld (it resamples the exact
    answers); the set's n 41 is 40."""
    table = summary([("t", "pros", "p", 41, 10), ("t", "pros", "q", 41, 17),
                     ("t", "pros", "mean", 41, None)])  # fmt: skip
    questions = {
        ("t", "p"): (frequencies([31, 0, 0, 0, 10], [30, 0, 0, 0, 10], 40), AGREE),
        ("t", "q"): (frequencies([24, 0, 0, 0, 17], [25, 0, 0, 0, 15], 40), AGREE),
    }
    published = publish_agreement(table, questions, NHS, interval)
    assert published["n"].tolist() == [40, 40, 40]
    assert published["n_agree"].tolist()[:2] == [10, 15]
    assert published["percent_agree"].tolist() == ["25.00", "37.50", "31.25"]
    assert published["ci_low"].tolist() == ["5.00", "7.50", SUPPRESSED]
    assert published["ci_high"].tolist() == ["10.00", "10.00", SUPPRESSED]
    rounded = f"{STATEMENT_METHOD}, of the published (rounded) counts"
    assert published["method"].tolist() == [
        rounded, rounded,
        f"{MEAN_METHOD}; mean of the published percentages; its interval withheld under a "
        "rounding rule",
    ]  # fmt: skip


def test_agreement_hides_a_sum_of_small_hidden_cells_that_would_pin_them():
    """Threshold 10: 9 and 9 agree, both hidden for being small, beside two more hidden cells
    (15, 20) so that the table alone pins none. An attacker who knows that the 4 and the 5 are
    1-9 (the worst case) and that they sum to 18 has both at 9: n_agree is hidden."""
    table = summary([("s", "pros", "p", 93, 18)])
    questions = {("s", "p"): (frequencies([40, 15, 20, 9, 9], [40, "*", "*", "*", "*"], 93),
                              AGREE)}  # fmt: skip
    published = publish_agreement(table, questions, TEN, interval)
    assert published["n"].tolist() == [93]
    assert published["n_agree"].tolist() == [SUPPRESSED]
    assert published["percent_agree"].tolist() == [SUPPRESSED]


def test_agreement_of_a_statement_with_one_answer():
    # everyone gave the one answer there is: n is its denominator, all of them agree
    table = summary([("s", "pros", "p", 12, 12)])
    questions = {("s", "p"): (frequencies([12], [12], 12, codes=["5"]), AGREE)}
    published = publish_agreement(table, questions, TEN, interval)
    assert published[["n", "n_agree", "percent_agree"]].values.tolist() == [[12, 12, "100.00"]]


def test_agreement_of_a_statement_nobody_answered_has_no_percentage():
    table = summary([("t", "pros", "p", 0, 0)])
    questions = {("t", "p"): (frequencies([0] * 5, [0] * 5, 0), AGREE)}
    published = publish_agreement(table, questions, TEN, interval)
    assert published["n"].tolist() == [0] and published["n_agree"].tolist() == [0]
    assert published[["percent_agree", "ci_low", "ci_high"]].isna().all(axis=None)


def test_agreement_without_a_rule_is_left_as_it_is():
    table = summary([("t", "pros", "p", 41, 10)])
    assert publish_agreement(table, {}, NONE, interval) is table


def test_a_statements_n_without_published_frequencies_is_published_on_its_own():
    empty = frequencies([], [], 0, codes=[])
    assert _published_denominator(empty, 12, NHS) == 10
    assert _published_denominator(empty, 3, TEN) == SUPPRESSED


# --- The theme tables --------------------------------------------------------------------------

# Respondents with an on-scale answer of each statement (exact), and each theme's statements.
ON_SCALE = {"a": 50, "b": 50, "c": 40, "d": 60, "e": 60, "f": 70, "g": 70, "h": 63, "i": 60}
THEME_ITEMS = {"t1": ["a", "b", "c"], "t2": ["d", "e"], "t3": ["f", "g"], "t4": ["h", "i"]}


def theme_tables() -> dict[str, pd.DataFrame]:
    """One questionnaire's theme tables as ``reliability_tables`` and ``with_bounds`` give them
    (a p below the smallest float written as a bound)."""
    correlations = pd.DataFrame(
        {
            "survey": "s",
            "theme": ["t1", "t1", "t1", "t2", "t3", "t4"],
            "item_a": ["a", "a", "b", "d", "f", "h"],
            "item_b": ["b", "c", "c", "e", "g", "i"],
            "rho": [0.6523980556919842, -0.004, 0.3712, 0.45, 0.30000477, 0.2],
            "p": [5.2e-16, 0.0961, "<1e-320", 0.5, 0.0461, 0.995],
            "n": [50, 40, 38, 60, 55, 60],
            "log10_p": [-15.28, -1.017, "<-320", -0.301, -1.336, -0.002],
        }
    )
    reliability = pd.DataFrame(
        {
            "survey": "s",
            "theme": ["t1", "t2", "t3", "t4"],
            "n_items": [3, 2, 2, 2],
            "n": [30, 45, 52, 60],
            "alpha": [0.7946467536245927, 0.5891, 0.6165, float("nan")],
            "alpha_ci_low": [0.7057952156668197, 0.4114, 0.4914, float("nan")],
            "alpha_ci_high": [0.8566646157964508, 0.7132, 0.7171, float("nan")],
            "item_rest_min": [0.6592648812511193, 0.418, 0.1822, 0.2],
            "method": "Cronbach's alpha on complete cases; Feldt (1965) F-based 95% interval",
            "mean_inter_item_r": [0.4180061064552742, 0.2877, 0.5159, 0.2],
            "spearman_brown": [0.5895688383179168, 0.6176, 0.6806, 0.3333],
        }
    )
    item_rest = pd.DataFrame(
        {
            "survey": "s",
            "theme": ["t1", "t2", "t3", "t4"],
            "item": ["a", "d", "f", "h"],
            "n": [30, 45, 52, 60],
            "item_rest_r": [0.418006, -0.0049, 0.5, 0.2],
            "alpha_if_deleted": [0.7171, float("nan"), 0.123456, float("nan")],
        }
    )
    warnings = pd.DataFrame(
        {
            "survey": "s",
            "theme": ["t2", "t3"],
            "item": ["d; e", "f; g"],
            "statistic": ["spearman_brown", "alpha"],
            "value": [0.5895688383179168, 0.6165258669241291],
            "warning": [
                "theme t2 has two statements: report the Spearman-Brown coefficient 0.591 "
                "(2r / (1 + r) of their Pearson r = 0.418) beside Cronbach's alpha (0.589)",
                "theme t3: alpha 0.617 is below 0.7; Brant test p = 0.0123 < 0.05",
            ],
        }
    )
    return {"correlations": correlations, "reliability": reliability, "item_rest": item_rest,
            "warnings": warnings}  # fmt: skip


def test_theme_tables_hide_an_n_that_differs_from_its_population_by_a_small_count():
    """Threshold 10. A correlation's n is hidden where it is 1-9 below one of its statements'
    on-scale counts (b, c: 40 - 38 = 2), a theme's where it is 1-9 below one of its statements'
    (t4: 63 - 60 = 3) or of its pairs' (t1: 38 - 30 = 8; t3: 55 - 52 = 3, its statements' 70 -
    52 = 18 would not hide it)."""
    tables = theme_tables()
    published = publish_theme_tables(tables, ON_SCALE, THEME_ITEMS, TEN, 0.05)
    assert list(published) == ["correlations", "reliability", "item_rest", "warnings"]
    # a, b: 50 of 50 and 50; a, c: 40 of 50 and 40; d, e: 60 of 60; f, g: 55 of 70; h, i: 63
    assert published["correlations"]["n"].tolist() == [50, 40, "*", 60, 55, "*"]
    assert published["reliability"]["n"].tolist() == ["*", 45, "*", "*"]
    assert published["item_rest"]["n"].tolist() == ["*", 45, "*", "*"]
    assert tables["correlations"]["n"].tolist() == [50, 40, 38, 60, 55, 60]  # left as it was


def test_theme_n_without_a_correlations_table_is_nested_in_its_statements_only():
    tables = {"reliability": theme_tables()["reliability"]}
    published = publish_theme_tables(tables, ON_SCALE, THEME_ITEMS, TEN, 0.05)
    assert list(published) == ["reliability"]
    # t1: 30 of 50, 50, 40; t3: 52 of 70 and 70 (no pair of 55 to be 3 below)
    assert published["reliability"]["n"].tolist() == [30, 45, 52, "*"]


def test_theme_item_rest_without_a_reliability_table():
    tables = theme_tables()
    del tables["reliability"]
    published = publish_theme_tables(tables, ON_SCALE, THEME_ITEMS, TEN, 0.05)
    assert list(published) == ["correlations", "item_rest", "warnings"]
    assert published["item_rest"]["n"].tolist() == ["*", 45, "*", "*"]


def test_theme_tables_under_rounding_round_every_n():
    # NHS rounds every count; a difference is not hidden (the rounding blurs it)
    published = publish_theme_tables(theme_tables(), ON_SCALE, THEME_ITEMS, NHS, 0.05)
    assert published["correlations"]["n"].tolist() == [50, 40, 40, 60, 55, 60]
    assert published["reliability"]["n"].tolist() == [30, 45, 50, 60]
    assert published["item_rest"]["n"].tolist() == [30, 45, 50, 60]


def test_theme_statistics_at_two_decimals_p_as_journals_print_it():
    published = publish_theme_tables(theme_tables(), ON_SCALE, THEME_ITEMS, TEN, 0.1)
    correlations = published["correlations"]
    assert correlations["rho"].tolist() == ["0.65", "0.00", "0.37", "0.45", "0.30", "0.20"]
    # below alpha 0.1 a p keeps the decimal that keeps it below (0.0961: 0.096, not 0.10)
    assert correlations["p"].tolist() == ["<0.001", "0.096", "<0.001", "0.50", "0.05", ">0.99"]
    assert correlations["log10_p"].tolist() == ["*"] * 6  # the p at full precision
    reliability = published["reliability"]
    assert reliability["alpha"].tolist()[:3] == ["0.79", "0.59", "0.62"]
    assert reliability["alpha_ci_low"].tolist()[:3] == ["0.71", "0.41", "0.49"]
    assert reliability["alpha_ci_high"].tolist()[:3] == ["0.86", "0.71", "0.72"]
    assert reliability[["alpha", "alpha_ci_low", "alpha_ci_high"]].iloc[3].isna().all()
    assert reliability["item_rest_min"].tolist() == ["0.66", "0.42", "0.18", "0.20"]
    assert reliability["mean_inter_item_r"].tolist() == ["0.42", "0.29", "0.52", "0.20"]
    assert reliability["spearman_brown"].tolist() == ["0.59", "0.62", "0.68", "0.33"]
    assert reliability["n_items"].tolist() == [3, 2, 2, 2]  # the shape of the analysis
    assert reliability["method"].tolist() == theme_tables()["reliability"]["method"].tolist()
    item_rest = published["item_rest"]
    assert item_rest["item_rest_r"].tolist() == ["0.42", "0.00", "0.50", "0.20"]
    assert item_rest["alpha_if_deleted"].tolist()[::2] == ["0.72", "0.12"]
    assert item_rest["alpha_if_deleted"].iloc[1::2].isna().all()
    warnings = published["warnings"]
    assert warnings["value"].tolist() == ["0.59", "0.62"]
    assert warnings["warning"].tolist() == [
        "theme t2 has two statements: report the Spearman-Brown coefficient 0.59 "
        "(2r / (1 + r) of their Pearson r = 0.42) beside Cronbach's alpha (0.59)",
        "theme t3: alpha 0.62 is below 0.7; Brant test p = 0.01 < 0.05",
    ]
    # alpha 0.05: 0.0961 is 0.10, 0.0461 stays 0.046
    p = publish_theme_tables(theme_tables(), ON_SCALE, THEME_ITEMS, TEN, 0.05)["correlations"]["p"]
    assert p.tolist() == ["<0.001", "0.10", "<0.001", "0.50", "0.046", ">0.99"]


def test_theme_tables_without_a_rule_are_left_as_they_are():
    tables = theme_tables()
    assert publish_theme_tables(tables, ON_SCALE, THEME_ITEMS, NONE, 0.05) is tables


# --- Comparisons: tests, group summaries, Dunn pairs -------------------------------------------

GATE_WORDS = "Kruskal-Wallis H: p adjusted (holm, family f) = 0.0461234 < alpha 0.05"


def comparison_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Comparison c of groups A (60 answered the grouping question), B (41) and C (30) on
    outcomes x (everyone has a value) and y (3 of A have none); comparison d of two groups
    whose population is published nowhere (P 21, Q 25); a group of comparison e without a test."""
    nan = float("nan")
    groups = pd.DataFrame(
        {
            "comparison": ["c"] * 6 + ["d", "d", "e"],
            "outcome": ["x", "x", "x", "y", "y", "y", "x", "x", "x"],
            "group": ["A", "B", "C", "A", "B", "C", "P", "Q", "G"],
            "n": [60, 41, 30, 57, 41, 30, 21, 25, 15],
            "mean_rank": [70.1234, 50.55, 60.04, 66.0, 60.0, 65.0, 22.5, 23.46, 8.0],
            "median": [4.0, 3.5, 3.0, 4.0, 4.0, 3.0, 2.0, 2.5, 1.0],
            "group_position": [1, 2, 3, 1, 2, 3, 1, 2, 1],
        }
    )  # fmt: skip
    tests = pd.DataFrame(
        {
            "comparison": ["c", "c", "d"], "outcome": ["x", "y", "x"],
            "test": ["Kruskal-Wallis H", "Kruskal-Wallis H", "Mann-Whitney U"],
            "n": [131, 128, 46], "statistic": [6.1512, 0.75, 240.0],
            "p": [0.0461234, 0.687, "<1e-320"], "p_adjusted": [0.0922, 0.687, 0.00834],
            "effect_size": [0.0332, 0.0059, -0.0853], "effect_ci_low": [0.00123, 0.0, -0.4],
            "effect_ci_high": [1.0, 1.0, 0.2567], "highest_mean_rank": ["A", "A", "Q"],
            "group_order": ["A; B; C", "A; B; C", "P; Q"],
            "warning": [nan, "groups smaller than 50: B (n=41), C (n=30)",
                        "groups smaller than 30: P (n=21), Q (n=25)"],
            "log10_p": [-1.336, -0.163, "<-320"], "log10_p_adjusted": [-1.035, -0.163, -2.079],
        }
    )  # fmt: skip
    posthoc = pd.DataFrame(
        {
            "comparison": ["c", "c", "c"], "outcome": ["y", "x", "x"],
            "group_a": ["A", "A", "A"], "group_b": ["B", "B", "C"],
            "z": [0.5, 2.3456, 1.0049], "p": [0.6, 0.019, 0.315], "p_adjusted": [1.0, 0.057, 0.315],
            "n_a": [57, 60, 60], "n_b": [41, 41, 30],
            "mean_rank_a": [66.0, 70.1234, 70.1234], "mean_rank_b": [60.0, 50.55, 60.04],
            "gate_p_adjusted": [0.687, 0.0461234, 0.0461234],
            "gate": ["Kruskal-Wallis H: p adjusted = 0.687 < alpha 0.05", GATE_WORDS, GATE_WORDS],
            "log10_p": [-0.22, -1.72, -0.50], "log10_p_adjusted": [0.0, -1.24, -0.50],
            "gate_log10_p_adjusted": [-0.163, -1.336, -1.336],
        }
    )  # fmt: skip
    return tests, groups, posthoc


CELLS = {("c", "A"): (60, 60), ("c", "B"): (41, 41), ("c", "C"): (30, 30)}


def test_comparisons_under_a_threshold_rule():
    """Threshold 10. On y, A's 57 is 3 below the 60 who gave that answer: hidden (the 3 without
    a value would be a small count), and so is everything of its test (n, statistic, p, effect
    size, warning, highest mean rank), the mean ranks of all its groups (ranks among all of
    them), and its Dunn pairs. Groups whose population no table publishes (P, Q, G) show their
    own n; G's comparison has no test, so no mean rank of it either."""
    tests, groups, posthoc = comparison_tables()
    t, g, p = publish_comparisons(tests, groups, posthoc, CELLS, TEN, alpha=0.05)
    assert g["n"].tolist() == [60, 41, 30, "*", 41, 30, 21, 25, 15]
    assert g["mean_rank"].tolist() == ["70.1", "50.5", "60.0", "*", "*", "*", "22.5", "23.5", "*"]
    assert g["median"].tolist() == ["4.00", "3.50", "3.00", "*", "4.00", "3.00", "2.00",
                                    "2.50", "1.00"]  # fmt: skip
    assert g["group_position"].tolist() == [1, 2, 3, 1, 2, 3, 1, 2, 1]
    assert t["n"].tolist() == [131, "*", 46]
    assert t["statistic"].tolist() == ["6.15", "*", "240.00"]
    assert t["p"].tolist() == ["0.046", "*", "<0.001"]
    assert t["p_adjusted"].tolist() == ["0.09", "*", "0.008"]
    assert t["effect_size"].tolist() == ["0.03", "*", "-0.09"]
    assert t["effect_ci_low"].tolist() == ["0.00", "*", "-0.40"]
    assert t["effect_ci_high"].tolist() == ["1.00", "*", "0.26"]
    assert t["highest_mean_rank"].tolist() == ["A", "*", "Q"]
    assert t["log10_p"].tolist() == ["*", "*", "*"]
    assert t["log10_p_adjusted"].tolist() == ["*", "*", "*"]
    assert math.isnan(t["warning"].iloc[0])
    assert t["warning"].tolist()[1:] == ["*", "groups smaller than 30: P (n=21), Q (n=25)"]
    assert t["test"].tolist() == tests["test"].tolist()
    # the pairs of c, x only (y's test is hidden), at journal precision; log10 p withheld
    assert p[["group_a", "group_b"]].values.tolist() == [["A", "B"], ["A", "C"]]
    assert p["n_a"].tolist() == [60, 60] and p["n_b"].tolist() == [41, 30]
    assert p["z"].tolist() == ["2.35", "1.00"]
    assert p["mean_rank_a"].tolist() == ["70.1", "70.1"]
    assert p["mean_rank_b"].tolist() == ["50.5", "60.0"]
    assert p["p"].tolist() == ["0.02", "0.32"] and p["p_adjusted"].tolist() == ["0.06", "0.32"]
    assert p["gate_p_adjusted"].tolist() == ["0.046", "0.046"]
    assert p["gate"].tolist() == [GATE_WORDS.replace("0.0461234", "0.046")] * 2
    for column in ("log10_p", "log10_p_adjusted", "gate_log10_p_adjusted"):
        assert p[column].tolist() == ["*", "*"], column
    assert list(p.index) == [0, 1] and list(p.columns) == list(posthoc.columns)
    assert groups["n"].tolist()[3] == 57 and tests["n"].tolist()[1] == 128  # left as they were


def test_comparisons_under_a_rounding_rule(monkeypatch):
    """NHS. Every n rounded (A's 57 on y is 55: under rounding a small difference is not
    hidden); mean ranks and test statistics withheld (with rounded ns they would give the exact
    ones back), and the effect sizes ``likertflow.inversion`` says to withhold."""
    from likertflow import inversion

    asked = []

    def withhold(tests, groups, policy):
        asked.append((tests["n"].tolist(), groups["n"].tolist(), policy))
        return [False, True, False]

    monkeypatch.setattr(inversion, "effect_sizes_to_withhold", withhold)
    tests, groups, posthoc = comparison_tables()
    cells = {**CELLS, ("c", "B"): (41, 40)}
    t, g, p = publish_comparisons(tests, groups, posthoc, cells, NHS, alpha=0.05)
    assert g["n"].tolist() == [60, 40, 30, 55, 40, 30, 20, 25, 15]
    assert g["mean_rank"].tolist() == ["*"] * 9
    assert g["median"].tolist()[:3] == ["4.00", "3.50", "3.00"]
    assert t["n"].tolist() == [130, 130, 45]
    assert t["statistic"].tolist() == ["*", "*", "*"]
    assert t["p"].tolist() == ["0.046", "0.69", "<0.001"]
    # the inversion is asked about the published tests and groups
    assert asked == [([130, 130, 45], g["n"].tolist(), NHS)]
    assert t["effect_size"].tolist() == ["0.03", "*", "-0.09"]
    assert t["effect_ci_low"].tolist() == ["0.00", "*", "-0.40"]
    assert t["effect_ci_high"].tolist() == ["1.00", "*", "0.26"]
    # the group sizes a warning quotes as the groups show them
    assert t["warning"].tolist()[1:] == [
        "groups smaller than 50: B (n=40), C (n=30)",
        "groups smaller than 30: P (n=20), Q (n=25)",
    ]
    assert p["n_a"].tolist() == [55, 60, 60] and p["n_b"].tolist() == [40, 40, 30]
    for column in ("z", "mean_rank_a", "mean_rank_b"):
        assert p[column].tolist() == ["*"] * 3, column
    assert p["p"].tolist() == ["0.60", "0.02", "0.32"]
    assert p["gate"].tolist()[0] == "Kruskal-Wallis H: p adjusted = 0.69 < alpha 0.05"


# --- The forms of a published cell -------------------------------------------------------------


def test_shown_writes_floats_as_the_csv_does_and_hides_where_asked():
    from likertflow.publishing import shown

    values = pd.Series([0.1 + 0.2, 3, "A", None, pd.NA, float("nan"), 2.5], index=range(10, 17))
    out = shown(values, pd.Series([0, 0, 0, 0, 0, 0, 1], index=range(5, 12)))
    assert out.tolist()[:5] == ["0.30000000000000004", 3, "A", None, pd.NA]
    assert math.isnan(out.iloc[5]) and out.iloc[6] == SUPPRESSED
    assert list(out.index) == list(range(7))


def test_decimals_hide_and_leave_text_and_missing_values_as_they_are():
    from likertflow.publishing import decimals

    values = pd.Series([-0.004, 0.125, 2.0, "<0.001", None, pd.NA, float("nan"), 7.777],
                       index=[3] * 8)  # fmt: skip
    out = decimals(values, 2, [False] * 7 + [True])
    # -0.004 is 0.00 (never -0.00); 0.125 is 0.12 (a float a little below the half); the
    # missing values are missing (a column of text: NaN)
    assert out.tolist()[:4] == ["0.00", "0.12", "2.00", "<0.001"]
    assert out.iloc[4:7].isna().all() and out.iloc[7] == SUPPRESSED
    assert decimals([1.25, 3], 1).tolist() == ["1.2", "3.0"]
    assert decimals([1.2345], 3).tolist() == ["1.234"]


def test_journal_p_values_and_missing_ones():
    from likertflow.publishing import journal

    values = pd.Series([0.0461, "<1e-320", None, pd.NA, float("nan"), 0.5, 0.3], index=[9] * 7)
    out = journal(values, [False] * 6 + [True], 0.05)
    assert out.iloc[0] == "0.046" and out.iloc[1] == "<0.001" and out.iloc[5] == "0.50"
    assert all(math.isnan(v) for v in out.iloc[2:5]) and out.iloc[6] == SUPPRESSED
    assert journal([0.0461], [False], 0.01).tolist() == ["0.05"]
    # an empty cell of a CSV read as text has no p; a * stays a *
    empty = journal(["", SUPPRESSED], [False, False], 0.05)
    assert math.isnan(empty.iloc[0]) and empty.iloc[1] == SUPPRESSED


def test_withheld_keeps_empty_cells_empty():
    from likertflow.publishing import withheld

    out = withheld([-1.3, None, float("nan"), "<-320", 0.0])
    assert out.iloc[0] == SUPPRESSED and out.iloc[1:3].isna().all()
    assert out.tolist()[3:] == [SUPPRESSED, SUPPRESSED]


def test_percent_of_published_counts():
    from likertflow.publishing import percent_text

    assert percent_text(25, 120) == "20.83" and percent_text("25", "120") == "20.83"
    assert percent_text(1, 3) == "33.33" and percent_text(0, 40) == "0.00"
    assert percent_text(11, 13) == "84.62"  # 84.615384...: rounded once, not 84.615 then 84.61
    assert percent_text(SUPPRESSED, 120) == SUPPRESSED
    assert percent_text(25, SUPPRESSED) == SUPPRESSED
    assert math.isnan(percent_text(0, 0))


def test_nested_n_hides_a_small_difference_only_under_a_threshold():
    from likertflow.publishing import nested_n

    assert nested_n(57, [60], TEN) == SUPPRESSED  # 3 without a value
    assert nested_n(50, [60], TEN) == 50 and nested_n(60, [60], TEN) == 60
    assert nested_n(51, [60, 52], TEN) == SUPPRESSED  # 1 below the second
    assert nested_n(5, [60], TEN) == SUPPRESSED  # small itself
    assert nested_n("57", ["60"], NHS) == 55  # rounding: not hidden, rounded
    assert nested_n(3, [60], NHS) == SUPPRESSED


def test_term_levels_of_a_contrast():
    from likertflow.publishing import term_levels

    assert term_levels("age: 25-34 vs 18-24") == {("age", "25-34"), ("age", "18-24")}
    assert term_levels("group: a: b vs c") == {("group", "a: b"), ("group", "c")}
    assert term_levels("age: per unit") == set() and term_levels("threshold 1|2") == set()


def test_comparisons_without_pairs_keep_the_pairs_columns():
    tests, groups, posthoc = comparison_tables()
    empty = posthoc.iloc[:0]
    _, _, p = publish_comparisons(tests, groups, empty, CELLS, TEN, 0.05)
    assert p.empty and list(p.columns) == list(posthoc.columns)


def test_comparisons_without_a_rule_are_left_as_they_are():
    tests, groups, posthoc = comparison_tables()
    t, g, p = publish_comparisons(tests, groups, posthoc, CELLS, NONE, 0.05)
    assert t is tests and g is groups and p is posthoc


def test_a_group_smaller_than_the_rules_smallest_group_has_no_statistics():
    """A rule whose smallest group for a statistic (10) is above its smallest count (5): C's 8
    is shown, but not its median, nor the test it is part of."""
    policy = Policy("custom", min_count=5, min_statistic_n=10)
    tests, groups, posthoc = comparison_tables()
    groups = groups.assign(n=[60, 41, 8, 57, 41, 30, 21, 25, 15])
    cells = {**CELLS, ("c", "C"): (8, 8)}
    t, g, p = publish_comparisons(tests, groups, posthoc, cells, policy, 0.05)
    assert g["n"].tolist()[:3] == [60, 41, 8]
    assert g["median"].tolist()[:3] == ["4.00", "3.50", "*"]
    assert g["mean_rank"].tolist()[:3] == ["*", "*", "*"]
    assert t["p"].tolist()[0] == "*" and t["n"].tolist()[0] == 131
    # c, y: A's 57 of 60 is 3 below, which this rule shows (3 is below its smallest count 5)
    assert g["n"].tolist()[3] == SUPPRESSED
    assert p.empty


def test_a_hide_list_of_another_length_is_an_error():
    """The helpers pair each value with its own hide flag: a list of another length is a bug in
    the caller, never a silent truncation."""
    from likertflow.publishing import decimals, journal, publish_weighted, shown

    with pytest.raises(ValueError, match="shorter"):
        shown([1.5, 2.5], [False])
    with pytest.raises(ValueError, match="longer"):
        decimals([1.5], 2, [False, True])
    with pytest.raises(ValueError, match="shorter"):
        journal([0.5, 0.2], [False], 0.05)
    weighted = pd.DataFrame({"total": [10.0, 20.0]})
    with pytest.raises(ValueError, match="shorter"):
        publish_weighted(weighted, pd.Series([40]), TEN, ["total"])


# --- Ordinal models ----------------------------------------------------------------------------


def test_ordinal_warnings_and_model_p_values():
    """A hidden term (a side of 6 respondents, threshold 10) shows no odds ratio or p, but the
    model's proportional-odds test (of the whole model) is shown; warnings quote their numbers
    as the columns do; the default alpha is the schema's 0.05 (0.0461 stays 0.046)."""
    from likertflow.disclosure import OUTCOME_GROUP_N, SMALLEST_LEVEL_N
    from likertflow.publishing import publish_ordinal

    models = pd.DataFrame(
        {
            "term": ["group: b vs a", "group: c vs a"], "n": [100, 100],
            "odds_ratio": [1.234, 2.5], "ci_low": [0.8, 1.1], "ci_high": [1.9, 5.7],
            "estimate": [0.21, 0.92], "std_error": [0.2, 0.4], "p": [0.0461, 0.02],
            "po_term_p": [0.5, 0.3], "po_test_p": [0.0461, 0.0461], "log10_p": [-1.3, -1.7],
            "warning": ["Brant test p = 0.0123 < 0.05; odds ratio 1.234", float("nan")],
            SMALLEST_LEVEL_N: [30, 6], OUTCOME_GROUP_N: [103, 103],
        }
    )  # fmt: skip
    published = publish_ordinal(models, TEN)
    assert published["p"].tolist() == ["0.046", SUPPRESSED]
    assert published["po_term_p"].tolist() == ["0.50", SUPPRESSED]
    assert published["po_test_p"].tolist() == ["0.046", "0.046"]  # the model's, not the term's
    assert published["odds_ratio"].tolist() == ["1.23", SUPPRESSED]
    assert published["log10_p"].tolist() == [SUPPRESSED, SUPPRESSED]
    assert published["warning"].iloc[0] == "Brant test p = 0.01 < 0.05; odds ratio 1.23"
    assert pd.isna(published["warning"].iloc[1])
    assert published["n"].tolist() == [SUPPRESSED] * 2  # 3 below the 103 with a value
    assert SMALLEST_LEVEL_N not in published and OUTCOME_GROUP_N not in published
    assert publish_ordinal(models, TEN, 0.01)["p"].tolist() == ["0.05", SUPPRESSED]


# --- Descriptive tables and the participant flow ----------------------------------------------


def test_flow_of_questionnaires_in_config_order():
    """Each questionnaire's flow is protected on its own and stays in its rows, whatever the
    order of the questionnaires (here not alphabetical)."""
    from likertflow.flow import stage_relations
    from likertflow.publishing import publish_flow

    stages = ["exported_rows", "duplicate_responses", "returned", "excluded_a", "analysed"]
    flow = pd.DataFrame(
        {
            "survey": ["staff"] * 5 + ["patients"] * 5,
            "stage": stages * 2,
            "n": [60, 0, 60, 3, 57, 200, 0, 200, 20, 180],
        }
    )
    # staff: 3 excluded, hidden, and so is the 57 analysed (60 - 57 = 3); patients all shown
    published = publish_flow(flow, stage_relations, TEN, {})
    assert published["n"].tolist() == [60, 0, 60, "*", "*", 200, 0, 200, 20, 180]
    assert published["survey"].tolist() == flow["survey"].tolist()


def plan_of(denominators: dict[str, tuple[int, int | str]]) -> pd.DataFrame:
    """A disclosure plan as read_plans gives it (text): question -> (exact answers, the
    denominator shown), each question's answers in one row."""
    return pd.DataFrame(
        [(q, "a", "1", str(count), str(count), str(shown), "100.00")
         for q, (count, shown) in denominators.items()],
        columns=["question_id", "response", "code", "count", "n", "denominator", "percent"],
    )  # fmt: skip


def test_flow_keeps_the_analysed_a_statement_table_shows():
    """Every analysed respondent answered 'q' (nobody may skip it), so its table shows the
    analysed count (57): hiding it in the flow would protect nothing, and 60 - 57 gives the 3
    excluded back. The flow hides the returned and the duplicates instead, which leaves the
    exclusion at 60 - d - 57 for an unknown d: no exact count comes back, here or across."""
    from likertflow.disclosure import recover
    from likertflow.flow import stage_relations
    from likertflow.publishing import publish_flow

    stages = ["exported_rows", "duplicate_responses", "returned", "excluded_a", "analysed"]
    flow = pd.DataFrame({"survey": "staff", "stage": stages, "n": [60, 0, 60, 3, 57]})
    shows = {"staff": plan_of({"q": (57, 57), "optional": (40, 40)})}
    published = publish_flow(flow, stage_relations, TEN, shows)
    assert published["n"].tolist() == [60, "*", "*", "*", 57]
    attacker = list(zip(stages, published["n"], strict=True)) + [("analysed", 57)]
    assert recover(attacker, stage_relations(stages), TEN, {"excluded_a"}) == {}
    # no question's answers add up to the analysed (someone skipped each), or the one that
    # does is hidden itself: the analysed is the natural partner, as before
    for plan in ({"q": (50, 50)}, {"q": (57, "*")}):
        published = publish_flow(flow, stage_relations, TEN, {"staff": plan_of(plan)})
        assert published["n"].tolist() == [60, 0, 60, "*", "*"]


def test_frequencies_keep_the_tables_order_of_questions():
    """Each question is protected on its own and keeps its rows, in the table's order (not
    alphabetical); a question with one answer is its own denominator."""
    from likertflow.publishing import publish_frequencies

    table = pd.DataFrame(
        {
            "question_id": ["role", "role", "age", "age", "consent"],
            "question": ["Role?", "Role?", "Age?", "Age?", "Consent?"],
            "response": ["Clinical", "Other", "Young", "Old", "Yes"],
            "code": [1, 2, 1, 2, 1],
            "n": [93, 3, 50, 46, 96],
            "denominator": [96, 96, 96, 96, 96],
            "percent": [96.88, 3.12, 52.08, 47.92, 100.0],
        },
        index=[5, 6, 7, 8, 9],
    )
    published = publish_frequencies(table, TEN)
    assert published["question_id"].tolist() == ["role", "role", "age", "age", "consent"]
    # role: 3 hidden, and 93 with it (96 - 93 = 3); age and consent shown
    assert published["n"].tolist() == ["*", "*", 50, 46, 96]
    assert published["percent"].tolist() == ["*", "*", "52.08", "47.92", "100.00"]
    assert published["denominator"].tolist() == [96] * 5
    assert list(published.index) == [5, 6, 7, 8, 9]


def test_a_statements_hidden_denominator_stays_hidden():
    # everyone asked answered, 3 and 4 of 7: the cells and their total are all hidden
    hidden = frequencies([3, 4], ["*", "*"], "*", codes=["4", "5"])
    assert _published_denominator(hidden, 7, TEN) == SUPPRESSED
    table = summary([("s", "pros", "p", 7, 7)])
    published = publish_agreement(table, {("s", "p"): (hidden, AGREE)}, TEN, interval)
    assert published[["n", "n_agree", "percent_agree"]].values.tolist() == [["*", "*", "*"]]


@pytest.mark.parametrize(
    ("text", "alpha", "expected"),
    [
        # p as journals print it: three decimals below 0.01, bounds without "=", and the p
        # once printed not rounded again as another number (it was: "0.01", "<0.00", "0.05")
        ("Brant test p = 0.00834 < 0.05", 0.05, "Brant test p = 0.008 < 0.05"),
        ("Brant test p = 0.0461 < 0.05", 0.05, "Brant test p = 0.046 < 0.05"),
        ("Brant test p = 1.2E-05 < 0.05", 0.05, "Brant test p <0.001 < 0.05"),
        ("Brant test p = 1.2e-05", 0.05, "Brant test p <0.001"),
        ("Brant test p = 0.995", 0.05, "Brant test p >0.99"),
        # below alpha a p keeps the decimal that keeps it below (alpha 0.1: 0.096, not 0.10)
        ("p = 0.0961 < 0.1", 0.1, "p = 0.096 < 0.1"),
        ("p = 0.0961 < 0.1", 0.05, "p = 0.10 < 0.1"),
        # other numbers at two decimals; a number with two or fewer as it is
        ("alpha 0.7946 (r = -0.4821), 3 of 12 statements, 0.5", 0.05,
         "alpha 0.79 (r = -0.48), 3 of 12 statements, 0.5"),
    ],
)  # fmt: skip
def test_words_quote_their_numbers_as_the_columns_publish_them(text, alpha, expected):
    from likertflow.publishing import published_words

    assert published_words(text, alpha) == expected


def test_words_that_are_no_text_stay_as_they_are():
    from likertflow.publishing import published_words

    assert math.isnan(published_words(float("nan"), 0.05))
    assert published_words(None, 0.05) is None


def test_the_flow_as_published_is_read_back_as_counts_or_hidden(tmp_path):
    """The published participant flow, read back from its CSV: each (survey, stage) as the
    count shown (an int) or ``*``; the analysed of each questionnaire on its own."""
    from likertflow.files import write_csv
    from likertflow.publishing import analysed_as_published, flow_as_published

    flow = pd.DataFrame({"survey": ["staff"] * 3 + ["patients"] * 3,
                         "stage": ["exported_rows", "excluded_a", "analysed"] * 2,
                         "n": [60, "*", "*", 200, 20, 180]})  # fmt: skip
    write_csv(flow, tmp_path / "participant_flow.csv")
    shown = flow_as_published(tmp_path / "participant_flow.csv")
    assert shown == {("staff", "exported_rows"): 60, ("staff", "excluded_a"): "*",
                     ("staff", "analysed"): "*", ("patients", "exported_rows"): 200,
                     ("patients", "excluded_a"): 20, ("patients", "analysed"): 180}  # fmt: skip
    assert all(type(n) is int for n in shown.values() if n != SUPPRESSED)
    assert analysed_as_published(tmp_path / "participant_flow.csv") == {"staff": "*",
                                                                        "patients": 180}
