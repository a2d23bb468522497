"""The weighted Likert figures (likertflow.likert_plot.plot_weighted_likert, issue 23 item 5):
drawn from the published weighted frequencies alone. Each segment is the table's weighted
percent, a value the disclosure rule hid is not drawn and cannot be read back, the legend and
columns speak the scale's words, the axis and title say "weighted", the subtitle names the design
as declared; and hostile labels are drawn as written. On the national example's questionnaire
with hand-made published tables, no workflow run (tests/workflow/test_example_design.py runs
it)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
import yaml
from conftest import REPO
from likertflow.attacker import Release, read_svg
from likertflow.codebook import parse_codebook
from likertflow.disclosure import SUPPRESSED, Policy
from likertflow.likert_plot import (
    column_headers,
    legend_labels,
    likert_figure,
    plot_likert,
    plot_weighted_likert,
    weighted_percentages,
)
from likertflow.plotting import DIVERGING_5, STANDARD, save_figure
from matplotlib.colors import to_rgba
from support import filled
from support.hostile import FORMULAS, MATH, SCRIPT
from test_likert_plot import bars_by_row

NATIONAL = REPO / "config" / "examples" / "national_weighted" / "codebook.yaml"
NHS = Policy("nhs", min_count=8, rounding=5, min_statistic_n=8)
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
          "Strongly agree"]  # fmt: skip
# Published weighted percentages (codes 1-5) and unweighted counts of the four statements: not
# proportional to each other, as a design's weights make them.
PERCENT = {
    "gp_access": ["10.52", "20.31", "19.17", "30.00", "20.00"],
    "hospital_trust": ["5.25", "14.75", "20.00", "35.12", "24.88"],
    "transport": ["30.40", "25.60", "14.00", "20.00", "10.00"],
    "grow_old": ["8.13", "22.87", "24.00", "25.00", "20.00"],
}
COUNTS = {
    "gp_access": ["20", "45", "40", "55", "40"],
    "hospital_trust": ["10", "30", "40", "70", "50"],
    "transport": ["60", "50", "30", "40", "20"],
    "grow_old": ["15", "45", "50", "50", "40"],
}


def adults(edit=None):
    codebook = yaml.safe_load(NATIONAL.read_text(encoding="utf-8"))
    if edit:
        edit(codebook)
    return parse_codebook(filled.codebook(codebook))["adults"]


def weighted_table(q, percent=PERCENT, counts=COUNTS) -> pd.DataFrame:
    """weighted_frequencies.csv of the services statements as published, every cell text."""
    rows = []
    for statement in q.statements("services"):
        answers = statement.answers
        for i, code in enumerate(answers.codes):
            rows.append({
                "survey": q.survey, "question_id": statement.id, "question": statement.text,
                "response": answers.label_of[code], "code": str(code),
                "n": counts[statement.id][i], "weighted_percent": percent[statement.id][i],
                "method": "svymean; logit interval",
            })  # fmt: skip
    return pd.DataFrame(rows)


def by_code(row: list) -> dict[int, tuple[float, float]]:
    """(left, width) of each segment of one bar by its answer's code (the palette's order)."""
    return {
        code: (left, width)
        for left, width, colour in row
        for code, hex_colour in zip(range(1, 6), DIVERGING_5, strict=True)
        if colour == pytest.approx(to_rgba(hex_colour))
    }


def texts(figure) -> list[str]:
    return [t.get_text() for t in figure.texts] + [t.get_text() for t in figure.axes[0].texts]


def test_each_segment_is_the_published_weighted_percent():
    q = adults()
    figure = plot_weighted_likert(weighted_table(q), q, "services", "Services", total=490)
    # sorted by weighted % agree: hospital_trust 60.00, gp_access 50.00, grow_old 45.00,
    # transport 30.00 (by hand from PERCENT)
    order = ["hospital_trust", "gp_access", "grow_old", "transport"]
    rows = bars_by_row(figure)
    assert sorted(rows) == [0, 1, 2, 3]
    for row, statement in enumerate(order):
        p = [float(v) for v in PERCENT[statement]]
        segments = by_code(rows[row])
        assert [segments[c][1] for c in range(1, 6)] == pytest.approx(p, abs=1e-12)
        assert segments[1][0] == pytest.approx(-(p[0] + p[1] + p[2] / 2))  # neutral split
        assert segments[3][0] == pytest.approx(-p[2] / 2)
    shown = [t.get_text() for t in figure.axes[0].texts]
    # % disagree and % agree of hospital_trust, and its unweighted n (10+30+40+70+50)
    assert {"20%", "60%", "200"} <= set(shown)


def test_the_percentages_as_read_from_the_table():
    q = adults()
    percent, n, hidden, n_hidden = weighted_percentages(weighted_table(q), q, "services")
    assert list(percent.index) == ["hospital_trust", "gp_access", "grow_old", "transport"]
    assert percent.loc["transport"].tolist() == [30.40, 25.60, 14.00, 20.00, 10.00]
    assert n.to_dict() == {"hospital_trust": 200, "gp_access": 200, "grow_old": 200,
                           "transport": 200}  # fmt: skip
    assert not hidden.to_numpy().any() and not n_hidden.any()


def test_a_hidden_weighted_percentage_is_not_drawn_and_cannot_be_read_back(tmp_path):
    """The rule hid transport's 'Strongly agree' (count and weighted percent) and, by secondary
    suppression, its 'Neither' count: the hidden cell has no width and a tick, the shares and n
    it enters read '*', and no text or segment of the drawing holds the hidden values."""
    from matplotlib.lines import Line2D

    q = adults()
    percent = {**PERCENT, "transport": ["30.40", "25.60", "14.00", "20.00", SUPPRESSED]}
    counts = {**COUNTS, "transport": ["60", "50", SUPPRESSED, "40", SUPPRESSED]}
    table = weighted_table(q, percent, counts)
    figure = plot_weighted_likert(table, q, "services", "Services", policy=NHS, total=490)
    [row] = [r for r in bars_by_row(figure).values()
             if by_code(r)[1][1] == pytest.approx(30.40)]  # fmt: skip
    segments = by_code(row)
    assert segments[5][1] == 0  # hidden: no width
    assert [segments[c][1] for c in range(1, 5)] == pytest.approx([30.40, 25.60, 14.00, 20.00])
    ticks = [line for line in figure.axes[0].lines if isinstance(line, Line2D)
             and len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]
             and line.get_color() == "#111111"]  # fmt: skip
    assert len(ticks) == 1
    shown = texts(figure)
    assert shown.count(SUPPRESSED) == 2  # transport's % agree and n; its % disagree is shown
    assert "56%" in shown and "hidden count" in legend_labels(figure)
    assert any("hidden by the disclosure rule" in t for t in shown)
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    save_figure(figure, png, svg)
    drawn = read_svg(svg.read_text(encoding="utf-8"))[0]
    assert "150" not in drawn  # the sum of transport's published counts, short of two: not n
    assert "30%" not in drawn  # transport's % agree, which the hidden 'Strongly agree' enters


def test_the_attacker_holds_the_bars_to_the_published_weighted_percentages(tmp_path):
    """likertflow.attacker reads the weighted figure's bars (its SVG) against
    weighted_frequencies.csv: the figure as drawn passes; one drawn from exact percentages that
    the table hides is found, bar by bar."""
    from likertflow.attacker import build_system, figures

    q = adults()
    hidden = {**PERCENT, "transport": ["30.40", "25.60", "14.00", "20.00", SUPPRESSED]}
    counts = {**COUNTS, "transport": ["60", "50", SUPPRESSED, "40", SUPPRESSED]}
    published = weighted_table(q, hidden, counts)
    config = filled.config({"likert_figures": {"f1": {"survey": "adults",
                                                      "statement_set": "services"}}})  # fmt: skip

    def findings(table: pd.DataFrame) -> list[str]:
        figure = plot_weighted_likert(table, q, "services", "Services", policy=NHS, total=490)
        png, svg = tmp_path / "f.png", tmp_path / "f.svg"
        save_figure(figure, png, svg)
        release = Release({"weighted_frequencies": published},
                          {"f1_weighted": svg.read_text(encoding="utf-8")}, config,
                          {"adults": q}, NHS)  # fmt: skip
        return [f"{f.cell}: {f.what}" for f in figures(release, build_system(release))]

    assert findings(published) == []
    exact = findings(weighted_table(q, PERCENT, counts))  # transport's 10.00 drawn
    assert exact == [
        "bar 4 from the top: its segments are not the published weighted percentages of any "
        "statement"
    ]


def test_legend_axis_title_columns_and_subtitle_say_weighted_and_name_the_design():
    q = adults()
    figure = plot_weighted_likert(weighted_table(q), q, "services", "Services", total=490)
    assert legend_labels(figure) == LABELS
    assert column_headers(figure) == ["disagree", "agree", "n"]
    assert figure.axes[0].get_xlabel() == (
        "weighted % of respondents: strongly disagree ◀ 0 ▶ strongly agree (neutral split "
        "across zero)"
    )
    shown = " ".join(texts(figure)).replace("\n", " ")
    assert "Services (weighted, n = 490)" in shown
    assert ("Adults, weighted (weight Weight, strata Region, clusters Area, fpc Areas in "
            "region): each bar is the weighted % of those who answered the statement, n "
            "unweighted") in shown  # fmt: skip
    # the unweighted figure of the same questionnaire says it is the sample's
    from support.figures import statement_table

    frame = pd.DataFrame({s.id: pd.array([1, 2, 3, 4, 5] * 4, dtype="Int16")
                          for s in q.statements("services")})  # fmt: skip
    unweighted = plot_likert(statement_table(frame, q), q, "services", "Services", total=20)
    assert "Services (unweighted, n = 20)" in " ".join(texts(unweighted))
    assert unweighted.axes[0].get_xlabel().startswith("% of respondents: ")


def test_a_design_without_strata_or_clusters_is_named_as_declared():
    q = adults()
    q = dataclasses.replace(q, design=dataclasses.replace(q.design, strata=None, clusters=None,
                                                          fpc=None))  # fmt: skip
    figure = plot_weighted_likert(weighted_table(q), q, "services", "Services")
    shown = " ".join(texts(figure)).replace("\n", " ")
    assert "Adults, weighted (weight Weight): each bar" in shown
    assert "Services (weighted)" in shown  # no n given: none in the title


def test_a_statement_answered_by_too_few_has_no_bar():
    q = adults()
    counts = {**COUNTS, "grow_old": ["0", "0", "0", "5", "0"]}  # 5: under NHS's 8, hidden
    percent = {**PERCENT, "grow_old": ["0.00", "0.00", "0.00", SUPPRESSED, "0.00"]}
    counts["grow_old"][3] = SUPPRESSED
    figure = plot_weighted_likert(weighted_table(q, percent, counts), q, "services", "Services",
                                  policy=NHS, total=490)  # fmt: skip
    rows = bars_by_row(figure)
    widths = [sum(width for _, width, _ in rows[row]) for row in sorted(rows)]
    assert widths.count(0) == 1  # its bar, last by % agree, is empty


def test_off_scale_answers_count_in_the_share_but_are_not_drawn():
    def dont_know(codebook):
        options = codebook["answer_sets"]["agreement"]["options"]
        options.append({"label": "Don't know", "code": 9, "off_scale": True})

    q = adults(dont_know)
    # 10 % of each statement's weighted answers "Don't know", taken from "Agree"
    percent = {sid: [*v[:3], f"{float(v[3]) - 10:.2f}", v[4], "10.00"] for sid, v in
               PERCENT.items()}  # fmt: skip
    counts = {sid: [*values, "12"] for sid, values in COUNTS.items()}
    figure = plot_weighted_likert(weighted_table(q, percent, counts), q, "services", "Services",
                                  total=490)  # fmt: skip
    for row in bars_by_row(figure).values():
        assert 85 < sum(width for _, width, _ in row) < 95  # 100 less Don't know's 10
    shown = " ".join(texts(figure)).replace("\n", " ")
    assert "n unweighted; not drawn: Don't know" in shown
    assert "212" in shown  # n: those who answered, off the scale too (the table's base)
    assert "Don't know" not in legend_labels(figure)


def test_hostile_labels_and_design_columns_are_drawn_as_written(tmp_path):
    """Labels with markup, formulas and mathtext ($...$) are text in a figure: drawn as written,
    never parsed (likertflow.plotting turns mathtext off), so nothing in them runs or breaks."""

    def hostile(codebook):
        codebook["questionnaires"]["adults"]["label"] = f"Adults {SCRIPT}"
        codebook["questionnaires"]["adults"]["design"]["weight"] = f"{FORMULAS[0]} {MATH}"
        codebook["answer_sets"]["agreement"]["options"][0]["label"] = f"{MATH} no"
        codebook["statements"][0]["wording"] = f"{FORMULAS[1]} $\\frac{{"

    q = adults(hostile)
    figure = plot_weighted_likert(weighted_table(q), q, "services", "Services", total=490)
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    save_figure(figure, png, svg)  # draws: a mathtext label would raise here
    shown = " ".join(texts(figure)).replace("\n", " ")
    assert f"Adults {SCRIPT}, weighted (weight {FORMULAS[0]} {MATH}," in shown
    assert legend_labels(figure)[0] == f"{MATH} no"
    assert "<script>" not in svg.read_text(encoding="utf-8")  # SVG text escaped or as paths


def test_the_workflow_draws_an_entry_from_every_questionnaires_published_table():
    """likert_figure (the scripts' one call): the entry's questionnaire's rows of the published
    table, the title's n from the published participant flow, the title from the config or the
    labels."""
    q = adults()
    other = weighted_table(q).assign(survey="carers", weighted_percent="20.00")
    table = pd.concat([other, weighted_table(q)], ignore_index=True)
    flow = pd.DataFrame({"survey": ["adults", "adults", "carers"],
                         "stage": ["returned", "analysed", "analysed"], "n": ["500", "490", "*"]})
    codebook = yaml.safe_load(NATIONAL.read_text(encoding="utf-8"))
    from likertflow.codebook import questionnaire_codebook

    book = questionnaire_codebook(filled.codebook(codebook), "adults")
    spec = {"survey": "adults", "statement_set": "services"}
    figure = likert_figure(table, flow, book, spec, Policy("none"), STANDARD,
                           weighted=True)  # fmt: skip
    rows = bars_by_row(figure)
    assert by_code(rows[0])[4][1] == pytest.approx(35.12)  # hospital_trust, not carers' 20.00
    assert "Adults: Local services (weighted, n = 490)" in " ".join(texts(figure))


def test_answers_and_statements_the_table_does_not_list_are_drawn_empty():
    """A table that lists only the answers given: nobody chose "Strongly disagree" (no row), and
    nobody answered grow_old (no rows): 0 % there, grow_old an empty bar with n 0, last; ties
    (gp_access and hospital_trust, 50 % agree each) in questionnaire order; nothing hidden."""
    q = adults()
    percent = {**PERCENT, "gp_access": ["0", "30.00", "20.00", "30.00", "20.00"],
               "hospital_trust": ["0", "25.00", "25.00", "25.00", "25.00"]}  # fmt: skip
    counts = {**COUNTS, "gp_access": ["0", "45", "40", "55", "40"],
              "hospital_trust": ["0", "30", "40", "70", "50"]}  # fmt: skip
    table = weighted_table(q, percent, counts)
    table = table[(table["code"] != "1") & (table["question_id"] != "grow_old")]
    shares, n, hidden, n_hidden = weighted_percentages(table, q, "services")
    ids = [s.id for s in q.statements("services")]
    tied = [sid for sid in ids if sid in ("gp_access", "hospital_trust")]
    assert list(shares.index) == [*tied, "transport", "grow_old"]
    assert list(shares.columns) == [1, 2, 3, 4, 5]
    assert shares.loc["grow_old"].tolist() == [0.0] * 5 and n["grow_old"] == 0
    assert shares.loc["transport"].tolist() == [0.0, 25.60, 14.00, 20.00, 10.00]
    assert n.to_dict() == {"gp_access": 180, "hospital_trust": 190, "transport": 140,
                           "grow_old": 0}  # fmt: skip
    assert not hidden.to_numpy().any() and not n_hidden.any()
    figure = plot_weighted_likert(table, q, "services", "Services", total=490)
    rows = bars_by_row(figure)
    assert [sum(w for _, w, _ in rows[r]) for r in sorted(rows)] == pytest.approx(
        [100, 100, 69.6, 0]
    )
    assert "hidden count" not in legend_labels(figure)


def test_the_weighted_figure_follows_the_policy_stem_and_rows_it_is_given():
    """A statement answered by 5, each count published (the policy's min_count is 1) but under
    its min_statistic_n of 8: no bar, its shares and n read "*"; the stem leads the subtitle; the
    rows reserved make the figure taller."""
    q = adults()
    counts = {**COUNTS, "grow_old": ["1", "1", "1", "1", "1"]}
    percent = {**PERCENT, "grow_old": ["20.00"] * 5}
    table = weighted_table(q, percent, counts)
    policy = Policy("nhs", min_count=1, rounding=1, min_statistic_n=8)
    figure = plot_weighted_likert(table, q, "services", "Services", stem="In your area,",
                                  policy=policy, total=490)  # fmt: skip
    rows = bars_by_row(figure)
    assert sorted(sum(w for _, w, _ in rows[r]) for r in rows) == pytest.approx([0, 100, 100, 100])
    shown = [t.get_text() for t in figure.axes[0].texts]
    assert shown.count(SUPPRESSED) == 3 and "5" not in shown
    stem, notes = figure.texts[1].get_text().split("\n", 1)  # too long for one line: wrapped,
    assert stem == "In your area, …" and notes.startswith("Adults, weighted")  # stem first
    taller = plot_weighted_likert(table, q, "services", "Services", stem="In your area,",
                                  policy=policy, total=490, rows=6)  # fmt: skip
    assert taller.get_figheight() > figure.get_figheight()
    assert taller.axes[0].get_position().height * taller.get_figheight() == pytest.approx(
        figure.axes[0].get_position().height * figure.get_figheight()
    )  # the same 4 bars, in the same inches


def test_an_n_short_of_a_hidden_count_reads_star_though_every_percent_is_shown():
    """The rule hid one of transport's counts but none of its weighted percentages: its n, the
    sum of the counts shown, is short of the hidden one and reads "*"; its bar is whole."""
    q = adults()
    counts = {**COUNTS, "transport": ["60", "50", SUPPRESSED, "40", "20"]}
    percent, n, hidden, n_hidden = weighted_percentages(weighted_table(q, PERCENT, counts), q,
                                                        "services")  # fmt: skip
    assert n.name == "n" and n["transport"] == 170  # 60 + 50 + 40 + 20: short of the hidden 30
    assert n_hidden.to_dict() == {"hospital_trust": False, "gp_access": False, "grow_old": False,
                                  "transport": True}  # fmt: skip
    assert not hidden.to_numpy().any()
    figure = plot_weighted_likert(weighted_table(q, PERCENT, counts), q, "services", "Services",
                                  total=490)  # fmt: skip
    shown = [t.get_text() for t in figure.axes[0].texts]
    assert shown[-4:] == ["200", "200", "200", SUPPRESSED]  # n, transport last (30 % agree)
    assert "170" not in shown and shown.count(SUPPRESSED) == 1
