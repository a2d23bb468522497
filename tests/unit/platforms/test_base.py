"""The pieces every platform module shares (likertflow.platforms.base): answer codes to labels,
labels to codes, the export block and the columns a fixture writer adds side by side (aimed at
mutation survivors, issue 17)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from likertflow.platforms import base
from support import exportkit
from support import toy_codebook as toy

Q = exportkit.questionnaire("patients")


def test_labels_from_codes_keeps_unknown_codes_blanks_and_the_index():
    codes = pd.Series(["1", "2", None, "9", "A1"], index=[10, 11, 12, 13, 14], dtype="str")
    labels = base.labels_from_codes(codes, {"1": "Yes", "2": "No", "A1": "Maybe"})
    assert labels.index.tolist() == [10, 11, 12, 13, 14]
    assert labels.dtype == "str"
    assert labels.tolist()[:2] == ["Yes", "No"]
    assert pd.isna(labels.iloc[2])
    assert labels.tolist()[3:] == ["9", "Maybe"]  # an unknown code stays as it is


def test_labels_from_codes_of_a_column_nobody_answered():
    blank = pd.Series([None, None], dtype="object")
    labels = base.labels_from_codes(blank, {"1": "Yes"})
    assert labels.isna().all() and labels.dtype == "str" and len(labels) == 2


def test_labels_from_codes_with_no_known_code_keeps_every_value():
    codes = pd.Series(["1", None, "9"], index=[5, 6, 7], dtype="str")
    labels = base.labels_from_codes(codes, {})
    assert labels.index.tolist() == [5, 6, 7] and labels.dtype == "str"
    assert labels.tolist()[::2] == ["1", "9"] and pd.isna(labels.iloc[1])


def _toy(options, numeric=None):
    questions = [{"id": "q", "text": "Q?", "answers": "set"}]
    if numeric:
        questions.append({"id": "n", "text": "How many?", "type": "numeric"})
    return toy.questionnaire(
        {}, answers={"set": {"options": options}}, export={"response_id": "ID"}, questions=questions
    )


def test_coded_answers_write_each_label_as_the_export_writes_it():
    """The option's export code where it has one (LimeSurvey "A1"), else its code; numbers and
    other columns as they are; the answers given are not changed."""
    q = _toy(
        [{"label": "Yes", "code": 1, "export_code": "A1"}, {"label": "No", "code": 2}],
        numeric=True,
    )
    answers = pd.DataFrame(
        {"ID": ["r1", "r2", "r3"], "Q?": ["Yes", "No", None], "How many?": ["3", "4.5", None]},
        dtype="str",
    )
    coded = base.coded_answers(q, answers)
    assert coded["Q?"].tolist()[:2] == ["A1", "2"] and pd.isna(coded["Q?"].iloc[2])
    assert coded["Q?"].dtype == "str"
    assert coded["How many?"].tolist()[:2] == ["3", "4.5"]
    assert coded["ID"].tolist() == ["r1", "r2", "r3"]
    assert answers["Q?"].tolist()[:2] == ["Yes", "No"]


def test_question_headers_in_order():
    headers = base.question_headers(Q)
    assert headers[0] == Q.questions[0].columns[0].header
    assert len(headers) == sum(len(question.columns) for question in Q.questions) == 24


def test_export_block_with_and_without_times():
    assert base.export_block("csv", Q, values="codes") == {
        "format": "csv", "response_id": "Response ID", "started": "Start Date",
        "completed": "Completion Date", "values": "codes",
        "timestamp_format": Q.export.timestamp_format,
    }  # fmt: skip
    untimed = dataclasses.replace(Q, export=dataclasses.replace(Q.export, started=None))
    block = base.export_block("csv", untimed)
    assert "started" not in block and block["completed"] == "Completion Date"
    untimed = dataclasses.replace(Q, export=dataclasses.replace(Q.export, completed=None))
    assert "completed" not in base.export_block("csv", untimed)


def test_time_column():
    frame = pd.DataFrame({"Start Date": ["2024-01-01"]})
    assert base.time_column(frame, "Start Date").tolist() == ["2024-01-01"]
    assert base.time_column(frame, None) is None


def test_columns_side_by_side_leaving_out_the_absent():
    out = base.Columns(2)
    out.add(pd.Series(["a", "b"], index=[5, 6]), "id", "Id text")
    out.add(None, "left out", "Left out")
    out.add(pd.Series(["x", None], index=[7, 8]), "q", "Question")
    assert out.headers == [["id", "q"], ["Id text", "Question"]]
    frame = out.frame()
    assert frame.columns.tolist() == [0, 1]  # by position
    assert frame.index.tolist() == [0, 1]  # each column's own index dropped
    assert frame[0].tolist() == ["a", "b"] and frame[1].tolist()[0] == "x"


def test_a_column_needs_a_header_text_for_every_header_row():
    """A writer that gives one text for two header rows would shift every later header."""
    out = base.Columns(2)
    with pytest.raises(ValueError):
        out.add(pd.Series(["a"]), "id")
    with pytest.raises(ValueError):
        out.add(pd.Series(["a"]), "id", "Id", "extra")
