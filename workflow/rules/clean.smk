rule clean_responses:
    input:
        screenings=get_screened_batches,
        batches=get_ingested_batches,
        library=library("codebook", "cleaning", "files", "flow"),
    output:
        analysed="results/data/{survey}.analysed.parquet",
        # the repeats the duplicate rule drops that pass the other rules: describe_cohorts subtracts
        repeats="results/data/{survey}.repeats.parquet",
        # For the analyst only: the report shows results/tables/ledger_summary.csv instead.
        ledger="results/audit/{survey}.ledger.csv",
        # what count_participants reads of the ledger (likertflow.flow.ledger_counts)
        ledger_counts="results/audit/{survey}.ledger_counts.parquet",
    log:
        "logs/clean_responses/{survey}.log",
    resources:
        mem_mb=4000,
    params:
        codebook=get_codebook,
        exclusions=config["exclusions"],
        exclusion_warning_share=config["exclusion_warning_share"],
    script:
        "../scripts/clean_responses.py"


rule count_participants:
    input:
        batches=get_all_ingested_batches,
        counts=expand("results/audit/{survey}.ledger_counts.parquet", survey=SURVEYS),
        analysed=expand("results/data/{survey}.analysed.parquet", survey=SURVEYS),
        # the published denominators: where they show the analysed, the flow protects otherwise
        plans=expand("results/disclosure/{survey}.counts.csv", survey=SURVEYS),
        library=library("files", "flow", "publishing"),
    output:
        flow=report(
            "results/tables/participant_flow.csv",
            caption="../report/participant_flow.rst",
            category="1. Cohort",
            labels={"what": "participant flow"},
        ),
        ledger_summary=report(
            "results/tables/ledger_summary.csv",
            caption="../report/ledger_summary.rst",
            category="1. Cohort",
            labels={"what": "ledger summary"},
        ),
    log:
        "logs/count_participants/all.log",
    params:
        surveys=SURVEYS,
        exclusions=config["exclusions"],
        disclosure=config["disclosure"],
    script:
        "../scripts/count_participants.py"
