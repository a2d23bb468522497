"""REDCap (likertflow.platforms.redcap): rows of a repeating instrument are refused, saying
what to do."""

from __future__ import annotations

import pytest
from likertflow.errors import InputError
from support import filled


def test_redcap_repeating_instrument_rows_are_named_with_what_to_do(tmp_path):
    """A record's repeating-form instances are rows of their own beside the record's row."""
    from likertflow.platforms import read_table

    path = tmp_path / "export.csv"
    path.write_text(
        "record_id,redcap_repeat_instrument,redcap_repeat_instance,height,sbp\n"
        "1,,,1.0,\n1,blood_pressure,1,,1.1\n1,blood_pressure,2,,1.2\n2,,,2.0,\n"
        "2,image,1,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="3 row.s. are instances of a REDCap repeating") as caught:
        read_table(path, filled.export({"format": "redcap", "match": "id"}))
    problems = caught.value.problems
    assert [(p.row, p.value) for p in problems] == [(3, "blood_pressure"), (6, "image")]
    assert "keep only the rows whose redcap_repeat_instrument is blank" in problems[0].expected
    # Kept only the record's own rows (the column left, blank): read as one response per record.
    path.write_text("record_id,redcap_repeat_instrument,height\n1,,1.0\n2,,2.0\n", encoding="utf-8")
    assert len(read_table(path, filled.export({"format": "redcap", "match": "id"})).data) == 2
