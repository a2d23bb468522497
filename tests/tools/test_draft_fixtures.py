"""The first hour with a real export (issue 20): drafts of exports in each platform's layout and
each family of scales that real exports broke the old draft on, built here by the platforms' own
fixture writers (likertflow.platforms, tests/support/platformkit.py).

On every fixture the draft validates as written and ingests the export it was drafted from;
every ordered set is in the scale's order (points nobody chose filled in) or is marked
``ordinal: false`` with a TODO; every grid is one statement set; ids are the export's own names
where it has them; and the draft's exclusion rules keep at least 90 % of the responses, or the
draft says why not. Each fixture also checks what its family is about (the bipolar scale's order,
the off-scale "Unfamiliar (N/A)", the ranking question drafted as no statements, ...).
"""

from __future__ import annotations

import copy

import jsonschema
import numpy as np
import pandas as pd
import pytest
import yaml
from likertflow.codebook import check_codebook, parse_questionnaire, questionnaire_codebook
from likertflow.ingest import ingest
from likertflow.platforms.base import Unanalysed
from likertflow_tools.draft import draft
from likertflow_tools.ids import id_from_name
from likertflow_tools.preview import draft_exclusions, preview_exclusions
from support import exportkit, filled, platformkit

SCHEMA = yaml.safe_load(
    (exportkit.REPO / "workflow/schemas/codebook.schema.yaml").read_text(encoding="utf-8")
)
TIMES = "%Y-%m-%d %H:%M:%S"
SURVEY = "s"

BIPOLAR_7 = ["Extremely dissatisfied", "Moderately dissatisfied", "Slightly dissatisfied",
             "Neither satisfied nor dissatisfied", "Slightly satisfied", "Moderately satisfied",
             "Extremely satisfied"]  # fmt: skip
FAVOURABILITY = ["Very unfavorably", "Somewhat unfavorably",
                 "Neither favorably nor unfavorably (neutral)", "Somewhat favorably",
                 "Very favorably"]  # fmt: skip
SPENDING = ["Too little", "About right", "Too much"]
INCOME = ["$0 - $24,999", "$25,000 - $49,999", "$50,000 - $99,999", "$100,000 - $149,999",
          "$150,000 or more"]  # fmt: skip
LIKELY = ["0 - Not at all likely", *map(str, range(1, 10)), "10 - Extremely likely"]
AGREEMENT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
             "Strongly agree"]  # fmt: skip
FREQUENCY = ["Never", "Rarely", "Sometimes", "Often", "Always"]
CRUST = ["Flaky", "Chewy", "Crisp", "Soggy"]  # a scale no catalogue knows
FILMS = ["The Phantom Menace", "Attack of the Clones", "Revenge of the Sith", "A New Hope",
         "The Empire Strikes Back", "Return of the Jedi"]  # fmt: skip


def options(labels, off=(), codes=None, exported=None):
    """Answer-set options: ``labels`` on the scale (low to high), ``off`` off it."""
    codes = codes or list(range(1, len(labels) + len(off) + 1))
    found = [{"label": label, "code": code} for label, code in zip(labels, codes, strict=False)]
    found += [
        {"label": label, "code": 90 + i, "off_scale": True} for i, label in enumerate(off, 1)
    ]
    for option, export_code in zip(found, exported or (), strict=False):
        option["export_code"] = export_code
    return found


