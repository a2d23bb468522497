"""The output check: every shareable file of a run, its status under the disclosure rule, what
was withheld and why, and what a human checker should still look at, as the semi-automated
output checkers of trusted research environments (ACRO / SACRO, OpenSAFELY's output checking)
report it.

For each shareable file (``likertflow.outputs``) the check records:

- **status**: ``pass`` (every cell is of a statistic class the policy marks safe under the rule,
  in the form it allows, and the attacker, ``likertflow.attacker``, recovers nothing from it),
  ``fail`` (a cell breaks the policy, or an attack recovers a hidden count: the run stops, naming
  the file and cell), ``review`` (nothing found, but a person should look: a figure the attacker
  could not read, the report made after the run), or, under rule ``none``, ``not
  disclosure-controlled``;
- the rule applied, and what was withheld: the ``*`` cells of each column with the policy's
  reason for their class;
- residual risks: what the rule does not protect against, for a checker to weigh (successive
  releases of a survey among them).

``check`` returns the records; ``write_report`` writes them as a Markdown report (its front page
states the rule in force) and a CSV, one row per file; ``summary`` is the line the console gets.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from likertflow.attacker import ATTACKS, BY_HAND, Finding, Release, attack
from likertflow.disclosure import (
    COUNT_COLUMNS,
    RULES,
    STATISTIC_CLASSES,
    SUPPRESSED,
    Policy,
    column_class,
    regime,
    table_kind,
)
from likertflow.outputs import output_of
from likertflow.settings import Disclosure

PASS, FAIL, REVIEW, UNCONTROLLED = "pass", "fail", "review", "not disclosure-controlled"
SMALL = 10  # a count below this in an uncontrolled run gets a warning (ONS's threshold)
JOURNAL_P = re.compile(r"^(<0\.001|>0\.99|0\.\d{2,6})$")
# In words: a p as journals print it (up to 6 decimals just below alpha), matched whole with no
# decimals counted, or the decimals of another number (at most 3 allowed).
WORDS_DECIMALS = re.compile(
    r"\bp (?:= )?(?:<0\.001|>0\.99|0\.\d{2,6})(?![\d.])|(?<![\d.])-?\d+\.(\d+)"
)

# Residual risks: what no rule here protects against, for the human checker.
SUCCESSIVE_RELEASES = (
    "Successive releases: a survey re-published after each weekly batch is a new release of "
    "the same people. The rule protects each release on its own: every count, statistic and "
    "figure of one run is checked against everything else in that run. It does not protect "
    "across releases: a count that grows from one release to the next (a question's 'Other' "
    "from 25 to 27) tells how many of the new respondents gave that answer, even when each "
    "release hides its small cells, and a cell hidden in one release and shown in the next, "
    "with the totals of both, gives the hidden one back. Publish once, after the last batch; "
    "or publish the same data cut each time; or compare each release with the last (the same "
    "rule, the differences of every count at least the rule's smallest count) before sharing."
)
GENERAL_RISKS = (
    "Outside knowledge: a reader who knows that someone took part, and which group they are "
    "in, may learn their answer where a group's answers are all alike (a bar or a median that "
    "all of a small group share); the rule hides small groups, not uniform ones.",
    "Overlapping groups: many statistics of overlapping subgroups of the same people (each "
    "comparison's groups, each model's covariates) can narrow each other down beyond the "
    "classes the attacker tries; keep the comparisons few.",
)
KIND_RISKS = {
    "table": "Statistics of large groups (correlations, alphas, model estimates) are published "
    "at two decimals; an extreme value (an alpha of 1.00, a correlation of -1.00) says that "
    "every respondent answered alike.",
    "figure": "The PNG is a raster of the same drawing as the SVG: it can give back no more "
    "than the SVG's geometry, which the attacker read; look at the figure for anything the "
    "tables hide (a label, a bar of a hidden group).",
    "document": "Made from the published tables alone (no statistic computed again); check its "
    "footnotes say what the rule did.",
    "report": "Made after the run by `snakemake --report` from the files above, with the "
    "captions' words: its status is theirs; open it and look before sharing.",
}


@dataclass
class Record:
    """The check of one shareable file."""

    file: str
    kind: str
    status: str
    rule: str
    withheld: Counter = field(default_factory=Counter)  # (column, class) -> cells withheld
    findings: list[Finding] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    small_counts: int = 0  # under rule none: counts from 1 to SMALL - 1 shown


def conforms(release: Release) -> list[tuple[str, str]]:
    """Every published cell that is not of a statistic class the policy knows, or not in the
    form the policy allows for its class under the rule in force: (file, what)."""
    policy = release.policy
    shown_as = regime(policy)
    problems = []
    for stem, frame in release.tables.items():
        kind = table_kind(stem, frame.columns)
        file = f"results/tables/{stem}.csv"
        for column in frame.columns:
            if column_class(kind, column) is None:  # a row tells only which known class it is
                problems.append(
                    (
                        file,
                        f"column {column!r} is of no statistic class of the "
                        "policy (likertflow.disclosure.COLUMN_CLASSES)",
                    )
                )
                continue
            for position, row in enumerate(frame.to_dict("records")):
                name = column_class(kind, column, row)
                form = STATISTIC_CLASSES[name].shown[shown_as].form
                value = str(row[column])
                if not _in_form(value, form, policy):
                    problems.append(
                        (
                            file,
                            f"row {position + 2}, column {column!r}: {value!r} is "
                            f"not {STATISTIC_CLASSES[name].shown[shown_as].words} "
                            f"({STATISTIC_CLASSES[name].title})",
                        )
                    )
    return problems


def _in_form(value: str, form: str, policy: Policy) -> bool:
    if value in ("", SUPPRESSED, "nan") or form in ("any", "label"):
        return True
    if form == "withheld":
        return False
    if form == "count":
        return value.isdigit() and policy.publish(int(value)) == int(value)
    if form.startswith("decimals:"):
        places = int(form.split(":")[1])
        return re.fullmatch(rf"-?\d+(\.\d{{1,{places}}})?", value) is not None
    if form == "journal_p":
        return JOURNAL_P.fullmatch(value) is not None
    if form == "words":
        counts = re.findall(r"\(n=(\d+)\)", value)
        decimals = WORDS_DECIMALS.findall(value)
        return all(policy.publish(int(n)) == int(n) for n in counts) and all(
            len(d) <= 3 for d in decimals
        )
    raise ValueError(f"unknown form {form!r}")


def check(release: Release, files: list[str]) -> list[Record]:
    """The check of every shareable file (paths relative to the project) of a release."""
    policy = release.policy
    findings = attack(release)
    problems = conforms(release) if policy.applies else []
    records = []
    for path in files:
        output = output_of(path)
        kind = output.kind if output else "document"
        record = Record(path, kind, PASS if policy.applies else UNCONTROLLED, policy.rule)
        stem = Path(path).stem
        if path.startswith("results/tables/") and stem in release.tables:
            frame = release.tables[stem]
            table = table_kind(stem, frame.columns)
            for column in frame.columns:
                for row in frame.to_dict("records"):
                    if str(row[column]) == SUPPRESSED:
                        record.withheld[(column, column_class(table, column, row) or "?")] += 1
            if not policy.applies:
                record.small_counts = sum(
                    1
                    for column in COUNT_COLUMNS
                    if column in frame
                    for value in frame[column]
                    if str(value).isdigit() and 0 < int(value) < SMALL
                )
        if path.endswith(".svg") and stem in release.svgs:
            hidden = len(re.findall(r"<!-- \* -->|>\*</text>", release.svgs[stem]))
            if hidden:
                record.withheld[("labels", "count")] = hidden
        record.findings = [f for f in findings if f.file == path]
        record.violations = [what for file, what in problems if file == path]
        if policy.applies:
            if record.violations or any(not f.what.startswith(BY_HAND) for f in record.findings):
                record.status = FAIL
            elif record.findings or kind in ("figure", "document", "report"):
                record.status = REVIEW
        record.notes = [KIND_RISKS[kind]]
        records.append(record)
    return records


def rule_words(policy: Policy) -> str:
    """The rule in force in its registry's words, its setting filled in."""
    if policy.rule not in RULES:
        return policy.rule
    settings = Disclosure(rule=policy.rule, min_count=policy.min_count or None)
    return RULES[policy.rule].describe(settings)


