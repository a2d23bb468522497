"""run_step: every failure of a job lands in its log file as well as on the console."""

from types import SimpleNamespace

import pytest
from likertflow.errors import InputError, Problem, run_step


def job(tmp_path):
    return SimpleNamespace(log=[str(tmp_path / "job.log")], rule="some_rule")


def test_unexpected_exception_keeps_its_traceback_in_the_log(tmp_path, capsys):
    def main(snakemake):
        {}["omitted label"]

    with pytest.raises(SystemExit) as exit_info:
        run_step(main, job(tmp_path))
    assert exit_info.value.code == 1
    text = (tmp_path / "job.log").read_text(encoding="utf-8")
    assert "Unexpected error in rule some_rule" in text
    assert "Traceback (most recent call last)" in text and "KeyError: 'omitted label'" in text
    assert "KeyError: 'omitted label'" in capsys.readouterr().err


def test_input_error_is_a_plain_message_in_the_log(tmp_path, capsys):
    def main(snakemake):
        raise InputError("Bad export", [Problem("a.csv", "a number", row=3, column="age")])

    with pytest.raises(SystemExit):
        run_step(main, job(tmp_path))
    text = (tmp_path / "job.log").read_text(encoding="utf-8")
    assert "Input error in rule some_rule:\nBad export" in text
    assert "a.csv, row 3, column 'age'" in text and "Traceback" not in text
    assert "Bad export" in capsys.readouterr().err
