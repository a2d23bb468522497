"""Synthetic exports of the two design examples (issue 23): a weighted national-style sample with
strata and clusters (config/examples/national_weighted/) and a before-and-after survey
(config/examples/before_after/). Invented numbers: plausible answers, nothing more.

    PYTHONPATH=tools:workflow/scripts python -m likertflow_tools.synthetic.design_examples [OUT]

OUT defaults to resources/examples; the same seed gives the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

AGREEMENT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
             "Strongly agree"]  # fmt: skip
NATIONAL_STATEMENTS = {
    "Local services - My GP practice is easy to get through to": -0.2,
    "Local services - I trust the local hospital": 0.4,
    "Local services - Public transport meets my needs": -0.5,
    "Local services - My area is a good place to grow old": 0.1,
}
COURSE_STATEMENTS = {
    "I feel confident managing my condition": 0.6,
    "I know when to ask for help": 0.4,
    "I can fit exercise into my week": 0.5,
    "I understand my medicines": 0.1,
}
SEED = 20260105


def _answers(rng, latent, shift, blank=0.0):
    """A 5-point answer from a latent trait and a shift; ``blank``: share left blank."""
    cuts = np.array([-1.4, -0.5, 0.3, 1.2])
    position = np.searchsorted(cuts, latent + shift + rng.normal(scale=0.8, size=len(latent)))
    labels = np.array(AGREEMENT, dtype=object)[position]
    labels[rng.random(len(latent)) < blank] = ""
    return labels


def national(rng) -> dict[str, pd.DataFrame]:
    """A stratified two-stage sample: regions (strata), areas (PSUs) sampled from the region's
    areas, people within areas; weights = region's population share / sample share, times a
    non-response adjustment. The region "Islands" has a single sampled area (a lonely PSU)."""
    regions = {"North": (6, 60), "Midlands": (5, 45), "South": (6, 70), "London": (4, 30),
               "Islands": (1, 3)}  # sampled areas, areas in the population  # fmt: skip
    rows = []
    for region, (sampled, population) in regions.items():
        for area in range(1, sampled + 1):
            size = int(rng.integers(18, 34))
            area_effect = rng.normal(scale=0.35)
            base = population / sampled * 1200 / size
            for _ in range(size):
                rows.append((region, f"{region[:2].upper()}{area:02d}", population,
                             base * rng.lognormal(sigma=0.3), area_effect))  # fmt: skip
    frame = pd.DataFrame(rows, columns=["Region", "Area", "Areas in region", "Weight", "effect"])
    n = len(frame)
    frame["Sex"] = np.where(rng.random(n) < 0.52, "Woman", "Man")
    frame["Age band"] = rng.choice(["18-34", "35-64", "65 and over"], size=n, p=[0.28, 0.5, 0.22])
    latent = rng.normal(size=n) + frame["effect"].to_numpy() + 0.3 * (frame["Sex"] == "Woman")
    latent += 0.4 * (frame["Age band"] == "65 and over")
    for text, shift in NATIONAL_STATEMENTS.items():
        frame[text] = _answers(rng, latent, shift, blank=0.03)
    frame["Weight"] = frame["Weight"].round(4)
    frame.insert(0, "ResponseId", [f"N{i:05d}" for i in rng.permutation(n) + 1])
    frame = frame.drop(columns="effect")
    half = n // 2
    return {"wave_2026-01": frame.iloc[:half], "wave_2026-02": frame.iloc[half:]}


def before_after(rng) -> dict[str, dict[str, pd.DataFrame]]:
    """A self-management course: 240 learners asked before; 190 of them, and 12 newcomers,
    after, with the answers shifted up; some learners leave the linking id blank."""
    n = 240
    learners = np.array([f"L{i:04d}" for i in rng.permutation(n) + 1], dtype=object)
    latent = rng.normal(size=n)
    before = pd.DataFrame({"ResponseId": [f"B{i:04d}" for i in range(1, n + 1)],
                           "Learner ID": learners})  # fmt: skip
    for text, _ in COURSE_STATEMENTS.items():
        before[text] = _answers(rng, latent, -0.2)
    stayed = rng.permutation(n)[:190]
    after_latent = latent[stayed]
    after_ids = np.concatenate([learners[stayed], [f"L{i:04d}" for i in range(901, 913)]])
    after_latent = np.concatenate([after_latent, rng.normal(size=12)])
    after = pd.DataFrame({"ResponseId": [f"A{i:04d}" for i in range(1, len(after_ids) + 1)],
                          "Learner ID": after_ids})  # fmt: skip
    for text, shift in COURSE_STATEMENTS.items():
        after[text] = _answers(rng, after_latent, shift - 0.2)
    after.loc[rng.random(len(after)) < 0.02, "Learner ID"] = ""
    return {"baseline": {"export_2026-01-10": before}, "followup": {"export_2026-03-20": after}}


def with_age_and_person(batches: dict[str, pd.DataFrame], rng) -> dict[str, pd.DataFrame]:
    """The adults' exports with an age in years within each age band (a numeric question, banded
    in the config) and a person id that links a follow-up wave (the same number as ResponseId)."""
    ages = {"18-34": (18, 35), "35-64": (35, 65), "65 and over": (65, 91)}
    out = {}
    for name, frame in batches.items():
        frame = frame.copy()
        low = frame["Age band"].map(lambda band: ages[band][0]).to_numpy()
        high = frame["Age band"].map(lambda band: ages[band][1]).to_numpy()
        frame.insert(frame.columns.get_loc("Age band") + 1, "Age", rng.integers(low, high))
        frame.insert(1, "Person ID", "P" + frame["ResponseId"].str[1:])
        out[name] = frame
    return out


def carers(rng) -> dict[str, pd.DataFrame]:
    """An independent sample of unpaid carers, stratified by urban and rural, without clusters:
    weight = carers in the stratum / carers sampled, times a non-response adjustment; the fpc is
    the stratum's carers."""
    strata = {"Urban": (110, 2400), "Rural": (70, 900)}  # sampled, carers in the population
    frames = []
    for stratum, (sampled, population) in strata.items():
        latent = rng.normal(size=sampled) - 0.3 + 0.3 * (stratum == "Rural")
        frame = pd.DataFrame({
            "Setting": stratum, "Carers in setting": population,
            "Weight": (population / sampled * rng.lognormal(sigma=0.25, size=sampled)).round(4),
        })  # fmt: skip
        for text, shift in NATIONAL_STATEMENTS.items():
            frame[text] = _answers(rng, latent, shift, blank=0.02)
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    frame.insert(0, "ResponseId", [f"C{i:04d}" for i in rng.permutation(len(frame)) + 1])
    return {"carers_2026-01": frame}


