"""Cleaning: merging batches, repeated response ids, exclusions, the ledger and its invariant."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.cleaning import (
    KEY_COLUMNS,
    LEDGER_COLUMNS,
    META_COLUMNS,
    SCREENING_COLUMNS,
    LedgerError,
    Screenings,
    check_ledger,
    clean,
    clean_and_count,
    decide,
    keep_one_per_id,
    name_columns,
    read_batch,
    read_rows,
    screen,
)
from likertflow.errors import InputError, Problem
from likertflow.exclusions import RULES, rule_inputs
from likertflow.files import write_csv
from likertflow.flow import ledger_counts, write_ledger
from likertflow.ingest import code_export
from support import exportkit

PATIENTS = exportkit.questionnaire("patients")
EXPERTS = exportkit.questionnaire("experts")
EXCLUSIONS = [
    {"id": "under_18", "rule": "answered", "question": "age", "labels": ["Under 18"]},
    {"id": "item_nonresponse", "rule": "item_nonresponse"},
]


def batch(name: str, records: list[dict], q=PATIENTS) -> pd.DataFrame:
    """An ingested batch, coded from records as ingest codes an export."""
    export = exportkit.export_frame(q, exportkit.answers_from_records(q, records))
    return code_export(export, q, name)


def raw_keys(batches: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat([b[["batch", "row"]] for b in batches], ignore_index=True)


def ledger_row(ledger: pd.DataFrame, batch_name: str, row: int) -> dict:
    match = ledger[(ledger["batch"] == batch_name) & (ledger["row"] == row)]
    assert len(match) == 1
    return match.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("first", "second", "kept"),
    [
        # 1. a finished response beats an unfinished one, however late
        ({"completed": None, "started": "2020-05-09 09:00:00"}, {}, "b"),
        # 2. the latest completion
        ({"completed": "2020-05-07 09:30:00"}, {"completed": "2020-05-07 09:20:00"}, "a"),
        # 3. the latest start (same completion)
        ({"started": "2020-05-07 08:00:00"}, {"started": "2020-05-07 08:30:00"}, "b"),
        # 4. the most questions answered (both unfinished, same times), whichever batch
        ({"completed": None, "upset": None}, {"completed": None}, "b"),
        ({"completed": None}, {"completed": None, "upset": None}, "a"),
        # 5. the greatest batch name when all else ties
        ({}, {}, "b"),
    ],
)
def test_repeated_id_keeps_the_best_row(first, second, kept):
    batches = [
        batch("a", [{"response_id": "x", **first}]),
        batch("b", [{"response_id": "x", **second}]),
    ]
    for order in (batches, batches[::-1]):  # independent of arrival order
        analysed, ledger = clean(order, PATIENTS, EXCLUSIONS)
        dropped = "a" if kept == "b" else "b"
        assert analysed[["batch", "row"]].values.tolist() == [[kept, 1]]
        loser = ledger_row(ledger, dropped, 1)
        assert (loser["status"], loser["reason"]) == ("excluded", "duplicate_response")
        assert loser["detail"] == f"repeat of the response kept from batch {kept}, row 1"


def test_repeated_id_within_a_batch_keeps_the_greatest_row():
    batches = [batch("a", [{"response_id": "x"}, {"response_id": "y"}, {"response_id": "x"}])]
    analysed, ledger = clean(batches, PATIENTS, EXCLUSIONS)
    assert analysed[["response_id", "row"]].values.tolist() == [["x", 3], ["y", 2]]
    assert ledger_row(ledger, "a", 1)["detail"] == "repeat of the response kept from batch a, row 3"


def test_keep_one_per_id_details_only_the_rows_dropped():
    responses = batch("a", [{"response_id": "x"}, {"response_id": "y"}, {"response_id": "x"}])
    kept, detail = keep_one_per_id(responses, PATIENTS.question_ids)
    assert kept.tolist() == [False, True, True]
    assert detail.tolist() == ["repeat of the response kept from batch a, row 3", "", ""]
    unique = batch("a", [{"response_id": "x"}, {"response_id": "y"}])
    kept, detail = keep_one_per_id(unique, PATIENTS.question_ids)
    assert kept.tolist() == [True, True] and detail.tolist() == ["", ""]


def test_exclusions_first_rule_wins_and_details():
    records = [
        {"response_id": "adult"},
        {"response_id": "minor", "age": "Under 18", "upset": None},  # both rules: first wins
        {"response_id": "blanks", "upset": None, "recall": None},
        {"response_id": "no_imaging", "had_imaging": "No"},  # saw_images not asked: fine
        {"response_id": "unsure_age", "age": "I do not want to reveal my age"},  # off-scale, kept
        {"response_id": "stopped", "had_imaging": "Yes", "saw_images": None, "completed": None},
    ]
    analysed, ledger = clean([batch("w1", records)], PATIENTS, EXCLUSIONS)
    assert analysed["response_id"].tolist() == ["adult", "no_imaging", "unsure_age"]
    reasons = ledger.set_index("response_id")[["status", "reason", "detail"]]
    assert reasons.loc["minor"].tolist() == ["excluded", "under_18", "age: Under 18"]
    assert reasons.loc["blanks"].tolist() == [
        "excluded",
        "item_nonresponse",
        "unanswered: recall, upset",  # questionnaire order
    ]
    # wants_to_see hangs on saw_images: not asked, so only saw_images is missing
    assert reasons.loc["stopped", "detail"] == "unanswered: saw_images"
    assert reasons.loc["adult"].tolist() == ["analysed", "", ""]


def test_outputs_follow_the_contract():
    batches = [
        batch("week2", [{"response_id": "b"}, {"response_id": "a", "upset": None}]),
        batch("week1", [{"response_id": "c"}]),
    ]
    analysed, ledger = clean(batches, PATIENTS, EXCLUSIONS)
    assert list(analysed.columns) == list(batches[0].columns)
    assert analysed.dtypes.equals(batches[0].dtypes)
    assert analysed["response_id"].tolist() == ["b", "c"]
    assert list(ledger.columns) == LEDGER_COLUMNS
    assert ledger[["batch", "row"]].values.tolist() == [["week1", 1], ["week2", 1], ["week2", 2]]
    check_ledger(ledger, raw_keys(batches), analysed)


def test_no_exclusion_rules_and_no_batches():
    analysed, ledger = clean([batch("w", [{"upset": None}])], PATIENTS, [])
    assert len(analysed) == 1 and ledger["status"].tolist() == ["analysed"]
    analysed, ledger = clean([], EXPERTS, EXCLUSIONS[1:])
    assert analysed.empty and ledger.empty
    assert list(ledger.columns) == LEDGER_COLUMNS


def test_no_batches_give_a_cohort_typed_as_ingested_batches():
    """Later steps (tables, comparisons) get the same columns and dtypes with or without data."""
    for q in (PATIENTS, EXPERTS):
        analysed, _ = clean([], q, [])
        ingested = batch("w", [{}], q=q)
        assert list(analysed.columns) == list(ingested.columns)
        assert analysed.dtypes.to_dict() == ingested.dtypes.to_dict()


def test_rule_ids_are_recorded_in_full():
    rule = {"id": "item_nonresponse_in_any_asked_question", "rule": "item_nonresponse"}
    _, ledger = clean([batch("w", [{"response_id": "a"}, {"upset": None}])], PATIENTS, [rule])
    assert ledger["reason"].tolist() == ["", "item_nonresponse_in_any_asked_question"]


def test_exclusion_rule_of_an_unknown_kind():
    rule = {"id": "speeders", "rule": "faster_than"}
    with pytest.raises(InputError) as caught:
        clean([batch("w", [{}])], PATIENTS, [rule])
    assert caught.value.summary == "exclusion rule 'speeders' has an unknown rule"
    [problem] = caught.value.problems
    assert (problem.file, problem.value) == ("config exclusions", "faster_than")
    assert sorted(problem.expected.split(" or ")) == sorted(RULES)  # every rule there is


def test_rule_on_a_question_the_questionnaire_lacks_is_logged(caplog):
    with caplog.at_level(logging.INFO, logger="likertflow.cleaning"):
        clean([batch("w", [{}], q=EXPERTS)], EXPERTS, EXCLUSIONS)
    assert caplog.messages == [
        "exclusion rule 'under_18' does not apply to experts: it has no question 'age'"
    ]


def test_exclusion_rule_with_an_unknown_label():
    rule = {"id": "minors", "rule": "answered", "question": "age", "labels": ["Under 16"]}
    with pytest.raises(InputError, match="minors") as caught:
        clean([batch("w", [{}])], PATIENTS, [rule])
    assert caught.value.problems[0].value == "Under 16"


def relabel(ledger: pd.DataFrame, position: int, **values) -> pd.DataFrame:
    ledger = ledger.copy()
    for column, value in values.items():
        ledger.loc[position, column] = value
    return ledger


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda ledger, analysed: (ledger.iloc[1:], analysed), "1 raw rows missing"),
        (lambda ledger, analysed: (pd.concat([ledger, ledger.iloc[:1]]), analysed), "share a"),
        (
            lambda ledger, analysed: (ledger.assign(row=ledger["row"] + 1), analysed),
            "no raw row",
        ),
        (lambda ledger, analysed: (ledger, analysed.iloc[1:]), "in the cohort"),
        (lambda ledger, analysed: (ledger.assign(status="kept"), analysed), "another status"),
    ],
)
def test_check_ledger_catches_every_break(break_it, message):
    batches = [batch("w1", [{}, {}, {"upset": None}])]
    analysed, ledger = clean(batches, PATIENTS, EXCLUSIONS)
    check_ledger(ledger, raw_keys(batches), analysed)
    broken_ledger, broken_analysed = break_it(ledger, analysed)
    with pytest.raises(LedgerError, match=message):
        check_ledger(broken_ledger, raw_keys(batches), broken_analysed)


BROKEN = "ledger invariant broken (raw rows = analysed + excluded, each raw row once): "


@pytest.mark.parametrize(
    ("break_it", "problem"),
    [
        (  # a raw row counted twice, once under another id and status: the same raw row still
            lambda ledger: pd.concat(
                [ledger, relabel(ledger, 0, response_id="z", status="excluded").iloc[:1]]
            ),
            "7 raw rows but 8 ledger rows; 2 ledger rows share a (batch, row): w1 row 1, w1 row 1",
        ),
        (  # more than five rows: the first five, then " ..."
            lambda ledger: ledger.iloc[:1],
            "7 raw rows but 1 ledger rows; 6 raw rows missing from the ledger: "
            "w1 row 2, w1 row 3, w1 row 4, w1 row 5, w1 row 6 ...; "
            "1 rows analysed in the ledger but 3 in the cohort",
        ),
        (
            lambda ledger: ledger.iloc[:2],
            "7 raw rows but 2 ledger rows; 5 raw rows missing from the ledger: "
            "w1 row 3, w1 row 4, w1 row 5, w1 row 6, w1 row 7; "
            "2 rows analysed in the ledger but 3 in the cohort",
        ),
        (
            lambda ledger: relabel(ledger, 6, row=8),
            "1 raw rows missing from the ledger: w1 row 7; "
            "1 ledger rows that are no raw row: w1 row 8; "
            "the cohort holds rows the ledger does not mark analysed",
        ),
        (  # one analysed row with a status of its own (2 analysed and 4 excluded left)
            lambda ledger: relabel(ledger, 0, status="kept"),
            "1 ledger rows with another status; 2 rows analysed in the ledger but 3 in the cohort",
        ),
    ],
)
def test_check_ledger_says_what_is_broken(break_it, problem):
    records = [{"response_id": "a"}, {"response_id": "b"}, {"response_id": "c", "upset": None}]
    batches = [batch("w1", [*records, *[{"response_id": "d"}] * 4])]  # row 7 is d's kept row
    analysed, ledger = clean(batches, PATIENTS, EXCLUSIONS)
    assert ledger["status"].tolist() == ["analysed"] * 2 + ["excluded"] * 4 + ["analysed"]
    with pytest.raises(LedgerError) as caught:
        check_ledger(break_it(ledger), raw_keys(batches), analysed)
    assert str(caught.value) == BROKEN + problem


def test_check_ledger_catches_a_cohort_of_the_wrong_rows():
    """As many analysed rows as the ledger says, but not the ones it marks analysed."""
    batches = [batch("w1", [{}, {}, {"upset": None}])]
    analysed, ledger = clean(batches, PATIENTS, EXCLUSIONS)
    swapped = relabel(ledger, 1, status="excluded")
    swapped = relabel(swapped, 2, status="analysed")
    with pytest.raises(LedgerError) as caught:
        check_ledger(swapped, raw_keys(batches), analysed)
    assert str(caught.value) == (BROKEN + "the cohort holds rows the ledger does not mark analysed")


def test_read_batch_checks_the_file_name(tmp_path):
    frame = batch("week1", [{}])
    (tmp_path / "patients").mkdir()
    week1, week2 = tmp_path / "patients" / "week1.parquet", tmp_path / "patients" / "week2.parquet"
    frame.to_parquet(week1, index=False)
    frame.to_parquet(week2, index=False)
    assert read_batch(week1, "patients").equals(frame)
    with pytest.raises(InputError) as caught:
        read_batch(week2, "patients")
    assert str(caught.value) == (
        f"{week2} does not hold what its name says; delete it and rerun the ingest\n"
        f"  - {week2}, column 'batch': found \"['week1'] of survey 'patients'\"; "
        "expected batch 'week2' of survey 'patients'"
    )
    with pytest.raises(InputError) as caught:
        read_batch(week1, "experts")
    assert caught.value.problems == [
        Problem(
            str(week1),
            "batch 'week1' of survey 'experts'",
            column="batch",
            value="['week1'] of survey 'patients'",
        )
    ]


def test_read_batch_refuses_a_file_that_is_no_ingested_batch(tmp_path):
    (tmp_path / "patients").mkdir()
    path = tmp_path / "patients" / "week1.parquet"
    pd.DataFrame({"response_id": ["a"]}).to_parquet(path)
    with pytest.raises(InputError) as caught:
        read_batch(path, "patients")
    assert caught.value.problems[0].value == "['None'] of survey 'patients'"


def random_batches(seed: int, sizes: list[int], repeats: float) -> list[pd.DataFrame]:
    """Ingested batches with ids drawn from a small pool: some repeat within and across them."""
    rng = np.random.default_rng(seed)
    batches = []
    for number, size in enumerate(sizes):
        answers = exportkit.random_answers(
            PATIENTS, size, seed + number, blank_rate=0.03, unfinished_rate=0.2
        )
        pool = max(1, int(sum(sizes) * (1 - repeats)))
        answers["response_id"] = [f"R{i}" for i in rng.integers(0, pool, size)]
        export = exportkit.export_frame(PATIENTS, answers)
        batches.append(code_export(export, PATIENTS, f"b{number}"))
    return batches


# random_batches' arguments: 1-4 batches of up to 30 rows, up to half of them repeats
RANDOM_BATCHES = {
    "seed": st.integers(0, 2**16),
    "sizes": st.lists(st.integers(0, 30), min_size=1, max_size=4),
    "repeats": st.floats(0, 0.5),
}


@pytest.mark.slow  # over 3 s
@settings(max_examples=25, deadline=None)
@given(**RANDOM_BATCHES)
def test_ledger_invariant_and_order_independence(seed, sizes, repeats):
    """Random batches with repeated ids: every raw row accounted for once, whatever the order."""
    batches = random_batches(seed, sizes, repeats)
    analysed, ledger = clean(batches, PATIENTS, EXCLUSIONS)
    check_ledger(ledger, raw_keys(batches), analysed)
    distinct = pd.concat(batches)["response_id"].nunique()
    assert (ledger["reason"] == "duplicate_response").sum() == sum(sizes) - distinct
    assert analysed["response_id"].is_unique and analysed["response_id"].is_monotonic_increasing
    shuffled = [b.sample(frac=1, random_state=seed) for b in batches[::-1]]
    analysed_again, ledger_again = clean(shuffled, PATIENTS, EXCLUSIONS)
    pd.testing.assert_frame_equal(analysed_again, analysed)
    pd.testing.assert_frame_equal(ledger_again, ledger)


def test_answered_rule_skips_a_questionnaire_without_its_question():
    batches = [batch("w1", [{}, {"role": None}], q=EXPERTS)]  # experts are not asked their age
    analysed, ledger = clean(batches, EXPERTS, EXCLUSIONS)
    assert ledger["reason"].tolist() == ["", "item_nonresponse"]
    assert ledger.loc[1, "detail"] == "unanswered: role"


def test_batches_ingested_with_another_codebook_are_refused():
    stale = batch("w1", [{}]).drop(columns=["good_idea"])
    with pytest.raises(InputError) as caught:
        clean([batch("w0", [{}]), stale], PATIENTS, EXCLUSIONS)
    assert caught.value.summary == (
        "ingested batch 'w1' does not have the columns of the current codebook; "
        "delete results/ingest/ and rerun"
    )
    expected = [*META_COLUMNS, *PATIENTS.question_ids]
    assert caught.value.problems == [
        Problem(
            "batch w1",
            ", ".join(expected),
            value=", ".join(c for c in expected if c != "good_idea"),
        )
    ]
    empty_stale = stale.iloc[:0]  # a batch with no rows has no name to give
    with pytest.raises(InputError, match="ingested batch '[?]' does not have the columns"):
        clean([empty_stale], PATIENTS, EXCLUSIONS)


def test_duplicate_finished_later_but_started_earlier_is_kept():
    """Kills ranking the start time before the completion time."""
    records = {
        "a": {"started": "2020-05-07 08:00:00", "completed": "2020-05-07 09:30:00"},
        "b": {"started": "2020-05-07 08:30:00", "completed": "2020-05-07 09:20:00"},
    }
    batches = [
        code_export(
            exportkit.export_frame(
                PATIENTS,
                exportkit.answers_from_records(PATIENTS, [{"response_id": "x", **record}]),
            ),
            PATIENTS,
            name,
        )
        for name, record in records.items()
    ]
    for order in (batches, batches[::-1]):
        analysed, _ = clean(order, PATIENTS, [])
        assert analysed["batch"].tolist() == ["a"]


# --- per batch, once (issue 22, decision 1) ---------------------------------------------------


def screening_path(tmp_path, name: str):
    """Where ``write_batches`` writes a batch's screening (validate_export's layout)."""
    return tmp_path / "screening" / "patients" / f"{name}.parquet"


def write_batches(tmp_path, batches) -> tuple[list[pd.DataFrame], list]:
    """Each batch (name, frame) screened on its own and written as validate_export writes it:
    the screenings read back and the batches' paths, in the order given."""
    screenings, paths = [], []
    (tmp_path / "patients").mkdir(exist_ok=True)
    (tmp_path / "screening" / "patients").mkdir(parents=True, exist_ok=True)
    for name, frame in batches:
        path = tmp_path / "patients" / f"{name}.parquet"
        frame.to_parquet(path, index=False)
        screening = screening_path(tmp_path, name)
        screen(frame, PATIENTS, EXCLUSIONS).to_parquet(screening, index=False)
        screenings.append(pd.read_parquet(screening))
        paths.append(path)
    return screenings, paths


