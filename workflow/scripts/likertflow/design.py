"""Survey designs (weights, strata, clusters, finite population corrections) and the
design-based estimates of R's ``survey`` package, computed from totals that add up across batches.

Every estimator here takes **additive aggregates**, never rows, so that each export batch can
yield its part once (issue 22) and the parts are summed before the statistics are computed:

- ``SampleUnits``: the sampling units of the design, per (stratum, PSU) key with its number of
  responses. A batch yields its keys; the keys of all batches make the ``Design`` (how many PSUs
  each stratum holds in the *full* sample, its population PSUs for the fpc, the lonely-PSU rule).
- ``CellTotals``: per (stratum, PSU, cell) the responses ``n``, the sum of weights ``w`` and of
  squared weights ``w2``. A cell is whatever the statistic needs: an answer category, a (group,
  category) pair, an (outcome level, covariate pattern) cell. Proportions, means of item codes,
  rank tests (``design_tests``) and the proportional-odds model (``design_tests``) use them.
- ``MomentTotals``: per (stratum, PSU, domain) the sums of w, w y, w y**2 (and of w**2, w**2 y,
  w**2 y**2), for means of a continuous score (a theme score, the mean of item codes).

The variance is the ultimate-cluster Taylor linearisation of ``survey::svyrecvar`` (Wolter 2007,
ch. 6; Lumley 2010, sec. 2.2 and appendix C): each response contributes its influence value
z_i = w_i a(cell_i), PSU totals t_hk of z are centred within stratum h, and

    V = sum_h (1 - n_h / N_h) n_h / (n_h - 1) sum_k (t_hk - mean_h t)(t_hk - mean_h t)'

with n_h the PSUs of stratum h in the full sample (PSUs without a member of the domain count,
with t_hk = 0: domain estimation as ``subset()`` of an ``svydesign`` does it) and N_h its
population PSUs (no fpc: N_h infinite, sampling with replacement). Without clusters every
response is its own PSU; its t_hk are then never stored: sum_k t_hk t_hk' is a sum of w**2 over
cells, which is additive too. Only the first stage is used (the ultimate-cluster approximation;
``survey`` adds later stages only when their fpc is given).

Strata with a single PSU follow ``options(survey.lonely.psu = ...)``, named in ``Design``:
``fail`` (an error naming the stratum), ``remove`` and ``certainty`` (the stratum adds no
variance; in ``svyrecvar`` the two coincide), ``adjust`` (the PSU total is centred at zero, the
population mean of an influence function, instead of the stratum mean) and ``average`` (the
variance is scaled up by strata present / strata with more than one PSU). As in ``survey``, a
domain that has members in only one PSU of a stratum with several is no lonely PSU
(``survey.adjust.domain.lonely = FALSE``).

Degrees of freedom are ``survey::degf`` of the analysed domain: PSUs with a member minus strata
with a member. Replicate-weight designs are refused (``refuse_replicate_weights``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

LONELY_PSU_RULES = ("fail", "remove", "adjust", "average", "certainty")
PROPORTION_METHODS = ("logit", "likelihood", "asin", "beta", "mean", "xlogit")
DEFF_VARIANTS = {
    "srswor": "simple random sampling without replacement (survey's deff = TRUE)",
    "srswr": "simple random sampling with replacement (survey's deff = 'replace')",
}
EPSILON = float(np.finfo(float).eps)
CERTAINTY_FRACTION = 1e-7  # svyrecvar: a stratum sampled to within this fraction adds nothing


class DesignError(ValueError):
    """A design that cannot be used as declared, said so a survey researcher can act on it."""


def check_weights(weights: np.ndarray, name: str = "weight") -> None:
    """Refuse weights that are not positive and finite, naming how many and the first rows.

    Examples
    --------
    >>> check_weights(np.array([1.0, 2.5]))
    >>> check_weights(np.array([1.0, 0.0, np.nan]))
    Traceback (most recent call last):
    ...
    likertflow.design.DesignError: 2 responses have a weight that is not positive and finite \
(weight column 'weight'; first rows, counted from 1: 2, 3)
    """
    weights = np.asarray(weights, dtype="float64")
    bad = np.flatnonzero(~(np.isfinite(weights) & (weights > 0)))
    if bad.size:
        rows = ", ".join(str(row + 1) for row in bad[:5])
        raise DesignError(
            f"{bad.size} responses have a weight that is not positive and finite "
            f"(weight column {name!r}; first rows, counted from 1: {rows})"
        )


def refuse_replicate_weights(columns: Sequence[str]) -> None:
    """Replicate-weight designs (BRR, jackknife, bootstrap weights) are not supported: refuse
    them with a message that says what can be declared instead.

    Examples
    --------
    >>> refuse_replicate_weights([])  # nothing declared: nothing to refuse
    >>> refuse_replicate_weights(["rw1", "rw2"])
    Traceback (most recent call last):
    ...
    likertflow.design.DesignError: replicate weights (rw1, rw2) are not supported: declare the \
