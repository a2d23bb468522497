# One job for every questionnaire's published counts (issue 22, decision 4): its disclosure plan,
# the descriptive tables and the statements' frequencies together take less than a job's start-up.
# They read the analysed cohorts' combined answer counts (likertflow.partials), not their rows.
# Each table's report labels name it, for its caption (likertflow.reporting). A table's edit
# reruns this job, and so what reads the disclosure plans (docs/incremental.md).
rule tabulate_questions:
    input:
        answers=expand(
            "results/partials/{survey}.answer_counts.parquet", survey=SURVEYS
        ),
        numbers=expand(
            "results/partials/{survey}.number_counts.parquet", survey=SURVEYS
        ),
        library=library("bands", "codebook", "files", "publishing", "tables"),
    output:
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
        "logs/tabulate_questions/all.log",
    params:
        codebooks=get_all_codebooks,
        tables=config["tables"],
        exclusions=config["exclusions"],
        disclosure=config["disclosure"],
        survey_bands=get_surveys_bands,
        table_bands=get_tables_bands,
    script:
        "../scripts/tabulate_questions.py"
