"""Comparison data from scores and questionnaires: groups, outcomes, and the errors that name
what is wrong (likertflow.grouping)."""

from __future__ import annotations

import numpy as np
import pytest
from likertflow.bands import apply_bands
from likertflow.grouping import comparison_data
from support import filled
from support import numeric_study as numeric
from support.comparison_cohorts import FRAMES, QUESTIONNAIRES, questionnaire


def test_grouping_errors_name_what_is_wrong():
    spec = {"survey": "people", "by": "colour", "outcomes": ["t"], "family": "f"}
    with pytest.raises(ValueError, match="comparison by 'colour': not a question of people"):
        comparison_data(FRAMES, QUESTIONNAIRES, filled.comparison(**spec))
    twins = {"a": questionnaire("a", "Same"), "b": questionnaire("b", "Same")}
    spec = {"by": "survey", "surveys": ["a", "b"], "outcomes": ["t"], "family": "f"}
    frames = {"a": FRAMES["people"], "b": FRAMES["pros"]}
    with pytest.raises(ValueError, match=r"compared questionnaires share a label: \['Same'"):
        comparison_data(frames, twins, filled.comparison(**spec))
    frame = FRAMES["people"].drop(columns=["t"])
    spec = {"survey": "people", "by": "seen", "outcomes": ["t"], "family": "f"}
    with pytest.raises(ValueError, match="people: no theme score column 't'"):
        comparison_data({"people": frame}, QUESTIONNAIRES, filled.comparison(**spec))


def test_comparison_data_columns_and_index():
    spec = {"by": "survey", "surveys": ["people", "pros"], "outcomes": ["t", "x"], "family": "f"}
    spec = filled.comparison(**spec)
    data, labels = comparison_data(FRAMES, QUESTIONNAIRES, spec, columns=["verdict"])
    assert list(data.columns) == ["group", "verdict"] and labels == ["People", "Professionals"]
    assert list(data.index) == list(range(13 + 6))
    spec = {"survey": "people", "by": "band", "outcomes": ["t"], "family": "f"}
    data, _ = comparison_data(FRAMES, QUESTIONNAIRES, filled.comparison(**spec))
    assert list(data.columns) == ["group", "t"] and list(data.index) == list(range(len(data)))


def test_banded_question_forms_comparison_groups():
    data = numeric.cohort([20, 40, 70, 30], [1] * 4, [1, 2, 1, 2])
    frame, q = apply_bands(data, numeric.questionnaire(), numeric.BANDS)
    spec = {"survey": "toy", "by": "age", "outcomes": ["x"], "omit": ["65 and over"], "family": "f"}
    # columns=[]: the groups alone, no outcome read
    groups, labels = comparison_data({"toy": frame}, {"toy": q}, filled.comparison(**spec), [])
    assert labels == ["18–34", "35–64"]
    np.testing.assert_array_equal(groups["group"].to_numpy(), [0, 1, 0])
