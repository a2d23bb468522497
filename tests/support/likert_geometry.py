"""The Likert figures' geometry against the disclosed table: each bar of an SVG is what the
published counts of one statement imply, and shows nothing they hide.

A bar's segments are read from the SVG (likertflow.attacker.read_svg: every filled rectangle,
its colour mapped to an answer through the legend). Its shares (segment width over bar width)
must be the statement's published on-scale counts over their sum, a hidden count (``*``) drawn
with no width; the n printed beside it that sum, or ``*``; its % labels the published shares,
rounded. The published counts are those of ``results/tables/statement_frequencies.csv`` (the
table the figures draw from) or, where a run has no such table, of the disclosure plan's
published column (the same numbers). A weighted Likert figure's bars are held to the published
weighted percentages in the same way (``weighted_check``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from likertflow.attacker import read_svg
from likertflow.disclosure import SUPPRESSED

TOLERANCE = 1e-6  # an SVG writes coordinates to 6 decimals


def published_counts(workdir: Path) -> pd.DataFrame:
    """survey, question_id, response, n (text) of every statement's answers as published."""
    table = workdir / "results" / "tables" / "statement_frequencies.csv"
    if table.exists():
        frame = pd.read_csv(table, dtype="str", keep_default_na=False)
        return frame[["survey", "question_id", "response", "n"]]
    plans = [
        pd.read_csv(path, dtype="str", keep_default_na=False).assign(survey=path.name.split(".")[0])
        for path in sorted((workdir / "results" / "disclosure").glob("*.counts.csv"))
    ]
    return pd.concat(plans)[["survey", "question_id", "response", "n"]]


def bars(svg: str) -> tuple[list[dict[str, float]], list[str]]:
    """Each bar's share per answer label, top to bottom, and the texts of the figure."""
    texts, rectangles = read_svg(svg)
    legend = {r.fill: r.label for r in rectangles if r.legend and r.fill != "#ffffff"}
    rows: dict = {}
    for r in rectangles:
        if not r.legend and r.fill in legend:
            rows.setdefault(round((r.top + r.bottom) / 2, 2), []).append(r)
    shares = []
    for y in sorted(rows):
        width = sum(r.right - r.left for r in rows[y])
        bar: dict[str, float] = {}
        for r in rows[y]:
            bar[legend[r.fill]] = bar.get(legend[r.fill], 0) + (r.right - r.left) / width
        shares.append(bar)
    return shares, texts


def check(workdir: Path, config: dict, questionnaires: dict) -> list[str]:
    """Every way a Likert figure of the run in ``workdir`` differs from its published counts
    (empty: each bar is exactly what one statement's published counts imply)."""
    counts = published_counts(workdir)
    problems = []
    for name, spec in config["likert_figures"].items():
        svg = workdir / "results" / "figures" / f"{name}.svg"
        questionnaire = questionnaires[spec["survey"]]
        statements = questionnaire.statements(spec["statement_set"])
        labels = statements[0].answers.scale_labels
        expected = {}
        for statement in statements:
            rows = counts[
                (counts["survey"] == spec["survey"]) & (counts["question_id"] == statement.id)
            ].set_index("response")["n"]
            cells = {label: rows.get(label, "0") for label in labels}
            shown = {k: int(v) for k, v in cells.items() if v != SUPPRESSED}
            total = sum(shown.values())
            if total:
                expected[statement.id] = (
                    {label: shown.get(label, 0) / total for label in labels},
                    total,
                    SUPPRESSED in cells.values(),
                )
        drawn, texts = bars(svg.read_text(encoding="utf-8"))
        matched = set()
        for position, bar in enumerate(drawn):
            candidates = [
                statement
                for statement, (shares, _, _) in expected.items()
                if statement not in matched
                and all(abs(bar.get(label, 0) - shares[label]) < TOLERANCE for label in labels)
            ]
            if not candidates:
                problems.append(
                    f"{name}: bar {position + 1} ({bar}) is no statement's published shares"
                )
                continue
            matched.add(candidates[0])
        missing = set(expected) - matched
        if missing and len(drawn) == len(expected):
            problems.append(f"{name}: statements {sorted(missing)} drawn with other shares")
        try:
            header = len(texts) - 1 - texts[::-1].index("n")
        except ValueError:
            problems.append(f"{name}: no n column")
            continue
        printed = texts[header + 1 : header + 1 + len(drawn)]
        allowed = {str(total) for _, total, _ in expected.values()} | {SUPPRESSED}
        problems += [f"{name}: n {n!r} is no published sum" for n in printed if n not in allowed]
    return problems


def weighted_check(workdir: Path, config: dict, questionnaires: dict) -> list[str]:
    """Every way a weighted Likert figure (``<entry>_weighted.svg``) of the run in ``workdir``
    differs from the published weighted percentages (``weighted_frequencies.csv``): each bar's
    shares must be one statement's published on-scale percentages over their sum, a hidden one
    (``*``) drawn with no width, and each printed n the sum of that statement's published counts
    or ``*`` (empty: every bar is what the table says)."""
    from likertflow.outputs import WEIGHTED_FIGURE

    table = workdir / "results" / "tables" / "weighted_frequencies.csv"
    published = pd.read_csv(table, dtype="str", keep_default_na=False)
    problems = []
    for name, spec in config["likert_figures"].items():
        questionnaire = questionnaires[spec["survey"]]
        if questionnaire.design is None:
            continue
        labels = questionnaire.statements(spec["statement_set"])[0].answers.scale_labels
        expected, totals = [], {SUPPRESSED}
        for statement in questionnaire.statements(spec["statement_set"]):
            rows = published[(published["survey"] == spec["survey"])
                             & (published["question_id"] == statement.id)]  # fmt: skip
            percent = dict(zip(rows["response"], rows["weighted_percent"], strict=True))
            shown = {label: float(percent[label]) for label in labels if percent[label] != "*"}
            expected.append({label: shown.get(label, 0.0) / sum(shown.values())
                             for label in labels})  # fmt: skip
            if SUPPRESSED not in set(rows["n"]):
                totals.add(str(sum(int(n) for n in rows["n"])))
        svg = workdir / "results" / "figures" / f"{name}{WEIGHTED_FIGURE}.svg"
        drawn, texts = bars(svg.read_text(encoding="utf-8"))
        for position, bar in enumerate(drawn):
            if not any(all(abs(bar.get(label, 0) - shares[label]) < TOLERANCE for label in labels)
                       for shares in expected):  # fmt: skip
                problems.append(f"{svg.name}: bar {position + 1} ({bar}) is no statement's "
                                "published weighted percentages")  # fmt: skip
        header = len(texts) - 1 - texts[::-1].index("n")
        printed = texts[header + 1 : header + 1 + len(drawn)]
        problems += [f"{svg.name}: n {n!r} is no published sum" for n in printed
                     if n not in totals]  # fmt: skip
        if len(drawn) != len(expected):
            problems.append(f"{svg.name}: {len(drawn)} bars of {len(expected)} statements")
    return problems
