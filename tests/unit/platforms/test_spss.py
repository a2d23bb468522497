"""SPSS (likertflow.platforms.spss): the fixture writer's variables, labels and value labels as
SPSS keeps them (read back with pyreadstat, not with our reader), and the reader's value labels,
codes, refusals and limits (aimed at mutation survivors, issue 17).

test_platforms.py and test_writers.py read a written .sav back to the plain CSV's batch; a
variable label or value label written wrong but read back by the same module would pass there.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pyreadstat
import pytest
import yaml
from likertflow.codebook import questionnaire_codebook
from likertflow.errors import InputError
from likertflow.platforms import spss
from likertflow.platforms.preflight import Limits
from support import exportkit, filled, platformkit
from support import toy_codebook as toy
from support.exportkit import REPO

Q = exportkit.questionnaire("patients")
QUESTIONS = [column.header for question in Q.questions for column in question.columns]
FIRST = QUESTIONS[0]


@pytest.fixture(scope="module")
def answers():
    return exportkit.export_frame(Q, exportkit.random_answers(Q, 6, seed=8, unfinished_rate=0.3))


@pytest.fixture(scope="module")
def written(answers, tmp_path_factory):
    layout = spss.spss(Q, answers, platformkit.planted(6))
    path = spss.write(layout, tmp_path_factory.mktemp("sav") / "week1.sav")
    return layout, path


def test_spss_writes_variables_labels_and_value_labels(answers, written):
    layout, path = written
    assert layout.format == "spss"
    frame, meta = pyreadstat.read_sav(str(path))
    variables = [f"V{i}" for i in range(1, len(QUESTIONS) + 1)]
    names = ["ResponseId", "StartDate", "EndDate", "IPAddress", "Email", *variables, "Comments"]
    assert meta.column_names == names
    assert meta.column_labels == [
        "Response ID", "Start Date", "Completion Date", "IP Address", "Email Address",
        *QUESTIONS, "Any other comments?",
    ]  # fmt: skip
    assert layout.ids == dict(zip(QUESTIONS, variables, strict=True))
    (question,) = [q for q in Q.questions if FIRST in [c.header for c in q.columns]]
    expected = {float(o.code): o.label for o in question.answers.options}
    assert meta.value_labels[meta.variable_to_label["V1"]] == expected
    assert set(meta.variable_to_label) == set(variables)
    # Answers as their numeric codes, times as SPSS date-times, text as text (blank: "").
    codes = {o.label: float(o.code) for o in question.answers.options}
    assert frame["V1"].tolist() == answers[FIRST].map(codes).tolist()
    assert meta.readstat_variable_types["V1"] == "double"
    assert frame["StartDate"].tolist() == pd.to_datetime(answers["Start Date"]).tolist()
    assert meta.readstat_variable_types["ResponseId"] == "string"
    assert frame["ResponseId"].tolist() == answers["Response ID"].tolist()
    assert frame["Comments"].tolist() == [platformkit.PLANTED_COMMENT] * 6
    assert layout.export == {
        "format": "spss", "response_id": "Response ID", "started": "Start Date",
        "completed": "Completion Date", "timestamp_format": Q.export.timestamp_format,
    }  # fmt: skip


def test_a_completion_time_left_blank_is_a_missing_date_time(answers, written):
    frame, _ = pyreadstat.read_sav(str(written[1]))
    assert frame["EndDate"].isna().tolist() == answers["Completion Date"].isna().tolist()
    assert answers["Completion Date"].isna().any()


def test_numeric_questions_are_numbers_without_value_labels(tmp_path):
    """The worked example's age: a number, no value labels."""
    example = REPO / "config" / "examples" / "online_learning"
    codebook = yaml.safe_load((example / "codebook.yaml").read_text(encoding="utf-8"))
    q = filled.questionnaire(questionnaire_codebook(codebook, "undergraduates"))
    headers = [column.header for question in q.questions for column in question.columns]
    answers = pd.DataFrame({header: pd.Series([None, None], dtype="str") for header in headers})
    age = "How old are you? (years)"
    answers[age] = pd.Series(["19", "23.5"], dtype="str")
    answers[q.export.response_id] = pd.Series(["a", "b"], dtype="str")
    layout = spss.spss(q, answers)
    variable = layout.ids[age]
    assert layout.numbers == [variable] and variable not in layout.value_labels
    frame, meta = pyreadstat.read_sav(str(spss.write(layout, tmp_path / "w.sav")))
    assert frame[variable].tolist() == [19.0, 23.5]
    assert variable not in meta.variable_to_label


def _sav(path, frame, **options):
    pyreadstat.write_sav(frame, str(path), **options)
    return path


def _spec(**keys):
    return filled.export({"format": "spss", **keys})


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("labels", ["Agree", "Disagree", "7", "half"]),  # 7 has no label: its code
        ("codes", ["1", "2", "7", "2.5"]),  # whole codes without ".0"
    ],
)
def test_spss_reader_applies_value_labels_where_asked(values, expected, tmp_path):
    frame = pd.DataFrame({"q1": [1.0, 2.0, 7.0, 2.5, None], "id": ["a", "b", "c", "d", "e"]})
    path = _sav(
        tmp_path / "w.sav",
        frame,
        column_labels={"q1": "I agree"},  # id has no variable label: its name
        variable_value_labels={"q1": {1.0: "Agree", 2.0: "Disagree", 2.5: "half"}},
    )
    table = spss.read(path, _spec(values=values))
    assert (table.ids, table.texts, table.first_row) == (["q1", "id"], ["I agree", "id"], 1)
    assert table.data[0].tolist()[:4] == expected
    assert table.data[0].isna().tolist() == [False] * 4 + [True]  # a blank stays blank
    assert table.data[1].tolist() == ["a", "b", "c", "d", "e"]


