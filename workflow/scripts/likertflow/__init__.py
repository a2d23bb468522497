"""likertflow: the runtime library of the Likert survey workflow (only what its rules run; the
tools people run by hand are likertflow_tools, in tools/).

One concept per module, in layers (pyproject.toml, [tool.importlinter]): ``codebook`` (the one
model of the instrument, no pandas), ``coding`` (vectorised helpers over coded answers),
``platforms`` (one module per export format behind one registry: reading, fixture writers,
draft hints, finished-flag conventions), ``exclusions`` (the exclusion rules), ``references``
(start-up checks of config against codebook), ``ingest`` (export validation and coding),
``cleaning`` (merge, duplicates, exclusions, ledger), ``flow`` (participant flow), ``files``
(the CSV dialect of results/), ``tables`` (descriptive tables), ``themes`` (theme scores),
``reliability`` (Spearman, Cronbach's alpha), ``agreement`` (percent agree with Wilson
intervals), ``comparisons``/``rank_tests``/``rank_stats``/``dunn``/``multiplicity`` (rank tests,
effect sizes, Dunn, p adjustment), ``pvalues`` (p values in log space, and the bound written
where a float cannot hold one), ``ordinal`` (proportional-odds models), ``design``/
``design_tests`` (design-based estimates and tests of weighted samples), ``paired`` (paired
designs), ``disclosure`` and ``publishing`` (what may be published: the rules, and the policy
of what each class of statistic shows under them), ``inversion`` (statistics inverted to the
counts behind them), ``attacker`` (the known classes of attack, tried on the shareable outputs)
and ``output_check`` (each shareable file's status and the report a checker reads), ``outputs``
(the one list of what the workflow writes and whether it may be shared), ``manuscript`` (the
published tables as a manuscript's tables) and ``office`` (their Word and Excel files),
``plotting``/``*_plot`` (figures) and ``figure_kinds`` (the registry of kinds of figure).
``settings`` holds the typed settings each job builds from its params (the schemas fill in every
default), and ``captions`` the registries' words for the report's captions.
"""
