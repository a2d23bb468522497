# Reliability and agreement from each questionnaire's combined partial results (issue 22): a
# late batch changes a few count cells, and this job reads the cells, not the cohort's rows.
# One job for all questionnaires, reliability and agreement together (issue 22, decision 4): all
# of it takes less than a job's start-up. (Theme scores are no step of their own: each batch's
# comparison and model cells score its rows, likertflow.grouping, issue 22.)
rule summarise_themes:
    input:
        pairs=expand(
            "results/partials/{survey}.reliability_pairs.parquet", survey=SURVEYS
        ),
        moments=expand(
            "results/partials/{survey}.reliability_moments.parquet", survey=SURVEYS
        ),
        patterns=expand(
            "results/partials/{survey}.agreement_patterns.parquet", survey=SURVEYS
        ),
        disclosure=expand("results/disclosure/{survey}.counts.csv", survey=SURVEYS),
        library=library(
            "agreement",
            "codebook",
            "concat",
            "files",
            "publishing",
            "pvalues",
            "reliability",
        ),
    output:
        correlations=expand("results/themes/{survey}.correlations.csv", survey=SURVEYS),
        reliability=expand("results/themes/{survey}.reliability.csv", survey=SURVEYS),
        item_rest=expand("results/themes/{survey}.item_rest.csv", survey=SURVEYS),
        warnings=expand(
            "results/themes/{survey}.reliability_warnings.csv", survey=SURVEYS
        ),
        # the questionnaires' tables, one after another
        correlations_table=report(
            "results/tables/theme_correlations.csv",
            caption="../report/theme_correlations.rst",
            category="3. Themes",
            labels={"what": "within-theme Spearman correlations"},
        ),
        reliability_table=report(
            "results/tables/theme_reliability.csv",
            caption="../report/theme_reliability.rst",
            category="3. Themes",
            labels={"what": "Cronbach's alpha"},
        ),
        item_rest_table=report(
            "results/tables/theme_item_rest.csv",
            caption="../report/theme_item_rest.rst",
            category="3. Themes",
            labels={"what": "item-rest correlations"},
        ),
        warnings_table=report(
            "results/tables/reliability_warnings.csv",
            caption="../report/reliability_warnings.rst",
            category="3. Themes",
            labels={"what": "reliability warnings"},
        ),
        agreement=report(
            "results/tables/agreement_summary.csv",
            caption="../report/agreement_summary.rst",
            category="3. Themes",
            labels={"what": "percent agreement"},
        ),
    log:
        "logs/summarise_themes/all.log",
    params:
        codebooks=get_all_codebooks,
        disclosure=config["disclosure"],
        reliability=analysis_settings("confidence_level", "min_cronbach_alpha", "alpha"),
        agreement=analysis_settings(
            "confidence_level",
            "bootstrap_resamples",
            "seed",
            "reverse_keyed_agreement",
        ),
    script:
        "../scripts/summarise_themes.py"
