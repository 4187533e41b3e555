"""The pure functions of the interactive map's JavaScript, unit-tested with Node (``node --test``).

The tests (``tests/js/``) load the asset files the installed package ships
(:func:`importlib.resources.files`), the same text :mod:`siting.maps.interactive` inlines into
``map.html``; their DOM and Leaflet wiring is tested in Chromium (``tests/test_browser.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib.resources import as_file, files
from pathlib import Path

import pytest

NODE = shutil.which("node")
JS_TESTS = Path(__file__).parent / "js"


@pytest.mark.skipif(NODE is None, reason="needs Node.js (`node` on PATH) to run tests/js")
def test_javascript_unit_tests_pass():
    tests = sorted(str(p) for p in JS_TESTS.glob("*.test.js"))
    assert tests, f"no *.test.js in {JS_TESTS}"
    with as_file(files("siting.maps.interactive").joinpath("assets")) as assets:
        env = {**os.environ, "SITING_ASSETS": str(assets), "NODE_OPTIONS": ""}
        done = subprocess.run(
            [NODE, "--test", *tests], capture_output=True, text=True, env=env, timeout=120
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout
