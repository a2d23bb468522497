rule tabulate_questions:
    input:
        analysed=get_table_analysed,
        library=library("bands", "codebook", "files", "publishing", "tables"),
    output:
        report(
            "results/tables/{table}.csv",
            caption="../report/table.rst",
            category="2. Descriptive tables",
            labels={"table": "{table}"},
        ),
    log:
        "logs/tabulate_questions/{table}.log",
    params:
        codebook=get_table_codebook,
        table=get_table_spec,
        exclusions=config["exclusions"],
        bands=get_table_bands,
        disclosure=config["disclosure"],
    script:
        "../scripts/tabulate_questions.py"


rule plan_disclosure:
    input:
        analysed="results/data/{survey}.analysed.parquet",
        library=library("bands", "codebook", "files", "publishing", "tables"),
    output:
        "results/disclosure/{survey}.counts.csv",
    log:
        "logs/plan_disclosure/{survey}.log",
    params:
        codebook=get_codebook,
        exclusions=config["exclusions"],
        disclosure=config["disclosure"],
        bands=get_survey_bands,
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
