"""An attacker in the workflow: the known classes of attack, tried on the shareable outputs.

It reads what a run publishes (the tables under results/tables/ as their text, and the figures'
SVG drawings), knows the disclosure rule, the config and the codebook, and in the worst case
which counts were hidden for being small, and tries to recover what the rule hides:

- ``subtraction``: every count the tables show is a cell of one system of sums: a question's
  answers add up to its denominator, the participant flow's stages to each other, a test's
  groups to its n; a group's n (respondents with a value) is part of its answer's count, a
  model's n of its test's, a correlation's of its two statements', a theme's of its pairs'. Each
  difference between such a population and its part is a count of respondents too. The bounds of
  every cell are propagated through all the sums, then tightened by integer programming over
  each connected system (scipy's ``milp``): a stronger attacker than pairwise subtraction.
- ``statistics``: test statistics, effect sizes, mean ranks and reliability intervals inverted
  to the counts behind them (``likertflow.inversion``): n1 n2 = 2U/(1 + r), N = H/eps^2 + 1,
  n x mean rank a half-integer with rank sums adding to N(N+1)/2, Feldt's interval a function of
  n; percentages that the published counts do not explain.
- ``ties``: a rank test's p with its statistic fixes the tie correction, sum(t^3 - t) of the
  outcome's answers: the answer distributions consistent with the other bounds are enumerated
  and those that reproduce the published statistics within their precision are kept.
- ``hidden_groups``: a statistic of a test, Dunn pair or model term that involves a group the
  tables hide (its p, gate, effect size, mean rank, odds ratio), and a percentage of a hidden
  count.
- ``figures``: the Likert bars' segment widths times the n printed beside each bar, their "%"
  labels, and the numbers printed in the flow diagram and Figure 5, against the tables; a
  weighted Likert figure's bars also against the published weighted percentages.

Each class yields bounds on counts ("facts") from the evidence it reads; evidence that the
published tables already explain (a percentage of published counts, bars drawn from them) adds
nothing. The findings are what the facts and the sums pin down that the rule hides: a hidden
count, a difference of 1 to min_count - 1 respondents, or, under a rounding rule, the exact value
of a rounded count. ``attack`` returns them, each naming the file and cell it comes from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from likertflow.disclosure import ROUNDING, SUPPRESSED, Policy, propagate, regime
from likertflow.flow import stage_of, stage_relations
from likertflow.outputs import WEIGHTED_FIGURE

NO_ANSWER = "(no answer)"  # a descriptive table's row of those asked who left it blank
BY_HAND = "review by hand"  # a finding that is no recovery: what the attacker could not read


@dataclass(frozen=True)
class Attack:
    name: str
    title: str
    description: str


ATTACKS: dict[str, Attack] = {
    attack.name: attack
    for attack in [
        Attack(
            "subtraction",
            "subtraction within and across tables, differences of totals and ns",
            "every count of every table as one system of sums and nested populations (a "
            "question's answers, the flow's stages, a test's groups, a model's, a "
            "correlation's and a theme's n in the populations they are part of), its bounds "
            "propagated and tightened by integer programming",
        ),
        Attack(
            "statistics",
            "test statistics, effect sizes, mean ranks and intervals inverted to counts",
            "N = H/eps^2 + 1 and the p and interval of epsilon-squared; n1 n2 = 2U/(1 + r); "
            "rank sums (n x mean rank) half-integers adding to N(N+1)/2; Feldt's interval of "
            "alpha; percentages the published counts do not explain",
        ),
        Attack(
            "ties",
            "tie corrections pinning an answer's distribution",
            "a Mann-Whitney p with U and the ns, or H with the mean ranks, fixes sum(t^3 - t) "
            "of the answers compared: the distributions consistent with every other bound are "
            "enumerated and those reproducing the published statistics kept",
        ),
        Attack(
            "hidden_groups",
            "statistics of hidden groups",
            "a p, gate, effect size, mean rank, Dunn pair or odds ratio of a test, pair or "
            "term that involves a group the tables hide; a percentage of a hidden count",
        ),
        Attack(
            "figures",
            "figure geometry and labels",
            "the Likert bars' segment widths times the n beside each bar, their % labels, and "
            "the numbers of the flow diagram and Figure 5, against the tables",
        ),
    ]
}


@dataclass(frozen=True)
class Finding:
    """What an attack learnt that the rule hides, and where it comes from."""

    attack: str
    file: str  # results/... path
    cell: str  # the row and column, in words
    what: str  # what is learnt (may quote the value: for the log and the failing run only)

    def __str__(self) -> str:
        return f"{self.file}: {self.cell}: {self.what} ({ATTACKS[self.attack].title})"


@dataclass
class Release:
    """The shareable outputs of a run as the attacker reads them."""

    tables: dict[str, object]  # table stem -> its frame, every cell as text
    svgs: dict[str, str]  # figure stem -> its SVG text
    config: Mapping  # the run's config (tables, comparisons, likert_figures)
    questionnaires: Mapping  # survey -> Questionnaire
    policy: Policy
    primary: set = field(default_factory=set)  # cells known to be hidden for being small


def read_release(
    project: str | Path,
    config: Mapping,
    questionnaires: Mapping,
    policy: Policy,
    primary: Iterable = (),
) -> Release:
    """The published tables and SVG figures of the run in ``project``."""
    from likertflow.files import read_csv

    project = Path(project)
    tables = {
        path.stem: read_csv(path, dtype="str")  # "NA" stays an answer: files.read_csv
        for path in sorted((project / "results" / "tables").glob("*.csv"))
    }
    svgs = {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted((project / "results" / "figures").glob("*.svg"))
    }
    return Release(tables, svgs, config, questionnaires, policy, set(primary))


# --- the system of sums ---------------------------------------------------------------------


@dataclass
class System:
    """Published counts, the sums between them, and where each was read."""

    publications: list = field(default_factory=list)  # (key, published text)
    constraints: list = field(default_factory=list)  # (parts, total)
    sources: dict = field(default_factory=dict)  # key -> (file, cell) first seen
    _added: set = field(default_factory=set)

    def publish(self, key, value, file: str, cell: str) -> None:
        value = str(value).strip()
        if value in ("", "nan"):
            return
        self.publications.append((key, value if value == SUPPRESSED else int(float(value))))
        self.sources.setdefault(key, (file, cell))

    def add(self, parts: list, total) -> None:
        if (tuple(parts), total) not in self._added:
            self._added.add((tuple(parts), total))
            self.constraints.append((parts, total))

    def nested(self, part, whole) -> None:
        """``part`` is a subset of ``whole``: their difference is a count of respondents too."""
        self.add([part, ("difference", whole, part)], whole)


def _file(stem: str) -> str:
    return f"results/tables/{stem}.csv"


def _records(frame, columns: list[str]) -> Iterator[tuple[dict, str]]:
    """Each row of a published table as a dict, with where a reader finds it: the file's row
    (after its header row) and the values of those of ``columns`` the table has."""
    named = [column for column in columns if column in frame]
    for position, row in enumerate(frame.to_dict("records")):
        yield row, f"row {position + 2} ({', '.join(str(row[column]) for column in named)})"


def build_system(release: Release) -> System:
    """Every count of the published tables, and every sum and nesting between them."""
    system = System()
    tables, config, questionnaires = release.tables, release.config, release.questionnaires
    questions_seen: set[tuple[str, str]] = set()

    def question_cells(survey: str, question_id: str, responses=None) -> list:
        """The cells of a question's answers (as its published table lists them, else its
        codebook's answers and a cell of those who left it blank), summed to its denominator,
        which is the analysed n for a question asked of everybody; on-scale, agreeing and
        answering cells summed too. A number without a table has no cells."""
        key = (survey, question_id)
        question = questionnaires[survey].question(question_id)
        if responses is None:
            if question.numeric:
                return []
            responses = [*question.answers.labels, NO_ANSWER]
        cells = [("cell", survey, question_id, r) for r in responses]
        if key in questions_seen:
            return cells
        questions_seen.add(key)
        total = ("denominator", survey, question_id)
        system.add(cells, total)
        if any(not column.asked_if for column in question.columns):
            system.add([total], ("flow", survey, "analysed"))
        system.add([c for c in cells if c[3] != NO_ANSWER], ("answered", survey, question_id))
        if not question.numeric and question.answers.ordinal:
            label_of = question.answers.label_of
            scale = [("cell", survey, question_id, r) for r in question.answers.scale_labels]
            system.add(scale, ("on_scale", survey, question_id))
            # the on-scale answers and the rest (off-scale, blank) make up the denominator
            rest = [c for c in cells if c not in scale]
            system.add([("on_scale", survey, question_id), *rest], total)
        if question.statement_set is not None and question.answers.ordinal:
            # a statement's agreeing answers (n_agree) and those below the scale's middle (the
            # Likert figures' low pole): groups of respondents the tables and figures name
            label_of = question.answers.label_of
            agree = [
                ("cell", survey, question_id, label_of[c]) for c in question.answers.agree_codes
            ]
            system.add(agree, ("agree", survey, question_id))
            codes = question.answers.scale_codes
            low = [("cell", survey, question_id, label_of[c]) for c in codes[: len(codes) // 2]]
            system.add(low, ("low", survey, question_id))
        return cells

    # tables of questions' answers (the descriptive tables, the statements' frequencies): their
    # rows are the question's cells
    for stem, survey, frame in answer_tables(release):
        for (survey_id, question_id), rows in frame.groupby([survey, "question_id"], sort=False):
            question_cells(survey_id, question_id, list(rows["response"]))
            for response, n in zip(rows["response"], rows["n"], strict=True):
                system.publish(
                    ("cell", survey_id, question_id, response),
                    n,
                    _file(stem),
                    f"{question_id} {response!r}, column n",
                )
            system.publish(
                ("denominator", survey_id, question_id),
                rows["denominator"].iloc[0],
                _file(stem),
                f"{question_id}, column denominator",
            )

    # participant flow and ledger summary
    if "participant_flow" in tables:
        flow = tables["participant_flow"]
        for survey, rows in flow.groupby("survey", sort=False):
            for stage, n in zip(rows["stage"], rows["n"], strict=True):
                system.publish(
                    ("flow", survey, stage), n, _file("participant_flow"), f"{survey} {stage}"
                )
            for parts, total in stage_relations(list(rows["stage"])):
                system.add([("flow", survey, p) for p in parts], ("flow", survey, total))
    if "ledger_summary" in tables:
        summary = tables["ledger_summary"]
        for survey, status, reason, n in summary[["survey", "status", "reason", "n"]].to_numpy():
            system.publish(
                ("flow", survey, stage_of(status, reason)),
                n,
                _file("ledger_summary"),
                f"{survey} {status} {reason}",
            )

    # comparisons: groups nested in their answers (or questionnaires), summed to the test's n
    labels = {q.label: survey for survey, q in questionnaires.items()}

    def population(comparison: str, group: str):
        spec = config["comparisons"][comparison]
        if spec["by"] == "survey":
            return ("flow", labels.get(group, group), "analysed")
        # the answers' cells: as its table listed them (read above), else the codebook's
        question_cells(spec["survey"], spec["by"])
        return ("cell", spec["survey"], spec["by"], group)

    groups = tables.get("comparison_groups")
    tests = tables.get("comparisons")
    if groups is not None and tests is not None:
        for row, where in _records(groups, ["comparison", "outcome", "group"]):
            key = ("group", row["comparison"], row["outcome"], row["group"])
            system.publish(key, row["n"], _file("comparison_groups"), where + ", n")
            system.nested(key, population(row["comparison"], row["group"]))
        for row, where in _records(tests, ["comparison", "outcome"]):
            total = ("test", row["comparison"], row["outcome"])
            system.publish(total, row["n"], _file("comparisons"), where + ", n")
            members = [
                ("group", row["comparison"], row["outcome"], g)
                for g in str(row["group_order"]).split("; ")
            ]
            system.add(members, total)
    posthoc = tables.get("posthoc")
    if posthoc is not None:
        for row, where in _records(posthoc, ["comparison", "outcome", "group_a", "group_b"]):
            for side in ("a", "b"):
                key = ("group", row["comparison"], row["outcome"], row[f"group_{side}"])
                system.publish(key, row[f"n_{side}"], _file("posthoc"), where + f", n_{side}")
    models = tables.get("ordinal_models")
    if models is not None:
        for row, where in _records(models, ["comparison", "outcome", "term"]):
            key = ("model", row["comparison"], row["outcome"])
            system.publish(key, row["n"], _file("ordinal_models"), where + ", n")
            system.nested(key, ("test", row["comparison"], row["outcome"]))

    # agreement: a statement's n is everyone who answered it, n_agree its agree answers
    agreement = tables.get("agreement_summary")
    if agreement is not None:
        for row, where in _records(agreement, ["survey", "statement"]):
            survey, statement = row["survey"], row["statement"]
            if statement == "mean":
                system.publish(
                    ("flow", survey, "analysed"),
                    row["n"],
                    _file("agreement_summary"),
                    where + ", n",
                )
                continue
            question_cells(survey, statement)
            system.publish(
                ("answered", survey, statement), row["n"], _file("agreement_summary"), where + ", n"
            )
            # n_agree: the answers that agree with the statement, in its keyed direction where
            # the summary counts a reverse-keyed statement so (its method says which)
            question = questionnaires[survey].question(statement)
            codes = question.answers.agree_codes
            if question.reverse and "keyed direction" in str(row.get("method")):
                scale = question.answers.scale_codes
                mirror = dict(zip(scale, reversed(scale), strict=True))
                codes = [mirror[code] for code in codes]
            key = ("n_agree", survey, statement)
            system.add(
                [("cell", survey, statement, question.answers.label_of[c]) for c in codes], key
            )
            system.publish(key, row["n_agree"], _file("agreement_summary"), where + ", n_agree")

    # theme tables: pairwise complete in each statement's on-scale answers, listwise in each pair
    correlations = tables.get("theme_correlations")
    pairs: dict[tuple[str, str], list] = {}
    if correlations is not None:
        for row, where in _records(correlations, ["survey", "item_a", "item_b"]):
            survey, a, b = row["survey"], row["item_a"], row["item_b"]
            key = ("pair", survey, a, b)
            system.publish(key, row["n"], _file("theme_correlations"), where + ", n")
            for item in (a, b):
                question_cells(survey, item)
                system.nested(key, ("on_scale", survey, item))
            pairs.setdefault((survey, row["theme"]), []).append(key)
    for stem in ("theme_reliability", "theme_item_rest"):
        frame = tables.get(stem)
        if frame is None:
            continue
        for row, where in _records(frame, ["survey", "theme", "item"]):
            survey, theme = row["survey"], row["theme"]
            key = ("theme", survey, theme)
            system.publish(key, row["n"], _file(stem), where + ", n")
            for pair in pairs.get((survey, theme), []):
                system.nested(key, pair)
            theme_spec = questionnaires[survey].themes.get(theme)
            for item in theme_spec.items if theme_spec else ():
                question_cells(survey, item)
                system.nested(key, ("on_scale", survey, item))
    return system


ANSWER_COLUMNS = {"question_id", "response", "n", "denominator"}


def answer_tables(release: Release):
    """(stem, its survey column, frame) of every published table of questions' answers: a
    configured descriptive table (its survey from the config, as a column ``_survey``), or any
    table with those columns and a ``survey`` column (the statements' frequencies)."""
    for stem, frame in release.tables.items():
        if not ANSWER_COLUMNS <= set(frame.columns):
            continue
        spec = release.config["tables"].get(stem)
        if spec is not None:
            yield stem, "_survey", frame.assign(_survey=spec["survey"])
        elif "survey" in frame.columns:
            yield stem, "survey", frame


# --- solving: bounds, then integer programming -----------------------------------------------


@dataclass
class Bounds:
    low: dict
    high: dict
    hidden: set
    unpublished: set
    infeasible: list = field(default_factory=list)  # a cell of each system with no solution

    def pinned(self, key) -> bool:
        return key in self.low and self.low[key] == self.high[key]


def solve(
    system: System,
    policy: Policy,
    primary: Iterable = (),
    facts: Mapping | None = None,
    integer: bool = True,
) -> Bounds:
    """Each cell's bounds: propagated through every sum, then (``integer``) tightened by
    integer programming over each connected system for the cells a finding could be about."""
    low, high, hidden, unpublished = propagate(
        system.publications, system.constraints, policy, primary, facts
    )
    bounds = Bounds(low, high, hidden, unpublished)
    if integer:
        _tighten(bounds, system.constraints, policy)
    return bounds


def _tighten(bounds: Bounds, constraints: list, policy: Policy) -> None:
    """Integer programming (scipy.optimize.milp) over each connected system: the least and
    greatest integer value of each cell that could be a finding and that propagation left
    open."""
    import numpy as np

    rounding = regime(policy) == ROUNDING
    targets = [
        key
        for key in bounds.low
        if bounds.low[key] < bounds.high[key]
        and (key in bounds.hidden or rounding)
        and (
            bounds.low[key] < max(policy.min_count, 1)
            or key in bounds.hidden - bounds.unpublished
            or rounding
        )
    ]
    if not targets:
        return
    parent = {}

    def find(key):
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for parts, total in constraints:
        for part in parts:
            parent[find(part)] = find(total)
    components: dict = {}
    for key in bounds.low:
        components.setdefault(find(key), []).append(key)
    by_component: dict = {}
    for key in targets:
        by_component.setdefault(find(key), []).append(key)
    rng = np.random.default_rng(0)
    for root, wanted in by_component.items():
        rows = [(parts, total) for parts, total in constraints if find(total) == root]
        if rows:
            _tighten_component(bounds, components[root], rows, wanted, rng)


def _tighten_component(bounds: Bounds, keys: list, rows: list, wanted: list, rng) -> None:
    """``_tighten`` on one connected system: a few random objectives first (each solution shows
    a value of every cell, so most are seen to take two values at once), then the least and
    greatest value of each cell seen to take only one. A system with no integer solution (the
    attacker's model contradicts the tables: a bug) is marked in ``bounds.infeasible``."""
    import numpy as np
    from scipy import sparse
    from scipy.optimize import Bounds as LinearBounds
    from scipy.optimize import LinearConstraint, milp

    index = {key: i for i, key in enumerate(keys)}
    dense = np.zeros((len(rows), len(keys)))
    for r, (parts, total) in enumerate(rows):
        for part in parts:
            dense[r, index[part]] += 1
        dense[r, index[total]] -= 1
    lower = np.array([bounds.low[k] for k in keys], dtype=float)
    upper = np.array([bounds.high[k] for k in keys], dtype=float)
    problem = {
        "constraints": LinearConstraint(sparse.csr_array(dense), 0, 0),
        "integrality": np.ones(len(keys)),
        "bounds": LinearBounds(lower, upper),
        "options": {"time_limit": 10},
    }
    seen: dict = {key: set() for key in wanted}

    def solve_for(cost) -> int:
        result = milp(cost, **problem)
        if result.x is None:
            return result.status
        for key in wanted:
            seen[key].add(round(result.x[index[key]]))
        return 0

    if solve_for(np.zeros(len(keys))) == 2:  # HiGHS: infeasible
        bounds.infeasible.append(wanted[0])
        return
    for _ in range(12):
        cost = np.zeros(len(keys))
        cost[[index[k] for k in wanted]] = rng.normal(size=len(wanted))
        solve_for(cost)
    for key in wanted:
        for sign in (1, -1):
            if len(seen[key]) != 1:
                break
            cost = np.zeros(len(keys))
            cost[index[key]] = sign
            if solve_for(cost) != 0:  # unbounded: it can take more than one value
                seen[key] = set()
        if len(seen[key]) == 1:
            value = next(iter(seen[key]))
            bounds.low[key], bounds.high[key] = value, value


def findings_of(
    bounds: Bounds,
    system: System,
    policy: Policy,
    attack: str,
    before: Bounds | None = None,
    evidence: Mapping | None = None,
) -> list[Finding]:
    """What the bounds pin that the rule hides: a hidden count; a count of 1 to min_count - 1
    (a difference of populations, an answer no table shows); under a rounding rule, the exact
    value of a rounded count. ``before``: bounds without this attack's evidence (what they
    already pinned is another attack's finding); ``evidence``: key -> (file, cell) of the fact
    that pinned it."""
    findings = []
    rounding = regime(policy) == ROUNDING
    published_numbers = {key for key, value in system.publications if value != SUPPRESSED}
    contradictions = [key for key in bounds.low if bounds.low[key] > bounds.high[key]]
    for key in [*bounds.infeasible, *contradictions][:1]:
        file, cell = system.sources.get(key) or _source(key, system)
        findings.append(
            Finding(attack, file, cell, BY_HAND + ": the attacker's model of these tables and "
                    "what it learnt has no solution (a table it misreads); check by hand")
        )  # fmt: skip
    for key in sorted(bounds.low, key=str):
        if not bounds.pinned(key) or (before is not None and before.pinned(key)):
            continue
        value = int(bounds.low[key])
        if key in published_numbers:
            if not rounding or value == 0:
                continue
            what = f"exact value {value} of a count published rounded"
        elif key in bounds.hidden - bounds.unpublished:
            what = f"hidden count = {value}"
        elif policy.primary(value):
            what = f"a count of {value} respondents ({_describe(key)}), which the rule hides"
        else:
            continue
        file, cell = (evidence or {}).get(key) or system.sources.get(key) or _source(key, system)
        findings.append(Finding(attack, file, cell, what))
    return findings


def _describe(key) -> str:
    if key[0] == "difference":
        return f"{_describe(key[1])} minus {_describe(key[2])}"
    return " ".join(str(part) for part in key)


def _source(key, system: System) -> tuple[str, str]:
    """Where a cell no table shows comes from: the first published cell it is summed with."""
    for parts, total in system.constraints:
        if key in parts or key == total:
            for other in [total, *parts]:
                if other in system.sources:
                    file, cell = system.sources[other]
                    return file, f"{cell} (with {_describe(key)})"
    return "results/tables/", _describe(key)


# --- statistics of hidden groups ----------------------------------------------------------------

_TEST_STATISTICS = (
    "statistic",
    "p",
    "p_adjusted",
    "effect_size",
    "effect_ci_low",
    "effect_ci_high",
    "log10_p",
    "log10_p_adjusted",
    "highest_mean_rank",
)
_PAIR_STATISTICS = (
    "z",
    "p",
    "p_adjusted",
    "mean_rank_a",
    "mean_rank_b",
    "gate_p_adjusted",
    "log10_p",
    "log10_p_adjusted",
    "gate_log10_p_adjusted",
)
_TERM_STATISTICS = ("odds_ratio", "ci_low", "ci_high", "p", "estimate", "std_error", "log10_p")


def _shown(value) -> bool:
    return str(value).strip() not in ("", "nan", SUPPRESSED)


def hidden_groups(release: Release) -> list[Finding]:
    """Statistics published for a test, pair or term that involves a group the tables hide, and
    percentages of hidden counts."""
    findings = []
    tables, policy = release.tables, release.policy
    groups, tests = tables.get("comparison_groups"), tables.get("comparisons")
    hidden_group: dict = {}
    if groups is not None:
        for row in groups.to_dict("records"):
            hidden_group[(row["comparison"], row["outcome"], row["group"])] = row[
                "n"
            ] == SUPPRESSED or not policy.statistic_allowed(
                row["n"] if row["n"] != "" else SUPPRESSED
            )
    hidden_test: dict = {}
    if tests is not None:
        for row, where in _records(tests, ["comparison", "outcome"]):
            members = [
                (row["comparison"], row["outcome"], g) for g in str(row["group_order"]).split("; ")
            ]
            hidden = any(hidden_group.get(m, False) for m in members)
            hidden_test[(row["comparison"], row["outcome"])] = hidden
            if not hidden:
                continue
            for column in _TEST_STATISTICS:
                if column in row and _shown(row[column]):
                    findings.append(
                        Finding(
                            "hidden_groups",
                            _file("comparisons"),
                            where + f", {column}",
                            "a statistic of a test over a hidden group is published",
                        )
                    )
    if groups is not None:
        for row, where in _records(groups, ["comparison", "outcome", "group"]):
            key = (row["comparison"], row["outcome"])
            if hidden_test.get(key) and _shown(row.get("mean_rank")):
                findings.append(
                    Finding(
                        "hidden_groups",
                        _file("comparison_groups"),
                        where + ", mean_rank",
                        "a mean rank of a test with a hidden group is published (ranks are among "
                        "all its groups: with the others' rank sums it gives the hidden n back)",
                    )
                )
            if hidden_group.get((*key, row["group"])) and _shown(row.get("median")):
                findings.append(
                    Finding(
                        "hidden_groups",
                        _file("comparison_groups"),
                        where + ", median",
                        "a median of a hidden group is published",
                    )
                )
    posthoc = tables.get("posthoc")
    if posthoc is not None:
        for row, where in _records(posthoc, ["comparison", "outcome", "group_a", "group_b"]):
            if hidden_test.get((row["comparison"], row["outcome"])):
                shown = [c for c in _PAIR_STATISTICS if c in row and _shown(row[c])]
                findings.append(
                    Finding(
                        "hidden_groups",
                        _file("posthoc"),
                        where + (f", {', '.join(shown)}" if shown else ""),
                        "a Dunn pair of a test with a hidden group is published (its row says the "
                        "test passed its gate; its z and p give the test's N back)",
                    )
                )
    models = tables.get("ordinal_models")
    if models is not None:
        hidden_levels = _hidden_levels(release)
        for row, where in _records(models, ["comparison", "outcome", "term"]):
            levels = _term_levels(release, row["comparison"], row["term"])
            if levels & hidden_levels and any(_shown(row.get(c)) for c in _TERM_STATISTICS):
                findings.append(
                    Finding(
                        "hidden_groups",
                        _file("ordinal_models"),
                        where + ", odds_ratio",
                        "a model estimate of a level the tables hide is published",
                    )
                )
    for name, _, frame in answer_tables(release):
        for row, where in _records(frame, ["question_id", "response"]):
            if SUPPRESSED in (row["n"], row["denominator"]) and _shown(row.get("percent")):
                findings.append(
                    Finding(
                        "hidden_groups",
                        _file(name),
                        where + ", percent",
                        "a percentage of a hidden count is published",
                    )
                )
    agreement = tables.get("agreement_summary")
    if agreement is not None:
        for row, where in _records(agreement, ["survey", "statement"]):
            counts = (row["n"], row["n_agree"]) if row["statement"] != "mean" else (row["n"],)
            members_hidden = (
                row["statement"] == "mean"
                and (
                    (agreement["statement_set"] == row["statement_set"])
                    & (agreement["survey"] == row["survey"])
                    & (agreement["percent_agree"] == SUPPRESSED)
                ).any()
            )
            if (SUPPRESSED in counts or members_hidden) and _shown(row["percent_agree"]):
                findings.append(
                    Finding(
                        "hidden_groups",
                        _file("agreement_summary"),
                        where + ", percent_agree",
                        "a percentage of a hidden count is published",
                    )
                )
    return findings


def _hidden_levels(release: Release) -> set[tuple[str, str, str]]:
    """(survey, question, label) of every answer a descriptive table hides."""
    hidden = set()
    for _, survey, frame in answer_tables(release):
        rows = frame[frame["n"] == SUPPRESSED]
        hidden |= {
            (s, q, r)
            for s, q, r in zip(rows[survey], rows["question_id"], rows["response"], strict=True)
        }
    return hidden


def _term_levels(release: Release, comparison: str, term: str) -> set[tuple[str, str, str]]:
    """(survey, question, label) of a model term's level and reference."""
    spec = release.config["comparisons"].get(comparison, {})
    variable, _, contrast = str(term).partition(": ")
    if " vs " not in contrast or spec.get("by") == "survey":
        return set()
    question = spec["by"] if variable == "group" else variable
    return {(spec["survey"], question, label) for label in contrast.split(" vs ", 1)}


# --- facts: bounds on counts from statistics, tie corrections and figures --------------------


@dataclass
class Facts:
    """Bounds on counts learnt from evidence other than the tables' counts, with where each
    came from."""

    bounds: dict = field(default_factory=dict)  # key -> (low, high)
    evidence: dict = field(default_factory=dict)  # key -> (file, cell)

    def learn(self, key, values: Iterable[int], file: str, cell: str) -> None:
        values = list(values)
        if not values:
            return
        low, high = min(values), max(values)
        old = self.bounds.get(key, (0, math.inf))
        new = (max(old[0], low), min(old[1], high))
        if new != old:
            self.bounds[key] = new
            self.evidence[key] = (file, cell)


def _candidates(bounds: Bounds, key, spread: int = 10_000) -> range | None:
    """The integer values a cell may take under the bounds (None if too many to try)."""
    if key not in bounds.low or not math.isfinite(bounds.high[key]):
        return None
    low, high = int(math.ceil(bounds.low[key])), int(bounds.high[key])
    return range(low, high + 1) if high - low <= spread else None


def statistics(release: Release, bounds: Bounds) -> Facts:
    """Counts from test statistics, effect sizes, mean ranks, reliability intervals and
    percentages that the published counts do not explain (``likertflow.inversion``)."""
    from likertflow import inversion

    facts = Facts()
    tables = release.tables
    tests, groups = tables.get("comparisons"), tables.get("comparison_groups")
    if tests is not None and groups is not None:
        for row, where in _records(tests, ["comparison", "outcome"]):
            members = [
                ("group", row["comparison"], row["outcome"], g)
                for g in str(row["group_order"]).split("; ")
            ]
            total = ("test", row["comparison"], row["outcome"])
            rows = groups[
                (groups["comparison"] == row["comparison"]) & (groups["outcome"] == row["outcome"])
            ].set_index("group")
            if row.get("test") == "Kruskal-Wallis H" and _candidates(bounds, total):
                kept = inversion.kruskal_n(
                    _candidates(bounds, total),
                    float(row["df"]),
                    epsilon=row.get("effect_size"),
                    statistic=row.get("statistic"),
                    p=row.get("p"),
                    ci_low=row.get("effect_ci_low"),
                    confidence=inversion._confidence(row.get("effect_ci_method")),
                )
                facts.learn(
                    total, kept, _file("comparisons"), where + ", statistic, effect_size, p"
                )
            if row.get("test") == "Mann-Whitney U" and len(members) == 2:
                ranges = [_candidates(bounds, m, 200) for m in members]
                if all(ranges):
                    pairs = [(a, b) for a in ranges[0] for b in ranges[1]]
                    kept = inversion.mann_whitney_sizes(
                        pairs, statistic=row.get("statistic"), effect=row.get("effect_size")
                    )
                    for side, member in enumerate(members):
                        facts.learn(
                            member,
                            [pair[side] for pair in kept],
                            _file("comparisons"),
                            where + ", statistic, effect_size",
                        )
            labels = [m[3] for m in members]
            if all(label in rows.index for label in labels):
                ranks = [rows.at[label, "mean_rank"] for label in labels]
                if any(_shown(r) for r in ranks):
                    ranges = [_candidates(bounds, m, 60) for m in members]
                    if all(ranges):
                        kept = inversion.rank_sum_sizes(ranks, ranges)
                        if kept is not None:
                            for side, member in enumerate(members):
                                facts.learn(
                                    member,
                                    [combo[side] for combo in kept],
                                    _file("comparison_groups"),
                                    f"{row['comparison']}, {row['outcome']}, mean_rank",
                                )
    reliability = tables.get("theme_reliability")
    if reliability is not None:
        for row, where in _records(reliability, ["survey", "theme"]):
            key = ("theme", row["survey"], row["theme"])
            if _candidates(bounds, key) is None:
                continue
            confidence = inversion._confidence(
                re.sub(r"^.*?(\d+(?:\.\d+)?% interval).*$", r"\1", str(row.get("method")))
            )
            kept = inversion.feldt_n(
                _candidates(bounds, key),
                int(row["n_items"]),
                row["alpha"],
                row.get("alpha_ci_low"),
                row.get("alpha_ci_high"),
                confidence or 0.95,
            )
            facts.learn(
                key,
                kept,
                _file("theme_reliability"),
                where + ", alpha, alpha_ci_low",
            )
    for name, survey, frame in answer_tables(release):
        for row, where in _records(frame, ["question_id", "response"]):
            key = ("cell", row[survey], row["question_id"], row["response"])
            _percent_fact(
                facts,
                bounds,
                key,
                ("denominator", row[survey], row["question_id"]),
                row["n"],
                row["denominator"],
                row.get("percent"),
                _file(name),
                where + ", percent",
            )
    agreement = tables.get("agreement_summary")
    if agreement is not None:
        for row, where in _records(agreement, ["survey", "statement"]):
            if row["statement"] == "mean":
                continue
            survey, statement = row["survey"], row["statement"]
            _percent_fact(
                facts,
                bounds,
                ("n_agree", survey, statement),
                ("answered", survey, statement),
                row["n_agree"],
                row["n"],
                row["percent_agree"],
                _file("agreement_summary"),
                where + ", percent_agree",
            )
    return facts


def _percent_fact(facts: Facts, bounds: Bounds, key, total, n, denominator, percent, file, cell):
    """A percentage that the published count and denominator do not explain was computed from
    other (exact) counts: it bounds the count."""
    from likertflow.inversion import window

    share = window(percent)
    if share is None or not _candidates(bounds, total):
        return
    if _shown(n) and _shown(denominator) and int(float(denominator)) > 0:
        shown = 100 * int(float(n)) / int(float(denominator))
        if share[0] - 1e-9 <= shown <= share[1] + 1e-9:
            return  # explained by the published counts
    totals = _candidates(bounds, total)
    values = [
        count
        for d in totals
        for count in range(
            math.ceil(share[0] / 100 * d - 1e-9), math.floor(share[1] / 100 * d + 1e-9) + 1
        )
    ]
    facts.learn(key, values, file, cell)


def ties(release: Release, bounds: Bounds, limit: int = 1_000_000) -> Facts:
    """Counts of a statement compared by a rank test, from the tie correction its published p
    (Mann-Whitney, with U and the ns) or H (Kruskal-Wallis, with the mean ranks) fixes, when the
    test's respondents are all who gave the statement an on-scale answer."""
    from itertools import product

    from likertflow import inversion

    facts = Facts()
    tests, groups = release.tables.get("comparisons"), release.tables.get("comparison_groups")
    if tests is None or groups is None:
        return facts
    for row, where in _records(tests, ["comparison", "outcome"]):
        spec = release.config["comparisons"].get(row["comparison"], {})
        surveys = spec.get("surveys") or [spec.get("survey")]
        if len(surveys) != 1 or surveys[0] not in release.questionnaires:
            continue
        survey = surveys[0]
        questionnaire = release.questionnaires[survey]
        if row["outcome"] not in questionnaire.question_ids:
            continue
        question = questionnaire.question(row["outcome"])
        if question.numeric or not question.answers.ordinal:
            continue
        total, on_scale = (
            ("test", row["comparison"], row["outcome"]),
            ("on_scale", survey, row["outcome"]),
        )
        if (
            not (bounds.pinned(total) and bounds.pinned(on_scale))
            or bounds.low[total] != bounds.low[on_scale]
        ):
            continue
        members = [
            ("group", row["comparison"], row["outcome"], g)
            for g in str(row["group_order"]).split("; ")
        ]
        if not all(bounds.pinned(m) for m in members):
            continue
        sizes = [int(bounds.low[m]) for m in members]
        rows = groups[
            (groups["comparison"] == row["comparison"]) & (groups["outcome"] == row["outcome"])
        ].set_index("group")
        if row.get("test") == "Mann-Whitney U" and len(sizes) == 2:
            tie_window = inversion.tie_sum_window_mann_whitney(
                *sizes, row.get("statistic"), row.get("p")
            )
        else:
            ranks = [rows.at[m[3], "mean_rank"] if m[3] in rows.index else None for m in members]
            tie_window = inversion.tie_sum_window_kruskal(sizes, ranks, row.get("statistic"))
        if tie_window is None:
            continue
        cells = [("cell", survey, row["outcome"], label) for label in question.answers.scale_labels]
        ranges = [_candidates(bounds, cell, 1000) for cell in cells]
        if not all(ranges) or math.prod(len(r) for r in ranges) > limit:
            continue
        n = int(bounds.low[total])
        kept = [
            combo
            for combo in product(*ranges)
            if sum(combo) == n
            and tie_window[0] - 1e-6 <= inversion.tie_sum(combo) <= tie_window[1] + 1e-6
        ]
        for i, cell in enumerate(cells):
            facts.learn(
                cell, [combo[i] for combo in kept], _file("comparisons"), where + ", statistic, p"
            )
    return facts


# --- figures ------------------------------------------------------------------------------------

_ELEMENT = re.compile(
    r"<!-- (?P<comment>.*?) -->|<text\b[^>]*>(?P<text>.*?)</text>"
    r'|<g id="(?P<group>[a-z]+_\d+)">'
    r'|<path d="(?P<path>[^"]*)"[^>]*?style="fill: (?P<fill>#[0-9a-fA-F]{6})',
    re.S,
)


@dataclass(frozen=True)
class Rectangle:
    left: float
    right: float
    top: float
    bottom: float
    fill: str
    legend: bool  # drawn in the legend
    label: str = ""  # a legend entry's text (the text drawn after it)


def read_svg(svg: str) -> tuple[list[str], list[Rectangle]]:
    """A matplotlib SVG's texts (in drawing order) and its filled rectangles, each legend
    entry's with the text drawn after it."""
    texts, rectangles, in_legend, waiting = [], [], False, None
    for match in _ELEMENT.finditer(svg):
        if match["group"]:
            in_legend = in_legend or match["group"].startswith("legend")
        elif match["comment"] is not None or match["text"] is not None:
            text = (
                match["comment"]
                if match["comment"] is not None
                else re.sub(r"<[^>]+>", "", match["text"])
            )
            texts.append(text.strip())
            if waiting is not None:
                rectangles[waiting] = replace(rectangles[waiting], label=text.strip())
                waiting = None
        elif match["path"]:
            points = re.findall(r"(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)", match["path"])
            if len(points) != 4:
                continue
            xs, ys = [float(x) for x, _ in points], [float(y) for _, y in points]
            rectangles.append(
                Rectangle(min(xs), max(xs), min(ys), max(ys), match["fill"].lower(), in_legend)
            )
            waiting = len(rectangles) - 1 if in_legend else None
    return texts, rectangles


def figures(release: Release, system: System) -> list[Finding]:
    """Findings from the figures: the Likert bars' geometry and labels, and the counts printed
    in every figure, against the rule and the tables."""
    findings = []
    policy = release.policy
    flow_values = _flow_values(release)
    for stem, svg in sorted(release.svgs.items()):
        file = f"results/figures/{stem}.svg"
        texts, rectangles = read_svg(svg)
        for text in texts:
            for value in [v.replace(",", "") for v in re.findall(r"\bn = (\d[\d,]*)", text)]:
                if policy.applies and policy.publish(int(value)) != int(value):
                    findings.append(
                        Finding(
                            "figures",
                            file,
                            f"text {text!r}",
                            f"prints a count ({value}) the rule does not publish",
                        )
                    )
                if stem == "participant_flow" and flow_values and value not in flow_values:
                    findings.append(
                        Finding(
                            "figures",
                            file,
                            f"text {text!r}",
                            f"prints n = {value}, which participant_flow.csv does not",
                        )
                    )
        specs = release.config.get("likert_figures", {})
        spec = specs.get(stem)
        if spec is not None and policy.applies:
            findings += _likert_geometry(release, system, file, spec, texts, rectangles)
        weighted = _weighted_spec(release, stem) if spec is None else None
        if weighted is not None and policy.applies:
            # the bars' widths times the n beside them, as for any Likert figure, and each bar
            # held to the published weighted percentages
            findings += _likert_geometry(release, system, file, weighted, texts, rectangles)
            findings += _weighted_geometry(release, file, weighted, rectangles)
    return findings


def _weighted_spec(release: Release, stem: str):
    """The likert_figures entry a weighted Likert figure (``<entry>_weighted``) draws, where its
    questionnaire declares a design; else None."""
    if not stem.endswith(WEIGHTED_FIGURE):
        return None
    spec = release.config.get("likert_figures", {}).get(stem.removesuffix(WEIGHTED_FIGURE))
    if spec is None or release.questionnaires[spec["survey"]].design is None:
        return None
    return spec


def _weighted_geometry(release: Release, file: str, spec, rectangles) -> list[Finding]:
    """A weighted Likert figure's bars against the published weighted percentages
    (weighted_frequencies.csv): each bar's segments must be, in proportion, some statement's
    published on-scale percentages, a hidden one (``*``) drawn with no width; a bar drawn from
    anything else shows what the table does not."""
    from likertflow.plotting import diverging_palette  # matplotlib: only where such a figure is

    table = release.tables.get("weighted_frequencies")
    legend = [r for r in rectangles if r.legend and r.fill != "#ffffff"]
    bars = [r for r in rectangles if not r.legend and r.fill in {r.fill for r in legend}]
    if table is None or not legend or not bars:
        return [Finding("figures", file, "the whole figure",
                        BY_HAND + ": the attacker could not read its weighted bars")]  # fmt: skip
    statements = release.questionnaires[spec["survey"]].statements(spec["statement_set"])
    labels = statements[0].answers.scale_labels
    rows = table[table["survey"] == spec["survey"]]
    published = [
        {
            label: 0.0 if value == SUPPRESSED else float(value)
            for label, value in zip(part["response"], part["weighted_percent"], strict=True)
            if label in labels
        }
        for _, part in rows[rows["question_id"].isin([s.id for s in statements])].groupby(
            "question_id", sort=False
        )
    ]
    # each colour's answer by the figure's own palette, in scale order (a legend's text may be
    # wrapped); a palette of matplotlib's colours beyond 11 points by the legend's text
    palette = [colour for colour in diverging_palette(len(labels)) if isinstance(colour, str)]
    colour_label = {r.fill: r.label for r in legend}
    colour_label.update({c.lower(): label for c, label in zip(palette, labels, strict=False)})
    by_row: dict = {}
    for bar in bars:
        by_row.setdefault(round((bar.top + bar.bottom) / 2, 2), []).append(bar)
    findings = []
    for position, y in enumerate(sorted(by_row)):
        segments = by_row[y]
        total = sum(s.right - s.left for s in segments)
        if total <= 0:
            continue
        drawn = {colour_label.get(s.fill, s.fill): (s.right - s.left) / total for s in segments}
        if not any(_drawn_from(drawn, percents) for percents in published):
            findings.append(
                Finding(
                    "figures",
                    file,
                    f"bar {position + 1} from the top",
                    "its segments are not the published weighted percentages of any statement",
                )
            )
    return findings


def _drawn_from(drawn: dict[str, float], percents: dict[str, float]) -> bool:
    """Whether a bar's segments (label -> share of the bar) are these published percentages in
    proportion (a hidden one as 0), to the drawing's precision."""
    total = sum(percents.values())
    if total <= 0 or set(drawn) - set(percents):
        return False
    return all(abs(drawn.get(label, 0.0) - value / total) < 1e-4 for label, value in
               percents.items())  # fmt: skip


def _flow_values(release: Release) -> set[str]:
    """The counts the flow diagram may print: the published flow's, and the sum of each
    questionnaire's exclusions (its "Excluded (n = ...)") where none is hidden."""
    flow = release.tables.get("participant_flow")
    if flow is None:
        return set()
    values = {str(v) for v in flow["n"]}
    for _, rows in flow.groupby("survey", sort=False):
        excluded = rows.loc[rows["stage"].str.startswith("excluded_"), "n"]
        if len(excluded) and SUPPRESSED not in set(excluded):
            values.add(str(sum(int(v) for v in excluded)))
    return values


def _likert_geometry(release, system, file, spec, texts, rectangles) -> list[Finding]:
    """A Likert figure's bars decoded: each segment's share of its bar times the n printed
    beside it, for every n the printed one may stand for; and its % labels."""
    policy = release.policy
    legend = [r for r in rectangles if r.legend and r.fill != "#ffffff"]
    bars = [r for r in rectangles if not r.legend and r.fill in {r.fill for r in legend}]
    if not legend or not bars:
        return [
            Finding(
                "figures",
                file,
                "the whole figure",
                BY_HAND + ": the attacker could not read its bars",
            )
        ]
    survey = spec["survey"]
    questionnaire = release.questionnaires[survey]
    statements = questionnaire.statements(spec["statement_set"])
    labels = statements[0].answers.scale_labels
    colour_label = {r.fill: r.label for r in legend}
    rows: dict = {}
    for bar in bars:
        rows.setdefault(round((bar.top + bar.bottom) / 2, 2), []).append(bar)
    ordered = [rows[y] for y in sorted(rows)]
    try:
        header = len(texts) - 1 - texts[::-1].index("n")
    except ValueError:
        return [Finding("figures", file, "the n column", BY_HAND + ": no n column read")]
    count = len(ordered)
    printed_n = texts[header + 1 : header + 1 + count]
    agree_labels = texts[header - count : header]
    disagree_labels = texts[header - 2 * count - 1 : header - count - 1]
    published = {
        key: value for key, value in system.publications if key[0] == "cell" and key[1] == survey
    }
    findings = []
    for position, (segments, n_text) in enumerate(zip(ordered, printed_n, strict=False)):
        where = f"bar {position + 1} from the top"
        total_width = sum(s.right - s.left for s in segments)
        if total_width <= 0:
            continue
        shares = [
            (colour_label.get(s.fill, s.fill), (s.right - s.left) / total_width) for s in segments
        ]
        if n_text.isdigit():
            low, high = policy.interval(int(n_text))
        else:  # no n printed: every n up to the largest the tables allow
            low, high = 1, _largest_n(system, survey, statements)
        feasible = {}
        for n in range(int(low), int(high) + 1):
            decoded = [(label, share * n) for label, share in shares]
            if all(abs(value - round(value)) < 1e-3 for _, value in decoded):
                feasible[n] = {label: int(round(value)) for label, value in decoded}
        for label_text, kind in ((agree_labels, "agree"), (disagree_labels, "disagree")):
            if position < len(label_text) and re.fullmatch(r"\d+%", label_text[position] or ""):
                percent = int(label_text[position][:-1])
                values = {
                    c
                    for n in range(int(low), int(high) + 1)
                    for c in range(
                        math.ceil((percent - 0.5) / 100 * n - 1e-9),
                        math.floor((percent + 0.5) / 100 * n + 1e-9) + 1,
                    )
                }
                if len(values) == 1 and policy.primary(next(iter(values))):
                    findings.append(
                        Finding(
                            "figures",
                            file,
                            f"{where}, % {kind} label",
                            f"'{label_text[position]}' of n gives a count of {next(iter(values))}",
                        )
                    )
        if not feasible or _explained(feasible, statements, labels, published, survey):
            continue
        if regime(policy) == ROUNDING and len(feasible) == 1:
            exact = next(iter(feasible))
            findings.append(
                Finding(
                    "figures",
                    file,
                    f"{where}, segment widths and n {n_text}",
                    f"exact n {exact} of a count published rounded",
                )
            )
        for label in {label for label, _ in shares}:
            values = {decoded[label] for decoded in feasible.values()}
            if len(values) != 1:
                continue
            value = values.pop()
            if policy.primary(value):
                findings.append(
                    Finding(
                        "figures",
                        file,
                        f"{where}, segment {label!r}",
                        f"its width times n gives a count of {value}, which the rule hides",
                    )
                )
            elif regime(policy) == ROUNDING and value % policy.rounding:
                findings.append(
                    Finding(
                        "figures",
                        file,
                        f"{where}, segment {label!r}",
                        f"its width times n gives the exact count {value} of a count published "
                        "rounded",
                    )
                )
    return findings


def _largest_n(system: System, survey: str, statements) -> int:
    """The most respondents a statement of the set can have, by the published denominators (and
    the analysed n), with a rounding's slack."""
    ids = {statement.id for statement in statements}
    values = [
        int(value)
        for key, value in system.publications
        if value != SUPPRESSED
        and (
            (key[0] == "denominator" and key[1] == survey and key[2] in ids)
            or key == ("flow", survey, "analysed")
        )
    ]
    return max(values, default=0) + 2


def _explained(feasible: dict, statements, labels, published: dict, survey: str) -> bool:
    """Whether some statement's published cells give exactly a bar's decoded counts (a bar
    drawn from the published table: it shows nothing the table hides)."""
    for decoded in feasible.values():
        for statement in statements:
            cells = {
                label: published.get(("cell", survey, statement.id, label)) for label in labels
            }
            if all(
                isinstance(cells.get(label), int) and cells[label] == value
                for label, value in decoded.items()
                if value or cells.get(label) not in (None, SUPPRESSED)
            ):
                return True
    return False


# --- all of it ----------------------------------------------------------------------------------


def attack(release: Release) -> list[Finding]:
    """Every attack class on a release; the findings, each naming its file and cell."""
    policy = release.policy
    if not policy.applies:
        return []
    system = build_system(release)
    base = solve(system, policy, release.primary)
    findings = findings_of(base, system, policy, "subtraction")
    findings += hidden_groups(release)
    for name, gather in (("statistics", statistics), ("ties", ties)):
        facts = gather(release, base)
        if not facts.bounds:
            continue
        bounds = solve(system, policy, release.primary, facts.bounds)
        findings += findings_of(bounds, system, policy, name, before=base, evidence=facts.evidence)
    findings += figures(release, system)
    seen, unique = set(), []
    for finding in findings:
        if (finding.file, finding.cell, finding.what) not in seen:
            seen.add((finding.file, finding.cell, finding.what))
            unique.append(finding)
    return unique
