rule tabulate_questions:
    input:
        analysed=get_table_analysed,
        library=library("bands", "codebook", "files", "tables"),
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
    script:
        "../scripts/tabulate_questions.py"
