"""Safe to publish: no identifiers in shareable outputs, disclosure rules on the shipped data.

Each test runs the workflow in a copy of the repository. The counts under a rule are checked
against the rule's definition, the hidden counts against ``disclosure_checker`` (every
subtraction across every published table), and the statistics of small groups against the
exact run (the session's ``shipped_run``, rule ``none``).
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import copy_workflow, run_snakemake
from likertflow.codebook import questionnaire_codebook
from likertflow.disclosure import COUNT_COLUMNS, SUPPRESSED, policy_of
from likertflow.grouping import GROUP, comparison_inputs
from likertflow.ordinal import cells, model_data, term_sizes
from likertflow.publishing import TERM_STATISTICS
from likertflow.settings import Comparison
from support import filled
from support.disclosure_checker import check_run

pytestmark = pytest.mark.slow

SHAREABLE = ["results/tables", "results/figures"]
REPORT = "results/report.html"
MANUSCRIPT = ["results/tables.docx", "results/tables.xlsx"]


def run_with(workdir: Path, disclosure: dict | None = None) -> dict:
    """Run the workflow in ``workdir`` with a disclosure setting; its config."""
    config_path = workdir / "config" / "config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    if disclosure is not None:
        config["disclosure"] = disclosure
        config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    run_snakemake(workdir)
    return config


@pytest.fixture(scope="module", params=[{"rule": "nhs"}, {"rule": "threshold", "min_count": 10}])
def disclosed_run(request, tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp(request.param["rule"]))
    return workdir, run_with(workdir, request.param), policy_of(request.param)


def published_tables(workdir: Path) -> dict[str, pd.DataFrame]:
    return {
        path.name: pd.read_csv(path, dtype="str", keep_default_na=False)
        for path in sorted((workdir / "results" / "tables").glob("*.csv"))
    }


def test_every_published_count_follows_the_rule(disclosed_run):
    workdir, _, policy = disclosed_run
    seen = 0
    for name, table in published_tables(workdir).items():
        for column in [c for c in COUNT_COLUMNS if c in table]:
            for value in table[column]:
                if value in ("", SUPPRESSED):
                    continue
                count = int(value)
                seen += 1
                if policy.rule == "nhs":
                    assert count == 0 or (count % 5 == 0 and count >= 10), (name, column, count)
                else:
                    assert count == 0 or count >= 10, (name, column, count)
    assert seen > 300  # the check looked at the tables' counts
    flow = published_tables(workdir)["participant_flow.csv"]
    assert SUPPRESSED not in set(flow["n"]) or policy.rule == "threshold"


def test_no_statistic_for_a_small_group(disclosed_run, shipped_run):
    workdir, _, policy = disclosed_run
    exact = pd.read_csv(shipped_run / "results/tables/comparison_groups.csv")
    shown = published_tables(workdir)["comparison_groups.csv"]
    assert len(exact) == len(shown)
    small = exact["n"] < policy.min_statistic_n
    assert small.any()  # the professional-role group of 3, among others
    for column in ["n", "median", "mean_rank"]:
        assert (shown.loc[small, column] == SUPPRESSED).all(), column
    tests = published_tables(workdir)["comparisons.csv"]
    small_groups = set(map(tuple, exact.loc[small, ["comparison", "outcome"]].to_numpy()))
    for row in tests.to_dict("records"):
        if (row["comparison"], row["outcome"]) in small_groups:
            assert row["statistic"] == row["p"] == row["effect_size"] == SUPPRESSED, row
    posthoc = published_tables(workdir)["posthoc.csv"]
    small_labels = set(map(tuple, exact.loc[small, ["comparison", "group"]].to_numpy()))
    for row in posthoc.to_dict("records"):
        if {
            (row["comparison"], row["group_a"]),
            (row["comparison"], row["group_b"]),
        } & small_labels:
            assert row["z"] == row["mean_rank_a"] == SUPPRESSED, row


def exact_term_sizes(run: Path) -> dict[tuple[str, str, str], int]:
    """(comparison, outcome, term) -> respondents on the smaller side of the term's contrast, in
    the models of an exact run's scored data."""
    config, codebook = filled.workflow_files(run)  # as the workflow reads them
    sizes = {}
    for name, params in config["comparisons"].items():
        spec = Comparison.from_params(params)
        if not spec.adjust_for:
            continue
        survey = spec.survey
        frames, questionnaires = comparison_inputs(
            [str(run / f"results/themes/{survey}.scores.parquet")],
            {survey: questionnaire_codebook(codebook, survey)},
            config["bands"],
        )
        data, labels, level_names = model_data(spec, frames, questionnaires)
        for outcome in spec.outcomes:
            complete = data[list(dict.fromkeys([outcome, GROUP, *spec.adjust_for]))].dropna()
            distinct, counts = cells(complete)
            terms = term_sizes(distinct, counts, labels, list(spec.adjust_for), level_names)
            sizes |= {(name, outcome, term): n for term, n in terms.items()}
    return sizes


