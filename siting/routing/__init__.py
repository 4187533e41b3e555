"""Routing engine: truck drive times on a road network, for every candidate site at once.

The package has one module per concept; import the public names from ``siting.routing``:

* :mod:`siting.routing.engine`: :class:`RoutingNetwork`, the routing arrays of one network
  (construction from a graph or arrays, snapping, main component, arc index);
* :mod:`siting.routing.cache`: its on-disk cache (:meth:`RoutingNetwork.cached`);
* :mod:`siting.routing.search`: searches on it (:func:`nearest_target_times`,
  :func:`route_exposure`, :func:`catchment_sum`);
* :mod:`siting.routing.network`: the road-network criteria of candidate sites
  (:func:`network_criteria`).

The sparse matrices come from :func:`siting.layers._graph.arc_matrix`, which
:func:`siting.layers.roads.weight_matrix` uses too, and :data:`CRS_METRIC` is the one of
:mod:`siting.layers`.

A road network arrives as an osmnx-compatible :class:`networkx.MultiDiGraph` (node ``x``/``y``,
edge ``travel_time`` in seconds, optionally edge ``cve_ent`` = INEGI state code). It is converted
once into a :class:`RoutingNetwork`:

* ``csr``: a SciPy CSR matrix of travel times (seconds), row = tail node, column = head node.
  Parallel edges (osmnx keeps both carriageways, ramps, duplicated ways) are collapsed to the
  **fastest** one; ``scipy.sparse`` would otherwise *sum* duplicate entries. One-way streets stay
  one-way. Self-loops are dropped (they never shorten a route). A zero travel time is stored as
  an explicit zero, which ``scipy.sparse.csgraph`` reads as a free arc.
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

from siting.layers import CRS_METRIC
from siting.routing.engine import RoutingNetwork
from siting.routing.network import (
    DEFAULT_ACCESS_SPEED_KPH,
    DEFAULT_TAU_MIN,
    NetworkMeasure,
    network_criteria,
)
from siting.routing.search import (
    DEFAULT_CATCHMENT_CHUNK,
    DEFAULT_CATCHMENT_MEMORY_BYTES,
    NearestTargets,
    catchment_sum,
    nearest_target_times,
    route_exposure,
)

__all__ = [
    "CRS_METRIC",
    "DEFAULT_ACCESS_SPEED_KPH",
    "DEFAULT_CATCHMENT_CHUNK",
    "DEFAULT_CATCHMENT_MEMORY_BYTES",
    "DEFAULT_TAU_MIN",
    "NearestTargets",
    "NetworkMeasure",
    "RoutingNetwork",
    "catchment_sum",
    "nearest_target_times",
    "network_criteria",
    "route_exposure",
]
