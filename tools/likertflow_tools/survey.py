"""A survey in a folder of its own: config, codebook, raw exports, results and logs together, run
with the installed workflow, which is never copied or edited.

    likertflow init ~/surveys/mysurvey
    likertflow draft EXPORT --format qualtrics --survey patients --into ~/surveys/mysurvey

A survey folder::

    config/config.yaml      the analysis (a starter written by the draft)
    config/codebook.yaml    the instrument (the draft); more questionnaires are added to it
    raw/<survey>/           the exports, one file per batch (the draft copies its export here)
    workflow/Snakefile      the workflow used as a Snakemake module, as `snakedeploy
                            deploy-workflow` sets a deployment up, pointing at this installation
    results/, logs/         what a run writes

``cd ~/surveys/mysurvey && snakemake --cores 4`` runs it (Snakemake finds workflow/Snakefile);
``snakemake --snakefile <clone>/Snakefile --directory ~/surveys/mysurvey`` is the same run
without the module file.

What the draft writes it marks with a fingerprint line: a file still as drafted may be rewritten
when another questionnaire is drafted into the folder (its TODO comments kept); one edited since
is never overwritten, unless ``--force`` (then a copy is kept beside it as ``.bak``).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import shutil
import sys
from pathlib import Path

import yaml
from likertflow.schemas import read_yaml

from likertflow_tools import draft as drafting
from likertflow_tools import preview

WORKFLOW = Path(__file__).resolve().parents[2]  # the installed workflow (a clone): Snakefile
SNAKEFILE = WORKFLOW / "Snakefile"
RAW = "raw/{survey}/{batch}.{ext}"
FINGERPRINT = "# likertflow draft fingerprint:"


class SurveyFolderError(Exception):
    """A survey folder cannot be written as asked."""


def refuse_to_overwrite(path: Path, force: bool) -> None:
    """A file the command would replace: refused unless ``--force``, and always where it is one
    of the workflow's own files (the shipped study's config and codebook)."""
    resolved = path.expanduser().resolve()
    shipped = (WORKFLOW / "config", WORKFLOW / "workflow")
    if resolved.exists() and any(resolved.is_relative_to(folder) for folder in shipped):
        raise SurveyFolderError(
            f"{path} is the workflow's own file (the shipped example): draft into a survey folder "
            "of your own, e.g. --into ~/surveys/mysurvey"
        )
    if resolved.exists() and not force:
        raise SurveyFolderError(f"{path} exists: give another path, or --force to replace it")


def folder(path: str) -> Path:
    """A survey folder: anywhere but the workflow's own clone."""
    where = Path(path).expanduser()
    resolved = where.resolve()
    if (
        resolved == WORKFLOW
        or WORKFLOW.is_relative_to(resolved)
        or resolved.is_relative_to(WORKFLOW / "config")
        or resolved.is_relative_to(WORKFLOW / "workflow")
    ):
        raise SurveyFolderError(
            f"{path} is the workflow's own folder: keep each survey in a folder of its own "
            "(e.g. ~/surveys/mysurvey), so that the workflow is never edited"
        )
    return where


# --- init ----------------------------------------------------------------------------------------

MODULE_SNAKEFILE = """\
# The likertflow workflow, run on this survey folder as a Snakemake module: the form
# `snakedeploy deploy-workflow` writes, pointing at the installed workflow (written by
# `likertflow init`). Run `snakemake --cores 4` in this folder; results/ and logs/ are written
# here, the workflow itself is never copied or edited.
from snakemake.utils import min_version

min_version("{version}")


# A YAML mistake in config/config.yaml is reported with its line and column.
include: "{preflight}"


configfile: "config/config.yaml"


module likertflow:
    snakefile:
        "{snakefile}"
    config:
        config


use rule * from likertflow
"""


def module_snakefile() -> str:
    """workflow/Snakefile of a survey folder, for this installation."""
    version = "9.27.1"
    for line in SNAKEFILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("min_version("):
            version = line.split('"')[1]
    return MODULE_SNAKEFILE.format(
        version=version,
        preflight=WORKFLOW / "workflow" / "rules" / "preflight.smk",
        snakefile=SNAKEFILE,
    )


