"""Participant flow table, after checking that batches, ledgers and cohorts agree."""

from pathlib import Path

import pyarrow.parquet as pq
from likertflow.errors import run_step
from likertflow.flow import participant_flow, read_ledger


def main(snakemake):
    surveys = list(snakemake.params.surveys)
    batch_rows = {survey: {} for survey in surveys}
    for path in map(Path, snakemake.input.batches):  # results/ingest/{survey}/{batch}.parquet
        batch_rows[path.parent.name][path.stem] = pq.ParquetFile(path).metadata.num_rows
    ledgers = {_survey(path): read_ledger(path) for path in snakemake.input.ledgers}
    analysed = {
        _survey(path): pq.ParquetFile(path).metadata.num_rows for path in snakemake.input.analysed
    }
    flow = participant_flow(surveys, batch_rows, ledgers, analysed, snakemake.params.exclusions)
    flow.to_csv(snakemake.output[0], index=False, lineterminator="\n")


def _survey(path) -> str:
    """The survey of results/audit/{survey}.ledger.csv or results/data/{survey}.analysed.parquet."""
    return Path(path).name.split(".")[0]


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
