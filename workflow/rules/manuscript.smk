rule write_manuscript_tables:
    input:
        tables=expand("results/tables/{table}.csv", table=TABLES),
        flow="results/tables/participant_flow.csv",
        comparisons="results/tables/comparisons.csv",
        groups="results/tables/comparison_groups.csv",
        posthoc="results/tables/posthoc.csv",
        ordinal_models=ORDINAL_MODELS,
        weighted=WEIGHTED_MANUSCRIPT,
        paired=PAIRED_MANUSCRIPT,
        weighted_comparisons=WEIGHTED_COMPARISONS_MANUSCRIPT,
        weighted_pairs=WEIGHTED_PAIRS_MANUSCRIPT,
        library=library("codebook", "disclosure", "files", "manuscript", "office"),
    output:
        docx=report(
            "results/tables.docx",
            caption="../report/manuscript_tables.rst",
            category="6. Tables for the manuscript",
            labels={"format": "Word (.docx)"},
        ),
        xlsx=report(
            "results/tables.xlsx",
            caption="../report/manuscript_tables.rst",
            category="6. Tables for the manuscript",
            labels={"format": "Excel (.xlsx), one sheet per table"},
        ),
    log:
        "logs/write_manuscript_tables/all.log",
    params:
        tables=config["tables"],
        comparisons=config["comparisons"],
        codebooks=get_all_codebooks,
        analysis=analysis_settings("alpha", "confidence_level"),
        disclosure=config["disclosure"],
        title=config["study"]["title"],
    script:
        "../scripts/write_manuscript_tables.py"
