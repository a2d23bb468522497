"""Weighted surveys and pairs in the workflow (issue 23): the codebook's design, its validation
at ingest, exclusions as domains of the full design, and the pairing of two waves
(likertflow.weighting; the statistics themselves are tested against R in test_design.py,
test_paired.py and tests/workflow/test_example_design.py)."""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO, START_UP_ERRORS, start_up_checks
from likertflow import design as D
from likertflow.cleaning import clean
from likertflow.codebook import LINK, PSU, STRATUM, WEIGHT, load_questionnaires
from likertflow.disclosure import policy_of
from likertflow.errors import InputError
from likertflow.ingest import ingest_export
from likertflow.weighting import (
    design_of,
    frequencies_table,
    pair_tables,
    sample_units,
    stacked_design,
    weighted_pair_tables,
)
from support.r_numbers import (
    assert_paired_test_equals_r,
    assert_weighted_panel_cell_equals_r,
    assert_weighted_panel_test_equals_r,
    close,
    expected,
)

NATIONAL = REPO / "config" / "examples" / "national_weighted"
BEFORE_AFTER = REPO / "config" / "examples" / "before_after"
EXPORTS = REPO / "resources" / "examples" / "national_weighted" / "raw" / "adults"


def load(folder: Path) -> tuple[dict, dict]:
    config = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
    codebook = yaml.safe_load((folder / "codebook.yaml").read_text(encoding="utf-8"))
    return config, codebook


@pytest.fixture(scope="module")
def adults():
    return load_questionnaires(NATIONAL / "codebook.yaml")["adults"]


def test_the_examples_pass_the_start_up_checks():
    for folder in (NATIONAL, BEFORE_AFTER):
        start_up_checks(*load(folder))


def test_replicate_weights_are_refused_at_start_up_saying_what_to_do():
    config, codebook = load(NATIONAL)
    codebook["questionnaires"]["adults"]["design"]["replicate_weights"] = ["rw1", "rw2"]
    with pytest.raises(START_UP_ERRORS) as caught:
        start_up_checks(config, codebook)
    problems = "\n".join(caught.value.problems)
    assert "questionnaires.adults.design.replicate_weights" in problems
    assert "rw1, rw2" in problems and "svrepdesign" in problems


def test_a_pair_needs_two_questionnaires_with_a_link_id():
    config, codebook = load(BEFORE_AFTER)
    del codebook["questionnaires"]["followup"]["link_id"]
    config["pairs"]["course"]["outcomes"] = ["confident", "nonsense"]
    with pytest.raises(START_UP_ERRORS) as caught:
        start_up_checks(config, codebook)
    problems = "\n".join(caught.value.problems)
    assert "'followup' names no link_id" in problems
    assert "'nonsense' is not an ordinal question" in problems


def test_questionnaires_compared_on_the_design_all_declare_one_with_one_lonely_psu_rule():
    config, codebook = load(NATIONAL)
    del codebook["questionnaires"]["carers"]["design"]
    with pytest.raises(START_UP_ERRORS) as caught:
        start_up_checks(config, codebook)
    problems = "\n".join(caught.value.problems)
    assert "comparisons.adults_vs_carers: adults declare a survey design" in problems
    assert "carers none" in problems and "declare the design of carers" in problems
    config, codebook = load(NATIONAL)
    codebook["questionnaires"]["carers"]["design"]["lonely_psu"] = "remove"
    with pytest.raises(START_UP_ERRORS) as caught:
        start_up_checks(config, codebook)
    assert "different lonely_psu rules (adjust, remove)" in "\n".join(caught.value.problems)


def test_a_panel_with_a_design_on_its_second_wave_only_is_refused_saying_what_to_do():
    config, codebook = load(NATIONAL)
    config["pairs"]["panel"] = {"before": "adults_followup", "after": "adults"}
    with pytest.raises(START_UP_ERRORS) as caught:
        start_up_checks(config, codebook)
    problems = "\n".join(caught.value.problems)
    assert "pairs.panel: adults (after) declares a survey design and adults_followup" in problems
    assert "declare the design on adults_followup" in problems
    codebook["questionnaires"]["adults_followup"]["design"] = {"weight": "Weight"}
    start_up_checks(config, codebook)  # a design on both waves: the first wave's is used


def test_stacked_samples_are_each_their_own_strata_and_need_a_design_each(adults):
    """Two samples stacked: strata prefixed by questionnaire; an unclustered sample's responses
    each a PSU of its stratum (its fpc the stratum's people), a clustered one's PSUs its own."""
    carers = load_questionnaires(NATIONAL / "codebook.yaml")["carers"]
    clustered = pd.DataFrame({WEIGHT: [2.0, 3.0], STRATUM: ["a", "a"], PSU: ["1", "2"]})
    plain = pd.DataFrame({WEIGHT: [5.0, 5.0, 5.0], STRATUM: ["u", "u", "r"]})
    units_a = pd.DataFrame({"stratum": ["a", "a", "a"], "psu": ["1", "2", "3"],
                            "responses": [4, 2, 1], "population": [10.0] * 3})  # fmt: skip
    units_c = pd.DataFrame({"stratum": ["r", "u"], "psu": ["", ""], "responses": [5, 9],
                            "population": [50.0, 90.0]})  # fmt: skip
    rows, design = stacked_design([(clustered, units_a, adults), (plain, units_c, carers)])
    assert design.strata.tolist() == ["adults: a", "carers: r", "carers: u"]
    assert design.psus.tolist() == [3, 5, 9] and design.population.tolist() == [10, 50, 90]
    assert design.clustered and design.lonely_psu == "adjust"
    assert rows[STRATUM].tolist() == ["adults: a", "adults: a", "carers: u", "carers: u",
                                      "carers: r"]  # fmt: skip
    assert rows[PSU].tolist() == ["1", "2", "#0", "#1", "#2"]
    assert design.describe().startswith("independent samples stacked (adults, carers)")
    bare = load_questionnaires(NATIONAL / "codebook.yaml")["adults_followup"]
    with pytest.raises(D.DesignError, match="adults_followup declare no survey design"):
        stacked_design([(clustered, units_a, adults), (plain, units_c, bare)])


@pytest.mark.parametrize("weight", ["0", "-2.5", "abc", "inf", ""])
def test_a_weight_that_is_not_positive_and_finite_stops_ingest_naming_row_and_column(
    tmp_path, adults, weight
):
    frame = pd.read_csv(EXPORTS / "wave_2026-01.csv", dtype=str, keep_default_na=False)
    frame.loc[4, "Weight"] = weight
    path = tmp_path / "adults" / "bad.csv"
    path.parent.mkdir()
    frame.to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        ingest_export(path, adults, "bad")
    problem = next(p for p in caught.value.problems if p.column == "Weight")
    assert problem.row == 6  # the spreadsheet's row: header is row 1
    assert "positive finite" in problem.expected or "blank" in problem.expected


@pytest.fixture(scope="module")
def batches(adults):
    return [ingest_export(path, adults, path.stem) for path in sorted(EXPORTS.glob("*.csv"))]


def test_design_columns_are_carried_and_exclusions_stay_in_the_design(adults, batches):
    config, _ = load(NATIONAL)
    analysed, ledger = clean(batches, adults, config["exclusions"])
    assert {WEIGHT, STRATUM, PSU} <= set(analysed.columns)
    units = sample_units(batches, adults)
    assert units["responses"].sum() == len(ledger) > len(analysed)  # excluded ones counted
    design = design_of(units, adults)
    assert design.clustered and len(design.strata) == 5
    assert dict(zip(design.strata, design.psus, strict=True))["Islands"] == 1  # lonely


def test_a_domain_is_not_a_smaller_sample(adults, batches):
    """Estimating on the analysed rows as a domain of the full design differs from deleting the
    excluded rows and redesigning (whose PSUs per stratum would be fewer where a cluster lost
    all its responses; here the df and the centring differ)."""
    config, _ = load(NATIONAL)
    analysed, _ = clean(batches, adults, config["exclusions"])
    full = design_of(sample_units(batches, adults), adults)
    table = frequencies_table(analysed, adults, full, 0.95, "logit", "srswor")
    assert set(table["df"]) == {22 - 5}
    assert table.groupby("question_id")["weighted_percent"].sum().round(9).eq(100).all()


def test_a_lonely_psu_under_fail_stops_naming_the_stratum(adults, batches):
    config, _ = load(NATIONAL)
    analysed, _ = clean(batches, adults, config["exclusions"])
    units = sample_units(batches, adults)
    strict = copy.copy(adults)
    object.__setattr__(strict, "design", type(adults.design)(
        weight="Weight", lonely_psu="fail", strata="Region", clusters="Area",
        fpc="Areas in region"))  # fmt: skip
    with pytest.raises(D.DesignError, match="Islands"):
        frequencies_table(analysed, strict, design_of(units, strict), 0.95, "logit", "srswor")


def pair_inputs():
    questionnaires = load_questionnaires(BEFORE_AFTER / "codebook.yaml")
    before = pd.DataFrame({"confident": [1, 2, 3, 4, 5, 3], "ask_for_help": [2] * 6,
                           "exercise": [3] * 6, "medicines": [4] * 6,
                           LINK: ["a", "b", "c", "d", " e ", None]})  # fmt: skip
    after = pd.DataFrame({"confident": [2, 2, 5, 1], "ask_for_help": [2] * 4,
                          "exercise": [3] * 4, "medicines": [pd.NA] * 4,
                          LINK: ["b", "e", "a", "z"]})  # fmt: skip
    for frame in (before, after):
        for column in ("confident", "ask_for_help", "exercise", "medicines"):
            frame[column] = frame[column].astype("Int16")
    return before, after, questionnaires["baseline"], questionnaires["followup"]


