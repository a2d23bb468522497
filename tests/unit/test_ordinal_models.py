"""The table the workflow writes (``ordinal_models``) against R, column by column, on the shipped
study's 15 adjusted models without a workflow run: the complete cases that tests/r/model_frames.py
stored for R (tests/r/data/brant_data.csv) are put back into a questionnaire's coded answers,
with respondents whom a model leaves out (a covariate not revealed, a group off the scale), and
``ordinal_models`` must give MASS::polr's estimates, Wald intervals and p
(tests/expected/ordinal_models_polr.csv) and the Brant test of tests/r/brant.R
(tests/expected/brant_reference.csv, quartile splits), with the counts the disclosure rule reads
and the warnings a reader sees. Then the table's edge cases: outcomes without a model, a binary
outcome, a covariate that cannot enter, a design that cannot be fitted."""

import logging
import re

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE
from likertflow.disclosure import OUTCOME_GROUP_N, SMALLEST_LEVEL_N
from likertflow.grouping import covariate_codes
from likertflow.ordinal import COLUMNS, brant_test, cells, ordinal_models
from likertflow.settings import OrdinalSettings
from support import filled

FRAMES = REPO / "tests" / "r" / "data" / "brant_data.csv"
POLR = REPO / "tests" / "expected" / "ordinal_models_polr.csv"
BRANT = REPO / "tests" / "expected" / "brant_reference.csv"
# as tests/unit/test_ordinal_intervals.py and test_ordinal_brant_reference.py measured them
RTOL = {"ci": 1e-6, "p": 5e-6, "brant": 1e-7}
OUTCOMES = ["knowledge_and_understanding", "communication", "engagement",
            "negative_emotional_response", "negative_impact_on_understanding"]  # fmt: skip
UNREVEALED, UNSURE = 9, 9  # off-scale codes of the age and group answer sets below
LEFT_OUT = {"age": 3, "group": 2}  # per outcome: respondents without an age, outside the groups


def codebook(outcomes: list[str], covariates: list[dict] | None = None) -> dict:
    """A questionnaire of a two-group question, a 5-band age (code 9 not revealed), numeric
    outcomes (a theme score's values, as the shipped models have them) and ``covariates``."""
    bands = [{"label": f"band {code}", "code": code} for code in range(1, 6)]
    return {
        "survey": "toy",
        "answer_sets": {
            "groups": {"options": [{"label": "First", "code": 1}, {"label": "Second", "code": 2},
                                   {"label": "Unsure", "code": UNSURE, "off_scale": True}]},
            "bands": {"ordinal": True, "options": [
                *bands, {"label": "Not revealed", "code": UNREVEALED, "off_scale": True}]},
            "roles": {"options": [{"label": "Nurse", "code": 1}, {"label": "Doctor", "code": 2},
                                  {"label": "Other", "code": 3}]},
        },  # fmt: skip
        "export": {"response_id": "ID"},
        "questions": [
            {"id": "grouping", "text": "Which group?", "answers": "groups"},
            {"id": "age", "text": "Age band", "answers": "bands"},
            *({"id": o, "text": o, "type": "numeric", "min": 0, "max": 10} for o in outcomes),
            *(covariates or []),
        ],
    }


def shipped_study(comparison: str) -> pd.DataFrame:
    """One shipped comparison's respondents: each outcome's stored complete cases (the other
    outcomes blank), and per outcome 3 who did not reveal their age and 2 unsure of their group."""
    stored = pd.read_csv(FRAMES)
    parts = []
    for outcome in OUTCOMES:
        rows = stored[stored["dataset"] == f"shipped/{comparison}/{outcome}"]
        first = rows.iloc[0]
        extra = pd.DataFrame(
            {"y": first["y"], "group": [first["group"]] * LEFT_OUT["age"] + [UNSURE - 1] * 2,
             "age": [UNREVEALED] * LEFT_OUT["age"] + [first["age"]] * LEFT_OUT["group"]}
        )  # fmt: skip
        both = pd.concat([rows[["y", "group", "age"]], extra], ignore_index=True)
        parts.append(both.rename(columns={"y": outcome}))
    data = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(
        {"grouping": pd.array(data["group"] + 1, dtype=CODE_DTYPE),  # position 0 is code 1
         "age": pd.array(data["age"], dtype=CODE_DTYPE),
         **{o: pd.array(data[o], dtype=NUMBER_DTYPE) for o in OUTCOMES}}
    )  # fmt: skip


