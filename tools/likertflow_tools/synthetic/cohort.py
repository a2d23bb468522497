"""What a generator gives the writer: one questionnaire's synthetic responses, batch by batch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Cohort:
    """One questionnaire's synthetic responses, ready to be laid out by its platform.

    ``batches``: (export name, answers), one per export file, in order: answer labels as text in
    the questionnaire's export columns (response id and times where it has them, then every
    question column), missing where blank. May be a generator, drawn one batch at a time.
    """

    survey: str
    responses: int
    batches: Iterable[tuple[str, pd.DataFrame]]
    detail: str = ""  # after the count in the generator's report, e.g. "(282 complete)"
    notes: tuple[str, ...] = ()  # further report lines (a calibration's realised targets)
