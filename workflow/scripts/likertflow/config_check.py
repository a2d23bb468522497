"""The codebook as plain dicts, and its cross-references with config/config.yaml.

``questionnaire_codebook`` gives each job the codebook of one questionnaire. ``check_references``
runs when the workflow starts.

The JSON schemas check each file's shape; this checks that the names one file uses exist in the
other (a table's questions, a comparison's groups and outcomes, an exclusion's question), so that
a typo stops the run at once with a message naming it, not halfway through with a KeyError.
Plain dicts only: it runs at parse time, where importing pandas would slow every invocation.
"""

from __future__ import annotations

from likertflow.exclusions import RULES

STATEMENTS_PLACEHOLDER = "statements"


def questionnaire_codebook(codebook: dict, survey: str) -> dict:
    """One questionnaire's codebook dict: the shared sections plus that questionnaire's own.

    Jobs get this as their params, so that editing one questionnaire reruns nothing of another.
    """
    shared = {key: value for key, value in codebook.items() if key != "questionnaires"}
    return {**shared, "survey": survey, **codebook["questionnaires"][survey]}


class ConfigError(ValueError):
    """The config names something the codebook does not define."""


def question_ids(codebook: dict, survey: str) -> list[str]:
    """A questionnaire's question ids, statements expanded."""
    ids = []
    for entry in codebook["questionnaires"][survey]["questions"]:
        if entry == STATEMENTS_PLACEHOLDER:
            ids.extend(statement["id"] for statement in codebook.get("statements", []))
        else:
            ids.append(entry["id"])
    return ids


def question_entries(codebook: dict, survey: str) -> dict[str, dict]:
    """A questionnaire's questions by id as plain dicts; a statement's entry names the answer set
    of its statement set (or the codebook's ``statement_answers``)."""
    default = codebook.get("statement_answers", "agreement")
    sets = codebook.get("statement_sets", {})
    entries = {}
    for entry in codebook["questionnaires"][survey]["questions"]:
        if entry != STATEMENTS_PLACEHOLDER:
            entries[entry["id"]] = entry
            continue
        for statement in codebook.get("statements", []):
            answers = sets.get(statement["statement_set"], {}).get("answers", default)
            entries[statement["id"]] = {**statement, "answers": answers}
    return entries


def check_codebook(codebook: dict) -> list[str]:
    """Problems within the codebook that its schema cannot see: duplicate codes, labels or
    export codes in an answer set, answer set ids that do not exist, ``agree`` labels that are
    not on the scale."""
    answer_sets = codebook["answer_sets"]
    problems = []
    for name, spec in answer_sets.items():
        exported = any("export_code" in option for option in spec["options"])
        for key in ("code", "label", "export_code") if exported else ("code", "label"):
            values = [_option_value(option, key) for option in spec["options"]]
            repeated = sorted({str(v) for v in values if values.count(v) > 1})
            if repeated:
                problems.append(f"answer_sets.{name}: {key}s used twice: {', '.join(repeated)}")
        on_scale = [o["label"] for o in spec["options"] if not o.get("off_scale", False)]
        for label in spec.get("agree", []):
            if label not in on_scale:
                problems.append(
                    f"answer_sets.{name}.agree: {label!r} is not an on-scale answer ({on_scale})"
                )
    for survey in codebook["questionnaires"]:
        for question_id, entry in question_entries(codebook, survey).items():
            answers = entry.get("answers")
            if answers is not None and answers not in answer_sets:
                problems.append(
                    f"questionnaires.{survey}: question {question_id!r} names unknown answer set "
                    f"{answers!r} (codebook has {sorted(answer_sets)})"
                )
            if (
                answers in answer_sets
                and entry.get("reverse")
                and not answer_sets[answers].get("ordinal", False)
            ):
                problems.append(
                    f"statements: {question_id!r} is reverse-keyed but its answer set "
                    f"{answers!r} is not ordinal"
                )
        problems.extend(_skip_logic_problems(codebook, survey))
    return problems


def _option_value(option: dict, key: str) -> object:
    """An option's code, label or export code (its ``code`` as text unless given)."""
    if key == "export_code":
        return str(option.get("export_code", option["code"]))
    return option[key]


def _skip_logic_problems(codebook: dict, survey: str) -> list[str]:
    """``asked_if`` conditions must name labelled questions of the questionnaire, and labels."""
    entries = question_entries(codebook, survey)
    problems = []
    for question_id, entry in entries.items():
        for column in entry.get("columns") or []:
            for condition, labels in (column.get("asked_if") or {}).items():
                where = f"questionnaires.{survey}: {question_id!r} asked_if {condition!r}"
                target = entries.get(condition)
                if target is None:
                    problems.append(f"{where}: no such question")
                elif target.get("type") == "numeric":
                    problems.append(f"{where}: a numeric question has no labels to condition on")
                elif target.get("answers") in codebook["answer_sets"]:
                    options = codebook["answer_sets"][target["answers"]]["options"]
                    known = [str(o["label"]) for o in options]
                    problems.extend(
                        f"{where}: {label!r} is not one of its answers ({known})"
                        for label in labels
                        if str(label) not in known
                    )
    return problems


