"""Reverse-keyed statements: scored mirrored, shown as given, and flagged when not marked.

Expected values from R's psych package (an independent implementation that reverses items with
its ``keys`` argument), made by ``Rscript tests/data/reverse_keyed_alpha.R`` on the data below
(psych 2.x; output: alpha, item-rest r (r.drop) of a, b, c, alpha if deleted, then the same
without reversing).
"""

import logging

import numpy as np
import pandas as pd
import pytest
from likertflow.codebook import CODE_DTYPE, parse_questionnaire
from likertflow.grouping import outcome_values
from likertflow.reliability import item_rest_table, reliability_warnings, theme_reliability
from likertflow.themes import theme_scores

A = [1, 2, 3, 4, 5, 2, 3, 4, 5, 1, 4, 2]
B = [2, 2, 3, 4, 4, 1, 3, 5, 5, 1, 4, 3]
C = [5, 4, 3, 2, 1, 4, 3, 1, 2, 5, 1, 4]  # worded the other way: agreeing means less
R_ALPHA_KEYED = 0.963532513181019
R_ITEM_REST_KEYED = [0.944423058451927, 0.89241660915553, 0.933518170996215]
R_ALPHA_DELETED_KEYED = [0.929961089494163, 0.967919340054995, 0.93923789907312]
R_ALPHA_UNKEYED = -3.125
R_ITEM_REST_UNKEYED = [-0.261116483933547, -0.117360459774566, -0.933518170996215]


def questionnaire(reverse: bool):
    options = [{"label": f"p{code}", "code": code} for code in range(1, 6)]
    options.append({"label": "Don't know", "code": 9, "off_scale": True})
    statements = [
        {"id": "a", "statement_set": "s", "theme": "t", "wording": "A"},
        {"id": "b", "statement_set": "s", "theme": "t", "wording": "B"},
        {"id": "c", "statement_set": "s", "theme": "t", "wording": "C", "reverse": reverse},
    ]
    return parse_questionnaire(
        {
            "survey": "toy",
            "label": "Toy",
            "answer_sets": {"agreement": {"ordinal": True, "options": options}},
            "statement_sets": {"s": {"label": "S"}},
            "themes": {"t": {"label": "T", "statement_set": "s"}},
            "statements": statements,
            "export": {
                "response_id": "ID",
                "started": "S",
                "completed": "C",
                "timestamp_format": "%Y",
            },
            "questions": ["statements"],
        }
    )


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {k: pd.array(v, dtype=CODE_DTYPE) for k, v in zip("abc", [A, B, C], strict=True)}
    )


def test_marked_reverse_keyed_item_gives_the_independent_alpha():
    q = questionnaire(reverse=True)
    reliability = theme_reliability(frame(), q)
    assert reliability.loc[0, "alpha"] == pytest.approx(R_ALPHA_KEYED, abs=1e-12)
    item_rest = item_rest_table(frame(), q)
    assert item_rest["item_rest_r"].tolist() == pytest.approx(R_ITEM_REST_KEYED, abs=1e-12)
    assert item_rest["alpha_if_deleted"].tolist() == pytest.approx(R_ALPHA_DELETED_KEYED)
    assert reliability_warnings(reliability, item_rest, q, min_alpha=0.5).empty


def test_unmarked_reverse_keyed_item_is_flagged_in_log_and_table(caplog):
    q = questionnaire(reverse=False)
    reliability = theme_reliability(frame(), q)
    item_rest = item_rest_table(frame(), q)
    assert reliability.loc[0, "alpha"] == pytest.approx(R_ALPHA_UNKEYED)
    assert item_rest["item_rest_r"].tolist() == pytest.approx(R_ITEM_REST_UNKEYED, abs=1e-12)
    with caplog.at_level(logging.WARNING):
        warnings = reliability_warnings(reliability, item_rest, q, min_alpha=0.5)
    assert list(warnings["item"]) == ["", "a", "b", "c"]
    assert list(warnings["statistic"]) == ["alpha", "item_rest_r", "item_rest_r", "item_rest_r"]
    assert "reverse-keyed" in warnings.loc[3, "warning"] and "'c'" in warnings.loc[3, "warning"]
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(logged) == 4 and any("'c'" in m and "reverse-keyed" in m for m in logged)


def test_theme_score_and_comparison_use_mirrored_codes_off_scale_untouched():
    data = frame()
    data.loc[0, "c"] = 9  # "Don't know": off-scale, stays out of the score
    data.loc[1, "c"] = pd.NA
    scores = theme_scores(data, questionnaire(reverse=True))["t"]
    mirrored = 6 - np.array(C, dtype=float)
    expected = (np.array(A) + np.array(B) + mirrored) / 3
    expected[[0, 1]] = np.nan  # min_answered "all": an off-scale or blank answer leaves no score
    np.testing.assert_allclose(scores.to_numpy(), expected)
    values = outcome_values(data, questionnaire(reverse=True), "c")
    np.testing.assert_array_equal(values[2:], mirrored[2:])
    assert np.isnan(values[:2]).all()
    # Answers as given: the stored codes are never rewritten.
    assert data["c"].tolist()[2:] == C[2:]


def test_agreement_summary_takes_answers_as_given_and_marks_the_statement():
    from likertflow.agreement import agreement_summary

    table = agreement_summary(frame(), questionnaire(reverse=True), resamples=200, seed=1)
    rows = table.set_index("statement")
    # c as worded: 4 or 5 (the top two of five points) in 5 of 12 answers, not reversed
    assert rows.loc["c", "percent_agree"] == pytest.approx(100 * 5 / 12)
    assert "reverse-keyed" in rows.loc["c", "method"]
    assert "reverse-keyed" not in rows.loc["a", "method"]


def test_reversal_mirrors_scale_points_and_leaves_off_scale_answers():
    from likertflow.codebook import AnswerSet, Option

    options = [Option("a", 0), Option("b", 10), Option("c", 50), Option("Don't know", 99, True)]
    answers = AnswerSet("uneven", True, tuple(options))
    codes = pd.Series(pd.array([0, 10, 50, 99, None], dtype=CODE_DTYPE))
    assert answers.reversed(codes).tolist() == [50, 10, 0, 99, pd.NA]
