"""Write the complete-case data of every adjusted comparison's ordinal models, for R.

Usage (from the repository root, after a workflow run):
    .venv/bin/python tests/r/model_frames.py results /tmp/model_frames.csv
    Rscript tests/r/polr.R /tmp/model_frames.csv tests/expected/ordinal_models_polr.csv

Columns: comparison, outcome, y (outcome value), group (position of the group label; the
lowest present is the reference), then one column per covariate (its code; the lowest present is
the reference). R fits MASS::polr on exactly these rows.
"""

import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "workflow" / "scripts"))

from likertflow.codebook import parse_questionnaire, questionnaire_codebook  # noqa: E402
from likertflow.grouping import GROUP  # noqa: E402
from likertflow.ordinal import model_data  # noqa: E402
from likertflow.schemas import CODEBOOK_SCHEMA, CONFIG_SCHEMA, read_yaml, validate  # noqa: E402
from likertflow.settings import Comparison  # noqa: E402
from likertflow.themes import theme_scores  # noqa: E402


def shipped() -> tuple[dict, dict]:
    """The shipped config and codebook as the workflow reads them (the schemas' defaults in)."""
    config = validate(read_yaml(REPO / "config" / "config.yaml"), CONFIG_SCHEMA, "config")
    codebook = validate(read_yaml(REPO / config["codebook"]), CODEBOOK_SCHEMA, "codebook")
    return config, codebook


def model_frames(results: Path, config: dict, codebook: dict) -> pd.DataFrame:
    parts = []
    for name, params in sorted(config["comparisons"].items()):
        spec = Comparison.from_params(params, f"comparisons.{name}")
        covariates = list(spec.adjust_for)
        if not covariates:
            continue
        surveys = spec.surveys if spec.by == "survey" else [spec.survey]
        questionnaires = {
            s: parse_questionnaire(questionnaire_codebook(codebook, s)) for s in surveys
        }
        frames = {
            s: theme_scores(pd.read_parquet(results / "data" / f"{s}.analysed.parquet"),
                            questionnaires[s])
            for s in surveys
        }  # fmt: skip
        data, _, _ = model_data(spec, frames, questionnaires)
        for outcome in spec.outcomes:
            complete = data[[GROUP, outcome, *covariates]].dropna()
            part = complete.rename(columns={outcome: "y"})
            part.insert(0, "outcome", outcome)
            part.insert(0, "comparison", name)
            parts.append(part)
    return pd.concat(parts, ignore_index=True)


if __name__ == "__main__":
    frame = model_frames(Path(sys.argv[1]), *shipped())
    frame.to_csv(sys.argv[2], index=False, float_format="%.17g")
