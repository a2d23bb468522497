"""Tables of several comparisons joined into one (``likertflow.concat``): every file's rows in
order under one header, each value with the bytes its own step wrote; files that differ in their
columns, or have no header, are refused naming the file."""

import logging

import pytest
from likertflow.concat import concatenate
from likertflow.errors import InputError


def written(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def test_rows_of_every_file_in_order_under_one_header(tmp_path, caplog):
    first = written(tmp_path, "a.csv", "comparison,p\nc1,<1e-307\nc1,0.10000000000000001\n")
    second = written(tmp_path, "b.csv", "comparison,p\nc2,1e-05\n")
    empty = written(tmp_path, "c.csv", "comparison,p\n")  # a comparison with no rows
    output = tmp_path / "all.csv"
    with caplog.at_level(logging.INFO):
        concatenate([first, empty, second], str(output))
    assert output.read_bytes() == (
        b"comparison,p\nc1,<1e-307\nc1,0.10000000000000001\nc2,1e-05\n"
    )
    assert caplog.messages == [f"{output}: 3 rows from 3 files"]


def test_one_file_is_copied_as_it_is(tmp_path):
    only = written(tmp_path, "a.csv", "x,label\n1,Ünïcode – text\n")
    concatenate([only], str(tmp_path / "all.csv"))
    assert (tmp_path / "all.csv").read_text(encoding="utf-8") == "x,label\n1,Ünïcode – text\n"


def test_files_that_differ_in_their_columns_are_refused(tmp_path):
    first = written(tmp_path, "a.csv", "comparison,p\nc1,0.5\n")
    second = written(tmp_path, "b.csv", "comparison,q\nc2,0.5\n")
    with pytest.raises(InputError) as raised:
        concatenate([first, second], str(tmp_path / "all.csv"))
    assert str(raised.value) == (
        "Tables to concatenate differ in their columns\n"
        f"  - {second}, row 0: found 'comparison,q'; expected the header of {first}: comparison,p"
    )
    assert not (tmp_path / "all.csv").exists()


def test_an_empty_file_is_refused(tmp_path):
    first = written(tmp_path, "a.csv", "comparison,p\nc1,0.5\n")
    empty = written(tmp_path, "b.csv", "")
    with pytest.raises(InputError) as raised:
        concatenate([first, empty], str(tmp_path / "all.csv"))
    assert str(raised.value) == f"Cannot concatenate tables\n  - {empty}; expected a CSV header"
