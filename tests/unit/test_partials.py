"""Partial results that add up (issue 22): the cells of each export batch, summed, less the rows
the cross-batch duplicate rule drops, give the one-shot descriptive table byte for byte, in any
arrival order; the registry's rules (likertflow.partials)."""

import io

import numpy as np
import pandas as pd
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.bands import apply_bands
from likertflow.cleaning import clean, decide, read_rows, screen
from likertflow.codebook import load_questionnaires
from likertflow.errors import InputError
from likertflow.outputs import PARTIAL_KINDS
from likertflow.partials import (
    KINDS,
    Kind,
    PartialsError,
    combine,
    combined_cells,
    compute_all,
    register,
    screened_rows,
)
from likertflow.tables import (
    answer_counts,
    band_counts,
    empty_counts,
    frequency_table,
    frequency_table_from_counts,
)
from support import numeric_study
from test_cleaning import EXCLUSIONS as CLEANING_EXCLUSIONS
from test_cleaning import PATIENTS, RANDOM_BATCHES, random_batches, write_batches

QUESTIONNAIRES = load_questionnaires(REPO / "config" / "codebook.yaml")
EXCLUSIONS = [{"id": "under_18", "rule": "answered", "question": "age", "labels": ["Under 18"]}]


def coded_cohort(survey: str, n: int, seed: int) -> pd.DataFrame:
    """Random codes of every question (blanks among them); the skip logic is applied by the
    tables themselves, as on the analysed cohort."""
    questionnaire = QUESTIONNAIRES[survey]
    rng = np.random.default_rng(seed)
    frame = {}
    for question in questionnaire.questions:
        if question.numeric:
            values = pd.array(rng.integers(18, 90, n), dtype="Float64")
        else:
            values = pd.array(rng.choice(question.answers.codes, n), dtype="Int16")
        values[rng.random(n) < 0.1] = pd.NA
        frame[question.id] = values
    return pd.DataFrame(frame)


def counted(questionnaire) -> list[str]:
    return [q.id for q in questionnaire.questions if not q.numeric]


@pytest.mark.parametrize("survey", sorted(QUESTIONNAIRES))
def test_table_from_counts_is_the_table(survey):
    questionnaire = QUESTIONNAIRES[survey]
    cohort = coded_cohort(survey, 500, seed=1)
    questions = counted(questionnaire)
    table = frequency_table(cohort, questionnaire, questions, EXCLUSIONS)
    from_counts = frequency_table_from_counts(
        answer_counts(cohort, questionnaire, questions), questionnaire, questions, EXCLUSIONS
    )
    assert table.to_csv(index=False) == from_counts.to_csv(index=False)
    assert table.dtypes.equals(from_counts.dtypes)


@settings(max_examples=25, deadline=None)
@given(
    survey=st.sampled_from(sorted(QUESTIONNAIRES)),
    seed=st.integers(0, 2**32 - 1),
    batches=st.integers(1, 5),
)
def test_batch_counts_less_the_dropped_rows_give_the_one_shot_table(survey, seed, batches):
    questionnaire = QUESTIONNAIRES[survey]
    questions = counted(questionnaire)
    rng = np.random.default_rng(seed)
    rows = coded_cohort(survey, int(rng.integers(1, 400)), seed)
    # the rows the cross-batch duplicate rule drops (repeats kept from another batch)
    dropped = rng.random(len(rows)) < 0.2
    parts = np.array_split(rng.permutation(len(rows)), batches)  # batches, in arrival order
    partials = [answer_counts(rows.iloc[part], questionnaire, questions) for part in parts]
    order = rng.permutation(len(partials))  # any order of summation
    combined = combine(
        "answer_counts",
        [partials[i] for i in order],
        minus=[answer_counts(rows[dropped], questionnaire, questions)],
    )
    kept = rows[~dropped].reset_index(drop=True)
    one_shot = frequency_table(kept, questionnaire, questions, EXCLUSIONS)
    table = frequency_table_from_counts(combined, questionnaire, questions, EXCLUSIONS)
    assert table.to_csv(index=False) == one_shot.to_csv(index=False)


def test_subtracting_more_than_was_counted_is_refused():
    questionnaire = QUESTIONNAIRES["patients"]
    rows = coded_cohort("patients", 10, seed=3)
    small = answer_counts(rows.iloc[:2], questionnaire, ["had_imaging"])
    every = answer_counts(rows, questionnaire, ["had_imaging"])
    with pytest.raises(
        PartialsError, match="^partial kind 'answer_counts': subtracted more than the partials"
    ):
        combine("answer_counts", [small], minus=[every])


