"""The one list of outputs (likertflow.outputs): what each path is, and the publishing docs'
table of folders agreeing with it. tests/workflow/test_outputs_written.py holds it against a
real run."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from likertflow.outputs import KINDS, OUTPUTS, folders, is_shareable, output_of, shareable_files


@pytest.mark.parametrize(
    ("path", "kind", "shareable"),
    [
        ("results/tables/participant_flow.csv", "table", True),
        ("results/tables/table1_patient_age.csv", "table", True),
        ("results/figures/figure5_agreement.svg", "figure", True),
        ("results/report.html", "report", True),
        ("results/audit/patients.ledger.csv", "table", False),
        ("results/audit/patients/export_2019-05-13.dropped_columns.csv", "table", False),
        ("results/ingest/patients/export_2019-05-13.parquet", "internal", False),
        ("results/compare/patients_by_age.posthoc.csv", "internal", False),
        ("results/themes/experts.reliability_warnings.csv", "internal", False),
        ("results/disclosure/experts.counts.csv", "internal", False),
        ("results/design/adults.units.csv", "internal", False),
        ("results/tables/weighted_frequencies.csv", "table", True),
        ("results/tables/paired_tests.csv", "table", True),
        ("results/tables/weighted_paired_tests.csv", "table", True),
        ("results/tables/weighted_paired_tables.csv", "table", True),
        ("logs/validate_export/patients/export_2019-05-13.log", "internal", False),
        (".snakemake/metadata/cmVzdWx0cw==", "internal", False),
        (".snakemake/likertflow/run.json", "internal", False),
    ],
)
def test_each_output_is_described(path, kind, shareable):
    output = output_of(path)
    assert output is not None, path
    assert (output.kind, output.shareable, is_shareable(path)) == (kind, shareable, shareable)


@pytest.mark.parametrize(
    "path",
    [
        "results/tables/sub/x.csv",  # a wildcard is one path component
        "results/tables/x.csv.bak",
        "results/report.html.old",
        "results/notes.txt",
        "resources/raw/patients/export.csv",
        "config/config.yaml",
    ],
)
def test_what_the_list_lacks_is_not_shareable(path):
    assert not is_shareable(path)
    assert output_of(path) is None


def test_every_entry_has_a_kind_and_says_what_it_holds():
    for output in OUTPUTS:
        assert output.kind in KINDS and len(output.holds) > 20, output


def test_publishing_docs_list_every_folder_with_the_same_answer():
    """docs/publishing.md's table of folders: one row per folder of the list, shared or not as
    the list says."""
    text = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
    section = text.split("## Every folder, what it holds, and whether it may be shared")[1]
    section = section.split("\n## ")[0]
    rows = re.findall(r"^\| `([^`]+)` \|.*\| \*\*(Yes|No)\*\*", section, flags=re.MULTILINE)
    assert {folder: answer == "Yes" for folder, answer in rows} == folders()


def test_shareable_files_of_a_project(tmp_path):
    for path in [
        "results/tables/a.csv",
        "results/figures/a.png",
        "results/report.html",
        "results/audit/s.ledger.csv",
        "logs/r/a.log",
        ".snakemake/log/x.log",
        "results/stray.txt",
    ]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    assert [p.as_posix() for p in shareable_files(tmp_path)] == [
        "results/figures/a.png",
        "results/report.html",
        "results/tables/a.csv",
    ]


def test_an_entry_of_an_unknown_kind_is_refused():
    from likertflow.outputs import Output

    message = "results/x.csv: kind 'secret' is not one of " + repr(KINDS)
    with pytest.raises(ValueError, match=re.escape(message)):
        Output("results/x.csv", "what it holds", "secret", True)
    assert Output("results/x.csv", "what it holds", "table", True).kind == "table"


def test_a_folder_with_one_private_entry_is_not_shareable(monkeypatch):
    """folders(): a folder is shared only if every entry under it is, whatever their order."""
    from likertflow import outputs
    from likertflow.outputs import Output

    monkeypatch.setattr(
        outputs,
        "OUTPUTS",
        (
            Output("results/mixed/{a}.csv", "a private table", "table", False),
            Output("results/mixed/{a}.png", "a shareable figure", "figure", True),
            Output("results/open/{a}.png", "a shareable figure", "figure", True),
            Output("results/.tmp.{a}", "a temporary name", "internal", False),
            Output("results/closed/{a}.svg", "a shareable figure", "figure", True),
            Output("results/closed/{a}.csv", "a private table", "table", False),
        ),
    )
    assert folders() == {"results/mixed/": False, "results/open/": True, "results/closed/": False}
