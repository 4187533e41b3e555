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

__all__ = [
    "DEFAULT_ACCESS_SPEED_KPH",
    "DEFAULT_SEAPORT_TAU_MIN",
    "DEFAULT_TAU_MIN",
    "NetworkMeasure",
    "network_criteria",
]

logger = logging.getLogger(__name__)

#: Speed (km/h) at which the straight-line access leg between a point and its snapped node is
#: driven, at both ends of a route.
DEFAULT_ACCESS_SPEED_KPH = 20.0
#: Decay time (minutes) of the volume-weighted crossing access ``Σ trucks · exp(−t / τ)``.
DEFAULT_TAU_MIN = 240.0
#: Decay time (minutes) of the volume-weighted seaport access ``Σ TEU · exp(−t / τ)``.
DEFAULT_SEAPORT_TAU_MIN = 360.0


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
        Population points with ``population_col`` (and ``labor_force_col`` when given), e.g.
        :func:`layers.labor.population_points`.
    state_risk
        Risk indicator by state code, e.g. homicide rate per 100k by ``CVE_ENT``.
    crossing_wait_min
        Typical truck wait at each crossing (by ``crossing_name``), minutes; added to the drive
        time when choosing and timing the crossing. Crossings not listed wait 0.
    all_crossings
        Optional wider set of crossings (e.g. every land port that handled a truck) for
        :meth:`crossing_drive_min_any`; defaults to ``crossings``.
    seaport_weight
        Column of ``seaports`` (and of ``us_gateways``) weighting :meth:`seaport_access`, e.g.
        TEU per year; None: every port weighs 1.
    us_gateways, us_leg_min
        Optional seaports across the border reached through a crossing: points with
        ``seaport_name`` (and ``seaport_weight``), and the US-side truck minutes from each
        crossing (rows: ``crossing_name``) to each gateway (columns: gateway name). The time to a
        gateway is the best over the crossings of drive + wait + US leg.
    seaport_tau_min
        Decay time of :meth:`seaport_access`, minutes.
    seaport_point_risk, crossing_point_risk, seaport_state_risk
        For :meth:`seaport_risk`: risk at each seaport (by name) and at each crossing (the last
        Mexican point on the way to a US gateway), and the state risk along the route.
    commute_min
        Commute budget of the labour pool, minutes.
    access_speed_kph
        Speed of the off-network access legs.
    tau_min
        Decay time of ``crossing_access``, minutes.
    crossing_name, crossing_weight, seaport_name, population_col, labor_force_col
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
        crossing_wait_min: Mapping[str, float] | None = None,
        all_crossings: gpd.GeoDataFrame | None = None,
        seaport_weight: str | None = None,
        us_gateways: gpd.GeoDataFrame | None = None,
        us_leg_min: pd.DataFrame | None = None,
        seaport_tau_min: float = DEFAULT_SEAPORT_TAU_MIN,
        seaport_point_risk: Mapping[str, float] | None = None,
        crossing_point_risk: Mapping[str, float] | None = None,
        seaport_state_risk: Mapping[str, float] | None = None,
        crossing_name: str = "port_name",
        crossing_weight: str = "trucks",
        seaport_name: str = "name",
        population_col: str = "population",
        labor_force_col: str | None = None,
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
            ("seaport_tau_min", seaport_tau_min),
        ):
            if not (np.isfinite(val) and val > 0):
                problems.append(f"`{name}` must be a positive number; got {val!r}")
        port_cols = [seaport_name] + ([seaport_weight] if seaport_weight else [])
        labour_cols = [population_col] + ([labor_force_col] if labor_force_col else [])
        for name, gdf, cols in (
            ("crossings", crossings, [crossing_name, crossing_weight]),
            ("seaports", seaports, port_cols),
            ("population", population, labour_cols),
            *((("us_gateways", us_gateways, port_cols),) if us_gateways is not None else ()),
        ):
            missing = [c for c in cols if c not in gdf.columns]
            if missing:
                problems.append(f"`{name}` lacks column(s) {missing}")
            elif len(gdf) == 0 and name != "population":
                problems.append(f"`{name}` is empty")
        waits = dict(crossing_wait_min or {})
        bad = {k: v for k, v in waits.items() if not (np.isfinite(v) and v >= 0)}
        if bad:
            problems.append(f"`crossing_wait_min` must be minutes ≥ 0; got {bad}")
        if (us_gateways is None) != (us_leg_min is None):
            problems.append("`us_gateways` and `us_leg_min` go together: give both or neither")
        elif us_gateways is not None and us_leg_min is not None:
            lacking = sorted(set(crossings[crossing_name]) - set(us_leg_min.index))
            gates = sorted(set(us_gateways[seaport_name]) - set(us_leg_min.columns))
            if lacking or gates:
                problems.append(f"`us_leg_min` lacks crossings {lacking} or gateways {gates}")
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
        self.waits_min = waits
        self.all_crossings = crossings if all_crossings is None else all_crossings
        self.seaport_weight = seaport_weight
        self.us_gateways = us_gateways
        self.us_leg_min = us_leg_min
        self.seaport_tau_min = seaport_tau_min
        self.seaport_point_risk = dict(seaport_point_risk or {})
        self.crossing_point_risk = dict(crossing_point_risk or {})
        self.seaport_state_risk = state_risk if seaport_state_risk is None else seaport_state_risk
        self.labor_force_col = labor_force_col
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

    def _wait_s(self, names: pd.Series) -> np.ndarray:
        """Seconds of typical wait at each crossing of ``names`` (0 where none is given)."""
        return names.map(self.waits_min).fillna(0.0).to_numpy(dtype=float) * 60.0

    @cached_property
    def crossing_targets(self) -> _Targets:
        """The crossings on the network, their nodes and snap distances."""
        found = self._targets(self.crossings, "crossings")
        _log_far(found.gdf[self.crossing_name], found.snap_m, self.access_speed_kph, "crossing")
        return found

    @cached_property
    def crossing_wait_s(self) -> np.ndarray:
        """Typical wait (s) at each crossing of :attr:`crossing_targets`."""
        return self._wait_s(self.crossing_targets.gdf[self.crossing_name])

    @cached_property
    def crossing_search(self) -> NearestTargets:
        """Time from every node to its best crossing, drive + wait (one transposed pass)."""
        t0 = time.perf_counter()
        c = self.crossing_targets
        near = nearest_target_times(self.net, c.nodes, c.snap_m / self.speed + self.crossing_wait_s)
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
        """Truck minutes to the best crossing: drive (access legs included) + its typical wait.

        ``inf`` where unreachable. Without waits this is the nearest crossing by drive time.
        """
        return self._minutes(self.crossing_search, self.reachable)

    def crossing_wait_min(self) -> np.ndarray:
        """Typical wait (minutes) at each site's crossing (NaN: unreachable)."""
        idx = self.crossing_search.target[self.site_nodes]
        wait = self.crossing_wait_s[np.maximum(idx, 0)] / 60.0
        return np.where(self.reachable & (idx >= 0), wait, np.nan)

    def nearest_crossing(self) -> np.ndarray:
        """Name of the crossing used (best drive + wait; None: unreachable)."""
        return self._names(
            self.crossing_search, self.crossing_targets, self.crossing_name, self.reachable
        )

    @cached_property
    def _any_crossing(self) -> tuple[_Targets, NearestTargets, np.ndarray]:
        """The search over ``all_crossings`` (drive + wait) and which sites reach one."""
        found = self._targets(self.all_crossings, "crossings (all)")
        wait = self._wait_s(found.gdf[self.crossing_name])
        search = nearest_target_times(self.net, found.nodes, found.snap_m / self.speed + wait)
        reach = search.target[self.site_nodes] >= 0
        if self.max_snap_m is not None:
            reach = reach & self.on_network & found.any_within
        return found, search, reach

    def crossing_drive_min_any(self) -> np.ndarray:
        """Like :meth:`crossing_drive_min` over ``all_crossings`` (whatever their capacity)."""
        _, search, reach = self._any_crossing
        return self._minutes(search, reach)

    def nearest_crossing_any(self) -> np.ndarray:
        """Name of the nearest crossing among ``all_crossings`` (None: unreachable)."""
        found, search, reach = self._any_crossing
        return self._names(search, found, self.crossing_name, reach)

    def _times_from(self, nodes: np.ndarray, offset_s: np.ndarray, desc: str) -> np.ndarray:
        """Seconds from every site to each target, ``(targets, sites)``, access legs included.

        One bounded-memory batch of Dijkstra searches on the transposed matrix from the targets'
        distinct nodes; ``offset_s`` is added per target and the sites' access legs per site.
        """
        site_nodes, site_acc = self.site_nodes, self.site_access_s
        out = np.full((len(nodes), len(site_nodes)), np.inf)
        uniq, inv = np.unique(nodes, return_inverse=True)
        per_call = int(np.clip(DEFAULT_CATCHMENT_MEMORY_BYTES // (8 * self.net.n_nodes), 1, 16))
        starts = range(0, len(uniq), per_call)
        loop: Iterable[int] = starts
        if self.progress is not None:
            loop = self.progress(starts, total=len(starts), desc=desc)
        for start in loop:
            block = uniq[start : start + per_call]
            d = dijkstra(self.net.csr_t, indices=block)[:, site_nodes]  # (block, sites) seconds
            for j in np.flatnonzero((inv >= start) & (inv < start + len(block))):
                out[j] = d[inv[j] - start] + offset_s[j] + site_acc
        return out

    @cached_property
    def crossing_times_s(self) -> np.ndarray:
        """Seconds from each site to each crossing, drive + wait, ``(crossings, sites)``."""
        c = self.crossing_targets
        return self._times_from(
            c.nodes, c.snap_m / self.speed + self.crossing_wait_s, "crossing access"
        )

    def crossing_access(self) -> np.ndarray:
        """``Σ_c trucks_c · exp(−t_c / τ)`` over the reachable crossings (trucks/yr).

        ``t_c`` is the truck time to crossing ``c``: drive, access legs and its typical wait.
        """
        trucks = self.crossing_targets.gdf[self.crossing_weight].to_numpy(dtype=float)
        access = trucks @ np.exp(-self.crossing_times_s / 60.0 / self.tau_min)
        return access if self.max_snap_m is None else np.where(self.reachable, access, 0.0)

    def route_risk(self) -> np.ndarray:
        """Time-weighted ``state_risk`` along the route to the crossing used (NaN: none)."""
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
    def _gateway_legs_s(self) -> np.ndarray:
        """Seconds past each crossing to each US gateway: wait + US leg, ``(crossings, gates)``."""
        if self.us_gateways is None or self.us_leg_min is None:
            msg = "no US gateways were given"
            raise ValueError(msg)
        c = self.crossing_targets
        names = c.gdf[self.crossing_name].to_numpy()
        gates = self.us_gateways[self.seaport_name].to_numpy()
        leg = self.us_leg_min.loc[names, gates].to_numpy(dtype=float) * 60.0
        return (c.snap_m / self.speed + self.crossing_wait_s)[:, None] + leg

    @cached_property
    def _port_options(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every way to reach a container port: Mexican ports, then (crossing, gateway) pairs.

        Returns the node, the seconds added at that node, the display name and the Mexican
        end point's risk of each option.
        """
        s = self.seaport_targets
        names = s.gdf[self.seaport_name].astype(str).to_numpy(dtype=object)
        nodes = [s.nodes]
        offsets = [s.snap_m / self.speed]
        labels = [names]
        risks = [np.array([self.seaport_point_risk.get(n, np.nan) for n in names], float)]
        if self.us_gateways is not None and self.reachable.any():
            c = self.crossing_targets
            legs = self._gateway_legs_s
            cross = c.gdf[self.crossing_name].astype(str).to_numpy()
            gates = self.us_gateways[self.seaport_name].astype(str).to_numpy()
            ci, gi = np.meshgrid(np.arange(len(cross)), np.arange(len(gates)), indexing="ij")
            ci, gi = ci.ravel(), gi.ravel()
            nodes.append(c.nodes[ci])
            offsets.append(legs[ci, gi])
            labels.append(
                np.array(
                    [f"{gates[g]} (US) via {cross[k]}" for k, g in zip(ci, gi, strict=True)],
                    dtype=object,
                )
            )
            risks.append(
                np.array([self.crossing_point_risk.get(cross[k], np.nan) for k in ci], float)
            )
        return (
            np.concatenate(nodes),
            np.concatenate(offsets),
            np.concatenate(labels),
            np.concatenate(risks),
        )

    @cached_property
    def seaport_search(self) -> NearestTargets:
        """Time from every node to its best container port (Mexican, or US via a crossing)."""
        nodes, offsets, _, _ = self._port_options
        return nearest_target_times(self.net, nodes, offsets)

    @cached_property
    def _port_reach(self) -> np.ndarray:
        return self.reachable & self.seaport_targets.any_within

    def seaport_drive_min(self) -> np.ndarray:
        """Truck minutes to the best container port (``inf``: none reachable).

        A US gateway's time is drive to the crossing + its wait + the US-side leg.
        """
        return self._minutes(self.seaport_search, self._port_reach)

    def nearest_seaport(self) -> np.ndarray:
        """Name of the container port used (e.g. ``"Los Angeles (US) via Otay Mesa"``)."""
        idx = self.seaport_search.target[self.site_nodes]
        labels = self._port_options[2]
        found = np.where(idx >= 0, labels[np.maximum(idx, 0)], None)
        return np.where(self._port_reach, found, None)

    def seaport_access(self) -> np.ndarray:
        """``Σ_p w_p · exp(−t_p / τ)`` over the container ports (``w``: ``seaport_weight``).

        Mexican ports at their drive time; each US gateway once, at its best time through a
        crossing (drive + wait + US leg).
        """
        s = self.seaport_targets
        w = (
            np.ones(len(s.gdf))
            if self.seaport_weight is None
            else s.gdf[self.seaport_weight].to_numpy(dtype=float)
        )
        times = self._times_from(s.nodes, s.snap_m / self.speed, "seaport access")
        access = w @ np.exp(-times / 60.0 / self.seaport_tau_min)
        if self.us_gateways is not None and self.reachable.any():
            c = self.crossing_targets
            drive = self.crossing_times_s - self.crossing_wait_s[:, None]  # (crossings, sites)
            legs = self._gateway_legs_s - (c.snap_m / self.speed)[:, None]  # wait + US leg
            best = (drive[:, None, :] + legs[:, :, None]).min(axis=0)  # (gates, sites)
            gw = (
                np.ones(len(self.us_gateways))
                if self.seaport_weight is None
                else self.us_gateways[self.seaport_weight].to_numpy(dtype=float)
            )
            access = access + gw @ np.exp(-best / 60.0 / self.seaport_tau_min)
        return np.where(self._port_reach, access, 0.0)

    def seaport_risk(self) -> np.ndarray:
        """Risk of the trip to the container port used (NaN: none reachable).

        The mean of two parts, in the unit of the risk inputs (e.g. homicides per 100k): the risk
        at the Mexican end point (the port itself, or for a US gateway the crossing where the
        load leaves Mexico) and the time-weighted state risk along the route to it.
        """
        idx = self.seaport_search.target[self.site_nodes]
        point = self._port_options[3][np.maximum(idx, 0)]
        route = route_exposure(self.net, self.seaport_search, self.seaport_state_risk)
        route = route[self.site_nodes]
        parts = np.vstack([point, route])
        known = np.isfinite(parts)
        both = np.where(known, parts, 0.0).sum(axis=0) / np.maximum(known.sum(axis=0), 1)
        both = np.where(known.any(axis=0), both, np.nan)
        return np.where(self._port_reach & (idx >= 0), both, np.nan)

    # -- labour ---------------------------------------------------------------------------------

    @cached_property
    def _catchments(self) -> np.ndarray:
        """People (and labour force) reaching each site within the commute, ``(sites, 1|2)``."""
        cols = [self.population_col] + ([self.labor_force_col] if self.labor_force_col else [])
        p = self._targets(self.population, "population points", all_if_none=False)
        if not len(p.gdf):
            return np.zeros((len(self.site_nodes), len(cols)))
        pool = catchment_sum(
            self.net,
            self.site_nodes,
            p.nodes,
            p.gdf[cols].to_numpy(dtype=float),
            self.commute_min * 60.0,
            origin_offset_s=self.site_access_s,
            point_offset_s=p.snap_m / self.speed,
            direction="to",
            chunk_size=self.chunk_size,
            progress=self.progress,
        )
        return pool if self.max_snap_m is None else np.where(self.on_network[:, None], pool, 0.0)

    def labor_pool(self) -> np.ndarray:
        """Return the population reaching each site within the commute (access legs included)."""
        return self._catchments[:, 0]

    def labor_force(self) -> np.ndarray:
        """Return ``labor_force_col`` summed like :meth:`labor_pool` (needs that column)."""
        if self.labor_force_col is None:
            msg = "`labor_force_col` was not given: name the population column to sum"
            raise ValueError(msg)
        return self._catchments[:, 1]


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
