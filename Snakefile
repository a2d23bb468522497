# Likert survey analysis: raw survey-platform exports -> validated cohort -> tables, statistics,
# figures and a report. See README.md; the instrument is described in config/codebook.yaml.
from snakemake.utils import min_version

# The Snakemake version CI tests (constraints.txt); common.smk patches a private method of it.
min_version("9.27.1")


# Reports a YAML mistake in config/config.yaml with its line and column, before Snakemake reads it.
include: "workflow/rules/preflight.smk"


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/describe.smk"
include: "workflow/rules/themes.smk"
include: "workflow/rules/compare.smk"
include: "workflow/rules/design.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/manuscript.smk"
include: "workflow/rules/check.smk"


rule all:
    input:
        get_final_outputs(),
