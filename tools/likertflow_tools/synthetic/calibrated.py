"""The calibrated generator: synthetic exports that reproduce a published study's results.

The study's raw data are not public, so the project ships a reconstruction that makes the
workflow reproduce the paper. Per questionnaire (config/synthetic/*.yaml gives the numbers):

- Categorical questions (demographics) get *exact* counts among those the skip logic asks, by
  ranking a latent variable (random, or loading on a Likert item's latent) and cutting the ranks
  at the cumulative counts. Exact counts, not sampling: published tables are counts.
- Likert items follow a Gaussian copula: latent ``z = noise @ chol(R).T + shifts``, where shifts
  move groups' latent means (e.g. by age band) and each item's categories are assigned by ranking
  its latent with the item's exact category counts. With a seeded (whitened) noise draw of 50x
  the study's size held fixed, the latent correlations of the target pairs are calibrated, row
  by row of the Cholesky factor, until the realised Spearman correlations hit their targets
  (``calibrate_factor``); the study-sized cohort then swaps a few answers between near-tied
  respondents to remove its sampling scatter (``refine_by_swaps``), keeping every count.
- Excluded responses are drawn from the same model and then broken: most stop at some question
  (no completion time), a few finish with one asked question blank.
- Fieldwork: start times over the survey window, durations, platform-like response ids, and one
  export per batch by start time (``batches``: each batch's answers, written by
  ``likertflow_tools.synthetic`` in the platform's layout).

Everything is vectorised over respondents (loops run over questions, items, batches or the few
swaps only), so ``--scale 10000`` writes millions of rows; at scale k every count is k times
the study's, and the calibrated factor is reused. Codes are int16 with ``MISSING`` for "not
asked or not answered"; the same seed gives the same bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from likertflow.codebook import Questionnaire
from likertflow.coding import column_asked, question_asked
from scipy.linalg import solve_triangular
from scipy.stats import rankdata

from likertflow_tools.synthetic.cohort import Cohort

MISSING = -1  # code of a question not asked or not answered
CALIBRATION_SCALE = 50  # the latent correlations are calibrated on 50 x the study's cohort
SECONDS_PER_DAY = 86_400
ISO_SECONDS = "%Y-%m-%d %H:%M:%S"
ID_PREFIX = b"R_"
ID_LENGTH = 15
ID_ALPHABET = np.frombuffer(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8
)


# --------------------------------------------------------------------------------------------
# The model, resolved against the codebook


@dataclass(frozen=True)
class Categorical:
    """Exact answer counts of one categorical question, one (codes, counts) per export column."""

    question: str
    columns: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    rank_by: str | None = None  # a Likert item whose latent orders the answers
    loading: float = 0.0


@dataclass(frozen=True)
class Shift:
    """Latent mean shift of ``items`` by the answer (code) to question ``by``."""

    by: str
    items: tuple[str, ...]
    shift_of: dict[int, float]


@dataclass(frozen=True)
class Fieldwork:
    first_day: np.datetime64
    day_weights: np.ndarray  # one per day of the window, summing to 1
    hour_weights: np.ndarray  # 24, summing to 1
    median_seconds: float
    sigma: float
    export_names: tuple[str, ...]
    export_until: np.ndarray  # int64 epoch seconds; batch k = started before until[k]


@dataclass(frozen=True)
class Model:
    survey: str
    analysed: int
    excluded: int
    finished_with_skip: float
    categorical: tuple[Categorical, ...]  # in questionnaire order
    items: tuple[str, ...]  # Likert items, in questionnaire order
    item_counts: np.ndarray  # (items, scale points)
    item_codes: np.ndarray  # the scale's codes, low to high
    shifts: tuple[Shift, ...]
    base_correlation: np.ndarray
    targets: tuple[tuple[int, int, float], ...]  # (item index, item index, Spearman rho)
    fieldwork: Fieldwork


def parse_model(spec: dict, questionnaire: Questionnaire) -> Model:
    """Resolve one questionnaire's section of the synthetic config against its codebook."""
    q = questionnaire
    items = tuple(qid for qid in q.question_ids if qid in spec["likert"])
    unknown = set(spec["likert"]) - set(items)
    if unknown:
        raise ValueError(f"{q.survey}: likert items not in the codebook: {sorted(unknown)}")
    scale = q.question(items[0]).answers
    for item in items:
        if q.question(item).answers != scale or not scale.ordinal:
            raise ValueError(f"{q.survey}: likert item {item!r} is not on the {scale.name} scale")
        if len(spec["likert"][item]) != len(scale.scale_codes):
            raise ValueError(f"{q.survey}: {item!r} needs {len(scale.scale_codes)} counts")
    categorical = tuple(
        _categorical(q, qid, spec["categorical"][qid])
        for qid in q.question_ids
        if qid in spec.get("categorical", {})
    )
    modelled = {c.question for c in categorical} | set(items)
    if set(q.question_ids) - modelled:
        raise ValueError(f"{q.survey}: no model for {sorted(set(q.question_ids) - modelled)}")
    index = {item: i for i, item in enumerate(items)}
    correlation = spec["correlation"]
    targets = tuple(
        (index[t["items"][0]], index[t["items"][1]], float(t["rho"]))
        for t in correlation.get("targets", [])
    )
    return Model(
        survey=q.survey,
        analysed=int(spec["analysed"]),
        excluded=int(spec["excluded"]["n"]),
        finished_with_skip=float(spec["excluded"].get("finished_with_skip", 0.0)),
        categorical=categorical,
        items=items,
        item_counts=np.array([spec["likert"][item] for item in items], dtype=np.int64),
        item_codes=np.array(scale.scale_codes, dtype=np.int16),
        shifts=tuple(_shift(q, s) for s in spec.get("shifts") or []),
        base_correlation=_block_correlation(q, items, correlation["blocks"]),
        targets=targets,
        fieldwork=_fieldwork(spec["fieldwork"]),
    )


