"""The latent generator: seeded synthetic responses to any questionnaire of a codebook, from a
small latent-trait model.

Used for the worked examples (e.g. ``config/examples/online_learning/``): unlike
``likertflow_tools.synthetic.calibrated``, which reproduces one published study, this draws
plausible answers to whatever a codebook declares, from a model file such as
``config/examples/online_learning/synthetic.yaml``:

- every theme is a latent trait per respondent, standard normal plus the questionnaire's
  ``theme_means`` shift plus ``effects`` of the respondent's answers to categorical questions;
- a statement's latent answer is ``loading * trait + sqrt(1 - loading**2) * noise`` (the trait's
  sign flipped for ``reverse: true`` statements), a statement outside a theme and any other
  ordinal question its own trait; it is cut into the scale's points at equally likely normal
  quantiles, so a trait at 0 gives every point about the same share;
- a question listed in ``traits_of`` loads on the sum of the named themes' traits;
- other categorical questions draw labels with the model's probabilities (uniform if none
  are given); numeric ones a rounded normal within bounds; skip logic blanks columns that were
  not asked;
- ``dont_know`` of statement answers become the scale's off-scale option, ``blank`` of
  respondents leave one required question blank, ``optional_blank`` leaves optional ones blank.

The result is a plain frame of export labels (strings, "" for blank) in the export's columns,
split into the model's batches (``batches``) and written in any platform's layout by
``likertflow_tools.synthetic``. The same model and seed give the same frame.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from likertflow.codebook import Question, Questionnaire
from likertflow.coding import column_asked
from scipy.stats import norm

from likertflow_tools.synthetic.cohort import Cohort

BLANK = ""


@dataclass(frozen=True)
class Responses:
    """One questionnaire's synthetic responses: export labels and the batch of each row."""

    labels: pd.DataFrame  # export columns, strings, "" where blank
    batch: np.ndarray  # index into the model's batch names, per row
    batch_names: tuple[str, ...]


def generate(q: Questionnaire, spec: dict, seed: int, scale: float = 1.0) -> Cohort:
    """One questionnaire's section of a latent model file, drawn and laid out by batch; at
    ``scale`` k, k times its ``n`` responses."""
    responses = simulate(q, spec | {"n": round(int(spec["n"]) * scale)}, seed)
    return Cohort(survey=q.survey, responses=len(responses.labels), batches=batches(responses))


def batches(responses: Responses) -> Iterator[tuple[str, pd.DataFrame]]:
    """One export per batch, (name, answers): labels in the export's columns, missing where
    blank."""
    for number, name in enumerate(responses.batch_names):
        rows = responses.labels[responses.batch == number]
        yield name, rows.mask(rows == BLANK)


def simulate(questionnaire: Questionnaire, spec: dict, seed: int) -> Responses:
    """Draw ``spec["n"]`` responses to ``questionnaire`` under the model ``spec``."""
    rng = np.random.default_rng([seed, _stable_hash(questionnaire.survey)])
    n = int(spec["n"])
    coded = pd.DataFrame(index=pd.RangeIndex(n))
    numbers: dict[str, np.ndarray] = {}
    for question in questionnaire.questions:
        if question.numeric:
            model = spec.get("numeric", {}).get(question.id)
            numbers[question.id] = _numeric(question, model, rng, n)
        elif question.statement_set is None and question.id not in spec.get("traits_of", {}):
            coded[question.id] = _categorical(question, spec.get("categorical", {}), rng, n)
    traits = _traits(questionnaire, spec, coded, rng, n)
    for question in questionnaire.questions:
        if question.numeric or question.id in coded:
            continue
        coded[question.id] = _ordinal(question, traits, spec, rng, n)
    _blank(questionnaire, spec, coded, numbers, rng)
    labels = _labels(questionnaire, coded, numbers, spec)
    batch_names = tuple(spec["batches"])
    batch = np.sort(rng.integers(0, len(batch_names), size=n))
    return Responses(labels=labels, batch=batch, batch_names=batch_names)


def _stable_hash(text: str) -> int:
    """A seed component from a name that does not change between Python runs (unlike hash())."""
    return int.from_bytes(text.encode("utf-8"), "little") % (2**32)


def _numeric(question: Question, spec: dict | None, rng, n: int) -> np.ndarray:
    spec = spec or {}
    low = spec.get("min", question.minimum if question.minimum is not None else 0)
    high = spec.get("max", question.maximum if question.maximum is not None else 100)
    values = rng.normal(spec.get("mean", (low + high) / 2), spec.get("sd", (high - low) / 6), n)
    return np.clip(np.rint(values), low, high)