def init(where: Path) -> list[str]:
    """The folders of a survey folder and its workflow/Snakefile; what was made."""
    made = []
    for sub in ("config", "raw"):
        if not (where / sub).is_dir():
            (where / sub).mkdir(parents=True, exist_ok=True)
            made.append(f"{where / sub}/")
    snakefile = where / "workflow" / "Snakefile"
    if not snakefile.exists():
        snakefile.parent.mkdir(parents=True, exist_ok=True)
        snakefile.write_text(module_snakefile(), encoding="utf-8")
        made.append(str(snakefile))
    return made


# --- fingerprints -------------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprinted(text: str) -> str:
    """A drafted file's text with its fingerprint as the last line."""
    return f"{text.rstrip()}\n{FINGERPRINT} {_digest(text.rstrip())}\n"


def untouched(path: Path) -> bool:
    """Whether a drafted file is as the draft wrote it."""
    text = path.read_text(encoding="utf-8").rstrip()
    body, _, last = text.rpartition("\n")
    return last.startswith(FINGERPRINT) and last.split()[-1] == _digest(body.rstrip())


def _replace(path: Path, text: str, force: bool) -> None:
    """Write a drafted file, keeping a copy of one edited since it was drafted (with --force)."""
    if path.exists() and not untouched(path):
        if not force:
            raise SurveyFolderError(
                f"{path} was edited since it was drafted: the draft leaves it as it is (use "
                "--force to rewrite it; a copy is kept as .bak)"
            )
        shutil.copy2(path, path.with_name(path.name + ".bak"))
    path.write_text(fingerprinted(text), encoding="utf-8")


# --- draft --into ---------------------------------------------------------------------------------


def draft_into(args: argparse.Namespace, export: dict) -> int:
    """``likertflow draft EXPORT --into FOLDER``: the export copied to raw/<survey>/, the
    questionnaire drafted into config/codebook.yaml (added to the questionnaires there), a
    starter config/config.yaml, and what the exclusion rules would drop, printed and written as
    comments."""
    where = folder(args.into)
    survey = args.survey
    made = init(where)
    raw = where / "raw" / survey
    raw.mkdir(parents=True, exist_ok=True)
    source = Path(args.export)
    copied = raw / source.name
    if not copied.exists():
        shutil.copy2(source, copied)
        made.append(str(copied))
    if export.get("data_dictionary"):  # REDCap: beside the config, not among the batches
        dictionary = where / "config" / f"{survey}.data_dictionary.csv"
        if not dictionary.exists():
            shutil.copy2(export["data_dictionary"], dictionary)
            made.append(str(dictionary))
        export = {**export, "data_dictionary": f"config/{survey}.data_dictionary.csv"}
    drafted = drafting.draft(copied, _readable(export, where), survey)
    drafted.codebook["questionnaires"][survey]["export"] = {
        **drafted.codebook["questionnaires"][survey]["export"],
        **_kept(export),
    }
    codebook_path = where / "config" / "codebook.yaml"
    header: list[str] = []
    earlier: list[str] = []  # what the rules dropped on the exports drafted before
    designs: dict[str, list[str]] = {}  # the design comments of questionnaires drafted before
    codebook = drafted.codebook
    if codebook_path.exists():
        existing = read_yaml(codebook_path)
        if survey in existing.get("questionnaires", {}) and not args.force:
            raise SurveyFolderError(
                f"{codebook_path} has a questionnaire {survey!r} already: give another --survey, "
                "or --force to draft it again"
            )
        header, earlier = _header(codebook_path)
        designs = design_comments(codebook_path, list(existing["questionnaires"]))
        existing["questionnaires"].pop(survey, None)
        codebook, merged = merge(existing, drafted.codebook, survey)
        statements = bool(existing.get("statements"))
        drafted.todos[:] = settled([*drafted.todos, *merged], codebook, survey, statements)
    codebooks = [codebook]
    rules = preview.draft_exclusions(codebooks)
    config_path = where / "config" / "config.yaml"
    if config_path.exists() and not untouched(config_path):
        config = read_yaml(config_path)
        rules = config.get("exclusions", rules)
    else:
        config = None
    lines, more = preview.exclusion_notes(copied, codebook_with(codebook, where), survey, rules)
    drafted.todos.extend(more)
    todos = [*header, *(f"{survey}: {todo}" for todo in drafted.todos)]
    notes = [*earlier, *lines]
    designs[survey] = drafted.design.yaml_lines(drafting.DESIGN_INDENT)
    text = drafting.to_yaml(codebook, todos, ", ".join(_sources(codebook)), notes, designs)
    _replace(codebook_path, text, args.force or not codebook_path.exists())
    if config is None:
        _replace(config_path, starter_config(codebook, rules, notes), True)
        written = "written"
    else:
        written = "left as it is (edited since it was drafted): add the new questionnaire's "
        written += "tables and figures to it"
    for line in made:
        print(f"made {line}", file=sys.stderr)
    count = len(drafted.todos)
    print(f"{codebook_path}: draft codebook, {count} TODO(s) for {survey}", file=sys.stderr)
    print(f"{config_path}: {written}", file=sys.stderr)
    for line in lines:
        print(line, file=sys.stderr)
    print(
        f"Next: resolve the TODOs (search for TODO), then run in {where}: "
        "snakemake -n, then snakemake --cores 4",
        file=sys.stderr,
    )
    return 0


