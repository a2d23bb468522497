"""The workflow on the shipped synthetic exports reproduces the paper's published numbers.

Counts exactly, percentages within 0.01 points (the paper mixes truncation and rounding), Figure
5's means within 0.03 points, within-theme Spearman R within 0.005, and the directions of the
differences the paper reports. The reference numbers are resources/published/, copied from the
paper; the results are read from a fresh run of the whole workflow.
"""


import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from scipy.stats import spearmanr

pytestmark = pytest.mark.slow


def read_table(run, name):
    return pd.read_csv(run / "results" / "tables" / f"{name}.csv", keep_default_na=False)


def published_rows(published, name):
    """(question_id or None, response, n, percent) in the paper's order."""
    spec = published["tables"][name]
    first = next(iter(spec.values()))
    if isinstance(first, dict):  # several questions, keyed by question id
        return [(q, r, n, p) for q, rows in spec.items() for r, (n, p) in rows.items()]
    return [(None, r, n, p) for r, (n, p) in spec.items()]


@pytest.mark.parametrize(
    "name",
    [
        "table1_patient_age",
        "table2_patient_experience",
        "table3_expert_role",
        "table4_expert_experience",
        "table5_patient_wants_to_see",
        "table6_patient_good_idea",
        "table7_expert_good_idea",
    ],
)
def test_descriptive_table_matches_paper(shipped_run, published, name):
    table = read_table(shipped_run, name)
    expected = published_rows(published, name)
    assert len(table) == len(expected), "one row per published answer option"
    rows = zip(table.itertuples(), expected, strict=True)
    for row, (question_id, response, n, percent) in rows:
        if question_id is not None:
            assert row.question_id == question_id
        assert row.response == response
        assert row.n == n, f"{name}: {response}"
        assert row.percent == pytest.approx(percent, abs=0.01 + 1e-9), f"{name}: {response}"
    for _, rows in table.groupby("question_id"):
        assert rows.n.sum() == rows.denominator.iloc[0]


def test_denominators_follow_skip_logic(shipped_run):
    table = read_table(shipped_run, "table2_patient_experience")
    denominators = table.groupby("question_id").denominator.first().to_dict()
    assert denominators == {"expert_patient": 282, "had_imaging": 282, "saw_images": 267}


def test_participant_flow_matches_paper(shipped_run, published):
    flow = read_table(shipped_run, "participant_flow").set_index(["survey", "stage"]).n
    for survey, counts in published["flow"].items():
        assert flow[(survey, "returned")] == counts["returned"]
        assert flow[(survey, "excluded_item_nonresponse")] == counts["excluded_item_nonresponse"]
        assert flow[(survey, "analysed")] == counts["analysed"]


