"""The drafter's ``design:`` block: weights, strata, clusters and population sizes recognised by
the names and labels real weighted surveys give them, checked on their values, written with the
reason for each choice, and commented out where the draft is not sure. A design column is never
drafted as a question.

Hand-made exports in the layouts of the GSS, NHANES and the ESS, and the real ESS round 9 UK
file (resources/real/ess9_gb/).
"""

from __future__ import annotations

import jsonschema
import numpy as np
import pandas as pd
import pyreadstat
import pytest
import yaml
from likertflow_tools.design_columns import find_design, role_of
from likertflow_tools.draft import DESIGN_INDENT, draft, to_yaml
from support import exportkit
from test_survey_folder_tools import draft_into

SCHEMA = yaml.safe_load(
    (exportkit.REPO / "workflow/schemas/codebook.schema.yaml").read_text(encoding="utf-8")
)
ESS = exportkit.REPO / "resources/real/ess9_gb/raw/adults/ess9_gb.sav"
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def export(tmp_path, columns: dict, n: int = 60, seed: int = 1):
    """A CSV export: an id, two agreement statements, and ``columns`` (name -> values)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "Respondent ID": [f"R{i:03d}" for i in range(n)],
        "Views - Services are good": rng.choice(AGREE, n),
        "Views - Staff are kind": rng.choice(AGREE, n),
        **columns,
    })  # fmt: skip
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    return path


def drafted(path, export_block=None):
    result = draft(path, export_block or {}, "adults")
    designs = {"adults": result.design.yaml_lines(DESIGN_INDENT)}
    text = to_yaml(result.codebook, result.todos, str(path), designs=designs)
    jsonschema.validate(yaml.safe_load(text), SCHEMA)  # valid as written, whatever was found
    questionnaire = result.codebook["questionnaires"]["adults"]
    questions = [q.get("columns", [{"column": q["text"]}])[0]["column"]
                 for q in questionnaire["questions"] if isinstance(q, dict)]  # fmt: skip
    return questionnaire.get("design"), questions, text, result


def weights(n: int, seed: int = 2) -> np.ndarray:
    return np.round(np.random.default_rng(seed).uniform(0.4, 3.5, n), 6)


def sampled(n: int, strata: int = 10, per_stratum: int = 2):
    """Strata and PSUs (PSU labels 1..per_stratum within each stratum, as NHANES and the GSS)."""
    stratum = np.repeat(np.arange(1, strata + 1), n // strata)
    psu = np.tile(np.repeat(np.arange(1, per_stratum + 1), n // strata // per_stratum), strata)
    return stratum, psu


def test_gss_names_give_the_design_and_none_becomes_a_question(tmp_path):
    stratum, psu = sampled(60)
    path = export(tmp_path, {"WTSSALL": weights(60), "VSTRAT": stratum, "VPSU": psu})
    design, questions, text, _ = drafted(path)
    assert design == {"weight": "WTSSALL", "strata": "VSTRAT", "clusters": "VPSU"}
    assert not {"WTSSALL", "VSTRAT", "VPSU"} & set(questions)
    assert "'WTSSALL' as the weight (its name 'WTSSALL'" in text
    assert "'VSTRAT' as the strata (its name 'VSTRAT'; 10 strata, none blank)" in text
    # the comments come right before the block they explain
    lines = text.splitlines()
    assert lines[lines.index("    design:") - 1].startswith("    #   'VPSU' as the clusters (its")


@pytest.mark.parametrize(
    "name",
    ["weight", "Weight", "wt", "wgt", "pweight", "finalwt", "final_weight", "w_person",
     "survey_weight", "anweight", "pspwght", "WTSSPS", "WTINT2YR", "wt_final", "poids"],
)  # fmt: skip
def test_weight_names_real_surveys_use(name):
    assert role_of(name, name)[0] == "weight"


@pytest.mark.parametrize(
    ("name", "role"),
    [("strata", "strata"), ("stratum", "strata"), ("stratify", "strata"),
     ("region_strat", "strata"), ("VARSTRAT", "strata"), ("SDMVSTRA", "strata"),
     ("psu", "clusters"), ("cluster", "clusters"),
     ("VARPSU", "clusters"), ("SDMVPSU", "clusters"), ("sampling unit", "clusters"),
     ("fpc", "fpc"), ("population size", "fpc"), ("strategy", None), ("weighted", None),
     ("Which strategy works best?", None), ("clustering", None)],
)  # fmt: skip
def test_strata_cluster_and_fpc_names(name, role):
    found = role_of(name, name)
    assert (found[0] if found else None) == role


def test_labels_saying_weight_stratum_or_sampling_unit_are_read(tmp_path):
    """An SPSS or Stata file whose variable names say nothing (v12) but whose labels do."""
    n = 60
    stratum, psu = sampled(n)
    frame = pd.DataFrame({"idno": np.arange(n, dtype=float), "v1": np.tile([1.0, 2.0, 3.0], 20),
                          "v12": weights(n), "v13": stratum.astype(float),
                          "v14": psu.astype(float)})  # fmt: skip
    path = tmp_path / "export.sav"
    pyreadstat.write_sav(
        frame, str(path),
        column_labels=["Respondent id", "Services are good", "Final survey weight",
                       "Sampling stratum", "Primary sampling unit"],
        variable_value_labels={"v1": {1.0: "Disagree", 2.0: "Neither agree nor disagree",
                                      3.0: "Agree"}},
    )  # fmt: skip
    design, questions, text, _ = drafted(path, {"format": "spss", "match": "id"})
    assert design == {"weight": "v12", "strata": "v13", "clusters": "v14"}
    assert "its label 'Final survey weight'" in text and questions == ["v1"]


def test_a_body_weight_question_stays_a_question(tmp_path):
    path = export(tmp_path, {"What is your weight in kg?": np.arange(50, 110)})
    design, questions, text, result = drafted(path)
    assert design is None and "What is your weight in kg?" in questions
    assert "survey design" not in text and not result.design.columns


def test_questions_about_weight_stay_questions(tmp_path):
    """A statement or a question whose words or name say weight, with answers that are not
    numbers, is drafted as it was before."""
    rng = np.random.default_rng(3)
    path = export(tmp_path, {
        "Views - I am happy with my weight": rng.choice(AGREE, 60),
        "Weight": rng.choice(["Underweight", "Normal", "Overweight"], 60),
        "Weighting of the final grade is fair": rng.choice(AGREE, 60),
    })  # fmt: skip
    design, questions, text, result = drafted(path)
    assert design is None and not result.design.columns and "survey design" not in text
    statements = [s["wording"] for s in result.codebook["statements"]]
    assert "I am happy with my weight" in statements
    assert {"Weight", "Weighting of the final grade is fair"} <= set(questions)


def test_a_grid_named_w_holding_codes_stays_a_grid_and_w_weights_are_weights(tmp_path):
    """W_1, W_2: a grid's rows with the codes of a five-point scale (values: codes), not weights;
    w_final with survey weights is one."""
    rng = np.random.default_rng(4)
    codes = {f"W_{i}": rng.integers(1, 6, 60) for i in (1, 2)}
    design, questions, _, result = drafted(export(tmp_path, codes))
    assert design is None and not result.design.columns and {"W_1", "W_2"} <= set(questions)
    design, questions, text, _ = drafted(export(tmp_path, {"w_final": weights(60)}))
    assert design == {"weight": "w_final"} and "(a name a question could have)" in text


def test_weights_all_equal_are_no_weight_but_not_a_question(tmp_path):
    path = export(tmp_path, {"weight": [2.5] * 60})
    design, questions, text, _ = drafted(path)
    assert design is None and "weight" not in questions
    assert "'weight' (a weight by its name 'weight') is the same on every response (2.5)" in text


@pytest.mark.parametrize(
    ("values", "problem"),
    [([0.0] + [1.0] * 59, "not positive finite"), ([None] + [1.5] * 59, "blank on 1"),
     (["x"] + [1.5] * 59, "not numbers"), ([np.inf] + [1.5] * 59, "not positive finite")],
)  # fmt: skip
def test_weights_that_are_not_positive_finite_numbers_are_not_taken(tmp_path, values, problem):
    design, questions, text, _ = drafted(export(tmp_path, {"finalwt": values}))
    assert design is None and "finalwt" not in questions
    assert problem in text and "not taken" in text


def test_two_weights_of_the_same_standing_are_left_commented_out(tmp_path):
    path = export(tmp_path, {"weight_a": weights(60, 3), "weight_b": weights(60, 4)})
    design, questions, text, result = drafted(path)
    assert design is None and not {"weight_a", "weight_b"} & set(questions)
    assert "weights of the same standing" in text
    assert "    # design:\n    #   weight: weight_a" in text
    assert any("commented out" in todo for todo in result.todos)


def test_whole_number_weights_are_left_commented_out(tmp_path):
    design, _, text, _ = drafted(export(tmp_path, {"weight": np.tile([1, 2, 3], 20)}))
    assert design is None and "all are whole numbers" in text and "#   weight: weight" in text


def test_a_stratum_column_with_a_value_per_response_is_not_taken(tmp_path):
    path = export(tmp_path, {"weight": weights(60), "stratum": np.arange(60)})
    design, questions, text, _ = drafted(path)
    assert design == {"weight": "weight"} and "stratum" not in questions
    assert "has 60 distinct values in 60 responses: too many for strata" in text


def test_a_stratum_with_one_sampled_psu_drafts_lonely_psu_adjust_with_the_reason(tmp_path):
    stratum, psu = sampled(60)
    psu[stratum == 3] = 1  # stratum 3: one PSU
    path = export(tmp_path, {"weight": weights(60), "strata": stratum, "psu": psu})
    design, _, text, result = drafted(path)
    assert design["lonely_psu"] == "adjust"
    assert "1 stratum/strata with a single sampled cluster (3)" in text
    assert any(todo.startswith("design.lonely_psu") for todo in result.todos)


def test_a_population_size_per_stratum_is_the_fpc_and_a_sampling_fraction_is_not(tmp_path):
    stratum, psu = sampled(60)
    columns = {"weight": weights(60), "stratum": stratum, "psu": psu, "fpc": stratum * 10}
    design, questions, _, _ = drafted(export(tmp_path, columns))
    assert design["fpc"] == "fpc" and "fpc" not in questions
    columns["fpc"] = np.full(60, 0.01)
    design, _, text, _ = drafted(export(tmp_path, columns))
    assert design is None and "holds sampling fractions" in text and "#   fpc" not in text
    columns["fpc"] = np.arange(60) + 10  # differs within a stratum
    design, _, text, _ = drafted(export(tmp_path, columns))
    assert design is None and "differs within a stratum" in text


def test_strata_and_clusters_without_a_weight_stay_questions_with_a_todo(tmp_path):
    """An unweighted staff survey with a "Cluster" question (the directorate's cluster) drafts
    as it did before; a TODO says what it looks like."""
    rng = np.random.default_rng(6)
    cluster = rng.choice(["Medicine", "Surgery", "Community"], 60)
    stratum, psu = sampled(60)
    design, questions, text, result = drafted(export(tmp_path, {"Cluster": cluster,
                                                                "strata": stratum}))  # fmt: skip
    assert design is None and not result.design.columns and "survey design" not in text
    assert {"Cluster", "strata"} <= set(questions)
    assert any("no weight column: drafted as question(s)" in todo for todo in result.todos)
    # With a weight (even one that cannot be taken), they are the design's, never questions.
    columns = {"weight": [1.0] * 60, "strata": stratum, "psu": psu}
    design, questions, text, result = drafted(export(tmp_path, columns))
    assert design is None and not set(columns) & set(questions)
    assert any("no weight the draft could take" in todo for todo in result.todos)


def test_an_export_without_design_columns_drafts_as_before(tmp_path):
    path = export(tmp_path, {})
    result = draft(path, {}, "adults")
    plain = to_yaml(result.codebook, result.todos, str(path))
    designs = {"adults": result.design.yaml_lines(DESIGN_INDENT)}
    assert to_yaml(result.codebook, result.todos, str(path), designs=designs) == plain
    assert "design:" not in plain and "survey design" not in plain


def test_the_real_ess_file_gives_its_documented_design():
    """ESS round 9, UK: anweight (the analysis weight the ESS says to use), stratum, psu; the
    constant population size weight pweight refused; dweight and pspwght named, not taken; none
    of the seven columns drafted as a question."""
    design, questions, text, result = drafted(ESS, {"format": "spss", "match": "id"})
    assert design == {"weight": "anweight", "strata": "stratum", "clusters": "psu"}
    design_columns = {"anweight", "pspwght", "dweight", "pweight", "stratum", "psu"}
    assert result.design.columns == design_columns and not design_columns & set(questions)
    assert "'pweight' (a weight by its name 'pweight') is the same on every response" in text
    assert "'pspwght' is another weight (its name 'pspwght'), proportional to 'anweight'" in text
    assert "'dweight' is a design weight (its name 'dweight'), gives other estimates" in text
    assert "192 strata" in text and "385 clusters (primary sampling units)" in text
    assert find_design(result.table, result.keys).block == design
    # docs/weights.md shows this draft's design as it is written
    docs = (exportkit.REPO / "docs" / "weights.md").read_text(encoding="utf-8")
    shown = "\n".join(
        [
            *result.design.yaml_lines(DESIGN_INDENT),
            "    design:",
            "      weight: anweight",
            "      strata: stratum",
            "      clusters: psu",
        ]
    )
    assert shown in docs and shown in text  # fmt: skip


def test_a_second_questionnaire_drafted_into_a_folder_keeps_the_first_ones_design_comments(
    tmp_path,
):
    stratum, psu = sampled(60)
    first = export(tmp_path, {"WTSSALL": weights(60), "VSTRAT": stratum, "VPSU": psu})
    (tmp_path / "first.csv").write_bytes(first.read_bytes())
    second = export(tmp_path, {"weight_a": weights(60, 3), "weight_b": weights(60, 4)}, seed=5)
    folder = tmp_path / "survey"
    assert draft_into(tmp_path / "first.csv", "first", "csv", folder) == 0
    assert draft_into(second, "second", "csv", folder) == 0
    text = (folder / "config" / "codebook.yaml").read_text(encoding="utf-8")
    drafted = yaml.safe_load(text)["questionnaires"]
    assert drafted["first"]["design"] == {"weight": "WTSSALL", "strata": "VSTRAT",
                                          "clusters": "VPSU"}  # fmt: skip
    assert "design" not in drafted["second"]
    assert text.count("# The survey design, from the export's columns") == 2
    assert "'VSTRAT' as the strata" in text and "    # design:\n    #   weight: weight_a" in text


def test_replicate_weights_are_named_never_questions_and_never_the_weight(tmp_path):
    """The ACS's person weight PWGTP with its 80 replicates PWGTP1..PWGTP80 (here 4)."""
    columns = {"PWGTP": weights(60)} | {f"PWGTP{i}": weights(60, 10 + i) for i in range(1, 5)}
    design, questions, text, result = drafted(export(tmp_path, columns))
    assert design == {"weight": "PWGTP"} and not set(columns) & set(questions)
    assert "4 replicate weight(s) ('PWGTP1', 'PWGTP2', 'PWGTP3', 'PWGTP4'" in text
    assert any("svrepdesign" in todo for todo in result.todos)


@pytest.mark.parametrize("name", ["repwt1", "rep_wt_12", "wtrep3", "brr_5", "pwgtp80", "WGTP1",
                                  "r12wt", "jk_7", "weight_rep_2"])  # fmt: skip
def test_replicate_weight_names(name):
    assert role_of(name, name)[0] == "replicate"
