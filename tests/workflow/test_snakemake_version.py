"""The Snakemake version the workflow asks for, the one CI installs, and the one common.smk
patches are one version: min_version admits no version never tried, and the patch of a private
method applies only where it was tested."""

import re

from conftest import REPO


def test_min_version_the_pin_and_the_patched_version_agree():
    pin = re.search(r"^snakemake==(\S+)$", (REPO / "constraints.txt").read_text(), re.M)[1]
    snakefile = (REPO / "Snakefile").read_text(encoding="utf-8")
    minimum = re.search(r'^min_version\("([^"]+)"\)', snakefile, re.M)[1]
    common = (REPO / "workflow" / "rules" / "common.smk").read_text(encoding="utf-8")
    patched = re.search(r"^SERIALIZE_PARAM_PATCHED_ON = \(([^)]*)\)", common, re.M)[1]
    assert minimum == pin
    assert re.findall(r'"([^"]+)"', patched) == [pin]
