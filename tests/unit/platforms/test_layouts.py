"""The plain, LimeSurvey and SurveyMonkey layouts header for header, as their fixture writers
write them and as their readers take hand-written files apart; and their draft hints.

test_platforms.py checks that each layout reads back to the plain CSV's batch; a header written
with another text, a reader splitting a heading the wrong way, or an export block pointing at a
misspelt column would still read back there when writer and reader agree, so here each is held
to the platform's own spelling (aimed at mutation survivors, issue 17).
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from likertflow.errors import InputError
from likertflow.platforms import limesurvey, plain, surveymonkey
from likertflow.platforms.preflight import Limits
from support import exportkit, platformkit

Q = exportkit.questionnaire("patients")
STEM = "Showing patients their radiological images"
FIRST = "Have you had radiological images (eg, X-rays, CT scans and MRI) taken in the past?"
TIMES = {"started": "Start Date", "completed": "Completion Date"}


@pytest.fixture(scope="module")
def answers():
    return exportkit.export_frame(Q, exportkit.random_answers(Q, 3, seed=8))


def _untimed():
    export = dataclasses.replace(Q.export, started=None, completed=None)
    return dataclasses.replace(Q, export=export)


@pytest.mark.parametrize("fmt", ["csv", "excel"])
def test_plain_headers_and_block(fmt, answers):
    build = plain.plain if fmt == "csv" else plain.excel
    layout = build(Q, answers, platformkit.planted(3))
    (row,) = layout.header_rows
    assert layout.format == fmt
    assert row[:4] == ["Response ID", "Start Date", "Completion Date", FIRST]
    assert row[-3:] == ["IP Address", "Email Address", "Any other comments?"]
    assert layout.export == {
        "format": fmt, "response_id": "Response ID", **TIMES,
        "timestamp_format": Q.export.timestamp_format,
    }  # fmt: skip
    assert layout.data.shape == (3, len(row))
    assert layout.data[1].tolist() == answers["Start Date"].tolist()


def test_limesurvey_headers_ids_and_block(answers):
    layout = limesurvey.limesurvey(Q, answers, platformkit.planted(3))
    (row,) = layout.header_rows
    assert layout.format == "limesurvey"
    assert row[:6] == [
        "id. Response ID", "submitdate. Date submitted", "startdate. Date started",
        "ipaddr. IP address", "refurl. Referrer URL", f"Q1. {FIRST}",
    ]  # fmt: skip
    assert row[-1] == "Q99. Any other comments?"
    assert row[-2] == "Q8. Sharing radiological images with patients is - A good idea"
    assert layout.ids[f"{STEM} - helps patients to understand information about their health"] == (
        "BENEFITS[SQ001]"
    )
    assert layout.ids[f"{STEM} - creates logistical issues"] == "RISKS[SQ007]"
    assert list(layout.ids.values())[:7] == [f"Q{i}" for i in range(1, 8)]
    # submitdate before startdate, as LimeSurvey writes them
    assert layout.data[1].tolist() == answers["Completion Date"].tolist()
    assert layout.data[2].tolist() == answers["Start Date"].tolist()
    assert layout.export == {
        "format": "limesurvey", "match": "id", "values": "codes", "response_id": "id",
        "started": "startdate", "completed": "submitdate",
        "timestamp_format": Q.export.timestamp_format,
    }  # fmt: skip


def test_limesurvey_without_times(answers):
    layout = limesurvey.limesurvey(_untimed(), answers)
    assert layout.header_rows[0][:2] == ["id. Response ID", f"Q1. {FIRST}"]
    assert "started" not in layout.export and "completed" not in layout.export


def test_surveymonkey_headers_and_block(answers):
    layout = surveymonkey.surveymonkey(Q, answers, platformkit.planted(3))
    top, labels = layout.header_rows
    assert layout.format == "surveymonkey"
    assert top[:9] == [
        "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
        "Email Address", "First Name", "Last Name", FIRST,
    ]  # fmt: skip
    assert labels[:9] == [""] * 8 + ["Response"]
    # the stem above a matrix's first column only, also when the next set has the same stem
    assert top[15:17] == [STEM, ""] and labels[15] == (
        "helps patients to understand information about their health"
    )
    assert top[24:26] == ["", ""] and labels[24] == "upsets patients"
    assert (top[-1], labels[-1]) == ("Any other comments?", "Open-Ended Response")
    assert labels[-2] == "Response"
    assert layout.data[1].tolist() == ["431"] * 3
    assert layout.export == {
        "format": "surveymonkey", "response_id": "Respondent ID", "started": "Start Date",
        "completed": "End Date", "timestamp_format": Q.export.timestamp_format,
    }  # fmt: skip


def test_surveymonkey_without_times(answers):
    layout = surveymonkey.surveymonkey(_untimed(), answers)
    assert layout.header_rows[0][:3] == ["Respondent ID", "Collector ID", FIRST]
    assert "started" not in layout.export and "completed" not in layout.export


def _spec(fmt):
    return dataclasses.replace(Q.export, format=fmt)


def test_limesurvey_reader_splits_code_and_text(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,Q1[SQ001]. Agree. Or not?,Q2. text,Full question text,1bad. x\n7,A1,A2,x,y\n",
        encoding="utf-8",
    )
    table = limesurvey.read(path, _spec("limesurvey"))
    assert table.ids == ["id", "Q1[SQ001]", "Q2", "Full question text", "1bad. x"]
    assert table.texts == ["id", "Agree. Or not?", "text", "Full question text", "1bad. x"]
    assert table.first_row == 2
    assert table.data.iloc[0].tolist() == ["7", "A1", "A2", "x", "y"]


def test_plain_reader(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Response ID;Q. one\nR1;Agree\nR2;\n", encoding="utf-8")
    table = plain.read(path, dataclasses.replace(_spec("csv"), delimiter=";"))
    assert table.ids == table.texts == ["Response ID", "Q. one"]
    assert table.first_row == 2
    assert table.data.shape == (2, 2)


def test_surveymonkey_reader_joins_stem_and_row_label(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Respondent ID,Age,Matrix,,Own,Any?\n"
        ",Response,row a,row b,Own,Open-Ended Response\n"
        "1,30,Agree,Disagree,x,y\n",
        encoding="utf-8",
    )
    table = surveymonkey.read(path, _spec("surveymonkey"))
    assert table.texts == [
        "Respondent ID",
        "Age",
        "Matrix - row a",
        "Matrix - row b",
        "Own",
        "Any?",
    ]
    assert table.ids == table.texts
    assert table.first_row == 3
    assert table.data.iloc[0].tolist() == ["1", "30", "Agree", "Disagree", "x", "y"]


def _role(platform, name):
    """The roles whose pattern the whole (normalised) name matches."""
    return {
        role for role, pattern in platform.draft.metadata.items() if re.fullmatch(pattern, name)
    }


@pytest.mark.parametrize(
    "platform,name,role",
    [
        (plain.CSV, "participant_id", "response_id"),
        (plain.CSV, "subject_id", "response_id"),
        (plain.CSV, "respondent", "response_id"),
        (plain.CSV, "started", "started"),
        (plain.CSV, "timestamp", "completed"),
        (plain.CSV, "completion_date", "completed"),
        (plain.CSV, "latitude", "drop"),
        (plain.EXCEL, "longitude", "drop"),
        (limesurvey.PLATFORM, "id", "response_id"),
        (limesurvey.PLATFORM, "startdate", "started"),
        (limesurvey.PLATFORM, "date_submitted", "completed"),
        (limesurvey.PLATFORM, "ipaddr", "drop"),
        (limesurvey.PLATFORM, "startlanguage", "drop"),
        (limesurvey.PLATFORM, "token", "drop"),
        (surveymonkey.PLATFORM, "respondent_id", "response_id"),
        (surveymonkey.PLATFORM, "start_date", "started"),
        (surveymonkey.PLATFORM, "end_date", "completed"),
        (surveymonkey.PLATFORM, "email_address", "drop"),
        (surveymonkey.PLATFORM, "collector_id", "drop"),
        (surveymonkey.PLATFORM, "custom_data_2", "drop"),
    ],
)
def test_draft_hints(platform, name, role):
    assert _role(platform, name) == {role}


def test_platform_entries():
    assert (plain.CSV.name, plain.CSV.extension, list(plain.CSV.layouts)) == (
        "csv",
        ".csv",
        ["csv"],
    )
    assert (plain.EXCEL.name, plain.EXCEL.extension, list(plain.EXCEL.layouts)) == (
        "excel",
        ".xlsx",
        ["excel"],
    )
    assert limesurvey.PLATFORM.name == "limesurvey" and limesurvey.PLATFORM.extension == ".csv"
    assert surveymonkey.PLATFORM.name == "surveymonkey"


def test_surveymonkey_reader_first_column_without_a_question(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(",Own\nResponse,Own\n1,x\n", encoding="utf-8")
    assert surveymonkey.read(path, _spec("surveymonkey")).texts == ["", "Own"]


READERS = [(plain.read, "csv", 1), (limesurvey.read, "limesurvey", 1)]
READERS += [(surveymonkey.read, "surveymonkey", 2)]


@pytest.mark.parametrize("read,fmt,header_rows", READERS)
def test_a_file_shorter_than_its_header_names_the_file(read, fmt, header_rows, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("Respondent ID,Age\n" if header_rows == 2 else "", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read(path, _spec(fmt))
    assert str(raised.value).startswith(f"{path}: ")
    assert f"{header_rows} header row(s)" in str(raised.value)


@pytest.mark.parametrize("read,fmt,header_rows", READERS)
def test_readers_apply_the_limits_given(read, fmt, header_rows, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,Q1\nlabel,Response\n1,Strongly agree\n", encoding="utf-8")
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=8, max_cells=100)
    assert read(path, _spec(fmt)).data.shape[1] == 2
    with pytest.raises(InputError, match="Strongly agree|8"):
        read(path, _spec(fmt), limits)


def test_surveymonkey_statement_whose_header_is_not_stem_and_wording(answers):
    """A statement column whose header does not end in " - <its wording>" is written as a
    single-column question: its header above, "Response" below."""
    first = Q.statements()[0]
    renamed = dataclasses.replace(first, text="another wording")
    questions = tuple(renamed if question is first else question for question in Q.questions)
    layout = surveymonkey.surveymonkey(dataclasses.replace(Q, questions=questions), answers)
    top, labels = layout.header_rows
    header = first.columns[0].header
    assert (top[top.index(header)], labels[top.index(header)]) == (header, "Response")