SPEC = filled.comparison(survey="toy", by="grouping", outcomes=OUTCOMES, adjust_for=["age"],
                         family="f")  # fmt: skip
SETTINGS = filled.analysis(OrdinalSettings, confidence_level=0.95, alpha=0.05)


@pytest.fixture(scope="module")
def questionnaire():
    return filled.questionnaire(codebook(OUTCOMES))


@pytest.fixture(scope="module")
def stored() -> pd.DataFrame:
    return pd.read_csv(FRAMES)


@pytest.mark.parametrize(
    "comparison",
    ["patients_by_expert_patient", "patients_by_had_imaging", "patients_by_saw_images"],
)
def test_every_column_equals_r_on_the_shipped_models(comparison, questionnaire, stored, caplog):
    polr = pd.read_csv(POLR)
    brant = pd.read_csv(BRANT, comment="#")
    with caplog.at_level(logging.WARNING, logger="likertflow.ordinal"):
        table = ordinal_models(
            comparison, SPEC, {"toy": shipped_study(comparison)}, {"toy": questionnaire}, SETTINGS
        )
    assert list(table.columns) == [*COLUMNS, SMALLEST_LEVEL_N, OUTCOME_GROUP_N]
    assert table["outcome"].unique().tolist() == OUTCOMES  # in the comparison's order
    assert (table["comparison"] == comparison).all() and (table["covariates"] == "age").all()
    logged = [r.getMessage() for r in caplog.records]
    for outcome, rows in table.groupby("outcome", sort=False):
        name = f"shipped/{comparison}/{outcome}"
        frame = stored[stored["dataset"] == name]
        r = polr[(polr["comparison"] == comparison) & (polr["outcome"] == outcome)]
        assert rows["term"].tolist() == ["group: Second vs First"] + [
            f"age: band {code} vs band 1" for code in range(2, 6)
        ]
        levels = frame["y"].nunique()
        assert (rows["levels"] == levels).all() and (rows["n"] == len(frame)).all()
        assert (rows["n"] == r["n"].to_numpy()).all()
        assert rows["method"].iloc[0] == (
            f"proportional-odds logistic regression (logit; maximum likelihood, Newton-Raphson "
            f"on the cell counts) of the {levels} ordered distinct values of {outcome} on "
            f"group + age (treatment contrasts); Wald 95% intervals and p; Brant test of "
            f"proportional odds at the quartile cut points"
        )
        # polr's BFGS stops about 5e-8 from the maximum: estimates near 0 are compared absolutely
        np.testing.assert_allclose(rows["estimate"], r["estimate"], rtol=0, atol=1e-6)
        for ours, theirs, tolerance in [
            ("std_error", "std_error", "ci"), ("ci_low", "or_ci_low_95", "ci"),
            ("ci_high", "or_ci_high_95", "ci"), ("p", "p", "p"),
        ]:  # fmt: skip
            np.testing.assert_allclose(rows[ours], r[theirs], rtol=RTOL[tolerance], err_msg=name)
        np.testing.assert_allclose(rows["odds_ratio"], np.exp(r["estimate"]), rtol=1e-6)
        np.testing.assert_allclose(rows["log10_p"], np.log10(r["p"]), rtol=0, atol=5e-6)
        # the disclosure rule's counts: the smaller side of each contrast, and everyone with the
        # outcome and a group, whether or not the model could use them
        groups, ages = frame["group"].value_counts(), frame["age"].value_counts()
        smaller = [min(groups[0], groups[1])] + [min(ages[a], ages[1]) for a in range(2, 6)]
        assert rows[SMALLEST_LEVEL_N].tolist() == smaller, name
        assert (rows[OUTCOME_GROUP_N] == len(frame) + LEFT_OUT["age"]).all(), name
        # Brant's test at the quartile splits, as R computes it
        b = brant[(brant["dataset"] == name) & (brant["splits"] == "quartiles")]
        warnings = []
        if b["status"].iloc[0] != "ok":
            assert rows[["po_test_p", "po_term_p"]].isna().all().all(), name
            assert (rows["po_test_df"] == 0).all(), name
            # one split: "the binary logit of x > 4 is"; more: "the binary logits of x > 3.5
            # and x > 4.5 are"
            named = re.fullmatch(
                r"Brant test not computed: the binary (logit of (.+) is|logits of (.+) are) "
                r"separated \(no finite estimate\)", rows["warning"].iloc[0],
            )  # fmt: skip
            splits = (named[2] or named[3]).split(" and ")
            assert (len(splits) == 1) == (named[2] is not None), name
            above = str(b["above"].iloc[0]).split(";")
            assert all(re.fullmatch(rf"{outcome} > ([\d.]+)", s)[1] in above for s in splits)
            warnings.append(rows["warning"].iloc[0])
        else:
            assert (rows["po_test_df"] == b["df"].iloc[0]).all(), name
            np.testing.assert_allclose(rows["po_test_p"], b["p"].iloc[0], rtol=RTOL["brant"])
            np.testing.assert_allclose(rows["po_term_p"], b["p"].iloc[1:], rtol=RTOL["brant"])
            p = b["p"].iloc[0]
            if p < SETTINGS.alpha:
                warnings.append(f"proportional odds doubtful: Brant test p = {p:.3g} < 0.05")
        assert (rows["warning"] == "; ".join(warnings)).all(), name
        if warnings:
            assert f"{comparison}, {outcome}: {'; '.join(warnings)}" in logged
    assert table.dtypes[["n", "levels", SMALLEST_LEVEL_N, OUTCOME_GROUP_N]].eq("int64").all()


