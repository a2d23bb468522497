"""Survey platforms: one module per export format behind one registry, ``PLATFORMS``.

Each platform module holds everything known of its format: its reader (the file to a ``Table``
of column ids, column texts and data), its fixture writers (answers laid out as the platform
lays them, for the tests and the synthetic generators, so that reading and writing are tested
side by side), what the codebook drafter knows of its exports (``DraftHints``: metadata column
names, timestamp formats, answer labels kept beside the data) and how it codes its finished
flag. ``containers`` reads and writes the files those layouts are in (text, Excel; an SPSS
``.sav`` is the ``spss`` platform's own) and names the export batches.

The seam: ``read_export(path, questionnaire)`` reads a file in the format the codebook's
``export.format`` names and returns an ``Export``: the frame that validation takes (string
columns named as the codebook names them, by the platform's column id or by the question text
as ``export.match`` says, blank cells missing), the row number a person sees for each data row
(the spreadsheet row, counting the header rows), how to name each column in a message (id and
text where the format has both), and the names of the columns it dropped. Columns the codebook
does not name (IP addresses, locations, e-mail addresses, names, external references, user
agents, free text that is not analysed) are dropped here, so they never reach a results file:
``Export.dropped`` lists their names, never their values. Where the export holds answer codes
rather than labels (``export.values: codes``), each question's codes are turned into the
codebook's labels before validation (by each option's ``export_code`` where the platform's
codes are not the analysed ones), so that every check is in the codebook's words; an unknown
code stays as it is, and the message lists the codes expected. Response ids are normalised
(``likertflow.coding.normalise_ids``: Unicode NFKC, invisible characters and surrounding white
space removed) before anything compares them.

Adding a format: a module here with its reader, fixture writer, draft hints and ``PLATFORM``,
built from the pieces every platform shares (``from likertflow.platforms import base``, then
``base.Table``, ``base.Columns``, ``base.Platform``, ...), listed in ``PLATFORMS``; the schema's
``export.format`` enum names the same formats (a test keeps them in step). This package is
imported at parse time: its modules import pandas only inside the functions that read and write
data.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from likertflow.errors import InputError, Problem
from likertflow.platforms import limesurvey, plain, qualtrics, redcap, spss, surveymonkey
from likertflow.platforms.base import FINISHED_VALUES, Export, Layout, Platform, Table
from likertflow.platforms.containers import SPSS_EXTENSIONS, write_grid

if TYPE_CHECKING:
    from likertflow.codebook import ExportSpec, Questionnaire
    from likertflow.platforms.preflight import Limits

PLATFORMS: dict[str, Platform] = {
    platform.name: platform
    for platform in (
        plain.CSV,
        plain.EXCEL,
        qualtrics.PLATFORM,
        surveymonkey.PLATFORM,
        redcap.PLATFORM,
        limesurvey.PLATFORM,
        spss.PLATFORM,
    )
}


def platform_of(path: Path, spec: ExportSpec) -> Platform:
    """The platform whose layout the file holds: an SPSS file's, else ``export.format``'s."""
    return PLATFORMS["spss"] if path.suffix.lower() in SPSS_EXTENSIONS else PLATFORMS[spec.format]


def read_table(path: str | Path, spec: ExportSpec, limits: Limits | None = None) -> Table:
    """The export as the platform laid it out (for drafting a codebook), once the file is found
    within ``limits`` (``preflight``; default: the config schema's)."""
    path = Path(path)
    return platform_of(path, spec).read(path, spec, limits)


def finished_values(spec: ExportSpec) -> tuple[str, ...]:
    """The values of the export's finished flag that mean finished: the codebook's, else the
    platform's convention for its ``values``, else ``FINISHED_VALUES``."""
    if spec.finished_values is not None:
        return spec.finished_values
    return PLATFORMS[spec.format].finished.get(spec.values, FINISHED_VALUES)


# What to do about two columns of one name, by how the codebook matches columns.
REPEATED_COLUMN_REMEDY = {
    "text": "match columns by the platform's id instead (export.match: id)",
    "id": "the export itself repeats this column id (e.g. a question copied in the survey): "
    "give one of the two another code on the platform and export again",
}


def read_export(
    path: str | Path, questionnaire: Questionnaire, limits: Limits | None = None
) -> Export:
    """Read an export of any format as validation takes it: the columns the questionnaire names
    (``export_columns``, as ``export.match`` says: column ids or texts), answer codes read as
    labels where ``export.values`` is ``codes``; other columns dropped (their names kept in
    ``Export.dropped``)."""
    import numpy as np
    import pandas as pd

    from likertflow.platforms.base import labels_from_codes

    spec = questionnaire.export
    table = read_table(path, spec, limits)
    keys = table.ids if spec.match == "id" else table.texts
    names = {
        key: key if id_ == text else f"{id_}: {text}"
        for key, id_, text in zip(keys, table.ids, table.texts, strict=True)
    }
    wanted = set(questionnaire.export_columns)
    keep: dict[str, int] = {}
    for position, key in enumerate(keys):
        if key in wanted and key in keep:
            raise InputError(
                f"{path}: two columns are both {key!r}, so the codebook cannot tell them apart",
                [
                    Problem(
                        str(path),
                        "each column the codebook names to occur once; "
                        + REPEATED_COLUMN_REMEDY[spec.match],
                        column=key,
                        value=f"columns {keep[key] + 1} and {position + 1}",
                    )
                ],
            )
        if key in wanted:
            keep[key] = position
    dropped = [names[key] for position, key in enumerate(keys) if keep.get(key) != position]
    frame = pd.DataFrame({key: table.data[position] for key, position in keep.items()})
    if len(frame.columns) == 0:
        frame = pd.DataFrame(index=table.data.index)
    if spec.codes:
        for question in questionnaire.questions:
            if question.numeric:  # numbers are read as they are, not decoded from codes
                continue
            for column in question.columns:
                if column.header in frame:
                    labels = question.answers.label_of_exported
                    frame[column.header] = labels_from_codes(frame[column.header], labels)
    if spec.response_id in frame:  # compared from here on: within the batch, across batches
        from likertflow.coding import normalise_ids

        frame[spec.response_id] = normalise_ids(frame[spec.response_id].astype("str"))
    rows = np.arange(table.first_row, table.first_row + len(frame), dtype=np.int64)
    return Export(frame.astype("str"), rows, names, dropped)


def write(
    layout: Layout,
    path: str | Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    quoting: str | None = None,
    eol: str = "\r\n",
    created: datetime | None = None,
) -> Path:
    """Write a fixture layout as the platform would, by the file's extension: CSV (any dialect;
    ``quoting`` by default the layout's own, ``containers.QUOTING``), .xlsx, or .sav.

    ``created``: the creation time a .sav file's header records (default: now); give a fixed
    one for files that must be the same bytes each time they are made.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".sav":
        return spss.write(layout, path, created)
    return write_grid(
        layout.header_rows,
        layout.data,
        path,
        delimiter=delimiter,
        encoding=encoding,
        quoting=layout.quoting if quoting is None else quoting,
        eol=eol,
    )
