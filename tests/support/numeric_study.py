"""A toy questionnaire with a numeric question (age, in years), an optional question (sex) and a
required one, its exports and coded cohorts, for the tests of numeric questions across ingest,
exclusions, bands and grouping."""

from __future__ import annotations

import pandas as pd
from likertflow.coding import CODE_DTYPE, NUMBER_DTYPE

from support import toy_codebook as toy

AGE = "How old are you? (years)"


SEX = "Sex"


TEXT = "Anything else?"


BANDS = {"age": [{"label": "18–34", "from": 18}, {"label": "35–64", "from": 35},
                 {"label": "65 and over", "from": 65}]}  # fmt: skip


def questionnaire(age_bounds: dict | None = None):
    bounds = {"min": 0, "max": 120} if age_bounds is None else age_bounds
    return toy.questionnaire(
        {},
        answers={
            "sex": toy.scale(["Female", "Male"], [1, 2], ordinal=False),
            "yes_no": toy.YES_NO,
        },
        export={**toy.EXPORT, "timestamp_format": "%Y-%m-%d"},
        questions=[
            {"id": "age", "text": AGE, "type": "numeric", **bounds},
            {"id": "sex", "text": SEX, "answers": "sex", "optional": True},
            {"id": "more", "text": TEXT, "answers": "yes_no"},
        ],
    )


def write(tmp_path, ages, sexes=None, more=None) -> str:
    n = len(ages)
    frame = pd.DataFrame(
        {
            "ID": [f"R{i}" for i in range(n)],
            "S": ["2020-05-07"] * n,
            "C": ["2020-05-07"] * n,
            AGE: ages,
            SEX: sexes or ["Female"] * n,
            TEXT: more or ["Yes"] * n,
        }
    )
    path = tmp_path / "week1.csv"
    frame.to_csv(path, index=False)
    return str(path)


def cohort(ages, sexes, more) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": pd.array(ages, dtype=NUMBER_DTYPE),
            "sex": pd.array(sexes, dtype=CODE_DTYPE),
            "more": pd.array(more, dtype=CODE_DTYPE),
        }
    )
