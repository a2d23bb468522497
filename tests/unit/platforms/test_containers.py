"""Containers (likertflow.platforms.containers): batches are named by file stem, whatever the
container."""

from __future__ import annotations

import pytest


def test_batches_are_named_by_file_stem_whatever_the_container():
    from likertflow.platforms.containers import batch_files

    found = batch_files(["raw/p/w2.XLSX", "raw/p/w1.csv", "raw/p/notes.md", "raw/p/w3.sav"])
    assert found == {"w1": "raw/p/w1.csv", "w2": "raw/p/w2.XLSX", "w3": "raw/p/w3.sav"}
    with pytest.raises(ValueError, match="both export batch 'w1'"):
        batch_files(["raw/p/w1.csv", "raw/p/w1.xlsx"])
