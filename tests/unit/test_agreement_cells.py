"""Percent agreement from partial results (issue 22): the answer patterns of export batches,
combined less the rows the duplicate rule drops, give the summary of the rows they count, byte
for byte and in any arrival order: each statement's n and agreeing counted from the rows, and the
bootstrap of the set mean drawn over the rows' own distinct patterns (the same draws)."""

import io

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st
from likertflow.agreement import (
    KEYED,
    LEFT_OUT,
    MEAN_ROW,
    agreement_summary_from_cells,
    bootstrap_mean_percent,
    pattern_cells,
)
from likertflow.coding import CODE_DTYPE
from likertflow.partials import combine
from support import filled
from support import partial_batches as partial
from support import toy_codebook as toy

SETS = {"s": "abc", "r": "de", "yn": "f"}  # c and e reverse-keyed; f on an unordered scale
REVERSE = {"c", "e"}
QUESTIONNAIRE_CODEBOOK = toy.codebook(
    SETS,
    reverse=REVERSE,
    answers={"agreement": toy.scale(off_scale=toy.DONT_KNOW), "yes_no": toy.YES_NO},
    set_answers={"yn": "yes_no"},
    labels={"yn": "Yes or no"},
    label="Toy",
)
QUESTIONNAIRE = filled.questionnaire(QUESTIONNAIRE_CODEBOOK)


def answers(n: int, seed: int, missing: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = {}
    for items in SETS.values():
        for item in items:
            codes = [1, 2] if item == "f" else [1, 2, 3, 4, 5, 9]
            values = pd.array(rng.choice(codes, n), dtype=CODE_DTYPE)
            values[rng.random(n) < missing] = pd.NA
            frame[item] = values
    return pd.DataFrame(frame)


@settings(max_examples=40, deadline=None)
@given(**partial.draws(150, [0.0, 0.3, 0.9]), reverse_keyed=st.sampled_from([KEYED, LEFT_OUT]))
def test_patterns_of_batches_less_the_dropped_rows_give_the_summary_of_the_rows_left(
    n, seed, batches, missing, drop, reverse_keyed
):
    rows = answers(n, seed, missing)
    rng = np.random.default_rng(seed)
    dropped = rng.choice(n, min(drop, n), replace=False)
    cells = partial.combined(
        "agreement_patterns",
        partial.arrival(rows, batches, rng),
        QUESTIONNAIRE,
        rows.iloc[dropped] if len(dropped) else None,
    )
    left = rows.drop(rows.index[dropped])
    settings_ = {"confidence": 0.9, "resamples": 200, "seed": seed, "reverse_keyed": reverse_keyed}
    summary = agreement_summary_from_cells(cells, QUESTIONNAIRE, **settings_)
    of_rows_left = agreement_summary_from_cells(pattern_cells(left, QUESTIONNAIRE), QUESTIONNAIRE,
                                                **settings_)  # fmt: skip
    assert summary.to_csv(index=False) == of_rows_left.to_csv(index=False)
    # against the rows themselves
    for set_id, items in SETS.items():
        kept = [i for i in items if i != "f" and not (reverse_keyed == LEFT_OUT and i in REVERSE)]
        mine = summary[summary["statement_set"] == set_id].set_index("statement")
        assert list(mine.index) == ([*kept, MEAN_ROW] if kept else [])
        if not kept:
            continue
        states = np.column_stack([state(left, item) for item in kept])
        for j, item in enumerate(kept):
            assert mine.at[item, "n"] == (states[:, j] > 0).sum()
            assert mine.at[item, "n_agree"] == (states[:, j] == 2).sum()
        answered = states[(states > 0).any(axis=1)]
        assert mine.at[MEAN_ROW, "n"] == len(answered)
        low, high = bootstrap_mean_percent(answered, 0.9, 200, seed)
        np.testing.assert_array_equal(mine.loc[MEAN_ROW, ["ci_low", "ci_high"]], [low, high])


def state(rows: pd.DataFrame, item: str) -> np.ndarray:
    """0 unanswered, 1 answered (off scale too) without agreeing, 2 agreed (4 or 5; 1 or 2 for
    a reverse-keyed statement, in its keyed direction)."""
    codes = rows[item].to_numpy(dtype="float64", na_value=np.nan)
    agree = (1, 2) if item in REVERSE else (4, 5)
    return np.where(np.isnan(codes), 0, np.where(np.isin(codes, agree), 2, 1))


NA = pd.NA
HAND_ROWS = toy.codes(
    {
        "a": [5, 9, NA, NA],
        "b": [4, 1, NA, NA],
        "c": [1, 5, 3, NA],  # reverse-keyed: 1 agrees
        "d": [NA] * 4,
        "e": [NA] * 4,
        "f": [1, 2, 1, 2],
    }
)


def test_cells_are_patterns_of_states_everyone_answering_none_left_out():
    cells = pattern_cells(HAND_ROWS, QUESTIONNAIRE)
    assert cells.values.tolist() == [["s", "001", 1], ["s", "111", 1], ["s", "222", 1]]
    assert cells["n"].dtype == np.int64
    combined = combine("agreement_patterns", [cells, cells])
    assert combined.values.tolist() == [["s", "001", 2], ["s", "111", 2], ["s", "222", 2]]


def test_a_set_on_an_unordered_scale_before_an_ordered_one_is_skipped_not_the_end():
    """The yes/no set listed first has no agree end: the ordered set after it still gets its
    patterns (those of the rows of the test above, worked out there by hand)."""
    raw = QUESTIONNAIRE_CODEBOOK
    sets = raw["statement_sets"]
    q = filled.questionnaire({**raw, "statement_sets": {"yn": sets["yn"], "s": sets["s"],
                                                        "r": sets["r"]}})  # fmt: skip
    assert list(q.statement_sets)[0] == "yn"
    cells = pattern_cells(HAND_ROWS, q)
    assert cells.values.tolist() == [["s", "001", 1], ["s", "111", 1], ["s", "222", 1]]


def test_the_summary_from_cells_has_stated_defaults():
    """Called without settings, the summary from cells is the summary at 95 %, 2000 resamples,
    seed 0, reverse-keyed statements keyed (test_agreement.py checks its method text says so)."""
    cells = pattern_cells(answers(60, 5, 0.3), QUESTIONNAIRE)
    from_cells = agreement_summary_from_cells(cells, QUESTIONNAIRE)
    expected = agreement_summary_from_cells(cells, QUESTIONNAIRE, 0.95, 2000, 0, KEYED)
    assert from_cells.to_csv(index=False) == expected.to_csv(index=False)


def test_the_cells_of_a_batch_in_which_nobody_answered_keep_their_text_keys():
    """An empty batch's cells are written with the column types of any other batch's (text
    keys, int64 counts), so a combined file of empty batches has the same schema (``combine``
    returns the first part's columns when every part is empty)."""
    rows = HAND_ROWS.iloc[2:].assign(c=pd.array([pd.NA] * 2, dtype=CODE_DTYPE))
    cells = pattern_cells(rows, QUESTIONNAIRE)
    assert len(cells) == 0
    assert cells.dtypes.astype(str).tolist() == ["str", "str", "int64"]
    written = io.BytesIO()
    cells.to_parquet(written)
    schema = pq.read_schema(written)
    assert [str(schema.field(c).type) for c in cells.columns] == ["large_string", "large_string",
                                                                  "int64"]  # fmt: skip