def test_pairs_are_matched_by_link_id_and_the_unmatched_counted():
    before, after, b, a = pair_inputs()
    tests, tables, flow = pair_tables("course", before, after, b, a, [], 0.95)
    n = dict(zip(flow["stage"], flow["n"], strict=True))
    assert n["matched pairs"] == 3  # a, b and e (white space trimmed)
    assert n["without a linking id in baseline"] == 1
    assert n["in baseline only (unmatched)"] == 2 and n["in followup only (unmatched)"] == 1
    confident = tests.set_index("statement").loc["confident"]
    assert confident["pairs"] == 3 and confident["unchanged"] == 1  # b: 2 then 2
    cells = tables[(tables["statement"] == "confident") & (tables["n"] > 0)]
    assert sorted(zip(cells["before"], cells["after"], strict=True)) == [
        ("Disagree", "Disagree"), ("Strongly agree", "Disagree"),
        ("Strongly disagree", "Strongly agree"),
    ]  # fmt: skip
    medicines = tests.set_index("statement").loc["medicines"]
    assert medicines["pairs"] == 0  # nobody answered it after: no pair, no test
    assert np.isnan(medicines["p"])


def test_an_id_of_invisible_characters_alone_is_blank_and_never_matched():
    # Ingest strips white space from a linking id; a zero-width space (copied from a web form)
    # survives that, and two such "ids" are no person seen twice.
    before, after, b, a = pair_inputs()
    before.loc[5, LINK] = "\u200b"
    after.loc[3, LINK] = "\u200b"
    _, _, flow = pair_tables("course", before, after, b, a, [], 0.95)
    n = dict(zip(flow["stage"], flow["n"], strict=True))
    assert n["matched pairs"] == 3
    assert n["without a linking id in baseline"] == 1
    assert n["without a linking id in followup"] == 1


def test_a_design_that_cannot_be_used_is_an_input_error_naming_the_design_block(adults):
    from likertflow.weighting import design_checked

    with pytest.raises(InputError) as caught, design_checked(adults):
        raise D.DesignError("stratum 'Islands' has only one PSU")
    problem = caught.value.problems[0]
    assert problem.file == "codebook questionnaires.adults.design"
    assert "lonely_psu" in problem.expected and "Islands" in problem.value