def test_a_p_equal_to_alpha_is_not_below_it(questionnaire):
    """The warning says p < alpha: at p = alpha exactly it is not given."""
    frames = {"toy": shipped_study("patients_by_had_imaging")}
    spec = filled.comparison(survey="toy", by="grouping", adjust_for=["age"], family="f",
                             outcomes=["negative_impact_on_understanding"])  # fmt: skip
    first = ordinal_models("c", spec, frames, {"toy": questionnaire}, SETTINGS)
    p = float(first["po_test_p"].iloc[0])
    assert "proportional odds doubtful" in first["warning"].iloc[0]
    at_p = filled.analysis(OrdinalSettings, confidence_level=0.95, alpha=p)
    again = ordinal_models("c", spec, frames, {"toy": questionnaire}, at_p)
    assert again["po_test_p"].iloc[0] == p and (again["warning"] == "").all()


def small_study(n: int = 300, seed: int = 4) -> pd.DataFrame:
    """Two groups, the 5 age bands, a nominal role, years and three outcomes: ``rating`` on 5
    levels, ``flat`` on one, ``yes`` on two."""
    rng = np.random.default_rng(seed)
    group, age = rng.integers(1, 3, n), rng.integers(1, 6, n)
    latent = 0.8 * (group == 2) + 0.3 * age + rng.logistic(size=n)
    return pd.DataFrame(
        {"grouping": pd.array(group, dtype=CODE_DTYPE), "age": pd.array(age, dtype=CODE_DTYPE),
         "role": pd.array(rng.integers(1, 4, n), dtype=CODE_DTYPE),
         "years": pd.array(rng.integers(1, 30, n), dtype=NUMBER_DTYPE),
         "hours": pd.array(rng.integers(10, 40, n), dtype=NUMBER_DTYPE),
         "rating": pd.array(np.searchsorted([0.0, 1.0, 2.0, 3.0], latent) + 1.0,
                            dtype=NUMBER_DTYPE),
         "flat": pd.array(np.full(n, 3.0), dtype=NUMBER_DTYPE),
         "yes": pd.array((latent > 1.5) + 1.0, dtype=NUMBER_DTYPE)}
    )  # fmt: skip


EXTRA = [
    {"id": "role", "text": "Role", "answers": "roles"},
    {"id": "years", "text": "Years in post", "type": "numeric", "min": 0, "max": 60},
    {"id": "hours", "text": "Hours a week", "type": "numeric", "min": 0, "max": 100},
]


