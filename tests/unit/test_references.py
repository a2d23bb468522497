"""Config names that the codebook lacks stop the workflow at start-up, each one named."""

import copy
import re

import pandas as pd
import pytest
import yaml
from conftest import REPO, START_UP_ERRORS, start_up_checks
from likertflow.codebook import parse_codebook
from likertflow.references import (
    ConfigError,
    check_bands,
    check_comparisons,
    check_figures,
    check_likert_figures,
    check_pairs,
    check_tables,
)
from support import exportkit, filled, platformkit


def test_shipped_config_is_consistent(shipped_yaml):
    start_up_checks(*shipped_yaml)


@pytest.mark.parametrize(
    "edit, named",
    [
        (lambda c: c["tables"]["table1_patient_age"].update(questions=["agee"]), "'agee'"),
        (lambda c: c["tables"]["table3_expert_role"].update(survey="expert"), "'expert'"),
        (lambda c: c["comparisons"]["patients_by_age"].update(by="sex"), "'sex'"),
        (lambda c: c["comparisons"]["patients_vs_experts"]["outcomes"].append("trust"), "'trust'"),
        (lambda c: c["exclusions"][0].update(question="age_band"), "'age_band'"),
        (lambda c: c["likert_figures"]["figure3_patient_risks"].update(statement_set="x"), "'x'"),
    ],
)
def test_unknown_names_are_reported(shipped_yaml, edit, named):
    config, codebook = copy.deepcopy(shipped_yaml)
    edit(config)
    with pytest.raises(START_UP_ERRORS, match=named):
        start_up_checks(config, codebook)


def numeric_age(codebook):
    """The patients' age asked in years instead of bands."""
    for entry in codebook["questionnaires"]["patients"]["questions"]:
        if isinstance(entry, dict) and entry["id"] == "age":
            entry.pop("answers")
            entry.update(type="numeric", min=0, max=120)


@pytest.mark.parametrize(
    "edit_config, edit_codebook, named",
    [
        # a misspelt exclusion label stops the run at start-up, not in the cleaning job
        (lambda c: c["exclusions"][0].update(labels=["Under 81"]), None, "'Under 81'"),
        (lambda c: c["comparisons"]["patients_by_age"].update(omit=["Unknown"]), None, "'Unknown'"),
        (lambda c: c["exclusions"][1].update(questions=["agee"]), None, "'agee'"),
        (
            lambda c: c["exclusions"][0].update(rule="less_than", value=18),
            None,
            "needs a numeric question",
        ),
        (
            lambda c: c.update(
                bands={"age": [{"label": "a", "from": 0}, {"label": "b", "from": 9}]}
            ),
            None,
            "no questionnaire has a numeric question 'age'",
        ),  # fmt: skip
        (None, numeric_age, "question 'age' is numeric; give it `bands`"),
        (None, numeric_age, "groups by numeric question 'age'"),
        (None, numeric_age, "exclusions.under_18: patients question 'age' is numeric"),
        (
            lambda c: c.update(
                bands={"age": [{"label": "a", "from": 9}, {"label": "b", "from": 0}]}
            ),
            numeric_age,
            "`from` must increase",
        ),
        (
            None,
            lambda b: b["answer_sets"]["agreement"]["options"][1].update(code=1),
            "answer_sets.agreement: codes used twice: 1",
        ),
        (
            None,
            lambda b: b["answer_sets"]["agreement"]["options"][0].update(export_code="2"),
            "answer_sets.agreement: export_codes used twice: 2",  # option 2's code, as text
        ),
        (
            None,
            lambda b: b["answer_sets"]["agreement"].update(agree=["Agree", "Unsure"]),
            "'Unsure' is not an on-scale answer",
        ),
        (
            None,
            lambda b: b["statement_sets"]["risks"].update(answers="frequency"),
            "unknown answer set 'frequency'",
        ),
    ],
)
def test_startup_checks_of_labels_bands_and_answer_sets(
    shipped_yaml, edit_config, edit_codebook, named
):
    config, codebook = copy.deepcopy(shipped_yaml)
    if edit_config:
        edit_config(config)
    if edit_codebook:
        edit_codebook(codebook)
    with pytest.raises(START_UP_ERRORS, match=re.escape(named)):
        start_up_checks(config, codebook)


def test_banded_numeric_age_passes(shipped_yaml):
    config, codebook = copy.deepcopy(shipped_yaml)
    numeric_age(codebook)
    config["bands"] = {
        "age": [{"label": "18–24", "from": 18}, {"label": "25 and over", "from": 25}]
    }
    config["exclusions"][0] = {
        "id": "under_18",
        "rule": "less_than",
        "question": "age",
        "value": 18,
    }
    config["comparisons"]["patients_by_age"]["omit"] = ["25 and over"]
    start_up_checks(config, codebook)


