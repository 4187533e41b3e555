"""On-disk cache of the routing arrays (:meth:`siting.routing.RoutingNetwork.cached`).

Building the routing arrays of the national network takes about a second; a run reuses them from
``routing_<key>.npz`` in the cache folder (default ``routing/`` under
``siting.layers.settings.cache_folder``). The key is a content hash of the network's arrays
(:func:`content_key`) or, when the caller vouches for the graph's identity, of a ``source_key``
(:func:`source_cache_key`); both mix in the siting version
(:func:`siting.layers._data.package_version`) and :data:`CACHE_FORMAT`.

The file is verified before use (:func:`load`): it must be a zip archive holding the format
number :data:`CACHE_FORMAT`, every array, a SHA-256 of the arrays that matches them (about 6 ms
on the national network), consistent shapes and the key of its name; anything else raises
:class:`CacheDamagedError` and the caller rebuilds it. Only complete files are written: to a
temporary file ``.routing_<pid>_<random>.npz.tmp`` beside the target, then renamed
(:func:`save`); temporary files of killed runs are removed by :func:`remove_stale_temp_files`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pyproj import CRS
from scipy import sparse

from siting.layers import settings
from siting.layers._data import CRS_GEO, package_version

__all__ = [
    "CACHE_FORMAT",
    "CacheDamagedError",
    "cache_folder",
    "content_key",
    "crs_string",
    "load",
    "remove_stale_temp_files",
    "save",
    "source_cache_key",
    "try_save",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Bumped when the on-disk cache layout or the build algorithm changes.
#: 2: a SHA-256 of the arrays (member ``sha256``), temporary files named with the process id.
CACHE_FORMAT = 2

#: Kind of the temporary files (``.routing_<pid>_<random>.npz.tmp``).
TEMP_KIND = "routing"

# arrays of a cache file, in the order of its checksum
_ARRAYS = (
    "node_ids",
    "xy",
    "indptr",
    "indices",
    "data",
    "indptr_t",
    "indices_t",
    "data_t",
    "arc_state",
    "node_state",
    "states",
    "key",
)

# what reading a damaged .npz raises (a truncated, empty, CRC-damaged or foreign file)
_READ_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    OSError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
)

_ZIP_MAGIC = b"PK\x03\x04"


class CacheDamagedError(ValueError):
    """A routing cache file is damaged, unreadable or of another format; it must be rebuilt."""


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
    """Write the arrays of a ``RoutingNetwork`` and their SHA-256 to ``path`` (``.npz``).

    Atomic (:func:`write_npz`): written to a temporary file beside ``path`` (removed on any
    failure), then renamed over ``path`` (replacing a damaged file).

    Raises
    ------
    OSError
        If the file cannot be written (read-only or missing folder, a file in the folder's
        place, disk full). The caller carries on without the cache.
    """
    ids = net.node_ids
    if ids.dtype == object:
        ids = ids.astype(str)
    arrays = {
        "node_ids": ids,
        "xy": net.xy,
        "indptr": net.csr.indptr,
        "indices": net.csr.indices,
        "data": net.csr.data,
        "indptr_t": net.csr_t.indptr,
        "indices_t": net.csr_t.indices,
        "data_t": net.csr_t.data,
        "arc_state": net.arc_state,
        "node_state": net.node_state,
        "states": np.asarray(net.states, dtype=str),
        "key": np.asarray(net.key),
    }
    arrays = {name: np.asarray(a) for name, a in arrays.items()}
    write_npz(path, arrays, CACHE_FORMAT, TEMP_KIND)


def write_npz(
    path: Path,
    arrays: Mapping[str, np.ndarray],
    fmt: int,
    kind: str,
    members: Mapping[str, np.ndarray] | None = None,
) -> None:
    """Write ``arrays``, their SHA-256 (:func:`_digest`), ``fmt`` and ``members`` to ``path``.

    An ``.npz`` that :func:`checked_arrays` verifies, written atomically
    (:func:`siting.layers.settings.write_atomic`, temporary files of ``kind``); ``members``
    are stored without checksum. Raises ``OSError`` if it cannot be written.
    """
    names = list(arrays)
    settings.write_atomic(
        path,
        kind,
        lambda f: np.savez(  # a file object: np.savez would append ".npz" to a name
            f,
            **arrays,
            **(members or {}),
            sha256=np.asarray(_digest(arrays, names)),
            fmt=np.asarray(fmt),
        ),
    )


def try_save(net: Any, path: Path) -> bool:
    """:func:`save`, or log one warning and return False if the cache cannot be written."""
    return settings.try_cache_write(path, lambda: save(net, path), "routing cache")


def load(path: Path, *, key: str | None = None) -> dict[str, Any] | None:
    """Read and verify the arrays written by :func:`save` (``RoutingNetwork`` fields, no tree).

    Parameters
    ----------
    path
        The cache file.
    key
        The key the file must hold (the one in its name); None: not checked.

    Returns
    -------
    dict or None
        None if there is no such file (or its folder is missing or is a file).

    Raises
    ------
    CacheDamagedError
        If the file is not a complete cache of this format: not a zip archive, truncated, a
        member failing its CRC, another :data:`CACHE_FORMAT`, a missing array, arrays not
        matching their SHA-256, inconsistent shapes, another key; or it cannot be read.
    """
    return read_npz(path, lambda z: _verified(z, key))


def read_npz(path: Path, verify: Callable[[Any], T]) -> T | None:
    """Open the ``.npz`` cache file ``path`` and return ``verify(z)`` of the open archive.

    None if there is no such file (or its folder is missing or is a file). Whatever shows the
    file damaged (not a zip archive, truncated, a member failing its CRC, unreadable) raises
    :class:`CacheDamagedError`, as does ``verify``. The road-shape cache of
    :mod:`siting.whyhere` reads its files with it too.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(len(_ZIP_MAGIC))
            if head != _ZIP_MAGIC:
                what = "an empty file" if not head else "not a zip archive"
                msg = f"{what}, expected a numpy .npz archive"
                raise CacheDamagedError(msg)
            f.seek(0)
            with np.load(f, allow_pickle=False) as z:
                return verify(z)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except CacheDamagedError:
        raise
    except _READ_ERRORS as exc:
        msg = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise CacheDamagedError(msg) from exc


