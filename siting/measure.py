"""The context criteria are measured in: candidates, shared layers and road-network searches.

A :class:`SiteContext` is handed to every criterion's measuring function (see
:class:`siting.criterion.Criterion`). Everything on it is computed on first use and then shared:
the candidates' coordinates in EPSG:6372, their municipality and state, the crossing, seaport,
population and security layers, the straight-line nearest crossing and seaport, and — with a
road network — :attr:`SiteContext.routed`, a :class:`siting.routing.NetworkMeasure` holding the
snapped sites and the nearest-crossing and nearest-seaport searches. A criterion therefore pays
only for what it alone needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from siting import layers
from siting._errors import InputError
from siting.network import NetworkSettings, routing_network
from siting.routing import NetworkMeasure, RoutingNetwork
from siting.routing.search import ProgressFactory

if TYPE_CHECKING:  # pragma: no cover - types only
    from siting.criteria import CriteriaParams

__all__ = ["Nearest", "SiteContext", "metric_xy"]


def metric_xy(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Return the ``(n, 2)`` coordinates of ``gdf``'s points in EPSG:6372 (metres)."""
    return gdf.geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()


@dataclass(frozen=True)
class Nearest:
    """Nearest feature of a layer by straight-line distance, for each candidate."""

    km: np.ndarray
    index: np.ndarray


