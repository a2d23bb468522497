"""run_step: every failure of a job lands in its log file as well as on the console."""

import errno
import logging
from types import SimpleNamespace

import pytest
from likertflow.errors import InputError, Problem, file_error, os_error_text, run_step


def job(tmp_path):
    return SimpleNamespace(log=[str(tmp_path / "job.log")], rule="some_rule")


def test_unexpected_exception_keeps_its_traceback_in_the_log(tmp_path, capsys):
    def main(snakemake):
        {}["omitted label"]

    with pytest.raises(SystemExit) as exit_info:
        run_step(main, job(tmp_path))
    assert exit_info.value.code == 1
    text = (tmp_path / "job.log").read_text(encoding="utf-8")
    assert text.startswith("ERROR Unexpected error in rule some_rule\nTraceback")
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


def test_a_problem_names_only_what_it_knows():
    assert str(Problem("a.csv", "a number")) == "a.csv; expected a number"
    assert str(Problem("a.csv", "a number", row=3)) == "a.csv, row 3; expected a number"
    assert (
        str(Problem("a.csv", "a number", column="age")) == "a.csv, column 'age'; expected a number"
    )
    found = Problem("a.csv", "a number", row=0, column="age", value=0)
    assert str(found) == "a.csv, row 0, column 'age': found 0; expected a number"
    assert str(Problem("a.csv", "text", value="")) == "a.csv: found ''; expected text"


def test_an_input_error_lists_at_most_its_limit_of_problems():
    problems = [Problem("a.csv", "a number", row=row) for row in range(2, 24)]  # 22
    error = InputError("Bad export", problems)
    assert error.summary == "Bad export" and error.problems == problems
    lines = str(error).split("\n")
    assert lines[0] == "Bad export" and len(lines) == 1 + 20 + 1
    assert lines[1] == "  - a.csv, row 2; expected a number"
    assert lines[20] == "  - a.csv, row 21; expected a number"
    assert lines[-1] == "  ... and 2 more problems of the same kind"
    assert str(InputError("Bad", problems[:20])).count("\n") == 20  # all shown, nothing more
    assert str(InputError("Bad", problems[:3], limit=2)).endswith(
        "  ... and 1 more problems of the same kind"
    )
    assert str(InputError("Bad")) == "Bad" and InputError("Bad").problems == []


def test_a_step_logs_its_info_lines_to_a_fresh_log_and_returns(tmp_path, capsys):
    (tmp_path / "job.log").write_text("an old run's log\n", encoding="utf-8")

    def main(snakemake):
        logging.getLogger("likertflow").info("wrote %s", "tables — ü")

    logging.getLogger().setLevel(logging.WARNING)  # as a fresh interpreter has it
    assert run_step(main, job(tmp_path)) is None
    assert (tmp_path / "job.log").read_text(encoding="utf-8") == "INFO wrote tables — ü\n"
    assert "INFO wrote tables — ü" in capsys.readouterr().err


def test_a_step_logs_other_libraries_only_from_warning_up(tmp_path, capsys):
    def main(snakemake):
        logging.getLogger("fontTools.subset").info("maxp pruned")  # as a PDF's fonts are saved
        logging.getLogger("likertflow.cleaning").info("patients: 355 raw rows")
        logging.getLogger("matplotlib").warning("a font is missing")

    logging.getLogger().setLevel(logging.WARNING)  # as a fresh interpreter has it
    assert run_step(main, job(tmp_path)) is None
    text = (tmp_path / "job.log").read_text(encoding="utf-8")
    assert text == "INFO patients: 355 raw rows\nWARNING a font is missing\n"
    assert "maxp pruned" not in capsys.readouterr().err


