"""The routing structure of a road network: :class:`RoutingNetwork`.

A road network arrives as an osmnx-compatible :class:`networkx.MultiDiGraph` (node ``x``/``y``,
edge ``travel_time`` in seconds, optionally edge ``cve_ent`` = INEGI state code) or as plain
arrays, and is converted once into a :class:`RoutingNetwork`: the CSR travel-time matrix and its
transpose (built by :func:`siting.layers._graph.arc_matrix`, the builder that
:func:`siting.layers.roads.weight_matrix` uses too), a KD-tree of the nodes in EPSG:6372 and the
state of every arc and node. It snaps points to nodes, finds the main (largest strongly
connected) component and locates arcs. The searches on it are in :mod:`siting.routing.search`,
its disk cache in :mod:`siting.routing.cache`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from siting._errors import InputError
from siting.layers import CRS_GEO, CRS_METRIC
from siting.layers._graph import arc_matrix, csr_from_sorted
from siting.routing import cache

__all__ = ["PARALLEL_SNAP_POINTS", "RoutingNetwork"]

#: Snap batches at least this large are queried on every CPU core.
PARALLEL_SNAP_POINTS = 4096

logger = logging.getLogger(__name__)


@functools.cache
def _transformer(crs_from: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(crs_from), CRS_METRIC, always_xy=True)


@dataclass(frozen=True, eq=False)
class RoutingNetwork:
    """Routing arrays of one road network, built once and reused (see the module docstring).

    Build it with :meth:`from_graph`, :meth:`from_arrays` or, with a disk cache, :meth:`cached`.
    Node *positions* ``0 .. n-1`` index every array; ``node_ids`` maps a position back to the
    graph's node id.

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
        crs: Any = CRS_GEO,
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

        # self-loops dropped, parallel arcs collapsed by MINIMUM time, CSR order (by u, then v)
        csr, sel = arc_matrix(u, v, w, n)
        u, v, w, a_state = u[sel], v[sel], w[sel], a_state[sel]
        order_t = np.lexsort((u, v))
        csr_t = csr_from_sorted(v[order_t], u[order_t], w[order_t], n)

        node_state = np.full(n, -1, dtype=np.int16)
        if len(states):
            # first incident arc with a known state (incoming, then outgoing wins)
            known = a_state >= 0
            node_state[v[known]] = a_state[known]
            node_state[u[known]] = a_state[known]

        xy = np.column_stack(_transformer(cache.crs_string(crs)).transform(x, y))
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
            With ``key`` = the content key the disk cache would use.
        """
        arrays = _graph_arrays(G, weight)
        return cls.from_arrays(**arrays, key=cache.content_key(arrays))

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
        siting version and the cache format: any change to the network makes a new key. The
        file is verified before use (format, a checksum of the arrays, shapes, key); a damaged
        one is rebuilt and replaced, with one warning. Only complete results are written (to a
        temporary file, then renamed); if the cache cannot be written (read-only folder, disk
        full), the result is used from memory, with one warning. The cache itself is
        :mod:`siting.routing.cache`.

        Parameters
        ----------
        G
            Graph, as for :meth:`from_graph`, or a function of no arguments returning it (called
            only if the structures must be built: with ``source_key``, a cache hit then skips
            building the graph).
        cache_dir
            Folder of the cache. Default: ``routing/`` under
            ``siting.layers.settings.cache_folder``.
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
            With ``from_cache=True`` when it was loaded from disk (tell the user that cached
            structures were reused) and ``cache_file`` set (None if it could not be written).
        """
        t0 = time.perf_counter()
        arrays: dict[str, Any] | None = None

        def _arrays() -> dict[str, Any]:
            return _graph_arrays(G() if callable(G) else G, weight)

        if source_key is None:
            arrays = _arrays()
            key = cache.content_key(arrays, key_extra)
        else:
            key = cache.source_cache_key(source_key, key_extra, weight)
        folder = cache.cache_folder(cache_dir)
        path = folder / f"routing_{key}.npz"
        cache.remove_stale_temp_files(folder)
        try:
            fields = cache.load(path, key=key)
        except cache.CacheDamagedError as exc:
            logger.warning(
                "routing cache %r is damaged or unreadable (%s); rebuilding it", str(path), exc
            )
            fields = None
        if fields is not None:
            logger.info(
                "reused cached routing structures %r (%.1f s)", str(path), time.perf_counter() - t0
            )
            tree = cKDTree(fields["xy"])
            return cls(**fields, tree=tree, from_cache=True, cache_file=str(path))
        net = cls.from_arrays(**(arrays or _arrays()), key=key)
        if not cache.try_save(net, path):  # warned: continuing in memory
            return net
        logger.info(
            "built routing structures (%d nodes, %d arcs) in %.1f s, cached to %r",
            net.n_nodes,
            net.n_arcs,
            time.perf_counter() - t0,
            str(path),
        )
        return dataclasses.replace(net, cache_file=str(path))

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
        "crs": G.graph.get("crs", CRS_GEO),
        "arc_state": np.asarray(states, dtype=object) if any_state else None,
    }


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
    src = cache.crs_string(CRS_GEO if crs is None else crs)
    if CRS.from_user_input(src) == CRS.from_user_input(CRS_METRIC):
        return arr
    return np.column_stack(_transformer(src).transform(arr[:, 0], arr[:, 1]))


def _problem_message(what: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{what}: {problems[0]}"
    listed = "\n".join(f"  - {p}" for p in problems)
    return f"{what} has {len(problems)} problems:\n{listed}"
