"""Run a scenario end to end: candidates → criteria → normalization → score → rank."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from siting import layers
from siting import weights as weight_methods
from siting._errors import InputError, ScenarioError
from siting.aggregate import PRODUCT_FLOOR, aggregate
from siting.candidates import (
    OUTSIDE_CHOICES,
    check_candidates,
    default_candidates,
    read_candidates,
)
from siting.constraints import apply_constraints
from siting.criteria import CRITERIA, compute_criteria
from siting.metros import metro_ranks
from siting.normalize import normalize
from siting.result import CriterionWeight, NetworkInfo, RunResult, Stability
from siting.routing.search import ProgressFactory
from siting.scenario import OBJECTIVE_METHODS, Scenario, load_scenario, with_overrides
from siting.sensitivity import sensitivity
from siting.text import (
    EXCLUDED_BY,
    LANGUAGES,
    NETWORK_TEXT,
    NOTES,
    NOTES_BY_LANG,
    check_lang,
)
from siting.valuefn import ValueFunction

logger = logging.getLogger(__name__)

#: Datasets used by a run (keys of ``layers.sources()``), for credits and the run record.
USED_SOURCES = [
    "boundaries",
    "us_border_naturalearth",
    "census_municipalities",
    "census_localities",
    "border_crossings",
    "homicide",
    "crime_incidence",
    "travel_advisory",
    "homicide_municipal",
    "container_ports",
    "us_gateway_ports",
    "labor_enoe",
    "minimum_wage",
    "wage_zone",
    "industrial_parks",
    "metro_zones",
]

#: Columns that describe a site beyond its criteria, after ``distance_method`` in the ranking.
EXTRA_COLUMNS = ["metro", "metro_rank", "aliases", "nearest_crossing_any", "crossing_wait_min"]

#: Credit of a user-supplied OSM road network (OSM data is under the ODbL).
OSM_CREDIT = "© OpenStreetMap contributors (ODbL)"


#: ``excluded_by`` of a candidate outside Mexico kept with ``outside="keep"``
#: (``siting.text.EXCLUDED_BY["outside"]``, Spanish in ``EXCLUDED_BY_BY_LANG``).
OUTSIDE_TEXT = EXCLUDED_BY["outside"]
#: Note added to a run that lists candidates outside Mexico (``siting.text.NOTES["outside"]``).
OUTSIDE_NOTE = NOTES["outside"]

#: Most candidates siting ranks (:func:`run`, ``siting run --no-maps``): every criterion and the
#: rank ranges. 200,000 took 2.2 GB and about 2 minutes on a 2-core machine
#: (``tests/benchmarks/bench_limits.py``; docs/robustness.md, "Limits").
MAX_RANKED = 200_000
#: Most candidates siting draws maps of (``siting run``, :meth:`RunResult.write` with maps,
#: :meth:`RunResult.explore`): ``map.html`` holds every site's data; at 50,000 it is 16 MB, loads
#: in about 2.7 s and redraws a weight change in about 0.7 s (``tests/benchmarks/bench_map.py``).
MAX_CANDIDATES = 50_000


def check_size(n: int, where: str = "", *, maps: bool = True) -> None:
    """Refuse more candidates than siting can rank (or, with ``maps``, map), saying what to do.

    Raises
    ------
    siting.InputError
        Naming the count, the limit and the ways around it.
    """
    head = f"{where + ': ' if where else ''}{n:,} candidates"
    if n > MAX_RANKED:
        msg = (
            f"{head}, but siting ranks at most {MAX_RANKED:,} (memory grows with every site; see "
            f"'Limits' in docs/robustness.md): split them into files of at most {MAX_RANKED:,}, "
            "or pre-screen them with a straight-line scenario and route only the best"
        )
        raise InputError(msg)
    if maps and n > MAX_CANDIDATES:
        msg = (
            f"{head}, but the maps take at most {MAX_CANDIDATES:,} (one marker per site; see "
            "'Limits' in docs/robustness.md): pass --no-maps (from Python: "
            "result.write(folder, maps=False)) to write ranking.csv, sites.geojson and run.json "
            f"for up to {MAX_RANKED:,}, or split them into files of at most {MAX_CANDIDATES:,}"
        )
        raise InputError(msg)


#: Rank-range columns that :func:`run_scenario` adds from the Monte Carlo weight sensitivity.
RANGE_COLUMNS = ["rank_best", "rank_p05", "rank_median", "rank_p95", "rank_worst", "top_k_share"]


def run(
    scenario: Scenario | str | os.PathLike[str] | None = None,
    candidates: gpd.GeoDataFrame | str | os.PathLike[str] | None = None,
    *,
    rank_ranges: bool = True,
    progress: ProgressFactory | None = None,
    outside: str = "refuse",
    **overrides: Any,
) -> RunResult:
    """Score and rank candidate sites: the Python side of ``siting run``.

    Parameters
    ----------
    scenario
        A :class:`~siting.scenario.Scenario`, the path of a scenario TOML file, or None for
        the bundled default scenario.
    candidates
        Candidate sites replacing the scenario's: a GeoDataFrame of points with a ``name``
        column, or the path of a CSV (``name,lon,lat``) or GeoJSON file. None: the scenario's.
    rank_ranges
        Also rank every site under the scenario's ``[sensitivity]`` weight draws (rank-range
        columns and :attr:`RunResult.stability`), as ``siting run`` does. False is faster.
    progress
        Optional progress-bar factory (e.g. ``tqdm.tqdm``) for the slow road-network steps.
    outside
        Candidates outside Mexico: ``"refuse"`` (default) raises :class:`siting.InputError`
        naming them; ``"keep"`` lists them last in the ranking, unranked, with
        ``outside_mexico`` True and ``excluded_by`` ``"outside Mexico"``.
    **overrides
        Scenario sections to replace, as in the TOML file (see
        :func:`siting.scenario.with_overrides`): ``weights={"labor_pool": 2, ...}``,
        ``aggregation="topsis"``, ``network="straight-line"``, ``parameters={...}``...

    Returns
    -------
    RunResult
        ``.ranking`` (GeoDataFrame, see :func:`run_scenario`), ``.explore()``, ``.plot()``,
        ``.write(folder)``, ``.sensitivity()``, ``.compare(names)``.

    Raises
    ------
    siting.ScenarioError
        If the scenario file or an override is invalid (every problem listed).
    siting.InputError
        If the candidates file cannot be read or is malformed.

    Examples
    --------
    >>> import siting
    >>> quick = {"crossing_km": 2, "labor_pool": 1, "homicide_rate": 1}
    >>> result = siting.run(network="straight-line", weights=quick, rank_ranges=False)
    >>> int(result.ranking["rank"].iloc[0]), [c.name for c in result.criteria]
    (1, ['crossing_km', 'labor_pool', 'homicide_rate'])
    """
    scenario, sites = resolve_inputs(scenario, candidates, outside=outside, **overrides)
    return run_scenario(scenario, candidates=sites, progress=progress, rank_ranges=rank_ranges)


def resolve_inputs(
    scenario: Scenario | str | os.PathLike[str] | None = None,
    candidates: gpd.GeoDataFrame | str | os.PathLike[str] | None = None,
    *,
    outside: str = "refuse",
    **overrides: Any,
) -> tuple[Scenario, gpd.GeoDataFrame]:
    """Return the validated scenario and the candidates that :func:`run` would rank.

    Takes the arguments of :func:`run`. A candidates file is read and its resolved path
    recorded as the scenario's candidate source (for the run record). With ``outside="keep"``
    user candidates get the boolean column ``outside_mexico`` (see
    :func:`siting.candidates.read_candidates`).
    """
    if outside not in OUTSIDE_CHOICES:
        msg = f"`outside` was {outside!r} but is expected to be one of {list(OUTSIDE_CHOICES)}"
        raise ValueError(msg)
    if scenario is None or isinstance(scenario, str | os.PathLike):
        scenario = load_scenario(scenario)
    elif not isinstance(scenario, Scenario):
        msg = (
            f"`scenario` was a {type(scenario).__name__} but is expected to be a Scenario, the "
            "path of a scenario .toml file or None (the bundled default)"
        )
        raise TypeError(msg)
    if overrides:
        scenario = with_overrides(scenario, **overrides)
    if isinstance(candidates, str | os.PathLike):
        path = Path(candidates)
        sites = read_candidates(path, outside=outside)
        source = dataclasses.replace(scenario.candidates, source=str(path.resolve()))
        return dataclasses.replace(scenario, candidates=source), sites
    if candidates is None:
        return scenario, load_candidates(scenario, outside=outside)
    if not isinstance(candidates, gpd.GeoDataFrame):
        msg = (
            f"`candidates` was a {type(candidates).__name__} but is expected to be a "
            "GeoDataFrame of points, the path of a CSV or GeoJSON file, or None"
        )
        raise TypeError(msg)
    return scenario, check_candidates(candidates, outside=outside)


def load_candidates(scenario: Scenario, *, outside: str = "refuse") -> gpd.GeoDataFrame:
    """Return the candidates named by the scenario (``outside``: see :func:`read_candidates`).

    The bundled default candidates are all in Mexico and never get ``outside_mexico``.
    """
    spec = scenario.candidates
    if spec.source == "default":
        return default_candidates(
            min_establishments=spec.min_establishments,
            include_metro_seats=spec.include_metro_seats,
        )
    return read_candidates(spec.source, outside=outside)


def score(
    raw: pd.DataFrame,
    weights: dict[str, float],
    *,
    value_functions: Mapping[str, ValueFunction] | None = None,
    method: str = "weighted_sum",
    eligible: pd.Series | None = None,
    floor: float = PRODUCT_FLOOR,
) -> pd.DataFrame:
    """Normalize the weighted criteria of ``raw`` and return ``norm_*``, ``contrib_*``, ``score``, ``rank``.

    ``rank`` is 1 for the best score; tied scores share the best rank among them. With
    ``eligible`` (a boolean mask; False = excluded by a constraint) only eligible rows set the
    min-max range and the TOPSIS ideals and get a rank; excluded rows get a score for reference
    and ``rank`` NaN (the column is then float, as the ranking contract says; whole numbers
    otherwise, written without decimals in ``ranking.csv``).
    """
    directions = {n: CRITERIA[n].direction for n in weights}
    norm = normalize(
        raw,
        list(weights),
        directions=directions,
        value_functions=value_functions_of(list(weights), value_functions),
        reference=eligible,
    )
    parts = aggregate(norm, weights, method, reference=eligible, floor=floor)
    out = norm.add_prefix("norm_").join(parts)
    if eligible is None:
        out["rank"] = out["score"].rank(ascending=False, method="min").astype("int64")
    else:
        ranked = out["score"].where(eligible.to_numpy(dtype=bool))
        out["rank"] = ranked.rank(ascending=False, method="min")  # float: NaN = excluded
    return out


def value_functions_of(
    names: list[str], chosen: Mapping[str, ValueFunction] | None = None
) -> dict[str, ValueFunction]:
    """Return the value function of each criterion: ``chosen`` (the scenario's), else its default.

    A criterion's default is :attr:`siting.Criterion.value_function`; without one it is linear
    min-max (:func:`siting.normalize.normalize` needs no entry for it).
    """
    out = {n: CRITERIA[n].value_function for n in names if CRITERIA[n].value_function is not None}
    out.update(chosen or {})
    return out  # type: ignore[return-value]


def resolve_weights(
    scenario: Scenario, raw: pd.DataFrame, eligible: pd.Series | None = None
) -> dict[str, float]:
    """Return the scenario's weights, computing objective ones (entropy, CRITIC) from ``raw``.

    Objective weights are measured on the criteria's 0–1 values over the eligible candidates.
    """
    if scenario.weight_method not in OBJECTIVE_METHODS:
        return dict(scenario.weights)
    names = list(scenario.weights)
    norm = normalize(
        raw,
        names,
        directions={n: CRITERIA[n].direction for n in names},
        value_functions=value_functions_of(names, scenario.value_functions),
        reference=eligible,
    )
    values = norm.to_numpy() if eligible is None else norm[eligible.to_numpy(dtype=bool)].to_numpy()
    fn = weight_methods.entropy if scenario.weight_method == "entropy" else weight_methods.critic
    return dict(zip(names, (float(w) for w in fn(values)), strict=True))


def run_scenario(
    scenario: Scenario,
    *,
    candidates: gpd.GeoDataFrame | None = None,
    progress: ProgressFactory | None = None,
    rank_ranges: bool = True,
) -> RunResult:
    """Rank the scenario's candidates (or ``candidates``, which replace them).

    Candidates that cannot reach a commercial crossing by road are excluded (``excluded`` True,
    ``excluded_by`` says why): they keep their raw values (drive times ``inf``) but get no score
    and no rank. ``progress`` (e.g. ``tqdm.tqdm``) shows the slow road-network steps.

    With ``rank_ranges`` (default) the ranking also gets each ranked site's rank range over the
    scenario's ``[sensitivity]`` weight draws (:func:`siting.sensitivity.sensitivity`):
    ``rank_best``, ``rank_p05``, ``rank_median``, ``rank_p95``, ``rank_worst`` and
    ``top_k_share`` (NaN for excluded sites); ``stability`` holds the whole ranking's stability
    summary.

    Candidates with ``outside_mexico`` True (user candidates kept with ``outside="keep"``) are
    neither measured nor scored: they are listed last with ``rank``, ``score`` and every
    criterion, ``norm_*`` and ``contrib_*`` NaN, ``state``, ``municipality``, ``CVEGEO`` and
    ``CVE_ENT`` None, ``reachable`` False, ``excluded`` True and ``excluded_by``
    :data:`OUTSIDE_TEXT`.

    Returns
    -------
    RunResult
        ``ranking`` is an EPSG:4326 GeoDataFrame sorted by rank with columns ``rank``, ``name``,
        ``score``, ``state``, ``municipality``, ``CVEGEO``, ``CVE_ENT``, ``lon``, ``lat``,
        ``source``, each raw criterion, ``norm_<criterion>``, ``contrib_<criterion>``,
        ``nearest_crossing``, ``nearest_seaport`` and ``distance_method``; with a road network
        also ``snap_km`` and ``reachable``; with constraints, unreachable sites or sites
        outside Mexico ``excluded`` and ``excluded_by``; with candidates that have the column
        (``outside="keep"``) ``outside_mexico``, after ``excluded_by``.
    """
    if not isinstance(scenario, Scenario):
        msg = (
            f"`scenario` was a {type(scenario).__name__} but run_scenario expects a Scenario; "
            "siting.run() also takes a path or None (the bundled default)"
        )
        raise TypeError(msg)
    sites = load_candidates(scenario) if candidates is None else candidates
    check_size(len(sites), maps=False)
    sites = sites.to_crs(layers.CRS_GEO).reset_index(drop=True)
    _check_candidate_columns(scenario, sites)
    sites, abroad = _split_outside(sites)
    n_abroad = 0 if abroad is None else len(abroad)
    logger.info("scoring %d candidates with scenario %r", len(sites), scenario.name)
    raw = compute_criteria(sites, scenario.params, scenario.network, progress=progress)
    exclusion = _exclusions(raw, scenario)
    eligible = None if exclusion is None else ~exclusion["excluded"]
    if eligible is not None and not eligible.any():
        rules = [c.text for c in scenario.constraints]
        if "reachable" in raw and not raw["reachable"].any():
            rules.append(
                NETWORK_TEXT["unreachable_all"].format(network=scenario.network.describe())
            )
        msg = f"all {len(raw)} candidates are excluded ({'; '.join(rules)}); relax a rule"
        raise ScenarioError(scenario.path, [msg])
    scoring_raw = raw if eligible is None else _fill_excluded(raw, eligible, list(scenario.weights))
    weights = resolve_weights(scenario, scoring_raw, eligible)
    if weights != scenario.weights:
        scenario = dataclasses.replace(scenario, weights=weights)
    scored = score(
        scoring_raw,
        weights,
        value_functions=scenario.value_functions,
        method=scenario.aggregation,
        eligible=eligible,
        floor=scenario.product_floor,
    )
    if exclusion is not None:
        if "reachable" in raw:  # no reference score for a site that cannot be routed
            lost = ~raw["reachable"].to_numpy(dtype=bool)
            cols = ["score", *[c for c in scored.columns if c.startswith(("norm_", "contrib_"))]]
            scored.loc[lost, cols] = np.nan
        scored = scored.join(exclusion)

    coords = sites.geometry.get_coordinates()
    table = (
        pd.DataFrame(
            {
                "name": sites["name"],
                "source": sites["source"],
                "lon": coords["x"].round(6),
                "lat": coords["y"].round(6),
                **({"aliases": sites["aliases"].fillna("")} if "aliases" in sites else {}),
            }
        )
        .join(raw)
        .join(scored)
    )
    table["metro_rank"] = metro_ranks(table)
    if n_abroad and exclusion is None:
        table["excluded"], table["excluded_by"] = False, ""
    if abroad is not None:
        table["outside_mexico"] = False
    names = list(scenario.weights)
    ordered = [
        "rank", "name", "score", "state", "municipality", "CVEGEO", "CVE_ENT", "lon", "lat", "source",
        *names,
        *[c for c in raw.columns if c in CRITERIA and c not in names],
        *[f"norm_{n}" for n in names],
        *[f"contrib_{n}" for n in names],
        "nearest_crossing", "nearest_seaport", "distance_method",
        *[c for c in ("snap_km", "reachable") if c in raw.columns],
        *(["excluded", "excluded_by"] if exclusion is not None or n_abroad else []),
        *(["outside_mexico"] if abroad is not None else []),
        *[c for c in EXTRA_COLUMNS if c in table.columns],
    ]  # fmt: skip
    table = table[ordered]
    table = (
        table.assign(_neg=-table["score"])
        .sort_values(["rank", "_neg", "name"], kind="stable", na_position="last")
        .drop(columns="_neg")
        .reset_index(drop=True)
    )
    if n_abroad:
        table = _append_outside(table, abroad)
    ranking = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs=layers.CRS_GEO
    )
    criteria = [
        CriterionWeight(
            name=n,
            label=CRITERIA[n].label_in(),
            unit=CRITERIA[n].unit,
            direction=CRITERIA[n].direction,
            weight=scenario.weights[n],
        )
        for n in names
    ]
    map_layers = {
        "states": layers.boundaries.states(),
        "crossings": layers.crossings.commercial_crossings(min_trucks=scenario.params.min_trucks),
        "municipal_labor": layers.labor.municipal_labor(),
        "municipal_security": layers.security.municipal_security(scenario.params.security_year),
        "seaports": layers.transport.container_ports(),
    }
    used = [
        k for k in USED_SOURCES if k != "us_gateway_ports" or scenario.params.us_gateways
    ]
    if scenario.network.bundled:
        used.append("roads")
    sources = {k: layers.sources()[k] for k in used}
    credits = layers.credits(used)
    network_info = dict(raw.attrs.get("network", {}))
    net = scenario.network
    if not net.straight_line and not net.bundled:
        name = net.area if net.download else Path(net.source).name
        credits.append(OSM_CREDIT if net.osm else NETWORK_TEXT["user_credit"].format(name=name))
        sources["road_network"] = {
            "title": net.describe(),
            "origin": network_info.get("source"),
            "date": network_info.get("built_utc"),
            "credit": credits[-1],
        }
        if net.osm:
            sources["road_network"]["licence"] = "ODbL 1.0 (OpenStreetMap contributors)"
    made = {
        lang: [*method_notes(scenario, raw, lang), *decision_notes(scenario, exclusion, lang)]
        for lang in LANGUAGES
    }
    result = RunResult(
        scenario=scenario,
        ranking=ranking,
        criteria=criteria,
        layers=map_layers,
        credits=credits,
        notes=[*scenario.doubts, *made["en"]],  # doubts: English only (see RunResult.notes_in)
        sources=sources,
        network=NetworkInfo(**network_info),
        notes_es=dict(zip(made["en"], made["es"], strict=True)),
    )
    if n_abroad:
        result.add_note(*_note("outside", n=n_abroad))
    if rank_ranges and int(ranking["rank"].notna().sum()) >= 2:
        add_rank_ranges(result)
    return result


def _split_outside(sites: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """Split ``sites`` into those to measure and those outside Mexico (None: no such column).

    Sites are outside if their ``outside_mexico`` column (added by ``outside="keep"``) is True.
    """
    if "outside_mexico" not in sites.columns:
        return sites, None
    out = sites["outside_mexico"].fillna(False).to_numpy(dtype=bool)
    if out.all():
        msg = (
            f"all {len(sites)} candidates are outside Mexico (column outside_mexico); nothing "
            "to rank: fix their coordinates or add candidates in Mexico"
        )
        raise InputError(msg)
    return sites[~out].reset_index(drop=True), sites[out].reset_index(drop=True)


def _append_outside(table: pd.DataFrame, abroad: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return ``table`` with the sites ``abroad`` appended: unranked, unmeasured, excluded."""
    n = len(table)
    out = table.reindex(range(n + len(abroad)))  # new rows all missing; int rank becomes float
    rows = out.index[n:]
    coords = abroad.geometry.get_coordinates()
    out.loc[rows, "name"] = abroad["name"].to_numpy()
    out.loc[rows, "source"] = abroad["source"].to_numpy()
    out.loc[rows, "lon"] = coords["x"].round(6).to_numpy()
    out.loc[rows, "lat"] = coords["y"].round(6).to_numpy()
    if "aliases" in out.columns:
        aliases = abroad["aliases"].fillna("") if "aliases" in abroad.columns else ""
        out.loc[rows, "aliases"] = aliases if isinstance(aliases, str) else aliases.to_numpy()
    for col in ("CVEGEO", "municipality", "CVE_ENT", "state"):
        out[col] = out[col].astype(object)
        out.loc[rows, col] = None
    out.loc[rows, "excluded_by"] = OUTSIDE_TEXT
    flags = {"excluded": True, "outside_mexico": True, "reachable": False}
    for col, value in flags.items():
        if col in out.columns:
            out.loc[rows, col] = value
            out[col] = out[col].astype(bool)
    return out


def _check_candidate_columns(scenario: Scenario, sites: gpd.GeoDataFrame) -> None:
    """Refuse a scenario that weighs or constrains a candidates column the candidates lack."""
    used = set(scenario.weights) | {c.criterion for c in scenario.constraints}
    lacking = sorted(
        n
        for n in used
        if n in CRITERIA
        and CRITERIA[n].candidate_column is not None
        and CRITERIA[n].candidate_column not in sites.columns
    )
    if lacking:
        found = [c for c in sites.columns if c != sites.geometry.name]
        msg = (
            f"the scenario uses the candidates column(s) {lacking} ([candidate_criteria]), but "
            f"the candidates have no such column (found {found}); add the column to the "
            "candidates file or remove it from the scenario"
        )
        raise InputError(msg)


def add_rank_ranges(result: RunResult) -> None:
    """Add the rank-range columns and the stability summary to ``result``, in place."""
    sens = sensitivity(result)
    ranked = result.ranking["rank"].notna().to_numpy()
    geometry = result.ranking.geometry.name
    for col in RANGE_COLUMNS:
        values = np.full(len(result.ranking), np.nan)
        values[ranked] = sens.table[col].to_numpy(dtype=float)
        result.ranking.insert(result.ranking.columns.get_loc(geometry), col, values)
    result.stability = Stability(**sens.summary)
    result.add_note(
        *_note(
            "rank_range",
            draws=sens.summary["draws"],
            conc=sens.summary["concentration"],
            seed=sens.summary["seed"],
            k=sens.summary["top_k"],
            tau=sens.summary["kendall_tau_mean"],
        )
    )


def _note(key: str, **params: Any) -> tuple[str, str]:
    """Return the note ``key`` of :data:`siting.text.NOTES_BY_LANG` in English and Spanish."""
    en, es = (NOTES_BY_LANG[lang][key].format(**params) for lang in ("en", "es"))
    return en, es


def _exclusions(raw: pd.DataFrame, scenario: Scenario) -> pd.DataFrame | None:
    """Constraint and reachability exclusions (``excluded``, ``excluded_by``), or None if none."""
    parts = []
    if scenario.constraints:
        parts.append(apply_constraints(raw, scenario.constraints)["excluded_by"])
    if "reachable" in raw and not raw["reachable"].all():
        text = [
            "" if ok else NETWORK_TEXT["unreachable"].format(km=km)
            for ok, km in zip(raw["reachable"], raw["snap_km"], strict=True)
        ]
        parts.append(pd.Series(text, index=raw.index))
    if not parts:
        return None
    by = parts[0]
    for more in parts[1:]:
        by = pd.Series(
            ["; ".join(t for t in pair if t) for pair in zip(by, more, strict=True)],
            index=raw.index,
        )
    return pd.DataFrame({"excluded": by != "", "excluded_by": by}, index=raw.index)


def _fill_excluded(raw: pd.DataFrame, eligible: pd.Series, names: list[str]) -> pd.DataFrame:
    """Copy of ``raw`` whose non-finite criteria in excluded rows take the worst eligible value.

    Normalization needs finite numbers; the excluded rows' scores are for reference only (and
    are blanked for unreachable sites), while ``raw`` keeps the true ``inf``.
    """
    out = raw.copy()
    ok = eligible.to_numpy(dtype=bool)
    for name in names:
        values = out[name].to_numpy(dtype=float)
        bad = ~np.isfinite(values) & ~ok
        if bad.any():
            good = values[ok & np.isfinite(values)]
            worst = good.max() if CRITERIA[name].direction == "cost" else good.min()
            out.loc[bad, name] = worst
    return out


def method_notes(scenario: Scenario, raw: pd.DataFrame, lang: str = "en") -> list[str]:
    """Return the notes on how distances and times were measured, in ``lang``."""
    text = NOTES_BY_LANG[check_lang(lang)]
    net = scenario.network
    if net.straight_line:
        return [text["straight_line"]]
    label = CRITERIA[scenario.params.route_risk_indicator].label_in(lang)
    # English lowercases the whole label (as always); Spanish only its first letter ("EUA")
    indicator = label.lower() if lang == "en" else label[:1].lower() + label[1:]
    notes = [
        text["network"].format(
            network=net.describe(lang),
            access=net.access_speed_kph,
            commute=scenario.params.commute_min,
            indicator=indicator,
            min_trucks=scenario.params.min_trucks,
            waits=(
                text["waits"].format(source=scenario.params.crossing_waits_source)
                if scenario.params.crossing_waits
                else ""
            ),
            gateways=text["gateways"] if scenario.params.us_gateways else "",
        )
    ]
    if "reachable" in raw and not raw["reachable"].all():
        notes.append(text["unreachable"].format(n=int((~raw["reachable"]).sum())))
    return notes


def decision_notes(
    scenario: Scenario, exclusion: pd.DataFrame | None = None, lang: str = "en"
) -> list[str]:
    """Return the notes a reader of the maps needs about the method and exclusions, in ``lang``."""
    text = NOTES_BY_LANG[check_lang(lang)]
    notes = []
    if scenario.weight_method != "direct":
        notes.append(text["weights_" + scenario.weight_method])
    if scenario.aggregation != "weighted_sum":
        notes.append(text["aggregation_" + scenario.aggregation])
    if exclusion is not None and scenario.constraints:
        texts = [c.text for c in scenario.constraints]
        n = sum(any(t in by for t in texts) for by in exclusion["excluded_by"])
        rules = "; ".join(texts)
        notes.append(text["excluded"].format(n=n, total=len(exclusion), rules=rules))
    return notes
