"""What every platform module is made of: the ``Platform`` it registers, what its reader returns
(``Table``), what its fixture writer builds (``Layout``), and the pieces they share.

Platform modules are imported at parse time (the registry's names, finished-flag conventions and
draft hints are read there), so nothing here or in them imports pandas, numpy or pyarrow at
module level: they are imported inside the functions that read and write data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from likertflow.codebook import ExportSpec, Questionnaire

MATRIX_SEPARATOR = " - "  # between a matrix question's text and its row label (as Qualtrics)
# Values of a finished flag that mean finished (Qualtrics Finished: 1/True), unless the codebook's
# export.finished_values or the platform's own convention (Platform.finished) says otherwise.
FINISHED_VALUES = ("1", "True", "true", "TRUE", "Yes", "yes", "Complete", "Completed")
COMMENT_TEXT = "Any other comments?"  # the open question a fixture's codebook does not list


@dataclass(frozen=True)
class Table:
    """An export as the platform laid it out: column ids and texts, and the data as strings."""

    ids: list[str]
    texts: list[str]
    data: pd.DataFrame  # positional columns 0..n-1, strings, blanks missing
    first_row: int  # the row number a person sees for the first data row


@dataclass(frozen=True)
class Export:
    """What validation takes from any reader (``likertflow.platforms.read_export``)."""

    frame: pd.DataFrame  # string columns named as the codebook names them, blanks missing
    rows: np.ndarray  # the row number a person sees for each data row
    names: dict[str, str] = field(default_factory=dict)  # column -> its name in messages
    dropped: list[str] = field(default_factory=list)  # names of columns left out


@dataclass
class Layout:
    """An export as a platform lays it out (a fixture writer's result), and the codebook export
    block that reads it."""

    format: str
    header_rows: list[list[str]]
    data: pd.DataFrame  # one column per header position, strings, <NA> for blank
    export: dict  # the codebook's export block
    ids: dict[str, str] = field(default_factory=dict)  # question column text -> platform id
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)  # SPSS only
    numbers: list[str] = field(default_factory=list)  # SPSS numeric variables without labels
    dictionary: pd.DataFrame | None = None  # REDCap data dictionary
    quoting: str = "minimal"  # how its CSV quotes fields (containers.QUOTING)


@dataclass(frozen=True)
class Unanalysed:
    """Values of the columns a platform writes that no codebook analyses; None leaves one out."""

    ip: pd.Series | None = None
    email: pd.Series | None = None
    first_name: pd.Series | None = None
    last_name: pd.Series | None = None
    comment: pd.Series | None = None  # an open question the codebook does not list
    # The platform's marks of preview, test and spam responses (Qualtrics Status and
    # DistributionChannel), as it writes them; only writers of platforms that have them use them.
    status: pd.Series | None = None
    channel: pd.Series | None = None


NONE = Unanalysed()


@dataclass(frozen=True)
class ValueLabels:
    """Answer labels an export carries beside its data (an SPSS file's value labels, a REDCap data
    dictionary's choices), by column id: {code: label}; the codes of each column declared missing;
    and the columns declared to hold numbers."""

    labels: dict[str, dict[float, str]] = field(default_factory=dict)
    missing: dict[str, set[float]] = field(default_factory=dict)
    numbers: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class DraftHints:
    """What the codebook drafter knows of a platform's exports, as data.

    ``metadata``: by role (``response_id``, ``started``, ``completed``, ``finished``, ``drop``:
    identifying or platform columns left out), regular expressions that a whole column name
    matches (its id or text, lower-cased, runs of other characters as "_"). The drafter matches
    every platform's names, since a plain CSV may come from any of them. The timestamp formats
    platforms write are the drafter's own data (likertflow_tools/data/timestamps.yaml).
    """

    metadata: Mapping[str, str] = field(default_factory=dict)
    not_a_time: tuple[str, ...] = ()  # values a time column holds for "no time" (read as blank)
    # Columns where the platform marks its own preview, test and spam responses (a pattern a
    # whole column name matches, as ``metadata``), with the values that mark one, by
    # ``export.values`` ("labels" or "codes"): the drafter writes them as the codebook's
    # export.test_responses, which the exclusion rule platform_test reads.
    test_responses: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    first_column_is_id: bool = False  # the first column always identifies the response
    value_labels: Callable[[Path, ExportSpec], ValueLabels] | None = None  # from the file or beside


@dataclass(frozen=True)
class Platform:
    """One export format: how to read it, how tests and generators write it, what the drafter
    knows of it, and how it codes its finished flag."""

    name: str
    read: Callable[..., Table]  # (path, spec, limits=None): preflight.Limits, None: the schema's
    # Fixture writers: layout name -> builder(questionnaire, answers, unanalysed columns); the
    # one named as the platform is its default layout, others are variants of it.
    layouts: Mapping[str, Callable[..., Layout]]
    extension: str = ".csv"  # of the files its fixture writers make
    draft: DraftHints = DraftHints()
    # Values of its finished flag that mean finished, by ``export.values`` where the platform
    # codes the flag its own way; otherwise FINISHED_VALUES.
    finished: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


# --- Pieces of the readers ---------------------------------------------------------------------


def labels_from_codes(values: pd.Series, label_of: dict[str, str]) -> pd.Series:
    """Answer codes (as the export writes them) to the codebook's labels; unknown codes stay."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values)  # a pandas Series: its NaN and None are nulls (from_pandas)
    if not pa.types.is_large_string(text.type):  # e.g. an all-blank column
        text = text.cast(pa.large_string())
    codes = pa.array(list(label_of), type=text.type)
    position = pc.index_in(text, value_set=codes)  # a hash lookup, no Python loop
    labels = pc.take(pa.array(list(label_of.values()), type=text.type), position)
    coded = pc.if_else(pc.is_null(position), text, labels)
    # set_axis, not Series(..., index=): that would align Arrow's 0..n-1 on the values' index
    return pd.Series(coded.to_pandas(), dtype="str").set_axis(values.index)


# --- Pieces of the fixture writers ------------------------------------------------------------


def coded_answers(q: Questionnaire, answers: pd.DataFrame) -> pd.DataFrame:
    """The answers with every answer label replaced by its code as the export writes it
    (``Option.exported``); numbers as they are."""
    coded = answers.copy()
    for question in q.questions:
        if question.numeric:
            continue
        mapping = {option.label: option.exported for option in question.answers.options}
        for column in question.columns:
            coded[column.header] = answers[column.header].map(mapping).astype("str")
    return coded


def question_headers(q: Questionnaire) -> list[str]:
    """Every question column of the questionnaire, in order."""
    return [column.header for question in q.questions for column in question.columns]


def export_block(fmt: str, q: Questionnaire, **keys) -> dict:
    """An export block: format, response id, the times the questionnaire has, ``keys``."""
    block = {"format": fmt, "response_id": q.export.response_id}
    if q.export.started:
        block["started"] = q.export.started
    if q.export.completed:
        block["completed"] = q.export.completed
    block.update(keys)
    block["timestamp_format"] = q.export.timestamp_format
    return block


def time_column(answers: pd.DataFrame, column: str | None) -> pd.Series | None:
    """A time column of the answers; None where the questionnaire has no such times."""
    return answers[column] if column else None


class Columns:
    """Header rows and data columns, added side by side; a column whose values are None is
    left out (an unanalysed column not asked for, a time the questionnaire does not have)."""

    def __init__(self, rows: int):
        self.headers: list[list[str]] = [[] for _ in range(rows)]
        self.data: list[pd.Series] = []

    def add(self, values: pd.Series | None, *header: str) -> None:
        if values is None:
            return
        for row, text in zip(self.headers, header, strict=True):
            row.append(text)
        self.data.append(values)

    def frame(self) -> pd.DataFrame:
        """The data columns by position."""
        import pandas as pd

        columns = {i: column.reset_index(drop=True) for i, column in enumerate(self.data)}
        return pd.DataFrame(columns)