def test_sums_are_by_question_and_code_blanks_included_zeros_left_out():
    first = pd.DataFrame(
        {"question_id": ["b", "a", "a"], "code": pd.array([1, None, 2], dtype="Int16"),
         "n": np.array([4, 2, 3], dtype="int64")}
    )  # fmt: skip
    second = pd.DataFrame(
        {"question_id": ["a", "a", "b"], "code": pd.array([None, 2, 2], dtype="Int16"),
         "n": np.array([5, 3, 1], dtype="int64")}
    )  # fmt: skip
    total = combine("answer_counts", [first, second])
    assert total.columns.tolist() == ["question_id", "code", "n"]
    assert total.index.tolist() == list(range(len(total)))
    rows = [(q, None if pd.isna(c) else int(c), n) for q, c, n in total.itertuples(index=False)]
    assert rows == [("a", 2, 6), ("a", None, 7), ("b", 1, 4), ("b", 2, 1)]
    less = combine("answer_counts", [total], minus=[second])  # the first, its cells in order
    pd.testing.assert_frame_equal(
        less, first.sort_values(["question_id", "code"]).reset_index(drop=True)
    )
    assert combine("answer_counts", [first], minus=[first]).empty  # every cell comes to zero


def test_no_counts_add_up_to_an_empty_typed_table():
    for total in [
        combine("answer_counts", [empty_counts()]),
        combine("answer_counts", [empty_counts(), empty_counts()], minus=[empty_counts()]),
    ]:
        assert total.empty and total.columns.tolist() == ["question_id", "code", "n"]
        assert total.dtypes.astype(str).tolist() == ["str", "Int16", "int64"]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), batches=st.integers(1, 4))
def test_banded_counts_from_the_batches_values_are_the_banded_table(seed, batches):
    """A banded numeric question's table from its values' counts (number_counts), summed over
    batches less the dropped rows, then banded: the table of the banded one-shot cohort."""
    questionnaire = numeric_study.questionnaire()
    bands = numeric_study.BANDS
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    ages = rng.choice([None, 5, 17.5, 18, 34, 34.5, 35, 64, 65, 99], n).tolist()
    sexes = rng.choice([None, 1, 2], n).tolist()
    rows = numeric_study.cohort(ages, sexes, rng.choice([None, 1, 2], n).tolist())
    dropped = rng.random(len(rows)) < 0.2
    parts = np.array_split(rng.permutation(len(rows)), batches)
    cells = [compute_all(rows.iloc[part], questionnaire, {}) for part in parts]
    less = compute_all(rows[dropped], questionnaire, {})
    numbers = combine("number_counts", [c["number_counts"] for c in cells], [less["number_counts"]])
    kept = rows[~dropped].reset_index(drop=True)
    frame, banded = apply_bands(kept, questionnaire, bands)
    questions = [q.id for q in banded.questions if not q.numeric]
    one_shot = frequency_table(frame, banded, questions, EXCLUSIONS)
    answers = combine("answer_counts", [c["answer_counts"] for c in cells], [less["answer_counts"]])
    counts = pd.concat([answers, band_counts(numbers, bands)], ignore_index=True)
    table = frequency_table_from_counts(counts, banded, questions, EXCLUSIONS)
    assert table.to_csv(index=False) == one_shot.to_csv(index=False)


def test_the_registry_refuses_a_name_twice_and_cells_not_of_their_kind():
    with pytest.raises(ValueError, match="'answer_counts' is registered already"):
        register(KINDS["answer_counts"])
    with pytest.raises(ValueError, match="'undeclared' is not declared in outputs.PARTIAL_KINDS"):
        register(Kind("undeclared", ("k",), ("n",), lambda *_: None))
    assert list(KINDS) == list(PARTIAL_KINDS)  # the rules write a file of each, in this order
    cells = empty_counts().astype({"n": "float64"})
    with pytest.raises(PartialsError, match="values not int64: \\['n'\\]"):
        combine("answer_counts", [cells])
    with pytest.raises(PartialsError, match="expected \\['question_id', 'value', 'n'\\]"):
        combine("number_counts", [empty_counts()])
    with pytest.raises(ValueError, match="keys, values and signed disagree"):
        Kind("x", ("a",), ("a",), compute=lambda rows, questionnaire, definition: rows)