def _categorical(q: Questionnaire, qid: str, spec: dict) -> Categorical:
    question = q.question(qid)
    per_column = spec["columns"] if "columns" in spec else [spec] * len(question.columns)
    if len(per_column) != len(question.columns):
        raise ValueError(f"{q.survey}: {qid!r} has {len(question.columns)} columns")
    code_of = question.answers.code_of
    columns = []
    for counts in per_column:
        unknown = set(counts) - set(code_of)
        if unknown:
            raise ValueError(f"{q.survey}: {qid!r} has no answers {sorted(unknown)}")
        columns.append((tuple(code_of[k] for k in counts), tuple(int(v) for v in counts.values())))
    return Categorical(qid, tuple(columns), spec.get("rank_by"), float(spec.get("loading", 0.0)))


def _shift(q: Questionnaire, spec: dict) -> Shift:
    code_of = q.question(spec["by"]).answers.code_of
    return Shift(
        by=spec["by"],
        items=tuple(spec["items"]),
        shift_of={code_of[label]: float(value) for label, value in spec["shift"].items()},
    )


def _block_correlation(q: Questionnaire, items: tuple[str, ...], blocks: dict) -> np.ndarray:
    """Latent correlation from block-level values (block = statement set, or the item itself)."""
    block = [q.question(item).statement_set or item for item in items]

    def value(a: str, b: str) -> float:
        return float(blocks.get(a, {}).get(b, blocks.get(b, {}).get(a, 0.0)))

    matrix = np.array([[value(a, b) for b in block] for a in block])
    np.fill_diagonal(matrix, 1.0)
    return matrix


def _fieldwork(spec: dict) -> Fieldwork:
    first = np.datetime64(str(spec["first_day"]), "D")
    days = int((np.datetime64(str(spec["last_day"]), "D") - first).astype(int)) + 1
    if "day_weights" in spec:
        day_weights = np.asarray(spec["day_weights"], dtype=float)
    else:
        day_weights = np.exp(-np.arange(days) / float(spec["day_decay"]))
    if len(day_weights) != days:
        raise ValueError(f"fieldwork: {days} days but {len(day_weights)} day weights")
    hours = np.asarray(spec["hour_weights"], dtype=float)
    exports = spec["exports"]
    until = np.array(
        [np.datetime64(str(e["until"]).replace(" ", "T"), "s").astype(np.int64) for e in exports]
    )
    window_end = (first + days).astype("datetime64[s]").astype(np.int64)
    if np.any(np.diff(until) <= 0) or until[-1] < window_end:
        raise ValueError("fieldwork: exports must be in time order and cover the whole window")
    return Fieldwork(
        first_day=first,
        day_weights=day_weights / day_weights.sum(),
        hour_weights=hours / hours.sum(),
        median_seconds=float(spec["duration"]["median_minutes"]) * 60,
        sigma=float(spec["duration"]["sigma"]),
        export_names=tuple(f"export_{e['date']}" for e in exports),
        export_until=until,
    )


