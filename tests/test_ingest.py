"""Ingest: reading an export, the pandera schema from the codebook, errors, coding."""

from __future__ import annotations

import logging

import exportkit
import numpy as np
import pandas as pd
import pytest
from likertflow.codebook import CODE_DTYPE
from likertflow.errors import InputError
from likertflow.ingest import (
    code_answers,
    code_export,
    export_schema,
    ingest_export,
    read_export,
    validate_export,
)

PATIENTS = exportkit.questionnaire("patients")
EXPERTS = exportkit.questionnaire("experts")
AGE = "What is your age? (years)"
SAW = "Did you see your radiological images?"
WANTED = "Did you want to see your radiological images?"
WOULD_LIKE = "Would you like to see your radiological images?"


def write(tmp_path, export: pd.DataFrame, name: str = "week1") -> str:
    return str(exportkit.write_export(tmp_path / f"{name}.csv", export))


def small_export(records=None) -> pd.DataFrame:
    records = records or [
        {"had_imaging": "Yes", "saw_images": "Yes"},
        {"had_imaging": "Yes", "saw_images": "No"},
        {"had_imaging": "No"},
        {"had_imaging": "Unsure", "completed": None},
    ]
    return exportkit.export_frame(PATIENTS, exportkit.answers_from_records(PATIENTS, records))


def problems_of(tmp_path, export: pd.DataFrame) -> tuple[str, list]:
    path = write(tmp_path, export)
    with pytest.raises(InputError) as caught:
        ingest_export(path, PATIENTS, "week1")
    return path, caught.value.problems


def test_read_export_keeps_text_and_blanks(tmp_path):
    export = small_export()
    export.loc[0, "Response ID"] = "NA"  # a real id, not a missing value
    frame = read_export(write(tmp_path, export)).frame
    assert list(frame.columns) == PATIENTS.export_columns
    assert all(pd.api.types.is_string_dtype(dtype) for dtype in frame.dtypes)
    assert frame.loc[0, "Response ID"] == "NA"
    assert frame[SAW].isna().tolist() == [False, False, True, True]


def test_schema_is_built_from_the_codebook():
    schema, skip_columns = export_schema(PATIENTS)
    assert list(schema.columns) == PATIENTS.export_columns
    assert skip_columns == [
        SAW,
        WANTED,
        "Would you have liked to see your radiological images?",
        WOULD_LIKE,
    ]
    experts_schema, experts_skips = export_schema(EXPERTS)
    assert list(experts_schema.columns) == EXPERTS.export_columns
    assert experts_skips == []


def test_valid_export_is_coded_by_the_codebook(tmp_path):
    answers = exportkit.random_answers(PATIENTS, 300, seed=3, blank_rate=0.1, unfinished_rate=0.2)
    path = write(tmp_path, exportkit.export_frame(PATIENTS, answers))
    coded = ingest_export(path, PATIENTS, "week1")
    assert list(coded.columns) == [
        "response_id",
        "batch",
        "row",
        "started",
        "completed",
        "finished",
        *PATIENTS.question_ids,
    ]
    assert coded["response_id"].tolist() == answers["response_id"].tolist()
    assert (coded["batch"] == "week1").all()
    assert coded["row"].tolist() == list(range(1, 301))
    assert pd.api.types.is_datetime64_dtype(coded["started"])
    assert coded["completed"].isna().tolist() == answers["completed"].isna().tolist()
    assert coded["started"].iloc[0] == pd.Timestamp(answers["started"].iloc[0])
    for question in PATIENTS.questions:  # independent: a plain dict lookup per answer
        expected = [
            pd.NA if pd.isna(label) else question.answers.code_of[label]
            for label in answers[question.id]
        ]
        assert coded[question.id].dtype == CODE_DTYPE
        assert coded[question.id].tolist() == expected, question.id


def test_three_wordings_make_one_variable(tmp_path):
    coded = ingest_export(write(tmp_path, small_export()), PATIENTS, "week1")
    # Everyone was asked one of the wordings; default answers are "No" (last on-scale label).
    assert coded["wants_to_see"].tolist() == [2, 2, 2, 2]
    assert coded["saw_images"].tolist()[2:] == [pd.NA, pd.NA]


def test_code_answers_keeps_off_scale_codes_and_blanks():
    answers = PATIENTS.question("age").answers
    labels = pd.Series([*answers.labels, None], dtype="str")
    coded = code_answers(labels, answers)
    assert coded.dtype == CODE_DTYPE
    assert coded.tolist() == [*answers.codes, pd.NA]
    assert code_answers(pd.Series([None, None], dtype=object), answers).tolist() == [pd.NA] * 2


def test_extra_columns_are_allowed_with_a_warning(tmp_path, caplog):
    export = small_export()
    export["IP Address"] = "127.0.0.1"
    with caplog.at_level(logging.WARNING, logger="likertflow.ingest"):
        coded = ingest_export(write(tmp_path, export), PATIENTS, "week1")
    assert "IP Address" not in coded.columns
    assert "'IP Address'" in caplog.text and "dropped" in caplog.text


def test_missing_column(tmp_path):
    path, problems = problems_of(tmp_path, small_export().drop(columns=[AGE]))
    assert len(problems) == 1
    assert problems[0].file == path and problems[0].column == AGE and problems[0].row is None
    assert "question 'age'" in problems[0].expected


def test_unknown_label(tmp_path):
    export = small_export()
    export.loc[2, AGE] = "18-24"  # hyphen, where the codebook has an en dash
    path, problems = problems_of(tmp_path, export)
    [problem] = problems
    assert (problem.file, problem.row, problem.column, problem.value) == (path, 4, AGE, "18-24")
    assert problem.expected.startswith("one of: 'Under 18', '18–24'")


def test_duplicate_and_blank_ids(tmp_path):
    export = small_export()
    export.loc[3, "Response ID"] = export.loc[0, "Response ID"]
    export.loc[1, "Response ID"] = None
    _, problems = problems_of(tmp_path, export)
    found = {(p.row, p.column, p.value) for p in problems}
    assert found == {
        (2, "Response ID", "R_000001"),
        (5, "Response ID", "R_000001"),
        (3, "Response ID", ""),
    }
    assert {p.expected for p in problems if p.row in (2, 5)} == {
        "a response id that occurs only once in the file"
    }


def test_unparseable_timestamps(tmp_path):
    export = small_export()
    export.loc[0, "Start Date"] = "07/05/2020 09:00"
    export.loc[1, "Completion Date"] = "2020-05-07T09:10:00"
    export.loc[2, "Start Date"] = None  # the start time may not be blank; completion (row 4) may
    _, problems = problems_of(tmp_path, export)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "Start Date", "07/05/2020 09:00"),
        (3, "Completion Date", "2020-05-07T09:10:00"),
        (4, "Start Date", ""),
    ]
    assert "%Y-%m-%d %H:%M:%S" in problems[0].expected


def test_skip_logic(tmp_path):
    export = small_export()
    export.loc[2, SAW] = "Yes"  # had_imaging is "No": the question was not asked
    export.loc[0, WOULD_LIKE] = "Yes"  # asked only of those without imaging
    _, problems = problems_of(tmp_path, export)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, WOULD_LIKE, "Yes"),
        (4, SAW, "Yes"),
    ]
    assert (
        problems[1].expected
        == "no answer, since this is asked only if had_imaging was answered 'Yes'"
    )
    assert "had_imaging was answered 'No' or 'Unsure'" in problems[0].expected


def test_every_problem_reported_in_file_order(tmp_path):
    export = small_export(records=[{}] * 40)
    export[AGE] = "Over 90"
    path = write(tmp_path, export.drop(columns=["Start Date"]))
    with pytest.raises(InputError) as caught:
        ingest_export(path, PATIENTS, "week1")
    problems = caught.value.problems
    assert len(problems) == 41
    assert problems[0].column == "Start Date" and problems[0].row is None
    assert [p.row for p in problems[1:]] == list(range(2, 42))  # rows as seen: the header is row 1
    message = str(caught.value)
    assert message.startswith(f"{path}: 41 problem(s)")
    assert f"{path}, row 2, column {AGE!r}: found 'Over 90'; expected one of:" in message
    assert "... and 21 more problems" in message


def test_unreadable_file(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text('"Response ID","Start Date"\n"a","2020-05-07 09:00:00","extra"\n')
    with pytest.raises(InputError, match="cannot be read as a csv export"):
        ingest_export(path, PATIENTS, "broken")


def test_validate_then_code_in_memory():
    """validate_export and code_export also work on frames that never were files."""
    answers = exportkit.random_answers(EXPERTS, 50, seed=1)
    export = exportkit.export_frame(EXPERTS, answers)
    validate_export(export, EXPERTS, "memory")
    coded = code_export(export, EXPERTS, "memory")
    role = EXPERTS.question("role").answers.code_of
    assert np.array_equal(coded["role"].to_numpy(), answers["role"].map(role).to_numpy())


def test_header_only_export_gives_an_empty_typed_batch(tmp_path):
    path = tmp_path / "week0.csv"
    exportkit.make_export(path, PATIENTS, 0)
    coded = ingest_export(path, PATIENTS, "week0")
    full = ingest_export(write(tmp_path, small_export()), PATIENTS, "week1")
    assert coded.empty and coded.dtypes.equals(full.dtypes)
