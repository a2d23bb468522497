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

from likertflow.bands import apply_bands, banded_questionnaire
from likertflow.codebook import Questionnaire, parse_questionnaire
from likertflow.coding import on_scale, scored
from likertflow.files import survey_of
from likertflow.settings import Comparison, CountedComparison
from likertflow.themes import theme_score

GROUP = "group"
COUNT = "n"  # respondents in a cell
VALUE = "value"  # an outcome's value in a cell
# the cells of the comparisons' rank tests: respondents by group and outcome value
COMPARISON_KEYS = ["comparison", "outcome", GROUP, VALUE]
# the cells of the ordinal models: by outcome value, group and every covariate (``covariate_key``)
MODEL_KEYS = ["comparison", "outcome", VALUE, GROUP]


def compared_surveys(comparison: Comparison) -> list[str]:
    """The questionnaires a comparison reads, in its groups' order."""
    return list(comparison.surveys) if comparison.by == "survey" else [comparison.survey]


def comparison_inputs(
    score_paths: list[str],
    codebooks: dict[str, dict],
    bands: dict[str, list[dict]],
    spec: Comparison | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, Questionnaire]]:
    """The respondents and the questionnaires of a comparison's surveys from their cohorts'
    rows (``score_paths``: the analysed cohorts), theme scores added (``with_theme_scores``)
    where a file has none, and the config bands of its numeric questions applied (a banded
    question's bands are its answers). Given the comparison's ``spec``, only the columns it uses
    are read (a tenth of the file at a million respondents). The workflow computes from counted
    cells (``comparisons_with_cells``); this row path is the independent one the tests and the R
    references use."""
    import pyarrow.parquet as pq

    frames, questionnaires = {}, {}
    for path in score_paths:
        survey = survey_of(path)
        questionnaire = parse_questionnaire(codebooks[survey])
        names = pq.read_schema(path).names
        themes = [t for t in questionnaire.themes.values() if t.id not in names]
        columns = None
        if spec is not None:
            used = {spec.by, *spec.outcomes, *spec.adjust_for}
            used |= {item for theme in themes if theme.id in used for item in theme.items}
            columns = [name for name in names if name in used]
        frame = pd.read_parquet(path, columns=columns)
        wanted = [theme.id for theme in themes if spec is None or theme.id in spec.outcomes]
        frames[survey], questionnaires[survey] = apply_bands(
            with_theme_scores(frame, questionnaire, wanted), questionnaire, bands
        )
    return frames, questionnaires


def comparisons_with_cells(
    comparisons: dict[str, dict],
    paths: list[str],
    codebooks: dict[str, dict],
    bands: dict[str, dict[str, list[dict]]],
):
    """Each comparison of a grouped job (config ``comparisons``, by name) in name order, the
    order of the job's outputs: (name, ``Comparison``, its questionnaires' combined cells
    (``paths``: results/partials/{survey}.<kind>.parquet, one kind), its questionnaires with its
    config bands (``bands``: by comparison) applied)."""
    import pyarrow.parquet as pq

    cells = {survey_of(path): pq.read_table(path).to_pandas() for path in paths}
    parsed = {survey: parse_questionnaire(codebook) for survey, codebook in codebooks.items()}
    for name in sorted(comparisons):
        comparison = Comparison.from_params(comparisons[name], f"comparisons.{name}")
        surveys = compared_surveys(comparison)
        questionnaires = {s: banded_questionnaire(parsed[s], bands[name]) for s in surveys}
        parts = [cells[survey] for survey in surveys]
        joined = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        yield name, comparison, joined, questionnaires


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


def group_labels(questionnaires: dict[str, Questionnaire], spec: Comparison) -> list[str]:
    """The labels of a comparison's groups, in order: its questionnaires' labels (``by:
    survey``), or the kept answers of its grouping question (codebook order; off-scale answers
    and ``omit`` labels left out; a banded question's bands)."""
    if spec.by == "survey":
        labels = [questionnaires[survey].label for survey in spec.surveys]
        if len(set(labels)) < len(labels):
            raise ValueError(f"compared questionnaires share a label: {labels}")
        return labels
    return [option.label for option in _kept_answers(questionnaires[spec.survey], spec)]