# --------------------------------------------------------------------------------------------
# Building blocks


def scaled_counts(counts, total: int) -> np.ndarray:
    """``counts`` rescaled to sum to ``total`` by largest remainder (unchanged if they do)."""
    counts = np.asarray(counts, dtype=np.int64)
    if counts.sum() == total:
        return counts.copy()
    if total and not counts.sum():
        raise ValueError(f"cannot spread {total} responses over zero counts")
    quota = counts * (total / max(counts.sum(), 1))
    base = np.floor(quota).astype(np.int64)
    order = np.argsort(-(quota - base), kind="stable")
    base[order[: total - base.sum()]] += 1
    return base


def assign_by_rank(latent: np.ndarray, counts) -> np.ndarray:
    """Category index of each value: the lowest ``counts[0]`` values get 0, the next 1, ...

    Latents are continuous (no ties), so the fast unstable sort is deterministic enough.
    """
    order = np.argsort(latent)
    categories = np.empty(len(latent), dtype=np.intp)
    categories[order] = np.repeat(np.arange(len(counts)), counts)
    return categories


def spearman_pairs(codes: np.ndarray, pairs) -> np.ndarray:
    """Spearman's rho (Pearson on average ranks, as scipy.stats.spearmanr) of column pairs."""
    ranks = rankdata(codes, axis=0)
    ranks -= ranks.mean(axis=0)
    ranks /= np.sqrt((ranks**2).sum(axis=0))
    return np.array([ranks[:, a] @ ranks[:, b] for a, b, *_ in pairs])


def ordinal_codes(
    noise: np.ndarray, shift: np.ndarray, factor: np.ndarray, counts: np.ndarray, codes
) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the Likert items (exact counts per item) and their latent values.

    ``factor`` is the lower-triangular Cholesky factor of the latent correlation.
    """
    latent = noise @ factor.T + shift
    index = np.column_stack([assign_by_rank(latent[:, j], c) for j, c in enumerate(counts)])
    return np.asarray(codes)[index], latent


def whiten(noise: np.ndarray) -> np.ndarray:
    """Noise with sample mean 0 and sample covariance exactly I (ZCA), so that the sample
    correlation of the latents equals the model's; left as drawn when there are too few rows."""
    if len(noise) < 2 * noise.shape[1]:
        return noise
    centred = noise - noise.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred, rowvar=False))
    return centred @ (vectors / np.sqrt(values)) @ vectors.T


def response_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unique platform-like ids ``R_`` + 15 alphanumerics, as fixed-width bytes."""
    chars = np.empty((n, len(ID_PREFIX) + ID_LENGTH), dtype=np.uint8)
    chars[:, : len(ID_PREFIX)] = np.frombuffer(ID_PREFIX, dtype=np.uint8)
    chars[:, len(ID_PREFIX) :] = ID_ALPHABET[rng.integers(0, len(ID_ALPHABET), (n, ID_LENGTH))]
    ids = chars.view(f"S{chars.shape[1]}").ravel()
    if len(np.unique(ids)) != n:  # 62**15 possibilities: practically never
        raise RuntimeError("duplicate response ids drawn; choose another seed")
    return ids


def enforce_skip_logic(q: Questionnaire, coded: pd.DataFrame) -> pd.DataFrame:
    """Blank every answer to a question its earlier answers did not lead the platform to ask."""
    for question in q.questions:  # in order: askedness depends on earlier answers only
        asked = question_asked(coded, question, q).to_numpy()
        coded.loc[~asked, question.id] = MISSING
    return coded


# --------------------------------------------------------------------------------------------
# Respondents


@dataclass
class Draws:
    """One cohort's random draws before the latent correlation is applied."""

    coded: pd.DataFrame  # categorical answers assigned so far; MISSING elsewhere
    noise: np.ndarray  # (n, items) standard normal
    shift: np.ndarray  # (n, items) latent mean shifts
    counts: np.ndarray  # (items, scale points) exact counts for this cohort size


