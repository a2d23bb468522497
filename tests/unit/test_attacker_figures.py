"""The attacker's reading of Likert figures (likertflow.attacker.figures), on hand-made SVGs:
each bar's segments decoded to counts by the n printed beside it (or, without one, by every n
the published denominators allow), and its "%" labels, against the rule and the published
table. Each expected finding is worked out here from the bar's widths and the rule.

The questionnaire ``q``: statement set ``s`` (statements a and b) and set ``u`` (statement c),
five answers p1 to p5. Published (threshold 10): a 121 answers, (*, *, 30, 40, 37) (truly 2,
12, 30, 40, 37); b 115, (0, 10, 30, 40, 35); c 200, (40, 40, 40, 40, 40).
"""

from __future__ import annotations

import pandas as pd
from likertflow import attacker
from likertflow.attacker import Release
from likertflow.disclosure import SUPPRESSED, Policy, policy_of
from support import toy_codebook as toy

TEN = policy_of({"rule": "threshold", "min_count": 10})
NHS = policy_of({"rule": "nhs"})  # fewer than 8 hidden, others rounded to 5
Q = toy.questionnaire({"s": "ab", "u": "c"}, survey="q", label="Q")
LABELS = [f"p{code}" for code in range(1, 6)]
COLOURS = [f"#aa00{code:02d}" for code in range(1, 6)]
FIGURE = {"fig": {"survey": "q", "statement_set": "s"}}
FILE = "results/figures/fig.svg"


def frequencies(counts: dict[str, list], denominators: dict[str, int]) -> pd.DataFrame:
    """statement_frequencies.csv as published, every cell text."""
    rows = [
        {
            "survey": "q", "statement_set": "u" if statement == "c" else "s",
            "question_id": statement, "response": label, "n": str(n),
            "denominator": str(denominators[statement]),
        }
        for statement, ns in counts.items()
        for label, n in zip(LABELS, ns, strict=True)
    ]  # fmt: skip
    return pd.DataFrame(rows)


PUBLISHED = frequencies(
    {
        "a": [SUPPRESSED, SUPPRESSED, 30, 40, 37],
        "b": [0, 10, 30, 40, 35],
        "c": [40, 40, 40, 40, 40],
    },
    {"a": 121, "b": 115, "c": 200},
)


def rectangle(fill: str, left: float, right: float, middle: float) -> str:
    top, bottom = middle - 2, middle + 2
    return (
        f'<path d="M {left} {top} L {right} {top} L {right} {bottom} L {left} {bottom} z" '
        f'clip-path="url(#p1)" style="fill: {fill}"/>'
    )


def svg(bars: list[list[float]], texts: list[str], legend=True, extra: str = "") -> str:
    """A figure as matplotlib writes one: the bars (bar i's segments the answers p1 to p5 in
    order, one above the other, 10 units apart from the top, after a triangle of p1's colour),
    its texts in drawing order (each in a tspan), then the legend (a white entry for hidden
    counts, then the answers, each followed by its text)."""
    triangle = '<path d="M 0 0 L 5 0 L 2 4 z" style="fill: #aa0001"/>'  # a marker: no bar
    parts = ["<svg>", triangle, extra]
    for row, widths in enumerate(bars):
        left = 0.0
        for colour, width in zip(COLOURS, widths, strict=True):
            parts.append(rectangle(colour, left, left + width, 10.0 * (row + 1)))
            left += width
    parts += [f'<text x="1" y="2"><tspan>{text}</tspan></text>' for text in texts]
    if legend:
        parts.append('<g id="legend_1">')
        parts.append(rectangle("#ffffff", 0, 5, 500) + "<text>hidden count</text>")
        for colour, label in zip(COLOURS, LABELS, strict=True):
            parts.append(rectangle(colour, 0, 5, 500) + f"<text>{label}</text>")
        parts.append("</g>")
    return "".join(parts + ["</svg>"])


def columns(disagree: list[str], agree: list[str], ns: list[str]) -> list[str]:
    """The side columns' texts in drawing order: each header, then its values from the top."""
    return ["Q (n = 130)", "disagree", *disagree, "agree", *agree, "n", *ns]


def release(picture: str, policy: Policy = TEN, tables=None, figures=FIGURE) -> Release:
    config = {"tables": {}, "comparisons": {}, "likert_figures": figures}
    tables = {"statement_frequencies": PUBLISHED} if tables is None else tables
    return Release(tables, {"fig": picture}, config, {"q": Q}, policy)


def findings(release_: Release) -> list[tuple[str, str]]:
    found = attacker.figures(release_, attacker.build_system(release_))
    assert all(f.attack == "figures" and f.file == FILE for f in found)
    return [(f.cell, f.what) for f in found]


HIDES = "its width times n gives a count of {}, which the rule hides"


