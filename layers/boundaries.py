"""Administrative boundaries: Mexico's 32 states and its municipalities (INEGI).

Schemas (EPSG:4326):

``states()``
    ``CVE_ENT`` (str, 2 chars), ``state`` (official name), ``state_short``, ``abbr``,
    ``population`` (Censo 2020), ``geometry`` (Polygon/MultiPolygon).
``municipalities()``
    ``CVEGEO`` (str, 5 chars), ``CVE_ENT``, ``municipality``, ``state``, ``geometry``.
    Population is deliberately *not* taken from the boundary file (see :mod:`layers.labor`).
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd

from siting.layers._data import check_columns, data_path

STATES_FILE = "boundaries/mx_states_32_simplified.geojson"
MUNICIPALITIES_FILE = "boundaries/mx_municipalities_2475_simplified.geojson"


@cache
def _states() -> gpd.GeoDataFrame:
    path = data_path(STATES_FILE)
    gdf = gpd.read_file(path)
    check_columns(gdf, ["CVE_ENT", "NOMGEO", "NOM_CORTO", "ABR_ENT", "POB2020"], str(path))
    gdf = gdf.rename(
        columns={"NOMGEO": "state", "NOM_CORTO": "state_short", "ABR_ENT": "abbr", "POB2020": "population"}
    )
    gdf["CVE_ENT"] = gdf["CVE_ENT"].astype(str).str.zfill(2)
    cols = ["CVE_ENT", "state", "state_short", "abbr", "population", "geometry"]
    return gdf[cols].sort_values("CVE_ENT").reset_index(drop=True)


@cache
def _municipalities() -> gpd.GeoDataFrame:
    path = data_path(MUNICIPALITIES_FILE)
    gdf = gpd.read_file(path)
    check_columns(gdf, ["CVEGEO", "CVE_ENT", "NOMGEO", "NOM_ENT"], str(path))
    gdf = gdf.rename(columns={"NOMGEO": "municipality", "NOM_ENT": "state"})
    gdf["CVEGEO"] = gdf["CVEGEO"].astype(str).str.zfill(5)
    gdf["CVE_ENT"] = gdf["CVE_ENT"].astype(str).str.zfill(2)
    cols = ["CVEGEO", "CVE_ENT", "municipality", "state", "geometry"]
    return gdf[cols].sort_values("CVEGEO").reset_index(drop=True)


def states() -> gpd.GeoDataFrame:
    """Return the 32 Mexican states (INEGI Marco Geoestadístico, simplified).

    Examples
    --------
    >>> from siting import layers
    >>> len(layers.boundaries.states())
    32
    """
    return _states().copy()


def municipalities() -> gpd.GeoDataFrame:
    """Return the 2,475 municipal polygons of INEGI's current framework (simplified)."""
    return _municipalities().copy()
