"""Every platform's export layout reads to the same validated, coded batch as the plain CSV.

The fixtures are built here (tests/support/platformkit.py) from one set of random responses, in
each platform's layout, with planted identifying metadata; ingesting each must give the frame
the plain CSV gives (so every table downstream is the same), drop the metadata, and name rows
and columns as the user sees them in that file. A new platform in the registry is covered by
every test here that runs over all layouts.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from likertflow.errors import InputError
from likertflow.ingest import ingest, ingest_export
from support import exportkit, filled, platformkit
from support import toy_codebook as toy

SURVEY = "patients"
Q = exportkit.questionnaire(SURVEY)
AGE = "What is your age? (years)"


@pytest.fixture(scope="module")
def export():
    answers = exportkit.random_answers(Q, 80, seed=8, blank_rate=0.05, unfinished_rate=0.2)
    return exportkit.export_frame(Q, answers)


@pytest.fixture(scope="module")
def plain_coded(export, tmp_path_factory):
    path = exportkit.write_export(tmp_path_factory.mktemp("plain") / "week1.csv", export)
    return ingest_export(path, Q, "week1")


def write_layout(name, export, folder, **options):
    layout = platformkit.LAYOUTS[name](Q, export)
    if layout.dictionary is not None:
        dictionary = folder / "dictionary.csv"
        layout.dictionary.to_csv(dictionary, index=False)
        layout.export["data_dictionary"] = str(dictionary)
    path = platformkit.write(
        layout, folder / f"week1{platformkit.EXTENSION.get(name, '.csv')}", **options
    )
    return layout, path


@pytest.mark.parametrize("name", list(platformkit.LAYOUTS))
def test_each_layout_ingests_to_the_plain_csv_batch(name, export, plain_coded, tmp_path):
    layout, path = write_layout(name, export, tmp_path)
    coded, dropped = ingest(path, platformkit.questionnaire_for(layout, SURVEY), "week1")
    expected = plain_coded
    if "started" not in layout.export:  # REDCap has no start times
        assert coded["started"].isna().all()
        coded, expected = coded.drop(columns="started"), expected.drop(columns="started")
    pd.testing.assert_frame_equal(coded, expected)
    # The planted metadata is dropped, by name only, and its values are nowhere in the batch.
    assert len(dropped) >= 2
    text = coded.astype("str").to_csv()
    assert not any(value in text for value in platformkit.PLANTED)
    assert not any(value in " ".join(dropped) for value in platformkit.PLANTED)


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "cp1252"), ("\t", "utf-8-sig"), (",", "utf-8-sig")]
)
def test_csv_dialects(delimiter, encoding, export, plain_coded, tmp_path):
    layout = platformkit.LAYOUTS["csv"](Q, export)
    path = platformkit.write(layout, tmp_path / "week1.csv", delimiter=delimiter, encoding=encoding)
    layout.export |= {
        "delimiter": delimiter,
        "encoding": "cp1252" if encoding == "cp1252" else "utf-8",
    }
    coded = ingest_export(path, platformkit.questionnaire_for(layout, SURVEY), "week1")
    pd.testing.assert_frame_equal(coded, plain_coded)


def test_wrong_encoding_is_an_input_error(export, tmp_path):
    layout = platformkit.LAYOUTS["csv"](Q, export)
    path = platformkit.write(layout, tmp_path / "week1.csv", delimiter=";", encoding="cp1252")
    layout.export |= {"delimiter": ";"}  # but not the encoding
    with pytest.raises(InputError, match="export.encoding"):
        ingest_export(path, platformkit.questionnaire_for(layout, SURVEY), "week1")


# name -> (data rows above the first, column name expected in messages)
ROW_OFFSET = {
    "csv": 1,
    "excel": 1,
    "qualtrics": 3,
    "qualtrics_legacy": 2,  # no ImportId row: responses start on row 3
    "qualtrics_2016": 3,
    "surveymonkey": 2,
    "limesurvey": 1,
    "redcap": 1,
    "spss": 0,
}


@pytest.mark.parametrize("name", list(ROW_OFFSET))
def test_errors_name_the_row_and_column_as_seen(name, export, tmp_path):
    bad = export.copy()
    codes = name in ("redcap", "limesurvey", "spss", "qualtrics_legacy")  # answers as codes
    bad.loc[4, AGE] = None if codes else "Over 90"
    if codes:  # code exports: an unknown code
        layout = platformkit.LAYOUTS[name](Q, bad)
        column_id = layout.ids[AGE]
        position = layout.header_rows[0].index(
            next(h for h in layout.header_rows[0] if h.startswith(column_id))
        )
        layout.data.loc[4, position] = "77"
    else:
        layout = platformkit.LAYOUTS[name](Q, bad)
    if layout.dictionary is not None:
        layout.dictionary.to_csv(tmp_path / "dictionary.csv", index=False)
        layout.export["data_dictionary"] = str(tmp_path / "dictionary.csv")
    path = platformkit.write(layout, tmp_path / f"bad{platformkit.EXTENSION.get(name, '.csv')}")
    with pytest.raises(InputError) as caught:
        ingest_export(path, platformkit.questionnaire_for(layout, SURVEY), "bad")
    [problem] = caught.value.problems
    assert problem.row == 4 + 1 + ROW_OFFSET[name]  # data row 5, below the header rows
    # By id and text where the format has both (SPSS: variable name and label).
    assert problem.column == (f"{layout.ids[AGE]}: {AGE}" if layout.ids else AGE)


def test_mixed_containers_of_one_questionnaire(export, plain_coded, tmp_path):
    """SurveyMonkey as CSV one week and XLSX the next: the same layout, the same batch."""
    layout = platformkit.LAYOUTS["surveymonkey"](Q, export)
    q = platformkit.questionnaire_for(layout, SURVEY)
    as_csv = ingest_export(platformkit.write(layout, tmp_path / "week1.csv"), q, "week1")
    as_xlsx = ingest_export(platformkit.write(layout, tmp_path / "week1.xlsx"), q, "week1")
    pd.testing.assert_frame_equal(as_csv, plain_coded)
    pd.testing.assert_frame_equal(as_xlsx, plain_coded)


def test_finished_flag_decides_duplicates_without_times(export):
    from likertflow.cleaning import keep_one_per_id

    q = exportkit.questionnaire(SURVEY)
    frame = pd.DataFrame(
        {
            "response_id": ["a", "a", "b", "b"],
            "batch": ["w1", "w2", "w1", "w2"],
            "row": [1, 1, 2, 2],
            "started": pd.Series([pd.NaT] * 4, dtype="datetime64[us]"),
            "completed": pd.Series([pd.NaT] * 4, dtype="datetime64[us]"),
            "finished": pd.array([True, False, pd.NA, pd.NA], dtype="boolean"),
            **{qid: pd.array([1, 1, 1, 1], dtype="Int16") for qid in q.question_ids},
        }
    )
    kept, detail = keep_one_per_id(frame, q.question_ids)
    # a: the finished copy, although in the earlier batch; b: unknown, so the later batch.
    assert kept.tolist() == [True, False, False, True]
    assert detail[1] == "repeat of the response kept from batch w1, row 1"


def test_a_question_text_named_twice_asks_for_matching_by_id(export, tmp_path):
    layout = platformkit.LAYOUTS["qualtrics"](Q, export)
    texts = layout.header_rows[1]
    texts[texts.index("Any other comments?")] = AGE  # Qualtrics repeats texts across blocks
    path = platformkit.write(layout, tmp_path / "week1.csv")
    with pytest.raises(InputError, match="export.match: id") as caught:
        ingest_export(path, platformkit.questionnaire_for(layout, SURVEY), "week1")
    assert caught.value.problems[0].column == AGE


def test_a_column_id_named_twice_is_not_told_to_match_by_id(tmp_path):
    """A LimeSurvey export that repeats a question code (found on a real one): with
    match: id already, the message must not send the researcher there again."""
    path = tmp_path / "week1.csv"
    path.write_text("id,Q1,Q1\n1,Yes,No\n", encoding="utf-8")
    q = toy.questionnaire(
        {},
        answers={"yes_no": toy.YES_NO},
        export={"format": "limesurvey", "match": "id", "response_id": "id"},
        questions=[{"id": "q1", "text": "Q1", "answers": "yes_no"}],
    )
    with pytest.raises(InputError) as caught:
        ingest_export(path, q, "week1")
    [problem] = caught.value.problems
    assert (problem.column, problem.value) == ("Q1", "columns 2 and 3")
    assert "export.match: id" not in problem.expected
    assert "repeats this column id" in problem.expected


def test_an_export_without_times(export, plain_coded, tmp_path):
    """Start and completion times are optional (issue 7 item 4): the batch has them as <NA>."""
    layout = platformkit.LAYOUTS["csv"](Q, export.drop(columns=["Start Date", "Completion Date"]))
    del layout.export["started"], layout.export["completed"]
    path = platformkit.write(layout, tmp_path / "week1.csv")
    coded = ingest_export(path, platformkit.questionnaire_for(layout, SURVEY), "week1")
    assert coded["started"].isna().all() and coded["completed"].isna().all()
    assert coded["finished"].isna().all()  # unknown, so the duplicate rule skips this key
    answers = plain_coded.drop(columns=["started", "completed", "finished"])
    pd.testing.assert_frame_equal(coded.drop(columns=["started", "completed", "finished"]), answers)


def test_redcap_not_completed_is_no_completion_time(export, plain_coded, tmp_path):
    """REDCap writes "[not completed]" in <form>_timestamp for a survey started but not
    completed: read as blank, the batch is the plain CSV's."""
    from likertflow.platforms.redcap import NOT_COMPLETED as REDCAP_NOT_COMPLETED

    layout = platformkit.LAYOUTS["redcap"](Q, export)
    position = layout.header_rows[0].index(layout.export["completed"])
    unfinished = layout.data[position].isna()
    assert unfinished.any()
    layout.data[position] = layout.data[position].mask(unfinished, REDCAP_NOT_COMPLETED)
    path = platformkit.write(layout, tmp_path / "week1.csv")
    coded = ingest_export(path, platformkit.questionnaire_for(layout, SURVEY), "week1")
    assert coded["started"].isna().all()
    pd.testing.assert_frame_equal(
        coded.drop(columns="started"), plain_coded.drop(columns="started")
    )