def check_references(config: dict, codebook: dict) -> None:
    """Raise ConfigError listing every name the config uses that the codebook lacks."""
    surveys = list(codebook["questionnaires"])
    problems = check_codebook(codebook)
    if problems:
        raise ConfigError("the codebook is inconsistent:\n  - " + "\n  - ".join(problems))
    entries = {survey: question_entries(codebook, survey) for survey in surveys}
    questions = {survey: set(entries[survey]) for survey in surveys}
    bands = config.get("bands", {})
    themes = set(codebook.get("themes", {}))
    statement_sets = set(codebook.get("statement_sets", {}))
    problems = []

    def need_survey(where: str, survey: str) -> bool:
        if survey not in questions:
            problems.append(f"{where}: unknown questionnaire {survey!r} (codebook has {surveys})")
            return False
        return True

    def labels_of(survey: str, question: str) -> list[str] | None:
        """A question's answer labels (its band labels if numeric); None: numeric, unbanded."""
        entry = entries[survey][question]
        if entry.get("type") == "numeric":
            return [band["label"] for band in bands[question]] if question in bands else None
        return [str(o["label"]) for o in codebook["answer_sets"][entry["answers"]]["options"]]

    for rule in config.get("exclusions", []):
        problems.extend(RULES[rule["rule"]].check(rule, entries, codebook["answer_sets"]))
    for question, spec in bands.items():
        numeric = [s for s in surveys if entries[s].get(question, {}).get("type") == "numeric"]
        if not numeric:
            problems.append(
                f"bands.{question}: no questionnaire has a numeric question {question!r}"
            )
        starts = [band["from"] for band in spec]
        if starts != sorted(set(starts)):
            problems.append(f"bands.{question}: `from` must increase from band to band ({starts})")
        labels = [band["label"] for band in spec]
        if len(set(labels)) < len(labels):
            problems.append(f"bands.{question}: a label is used twice ({labels})")
    for name, table in config.get("tables", {}).items():
        if need_survey(f"tables.{name}", table["survey"]):
            for question in table["questions"]:
                if question not in questions[table["survey"]]:
                    problems.append(
                        f"tables.{name}: {table['survey']} has no question {question!r}"
                    )
                elif labels_of(table["survey"], question) is None:
                    problems.append(
                        f"tables.{name}: question {question!r} is numeric; give it `bands` in "
                        "config to tabulate it"
                    )
    for name, spec in config.get("comparisons", {}).items():
        compared = spec["surveys"] if spec["by"] == "survey" else [spec["survey"]]
        for survey in compared:
            if not need_survey(f"comparisons.{name}", survey):
                continue
            if spec["by"] != "survey" and spec["by"] not in questions[survey]:
                problems.append(f"comparisons.{name}: {survey} has no question {spec['by']!r}")
            elif spec["by"] != "survey":
                labels = labels_of(survey, spec["by"])
                if labels is None:
                    problems.append(
                        f"comparisons.{name}: groups by numeric question {spec['by']!r}; give "
                        "it `bands` in config"
                    )
                for label in spec.get("omit", []) if labels is not None else []:
                    if label not in labels:
                        problems.append(
                            f"comparisons.{name}: omit label {label!r} is not an answer of "
                            f"{spec['by']!r} (answers: {labels})"
                        )
            for outcome in spec["outcomes"]:
                if outcome not in themes and outcome not in questions[survey]:
                    problems.append(
                        f"comparisons.{name}: outcome {outcome!r} is neither a theme nor a "
                        f"question of {survey}"
                    )
            for covariate in spec.get("adjust_for", []):
                if covariate not in questions[survey]:
                    problems.append(
                        f"comparisons.{name}: adjust_for {covariate!r} is not a question "
                        f"of {survey}"
                    )
    for name, figure in config.get("likert_figures", {}).items():
        need_survey(f"likert_figures.{name}", figure["survey"])
        if figure["statement_set"] not in statement_sets:
            problems.append(
                f"likert_figures.{name}: unknown statement set {figure['statement_set']!r}"
            )
        elif not any(
            statement["statement_set"] == figure["statement_set"]
            for statement in codebook.get("statements", [])
        ):
            problems.append(
                f"likert_figures.{name}: statement set {figure['statement_set']!r} has no "
                "statements to plot"
            )
    if problems:
        raise ConfigError(
            "the config names things the codebook does not define:\n  - " + "\n  - ".join(problems)
        )
