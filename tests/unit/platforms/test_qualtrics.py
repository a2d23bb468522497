"""Qualtrics (likertflow.platforms.qualtrics): the legacy export without an ImportId row, told
from the third row, and a third row partly of ImportIds refused."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from likertflow.errors import InputError
from likertflow.ingest import ingest, ingest_export
from likertflow.platforms import qualtrics
from likertflow.platforms.preflight import Limits
from support import exportkit, filled, platformkit
from support import toy_codebook as toy


def _legacy_questionnaire():
    return toy.questionnaire(
        {},
        answers={"feel": toy.scale(["Like"], [3], ordinal=False)},
        questions=[
            {
                "id": "feel",
                "text": "How do you feel?",
                "answers": "feel",
                "columns": [{"column": "Q1"}],
            }
        ],
        export=platformkit.QUALTRICS_LEGACY_EXPORT,
        survey="s",
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


# --- The fixture writers header for header, and the reader's edges (issue 17) -----------------
# The layouts' round trip (test_platforms.py) reads a writer's file back with this module's
# reader, so a header written with another text, labels written where codes are declared
# (unknown codes stay as they are) or a Status column never written would still read back; here
# each layout is held to Qualtrics' own spelling ("Understanding Your Dataset": the column names
# and texts of its metadata, the compact-JSON ImportId row).

Q = exportkit.questionnaire("patients")
QUESTIONS = [column.header for question in Q.questions for column in question.columns]
# Qualtrics' metadata columns: name (row 1) and text (row 2); the times' texts are the
# codebook's own column names (the export block points at them).
METADATA = {
    "StartDate": "Start Date",
    "EndDate": "Completion Date",
    "Status": "Response Type",
    "Finished": "Finished",
    "IPAddress": "IP Address",
    "RecipientEmail": "Recipient Email",
    "DistributionChannel": "Distribution Channel",
    "ResponseId": "Response ID",
}


@pytest.fixture(scope="module")
def answers():
    answers = exportkit.random_answers(Q, 6, seed=8, unfinished_rate=0.3)
    return exportkit.export_frame(Q, answers)


def _extra(n):
    planted = platformkit.planted(n)
    status = pd.Series(["IP Address", "Survey Preview"] * (n // 2), dtype="str")
    channel = pd.Series(["anonymous", "preview"] * (n // 2), dtype="str")
    return dataclasses.replace(planted, status=status, channel=channel)


def _codes(question_header):
    """The code Qualtrics writes for each answer label of this column (the codebook's)."""
    (question,) = [q for q in Q.questions if question_header in [c.header for c in q.columns]]
    return {option.label: str(option.code) for option in question.answers.options}


def _by_id(layout):
    ids = layout.header_rows[0]
    return {name: layout.data[position].tolist() for position, name in enumerate(ids)}


@pytest.mark.parametrize("numeric", [False, True])
def test_qualtrics_writes_its_own_headers_and_values(numeric, answers):
    build = qualtrics.qualtrics_numeric if numeric else qualtrics.qualtrics
    layout = build(Q, answers, _extra(len(answers)))
    ids, texts, import_ids = layout.header_rows
    assert layout.format == "qualtrics" and layout.quoting == "all"
    question_ids = [f"Q{i}" for i in range(1, len(QUESTIONS) + 1)]
    questions = dict(zip(question_ids, QUESTIONS, strict=True))
    assert dict(zip(ids, texts, strict=True)) == (
        METADATA | questions | {"Q_comments": "Any other comments?"}
    )
    assert layout.ids == dict(zip(QUESTIONS, question_ids, strict=True))
    assert import_ids == ['{"ImportId":"' + name + '"}' for name in ids]
    values = _by_id(layout)
    assert values["Status"] == ["IP Address", "Survey Preview"] * 3
    assert values["DistributionChannel"] == ["anonymous", "preview"] * 3
    assert values["IPAddress"] == [platformkit.PLANTED_IP] * 6
    assert values["ResponseId"] == answers["Response ID"].tolist()
    finished = ["1" if pd.notna(time) else "0" for time in answers["Completion Date"]]
    assert values["Finished"] == finished and "0" in finished and "1" in finished
    assert values["StartDate"] == answers["Start Date"].tolist()
    for question_id, header in zip(question_ids, QUESTIONS, strict=True):
        given = answers[header]
        expected = given.map(_codes(header)) if numeric else given
        assert values[question_id] == expected.where(given.notna()).tolist(), header
    block = {
        "format": "qualtrics", "response_id": "Response ID", "started": "Start Date",
        "completed": "Completion Date", "finished": "Finished",
        "timestamp_format": Q.export.timestamp_format,
    }  # fmt: skip
    assert layout.export == (block | {"values": "codes"} if numeric else block)


def test_qualtrics_legacy_and_2016_layouts(answers):
    legacy = qualtrics.qualtrics_legacy(Q, answers)
    assert len(legacy.header_rows) == 2  # no ImportId row
    assert legacy.export["values"] == "codes"
    assert _by_id(legacy)["Q1"] == answers[QUESTIONS[0]].map(_codes(QUESTIONS[0])).tolist()
    insights = qualtrics.qualtrics_2016(Q, answers)
    assert insights.header_rows[2][:2] == ["{'ImportId': 'StartDate'}", "{'ImportId': 'EndDate'}"]
    assert "values" not in insights.export  # choice text
    assert _by_id(insights)["Q1"] == answers[QUESTIONS[0]].tolist()


def test_qualtrics_without_times_has_no_finished_flag(answers):
    export = dataclasses.replace(Q.export, started=None, completed=None)
    layout = qualtrics.qualtrics(dataclasses.replace(Q, export=export), answers)
    assert layout.header_rows[0][:2] == ["ResponseId", "Q1"]
    assert not {"started", "completed", "finished"} & set(layout.export)


def test_qualtrics_quotes_every_field(answers, tmp_path):
    layout = qualtrics.qualtrics(Q, answers)
    path = platformkit.write(layout, tmp_path / "export.csv")
    first, second, third = path.read_text(encoding="utf-8").splitlines()[:3]
    assert first.startswith('"StartDate","EndDate","Finished","ResponseId","Q1",')
    assert third.startswith('"{""ImportId"":""StartDate""}","{""ImportId"":""EndDate""}",')


def _spec():
    return filled.export({"format": "qualtrics"})


def test_qualtrics_reader_applies_the_limits_given(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Q1,Q2\nOne,Two\nR_1,Strongly agree\n", encoding="utf-8")
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=8, max_cells=100)
    assert qualtrics.read(path, _spec()).data.iloc[0].tolist() == ["R_1", "Strongly agree"]
    with pytest.raises(InputError, match="longer than 8 characters|8"):
        qualtrics.read(path, _spec(), limits)


def test_qualtrics_legacy_export_without_responses(tmp_path):
    """Two header rows and nothing else: no response, the first one would be row 3."""
    path = tmp_path / "export.csv"
    path.write_text("V1,Q1\nResponseID,How do you feel?\n", encoding="utf-8")
    table = qualtrics.read(path, _spec())
    assert (table.ids, table.texts) == (["V1", "Q1"], ["ResponseID", "How do you feel?"])
    assert (len(table.data), table.first_row) == (0, 3)


def test_a_short_qualtrics_file_names_the_file(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("Q1,Q2\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        qualtrics.read(path, _spec())
    assert str(raised.value).startswith(f"{path}: ")


def test_a_partial_import_id_row_names_its_other_columns(tmp_path):
    """The columns are counted from 1 as a spreadsheet shows them; ten at most are listed."""
    path = tmp_path / "export.csv"
    ids = ",".join(f"Q{i}" for i in range(1, 13))
    third = '"{""ImportId"":""QID1""}",' + ",".join(f"x{i}" for i in range(2, 13))
    path.write_text(f"{ids}\n{ids}\n{third}\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        qualtrics.read(path, _spec())
    assert raised.value.summary == (
        f"{path}: the third row is partly a Qualtrics ImportId row, so it is neither the header "
        "row of a current export nor the first response of a legacy one"
    )
    [problem] = raised.value.problems
    assert (problem.file, problem.row) == (str(path), 3)
    assert problem.expected == (
        'an ImportId ({"ImportId":"QID1"}) in every column of row 3, or none (a legacy export, '
        "whose responses start on row 3)"
    )
    assert problem.value == "other values in column(s) 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
