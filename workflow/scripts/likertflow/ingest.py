"""Validate one survey-platform export batch against the codebook and code its answers.

An export has one row per response: the response id, optional start and completion timestamps
and finished flag, and one column per question wording, holding answer labels. ``read_export``
reads it through its format's reader (``likertflow.platforms``: Qualtrics, SurveyMonkey, REDCap,
LimeSurvey, SPSS, Excel or plain CSV) as strings (blank cells are missing), dropping every
column the codebook does not name; ``validate_export`` checks it with a pandera schema built
from the codebook and turns every failure into a ``Problem`` a survey researcher can act on
(file, row, column, value, what was expected), and ``code_export`` maps labels to the
codebook's codes.

What the schema checks:
- every export column the codebook names is present (other columns, such as the platforms'
  metadata, were dropped by the reader, with a warning naming them);
- every answer is one of its answer set's labels (blank = not asked or not answered), or, for
  a numeric question (codebook ``type: numeric``), a number within its ``min`` and ``max``;
- response ids are non-blank and unique within the batch (repeats across batches are for
  cleaning to resolve);
- timestamps parse with the codebook's format; the completion time may be blank (unfinished);
- skip logic: no answer in a column the platform did not ask, given the respondent's answers
  to the questions named in the column's ``asked_if``.

Coding is vectorised: each label's position among its answer set's labels (a hash lookup in
Arrow) indexes a numpy array of the codebook's codes; questions asked in several wordings take
their code from whichever column was answered.

Each column is parsed once (``parse_export``: timestamps, answer positions) for both checking
and coding. pandera's validation takes seconds a million rows, so a valid export is first
recognised by one quick vectorised pass over those parsed columns (``nothing_to_report``);
only an export with something to report goes through pandera, whose failure cases make the
messages, exactly as before. pandera is imported where a schema is built (``import pandera``
costs every validation job 0.15 s, and a valid export never needs it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from likertflow.codebook import (
    FPC,
    LINK,
    PSU,
    STRATUM,
    WEIGHT,
    AnswerSet,
    Column,
    Question,
    Questionnaire,
)
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE, TEST_RESPONSE, blank_ids
from likertflow.errors import InputError, Problem
from likertflow.platforms import finished_values, preflight, read_export

if TYPE_CHECKING:
    import pandera.pandas as pa

    from likertflow.platforms.preflight import Limits

log = logging.getLogger(__name__)

EXPECTED_BY_BUILTIN_CHECK = {
    "not_nullable": "a value (this column may not be blank)",
    "field_uniqueness": "a response id that occurs only once in the file",
}


def export_schema(questionnaire: Questionnaire) -> tuple[pa.DataFrameSchema, list[str]]:
    """The pandera schema of an export of ``questionnaire``.

    Also returns, for each DataFrame-level check (by position), the export column it is about:
    pandera reports those failures by row only.
    """
    import pandera.pandas as pa

    export = questionnaire.export
    timestamp = (  # only exports with start or completion times have a timestamp format
        _timestamp_check(export.timestamp_format) if export.timestamp_format else None
    )
    columns = {}
    if export.response_id is not None:  # without one, each row is its own response
        columns[export.response_id] = pa.Column(  # not nullable, as pandera's default
            unique=True,
            checks=pa.Check(_nonblank_ids, error="a non-blank response id"),
        )
    # Start and completion times and a finished flag are optional (not every platform has them).
    if export.started is not None:
        columns[export.started] = pa.Column(checks=timestamp)
    if export.completed is not None:
        columns[export.completed] = pa.Column(nullable=True, checks=timestamp)
    if export.finished is not None:
        columns[export.finished] = pa.Column(nullable=True)
    for header in export.test_responses:  # the platform's marks of test responses
        columns[header] = pa.Column(nullable=True)
    columns |= _design_schema(questionnaire, columns)
    skip_checks, skip_columns = [], []
    codes = export.codes
    for question in questionnaire.questions:
        check = _answer_check(question, codes)
        for column in question.columns:
            columns[column.header] = pa.Column(nullable=True, checks=check)
            if column.asked_if:
                skip_checks.append(_skip_logic_check(column, questionnaire))
                skip_columns.append(column.header)
    # Columns the codebook does not name pass (not strict); the readers drop them with a warning.
    return pa.DataFrameSchema(columns, checks=skip_checks), skip_columns


# What each design column must hold (codebook ``design``, ``link_id``); the weight and the fpc
# must be positive finite numbers, strata and clusters non-blank, a linking id may be blank (its
# response is then unmatched).
DESIGN_EXPECTED = {
    WEIGHT: "a survey weight: a positive finite number",
    STRATUM: "a stratum label (not blank)",
    PSU: "a cluster (PSU) label (not blank)",
    FPC: "the stratum's population size: a positive finite number",
}


# What each design column is, in a message about a missing column (codebook design, link_id)
DESIGN_ROLES = {
    WEIGHT: "the survey weights (design.weight)",
    STRATUM: "the strata (design.strata)",
    PSU: "the clusters (design.clusters)",
    FPC: "the finite population correction (design.fpc)",
    LINK: "the linking id of paired waves (link_id)",
}


def _positive_numbers(values: pd.Series) -> pd.Series:
    """Which values are positive finite numbers (blank, text, 0, inf: not)."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.Series(np.isfinite(numbers.to_numpy()) & (numbers.to_numpy() > 0), index=values.index)


