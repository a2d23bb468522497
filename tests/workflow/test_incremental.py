"""Incremental reruns: what a dry run plans after each kind of change (issue: precise reruns).

Every test starts from a copy of a finished run on the shipped exports, changes one thing and
reads the jobs that `snakemake --dry-run` plans. Expected jobs are derived independently of the
rules' declarations: from the config (which table belongs to which questionnaire), from the
Python imports of each rule's script (which library modules a job really uses) and from the
documented duplicate rule, then closed over the job graph (a job planned to run replans every
job downstream of it).

A mere `touch` of an input file plans nothing: Snakemake keeps checksums of small inputs and
reruns a job only when their content changed, so the tests edit files rather than touch them.
Scripts themselves are tracked by modification time.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import REPO, copy_workflow, run_snakemake
from likertflow.outputs import PARTIAL_KINDS
from support import exportkit
from support.rules import rule_scripts

pytestmark = pytest.mark.slow

LIBRARY = Path("workflow/scripts/likertflow")
JOB_HEADER = re.compile(r"^(?:local)?rule (\w+):$")
JOB_FIELD = re.compile(r"^ {4}(\w+): (.*)$")
STATS_ROW = re.compile(r"^(\w+)\s+(\d+)$")


# --- Reading a dry run --------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    rule: str
    wildcards: tuple[tuple[str, str], ...]
    inputs: frozenset[str]
    outputs: frozenset[str]

    @property
    def key(self) -> str:
        """`rule[name=value, ...]`, wildcards sorted by name: one job's identity."""
        if not self.wildcards:
            return self.rule
        return f"{self.rule}[{', '.join(f'{k}={v}' for k, v in self.wildcards)}]"


def _split_list(text: str) -> frozenset[str]:
    return frozenset(item for item in text.split(", ") if item)


def parse_dry_run(text: str) -> dict[str, Job]:
    """The jobs a dry run lists, by key; checked against the run's own "Job stats" counts."""
    jobs: dict[str, Job] = {}
    fields: dict[str, str] | None = None
    rule = ""

    def close():
        if fields is None:
            return
        wildcards = tuple(
            sorted(tuple(pair.split("=", 1)) for pair in fields.get("wildcards", "").split(", "))
        ) if fields.get("wildcards") else ()  # fmt: skip
        job = Job(
            rule,
            wildcards,
            _split_list(fields.get("input", "")),
            _split_list(fields.get("output", "")),
        )
        assert job.key not in jobs, f"two planned jobs read as {job.key}"
        jobs[job.key] = job

    for line in text.splitlines():
        if header := JOB_HEADER.match(line):
            close()
            rule, fields = header.group(1), {}
        elif fields is not None and (field := JOB_FIELD.match(line)):
            fields[field.group(1)] = field.group(2)
        elif fields is not None and not line.startswith(" "):
            close()
            fields = None
    close()

    counts = _job_stats(text)
    found = dict(Counter(job.rule for job in jobs.values()))
    assert counts == found, f"parsed {found}, Job stats say {counts}"
    return jobs


def _job_stats(text: str) -> dict[str, int]:
    """The first "Job stats" table of a dry run: planned jobs per rule (empty if none)."""
    lines = text.splitlines()
    if "Job stats:" not in lines:
        assert "Nothing to be done" in text, f"no job stats in the dry run:\n{text}"
        return {}
    counts = {}
    for line in lines[lines.index("Job stats:") + 3 :]:
        row = STATS_ROW.match(line.strip())
        if not row or row.group(1) == "total":
            break
        counts[row.group(1)] = int(row.group(2))
    return counts


def planned(workdir: Path, *args: str) -> dict[str, Job]:
    result = run_snakemake(workdir, "--dry-run", *args)
    return parse_dry_run(result.stdout + "\n" + result.stderr)


def downstream(graph: dict[str, Job], roots: set[str]) -> set[str]:
    """The roots and every job that needs, directly or not, an output of one of them."""
    closure, frontier = set(roots), set(roots)
    while frontier:
        made = set().union(*(graph[key].outputs for key in frontier))
        frontier = {key for key, job in graph.items() if job.inputs & made} - closure
        closure |= frontier
    return closure


