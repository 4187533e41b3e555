"""Existing industrial locations: RETC-derived industrial parks and metropolitan zones.

Schemas:

``industrial_parks(min_establishments=1)`` (EPSG:4326)
    ``name`` (as most often reported), ``CVEGEO``, ``municipality``, ``state``,
    ``establishments`` (RETC facilities naming the park), ``sectors``, ``geometry``.
``metro_zones()`` (no geometry)
    ``CVE_ZM``, ``zone``, ``CVEGEO``, ``municipality``, ``central`` (bool: central municipality of
    the zone, ``MC == 1`` in the 2015 delimitation), ``population_2015``.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd

from siting.layers._data import check_columns, data_path, read_csv

PARKS_FILE = "sites/industrial_parks_derived_from_retc_2013_2022.geojson"
METRO_FILE = "sites/mx_metropolitan_zones_2015_municipalities.csv"


@cache
def _parks() -> gpd.GeoDataFrame:
    path = data_path(PARKS_FILE)
    gdf = gpd.read_file(path)
    check_columns(
        gdf, ["CVEGEO_MUN", "NOM_MUN", "NOM_ENT", "NAME_AS_REPORTED", "N_ESTABLISHMENTS"], str(path)
    )
    out = gpd.GeoDataFrame(
        {
            "name": gdf["NAME_AS_REPORTED"].str.strip(),
            "CVEGEO": gdf["CVEGEO_MUN"].astype(str).str.zfill(5),
            "municipality": gdf["NOM_MUN"],
            "state": gdf["NOM_ENT"],
            "establishments": gdf["N_ESTABLISHMENTS"].astype("int64"),
            "sectors": gdf["SECTORS"].fillna("") if "SECTORS" in gdf else "",
        },
        geometry=gdf.geometry,
        crs=gdf.crs,
    )
    return out.sort_values(["establishments", "name"], ascending=[False, True]).reset_index(drop=True)


def industrial_parks(*, min_establishments: int = 1) -> gpd.GeoDataFrame:
    """Return RETC-derived industrial parks with at least ``min_establishments`` facilities."""
    parks = _parks()
    return parks[parks["establishments"] >= min_establishments].reset_index(drop=True).copy()


@cache
def _metro_zones() -> pd.DataFrame:
    df = read_csv(
        METRO_FILE,
        required=["CVE_ZM", "NOM_ZM", "CVEGEO", "NOM_MUN", "MC", "POB_2015"],
        dtype={"CVE_ZM": str, "CVEGEO": str, "CVE_ENT": str},
    )
    return pd.DataFrame(
        {
            "CVE_ZM": df["CVE_ZM"],
            "zone": df["NOM_ZM"],
            "CVEGEO": df["CVEGEO"].str.zfill(5),
            "municipality": df["NOM_MUN"],
            "central": df["MC"].astype(int) == 1,
            "population_2015": df["POB_2015"].astype("int64"),
        }
    )


def metro_zones() -> pd.DataFrame:
    """Return the 417 member municipalities of Mexico's 74 metropolitan zones (2015)."""
    return _metro_zones().copy()
