"""A p value below 1e-320 is written as a true bound in every output of a run: two large
groups whose answers do not overlap (Mann-Whitney, and Kruskal-Wallis with Dunn's pairs), in
the per-comparison files, the published tables, the post-hoc gate's words and the Word and
Excel tables (<0.001)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import copy_workflow, run_snakemake
from support import exportkit

pytestmark = pytest.mark.slow

AGES = ["18–24", "25–34", "35–44", "45–54", "55 and over"]
SCALE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
CONFIG = {
    "codebook": "config/codebook.yaml",
    "raw_exports": "resources/raw/{survey}/{batch}.csv",
    "exclusions": [{"id": "item_nonresponse", "rule": "item_nonresponse"}],
    "tables": {"ages": {"survey": "patients", "questions": ["age"], "title": "Ages"}},
    "comparisons": {
        "patients_vs_experts": {"by": "survey", "surveys": ["patients", "experts"],
                                "outcomes": ["data_security", "logistics"], "family": "between"},
        "patients_by_age": {"survey": "patients", "by": "age", "outcomes": ["good_idea"],
                            "family": "within"},
    },  # fmt: skip
    "likert_figures": {},
}
P_COLUMNS = ["p", "p_adjusted", "gate_p_adjusted"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp("tiny_p"), with_data=False)
    rng = np.random.default_rng(5)
    for survey, n, security in [("patients", 2000, "Strongly agree"),
                                ("experts", 1000, "Strongly disagree")]:  # fmt: skip
        q = exportkit.questionnaire(survey)
        answers = exportkit.random_answers(q, n, seed=len(survey))
        answers["data_security"] = security  # the two questionnaires never overlap
        if survey == "patients":
            band = rng.integers(0, 5, n)
            answers["age"] = np.asarray(AGES, dtype=object)[band]
            answers["good_idea"] = np.asarray(SCALE, dtype=object)[band]  # one answer per band
        path = workdir / "resources" / "raw" / survey / "export1.csv"
        exportkit.write_export(path, exportkit.export_frame(q, answers))
    (workdir / "my.yaml").write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    targets = ["results/tables/comparisons.csv", "results/tables/posthoc.csv",
               "results/tables.docx", "results/tables.xlsx"]  # fmt: skip
    run_snakemake(workdir, *targets, "--configfile", "my.yaml")
    return workdir


def text(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype="str", keep_default_na=False)


def is_true_bound(cell: str, log10_p: str) -> bool:
    """``<1e-N`` with log10 p below -N: a true upper bound of the p."""
    match = re.fullmatch(r"<1e-(\d+)", cell)
    return bool(match) and float(log10_p) < -int(match.group(1))


def test_mann_whitney_p_below_1e_320_is_a_bound_everywhere(run):
    internal = text(run / "results/compare/patients_vs_experts.tests.csv").set_index("outcome")
    published = text(run / "results/tables/comparisons.csv").set_index(["comparison", "outcome"])
    row = published.loc[("patients_vs_experts", "data_security")]
    assert float(row["log10_p"]) < -320  # p below 1e-320
    for frame_row in [internal.loc["data_security"], row]:
        assert is_true_bound(frame_row["p"], frame_row["log10_p"]), frame_row["p"]
    assert is_true_bound(row["p_adjusted"], row["log10_p_adjusted"])
    # Holm over the family's 2 tests (data_security, logistics): the smallest p times 2
    assert float(row["log10_p_adjusted"]) == pytest.approx(float(row["log10_p"]) + math.log10(2))


def test_kruskal_wallis_and_dunn_pairs_and_the_gate_state_bounds(run):
    published = text(run / "results/tables/comparisons.csv").set_index(["comparison", "outcome"])
    test = published.loc[("patients_by_age", "good_idea")]
    assert float(test["log10_p"]) < -320 and is_true_bound(test["p"], test["log10_p"])
    posthoc = text(run / "results/tables/posthoc.csv")
    assert len(posthoc) == 10  # the gate let the pairs through
    extreme = posthoc[(posthoc.group_a == "18–24") & (posthoc.group_b == "55 and over")].iloc[0]
    assert is_true_bound(extreme["p"], extreme["log10_p"])
    assert is_true_bound(extreme["p_adjusted"], extreme["log10_p_adjusted"])
    assert is_true_bound(extreme["gate_p_adjusted"], extreme["gate_log10_p_adjusted"])
    bound = extreme["gate_p_adjusted"][1:]
    assert extreme["gate"] == (
        f"Kruskal-Wallis H: p adjusted (holm, family within) < {bound} < alpha 0.05"
    )


def test_no_p_is_written_as_zero_anywhere(run):
    frames = [*(run / "results/tables").glob("*.csv"), *(run / "results/compare").glob("*.csv")]
    seen = 0
    for path in frames:
        frame = text(path)
        for column in [c for c in P_COLUMNS if c in frame]:
            for cell in frame[column]:
                if cell:
                    seen += 1
                    assert cell.startswith("<") or float(cell) > 0, (path.name, column, cell)
        assert "= 0 <" not in " ".join(frame.get("gate", pd.Series(dtype=str)))
    assert seen > 20


def test_the_word_and_excel_tables_print_less_than_0_001(run):
    from support.manuscript_check import check_run, read_docx, read_xlsx

    check_run(run, run / "my.yaml")  # every p printed agrees with the CSVs' (bounds: <0.001)
    for tables in [read_docx(run / "results/tables.docx"), read_xlsx(run / "results/tables.xlsx")]:
        comparison = next(t for t in tables if "compared" in t.caption)
        security = next(row for row in comparison.rows if "data security" in row[0])
        assert security[-2:] == ["<0.001", "<0.001"]
