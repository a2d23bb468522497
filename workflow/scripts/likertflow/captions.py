"""The words of the report's captions that the registries carry, for one run.

The captions (workflow/report/*.rst) are Jinja templates that Snakemake's report renders with the
config; the front page sees nothing else. So at start-up workflow/rules/common.smk puts these
words in the config under ``WORDS`` ("_captions"), and a caption reads them as
``snakemake.config._captions``: the statistical tests this run's comparisons may run
(likertflow.rank_tests), its exclusion rules (likertflow.exclusions), its disclosure rule
(likertflow.disclosure) and the kinds of figure it draws (likertflow.figure_kinds), each in the
registry's own words with the run's settings filled in. A new test, rule or figure kind is then
described in the report without editing a caption. Plain Python: this runs at parse time.
"""

from __future__ import annotations

from likertflow import rank_tests
from likertflow.disclosure import RULES as DISCLOSURE_RULES
from likertflow.disclosure import policy_of
from likertflow.exclusions import RULES as EXCLUSION_RULES
from likertflow.figure_kinds import FIGURE_KINDS
from likertflow.rank_tests import AUTO
from likertflow.settings import ComparisonSettings, Disclosure

WORDS = "_captions"  # the config key the words travel under (no user config has it)


def run_tests(comparisons: dict) -> list[str]:
    """The tests a run's comparisons may run, in registry order: those they name, and those
    ``auto`` may choose."""
    named = {spec["test"] for spec in comparisons.values()}
    chosen = (named - {AUTO}) | (set(rank_tests.auto_choices()) if AUTO in named else set())
    return [name for name in rank_tests.TESTS if name in chosen]


def caption_words(config: dict, questionnaires: dict) -> dict:
    """The registries' words for a run of ``config`` (as its schema filled it) on
    ``questionnaires`` (the parsed codebook, by survey): plain dicts, lists and strings, which
    Jinja reads and Snakemake passes to jobs unchanged."""
    analysis = config["analysis"]
    settings = ComparisonSettings.from_params({k: analysis[k] for k in ComparisonSettings.keys()})
    disclosure = Disclosure.from_params(config["disclosure"])
    uses_auto = any(spec["test"] == AUTO for spec in config["comparisons"].values())
    return {
        "tests": [
            rank_tests.TESTS[name].words(settings) for name in run_tests(config["comparisons"])
        ],
        "auto": rank_tests.auto_description() if uses_auto else "",
        "exclusions": [
            {
                "id": rule["id"],
                "rule": rule["rule"],
                "description": rule.get("description", ""),  # optional, no default
                "explanation": EXCLUSION_RULES[rule["rule"]].explain(rule),
            }
            for rule in config["exclusions"]
        ],
        "disclosure": {
            "rule": disclosure.rule,
            "description": DISCLOSURE_RULES[disclosure.rule].describe(disclosure),
            "applies": policy_of(config["disclosure"]).applies,
        },
        "figures": [
            {
                "name": kind.name,
                "title": kind.title,
                "description": kind.description,
                "count": len(names),
            }
            for kind, names in _figure_names(config, questionnaires)
            # a kind drawn for some entries only (the weighted Likert figures) is listed where it
            # draws one: a run without a survey design says what it always said
            if names or kind.entries is None
        ],
    }


def _figure_names(config: dict, questionnaires: dict):
    """Each figure kind with the names of its figures in this run."""
    return [(kind, kind.names(config, questionnaires)) for kind in FIGURE_KINDS.values()]
