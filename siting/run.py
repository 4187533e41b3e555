"""Run a scenario end to end: candidates → criteria → normalization → score → rank."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

import layers
from siting import weights as weight_methods
from siting._errors import ScenarioError
from siting.aggregate import PRODUCT_FLOOR, aggregate
from siting.candidates import default_candidates, read_candidates
from siting.constraints import apply_constraints
from siting.criteria import CRITERIA, compute_criteria
from siting.normalize import normalize
from siting.scenario import OBJECTIVE_METHODS, Scenario
from siting.text import NOTES
from siting.valuefn import ValueFunction

logger = logging.getLogger(__name__)

#: Datasets used by a run (keys of ``layers.sources()``), for credits and the run record.
USED_SOURCES = [
    "boundaries",
    "census_municipalities",
    "census_localities",
    "border_crossings",
    "homicide",
    "crime_incidence",
    "travel_advisory",
    "seaports",
    "industrial_parks",
    "metro_zones",
]


@dataclass
class RunResult:
    """Everything a run produced; maps render it, the CLI writes it."""

    scenario: Scenario
    ranking: gpd.GeoDataFrame
    criteria: list[dict[str, Any]]
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    credits: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)


def load_candidates(scenario: Scenario) -> gpd.GeoDataFrame:
    """Return the candidates named by the scenario."""
    spec = scenario.candidates
    if spec.source == "default":
        return default_candidates(
            min_establishments=spec.min_establishments,
            include_metro_seats=spec.include_metro_seats,
        )
    return read_candidates(spec.source)


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
        raw, list(weights), directions=directions, value_functions=value_functions, reference=eligible
    )
    parts = aggregate(norm, weights, method, reference=eligible, floor=floor)
    out = norm.add_prefix("norm_").join(parts)
    if eligible is None:
        out["rank"] = out["score"].rank(ascending=False, method="min").astype("int64")
    else:
        ranked = out["score"].where(eligible.to_numpy(dtype=bool))
        out["rank"] = ranked.rank(ascending=False, method="min")  # float: NaN = excluded
    return out


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
        value_functions=scenario.value_functions,
        reference=eligible,
    )
    values = norm.to_numpy() if eligible is None else norm[eligible.to_numpy(dtype=bool)].to_numpy()
    fn = weight_methods.entropy if scenario.weight_method == "entropy" else weight_methods.critic
    return dict(zip(names, (float(w) for w in fn(values)), strict=True))


def run_scenario(
    scenario: Scenario, *, candidates: gpd.GeoDataFrame | None = None
) -> RunResult:
    """Rank the scenario's candidates (or ``candidates``, which replace them).

    Returns
    -------
    RunResult
        ``ranking`` is an EPSG:4326 GeoDataFrame sorted by rank with columns ``rank``, ``name``,
        ``score``, ``state``, ``municipality``, ``CVEGEO``, ``CVE_ENT``, ``lon``, ``lat``,
        ``source``, each raw criterion, ``norm_<criterion>``, ``contrib_<criterion>``,
        ``nearest_crossing``, ``nearest_seaport`` and ``distance_method``.
    """
    sites = load_candidates(scenario) if candidates is None else candidates
    sites = sites.to_crs(layers.CRS_GEO).reset_index(drop=True)
    logger.info("scoring %d candidates with scenario %r", len(sites), scenario.name)
    raw = compute_criteria(sites, scenario.params)
    exclusion = apply_constraints(raw, scenario.constraints) if scenario.constraints else None
    eligible = None if exclusion is None else ~exclusion["excluded"]
    if eligible is not None and not eligible.any():
        msg = (
            f"[[constraints]] exclude all {len(raw)} candidates "
            f"({', '.join(c.text for c in scenario.constraints)}); relax a rule"
        )
        raise ScenarioError(scenario.path, [msg])
    weights = resolve_weights(scenario, raw, eligible)
    if weights != scenario.weights:
        scenario = dataclasses.replace(scenario, weights=weights)
    scored = score(
        raw,
        weights,
        value_functions=scenario.value_functions,
        method=scenario.aggregation,
        eligible=eligible,
        floor=scenario.product_floor,
    )
    if exclusion is not None:
        scored = scored.join(exclusion)

    coords = sites.geometry.get_coordinates()
    table = pd.DataFrame(
        {
            "name": sites["name"],
            "source": sites["source"],
            "lon": coords["x"].round(6),
            "lat": coords["y"].round(6),
        }
    ).join(raw).join(scored)
    names = list(scenario.weights)
    ordered = [
        "rank", "name", "score", "state", "municipality", "CVEGEO", "CVE_ENT", "lon", "lat", "source",
        *names,
        *[c for c in raw.columns if c in CRITERIA and c not in names],
        *[f"norm_{n}" for n in names],
        *[f"contrib_{n}" for n in names],
        "nearest_crossing", "nearest_seaport", "distance_method",
        *(["excluded", "excluded_by"] if exclusion is not None else []),
    ]  # fmt: skip
    table = table[ordered]
    table = (
        table.assign(_neg=-table["score"])
        .sort_values(["rank", "_neg", "name"], kind="stable", na_position="last")
        .drop(columns="_neg")
        .reset_index(drop=True)
    )
    ranking = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs=layers.CRS_GEO
    )
    criteria = [
        {
            "name": n,
            "label": CRITERIA[n].label,
            "unit": CRITERIA[n].unit,
            "direction": CRITERIA[n].direction,
            "weight": scenario.weights[n],
        }
        for n in names
    ]
    map_layers = {
        "states": layers.boundaries.states(),
        "crossings": layers.crossings.commercial_crossings(min_trucks=scenario.params.min_trucks),
        "municipal_labor": layers.labor.municipal_labor(),
        "municipal_security": layers.security.municipal_security(scenario.params.security_year),
        "seaports": layers.transport.seaports(),
    }
    sources = {k: layers.sources()[k] for k in USED_SOURCES}
    return RunResult(
        scenario=scenario,
        ranking=ranking,
        criteria=criteria,
        layers=map_layers,
        credits=layers.credits(USED_SOURCES),
        notes=[NOTES["straight_line"], *decision_notes(scenario, exclusion)],
        sources=sources,
    )


def decision_notes(scenario: Scenario, exclusion: pd.DataFrame | None = None) -> list[str]:
    """Return the notes a reader of the maps needs about the method and exclusions."""
    notes = []
    if scenario.weight_method != "direct":
        notes.append(NOTES["weights_" + scenario.weight_method])
    if scenario.aggregation != "weighted_sum":
        notes.append(NOTES["aggregation_" + scenario.aggregation])
    if exclusion is not None:
        n = int(exclusion["excluded"].sum())
        rules = "; ".join(c.text for c in scenario.constraints)
        notes.append(NOTES["excluded"].format(n=n, total=len(exclusion), rules=rules))
    return notes
