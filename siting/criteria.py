"""The built-in criteria, and :func:`compute_criteria`, which measures every registered one.

Each criterion below is one :class:`~siting.criterion.Criterion` entry: key, direction, unit,
labels and description in English and Spanish, the default criteria sets it belongs to, and the
function(s) measuring it from a :class:`~siting.measure.SiteContext`. Adding a criterion is one
more entry (here, or :func:`siting.register_criterion` from your own code).

Built-in criteria, in column order: straight-line ``crossing_km``, ``crossing_trucks``,
``labor_pool``, state ``homicide_rate``, ``cargo_theft_rate``, ``advisory_level``,
``seaport_km``, and on the road network ``crossing_drive_min``, ``crossing_access``,
``seaport_drive_min`` and ``route_risk`` (``crossing_trucks`` and ``labor_pool`` are measured on
the network too when there is one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from siting.criterion import CRITERIA, Criterion, default_set, register_criterion
from siting.measure import SiteContext, metric_xy
from siting.network import NetworkSettings
from siting.routing.search import ProgressFactory

__all__ = [
    "CRITERIA",
    "ROUTE_RISK_INDICATORS",
    "CriteriaParams",
    "Criterion",
    "compute_criteria",
    "default_set",
    "register_criterion",
]

#: State indicators that ``route_risk`` can weigh the route by.
ROUTE_RISK_INDICATORS = ("cargo_theft_rate", "homicide_rate", "advisory_level")


@dataclass(frozen=True)
class CriteriaParams:
    """Parameters of the criteria (scenario section ``[parameters]``).

    Parameters
    ----------
    labor_radius_km
        Radius of the labour pool without a road network: population of localities within this
        straight-line distance.
    security_year
        Year of the SESNSP indicators; ``None`` takes the latest full year.
    min_trucks
        A land port counts as a commercial crossing if it handled at least this many trucks.
    commute_min
        Commute budget of the labour pool on the road network: population whose locality
        reaches the site within this many minutes (access legs included).
    crossing_tau_min
        Decay time τ of ``crossing_access`` = Σ trucks · exp(−minutes / τ), minutes.
    route_risk_indicator
        State indicator weighted by the time spent in each state along the route to the
        nearest crossing: ``"cargo_theft_rate"`` (default: robbery of freight on the road),
        ``"homicide_rate"`` or ``"advisory_level"``.
    """

    labor_radius_km: float = 50.0
    security_year: int | None = None
    min_trucks: int = 1
    commute_min: float = 45.0
    crossing_tau_min: float = 240.0
    route_risk_indicator: str = "cargo_theft_rate"


# -- measuring functions ------------------------------------------------------------------------


def _crossing_km(ctx: SiteContext) -> np.ndarray:
    return ctx.nearest_crossing.km


def _crossing_trucks(ctx: SiteContext) -> np.ndarray:
    return ctx.crossings["trucks"].to_numpy()[ctx.nearest_crossing.index].astype(float)


def _crossing_trucks_by_road(ctx: SiteContext) -> np.ndarray:
    trucks = ctx.crossings.set_index("port_name")["trucks"].astype(float)
    return pd.Series(ctx.routed.nearest_crossing()).map(trucks).astype(float).to_numpy()


def _labor_within_radius(ctx: SiteContext) -> list[float]:
    tree = cKDTree(metric_xy(ctx.population))
    weights = ctx.population["population"].to_numpy()
    hits = tree.query_ball_point(ctx.xy, r=ctx.params.labor_radius_km * 1000.0)
    return [float(weights[h].sum()) for h in hits]


def _state(column: str) -> Callable[[SiteContext], np.ndarray]:
    def measure(ctx: SiteContext) -> np.ndarray:
        return ctx.state_value(column)

    measure.__name__ = f"_state_{column}"
    return measure


def _seaport_km(ctx: SiteContext) -> np.ndarray:
    return ctx.nearest_seaport.km


_CRITERIA = [
    Criterion(
        key="crossing_km",
        direction="cost",
        unit="km",
        label={
            "en": "Distance to commercial border crossing",
            "es": "Distancia al cruce fronterizo comercial",
        },
        description={
            "en": "Straight-line distance to the nearest US–Mexico land port that handles trucks.",
            "es": (
                "Distancia en línea recta al puerto fronterizo terrestre México–EUA más cercano "
                "que atiende camiones."
            ),
        },
        straight=_crossing_km,
        default_in=("straight-line",),
    ),
    Criterion(
        key="crossing_trucks",
        direction="benefit",
        unit="trucks/yr",
        label={"en": "Truck volume of that crossing", "es": "Camiones de ese cruce"},
        description={
            "en": "Inbound trucks handled in 2024 by the nearest commercial crossing (BTS).",
            "es": "Camiones de entrada atendidos en 2024 por el cruce comercial más cercano (BTS).",
        },
        straight=_crossing_trucks,
        network=_crossing_trucks_by_road,
        default_in=("straight-line",),
    ),
    Criterion(
        key="labor_pool",
        direction="benefit",
        unit="people",
        label={"en": "Labour pool", "es": "Fuerza laboral"},
        description={
            "en": (
                "Census 2020 population within the commute time by road (or, without a road "
                "network, within the labour-pool radius)."
            ),
            "es": (
                "Población del Censo 2020 a menos del tiempo de traslado por carretera (o, sin "
                "red de carreteras, dentro del radio de la fuerza laboral)."
            ),
        },
        straight=_labor_within_radius,
        network=lambda ctx: ctx.routed.labor_pool(),
        default_in=("network", "straight-line"),
    ),
    Criterion(
        key="homicide_rate",
        direction="cost",
        unit="per 100k",
        label={"en": "Homicide rate", "es": "Tasa de homicidios"},
        description={
            "en": (
                "Victims of intentional homicide per 100,000 inhabitants in the state (SESNSP)."
            ),
            "es": (
                "Víctimas de homicidio doloso por cada 100,000 habitantes en el estado (SESNSP)."
            ),
        },
        straight=_state("homicide_rate"),
        default_in=("network", "straight-line"),
    ),
    Criterion(
        key="cargo_theft_rate",
        direction="cost",
        unit="per 100k",
        label={"en": "Cargo-theft rate", "es": "Tasa de robo a transportista"},
        description={
            "en": (
                "Robbery of cargo carriers (robo a transportista) per 100,000 in the state "
                "(SESNSP)."
            ),
            "es": "Robo a transportista por cada 100,000 habitantes en el estado (SESNSP).",
        },
        straight=_state("cargo_theft_rate"),
        default_in=("network", "straight-line"),
    ),
    Criterion(
        key="advisory_level",
        direction="cost",
        unit="level 1-4",
        label={"en": "US travel advisory level", "es": "Nivel de alerta de viaje de EUA"},
        description={
            "en": (
                "US State Department advisory level of the state (1 normal ... 4 do not travel)."
            ),
            "es": (
                "Nivel de alerta del Departamento de Estado de EUA para el estado (1 normal ... "
                "4 no viajar)."
            ),
        },
        straight=_state("advisory_level"),
        default_in=("network", "straight-line"),
    ),
    Criterion(
        key="seaport_km",
        direction="cost",
        unit="km",
        label={"en": "Distance to seaport", "es": "Distancia al puerto marítimo"},
        description={
            "en": "Straight-line distance to the nearest seaport.",
            "es": "Distancia en línea recta al puerto marítimo más cercano.",
        },
        straight=_seaport_km,
        default_in=("straight-line",),
    ),
    Criterion(
        key="crossing_drive_min",
        direction="cost",
        unit="min",
        label={"en": "Truck time to border crossing", "es": "Tiempo en camión al cruce fronterizo"},
        description={
            "en": "Heavy-truck drive time by road to the nearest commercial land port.",
            "es": (
                "Tiempo de manejo de camión pesado por carretera al puerto fronterizo comercial "
                "más cercano."
            ),
        },
        network=lambda ctx: ctx.routed.crossing_drive_min(),
        default_in=("network",),
        alternative="crossing_km",
    ),
    Criterion(
        key="crossing_access",
        direction="benefit",
        unit="trucks/yr",
        label={
            "en": "Crossing access (trucks, time-discounted)",
            "es": "Acceso a cruces (camiones, descontados por tiempo)",
        },
        description={
            "en": (
                "Trucks handled by every commercial crossing, each discounted by the drive time "
                "to it: sum of trucks x exp(-minutes / tau)."
            ),
            "es": (
                "Camiones atendidos por cada cruce comercial, descontados por el tiempo de "
                "manejo hasta él: suma de camiones x exp(-minutos / tau)."
            ),
        },
        network=lambda ctx: ctx.routed.crossing_access(),
        default_in=("network",),
        alternative="crossing_trucks",
    ),
    Criterion(
        key="seaport_drive_min",
        direction="cost",
        unit="min",
        label={"en": "Truck time to seaport", "es": "Tiempo en camión al puerto marítimo"},
        description={
            "en": "Heavy-truck drive time by road to the nearest seaport.",
            "es": "Tiempo de manejo de camión pesado por carretera al puerto marítimo más cercano.",
        },
        network=lambda ctx: ctx.routed.seaport_drive_min(),
        default_in=("network",),
        alternative="seaport_km",
    ),
    Criterion(
        key="route_risk",
        direction="cost",
        unit="per 100k",
        label={"en": "Route risk to the border", "es": "Riesgo de la ruta a la frontera"},
        description={
            "en": (
                "State risk indicator (default: cargo theft per 100k) averaged over the fastest "
                "route to the nearest crossing, weighted by the time spent in each state."
            ),
            "es": (
                "Indicador de riesgo estatal (por defecto: robo a transportista por 100 mil) "
                "promediado sobre la ruta más rápida al cruce más cercano, ponderado por el "
                "tiempo en cada estado."
            ),
        },
        network=lambda ctx: ctx.routed.route_risk(),
        default_in=("network",),
        alternative="cargo_theft_rate",
    ),
]
for _criterion in _CRITERIA:
    register_criterion(_criterion)
del _criterion


def compute_criteria(
    candidates: gpd.GeoDataFrame,
    params: CriteriaParams | None = None,
    network: NetworkSettings | None = None,
    *,
    progress: ProgressFactory | None = None,
) -> pd.DataFrame:
    """Measure every registered criterion (:data:`CRITERIA`) for each candidate.

    Straight-line criteria are always measured (in EPSG:6372). With a road network (the default)
    the network criteria are measured too, and the criteria that have both forms
    (``crossing_trucks``, ``labor_pool``) use the network; the ``distance_method`` column says
    which. Network-only criteria are left out without a network.

    Parameters
    ----------
    candidates
        Candidate points, any CRS.
    params
        Criterion parameters; defaults to :class:`CriteriaParams`.
    network
        Road network settings; defaults to :class:`~siting.network.NetworkSettings` (the
        bundled network).
    progress
        Optional progress-bar factory (e.g. ``tqdm.tqdm``) for the slow steps; silent if None.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``candidates``: ``CVEGEO``, ``municipality``, ``CVE_ENT``, ``state``, one
        column per criterion (registry order), ``nearest_crossing``, ``nearest_seaport``; with a
        network ``reachable`` (False: the site reaches no commercial crossing by road; its drive
        times are ``inf``) and ``snap_km`` (distance from the site to the network); and
        ``distance_method``. ``out.attrs["network"]`` describes the routing structures used.

    Raises
    ------
    siting.InputError
        If the road network file cannot be read.
    """
    ctx = SiteContext(
        candidates, params or CriteriaParams(), network or NetworkSettings(), progress=progress
    )
    out = ctx.admin.copy()
    routed = ctx.routed
    for key, criterion in CRITERIA.items():
        if criterion.needs_network and routed is None:
            continue
        out[key] = criterion.measure(ctx)
    if routed is None:
        out["nearest_crossing"] = ctx.crossings["port_name"].to_numpy()[ctx.nearest_crossing.index]
        out["nearest_seaport"] = ctx.seaports["name"].to_numpy()[ctx.nearest_seaport.index]
    else:
        out["nearest_crossing"] = routed.nearest_crossing()
        out["nearest_seaport"] = routed.nearest_seaport()
        out["reachable"] = routed.reachable
        out["snap_km"] = routed.snap_m / 1000.0
    out["distance_method"] = ctx.network.describe()
    out.attrs["network"] = ctx.network_info
    return out
