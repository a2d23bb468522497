"""The same responses in each survey platform's export layout, for tests and benchmarks.

``exportkit.export_frame`` gives the plain layout (one header row of the codebook's column
texts). Each builder here lays the same frame out as a platform does, adds the platform's
metadata columns with planted identifying values (``PLANTED``: an IP address, an e-mail
address, a free-text comment), and says what the codebook's ``export`` block must be (and, for
platforms matched by column id, the id of each column)::

    layout = platformkit.LAYOUTS["qualtrics"](q, export)
    path = platformkit.write(layout, tmp_path / "week1.csv")
    q_fmt = platformkit.questionnaire_for(layout, "patients")

The builders are the platform modules' fixture writers (likertflow.platforms, each platform's
``layouts``) and the writer is ``likertflow.platforms.write`` (the synthetic generators write
their exports with them); this module adds the planted values and the codebook plumbing of tests.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import yaml
from likertflow.codebook import Questionnaire, questionnaire_codebook
from likertflow.platforms import PLATFORMS, write
from likertflow.platforms.base import Layout, Unanalysed

from support import exportkit, filled
from support.exportkit import CODEBOOK

PLANTED_IP = "203.0.113.77"
PLANTED_EMAIL = "planted.person@example.org"
PLANTED_COMMENT = "PLANTED free-text comment that must not leave ingest"
PLANTED = (PLANTED_IP, PLANTED_EMAIL, PLANTED_COMMENT)


def planted(n: int) -> Unanalysed:
    """The platforms' metadata and free-text columns, each holding a planted identifying value."""
    ip, email, comment = (pd.Series([value] * n, dtype="str") for value in PLANTED)
    first, last = (pd.Series([name] * n, dtype="str") for name in ("Planted", "Person"))
    return Unanalysed(ip, email, first, last, comment)


def _with_planted(build):
    def layout(q: Questionnaire, export: pd.DataFrame) -> Layout:
        return build(q, export, planted(len(export)))

    layout.__doc__ = build.__doc__
    return layout


# Every platform's fixture writers (a platform's own layout and its variants), as the platform
# modules give them and with the planted values; and their files' extensions.
BUILDERS = {
    name: build for platform in PLATFORMS.values() for name, build in platform.layouts.items()
}
LAYOUTS = {name: _with_planted(build) for name, build in BUILDERS.items()}
EXTENSION = {
    name: platform.extension for platform in PLATFORMS.values() for name in platform.layouts
}
__all__ = [
    "BUILDERS", "EXTENSION", "LAYOUTS", "codebook_for", "planted", "questionnaire_for",
    "random_export", "write",
]  # fmt: skip


def codebook_for(layout: Layout, survey: str, codebook: str | Path = CODEBOOK) -> dict:
    """The full codebook with ``survey`` read in this layout (its export block, its ids)."""
    with open(codebook, encoding="utf-8") as handle:
        full = yaml.safe_load(handle)
    full = copy.deepcopy(full)
    entry = full["questionnaires"][survey]
    # a key the layout gives as None is one a codebook leaves out (its schema refuses a null)
    entry["export"] = {k: copy.deepcopy(v) for k, v in layout.export.items() if v is not None}
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
    return filled.questionnaire(questionnaire_codebook(codebook_for(layout, survey), survey))


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


def random_export(name: str, folder: Path, n: int = 120) -> tuple[Path, dict]:
    """``n`` random patients (some blanks, some unfinished) written in layout ``name`` under
    ``folder`` (a REDCap layout with its data dictionary), and the export keys that read it."""
    q = exportkit.questionnaire("patients")
    answers = exportkit.random_answers(q, n, seed=5, blank_rate=0.02, unfinished_rate=0.1)
    layout = LAYOUTS[name](q, exportkit.export_frame(q, answers))
    if layout.dictionary is not None:
        layout.dictionary.to_csv(folder / "dictionary.csv", index=False)
        layout.export["data_dictionary"] = str(folder / "dictionary.csv")
    path = write(layout, folder / f"week1{EXTENSION.get(name, '.csv')}")
    reading = {
        k: layout.export[k]
        for k in ("format", "match", "values", "data_dictionary")
        if k in layout.export
    }
    return path, reading
