"""Drafting a codebook from an export: valid as written, runnable once its TODOs are decided."""

from __future__ import annotations

import jsonschema
import pytest
import yaml
from likertflow_tools.draft import draft_codebook, to_yaml
from likertflow_tools.scales import catalogue
from support import exportkit, filled, platformkit

SCHEMA = yaml.safe_load(
    (exportkit.REPO / "workflow/schemas/codebook.schema.yaml").read_text(encoding="utf-8")
)
Q = exportkit.questionnaire("patients")
AGREEMENT_5 = next(scale.points for scale in catalogue() if scale.name == "agreement_5")


@pytest.mark.parametrize("name", list(platformkit.LAYOUTS))
def test_draft_from_each_format_validates(name, tmp_path):
    path, reading = platformkit.random_export(name, tmp_path)
    codebook, todos = draft_codebook(path, reading, "patients")
    text = to_yaml(codebook, todos, str(path))
    jsonschema.validate(yaml.safe_load(text), SCHEMA)
    assert text.count("# TODO") == len(todos) and any("themes" in todo for todo in todos)
    drafted = codebook["questionnaires"]["patients"]
    # Metadata recognised and left out; the planted comment is free text, not a question.
    assert drafted["export"]["response_id"] and not drafted["export"]["response_id"].startswith(
        "TODO"
    )
    texts = [q["text"] for q in drafted["questions"] if isinstance(q, dict)]
    assert not any("comment" in t.lower() or "mail" in t.lower() for t in texts)
    assert not any(value in text for value in platformkit.PLANTED)


@pytest.mark.parametrize("name", ["qualtrics", "surveymonkey", "spss", "excel"])
def test_draft_groups_the_matrix_into_statements_on_the_agreement_scale(name, tmp_path):
    path, reading = platformkit.random_export(name, tmp_path)
    codebook, _ = draft_codebook(path, reading, "patients")
    assert [s["wording"] for s in codebook["statements"]] == [q.text for q in Q.statements()]
    options = codebook["answer_sets"][codebook["statement_answers"]]["options"]
    assert [o["label"] for o in options] == list(AGREEMENT_5)
    assert codebook["answer_sets"][codebook["statement_answers"]]["ordinal"] is True


def test_known_scales_are_ordered_with_off_scale_answers(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Response ID,How often? - a,How often? - b,Happy?\n"
        "1,Often,Don't know,Very satisfied\n2,Never,Always,Dissatisfied\n"
        "3,Rarely,Sometimes,Satisfied\n",
        encoding="utf-8",
    )
    codebook, _ = draft_codebook(path, {}, "s")
    sets = codebook["answer_sets"]
    frequency = sets[codebook["statement_answers"]]["options"]
    assert [o["label"] for o in frequency] == [
        "Never",
        "Rarely",
        "Sometimes",
        "Often",
        "Always",
        "Don't know",
    ]
    assert frequency[-1]["off_scale"] is True
    [happy] = [q for q in codebook["questionnaires"]["s"]["questions"] if q != "statements"]
    assert [o["label"] for o in sets[happy["answers"]]["options"]][0] == "Very dissatisfied"


