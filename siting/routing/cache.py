"""On-disk cache of :class:`~siting.routing.engine.RoutingNetwork` structures.

Building the routing arrays of the national network takes about a second; a run reuses them from
``routing_<key>.npz`` in the cache folder (default ``routing/`` under
``siting.layers.settings.cache_folder``). The key is a content hash of the network's arrays
(:func:`content_key`) or, when the caller vouches for the graph's identity, of a ``source_key``
(:func:`source_cache_key`); both mix in the siting version
(:func:`siting.layers._data.package_version`) and :data:`CACHE_FORMAT`. Only complete files are
written (a temporary file, then renamed); an unreadable file is ignored and rebuilt.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from siting.layers import settings
from siting.layers._data import package_version
from siting.routing.engine import RoutingNetwork, _crs_string, _graph_arrays

__all__ = [
    "CACHE_FORMAT",
    "cache_folder",
    "cached_network",
    "content_key",
    "load",
    "save",
    "source_cache_key",
]

logger = logging.getLogger(__name__)

#: Bumped when the on-disk cache layout or the build algorithm changes.
CACHE_FORMAT = 1


def cached_network(
    G: nx.MultiDiGraph | Callable[[], nx.MultiDiGraph],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    key_extra: str = "",
    weight: str = "travel_time",
    source_key: str | None = None,
) -> RoutingNetwork:
    """Return the routing arrays of ``G``, from the disk cache when the inputs are unchanged.

    The implementation of :meth:`RoutingNetwork.cached`, which documents the parameters: the key
    is :func:`content_key` of the graph's arrays or, with ``source_key``, :func:`source_cache_key`
    (then a cache hit does not read ``G``); the file is ``routing_<key>.npz`` in
    :func:`cache_folder`.
    """
    t0 = time.perf_counter()
    arrays: dict[str, Any] | None = None

    def _arrays() -> dict[str, Any]:
        return _graph_arrays(G() if callable(G) else G, weight)

    if source_key is None:
        arrays = _arrays()
        key = content_key(arrays, key_extra)
    else:
        key = source_cache_key(source_key, key_extra, weight)
    path = cache_folder(cache_dir) / f"routing_{key}.npz"
    if path.exists():
        try:
            net = load(path)
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("ignoring unreadable routing cache %r: %s", str(path), exc)
        else:
            logger.info(
                "reused cached routing structures %r (%.1f s)",
                str(path),
                time.perf_counter() - t0,
            )
            return net
    net = RoutingNetwork.from_arrays(**(arrays or _arrays()), key=key)
    save(net, path)
    net = dataclasses.replace(net, cache_file=str(path))
    logger.info(
        "built routing structures (%d nodes, %d arcs) in %.1f s, cached to %r",
        net.n_nodes,
        net.n_arcs,
        time.perf_counter() - t0,
        str(path),
    )
    return net


def content_key(arrays: Mapping[str, Any], key_extra: str = "") -> str:
    """Return the cache key of a network's arrays (as from ``_graph_arrays``): 24 hex digits."""
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
    h.update(f"|{key_extra}|siting={package_version()}|fmt={CACHE_FORMAT}".encode())
    return h.hexdigest()[:24]


def source_cache_key(source_key: str, key_extra: str = "", weight: str = "travel_time") -> str:
    """Return the cache key of a network identified by the caller's ``source_key``."""
    text = f"source={source_key}|{key_extra}|{weight}|{package_version()}|{CACHE_FORMAT}"
    return "s" + hashlib.sha256(text.encode()).hexdigest()[:23]


def cache_folder(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return ``cache_dir``, or by default ``routing/`` under the siting cache folder."""
    if cache_dir is not None:
        return Path(cache_dir)
    return settings.cache_path("routing", create=False)


def save(net: RoutingNetwork, path: Path) -> None:
    """Write the arrays of ``net`` to ``path`` (``.npz``), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = net.node_ids
    if ids.dtype == object:
        ids = ids.astype(str)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".routing_", suffix=".npz")
    os.close(fd)
    try:
        np.savez(
            tmp,
            node_ids=ids,
            xy=net.xy,
            indptr=net.csr.indptr,
            indices=net.csr.indices,
            data=net.csr.data,
            indptr_t=net.csr_t.indptr,
            indices_t=net.csr_t.indices,
            data_t=net.csr_t.data,
            arc_state=net.arc_state,
            node_state=net.node_state,
            states=np.asarray(net.states, dtype=str),
            key=np.asarray(net.key),
            fmt=np.asarray(CACHE_FORMAT),
        )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def load(path: Path) -> RoutingNetwork:
    """Read a network written by :func:`save`; raise ValueError if its format is outdated."""
    with np.load(path, allow_pickle=False) as z:
        if int(z["fmt"]) != CACHE_FORMAT:
            msg = f"cache format {int(z['fmt'])}, expected {CACHE_FORMAT}"
            raise ValueError(msg)
        n = len(z["node_ids"])
        csr = sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=(n, n))
        csr_t = sparse.csr_matrix((z["data_t"], z["indices_t"], z["indptr_t"]), shape=(n, n))
        xy = z["xy"]
        return RoutingNetwork(
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
