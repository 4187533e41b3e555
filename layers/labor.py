"""Labour pools: where people live (Censo 2020), state labour markets (ENOE), minimum wages.

Schemas (EPSG:4326 where there is geometry):

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
``state_labor()``
    One row per state (32, no geometry): ``CVE_ENT``, ``state``, ``pea`` (economically active
    population, ENOE, mean of the latest four quarters), ``population_est`` (CONAPO population
    at the middle of those quarters, recovered from the SESNSP rates), ``pea_share``
    (``pea / population_est``, share of all residents who are economically active, 0.37–0.56),
    ``avg_monthly_wage_mxn`` (ENOE, same quarters; rough relative ranking only, see
    :func:`state_labor`), ``quarters`` (e.g. ``"2024-Q2..2025-Q1"``).
``minimum_wage_zones()``
    One row per municipality of :func:`siting.layers.boundaries.municipalities` (2,475, no
    geometry): ``CVEGEO``, ``wage_zone`` (``"frontera_norte"`` for the 45 municipalities of the
    Zona Libre de la Frontera Norte, else ``"general"``), ``min_wage_daily_mxn`` (CONASAMI daily
    minimum wage of that zone), ``min_wage_since`` (datetime64, the date that value came into
    force).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from siting.layers._data import CRS_GEO, CRS_METRIC, read_csv
from siting.layers._errors import DataError
from siting.layers.boundaries import municipalities
from siting.layers.security import CRIME_FILE

MUNICIPAL_FILE = "population/mx_municipalities_census2020.csv"
LOCALITIES_FILE = "population/mx_localities_1000plus_census2020.csv"
ENOE_FILE = "population/mx_state_labor_enoe_quarterly.csv"
MIN_WAGE_FILE = "population/mx_minimum_wage_daily.csv"
WAGE_ZONE_FILE = "population/mx_zona_libre_frontera_norte_municipalities.csv"
#: The Zona Libre de la Frontera Norte and its minimum wage start on this date (DOF 31-12-2018).
ZONE_START = pd.Timestamp("2019-01-01")
WAGE_ZONES = ("frontera_norte", "general")


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


def _quarter_midpoint(quarter: str) -> float:
    """Return the middle of ``"YYYY-Qn"`` in decimal years (``"2024-Q2"`` -> 2024.375)."""
    year, q = quarter.split("-Q")
    return int(year) + (int(q) - 0.5) / 4


@cache
def _conapo_population() -> pd.DataFrame:
    """Return the CONAPO population behind SESNSP's rates: rows = year, columns = ``CVE_ENT``.

    SESNSP publishes ``RATE_100K = INCIDENTS / population × 100,000`` with CONAPO's projection
    of the year's population, so ``population = INCIDENTS / RATE_100K × 100,000``. Per state and
    year the crime with the most incidents is used: rates carry three decimals, and for crimes of
    1,000+ incidents the recovered populations agree within 0.05 %. The 2025 rows (January–June)
    are divided by the whole 2025 population, so they recover it too.
    """
    df = read_csv(
        CRIME_FILE,  # SESNSP incidents with rates per 100,000: recovers CONAPO's population
        required=["YEAR", "CVE_ENT", "CRIME", "INCIDENTS", "RATE_100K"],
        dtype={"CVE_ENT": str},
    )
    df = df[(df["CVE_ENT"].str.zfill(2) != "00") & (df["RATE_100K"] > 0)].copy()
    df["CVE_ENT"] = df["CVE_ENT"].str.zfill(2)
    best = df.loc[df.groupby(["YEAR", "CVE_ENT"])["INCIDENTS"].idxmax()]
    best = best.assign(population=best["INCIDENTS"] / best["RATE_100K"] * 1e5)
    return best.pivot_table(
        index="YEAR", columns="CVE_ENT", values="population", aggfunc="first"
    ).sort_index()


@cache
def _state_labor() -> pd.DataFrame:
    df = read_csv(
        ENOE_FILE,
        required=["CVE_ENT", "NOM_ENT", "QUARTER", "PEA", "AVG_MONTHLY_WAGE_MXN"],
        dtype={"CVE_ENT": str},
    )
    df["CVE_ENT"] = df["CVE_ENT"].str.zfill(2)
    complete = df.groupby("QUARTER")["CVE_ENT"].nunique()
    quarters = sorted(complete[complete == 32].index)[-4:]
    if len(quarters) < 4:
        msg = f"{ENOE_FILE!r} has {len(quarters)} quarter(s) covering all 32 states; expected 4"
        raise DataError(msg)
    latest = df[df["QUARTER"].isin(quarters)]
    out = (
        latest.groupby("CVE_ENT")
        .agg(
            state=("NOM_ENT", "first"),
            pea=("PEA", "mean"),
            avg_monthly_wage_mxn=("AVG_MONTHLY_WAGE_MXN", "mean"),
        )
        .reset_index()
    )
    # CONAPO figures are mid-year (1 July = year + 0.5): interpolate to the period's middle
    conapo = _conapo_population()
    middle = float(np.mean([_quarter_midpoint(q) for q in quarters]))
    if not conapo.index.min() + 0.5 <= middle <= conapo.index.max() + 0.5:
        msg = f"SESNSP years {conapo.index.min()}–{conapo.index.max()} do not cover {middle:.2f}"
        raise DataError(msg)
    year_mid = conapo.index.to_numpy(dtype=float) + 0.5
    population = {ent: np.interp(middle, year_mid, conapo[ent].to_numpy()) for ent in conapo}
    out["population_est"] = out["CVE_ENT"].map(population).round().astype("int64")
    out["pea_share"] = out["pea"] / out["population_est"]
    out["quarters"] = f"{quarters[0]}..{quarters[-1]}"
    cols = [
        "CVE_ENT",
        "state",
        "pea",
        "population_est",
        "pea_share",
        "avg_monthly_wage_mxn",
        "quarters",
    ]
    return out[cols].sort_values("CVE_ENT").reset_index(drop=True)


def state_labor() -> pd.DataFrame:
    """Return the labour market of each state: ENOE's PEA and wage over the latest four quarters.

    ``pea`` and ``avg_monthly_wage_mxn`` are the means of the latest four quarters of INEGI's
    Encuesta Nacional de Ocupación y Empleo (ENOE, via Secretaría de Economía's Data México) that
    cover all 32 states (2024-Q2..2025-Q1 in the bundled file; PEA sums to about 61 million).

    ``population_est`` is the state population at the middle of those quarters (1 October 2024
    for 2024-Q2..2025-Q1), from CONAPO's projections as used by SESNSP: the bundled SESNSP state
    file gives incidents and rates per 100,000, so population = incidents / rate × 100,000 (the
    crime with the most incidents per state and year), interpolated linearly between the
    mid-year figures of 2024 and 2025. CONAPO rather than Censo 2020 because PEA is counted four
    years after the census and ENOE's weights are calibrated to CONAPO's projections, so the
    ratio uses one population throughout. The recovered figures are 100–112 % of the census
    2020 state totals (national 132.5 M against 126.0 M; CONAPO's 2020 figure, 128.2 M, is
    already 1.7 % above the census because it corrects for under-count); Ciudad de México and
    Veracruz barely grow, Quintana Roo and Baja California Sur grow fastest.

    ``pea_share`` = ``pea / population_est`` is the share of *all residents* (children
    included) who are economically active: 0.46 nationally, from 0.37 in Chiapas (young, largely
    rural population) to 0.56 in Ciudad de México; Nuevo León 0.47.

    .. warning::
       ``avg_monthly_wage_mxn`` (ENOE average monthly income of the employed) appears to include
       employed people with zero or unreported income, so states with high income non-response
       look too low (2024-Q4: Morelos 2,971 MXN, Ciudad de México 6,182, Nuevo León 9,466, Baja
       California Sur 12,342). Use it only for a rough relative ranking.

    Examples
    --------
    >>> from siting import layers
    >>> lab = layers.labor.state_labor()
    >>> len(lab), lab["quarters"].iloc[0]
    (32, '2024-Q2..2025-Q1')
    >>> round(lab["pea"].sum() / 1e6)
    61
    """
    return _state_labor().copy()


@cache
def _zone_members() -> pd.DataFrame:
    df = read_csv(WAGE_ZONE_FILE, required=["CVEGEO", "NOM_MUN", "ASSIGNED"], dtype={"CVEGEO": str})
    df["CVEGEO"] = df["CVEGEO"].str.zfill(5)
    return df


@cache
def _minimum_wage_series() -> pd.DataFrame:
    df = read_csv(MIN_WAGE_FILE, required=["fecha", "zona", "salario_diario"])
    df["fecha"] = pd.to_datetime(df["fecha"])
    unknown = sorted(set(df["zona"]) - set(WAGE_ZONES))
    if unknown:
        msg = f"{MIN_WAGE_FILE!r} has zone(s) {unknown}; expected only {list(WAGE_ZONES)}"
        raise DataError(msg)
    return df.sort_values(["zona", "fecha"]).reset_index(drop=True)


def _wage_in_force(zone: str, on: pd.Timestamp | None) -> tuple[float, pd.Timestamp]:
    """Return the daily minimum wage of ``zone`` in force on ``on`` and the date it started."""
    series = _minimum_wage_series()
    series = series[series["zona"] == zone]
    if on is not None:
        series = series[series["fecha"] <= on]
    value = float(series["salario_diario"].iloc[-1])
    # the file repeats the value every month: "since" is the start of the last run of that value
    changed = series["salario_diario"].ne(series["salario_diario"].shift())
    since = series.loc[changed, "fecha"].iloc[-1]
    return value, since


def minimum_wage_zones(*, on: str | dt.date | None = None) -> pd.DataFrame:
    """Return each municipality's minimum-wage zone and daily minimum wage (CONASAMI).

    Parameters
    ----------
    on
        Date at which the wage is taken (ISO string or date); the latest value in the bundled
        series by default (from 1 January 2026: 440.87 MXN a day in the ``frontera_norte``
        zone, 315.04 in the ``general`` zone). Must be on or after 2019-01-01, when the zone
        began.

    Returns
    -------
    pandas.DataFrame
        One row per municipality of :func:`siting.layers.boundaries.municipalities`, in its
        order: ``CVEGEO``, ``wage_zone``, ``min_wage_daily_mxn``, ``min_wage_since``.

    Notes
    -----
    The ``frontera_norte`` zone is the Zona Libre de la Frontera Norte of the decree of
    31 December 2018 (DOF): the 43 municipalities it names (Baja California 5, Sonora 11,
    Chihuahua 8, Coahuila 8, Nuevo León 1, Tamaulipas 10), plus San Quintín (02006) and San
    Felipe (02007), created since from Ensenada and Mexicali, which inherit their parent's zone:
    45 municipalities. ``tools/derive_wage_zone.py`` built the bundled list and checked it
    against a 25 km strip along the US border drawn on INEGI's boundaries: Ensenada (and its
    successors) lie outside the strip but are named by the decree; Los Aldamas, General Bravo and
    Parás (Nuevo León) and Fronteras (Sonora) touch the strip but are not named, so they stay
    ``general``. The decree list wins.

    Examples
    --------
    >>> from siting import layers
    >>> zones = layers.labor.minimum_wage_zones().set_index("CVEGEO")
    >>> tijuana, monterrey = zones.loc["02004"], zones.loc["19039"]
    >>> tijuana["wage_zone"], float(tijuana["min_wage_daily_mxn"])
    ('frontera_norte', 440.87)
    >>> monterrey["wage_zone"], float(monterrey["min_wage_daily_mxn"])
    ('general', 315.04)
    >>> int((zones["wage_zone"] == "frontera_norte").sum())
    45
    """
    when = None if on is None else pd.Timestamp(on)
    if when is not None and when < ZONE_START:
        msg = f"`on` was {str(on)!r} but must be on or after {ZONE_START.date()} (zone start)"
        raise ValueError(msg)
    codes = municipalities()["CVEGEO"]
    members = _zone_members()
    unknown = sorted(set(members["CVEGEO"]) - set(codes))
    if unknown:
        msg = f"{WAGE_ZONE_FILE!r} lists municipalities unknown to the boundaries: {unknown}"
        raise DataError(msg)
    zone = np.where(codes.isin(members["CVEGEO"]), "frontera_norte", "general")
    out = pd.DataFrame({"CVEGEO": codes.to_numpy(), "wage_zone": zone})
    wages = {z: _wage_in_force(z, when) for z in WAGE_ZONES}
    out["min_wage_daily_mxn"] = out["wage_zone"].map({z: w[0] for z, w in wages.items()})
    out["min_wage_since"] = pd.to_datetime(
        out["wage_zone"].map({z: w[1] for z, w in wages.items()})
    )
    return out
