"""The output check: the workflow's attacker on every shareable output, and the report a human
output checker reads (likertflow.output_check). Fails the run, naming the file and cell, when a
published value breaks the disclosure policy or a hidden count can be recovered."""

import logging

from likertflow.attacker import read_release
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import SUPPRESSED, policy_of
from likertflow.errors import InputError, Problem, run_step
from likertflow.output_check import SMALL, check, failures, summary, write_report
from likertflow.outputs import is_shareable
from likertflow.publishing import read_plans

REPORT = "results/report.html"  # made after the run (snakemake --report) from the files checked


def primary_cells(paths, policy) -> set:
    """The answer counts hidden for being small (the worst case: an attacker who knows which)."""
    cells = set()
    for survey, plan in read_plans(paths).items():
        cells |= {
            ("cell", survey, question, response)
            for question, response, count in plan[["question_id", "response", "count"]].to_numpy()
            if count != SUPPRESSED and policy.primary(int(count))
        }
    return cells


def main(snakemake):
    policy = policy_of(snakemake.params.disclosure)
    questionnaires = {
        survey: parse_questionnaire(codebook)
        for survey, codebook in snakemake.params.codebooks.items()
    }
    config = {
        "tables": snakemake.params.tables,
        "comparisons": snakemake.params.comparisons,
        "likert_figures": snakemake.params.likert_figures,
    }
    release = read_release(
        ".", config, questionnaires, policy, primary_cells(snakemake.input.disclosure, policy)
    )
    files = [path for path in snakemake.input.shareable if is_shareable(path)] + [REPORT]
    records = check(release, files)
    line = summary(records, policy)
    log = logging.getLogger("likertflow")
    log.info("%s", line)
    problems = failures(records)
    if problems:
        raise InputError(
            "The output check failed: the disclosure rule would be broken by these values "
            "(file: cell: what an attacker learns). Nothing may be shared until they are fixed",
            [
                Problem(
                    text.split(": ", 1)[0],
                    "nothing the rule hides to be recoverable",
                    value=text.split(": ", 1)[1],
                )
                for text in problems
            ],  # fmt: skip
            limit=50,
        )
    if not policy.applies and any(record.small_counts for record in records):
        log.warning(
            "These results are NOT disclosure-controlled (disclosure: none), and the shareable "
            "tables show %d counts below %d. Share them only if the participants consented to "
            "exact counts being published; otherwise set a disclosure rule (docs/publishing.md).",
            sum(record.small_counts for record in records), SMALL,
        )  # fmt: skip
    write_report(
        records, policy, snakemake.output.report, snakemake.output.table, snakemake.params.title
    )


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
