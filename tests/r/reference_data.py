"""Write the data sets on which R recomputes Dunn's test and the Brant test (tests/r/dunn.R,
tests/r/brant.R): the shipped study's analysed data, taken from a workflow run, and synthetic
sets drawn here with fixed seeds.

Usage (from the repository root, after a workflow run of the shipped study into <run>):
    /work/main/.venv/bin/python tests/r/reference_data.py <run>/results tests/r/data
    Rscript tests/r/dunn.R tests/r/data/dunn_data.csv tests/expected/dunn_reference.csv
    Rscript tests/r/brant.R tests/r/data/brant_data.csv tests/expected/brant_reference.csv

dunn_data.csv: dataset, group (its label), group_position (the comparison's order), value; one
row per respondent with a value. The shipped sets are every Kruskal-Wallis comparison of the
shipped config (groups of 3 or more), as ``compare_groups`` reads them.

brant_data.csv: dataset, y, group, then covariates; a covariate named ``linear_*`` is one linear
term, any other is categorical with its lowest value as reference (as in likertflow/ordinal.py);
a covariate blank throughout a data set is not in its model. The shipped sets are the complete
cases of every adjusted comparison's ordinal models (tests/r/model_frames.py).
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "workflow" / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from likertflow.codebook import questionnaire_codebook  # noqa: E402
from likertflow.grouping import GROUP, comparison_data, comparison_inputs  # noqa: E402
from likertflow.settings import Comparison  # noqa: E402
from model_frames import model_frames, shipped  # noqa: E402

KRUSKAL_WALLIS_MIN_GROUPS = 3  # 'auto' runs Kruskal-Wallis (and Dunn's pairs) from 3 groups


def shipped_dunn(results: Path, config: dict, codebook: dict) -> pd.DataFrame:
    """The values of every shipped comparison with 3 or more groups, as compare_groups reads
    them (config bands applied)."""
    parts = []
    for name, params in sorted(config["comparisons"].items()):
        spec = Comparison.from_params(params, f"comparisons.{name}")
        if spec.by == "survey":
            continue  # the shipped survey comparison has 2 groups: Mann-Whitney
        survey = spec.survey
        bands = {q: b for q, b in config["bands"].items() if q == spec.by}
        frames, questionnaires = comparison_inputs(
            [str(results / "data" / f"{survey}.analysed.parquet")],
            {survey: questionnaire_codebook(codebook, survey)},
            bands,
            spec,
        )
        data, labels = comparison_data(frames, questionnaires, spec)
        if len(labels) < KRUSKAL_WALLIS_MIN_GROUPS:
            continue
        for outcome in spec.outcomes:
            present = data[[GROUP, outcome]].dropna()
            position = present[GROUP].astype(int).to_numpy()
            parts.append(
                pd.DataFrame(
                    {
                        "dataset": f"shipped/{name}/{outcome}",
                        "group": np.asarray(labels, dtype=object)[position],
                        "group_position": position + 1,
                        "value": present[outcome].to_numpy(),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def synthetic_dunn() -> pd.DataFrame:
    """Tied Likert codes and theme means in several unequal groups, untied values in two
    groups, and groups so far apart that p is far in the tail."""
    rng = np.random.default_rng(20240517)
    sets = {}
    # 5-point codes, 4 groups of unequal size, shifted a little
    sets["likert5_4groups"] = [
        np.clip(np.round(rng.normal(3 + shift, 1.1, size)), 1, 5)
        for shift, size in [(0.0, 40), (0.4, 25), (-0.3, 61), (0.1, 9)]
    ]
    # theme means of 4 statements (quarter steps), 6 groups, one of 3 respondents
    sets["theme_means_6groups"] = [
        np.clip(np.round(rng.normal(3.5 + shift, 0.8, size) * 4) / 4, 1, 5)
        for shift, size in [(0.0, 52), (0.5, 3), (-0.2, 30), (0.3, 17), (-0.6, 44), (0.0, 8)]
    ]
    # 7-point codes, 3 groups: many ties, one large group
    sets["likert7_3groups"] = [
        rng.choice(np.arange(1, 8), size, p=p)
        for size, p in [
            (120, [0.05, 0.1, 0.15, 0.3, 0.2, 0.15, 0.05]),
            (14, [0.02, 0.03, 0.1, 0.2, 0.3, 0.2, 0.15]),
            (33, [0.15, 0.2, 0.2, 0.2, 0.1, 0.1, 0.05]),
        ]
    ]
    # no ties (the tie correction is 0), 2 groups
    sets["untied_2groups"] = [rng.normal(0, 1, 23), rng.normal(0.6, 1, 31)]
    # far apart: p values near 1e-20 and beyond, where a relative comparison is demanding
    sets["far_apart_3groups"] = [
        np.clip(np.round(rng.normal(mean, 0.7, size)), 1, 5)
        for mean, size in [(1.2, 150), (4.8, 140), (3.0, 60)]
    ]
    parts = []
    for name, groups in sets.items():
        for position, values in enumerate(groups, start=1):
            parts.append(
                pd.DataFrame(
                    {
                        "dataset": f"synthetic/{name}",
                        "group": f"g{position}",
                        "group_position": position,
                        "value": values.astype(float),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def synthetic_brant() -> pd.DataFrame:
    """Respondent-level data of proportional-odds models with a group, a categorical and a
    linear covariate: four outcome levels (the workflow's quartile rule then keeps every split,
    so its test is the standard one on the outcome as it is), with and without proportional
    odds; and six levels in three groups (every split, and the quartile rule's three)."""
    rng = np.random.default_rng(19900601)
    parts = []

    def draw(n, slopes_by_cut, cuts, groups=2):
        group = rng.integers(0, groups, n)
        band = rng.integers(1, 4, n)
        years = np.round(rng.uniform(0, 30, n))
        u = rng.uniform(size=n)
        # P(y > j) = logistic(x b_j - cut_j), cumulative by construction
        above = []
        for (g_slopes, b_slope, y_slope), cut in zip(slopes_by_cut, cuts, strict=True):
            eta = np.asarray(g_slopes)[group] + b_slope * (band - 1) + y_slope * years / 10
            above.append(1 / (1 + np.exp(-(eta - cut))))
        above = np.minimum.accumulate(np.array(above), axis=0)
        y = np.sum(u[None, :] < above, axis=0) + 1
        return pd.DataFrame({"y": y, "group": group, "band": band, "linear_years": years})

    po = [([0.0, 0.5], 0.3, 0.2)] * 3
    parts.append(draw(400, po, [-0.3, 0.8, 1.9]).assign(dataset="synthetic/po_4levels"))
    violated = [([0.0, -0.6], 0.3, 0.0), ([0.0, 0.3], 0.3, 0.2), ([0.0, 1.2], 0.3, 0.5)]
    parts.append(draw(450, violated, [-1.6, 0.5, 2.5]).assign(dataset="synthetic/nonpo_4levels"))
    six = [([0.0, 0.4, -0.3], 0.25, 0.1)] * 5
    parts.append(
        draw(900, six, [-1.5, -0.6, 0.2, 0.9, 1.7], groups=3)
        .drop(columns="linear_years")
        .assign(dataset="synthetic/po_6levels_3groups")
    )
    return pd.concat(parts, ignore_index=True)


def main(results: Path, out: Path) -> None:
    config, codebook = shipped()
    out.mkdir(parents=True, exist_ok=True)
    dunn = pd.concat([synthetic_dunn(), shipped_dunn(results, config, codebook)])
    dunn.to_csv(out / "dunn_data.csv", index=False, float_format="%.17g")

    frames = model_frames(results, config, codebook)
    frames.insert(0, "dataset", "shipped/" + frames.pop("comparison") + "/"
                  + frames.pop("outcome"))  # fmt: skip
    brant = pd.concat([synthetic_brant(), frames], ignore_index=True)
    columns = ["dataset", "y", "group"]
    brant = brant[columns + [c for c in brant.columns if c not in columns]]
    brant.to_csv(out / "brant_data.csv", index=False, float_format="%.17g")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
