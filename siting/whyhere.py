"""Why a site ranks where it does, drawn: its truck route to the border and its commute area.

:func:`why_here` gives, for candidate sites of a :class:`~siting.result.RunResult`, two shapes
measured on the run's own road network:

* ``"route"``: the fastest truck route from the site to the crossing the ranking used
  (``nearest_crossing``), as a line: the site, its access leg to the network, the roads, the
  crossing's access leg and the crossing. Its ``minutes`` are the ranking's
  ``crossing_drive_min`` without the crossing's typical wait (``crossing_wait_min``).
* ``"catchment"``: the area from which the site is reached within the scenario's commute
  (``[parameters] commute_min``), the road-reachable area that the labour-pool criteria count.

Both come from the searches the criteria ran (:class:`siting.routing.NetworkMeasure`, built by
:class:`siting.measure.SiteContext` with the run's scenario): the same network (from the disk
cache, never rebuilt), the same snapping, access legs and crossing targets, so a route always
ends at the crossing named in the ranking and takes its time.

How the catchment is drawn
--------------------------
One bounded Dijkstra search per site (chunks of :data:`siting.routing.DEFAULT_CATCHMENT_CHUNK`
origins, on the transposed matrix: commuters drive *to* the plant) gives the time from every
node to the site. A road counts up to the point from which the site is reached within the
commute, the site's access leg included: a road whose far end is too far counts only in part,
as the labour pool's time budget does (travel time is spread evenly along a road). The reached
roads (their INEGI line geometry on the bundled network, straight node-to-node segments on
other networks) are rasterised on a grid of ``cell_m`` (default :data:`CATCHMENT_CELL_M`,
1 km) in EPSG:6372, the reached cells widened by one cell (localities up to about a kilometre
off a reached road count too: their access leg takes a few minutes), and the area's outline is
traced with marching squares (:mod:`contourpy`). So the area follows the roads: fingers along
highways, gaps where no road reaches in time, holes where reached roads surround an unreached
patch. A circle, or a convex hull of the reached nodes, would claim every unreached valley and
the far side of a bay; a concave hull depends on an arbitrary ratio and, on 661 sites, costs
seconds; buffering the reached roads themselves is exact but costs far more (union of
thousands of buffers per site).

Sizes
-----
Shapes are simplified (Douglas-Peucker, ``simplify_m`` metres in EPSG:6372) before they are
returned in EPSG:4326. At the defaults the 661 sites of the default run make about 90,000
vertices of routes and as many of areas: 0.39 MB and 0.37 MB of Encoded Polyline text at 4
decimals (:func:`siting.maps.interactive.codec.encode_geometries`), 0.28 MB for the areas at 3.

Cache
-----
The drawn shape of every arc and its samples on the grid (:class:`_RoadShapes`, about 27 MB for
the bundled network: 0.6 s to build, most of it reading and matching the INEGI lines) are kept
beside the routing arrays, in ``roadshapes_<key>.npz`` in the routing cache folder
(:func:`siting.routing.cache.cache_folder`), and in memory. The key (:func:`_shapes_key`) is a
SHA-256 of the routing network's key (its content), the cell size, the speed table,
:data:`ROAD_SHAPES_FORMAT`, the siting version and the identity (name, size, modification time)
of the bundled road file and of the modules that build the tables. The file holds a SHA-256 of
its arrays, checked (with their shapes) on every read: a damaged, truncated or foreign file is
rebuilt with one warning. It is written to a temporary file beside the target, then renamed; a
folder that cannot be written costs only the cache (one warning). At most
:data:`ROAD_SHAPES_MAX_FILES` such files are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import contourpy
import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely
from pyproj import Transformer
from scipy.sparse.csgraph import dijkstra

from siting import layers
from siting.layers import CRS_GEO, CRS_METRIC, settings
from siting.layers._data import package_version
from siting.measure import SiteContext
from siting.routing import RoutingNetwork, cache
from siting.routing.cache import CacheDamagedError
from siting.routing.search import DEFAULT_CATCHMENT_CHUNK, DEFAULT_CATCHMENT_MEMORY_BYTES

if TYPE_CHECKING:  # pragma: no cover - types only
    from siting.network import NetworkSettings
    from siting.result import RunResult

__all__ = ["CATCHMENT_CELL_M", "COLUMNS", "DEFAULT_SIMPLIFY_M", "why_here"]

logger = logging.getLogger(__name__)

#: Columns of :func:`why_here`'s frame, geometry last.
COLUMNS = ["site", "kind", "target", "minutes", "geometry"]
#: Douglas-Peucker tolerance of the shapes, metres: invisible at the zoom that shows a whole
#: route (about 2 km per pixel at zoom 6) and a few pixels at a city's zoom (70 m at zoom 11).
DEFAULT_SIMPLIFY_M = 250.0
#: Grid cell (metres) on which commute areas are traced.
CATCHMENT_CELL_M = 1000.0
#: Most shape tables (per network and cell size) kept in memory between calls.
_SHAPE_CACHE_SIZE = 2
#: Bumped when the layout or the build of the cached road-shape tables changes (in the key).
ROAD_SHAPES_FORMAT = 1
#: Most road-shape cache files (about 27 MB each on the bundled network) kept in the folder.
ROAD_SHAPES_MAX_FILES = 4
#: Name prefix of the road-shape cache files, and kind of their temporary files.
_SHAPES_KIND = "roadshapes"
#: Arrays of a road-shape cache file, in the order of its checksum.
_SHAPE_ARRAYS = (
    "line_xy",
    "line_off",
    "arc_line",
    "arc_fwd",
    "t_arc",
    "sample_cell",
    "sample_frac",
    "sample_off",
    "line_cells",
    "cells_off",
)
#: Cache folders that could not be written in this process (warned once, then not tried).
_UNWRITABLE: set[str] = set()


# -- the road shapes of a network ---------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _RoadShapes:
    """The drawn shape of every arc of a routing network, in EPSG:6372.

    ``lines`` are polylines (``line_xy`` rows ``line_off[k]:line_off[k + 1]``); arc ``p`` (a
    position in ``net.csr.data``) is drawn as line ``arc_line[p]``, forward if ``arc_fwd[p]``.
    For the catchments each line is also sampled at most a cell apart: ``sample_cell`` (grid
    cell id) and ``sample_frac`` (share of the line's length from its first vertex), rows
    ``sample_off[k]:sample_off[k + 1]``; ``line_cells`` are the cells of each line (repeats of
    consecutive samples dropped), rows ``cells_off[k]:cells_off[k + 1]``. ``t_arc`` maps
    positions of ``csr_t.data`` to positions of ``csr.data``.

    Derived (not cached on disk, see :meth:`of`): ``t_line`` and ``t_fwd`` are ``arc_line`` and
    ``arc_fwd`` of each position of ``csr_t.data``, ``node_cell`` the grid cell of each node.
    """

    line_xy: np.ndarray
    line_off: np.ndarray
    arc_line: np.ndarray
    arc_fwd: np.ndarray
    t_arc: np.ndarray
    sample_cell: np.ndarray
    sample_frac: np.ndarray
    sample_off: np.ndarray
    line_cells: np.ndarray
    cells_off: np.ndarray
    cell_m: float
    t_line: np.ndarray
    t_fwd: np.ndarray
    node_cell: np.ndarray

    @classmethod
    def of(cls, net: RoutingNetwork, cell_m: float, **arrays: np.ndarray) -> _RoadShapes:
        """Return the shapes of ``net`` from the :data:`_SHAPE_ARRAYS`, with the derived ones."""
        arc_line, arc_fwd, t_arc = arrays["arc_line"], arrays["arc_fwd"], arrays["t_arc"]
        return cls(
            **arrays,
            cell_m=float(cell_m),
            t_line=arc_line[t_arc],
            t_fwd=arc_fwd[t_arc],
            node_cell=_cell_id(net.xy[:, 0], net.xy[:, 1], cell_m),
        )


_SHAPES: dict[tuple[str, float], _RoadShapes] = {}


def _cell_id(x: np.ndarray, y: np.ndarray, cell_m: float) -> np.ndarray:
    """Grid cell of EPSG:6372 points: column in the high 32 bits, row in the low ones."""
    ix = np.floor(x / cell_m).astype(np.int64)
    iy = np.floor(y / cell_m).astype(np.int64)
    return (ix << 32) + (iy & 0xFFFFFFFF)


def _ragged(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + c)`` for each start ``s`` and count ``c``."""
    ends = np.cumsum(counts, dtype=np.int64)
    total = int(ends[-1]) if len(ends) else 0
    if total == 0:
        return np.empty(0, dtype=np.int64)
    # position k of run j is k + (start of run j - where run j begins in the output)
    return np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - counts), counts)


