# The comparisons' statistics are one job (issue 22, decision 4): every comparison's tests, the
# p values adjusted within families with the gated post-hoc pairs, and the ordinal models of
# those that declare adjust_for take together less than a job's start-up. The per-comparison
# files under results/compare/ stay. All read the combined partial results (counted cells, issue
# 22), not the respondents' rows. Its params are what the three parts read, so an edit of a
# comparison's `test` or `family` reruns this job (and what reads its tables), nothing upstream.
rule compare_groups:
    input:
        cells=expand(
            "results/partials/{survey}.comparison_cells.parquet",
            survey=COMPARED_SURVEYS,
        ),
        model_cells=expand(
            "results/partials/{survey}.model_cells.parquet", survey=ADJUSTED_SURVEYS
        ),
        # the published counts: the populations the groups are part of (their answers, or
        # below, questionnaires), and the answers the models' odds ratios must not show either
        disclosure=expand("results/disclosure/{survey}.counts.csv", survey=SURVEYS),
        flow="results/tables/participant_flow.csv",
        analysed=expand("results/data/{survey}.analysed.parquet", survey=SURVEYS),
        library=library(
            "comparisons",
            "concat",
            "disclosure",
            "files",
            "grouping",
            "multiplicity",
            "ordinal",
            "publishing",
            "pvalues",
        ),
    output:
        tests=expand("results/compare/{comparison}.tests.csv", comparison=COMPARISONS),
        groups=expand("results/compare/{comparison}.groups.csv", comparison=COMPARISONS),
        posthoc=expand(
            "results/compare/{comparison}.posthoc.csv", comparison=COMPARISONS
        ),
        models=expand(
            "results/compare/{comparison}.ordinal.csv", comparison=ADJUSTED_COMPARISONS
        ),
        comparisons=report(
            "results/tables/comparisons.csv",
            caption="../report/comparisons.rst",
            category="4. Comparisons",
            labels={"what": "tests"},
        ),
        comparison_groups=report(
            "results/tables/comparison_groups.csv",
            caption="../report/comparison_groups.rst",
            category="4. Comparisons",
            labels={"what": "groups"},
        ),
        posthoc_table=report(
            "results/tables/posthoc.csv",
            caption="../report/posthoc.rst",
            category="4. Comparisons",
            labels={"what": "post-hoc pairs"},
        ),
        # the comparisons' models, one after another
        models_table=ordinal_models_report(),
    log:
        "logs/compare_groups/all.log",
    params:
        # the tests
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
        # the adjustment within families, and what is published
        families=COMPARISON_FAMILIES,
        group_questions=COMPARISON_GROUP_QUESTIONS,
        survey_groups=COMPARISON_SURVEY_GROUPS,
        adjustment=analysis_settings("p_adjust", "alpha"),
        disclosure=config["disclosure"],
        # the ordinal models
        adjusted=ADJUSTED_SPECS,
        model_codebooks=get_adjusted_codebooks,
        model_analysis=analysis_settings("confidence_level", "alpha"),
        model_bands=get_ordinal_bands,
    script:
        "../scripts/compare_groups.py"
