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

    [network]            # optional; see siting.network.NetworkSettings
    source = "bundled"   # or "straight-line", or an .osm/.osm.bz2/.graphml path (relative)
    access_speed_kph = 20
    speeds = { toll = 80, federal = 70 }   # truck km/h by road class (overrides)

    [candidates]         # optional; "default" or a CSV/GeoJSON path relative to this file
    source = "default"
    min_establishments = 2
    include_metro_seats = true

    [output]             # optional
    folder = "siting-output"   # relative to the working directory
    offline_map = true

Decision-science sections (all optional; ``docs/scenario.md`` documents them with examples):
``[weights] method`` (``"direct"``, ``"ahp"`` with an ``[ahp]`` table, ``"rank_sum"``/``"roc"``
with ``order``, ``"entropy"``/``"critic"``), ``[value_functions.<criterion>]``,
``[aggregation] method``, ``[[constraints]]`` and ``[sensitivity]``.

:func:`load_scenario` validates the whole file and reports every problem at once.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from siting import weights as _w
from siting._errors import InputError, ScenarioError
from siting.aggregate import METHODS, PRODUCT_FLOOR
from siting.constraints import Constraint, parse_constraints
from siting.criteria import CRITERIA, ROUTE_RISK_INDICATORS, CriteriaParams, default_set
from siting.criterion import Criterion, candidate_column, register_criterion
from siting.layers.crossings import land_ports
from siting.network import NetworkSettings
from siting.text import NETWORK_TEXT
from siting.valuefn import ValueFunction, parse_value_function
from siting.waits import read_waits_csv

_SECTIONS = {
    "scenario", "weights", "parameters", "network", "candidates", "output",
    "value_functions", "ahp", "aggregation", "constraints", "sensitivity",
    "crossing_waits", "candidate_criteria",
}  # fmt: skip

#: ``[weights] method`` values: direct numbers, AHP, rank-order, objective (from the data).
WEIGHT_METHODS = ("direct", "ahp", "rank_sum", "roc", "entropy", "critic")

#: Weight methods whose weights are computed from the candidates at run time.
OBJECTIVE_METHODS = ("entropy", "critic")

#: Fewer ``[sensitivity] draws`` than this give unstable rank ranges (a note, not an error).
MIN_STABLE_DRAWS = 100


