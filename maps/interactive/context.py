"""Data of the browser map's context layers, drawn by ``assets/context.js`` (``sitingContext``).

:func:`context_data` turns a run's context layers (``RunResult.layers``) into one JSON-ready dict
and adds the static context that lets the map read without any tile: the United States,
Guatemala and Belize as grey land with the land border, country and sea labels, the trunk roads
and the main cities. Lines and rings are Encoded Polyline strings (:mod:`.codec`) at
:data:`CONTEXT_PRECISION` decimals (≈ 110 m: these layers are seen at zoom 5-9).

What the page draws from it:

* ``land``: the states, the land under everything (with their short names as labels);
* ``abroad``: the neighbours as grey land, the land border, and labels whose **text keys** the
  page looks up in its text table (``"usa"``, ``"gulf_of_mexico"``...);
* ``roads``: toll and federal highways (plus the main routes of Estado de México and Veracruz,
  whose RNC lines carry no administrative class; see :func:`_trunk_lines`);
* ``cities``: one label per metropolitan area or city, with the zoom it appears at;
* ``municipal``: the municipal polygons once, their values, and one class index array per
  choropleth (labour: population density; security: homicide rate), with palettes and bounds;
* ``crossings`` and ``seaports``: circles whose area grows with trucks and containers.

Numbers are rounded for people (:func:`_rounded`); missing values are ``None`` (JSON ``null``),
never NaN. Strings are data (place names from the bundled files, or a user's layers): the page
shows them with ``textContent`` only.

Polygons are simplified as coverages (``shapely.coverage_simplify``): neighbouring states or
municipalities keep one shared edge, so the simplified map has no slivers between them.

Cache
-----
The static context (the neighbours, the trunk roads, the cities: about 2 s to build, most of it
reading the bundled road file) and the simplified, encoded areas of the states and
municipalities (keyed by a hash of their geometry) are derived once and kept, as compact JSON,
in ``maps/`` under the siting cache folder (``siting.layers.settings.cache_folder``,
``$SITING_CACHE_DIR``): a fresh process reads them in milliseconds. A file is named
``mapcontext_<part>_<key>.json``; the key (:func:`_cache_key`) is a SHA-256 of everything the
result depends on: the part's parameters (tolerances, precision, the constants of the roads,
cities and neighbours), :data:`CONTEXT_CACHE_FORMAT`, the siting version, the versions of
shapely, GEOS, pyproj and PROJ, and the identity (name, size, modification time) of every
bundled data file and of the modules that build the context, so that a change of data, of
parameters or of code never reuses a stale file. The file's first line is a header holding the
format, the key and a SHA-256 of the JSON that follows, checked on every read: a damaged,
truncated or foreign file is rebuilt with one warning. Files are written to a temporary file
beside the target, then renamed (as the routing cache, :mod:`siting.routing.cache`); a cache
folder that cannot be written costs only the cache (one warning, the run goes on from memory).
At most :data:`CONTEXT_CACHE_MAX_FILES` files are kept. Within a process the JSON text stays in
memory: every call parses a fresh copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from siting import layers as siting_layers
from siting.layers import CRS_GEO, CRS_METRIC, settings
from siting.layers._data import data_dir, data_path, package_version
from siting.maps.interactive import codec
from siting.maps.interactive.codec import encode_geometries
from siting.maps.interactive.formatting import json_texts
from siting.maps.style import (
    HOMICIDE_BINS,
    LABOR_CMAP,
    LABOR_DENSITY_BINS,
    NODATA_COLOR,
    SECURITY_CMAP,
    class_colors,
    classify,
)
from siting.routing.cache import CacheDamagedError

__all__ = ["CONTEXT_KEYS", "LAYER_KEYS", "context_cache_folder", "context_data"]

logger = logging.getLogger(__name__)

#: Keys of ``RunResult.layers`` that :func:`context_data` reads (any subset may be present).
LAYER_KEYS = ("states", "municipal_labor", "municipal_security", "crossings", "seaports")
#: Keys of the dict :func:`context_data` returns, in drawing order.
CONTEXT_KEYS = (
    "colors",
    "land",
    "abroad",
    "roads",
    "cities",
    "municipal",
    "crossings",
    "seaports",
)
#: Decimals of the encoded context geometry: 3 ≈ 110 m, under a pixel up to zoom 9.
CONTEXT_PRECISION = 3
#: Coordinate decimals of points (labels, crossings, ports): 4 ≈ 11 m.
POINT_DECIMALS = 4

#: Fill and outline of the states (the land, over the plain sea-coloured background).
LAND_COLOR = "#f7f6f0"
LAND_EDGE_COLOR = "#8c8c8c"
#: Fill of the neighbouring countries: land, but not Mexico.
ABROAD_COLOR = "#e4e2dc"
#: The land border with the United States, Guatemala and Belize.
BORDER_COLOR = "#6e6e6e"
#: Trunk roads: a muted orange that stays under the score colours.
ROAD_COLOR = "#d9a066"
#: Border crossings (purple) and container ports (blue outline): distinct from the score scale.
CROSSING_COLOR = "#54278f"
SEAPORT_COLOR = "#08519c"

#: Coverage simplification tolerance (metres, EPSG:6372) of the states: about 13,700 vertices,
#: the detail of a 500 m Douglas-Peucker simplification, with shared edges kept shared.
STATES_TOLERANCE_M = 1000.0
#: Same for the ~2,470 municipalities, a context layer seen at zoom 5-9: about 94,000 vertices,
#: ~310 KB encoded. At 2,000 m, 14 small municipalities (2-11 km², Oaxaca, Puebla) would keep
#: less than half of their area; at 1,000 m each keeps more than half, all but 9 over 80 %.
MUNICIPAL_TOLERANCE_M = 1000.0
#: Tolerance (m) of the inscribed circle that places a state's label.
LABEL_TOLERANCE_M = 1000.0
#: Douglas-Peucker tolerance (m) of the neighbours' polygons and of the land border line.
ABROAD_TOLERANCE_M = 1000.0
BORDER_TOLERANCE_M = 500.0
#: Natural Earth's 1:110m neighbours and INEGI's outline disagree by up to 8.4 km along the
#: border (see :mod:`siting.layers.boundaries`). Gaps narrower than twice this (metres) between
#: them are closed (a morphological closing), and only within :data:`NEIGHBOUR_FILL_M` of a
#: neighbour: the grey land then meets Mexico's land at INEGI's border line.
BORDER_GAP_M = 6000.0
NEIGHBOUR_FILL_M = 10_000.0
#: Neighbour pieces smaller than this (km²) after closing are dropped (slivers along the coast).
MIN_ABROAD_KM2 = 50.0
#: Lon/lat box of the neighbours drawn (drops Alaska, Hawaii, the US east coast).
ABROAD_BOX = (-125.0, 8.0, -80.0, 40.0)

#: RNC ``road_class`` values drawn as trunk roads: toll motorways and free federal highways.
TRUNK_CLASSES = ("toll", "federal")
#: RNC lines of Estado de México and Veracruz have no administrative class (``"unknown"``). One
#: is drawn if its route name is also the name of a toll or federal line elsewhere (México -
#: Querétaro), or if its named route is at least this long (km) in the unknown class: the
#: federal highways of Veracruz (Poza Rica - Veracruz, La Tinaja - Cosoleacaque) are named
#: only there, and named routes of 100 km and more are highways, not local roads.
UNKNOWN_ROUTE_KM = 100.0
#: Douglas-Peucker tolerance (m) of the trunk roads, after they are chained into long lines.
ROAD_TOLERANCE_M = 400.0

#: Number of city labels: the largest locality of each metropolitan area (or of each city
#: outside one), by Censo 2020 population.
CITY_COUNT = 80
#: (minimum population, zoom): a city label appears from the zoom of the first row it reaches.
CITY_MINZOOM: tuple[tuple[int, int], ...] = ((1_000_000, 5), (500_000, 6), (250_000, 7), (0, 8))
#: (minimum area in km², zoom): a state label appears from the zoom of the first row its state
#: reaches; the small central states (Ciudad de México, Tlaxcala, Morelos) would pile up at 5.
STATE_MINZOOM: tuple[tuple[float, int], ...] = ((25_000.0, 5), (5_000.0, 6), (0.0, 7))

#: Labels of the neighbours and seas: (text key, kind, lat, lon, minzoom, angle in degrees
#: clockwise). The page looks the text up in its text table by key.
SEA_LABELS: tuple[tuple[str, str, float, float, int, float], ...] = (
    ("usa", "country", 33.4, -101.0, 5, 0.0),
    ("guatemala", "country", 15.6, -90.35, 5, 0.0),
    ("belize", "country", 17.15, -88.75, 7, 0.0),
    ("gulf_of_mexico", "sea", 24.3, -91.5, 5, 0.0),
    ("pacific_ocean", "sea", 16.5, -106.5, 5, 0.0),
    ("caribbean", "sea", 18.3, -85.6, 5, 0.0),
    ("gulf_of_california", "sea", 27.4, -111.4, 6, 56.0),
)

#: Radius (px) range of the crossing circles; area ∝ trucks.
CROSSING_RADIUS = (3.0, 22.0)
#: Radius (px) range of the container-port circles; area ∝ containers (TEU per year).
SEAPORT_RADIUS = (4.0, 14.0)

#: Value columns of the municipalities passed to the page (those present in the layers).
MUNICIPAL_COLUMNS = (
    "population",
    "density_km2",
    "homicide_rate",
    "homicide_rate_state",
    "cargo_theft_rate",
    "advisory_level",
    "advisory_label",
)

#: Bumped when the layout of the map-context cache files changes (part of every key).
CONTEXT_CACHE_FORMAT = 1
#: Sub-folder of the siting cache folder that holds the map-context cache files.
CONTEXT_CACHE_SUBFOLDER = "maps"
#: Most map-context cache files kept in the folder: writing one removes the oldest beyond.
CONTEXT_CACHE_MAX_FILES = 16


# --- small helpers --------------------------------------------------------------------------------


def _rounded(values: Any) -> list[float | None]:
    """Return numbers rounded as people read them (the page's ~3 significant digits); NaN: None.

    At least 100: whole; 10 to 100: one decimal; below 10: two decimals (as
    the page's ``formatNumber`` shows them, ``assets/app.js``).

    Examples
    --------
    >>> _rounded([12345.67, 12.345, 0.4567, float("nan"), None])
    [12346.0, 12.3, 0.46, None, None]
    """
    arr = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    a = np.abs(arr)
    out = np.where(a >= 100, np.round(arr), np.where(a >= 10, np.round(arr, 1), np.round(arr, 2)))
    return [None if not math.isfinite(v) else float(v) for v in out.tolist()]


def _whole(values: Any) -> list[int | None]:
    """Return whole numbers, None where missing.

    Examples
    --------
    >>> _whole([3.0, float("nan"), "7"])
    [3, None, 7]
    """
    arr = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    return [None if not math.isfinite(v) else round(v) for v in arr.tolist()]


def _area_radius(values: Any, limits: tuple[float, float]) -> list[float]:
    """Return radii (px) between ``limits`` whose circle areas are proportional to ``values``.

    The largest value gets the largest radius; missing values, and every value when none is
    positive, get the smallest.

    Examples
    --------
    >>> _area_radius([100.0, 25.0, float("nan"), 0.0], (4.0, 14.0))
    [14.0, 9.0, 4.0, 4.0]
    """
    arr = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    lo, hi = limits
    finite = arr[np.isfinite(arr)]
    top = float(finite.max()) if len(finite) else 0.0
    if not top > 0:
        return [lo] * len(arr)
    share = np.sqrt(np.clip(np.nan_to_num(arr, nan=0.0), 0.0, None) / top)
    return np.round(lo + (hi - lo) * share, 1).tolist()


def _points(geom: gpd.GeoSeries) -> tuple[list[float | None], list[float | None]]:
    """Return the latitudes and longitudes of points (any CRS), None where missing."""
    geo = geom.to_crs(CRS_GEO) if geom.crs is not None else geom
    ok = ~(geo.isna() | geo.is_empty).to_numpy()
    x = np.full(len(geo), np.nan)
    y = np.full(len(geo), np.nan)
    x[ok] = shapely.get_x(geo.to_numpy()[ok])
    y[ok] = shapely.get_y(geo.to_numpy()[ok])
    lat = [None if not math.isfinite(v) else round(v, POINT_DECIMALS) for v in y.tolist()]
    lon = [None if not math.isfinite(v) else round(v, POINT_DECIMALS) for v in x.tolist()]
    return lat, lon


def _column(gdf: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` of ``gdf``, or all missing if it has none."""
    if name in gdf.columns:
        return gdf[name]
    return pd.Series([None] * len(gdf), index=gdf.index, dtype=object)


# --- the on-disk cache ----------------------------------------------------------------------------

#: Name prefix of the cache files and kind of their temporary files (``.mapcontext_<pid>_….tmp``).
_CACHE_KIND = "mapcontext"
#: Most JSON texts kept in memory (the static context, and areas of a few distinct layers).
_MEMORY_ENTRIES = 16
#: Cache key -> JSON text of the result (parsed afresh by every call).
_TEXTS: dict[str, str] = {}
#: Cache folders that could not be written in this process (warned once, then not tried again).
_UNWRITABLE: set[str] = set()


def context_cache_folder() -> Path:
    """Return the folder of the map-context cache: ``maps/`` under the siting cache folder.

    The siting cache folder is ``siting.layers.settings.cache_folder`` (``$SITING_CACHE_DIR``,
    default ``~/.cache/siting``). The folder is created when a file is first written.

    Examples
    --------
    >>> context_cache_folder().name
    'maps'
    """
    return settings.cache_path(CONTEXT_CACHE_SUBFOLDER, create=False)


def _file_identities(
    folder: Path, suffixes: tuple[str, ...] = (), names: Sequence[str] | None = None
) -> list[tuple[str, int, int]]:
    """Return ``(name relative to folder, size, mtime in ns)`` of the files below ``folder``.

    Recursively, sorted; only names ending with one of ``suffixes`` if given, only the files
    ``names`` (of ``folder`` itself) if given. Files that cannot be read are left out.
    """
    found: list[tuple[str, int, int]] = []
    stack = [(str(folder), "")]
    while stack:
        path, prefix = stack.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if names is None and entry.name != "__pycache__":
                        stack.append((entry.path, f"{prefix}{entry.name}/"))
                    continue
                if (names is None or entry.name in names) and entry.name.endswith(suffixes or ""):
                    stat = entry.stat()
                    found.append((prefix + entry.name, stat.st_size, stat.st_mtime_ns))
            except OSError:
                continue
    return sorted(found)


@cache
def _versions() -> dict[str, str]:
    """Versions of siting and of the libraries whose results the cache holds (once a process)."""
    return {
        "siting": package_version(),
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "pyproj": pyproj.__version__,
        "proj": pyproj.proj_version_str,
    }


def _source_identity() -> dict[str, list[tuple[str, int, int]]]:
    """Identity (name, size, mtime) of the bundled data files and of the code that reads them.

    The code: this module, the codec and the ``siting.layers`` modules (which read the bundled
    files). Statting them costs about a millisecond; hashing their content would cost 15 ms.
    """
    here = Path(__file__).parent
    return {
        "data": _file_identities(data_dir()),
        "layers": _file_identities(Path(siting_layers.__file__).parent, (".py",)),
        "maps": _file_identities(here, names=(Path(__file__).name, Path(codec.__file__).name)),
    }


def _cache_key(part: str, params: Mapping[str, Any]) -> str:
    """Return the cache key of ``part`` built with ``params``: 24 hex digits of a SHA-256.

    Mixed in: :data:`CONTEXT_CACHE_FORMAT`, the versions of siting, shapely, GEOS, pyproj and
    PROJ, and :func:`_source_identity`.

    Examples
    --------
    >>> _cache_key("roads", {"tolerance": 400.0}) == _cache_key("roads", {"tolerance": 400.0})
    True
    >>> _cache_key("roads", {"tolerance": 400.0}) == _cache_key("roads", {"tolerance": 500.0})
    False
    """
    text = json.dumps(
        {
            "part": part,
            "params": params,
            "format": CONTEXT_CACHE_FORMAT,
            "versions": _versions(),
            "sources": _source_identity(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _cache_file(part: str, key: str) -> Path:
    """Return the path of the cache file of ``part`` with ``key``."""
    return context_cache_folder() / f"{_CACHE_KIND}_{part}_{key}.json"


def _read_cache(path: Path, key: str) -> tuple[str, Any] | None:
    """Return the JSON text of a cache file and its parsed value, None if there is no file.

    Raises
    ------
    siting.routing.cache.CacheDamagedError
        If the file is not a complete cache file of this format and key: no header line, an
        unreadable header, another :data:`CONTEXT_CACHE_FORMAT` or key, JSON that does not match
        its SHA-256 (truncated, damaged), JSON that does not parse; or it cannot be read.
    """
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise CacheDamagedError(settings.os_error_reason(exc)) from exc
    head, newline, body = raw.partition(b"\n")
    if not newline:
        what = "an empty file" if not raw else "no header line"
        msg = f"{what}, expected a siting map-context cache file"
        raise CacheDamagedError(msg)
    try:
        header = json.loads(head)
    except ValueError:
        header = None
    if not isinstance(header, dict):
        msg = "its first line is not a siting map-context cache header"
        raise CacheDamagedError(msg)
    if header.get("format") != CONTEXT_CACHE_FORMAT:
        msg = f"cache format {header.get('format')!r}, expected {CONTEXT_CACHE_FORMAT}"
        raise CacheDamagedError(msg)
    if header.get("key") != key:
        msg = f"it holds the data of key {header.get('key')!r}, expected {key!r}"
        raise CacheDamagedError(msg)
    if header.get("sha256") != hashlib.sha256(body).hexdigest():
        msg = "the data do not match their SHA-256 checksum"
        raise CacheDamagedError(msg)
    try:
        text = body.decode("utf-8")
        return text, json.loads(text)
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        msg = f"its data are not JSON ({type(exc).__name__})"
        raise CacheDamagedError(msg) from exc


def _write_cache(path: Path, key: str, text: str) -> None:
    """Write ``text`` with its header to ``path``: to a temporary file beside it, then renamed.

    Raises
    ------
    OSError
        If the file cannot be written (read-only or missing folder, a file in the folder's
        place, disk full); the temporary file is removed.
    """
    body = text.encode("utf-8")
    header = {
        "format": CONTEXT_CACHE_FORMAT,
        "key": key,
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    line = json.dumps(header, sort_keys=True).encode() + b"\n"
    settings.write_atomic(path, _CACHE_KIND, lambda f: f.write(line + body))


def _try_write_cache(path: Path, key: str, text: str) -> bool:
    """:func:`_write_cache`, or one warning per folder and process if it cannot be written."""
    written = settings.try_cache_write(
        path, lambda: _write_cache(path, key, text), "map context cache", _UNWRITABLE
    )
    if written:
        _prune(path)
    return written


def _prune(kept: Path) -> None:
    """Remove the least recently used cache files beyond :data:`CONTEXT_CACHE_MAX_FILES`.

    Never ``kept`` (the file just written); a file read is touched (:func:`_cached`).
    """
    prefix = f"{_CACHE_KIND}_"
    for old in settings.prune_cache_files(kept, prefix, ".json", CONTEXT_CACHE_MAX_FILES):
        logger.info("removed old map context cache file %r", old)


def _cached(part: str, params: Mapping[str, Any], build: Callable[[], Any]) -> Any:
    """Return a fresh copy of ``build()``'s JSON value: from memory, the disk cache, or built.

    ``build`` must return a value made of dicts, lists, str, int, float, bool and None; what is
    returned went through JSON (tuples are lists), whether built or read.
    """
    key = _cache_key(part, params)
    text = _TEXTS.get(key)
    if text is not None:
        return json.loads(text)
    t0 = time.perf_counter()
    path = _cache_file(part, key)
    settings.remove_stale_temp_files(path.parent, _CACHE_KIND)
    try:
        found = _read_cache(path, key)
    except CacheDamagedError as exc:
        logger.warning(
            "map context cache %r is damaged or unreadable (%s); rebuilding it", str(path), exc
        )
        found = None
    if found is not None:
        text, value = found
        with contextlib.suppress(OSError):  # used: the last file :func:`_prune` removes
            os.utime(path)
        logger.debug("map context %r from %r in %.3f s", part, str(path), time.perf_counter() - t0)
    else:
        text = json.dumps(build(), ensure_ascii=False, separators=(",", ":"))
        value = json.loads(text)
        if _try_write_cache(path, key, text):
            logger.debug(
                "built map context %r in %.2f s, cached to %r",
                part,
                time.perf_counter() - t0,
                str(path),
            )
    while len(_TEXTS) >= _MEMORY_ENTRIES:
        _TEXTS.pop(next(iter(_TEXTS)))
    _TEXTS[key] = text
    return value


# --- area geometry, cached by content -------------------------------------------------------------


@dataclass(frozen=True)
class _Geoms:
    """Geometries in EPSG:4326 keyed by their content: equal geometries share a cache entry."""

    digest: str
    geoms: np.ndarray = field(compare=False, hash=False, repr=False)

    @classmethod
    def of(cls, geom: gpd.GeoSeries) -> _Geoms:
        geo = geom.to_crs(CRS_GEO) if geom.crs is not None and geom.crs != CRS_GEO else geom
        arr = geo.to_numpy()
        wkb = shapely.to_wkb(arr)
        # the size of each WKB (-1: missing), then their bytes: one reading only
        sizes = np.fromiter((-1 if w is None else len(w) for w in wkb), np.int64, len(wkb))
        digest = hashlib.sha256(sizes.tobytes())
        digest.update(b"".join(w for w in wkb if w is not None))
        return cls(digest.hexdigest()[:32], arr)


def cached_json(
    part: str,
    params: Mapping[str, Any],
    build: Callable[[], Any],
    code: Sequence[str | os.PathLike[str]] = (),
) -> Any:
    """Return ``build()``'s JSON value through the map's cache (memory, then disk).

    For other derived, static parts of the page (the routes and commute areas of
    :func:`siting.maps.interactive.page.why_data`). ``params`` must name every input of
    ``build``; ``code`` lists the source files that compute it, whose identity (size and
    modification time) joins the key, as the bundled data's and this module's always do.
    """
    files = sorted({str(Path(f)) for f in code})
    identity = []
    for name in files:
        with contextlib.suppress(OSError):
            st = os.stat(name)
            identity.append((Path(name).name, st.st_size, st.st_mtime_ns))
    return _cached(part, {**params, "code": identity}, build)


def _to_metric(geoms: np.ndarray) -> np.ndarray:
    return gpd.GeoSeries(geoms, crs=CRS_GEO).to_crs(CRS_METRIC).to_numpy()


def _to_geo(geoms: np.ndarray) -> np.ndarray:
    return gpd.GeoSeries(geoms, crs=CRS_METRIC).to_crs(CRS_GEO).to_numpy()


def _simplify_coverage(metric: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify polygons as a coverage where they are one, else one by one (Douglas-Peucker).

    Missing and empty geometries stay as they are (they encode as ``[]``).
    """
    out = metric.copy()
    ok = ~(shapely.is_missing(metric) | shapely.is_empty(metric))
    areal = [int(shapely.GeometryType.POLYGON), int(shapely.GeometryType.MULTIPOLYGON)]
    polygonal = ok & np.isin(shapely.get_type_id(metric), areal)
    parts = metric[polygonal]
    if len(parts) and shapely.coverage_is_valid(parts):
        out[polygonal] = shapely.coverage_simplify(parts, tolerance)
    else:  # overlapping or gapped input: no shared edges to keep
        out[polygonal] = shapely.simplify(parts, tolerance, preserve_topology=True)
    out[ok & ~polygonal] = shapely.simplify(metric[ok & ~polygonal], tolerance)
    return out


def _encoded_areas(key: _Geoms, tolerance: float, precision: int) -> list[list]:
    """Encode the polygons of ``key``, coverage-simplified by ``tolerance`` metres (cached)."""

    def build() -> list[list]:
        simple = _simplify_coverage(_to_metric(key.geoms), tolerance)
        return encode_geometries(_to_geo(simple), precision)

    params = {"geometry": key.digest, "tolerance": float(tolerance), "precision": int(precision)}
    return _cached("areas", params, build)


def _label_points(key: _Geoms) -> list[list]:
    """Return the label latitudes, longitudes and areas (km²) of ``key``'s areas (cached)."""
    params = {
        "geometry": key.digest,
        "tolerance": LABEL_TOLERANCE_M,
        "decimals": POINT_DECIMALS,
    }
    return _cached("labels", params, lambda: list(_build_label_points(key)))


def _build_label_points(
    key: _Geoms,
) -> tuple[list[float | None], list[float | None], list[float]]:
    """Return a label position inside each area (its largest part's inscribed centre), km²."""
    metric = _to_metric(key.geoms)
    centres = np.full(len(metric), None, dtype=object)
    ok = ~(shapely.is_missing(metric) | shapely.is_empty(metric))
    if ok.any():
        parts, owner = shapely.get_parts(metric[ok], return_index=True)
        area = shapely.area(parts)
        order = np.lexsort((-area, owner))  # by owner, largest part first
        first = order[np.unique(owner[order], return_index=True)[1]]
        circle = shapely.maximum_inscribed_circle(parts[first], tolerance=LABEL_TOLERANCE_M)
        centres[np.flatnonzero(ok)] = shapely.get_point(circle, 0)
    geo = gpd.GeoSeries(centres, crs=CRS_METRIC).to_crs(CRS_GEO)
    lat, lon = _points(geo)
    return lat, lon, np.nan_to_num(shapely.area(metric) / 1e6).tolist()


# --- static context: abroad, roads, cities -------------------------------------------------------


def _static() -> dict[str, Any]:
    """Return the static context: ``abroad``, ``roads``, ``cities`` (cached on disk, fresh)."""
    return _cached(
        "static",
        _static_params(),
        lambda: {"abroad": _abroad(), "roads": _roads(), "cities": _cities()},
    )


def _static_params() -> dict[str, Any]:
    """Return the parameters of the static context (part of its cache key)."""
    return {
        "precision": CONTEXT_PRECISION,
        "point_decimals": POINT_DECIMALS,
        "abroad": {
            "file": siting_layers.boundaries.NEIGHBOURS_FILE,
            "countries": sorted(siting_layers.boundaries.NEIGHBOURS),
            "tolerance_m": ABROAD_TOLERANCE_M,
            "border_tolerance_m": BORDER_TOLERANCE_M,
            "gap_m": BORDER_GAP_M,
            "fill_m": NEIGHBOUR_FILL_M,
            "min_km2": MIN_ABROAD_KM2,
            "box": ABROAD_BOX,
            "labels": SEA_LABELS,
        },
        "roads": {
            "classes": TRUNK_CLASSES,
            "unknown_route_km": UNKNOWN_ROUTE_KM,
            "tolerance_m": ROAD_TOLERANCE_M,
        },
        "cities": {"count": CITY_COUNT, "minzoom": CITY_MINZOOM},
    }


def _abroad() -> dict[str, Any]:
    """Return the neighbours as land, the land border and the country and sea labels."""
    path = data_path(siting_layers.boundaries.NEIGHBOURS_FILE)
    countries = gpd.read_file(path)
    countries = countries[countries["iso_a3"].isin(list(siting_layers.boundaries.NEIGHBOURS))]
    clipped = countries.geometry.clip_by_rect(*ABROAD_BOX).set_crs(CRS_GEO, allow_override=True)
    neighbours = shapely.union_all(clipped.to_crs(CRS_METRIC).to_numpy())
    mexico = siting_layers.boundaries.mexico(CRS_METRIC)
    closed = shapely.buffer(
        shapely.buffer(shapely.union(neighbours, mexico), BORDER_GAP_M), -BORDER_GAP_M
    )
    fill = shapely.intersection(
        shapely.difference(closed, mexico), shapely.buffer(neighbours, NEIGHBOUR_FILL_M)
    )
    land = shapely.get_parts(shapely.union(fill, shapely.difference(neighbours, mexico)))
    land = land[shapely.area(land) >= MIN_ABROAD_KM2 * 1e6]
    abroad = shapely.multipolygons(land)
    border = shapely.line_merge(
        shapely.intersection(shapely.boundary(mexico), shapely.buffer(abroad, 50.0))
    )
    simple = _to_geo(
        np.array(
            [
                shapely.simplify(abroad, ABROAD_TOLERANCE_M),
                shapely.simplify(border, BORDER_TOLERANCE_M),
            ]
        )
    )
    shapes, lines = encode_geometries(simple, CONTEXT_PRECISION)
    keys, kinds, lat, lon, minzoom, angle = zip(*SEA_LABELS, strict=True)
    return {
        "precision": CONTEXT_PRECISION,
        "shapes": shapes,
        "border": lines,
        "labels": {
            "key": list(keys),
            "kind": list(kinds),
            "lat": list(lat),
            "lon": list(lon),
            "minzoom": list(minzoom),
            "angle": list(angle),
        },
    }


def _trunk_lines() -> gpd.GeoDataFrame:
    """Return the bundled RNC lines drawn as trunk roads (see :data:`UNKNOWN_ROUTE_KM`)."""
    rnc = siting_layers.roads.national_lines()
    trunk = rnc["road_class"].isin(TRUNK_CLASSES)
    unknown = rnc["road_class"].eq("unknown")
    named = set(rnc.loc[trunk, "name"].dropna())
    km = rnc.loc[unknown].groupby("name")["len_km"].sum()
    named |= set(km.index[km >= UNKNOWN_ROUTE_KM])
    return rnc[trunk | (unknown & rnc["name"].isin(named))]


def _chain(lines: np.ndarray) -> list[np.ndarray]:
    """Join lines that share end points into long paths (fewer strings, fewer absolute starts).

    A walk starts at a dead end or junction of odd degree when there is one, and at each node
    goes on along the unused line that turns least. Returns coordinate arrays; every input line
    is in exactly one path.
    """
    coords, which = shapely.get_coordinates(lines, return_index=True)
    counts = np.bincount(which, minlength=len(lines))
    last = np.cumsum(counts) - 1
    first = last - counts + 1
    ends = np.concatenate([coords[first], coords[last]])
    _, node = np.unique(np.round(ends), axis=0, return_inverse=True)
    node = node.ravel()
    n = len(lines)
    start_node, end_node = node[:n].tolist(), node[n:].tolist()
    adjacent: dict[int, list[int]] = {}
    for e in range(n):
        adjacent.setdefault(start_node[e], []).append(e)
        adjacent.setdefault(end_node[e], []).append(e)
    # unit headings leaving each end of each line
    step_out = coords[np.minimum(first + 1, last)] - coords[first]
    step_in = coords[np.maximum(last - 1, first)] - coords[last]
    heading = np.stack([step_out, step_in])
    heading /= np.maximum(np.hypot(heading[..., 0], heading[..., 1]), 1e-9)[..., None]
    used = np.zeros(n, dtype=bool)
    paths = []
    order = sorted(adjacent, key=lambda k: (len(adjacent[k]) % 2 == 0, k))
    for start in order:
        while True:
            free = [e for e in adjacent[start] if not used[e]]
            if not free:
                break
            edge: int | None = free[0]
            at = start
            pieces = []
            while edge is not None:
                used[edge] = True
                forward = start_node[edge] == at
                seg = coords[first[edge] : last[edge] + 1]
                if not forward:
                    seg = seg[::-1]
                pieces.append(seg if not pieces else seg[1:])
                at = end_node[edge] if forward else start_node[edge]
                arriving = -heading[1 if forward else 0, edge]
                best, best_dot = None, -2.0
                for other in adjacent[at]:
                    if used[other]:
                        continue
                    leaving = heading[0 if start_node[other] == at else 1, other]
                    dot = float(arriving @ leaving)
                    if dot > best_dot:
                        best, best_dot = other, dot
                edge = best
            paths.append(np.concatenate(pieces))
    return paths


def _roads() -> dict[str, Any]:
    """Return the trunk roads, chained, simplified and encoded."""
    lines = _trunk_lines().geometry.to_crs(CRS_METRIC).to_numpy()
    merged = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(lines)))
    paths = _chain(merged)
    chained = shapely.linestrings(
        np.concatenate(paths), indices=np.repeat(np.arange(len(paths)), [len(p) for p in paths])
    )
    simple = shapely.simplify(chained, ROAD_TOLERANCE_M, preserve_topology=False)
    encoded = encode_geometries(_to_geo(simple), CONTEXT_PRECISION)
    return {"precision": CONTEXT_PRECISION, "lines": [s for line in encoded for s in line]}


def _fold(text: str) -> str:
    """Lower case without accents.

    Examples
    --------
    >>> _fold("Querétaro Ñ")
    'queretaro n'
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_WORD = re.compile(r"[^\W\d_]+")


def _city_name(name: str, municipality: str | None, accents: Mapping[str, str]) -> str:
    """Return a locality's label: its municipality's name if the locality is named after it.

    The census locality names have lost their accents ("Leon de los Aldama", "alvaro Obregon").
    If the locality's name contains its municipality's name (accents ignored) and does not start
    with "Ciudad" ("Ciudad Victoria" is the city's name; its municipality is "Victoria"), the
    municipality's name is the label ("León", "Puebla" for "Heroica Puebla de Zaragoza").
    Otherwise the words get their accents back from ``accents`` (unaccented word -> the only
    accented spelling in the municipal, state and metro names).

    Examples
    --------
    >>> _city_name("Santiago de Queretaro", "Querétaro", {})
    'Querétaro'
    >>> _city_name("Ciudad Victoria", "Victoria", {})
    'Ciudad Victoria'
    >>> _city_name("Ciudad Lopez Mateos", "Atizapán de Zaragoza", {"lopez": "López"})
    'Ciudad López Mateos'
    """
    words = _fold(name).replace("-", " ").split()
    if municipality and words[:1] != ["ciudad"]:
        target = _fold(municipality).replace("-", " ").split()
        for i in range(len(words) - len(target) + 1):
            if words[i : i + len(target)] == target:
                return municipality
    return _WORD.sub(lambda m: accents.get(_fold(m[0]), m[0]), name)


def _accents(names: Sequence[str]) -> dict[str, str]:
    """Unaccented lower-case word -> its accented spelling, for words spelled one way only."""
    spellings: dict[str, set[str]] = {}
    for name in names:
        for word in _WORD.findall(name):
            if _fold(word) != word.lower():  # has an accent or ñ
                spellings.setdefault(_fold(word), set()).add(word)
    return {k: next(iter(v)) for k, v in spellings.items() if len(v) == 1}


def _cities() -> dict[str, Any]:
    """Return the city labels: largest locality per metro area (or city), biggest first."""
    loc = siting_layers.labor.localities()
    mun = siting_layers.labor.municipal_population()
    # Mexico City's localities are its 16 boroughs: one city at their population-weighted centre
    capital = loc["CVEGEO"].str[:2].eq("09").to_numpy()
    if capital.any():
        xy = loc.geometry[capital].get_coordinates()
        people = loc.loc[capital, "population"].to_numpy(dtype=float)
        row = gpd.GeoDataFrame(
            {
                "CVEGEO": [loc.loc[capital, "CVEGEO"].iloc[0]],
                "name": [mun.loc[mun["CVE_ENT"].eq("09"), "state"].iloc[0]],
                "population": [int(people.sum())],
                "kind": ["locality"],
            },
            geometry=gpd.points_from_xy(
                [np.average(xy["x"], weights=people)], [np.average(xy["y"], weights=people)]
            ),
            crs=loc.crs,
        )
        loc = pd.concat([loc[~capital], row], ignore_index=True)
    by_code = mun.set_index("CVEGEO")
    metro = loc["CVEGEO"].map(by_code["metro_zone"]).fillna("")
    group = metro.where(metro != "", "locality " + loc.index.astype(str))
    top = (
        loc.assign(_group=group)
        .sort_values(["population", "name"], ascending=[False, True], kind="stable")
        .drop_duplicates("_group")
        .head(CITY_COUNT)
    )
    accents = _accents([*mun["municipality"], *mun["state"], *mun["metro_zone"]])
    names = [
        _city_name(name, by_code["municipality"].get(code), accents)
        for name, code in zip(top["name"], top["CVEGEO"], strict=True)
    ]
    lat, lon = _points(top.geometry)
    population = top["population"].astype(int).tolist()
    return {
        "name": names,
        "lat": lat,
        "lon": lon,
        "population": population,
        "minzoom": [next(z for lo, z in CITY_MINZOOM if p >= lo) for p in population],
    }


# --- the run's layers -----------------------------------------------------------------------------


def _land(states: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the states as land, with a label (short name) inside each."""
    key = _Geoms.of(states.geometry)
    names = _column(states, "state_short") if "state_short" in states else _column(states, "state")
    lat, lon, area = _label_points(key)
    return {
        "precision": CONTEXT_PRECISION,
        "shapes": _encoded_areas(key, STATES_TOLERANCE_M, CONTEXT_PRECISION),
        "name": json_texts(names),
        "lat": lat,
        "lon": lon,
        "minzoom": [next(z for lo, z in STATE_MINZOOM if a >= lo) for a in area],
    }


def _aligned(base: gpd.GeoDataFrame, other: gpd.GeoDataFrame, name: str) -> pd.DataFrame:
    """Rows of ``other`` in the order of ``base``'s rows: by ``CVEGEO`` when both have it."""
    table = pd.DataFrame(other.drop(columns=other.geometry.name))
    if other is base:
        return table.reset_index(drop=True)
    if "CVEGEO" in base.columns and "CVEGEO" in other.columns:
        table = table.drop_duplicates("CVEGEO").set_index("CVEGEO", drop=False)
        return table.reindex(base["CVEGEO"].to_numpy()).reset_index(drop=True)
    if len(other) != len(base):
        msg = (
            f"layer {name!r} has {len(other)} municipalities and no CVEGEO column to match "
            f"them with the other municipal layer's {len(base)}; give both a CVEGEO column"
        )
        raise ValueError(msg)
    return table.reset_index(drop=True)


def _choropleth(
    layer_id: str, column: str, values: pd.Series, bins: Sequence[float], cmap: str
) -> dict[str, Any]:
    classes = classify(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float), bins)
    return {
        "id": layer_id,
        "key": f"layer_{layer_id}",
        "legend": f"legend_{layer_id}",
        "column": column,
        "bins": [float(b) for b in bins],
        "colors": class_colors(cmap, len(bins)),
        "nodata": NODATA_COLOR,
        "classes": [int(k) for k in classes],
    }


def _municipal(labor: gpd.GeoDataFrame | None, security: gpd.GeoDataFrame | None) -> dict:
    """Return the municipal polygons once, their values and each choropleth's classes."""
    present = {k: v for k, v in (("labor", labor), ("security", security)) if v is not None}
    base = next(iter(present.values()))
    # every table in the order of the base layer's rows (the polygons drawn)
    tables = {k: _aligned(base, v, f"municipal_{k}") for k, v in present.items()}
    first = next(iter(tables.values()))
    shapes = _encoded_areas(_Geoms.of(base.geometry), MUNICIPAL_TOLERANCE_M, CONTEXT_PRECISION)
    out: dict[str, Any] = {
        "precision": CONTEXT_PRECISION,
        "shapes": shapes,
        "municipality": json_texts(_column(first, "municipality")),
        "state": json_texts(_column(first, "state")),
    }
    for col in MUNICIPAL_COLUMNS:
        source = next((t[col] for t in tables.values() if col in t.columns), None)
        if source is None:
            continue
        if col == "advisory_label":
            out[col] = json_texts(source)
        elif col in ("population", "advisory_level"):
            out[col] = _whole(source)
        else:
            out[col] = _rounded(source)
    styles = {
        "labor": ("density_km2", LABOR_DENSITY_BINS, LABOR_CMAP),
        "security": ("homicide_rate", HOMICIDE_BINS, SECURITY_CMAP),
    }
    out["layers"] = [
        _choropleth(k, styles[k][0], tables[k][styles[k][0]], styles[k][1], styles[k][2])
        for k in tables
    ]
    return out


def _crossings(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the border crossings, busiest first (the smaller circles are drawn on top)."""
    trucks = pd.to_numeric(_column(gdf, "trucks"), errors="coerce")
    rows = gdf.assign(_t=trucks.to_numpy()).sort_values("_t", ascending=False, kind="stable")
    lat, lon = _points(rows.geometry)
    return {
        "name": json_texts(_column(rows, "port_name")),
        "twin": json_texts(_column(rows, "mx_twin_city")),
        "lat": lat,
        "lon": lon,
        "trucks": _whole(rows["_t"]),
        "radius": _area_radius(rows["_t"], CROSSING_RADIUS),
    }


def _seaports(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the container ports, busiest first."""
    teu = pd.to_numeric(_column(gdf, "teu_per_year"), errors="coerce")
    rows = gdf.assign(_t=teu.to_numpy()).sort_values("_t", ascending=False, kind="stable")
    lat, lon = _points(rows.geometry)
    return {
        "name": json_texts(_column(rows, "name")),
        "unlocode": json_texts(_column(rows, "unlocode")),
        "state": json_texts(_column(rows, "state")),
        "coast": json_texts(_column(rows, "coast")),
        "lat": lat,
        "lon": lon,
        "teu_per_year": _whole(rows["_t"]),
        "teu_jan_apr_2024": _whole(_column(rows, "teu_jan_apr_2024")),
        "radius": _area_radius(rows["_t"], SEAPORT_RADIUS),
    }


def _check_layers(layers: Mapping[str, Any]) -> None:
    """Raise one error listing every layer that is not a GeoDataFrame or lacks a column."""
    required = {
        "states": [],
        "municipal_labor": ["density_km2"],
        "municipal_security": ["homicide_rate"],
        "crossings": ["trucks"],
        "seaports": [],
    }
    problems = []
    for key in LAYER_KEYS:
        gdf = layers.get(key)
        if gdf is None:
            continue
        if not isinstance(gdf, gpd.GeoDataFrame):
            problems.append(f"{key!r} is a {type(gdf).__name__}, not a GeoDataFrame")
            continue
        missing = [c for c in required[key] if c not in gdf.columns]
        if missing:
            problems.append(f"{key!r} lacks the columns {missing}")
        if len(gdf) and gdf.crs is None:
            problems.append(f"{key!r} has no CRS (set one, e.g. gdf.set_crs('EPSG:4326'))")
    if problems:
        msg = "context layers cannot be drawn: " + "; ".join(problems)
        raise ValueError(msg)


def context_data(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, Any]:
    """Return the data of the browser map's context layers, ready for JSON.

    Parameters
    ----------
    layers
        A run's context layers (``RunResult.layers``): any of :data:`LAYER_KEYS`; other keys
        are ignored. Missing layers give ``None`` entries, which the page skips.

    Returns
    -------
    dict
        Keys :data:`CONTEXT_KEYS`:

        ``colors``
            dict of str: ``land``, ``land_edge``, ``abroad``, ``border``, ``road``,
            ``crossing``, ``seaport``, ``nodata``.
        ``land``
            ``None`` without ``"states"``, else ``precision`` (int), ``shapes`` (one list of
            encoded polygons per state), ``name`` (short state names), ``lat``, ``lon`` (label
            positions), ``minzoom`` (zoom each label shows from, by the state's area).
        ``abroad``
            ``precision``, ``shapes`` (encoded polygons of the neighbours' land), ``border``
            (encoded lines), ``labels``: ``key`` (text keys), ``kind`` (``"country"`` or
            ``"sea"``), ``lat``, ``lon``, ``minzoom``, ``angle`` (degrees clockwise).
        ``roads``
            ``precision``, ``lines`` (encoded lines).
        ``cities``
            ``name``, ``lat``, ``lon``, ``population`` (int), ``minzoom`` (int), biggest first.
        ``municipal``
            ``None`` without either municipal layer, else ``precision``, ``shapes`` (one list of
            encoded polygons per municipality), ``municipality``, ``state``, the value columns
            of :data:`MUNICIPAL_COLUMNS` that the layers have, and ``layers``: one dict per
            choropleth (``id`` ``"labor"`` or ``"security"``, ``key`` and ``legend`` text keys,
            ``column``, ``bins`` lower class bounds, ``colors``, ``nodata`` colour,
            ``classes`` class index per municipality, -1 without data).
        ``crossings``
            ``None`` or ``name``, ``twin``, ``lat``, ``lon``, ``trucks``, ``radius`` (px),
            busiest first.
        ``seaports``
            ``None`` or ``name``, ``unlocode``, ``state``, ``coast``, ``lat``, ``lon``,
            ``teu_per_year``, ``teu_jan_apr_2024``, ``radius`` (px), busiest first.

        Columns are lists of equal length; missing values are ``None``. Strings are data: show
        them as text, never as HTML. The static parts, and the area geometry of each distinct
        input geometry, are computed once and cached on disk (see the module docstring);
        every call returns a fresh dict.

    Raises
    ------
    ValueError
        If a layer is not a GeoDataFrame, lacks the column it is drawn from, or has no CRS.
    """
    _check_layers(layers)
    labor = layers.get("municipal_labor")
    security = layers.get("municipal_security")
    states = layers.get("states")
    crossings = layers.get("crossings")
    seaports = layers.get("seaports")
    static = _static()
    return {
        "colors": {
            "land": LAND_COLOR,
            "land_edge": LAND_EDGE_COLOR,
            "abroad": ABROAD_COLOR,
            "border": BORDER_COLOR,
            "road": ROAD_COLOR,
            "crossing": CROSSING_COLOR,
            "seaport": SEAPORT_COLOR,
            "nodata": NODATA_COLOR,
        },
        "land": None if states is None else _land(states),
        "abroad": static["abroad"],
        "roads": static["roads"],
        "cities": static["cities"],
        "municipal": (None if labor is None and security is None else _municipal(labor, security)),
        "crossings": None if crossings is None else _crossings(crossings),
        "seaports": None if seaports is None else _seaports(seaports),
    }