def why(name: str, policy: Policy) -> str:
    """Why a cell of a statistic class is ``*`` under the rule in force."""
    statistic = STATISTIC_CLASSES.get(name)
    if statistic is None:
        return "hidden by the rule"
    if statistic.shown[regime(policy)].form == "withheld":
        return f"not published under this rule: {statistic.reason}"
    if name == "count":
        small = f"from 1 to {policy.min_count - 1}" if policy.min_count > 1 else "small"
        return (
            f"a count {small}, or one that a subtraction or a difference of ns would reveal "
            "beside the others (secondary suppression)"
        )
    return (
        "its count or a group it involves is hidden, or the group is smaller than "
        f"{policy.min_statistic_n}"
    )


def policy_table() -> str:
    """The policy as docs/publishing.md prints it (a test keeps the page in step): each class
    of statistic, how each kind of rule shows it, and why."""
    lines = [
        "| statistic | `none` | `threshold` | `nhs` (rounding) | why, under a rule |",
        "|---|---|---|---|---|",
    ]
    for statistic in STATISTIC_CLASSES.values():
        shown = [statistic.shown[name].words for name in ("exact", "suppression", "rounding")]
        lines.append(f"| {statistic.title} | {' | '.join(shown)} | {statistic.reason} |")
    return "\n".join(lines)


