"""The one multinomial bootstrap of the library, and its percentile interval.

Resampling n respondents with replacement from a group is the same, in distribution, as drawing
the counts of its distinct values (or answer patterns) from a multinomial with the observed
proportions. Drawing counts costs the same for 50 or 50,000 respondents. Groups are resampled
independently, with their sizes fixed.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

BLOCK_CELLS = 4_000_000  # resamples x groups x distinct values drawn at once, to bound memory
MAX_KEY_COLUMNS = 39  # 3**39 < 2**63: rows of up to this many 0/1/2 states fit one int64 key


def distinct_patterns(states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(states, axis=0, return_counts=True)`` for rows of states 0, 1 or 2, in the same
    (lexicographic) order, from one base-3 integer per row: sorting a million integers takes a
    twentieth of the time of sorting a million rows (issue 10)."""
    columns = states.shape[1]
    if columns > MAX_KEY_COLUMNS:
        return np.unique(states, axis=0, return_counts=True)
    place = 3 ** np.arange(columns - 1, -1, -1)  # int64; the first column leads
    keys, counts = np.unique(states.astype(np.int64) @ place, return_counts=True)
    return ((keys[:, None] // place) % 3).astype(states.dtype), counts


def multinomial_resamples(
    counts: np.ndarray, resamples: int, rng: np.random.Generator
) -> Iterator[np.ndarray]:
    """Blocks of resampled count tables, shape (block, groups, values), ``resamples`` in all.

    ``counts`` is (groups x values); each group keeps its size.
    """
    counts = np.asarray(counts)
    sizes = counts.sum(axis=1)
    probabilities = counts / sizes[:, None]
    block = max(1, BLOCK_CELLS // counts.size)
    for start in range(0, resamples, block):
        size = min(block, resamples - start)
        draws = [
            rng.multinomial(n, p, size=size) for n, p in zip(sizes, probabilities, strict=True)
        ]
        yield np.stack(draws, axis=1)


def percentile_interval(values: np.ndarray, confidence: float) -> tuple[float, float]:
    """Two-sided equal-tailed percentile interval, NaN resamples ignored."""
    tail = (1 - confidence) / 2
    low, high = np.nanquantile(values, [tail, 1 - tail])
    return float(low), float(high)


def bootstrap_interval(
    table: np.ndarray, statistic, confidence: float, resamples: int, seed: int
) -> tuple[float, float]:
    """Percentile interval of ``statistic`` (of count tables) over resamples within each group."""
    rng = np.random.default_rng(seed)
    values = [statistic(block) for block in multinomial_resamples(table, resamples, rng)]
    return percentile_interval(np.concatenate(values), confidence)
