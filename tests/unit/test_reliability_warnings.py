"""Reliability warnings beyond negative values: an alpha below ``analysis.min_cronbach_alpha``
names the theme's statements and the one that fits least, and a theme of two statements gets the
Spearman-Brown coefficient and inter-item r a reviewer asks for.

Expected values from R's psych package, made by ``Rscript tests/data/low_alpha_two_items.R >
tests/data/low_alpha_two_items.out`` (psych 2.2.9; the script says what each line is).
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from likertflow.reliability import reliability_tables, reliability_warnings
from likertflow.schemas import validate
from support import reverse_keyed as keyed
from support import toy_codebook as toy

DATA = Path(__file__).parents[1] / "data"
SCRIPT, STORED = DATA / "low_alpha_two_items.R", DATA / "low_alpha_two_items.out"
WEAK = {
    "a": [3, 3, 4, 1, 3, 1, 3, 2, 1, 3, 4, 2],
    "b": [2, 3, 3, 4, 1, 1, 5, 5, 1, 1, 5, 2],
    "c": [4, 4, 3, 4, 1, 2, 1, 3, 1, 1, 2, 2],
}
PAIR = {"d": [1, 2, 2, 3, 4, 5, 4, 3, 5, 1, 2, 4], "e": [2, 2, 3, 3, 5, 4, 4, 2, 5, 2, 1, 5]}


def r_numbers() -> dict[str, object]:
    values = [float(line) for line in STORED.read_text(encoding="utf-8").split()]
    return {
        "weak_alpha": values[0], "weak_average_r": values[1], "weak_std_alpha": values[2],
        "weak_r_drop": values[3:6], "weak_alpha_drop": values[6:9],
        "pair_alpha": values[9], "pair_r": values[10], "pair_average_r": values[11],
        "pair_std_alpha": values[12],
    }  # fmt: skip


R = r_numbers()


def questionnaire():
    return toy.questionnaire({"s": "abcde"}, themes={"weak": "abc", "pair": "de"}, label="Toy")


def tables():
    frame = toy.codes({**WEAK, **PAIR})
    return reliability_tables(frame, questionnaire())


def test_inter_item_r_and_spearman_brown_equal_psych():
    reliability = tables()["reliability"].set_index("theme")
    assert reliability.loc["weak", "alpha"] == pytest.approx(R["weak_alpha"], abs=1e-12)
    assert reliability.loc["weak", "mean_inter_item_r"] == pytest.approx(R["weak_average_r"])
    assert reliability.loc["weak", "spearman_brown"] == pytest.approx(R["weak_std_alpha"])
    assert reliability.loc["pair", "alpha"] == pytest.approx(R["pair_alpha"], abs=1e-12)
    assert reliability.loc["pair", "mean_inter_item_r"] == pytest.approx(R["pair_r"], abs=1e-12)
    assert R["pair_average_r"] == pytest.approx(R["pair_r"])  # two items: the one r
    r = R["pair_r"]  # the Spearman-Brown coefficient by its formula, and as psych's std.alpha
    assert reliability.loc["pair", "spearman_brown"] == pytest.approx(2 * r / (1 + r), abs=1e-12)
    assert reliability.loc["pair", "spearman_brown"] == pytest.approx(R["pair_std_alpha"])


def test_low_alpha_names_the_statements_and_the_one_that_fits_least(caplog):
    computed = tables()
    item_rest = computed["item_rest"]
    assert item_rest["item_rest_r"][:3].tolist() == pytest.approx(R["weak_r_drop"], abs=1e-12)
    assert item_rest["alpha_if_deleted"][:3].tolist() == pytest.approx(
        R["weak_alpha_drop"], abs=1e-12
    )
    with caplog.at_level("WARNING"):
        warnings = reliability_warnings(
            computed["reliability"], item_rest, questionnaire(), min_alpha=0.5
        )
    low = warnings[warnings["statistic"] == "alpha"].iloc[0]
    assert (low["theme"], low["item"]) == ("weak", "a")  # a: the lowest item-rest r
    assert low["value"] == pytest.approx(R["weak_alpha"], abs=1e-12)
    assert low["warning"] == (
        "Toy, theme weak: Cronbach's alpha 0.442 is below 0.5 (analysis.min_cronbach_alpha): its "
        "statements ('a', 'b', 'c') may not measure one thing. The one that fits least is 'a' "
        "(item-rest r = 0.195; alpha without it 0.460)."
    )
    assert low["warning"] in caplog.text


def test_two_statements_get_their_spearman_brown_coefficient():
    computed = tables()
    warnings = reliability_warnings(
        computed["reliability"], computed["item_rest"], questionnaire(), min_alpha=0.5
    )
    pair = warnings[warnings["theme"] == "pair"]
    assert pair["statistic"].tolist() == ["spearman_brown"]
    row = pair.iloc[0]
    assert row["item"] == "d; e"
    assert row["value"] == pytest.approx(R["pair_std_alpha"])
    assert row["warning"] == (
        "Toy, theme pair has two statements ('d', 'e'): report the Spearman-Brown coefficient "
        "0.904 (2r / (1 + r) of their Pearson r = 0.824) beside or instead of Cronbach's alpha "
        "(0.904), which assumes the two have equal variances (Eisinga et al. 2013)."
    )
    # the weak theme has three statements: no such row
    assert "spearman_brown" not in warnings.loc[warnings["theme"] == "weak", "statistic"].tolist()


def test_the_threshold_is_strict_and_configurable():
    computed = tables()
    alpha = computed["reliability"].set_index("theme").loc["weak", "alpha"]

    def low(min_alpha):
        warnings = reliability_warnings(
            computed["reliability"], computed["item_rest"], questionnaire(), min_alpha=min_alpha
        )
        return warnings[warnings["statistic"] == "alpha"]["theme"].tolist()

    assert low(0.5) == ["weak"]
    assert low(alpha) == []  # at the threshold: no warning
    assert low(0.0) == []
    assert low(0.95) == ["weak", "pair"]  # the pair's alpha, 0.904, too


def test_schema_default_is_one_half():
    config = {"codebook": "c", "raw_exports": "{survey}/{batch}", "tables": {},
              "comparisons": {}, "likert_figures": {}}  # fmt: skip
    schema = Path(__file__).parents[2] / "workflow" / "schemas" / "config.schema.yaml"
    assert validate(config, schema, "config")["analysis"]["min_cronbach_alpha"] == 0.5


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_stored_r_numbers_are_what_the_r_script_prints():
    result = subprocess.run(["Rscript", str(SCRIPT)], capture_output=True, text=True)
    if result.returncode != 0 and "psych" in result.stderr:
        pytest.skip("R's psych package is not installed")
    assert result.stdout == STORED.read_text(encoding="utf-8")


def given(alpha, item_rest_r, alpha_if_deleted=(np.nan,) * 3, n_items=3):
    """The reliability and item-rest tables of the keyed toy's theme t (a, b, c), as given."""
    reliability = pd.DataFrame(
        {"survey": ["toy"], "theme": ["t"], "n_items": [n_items], "alpha": [alpha],
         "spearman_brown": [np.nan], "mean_inter_item_r": [np.nan]}
    )  # fmt: skip
    item_rest = pd.DataFrame(
        {"survey": "toy", "theme": "t", "item": ["a", "b", "c"], "item_rest_r": item_rest_r,
         "alpha_if_deleted": list(alpha_if_deleted)}
    )  # fmt: skip
    return reliability, item_rest


