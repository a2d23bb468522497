rule check_outputs:
    input:
        # every file a researcher may share (likertflow.outputs), as the workflow made it
        shareable=get_shareable_outputs(),
        disclosure=expand("results/disclosure/{survey}.counts.csv", survey=SURVEYS),
        library=library("attacker", "codebook", "output_check", "outputs", "publishing"),
    output:
        report=report(
            "results/checks/output_check.md",
            caption="../report/output_check.rst",
            category="0. Output check",
            labels={"format": "report"},
        ),
        table=report(
            "results/checks/output_check.csv",
            caption="../report/output_check.rst",
            category="0. Output check",
            labels={"format": "one row per file"},
        ),
    log:
        "logs/check_outputs/all.log",
    params:
        disclosure=config["disclosure"],
        codebooks=get_all_codebooks,
        tables=config["tables"],
        comparisons=config["comparisons"],
        likert_figures=config["likert_figures"],
        title=config["study"]["title"],
    script:
        "../scripts/check_outputs.py"
