"""The same responses in each survey platform's export layout, for tests and benchmarks.

``exportkit.export_frame`` gives the plain layout (one header row of the codebook's column
texts). Each builder here lays the same frame out as a platform does, adds the platform's
metadata columns with planted identifying values (``PLANTED``: an IP address, an e-mail
address, a free-text comment), and says what the codebook's ``export`` block must be (and, for
platforms matched by column id, the id of each column)::

    layout = platformkit.LAYOUTS["qualtrics"](q, export)
    path = platformkit.write(layout, tmp_path / "week1.csv")
    q_fmt = platformkit.questionnaire_for(layout, "patients")

The builders and the writer are likertflow.layouts (the worked example's generator writes its
exports with them); this module adds the planted values and the codebook plumbing of tests.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import yaml
from exportkit import CODEBOOK
from likertflow import layouts
from likertflow.codebook import Questionnaire, parse_questionnaire, questionnaire_codebook
from likertflow.layouts import Layout

PLANTED_IP = "203.0.113.77"
PLANTED_EMAIL = "planted.person@example.org"
PLANTED_COMMENT = "PLANTED free-text comment that must not leave ingest"
PLANTED = (PLANTED_IP, PLANTED_EMAIL, PLANTED_COMMENT)


def planted(n: int) -> layouts.Unanalysed:
    """The platforms' metadata and free-text columns, each holding a planted identifying value."""
    ip, email, comment = (pd.Series([value] * n, dtype="str") for value in PLANTED)
    first, last = (pd.Series([name] * n, dtype="str") for name in ("Planted", "Person"))
    return layouts.Unanalysed(ip, email, first, last, comment)


def _with_planted(build):
    def layout(q: Questionnaire, export: pd.DataFrame) -> Layout:
        return build(q, export, planted(len(export)))

    layout.__doc__ = build.__doc__
    return layout


LAYOUTS = {name: _with_planted(build) for name, build in layouts.LAYOUTS.items()}
EXTENSION = layouts.EXTENSION
write = layouts.write


def codebook_for(layout: Layout, survey: str, codebook: str | Path = CODEBOOK) -> dict:
    """The full codebook with ``survey`` read in this layout (its export block, its ids)."""
    with open(codebook, encoding="utf-8") as handle:
        full = yaml.safe_load(handle)
    full = copy.deepcopy(full)
    entry = full["questionnaires"][survey]
    entry["export"] = copy.deepcopy(layout.export)
    if layout.export.get("match") == "id":
        statements = {s["id"]: s for s in full.get("statements", [])}
        stems = full.get("statement_stems", {})
        for question in entry["questions"]:
            if question == "statements":
                entry["export"]["statement_columns"] = {
                    sid: layout.ids[f"{stems[s['statement_set']]} - {s['wording']}"]
                    for sid, s in statements.items()
                    if f"{stems.get(s['statement_set'])} - {s['wording']}" in layout.ids
                }
                continue
            columns = question.get("columns") or [{"column": question["text"]}]
            question["columns"] = [{**c, "column": layout.ids[c["column"]]} for c in columns]
    return full


def questionnaire_for(layout: Layout, survey: str) -> Questionnaire:
    return parse_questionnaire(questionnaire_codebook(codebook_for(layout, survey), survey))


# A Qualtrics legacy export as Qualtrics writes it: BOM, V1.. ids, question texts, no ImportId
# row, a trailing comma on every line.
QUALTRICS_LEGACY = (
    "\ufeffV1,V8,V9,Q1,\r\n"
    "ResponseID,StartDate,EndDate,How do you feel?,\r\n"
    "R_1,2016-06-24 12:27:08,2016-06-24 12:28:08,3,\r\n"
    "R_2,2016-06-24 12:29:08,,7,\r\n"
)
QUALTRICS_LEGACY_EXPORT = {
    "format": "qualtrics",
    "match": "id",
    "values": "codes",
    "response_id": "V1",
    "started": "V8",
    "completed": "V9",
    "timestamp_format": "%Y-%m-%d %H:%M:%S",
}
