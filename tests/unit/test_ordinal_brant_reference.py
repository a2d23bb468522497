"""The Brant test against R: the numbers of tests/r/brant.R (Brant 1990 from the published
algorithm with stats::glm fits), stored in tests/expected/brant_reference.csv with the command that
made them, on synthetic models (with and without proportional odds, a linear term, three groups)
and the shipped study's 15 adjusted models; at every split of the outcome (the standard test of
R's brant package and car::poTest) and at the workflow's quartile splits."""

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from likertflow.ordinal import brant_test, cells, separated

DATA = REPO / "tests" / "r" / "data" / "brant_data.csv"
EXPECTED = REPO / "tests" / "expected" / "brant_reference.csv"
SCRIPT = REPO / "tests" / "r" / "brant.R"
# Measured: 1.2e-8 relative at most on p (3.1e-10 on the shipped saw_images model of
# negative_impact_on_understanding), 3e-12 on the synthetic models; p far in the tail (6e-27)
# multiplies the statistic's relative difference by about half the statistic.
RTOL = 1e-7


def model(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame, np.ndarray, pd.DataFrame]:
    """(outcome values, cells of level index and design, counts, design) of one data set, coded
    as tests/r/brant.R codes it: linear_* columns as numbers, other covariates treatment-coded
    against their lowest value, R's column names."""
    covariates = [c for c in frame.columns if c not in ("dataset", "y") and frame[c].notna().any()]
    columns = {}
    for name in covariates:
        if name.startswith("linear_"):
            columns[name] = frame[name].astype(float)
            continue
        codes = sorted(frame[name].unique())
        for code in codes[1:]:
            columns[f"{name}{code:g}"] = (frame[name] == code).astype(float)
    x = pd.DataFrame(columns)
    levels, y = np.unique(frame["y"].to_numpy(), return_inverse=True)
    distinct, counts = cells(x.assign(_y=y))
    return levels, distinct, counts, x


def ours(frame: pd.DataFrame, rule: str):
    levels, distinct, counts, x = model(frame)
    splits = list(range(len(levels) - 1)) if rule == "all" else None  # None: the workflow's
    test = brant_test(distinct["_y"].to_numpy(), distinct[list(x.columns)], counts, splits)
    return levels, list(x.columns), test


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(EXPECTED, comment="#")


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(DATA)


@pytest.mark.parametrize("rule", ["all", "quartiles"])
def test_brant_equals_r(data, reference, rule):
    for name, frame in data.groupby("dataset", sort=False):
        r = reference[(reference["dataset"] == name) & (reference["splits"] == rule)]
        levels, terms, test = ours(frame, rule)
        # the same binary logits: y > each of these values
        assert ";".join(f"{levels[j]:g}" for j in test.splits) == str(r["above"].iloc[0]), name
        if r["status"].iloc[0] != "ok":  # R's glm: fitted probabilities numerically 0 or 1
            assert test.separated and np.isnan(test.p) and test.df == 0, name
            assert all(np.isnan(p) for p in test.term_p.values()), name
            continue
        assert not test.separated, name
        assert r["term"].tolist() == ["(omnibus)", *terms], name
        assert r["df"].tolist() == [test.df] + [len(test.splits) - 1] * len(terms), name
        np.testing.assert_allclose([test.p, *test.term_p.values()], r["p"], rtol=RTOL, atol=0,
                                   err_msg=name)  # fmt: skip


def test_reference_covers_what_it_should(reference):
    """Every split: the standard test on the synthetic models, separated binary fits on all 15
    shipped models. Quartile splits: every split on 4 levels (the two rules coincide), 3 of 5
    on 6 levels; on the shipped models 10 tests and 5 separated."""
    per_model = reference.drop_duplicates(["dataset", "splits"]).set_index(["dataset", "splits"])
    shipped = per_model.index.get_level_values(0).str.startswith("shipped/")
    status = per_model["status"] == "ok"
    assert shipped.sum() == 2 * 15
    assert not status[shipped & (per_model.index.get_level_values(1) == "all")].any()
    assert status[shipped & (per_model.index.get_level_values(1) == "quartiles")].sum() == 10
    assert status[~shipped].all()
    synthetic = per_model.loc[~shipped, "above"].unstack()
    assert (synthetic.loc[["synthetic/po_4levels", "synthetic/nonpo_4levels"], "all"]
            == synthetic.loc[["synthetic/po_4levels", "synthetic/nonpo_4levels"], "quartiles"]
            ).all()  # fmt: skip
    assert synthetic.loc["synthetic/po_6levels_3groups"].tolist() == ["1;2;3;4;5", "2;3;5"]
    violated = reference[reference["dataset"] == "synthetic/nonpo_4levels"]
    assert violated["p"].iloc[0] < 1e-8  # the omnibus test sees the violation


