# One job (issue 22, decision 4) for the analysed cohorts' partial results and every
# questionnaire's published counts: each questionnaire's batches' cells less those of the
# repeats its cleaning dropped (likertflow.partials), then from the combined answer counts, not
# the cohorts' rows, its disclosure plan and the statements' frequencies. Together they take less
# than a job's start-up. The analysis definition the partial results read is no param of the
# cleaning (editing it does not rewrite the analysed cohort), and of each comparison only who is
# compared on what (not its test or family).
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
        exclusions=config["exclusions"],
        disclosure=config["disclosure"],
        survey_bands=get_surveys_bands,
    script:
        "../scripts/describe_cohorts.py"


# The descriptive tables: one job for all tables (a table takes a fraction of a job's start-up),
# but not part of describe_cohorts, though cheaper than its start-up: describe_cohorts rewrites
# the disclosure plans and combined cells that the comparisons, themes and figures read, so a
# table's edit there reran 9 jobs (22.6 CPU-s on the shipped data) instead of these 3 (5.4;
# benchmarks/README.md, round 9). Each table's report labels name it, for its caption
# (likertflow.reporting).
rule tabulate_questions:
    input:
        # the analysed cohorts' answer counts (likertflow.partials), not their rows
        answers=expand(
            "results/partials/{survey}.answer_counts.parquet", survey=TABLE_SURVEYS
        ),
        numbers=expand(
            "results/partials/{survey}.number_counts.parquet", survey=TABLE_SURVEYS
        ),
        library=library("bands", "codebook", "files", "publishing", "tables"),
    output:
        tables=table_reports(),
    log:
        "logs/tabulate_questions/all.log",
    params:
        codebooks=get_table_codebooks,
        tables=config["tables"],
        exclusions=config["exclusions"],
        bands=get_tables_bands,
        disclosure=config["disclosure"],
    script:
        "../scripts/tabulate_questions.py"
