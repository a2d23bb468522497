"""The floor: the whole workflow's work in one Python process, without Snakemake.

    .venv/bin/python benchmarks/floor.py [--workdir DIR] [--configfile config/config.yaml]

Runs every job the workflow would run on a cold start (every export batch validated, every
cohort cleaned, every table, statistic and figure), in dependency order, by calling each
workflow script's own ``main`` with the inputs, outputs and params its rule would give it: the
same library calls, each module imported once. DIR (default: the current folder) holds the
config, the codebook and the raw exports, as a copy of the repository does; results are written
under DIR/results/ exactly where the workflow writes them. Prints the wall time of the whole,
and per rule (``--per-rule``). Used by benchmarks/run_benchmarks.sh; not a test.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import logging
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "workflow" / "scripts"
sys.path.insert(0, str(SCRIPTS))

from likertflow.codebook import parse_codebook, questionnaire_codebook  # noqa: E402
from likertflow.platforms.containers import batch_files  # noqa: E402
from likertflow.schemas import read_yaml, validate  # noqa: E402

SCHEMAS_DIR = SCRIPTS.parent / "schemas"


class Named(list):
    """Snakemake's input/output/params/wildcards: a list whose items may also have names."""

    def __init__(self, *items, **named):
        values = list(items)
        for value in named.values():
            values.extend(value if isinstance(value, list) else [value])
        super().__init__(values)
        self._named = named

    def __getattr__(self, name):
        try:
            return self.__dict__["_named"][name]
        except KeyError:
            raise AttributeError(name) from None

    def keys(self):
        return self._named.keys()

    def get(self, name, default=None):
        return self._named.get(name, default)