def checked_arrays(
    z: Any, names: Sequence[str], fmt: int, members: Sequence[str] = ()
) -> dict[str, np.ndarray]:
    """Return the arrays ``names`` of an open ``.npz`` once its format and checksum are right.

    The archive must hold the format number ``fmt`` (member ``fmt``), every array of ``names``
    and of ``members`` (other members the caller reads) and ``sha256``, the :func:`_digest` of
    the ``names`` arrays; else :class:`CacheDamagedError` says which is wrong.
    """
    if "fmt" not in z.files:
        msg = "no format number (member 'fmt')"
        raise CacheDamagedError(msg)
    found = z["fmt"]
    if found.shape != () or found.dtype.kind not in "iu" or int(found) != fmt:
        msg = f"cache format {found.tolist()!r}, expected {fmt}"
        raise CacheDamagedError(msg)
    missing = [name for name in (*names, *members, "sha256") if name not in z.files]
    if missing:
        msg = f"missing array(s) {missing}"
        raise CacheDamagedError(msg)
    a = {name: z[name] for name in names}
    if str(z["sha256"]) != _digest(a, names):
        msg = "the arrays do not match their SHA-256 checksum"
        raise CacheDamagedError(msg)
    return a


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove the temporary files that killed runs left in the routing cache ``folder``.

    See :func:`siting.layers.settings.remove_stale_temp_files`: files of processes that no longer
    run, or older than a day; never raises.
    """
    return settings.remove_stale_temp_files(folder, TEMP_KIND)


def _digest(arrays: Mapping[str, np.ndarray], names: Sequence[str] = _ARRAYS) -> str:
    """Return the SHA-256 of the cache arrays ``names``: names, dtypes, shapes and bytes.

    Other caches of arrays (the road shapes of :mod:`siting.whyhere`) checksum theirs with it.
    """
    h = hashlib.sha256()
    for name in names:
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _verified(z: Any, key: str | None) -> dict[str, Any]:
    """Return the ``RoutingNetwork`` fields of an open ``.npz``, or raise CacheDamagedError."""
    a = checked_arrays(z, _ARRAYS, CACHE_FORMAT)
    problems = _shape_problems(a)
    if problems:
        msg = "inconsistent arrays: " + "; ".join(problems)
        raise CacheDamagedError(msg)
    if key is not None and str(a["key"]) != key:
        msg = f"it holds the arrays of key {str(a['key'])!r}, expected {key!r}"
        raise CacheDamagedError(msg)
    n = len(a["node_ids"])
    return {
        "node_ids": a["node_ids"],
        "xy": a["xy"],
        "csr": sparse.csr_matrix((a["data"], a["indices"], a["indptr"]), shape=(n, n)),
        "csr_t": sparse.csr_matrix((a["data_t"], a["indices_t"], a["indptr_t"]), shape=(n, n)),
        "arc_state": a["arc_state"],
        "node_state": a["node_state"],
        "states": tuple(str(s) for s in a["states"]),
        "key": str(a["key"]),
    }


def _shape_problems(a: Mapping[str, np.ndarray]) -> list[str]:
    """Return what is inconsistent between the shapes of the cache arrays."""
    if a["node_ids"].ndim != 1:
        return [f"node_ids has shape {a['node_ids'].shape}, expected (n,)"]
    n = len(a["node_ids"])
    expected: dict[str, tuple[int, ...]] = {
        "xy": (n, 2),
        "node_state": (n,),
        "indptr": (n + 1,),
        "indptr_t": (n + 1,),
        "indices": a["data"].shape,
        "indices_t": a["data_t"].shape,
        "arc_state": a["data"].shape,
        "states": (len(a["states"]),) if a["states"].ndim == 1 else (-1,),
        "key": (),
    }
    problems = [
        f"{name} has shape {a[name].shape}, expected {shape}"
        for name, shape in expected.items()
        if a[name].shape != shape
    ]
    for suffix in ("", "_t"):
        indptr, data = a["indptr" + suffix], a["data" + suffix]
        if not problems and (data.ndim != 1 or indptr[0] != 0 or indptr[-1] != len(data)):
            problems.append(f"indptr{suffix} does not span data{suffix}")
    return problems


def crs_string(crs: Any) -> str:
    """Return ``crs`` (anything pyproj accepts) as its canonical text, e.g. ``"EPSG:4326"``."""
    return CRS.from_user_input(crs).to_string()