full-sample weight with its strata and clusters (Taylor linearisation), or analyse the data in \
R's survey package with svrepdesign()
    """
    if columns:
        raise DesignError(
            f"replicate weights ({', '.join(columns)}) are not supported: declare the "
            "full-sample weight with its strata and clusters (Taylor linearisation), or analyse "
            "the data in R's survey package with svrepdesign()"
        )


def _labels(values, length: int) -> np.ndarray:
    """A label array (one stratum or PSU label per row); None: one label for all rows."""
    if values is None:
        return np.zeros(length, dtype="int64")
    return np.asarray(values)


def _group_sum(keys: list[np.ndarray], columns: list[np.ndarray]):
    """Rows with equal keys summed: (distinct key columns, summed columns), keys sorted.

    The rows are put in order of their keys and then their values before summing, so the sums
    depend only on which rows there are, not on their order: batches combined in any order give
    the same floats (issue 22)."""
    if not len(keys[0]):
        return [k[:0] for k in keys], [c[:0] for c in columns]
    combined = np.zeros(len(keys[0]), dtype="int64")
    for key in keys:
        unique, code = np.unique(key, return_inverse=True)
        combined = combined * len(unique) + code.reshape(-1)
    order = np.lexsort([c for c in reversed(columns) if c.ndim == 1] + [combined])
    keys = [key[order] for key in keys]
    columns = [column[order] for column in columns]
    distinct, inverse = np.unique(combined[order], return_inverse=True)
    first = np.zeros(len(distinct), dtype="int64")
    first[inverse[::-1]] = np.arange(len(combined))[::-1]  # a row of each key
    summed = []
    for column in columns:
        total = np.zeros((len(distinct), *column.shape[1:]), dtype=column.dtype)
        np.add.at(total, inverse, column)
        summed.append(total)
    return [key[first] for key in keys], summed


@dataclass(frozen=True)
class SampleUnits:
    """The sampling units of (part of) a sample: its (stratum, PSU) keys and their responses.

    ``psu`` None: no clusters, every response is its own PSU (``ids = ~1``); the units are then
    counted per stratum. A batch yields its own ``SampleUnits``; ``combine`` adds those of all
    batches (a PSU whose responses arrive in two batches is one PSU), and ``design`` turns them
    into the ``Design`` every estimator takes. Build it from **every** response of the sample,
    excluded ones included: exclusions are domains of the full design.
    """

    stratum: np.ndarray
    psu: np.ndarray | None
    responses: np.ndarray

    @classmethod
    def from_responses(cls, stratum=None, psu=None, length: int | None = None) -> SampleUnits:
        """The units of a batch from its responses' stratum and PSU labels (None: unstratified,
        or unclustered); ``length``: the number of responses when both are None."""
        n = len(stratum) if stratum is not None else len(psu) if psu is not None else length
        keys = [_labels(stratum, n)] + ([] if psu is None else [np.asarray(psu)])
        keys, (responses,) = _group_sum(keys, [np.ones(n, dtype="int64")])
        return cls(keys[0], None if psu is None else keys[1], responses)

    @classmethod
    def combine(cls, parts: Sequence[SampleUnits]) -> SampleUnits:
        """The units of several batches together."""
        clustered = {part.psu is not None for part in parts}
        if len(clustered) != 1:
            raise DesignError("batches disagree on whether the design has clusters")
        stratum = np.concatenate([part.stratum for part in parts])
        responses = np.concatenate([part.responses for part in parts])
        if parts[0].psu is None:
            keys, (responses,) = _group_sum([stratum], [responses])
            return cls(keys[0], None, responses)
        psu = np.concatenate([part.psu for part in parts])
        keys, (responses,) = _group_sum([stratum, psu], [responses])
        return cls(keys[0], keys[1], responses)

    def design(self, population: Mapping | None = None, lonely_psu: str = "fail") -> Design:
        """The design: PSUs per stratum, population PSUs from ``population`` (stratum label ->
        N_h, PSUs in the population; for an unclustered design, responses: the population
        size), and the lonely-PSU rule."""
        if self.psu is None:
            keys, (psus,) = _group_sum([self.stratum], [self.responses])
            strata = keys[0]
        else:  # one row per (stratum, PSU) key
            strata, psus = np.unique(self.stratum, return_counts=True)
        if population is None:
            sizes = np.full(len(strata), np.inf)
        else:
            missing = [s for s in strata.tolist() if s not in population]
            if missing:
                raise DesignError(f"no population size (fpc) for strata {missing}")
            sizes = np.array([float(population[s]) for s in strata.tolist()])
        return Design(strata, psus.astype("int64"), sizes, self.psu is not None, lonely_psu)


@dataclass(frozen=True)
class Design:
    """A stratified (optionally clustered) design with its single-PSU rule.

    ``strata``: the stratum labels, sorted; ``psus``: PSUs sampled in each stratum in the full
    sample (responses, without clusters); ``population``: PSUs in the population of each stratum
    (inf: no finite population correction, sampling with replacement); ``clustered``: whether
    PSUs are clusters (else each response is its own PSU); ``lonely_psu``: one of
    ``LONELY_PSU_RULES``, as ``options(survey.lonely.psu = ...)``.

    Examples
    --------
    >>> units = SampleUnits.from_responses(stratum=["a", "a", "b"], psu=[1, 2, 7])
    >>> design = units.design(lonely_psu="adjust")
    >>> design.psus.tolist(), design.clustered
    ([2, 1], True)
    >>> design.describe()
    'strata: 2, clusters: 3 PSUs, weights; with replacement (no fpc); lonely PSU: adjust'
    """

    strata: np.ndarray
    psus: np.ndarray
    population: np.ndarray
    clustered: bool
    lonely_psu: str = "fail"

    def __post_init__(self):
        if self.lonely_psu not in LONELY_PSU_RULES:
            raise DesignError(
                f"lonely_psu {self.lonely_psu!r}: expected one of {', '.join(LONELY_PSU_RULES)}"
            )
        if np.any(self.population < self.psus):
            bad = self.strata[self.population < self.psus].tolist()
            raise DesignError(f"the fpc implies more than 100% sampling in strata {bad}")

    def describe(self) -> str:
        """The design in words, for a ``method`` column."""
        units = f"clusters: {int(self.psus.sum())} PSUs" if self.clustered else "no clusters"
        fpc = (
            "with replacement (no fpc)"
            if np.all(np.isinf(self.population))
            else "without replacement (fpc)"
        )
        return f"strata: {len(self.strata)}, {units}, weights; {fpc}; lonely PSU: {self.lonely_psu}"

    def stratum_index(self, labels: np.ndarray) -> np.ndarray:
        """Each label's position in ``strata`` (a DesignError for a stratum not in the design)."""
        labels = np.asarray(labels)
        index = np.searchsorted(self.strata, labels)
        index = np.minimum(index, len(self.strata) - 1)
        unknown = self.strata[index] != labels
        if np.any(unknown):
            raise DesignError(f"strata not in the design: {np.unique(labels[unknown]).tolist()}")
        return index


