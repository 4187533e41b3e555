"""The docstring ``Examples`` of every module of the installed package run as doctests.

Modules are imported by their installed names (``siting.layers.roads``, not ``layers.roads``), so
a doctest runs against the same module objects as the library and the other tests.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import siting


def _modules() -> list[str]:
    names = []
    for pkg in ("siting", "siting.layers", "siting.maps"):
        module = importlib.import_module(pkg)
        names.append(pkg)
        names += [m.name for m in pkgutil.walk_packages(module.__path__, prefix=pkg + ".")]
    # siting.layers and siting.maps live in their own folders: walking siting does not list them
    return sorted(set(names) - {"siting.__main__"})


MODULES = _modules()


def test_every_stage_is_found():
    assert {"siting.layers.roads", "siting.maps.style", "siting.criteria"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {name}"


def test_doctests_are_collected():
    """At least the modules that had examples before still have them (a guard against losing them)."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    counted = {
        name: sum(len(t.examples) for t in finder.find(importlib.import_module(name), name))
        for name in MODULES
    }
    assert sum(counted.values()) >= 40
    assert counted["siting.layers.roads"] > 0 and counted["siting.aggregate"] > 0
    assert siting.__version__
