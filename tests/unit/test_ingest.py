"""Ingest: reading an export, the pandera schema from the codebook, errors, coding."""

from __future__ import annotations

import itertools
import logging
import os
import time

import numpy as np
import pandas as pd
import pyarrow
import pytest
from likertflow.cleaning import clean
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE
from likertflow.errors import InputError, Problem
from likertflow.ingest import (
    ARROW_TIMESTAMP_LAYOUTS,
    code_answers,
    code_export,
    export_schema,
    finished_flag,
    ingest,
    ingest_export,
    nothing_to_report,
    parse_export,
    parse_times,
    validate_export,
)
from likertflow.platforms import read_export
from support import exportkit, toy_codebook
from support import numeric_study as numeric
from support.toy_codebook import all_well, designed

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


ALL_WELL = {"id": "ok", "text": "All well?", "answers": "yes_no"}


def toy(export: dict, questions: list[dict] | None = None, answers: dict | None = None):
    """A small questionnaire (of yes/no questions unless ``answers`` says otherwise) with an id
    column, for export layouts and questions the shipped codebook lacks."""
    return toy_codebook.questionnaire(
        {},
        answers=answers or {"yes_no": toy_codebook.YES_NO},
        export={"response_id": "ID", **export},
        questions=questions or [ALL_WELL],
    )


def in_memory_problems(frame: pd.DataFrame, q) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        validate_export(frame.astype("str"), q, "toy.csv")
    return caught.value.problems


def test_read_export_keeps_text_and_blanks(tmp_path):
    export = small_export()
    export.loc[0, "Response ID"] = "NA"  # a real id, not a missing value
    frame = read_export(write(tmp_path, export), PATIENTS).frame
    assert list(frame.columns) == PATIENTS.export_columns
    assert all(pd.api.types.is_string_dtype(dtype) for dtype in frame.dtypes)
    assert frame.loc[0, "Response ID"] == "NA"
    assert frame[SAW].isna().tolist() == [False, False, True, True]
    rows = read_export(write(tmp_path, export), PATIENTS).rows
    assert rows.tolist() == [2, 3, 4, 5]  # header: row 1


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
    export["Email"] = "someone@example.org"
    path = write(tmp_path, export)
    with caplog.at_level(logging.WARNING, logger="likertflow.ingest"):
        coded = ingest_export(path, PATIENTS, "week1")
    assert "IP Address" not in coded.columns
    assert caplog.messages == [
        f"{path}: 2 column(s) not in the codebook are dropped (their names are listed in the "
        "audit; their values are not kept): 'IP Address', 'Email'"
    ]


def test_missing_column(tmp_path):
    path, problems = problems_of(tmp_path, small_export().drop(columns=[AGE]))
    assert len(problems) == 1
    assert problems[0].file == path and problems[0].column == AGE and problems[0].row is None
    assert "question 'age'" in problems[0].expected


def test_missing_columns_say_what_they_were_for_in_codebook_order(tmp_path):
    """Skip logic that needs a missing column (had_imaging) adds no problem of its own."""
    had_imaging = PATIENTS.question("had_imaging").columns[0].header
    dropped = [AGE, had_imaging, "Completion Date", "Start Date", "Response ID"]
    path, problems = problems_of(tmp_path, small_export().drop(columns=dropped))
    expected = "this column (for {} in the codebook), but the header row has none"
    assert problems == [
        Problem(path, expected.format(what), column=column)
        for what, column in [
            ("the response ids", "Response ID"),
            ("the start times", "Start Date"),
            ("the completion times", "Completion Date"),
            ("question 'had_imaging'", had_imaging),
            ("question 'age'", AGE),
        ]
    ]


def test_missing_finished_flag():
    q = toy({"finished": "Finished"})
    problems = in_memory_problems(pd.DataFrame({"ID": ["a"], "All well?": ["Yes"]}), q)
    assert problems == [
        Problem(
            "toy.csv",
            "this column (for the finished flag in the codebook), "
            "but the header row has none",
            column="Finished",
        )
    ]


def test_unknown_label(tmp_path):
    export = small_export()
    export.loc[2, AGE] = "18-24"  # hyphen, where the codebook has an en dash
    path, problems = problems_of(tmp_path, export)
    [problem] = problems
    assert (problem.file, problem.row, problem.column, problem.value) == (path, 4, AGE, "18-24")
    assert problem.expected.startswith("one of: 'Under 18', '18–24'")