def test_each_bar_is_decoded_by_its_printed_n_and_its_percent_labels_by_it_too():
    """Bar 1 is a's true counts times 121 (2 hidden), with % labels of its own ('3%' of 121 is
    4 only, '2%' 2 or 3); bar 2 b's published ones (explained: its '9%' of 115 is 10, no hidden
    count); bar 3 five equal segments of n 10 (each 2, and its '20%' labels 2 of 10); bar 4 all
    p3 of n 10, its '9%' no count of 10 (nor '0%' a hidden one); bar 5's '2%' of 40 is 1 (1.5 %
    to 2.5 % of 40: 0.6 to 1.0); a white background rectangle is no bar."""
    picture = svg(
        [
            [2, 12, 30, 40, 37],
            [0, 10, 30, 40, 35],
            [1, 1, 1, 1, 1],
            [0, 0, 10, 0, 0],
            [0, 0, 40, 0, 0],
        ],
        columns(
            ["2%", "9%", "20%", "9%", "0%"],
            ["3%", "65%", "20%", "0%", "2%"],
            ["121", "115", "10", "10", "40"],
        ),
        extra=rectangle("#ffffff", 0, 300, 150),
    )
    found = findings(release(picture))
    labels = [
        ("bar 3 from the top, % agree label", "'20%' of n gives a count of 2"),
        ("bar 3 from the top, % disagree label", "'20%' of n gives a count of 2"),
    ]
    bar_1 = [("bar 1 from the top, segment 'p1'", HIDES.format(2))]
    bar_3 = [(f"bar 3 from the top, segment '{label}'", HIDES.format(2)) for label in LABELS]
    assert found[:1] == [("bar 1 from the top, % agree label", "'3%' of n gives a count of 4")]
    assert found[1:2] == bar_1
    assert found[2:4] == labels
    assert sorted(found[4:9]) == bar_3
    assert found[9:] == [("bar 5 from the top, % agree label", "'2%' of n gives a count of 1")]
    # the same figure without its side columns' % labels and headers: the bars alone
    bare = svg([[2, 12, 30, 40, 37], [0, 10, 30, 40, 35]], ["n", "121", "115"])
    assert findings(release(bare)) == bar_1
    # ... and with bar 2's n not printed (the legend's texts follow): bar 2 read as of any n up
    # to 123, where only 121 decodes
    bare = svg([[2, 12, 30, 40, 37], [2, 12, 30, 40, 37]], ["n", "121"])
    assert findings(release(bare)) == [
        *bar_1,
        ("bar 2 from the top, segment 'p1'", HIDES.format(2)),
    ]


def test_a_bar_without_its_n_is_decoded_by_every_n_up_to_the_largest_published():
    """No n printed: every n from 1 to the set's largest denominator plus 2 (a's 121: 123), or
    the analysed n where the flow publishes a larger one. A share of 1 / 100 is then 1 of 100
    (200 is beyond 123); 1 / 123 is 1 of 123; 1 / 124 fits no n up to 123. Statement c's
    denominator of 200 is another set's: it widens nothing. A bar of no width says nothing; 1 / 3
    and 2 / 3 are 1 and 2 of 3, or 2 and 4 of 6, ..."""
    bars = [
        [0, 0, 0, 0, 0],
        [1, 0, 0, 0, 99],
        [1, 0, 0, 0, 122],
        [1, 0, 0, 0, 123],
        [1, 2, 0, 0, 0],
    ]
    picture = svg(bars, columns([""] * 5, [""] * 5, [""] * 5))  # the first bar of no width
    assert findings(release(picture)) == [
        ("bar 2 from the top, segment 'p1'", HIDES.format(1)),
        ("bar 3 from the top, segment 'p1'", HIDES.format(1)),
    ]
    # the analysed n (210) larger than every denominator: 1 / 100 may be 2 of 200, 1 / 123
    # still only 1 of 123 (246 > 212), 1 / 124 is 1 of 124
    flow = pd.DataFrame(
        {
            "survey": "q",
            "stage": ["exported_rows", "duplicate_responses", "returned", "excluded_a", "analysed"],
            "n": ["220", "0", "220", "10", "210"],
        }
    )
    tables = {"statement_frequencies": PUBLISHED, "participant_flow": flow}
    assert findings(release(picture, tables=tables)) == [
        ("bar 3 from the top, segment 'p1'", HIDES.format(1)),
        ("bar 4 from the top, segment 'p1'", HIDES.format(1)),
    ]
    # no table: n up to 2, which no bar's shares (1 / 3 and 2 / 3 the widest) fit
    assert findings(release(picture, tables={})) == []