def test_a_missing_design_column_is_named_with_what_it_is_for(tmp_path, adults):
    frame = pd.read_csv(EXPORTS / "wave_2026-01.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "adults" / "no_weight.csv"
    path.parent.mkdir()
    frame.drop(columns="Weight").to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        ingest_export(path, adults, "no_weight")
    problem = next(p for p in caught.value.problems if p.column == "Weight")
    assert "survey weights (design.weight)" in problem.expected


# -- the effective sample size gives back no count the rule rounds or hides ---------------------


def nhs_policy():
    return policy_of({"rule": "nhs"})


def test_published_effective_n_is_the_published_n_over_the_design_effect():
    """With the design effect beside it, n / deff gives n back: 23 respondents published as 25
    under the NHS rule must not be recoverable as 23 from n_effective x deff."""
    from likertflow.weighting import (
        FREQUENCY_COLUMNS,
        MEAN_COLUMNS,
        publish_frequencies_table,
        publish_means_table,
    )  # fmt: skip

    policy = nhs_policy()
    assert policy.publish(23) == 25
    deff = 1.37
    frequencies = pd.DataFrame(
        [["s", "q1", "Q?", "Agree", 1, 12, 52.0, 30.0, 70.0, 11.0, deff, 23 / deff, 20, "logit"],
         ["s", "q1", "Q?", "Disagree", 2, 11, 48.0, 29.0, 68.0, 11.0, deff, 23 / deff, 20,
          "logit"]], columns=FREQUENCY_COLUMNS,
    )  # fmt: skip
    plans = {"s": pd.DataFrame({"question_id": ["q1", "q1"], "code": ["1", "2"],
                                "n": ["10", "10"], "denominator": ["25", "25"]})}  # fmt: skip
    published = publish_frequencies_table(frequencies, plans, policy)
    assert published["n_effective"].tolist() == [f"{25 / deff:.2f}"] * 2
    assert published["deff"].tolist() == ["1.37"] * 2
    recovered = float(published["n_effective"][0]) * float(published["deff"][0])
    assert round(recovered) == 25 != 23

    means = pd.DataFrame([["s", "theme", 23, 3.2, 3.0, 3.4, 0.1, deff, 23 / deff, 20, "t"]],
                         columns=MEAN_COLUMNS)  # fmt: skip
    published = publish_means_table(means, policy)
    assert published["n"].tolist() == [25]
    assert published["n_effective"].tolist() == [f"{25 / deff:.2f}"]
    hidden = publish_means_table(means.assign(n=3, n_effective=3 / deff), policy)
    assert hidden["n_effective"].tolist() == ["*"]
    # without a rule, the exact effective size
    none = publish_means_table(means, policy_of({"rule": "none"}))
    assert none["n_effective"].tolist() == [23 / deff]


def test_design_summary_effective_n_from_the_published_count():
    from likertflow.weighting import publish_design_summary

    summary = pd.DataFrame({"survey": ["s"], "n": [41], "n_analysed": [23],
                            "sum_of_weights": [1000.0], "kish_deff": [1.5],
                            "n_effective": [23 / 1.5]})  # fmt: skip
    flow = {("s", "exported_rows"): 40, ("s", "analysed"): 25}  # as the flow publishes them
    published = publish_design_summary(summary, nhs_policy(), flow)
    assert published["n"].tolist() == [40]
    assert published["n_analysed"].tolist() == [25]
    assert published["n_effective"].tolist() == [f"{25 / 1.5:.2f}"]
    assert published["kish_deff"].tolist() == ["1.50"]


def test_design_summary_counts_as_the_flow_shows_them():
    """Where the participant flow hides the analysed (the partner of a small exclusion), the
    design summary hides it too, with every statistic of it: a number shown here would give
    the flow's hidden exclusion back by subtraction."""
    from likertflow.weighting import publish_design_summary

    summary = pd.DataFrame({"survey": ["s"], "n": [41], "n_analysed": [38],
                            "sum_of_weights": [1000.0], "kish_deff": [1.5],
                            "n_effective": [38 / 1.5]})  # fmt: skip
    flow = {("s", "exported_rows"): 40, ("s", "analysed"): "*"}
    published = publish_design_summary(summary, nhs_policy(), flow).iloc[0]
    assert (published["n"], published["n_analysed"]) == (40, "*")
    assert published[["sum_of_weights", "kish_deff", "n_effective"]].tolist() == ["*"] * 3


def test_pair_flow_hides_a_wave_the_participant_flow_hides():
    """The after wave's analysed (315) is hidden in the participant flow: hidden in the
    pairing counts too, and so is a partner in its sum (those without an id + those in that
    wave only + the matched pairs), so that no hidden count comes back; the before wave's sum
    stays whole."""
    from likertflow.disclosure import policy_of, recover
    from likertflow.weighting import PAIR_FLOW_RELATIONS, _publish_pair_flow

    counts = [489, 315, 0, 0, 225, 51, 264]
    flow = pd.DataFrame({"pair": "panel", "stage": [f"stage {i}" for i in range(7)],
                         "n": counts})  # fmt: skip
    policy = policy_of({"rule": "threshold", "min_count": 30})
    shown = _publish_pair_flow(flow, policy, {("panel", "after")})["n"].tolist()
    assert shown[1] == "*" and shown.count("*") == 2
    assert shown[0] == 489 and shown[6] == 264
    assert recover(list(enumerate(shown)), PAIR_FLOW_RELATIONS, policy) == {}
    # not hidden in the flow: every count shown, as before
    assert _publish_pair_flow(flow, policy, set())["n"].tolist() == counts


# -- the national example through the library, against R's survey package ----------------------
# What the workflow's estimate_weighted, compare_weighted and compare_weighted_pairs jobs run, on
# the shipped exports, without Snakemake: the numbers R wrote from the same raw exports
# (tests/r/national_weighted.R, tests/r/national_weighted_compare.R; the command in each file's
# first line). tests/workflow/test_example_design.py checks the run's files against them too.

RAW = REPO / "resources" / "examples" / "national_weighted" / "raw"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """(config, questionnaires, analysed cohorts, sampling units as read back from their CSV)
    of the national example, as the workflow's jobs get them."""
    from likertflow.files import write_csv
    from likertflow.weighting import read_units
    from support.filled import workflow_files

    config, _ = workflow_files(REPO, "config/examples/national_weighted/config.yaml")
    questionnaires = load_questionnaires(NATIONAL / "codebook.yaml")
    folder = tmp_path_factory.mktemp("units")
    analysed, units = {}, {}
    for survey, questionnaire in questionnaires.items():
        batches = [ingest_export(path, questionnaire, path.stem)
                   for path in sorted((RAW / survey).glob("*.csv"))]  # fmt: skip
        analysed[survey], _ = clean(batches, questionnaire, config["exclusions"])
        if questionnaire.design is not None:
            write_csv(sample_units(batches, questionnaire), folder / f"{survey}.csv")
            units[survey] = read_units(folder / f"{survey}.csv")
    return config, questionnaires, analysed, units


def adults_design(national):
    _, questionnaires, _, units = national
    return design_of(units["adults"], questionnaires["adults"])


ADULTS_DESIGN = (
    "strata: 5, clusters: 22 PSUs, weights; without replacement (fpc); lonely PSU: adjust"
)
SRSWOR = "simple random sampling without replacement (survey's deff = TRUE)"


def test_national_weighted_percentages_equal_r(national):
    """svymean(~factor(q), deff = TRUE) and svyciprop(method = "logit") of every answer; each
    answer's n is its analysed count, its effective n the question's answers over the deff."""
    _, questionnaires, analysed, _ = national
    adults, rows = questionnaires["adults"], analysed["adults"]
    design = adults_design(national)
    assert design.describe() == ADULTS_DESIGN  # the example's 5 regions and 22 areas
    want = expected("national_weighted")
    table = frequencies_table(rows, adults, design, 0.95, "logit", "srswor")
    assert list(table.columns) == [
        "survey", "question_id", "question", "response", "code", "n", "weighted_percent",
        "ci_low", "ci_high", "std_error", "deff", "n_effective", "df", "method",
    ]  # fmt: skip
    assert table["question_id"].unique().tolist() == [
        "sex",
        "age_band",
        "gp_access",
        "hospital_trust",
        "transport",
        "grow_old",
    ]  # the questions with answers, in the codebook's order; age (a number) has none
    for question_id, part in table.groupby("question_id", sort=False):
        question = adults.question(question_id)
        assert part["question"].eq(question.text).all() and part["survey"].eq("adults").all()
        assert part["response"].tolist() == list(question.answers.labels)
        assert part["code"].tolist() == list(question.answers.codes)
        counts = rows[question_id].value_counts()
        assert part["n"].tolist() == [int(counts.get(code, 0)) for code in part["code"]]
        for row in part.itertuples():
            for column in ["weighted_percent", "std_error", "deff", "ci_low", "ci_high"]:
                what = "percent" if column == "weighted_percent" else column
                key = (what, question_id, str(row.code))
                assert close(getattr(row, column), want[key]), (key, getattr(row, column))
            assert row.df == want[("df", question_id, "df")] == 17
            assert row.n_effective == pytest.approx(part["n"].sum() / row.deff, rel=1e-12)
            assert row.method == (
                f"design-based proportion, Taylor linearisation ({ADULTS_DESIGN}); 95% logit "
                "interval on 17 df (survey::svyciprop method = 'logit'); design effect against "
                f"{SRSWOR}"
            )


def test_national_theme_mean_equals_r(national):
    from likertflow.weighting import MEAN_COLUMNS, theme_means_table

    _, questionnaires, analysed, _ = national
    want = expected("national_weighted")
    table = theme_means_table(analysed["adults"], questionnaires["adults"],
                              adults_design(national), 0.95, "srswor")  # fmt: skip
    assert list(table.columns) == MEAN_COLUMNS and len(table) == 1
    row = table.iloc[0]
    assert (row["survey"], row["theme"]) == ("adults", "local_services")
    for column, term in [("weighted_mean", "mean"), ("std_error", "se"), ("deff", "deff"),
                         ("ci_low", "low"), ("ci_high", "high"), ("df", "df")]:  # fmt: skip
        assert close(row[column], want[("theme", "local_services", term)]), column
    assert row["n"] == len(analysed["adults"])  # every analysed adult answered every statement
    assert row["n_effective"] == pytest.approx(row["n"] / row["deff"], rel=1e-12)
    assert row["method"] == (
        f"design-based weighted mean, Taylor linearisation ({ADULTS_DESIGN}); 95% Wald "
        f"interval, normal quantile (confint of svymean); design effect against {SRSWOR}"
    )
    # with-replacement design effect and another level: the same mean, a wider interval
    other = theme_means_table(analysed["adults"], questionnaires["adults"],
                              adults_design(national), 0.99, "srswr").iloc[0]  # fmt: skip
    assert other["weighted_mean"] == row["weighted_mean"]
    half = 2.5758293035489004 * row["std_error"]  # qnorm(0.995)
    assert other["ci_high"] == pytest.approx(row["weighted_mean"] + half, rel=1e-12)
    assert other["deff"] != row["deff"] and "(survey's deff = 'replace')" in other["method"]
    assert "99% Wald interval" in other["method"]


def comparison_of(config, name):
    from likertflow.settings import Comparison

    return Comparison.from_params(config["comparisons"][name], f"comparisons.{name}")


def compare_national(national, name):
    from likertflow.weighting import weighted_comparison

    config, questionnaires, analysed, units = national
    by = config["comparisons"][name]["by"]
    bands = {q: spec for q, spec in config["bands"].items() if q == by}
    return weighted_comparison(name, comparison_of(config, name), analysed, units,
                               questionnaires, bands, 0.95)  # fmt: skip


def _term(row) -> str:
    """The R coefficient a model row is: "g" and its group's label."""
    return "g" + row.groups.split(" vs ")[0]


@pytest.mark.parametrize("name", ["adults_by_sex", "adults_by_age", "adults_vs_carers"])
def test_national_comparisons_equal_r(national, name):
    """Lumley & Scott's rank test (svyranktest, weighted mid-ranks), svyolr's log odds ratios
    of each statement and svyglm's differences of the theme's weighted means: by sex, by age in
    its config bands (three groups: a Wald chi-squared) and of two samples stacked."""
    from likertflow.weighting import TEST_COLUMNS

    table = compare_national(national, name)
    assert list(table.columns) == TEST_COLUMNS
    assert table["comparison"].eq(name).all()
    surveys = "adults, carers" if name == "adults_vs_carers" else "adults"
    assert table["survey"].eq(surveys).all()
    want = {**expected("national_weighted"), **expected("national_weighted_compare")}
    labels = {"adults_by_sex": ["Woman", "Man"], "adults_by_age": ["18-39", "40-64", "65 and over"],
              "adults_vs_carers": ["Adults", "Carers"]}[name]  # fmt: skip
    checked = 0
    for row in table.itertuples():
        # the R file of the example's first numbers keys adults_by_sex's statements by kind
        prefix = "" if name == "adults_by_sex" and row.outcome != "local_services" else f"{name}/"
        if row.test == "design-based rank test":
            assert row.groups == "; ".join(labels)
            terms = (
                [("statistic", "chisq"), ("df", "df"), ("p", "p")]
                if len(labels) == 3
                else [("statistic", "t"), ("df", "df"), ("p", "p"), ("estimate", "estimate")]
            )
            for column, term in terms:
                key = (f"{prefix}rank_test", row.outcome, term)
                assert close(getattr(row, column), want[key]), key
                checked += 1
            assert row.method.endswith("(survey::svyranktest)")
            if len(labels) == 3:
                assert np.isnan(row.estimate)
            continue
        kind = {"difference in means": "means", "proportional-odds model": "olr"}[row.test]
        assert (
            row.outcome == "local_services" if kind == "means" else row.outcome != "local_services"
        )
        assert row.groups in [f"{label} vs {labels[0]}" for label in labels[1:]]
        term = _term(row) if (kind, prefix) != ("olr", "") else None
        for column, name_ in [("estimate", "estimate"), ("statistic", "t"), ("p", "p")]:
            key = ((f"{prefix}{kind}", row.outcome, f"{term} {name_}") if term
                   else ("olr", row.outcome, name_))  # fmt: skip
            assert close(getattr(row, column), want[key]), key
            checked += 1
        assert row.df == want[(f"{prefix}{kind}", row.outcome, "df")]
        if kind == "means":  # the interval, in the method's words
            low, high = (want[(f"{name}/means", row.outcome, f"{term} {end}")]
                         for end in ("low", "high"))  # fmt: skip
            assert row.method.startswith(
                f"difference in weighted mean score ({low:.6g} to {high:.6g}); difference in "
                "weighted means from the first group, design-based (svyglm(score ~ group)"
            )
        else:
            assert row.method.startswith("log odds ratio of a higher answer (")
            assert "survey::svyolr" in row.method
    outcomes = len(comparison_of(national[0], name).outcomes)
    models = (len(labels) - 1) * outcomes
    assert len(table) == outcomes + models
    assert checked == outcomes * (3 if len(labels) == 3 else 4) + 3 * models
    if name == "adults_vs_carers":
        assert table["method"].str.contains("independent samples stacked (adults, carers)",
                                            regex=False).all()  # fmt: skip


def test_national_comparison_domains_are_the_answered_in_a_group(national):
    """Each outcome's n: the analysed responses in a group with an answer (age in its bands;
    the samples stacked)."""
    _, _, analysed, _ = national
    adults, carers = analysed["adults"], analysed["carers"]
    by_sex = compare_national(national, "adults_by_sex")
    sexed = adults["sex"].isin([1, 2])
    for outcome in ["gp_access", "hospital_trust", "transport", "grow_old"]:
        n = int((sexed & adults[outcome].notna()).sum())
        assert by_sex.loc[by_sex["outcome"] == outcome, "n"].tolist() == [n, n]
    by_age = compare_national(national, "adults_by_age")
    aged = adults["age"].astype("Float64") >= 18
    assert (
        by_age.loc[by_age["outcome"] == "gp_access", "n"].tolist()
        == [int((aged & adults["gp_access"].notna()).sum())] * 3
    )
    stacked = compare_national(national, "adults_vs_carers")
    assert (
        stacked.loc[stacked["outcome"] == "transport", "n"].tolist()
        == [int(adults["transport"].notna().sum() + carers["transport"].notna().sum())] * 2
    )


def test_sampling_units_are_read_back_as_written_with_labels_as_text(tmp_path):
    """A clustered design's units (PSU labels that look like numbers stay text) and an
    unclustered one's (no PSU: an empty label, not a missing number), without a warning."""
    import warnings

    from likertflow.files import write_csv
    from likertflow.weighting import read_units

    units = pd.DataFrame({"stratum": ["01", "01", "2"], "psu": ["007", "7", "x"],
                          "responses": [3, 4, 1], "population": [10.0, 10.0, np.nan]})  # fmt: skip
    plain = pd.DataFrame({"stratum": ["u", "r"], "psu": ["", ""], "responses": [5, 9],
                          "population": [50.0, 90.0]})  # fmt: skip
    numbered = units.assign(psu=["007", "7", "08"])  # every PSU label a number
    for frame in (units, plain, numbered):
        write_csv(frame, tmp_path / "units.csv")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            back = read_units(tmp_path / "units.csv")
        assert back["stratum"].tolist() == frame["stratum"].tolist()
        assert back["psu"].tolist() == frame["psu"].tolist()
        assert back["responses"].tolist() == frame["responses"].tolist()
        np.testing.assert_array_equal(back["population"], frame["population"])


# -- pairs: the before-and-after example against R, and as published ---------------------------


@pytest.fixture(scope="module")
def course():
    """The before-and-after example's pair tables (tests, tables, flow), as compare_pairs makes
    them from the analysed cohorts of its shipped exports."""
    from support.filled import workflow_files

    config, _ = workflow_files(REPO, "config/examples/before_after/config.yaml")
    questionnaires = load_questionnaires(BEFORE_AFTER / "codebook.yaml")
    raw = REPO / "resources" / "examples" / "before_after" / "raw"
    analysed = {}
    for survey, questionnaire in questionnaires.items():
        batches = [ingest_export(path, questionnaire, path.stem)
                   for path in sorted((raw / survey).glob("*.csv"))]  # fmt: skip
        analysed[survey], _ = clean(batches, questionnaire, config["exclusions"])
    b, a = questionnaires["baseline"], questionnaires["followup"]
    made = pair_tables("course", analysed["baseline"], analysed["followup"], b, a, [], 0.95)
    return made, analysed, b


def test_before_and_after_pairs_equal_r(course):
    """R's wilcox.test(paired = TRUE), effectsize's rank-biserial correlation and the
    Stuart-Maxwell test (tests/r/before_after.R), per statement; the flow's counts."""
    (tests, tables, flow), analysed, baseline = course
    want = expected("before_after")
    statements = ["confident", "ask_for_help", "exercise", "medicines"]
    assert tests["statement"].tolist() == statements  # every ordinal statement both ask
    assert tests["pair"].eq("course").all()
    for row in tests.itertuples():
        s = row.statement
        assert row.question == baseline.question(s).text
        assert row.pairs == want[("flow", "", "matched")] == 187
        assert_paired_test_equals_r(row, want)
        assert row.marginal_test.startswith("Stuart-Maxwell test of marginal homogeneity")
        assert row.method.startswith("Wilcoxon signed-rank test of after - before")
        assert "; matched-pairs rank-biserial correlation" in row.method
        assert not row.exact
    assert flow.values.tolist() == [
        ["course", "analysed in baseline (before)", len(analysed["baseline"])],
        ["course", "analysed in followup (after)", len(analysed["followup"])],
        ["course", "without a linking id in baseline", 0],
        ["course", "without a linking id in followup", want[("flow", "", "after_without_id")]],
        ["course", "in baseline only (unmatched)", want[("flow", "", "before_only")]],
        ["course", "in followup only (unmatched)", want[("flow", "", "after_only")]],
        ["course", "matched pairs", want[("flow", "", "matched")]],
    ]
    labels = list(baseline.question("confident").answers.labels)[:5]
    for statement, part in tables.groupby("statement", sort=False):
        assert list(zip(part["before"], part["after"], strict=True)) == [
            (x, y) for x in labels for y in labels
        ]  # fmt: skip
        assert part["n"].sum() == 187
        unchanged = part[part["before"] == part["after"]]["n"].sum()
        assert unchanged == tests.set_index("statement").at[statement, "unchanged"]


def test_pairs_as_published_under_a_rounding_rule_and_a_threshold(course):
    """NHS rule: each count on its own (1-7 hidden, others to the nearest 5), the number of
    pairs as the before-by-after table publishes its total, test statistics withheld (with the
    effect they would give the counts back), effects at 2 decimals, p as journals print it.
    A threshold rule keeps the counts above it exact, but for a partner hidden beside a small
    one in the pairing counts' sums, and shows the statistics; no rule, nothing changes."""
    from likertflow.disclosure import recover
    from likertflow.weighting import PAIR_FLOW_RELATIONS, publish_pairs

    (tests, tables, flow), _, _ = course
    nhs = policy_of({"rule": "nhs"})
    shown, cells, counts = publish_pairs(tests, tables, flow, nhs, 0.05)
    assert counts["n"].tolist() == [240, 200, 0, "*", 55, 10, 185]  # 240 202 0 3 53 12 187
    assert counts["stage"].tolist() == flow["stage"].tolist()
    assert shown["pairs"].tolist() == [185] * 4
    assert shown["unchanged"].tolist() == [60, 60, 60, 65]  # 60 58 61 65
    assert shown["signed_rank_v"].tolist() == ["*"] * 4
    assert shown["marginal_statistic"].tolist() == ["*"] * 4
    assert shown["p"].tolist() == ["<0.001", "<0.001", "<0.001", "0.48"]
    assert shown["marginal_p"].tolist() == ["<0.001", "0.003", "<0.001", "0.92"]
    assert shown["rank_biserial"].tolist() == ["0.56", "0.37", "0.52", "-0.07"]
    assert shown["rb_ci_low"].tolist() == ["0.41", "0.19", "0.35", "-0.27"]
    assert shown["rb_ci_high"].tolist() == ["0.68", "0.53", "0.65", "0.13"]
    assert shown["marginal_df"].tolist() == [4] * 4 and shown["exact"].eq(False).all()
    assert list(cells.columns) == list(tables.columns)
    for exact, published in zip(tables["n"], cells["n"], strict=True):
        if 1 <= exact <= 7:
            assert published == "*"
        elif published != "*":  # kept, or hidden as a second cell against subtraction
            assert published == 5 * round(exact / 5) or (exact == 0 and published == 0)
    threshold = policy_of({"rule": "threshold", "min_count": 10})
    shown, _, counts = publish_pairs(tests, tables, flow, threshold, 0.05)
    # 3 without an id after: hidden, and so is the 12 in the after wave only (202 - 12 - 187
    # would give the 3 back)
    assert counts["n"].tolist() == [240, 202, 0, "*", 53, "*", 187]
    assert recover(list(enumerate(counts["n"])), PAIR_FLOW_RELATIONS, threshold) == {}
    assert shown["pairs"].tolist() == [187] * 4
    assert shown["signed_rank_v"].tolist() == ["6334.50", "5740.50", "6066.00", "3487.00"]
    assert shown["marginal_statistic"].tolist() == ["34.48", "16.32", "29.14", "0.93"]
    few = tests.assign(pairs=5)  # a pair table of 5: hidden, its tests with it
    shown, _, _ = publish_pairs(few, tables.iloc[:0], flow, threshold, 0.05)
    assert shown["pairs"].tolist() == ["*"] * 4
    for column in ["p", "marginal_p", "rank_biserial", "signed_rank_v", "marginal_statistic"]:
        assert shown[column].eq("*").all(), column
    same = publish_pairs(tests, tables, flow, policy_of({"rule": "none"}), 0.05)
    assert all(x is y for x, y in zip(same, (tests, tables, flow), strict=True))


# -- the national example's weighted panel and design summary -----------------------------------


def national_panel(national, level=0.95):
    from likertflow.settings import Pair, WeightingSettings
    from likertflow.weighting import weighted_panel

    config, questionnaires, analysed, units = national
    pair = Pair.from_params(config["pairs"]["panel"], "pairs.panel")
    settings = WeightingSettings.from_params(
        {**{k: config["analysis"][k] for k in WeightingSettings.keys()}, "confidence_level": level}
    )
    return weighted_panel("panel", pair, analysed, units, questionnaires, settings)


def test_national_weighted_panel_equals_r(national):
    """The adults matched with their follow-up as a domain of the adults' design: weighted
    means, svyttest of the paired differences and the weighted before-by-after table
    (tests/r/national_weighted_compare.R)."""
    want = expected("national_weighted_compare")
    tests, tables = national_panel(national)
    assert tests["statement"].tolist() == ["gp_access", "hospital_trust", "transport", "grow_old"]
    adults = national[1]["adults"]
    for row in tests.itertuples():
        assert_weighted_panel_test_equals_r(row, want)
        assert row.pair == "panel" and row.question == adults.question(row.statement).text
        assert row.method == (
            "design-based one-sample t test of the paired differences after - before "
            "(survey::svyttest(d ~ 0)), 95% interval and p from t on 16 df; the matched people a "
            f"domain of adults's design ({ADULTS_DESIGN}), weighted by its weights; design "
            f"effect against {SRSWOR}. Not a rank test: no design-based signed-rank test exists "
            "in survey (svyranktest compares independent groups)"
        )
    labels = list(adults.question("gp_access").answers.labels)[:5]
    for statement, part in tables.groupby("statement", sort=False):
        assert list(zip(part["before"], part["after"], strict=True)) == [
            (x, y) for x in labels for y in labels
        ]  # fmt: skip
        assert part["n"].sum() == want[("panel", "", "matched")]
        for cell, row in enumerate(part.itertuples(), 1):
            assert_weighted_panel_cell_equals_r(row, cell, statement, want)
            if row.n:  # the domain's responses over the cell's design effect
                assert row.n_effective == pytest.approx(264 / row.deff, rel=1e-12)
            else:
                assert np.isnan(row.deff) and np.isnan(row.n_effective)
            assert row.method == (
                f"design-based proportion, Taylor linearisation ({ADULTS_DESIGN}); 95% logit "
                f"interval on 17 df (survey::svyciprop method = 'logit'); design effect against "
                f"{SRSWOR}"
            )
    # at 90 %: t's quantile on 16 df
    other, _ = national_panel(national, 0.9)
    row = other.iloc[0]
    half = 1.7458836762762506 * row["std_error"]  # qt(0.95, 16)
    assert row["ci_low"] == pytest.approx(row["mean_difference"] - half, rel=1e-12)
    assert row["ci_high"] == pytest.approx(row["mean_difference"] + half, rel=1e-12)
    assert "90% interval and p from t on 16 df" in row["method"]


def test_the_weighted_panel_as_published_takes_the_pair_tables_counts(national, tmp_path):
    """Each count as the unweighted pair tables publish it (read back from their CSV, as
    compare_weighted_pairs does); a weighted statistic at 2 decimals where that count passes,
    the t statistic withheld under rounding, p as journals print it, the effective n from the
    published number of pairs."""
    from likertflow.files import read_csv, write_csv
    from likertflow.weighting import publish_pairs, publish_weighted_pairs

    _, questionnaires, analysed, _ = national
    tests, tables = national_panel(national)
    before, after = questionnaires["adults"], questionnaires["adults_followup"]
    made = pair_tables("panel", analysed["adults"], analysed["adults_followup"], before, after,
                       [], 0.95)  # fmt: skip
    for policy in (policy_of({"rule": "nhs"}), policy_of({"rule": "threshold", "min_count": 10})):
        published = publish_pairs(*made, policy, 0.05)
        write_csv(published[0], tmp_path / "tests.csv")
        write_csv(published[1], tmp_path / "tables.csv")
        published_tests = read_csv(tmp_path / "tests.csv", dtype=str)
        published_tables = read_csv(tmp_path / "tables.csv", dtype=str)
        shown, cells = publish_weighted_pairs(tests, tables, published_tests, published_tables,
                                              policy, 0.05)  # fmt: skip
        pairs = published_tests["pairs"].tolist()
        assert shown["n"].tolist() == pairs
        for column in ["weighted_mean_before", "weighted_mean_after", "mean_difference",
                       "ci_low", "ci_high", "std_error", "deff"]:  # fmt: skip
            assert shown[column].tolist() == [f"{v:.2f}" for v in tests[column]], column
        rounding = policy.rounding > 1
        assert shown["statistic"].tolist() == (
            ["*"] * 4 if rounding else [f"{v:.2f}" for v in tests["statistic"]]
        )
        assert shown["p"].tolist() == ["<0.001", "0.52", "0.03", "0.003"]
        assert shown["df"].tolist() == [16] * 4
        assert cells["n"].tolist() == published_tables["n"].tolist()
        each = dict(zip(published_tests["statement"], published_tests["pairs"], strict=True))
        for row, exact in zip(cells.itertuples(), tables.itertuples(), strict=True):
            if row.n == "*" or int(row.n) < 8:  # nhs and threshold 10: no statistic below 8
                assert row.weighted_percent == row.deff == row.n_effective == "*"
            else:
                assert row.weighted_percent == f"{exact.weighted_percent:.2f}"
                assert row.n_effective == f"{int(each[row.statement]) / exact.deff:.2f}"
    assert pairs == ["264"] * 4  # threshold: exact
    none = policy_of({"rule": "none"})
    same = publish_weighted_pairs(tests, tables, published_tests, published_tables, none, 0.05)
    assert same[0] is tests and same[1] is tables


def test_the_design_summary_states_the_design_and_kish_s_effect(national):
    """Per questionnaire: its design columns, strata and PSUs, the full sample's responses (the
    raw exports' rows) and the analysed ones, their weights' sum and Kish's design effect
    n sum w^2 / (sum w)^2, the effective n (sum w)^2 / sum w^2."""
    from likertflow.weighting import design_summary

    _, questionnaires, analysed, units = national
    for survey, clusters, psus, strata in [("adults", "Area", 22, 5), ("carers", "", "", 2)]:
        questionnaire = questionnaires[survey]
        design = design_of(units[survey], questionnaire)
        row = design_summary(survey, questionnaire, units[survey], analysed[survey],
                             design).iloc[0]  # fmt: skip
        raw = pd.concat(pd.read_csv(p, dtype=str) for p in (RAW / survey).glob("*.csv"))
        assert row["n"] == len(raw)  # every exported response, excluded ones included
        w = analysed[survey][WEIGHT].to_numpy("float64")
        spec = questionnaire.design
        assert (row["survey"], row["weight"], row["strata"], row["clusters"], row["fpc"]) == (
            survey,
            "Weight",
            spec.strata,
            clusters,
            spec.fpc,
        )
        assert (row["lonely_psu"], row["n_strata"], row["n_psus"]) == ("adjust", strata, psus)
        assert row["n_analysed"] == len(w)
        assert row["sum_of_weights"] == pytest.approx(w.sum(), rel=1e-12)
        assert row["kish_deff"] == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2, rel=1e-12)
        assert row["n_effective"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
        assert row["method"] == (
            f"design: {design.describe()}; weights used as delivered (checked positive and "
            "finite at ingest); exclusions and subgroups are domains of the full design "
            "(survey::subset); Kish's design effect of weighting 1 + CV^2"
        )
    # no strata, no fpc, nobody analysed
    carers = questionnaires["carers"]
    bare = dataclasses.replace(carers, design=dataclasses.replace(carers.design, strata=None,
                                                                  fpc=None))  # fmt: skip
    units = pd.DataFrame({"stratum": ["all"], "psu": [""], "responses": [4],
                          "population": [np.nan]})  # fmt: skip
    row = design_summary("carers", bare, units, analysed["carers"].iloc[:0],
                         design_of(units, bare)).iloc[0]  # fmt: skip
    assert (row["strata"], row["fpc"], row["n"], row["n_analysed"]) == ("", "", 4, 0)
    assert row["sum_of_weights"] == 0 and np.isnan(row["kish_deff"])
    assert np.isnan(row["n_effective"])
    assert "with replacement (no fpc)" in row["method"]


# -- the sampling units as written, and refusals word for word -----------------------------------


def raw_exports(survey: str) -> pd.DataFrame:
    return pd.concat(pd.read_csv(p, dtype=str) for p in sorted((RAW / survey).glob("*.csv")))


def test_sampling_units_are_each_psu_s_responses_and_its_stratum_s_population(adults, batches):
    """A clustered design with an fpc: per (Region, Area) of the raw exports its rows, per Region
    its `Areas in region`; an unclustered, unstratified design without one: every response in
    one stratum "all", no PSU label, no population (NaN, a number column). Responses are
    counts."""
    raw = raw_exports("adults")
    want = raw.groupby(["Region", "Area"]).agg(responses=("Area", "size"),
                                               population=("Areas in region", "first"))
    units = sample_units(batches, adults)
    assert units.columns.tolist() == ["stratum", "psu", "responses", "population"]
    assert units["stratum"].tolist() == want.index.get_level_values(0).tolist()
    assert units["psu"].tolist() == want.index.get_level_values(1).tolist()
    assert units["responses"].dtype == "int64" and units["population"].dtype == "float64"
    assert units["responses"].tolist() == want["responses"].tolist()
    assert units["population"].tolist() == want["population"].astype(float).tolist()

    carers = load_questionnaires(NATIONAL / "codebook.yaml")["carers"]
    plain = dataclasses.replace(carers, design=dataclasses.replace(carers.design, strata=None,
                                                                   fpc=None))  # fmt: skip
    plain_batches = [ingest_export(path, plain, path.stem)
                     for path in sorted((RAW / "carers").glob("*.csv"))]  # fmt: skip
    units = sample_units(plain_batches, plain)
    assert units[["stratum", "psu", "responses"]].values.tolist() == [
        ["all", "", len(raw_exports("carers"))]
    ]
    assert units["responses"].dtype == "int64" and units["population"].dtype == "float64"
    assert np.isnan(units["population"][0])
    # stratified, unclustered: each stratum's responses, no PSU label
    carers_batches = [ingest_export(path, carers, path.stem)
                      for path in sorted((RAW / "carers").glob("*.csv"))]  # fmt: skip
    units = sample_units(carers_batches, carers)
    settings = raw_exports("carers")["Setting"].value_counts()
    assert units[["stratum", "psu", "responses"]].values.tolist() == [
        ["Rural", "", settings["Rural"]], ["Urban", "", settings["Urban"]]
    ]  # fmt: skip


def test_an_fpc_that_differs_within_a_stratum_is_refused_naming_each_stratum(adults, batches):
    changed = [batch.copy() for batch in batches]
    changed[0].loc[0, "_fpc"] = 61.0  # the first export's first row: North, 60 areas
    changed[1].loc[0, "_fpc"] = 69.5  # the second's: South, 70
    with pytest.raises(InputError) as caught:
        sample_units(changed, adults)
    assert str(caught.value) == (
        "adults: the finite population correction differs within a stratum\n"
        "  - adults exports, column 'Areas in region': found 'stratum North: 60 to 61'; "
        "expected one population size per stratum\n"
        "  - adults exports, column 'Areas in region': found 'stratum South: 69.5 to 70'; "
        "expected one population size per stratum"
    )


def repeated_link_ids():
    """The course's waves, the follow-up holding six people twice."""
    before, after, b, a = pair_inputs()
    twice = pd.DataFrame({"confident": [3] * 12, "ask_for_help": [3] * 12, "exercise": [3] * 12,
                          "medicines": [3] * 12, LINK: list("pqrstu" * 2)}).astype(
        {column: "Int16" for column in ("confident", "ask_for_help", "exercise", "medicines")}
    )  # fmt: skip
    return before, pd.concat([after, twice], ignore_index=True), b, a


@pytest.mark.parametrize("weighted", [False, True])
def test_a_link_id_twice_in_one_wave_is_refused_naming_the_first_five(weighted):
    before, after, b, a = repeated_link_ids()
    with pytest.raises(InputError) as caught:
        if weighted:  # refused before the design is used
            weighted_pair_tables("panel", before, after, b, a, [], None, 0.95, "logit", "srswor")
        else:
            pair_tables("panel", before, after, b, a, [], 0.95)
    name = "panel"
    assert str(caught.value) == "\n".join(
        [f"{name}: a linking id occurs twice among the analysed responses of followup (each "
         "person answers each wave once)"]
        + [f"  - followup exports, column 'Learner ID': found '{x}'; expected a linking id used "
           "once per wave" for x in "pqrst"]
    )  # fmt: skip


def test_questionnaires_without_a_design_are_named_when_stacked(adults):
    questionnaires = load_questionnaires(NATIONAL / "codebook.yaml")
    bare_carers = dataclasses.replace(questionnaires["carers"], design=None)
    rows = pd.DataFrame({WEIGHT: [1.0]})
    units = pd.DataFrame({"stratum": ["all"], "psu": [""], "responses": [1],
                          "population": [np.nan]})  # fmt: skip
    with pytest.raises(D.DesignError) as caught:
        stacked_design([(rows, units, adults), (rows, units, questionnaires["adults_followup"]),
                        (rows, units, bare_carers)])  # fmt: skip
    assert str(caught.value) == (
        "adults_followup, carers declare no survey design: a design-based comparison of "
        "questionnaires needs the design of each"
    )
    removing = dataclasses.replace(adults, design=dataclasses.replace(adults.design,
                                                                      lonely_psu="remove"))
    with pytest.raises(D.DesignError) as caught:
        stacked_design([(rows, units, adults), (rows, units, removing)])
    assert str(caught.value) == (
        "the questionnaires compared declare different lonely_psu rules (['adjust', 'remove']): "
        "a stacked design has one; declare the same in each"
    )


def test_stacked_samples_without_an_fpc_are_sampled_with_replacement(adults):
    """No fpc declared: the stratum's population is infinite (no finite population correction),
    whatever the units file holds."""
    carers = load_questionnaires(NATIONAL / "codebook.yaml")["carers"]
    no_fpc = dataclasses.replace(carers, design=dataclasses.replace(carers.design, fpc=None))
    plain = pd.DataFrame({WEIGHT: [5.0, 5.0, 5.0], STRATUM: ["u", "u", "r"]})
    units = pd.DataFrame({"stratum": ["r", "u"], "psu": ["", ""], "responses": [5, 9],
                          "population": [np.nan, np.nan]})  # fmt: skip
    clustered = pd.DataFrame({WEIGHT: [2.0, 3.0], STRATUM: ["a", "a"], PSU: ["1", "2"]})
    units_a = pd.DataFrame({"stratum": ["a", "a", "a"], "psu": ["1", "2", "3"],
                            "responses": [4, 2, 1], "population": [10.0] * 3})  # fmt: skip
    _, design = stacked_design([(clustered, units_a, adults), (plain, units, no_fpc)])
    assert design.strata.tolist() == ["adults: a", "carers: r", "carers: u"]
    assert design.population.tolist() == [10.0, np.inf, np.inf]


# -- the weighted tables as published ------------------------------------------------------------


def test_a_published_comparison_shows_t_as_the_policy_shows_a_test_statistic_and_p_as_journals():
    """NHS rule: every t withheld (with the estimate it would give the group sizes back), the
    estimate at 2 decimals and p as journals print it where the published n passes; a
    threshold shows t at 2 decimals. A hidden n hides every statistic of its row."""
    from likertflow.weighting import TEST_COLUMNS, publish_comparisons

    method = "Lumley & Scott design-based rank test; t on 16 df"
    table = pd.DataFrame([
        ["c", "s", "q", 40, "A; B", "design-based rank test", -2.1234, 16, 0.0461, 0.054, method],
        ["c", "s", "q", 5, "A; B", "design-based rank test", 2.5, 16, 0.00834, 0.061, method],
        ["c", "s", "r", 12, "A; B", "design-based rank test", 0.4, 16, 0.6913, -0.012, method],
    ], columns=TEST_COLUMNS)  # fmt: skip
    nhs = publish_comparisons(table, policy_of({"rule": "nhs"}), 0.05)
    assert nhs["n"].tolist() == [40, "*", 10]
    assert nhs["statistic"].tolist() == ["*", "*", "*"]
    assert nhs["estimate"].tolist() == ["0.05", "*", "-0.01"]
    assert nhs["p"].tolist() == ["0.046", "*", "0.69"]
    assert nhs["df"].tolist() == [16] * 3 and nhs["method"].tolist() == [method] * 3
    threshold = publish_comparisons(table, policy_of({"rule": "threshold", "min_count": 10}),
                                    0.05)  # fmt: skip
    assert threshold["n"].tolist() == [40, "*", 12]
    assert threshold["statistic"].tolist() == ["-2.12", "*", "0.40"]
    assert threshold["p"].tolist() == ["0.046", "*", "0.69"]


def test_weighted_frequencies_as_published_take_each_answer_s_count_from_its_plan():
    """Each answer's n as the disclosure plan publishes it (found by question and code), its
    statistics where that count passes; an answer the plan lacks hidden; the effective n from
    the plan's published denominator; a count of 0 has no statistic."""
    from likertflow.weighting import FREQUENCY_COLUMNS, publish_frequencies_table

    def row(question, code, n, percent, deff):
        return ["s", question, "Q?", f"answer {code}", code, n, percent, percent - 5,
                percent + 5, 2.0, deff, 30 / deff, 20, "logit"]

    table = pd.DataFrame([row("q1", 1, 12, 52.0, 1.25), row("q1", 2, 11, 48.0, 1.5),
                          row("q2", 1, 31, 70.123, 2.0), row("q2", 2, 0, 0.0, np.nan),
                          row("q2", 3, 13, 29.877, 1.6)], columns=FREQUENCY_COLUMNS)  # fmt: skip
    plans = {"s": pd.DataFrame({"question_id": ["q2", "q2", "q1", "q1", "q2"],
                                "code": ["1", "2", "1", "2", "4"],
                                "n": ["30", "0", "10", "*", "5"],
                                "denominator": ["45", "45", "25", "25", "45"]})}  # fmt: skip
    published = publish_frequencies_table(table, plans, nhs_policy())
    assert published["n"].tolist() == ["10", "*", "30", "0", "*"]
    assert published["weighted_percent"].tolist() == ["52.00", "*", "70.12", "*", "*"]
    assert published["deff"].tolist() == ["1.25", "*", "2.00", "*", "*"]
    assert published["n_effective"].tolist() == ["20.00", "*", "22.50", "*", "*"]
    assert published.columns.tolist() == FREQUENCY_COLUMNS
    empty = table.iloc[:0]
    assert publish_frequencies_table(empty, plans, nhs_policy()) is empty


def test_weighted_frequencies_of_the_national_example_as_published(national):
    """The whole table through the rule: where the plan's count passes, each statistic is the
    exact one at 2 decimals, row by row."""
    from likertflow.weighting import WEIGHTED_STATISTICS, publish_frequencies_table

    _, questionnaires, analysed, _ = national
    table = frequencies_table(analysed["adults"], questionnaires["adults"],
                              adults_design(national), 0.95, "logit", "srswor")  # fmt: skip
    policy = policy_of({"rule": "threshold", "min_count": 50})  # hides a few answers
    plan = pd.DataFrame({"question_id": table["question_id"], "code": table["code"].astype(str),
                         "n": [policy.publish(int(n)) for n in table["n"]],
                         "denominator": table.groupby("question_id")["n"].transform("sum")})
    published = publish_frequencies_table(table, {"adults": plan}, policy)
    assert (published["n"] == "*").any() and (published["n"] != "*").any()
    for exact, shown in zip(table.itertuples(), published.itertuples(), strict=True):
        for column in WEIGHTED_STATISTICS:
            want = "*" if shown.n == "*" else f"{getattr(exact, column):.2f}"
            if column == "n_effective" and shown.n != "*":
                want = f"{plan['denominator'][exact.Index] / exact.deff:.2f}"
            assert getattr(shown, column) == want, (exact.Index, column)


def test_a_theme_nobody_scored_is_published_without_statistics():
    from likertflow.weighting import MEAN_COLUMNS, publish_means_table

    means = pd.DataFrame([["s", "theme", 0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 20,
                           "t"]], columns=MEAN_COLUMNS)  # fmt: skip
    published = publish_means_table(means, nhs_policy())
    assert published["n"].tolist() == [0]
    assert published[["weighted_mean", "deff", "n_effective"]].values.tolist() == [["*"] * 3]


# -- what is tested, and on which domain ---------------------------------------------------------


def test_groups_leave_out_the_omitted_answers(national):
    from likertflow.weighting import question_groups

    _, questionnaires, analysed, _ = national
    rows = analysed["adults"]
    group, labels = question_groups(rows, questionnaires["adults"], "age_band", ["35-64"])
    assert labels == ["18-34", "65 and over"]
    want = rows["age_band"].map({1: 0, 2: -1, 3: 1}).fillna(-1).astype("int64")
    assert group.tolist() == want.tolist()


def test_design_outcomes_are_ordinal_answers_or_theme_scores(national):
    """A statement's codes (ITEM) or a theme's score (THEME), float64 with NaN where missing;
    an unordered answer, a number or an outcome the questionnaire lacks is none."""
    from likertflow.themes import theme_score
    from likertflow.weighting import ITEM, THEME, design_outcome

    _, questionnaires, analysed, _ = national
    adults, rows = questionnaires["adults"], analysed["adults"]
    for outcome in ["sex", "age", "nonsense"]:
        assert design_outcome(rows, adults, outcome) is None, outcome
    values, kind = design_outcome(rows, adults, "age_band")
    assert kind == ITEM and values.dtype == "float64"
    np.testing.assert_array_equal(values, rows["age_band"].astype("Float64").to_numpy(
        "float64", na_value=np.nan))  # fmt: skip
    values, kind = design_outcome(rows, adults, "local_services")
    assert kind == THEME and values.dtype == "float64"
    np.testing.assert_array_equal(values, theme_score(rows, adults,
                                                      adults.themes["local_services"]))


def test_a_comparison_tests_two_point_outcomes_and_leaves_out_one_value_or_one_group(national):
    """Outcomes with a single value, or values in a single group, are left out, and the
    outcomes after them are still tested; a two-point outcome is tested (rank test and model);
    a theme's rows are followed by the next outcome's."""
    from likertflow.weighting import ITEM, THEME, comparison_table, question_groups

    _, questionnaires, analysed, _ = national
    adults, rows = questionnaires["adults"], analysed["adults"]
    group, labels = question_groups(rows, adults, "sex", [])
    gp = rows["gp_access"].astype("Float64").to_numpy("float64", na_value=np.nan)
    theme = rows[["gp_access", "transport"]].astype("Float64").mean(axis=1).to_numpy("float64")
    outcomes = {
        "constant": (np.where(np.isnan(gp), np.nan, 3.0), ITEM),
        "women_only": (np.where(group == 0, gp, np.nan), ITEM),
        "theme": (theme, THEME),
        "agree": (np.where(np.isnan(gp), np.nan, (gp >= 4).astype(float)), ITEM),
    }
    table = comparison_table("c", "adults", rows, group, labels, outcomes,
                             adults_design(national), 0.95)  # fmt: skip
    assert table["outcome"].tolist() == ["theme"] * 2 + ["agree"] * 2
    assert table["test"].tolist() == ["design-based rank test", "difference in means",
                                      "design-based rank test", "proportional-odds model"]
    assert table["n"].tolist() == [int(((group >= 0) & ~np.isnan(gp)).sum())] * 4
    assert table["groups"].tolist() == ["Woman; Man", "Man vs Woman"] * 2


# R: print(qt(0.95, c(16, 174)), digits = 17): the models' df of the adults' design (svyglm and
# svyolr: degf - 1) and of the adults and carers stacked
QT_095 = {16: 1.7458836762762493, 174: 1.6536580165162129}


@pytest.mark.parametrize("name", ["adults_by_sex", "adults_vs_carers"])
def test_a_comparison_at_90_percent_gives_its_models_intervals_on_t(national, name):
    """The interval a model's method opens with: estimate -+ qt(0.95, df) x its standard error
    (|estimate / t|), at the configured level."""
    from likertflow.weighting import weighted_comparison

    config, questionnaires, analysed, units = national
    table = weighted_comparison(name, comparison_of(config, name), analysed, units,
                                questionnaires, {}, 0.9)  # fmt: skip
    models = table[table["test"] != "design-based rank test"]
    assert set(models["test"]) == {"difference in means", "proportional-odds model"}
    for row in models.itertuples():
        quantile = QT_095[row.df]
        se = abs(row.estimate / row.statistic)
        low, high = (float(x) for x in re.match(r"[^(]*\((\S+) to (\S+)\)", row.method).groups())
        assert low == pytest.approx(row.estimate - quantile * se, rel=1e-5)
        assert high == pytest.approx(row.estimate + quantile * se, rel=1e-5)


def test_questionnaires_compared_on_an_outcome_only_one_asks_leave_it_out(national):
    from likertflow.settings import Comparison
    from likertflow.weighting import weighted_comparison

    config, questionnaires, analysed, units = national
    comparison = Comparison.from_params(
        {**config["comparisons"]["adults_vs_carers"], "outcomes": ["age_band", "gp_access"]},
        "comparisons.c",
    )
    table = weighted_comparison("c", comparison, analysed, units, questionnaires, {}, 0.95)
    assert table["outcome"].unique().tolist() == ["gp_access"]


def test_a_comparison_on_a_design_that_cannot_be_used_names_its_design_block(national):
    from likertflow.weighting import weighted_comparison

    config, questionnaires, analysed, units = national
    adults = questionnaires["adults"]
    failing = dataclasses.replace(adults, design=dataclasses.replace(adults.design,
                                                                     lonely_psu="fail"))
    with pytest.raises(InputError) as caught:
        weighted_comparison("adults_by_sex", comparison_of(config, "adults_by_sex"), analysed,
                            units, {**questionnaires, "adults": failing}, {}, 0.95)  # fmt: skip
    assert caught.value.problems[0].file == "codebook questionnaires.adults.design"
    assert "Islands" in caught.value.problems[0].value


def test_a_question_nobody_answered_is_left_out_of_the_weighted_frequencies(national):
    _, questionnaires, analysed, _ = national
    adults, rows = questionnaires["adults"], analysed["adults"]
    design = adults_design(national)
    table = frequencies_table(rows.assign(sex=pd.NA), adults, design, 0.95, "logit", "srswor")
    assert table["question_id"].unique().tolist() == [
        "age_band", "gp_access", "hospital_trust", "transport", "grow_old"
    ]  # fmt: skip
    statements = [q.id for q in adults.questions if not q.numeric]
    nobody = frequencies_table(rows.assign(**{q: pd.NA for q in statements}), adults, design,
                               0.95, "logit", "srswor")  # fmt: skip
    assert nobody.empty and nobody.columns.tolist() == table.columns.tolist()


def test_weighted_design_effects_against_sampling_with_replacement(national):
    """survey's deff = "replace" leaves out the srs variance's (1 - n / sum w) of deff = TRUE
    (svymean.survey.design2: n and sum w of the domain), so the two design effects of each
    answer differ by that factor."""
    _, questionnaires, analysed, _ = national
    adults, rows = questionnaires["adults"], analysed["adults"]
    design = adults_design(national)
    wor = frequencies_table(rows, adults, design, 0.95, "logit", "srswor")
    wr = frequencies_table(rows, adults, design, 0.95, "logit", "srswr")
    weights = rows[WEIGHT].astype("float64")
    for a, b in zip(wor.itertuples(), wr.itertuples(), strict=True):
        answered = rows[a.question_id].notna()
        fraction = answered.sum() / weights[answered].sum()
        assert b.deff == pytest.approx(a.deff * (1 - fraction), rel=1e-9), a
        assert b.std_error == a.std_error and "(survey's deff = 'replace')" in b.method


# -- pairs: which statements, which people, which test ------------------------------------------


@pytest.fixture(scope="module")
def habits(tmp_path_factory):
    """The course's codebook with a two-point statement (reminder: No 0, Yes 1), and two waves
    of 21 learners: 20 matched (their reminder answers No-No 5, No-Yes 7, Yes-No 2, Yes-Yes 6),
    one whose id is empty in both (never matched)."""
    codebook = load(BEFORE_AFTER)[1]
    codebook["answer_sets"]["yes_no"] = {"ordinal": True, "options": [
        {"label": "No", "code": 0}, {"label": "Yes", "code": 1}]}  # fmt: skip
    codebook["statement_sets"]["habits"] = {"label": "Habits", "answers": "yes_no"}
    codebook["statements"].append({"id": "reminder", "statement_set": "habits",
                                   "wording": "I use a reminder"})  # fmt: skip
    path = tmp_path_factory.mktemp("habits") / "codebook.yaml"
    path.write_text(yaml.safe_dump(codebook), encoding="utf-8")
    questionnaires = load_questionnaires(path)
    before_reminder = [0] * 12 + [1] * 8
    after_reminder = [0] * 5 + [1] * 7 + [0] * 2 + [1] * 6
    ids = [f"L{i:02d}" for i in range(20)] + [""]

    def wave(reminder, confident):
        frame = pd.DataFrame({"confident": confident, "ask_for_help": [3] * 21,
                              "exercise": [3] * 21, "medicines": [3] * 21,
                              "reminder": reminder, LINK: ids})  # fmt: skip
        return frame.astype({q: "Int16" for q in ["confident", "ask_for_help", "exercise",
                                                   "medicines", "reminder"]})  # fmt: skip

    before = wave([*before_reminder, 1], [(i % 5) + 1 for i in range(21)])
    after = wave([*after_reminder, 0], [((i + 1) % 5) + 1 for i in range(21)])
    return before, after, questionnaires["baseline"], questionnaires["followup"]


def test_a_two_point_statement_s_marginal_test_is_mcnemar_s(habits):
    """R: m <- matrix(c(5, 2, 7, 6), 2); mcnemar.test(m): chi-squared 16 / 9 on 1 df,
    p 0.18242243945173581, with the continuity correction."""
    before, after, b, a = habits
    tests, tables, flow = pair_tables("habits", before, after, b, a, ["reminder"], 0.95)
    assert tests["statement"].tolist() == ["reminder"]  # the outcomes asked for only
    row = tests.iloc[0]
    assert row["pairs"] == 20 and row["unchanged"] == 11
    assert row["marginal_statistic"] == pytest.approx(16 / 9, rel=1e-12)
    assert row["marginal_df"] == 1
    assert row["marginal_p"] == pytest.approx(0.18242243945173581, rel=1e-9)
    assert row["marginal_test"].startswith("McNemar")
    assert tables["n"].tolist() == [5, 7, 2, 6]
    n = dict(zip(flow["stage"], flow["n"], strict=True))
    assert n["without a linking id in baseline"] == n["without a linking id in followup"] == 1
    assert n["matched pairs"] == 20


def test_pairs_compare_the_ordinal_statements_both_waves_ask(habits):
    from likertflow.weighting import pair_outcomes

    _, _, b, a = habits
    assert pair_outcomes(b, a, []) == ["confident", "ask_for_help", "exercise", "medicines",
                                       "reminder"]  # fmt: skip
    fewer = dataclasses.replace(a, questions=tuple(q for q in a.questions if q.id != "exercise"))
    assert pair_outcomes(b, fewer, []) == ["confident", "ask_for_help", "medicines", "reminder"]
    assert pair_outcomes(b, fewer, ["medicines"]) == ["medicines"]


def test_a_statement_s_codes_are_floats_missing_where_off_the_scale():
    from likertflow.weighting import scored_codes

    rows = pd.DataFrame({"confident": pd.array([1, None, 5, 7, 3], dtype="Int16")})
    baseline = load_questionnaires(BEFORE_AFTER / "codebook.yaml")["baseline"]
    codes = scored_codes(rows, baseline, "confident")
    assert codes.dtype == "float64"
    np.testing.assert_array_equal(codes, [1.0, np.nan, 5.0, np.nan, 3.0])


Z = {0.95: 1.959963984540054, 0.9: 1.6448536269514722}  # R: qnorm(0.975), qnorm(0.95)


def test_the_rank_biserial_interval_is_at_the_configured_level(course):
    """tanh(atanh(r) -+ z se): at 90 % the same se with qnorm(0.95) for qnorm(0.975)."""
    (tests, _, _), analysed, b = course
    a = load_questionnaires(BEFORE_AFTER / "codebook.yaml")["followup"]
    other, _, _ = pair_tables("course", analysed["baseline"], analysed["followup"], b, a, [], 0.9)
    for wide, narrow in zip(tests.itertuples(), other.itertuples(), strict=True):
        se = (np.arctanh(wide.rb_ci_high) - np.arctanh(wide.rank_biserial)) / Z[0.95]
        assert narrow.rank_biserial == wide.rank_biserial
        assert narrow.rb_ci_high == pytest.approx(
            np.tanh(np.arctanh(wide.rank_biserial) + Z[0.9] * se), rel=1e-9
        )


QT_0975_1 = 12.706204736174698  # tan(0.475 pi): t on 1 df is Cauchy's


def test_a_weighted_panel_on_a_design_of_two_df_is_tested_on_one(habits):
    """Three PSUs in one stratum: degf 2, so svyttest's t on 1 df: p = 1 - 2 atan(|t|) / pi and
    the interval's quantile tan(0.475 pi), both Cauchy's. A statement without pairs is left out
    and the next one tested."""
    before, after, b, a = habits
    before = before.assign(**{WEIGHT: [1.0 + (i % 4) for i in range(21)],
                              PSU: [str(i % 3) for i in range(21)]})  # fmt: skip
    after = after.assign(exercise=pd.array([None] * 21, dtype="Int16"))
    design = D.SampleUnits(np.array(["all"] * 3, dtype=object), np.array(["0", "1", "2"],
                           dtype=object), np.array([7, 7, 7])).design(None, "adjust")  # fmt: skip
    tests, _ = weighted_pair_tables("p", before, after, b, a, ["exercise", "confident"], design,
                                    0.95, "logit", "srswor")  # fmt: skip
    assert tests["statement"].tolist() == ["confident"]
    row = tests.iloc[0]
    assert row["df"] == 1 and row["n"] == 20
    assert row["statistic"] == pytest.approx(row["mean_difference"] / row["std_error"], rel=1e-12)
    assert row["p"] == pytest.approx(1 - 2 * np.arctan(abs(row["statistic"])) / np.pi, rel=1e-9)
    half = QT_0975_1 * row["std_error"]
    assert row["ci_low"] == pytest.approx(row["mean_difference"] - half, rel=1e-9)
    assert row["ci_high"] == pytest.approx(row["mean_difference"] + half, rel=1e-9)


def test_a_weighted_panel_s_design_effects_against_sampling_with_replacement(national):
    """As for the frequencies: each design effect of the panel (the paired differences' and each
    cell's) is deff = TRUE's times (1 - n / sum w) of the matched people's domain."""
    _, questionnaires, analysed, _ = national
    before, after = questionnaires["adults"], questionnaires["adults_followup"]
    made = {deff: weighted_pair_tables("panel", analysed["adults"], analysed["adults_followup"],
                                       before, after, [], adults_design(national), 0.95,
                                       "logit", deff) for deff in ("srswor", "srswr")}
    matched = analysed["adults"][LINK].isin(analysed["adults_followup"][LINK])
    weights = analysed["adults"][WEIGHT].astype("float64")[matched]
    factor = 1 - len(weights) / weights.sum()
    assert len(weights) == 264
    for kind in (0, 1):  # tests, tables
        for a, b in zip(made["srswor"][kind].itertuples(), made["srswr"][kind].itertuples(),
                        strict=True):  # fmt: skip
            if np.isnan(a.deff):
                assert np.isnan(b.deff)
            else:
                assert b.deff == pytest.approx(a.deff * factor, rel=1e-9)
            assert b.std_error == a.std_error


def test_a_weighted_panel_whose_pairs_are_hidden_shows_no_statistic(national):
    from likertflow.weighting import publish_pairs, publish_weighted_pairs

    _, questionnaires, analysed, _ = national
    tests, tables = national_panel(national)
    made = pair_tables("panel", analysed["adults"], analysed["adults_followup"],
                       questionnaires["adults"], questionnaires["adults_followup"], [], 0.95)
    policy = policy_of({"rule": "threshold", "min_count": 300})  # 264 pairs: hidden
    published_tests, published_tables, _ = publish_pairs(*made, policy, 0.05)
    shown, cells = publish_weighted_pairs(tests, tables, published_tests, published_tables,
                                          policy, 0.05)  # fmt: skip
    assert shown["n"].tolist() == ["*"] * 4
    for column in ["weighted_mean_before", "weighted_mean_after", "mean_difference", "ci_low",
                   "ci_high", "std_error", "deff", "statistic", "p"]:  # fmt: skip
        assert shown[column].tolist() == ["*"] * 4, column


def test_each_pair_s_flow_is_protected_on_its_own_in_the_flow_s_order():
    """Two pairs in one flow (the later one's name first in the alphabet): each pair's counts
    protected within the pair, the rows kept in their order."""
    from likertflow.weighting import _publish_pair_flow

    panel = [489, 315, 0, 0, 225, 51, 264]
    course = [240, 202, 0, 3, 53, 12, 187]
    flow = pd.DataFrame({"pair": ["panel"] * 7 + ["course"] * 7,
                         "stage": [f"stage {i}" for i in range(7)] * 2,
                         "n": panel + course})  # fmt: skip
    policy = policy_of({"rule": "threshold", "min_count": 10})
    shown = _publish_pair_flow(flow, policy, set())
    assert shown["pair"].tolist() == flow["pair"].tolist()
    assert shown["n"].tolist() == panel + [240, 202, 0, "*", 53, "*", 187]
