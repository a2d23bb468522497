"""Write the synthetic exports of a worked example from its model (likertflow.simulate).

    python workflow/scripts/generate_example_exports.py
        [--model config/examples/online_learning/synthetic.yaml]
        [--codebook config/examples/online_learning/codebook.yaml]
        [--out resources/examples/online_learning/raw] [--seed N]

Writes <out>/<survey>/<batch>.csv for every questionnaire of the model. The same arguments give
the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from likertflow.codebook import parse_questionnaire, questionnaire_codebook  # noqa: E402
from likertflow.simulate import simulate, write_cohort  # noqa: E402

EXAMPLE = "config/examples/online_learning"


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
        paths = write_cohort(cohort, Path(args.out) / survey)
        print(f"{survey}: {len(cohort.labels)} responses in {len(paths)} exports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