def models(outcomes, adjust_for, frame=None, confidence=0.95):
    q = filled.questionnaire(codebook(["rating", "flat", "yes"], EXTRA))
    spec = filled.comparison(survey="toy", by="grouping", outcomes=outcomes,
                             adjust_for=adjust_for, family="f")  # fmt: skip
    settings = filled.analysis(OrdinalSettings, confidence_level=confidence, alpha=0.05)
    data = small_study() if frame is None else frame
    return ordinal_models("c", spec, {"toy": data}, {"toy": q}, settings)


def test_an_outcome_without_a_model_is_logged_and_the_next_is_modelled(caplog):
    with caplog.at_level(logging.WARNING, logger="likertflow.ordinal"):
        table = models(["flat", "rating"], ["age"])
    assert table["outcome"].unique().tolist() == ["rating"]
    logged = [r.getMessage() for r in caplog.records]
    assert logged[0] == "c, flat: no model (fewer than 2 outcome levels or no terms)"
    assert not any("rating: no model" in line for line in logged)
    nothing = models(["flat"], ["age"])
    assert nothing.empty and list(nothing.columns) == [*COLUMNS, SMALLEST_LEVEL_N, OUTCOME_GROUP_N]


def test_a_binary_outcome_is_a_logistic_regression():
    """Two levels: the model is a binary logit (statsmodels' Logit, with P(y > 1)); Brant's test
    needs two splits, so it is not computed, and no warning says so."""
    import statsmodels.api as sm

    frame = small_study()
    table = models(["yes"], ["age"], frame)
    x = pd.get_dummies(frame[["grouping", "age"]].astype(int).astype("category"),
                       drop_first=True, dtype=float)  # fmt: skip
    logit = sm.Logit((frame["yes"] == 2).astype(float).to_numpy(), sm.add_constant(x)).fit(disp=0)
    np.testing.assert_allclose(table["estimate"], logit.params.iloc[1:], rtol=1e-6)
    np.testing.assert_allclose(table["std_error"], logit.bse.iloc[1:], rtol=1e-6)
    np.testing.assert_allclose(table["p"], logit.pvalues.iloc[1:], rtol=1e-5)
    assert (table["levels"] == 2).all() and table["po_test_p"].isna().all()
    assert (table["po_test_df"] == 0).all() and table["po_term_p"].isna().all()
    assert (table["warning"] == "").all()


def test_a_nominal_covariate_after_linear_ones():
    """Numbers (years, hours: a linear term each) and a nominal answer (role, no order) side by
    side: the role enters by its codes, whatever their order, and each gets its terms."""
    table = models(["rating"], ["years", "hours", "role"])
    assert table["term"].tolist() == [
        "group: Second vs First", "years: per unit", "hours: per unit", "role: Doctor vs Nurse",
        "role: Other vs Nurse",
    ]  # fmt: skip
    assert table["covariates"].iloc[0] == "years; hours; role"
    assert "(treatment contrasts; years, hours as linear terms, odds ratio per unit)" in (
        table["method"].iloc[0]
    )
    assert "on group + years + hours + role (" in table["method"].iloc[0]


def test_a_constant_covariate_adds_no_term():
    """Everyone in post for 10 years: no term can be estimated for it; the model is the one
    without it."""
    frame = small_study().assign(years=pd.array(np.full(300, 10.0), dtype=NUMBER_DTYPE))
    with_constant = models(["rating"], ["age", "years"], frame)
    without = models(["rating"], ["age"], frame)
    assert with_constant["term"].tolist() == without["term"].tolist()
    np.testing.assert_array_equal(with_constant["estimate"], without["estimate"])
    assert (with_constant["warning"] == without["warning"]).all()


def test_a_covariate_that_repeats_the_group_is_not_fitted():
    """Adjusting for a question that gives the same split as the groups (here a copy): no
    estimate is possible, and the table says the fit did not converge instead of printing one."""
    frame = small_study()
    frame["role"] = frame["grouping"]  # Nurse = First, Doctor = Second
    table = models(["rating"], ["role"], frame)
    assert (table["warning"] == "model fit did not converge").all()
    assert table["std_error"].isna().all() and table["ci_low"].isna().all()