def draw_cohort(
    q: Questionnaire, model: Model, n: int, rng: np.random.Generator, exact: bool
) -> Draws:
    """Categorical answers that no Likert item orders, then the latent noise and shifts."""
    coded = pd.DataFrame({qid: np.full(n, MISSING, dtype=np.int16) for qid in q.question_ids})
    for spec in model.categorical:
        if spec.rank_by is None:
            _assign_categorical(q, coded, spec, lambda mask: rng.random(int(mask.sum())), exact)
    noise = whiten(rng.standard_normal((n, len(model.items))))
    shift = np.zeros_like(noise)
    for spec in model.shifts:
        values = coded[spec.by].map(spec.shift_of).fillna(0.0).to_numpy(dtype=float)
        for item in spec.items:
            shift[:, model.items.index(item)] += values
    counts = np.array([scaled_counts(c, n) for c in model.item_counts])
    if exact and np.any(counts.sum(axis=1) != n):
        raise ValueError(f"{q.survey}: Likert counts must sum to the {n} analysed respondents")
    return Draws(coded, noise, shift, counts)


def _assign_categorical(q, coded, spec: Categorical, scores, exact: bool) -> None:
    """Answers of one question with exact counts among those asked; ``scores(mask)`` ranks them."""
    question = q.question(spec.question)
    values = coded[spec.question].to_numpy().copy()
    for column, (codes, counts) in zip(question.columns, spec.columns, strict=True):
        asked = column_asked(coded, column, q).to_numpy()
        if exact and sum(counts) != asked.sum():
            raise ValueError(
                f"{q.survey}: counts of {spec.question!r} ({column.header!r}) sum to "
                f"{sum(counts)}, but {asked.sum()} respondents are asked it"
            )
        ranked = assign_by_rank(scores(asked), scaled_counts(counts, int(asked.sum())))
        values[asked] = np.asarray(codes, dtype=np.int16)[ranked]
    coded[spec.question] = values


def simulate_cohort(
    q: Questionnaire,
    model: Model,
    n: int,
    rng: np.random.Generator,
    factor: np.ndarray,
    exact: bool = False,
) -> pd.DataFrame:
    """Coded answers of ``n`` complete respondents (int16; MISSING where not asked).

    ``exact``: the study-sized cohort, whose counts must be the configured ones and whose
    Spearman targets are met exactly (``refine_by_swaps``).
    """
    draws = draw_cohort(q, model, n, rng, exact)
    codes, latent = ordinal_codes(draws.noise, draws.shift, factor, draws.counts, model.item_codes)
    if exact:
        refine_by_swaps(codes, latent, model.targets)
    coded = draws.coded
    for j, item in enumerate(model.items):
        coded[item] = codes[:, j]
    for spec in model.categorical:
        if spec.rank_by is not None:
            base = latent[:, model.items.index(spec.rank_by)]
            base = (base - base.mean()) / base.std()
            own = spec.loading * base + np.sqrt(1 - spec.loading**2) * rng.standard_normal(n)
            _assign_categorical(q, coded, spec, lambda mask, own=own: own[mask], exact)
    return enforce_skip_logic(q, coded)