def codebook(answer_sets, questions, grids=(), export=None):
    """A one-questionnaire codebook: ``answer_sets`` {name: (ordinal, options)}, ``questions``
    [(id, text, answers)], ``grids`` [(set id, stem, answers, rows)] placed first."""
    book = {
        "answer_sets": {
            name: {"ordinal": ordinal, "options": found}
            for name, (ordinal, found) in answer_sets.items()
        },
        "questionnaires": {
            SURVEY: {
                "export": export
                or {"response_id": "Response ID", "started": "Start", "completed": "End",
                    "timestamp_format": TIMES},  # fmt: skip
                "questions": [],
            }
        },
    }
    if grids:
        book["statement_sets"] = {set_id: {"label": stem} for set_id, stem, _, _ in grids}
        book["statement_stems"] = {set_id: stem for set_id, stem, _, _ in grids}
        book["statement_answers"] = grids[0][2]
        for set_id, _, answers, _ in grids[1:]:
            book["statement_sets"][set_id]["answers"] = answers
        book["statements"] = [
            {"id": f"{set_id}_{i}", "statement_set": set_id, "wording": row}
            for set_id, _, _, rows in grids
            for i, row in enumerate(rows, 1)
        ]
        book["questionnaires"][SURVEY]["questions"].append("statements")
    book["questionnaires"][SURVEY]["questions"] += [
        {"id": qid, "text": text, "answers": answers} for qid, text, answers in questions
    ]
    return book


def write(book, layout, tmp_path, n=80, seed=1, extra=None, edit=None, **writing):
    """The export of ``n`` random respondents to ``book``, laid out by the platform's fixture
    writer ``layout`` (``edit``: a change to the answers first, e.g. a ranking's ranks)."""
    q = parse_questionnaire(questionnaire_codebook(filled.codebook(book), SURVEY))
    answers = exportkit.random_answers(q, n, seed=seed, start="2019-12-10 09:00:00")
    if edit is not None:
        answers = edit(q, answers)
    frame = exportkit.export_frame(q, answers)
    built = platformkit.BUILDERS[layout](q, frame, extra or Unanalysed())
    extension = writing.pop("extension", platformkit.EXTENSION[layout])
    path = platformkit.write(built, tmp_path / f"export{extension}", **writing)
    return path, built


def drafted(path, reading):
    result = draft(path, reading, SURVEY)
    return result, result.codebook, result.todos


def check_draft(path, reading, book, built, result):
    """What holds on every fixture."""
    codebook, todos = result.codebook, result.todos
    # Valid as written, and the export it was drafted from ingests with it.
    jsonschema.validate(codebook, SCHEMA)
    assert check_codebook(filled.codebook(codebook)) == []
    timed = filled.codebook(codebook)  # as the workflow reads it
    questionnaire = parse_questionnaire(questionnaire_codebook(timed, SURVEY))
    coded, _ = ingest(str(path), questionnaire, "b")
    assert len(coded) == len(result.table.data)
    # Every ordered set in the scale's order, or unordered with a TODO naming it.
    truth = {
        name: [o["label"].casefold() for o in spec["options"] if not o.get("off_scale")]
        for name, spec in book["answer_sets"].items()
        if spec["ordinal"]
    }
    for name, spec in codebook["answer_sets"].items():
        on = [o["label"].casefold() for o in spec["options"] if not o.get("off_scale")]
        if spec["ordinal"]:
            known = next((t for t in truth.values() if set(t) <= set(on)), None)
            assert known is not None, f"{name}: {on} drafted ordinal, but no such scale"
            assert [label for label in on if label in known] == known, f"{name}: order {on}"
        elif any(set(t) <= set(on) for t in truth.values()):
            assert any(f"answer set {name!r}" in todo and "ordinal" in todo for todo in todos)
    # Every grid is one statement set, its rows the statements in order.
    grids = {
        book["statement_stems"][s]: [st["wording"] for st in book["statements"]
                                     if st["statement_set"] == s]
        for s in book.get("statement_sets", {})
    }  # fmt: skip
    rated = {
        codebook["statement_stems"][s]: [st["wording"] for st in codebook["statements"]
                                         if st["statement_set"] == s]
        for s in codebook.get("statement_sets", {})
    }  # fmt: skip
    assert rated == {stem: rows for stem, rows in grids.items() if stem in rated}
    # Ids are the export's own names where it has them.
    if built.ids:
        name_of = built.ids
        drafted_ids = {
            entry.get("columns", [{"column": entry.get("text")}])[0]["column"]: entry["id"]
            for entry in codebook["questionnaires"][SURVEY]["questions"]
            if isinstance(entry, dict)
        }
        columns = codebook["questionnaires"][SURVEY]["export"].get("statement_columns", {})
        for statement in codebook.get("statements", []):
            stem = codebook["statement_stems"][statement["statement_set"]]
            key = columns.get(statement["id"], f"{stem} - {statement['wording']}")
            drafted_ids[key] = statement["id"]
        by_key = {k: v for k, v in name_of.items()} | {v: v for v in name_of.values()}
        for key, question_id in drafted_ids.items():
            assert question_id.startswith(id_from_name(by_key[key])), (key, question_id)
    # The draft's exclusion rules keep at least 90 % of the responses, or say why not.
    rules = draft_exclusions([codebook])
    preview = preview_exclusions(path, codebook, SURVEY, rules)
    assert preview.problem is None, preview.problem
    assert preview.kept >= 0.9 * preview.rows or preview.warnings(0.1)
    return coded