def test_a_fit_that_did_not_converge_and_a_separated_split_are_both_said(caplog):
    """Two problems of one model in one warning, joined by "; ": the covariate repeats the
    group (no estimate) and the first group never answers above 3, so the Brant test's binary
    logit of rating > 3 is separated (no finite estimate); the log says the same."""
    frame = small_study()
    frame["role"] = frame["grouping"]
    rating = frame["rating"].to_numpy(dtype=float)
    first = frame["grouping"].to_numpy(dtype=int) == 1
    frame["rating"] = pd.array(np.where(first, np.minimum(rating, 3.0), rating), dtype=NUMBER_DTYPE)
    with caplog.at_level(logging.WARNING, logger="likertflow.ordinal"):
        table = models(["rating"], ["role"], frame)
    warning = ("model fit did not converge; Brant test not computed: the binary logit of "
               "rating > 3 is separated (no finite estimate)")  # fmt: skip
    assert (table["warning"] == warning).all()
    assert [r.getMessage() for r in caplog.records] == [f"c, rating: {warning}"]


def test_covariate_codes_are_floats_with_off_scale_answers_missing():
    q = filled.questionnaire(codebook(["rating"], EXTRA))
    frame = pd.DataFrame({"age": pd.array([1, UNREVEALED, 5, None], dtype=CODE_DTYPE),
                          "years": pd.array([3.5, None, 0.0, 2.0], dtype=NUMBER_DTYPE),
                          "role": pd.array([1, 2, 3, 1], dtype=CODE_DTYPE)})  # fmt: skip
    for name, expected in [("age", [1.0, np.nan, 5.0, np.nan]),
                           ("years", [3.5, np.nan, 0.0, 2.0]), ("role", [1.0, 2.0, 3.0, 1.0])]:
        codes = covariate_codes(frame, q, name)
        assert codes.dtype == np.float64, name
        np.testing.assert_array_equal(codes, expected)
    with pytest.raises(ValueError, match="^adjust_for 'agee' is not a question of the toy "):
        covariate_codes(frame, q, "agee")


def test_a_reverse_keyed_outcome_is_scored():
    """An outcome is read as an outcome, scored (a reverse-keyed statement mirrored), where a
    covariate is read as its codes."""
    raw = codebook(["rating"], EXTRA)
    options = [{"label": f"p{code}", "code": code} for code in range(1, 6)]
    raw["answer_sets"]["agreement"] = {"ordinal": True, "options": options}
    raw["statement_sets"] = {"s": {"label": "S"}}
    raw["statements"] = [{"id": "calm", "statement_set": "s", "wording": "C", "reverse": True}]
    raw["questions"].append("statements")
    frame = small_study()
    frame["calm"] = pd.array(6 - frame["rating"].astype(int), dtype=CODE_DTYPE)
    spec = filled.comparison(survey="toy", by="grouping", outcomes=["calm", "rating"],
                             adjust_for=["age", "role"], family="f")  # fmt: skip
    q = filled.questionnaire(raw)
    table = ordinal_models("c", spec, {"toy": frame}, {"toy": q}, SETTINGS)
    calm, rating = table[table["outcome"] == "calm"], table[table["outcome"] == "rating"]
    assert len(calm) == 1 + 4 + 2
    # mirrored, the statement is the rating
    np.testing.assert_allclose(calm["estimate"], rating["estimate"], rtol=1e-12)


def test_cells_are_numbered_and_do_not_depend_on_the_respondents_order():
    """Cells in sorted order, numbered from 0 as their counts: the fit's sums, and so every bit
    of the written numbers, are the same however the respondents arrive."""
    frame = small_study()[["rating", "grouping", "age"]].astype("float64")
    distinct, counts = cells(frame)
    assert distinct.index.equals(pd.RangeIndex(len(counts)))
    shuffled = frame.sample(frac=1.0, random_state=9)
    again, again_counts = cells(shuffled)
    pd.testing.assert_frame_equal(again, distinct)
    np.testing.assert_array_equal(again_counts, counts)


