"""Ports and airports: container ports of Mexico, US gateway ports, seaports, airports.

The port criteria use :func:`container_ports`, the six Mexican ports with published container
traffic. :func:`seaports` is the raw UN/LOCODE port list of the ``searoute`` package, kept for map
context only: it also holds fuel terminals, fishing harbours and misplaced points.

Schemas (geometry in EPSG:4326):

``container_ports()``
    ``unlocode``, ``name``, ``state``, ``coast`` ("Pacific" or "Gulf"), ``teu_jan_apr_2024``
    (int, TEU handled January–April 2024, CGPMM/SICT), ``teu_per_year`` (float, the January–April
    figure × 3: a rough annualisation, traffic is seasonal), ``CVEGEO`` (INEGI municipality
    containing the port point, or the nearest one if the point falls in the sea),
    ``municipality``, ``CVE_ENT``, ``country`` ("MX"), ``geometry``. Six rows, busiest first.
``us_gateway_ports()``
    ``unlocode`` (";"-separated when one row stands for neighbouring ports), ``name``,
    ``us_state``, ``teu_per_year`` (float, calendar-2024 TEU as published by the port
    authorities), ``country`` ("US"), ``geometry`` (terminal area). Los Angeles/Long Beach (one
    row, San Pedro Bay) and Houston.
``seaports()``
    ``unlocode``, ``name``, ``is_terminal`` (bool, container/terminal port in the source),
    ``geometry`` (approximate, port-city level). 35 places: the source's port graph also lists
    inland cities, oil terminals and a misplaced point (:data:`NOT_SEAPORTS`), left out unless
    ``include_non_maritime=True``.
``airports()``
    ``icao``, ``iata``, ``name``, ``city``, ``CVE_ENT``, ``geometry``. 144 rows.

:func:`us_leg_minutes` estimates the truck minutes on the US side, from each land port of entry to
each US gateway port, for border plants that bring inputs through US container ports.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod

from siting.layers._data import CRS_GEO, CRS_METRIC, check_columns, data_path, read_csv
from siting.layers.boundaries import municipalities

__all__ = [
    "NOT_SEAPORTS",
    "US_ROAD_DETOUR",
    "US_TRUCK_KPH",
    "airports",
    "container_ports",
    "seaports",
    "us_gateway_ports",
    "us_leg_minutes",
]

SEAPORTS_FILE = "transport/mx_seaports_searoute.geojson"
AIRPORTS_FILE = "transport/mx_airports_airportsdata.geojson"
CONTAINER_PORTS_FILE = "transport/mx_container_ports_teu_2024-01_04.csv"
US_GATEWAYS_FILE = "transport/us_gateway_container_ports_2024.csv"

#: Months covered by the Mexican container figures (January–April 2024): ``teu_per_year`` is the
#: four-month figure × 12 / 4. A rough annualisation: port traffic is seasonal (the US import
#: peak season runs from late summer to autumn), so read it as an order of magnitude.
TEU_MONTHS = 4

#: Ratio of road distance to great-circle distance on the US side. Road networks are about 1.2
#: times the straight line (Newell 1980; O'Sullivan 1996 found 1.21–1.23; both summarised in
#: Wikibooks, "Transportation Geography and Network Science/Circuity"). Checked on the two legs
#: that matter most: Otay Mesa → San Pedro Bay is about 225 km by I-805/I-5/I-405/I-710 for 180 km
#: in a straight line (1.25); Laredo → Bayport is about 540 km by US-59 or 620 km by I-35/I-10 for
#: 497 km (1.09–1.25).
US_ROAD_DETOUR = 1.2

#: Average heavy-truck speed on the US leg, km/h, slow urban stretches included. FHWA's
#: Freight Performance Measurement program (Freight Facts and Figures 2010–2015) measures average
#: truck speeds above 55 mph (88.5 km/h) on most Interstates but below 55 mph "near major urban
#: areas, border crossings and gateways": every leg here starts at a border crossing and ends at a
#: gateway port in a metropolitan area, so 85 km/h (53 mph) is used. No rest stops, border
#: queues or terminal gate time are included.
US_TRUCK_KPH = 85.0

_GEOD = Geod(ellps="WGS84")

#: UN/LOCODEs of the source that are not maritime ports a plant can ship through, and why
#: (positions checked against the coastline of the INEGI state layer).
NOT_SEAPORTS: dict[str, str] = {
    "MXAGU": "Aguascalientes: inland city, 310 km from the coast",
    "MXTLC": "Toluca: inland city, 256 km from the coast",
    "MXMTY": (
        "Monterrey: the source's point (16.05 N, 93.23 W) lies in Villa Corzo, Chiapas, 46 km "
        "inland; Monterrey itself is an inland city (dry port) about 200 km from the Gulf coast"
    ),
    "MXCAT": "Cayo Arcas: offshore crude-oil terminal, 52 km out in the Gulf of Mexico",
    "MXROT": "Rosarito Terminal: Pemex fuel terminal (tankers only), no container service",
    "MXDBT": "Dos Bocas: Pemex crude-oil export terminal and refinery port, no container service",
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
    """Return Mexican seaports (UN/LOCODE) of the searoute port graph, for map context.

    Not a list of ports a plant ships containers through: most are fishing, ferry, cruise or
    bulk harbours. Site criteria use :func:`container_ports`.

    Parameters
    ----------
    include_non_maritime
        Keep the places of :data:`NOT_SEAPORTS` (inland cities, oil terminals, a misplaced point).

    Examples
    --------
    >>> from siting import layers
    >>> len(layers.transport.seaports()), len(layers.transport.seaports(include_non_maritime=True))
    (35, 41)
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