@dataclass(frozen=True)
class Bound:
    """The allowed range of a numeric scenario key: ``lo..hi``, ``lo`` excluded if ``lo_open``.

    ``noun`` says what is expected ("a number of minutes"), ``span`` replaces the written range
    (e.g. ``"1/9..9"``) and ``why`` is appended in parentheses. TOML ``true``/``false`` is never a
    number, and an ``integer`` key refuses ``2.0``.
    """

    lo: float
    hi: float
    noun: str = "a number"
    integer: bool = False
    lo_open: bool = False
    span: str = ""
    why: str = ""

    def describe(self) -> str:
        """Return the expected form, e.g. ``"a number of minutes in 1..600"``."""
        if self.span:
            span = f"in {self.span}"
        elif self.lo_open and self.lo == 0:
            span = f"up to {_num(self.hi)}"
        elif self.lo_open:
            span = f"above {_num(self.lo)} and at most {_num(self.hi)}"
        else:
            span = f"in {_num(self.lo)}..{_num(self.hi)}"
        return f"{self.noun} {span}" + (f" ({self.why})" if self.why else "")

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` is a number (an integer if ``integer``) in the range."""
        kinds = int if self.integer else int | float
        if isinstance(value, bool) or not isinstance(value, kinds):
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        return (self.lo < value if self.lo_open else self.lo <= value) and value <= self.hi

    def check(
        self, where: str, value: Any, problems: list[str], *, shown: Any = None
    ) -> float | None:
        """Return ``value`` (an int if ``integer``) if accepted, else add a problem, return None.

        The problem reads ``"<where> is <value>; expected <describe()>"``; ``shown`` replaces the
        value written (e.g. the ``"1/3"`` an AHP entry was parsed from).
        """
        if self.accepts(value):
            return int(value) if self.integer else float(value)
        received = value if shown is None else shown
        hint = " (true/false is not a number)" if isinstance(received, bool) else ""
        problems.append(f"{where} is {_shown(received)}{hint}; expected {self.describe()}")
        return None


def _num(v: float) -> str:
    """Write a bound: ``600``, ``0.5``, ``1e12``."""
    if float(v).is_integer() and abs(v) < 1e10:
        return str(int(v))
    if float(v).is_integer():
        return f"{v:.0e}".replace("e+", "e")
    return f"{v:g}"


def _shown(value: Any) -> str:
    """Write a received value as in TOML: ``true``, ``inf``, ``nan``, ``100000``, ``'45'``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if value != value else ("inf" if value > 0 else "-inf")
    return repr(value)


@functools.cache
def bounds() -> dict[str, Bound]:
    """Return the allowed range of every numeric scenario key (docs/scenario.md shows this table).

    Keys are written as in the docs: ``"[parameters] commute_min"``,
    ``"[value_functions.*] width"``. Two upper bounds come from the bundled data: ``min_trucks``
    (the busiest crossing's 2024 trucks, so that at least one crossing remains) and
    ``security_year`` (the latest full SESNSP year).
    """
    from siting.layers import security

    busiest = land_ports().sort_values("trucks", ascending=False).iloc[0]
    minutes = "a number of minutes"
    finite = Bound(-1e12, 1e12, "a finite number")
    positive = Bound(0, 1e12, "a positive number", lo_open=True)
    return {
        "[weights] <criterion>": Bound(
            0, 1e6, "a non-negative number", why="any scale: rescaled to sum to 1"
        ),
        "[ahp] matrix entries": Bound(
            0.11, 9, 'a number or "a/b" fraction', span="1/9..9", why="Saaty's scale"
        ),
        "[parameters] commute_min": Bound(1, 600, minutes),
        "[parameters] crossing_tau_min": Bound(10, 2880, minutes),
        "[parameters] seaport_tau_min": Bound(10, 2880, minutes),
        "[parameters] min_trucks": Bound(
            0,
            int(busiest["trucks"]),
            "a whole number of trucks",
            integer=True,
            why=f"the busiest crossing, {busiest['port_name']}, handled {int(busiest['trucks'])} "
            "in 2024; a higher value leaves no crossing",
        ),
        "[parameters] labor_radius_km": Bound(1, 500, "a number of km"),
        "[parameters] security_year": Bound(
            2015,
            security.latest_full_year(),
            "a year",
            integer=True,
            why="the full years of the bundled SESNSP data",
        ),
        "[network] access_speed_kph": Bound(1, 120, "a number of km/h"),
        "[network] max_snap_km": Bound(
            5,
            500,
            "a number of km",
            why="smaller values can leave crossings and ports off the network",
        ),
        "[network] speeds.<road class>": Bound(1, 200, "a number of km/h"),
        "[candidates] min_establishments": Bound(
            1,
            50,
            "a whole number of reporting plants",
            integer=True,
            why="the largest bundled industrial park has 50",
        ),
        "[crossing_waits] <crossing>": Bound(
            0, 1440, "minutes", why="a typical truck wait, standard or fast lane"
        ),
        "[value_functions.*] full": finite,
        "[value_functions.*] zero": finite,
        "[value_functions.*] target": finite,
        "[value_functions.*] midpoint": finite,
        "[value_functions.*] width": positive,
        "[value_functions.*] steepness": Bound(0, 1e6, "a positive number", lo_open=True),
        "[value_functions.*] offset": positive,
        "[value_functions.*] map values": Bound(0, 1, "a value"),
        "[aggregation] floor": Bound(
            0,
            0.5,
            "a positive number",
            lo_open=True,
            why="the value the weighted product gives the worst site on a criterion",
        ),
        "[[constraints]] min, max": Bound(
            -1e12, 1e12, "a finite number", why="in the criterion's raw unit"
        ),
        "[sensitivity] draws": Bound(1, 100_000, "a whole number of draws", integer=True),
        "[sensitivity] seed": Bound(0, 2**32 - 1, "a whole number", integer=True),
        "[sensitivity] concentration": Bound(
            0,
            10_000,
            "a positive number",
            lo_open=True,
            why="larger = draws closer to the chosen weights",
        ),
        "[sensitivity] top_k": Bound(1, 1000, "a whole number of sites", integer=True),
    }


def bounds_markdown() -> str:
    """Return :func:`bounds` as the Markdown table of docs/scenario.md (key | allowed values)."""
    rows = ["| key | allowed values |", "|-----|----------------|"]
    rows += [f"| `{key}` | {b.describe()} |" for key, b in bounds().items()]
    return "\n".join(rows)


def few_draws_note(draws: int) -> str | None:
    """Return the note for too few weight draws (fewer than 100), or None.

    Examples
    --------
    >>> few_draws_note(5)
    'draws = 5 is too few for stable rank ranges; use at least 100 (default 1000)'
    >>> few_draws_note(200) is None
    True
    """
    if draws >= MIN_STABLE_DRAWS:
        return None
    return (
        f"draws = {draws} is too few for stable rank ranges; use at least {MIN_STABLE_DRAWS} "
        f"(default {SensitivitySettings().draws})"
    )


@dataclass(frozen=True)
class SensitivitySettings:
    """Monte Carlo over the weights (``[sensitivity]``); see :mod:`siting.sensitivity`."""

    draws: int = 1000
    seed: int = 42
    concentration: float = 50.0
    top_k: int = 10


@dataclass(frozen=True)
class CandidateSource:
    """Where candidates come from: ``"default"`` or a path to a CSV/GeoJSON file."""

    source: str = "default"
    min_establishments: int = 2
    include_metro_seats: bool = True


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. ``weights`` are rescaled to sum to 1.

    With an objective ``weight_method`` (``"entropy"``, ``"critic"``) ``weights`` holds equal
    placeholders over the chosen criteria until :func:`siting.pipeline.run_scenario` computes them
    from the eligible candidates; the scenario of its result holds the computed weights.
    """

    name: str
    weights: dict[str, float]
    params: CriteriaParams = field(default_factory=CriteriaParams)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    candidates: CandidateSource = field(default_factory=CandidateSource)
    output_folder: str = "siting-output"
    offline_map: bool = True
    description: str = ""
    path: str = "<memory>"
    weight_method: str = "direct"
    weight_details: dict[str, Any] = field(default_factory=dict)
    value_functions: dict[str, ValueFunction] = field(default_factory=dict)
    aggregation: str = "weighted_sum"
    product_floor: float = PRODUCT_FLOOR
    constraints: tuple[Constraint, ...] = ()
    sensitivity: SensitivitySettings = field(default_factory=SensitivitySettings)
    #: Doubts found while validating: English sentences about choices that are allowed but look
    #: unintended (weights rescaled, inverted thresholds, a value function on an unweighted
    #: criterion, too few draws...). The command line prints them as notes; runs record them.
    doubts: tuple[str, ...] = ()
    #: The tables it was parsed from (as read from TOML), for :func:`with_overrides`.
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def resolved(self) -> dict[str, Any]:
        """Return the scenario as resolved, as plain data (for the run record)."""
        return {
            "name": self.name,
            "description": self.description,
            "path": self.path,
            "weights": dict(self.weights),
            "parameters": dataclasses.asdict(self.params),
            "network": {**dataclasses.asdict(self.network), "speeds": dict(self.network.speeds)},
            "candidates": dataclasses.asdict(self.candidates),
            "output": {"folder": self.output_folder, "offline_map": self.offline_map},
            "weight_method": {"method": self.weight_method, **self.weight_details},
            "value_functions": {k: v.describe() for k, v in self.value_functions.items()},
            "aggregation": {"method": self.aggregation, "floor": self.product_floor}
            if self.aggregation == "weighted_product"
            else {"method": self.aggregation},
            "constraints": [c.describe() for c in self.constraints],
            "sensitivity": dataclasses.asdict(self.sensitivity),
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
    if path.is_dir():
        raise ScenarioError(str(path), ["is a directory; pass a .toml file"])
    if not path.is_file():
        raise ScenarioError(str(path), ["file does not exist; pass the path of a .toml scenario"])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        msg = f"cannot be read ({reason}); check that the file is readable"
        raise ScenarioError(str(path), [msg]) from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (Windows Notepad) is fine
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        msg = (
            f"is not valid TOML: not UTF-8 text (byte 0x{raw[exc.start]:02x} at line {line}, "
            f"column {column}); save the file as UTF-8"
        )
        raise ScenarioError(str(path), [msg]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
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

    declared = _candidate_criteria(_table(data, "candidate_criteria", problems), problems)
    weight_table = _table(data, "weights", problems)
    method = weight_table.get("method", "direct")
    if method not in WEIGHT_METHODS:
        problems.append(f"[weights] method is {method!r}; expected one of {list(WEIGHT_METHODS)}")
        method = "direct"
    if "ahp" in data and method != "ahp":
        problems.append('[ahp] is given but [weights] method is not "ahp"; set method = "ahp"')
    doubts: list[str] = []
    if method == "direct":
        weights, total = _weights(
            {k: v for k, v in weight_table.items() if k != "method"}, problems
        )
        if weights and not math.isclose(total, 1.0, rel_tol=1e-9, abs_tol=1e-12):
            doubts.append(
                f"[weights] add up to {total:g}, not 1; they were rescaled to sum to 1 "
                f"(each divided by {total:g})"
            )
        details: dict[str, Any] = {}
    else:
        weights, details = _method_weights(method, weight_table, data.get("ahp"), problems)
    n_weight_doubts = len(doubts)
    value_functions = _value_functions(_table(data, "value_functions", problems), problems)
    aggregation, floor = _aggregation(_table(data, "aggregation", problems), problems, doubts)
    constraints = parse_constraints(data.get("constraints"), list(CRITERIA), problems)
    sensitivity = _sensitivity(_table(data, "sensitivity", problems), problems, doubts)
    params = CriteriaParams(
        **_params(_table(data, "parameters", problems), problems),
        **_crossing_waits(_table(data, "crossing_waits", problems), Path(path), problems),
    )
    network = _network(_table(data, "network", problems), Path(path), problems)
    if network.straight_line and method in OBJECTIVE_METHODS and "criteria" not in weight_table:
        chosen = list(default_set("straight-line"))
        weights, details = {c: 1.0 / len(chosen) for c in chosen}, {"criteria": chosen}
    if network.straight_line:
        _check_no_network_criteria(network, weights, value_functions, constraints, problems)
    candidates = _candidates(_table(data, "candidates", problems), Path(path), problems)

    output = _table(data, "output", problems)
    folder = output.get("folder", "siting-output")
    if not isinstance(folder, str) or not folder.strip() or "\x00" in folder:
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
    doubts[n_weight_doubts:n_weight_doubts] = _usage_doubts(
        weights, value_functions, constraints, declared
    )
    return Scenario(
        name=name,
        description=description,
        weights=weights,
        params=params,
        network=network,
        candidates=candidates,
        output_folder=folder,
        offline_map=offline,
        path=path,
        weight_method=method,
        weight_details=details,
        value_functions=value_functions,
        aggregation=aggregation,
        product_floor=floor,
        constraints=tuple(constraints),
        sensitivity=sensitivity,
        doubts=tuple(doubts),
        data=copy.deepcopy(data),
    )


#: Shorthands of :func:`with_overrides`: a plain value stands for this key of the section.
_SHORTHAND = {"aggregation": "method", "network": "source", "candidates": "source"}


def with_overrides(scenario: Scenario, **sections: Any) -> Scenario:
    """Return ``scenario`` with some of its sections replaced, validated like a file.

    Each keyword is a scenario section (``weights``, ``parameters``, ``network``,
    ``candidates``, ``output``, ``aggregation``, ``value_functions``, ``ahp``, ``constraints``,
    ``sensitivity``, ``scenario``) with the table it would have in the TOML file. ``weights``,
    ``ahp`` and ``constraints`` replace the section whole; the other tables update the keys they
    name. A plain value is short for the main key of a section: ``aggregation="topsis"``,
    ``network="straight-line"``, ``candidates="sites.csv"``.

    The sections come from the tables ``scenario`` was parsed from: a scenario changed in code
    afterwards (``dataclasses.replace``) cannot take overrides, since they would silently undo
    the change.

    Raises
    ------
    ScenarioError
        Listing every problem of the result (e.g. an unknown section or criterion).
    ValueError
        If ``scenario`` no longer matches the tables it was parsed from.

    Examples
    --------
    >>> base = load_scenario()
    >>> topsis = with_overrides(base, aggregation="topsis", parameters={"commute_min": 60})
    >>> topsis.aggregation, topsis.params.commute_min, base.aggregation
    ('topsis', 60.0, 'weighted_sum')
    """
    if parse_scenario(scenario.data, path=scenario.path) != scenario:
        msg = (
            f"scenario {scenario.name!r} was changed after it was read, so overrides would undo "
            "the change; apply the overrides first (with_overrides), then change it in code"
        )
        raise ValueError(msg)
    data = copy.deepcopy(scenario.data)
    for key, value in sections.items():
        if key in _SHORTHAND and not isinstance(value, dict):
            value = {_SHORTHAND[key]: str(value) if isinstance(value, Path) else value}
        if (
            isinstance(value, dict)
            and key not in ("weights", "ahp")
            and isinstance(data.get(key), dict)
        ):
            data[key] = {**data[key], **copy.deepcopy(value)}
        else:
            data[key] = copy.deepcopy(value)
    return parse_scenario(data, path=scenario.path)


def _better(direction: str) -> str:
    return "more is better" if direction == "benefit" else "less is better"


def _usage_doubts(
    weights: dict[str, float],
    value_functions: dict[str, ValueFunction],
    constraints: list[Constraint],
    declared: list[str],
) -> list[str]:
    """Doubts about value functions and declared columns: inverted, or without effect."""
    doubts = []
    for key, fn in value_functions.items():
        where = f"[value_functions.{key}]"
        direction = CRITERIA[key].direction
        rewards = fn.rewards()
        if rewards is not None and rewards != direction:
            larger = "larger" if rewards == "benefit" else "smaller"
            what = f"{key} is a {direction} criterion ({_better(direction)})"
            if fn.kind == "threshold":
                full, zero = fn.params["full"], fn.params["zero"]
                doubts.append(
                    f"{where} full = {full:g} is {'above' if full > zero else 'below'} zero = "
                    f"{zero:g}, so {larger} values score higher, but {what}; the ranking will "
                    f"favour sites with {larger} {key}: swap full and zero if that is not meant"
                )
            elif fn.kind == "categorical":
                doubts.append(
                    f"{where} map gives higher values to {larger} {key}, but {what}; the ranking "
                    f"will favour sites with {larger} {key}: reverse the map if that is not meant"
                )
            else:
                doubts.append(
                    f'{where} direction = "{rewards}" reverses the registry direction: {what}, '
                    f"but {larger} values will score higher; remove direction if that is not meant"
                )
        if not weights.get(key):
            state = "has weight 0" if key in weights else "is not weighted"
            doubts.append(
                f"{where} has no effect on the score: {key} {state} (it is still measured and "
                "reported); weight it or remove the table"
            )
    constrained = {c.criterion for c in constraints}
    for key in declared:
        if not weights.get(key) and key not in constrained and key not in value_functions:
            doubts.append(
                f"[candidate_criteria.{key}] is neither weighted nor constrained: it is reported "
                "in ranking.csv but does not change the ranking"
            )
    return doubts


def _table(data: dict[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"[{key}] must be a table, got {type(value).__name__}")
        return {}
    return value


def _weights(table: dict[str, Any], problems: list[str]) -> tuple[dict[str, float], float]:
    """Direct weights rescaled to sum to 1, and the sum they had (``({}, 0)`` on problems)."""
    if not table:
        problems.append(
            "[weights] is missing or empty; give a non-negative weight to at least one of "
            f"{sorted(CRITERIA)}"
        )
        return {}, 0.0
    bound = bounds()["[weights] <criterion>"]
    weights: dict[str, float] = {}
    for key, value in table.items():
        if key not in CRITERIA:
            problems.append(
                f"[weights] unknown criterion {key!r}; expected one of {sorted(CRITERIA)}"
            )
            continue
        number = bound.check(f"[weights] {key}", value, problems)
        if number is not None:
            weights[key] = number
    total = math.fsum(weights.values())
    if weights and total == 0 and len(weights) == len(table):
        problems.append("[weights] all weights are zero; at least one must be positive")
    if total <= 0:
        return {}, 0.0
    return {k: v / total for k, v in weights.items()}, total


#: CriteriaParams fields set by the ``[crossing_waits]`` section, not by ``[parameters]``.
_WAIT_FIELDS = ("crossing_lane", "crossing_waits", "crossing_waits_source")


def _params(table: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    allowed = {f.name: f for f in dataclasses.fields(CriteriaParams) if f.name not in _WAIT_FIELDS}
    table_of_bounds = bounds()
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key not in allowed:
            problems.append(f"[parameters] unknown key {key!r}; expected one of {sorted(allowed)}")
        elif key == "us_gateways":
            if not isinstance(value, bool):
                problems.append(f"[parameters] us_gateways is {value!r}; expected true or false")
            else:
                kwargs[key] = value
        elif key == "route_risk_indicator":
            if not isinstance(value, str) or value not in ROUTE_RISK_INDICATORS:
                problems.append(
                    f"[parameters] route_risk_indicator is {value!r}; expected one of "
                    f"{list(ROUTE_RISK_INDICATORS)}"
                )
            else:
                kwargs[key] = value
        else:
            bound = table_of_bounds[f"[parameters] {key}"]
            number = bound.check(f"[parameters] {key}", value, problems)
            if number is not None:
                kwargs[key] = number
    return kwargs


def _crossing_waits(
    table: dict[str, Any], scenario_path: Path, problems: list[str]
) -> dict[str, Any]:
    """``[crossing_waits]``: typical truck wait per crossing, by hand and/or from a file.

    Keys: ``lane`` (``"standard"``, default, or ``"fast"``), ``file`` (a CSV written by
    ``siting waits``, relative to the scenario), and one key per crossing ``port_name`` with
    minutes, or ``{standard = 60, fast = 25}``. Crossings given by hand override the file. A
    crossing without a FAST figure uses its standard one.
    """
    lane = table.get("lane", "standard")
    if lane not in ("standard", "fast"):
        problems.append(f'[crossing_waits] lane is {lane!r}; expected "standard" or "fast"')
        lane = "standard"
    ports = land_ports()
    known = set(ports["port_name"])
    name_of = dict(zip(ports["port_code"], ports["port_name"], strict=True))
    waits: dict[str, float] = {}
    sources: list[str] = []
    file = table.get("file")
    if file is not None:
        if not isinstance(file, str) or not file.strip() or "\x00" in file:
            problems.append(
                "[crossing_waits] file must be the path of a CSV written by `siting waits`"
            )
        else:
            path = Path(file) if Path(file).is_absolute() else scenario_path.parent / file
            try:
                rows = read_waits_csv(path)
            except InputError as exc:
                problems.append(f"[crossing_waits] file: {exc}")
            else:
                for row in rows.itertuples():
                    value = (
                        row.fast_min
                        if lane == "fast" and row.fast_min == row.fast_min
                        else row.standard_min
                    )
                    port = name_of.get(str(row.port_code))  # CBP and BTS names differ
                    if port is not None and value == value:
                        waits[port] = float(value)
                stamp = ", ".join(sorted(set(rows["fetched_at"].dropna().astype(str))))
                sources.append(f"{path.name} (CBP snapshot {stamp})" if stamp else path.name)
    by_hand = []
    bound = bounds()["[crossing_waits] <crossing>"]
    for key, value in table.items():
        if key in ("lane", "file"):
            continue
        if key not in known:
            problems.append(
                f"[crossing_waits] unknown crossing {key!r}; expected a land port name such as "
                f"{sorted(known)[:6]}"
            )
            continue
        if isinstance(value, dict):
            extra = sorted(set(value) - {"standard", "fast"})
            if extra or "standard" not in value:
                problems.append(
                    f"[crossing_waits] {key} is {value!r}; expected minutes or "
                    "{standard = 60, fast = 25} (standard required)"
                )
                continue
            checked = {
                k: bound.check(f"[crossing_waits] {key}.{k}", v, problems) for k, v in value.items()
            }
            if None in checked.values():
                continue
            minutes = checked["standard"]
            if lane == "fast":
                minutes = checked.get("fast", minutes)
        else:
            minutes = bound.check(f"[crossing_waits] {key}", value, problems)
        if minutes is None:
            continue
        waits[key] = minutes
        by_hand.append(key)
    if by_hand:
        sources.append("scenario [crossing_waits]")
    return {
        "crossing_lane": lane,
        "crossing_waits": waits,
        "crossing_waits_source": "; ".join(sources),
    }


def _candidate_criteria(table: dict[str, Any], problems: list[str]) -> list[str]:
    """``[candidate_criteria.<column>]``: a numeric column of the candidates file as a criterion.

    Keys: ``direction`` (``"benefit"`` or ``"cost"``, required), ``unit``, ``label``,
    ``label_es``, ``description``. The criterion is registered (key = column name) so that
    ``[weights]``, ``[value_functions]`` and ``[[constraints]]`` can use it. Returns the columns
    registered.
    """
    declared = []
    for key, spec in table.items():
        where = f"[candidate_criteria.{key}]"
        if not isinstance(spec, dict):
            problems.append(f'{where} must be a table such as {{direction = "cost"}}')
            continue
        if key in CRITERIA and CRITERIA[key].candidate_column is None:
            problems.append(f"{where} {key!r} is a built-in criterion; name the column otherwise")
            continue
        if not key.isidentifier():
            problems.append(f"{where} {key!r} is not a usable column name; use letters, digits, _")
            continue
        extra = sorted(set(spec) - {"direction", "unit", "label", "label_es", "description"})
        if extra:
            problems.append(
                f"{where} unknown key(s) {extra}; expected direction, unit, label, label_es, "
                "description"
            )
        direction = spec.get("direction")
        if direction not in ("benefit", "cost"):
            problems.append(f'{where} direction is {direction!r}; expected "benefit" or "cost"')
            continue
        texts = {k: spec.get(k, "") for k in ("unit", "label", "label_es", "description")}
        if not all(isinstance(v, str) for v in texts.values()):
            problems.append(f"{where} unit, label, label_es and description must be strings")
            continue
        label = texts["label"] or key
        desc = texts["description"] or f"Column {key!r} of the candidates file."
        register_criterion(
            Criterion(
                key=key,
                direction=direction,
                unit=texts["unit"],
                label={"en": label, "es": texts["label_es"] or label},
                description={
                    "en": desc,
                    "es": texts["description"] or f"Columna {key!r} del archivo de candidatos.",
                },
                straight=candidate_column(key),
                candidate_column=key,
            ),
            replace=True,
        )
        declared.append(key)
    return declared


def _network(table: dict[str, Any], scenario_path: Path, problems: list[str]) -> NetworkSettings:
    from siting.layers import roads

    known = {"source", "access_speed_kph", "max_snap_km", "speeds", "place", "bbox"}
    for key in sorted(set(table) - known):
        problems.append(f"[network] unknown key {key!r}; expected one of {sorted(known)}")
    form = (
        '"bundled", "straight-line", "download" (with place or bbox) or the path of an .osm, '
        ".osm.bz2, .xml or .graphml file"
    )
    source = table.get("source", "bundled")
    place, bbox = _download_area(table, problems)
    is_download = isinstance(source, str) and source.strip().lower() == "download"
    if is_download and ("place" in table) == ("bbox" in table):
        problems.append(
            '[network] source = "download" needs exactly one of place = "Ramos Arizpe, '
            'Coahuila, México" or bbox = [west, south, east, north]'
        )
    if not is_download and ("place" in table or "bbox" in table):
        problems.append('[network] place and bbox are only used with source = "download"')
    if not isinstance(source, str) or not source.strip() or "\x00" in source:
        problems.append(f"[network] source is {source!r}; expected {form}")
        source = "bundled"
    elif source.strip().lower() not in ("bundled", "straight-line", "none", "download"):
        resolved = (scenario_path.parent / source).expanduser().resolve()
        if not resolved.is_file():
            problems.append(
                f"[network] source file {str(resolved)!r} does not exist "
                f"(paths are relative to the scenario file); expected {form}"
            )
        elif not resolved.name.lower().endswith(roads.OSM_SUFFIXES + roads.GRAPHML_SUFFIXES):
            problems.append(
                f"[network] source {str(resolved)!r} is not a road network file; expected {form}"
            )
        source = str(resolved)
    kwargs: dict[str, Any] = {"source": source, "place": place, "bbox": bbox}
    for key in ("access_speed_kph", "max_snap_km"):
        if key in table:
            number = bounds()[f"[network] {key}"].check(f"[network] {key}", table[key], problems)
            if number is not None:
                kwargs[key] = number
    speeds = table.get("speeds", {})
    if not isinstance(speeds, dict):
        problems.append("[network] speeds must be a table of road class = km/h, e.g. { toll = 80 }")
    else:
        classes = sorted(set(roads.TRUCK_SPEEDS_KPH) | set(roads.OSM_TRUCK_SPEEDS_KPH))
        good = {}
        for key, v in speeds.items():
            if key not in classes:
                problems.append(
                    f"[network] speeds: unknown road class {key!r}; expected one of {classes}"
                )
            else:
                kph = bounds()["[network] speeds.<road class>"].check(
                    f"[network] speeds.{key}", v, problems
                )
                if kph is not None:
                    good[key] = kph
        kwargs["speeds"] = good
    return NetworkSettings(**kwargs)


def _download_area(
    table: dict[str, Any], problems: list[str]
) -> tuple[str | None, tuple[float, float, float, float] | None]:
    place = table.get("place")
    if place is not None and (not isinstance(place, str) or not place.strip()):
        example = '"Atlixco, Puebla, México"'
        problems.append(f"[network] place is {place!r}; expected a place name such as {example}")
        place = None
    bbox = table.get("bbox")
    if bbox is None:
        return place, None
    form = "expected [west, south, east, north] in degrees, west < east, south < north"
    ok = (
        isinstance(bbox, list)
        and len(bbox) == 4
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in bbox)
    )
    if not ok or not (-180 <= bbox[0] < bbox[2] <= 180 and -90 <= bbox[1] < bbox[3] <= 90):
        problems.append(f"[network] bbox is {bbox!r}; {form}")
        return place, None
    return place, (float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3]))


def _check_no_network_criteria(
    network: NetworkSettings,
    weights: dict[str, float],
    value_functions: dict[str, ValueFunction],
    constraints: list[Constraint],
    problems: list[str],
) -> None:
    used = [*weights, *value_functions, *(c.criterion for c in constraints)]
    for name in dict.fromkeys(used):
        if name in CRITERIA and CRITERIA[name].needs_network:
            alternative = CRITERIA[name].alternative or "a criterion measured without a network"
            problems.append(
                NETWORK_TEXT["needs_network"].format(
                    name=name, source=network.source, alternative=alternative
                )
            )


def _candidates(table: dict[str, Any], scenario_path: Path, problems: list[str]) -> CandidateSource:
    known = {"source", "min_establishments", "include_metro_seats"}
    for key in sorted(set(table) - known):
        problems.append(f"[candidates] unknown key {key!r}; expected one of {sorted(known)}")
    source = table.get("source", "default")
    if not isinstance(source, str) or not source.strip() or "\x00" in source:
        problems.append('[candidates] source must be "default" or the path of a CSV/GeoJSON file')
        source = "default"
    elif source != "default":
        resolved = (scenario_path.parent / source).resolve()
        if not resolved.is_file():
            problems.append(
                f"[candidates] source file {str(resolved)!r} does not exist "
                "(paths are relative to the scenario file)"
            )
        source = str(resolved)
    min_est = 2
    if "min_establishments" in table:
        number = bounds()["[candidates] min_establishments"].check(
            "[candidates] min_establishments", table["min_establishments"], problems
        )
        min_est = 2 if number is None else int(number)
    seats = table.get("include_metro_seats", True)
    if not isinstance(seats, bool):
        problems.append(f"[candidates] include_metro_seats is {seats!r}; expected true or false")
        seats = True
    return CandidateSource(source=source, min_establishments=min_est, include_metro_seats=seats)


def _criteria_list(value: Any, where: str, problems: list[str]) -> list[str] | None:
    """Validate a list of distinct known criterion names; None (with problems) if invalid."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.append(
            f"{where} must be a non-empty list of criterion names such as {list(CRITERIA)[:3]}"
        )
        return None
    bad = [v for v in value if v not in CRITERIA]
    if bad:
        problems.append(
            f"{where} has unknown criteria {bad}; expected names from {sorted(CRITERIA)}"
        )
    dupes = sorted({v for v in value if value.count(v) > 1})
    if dupes:
        problems.append(f"{where} lists {dupes} more than once; name each criterion once")
    return None if bad or dupes else list(value)


def _method_weights(
    method: str, table: dict[str, Any], ahp_table: Any, problems: list[str]
) -> tuple[dict[str, float], dict[str, Any]]:
    """Weights for a non-direct ``[weights] method``; ``({}, {})`` on problems."""
    allowed = {"ahp": {"method"}, "rank_sum": {"method", "order"}, "roc": {"method", "order"},
               "entropy": {"method", "criteria"},
               "critic": {"method", "criteria"}}[method]  # fmt: skip
    for key in sorted(set(table) - allowed):
        hint = (
            "the weights come from the [ahp] matrix"
            if method == "ahp"
            else f"expected only {sorted(allowed)}"
        )
        problems.append(f"[weights] key {key!r} is not used with method = {method!r}; {hint}")
    if method in ("rank_sum", "roc"):
        order = _criteria_list(
            table.get("order"), f"[weights] order (method = {method!r})", problems
        )
        if order is None:
            return {}, {}
        w = _w.rank_sum(len(order)) if method == "rank_sum" else _w.rank_order_centroid(len(order))
        return dict(zip(order, (float(x) for x in w), strict=True)), {"order": order}
    if method in OBJECTIVE_METHODS:
        crits = table.get("criteria", list(default_set("network")))
        chosen = _criteria_list(crits, f"[weights] criteria (method = {method!r})", problems)
        if chosen is None:
            return {}, {}
        return {c: 1.0 / len(chosen) for c in chosen}, {"criteria": chosen}
    # AHP
    form = 'criteria = ["crossing_km", "labor_pool"] and matrix = [[1, 3], ["1/3", 1]]'
    if not isinstance(ahp_table, dict):
        problems.append(f'[weights] method = "ahp" needs an [ahp] table with {form}')
        return {}, {}
    for key in sorted(set(ahp_table) - {"criteria", "matrix"}):
        problems.append(f"[ahp] unknown key {key!r}; expected 'criteria' and 'matrix'")
    crits = _criteria_list(ahp_table.get("criteria"), "[ahp] criteria", problems)
    matrix = _ahp_matrix(ahp_table.get("matrix"), problems)
    if crits is None or matrix is None:
        return {}, {}
    if len(matrix) != len(crits):
        problems.append(
            f"[ahp] matrix has {len(matrix)} rows but criteria lists {len(crits)}; "
            "expected one row and one column per criterion, in the same order"
        )
        return {}, {}
    bad = _w.check_pairwise_matrix(matrix)
    if bad:
        problems.extend(f"[ahp] matrix {p}" for p in bad)
        return {}, {}
    w, cr = _w.ahp(matrix)
    if cr > _w.MAX_CONSISTENCY_RATIO:
        i, j, _ = _w.most_inconsistent_pair(matrix, w)
        implied = w[i] / w[j]
        problems.append(
            f"[ahp] matrix is inconsistent: consistency ratio {cr:.3f} exceeds "
            f"{_w.MAX_CONSISTENCY_RATIO:.2f}; the most inconsistent judgment is "
            f"{crits[i]} vs {crits[j]} (row {i + 1}, column {j + 1}) = {matrix[i][j]:.4g}, while "
            f"the other judgments imply about {implied:.2g}; revise it first"
        )
        return {}, {}
    details = {"criteria": crits, "matrix": matrix, "consistency_ratio": round(cr, 6)}
    return dict(zip(crits, (float(x) for x in w), strict=True)), details


def _ahp_matrix(value: Any, problems: list[str]) -> list[list[float]] | None:
    """Parse ``[ahp] matrix``: rows of numbers or ``"a/b"`` strings (e.g. ``"1/3"``)."""
    form = 'a list of rows, e.g. [[1, 3], ["1/3", 1]] (numbers or "a/b" fractions)'
    if not isinstance(value, list) or not value or not all(isinstance(r, list) for r in value):
        problems.append(f"[ahp] matrix must be {form}")
        return None
    rows: list[list[float]] = []
    ok = True
    bound = bounds()["[ahp] matrix entries"]
    for i, row in enumerate(value, start=1):
        parsed = []
        for j, cell in enumerate(row, start=1):
            number = bound.check(
                f"[ahp] matrix entry ({i},{j})", _fraction(cell), problems, shown=cell
            )
            if number is None:
                ok = False
            else:
                parsed.append(number)
        rows.append(parsed)
    if ok and any(len(r) != len(rows) for r in rows):
        problems.append(
            f"[ahp] matrix must be square; got {len(rows)} rows of lengths {[len(r) for r in rows]}"
        )
        return None
    return rows if ok else None


def _fraction(cell: Any) -> Any:
    """Return a matrix entry as a number (``"1/3"`` → 0.333), anything else unchanged."""
    if not isinstance(cell, str):
        return cell
    parts = cell.replace(" ", "").split("/")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return cell
    if len(nums) == 1:
        return nums[0]
    if len(nums) == 2 and math.isfinite(nums[0]) and math.isfinite(nums[1]) and nums[1] > 0:
        return nums[0] / nums[1]
    return cell


def _value_functions(table: dict[str, Any], problems: list[str]) -> dict[str, ValueFunction]:
    out = {}
    for key, spec in table.items():
        if key not in CRITERIA:
            problems.append(
                f"[value_functions.{key}] unknown criterion {key!r}; expected one of "
                f"{sorted(CRITERIA)}"
            )
            continue
        out[key] = parse_value_function(key, spec, problems)
    return out


def _aggregation(
    table: dict[str, Any], problems: list[str], doubts: list[str]
) -> tuple[str, float]:
    for key in sorted(set(table) - {"method", "floor"}):
        problems.append(f"[aggregation] unknown key {key!r}; expected 'method' or 'floor'")
    method = table.get("method", "weighted_sum")
    if not isinstance(method, str) or method not in METHODS:
        problems.append(f"[aggregation] method is {method!r}; expected one of {list(METHODS)}")
        method = "weighted_sum"
    floor = PRODUCT_FLOOR
    if "floor" in table:
        number = bounds()["[aggregation] floor"].check(
            "[aggregation] floor", table["floor"], problems
        )
        floor = PRODUCT_FLOOR if number is None else number
        if method != "weighted_product":
            doubts.append(
                f'[aggregation] floor is only used with method = "weighted_product"; '
                f'it is ignored with method = "{method}"'
            )
    return method, float(floor)


def _sensitivity(
    table: dict[str, Any], problems: list[str], doubts: list[str]
) -> SensitivitySettings:
    known = {f.name for f in dataclasses.fields(SensitivitySettings)}
    for key in sorted(set(table) - known):
        problems.append(f"[sensitivity] unknown key {key!r}; expected one of {sorted(known)}")
    kwargs: dict[str, Any] = {}
    for key in ("draws", "seed", "concentration", "top_k"):
        if key in table:
            bound = bounds()[f"[sensitivity] {key}"]
            number = bound.check(f"[sensitivity] {key}", table[key], problems)
            if number is not None:
                kwargs[key] = number
    settings = SensitivitySettings(**kwargs)
    few = few_draws_note(settings.draws)
    if few and "draws" in kwargs:
        doubts.append(f"[sensitivity] {few}")
    return settings
