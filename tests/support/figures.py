"""Small inputs for each kind of figure: the shipped codebook's questionnaires, random answers to
them, and a Figure 5 summary of two questionnaires' statement sets (no workflow run); and every
kind of figure rendered from them (``render_all``, also run in a fresh interpreter)."""

import numpy as np
import pandas as pd
import yaml
from likertflow.agreement_plot import plot_agreement
from likertflow.codebook import questionnaire_codebook
from likertflow.coding import CODE_DTYPE
from likertflow.flow_plot import plot_flow
from likertflow.likert_plot import layout_rows, plot_likert
from likertflow.plotting import save_figure
from likertflow.tables import frequency_table

from support import filled
from support.exportkit import REPO

CODEBOOK = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))


def questionnaire(survey: str = "patients", codebook: dict = CODEBOOK):
    return filled.questionnaire(questionnaire_codebook(codebook, survey))


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


def statement_table(frame: pd.DataFrame, q) -> pd.DataFrame:
    """The frequencies of every statement of ``q`` in ``frame``, as the published statement
    frequencies give them with disclosure rule ``none`` (the counts themselves)."""
    return frequency_table(frame, q, [s.id for s in q.statements()])


def likert(frame: pd.DataFrame, q, statement_set: str, title: str, **options):
    """A Likert figure of ``frame``'s answers, drawn as the workflow draws it: from the
    statements' published frequencies (rule ``none``), with ``frame``'s size as the title's n."""
    return plot_likert(statement_table(frame, q), q, statement_set, title, total=len(frame),
                       **options)  # fmt: skip


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


def render_all(directory) -> dict[str, bytes]:
    """Render every kind of figure into ``directory``; return the bytes of each file."""
    q = questionnaire()
    figures = {
        "likert": likert(answers_frame(q, 50, 11), q, "benefits", "Benefits", rows=layout_rows(q)),
        "figure5": plot_figure5(agreement_summary()),
        "flow": plot_flow(
            pd.DataFrame(
                {
                    "survey": ["experts"] * 3,
                    "stage": ["returned", "excluded_x", "analysed"],
                    "n": [5, 1, 4],
                }
            ),
            {"experts": "Clinical experts"},
        ),
    }
    out = {}
    for name, figure in figures.items():
        paths = [directory / f"{name}.{ext}" for ext in ("png", "svg", "pdf")]
        save_figure(figure, *paths)
        out.update({path.name: path.read_bytes() for path in paths})
    return out
