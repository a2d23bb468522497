"""The floor: the whole workflow's work in one Python process, without Snakemake.

    .venv/bin/python benchmarks/floor.py [--workdir DIR] [--configfile FILE] [--plan-only]

Runs every job the workflow would run on a cold start (every export batch validated, every
cohort cleaned, every table, statistic and figure), in dependency order, by calling each
workflow script's own ``main`` with the inputs, outputs and params its rule would give it: the
same library calls, each module imported once. The jobs come from the workflow's own DAG
(Snakemake's API, ``--forceall``), planned once and untimed (``--plan-only``), so the floor
follows the rules as they change. DIR (default: the current folder) holds the
config, the codebook and the raw exports, as a copy of the repository does; results are written
under DIR/results/ exactly where the workflow writes them. Prints the wall time of the whole,
and per rule (``--per-rule``). Used by benchmarks/run_benchmarks.py; not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "workflow" / "scripts"
sys.path.insert(0, str(SCRIPTS))

# The jobs of a cold run, planned once from the workflow's DAG (``--plan-only``)
PLAN = ".floor-plan.pickle"


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


def plan(workdir: Path, configfile: str | None) -> list[tuple[str, str, Job]]:
    """(rule, script, job) in dependency order: every job of a cold run, read from the
    workflow's own DAG (``--forceall``), each with the inputs, outputs, params and wildcards its
    rule gives it. Planning parses the Snakefile, so it is done once, untimed (``--plan-only``,
    which the runner calls first), and kept in ``.floor-plan.pickle``."""
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        Quietness,
        ResourceSettings,
    )

    def named(items) -> Named:
        names = getattr(items, "_names", {})
        covered = {index for start, end in names.values()
                   for index in range(start, start + 1 if end is None else end)}  # fmt: skip
        unnamed = [_plain(item) for index, item in enumerate(items) if index not in covered]
        return Named(*unnamed, **{name: _plain(getattr(items, name)) for name in names})

    configs = [Path(configfile)] if configfile else []
    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        workflow_api = api.workflow(
            ResourceSettings(cores=1),
            config_settings=ConfigSettings(configfiles=configs),
            snakefile=workdir / "Snakefile",
            workdir=workdir,
        )
        dag_api = workflow_api.dag(DAGSettings(forceall=True))
        workflow = dag_api.workflow_api._workflow
        workflow._prepare_dag(forceall=True, ignore_incomplete=True, lock_warn_only=True,
                              nolock=True)  # fmt: skip
        workflow._build_dag()
        jobs = []
        for level in workflow.dag.toposorted():
            for job in sorted(level, key=lambda job: (job.rule.name, str(job.wildcards))):
                if not job.rule.script:
                    continue
                script = Path(job.rule.script).stem
                jobs.append((job.rule.name, script, Job(
                    job.rule.name, named(job.input), named(job.output), named(job.params),
                    named(job.wildcards))))  # fmt: skip
    return jobs


def _plain(value):
    """A value of a Snakemake job as plain Python (str paths, lists, dicts), to pickle."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default=".")
    parser.add_argument("--configfile", default=None)
    parser.add_argument("--per-rule", action="store_true", help="print seconds per rule")
    parser.add_argument("--plan-only", action="store_true", help="plan the jobs, run none")
    parser.add_argument(
        "--rule", default=None,
        help="run only this rule's jobs (after a whole run: their inputs exist), for one step's "
        "cost in a fresh process, its imports counted",
    )  # fmt: skip
    args = parser.parse_args(argv)
    workdir = Path(args.workdir).resolve()
    stored = workdir / PLAN
    if args.plan_only or not stored.exists():
        jobs = plan(workdir, args.configfile)
        stored.write_bytes(pickle.dumps(jobs))
        if args.plan_only:
            print(f"floor: {len(jobs)} jobs planned in {stored}")
            return 0
    began = time.perf_counter()
    jobs = pickle.loads(stored.read_bytes())
    if args.rule:
        jobs = [job for job in jobs if job[0] == args.rule]
    os.chdir(workdir)
    logging.basicConfig(level=logging.WARNING)
    scripts = {}
    seconds, cpu = defaultdict(float), defaultdict(float)
    for rule, script, job in jobs:
        start, start_cpu = time.perf_counter(), time.process_time()
        for path in job.output:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if script not in scripts:
            scripts[script] = load_script(script)
        scripts[script].main(job)
        seconds[rule] += time.perf_counter() - start
        cpu[rule] += time.process_time() - start_cpu
    if args.per_rule:  # CPU seconds too: a shared machine disturbs them far less than wall time
        for rule, spent in sorted(cpu.items(), key=lambda item: -item[1]):
            print(f"  {rule}: {seconds[rule]:.2f} s, {spent:.2f} CPU-s")
    print(
        f"floor: {len(jobs)} jobs in {time.perf_counter() - began:.2f} s, "
        f"{sum(cpu.values()):.2f} CPU-s; {time.process_time():.2f} CPU-s with imports"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