def test_a_label_differing_only_in_case_or_spacing_is_named(tmp_path):
    """Real exports carry edited labels ("Strongly Disagree"): the message names the label it
    nearly is, which an en dash against a hyphen (above) does not get."""
    export = small_export()
    export.loc[1, AGE] = "under  18"
    _, [problem] = problems_of(tmp_path, export)
    assert problem.expected.startswith("one of: 'Under 18', '18–24'")
    assert problem.expected.endswith(
        " (it differs from 'Under 18' only in case or spacing: write the label in the codebook "
        "as the export has it)"
    )
    export.loc[1, AGE] = "Under 81"
    _, [problem] = problems_of(tmp_path, export)
    assert "differs" not in problem.expected


def test_blank_and_one_character_ids(tmp_path):
    export = small_export()
    export["Response ID"] = ["7", " ", None, "R4"]
    path, problems = problems_of(tmp_path, export)
    assert problems == [
        Problem(path, "a non-blank response id", row=3, column="Response ID", value=" "),
        Problem(
            path, "a value (this column may not be blank)", row=4, column="Response ID", value=""
        ),
    ]


def test_ids_that_are_no_text_are_a_problem_not_a_crash():
    """An in-memory frame with numbers for ids: the check cannot run; said of the column."""
    export = small_export()
    export["Response ID"] = [1, 2, 3, 4]
    with pytest.raises(InputError) as caught:
        validate_export(export, PATIENTS, "memory")
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.expected) == (
        None,
        "Response ID",
        "a non-blank response id",
    )


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
    assert problems[0].expected == (
        "a date and time in the format %Y-%m-%d %H:%M:%S (e.g. '2020-05-07 09:30:00')"
    )


def test_timestamps_in_the_codebook_format_day_first():
    """07/05/2020 is 7 May under %d/%m/%Y, whatever a parser would guess."""
    q = toy({"started": "S", "completed": "C", "timestamp_format": "%d/%m/%Y %H:%M"})
    frame = pd.DataFrame(
        {"ID": ["a", "b"], "S": ["07/05/2020 09:00", "13/05/2020 10:15"], "C": [None, "x"]}
    ).assign(**{"All well?": "Yes"})
    [problem] = in_memory_problems(frame, q)
    assert (problem.row, problem.column, problem.value, problem.expected) == (
        3,
        "C",
        "x",
        "a date and time in the format %d/%m/%Y %H:%M (e.g. '07/05/2020 09:30')",
    )
    coded = code_export(frame.iloc[:1].astype("str"), q, "w")
    assert coded["started"].tolist() == [pd.Timestamp(2020, 5, 7, 9, 0)]
    valid = frame.iloc[:1]  # also parsed once, as ingest parses an export that may pass quickly
    coded = code_export(valid, q, "w", parse_export(valid, q))
    assert coded["started"].tolist() == [pd.Timestamp(2020, 5, 7, 9, 0)]


@pytest.mark.parametrize("timestamp_format", list(ARROW_TIMESTAMP_LAYOUTS))
def test_arrow_reads_timestamps_as_pandas_does(timestamp_format):
    """Whatever Arrow reads (the fast path of parse_times) pandas reads the same; the rest is
    pandas' to decide. Every month, leap years and not, fields at and beyond their limits."""
    fields = itertools.product(
        ["0000", "0001", "1677", "2000", "2019", "2020", "2100", "2262", "9999"],
        [f"{month:02d}" for month in range(14)],
        ["00", "01", "28", "29", "30", "31", "32"],
        ["00", "09", "23", "24", "25"],
        ["00", "59", "60", "61"],
        ["00", "59", "60", "61"],
    )
    codes = ("%Y", "%m", "%d", "%H", "%M", "%S")
    texts = set()
    for values in fields:
        text = timestamp_format
        for code, value in zip(codes, values, strict=True):
            text = text.replace(code, value)
        texts.add(text)
    texts = pd.Series(sorted(texts), dtype="str")
    expected = pd.to_datetime(texts, format=timestamp_format, errors="coerce")
    read = []
    for text in texts:  # one at a time: Arrow's cast fails a whole column on one bad value
        try:
            read.append(pyarrow.scalar(text).cast(pyarrow.timestamp("us")).value)
        except pyarrow.ArrowInvalid:
            read.append(None)
    read = pyarrow.array(read, pyarrow.int64()).cast(pyarrow.timestamp("us")).to_pandas()
    by_arrow = read.notna()
    assert by_arrow.sum() > 0
    assert read[by_arrow].equals(expected[by_arrow].astype("datetime64[us]"))
    # The fast path as used: a column Arrow reads whole, and one with a value only pandas reads.
    shuffled = texts[by_arrow].sample(frac=1, random_state=1)  # any index: values stay in place
    assert parse_times(shuffled, timestamp_format).equals(read[shuffled.index])
    assert parse_times(texts, timestamp_format).equals(expected)


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


