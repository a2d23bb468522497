"""An attacker's view of results/tables/: every subtraction that could recover a hidden count.

Reads every published table of a run and writes down each count it shows as a cell (the same
count shown in two tables is one cell) and each sum between cells: a question's answers sum to
its denominator (which, for a question everybody was asked, is the analysed n of the flow); the
flow's stages sum up (exported = duplicates + returned, returned = exclusions + analysed); the
ledger summary repeats the flow; a comparison's groups are the answers of its grouping question
and sum to the comparison's n; Dunn pairs repeat the groups' n; a statement's ``n_agree`` is the
sum of its top two answers, and with the answers that did not agree sums to its n. Then
``likertflow.disclosure.recover`` narrows every cell to the values consistent with all of it.

``check_run`` returns what an attacker learns: hidden counts pinned to one value, and hidden
counts whose percentage is published.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml
from likertflow.codebook import questionnaire_codebook
from likertflow.disclosure import SUPPRESSED, Policy, recover
from likertflow.flow import stage_of, stage_relations

from support import filled


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype="str", keep_default_na=False)


def collect(workdir: Path, config: dict):
    """(publications, constraints, percent leaks) of the run in ``workdir``."""
    tables = workdir / "results" / "tables"
    with open(workdir / config["codebook"], encoding="utf-8") as handle:
        codebook = yaml.safe_load(handle)
    questionnaires = {
        survey: filled.questionnaire(questionnaire_codebook(codebook, survey))
        for survey in codebook["questionnaires"]
    }
    publications, constraints, leaks = [], [], []

    def unconditional(survey, question_id, total):
        if any(not c.asked_if for c in questionnaires[survey].question(question_id).columns):
            constraints.append(([total], ("flow", survey, "analysed")))

    for name, spec in config["tables"].items():
        survey, table = spec["survey"], read(tables / f"{name}.csv")
        for question_id, rows in table.groupby("question_id", sort=False):
            cells = [("cell", survey, question_id, r) for r in rows["response"]]
            total = ("denominator", survey, question_id)
            publications += zip(cells, rows["n"], strict=True)
            publications.append((total, rows["denominator"].iloc[0]))
            constraints.append((cells, total))
            unconditional(survey, question_id, total)
            leaks += [
                f"{name}: {r} n is * but percent is {p}"
                for r, n, p in zip(rows["response"], rows["n"], rows["percent"], strict=True)
                if n == SUPPRESSED and p != SUPPRESSED
            ]

    flow = read(tables / "participant_flow.csv")
    for survey, rows in flow.groupby("survey", sort=False):
        publications += [
            (("flow", survey, s), n) for s, n in zip(rows["stage"], rows["n"], strict=True)
        ]
        for parts, total in stage_relations(list(rows["stage"])):
            constraints.append(([("flow", survey, p) for p in parts], ("flow", survey, total)))
    summary = read(tables / "ledger_summary.csv")
    publications += [
        (("flow", survey, stage_of(status, reason)), n)
        for survey, status, reason, n in summary[["survey", "status", "reason", "n"]].to_numpy()
    ]

    by_label = {q.label: survey for survey, q in questionnaires.items()}

    def group_cell(comparison, group):
        spec = config["comparisons"][comparison]
        if spec["by"] == "survey":
            return ("flow", by_label.get(group, group), "analysed")
        return ("cell", spec["survey"], spec["by"], group)

    groups = read(tables / "comparison_groups.csv")
    tests = read(tables / "comparisons.csv")
    test_n = dict(
        zip(zip(tests["comparison"], tests["outcome"], strict=True), tests["n"], strict=True)
    )
    for (comparison, outcome), rows in groups.groupby(["comparison", "outcome"], sort=False):
        cells = [group_cell(comparison, g) for g in rows["group"]]
        publications += zip(cells, rows["n"], strict=True)
        total = ("comparison_n", comparison, outcome)
        publications.append((total, test_n[(comparison, outcome)]))
        constraints.append((cells, total))
    posthoc = read(tables / "posthoc.csv")
    for side in ("a", "b"):
        publications += [
            (group_cell(c, g), n)
            for c, g, n in posthoc[["comparison", f"group_{side}", f"n_{side}"]].to_numpy()
        ]

    agreement = read(tables / "agreement_summary.csv")
    for row in agreement[agreement["n_agree"] != ""].to_dict("records"):
        survey, statement = row["survey"], row["statement"]
        question = questionnaires[survey].question(statement)
        labels = [question.answers.label_of[c] for c in question.answers.agree_codes]
        agree, n = ("agree", survey, statement), ("denominator", survey, statement)
        publications += [(agree, row["n_agree"]), (n, row["n"])]
        constraints.append(([("cell", survey, statement, label) for label in labels], agree))
        constraints.append(([agree, ("not_agree", survey, statement)], n))
        unconditional(survey, statement, n)
        if SUPPRESSED in (row["n_agree"], row["n"]) and row["percent_agree"] != SUPPRESSED:
            leaks.append(f"agreement {survey} {statement}: count * but percent published")
    return publications, constraints, leaks


def primary_cells(workdir: Path, policy: Policy) -> set:
    """The answer counts suppressed for being small, from the workflow's own exact counts
    (results/disclosure/), for the worst case: an attacker who knows which they are."""
    cells = set()
    for path in (workdir / "results" / "disclosure").glob("*.counts.csv"):
        survey = path.name.split(".")[0]
        plan = read(path)
        cells |= {
            ("cell", survey, q, r)
            for q, r, count in plan[["question_id", "response", "count"]].to_numpy()
            if policy.primary(int(count))
        }
    return cells


def check_run(workdir: Path, config: dict, policy: Policy, worst_case: bool = True) -> list[str]:
    """Every hidden count of the run that can be recovered, as a sentence (empty: none)."""
    publications, constraints, leaks = collect(workdir, config)
    primary = primary_cells(workdir, policy) if worst_case else set()
    recovered = recover(publications, constraints, policy, primary)
    return leaks + [f"{key} = {value}" for key, value in recovered.items()]
