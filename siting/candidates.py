"""Candidate sites: the bundled default set, or a user file of named points.

Every function returns a GeoDataFrame in EPSG:4326 with columns ``name`` (unique), ``source``
(``"industrial_park"``, ``"metro_seat"`` or ``"user"``) and point ``geometry``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from siting import layers
from siting._errors import InputError

#: Bounding box (lon/lat) a candidate must fall in: mainland Mexico and its islands, with margin.
MEXICO_BOUNDS = (-118.5, 14.4, -86.6, 32.8)


def default_candidates(
    *, min_establishments: int = 2, include_metro_seats: bool = True
) -> gpd.GeoDataFrame:
    """Return the default candidate set.

    The RETC-derived industrial parks with at least ``min_establishments`` reporting plants
    (near-duplicate names of one park merged, the other names kept in ``aliases``; see
    :func:`siting.layers.sites.industrial_parks`), plus (if ``include_metro_seats``) the municipal
    seat of every central municipality of the 74 metropolitan zones (2015 delimitation).
    """
    parks = layers.sites.industrial_parks(min_establishments=min_establishments)
    frames = [
        gpd.GeoDataFrame(
            {
                "name": (parks["name"].str.title() + " (" + parks["municipality"] + ")").to_numpy(),
                "source": "industrial_park",
                "aliases": (
                    parks["aliases"].fillna("").str.title().to_numpy() if "aliases" in parks else ""
                ),
            },
            geometry=parks.geometry.to_numpy(),
            crs=layers.CRS_GEO,
        )
    ]
    if include_metro_seats:
        zones = layers.sites.metro_zones()
        central = zones[zones["central"]]
        seats = layers.labor.municipal_population().merge(central[["CVEGEO", "zone"]], on="CVEGEO")
        abbr = layers.boundaries.states().set_index("CVE_ENT")["abbr"]
        frames.append(
            gpd.GeoDataFrame(
                {
                    "name": (
                        seats["municipality"] + ", " + seats["CVE_ENT"].map(abbr) + " (seat)"
                    ).to_numpy(),
                    "source": "metro_seat",
                    "aliases": "",
                },
                geometry=seats.geometry.to_numpy(),
                crs=layers.CRS_GEO,
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["name"] = _unique_names(out["name"])
    return gpd.GeoDataFrame(out, geometry="geometry", crs=layers.CRS_GEO)


def _unique_names(names: pd.Series) -> pd.Series:
    """Suffix repeated names with ``#2``, ``#3`` ... so every name is unique."""
    counts = names.groupby(names).cumcount()
    return names.where(counts == 0, names + " #" + (counts + 1).astype(str))


def read_candidates(path: str | Path) -> gpd.GeoDataFrame:
    """Read user candidates: a CSV with ``name``, ``lon``, ``lat`` or a GeoJSON of named points.

    Any other column (or GeoJSON property) is kept as read, e.g. ``rent_usd_m2`` or
    ``available_mw``: a scenario can use it as a criterion in ``[candidate_criteria]``, which
    checks that it is numeric.

    Raises
    ------
    InputError
        Naming the file, the row (1-based, as a spreadsheet shows it, header = row 1) or feature
        and what was expected, if the file is missing or malformed.
    """
    path = Path(path)
    if not path.is_file():
        msg = (
            f"candidates file {str(path)!r} does not exist; pass a CSV (name,lon,lat) or a GeoJSON"
        )
        raise InputError(msg)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        names, lon, lat, extra = _read_csv(path)
    elif suffix in {".geojson", ".json"}:
        names, lon, lat, extra = _read_geojson(path)
    else:
        msg = (
            f"candidates file {str(path)!r} has extension {suffix!r}; "
            "expected .csv (columns name, lon, lat) or .geojson (points with a 'name' property)"
        )
        raise InputError(msg)
    frame = _to_frame(path, names, lon, lat, row_offset=2 if suffix == ".csv" else 0)
    extra = extra.drop(columns=[c for c in extra.columns if c in frame.columns or not c])
    for col in extra.columns:  # the user's own data, e.g. rent per m2: usable as criteria
        frame.insert(len(frame.columns) - 1, col, extra[col].to_numpy())
    return frame


def _read_csv(path: Path) -> tuple[list[str], np.ndarray, np.ndarray, pd.DataFrame]:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        msg = f"candidates file {str(path)!r} is not a readable UTF-8 CSV: {exc}"
        raise InputError(msg) from None
    df.columns = [c.strip().lower() for c in df.columns]
    missing = [c for c in ("name", "lon", "lat") if c not in df.columns]
    if missing:
        msg = (
            f"candidates file {str(path)!r} lacks column(s) {missing}; "
            f"expected a header with name, lon, lat (found {list(df.columns)})"
        )
        raise InputError(msg)
    if df.empty:
        msg = f"candidates file {str(path)!r} has no rows; add at least one candidate"
        raise InputError(msg)
    lon = _parse_coordinates(path, df["lon"], "lon", row_offset=2)
    lat = _parse_coordinates(path, df["lat"], "lat", row_offset=2)
    extra = df.drop(columns=["name", "lon", "lat"]).replace("", None)
    return [s.strip() for s in df["name"]], lon, lat, extra


