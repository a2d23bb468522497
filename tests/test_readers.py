"""Every platform's export layout reads to the same validated, coded batch as the plain CSV.

The fixtures are built here (tests/platformkit.py) from one set of random responses, in each
platform's layout, with planted identifying metadata; ingesting each must give the frame the
plain CSV gives (so every table downstream is the same), drop the metadata, and name rows and
columns as the user sees them in that file.
"""

from __future__ import annotations

import exportkit
import pandas as pd
import platformkit
import pytest
import yaml
from likertflow.codebook import parse_questionnaire
from likertflow.errors import InputError
from likertflow.ingest import ingest, ingest_export

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


@pytest.mark.slow
def test_shipped_study_from_platform_exports(tmp_path, shipped_run):
    """The shipped exports as Qualtrics (patients; one batch as .xlsx) and SPSS (experts), with
    planted metadata: every table and ledger is byte-identical to the plain CSV run, and the
    planted values are in no file under results/ (their column names only in the dropped lists)."""
    from conftest import copy_workflow, run_snakemake

    workdir = copy_workflow(tmp_path / "run", with_data=False)
    layouts = {}
    for survey, name in (("patients", "qualtrics"), ("experts", "spss")):
        q = exportkit.questionnaire(survey)
        for number, source in enumerate(
            sorted((exportkit.REPO / "resources/raw" / survey).glob("*.csv"))
        ):
            export = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""])
            layout = platformkit.LAYOUTS[name](q, export)
            suffix = platformkit.EXTENSION.get(name, ".xlsx" if number == 1 else ".csv")
            platformkit.write(layout, workdir / "resources/raw" / survey / f"{source.stem}{suffix}")
            layouts[survey] = layout
    codebook = platformkit.codebook_for(layouts["patients"], "patients")
    codebook["questionnaires"]["experts"]["export"] = layouts["experts"].export
    (workdir / "config/codebook.yaml").write_text(
        yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    run_snakemake(workdir)
    for table in sorted((shipped_run / "results/tables").glob("*.csv")):
        assert (workdir / "results/tables" / table.name).read_bytes() == table.read_bytes(), table
    for ledger in sorted((shipped_run / "results/audit").glob("*.ledger.csv")):
        assert (workdir / "results/audit" / ledger.name).read_bytes() == ledger.read_bytes()
    names = ("IP Address", "Email Address", "Any other comments?")
    for path in (workdir / "results").rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes()
        if path.suffix == ".parquet":
            content = pd.read_parquet(path).to_csv().encode()
        assert not any(value.encode() in content for value in platformkit.PLANTED), path
        if not path.name.endswith(".dropped_columns.csv"):
            assert not any(name.encode() in content for name in names), path
    dropped = (workdir / "results/audit/experts/export_2017-07-03.dropped_columns.csv").read_text()
    assert "IPAddress: IP Address" in dropped and "Comments: Any other comments?" in dropped


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
    q = parse_questionnaire(
        {
            "survey": "toy",
            "answer_sets": {"yes_no": {"options": [{"label": "Yes", "code": 1},
                                                   {"label": "No", "code": 2}]}},  # fmt: skip
            "export": {"format": "limesurvey", "match": "id", "response_id": "id"},
            "questions": [{"id": "q1", "text": "Q1", "answers": "yes_no"}],
        }
    )
    with pytest.raises(InputError) as caught:
        ingest_export(path, q, "week1")
    [problem] = caught.value.problems
    assert (problem.column, problem.value) == ("Q1", "columns 2 and 3")
    assert "export.match: id" not in problem.expected
    assert "repeats this column id" in problem.expected


def test_batches_are_named_by_file_stem_whatever_the_container():
    from likertflow.platforms.containers import batch_files

    found = batch_files(["raw/p/w2.XLSX", "raw/p/w1.csv", "raw/p/notes.md", "raw/p/w3.sav"])
    assert found == {"w1": "raw/p/w1.csv", "w2": "raw/p/w2.XLSX", "w3": "raw/p/w3.sav"}
    with pytest.raises(ValueError, match="both export batch 'w1'"):
        batch_files(["raw/p/w1.csv", "raw/p/w1.xlsx"])


def test_export_blocks_are_checked_at_start_up(tmp_path):
    from likertflow.codebook import parse_codebook
    from likertflow.references import check_exports

    codebook = platformkit.codebook_for(platformkit.LAYOUTS["csv"](Q, pd.DataFrame()), SURVEY)
    assert check_exports({}, parse_codebook(codebook)) == []
    export = codebook["questionnaires"][SURVEY]["export"]
    export |= {"data_dictionary": str(tmp_path / "none.csv"), "statement_columns": {"nope": "Q1"}}
    problems = check_exports({}, parse_codebook(codebook))
    assert len(problems) == 2 and "none.csv" in problems[0] and "'nope'" in problems[1]


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


def _legacy_questionnaire():
    from likertflow.codebook import parse_questionnaire

    return parse_questionnaire(
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
    from likertflow.codebook import parse_export
    from likertflow.platforms import read_table

    path = tmp_path / "export.csv"
    path.write_text(f"Q1,StartDate,\nText,Start Date,\n{third_row}\nR_9,x,\n", encoding="utf-8")
    table = read_table(path, parse_export({"format": "qualtrics"}))
    assert table.first_row == header_rows + 1
    assert len(table.data) == 4 - header_rows


def test_a_third_row_partly_of_import_ids_is_an_error(tmp_path):
    from likertflow.codebook import parse_export
    from likertflow.platforms import read_table

    path = tmp_path / "export.csv"
    path.write_text(
        'Q1,StartDate\nText,Start Date\n"{""ImportId"":""QID1""}",2016-06-24\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match="partly a Qualtrics ImportId row") as caught:
        read_table(path, parse_export({"format": "qualtrics"}))
    assert caught.value.problems[0].row == 3


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
    from likertflow.codebook import parse_questionnaire, questionnaire_codebook

    def with_export_codes(codebook):
        for answer_set in codebook["answer_sets"].values():
            for option in answer_set["options"]:
                option["export_code"] = f"A{option['code']}"
        return parse_questionnaire(questionnaire_codebook(codebook, SURVEY))

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
    assert problem.expected.startswith("one of the answer codes: 'A")


def test_redcap_repeating_instrument_rows_are_named_with_what_to_do(tmp_path):
    """A record's repeating-form instances are rows of their own beside the record's row."""
    from likertflow.codebook import parse_export
    from likertflow.platforms import read_table

    path = tmp_path / "export.csv"
    path.write_text(
        "record_id,redcap_repeat_instrument,redcap_repeat_instance,height,sbp\n"
        "1,,,1.0,\n1,blood_pressure,1,,1.1\n1,blood_pressure,2,,1.2\n2,,,2.0,\n"
        "2,image,1,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="3 row.s. are instances of a REDCap repeating") as caught:
        read_table(path, parse_export({"format": "redcap", "match": "id"}))
    problems = caught.value.problems
    assert [(p.row, p.value) for p in problems] == [(3, "blood_pressure"), (6, "image")]
    assert "keep only the rows whose redcap_repeat_instrument is blank" in problems[0].expected
    # Kept only the record's own rows (the column left, blank): read as one response per record.
    path.write_text("record_id,redcap_repeat_instrument,height\n1,,1.0\n2,,2.0\n", encoding="utf-8")
    assert len(read_table(path, parse_export({"format": "redcap", "match": "id"})).data) == 2


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
