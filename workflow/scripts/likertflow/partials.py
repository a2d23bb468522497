"""Partial results that add up: the answer counts of a descriptive table, per export batch.

Issue 22's design (not wired into the workflow yet: benchmarks/README.md, round 5): each export
batch, once validated, yields its partial results once; the cross-batch duplicate rule then
drops some rows of earlier batches, and only those rows are subtracted from the sums. A table
of counts adds up exactly (integers), so the combined partials give the one-shot table byte for
byte, in any arrival order.

The partial of a descriptive table is, per question, the number of respondents it was asked
of (per the skip logic) by their answer code, a missing code counting the blanks
(``likertflow.tables.answer_counts``). Everything a descriptive table prints follows from it:
each option's n, the denominator (all who were asked, whatever they answered) and the percent
(``frequency_table_from_counts``).
"""

from __future__ import annotations

import pandas as pd

from likertflow.tables import COUNT_COLUMNS, empty_counts


def add_counts(*parts: pd.DataFrame, sign: int = 1) -> pd.DataFrame:
    """The sum of count tables (``sign=-1``: the first minus the others), without the cells
    that come to zero; integer arithmetic, so any order of the parts gives the same table."""
    signed = [
        part if index == 0 else part.assign(n=sign * part["n"])
        for index, part in enumerate(parts)
    ]
    frames = [frame for frame in signed if len(frame)]
    if not frames:
        return empty_counts()
    # groupby sorts its keys (the cells' order) and ignores the parts' row labels
    total = (
        pd.concat(frames).groupby(["question_id", "code"], dropna=False)["n"].sum().reset_index()
    )
    if (total["n"] < 0).any():
        raise ValueError("subtracted more answers than the counts hold")
    return total[total["n"] != 0][COUNT_COLUMNS].reset_index(drop=True)
