"""Export batches for the tests of partial results (issue 22): a cohort's rows cut into batches
that arrive in any order, and a partial kind's cells counted batch by batch and combined less
those of the rows the duplicate rule drops, as the workflow's combining gets them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from hypothesis import strategies as st
from likertflow.codebook import Questionnaire
from likertflow.partials import KINDS, Kind, combine


def draws(most: int, missing: Sequence[float]) -> dict[str, st.SearchStrategy]:
    """The draws of a property over batches, by argument name: ``n`` rows (0 to ``most``), a
    ``seed``, 1 to 5 ``batches``, a share of blank answers from ``missing``, and 0 to 6 rows
    that the duplicate rule drops (``drop``)."""
    return {
        "n": st.integers(0, most),
        "seed": st.integers(0, 2**32 - 1),
        "batches": st.integers(1, 5),
        "missing": st.sampled_from(missing),
        "drop": st.integers(0, 6),
    }


def arrival(rows: pd.DataFrame, batches: int, rng: np.random.Generator) -> list[pd.DataFrame]:
    """``rows`` cut at ``batches - 1`` places drawn from ``rng`` (a batch may be empty), the
    batches in an order of arrival drawn from ``rng`` after the cuts."""
    n = len(rows)
    parts = np.split(np.arange(n), np.sort(rng.choice(np.arange(n + 1), batches - 1)))
    rng.shuffle(parts)
    return [rows.iloc[part] for part in parts]


def combined(
    kind: Kind | str,
    batches: Sequence[pd.DataFrame],
    questionnaire: Questionnaire,
    dropped: pd.DataFrame | None = None,
    definition: dict | None = None,
) -> pd.DataFrame:
    """The cells of ``kind`` (a partial kind or its name) of each of ``batches``, combined
    (``partials.combine``) less the cells of the ``dropped`` rows if given (an empty frame is
    subtracted too: its cells, none, are given to ``combine``)."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    definition = {} if definition is None else definition
    minus = [] if dropped is None else [kind.cells(dropped, questionnaire, definition)]
    return combine(kind, [kind.cells(b, questionnaire, definition) for b in batches], minus)
