"""Write the synthetic exports of a worked example from its model (likertflow.simulate).

    python workflow/scripts/generate_example_exports.py
        [--model config/examples/online_learning/synthetic.yaml]
        [--codebook config/examples/online_learning/codebook.yaml]
        [--out resources/examples/online_learning/raw] [--seed N]

Writes <out>/<survey>/<batch>.<ext> for every questionnaire of the model, in the layout of the
platform that the questionnaire's codebook ``export.format`` names (likertflow.platforms: plain
CSV, Qualtrics CSV with its three header rows, an SPSS .sav with value labels, ...). The same
arguments give the same bytes (a .sav file's header records SAV_CREATED, not the time of the run).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from likertflow.codebook import parse_questionnaire, questionnaire_codebook  # noqa: E402
from likertflow.platforms import PLATFORMS, write  # noqa: E402
from likertflow.simulate import Cohort, simulate  # noqa: E402

EXAMPLE = "config/examples/online_learning"
SAV_CREATED = datetime(2024, 3, 29, 9, 0, 0)  # the creation time written into .sav headers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=f"{EXAMPLE}/synthetic.yaml")
    parser.add_argument("--codebook", default=f"{EXAMPLE}/codebook.yaml")
    parser.add_argument("--out", default="resources/examples/online_learning/raw")
    parser.add_argument("--seed", type=int, default=None, help="default: the model's seed")
    args = parser.parse_args(argv)

    model = yaml.safe_load(Path(args.model).read_text(encoding="utf-8"))
    codebook = yaml.safe_load(Path(args.codebook).read_text(encoding="utf-8"))
    seed = model["seed"] if args.seed is None else args.seed
    for survey, spec in model["questionnaires"].items():
        questionnaire = parse_questionnaire(questionnaire_codebook(codebook, survey))
        cohort = simulate(questionnaire, spec, seed)
        export = codebook["questionnaires"][survey].get("export", {})
        paths = write_cohort(cohort, questionnaire, export.get("format", "csv"), args.out)
        print(f"{survey}: {len(cohort.labels)} responses in {len(paths)} exports")
    return 0


def write_cohort(cohort: Cohort, questionnaire, fmt: str, out: str) -> list[Path]:
    """One export per batch (``<out>/<survey>/<batch name><ext>``) in the format's layout."""
    paths = []
    for number, name in enumerate(cohort.batch_names):
        rows = cohort.labels[cohort.batch == number]
        answers = rows.mask(rows == "")  # blank cells missing, as the layouts take them
        platform = PLATFORMS[fmt]
        layout = platform.layouts[fmt](questionnaire, answers)
        path = Path(out) / questionnaire.survey / f"{name}{platform.extension}"
        paths.append(write(layout, path, created=SAV_CREATED))
    return paths


if __name__ == "__main__":
    sys.exit(main())