def followup(batches: dict[str, pd.DataFrame], rng) -> dict[str, pd.DataFrame]:
    """The adults asked again a year later (a panel): about 60% of them, their answers moved up a
    little (each answer a step up, down or unchanged), and 10 people whose id matches no adult."""
    adults = pd.concat(batches.values(), ignore_index=True)
    again = adults[rng.random(len(adults)) < 0.6].reset_index(drop=True)
    frame = pd.DataFrame({"ResponseId": [f"F{i:05d}" for i in range(1, len(again) + 11)],
                          "Person ID": [*again["Person ID"], *(f"P9{i:04d}" for i in range(10))]})
    for text in NATIONAL_STATEMENTS:
        before = pd.Index(AGREEMENT).get_indexer(again[text])  # -1: left blank
        before = np.concatenate([before, rng.integers(0, 5, size=10)])
        step = rng.choice([-1, 0, 1], size=len(before), p=[0.15, 0.55, 0.3])
        start = np.where(before < 0, rng.integers(0, 5, size=len(before)), before)
        frame[text] = np.array(AGREEMENT, dtype=object)[np.clip(start + step, 0, 4)]
        frame.loc[rng.random(len(frame)) < 0.02, text] = ""
    return {"wave_2027-01": frame}


def main(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    adults = national(rng)
    exports = {}
    for survey, batches in before_after(rng).items():
        exports[f"before_after/raw/{survey}"] = batches
    more = np.random.default_rng(SEED + 1)  # added later: the draws above stay as they were
    adults = with_age_and_person(adults, more)
    exports["national_weighted/raw/adults"] = adults
    exports["national_weighted/raw/carers"] = carers(more)
    exports["national_weighted/raw/adults_followup"] = followup(adults, more)
    for folder, batches in exports.items():
        for name, frame in batches.items():
            path = out / folder / f"{name}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            frame.to_csv(path, index=False, lineterminator="\n")
            print(f"{path}: {len(frame)} responses")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("resources/examples"))