def test_under_rounding_a_bar_gives_its_exact_n_and_counts_published_rounded():
    """nhs (fewer than 8 hidden, others rounded to 5): a's true counts drawn with n 120 printed
    (118 to 122: only 121 decodes to whole counts) give the exact n, the hidden 2 and the
    rounded 12 and 37; 30 and 40 are what rounding publishes. A bar with a zero-width p1 where
    the table publishes 10 is not the table's bar: it gives its n (120) as exact."""
    published = frequencies(
        {"a": [SUPPRESSED, 10, 30, 40, 35], "b": [10, 10, 30, 45, 35]}, {"a": 120, "b": 130}
    )
    picture = svg(
        [[2, 12, 30, 40, 37], [0, 10, 30, 45, 35]],
        columns(["12%", "8%"], ["64%", "67%"], ["120", "120"]),
    )
    found = findings(release(picture, NHS, tables={"statement_frequencies": published}))
    rounded = "its width times n gives the exact count {} of a count published rounded"
    assert found[:1] == [
        ("bar 1 from the top, segment widths and n 120", "exact n 121 of a count published rounded")
    ]
    assert sorted(found[1:4]) == [
        ("bar 1 from the top, segment 'p1'", HIDES.format(2)),
        ("bar 1 from the top, segment 'p2'", rounded.format(12)),
        ("bar 1 from the top, segment 'p5'", rounded.format(37)),
    ]
    assert found[4:] == [
        ("bar 2 from the top, segment widths and n 120", "exact n 120 of a count published rounded")
    ]


def test_a_figure_the_attacker_cannot_read_is_for_review():
    unread = "review by hand: the attacker could not read its bars"
    assert findings(release(svg([], columns([], [], [])))) == [("the whole figure", unread)]
    no_legend = svg([[2, 12, 30, 40, 37]], columns(["12%"], ["64%"], ["121"]), legend=False)
    assert findings(release(no_legend)) == [("the whole figure", unread)]
    no_n = svg([[2, 12, 30, 40, 37]], ["disagree", "12%", "agree", "64%"])
    assert findings(release(no_n)) == [("the n column", "review by hand: no n column read")]


def test_a_weighted_figure_is_read_only_where_its_entry_and_design_are():
    """``<entry>_weighted`` is a weighted figure only if the entry exists and its questionnaire
    declares a design (q declares none): otherwise nothing is read from it."""
    picture = svg([[2, 12, 30, 40, 37]], columns(["12%"], ["64%"], ["121"]))
    config = {"tables": {}, "comparisons": {}, "likert_figures": FIGURE}
    svgs = {"fig_weighted": picture, "other_weighted": picture}
    release_ = Release({"statement_frequencies": PUBLISHED}, svgs, config, {"q": Q}, TEN)
    assert attacker.figures(release_, attacker.build_system(release_)) == []


def test_a_flow_diagram_prints_only_the_flows_counts_and_their_sum_of_exclusions():
    """The participant flow's figure may print the published flow's counts and a
    questionnaire's exclusions summed (25 = 10 + 15; none for r, whose exclusion is hidden):
    any other n is found, and one the rule would not publish (5) twice. A config without
    Likert figures reads no bars."""
    flow = pd.DataFrame(
        {
            "survey": ["q"] * 6 + ["r"] * 3,
            "stage": [
                "exported_rows", "duplicate_responses", "returned", "excluded_a", "excluded_b",
                "analysed", "returned", "excluded_a", "analysed",
            ],
            "n": ["220", "0", "220", "10", "15", "195", "40", SUPPRESSED, "35"],
        }
    )  # fmt: skip
    texts = [
        "Returned (n = 220)", "Excluded (n = 25)", "Analysed (n = 196)", "All (n = 1,234)",
        "Few (n = 5)", "Excluded (n = 5)",
    ]  # fmt: skip
    picture = "<svg>" + "".join(f"<!-- {text} -->" for text in texts) + "</svg>"
    config = {"tables": {}, "comparisons": {}}
    release_ = Release({"participant_flow": flow}, {"participant_flow": picture}, config,
                       {"q": Q, "r": Q}, TEN)  # fmt: skip
    found = attacker.figures(release_, attacker.build_system(release_))
    assert all(f.attack == "figures" for f in found)
    assert all(f.file == "results/figures/participant_flow.svg" for f in found)
    assert [(f.cell, f.what) for f in found] == [
        ("text 'Analysed (n = 196)'", "prints n = 196, which participant_flow.csv does not"),
        ("text 'All (n = 1,234)'", "prints n = 1234, which participant_flow.csv does not"),
        ("text 'Few (n = 5)'", "prints a count (5) the rule does not publish"),
        ("text 'Few (n = 5)'", "prints n = 5, which participant_flow.csv does not"),
        ("text 'Excluded (n = 5)'", "prints a count (5) the rule does not publish"),
        ("text 'Excluded (n = 5)'", "prints n = 5, which participant_flow.csv does not"),
    ]


