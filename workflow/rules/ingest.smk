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


# Each batch's partial results, once (issue 22): the cells of its rows that pass the row-wise
# exclusion rules, which describe_cohorts sums over the batches (likertflow.partials).
rule summarise_batch:
    input:
        coded="results/ingest/{survey}/{batch}.parquet",
        screening="results/screening/{survey}/{batch}.parquet",
        library=library("codebook", "partials"),
    output:
        partials=expand(
            "results/partials/{{survey}}/{{batch}}.{kind}.parquet", kind=PARTIAL_KINDS
        ),
    log:
        "logs/summarise_batch/{survey}/{batch}.log",
    resources:
        mem_mb=2000,
    params:
        codebook=get_codebook,
        definition=get_partials_definition,
    script:
        "../scripts/summarise_batch.py"