def _densify(
    xy: np.ndarray, off: np.ndarray, spacing: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points along polylines at most ``spacing`` apart (their vertices included).

    ``xy`` rows ``off[k]:off[k + 1]`` are line ``k``. Returns the points, their line and their
    share of the line's length from its first vertex (1 on a line of length 0).
    """
    n = len(xy)
    owner = np.repeat(np.arange(len(off) - 1), np.diff(off))
    step = np.zeros((n, 2))
    step[:-1] = np.diff(xy, axis=0)
    inside = np.zeros(n, dtype=bool)  # vertex i starts a segment of its own line
    inside[:-1] = owner[:-1] == owner[1:]
    step[~inside] = 0.0
    length = np.hypot(step[:, 0], step[:, 1])
    emit = np.where(inside, np.maximum(1, np.ceil(length / spacing)), 1).astype(np.int64)
    base = np.repeat(np.arange(n), emit)
    t = _ragged(np.zeros(n, dtype=np.int64), emit) / emit[base]
    points = xy[base] + step[base] * t[:, None]
    cum = np.concatenate([[0.0], np.cumsum(length)[:-1]])  # along all lines, at each vertex
    start = cum[off[:-1]]
    total = np.bincount(owner, weights=length, minlength=len(off) - 1)
    line = owner[base]
    along = cum[base] - start[line] + length[base] * t
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(total[line] > 0, along / total[line], 1.0)
    return points, line, frac


def _bundled_lines(
    net: RoutingNetwork, speeds: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Match every arc of the bundled network to its INEGI RNC line.

    Returns the lines' EPSG:6372 polylines (coordinates, offsets) and, per arc, the line (-1
    where none: the bridged gaps, drawn straight) and whether it runs along the line. Of
    parallel lines between the same two nodes (a toll road and a free one, ramps) the arc is
    the one whose truck time is closest to the arc's (the routing kept the fastest).
    """
    from siting.layers import roads

    path = layers.data_path(roads.NATIONAL_FILE)
    cols = ["u", "v", "road_class", "speed_kmh", "len_km", "len_rnc_km", "geometry"]
    table = pq.read_table(path, columns=cols)
    geoms = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    df = table.drop(["geometry"]).to_pandas()
    to_metric = Transformer.from_crs(CRS_GEO, CRS_METRIC, always_xy=True)
    xy, which = shapely.get_coordinates(geoms, return_index=True)
    xy = np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1]))
    counts = np.bincount(which, minlength=len(geoms))
    off = np.concatenate([[0], np.cumsum(counts)])
    step = np.hypot(*np.diff(xy, axis=0).T)
    step[(off[1:-1] - 1)[counts[:-1] > 0]] = 0.0  # no step across two lines
    cum = np.concatenate([[0.0], np.cumsum(step)])
    df["geom_km"] = (cum[off[1:] - 1] - cum[off[:-1]]) / 1000.0
    table_kph = roads._rnc_table(speeds)
    cap = df["road_class"].map(table_kph).to_numpy(dtype=float)
    kph = np.fmin(cap, df["speed_kmh"].to_numpy(dtype=float))
    t_line = roads._line_length_km(df) * 1000.0 / (kph / 3.6)

    rows = np.repeat(np.arange(net.n_nodes), np.diff(net.csr.indptr))
    tail = net.node_ids[rows].astype(np.int64)
    head = net.node_ids[net.csr.indices].astype(np.int64)
    arcs = pd.DataFrame(
        {"p": np.arange(net.n_arcs), "a": np.minimum(tail, head), "b": np.maximum(tail, head)}
    )
    lu, lv = df["u"].to_numpy(np.int64), df["v"].to_numpy(np.int64)
    lines = pd.DataFrame(
        {"line": np.arange(len(df)), "a": np.minimum(lu, lv), "b": np.maximum(lu, lv), "t": t_line}
    )
    pairs = arcs.merge(lines, on=["a", "b"])
    with np.errstate(divide="ignore", invalid="ignore"):
        miss = np.abs(np.log(pairs["t"].to_numpy() / net.csr.data[pairs["p"].to_numpy()]))
    pairs["miss"] = np.nan_to_num(miss, nan=np.inf)
    best = pairs.sort_values(["p", "miss"], kind="stable").drop_duplicates("p")
    arc_line = np.full(net.n_arcs, -1, dtype=np.int64)
    arc_line[best["p"].to_numpy()] = best["line"].to_numpy()
    matched = arc_line >= 0
    arc_fwd = np.ones(net.n_arcs, dtype=bool)
    arc_fwd[matched] = lu[arc_line[matched]] == tail[matched]
    return xy, off, arc_line, arc_fwd