def _totals_by_unit(cls, stratum, psu, key: np.ndarray, sums: list[np.ndarray]):
    """A batch's totals (``cls``: CellTotals or MomentTotals): its responses' ``sums`` added
    per (stratum, PSU, ``key``); stratum and PSU None: one stratum, no clusters."""
    keys = [_labels(stratum, len(key))] + ([] if psu is None else [np.asarray(psu)])
    keys, sums = _group_sum([*keys, key], sums)
    return cls(keys[0], None if psu is None else keys[1], keys[-1], *sums)


def _combine_by_unit(cls, parts, key: str):
    """Several batches' totals together: rows with equal (stratum, PSU, ``key``) added."""
    if len({part.psu is None for part in parts}) != 1:
        raise DesignError("batches disagree on whether the design has clusters")
    clustered = parts[0].psu is not None
    keys = [np.concatenate([p.stratum for p in parts])]
    if clustered:
        keys.append(np.concatenate([p.psu for p in parts]))
    keys.append(np.concatenate([getattr(p, key) for p in parts]))
    columns = [np.concatenate([getattr(p, c) for p in parts]) for c in cls.SUMS]
    keys, sums = _group_sum(keys, columns)
    return cls(keys[0], keys[1] if clustered else None, keys[-1], *sums)


@dataclass(frozen=True)
class CellTotals:
    """Weighted counts of cells by sampling unit: one row per (stratum, PSU, cell) present, with
    its responses ``n``, sum of weights ``w`` and of squared weights ``w2`` (used by the
    variance without clusters). ``psu`` None: no clusters (rows per (stratum, cell)). A batch
    yields its own; ``combine`` adds them.

    Examples
    --------
    >>> totals = CellTotals.from_responses(cell=[0, 1, 1], weight=[1.0, 2.0, 3.0])
    >>> totals.cell.tolist(), totals.n.tolist(), totals.w.tolist(), totals.w2.tolist()
    ([0, 1], [1, 2], [1.0, 5.0], [1.0, 13.0])
    """

    stratum: np.ndarray
    psu: np.ndarray | None
    cell: np.ndarray
    n: np.ndarray
    w: np.ndarray
    w2: np.ndarray

    SUMS = ("n", "w", "w2")

    @classmethod
    def from_responses(cls, cell, weight, stratum=None, psu=None) -> CellTotals:
        """The totals of a batch's responses: each response's cell (int), weight (checked
        positive and finite), stratum and PSU labels (None: unstratified, unclustered)."""
        cell = np.asarray(cell, dtype="int64")
        weight = np.asarray(weight, dtype="float64")
        check_weights(weight)
        sums = [np.ones(len(cell), dtype="int64"), weight, weight**2]
        return _totals_by_unit(cls, stratum, psu, cell, sums)

    @classmethod
    def combine(cls, parts: Sequence[CellTotals]) -> CellTotals:
        """The totals of several batches together (rows with equal keys summed)."""
        return _combine_by_unit(cls, parts, "cell")

    def recode(self, cells: np.ndarray) -> CellTotals:
        """The totals with each cell c renamed ``cells[c]``; cells mapped to -1 are left out
        (outside the domain). Cells mapped to the same new cell are added."""
        new = np.asarray(cells, dtype="int64")[self.cell]
        keep = new >= 0
        keys = [self.stratum[keep]] + ([] if self.psu is None else [self.psu[keep]])
        keys, sums = _group_sum([*keys, new[keep]], [getattr(self, c)[keep] for c in self.SUMS])
        return CellTotals(keys[0], None if self.psu is None else keys[1], keys[-1], *sums)


