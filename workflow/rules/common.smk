# Parse-time Python: config and codebook validation, batch discovery, input functions.
import ast
import copy
import functools
import os
import re
import sys

import snakemake
from snakemake.io import report as report_file  # `report` alone is a directive here
from snakemake.logging import logger
from snakemake.persistence import PersistenceBase

# Snakemake compares each job's params with the last run's through pandas whenever pandas is
# installed (PersistenceBase._serialize_param: importlib.util.find_spec("pandas")), importing it:
# a third of a no-op rerun, although no param can be a pandas object unless pandas is already
# imported. On the Snakemake versions CI tests (constraints.txt), this private property is
# replaced to serialise plain params without pandas. It is unnecessary once Snakemake asks
# `"pandas" in sys.modules` there instead of find_spec (or serialises plain params without
# pandas); on any other version it is left alone, which costs start-up time, not correctness.
SERIALIZE_PARAM_PATCHED_ON = ("9.27.1",)
if snakemake.__version__ in SERIALIZE_PARAM_PATCHED_ON:
    PersistenceBase._serialize_param = property(
        lambda self: (
            self._serialize_param_pandas
            if "pandas" in sys.modules
            else self._serialize_param_builtin
        )
    )
else:
    logger.warning(
        f"likertflow: Snakemake {snakemake.__version__} is not one CI tests "
        f"({', '.join(SERIALIZE_PARAM_PATCHED_ON)}): params are compared as Snakemake does, "
        "through pandas, which makes a no-op rerun slower"
    )

# Code paths are the workflow's own (this file is <workflow>/workflow/rules/common.smk), so that
# the workflow runs on a survey folder elsewhere: `snakemake --snakefile <clone>/Snakefile
# --directory <survey>`, or as a module of a survey folder's Snakefile (where workflow.basedir is
# the survey's). Data paths (config, codebook, raw exports, results, logs) stay relative to the
# working directory, the survey folder.
WORKFLOW_ROOT = os.path.dirname(
    os.path.dirname(workflow.current_basedir.get_path_or_uri(secret_free=True))
)
sys.path.insert(0, f"{WORKFLOW_ROOT}/workflow/scripts")
from likertflow.captions import WORDS, caption_words
from likertflow.codebook import CodebookError, parse_codebook, questionnaire_codebook
from likertflow.figure_kinds import outputs as figure_outputs
from likertflow.figure_kinds import weighted_likert_figures
from likertflow.fingerprints import Fingerprints
from likertflow.outputs import PARTIAL_KINDS, is_shareable
from likertflow.platforms.containers import batch_files, no_exports_found
from likertflow.references import ConfigError, check_references
from likertflow.reporting import protect_report
from likertflow.rundir import check_lock, check_writable, record_run
from likertflow.schemas import locate_problems, read_yaml, validate
from likertflow.settings import counted_comparisons

# The report: no live markup from the config, codebook or data, written whole or not at all.
protect_report()

# A folder locked by another run: say whether that run is alive (then refuse --unlock) or ended
# (likertflow.rundir). Snakemake's own message cannot tell the two apart.
# results/ and logs/ must be writable: say so now, not in a traceback when a job starts.
if workflow.is_main_process:
    LOCK_NOTE = check_lock(sys.argv)
    if LOCK_NOTE:
        logger.error(f"likertflow: {LOCK_NOTE}")
    if "--unlock" not in sys.argv:
        SPACE_NOTE = check_writable()
        if SPACE_NOTE:
            logger.warning(f"likertflow: {SPACE_NOTE}")


onstart:
    record_run()  # the lock is taken: record which process holds it


# `snakemake --configfile FILE` runs FILE alone: the Snakefile's `configfile:` has merged it
# into the shipped study's config/config.yaml, so keep only what the command line gave.
if workflow.overwrite_configfiles:
    config.clear()
    config.update(copy.deepcopy(workflow.config_settings.overwrite_config))

SCHEMAS = f"{WORKFLOW_ROOT}/workflow/schemas"
# The one file the config came from (the command line's, or the Snakefile's configfile), so that
# a mistake in it is reported at its line and column.
CONFIG_FILES = [
    str(path) for path in workflow.overwrite_configfiles
] or workflow.configfiles
CONFIG_FILE = CONFIG_FILES[0] if len(CONFIG_FILES) == 1 else None
validate(config, f"{SCHEMAS}/config.schema.yaml", "config", CONFIG_FILE)
CODEBOOK = validate(
    read_yaml(config["codebook"]),
    f"{SCHEMAS}/codebook.schema.yaml",
    config["codebook"],
    config["codebook"],
)
try:
    QUESTIONNAIRES = parse_codebook(CODEBOOK)
    check_references(config, QUESTIONNAIRES)
