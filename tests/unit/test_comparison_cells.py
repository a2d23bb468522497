"""Group comparisons and ordinal models from counted cells (issue 22): each batch of rows counted
once (``grouping.comparison_cells``, ``grouping.model_cells``, registered partial kinds), the
batches' cells added and the cells of the rows a cross-batch duplicate rule drops subtracted
(``partials.combine``) are the cohort's cells, and give the tables of today's
computation from the cohort's rows, to the last bit: random answers with blanks and off-scale
answers, random batches, a banded grouping question, groups across two questionnaires."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.bands import apply_bands, banded_questionnaire
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE
from likertflow.comparisons import run_comparison, run_comparison_from_cells
from likertflow.grouping import (
    COMPARISON_KEYS,
    COUNT,
    GROUP,
    MODEL_KEYS,
    VALUE,
    compared_surveys,
    comparison_bands,
    comparison_cells,
    covariate_key,
    defined_comparisons,
    model_cells,
    model_covariates,
    outcome_cells,
    with_theme_scores,
)
from likertflow.ordinal import ordinal_models, ordinal_models_from_cells
from likertflow.settings import (
    Comparison,
    ComparisonSettings,
    OrdinalSettings,
    SettingsError,
    counted_comparisons,
)
from likertflow.themes import theme_scores
from support import comparison_cohorts as cohorts
from support import filled
from support import partial_batches as partial
from support import toy_codebook as toy

BAND = toy.scale(["Young", "Middle", "Old"], range(1, 4), off_scale=("Rather not say", 9))
AGE_BANDS = [{"label": "18-34", "from": 18}, {"label": "35-64", "from": 35},
             {"label": "65 and over", "from": 65}]  # fmt: skip
CODED = ["band", "seen", "a", "b", "c", "verdict"]
NUMBERS = ["age", "years"]


def questionnaire(survey: str, label: str):
    """support.comparison_cohorts' questionnaire with three statements, one reverse-keyed, two
    enough for the theme (means such as 7/3), a Don't know on their scale, three bands, and
    numeric age and years."""
    return toy.questionnaire(
        {"s": "abc"},
        themes={"t": "abc"},
        reverse="c",
        min_answered={"t": 2},
        answers={
            "agreement": toy.scale("level {}", off_scale=toy.DONT_KNOW),
            "verdicts": toy.scale("level {}"),
            "yes_no": cohorts.YES_NO,
            "band": BAND,
        },
        set_answers={"s": "agreement"},
        questions=[
            {"id": "age", "text": "Age?", "type": "numeric", "min": 0, "max": 120},
            {"id": "years", "text": "Years?", "type": "numeric", "min": 0, "max": 60},
            *cohorts.questions(verdicts="verdicts"),
        ],
        survey=survey,
        label=label,
    )


QUESTIONNAIRES = {"people": questionnaire("people", "People"),
                  "pros": questionnaire("pros", "Professionals")}  # fmt: skip
COMPARISONS = {
    "across": {"by": "survey", "surveys": ["people", "pros"], "outcomes": ["t", "a", "verdict"],
               "family": "f"},
    "by_seen": {"survey": "people", "by": "seen", "outcomes": ["t", "verdict"], "family": "f",
                "adjust_for": ["band"]},
    "by_age": {"survey": "people", "by": "age", "omit": ["65 and over"], "outcomes": ["t", "b"],
               "family": "f", "adjust_for": ["band", "age"]},
    "by_band": {"survey": "pros", "by": "band", "outcomes": ["t", "c"], "family": "f",
                "adjust_for": ["years"], "test": "kruskal_wallis"},
    "across_adjusted": {"by": "survey", "surveys": ["people", "pros"], "outcomes": ["t"],
                        "family": "f", "adjust_for": ["band"]},
}  # fmt: skip
# age is banded (by_age's groups and covariate); years is a number (by_band's linear term); the
# cells read of each comparison only who is compared on what, as the rules pass it
FILLED = filled.config({"comparisons": COMPARISONS})["comparisons"]
SPECS = [(name, Comparison.from_params(FILLED[name], name)) for name in sorted(FILLED)]
DEFINITION = {
    "comparisons": counted_comparisons(FILLED),
    "bands": {"age": AGE_BANDS},
}
ANALYSIS = filled.analysis(ComparisonSettings, bootstrap_resamples=100, seed=3)
MODELS = filled.analysis(OrdinalSettings)


def cohort(answers: list[tuple]) -> pd.DataFrame:
    """Coded rows as a batch's parquet holds them: codes nullable Int16, age a nullable float."""
    columns = list(zip(*answers, strict=True)) if answers else [[]] * 8
    return pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(len(answers))],
            **{name: pd.array(column, dtype=NUMBER_DTYPE)
               for name, column in zip(NUMBERS, columns[:2], strict=True)},
            **{name: pd.array(column, dtype=CODE_DTYPE)
               for name, column in zip(CODED, columns[2:], strict=True)},
        }
    )  # fmt: skip