def _design_schema(questionnaire: Questionnaire, known: dict) -> dict:
    """The pandera columns of the design columns (codebook ``design``, ``link_id``) that the
    export's other columns do not already check."""
    import pandera.pandas as pa

    columns = {}
    for target, header in questionnaire.design_columns.items():
        if header in known or header in columns:
            continue
        if target in (WEIGHT, FPC):
            check = pa.Check(_positive_numbers, error=DESIGN_EXPECTED[target])
            columns[header] = pa.Column(nullable=False, checks=check)
        elif target == LINK:
            columns[header] = pa.Column(nullable=True)
        else:
            columns[header] = pa.Column(nullable=False)  # "a value (this column may not be blank)"
    return columns


def _design_valid(frame: pd.DataFrame, questionnaire: Questionnaire) -> bool:
    """Whether the design columns pass ``_design_schema`` (the quick path)."""
    for target, header in questionnaire.design_columns.items():
        values = frame[header]
        if target in (WEIGHT, FPC) and not _positive_numbers(values).all():
            return False
        if target in (STRATUM, PSU) and values.isna().any():
            return False
    return True


def _nonblank_ids(ids: pd.Series) -> pd.Series:
    """Ids that are not blank once normalised (white space, invisible characters)."""
    return ~blank_ids(ids)


def _answer_check(question: Question, codes: bool) -> pa.Check:
    """One of the answer set's labels, or a number within the question's bounds.

    ``codes``: the export writes answer codes (read as labels before validation, an unknown
    code left as it is), so the message lists the codes the export may hold."""
    import pandera.pandas as pa

    if not question.numeric:
        if codes:
            exported = ", ".join(repr(code) for code in question.answers.label_of_exported)
            expected = f"one of the answer codes: {exported}"
        else:
            expected = "one of: " + ", ".join(repr(label) for label in question.answers.labels)
        return pa.Check.isin(question.answers.labels, error=expected)
    low, high = question.minimum, question.maximum
    if low is not None and high is not None:
        expected = f"a number from {low:g} to {high:g}"
    elif low is not None or high is not None:
        expected = (
            f"a number of at least {low:g}" if high is None else f"a number of at most {high:g}"
        )
    else:
        expected = "a number"

    return pa.Check(lambda values: _numbers_valid(values, question), error=expected)


def _numbers_valid(values: pd.Series, question: Question) -> pd.Series:
    """Which answers are numbers within the question's bounds."""
    low, high = question.minimum, question.maximum
    numbers = pd.to_numeric(values, errors="coerce")  # not a number: NaN, never between
    return numbers.between(-np.inf if low is None else low, np.inf if high is None else high)


def _timestamp_check(timestamp_format: str) -> pa.Check:
    import pandera.pandas as pa

    example = pd.Timestamp(2020, 5, 7, 9, 30).strftime(timestamp_format)
    return pa.Check(
        lambda values: parse_times(values, timestamp_format).notna(),
        error=f"a date and time in the format {timestamp_format} (e.g. {example!r})",
    )