_CONTAINER_COLUMNS = ["UNLOCODE", "NAME", "STATE", "COAST", "TEU_2024_JAN_APR", "LON", "LAT"]
_GATEWAY_COLUMNS = ["UNLOCODE", "NAME", "US_STATE", "TEU_2024", "LON", "LAT", "SOURCE_NOTE"]


@cache
def _container_ports() -> gpd.GeoDataFrame:
    df = read_csv(
        CONTAINER_PORTS_FILE, required=_CONTAINER_COLUMNS, dtype={"UNLOCODE": str, "NAME": str}
    )
    teu = df["TEU_2024_JAN_APR"].astype("int64")
    ports = gpd.GeoDataFrame(
        {
            "unlocode": df["UNLOCODE"],
            "name": df["NAME"],
            "state": df["STATE"],
            "coast": df["COAST"],
            "teu_jan_apr_2024": teu,
            "teu_per_year": teu.astype(float) * 12 / TEU_MONTHS,
        },
        geometry=gpd.points_from_xy(df["LON"], df["LAT"]),
        crs=CRS_GEO,
    )
    # the municipality containing the port point; a point in the water takes the nearest one
    mun = municipalities()[["CVEGEO", "municipality", "CVE_ENT", "geometry"]].to_crs(CRS_METRIC)
    joined = gpd.sjoin_nearest(ports.to_crs(CRS_METRIC), mun, how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    for col in ("CVEGEO", "municipality", "CVE_ENT"):
        ports[col] = joined[col]
    ports["country"] = "MX"
    cols = [*ports.columns.drop("geometry"), "geometry"]
    ports = ports[cols]
    return ports.sort_values("teu_jan_apr_2024", ascending=False).reset_index(drop=True)


def container_ports() -> gpd.GeoDataFrame:
    """Return the six Mexican container ports with their January–April 2024 traffic, busiest first.

    Manzanillo, Lázaro Cárdenas, Veracruz, Altamira, Ensenada and Mazatlán handled 96 % of
    Mexico's container traffic (CGPMM/SICT port statistics). ``teu_per_year`` is the four-month
    figure × 3, a rough annualisation (traffic is seasonal). Port positions are the UN/LOCODE
    points of :func:`seaports`; ``CVEGEO`` is the INEGI municipality of the port.

    Examples
    --------
    >>> from siting import layers
    >>> ports = layers.transport.container_ports()
    >>> ports["name"].tolist()[:2]
    ['Manzanillo', 'Lazaro Cardenas']
    >>> ports.iloc[0][["unlocode", "CVEGEO", "municipality"]].tolist()
    ['MXZLO', '06007', 'Manzanillo']
    >>> int(ports.loc[0, "teu_jan_apr_2024"]), float(ports.loc[0, "teu_per_year"])
    (1272955, 3818865.0)
    """
    return _container_ports().copy()


@cache
def _us_gateway_ports() -> gpd.GeoDataFrame:
    df = read_csv(US_GATEWAYS_FILE, required=_GATEWAY_COLUMNS, dtype={"UNLOCODE": str})
    return gpd.GeoDataFrame(
        {
            "unlocode": df["UNLOCODE"],
            "name": df["NAME"],
            "us_state": df["US_STATE"],
            "teu_per_year": df["TEU_2024"].astype(float),
            "country": "US",
        },
        geometry=gpd.points_from_xy(df["LON"], df["LAT"]),
        crs=CRS_GEO,
    )


def us_gateway_ports() -> gpd.GeoDataFrame:
    """Return the US container ports through which border plants receive Asian inputs.

    San Pedro Bay (Los Angeles and Long Beach, one row, the two ports' TEU summed) and Houston,
    with calendar-2024 TEU as published by the port authorities. Border plants (Tijuana,
    Mexicali, Juárez, Reynosa…) truck their containers from these ports across a land port of
    entry; :func:`us_leg_minutes` estimates the US leg.

    Examples
    --------
    >>> from siting import layers
    >>> gw = layers.transport.us_gateway_ports()
    >>> gw[["name", "teu_per_year"]].values.tolist()
    [['Los Angeles/Long Beach', 19947075.0], ['Houston', 4139991.0]]
    """
    return _us_gateway_ports().copy()


def _check_points(gdf: gpd.GeoDataFrame, arg: str, col: str, problems: list[str]) -> None:
    if col not in gdf.columns:
        problems.append(f"`{arg}` lacks column {col!r}; found {list(gdf.columns)}")
    if gdf.crs is None:
        problems.append(f"`{arg}` has no CRS; expected one (e.g. {CRS_GEO})")
    geom = gdf.geometry
    bad = geom.isna() | geom.is_empty | (geom.geom_type != "Point")
    if bad.any():
        problems.append(f"`{arg}` has {int(bad.sum())} missing, empty or non-point geometries")


def us_leg_minutes(
    crossings: gpd.GeoDataFrame,
    gateways: gpd.GeoDataFrame | None = None,
    *,
    name_col: str = "port_name",
) -> pd.DataFrame:
    """Estimate truck minutes on the US side from each land port of entry to each US gateway port.

    An estimate, not a routed US travel time: geodesic distance (WGS84 ellipsoid) ×
    :data:`US_ROAD_DETOUR` (road/great-circle circuity) ÷ :data:`US_TRUCK_KPH` × 60. It has no
    border queue, rest stop, congestion peak or terminal gate time, and it ignores the actual
    highway layout (within about ±10 % of the road distance on the main legs).

    Parameters
    ----------
    crossings
        Land ports of entry (points, any CRS), e.g.
        :func:`siting.layers.crossings.commercial_crossings`.
    gateways
        US container ports (points with a ``name`` column); :func:`us_gateway_ports` by default.
    name_col
        Column of ``crossings`` that names the rows of the result.

    Returns
    -------
    pandas.DataFrame
        Minutes, one row per crossing (index ``crossings[name_col]``) and one column per gateway
        (``gateways["name"]``).

    Raises
    ------
    ValueError
        If a name column is missing, a layer has no CRS, or a geometry is not a point; every
        problem is listed.

    Examples
    --------
    >>> from siting import layers
    >>> legs = layers.transport.us_leg_minutes(layers.crossings.commercial_crossings())
    >>> round(legs.loc["Otay Mesa", "Los Angeles/Long Beach"]), round(legs.loc["Laredo", "Houston"])
    (152, 422)
    """
    if gateways is None:
        gateways = us_gateway_ports()
    problems: list[str] = []
    _check_points(crossings, "crossings", name_col, problems)
    _check_points(gateways, "gateways", "name", problems)
    if problems:
        msg = "us_leg_minutes: " + "; ".join(problems)
        raise ValueError(msg)
    a = crossings.geometry.to_crs(CRS_GEO)
    b = gateways.geometry.to_crs(CRS_GEO)
    n, m = len(a), len(b)
    lon1, lat1 = np.repeat(a.x.to_numpy(), m), np.repeat(a.y.to_numpy(), m)
    lon2, lat2 = np.tile(b.x.to_numpy(), n), np.tile(b.y.to_numpy(), n)
    if n and m:
        _, _, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    else:
        metres = np.empty(0)
    km = np.asarray(metres, dtype=float).reshape(n, m) / 1000.0
    minutes = km * US_ROAD_DETOUR / US_TRUCK_KPH * 60.0
    return pd.DataFrame(
        minutes,
        index=pd.Index(crossings[name_col].to_numpy(), name=name_col),
        columns=pd.Index(gateways["name"].to_numpy(), name="gateway"),
    )
