"""Figures are deterministic (likertflow.plotting): the same bytes of every kind of figure when
rendered twice, and in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO
from support.figures import render_all


def test_same_bytes_when_rendered_twice(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = render_all(tmp_path / "a"), render_all(tmp_path / "b")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two renderings"
    assert b"<dc:date>" not in first["likert.svg"] and b"Matplotlib v" not in first["likert.svg"]
    assert b"Matplotlib" not in first["likert.png"]


@pytest.mark.slow  # over 3 s
def test_same_bytes_in_a_fresh_interpreter(tmp_path):
    """Another process, another hash seed: the files are still byte-identical."""
    here = render_all(tmp_path)
    (tmp_path / "other").mkdir()
    script = (
        "import sys; from pathlib import Path; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n"
        "from support.figures import render_all; render_all(Path(sys.argv[3]))\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(REPO / "workflow" / "scripts"),
            str(REPO / "tests"),
            str(tmp_path / "other"),
        ],
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    for name, data in here.items():
        assert (tmp_path / "other" / name).read_bytes() == data, f"{name} differs across processes"