def statements_of(codebook, stem):
    set_id = next(s for s, found in codebook["statement_stems"].items() if found == stem)
    return [s for s in codebook["statements"] if s["statement_set"] == set_id]


def labels(codebook, name, on_scale=True):
    return [o["label"] for o in codebook["answer_sets"][name]["options"]
            if not o.get("off_scale") or not on_scale]  # fmt: skip


def answers_of(codebook, question_text):
    entry = next(q for q in codebook["questionnaires"][SURVEY]["questions"]
                 if isinstance(q, dict) and q["text"] == question_text)  # fmt: skip
    return entry["answers"]


# --- Qualtrics: a bipolar 7-point grid, a 0-10 scale with unseen points, income bands --------


def test_qualtrics_bipolar_grid_numbered_0_to_10_and_income_bands(tmp_path):
    seen = [LIKELY[i] for i in (0, 3, 5, 7, 8, 9, 10)]  # nobody chose 1, 2, 4 or 6
    book = codebook(
        {
            "satisfaction": (True, options(BIPOLAR_7)),
            "likely": (True, options(seen, codes=[0, 3, 5, 7, 8, 9, 10])),
            "income": (True, options(INCOME, off=["Prefer not to answer"])),
        },
        [("recommend", "How likely are you to recommend the clinic?", "likely"),
         ("income", "What is your household income?", "income")],  # fmt: skip
        [("service", "How satisfied are you with", "satisfaction",
          ["the waiting time", "the staff", "the information you were given"])],  # fmt: skip
    )
    path, built = write(book, "qualtrics", tmp_path)
    result, codebook_, todos = drafted(path, {"format": "qualtrics"})
    check_draft(path, {"format": "qualtrics"}, book, built, result)
    grid = codebook_["statement_answers"]
    assert labels(codebook_, grid) == BIPOLAR_7
    assert codebook_["answer_sets"][grid]["poles"] == {"low": "dissatisfied", "high": "satisfied"}
    likely = answers_of(codebook_, "How likely are you to recommend the clinic?")
    assert labels(codebook_, likely) == LIKELY  # 1, 2, 4 and 6 filled in
    assert [o["code"] for o in codebook_["answer_sets"][likely]["options"]] == list(range(11))
    income = answers_of(codebook_, "What is your household income?")
    assert labels(codebook_, income) == INCOME  # by their numbers, not alphabetically
    assert labels(codebook_, income, on_scale=False)[-1] == "Prefer not to answer"


# --- SurveyMonkey: favourability with "Unfamiliar (N/A)", too little / about right / too much ---


