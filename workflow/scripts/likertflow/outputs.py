"""The one list of what the workflow writes: every file and folder under results/, logs/ and
.snakemake/, what it holds, its kind and whether it may be shared.

Whatever decides what may leave the researcher's machine takes it from here: the test that
plants hostile text and identifiers searches every shareable file, the publishing docs' table of
folders must agree with it (``tests/unit/test_outputs.py``), and a test checks that a real run
writes nothing this list lacks (``tests/workflow/test_outputs_written.py``).

Kinds: ``table`` (a CSV a person reads, every text cell neutralised against spreadsheet
formulas: ``likertflow.files``), ``figure`` (PNG and SVG), ``document`` (a Word or Excel file
made for people), ``report`` (the HTML report) and ``internal`` (what the workflow itself reads
back, its logs and Snakemake's own records).

A path is written relative to the project (the folder Snakemake runs in), with the wildcards of
the rules (``{survey}``, ``{batch}``, ...) standing for one path component each; a path ending
in ``/`` is a folder and stands for everything under it. The first entry that matches a path is
the one that describes it.

    >>> output_of("results/tables/table3_expert_role.csv").shareable
    True
    >>> output_of("results/audit/patients.ledger.csv").kind
    'table'
    >>> is_shareable("logs/validate_export/patients/export_2019-05-13.log")
    False
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

KINDS = ("table", "figure", "document", "report", "internal")
# A weighted Likert figure's name: its likert_figures entry's, and this (likertflow.figure_kinds)
WEIGHTED_FIGURE = "_weighted"
# The folders whose files the workflow writes (Snakemake's own records included).
ROOTS = ("results", "logs", ".snakemake")
# The kinds of partial results (likertflow.partials registers their cells), each with the config
# keys its cells read: a file per kind and batch, which the rules name at parse time (without
# the pandas that computing them imports). A kind is added here and registered there.
PARTIAL_KINDS: dict[str, tuple[str, ...]] = {
    "answer_counts": (),
    "number_counts": (),
    "reliability_pairs": (),
    "reliability_moments": (),
    "agreement_patterns": (),
    "comparison_cells": ("bands", "comparisons"),
    "model_cells": ("bands", "comparisons"),
}


@dataclass(frozen=True)
class Output:
    """One file (pattern) or folder the workflow writes."""

    path: str  # relative to the project; {wildcard} = one path component; "/" at the end: folder
    holds: str
    kind: str
    shareable: bool

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.path}: kind {self.kind!r} is not one of {KINDS}")

    @cached_property
    def pattern(self) -> re.Pattern:
        parts = re.split(r"(\{[A-Za-z_]+\})", self.path)
        regex = "".join(
            "[^/]+" if part.startswith("{") else re.escape(part) for part in parts if part
        )
        return re.compile(regex + (".*" if self.path.endswith("/") else ""))

    def matches(self, path: str | Path) -> bool:
        """Whether ``path`` (relative to the project) is this file, or lies in this folder."""
        return self.pattern.fullmatch(PurePosixPath(path).as_posix()) is not None

    @property
    def folder(self) -> str:
        """The folder it is listed under in docs/publishing.md: results/<stage>/, a file at the
        top of results/ itself, or logs/ and .snakemake/."""
        parts = self.path.split("/")
        if parts[0] == "results":
            return "/".join(parts[:2]) + ("/" if len(parts) > 2 else "")
        return parts[0] + "/"


OUTPUTS: tuple[Output, ...] = (
    # results/: the workflow's results, stage by stage
    Output(
        "results/ingest/{survey}/{batch}.parquet",
        "one export batch validated and coded, a row per response, with its response id, "
        "batch, row, start and completion times and finished flag",
        "internal",
        False,
    ),
    Output(
        "results/screening/{survey}/{batch}.parquet",
        "one export batch's screening, written with its validation: a row per response, with "
        "its response id, batch, row, start and completion times, finished flag, number of "
        "questions answered and the first exclusion rule it meets (the duplicate rule aside)",
        "internal",
        False,
    ),
    Output(
        "results/partials/{survey}/{batch}.{kind}.parquet",
        "one export batch's partial results of one kind (likertflow.partials): integer cells "
        "(answer counts, sums) of its rows that pass the row-wise exclusion rules",
        "internal",
        False,
    ),
    Output(
        "results/partials/{survey}.{kind}.parquet",
        "one questionnaire's partial results of one kind: its batches' cells less those of "
        "its repeats (results/data/{survey}.repeats.parquet), the cells of the analysed cohort",
        "internal",
        False,
    ),
    Output(
        "results/audit/{survey}/{batch}.dropped_columns.csv",
        "the names, never the values, of an export's columns the codebook does not analyse",
        "table",
        False,
    ),
    Output(
        "results/audit/{survey}.ledger.csv",
        "a row per raw response: response id, batch, row, analysed or excluded and why",
        "table",
        False,
    ),
    Output(
        "results/audit/{survey}.ledger_counts.parquet",
        "the ledger's rows counted by batch, status and reason, with each batch's distinct, "
        "first and last row numbers (likertflow.flow.ledger_counts): what the participant flow "
        "reads of the ledger",
        "internal",
        False,
    ),
    Output(
        "results/data/{survey}.analysed.parquet",
        "the analysed cohort: coded answers only, a row per respondent",
        "internal",
        False,
    ),
    Output(
        "results/data/{survey}.repeats.parquet",
        "the repeats the duplicate rule drops that pass every other exclusion rule: coded "
        "answers only, a row per response, whose partial results are subtracted",
        "internal",
        False,
    ),
    Output(
        "results/disclosure/{survey}.counts.csv",
        "every question's exact and published counts",
        "internal",
        False,
    ),
    Output(
        "results/themes/{survey}.{what}.csv",
        "one questionnaire's part of the theme tables (correlations, reliability, item_rest, "
        "reliability_warnings)",
        "internal",
        False,
    ),
    Output(
        "results/design/{survey}.units.csv",
        "a weighted questionnaire's sampling units (codebook design): per stratum and cluster "
        "label its responses in the full sample, and the stratum's population size",
        "internal",
        False,
    ),
    Output(
        "results/compare/{comparison}.{what}.csv",
        "one comparison's tests, groups, every Dunn pair and ordinal models, before the "
        "disclosure rule",
        "internal",
        False,
    ),
    Output(
        "results/tables/{table}.csv",
        "every table of the study (participant flow, ledger summary, descriptive tables, "
        "themes, agreement, comparisons, models), under the disclosure rule",
        "table",
        True,
    ),
    Output(
        "results/figures/{figure}.png",
        "every figure of the study, as a PNG image (with * for a hidden count)",
        "figure",
        True,
    ),
    Output(
        "results/figures/{figure}.svg",
        "every figure of the study, as an SVG drawing (with * for a hidden count)",
        "figure",
        True,
    ),
    Output(
        "results/figures/{figure}.pdf",
        "every figure of the study, as a PDF with its fonts embedded (with * for a hidden count)",
        "figure",
        True,
    ),
    Output(
        "results/tables.docx",
        "the tables for the manuscript in Word, made from results/tables/ alone",
        "document",
        True,
    ),
    Output(
        "results/tables.xlsx",
        "the tables for the manuscript in Excel, one sheet per table, made from results/tables/ "
        "alone",
        "document",
        True,
    ),
    Output(
        "results/checks/{what}",
        "the output check: each shareable file's status under the disclosure rule, what was "
        "withheld and why, residual risks (output_check.md, and .csv a row per file)",
        "report",
        True,
    ),
    Output(
        "results/report.html",
        "the report: every table and figure, captioned, in one self-contained file",
        "report",
        True,
    ),
    Output(
        "results/.report.html.{suffix}",
        "the report while it is written (moved to results/report.html when complete)",
        "internal",
        False,
    ),
    # logs/ and .snakemake/: what a run records about itself
    Output(
        "logs/",
        "a log per job (logs/<rule>/...): counts, warnings, a failed job's error message with "
        "the file, row, column and value",
        "internal",
        False,
    ),
    Output(
        ".snakemake/likertflow/",
        "the process, host and start of the run holding the lock (likertflow.rundir), and a "
        "digest of each export's bytes with its size and time (likertflow.fingerprints)",
        "internal",
        False,
    ),
    Output(
        ".snakemake/",
        "Snakemake's own records: each output's metadata (its parameters, the codebook among "
        "them, and its inputs' checksums), the log of every run, locks, markers of jobs cut "
        "short, copies of job scripts, SLURM's logs of failed jobs",
        "internal",
        False,
    ),
)


def output_of(path: str | Path) -> Output | None:
    """The entry describing ``path`` (relative to the project), or None if the list lacks it."""
    return next((output for output in OUTPUTS if output.matches(path)), None)


def is_shareable(path: str | Path) -> bool:
    """Whether the file at ``path`` (relative to the project) may be shared."""
    output = output_of(path)
    return output is not None and output.shareable


def written_files(project: str | Path) -> list[Path]:
    """Every file under the project's results/, logs/ and .snakemake/, relative to it."""
    project = Path(project)
    return sorted(
        path.relative_to(project)
        for root in ROOTS
        for path in (project / root).rglob("*")
        if path.is_file()
    )


def shareable_files(project: str | Path) -> list[Path]:
    """Every file the workflow wrote in ``project`` that may be shared, relative to it."""
    return [path for path in written_files(project) if is_shareable(path)]


def folders() -> dict[str, bool]:
    """Each folder (or file at the top of results/) of the list, and whether its files may be
    shared: the rows of docs/publishing.md's table."""
    shared: dict[str, bool] = {}
    for output in OUTPUTS:
        if output.kind == "internal" and output.path.startswith("results/."):
            continue  # a temporary name, never left behind
        shared[output.folder] = shared.get(output.folder, output.shareable) and output.shareable
    return shared
