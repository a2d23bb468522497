"""Figures chosen in config, through Snakemake: a dry run plans no Figure 5 when config leaves
it out, and the one real run of the shipped study writes every figure as PNG, SVG and PDF
beside the published statement frequencies it draws from."""

from __future__ import annotations

import pytest
import yaml
from conftest import copy_workflow, run_snakemake


def planned(workdir, config: dict) -> dict[str, int]:
    (workdir / "my").mkdir(exist_ok=True)
    (workdir / "my" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    plan = run_snakemake(workdir, "-n", "--quiet", "rules", "--configfile", "my/config.yaml")
    return {line.split()[0]: int(line.split()[1]) for line in plan.stdout.splitlines()
            if len(line.split()) == 2 and line.split()[1].isdigit()}  # fmt: skip


@pytest.mark.slow
def test_figure5_turned_off_in_config_is_not_planned(tmp_path, shipped_yaml):
    workdir = copy_workflow(tmp_path / "wf")
    config = dict(shipped_yaml[0])
    assert planned(workdir, config)["plot_agreement"] == 1
    rules = planned(workdir, {**config, "figures": {"draw": ["likert", "participant_flow"]}})
    assert "plot_agreement" not in rules and rules["plot_likert"] == 1  # all four in one job
    one_bar = {"agreement": {"surveys": ["experts"], "statement_sets": ["risks"]}}
    assert "plot_agreement" not in planned(workdir, {**config, "figures": one_bar})


@pytest.mark.slow
def test_the_shipped_run_writes_pdfs_and_the_statement_frequencies(shipped_run):
    figures = shipped_run / "results" / "figures"
    names = sorted(path.stem for path in figures.glob("*.png"))
    assert names and sorted(path.stem for path in figures.glob("*.pdf")) == names
    assert sorted(path.stem for path in figures.glob("*.svg")) == names
    for pdf in figures.glob("*.pdf"):
        assert b"/FontFile2" in pdf.read_bytes() and b"/Type3" not in pdf.read_bytes()
    table = (shipped_run / "results" / "tables" / "statement_frequencies.csv").read_text()
    assert table.startswith("survey,statement_set,question_id,question,response,code,n,")
    assert ",count," not in table.splitlines()[0]