def test_signed_values_may_fall_below_zero_counts_may_not():
    kind = Kind("sums", ("k",), ("n", "total"), lambda *_: None, signed=("total",))
    first = pd.DataFrame({"k": ["a", "b"], "n": np.array([2, 1]), "total": np.array([3, -1])})
    second = pd.DataFrame({"k": ["a"], "n": np.array([1]), "total": np.array([5])})
    total = combine(kind, [first], minus=[second])
    assert total.to_dict("list") == {"k": ["a", "b"], "n": [1, 1], "total": [-2, -1]}
    with pytest.raises(PartialsError, match="subtracted more"):
        combine(kind, [second], minus=[first])


def test_keys_none_are_every_column_but_the_values_blank_and_float_keys_cells_of_their_own():
    kind = Kind("by_definition", None, ("n",), lambda *_: None)
    first = pd.DataFrame(
        {"score": [2.5, np.nan, 2.5], "group": pd.array([1, 1, None], dtype="Int16"),
         "n": np.array([1, 2, 3])}
    )  # fmt: skip
    total = combine(kind, [first, first])
    assert total.columns.tolist() == ["score", "group", "n"]
    cells = [(None if pd.isna(s) else s, None if pd.isna(g) else int(g), n)
             for s, g, n in total.itertuples(index=False)]  # fmt: skip
    assert cells == [(2.5, 1, 2), (2.5, None, 6), (None, 1, 4)]
    with pytest.raises(PartialsError, match="parts with different columns"):
        combine(kind, [first, first[["group", "score", "n"]]])


# --- through cleaning: each batch's cells, the repeats subtracted (clean_responses) -------------


def cells_through_cleaning(tmp_path, named):
    """What the workflow writes: each batch (name, frame) screened and summarised on its own
    (validate_export, summarise_batch), then decided together and combined (clean_responses)."""
    screenings, paths = write_batches(tmp_path, named)
    batch_cells = {name: [] for name in KINDS}
    for (name, frame), screening in zip(named, screenings, strict=True):
        rows = screened_rows(frame, screening, name)
        for kind, cells in compute_all(rows, PATIENTS, {}).items():
            batch_cells[kind].append(cells)
    cleaned = decide(screenings, CLEANING_EXCLUSIONS)
    repeats = read_rows(cleaned, paths, cleaned.repeats_screened, PATIENTS.question_ids)
    return combined_cells(batch_cells, compute_all(repeats, PATIENTS, {}))


def assert_cells_of_one_pass(cells, batches):
    """The cells are those of the analysed cohort of one pass over every batch, computed at
    once, byte for byte as written; and its descriptive table follows from them."""
    analysed, _ = clean(batches, PATIENTS, CLEANING_EXCLUSIONS)
    one_pass = compute_all(analysed, PATIENTS, {})
    for kind in KINDS:
        expected = combine(kind, [one_pass[kind]])
        pd.testing.assert_frame_equal(cells[kind], expected)
        assert parquet_bytes(cells[kind]) == parquet_bytes(expected)
    questions = counted(PATIENTS)
    table = frequency_table_from_counts(
        cells["answer_counts"], PATIENTS, questions, CLEANING_EXCLUSIONS
    )
    one_shot = frequency_table(analysed, PATIENTS, questions, CLEANING_EXCLUSIONS)
    assert table.to_csv(index=False) == one_shot.to_csv(index=False)


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=False)
    return buffer.getvalue()


@pytest.mark.slow  # over 3 s
@settings(max_examples=10, deadline=None)
@given(**RANDOM_BATCHES, arrival=st.randoms(use_true_random=False), changed=st.integers(0, 3))
def test_batch_cells_less_the_repeats_are_the_one_pass_cohorts_in_any_order(
    tmp_path_factory, seed, sizes, repeats, arrival, changed
):
    """Random batches with ids repeated within and across them, arriving in any order: their
    cells less the repeats' are the analysed cohort's; so with a batch withdrawn, or replaced
    by a corrected export under its name (the other batches' cells kept)."""
    batches = random_batches(seed, sizes, repeats)
    named = [(f"b{number}", frame) for number, frame in enumerate(batches)]
    arrival.shuffle(named)
    cells = cells_through_cleaning(tmp_path_factory.mktemp("all"), named)
    assert_cells_of_one_pass(cells, batches)
    # withdrawn: its cells and rows gone (the repeats it won now kept in other batches)
    gone = f"b{changed % len(batches)}"
    if len(batches) > 1:
        kept = [(name, frame) for name, frame in named if name != gone]
        cells = cells_through_cleaning(tmp_path_factory.mktemp("withdrawn"), kept)
        assert_cells_of_one_pass(cells, [frame for name, frame in kept])
    # replaced: a corrected export under the same name, other answers and ids
    corrected = random_batches(seed + 1, sizes, repeats)[int(gone[1:])]
    replaced = [(name, corrected if name == gone else frame) for name, frame in named]
    cells = cells_through_cleaning(tmp_path_factory.mktemp("replaced"), replaced)
    assert_cells_of_one_pass(cells, [frame for name, frame in replaced])