# Timestamp formats that Arrow's ISO 8601 cast reads as pandas does, for text laid out exactly so
# (tests/unit/test_ingest.py compares the two on every month, day, hour, minute and second): the
# layout, as a regular expression. Arrow is several times faster; what it cannot read
# (seconds of 60, which pandas carries into the next minute; dates that do not exist) goes to
# pandas, which has the last word.
ARROW_TIMESTAMP_LAYOUTS = {
    "%Y-%m-%d %H:%M:%S": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
    "%Y-%m-%dT%H:%M:%S": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$",
    "%Y-%m-%d %H:%M": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$",
    "%Y-%m-%d": r"^\d{4}-\d{2}-\d{2}$",
}


def parse_times(values: pd.Series, timestamp_format: str) -> pd.Series:
    """The timestamps in the codebook's format; NaT where blank or not in that format."""
    layout = ARROW_TIMESTAMP_LAYOUTS.get(timestamp_format)
    arrow = isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"
    if layout is not None and arrow:
        text = pyarrow.array(values)
        if pc.all(pc.match_substring_regex(text, layout)).as_py() is not False:
            try:
                times = pc.cast(text, pyarrow.timestamp("us"))
            except pyarrow.ArrowInvalid:
                pass
            else:
                return pd.Series(times.to_numpy(zero_copy_only=False), index=values.index)
    return pd.to_datetime(values, format=timestamp_format, errors="coerce")


def _skip_logic_check(column: Column, questionnaire: Questionnaire) -> pa.Check:
    """No answer in ``column`` where its asked_if conditions are not met."""
    import pandera.pandas as pa

    wording = " and ".join(
        f"{question_id} was answered {' or '.join(repr(label) for label in labels)}"
        for question_id, labels in column.asked_if
    )
    return pa.Check(
        _skip_logic_respected(column, questionnaire),
        error=f"no answer, since this is asked only if {wording}",
    )


def _skip_logic_respected(
    column: Column, questionnaire: Questionnaire
) -> Callable[[pd.DataFrame], pd.Series | pd.DataFrame | bool]:
    """The skip-logic check's function: True, or which cells respect ``column``'s asked_if."""
    conditions = []
    for question_id, labels in column.asked_if:
        headers = [c.header for c in questionnaire.question(question_id).columns]
        conditions.append((headers, list(labels)))

    def respected(frame: pd.DataFrame) -> pd.Series | pd.DataFrame:
        needed = [column.header, *(h for headers, _ in conditions for h in headers)]
        if any(header not in frame.columns for header in needed):
            return True  # the missing column is reported already
        asked = pd.Series(True, index=frame.index)
        for headers, labels in conditions:
            # A question with several wordings was answered in whichever column was asked.
            asked &= np.logical_or.reduce([frame[h].isin(labels).to_numpy() for h in headers])
        ok = ~(frame[column.header].notna() & ~asked)
        if ok.all():
            return ok
        # pandera reports a failing element-wise frame cell by cell (a Series, row by row).
        cells = pd.DataFrame(True, index=frame.index, columns=frame.columns)
        cells[column.header] = ok
        return cells

    return respected


@dataclass(frozen=True)
class Parsed:
    """An export's columns parsed once, for checking and for coding: the timestamps (NaT where
    blank or not in the codebook's format) and each answer's position among its answer set's
    labels (null where blank or not one of them), by export column."""

    times: dict[str, pd.Series]
    positions: dict[str, pyarrow.Array]


def parse_export(frame: pd.DataFrame, questionnaire: Questionnaire) -> Parsed:
    """Parse the columns of a ``quick_checkable`` export."""
    times = {
        header: parse_times(frame[header], questionnaire.export.timestamp_format)
        for header in (questionnaire.export.started, questionnaire.export.completed)
        if header is not None
    }
    positions = {
        column.header: answer_positions(frame[column.header], question.answers)
        for question in questionnaire.questions
        if not question.numeric
        for column in question.columns
    }
    return Parsed(times, positions)


def quick_checkable(frame: pd.DataFrame, questionnaire: Questionnaire) -> bool:
    """Whether the export has every column the codebook names, all of them text (as every
    reader gives them): what ``parse_export`` and ``nothing_to_report`` need."""
    return all(
        header in frame and isinstance(frame[header].dtype, pd.StringDtype)
        for header in questionnaire.export_columns
    )