class SiteContext:
    """What criteria are measured from (see the module docstring).

    Parameters
    ----------
    sites
        Candidate points, any CRS.
    params
        Criterion parameters.
    network
        Road-network settings (``source = "straight-line"``: no network).
    progress
        Optional progress-bar factory (e.g. ``tqdm.tqdm``) for the slow steps.
    """

    def __init__(
        self,
        sites: gpd.GeoDataFrame,
        params: CriteriaParams,
        network: NetworkSettings,
        *,
        progress: ProgressFactory | None = None,
    ) -> None:
        self.sites = sites
        self.params = params
        self.network = network
        self.progress = progress

    @cached_property
    def xy(self) -> np.ndarray:
        """Candidates in EPSG:6372, ``(n, 2)`` metres."""
        return metric_xy(self.sites)

    @cached_property
    def admin(self) -> pd.DataFrame:
        """``CVEGEO``, ``municipality``, ``CVE_ENT`` and ``state`` of each candidate.

        The municipality containing the point, or the nearest one if the point falls just off
        the simplified coastline (see :func:`siting.layers.boundaries.locate`); missing (None,
        shown as NaN in the str columns) for a point outside Mexico, which is never given a state
        across the land border by a nearest guess.
        """
        pts = gpd.GeoSeries.from_xy(self.xy[:, 0], self.xy[:, 1], crs=layers.CRS_METRIC)
        found = layers.boundaries.locate(pts)
        cols = ["CVEGEO", "municipality", "CVE_ENT", "state"]
        return pd.DataFrame(
            {c: found[c].to_numpy() for c in cols}, index=self.sites.index, columns=cols
        )

    # -- layers ---------------------------------------------------------------------------------

    @cached_property
    def crossings(self) -> gpd.GeoDataFrame:
        """Crossings a plant would use: at least ``params.min_trucks`` trucks in 2024."""
        found = layers.crossings.commercial_crossings(min_trucks=self.params.min_trucks)
        if found.empty:
            busiest = int(layers.crossings.land_ports()["trucks"].max())
            msg = (
                f"[parameters] min_trucks = {self.params.min_trucks} leaves no border crossing "
                f"(the busiest, Laredo, handled {busiest:,} trucks in 2024); lower it"
            )
            raise InputError(msg)
        return found

    @cached_property
    def all_crossings(self) -> gpd.GeoDataFrame:
        """Every land port that handled at least one truck, whatever its capacity."""
        return layers.crossings.commercial_crossings(min_trucks=1)

    @cached_property
    def seaports(self) -> gpd.GeoDataFrame:
        """Mexican container ports with their TEU (fuel terminals and dry ports never count)."""
        return layers.transport.container_ports()

    @cached_property
    def us_gateways(self) -> gpd.GeoDataFrame | None:
        """US container ports reached through a crossing (None if ``params.us_gateways`` is off)."""
        return layers.transport.us_gateway_ports() if self.params.us_gateways else None

    @cached_property
    def state_labor(self) -> pd.DataFrame:
        """ENOE labour figures by state (``pea_share``, ``avg_monthly_wage_mxn``), by ``CVE_ENT``."""
        return layers.labor.state_labor().set_index("CVE_ENT")

    @cached_property
    def population(self) -> gpd.GeoDataFrame:
        """Census population points, with ``labor_force`` = population × state PEA share."""
        pts = layers.labor.population_points()
        share = pts["CVEGEO"].str[:2].map(self.state_labor["pea_share"]).astype(float)
        return pts.assign(labor_force=pts["population"] * share.fillna(share.mean()))

    @cached_property
    def population_within_radius(self) -> list[list[int]]:
        """Positions of the :attr:`population` points within the labour radius of each candidate.

        Straight-line distance ``params.labor_radius_km``; one search shared by the labour
        criteria measured without a network (population and labour force).
        """
        tree = cKDTree(metric_xy(self.population))
        return tree.query_ball_point(self.xy, r=self.params.labor_radius_km * 1000.0).tolist()

    @cached_property
    def security(self) -> pd.DataFrame:
        """State security indicators of ``params.security_year``, indexed by ``CVE_ENT``."""
        return layers.security.state_security(self.params.security_year).set_index("CVE_ENT")

    @cached_property
    def homicide(self) -> pd.DataFrame:
        """Municipal homicide rates (last 12 months, shrunk toward the state), by ``CVEGEO``."""
        return layers.security.municipal_homicide().set_index("CVEGEO")

    @cached_property
    def wage_zones(self) -> pd.DataFrame:
        """Minimum-wage zone and daily minimum wage of every municipality, by ``CVEGEO``."""
        return layers.labor.minimum_wage_zones().set_index("CVEGEO")

    def state_value(self, column: str) -> np.ndarray:
        """Return the state indicator ``column`` of :attr:`security` for each candidate."""
        return self.admin["CVE_ENT"].map(self.security[column]).astype(float).to_numpy()

    def municipal_value(self, table: pd.DataFrame, column: str) -> np.ndarray:
        """Return ``table[column]`` (indexed by ``CVEGEO``) for each candidate's municipality."""
        return self.admin["CVEGEO"].map(table[column]).astype(float).to_numpy()

    @cached_property
    def metro(self) -> pd.Series:
        """Metropolitan zone (2015 delimitation) of each candidate; missing outside metros."""
        return layers.sites.metro_of(self.admin["CVEGEO"])

    # -- straight-line nearest features ---------------------------------------------------------

    def _nearest(self, gdf: gpd.GeoDataFrame) -> Nearest:
        dist, idx = cKDTree(metric_xy(gdf)).query(self.xy)
        return Nearest(km=dist / 1000.0, index=idx)

    @cached_property
    def nearest_crossing(self) -> Nearest:
        """Straight-line nearest commercial crossing."""
        return self._nearest(self.crossings)

    @cached_property
    def nearest_seaport(self) -> Nearest:
        """Straight-line nearest seaport."""
        return self._nearest(self.seaports)

    # -- road network ---------------------------------------------------------------------------

    @cached_property
    def _routing(self) -> tuple[RoutingNetwork | None, dict[str, Any]]:
        if self.network.straight_line:
            return None, {"source": "straight-line"}
        return routing_network(self.network, progress=self.progress)

    @property
    def routing(self) -> RoutingNetwork | None:
        """The routing structures of the run's network (None without one)."""
        return self._routing[0]

    @property
    def network_info(self) -> dict[str, Any]:
        """Description of the routing structures (see :func:`siting.network.routing_network`)."""
        return self._routing[1]

    @cached_property
    def routed(self) -> NetworkMeasure | None:
        """Shared road-network searches of the candidates (None without a network)."""
        net = self.routing
        if net is None:
            return None
        hom = self.homicide["homicide_rate"]
        gateways = self.us_gateways
        return NetworkMeasure(
            self.sites,
            net,
            crossings=self.crossings,
            seaports=self.seaports,
            population=self.population,
            state_risk=self.security[self.params.route_risk_indicator].astype(float).to_dict(),
            crossing_wait_min=self.params.crossing_waits,
            all_crossings=self.all_crossings,
            seaport_weight="teu_per_year",
            us_gateways=gateways,
            us_leg_min=(
                None
                if gateways is None
                else layers.transport.us_leg_minutes(self.crossings, gateways)
            ),
            seaport_tau_min=self.params.seaport_tau_min,
            seaport_point_risk=dict(
                zip(self.seaports["name"], self.seaports["CVEGEO"].map(hom), strict=True)
            ),
            crossing_point_risk=dict(
                zip(self.crossings["port_name"], self.crossings["mx_cvegeo"].map(hom), strict=True)
            ),
            seaport_state_risk=(
                self.homicide.groupby("CVE_ENT")["rate_state"].first().astype(float).to_dict()
            ),
            labor_force_col="labor_force",
            commute_min=self.params.commute_min,
            access_speed_kph=self.network.access_speed_kph,
            tau_min=self.params.crossing_tau_min,
            max_snap_m=self.network.max_snap_km * 1000.0,
            progress=self.progress,
        )