@pytest.mark.slow  # over 3 s
@settings(max_examples=15, deadline=None)
@given(**RANDOM_BATCHES, arrival=st.randoms(use_true_random=False))
def test_batches_screened_one_by_one_give_the_one_pass_cohort_and_ledger(
    tmp_path_factory, seed, sizes, repeats, arrival
):
    """Screened each on its own (the workflow's validate_export) and decided together from the
    screenings alone, in any arrival order: the ledger, the counts and the analysed cohort of
    one pass over every batch at once (clean), byte for byte as written."""
    tmp_path = tmp_path_factory.mktemp("batches")
    batches = random_batches(seed, sizes, repeats)
    analysed, ledger, counts = clean_and_count(batches, PATIENTS, EXCLUSIONS)
    named = [(f"b{number}", frame) for number, frame in enumerate(batches)]
    arrival.shuffle(named)
    screenings, paths = write_batches(tmp_path, named)
    cleaned = decide(screenings, EXCLUSIONS)
    pd.testing.assert_frame_equal(cleaned.ledger, ledger)
    assert [c.excluded for c in cleaned.counts] == [c.excluded for c in counts]
    assert {c.responses for c in cleaned.counts} == {c.responses for c in counts}
    # decided from the screenings' files, a few columns at a time, as clean_responses decides:
    # the same; and the ledger's counts from its pieces (one batch each) those of the whole
    files = [screening_path(tmp_path, name) for name, _ in named]
    on_disk = decide(Screenings.from_files(files, "patients"), EXCLUSIONS)
    pd.testing.assert_frame_equal(on_disk.ledger, ledger)
    assert on_disk.analysed.tolist() == cleaned.analysed.tolist()
    counts_written = write_ledger(on_disk.ledger_pieces(), tmp_path / "by_batch.csv")
    pd.testing.assert_frame_equal(counts_written, ledger_counts(ledger))
    write_csv(ledger, tmp_path / "whole.csv")
    assert (tmp_path / "by_batch.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    columns = PATIENTS.question_ids
    read = read_rows(cleaned, paths, cleaned.analysed, columns, every_batch=True)
    pd.testing.assert_frame_equal(read, analysed[columns])
    # the files cleaning writes: the same bytes
    read.to_parquet(tmp_path / "per_batch.parquet", index=False)
    analysed[columns].to_parquet(tmp_path / "one_pass.parquet", index=False)
    assert (tmp_path / "per_batch.parquet").read_bytes() == (
        tmp_path / "one_pass.parquet"
    ).read_bytes()
    # each rule's columns responsible, from its excluded responses alone
    for count, rule in zip(cleaned.counts, EXCLUSIONS, strict=True):
        excluded = cleaned.excluded_by(rule["id"])
        assert excluded.tolist() == np.flatnonzero(cleaned.reason == rule["id"]).tolist()
        recorded = read_rows(cleaned, paths, excluded)
        assert name_columns(count, rule, recorded, PATIENTS) == counts[EXCLUSIONS.index(rule)]
        # read as clean_responses reads them: only the columns the rules read
        recorded = read_rows(cleaned, paths, excluded, rule_inputs(PATIENTS))
        assert name_columns(count, rule, recorded, PATIENTS) == counts[EXCLUSIONS.index(rule)]


def test_a_kept_row_is_excluded_under_the_rule_its_screening_found():
    """The rules meet rows the duplicate rule drops too; only a kept row's rule counts."""
    first = batch("a", [{"response_id": "x", "age": "Under 18"}, {"response_id": "y"}])
    second = batch("b", [{"response_id": "x"}, {"response_id": "z", "upset": None}])
    screenings = [screen(frame, PATIENTS, EXCLUSIONS) for frame in (second, first)]
    assert screenings[1]["reason"].tolist() == ["under_18", ""]
    cleaned = decide(screenings, EXCLUSIONS)
    assert cleaned.ledger["reason"].tolist() == [
        "duplicate_response", "", "", "item_nonresponse"
    ]  # fmt: skip
    assert [(c.rule, c.excluded, c.responses) for c in cleaned.counts] == [
        ("under_18", 0, 3), ("item_nonresponse", 1, 3)
    ]  # fmt: skip
    assert cleaned.ledger["response_id"].iloc[cleaned.analysed].tolist() == ["x", "y"]


def test_screening_normalises_ids_and_counts_the_questions_answered():
    frame = batch("a", [{"response_id": " R_1 "}, {"response_id": "R_2", "upset": None}])
    screening = screen(frame, PATIENTS, EXCLUSIONS)
    assert list(screening.columns) == SCREENING_COLUMNS
    assert screening["response_id"].tolist() == ["R_1", "R_2"]
    answered = frame[PATIENTS.question_ids].notna().sum(axis=1).tolist()
    assert screening["answered"].tolist() == answered and answered[0] == answered[1] + 1


def test_decide_refuses_no_screening_and_a_stale_one():
    with pytest.raises(ValueError, match="at least one batch"):
        decide([], EXCLUSIONS)
    stale = screen(batch("a", [{}]), PATIENTS, EXCLUSIONS).drop(columns=["answered"])
    with pytest.raises(InputError, match="ingested batch 'a' does not have the columns"):
        decide([stale], EXCLUSIONS)


def test_a_screening_file_of_another_batch_or_without_a_screenings_columns_is_refused(tmp_path):
    """clean_responses reads the screenings' files: one holding another batch (a file renamed
    by hand), or one written by an older version, is named, never decided from."""
    folder = tmp_path / "patients"
    folder.mkdir()
    screen(batch("a", [{}]), PATIENTS, EXCLUSIONS).to_parquet(folder / "b.parquet", index=False)
    with pytest.raises(InputError) as caught:
        Screenings.from_files([folder / "b.parquet"], "patients")
    assert caught.value.summary == (
        f"{folder / 'b.parquet'} does not hold what its name says; delete it and rerun the ingest"
    )
    assert caught.value.problems == [
        Problem(
            str(folder / "b.parquet"), "batch 'b' of survey 'patients'", column="batch",
            value="['a'] of survey 'patients'",
        )
    ]  # fmt: skip
    with pytest.raises(InputError, match="does not hold what its name says"):
        Screenings.from_files([folder / "b.parquet"], "experts")
    unnamed = screen(batch("e", [{}]), PATIENTS, EXCLUSIONS).drop(columns=["batch"])
    unnamed.to_parquet(folder / "e.parquet", index=False)
    with pytest.raises(InputError) as caught:
        Screenings.from_files([folder / "e.parquet"], "patients")
    assert caught.value.problems[0].value == "['None'] of survey 'patients'"
    stale = screen(batch("c", [{}]), PATIENTS, EXCLUSIONS).drop(columns=["answered"])
    stale.to_parquet(folder / "c.parquet", index=False)
    with pytest.raises(InputError, match="ingested batch 'c' does not have the columns"):
        Screenings.from_files([folder / "c.parquet"], "patients")


def test_decided_from_the_screenings_files_as_from_the_frames(tmp_path):
    """What clean_responses decides from the screenings' files (``Screenings.from_files``, a
    few columns at a time) is what the frames give: the ledger, which rows are analysed, each
    rule's count and the rows it excluded; an empty batch (named "" as an empty frame is, so
    first in batch-name order) and a repeat across batches included."""
    named = [
        ("b", batch("b", [{"response_id": "x", "completed": None}, {"response_id": "y"}])),
        ("a", batch("a", [{"response_id": "x"}, {"response_id": "z", "upset": None}])),
        ("c", batch("c", [])),
        ("d", batch("d", [{"response_id": "w", "age": "Under 18"}])),
    ]
    screenings, _ = write_batches(tmp_path, named)
    from_frames = decide(screenings, EXCLUSIONS)
    from_files = decide(
        Screenings.from_files([screening_path(tmp_path, name) for name, _ in named], "patients"),
        EXCLUSIONS,
    )
    assert from_files.screenings.names == ["b", "a", "", "d"]
    pd.testing.assert_frame_equal(from_files.ledger, from_frames.ledger)
    assert from_files.ledger["reason"].tolist() == [
        "", "item_nonresponse", "duplicate_response", "", "under_18"
    ]  # fmt: skip
    assert from_files.analysed.tolist() == from_frames.analysed.tolist() == [0, 3]
    assert from_files.counts == from_frames.counts
    for rule in EXCLUSIONS:
        expected = np.flatnonzero(from_frames.reason == rule["id"]).tolist()
        assert from_files.excluded_by(rule["id"]).tolist() == expected
    assert from_files.excluded_by("under_18").tolist() == [4]


def test_the_ledger_of_a_screening_out_of_row_order_is_sorted_by_batch_and_row():
    """A screening whose rows come in another order (none is written so; the ledger's order is
    its contract): each batch's ledger rows sorted by row, the same ledger as in order."""
    frame = batch("a", [{"response_id": "x"}, {"response_id": "y", "upset": None}, {}])
    screening = screen(frame, PATIENTS, EXCLUSIONS)
    in_order = decide([screening], EXCLUSIONS).ledger
    reversed_rows = decide([screening.iloc[::-1].reset_index(drop=True)], EXCLUSIONS)
    ((piece, _, _),) = reversed_rows.ledger_pieces()
    assert piece["row"].tolist() == [1, 2, 3]
    pd.testing.assert_frame_equal(piece, in_order)
    pd.testing.assert_frame_equal(reversed_rows.ledger, in_order)


def test_only_the_batches_holding_a_repeated_id_are_read_for_its_ranking_keys():
    """Memory set by the ids and one batch (issue 22, decision 5): the decision reads every
    batch's ids and reasons, and the keys the duplicate rule ranks only of the batches where an
    id repeats, and only those rows are ranked."""
    frames = {
        "a": batch("a", [{"response_id": "x"}, {"response_id": "y"}]),
        "b": batch("b", [{"response_id": "z"}, {"response_id": "x", "upset": None}]),
        "c": batch("c", [{"response_id": "w"}]),
    }
    names = ["c", "b", "a"]  # as they arrived
    screened = [screen(frames[name], PATIENTS, EXCLUSIONS) for name in names]
    asked = []

    def read(index: int, columns: list[str]) -> pd.DataFrame:
        asked.append((names[index], tuple(columns)))
        return screened[index][columns]

    cleaned = decide(Screenings(names, [len(f) for f in screened], read), EXCLUSIONS)
    assert asked == [
        ("a", ("response_id", "reason")),
        ("b", ("response_id", "reason")),
        ("c", ("response_id", "reason")),
        ("a", tuple(KEY_COLUMNS)),
        ("b", tuple(KEY_COLUMNS)),
    ]
    # b's x answered fewer questions: a's kept; z, y and w only analysed
    assert cleaned.ledger["reason"].tolist() == ["", "", "", "duplicate_response", ""]
    assert cleaned.ledger["detail"].tolist()[3] == "repeat of the response kept from batch a, row 1"
    assert cleaned.ledger["response_id"].iloc[cleaned.analysed].tolist() == ["w", "x", "y", "z"]


def test_a_batch_that_is_not_its_screenings_is_refused(tmp_path):
    """An ingested batch replaced after its screening was made: say so, never mix the two."""
    screenings, paths = write_batches(tmp_path, [("a", batch("a", [{}, {}]))])
    batch("a", [{}]).to_parquet(paths[0], index=False)  # one row fewer
    cleaned = decide(screenings, EXCLUSIONS)
    with pytest.raises(InputError) as caught:
        read_rows(cleaned, paths, cleaned.analysed, PATIENTS.question_ids, every_batch=True)
    assert caught.value.summary == (
        f"{paths[0]} is not the batch its screening was made from; delete results/ingest/ and rerun"
    )
    assert caught.value.problems == [
        Problem(str(paths[0]), "rows 2 rows, 1 to 2", column="row", value="1 rows, 1 to 1")
    ]


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_a_rule_count_names_at_most_limit_columns_and_how_many_more(limit):
    """The columns responsible, most first, "; "-separated, at most ``limit`` of them, then
    how many more there are (nothing when none is left out)."""
    from likertflow.cleaning import RuleCount

    columns = (("q1", 3), ("q2", 2), ("q3", 1))
    text = RuleCount("blank", 4, 10, columns).describe("patients", limit=limit)
    head, named = text.split("; columns responsible: ", 1)
    assert head == "patients: exclusion rule 'blank' excludes 4 of 10 responses (40%)"
    shown = [f"{column} in {count}" for column, count in columns[:limit]]
    left = len(columns) - len(shown)
    assert named.split("; ") == shown + ([f"and {left} more"] if left else [])
    assert RuleCount("none", 0, 10).describe("patients").endswith("excludes 0 of 10 responses (0%)")


def test_a_rule_that_excludes_nobody_counts_zero():
    """Each rule has a count, 0 for a rule no response meets (its warning reads "excludes 0
    of N responses"), whether the batches are cleaned at once or decided from screenings."""
    rules = [*EXCLUSIONS, {"id": "never", "rule": "answered", "question": "age", "labels": []}]
    batches = [batch("w1", [{"response_id": "a"}, {"response_id": "b", "age": "Under 18"}])]
    _, _, counts = clean_and_count(batches, PATIENTS, rules)
    assert [count.rule for count in counts] == [rule["id"] for rule in rules]
    assert [count.excluded for count in counts] == [1, 0, 0]
    decided = decide([screen(batches[0], PATIENTS, rules)], rules).counts
    assert [count.excluded for count in decided] == [1, 0, 0]
    assert (
        decided[2]
        .describe("patients")
        .startswith("patients: exclusion rule 'never' excludes 0 of 2")
    )


def test_a_rules_count_adds_up_its_responses_across_batches():
    """A rule met in several batches counts its responses in all of them, however the
    screenings arrive."""
    batches = [
        batch("w1", [{"response_id": "a", "age": "Under 18"}, {"response_id": "b"}]),
        batch("w2", [{"response_id": "c", "age": "Under 18"}, {"response_id": "d"}]),
        batch("w3", [{"response_id": "e", "age": "Under 18"}]),
    ]
    screenings = [screen(frame, PATIENTS, EXCLUSIONS) for frame in batches]
    for order in ([0, 1, 2], [2, 0, 1]):
        counts = decide([screenings[i] for i in order], EXCLUSIONS).counts
        assert [(count.rule, count.excluded, count.responses) for count in counts] == [
            ("under_18", 3, 5), ("item_nonresponse", 0, 5)]  # fmt: skip
    under_18, blank = clean_and_count(batches, PATIENTS, EXCLUSIONS)[2]
    assert (under_18.excluded, blank.excluded) == (3, 0)
    # the columns responsible, from the 3 responses excluded: the age question, in all 3
    [(column, count)] = under_18.columns
    assert "age" in column and count == 3
    assert blank.columns == ()


def test_no_batch_gives_the_columns_and_types_of_an_ingested_one():
    """A questionnaire with test marks, every design column and a linking id, and no batch
    ingested: the merged frame has an ingested batch's columns, typed as ingest types them
    (marks and design labels as texts, weights and population sizes as floats)."""
    from likertflow.cleaning import batch_columns, merge_batches
    from likertflow.codebook import FPC, LINK, PSU, STRATUM, WEIGHT
    from likertflow.coding import TEST_RESPONSE
    from support.toy_codebook import designed

    q = designed({"Status": ["Spam"]})
    merged = merge_batches([], q)
    assert list(merged.columns) == batch_columns(q) and len(merged) == 0
    assert TEST_RESPONSE in merged.columns
    text = pd.Series([], dtype="str").dtype
    for column in (TEST_RESPONSE, STRATUM, PSU, LINK):
        assert merged[column].dtype == text
    for column in (WEIGHT, FPC):
        assert merged[column].dtype == np.float64