@pytest.mark.parametrize(
    "rule, value, stopped",
    [
        ("less_than", 121, True),  # every age 0-120 is below 121
        ("greater_than", -1, True),  # every age is above -1
        ("less_than", 120, False),  # keeps 120
        ("greater_than", 0, False),  # keeps 0
        ("less_than", 18, False),
    ],
)
def test_a_threshold_that_excludes_every_valid_answer_stops_the_run(
    shipped_yaml, rule, value, stopped
):
    config, codebook = copy.deepcopy(shipped_yaml)
    numeric_age(codebook)  # age in years, 0 to 120
    config["bands"] = {"age": [{"label": "a", "from": 0}, {"label": "b", "from": 18}]}
    config["exclusions"][0] = {"id": "age_rule", "rule": rule, "question": "age", "value": value}
    if not stopped:
        start_up_checks(config, codebook)
        return
    with pytest.raises(START_UP_ERRORS) as raised:
        start_up_checks(config, codebook)
    message = str(raised.value)
    assert "exclusions.age_rule" in message and "would exclude every answer" in message
    assert "from 0 to 120" in message


def test_export_blocks_are_checked_at_start_up(tmp_path):
    from likertflow.references import check_exports

    q = exportkit.questionnaire("patients")
    codebook = platformkit.codebook_for(platformkit.LAYOUTS["csv"](q, pd.DataFrame()), "patients")
    assert check_exports({}, parse_codebook(filled.codebook(codebook))) == []
    export = codebook["questionnaires"]["patients"]["export"]
    export |= {"data_dictionary": str(tmp_path / "none.csv"), "statement_columns": {"nope": "Q1"}}
    problems = check_exports({}, parse_codebook(filled.codebook(codebook)))
    assert len(problems) == 2 and "none.csv" in problems[0] and "'nope'" in problems[1]


# --- each section's check on its own, with the exact words a researcher reads ------------------

NATIONAL = REPO / "config" / "examples" / "national_weighted" / "codebook.yaml"


def national(edit=None) -> dict:
    """The national example's questionnaires (adults and carers with a design, adults_followup
    without; adults and adults_followup with a link_id, carers without)."""
    codebook = yaml.safe_load(NATIONAL.read_text(encoding="utf-8"))
    if edit:
        edit(codebook["questionnaires"])
    return parse_codebook(filled.codebook(codebook))


def test_check_references_lists_every_problem_on_its_own_line(shipped_yaml):
    config, codebook = copy.deepcopy(shipped_yaml)
    config["tables"]["table1_patient_age"]["questions"] = ["agee", "age"]
    config["tables"]["table3_expert_role"]["survey"] = "expert"
    with pytest.raises(ConfigError) as refused:
        start_up_checks(config, codebook)
    problems = [
        "tables.table1_patient_age: patients has no question 'agee'",
        "tables.table3_expert_role: unknown questionnaire 'expert' (codebook has ['patients', "
        "'experts'])",
    ]
    assert refused.value.problems == problems
    assert str(refused.value) == (
        "the config names things the codebook does not define:\n  - " + "\n  - ".join(problems)
    )
    assert ConfigError("x").problems == []


def test_bands_with_a_label_used_twice_are_named():
    config = filled.config(
        {"bands": {"age": [{"label": "a", "from": 18}, {"label": "a", "from": 35}]}}
    )
    assert check_bands(config, national()) == ["bands.age: a label is used twice (['a', 'a'])"]
    config["bands"]["age"][1]["from"] = 18
    assert check_bands(config, national()) == [
        "bands.age: `from` must increase from band to band ([18, 18])",
        "bands.age: a label is used twice (['a', 'a'])",
    ]


def test_a_comparison_names_its_omitted_label_outcome_and_covariate():
    config = filled.config(
        {
            "comparisons": {
                "c": {
                    "survey": "adults", "by": "sex", "omit": ["Women", "Man"],
                    "outcomes": ["gp_access", "local_services", "trust"],
                    "adjust_for": ["age", "income"], "family": "f",
                }
            }
        }
    )  # fmt: skip
    assert check_comparisons(config, national()) == [
        "comparisons.c: omit label 'Women' is not an answer of 'sex' (answers: ['Woman', 'Man'])",
        "comparisons.c: outcome 'trust' is neither a theme nor a question of adults",
        "comparisons.c: adjust_for 'income' is not a question of adults",
    ]
    config["comparisons"]["c"] |= {"by": "age", "omit": ["x"]}
    config["bands"] = {"age": [{"label": "young", "from": 18}, {"label": "old", "from": 65}]}
    assert check_comparisons(config, national())[0] == (
        "comparisons.c: omit label 'x' is not an answer of 'age' (answers: ['young', 'old'])"
    )