def from_rows(cohorts: dict[str, pd.DataFrame]):
    """Today's tables: theme scores added to each cohort (the row path), each comparison's bands
    applied (grouping.comparison_inputs), its tests and models from the rows."""
    scored = {s: theme_scores(frame, QUESTIONNAIRES[s]) for s, frame in cohorts.items()}

    def inputs(spec, adjusted=False):  # the bands of the by question (and of the covariates)
        bands = comparison_bands(DEFINITION, spec, adjusted)
        pairs = {s: apply_bands(scored[s], QUESTIONNAIRES[s], bands)
                 for s in compared_surveys(spec)}  # fmt: skip
        return {s: pair[0] for s, pair in pairs.items()}, {s: pair[1] for s, pair in pairs.items()}

    tables, models = {}, {}
    for name, spec in SPECS:
        tables[name] = run_comparison(name, spec, *inputs(spec), ANALYSIS)
        if spec.adjust_for:
            models[name] = ordinal_models(name, spec, *inputs(spec, True), MODELS)
    return tables, models


def from_cells(cells: dict[str, pd.DataFrame], counted: dict[str, pd.DataFrame]):
    """The same tables from each questionnaire's combined cells."""
    tables, models = {}, {}
    for name, spec in SPECS:
        surveys = compared_surveys(spec)

        def banded(adjusted, spec=spec, surveys=surveys):
            bands = comparison_bands(DEFINITION, spec, adjusted)
            return {s: banded_questionnaire(QUESTIONNAIRES[s], bands) for s in surveys}

        joined = pd.concat([cells[s] for s in surveys], ignore_index=True)
        tables[name] = run_comparison_from_cells(name, spec, joined, banded(False), ANALYSIS)
        if spec.adjust_for:
            joined = pd.concat([counted[s] for s in surveys], ignore_index=True)
            models[name] = ordinal_models_from_cells(name, spec, joined, banded(True), MODELS)
    return tables, models


def assert_same(rows, cells):
    for name in rows[0]:
        for expected, got in zip(rows[0][name], cells[0][name], strict=True):
            pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(rows[1]) == list(cells[1])
    for name in rows[1]:
        pd.testing.assert_frame_equal(cells[1][name], rows[1][name], check_exact=True)


def code(options: list[int]):
    return st.one_of(st.none(), st.sampled_from(options))


ROW = st.tuples(
    st.one_of(st.none(), st.integers(10, 90).map(float)),  # age: below the first band too
    st.one_of(st.none(), st.integers(0, 3).map(float)),  # years
    code([1, 2, 3, 9]),  # band
    code([1, 2, 9]),  # seen
    *[code([1, 2, 3, 4, 5, 9])] * 3,  # a, b, c
    code([1, 2, 3, 4, 5]),  # verdict
)


@st.composite
def batched(draw, survey: str):
    """A cohort, its rows split into batches (arrival order shuffled), and rows that a later
    batch repeats so that the duplicate rule drops them: in their batch, subtracted after."""
    answers = draw(st.lists(ROW, min_size=0, max_size=45))
    rows = cohort(answers)
    n_batches = draw(st.integers(1, 4))
    batch_of = draw(st.lists(st.integers(0, n_batches - 1), min_size=len(rows),
                             max_size=len(rows)))  # fmt: skip
    dropped = cohort(draw(st.lists(ROW, max_size=6)))
    dropped_batch = draw(st.lists(st.integers(0, n_batches - 1), min_size=len(dropped),
                                  max_size=len(dropped)))  # fmt: skip
    batches = []
    for batch in draw(st.permutations(range(n_batches))):
        kept = rows[np.asarray(batch_of, dtype=int) == batch]
        repeated = dropped[np.asarray(dropped_batch, dtype=int) == batch]
        batches.append(pd.concat([repeated, kept]).reset_index(drop=True))
    return rows, batches, dropped


