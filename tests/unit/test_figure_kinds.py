"""Figures chosen in config (likertflow.figure_kinds): which kinds are drawn, in which formats,
and Figure 5 only where it compares something (two bars or more, unless single_bar)."""

from __future__ import annotations

import pytest
from likertflow.figure_kinds import agreement_bars, outputs
from support import filled
from support.figures import questionnaire

SHIPPED = {"patients": questionnaire("patients"), "experts": questionnaire("experts")}
LIKERT = {"f1": {"survey": "patients", "statement_set": "benefits"}}


def files(questionnaires=SHIPPED, **figures) -> list[str]:
    config = filled.config({"likert_figures": LIKERT, "figures": figures})
    return outputs(config, questionnaires)


def test_by_default_every_kind_as_png_svg_and_pdf():
    assert files() == [
        f"results/figures/{name}.{ext}"
        for name in ["f1", "figure5_agreement", "participant_flow"]
        for ext in ["png", "svg", "pdf"]
    ]


def test_a_kind_left_out_of_draw_is_not_produced():
    drawn = files(draw=["likert", "participant_flow"])
    assert not [path for path in drawn if "figure5" in path]
    assert "results/figures/f1.png" in drawn and "results/figures/participant_flow.pdf" in drawn
    assert files(draw=[]) == []


def test_formats_besides_png():
    assert files(formats=[]) == [
        "results/figures/f1.png", "results/figures/figure5_agreement.png",
        "results/figures/participant_flow.png",
    ]  # fmt: skip


def test_figure5_only_where_it_compares_something():
    one_bar = {"surveys": ["experts"], "statement_sets": ["risks"]}
    assert agreement_bars(filled.config({"figures": {"agreement": one_bar}}), SHIPPED) == [
        ("risks", "experts")
    ]
    assert not [p for p in files(agreement=one_bar) if "figure5" in p]
    assert [p for p in files(agreement={**one_bar, "single_bar": True}) if "figure5" in p]
    # one questionnaire with two sets compares the sets: drawn
    assert [p for p in files(agreement={"surveys": ["experts"]}) if "figure5" in p]
    # a questionnaire and a set it has no statements of: no bar at all
    only = {"experts": SHIPPED["experts"]}
    assert agreement_bars(filled.config({}), only) == [("benefits", "experts"),
                                                       ("risks", "experts")]  # fmt: skip


def test_figure5_bars_in_the_chosen_order():
    chosen = {"surveys": ["experts", "patients"], "statement_sets": ["risks", "benefits"]}
    config = filled.config({"figures": {"agreement": chosen}})
    assert agreement_bars(config, SHIPPED) == [
        ("risks", "experts"), ("risks", "patients"), ("benefits", "experts"),
        ("benefits", "patients"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("chosen", "problem"),
    [({"surveys": ["nurses"]}, "unknown questionnaire 'nurses'"),
     ({"statement_sets": ["costs"]}, "unknown statement set 'costs'")],
)  # fmt: skip
def test_figure5_choices_are_checked_at_start_up(chosen, problem):
    from likertflow.references import check_figures

    problems = check_figures(filled.config({"figures": {"agreement": chosen}}), SHIPPED)
    assert any(problem in text for text in problems), problems


def test_a_questionnaire_with_a_design_has_its_likert_figures_drawn_weighted_too():
    """Each likert_figures entry whose questionnaire declares a survey design has a second
    figure, <entry>_weighted, in every format; the others none (the shipped study: none)."""
    import dataclasses

    from likertflow.codebook import DesignSpec

    design = DesignSpec(weight="Weight", lonely_psu="fail")
    weighted = {**SHIPPED, "patients": dataclasses.replace(SHIPPED["patients"], design=design)}
    likert = {**LIKERT, "f2": {"survey": "experts", "statement_set": "risks"}}
    config = filled.config({"likert_figures": likert, "figures": {"formats": ["svg"]}})
    drawn = outputs(config, weighted)
    assert [p for p in drawn if "_weighted" in p] == [
        "results/figures/f1_weighted.png", "results/figures/f1_weighted.svg"
    ]  # fmt: skip
    assert "results/figures/f2.png" in drawn and "results/figures/f1.png" in drawn
    assert not [p for p in outputs(config, SHIPPED) if "_weighted" in p]
    chosen = filled.config({"likert_figures": likert, "figures": {"draw": ["likert"]}})
    assert not [p for p in outputs(chosen, weighted) if "_weighted" in p]


def test_figure5_leaves_out_a_questionnaire_without_statements_of_a_set():
    """A questionnaire that rates only one set has a bar of that set only (a bar of a set it has
    no statements of would be a bar of nobody)."""
    import dataclasses

    patients = SHIPPED["patients"]
    benefits_only = dataclasses.replace(
        patients, questions=[q for q in patients.questions if q.statement_set != "risks"]
    )
    assert benefits_only.statements("risks") == [] and benefits_only.statements("benefits")
    both = {"experts": SHIPPED["experts"], "patients": benefits_only}
    assert agreement_bars(filled.config({}), both) == [
        ("benefits", "experts"), ("benefits", "patients"), ("risks", "experts")
    ]  # fmt: skip