def by_survey(*surveys: str) -> dict:
    return filled.config(
        {
            "comparisons": {
                "c": {
                    "by": "survey",
                    "surveys": list(surveys),
                    "outcomes": ["gp_access"],
                    "family": "f",
                }
            }
        }  # noqa: E501
    )


def test_questionnaires_compared_on_the_design_all_declare_one_with_one_lonely_psu_rule():
    assert check_comparisons(by_survey("adults", "carers"), national()) == []
    assert check_comparisons(by_survey("adults_followup", "adults_followup"), national()) == []
    assert check_comparisons(by_survey("adults", "adults_followup", "carers"), national()) == [
        "comparisons.c: adults, carers declare a survey design (codebook design) and "
        "adults_followup none: a design-based comparison of questionnaires needs the design of "
        "each (declare the design of adults_followup, with a weight column of 1 for a simple "
        "random sample) or none (then the comparison is unweighted)"
    ]

    def certainty(questionnaires):
        questionnaires["carers"]["design"]["lonely_psu"] = "certainty"

    assert check_comparisons(by_survey("adults", "carers", "nobody"), national(certainty)) == [
        "comparisons.c: unknown questionnaire 'nobody' (codebook has ['adults', 'carers', "
        "'adults_followup'])",
        "comparisons.c: the questionnaires compared declare different lonely_psu rules "
        "(adjust, certainty): their stacked design has one; declare the same in each",
    ]


def test_figures_name_their_unknown_questionnaire_and_statement_set():
    config = filled.config(
        {
            "likert_figures": {
                "f1": {"survey": "nobody", "statement_set": "services"},
                "f2": {"survey": "adults", "statement_set": "risks"},
            },
            "figures": {"agreement": {"surveys": ["adults", "nobody"], "statement_sets": ["x"]}},
        }
    )
    assert check_likert_figures(config, national()) == [
        "likert_figures.f1: unknown questionnaire 'nobody' (codebook has ['adults', 'carers', "
        "'adults_followup'])",
        "likert_figures.f2: unknown statement set 'risks'",
    ]
    assert check_figures(config, national()) == [
        "figures.agreement.surveys: unknown questionnaire 'nobody' (codebook has ['adults', "
        "'adults_followup', 'carers'])",
        "figures.agreement.statement_sets: unknown statement set 'x' (codebook has ['services'])",
    ]


def test_a_figure_of_a_statement_set_its_questionnaire_does_not_ask_is_named():
    def no_statements(questionnaires):
        questionnaires["carers"]["questions"] = [{"id": "sex", "text": "Sex", "answers": "sex"}]

    config = filled.config(
        {"likert_figures": {"f": {"survey": "carers", "statement_set": "services"}}}
    )
    assert check_likert_figures(config, national(no_statements)) == [
        "likert_figures.f: statement set 'services' has no statements to plot"
    ]
    assert check_likert_figures(config, national()) == []


def test_a_figure_named_as_another_figures_weighted_figure_is_refused():
    """A questionnaire with a design has each Likert figure drawn weighted as <name>_weighted
    too: a figure of that name would be a second file of the same name."""
    figures = {
        "f": {"survey": "adults", "statement_set": "services"},
        "f_weighted": {"survey": "adults", "statement_set": "services"},
    }
    config = filled.config({"likert_figures": figures})
    assert check_likert_figures(config, national()) == [
        "likert_figures.f_weighted: the name of likert_figures.f's weighted figure (its "
        "questionnaire 'adults' declares a survey design): rename one"
    ]
    config["likert_figures"]["f"]["survey"] = "adults_followup"  # no design: no weighted figure
    assert check_likert_figures(config, national()) == []


def pairs(**spec) -> dict:
    return filled.config({"pairs": {"p": {"before": "adults", "after": "adults_followup", **spec}}})


