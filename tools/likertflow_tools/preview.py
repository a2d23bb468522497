"""What the exclusion rules would do to an export, before the workflow runs: the workflow's own
ingest and cleaning (``likertflow.ingest``, ``likertflow.cleaning``), applied to one export with a
drafted codebook, counting the responses each rule leaves out.

``draft_exclusions(codebook)`` are the rules a draft proposes: the platform's preview, test and
spam responses where the export marks them (``platform_test``), and item non-response judged on
the share of questions answered (``min_answered``), so that a respondent who skipped a question
or two, or was not asked one (skip logic the draft cannot know), is kept.
``preview_exclusions(path, codebook, survey, rules)`` counts them on the export, and also what
the strict rule (any blank excludes) would drop.
"""

from __future__ import annotations

import copy
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from likertflow.cleaning import DUPLICATE, RuleCount, clean_and_count
from likertflow.codebook import parse_questionnaire, questionnaire_codebook
from likertflow.errors import InputError
from likertflow.exclusions import RULES
from likertflow.ingest import ingest
from likertflow.schemas import read_yaml, validate

SCHEMAS = Path(__file__).resolve().parents[2] / "workflow" / "schemas"
# The draft's item non-response rule: keep a response that answered at least this share of the
# questions asked of it.
DRAFT_MIN_ANSWERED = 0.5
STRICT = {"id": "item_nonresponse", "rule": "item_nonresponse"}  # any blank excludes


@contextmanager
def _quiet(name: str):
    """A logger's warnings silenced for a while, its level restored after."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@cache
def warning_share() -> float:
    """The config schema's default exclusion_warning_share: the share of responses above which a
    rule's count is a warning, in the draft as in the workflow."""
    schema = read_yaml(SCHEMAS / "config.schema.yaml")
    return float(schema["properties"]["exclusion_warning_share"]["default"])


def draft_exclusions(codebooks: list[dict]) -> list[dict]:
    """The exclusion rules a draft proposes for questionnaires drafted as ``codebooks``."""
    rules = []
    if any(
        q["export"].get("test_responses") for cb in codebooks for q in cb["questionnaires"].values()
    ):
        rules.append(
            {
                "id": "platform_tests",
                "description": "Preview, test and spam responses, as the platform marks them",
                "rule": "platform_test",
            }
        )
    rules.append(
        {
            "id": "mostly_unanswered",
            "description": "Answered fewer than half of the questions asked of them",
            "rule": "item_nonresponse",
            "min_answered": DRAFT_MIN_ANSWERED,
        }
    )
    return rules


@dataclass(frozen=True)
class Preview:
    """What the rules do to one export: its rows, the repeats of a response left out, each
    rule's count (``RuleCount``: in order, each response under the first rule it meets), what
    the strict item non-response rule would drop alone, and why no preview could be made."""

    source: str
    rows: int = 0
    repeats: int = 0
    counts: tuple[RuleCount, ...] = ()
    strict: RuleCount | None = None
    problem: str | None = None

    @property
    def kept(self) -> int:
        return self.rows - self.repeats - sum(count.excluded for count in self.counts)

    def warnings(self, share: float) -> list[RuleCount]:
        return [count for count in self.counts if count.share > share]

    def lines(self, survey: str, share: float) -> list[str]:
        """The preview as lines for the console and the draft's comments."""
        if self.problem is not None:
            return [f"{survey}: the exclusion rules could not be tried on {self.source}: "
                    f"{self.problem}"]  # fmt: skip
        lines = [
            f"{survey}: on {self.source} ({self.rows:,} responses"
            + (f", {self.repeats:,} repeats of a response left out" if self.repeats else "")
            + f"), the exclusion rules keep {self.kept:,} ({self.kept / max(self.rows, 1):.0%})"
        ]
        for count in self.counts:
            warn = "WARNING " if count.share > share else ""
            lines.append(f"  {warn}{count.describe(survey)}")
        if self.strict is not None:
            lines.append(
                f"  (the strict rule, item_nonresponse without min_answered, would exclude "
                f"{self.strict.excluded:,} ({self.strict.share:.0%}): every response with a "
                "blank)"
            )
        return lines


def preview_exclusions(path: str | Path, codebook: dict, survey: str, rules: list[dict]) -> Preview:
    """Ingest ``path`` with the drafted ``codebook`` as the workflow would (times whose format
    is still a TODO left aside) and apply ``rules`` to its responses."""
    source = Path(path).name
    codebook = copy.deepcopy(codebook)
    block = codebook["questionnaires"][survey]["export"]
    if str(block.get("timestamp_format", "")).startswith("TODO"):
        for key in ("started", "completed", "timestamp_format"):
            block.pop(key, None)
    try:
        validate(codebook, SCHEMAS / "codebook.schema.yaml", "the draft")
        questionnaire = parse_questionnaire(questionnaire_codebook(codebook, survey))
        questionnaires = {survey: questionnaire}
        problems = [p for rule in rules for p in RULES[rule["rule"]].check(rule, questionnaires)]
        if problems:
            return Preview(source, problem="; ".join(problems))
        with _quiet("likertflow"):  # ingest warns of the columns left out: a TODO already
            coded, _ = ingest(str(path), questionnaire, Path(path).stem)
        _, ledger, counts = clean_and_count([coded], questionnaire, rules)
        _, _, [strict] = clean_and_count([coded], questionnaire, [STRICT])
    except (InputError, ValueError) as error:
        return Preview(source, problem=str(error).splitlines()[0])
    repeats = int((ledger["reason"] == DUPLICATE).sum())
    return Preview(source, len(ledger), repeats, tuple(counts), strict)


def exclusion_notes(
    path: str | Path, codebook: dict, survey: str, rules: list[dict]
) -> tuple[list[str], list[str]]:
    """What ``rules`` drop on the export at ``path``, as lines for the console and the draft's
    comments, and the TODOs it calls for: a rule above the warning share (naming the columns
    responsible), and fewer than 1 - that share of the responses kept."""
    share = warning_share()
    previewed = preview_exclusions(path, codebook, survey, rules)
    todos = [
        f"exclusions: {count.describe(survey)}: more than {share:.0%} of the responses; check "
        "the rule in the config (and the questions named: asked of only some, or optional?)"
        for count in previewed.warnings(share)
    ]
    if previewed.problem is None and previewed.kept < (1 - share) * previewed.rows:
        todos.append(
            f"exclusions: the rules keep {previewed.kept:,} of {previewed.rows:,} responses of "
            f"{previewed.source}; check them"
        )
    return previewed.lines(survey, share), todos