@pytest.mark.parametrize("survey", ["patients", "experts"])
def test_ledger_accounts_for_every_raw_response(shipped_run, survey):
    raw_files = sorted((shipped_run / "resources" / "raw" / survey).glob("*.csv"))
    raw_rows = sum(len(pd.read_csv(path, dtype=str)) for path in raw_files)
    ledger = pd.read_csv(shipped_run / "results" / "audit" / f"{survey}.ledger.csv")
    analysed = pd.read_parquet(shipped_run / "results" / "data" / f"{survey}.analysed.parquet")
    assert len(ledger) == raw_rows
    assert set(ledger.batch) == {path.stem for path in raw_files}
    assert not ledger.duplicated(["batch", "row"]).any()
    assert (ledger.status == "analysed").sum() == len(analysed)
    assert (ledger.status == "analysed").sum() + (ledger.status == "excluded").sum() == raw_rows
    assert ledger.loc[ledger.status == "excluded", "reason"].notna().all()
    # The analysed cohort (coded answers only, no ids) is the ledger's analysed rows of the
    # ingested batches, in response-id order.
    ingested = pd.concat(
        [pd.read_parquet(p) for p in sorted((shipped_run / "results/ingest" / survey).glob("*"))]
    )
    kept = ledger.loc[ledger.status == "analysed", ["batch", "row"]].merge(ingested)
    kept = kept.sort_values("response_id", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(kept[list(analysed.columns)], analysed, check_dtype=False)


def test_figure5_mean_agreement_within_003_points(shipped_run, published):
    summary = read_table(shipped_run, "agreement_summary")
    means = summary[summary.statement == "mean"].set_index(["statement_set", "survey"])
    for statement_set, by_survey in published["figure5_mean_percent_agree"].items():
        for survey, value in by_survey.items():
            got = means.loc[(statement_set, survey), "percent_agree"]
            # The synthetic exports are calibrated to these means as closely as whole answers
            # allow: measured deviation 0.020 points at most. 0.03 keeps that margin and fails
            # a mean that moves by a single answer (at least 0.039 points: patients, benefits).
            assert got == pytest.approx(value, abs=0.03), f"{statement_set} {survey}"


# The paper prints R to 2 decimals: half the last digit (measured deviation 0.0019 at most).
RHO_DIGITS = 0.005 + 1e-9


def test_within_theme_spearman_to_the_published_digits(shipped_run, published):
    correlations = read_table(shipped_run, "theme_correlations")
    for themes in published["themes"].values():
        for theme, by_survey in themes.items():
            for survey, value in by_survey.items():
                rows = (correlations.theme == theme) & (correlations.survey == survey)
                rho = correlations[rows].rho
                if isinstance(value, list):  # the paper gives the range over the pairs
                    assert rho.min() == pytest.approx(value[0], abs=RHO_DIGITS), (
                        f"{theme} {survey} min"
                    )
                    assert rho.max() == pytest.approx(value[1], abs=RHO_DIGITS), (
                        f"{theme} {survey} max"
                    )
                else:
                    assert len(rho) == 1
                    assert rho.iloc[0] == pytest.approx(value, abs=RHO_DIGITS), f"{theme} {survey}"


def mean_ranks(shipped_run, comparison, outcome):
    groups = read_table(shipped_run, "comparison_groups")
    rows = groups[(groups.comparison == comparison) & (groups.outcome == outcome)]
    return rows.set_index("group").mean_rank


def test_patients_and_experts_differ_in_the_published_directions(shipped_run, published):
    reported = published["comparisons"]["patients_vs_experts"]
    for outcome in reported["patients_rank_higher"]:
        ranks = mean_ranks(shipped_run, "patients_vs_experts", outcome)
        assert ranks["Patients"] > ranks["Clinical experts"], outcome
    for outcome in reported["patients_rank_lower"]:
        ranks = mean_ranks(shipped_run, "patients_vs_experts", outcome)
        assert ranks["Patients"] < ranks["Clinical experts"], outcome


def test_within_patient_differences_in_the_published_directions(shipped_run):
    age = mean_ranks(shipped_run, "patients_by_age", "knowledge_and_understanding")
    assert "I do not want to reveal my age" not in age.index
    rho, _ = spearmanr(range(len(age)), age.to_numpy())
    assert rho > 0, "older patients rank higher on knowledge and understanding"
    for comparison in ["patients_by_had_imaging", "patients_by_saw_images"]:
        ranks = mean_ranks(shipped_run, comparison, "negative_emotional_response")
        assert ranks["No"] > ranks["Yes"], comparison


def test_every_comparison_reports_method_and_effect_size(shipped_run):
    comparisons = read_table(shipped_run, "comparisons")
    assert set(comparisons.comparison) >= {"patients_vs_experts", "patients_by_age"}
    assert (comparisons.method != "").all()
    assert comparisons.p_adjusted.astype(float).ge(comparisons.p.astype(float) - 1e-12).all()
    assert set(comparisons.test) <= {"Mann-Whitney U", "Kruskal-Wallis H"}


EXPECTED = REPO / "tests" / "expected" / "ordinal_models_polr.csv"


@pytest.mark.slow
def test_shipped_ordinal_models_match_r_polr(shipped_run):
    """tests/expected/ordinal_models_polr.csv was made by the commands in tests/r/model_frames.py
    (R 4.2.2, MASS 7.3-58.2) from the same analysed data."""
    ours = pd.read_csv(shipped_run / "results" / "tables" / "ordinal_models.csv")
    r = pd.read_csv(EXPECTED)
    ours["term_index"] = ours.groupby(["comparison", "outcome"]).cumcount() + 1
    both = ours.merge(r, on=["comparison", "outcome", "term_index"], suffixes=("", "_r"))
    assert len(both) == len(ours) == len(r) == 75
    assert (both["n"] == both["n_r"]).all()
    assert set(zip(ours["comparison"], ours["covariates"], strict=True)) == {
        (name, "age")
        for name in ["patients_by_had_imaging", "patients_by_saw_images",
                     "patients_by_expert_patient"]
    }  # fmt: skip
    # Ours stops at a gradient of 1e-10 per respondent, polr (optim's BFGS, reltol 1e-16) 5.3e-8
    # from the maximum on the log-odds scale (7.7e-6 with reltol 1e-12). Standard errors: ours
    # from the analytic Hessian, R's from a numerical one at its optimum (measured 2.8e-8
    # relative at most). Intervals and p: tests/unit/test_ordinal_intervals.py.
    np.testing.assert_allclose(both["estimate"], both["estimate_r"], rtol=0, atol=2e-5)
    np.testing.assert_allclose(both["std_error"], both["std_error_r"], rtol=1e-6)
    np.testing.assert_allclose(both["odds_ratio"], np.exp(both["estimate_r"]), rtol=2e-5)
