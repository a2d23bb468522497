"""The codebook as plain dicts, and its cross-references with config/config.yaml.

``questionnaire_codebook`` gives each job the codebook of one questionnaire. ``check_references``
runs when the workflow starts.

The JSON schemas check each file's shape; this checks that the names one file uses exist in the
other (a table's questions, a comparison's groups and outcomes, an exclusion's question), so that
a typo stops the run at once with a message naming it, not halfway through with a KeyError.
Plain dicts only: it runs at parse time, where importing pandas would slow every invocation.
"""

from __future__ import annotations

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


def answer_set_problems(codebook: dict) -> list[str]:
    """Answer sets that give two options the same code or the same label (which would silently
    merge two answers)."""
    problems = []
    for name, answer_set in codebook.get("answer_sets", {}).items():
        for key in ("code", "label"):
            values = [option[key] for option in answer_set["options"]]
            for value in dict.fromkeys(v for v in values if values.count(v) > 1):
                problems.append(f"answer set {name!r}: {key} {value!r} given twice")
    return problems


def check_references(config: dict, codebook: dict) -> None:
    """Raise ConfigError listing every name the config uses that the codebook lacks."""
    if repeated := answer_set_problems(codebook):
        raise ConfigError("codebook answer sets are ambiguous:\n  - " + "\n  - ".join(repeated))
    surveys = list(codebook["questionnaires"])
    questions = {survey: set(question_ids(codebook, survey)) for survey in surveys}
    themes = set(codebook.get("themes", {}))
    statement_sets = set(codebook.get("statement_sets", {}))
    problems = []

    def need_survey(where: str, survey: str) -> bool:
        if survey not in questions:
            problems.append(f"{where}: unknown questionnaire {survey!r} (codebook has {surveys})")
            return False
        return True

    for rule in config.get("exclusions", []):
        if rule["rule"] == "answered" and not any(
            rule["question"] in q for q in questions.values()
        ):
            problems.append(
                f"exclusions.{rule['id']}: no questionnaire has question {rule['question']!r}"
            )
    for name, table in config.get("tables", {}).items():
        if need_survey(f"tables.{name}", table["survey"]):
            for question in table["questions"]:
                if question not in questions[table["survey"]]:
                    problems.append(
                        f"tables.{name}: {table['survey']} has no question {question!r}"
                    )
    for name, spec in config.get("comparisons", {}).items():
        compared = spec["surveys"] if spec["by"] == "survey" else [spec["survey"]]
        for survey in compared:
            if not need_survey(f"comparisons.{name}", survey):
                continue
            if spec["by"] != "survey" and spec["by"] not in questions[survey]:
                problems.append(f"comparisons.{name}: {survey} has no question {spec['by']!r}")
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
            "config/config.yaml names things the codebook does not define:\n  - "
            + "\n  - ".join(problems)
        )
