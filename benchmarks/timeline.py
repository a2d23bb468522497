"""Which jobs a run ran, and when: a timeline from Snakemake's own records (issue 22).

    .venv/bin/python benchmarks/timeline.py [--workdir DIR] [--since SECONDS]

Reads ``DIR/.snakemake/metadata`` (one record per output file: the rule, the job's start and end
time) and prints each job that started at or after ``--since`` (a Unix time; default: the
latest run, i.e. jobs starting within the last run's span), one line per job: start and end in
seconds from the first job's start, the rule, and the outputs it wrote (shortened). Not a test.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections import defaultdict
from pathlib import Path


def jobs(workdir: Path) -> list[tuple[float, float, str, list[str]]]:
    """(start, end, rule, outputs) of every job with a record, by start time."""
    found: dict[tuple, list[str]] = defaultdict(list)
    starts: dict[tuple, float] = {}
    for path in (workdir / ".snakemake" / "metadata").iterdir():
        record = json.loads(path.read_text(encoding="utf-8"))
        output = base64.b64decode(path.name.replace("@", "/")).decode("utf-8", "replace")
        if record.get("starttime") is None:
            continue
        # one job's outputs share its end time; each has its own start, a few ms apart
        key = (record["endtime"], record["rule"], record["job_hash"])
        found[key].append(output)
        starts[key] = min(starts.get(key, record["starttime"]), record["starttime"])
    return sorted((starts[key], key[0], key[1], sorted(paths)) for key, paths in found.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default=".")
    parser.add_argument("--since", type=float, default=None, help="Unix time; default: last run")
    args = parser.parse_args(argv)
    records = jobs(Path(args.workdir))
    if args.since is None:  # the last run: jobs after the last gap of over a minute
        starts = [start for start, *_ in records]
        gaps = [b for a, b in zip(starts, starts[1:], strict=False) if b - a > 60]
        since = gaps[-1] if gaps else starts[0]
    else:
        since = args.since
    records = [job for job in records if job[0] >= since]
    origin = records[0][0]
    for start, end, rule, outputs in records:
        more = f", ... ({len(outputs)} files)" if len(outputs) > 2 else ""
        shown = ", ".join(outputs[:2]) + more
        print(f"{start - origin:7.2f} {end - origin:7.2f}  {rule:<24} {shown}")
    last = max(end for _, end, *_ in records)
    print(f"{len(records)} jobs, {last - origin:.2f} s from the first start to the last end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