def _road_shapes(net: RoutingNetwork, network: NetworkSettings, cell_m: float) -> _RoadShapes:
    """Return the :class:`_RoadShapes` of ``net``: from memory, the disk cache, or built.

    A network without a key (not from :meth:`RoutingNetwork.cached`) is built every time.
    """
    memo = (net.key, float(cell_m))
    if net.key and memo in _SHAPES:
        return _SHAPES[memo]
    if not net.key:
        return _build_road_shapes(net, network, cell_m)
    t0 = time.perf_counter()
    key = _shapes_key(net, network, cell_m)
    folder = cache.cache_folder()
    path = folder / f"{_SHAPES_KIND}_{key}.npz"
    settings.remove_stale_temp_files(folder, _SHAPES_KIND)
    try:
        shapes = _load_shapes(path, key, net, cell_m)
    except CacheDamagedError as exc:
        logger.warning(
            "road-shape cache %r is damaged or unreadable (%s); rebuilding it", str(path), exc
        )
        shapes = None
    if shapes is not None:
        with contextlib.suppress(OSError):  # used: the last file :func:`_prune_shapes` removes
            os.utime(path)
        logger.debug("road shapes from %r in %.2f s", str(path), time.perf_counter() - t0)
    else:
        shapes = _build_road_shapes(net, network, cell_m)
        _try_save_shapes(path, key, shapes)
    while len(_SHAPES) >= _SHAPE_CACHE_SIZE:
        _SHAPES.pop(next(iter(_SHAPES)))
    _SHAPES[memo] = shapes
    return shapes


