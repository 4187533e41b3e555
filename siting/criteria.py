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
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.criterion import CRITERIA, Criterion, default_set, register_criterion
from siting.measure import SiteContext
from siting.network import NetworkSettings
from siting.routing.search import ProgressFactory
from siting.valuefn import ValueFunction

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
        Year of the SESNSP state indicators; ``None`` takes the latest full year. (The municipal
        homicide rate always covers the bundled last 12 months.)
    min_trucks
        A land port counts as a commercial crossing a plant would use if it handled at least this
        many inbound trucks in 2024. The default, 100,000 (about 275 a day), keeps the ten
        crossings that carry 95 % of the trucks; ``crossing_drive_min_any`` and
        ``nearest_crossing_any`` still report the nearest crossing with at least one truck.
    commute_min
        Commute budget of the labour pool on the road network: population whose locality
        reaches the site within this many minutes (access legs included).
    crossing_tau_min
        Decay time τ of ``crossing_access`` = Σ trucks · exp(−minutes / τ), minutes.
    route_risk_indicator
        State indicator weighted by the time spent in each state along the route to the
        nearest crossing: ``"cargo_theft_rate"`` (default: robbery of freight on the road),
        ``"homicide_rate"`` or ``"advisory_level"``.
    seaport_tau_min
        Decay time τ of ``seaport_access`` = Σ TEU · exp(−minutes / τ), minutes.
    us_gateways
        Also count US container ports (Los Angeles/Long Beach, Houston) reached through a
        crossing: drive to the crossing + its wait + an estimated US-side truck leg
        (:func:`siting.layers.transport.us_leg_minutes`).
    crossing_lane
        ``"standard"`` or ``"fast"``: which commercial-lane wait of ``crossing_waits`` applies.
    crossing_waits
        Typical truck wait per crossing (``port_name`` → minutes, for ``crossing_lane``), added
        to the drive time when choosing and timing the crossing; from the scenario's
        ``[crossing_waits]``. Empty: no waits.
    crossing_waits_source
        Where the waits came from (scenario table, or a file and its snapshot time).
    """

    labor_radius_km: float = 50.0
    security_year: int | None = None
    min_trucks: int = 100_000
    commute_min: float = 45.0
    crossing_tau_min: float = 240.0
    route_risk_indicator: str = "cargo_theft_rate"
    seaport_tau_min: float = 360.0
    us_gateways: bool = True
    crossing_lane: str = "standard"
    crossing_waits: dict[str, float] = field(default_factory=dict)
    crossing_waits_source: str = ""


# -- measuring functions ------------------------------------------------------------------------


def _crossing_km(ctx: SiteContext) -> np.ndarray:
    return ctx.nearest_crossing.km


def _crossing_trucks(ctx: SiteContext) -> np.ndarray:
    return ctx.crossings["trucks"].to_numpy()[ctx.nearest_crossing.index].astype(float)


def _crossing_trucks_by_road(ctx: SiteContext) -> np.ndarray:
    trucks = ctx.crossings.set_index("port_name")["trucks"].astype(float)
    return pd.Series(ctx.routed.nearest_crossing()).map(trucks).astype(float).to_numpy()


def _within_radius(column: str) -> Callable[[SiteContext], list[float]]:
    def measure(ctx: SiteContext) -> list[float]:
        weights = ctx.population[column].to_numpy(dtype=float)
        return [float(weights[h].sum()) for h in ctx.population_within_radius]

    measure.__name__ = f"_{column}_within_radius"
    return measure


def _municipal(table: str, column: str) -> Callable[[SiteContext], np.ndarray]:
    def measure(ctx: SiteContext) -> np.ndarray:
        return ctx.municipal_value(getattr(ctx, table), column)

    measure.__name__ = f"_municipal_{column}"
    return measure


def _state_wage(ctx: SiteContext) -> np.ndarray:
    wage = ctx.state_labor["avg_monthly_wage_mxn"]
    return ctx.admin["CVE_ENT"].map(wage).astype(float).to_numpy()


#: Labour criteria saturate by default. Population within a commute spans four orders of magnitude
#: (a few thousand people to 19 million around Mexico City): min-max on the raw figure squeezes
#: every city but the capital toward zero, and min-max on its logarithm squeezes every city
#: together (metros land between about 0.75 and 0.95). A plant of a few thousand workers needs a deep
#: market, not the deepest: value rises linearly to 1 at a labour force of 1,000,000 within the
#: commute (about 2 million residents at Mexico's economically active share of 0.46) and stays 1
#: beyond. Tijuana (0.95 million) and Querétaro (0.98 million) are near full; Saltillo (0.48
#: million) counts half; Nuevo Laredo (0.19 million) a fifth.
LABOR_FORCE_SATURATION = 1_000_000
LABOR_FORCE_VALUE = ValueFunction("threshold", {"full": LABOR_FORCE_SATURATION, "zero": 0})
#: The same for all residents (all ages): saturates at 2,000,000 people.
POPULATION_VALUE = ValueFunction("threshold", {"full": 2 * LABOR_FORCE_SATURATION, "zero": 0})


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
        label={"en": "Population within commute", "es": "Población a distancia de traslado"},
        description={
            "en": (
                "Census 2020 population of all ages within the commute time by road (or, without "
                "a road network, within the labour-pool radius)."
            ),
            "es": (
                "Población del Censo 2020, de todas las edades, a menos del tiempo de traslado "
                "por carretera (o, sin red de carreteras, dentro del radio de la fuerza laboral)."
            ),
        },
        straight=_within_radius("population"),
        network=lambda ctx: ctx.routed.labor_pool(),
        value_function=POPULATION_VALUE,
    ),
    Criterion(
        key="labor_force",
        direction="benefit",
        unit="people",
        label={"en": "Labour force within commute", "es": "Población económicamente activa"},
        description={
            "en": (
                "Estimated economically active population within the commute time: each "
                "locality's Census 2020 population times its state's share of economically "
                "active residents (ENOE, last four quarters)."
            ),
            "es": (
                "Población económicamente activa estimada a menos del tiempo de traslado: la "
                "población de cada localidad (Censo 2020) por la proporción de población "
                "económicamente activa de su estado (ENOE, últimos cuatro trimestres)."
            ),
        },
        straight=_within_radius("labor_force"),
        network=lambda ctx: ctx.routed.labor_force(),
        value_function=LABOR_FORCE_VALUE,
        default_in=("network", "straight-line"),
    ),
    Criterion(
        key="min_wage_daily",
        direction="cost",
        unit="MXN/day",
        label={"en": "Minimum wage (zone)", "es": "Salario mínimo (zona)"},
        description={
            "en": (
                "Daily minimum wage in force where the site is: the northern-border free zone "
                "(Zona Libre de la Frontera Norte, 43 municipalities) pays about 40 % more than "
                "the rest of Mexico (CONASAMI)."
            ),
            "es": (
                "Salario mínimo diario vigente donde está el sitio: la Zona Libre de la Frontera "
                "Norte (43 municipios) paga cerca de 40 % más que el resto de México (CONASAMI)."
            ),
        },
        straight=_municipal("wage_zones", "min_wage_daily_mxn"),
        default_in=("network", "straight-line"),
    ),
    Criterion(
        key="avg_wage_state",
        direction="cost",
        unit="MXN/month",
        label={"en": "Average wage (state)", "es": "Ingreso promedio (estado)"},
        description={
            "en": (
                "Average monthly income of the employed in the state (ENOE, last four quarters); "
                "a rough relative indicator: the survey counts zero incomes."
            ),
            "es": (
                "Ingreso mensual promedio de la población ocupada del estado (ENOE, últimos "
                "cuatro trimestres); indicador relativo: la encuesta incluye ingresos en cero."
            ),
        },
        straight=_state_wage,
    ),
    Criterion(
        key="homicide_rate",
        direction="cost",
        unit="per 100k",
        label={"en": "Homicide rate (municipality)", "es": "Tasa de homicidios (municipio)"},
        description={
            "en": (
                "Intentional homicides and femicides per 100,000 in the site's municipality, last "
                "12 months (SESNSP incidents), shrunk toward the state rate where the population "
                "is small (empirical Bayes)."
            ),
            "es": (
                "Homicidios dolosos y feminicidios por cada 100,000 habitantes en el municipio "
                "del sitio, últimos 12 meses (carpetas SESNSP), ajustados hacia la tasa estatal "
                "donde la población es pequeña (Bayes empírico)."
            ),
        },
        straight=_municipal("homicide", "homicide_rate"),
        default_in=("network", "straight-line"),
    ),
    Criterion(
        key="homicide_rate_state",
        direction="cost",
        unit="per 100k",
        label={"en": "Homicide rate (state)", "es": "Tasa de homicidios (estado)"},
        description={
            "en": (
                "Victims of intentional homicide per 100,000 inhabitants in the state, latest full "
                "year (SESNSP)."
            ),
            "es": (
                "Víctimas de homicidio doloso por cada 100,000 habitantes en el estado, último "
                "año completo (SESNSP)."
            ),
        },
        straight=_state("homicide_rate"),
    ),
    Criterion(
        key="extortion_rate",
        direction="cost",
        unit="per 100k",
        label={"en": "Extortion rate (state)", "es": "Tasa de extorsión (estado)"},
        description={
            "en": "Extortion incidents per 100,000 in the state, latest full year (SESNSP).",
            "es": "Extorsiones por cada 100,000 habitantes en el estado, último año completo (SESNSP).",
        },
        straight=_state("extortion_rate"),
    ),
    Criterion(
        key="kidnapping_rate",
        direction="cost",
        unit="per 100k",
        label={"en": "Kidnapping rate (state)", "es": "Tasa de secuestro (estado)"},
        description={
            "en": "Kidnapping incidents per 100,000 in the state, latest full year (SESNSP).",
            "es": "Secuestros por cada 100,000 habitantes en el estado, último año completo (SESNSP).",
        },
        straight=_state("kidnapping_rate"),
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
        label={"en": "Distance to container port", "es": "Distancia al puerto de contenedores"},
        description={
            "en": "Straight-line distance to the nearest Mexican container port (CGPMM).",
            "es": "Distancia en línea recta al puerto de contenedores mexicano más cercano (CGPMM).",
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
            "en": (
                "Heavy-truck drive time by road to the best crossing with commercial capacity "
                "(min_trucks), plus its typical wait when the scenario gives one."
            ),
            "es": (
                "Tiempo de manejo de camión pesado por carretera al mejor cruce con capacidad "
                "comercial (min_trucks), más su espera típica si el escenario la da."
            ),
        },
        network=lambda ctx: ctx.routed.crossing_drive_min(),
        default_in=("network",),
        alternative="crossing_km",
    ),
    Criterion(
        key="crossing_drive_min_any",
        direction="cost",
        unit="min",
        label={
            "en": "Truck time to any crossing",
            "es": "Tiempo en camión a cualquier cruce",
        },
        description={
            "en": "Heavy-truck drive time to the nearest land port that handled any truck in 2024.",
            "es": (
                "Tiempo de manejo de camión pesado al puerto fronterizo más cercano que atendió "
                "algún camión en 2024."
            ),
        },
        network=lambda ctx: ctx.routed.crossing_drive_min_any(),
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
        label={
            "en": "Truck time to container port",
            "es": "Tiempo en camión al puerto de contenedores",
        },
        description={
            "en": (
                "Heavy-truck time to the best container port: a Mexican one by road, or a US "
                "gateway (Los Angeles/Long Beach, Houston) via a crossing, its wait and an "
                "estimated US-side leg."
            ),
            "es": (
                "Tiempo en camión pesado al mejor puerto de contenedores: uno mexicano por "
                "carretera, o uno de EUA (Los Ángeles/Long Beach, Houston) por un cruce, su "
                "espera y un tramo estimado en EUA."
            ),
        },
        network=lambda ctx: ctx.routed.seaport_drive_min(),
        default_in=("network",),
        alternative="seaport_km",
    ),
    Criterion(
        key="seaport_access",
        direction="benefit",
        unit="TEU/yr",
        label={
            "en": "Container-port access (TEU, time-discounted)",
            "es": "Acceso a puertos de contenedores (TEU, descontados por tiempo)",
        },
        description={
            "en": (
                "Containers handled by every container port, each discounted by the truck time "
                "to it: sum of TEU x exp(-minutes / tau)."
            ),
            "es": (
                "Contenedores movidos por cada puerto, descontados por el tiempo en camión hasta "
                "él: suma de TEU x exp(-minutos / tau)."
            ),
        },
        network=lambda ctx: ctx.routed.seaport_access(),
        default_in=("network",),
        alternative="seaport_km",
    ),
    Criterion(
        key="seaport_risk",
        direction="cost",
        unit="per 100k",
        label={"en": "Security of the port route", "es": "Seguridad de la ruta al puerto"},
        description={
            "en": (
                "Homicides per 100k at the container port used (its municipality; for a US "
                "gateway, the crossing's Mexican city) averaged with the state rates along the "
                "route to it, weighted by time."
            ),
            "es": (
                "Homicidios por 100 mil en el puerto usado (su municipio; para un puerto de EUA, "
                "la ciudad mexicana del cruce) promediados con las tasas estatales a lo largo de "
                "la ruta, ponderadas por tiempo."
            ),
        },
        network=lambda ctx: ctx.routed.seaport_risk(),
        default_in=("network",),
        alternative="homicide_rate",
    ),
    Criterion(
        key="route_risk",
        direction="cost",
        unit="per 100k",
        label={
            "en": "Route risk to the border (state rates)",
            "es": "Riesgo de la ruta a la frontera (tasas estatales)",
        },
        description={
            "en": (
                "State risk indicator (default: cargo theft per 100k) averaged over the fastest "
                "route to the crossing used, weighted by the time spent in each state; state "
                "figures, as no municipal cargo-theft data are bundled."
            ),
            "es": (
                "Indicador de riesgo estatal (por defecto: robo a transportista por 100 mil) "
                "promediado sobre la ruta más rápida al cruce usado, ponderado por el tiempo en "
                "cada estado; cifras estatales, pues no hay datos municipales de robo a "
                "transportista."
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
        column = criterion.candidate_column
        if column is not None and column not in candidates.columns:
            continue  # the user's own data, measured only where given
        out[key] = criterion.measure(ctx)
    if routed is None:
        out["nearest_crossing"] = ctx.crossings["port_name"].to_numpy()[ctx.nearest_crossing.index]
        out["nearest_seaport"] = ctx.seaports["name"].to_numpy()[ctx.nearest_seaport.index]
    else:
        out["nearest_crossing"] = routed.nearest_crossing()
        out["nearest_seaport"] = routed.nearest_seaport()
        out["reachable"] = routed.reachable
        out["snap_km"] = routed.snap_m / 1000.0
        out["nearest_crossing_any"] = routed.nearest_crossing_any()
        out["crossing_wait_min"] = routed.crossing_wait_min()
    out["distance_method"] = ctx.network.describe()
    out["metro"] = ctx.metro.to_numpy()
    out.attrs["network"] = ctx.network_info
    return out
