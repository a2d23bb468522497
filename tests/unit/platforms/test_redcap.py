"""REDCap (likertflow.platforms.redcap): rows of a repeating instrument are refused, saying
what to do."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from likertflow.errors import InputError
from likertflow.platforms import redcap
from likertflow.platforms.base import ValueLabels
from likertflow.platforms.preflight import Limits
from support import exportkit, filled, platformkit

FIRST = "Have you had radiological images (eg, X-rays, CT scans and MRI) taken in the past?"


def test_redcap_repeating_instrument_rows_are_named_with_what_to_do(tmp_path):
    """A record's repeating-form instances are rows of their own beside the record's row."""
    from likertflow.platforms import read_table

    path = tmp_path / "export.csv"
    path.write_text(
        "record_id,redcap_repeat_instrument,redcap_repeat_instance,height,sbp\n"
        "1,,,1.0,\n1,blood_pressure,1,,1.1\n1,blood_pressure,2,,1.2\n2,,,2.0,\n"
        "2,image,1,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="3 row.s. are instances of a REDCap repeating") as caught:
        read_table(path, filled.export({"format": "redcap", "match": "id"}))
    problems = caught.value.problems
    assert [(p.row, p.value) for p in problems] == [(3, "blood_pressure"), (6, "image")]
    assert "keep only the rows whose redcap_repeat_instrument is blank" in problems[0].expected
    # Kept only the record's own rows (the column left, blank): read as one response per record.
    path.write_text("record_id,redcap_repeat_instrument,height\n1,,1.0\n2,,2.0\n", encoding="utf-8")
    assert len(read_table(path, filled.export({"format": "redcap", "match": "id"})).data) == 2


def test_repeating_rows_are_counted_per_instrument(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "record_id,redcap_repeat_instrument\n1,\n1,visit\n2,\n2,visit\n2,visit\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        redcap.read(path, filled.export({"format": "redcap", "match": "id"}))
    assert caught.value.summary == (
        f"{path}: 3 row(s) are instances of a REDCap repeating instrument "
        "(redcap_repeat_instrument not blank), not responses; a response id must occur once "
        "per file"
    )
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        str(path), 3, "redcap_repeat_instrument", "visit",
    )  # fmt: skip
    assert problem.expected == (
        "no rows of a repeating instrument (3 row(s) of this one, the first here): export the "
        "non-repeating forms alone, or keep only the rows whose redcap_repeat_instrument is blank"
    )


# --- Reading with a data dictionary, and what the drafter takes from it (issue 17) -------------
# The layouts' round trip (test_platforms.py) reads only the fixture writer's dictionary; here a
# dictionary as REDCap downloads it (Project Setup -> Data Dictionary: every column, quoted
# headers), its checkbox fields and built-in choices.

DICTIONARY = """\
"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",\
"Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number"
record_id,survey,,text,"Record ID",,,
trust,survey,"Your care",radio,"I trust my doctor","5, Strongly agree | 4, Agree | 1, Strongly \
disagree",,
smoker,survey,,yesno,"Do you smoke?",,,
sure,survey,,truefalse,"Are you sure?",,,
visits,survey,,text,"Visits this year",,,integer
started_at,survey,,text,"Started at",,,datetime_ymd
my___field,survey,,checkbox,"Three underscores","1, One",,
weight,survey,,text,"Weight (kg)",,,number_1dp
born,survey,,text,"Date of birth",,,date_ymd
nickname,survey,,text,"Nickname",,,
openness,survey,,dropdown,"Open to trials?","0, Not open | 1, Undecided | 2, Very open",,
grade,survey,,radio,"Grade","A, Good | B, Bad",,
often,survey,,radio,"How often?","1, Never, or almost never | 2, Often",,
consent,survey,,checkbox,"I agree to","1, Take part | 2, Be contacted, by phone | x, Other",,
plain,survey,,checkbox,"Ticked","1,Take part|2,Be contacted 3 times",,
notes,survey,,notes,"Anything else?",,,
"""


def _reading(tmp_path, **keys):
    dictionary = tmp_path / "dictionary.csv"
    dictionary.write_text(DICTIONARY, encoding="utf-8")
    block = {"format": "redcap", "match": "id", "data_dictionary": str(dictionary)}
    return filled.export(block | keys)


def test_redcap_texts_come_from_the_data_dictionary(tmp_path):
    """A checkbox option's column is "<field label> - <code>"; a column the dictionary does not
    list (REDCap's own timestamp, a name after the last ___) keeps its name."""
    path = tmp_path / "export.csv"
    path.write_text(
        "record_id;trust;consent___1;consent___2;survey_timestamp;other___1;my___field___1\n"
        "1;5;1;0;2024-01-02 10:00;x;1\n",
        encoding="utf-8",
    )
    table = redcap.read(path, _reading(tmp_path, delimiter=";"))  # the dictionary keeps its commas
    assert table.ids == [
        "record_id", "trust", "consent___1", "consent___2", "survey_timestamp", "other___1",
        "my___field___1",
    ]  # fmt: skip
    assert table.texts == [
        "Record ID", "I trust my doctor", "I agree to - 1", "I agree to - 2", "survey_timestamp",
        "other___1", "Three underscores - 1",  # the code is after the last ___
    ]  # fmt: skip
    assert table.first_row == 2
    assert table.data.iloc[0].tolist() == ["1", "5", "1", "0", "2024-01-02 10:00", "x", "1"]


@pytest.mark.parametrize("match", ["id", "text"])
def test_not_completed_is_blank_in_the_time_columns_only(match, tmp_path):
    """Read as blank in the start and completion columns named as export.match names them."""
    path = tmp_path / "export.csv"
    path.write_text(
        "record_id,started_at,survey_timestamp,nickname\n"
        "1,[not completed],[not completed],[not completed]\n"
        "2,2024-01-02 09:00,2024-01-02 10:00,Al\n",
        encoding="utf-8",
    )
    started = {"id": "started_at", "text": "Started at"}[match]  # its id and its label differ
    spec = _reading(tmp_path, match=match, started=started, completed="survey_timestamp")
    data = redcap.read(path, spec).data
    assert data[1].isna().tolist() == [True, False] and data[1].iloc[1] == "2024-01-02 09:00"
    assert data[2].isna().tolist() == [True, False] and data[2].iloc[1] == "2024-01-02 10:00"
    assert data[3].tolist() == ["[not completed]", "Al"]  # not a time column: kept


def test_redcap_reader_applies_the_limits_given(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("record_id,trust\n1,Strongly agree\n", encoding="utf-8")
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=8, max_cells=100)
    spec = filled.export({"format": "redcap", "match": "id"})
    assert redcap.read(path, spec).data.iloc[0].tolist() == ["1", "Strongly agree"]
    with pytest.raises(InputError, match="8"):
        redcap.read(path, spec, limits)


def test_dictionary_columns_by_key(tmp_path):
    """Blank cells and columns the file lacks are ""; the field's name and label are kept."""
    path = tmp_path / "dictionary.csv"
    path.write_text(
        '"Variable / Field Name","Field Label","Field Type"\nrecord_id,"Record ID",\n'
        "trust,Trust,radio\n",
        encoding="utf-8",
    )
    rows = redcap.dictionary(path, filled.export({"format": "redcap", "delimiter": ";"}))
    assert rows.to_dict("list") == {
        "name": ["record_id", "trust"], "form": ["", ""], "section": ["", ""],
        "label": ["Record ID", "Trust"], "type": ["", "radio"], "choices": ["", ""],
        "validation": ["", ""],
    }  # fmt: skip
    assert redcap.field_labels(path, filled.export({"format": "redcap"})) == {
        "record_id": "Record ID", "trust": "Trust",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ('"Variable / Field Name","Form Name"', "'Field Label'"),
        ("record_id,trust", "'Variable / Field Name' or 'Field Label'"),
    ],
)
def test_a_file_that_is_not_a_data_dictionary_is_refused(header, missing, tmp_path):
    path = tmp_path / "dictionary.csv"
    path.write_text(f"{header}\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        redcap.dictionary(path, filled.export({"format": "redcap"}))
    assert caught.value.summary == f"{path}: not a REDCap data dictionary"
    [problem] = caught.value.problems
    assert problem.file == str(path)
    assert problem.expected == "columns 'Variable / Field Name' and 'Field Label'"
    assert problem.value == f"2 columns, without {missing}"


def test_choices_from_the_data_dictionary(tmp_path):
    """Whole-number codes of radio and dropdown fields with their labels, REDCap's built-in
    yes/no and true/false, a checkbox's columns with numeric codes as Unchecked/Checked, and
    the text fields validated as integers or numbers; letter codes and other fields left out."""
    found = redcap.choices(Path("unused.csv"), _reading(tmp_path))
    assert found.labels == {
        "trust": {5: "Strongly agree", 4: "Agree", 1: "Strongly disagree"},
        "smoker": {1: "Yes", 0: "No"},
        "sure": {1: "True", 0: "False"},
        "openness": {0: "Not open", 1: "Undecided", 2: "Very open"},
        "often": {1: "Never, or almost never", 2: "Often"},  # a label may hold a comma
        "my___field___1": {0: "Unchecked", 1: "Checked"},
        "consent___1": {0: "Unchecked", 1: "Checked"},
        "consent___2": {0: "Unchecked", 1: "Checked"},
        "plain___1": {0: "Unchecked", 1: "Checked"},  # choices written without spaces
        "plain___2": {0: "Unchecked", 1: "Checked"},
    }
    assert found.numbers == {"visits", "weight"}
    assert found.missing == {}
    assert redcap.choices(Path("unused.csv"), filled.export({"format": "redcap"})) == (
        ValueLabels()
    )


def test_redcap_writes_field_names_codes_and_its_dictionary():
    q = exportkit.questionnaire("patients")
    answers = exportkit.export_frame(q, exportkit.random_answers(q, 6, seed=8, unfinished_rate=0.3))
    layout = redcap.redcap(q, answers, platformkit.planted(6), "dictionary.csv")
    (names,) = layout.header_rows
    assert layout.format == "redcap"
    assert names[:5] == ["record_id", "email", "had_imaging", "saw_images", "wants_to_see"]
    assert names[5:7] == ["wants_to_see_2", "wants_to_see_3"]  # a question of three columns
    assert names[-3:] == ["comments", "patients_timestamp", "patients_complete"]
    completed = answers["Completion Date"]
    assert layout.data[names.index("patients_timestamp")].tolist() == completed.tolist()
    assert layout.data[names.index("patients_complete")].tolist() == [
        "2" if pd.notna(time) else "0" for time in completed
    ]  # REDCap: 2 Complete, 0 Incomplete
    assert layout.export == {
        "format": "redcap", "match": "id", "values": "codes", "response_id": "record_id",
        "completed": "patients_timestamp", "finished": "patients_complete",
        "finished_values": ["2"], "timestamp_format": q.export.timestamp_format,
        "data_dictionary": "dictionary.csv",
    }  # fmt: skip
    rows = layout.dictionary
    assert list(rows.columns) == [
        "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    ]  # fmt: skip
    assert rows["Variable / Field Name"].tolist() == names[:-2]  # REDCap adds the last two
    assert set(rows["Form Name"]) == {"patients"} and set(rows["Section Header"]) == {""}
    assert rows["Field Type"].tolist() == ["text", "text"] + ["radio"] * 24 + ["notes"]
    assert rows["Field Label"].tolist()[:3] == ["Record ID", "E-mail", FIRST]
    assert rows["Field Label"].tolist()[-1] == "Any other comments?"


def test_redcap_without_completion_times_or_comments():
    q = exportkit.questionnaire("patients")
    answers = exportkit.export_frame(q, exportkit.random_answers(q, 2, seed=8))
    export = dataclasses.replace(q.export, started=None, completed=None)
    layout = redcap.redcap(dataclasses.replace(q, export=export), answers)
    (names,) = layout.header_rows
    assert names[:2] == ["record_id", "had_imaging"] and names[-1] == "good_idea"
    assert layout.dictionary["Field Type"].tolist() == ["text"] + ["radio"] * 24
    assert layout.export == {
        "format": "redcap", "match": "id", "values": "codes", "response_id": "record_id",
        "timestamp_format": q.export.timestamp_format,
    }  # fmt: skip


def test_an_empty_export_or_dictionary_names_the_file(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("", encoding="utf-8")
    spec = filled.export({"format": "redcap", "match": "id"})
    for read in (redcap.read, redcap.dictionary):
        with pytest.raises(InputError) as caught:
            read(path, spec)
        assert caught.value.summary == (
            f"{path}: the file has fewer rows than the export's 1 header row(s)"
        )


def test_a_dictionary_that_is_not_text_is_named_as_one(tmp_path):
    path = tmp_path / "dictionary.csv"
    path.write_bytes(b"Variable / Field Name,Field Label\nq1,\xff\xfe\n")
    with pytest.raises(InputError) as caught:
        redcap.dictionary(path, filled.export({"format": "redcap"}))
    assert caught.value.summary == (
        f"{path}: cannot be read as a REDCap data dictionary: it is not text in utf-8"
    )
