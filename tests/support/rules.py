"""The workflow's rules as tests read them from ``workflow/rules/*.smk``."""

from __future__ import annotations

import re
from pathlib import Path


def rule_scripts(root: Path) -> dict[str, tuple[str, Path]]:
    """Rule name -> (its block of text, its script's path) for each rule of ``root``'s
    workflow/rules/*.smk that runs a script."""
    found = {}
    for smk in sorted((root / "workflow" / "rules").glob("*.smk")):
        for block in re.split(r"^(?=rule )", smk.read_text(encoding="utf-8"), flags=re.M):
            name = re.match(r"rule (\w+):", block)
            script = re.search(r"^\s+script:\s*\n\s+\"([^\"]+)\"", block, flags=re.M)
            if name and script:
                found[name.group(1)] = (block, (smk.parent / script.group(1)).resolve())
    return found