@dataclass(frozen=True)
class MomentTotals:
    """Moment sums of a continuous score by sampling unit and domain: per (stratum, PSU, domain)
    the responses ``n`` and the sums of w, w y, w y**2, w**2, w**2 y, w**2 y**2 (the last three
    are used only without clusters, where each response is its own PSU). ``psu`` None: no
    clusters. A batch yields its own; ``combine`` adds them.

    Examples
    --------
    >>> m = MomentTotals.from_responses(values=[1.0, 2.0, 4.0], weight=[1.0, 1.0, 2.0])
    >>> m.sw.tolist(), m.swy.tolist(), m.swyy.tolist()
    ([4.0], [11.0], [37.0])
    """

    stratum: np.ndarray
    psu: np.ndarray | None
    domain: np.ndarray
    n: np.ndarray
    sw: np.ndarray
    swy: np.ndarray
    swyy: np.ndarray
    sww: np.ndarray
    swwy: np.ndarray
    swwyy: np.ndarray

    SUMS = ("n", "sw", "swy", "swyy", "sww", "swwy", "swwyy")

    @classmethod
    def from_responses(cls, values, weight, stratum=None, psu=None, domain=None) -> MomentTotals:
        """The sums of a batch's responses with a value (pass only those): the value, weight,
        stratum and PSU labels, and a domain code (int; None: one domain, 0)."""
        y = np.asarray(values, dtype="float64")
        w = np.asarray(weight, dtype="float64")
        check_weights(w)
        domain = np.zeros(len(y), "int64") if domain is None else np.asarray(domain, "int64")
        sums = [np.ones(len(y), dtype="int64"), w, w * y, w * y * y, w * w, w * w * y,
                w * w * y * y]  # fmt: skip
        return _totals_by_unit(cls, stratum, psu, domain, sums)

    @classmethod
    def combine(cls, parts: Sequence[MomentTotals]) -> MomentTotals:
        """The sums of several batches together."""
        return _combine_by_unit(cls, parts, "domain")

    def select(self, domain: int) -> MomentTotals:
        """The sums of one domain."""
        keep = self.domain == domain
        psu = None if self.psu is None else self.psu[keep]
        return MomentTotals(
            self.stratum[keep], psu, self.domain[keep],
            *(getattr(self, c)[keep] for c in self.SUMS),
        )  # fmt: skip


def _check_units(design: Design, psu) -> None:
    if (psu is not None) != design.clustered:
        raise DesignError("the totals and the design disagree on whether there are clusters")


def _variance(
    design: Design,
    stratum: np.ndarray,
    psu: np.ndarray | None,
    linear: np.ndarray,
    quadratic: np.ndarray | None,
) -> np.ndarray:
    """The ultimate-cluster variance (m x m) of the totals of influence values.

    ``linear``: per row, the sum of the influence vectors z_i (m) of its responses;
    ``quadratic``: per row, the sum of z_i z_i' (m x m), used without clusters (each response
    its own PSU). Rows of a clustered design are summed by PSU first. svyrecvar's onestrat and
    onestage, term for term (see the module docstring for the lonely-PSU rules).
    """
    _check_units(design, psu)
    m = linear.shape[1]
    if not len(stratum):
        return np.zeros((m, m))
    h = design.stratum_index(stratum)
    n_h = design.psus.astype("float64")
    population = design.population
    with np.errstate(invalid="ignore"):
        fraction = np.where(np.isinf(population), 1.0, (population - n_h) / population)
    scale = np.where(n_h > 1, fraction * n_h / np.maximum(n_h - 1, 1), fraction)
    present = np.unique(h)
    sums = np.zeros((len(design.strata), m, m))
    if design.clustered:
        (h_k, _), (t,) = _group_sum([h, np.asarray(psu)], [linear])  # PSU totals
        members = np.bincount(h_k, minlength=len(design.strata))
        mean = np.zeros((len(design.strata), m))
        np.add.at(mean, h_k, t)
        mean /= n_h[:, None]
        uncentred = (design.lonely_psu == "adjust") & (n_h == 1)
        deviation = t - np.where(uncentred[h_k, None], 0.0, mean[h_k])
        np.add.at(sums, h_k, deviation[:, :, None] * deviation[:, None, :])
        # PSUs of the stratum without a member of the domain: t = 0, deviation -mean
        empty = n_h - members
        sums += empty[:, None, None] * mean[:, :, None] * mean[:, None, :]
    else:
        total = np.zeros((len(design.strata), m))
        np.add.at(total, h, linear)
        np.add.at(sums, h, quadratic)
        uncentred = (design.lonely_psu == "adjust") & (n_h == 1)
        sums -= np.where(uncentred, 0.0, 1.0 / n_h)[:, None, None] * (
            total[:, :, None] * total[:, None, :]
        )
    variance = np.zeros((m, m))
    usable = 0
    for s in present:
        if fraction[s] < CERTAINTY_FRACTION:  # sampled completely: no variance, as svyrecvar
            usable += 1
            continue
        if design.psus[s] == 1:
            if design.lonely_psu == "fail":
                raise DesignError(
                    f"stratum {design.strata.tolist()[s]!r} has only one PSU (lonely PSU); "
                    f"declare how to treat it: lonely_psu one of {', '.join(LONELY_PSU_RULES[1:])}"
                )
            if design.lonely_psu == "average":
                continue  # left out; the others are scaled up below
        variance += scale[s] * sums[s]
        usable += 1
    if usable == 0:
        return np.full((m, m), np.nan)
    return variance * (len(present) / usable)


def degrees_of_freedom(design: Design, stratum: np.ndarray, psu, n: np.ndarray) -> int:
    """``survey::degf`` of the analysed domain: PSUs with a member minus strata with a member
    (without clusters, each response is a PSU).

    Examples
    --------
    >>> units = SampleUnits.from_responses(stratum=["a", "a", "b", "b"], psu=[1, 2, 3, 4])
    >>> totals = CellTotals.from_responses([0, 1, 0], [1.0, 1.0, 1.0], ["a", "a", "b"], [1, 2, 3])
    >>> degrees_of_freedom(units.design(), totals.stratum, totals.psu, totals.n)
    1
    """
    _check_units(design, psu)
    member = np.asarray(n) > 0
    strata = len(np.unique(np.asarray(stratum)[member]))
    if psu is None:
        return int(np.asarray(n)[member].sum()) - strata
    pairs, _ = _group_sum([np.asarray(stratum)[member], np.asarray(psu)[member]], [n[member]])
    return len(pairs[0]) - strata


