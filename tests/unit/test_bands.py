"""Bands (likertflow.bands): a number turned into ordered groups for tables."""

from __future__ import annotations

import numpy as np
from likertflow.bands import apply_bands, banded_questionnaire
from likertflow.coding import CODE_DTYPE
from likertflow.grouping import outcome_values
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


def test_banded_age_is_an_ordinal_outcome_named_for_its_question():
    data = numeric.cohort([20, 70, 40], [1] * 3, [1] * 3)
    banded, q = apply_bands(data, numeric.questionnaire(), numeric.BANDS)
    answers = q.question("age").answers
    assert answers.ordinal and answers.name == "age bands"
    assert not q.question("age").numeric
    assert banded["age"].dtype == CODE_DTYPE  # as every other coded answer
    # a rank test takes it (an answer set that is not ordinal has no rank test)
    np.testing.assert_array_equal(outcome_values(banded, q, "age"), [1.0, 3.0, 2.0])


def test_bands_stay_on_their_rows_of_a_filtered_cohort():
    data = numeric.cohort([70, 20, 40], [1] * 3, [1] * 3).set_axis([5, 9, 2])
    banded, _ = apply_bands(data, numeric.questionnaire(), numeric.BANDS)
    assert banded["age"].to_dict() == {5: 3, 9: 1, 2: 2}


def test_a_numeric_question_without_bands_keeps_its_numbers():
    data = numeric.cohort([70, 20], [1] * 2, [1] * 2)
    banded, q = apply_bands(data, numeric.questionnaire(), {})
    assert banded["age"].tolist() == [70, 20] and q.question("age").numeric


def test_bands_of_a_question_coded_in_this_questionnaire_leave_it_as_it_is():
    # config bands pass the start-up check when any questionnaire has the question as a number
    # (references.check_bands); another may ask it with coded answers, which stay
    questionnaire = numeric.questionnaire()
    bands = {**numeric.BANDS, "sex": [{"label": "low", "from": 0}, {"label": "high", "from": 2}]}
    data = numeric.cohort([20, 70], [1, 2], [1, 1])
    banded, q = apply_bands(data, questionnaire, bands)
    assert q.question("sex") is questionnaire.question("sex")
    assert banded["sex"].tolist() == [1, 2]
    assert banded_questionnaire(questionnaire, bands).question("sex") == questionnaire.question(
        "sex"
    )
    assert q.question("age").answers.name == "age bands"
