"""Order independence: however the same responses are split into export batches, and in whatever
order the batches arrive and list their rows, the tables are byte-identical to those of one
batch holding every response (issue: incremental re-analysis, point 2).

Each example runs the workflow up to the tables (figures are left out: they are drawn from the
same analysed cohort and cost most of a run's time). The descriptive tables are made from the
batches' partial results less the repeats' (likertflow.partials), the other tables from the
analysed cohort: both paths are covered.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, copy_workflow, run_snakemake
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from likertflow.partials import combine

pytestmark = pytest.mark.slow

SURVEYS = ("experts", "patients")
RAW = Path("resources/raw")
# Batch file names as they might arrive: any safe stem, whatever its sort order.
BATCH_NAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,11}", fullmatch=True)


def shipped_rows(survey: str) -> tuple[str, list[str]]:
    """Header line and data lines of every shipped batch of a questionnaire, in file order."""
    header, rows = None, []
    for path in sorted((REPO / RAW / survey).glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        assert header in (None, lines[0]), f"{path.name}: another header"
        header, rows = lines[0], rows + lines[1:]
    assert all(row.endswith("\n") for row in rows), "a data row without a line end"
    return header, rows


def run_tables(workdir: Path, exports: dict[str, dict[str, str]], tables: list[str]) -> dict:
    """Write `exports` ({survey: {batch: text}}) into a data-less copy, make `tables`, read them."""
    copy_workflow(workdir, with_data=False)
    for survey, batches in exports.items():
        for batch, text in batches.items():
            (workdir / RAW / survey / f"{batch}.csv").write_text(text, encoding="utf-8")
    run_snakemake(workdir, *tables)
    return {name: (workdir / name).read_bytes() for name in tables}


@pytest.fixture(scope="module")
def tables(shipped_run) -> list[str]:
    """Every table of a full run, as targets."""
    found = sorted(path.relative_to(shipped_run) for path in shipped_run.glob("results/tables/*"))
    assert found, "the shipped run made no tables"
    return [str(path) for path in found]


@pytest.fixture(scope="module")
def single_batch(tmp_path_factory, tables) -> dict[str, bytes]:
    """Tables of one export per questionnaire holding every shipped response."""
    exports = {}
    for survey in SURVEYS:
        header, rows = shipped_rows(survey)
        exports[survey] = {"all_responses": header + "".join(rows)}
    return run_tables(tmp_path_factory.mktemp("single") / "run", exports, tables)


@st.composite
def splits(draw) -> dict[str, dict[str, str]]:
    """Each questionnaire's responses shuffled and cut into 1-4 batches with random names."""
    exports = {}
    for survey in SURVEYS:
        header, rows = shipped_rows(survey)
        k = draw(st.integers(1, 4), label=f"{survey} batches")
        names = draw(st.lists(BATCH_NAME, min_size=k, max_size=k, unique_by=str.lower))
        seed = draw(st.integers(0, 2**32 - 1), label=f"{survey} seed")
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(rows))
        cuts = np.sort(rng.choice(np.arange(1, len(rows)), size=k - 1, replace=False))
        exports[survey] = {
            name: header + "".join(rows[i] for i in part)
            for name, part in zip(names, np.split(order, cuts), strict=True)
        }
    return exports


def reversed_split(k: int) -> dict[str, dict[str, str]]:
    """Rows in reverse, cut into k batches whose names sort against their arrival order."""
    exports = {}
    for survey in SURVEYS:
        header, rows = shipped_rows(survey)
        parts = np.array_split(np.arange(len(rows))[::-1], k)
        exports[survey] = {
            f"{chr(ord('z') - i)}_arrived_{i + 1}": header + "".join(rows[j] for j in part)
            for i, part in enumerate(parts)
        }
    return exports


