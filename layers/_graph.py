"""Sparse weight matrices of road graphs: the one builder behind roads and routing.

:func:`arc_matrix` turns arcs ``u → v`` with weights into a SciPy CSR matrix, row = tail node,
column = head node, as :mod:`scipy.sparse.csgraph` expects:

* parallel arcs are collapsed to the **smallest** weight (``scipy.sparse`` would otherwise *sum*
  duplicate entries);
* self-loops are dropped (with weights ≥ 0 they never shorten a route);
* zero weights are kept as **explicit zeros**. ``scipy.sparse.csgraph`` reads a stored entry as
  an edge whatever its value ("for sparse array representations, non-edges are represented by
  non-entries in the matrix. This sort of sparse representation also allows for edges with zero
  weights": the ``scipy.sparse.csgraph`` module documentation), so a zero-time arc is a free
  arc, not a missing one. Do not combine such a matrix with sparse arithmetic (``A + B``,
  ``A.multiply``), which drops stored zeros.

Used by :func:`siting.layers.roads.weight_matrix` and by ``siting.routing``; it lives here
because ``siting.layers`` imports nothing else of ``siting``.

Examples
--------
>>> import numpy as np
>>> from scipy.sparse.csgraph import dijkstra
>>> u, v, w = np.array([0, 0, 1, 2]), np.array([1, 1, 2, 2]), np.array([5.0, 0.0, 4.0, 1.0])
>>> mat, kept = arc_matrix(u, v, w, 3)  # 0 → 1 twice (5 s and 0 s), 1 → 2, a self-loop at 2
>>> kept.tolist(), mat.nnz, mat.data.tolist()
([1, 2], 2, [0.0, 4.0])
>>> dijkstra(mat, indices=0).tolist()  # the stored zero is an arc
[0.0, 0.0, 4.0]
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["arc_matrix", "collapse_arcs", "csr_from_sorted"]


def collapse_arcs(u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """Return the positions of the arcs to keep, sorted by ``(u, v)``.

    Self-loops are dropped; of parallel arcs ``u → v`` the one with the smallest ``w`` is kept
    (ties: the first given).

    Parameters
    ----------
    u, v
        Tail and head node positions (``0 .. n-1``) of each arc, shape ``(m,)``.
    w
        Weight of each arc, shape ``(m,)``.
    n
        Number of nodes.

    Returns
    -------
    numpy.ndarray
        Indices into the ``m`` arcs, in CSR order (by tail, then head).
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    w = np.asarray(w, dtype=float)
    keep = np.flatnonzero(u != v)
    pair = u[keep] * n + v[keep]
    # sort by (u, v, w) and keep the first of each (u, v); lexsort is stable
    order = np.lexsort((w[keep], pair))
    pair_s = pair[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = pair_s[1:] != pair_s[:-1]
    return keep[order[first]]


def csr_from_sorted(
    rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n: int
) -> sparse.csr_matrix:
    """Return the ``n × n`` CSR matrix of arcs sorted by ``(row, col)`` without duplicates.

    Nothing is summed and zeros stay stored (explicit zero-weight arcs).
    """
    rows = np.asarray(rows, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    idx_dtype = np.int32 if max(n, len(cols)) < 2**31 - 1 else np.int64
    return sparse.csr_matrix(
        (
            np.asarray(data, dtype=np.float64),
            np.asarray(cols).astype(idx_dtype),
            indptr.astype(idx_dtype),
        ),
        shape=(n, n),
    )


def arc_matrix(
    u: np.ndarray, v: np.ndarray, w: np.ndarray, n: int
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Return the CSR weight matrix of arcs ``u → v`` and the positions of the arcs it holds.

    ``matrix[i, j]`` is the smallest weight of the arcs ``i → j`` (self-loops dropped, zero
    weights stored as explicit zeros: see the module docstring). ``kept[k]`` is the input
    position of the arc stored at ``matrix.data[k]``, so per-arc attributes can follow.

    Parameters
    ----------
    u, v
        Tail and head node positions (``0 .. n-1``) of each arc, shape ``(m,)``.
    w
        Weight of each arc (finite, ≥ 0), shape ``(m,)``.
    n
        Number of nodes.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
        Shape ``(n, n)``, float64.
    kept : numpy.ndarray
        Input position of each stored arc, aligned with ``matrix.data``.
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    w = np.asarray(w, dtype=float)
    kept = collapse_arcs(u, v, w, n)
    return csr_from_sorted(u[kept], v[kept], w[kept], n), kept
