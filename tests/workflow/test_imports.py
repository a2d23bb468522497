"""What the workflow's code imports: only what requirements.txt installs, and no library a job
does not use (each import is paid by every job of a rule, at every run: issue 10)."""

import ast
import re
import subprocess
import sys
from importlib.metadata import packages_distributions

from conftest import REPO

SCRIPTS = REPO / "workflow" / "scripts"
EXPORT = REPO / "resources" / "raw" / "patients" / "export_2019-05-13.csv"


def imported_packages(path):
    """Top-level names of the packages a Python file imports, at any depth of its code."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def requirement_names(path):
    """Distribution names pinned in a requirements file, normalised."""
    lines = path.read_text(encoding="utf-8").splitlines()
    pins = [re.match(r"^([A-Za-z0-9_.-]+)==", line) for line in lines]
    return {normalised(pin.group(1)) for pin in pins if pin}


def normalised(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_workflow_imports_only_what_requirements_txt_installs():
    """A user installs requirements.txt alone; a test-only package (statsmodels, the tests'
    reference for p adjustment and Wilson intervals) imported by the workflow would fail there
    although every test passed."""
    installed = requirement_names(REPO / "requirements.txt")
    distributions = packages_distributions()
    imported = set().union(*(imported_packages(path) for path in SCRIPTS.rglob("*.py")))
    third_party = imported - set(sys.stdlib_module_names) - {"likertflow"}
    assert {"pandas", "numpy", "scipy", "pandera"} <= third_party  # the scan finds imports
    missing = {
        package: distributions.get(package)
        for package in third_party
        if not {normalised(d) for d in distributions.get(package, [package])} & installed
    }
    assert missing == {}, f"imported by workflow/scripts but not in requirements.txt: {missing}"


def modules_after(code):
    """The modules a fresh Python process has imported after running ``code``."""
    program = (
        f"import sys; sys.path.insert(0, {str(SCRIPTS)!r})\n{code}\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_validating_a_valid_export_does_not_import_pandera():
    """pandera (0.15 s a job) is needed only to say what is wrong with an export; a valid one is
    recognised without it. Its messages for a bad export are tested in test_ingest.py."""
    modules = modules_after(
        f"sys.path.insert(0, {str(REPO / 'tests')!r})\n"
        "from support import exportkit\n"
        "from likertflow.ingest import ingest\n"
        f"coded, _ = ingest({str(EXPORT)!r}, exportkit.questionnaire('patients'), 'week1')\n"
        "assert len(coded) > 0"
    )
    assert "likertflow.ingest" in modules and "pandas" in modules
    assert not any(name.split(".")[0] == "pandera" for name in modules)


def test_start_up_imports_no_pandas_numpy_or_pyarrow():
    """What common.smk imports at parse time (the codebook model, the start-up checks, the
    platform registry and batch discovery) costs every snakemake invocation, no-op reruns
    included: the platform modules import their data libraries inside the functions that read
    and write data."""
    modules = modules_after(
        "import likertflow.codebook, likertflow.references, likertflow.schemas\n"
        "from likertflow.platforms.containers import batch_files\n"
        "from likertflow.platforms import PLATFORMS"
    )
    assert "likertflow.platforms.qualtrics" in modules
    assert not {"pandas", "numpy", "pyarrow"} & {name.split(".")[0] for name in modules}
