# One job (issue 22, decision 4) for the analysed cohorts' partial results and every
# questionnaire's published counts: each questionnaire's batches' cells less those of the
# repeats its cleaning dropped (likertflow.partials), then from the combined answer counts, not
# the cohorts' rows, its disclosure plan, the descriptive tables and the statements' frequencies.
# Together they take less than a job's start-up. The analysis definition the partial results
# read is no param of the cleaning (editing it does not rewrite the analysed cohort), and of each
# comparison only who is compared on what (not its test or family). Each table's report labels
# name it, for its caption (likertflow.reporting). A table's edit reruns this job, and so what
# reads the combined cells and the disclosure plans (docs/incremental.md).
rule describe_cohorts:
    input:
        partials=get_all_batch_partials,
        repeats=expand("results/data/{survey}.repeats.parquet", survey=SURVEYS),
        library=library(
            "bands",
            "codebook",
            "files",
            "partials",
            "publishing",
            "tables",
        ),
    output:
        partials=expand(
            "results/partials/{survey}.{kind}.parquet",
            survey=SURVEYS,
            kind=PARTIAL_KINDS,
        ),
        # every question's counts as published, for the steps that show them (not shareable)
        plans=expand("results/disclosure/{survey}.counts.csv", survey=SURVEYS),
        tables=table_reports(),
        statements=report(
            "results/tables/statement_frequencies.csv",
            caption="../report/statement_frequencies.rst",
            category="2. Descriptive tables",
            labels={"table": "statement_frequencies"},
        ),
    log:
        "logs/describe_cohorts/all.log",
    params:
        codebooks=get_all_codebooks,
        definition=get_partials_definition,
        tables=config["tables"],
        exclusions=config["exclusions"],
        disclosure=config["disclosure"],
        survey_bands=get_surveys_bands,
        table_bands=get_tables_bands,
    script:
        "../scripts/describe_cohorts.py"
