"""Safe to publish: no identifiers in shareable outputs, disclosure rules on both studies.

Each disclosure test runs the workflow in a copy of the repository, the shipped study and the
second worked example under ``nhs`` and under ``threshold, min_count: 10``: its last rule, the
output check, must pass (every published value of a class the policy marks safe, in the form it
allows; the workflow's attacker recovers nothing). The counts are checked against the rule's
definition, the hidden counts against the same attacker run here (worst case: it knows which
counts were hidden for being small), and the statistics of small groups against the exact run
(the session's ``shipped_run``, rule ``none``).

Until the figures branch (issue 21) draws the Likert bars from the published statement
frequencies, the Likert figures (drawn from exact counts) are left out of these runs: the
output check fails on them, as ``tests/unit/test_attacker.py`` shows, and
``test_likert_geometry_equals_the_published_table`` runs once they are.
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
from likertflow.attacker import attack, read_release
from likertflow.codebook import questionnaire_codebook
from likertflow.disclosure import COUNT_COLUMNS, SUPPRESSED, policy_of
from likertflow.grouping import GROUP, comparison_inputs
from likertflow.ordinal import cells, model_data, term_sizes
from likertflow.output_check import conforms
from likertflow.publishing import TERM_STATISTICS
from likertflow.settings import Comparison
from support import filled, likert_geometry

pytestmark = pytest.mark.slow

SHAREABLE = ["results/tables", "results/figures"]
REPORT = "results/report.html"
MANUSCRIPT = ["results/tables.docx", "results/tables.xlsx"]
CHECK = "results/checks/output_check.md"
EXAMPLE = "config/examples/online_learning/config.yaml"
RULES = {"nhs": {"rule": "nhs"}, "threshold": {"rule": "threshold", "min_count": 10}}


def run_with(workdir: Path, disclosure: dict | None = None, configfile: str | None = None) -> dict:
    """Run the workflow in ``workdir`` with a disclosure setting (and ``configfile``, for the
    second example); its config as the workflow read it."""
    config_path = workdir / (configfile or "config/config.yaml")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    if disclosure is not None:
        config["disclosure"] = disclosure
        config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = run_snakemake(workdir, *(["--configfile", configfile] if configfile else []))
    (workdir / "run.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return filled.workflow_files(workdir, configfile or "config/config.yaml")[0]


@pytest.fixture(
    scope="module",
    params=[(study, rule) for study in ("shipped", "example") for rule in RULES],
    ids=lambda param: "-".join(param),
)
def disclosed_run(request, tmp_path_factory):
    study, rule = request.param
    workdir = copy_workflow(tmp_path_factory.mktemp(f"{study}_{rule}"))
    config = run_with(workdir, RULES[rule], EXAMPLE if study == "example" else None)
    return workdir, config, policy_of(RULES[rule])


@pytest.fixture(scope="module")
def shipped_disclosed(disclosed_run):
    workdir, config, policy = disclosed_run
    if config["codebook"] != "config/codebook.yaml":
        pytest.skip("the shipped study's numbers")
    return disclosed_run


def published_tables(workdir: Path) -> dict[str, pd.DataFrame]:
    return {
        path.name: pd.read_csv(path, dtype="str", keep_default_na=False)
        for path in sorted((workdir / "results" / "tables").glob("*.csv"))
    }


def questionnaires(workdir: Path, config: dict) -> dict:
    codebook = filled.codebook(yaml.safe_load((workdir / config["codebook"]).read_text()))
    return {
        survey: filled.questionnaire(questionnaire_codebook(codebook, survey))
        for survey in codebook["questionnaires"]
    }


def primary_cells(workdir: Path, policy) -> set:
    """The answer counts hidden for being small, from the workflow's own exact counts
    (results/disclosure/), for the worst case: an attacker who knows which they are."""
    cells = set()
    for path in (workdir / "results" / "disclosure").glob("*.counts.csv"):
        survey = path.name.split(".")[0]
        plan = pd.read_csv(path, dtype="str", keep_default_na=False)
        cells |= {
            ("cell", survey, q, r)
            for q, r, count in plan[["question_id", "response", "count"]].to_numpy()
            if policy.primary(int(count))
        }
    return cells


def release_of(workdir: Path, config: dict, policy):
    return read_release(
        workdir, config, questionnaires(workdir, config), policy, primary_cells(workdir, policy)
    )


def test_the_output_check_passes_and_says_so(disclosed_run):
    """The run's own attacker found nothing (else the run would have failed); its report states
    the rule on its front page, a status for every shareable file, what was withheld and why,
    and successive releases as a residual risk; the console got its one-line summary."""
    workdir, config, policy = disclosed_run
    report = (workdir / CHECK).read_text(encoding="utf-8")
    assert f"**Disclosure rule in force: `{policy.rule}`**" in report.split("## Summary")[0]
    rows = pd.read_csv(workdir / "results/checks/output_check.csv", dtype="str")
    assert set(rows["status"]) <= {"pass", "review"} and "pass" in set(rows["status"])
    tables = {f"results/tables/{path.name}" for path in (workdir / "results/tables").glob("*")}
    assert tables <= set(rows["file"]) and "results/report.html" in set(rows["file"])
    assert "withheld:" in report and "Successive releases" in report
    log = (workdir / "run.log").read_text(encoding="utf-8")
    assert f"Output check: rule {policy.rule}," in log and "attacker recovered 0" in log


def test_every_published_value_is_of_a_class_the_policy_marks_safe(disclosed_run):
    workdir, config, policy = disclosed_run
    release = release_of(workdir, config, policy)
    assert conforms(release) == []
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
    assert seen > 200  # the check looked at the tables' counts


def test_no_hidden_count_can_be_recovered(disclosed_run):
    workdir, config, policy = disclosed_run
    tables = published_tables(workdir)
    assert sum((table == SUPPRESSED).to_numpy().sum() for table in tables.values()) > 0
    assert [str(finding) for finding in attack(release_of(workdir, config, policy))] == []


def test_the_attacker_finds_an_unprotected_cell(shipped_disclosed, tmp_path):
    """The attacker can fail: undo one secondary suppression and it recovers the hidden cell."""
    workdir, config, policy = shipped_disclosed
    if policy.rule != "threshold":
        pytest.skip("rounding protects the role table without a secondary suppression")
    release = release_of(workdir, config, policy)
    role = release.tables["table3_expert_role"]
    assert role["n"].tolist() == ["93", SUPPRESSED, SUPPRESSED]  # Technical 3, Other 25 hidden
    role.loc[2, ["n", "percent"]] = ["25", "20.66"]
    found = [str(finding) for finding in attack(release)]
    assert any("role 'Technical'" in line and "hidden count = 3" in line for line in found)


def test_likert_geometry_equals_the_published_table(disclosed_run):
    workdir, config, _ = disclosed_run
    assert config["likert_figures"]
    assert likert_geometry.check(workdir, config, questionnaires(workdir, config)) == []


def test_no_statistic_for_a_small_group(shipped_disclosed, shipped_run):
    workdir, _, policy = shipped_disclosed
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
    # every group of a test with a small group: no mean rank (ranks are among all of them)
    in_small_test = [
        (c, o) in small_groups for c, o in zip(shown["comparison"], shown["outcome"], strict=True)
    ]
    assert (shown.loc[in_small_test, "mean_rank"] == SUPPRESSED).all()
    posthoc = published_tables(workdir)["posthoc.csv"]
    for row in posthoc.to_dict("records"):  # no Dunn pair of a test with a small group at all
        assert (row["comparison"], row["outcome"]) not in small_groups, row


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
        frames, questionnaires_ = comparison_inputs(
            [str(run / f"results/data/{survey}.analysed.parquet")],
            {survey: questionnaire_codebook(codebook, survey)},
            config["bands"],
        )
        data, labels, level_names = model_data(spec, frames, questionnaires_)
        for outcome in spec.outcomes:
            complete = data[list(dict.fromkeys([outcome, GROUP, *spec.adjust_for]))].dropna()
            distinct, counts = cells(complete)
            terms = term_sizes(distinct, counts, labels, list(spec.adjust_for), level_names)
            sizes |= {(name, outcome, term): n for term, n in terms.items()}
    return sizes


def test_no_odds_ratio_for_a_contrast_with_a_small_group(shipped_disclosed, shipped_run):
    # The shipped patients' 18-24 age band, the models' reference level, has 7 to 9 complete
    # respondents per model: under either rule the age odds ratios of those models are hidden;
    # so are those of a level a descriptive table hides (had_imaging's "No" under threshold).
    workdir, _, policy = shipped_disclosed
    sizes = exact_term_sizes(shipped_run)
    tables = published_tables(workdir)
    hidden_levels = {
        (row["question_id"], row["response"])
        for name, table in tables.items()
        if "question_id" in table
        for row in table.to_dict("records")
        if row["n"] == SUPPRESSED
    }
    config = yaml.safe_load((workdir / "config/config.yaml").read_text(encoding="utf-8"))
    models = tables["ordinal_models.csv"]
    hidden_rows = 0
    for row in models.to_dict("records"):
        variable, _, contrast = row["term"].partition(": ")
        by = config["comparisons"][row["comparison"]]["by"]
        question = by if variable == "group" else variable
        levels = {(question, label) for label in contrast.split(" vs ")}
        small = not policy.statistic_allowed(
            policy.publish(sizes[row["comparison"], row["outcome"], row["term"]])
        ) or bool(levels & hidden_levels)
        for column in [c for c in TERM_STATISTICS if c != "log10_p"]:
            assert (row[column] == SUPPRESSED) == small, (row["term"], column)
        assert row["log10_p"] == SUPPRESSED  # the p at full precision: never under a rule
        hidden_rows += small
    assert 0 < hidden_rows < len(models)


def test_figures_show_published_counts(shipped_disclosed):
    workdir, _, policy = shipped_disclosed
    flow = (workdir / "results/figures/participant_flow.svg").read_text(encoding="utf-8")
    texts = re.findall(r"<!-- (.*?) -->|<text[^>]*>([^<]*)</text>", flow)
    texts = [a or b for a, b in texts]
    shown = {int(n.replace(",", "")) for t in texts for n in re.findall(r"n = ([\d,]+)", t)}
    assert shown and all(policy.publish(n) == n for n in shown)  # each a publishable count
    if policy.rule == "nhs":  # the exact counts of the shipped data are not among them
        assert not shown & {131, 121, 282, 73}  # (355 is a multiple of 5 already)


def test_an_uncontrolled_run_says_so_and_warns(shipped_run):
    """Rule none (the shipped default): the output check prints a WARNING, since the tables
    show counts below 10, and its report says the results are not disclosure-controlled."""
    report = (shipped_run / CHECK).read_text(encoding="utf-8")
    assert "**These results are not disclosure-controlled**" in report.split("## Summary")[0]
    assert "Successive releases" in report
    log = (shipped_run / "logs/check_outputs/all.log").read_text(encoding="utf-8")
    assert "WARNING These results are NOT disclosure-controlled" in log
    rows = pd.read_csv(shipped_run / "results/checks/output_check.csv", dtype="str")
    assert set(rows["status"]) == {"not disclosure-controlled"}


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

    workdir, config, policy = disclosed_run
    configfile = EXAMPLE if "examples" in config["codebook"] else "config/config.yaml"
    checked = check_run(workdir, workdir / configfile)
    for counts in checked.values():
        assert counts["suppressed"] > 0  # hidden counts were among those checked
    text = " ".join(p.text for p in Document(str(workdir / "results/tables.docx")).paragraphs)
    assert f"Disclosure control ({policy.rule})" in text and "* marks a value hidden" in text
