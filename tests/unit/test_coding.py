"""Coded answers (likertflow.coding): skip logic over a frame (a question asked in several
wordings is asked when any is) and reverse keying that mirrors scale points only."""

from __future__ import annotations

import pandas as pd
from likertflow.coding import CODE_DTYPE, question_asked
from support import exportkit

PATIENTS = exportkit.questionnaire("patients")


def test_question_with_several_wordings_is_asked_when_any_wording_is():
    """Kills `any` -> `every` wording in question_asked (wants_to_see has three wordings, each
    asked under another condition; a respondent meets exactly one)."""
    yes, no = (PATIENTS.question("had_imaging").answers.code_of[x] for x in ("Yes", "No"))
    coded = pd.DataFrame(
        {"had_imaging": [yes, yes, no, pd.NA], "saw_images": [yes, no, pd.NA, pd.NA]}
    ).astype("Int16")
    asked = question_asked(coded, PATIENTS.question("wants_to_see"), PATIENTS)
    assert asked.tolist() == [True, True, True, False]


def test_reversal_mirrors_scale_points_and_leaves_off_scale_answers():
    from likertflow.codebook import AnswerSet, Option
    from likertflow.coding import reversed_codes

    options = [Option("a", 0), Option("b", 10), Option("c", 50), Option("Don't know", 99, True)]
    answers = AnswerSet("uneven", True, tuple(options))
    codes = pd.Series(pd.array([0, 10, 50, 99, None], dtype=CODE_DTYPE))
    assert reversed_codes(codes, answers).tolist() == [50, 10, 0, 99, pd.NA]


# -- response ids as every check compares them ---------------------------------------------------


def ids(*values) -> pd.Series:
    return pd.Series(list(values), dtype="str", index=[f"r{i}" for i in range(len(values))],
                     name="response_id")  # fmt: skip


def test_ids_normalised_as_a_person_reads_them():
    from likertflow.coding import normalise_ids

    raw = ids(" R_1", "R_2\u00a0", "\u2003R_3\x1f", "R\u200b_4", "\ufeffR_5", "Ｒ_6", "e\u0301",
              "R 7", "r_8", "   ", "\u200b", None)  # fmt: skip
    out = normalise_ids(raw)
    assert out.tolist()[:10] == ["R_1", "R_2", "R_3", "R_4", "R_5", "R_6", "\u00e9", "R 7",
                                 "r_8", "   "]  # fmt: skip
    assert out.tolist()[10] == "\u200b"  # nothing left: kept as written, for blank_ids to name
    assert pd.isna(out.tolist()[11])
    assert out.index.tolist() == raw.index.tolist() and out.name == "response_id"
    assert out.dtype == raw.dtype


def test_ascii_ids_with_space_only_around_are_stripped_and_clean_ones_kept():
    from likertflow.coding import normalise_ids

    assert normalise_ids(ids("R_1 ", "\tR_2", "R_3")).tolist() == ["R_1", "R_2", "R_3"]
    clean = ids("R_1", "R 2", None)
    out = normalise_ids(clean)
    assert out.tolist()[:2] == ["R_1", "R 2"] and pd.isna(out.tolist()[2])
    blank = pd.Series([None, None], dtype="str")  # an all-blank column: not large strings
    assert normalise_ids(blank).isna().all()


def test_blank_ids_are_those_with_nothing_visible():
    import pytest
    from likertflow.coding import blank_ids

    raw = ids("", " ", "\u00a0", "\u200b\ufeff", "\x1c", "R_1", " R_2 ", None)
    blank = blank_ids(raw)
    assert blank.tolist() == [True, True, True, True, True, False, False, False]
    assert blank.index.tolist() == raw.index.tolist() and blank.dtype == bool
    assert blank_ids(pd.Series([None], dtype="str")).tolist() == [False]
    with pytest.raises(AttributeError):
        blank_ids(pd.Series([1, 2]))


# -- codes as scored -----------------------------------------------------------------------------


def agreement():
    from likertflow.codebook import AnswerSet, Option

    options = [Option("Disagree", 1), Option("Neutral", 2), Option("Agree", 3),
               Option("Don't know", 9, True)]  # fmt: skip
    return AnswerSet("agreement", True, tuple(options))


