"""A three-statement theme whose third statement is worded the other way (agreeing means less),
answered by twelve respondents, for the tests of reverse keying in scores, reliability,
comparisons and the agreement summary (expected values from R beside those tests)."""

import pandas as pd
from likertflow.coding import CODE_DTYPE

from support import filled

A = [1, 2, 3, 4, 5, 2, 3, 4, 5, 1, 4, 2]
B = [2, 2, 3, 4, 4, 1, 3, 5, 5, 1, 4, 3]
C = [5, 4, 3, 2, 1, 4, 3, 1, 2, 5, 1, 4]  # worded the other way: agreeing means less


def questionnaire(reverse: bool):
    options = [{"label": f"p{code}", "code": code} for code in range(1, 6)]
    options.append({"label": "Don't know", "code": 9, "off_scale": True})
    statements = [
        {"id": "a", "statement_set": "s", "theme": "t", "wording": "A"},
        {"id": "b", "statement_set": "s", "theme": "t", "wording": "B"},
        {"id": "c", "statement_set": "s", "theme": "t", "wording": "C", "reverse": reverse},
    ]
    return filled.questionnaire(
        {
            "survey": "toy",
            "label": "Toy",
            "answer_sets": {"agreement": {"ordinal": True, "options": options}},
            "statement_sets": {"s": {"label": "S"}},
            "themes": {"t": {"label": "T", "statement_set": "s"}},
            "statements": statements,
            "export": {
                "response_id": "ID",
                "started": "S",
                "completed": "C",
                "timestamp_format": "%Y",
            },
            "questions": ["statements"],
        }
    )


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {k: pd.array(v, dtype=CODE_DTYPE) for k, v in zip("abc", [A, B, C], strict=True)}
    )
