"""Who is compared with whom: respondents pooled into the groups of a comparison, with outcomes.

A comparison (config ``comparisons.<name>``) pools respondents into groups, either by
questionnaire (``by: survey``, groups = questionnaire labels in ``surveys`` order) or by the
answer to a question of one questionnaire (groups = its answer labels in codebook order; off-scale
answers and ``omit`` labels left out). Each outcome is a theme score or a statement's code
(off-scale = missing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from likertflow.bands import apply_bands
from likertflow.codebook import Questionnaire, parse_questionnaire
from likertflow.coding import scored
from likertflow.files import survey_of
from likertflow.settings import Comparison

GROUP = "group"


def compared_surveys(comparison: Comparison) -> list[str]:
    """The questionnaires a comparison reads, in its groups' order."""
    return list(comparison.surveys) if comparison.by == "survey" else [comparison.survey]


def score_paths(paths: list[str], comparison: Comparison) -> list[str]:
    """Of the scored cohorts ``paths`` (results/themes/{survey}.scores.parquet), those of the
    comparison's questionnaires, in its groups' order."""
    by_survey = {survey_of(path): path for path in paths}
    return [by_survey[survey] for survey in compared_surveys(comparison)]


def comparison_inputs(
    score_paths: list[str],
    codebooks: dict[str, dict],
    bands: dict[str, list[dict]],
    spec: Comparison | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, Questionnaire]]:
    """The scored respondents and the questionnaires of a comparison's surveys, with the config
    bands of its numeric questions applied (a banded question's bands are its answers). Given
    the comparison's ``spec``, only the columns it uses are read (a tenth of the file at a
    million respondents)."""
    import pyarrow.parquet as pq

    frames, questionnaires = {}, {}
    for path in score_paths:
        survey = survey_of(path)
        columns = None
        if spec is not None:
            used = {spec.by, *spec.outcomes, *spec.adjust_for}
            columns = [name for name in pq.read_schema(path).names if name in used]
        frames[survey], questionnaires[survey] = apply_bands(
            pd.read_parquet(path, columns=columns), parse_questionnaire(codebooks[survey]), bands
        )
    return frames, questionnaires


def comparisons_with_inputs(
    comparisons: dict[str, dict],
    paths: list[str],
    codebooks: dict[str, dict],
    bands: dict[str, dict[str, list[dict]]],
):
    """Each comparison of a grouped job (config ``comparisons``, by name) in name order, the
    order of the job's outputs: (name, ``Comparison``, frames, questionnaires), its inputs read
    from the scored cohorts ``paths`` with its config bands (``bands``: by comparison) applied
    (``comparison_inputs``)."""
    for name in sorted(comparisons):
        comparison = Comparison.from_params(comparisons[name], f"comparisons.{name}")
        frames, questionnaires = comparison_inputs(
            score_paths(paths, comparison),
            {survey: codebooks[survey] for survey in compared_surveys(comparison)},
            bands[name],
            comparison,
        )
        yield name, comparison, frames, questionnaires


def outcome_values(frame: pd.DataFrame, questionnaire: Questionnaire, outcome: str) -> np.ndarray:
    """An outcome as float64 (<NA> as NaN): a theme score column, a question's scored code
    (on-scale, reverse-keyed statements mirrored), or a numeric question's number."""
    if outcome in questionnaire.themes:
        if outcome not in frame.columns:
            raise ValueError(f"{questionnaire.survey}: no theme score column {outcome!r}")
        return frame[outcome].to_numpy("float64")
    try:
        question = questionnaire.question(outcome)
    except KeyError:
        raise ValueError(
            f"comparison outcome {outcome!r} is neither a theme nor a question of the "
            f"{questionnaire.survey} questionnaire"
        ) from None
    if question.numeric:
        return frame[outcome].to_numpy("float64")
    if not question.answers.ordinal:
        raise ValueError(f"comparison outcome {outcome!r} has no ordinal scale: no rank test")
    return scored(frame[outcome], question).to_numpy("float64")


def comparison_data(
    frames: dict[str, pd.DataFrame],
    questionnaires: dict[str, Questionnaire],
    spec: Comparison,
    columns: list[str] | None = None,
    value_of=outcome_values,
) -> tuple[pd.DataFrame, list[str]]:
    """Respondents of the compared groups: an int ``group`` column (position in the returned
    labels) and one float64 column per outcome (or per name of ``columns``, read by
    ``value_of(frame, questionnaire, name)``)."""
    outcomes = spec.outcomes if columns is None else columns
    if spec.by == "survey":
        labels = [questionnaires[survey].label for survey in spec.surveys]
        if len(set(labels)) < len(labels):
            raise ValueError(f"compared questionnaires share a label: {labels}")
        parts = []
        for position, survey in enumerate(spec.surveys):
            frame, questionnaire = frames[survey], questionnaires[survey]
            part = {o: value_of(frame, questionnaire, o) for o in outcomes}
            parts.append(pd.DataFrame({GROUP: position, **part}))
        return pd.concat(parts, ignore_index=True), labels

    frame, questionnaire = frames[spec.survey], questionnaires[spec.survey]
    try:
        answers = questionnaire.question(spec.by).answers
    except KeyError:
        raise ValueError(f"comparison by {spec.by!r}: not a question of {spec.survey}") from None
    omit = list(spec.omit)
    unknown = [label for label in omit if label not in answers.labels]
    if unknown:
        raise ValueError(f"omit labels {unknown} are not answers of {spec.by!r}")
    kept = [o for o in answers.options if not o.off_scale and o.label not in omit]
    # each answer's position among the kept answers (-1: not kept or missing); a hash lookup, as
    # Series.map with a dict is ~10x slower on a nullable integer column
    position = pd.Index([option.code for option in kept]).get_indexer(frame[spec.by])
    group = np.where(position >= 0, position, np.nan)
    data = pd.DataFrame(
        {GROUP: group, **{o: value_of(frame, questionnaire, o) for o in outcomes}}
    )
    data = data[~np.isnan(group)].astype({GROUP: "int64"}).reset_index(drop=True)
    return data, [option.label for option in kept]
