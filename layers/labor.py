"""Labour pools: where people live, from INEGI's Censo 2020.

Schemas (EPSG:4326):

``municipal_population()``
    ``CVEGEO``, ``CVE_ENT``, ``municipality``, ``state``, ``population`` (Censo 2020),
    ``metro_zone`` (name or empty), ``geometry`` = the municipal seat (cabecera) point.
    2,469 rows summing to 126,014,024.
``population_points()``
    Points that carry the census population: every locality of at least 1,000 inhabitants
    at its own coordinates, plus one point per municipality at its seat holding the rest of that
    municipality's population (smaller localities). Columns ``CVEGEO``, ``name``, ``population``,
    ``kind`` (``"locality"`` or ``"remainder"``), ``geometry``. Sums to the national total within
    0.01 % (see :func:`_attribute_to_census_municipality`).
``municipal_labor()``
    Municipal polygons with ``population`` and ``density_km2`` for choropleths.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from siting.layers._data import CRS_GEO, CRS_METRIC, read_csv
from siting.layers.boundaries import municipalities

MUNICIPAL_FILE = "population/mx_municipalities_census2020.csv"
LOCALITIES_FILE = "population/mx_localities_1000plus_census2020.csv"


@cache
def _municipal_population() -> gpd.GeoDataFrame:
    df = read_csv(
        MUNICIPAL_FILE,
        required=["CVEGEO", "CVE_ENT", "NOM_ENT", "NOM_MUN", "POB2020", "CAB_LON", "CAB_LAT"],
        dtype={"CVEGEO": str, "CVE_ENT": str, "CVE_MUN": str},
    )
    out = pd.DataFrame(
        {
            "CVEGEO": df["CVEGEO"].str.zfill(5),
            "CVE_ENT": df["CVE_ENT"].str.zfill(2),
            "municipality": df["NOM_MUN"],
            "state": df["NOM_ENT"],
            "population": df["POB2020"].astype("int64"),
            "metro_zone": df["ZONA_METRO_2015"].fillna("") if "ZONA_METRO_2015" in df else "",
        }
    )
    return gpd.GeoDataFrame(
        out, geometry=gpd.points_from_xy(df["CAB_LON"], df["CAB_LAT"]), crs=CRS_GEO
    )


def municipal_population() -> gpd.GeoDataFrame:
    """Return Censo 2020 population per municipality, located at the municipal seat.

    Examples
    --------
    >>> from siting import layers
    >>> int(layers.labor.municipal_population()["population"].sum())
    126014024
    """
    return _municipal_population().copy()


@cache
def _localities() -> gpd.GeoDataFrame:
    df = read_csv(
        LOCALITIES_FILE,
        required=["CVEGEO_LOC", "CVEGEO_MUN", "NOM_LOC", "LAT", "LON", "POB2020"],
        dtype={"CVEGEO_LOC": str, "CVEGEO_MUN": str, "CVE_ENT": str},
    )
    out = pd.DataFrame(
        {
            "CVEGEO": df["CVEGEO_MUN"].str.zfill(5),
            "name": df["NOM_LOC"],
            "population": df["POB2020"].astype("int64"),
            "kind": "locality",
        }
    )
    return gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(df["LON"], df["LAT"]), crs=CRS_GEO)


def localities() -> gpd.GeoDataFrame:
    """Return the 10,635 localities of at least 1,000 inhabitants (Censo 2020)."""
    return _localities().copy()


def _attribute_to_census_municipality(loc: gpd.GeoDataFrame, census_codes: pd.Index) -> pd.Series:
    """Return each locality's census-2020 municipality code.

    A few localities are coded with municipalities created after the census (e.g. San Felipe,
    B.C., 02007), whose people the census still counts in the parent municipality. Such a
    locality is attributed to the municipality of the nearest locality of the same state that has
    a census code.
    """
    codes = loc["CVEGEO"].copy()
    orphan = ~codes.isin(census_codes)
    xy = loc.geometry.to_crs(CRS_METRIC).get_coordinates().to_numpy()
    state = codes.str[:2]
    for ent in state[orphan].unique():
        known = ((state == ent) & ~orphan).to_numpy()
        todo = ((state == ent) & orphan).to_numpy()
        _, nearest = cKDTree(xy[known]).query(xy[todo])
        codes.iloc[np.flatnonzero(todo)] = codes.to_numpy()[known][nearest]
    return codes


@cache
def _population_points() -> gpd.GeoDataFrame:
    loc = _localities()
    mun = _municipal_population()
    census = mun.set_index("CVEGEO")["population"]
    parent = _attribute_to_census_municipality(loc, census.index)
    in_localities = loc["population"].groupby(parent).sum()
    rest = census.sub(in_localities, fill_value=0).clip(lower=0).astype("int64")
    remainder = gpd.GeoDataFrame(
        {
            "CVEGEO": mun["CVEGEO"].to_numpy(),
            "name": mun["municipality"].to_numpy(),
            "population": rest.reindex(mun["CVEGEO"]).to_numpy(),
            "kind": "remainder",
        },
        geometry=mun.geometry.to_numpy(),
        crs=CRS_GEO,
    )
    remainder = remainder[remainder["population"] > 0]
    points = pd.concat([loc, remainder], ignore_index=True)
    return gpd.GeoDataFrame(points, geometry="geometry", crs=CRS_GEO)


def population_points() -> gpd.GeoDataFrame:
    """Return population points carrying the whole census population (see module docstring)."""
    return _population_points().copy()


def municipal_labor() -> gpd.GeoDataFrame:
    """Return municipal polygons with Censo 2020 ``population`` and ``density_km2``.

    Municipalities created after the 2020 census have no census row; their ``population`` is
    missing (NaN), and the population stays with the parent municipality, as INEGI publishes it.
    """
    polys = municipalities()
    pop = _municipal_population()[["CVEGEO", "population", "metro_zone"]]
    out = polys.merge(pop, on="CVEGEO", how="left")
    area_km2 = out.geometry.to_crs(CRS_METRIC).area / 1e6
    out["density_km2"] = out["population"] / area_km2
    return out
