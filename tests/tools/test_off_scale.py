"""Off-scale answers recognised in every set, on wordings real exports and questionnaires use."""

from __future__ import annotations

import pytest
import yaml
from likertflow_tools.scales import DATA, catalogue, off_scale_kind, recognise


@pytest.mark.parametrize(
    "label, kind",
    [
        ("Don't know", "dont_know"),
        ("Don\u2019t Know", "dont_know"),
        ("DK", "dont_know"),
        ("Not sure", "dont_know"),  # CCES ideo5 6, pid7 8
        ("Unsure", "dont_know"),
        ("Can't say", "dont_know"),
        ("Don't know / no opinion", "dont_know"),
        ("I don't understand this question", "dont_know"),  # FiveThirtyEight (SurveyMonkey)
        ("No opinion", "no_opinion"),
        ("No basis for evaluation", "no_opinion"),  # Qualtrics
        ("Unfamiliar (N/A)", "no_opinion"),  # FiveThirtyEight Star Wars (SurveyMonkey)
        ("Haven't thought much about this", "no_opinion"),  # ANES ideology
        ("Never heard of", "no_opinion"),  # Pew favourability
        ("Not applicable", "not_applicable"),
        ("N/A", "not_applicable"),
        ("NA", "not_applicable"),
        ("Not applicable to my religious beliefs", "not_applicable"),
        ("I don't do this", "not_applicable"),
        ("I don't celebrate Thanksgiving", "not_applicable"),
        ("Does not apply", "not_applicable"),
        ("Prefer not to say", "refused"),
        ("Prefer not to answer", "refused"),
        ("I'd rather not say", "refused"),
        ("I do not want to reveal my age", "refused"),  # the shipped codebook
        ("Skipped", "refused"),  # CCES 98
        ("Not asked", "refused"),  # CCES 99
        ("Refused", "refused"),
        ("Other", "other"),
        ("Other party", "other"),
        ("Other (please specify)", "other"),
        ("Something else", "other"),
        ("None of the above", "other"),
    ],
)
def test_off_scale_wordings(label, kind):
    assert off_scale_kind(label) == kind


@pytest.mark.parametrize(
    "label",
    ["Never", "Neither agree nor disagree", "Not at all likely", "Not very important", "None",
     "Neutral", "Strongly disagree", "Independent", "Rarely", "No", "Not a priority"],
)  # fmt: skip
def test_scale_points_are_not_off_scale(label):
    assert off_scale_kind(label) is None


def test_off_scale_answers_are_recognised_in_every_kind_of_set():
    catalogue_set = recognise(["Agree", "Disagree", "Not applicable", "Strongly agree"])
    numbered = recognise(["1", "2", "3", "4", "5", "Don't know"])
    bands = recognise(["Under 18", "18-24", "25 or older", "Prefer not to say"])
    unordered = recognise(["Red", "Blue", "Not sure"])
    for result, off in [(catalogue_set, "Not applicable"), (numbered, "Don't know"),
                        (bands, "Prefer not to say"), (unordered, "Not sure")]:  # fmt: skip
        assert [p.label for p in result.off_scale] == [off]
        assert off not in [p.label for p in result.points]


def test_the_off_scale_data_is_well_formed():
    groups = yaml.safe_load((DATA / "off_scale.yaml").read_text(encoding="utf-8"))["off_scale"]
    assert {group["kind"] for group in groups} == {
        "dont_know", "no_opinion", "not_applicable", "refused", "other"}  # fmt: skip
    # Every catalogue entry's usual off-scale answers are recognised off the scale.
    for scale in catalogue():
        for label in scale.off_scale:
            assert off_scale_kind(label), (scale.name, label)