def test_surveymonkey_favourability_and_spending_grids(tmp_path):
    chosen = [label for label in FAVOURABILITY if label != "Somewhat unfavorably"]
    book = codebook(
        {
            "favour": (True, options(chosen, off=["Unfamiliar (N/A)"])),
            "spending": (True, options(SPENDING, off=["Don't know"])),
        },
        [],
        [
            ("characters", "Please state whether you view the following characters favorably, "
             "unfavorably, or are unfamiliar with him/her.", "favour",
             ["Han Solo", "Luke Skywalker", "Jar Jar Binks", "Padme Amidala"]),
            ("programs", "Are we spending too much, too little, or about the right amount on",
             "spending", ["Space exploration", "The environment", "Health", "Big cities",
                          "Crime", "Education"]),
        ],
    )  # fmt: skip
    path, built = write(book, "surveymonkey", tmp_path)
    reading = {"format": "surveymonkey"}
    result, codebook_, todos = drafted(path, reading)
    check_draft(path, reading, book, built, result)
    favour = codebook_["statement_answers"]
    assert labels(codebook_, favour) == FAVOURABILITY  # "Somewhat unfavorably" filled in
    assert labels(codebook_, favour, on_scale=False)[-1] == "Unfamiliar (N/A)"
    assert codebook_["answer_sets"][favour]["options"][-1]["off_scale"] is True
    spending = next(s["answers"] for s in codebook_["statement_sets"].values() if "answers" in s)
    assert labels(codebook_, spending) == SPENDING
    assert codebook_["answer_sets"][spending]["poles"] == {"low": "too little", "high": "too much"}


# --- Grids on a scale nobody knows, "stem: row" headers, a ranking question ------------------


def test_a_stem_dash_row_grid_on_an_unknown_scale_is_one_unordered_statement_set(tmp_path):
    rows = ["the crust", "the base", "the edge", "the middle", "the topping"]
    book = codebook(
        {"crust": (False, options(CRUST))},
        [],
        [("pie", "How would you describe", "crust", rows)],
    )
    path, built = write(book, "qualtrics", tmp_path)
    result, codebook_, todos = drafted(path, {"format": "qualtrics"})
    check_draft(path, {"format": "qualtrics"}, book, built, result)
    [set_id] = codebook_["statement_sets"]
    assert [s["wording"] for s in codebook_["statements"]] == rows  # one set, not 5 questions
    answers = codebook_["answer_sets"][codebook_["statement_answers"]]
    assert answers["ordinal"] is False
    assert any("match no known scale" in todo for todo in todos)


def test_a_stem_colon_row_grid_is_one_statement_set(tmp_path):
    # Plain CSV headers "Rate each service: Parking": no platform's matrix separator.
    services = ["Parking", "Food", "Wi-Fi"]
    book = codebook(
        {"agreement": (True, options(AGREEMENT))},
        [],
        [("services", "Rate each service", "agreement", services)],
    )
    frame_book = copy.deepcopy(book)
    path, built = write(frame_book, "csv", tmp_path, edit=None)
    text = path.read_text(encoding="utf-8").replace("Rate each service - ", "Rate each service: ")
    path.write_text(text, encoding="utf-8")
    result, codebook_, todos = drafted(path, {})
    assert statements_of(codebook_, "Rate each service")
    assert [s["wording"] for s in codebook_["statements"]] == services
    assert codebook_["questionnaires"][SURVEY]["export"]["statement_columns"] == {
        s["id"]: f"Rate each service: {s['wording']}" for s in codebook_["statements"]
    }
    book["questionnaires"][SURVEY]["export"]["statement_columns"] = {}
    check_draft(path, {}, book, built, result)
    assert labels(codebook_, codebook_["statement_answers"]) == AGREEMENT


def _ranked(q, answers):
    """Each respondent ranks the films 1..6 (a permutation), as a ranking question records."""
    rng = np.random.default_rng(4)
    ranks = np.array([rng.permutation(len(FILMS)) + 1 for _ in range(len(answers))])
    for j, question in enumerate(q.statements()):
        answers[question.id] = pd.Series(ranks[:, j].astype(str), dtype="str")
    return answers


def test_a_ranking_question_is_never_drafted_as_rated_statements(tmp_path):
    ranks = [str(rank) for rank in range(1, len(FILMS) + 1)]
    stem = "Please rank the Star Wars films from your favorite (1) to your least favorite (6)"
    book = codebook(
        {"ranks": (True, options(ranks, codes=list(range(1, 7))))},
        [],
        [("films", stem, "ranks", FILMS)],
    )
    path, built = write(book, "qualtrics", tmp_path, edit=_ranked)
    result, codebook_, todos = drafted(path, {"format": "qualtrics"})
    assert "statements" not in codebook_ and "statement_sets" not in codebook_
    questions = [q for q in codebook_["questionnaires"][SURVEY]["questions"]]
    assert [q["text"] for q in questions] == [f"{stem} - {film}" for film in FILMS]
    assert any("is a ranking question" in todo for todo in todos)
    del book["statement_sets"]  # a ranking question is no grid of rated statements
    check_draft(path, {"format": "qualtrics"}, book | {"statement_stems": {}}, built, result)


