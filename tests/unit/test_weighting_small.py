"""The differences of groups' weighted means (``design_tests.mean_differences``, svyglm) and the
weighted panel (``weighting.weighted_pair_tables``, ``weighting.weighted_panel``: svyttest of the
paired differences, the weighted before-by-after table) on a small hand-made sample
(tests/r/data/weighting_small.csv: 26 responses, 3 strata, 6 PSUs, one stratum with a single
PSU, excluded responses as domains) under three designs, against R's survey package
(tests/r/weighting_small.R; its numbers in tests/expected/weighting_small.csv with the command
that made them; rerun live when R and survey are present). Then the errors of bad input: a panel
whose first wave has no design, a design that cannot be used, questionnaires stacked with
different lonely-PSU rules.
"""

from __future__ import annotations

import csv
import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from likertflow import design as D
from likertflow import design_tests as T
from likertflow.codebook import LINK, PSU, STRATUM, WEIGHT, load_questionnaires
from likertflow.errors import InputError
from likertflow.settings import Pair, WeightingSettings
from likertflow.weighting import (
    THEME,
    comparison_table,
    stacked_design,
    weighted_pair_tables,
    weighted_panel,
)
from support.rscript import run_live

DATA = REPO / "tests" / "r" / "data" / "weighting_small.csv"
EXPECTED = REPO / "tests" / "expected" / "weighting_small.csv"
R_SCRIPT = "tests/r/weighting_small.R"
REL = 1e-6  # the tolerance
# case: (clustered, with the fpc, lonely_psu), as tests/r/weighting_small.R declares them
CASES = {
    "clustered_fpc": (True, True, "adjust"),
    "clustered_average": (True, False, "average"),
    "unclustered": (False, False, "adjust"),
}
STATEMENT = "gp_access"  # the panel's statement: a five-point agreement scale, coded 1 to 5
SETTINGS = WeightingSettings.from_params(
    {"confidence_level": 0.95, "proportion_interval": "logit", "design_effect": "srswor"}
)


def read_expected(path) -> dict[tuple[str, str], float]:
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {(row["what"], row["term"]): float(row["value"]) for row in rows}


def close(got: float, want: float) -> bool:
    if np.isnan(want):
        return bool(np.isnan(got))
    return got == pytest.approx(want, rel=REL, abs=1e-12)


@pytest.fixture(scope="module")
def want() -> dict[tuple[str, str], float]:
    return read_expected(EXPECTED)


@pytest.fixture(scope="module")
def questionnaires():
    return load_questionnaires(REPO / "config" / "examples" / "national_weighted" / "codebook.yaml")


def sample() -> pd.DataFrame:
    return pd.read_csv(DATA, dtype={"stratum": "str", "psu": "str"})


def design_of_case(case: str) -> D.Design:
    """The full sample's design (every response, excluded ones included)."""
    clustered, fpc, lonely = CASES[case]
    data = sample()
    units = D.SampleUnits.from_responses(
        stratum=data["stratum"].to_numpy(object),
        psu=data["psu"].to_numpy(object) if clustered else None,
        length=len(data),
    )
    population = data.groupby("stratum")["population"].first().to_dict() if fpc else None
    return units.design(population, lonely)


def with_design_columns(rows: pd.DataFrame, case: str) -> pd.DataFrame:
    """Rows as the analysed cohort carries them: weight, stratum and (clustered) PSU columns."""
    columns = {WEIGHT: rows["weight"], STRATUM: rows["stratum"]}
    if CASES[case][0]:
        columns[PSU] = rows["psu"]
    return rows.assign(**columns)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("k", [3, 2])