def test_a_statement_correlating_negatively_is_asked_about_in_words(caplog):
    """Unmarked: is it reverse-keyed but not marked? Marked (c): should it be? An item-rest r
    of exactly 0 is not negative."""
    reliability, item_rest = given(0.6, [0.0, -0.25, -0.5])
    with caplog.at_level("WARNING"):
        rows = reliability_warnings(
            reliability, item_rest, keyed.questionnaire(reverse=True), min_alpha=0.5
        )
    assert rows["item"].tolist() == ["b", "c"]
    assert rows["warning"].tolist() == [
        "Toy, theme t: statement 'b' correlates negatively with the rest of its theme "
        "(item-rest r = -0.250); is it reverse-keyed but not marked `reverse: true` in the "
        "codebook?",
        "Toy, theme t: statement 'c' correlates negatively with the rest of its theme "
        "(item-rest r = -0.500); it is marked reverse-keyed: should it be?",
    ]
    assert caplog.messages == rows["warning"].tolist()


def test_an_alpha_of_zero_is_low_not_negative_and_a_negative_one_asks_about_keying():
    q = keyed.questionnaire(reverse=False)
    zero = reliability_warnings(*given(0.0, [0.1, 0.2, 0.3]), q, min_alpha=0.5)
    assert zero["warning"].tolist() == [
        "Toy, theme t: Cronbach's alpha 0.000 is below 0.5 (analysis.min_cronbach_alpha): its "
        "statements ('a', 'b', 'c') may not measure one thing. The one that fits least is 'a' "
        "(item-rest r = 0.100)."  # no alpha without it: a theme of two would be left
    ]
    negative = reliability_warnings(*given(-0.2, [0.1, 0.2, 0.3]), q, min_alpha=0.5)
    assert negative[["item", "statistic"]].values.tolist() == [["", "alpha"]]
    assert negative.loc[0, "warning"] == (
        "Toy, theme t: Cronbach's alpha is negative (-0.200); is one of its statements "
        "reverse-keyed but not marked `reverse: true` in the codebook?"
    )


def test_a_low_alpha_without_item_rest_values_names_no_statement():
    rows = reliability_warnings(
        *given(0.3, [np.nan] * 3), keyed.questionnaire(reverse=False), min_alpha=0.5
    )
    assert rows[["item", "statistic", "value"]].values.tolist() == [["", "alpha", 0.3]]
    assert rows.loc[0, "warning"].endswith("may not measure one thing.")


def test_a_label_with_a_percent_sign_is_logged_as_it_is(caplog):
    q = dataclasses.replace(keyed.questionnaire(reverse=False), label="50% sample")
    with caplog.at_level("WARNING"):
        rows = reliability_warnings(*given(-0.2, [0.1, 0.2, 0.3]), q, min_alpha=0.5)
    assert caplog.messages == rows["warning"].tolist()
    assert caplog.messages[0].startswith("50% sample, theme t: Cronbach's alpha is negative")
