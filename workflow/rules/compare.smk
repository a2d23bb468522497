rule compare_groups:
    input:
        scores=get_comparison_scores,
        library=library("codebook", "comparisons", "files"),
    output:
        tests="results/compare/{comparison}.tests.csv",
        groups="results/compare/{comparison}.groups.csv",
        posthoc="results/compare/{comparison}.posthoc.csv",
    log:
        "logs/compare_groups/{comparison}.log",
    params:
        comparison=get_comparison_spec,
        codebooks=get_comparison_codebooks,
        analysis=config["analysis"],
    script:
        "../scripts/compare_groups.py"


rule adjust_pvalues:
    input:
        tests=expand("results/compare/{comparison}.tests.csv", comparison=COMPARISONS),
        groups=expand("results/compare/{comparison}.groups.csv", comparison=COMPARISONS),
        posthoc=expand(
            "results/compare/{comparison}.posthoc.csv", comparison=COMPARISONS
        ),
        disclosure=expand("results/disclosure/{survey}.counts.csv", survey=SURVEYS),
        library=library("comparisons", "files", "publishing"),
    output:
        comparisons=report(
            "results/tables/comparisons.csv",
            caption="../report/comparisons.rst",
            category="4. Comparisons",
            labels={"what": "tests"},
        ),
        groups=report(
            "results/tables/comparison_groups.csv",
            caption="../report/comparison_groups.rst",
            category="4. Comparisons",
            labels={"what": "groups"},
        ),
        posthoc=report(
            "results/tables/posthoc.csv",
            caption="../report/posthoc.rst",
            category="4. Comparisons",
            labels={"what": "Dunn post-hoc pairs"},
        ),
    log:
        "logs/adjust_pvalues/all.log",
    params:
        families=COMPARISON_FAMILIES,
        group_questions=COMPARISON_GROUP_QUESTIONS,
        disclosure=config["disclosure"],
        analysis=analysis_settings("p_adjust", "alpha"),
    script:
        "../scripts/adjust_pvalues.py"