def test_no_odds_ratio_for_a_contrast_with_a_small_group(disclosed_run, shipped_run):
    # The shipped patients' 18-24 age band, the models' reference level, has 7 to 9 complete
    # respondents per model: under either rule the age odds ratios of those models are hidden.
    workdir, _, policy = disclosed_run
    sizes = exact_term_sizes(shipped_run)
    models = published_tables(workdir)["ordinal_models.csv"]
    hidden_rows = 0
    for row in models.to_dict("records"):
        small = not policy.statistic_allowed(
            policy.publish(sizes[row["comparison"], row["outcome"], row["term"]])
        )
        for column in TERM_STATISTICS:
            assert (row[column] == SUPPRESSED) == small, (row["term"], column)
        hidden_rows += small
    assert 0 < hidden_rows < len(models)


def test_no_hidden_count_can_be_recovered(disclosed_run):
    workdir, config, policy = disclosed_run
    tables = published_tables(workdir)
    assert sum((table == SUPPRESSED).to_numpy().sum() for table in tables.values()) > 0
    assert check_run(workdir, config, policy, worst_case=True) == []


def test_the_checker_finds_an_unprotected_cell(disclosed_run, tmp_path):
    """The checker can fail: undo one secondary suppression and it recovers the hidden cell."""
    workdir, config, policy = disclosed_run
    if policy.rule != "threshold":
        pytest.skip("rounding protects the role table without a secondary suppression")
    table = workdir / "results/tables/table3_expert_role.csv"
    original = table.read_text(encoding="utf-8")
    role = pd.read_csv(table, dtype="str", keep_default_na=False)
    assert role["n"].tolist() == ["93", SUPPRESSED, SUPPRESSED]  # Technical 3, Other 25 hidden
    try:
        role.loc[2, ["n", "percent"]] = ["25", "20.66"]
        role.to_csv(table, index=False)
        found = check_run(workdir, config, policy)
        assert "('cell', 'experts', 'role', 'Technical') = 3" in found
    finally:
        table.write_text(original, encoding="utf-8")
    groups = workdir / "results/tables/comparison_groups.csv"
    original = groups.read_text(encoding="utf-8")
    try:  # the same count shown in another table
        groups.write_text(original.replace("Other,*", "Other,25"), encoding="utf-8")
        assert "('cell', 'experts', 'role', 'Technical') = 3" in check_run(workdir, config, policy)
    finally:
        groups.write_text(original, encoding="utf-8")


def test_figures_show_published_counts(disclosed_run):
    workdir, _, policy = disclosed_run
    flow = (workdir / "results/figures/participant_flow.svg").read_text(encoding="utf-8")
    texts = re.findall(r"<!-- (.*?) -->", flow)
    shown = {int(n) for text in texts for n in re.findall(r"n = (\d+)", text)}
    assert shown and all(policy.publish(n) == n for n in shown)  # each a publishable count
    if policy.rule == "nhs":  # the exact counts of the shipped data are not among them
        assert not shown & {131, 121, 282, 73}  # (355 is a multiple of 5 already)
    figure = (workdir / "results/figures/figure2_expert_benefits.svg").read_text(encoding="utf-8")
    assert f"(n = {policy.publish(121)})" in " ".join(re.findall(r"<!-- (.*?) -->", figure))


# --- no identifiers in what a researcher shares -------------------------------------------------

