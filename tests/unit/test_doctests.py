"""The Examples sections of the survey-design modules (and those of files, outputs and the
disclosure modules) run as doctests."""

import doctest

import pytest
from likertflow import design, design_tests, files, inversion, outputs, paired, publishing, pvalues

MODULES = [design, design_tests, files, inversion, outputs, paired, publishing, pvalues]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