def nothing_to_report(frame: pd.DataFrame, questionnaire: Questionnaire, parsed: Parsed) -> bool:
    """Whether a ``quick_checkable`` export passes every check of ``export_schema``, found with
    one vectorised pass per column instead of pandera's (seconds a million rows). This may only
    ever say True where pandera finds nothing; where it says False, pandera decides and says
    what is wrong in its words."""
    q = questionnaire
    if not _design_valid(frame, q):
        return False
    if q.export.response_id is not None:
        ids = frame[q.export.response_id]
        if ids.hasnans or not ids.is_unique or not _nonblank_ids(ids).all():
            return False
    for header, nullable in ((q.export.started, False), (q.export.completed, True)):
        if header is None:
            continue
        blank = frame[header].isna().sum() if nullable else 0
        if parsed.times[header].isna().sum() != blank:  # blank where not nullable, or no time
            return False
    for question in q.questions:
        for column in question.columns:
            values = frame[column.header]
            if question.numeric:
                if not _numbers_valid(values.dropna(), question).all():
                    return False
            elif parsed.positions[column.header].null_count != values.isna().sum():
                return False  # an answer that is not one of the labels
            if column.asked_if:
                respected = _skip_logic_respected(column, q)(frame)
                if not (respected is True or isinstance(respected, pd.Series) and respected.all()):
                    return False
    return True


def validate_export(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    file: str,
    rows: np.ndarray | None = None,
    names: dict[str, str] | None = None,
    parsed: Parsed | None = None,
) -> None:
    """Raise ``InputError`` listing every problem of the export; warn about extra columns.

    ``rows``: the row number a person sees for each data row (default: a CSV's, the header
    being row 1); ``names``: how to name a column in a message (default: its header);
    ``parsed``: the export's ``parse_export``, if made already.
    """
    if quick_checkable(frame, questionnaire):
        if parsed is None:
            parsed = parse_export(frame, questionnaire)
        if nothing_to_report(frame, questionnaire, parsed):
            return
    if rows is None:
        rows = np.arange(2, len(frame) + 2)
    import pandera.pandas as pa

    schema, skip_columns = export_schema(questionnaire)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems = _problems(errors.failure_cases, frame, file, skip_columns, questionnaire)
        problems = [_where_seen(problem, rows, names or {}) for problem in problems]
        raise InputError(
            f"{file}: {len(problems)} problem(s) in this export of the {questionnaire.label} "
            f"questionnaire (question ids and labels are those of the codebook); "
            f"nothing was ingested",
            problems,
        ) from None


def _problems(
    failures: pd.DataFrame,
    frame: pd.DataFrame,
    file: str,
    skip_columns: list[str],
    questionnaire: Questionnaire,
) -> list[Problem]:
    """One Problem per failing cell (or missing column), in file order."""
    # A missing column is a DataFrame-level failure without a check number.
    is_frame_check = (failures["schema_context"] == "DataFrameSchema") & failures[
        "check_number"
    ].notna()
    # DataFrame-level (skip logic) checks: the column comes from the check, the value from the
    # export; one problem per failing row.
    skip = failures[is_frame_check].drop_duplicates(["check_number", "index"])
    skip = skip.assign(column=[skip_columns[int(number)] for number in skip["check_number"]])
    skip["failure_case"] = [frame.at[i, c] for i, c in skip[["index", "column"]].to_numpy()]
    cells = pd.concat([failures[~is_frame_check], skip])
    missing = cells["check"] == "column_in_dataframe"  # the missing header is the failure case
    cells["column"] = cells["column"].where(~missing, cells["failure_case"])
    cells["row"] = pd.to_numeric(cells["index"]) + 1
    position = {header: i for i, header in enumerate(questionnaire.export_columns)}
    cells["position"] = cells["column"].map(position)
    cells = cells.sort_values(["row", "position"], na_position="first")
    labels = {
        column.header: question.answers.labels
        for question in questionnaire.questions
        if not question.numeric
        for column in question.columns
    }
    problems = []
    for check, column, value, row in cells[["check", "column", "failure_case", "row"]].to_numpy():
        if check == "column_in_dataframe":
            expected = missing_column_expected(column, questionnaire)
            problems.append(Problem(file, expected, column=column))
            continue
        expected = EXPECTED_BY_BUILTIN_CHECK.get(check, check)
        problems.append(
            Problem(
                file,
                expected + near_label_hint(value, labels.get(column, [])),
                row=None if pd.isna(row) else int(row),
                column=column,
                value="" if pd.isna(value) else value,
            )
        )
    return problems