PLANTED_ID = "R_PlantedZq8Xw4Kv"
PLANTED_START, PLANTED_END = "2019-06-02 03:14:15", "2019-06-02 03:26:53"
PLANTED_TEXT = "Planted free text: my neighbour Ms Quxwell at 17 Vlorp Lane"


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory) -> Path:
    """A run whose last patient export holds one more response with a unique id, unique
    timestamps and a free-text answer (an extra column, as platforms add)."""
    workdir = copy_workflow(tmp_path_factory.mktemp("planted"))
    export = sorted((workdir / "resources/raw/patients").glob("*.csv"))[-1]
    frame = pd.read_csv(export, dtype="str", keep_default_na=False)
    planted = frame.iloc[[0]].copy()
    planted.iloc[0, :3] = [PLANTED_ID, PLANTED_START, PLANTED_END]
    frame = pd.concat([frame, planted], ignore_index=True)
    frame["Any other comments?"] = ""
    frame.loc[frame.index[-1], "Any other comments?"] = PLANTED_TEXT
    frame.to_csv(export, index=False)
    run_snakemake(workdir)
    run_snakemake(workdir, "--report", REPORT)
    ledger = pd.read_csv(workdir / "results/audit/patients.ledger.csv", dtype="str")
    status = ledger.loc[ledger["response_id"] == PLANTED_ID, "status"].tolist()
    assert status == ["analysed"]  # in every table's counts; the analyst still has its id
    return workdir


def readable(data: bytes) -> list[bytes]:
    """A file's bytes, every base64 payload embedded in it, decoded, and every file of a zip
    (the Word and Excel tables, also as the report embeds them), unpacked."""
    found = [data]
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                found += readable(archive.read(name))
    for payload in re.findall(rb";base64,([A-Za-z0-9+/=]+)", data):
        found += readable(base64.b64decode(payload + b"=" * (-len(payload) % 4)))
    return found


@pytest.mark.parametrize("needle", [PLANTED_ID, PLANTED_START, "03:26:53", "Quxwell"])
def test_no_identifier_in_shareable_outputs(planted_run, needle):
    files = [p for part in SHAREABLE for p in (planted_run / part).rglob("*") if p.is_file()]
    files += [planted_run / REPORT, *(planted_run / path for path in MANUSCRIPT)]
    assert len(files) > 20
    embedded = 0
    for path in files:
        for blob in readable(path.read_bytes()):
            embedded += 1
            assert needle.encode() not in blob, f"{needle!r} in {path}"
    assert embedded > len(files)  # the report's embedded files were decoded and searched


def test_analysed_data_keep_coded_answers_only(planted_run):
    for path in (planted_run / "results/data").glob("*.parquet"):
        analysed = pd.read_parquet(path)
        for column in ["response_id", "batch", "row", "started", "completed"]:
            assert column not in analysed.columns, (path.name, column)
        assert all(pd.api.types.is_numeric_dtype(t) for t in analysed.dtypes)  # codes only


def test_report_has_ledger_summary_not_ledgers(planted_run):
    html = (planted_run / REPORT).read_text(encoding="utf-8")
    assert "ledger_summary.csv;base64," in html
    assert "ledger.csv;base64," not in html


def test_report_loads_nothing_from_the_network(planted_run):
    html = (planted_run / REPORT).read_text(encoding="utf-8")
    external = r"(?:https?:)?//[^\"'\s)]+"
    patterns = [
        rf"<(?:script|img|link|iframe|source|video|audio|embed)\b[^>]*\b(?:src|href)\s*=\s*[\"']?{external}",
        rf"url\(\s*[\"']?{external}",
        rf"@import\s+[\"']?(?:url\()?\s*[\"']?{external}",
    ]
    for pattern in patterns:
        assert not re.search(pattern, html, flags=re.IGNORECASE), pattern


def test_manuscript_tables_show_what_the_csvs_show(disclosed_run):
    """The Word and Excel tables show every count, percentage and p as the disclosure-
    controlled CSVs do, ``*`` where they hide one, and say what the mark means."""
    from docx import Document
    from support.manuscript_check import check_run

    workdir, _, policy = disclosed_run
    checked = check_run(workdir, workdir / "config" / "config.yaml")
    for counts in checked.values():
        assert counts["suppressed"] > 0  # hidden counts were among those checked
    text = " ".join(p.text for p in Document(str(workdir / "results/tables.docx")).paragraphs)
    assert f"Disclosure control ({policy.rule})" in text and "* marks a value hidden" in text
