# Weighted surveys (codebook `design`) and before-and-after pairs (config `pairs`): issue 23.


rule describe_design:
    input:
        batches=get_ingested_batches,
        library=library("weighting"),
    output:
        units="results/design/{survey}.units.csv",
    log:
        "logs/describe_design/{survey}.log",
    params:
        codebook=get_codebook,
    script:
        "../scripts/describe_design.py"


rule estimate_weighted:
    input:
        analysed=expand("results/data/{survey}.analysed.parquet", survey=DESIGNED),
        units=expand("results/design/{survey}.units.csv", survey=DESIGNED),
        plans=expand("results/disclosure/{survey}.counts.csv", survey=DESIGNED),
        # the analysed counts as the published flow shows them (one value everywhere)
        flow="results/tables/participant_flow.csv",
        library=library("weighting", "publishing", "disclosure"),
    output:
        frequencies=report(
            "results/tables/weighted_frequencies.csv",
            caption="../report/weighted_frequencies.rst",
            category="7. Weighted estimates",
            labels={"what": "weighted percentages"},
        ),
        means=report(
            "results/tables/weighted_theme_means.csv",
            caption="../report/weighted_theme_means.rst",
            category="7. Weighted estimates",
            labels={"what": "weighted theme means"},
        ),
        design=report(
            "results/tables/survey_design.csv",
            caption="../report/survey_design.rst",
            category="7. Weighted estimates",
            labels={"what": "survey design"},
        ),
    log:
        "logs/estimate_weighted/all.log",
    params:
        codebooks=get_designed_codebooks,
        analysis=analysis_settings(
            "confidence_level", "proportion_interval", "design_effect"
        ),
        disclosure=config["disclosure"],
    script:
        "../scripts/estimate_weighted.py"


rule compare_weighted:
    input:
        analysed=get_weighted_comparison_analysed,
        units=get_weighted_comparison_units,
        library=library("weighting", "bands", "disclosure"),
    output:
        report(
            "results/tables/weighted_comparisons.csv",
            caption="../report/weighted_comparisons.rst",
            category="7. Weighted estimates",
            labels={"what": "design-based comparisons"},
        ),
    log:
        "logs/compare_weighted/all.log",
    params:
        comparisons=get_weighted_comparisons,
        codebooks=get_designed_codebooks,
        bands=get_weighted_comparisons_bands,
        confidence_level=config["analysis"]["confidence_level"],
        alpha=config["analysis"]["alpha"],
        disclosure=config["disclosure"],
    script:
        "../scripts/compare_weighted.py"


rule compare_pairs:
    input:
        analysed=get_paired_analysed,
        # the analysed counts as the published flow shows them (one value everywhere)
        flow="results/tables/participant_flow.csv",
        library=library("weighting", "disclosure", "publishing"),
    output:
        tests=report(
            "results/tables/paired_tests.csv",
            caption="../report/paired_tests.rst",
            category="8. Before and after",
            labels={"what": "paired tests"},
        ),
        tables=report(
            "results/tables/paired_tables.csv",
            caption="../report/paired_tables.rst",
            category="8. Before and after",
            labels={"what": "before-by-after tables"},
        ),
        flow=report(
            "results/tables/paired_flow.csv",
            caption="../report/paired_flow.rst",
            category="8. Before and after",
            labels={"what": "pairing"},
        ),
    log:
        "logs/compare_pairs/all.log",
    params:
        pairs=config["pairs"],
        codebooks=get_paired_codebooks,
        confidence_level=config["analysis"]["confidence_level"],
        alpha=config["analysis"]["alpha"],
        disclosure=config["disclosure"],
    script:
        "../scripts/compare_pairs.py"


rule compare_weighted_pairs:
    input:
        analysed=get_weighted_pair_analysed,
        units=get_weighted_pair_units,
        paired_tests="results/tables/paired_tests.csv",
        paired_tables="results/tables/paired_tables.csv",
        library=library("weighting", "disclosure", "publishing"),
    output:
        tests=report(
            "results/tables/weighted_paired_tests.csv",
            caption="../report/weighted_paired_tests.rst",
            category="8. Before and after",
            labels={"what": "weighted paired tests"},
        ),
        tables=report(
            "results/tables/weighted_paired_tables.csv",
            caption="../report/weighted_paired_tables.rst",
            category="8. Before and after",
            labels={"what": "weighted before-by-after tables"},
        ),
    log:
        "logs/compare_weighted_pairs/all.log",
    params:
        pairs=get_weighted_pairs,
        codebooks=get_weighted_pair_codebooks,
        analysis=analysis_settings(
            "confidence_level", "proportion_interval", "design_effect"
        ),
        alpha=config["analysis"]["alpha"],
        disclosure=config["disclosure"],
    script:
        "../scripts/compare_weighted_pairs.py"


rule plot_pairs:
    input:
        tables="results/tables/paired_tables.csv",
        library=library("codebook", "files", "plotting", "pair_plot"),
    output:
        png=report(
            "results/figures/paired_shift.png",
            caption="../report/paired_shift.rst",
            category="8. Before and after",
            labels={"what": "shift"},
        ),
        formats=figure_files("paired_shift"),
    log:
        "logs/plot_pairs/all.log",
    params:
        pairs=config["pairs"],
        codebooks=get_paired_codebooks,
        size=FIGURE_SIZE,
    script:
        "../scripts/plot_pairs.py"