def test_numbers_are_numeric_and_rated_feedback_is_a_statement(tmp_path):
    # Ages in years are a number, not 40 answer labels; a statement about feedback rated on the
    # agreement scale is a statement, although its wording sounds like a free-text column.
    path = tmp_path / "export.csv"
    rows = ["Response ID,Age (years),Online learning - gives timely feedback,Any comments?"]
    agree = ["Agree", "Disagree", "Strongly agree", "Neither agree nor disagree"]
    rows += [f"{i},{18 + i},{agree[i % 4]},comment number {i}" for i in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    codebook, todos = draft_codebook(path, {}, "s")
    jsonschema.validate(yaml.safe_load(to_yaml(codebook, todos, str(path))), SCHEMA)
    questions = {
        q["text"]: q for q in codebook["questionnaires"]["s"]["questions"] if q != "statements"
    }
    assert (
        questions["Age (years)"]["type"] == "numeric" and "answers" not in questions["Age (years)"]
    )
    feedback = questions["Online learning - gives timely feedback"]
    labels = [o["label"] for o in codebook["answer_sets"][feedback["answers"]]["options"]]
    assert labels[0] == "Strongly disagree" and labels[-1] == "Strongly agree"
    assert "Any comments?" not in questions
    assert any("Any comments?" in todo for todo in todos)


# Real exports broke the promise that a draft validates and that its TODOs list every guess:
# each test below is one of those shapes, in a small literal fixture.


def _ingested(path, codebook, survey="s"):
    """Ingest ``path`` with the draft as it stands (a completed questionnaire label aside)."""
    from likertflow.codebook import check_codebook, questionnaire_codebook
    from likertflow.ingest import ingest

    jsonschema.validate(yaml.safe_load(to_yaml(codebook, [], str(path))), SCHEMA)
    codebook = filled.codebook(codebook)
    assert check_codebook(codebook) == []
    questionnaire = filled.questionnaire(questionnaire_codebook(codebook, survey))
    coded, _ = ingest(str(path), questionnaire, "b")
    return coded


def _sav(path, labels, missing=None):
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({"id": [1.0, 2.0, 3.0, 4.0], "q1": [1.0, 2.0, 5.0, 9.0]})
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Respondent", "Statistics makes me cry"],
        variable_value_labels={"q1": labels},
        missing_ranges={"q1": missing} if missing else None,
    )
    return path


SAQ_LABELS = {1: "Strongly agree", 2: "Agree", 3: "Neither", 4: "Disagree", 5: "Strongly disagree"}


def test_a_scale_coded_high_to_low_is_listed_low_to_high(tmp_path):
    # SPSS value labels 1 = Strongly agree ... 5 = Strongly disagree: drafted in the file's order
    # they made "Strongly agree" the low end, reversing every % agree, figure and theme.
    path = _sav(tmp_path / "saq.sav", {**SAQ_LABELS, 9: "Not answered"}, missing=[9])
    codebook, todos = draft_codebook(path, {"format": "spss", "match": "id"}, "s")
    [answers] = codebook["answer_sets"].values()
    assert answers["ordinal"] is True
    assert [(o["label"], o["code"]) for o in answers["options"]] == [
        ("Strongly disagree", 1),
        ("Disagree", 2),
        ("Neither", 3),  # a bare "Neither" is the scale's middle
        ("Agree", 4),
        ("Strongly agree", 5),
    ]  # 9 'Not answered' is user-missing in the file (read as blank): no option, a TODO
    assert any("9 'Not answered' declared missing" in todo for todo in todos)
    coded = _ingested(path, codebook)
    [question] = codebook["questionnaires"]["s"]["questions"]
    assert question["id"] == "q1"  # the SPSS variable's name
    assert coded["q1"].tolist()[:3] == [5, 4, 1]  # Strongly agree is high


def test_a_file_without_an_id_column_drafts_without_one(tmp_path):
    """Data handed over without ids (SAQ.sav): the draft leaves response_id out, says what
    that means, and ingests as it stands, each row a response."""
    import pandas as pd
    import pyreadstat

    path = tmp_path / "saq.sav"
    frame = pd.DataFrame({"q1": [1.0, 2.0, 5.0, 5.0]})
    pyreadstat.write_sav(frame, str(path), column_labels=["Statistics makes me cry"],
                         variable_value_labels={"q1": SAQ_LABELS})  # fmt: skip
    codebook, todos = draft_codebook(path, {"format": "spss", "match": "id"}, "s")
    assert "response_id" not in codebook["questionnaires"]["s"]["export"]
    assert any("each row is taken as one" in todo for todo in todos)
    coded = _ingested(path, codebook)
    assert coded["response_id"].tolist() == ["b:1", "b:2", "b:3", "b:4"]