def test_a_pair_names_its_waves_link_ids_design_and_outcomes():
    assert check_pairs(pairs(outcomes=["gp_access"]), national()) == []
    assert check_pairs(pairs(after="adults", outcomes=["gp_access"]), national()) == [
        "pairs.p: before and after are the same questionnaire 'adults'"
    ]
    assert check_pairs(pairs(before="nobody", outcomes=["gp_access"]), national()) == [
        "pairs.p: no questionnaire 'nobody' (['adults', 'adults_followup', 'carers'])"
    ]
    assert check_pairs(pairs(after="carers", outcomes=["gp_access"]), national()) == [
        "pairs.p: questionnaire 'carers' names no link_id in the codebook (the column that "
        "links a person's two waves)"
    ]
    assert check_pairs(pairs(outcomes=["sex", "age", "gp_access", "nothing"]), national()) == [
        f"pairs.p.outcomes: {name!r} is not an ordinal question of both 'adults' and "
        "'adults_followup'"
        for name in ("sex", "age", "nothing")
    ]

    def numeric_everywhere(questionnaires):
        for survey in ("adults", "adults_followup"):
            questionnaires[survey]["questions"].append(
                {"id": "score", "text": "Score", "type": "numeric", "min": 0, "max": 10}
            )

    problems = check_pairs(pairs(outcomes=["score"]), national(numeric_everywhere))
    assert problems == [
        "pairs.p.outcomes: 'score' is not an ordinal question of both 'adults' and "
        "'adults_followup'"
    ]


def test_a_panel_weighted_on_the_second_wave_only_is_refused():
    assert check_pairs(
        pairs(before="adults_followup", after="adults", outcomes=[]), national()
    ) == [
        "pairs.p: adults (after) declares a survey design and adults_followup (before) none: a "
        "weighted panel is analysed on the first wave's design (its weights, or the panel's "
        "longitudinal weights); declare the design on adults_followup, or remove it from adults "
        "to analyse the pairs unweighted"
    ]


def test_each_table_and_comparison_is_checked_after_one_of_an_unknown_questionnaire():
    config = filled.config(
        {
            "tables": {
                "t1": {"survey": "nobody", "questions": ["sex"]},
                "t2": {"survey": "adults", "questions": ["age"]},
            },
            "comparisons": {
                "c": {"by": "survey", "surveys": ["nobody", "adults"], "family": "f",
                      "outcomes": ["trust"]},
                "d": {"survey": "adults", "by": "age", "omit": ["x"], "outcomes": ["gp_access"],
                      "family": "f"},
            },
        }
    )  # fmt: skip
    known = "(codebook has ['adults', 'carers', 'adults_followup'])"
    assert check_tables(config, national()) == [
        f"tables.t1: unknown questionnaire 'nobody' {known}",
        "tables.t2: question 'age' is numeric; give it `bands` in config to tabulate it",
    ]
    assert check_comparisons(config, national()) == [
        f"comparisons.c: unknown questionnaire 'nobody' {known}",
        "comparisons.c: outcome 'trust' is neither a theme nor a question of adults",
        "comparisons.d: groups by numeric question 'age'; give it `bands` in config",
    ]


def test_every_questionnaire_without_a_design_is_named():
    def carers_unweighted(questionnaires):
        del questionnaires["carers"]["design"]

    problems = check_comparisons(
        by_survey("adults", "adults_followup", "carers"), national(carers_unweighted)
    )
    assert problems == [
        "comparisons.c: adults declare a survey design (codebook design) and adults_followup, "
        "carers none: a design-based comparison of questionnaires needs the design of each "
        "(declare the design of adults_followup, carers, with a weight column of 1 for a simple "
        "random sample) or none (then the comparison is unweighted)"
    ]


def test_a_figure_of_a_statement_set_with_no_statements_is_named():
    codebook = yaml.safe_load(NATIONAL.read_text(encoding="utf-8"))
    codebook["statement_sets"]["empty"] = {"label": "No statements yet"}
    questionnaires = parse_codebook(filled.codebook(codebook))
    config = filled.config(
        {"likert_figures": {"f": {"survey": "adults", "statement_set": "empty"}}}
    )
    assert check_likert_figures(config, questionnaires) == [
        "likert_figures.f: statement set 'empty' has no statements to plot"
    ]


def test_every_pair_is_checked_and_an_outcome_must_be_asked_in_both_waves():
    config = filled.config(
        {
            "pairs": {
                "p": {"before": "nobody", "after": "adults", "outcomes": ["gp_access"]},
                "q": {"before": "adults", "after": "adults_followup", "outcomes": ["age_band"]},
            }
        }
    )
    assert check_pairs(config, national()) == [
        "pairs.p: no questionnaire 'nobody' (['adults', 'adults_followup', 'carers'])",
        "pairs.q.outcomes: 'age_band' is not an ordinal question of both 'adults' and "
        "'adults_followup'",
    ]
