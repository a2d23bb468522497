"""The two design worked examples (issue 23), end to end: a weighted national-style sample with
strata and clusters (config/examples/national_weighted/) and a before-and-after survey
(config/examples/before_after/).

Their exports are synthetic (``likertflow_tools.synthetic.design_examples``) and regenerated
here byte for byte. Each runs with ``--configfile`` alone; its weighted estimates, intervals,
design effects, rank tests and models are compared with R's survey package, its signed-rank
tests, rank-biserial correlations and marginal tests with R's wilcox.test, effectsize and the
Stuart-Maxwell formula, from the raw exports (tests/r/national_weighted.R, tests/r/before_after.R;
output in tests/expected/, the command in each file's first line). The rank-biserial correlation
is also computed here independently from the matched differences.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO, copy_workflow, run_snakemake
from likertflow.attacker import read_svg
from scipy import stats
from support.r_numbers import (
    assert_paired_test_equals_r,
    assert_two_group_tests_equal_r,
    assert_weighted_frequency_equals_r,
    assert_weighted_panel_cell_equals_r,
    assert_weighted_panel_test_equals_r,
    assert_weighted_theme_mean_equals_r,
    close,
    expected,
    expected_from,
)
from support.rscript import run_live

RESOURCES = REPO / "resources" / "examples"


def test_generator_writes_the_shipped_exports_byte_for_byte(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "likertflow_tools.synthetic.design_examples", str(tmp_path)],
        cwd=REPO, check=True, capture_output=True,
        env={"PYTHONPATH": f"{REPO / 'tools'}:{REPO / 'workflow' / 'scripts'}"},
    )  # fmt: skip
    for example in ("national_weighted", "before_after"):
        shipped = sorted(p.relative_to(RESOURCES) for p in (RESOURCES / example).rglob("*.csv"))
        made = sorted(p.relative_to(tmp_path) for p in (tmp_path / example).rglob("*.csv"))
        assert made == shipped
        for path in shipped:
            assert (tmp_path / path).read_bytes() == (RESOURCES / path).read_bytes(), path


def assert_r_script_prints_the_stored_numbers(tmp_path: Path, name: str, *packages: str):
    """A live check: ``tests/r/<name>.R``, rerun, prints the numbers stored in
    ``tests/expected/<name>.csv`` (to 1e-12: another R's last digits may differ); skipped without
    R and ``packages``."""
    out = run_live(f"tests/r/{name}.R", tmp_path / f"{name}.csv", *packages)
    live, stored = expected_from(out), expected(name)
    assert live.keys() == stored.keys()
    for key, value in stored.items():
        assert live[key] == pytest.approx(value, rel=1e-12, nan_ok=True), key


@pytest.mark.parametrize(("name", "package"), [("national_weighted", "survey"),
                                               ("national_weighted_compare", "survey"),
                                               ("before_after", "effectsize")])  # fmt: skip
def test_stored_r_numbers_are_what_the_r_script_prints(tmp_path, name, package):
    assert_r_script_prints_the_stored_numbers(tmp_path, name, package)


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    workdir = copy_workflow(tmp_path_factory.mktemp("national_weighted"))
    run_snakemake(workdir, "--configfile", "config/examples/national_weighted/config.yaml")
    return workdir / "results" / "tables"


@pytest.fixture(scope="module")
def before_after(tmp_path_factory) -> Path:
    workdir = copy_workflow(tmp_path_factory.mktemp("before_after"))
    run_snakemake(workdir, "--configfile", "config/examples/before_after/config.yaml")
    return workdir


@pytest.mark.slow
def test_weighted_percentages_intervals_and_design_effects_equal_r(national):
    want = expected("national_weighted")
    table = pd.read_csv(national / "weighted_frequencies.csv")
    table = table[table["survey"] == "adults"]  # the carers: in the stacked comparison below
    answered = table.groupby("question_id")["n"].sum()  # each question's domain
    checked = 0
    for row in table.itertuples():
        # the effective sample size of the estimate: its domain's responses over the deff
        checked += assert_weighted_frequency_equals_r(row, want, answered[row.question_id])
        assert "logit" in row.method and "svyciprop" in row.method
    assert checked == 5 * (2 + 3 + 4 * 5)


@pytest.mark.slow
def test_weighted_theme_mean_equals_r(national):
    want = expected("national_weighted")
    row = pd.read_csv(national / "weighted_theme_means.csv").iloc[0]
    assert_weighted_theme_mean_equals_r(row, "local_services", want)


@pytest.mark.slow
def test_design_based_rank_tests_and_models_equal_r(national):
    want = expected("national_weighted")
    table = pd.read_csv(national / "weighted_comparisons.csv")
    table = table[(table["comparison"] == "adults_by_sex") & (table["outcome"] != "local_services")]
    ranks, models = assert_two_group_tests_equal_r(table, want)
    assert len(ranks) == len(models) == 4
    for outcome in ranks.index:
        assert "svyranktest" in ranks.at[outcome, "method"]
        assert "svyolr" in models.at[outcome, "method"]


def _groups_term(row) -> str:
    """The R coefficient a model row is: "g" and its group's label."""
    return "g" + row.groups.split(" vs ")[0]


@pytest.mark.slow
def test_comparisons_by_bands_of_samples_and_of_theme_scores_equal_r(national):
    """By age in its config bands (3 groups: Wald chi-squared), of two independent samples
    stacked (adults and carers, each its own strata), and of a theme score (rank test and
    svyglm's differences in means): tests/r/national_weighted_compare.R."""
    want = expected("national_weighted_compare")
    table = pd.read_csv(national / "weighted_comparisons.csv")
    checked = 0
    for row in table.itertuples():
        c, o = row.comparison, row.outcome
        if c == "adults_by_sex" and o != "local_services":
            continue  # test_design_based_rank_tests_and_models_equal_r
        if row.test == "design-based rank test":
            terms = ([("statistic", "chisq"), ("df", "df"), ("p", "p")] if c == "adults_by_age"
                     else [("statistic", "t"), ("df", "df"), ("p", "p"), ("estimate", "estimate")])
            for column, term in terms:
                assert close(getattr(row, column), want[(f"{c}/rank_test", o, term)]), (c, o, term)
                checked += 1
            assert "svyranktest" in row.method
            continue
        kind = {"difference in means": "means", "proportional-odds model": "olr"}[row.test]
        for column, term in [("estimate", "estimate"), ("statistic", "t"), ("p", "p")]:
            key = (f"{c}/{kind}", o, f"{_groups_term(row)} {term}")
            assert close(getattr(row, column), want[key]), key
            checked += 1
        assert row.df == want[(f"{c}/{kind}", o, "df")]
        if kind == "means":  # the interval, in the method's words
            low, high = (want[(f"{c}/means", o, f"{_groups_term(row)} {end}")]
                         for end in ("low", "high"))  # fmt: skip
            assert f"({low:.6g} to {high:.6g})" in row.method
    assert set(table["comparison"]) == {"adults_by_sex", "adults_by_age", "adults_vs_carers"}
    stacked = table[table["comparison"] == "adults_vs_carers"]
    assert (stacked["method"].str.contains("independent samples stacked")).all()
    assert checked == (4 + 3) + 3 * (3 + 2 * 3) + 3 * (4 + 3)  # theme by sex, by age, stacked


@pytest.mark.slow
def test_a_weighted_panel_equals_r_on_the_first_wave_design(national):
    """The adults matched with their follow-up as a domain of the adults' design: weighted
    means, svyttest of the paired differences, the weighted before-by-after table."""
    want = expected("national_weighted_compare")
    tests = pd.read_csv(national / "weighted_paired_tests.csv")
    assert list(tests["statement"]) == ["gp_access", "hospital_trust", "transport", "grow_old"]
    for row in tests.itertuples():
        assert_weighted_panel_test_equals_r(row, want)
        assert "svyttest" in row.method and "Not a rank test" in row.method
    tables = pd.read_csv(national / "weighted_paired_tables.csv")
    unweighted = pd.read_csv(national / "paired_tables.csv")
    assert tables["n"].tolist() == unweighted["n"].tolist()  # the same cells, in the same order
    for statement, part in tables.groupby("statement"):
        assert len(part) == 25
        for cell, row in enumerate(part.itertuples(), 1):
            assert_weighted_panel_cell_equals_r(row, cell, statement, want)
            if row.n == 0:  # no logit interval of a share of 0; R's glm stops short of -inf
                assert want[("panel/table", statement, f"high {cell}")] < 1e-6  # percent


def _printed(value: float) -> str:
    """A statistic as the Word/Excel tables print it: 2 decimals, U+2212 for a minus."""
    return f"{value:.2f}".replace("-", "\u2212")


@pytest.mark.slow
def test_the_word_and_excel_tables_show_the_comparisons_on_the_design_and_the_panel(national):
    """Issue 23 item 5: the comparisons on the design (theme-score rows included) and the
    weighted panel's tests and before-by-after tables are in tables.docx and tables.xlsx, as the
    published CSVs hold them; the theme's difference in means and its interval are R's."""
    from support.manuscript_check import p_agrees, read_docx, read_xlsx

    want = expected("national_weighted_compare")
    shown = read_xlsx(national.parent / "tables.xlsx")
    assert [t.caption for t in read_docx(national.parent / "tables.docx")] == [
        t.caption for t in shown
    ]
    by_title = {t.caption.split(". ", 1)[1]: t for t in shown}
    comparisons = pd.read_csv(national / "weighted_comparisons.csv")
    titles = {"adults_by_sex": "Adults by their answer to \u201cSex\u201d",
              "adults_by_age": "Adults by their answer to \u201cAge\u201d",
              "adults_vs_carers": "Adults and Carers compared"}  # fmt: skip
    checked = 0
    for name, title in titles.items():
        table = by_title[f"Compared on the survey design: {title}"]
        body = [row for row in table.rows if not row[1]]  # the tests, under each outcome's n
        rows = comparisons[comparisons["comparison"] == name]
        assert len(body) == len(rows)
        for cells, row in zip(body, rows.itertuples(), strict=True):
            assert cells[2].endswith(_printed(row.statistic))
            assert p_agrees(cells[5], str(row.p))
            if row.test == "difference in means":  # a theme score's rows, against R's svyglm
                term = f"{_groups_term(row)}"
                estimate, low, high = (want[(f"{name}/means", row.outcome, f"{term} {end}")]
                                       for end in ("estimate", "low", "high"))  # fmt: skip
                assert cells[4] == (f"{_printed(estimate)}\u00a0({_printed(low)} to "
                                    f"{_printed(high)})")  # fmt: skip
                checked += 1
    assert checked == 1 + 2 + 1  # by sex, by age (two bands against the first), stacked
    tests = pd.read_csv(national / "weighted_paired_tests.csv")
    table = by_title["Before and after, weighted: panel"]
    for cells, row in zip(table.rows, tests.itertuples(), strict=True):
        assert cells[0] == row.question and cells[1] == str(row.n)
        assert cells[2:4] == [_printed(row.weighted_mean_before), _printed(row.weighted_mean_after)]
        assert cells[4] == (f"{_printed(row.mean_difference)}\u00a0({_printed(row.ci_low)} to "
                            f"{_printed(row.ci_high)})")  # fmt: skip
        assert cells[5] == f"t({row.df})\u00a0=\u00a0{_printed(row.statistic)}"
        assert p_agrees(cells[6], str(row.p))
    cells = pd.read_csv(national / "weighted_paired_tables.csv")
    table = by_title["Before by after, weighted: panel"]
    assert table.header[1:] == list(dict.fromkeys(cells["after"]))
    counts = [cell.split(" ")[0] for row in table.rows if row[1] for cell in row[1:]]
    assert counts == cells["n"].astype(str).tolist()  # every cell, in the CSV's order


@pytest.mark.slow
def test_the_report_captions_every_weighted_and_paired_table(national):
    """The run's report holds every table of the design and the panel (the weighted panel's
    two among them), each with its caption stating its n and method, as every caption does."""
    import json
    import re

    workdir = national.parent.parent
    run_snakemake(workdir, "--configfile", "config/examples/national_weighted/config.yaml",
                  "--report", "results/report.html")  # fmt: skip
    html = (workdir / "results" / "report.html").read_text(encoding="utf-8")
    match = re.search(r"var results = (\{.*?\});\s*</script>", html, flags=re.DOTALL)
    results = json.loads(match.group(1))
    names = [f"weighted_{n}.csv" for n in ("frequencies", "theme_means", "comparisons",
                                           "paired_tests", "paired_tables")]  # fmt: skip
    names += ["survey_design.csv", "paired_tests.csv", "paired_tables.csv", "paired_flow.csv",
              "paired_shift.png", "figure1_services_weighted.png"]  # fmt: skip
    for name in names:
        entry = next(e for path, e in results.items() if path.endswith(f"/{name}"))
        caption = entry["caption"]
        assert "system-message" not in caption, name
        assert "<strong>n</strong>" in caption and "<strong>Method</strong>" in caption, name


def config_and_questionnaires(workdir: Path, example: str) -> tuple[dict, dict]:
    """An example's config (``<example>``: its config.yaml; ``<example>/<name>``: another of its
    configs), as its schema fills it, and its parsed codebook."""
    from likertflow.codebook import load_questionnaires
    from support import filled

    path = f"config/examples/{example}.yaml" if "/" in example else \
        f"config/examples/{example}/config.yaml"  # fmt: skip
    config = filled.workflow_files(workdir, path)[0]
    return config, load_questionnaires(workdir / config["codebook"])


def assert_weighted_figures_drawn_from_the_published_table(workdir: Path, example: str):
    """Every Likert figure of a questionnaire with a design is drawn weighted too, in every
    format, its bars the published weighted percentages (support.likert_geometry); the
    unweighted figure is still drawn."""
    from support import likert_geometry

    config, questionnaires = config_and_questionnaires(workdir, example)
    figures = workdir / "results" / "figures"
    for name in config["likert_figures"]:
        for ext in ("png", "svg", "pdf"):
            assert (figures / f"{name}.{ext}").stat().st_size > 0
            assert (figures / f"{name}_weighted.{ext}").stat().st_size > 0
    assert likert_geometry.weighted_check(workdir, config, questionnaires) == []
    return config, questionnaires


@pytest.mark.slow
def test_the_weighted_figure_is_drawn_from_the_weighted_percentages(national):
    workdir = national.parent.parent
    assert_weighted_figures_drawn_from_the_published_table(workdir, "national_weighted")
    svg = (workdir / "results" / "figures" / "figure1_services_weighted.svg").read_text()
    texts = read_svg(svg)[0]
    analysed = pd.read_csv(national / "participant_flow.csv").query(
        "survey == 'adults' and stage == 'analysed'"
    )["n"]
    assert f"Views of local services (weighted, n = {analysed.iloc[0]})" in texts
    assert any(text.startswith("weighted % of respondents: strongly disagree") for text in texts)


@pytest.mark.slow
def test_a_weighted_percentage_the_rule_hides_is_not_drawn(tmp_path):
    """Under a threshold rule (30) some of the carers' answers are hidden in
    weighted_frequencies.csv: their Likert figure, drawn weighted, gives them no width and
    prints '*' for the shares and n they enter; the run's output check (its attacker reads the
    figure against the published table) passes.

    And one value everywhere: the exclusions of the follow-up wave (26) and of the carers (20)
    are below 30, and every statement's table shows the analysed (nobody analysed skipped one),
    so the participant flow hides the returned beside them, not the analysed; the pairing
    counts and the design summary show each questionnaire's analysed as the flow does. (The
    flow used to hide the analysed, which the statement tables, the pairing counts and the
    design summary showed: the output check found both exclusions recoverable.)"""
    workdir = copy_workflow(tmp_path)
    example = workdir / "config" / "examples" / "national_weighted"
    config = yaml.safe_load((example / "config.yaml").read_text(encoding="utf-8"))
    config["disclosure"] = {"rule": "threshold", "min_count": 30}
    config["likert_figures"]["figure2_carers"] = {"survey": "carers", "statement_set": "services"}
    (example / "threshold.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    run_snakemake(workdir, "--configfile", "config/examples/national_weighted/threshold.yaml")
    weighted = pd.read_csv(workdir / "results" / "tables" / "weighted_frequencies.csv", dtype=str)
    hidden = weighted[(weighted["survey"] == "carers") & (weighted["weighted_percent"] == "*")]
    assert "transport" in set(hidden["question_id"])  # the case this test is about
    figures = workdir / "results" / "figures"
    assert (figures / "figure2_carers_weighted.svg").exists()
    config, questionnaires = config_and_questionnaires(workdir, "national_weighted/threshold")
    from support import likert_geometry

    assert likert_geometry.weighted_check(workdir, config, questionnaires) == []
    texts = read_svg((figures / "figure2_carers_weighted.svg").read_text(encoding="utf-8"))[0]
    assert "hidden count" in texts and "*" in texts
    for value in hidden["n"]:
        assert value == "*"
    check = pd.read_csv(workdir / "results" / "checks" / "output_check.csv")
    assert check.set_index("file")["status"]["results/figures/figure2_carers_weighted.svg"] == \
        "review"  # fmt: skip
    assert "fail" not in set(check["status"])
    tables = workdir / "results" / "tables"
    flow = pd.read_csv(tables / "participant_flow.csv", dtype=str).set_index(["survey", "stage"])
    for survey in ("adults_followup", "carers"):
        assert flow.loc[(survey, "excluded_item_nonresponse"), "n"] == "*"
        assert flow.loc[(survey, "returned"), "n"] == "*"
    analysed = flow.xs("analysed", level="stage")["n"]
    pairs = pd.read_csv(tables / "paired_flow.csv", dtype=str).set_index("stage")["n"]
    assert pairs["analysed in adults_followup (after)"] == analysed["adults_followup"]
    assert pairs["analysed in adults (before)"] == analysed["adults"]
    design = pd.read_csv(tables / "survey_design.csv", dtype=str).set_index("survey")
    assert design["n_analysed"].to_dict() == analysed[design.index].to_dict()


@pytest.mark.slow
def test_the_design_is_stated_and_exclusions_are_domains(national):
    design = pd.read_csv(national / "survey_design.csv").iloc[0]
    exports = sorted((RESOURCES / "national_weighted" / "raw" / "adults").rglob("*.csv"))
    raw = pd.concat(pd.read_csv(path) for path in exports)
    assert design["n"] == len(raw)  # the full sample, excluded responses included
    assert design["n_analysed"] < design["n"]
    assert design["n_psus"] == raw["Area"].nunique() and design["n_strata"] == 5
    assert design["lonely_psu"] == "adjust"


@pytest.mark.slow
def test_signed_rank_tests_and_marginal_tests_equal_r(before_after):
    want = expected("before_after")
    tests = pd.read_csv(before_after / "results" / "tables" / "paired_tests.csv")
    for row in tests.itertuples():
        assert_paired_test_equals_r(row, want)
        assert not row.exact and "pairs without change dropped" in row.method


@pytest.mark.slow
def test_rank_biserial_equals_an_independent_computation(before_after):
    """r = (T+ - T-) / (n (n + 1) / 2) from the matched differences, ranked by scipy."""
    raw = RESOURCES / "before_after" / "raw"
    before = pd.concat(pd.read_csv(p, dtype=str) for p in sorted((raw / "baseline").glob("*")))
    after = pd.concat(pd.read_csv(p, dtype=str) for p in sorted((raw / "followup").glob("*")))
    both = before.dropna(subset=["Learner ID"]).merge(
        after.dropna(subset=["Learner ID"]), on="Learner ID", suffixes=(" before", " after")
    )
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
              "Strongly agree"]  # fmt: skip
    tests = pd.read_csv(before_after / "results" / "tables" / "paired_tests.csv")
    for row in tests.itertuples():
        text = row.question
        d = (both[f"{text} after"].map(labels.index) - both[f"{text} before"].map(labels.index))
        d = d[d != 0].to_numpy()
        ranks = stats.rankdata(np.abs(d))
        r = (ranks[d > 0].sum() - ranks[d < 0].sum()) / (len(d) * (len(d) + 1) / 2)
        assert row.rank_biserial == pytest.approx(r, rel=1e-12)
        assert row.pairs - row.unchanged == len(d)
        assert row.pairs == len(both)


@pytest.mark.slow
def test_unmatched_responses_are_counted_and_nothing_weighted_is_written(before_after):
    want = expected("before_after")
    flow = pd.read_csv(before_after / "results" / "tables" / "paired_flow.csv")
    n = dict(zip(flow["stage"], flow["n"], strict=True))
    assert n["matched pairs"] == want[("flow", "", "matched")]
    assert n["in baseline only (unmatched)"] == want[("flow", "", "before_only")]
    assert n["in followup only (unmatched)"] == want[("flow", "", "after_only")]
    assert n["without a linking id in followup"] == want[("flow", "", "after_without_id")]
    tables = before_after / "results" / "tables"
    assert (before_after / "results" / "figures" / "paired_shift.png").stat().st_size > 0
    assert not (before_after / "results" / "design").exists()
    assert not list(tables.glob("weighted_*")) and not (tables / "survey_design.csv").exists()
    assert not list((before_after / "results" / "figures").glob("*_weighted.*"))
    analysed = pd.read_parquet(before_after / "results" / "data" / "baseline.analysed.parquet")
    assert list(analysed.columns) == ["confident", "ask_for_help", "exercise", "medicines", "_link"]


@pytest.mark.slow
def test_under_a_disclosure_rule_the_weighted_tables_pass_the_output_check(tmp_path):
    """Under the nhs rule the run's last step (the output check and its attacker) passes on the
    weighted tables; a weighted cell shows 2 decimals, and its n is the descriptive tables'
    published count."""
    workdir = copy_workflow(tmp_path)
    run_snakemake(workdir, "--configfile", "config/examples/national_weighted/config.yaml",
                  "--config", "disclosure={rule: nhs}")  # fmt: skip
    tables = workdir / "results" / "tables"
    weighted = pd.read_csv(tables / "weighted_frequencies.csv", dtype=str)
    shown = weighted[weighted["weighted_percent"] != "*"]
    assert shown["weighted_percent"].str.fullmatch(r"\d+\.\d\d").all()
    published = pd.read_csv(tables / "table1_adults.csv", dtype=str)
    sex = published[published["question_id"] == "sex"].set_index("response")["n"]
    assert weighted[weighted["question_id"] == "sex"].set_index("response")["n"].equals(sex)
    document = (workdir / "results" / "tables.docx").read_bytes()
    text = zipfile.ZipFile(io.BytesIO(document)).read("word/document.xml").decode()
    assert "Weighted percentages: Adults" in text  # the Word table of the weighted estimates
    for title in ("Compared on the survey design", "Before and after, weighted: panel",
                  "Before by after, weighted: panel"):  # fmt: skip
        assert title in text
    check = (workdir / "results" / "checks" / "output_check.csv").read_text(encoding="utf-8")
    assert "weighted_frequencies.csv" in check and "weighted_comparisons.csv" in check
    # the weighted figure too: drawn from the published table, read by the attacker (the run's
    # output check passed), shown to a person as every figure is
    assert_weighted_figures_drawn_from_the_published_table(workdir, "national_weighted")
    statuses = pd.read_csv(workdir / "results" / "checks" / "output_check.csv")
    statuses = statuses.set_index("file")["status"]
    assert statuses["results/figures/figure1_services_weighted.svg"] == "review"
    assert statuses["results/figures/figure1_services.svg"] == "review"