def test_codes_against_the_scale_are_kept_as_export_codes(tmp_path):
    # Read as codes, a scale coded high to low is listed low to high and analysed 1..5 (theme
    # scores, tests and % agree follow the scale); each label keeps the file's code.
    path = _sav(tmp_path / "saq.sav", {**SAQ_LABELS, 9: "Not answered"}, missing=[9])
    reading = {"format": "spss", "match": "id", "values": "codes"}
    codebook, todos = draft_codebook(path, reading, "s")
    [answers] = codebook["answer_sets"].values()
    assert [o["code"] for o in answers["options"]] == [1, 2, 3, 4, 5]
    # The file's code where it differs from the analysed one (3 is 3 either way).
    assert [o.get("export_code") for o in answers["options"]] == ["5", "4", None, "2", "1"]
    assert answers["options"][0]["label"] == "Strongly disagree"
    assert any("codes this scale high to low" in todo for todo in todos)
    coded = _ingested(path, codebook)
    assert coded["q1"].tolist()[:3] == [5, 4, 1]  # file code 1 (Strongly agree) is 5


def test_every_set_of_no_known_scale_gets_a_todo(tmp_path):
    path = _sav(tmp_path / "levels.sav", {1: "Pears", 2: "Apples", 3: "Plums"})
    codebook, todos = draft_codebook(path, {"format": "spss"}, "s")
    [answers] = codebook["answer_sets"].values()
    assert answers["ordinal"] is False
    assert any("['Pears', 'Apples', 'Plums'] match no known scale" in todo for todo in todos)
    # Known scales whatever the case of their labels.
    path = tmp_path / "export.csv"
    path.write_text("Response ID,Q\n1,Strongly Disagree\n2,neutral\n3,Agree\n", encoding="utf-8")
    codebook, _ = draft_codebook(path, {}, "s")
    [answers] = codebook["answer_sets"].values()
    labels = [o["label"] for o in answers["options"]]
    assert labels == ["Strongly Disagree", "Disagree", "neutral", "Agree", "Strongly agree"]
    _ingested(path, codebook)


@pytest.mark.parametrize(
    "answers, order",
    [
        (["2 Moderate", "0 None", "1 Slight", "3 Severe"], [0, 1, 2, 3]),
        # Numbers nobody chose are filled in: they are points of the scale.
        (["10", "2", "0", "1", "7"], list(range(11))),
        (["Stimme voll zu - 7", "2", "Stimme gar nicht zu - 1", "6", "4"], list(range(1, 8))),
    ],
)
def test_labels_that_carry_numbers_are_in_the_order_of_their_numbers(tmp_path, answers, order):
    path = tmp_path / "export.csv"
    rows = [f"{i},{answer}" for i, answer in enumerate(answers * 3)]
    path.write_text("Response ID,Q\n" + "\n".join(rows) + "\n", encoding="utf-8")
    codebook, todos = draft_codebook(path, {}, "s")
    [answer_set] = codebook["answer_sets"].values()
    assert [o["code"] for o in answer_set["options"]] == order  # coded by their numbers
    assert answer_set["ordinal"] is True
    assert any("ordered as numbered (by the numbers the labels carry)" in t for t in todos)
    _ingested(path, codebook)


def test_negative_codes_are_off_the_scale(tmp_path):
    # Qualtrics numeric values: -1 "No basis for evaluation", -2 "Never had it".
    path = tmp_path / "export.csv"
    path.write_text(
        "Response ID,Q\n1,1\n2,3\n3,-1\n4,2\n5,-2\n6,No basis for evaluation\n",
        encoding="utf-8",
    )
    codebook, todos = draft_codebook(path, {}, "s")
    [answer_set] = codebook["answer_sets"].values()
    off = [o["label"] for o in answer_set["options"] if o.get("off_scale")]
    assert sorted(off) == ["-1", "-2", "No basis for evaluation"]
    assert [o["label"] for o in answer_set["options"] if not o.get("off_scale")] == ["1", "2", "3"]
    assert any("negative codes" in todo for todo in todos)
    _ingested(path, codebook)
    path.write_text("Response ID,Q\n1,1\n2,3\n3,-1\n4,2\n", encoding="utf-8")
    codebook, todos = draft_codebook(path, {"values": "codes"}, "s")
    [answer_set] = codebook["answer_sets"].values()
    assert [o["code"] for o in answer_set["options"] if o.get("off_scale")] == [-1]


