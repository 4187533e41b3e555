"""The Python examples of the README and docs/api.md run as doctests: the docs cannot rot."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.slow
@pytest.mark.parametrize("doc", ["README.md", "docs/api.md"])
def test_python_examples_of_the_docs_run(doc):
    result = doctest.testfile(str(ROOT / doc), module_relative=False, optionflags=FLAGS)
    assert result.attempted >= 5, f"{doc} should show Python use"
    assert result.failed == 0, f"{result.failed} example(s) of {doc} failed (see the output)"
