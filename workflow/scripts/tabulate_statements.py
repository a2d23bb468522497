"""Every statement's answers as published, every questionnaire (the Likert figures' numbers)."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.errors import run_step
from likertflow.files import write_csv
from likertflow.publishing import STATEMENT_COLUMNS, read_plans, statement_frequencies


def main(snakemake):
    plans = read_plans(snakemake.input.disclosure)
    tables = [
        statement_frequencies(plans[survey], parse_questionnaire(codebook))
        for survey, codebook in sorted(snakemake.params.codebooks.items())
    ]
    empty = pd.DataFrame(columns=STATEMENT_COLUMNS)
    table = pd.concat(tables, ignore_index=True) if tables else empty
    write_csv(table, snakemake.output[0])


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