@settings(max_examples=30, deadline=None)
@given(people=batched("people"), pros=batched("pros"))
def test_batches_cells_give_the_cohorts_comparisons_and_models(people, pros):
    cohorts, combined = {}, {"comparison_cells": {}, "model_cells": {}}
    for survey, (rows, batches, dropped) in {"people": people, "pros": pros}.items():
        q = QUESTIONNAIRES[survey]
        cohorts[survey] = rows
        for name, cells in combined.items():
            cells[survey] = partial.combined(name, batches, q, dropped, DEFINITION)
            # the cohort's cells counted at once: the same cells, to the bit
            once = partial.combined(name, [rows], q, definition=DEFINITION)
            pd.testing.assert_frame_equal(cells[survey], once, check_exact=True)
    assert_same(from_rows(cohorts), from_cells(*combined.values()))


def test_cells_are_integer_counts_keyed_by_the_values():
    """Each kind's columns: its keys (a model's covariates one column each, NaN in the columns of
    another comparison's covariates), int64 ``n``; blanks and off-scale answers are cells of
    their own (NaN), respondents outside the groups in none."""
    rows = cohort([(20.0, 1.0, 1, 1, 1, 2, 4, 5), (70.0, None, 9, 2, None, 2, 9, 1),
                   (None, 2.0, 2, 9, 5, 5, 5, 3)])  # fmt: skip
    q = QUESTIONNAIRES["people"]
    cells = comparison_cells(rows, q, DEFINITION)
    assert list(cells.columns) == [*COMPARISON_KEYS, COUNT]
    assert cells[COUNT].dtype == "int64" and cells[GROUP].dtype == "int64"
    assert set(cells["comparison"]) == {"across", "by_seen", "by_age", "across_adjusted"}
    seen = cells[cells["comparison"] == "by_seen"]
    # "Unsure" (9) forms no group: two respondents, one per group, per outcome
    assert seen.groupby("outcome")[COUNT].sum().to_dict() == {"t": 2, "verdict": 2}
    t = seen[seen["outcome"] == "t"]
    # a: 1, b: 2, c: 4 reversed = 2 -> 5/3; a blank, b: 2, c: 9 off-scale -> one answer: NaN
    assert t[VALUE].iloc[0] == 5 / 3 and np.isnan(t[VALUE].iloc[1])
    counted = model_cells(rows, q, DEFINITION)
    covariates = [covariate_key(c) for c in ["band", "age", "years"]]
    assert list(counted.columns) == [*MODEL_KEYS, *covariates, COUNT]
    by_seen = counted[counted["comparison"] == "by_seen"]
    assert by_seen[covariate_key("age")].isna().all()  # not a covariate of by_seen
    # t: (5/3, Yes, band 1), (NaN, No, 9: off-scale); verdict: (1, No, 9), (5, Yes, band 1)
    assert by_seen[covariate_key("band")].fillna(0).tolist() == [1, 0, 0, 1]
    assert set(counted["comparison"]) == {"by_seen", "by_age", "across_adjusted"}  # adjusted
    empty = comparison_cells(rows.head(0), q, DEFINITION)
    assert list(empty.columns) == [*COMPARISON_KEYS, COUNT] and empty.empty
    # an empty batch's cells have the types of any other's (they are concatenated and summed)
    assert empty.dtypes.equals(cells.dtypes) and cells["comparison"].dtype == "str"
    none = model_cells(rows.head(0), q, DEFINITION)
    assert none.empty and none.dtypes.equals(counted.dtypes)
    # a questionnaire that no adjusted comparison reads: no cells, the same columns and types
    people_only = {**DEFINITION, "comparisons": {"by_seen": DEFINITION["comparisons"]["by_seen"]}}
    unread = model_cells(rows, QUESTIONNAIRES["pros"], people_only)
    assert unread.empty and unread.dtypes.to_dict() == {
        **dict.fromkeys(["comparison", "outcome"], "str"), VALUE: "float64", GROUP: "int64",
        covariate_key("band"): "float64", COUNT: "int64",
    }  # fmt: skip
    assert comparison_cells(rows, q, {"comparisons": {}, "bands": {}}).empty


def random_answers(rng: np.random.Generator, n: int) -> list[tuple]:
    """``n`` rows as ``ROW`` draws them (blanks in every column), from a seeded generator."""

    def pick(options, blank=0.15):
        return None if rng.random() < blank else options[rng.integers(len(options))]

    return [
        (pick([float(a) for a in range(10, 91)]), pick([0.0, 1.0, 2.0, 3.0]), pick([1, 2, 3, 9]),
         pick([1, 2, 9]), *(pick([1, 2, 3, 4, 5, 9]) for _ in range(3)), pick([1, 2, 3, 4, 5]))
        for _ in range(n)
    ]  # fmt: skip