def cell_variance(totals: CellTotals, design: Design, scores: np.ndarray) -> np.ndarray:
    """Design-based variance (m x m) of the total of z_i = w_i ``scores[cell_i]`` over the
    responses of ``totals`` (``scores``: cells x m, each cell's influence value per unit weight).

    Every linearised statistic here is such a total: a proportion's influence value is
    (1[cell in numerator] - p) / W per unit weight, a mean's (y - mean) / W, a model's the
    cell's score times the inverse information.

    Examples
    --------
    >>> units = SampleUnits.from_responses(length=4)
    >>> totals = CellTotals.from_responses(cell=[0, 1, 1, 1], weight=[1.0] * 4)
    >>> p = 0.75  # the share in cell 1; the variance of p (with replacement): p(1-p)/(n-1)
    >>> float(cell_variance(totals, units.design(), np.array([[-p], [1 - p]]) / 4)[0, 0])
    0.0625
    """
    scores = np.asarray(scores, dtype="float64").reshape(len(scores), -1)
    a = scores[totals.cell]
    linear = totals.w[:, None] * a
    quadratic = None
    if totals.psu is None:
        quadratic = totals.w2[:, None, None] * a[:, :, None] * a[:, None, :]
    return _variance(design, totals.stratum, totals.psu, linear, quadratic)


def _fmm_spline(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients (b, c, d) of the cubic interpolating spline through (x, y), x increasing,
    with Forsythe, Malcolm & Moler's (1977) end conditions (the third derivative at each end
    matches that of the cubic through the four end points): R's ``spline(method = "fmm")``.
    On [x_i, x_i+1] the spline is y_i + u (b_i + u (c_i + u d_i)), u = t - x_i."""
    n = len(x)
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 3:
        b[:] = (y[1] - y[0]) / (x[1] - x[0])
        return b, c, d
    # tridiagonal system for the second derivatives / 2: diagonal b, off-diagonal d, rhs c
    d[0] = x[1] - x[0]
    c[1] = (y[1] - y[0]) / d[0]
    for i in range(1, n - 1):
        d[i] = x[i + 1] - x[i]
        b[i] = 2.0 * (d[i - 1] + d[i])
        c[i + 1] = (y[i + 1] - y[i]) / d[i]
        c[i] = c[i + 1] - c[i]
    b[0], b[n - 1] = -d[0], -d[n - 2]
    c[0] = c[n - 1] = 0.0
    if n > 3:  # third derivatives at the ends from divided differences
        c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
        c[n - 1] = c[n - 2] / (x[n - 1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
        c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
        c[n - 1] = -c[n - 1] * d[n - 2] * d[n - 2] / (x[n - 1] - x[n - 4])
    for i in range(1, n):  # elimination
        t = d[i - 1] / b[i - 1]
        b[i] = b[i] - t * d[i - 1]
        c[i] = c[i] - t * c[i - 1]
    c[n - 1] = c[n - 1] / b[n - 1]  # back substitution
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
    b[n - 1] = (y[n - 1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[n - 1])
    for i in range(n - 1):
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]
        c[i] = 3.0 * c[i]
    c[n - 1] = 3.0 * c[n - 1]
    d[n - 1] = d[n - 2]
    return b, c, d


def _spline_points(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's ``spline(x, y)``: the fmm spline at 3 len(x) equally spaced points over range(x)."""
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    b, c, d = _fmm_spline(x, y)
    count = 3 * len(x)
    grid = x[0] + np.arange(count) * ((x[-1] - x[0]) / (count - 1))
    grid[-1] = x[-1]
    i = np.clip(np.searchsorted(x, grid, side="right") - 1, 0, len(x) - 1)
    u = grid - x[i]
    return grid, y[i] + u * (b[i] + u * (c[i] + u * d[i]))


def _interpolate(x: np.ndarray, y: np.ndarray, at: float) -> float:
    """R's ``approx(x, y, xout = at)``: linear interpolation, the y of tied x averaged (ties =
    mean), NaN outside range(x)."""
    x, inverse = np.unique(x, return_inverse=True)
    y = np.bincount(inverse, weights=y) / np.bincount(inverse)
    if not x[0] <= at <= x[-1]:
        return np.nan
    j = int(np.searchsorted(x, at, side="left"))
    if x[j] == at:
        return float(y[j])
    i = j - 1
    return float(y[i] + (y[j] - y[i]) * ((at - x[i]) / (x[j] - x[i])))