def test_packages_differ_from_brant_only_by_an_untransposed_block(reference):
    """car::poTest (and the brant package, same arithmetic) copy the covariance block above the
    diagonal below it without transposing: their omnibus statistic is the one R computes that way
    (glm's default tolerance: 1e-7 apart), not Brant's; the per-term ones are Brant's."""
    ok = reference[reference["status"] == "ok"]
    omnibus = ok["term"] == "(omnibus)"
    assert (ok.loc[~omnibus, "statistic"] == ok.loc[~omnibus, "untransposed_statistic"]).all()
    relative = (ok.loc[omnibus, "untransposed_statistic"] / ok.loc[omnibus, "statistic"] - 1).abs()
    assert relative.max() > 1e-3  # a difference that matters, not rounding
    with_car = ok[ok["car_statistic"].notna()]
    np.testing.assert_allclose(with_car["car_statistic"], with_car["untransposed_statistic"],
                               rtol=1e-5)  # fmt: skip


def test_separation_is_found_whatever_the_design():
    x = np.array([[0.0], [0.0], [1.0], [1.0], [1.0]])
    # complete: x = 1 exactly when above
    assert separated(np.array([False, False, True, True, True]), x)
    # quasi-complete: every x = 0 row below, x = 1 rows on both sides (a level all on one side,
    # as a sparse reference age group in the shipped data)
    assert separated(np.array([False, False, True, False, True]), x)
    # overlap at every level: a finite maximum
    assert not separated(np.array([False, True, True, False, True]), x)
    # a linear term separates at a threshold; a large scale changes nothing
    years = np.array([[3.0], [8.0], [15.0], [40.0], [61.0]]) * 1000
    assert separated(np.array([False, False, True, True, True]), years)
    assert not separated(np.array([False, True, False, True, True]), years)


@pytest.mark.slow
def test_shipped_run_brant_columns_equal_r(shipped_run, reference):
    """The Brant columns the workflow wrote for the shipped study are R's at the quartile splits;
    where R's glm finds a binary fit separated, they are blank and the warning says which."""
    table = pd.read_csv(shipped_run / "results" / "tables" / "ordinal_models.csv")
    table["dataset"] = "shipped/" + table["comparison"] + "/" + table["outcome"]
    r = reference[reference["splits"] == "quartiles"]
    assert set(table["dataset"]) == set(r["dataset"][r["dataset"].str.startswith("shipped/")])
    for name, rows in table.groupby("dataset"):
        expected = r[r["dataset"] == name]
        if expected["status"].iloc[0] != "ok":
            assert rows[["po_test_p", "po_term_p"]].isna().all().all(), name
            assert (rows["po_test_df"] == 0).all(), name
            assert rows["warning"].str.contains("Brant test not computed: the binary logit").all()
            continue
        assert (rows["po_test_df"] == expected["df"].iloc[0]).all(), name
        np.testing.assert_allclose(rows["po_test_p"], expected["p"].iloc[0], rtol=RTOL)
        np.testing.assert_allclose(rows["po_term_p"], expected["p"].iloc[1:], rtol=RTOL)


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_recomputes_the_stored_numbers(tmp_path, reference):
    """The live check: R, run now on the stored data, gives the stored numbers (car's column
    only where car is installed)."""
    out = tmp_path / "brant.csv"
    subprocess.run(["Rscript", str(SCRIPT), str(DATA), str(out)], check=True, capture_output=True)
    fresh = pd.read_csv(out, comment="#")
    columns = list(reference.columns)
    if fresh["car_statistic"].isna().all():
        columns.remove("car_statistic")
    pd.testing.assert_frame_equal(fresh[columns], reference[columns], check_exact=False,
                                  rtol=1e-9, atol=0)  # fmt: skip


def test_separation_does_not_depend_on_a_covariate_scale():
    """Years in units of 1e-12 or 1e6 separate as years do: the linear programme works on
    columns scaled to at most 1."""
    above = np.array([False, False, True, True, True])
    for scale in [1e-12, 1.0, 1e6]:
        years = np.array([[3.0], [8.0], [15.0], [40.0], [61.0]]) * scale
        assert separated(above, years), scale
        assert not separated(np.array([False, True, False, True, True]), years), scale
