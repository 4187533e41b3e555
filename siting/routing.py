"""Routing engine: truck drive times on a road network, for every candidate site at once.

A road network arrives as an osmnx-compatible :class:`networkx.MultiDiGraph` (node ``x``/``y``,
edge ``travel_time`` in seconds, optionally edge ``cve_ent`` = INEGI state code). It is converted
once into a :class:`RoutingNetwork`:

* ``csr``: a SciPy CSR matrix of travel times (seconds), row = tail node, column = head node.
  Parallel edges (osmnx keeps both carriageways, ramps, duplicated ways) are collapsed to the
  **fastest** one; ``scipy.sparse`` would otherwise *sum* duplicate entries. One-way streets stay
  one-way. Self-loops are dropped (they never shorten a route).
* ``csr_t``: its transpose. A search from a target on ``csr_t`` gives the time *to* that target
  from every node (the question "how long to the border from here?" on a directed network).
* ``tree``: a :class:`scipy.spatial.cKDTree` of node coordinates in EPSG:6372 (metres), built
  once (``osmnx.distance.nearest_nodes`` rebuilds its tree on every call).
* ``arc_state``/``node_state``: the state (``cve_ent``) of every arc and node, for route risk.

Off-network legs. Sites, crossings, seaports and population points rarely sit on a node. Each is
snapped to its nearest node (straight-line distance in EPSG:6372, reported as ``snap_m``) and the
snap distance is driven at ``access_speed_kph`` (default :data:`DEFAULT_ACCESS_SPEED_KPH`,
20 km/h: a slow local street or a plant's access road) at *both* ends of a route.

Unreachable is explicit. A node that cannot reach any target has time ``+inf`` and target
``-1``; :func:`network_criteria` reports ``reachable=False`` for such a site and
``crossing_drive_min = +inf``. Scorers must exclude (or flag) rows with ``reachable=False``
before normalising: never let an infinite time or a NaN risk enter a weighted sum.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph(crs="EPSG:4326")
>>> G.add_node(1, x=-99.0, y=19.0)
>>> G.add_node(2, x=-99.01, y=19.0)
>>> _ = G.add_edge(1, 2, travel_time=60.0)
>>> _ = G.add_edge(1, 2, travel_time=30.0)  # a faster parallel edge: the minimum is kept
>>> net = RoutingNetwork.from_graph(G)
>>> float(net.csr[0, 1]), float(net.csr_t[1, 0]), net.csr[1, 0] == 0.0 and net.n_arcs == 1
(30.0, 30.0, True)
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _pkg_version
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from siting._errors import InputError

__all__ = [
    "CRS_METRIC",
    "DEFAULT_ACCESS_SPEED_KPH",
    "DEFAULT_CATCHMENT_CHUNK",
    "DEFAULT_CATCHMENT_MEMORY_BYTES",
    "DEFAULT_TAU_MIN",
    "NearestTargets",
    "RoutingNetwork",
    "build_routing",
    "catchment_sum",
    "nearest_target_times",
    "network_criteria",
    "route_exposure",
]

logger = logging.getLogger(__name__)

#: Projected CRS for snapping and access legs (INEGI Lambert Conformal Conic, metres).
CRS_METRIC = "EPSG:6372"
#: Speed (km/h) at which the straight-line access leg between a point and its snapped node is
#: driven, at both ends of a route.
DEFAULT_ACCESS_SPEED_KPH = 20.0
#: Decay time (minutes) of the volume-weighted crossing access ``Σ trucks · exp(−t / τ)``.
DEFAULT_TAU_MIN = 240.0
#: Memory budget of one chunk of bounded searches in :func:`catchment_sum` (dense k × n array).
DEFAULT_CATCHMENT_MEMORY_BYTES = 64 * 2**20
#: Most origins per bounded-search call (measured fastest on 86k and 1M-node networks: SciPy
#: fills a dense row of n distances per origin, so big chunks only add memory traffic).
DEFAULT_CATCHMENT_CHUNK = 8
#: Bumped when the on-disk cache layout or the build algorithm changes.
CACHE_FORMAT = 1

#: Snap batches at least this large are queried on every CPU core.
PARALLEL_SNAP_POINTS = 4096

ProgressFactory = Callable[..., Iterable[Any]]


def _siting_version() -> str:
    try:
        return _pkg_version("siting")
    except PackageNotFoundError:  # pragma: no cover - source tree without install
        return "0+unknown"


@cache
def _transformer(crs_from: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(crs_from), CRS_METRIC, always_xy=True)


def _crs_string(crs: Any) -> str:
    return CRS.from_user_input(crs).to_string()


# ---------------------------------------------------------------------------------------------
# the routing structure
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RoutingNetwork:
    """Routing arrays of one road network, built once and reused (see the module docstring).

    Build it with :meth:`from_graph`, :meth:`from_arrays` or, with a disk cache, :meth:`cached`
    / :func:`build_routing`. Node *positions* ``0 .. n-1`` index every array; ``node_ids`` maps a
    position back to the graph's node id.

    Attributes
    ----------
    node_ids
        Graph node id of each position, shape ``(n,)``.
    xy
        Node coordinates in EPSG:6372 (metres), shape ``(n, 2)``.
    csr
        Travel time in seconds from row node to column node, parallel edges collapsed by minimum.
    csr_t
        Transpose of ``csr`` (searches on it give times *to* the source nodes).
    tree
        KD-tree of ``xy``.
    arc_state
        Index into ``states`` of each stored arc of ``csr`` (aligned with ``csr.data``), ``-1``
        where unknown.
    node_state
        Index into ``states`` of each node (state of its first incident arc), ``-1`` if unknown.
    states
        State codes (e.g. INEGI ``cve_ent`` ``"01"`` … ``"32"``) that the two arrays index.
    key
        Content hash of the inputs (names the cache file).
    from_cache
        True when the arrays were loaded from the disk cache rather than built.
    cache_file
        Path of the disk-cache file these arrays were loaded from or saved to (None: not cached).
    """

    node_ids: np.ndarray
    xy: np.ndarray
    csr: sparse.csr_matrix
    csr_t: sparse.csr_matrix
    tree: cKDTree = field(repr=False)
    arc_state: np.ndarray = field(repr=False)
    node_state: np.ndarray = field(repr=False)
    states: tuple[str, ...] = ()
    key: str = ""
    from_cache: bool = False
    cache_file: str | None = None

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        node_ids: Any,
        x: Any,
        y: Any,
        u: Any,
        v: Any,
        travel_time: Any,
        *,
        crs: Any = "EPSG:4326",
        arc_state: Any = None,
        key: str = "",
    ) -> RoutingNetwork:
        """Build the routing arrays from plain arrays.

        Parameters
        ----------
        node_ids
            Node ids, shape ``(n,)``.
        x, y
            Node coordinates in ``crs``, shape ``(n,)``.
        u, v
            Tail and head node *positions* (``0 .. n-1``) of each edge, shape ``(m,)``.
        travel_time
            Edge travel time in seconds (finite, ≥ 0), shape ``(m,)``.
        crs
            CRS of ``x``/``y``.
        arc_state
            Optional state code (str, or None/"" for unknown) of each edge, shape ``(m,)``.
        key
            Content hash to store on the result (see :meth:`cached`).

        Returns
        -------
        RoutingNetwork

        Raises
        ------
        siting._errors.InputError
            Listing every problem found in the inputs.
        """
        node_ids = np.asarray(node_ids)
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        w = np.asarray(travel_time, dtype=float)
        n, m = len(node_ids), len(u)
        problems = []
        if n == 0:
            problems.append("the network has no nodes")
        if len(x) != n or len(y) != n:
            problems.append(f"`x`/`y` have {len(x)}/{len(y)} values but there are {n} nodes")
        elif (~np.isfinite(x) | ~np.isfinite(y)).any():
            bad = int((~np.isfinite(x) | ~np.isfinite(y)).sum())
            problems.append(f"{bad} nodes have a missing or non-finite `x`/`y`")
        if len(v) != m or len(w) != m:
            problems.append(f"`u`, `v`, `travel_time` lengths differ ({m}, {len(v)}, {len(w)})")
        else:
            out = int(((u < 0) | (u >= n) | (v < 0) | (v >= n)).sum())
            if out:
                problems.append(f"{out} edges reference a node position outside 0..{n - 1}")
            bad_w = int((~np.isfinite(w) | (w < 0)).sum())
            if bad_w:
                problems.append(
                    f"{bad_w} edges have a missing, negative or infinite `travel_time` "
                    "(expected seconds ≥ 0)"
                )
        if arc_state is not None and len(arc_state) != m:
            problems.append(f"`arc_state` has {len(arc_state)} values but there are {m} edges")
        if problems:
            raise InputError(_problem_message("road network", problems))

        # state codes -> small integers
        if arc_state is None:
            states: tuple[str, ...] = ()
            a_state = np.full(m, -1, dtype=np.int16)
        else:
            codes = pd.Series(arc_state, dtype=object).where(pd.notna(arc_state), None)
            codes = codes.map(lambda c: None if c in (None, "") else str(c))
            cat = pd.Categorical(codes)
            states = tuple(str(c) for c in cat.categories)
            a_state = np.asarray(cat.codes, dtype=np.int16)

        keep = u != v
        u, v, w, a_state = u[keep], v[keep], w[keep], a_state[keep]
        # collapse parallel arcs by MINIMUM time: sort by (u, v, w), keep the first of each (u, v)
        pair = u * n + v
        order = np.lexsort((w, pair))
        pair_s = pair[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = pair_s[1:] != pair_s[:-1]
        sel = order[first]  # sorted by (u, v): already CSR order
        u, v, w, a_state = u[sel], v[sel], w[sel], a_state[sel]
        csr = _csr_from_sorted(u, v, w, n)
        order_t = np.lexsort((u, v))
        csr_t = _csr_from_sorted(v[order_t], u[order_t], w[order_t], n)

        node_state = np.full(n, -1, dtype=np.int16)
        if len(states):
            # first incident arc with a known state (incoming, then outgoing wins)
            known = a_state >= 0
            node_state[v[known]] = a_state[known]
            node_state[u[known]] = a_state[known]

        xy = np.column_stack(_transformer(_crs_string(crs)).transform(x, y))
        return cls(
            node_ids=node_ids,
            xy=xy,
            csr=csr,
            csr_t=csr_t,
            tree=cKDTree(xy),
            arc_state=a_state,
            node_state=node_state,
            states=states,
            key=key,
        )

    @classmethod
    def from_graph(cls, G: nx.MultiDiGraph, *, weight: str = "travel_time") -> RoutingNetwork:
        """Build the routing arrays from an osmnx-compatible graph.

        Parameters
        ----------
        G
            Directed (multi)graph with node ``x``/``y`` in ``G.graph["crs"]`` (default EPSG:4326)
            and edge ``weight`` in seconds; edge ``cve_ent`` (state code), if present, feeds
            route risk.
        weight
            Edge attribute holding the travel time in seconds.

        Returns
        -------
        RoutingNetwork
        """
        arrays = _graph_arrays(G, weight)
        return cls.from_arrays(**arrays, key=_content_key(arrays))

    @classmethod
    def cached(
        cls,
        G: nx.MultiDiGraph | Callable[[], nx.MultiDiGraph],
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        key_extra: str = "",
        weight: str = "travel_time",
        source_key: str | None = None,
    ) -> RoutingNetwork:
        """Return the routing arrays of ``G``, from the disk cache when the inputs are unchanged.

        The cache file ``routing_<key>.npz`` is named by a SHA-256 of the node ids and
        coordinates, the edge ``u``/``v``/travel-time/state arrays, the CRS, ``key_extra``, the
        siting version and the cache format: any change to the network makes a new key. Only
        complete results are written (to a temporary file, then renamed).

        Parameters
        ----------
        G
            Graph, as for :meth:`from_graph`, or a function of no arguments returning it (called
            only if the structures must be built: with ``source_key``, a cache hit then skips
            building the graph).
        cache_dir
            Folder of the cache. Default: ``routing/`` under ``layers.settings.cache_folder``
            (if the ``layers.settings`` module is unavailable, nothing is cached).
        key_extra
            Extra text mixed into the key (e.g. a speed-table version).
        weight
            Edge attribute holding the travel time in seconds.
        source_key
            Optional identity of the graph's content supplied by the caller (e.g. a hash of the
            source file and the speed table). When given, the graph is *not* hashed: the key is
            derived from ``source_key`` (plus ``key_extra``, ``weight``, version), and a cache
            hit does not read ``G`` at all (about 0.7 s saved on the national network). The
            caller vouches that equal ``source_key`` means equal graph.

        Returns
        -------
        RoutingNetwork
            With ``from_cache=True`` when it was loaded from disk.
        """
        t0 = time.perf_counter()
        arrays: dict[str, Any] | None = None

        def _arrays() -> dict[str, Any]:
            return _graph_arrays(G() if callable(G) else G, weight)

        if source_key is None:
            arrays = _arrays()
            key = _content_key(arrays, key_extra)
        else:
            text = f"source={source_key}|{key_extra}|{weight}|{_siting_version()}|{CACHE_FORMAT}"
            key = "s" + hashlib.sha256(text.encode()).hexdigest()[:23]
        folder = _cache_folder(cache_dir)
        if folder is None:
            logger.debug("no cache folder configured; building routing structures")
            return cls.from_arrays(**(arrays or _arrays()), key=key)
        path = folder / f"routing_{key}.npz"
        if path.exists():
            try:
                net = cls._load(path)
            except (OSError, ValueError, KeyError) as exc:
                logger.warning("ignoring unreadable routing cache %r: %s", str(path), exc)
            else:
                logger.info(
                    "reused cached routing structures %r (%.1f s)",
                    str(path),
                    time.perf_counter() - t0,
                )
                return net
        net = cls.from_arrays(**(arrays or _arrays()), key=key)
        net._save(path)
        net = dataclasses.replace(net, cache_file=str(path))
        logger.info(
            "built routing structures (%d nodes, %d arcs) in %.1f s, cached to %r",
            net.n_nodes,
            net.n_arcs,
            time.perf_counter() - t0,
            str(path),
        )
        return net

    # -- cache I/O ------------------------------------------------------------------------------

    def _save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        ids = self.node_ids
        if ids.dtype == object:
            ids = ids.astype(str)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".routing_", suffix=".npz")
        os.close(fd)
        try:
            np.savez(
                tmp,
                node_ids=ids,
                xy=self.xy,
                indptr=self.csr.indptr,
                indices=self.csr.indices,
                data=self.csr.data,
                indptr_t=self.csr_t.indptr,
                indices_t=self.csr_t.indices,
                data_t=self.csr_t.data,
                arc_state=self.arc_state,
                node_state=self.node_state,
                states=np.asarray(self.states, dtype=str),
                key=np.asarray(self.key),
                fmt=np.asarray(CACHE_FORMAT),
            )
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)

    @classmethod
    def _load(cls, path: Path) -> RoutingNetwork:
        with np.load(path, allow_pickle=False) as z:
            if int(z["fmt"]) != CACHE_FORMAT:
                msg = f"cache format {int(z['fmt'])}, expected {CACHE_FORMAT}"
                raise ValueError(msg)
            n = len(z["node_ids"])
            csr = sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=(n, n))
            csr_t = sparse.csr_matrix((z["data_t"], z["indices_t"], z["indptr_t"]), shape=(n, n))
            xy = z["xy"]
            return cls(
                node_ids=z["node_ids"],
                xy=xy,
                csr=csr,
                csr_t=csr_t,
                tree=cKDTree(xy),
                arc_state=z["arc_state"],
                node_state=z["node_state"],
                states=tuple(str(s) for s in z["states"]),
                key=str(z["key"]),
                from_cache=True,
                cache_file=str(path),
            )

    # -- queries ------------------------------------------------------------------------------

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.csr.shape[0])

    @property
    def node_state_codes(self) -> np.ndarray:
        """State code of each node (from its incident arcs' ``cve_ent``), None where unknown."""
        codes = np.array([*self.states, None], dtype=object)
        return codes[self.node_state]

    @property
    def n_arcs(self) -> int:
        """Number of stored arcs (after collapsing parallel edges and dropping self-loops)."""
        return int(self.csr.nnz)

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (CSR, transpose, coordinates, states, KD-tree estimate)."""
        arrays = [
            self.node_ids,
            self.xy,
            self.arc_state,
            self.node_state,
            *(getattr(m, a) for m in (self.csr, self.csr_t) for a in ("data", "indices", "indptr")),
        ]
        tree = self.tree.data.nbytes + self.tree.indices.nbytes
        return int(sum(a.nbytes for a in arrays) + tree)

    @cached_property
    def main(self) -> np.ndarray:
        """Boolean mask of the nodes of the largest strongly connected component.

        Every main node can reach every other; small pieces left outside it (isolated fragments,
        dead-end one-way stubs) can trap a point snapped to them.
        """
        _, label = connected_components(self.csr, directed=True, connection="strong")
        return label == np.argmax(np.bincount(label))

    @cached_property
    def _main_tree(self) -> tuple[np.ndarray, cKDTree]:
        where = np.flatnonzero(self.main)
        return where, cKDTree(self.xy[where])

    def snap(
        self, points: Any, *, crs: Any = None, main_only: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Snap points to their nearest network node.

        Parameters
        ----------
        points
            A GeoDataFrame/GeoSeries of points (any CRS), or an ``(N, 2)`` array-like of
            ``x, y`` coordinates in ``crs``.
        crs
            CRS of an array-like ``points`` (default EPSG:4326, lon/lat). Ignored for
            GeoDataFrame/GeoSeries, which carry their own CRS.
        main_only
            Snap only to nodes of the largest strongly connected component (:attr:`main`);
            its KD-tree is built on first use and kept.

        Returns
        -------
        node_index : numpy.ndarray
            Node position (``0 .. n-1``) of each point, shape ``(N,)``.
        snap_distance_m : numpy.ndarray
            Straight-line distance in metres (EPSG:6372) from each point to its node.

        Notes
        -----
        Large batches (at least :data:`PARALLEL_SNAP_POINTS` points) are queried on all CPU
        cores (``cKDTree.query(workers=-1)``); the result does not depend on it.
        """
        xy = _metric_xy(points, crs)
        if len(xy) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=float)
        workers = -1 if len(xy) >= PARALLEL_SNAP_POINTS else 1
        if main_only:
            where, tree = self._main_tree
            dist, idx = tree.query(xy, workers=workers)
            return where[idx].astype(np.int64), np.asarray(dist, dtype=float)
        dist, idx = self.tree.query(xy, workers=workers)
        return np.asarray(idx, dtype=np.int64), np.asarray(dist, dtype=float)

    def arc_index(self, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
        """Return the position in ``csr.data`` of arcs ``tail → head`` (``-1`` if absent)."""
        tail = np.asarray(tail, dtype=np.int64)
        head = np.asarray(head, dtype=np.int64)
        n = self.n_nodes
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(self.csr.indptr))
        keys = rows * n + self.csr.indices
        want = tail * n + head
        if len(keys) == 0:
            return np.full(len(want), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
        return np.where(keys[pos] == want, pos, -1)


def build_routing(
    G: nx.MultiDiGraph | Callable[[], nx.MultiDiGraph],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    key_extra: str = "",
    weight: str = "travel_time",
    source_key: str | None = None,
) -> RoutingNetwork:
    """Return the :class:`RoutingNetwork` of ``G``, reusing the disk cache when possible.

    Same as :meth:`RoutingNetwork.cached`; check ``.from_cache`` to tell the user whether cached
    routing structures were reused.
    """
    return RoutingNetwork.cached(
        G, cache_dir=cache_dir, key_extra=key_extra, weight=weight, source_key=source_key
    )


def _csr_from_sorted(
    rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n: int
) -> sparse.csr_matrix:
    """CSR matrix from arcs sorted by (row, col) without duplicates (no summing, zeros kept)."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    idx_dtype = np.int32 if max(n, len(cols)) < 2**31 - 1 else np.int64
    return sparse.csr_matrix(
        (data.astype(np.float64), cols.astype(idx_dtype), indptr.astype(idx_dtype)), shape=(n, n)
    )


def _graph_arrays(G: nx.MultiDiGraph, weight: str) -> dict[str, Any]:
    """Extract node and edge arrays from an osmnx-like graph, collecting every problem."""
    problems = []
    if not G.is_directed():
        problems.append("`G` must be a directed graph (osmnx MultiDiGraph); got an undirected one")
    nodes = list(G.nodes)
    if all(isinstance(k, int | np.integer) and not isinstance(k, bool) for k in nodes):
        ids = np.asarray(nodes, dtype=np.int64)
    else:  # e.g. string ids: kept as text (the cache stores them as str)
        ids = np.asarray([str(k) for k in nodes], dtype=object)
    node_data = G.nodes
    x = np.fromiter((node_data[n].get("x", np.nan) for n in nodes), float, len(nodes))
    y = np.fromiter((node_data[n].get("y", np.nan) for n in nodes), float, len(nodes))
    pos = {n: i for i, n in enumerate(nodes)}
    m = G.number_of_edges()
    u = np.empty(m, dtype=np.int64)
    v = np.empty(m, dtype=np.int64)
    w = np.empty(m, dtype=float)
    states: list[Any] = [None] * m
    missing = 0
    any_state = False
    for i, (a, b, d) in enumerate(G.edges(data=True)):
        u[i] = pos[a]
        v[i] = pos[b]
        t = d.get(weight)
        if t is None:
            missing += 1
            w[i] = np.nan
        else:
            w[i] = t
        s = d.get("cve_ent")
        if s is not None:
            states[i] = s
            any_state = True
    if missing:
        problems.append(
            f"{missing} of {m} edges lack `{weight}` (seconds); "
            "add it with osmnx.routing.add_edge_speeds and add_edge_travel_times"
        )
    if problems:
        raise InputError(_problem_message("graph `G`", problems))
    return {
        "node_ids": ids,
        "x": x,
        "y": y,
        "u": u,
        "v": v,
        "travel_time": w,
        "crs": G.graph.get("crs", "EPSG:4326"),
        "arc_state": np.asarray(states, dtype=object) if any_state else None,
    }


def _content_key(arrays: Mapping[str, Any], key_extra: str = "") -> str:
    h = hashlib.sha256()
    for name in ("node_ids", "x", "y", "u", "v", "travel_time"):
        a = np.ascontiguousarray(arrays[name])
        h.update(name.encode())
        if a.dtype == object:
            h.update("\x1f".join(map(str, a)).encode())
        else:
            h.update(str(a.dtype).encode())
            h.update(a.tobytes())
    states = arrays.get("arc_state")
    if states is not None:
        h.update("\x1f".join("" if s is None else str(s) for s in states).encode())
    h.update(_crs_string(arrays.get("crs", "EPSG:4326")).encode())
    h.update(f"|{key_extra}|siting={_siting_version()}|fmt={CACHE_FORMAT}".encode())
    return h.hexdigest()[:24]


def _cache_folder(cache_dir: str | os.PathLike[str] | None) -> Path | None:
    if cache_dir is not None:
        return Path(cache_dir)
    try:
        from siting.layers import settings  # noqa: PLC0415 - optional, may land later
    except ImportError:
        return None
    if hasattr(settings, "cache_path"):
        return Path(settings.cache_path("routing", create=False))
    folder = getattr(settings, "cache_folder", None)
    return None if folder is None else Path(folder).expanduser() / "routing"


def _metric_xy(points: Any, crs: Any) -> np.ndarray:
    if isinstance(points, gpd.GeoDataFrame | gpd.GeoSeries):
        geom = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
        if geom.crs is None:
            msg = "`points` has no CRS; set one (e.g. gdf.set_crs('EPSG:4326'))"
            raise ValueError(msg)
        if len(geom) and not (geom.geom_type == "Point").all():
            kinds = sorted(set(geom.geom_type.dropna()) - {"Point"})
            msg = f"`points` must hold Point geometries; also found {kinds}"
            raise ValueError(msg)
        if geom.is_empty.any() or geom.isna().any():
            msg = "`points` contains empty or missing geometries"
            raise ValueError(msg)
        return geom.to_crs(CRS_METRIC).get_coordinates().to_numpy()
    arr = np.asarray(points, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        msg = f"`points` must be a GeoDataFrame or an (N, 2) array of x, y; got shape {arr.shape}"
        raise ValueError(msg)
    if not np.isfinite(arr).all():
        msg = "`points` coordinates cannot contain nulls or infinities"
        raise ValueError(msg)
    src = _crs_string("EPSG:4326" if crs is None else crs)
    if CRS.from_user_input(src) == CRS.from_user_input(CRS_METRIC):
        return arr
    return np.column_stack(_transformer(src).transform(arr[:, 0], arr[:, 1]))


def _problem_message(what: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{what}: {problems[0]}"
    listed = "\n".join(f"  - {p}" for p in problems)
    return f"{what} has {len(problems)} problems:\n{listed}"


# ---------------------------------------------------------------------------------------------
# searches
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class NearestTargets:
    """Time from every node to its nearest target (result of :func:`nearest_target_times`).

    Attributes
    ----------
    time_s
        Seconds from each node to its nearest target, including the target's access leg;
        ``+inf`` where no target is reachable. Shape ``(n,)``.
    target
        Index (into the targets given) of that nearest target; ``-1`` where unreachable.
    successor
        Next node on the fastest route toward the target (the predecessor in the search on the
        transposed matrix); ``-1`` at a target node and where unreachable.
    """

    time_s: np.ndarray
    target: np.ndarray
    successor: np.ndarray

    @property
    def reachable(self) -> np.ndarray:
        """Boolean mask of nodes that reach a target."""
        return self.target >= 0


def nearest_target_times(
    net: RoutingNetwork,
    target_nodes: Any,
    target_offset_s: Any = None,
) -> NearestTargets:
    """Time from every node to the nearest of several targets, in one Dijkstra pass.

    One multi-source search on the **transposed** matrix (``min_only=True``). A target's access
    leg (``target_offset_s``) is honoured exactly: each target node hangs off an extra source
    node by an arc of that length, so a farther target with a shorter access leg can win.

    Parameters
    ----------
    net
        Routing network.
    target_nodes
        Node position of each target, shape ``(k,)``.
    target_offset_s
        Seconds added at each target (its off-network access leg); default zeros.

    Returns
    -------
    NearestTargets
    """
    nodes = np.asarray(target_nodes, dtype=np.int64)
    n = net.n_nodes
    if nodes.size == 0:
        msg = "`target_nodes` is empty: at least one target is needed"
        raise ValueError(msg)
    if (nodes < 0).any() or (nodes >= n).any():
        msg = f"`target_nodes` must be node positions in 0..{n - 1}"
        raise ValueError(msg)
    offset = np.zeros(len(nodes)) if target_offset_s is None else np.asarray(target_offset_s, float)
    if offset.shape != nodes.shape or not np.isfinite(offset).all() or (offset < 0).any():
        msg = f"`target_offset_s` must be {len(nodes)} finite seconds ≥ 0"
        raise ValueError(msg)
    # per distinct node, the target with the smallest offset (ties: first given)
    order = np.lexsort((np.arange(len(nodes)), offset, nodes))
    first = np.ones(len(order), dtype=bool)
    first[1:] = nodes[order][1:] != nodes[order][:-1]
    best = order[first]
    uniq, uoff = nodes[best], offset[best]
    label_of_node = np.full(n, -1, dtype=np.int64)
    label_of_node[uniq] = best

    if not uoff.any():
        dist, pred, src = dijkstra(net.csr_t, indices=uniq, min_only=True, return_predecessors=True)
        target = np.where(src >= 0, label_of_node[np.maximum(src, 0)], -1)
        succ = np.where(pred >= 0, pred, -1).astype(np.int64)
        return NearestTargets(time_s=dist, target=target, successor=succ)

    # one extra node per distinct target node, n + i -> uniq[i] by an arc of its access leg; a
    # min_only search from the extra nodes labels every node with its winning source directly
    k = len(uniq)
    m = net.csr_t
    idx_dtype = np.int64 if m.indptr[-1] + k >= 2**31 - 1 else m.indptr.dtype
    aug = sparse.csr_matrix(
        (
            np.concatenate([m.data, uoff]),
            np.concatenate([m.indices, uniq]).astype(idx_dtype),
            np.concatenate([m.indptr, m.indptr[-1] + np.arange(1, k + 1)]).astype(idx_dtype),
        ),
        shape=(n + k, n + k),
    )
    dist, pred, src = dijkstra(
        aug, indices=n + np.arange(k), min_only=True, return_predecessors=True
    )
    dist, pred, src = dist[:n], pred[:n], src[:n]
    target = np.where(src >= n, best[np.maximum(src - n, 0)], -1)
    succ = np.where((pred >= 0) & (pred < n), pred, -1).astype(np.int64)
    return NearestTargets(time_s=dist, target=target, successor=succ)


def _tree_accumulate(parent: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum ``value`` along each node's path to its tree root, by pointer jumping.

    ``parent[v] == v`` marks a root. ``value[v]`` is the weight of the arc ``v → parent[v]``.
    Returns ``(root, total)`` per node, in O(n log depth) vectorised steps.
    """
    n = len(parent)
    is_root = parent == np.arange(n)
    anc = parent.astype(np.int64, copy=True)
    acc = np.where(is_root, 0.0, value).astype(float)
    active = np.flatnonzero(~is_root[anc])
    while active.size:
        a = anc[active]
        acc[active] += acc[a]
        anc[active] = anc[a]
        active = active[~is_root[anc[active]]]
    return anc, acc


def route_exposure(
    net: RoutingNetwork, nearest: NearestTargets, state_risk: Mapping[str, float]
) -> np.ndarray:
    """Time-weighted mean risk along each node's fastest route to its nearest target.

    ``risk(v) = Σ_a t_a · r(state_a) / Σ_a t_a`` over the arcs ``a`` of the route from ``v`` to
    the target whose state has a risk value (arcs of unknown state, or of a state missing from
    ``state_risk``, are left out of both sums). For a node that *is* a target (no route), or
    whose route has no arc of known risk and positive time, the risk of the node's own state
    (:attr:`RoutingNetwork.node_state`) is used.

    Parameters
    ----------
    net
        Routing network; its ``arc_state``/``states`` give each arc's state.
    nearest
        Result of :func:`nearest_target_times` on ``net``.
    state_risk
        Risk indicator per state code, e.g. homicides per 100,000 by INEGI ``CVE_ENT``.

    Returns
    -------
    numpy.ndarray
        Risk per node, in the unit of ``state_risk``; NaN where the node reaches no target or
        neither its route nor its own state has a known risk.
    """
    n = net.n_nodes
    risk_of_state = np.array([state_risk.get(s, np.nan) for s in net.states] + [np.nan], float)
    # index -1 (unknown state) maps to the trailing NaN
    succ = nearest.successor
    has = succ >= 0
    tails = np.flatnonzero(has)
    heads = succ[tails]
    arc_t = np.zeros(n)
    arc_r = np.full(n, np.nan)
    arc_t[tails] = nearest.time_s[tails] - nearest.time_s[heads]
    pos = net.arc_index(tails, heads)
    st = np.where(pos >= 0, net.arc_state[np.maximum(pos, 0)], -1)
    arc_r[tails] = risk_of_state[st]
    known = np.isfinite(arc_r)
    parent = np.where(has, succ, np.arange(n))
    _, time_known = _tree_accumulate(parent, np.where(known, arc_t, 0.0))
    _, risk_time = _tree_accumulate(parent, np.where(known, arc_t * arc_r, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(time_known > 0, risk_time / time_known, np.nan)
    own = risk_of_state[net.node_state]
    at_target = nearest.reachable & (time_known == 0)
    out[at_target] = own[at_target]
    out[~nearest.reachable] = np.nan
    return out


def catchment_sum(
    net: RoutingNetwork,
    origin_nodes: Any,
    point_nodes: Any,
    weights: Any,
    limit_s: float,
    *,
    origin_offset_s: Any = None,
    point_offset_s: Any = None,
    direction: str = "to",
    chunk_size: int | None = None,
    progress: ProgressFactory | None = None,
) -> np.ndarray:
    """Sum of point weights reachable within a time budget of each origin (bounded Dijkstra).

    A point ``p`` counts for origin ``o`` when
    ``point_offset_s[p] + t(node_p ↔ node_o) + origin_offset_s[o] <= limit_s``, with ``t`` the
    network time *to* the origin (``direction="to"``, commuters driving to a plant: search on
    ``csr_t``) or *from* it (``"from"``, on ``csr``). Searches run ``limit=limit_s`` on distinct
    origin nodes, ``chunk_size`` at a time.

    Parameters
    ----------
    net
        Routing network.
    origin_nodes
        Node position of each origin, shape ``(k,)``.
    point_nodes
        Node position of each weighted point, shape ``(p,)``.
    weights
        Weight of each point (e.g. population), shape ``(p,)``.
    limit_s
        Time budget in seconds.
    origin_offset_s, point_offset_s
        Access legs in seconds (default zeros).
    direction
        ``"to"`` or ``"from"`` the origin.
    chunk_size
        Origins per Dijkstra call; default :data:`DEFAULT_CATCHMENT_CHUNK`, fewer if the dense
        ``chunk × n`` distance array would exceed :data:`DEFAULT_CATCHMENT_MEMORY_BYTES`.
    progress
        Optional factory such as :class:`tqdm.tqdm`, called as
        ``progress(iterable, total=..., desc=...)``; default silent.

    Returns
    -------
    numpy.ndarray
        Reachable weight per origin, shape ``(k,)``.
    """
    if direction not in ("to", "from"):
        msg = f'`direction` was "{direction}" but is expected to be "to" or "from"'
        raise ValueError(msg)
    if not np.isfinite(limit_s) or limit_s < 0:
        msg = f"`limit_s` must be finite seconds ≥ 0; got {limit_s}"
        raise ValueError(msg)
    origins = np.asarray(origin_nodes, dtype=np.int64)
    pts = np.asarray(point_nodes, dtype=np.int64)
    wts = np.asarray(weights, dtype=float)
    if wts.shape != pts.shape:
        msg = f"`weights` has {wts.size} values but `point_nodes` has {pts.size}"
        raise ValueError(msg)
    o_off = np.zeros(len(origins)) if origin_offset_s is None else np.asarray(origin_offset_s)
    o_off = o_off.astype(float)
    p_off = np.zeros(len(pts)) if point_offset_s is None else np.asarray(point_offset_s, float)
    n = net.n_nodes
    if chunk_size is None:
        by_memory = DEFAULT_CATCHMENT_MEMORY_BYTES // (8 * n)
        chunk_size = int(np.clip(by_memory, 1, DEFAULT_CATCHMENT_CHUNK))
    matrix = net.csr_t if direction == "to" else net.csr
    uniq, inv = np.unique(origins, return_inverse=True)
    out = np.zeros(len(origins))
    starts = range(0, len(uniq), chunk_size)
    chunks: Iterable[int] = starts
    if progress is not None:
        chunks = progress(starts, total=len(starts), desc="labour-pool catchments")
    by_chunk = inv // chunk_size
    for start in chunks:
        block = uniq[start : start + chunk_size]
        dist = dijkstra(matrix, indices=block, limit=limit_s)
        at_points = dist[:, pts] + p_off[None, :]  # (chunk, p)
        sel = np.flatnonzero(by_chunk == start // chunk_size)
        budget = (limit_s - o_off[sel])[:, None]
        out[sel] = (at_points[inv[sel] - start] <= budget) @ wts
    return out


# ---------------------------------------------------------------------------------------------
# criteria
# ---------------------------------------------------------------------------------------------


def _log_far(names: pd.Series, snap_m: np.ndarray, speed_kph: float, what: str) -> None:
    """Log targets lying far (> 2 km) from the network: their access leg weighs on every site."""
    for name, d in zip(names, snap_m, strict=True):
        if d > 2000:
            logger.info(
                "%s %r is %.1f km from the road network (access leg %.0f min at %g km/h)",
                what,
                name,
                d / 1000,
                d / 1000 / speed_kph * 60,
                speed_kph,
            )


def _within(
    gdf: gpd.GeoDataFrame,
    nodes: np.ndarray,
    snap_m: np.ndarray,
    limit: float,
    what: str,
    *,
    all_if_none: bool = True,
) -> tuple[gpd.GeoDataFrame, np.ndarray, np.ndarray, bool]:
    """Keep the points within ``limit`` metres of the network.

    Returns the kept rows, their nodes and snap distances, and whether any point was within the
    limit. With none within it, ``all_if_none`` keeps them all (the searches still run; their
    results must then be marked unreachable) instead of none.
    """
    keep = snap_m <= limit
    if keep.all():
        return gdf, nodes, snap_m, True
    if not keep.any():
        logger.warning("no %s lie within %g km of the road network", what, limit / 1000)
        if all_if_none:
            return gdf, nodes, snap_m, False
    logger.info(
        "%d of %d %s are more than %g km from the road network and are left out",
        int((~keep).sum()), len(gdf), what, limit / 1000,
    )  # fmt: skip
    return gdf[keep], nodes[keep], snap_m[keep], True


def network_criteria(
    sites: gpd.GeoDataFrame,
    net: RoutingNetwork,
    *,
    crossings: gpd.GeoDataFrame,
    seaports: gpd.GeoDataFrame,
    population: gpd.GeoDataFrame,
    state_risk: Mapping[str, float],
    commute_min: float = 45.0,
    access_speed_kph: float = DEFAULT_ACCESS_SPEED_KPH,
    tau_min: float = DEFAULT_TAU_MIN,
    crossing_name: str = "port_name",
    crossing_weight: str = "trucks",
    seaport_name: str = "name",
    population_col: str = "population",
    snap_to_main: bool = True,
    max_snap_m: float | None = None,
    chunk_size: int | None = None,
    progress: ProgressFactory | None = None,
) -> pd.DataFrame:
    """Measure the road-network criteria of each site.

    Every time includes the off-network access legs (snap distance at ``access_speed_kph``) at
    both ends. By default every point (sites, crossings, seaports, population) snaps to the
    main network (largest strongly connected component, :attr:`RoutingNetwork.main`): a site
    next to an isolated fragment of the road data gets a longer access leg rather than being
    declared unreachable by a data artefact; ``snap_m`` shows the distance, so the scorer can
    flag large values.

    Columns
    -------
    ``snap_m``
        Metres from the site to its network node (EPSG:6372).
    ``reachable``
        True if the site reaches at least one commercial crossing. **Rows with False must be
        excluded or flagged by the scorer**: their ``crossing_drive_min`` is ``+inf`` and their
        ``route_risk`` NaN. (With ``snap_to_main=True`` every site and crossing sits on the
        main network, so False arises only with ``snap_to_main=False`` or ``max_snap_m``.)
    ``crossing_drive_min``, ``nearest_crossing``
        Truck minutes to the nearest crossing (one multi-source Dijkstra on the transposed
        matrix) and its ``crossing_name`` (missing, NA, if unreachable).
    ``crossing_access``
        Volume-weighted crossing access ``Σ_c trucks_c · exp(−t_c / τ)`` over the reachable
        crossings ``c``, with ``t_c`` the drive minutes to ``c`` and ``τ = tau_min`` (default
        240 min: a crossing 4 h away counts 37 % of its trucks, 8 h away 14 %). Unit: trucks/yr.
    ``seaport_drive_min``, ``nearest_seaport``
        Same for the seaports (``+inf`` / NA if none is reachable).
    ``labor_pool``
        Population whose point reaches the site within ``commute_min`` minutes (home access
        leg + network time *to* the site + site access leg).
    ``route_risk``
        Time-weighted mean of ``state_risk`` along the fastest route to the nearest crossing
        (see :func:`route_exposure`); NaN if unreachable or the network carries no states.

    Parameters
    ----------
    sites
        Candidate sites (points, any CRS).
    net
        Routing network.
    crossings
        Commercial crossings (points) with columns ``crossing_name`` and ``crossing_weight``,
        e.g. :func:`layers.crossings.commercial_crossings`.
    seaports
        Seaports (points) with a ``seaport_name`` column, e.g. :func:`layers.transport.seaports`.
    population
        Population points with ``population_col``, e.g. :func:`layers.labor.population_points`.
    state_risk
        Risk indicator by state code, e.g. homicide rate per 100k by ``CVE_ENT``.
    commute_min
        Commute budget of the labour pool, minutes.
    access_speed_kph
        Speed of the off-network access legs.
    tau_min
        Decay time of ``crossing_access``, minutes.
    crossing_name, crossing_weight, seaport_name, population_col
        Column names in the inputs.
    snap_to_main
        Snap to the main network (default) or, if False, to the nearest node of any piece.
    max_snap_m
        Points farther than this from the network are off it: such a site is unreachable (drive
        times ``inf``, ``crossing_access`` and ``labor_pool`` 0, names NA); such crossings,
        seaports and population points are left out. If no crossing (seaport) is left, every
        site is unreachable (has no seaport). None (default): no limit.
    chunk_size
        Sites per bounded search (see :func:`catchment_sum`).
    progress
        Optional progress-bar factory (e.g. ``tqdm.tqdm``); the library is silent by default.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``sites``.
    """
    problems = []
    for name, val in (
        ("commute_min", commute_min),
        ("access_speed_kph", access_speed_kph),
        ("tau_min", tau_min),
    ):
        if not (np.isfinite(val) and val > 0):
            problems.append(f"`{name}` must be a positive number; got {val!r}")
    for name, gdf, cols in (
        ("crossings", crossings, [crossing_name, crossing_weight]),
        ("seaports", seaports, [seaport_name]),
        ("population", population, [population_col]),
    ):
        missing = [c for c in cols if c not in gdf.columns]
        if missing:
            problems.append(f"`{name}` lacks column(s) {missing}")
        elif len(gdf) == 0 and name != "population":
            problems.append(f"`{name}` is empty")
    if problems:
        raise ValueError(_problem_message("network_criteria", problems))

    speed = access_speed_kph / 3.6  # m/s
    limit = np.inf if max_snap_m is None else float(max_snap_m)
    t0 = time.perf_counter()
    site_nodes, snap_m = net.snap(sites, main_only=snap_to_main)
    site_acc = snap_m / speed
    out = pd.DataFrame(index=sites.index)
    out["snap_m"] = snap_m

    # nearest crossing: one multi-source pass on the transposed matrix
    c_nodes, c_snap = net.snap(crossings, main_only=snap_to_main)
    crossings, c_nodes, c_snap, any_crossing = _within(
        crossings, c_nodes, c_snap, limit, "crossings"
    )
    c_acc = c_snap / speed
    _log_far(crossings[crossing_name], c_snap, access_speed_kph, "crossing")
    near = nearest_target_times(net, c_nodes, c_acc)
    t_cross = near.time_s[site_nodes] + site_acc
    c_idx = near.target[site_nodes]
    names = crossings[crossing_name].to_numpy(dtype=object)
    out["reachable"] = c_idx >= 0
    out["crossing_drive_min"] = t_cross / 60.0
    out["nearest_crossing"] = np.where(c_idx >= 0, names[np.maximum(c_idx, 0)], None)
    logger.debug("nearest-crossing surface in %.2f s", time.perf_counter() - t0)

    # volume-weighted access: one search per distinct crossing node
    trucks = crossings[crossing_weight].to_numpy(dtype=float)
    access = np.zeros(len(site_nodes))
    uniq_c, inv_c = np.unique(c_nodes, return_inverse=True)
    per_call = int(np.clip(DEFAULT_CATCHMENT_MEMORY_BYTES // (8 * net.n_nodes), 1, 16))
    starts = range(0, len(uniq_c), per_call)
    loop: Iterable[int] = starts
    if progress is not None:
        loop = progress(starts, total=len(starts), desc="crossing access")
    for start in loop:
        block = uniq_c[start : start + per_call]
        d = dijkstra(net.csr_t, indices=block)[:, site_nodes]  # (block, sites) seconds
        for j in np.flatnonzero((inv_c >= start) & (inv_c < start + len(block))):
            t_min = (d[inv_c[j] - start] + c_acc[j] + site_acc) / 60.0
            access += trucks[j] * np.exp(-t_min / tau_min)
    out["crossing_access"] = access

    # seaports
    s_nodes, s_snap = net.snap(seaports, main_only=snap_to_main)
    seaports, s_nodes, s_snap, any_seaport = _within(seaports, s_nodes, s_snap, limit, "seaports")
    _log_far(seaports[seaport_name], s_snap, access_speed_kph, "seaport")
    near_s = nearest_target_times(net, s_nodes, s_snap / speed)
    s_idx = near_s.target[site_nodes]
    s_names = seaports[seaport_name].to_numpy(dtype=object)
    out["seaport_drive_min"] = (near_s.time_s[site_nodes] + site_acc) / 60.0
    out["nearest_seaport"] = np.where(s_idx >= 0, s_names[np.maximum(s_idx, 0)], None)

    # labour pool within the commute
    p_nodes, p_snap = net.snap(population, main_only=snap_to_main)
    population, p_nodes, p_snap, _ = _within(
        population, p_nodes, p_snap, limit, "population points", all_if_none=False
    )
    if len(population):
        out["labor_pool"] = catchment_sum(
            net,
            site_nodes,
            p_nodes,
            population[population_col].to_numpy(dtype=float),
            commute_min * 60.0,
            origin_offset_s=site_acc,
            point_offset_s=p_snap / speed,
            direction="to",
            chunk_size=chunk_size,
            progress=progress,
        )
    else:
        out["labor_pool"] = 0.0

    # security exposure on the route to the nearest crossing
    out["route_risk"] = route_exposure(net, near, state_risk)[site_nodes]

    if max_snap_m is not None:  # off the network, or nothing on it to reach
        on = snap_m <= limit
        reach = out["reachable"].to_numpy(dtype=bool) & on & any_crossing
        port = reach & any_seaport
        out["reachable"] = reach
        out["crossing_drive_min"] = np.where(reach, out["crossing_drive_min"], np.inf)
        out["crossing_access"] = np.where(reach, out["crossing_access"], 0.0)
        out["seaport_drive_min"] = np.where(port, out["seaport_drive_min"], np.inf)
        out["labor_pool"] = np.where(on, out["labor_pool"], 0.0)
        out["route_risk"] = np.where(reach, out["route_risk"], np.nan)
        out["nearest_crossing"] = np.where(reach, out["nearest_crossing"], None)
        out["nearest_seaport"] = np.where(port, out["nearest_seaport"], None)
    n_unreach = int((~out["reachable"]).sum())
    if n_unreach:
        logger.warning("%d of %d sites reach no commercial crossing", n_unreach, len(out))
    logger.info(
        "network criteria for %d sites on %d nodes in %.1f s",
        len(out),
        net.n_nodes,
        time.perf_counter() - t0,
    )
    return out