def _likelihood_interval(p: float, variance: float, df: float, level: float, n: int):
    """svyciprop(method = "likelihood") as survey 4.1 computes it (confint.svyglm's likelihood
    method on the intercept-only quasibinomial svyglm): the profile of the deviance, with the
    weights rescaled to mean 1, divided by the dispersion (survey's design-based variance of the
    Pearson residuals with the sampling weights divided out, n / (n - 1) at the fit), evaluated
    at up to 9 steps of zmax/5 standard errors each side of logit(p) (MASS's profile grid),
    interpolated by R's fmm spline, and cut at +-qt(alpha/2, df) sqrt(deff of the logit)
    (Rao-Scott scaling). The spline makes this an approximation of the profile interval, kept
    as R has it so that the two agree. No interval on 0 df (NaN, as the other methods give;
    R stops there, its F quantile needing a positive denominator df)."""
    if not 0 < p < 1 or n < 2 or not df > 0:
        return np.nan, np.nan
    dispersion = n / (n - 1)
    beta0 = float(special.logit(p))
    std_error = np.sqrt(variance) / (p * (1 - p))  # of the logit
    ratio = variance / (p * (1 - p) / n)  # design over naive variance of the logit
    alpha = special.ndtr(_t_quantile((1 - level) / 2, df) * np.sqrt(ratio)) / 2
    z_max = -_t_quantile(alpha / 2, n - 1)  # sqrt(qf(alpha, 1, n - 1, lower.tail = FALSE))
    step_size = z_max / 5
    rescaled_in, rescaled_out = n * p, n * (1 - p)  # sums of the weights rescaled to mean 1

    def deviance(beta):
        # binomial()$linkinv clamps the odds at [eps, 1/eps] beyond |eta| = 30, so the profile
        # goes flat there (it matters only on very few df, where the steps are long)
        odds = np.exp(beta) if abs(beta) <= 30 else EPSILON if beta < 0 else 1 / EPSILON
        mu = odds / (1 + odds)
        return -2 * (rescaled_in * np.log(mu) + rescaled_out * np.log1p(-mu))

    base = deviance(beta0)
    points, zs = [beta0], [0.0]
    for sign in (-1, 1):
        step, z = 0, 0.0
        while (step := step + 1) < 10 and abs(z) < z_max:
            beta = beta0 + sign * step * step_size * std_error
            z = sign * np.sqrt(max((deviance(beta) - base) / dispersion, 0.0))
            points.append(beta)
            zs.append(z)
    grid, spline = _spline_points(np.array(points), np.array(zs))  # sorted by the points there
    cut = float(special.ndtri(2 * alpha))
    low, high = _interpolate(spline, grid, cut), _interpolate(spline, grid, -cut)
    return float(special.expit(low)), float(special.expit(high))


def _t_quantile(probability: float, df: float) -> float:
    """qt(probability, df); the normal quantile for infinite df, NaN for df <= 0."""
    if not df > 0:
        return np.nan
    if np.isinf(df):
        return float(special.ndtri(probability))
    return float(special.stdtrit(df, probability))


def _qbeta(probability: float, a: float, b: float) -> float:
    """R's qbeta, with its point masses at 0 (a = 0) and 1 (b = 0)."""
    if a == 0:
        return 0.0
    if b == 0:
        return 1.0
    return float(special.betaincinv(a, b, probability))


def proportion_interval(
    p: float,
    variance: float,
    df: float,
    n: int,
    level: float = 0.95,
    method: str = "logit",
) -> tuple[float, float]:
    """A confidence interval for a design-based proportion, as ``survey::svyciprop(method=)``.

    ``p`` and its linearisation ``variance``; ``df`` the design's degrees of freedom (``degf``);
    ``n`` the responses in the domain (``nrow`` of the domain's design, used by "beta").
    With t = qt(1 - alpha/2, df) and se = sqrt(variance):

    - ``logit``: expit(logit(p) +- t se / (p (1 - p))) (svyciprop fits a quasibinomial
      ``svyglm``; its Wald interval on the logit scale is this one, up to the glm's convergence);
    - ``xlogit``: the same formula from ``svymean`` (SUDAAN's and SPSS's interval);
    - ``asin``: sin(asin(sqrt(p)) +- t se / (2 sqrt(p (1 - p))))**2;
    - ``mean``: p +- t se (Wald);
    - ``beta``: Korn & Graubard (1998): the Clopper-Pearson interval for the effective sample
      size n_eff = p (1 - p) / variance * (qt(alpha/2, n - 1) / qt(alpha/2, df))**2, i.e.
      qbeta(alpha/2, n_eff p, n_eff (1 - p) + 1), qbeta(1 - alpha/2, n_eff p + 1, n_eff (1 - p));
    - ``likelihood``: the design-scaled profile likelihood interval of svyciprop (Rao-Scott
      scaling of the quasibinomial deviance), computed as R computes it, from its profile points
      and spline (``_likelihood_interval``).

    The logit, xlogit and asin intervals are undefined at p = 0 or 1 (NaN), as in R.

    Examples
    --------
    >>> [round(x, 6) for x in proportion_interval(0.3, 0.0004, df=99, n=100, method="logit")]
    [0.26187, 0.341116]
    >>> [round(x, 6) for x in proportion_interval(0.3, 0.0004, df=99, n=100, method="beta")]
    [0.261069, 0.3412]
    """
    if method not in PROPORTION_METHODS:
        raise ValueError(f"method {method!r}: expected one of {', '.join(PROPORTION_METHODS)}")
    alpha = 1 - level
    t = _t_quantile(1 - alpha / 2, df)
    se = np.sqrt(variance)
    if method == "mean":
        return p - t * se, p + t * se
    if method in ("logit", "xlogit"):
        if method == "logit" and df > 0:
            # confint.svyglm turns the t quantile into a normal one through pnorm and qnorm
            # (1 - 2 pnorm(qt) is 1 beyond |qt| of about 8.3: an infinite quantile, [0, 1];
            # survey's own expit then gives NaN for the upper limit, Inf / Inf)
            outside = (1 - (1 - 2 * special.ndtr(-t))) / 2
            t = float(special.ndtri(1 - outside))
        with np.errstate(divide="ignore", invalid="ignore"):
            centre, half = special.logit(p), t * se / (p * (1 - p))
            return float(special.expit(centre - half)), float(special.expit(centre + half))
    if method == "asin":
        with np.errstate(divide="ignore", invalid="ignore"):
            centre, half = np.arcsin(np.sqrt(p)), t * se / (2 * np.sqrt(p * (1 - p)))
        return float(np.sin(centre - half) ** 2), float(np.sin(centre + half) ** 2)
    if method == "beta":  # no variance: no effective sample size (p and variance as floats)
        n_eff = _ratio(p * (1 - p), variance)
        n_eff *= (_t_quantile(alpha / 2, n - 1) / _t_quantile(alpha / 2, df)) ** 2
        if not np.isfinite(n_eff):
            return np.nan, np.nan
        return (
            _qbeta(alpha / 2, n_eff * p, n_eff * (1 - p) + 1),
            _qbeta(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)),
        )
    return _likelihood_interval(p, variance, df, level, n)