def _build_road_shapes(net: RoutingNetwork, network: NetworkSettings, cell_m: float) -> _RoadShapes:
    """Build the :class:`_RoadShapes` of ``net`` (its arcs' lines, sampled every ``cell_m``)."""
    t0 = time.perf_counter()
    if network.bundled:
        xy, off, arc_line, arc_fwd = _bundled_lines(net, network.speeds)
    else:
        xy = np.empty((0, 2))
        off = np.zeros(1, dtype=np.int64)
        arc_line = np.full(net.n_arcs, -1, dtype=np.int64)
        arc_fwd = np.ones(net.n_arcs, dtype=bool)
    # arcs without a line are drawn straight, node to node: one two-point line each
    loose = np.flatnonzero(arc_line < 0)
    if len(loose):
        rows = np.repeat(np.arange(net.n_nodes), np.diff(net.csr.indptr))
        ends = np.stack([net.xy[rows[loose]], net.xy[net.csr.indices[loose]]], axis=1)
        arc_line[loose] = len(off) - 1 + np.arange(len(loose))
        xy = np.concatenate([xy, ends.reshape(-1, 2)])
        off = np.concatenate([off, off[-1] + 2 * np.arange(1, len(loose) + 1)])
    n_lines = len(off) - 1
    samples, s_owner, frac = _densify(xy, off, cell_m)
    s_off = np.concatenate([[0], np.cumsum(np.bincount(s_owner, minlength=n_lines))])
    cell = _cell_id(samples[:, 0], samples[:, 1], cell_m)
    # the cells of each line, without the repeats of consecutive samples
    new = np.ones(len(cell), dtype=bool)
    new[1:] = (cell[1:] != cell[:-1]) | (s_owner[1:] != s_owner[:-1])
    cells = cell[new]
    c_off = np.concatenate([[0], np.cumsum(np.bincount(s_owner[new], minlength=n_lines))])
    # csr_t position -> csr position (csr_t holds the arcs head-major)
    t_rows = np.repeat(np.arange(net.n_nodes), np.diff(net.csr_t.indptr))
    t_arc = net.arc_index(net.csr_t.indices, t_rows)
    shapes = _RoadShapes.of(
        net,
        cell_m,
        line_xy=xy,
        line_off=off,
        arc_line=arc_line,
        arc_fwd=arc_fwd,
        t_arc=t_arc,
        sample_cell=cell,
        sample_frac=frac,
        sample_off=s_off,
        line_cells=cells,
        cells_off=c_off,
    )
    logger.debug(
        "road shapes of %d arcs (%d lines, %d samples) in %.2f s",
        net.n_arcs,
        n_lines,
        len(cell),
        time.perf_counter() - t0,
    )
    return shapes


# -- the disk cache of the road shapes ----------------------------------------------------------


def _stat_identity(path: Path) -> list[Any]:
    """``[file name, size, mtime in ns]`` of ``path`` (None, None if it cannot be read)."""
    try:
        stat = path.stat()
    except OSError:
        return [path.name, None, None]
    return [path.name, stat.st_size, stat.st_mtime_ns]


