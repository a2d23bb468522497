"""Write the synthetic before-and-after pairs that tests/unit/test_paired.py and
tests/r/paired.R share.

Usage (from the repository root): python3 tests/r/paired_data.py
Writes tests/data/paired.csv: scenario, scale (the number of points, codes 1..scale), id, before,
after. Scenarios: a 5-point course evaluation with a shift up (zeros and ties), a 7-point one
with a small shift, a yes/no item (McNemar), four pairs with distinct non-zero differences (R's
exact p), ten pairs with zeros and ties (normal approximation below 50 pairs), and six pairs of
which one changed.
"""

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"


def likert(rng, n, points, shift):
    latent = rng.normal(size=n)
    cuts = np.linspace(-1.5, 1.5, points - 1)
    before = np.searchsorted(cuts, latent + rng.normal(scale=0.6, size=n)) + 1
    after = np.searchsorted(cuts, latent + shift + rng.normal(scale=0.6, size=n)) + 1
    return before, after


def main():
    rng = np.random.default_rng(230523)
    parts = []

    def add(name, scale, before, after):
        parts.append(pd.DataFrame({"scenario": name, "scale": scale,
                                   "id": [f"{name}-{i}" for i in range(len(before))],
                                   "before": before, "after": after}))  # fmt: skip

    add("course", 5, *likert(rng, 150, 5, 0.35))
    add("seven", 7, *likert(rng, 400, 7, 0.1))
    yes_before = (rng.random(80) < 0.4).astype(int) + 1
    yes_after = np.where(rng.random(80) < 0.3, 3 - yes_before, yes_before)
    add("yes_no", 2, yes_before, yes_after)
    add("exact_small", 5, [1, 4, 1, 1], [2, 2, 4, 5])
    add("ties_small", 5, [3, 3, 2, 4, 1, 5, 2, 3, 4, 2], [4, 3, 3, 5, 1, 4, 4, 4, 4, 3])
    add("one_change", 5, [3, 3, 4, 2, 5, 1], [3, 3, 4, 2, 5, 2])
    pd.concat(parts, ignore_index=True).to_csv(DATA / "paired.csv", index=False)


if __name__ == "__main__":
    main()
