"""The details the mutation run (benchmarks/mutation.sh) found untested: labels and methods of
every row, defaults, the registry's entries, errors that name what is wrong, stacked tables."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from likertflow.agreement import agreement_summary, wilson_interval
from likertflow.comparisons import run_comparison
from likertflow.dunn import dunn_table
from likertflow.grouping import comparison_data
from likertflow.multiplicity import adjust_families, gated_posthoc
from likertflow.rank_stats import count_table, epsilon_squared, epsilon_squared_lower_bound
from likertflow.rank_tests import TESTS, RankTest, kruskal_wallis, mann_whitney, select_test
from test_agreement import questionnaire as agreement_questionnaire
from test_agreement import toy_frame
from test_comparisons import FRAMES, QUESTIONNAIRES, questionnaire

# --- agreement -----------------------------------------------------------------------------


def test_agreement_defaults_are_stated_and_seeded():
    frame, q = toy_frame(), agreement_questionnaire()
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
    q = agreement_questionnaire()
    sets = {"empty": "Nothing yet", **q.statement_sets}
    object.__setattr__(q, "statement_sets", sets)  # the frozen toy gets an empty first set
    table = agreement_summary(toy_frame(), q, resamples=200)
    assert list(dict.fromkeys(table.statement_set)) == ["pros", "cons"]


def test_wilson_interval_of_one_respondent():
    low, high = wilson_interval(1, 1, 0.95)
    assert 0 < low < high == pytest.approx(100)
    assert np.isnan(wilson_interval(0, 0, 0.95)).all()


# --- the registry of tests -----------------------------------------------------------------


def test_registry_entries_and_selection():
    assert TESTS["mann_whitney"] == RankTest("mann_whitney", 2, 2, mann_whitney)
    assert TESTS["kruskal_wallis"] == RankTest("kruskal_wallis", 2, None, kruskal_wallis)
    assert select_test(2).name == "mann_whitney"
    assert select_test(7).name == "kruskal_wallis"
    assert select_test(2, "kruskal_wallis").name == "kruskal_wallis"
    with pytest.raises(ValueError, match="'mann_whitney' cannot compare 3 groups"):
        select_test(3, "mann_whitney")
    with pytest.raises(ValueError, match="cannot compare 1 groups"):
        select_test(1)


def test_schema_names_exactly_the_registered_tests():
    schema = yaml.safe_load(
        (REPO / "workflow" / "schemas" / "config.schema.yaml").read_text(encoding="utf-8")
    )
    spec = schema["properties"]["comparisons"]["additionalProperties"]["properties"]["test"]
    assert set(spec["enum"]) == {"auto", *TESTS}


# --- one comparison ------------------------------------------------------------------------


def test_comparison_rows_are_labelled_and_its_test_is_honoured(caplog):
    spec = {"survey": "people", "by": "seen", "outcomes": ["t", "verdict"], "family": "fam"}
    with caplog.at_level(logging.INFO, logger="likertflow.comparisons"):
        tests, groups, posthoc = run_comparison("cmp", spec, FRAMES, QUESTIONNAIRES, {})
    assert tests[["comparison", "outcome", "family"]].values.tolist() == [
        ["cmp", "t", "fam"], ["cmp", "verdict", "fam"]
    ]  # fmt: skip
    assert tests["test"].tolist() == ["Mann-Whitney U"] * 2
    assert list(groups.index) == list(range(len(groups))) and len(groups) == 4
    assert set(zip(groups.comparison, groups.outcome, strict=True)) == {
        ("cmp", "t"), ("cmp", "verdict")
    }  # fmt: skip
    named = {**spec, "test": "kruskal_wallis"}
    tests, _, posthoc = run_comparison("cmp", named, FRAMES, QUESTIONNAIRES, {"seed": 1})
    assert tests["test"].tolist() == ["Kruskal-Wallis H"] * 2
    assert list(posthoc.index) == [0, 1] and (posthoc.comparison == "cmp").all()
    assert posthoc.outcome.tolist() == ["t", "verdict"]

    caplog.clear()
    small = {"survey": "people", "by": "band", "outcomes": ["t"], "family": "f"}
    with caplog.at_level(logging.INFO, logger="likertflow.comparisons"):
        run_comparison("by_band", small, FRAMES, QUESTIONNAIRES, {"min_group_size": 5})
    assert caplog.messages == [
        "by_band, t: groups smaller than 5: Young (n=4), Old (n=2)",
        "by_band, t: groups without values left out: Ancient",
    ]


def test_grouping_errors_name_what_is_wrong():
    spec = {"survey": "people", "by": "colour", "outcomes": ["t"], "family": "f"}
    with pytest.raises(ValueError, match="comparison by 'colour': not a question of people"):
        comparison_data(FRAMES, QUESTIONNAIRES, spec)
    twins = {"a": questionnaire("a", "Same"), "b": questionnaire("b", "Same")}
    spec = {"by": "survey", "surveys": ["a", "b"], "outcomes": ["t"], "family": "f"}
    frames = {"a": FRAMES["people"], "b": FRAMES["pros"]}
    with pytest.raises(ValueError, match=r"compared questionnaires share a label: \['Same'"):
        comparison_data(frames, twins, spec)
    frame = FRAMES["people"].drop(columns=["t"])
    spec = {"survey": "people", "by": "seen", "outcomes": ["t"], "family": "f"}
    with pytest.raises(ValueError, match="people: no theme score column 't'"):
        comparison_data({"people": frame}, QUESTIONNAIRES, spec)


# --- p adjustment and the post-hoc gate ----------------------------------------------------


def test_gate_and_family_are_stated_in_words():
    tests = pd.DataFrame(
        {
            "comparison": ["c", "d"], "outcome": ["o", "o"], "test": ["Kruskal-Wallis H"] * 2,
            "p_adjusted": [0.0123456789, 0.5], "family": ["fam", "fam"],
            "adjust_method": ["holm", "holm"],
        }
    )  # fmt: skip
    posthoc = pd.DataFrame(
        {"comparison": ["c"] * 3 + ["d"], "outcome": ["o"] * 4, "group_a": list("xxyx")}
    )
    kept = gated_posthoc(posthoc, tests, 0.05)
    assert kept["gate"].unique().tolist() == [
        "Kruskal-Wallis H: p adjusted (holm, family fam) = 0.0123457 < alpha 0.05"
    ]
    assert kept["adjust_family"].unique().tolist() == ["the 3 pairs of c, o"]
    assert kept[["gate_test", "gate_family"]].drop_duplicates().values.tolist() == [
        ["Kruskal-Wallis H", "fam"]
    ]


def test_family_adjustment_states_its_method_and_leaves_unfamilied_tests_unadjusted():
    tests = pd.DataFrame({"comparison": ["a", "b"], "outcome": ["o", "o"], "p": [0.01, 0.02]})
    adjusted = adjust_families(tests, {"a": "f"}, "fdr_bh")
    assert adjusted["adjust_method"].tolist() == ["fdr_bh", "fdr_bh"]
    assert adjusted["p_adjusted"].iloc[0] == pytest.approx(0.01)
    assert np.isnan(adjusted["p_adjusted"].iloc[1])


def test_dunn_rows_state_their_method():
    table = dunn_table(["a", "b"], np.array([3.0, 7.0]), np.array([4, 6]), 0.0, "holm")
    assert table["method"].tolist() == [
        "Dunn z with tie correction (> 0: group_a ranks higher), two-sided normal p, adjusted "
        "(holm) over the outcome's pairs"
    ]


# --- rank statistics on stacks of tables ---------------------------------------------------


def test_epsilon_squared_of_a_stack_is_each_tables_own():
    rng = np.random.default_rng(2)
    values = rng.integers(1, 6, 60).astype(float)
    groups = np.repeat([0, 1, 2], [15, 20, 25])
    first = count_table(values, groups, 3)
    second = count_table(values[::-1], groups, 3)
    stacked = epsilon_squared(np.stack([first, second]))
    assert stacked.tolist() == pytest.approx([epsilon_squared(first), epsilon_squared(second)])


def test_epsilon_squared_lower_bound_never_exceeds_one():
    assert epsilon_squared_lower_bound(h=1e4, n=10, k=3, confidence=0.95) == 1.0


def test_test_defaults_are_stated():
    values = np.array([1.0, 2, 2, 3, 4, 2, 3, 4, 5, 5])
    groups = np.repeat([0, 1], 5)
    from likertflow.comparisons import compare_outcome

    implicit, _, _ = compare_outcome(values, groups, ["a", "b"], {})
    explicit, _, _ = compare_outcome(
        values, groups, ["a", "b"],
        {"confidence_level": 0.95, "bootstrap_resamples": 2000, "seed": 0},
    )  # fmt: skip
    assert implicit == explicit
    assert implicit["effect_ci_method"] == (
        "95% two-sided percentile bootstrap, 2000 resamples of respondents within groups, seed 0"
    )


def test_comparison_data_columns_and_index():
    spec = {"by": "survey", "surveys": ["people", "pros"], "outcomes": ["t", "x"], "family": "f"}
    data, labels = comparison_data(FRAMES, QUESTIONNAIRES, spec, columns=["verdict"])
    assert list(data.columns) == ["group", "verdict"] and labels == ["People", "Professionals"]
    assert list(data.index) == list(range(13 + 6))
    spec = {"survey": "people", "by": "band", "outcomes": ["t"], "family": "f"}
    data, _ = comparison_data(FRAMES, QUESTIONNAIRES, spec)
    assert list(data.columns) == ["group", "t"] and list(data.index) == list(range(len(data)))
