"""Issue 10's runner: the workflow against its floor, at the study's size and at scale.

    .venv/bin/python benchmarks/run_benchmarks.py [--sizes shipped,100000,1000000]
        [--runs 3] [--large-runs 1] [--cores 2] [--workdir /tmp/likertflow-bench]

For each size (``shipped``: the exports in resources/raw; a number: that many synthetic
responses per questionnaire, from the generator's library at each questionnaire's own scale)
it prints, as medians over the runs: the workflow's cold run (``snakemake --cores N`` on an
empty results/), the floor (benchmarks/floor.py: the same work in one process), their ratio,
``snakemake --version``, the no-op rerun, the rerun after a late export of 1 % new respondents
(copies of the last batch's rows with new response ids, as export_9999-12-31.csv) and its
share of the cold run, and the peak RSS of the largest single process of a cold run and of the
late rerun (the raw line per size also has the late rerun's CPU seconds). Sizes of a million
responses and more use ``--large-runs`` repetitions (they take minutes on 2 cores). Also checks
that the floor's tables are byte-identical to the workflow's.
Run by hand on a quiet machine; not a test.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "workflow" / "scripts"), str(REPO / "tools")]
PYTHON = sys.executable
SNAKEMAKE = str(Path(PYTHON).with_name("snakemake"))
LATE = "export_9999-12-31.csv"


def timed(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MB) of the largest single process, and CPU seconds (user +
    system, the command and its children: less disturbed than wall time on a shared machine)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(
            ["/usr/bin/time", "-o", report.name, "-f", "%e %M %U %S", *command],
            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        if result.returncode:
            sys.exit(f"{' '.join(command)} failed in {cwd}:\n{result.stderr[-3000:]}")
        seconds, kilobytes, user, system = report.read().split()[-4:]
    return float(seconds), int(kilobytes) // 1024, float(user) + float(system)


def generate(raw: Path, responses: int) -> dict[str, int]:
    """Synthetic exports of about `responses` responses per questionnaire under raw/<survey>/."""
    import yaml
    from likertflow.codebook import parse_questionnaire, questionnaire_codebook
    from likertflow.schemas import CODEBOOK_SCHEMA, read_yaml, validate
    from likertflow_tools.synthetic import calibrated, write_cohort

    model_config = yaml.safe_load((REPO / "config/synthetic/bmjopen2020.yaml").read_text())
    codebook = validate(read_yaml(REPO / model_config["codebook"]), CODEBOOK_SCHEMA, "codebook")
    seed, counts = model_config["seed"], {}
    for survey, spec in model_config["questionnaires"].items():
        questionnaire = parse_questionnaire(questionnaire_codebook(codebook, survey))
        model = calibrated.parse_model(spec, questionnaire)
        base = len(calibrated.synthesise(questionnaire, model, seed, 1.0).coded)
        cohort = calibrated.generate(questionnaire, spec, seed, responses / base)
        write_cohort(cohort, questionnaire, raw, model_config["csv"])
        counts[survey] = cohort.responses
    return counts


def responses(folder: Path) -> int:
    """Rows of a questionnaire's CSV exports."""
    import pandas as pd

    return sum(len(pd.read_csv(path, dtype="str", usecols=[0])) for path in folder.glob("*.csv"))


