"""Recognising an answer set's scale: the families of issue 20, real wordings held out of the
catalogue, SPSS codes in either direction, and the shipped codebooks reproduced."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from likertflow_tools.scales import catalogue, label_key, match_key, recognise

REPO = Path(__file__).resolve().parents[2]


def shuffled(labels, seed=3):
    labels = list(labels)
    random.Random(seed).shuffle(labels)
    return labels


def on_scale(result):
    return [point.label for point in result.points]


def off_scale(result):
    return [point.label for point in result.off_scale]


# --- the families issue 20 names ------------------------------------------------------------

BIPOLAR_7 = [
    "Extremely dissatisfied",
    "Moderately dissatisfied",
    "Slightly dissatisfied",
    "Neither satisfied nor dissatisfied",
    "Slightly satisfied",
    "Moderately satisfied",
    "Extremely satisfied",
]
FAVOURABILITY = [
    "Very unfavorably",
    "Somewhat unfavorably",
    "Neither favorably nor unfavorably (neutral)",
    "Somewhat favorably",
    "Very favorably",
]


def test_qualtrics_bipolar_7_point_scale():
    result = recognise(shuffled(BIPOLAR_7))
    assert on_scale(result) == BIPOLAR_7
    assert result.ordinal and result.recognised_by == "catalogue"
    assert result.poles == {"low": "dissatisfied", "high": "satisfied"}


def test_favourability_with_unfamiliar_off_the_scale():
    # The FiveThirtyEight Star Wars survey (SurveyMonkey): one character nobody rated
    # "Somewhat unfavorably"; the point is filled in from the catalogue.
    seen = ["Very favorably", "Unfamiliar (N/A)", "Somewhat favorably", "Very unfavorably",
            "Neither favorably nor unfavorably (neutral)"]  # fmt: skip
    result = recognise(seen)
    assert on_scale(result) == FAVOURABILITY
    assert [p.seen for p in result.points] == [True, False, True, True, True]
    assert off_scale(result) == ["Unfamiliar (N/A)"]
    assert result.kind == "favorability"
    assert result.poles == {"low": "unfavorably", "high": "favorably"}


def test_british_spellings_case_and_punctuation_match_the_catalogue():
    labels = ["VERY FAVOURABLY", "somewhat favourably.", "Neutral", "Somewhat  unfavourably",
              "Very unfavourably"]  # fmt: skip
    result = recognise(labels)
    assert result.scale == "favorability_5"
    assert on_scale(result) == labels[::-1]  # the export's spellings, low to high


def test_too_little_about_right_too_much():
    result = recognise(["Too much", "About right", "Too little", "Don't know"])
    assert on_scale(result) == ["Too little", "About right", "Too much"]
    assert off_scale(result) == ["Don't know"]
    assert result.poles == {"low": "too little", "high": "too much"}


def test_numbered_0_to_10_with_points_nobody_chose():
    seen = ["10 - Extremely likely", "7", "0 - Not at all likely", "8", "9", "3"]
    result = recognise(seen)
    assert on_scale(result) == ["0 - Not at all likely", *map(str, range(1, 10)),
                                "10 - Extremely likely"]  # fmt: skip
    assert [p.label for p in result.points if not p.seen] == ["1", "2", "4", "5", "6"]
    assert result.recognised_by == "inference" and result.method == "numbered"
    assert result.poles == {"low": "not at all likely", "high": "extremely likely"}


def test_numbered_catalogue_labels():
    labels = ["5 - Strongly agree", "1 - Strongly disagree", "3 - Neither agree nor disagree",
              "2 - Disagree", "4 - Agree"]  # fmt: skip
    result = recognise(labels)
    assert result.scale == "agreement_5"
    assert on_scale(result) == sorted(labels)


def test_income_bands_in_the_order_of_their_numbers():
    # Drafted alphabetically, "$100,000 - $149,999" came before "$25,000 - $49,999".
    bands = ["$0 - $24,999", "$25,000 - $49,999", "$50,000 - $99,999", "$100,000 - $149,999",
             "$150,000+"]  # fmt: skip
    result = recognise(sorted(bands) + ["Prefer not to answer"])
    assert on_scale(result) == bands
    assert off_scale(result) == ["Prefer not to answer"]
    assert result.method == "bands" and result.ordinal


@pytest.mark.parametrize(
    "bands",
    [
        ["Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65 or older"],
        ["18-29", "30-44", "45-60", "> 60"],
        ["Less than 1 year", "1-5 years", "6-10 years", "More than 10 years"],
        ["Less than 6 months", "6 months - 1 year", "1-2 years", "More than 2 years"],
        ["Less than $10,000", "$10,000 to $19,999", "$20k-$49k", "$50,000 or more"],
        ["Less than 1 hour", "1-2 hours", "3-5 hours", "More than 5 hours"],
        ["First year", "Second year", "Third year", "Fourth year or later"],
    ],
)
def test_numeric_bands(bands):
    result = recognise(shuffled(bands))
    assert on_scale(result) == bands
    assert result.recognised_by == "inference"


SPSS_WHITEADV = {1: "Strongly agree", 2: "Somewhat agree", 3: "Neither agree nor disagree",
                 4: "Somewhat disagree", 5: "Strongly disagree"}  # fmt: skip
SPSS_IDEO5 = {1: "Very liberal", 2: "Liberal", 3: "Moderate", 4: "Conservative",
              5: "Very conservative", 6: "Not sure"}  # fmt: skip


def test_spss_sets_coded_high_to_low_and_low_to_high_in_one_file():
    """The election study's .sav codes whiteadv 1 = Strongly agree ... 5 = Strongly disagree and
    ideo5 1 = Very liberal ... 5 = Very conservative, 6 = Not sure: both are listed low to high,
    and every label keeps the file's code ("Not sure" stays 6, not a drafted 9)."""
    agree = recognise(list(SPSS_WHITEADV.values()), list(SPSS_WHITEADV))
    assert on_scale(agree) == list(SPSS_WHITEADV.values())[::-1]
    assert [p.export_code for p in agree.points] == [5, 4, 3, 2, 1]
    assert agree.codes_direction == "descending"
    assert any("high to low" in todo for todo in agree.todos)
    assert not any(not p.seen for p in agree.points)  # value labels: nothing added

    ideology = recognise(list(SPSS_IDEO5.values()), SPSS_IDEO5.keys())
    assert on_scale(ideology) == ["Very liberal", "Liberal", "Moderate", "Conservative",
                                  "Very conservative"]  # fmt: skip
    assert ideology.codes_direction == "ascending"
    assert ideology.export_codes()["Not sure"] == 6
    assert off_scale(ideology) == ["Not sure"]
    assert ideology.poles == {"low": "liberal", "high": "conservative"}


