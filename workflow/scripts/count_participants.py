"""Participant flow table, after checking that batches, ledgers (their counts) and cohorts agree."""

from pathlib import Path

import pyarrow.parquet as pq
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.flow import ledger_summary, participant_flow, stage_of, stage_relations
from likertflow.publishing import publish_flow, publish_ledger_summary, read_plans


def main(snakemake):
    surveys = list(snakemake.params.surveys)
    batch_rows = {survey: {} for survey in surveys}
    for path in map(Path, snakemake.input.batches):  # results/ingest/{survey}/{batch}.parquet
        batch_rows[path.parent.name][path.stem] = pq.ParquetFile(path).metadata.num_rows
    # each ledger's counts, written beside it by clean_responses (likertflow.flow.ledger_counts)
    counts = {survey_of(path): pq.read_table(path).to_pandas() for path in snakemake.input.counts}
    analysed = {
        survey_of(path): pq.ParquetFile(path).metadata.num_rows for path in snakemake.input.analysed
    }
    flow = participant_flow(surveys, batch_rows, counts, analysed, snakemake.params.exclusions)
    policy = policy_of(snakemake.params.disclosure)
    flow = publish_flow(flow, stage_relations, policy, read_plans(snakemake.input.plans))
    write_csv(flow, snakemake.output.flow)
    if "ledger_summary" in snakemake.output.keys():
        summary = publish_ledger_summary(ledger_summary(counts), flow, stage_of)
        write_csv(summary, snakemake.output.ledger_summary)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