def add_late_export(raw: Path) -> dict[str, int]:
    """A late export per questionnaire: 1 % of its responses, as new respondents."""
    import pandas as pd

    added = {}
    for folder in sorted(path for path in raw.iterdir() if path.is_dir()):
        exports = sorted(folder.glob("*.csv"))
        total = responses(folder)
        late = pd.read_csv(exports[-1], dtype="str", keep_default_na=False)
        late = late.sample(n=max(1, total // 100), replace=True, random_state=10)
        id_column = late.columns[0]
        late[id_column] = [f"R_late{index:011d}" for index in range(len(late))]
        late.to_csv(folder / LATE, index=False)
        added[folder.name] = len(late)
    return added


def without_ordinal(path: Path) -> None:
    """The config without any comparison's adjust_for: no ordinal-model jobs."""
    import yaml

    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for spec in config["comparisons"].values():
        spec.pop("adjust_for", None)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def median(values: list[float]) -> float:
    return statistics.median(values)


def measure(work: Path, runs: int, cores: int) -> dict:
    snakemake = [SNAKEMAKE, "--cores", str(cores)]
    floor = [PYTHON, str(REPO / "benchmarks/floor.py"), "--workdir", str(work)]
    results, meta = work / "results", work / ".snakemake"
    numbers: dict[str, list] = {key: [] for key in
                                ("cold", "cold_mb", "cold_cpu", "floor", "floor_cpu", "version",
                                 "noop", "late", "late_mb", "late_cpu")}  # fmt: skip
    # the floor's jobs, read from the workflow's DAG once, untimed
    subprocess.run([*floor, "--plan-only"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    for _ in range(runs):
        shutil.rmtree(results, ignore_errors=True)
        floor_seconds, _, floor_cpu = timed(floor, work)
        numbers["floor"].append(floor_seconds)
        numbers["floor_cpu"].append(floor_cpu)
        floor_tables = work / "floor_tables"
        shutil.rmtree(floor_tables, ignore_errors=True)
        shutil.copytree(results / "tables", floor_tables)
        shutil.rmtree(results)
        shutil.rmtree(meta, ignore_errors=True)
        seconds, megabytes, cpu = timed(snakemake, work)
        numbers["cold"].append(seconds)
        numbers["cold_mb"].append(megabytes)
        numbers["cold_cpu"].append(cpu)
    tables = sorted(path.name for path in (results / "tables").glob("*.csv"))
    _, differ, missing = filecmp.cmpfiles(results / "tables", floor_tables, tables, shallow=False)
    if differ or missing:
        sys.exit(f"the floor's tables differ from the workflow's: {differ + missing}")
    for _ in range(runs):
        numbers["version"].append(timed([SNAKEMAKE, "--version"], work)[0])
        numbers["noop"].append(timed(snakemake, work)[0])
    snapshot = work / "snapshot"
    shutil.rmtree(snapshot, ignore_errors=True)
    snapshot.mkdir()
    for path in (results, meta):
        shutil.copytree(path, snapshot / path.name, symlinks=True)
    numbers["late_rows"] = add_late_export(work / "resources" / "raw")
    for run in range(runs):
        if run:  # back to the state before the late export, modification times kept
            for path in (results, meta):
                shutil.rmtree(path)
                shutil.copytree(snapshot / path.name, path, symlinks=True)
        seconds, megabytes, cpu = timed(snakemake, work)
        numbers["late"].append(seconds)
        numbers["late_mb"].append(megabytes)
        numbers["late_cpu"].append(cpu)
    for late in (work / "resources" / "raw").glob(f"*/{LATE}"):
        late.unlink()
    shutil.rmtree(snapshot)
    return numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=1, help="runs at 1,000,000 and more")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--workdir", default=None, help="default: a new temporary folder")
    parser.add_argument(
        "--without-ordinal", action="store_true",
        help="drop the comparisons' adjust_for (no proportional-odds models) at the synthetic "
        "sizes, as the earlier measurements did when statsmodels' OrderedModel took minutes per "
        "comparison at 100,000 responses (now fitted on cell counts: under a second)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    root = Path(args.workdir or tempfile.mkdtemp(prefix="likertflow-bench."))
    header = (f"{'size':>22} | {'cold s':>6} | {'floor s':>7} | {'ratio':>5} | {'version s':>9} | "
              f"{'no-op s':>7} | {'no-op/ver':>9} | {'late s':>6} | {'late/cold':>9} | "
              f"{'peak MB cold/late':>17} | {'CPU s cold/floor':>16}")  # fmt: skip
    rows, colds = [], {}
    for size in args.sizes.split(","):
        work = root / size
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        for name in ("Snakefile", "config", "workflow", "profiles"):
            shutil.copytree(REPO / name, work / name) if (REPO / name).is_dir() else shutil.copy(
                REPO / name, work / name)  # fmt: skip
        raw = work / "resources" / "raw"
        if size == "shipped":
            shutil.copytree(REPO / "resources" / "raw", raw)
            counts = {folder.name: responses(folder) for folder in sorted(raw.iterdir())}
        else:
            counts = generate(raw, int(size))
            if args.without_ordinal:
                without_ordinal(work / "config" / "config.yaml")
        runs = args.large_runs if size != "shipped" and int(size) >= 1_000_000 else args.runs
        n = measure(work, runs, args.cores)
        colds[size] = median(n["cold"])
        label = " + ".join(f"{count:,}" for count in counts.values())
        rows.append(
            f"{label:>22} | {median(n['cold']):6.1f} | {median(n['floor']):7.1f} | "
            f"{median(n['cold']) / median(n['floor']):5.2f} | {median(n['version']):9.2f} | "
            f"{median(n['noop']):7.2f} | {median(n['noop']) / median(n['version']):9.2f} | "
            f"{median(n['late']):6.1f} | {median(n['late']) / median(n['cold']):9.2f} | "
            f"{max(n['cold_mb']):>8}/{max(n['late_mb']):<8} | "
            f"{median(n['cold_cpu']):7.1f}/{median(n['floor_cpu']):<8.1f}"
        )
        print(f"{size}: {runs} runs; late export rows {n['late_rows']}; raw {n}", flush=True)
        shutil.rmtree(work)
    print(f"\nmedians, {args.cores} cores; runs per size: {args.runs} ({args.large_runs} at 1M+)"
          + ("; synthetic sizes without the ordinal models" if args.without_ordinal else ""))
    print(header)
    print("-" * len(header))
    print("\n".join(rows))
    if {"shipped", "100000", "1000000"} <= colds.keys():
        net = (colds["1000000"] - colds["shipped"]) / (colds["100000"] - colds["shipped"])
        print(f"growth 100,000 -> 1,000,000, net of the shipped run's time: {net:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
