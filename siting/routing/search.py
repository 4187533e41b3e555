"""Searches on a routing network: nearest targets, route risk, catchments.

All take a :class:`~siting.routing.engine.RoutingNetwork`.

* :func:`nearest_target_times`: time from every node to the nearest of several targets (with
  their off-network access legs), one multi-source Dijkstra on the transposed matrix;
* :func:`route_exposure`: time-weighted mean state risk along each node's route to that target,
  by pointer jumping on the predecessor tree (:func:`_tree_accumulate`);
* :func:`catchment_sum`: weight of the points reachable within a time budget, bounded Dijkstra
  searches in chunks.

Unreachable is explicit: time ``+inf``, target ``-1``, risk NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from siting.routing.engine import RoutingNetwork

__all__ = [
    "DEFAULT_CATCHMENT_CHUNK",
    "DEFAULT_CATCHMENT_MEMORY_BYTES",
    "NearestTargets",
    "ProgressFactory",
    "catchment_sum",
    "nearest_target_times",
    "route_exposure",
]

#: Memory budget of one chunk of bounded searches in :func:`catchment_sum` (dense k × n array).
DEFAULT_CATCHMENT_MEMORY_BYTES = 64 * 2**20
#: Most origins per bounded-search call (measured fastest on 86k and 1M-node networks: SciPy
#: fills a dense row of n distances per origin, so big chunks only add memory traffic).
DEFAULT_CATCHMENT_CHUNK = 8

#: A progress-bar factory such as :class:`tqdm.tqdm`: ``progress(iterable, total=..., desc=...)``.
#: A progress-bar factory such as ``tqdm.tqdm``: called with an iterable (or ``total=``) and
#: keywords ``desc``/``unit``, returns an iterable that shows progress.
ProgressFactory = Callable[..., Any]


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
        Weight of each point (e.g. population), shape ``(p,)``; or several weights per point,
        shape ``(p, m)``, summed in the same searches.
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
        Reachable weight per origin, shape ``(k,)`` (``(k, m)`` for ``(p, m)`` weights).
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
    if wts.ndim not in (1, 2) or wts.shape[0] != pts.shape[0]:
        msg = f"`weights` has shape {wts.shape} but `point_nodes` has {pts.size} points"
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
    out = np.zeros((len(origins), *wts.shape[1:]))
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