def summary(records: list[Record], policy: Policy) -> str:
    """The one line the console gets."""
    statuses = Counter(record.status for record in records)
    withheld = sum(sum(record.withheld.values()) for record in records)
    if not policy.applies:
        small = sum(record.small_counts for record in records)
        line = f"Output check: rule none, {len(records)} shareable files NOT disclosure-controlled"
        return line + (f"; {small} counts below {SMALL} shown" if small else "")
    found = sum(len([f for f in r.findings if not f.what.startswith(BY_HAND)]) for r in records)
    parts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    return (
        f"Output check: rule {policy.rule}, {len(records)} shareable files ({parts}); "
        f"{withheld} values withheld; attacker recovered {found} hidden values"
    )


def failures(records: list[Record]) -> list[str]:
    """Every reason the check fails, naming the file and cell."""
    lines = []
    for record in records:
        lines += [f"{record.file}: {violation}" for violation in record.violations]
        lines += [str(f) for f in record.findings if not f.what.startswith(BY_HAND)]
    return lines


def write_report(
    records: list[Record], policy: Policy, markdown: str | Path, table: str | Path, title: str = ""
) -> None:
    """The output-checking report: Markdown for the checker, CSV (one row per file)."""
    import pandas as pd

    from likertflow.files import write_csv

    rule = rule_words(policy)
    lines = [f"# Output check{': ' + title if title else ''}", ""]
    if policy.applies:
        lines += [
            f"**Disclosure rule in force: `{policy.rule}`**: {rule}. A withheld value is "
            "written `*`. Every published statistic is shown as the policy below allows for "
            "its class under this rule, and the workflow's attacker tried every class of "
            "attack on these files and recovered no hidden value (else the run would have "
            "stopped).",
            "",
        ]
    else:
        small = sum(record.small_counts for record in records)
        lines += [
            "**These results are not disclosure-controlled** (rule `none`: every count and "
            "statistic is published exactly). Share them only where the participants consented "
            "to exact counts being published; otherwise set `disclosure: {rule: nhs}` or "
            "`{rule: threshold, min_count: 10}` in the config and run again (docs/publishing.md).",
            "",
        ]
        if small:
            lines += [
                f"**WARNING**: the shareable tables show {small} counts from 1 to {SMALL - 1}.",
                "",
            ]
    lines += [
        "## Summary",
        "",
        summary(records, policy),
        "",
        "| file | kind | status | withheld |",
        "|---|---|---|---|",
    ]
    for record in records:
        withheld = sum(record.withheld.values())
        lines.append(f"| `{record.file}` | {record.kind} | {record.status} | {withheld or ''} |")
    lines += ["", "## Each file", ""]
    for record in records:
        lines += [
            f"### `{record.file}`",
            "",
            f"- status: **{record.status}**",
            f"- rule applied: `{record.rule}`",
        ]
        for (column, name), cells in sorted(record.withheld.items()):
            what = STATISTIC_CLASSES[name].title if name in STATISTIC_CLASSES else name
            lines.append(f"- withheld: {cells} cells of `{column}` ({what}): {why(name, policy)}")
        for finding in record.findings:
            lines.append(f"- to look at: {finding.cell}: {finding.what}")
        for violation in record.violations:
            lines.append(f"- against the policy: {violation}")
        if record.small_counts:
            lines.append(f"- {record.small_counts} counts from 1 to {SMALL - 1} shown")
        lines += [f"- residual risk: {note}" for note in record.notes]
        lines.append("")
    lines += ["## Residual risks for the checker", "", f"- {SUCCESSIVE_RELEASES}"]
    lines += [f"- {risk}" for risk in GENERAL_RISKS]
    lines += [
        "",
        "## The policy: what each class of statistic shows under this rule",
        "",
        "| class | shown as | why |",
        "|---|---|---|",
    ]
    shown_as = regime(policy)
    for statistic in STATISTIC_CLASSES.values():
        lines.append(
            f"| {statistic.title} | {statistic.shown[shown_as].words} | {statistic.reason} |"
        )
    lines += ["", "## The attacks tried", ""]
    lines += [f"- **{a.title}**: {a.description}" for a in ATTACKS.values()]
    Path(markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = [
        {
            "file": r.file,
            "kind": r.kind,
            "status": r.status,
            "rule": policy.rule,
            "withheld": sum(r.withheld.values()),
            "withheld_why": "; ".join(
                f"{n} of {column}: {why(name, policy)}"
                for (column, name), n in sorted(r.withheld.items())
            ),
            "to_look_at": "; ".join(f"{f.cell}: {f.what}" for f in r.findings),
            "residual_risks": " ".join([*r.notes, "Successive releases (see the report)."]),
        }
        for r in records
    ]
    write_csv(
        pd.DataFrame(
            rows,
            columns=[
                "file",
                "kind",
                "status",
                "rule",
                "withheld",
                "withheld_why",
                "to_look_at",
                "residual_risks",
            ],
        ),
        table,
    )
