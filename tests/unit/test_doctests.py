"""The Examples sections of the survey-design modules (and those of files and outputs) run as doctests."""

import doctest

import pytest
from likertflow import design, design_tests, files, outputs, paired


@pytest.mark.parametrize("module", [design, design_tests, files, outputs, paired], ids=lambda m: m.__name__)
def test_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
