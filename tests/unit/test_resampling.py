"""The multinomial bootstrap (likertflow.resampling): how many resamples it draws, in blocks that
bound its memory, each group keeping its size; and an interval that its seed reproduces."""

from __future__ import annotations

import numpy as np
import pytest
from likertflow import resampling
from likertflow.resampling import bootstrap_interval, multinomial_resamples

COUNTS = np.array([[1, 2, 3], [0, 4, 1]])  # two groups of 6 and 5 on three values: 6 cells


@pytest.mark.parametrize(
    ("block_cells", "sizes"),
    [(6, [1, 1, 1, 1, 1]), (12, [2, 2, 1]), (30, [5]), (4, [1, 1, 1, 1, 1])],
)
def test_the_resamples_come_in_blocks_of_at_most_the_cells_allowed(
    monkeypatch, block_cells, sizes
):
    # 5 resamples of a 6-cell table: blocks of BLOCK_CELLS // 6 resamples (the last one shorter),
    # one at a time where even one resample holds more cells than BLOCK_CELLS
    monkeypatch.setattr(resampling, "BLOCK_CELLS", block_cells)
    blocks = list(multinomial_resamples(COUNTS, 5, np.random.default_rng(0)))
    assert [block.shape for block in blocks] == [(size, 2, 3) for size in sizes]
    assert all(block.size <= max(block_cells, COUNTS.size) for block in blocks)


def test_each_resample_keeps_the_group_sizes_and_never_draws_a_value_nobody_gave(monkeypatch):
    monkeypatch.setattr(resampling, "BLOCK_CELLS", 12)
    drawn = np.concatenate(list(multinomial_resamples(COUNTS, 7, np.random.default_rng(1))))
    assert drawn.shape == (7, 2, 3)
    assert (drawn.sum(axis=2) == [6, 5]).all()
    assert (drawn[:, 1, 0] == 0).all()


def test_an_interval_is_reproduced_by_its_seed():
    counts = np.array([[10, 12, 9, 11, 8], [7, 15, 10, 9, 6]])
    weights = np.sqrt([2, 3, 5, 7, 11, 13, 17, 19, 23, 29])

    def key(tables):  # one number per resampled table, (almost) never the same for two tables
        return tables.reshape(len(tables), -1) @ weights

    first = bootstrap_interval(counts, key, 0.9, 500, seed=7)
    assert bootstrap_interval(counts, key, 0.9, 500, seed=7) == first
    assert bootstrap_interval(counts, key, 0.9, 500, seed=8) != first