def test_codes_as_a_mapping_and_negative_codes_off_the_scale():
    # Qualtrics recode values: -1 "No basis for evaluation"; any label with a negative code.
    codes = {"Poor": 1, "Fair": 2, "Good": 3, "Not rated this year": -1, "Excellent": 5}
    result = recognise(list(codes), codes)
    assert on_scale(result) == ["Poor", "Fair", "Good", "Excellent"]
    assert result.export_codes() == codes
    assert off_scale(result) == ["Not rated this year"]


def test_party_id_with_other_party_off_the_scale():
    labels = ["Strong Democrat", "Not very strong Democrat", "Lean Democrat", "Independent",
              "Lean Republican", "Not very strong Republican", "Strong Republican"]  # fmt: skip
    result = recognise([*labels[::-1], "Other party", "Not sure"], list(range(7, 0, -1)) + [8, 9])
    assert on_scale(result) == labels
    assert off_scale(result) == ["Other party", "Not sure"]


# --- what cannot be ordered is said so, never dressed up --------------------------------------


def test_a_set_of_no_known_shape_is_unordered_in_the_order_given():
    labels = ["Zebra", "apple", "Mango"]
    result = recognise(labels)
    assert result.ordinal is False and result.recognised_by == "unrecognised"
    assert on_scale(result) == labels  # neither alphabetical nor otherwise rearranged
    assert any("match no known scale" in todo and "ordinal: false" in todo for todo in result.todos)


def test_tied_intensities_are_not_ordered():
    result = recognise(["Very satisfied", "Highly satisfied", "Really satisfied"])
    assert result.ordinal is False


def test_other_is_a_category_of_an_unordered_set():
    result = recognise(["Clinical", "Technical", "Other", "Prefer not to say"])
    assert on_scale(result) == ["Clinical", "Technical", "Other"]
    assert off_scale(result) == ["Prefer not to say"]


def test_inferred_orders_ask_for_confirmation():
    result = recognise(["Very helpful", "Not at all helpful", "Somewhat helpful"])
    assert result.recognised_by == "inference"
    assert any("confirm the order" in todo for todo in result.todos)


# --- held out: real wordings the catalogue does not hold --------------------------------------

