"""A workflow run on a small survey that uses issue 7's codebook keys, checked against an
independent computation from the export itself: a numeric age with bands and an under-18
exclusion, an optional question, a six-point scale with "Don't know", a reverse-keyed statement,
and a second answer scale (frequency) with its own `agree`."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, copy_workflow, run_snakemake
from scipy import stats

SIX = ["Strongly disagree", "Disagree", "Slightly disagree", "Slightly agree", "Agree",
       "Strongly agree"]  # fmt: skip
FREQUENCY = ["Never", "Sometimes", "Often", "Always"]
TRUST = ["Scientists are honest", "Scientists work for the public good", "Scientists hide things"]
USE = ["I read science news", "I share science news"]


def export(n: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)

    def item(sign):
        x = np.clip(np.round(3.5 + sign * 1.3 * latent + rng.normal(scale=0.8, size=n)), 1, 6)
        labels = np.array([SIX[int(i) - 1] for i in x], dtype=object)
        labels[rng.random(n) < 0.05] = "Don't know"
        return labels

    return pd.DataFrame(
        {
            "ID": [f"r{i}" for i in range(n)],
            "Start": "2024-01-01",
            "End": "2024-01-02",
            "Age in years": rng.integers(14, 90, n).astype(str),
            "Sex": rng.choice(["Female", "Male", ""], n, p=[0.5, 0.45, 0.05]),
            TRUST[0]: item(1),
            TRUST[1]: item(1),
            TRUST[2]: item(-1),  # worded the other way
            USE[0]: rng.choice(FREQUENCY, n),
            USE[1]: rng.choice([*FREQUENCY, ""], n, p=[0.2, 0.3, 0.2, 0.2, 0.1]),
        }
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp("semantics"), with_data=False)
    shutil.copytree(REPO / "tests" / "data" / "semantics", workdir / "my")
    raw = workdir / "resources" / "raw" / "adults"
    raw.mkdir(parents=True)
    export().to_csv(raw / "export1.csv", index=False)
    run_snakemake(workdir, "--configfile", "my/config.yaml")
    return workdir


def expected_cohort() -> pd.DataFrame:
    """The analysed respondents, computed here from the export and the config's rules."""
    raw = export().replace("", np.nan)
    kept = raw[raw["Age in years"].astype(float) >= 18]  # less_than 18: 18 itself is kept
    required = [c for c in kept.columns if c != "Sex"]  # Sex is optional
    return kept[kept[required].notna().all(axis=1)]


def trust_codes(cohort: pd.DataFrame) -> np.ndarray:
    code = {label: i + 1 for i, label in enumerate(SIX)}  # Don't know: NaN
    codes = np.column_stack([cohort[c].map(code).to_numpy(float) for c in TRUST])
    codes[:, 2] = 7 - codes[:, 2]  # reverse-keyed: 1..6 mirrored
    return codes


@pytest.mark.slow
def test_cohort_and_banded_table(run):
    cohort = expected_cohort()
    flow = pd.read_csv(run / "results/tables/participant_flow.csv").set_index("stage")["n"]
    raw_age = export()["Age in years"].astype(float)
    assert flow["excluded_under_18"] == int((raw_age < 18).sum())
    assert flow["analysed"] == len(cohort)
    table = pd.read_csv(run / "results/tables/table_age.csv")
    ages = table[table["question_id"] == "age"]
    bands = pd.cut(cohort["Age in years"].astype(float), [18, 40, 65, np.inf], right=False)
    assert ages["response"].tolist() == ["18–39", "40–64", "65+"]
    assert ages["n"].tolist() == bands.value_counts(sort=False).tolist()


@pytest.mark.slow
def test_alpha_with_the_reverse_keyed_statement(run):
    codes = trust_codes(expected_cohort())
    complete = codes[~np.isnan(codes).any(axis=1)]
    cov = np.cov(complete, rowvar=False)
    k = cov.shape[0]
    c, v = cov[~np.eye(k, dtype=bool)].mean(), np.diag(cov).mean()
    reliability = pd.read_csv(run / "results/tables/theme_reliability.csv")
    assert reliability.loc[0, "n"] == len(complete)
    assert reliability.loc[0, "alpha"] == pytest.approx(k * c / (v + (k - 1) * c), rel=1e-12)
    assert pd.read_csv(run / "results/tables/reliability_warnings.csv").empty


@pytest.mark.slow
def test_comparison_on_reversed_scores_and_agreement_per_scale(run):
    cohort = expected_cohort()
    codes = trust_codes(cohort)
    scores = codes.mean(axis=1)  # NaN unless all three answered on the scale (min_answered all)
    sex = cohort["Sex"].to_numpy()
    female = scores[(sex == "Female") & ~np.isnan(scores)]
    male = scores[(sex == "Male") & ~np.isnan(scores)]
    expected = stats.mannwhitneyu(female, male, alternative="two-sided")
    tests = pd.read_csv(run / "results/tables/comparisons.csv").set_index(["comparison", "outcome"])
    row = tests.loc[("by_sex", "trust_theme")]
    assert row["statistic"] == expected.statistic  # full precision: equal, not close
    assert row["p"] == pytest.approx(expected.pvalue, rel=1e-12)
    summary = pd.read_csv(run / "results/tables/agreement_summary.csv").set_index("statement")
    u1 = cohort[USE[0]]  # frequency scale, agree: Often or Always
    assert summary.loc["u1", "percent_agree"] == pytest.approx(
        100 * u1.isin(["Often", "Always"]).mean()
    )
    # reverse-keyed: agreeing in its keyed direction, the bottom three of six points as worded;
    # Don't know counts, not agreeing
    t3 = cohort[TRUST[2]]
    assert summary.loc["t3", "percent_agree"] == pytest.approx(100 * t3.isin(SIX[:3]).mean())
    assert "reverse-keyed" in summary.loc["t3", "method"]
