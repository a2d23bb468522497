"""Codebook ids from the export's own names, collisions reported."""

from __future__ import annotations

import re

import pytest
from likertflow_tools.ids import export_ids, id_from_name

PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("pid7", "pid7"),  # SPSS variable names
        ("whiteadv", "whiteadv"),
        ("CC16_330a", "cc16_330a"),
        ("Q3_1", "q3_1"),  # Qualtrics export tags
        ("QID12_TEXT", "qid12_text"),
        ("G01Q01[SQ001]", "g01q01_sq001"),  # LimeSurvey
        ("Q1[SQ001]", "q1_sq001"),
        ("consent___2", "consent___2"),  # REDCap
        ("record_id", "record_id"),
        ("1st_visit", "q_1st_visit"),
        ("Über-Frage", "ber_frage"),
        ("@#!", "q"),
    ],
)
def test_names_map_to_the_id_pattern(name, expected):
    assert id_from_name(name) == expected
    assert PATTERN.fullmatch(id_from_name(name))


def test_ids_come_from_names_and_from_text_only_without_one():
    texts = ["Generally speaking, do you think of yourself as ...",
             "White people in the U.S. have certain advantages", "How old are you?"]  # fmt: skip
    result = export_ids(["pid7", "whiteadv", None], texts)
    assert result.ids == ("pid7", "whiteadv", "how_old_are_you")
    assert result.from_text == (False, False, True)
    # A plain CSV: its header is the question; the text is slugged, not used as a name.
    plain = export_ids(["How old are you?"], ["How old are you?"])
    assert plain.ids == ("how_old_are_you",) and plain.from_text == (True,)


def test_collisions_are_reported_and_told_apart_deterministically():
    result = export_ids(["Q1[SQ001]", "q1_sq001", "Q1_SQ001", "other"], taken=["other"])
    assert result.ids == ("q1_sq001", "q1_sq001_2", "q1_sq001_3", "other_2")
    collision = result.collisions[0]
    assert collision.names == ("Q1[SQ001]", "q1_sq001", "Q1_SQ001")
    assert collision.assigned == result.ids[:3]
    assert result.collisions[1].names == ("other",)  # an id the codebook already uses
    assert len(set(result.ids)) == 4 and all(PATTERN.fullmatch(i) for i in result.ids)
    assert export_ids(["Q1[SQ001]", "q1_sq001"]) == export_ids(["Q1[SQ001]", "q1_sq001"])