def _shapes_key(net: RoutingNetwork, network: NetworkSettings, cell_m: float) -> str:
    """Return the cache key of the road shapes of ``net`` at ``cell_m``: 24 hex digits.

    A SHA-256 of the network's key, ``cell_m``, whether the network is the bundled one, its
    speed table, :data:`ROAD_SHAPES_FORMAT`, the siting version and the identity (name, size,
    mtime) of the bundled road file (if used) and of the modules that build the tables.
    """
    from siting.layers import roads

    sources = [_stat_identity(Path(__file__)), _stat_identity(Path(roads.__file__))]
    if network.bundled:
        sources.append(_stat_identity(layers.data_path(roads.NATIONAL_FILE)))
    text = json.dumps(
        {
            "network": net.key,
            "cell_m": float(cell_m),
            "bundled": bool(network.bundled),
            "speeds": dict(network.speeds),
            "format": ROAD_SHAPES_FORMAT,
            "siting": package_version(),
            "sources": sources,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _shapes_digest(arrays: Mapping[str, np.ndarray]) -> str:
    """Return the SHA-256 of the road-shape arrays (the routing cache's checksum)."""
    return cache._digest(arrays, _SHAPE_ARRAYS)


def _save_shapes(path: Path, key: str, shapes: _RoadShapes) -> None:
    """Write ``shapes``, their SHA-256 and ``key`` to ``path`` (``.npz``), atomically.

    Raises
    ------
    OSError
        If the file cannot be written; the temporary file beside ``path`` is removed.
    """
    arrays = {name: getattr(shapes, name) for name in _SHAPE_ARRAYS}
    members = {"cell_m": np.asarray(shapes.cell_m), "key": np.asarray(key)}
    cache.write_npz(path, arrays, ROAD_SHAPES_FORMAT, _SHAPES_KIND, members)


def _try_save_shapes(path: Path, key: str, shapes: _RoadShapes) -> bool:
    """:func:`_save_shapes`, or one warning per folder and process if it cannot be written."""
    written = settings.try_cache_write(
        path, lambda: _save_shapes(path, key, shapes), "road-shape cache", _UNWRITABLE
    )
    if written:
        _prune_shapes(path)
    return written


def _prune_shapes(kept: Path) -> None:
    """Remove the least recently used road-shape files beyond :data:`ROAD_SHAPES_MAX_FILES`.

    Never ``kept`` (the file just written); a file read is touched (:func:`_road_shapes`).
    """
    for old in settings.prune_cache_files(kept, f"{_SHAPES_KIND}_", ".npz", ROAD_SHAPES_MAX_FILES):
        logger.info("removed old road-shape cache file %r", old)


def _load_shapes(path: Path, key: str, net: RoutingNetwork, cell_m: float) -> _RoadShapes | None:
    """Read and verify the road shapes written by :func:`_save_shapes`; None: no such file.

    Raises
    ------
    siting.routing.cache.CacheDamagedError
        If the file is not a complete road-shape cache of this format, key and network: not a
        zip archive, truncated, another :data:`ROAD_SHAPES_FORMAT` or key, a missing array,
        arrays not matching their SHA-256 or not fitting ``net``; or it cannot be read.
    """
    return cache.read_npz(path, lambda z: _verified_shapes(z, key, net, cell_m))


def _verified_shapes(z: Any, key: str, net: RoutingNetwork, cell_m: float) -> _RoadShapes:
    """Return the :class:`_RoadShapes` of an open ``.npz``, or raise CacheDamagedError."""
    a = cache.checked_arrays(z, _SHAPE_ARRAYS, ROAD_SHAPES_FORMAT, members=("key", "cell_m"))
    if str(z["key"]) != key:
        msg = f"it holds the road shapes of key {str(z['key'])!r}, expected {key!r}"
        raise CacheDamagedError(msg)
    problems = _shape_problems(a, net)
    if problems or float(z["cell_m"]) != float(cell_m):
        msg = "arrays that do not fit the network: " + "; ".join(problems or ["cell size"])
        raise CacheDamagedError(msg)
    return _RoadShapes.of(net, cell_m, **a)


def _shape_problems(a: Mapping[str, np.ndarray], net: RoutingNetwork) -> list[str]:
    """Return what is inconsistent in road-shape arrays (or with ``net``)."""
    n_arcs = len(net.csr.data)
    expected = {
        "arc_line": (n_arcs,),
        "arc_fwd": (n_arcs,),
        "t_arc": (n_arcs,),
        "line_xy": (-1, 2),
        "sample_frac": a["sample_cell"].shape,
        "sample_off": a["line_off"].shape,
        "cells_off": a["line_off"].shape,
    }
    problems = [
        f"{name} has shape {a[name].shape}, expected {shape}"
        for name, shape in expected.items()
        if a[name].shape != shape and not (shape[0] == -1 and a[name].shape[1:] == shape[1:])
    ]
    if any(a[name].ndim != 1 for name in _SHAPE_ARRAYS if name != "line_xy"):
        problems.append("an array other than line_xy is not one-dimensional")
    if problems:
        return problems
    n_lines = len(a["line_off"]) - 1
    spans = (("line_off", "line_xy"), ("sample_off", "sample_cell"), ("cells_off", "line_cells"))
    for off, data in spans:
        if n_lines < 0 or a[off][0] != 0 or a[off][-1] != len(a[data]):
            problems.append(f"{off} does not span {data}")
    if n_arcs and not (0 <= a["arc_line"].min() and a["arc_line"].max() < n_lines):
        problems.append("arc_line holds lines that do not exist")
    if n_arcs and not (0 <= a["t_arc"].min() and a["t_arc"].max() < n_arcs):
        problems.append("t_arc holds arcs that do not exist")
    return problems


# -- routes -------------------------------------------------------------------------------------


def _routes(
    net: RoutingNetwork,
    shapes: _RoadShapes,
    successor: np.ndarray,
    start_nodes: np.ndarray,
    site_xy: np.ndarray,
    end_xy: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Route lines (EPSG:6372) from each site along ``successor`` and their network seconds.

    Each line runs site → its node → the roads of every arc → the last node's end point
    (``end_xy``, the crossing). Returns the LineStrings and the summed arc times.
    """
    k = len(start_nodes)
    steps_site: list[np.ndarray] = []
    steps_tail: list[np.ndarray] = []
    steps_head: list[np.ndarray] = []
    who = np.arange(k)
    cur = start_nodes.copy()
    while len(who):
        nxt = successor[cur]
        go = nxt >= 0
        who, cur, nxt = who[go], cur[go], nxt[go]
        steps_site.append(who)
        steps_tail.append(cur)
        steps_head.append(nxt)
        cur = nxt
    site = np.concatenate(steps_site) if steps_site else np.empty(0, dtype=np.int64)
    tail = np.concatenate(steps_tail) if steps_tail else np.empty(0, dtype=np.int64)
    head = np.concatenate(steps_head) if steps_head else np.empty(0, dtype=np.int64)
    order = np.argsort(site, kind="stable")  # by site, then step (steps were appended in order)
    site, tail, head = site[order], tail[order], head[order]
    arc = net.arc_index(tail, head)
    if (arc < 0).any():  # pragma: no cover - a successor is always an arc of the search
        msg = "a route step is not an arc of the network: rebuild the routing cache"
        raise RuntimeError(msg)
    seconds = np.bincount(site, weights=net.csr.data[arc], minlength=k)

    line = shapes.arc_line[arc]
    fwd = shapes.arc_fwd[arc]
    n_pts = np.diff(shapes.line_off)[line] - 1  # each arc's vertices but its first (the tail)
    idx = _ragged(np.zeros(len(arc), dtype=np.int64), n_pts)
    arc_of = np.repeat(np.arange(len(arc)), n_pts)
    first, last = shapes.line_off[line], shapes.line_off[line + 1] - 1
    pos = np.where(fwd[arc_of], first[arc_of] + 1 + idx, last[arc_of] - 1 - idx)
    road_site = site[arc_of]  # sorted: the road points are in route order, site by site
    # per site: site point, its node, the roads, the crossing
    n_road = np.bincount(road_site, minlength=k)
    count = n_road + 3
    end = np.cumsum(count)
    begin = end - count
    xy = np.empty((int(end[-1]) if k else 0, 2))
    xy[begin] = site_xy
    xy[begin + 1] = net.xy[start_nodes]
    xy[end - 1] = end_xy
    road_begin = np.cumsum(n_road) - n_road  # each site's first road point
    step = np.arange(len(road_site)) - road_begin[road_site]
    xy[begin[road_site] + 2 + step] = shapes.line_xy[pos]
    lines = shapely.linestrings(xy, indices=np.repeat(np.arange(k), count))
    return np.asarray(lines), seconds


# -- catchments ---------------------------------------------------------------------------------


def _bounded_times(
    net: RoutingNetwork, origins: np.ndarray, limit_s: float
) -> Iterator[tuple[np.ndarray, list[np.ndarray]]]:
    """Seconds from every node *to* each origin, up to ``limit_s``, a chunk of origins at a time.

    The chunks of :func:`siting.routing.catchment_sum`: at most
    :data:`~siting.routing.DEFAULT_CATCHMENT_CHUNK` origins, fewer if the dense ``chunk × n``
    array would exceed :data:`~siting.routing.DEFAULT_CATCHMENT_MEMORY_BYTES`. Yields the
    positions (into ``origins``) of each chunk and the times of each (rows of ``n`` seconds,
    ``inf`` beyond; views into the chunk's array, not copies).
    """
    uniq, inv = np.unique(origins, return_inverse=True)
    by_memory = DEFAULT_CATCHMENT_MEMORY_BYTES // (8 * net.n_nodes)
    chunk = int(np.clip(by_memory, 1, DEFAULT_CATCHMENT_CHUNK))
    for start in range(0, len(uniq), chunk):
        dist = dijkstra(net.csr_t, indices=uniq[start : start + chunk], limit=limit_s)
        sel = np.flatnonzero((inv >= start) & (inv < start + chunk))
        yield sel, [dist[k] for k in (inv[sel] - start).tolist()]


def _reached_cells(
    net: RoutingNetwork,
    shapes: _RoadShapes,
    dist: np.ndarray,
    budget_s: float,
    seen: np.ndarray,
    access_s: float = 0.0,
) -> np.ndarray:
    """Grid cells (with repeats, in no particular order) of the roads that reach the origin.

    ``dist`` is the time from every node to the origin's node, ``access_s`` the origin's access
    leg: node ``v`` is reached if ``dist[v] + access_s`` fits ``budget_s``. Arc ``u → v``
    counts from the point where ``(share of its length left) × time + dist[v] + access_s``
    fits the budget. ``seen`` is a scratch array of False, one per line (left all False).
    """
    # candidates from one comparison of the raw times (a margin far above rounding errors),
    # then the exact test on them: no n-sized sum per origin
    margin = 1e-9 * (abs(budget_s) + abs(access_s) + 1.0)
    candidate = np.flatnonzero(dist <= (budget_s - access_s) + margin)
    total = dist[candidate] + access_s
    fits = total <= budget_s
    reached = candidate[fits]
    spare = budget_s - total[fits]
    ptr = net.csr_t.indptr
    start = ptr[reached]
    n_in = ptr[reached + 1] - start
    pos = _ragged(start, n_in)  # the arcs into reached nodes
    head_spare = np.repeat(spare, n_in)
    w = net.csr_t.data[pos]
    line = shapes.t_line[pos]
    whole = w <= head_spare
    seen[line[whole]] = True  # each line once (a two-way road has an arc each way)
    full = np.flatnonzero(seen)
    seen[full] = False
    c_start = shapes.cells_off[full]
    found = [
        shapes.line_cells[_ragged(c_start, shapes.cells_off[full + 1] - c_start)],
        shapes.node_cell[reached],
    ]
    part = np.flatnonzero(~whole)
    if len(part):
        p_line = line[part]
        s_start = shapes.sample_off[p_line]
        s_count = shapes.sample_off[p_line + 1] - s_start
        sample = _ragged(s_start, s_count)
        of = np.repeat(part, s_count)
        frac = shapes.sample_frac[sample]
        share_left = np.where(shapes.t_fwd[pos[of]], 1.0 - frac, frac)  # of the arc, tail → head
        ok = share_left * w[of] <= head_spare[of]
        found.append(shapes.sample_cell[sample[ok]])
    return np.concatenate(found)


def _cover(cells: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Coverage field of grid ``cells`` widened by one cell, and its first column and row.

    The field is the 3 x 3 count (0-9) of the widened cells: its contour at 4.5 rounds the
    staircase of cell edges (fewer vertices survive simplifying) and keeps every given cell
    inside (a given cell counts 9, its neighbours at least 4). Its first and last rows and
    columns are 0.
    """
    ix = cells >> 32
    iy = cells & 0xFFFFFFFF
    x0, y0 = int(ix.min()) - 3, int(iy.min()) - 3
    ny, nx = int(iy.max()) - y0 + 4, int(ix.max()) - x0 + 4
    seed = np.zeros((ny, nx), dtype=bool)
    seed[iy - y0, ix - x0] = True
    # both 3 x 3 steps are separable (a row pass, then a column pass); the 3-cell margins keep
    # every step inside the array
    row = seed.copy()
    row[:, 1:] |= seed[:, :-1]
    row[:, :-1] |= seed[:, 1:]
    grid = row.copy()
    grid[1:] |= row[:-1]
    grid[:-1] |= row[1:]
    across = grid.astype(np.uint8)
    across[:, 1:] += grid[:, :-1]
    across[:, :-1] += grid[:, 1:]
    field = across.copy()
    field[1:] += across[:-1]
    field[:-1] += across[1:]
    return field, x0, y0


def _outlines(
    covers: list[tuple[np.ndarray, int, int]], cell_m: float
) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """Trace the outline of each :func:`_cover` field (marching squares, EPSG:6372 metres).

    The fields are laid side by side and traced in one :mod:`contourpy` call (their zero
    borders keep them apart). Returns, per field, ``(coordinates, ring offsets)`` per polygon,
    exterior ring first.
    """
    widths = np.array([f.shape[1] for f, _, _ in covers])
    starts = np.concatenate([[0], np.cumsum(widths)[:-1]])
    mosaic = np.zeros((max(f.shape[0] for f, _, _ in covers), int(widths.sum())))
    for (field, _, _), x in zip(covers, starts, strict=True):
        mosaic[: field.shape[0], x : x + field.shape[1]] = field
    gen = contourpy.contour_generator(z=mosaic, fill_type="OuterOffset")
    points, offsets = gen.filled(4.5, 10.0)
    out: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in covers]
    for pts, offs in zip(points, offsets, strict=True):
        k = int(np.searchsorted(starts, pts[0, 0], side="right")) - 1
        _, x0, y0 = covers[k]
        metres = (pts + np.array([x0 - starts[k] + 0.5, y0 + 0.5])) * cell_m
        out[k].append((metres, offs))
    return out


def _multipolygons(outlines: list[list[tuple[np.ndarray, np.ndarray]]]) -> np.ndarray:
    """Polygons (one part) or MultiPolygons from :func:`_outlines` of each area, at once."""
    coords: list[np.ndarray] = []
    ring_off = [0]
    poly_off = [0]
    multi_off = [0]
    for polygons in outlines:
        for points, offsets in polygons:
            coords.append(points)
            ring_off.extend(ring_off[-1] + offsets[1:] - offsets[0])
            poly_off.append(poly_off[-1] + len(offsets) - 1)
        multi_off.append(multi_off[-1] + len(polygons))
    geoms = shapely.from_ragged_array(
        shapely.GeometryType.MULTIPOLYGON,
        np.concatenate(coords),
        (np.asarray(ring_off), np.asarray(poly_off), np.asarray(multi_off)),
    )
    single = shapely.get_num_geometries(geoms) == 1
    geoms[single] = shapely.get_geometry(geoms[single], 0)
    return geoms


def _simplified_areas(areas: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker on outlines; the rare one it breaks is simplified preserving topology.

    Plain Douglas-Peucker is ten times faster than the topology-preserving variant but may make
    a ring cross itself or vanish.
    """
    out = shapely.simplify(areas, tolerance, preserve_topology=False)
    bad = ~shapely.is_valid(out) | shapely.is_empty(out)
    if bad.any():
        out[bad] = shapely.simplify(areas[bad], tolerance, preserve_topology=True)
    return out


# -- the function -------------------------------------------------------------------------------


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "site": pd.Series(dtype="int64"),
            "kind": pd.Series(dtype=object),
            "target": pd.Series(dtype=object),
            "minutes": pd.Series(dtype=float),
        },
        geometry=gpd.GeoSeries([], crs=CRS_GEO),
    )


def _positions(ranking: pd.DataFrame, sites: Sequence[int] | None) -> np.ndarray:
    """Return the sites to draw: the reachable ones of ``sites`` (None: of all)."""
    n = len(ranking)
    if sites is None:
        pos = np.arange(n)
    else:
        given = list(sites)
        bad = [s for s in given if isinstance(s, bool) or not isinstance(s, int | np.integer)]
        if bad:
            msg = f"`sites` must be positions (int) in `result.ranking`; got {bad[:5]}"
            raise TypeError(msg)
        out = [int(s) for s in given if not 0 <= s < n]
        if out:
            msg = (
                f"`sites` holds {out[:5]}, outside the ranking's positions 0..{n - 1}; "
                "give row positions of `result.ranking`"
            )
            raise IndexError(msg)
        pos = np.asarray(given, dtype=np.int64)
        _, first = np.unique(pos, return_index=True)
        pos = pos[np.sort(first)]
    ok = np.ones(n, dtype=bool)
    if "reachable" in ranking:
        ok &= ranking["reachable"].eq(True).to_numpy(dtype=bool)
    if "outside_mexico" in ranking:
        ok &= ~ranking["outside_mexico"].eq(True).to_numpy(dtype=bool)
    return pos[ok[pos]]


def why_here(
    result: RunResult,
    sites: Sequence[int] | None = None,
    *,
    simplify_m: float = DEFAULT_SIMPLIFY_M,
    cell_m: float = CATCHMENT_CELL_M,
) -> gpd.GeoDataFrame:
    """Return each site's truck route to its border crossing and its commute area.

    Measured on the run's road network with the run's scenario (see the module docstring for
    the method): the route to the crossing of ``nearest_crossing`` and the area from which the
    site is reached within ``[parameters] commute_min``.

    Parameters
    ----------
    result
        A run (:func:`siting.run`, :func:`siting.pipeline.run_scenario`).
    sites
        Positions of sites in ``result.ranking`` (rows, not index labels), each drawn once in
        the order given; None (default): every reachable site. Sites that reach no crossing
        (``reachable`` False: off the network, or excluded as unreachable) and sites outside
        Mexico get no rows, as do the catchments of sites whose access leg alone exceeds the
        commute.
    simplify_m
        Douglas-Peucker tolerance in metres (EPSG:6372) of the routes, and of the commute areas
        at least half a cell (their outline is no finer than the grid); 0 keeps every vertex.
    cell_m
        Grid cell (metres) of the commute areas: their outline is accurate to about a cell.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, columns :data:`COLUMNS`: ``site`` (position in ``result.ranking``),
        ``kind`` (``"route"`` or ``"catchment"``, a site's route first), ``target`` (the
        crossing's name for a route, None for a catchment), ``minutes`` (route: truck minutes
        with both access legs, the ranking's ``crossing_drive_min`` minus ``crossing_wait_min``;
        catchment: the commute minutes) and ``geometry`` (route: LineString from the site to the
        crossing; catchment: Polygon or MultiPolygon). A straight-line run (``[network] source =
        "straight-line"``) has no road network to draw on: the frame is empty, with these
        columns.

    Raises
    ------
    TypeError, IndexError
        If ``sites`` holds something other than row positions of the ranking.
    ValueError
        If ``simplify_m`` or ``cell_m`` is not a finite number of metres (≥ 0, > 0).

    Examples
    --------
    >>> import siting
    >>> from siting.whyhere import why_here
    >>> result = siting.run(rank_ranges=False)  # doctest: +SKIP
    >>> shapes = why_here(result, [0])  # doctest: +SKIP
    >>> shapes[["kind", "target"]].values.tolist()  # doctest: +SKIP
    [['route', 'Laredo'], ['catchment', None]]
    """
    if not (np.isfinite(simplify_m) and simplify_m >= 0):
        msg = f"`simplify_m` must be metres ≥ 0; got {simplify_m!r}"
        raise ValueError(msg)
    if not (np.isfinite(cell_m) and cell_m > 0):
        msg = f"`cell_m` must be metres > 0; got {cell_m!r}"
        raise ValueError(msg)
    scenario = result.scenario
    ranking = result.ranking
    pos = _positions(ranking, sites)
    if scenario.network.straight_line or not len(pos):
        return _empty()
    t0 = time.perf_counter()
    points = ranking.iloc[pos][[ranking.geometry.name]].reset_index(drop=True)
    ctx = SiteContext(points, scenario.params, scenario.network)
    measure = ctx.routed
    if measure is None:  # pragma: no cover - straight-line runs returned above
        return _empty()
    net = measure.net
    keep = measure.reachable
    if not keep.any():
        return _empty()
    pos, nodes = pos[keep], measure.site_nodes[keep]
    access_s = measure.site_access_s[keep]
    site_xy = points.geometry.to_crs(CRS_METRIC).get_coordinates().to_numpy()[keep]
    shapes = _road_shapes(net, scenario.network, cell_m)

    # routes, along the nearest-crossing search the ranking used
    targets = measure.crossing_targets
    search = measure.crossing_search
    which = search.target[nodes]
    target_xy = targets.gdf.geometry.to_crs(CRS_METRIC).get_coordinates().to_numpy()
    lines, seconds = _routes(net, shapes, search.successor, nodes, site_xy, target_xy[which])
    seconds = seconds + access_s + targets.snap_m[which] / measure.speed
    names = targets.gdf[measure.crossing_name].to_numpy(dtype=object)[which]

    # catchments: bounded searches from the sites, chunk by chunk
    budget_s = float(scenario.params.commute_min) * 60.0
    outlines: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in pos]
    seen = np.zeros(len(shapes.line_off) - 1, dtype=bool)
    for sel, rows in _bounded_times(net, nodes, budget_s):
        fit = [(i, row) for i, row in zip(sel, rows, strict=True) if access_s[i] <= budget_s]
        covers = [
            _cover(_reached_cells(net, shapes, row, budget_s, seen, float(access_s[i])))
            for i, row in fit
        ]
        if covers:
            for (i, _), found in zip(fit, _outlines(covers, cell_m), strict=True):
                outlines[i] = found
    has_area = np.array([bool(o) for o in outlines], dtype=bool)
    areas = _multipolygons([o for o in outlines if o]) if has_area.any() else np.empty(0, object)
    t_built = time.perf_counter()

    frame = pd.DataFrame(
        {
            "site": np.concatenate([pos, pos[has_area]]),
            "kind": ["route"] * len(pos) + ["catchment"] * int(has_area.sum()),
            "target": [*names, *([None] * int(has_area.sum()))],
            "minutes": np.concatenate(
                [seconds / 60.0, np.full(int(has_area.sum()), float(scenario.params.commute_min))]
            ),
            "_order": np.concatenate([np.arange(len(pos)), np.flatnonzero(has_area)]),
        }
    )
    if simplify_m > 0:  # a route is a simple line: plain Douglas-Peucker is enough (and fast)
        lines = shapely.simplify(lines, simplify_m, preserve_topology=False)
        areas = _simplified_areas(areas, max(simplify_m, cell_m / 2.0))  # no finer than the grid
    geoms = np.concatenate([lines, areas])
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=CRS_METRIC))
    out = out.sort_values(["_order", "kind"], ascending=[True, False], kind="stable")
    out = out.drop(columns="_order").reset_index(drop=True).to_crs(CRS_GEO)
    logger.info(
        "why-here shapes of %d sites in %.2f s (searches %.2f s)",
        len(pos),
        time.perf_counter() - t0,
        t_built - t0,
    )
    return out[COLUMNS]
