"""The commands of a survey folder (likertflow_tools.survey, .check): several questionnaires
drafted into one codebook, drafts never written over the workflow's own files or over what a
person edited, and the pre-flight check naming each mistake at its line."""

from __future__ import annotations

import argparse

import pytest
import yaml
from conftest import REPO
from likertflow_tools import check, survey
from likertflow_tools.draft import add_arguments, export_options

EXAMPLE = REPO / "resources" / "examples" / "online_learning" / "raw"
EXPORTS = [
    ("undergraduates", EXAMPLE / "undergraduates" / "export_2024-03-11.csv", "qualtrics"),
    ("postgraduates", EXAMPLE / "postgraduates" / "export_2024-03-12.csv", "csv"),
    ("staff", EXAMPLE / "staff" / "export_2024-03-15.sav", "spss"),
]


def args(export, survey_id, fmt, into, *more):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args([str(export), "--format", fmt, "--survey", survey_id,
                              "--into", str(into), *more])  # fmt: skip


def draft_into(export, survey_id, fmt, into, *more):
    parsed = args(export, survey_id, fmt, into, *more)
    return survey.draft_into(parsed, export_options(parsed))


def test_three_questionnaires_share_one_codebook(tmp_path):
    # The second worked example: three questionnaires rating the same statements, from three
    # platforms, drafted into one survey folder.
    folder = tmp_path / "learning"
    for survey_id, export, fmt in EXPORTS:
        assert draft_into(export, survey_id, fmt, folder) == 0
    codebook = yaml.safe_load((folder / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    assert list(codebook["questionnaires"]) == [survey_id for survey_id, _, _ in EXPORTS]
    assert len(codebook["statements"]) == 16  # shared, not repeated
    assert {a for a in codebook["answer_sets"]} >= {"agreement_7", "frequency_5", "yes_no"}
    # The same question in each questionnaire has one id, so comparisons can name it.
    ids = {
        survey_id: {q["text"]: q["id"] for q in entry["questions"] if isinstance(q, dict)}
        for survey_id, entry in codebook["questionnaires"].items()
    }
    assert len({found["What is your gender?"] for found in ids.values()}) == 1
    config = yaml.safe_load((folder / "config" / "config.yaml").read_text(encoding="utf-8"))
    assert {table["survey"] for table in config["tables"].values()} == set(ids)
    assert survey.untouched(folder / "config" / "config.yaml")
    assert all((folder / "raw" / s / e.name).is_file() for s, e, _ in EXPORTS)
    problems, found = check.check(folder)
    assert problems == [] and any("3 export batch" in line or "1 export" in line for line in found)


def test_a_draft_never_writes_over_the_workflow_or_an_edited_file(tmp_path):
    _, export, fmt = EXPORTS[0]
    with pytest.raises(survey.SurveyFolderError, match="workflow's own"):
        draft_into(export, "s", fmt, REPO)
    with pytest.raises(survey.SurveyFolderError, match="shipped example"):
        survey.refuse_to_overwrite(REPO / "config" / "codebook.yaml", force=True)
    folder = tmp_path / "mine"
    draft_into(export, "undergraduates", fmt, folder)
    with pytest.raises(survey.SurveyFolderError, match="already"):
        draft_into(export, "undergraduates", fmt, folder)
    codebook = folder / "config" / "codebook.yaml"
    codebook.write_text(codebook.read_text(encoding="utf-8") + "# my note\n", encoding="utf-8")
    with pytest.raises(survey.SurveyFolderError, match="edited since it was drafted"):
        draft_into(EXPORTS[1][1], "postgraduates", "csv", folder)
    draft_into(EXPORTS[1][1], "postgraduates", "csv", folder, "--force")
    assert (folder / "config" / "codebook.yaml.bak").read_text(encoding="utf-8").endswith(
        "# my note\n"
    )


def test_check_names_each_mistake_at_its_line(tmp_path):
    folder = tmp_path / "mine"
    draft_into(EXPORTS[0][1], "undergraduates", "qualtrics", folder)
    codebook = folder / "config" / "codebook.yaml"
    text = codebook.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "ordinal: false")
    lines[at] = lines[at].replace("false", "maybe")
    codebook.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems, _ = check.check(folder)
    assert problems[0].startswith(f"config/codebook.yaml, line {at + 1}, column ")
    assert "is not of type 'boolean'" in problems[0]
    codebook.write_text(text, encoding="utf-8")
    config = folder / "config" / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("rule: item_nonresponse", "rule: platform_test")
    )
    problems, _ = check.check(folder)
    assert problems and problems[0].startswith("config/config.yaml, line ")
    assert "export.test_responses" in problems[0]
