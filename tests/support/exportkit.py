"""Valid survey-platform exports made from the codebook, for tests and benchmarks.

An export is built in two steps: *answers* (one row per respondent: ``response_id``,
``started``, ``completed`` and one column per question id holding an answer label, <NA> when the
question was not asked or left blank), then the *export frame* (the platform's layout: the
codebook's export headers, each answer placed in the column that the skip logic asked)::

    q = exportkit.questionnaire("patients")
    answers = exportkit.random_answers(q, n=50, seed=1, blank_rate=0.05)
    answers = exportkit.answers_from_records(q, [{"age": "Under 18"}, {"upset": None}])
    export = exportkit.export_frame(q, answers)      # mutate it to make a bad export
    exportkit.write_export(tmp_path / "week1.csv", export)

``make_export(path, "patients", n=..., seed=...)`` does all of it. Everything is vectorised, so
``random_answers`` also makes the million-row exports of benchmarks/ingest_benchmark.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import yaml
from likertflow.codebook import Column, Questionnaire

from support import filled

REPO = Path(__file__).resolve().parents[2]
CODEBOOK = REPO / "config" / "codebook.yaml"
META = ("response_id", "started", "completed")
DEFAULT_START = "2020-05-07 09:00:00"


def codebook_dict(survey: str, codebook: str | Path = CODEBOOK) -> dict:
    """One questionnaire's codebook as the workflow passes it to a job (see common.smk)."""
    with open(codebook, encoding="utf-8") as handle:
        full = yaml.safe_load(handle)
    shared = {key: value for key, value in full.items() if key != "questionnaires"}
    return {**shared, "survey": survey, **full["questionnaires"][survey]}


def questionnaire(survey: str, codebook: str | Path = CODEBOOK) -> Questionnaire:
    return filled.questionnaire(codebook_dict(survey, codebook))


def random_answers(
    q: Questionnaire,
    n: int,
    seed: int = 0,
    *,
    blank_rate: float = 0.0,
    unfinished_rate: float = 0.0,
    id_prefix: str = "R_",
    first_id: int = 1,
    start: str = DEFAULT_START,
) -> pd.DataFrame:
    """``n`` respondents answering at random, respecting the skip logic.

    ``blank_rate``: chance that an asked question is left blank; ``unfinished_rate``: chance that
    a response has no completion time. Ids are ``<id_prefix><number>`` from ``first_id``.
    """
    rng = np.random.default_rng(seed)
    answers = pd.DataFrame({"response_id": _ids(id_prefix, first_id, n)})
    started = np.datetime64(pd.Timestamp(start).to_datetime64(), "s") + rng.integers(
        0, 7 * 24 * 3600, n
    ).astype("timedelta64[s]")
    completed = started + rng.integers(300, 1800, n).astype("timedelta64[s]")
    answers["started"] = _format_times(started, q.export.timestamp_format)
    answers["completed"] = _format_times(completed, q.export.timestamp_format)
    answers.loc[rng.random(n) < unfinished_rate, "completed"] = pd.NA
    for question in q.questions:
        labels = np.asarray(question.answers.labels, dtype=object)
        asked = question_asked(answers, question.columns)
        given = asked & (rng.random(n) >= blank_rate)
        values = labels[rng.integers(0, len(labels), n)]
        answers[question.id] = pd.Series(values, dtype="str").where(given)
    return answers


