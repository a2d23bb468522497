rule clean_responses:
    input:
        batches=get_ingested_batches,
        library=library("codebook", "cleaning", "files"),
    output:
        analysed="results/data/{survey}.analysed.parquet",
        ledger=report(
            "results/audit/{survey}.ledger.csv",
            caption="../report/ledger.rst",
            category="1. Cohort",
            labels={"survey": "{survey}", "what": "ledger"},
        ),
    log:
        "logs/clean_responses/{survey}.log",
    resources:
        mem_mb=4000,
    params:
        codebook=get_codebook,
        exclusions=config["exclusions"],
    script:
        "../scripts/clean_responses.py"


rule count_participants:
    input:
        batches=get_all_ingested_batches,
        ledgers=expand("results/audit/{survey}.ledger.csv", survey=SURVEYS),
        analysed=expand("results/data/{survey}.analysed.parquet", survey=SURVEYS),
        library=library("files", "flow"),
    output:
        report(
            "results/tables/participant_flow.csv",
            caption="../report/participant_flow.rst",
            category="1. Cohort",
            labels={"what": "participant flow"},
        ),
    log:
        "logs/count_participants/all.log",
    params:
        surveys=SURVEYS,
        exclusions=config["exclusions"],
    script:
        "../scripts/count_participants.py"