def _readable(export: dict, where: Path) -> dict:
    """The export options with paths as the command must read them now (from the folder)."""
    if export.get("data_dictionary"):
        return {**export, "data_dictionary": str(where / export["data_dictionary"])}
    return export


def _kept(export: dict) -> dict:
    """The export options the codebook keeps (paths relative to the survey folder)."""
    return {k: v for k, v in export.items() if k != "format"}


def codebook_with(codebook: dict, where: Path) -> dict:
    """The codebook with its file paths as seen from here (for the preview)."""
    codebook = copy.deepcopy(codebook)
    for questionnaire in codebook["questionnaires"].values():
        dictionary = questionnaire["export"].get("data_dictionary")
        if dictionary:
            questionnaire["export"]["data_dictionary"] = str(where / dictionary)
    return codebook


def _sources(codebook: dict) -> list[str]:
    return [f"raw/{survey}/" for survey in codebook["questionnaires"]]


def _header(path: Path) -> tuple[list[str], list[str]]:
    """The TODOs of a drafted codebook's header (without their numbers), and the notes after
    them (what the exclusion rules dropped on each export)."""
    todos, notes = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(f"# {drafting.TODO} "):
            todos.append(line.split(". ", 1)[1] if ". " in line else line[7:])
        elif todos and line.startswith("# ") and not line.startswith(FINGERPRINT):
            notes.append(line[2:])
    return todos, notes


