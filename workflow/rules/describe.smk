# One job for all tables: a table takes a fraction of a job's start-up (issue 22). Each table's
# report labels name it, for its caption (likertflow.reporting).
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


# One job for all questionnaires: a questionnaire's plan is a fraction of a job's start-up.
rule plan_disclosure:
    input:
        answers=expand(
            "results/partials/{survey}.answer_counts.parquet", survey=SURVEYS
        ),
        numbers=expand(
            "results/partials/{survey}.number_counts.parquet", survey=SURVEYS
        ),
        library=library("bands", "codebook", "files", "publishing", "tables"),
    output:
        plans=expand("results/disclosure/{survey}.counts.csv", survey=SURVEYS),
    log:
        "logs/plan_disclosure/all.log",
    params:
        codebooks=get_all_codebooks,
        exclusions=config["exclusions"],
        disclosure=config["disclosure"],
        bands=get_surveys_bands,
    script:
        "../scripts/plan_disclosure.py"


rule tabulate_statements:
    input:
        disclosure=expand("results/disclosure/{survey}.counts.csv", survey=SURVEYS),
        library=library("codebook", "files", "publishing"),
    output:
        report(
            "results/tables/statement_frequencies.csv",
            caption="../report/statement_frequencies.rst",
            category="2. Descriptive tables",
            labels={"table": "statement_frequencies"},
        ),
    log:
        "logs/tabulate_statements/all.log",
    params:
        codebooks=get_all_codebooks,
    script:
        "../scripts/tabulate_statements.py"