def test_skip_logic_with_two_conditions():
    """Asked only when both conditions hold: meeting the last one alone is not enough."""
    q = toy(
        {},
        [
            {"id": "a", "text": "A?", "answers": "yes_no"},
            {"id": "b", "text": "B?", "answers": "yes_no"},
            {
                "id": "c",
                "text": "C?",
                "answers": "yes_no",
                "columns": [{"column": "C?", "asked_if": {"a": ["Yes"], "b": ["Yes", "No"]}}],
            },
        ],
    )
    frame = pd.DataFrame(
        {"ID": ["r1", "r2", "r3"], "A?": ["Yes", "No", "Yes"], "B?": ["No", "Yes", None]}
    ).assign(**{"C?": "Yes"})
    problems = in_memory_problems(frame, q)
    wording = "a was answered 'Yes' and b was answered 'Yes' or 'No'"
    assert problems == [
        Problem("toy.csv", f"no answer, since this is asked only if {wording}", r, "C?", "Yes")
        for r in (3, 4)
    ]


def test_problems_of_one_row_in_column_order():
    """A skip-logic problem sits among the other problems of its row in the file's order."""
    export = small_export()
    export.loc[2, SAW] = "Yes"  # not asked: had_imaging is "No"
    export.loc[2, AGE] = "18-24"  # after SAW in the file
    export.loc[2, "Response ID"] = " "  # before both
    problems = in_memory_problems(export, PATIENTS)
    assert [(p.row, p.column) for p in problems] == [(4, "Response ID"), (4, SAW), (4, AGE)]


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


def test_valid_exports_are_passed_without_pandera(tmp_path):
    """The quick check agrees that a valid export has nothing to report (it would not be quick
    otherwise; that it never passes a bad one, every test of a bad export shows)."""
    answers = exportkit.random_answers(PATIENTS, 300, seed=5, blank_rate=0.1, unfinished_rate=0.2)
    frame = read_export(write(tmp_path, exportkit.export_frame(PATIENTS, answers)), PATIENTS).frame
    assert nothing_to_report(frame, PATIENTS, parse_export(frame, PATIENTS))
    export_schema(PATIENTS)[0].validate(frame, lazy=True)


def test_validate_then_code_in_memory():
    """validate_export and code_export also work on frames that never were files."""
    answers = exportkit.random_answers(EXPERTS, 50, seed=1)
    export = exportkit.export_frame(EXPERTS, answers)
    validate_export(export, EXPERTS, "memory")
    coded = code_export(export, EXPERTS, "memory")
    role = EXPERTS.question("role").answers.code_of
    assert np.array_equal(coded["role"].to_numpy(), answers["role"].map(role).to_numpy())


def test_code_export_of_rows_picked_from_a_larger_frame():
    """Each row coded once, numbered from 1, whatever the frame's index."""
    q = toy({})  # no times, no finished flag
    frame = pd.DataFrame({"ID": ["a", "b", "c"], "All well?": ["Yes", None, "No"]}, dtype="str")
    picked = frame.iloc[1:]
    coded = code_export(picked, q, "w")
    assert coded["response_id"].tolist() == ["b", "c"]
    assert coded["row"].tolist() == [1, 2]
    assert coded["ok"].tolist() == [pd.NA, 2]
    assert coded["started"].isna().all() and coded["finished"].isna().all()


