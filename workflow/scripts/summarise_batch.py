"""One export batch's partial results, once (issue 22): every registered kind's cells of its rows
that pass the row-wise exclusion rules (likertflow.partials), a file per kind."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.partials import compute_all, kind_of, screened_rows


def main(snakemake):
    questionnaire = parse_questionnaire(snakemake.params.codebook)
    coded = pd.read_parquet(snakemake.input.coded, columns=["row", *questionnaire.question_ids])
    screening = pd.read_parquet(snakemake.input.screening, columns=["row", "reason"])
    rows = screened_rows(coded, screening, str(snakemake.input.coded))
    cells = compute_all(rows, questionnaire, snakemake.params.definition)
    for path in snakemake.output.partials:
        cells[kind_of(path)].to_parquet(path, engine="pyarrow", index=False)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
