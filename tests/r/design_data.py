"""Write the synthetic survey samples the design tests and tests/r/design_survey.R share.

Usage (from the repository root): python3 tests/r/design_data.py
Writes tests/data/design_national.csv (a stratified national-style sample, no clusters) and
tests/data/design_clustered.csv (strata and clusters; stratum D has a single PSU). Both have
weights that vary within strata and clusters, Likert items q1..q3 coded 1..5 with some missing,
a theme score (the mean of q1..q3 where all three are answered), sex (F/M), an age band (3
levels), a finished flag (the domain of "exclusions") and, per stratum, the population size
(PSUs for the clustered sample, people for the national one) for the fpc variants.
"""

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"


def items(rng, n, shift):
    """Three correlated 1..5 items with about 5 % missing each."""
    latent = rng.normal(size=n) + shift
    columns = {}
    for name, cuts in [("q1", [-1.2, -0.3, 0.4, 1.3]), ("q2", [-1.5, -0.5, 0.5, 1.0]),
                       ("q3", [-0.8, 0.0, 0.8, 1.8])]:  # fmt: skip
        values = np.searchsorted(cuts, latent + rng.normal(scale=0.8, size=n)) + 1.0
        values[rng.random(n) < 0.05] = np.nan
        columns[name] = values
    return columns


def finish(frame, rng):
    n = len(frame)
    frame["sex"] = np.where(rng.random(n) < 0.55, "F", "M")
    frame["age"] = rng.choice(["18-34", "35-64", "65+"], size=n, p=[0.3, 0.5, 0.2])
    shift = 0.3 * (frame["sex"] == "F") + 0.4 * (frame["age"] == "65+")
    for name, values in items(rng, n, shift.to_numpy()).items():
        frame[name] = values
    frame["score"] = frame[["q1", "q2", "q3"]].mean(axis=1, skipna=False).round(12)
    frame["finished"] = rng.random(n) < 0.9
    frame.insert(0, "id", np.arange(1, n + 1))
    return frame


def national(rng):
    sizes = {"North": 220, "Midlands": 160, "East": 110, "London": 70, "South": 40}
    population = {"North": 60000, "Midlands": 35000, "East": 22000, "London": 40000,
                  "South": 9000}  # fmt: skip
    parts = []
    for stratum, n in sizes.items():
        base = population[stratum] / n
        weight = base * rng.lognormal(sigma=0.35, size=n)  # non-response adjustment
        parts.append(pd.DataFrame({"stratum": stratum, "weight": weight,
                                   "population": population[stratum]}))  # fmt: skip
    return finish(pd.concat(parts, ignore_index=True), rng)


def clustered(rng):
    psus = {"A": 5, "B": 4, "C": 3, "D": 1}  # D: a single PSU (lonely)
    population = {"A": 40, "B": 30, "C": 9, "D": 4}
    parts = []
    for stratum, k in psus.items():
        for j in range(k):
            n = int(rng.integers(8, 26))
            weight = population[stratum] / k * 50 * rng.lognormal(sigma=0.4, size=n)
            parts.append(
                pd.DataFrame(
                    {
                        "stratum": stratum,
                        "psu": f"{stratum}{j + 1}",
                        "weight": weight,
                        "population": population[stratum],
                    }
                )
            )
    frame = finish(pd.concat(parts, ignore_index=True), rng)
    # cluster effects: shift q1 by PSU
    effect = {psu: e for psu, e in zip(frame["psu"].unique(), rng.normal(scale=0.7, size=13),
                                       strict=True)}  # fmt: skip
    q1 = frame["q1"] + np.round(frame["psu"].map(effect))
    frame["q1"] = q1.clip(1, 5)
    frame["score"] = frame[["q1", "q2", "q3"]].mean(axis=1, skipna=False).round(12)
    return frame


if __name__ == "__main__":
    rng = np.random.default_rng(20240523)
    national(rng).to_csv(DATA / "design_national.csv", index=False, float_format="%.17g")
    clustered(rng).to_csv(DATA / "design_clustered.csv", index=False, float_format="%.17g")
