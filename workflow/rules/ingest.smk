rule validate_export:
    input:
        export=get_export,
        library=library("cleaning", "codebook", "files", "ingest"),
    output:
        coded="results/ingest/{survey}/{batch}.parquet",
        # Its exclusion reasons and duplicate keys, once per batch (issue 22): cleaning reads
        # these, not every batch again.
        screening="results/screening/{survey}/{batch}.parquet",
        dropped="results/audit/{survey}/{batch}.dropped_columns.csv",
    log:
        "logs/validate_export/{survey}/{batch}.log",
    resources:
        mem_mb=2000,
    params:
        codebook=get_codebook,
        ingest=config["ingest"],
        exclusions=config["exclusions"],
        export_version=get_export_version,
    script:
        "../scripts/validate_export.py"