@settings(
    max_examples=4,  # plus the explicit example
    deadline=None,
    # Each example is a workflow run (~15 s): shrinking a failure would take many more.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(exports=splits())
@example(exports=reversed_split(3))
def test_any_split_and_arrival_order_gives_identical_tables(
    exports, tables, single_batch, tmp_path_factory
):
    made = run_tables(tmp_path_factory.mktemp("split") / "run", exports, tables)
    differ = [name for name in tables if made[name] != single_batch[name]]
    assert not differ, f"tables differ from the single-batch run: {differ}"


def test_shipped_batches_give_the_single_batch_tables(shipped_run, single_batch):
    for name, content in single_batch.items():
        assert (shipped_run / name).read_bytes() == content, name


def test_late_batch_repeating_earlier_responses_gives_the_one_shot_tables(
    shipped_run, tables, tmp_path
):
    """A late export that repeats responses of earlier batches (with other answers) and adds new
    ones: the rerun after it arrives makes the tables of one run on every export at once (issue
    22: the duplicate rule decides across batches, whichever arrived first)."""
    header, rows = shipped_rows("patients")
    ids = [row.split(",", 1)[0] for row in rows]
    assert len(set(ids)) == len(ids)  # the first column, quoted or not, holds no comma
    repeats = [f"{ids[i]},{rows[-1 - i].split(',', 1)[1]}" for i in range(5)]
    new = [f"R_late_{i},{rows[i].split(',', 1)[1]}" for i in range(5)]
    late = header + "".join(repeats + new)
    workdir = tmp_path / "incremental"
    shutil.copytree(shipped_run, workdir, symlinks=True, ignore=shutil.ignore_patterns("locks"))
    (workdir / RAW / "patients" / "export_2019-07-01.csv").write_text(late, encoding="utf-8")
    run_snakemake(workdir, *tables)
    ledger = (workdir / "results/audit/patients.ledger.csv").read_text(encoding="utf-8")
    assert ledger.count("duplicate_response") == len(repeats)
    exports = {
        survey: {path.stem: path.read_text(encoding="utf-8")
                 for path in sorted((workdir / RAW / survey).glob("*.csv"))}
        for survey in SURVEYS
    }  # fmt: skip
    one_shot = run_tables(tmp_path / "one_shot" / "run", exports, tables)
    differ = [name for name in tables if (workdir / name).read_bytes() != one_shot[name]]
    assert not differ, f"the rerun's tables differ from one run on every export: {differ}"
    # The tables come from the batches' partial results less the repeats' (issue 22): the same
    # combined cells as the one-shot run's, and cells were subtracted (repeats the duplicate
    # rule drops that pass every other rule, counted by their batches).
    combined = Path("results/partials/patients.answer_counts.parquet")
    assert (workdir / combined).read_bytes() == (tmp_path / "one_shot/run" / combined).read_bytes()
    per_batch = sorted((workdir / "results/partials/patients").glob("*.answer_counts.parquet"))
    summed = combine("answer_counts", [pd.read_parquet(path) for path in per_batch])
    assert summed["n"].sum() > pd.read_parquet(workdir / combined)["n"].sum()


def current_exports(workdir: Path) -> dict[str, dict[str, str]]:
    """Every export of a run's folder, as ``run_tables`` takes them."""
    return {
        survey: {path.stem: path.read_text(encoding="utf-8")
                 for path in sorted((workdir / RAW / survey).glob("*.csv"))}
        for survey in SURVEYS
    }  # fmt: skip


def corrected(text: str) -> str:
    """An export as the platform sends it again after a correction: its first response
    withdrawn, its second answered otherwise (the answers of its last row), the rest as before."""
    lines = text.splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    second = rows[1].split(",", 1)[0] + "," + rows[-1].split(",", 1)[1]
    return header + "".join([second, *rows[2:]])


@pytest.mark.parametrize("change", ["replaced", "replaced_with_older_time", "withdrawn"])
def test_replaced_or_withdrawn_batch_gives_the_one_shot_tables(
    shipped_run, tables, tmp_path, change
):
    """A batch corrected under the same name (with a newer modification time, or an older one:
    a file copied with its original time) or removed after a run: the rerun makes the tables of
    one run on the exports as they now are (issue 22, decision 6)."""
    workdir = tmp_path / "incremental"
    shutil.copytree(shipped_run, workdir, symlinks=True, ignore=shutil.ignore_patterns("locks"))
    batch = sorted((workdir / RAW / "patients").glob("*.csv"))[1]
    if change == "withdrawn":
        batch.unlink()
    else:
        before = batch.stat()
        batch.write_text(corrected(batch.read_text(encoding="utf-8")), encoding="utf-8")
        if change == "replaced_with_older_time":
            os.utime(batch, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))
    run_snakemake(workdir, *tables)
    one_shot = run_tables(tmp_path / "one_shot" / "run", current_exports(workdir), tables)
    differ = [name for name in tables if (workdir / name).read_bytes() != one_shot[name]]
    assert not differ, f"the rerun's tables differ from one run on every export: {differ}"
    flow = (workdir / "results/tables/participant_flow.csv").read_bytes()
    assert flow != (shipped_run / "results/tables/participant_flow.csv").read_bytes()