def answers_from_records(q: Questionnaire, records: list[dict], fill: str = "last") -> pd.DataFrame:
    """Respondents from hand-written records, for small unit tests.

    A record names some of ``response_id``, ``started``, ``completed`` and question ids (label, or
    None for blank). A question it does not name is, if the skip logic asks it, answered with the
    last on-scale label of its answer set (``fill="last"``: "No", "55 and over", "Strongly
    agree", so that a default respondent is analysed) or left blank (``fill="blank"``). Default
    ids are ``R_000001``..., default times a finished ten-minute response.
    """
    started = pd.Timestamp(DEFAULT_START)
    rows = []
    for number, record in enumerate(records, start=1):
        row = {
            "response_id": f"R_{number:06d}",
            "started": started.strftime(q.export.timestamp_format),
            "completed": (started + pd.Timedelta(minutes=10)).strftime(q.export.timestamp_format),
        }
        for question in q.questions:
            asked = any(_row_asked(row, column) for column in question.columns)
            row[question.id] = _last_on_scale(question) if asked and fill == "last" else None
            if question.id in record:
                row[question.id] = record[question.id]
        unknown = set(record) - set(row)
        if unknown:
            raise KeyError(f"record {number} names no question of {q.survey}: {sorted(unknown)}")
        row.update({key: record[key] for key in META if key in record})
        rows.append(row)
    return pd.DataFrame(rows, columns=[*META, *q.question_ids]).astype("str")


def question_asked(answers: pd.DataFrame, columns: tuple[Column, ...]) -> np.ndarray:
    """Whether any of the columns was asked, from the respondents' earlier answer labels."""
    return np.logical_or.reduce([column_asked(answers, column) for column in columns])


def column_asked(answers: pd.DataFrame, column: Column) -> np.ndarray:
    asked = np.ones(len(answers), dtype=bool)
    for question_id, labels in column.asked_if:
        asked &= answers[question_id].isin(labels).to_numpy()
    return asked


def export_frame(q: Questionnaire, answers: pd.DataFrame) -> pd.DataFrame:
    """The platform's layout of ``answers``: export headers, answers in the asked column.

    Raises ValueError if an answer is given to a question that the skip logic did not ask (build
    such bad exports by editing the returned frame instead).
    """
    export = pd.DataFrame(
        {
            q.export.response_id: answers["response_id"],
            q.export.started: answers["started"],
            q.export.completed: answers["completed"],
        }
    )
    for question in q.questions:
        values = answers[question.id]
        placed = np.zeros(len(answers), dtype=bool)
        for column in question.columns:
            asked = column_asked(answers, column) & ~placed
            export[column.header] = values.where(asked)
            placed |= asked
        stray = values.notna().to_numpy() & ~placed
        if stray.any():
            rows = answers.loc[stray, "response_id"].head(5).tolist()
            raise ValueError(f"{question.id} answered but not asked by the skip logic: {rows}")
    return export.astype("str").reset_index(drop=True)


def write_export(path: str | Path, export: pd.DataFrame) -> Path:
    """Write an export frame as the platform would: CSV, header row, blank cells for missing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(export.astype("str"), preserve_index=False)
    pa_csv.write_csv(table, path, pa_csv.WriteOptions(quoting_style="needed"))
    return path


def make_export(path: str | Path, survey: str | Questionnaire, n: int, seed: int = 0, **kwargs):
    """Write a valid random export of ``n`` respondents; returns its answers frame."""
    q = questionnaire(survey) if isinstance(survey, str) else survey
    answers = random_answers(q, n, seed, **kwargs)
    write_export(path, export_frame(q, answers))
    return answers


def _ids(prefix: str, first: int, n: int) -> pd.Series:
    numbers = pd.Series(np.arange(first, first + n)).astype("str").str.zfill(6)
    return prefix + numbers


def _format_times(times: np.ndarray, timestamp_format: str) -> np.ndarray:
    """Datetimes as export text; numpy's ISO strings where the format allows (fast)."""
    if timestamp_format == "%Y-%m-%d %H:%M:%S":
        text = np.datetime_as_string(times.astype("datetime64[s]"), unit="s")
        return pd.Series(text, dtype="str").str.replace("T", " ", regex=False).to_numpy()
    return pd.Series(times).dt.strftime(timestamp_format).to_numpy()


def _last_on_scale(question) -> str:
    return [o.label for o in question.answers.options if not o.off_scale][-1]


def _row_asked(row: dict, column: Column) -> bool:
    return all(row.get(question_id) in labels for question_id, labels in column.asked_if)