def _kept_answers(questionnaire: Questionnaire, spec: Comparison) -> list:
    try:
        answers = questionnaire.question(spec.by).answers
    except KeyError:
        raise ValueError(f"comparison by {spec.by!r}: not a question of {spec.survey}") from None
    omit = list(spec.omit)
    unknown = [label for label in omit if label not in answers.labels]
    if unknown:
        raise ValueError(f"omit labels {unknown} are not answers of {spec.by!r}")
    return [o for o in answers.options if not o.off_scale and o.label not in omit]


def survey_part(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    spec: Comparison,
    columns: list[str] | None = None,
    value_of=outcome_values,
) -> pd.DataFrame:
    """One questionnaire's respondents of a comparison's groups: an int ``group`` column
    (position among ``group_labels``) and one float64 column per outcome (or per name of
    ``columns``, read by ``value_of(frame, questionnaire, name)``). Row by row: the part of
    a batch of rows is the batch's rows of the part of the cohort."""
    outcomes = spec.outcomes if columns is None else columns
    if spec.by == "survey":
        part = {o: value_of(frame, questionnaire, o) for o in outcomes}
        position = list(spec.surveys).index(questionnaire.survey)
        return pd.DataFrame({GROUP: position, **part}, index=pd.RangeIndex(len(frame)))
    kept = _kept_answers(questionnaire, spec)
    # each answer's position among the kept answers (-1: not kept or missing); a hash lookup, as
    # Series.map with a dict is ~10x slower on a nullable integer column
    position = pd.Index([option.code for option in kept]).get_indexer(frame[spec.by])
    group = np.where(position >= 0, position, np.nan)
    data = pd.DataFrame(
        {GROUP: group, **{o: value_of(frame, questionnaire, o) for o in outcomes}}
    )
    return data[~np.isnan(group)].astype({GROUP: "int64"}).reset_index(drop=True)


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
    labels = group_labels(questionnaires, spec)
    parts = [
        survey_part(frames[survey], questionnaires[survey], spec, columns, value_of)
        for survey in compared_surveys(spec)
    ]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0], labels


def covariate_codes(frame: pd.DataFrame, questionnaire: Questionnaire, name: str) -> np.ndarray:
    """A covariate question's on-scale codes, or a numeric question's numbers, as float64
    (off-scale answers and blanks missing)."""
    try:
        question = questionnaire.question(name)
    except KeyError:
        raise ValueError(
            f"adjust_for {name!r} is not a question of the {questionnaire.survey} questionnaire"
        ) from None
    if question.numeric:
        return frame[name].to_numpy("float64")  # <NA> as NaN
    return on_scale(frame[name], question.answers).to_numpy("float64")


def model_columns(spec: Comparison) -> list[str]:
    """The columns of an ordinal model's respondents: its outcomes, then its covariates that are
    not outcomes."""
    outcomes = list(spec.outcomes)
    return [*outcomes, *(c for c in spec.adjust_for if c not in outcomes)]


def model_value_of(spec: Comparison):
    """How an ordinal model reads a column (``comparison_data``'s ``value_of``): an outcome's
    value, or else a covariate's code."""
    outcomes = list(spec.outcomes)

    def value_of(frame, questionnaire, column):
        if column in outcomes:
            return outcome_values(frame, questionnaire, column)
        return covariate_codes(frame, questionnaire, column)

    return value_of


# --- partial results: the counted cells of a batch of rows (issue 22) ----------------------


def covariate_key(name: str) -> str:
    """The column of a model cell holding covariate ``name``'s code."""
    return f"covariate.{name}"


