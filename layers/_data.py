"""Locate bundled data files and read their provenance."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd

from siting.layers._errors import DataError

#: Projected CRS used for every distance/area computation (INEGI's Lambert Conformal Conic).
CRS_METRIC = "EPSG:6372"
#: Geographic CRS of the bundled files and of web output.
CRS_GEO = "EPSG:4326"


def package_version() -> str:
    """Return the installed version of the ``siting`` distribution (``"0+unknown"`` if absent)."""
    try:
        return version("siting")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def data_dir() -> Path:
    """Return the folder holding the bundled datasets."""
    return Path(str(files("siting.layers") / "data"))


def data_path(relative: str) -> Path:
    """Return the path of a bundled file, raising a clear error if it is missing."""
    path = data_dir() / relative
    if not path.exists():
        msg = f"bundled data file {str(path)!r} is missing; reinstall siting (pip install .)"
        raise DataError(msg)
    return path


@cache
def sources() -> dict[str, dict[str, Any]]:
    """Return the provenance table of every bundled dataset (from ``data/SOURCES.toml``).

    Each entry has ``title``, ``publisher``, ``date``, ``licence``, ``origin``, ``files`` and the
    short ``credit`` shown on maps.
    """
    with data_path("SOURCES.toml").open("rb") as fh:
        return tomllib.load(fh)


def credits(keys: list[str] | None = None) -> list[str]:
    """Return the distinct map credits of the given datasets (all datasets by default)."""
    table = sources()
    out: list[str] = []
    for key in keys or list(table):
        credit = table[key]["credit"]
        if credit not in out:
            out.append(credit)
    return out


def read_csv(relative: str, *, required: list[str], dtype: dict[str, Any] | None = None) -> pd.DataFrame:
    """Read a bundled CSV and check that it has the ``required`` columns."""
    path = data_path(relative)
    df = pd.read_csv(path, dtype=dtype)
    check_columns(df, required, str(path))
    return df


def check_columns(df: pd.DataFrame, required: list[str], where: str) -> None:
    """Raise :class:`DataError` naming every column of ``required`` missing from ``df``."""
    missing = [c for c in required if c not in df.columns]
    if missing:
        msg = f"{where!r} lacks column(s) {missing}; found {list(df.columns)}"
        raise DataError(msg)
