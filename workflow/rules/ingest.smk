rule validate_export:
    input:
        export=config["raw_exports"],
        library=library("codebook", "ingest"),
    output:
        "results/ingest/{survey}/{batch}.parquet",
    log:
        "logs/validate_export/{survey}/{batch}.log",
    resources:
        mem_mb=2000,
    params:
        codebook=get_codebook,
    script:
        "../scripts/validate_export.py"
