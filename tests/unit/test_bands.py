"""Bands (likertflow.bands): a number turned into ordered groups for tables."""

from __future__ import annotations

from likertflow.bands import apply_bands
from likertflow.tables import frequency_table
from support import numeric_study as numeric


def test_bands_turn_a_number_into_ordered_groups():
    data = numeric.cohort([18, 34.9, 35, 64, 65, 101, None, 12], [1] * 8, [1] * 8)
    banded, q = apply_bands(data, numeric.questionnaire(), numeric.BANDS)
    assert banded["age"].tolist()[:6] == [1, 1, 2, 2, 3, 3]
    assert banded["age"][6:].isna().all()  # blank, and below the first band
    assert q.question("age").answers.labels == ["18–34", "35–64", "65 and over"]
    table = frequency_table(banded, q, ["age"])
    assert table["response"].tolist() == ["18–34", "35–64", "65 and over", "(no answer)"]
    assert table["n"].tolist() == [2, 2, 2, 2]
    assert data["age"].tolist()[0] == 18  # the input frame is not changed