@dataclass(frozen=True)
class Estimate:
    """A design-based estimate with its standard error, interval, design effect and counts.

    ``n``: responses in the domain (unweighted: disclosure rules act on it); ``count``:
    responses in the numerator of a proportion (None for a mean); ``weight``: the domain's sum
    of weights (its estimated population size); ``deff``: the design effect against
    ``DEFF_VARIANTS[deff_variant]``; ``n_effective``: n / deff.
    """

    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    df: int
    deff: float
    n_effective: float
    n: int
    count: int | None
    weight: float
    method: str


def _empty(method: str, count: int | None = None) -> Estimate:
    """The estimate of a domain without responses: NaN, with n = 0."""
    nan = float("nan")
    return Estimate(nan, nan, nan, nan, 0, nan, nan, 0, count, 0.0, method)


def _srs_variance(variance_of_values: float, weight: float, n: int, deff_variant: str) -> float:
    """svymean's denominator of the design effect: the variance of the mean under simple
    random sampling of n from a population of ``weight`` (svyvar: n / (n - 1) times the
    weighted variance of the values), without replacement (survey's default, deff = TRUE; NaN
    when the weights sum to less than n, as survey warns) or with replacement ('replace')."""
    if deff_variant not in DEFF_VARIANTS:
        raise ValueError(f"deff_variant {deff_variant!r}: expected one of {list(DEFF_VARIANTS)}")
    if n < 2:
        return np.nan
    s2 = variance_of_values * n / (n - 1)
    if deff_variant == "srswr":
        return s2 / n
    if weight < n:
        return np.nan
    return s2 * (weight - n) / (weight * n)


def _ratio(a: float, b: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(a) / np.float64(b))


def proportions(
    totals: CellTotals,
    design: Design,
    categories: int,
    level: float = 0.95,
    method: str = "logit",
    deff_variant: str = "srswor",
) -> list[Estimate]:
    """The share of each category 0 .. ``categories`` - 1 among the responses of ``totals``
    (the domain: pass only its cells, ``CellTotals.recode``), as ``svymean(~factor(q), subset(
    design, <domain>), deff = TRUE)`` and ``svyciprop(~I(q == c), ..., method = method)``.

    p_c = W_c / W (sums of weights); its influence value per unit weight is (1[c] - p_c) / W.
    The interval is ``proportion_interval`` on ``degf`` of the domain.

    Examples
    --------
    >>> units = SampleUnits.from_responses(stratum=[0, 0, 0, 0, 1, 1, 1, 1])
    >>> cells, weights = [0, 1, 1, 1, 0, 0, 1, 1], [2.0, 1, 1, 1, 3, 3, 1, 1]
    >>> totals = CellTotals.from_responses(cells, weights, stratum=[0] * 4 + [1] * 4)
    >>> share = proportions(totals, units.design(), 2, method="beta", deff_variant="srswr")[1]
    >>> round(share.estimate, 4), round(share.std_error, 4), round(share.deff, 4), share.count
    (0.3846, 0.1898, 1.0659, 5)
    """
    return _proportions(totals, design, categories, level, method, deff_variant)


def _proportions(totals, design, categories, level, method, deff_variant):
    if np.any(totals.cell >= categories) or np.any(totals.cell < 0):  # before bincount's own
        raise ValueError(f"cells outside 0 .. {categories - 1}")
    w_c = np.bincount(totals.cell, weights=totals.w, minlength=categories)[:categories]
    n_c = np.bincount(totals.cell, weights=totals.n, minlength=categories)[:categories]
    weight, n = float(w_c.sum()), int(n_c.sum())
    if n == 0:  # an empty domain: no estimate, said so, rather than a division by zero
        said = proportion_method(design, method, level, 0, deff_variant)
        return [_empty(f"no responses in the domain; {said}", count=0)] * categories
    p = w_c / weight
    scores = (np.eye(categories) - p[None, :]) / weight  # cell x category
    covariance = cell_variance(totals, design, scores)
    df = degrees_of_freedom(design, totals.stratum, totals.psu, totals.n)
    results = []
    for c in range(categories):
        variance = float(covariance[c, c])
        low, high = proportion_interval(p[c], variance, df, n, level, method)
        srs = _srs_variance(p[c] * (1 - p[c]), weight, n, deff_variant)
        deff = _ratio(variance, srs)
        results.append(
            Estimate(
                float(p[c]), float(np.sqrt(variance)), float(low), float(high), df, deff,
                _ratio(n, deff), n, int(n_c[c]), weight,
                proportion_method(design, method, level, df, deff_variant),
            )
        )  # fmt: skip
    return results


def proportion(
    totals: CellTotals,
    design: Design,
    numerator: np.ndarray,
    level: float = 0.95,
    method: str = "logit",
    deff_variant: str = "srswor",
) -> Estimate:
    """The share of responses whose cell is in ``numerator`` (a boolean per cell: e.g. the agree
    codes of a statement) among the responses of ``totals`` (the domain), as
    ``svyciprop(~I(q %in% agree), subset(design, <domain>), method = method)`` with the design
    effect of ``svymean``.

    Examples
    --------
    >>> units = SampleUnits.from_responses(length=5)
    >>> totals = CellTotals.from_responses(cell=[0, 1, 2, 3, 4], weight=[1.0, 1, 1, 2, 1])
    >>> agree = np.array([False, False, False, True, True])  # codes 4 and 5 of 1..5
    >>> e = proportion(totals, units.design(), agree, method="mean", deff_variant="srswr")
    >>> round(e.estimate, 4), e.count, e.n
    (0.5, 2, 5)
    """
    binary = totals.recode(numerator)  # booleans as cells 0 and 1
    return _proportions(binary, design, 2, level, method, deff_variant)[1]


