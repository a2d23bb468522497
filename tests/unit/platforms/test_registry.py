"""The registry's seam (likertflow.platforms): which platform reads a file, the finished values,
``read_export``'s columns, names, decoding and row numbers, and ``write``'s dialect (aimed at
mutation survivors, issue 17)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from likertflow import platforms
from likertflow.platforms import FINISHED_VALUES, PLATFORMS, platform_of
from likertflow.platforms.base import Layout
from support import filled
from support import toy_codebook as toy


@pytest.mark.parametrize(
    ("name", "fmt", "platform"),
    [
        ("week1.sav", "csv", "spss"),
        ("week1.SAV", "qualtrics", "spss"),  # the container is the layout, whatever the case
        ("week1.zsav", "csv", "spss"),
        ("week1.csv", "qualtrics", "qualtrics"),
        ("week1.xlsx", "surveymonkey", "surveymonkey"),
    ],
)
def test_platform_of(name, fmt, platform):
    assert platform_of(Path(name), filled.export({"format": fmt})) is PLATFORMS[platform]


def test_finished_values_by_codebook_platform_and_default():
    assert platforms.finished_values(filled.export({"format": "redcap", "values": "codes"})) == (
        "2",
    )
    assert platforms.finished_values(filled.export({"format": "redcap", "values": "labels"})) == (
        "Complete",
    )
    assert platforms.finished_values(filled.export({"format": "qualtrics"})) == FINISHED_VALUES
    own = filled.export({"format": "redcap", "values": "codes", "finished_values": ["1", "2"]})
    assert platforms.finished_values(own) == ("1", "2")


def _questionnaire(export, questions):
    return toy.questionnaire(
        {},
        answers={"yes_no": toy.YES_NO},
        export={"response_id": "ID", **export},
        questions=questions,
    )


def test_read_export_names_keeps_and_decodes_what_the_codebook_names(tmp_path):
    """By id: a column named "<id>: <text>" where they differ; the others dropped by name, in
    file order; codes read as labels except a numeric question's; ids normalised; the rows as
    a spreadsheet numbers them below the header rows."""
    path = tmp_path / "export.csv"
    path.write_text(
        "IPAddress,ID,Q1,Q2,Q_comments\nIP Address,ID,All well?,How many?,Comments\n"
        '{"ImportId":"a"},{"ImportId":"b"},{"ImportId":"c"},{"ImportId":"d"},{"ImportId":"e"}\n'
        "1.2.3.4, r1 ,1,2,hello\n5.6.7.8,r2,9,,\n",
        encoding="utf-8",
    )
    q = _questionnaire(
        {"format": "qualtrics", "match": "id", "values": "codes"},
        [
            {"id": "ok", "text": "All well?", "answers": "yes_no", "columns": [{"column": "Q1"}]},
            {"id": "n", "text": "How many?", "type": "numeric", "columns": [{"column": "Q2"}]},
        ],
    )
    export = platforms.read_export(path, q)
    assert export.frame.columns.tolist() == ["ID", "Q1", "Q2"]
    assert export.frame["ID"].tolist() == ["r1", "r2"]
    assert export.frame["Q1"].tolist() == ["Yes", "9"]  # an unknown code stays
    assert export.frame["Q2"].tolist()[0] == "2" and pd.isna(export.frame["Q2"].iloc[1])
    assert all(dtype == "str" for dtype in export.frame.dtypes)
    assert export.rows.tolist() == [4, 5] and export.rows.dtype == "int64"
    assert export.names == {
        "IPAddress": "IPAddress: IP Address", "ID": "ID", "Q1": "Q1: All well?",
        "Q2": "Q2: How many?", "Q_comments": "Q_comments: Comments",
    }  # fmt: skip
    assert export.dropped == ["IPAddress: IP Address", "Q_comments: Comments"]


def test_read_export_by_text_without_any_column_named(tmp_path):
    """No column the codebook names: an empty frame, one row per response, all dropped."""
    path = tmp_path / "export.csv"
    path.write_text("a,b\n1,2\n3,4\n5,6\n", encoding="utf-8")
    q = _questionnaire({"format": "csv"}, [{"id": "ok", "text": "All well?", "answers": "yes_no"}])
    export = platforms.read_export(str(path), q)
    assert export.frame.shape == (3, 0)
    assert export.rows.tolist() == [2, 3, 4]
    assert export.dropped == ["a", "b"]


def _layout():
    data = pd.DataFrame({0: ["r1", "r2"], 1: ["Yes", None]})
    return Layout("csv", [["ID", "All well?"]], data, {"format": "csv"}, quoting="all")


def test_write_in_the_dialect_given(tmp_path):
    path = platforms.write(_layout(), tmp_path / "new" / "folder" / "week1.csv")
    assert path.read_bytes() == b'"ID","All well?"\r\n"r1","Yes"\r\n"r2",""\r\n'  # its quoting
    other = platforms.write(
        _layout(), tmp_path / "w.csv", delimiter=";", encoding="utf-16", quoting="minimal", eol="\n"
    )
    assert other.read_bytes().decode("utf-16") == "ID;All well?\nr1;Yes\nr2;\n"


def test_write_sav_by_its_extension(tmp_path):
    from datetime import datetime

    created = datetime(2024, 3, 29, 9, 15, 30)
    layout = Layout("spss", [["ID", "n"], ["Id", "Number"]], pd.DataFrame({0: ["a"], 1: ["3"]}), {})
    layout.numbers = ["n"]
    path = platforms.write(layout, tmp_path / "sav" / "w.sav", created=created)
    frame, meta = pyreadstat.read_sav(str(path))
    assert frame["n"].tolist() == [3.0] and meta.column_labels == ["Id", "Number"]
    assert meta.creation_time == created


def test_read_table_and_read_export_apply_the_limits_given(tmp_path):
    from likertflow.errors import InputError
    from likertflow.platforms.preflight import Limits

    path = tmp_path / "export.csv"
    path.write_text("ID,All well?\nr1,Yes\nr2,Strongly agree\n", encoding="utf-8")
    q = _questionnaire({"format": "csv"}, [{"id": "ok", "text": "All well?", "answers": "yes_no"}])
    limits = Limits(max_file_mb=1, max_line_bytes=10_000, max_cell_characters=9, max_cells=100)
    assert len(platforms.read_table(path, q.export).data) == 2
    for read in (platforms.read_table, platforms.read_export):
        with pytest.raises(InputError) as caught:
            read(path, q.export if read is platforms.read_table else q, limits)
        [problem] = caught.value.problems
        assert (problem.row, problem.column) == (3, "column 2")


def test_a_repeated_column_is_refused_word_for_word(tmp_path):
    from likertflow.errors import InputError

    path = tmp_path / "export.csv"
    path.write_text("ID,All well?,x,All well?\nr1,Yes,1,No\n", encoding="utf-8")
    q = _questionnaire({"format": "csv"}, [{"id": "ok", "text": "All well?", "answers": "yes_no"}])
    with pytest.raises(InputError) as caught:
        platforms.read_export(path, q)
    assert caught.value.summary == (
        f"{path}: two columns are both 'All well?', so the codebook cannot tell them apart"
    )
    [problem] = caught.value.problems
    assert (problem.file, problem.column, problem.value) == (
        str(path), "All well?", "columns 2 and 4",
    )  # fmt: skip
    assert problem.expected == (
        "each column the codebook names to occur once; match columns by the platform's id "
        "instead (export.match: id)"
    )
