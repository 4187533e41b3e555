"""Stand-in ranking for the map tests (test scaffolding, not a scoring method).

Real candidates (RETC industrial parks) and real criteria from ``siting.criteria``; the scores
are a plain min-max weighted sum computed here so the map tests do not depend on the scoring
modules. Two candidates get hostile names to test HTML escaping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import geopandas as gpd
import pandas as pd

import layers
from siting.criteria import CRITERIA, compute_criteria

HOSTILE_NAME = "<script>alert(1)</script> & \"Ñandú's \\\"plant\\\"\""
TEMPLATE_NAME = "Parque `${alert(2)}` \\u0041 $x"
WEIGHTS = {
    "crossing_km": 0.30,
    "labor_pool": 0.25,
    "homicide_rate": 0.20,
    "crossing_trucks": 0.10,
    "seaport_km": 0.15,
}
NOTES = ["Distances are straight-line"]


@dataclass
class Run:
    ranking: gpd.GeoDataFrame
    criteria: list[dict[str, Any]]
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    credits: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@cache
def _context_layers() -> dict[str, gpd.GeoDataFrame]:
    return {
        "states": layers.boundaries.states(),
        "crossings": layers.crossings.commercial_crossings(),
        "municipal_labor": layers.labor.municipal_labor(),
        "municipal_security": layers.security.municipal_security(),
        "seaports": layers.transport.seaports(),
    }


def make_run(n: int = 12, *, excluded: int = 0) -> Run:
    """Return a ranking of ``n`` real parks, two with hostile names, the last ``excluded`` excluded."""
    sites = layers.sites.industrial_parks(min_establishments=5).head(n).copy()
    sites.loc[0, "name"] = HOSTILE_NAME
    sites.loc[1, "name"] = TEMPLATE_NAME
    raw = compute_criteria(sites)
    table = pd.DataFrame({"name": sites["name"]}).join(raw)
    for name, w in WEIGHTS.items():
        col = raw[name].astype(float)
        span = col.max() - col.min()
        norm = (col - col.min()) / span if span > 0 else col * 0.0 + 1.0
        if CRITERIA[name].direction == "cost":
            norm = 1.0 - norm
        table[f"norm_{name}"] = norm
        table[f"contrib_{name}"] = 100.0 * w * norm
    table["score"] = table[[f"contrib_{n}" for n in WEIGHTS]].sum(axis=1)
    table["rank"] = table["score"].rank(ascending=False, method="min").astype(float)
    table["source"] = "industrial_park"
    if excluded:
        table["excluded"] = False
        table["excluded_by"] = None
        last = table.index[-excluded:]
        table.loc[last, "excluded"] = True
        table.loc[last, "excluded_by"] = "max homicide rate"
        table.loc[last, "rank"] = float("nan")
    ranking = gpd.GeoDataFrame(table, geometry=sites.geometry.to_numpy(), crs=sites.crs)
    ranking = ranking.to_crs("EPSG:4326").sort_values("rank").reset_index(drop=True)
    criteria = [
        {
            "name": name,
            "label": CRITERIA[name].label,
            "unit": CRITERIA[name].unit,
            "direction": CRITERIA[name].direction,
            "weight": w,
        }
        for name, w in WEIGHTS.items()
    ]
    return Run(ranking, criteria, dict(_context_layers()), layers.credits(), list(NOTES))