def near_label_hint(value: object, labels: list[str]) -> str:
    """Where an answer differs from a label only in case or spacing (an export whose labels were
    edited, e.g. "Strongly Disagree"), say which: labels must match the codebook exactly."""
    if not isinstance(value, str) or value in labels:  # a label: another check's problem
        return ""
    key = " ".join(value.split()).casefold()
    near = [label for label in labels if " ".join(label.split()).casefold() == key]
    if not near:
        return ""
    return (
        f" (it differs from {near[0]!r} only in case or spacing: write the label in the "
        "codebook as the export has it)"
    )


def _where_seen(problem: Problem, rows: np.ndarray, names: dict[str, str]) -> Problem:
    """The problem with its row as seen in the file and its column by id and text."""
    row = problem.row if problem.row is None else int(rows[problem.row - 1])
    column = names.get(problem.column, problem.column)
    return Problem(problem.file, problem.expected, row, column, problem.value)


def missing_column_expected(header: str, questionnaire: Questionnaire) -> str:
    """What a missing export column was for, in the researcher's terms."""
    meta = {
        questionnaire.export.response_id: "the response ids",
        questionnaire.export.started: "the start times",
        questionnaire.export.completed: "the completion times",
        questionnaire.export.finished: "the finished flag",
        **{
            header: "the platform's marks of preview, test and spam responses"
            for header in questionnaire.export.test_responses
        },
        **{header: DESIGN_ROLES[target] for target, header in questionnaire.design_columns.items()},
    }
    what = meta.get(header) or next(
        f"question {q.id!r}"
        for q in questionnaire.questions
        for c in q.columns
        if c.header == header
    )
    return f"this column (for {what} in the codebook), but the header row has none"


def answer_positions(labels: pd.Series, answers: AnswerSet) -> pyarrow.Array:
    """Each label's position among the answer set's labels; null where blank or not a label.

    pyarrow's ``index_in``: a hash lookup over the Arrow strings pandas already holds.
    """
    values = pyarrow.array(labels)
    if not pyarrow.types.is_large_string(values.type):  # e.g. an all-blank object column
        values = values.cast(pyarrow.large_string())
    return pc.index_in(values, value_set=pyarrow.array(answers.labels))


def code_answers(
    labels: pd.Series, answers: AnswerSet, positions: pyarrow.Array | None = None
) -> pd.arrays.IntegerArray:
    """Labels to the codebook's codes (<NA> for blanks), without a Python loop: each label's
    position among the answer set's labels (``answer_positions``, unless given) indexes a numpy
    array of the codes."""
    if positions is None:
        positions = answer_positions(labels, answers)
    at = pc.fill_null(positions, -1).to_numpy()
    codes = np.asarray(answers.codes, dtype=np.int16)
    return pd.arrays.IntegerArray(codes[at], at < 0)


def code_export(
    frame: pd.DataFrame, questionnaire: Questionnaire, batch: str, parsed: Parsed | None = None
) -> pd.DataFrame:
    """The validated export as typed, coded responses (the ingested-batch contract).

    ``parsed``: the export's ``parse_export``, if made already (as validation does).
    """

    def to_time(header: str | None) -> pd.Series:
        if header is None:  # the export has no such times
            return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
        if parsed is not None:  # validated: every non-blank time parsed
            times = parsed.times[header]
        else:
            times = pd.to_datetime(frame[header], format=questionnaire.export.timestamp_format)
        return times.astype("datetime64[us]")  # one resolution, even for an empty batch

    rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    coded = {
        "response_id": response_ids(frame, questionnaire, batch, rows),
        "batch": pd.Series(batch, index=frame.index, dtype="str"),
        "row": rows,
        "started": to_time(questionnaire.export.started),
        "completed": to_time(questionnaire.export.completed),
        "finished": finished_flag(frame, questionnaire),
    }
    if questionnaire.export.test_responses:  # only then: other batches keep their columns
        coded[TEST_RESPONSE] = test_marks(frame, questionnaire)
    coded |= design_values(frame, questionnaire)  # only with a design or a linking id
    for question in questionnaire.questions:
        # A question with several wordings takes its code from the wording that was answered
        # (skip logic allows at most one per respondent when the conditions exclude each other).
        if question.numeric:
            numbers = [
                pd.to_numeric(frame[c.header]).astype(NUMBER_DTYPE) for c in question.columns
            ]
            merged_numbers = numbers[0]
            for other in numbers[1:]:
                merged_numbers = merged_numbers.fillna(other)
            coded[question.id] = merged_numbers
            continue
        merged = None
        for column in question.columns:
            positions = None if parsed is None else parsed.positions[column.header]
            codes = code_answers(frame[column.header], question.answers, positions)
            merged = codes if merged is None else merged.fillna(codes)
        coded[question.id] = pd.Series(merged, index=frame.index, dtype=CODE_DTYPE)
    return pd.DataFrame(coded).reset_index(drop=True)