def _with_export_codes(export):
    """The questionnaire with every answer exported as "A<code>" (LimeSurvey answer codes), and
    its LimeSurvey layout."""
    from likertflow.codebook import questionnaire_codebook

    def with_export_codes(codebook):
        for answer_set in codebook["answer_sets"].values():
            for option in answer_set["options"]:
                option["export_code"] = f"A{option['code']}"
        return filled.questionnaire(questionnaire_codebook(codebook, SURVEY))

    as_written = with_export_codes(yaml.safe_load(exportkit.CODEBOOK.read_text(encoding="utf-8")))
    layout = platformkit.LAYOUTS["limesurvey"](as_written, export)
    return with_export_codes(platformkit.codebook_for(layout, SURVEY)), layout


def test_export_codes_that_are_not_the_analysed_codes(export, plain_coded, tmp_path):
    """LimeSurvey "Answer codes" (A1, A2, ...): read by each option's export_code."""
    q, layout = _with_export_codes(export)
    assert (layout.data == "A1").any().any()
    path = platformkit.write(layout, tmp_path / "week1.csv")
    pd.testing.assert_frame_equal(ingest_export(path, q, "week1"), plain_coded)


def test_an_unknown_export_code_is_reported_with_the_codes_expected(export, tmp_path):
    q, layout = _with_export_codes(export)
    heading = f"{layout.ids[AGE]}. {AGE}"
    position = layout.header_rows[0].index(heading)
    row = layout.data[position].first_valid_index()
    layout.data.loc[row, position] = "1"  # the analysed code is not what this export holds
    path = platformkit.write(layout, tmp_path / "week1.csv")
    with pytest.raises(InputError) as caught:
        ingest_export(path, q, "week1")
    [problem] = caught.value.problems
    assert problem.value == "1" and problem.row == row + 2
    [age] = [question for question in q.questions if question.text == AGE]
    codes = ", ".join(f"'A{option.code}'" for option in age.answers.options)
    assert problem.expected == f"one of the answer codes: {codes}"


def test_the_schema_names_every_platform_of_the_registry():
    """export.format's enum follows the registry: a platform module added to PLATFORMS (or
    removed) without the schema fails here."""
    from likertflow.platforms import PLATFORMS

    path = exportkit.REPO / "workflow" / "schemas" / "codebook.schema.yaml"
    schema = yaml.safe_load(path.read_text(encoding="utf-8"))
    export = schema["$defs"]["questionnaire"]["properties"]["export"]["properties"]
    assert export["format"]["enum"] == list(PLATFORMS)
    assert all(name == platform.name for name, platform in PLATFORMS.items())
    assert all(name in platform.layouts for name, platform in PLATFORMS.items())
