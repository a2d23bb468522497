"""The likertflow command: draft a codebook, generate synthetic exports, render the config page.

One subcommand per tool, each defined by its module's ``add_arguments`` and ``main``:

    likertflow draft EXPORT --format qualtrics --survey patients --into ~/surveys/mysurvey
    likertflow init ~/surveys/mysurvey
    likertflow check [~/surveys/mysurvey]
    likertflow generate config/synthetic/bmjopen2020.yaml [--out DIR] [--scale K]
    likertflow config-readme [--check]
"""

from __future__ import annotations

import argparse

from likertflow_tools import check, config_readme, draft, survey, synthetic

COMMANDS = {
    "draft": (draft, "draft a codebook from an export, in any format the workflow reads"),
    "init": (survey, "make a survey folder that runs the installed workflow"),
    "check": (check, "check a survey's config and codebook, mistakes at their line"),
    "generate": (synthetic, "write the synthetic exports of a model file"),
    "config-readme": (config_readme, "render config/README.md from the JSON schemas"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="likertflow", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, summary) in COMMANDS.items():
        command = commands.add_parser(
            name,
            help=summary,
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(run=module.main)
    args = parser.parse_args(argv)
    return args.run(args)