def test_an_export_without_an_id_column_makes_each_row_a_response(tmp_path):
    """Data handed over without ids (an SPSS file with no id variable): the codebook leaves
    response_id out, each row becomes "<batch>:<row>", and identical rows, in one export or in
    two, are all kept (nothing says they are the same response)."""
    q = toy_codebook.questionnaire(
        {}, answers={"yes_no": toy_codebook.YES_NO}, export={}, questions=[ALL_WELL]
    )
    assert q.export.response_id is None and q.export_columns == ["All well?"]
    path = tmp_path / "w1.csv"
    path.write_text("All well?\nYes\nYes\nNo\n", encoding="utf-8")
    week1 = ingest_export(path, q, "w1")
    week2 = ingest_export(path, q, "w2")
    assert week1["response_id"].tolist() == ["w1:1", "w1:2", "w1:3"]
    analysed, ledger = clean([week1, week2], q, exclusions=[])
    assert len(analysed) == 6 and (ledger["status"] == "analysed").all()
    path.write_text("All well?\nYes\nMaybe\n", encoding="utf-8")  # still validated
    with pytest.raises(InputError, match="row 3, column 'All well\\?': found 'Maybe'"):
        ingest_export(path, q, "w1")


@pytest.mark.parametrize(
    "export, finished",
    [
        ({"format": "redcap", "values": "codes"}, ["2"]),  # 1 is REDCap's "Unverified"
        ({"format": "redcap", "values": "labels"}, ["Complete"]),
        ({"format": "redcap"}, ["Complete"]),  # labels: the schema's default
        ({"format": "qualtrics"}, ["1", "Complete", "True"]),
        ({"format": "redcap", "values": "codes", "finished_values": ["1", "2"]}, ["1", "2"]),
    ],
)
def test_the_finished_flag_is_read_as_its_platform_codes_it(export, finished):
    """REDCap's <form>_complete is 0 Incomplete, 1 Unverified, 2 Complete: a draft without
    finished_values read every complete REDCap response as unfinished (found on a real export)."""
    q = toy({"finished": "F", **export})
    values = ["0", "1", "2", "Complete", "True", None]
    frame = pd.DataFrame({"ID": list("abcdef"), "F": values, "All well?": "Yes"}, dtype="str")
    flags = finished_flag(frame, q).tolist()
    assert [v for v, flag in zip(values, flags, strict=True) if flag] == finished


def test_batches_of_every_export_layout_share_one_set_of_dtypes():
    """With or without times and a finished flag: the ingested-batch contract (dtypes) holds,
    so batches concatenate without turning a column into objects."""
    layouts = {
        "times": ({"started": "S", "completed": "C", "timestamp_format": "%Y-%m-%d"}, {}),
        "flag": ({"finished": "F"}, {"F": ["True", None]}),
        "neither": ({}, {}),
    }
    dtypes = {}
    for name, (export, extra) in layouts.items():
        q = toy(export)
        frame = pd.DataFrame({"ID": ["a", "b"], "All well?": ["Yes", "No"], **extra}, dtype="str")
        if "started" in export:
            frame["S"], frame["C"] = "2020-05-07", ["2020-05-07", None]
        validate_export(frame, q, name)  # a blank finished flag is allowed
        coded = code_export(frame, q, name)
        dtypes[name] = coded.dtypes.to_dict()
        assert (
            coded["finished"].tolist()
            == {
                "times": [True, False],
                "flag": [True, False],
                "neither": [pd.NA, pd.NA],
            }[name]
        )
    assert dtypes["flag"] == dtypes["times"] == dtypes["neither"]
    assert str(dtypes["times"]["finished"]) == "boolean"
    assert str(dtypes["neither"]["started"]) == "datetime64[us]"


def test_one_option_answer_set():
    """A tick box (one option): ticked is its code, blank is missing."""
    tick = toy_codebook.scale(["I consent"], [1], ordinal=False)
    q = toy({}, [{"id": "consent", "text": "Consent", "answers": "tick"}], {"tick": tick})
    labels = pd.Series(["I consent", None, "I consent"], dtype="str")
    assert code_answers(labels, q.question("consent").answers).tolist() == [1, pd.NA, 1]


def test_header_only_export_gives_an_empty_typed_batch(tmp_path):
    path = tmp_path / "week0.csv"
    exportkit.make_export(path, PATIENTS, 0)
    coded = ingest_export(path, PATIENTS, "week0")
    full = ingest_export(write(tmp_path, small_export()), PATIENTS, "week1")
    assert coded.empty and coded.dtypes.equals(full.dtypes)


