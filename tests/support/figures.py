"""Small inputs for each kind of figure: the shipped codebook's questionnaires, random answers to
them, and a Figure 5 summary of two questionnaires' statement sets (no workflow run)."""

import numpy as np
import pandas as pd
import yaml
from conftest import REPO
from likertflow.agreement_plot import plot_agreement
from likertflow.codebook import parse_questionnaire, questionnaire_codebook
from likertflow.coding import CODE_DTYPE

CODEBOOK = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))


def questionnaire(survey: str = "patients", codebook: dict = CODEBOOK):
    return parse_questionnaire(questionnaire_codebook(codebook, survey))


def answers_frame(q, n: int, seed: int, missing: float = 0.0) -> pd.DataFrame:
    """Random 1-5 answers to every statement, some left blank."""
    rng = np.random.default_rng(seed)
    data = {}
    for statement in q.statements():
        codes = rng.choice([1, 2, 3, 4, 5], size=n, p=rng.dirichlet(np.ones(5)))
        values = pd.array(codes, dtype=CODE_DTYPE)
        values[rng.random(n) < missing] = pd.NA
        data[statement.id] = values
    return pd.DataFrame(data)


def agreement_summary() -> pd.DataFrame:
    rows = []
    for survey, benefit, risk in [("patients", 78.49, 5.1), ("experts", 73.35, 27.76)]:
        for statement_set, mean, k in [("benefits", benefit, 3), ("risks", risk, 2)]:
            for i in range(k):
                value = mean + (i - (k - 1) / 2) * 4
                rows.append((survey, statement_set, f"s{i}", value, value - 6, value + 6, 100))
            rows.append((survey, statement_set, "mean", mean, mean - 3, mean + 2, 120))
    return pd.DataFrame(
        rows,
        columns=["survey", "statement_set", "statement", "percent_agree", "ci_low", "ci_high", "n"],
    )


def plot_figure5(summary: pd.DataFrame):
    return plot_agreement(
        summary,
        {"patients": "Patients", "experts": "Clinical experts"},
        {"benefits": "Potential benefits", "risks": "Potential risks"},
        ["Agree", "Strongly agree"],
        confidence_level=0.95,
    )