def test_a_two_split_brant_test_with_one_term_is_that_terms_test():
    """Two splits and one term: one contrast, so the omnibus test is the term's, on 1 df; with no
    term, or one split, there is nothing to test."""
    rng = np.random.default_rng(2)
    x = pd.DataFrame({"g": rng.integers(0, 2, 400).astype(float)})
    y = np.searchsorted([-0.5, 0.5], 0.5 * x["g"] + rng.logistic(size=400))
    test = brant_test(y, x, splits=[0, 1])
    assert test.df == 1 and 0 < test.p < 1 and test.term_p == {"g": test.p}
    assert test.separated == [] and test.splits == [0, 1]
    for untested in [brant_test(y, x.iloc[:, :0], splits=[0, 1]), brant_test(y, x, splits=[1])]:
        assert np.isnan(untested.p) and untested.df == 0 and untested.separated == []
        assert all(np.isnan(p) for p in untested.term_p.values())
        assert untested.splits in ([0, 1], [1])
    assert list(brant_test(y, x, splits=[1]).term_p) == ["g"]


def test_a_p_below_the_smallest_float_keeps_its_log10():
    """200,000 respondents and a strong group effect: p = 2 P(Z > |z|) underflows to 0, and
    log10 p comes from z (scipy's normal log tail), not from the 0."""
    from scipy import stats

    rng = np.random.default_rng(5)
    n = 200_000
    group = rng.integers(1, 3, n)
    latent = 2.0 * (group == 2) + rng.logistic(size=n)
    frame = pd.DataFrame(
        {"grouping": pd.array(group, dtype=CODE_DTYPE),
         "age": pd.array(rng.integers(1, 6, n), dtype=CODE_DTYPE),
         "rating": pd.array(np.searchsorted([0.0, 1.0, 2.0, 3.0], latent) + 1.0,
                            dtype=NUMBER_DTYPE)}
    )  # fmt: skip
    table = models(["rating"], ["age"], frame)
    first = table.iloc[0]
    z = first["estimate"] / first["std_error"]
    assert z > 40 and first["p"] == 0.0
    expected = (np.log(2) + stats.norm.logsf(z)) / np.log(10)
    assert first["log10_p"] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    "comparison, outcomes, adjust_for",
    [
        ("patients_by_saw_images", OUTCOMES, ["age"]),  # the shipped models: R's numbers above
        ("small", ["rating", "yes", "flat"], ["years", "role", "age"]),  # linear, nominal, bands
    ],
)
def test_the_table_from_counted_batches_is_the_table_from_the_rows(
    comparison, outcomes, adjust_for
):
    """Issue 22: each batch's rows counted into model cells (``grouping.model_cells``), the
    batches' cells added and a repeated batch subtracted (``partials.combine``), give the table
    of the rows to the bit: so, for the shipped models, R's numbers."""
    from likertflow.grouping import model_cells
    from likertflow.ordinal import ordinal_models_from_cells
    from likertflow.partials import KINDS, combine
    from likertflow.settings import counted_comparisons

    shipped = comparison != "small"
    rows = shipped_study(comparison) if shipped else small_study()
    q = filled.questionnaire(codebook(OUTCOMES if shipped else ["rating", "flat", "yes"], EXTRA))
    spec = filled.comparison(survey="toy", by="grouping", outcomes=outcomes,
                             adjust_for=adjust_for, family="f")  # fmt: skip
    entry = {"survey": "toy", "by": "grouping", "outcomes": outcomes, "adjust_for": adjust_for,
             "family": "f"}  # fmt: skip
    definition = {"comparisons": counted_comparisons(filled.config({"comparisons": {
        comparison: entry}})["comparisons"]), "bands": {}}  # fmt: skip
    kind = KINDS["model_cells"]
    batches = [rows.iloc[: len(rows) // 3], rows.iloc[len(rows) // 3 :]]
    repeated = rows.iloc[:7]  # counted twice, once subtracted
    parts = [model_cells(b.reset_index(drop=True), q, definition) for b in [*batches, repeated]]
    counted = combine(kind, parts, [model_cells(repeated.reset_index(drop=True), q, definition)])
    expected = ordinal_models(comparison, spec, {"toy": rows}, {"toy": q}, SETTINGS)
    got = ordinal_models_from_cells(comparison, spec, counted, {"toy": q}, SETTINGS)
    assert not expected.empty
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
