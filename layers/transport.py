"""Seaports and airports of Mexico.

Schemas (EPSG:4326):

``seaports()``
    ``unlocode``, ``name``, ``is_terminal`` (bool, container/terminal port in the source),
    ``geometry`` (approximate, port-city level). 41 rows.
``airports()``
    ``icao``, ``iata``, ``name``, ``city``, ``CVE_ENT``, ``geometry``. 144 rows.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd

from layers._data import check_columns, data_path

SEAPORTS_FILE = "transport/mx_seaports_searoute.geojson"
AIRPORTS_FILE = "transport/mx_airports_airportsdata.geojson"


@cache
def _seaports() -> gpd.GeoDataFrame:
    path = data_path(SEAPORTS_FILE)
    gdf = gpd.read_file(path)
    check_columns(gdf, ["UNLOCODE", "NAME", "IS_TERMINAL"], str(path))
    out = gpd.GeoDataFrame(
        {
            "unlocode": gdf["UNLOCODE"],
            "name": gdf["NAME"],
            "is_terminal": gdf["IS_TERMINAL"].fillna(0).astype(float) > 0,
        },
        geometry=gdf.geometry,
        crs=gdf.crs,
    )
    return out.sort_values("unlocode").reset_index(drop=True)


def seaports() -> gpd.GeoDataFrame:
    """Return the 41 Mexican seaports (UN/LOCODE) of the searoute port graph."""
    return _seaports().copy()


@cache
def _airports() -> gpd.GeoDataFrame:
    path = data_path(AIRPORTS_FILE)
    gdf = gpd.read_file(path)
    check_columns(gdf, ["ICAO", "IATA", "NAME", "CITY", "CVE_ENT"], str(path))
    out = gpd.GeoDataFrame(
        {
            "icao": gdf["ICAO"],
            "iata": gdf["IATA"].fillna(""),
            "name": gdf["NAME"],
            "city": gdf["CITY"],
            "CVE_ENT": gdf["CVE_ENT"].astype(str).str.zfill(2),
        },
        geometry=gdf.geometry,
        crs=gdf.crs,
    )
    return out.sort_values("icao").reset_index(drop=True)


def airports() -> gpd.GeoDataFrame:
    """Return the 144 Mexican airports and airfields with an ICAO code."""
    return _airports().copy()