def design_comments(path: Path, surveys: list[str]) -> dict[str, list[str]]:
    """The comment lines a drafted codebook holds in each questionnaire of ``surveys`` before its
    design or questions (why each design column was taken, or the design commented out), so
    that drafting another questionnaire into the codebook keeps them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: dict[str, list[str]] = {}
    survey = None
    for line in lines:
        name = line[2:-1] if line.startswith("  ") and line.endswith(":") else None
        if name in surveys and not line.startswith("   "):
            survey = name
        elif survey and line.startswith(f"{drafting.DESIGN_INDENT}#"):
            found.setdefault(survey, []).append(line)
        elif survey and line.startswith(drafting.DESIGN_INDENT) and survey in found:
            survey = None
    return found


# --- several questionnaires in one codebook ------------------------------------------------------


class MergeError(SurveyFolderError):
    pass


def merge(existing: dict, new: dict, survey: str) -> tuple[dict, list[str]]:
    """``new``'s questionnaire added to ``existing``: answer sets that are the same kept once,
    statement sets matched by their stem and statements by their wording (the codebook's
    statements are shared by every questionnaire, so the new export must rate the same ones),
    and a question whose text another questionnaire has takes that question's id (so that
    comparisons between questionnaires can name it). Returns the codebook and TODOs."""
    merged = copy.deepcopy(existing)
    todos = []
    sets = merged.setdefault("answer_sets", {})
    renamed = {}
    codes = new["questionnaires"][survey]["export"].get("values") == "codes"
    for name, spec in new["answer_sets"].items():
        same = next((n for n, s in sets.items() if _same_set(s, spec, codes)), None)
        if same is None:
            same = _unique(name, sets)
            sets[same] = spec
        else:  # the codebook's set, its TODOs given already
            todos.append(f"{REUSED}{same!r}")
        renamed[name] = same
    questionnaire = copy.deepcopy(new["questionnaires"][survey])
    new_statements = new.get("statements", [])
    old_statements = merged.get("statements", [])
    statement_ids = {}
    if new_statements or old_statements:
        new_stems = new.get("statement_stems", {})
        old_stems = merged.get("statement_stems", {})
        wanted = {(new_stems[s["statement_set"]], s["wording"]): s["id"] for s in new_statements}
        have = {(old_stems.get(s["statement_set"]), s["wording"]): s["id"] for s in old_statements}
        if set(wanted) != set(have):
            only_new = sorted(w for _, w in set(wanted) - set(have))[:5]
            only_old = sorted(w for _, w in set(have) - set(wanted))[:5]
            raise MergeError(
                f"the codebook's statements are shared by every questionnaire, and {survey!r} "
                f"rates other ones (only in this export: {only_new}; only in the codebook: "
                f"{only_old}): draft it into a survey folder of its own"
            )
        statement_ids = {wanted[key]: have[key] for key in wanted}
        for set_id, spec in new.get("statement_sets", {}).items():
            answers = spec.get("answers", new.get("statement_answers"))
            old_set = next(s for s, stem in old_stems.items() if stem == new_stems[set_id])
            old_answers = merged["statement_sets"][old_set].get(
                "answers", merged.get("statement_answers")
            )
            if renamed[answers] != old_answers:
                todos.append(
                    f"statements of {old_set!r}: this export's answers ({renamed[answers]!r}) "
                    f"differ from the codebook's ({old_answers!r}); check the answer set"
                )
    taken_texts = {
        q["text"]: q["id"]
        for other in merged["questionnaires"].values()
        for q in other["questions"]
        if isinstance(q, dict)
    }
    used = set(statement_ids.values())
    for question in questionnaire["questions"]:
        if not isinstance(question, dict):
            continue
        if "answers" in question:
            question["answers"] = renamed[question["answers"]]
        same = taken_texts.get(question["text"])
        if same and same not in used and same not in statement_ids.values():
            question["id"] = same
        used.add(question["id"])
    columns = questionnaire["export"].get("statement_columns")
    if columns:
        questionnaire["export"]["statement_columns"] = {
            statement_ids.get(s, s): column for s, column in columns.items()
        }
    merged["questionnaires"][survey] = questionnaire
    return merged, [*todos, *(f"{RENAMED}{a!r} {b!r}" for a, b in renamed.items() if a != b)]


REUSED, RENAMED = "\0reused ", "\0renamed "  # merge's notes to settled, never written


def settled(todos: list[str], merged: dict, survey: str, shared_statements: bool) -> list[str]:
    """The TODOs of a questionnaire drafted alone that still stand once it joins a codebook
    with others (``todos``: its own, then merge's): its statements and statement sets are the
    codebook's (named, grouped into themes and keyed once for all), an answer set the codebook
    had already has its TODOs there, ids it no longer uses need no renaming, and an answer set
    renamed is named as the codebook names it."""
    used = {q["id"] for q in merged["questionnaires"][survey]["questions"] if isinstance(q, dict)}
    shared = ("statement set ", "themes:", "reverse keying:") if shared_statements else ()
    reused = [t.removeprefix(REUSED) for t in todos if t.startswith(REUSED)]
    renames = [t.removeprefix(RENAMED).split(" ") for t in todos if t.startswith(RENAMED)]
    kept = []
    for todo in todos:
        if todo.startswith((*shared, REUSED, RENAMED)):
            continue
        if any(todo.startswith(f"answer set {name}") for name in reused):
            continue
        assigned = todo.split("drafted as")[-1]
        if todo.startswith("ids:") and not any(f"'{i}'" in assigned for i in used):
            continue
        for old, new in renames:
            todo = todo.replace(f"answer set {old} ", f"answer set {new} ")
        kept.append(todo)
    return kept


def _same_set(a: dict, b: dict, codes: bool) -> bool:
    """Whether an export read as labels (or, with ``codes``, as codes) can use answer set ``a``
    for ``b``: the same labels, off the scale or not, in the same order if ordered (read as
    labels the codes are the codebook's to choose); the same options, codes and all, if the
    export holds codes."""
    if codes or a.get("ordinal", False) != b.get("ordinal", False):
        return a == b

    def labels(spec):
        found = [(o["label"].casefold(), bool(o.get("off_scale"))) for o in spec["options"]]
        return found if spec.get("ordinal") else sorted(found)

    return labels(a) == labels(b)


def _unique(name: str, taken) -> str:
    unique, number = name, 1
    while unique in taken:
        number += 1
        unique = f"{name}_{number}"
    return unique


# --- the starter config ---------------------------------------------------------------------------


def starter_config(codebook: dict, rules: list[dict], preview_lines: list[str]) -> str:
    """config/config.yaml for a survey folder: the codebook, the exports, the draft's exclusion
    rules with what they drop on the export, a table of each questionnaire's questions with
    answer sets, a Likert figure of each ordered statement set, no comparisons yet."""
    tables, figures = {}, {}
    answer_sets = codebook["answer_sets"]
    for survey, questionnaire in codebook["questionnaires"].items():
        labelled = [
            q["id"] for q in questionnaire["questions"] if isinstance(q, dict) and "answers" in q
        ]
        if labelled:
            tables[f"{survey}_questions"] = {
                "survey": survey,
                "questions": labelled,
                "title": f"{questionnaire.get('label', survey)}: answers",
            }
        if "statements" in questionnaire["questions"]:
            for set_id, spec in codebook.get("statement_sets", {}).items():
                answers = spec.get("answers", codebook.get("statement_answers"))
                if answer_sets[answers].get("ordinal"):
                    figures[f"{survey}_{set_id}"] = {
                        "survey": survey,
                        "statement_set": set_id,
                        "title": spec["label"],
                    }
    dump = _dump
    lines = [
        "# The analysis of this survey folder, drafted by `likertflow draft` (every key: the",
        "# workflow's config/README.md). Check it, then run `snakemake --cores 4` here.",
        "",
        "codebook: config/codebook.yaml",
        "# One file per export batch (the batch is the file name): add new exports here and rerun.",
        f"raw_exports: {RAW}",
        "",
        "# Which responses are left out, checked in this order. On the export drafted from:",
        *(f"#   {line.strip()}" for line in preview_lines),
        dump({"exclusions": rules}),
        "# Descriptive tables: each tabulates questions of one questionnaire.",
        dump({"tables": tables}),
        "# Group comparisons (see the worked example, config/examples/online_learning).",
        "comparisons: {}",
        "",
        "# Diverging stacked bars of one statement set in one questionnaire.",
        dump({"likert_figures": figures}),
        dump({"study": {"title": "TODO: the study's title"}}),
    ]
    return "\n".join(lines) + "\n"


def _dump(value: dict) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)


# --- the command ---------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="the survey folder to make (e.g. ~/surveys/mysurvey)")


def main(args: argparse.Namespace) -> int:
    """Make a survey folder: config/, raw/ and workflow/Snakefile, the installed workflow used as
    a Snakemake module. `likertflow draft EXPORT --into FOLDER` does this too."""
    try:
        made = init(folder(args.folder))
    except SurveyFolderError as error:
        print(error, file=sys.stderr)
        return 1
    for line in made:
        print(f"made {line}", file=sys.stderr)
    return 0