def test_code_as_text():
    assert [spss._code_as_text(code) for code in (3.0, -1.0, 2.5, 4, "A")] == [
        "3", "-1", "2.5", "4", "A",
    ]  # fmt: skip


def test_spss_reader_applies_the_limits_given(tmp_path):
    path = _sav(tmp_path / "w.sav", pd.DataFrame({"q": ["Strongly agree"]}))
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=8, max_cells=100)
    assert spss.read(path, _spec()).data[0].tolist() == ["Strongly agree"]
    with pytest.raises(InputError) as caught:
        spss.read(path, _spec(), limits)
    assert caught.value.summary == f"{path}: has a cell longer than an export's may be"
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 1, "column 1")


def test_a_file_that_declares_more_cases_than_it_holds_is_refused(tmp_path):
    """pyreadstat refuses to read it; the message names the file and pyreadstat's reason."""
    path = _sav(tmp_path / "w.sav", pd.DataFrame({"q": [1.0, 2.0, 3.0]}))
    data = bytearray(path.read_bytes())
    data[80:84] = (5).to_bytes(4, "little")  # the header's case count
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as caught:
        spss.read(path, _spec())
    assert caught.value.summary == f"{path}: cannot be read as an SPSS .sav file"
    [problem] = caught.value.problems
    assert (problem.file, problem.expected) == (str(path), "an SPSS .sav file")
    assert problem.value == "File did not contain the expected number of rows"


def test_fewer_cases_read_than_the_header_declares_are_refused(tmp_path, monkeypatch):
    """A reader that stops early (none does today) must not ingest part of a file silently."""
    path = _sav(tmp_path / "w.sav", pd.DataFrame({"q": [1.0, 2.0, 3.0]}))
    read_sav = pyreadstat.read_sav

    def stopping_early(*args, **kwargs):
        frame, meta = read_sav(*args, **kwargs)
        return (frame, meta) if kwargs.get("metadataonly") else (frame.iloc[:2], meta)

    monkeypatch.setattr(pyreadstat, "read_sav", stopping_early)
    with pytest.raises(InputError) as caught:
        spss.read(path, _spec())
    assert caught.value.summary == (
        f"{path}: the SPSS file's header declares 3 cases but 2 were read: nothing was ingested"
    )
    [problem] = caught.value.problems
    assert problem.file == str(path)
    assert (
        problem.expected == "3 cases, as the file's header declares (save the file again from SPSS)"
    )
    assert (problem.row, problem.value) == (3, "2 cases")


def test_value_labels_and_user_missing_codes(tmp_path):
    """The drafter's view: value labels by variable, and the labelled codes that a missing range
    or a discrete missing value (a range of one) covers."""
    frame = pd.DataFrame({"q1": [1.0, 9.0], "q2": [1.0, 2.0], "q3": [1.0, 1.0]})
    path = _sav(
        tmp_path / "w.sav",
        frame,
        variable_value_labels={
            "q1": {1.0: "Yes", 8.0: "Refused", 9.0: "Don't know", 99.0: "Other"},
            "q2": {1.0: "Low", 2.0: "High"},
        },
        missing_ranges={"q1": [{"lo": 8.0, "hi": 9.0}], "q2": [2.0, -1.0], "q3": [5.0]},
    )
    found = spss.value_labels(path, _spec())
    assert found.labels == {
        "q1": {1.0: "Yes", 8.0: "Refused", 9.0: "Don't know", 99.0: "Other"},
        "q2": {1.0: "Low", 2.0: "High"},
    }
    assert found.missing["q1"] == {8.0, 9.0}
    assert found.missing["q2"] == {2.0}  # -1 has no label
    assert found.missing["q3"] == set()  # no value labels


def test_the_creation_time_is_now_unless_given(answers, tmp_path):
    layout = spss.spss(Q, answers)
    before = datetime.now().replace(microsecond=0)
    _, meta = pyreadstat.read_sav(str(spss.write(layout, tmp_path / "w.sav")), metadataonly=True)
    assert before <= meta.creation_time <= datetime.now()


def test_date_times_are_read_in_the_codebooks_timestamp_format(tmp_path):
    when = datetime(2024, 3, 1, 9, 5)
    path = _sav(tmp_path / "w.sav", pd.DataFrame({"t": [when, None]}))
    table = spss.read(path, _spec(timestamp_format="%d/%m/%Y %H:%M"))
    assert table.data[0].iloc[0] == "01/03/2024 09:05" and pd.isna(table.data[0].iloc[1])


def test_a_numeric_question_of_several_columns_is_numbers_in_each():
    q = toy.questionnaire(
        {},
        answers={"s": toy.scale(["Yes"], [1], ordinal=False)},
        export={"response_id": "ID"},
        questions=[
            {"id": "n", "text": "How many?", "type": "numeric",
             "columns": [{"column": "A"}, {"column": "B"}]},
            {"id": "y", "text": "Yes?", "answers": "s"},
        ],
        survey="t",
    )  # fmt: skip
    answers = pd.DataFrame({"ID": ["r1"], "A": ["1"], "B": ["2"], "Yes?": ["Yes"]}, dtype="str")
    layout = spss.spss(q, answers)
    assert layout.numbers == ["V1", "V2"]
    assert layout.value_labels == {"V3": {1.0: "Yes"}}


def test_a_blank_text_cell_is_written_as_an_empty_string(tmp_path):
    layout = spss.spss(Q, exportkit.export_frame(Q, exportkit.random_answers(Q, 2, seed=8)))
    layout.data[0] = pd.Series(["r1", None], dtype="str")
    frame, _ = pyreadstat.read_sav(str(spss.write(layout, tmp_path / "w.sav")))
    assert frame["ResponseId"].tolist() == ["r1", ""]
