"""The published tables (results/tables/*.csv) as a manuscript's tables: Word and Excel."""

from pathlib import Path

from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import read_csv
from likertflow.manuscript import manuscript_tables, study_of
from likertflow.office import write_docx, write_xlsx
from likertflow.settings import ManuscriptSettings


def read_text(path):
    """A published table as the text it holds: ``*`` and every number exactly as written."""
    return read_csv(path, dtype="str", na_values=[])


def main(snakemake):
    questionnaires = {
        survey: parse_questionnaire(codebook)
        for survey, codebook in snakemake.params.codebooks.items()
    }
    config = {"tables": snakemake.params.tables, "comparisons": snakemake.params.comparisons}
    settings = ManuscriptSettings.from_params(snakemake.params.analysis)
    study = study_of(questionnaires, config, settings, policy_of(snakemake.params.disclosure))
    inputs = snakemake.input
    ordinal = list(inputs.ordinal_models)
    tables = manuscript_tables(
        descriptive={Path(path).stem: read_text(path) for path in inputs.tables},
        flow=read_text(inputs.flow),
        tests=read_text(inputs.comparisons),
        groups=read_text(inputs.groups),
        posthoc=read_text(inputs.posthoc),
        models=read_text(ordinal[0]) if ordinal else None,
        study=study,
        # issue 23: only when a codebook declares a design, a config pairs
        weighted=read_text(inputs.weighted[0]) if list(inputs.weighted) else None,
        paired=read_text(inputs.paired[0]) if list(inputs.paired) else None,
        weighted_comparisons=(read_text(inputs.weighted_comparisons[0])
                              if list(inputs.weighted_comparisons) else None),
        weighted_pairs=(tuple(read_text(path) for path in inputs.weighted_pairs)
                        if list(inputs.weighted_pairs) else None),
    )
    title = snakemake.params.title
    write_docx(tables, snakemake.output.docx, title)
    write_xlsx(tables, snakemake.output.xlsx, title)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
