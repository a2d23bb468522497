"""The likertflow command, as a fresh clone installs it (pip install -r requirements.txt)."""

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import run_tool
from support import platformkit
from support.exportkit import export_frame, questionnaire, random_answers

SURVEY = "patients"


def test_the_console_script_and_python_m_are_one_command():
    script = Path(sys.executable).parent / "likertflow"
    assert script.is_file(), "pip install -r requirements.txt installs the command `likertflow`"
    installed = subprocess.run([script, "--help"], capture_output=True, text=True, check=True)
    assert installed.stdout == run_tool("--help").stdout
    for command in ("draft", "generate", "config-readme"):
        assert command in installed.stdout


def test_draft_writes_a_codebook_from_an_export(tmp_path):
    q = questionnaire(SURVEY)
    layout = platformkit.LAYOUTS["qualtrics"](q, export_frame(q, random_answers(q, 40, seed=3)))
    path = platformkit.write(layout, tmp_path / "week1.csv")
    out = tmp_path / "draft.yaml"
    args = ["--format", "qualtrics", "--survey", SURVEY, "--out", str(out)]
    result = run_tool("draft", str(path), *args)
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert list(draft["questionnaires"]) == [SURVEY]
    assert draft["questionnaires"][SURVEY]["export"]["format"] == "qualtrics"
    assert "TODO(s)" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Draft codebook, written by `likertflow draft`")


def test_config_readme_check_passes_on_the_current_page():
    assert run_tool("config-readme", "--check").returncode == 0

