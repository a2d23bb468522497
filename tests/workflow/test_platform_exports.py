"""The shipped study's exports laid out as other platforms lay them run to the same results."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from conftest import copy_workflow, run_snakemake
from support import exportkit, platformkit


@pytest.mark.slow
def test_shipped_study_from_platform_exports(tmp_path, shipped_run):
    """The shipped exports as Qualtrics (patients; one batch as .xlsx) and SPSS (experts), with
    planted metadata: every table and ledger is byte-identical to the plain CSV run, and the
    planted values are in no file under results/ (their column names only in the dropped lists)."""
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