def keys(graph: dict[str, Job], rule: str, **wildcards: str) -> set[str]:
    """Keys of the jobs of `rule` whose wildcards include the given values."""
    return {
        key
        for key, job in graph.items()
        if job.rule == rule and set(wildcards.items()) <= set(job.wildcards)
    }


# --- Which library modules a script really uses ---------------------------------------------------


def scripts_of(root: Path) -> dict[str, Path]:
    """Rule name -> its script, read from workflow/rules/*.smk."""
    return {rule: script for rule, (_, script) in rule_scripts(root).items()}


def imported_modules(path: Path, library: Path) -> set[str]:
    """Library files that `path` imports, transitively, into subpackages: paths relative to the
    library (`__init__.py` of each package on the way included, as Python runs them)."""
    found: set[str] = set()
    pending = [path]
    while pending:
        current = pending.pop()
        package = ["likertflow", *current.relative_to(library).parent.parts] if (
            current.is_relative_to(library)
        ) else ["likertflow"]  # fmt: skip
        for node in ast.walk(ast.parse(current.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("likertflow")]
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0 and (node.module or "").startswith("likertflow"):
                    base = node.module
                elif node.level:  # relative import inside the package
                    base = ".".join([*package[: len(package) - node.level + 1], node.module or ""])
                    base = base.rstrip(".")
                else:
                    continue
                names = [base] + [f"{base}.{a.name}" for a in node.names]
            for name in names:
                parts = name.split(".")[1:]
                for depth in range(len(parts) + 1):
                    stem = "/".join(parts[:depth])
                    candidates = [f"{stem}/__init__.py" if stem else "__init__.py", f"{stem}.py"]
                    hit = next((c for c in candidates if (library / c).is_file()), None)
                    if hit is None:
                        break  # a name imported from a module, not a module
                    if hit not in found:
                        found.add(hit)
                        pending.append(library / hit)
    return found


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def workdir(shipped_run, tmp_path) -> Path:
    """A private copy of the finished shipped run (modification times kept)."""
    copy = tmp_path / "run"
    shutil.copytree(shipped_run, copy, symlinks=True, ignore=shutil.ignore_patterns("locks"))
    return copy


@pytest.fixture(scope="module")
def graph(shipped_run, tmp_path_factory) -> dict[str, Job]:
    """Every job of the workflow on the shipped exports, with its inputs and outputs."""
    copy = tmp_path_factory.mktemp("graph") / "run"
    shutil.copytree(shipped_run, copy, symlinks=True, ignore=shutil.ignore_patterns("locks"))
    return planned(copy, "--forceall")


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


def edit(path: Path, text: str = "\n# edited by test_incremental\n") -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def assert_plan(plan: dict[str, Job], expected: set[str]) -> None:
    """The plan is exactly `expected` plus the target rule `all`."""
    got, expected = set(plan) - {"all"}, expected - {"all"}
    assert got == expected, (
        f"planned but not expected: {sorted(got - expected)}\n"
        f"expected but not planned: {sorted(expected - got)}"
    )


# --- (a) nothing changed ------------------------------------------------------------------------


def test_unchanged_rerun_plans_nothing(workdir):
    assert planned(workdir) == {}


def test_unchanged_rerun_does_not_import_pandas(workdir):
    """Snakemake compares params through pandas whenever it is installed, which was a third of a
    no-op rerun (issue 10); common.smk serialises plain params without it. The params-change
    tests below show that config changes still rerun what they should. (An installed SLURM
    plugin imports pandas with itself, nested in the import log; only a run-time import, at the
    log's top level, is the params check's.)"""
    result = run_snakemake(workdir, "--quiet", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert "Nothing to be done" in result.stdout + result.stderr
    top_level = {line.split("|")[-1][1:] for line in result.stderr.splitlines()
                 if line.startswith("import time:")}  # fmt: skip
    assert "snakemake" in top_level  # the import log is read
    assert "pandas" not in top_level


# --- (b) a new export batch ---------------------------------------------------------------------


def test_new_batch_plans_only_its_own_per_batch_jobs_and_the_combining_steps(workdir, config):
    """Issue 22: a late batch is validated, screened and summarised (its partial results) in its
    own jobs; every other batch's per-batch files are read as they are, and only the steps that
    combine the batches (its questionnaire's cleaning, from the screenings; the partial results'
    combining) and those after them run again."""
    exportkit.make_export(
        workdir / "resources/raw/patients/export_2019-06-10.csv",
        "patients", n=25, seed=4, id_prefix="R_new_", start="2019-06-03 09:00:00",
    )  # fmt: skip
    after = planned(workdir, "--forceall")
    plan = planned(workdir)

    new_batch = "validate_export[batch=export_2019-06-10, survey=patients]"
    new_partials = "summarise_batch[batch=export_2019-06-10, survey=patients]"
    assert keys(plan, "validate_export") == {new_batch}
    assert keys(plan, "summarise_batch") == {new_partials}
    assert plan[new_batch].outputs == {
        "results/ingest/patients/export_2019-06-10.parquet",
        "results/screening/patients/export_2019-06-10.parquet",
        "results/audit/patients/export_2019-06-10.dropped_columns.csv",
    }
    assert plan[new_partials].outputs == {
        f"results/partials/patients/export_2019-06-10.{kind}.parquet" for kind in PARTIAL_KINDS
    }
    written = set().union(*(job.outputs for job in plan.values()))
    per_batch = {
        path
        for path in written
        if path.startswith(("results/ingest/", "results/screening/", "results/partials/"))
        and path.count("/") == 3  # results/<stage>/{survey}/{batch}...
    }
    assert all("/export_2019-06-10." in path for path in per_batch), per_batch
    # the cleaning combines every batch's screening, and the descriptive job (issue 22, decision
    # 4: the combining is one job with the disclosure plans) every batch's partial results: the
    # new one's, the others' as they are
    assert keys(plan, "clean_responses") == {"clean_responses[survey=patients]"}
    assert keys(plan, "describe_cohorts") == {"describe_cohorts"}
    stems = sorted(path.stem for path in (workdir / "resources/raw/patients").glob("*.csv"))
    screenings = {f"results/screening/patients/{stem}.parquet" for stem in stems}
    assert screenings <= plan["clean_responses[survey=patients]"].inputs
    partials = {
        f"results/partials/patients/{stem}.{kind}.parquet"
        for stem in stems
        for kind in PARTIAL_KINDS
    }
    described = plan["describe_cohorts"]
    assert partials <= described.inputs
    # it writes the combined cells, and the disclosure plans (and the descriptive tables) follow
    # from the combined answer counts: of the cleaning's files it reads only the repeats
    assert "results/partials/patients.answer_counts.parquet" in described.outputs
    assert "results/partials/patients.answer_counts.parquet" in plan["tabulate_questions"].inputs
    cleaned = {path for path in described.inputs if path.startswith("results/data/")}
    assert cleaned == {f"results/data/{s}.repeats.parquet" for s in ("experts", "patients")}
    # after the combining, one job per cost group (issue 22, decision 4), none per questionnaire,
    # table or comparison
    after_combining = {job.rule for job in plan.values()} - {
        "all", "validate_export", "summarise_batch", "clean_responses"
    }  # fmt: skip
    assert all(len(keys(plan, rule)) == 1 for rule in after_combining), sorted(plan)
    assert_plan(plan, downstream(after, {new_batch}))
    # Nothing of the experts' questionnaire alone reruns: its exports and its cleaning. (Tables,
    # theme scores, reliability and comparisons are one job each for all questionnaires: issue
    # 22.)
    assert "clean_responses[survey=experts]" not in plan


def test_changed_exclusions_rescreen_every_batch(workdir, graph):
    """The exclusion rules are applied when a batch is validated (its screening, issue 22): a
    changed rule reruns every batch's validation, and what follows."""
    set_config(workdir, lambda c: c["exclusions"].pop())
    users = keys(graph, "validate_export") | keys(graph, "clean_responses")
    assert_plan(planned(workdir), downstream(graph, users))


# --- jobs sized by their cost (issue 22) --------------------------------------------------------

# Steps whose work per questionnaire or per comparison is below a job's start-up (~0.5 CPU-s of
# Python, pandas and Snakemake's preamble) run as one job for all of them.
GROUPED = ["describe_cohorts", "tabulate_questions", "summarise_themes", "compare_groups",
           "plot_likert"]  # fmt: skip


def test_cheap_steps_are_one_job_each_and_batches_one_job_each(graph, config):
    for rule in GROUPED:
        assert keys(graph, rule) == {rule}, rule
    raw = sorted((REPO / "resources/raw").glob("*/*.*"))
    assert len(keys(graph, "validate_export")) == len(raw)
    assert len(keys(graph, "summarise_batch")) == len(raw)
    # every file name of one job per table, comparison and figure is kept
    assert {f"results/tables/{t}.csv" for t in config["tables"]} <= graph[
        "tabulate_questions"
    ].outputs
    # the disclosure plans and the statements' frequencies are made in one job
    described = graph["describe_cohorts"].outputs
    surveys = {dict(graph[key].wildcards)["survey"] for key in keys(graph, "clean_responses")}
    plans = {f"results/disclosure/{survey}.counts.csv" for survey in surveys}
    assert plans | {"results/tables/statement_frequencies.csv"} <= described
    compared = graph["compare_groups"].outputs
    assert {f"results/compare/{name}.tests.csv" for name in config["comparisons"]} <= compared
    # the comparisons' statistics are one job: tests, adjusted p values, ordinal models
    adjusted = [name for name, spec in config["comparisons"].items() if spec.get("adjust_for")]
    assert adjusted and {f"results/compare/{name}.ordinal.csv" for name in adjusted} <= compared
    assert {"results/tables/comparisons.csv", "results/tables/ordinal_models.csv"} <= compared
    drawn = graph["plot_likert"].outputs
    assert {f"results/figures/{name}.png" for name in config["likert_figures"]} <= drawn


# --- (c) a cumulative re-export -----------------------------------------------------------------


def table_targets(workdir: Path) -> list[str]:
    tables = sorted(p.relative_to(workdir) for p in (workdir / "results/tables").glob("*.csv"))
    return [str(path) for path in tables]


def test_cumulative_reexport_counts_duplicates_and_keeps_the_tables(workdir):
    raw = workdir / "resources/raw/patients"
    batches = sorted(raw.glob("*.csv"))
    lines = [path.read_text(encoding="utf-8").splitlines(keepends=True) for path in batches]
    header, rows = lines[0][0], [row for batch in lines for row in batch[1:]]
    assert all(batch[0] == header for batch in lines)
    # The platform's export of everything so far, arriving after the weekly batches.
    (raw / "export_2019-06-30_cumulative.csv").write_text(header + "".join(rows), "utf-8")
    tables = table_targets(workdir)
    before = {path: (workdir / path).read_bytes() for path in tables}
    ledger_path = workdir / "results/audit/patients.ledger.csv"
    ledger_before = pd.read_csv(ledger_path, dtype="str", keep_default_na=False)

    run_snakemake(workdir, *tables, "results/audit/patients.ledger.csv")

    ledger = pd.read_csv(ledger_path, dtype="str", keep_default_na=False)
    assert len(ledger) == len(ledger_before) + len(rows)
    duplicates = ledger[ledger["reason"] == "duplicate_response"]
    assert len(duplicates) == len(rows)
    # Identical rows: the documented tie-break keeps the greatest batch name, the re-export.
    assert set(duplicates["batch"]) == {path.stem for path in batches}
    kept = ledger[ledger["reason"] != "duplicate_response"]
    assert set(kept["batch"]) == {"export_2019-06-30_cumulative"}
    assert kept["response_id"].is_unique and set(kept["response_id"]) == set(
        duplicates["response_id"]
    )
    # Every response keeps its status and reason.
    columns = ["response_id", "status", "reason"]
    assert (
        kept[columns]
        .sort_values("response_id")
        .reset_index(drop=True)
        .equals(ledger_before[columns].sort_values("response_id").reset_index(drop=True))
    )
    changed = [path for path in tables if (workdir / path).read_bytes() != before[path]]
    # the flow and its twin, the ledger summary, count the duplicates; nothing else changes
    assert changed == ["results/tables/ledger_summary.csv", "results/tables/participant_flow.csv"]
    flow = pd.read_csv(workdir / "results/tables/participant_flow.csv")
    flow_before = pd.read_csv(io.BytesIO(before["results/tables/participant_flow.csv"]))
    differs = flow.merge(flow_before, on=["survey", "stage"], suffixes=("", "_before"))
    differs = differs[differs["n"] != differs["n_before"]]
    assert set(differs["survey"]) == {"patients"}
    assert (differs["n"] - differs["n_before"] == len(rows)).all(), differs


# --- (d) a changed config value -----------------------------------------------------------------


def set_config(workdir: Path, change) -> None:
    path = workdir / "config/config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def test_changed_comparison_test_reruns_the_comparisons_job_alone(workdir, graph):
    # How a comparison is tested (its test, its family) is a param of the one comparisons job
    # (issue 22 retired "that comparison alone": all seven take less than a job's start-up); the
    # batches' counted cells read only who is compared on what, so none is counted again.
    set_config(workdir, lambda c: c["comparisons"]["patients_by_age"].update(test="kruskal_wallis"))
    plan = planned(workdir)
    assert keys(plan, "compare_groups") == {"compare_groups"}
    assert not keys(plan, "summarise_batch") and not keys(plan, "describe_cohorts")
    assert_plan(plan, downstream(graph, {"compare_groups"}))


def test_changed_comparison_outcomes_recount_the_batches_not_their_validation(workdir, graph):
    # What a comparison counts (its outcomes) is in every batch's comparison cells: each batch is
    # counted again from its coded rows (summarise_batch) and what reads the combined cells
    # reruns; no export is read or cleaned again.
    set_config(workdir, lambda c: c["comparisons"]["patients_by_age"]["outcomes"].pop())
    plan = planned(workdir)
    batches = keys(graph, "summarise_batch")
    assert len(batches) == len(keys(graph, "validate_export")) > 1
    assert not keys(plan, "validate_export") and not keys(plan, "clean_responses")
    assert_plan(plan, downstream(graph, batches))


def test_changed_p_adjust_reruns_only_the_job_that_adjusts(workdir, graph):
    # Holm vs Benjamini-Hochberg is read by the Dunn post-hoc pairs of each comparison and by the
    # adjustment within families, both in the comparisons' job: nothing else (reliability,
    # agreement) depends on it.
    set_config(workdir, lambda c: c["analysis"].update(p_adjust="fdr_bh"))
    assert_plan(planned(workdir), downstream(graph, keys(graph, "compare_groups")))


def test_changed_alpha_reruns_the_comparisons_and_reliability_not_the_counts(workdir, graph):
    # alpha gates the post-hoc pairs and flags doubtful proportional odds (the comparisons' job,
    # which also runs the tests: issue 22 retired "the tests never rerun for alpha", they take a
    # fraction of the job's start-up) and, under a disclosure rule, keeps a printed p from
    # rounding up to it (the themes' reliability too); no count is taken again.
    set_config(workdir, lambda c: c["analysis"].update(alpha=0.01))
    plan = planned(workdir)
    assert not keys(plan, "summarise_batch") and not keys(plan, "describe_cohorts")
    users = keys(graph, "compare_groups") | keys(graph, "summarise_themes")
    assert_plan(plan, downstream(graph, users))


def test_changed_reliability_threshold_reruns_only_the_themes_job(workdir, graph):
    # analysis.min_cronbach_alpha is read by the reliability warnings alone, in the themes' job
    # (reliability and agreement together: issue 22 retired "the reliability alone"), so the
    # agreement summary and its figure rerun too; nothing upstream.
    set_config(workdir, lambda c: c["analysis"].update(min_cronbach_alpha=0.8))
    plan = planned(workdir)
    assert not keys(plan, "compare_groups") and not keys(plan, "describe_cohorts")
    assert_plan(plan, downstream(graph, keys(graph, "summarise_themes")))


@pytest.mark.parametrize(
    ("setting", "value", "readers"),
    [
        # the seed of every resampling: the rank-biserial intervals and the mean-agreement ones
        ("seed", 1, ["compare_groups", "summarise_themes"]),
        ("bootstrap_resamples", 1000, ["compare_groups", "summarise_themes"]),
        ("min_group_size", 3, ["compare_groups"]),  # the small-group warning
        (
            "confidence_level",
            0.9,
            ["compare_groups", "summarise_themes", "plot_agreement"],
        ),  # fmt: skip
    ],
)
def test_changed_analysis_setting_reruns_exactly_the_jobs_that_read_it(
    workdir, graph, setting, value, readers
):
    # Each rule passes only the analysis settings its job reads (likertflow.settings); every
    # job of those rules reruns, and what needs their outputs.
    set_config(workdir, lambda c: c["analysis"].update({setting: value}))
    users = {key for rule in readers for key in keys(graph, rule)}
    assert_plan(planned(workdir), downstream(graph, users))


def test_changed_table_reruns_the_tables_job_alone(workdir, graph):
    # A table's title is a param of the one tables job (issue 22 retired "that table alone": the
    # seven take less than a job's start-up); nothing upstream reruns. The tables are not part
    # of describe_cohorts: it rewrites the disclosure plans and combined cells, whose readers
    # (comparisons, themes, figures) would all rerun for a table's edit (benchmarks/README.md,
    # round 9).
    set_config(workdir, lambda c: c["tables"]["table1_patient_age"].update(title="Age"))
    plan = planned(workdir)
    assert_plan(plan, downstream(graph, {"tabulate_questions"}))
    assert not keys(plan, "describe_cohorts") and not keys(plan, "compare_groups")


def test_changed_disclosure_reruns_only_the_jobs_that_publish(workdir, graph):
    # The rule is read where counts are published: not by ingest, cleaning or the counted cells,
    # and not by the two figures drawn from published tables (these rerun only because their
    # tables change). The comparisons' job publishes its tables, so its tests rerun with it.
    set_config(workdir, lambda c: c.update(disclosure={"rule": "nhs"}))
    users = {
        key
        for rule in [
            "describe_cohorts", "tabulate_questions", "count_participants", "compare_groups",
            "summarise_themes", "plot_likert",
        ]
        for key in keys(graph, rule)
    }  # fmt: skip
    plan = planned(workdir)
    assert not keys(plan, "clean_responses") and not keys(plan, "summarise_batch")
    assert_plan(plan, downstream(graph, users))


# --- (e) an edited library module, (f) an edited script -------------------------------------------


@pytest.fixture(scope="module")
def design_graph(tmp_path_factory) -> dict[str, Job]:
    """Every job of the two design examples (issue 23): the rules the shipped study, which
    declares no survey design and no pairs, never runs."""
    jobs = {}
    for example in ("national_weighted", "before_after"):
        copy = copy_workflow(tmp_path_factory.mktemp(example))
        jobs |= planned(copy, "--configfile", f"config/examples/{example}/config.yaml")
    return jobs


def test_rules_declare_exactly_the_library_modules_their_scripts_import(graph, design_graph):
    """The declared library inputs of every job equal what its script imports, transitively."""
    scripts = scripts_of(REPO)
    problems = []
    for rule, script in sorted(scripts.items()):
        jobs = [job for job in graph.values() if job.rule == rule]
        job = (jobs or [job for job in design_graph.values() if job.rule == rule])[0]
        declared = {
            Path(f).relative_to(LIBRARY).as_posix() for f in job.inputs
            if Path(f).is_relative_to(LIBRARY)
        }  # fmt: skip
        imported = imported_modules(script, REPO / LIBRARY)
        if declared != imported:
            problems.append(
                f"{rule} ({script.name}): missing {sorted(imported - declared)}, "
                f"not imported {sorted(declared - imported)}"
            )
    assert not problems, "library(...) inputs differ from imports:\n" + "\n".join(problems)


@pytest.mark.parametrize("module", ["reliability.py", "codebook.py", "platforms/qualtrics.py"])
def test_edited_module_reruns_exactly_the_jobs_importing_it(workdir, graph, module):
    """A module of a subpackage too: the platform modules are imported through the registry."""
    edit(workdir / LIBRARY / module)
    users = {
        key
        for rule, script in scripts_of(workdir).items()
        if module in imported_modules(script, workdir / LIBRARY)
        for key in keys(graph, rule)
    }
    assert users, f"no script imports likertflow.{module}"
    assert_plan(planned(workdir), downstream(graph, users))


@pytest.mark.parametrize("rule", ["compare_groups", "describe_cohorts", "tabulate_questions"])
def test_edited_script_reruns_exactly_its_rule(workdir, graph, rule):
    edit(scripts_of(workdir)[rule])
    assert_plan(planned(workdir), downstream(graph, keys(graph, rule)))
