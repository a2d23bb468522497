"""Drafting a codebook from an export: valid as written, runnable once its TODOs are decided."""

from __future__ import annotations

import exportkit
import jsonschema
import platformkit
import pytest
import yaml
from likertflow.draft import SCALES, draft_codebook, to_yaml

SCHEMA = yaml.safe_load(
    (exportkit.REPO / "workflow/schemas/codebook.schema.yaml").read_text(encoding="utf-8")
)
Q = exportkit.questionnaire("patients")


def fixture(name, folder, n=120):
    answers = exportkit.random_answers(Q, n, seed=5, blank_rate=0.02, unfinished_rate=0.1)
    layout = platformkit.LAYOUTS[name](Q, exportkit.export_frame(Q, answers))
    if layout.dictionary is not None:
        layout.dictionary.to_csv(folder / "dictionary.csv", index=False)
        layout.export["data_dictionary"] = str(folder / "dictionary.csv")
    path = platformkit.write(layout, folder / f"week1{platformkit.EXTENSION.get(name, '.csv')}")
    reading = {
        k: layout.export[k]
        for k in ("format", "match", "values", "data_dictionary")
        if k in layout.export
    }
    return path, reading


@pytest.mark.parametrize("name", list(platformkit.LAYOUTS))
def test_draft_from_each_format_validates(name, tmp_path):
    path, reading = fixture(name, tmp_path)
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
    path, reading = fixture(name, tmp_path)
    codebook, _ = draft_codebook(path, reading, "patients")
    assert [s["wording"] for s in codebook["statements"]] == [q.text for q in Q.statements()]
    options = codebook["answer_sets"][codebook["statement_answers"]]["options"]
    assert [o["label"] for o in options] == dict(SCALES)["agreement_5"]
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


@pytest.mark.slow
def test_filled_draft_runs_the_workflow(tmp_path):
    """The README's steps: draft, decide the TODOs (label, a theme, skip logic), run."""
    from conftest import copy_workflow, run_snakemake

    workdir = copy_workflow(tmp_path / "run", with_data=False)
    raw = workdir / "resources/raw/patients"
    raw.mkdir(parents=True, exist_ok=True)
    path, reading = fixture("qualtrics", raw, n=200)
    codebook, _ = draft_codebook(path, reading, "patients")
    # Decide the TODOs: names, one theme over the first three statements, the skip logic.
    questionnaire = codebook["questionnaires"]["patients"]
    questionnaire["label"] = "Patients"
    [set_id] = codebook["statement_sets"]
    codebook["statement_sets"][set_id]["label"] = "Potential benefits and risks"
    codebook["themes"] = {"benefit": {"label": "Benefit", "statement_set": set_id}}
    for statement in codebook["statements"][:3]:
        statement["theme"] = "benefit"
    ids = {q["text"]: q["id"] for q in questionnaire["questions"] if isinstance(q, dict)}
    had, saw = ids[Q.question("had_imaging").text], ids[Q.question("saw_images").text]
    for question in questionnaire["questions"]:
        if isinstance(question, dict):
            rule = {
                "Did you see your radiological images?": {had: ["Yes"]},
                "Did you want to see your radiological images?": {saw: ["Yes"]},
                "Would you have liked to see your radiological images?": {saw: ["No", "Unsure"]},
                "Would you like to see your radiological images?": {had: ["No", "Unsure"]},
            }.get(question["text"])
            if rule:
                question["columns"] = [{"column": question["text"], "asked_if": rule}]
    (workdir / "config/codebook.yaml").write_text(
        yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    statements = [s["id"] for s in codebook["statements"]]
    config = {
        "codebook": "config/codebook.yaml",
        "raw_exports": "resources/raw/{survey}/{batch}.{ext}",
        "exclusions": [
            {"id": "item_nonresponse", "description": "blank", "rule": "item_nonresponse"}
        ],
        "tables": {
            "ages": {
                "survey": "patients",
                "questions": [ids["What is your age? (years)"]],
                "title": "Age",
            }
        },
        "comparisons": {
            "by_expert": {
                "by": ids["Do you consider yourself to be an expert patient?"],
                "survey": "patients",
                "outcomes": ["benefit", statements[5]],
                "family": "main",
            }
        },
        "likert_figures": {
            "figure1": {"survey": "patients", "statement_set": set_id, "title": "Statements"}
        },
    }
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    run_snakemake(workdir)
    table = (workdir / "results/tables/ages.csv").read_text(encoding="utf-8")
    assert "55 and over" in table


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
