"""Run a scenario end to end: candidates → criteria → normalization → score → rank."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

import layers
from siting.aggregate import weighted_sum
from siting.candidates import default_candidates, read_candidates
from siting.criteria import CRITERIA, compute_criteria
from siting.normalize import minmax
from siting.scenario import Scenario
from siting.text import NOTES

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


def score(raw: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Normalize the weighted criteria of ``raw`` and return ``norm_*``, ``contrib_*``, ``score``, ``rank``.

    ``rank`` is 1 for the best score; tied scores share the best rank among them.
    """
    norm = pd.DataFrame(
        {name: minmax(raw[name], CRITERIA[name].direction) for name in weights}, index=raw.index
    )
    parts = weighted_sum(norm, weights)
    out = norm.add_prefix("norm_").join(parts)
    out["rank"] = out["score"].rank(ascending=False, method="min").astype("int64")
    return out


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
    scored = score(raw, scenario.weights)

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
    ]  # fmt: skip
    table = table[ordered].sort_values(["rank", "name"], kind="stable").reset_index(drop=True)
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
        notes=[NOTES["straight_line"]],
        sources=sources,
    )
