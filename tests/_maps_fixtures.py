"""A real, small run for the map tests: ``siting.pipeline.run_scenario`` on a dozen parks.

The default scenario plus one hard constraint (so that some candidates are excluded), run on the
first ``n`` RETC industrial parks with at least 5 plants (named "Park (Municipality)", with their
``aliases``); two of them get hostile names and one hostile aliases to test HTML escaping.
:func:`with_rank_range` adds the optional rank-range columns of the Monte Carlo weight
sensitivity.
"""

from __future__ import annotations

import tomllib
from functools import cache

import geopandas as gpd
import pandas as pd

from siting import layers
from siting.pipeline import RunResult, run_scenario
from siting.scenario import SensitivitySettings, default_scenario_path, parse_scenario
from siting.sensitivity import sensitivity

HOSTILE_NAME = '<script>alert(1)</script> & "Ñandú\'s \\"plant\\""'
TEMPLATE_NAME = "Parque `${alert(2)}` \\u0041 $x"
#: Aliases of the third park (``aliases`` of a merged park are user-visible strings too).
HOSTILE_ALIASES = 'Parque <img src=x onerror=alert(3)> | "Norte" & `${alert(5)}`'
#: Hard constraint of the test scenario; it excludes Parque Industrial Tizayuca (Hidalgo) and
#: Parque Industrial Lerma (Estado de México).
MAX_CROSSING_KM = 650


def _data(constrained: bool) -> dict:
    data = tomllib.loads(default_scenario_path().read_text(encoding="utf-8"))
    if constrained:
        data["constraints"] = [{"criterion": "crossing_km", "max": MAX_CROSSING_KM}]
    return data


@cache
def _sites(n: int) -> gpd.GeoDataFrame:
    parks = layers.sites.industrial_parks(min_establishments=5).head(n)
    # merged parks keep one name per park, not per city ("Parque Industrial del Norte" is in
    # Reynosa and in Matamoros): name them as the default candidates do, with the municipality
    sites = parks[["name", "aliases", "geometry"]].assign(
        name=parks["name"].str.title() + " (" + parks["municipality"] + ")", source="user"
    )
    sites.loc[0, "name"] = HOSTILE_NAME
    sites.loc[1, "name"] = TEMPLATE_NAME
    sites.loc[2, "aliases"] = HOSTILE_ALIASES
    return sites


@cache
def _run(n: int, constrained: bool) -> RunResult:
    scenario = parse_scenario(_data(constrained))
    result = run_scenario(scenario, candidates=_sites(n).copy())
    if constrained and not result.ranking["excluded"].any():
        msg = f"test scenario should exclude a candidate (crossing_km > {MAX_CROSSING_KM})"
        raise AssertionError(msg)
    return result


def run_variant(n: int = 12, *, constrained: bool = True, **sections: dict) -> RunResult:
    """Return the run of :func:`make_run` with scenario sections replaced (e.g. ``weights``).

    ``sections`` replace whole sections of the test scenario (``weights={...}``,
    ``aggregation={"method": "topsis"}``, ``value_functions={...}``); the rank ranges are skipped.
    """
    data = {**_data(constrained), **sections}
    return run_scenario(parse_scenario(data), candidates=_sites(n).copy(), rank_ranges=False)


def make_run(n: int = 12, *, constrained: bool = True) -> RunResult:
    """Return a run on ``n`` parks (cached: do not mutate it)."""
    return _run(n, constrained)


#: Columns the weight sensitivity adds to a ranking (optional for the maps; ``siting run`` adds
#: them, and ``rank_p05`` / ``rank_p95``, which the maps do not show).
RANGE_COLUMNS = ["rank_best", "rank_median", "rank_worst", "top_k_share"]
#: k of ``top_k_share`` in :func:`with_rank_range`.
RANGE_TOP_K = 5


def without_rank_range(result: RunResult) -> gpd.GeoDataFrame:
    """Return a copy of the run's ranking without any rank-range column."""
    drop = [c for c in result.ranking.columns if c.startswith("rank_") or c == "top_k_share"]
    return result.ranking.drop(columns=drop)


def with_rank_range(result: RunResult) -> gpd.GeoDataFrame:
    """Return a copy of the run's ranking with its rank range over 200 weight draws (k = 5).

    Computed here, whatever the run added, so the tests know the draws and k. Excluded
    candidates are not re-ranked: their columns are NaN.
    """
    settings = SensitivitySettings(draws=200, seed=7, concentration=20.0, top_k=RANGE_TOP_K)
    table = sensitivity(result, settings).table
    if table["name"].duplicated().any():
        msg = "test ranking should have unique names"
        raise AssertionError(msg)
    ranking = without_rank_range(result)
    return ranking.join(table.set_index("name")[RANGE_COLUMNS], on="name")


#: A candidate no road reaches: Isla María Madre (Nayarit), about 100 km off the mainland network.
ISLAND = ("Isla María Madre (San Blas)", -106.55, 21.63)


@cache
def run_with_island(n: int = 12) -> RunResult:
    """Return the run of :func:`make_run` with :data:`ISLAND` added (unreachable by road)."""
    sites = _sites(n)
    name, lon, lat = ISLAND
    island = gpd.GeoDataFrame(
        {"name": [name], "aliases": [""], "source": ["user"]},
        geometry=gpd.points_from_xy([lon], [lat]),
        crs=sites.crs,
    )
    both = gpd.GeoDataFrame(
        pd.concat([sites, island], ignore_index=True), geometry="geometry", crs=sites.crs
    )
    result = run_scenario(parse_scenario(_data(True)), candidates=both)
    if result.ranking.set_index("name").loc[name, "reachable"]:
        msg = f"{name} should be unreachable by road"
        raise AssertionError(msg)
    return result