def test_a_batch_summarised_with_another_batchs_screening_is_refused():
    frame = random_batches(1, [6], 0.0)[0]
    screening = screen(frame, PATIENTS, CLEANING_EXCLUSIONS)
    rows = screened_rows(frame, screening, "b0")
    assert len(rows) == (screening["reason"] == "").sum()
    with pytest.raises(InputError, match="^b0: its screening is not of its rows"):
        screened_rows(frame, screening.iloc[1:], "b0")


def test_three_batches_with_repeats_give_the_one_pass_cohorts_cells(tmp_path):
    """The slow property test's first case as a fast one (mutation runs leave slow tests out):
    three small batches whose ids repeat within and across them, combined less the repeats."""
    batches = random_batches(7, [12, 9, 10], 0.4)
    named = [(f"b{number}", frame) for number, frame in enumerate(batches)]
    cells = cells_through_cleaning(tmp_path, named[::-1])
    assert sorted(cells) == sorted(KINDS)
    assert_cells_of_one_pass(cells, batches)


def test_combined_cells_of_other_kinds_than_the_registry_are_refused():
    every = {name: [] for name in KINDS}
    fewer = {name: [] for name in list(KINDS)[1:]}
    for batches, dropped in [(fewer, every), (every, fewer)]:
        expected = (
            f"partial results of kinds {sorted(batches)} and {sorted(dropped)}, expected "
            f"{sorted(KINDS)}: delete results/partials/ and rerun"
        )
        with pytest.raises(PartialsError) as raised:
            combined_cells(batches, dropped)
        assert str(raised.value) == expected


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("results/partials/patients/b1.answer_counts.parquet", "answer_counts"),
        ("results/partials/patients.reliability_moments.parquet", "reliability_moments"),
        ("results/partials/patients/export.2024.03.model_cells.parquet", "model_cells"),
    ],
)
def test_a_partials_file_is_of_the_kind_its_name_ends_in(path, kind):
    from pathlib import Path

    from likertflow.partials import kind_of

    assert kind_of(path) == kind
    assert kind_of(Path(path)) == kind


def test_a_registered_kind_is_found_under_its_name(monkeypatch):
    import likertflow.partials as partials

    monkeypatch.setattr(partials, "KINDS", {})
    kind = KINDS["answer_counts"]
    assert register(kind) is kind
    assert partials.KINDS == {"answer_counts": kind}


def test_the_screened_rows_are_the_rows_no_rule_records_in_order_relabelled():
    frame = random_batches(3, [20], 0.0)[0]
    screening = screen(frame, PATIENTS, CLEANING_EXCLUSIONS)
    passed = screening["reason"] == ""
    assert 0 < passed.sum() < len(frame)  # some rows fail a row-wise rule
    rows = screened_rows(frame, screening, "b0")
    assert rows.index.tolist() == list(range(passed.sum()))
    assert rows.columns.tolist() == frame.columns.tolist()
    assert rows["row"].tolist() == frame["row"][passed.to_numpy()].tolist()


def test_a_screening_of_other_rows_is_refused_naming_both_lengths():
    frame = random_batches(1, [6], 0.0)[0]
    screening = screen(frame, PATIENTS, CLEANING_EXCLUSIONS)
    with pytest.raises(InputError) as raised:
        screened_rows(frame, screening.iloc[2:], "b0")
    assert str(raised.value) == (
        "b0: its screening is not of its rows; delete results/ingest/ and results/screening/ "
        "and rerun\n  - b0, column 'row': found '4 rows'; expected 6 rows as in the batch"
    )


def test_every_value_may_be_signed_but_no_signed_column_outside_the_values():
    kind = Kind("sums", ("k",), ("total",), lambda *_: None, signed=("total",))
    first = pd.DataFrame({"k": ["a"], "total": np.array([1])})
    second = pd.DataFrame({"k": ["a"], "total": np.array([4])})
    assert combine(kind, [first], minus=[second]).to_dict("list") == {"k": ["a"], "total": [-3]}
    with pytest.raises(ValueError, match="^partial kind 'x': keys, values and signed disagree$"):
        Kind("x", ("k",), ("n",), lambda *_: None, signed=("total",))


def test_combining_no_parts_is_refused_naming_the_kind():
    with pytest.raises(ValueError) as raised:
        combine("number_counts", [], minus=[empty_counts()])
    assert str(raised.value) == "combine needs the cells of at least one part of 'number_counts'"