def test_metadata_is_matched_on_whole_column_names(tmp_path):
    # Google Forms: Timestamp and a participant id; questions that mention a "duration" or a
    # "location" are questions.
    path = tmp_path / "export.csv"
    agree = ["Agree", "Disagree", "Strongly agree"]
    rows = [
        "Timestamp,Participant ID,Duration (in seconds),Which duration range fits your tenure?,"
        "Is your location convenient?"
    ]
    rows += [
        f"2024-05-0{i + 1} 10:00:00,P0{i},{30 + i},{i}-{i + 2} years,{agree[i % 3]}"
        for i in range(4)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    codebook, todos = draft_codebook(path, {}, "s")
    questionnaire = codebook["questionnaires"]["s"]
    assert questionnaire["export"]["completed"] == "Timestamp"
    assert questionnaire["export"]["response_id"] == "Participant ID"
    texts = [q["text"] for q in questionnaire["questions"]]
    assert texts == ["Which duration range fits your tenure?", "Is your location convenient?"]
    assert any("'Duration (in seconds)'" in todo for todo in todos if todo.startswith("left out"))
    _ingested(path, codebook)


def test_sparse_comments_and_identifiers_are_free_text(tmp_path):
    path = tmp_path / "export.csv"
    rows = ["Response ID,Remarks,Birth date,Q"]
    for i in range(68):
        words = "none" if i % 27 == 0 else f"remark {chr(97 + i % 26)}{chr(97 + i // 26)}"
        remark = words if i % 3 == 0 else ""  # 21 distinct remarks in 23 answers
        rows.append(f"{i},{remark},19{50 + i}-01-0{1 + i % 9},{'Yes' if i % 2 else 'No'}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    codebook, todos = draft_codebook(path, {}, "s")
    assert [q["text"] for q in codebook["questionnaires"]["s"]["questions"]] == ["Q"]
    [left_out] = [todo for todo in todos if todo.startswith("left out")]
    assert "'Remarks'" in left_out and "'Birth date'" in left_out


QUALTRICS_TWINS = (
    "ResponseId,Q3_1,Q3_2,Q4_1,Q4_2\n"
    "Response ID,How do you feel-Squash,How do you feel-Beans,"
    "How do you feel-Squash,How do you feel-Beans\n"
    '{"ImportId":"_recordId"},{"ImportId":"QID3_1"},{"ImportId":"QID3_2"},'
    '{"ImportId":"QID4_1"},{"ImportId":"QID4_2"}\n'
    "R_1,Agree,Disagree,Strongly agree,Agree\n"
    "R_2,Disagree,Agree,Agree,Strongly disagree\n"
)


def test_two_columns_with_one_text_are_matched_by_id(tmp_path):
    # Two matrices with the same rows, in Qualtrics 2016's "<stem>-<row>" (no spaces).
    path = tmp_path / "export.csv"
    path.write_text(QUALTRICS_TWINS, encoding="utf-8")
    codebook, todos = draft_codebook(path, {"format": "qualtrics"}, "s")
    export = codebook["questionnaires"]["s"]["export"]
    assert export["match"] == "id" and any(todo.startswith("export.match: id") for todo in todos)
    assert [s["wording"] for s in codebook["statements"]] == ["Squash", "Beans"] * 2
    assert sorted(export["statement_columns"].values()) == ["Q3_1", "Q3_2", "Q4_1", "Q4_2"]
    assert len(_ingested(path, codebook).columns) > 4


def test_a_plain_export_with_one_text_twice_leaves_both_out(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Response ID,Q,Q,R\n1,Yes,No,Yes\n2,No,No,Yes\n", encoding="utf-8")
    codebook, todos = draft_codebook(path, {}, "s")
    assert [q["text"] for q in codebook["questionnaires"]["s"]["questions"]] == ["R"]
    assert any("column 'Q' occurs 2 times" in todo for todo in todos)
    assert sum("column 'Q' occurs" in todo for todo in todos) == 1  # one TODO, not one a column


def test_often_blank_columns_are_named_in_the_skip_logic_todo(tmp_path):
    """With the default item_nonresponse exclusion every blank excludes a respondent: real
    drafts lost all their responses that way. The TODO names the columns to look at."""
    path = tmp_path / "export.csv"
    rows = "".join(f"{i},{'Yes' if i % 2 else ''},{'No' if i % 3 else 'Yes'}\n" for i in range(10))
    path.write_text("Response ID,Asked of some?,Asked of all?\n" + rows, encoding="utf-8")
    _, todos = draft_codebook(path, {}, "s")
    [skip] = [todo for todo in todos if todo.startswith("skip logic")]
    assert skip.endswith("blank in at least one response in five here: 'Asked of some?' 50%")


def test_an_export_that_repeats_a_column_id_leaves_both_out(tmp_path):
    """A real LimeSurvey export repeats question codes: matched by id, the draft must not name
    a column that ingest cannot tell from its twin."""
    path = tmp_path / "export.csv"
    path.write_text("id,Q,Q,R\n1,Yes,No,Yes\n2,No,No,Yes\n", encoding="utf-8")
    codebook, todos = draft_codebook(path, {"format": "limesurvey", "match": "id"}, "s")
    questions = codebook["questionnaires"]["s"]["questions"]
    assert [q.get("columns", [{}])[0].get("column", q["text"]) for q in questions] == ["R"]
    assert any("column 'Q' occurs 2 times" in todo for todo in todos)


@pytest.mark.parametrize(
    "stem, rows, reading",
    [
        (
            "Symptom Assessment",
            ["Symptom Assessment [Fatigue]", "Symptom Assessment [Headache]"],
            {},
        ),
        ("SUS1", ["SUS1[SQ001]", "SUS1[SQ002]"], {"format": "limesurvey", "match": "id"}),
    ],
)
def test_matrix_rows_of_other_layouts_are_a_statement_set(tmp_path, stem, rows, reading):
    # Google Forms grids, LimeSurvey question codes (Qualtrics 2016's "<stem>-<row>" needs its
    # ids to agree: test_two_columns_with_one_text_are_matched_by_id); the answers are pooled
    # over the matrix, so that a row where nobody chose "3 Severe" is on the same scale.
    path = tmp_path / "export.csv"
    path.write_text(
        f"id,{rows[0]},{rows[1]}\n1,0 None,1 Slight\n2,3 Severe,0 None\n3,1 Slight,2 Moderate\n",
        encoding="utf-8",
    )
    codebook, _ = draft_codebook(path, reading, "s")
    assert list(codebook["statement_stems"].values()) == [stem]
    [answer_set] = codebook["answer_sets"].values()
    assert [o["code"] for o in answer_set["options"]] == [0, 1, 2, 3]
    coded = _ingested(path, codebook)
    assert coded[codebook["statements"][0]["id"]].tolist() == [0, 3, 1]


def test_draft_from_a_qualtrics_legacy_export_reads_every_response(tmp_path):
    """Two header rows and no ImportId row: the first response is data, not a header."""
    path = tmp_path / "legacy.csv"
    path.write_bytes(platformkit.QUALTRICS_LEGACY.encode("utf-8"))
    reading = {"format": "qualtrics", "match": "id", "values": "codes"}
    codebook, _ = draft_codebook(path, reading, "s")
    [question] = codebook["questionnaires"]["s"]["questions"]
    options = codebook["answer_sets"][question["answers"]]["options"]
    assert [o["code"] for o in options] == [3, 7]
    assert codebook["questionnaires"]["s"]["export"]["response_id"] == "V1"


REDCAP_DICTIONARY = """\
"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",\
"Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number"
record_id,survey,,text,"Record ID",,,
trust,survey,,radio,"I trust my doctor","5, Strongly agree | 4, Agree | 3, Neither agree nor \
disagree | 2, Disagree | 1, Strongly disagree",,
smoker,survey,,yesno,"Do you smoke?",,,
visits,survey,,text,"Visits this year",,,integer
openness,survey,,dropdown,"Open to trials?","0, Not open | 1, Undecided | 2, Very open",,
consent,survey,,checkbox,"I agree to","1, Take part | 2, Be contacted again",,
"""


def test_redcap_draft_takes_labels_and_numbers_from_the_data_dictionary(tmp_path):
    """A raw REDCap export holds codes only; its data dictionary has each choice's label and
    which text fields are numbers. Drafted from the dictionary, a scale listed high to low is
    ordered low to high, a field nobody has answered yet is drafted, and the draft ingests."""
    dictionary = tmp_path / "dictionary.csv"
    dictionary.write_text(REDCAP_DICTIONARY, encoding="utf-8")
    path = tmp_path / "export.csv"
    path.write_text(
        "record_id,trust,smoker,visits,openness,consent___1,consent___2\n"
        "1,5,1,3,,1,0\n2,4,0,12,,1,1\n3,1,0,1,,0,0\n",
        encoding="utf-8",
    )
    reading = {"format": "redcap", "match": "id", "values": "codes",
               "data_dictionary": str(dictionary)}  # fmt: skip
    codebook, todos = draft_codebook(path, reading, "s")
    questions = {q["id"]: q for q in codebook["questionnaires"]["s"]["questions"]
                 if isinstance(q, dict)}  # fmt: skip
    by_column = {q["columns"][0]["column"] if "columns" in q else q["text"]: q
                 for q in questions.values()}  # fmt: skip
    options = {
        column: [(o["label"], o["code"]) for o in codebook["answer_sets"][q["answers"]]["options"]]
        for column, q in by_column.items()
        if "answers" in q
    }
    assert options["trust"] == [("Strongly disagree", 1), ("Disagree", 2),
                                ("Neither agree nor disagree", 3), ("Agree", 4),
                                ("Strongly agree", 5)]  # fmt: skip
    assert options["smoker"] == [("Yes", 1), ("No", 0)]
    assert options["openness"] == [("Not open", 0), ("Undecided", 1), ("Very open", 2)]
    assert options["consent___2"] == [("Unchecked", 0), ("Checked", 1)]  # REDCap's own words
    assert by_column["visits"]["type"] == "numeric"
    assert any("'visits' is a number field of the data dictionary" in todo for todo in todos)
    assert not any("label of code" in todo or "no answers" in todo for todo in todos)
    coded = _ingested(path, codebook)
    assert coded[by_column["trust"]["id"]].tolist() == [5, 4, 1]


def test_draft_reads_redcap_not_completed_as_no_time(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "record_id,survey_timestamp,q1\n1,[not completed],1\n2,2018-03-06 15:53,2\n",
        encoding="utf-8",
    )
    codebook, _ = draft_codebook(path, {"format": "redcap", "match": "id"}, "s")
    export = codebook["questionnaires"]["s"]["export"]
    assert export["completed"] == "survey_timestamp"
    assert export["timestamp_format"] == "%Y-%m-%d %H:%M"


def test_draft_from_answer_codes_that_are_not_numbers(tmp_path):
    """LimeSurvey "Answer codes": A1..A10 become options numbered 1..k with their export_code."""
    path = tmp_path / "export.csv"
    rows = "".join(f"{i},A{i % 10 + 1}\n" for i in range(12))
    path.write_text("id,Q1[SQ001]\n" + rows, encoding="utf-8")
    reading = {"format": "limesurvey", "match": "id", "values": "codes"}
    codebook, todos = draft_codebook(path, reading, "s")
    jsonschema.validate(codebook, SCHEMA)
    [answer_set] = codebook["answer_sets"].values()
    assert [o["export_code"] for o in answer_set["options"]] == [f"A{i}" for i in range(1, 11)]
    assert [o["code"] for o in answer_set["options"]] == list(range(1, 11))
    assert all(o["label"].startswith("TODO") for o in answer_set["options"])
