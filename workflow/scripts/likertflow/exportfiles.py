"""Which files are export batches: the extensions each container is read from, and batch names.

A batch is named by its file's stem (``export_2019-06-10.xlsx`` is batch ``export_2019-06-10``),
so a questionnaire's batches may arrive in different containers over time. Plain Python only:
the workflow uses this at parse time, where importing pandas would slow every invocation.
"""

from __future__ import annotations

from pathlib import PurePath

TEXT_EXTENSIONS = (".csv", ".tsv", ".txt")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
SPSS_EXTENSIONS = (".sav", ".zsav")
EXTENSIONS = (*TEXT_EXTENSIONS, *EXCEL_EXTENSIONS, *SPSS_EXTENSIONS)


def batch_files(paths: list[str]) -> dict[str, str]:
    """Batch name -> file, for the files with an export extension, in batch order.

    Raises ValueError if two files share a stem (``week1.csv`` and ``week1.xlsx``): each
    batch must be one file, or results/ingest/<survey>/<batch>.parquet would be ambiguous.
    """
    found: dict[str, str] = {}
    for path in sorted(paths):
        pure = PurePath(path)
        if pure.suffix.lower() not in EXTENSIONS:
            continue
        if pure.stem in found:
            raise ValueError(
                f"{found[pure.stem]} and {path} are both export batch {pure.stem!r}: "
                "give each export its own file name (e.g. its date)"
            )
        found[pure.stem] = path
    return dict(sorted(found.items()))

