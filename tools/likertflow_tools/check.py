"""Check a survey's config and codebook before a run, as the workflow will at start-up, with every
mistake at its file, line and column.

    likertflow check [FOLDER] [--configfile FILE]

FOLDER is a survey folder (default: here); its config is ``config/config.yaml`` unless
``--configfile`` names another (Snakemake reads a ``--configfile`` itself, before any of the
workflow's code, and its message for a YAML mistake has no line: check it here first). The
checks are the workflow's own: the YAML read, the schemas (with their defaults), the codebook
within itself, the config against the codebook, and the export batches the config's
``raw_exports`` finds for each questionnaire.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from likertflow.codebook import CodebookError, parse_codebook
from likertflow.platforms.containers import batch_files
from likertflow.references import ConfigError, check_references
from likertflow.schemas import SchemaError, locate_problems, read_yaml, validate

SCHEMAS = Path(__file__).resolve().parents[2] / "workflow" / "schemas"


def check(folder: Path, configfile: str | None = None) -> tuple[list[str], list[str]]:
    """(problems, what was found) of the survey in ``folder``; paths as the workflow resolves
    them, from the folder."""
    config_file = configfile or "config/config.yaml"
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        return _check(config_file)
    finally:
        os.chdir(cwd)


def _check(config_file: str) -> tuple[list[str], list[str]]:
    if not Path(config_file).is_file():
        return [f"{config_file}: no such file (a survey folder has config/config.yaml)"], []
    try:
        config = read_yaml(config_file)
        validate(config, SCHEMAS / "config.schema.yaml", "config", config_file)
        codebook_file = config["codebook"]
        if not Path(codebook_file).is_file():
            return [f"{config_file}: codebook: no such file {codebook_file!r}"], []
        codebook = validate(
            read_yaml(codebook_file), SCHEMAS / "codebook.schema.yaml", codebook_file, codebook_file
        )
        questionnaires = parse_codebook(codebook)
        check_references(config, questionnaires)
    except SchemaError as error:
        return [str(error)], []
    except (CodebookError, ConfigError) as error:
        return locate_problems(error.problems, [config_file, config["codebook"]]), []
    problems, found = [], []
    for survey in questionnaires:
        pattern = config["raw_exports"].replace("{survey}", survey)
        batches = batch_files(_glob(pattern))
        if batches:
            found.append(f"{survey}: {len(batches)} export batch(es) ({', '.join(batches)})")
        else:
            problems.append(
                f"{config_file}: raw_exports: no export of {survey!r} matches {pattern!r}"
            )
    todo = _todos(config_file) + _todos(config["codebook"])
    found += todo
    return problems, found


def _glob(pattern: str) -> list[str]:
    """Files matching a raw_exports pattern ({batch} and {ext} as wildcards)."""
    from glob import glob

    return sorted(glob(pattern.replace("{batch}", "*").replace("{ext}", "*")))


def _todos(path: str) -> list[str]:
    """Values still "TODO: ..." in a file (a draft's placeholders), by line."""
    found = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        if "TODO" in stripped:
            found.append(f"{path}, line {number}: still a TODO: {stripped.strip()}")
    return found


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default=".", help="the survey folder (default: here)")
    parser.add_argument(
        "--configfile", help="the config file, from the folder (default: config/config.yaml)"
    )


def main(args: argparse.Namespace) -> int:
    """Check the survey in a folder as the workflow will; exit 1 on any problem."""
    problems, found = check(Path(args.folder).expanduser(), args.configfile)
    for line in found:
        print(line)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    if problems:
        return 1
    print("ready: the workflow will accept this config and codebook")
    return 0
