"""Scenario files (TOML): weights, criterion parameters, candidate source and output folder.

A scenario file looks like the bundled default (``siting/data/default.toml``)::

    [scenario]
    name = "default"
    description = "..."

    [weights]            # direct weights; any non-negative numbers, rescaled to sum to 1
    crossing_km = 3
    labor_pool = 2

    [parameters]         # optional; see siting.criteria.CriteriaParams
    labor_radius_km = 50

    [candidates]         # optional; "default" or a CSV/GeoJSON path relative to this file
    source = "default"
    min_establishments = 2
    include_metro_seats = true

    [output]             # optional
    folder = "siting-output"   # relative to the working directory
    offline_map = true

:func:`load_scenario` validates the whole file and reports every problem at once.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from siting._errors import ScenarioError
from siting.criteria import CRITERIA, CriteriaParams

_SECTIONS = {"scenario", "weights", "parameters", "candidates", "output"}


@dataclass(frozen=True)
class CandidateSource:
    """Where candidates come from: ``"default"`` or a path to a CSV/GeoJSON file."""

    source: str = "default"
    min_establishments: int = 2
    include_metro_seats: bool = True


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. ``weights`` are rescaled to sum to 1."""

    name: str
    weights: dict[str, float]
    params: CriteriaParams = field(default_factory=CriteriaParams)
    candidates: CandidateSource = field(default_factory=CandidateSource)
    output_folder: str = "siting-output"
    offline_map: bool = True
    description: str = ""
    path: str = "<memory>"

    def resolved(self) -> dict[str, Any]:
        """Return the scenario as resolved, as plain data (for the run record)."""
        return {
            "name": self.name,
            "description": self.description,
            "path": self.path,
            "weights": dict(self.weights),
            "parameters": dataclasses.asdict(self.params),
            "candidates": dataclasses.asdict(self.candidates),
            "output": {"folder": self.output_folder, "offline_map": self.offline_map},
        }


def default_scenario_path() -> Path:
    """Return the path of the bundled default scenario."""
    return Path(str(files("siting") / "data" / "default.toml"))


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Read and validate a scenario file (the bundled default if ``path`` is None).

    Raises
    ------
    ScenarioError
        Listing every problem found, each naming the key and the expected form.
    """
    path = default_scenario_path() if path is None else Path(path)
    if not path.is_file():
        raise ScenarioError(str(path), ["file does not exist; pass the path of a .toml scenario"])
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), [f"is not valid TOML: {exc}"]) from None
    return parse_scenario(data, path=str(path))


def parse_scenario(data: dict[str, Any], *, path: str = "<memory>") -> Scenario:
    """Validate scenario ``data`` (as read from TOML) and return a :class:`Scenario`."""
    problems: list[str] = []
    for key in sorted(set(data) - _SECTIONS):
        problems.append(f"unknown section [{key}]; expected one of {sorted(_SECTIONS)}")

    meta = _table(data, "scenario", problems)
    name = meta.get("name", Path(path).stem)
    if not isinstance(name, str) or not name.strip():
        problems.append("[scenario] name must be a non-empty string")
        name = "scenario"
    description = meta.get("description", "")
    if not isinstance(description, str):
        problems.append("[scenario] description must be a string")
        description = ""

    weights = _weights(_table(data, "weights", problems), problems)
    params = _params(_table(data, "parameters", problems), problems)
    candidates = _candidates(_table(data, "candidates", problems), Path(path), problems)

    output = _table(data, "output", problems)
    folder = output.get("folder", "siting-output")
    if not isinstance(folder, str) or not folder.strip():
        problems.append("[output] folder must be a non-empty string (a folder path)")
        folder = "siting-output"
    offline = output.get("offline_map", True)
    if not isinstance(offline, bool):
        problems.append(f"[output] offline_map is {offline!r}; expected true or false")
        offline = True
    for key in sorted(set(output) - {"folder", "offline_map"}):
        problems.append(f"[output] unknown key {key!r}; expected 'folder' or 'offline_map'")

    if problems:
        raise ScenarioError(path, problems)
    return Scenario(
        name=name,
        description=description,
        weights=weights,
        params=params,
        candidates=candidates,
        output_folder=folder,
        offline_map=offline,
        path=path,
    )


def _table(data: dict[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"[{key}] must be a table, got {type(value).__name__}")
        return {}
    return value


def _weights(table: dict[str, Any], problems: list[str]) -> dict[str, float]:
    if not table:
        problems.append(
            f"[weights] is missing or empty; give a non-negative weight to at least one of {sorted(CRITERIA)}"
        )
        return {}
    weights: dict[str, float] = {}
    for key, value in table.items():
        if key not in CRITERIA:
            problems.append(f"[weights] unknown criterion {key!r}; expected one of {sorted(CRITERIA)}")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"[weights] {key} is {value!r}; expected a non-negative number")
        elif value < 0 or value != value:
            problems.append(f"[weights] {key} is {value}; weights must be non-negative numbers")
        else:
            weights[key] = float(value)
    total = sum(weights.values())
    if weights and total == 0 and len(weights) == len(table):
        problems.append("[weights] all weights are zero; at least one must be positive")
    if total <= 0:
        return {}
    return {k: v / total for k, v in weights.items()}


def _params(table: dict[str, Any], problems: list[str]) -> CriteriaParams:
    allowed = {f.name: f for f in dataclasses.fields(CriteriaParams)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key not in allowed:
            problems.append(f"[parameters] unknown key {key!r}; expected one of {sorted(allowed)}")
            continue
        if key == "labor_radius_km":
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                problems.append(f"[parameters] labor_radius_km is {value!r}; expected a positive number of km")
                continue
            kwargs[key] = float(value)
        elif key == "security_year":
            if isinstance(value, bool) or not isinstance(value, int) or not 2015 <= value <= 2100:
                problems.append(
                    f"[parameters] security_year is {value!r}; expected a year such as 2024 (2015 or later)"
                )
                continue
            kwargs[key] = value
        elif key == "min_trucks":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(f"[parameters] min_trucks is {value!r}; expected a non-negative integer")
                continue
            kwargs[key] = value
    return CriteriaParams(**kwargs)


def _candidates(table: dict[str, Any], scenario_path: Path, problems: list[str]) -> CandidateSource:
    known = {"source", "min_establishments", "include_metro_seats"}
    for key in sorted(set(table) - known):
        problems.append(f"[candidates] unknown key {key!r}; expected one of {sorted(known)}")
    source = table.get("source", "default")
    if not isinstance(source, str) or not source.strip():
        problems.append("[candidates] source must be \"default\" or the path of a CSV/GeoJSON file")
        source = "default"
    elif source != "default":
        resolved = (scenario_path.parent / source).resolve()
        if not resolved.is_file():
            problems.append(
                f"[candidates] source file {str(resolved)!r} does not exist "
                "(paths are relative to the scenario file)"
            )
        source = str(resolved)
    min_est = table.get("min_establishments", 2)
    if isinstance(min_est, bool) or not isinstance(min_est, int) or min_est < 1:
        problems.append(f"[candidates] min_establishments is {min_est!r}; expected an integer >= 1")
        min_est = 2
    seats = table.get("include_metro_seats", True)
    if not isinstance(seats, bool):
        problems.append(f"[candidates] include_metro_seats is {seats!r}; expected true or false")
        seats = True
    return CandidateSource(source=source, min_establishments=min_est, include_metro_seats=seats)