def test_numbers_are_stored_as_numbers(tmp_path):
    path = numeric.write(tmp_path, ["17", "18.5", "", "120", "0"])
    coded = ingest_export(path, numeric.questionnaire(), "w")
    assert coded["age"].dtype == NUMBER_DTYPE
    assert coded["age"].tolist()[:2] == [17.0, 18.5] and pd.isna(coded["age"][2])
    assert coded["age"].tolist()[3:] == [120.0, 0.0]


def test_bad_numbers_name_file_row_column_value_and_bounds(tmp_path):
    path = numeric.write(tmp_path, ["30", "121", "forty", "-1"])
    with pytest.raises(InputError) as caught:
        ingest_export(path, numeric.questionnaire(), "w")
    found = [(p.file, p.row, p.column, p.value, p.expected) for p in caught.value.problems]
    # Rows as a person sees them in the file (issue8): the header is line 1, "121" is on line 3.
    assert found == [
        (path, 3, numeric.AGE, "121", "a number from 0 to 120"),
        (path, 4, numeric.AGE, "forty", "a number from 0 to 120"),
        (path, 5, numeric.AGE, "-1", "a number from 0 to 120"),
    ]


@pytest.mark.parametrize(
    ("bounds", "expected", "good", "bad"),
    [
        ({"min": 0}, "a number of at least 0", ["0", "1e6"], ["-0.5", "forty"]),
        ({"max": 120}, "a number of at most 120", ["120", "-1e6"], ["120.5", "forty"]),
        ({}, "a number", ["-1e6", "1e6"], ["forty", "12 years"]),
    ],
)
def test_numbers_with_one_bound_or_none(tmp_path, bounds, expected, good, bad):
    """The expected text names only the bounds the codebook gives; a bound itself is valid."""
    coded = ingest_export(numeric.write(tmp_path, good), numeric.questionnaire(bounds), "w")
    assert coded["age"].tolist() == [float(x) for x in good]
    path = numeric.write(tmp_path, ["30", *bad])
    with pytest.raises(InputError) as caught:
        ingest_export(path, numeric.questionnaire(bounds), "w")
    found = [(p.row, p.value, p.expected) for p in caught.value.problems]
    assert found == [(3, bad[0], expected), (4, bad[1], expected)]


def test_number_asked_in_two_wordings_and_the_questions_after_it(tmp_path):
    """Each respondent answered one wording; the number comes from whichever it was."""
    young, old = "Age (under 65)", "Age (65 and over)"
    q = toy(
        {},
        [
            {"id": "over_65", "text": "65 or over?", "answers": "yes_no"},
            {
                "id": "age",
                "text": "Age",
                "type": "numeric",
                "columns": [
                    {"column": young, "asked_if": {"over_65": ["No"]}},
                    {"column": old, "asked_if": {"over_65": ["Yes"]}},
                ],
            },
            {"id": "more", "text": numeric.TEXT, "answers": "yes_no"},
        ],
    )
    path = tmp_path / "w.csv"
    pd.DataFrame(
        {
            "ID": ["a", "b", "c"],
            "65 or over?": ["No", "Yes", "Yes"],
            young: ["40", None, None],
            old: [None, "70", None],
            numeric.TEXT: ["Yes", "No", "Yes"],
        }
    ).to_csv(path, index=False)
    coded = ingest_export(path, q, "w")
    assert coded["age"].tolist()[:2] == [40.0, 70.0] and pd.isna(coded["age"][2])
    assert coded["more"].tolist() == [1, 2, 1]


# --- Response ids are normalised before anything compares them ----------------------------------

SAME_ID = ["R_HTxg1kt05ApzifJ", " R_HTxg1kt05ApzifJ ", "\u200bR_HTxg1kt05ApzifJ\ufeff",
           "\u00a0R_HTxg1kt05ApzifJ\t", "Ｒ_ＨＴxg1kt05ApzifJ"]  # fmt: skip


@pytest.mark.parametrize("other", SAME_ID[1:])
def test_a_padded_or_disguised_id_is_the_same_respondent_within_a_batch(tmp_path, other):
    export = small_export()
    export.loc[0, "Response ID"] = SAME_ID[0]
    export.loc[2, "Response ID"] = other
    _, problems = problems_of(tmp_path, export)
    assert {(p.row, p.column, p.value) for p in problems} == {
        (2, "Response ID", SAME_ID[0]),
        (4, "Response ID", SAME_ID[0]),
    }


