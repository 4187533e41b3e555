"""What the wheel holds: every package folder and asset of the source tree is declared.

``pip install .`` (the README's quick start) copies only the packages listed in
``pyproject.toml``; a subpackage missing there works in the editable install of the tests and
fails for every user. The folders are mapped: ``siting/`` → ``siting``, ``layers/`` →
``siting.layers``, ``maps/`` → ``siting.maps``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUP = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _packages_on_disk() -> set[str]:
    found = set()
    for name, folder in SETUP["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            if "data" not in rel and "__pycache__" not in rel:
                found.add(".".join([name, *rel]))
    return found


def test_every_package_folder_is_in_the_wheel():
    assert _packages_on_disk() == set(SETUP["packages"])


def test_top_level_import_name_is_siting_only():
    assert {p.split(".")[0] for p in SETUP["packages"]} == {"siting"}


def test_package_data_covers_every_non_python_file():
    """Assets (JS, CSS), bundled data and typing markers must match a package-data pattern."""
    data = SETUP["package-data"]
    missing = []
    for name, folder in SETUP["package-dir"].items():
        base = ROOT / folder
        for path in base.rglob("*"):
            if not path.is_file() or path.suffix in (".py", ".pyc"):
                continue
            owner = ".".join([name, *path.parent.relative_to(base).parts])
            while owner not in SETUP["packages"]:  # data folders belong to the package above
                owner = owner.rsplit(".", 1)[0]
            pkg_dir = (
                ROOT / SETUP["package-dir"].get(owner, "")
                if owner in SETUP["package-dir"]
                else None
            )
            pkg_dir = pkg_dir or base.joinpath(*owner.split(".")[len(name.split(".")) :])
            rel = path.relative_to(pkg_dir)
            if not any(rel.match(pattern) for pattern in data.get(owner, [])):
                missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"not in the wheel: {missing[:5]}"