except (CodebookError, ConfigError) as error:
    summary = str(error).splitlines()[0]
    located = locate_problems(error.problems, [CONFIG_FILE, config["codebook"]])
    raise type(error)("\n  - ".join([summary, *located])) from None
# The registries' words for the report's captions, which see only the config and their params.
config[WORDS] = caption_words(config, QUESTIONNAIRES)

SURVEYS = sorted(QUESTIONNAIRES)
TABLES = sorted(config["tables"])
COMPARISONS = sorted(config["comparisons"])
LIKERT_FIGURES = sorted(config["likert_figures"])
ADJUSTED_COMPARISONS = sorted(
    name for name, spec in config["comparisons"].items() if spec["adjust_for"]
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
# comparison -> {questionnaire: its label}, for those grouped by questionnaire (the groups' labels)
COMPARISON_SURVEY_GROUPS = {
    name: {survey: QUESTIONNAIRES[survey].label for survey in spec["surveys"]}
    for name, spec in config["comparisons"].items()
    if spec["by"] == "survey"
}

# Weighted surveys (codebook `design`) and before-and-after pairs (config `pairs`): issue 23.
# Without either, none of their rules runs and no file of theirs is written.
DESIGNED = [survey for survey in SURVEYS if QUESTIONNAIRES[survey].design is not None]
# Likert figures of questionnaires with a design: each has a weighted figure too
WEIGHTED_LIKERT_FIGURES = weighted_likert_figures(config, QUESTIONNAIRES)


# comparisons of questionnaires with a design (within one, or of several, each with one, by
# survey): also tested on the design
def comparison_surveys(comparison):
    spec = config["comparisons"][comparison]
    return spec["surveys"] if spec["by"] == "survey" else [spec["survey"]]


WEIGHTED_COMPARISONS = sorted(
    name for name in COMPARISONS if set(comparison_surveys(name)) & set(DESIGNED)
)
PAIRED = sorted(
    {
        survey
        for spec in config["pairs"].values()
        for survey in (spec["before"], spec["after"])
    }
)
# pairs whose first wave has a design: also analysed on that design (a weighted panel)
WEIGHTED_PAIRS = sorted(
    name for name, spec in config["pairs"].items() if spec["before"] in DESIGNED
)
DESIGN_OUTPUTS = [
    *(
        [
            "results/tables/weighted_frequencies.csv",
            "results/tables/weighted_theme_means.csv",
            "results/tables/survey_design.csv",
        ]
        if DESIGNED
        else []
    ),
    *(["results/tables/weighted_comparisons.csv"] if WEIGHTED_COMPARISONS else []),
    *(
        [
            "results/tables/paired_tests.csv",
            "results/tables/paired_tables.csv",
            "results/tables/paired_flow.csv",
            "results/figures/paired_shift.png",
            *(
                f"results/figures/paired_shift.{ext}"
                for ext in config["figures"]["formats"]
            ),
        ]
        if PAIRED
        else []
    ),
    *(
        [
            "results/tables/weighted_paired_tests.csv",
            "results/tables/weighted_paired_tables.csv",
        ]
        if WEIGHTED_PAIRS
        else []
    ),
]

# The weighted and paired tables the Word/Excel tables also show (none without a design, pairs)
WEIGHTED_MANUSCRIPT = ["results/tables/weighted_frequencies.csv"] if DESIGNED else []
PAIRED_MANUSCRIPT = ["results/tables/paired_tests.csv"] if PAIRED else []
WEIGHTED_COMPARISONS_MANUSCRIPT = (
    ["results/tables/weighted_comparisons.csv"] if WEIGHTED_COMPARISONS else []
)
WEIGHTED_PAIRS_MANUSCRIPT = (
    [
        "results/tables/weighted_paired_tests.csv",
        "results/tables/weighted_paired_tables.csv",
    ]
    if WEIGHTED_PAIRS
    else []
)


def workflow_path(path):
    """A file of the workflow as an input of rules, relative to the working directory when the
    workflow is inside it (the clone's root: paths as they always were), else absolute.
    """
    relative = os.path.relpath(os.path.join(WORKFLOW_ROOT, path))
    return os.path.join(WORKFLOW_ROOT, path) if relative.startswith("..") else relative


LIBRARY = workflow_path("workflow/scripts/likertflow")


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
    """Library modules a script imports, with the modules they import in turn, into subpackages
    too (likertflow.platforms.qualtrics): inputs, so that editing one reruns its jobs (Snakemake
    tracks a script's own file, not its imports). Every script reports input errors through
    likertflow.errors."""
    needed, pending = set(), [f"likertflow.{name}" for name in ("errors", *modules)]
    pending = [path for name in pending for path in module_files(name)]
    while pending:
        path = pending.pop()
        if path not in needed:
            needed.add(path)
            pending += imported_files(path)
    return sorted(needed)


@functools.cache
def imported_files(path):
    """The library files that importing the library file ``path`` runs: every likertflow
    module it imports, at any depth of its code (imports inside functions included)."""
    package = ["likertflow", *path.removeprefix(f"{LIBRARY}/").split("/")[:-1]]
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the importing module's package
                base = ".".join(
                    [*package[: len(package) - node.level + 1], base]
                ).rstrip(".")
            names += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return [path for name in names for path in module_files(name)]


def module_files(name):
    """The library files Python runs to import module ``name``: the __init__.py of every
    package on its way and its own file ([] for a module outside the library; a name imported
    from a module, not a module, adds nothing)."""
    parts = name.split(".")
    if parts[0] != "likertflow":
        return []
    files = [f"{LIBRARY}/__init__.py"]
    for depth in range(1, len(parts)):
        base = "/".join([LIBRARY, *parts[1 : depth + 1]])
        if os.path.isfile(f"{base}/__init__.py"):
            files.append(f"{base}/__init__.py")
        elif os.path.isfile(f"{base}.py"):
            files.append(f"{base}.py")
        else:
            break
    return files


@functools.cache
def export_files(survey):
    """Export files of a questionnaire by batch (the file stem), in batch order; any
    extension a reader takes (likertflow.platforms.containers), if the pattern has {ext}.
    A pattern that matches none is reported once, at start-up, naming what it looked for.
    """
    pattern = config["raw_exports"].replace("{survey}", survey)
    found = glob_wildcards(pattern)._asdict()
    paths = expand(pattern, zip, **found) if found["batch"] else []
    files = batch_files(paths)
    if not files and workflow.is_main_process:
        logger.warning(
            f"likertflow: {no_exports_found(config['raw_exports'], survey, paths)}"
        )
    return files


def missing_exports(survey):
    """The input standing for a questionnaire's exports when none is found: a path naming
    the pattern, so that Snakemake's "Missing input files" says what was looked for."""
    looked_for = re.sub(
        r"\{[^}]*\}", "*", config["raw_exports"].replace("{survey}", survey)
    )
    return [f"{looked_for} (no export of {survey} matches raw_exports)"]


def batches(survey):
    """Export batches of a questionnaire, in file-name order."""
    return list(export_files(survey))


def get_export(wildcards):
    """The file of one export batch, whatever its container."""
    return export_files(wildcards.survey)[wildcards.batch]


@functools.cache
def export_fingerprints():
    # only the main process writes the digests' cache (cluster jobs read it)
    return Fingerprints(write=workflow.is_main_process)


def get_export_version(wildcards):
    """A digest of the export's bytes, a param of its ingest: a corrected export under the
    same name reruns it even when its time is older than the last run's
    (likertflow.fingerprints)."""
    return export_fingerprints().of(get_export(wildcards))


def per_batch(stage, survey):
    """One file per export batch of a questionnaire, in batch order: results/<stage>/."""
    return [
        f"results/{stage}/{survey}/{batch}.parquet" for batch in batches(survey)
    ] or missing_exports(survey)


def get_ingested_batches(wildcards):
    return per_batch("ingest", wildcards.survey)


def get_screened_batches(wildcards):
    """Each batch's screening (likertflow.cleaning.screen), in the order of its batches."""
    return per_batch("screening", wildcards.survey)


def get_all_ingested_batches(wildcards):
    return [path for survey in SURVEYS for path in per_batch("ingest", survey)]


def get_all_batch_partials(wildcards):
    """Each batch's partial results of every kind (likertflow.partials), batch by batch."""
    return [
        f"results/partials/{survey}/{batch}.{kind}.parquet"
        for survey in SURVEYS
        for batch in batches(survey)
        for kind in PARTIAL_KINDS
    ]


def get_partials_definition(wildcards):
    """The config settings the partial results read (likertflow.outputs.PARTIAL_KINDS), and
    no other: editing another reruns no batch's partial results. Of each comparison, who is
    compared on what (CountedComparison), not how (its family, its test); of the bands, those
    of the comparisons' groups and covariates."""
    keys = {key for settings in PARTIAL_KINDS.values() for key in settings}
    counted = counted_comparisons(config["comparisons"])
    grouped = {
        q for spec in counted.values() for q in (spec["by"], *spec["adjust_for"])
    }
    definition = {"comparisons": counted, "bands": bands_of(grouped)}
    return {key: definition[key] for key in sorted(keys)}


def get_codebook(wildcards):
    """The codebook of one questionnaire: its params, so that editing another reruns nothing."""
    return questionnaire_codebook(CODEBOOK, wildcards.survey)


# The questionnaires the descriptive tables are of
TABLE_SURVEYS = sorted({spec["survey"] for spec in config["tables"].values()})


def get_table_codebooks(wildcards):
    return {
        survey: questionnaire_codebook(CODEBOOK, survey) for survey in TABLE_SURVEYS
    }


def table_reports():
    """Every descriptive table, for the report: its label names it, for its caption."""
    return [
        report_file(
            f"results/tables/{table}.csv",
            caption="../report/table.rst",
            category="2. Descriptive tables",
            labels={"table": table},
        )
        for table in TABLES
    ]


# The questionnaires the comparisons (and those with ordinal models) read: their jobs' inputs
COMPARED_SURVEYS = sorted({s for name in COMPARISONS for s in comparison_surveys(name)})
ADJUSTED_SURVEYS = sorted(
    {s for name in ADJUSTED_COMPARISONS for s in comparison_surveys(name)}
)
ADJUSTED_SPECS = {name: config["comparisons"][name] for name in ADJUSTED_COMPARISONS}


def ordinal_models_report():
    """The ordinal models' table, for the report, when a comparison declares adjust_for."""
    return [
        report_file(
            path,
            caption="../report/ordinal_models.rst",
            category="4. Comparisons",
            labels={"what": "adjusted ordinal models"},
        )
        for path in ORDINAL_MODELS
    ]


def get_compared_codebooks(wildcards):
    return {
        survey: questionnaire_codebook(CODEBOOK, survey) for survey in COMPARED_SURVEYS
    }


def get_adjusted_codebooks(wildcards):
    return {
        survey: questionnaire_codebook(CODEBOOK, survey) for survey in ADJUSTED_SURVEYS
    }


def get_likert_codebooks(wildcards):
    """The codebooks of the questionnaires the Likert figures draw, by questionnaire."""
    surveys = {spec["survey"] for spec in config["likert_figures"].values()}
    return {
        survey: questionnaire_codebook(CODEBOOK, survey) for survey in sorted(surveys)
    }


def get_figures_poles(wildcards):
    """The words of each Likert figure's scale's ends, for its caption (AnswerSet.ends)."""
    return {figure: figure_poles(figure) for figure in LIKERT_FIGURES}


def get_figure_spec(wildcards):
    return config["likert_figures"][wildcards.figure]


def get_figure_codebook(wildcards):
    return questionnaire_codebook(
        CODEBOOK, config["likert_figures"][wildcards.figure]["survey"]
    )


def get_figure_poles(wildcards):
    return figure_poles(wildcards.figure)


def figure_poles(figure):
    """The words of the figure's scale's ends, for its caption (AnswerSet.ends)."""
    spec = config["likert_figures"][figure]
    statements = QUESTIONNAIRES[spec["survey"]].statements(spec["statement_set"])
    ends = statements[0].answers.ends
    return {"low": ends.low, "high": ends.high}


def figure_files(stem):
    """A figure's files besides its PNG: the formats of config figures.formats."""
    return [f"results/figures/{stem}.{ext}" for ext in config["figures"]["formats"]]


# The size every figure is drawn at (likertflow.plotting.FigureSize): None, the standard size
FIGURE_SIZE = {
    "width_mm": {
        "standard": None,
        "one_column": config["figures"]["one_column_mm"],
        "two_columns": config["figures"]["two_columns_mm"],
    }[config["figures"]["width"]],
    "png_dpi": config["figures"]["png_dpi"],
}


def get_all_codebooks(wildcards):
    return {survey: questionnaire_codebook(CODEBOOK, survey) for survey in SURVEYS}


def get_shareable_outputs():
    """Every file a run writes that a researcher may share (likertflow.outputs), but the
    report, which is made after the run: what the output check reads."""
    return [path for path in get_final_outputs(checked=False) if is_shareable(path)]


def get_final_outputs(checked=True):
    return [
        *expand("results/data/{survey}.analysed.parquet", survey=SURVEYS),
        *expand("results/audit/{survey}.ledger.csv", survey=SURVEYS),
        *expand("results/tables/{table}.csv", table=TABLES),
        "results/tables/participant_flow.csv",
        "results/tables/ledger_summary.csv",
        "results/tables/theme_correlations.csv",
        "results/tables/theme_reliability.csv",
        "results/tables/theme_item_rest.csv",
        "results/tables/reliability_warnings.csv",
        "results/tables/agreement_summary.csv",
        "results/tables/comparisons.csv",
        "results/tables/comparison_groups.csv",
        "results/tables/posthoc.csv",
        *ORDINAL_MODELS,
        *DESIGN_OUTPUTS,
        "results/tables/statement_frequencies.csv",
        *figure_outputs(
            config, QUESTIONNAIRES
        ),  # every kind of likertflow.figure_kinds
        "results/tables.docx",
        "results/tables.xlsx",
        *(
            ["results/checks/output_check.md", "results/checks/output_check.csv"]
            if checked
            else []
        ),
    ]


def bands_of(questions):
    """The config bands of these questions only: a job's params, so that editing the bands of
    another question reruns nothing (config bands are by question id)."""
    return {q: bands for q, bands in config["bands"].items() if q in questions}


def get_tables_bands(wildcards):
    """Each table's bands: those of its questions."""
    return {
        table: bands_of(spec["questions"]) for table, spec in config["tables"].items()
    }


def get_comparisons_bands(wildcards):
    """Each comparison's bands: those of its `by` question, if it has any."""
    return {name: bands_of({config["comparisons"][name]["by"]}) for name in COMPARISONS}


def get_ordinal_bands(wildcards):
    """Each adjusted comparison's bands: those of its `by` question and covariates (banded, a
    covariate enters the model as groups; without bands, a numeric one is a linear term).
    """
    return {
        name: bands_of({spec["by"], *spec["adjust_for"]})
        for name, spec in ADJUSTED_SPECS.items()
    }


def get_surveys_bands(wildcards):
    """Each questionnaire's bands: those of its own questions."""
    return {
        survey: bands_of(set(QUESTIONNAIRES[survey].question_ids)) for survey in SURVEYS
    }


def get_designed_codebooks(wildcards):
    return {survey: questionnaire_codebook(CODEBOOK, survey) for survey in DESIGNED}


def get_weighted_comparisons(wildcards):
    return {name: config["comparisons"][name] for name in WEIGHTED_COMPARISONS}


def get_weighted_comparisons_bands(wildcards):
    """Each weighted comparison's bands: those of its `by` question, if it has any."""
    return {
        name: bands_of({config["comparisons"][name]["by"]})
        for name in WEIGHTED_COMPARISONS
    }


def weighted_comparison_surveys():
    return sorted(
        {survey for name in WEIGHTED_COMPARISONS for survey in comparison_surveys(name)}
    )


def get_weighted_comparison_analysed(wildcards):
    return expand(
        "results/data/{survey}.analysed.parquet", survey=weighted_comparison_surveys()
    )


def get_weighted_comparison_units(wildcards):
    return expand(
        "results/design/{survey}.units.csv", survey=weighted_comparison_surveys()
    )


def get_weighted_pairs(wildcards):
    return {name: config["pairs"][name] for name in WEIGHTED_PAIRS}


def weighted_pair_surveys():
    return sorted(
        {
            survey
            for name in WEIGHTED_PAIRS
            for survey in (
                config["pairs"][name]["before"],
                config["pairs"][name]["after"],
            )
        }
    )


def get_weighted_pair_analysed(wildcards):
    return expand(
        "results/data/{survey}.analysed.parquet", survey=weighted_pair_surveys()
    )


def get_weighted_pair_units(wildcards):
    firsts = sorted({config["pairs"][name]["before"] for name in WEIGHTED_PAIRS})
    return expand("results/design/{survey}.units.csv", survey=firsts)


def get_weighted_pair_codebooks(wildcards):
    return {
        survey: questionnaire_codebook(CODEBOOK, survey)
        for survey in weighted_pair_surveys()
    }


def get_paired_analysed(wildcards):
    return expand("results/data/{survey}.analysed.parquet", survey=PAIRED)


def get_paired_codebooks(wildcards):
    return {survey: questionnaire_codebook(CODEBOOK, survey) for survey in PAIRED}