def design_values(frame: pd.DataFrame, questionnaire: Questionnaire) -> dict[str, pd.Series]:
    """The validated design columns as the cohort keeps them: weight and fpc as float64,
    stratum, PSU and linking id as text (ids trimmed); none without a design or linking id."""
    values = {}
    for target, header in questionnaire.design_columns.items():
        if target in (WEIGHT, FPC):
            values[target] = pd.to_numeric(frame[header]).astype("float64")
        else:
            values[target] = frame[header].str.strip()  # text (a blank link id stays missing)
    return values


def response_ids(
    frame: pd.DataFrame, questionnaire: Questionnaire, batch: str, rows: np.ndarray
) -> pd.Series:
    """The export's response ids; where the codebook names no id column (data handed over
    without one), "<batch>:<row>": each row is its own response, distinct across batches."""
    if questionnaire.export.response_id is not None:
        return frame[questionnaire.export.response_id].astype("str")
    return pd.Series([f"{batch}:{row}" for row in rows], index=frame.index, dtype="str")


def test_marks(frame: pd.DataFrame, questionnaire: Questionnaire) -> pd.Series:
    """Where the platform marks a response as a preview, test or spam (codebook
    export.test_responses), the mark as "<column>: <value>" (the first column that marks it);
    <NA> for a respondent's response."""
    marks = pd.Series(pd.NA, index=frame.index, dtype="str")
    for header, values in questionnaire.export.test_responses.items():
        marked = frame[header].isin(values).fillna(False).astype(bool) & marks.isna()
        marks[marked] = f"{header}: " + frame.loc[marked, header].astype("str")
    return marks


def finished_flag(frame: pd.DataFrame, questionnaire: Questionnaire) -> pd.Series:
    """Whether each response was finished: the platform's flag where the codebook names one,
    else whether it has a completion time, else unknown (<NA>)."""
    if questionnaire.export.finished is not None:
        flag = frame[questionnaire.export.finished].isin(
            finished_values(questionnaire.export)
        )
    elif questionnaire.export.completed is not None:
        flag = frame[questionnaire.export.completed].notna()
    else:
        return pd.Series(pd.NA, index=frame.index, dtype="boolean")
    return flag.astype("boolean")


def ingest(
    path: str | Path,
    questionnaire: Questionnaire,
    batch: str,
    limits: Limits | None = None,
    settle_seconds: float = 0,
) -> tuple[pd.DataFrame, list[str]]:
    """Read, validate and code one export batch; also the names of the columns dropped.

    The file is checked before it is read (``likertflow.platforms.preflight``, within
    ``limits``; default: the config schema's), waited for until it has been left unchanged for
    ``settle_seconds``, and must be the same file, byte for byte, once it has been read and
    coded: an export still being written fails instead of being ingested in part. The names of
    the columns dropped are logged once the file has passed validation, when it is known to be
    an export (a message never quotes a file that may be something else)."""
    path = Path(path)
    limits = limits or preflight.schema_limits()
    preflight.check_file(path, limits)
    preflight.wait_until_settled(path, settle_seconds)
    before = preflight.file_state(path)
    export = read_export(path, questionnaire, limits)
    frame = export.frame
    parsed = parse_export(frame, questionnaire) if quick_checkable(frame, questionnaire) else None
    validate_export(frame, questionnaire, str(path), export.rows, export.names, parsed)
    coded = code_export(frame, questionnaire, batch, parsed)
    preflight.check_unchanged(path, before)
    if export.dropped:
        log.warning(
            "%s: %d column(s) not in the codebook are dropped (their names are listed in the "
            "audit; their values are not kept): %s",
            path,
            len(export.dropped),
            ", ".join(repr(name) for name in export.dropped),
        )
    return coded, export.dropped


def ingest_export(path: str | Path, questionnaire: Questionnaire, batch: str) -> pd.DataFrame:
    """Read, validate and code one export batch; ``InputError`` on any problem."""
    return ingest(path, questionnaire, batch)[0]