@pytest.mark.parametrize("other", SAME_ID[1:])
def test_a_padded_id_in_another_batch_is_a_repeat_not_a_second_respondent(tmp_path, other):
    """121 experts stay 121: the padded copy of a response is excluded as its repeat, and the
    ledger names the id as compared."""
    first, second = small_export(), small_export()
    first.loc[0, "Response ID"] = SAME_ID[0]
    second["Response ID"] = [other, "R_a", "R_b", "R_c"]
    batches = [
        ingest_export(write(tmp_path, first, "week1"), PATIENTS, "week1"),
        ingest_export(write(tmp_path, second, "week2"), PATIENTS, "week2"),
    ]
    assert batches[1]["response_id"].tolist()[0] == SAME_ID[0]
    analysed, ledger = clean(batches, PATIENTS, [])
    assert (ledger["response_id"] == SAME_ID[0]).sum() == 2
    assert ledger["reason"].tolist().count("duplicate_response") == 1
    assert len(analysed) == 7


def test_ids_are_compared_as_unicode_nfkc_without_surrounding_space_or_invisible_characters():
    """Against Python's own unicodedata and str.strip, on ids of every kind of character."""
    import unicodedata

    from hypothesis import given, settings
    from hypothesis import strategies as st
    from likertflow.coding import normalise_ids

    alphabet = st.sampled_from(
        list("R_1aZ -.\t\n\x0b\x1c\x85\u00a0\u3000\u200b\u200d\ufeff\u2066Ｒ１é\u0301ﬁ")
    )

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.text(alphabet, max_size=6), min_size=1, max_size=5))
    def check(ids):
        def expected(text: str) -> str:
            normalised = unicodedata.normalize("NFKC", text)
            normalised = "".join(c for c in normalised if unicodedata.category(c) != "Cf").strip()
            return normalised or text  # a blank id is reported as it is written

        got = normalise_ids(pd.Series(ids, dtype="str")).tolist()
        assert got == [expected(text) for text in ids]

    check()


def test_design_columns_are_checked_cell_by_cell():
    # weights and population sizes must be positive finite numbers; strata and clusters may
    # not be blank; a linking id may (its response stays unmatched)
    frame = pd.DataFrame(
        {
            "ID": list("abcdefg"),
            "All well?": ["Yes"] * 7,
            "W": ["1.5", "0", None, "abc", "inf", "-2", "2"],
            "S": ["s1", None, "s1", "s2", "s2", "s1", "s3"],
            "C": ["c1", "c2", None, "c3", "c4", "c5", "c6"],
            "F": ["100", "100", "100", "100", "0", "nan", "1e3"],
            "L": ["p1", None, "p3", "", "p5", "p6", None],
        }
    )
    with pytest.raises(InputError) as caught:
        validate_export(frame, designed(), "toy.csv")
    weight = "a survey weight: a positive finite number"
    size = "the stratum's population size: a positive finite number"
    blank = "a value (this column may not be blank)"
    assert [str(problem) for problem in caught.value.problems] == [
        f"toy.csv, row 3, column 'W': found '0'; expected {weight}",
        f"toy.csv, row 3, column 'S': found ''; expected {blank}",
        f"toy.csv, row 4, column 'W': found ''; expected {blank}",
        f"toy.csv, row 4, column 'C': found ''; expected {blank}",
        f"toy.csv, row 5, column 'W': found 'abc'; expected {weight}",
        f"toy.csv, row 6, column 'W': found 'inf'; expected {weight}",
        f"toy.csv, row 6, column 'F': found '0'; expected {size}",
        f"toy.csv, row 7, column 'W': found '-2'; expected {weight}",
        f"toy.csv, row 7, column 'F': found 'nan'; expected {size}",
    ]
    validate_export(frame.iloc[[0, 6]], designed(), "toy.csv")  # the valid rows: no error


