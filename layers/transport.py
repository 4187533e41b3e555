"""Seaports and airports of Mexico.

Schemas (EPSG:4326):

``seaports()``
    ``unlocode``, ``name``, ``is_terminal`` (bool, container/terminal port in the source),
    ``geometry`` (approximate, port-city level). 37 maritime ports: the source's port graph also
    lists three inland cities and an offshore oil terminal (:data:`NOT_SEAPORTS`), left out unless
    ``include_non_maritime=True``.
``airports()``
    ``icao``, ``iata``, ``name``, ``city``, ``CVE_ENT``, ``geometry``. 144 rows.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd

from siting.layers._data import check_columns, data_path

SEAPORTS_FILE = "transport/mx_seaports_searoute.geojson"
AIRPORTS_FILE = "transport/mx_airports_airportsdata.geojson"

#: UN/LOCODEs of the source that are not maritime ports a plant can ship through, and why
#: (checked against the coastline of the INEGI state layer: 46–310 km inland or offshore).
NOT_SEAPORTS: dict[str, str] = {
    "MXAGU": "Aguascalientes: inland city, 310 km from the coast",
    "MXTLC": "Toluca: inland city, 256 km from the coast",
    "MXMTY": "Monterrey: inland city (dry port), about 200 km from the Gulf coast",
    "MXCAT": "Cayo Arcas: offshore crude-oil terminal, 52 km out in the Gulf of Mexico",
}


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


def seaports(*, include_non_maritime: bool = False) -> gpd.GeoDataFrame:
    """Return Mexican seaports (UN/LOCODE) of the searoute port graph.

    Examples
    --------
    >>> from siting import layers
    >>> len(layers.transport.seaports()), len(layers.transport.seaports(include_non_maritime=True))
    (37, 41)
    """
    ports = _seaports()
    if not include_non_maritime:
        ports = ports[~ports["unlocode"].isin(NOT_SEAPORTS)].reset_index(drop=True)
    return ports.copy()


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
