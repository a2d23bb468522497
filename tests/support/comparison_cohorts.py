"""Toy scored cohorts (analysed rows with theme scores): two questionnaires ("people",
"pros") with an age band, a yes/no question with an off-scale answer, a two-statement theme and
a verdict, for the comparison and grouping tests."""

import pandas as pd
from likertflow.coding import CODE_DTYPE

from support import filled

AGREE = [{"label": f"level {code}", "code": code} for code in range(1, 6)]
YES_NO = [
    {"label": "Yes", "code": 1},
    {"label": "No", "code": 2},
    {"label": "Unsure", "code": 9, "off_scale": True},
]
BAND = [
    {"label": "Young", "code": 1},
    {"label": "Middle", "code": 2},
    {"label": "Old", "code": 3},
    {"label": "Ancient", "code": 4},
    {"label": "Rather not say", "code": 9, "off_scale": True},
]


def questionnaire(survey, label):
    return filled.questionnaire(
        {
            "survey": survey,
            "label": label,
            "answer_sets": {
                "agreement": {"ordinal": True, "options": AGREE},
                "yes_no": {"ordinal": False, "options": YES_NO},
                "band": {"ordinal": True, "options": BAND},
            },
            "statement_sets": {"s": {"label": "S"}},
            "themes": {"t": {"label": "T", "statement_set": "s"}},
            "statements": [
                {"id": "x", "statement_set": "s", "theme": "t", "wording": "X"},
                {"id": "y", "statement_set": "s", "theme": "t", "wording": "Y"},
            ],
            "export": {
                "response_id": "ID",
                "started": "S",
                "completed": "C",
                "timestamp_format": "%Y",
            },
            "questions": [
                {"id": "band", "text": "Band?", "answers": "band"},
                {"id": "seen", "text": "Seen?", "answers": "yes_no"},
                "statements",
                {"id": "verdict", "text": "Good idea?", "answers": "agreement"},
            ],
        }
    )


def scores_frame(band, seen, x, y, verdict):
    frame = pd.DataFrame(
        {
            "response_id": [f"R{i:03d}" for i in range(len(band))],
            **{
                name: pd.array(column, dtype=CODE_DTYPE)
                for name, column in zip(
                    ["band", "seen", "x", "y", "verdict"], [band, seen, x, y, verdict], strict=True
                )
            },
        }
    )
    frame["t"] = frame[["x", "y"]].astype("float64").mean(axis=1)
    return frame


QUESTIONNAIRES = {
    "people": questionnaire("people", "People"),
    "pros": questionnaire("pros", "Professionals"),
}
FRAMES = {
    # band: Young 4 (small), Middle 6, Old 2 (omitted), Ancient 0, "Rather not say" 1 (off-scale)
    "people": scores_frame(
        band=[1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 9],
        seen=[1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 9, 9],
        x=[5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 2, 5, 5],
        y=[5, 4, 4, 4, 3, 2, 2, 1, 1, 1, 3, 5, 5],
        verdict=[5, 5, 5, 4, 4, 4, 3, 3, 1, 2, 2, 5, pd.NA],
    ),
    "pros": scores_frame(
        band=[1, 2, 3, 4, 1, 2],
        seen=[1, 2, 1, 2, 1, 2],
        x=[2, 2, 1, 3, 2, 1],
        y=[1, 2, 2, 3, 1, 1],
        verdict=[3, 3, 2, 4, 1, 2],
    ),
}