# --- SPSS: one set coded high to low, another low to high, in one file ----------------------


def test_spss_sets_coded_high_to_low_and_low_to_high_in_one_file(tmp_path):
    book = codebook(
        {
            # Strongly agree = 1 ... Strongly disagree = 5, as in the SAQ file
            "agree_reversed": (True, options(AGREEMENT, codes=[5, 4, 3, 2, 1])),
            "frequency": (True, options(FREQUENCY)),
        },
        [("often", "How often do you exercise?", "frequency")],
        [("trust", "Thinking of your doctor", "agree_reversed",
          ["I trust my doctor", "My doctor listens to me", "My doctor explains things"])],
    )  # fmt: skip
    path, built = write(book, "spss", tmp_path)
    reading = {"format": "spss", "match": "id"}
    result, codebook_, todos = drafted(path, reading)
    coded = check_draft(path, reading, book, built, result)
    agree = codebook_["statement_answers"]
    assert labels(codebook_, agree) == AGREEMENT  # low to high, whatever the file's codes
    assert [o.get("export_code") for o in codebook_["answer_sets"][agree]["options"]] == [
        "5", "4", None, "2", "1"
    ]
    assert any("high to low" in todo for todo in todos)
    often = answers_of(codebook_, "How often do you exercise?")
    assert labels(codebook_, often) == FREQUENCY
    # Ingested with the draft, "Strongly agree" is the highest code of its statement.
    first = codebook_["statements"][0]["id"]
    assert set(coded[first].dropna()) <= {1, 2, 3, 4, 5}
    assert [s["id"] for s in codebook_["statements"]] == [
        id_from_name(built.ids[f"Thinking of your doctor - {row}"])
        for row in ["I trust my doctor", "My doctor listens to me", "My doctor explains things"]
    ]


# --- Google Forms, as TSV, with its timestamps ----------------------------------------------


def _google_time(text: str) -> str:
    """Google Forms' "12/13/2019 9:50:30": month first, no leading zeros."""
    stamp = pd.Timestamp(text)
    return f"{stamp.month}/{stamp.day}/{stamp.year} {stamp.hour}:{stamp:%M:%S}"


def test_google_forms_tsv_with_its_timestamps(tmp_path):
    symptoms = ["Fatigue", "Headache", "Nausea"]
    book = codebook(
        {"frequency": (True, options(FREQUENCY))},
        [],
        [("symptoms", "Symptom Assessment", "frequency", symptoms)],
        export={"response_id": "Response ID", "started": "Start", "completed": "Timestamp",
                "timestamp_format": TIMES},  # fmt: skip
    )
    book["statements"] = [dict(s) for s in book["statements"]]

    def forms(q, answers):
        answers["completed"] = answers["completed"].map(_google_time, na_action="ignore")
        return answers

    path, built = write(book, "csv", tmp_path, edit=forms, delimiter="\t", extension=".tsv")
    text = path.read_text(encoding="utf-8")
    for symptom in symptoms:  # Google Forms' grid headers: "<question> [<row>]"
        text = text.replace(f"Symptom Assessment - {symptom}", f"Symptom Assessment [{symptom}]")
    lines = [line.split("\t") for line in text.splitlines()]
    drop = [lines[0].index("Response ID"), lines[0].index("Start")]  # Forms writes neither
    kept = ["\t".join(c for i, c in enumerate(line) if i not in drop) for line in lines]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    reading = {"delimiter": "\t"}
    result, codebook_, todos = drafted(path, reading)
    export = codebook_["questionnaires"][SURVEY]["export"]
    assert export["completed"] == "Timestamp"
    assert export["timestamp_format"] == "%m/%d/%Y %H:%M:%S"
    assert [s["wording"] for s in codebook_["statements"]] == symptoms
    book["questionnaires"][SURVEY]["export"] = export
    check_draft(path, reading, book, built, result)