def test_on_scale_and_scored_codes():
    from likertflow.codebook import Column, Question
    from likertflow.coding import on_scale, scored

    codes = pd.Series(pd.array([1, 2, 3, 9, None], dtype=CODE_DTYPE))
    assert on_scale(codes, agreement()).tolist() == [1, 2, 3, pd.NA, pd.NA]
    assert on_scale(codes, agreement()).dtype == CODE_DTYPE
    plain = Question("q", "Q", agreement(), (Column("Q"),))
    reverse = Question("q", "Q", agreement(), (Column("Q"),), reverse=True)
    assert scored(codes, plain).tolist() == [1, 2, 3, pd.NA, pd.NA]
    assert scored(codes, reverse).tolist() == [3, 2, 1, pd.NA, pd.NA]
    assert scored(codes, reverse).dtype == CODE_DTYPE


def test_a_column_is_asked_when_every_condition_is_met():
    from likertflow.coding import column_asked

    yes, no = (PATIENTS.question("had_imaging").answers.code_of[x] for x in ("Yes", "No"))
    coded = pd.DataFrame({"had_imaging": [yes, yes, no, pd.NA], "saw_images": [yes, no, yes, yes]},
                         index=[5, 6, 7, 8]).astype("Int16")  # fmt: skip
    both = PATIENTS.question("wants_to_see").columns[0].__class__(
        "W", (("had_imaging", ("Yes",)), ("saw_images", ("Yes",)))
    )
    asked = column_asked(coded, both, PATIENTS)
    assert asked.tolist() == [True, False, False, False] and asked.dtype == bool
    assert asked.index.tolist() == [5, 6, 7, 8]
    always = column_asked(coded, both.__class__("W"), PATIENTS)
    assert always.tolist() == [True] * 4 and always.index.tolist() == [5, 6, 7, 8]
    either = column_asked(coded, both.__class__("W", (("had_imaging", ("Yes", "No")),)), PATIENTS)
    assert either.tolist() == [True, True, True, False]


def test_ids_held_as_python_objects_are_compared_as_text_ids_are():
    """Ids in an object column (a frame built by hand or read without pandas' text dtype: None
    and NaN for missing, or nothing but missing) get the same answers as the same ids as text."""
    from likertflow.coding import blank_ids, normalise_ids

    values = [" R_1", "\u200bR_2", "Ｒ_3", "\u200b", None, float("nan"), "R_4\t", ""]
    as_objects = pd.Series(values, dtype=object, index=list("abcdefgh"), name="response_id")
    as_text = pd.Series(values, dtype="str", index=list("abcdefgh"), name="response_id")
    out = normalise_ids(as_objects)
    assert out.tolist()[:4] == ["R_1", "R_2", "R_3", "\u200b"] and out.tolist()[6:] == ["R_4", ""]
    assert out.isna().tolist() == [False] * 4 + [True, True] + [False] * 2
    assert out.index.tolist() == list("abcdefgh") and out.name == "response_id"
    assert blank_ids(as_objects).tolist() == [False, False, False, True, False, False, False, True]
    assert blank_ids(as_objects).tolist() == blank_ids(as_text).tolist()
    assert normalise_ids(as_objects).tolist()[:4] == normalise_ids(as_text).tolist()[:4]
    nothing = pd.Series([None, float("nan")], dtype=object)  # Arrow's null type, not text
    assert normalise_ids(nothing).isna().all()
    assert blank_ids(nothing).tolist() == [False, False]
    ascii_objects = pd.Series([" R_1", None, "R_2"], dtype=object)
    assert normalise_ids(ascii_objects).tolist()[::2] == ["R_1", "R_2"]


def test_a_question_is_asked_of_the_respondents_of_its_frame_by_their_index():
    """``question_asked`` keeps the frame's index: the answer counts select the asked rows of a
    frame indexed by response id with it."""
    from likertflow.coding import question_asked

    yes, no = (PATIENTS.question("had_imaging").answers.code_of[x] for x in ("Yes", "No"))
    coded = pd.DataFrame({"had_imaging": [no, yes, pd.NA], "saw_images": [pd.NA, no, pd.NA]},
                         index=["R_9", "R_3", "R_5"]).astype("Int16")  # fmt: skip
    asked = question_asked(coded, PATIENTS.question("wants_to_see"), PATIENTS)
    assert asked.index.tolist() == ["R_9", "R_3", "R_5"]
    assert coded.loc[asked].index.tolist() == ["R_9", "R_3"]
