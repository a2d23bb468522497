"""Weighted surveys and pairs in the workflow (issue 23): the codebook's design, its validation
at ingest, exclusions as domains of the full design, and the pairing of two waves
(likertflow.weighting; the statistics themselves are tested against R in test_design.py,
test_paired.py and tests/workflow/test_example_design.py)."""

from __future__ import annotations

import copy
import dataclasses
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


def test_an_fpc_that_differs_within_a_stratum_is_refused(adults, batches):
    changed = [batch.copy() for batch in batches]
    changed[0].loc[0, "_fpc"] = 61.0
    with pytest.raises(InputError, match="differs within a stratum"):
        sample_units(changed, adults)


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


def test_a_link_id_twice_in_one_wave_is_refused():
    before, after, b, a = pair_inputs()
    after.loc[3, LINK] = "b"
    with pytest.raises(InputError, match="linking id occurs twice"):
        pair_tables("course", before, after, b, a, [], 0.95)


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
    for frame in (units, plain):
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