# --- Qualtrics: Status preview rows; colour codes above 32,767 -------------------------------


def _marks(n, previews, values):
    marks = [values[0]] * n
    for row in previews:
        marks[row] = values[1]
    return pd.Series(marks, dtype="str")


def test_qualtrics_status_preview_rows_are_proposed_for_exclusion(tmp_path):
    n, previews = 60, [0, 1, 2]
    extra = Unanalysed(
        status=_marks(n, previews, ("IP Address", "Survey Preview")),
        channel=_marks(n, previews, ("anonymous", "preview")),
    )
    book = codebook(
        {"agreement": (True, options(AGREEMENT))},
        [("trust", "I trust the clinic", "agreement")],
    )
    path, built = write(book, "qualtrics", tmp_path, n=n, extra=extra)
    result, codebook_, todos = drafted(path, {"format": "qualtrics"})
    export = codebook_["questionnaires"][SURVEY]["export"]
    assert export["test_responses"] == {
        "Response Type": ["Survey Preview", "Survey Test", "Spam", "Survey Preview Spam"],
        "Distribution Channel": ["preview", "test"],
    }
    texts = [q["text"] for q in codebook_["questionnaires"][SURVEY]["questions"]]
    assert "Response Type" not in texts  # not declared as a question
    rules = draft_exclusions([codebook_])
    assert rules[0]["rule"] == "platform_test"
    preview = preview_exclusions(path, codebook_, SURVEY, rules)
    assert preview.counts[0].excluded == len(previews)
    assert preview.counts[0].columns == (("Response Type", len(previews)),)
    check_draft(path, {"format": "qualtrics"}, book, built, result)


def test_qualtrics_codes_above_32767_make_a_valid_draft(tmp_path):
    # Qualtrics numeric values with recode values such as colours (0xFF0000 = 16711680).
    colours = ["Red", "Green", "Blue"]
    book = codebook(
        {"colour": (False, options(colours, exported=["16711680", "65280", "255"]))},
        [("colour", "Which colour do you like best?", "colour")],
    )
    n, previews = 40, [5]
    extra = Unanalysed(status=_marks(n, previews, ("0", "1")))
    path, built = write(book, "qualtrics_numeric", tmp_path, n=n, extra=extra)
    reading = {"format": "qualtrics", "values": "codes"}
    result, codebook_, todos = drafted(path, reading)
    jsonschema.validate(codebook_, SCHEMA)  # the old draft wrote code: 16711680
    [answers] = [s for s in codebook_["answer_sets"].values()]
    codes = {o["export_code"]: o["code"] for o in answers["options"]}
    assert codes == {"255": 1, "65280": 2, "16711680": 3}
    assert any("-32768 to 32767" in todo for todo in todos)
    assert codebook_["questionnaires"][SURVEY]["export"]["test_responses"] == {
        "Response Type": ["1", "2", "8", "9"]
    }
    coded = check_draft(path, reading, {"answer_sets": {}}, built, result)
    colour = next(q["id"] for q in codebook_["questionnaires"][SURVEY]["questions"])
    assert set(coded[colour].dropna()) <= {1, 2, 3}


@pytest.mark.parametrize("layout", ["qualtrics", "qualtrics_2016", "limesurvey", "redcap"])
def test_ids_are_the_exports_own_names(layout, tmp_path):
    # Qualtrics export tags (Q3), LimeSurvey codes (benefits[SQ001]), REDCap field names: the
    # ids of the draft are theirs, never slugs of the question text.
    path, reading = platformkit.random_export(layout, tmp_path)
    result = draft(path, reading, SURVEY)
    names = {id_from_name(name) for name in result.table.ids}
    codebook_ = result.codebook
    ids = [q["id"] for q in codebook_["questionnaires"][SURVEY]["questions"]
           if isinstance(q, dict)] + [s["id"] for s in codebook_.get("statements", [])]  # fmt: skip
    assert ids and set(ids) <= names