def test_design_columns_are_kept_as_numbers_and_trimmed_labels():
    frame = pd.DataFrame(
        {"ID": ["a", "b"], "All well?": ["Yes", "No"], "W": ["1.5", "2"], "S": [" s1", "s3 "],
         "C": ["c1 ", "c6"], "F": ["100", "1e3"], "L": [" p1 ", None]}  # fmt: skip
    )
    coded = code_export(frame, designed(), "w")
    assert coded["_weight"].dtype == "float64" and coded["_fpc"].dtype == "float64"
    assert coded["_weight"].tolist() == [1.5, 2.0] and coded["_fpc"].tolist() == [100.0, 1000.0]
    assert coded["_stratum"].tolist() == ["s1", "s3"] and coded["_psu"].tolist() == ["c1", "c6"]
    assert coded["_link"].iloc[0] == "p1" and pd.isna(coded["_link"].iloc[1])


def test_test_responses_are_marked_by_the_first_column_that_marks_them():
    frame = pd.DataFrame(
        {
            "ID": list("abcde"),
            "All well?": ["Yes"] * 5,
            "W": ["1"] * 5, "S": ["s"] * 5, "C": ["c"] * 5, "F": ["10"] * 5, "L": ["p"] * 5,
            "Status": ["IP Address", "Survey Preview", "Spam", None, "x"],
            "Channel": ["anonymous", "preview", "preview", "preview", None],
        }  # fmt: skip
    )
    marks = {"Status": ["Survey Preview", "Spam"], "Channel": ["preview"]}
    validate_export(frame, designed(marks), "toy.csv")  # a blank mark is no error
    coded = code_export(frame, designed(marks), "w")
    assert coded["test_response"].dtype == "str"
    assert coded["test_response"].tolist()[1:4] == [
        "Status: Survey Preview", "Status: Spam", "Channel: preview"
    ]  # fmt: skip
    assert coded["test_response"].iloc[[0, 4]].isna().all()
    assert "test_response" not in code_export(frame, designed(), "w")


def test_a_missing_mark_or_design_column_is_named_for_what_it_holds():
    frame = pd.DataFrame(
        {"ID": ["a"], "All well?": ["Yes"], "S": ["s"], "C": ["c"], "F": ["10"], "L": ["p"]}
    )
    with pytest.raises(InputError) as caught:
        validate_export(frame, designed({"Status": ["Spam"]}), "toy.csv")
    assert [(problem.column, problem.expected) for problem in caught.value.problems] == [
        ("Status", "this column (for the platform's marks of preview, test and spam responses "
         "in the codebook), but the header row has none"),
        ("W", "this column (for the survey weights (design.weight) in the codebook), but the "
         "header row has none"),
    ]  # fmt: skip


def test_a_blank_start_time_and_a_completion_time_out_of_format_are_problems():
    export = small_export()
    export.loc[1, PATIENTS.export.started] = None  # every response has started
    export.loc[2, PATIENTS.export.completed] = "tomorrow"  # blank only where not finished
    with pytest.raises(InputError) as caught:
        validate_export(export, PATIENTS, "week1.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "week1.csv, row 3, column 'Start Date': found ''; expected a value (this column may "
        "not be blank)",
        "week1.csv, row 4, column 'Completion Date': found 'tomorrow'; expected a date and time "
        "in the format %Y-%m-%d %H:%M:%S (e.g. '2020-05-07 09:30:00')",
    ]


def test_completion_times_are_checked_in_an_export_without_start_times():
    q = toy({"completed": "Done", "timestamp_format": "%Y-%m-%d %H:%M:%S"})
    frame = pd.DataFrame(
        {"ID": ["a", "b", "c"], "All well?": ["Yes"] * 3,
         "Done": ["2020-05-07 09:30:00", None, "soon"]}  # fmt: skip
    )
    with pytest.raises(InputError) as caught:
        validate_export(frame, q, "toy.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "toy.csv, row 4, column 'Done': found 'soon'; expected a date and time in the format "
        "%Y-%m-%d %H:%M:%S (e.g. '2020-05-07 09:30:00')"
    ]


def test_ingest_reads_within_the_limits_given(tmp_path):
    from likertflow.platforms.preflight import Limits

    path = tmp_path / "toy.csv"
    path.write_text("ID,All well?\nr1,Yes\nr2,Strongly agree\n", encoding="utf-8")
    q = toy({"format": "csv"})
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=9, max_cells=100)
    with pytest.raises(InputError) as caught:
        ingest(path, q, "w", limits)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "column 2")  # a cell of 14 characters