def test_differences_of_weighted_means_equal_svyglm(want, case, k):
    data = sample()
    domain = data[(data["analysed"] == 1) & data["group"].notna() & data["score"].notna()
                  & (data["group"] <= k)]  # fmt: skip
    domain = with_design_columns(domain, case)
    present, group = np.unique(domain["group"], return_inverse=True)
    levels, level = np.unique(domain["score"], return_inverse=True)
    j = len(levels)
    totals = D.CellTotals.from_responses(
        group * j + level, domain[WEIGHT].to_numpy("float64"),
        domain[STRATUM].to_numpy(object), domain[PSU].to_numpy(object) if PSU in domain else None,
    )  # fmt: skip
    cells = np.arange(len(present) * j)
    design = design_of_case(case)
    fit = T.mean_differences(totals, design, cells // j, levels[cells % j], 0.95)
    what = f"{case}/means{k}"
    assert fit.df == want[(what, "df")]
    for g in range(1, k):
        term = f"g{g + 1}"
        for got, name in [(fit.estimate, "estimate"), (fit.std_error, "se"), (fit.t, "t"),
                          (fit.p, "p"), (fit.ci_low, "low"), (fit.ci_high, "high")]:  # fmt: skip
            assert close(float(got[g - 1]), want[(what, f"{term} {name}")]), (term, name)
    # the same numbers through the comparison table's rows (a theme score's outcome)
    rows = data[data["analysed"] == 1]
    rows = with_design_columns(rows, case)
    groups = np.where(rows["group"].le(k).to_numpy(), rows["group"].fillna(0) - 1, -1)
    table = comparison_table("c", "s", rows, groups.astype("int64"), ["1", "2", "3"][:k],
                             {"score": (rows["score"].to_numpy("float64"), THEME)}, design,
                             0.95)  # fmt: skip
    differences = table[table["test"] == "difference in means"]
    assert len(differences) == k - 1
    for g, row in enumerate(differences.itertuples(), start=1):
        assert close(row.estimate, want[(what, f"g{g + 1} estimate")])
        assert close(row.statistic, want[(what, f"g{g + 1} t")])
        assert close(row.p, want[(what, f"g{g + 1} p")])


def panel_waves(case: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first wave's analysed responses (with its design columns) and the follow-up's: the
    people answering again (a missing answer after: no follow-up row), and one person the first
    wave lacks (unmatched, not in the domain)."""
    data = sample()
    before = with_design_columns(data[data["analysed"] == 1], case)
    before = before.assign(**{LINK: before["id"].astype("str"), STATEMENT: before["before"]})
    again = data[data["after"].notna()]
    after = pd.DataFrame({LINK: [*again["id"].astype("str"), "99"],
                          STATEMENT: [*again["after"], 1.0]})  # fmt: skip
    return before, after


@pytest.mark.parametrize("case", CASES)
def test_a_weighted_panel_equals_svyttest_and_the_weighted_table(want, questionnaires, case):
    before, after = panel_waves(case)
    tests, tables = weighted_pair_tables(
        "p", before, after, questionnaires["adults"], questionnaires["adults_followup"],
        [STATEMENT], design_of_case(case), 0.95, "logit", "srswor",
    )  # fmt: skip
    test = tests.iloc[0]
    what = f"{case}/panel"
    assert test["n"] == want[(what, "n")]
    for column, term in [("weighted_mean_before", "before"), ("weighted_mean_after", "after"),
                         ("mean_difference", "difference"), ("std_error", "se"),
                         ("deff", "deff"), ("statistic", "t"), ("df", "df"), ("p", "p"),
                         ("ci_low", "low"), ("ci_high", "high")]:  # fmt: skip
        assert close(float(test[column]), want[(what, term)]), column
    what = f"{case}/table"
    assert len(tables) == 25 and (tables["df"] == want[(what, "df")]).all()
    for cell, row in enumerate(tables.itertuples(), start=1):
        for column, term in [("weighted_percent", "percent"), ("std_error", "se"),
                             ("deff", "deff")]:  # fmt: skip
            assert close(getattr(row, column), want[(what, f"{term} {cell}")]), (cell, column)
        if row.n:
            assert close(row.ci_low, want[(what, f"low {cell}")]), cell
            assert close(row.ci_high, want[(what, f"high {cell}")]), cell
        else:  # no logit interval of an empty cell; R has none either
            assert np.isnan(row.ci_low) and (what, f"low {cell}") not in want
    assert tables["n"].sum() == test["n"]


def units_of(data: pd.DataFrame) -> pd.DataFrame:
    """The full sample's units as ``weighting.sample_units`` writes them."""
    units = data.groupby(["stratum", "psu"], sort=True).agg(
        responses=("id", "size"), population=("population", "first")
    )
    return units.reset_index().astype({"population": "float64"})


def test_the_panel_of_the_rule_is_the_panel_on_the_first_waves_declared_design(
    want, questionnaires
):
    """``weighted_panel`` (what compare_weighted_pairs calls) builds the design from the first
    wave's units as its codebook declares it (the national example's adults: clusters, fpc,
    lonely_psu adjust: the case clustered_fpc)."""
    before, after = panel_waves("clustered_fpc")
    pair = Pair.from_params({"before": "adults", "after": "adults_followup",
                             "outcomes": [STATEMENT]}, "pairs.p")  # fmt: skip
    tests, _ = weighted_panel("p", pair, {"adults": before, "adults_followup": after},
                              {"adults": units_of(sample())}, questionnaires, SETTINGS)  # fmt: skip
    for column, term in [("mean_difference", "difference"), ("std_error", "se"),
                         ("statistic", "t"), ("p", "p")]:  # fmt: skip
        assert close(float(tests.iloc[0][column]), want[("clustered_fpc/panel", term)])


def test_a_panel_whose_first_wave_has_no_design_is_refused_saying_what_to_do(questionnaires):
    before, after = panel_waves("clustered_fpc")
    pair = Pair.from_params({"before": "adults_followup", "after": "adults",
                             "outcomes": [STATEMENT]}, "pairs.p")  # fmt: skip
    with pytest.raises(InputError) as caught:
        weighted_panel("p", pair, {"adults_followup": before, "adults": after},
                       {"adults": units_of(sample())}, questionnaires, SETTINGS)  # fmt: skip
    assert str(caught.value) == (
        "p: a weighted panel is analysed on its first wave's design, and adults_followup "
        "(before) declares none\n"
        "  - codebook questionnaires.adults_followup.design: found 'none'; expected the survey "
        "design of adults_followup, or no design on adults to analyse the pairs unweighted"
    )


def test_a_panel_on_a_design_that_cannot_be_used_names_the_design_block(questionnaires):
    """Stratum C has a single PSU: under lonely_psu fail, an InputError, not a traceback."""
    before, after = panel_waves("clustered_fpc")
    adults = questionnaires["adults"]
    failing = dataclasses.replace(adults, design=dataclasses.replace(adults.design,
                                                                     lonely_psu="fail"))
    pair = Pair.from_params({"before": "adults", "after": "adults_followup",
                             "outcomes": [STATEMENT]}, "pairs.p")  # fmt: skip
    with pytest.raises(InputError) as caught:
        weighted_panel("p", pair, {"adults": before, "adults_followup": after},
                       {"adults": units_of(sample())},
                       {**questionnaires, "adults": failing}, SETTINGS)  # fmt: skip
    problem = caught.value.problems[0]
    assert problem.file == "codebook questionnaires.adults.design"
    assert "'C'" in str(problem.value) and "lonely_psu" in problem.expected


def test_questionnaires_stacked_with_different_lonely_psu_rules_are_refused(questionnaires):
    adults, carers = questionnaires["adults"], questionnaires["carers"]
    removing = dataclasses.replace(carers, design=dataclasses.replace(carers.design,
                                                                      lonely_psu="remove"))
    data = sample()
    rows = with_design_columns(data, "clustered_fpc")
    units = units_of(data)
    with pytest.raises(D.DesignError, match=r"different lonely_psu rules \(\['adjust', 'remove'\]"):
        stacked_design([(rows, units, adults), (rows, units, removing)])


# -- live check against R ------------------------------------------------------------------------


@pytest.mark.slow
def test_live_r_survey_gives_the_stored_numbers(tmp_path):
    out = run_live(R_SCRIPT, tmp_path / "weighting_small.csv", "survey")
    live, stored = read_expected(out), read_expected(EXPECTED)
    assert live.keys() == stored.keys()
    for key, value in stored.items():
        assert live[key] == pytest.approx(value, rel=1e-12, nan_ok=True), key
    with out.open(encoding="utf-8") as handle:
        assert handle.readline().startswith(f"# made by: Rscript {R_SCRIPT}")


def test_a_published_comparison_method_reveals_no_more_than_its_columns():
    """Under a disclosure rule the interval in a model's method is the estimate's: 2 decimals,
    or ``*`` where the estimate is hidden; with no rule the row is as computed."""
    from likertflow.disclosure import policy_of
    from likertflow.weighting import TEST_COLUMNS, publish_comparisons

    method = "log odds ratio of a higher answer ({} to {}); proportional-odds model on 16 df"
    table = pd.DataFrame([
        ["c", "s", "q", 40, "B vs A", "proportional-odds model", -2.1, 16, 0.05, -0.2934,
         method.format("-0.342821", "0.00123456")],
        ["c", "s", "q", 5, "B vs A", "proportional-odds model", -2.1, 16, 0.05, -0.2934,
         method.format("-0.342821", "0.534459")],
        ["c", "s", "q", 40, "A; B", "design-based rank test", 2.5, 16, 0.02, 0.05,
         "Lumley & Scott design-based rank test (x, y); t on 16 df"],
    ], columns=TEST_COLUMNS)  # fmt: skip
    assert publish_comparisons(table, policy_of({"rule": "none"}), 0.05).equals(table)
    published = publish_comparisons(table, policy_of({"rule": "nhs"}), 0.05)
    assert published["estimate"].tolist() == ["-0.29", "*", "0.05"]
    assert published["method"].tolist() == [
        method.format("-0.34", "0.00"), "log odds ratio of a higher answer (*); "
        "proportional-odds model on 16 df", table["method"][2],
    ]  # fmt: skip