def defined_comparisons(
    definition: dict, adjusted: bool = False
) -> list[tuple[str, CountedComparison]]:
    """(name, ``CountedComparison``) of a kind's definition (config ``comparisons``, each entry
    with only the keys the cells read, and ``bands``: ``{"comparisons": {name: entry}, "bands":
    {question: bands}}``; none without ``comparisons``) in name order; with ``adjusted``, only
    those that declare ``adjust_for``."""
    specs = [
        (name, CountedComparison.from_params(entry, f"comparisons.{name}"))
        for name, entry in sorted(definition.get("comparisons", {}).items())
    ]
    return [(name, spec) for name, spec in specs if spec.adjust_for or not adjusted]


def comparison_bands(definition: dict, spec: Comparison, adjusted: bool = False) -> dict:
    """The config bands a comparison's groups are formed with: those of its ``by`` question
    (its tests, ``common.smk``'s get_comparisons_bands), and with ``adjusted`` of its
    covariates too (its models, get_ordinal_bands)."""
    questions = {spec.by, *spec.adjust_for} if adjusted else {spec.by}
    return {q: bands for q, bands in definition.get("bands", {}).items() if q in questions}


def model_covariates(definition: dict) -> list[str]:
    """Every covariate of the definition's adjusted comparisons, in order of first mention:
    the model cells have one column for each (``covariate_key``)."""
    named = [c for _, spec in defined_comparisons(definition, True) for c in spec.adjust_for]
    return list(dict.fromkeys(named))


def with_theme_scores(
    rows: pd.DataFrame, questionnaire: Questionnaire, names: list[str]
) -> pd.DataFrame:
    """The rows with a score column for each theme among ``names``: each row's own mean
    (``themes.theme_score``), so a batch's scores are the cohort's scores of its rows."""
    themes = [questionnaire.themes[name] for name in dict.fromkeys(names)
              if name in questionnaire.themes]  # fmt: skip
    clashes = [theme.id for theme in themes if theme.id in rows.columns]
    if clashes:
        raise ValueError(f"theme ids also name data columns: {', '.join(clashes)}")
    scores = {theme.id: theme_score(rows, questionnaire, theme) for theme in themes}
    return rows.assign(**scores) if scores else rows


