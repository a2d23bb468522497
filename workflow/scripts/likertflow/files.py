"""Conventions of the files under results/: one CSV dialect, and the survey a file belongs to.

Every table is written the same way, so that a rerun on the same data gives the same bytes
(no index, "\n" line endings, floats as Python's shortest round-trip text) and a change of
dialect is made once. A number read back from a results CSV equals the number computed (U =
493075.5 stays 493075.5; p values adjusted downstream are the unrounded ones).
"""

from __future__ import annotations

from pathlib import Path

FLOAT_FORMAT = None  # pandas' default: repr(float), the shortest text that reads back equal


def write_csv(frame, path, float_format: str | None = FLOAT_FORMAT) -> None:
    """Write a results table in the project's one CSV dialect."""
    frame.to_csv(path, index=False, lineterminator="\n", float_format=float_format)


def float_text(value: float) -> str:
    """A float as ``write_csv`` writes it, for a column that mixes numbers and text."""
    return repr(float(value)) if FLOAT_FORMAT is None else FLOAT_FORMAT % value


def survey_of(path) -> str:
    """The survey of a per-questionnaire file, named results/<stage>/{survey}.<what>.<ext>."""
    return Path(path).name.split(".")[0]


def read_csv(path, **options):
    """Read a results table written by ``write_csv``. Labels such as "None" or "NA" are answers,
    not missing values: only empty cells are missing."""
    import pandas as pd

    return pd.read_csv(path, **{"keep_default_na": False, "na_values": [""], **options})