def test_a_step_without_a_log_or_with_an_unwritable_one_reports_on_the_console(tmp_path, capsys):
    def main(snakemake):
        raise InputError("Bad export")

    with pytest.raises(SystemExit) as ended:
        run_step(main, SimpleNamespace(log=[], rule="r"))
    assert ended.value.code == 1
    assert "ERROR Input error in rule r:\nBad export" in capsys.readouterr().err
    missing = tmp_path / "no folder" / "job.log"
    with pytest.raises(SystemExit):
        run_step(main, SimpleNamespace(log=[str(missing)], rule="r"))
    shown = capsys.readouterr().err
    assert f"likertflow: cannot write the log {missing}: No such file or directory\n" in shown
    assert "Input error in rule r" in shown


def outputs_job():
    return SimpleNamespace(output=["results/a.csv", "results/b.png"], input=["data/x.csv"])


@pytest.mark.parametrize(
    ("error", "text"),
    [
        # written through a file object: no file name, but a full disk is a write
        (
            OSError(errno.EDQUOT, "Disk quota exceeded"),
            "cannot write results/a.csv or results/b.png",
        ),
        (OSError(errno.EFBIG, "File too large"), "cannot write results/a.csv or results/b.png"),
        (
            OSError(errno.EROFS, "Read-only file system"),
            "cannot write results/a.csv or results/b.png",
        ),
        (OSError(errno.ENOSPC, "No space left"), "cannot write results/a.csv or results/b.png"),
        (OSError(errno.EACCES, "Permission denied"), "cannot use a file"),
        (OSError(errno.ENOSPC, "No space left", "./results/a.csv"), "cannot write results/a.csv"),
        (OSError(errno.EACCES, "Permission denied", "data/./x.csv"), "cannot read data/x.csv"),
        (OSError(errno.EACCES, "Permission denied", "elsewhere.txt"), "cannot use elsewhere.txt"),
    ],
)
def test_a_file_error_says_whether_the_job_could_not_write_read_or_use_the_file(error, text):
    assert file_error(error, outputs_job()) == f"{text}: {os_error_text(error)}"


def test_a_file_error_of_a_job_without_outputs_names_a_file():
    error = OSError(errno.ENOSPC, "No space left on device")
    assert file_error(error) == f"cannot write a file: {os_error_text(error)}"
    assert (
        file_error(OSError(errno.EIO, "I/O error", "x.csv")) == "cannot use x.csv: I/O error (EIO)"
    )


@pytest.mark.parametrize(
    ("number", "advice"),
    [
        (errno.ENOSPC, "the disk is full: free space on it, then run again"),
        (errno.EDQUOT, "your disk quota is used up: free space, then run again"),
        (errno.EROFS, "the disk is mounted read-only: run in a folder on a writable disk"),
        (errno.EACCES, "you may not write there: check the folder's permissions and owner"),
        (errno.EPERM, "you may not write there: check the folder's permissions and owner"),
        (errno.EFBIG, "the file is larger than the file system or a limit (ulimit -f) allows"),
        (errno.ENOTDIR, "a file stands where a folder should be: move it away"),
        (errno.EEXIST, "a file stands where a folder should be: move it away"),
    ],
)
def test_an_os_error_says_what_to_do(number, advice):
    error = OSError(number, "reason")
    assert os_error_text(error) == f"reason ({errno.errorcode[number]}); {advice}"


def test_an_os_error_without_a_number_or_advice_is_its_reason():
    assert os_error_text(OSError("plain words")) == "plain words"
    assert os_error_text(OSError(errno.EIO, "I/O error")) == "I/O error (EIO)"
    assert os_error_text(OSError(0, "odd")) == "odd"


def test_a_file_error_of_a_step_is_one_error_line(tmp_path, capsys):
    def main(snakemake):
        raise OSError(errno.EACCES, "Permission denied", "results/a.csv")

    with pytest.raises(SystemExit) as ended:
        run_step(main, SimpleNamespace(log=[], rule="r", output=["results/a.csv"], input=[]))
    assert ended.value.code == 1
    assert capsys.readouterr().err == (
        "ERROR Error in rule r: cannot write results/a.csv: Permission denied (EACCES); you may "
        "not write there: check the folder's permissions and owner\n"
    )
