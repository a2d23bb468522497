"""Qualtrics (likertflow.platforms.qualtrics): the legacy export without an ImportId row, told
from the third row, and a third row partly of ImportIds refused."""

from __future__ import annotations

import pytest
from likertflow.errors import InputError
from likertflow.ingest import ingest, ingest_export
from support import filled, platformkit


def _legacy_questionnaire():

    return filled.questionnaire(
        {
            "survey": "s",
            "answer_sets": {"feel": {"options": [{"label": "Like", "code": 3}]}},
            "questions": [
                {
                    "id": "feel",
                    "text": "How do you feel?",
                    "answers": "feel",
                    "columns": [{"column": "Q1"}],
                }
            ],
            "export": platformkit.QUALTRICS_LEGACY_EXPORT,
        }
    )


def test_a_qualtrics_legacy_export_keeps_its_first_response(tmp_path):
    """Two header rows, no ImportId row: the first response is row 3, not a header."""
    path = tmp_path / "legacy.csv"
    path.write_bytes(
        platformkit.QUALTRICS_LEGACY.replace(
            "R_2,2016-06-24 12:29:08,,7,", "R_2,2016-06-24 12:29:08,,3,"
        ).encode("utf-8")
    )
    coded, dropped = ingest(path, _legacy_questionnaire(), "week1")
    assert coded["response_id"].tolist() == ["R_1", "R_2"]
    assert dropped == []  # the trailing commas make no nameless column
    assert coded["feel"].tolist() == [3, 3]
    assert coded["finished"].tolist() == [True, False]


def test_a_qualtrics_legacy_export_names_spreadsheet_rows(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes(platformkit.QUALTRICS_LEGACY.encode("utf-8"))
    with pytest.raises(InputError) as caught:
        ingest_export(path, _legacy_questionnaire(), "week1")
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (4, "Q1: How do you feel?", "7")


@pytest.mark.parametrize(
    ("third_row", "header_rows"),
    [
        ('"{""ImportId"":""QID1""}","{""ImportId"":""startDate"",""timeZone"":""Z""}",', 3),
        ("{'ImportId': 'QID1'},{'ImportId': 'startDate'},", 3),  # 2016 "Insights"
        ("R_1,2016-06-24 12:27:08,", 2),  # legacy: a response
    ],
)
def test_qualtrics_layout_is_told_from_the_third_row(third_row, header_rows, tmp_path):
    from likertflow.platforms import read_table

    path = tmp_path / "export.csv"
    path.write_text(f"Q1,StartDate,\nText,Start Date,\n{third_row}\nR_9,x,\n", encoding="utf-8")
    table = read_table(path, filled.export({"format": "qualtrics"}))
    assert table.first_row == header_rows + 1
    assert len(table.data) == 4 - header_rows


def test_a_third_row_partly_of_import_ids_is_an_error(tmp_path):
    from likertflow.platforms import read_table

    path = tmp_path / "export.csv"
    path.write_text(
        'Q1,StartDate\nText,Start Date\n"{""ImportId"":""QID1""}",2016-06-24\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match="partly a Qualtrics ImportId row") as caught:
        read_table(path, filled.export({"format": "qualtrics"}))
    assert caught.value.problems[0].row == 3
