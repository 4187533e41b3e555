"""On-disk cache of the routing arrays (:meth:`siting.routing.RoutingNetwork.cached`).

Building the routing arrays of the national network takes about a second; a run reuses them from
``routing_<key>.npz`` in the cache folder (default ``routing/`` under
``siting.layers.settings.cache_folder``). The key is a content hash of the network's arrays
(:func:`content_key`) or, when the caller vouches for the graph's identity, of a ``source_key``
(:func:`source_cache_key`); both mix in the siting version
(:func:`siting.layers._data.package_version`) and :data:`CACHE_FORMAT`. Only complete files are
written (a temporary file, then renamed); an unreadable file is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS
from scipy import sparse

from siting.layers import settings
from siting.layers._data import CRS_GEO, package_version

__all__ = [
    "CACHE_FORMAT",
    "cache_folder",
    "content_key",
    "crs_string",
    "load",
    "save",
    "source_cache_key",
]

logger = logging.getLogger(__name__)

#: Bumped when the on-disk cache layout or the build algorithm changes.
CACHE_FORMAT = 1


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
    h.update(crs_string(arrays.get("crs", CRS_GEO)).encode())
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


def save(net: Any, path: Path) -> None:
    """Write the arrays of a ``RoutingNetwork`` to ``path`` (``.npz``), atomically."""
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


def load(path: Path) -> dict[str, Any]:
    """Read the arrays written by :func:`save` (``RoutingNetwork`` fields, without the tree).

    Raises
    ------
    ValueError
        If the file's cache format is outdated.
    """
    with np.load(path, allow_pickle=False) as z:
        if int(z["fmt"]) != CACHE_FORMAT:
            msg = f"cache format {int(z['fmt'])}, expected {CACHE_FORMAT}"
            raise ValueError(msg)
        n = len(z["node_ids"])
        return {
            "node_ids": z["node_ids"],
            "xy": z["xy"],
            "csr": sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=(n, n)),
            "csr_t": sparse.csr_matrix((z["data_t"], z["indices_t"], z["indptr_t"]), shape=(n, n)),
            "arc_state": z["arc_state"],
            "node_state": z["node_state"],
            "states": tuple(str(s) for s in z["states"]),
            "key": str(z["key"]),
        }


def crs_string(crs: Any) -> str:
    """Return ``crs`` (anything pyproj accepts) as its canonical text, e.g. ``"EPSG:4326"``."""
    return CRS.from_user_input(crs).to_string()
