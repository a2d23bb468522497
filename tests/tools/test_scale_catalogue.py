"""The catalogue of standard scales is well formed: the outputs print its poles, the drafter
lists its points, and a new entry must not shadow or duplicate another."""

from __future__ import annotations

import yaml
from likertflow_tools.scales import DATA, NEUTRAL_KEY, catalogue, words

RAW = yaml.safe_load((DATA / "scales.yaml").read_text(encoding="utf-8"))


def test_entries_are_complete_and_unique():
    names = [entry["name"] for entry in RAW["scales"]]
    assert len(names) == len(set(names))
    for entry in RAW["scales"]:
        assert set(entry) <= {"name", "kind", "source", "points", "poles", "off_scale", "ordinal"}
        assert entry["source"] in RAW["sources"], entry["name"]
        assert all(isinstance(point, str) and point for point in entry["points"]), entry["name"]
        if entry.get("ordinal", True):
            assert set(entry["poles"]) == {"low", "high"}, entry["name"]
            assert len(entry["points"]) >= 2


def test_no_entry_repeats_a_point_or_another_entry():
    seen = {}
    for scale in catalogue():
        assert len(set(scale.keys)) == len(scale.keys), scale.name
        assert scale.keys not in seen, (scale.name, seen.get(scale.keys))
        seen[scale.keys] = scale.name


def test_variants_without_the_middle():
    scales = {scale.name: scale for scale in catalogue()}
    assert scales["agreement_5_no_midpoint"].points == (
        "Strongly disagree", "Disagree", "Agree", "Strongly agree")  # fmt: skip
    assert NEUTRAL_KEY not in scales["favorability_5_no_midpoint"].keys


def test_coverage_of_the_families_issue_20_names():
    kinds = {scale.kind for scale in catalogue()}
    assert {"agreement", "frequency", "importance", "quality", "likelihood", "satisfaction",
            "problem", "affect", "comfort", "awareness", "familiarity", "concern", "support",
            "probability", "priority", "favorability", "amount_relative", "ideology",
            "party_id"} <= kinds  # fmt: skip


def test_antonym_pairs_and_intensities_are_words():
    data = words()
    assert all(isinstance(low, str) and isinstance(high, str) for low, high in data["antonyms"])
    assert all(isinstance(k, str) for k in data["intensity"])
    for ladder in data["ladders"].values():
        assert all(isinstance(k, str) for k in ladder)
