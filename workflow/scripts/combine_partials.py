"""The analysed cohorts' partial results (issue 22): each questionnaire's batches' cells less the
cells of the repeats its cleaning dropped that pass every other rule (likertflow.partials)."""

from pathlib import Path

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import survey_of
from likertflow.partials import combined_cells, compute_all, kind_of


def main(snakemake):
    batch_cells = {survey: {} for survey in snakemake.params.codebooks}
    for path in snakemake.input.partials:  # results/partials/{survey}/{batch}.{kind}.parquet
        cells = batch_cells[Path(path).parent.name].setdefault(kind_of(path), [])
        cells.append(pd.read_parquet(path))
    combined = {}
    for path in snakemake.input.repeats:  # results/data/{survey}.repeats.parquet
        survey = survey_of(path)
        questionnaire = parse_questionnaire(snakemake.params.codebooks[survey])
        repeats = compute_all(pd.read_parquet(path), questionnaire, snakemake.params.definition)
        combined[survey] = combined_cells(batch_cells[survey], repeats)
    for path in snakemake.output.partials:  # results/partials/{survey}.{kind}.parquet
        combined[survey_of(path)][kind_of(path)].to_parquet(path, engine="pyarrow", index=False)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