def calibrate_factor(
    q: Questionnaire,
    model: Model,
    seed: np.random.SeedSequence,
    size: int,
    cycles: int = 3,
    steps: int = 20,
) -> np.ndarray:
    """Cholesky factor of the latent correlation whose realised Spearman rhos hit the targets.

    Calibrated on a cohort of ``size`` respondents drawn from ``seed``, its noise held fixed;
    a cohort much larger than the study's makes the factor right for any scale (the realised
    rho of a study-sized cohort still scatters by a few hundredths, which ``refine_by_swaps``
    removes). Row ``b`` of the factor drives item ``b`` only and depends on the rows before it,
    so the rows are solved in order: the targets pairing ``b`` with an earlier item are met by
    bisection on those latent correlations (realised rho rises with them), cycling when a row
    has several targets. Other latent correlations keep their block values.
    """
    draws = draw_cohort(q, model, size, np.random.default_rng(seed), exact=False)
    p = len(model.items)
    wanted = model.base_correlation.copy()
    by_row: dict[int, list[tuple[int, float]]] = {}
    for a, b, rho in model.targets:
        a, b = min(a, b), max(a, b)
        by_row.setdefault(b, []).append((a, rho))
    factor = np.zeros((p, p))
    scores = np.zeros((size, p))  # centred, unit-norm average ranks: rho = scores_a @ scores_b

    def set_row(b: int) -> None:
        row = solve_triangular(factor[:b, :b], wanted[b, :b], lower=True) if b else np.zeros(0)
        norm = np.sqrt(row @ row)
        if norm > 0.995:  # not a valid correlation: keep the direction, shrink
            row *= 0.995 / norm
        factor[b, :b], factor[b, b] = row, np.sqrt(1 - row @ row)
        latent = draws.noise @ factor[b] + draws.shift[:, b]
        counts = draws.counts[b]
        midranks = np.cumsum(counts) - (counts - 1) / 2 - (size + 1) / 2
        score = midranks[assign_by_rank(latent, counts)]
        scores[:, b] = score / np.sqrt(score @ score)

    def error(a: int, b: int, rho: float) -> float:
        return scores[:, a] @ scores[:, b] - rho

    for b in range(p):
        set_row(b)
        targets = by_row.get(b, [])
        for _ in range(cycles if len(targets) > 1 else 1):
            for a, rho in targets:
                low, high = -0.99, 0.99
                for _ in range(steps):
                    middle = wanted[b, a] = (low + high) / 2
                    set_row(b)
                    if error(a, b, rho) < 0:
                        low = middle
                    else:
                        high = middle
                ends = []
                for end in (low, high):
                    wanted[b, a] = end
                    set_row(b)
                    ends.append(abs(error(a, b, rho)))
                wanted[b, a] = (low, high)[int(np.argmin(ends))]
                set_row(b)
    return factor


def refine_by_swaps(
    codes: np.ndarray,
    latent: np.ndarray,
    targets,
    tolerance: float = 0.002,
    width: int = 8,
    max_swaps: int = 200,
) -> np.ndarray:
    """Swap answers to one item between two respondents until the Spearman targets are met.

    A swap keeps every item's counts. Candidates are near-ties of the latent order: the ``width``
    highest latents of a category against the ``width`` lowest of the next. Each step makes the
    swap that most reduces the squared error over all targets (its effect on a pair's rho is
    exact: ``(r_other[i] - r_other[j]) * (r_own[j] - r_own[i]) / norms`` on centred ranks).
    Changes ``codes`` and ``latent`` in place; returns the realised rhos.
    """
    pairs = [(a, b) for a, b, _ in targets]
    wanted = np.array([rho for *_, rho in targets])
    for _ in range(max_swaps):
        ranks = rankdata(codes, axis=0)
        ranks -= ranks.mean(axis=0)
        norms = np.sqrt((ranks**2).sum(axis=0))
        error = wanted - np.array([ranks[:, a] @ ranks[:, b] for a, b in pairs]) / np.array(
            [norms[a] * norms[b] for a, b in pairs]
        )
        if np.abs(error).max() <= tolerance:
            break
        best = ((error**2).sum(), None)
        for item in sorted({x for pair in pairs for x in pair}):
            i, j = _boundary_candidates(codes[:, item], latent[:, item], width)
            own = ranks[j, item] - ranks[i, item]
            residual = np.full(len(i), (error**2).sum())
            for t, (a, b) in enumerate(pairs):
                if item in (a, b):
                    other = b if a == item else a
                    delta = (ranks[i, other] - ranks[j, other]) * own / norms[item] / norms[other]
                    residual += (error[t] - delta) ** 2 - error[t] ** 2
            k = int(np.argmin(residual))
            if residual[k] < best[0] - 1e-12:
                best = (residual[k], (item, i[k], j[k]))
        if best[1] is None:
            break
        item, i, j = best[1]
        codes[[i, j], item] = codes[[j, i], item]
        latent[[i, j], item] = latent[[j, i], item]
    return np.array([spearman_pairs(codes, [pair])[0] for pair in pairs])


