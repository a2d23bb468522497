"""Theme scores: each respondent's mean code over the statements of a theme.

A theme score is the mean of the theme's answered on-scale statement codes, and is missing (NaN)
when the respondent answered fewer than the theme's ``min_answered`` statements (codebook
``themes.<id>.min_answered``; ``all`` by default). Off-scale answers count as unanswered.
A reverse-keyed statement (codebook ``reverse: true``) counts with its code mirrored within the
scale (min + max - code), so that every item of a theme points the same way.
"""

from __future__ import annotations

import pandas as pd

from likertflow.codebook import Questionnaire, Theme
from likertflow.coding import scored


def statement_codes(analysed: pd.DataFrame, questionnaire: Questionnaire, items) -> pd.DataFrame:
    """The scored codes of the given statements as float64 (on-scale, reverse-keyed ones
    mirrored), NaN where unanswered or off-scale."""
    return pd.DataFrame(
        {
            item: scored(analysed[item], questionnaire.question(item)).to_numpy("float64")
            for item in items  # <NA> as NaN
        },
        index=analysed.index,
    )


def theme_score(analysed: pd.DataFrame, questionnaire: Questionnaire, theme: Theme) -> pd.Series:
    """One theme's score per respondent (float64; NaN below ``theme.min_answered``)."""
    codes = statement_codes(analysed, questionnaire, theme.items)
    answered = codes.notna().sum(axis=1)
    enough = answered >= max(theme.min_answered, 1)
    return codes.mean(axis=1).where(enough).rename(theme.id)


def theme_scores(analysed: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """The analysed columns plus one float64 column per theme, in codebook order."""
    clashes = [theme_id for theme_id in questionnaire.themes if theme_id in analysed.columns]
    if clashes:
        raise ValueError(f"theme ids also name data columns: {', '.join(clashes)}")
    themes = questionnaire.themes.values()
    scores = [theme_score(analysed, questionnaire, theme) for theme in themes]
    return pd.concat([analysed, *scores], axis=1)