def _counted(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Respondents by the distinct values of ``columns`` (numeric arrays of equal length; a
    missing value is a value of its own, after the others), sorted by them, with their count
    ``COUNT``: ``groupby(dropna=False).size()``, by hashing each column (``pd.factorize``) and
    counting the combinations, without pandas' overhead per call (a batch counts some 40)."""
    levels, codes = [], []
    for values in columns.values():
        code, distinct = pd.factorize(values, sort=True)  # missing: -1
        distinct = np.asarray(distinct)
        if (code < 0).any():
            code = np.where(code < 0, len(distinct), code)
            distinct = np.append(distinct, np.nan)
        levels.append(distinct)
        codes.append(code)
    shape = [len(level) for level in levels]
    rows = len(codes[0])
    if not rows:
        cells, counts = [np.zeros(0, dtype="int64")] * len(shape), np.zeros(0, dtype="int64")
    else:
        flat = np.ravel_multi_index(codes, shape)
        if np.prod(shape, dtype=float) <= 8 * rows + 100_000:
            counts = np.bincount(flat)
            found = np.flatnonzero(counts)
            counts = counts[found]
        else:  # many combinations possible (numeric covariates): count the ones found
            found, counts = np.unique(flat, return_counts=True)
        cells = np.unravel_index(found, shape)
    counted = {key: level[cell] for key, level, cell in zip(columns, levels, cells, strict=True)}
    return {**counted, COUNT: counts.astype("int64")}


def _cells(parts: list[dict[str, np.ndarray]], dtypes: dict[str, str]) -> pd.DataFrame:
    """One frame of the counted parts, with the columns and types of ``dtypes`` (text keys as
    pandas' ``str``, as the other kinds' and as they read back from Parquet)."""
    return pd.DataFrame(
        {
            column: pd.Series(
                np.concatenate([part[column] for part in parts]) if parts else [], dtype=dtype
            )
            for column, dtype in dtypes.items()
        }
    )


def _named(counted: dict[str, np.ndarray], name: str, outcome: str) -> dict[str, np.ndarray]:
    size = len(counted[COUNT])
    return {"comparison": np.full(size, name, dtype=object),
            "outcome": np.full(size, outcome, dtype=object), **counted}  # fmt: skip


def comparison_cells(
    rows: pd.DataFrame, questionnaire: Questionnaire, definition: dict
) -> pd.DataFrame:
    """The partial result of a comparison's rank tests from some rows of one questionnaire:
    for every comparison of ``definition`` that reads it and every outcome, the respondents by
    group (position among ``group_labels``) and outcome value (a theme score, a statement's
    scored code, a number; NaN when missing), int64 ``n``. Respondents outside the groups
    (missing, off-scale or omitted answers) are in no cell."""
    specs = [(name, spec) for name, spec in defined_comparisons(definition)
             if questionnaire.survey in compared_surveys(spec)]  # fmt: skip
    outcomes = [outcome for _, spec in specs for outcome in spec.outcomes]
    scored_rows = with_theme_scores(rows, questionnaire, outcomes)
    parts = []
    for name, spec in specs:
        frame, banded = apply_bands(scored_rows, questionnaire, comparison_bands(definition, spec))
        data = survey_part(frame, banded, spec)
        group = data[GROUP].to_numpy()
        for outcome in spec.outcomes:
            counted = _counted({GROUP: group, VALUE: data[outcome].to_numpy()})
            parts.append(_named(counted, name, outcome))
    dtypes = {"comparison": "str", "outcome": "str", GROUP: "int64", VALUE: "float64",
              COUNT: "int64"}  # fmt: skip
    return _cells(parts, dtypes)


def model_cells(rows: pd.DataFrame, questionnaire: Questionnaire, definition: dict) -> pd.DataFrame:
    """The partial result of the ordinal models (``ordinal.cells``) from some rows of one
    questionnaire: for every comparison of ``definition`` with ``adjust_for`` that reads it and
    every outcome, the respondents by outcome value, group and the code of each covariate
    (``covariate_key``; NaN when missing, and in the columns of other comparisons'
    covariates), int64 ``n``."""
    specs = [(name, spec) for name, spec in defined_comparisons(definition, adjusted=True)
             if questionnaire.survey in compared_surveys(spec)]  # fmt: skip
    outcomes = [outcome for _, spec in specs for outcome in spec.outcomes]
    scored_rows = with_theme_scores(rows, questionnaire, outcomes)
    covariates = [covariate_key(c) for c in model_covariates(definition)]
    parts = []
    for name, spec in specs:
        bands = comparison_bands(definition, spec, adjusted=True)
        frame, banded = apply_bands(scored_rows, questionnaire, bands)
        data = survey_part(frame, banded, spec, model_columns(spec), model_value_of(spec))
        group = data[GROUP].to_numpy()
        codes = {covariate_key(c): data[c].to_numpy() for c in spec.adjust_for}
        for outcome in spec.outcomes:
            counted = _counted({VALUE: data[outcome].to_numpy(), GROUP: group, **codes})
            size = len(counted[COUNT])
            others = {c: np.full(size, np.nan) for c in covariates if c not in counted}
            parts.append(_named({**counted, **others}, name, outcome))
    dtypes = {"comparison": "str", "outcome": "str", VALUE: "float64", GROUP: "int64",
              **dict.fromkeys(covariates, "float64"), COUNT: "int64"}  # fmt: skip
    return _cells(parts, dtypes)


def outcome_cells(cells: pd.DataFrame, name: str, outcome: str) -> pd.DataFrame:
    """The cells of one comparison's outcome, without empty ones (combined partials may keep a
    cell whose respondents were all subtracted)."""
    chosen = (cells["comparison"] == name) & (cells["outcome"] == outcome) & (cells[COUNT] > 0)
    return cells[chosen].reset_index(drop=True)
