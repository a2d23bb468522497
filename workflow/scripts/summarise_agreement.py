"""Percent agreement per statement and statement set, every questionnaire (Figure 5's data),
from each questionnaire's combined answer patterns (partial results, issue 22), not its rows."""

import pandas as pd
from likertflow.agreement import agreement_summary_from_cells, wilson_interval
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.publishing import publish_agreement, read_plans
from likertflow.settings import AgreementSettings


def statement_frequencies(snakemake) -> dict:
    """(survey, statement) -> (its published frequencies, its agree codes)."""
    plans = read_plans(snakemake.input.disclosure)
    frequencies = {}
    for survey, codebook in snakemake.params.codebooks.items():
        plan = plans[survey]
        for question in parse_questionnaire(codebook).statements():
            if not question.answers.ordinal:  # no agree end: not summarised
                continue
            rows = plan[plan["question_id"] == question.id]
            agree = [str(code) for code in question.keyed_agree_codes]
            frequencies[(survey, question.id)] = (rows.astype({"count": "int64"}), agree)
    return frequencies


def main(snakemake):
    analysis = AgreementSettings.from_params(snakemake.params.analysis)
    paths = {survey_of(path): path for path in snakemake.input.patterns}
    tables = [
        agreement_summary_from_cells(
            pd.read_parquet(paths[survey]),
            parse_questionnaire(codebook),
            confidence=analysis.confidence_level,
            resamples=analysis.bootstrap_resamples,
            seed=analysis.seed,
            reverse_keyed=analysis.reverse_keyed_agreement,
        )
        for survey, codebook in sorted(snakemake.params.codebooks.items())
    ]
    summary = pd.concat(tables, ignore_index=True)
    policy = policy_of(snakemake.params.disclosure)
    if policy.applies:
        summary = publish_agreement(
            summary,
            statement_frequencies(snakemake),
            policy,
            lambda agree, n: wilson_interval(agree, n, analysis.confidence_level),
        )
    write_csv(summary, snakemake.output[0])


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
