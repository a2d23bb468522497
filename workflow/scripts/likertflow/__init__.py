"""likertflow: pure functions behind the Likert survey workflow.

One concept per module: ``codebook`` (the instrument), ``ingest`` (export validation and coding),
``cleaning`` (merge, duplicates, exclusions, ledger), ``flow`` (participant flow), ``tables``
(descriptive tables), ``themes`` (theme scores), ``reliability`` (Spearman, Cronbach's alpha),
``agreement`` (percent agree with Wilson intervals), ``comparisons`` (Mann-Whitney U,
Kruskal-Wallis H, effect sizes, Dunn, p adjustment), ``plotting``/``*_plot`` (figures) and
``synthetic`` (the calibrated synthetic exports shipped in resources/).
"""