def national():
    import yaml
    from conftest import REPO
    from likertflow.codebook import parse_codebook
    from support import filled

    path = REPO / "config" / "examples" / "national_weighted" / "codebook.yaml"
    codebook = yaml.safe_load(path.read_text(encoding="utf-8"))
    return parse_codebook(filled.codebook(codebook))["adults"]


def test_a_weighted_figures_bars_are_held_to_the_published_weighted_percentages():
    """Each bar of adults' weighted services figure must be, in proportion, some statement's
    published weighted percentages (a hidden one not drawn): gp_access as published,
    transport without its hidden middle pass; transport with a middle drawn, or gp_access with
    one segment 0.05 points wider, do not (nor any of grow_old, all hidden); a bar of no width
    and the white background say nothing. The colours are the figure's palette (its legend
    texts, wrapped, are first words only); the n column decodes to no whole counts; the title's
    n of 7 is one the rule hides."""
    from likertflow.plotting import diverging_palette

    q = national()
    statements = [s.id for s in q.statements("services")]
    labels = q.statements("services")[0].answers.scale_labels
    percents = {
        "gp_access": ["10.52", "20.31", "19.17", "30.00", "20.00"],
        "hospital_trust": ["5.25", "14.75", "20.00", "35.12", "24.88"],
        "transport": ["30.40", "25.60", SUPPRESSED, "20.00", "10.00"],
        "grow_old": [SUPPRESSED] * 5,  # too few answered
    }
    assert sorted(percents) == sorted(statements)
    table = pd.DataFrame(
        [
            {
                "survey": "adults",
                "question_id": statement,
                "response": label,
                "weighted_percent": value,
            }
            for statement, values in percents.items()
            for label, value in zip(labels, values, strict=True)
        ]  # fmt: skip
    )
    colours = [c.lower() for c in diverging_palette(5)]
    bars = [
        [10.52, 20.31, 19.17, 30.00, 20.00],
        [30.40, 25.60, 0, 20.00, 10.00],
        [30.40, 25.60, 14.00, 20.00, 10.00],
        [10.57, 20.31, 19.17, 30.00, 20.00],
    ]
    # a white background (no bar), then a bar of no width, first
    parts = ["<svg>", rectangle("#ffffff", 0, 300, 150), rectangle(colours[0], 0, 0, 5.0)]
    for row, widths in enumerate(bars):
        left = 0.0
        for colour, width in zip(colours, widths, strict=True):
            if width:  # a hidden percentage is not drawn
                parts.append(rectangle(colour, left, left + width, 10.0 * (row + 1)))
            left += width
    texts = ["Services (weighted, n = 7)", "disagree", "agree", "n", "190", "190", "190", "190"]
    parts += [f"<text>{t}</text>" for t in texts]
    parts.append('<g id="legend_1">' + rectangle("#ffffff", 0, 5, 500) + "<text>hidden</text>")
    for colour, label in zip(colours, labels, strict=True):
        parts.append(rectangle(colour, 0, 5, 500) + f"<text>{label.split()[0]}</text>")
    picture = "".join(parts + ["</g></svg>"])
    entry = {"f1": {"survey": "adults", "statement_set": "services"}}
    config = {"tables": {}, "comparisons": {}, "likert_figures": entry}
    file = "results/figures/f1_weighted.svg"

    def found(tables):
        release_ = Release(tables, {"f1_weighted": picture}, config, {"adults": q}, NHS)
        result = attacker.figures(release_, attacker.build_system(release_))
        assert all(f.attack == "figures" and f.file == file for f in result)
        return [(f.cell, f.what) for f in result]

    other = "its segments are not the published weighted percentages of any statement"
    assert found({"weighted_frequencies": table}) == [
        ("text 'Services (weighted, n = 7)'", "prints a count (7) the rule does not publish"),
        ("bar 4 from the top", other),
        ("bar 5 from the top", other),
    ]
    unread = "review by hand: the attacker could not read its weighted bars"
    assert found({})[1:] == [("the whole figure", unread)]


def test_a_one_statement_sets_figure_is_read_in_its_own_scale():
    """Set u's figure (statement c alone): a bar of c's published counts says nothing; one with
    a p1 of 1 in 200 gives the 1; its title's n of 7 is one the rule hides."""
    texts = ["U (n = 7)", *columns(["", ""], ["", ""], ["200"] * 2)[1:]]
    picture = svg([[40, 40, 40, 40, 40], [1, 49, 50, 50, 50]], texts)
    figures = {"fig": {"survey": "q", "statement_set": "u"}}
    assert findings(release(picture, figures=figures)) == [
        ("text 'U (n = 7)'", "prints a count (7) the rule does not publish"),
        ("bar 2 from the top, segment 'p1'", HIDES.format(1)),
    ]
