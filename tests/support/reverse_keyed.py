"""A three-statement theme whose third statement is worded the other way (agreeing means less),
answered by twelve respondents, for the tests of reverse keying in scores, reliability,
comparisons and the agreement summary (expected values from R beside those tests)."""

import pandas as pd

from support import toy_codebook as toy

A = [1, 2, 3, 4, 5, 2, 3, 4, 5, 1, 4, 2]
B = [2, 2, 3, 4, 4, 1, 3, 5, 5, 1, 4, 3]
C = [5, 4, 3, 2, 1, 4, 3, 1, 2, 5, 1, 4]  # worded the other way: agreeing means less


def questionnaire(reverse: bool):
    """Theme t of statements a, b and c, c reverse-keyed if ``reverse`` (else worded the other
    way but scored as if it were not: the mistake the reverse key mends)."""
    return toy.questionnaire(
        {"s": "abc"},
        themes={"t": "abc"},
        reverse="c" if reverse else "",
        answers={"agreement": toy.scale(off_scale=toy.DONT_KNOW)},
        label="Toy",
    )


def frame() -> pd.DataFrame:
    return toy.codes({"a": A, "b": B, "c": C})
