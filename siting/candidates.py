"""Candidate sites: the bundled default set, or a user file of named points.

Every function returns a GeoDataFrame in EPSG:4326 with columns ``name`` (unique), ``source``
(``"industrial_park"``, ``"metro_seat"`` or ``"user"``) and point ``geometry``; user sites read
with ``outside="keep"`` also have ``outside_mexico`` (bool).

A site is in Mexico if :func:`siting.layers.boundaries.locate` says so: inside a municipal
polygon, or within 2 km of the simplified coastline away from the land border (piers, ports,
islets). Sites outside Mexico are refused (``outside="refuse"``, the default), naming each one,
how far out it is and whether it lies beyond the land border or at sea; ``outside="keep"`` keeps
them, marked ``outside_mexico``, and a run lists them unranked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from siting import layers
from siting._errors import InputError

#: Values of the ``outside`` option: refuse sites outside Mexico, or keep them unranked.
OUTSIDE_CHOICES = ("refuse", "keep")
#: Sites outside Mexico listed one by one in an error; the rest are counted.
MAX_LISTED = 5

#: How to fix coordinates that are not degrees, by kind of input.
_NOT_DEGREES_FIX = {
    "csv": (
        "convert them to WGS84 longitude and latitude in decimal degrees (a CSV cannot declare "
        "another CRS; a GeoJSON file can, with a 'crs' member)"
    ),
    "geojson": (
        'add a \'crs\' member naming their CRS, e.g. "crs": {"type": "name", '
        '"properties": {"name": "EPSG:6372"}}, or convert them to WGS84 lon/lat'
    ),
    "geodataframe": (
        "set the CRS they are in, e.g. sites.set_crs('EPSG:6372', allow_override=True), or "
        "convert them to WGS84 lon/lat"
    ),
}


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


def read_candidates(path: str | Path, *, outside: str = "refuse") -> gpd.GeoDataFrame:
    """Read user candidates: a CSV with ``name``, ``lon``, ``lat`` or a GeoJSON of named points.

    Any other column (or GeoJSON property) is kept as read, e.g. ``rent_usd_m2`` or
    ``available_mw``: a scenario can use it as a criterion in ``[candidate_criteria]``, which
    checks that it is numeric.

    CSV coordinates are WGS84 decimal degrees. GeoJSON coordinates are WGS84 lon/lat (RFC 7946)
    unless the file has an (older GeoJSON) ``crs`` member, e.g. ``{"type": "name",
    "properties": {"name": "urn:ogc:def:crs:EPSG::6372"}}``: they are then converted from that
    CRS to lon/lat.

    Parameters
    ----------
    path
        The CSV or GeoJSON file.
    outside
        ``"refuse"`` (default): a site outside Mexico is an error. ``"keep"``: such sites are kept
        and the result gets a boolean column ``outside_mexico`` (present only with ``"keep"``,
        all False if every site is in Mexico); a run lists them unranked. A column of that name
        in the file is ignored: siting derives it.

    Raises
    ------
    InputError
        Naming the file, the row (1-based, as a spreadsheet shows it, header = row 1) or feature
        and what was expected, if the file is missing, unreadable or malformed, or (unless
        ``outside="keep"``) has sites outside Mexico.
    ValueError
        If ``outside`` is not one of :data:`OUTSIDE_CHOICES`.
    """
    _check_outside(outside)
    path = Path(path)
    try:
        is_dir, exists, is_file = path.is_dir(), path.exists(), path.is_file()
    except OSError as exc:  # e.g. a folder on the way that we may not enter
        raise _unreadable(path, exc) from None
    if is_dir:
        msg = f"candidates file {str(path)!r} is a directory; pass a CSV or GeoJSON file"
        raise InputError(msg)
    if not exists:
        msg = (
            f"candidates file {str(path)!r} does not exist; pass a CSV (name,lon,lat) or a GeoJSON"
        )
        raise InputError(msg)
    if not is_file:
        msg = f"candidates file {str(path)!r} is not a regular file; pass a CSV or GeoJSON file"
        raise InputError(msg)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        names, lon, lat, extra = _read_csv(path)
        kind = "csv"
    elif suffix in {".geojson", ".json"}:
        names, lon, lat, extra, crs = _read_geojson(path)
        kind = "geojson" if crs is None else f"crs {crs}"
    else:
        msg = (
            f"candidates file {str(path)!r} has extension {suffix!r}; "
            "expected .csv (columns name, lon, lat) or .geojson (points with a 'name' property)"
        )
        raise InputError(msg)
    offset = 2 if suffix == ".csv" else 0
    frame = _to_frame(path, names, lon, lat, row_offset=offset, kind=kind, outside=outside)
    extra = extra.drop(
        columns=[c for c in extra.columns if c in frame.columns or not c or c == "outside_mexico"]
    )
    for col in extra.columns:  # the user's own data, e.g. rent per m2: usable as criteria
        frame.insert(len(frame.columns) - 1, col, extra[col].to_numpy())
    if "outside_mexico" in frame.columns:  # after the user's columns
        frame.insert(len(frame.columns) - 1, "outside_mexico", frame.pop("outside_mexico"))
    return frame


def _check_outside(outside: str) -> None:
    if outside not in OUTSIDE_CHOICES:
        msg = f"`outside` was {outside!r} but is expected to be one of {list(OUTSIDE_CHOICES)}"
        raise ValueError(msg)


def _unreadable(path: Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    msg = (
        f"candidates file {str(path)!r} cannot be read ({reason}); check that it is a file you "
        "are allowed to read"
    )
    return InputError(msg)


def _read_csv(path: Path) -> tuple[list[str], np.ndarray, np.ndarray, pd.DataFrame]:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        msg = f"candidates file {str(path)!r} is not a readable UTF-8 CSV: {exc}"
        raise InputError(msg) from None
    except OSError as exc:
        raise _unreadable(path, exc) from None
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


def _read_geojson(
    path: Path,
) -> tuple[list[str], np.ndarray, np.ndarray, pd.DataFrame, str | None]:
    """Return names, lon, lat, other properties and the ``crs`` member's text (None if absent).

    Coordinates are converted to WGS84 lon/lat if the file names another CRS.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"candidates file {str(path)!r} is not valid GeoJSON: {exc}"
        raise InputError(msg) from None
    except OSError as exc:
        raise _unreadable(path, exc) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        msg = (
            f"candidates file {str(path)!r}: expected a FeatureCollection with at least one feature"
        )
        raise InputError(msg)
    crs = _geojson_crs(path, data.get("crs"))
    names: list[str] = []
    lon: list[float] = []
    lat: list[float] = []
    props_all: list[dict] = []
    for i, feat in enumerate(features, start=1):
        if not isinstance(feat, dict):
            msg = (
                f"candidates file {str(path)!r}, feature {i}: is {type(feat).__name__} "
                f"{_shorten(feat)}; expected a Feature object with 'geometry' and 'properties'"
            )
            raise InputError(msg)
        geom = feat.get("geometry")
        geom = geom if isinstance(geom, dict) else {}
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            msg = (
                f"candidates file {str(path)!r}, feature {i}: 'properties' is "
                f'{_shorten(props)}; expected an object such as {{"name": "Site A"}}'
            )
            raise InputError(msg)
        coords = geom.get("coordinates")
        ok = (
            geom.get("type") == "Point"
            and isinstance(coords, list)
            and len(coords) >= 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
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
    x, y = np.asarray(lon), np.asarray(lat)
    if crs is None:
        return names, x, y, extra, None
    text, parsed = crs
    try:
        to_lonlat = pyproj.Transformer.from_crs(parsed, layers.CRS_GEO, always_xy=True)
        x, y = to_lonlat.transform(x, y, errcheck=True)
    except pyproj.exceptions.ProjError as exc:
        msg = (
            f"candidates file {str(path)!r}: its coordinates cannot be converted from the 'crs' "
            f"member {text!r} to lon/lat ({exc}); check the 'crs' member or give WGS84 lon/lat"
        )
        raise InputError(msg) from None
    return names, np.asarray(x, dtype=float), np.asarray(y, dtype=float), extra, text


def _shorten(value: Any, width: int = 40) -> str:
    """Return ``repr(value)`` cut to ``width`` characters, for messages."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _geojson_crs(path: Path, member: Any) -> tuple[str, pyproj.CRS] | None:
    """Return the text and CRS of a GeoJSON ``crs`` member (None if absent)."""
    if member is None:
        return None
    text = None
    if isinstance(member, str):
        text = member
    elif isinstance(member, dict):
        props = member.get("properties")
        props = props if isinstance(props, dict) else {}
        if member.get("type") == "name" and isinstance(props.get("name"), str):
            text = props["name"]
        elif member.get("type") == "EPSG" and isinstance(props.get("code"), int | str):
            text = f"EPSG:{props['code']}"
    example = '{"type": "name", "properties": {"name": "EPSG:6372"}}'
    if text is None:
        msg = (
            f"candidates file {str(path)!r}: the 'crs' member {json.dumps(member)[:200]} is not "
            f"understood; expected e.g. {example}, or remove it and give WGS84 lon/lat"
        )
        raise InputError(msg)
    try:
        parsed = pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        msg = (
            f"candidates file {str(path)!r}: the 'crs' member names {text!r}, which is not a "
            f"known CRS; name it by EPSG code, e.g. {example} or "
            "'urn:ogc:def:crs:EPSG::6372', or remove it and give WGS84 lon/lat"
        )
        raise InputError(msg) from None
    return text, parsed


def _to_frame(
    path: Path,
    names: list[str],
    lon: np.ndarray,
    lat: np.ndarray,
    *,
    row_offset: int,
    kind: str,
    outside: str,
) -> gpd.GeoDataFrame:
    what = "row" if row_offset else "feature"
    first = row_offset or 1
    problems, beyond = _site_problems(
        names, lon, lat, lambda i: f"{what} {i + first}", kind=kind, outside=outside
    )
    if problems:
        raise InputError(f"candidates file {str(path)!r}, " + "; ".join(problems))
    frame = gpd.GeoDataFrame(
        {"name": names, "source": "user"}, geometry=gpd.points_from_xy(lon, lat), crs=layers.CRS_GEO
    )
    if outside == "keep":
        frame.insert(len(frame.columns) - 1, "outside_mexico", beyond)
    return frame


def _distance_text(metres: float) -> str:
    if metres < 1000:
        return f"{metres:.0f} m"
    return f"{metres / 1000:.1f} km" if metres < 100_000 else f"{metres / 1000:,.0f} km"


def _where_outside(row: pd.Series) -> str:
    """Say how far outside Mexico a located point is, and on which side."""
    far = _distance_text(float(row["outside_m"]))
    code = row["beyond"]
    if code in layers.boundaries.NEIGHBOURS:
        return (
            f"{far} outside Mexico, beyond the land border with "
            f"{layers.boundaries.NEIGHBOURS[code]}"
        )
    if code == "sea":
        return f"outside Mexico, at sea {far} off the coast"
    limit = _distance_text(layers.boundaries.SEA_M)
    return f"outside Mexico, more than {limit} from its coast and land border"


def _swap_hint(lon: np.ndarray, lat: np.ndarray, rows: np.ndarray) -> dict[int, str]:
    """Return, for each of ``rows`` whose swapped lon/lat is in Mexico, a hint saying so."""
    swapped_ok = rows[(np.abs(lon[rows]) <= 90) & (np.abs(lat[rows]) <= 180)]
    if not len(swapped_ok):
        return {}
    pts = gpd.GeoSeries.from_xy(lat[swapped_ok], lon[swapped_ok], crs=layers.CRS_GEO)
    found = layers.boundaries.locate(pts)
    return {
        int(i): (
            f"; lon and lat look swapped: lon {lat[i]}, lat {lon[i]} is in "
            f"{found['municipality'].iloc[k]}, {found['state'].iloc[k]}"
        )
        for k, i in enumerate(swapped_ok)
        if found["in_mexico"].iloc[k]
    }


def _listed(items: list[str]) -> str:
    more = len(items) - MAX_LISTED
    return "; ".join(items[:MAX_LISTED]) + (f"; and {more} more" if more > 0 else "")


def _site_problems(
    names: list[str],
    lon: np.ndarray,
    lat: np.ndarray,
    where: Callable[[int], str],
    *,
    kind: str,
    outside: str = "refuse",
) -> tuple[list[str], np.ndarray]:
    """Return what is wrong with named sites, and which sites are outside Mexico.

    Problems: an empty name (the first), coordinates that are not degrees (every such site, up
    to :data:`MAX_LISTED`), a point outside Mexico (every such site, unless ``outside="keep"``),
    a repeated name (the first). ``where(i)`` says where site ``i`` is (``"row 3"``); ``kind``
    (``"csv"``, ``"geojson"``, ``"geodataframe"`` or ``"crs <text>"``) chooses the advice for
    coordinates that are not degrees.
    """
    problems = []
    empty = [i for i, name in enumerate(names) if not name]
    if empty:
        problems.append(f"{where(empty[0])}: name is empty; give each site a name")
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    degrees = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    not_degrees = np.flatnonzero(~degrees)
    swaps = _swap_hint(lon, lat, not_degrees)
    metres = [i for i in not_degrees if i not in swaps and max(abs(lon[i]), abs(lat[i])) > 180]
    items = []
    for i in not_degrees:
        xy = f"lon {lon[i]}, lat {lat[i]}" if kind == "csv" else f"coordinates [{lon[i]}, {lat[i]}]"
        site = f"{where(i)} ({names[i]!r}): {xy}"
        if i in swaps:
            items.append(f"{site} is outside Mexico (lat must be within -90..90){swaps[i]}")
        elif i in metres:
            items.append(f"{site} are not degrees")
        else:
            items.append(f"{site} is not a position (lon must be within -180..180, lat -90..90)")
    if items:
        advice = ""
        if metres:
            fix = _NOT_DEGREES_FIX.get(kind)
            advice = (
                "; these look like projected coordinates (metres), not WGS84 degrees: " + fix
                if fix
                else f"; they could not be converted to lon/lat degrees from the {kind}"
            )
        problems.append(_listed(items) + advice)

    beyond = np.zeros(len(names), dtype=bool)
    if degrees.any():
        pts = gpd.GeoSeries.from_xy(lon[degrees], lat[degrees], crs=layers.CRS_GEO)
        found = layers.boundaries.locate(pts)
        beyond[degrees] = ~found["in_mexico"].to_numpy(dtype=bool)
        rows = np.flatnonzero(beyond)
        if outside == "refuse" and len(rows):
            located = found.set_axis(np.flatnonzero(degrees))
            swaps = _swap_hint(lon, lat, rows)
            items = [
                f"{where(i)} ({names[i]!r}): lon {lon[i]}, lat {lat[i]} is "
                f"{_where_outside(located.loc[i])}{swaps.get(int(i), '')}"
                for i in rows
            ]
            count = "1 site is" if len(rows) == 1 else f"{len(rows)} sites are"
            problems.append(
                f"{count} outside Mexico: {_listed(items)}; fix the coordinates or remove "
                f"{'it' if len(rows) == 1 else 'them'}, or keep "
                f'{"it" if len(rows) == 1 else "them"} unranked with outside="keep" '
                "(siting run --outside keep)"
            )
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            problems.append(
                f"{where(i)}: name {name!r} repeats {where(seen[name])}; names must be unique"
            )
            break
        seen.setdefault(name, i)
    return problems, beyond


def check_candidates(sites: gpd.GeoDataFrame, *, outside: str = "refuse") -> gpd.GeoDataFrame:
    """Validate candidates given as a GeoDataFrame and return them in EPSG:4326.

    Expected: point geometries with a CRS, a ``name`` column of unique, non-empty names, and
    points inside Mexico (see :func:`siting.layers.boundaries.locate`). A missing ``source``
    column is filled with ``"user"``.

    Parameters
    ----------
    sites
        The candidates.
    outside
        ``"refuse"`` (default): a site outside Mexico is an error. ``"keep"``: such sites are kept
        and the result gets a boolean column ``outside_mexico`` (replacing any column of that
        name; present only with ``"keep"``); a run lists them unranked.

    Raises
    ------
    InputError
        Listing every problem found: the first offending row of each kind, and every site
        outside Mexico (up to five, then a count).
    ValueError
        If ``outside`` is not one of :data:`OUTSIDE_CHOICES`.
    """
    _check_outside(outside)
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
    beyond = np.zeros(len(sites), dtype=bool)
    if not problems:
        names = [("" if pd.isna(n) else str(n).strip()) for n in sites["name"]]
        geo = geom.to_crs(layers.CRS_GEO)
        lon, lat = geo.x.to_numpy(dtype=float), geo.y.to_numpy(dtype=float)
        found, beyond = _site_problems(
            names, lon, lat, lambda i: f"row {i}", kind="geodataframe", outside=outside
        )
        problems += found
    if problems:
        msg = "candidates GeoDataFrame: " + "; ".join(problems)
        raise InputError(msg)
    out = sites.to_crs(layers.CRS_GEO)
    out = out if "source" in out.columns else out.assign(source="user")
    if outside == "keep":
        out = out.drop(columns="outside_mexico", errors="ignore")
        out.insert(out.columns.get_loc(out.geometry.name), "outside_mexico", beyond)
    return out
