"""Road-network criteria of candidate sites: :class:`NetworkMeasure` and :func:`network_criteria`.

Drive time to the nearest commercial crossing and seaport, volume-weighted crossing access,
labour pool within a commute and route risk, for every site at once, from the searches of
:mod:`siting.routing.search`. Every time includes the off-network access legs (snap distance
driven at ``access_speed_kph``, default :data:`DEFAULT_ACCESS_SPEED_KPH`) at both ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from siting.routing.engine import RoutingNetwork, _problem_message
from siting.routing.search import (
    DEFAULT_CATCHMENT_MEMORY_BYTES,
    NearestTargets,
    ProgressFactory,
    catchment_sum,
    nearest_target_times,
    route_exposure,
)

__all__ = ["DEFAULT_ACCESS_SPEED_KPH", "DEFAULT_TAU_MIN", "NetworkMeasure", "network_criteria"]

logger = logging.getLogger(__name__)

#: Speed (km/h) at which the straight-line access leg between a point and its snapped node is
#: driven, at both ends of a route.
DEFAULT_ACCESS_SPEED_KPH = 20.0
#: Decay time (minutes) of the volume-weighted crossing access ``Σ trucks · exp(−t / τ)``.
DEFAULT_TAU_MIN = 240.0


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


@dataclass(frozen=True)
class _Targets:
    """Points snapped to the network and kept within the snap limit."""

    gdf: gpd.GeoDataFrame
    nodes: np.ndarray
    snap_m: np.ndarray
    any_within: bool


class NetworkMeasure:
    """Shared road-network measurements of a set of sites, computed once on demand.

    Each network criterion (:data:`siting.criteria.CRITERIA`) reads what it needs from here:
    the sites' snapped nodes and access legs, the nearest-crossing and nearest-seaport searches
    (one multi-source Dijkstra each, on the transposed matrix) and the reachability masks. A
    search runs the first time a criterion asks for it and is reused by the others, so adding a
    criterion costs only its own search. :func:`network_criteria` measures the built-in ones.

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

    Raises
    ------
    ValueError
        Listing every problem of the inputs at once.
    """

    def __init__(
        self,
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
    ) -> None:
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
        self.sites = sites
        self.net = net
        self.crossings = crossings
        self.seaports = seaports
        self.population = population
        self.state_risk = state_risk
        self.commute_min = commute_min
        self.access_speed_kph = access_speed_kph
        self.tau_min = tau_min
        self.crossing_name = crossing_name
        self.crossing_weight = crossing_weight
        self.seaport_name = seaport_name
        self.population_col = population_col
        self.snap_to_main = snap_to_main
        self.max_snap_m = max_snap_m
        self.chunk_size = chunk_size
        self.progress = progress
        #: Metres per second of the off-network access legs.
        self.speed = access_speed_kph / 3.6
        self.limit = np.inf if max_snap_m is None else float(max_snap_m)

    # -- the sites ------------------------------------------------------------------------------

    @cached_property
    def _site_snap(self) -> tuple[np.ndarray, np.ndarray]:
        return self.net.snap(self.sites, main_only=self.snap_to_main)

    @property
    def site_nodes(self) -> np.ndarray:
        """Network node of each site."""
        return self._site_snap[0]

    @property
    def snap_m(self) -> np.ndarray:
        """Metres from each site to its network node (EPSG:6372)."""
        return self._site_snap[1]

    @cached_property
    def site_access_s(self) -> np.ndarray:
        """Seconds of each site's access leg (snap distance at the access speed)."""
        return self.snap_m / self.speed

    @cached_property
    def on_network(self) -> np.ndarray:
        """True for sites within the snap limit of the network."""
        return self.snap_m <= self.limit

    def _targets(self, gdf: gpd.GeoDataFrame, what: str, *, all_if_none: bool = True) -> _Targets:
        nodes, snap = self.net.snap(gdf, main_only=self.snap_to_main)
        kept, nodes, snap, any_within = _within(
            gdf, nodes, snap, self.limit, what, all_if_none=all_if_none
        )
        return _Targets(kept, nodes, snap, any_within)

    def _minutes(self, search: NearestTargets, reach: np.ndarray) -> np.ndarray:
        """Minutes from each site to its nearest target, access legs included (``inf``: none)."""
        t = (search.time_s[self.site_nodes] + self.site_access_s) / 60.0
        return t if self.max_snap_m is None else np.where(reach, t, np.inf)

    def _names(
        self, search: NearestTargets, targets: _Targets, column: str, reach: np.ndarray
    ) -> np.ndarray:
        """Name (``column``) of each site's nearest target; None where there is none."""
        idx = search.target[self.site_nodes]
        names = targets.gdf[column].to_numpy(dtype=object)
        found = np.where(idx >= 0, names[np.maximum(idx, 0)], None)
        return found if self.max_snap_m is None else np.where(reach, found, None)

    # -- crossings ------------------------------------------------------------------------------

    @cached_property
    def crossing_targets(self) -> _Targets:
        """The crossings on the network, their nodes and snap distances."""
        found = self._targets(self.crossings, "crossings")
        _log_far(found.gdf[self.crossing_name], found.snap_m, self.access_speed_kph, "crossing")
        return found

    @cached_property
    def crossing_search(self) -> NearestTargets:
        """Time from every node to its nearest crossing (one pass on the transposed matrix)."""
        t0 = time.perf_counter()
        c = self.crossing_targets
        near = nearest_target_times(self.net, c.nodes, c.snap_m / self.speed)
        logger.debug("nearest-crossing surface in %.2f s", time.perf_counter() - t0)
        return near

    @cached_property
    def reachable(self) -> np.ndarray:
        """True for sites that reach a commercial crossing (within the snap limits)."""
        reach = self.crossing_search.target[self.site_nodes] >= 0
        if self.max_snap_m is not None:  # off the network, or nothing on it to reach
            reach = reach & self.on_network & self.crossing_targets.any_within
        return reach

    def crossing_drive_min(self) -> np.ndarray:
        """Truck minutes to the nearest crossing, access legs included (``inf``: unreachable)."""
        return self._minutes(self.crossing_search, self.reachable)

    def nearest_crossing(self) -> np.ndarray:
        """Name of the nearest crossing by truck time (None: unreachable)."""
        return self._names(
            self.crossing_search, self.crossing_targets, self.crossing_name, self.reachable
        )

    def crossing_access(self) -> np.ndarray:
        """``Σ_c trucks_c · exp(−t_c / τ)`` over the reachable crossings (trucks/yr)."""
        c = self.crossing_targets
        c_acc = c.snap_m / self.speed
        site_nodes, site_acc = self.site_nodes, self.site_access_s
        trucks = c.gdf[self.crossing_weight].to_numpy(dtype=float)
        access = np.zeros(len(site_nodes))
        uniq_c, inv_c = np.unique(c.nodes, return_inverse=True)
        per_call = int(np.clip(DEFAULT_CATCHMENT_MEMORY_BYTES // (8 * self.net.n_nodes), 1, 16))
        starts = range(0, len(uniq_c), per_call)
        loop: Iterable[int] = starts
        if self.progress is not None:
            loop = self.progress(starts, total=len(starts), desc="crossing access")
        for start in loop:
            block = uniq_c[start : start + per_call]
            d = dijkstra(self.net.csr_t, indices=block)[:, site_nodes]  # (block, sites) seconds
            for j in np.flatnonzero((inv_c >= start) & (inv_c < start + len(block))):
                t_min = (d[inv_c[j] - start] + c_acc[j] + site_acc) / 60.0
                access += trucks[j] * np.exp(-t_min / self.tau_min)
        return access if self.max_snap_m is None else np.where(self.reachable, access, 0.0)

    def route_risk(self) -> np.ndarray:
        """Time-weighted ``state_risk`` along the route to the nearest crossing (NaN: none)."""
        risk = route_exposure(self.net, self.crossing_search, self.state_risk)[self.site_nodes]
        return risk if self.max_snap_m is None else np.where(self.reachable, risk, np.nan)

    # -- seaports -------------------------------------------------------------------------------

    @cached_property
    def seaport_targets(self) -> _Targets:
        """The seaports on the network, their nodes and snap distances."""
        found = self._targets(self.seaports, "seaports")
        _log_far(found.gdf[self.seaport_name], found.snap_m, self.access_speed_kph, "seaport")
        return found

    @cached_property
    def seaport_search(self) -> NearestTargets:
        """Time from every node to its nearest seaport."""
        s = self.seaport_targets
        return nearest_target_times(self.net, s.nodes, s.snap_m / self.speed)

    @cached_property
    def _port_reach(self) -> np.ndarray:
        return self.reachable & self.seaport_targets.any_within

    def seaport_drive_min(self) -> np.ndarray:
        """Truck minutes to the nearest seaport (``inf``: none reachable)."""
        return self._minutes(self.seaport_search, self._port_reach)

    def nearest_seaport(self) -> np.ndarray:
        """Name of the nearest seaport by truck time (None: none reachable)."""
        return self._names(
            self.seaport_search, self.seaport_targets, self.seaport_name, self._port_reach
        )

    # -- labour ---------------------------------------------------------------------------------

    def labor_pool(self) -> np.ndarray:
        """Return the population reaching each site within the commute (access legs included)."""
        p = self._targets(self.population, "population points", all_if_none=False)
        if not len(p.gdf):
            return np.zeros(len(self.site_nodes))
        pool = catchment_sum(
            self.net,
            self.site_nodes,
            p.nodes,
            p.gdf[self.population_col].to_numpy(dtype=float),
            self.commute_min * 60.0,
            origin_offset_s=self.site_access_s,
            point_offset_s=p.snap_m / self.speed,
            direction="to",
            chunk_size=self.chunk_size,
            progress=self.progress,
        )
        return pool if self.max_snap_m is None else np.where(self.on_network, pool, 0.0)


def network_criteria(sites: gpd.GeoDataFrame, net: RoutingNetwork, **options: Any) -> pd.DataFrame:
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
    sites, net, **options
        As for :class:`NetworkMeasure` (``crossings``, ``seaports``, ``population`` and
        ``state_risk`` are required).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``sites``.
    """
    measure = NetworkMeasure(sites, net, **options)
    t0 = time.perf_counter()
    out = pd.DataFrame(index=sites.index)
    out["snap_m"] = measure.snap_m
    out["reachable"] = measure.reachable
    out["crossing_drive_min"] = measure.crossing_drive_min()
    out["nearest_crossing"] = measure.nearest_crossing()
    out["crossing_access"] = measure.crossing_access()
    out["seaport_drive_min"] = measure.seaport_drive_min()
    out["nearest_seaport"] = measure.nearest_seaport()
    out["labor_pool"] = measure.labor_pool()
    out["route_risk"] = measure.route_risk()
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
