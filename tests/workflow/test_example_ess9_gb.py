"""A real weighted survey end to end: the European Social Survey, round 9, United Kingdom
(config/examples/ess9_gb/; resources/real/ess9_gb/SOURCE.md), 2,204 adults in 192 strata and
385 primary sampling units, weighted by the ESS analysis weight, read from the SPSS file as the
ESS ships it.

Its weighted percentages, intervals, design effects, degrees of freedom, theme mean, rank tests
and proportional-odds models are compared with R's survey package run on the same file
(tests/r/ess9_gb.R; its output in tests/expected/ess9_gb.csv, the command in its first line),
within the issue's 1e-6 relative.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, copy_workflow, run_snakemake
from support.r_numbers import (
    assert_two_group_tests_equal_r,
    assert_weighted_frequency_equals_r,
    assert_weighted_theme_mean_equals_r,
)
from test_example_design import (
    assert_r_script_prints_the_stored_numbers,
    assert_weighted_figures_drawn_from_the_published_table,
    close,
    expected,
)
from test_survey_folder import tool

ESS = REPO / "resources" / "real" / "ess9_gb" / "raw" / "adults" / "ess9_gb.sav"
STATEMENTS = ["sofrdst", "sofrwrk", "sofrpr", "sofrprv", "ppldsrv", "jstprev", "pcmpinj",
              "freehms", "hmsacld", "gincdif"]  # fmt: skip


def test_stored_r_numbers_are_what_the_r_script_prints(tmp_path):
    """A live check: the R script, rerun on the shipped extract, prints the stored numbers."""
    assert_r_script_prints_the_stored_numbers(tmp_path, "ess9_gb", "survey", "foreign")


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    workdir = copy_workflow(tmp_path_factory.mktemp("ess9_gb"))
    run_snakemake(workdir, "--configfile", "config/examples/ess9_gb/config.yaml")
    return workdir / "results" / "tables"


@pytest.mark.slow
def test_weighted_percentages_intervals_and_design_effects_equal_r(tables):
    want = expected("ess9_gb")
    table = pd.read_csv(tables / "weighted_frequencies.csv")
    assert sorted(table["question_id"].unique()) == sorted(["gndr", *STATEMENTS])
    answered = table.groupby("question_id")["n"].sum()  # each question's domain
    checked = 0
    for row in table.itertuples():
        checked += assert_weighted_frequency_equals_r(row, want, answered[row.question_id])
        assert answered[row.question_id] == want[("n", row.question_id, "n")]
    assert checked == 5 * (2 + 10 * 5)


@pytest.mark.slow
def test_weighted_theme_mean_equals_r(tables):
    want = expected("ess9_gb")
    row = pd.read_csv(tables / "weighted_theme_means.csv").iloc[0]
    assert row["n"] == want[("theme", "just_world", "n")]
    assert_weighted_theme_mean_equals_r(row, "just_world", want)


@pytest.mark.slow
def test_design_based_rank_tests_and_models_equal_r(tables):
    want = expected("ess9_gb")
    table = pd.read_csv(tables / "weighted_comparisons.csv")
    table = table[table["comparison"] == "adults_by_gender"]
    ranks, models = assert_two_group_tests_equal_r(table, want)
    assert len(ranks) == len(models) == 7
    for outcome in ranks.index:
        assert ranks.at[outcome, "n"] == want[("rank_test", outcome, "n")]


@pytest.mark.slow
def test_rank_tests_and_models_of_five_groups_equal_r(tables):
    """By the five answers to gincdif: the Wald chi-squared of survey's multiranktest (F on 4 and
    degf - 4 df), and one log odds ratio per answer against the first."""
    want = expected("ess9_gb")
    table = pd.read_csv(tables / "weighted_comparisons.csv")
    table = table[table["comparison"] == "fairness_by_income_view"]
    labels = ["Disagree", "Neither agree nor disagree", "Agree", "Agree strongly"]
    for outcome in ["sofrdst", "freehms"]:
        rows = table[table["outcome"] == outcome].set_index("groups")
        rank = rows[rows["test"] == "design-based rank test"].iloc[0]
        assert rank["n"] == want[("rank_test_by_gincdif", outcome, "n")]
        assert close(rank["statistic"], want[("rank_test_by_gincdif", outcome, "chisq")])
        assert close(rank["p"], want[("rank_test_by_gincdif", outcome, "p")])
        assert rank["df"] == want[("rank_test_by_gincdif", outcome, "ddf")]
        assert "/ 4 as F on (4, 189) df" in rank["method"]
        for code, label in enumerate(labels, 2):
            model = rows.loc[f"{label} vs Disagree strongly"]
            for column, term in [("estimate", "estimate"), ("statistic", "t"), ("p", "p")]:
                got, key = model[column], ("olr_by_gincdif", outcome, f"{term}_{code}")
                assert close(got, want[key]), (outcome, label, column)
            assert model["df"] == want[("olr_by_gincdif", outcome, "df")]


@pytest.mark.slow
def test_the_weighted_figure_is_drawn_from_the_weighted_percentages(tables):
    workdir = tables.parent.parent
    assert_weighted_figures_drawn_from_the_published_table(workdir, "ess9_gb")


@pytest.mark.slow
def test_the_ess_design_is_stated(tables):
    design = pd.read_csv(tables / "survey_design.csv").iloc[0]
    assert (design["weight"], design["strata"], design["clusters"]) == (
        "anweight",
        "stratum",
        "psu",
    )
    assert (design["n_strata"], design["n_psus"], design["n"]) == (192, 385, 2204)
    assert design["n_analysed"] == expected("ess9_gb")[("n", "analysed", "n")]


@pytest.mark.slow
def test_an_untouched_draft_of_the_ess_file_runs_weighted(tmp_path):
    """The first hour on a real weighted survey: ``likertflow draft --into`` on the ESS file as
    it comes (columns named by their labels, the default), then the workflow on the folder, with
    nothing edited: the drafted design is the ESS's, and the weighted tables are made."""
    folder = tmp_path / "ess"
    drafted = tool("draft", str(ESS), "--format", "spss", "--survey", "adults",
                   "--into", str(folder))  # fmt: skip
    assert "2,204 responses" in drafted.stderr
    run_snakemake(folder)
    design = pd.read_csv(folder / "results" / "tables" / "survey_design.csv").iloc[0]
    assert (design["weight"], design["strata"], design["clusters"]) == (
        "Analysis weight", "Sampling stratum", "Primary sampling unit"
    )  # fmt: skip
    assert (design["n_strata"], design["n_psus"], design["n"]) == (192, 385, 2204)
    weighted = pd.read_csv(folder / "results" / "tables" / "weighted_frequencies.csv")
    drafted_questions = set(weighted["question_id"])
    assert not drafted_questions & {"anweight", "pspwght", "dweight", "pweight", "stratum", "psu"}
    assert {"gndr", "freehms", "hmsfmlsh"} <= drafted_questions