def test_ingest_waits_only_for_a_file_still_changing(tmp_path):
    path = tmp_path / "toy.csv"
    path.write_text("ID,All well?\nr1,Yes\n", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))  # left unchanged for an hour: no wait
    started = time.monotonic()
    coded, dropped = ingest(path, toy({"format": "csv"}), "w", settle_seconds=60)
    assert time.monotonic() - started < 30
    assert coded["response_id"].tolist() == ["r1"] and dropped == []


def test_pandera_reports_only_what_is_wrong_when_a_stratum_is_a_question():
    # an export the quick check cannot pass (an answer that is no label) is checked by pandera:
    # a blank finished flag or test-response mark is no problem, a stratum that is a question's
    # column keeps the question's check, and the design columns after it are still checked
    regions = [{"label": "North", "code": 1}, {"label": "South", "code": 2}]
    q = all_well(
        answer_sets={"regions": {"options": regions}},
        export={"finished": "Finished", "test_responses": {"Status": ["Spam"]}},
        design={"weight": "W", "strata": "Region", "clusters": "C", "fpc": "F"},
        questions=[{"id": "region", "text": "Region", "answers": "regions"}],
    )
    frame = pd.DataFrame(
        {"ID": ["a", "b"], "All well?": ["Maybe", "Yes"], "Region": ["Mars", "North"],
         "W": ["1", "1"], "C": ["c", "c"], "F": ["0", "10"], "Finished": [None, "True"],
         "Status": [None, "x"]}  # fmt: skip
    )
    with pytest.raises(InputError) as caught:
        validate_export(frame, q, "toy.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "toy.csv, row 2, column 'F': found '0'; expected the stratum's population size: a "
        "positive finite number",
        "toy.csv, row 2, column 'All well?': found 'Maybe'; expected one of: 'Yes', 'No'",
        "toy.csv, row 2, column 'Region': found 'Mars'; expected one of: 'North', 'South'",
    ]


def test_a_linking_id_that_is_the_response_id_keeps_the_ids_checks():
    # a panel whose platform keeps one id per person links its waves by the response id itself:
    # the id column is still checked as response ids are (once each, not blank)
    q = all_well(link_id="ID")
    frame = pd.DataFrame({"ID": ["a", "a", ""], "All well?": ["Yes", "Yes", "No"]})
    with pytest.raises(InputError) as caught:
        validate_export(frame, q, "toy.csv")
    once = "a response id that occurs only once in the file"
    assert [str(problem) for problem in caught.value.problems] == [
        f"toy.csv, row 2, column 'ID': found 'a'; expected {once}",
        f"toy.csv, row 3, column 'ID': found 'a'; expected {once}",
        "toy.csv, row 4, column 'ID': found ''; expected a non-blank response id",
    ]


def test_a_lone_blank_start_time_is_a_problem():
    export = small_export()
    export.loc[1, PATIENTS.export.started] = None  # the export's only problem
    with pytest.raises(InputError) as caught:
        validate_export(export, PATIENTS, "week1.csv")
    assert [str(problem) for problem in caught.value.problems] == [
        "week1.csv, row 3, column 'Start Date': found ''; expected a value (this column may "
        "not be blank)"
    ]


@pytest.mark.parametrize(
    ("design", "column", "values", "expected"),
    [
        ({"weight": "W"}, "W", ["2", "0"], "a survey weight: a positive finite number"),
        ({"weight": "W", "strata": "S", "clusters": "C", "fpc": "F"}, "S", ["s1", None],
         "a value (this column may not be blank)"),
    ],
)  # fmt: skip
def test_a_lone_bad_design_value_is_a_problem(design, column, values, expected):
    # the export's only problem, so that no other one sends it to pandera's check
    q = all_well(design=design)
    design_cells = {"W": ["1", "1"], "S": ["s1", "s1"], "C": ["c1", "c2"], "F": ["10", "10"]}
    frame = pd.DataFrame(
        {"ID": ["a", "b"], "All well?": ["Yes", "No"]}
        | {header: design_cells[header] for header in design.values()}
        | {column: values}
    )
    with pytest.raises(InputError) as caught:
        validate_export(frame, q, "toy.csv")
    found = "" if values[1] is None else values[1]
    assert [str(problem) for problem in caught.value.problems] == [
        f"toy.csv, row 3, column '{column}': found '{found}'; expected {expected}"
    ]