class Job:
    """What a script's ``main`` reads from its ``snakemake`` object."""

    def __init__(self, rule, input, output, params=None, wildcards=None):
        self.rule = rule
        self.input = input
        self.output = output
        self.params = params if params is not None else Named()
        self.wildcards = wildcards if wildcards is not None else Named()
        self.log = Named()


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"floor_{name}", SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plan(config: dict, codebook: dict) -> list[tuple[str, str, Job]]:
    """(rule, script, job) in dependency order, as the workflow's rules wire them."""
    surveys = sorted(codebook["questionnaires"])
    books = {survey: questionnaire_codebook(codebook, survey) for survey in surveys}
    analysis = config["analysis"]
    exclusions = config["exclusions"]
    disclosure = config["disclosure"]
    bands = config["bands"]

    def settings(*keys):
        return {key: analysis[key] for key in keys}

    def analysed(survey):
        return f"results/data/{survey}.analysed.parquet"

    jobs = []
    batches = {}
    for survey in surveys:
        pattern = config["raw_exports"].replace("{survey}", survey)
        files = glob.glob(pattern.replace("{batch}", "*").replace("{ext}", "*"))
        batches[survey] = batch_files(files)
        for batch, export in batches[survey].items():
            output = Named(
                coded=f"results/ingest/{survey}/{batch}.parquet",
                dropped=f"results/audit/{survey}/{batch}.dropped_columns.csv",
            )
            params = Named(codebook=books[survey])
            job = Job("validate_export", Named(export=export), output, params,
                      Named(survey=survey, batch=batch))  # fmt: skip
            jobs.append(("validate_export", "validate_export", job))
    ingested = {
        survey: [f"results/ingest/{survey}/{batch}.parquet" for batch in batches[survey]]
        for survey in surveys
    }
    for survey in surveys:
        output = Named(analysed=analysed(survey), ledger=f"results/audit/{survey}.ledger.csv")
        params = Named(codebook=books[survey], exclusions=exclusions)
        job = Job("clean_responses", Named(batches=ingested[survey]), output, params,
                  Named(survey=survey))  # fmt: skip
        jobs.append(("clean_responses", "clean_responses", job))
    jobs.append(("count_participants", "count_participants", Job(
        "count_participants",
        Named(batches=[path for survey in surveys for path in ingested[survey]],
              ledgers=[f"results/audit/{survey}.ledger.csv" for survey in surveys],
              analysed=[analysed(survey) for survey in surveys]),
        Named(flow="results/tables/participant_flow.csv",
              ledger_summary="results/tables/ledger_summary.csv"),
        Named(surveys=surveys, exclusions=exclusions, disclosure=disclosure),
    )))  # fmt: skip
    for survey in surveys:
        questions = set(parse_codebook(codebook)[survey].question_ids)
        params = Named(codebook=books[survey], exclusions=exclusions, disclosure=disclosure,
                       bands={q: b for q, b in bands.items() if q in questions})  # fmt: skip
        job = Job("plan_disclosure", Named(analysed=analysed(survey)),
                  Named(f"results/disclosure/{survey}.counts.csv"), params)  # fmt: skip
        jobs.append(("plan_disclosure", "plan_disclosure", job))
    for table, spec in sorted(config["tables"].items()):
        params = Named(codebook=books[spec["survey"]], table=spec, exclusions=exclusions,
                       bands={q: b for q, b in bands.items() if q in spec["questions"]},
                       disclosure=disclosure)  # fmt: skip
        job = Job("tabulate_questions", Named(analysed=analysed(spec["survey"])),
                  Named(f"results/tables/{table}.csv"), params)  # fmt: skip
        jobs.append(("tabulate_questions", "tabulate_questions", job))
    names = ["correlations", "reliability", "item_rest", "warnings"]
    for survey in surveys:
        jobs.append(("score_themes", "score_themes", Job(
            "score_themes", Named(analysed=analysed(survey)),
            Named(f"results/themes/{survey}.scores.parquet"), Named(codebook=books[survey]))))
        stems = {**{name: name for name in names}, "warnings": "reliability_warnings"}
        output = Named(**{name: f"results/themes/{survey}.{stems[name]}.csv" for name in names})
        params = Named(codebook=books[survey],
                       analysis=settings("confidence_level", "min_cronbach_alpha"),
                       disclosure=disclosure)  # fmt: skip
        jobs.append(("assess_reliability", "assess_reliability", Job(
            "assess_reliability", Named(analysed=analysed(survey)), output, params)))
    tables = {"correlations": "theme_correlations", "reliability": "theme_reliability",
              "item_rest": "theme_item_rest", "warnings": "reliability_warnings"}
    jobs.append(("collect_reliability", "concat_tables", Job(
        "collect_reliability",
        Named(**{name: [getattr(job.output, name) for rule, _, job in jobs
                        if rule == "assess_reliability"] for name in names}),
        Named(**{name: f"results/tables/{table}.csv" for name, table in tables.items()}))))
    disclosure_plans = [f"results/disclosure/{survey}.counts.csv" for survey in surveys]
    jobs.append(("summarise_agreement", "summarise_agreement", Job(
        "summarise_agreement",
        Named(analysed=[analysed(survey) for survey in surveys], disclosure=disclosure_plans),
        Named("results/tables/agreement_summary.csv"),
        Named(codebooks=books, disclosure=disclosure,
              analysis=settings("confidence_level", "bootstrap_resamples", "seed")))))
    comparisons = sorted(config["comparisons"])
    adjusted = [name for name in comparisons if config["comparisons"][name]["adjust_for"]]
    for name in comparisons:
        spec = config["comparisons"][name]
        compared = spec["surveys"] if spec["by"] == "survey" else [spec["survey"]]
        scores = Named(scores=[f"results/themes/{survey}.scores.parquet" for survey in compared])
        codebooks = {survey: books[survey] for survey in compared}
        output = Named(tests=f"results/compare/{name}.tests.csv",
                       groups=f"results/compare/{name}.groups.csv",
                       posthoc=f"results/compare/{name}.posthoc.csv")  # fmt: skip
        params = Named(comparison=spec, codebooks=codebooks,
                       bands={q: b for q, b in bands.items() if q == spec["by"]},
                       analysis=settings("p_adjust", "min_group_size", "confidence_level",
                                         "bootstrap_resamples", "seed"))  # fmt: skip
        jobs.append(("compare_groups", "compare_groups",
                     Job("compare_groups", scores, output, params, Named(comparison=name))))
        if name in adjusted:
            params = Named(comparison=spec, codebooks=codebooks,
                           analysis=settings("confidence_level", "alpha"), disclosure=disclosure,
                           bands={q: b for q, b in bands.items()
                                  if q in {spec["by"], *spec["adjust_for"]}})  # fmt: skip
            jobs.append(("fit_ordinal_models", "fit_ordinal_models", Job(
                "fit_ordinal_models", scores, Named(f"results/compare/{name}.ordinal.csv"),
                params, Named(comparison=name))))
    if adjusted:
        jobs.append(("collect_ordinal_models", "concat_tables", Job(
            "collect_ordinal_models",
            Named(ordinal_models=[f"results/compare/{name}.ordinal.csv" for name in adjusted]),
            Named(ordinal_models="results/tables/ordinal_models.csv"))))
    parts = {part: [f"results/compare/{name}.{part}.csv" for name in comparisons]
             for part in ("tests", "groups", "posthoc")}  # fmt: skip
    jobs.append(("adjust_pvalues", "adjust_pvalues", Job(
        "adjust_pvalues", Named(**parts, disclosure=disclosure_plans),
        Named(comparisons="results/tables/comparisons.csv",
              groups="results/tables/comparison_groups.csv",
              posthoc="results/tables/posthoc.csv"),
        Named(families={n: s["family"] for n, s in config["comparisons"].items()},
              group_questions={n: [s["survey"], s["by"]]
                               for n, s in config["comparisons"].items() if s["by"] != "survey"},
              disclosure=disclosure, analysis=settings("p_adjust", "alpha")))))
    for figure, spec in sorted(config["likert_figures"].items()):
        jobs.append(("plot_likert", "plot_likert", Job(
            "plot_likert", Named(analysed=analysed(spec["survey"])),
            Named(png=f"results/figures/{figure}.png", svg=f"results/figures/{figure}.svg"),
            Named(codebook=books[spec["survey"]], figure=spec, disclosure=disclosure))))
    jobs.append(("plot_agreement", "plot_agreement", Job(
        "plot_agreement", Named(summary="results/tables/agreement_summary.csv"),
        Named(png="results/figures/figure5_agreement.png",
              svg="results/figures/figure5_agreement.svg"),
        Named(codebooks=books, confidence_level=analysis["confidence_level"]))))
    jobs.append(("plot_participant_flow", "plot_participant_flow", Job(
        "plot_participant_flow", Named(flow="results/tables/participant_flow.csv"),
        Named(png="results/figures/participant_flow.png",
              svg="results/figures/participant_flow.svg"),
        Named(codebooks=books, exclusions=exclusions))))
    jobs.append(("write_manuscript_tables", "write_manuscript_tables", Job(
        "write_manuscript_tables",
        Named(tables=[f"results/tables/{table}.csv" for table in sorted(config["tables"])],
              flow="results/tables/participant_flow.csv",
              comparisons="results/tables/comparisons.csv",
              groups="results/tables/comparison_groups.csv",
              posthoc="results/tables/posthoc.csv",
              ordinal_models=["results/tables/ordinal_models.csv"] if adjusted else []),
        Named(docx="results/tables.docx", xlsx="results/tables.xlsx"),
        Named(tables=config["tables"], comparisons=config["comparisons"], codebooks=books,
              analysis=settings("alpha", "confidence_level"), disclosure=disclosure,
              title=config["study"]["title"]))))  # fmt: skip
    return jobs


def main(argv: list[str] | None = None) -> int:
    began = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default=".")
    parser.add_argument("--configfile", default="config/config.yaml")
    parser.add_argument("--per-rule", action="store_true", help="print seconds per rule")
    args = parser.parse_args(argv)
    os.chdir(args.workdir)
    logging.basicConfig(level=logging.WARNING)
    schemas = SCHEMAS_DIR  # as the workflow's common.smk: schema defaults filled in
    config = validate(read_yaml(args.configfile), schemas / "config.schema.yaml", "config")
    codebook = validate(
        read_yaml(config["codebook"]), schemas / "codebook.schema.yaml", config["codebook"]
    )
    jobs = plan(config, codebook)
    scripts = {}
    seconds = defaultdict(float)
    for rule, script, job in jobs:
        start = time.perf_counter()
        for path in job.output:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if script not in scripts:
            scripts[script] = load_script(script)
        scripts[script].main(job)
        seconds[rule] += time.perf_counter() - start
    if args.per_rule:
        for rule, spent in sorted(seconds.items(), key=lambda item: -item[1]):
            print(f"  {rule}: {spent:.2f} s")
    print(f"floor: {len(jobs)} jobs in {time.perf_counter() - began:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
