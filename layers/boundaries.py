"""Administrative boundaries: Mexico's states and municipalities (INEGI) and where points lie.

Schemas (EPSG:4326):

``states()``
    ``CVE_ENT`` (str, 2 chars), ``state`` (official name), ``state_short``, ``abbr``,
    ``population`` (Censo 2020), ``geometry`` (Polygon/MultiPolygon).
``municipalities()``
    ``CVEGEO`` (str, 5 chars), ``CVE_ENT``, ``municipality``, ``state``, ``geometry``.
    Population is deliberately *not* taken from the boundary file (see :mod:`layers.labor`).
``mexico()``
    The national outline: the union of the state polygons, one (Multi)Polygon.
``locate(points)``
    ``in_mexico``, ``CVEGEO``, ``municipality``, ``CVE_ENT``, ``state``, ``outside_m``,
    ``beyond``, indexed like ``points`` (see :func:`locate`).

How a point is located
----------------------
The bundled polygons are simplified (mapshaper, 3 %): along the coast they cut off piers, port
basins and small islands, so real Mexican places fall just outside them (measured: the Isla
Mujeres seat 97 m, Veracruz port 149 m, Manzanillo port 80 m, the Progreso pier 1.2 km). Along
the land border the same simplification leaves US and Guatemalan towns only a few hundred metres
outside (Brownsville 649 m, Laredo 730 m, El Paso 1.4 km, Nogales AZ 1.9 km, Tecún Umán 71 m).
So a point outside every municipal polygon is in Mexico only if it is within
:data:`COAST_TOLERANCE_M` of the outline **and** not within :data:`LAND_BORDER_ZONE_M` of the
United States, Guatemala or Belize; it then takes the nearest municipality. Near the land border
there is no tolerance: a point outside the outline there is outside Mexico, never given a Mexican
state by a nearest guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.layers._data import CRS_GEO, CRS_METRIC, check_columns, data_path
from siting.layers._errors import DataError

STATES_FILE = "boundaries/mx_states_32_simplified.geojson"
MUNICIPALITIES_FILE = "boundaries/mx_municipalities_2475_simplified.geojson"
#: Natural Earth 1:110m countries; the non-Mexican ones (USA, GTM, BLZ) mark the land border.
NEIGHBOURS_FILE = "boundaries/neighbours_naturalearth_110m.geojson"

#: Metres outside the simplified outline that still count as Mexico, on the coast only.
#: The simplified polygons cut off piers, port basins and islets: Manzanillo port is 80 m outside,
#: the Isla Mujeres seat 97 m, Veracruz port 149 m, the Progreso pier 1.2 km. 2 km keeps them
#: with a margin while a point 8.4 km off Mazatlán (open sea) stays outside.
COAST_TOLERANCE_M = 2_000.0
#: Metres around the United States, Guatemala and Belize (Natural Earth 1:110m) in which
#: :data:`COAST_TOLERANCE_M` does not apply. The 1:110m outlines are coarse: along the US
#: border INEGI's outline lies up to 8.4 km from them (Rio Grande meanders near Zapata), so a US
#: point within the coastal tolerance of the outline can be 8.4 + 2 ≈ 10.4 km from the US
#: polygon; 25 km covers that 2.4 times over. The price: the first ~25 km of coast next to the
#: land border (Playas de Tijuana, the Rio Grande mouth, Chetumal Bay, the Suchiate mouth) get
#: no tolerance either.
LAND_BORDER_ZONE_M = 25_000.0
#: An outside point farther than the zone from every neighbour but within this distance of the
#: outline is described as at sea (``beyond = "sea"``): no other country lies within 100 km of
#: Mexico (Cuba is about 200 km from Yucatán).
SEA_M = 100_000.0
#: ISO 3166 alpha-3 code and English name of Mexico's land neighbours.
NEIGHBOURS = {"USA": "the United States", "GTM": "Guatemala", "BLZ": "Belize"}
#: Lon/lat box the neighbours are clipped to before projecting (drops Alaska, Hawaii, Maine...).
_NEIGHBOUR_BOX = (-125.0, 8.0, -80.0, 40.0)
#: Columns of :func:`locate`, in order.
LOCATE_COLUMNS = ["in_mexico", "CVEGEO", "municipality", "CVE_ENT", "state", "outside_m", "beyond"]


@cache
def _states() -> gpd.GeoDataFrame:
    path = data_path(STATES_FILE)
    gdf = gpd.read_file(path)
    check_columns(gdf, ["CVE_ENT", "NOMGEO", "NOM_CORTO", "ABR_ENT", "POB2020"], str(path))
    gdf = gdf.rename(
        columns={
            "NOMGEO": "state",
            "NOM_CORTO": "state_short",
            "ABR_ENT": "abbr",
            "POB2020": "population",
        }
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


@cache
def _mexico(crs: str) -> shapely.Geometry:
    outline = shapely.union_all(_states().to_crs(crs).geometry.to_numpy())
    shapely.prepare(outline)
    return outline


def mexico(crs: str = CRS_GEO) -> shapely.Geometry:
    """Return Mexico's national outline: the union of the bundled (simplified) state polygons.

    Parameters
    ----------
    crs
        CRS of the returned geometry, e.g. ``siting.layers.CRS_METRIC`` for metres.

    Returns
    -------
    shapely.Geometry
        One MultiPolygon (mainland and islands), computed once per CRS and shared: shapely
        geometries are immutable. The union of the municipal polygons is the same outline.

    Examples
    --------
    >>> import shapely
    >>> from siting import layers
    >>> outline = layers.boundaries.mexico()
    >>> outline.geom_type, outline.contains(shapely.Point(-99.13, 19.43))
    ('MultiPolygon', True)
    """
    return _mexico(crs)


@dataclass(frozen=True)
class _Locator:
    """What :func:`locate` searches, built once: municipal polygons and neighbours, in metres."""

    tree: shapely.STRtree  # municipal polygons
    edges: shapely.STRtree  # the national outline cut into its segments (fast nearest search)
    admin: pd.DataFrame  # CVEGEO, municipality, CVE_ENT, state, by tree position
    neighbours: dict[str, shapely.Geometry]  # ISO3 -> polygon clipped near Mexico, metres


@cache
def _locator() -> _Locator:
    muns = _municipalities()
    geoms = muns.geometry.to_crs(CRS_METRIC).to_numpy()
    rings = shapely.get_rings(shapely.get_parts(_mexico(CRS_METRIC)))
    ends = [shapely.get_coordinates(ring) for ring in rings]
    segments = np.concatenate([np.stack([c[:-1], c[1:]], axis=1) for c in ends])
    path = data_path(NEIGHBOURS_FILE)
    countries = gpd.read_file(path)
    check_columns(countries, ["iso_a3"], str(path))
    countries = countries[countries["iso_a3"].isin(list(NEIGHBOURS))]
    missing = sorted(set(NEIGHBOURS) - set(countries["iso_a3"]))
    if missing:
        msg = f"{str(path)!r} lacks the countries {missing}; reinstall siting (pip install .)"
        raise DataError(msg)
    clipped = countries.geometry.clip_by_rect(*_NEIGHBOUR_BOX).set_crs(CRS_GEO, allow_override=True)
    metric = clipped.to_crs(CRS_METRIC).to_numpy()
    neighbours = dict(zip(countries["iso_a3"], metric, strict=True))
    for geom in neighbours.values():
        shapely.prepare(geom)
    return _Locator(
        tree=shapely.STRtree(geoms),
        edges=shapely.STRtree(shapely.linestrings(segments)),
        admin=muns[["CVEGEO", "municipality", "CVE_ENT", "state"]].reset_index(drop=True),
        neighbours=neighbours,
    )


def locate(points: gpd.GeoSeries | gpd.GeoDataFrame) -> pd.DataFrame:
    """Return whether each point is in Mexico, and if so its municipality and state.

    A point inside a municipal polygon takes that municipality (on a shared edge, the one with
    the smallest ``CVEGEO``). A point outside every polygon is in Mexico only if it is within
    :data:`COAST_TOLERANCE_M` of the national outline and farther than
    :data:`LAND_BORDER_ZONE_M` from the United States, Guatemala and Belize; it takes the nearest
    municipality. See the module docstring for the measured distances behind both constants.

    Parameters
    ----------
    points
        Points with a CRS (any). Missing or empty geometries are not in Mexico.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``points``: ``in_mexico`` (bool); ``CVEGEO``, ``municipality``,
        ``CVE_ENT``, ``state`` (str, None outside Mexico); ``outside_m`` (float, metres from the
        national outline: 0 inside a polygon, NaN for a missing point; measured in EPSG:6372, so
        exact near Mexico but distorted thousands of km away); ``beyond`` (None in
        Mexico; for a point outside, ``"USA"``, ``"GTM"`` or ``"BLZ"`` within
        :data:`LAND_BORDER_ZONE_M` of that neighbour, else ``"sea"`` within :data:`SEA_M` of
        the outline, else ``"far"``).

    Raises
    ------
    ValueError
        If ``points`` has no CRS or holds geometries other than points.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from siting import layers
    >>> pts = gpd.GeoSeries.from_xy([-106.45, -106.485], [31.72, 31.7619], crs="EPSG:4326")
    >>> layers.boundaries.locate(pts)[["in_mexico", "state", "beyond"]]
       in_mexico      state beyond
    0       True  Chihuahua   None
    1      False       None    USA
    """
    geom = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if not isinstance(geom, gpd.GeoSeries):
        msg = f"`points` was a {type(points).__name__}; expected a GeoSeries or GeoDataFrame"
        raise TypeError(msg)
    if geom.crs is None:
        msg = "`points` has no CRS; set one, e.g. points.set_crs('EPSG:4326')"
        raise ValueError(msg)
    present = ~(geom.isna() | geom.is_empty).to_numpy()
    kinds = geom.geom_type.to_numpy()
    wrong = present & (kinds != "Point")
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        msg = f"`points` row {geom.index[i]!r} is a {kinds[i]}; locate expects points"
        raise ValueError(msg)
    metric = geom.to_crs(CRS_METRIC).to_numpy()
    x, y = shapely.get_x(metric), shapely.get_y(metric)
    ok = present & np.isfinite(x) & np.isfinite(y)
    found, outside_m, beyond = _locate_xy(x[ok], y[ok])

    n = len(geom)
    match = np.full(n, -1)
    match[ok] = found
    dist = np.full(n, np.nan)
    dist[ok] = outside_m
    where = np.full(n, None, dtype=object)
    where[~ok] = "far"
    where[ok] = beyond
    admin = _locator().admin
    inside = match >= 0
    out = pd.DataFrame({"in_mexico": inside}, index=geom.index)
    for col in ["CVEGEO", "municipality", "CVE_ENT", "state"]:
        values = np.full(n, None, dtype=object)
        values[inside] = admin[col].to_numpy()[match[inside]]
        out[col] = pd.Series(values, index=out.index, dtype=object)  # None, not NaN, outside
    out["outside_m"] = dist
    out["beyond"] = pd.Series(where, index=out.index, dtype=object)
    return out


def _locate_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Locate finite EPSG:6372 coordinates: municipal position (-1 outside), metres, beyond."""
    loc = _locator()
    pts = shapely.points(x, y)
    n = len(pts)
    found = np.full(n, -1)
    pairs = loc.tree.query(pts, predicate="intersects")
    if pairs.shape[1]:
        order = np.lexsort((pairs[1], pairs[0]))  # by point, then smallest CVEGEO
        point_idx, first = np.unique(pairs[0][order], return_index=True)
        found[point_idx] = pairs[1][order][first]
    outside_m = np.zeros(n)
    beyond = np.full(n, None, dtype=object)
    out = np.flatnonzero(found < 0)
    if not len(out):
        return found, outside_m, beyond
    # distance to the outline's segments: much faster than to the polygons for far points
    (qi, _), dist = loc.edges.query_nearest(pts[out], return_distance=True, all_matches=False)
    outside_m[out[qi]] = dist
    dist = outside_m[out]
    to_country = np.column_stack([shapely.distance(pts[out], g) for g in loc.neighbours.values()])
    closest = to_country.argmin(axis=1)
    by_border = to_country[np.arange(len(out)), closest] <= LAND_BORDER_ZONE_M
    codes = np.asarray(list(loc.neighbours), dtype=object)
    beyond[out] = np.where(by_border, codes[closest], np.where(dist <= SEA_M, "sea", "far"))
    coast = out[(dist <= COAST_TOLERANCE_M) & ~by_border]
    if len(coast):  # cut off by the simplification: the nearest municipality
        (qi, nearest), _ = loc.tree.query_nearest(
            pts[coast],
            max_distance=COAST_TOLERANCE_M * 1.01,
            return_distance=True,
            all_matches=False,
        )
        found[coast[qi]] = nearest
        beyond[coast[qi]] = None
    return found, outside_m, beyond
