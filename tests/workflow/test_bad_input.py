"""End to end through Snakemake: bad exports stop the run with an actionable error, no output.

One Snakemake run ingests five bad batches (``--keep-going``), one defect each; every test then
checks its batch's message (file, row, column, value, expectation), the absence of a traceback
and of the output. A second run takes small valid exports through cleaning to the participant
flow. Exports are made with tests/exportkit.py, never taken from resources/raw.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import copy_workflow, run_snakemake
from support import exportkit

pytestmark = pytest.mark.slow

PATIENTS = exportkit.questionnaire("patients")
EXPERTS = exportkit.questionnaire("experts")
AGE = "What is your age? (years)"
SAW = "Did you see your radiological images?"
AGE_LABELS = ", ".join(repr(label) for label in PATIENTS.question("age").answers.labels)


def drop_column(export):
    return export.drop(columns=[AGE])


def unknown_label(export):
    export.loc[2, AGE] = "18-24"
    return export


def duplicate_id(export):
    export.loc[3, "Response ID"] = export.loc[0, "Response ID"]
    return export


def bad_timestamp(export):
    export.loc[1, "Start Date"] = "07/05/2020 09:00"
    return export


def not_asked(export):
    export.loc[2, SAW] = "Yes"  # row 3 had no imaging, so was not asked
    return export


# kind -> (how to break a valid export, the message line the researcher must see)
BAD = {
    "missing_column": (
        drop_column,
        f"missing_column.csv, column {AGE!r}; expected this column (for question 'age'",
    ),
    "unknown_label": (
        unknown_label,
        f"unknown_label.csv, row 4, column {AGE!r}: found '18-24'; expected one of: {AGE_LABELS}",
    ),
    "duplicate_id": (
        duplicate_id,
        "duplicate_id.csv, row 5, column 'Response ID': found 'R_000001'; "
        "expected a response id that occurs only once in the file",
    ),
    "bad_timestamp": (
        bad_timestamp,
        "bad_timestamp.csv, row 3, column 'Start Date': found '07/05/2020 09:00'; "
        "expected a date and time in the format %Y-%m-%d %H:%M:%S (e.g. '2020-05-07 09:30:00')",
    ),
    "not_asked": (
        not_asked,
        f"not_asked.csv, row 4, column {SAW!r}: found 'Yes'; "
        "expected no answer, since this is asked only if had_imaging was answered 'Yes'",
    ),
}


def snakemake(workdir: Path, *targets: str) -> subprocess.CompletedProcess:
    return run_snakemake(workdir, "--keep-going", *targets, check=False, cores=1, timeout=600)


def valid_patients() -> pd.DataFrame:
    records = [{"had_imaging": "Yes", "saw_images": "Yes"}, {}, {"had_imaging": "No"}, {}]
    return exportkit.export_frame(PATIENTS, exportkit.answers_from_records(PATIENTS, records))


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp("bad_input"), with_data=False)
    raw = workdir / "resources" / "raw" / "patients"
    for kind, (spoil, _) in BAD.items():
        exportkit.write_export(raw / f"{kind}.csv", spoil(valid_patients()))
    targets = [f"results/ingest/patients/{kind}.parquet" for kind in BAD]
    return workdir, snakemake(workdir, *targets)


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_export_stops_with_an_actionable_error(bad_run, kind):
    workdir, result = bad_run
    output = result.stdout + result.stderr
    assert result.returncode != 0
    expected = f"resources/raw/patients/{BAD[kind][1]}"
    assert expected in output, output
    log = workdir / "logs" / "validate_export" / "patients" / f"{kind}.log"
    assert expected in log.read_text(encoding="utf-8")
    assert "Traceback" not in output
    assert not (workdir / "results" / "ingest" / "patients" / f"{kind}.parquet").exists()


def test_valid_exports_run_to_the_participant_flow(tmp_path):
    workdir = copy_workflow(tmp_path / "valid", with_data=False)
    raw = workdir / "resources" / "raw"
    batches = {
        ("patients", "week1"): [
            {"response_id": "p1"},
            {"response_id": "p2", "age": "Under 18"},
            {"response_id": "p3", "upset": None},  # item non-response
            {"response_id": "p4", "completed": None},  # finished later, in week2
        ],
        ("patients", "week2"): [
            {"response_id": "p4"},
            {"response_id": "p5", "had_imaging": "No"},
            {"response_id": "p1", "completed": None},  # unfinished repeat: week1's row wins
        ],
        ("experts", "week1"): [
            {"response_id": "e1"},
            {"response_id": "e2", "role": None},
            {"response_id": "e3"},
        ],
    }
    for (survey, batch), records in batches.items():
        q = exportkit.questionnaire(survey)
        answers = exportkit.answers_from_records(q, records)
        exportkit.write_export(raw / survey / f"{batch}.csv", exportkit.export_frame(q, answers))
    result = snakemake(workdir, "results/tables/participant_flow.csv")
    assert result.returncode == 0, result.stdout + result.stderr
    flow = pd.read_csv(workdir / "results" / "tables" / "participant_flow.csv")
    counts = flow.set_index(["survey", "stage"])["n"]
    stages = [
        "exported_rows",
        "duplicate_responses",
        "returned",
        "excluded_under_18",
        "excluded_item_nonresponse",
        "analysed",
    ]
    assert counts["patients"][stages].tolist() == [7, 2, 5, 1, 1, 3]
    assert counts["experts"][stages].tolist() == [3, 0, 3, 0, 1, 2]
    ledger = pd.read_csv(workdir / "results" / "audit" / "patients.ledger.csv", dtype=str)
    assert ledger[["batch", "row"]].values.tolist() == [
        ["week1", "1"], ["week1", "2"], ["week1", "3"], ["week1", "4"],
        ["week2", "1"], ["week2", "2"], ["week2", "3"],
    ]  # fmt: skip
    analysed = pd.read_parquet(workdir / "results" / "data" / "patients.analysed.parquet")
    kept = ledger[ledger["status"] == "analysed"].sort_values("response_id")
    assert kept["response_id"].tolist() == ["p1", "p4", "p5"]
    assert kept["batch"].tolist()[1] == "week2"
    assert list(analysed.columns) == PATIENTS.question_ids  # coded answers only, no identifiers
    assert len(analysed) == 3
    assert (analysed[PATIENTS.question_ids].dtypes == "Int16").all()