def test_three_batches_less_a_repeat_give_the_cohorts_tables_at_once():
    """The property above on one fixed draw (seconds, not minutes): each questionnaire's
    cohort split into three batches, two rows a later batch repeats counted in theirs and
    subtracted; every comparison's tables and models from the cells are those from the rows."""
    rng = np.random.default_rng(22)
    cohorts, combined = {}, {"comparison_cells": {}, "model_cells": {}}
    for survey, n in [("people", 60), ("pros", 40)]:
        rows, dropped = cohort(random_answers(rng, n)), cohort(random_answers(rng, 2))
        batch_of = rng.integers(0, 3, len(rows))
        batches = [rows[batch_of == b].reset_index(drop=True) for b in range(3)]
        batches[0] = pd.concat([dropped, batches[0]], ignore_index=True)
        cohorts[survey] = rows
        q = QUESTIONNAIRES[survey]
        for name, cells in combined.items():
            cells[survey] = partial.combined(name, batches, q, dropped, DEFINITION)
    assert_same(from_rows(cohorts), from_cells(*combined.values()))


def test_a_comparisons_bands_are_its_groups_and_with_its_model_its_covariates():
    """The config bands a comparison's cells apply: those of its ``by`` question for its tests;
    for its model those of its covariates too, so a banded covariate is counted by band, and a
    covariate without an ordinal scale (yes/no) by its code. A definition without bands or
    comparisons counts nothing, and a bad entry is named."""
    entry = {"survey": "people", "by": "band", "outcomes": ["t"], "family": "f",
             "adjust_for": ["age", "seen"]}  # fmt: skip
    definition = {"comparisons": counted_comparisons(filled.config({"comparisons": {"m": entry}})
                                                     ["comparisons"])}  # fmt: skip
    [(name, spec)] = defined_comparisons(definition)
    assert name == "m" and spec.adjust_for == ("age", "seen")
    banded = {**definition, "bands": {"age": AGE_BANDS, "band": [{"label": "x", "from": 0}],
                                      "years": AGE_BANDS}}  # fmt: skip
    assert comparison_bands(banded, spec) == {"band": banded["bands"]["band"]}
    assert comparison_bands(banded, spec, adjusted=True) == {
        "band": banded["bands"]["band"], "age": AGE_BANDS,
    }  # fmt: skip
    assert comparison_bands(definition, spec, adjusted=True) == {}
    rows = cohort([(20.0, 1.0, 1, 1, 1, 2, 4, 5), (70.0, None, 2, 2, 3, 2, 1, 1),
                   (50.0, 2.0, 2, 9, 5, 5, 5, 3)])  # fmt: skip
    del banded["bands"]["band"]
    counted = model_cells(rows, QUESTIONNAIRES["people"], banded)
    assert model_covariates(banded) == ["age", "seen"]
    assert counted[covariate_key("age")].tolist() == [1.0, 3.0, 2.0]  # 18-34, 65+, 35-64
    assert counted[covariate_key("seen")].fillna(0).tolist() == [1.0, 2.0, 0.0]  # 9: off-scale
    assert defined_comparisons({}) == [] and comparison_cells(rows, QUESTIONNAIRES["people"],
                                                             {}).empty  # fmt: skip
    bad = {"comparisons": {"odd": {"by": "band", "outcomes": ["t"]}}}
    with pytest.raises(SettingsError, match=r"comparisons\.odd\.omit: missing"):
        defined_comparisons(bad)


def test_a_theme_id_that_names_a_data_column_is_refused():
    rows = cohort([(20.0, 1.0, 1, 1, 1, 2, 4, 5)]).assign(t=[1.0])
    with pytest.raises(ValueError) as caught:
        with_theme_scores(rows, QUESTIONNAIRES["people"], ["t", "a"])
    assert str(caught.value) == "theme ids also name data columns: t"


def test_an_outcomes_cells_are_its_own_without_those_emptied_by_a_subtraction():
    """Combined cells keep a cell whose respondents were all subtracted (``n`` 0): an outcome's
    cells leave it out, and other comparisons' and outcomes' cells, and are indexed afresh."""
    cells = pd.DataFrame(
        {
            "comparison": ["c", "c", "c", "d", "c", "c"],
            "outcome": ["t", "t", "u", "t", "t", "t"],
            GROUP: [0, 1, 0, 0, 1, 0],
            VALUE: [1.0, 2.0, 1.0, 1.0, 5.0, np.nan],
            COUNT: [3, 0, 2, 4, 1, 2],
        }
    )
    expected = cells.iloc[[0, 4, 5]].reset_index(drop=True)
    pd.testing.assert_frame_equal(outcome_cells(cells, "c", "t"), expected)
