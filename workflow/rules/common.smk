# Parse-time Python: config and codebook validation, batch discovery, input functions.
import re
import sys

import yaml
from snakemake.utils import validate

sys.path.insert(0, f"{workflow.basedir}/workflow/scripts")
from likertflow.config_check import check_references, questionnaire_codebook

validate(config, "../schemas/config.schema.yaml")

with open(config["codebook"], encoding="utf-8") as handle:
    CODEBOOK = yaml.safe_load(handle)
validate(CODEBOOK, "../schemas/codebook.schema.yaml")
check_references(config, CODEBOOK)

SURVEYS = sorted(CODEBOOK["questionnaires"])
TABLES = sorted(config["tables"])
COMPARISONS = sorted(config["comparisons"])
LIKERT_FIGURES = sorted(config["likert_figures"])
COMPARISON_FAMILIES = {
    name: spec["family"] for name, spec in config["comparisons"].items()
}
# comparison -> (survey, grouping question), for those grouped by a question's answers
COMPARISON_GROUP_QUESTIONS = {
    name: [spec["survey"], spec["by"]]
    for name, spec in config["comparisons"].items()
    if spec["by"] != "survey"
}
LIBRARY = "workflow/scripts/likertflow"
LIBRARY_IMPORT = re.compile(r"^\s*from likertflow\.(\w+) import", re.MULTILINE)


wildcard_constraints:
    survey="|".join(SURVEYS),
    batch=r"[^/]+",
    table="|".join(TABLES),
    comparison="|".join(COMPARISONS),
    figure="|".join(LIKERT_FIGURES),


def analysis_settings(*keys):
    """Only the analysis settings a rule uses, so that changing another reruns nothing."""
    return {key: config["analysis"][key] for key in keys}


def library(*modules):
    """Library modules a script imports, with the modules they import in turn: inputs, so that
    editing one reruns its jobs (Snakemake tracks a script's own file, not its imports).
    Every script reports input errors through likertflow.errors."""
    needed, pending = set(), ["__init__", "errors", *modules]
    while pending:
        name = pending.pop()
        if name not in needed:
            needed.add(name)
            with open(f"{LIBRARY}/{name}.py", encoding="utf-8") as handle:
                pending += LIBRARY_IMPORT.findall(handle.read())
    return [f"{LIBRARY}/{name}.py" for name in sorted(needed)]


def batches(survey):
    """Export batches of a questionnaire, in file-name order."""
    pattern = config["raw_exports"].replace("{survey}", survey)
    return sorted(glob_wildcards(pattern).batch)


def get_ingested_batches(wildcards):
    return [
        f"results/ingest/{wildcards.survey}/{batch}.parquet"
        for batch in batches(wildcards.survey)
    ]


def get_all_ingested_batches(wildcards):
    return [
        f"results/ingest/{survey}/{batch}.parquet"
        for survey in SURVEYS
        for batch in batches(survey)
    ]


def get_codebook(wildcards):
    """The codebook of one questionnaire: its params, so that editing another reruns nothing."""
    return questionnaire_codebook(CODEBOOK, wildcards.survey)


def get_table_analysed(wildcards):
    return (
        f"results/data/{config['tables'][wildcards.table]['survey']}.analysed.parquet"
    )


def get_table_codebook(wildcards):
    return questionnaire_codebook(CODEBOOK, config["tables"][wildcards.table]["survey"])


def comparison_surveys(comparison):
    spec = config["comparisons"][comparison]
    return spec["surveys"] if spec["by"] == "survey" else [spec["survey"]]


def get_comparison_scores(wildcards):
    return [
        f"results/themes/{survey}.scores.parquet"
        for survey in comparison_surveys(wildcards.comparison)
    ]


def get_comparison_codebooks(wildcards):
    return {
        survey: questionnaire_codebook(CODEBOOK, survey)
        for survey in comparison_surveys(wildcards.comparison)
    }


def get_comparison_spec(wildcards):
    return config["comparisons"][wildcards.comparison]


def get_figure_analysed(wildcards):
    survey = config["likert_figures"][wildcards.figure]["survey"]
    return f"results/data/{survey}.analysed.parquet"


def get_figure_spec(wildcards):
    return config["likert_figures"][wildcards.figure]


def get_figure_codebook(wildcards):
    return questionnaire_codebook(
        CODEBOOK, config["likert_figures"][wildcards.figure]["survey"]
    )


def get_all_codebooks(wildcards):
    return {survey: questionnaire_codebook(CODEBOOK, survey) for survey in SURVEYS}


def get_final_outputs():
    figures = [*LIKERT_FIGURES, "figure5_agreement", "participant_flow"]
    return [
        *expand("results/data/{survey}.analysed.parquet", survey=SURVEYS),
        *expand("results/audit/{survey}.ledger.csv", survey=SURVEYS),
        *expand("results/tables/{table}.csv", table=TABLES),
        "results/tables/participant_flow.csv",
        "results/tables/theme_correlations.csv",
        "results/tables/theme_reliability.csv",
        "results/tables/theme_item_rest.csv",
        "results/tables/agreement_summary.csv",
        "results/tables/comparisons.csv",
        "results/tables/comparison_groups.csv",
        "results/tables/posthoc.csv",
        *expand("results/figures/{figure}.{ext}", figure=figures, ext=["png", "svg"]),
    ]


def get_table_spec(wildcards):
    return config["tables"][wildcards.table]
