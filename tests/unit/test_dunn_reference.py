"""Dunn's pairs against R: the numbers of tests/r/dunn.R (Dunn 1964 with the tie correction of
dunn.test and FSA::dunnTest, p adjusted by stats::p.adjust), stored in
tests/expected/dunn_reference.csv with the command that made them, on tied Likert codes, theme
means, untied values, far-apart groups and the shipped study's Kruskal-Wallis comparisons."""

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from likertflow.comparisons import compare_outcome
from likertflow.settings import ComparisonSettings
from support import filled

DATA = REPO / "tests" / "r" / "data" / "dunn_data.csv"
EXPECTED = REPO / "tests" / "expected" / "dunn_reference.csv"
SCRIPT = REPO / "tests" / "r" / "dunn.R"
# config analysis.p_adjust -> the column of R's p.adjust method
ADJUSTMENTS = {"holm": "p_holm", "fdr_bh": "p_bh"}
# Measured (R 4.2.2, scipy 1.17.1): mean ranks and z equal to the last bit; p and adjusted p 7.2e-15
# relative at most, at p = 3.9e-65 (R's pnorm against scipy's ndtr far in the tail). The tolerance
# leaves room for other platforms' libm.
RTOL = 1e-12


def workflow_pairs(data: pd.DataFrame, method: str) -> pd.DataFrame:
    """Every data set's Dunn pairs as the workflow computes them (Kruskal-Wallis, any k)."""
    parts = []
    for name, d in data.groupby("dataset", sort=False):
        labels = d.drop_duplicates("group_position").sort_values("group_position")["group"]
        positions = np.searchsorted(np.sort(d["group_position"].unique()), d["group_position"])
        _, _, posthoc = compare_outcome(
            d["value"].to_numpy("float64"), positions, labels.tolist(),
            filled.analysis(ComparisonSettings, bootstrap_resamples=100, seed=1, p_adjust=method),
            test="kruskal_wallis",
        )  # fmt: skip
        parts.append(posthoc.assign(dataset=name))
    return pd.concat(parts, ignore_index=True)


def compare(ours: pd.DataFrame, reference: pd.DataFrame, method: str) -> None:
    keys = ["dataset", "group_a", "group_b"]
    both = reference.merge(ours, on=keys, suffixes=("_r", ""), validate="one_to_one")
    assert len(both) == len(reference) == len(ours)
    assert (both["n_a"] == both["n_a_r"]).all() and (both["n_b"] == both["n_b_r"]).all()
    for column in ["mean_rank_a", "mean_rank_b", "z", "p"]:
        np.testing.assert_allclose(both[column], both[f"{column}_r"], rtol=RTOL, atol=0,
                                   err_msg=column)  # fmt: skip
    np.testing.assert_allclose(both["p_adjusted"], both[ADJUSTMENTS[method]], rtol=RTOL, atol=0)


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(EXPECTED, comment="#")


@pytest.mark.parametrize("method", ADJUSTMENTS)
def test_dunn_pairs_equal_r(reference, method):
    data = pd.read_csv(DATA)
    compare(workflow_pairs(data, method), reference, method)


def test_reference_covers_what_it_should(reference):
    """The stored sets: shipped comparisons of 3 to 6 groups (one of 3 respondents), unequal
    sizes, no ties, p far in the tail, adjusted p capped at 1."""
    shipped = reference[reference["dataset"].str.startswith("shipped/")]
    assert shipped["dataset"].str.split("/").str[1].unique().tolist() == [
        "experts_by_experience", "experts_by_role", "patients_by_age"
    ]  # fmt: skip
    assert len(reference) == 168 and reference["dataset"].nunique() == 20
    assert reference["p"].min() < 1e-60 and (reference["p_holm"] == 1).any()
    assert min(reference["n_a"].min(), reference["n_b"].min()) == 3


@pytest.mark.slow
def test_shipped_run_posthoc_equals_r(shipped_run, reference):
    """The pairs the workflow wrote for the shipped study (holm, the shipped setting) are R's:
    the stored data are what the workflow analysed."""
    parts = []
    for path in sorted((shipped_run / "results" / "compare").glob("*.posthoc.csv")):
        table = pd.read_csv(path)
        if table.empty:  # a Mann-Whitney comparison's: no pairs (and object columns)
            continue
        parts.append(table.assign(dataset="shipped/" + table["comparison"] + "/"
                                  + table["outcome"]))  # fmt: skip
    ours = pd.concat(parts, ignore_index=True)
    ours = ours[ours["dataset"].isin(reference["dataset"])]
    assert set(ours["adjust_method"]) == {"holm"}
    compare(ours, reference[reference["dataset"].str.startswith("shipped/")], "holm")


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_recomputes_the_stored_numbers(tmp_path, reference):
    """The live check: R, run now on the stored data, gives the stored numbers."""
    out = tmp_path / "dunn.csv"
    subprocess.run(["Rscript", str(SCRIPT), str(DATA), str(out)], check=True, capture_output=True)
    fresh = pd.read_csv(out, comment="#")
    pd.testing.assert_frame_equal(fresh, reference, check_exact=False, rtol=1e-14, atol=0)