def proportion_method(design: Design, method: str, level: float, df: int, deff: str) -> str:
    """The ``method`` text of a design-based proportion."""
    return (
        f"design-based proportion, Taylor linearisation ({design.describe()}); "
        f"{100 * level:g}% {method} interval on {df} df (survey::svyciprop method = '{method}'); "
        f"design effect against {DEFF_VARIANTS[deff]}"
    )


def cell_mean(
    totals: CellTotals,
    design: Design,
    values: np.ndarray,
    level: float = 0.95,
    deff_variant: str = "srswor",
    design_df: bool = False,
) -> Estimate:
    """The weighted mean of ``values[cell]`` over the responses of ``totals`` (the domain), as
    ``svymean(~y, subset(design, <domain>), deff = TRUE)``: the mean of an item's codes from its
    category cells, or of a theme score from its distinct values. Influence value per unit weight
    (y_c - mean) / W. Interval: mean +- z se (``confint`` of an svymean), or +- t on the domain's
    ``degf`` with ``design_df``.

    Examples
    --------
    >>> units = SampleUnits.from_responses(length=4)
    >>> totals = CellTotals.from_responses(cell=[0, 1, 2, 2], weight=[1.0, 1, 1, 1])
    >>> m = cell_mean(totals, units.design(), values=np.array([1.0, 2.0, 4.0]))
    >>> round(m.estimate, 4), round(m.std_error, 4)  # s / sqrt(n) = 1.5 / 2: SRS with replacement
    (2.75, 0.75)
    """
    values = np.asarray(values, dtype="float64")
    weight = float(totals.w.sum())
    n = int(totals.n.sum())
    if n == 0:
        return _empty("no responses in the domain; design-based weighted mean")
    mean = float(totals.w @ values[totals.cell]) / weight
    deviation = values - mean
    variance = float(cell_variance(totals, design, (deviation / weight)[:, None])[0, 0])
    spread = float(totals.w @ deviation[totals.cell] ** 2) / weight
    df = degrees_of_freedom(design, totals.stratum, totals.psu, totals.n)
    return _mean_estimate(mean, variance, spread, weight, n, df, design, level, deff_variant,
                          design_df)  # fmt: skip


def _mean_estimate(mean, variance, spread, weight, n, df, design, level, deff_variant, design_df):
    quantile = _t_quantile(0.5 + level / 2, df if design_df else np.inf)
    se = float(np.sqrt(variance))
    deff = _ratio(variance, _srs_variance(spread, weight, n, deff_variant))
    interval = f"t on {df} df" if design_df else "normal quantile (confint of svymean)"
    method = (
        f"design-based weighted mean, Taylor linearisation ({design.describe()}); "
        f"{100 * level:g}% Wald interval, {interval}; design effect against "
        f"{DEFF_VARIANTS[deff_variant]}"
    )
    return Estimate(mean, se, mean - quantile * se, mean + quantile * se, df, deff,
                    _ratio(n, deff), n, None, weight, method)  # fmt: skip


def mean(
    moments: MomentTotals,
    design: Design,
    level: float = 0.95,
    deff_variant: str = "srswor",
    design_df: bool = False,
) -> Estimate:
    """The weighted mean of a score over the responses of ``moments`` (one domain: ``select``),
    as ``svymean(~y, subset(design, <domain>), deff = TRUE)``, from moment sums.

    mean = sum(w y) / W; a PSU's influence total is (sum w y - mean sum w) / W; without
    clusters, the sum over responses of its square, (sum w**2 y**2 - 2 mean sum w**2 y + mean**2
    sum w**2) / W**2. The design effect's variance of the values is sum w (y - mean)**2 / W.
    Interval as ``cell_mean``.

    Examples
    --------
    >>> units = SampleUnits.from_responses(length=4)
    >>> moments = MomentTotals.from_responses(values=[1.0, 2.0, 4.0, 4.0], weight=[1.0] * 4)
    >>> m = mean(moments, units.design())
    >>> round(m.estimate, 4), round(m.std_error, 4)  # as cell_mean's example
    (2.75, 0.75)
    """
    if len(np.unique(moments.domain)) > 1:
        raise ValueError("moments of several domains: select one")
    weight = float(moments.sw.sum())
    n = int(moments.n.sum())
    if n == 0:
        return _empty("no responses in the domain; design-based weighted mean")
    mean_ = float(moments.swy.sum()) / weight
    linear = ((moments.swy - mean_ * moments.sw) / weight)[:, None]
    quadratic = None
    if moments.psu is None:
        quadratic = (
            (moments.swwyy - 2 * mean_ * moments.swwy + mean_**2 * moments.sww) / weight**2
        )[:, None, None]
    variance = float(_variance(design, moments.stratum, moments.psu, linear, quadratic)[0, 0])
    spread = float(moments.swyy.sum() - 2 * mean_ * moments.swy.sum() + mean_**2 * weight)
    spread /= weight
    df = degrees_of_freedom(design, moments.stratum, moments.psu, moments.n)
    return _mean_estimate(mean_, variance, spread, weight, n, df, design, level, deff_variant,
                          design_df)  # fmt: skip
