"""Synthetic survey-platform exports: two generative models, one entry point, one writer.

    likertflow generate config/synthetic/bmjopen2020.yaml             # resources/raw
    likertflow generate config/examples/online_learning/synthetic.yaml
        [--codebook FILE] [--out DIR] [--seed N] [--scale K]

A model file names its generator (``generator``), the codebook it answers (``codebook``), where
its exports go (``out``), its ``seed`` and, per questionnaire, the model's numbers; optionally the
CSV dialect its exports are written in (``csv``: ``quoting``, ``eol``, as
``likertflow.platforms.write`` takes them) and the creation time an SPSS file records
(``sav_created``). The same model, codebook and seed give the same bytes.

- ``calibrated`` (``likertflow_tools.synthetic.calibrated``): the reconstruction of a published
  study that ships in resources/raw, with exact published counts and correlations;
- ``latent`` (``likertflow_tools.synthetic.latent``): plausible answers to any codebook from a
  small latent-trait model, for the worked examples.

Each gives a questionnaire's answers batch by batch (``Cohort``); every batch is laid out in the
platform of the questionnaire's ``export.format`` by that platform's fixture writer and written by
``likertflow.platforms.write``, the layouts the tests read back. The two models stay apart: one
assigns exact counts by ranking latents calibrated to published correlations, the other samples
from probabilities; their random draws differ, so one model for both would change the shipped
exports. ``--scale`` k writes k times the responses (benchmarks).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml
from likertflow.codebook import Questionnaire, parse_questionnaire, questionnaire_codebook
from likertflow.platforms import PLATFORMS, write
from likertflow.schemas import CODEBOOK_SCHEMA, read_yaml, validate

from likertflow_tools.synthetic import calibrated, latent
from likertflow_tools.synthetic.cohort import Cohort

# Model kind -> generate(questionnaire, its section of the model file, seed, scale) -> Cohort.
GENERATORS: dict[str, Callable[[Questionnaire, dict, int, float], Cohort]] = {
    "calibrated": calibrated.generate,
    "latent": latent.generate,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="a model file, e.g. config/synthetic/bmjopen2020.yaml")
    parser.add_argument("--codebook", help="default: the model file's codebook")
    parser.add_argument("--out", help="folder of <survey>/<export> files (default: the model's)")
    parser.add_argument("--seed", type=int, default=None, help="default: the model's seed")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count by this")


def main(args: argparse.Namespace) -> int:
    if args.scale <= 0:
        raise SystemExit("likertflow generate: --scale must be positive")
    model = yaml.safe_load(Path(args.model).read_text(encoding="utf-8"))
    codebook_path = args.codebook or model["codebook"]
    codebook = validate(read_yaml(codebook_path), CODEBOOK_SCHEMA, str(codebook_path))
    out = Path(args.out or model["out"])
    seed = model["seed"] if args.seed is None else args.seed
    generator = GENERATORS[model["generator"]]
    created = model.get("sav_created")  # a YAML timestamp, or its text
    created = None if created is None else datetime.fromisoformat(str(created))
    for survey, spec in model["questionnaires"].items():
        began = time.perf_counter()
        questionnaire = parse_questionnaire(questionnaire_codebook(codebook, survey))
        cohort = generator(questionnaire, spec, seed, args.scale)
        paths = write_cohort(cohort, questionnaire, out, model.get("csv", {}), created)
        print(
            f"{survey}: {cohort.responses} responses{cohort.detail} in {len(paths)} exports "
            f"under {out / survey} [{time.perf_counter() - began:.1f} s]"
        )
        for note in cohort.notes:
            print(note)
    return 0


def write_cohort(
    cohort: Cohort,
    questionnaire: Questionnaire,
    out: Path,
    dialect: dict | None = None,
    created: datetime | None = None,
) -> list[Path]:
    """One export per batch, ``<out>/<survey>/<batch name><ext>``, in the layout of the
    questionnaire's platform (``export.format``); ``dialect``: ``write``'s CSV options."""
    platform = PLATFORMS[questionnaire.export.format]
    build = platform.layouts[platform.name]
    paths = []
    for name, answers in cohort.batches:
        path = out / cohort.survey / f"{name}{platform.extension}"
        paths.append(write(build(questionnaire, answers), path, created=created, **dialect or {}))
    return paths
