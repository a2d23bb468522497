"""The registries' words for one run's captions (likertflow.captions), and the words a registry
entry derives from its fields (numbers of groups, what ``auto`` picks)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from likertflow import rank_tests
from likertflow.captions import caption_words, run_tests
from likertflow.rank_tests import RankTest, auto_choices, auto_description
from support import filled


def fake(name: str, low: int, high: int | None) -> RankTest:
    return RankTest(name, low, high, run=print, title=name.upper(), description="d", method="m",
                    effect="e", interval="i {level}", reference="r")  # fmt: skip


@pytest.fixture
def registry(monkeypatch):
    """A registry of three tests: 2 groups, 3 to 5 groups, 2 or more groups (in that order)."""
    tests = {t.name: t for t in [fake("two", 2, 2), fake("few", 3, 5), fake("any", 2, None)]}
    monkeypatch.setattr(rank_tests, "TESTS", tests)
    return tests


def test_numbers_of_groups_in_words(registry):
    assert [t.groups for t in registry.values()] == [
        "2 groups", "3 to 5 groups", "2 or more groups"
    ]  # fmt: skip
    # auto: the first registered test that takes the number of groups
    assert auto_choices() == {"two": "2 groups", "few": "3 to 5 groups", "any": "6 or more groups"}
    assert auto_description() == (
        "chosen by the number of groups: TWO (``two``) for 2 groups, FEW (``few``) for 3 to 5 "
        "groups, ANY (``any``) for 6 or more groups"
    )


def test_a_run_lists_the_tests_its_comparisons_name_or_auto_may_pick(registry):
    assert run_tests({"c": {"test": "any"}}) == ["any"]
    assert run_tests({"c": {"test": "auto"}}) == ["two", "few", "any"]
    assert run_tests({"c": {"test": "few"}, "d": {"test": "two"}}) == ["two", "few"]
    assert run_tests({}) == []


def test_the_words_of_a_run():
    config = filled.config(
        {
            "exclusions": [
                {"id": "minors", "rule": "less_than", "question": "age", "value": 18},
                {"id": "blank", "rule": "item_nonresponse", "questions": ["q1", "q2"],
                 "description": "Left a question blank"},
            ],
            "disclosure": {"rule": "threshold", "min_count": 10},
            "analysis": {"confidence_level": 0.9},
            "comparisons": {
                "c": {"by": "survey", "surveys": ["a", "b"], "outcomes": ["t"], "family": "f",
                      "test": "kruskal_wallis"},
            },
            "likert_figures": {"f1": {"survey": "a", "statement_set": "s"}},
        }
    )  # fmt: skip
    statement = SimpleNamespace(statement_set="s", answers=SimpleNamespace(ordinal=True))
    questionnaire = SimpleNamespace(statements=lambda statement_set=None: [statement],
                                    design=None)  # fmt: skip
    words = caption_words(config, {"a": questionnaire, "b": questionnaire})  # Figure 5: 2 bars
    [test] = words["tests"]
    assert test["title"] == "Kruskal-Wallis H" and "one-sided 90% interval" in test["interval"]
    assert words["auto"] == ""  # no comparison leaves its test to auto
    assert words["exclusions"] == [
        {"id": "minors", "rule": "less_than", "description": "",
         "explanation": "``age`` is below 18"},
        {"id": "blank", "rule": "item_nonresponse", "description": "Left a question blank",
         "explanation": "a question that was asked was left unanswered (among ``q1``, ``q2``); "
                        "optional questions never count"},
    ]  # fmt: skip
    disclosure = words["disclosure"]
    assert disclosure["applies"] and disclosure["description"].startswith("counts below 10 ")
    assert [(f["name"], f["count"]) for f in words["figures"]] == [
        ("likert", 1), ("agreement", 1), ("participant_flow", 1)
    ]  # fmt: skip
    assert disclosure["rule"] == "threshold"
    from likertflow.figure_kinds import FIGURE_KINDS

    assert [(f["title"], f["description"]) for f in words["figures"]] == [
        (kind.title, kind.description) for kind in FIGURE_KINDS.values()
        if kind.name != "weighted_likert"
    ]  # fmt: skip
    # without a survey design no weighted figure is drawn, and the front page does not list
    # their kind; with one, it does, counting the figures of questionnaires with a design
    weighted = SimpleNamespace(statements=questionnaire.statements, design=object())
    words = caption_words(config, {"a": weighted, "b": questionnaire})
    assert [(f["name"], f["count"]) for f in words["figures"]] == [
        ("likert", 1), ("weighted_likert", 1), ("agreement", 1), ("participant_flow", 1)
    ]  # fmt: skip
    words = caption_words(config, {"a": questionnaire, "b": weighted})  # f1 is of a
    assert "weighted_likert" not in [f["name"] for f in words["figures"]]


def test_a_run_whose_comparison_leaves_its_test_to_auto_says_how_auto_chooses():
    config = filled.config(
        {"comparisons": {"c": {"by": "survey", "surveys": ["a", "b"], "outcomes": ["t"],
                               "family": "f", "test": "auto"}},
         "figures": {"draw": []}}
    )  # fmt: skip
    words = caption_words(config, {})
    assert words["auto"] == auto_description() != ""
    assert [t["name"] for t in words["tests"]] == run_tests(config["comparisons"])