def _parse_coordinates(path: Path, values: pd.Series, field: str, *, row_offset: int) -> np.ndarray:
    parsed = pd.to_numeric(values.str.strip(), errors="coerce")
    bad = parsed.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        msg = (
            f"candidates file {str(path)!r}, row {i + row_offset}: {field} is {values.iloc[i]!r}; "
            "expected a decimal number in degrees (WGS84), e.g. -100.31"
        )
        raise InputError(msg)
    return parsed.to_numpy(dtype=float)


def _read_geojson(path: Path) -> tuple[list[str], np.ndarray, np.ndarray, pd.DataFrame]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"candidates file {str(path)!r} is not valid GeoJSON: {exc}"
        raise InputError(msg) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        msg = (
            f"candidates file {str(path)!r}: expected a FeatureCollection with at least one feature"
        )
        raise InputError(msg)
    names: list[str] = []
    lon: list[float] = []
    lat: list[float] = []
    props_all: list[dict] = []
    for i, feat in enumerate(features, start=1):
        geom = (feat or {}).get("geometry") or {}
        props = (feat or {}).get("properties") or {}
        coords = geom.get("coordinates")
        ok = (
            geom.get("type") == "Point"
            and isinstance(coords, list)
            and len(coords) >= 2
            and all(isinstance(c, int | float) for c in coords[:2])
        )
        if not ok:
            msg = (
                f"candidates file {str(path)!r}, feature {i}: geometry is "
                f"{geom.get('type')!r}; expected a Point with [lon, lat] coordinates"
            )
            raise InputError(msg)
        name = props.get("name")
        if name is None:
            msg = f"candidates file {str(path)!r}, feature {i}: property 'name' is missing"
            raise InputError(msg)
        names.append(str(name).strip())
        lon.append(float(coords[0]))
        lat.append(float(coords[1]))
        props_all.append({k: v for k, v in props.items() if k not in ("name", "source")})
    extra = pd.DataFrame(props_all, index=range(len(names)))
    return names, np.asarray(lon), np.asarray(lat), extra


def _to_frame(
    path: Path, names: list[str], lon: np.ndarray, lat: np.ndarray, *, row_offset: int
) -> gpd.GeoDataFrame:
    what = "row" if row_offset else "feature"
    first = row_offset or 1
    problems = _site_problems(names, lon, lat, lambda i: f"{what} {i + first}")
    if problems:
        raise InputError(f"candidates file {str(path)!r}, " + "; ".join(problems))
    return gpd.GeoDataFrame(
        {"name": names, "source": "user"}, geometry=gpd.points_from_xy(lon, lat), crs=layers.CRS_GEO
    )


def _site_problems(
    names: list[str], lon: np.ndarray, lat: np.ndarray, where: Callable[[int], str]
) -> list[str]:
    """Return what is wrong with named sites: an empty name, a point outside Mexico, a repeat.

    Each kind of problem names its first offending site; ``where(i)`` says where site ``i`` is
    (``"row 3"``).
    """
    problems = []
    empty = [i for i, name in enumerate(names) if not name]
    if empty:
        problems.append(f"{where(empty[0])}: name is empty; give each site a name")
    west, south, east, north = MEXICO_BOUNDS
    outside = ~((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north))
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        problems.append(
            f"{where(i)} ({names[i]!r}): lon {lon[i]}, lat {lat[i]} is outside Mexico "
            f"({west}..{east} lon, {south}..{north} lat); check that lon and lat are not swapped"
        )
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            problems.append(
                f"{where(i)}: name {name!r} repeats {where(seen[name])}; names must be unique"
            )
            break
        seen.setdefault(name, i)
    return problems


def check_candidates(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Validate candidates given as a GeoDataFrame and return them in EPSG:4326.

    Expected: point geometries with a CRS, a ``name`` column of unique, non-empty names, and
    points inside Mexico. A missing ``source`` column is filled with ``"user"``.

    Raises
    ------
    InputError
        Listing every problem found, with the first offending row of each.
    """
    problems = []
    if sites.crs is None:
        problems.append("has no CRS; set one, e.g. sites.set_crs('EPSG:4326')")
    geom = sites.geometry
    bad = ~(geom.geom_type == "Point") | geom.is_empty
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        problems.append(f"row {i}: geometry is {geom.iloc[i]!r}; every candidate must be a point")
    if "name" not in sites.columns:
        problems.append("has no 'name' column; give each site a name")
    if not problems:
        names = [("" if pd.isna(n) else str(n).strip()) for n in sites["name"]]
        xy = geom.to_crs(layers.CRS_GEO).get_coordinates().to_numpy()
        problems += _site_problems(names, xy[:, 0], xy[:, 1], lambda i: f"row {i}")
    if problems:
        msg = "candidates GeoDataFrame: " + "; ".join(problems)
        raise InputError(msg)
    out = sites.to_crs(layers.CRS_GEO)
    return out if "source" in out.columns else out.assign(source="user")
