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
