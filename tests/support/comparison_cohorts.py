"""Toy scored cohorts (analysed rows with theme scores): two questionnaires ("people",
"pros") with an age band, a yes/no question with an off-scale answer, a two-statement theme and
a verdict, for the comparison and grouping tests."""

import pandas as pd
from likertflow.coding import CODE_DTYPE

from support import toy_codebook as toy

YES_NO = toy.scale(["Yes", "No"], [1, 2], off_scale=toy.UNSURE, ordinal=False)
BAND = toy.scale(
    ["Young", "Middle", "Old", "Ancient"], range(1, 5), off_scale=("Rather not say", 9)
)


def questions(verdicts: str = "agreement") -> list:
    """The cohorts' questions: an age band, seen (yes or no), the statements and a verdict on
    the answer set ``verdicts``."""
    return [
        {"id": "band", "text": "Band?", "answers": "band"},
        {"id": "seen", "text": "Seen?", "answers": "yes_no"},
        "statements",
        {"id": "verdict", "text": "Good idea?", "answers": verdicts},
    ]


def questionnaire(survey, label):
    return toy.questionnaire(
        {"s": "xy"},
        themes={"t": "xy"},
        answers={"agreement": toy.scale("level {}"), "yes_no": YES_NO, "band": BAND},
        questions=questions(),
        survey=survey,
        label=label,
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
