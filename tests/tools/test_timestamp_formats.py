"""Timestamp formats as platforms write them, told from sample values."""

from __future__ import annotations

import pandas as pd
import pytest
from likertflow_tools.timestamps import guess_timestamp_format, known_formats

GOOGLE_FORMS = ["12/13/2019 9:50:30", "1/2/2020 14:05:09", "12/31/2019 23:59:59"]


def test_google_forms_timestamps():
    guess = guess_timestamp_format(GOOGLE_FORMS)
    assert guess.format == "%m/%d/%Y %H:%M:%S" and not guess.ambiguous
    # The workflow reads them with pandas in that format: every value parses.
    parsed = pd.to_datetime(pd.Series(GOOGLE_FORMS), format=guess.format, errors="coerce")
    assert parsed.notna().all() and parsed[0] == pd.Timestamp(2019, 12, 13, 9, 50, 30)


def test_day_first_when_a_day_above_12_says_so():
    guess = guess_timestamp_format(["13/12/2019 09:50:30", "02/01/2020 10:00:00"])
    assert guess.format == "%d/%m/%Y %H:%M:%S"


def test_ambiguous_when_nothing_tells_day_from_month():
    guess = guess_timestamp_format(["1/2/2020 14:05:09", "3/4/2020 08:00:00"])
    assert guess.ambiguous and guess.format is None
    assert set(guess.candidates) == {"%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S"}
    assert "choose one" in guess.todo
    # The platform's own format settles it, and says it did.
    google = guess_timestamp_format(["1/2/2020 14:05:09"], platform="google_forms")
    assert google.ambiguous and google.format is None  # Google Forms writes both layouts
    monkey = guess_timestamp_format(["1/2/2020 02:05:09 PM"], platform="surveymonkey")
    assert monkey.format == "%m/%d/%Y %I:%M:%S %p" and "check" in monkey.todo


@pytest.mark.parametrize(
    "values, expected",
    [
        (["2019-12-13 09:50:30", "[not completed]", None, ""], "%Y-%m-%d %H:%M:%S"),
        (["2018-03-06 15:53"], "%Y-%m-%d %H:%M"),  # REDCap
        (["12/13/2019 09:50:30 AM", "12/13/2019 01:02:03 PM"], "%m/%d/%Y %I:%M:%S %p"),
        (["2019-12-13T09:50:30"], "%Y-%m-%dT%H:%M:%S"),
        (["12/13/2019 9:50"], "%m/%d/%Y %H:%M"),  # Qualtrics legacy via Excel
        (["13.12.2019 09:50:30"], "%d.%m.%Y %H:%M:%S"),
    ],
)
def test_platform_formats(values, expected):
    assert guess_timestamp_format(values).format == expected


def test_unknown_formats_ask_for_one():
    guess = guess_timestamp_format(["Dec 13 2019, 9:50"])
    assert (
        guess.format is None and not guess.ambiguous and "write its strptime format" in guess.todo
    )


def test_every_format_reads_its_own_example_as_the_workflow_does():
    for entry in known_formats():
        assert guess_timestamp_format([entry["example"]]).candidates[:1] != ()
        parsed = pd.to_datetime(pd.Series([entry["example"]]), format=entry["format"])
        assert parsed.notna().all(), entry["format"]
        assert entry["source"]
