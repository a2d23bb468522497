# Parse-time Python: config and codebook validation, batch discovery, input functions.
import copy
import re
import sys

from snakemake.exceptions import WorkflowError
from snakemake.persistence import PersistenceBase

# Snakemake compares each job's params with the last run's through pandas whenever pandas is
# installed, importing it (a third of a no-op rerun) although no param can be a pandas object
# unless pandas is already imported: serialise plain params without it.
PersistenceBase._serialize_param = property(
    lambda self: (
        self._serialize_param_pandas
        if "pandas" in sys.modules
        else self._serialize_param_builtin
    )
)

sys.path.insert(0, f"{workflow.basedir}/workflow/scripts")
from likertflow.config_check import (
    check_references,
    question_ids,
    questionnaire_codebook,
)
from likertflow.exportfiles import batch_files, check_export_blocks
from likertflow.schemas import read_yaml, validate

# `snakemake --configfile FILE` runs FILE alone: the Snakefile's `configfile:` has merged it
# into the shipped study's config/config.yaml, so keep only what the command line gave.
if workflow.overwrite_configfiles:
    config.clear()
    config.update(copy.deepcopy(workflow.config_settings.overwrite_config))

SCHEMAS = f"{workflow.basedir}/workflow/schemas"
validate(config, f"{SCHEMAS}/config.schema.yaml", "config")
CODEBOOK = validate(
    read_yaml(config["codebook"]), f"{SCHEMAS}/codebook.schema.yaml", config["codebook"]
)
check_references(config, CODEBOOK)
EXPORT_PROBLEMS = check_export_blocks(CODEBOOK)
if EXPORT_PROBLEMS:
    raise WorkflowError(f"{config['codebook']}: " + "; ".join(EXPORT_PROBLEMS))

SURVEYS = sorted(CODEBOOK["questionnaires"])
TABLES = sorted(config["tables"])
COMPARISONS = sorted(config["comparisons"])
LIKERT_FIGURES = sorted(config["likert_figures"])
ADJUSTED_COMPARISONS = sorted(
    name for name, spec in config["comparisons"].items() if spec.get("adjust_for")
)
# The ordinal models' table, when a comparison declares adjust_for
ORDINAL_MODELS = ["results/tables/ordinal_models.csv"] if ADJUSTED_COMPARISONS else []
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


def one_of(names):
    """A wildcard constraint matching exactly these names; with none, nothing (an empty
    constraint would let the wildcard match any name, e.g. another rule's output)."""
    return "|".join(re.escape(name) for name in names) or "(?!)"


wildcard_constraints:
    survey=one_of(SURVEYS),
    batch=r"[^/]+",
    table=one_of(TABLES),
    comparison=one_of(COMPARISONS),
    figure=one_of(LIKERT_FIGURES),


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


def export_files(survey):
    """Export files of a questionnaire by batch (the file stem), in batch order; any
    extension a reader takes (likertflow.exportfiles), if the pattern has {ext}."""
    pattern = config["raw_exports"].replace("{survey}", survey)
    found = glob_wildcards(pattern)._asdict()
    return batch_files(expand(pattern, zip, **found) if found["batch"] else [])


def batches(survey):
    """Export batches of a questionnaire, in file-name order."""
    return list(export_files(survey))


def get_export(wildcards):
    """The file of one export batch, whatever its container."""
    return export_files(wildcards.survey)[wildcards.batch]


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
        "results/tables/reliability_warnings.csv",
        "results/tables/agreement_summary.csv",
        "results/tables/comparisons.csv",
        "results/tables/comparison_groups.csv",
        "results/tables/posthoc.csv",
        *ORDINAL_MODELS,
        *expand("results/figures/{figure}.{ext}", figure=figures, ext=["png", "svg"]),
        "results/tables.docx",
        "results/tables.xlsx",
    ]


def bands_of(questions):
    """The config bands of these questions only: a job's params, so that editing the bands of
    another question reruns nothing (config bands are by question id)."""
    return {q: bands for q, bands in config["bands"].items() if q in questions}


def get_table_bands(wildcards):
    """The bands of the table's questions."""
    return bands_of(config["tables"][wildcards.table]["questions"])


def get_comparison_bands(wildcards):
    """The bands of the comparison's `by` question, if it has any."""
    return bands_of({config["comparisons"][wildcards.comparison]["by"]})


def get_ordinal_bands(wildcards):
    """The bands of the comparison's `by` question and covariates: banded, a covariate enters
    the model as groups; without bands, a numeric one is a linear term."""
    spec = config["comparisons"][wildcards.comparison]
    return bands_of({spec["by"], *spec.get("adjust_for", [])})


def get_survey_bands(wildcards):
    """The bands of the questionnaire's own questions."""
    return bands_of(set(question_ids(CODEBOOK, wildcards.survey)))


def get_table_spec(wildcards):
    return config["tables"][wildcards.table]