def _categorical(question: Question, spec: dict, rng, n: int) -> np.ndarray:
    labels = question.answers.labels
    weights = spec.get(question.id, {})
    p = np.array([float(weights.get(label, 0 if weights else 1)) for label in labels])
    codes = np.array(question.answers.codes)
    return codes[rng.choice(len(labels), size=n, p=p / p.sum())]


def _traits(questionnaire: Questionnaire, spec: dict, coded: pd.DataFrame, rng, n: int) -> dict:
    """Each theme's latent trait per respondent: N(0, 1) + mean shift + answer effects."""
    means = spec.get("theme_means", {})
    traits = {}
    for theme_id in questionnaire.themes:
        trait = rng.standard_normal(n) + float(means.get(theme_id, 0.0))
        for question_id, by_label in spec.get("effects", {}).items():
            answers = questionnaire.question(question_id).answers
            for label, shifts in by_label.items():
                chosen = coded[question_id].to_numpy() == answers.code_of[label]
                trait = trait + chosen * float(shifts.get(theme_id, 0.0))
        traits[theme_id] = trait
    return traits


def _ordinal(question: Question, traits: dict, spec: dict, rng, n: int) -> np.ndarray:
    loading = float(spec.get("loading", 0.7))
    noise = rng.standard_normal(n)
    if question.theme in traits:
        sign = -1.0 if question.reverse else 1.0
        latent = sign * loading * traits[question.theme] + np.sqrt(1 - loading**2) * noise
    elif question.id in spec.get("traits_of", {}):
        themes = spec["traits_of"][question.id]
        combined = sum(traits[theme] for theme in themes) / np.sqrt(len(themes))
        latent = loading * combined + np.sqrt(1 - loading**2) * noise
    else:
        latent = noise + float(spec.get("item_means", {}).get(question.id, 0.0))
    scale = np.array(question.answers.scale_codes)
    cuts = norm.ppf(np.arange(1, len(scale)) / len(scale))
    codes = scale[np.searchsorted(cuts, latent)]
    off_scale = [o.code for o in question.answers.options if o.off_scale]
    if question.statement_set is not None and off_scale:
        dont_know = rng.random(n) < float(spec.get("dont_know", 0.0))
        codes = np.where(dont_know, off_scale[0], codes)
    return codes


def _blank(questionnaire: Questionnaire, spec: dict, coded: pd.DataFrame, numbers: dict, rng):
    """Leave optional questions blank at their rates, and one required question of a share of
    respondents (item non-response). Blanks are coded -1 (numbers: NaN)."""
    n = len(coded)
    for question_id, rate in spec.get("optional_blank", {}).items():
        _set_blank(question_id, rng.random(n) < float(rate), coded, numbers)
    required = [q.id for q in questionnaire.questions if not q.optional]
    leaves_one = np.flatnonzero(rng.random(n) < float(spec.get("blank", 0.0)))
    which = rng.choice(len(required), size=len(leaves_one))
    for number, question_id in enumerate(required):
        mask = np.zeros(n, dtype=bool)
        mask[leaves_one[which == number]] = True
        _set_blank(question_id, mask, coded, numbers)


def _set_blank(question_id: str, mask: np.ndarray, coded: pd.DataFrame, numbers: dict) -> None:
    if question_id in numbers:
        numbers[question_id] = np.where(mask, np.nan, numbers[question_id])
    else:
        coded[question_id] = np.where(mask, -1, coded[question_id])


def _labels(questionnaire: Questionnaire, coded: pd.DataFrame, numbers: dict, spec: dict):
    """The export: response id, then every column's label ("" where not asked or blank)."""
    n = len(coded)
    ids = [f"{spec.get('id_prefix', '')}{number:05d}" for number in range(1, n + 1)]
    response_id = questionnaire.export.response_id
    columns = {} if response_id is None else {response_id: ids}
    as_codes = coded.astype("Int16").mask(coded == -1)
    for question in questionnaire.questions:
        if question.numeric:
            values = numbers[question.id]
            text = np.array([BLANK if np.isnan(v) else str(int(v)) for v in values], dtype=object)
        else:
            lookup = question.answers.label_of
            text = np.array(
                [lookup.get(int(c), BLANK) if c >= 0 else BLANK for c in coded[question.id]],
                dtype=object,
            )
        for column in question.columns:
            asked = column_asked(as_codes, column, questionnaire).to_numpy()
            columns[column.header] = np.where(asked, text, BLANK)
    return pd.DataFrame(columns)
