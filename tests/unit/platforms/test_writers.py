"""The platforms' fixture writers write exports that their readers read back to the answers
given.

test_platforms.py covers every layout of the first study (start and completion times, planted
metadata); here the worked example's undergraduates, which have what the first study lacks: no
times, a numeric question, skip logic, an off-scale answer, and no unanalysed columns at all.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest
import yaml
from likertflow import platforms
from likertflow.codebook import questionnaire_codebook
from likertflow.ingest import ingest_export
from likertflow.platforms import plain, spss
from likertflow_tools.synthetic.latent import simulate
from support import filled, platformkit
from support.exportkit import REPO

EXAMPLE = REPO / "config" / "examples" / "online_learning"
SURVEY = "undergraduates"
CODEBOOK = yaml.safe_load((EXAMPLE / "codebook.yaml").read_text(encoding="utf-8"))
MODEL = yaml.safe_load((EXAMPLE / "synthetic.yaml").read_text(encoding="utf-8"))
Q = filled.questionnaire(questionnaire_codebook(CODEBOOK, SURVEY))


@pytest.fixture(scope="module")
def answers():
    spec = MODEL["questionnaires"][SURVEY] | {"n": 120}
    labels = simulate(Q, spec, seed=5).labels
    return labels.mask(labels == "")


@pytest.fixture(scope="module")
def plain_coded(answers, tmp_path_factory):
    layout = plain.plain(Q, answers)
    path = platforms.write(layout, tmp_path_factory.mktemp("plain") / "week1.csv")
    return ingest_export(path, _questionnaire(layout), "week1")


def _questionnaire(layout):
    full = platformkit.codebook_for(layout, SURVEY, EXAMPLE / "codebook.yaml")
    return filled.questionnaire(questionnaire_codebook(full, SURVEY))


@pytest.mark.parametrize("name", list(platformkit.LAYOUTS))
def test_each_layout_without_times_reads_back_to_the_same_batch(
    name, answers, plain_coded, tmp_path
):
    layout = platformkit.BUILDERS[name](Q, answers)
    assert not {"started", "completed", "finished"} & set(layout.export)
    if layout.dictionary is not None:
        layout.dictionary.to_csv(tmp_path / "dictionary.csv", index=False)
        layout.export["data_dictionary"] = str(tmp_path / "dictionary.csv")
    path = platforms.write(layout, tmp_path / f"week1{platformkit.EXTENSION[name]}")
    coded = ingest_export(path, _questionnaire(layout), "week1")
    pd.testing.assert_frame_equal(coded, plain_coded)
    ages = pd.to_numeric(answers["How old are you? (years)"])
    assert np.allclose(coded["age"].to_numpy("float64", na_value=np.nan), ages, equal_nan=True)


def test_sav_header_records_the_creation_time_given(answers, tmp_path):
    layout = spss.spss(Q, answers)
    created = datetime(2024, 3, 29, 9, 15, 30)
    first = platforms.write(layout, tmp_path / "a.sav", created=created)
    second = platforms.write(layout, tmp_path / "b.sav", created=created)
    assert first.read_bytes() == second.read_bytes()
    start = spss.SAV_CREATED_AT
    assert first.read_bytes()[start : start + 17] == b"29 Mar 2409:15:30"
    import pyreadstat

    _, meta = pyreadstat.read_sav(str(first), metadataonly=True)
    assert meta.creation_time == created