def _boundary_candidates(codes: np.ndarray, latent: np.ndarray, width: int):
    """Respondent pairs (i, j) straddling a category boundary of one item: i's latent among the
    highest of its category, j's among the lowest of the next category up."""
    order = np.lexsort((latent, codes))
    sorted_codes = codes[order]
    firsts = np.flatnonzero(np.diff(sorted_codes)) + 1  # first position of each higher category
    lefts, rights = [], []
    for first in firsts:
        low = order[max(first - width, 0) : first]
        low = low[codes[low] == sorted_codes[first - 1]]
        high = order[first : first + width]
        high = high[codes[high] == sorted_codes[first]]
        left, right = np.meshgrid(low, high, indexing="ij")
        lefts.append(left.ravel())
        rights.append(right.ravel())
    return np.concatenate(lefts), np.concatenate(rights)


def break_responses(
    q: Questionnaire, coded: pd.DataFrame, n_finished: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Turn complete responses into excluded ones; returns them and whether each finished.

    Unfinished responses stop at a random asked question (not the first): it and everything
    after it are blank. Finished ones leave one random asked question blank. Either way a
    question that was asked is unanswered; answers that the blanks make unasked are cleared.
    """
    n, n_questions = len(coded), len(q.questions)
    asked = np.column_stack([question_asked(coded, question, q) for question in q.questions])
    scores = np.where(asked, rng.random((n, n_questions)), -1.0)
    finished = rng.permutation(n) < n_finished
    stop_scores = scores.copy()
    stop_scores[:, 0] = -1.0
    if n and (stop_scores.max(axis=1) < 0).any():
        raise ValueError(f"{q.survey}: a response has no question left to stop at")
    position = np.arange(n_questions)
    blank = np.where(
        finished[:, None],
        position == scores.argmax(axis=1)[:, None],
        position >= stop_scores.argmax(axis=1)[:, None],
    )
    values = coded.to_numpy().copy()
    values[blank] = MISSING
    broken = pd.DataFrame(values, columns=coded.columns).astype(np.int16)
    return enforce_skip_logic(q, broken), finished


def fieldwork_times(
    fieldwork: Fieldwork, finished: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Start and completion times (epoch seconds; completion -1 when unfinished)."""
    n = len(finished)
    day = rng.choice(len(fieldwork.day_weights), size=n, p=fieldwork.day_weights)
    hour = rng.choice(24, size=n, p=fieldwork.hour_weights)
    second = rng.integers(0, 3600, size=n)
    first = fieldwork.first_day.astype("datetime64[s]").astype(np.int64)
    started = first + day * SECONDS_PER_DAY + hour * 3600 + second
    duration = np.maximum(
        60, rng.lognormal(np.log(fieldwork.median_seconds), fieldwork.sigma, n)
    ).astype(np.int64)
    return started, np.where(finished, started + duration, -1)


# --------------------------------------------------------------------------------------------
# Exports


@dataclass
class Synthetic:
    """Every raw response of one questionnaire, with what is needed to write its exports."""

    questionnaire: Questionnaire
    coded: pd.DataFrame  # int16 codes, MISSING = blank
    analysed: np.ndarray  # bool: complete response
    ids: np.ndarray  # fixed-width bytes
    started: np.ndarray  # epoch seconds
    completed: np.ndarray  # epoch seconds, -1 = unfinished
    batch: np.ndarray  # index into export_names
    export_names: tuple[str, ...]
    realised_rho: np.ndarray  # Spearman of the target pairs in the complete responses


def synthesise(q: Questionnaire, model: Model, seed: int, scale: float = 1.0) -> Synthetic:
    """All raw responses of one questionnaire at ``scale`` times the study's size."""
    streams = np.random.SeedSequence([seed, zlib.crc32(q.survey.encode())]).spawn(5)
    analysed_seed, excluded_seed, fieldwork_seed, id_seed, calibration_seed = streams
    factor = calibrate_factor(q, model, calibration_seed, CALIBRATION_SCALE * model.analysed)
    n_analysed = round(model.analysed * scale)
    n_excluded = round(model.excluded * scale)
    complete = simulate_cohort(
        q, model, n_analysed, np.random.default_rng(analysed_seed), factor, exact=scale == 1
    )
    excluded_rng = np.random.default_rng(excluded_seed)
    broken, finished = break_responses(
        q,
        simulate_cohort(q, model, n_excluded, excluded_rng, factor),
        round(n_excluded * model.finished_with_skip),
        excluded_rng,
    )
    realised = spearman_pairs(complete[list(model.items)].to_numpy(), model.targets)
    coded = pd.concat([complete, broken], ignore_index=True)
    finished = np.concatenate([np.ones(n_analysed, dtype=bool), finished])
    started, completed = fieldwork_times(
        model.fieldwork, finished, np.random.default_rng(fieldwork_seed)
    )
    batch = np.searchsorted(model.fieldwork.export_until, started, side="right")
    return Synthetic(
        questionnaire=q,
        coded=coded,
        analysed=np.arange(len(coded)) < n_analysed,
        ids=response_ids(len(coded), np.random.default_rng(id_seed)),
        started=started,
        completed=completed,
        batch=batch,
        export_names=model.fieldwork.export_names,
        realised_rho=realised,
    )


def generate(q: Questionnaire, spec: dict, seed: int, scale: float = 1.0) -> Cohort:
    """One questionnaire's section of a calibrated model file, drawn and laid out by batch."""
    model = parse_model(spec, q)
    synthetic = synthesise(q, model, seed, scale)
    complete = int(synthetic.analysed.sum())
    notes = [
        f"  rho {model.items[a]} ~ {model.items[b]}: {rho:.3f} (target {target:.3f})"
        for (a, b, target), rho in zip(model.targets, synthetic.realised_rho, strict=True)
    ]
    return Cohort(
        survey=q.survey,
        responses=len(synthetic.coded),
        batches=batches(synthetic),
        detail=f" ({complete} complete)",
        notes=tuple(notes),
    )


def batches(synthetic: Synthetic) -> Iterator[tuple[str, pd.DataFrame]]:
    """One export per batch, (name, answers), built one at a time to bound memory: labels in the
    codebook's columns (Arrow strings, missing where blank), rows ordered by start time."""
    s, q = synthetic, synthetic.questionnaire
    answers = {}
    for question in q.questions:
        values = s.coded[question.id].to_numpy()
        lookup = np.full(max(question.answers.codes) + 1, -1, dtype=np.int8)
        lookup[question.answers.codes] = np.arange(len(question.answers.codes))
        index = np.where(values >= 0, lookup[np.clip(values, 0, None)], -1)
        for column in question.columns:
            asked = column_asked(s.coded, column, q).to_numpy()
            answers[column.header] = (np.where(asked, index, -1), question.answers.labels)
    order = np.lexsort((s.ids, s.started, s.batch))
    for number, name in enumerate(s.export_names):
        rows = order[s.batch[order] == number]
        columns = {
            q.export.response_id: pa.array(s.ids[rows]).cast(pa.string()),
            q.export.started: _timestamps(s.started[rows], q.export.timestamp_format),
            q.export.completed: _timestamps(s.completed[rows], q.export.timestamp_format),
        }
        for header, (index, labels) in answers.items():
            chosen = index[rows]
            columns[header] = pa.DictionaryArray.from_arrays(
                pa.array(chosen, mask=chosen < 0, type=pa.int8()), pa.array(labels)
            ).dictionary_decode()
        yield name, pa.table(columns).to_pandas(types_mapper=pd.ArrowDtype)


def _timestamps(seconds: np.ndarray, timestamp_format: str) -> pa.Array:
    stamps = pa.array(seconds, mask=seconds < 0, type=pa.int64()).cast(pa.timestamp("s"))
    if timestamp_format == ISO_SECONDS:  # the same text as strftime, 30 times faster
        return stamps.cast(pa.string())
    return pc.strftime(stamps, format=timestamp_format)
