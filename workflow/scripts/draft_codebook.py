"""Draft a codebook from one export, in any format the workflow reads.

    python workflow/scripts/draft_codebook.py EXPORT --format qualtrics [--survey patients]
        [--match text|id] [--values labels|codes] [--delimiter ";"] [--encoding cp1252]
        [--data-dictionary dictionary.csv] [--out config/draft_codebook.yaml]

Writes a codebook that validates against workflow/schemas/codebook.schema.yaml: one question
per answer column, answer sets from the answers (or an SPSS file's value labels) in the order of
a known scale, matrix rows grouped into statement sets, metadata and free text left out, and
numbered TODO comments at the top for what a person must decide (README, "Drafting a codebook").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from likertflow.draft import draft_codebook, to_yaml  # noqa: E402
from likertflow.errors import InputError  # noqa: E402
from likertflow.platforms import PLATFORMS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("export", help="an export file (.csv .tsv .txt .xlsx .sav ...)")
    parser.add_argument("--format", default="csv", choices=sorted(PLATFORMS))
    parser.add_argument("--survey", default="survey", help="questionnaire id (snake_case)")
    parser.add_argument("--match", default="text", choices=["text", "id"])
    parser.add_argument("--values", default="labels", choices=["labels", "codes"])
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--data-dictionary", help="REDCap: the project's data dictionary CSV")
    parser.add_argument("--out", help="where to write the draft (default: print it)")
    args = parser.parse_args(argv)
    export = {
        "format": args.format,
        "match": args.match,
        "values": args.values,
        "delimiter": "\t" if args.delimiter in ("\\t", "tab") else args.delimiter,
        "encoding": args.encoding,
        "data_dictionary": args.data_dictionary,
    }
    defaults = {"match": "text", "values": "labels", "delimiter": ",", "encoding": "utf-8"}
    export = {k: v for k, v in export.items() if v is not None and defaults.get(k) != v}
    try:
        codebook, todos = draft_codebook(args.export, export, args.survey)
    except InputError as error:
        print(error, file=sys.stderr)
        return 1
    text = to_yaml(codebook, todos, args.export)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{args.out}: draft codebook with {len(todos)} TODO(s)", file=sys.stderr)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
