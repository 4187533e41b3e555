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


def _catalogue_rows() -> list[list[str]]:
    """Rows of the fault catalogue in docs/robustness.md (``| ID | case | input | … | test |``)."""
    import re

    rows = []
    for line in (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8").splitlines():
        if re.match(r"^\| [A-Z]\d\d ", line):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows.append(cells)
    return rows


def test_every_case_of_the_fault_catalogue_has_its_test_and_back():
    """docs/robustness.md names one existing test per case, and every robustness test is named."""
    import ast

    rows = _catalogue_rows()
    assert len(rows) >= 60
    assert all(len(cells) == 5 for cells in rows), [c[0] for c in rows if len(c) != 5]
    ids = [cells[0] for cells in rows]
    assert len(ids) == len(set(ids)), "case IDs repeat"
    named = set()
    for case, *_, test in rows:
        path, _, func = test.partition("::")
        assert func.startswith(f"test_{case}_"), (case, test)
        named.add((path, func))
    written = set()
    for path in sorted((ROOT / "tests").glob("test_robustness_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                written.add((f"tests/{path.name}", node.name))
    assert named == written, {"in the catalogue only": named - written, "untold": written - named}
