"""likertflow: pure functions behind the Likert survey workflow.

One concept per module: ``codebook`` (the instrument), ``config_check`` (the codebook as plain
dicts, and config names checked against it), ``ingest`` (export validation and coding),
``cleaning`` (merge, duplicates, exclusions, ledger), ``flow`` (participant flow), ``files``
(the CSV dialect of results/), ``tables`` (descriptive tables), ``themes`` (theme scores),
``reliability`` (Spearman, Cronbach's alpha), ``agreement`` (percent agree with Wilson
intervals), ``comparisons`` (Mann-Whitney U, Kruskal-Wallis H, effect sizes, Dunn, p
adjustment), ``pvalues`` (p values in log space, and the bound written where a float cannot
hold one), ``manuscript`` (the published tables as a manuscript's tables) and ``office`` (their
Word and Excel files), ``plotting``/``*_plot`` (figures) and ``synthetic`` (the calibrated
synthetic exports shipped in resources/).
"""
