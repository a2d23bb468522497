"""Weighted surveys and pairs in the workflow (issue 23): the codebook's design, its validation
at ingest, exclusions as domains of the full design, and the pairing of two waves
(likertflow.weighting; the statistics themselves are tested against R in test_design.py,
test_paired.py and tests/workflow/test_example_design.py)."""

from __future__ import annotations

import copy
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