HELD_OUT = {
    "SurveyMonkey helpfulness": [
        "Not at all helpful",
        "Not so helpful",
        "Somewhat helpful",
        "Very helpful",
        "Extremely helpful",
    ],
    "trustworthiness": [
        "Very untrustworthy",
        "Somewhat untrustworthy",
        "Somewhat trustworthy",
        "Very trustworthy",
    ],
    "Qualtrics 7-point positivity": [
        "Extremely negative",
        "Moderately negative",
        "Slightly negative",
        "Neither positive nor negative",
        "Slightly positive",
        "Moderately positive",
        "Extremely positive",
    ],
    "ease": [
        "Very difficult",
        "Somewhat difficult",
        "Neither easy nor difficult",
        "Somewhat easy",
        "Very easy",
    ],
    "effectiveness": ["Very ineffective", "Ineffective", "Neutral", "Effective", "Very effective"],
    "confidence": [
        "Not at all confident",
        "Slightly confident",
        "Somewhat confident",
        "Fairly confident",
        "Completely confident",
    ],
    "interest": [
        "Not at all interested",
        "Not very interested",
        "Somewhat interested",
        "Very interested",
    ],
    "worry": ["Not at all worried", "A little worried", "Somewhat worried", "Very worried"],
    "familiarity, Qualtrics wording": [
        "Not familiar at all",
        "Slightly familiar",
        "Moderately familiar",
        "Very familiar",
        "Extremely familiar",
    ],
    "Pew approval strength": [
        "Strongly disapprove",
        "Not so strongly disapprove",
        "Not so strongly approve",
        "Strongly approve",
    ],
    "comparison": [
        "A lot worse",
        "A little worse",
        "About the same",
        "A little better",
        "A lot better",
    ],
    "attention to politics": [
        "Not at all closely",
        "Not very closely",
        "Fairly closely",
        "Very closely",
    ],
    "FiveThirtyEight sleeping apart (SurveyMonkey)": [
        "Never",
        "Once a year or less",
        "Once a month or less",
        "A few times per month",
        "A few times per week",
        "Every night",
    ],
    "newspaper reading": [
        "Once a year or less",
        "Several times a year",
        "Several times a month",
        "Several times a week",
        "Every day or almost every day",
    ],
    "religious attendance, survey codebook wording": [
        "Never",
        "Once a year or less",
        "Few times a year",
        "1-2 times a month",
        "Once a week",
        "More than once a week",
    ],
    "use, adverbs": ["Less than monthly", "Monthly", "Weekly", "Daily"],
    "Pew trust amount": ["Not at all", "Not much", "Some", "A lot"],
    "symptom severity": ["None", "Mild", "Moderate", "Severe"],
    "FiveThirtyEight age bands": ["18-29", "30-44", "45-60", "> 60"],
    "tenure": ["Less than 6 months", "6 months - 1 year", "1-2 years", "More than 2 years"],
}


@pytest.mark.parametrize("name", list(HELD_OUT))
def test_held_out_real_wordings_are_ordered_by_inference(name):
    expected = HELD_OUT[name]
    result = recognise(shuffled(expected, seed=len(name)))
    assert result.recognised_by == "inference", "held out, so not in the catalogue"
    assert result.ordinal and on_scale(result) == expected


# --- the shipped codebooks reproduced ----------------------------------------------------------


def _answer_sets():
    for path in ("config/codebook.yaml", "config/examples/online_learning/codebook.yaml"):
        codebook = yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
        for name, answer_set in codebook["answer_sets"].items():
            yield pytest.param(answer_set, id=f"{Path(path).parent.name}/{name}")


@pytest.mark.parametrize("answer_set", list(_answer_sets()))
def test_every_shipped_answer_set_is_reproduced(answer_set):
    options = answer_set["options"]
    shuffled_options = shuffled(options)
    result = recognise(
        [o["label"] for o in shuffled_options], [o["code"] for o in shuffled_options]
    )
    assert result.ordinal is answer_set["ordinal"]
    points = [o["label"] for o in options if not o.get("off_scale")]
    if answer_set["ordinal"]:
        assert on_scale(result) == points
    else:
        assert sorted(on_scale(result)) == sorted(points)
    assert sorted(off_scale(result)) == sorted(o["label"] for o in options if o.get("off_scale"))
    assert result.export_codes() == {o["label"]: o["code"] for o in options}


# --- keys --------------------------------------------------------------------------------------


def test_keys_ignore_what_does_not_change_a_point():
    assert label_key("Don\u2019t know") == label_key("don't  know!") == "dont know"
    assert label_key("Very favourably") == "very favorably"
    assert match_key("Agree strongly") == match_key("Strongly agree")
    assert match_key("Neither agree or disagree") == match_key("Neutral")
    assert match_key("1 - Strongly disagree") == match_key("Strongly Disagree (1)")


def test_every_catalogue_entry_is_recognised_as_itself():
    for scale in catalogue():
        result = recognise(shuffled(scale.points), complete=False)
        assert result.recognised_by == "catalogue", scale.name
        assert result.ordinal is scale.ordinal, scale.name
        if scale.ordinal:
            assert on_scale(result) == list(scale.points), scale.name


def test_negative_numbers_are_off_the_scale_with_or_without_codes():
    # Qualtrics numeric values: -1 "No basis for evaluation", -2 "Never had it".
    result = recognise(["1", "3", "-1", "2", "-2"])
    assert on_scale(result) == ["1", "2", "3"] and off_scale(result) == ["-1", "-2"]


def test_text_we_did_not_write_is_only_data():
    hostile = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>", "((((", "\x00", "a" * 10_000,
               "[SQ001]", "$$$", "- -", "10 - ", "1e400", "nan", ".*"]  # fmt: skip
    result = recognise(hostile)
    assert result.ordinal is False and len(result.points) + len(result.off_scale) == len(hostile)
    assert recognise([]).points == () and recognise(["", "  "]).points == ()


def test_a_qualified_word_is_weaker_than_the_plain_one():
    result = recognise(["Agree", "Mostly disagree", "Disagree", "Mostly agree"])
    assert on_scale(result) == ["Disagree", "Mostly disagree", "Mostly agree", "Agree"]
