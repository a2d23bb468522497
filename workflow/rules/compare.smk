# One job for all comparisons (and one for their ordinal models below): a comparison's tests take
# a fraction of a job's start-up; the per-comparison files stay, for adjust_pvalues. Both read the
# combined partial results (counted cells, issue 22), not the respondents' rows.
rule compare_groups:
    input:
        cells=expand(
            "results/partials/{survey}.comparison_cells.parquet",
            survey=COMPARED_SURVEYS,
        ),
        library=library("comparisons", "files", "grouping", "pvalues"),
    output:
        tests=expand("results/compare/{comparison}.tests.csv", comparison=COMPARISONS),
        groups=expand("results/compare/{comparison}.groups.csv", comparison=COMPARISONS),
        posthoc=expand(
            "results/compare/{comparison}.posthoc.csv", comparison=COMPARISONS
        ),
    log:
        "logs/compare_groups/all.log",
    params:
        comparisons=config["comparisons"],
        codebooks=get_compared_codebooks,
        analysis=analysis_settings(
            "p_adjust",
            "min_group_size",
            "confidence_level",
            "bootstrap_resamples",
            "seed",
        ),
        bands=get_comparisons_bands,
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
        # the populations the groups are part of: their answers (above), or questionnaires
        flow="results/tables/participant_flow.csv",
        analysed=expand("results/data/{survey}.analysed.parquet", survey=SURVEYS),
        library=library("comparisons", "multiplicity", "files", "publishing", "pvalues"),
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
            labels={"what": "post-hoc pairs"},
        ),
    log:
        "logs/adjust_pvalues/all.log",
    params:
        families=COMPARISON_FAMILIES,
        group_questions=COMPARISON_GROUP_QUESTIONS,
        survey_groups=COMPARISON_SURVEY_GROUPS,
        disclosure=config["disclosure"],
        analysis=analysis_settings("p_adjust", "alpha"),
    script:
        "../scripts/adjust_pvalues.py"


rule fit_ordinal_models:
    input:
        cells=expand(
            "results/partials/{survey}.model_cells.parquet", survey=ADJUSTED_SURVEYS
        ),
        # the answers the published tables hide: no odds ratio for them either
        disclosure=expand(
            "results/disclosure/{survey}.counts.csv", survey=ADJUSTED_SURVEYS
        ),
        library=library(
            "concat",
            "disclosure",
            "files",
            "grouping",
            "ordinal",
            "publishing",
            "pvalues",
        ),
    output:
        models=expand(
            "results/compare/{comparison}.ordinal.csv", comparison=ADJUSTED_COMPARISONS
        ),
        # the comparisons' models, one after another
        table=ordinal_models_report(),
    log:
        "logs/fit_ordinal_models/all.log",
    params:
        comparisons=ADJUSTED_SPECS,
        codebooks=get_adjusted_codebooks,
        analysis=analysis_settings("confidence_level", "alpha"),
        disclosure=config["disclosure"],
        bands=get_ordinal_bands,
    script:
        "../scripts/fit_ordinal_models.py"
