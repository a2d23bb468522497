# One job for all Likert figures (issue 22, decision 4: all figures of a kind): a figure takes a
# fraction of a job's start-up. Each figure's report labels name it, for its caption
# (likertflow.reporting).
rule plot_likert:
    input:
        frequencies="results/tables/statement_frequencies.csv",
        flow="results/tables/participant_flow.csv",
        library=library("codebook", "disclosure", "files", "plotting", "likert_plot"),
    output:
        png=[
            report(
                f"results/figures/{figure}.png",
                caption="../report/likert_figure.rst",
                category="5. Figures",
                labels={"figure": figure},
            )
            for figure in LIKERT_FIGURES
        ],
        formats=[path for figure in LIKERT_FIGURES for path in figure_files(figure)],
    log:
        "logs/plot_likert/all.log",
    params:
        codebooks=get_likert_codebooks,
        figures=config["likert_figures"],
        disclosure=config["disclosure"],
        size=FIGURE_SIZE,
        poles=get_figures_poles,
    script:
        "../scripts/plot_likert.py"


rule plot_weighted_likert:
    input:
        weighted="results/tables/weighted_frequencies.csv",
        flow="results/tables/participant_flow.csv",
        library=library("codebook", "disclosure", "files", "plotting", "likert_plot"),
    output:
        png=report(
            "results/figures/{figure}_weighted.png",
            caption="../report/weighted_likert_figure.rst",
            category="5. Figures",
            labels={"figure": "{figure}_weighted"},
        ),
        formats=figure_files("{figure}_weighted"),
    log:
        "logs/plot_weighted_likert/{figure}.log",
    wildcard_constraints:
        figure=one_of(WEIGHTED_LIKERT_FIGURES),
    params:
        codebook=get_figure_codebook,
        figure=get_figure_spec,
        disclosure=config["disclosure"],
        size=FIGURE_SIZE,
        poles=get_figure_poles,
    script:
        "../scripts/plot_weighted_likert.py"


rule plot_agreement:
    input:
        summary="results/tables/agreement_summary.csv",
        library=library("codebook", "plotting", "agreement_plot", "files"),
    output:
        png=report(
            "results/figures/figure5_agreement.png",
            caption="../report/figure5.rst",
            category="5. Figures",
            labels={"figure": "figure5_agreement"},
        ),
        formats=figure_files("figure5_agreement"),
    log:
        "logs/plot_agreement/all.log",
    params:
        codebooks=get_all_codebooks,
        confidence_level=config["analysis"]["confidence_level"],
        reverse_keyed=config["analysis"]["reverse_keyed_agreement"],
        chosen=config["figures"]["agreement"],
        size=FIGURE_SIZE,
    script:
        "../scripts/plot_agreement.py"


rule plot_participant_flow:
    input:
        flow="results/tables/participant_flow.csv",
        library=library("codebook", "plotting", "flow_plot", "files"),
    output:
        png=report(
            "results/figures/participant_flow.png",
            caption="../report/participant_flow_figure.rst",
            category="1. Cohort",
            labels={"figure": "participant flow"},
        ),
        formats=figure_files("participant_flow"),
    log:
        "logs/plot_participant_flow/all.log",
    params:
        codebooks=get_all_codebooks,
        exclusions=config["exclusions"],
        size=FIGURE_SIZE,
    script:
        "../scripts/plot_participant_flow.py"
