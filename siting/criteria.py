"""Criteria: what is measured for each candidate site, and in which direction it is good.

:data:`CRITERIA` is the registry of every criterion siting knows. Each criterion has a stable
``name`` (the column in ``ranking.csv`` and the key in scenario files), a user-facing ``label`` and
``unit`` (see :mod:`siting.text`), a ``direction``: ``"benefit"`` (more is better) or
``"cost"`` (less is better), and ``network``: True if it needs a road network.

:func:`compute_criteria` measures them for a GeoDataFrame of candidates: on the road network
(:class:`NetworkSettings`, default the bundled INEGI RNC 2018 graph with truck speeds, routed by
:mod:`siting.routing`) or, with ``source = "straight-line"``, by straight-line distance only.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from siting import layers
from siting._errors import InputError
from siting.text import CRITERION_TEXT, NETWORK_TEXT

logger = logging.getLogger(__name__)

Direction = Literal["benefit", "cost"]


@dataclass(frozen=True)
class Criterion:
    """A criterion of the registry."""

    name: str
    direction: Direction
    unit: str
    network: bool = False

    @property
    def label(self) -> str:
        """User-facing name of the criterion."""
        return CRITERION_TEXT[self.name]["label"]

    @property
    def description(self) -> str:
        """One-sentence user-facing description."""
        return CRITERION_TEXT[self.name]["description"]


CRITERIA: dict[str, Criterion] = {
    c.name: c
    for c in [
        Criterion("crossing_km", "cost", "km"),
        Criterion("crossing_trucks", "benefit", "trucks/yr"),
        Criterion("labor_pool", "benefit", "people"),
        Criterion("homicide_rate", "cost", "per 100k"),
        Criterion("cargo_theft_rate", "cost", "per 100k"),
        Criterion("advisory_level", "cost", "level 1-4"),
        Criterion("seaport_km", "cost", "km"),
        Criterion("crossing_drive_min", "cost", "min", network=True),
        Criterion("crossing_access", "benefit", "trucks/yr", network=True),
        Criterion("seaport_drive_min", "cost", "min", network=True),
        Criterion("route_risk", "cost", "per 100k", network=True),
    ]
}

#: The criteria a site is judged on by default (objective weights without a ``criteria`` list):
#: on the road network, and by straight-line distance. No criterion appears twice in two forms.
DEFAULT_SET: dict[str, tuple[str, ...]] = {
    "network": (
        "crossing_drive_min", "crossing_access", "labor_pool", "homicide_rate",
        "cargo_theft_rate", "advisory_level", "route_risk", "seaport_drive_min",
    ),
    "straight-line": (
        "crossing_km", "crossing_trucks", "labor_pool", "homicide_rate",
        "cargo_theft_rate", "advisory_level", "seaport_km",
    ),
}  # fmt: skip

#: Values of ``[network] source`` that switch the road network off.
STRAIGHT_LINE = ("straight-line", "none")

#: State indicators that ``route_risk`` can weigh the route by.
ROUTE_RISK_INDICATORS = ("cargo_theft_rate", "homicide_rate", "advisory_level")


@dataclass(frozen=True)
class CriteriaParams:
    """Parameters of the criteria.

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


@dataclass(frozen=True)
class NetworkSettings:
    """The road network of a run (scenario section ``[network]``).

    Parameters
    ----------
    source
        ``"bundled"``: the national INEGI RNC 2018 network shipped with siting (default); a
        path to an OSM XML (``.osm``, ``.osm.bz2``, ``.xml``) or osmnx GraphML file;
        ``"download"`` to fetch the OpenStreetMap truck roads of ``place`` or ``bbox`` with osmnx
        (needs internet once; the download and the routing structures are cached); or
        ``"straight-line"`` to measure straight-line distances only (network criteria are then
        unavailable).
    access_speed_kph
        Speed of the off-network leg between a point and its nearest network node.
    max_snap_km
        A point farther than this from the network is off it: a site is *unreachable*, a
        crossing, seaport or locality is left out. Keeps a regional network from routing to a
        crossing 800 km outside it by an imaginary access leg.
    speeds
        Truck speed overrides by road class (km/h), see :data:`layers.roads.TRUCK_SPEEDS_KPH`
        and :data:`layers.roads.OSM_TRUCK_SPEEDS_KPH`.
    place, bbox
        What ``source = "download"`` fetches: a place name that Nominatim geocodes to a polygon
        (``"Ramos Arizpe, Coahuila, México"``) or ``(west, south, east, north)`` in degrees.
    """

    source: str = "bundled"
    access_speed_kph: float = 20.0
    max_snap_km: float = 25.0
    speeds: Mapping[str, float] = field(default_factory=dict)
    place: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    @property
    def straight_line(self) -> bool:
        """True if no road network is used."""
        return self.source.strip().lower() in STRAIGHT_LINE

    @property
    def bundled(self) -> bool:
        """True for the bundled national network."""
        return self.source.strip().lower() == "bundled"

    @property
    def download(self) -> bool:
        """True for an osmnx download of ``place`` or ``bbox``."""
        return self.source.strip().lower() == "download"

    @property
    def kind(self) -> str:
        """``"straight-line"``, ``"bundled"``, ``"download"`` or ``"file"``."""
        if self.straight_line:
            return "straight-line"
        if self.bundled or self.download:
            return self.source.strip().lower()
        return "file"

    @property
    def osm(self) -> bool:
        """True if the network is OpenStreetMap data (an OSM file or a download)."""
        from siting.layers import roads

        return self.download or self.source.strip().lower().endswith(roads.OSM_SUFFIXES)

    @property
    def area(self) -> str:
        """What a download covers, as text."""
        if self.place is not None:
            return self.place
        return "bbox " + ", ".join(f"{c:g}" for c in self.bbox or ())

    def describe(self) -> str:
        """One line for outputs: which distances the criteria use."""
        if self.straight_line:
            return NETWORK_TEXT["straight_line"]
        if self.bundled:
            return NETWORK_TEXT["bundled"]
        if self.download:
            return NETWORK_TEXT["download"].format(area=self.area)
        return NETWORK_TEXT["file"].format(name=Path(self.source).name)

    def key(self) -> str:
        """Identity of the routing inputs: source content, speed tables, bridge gaps."""
        from siting.layers import roads

        h = hashlib.sha256()
        if self.download:  # the first download of an area is reused (as osmnx's cache does)
            h.update(
                json.dumps(
                    {"place": self.place, "bbox": self.bbox, "filter": roads.TRUCK_FILTER}
                ).encode()
            )
        else:
            path = layers.data_path(roads.NATIONAL_FILE) if self.bundled else Path(self.source)
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
        h.update(
            json.dumps(
                {
                    "source": self.kind,
                    "rnc": roads.TRUCK_SPEEDS_KPH,
                    "osm": roads.OSM_TRUCK_SPEEDS_KPH,
                    "speeds": dict(self.speeds),
                    "gaps": [repr(g) for g in roads.BRIDGE_GAPS] if self.bundled else [],
                },
                sort_keys=True,
            ).encode()
        )
        return h.hexdigest()[:32]


def _xy(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return gdf.geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()


ProgressFactory = Callable[..., Any]


def compute_criteria(
    candidates: gpd.GeoDataFrame,
    params: CriteriaParams | None = None,
    network: NetworkSettings | None = None,
    *,
    progress: ProgressFactory | None = None,
) -> pd.DataFrame:
    """Measure every criterion of :data:`CRITERIA` for each candidate.

    The straight-line criteria (``crossing_km``, ``seaport_km``) are always measured, in
    EPSG:6372. With a road network (the default) the network criteria are measured too and the
    nearest crossing and seaport, the crossing's trucks and the labour pool come from drive times
    (:func:`siting.routing.network_criteria`); the ``distance_method`` column says which.

    Parameters
    ----------
    candidates
        Candidate points, any CRS.
    params
        Criterion parameters; defaults to :class:`CriteriaParams`.
    network
        Road network settings; defaults to :class:`NetworkSettings` (the bundled network).
    progress
        Optional progress-bar factory (e.g. ``tqdm.tqdm``) for the slow steps; silent if None.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``candidates``: one column per criterion, plus ``CVE_ENT``, ``state``,
        ``CVEGEO``, ``municipality``, ``nearest_crossing``, ``nearest_seaport`` and
        ``distance_method``; with a network also ``snap_km`` (distance from the site to the
        network) and ``reachable`` (False: the site reaches no commercial crossing by road; its
        drive times are ``inf``). ``out.attrs["network"]`` describes the routing structures used.

    Raises
    ------
    siting.InputError
        If the road network file cannot be read.
    """
    params = params or CriteriaParams()
    network = network or NetworkSettings()
    xy = _xy(candidates)
    out = pd.DataFrame(index=candidates.index)

    # where the site is: municipality and state (nearest polygon if it falls on a coastline gap)
    muns = layers.boundaries.municipalities().to_crs(layers.CRS_METRIC)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=layers.CRS_METRIC)
    joined = gpd.sjoin_nearest(pts, muns, how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    out["CVEGEO"] = joined["CVEGEO"].to_numpy()
    out["municipality"] = joined["municipality"].to_numpy()
    out["CVE_ENT"] = joined["CVE_ENT"].to_numpy()
    out["state"] = joined["state"].to_numpy()

    crossings = layers.crossings.commercial_crossings(min_trucks=params.min_trucks)
    dist, idx = cKDTree(_xy(crossings)).query(xy)
    out["crossing_km"] = dist / 1000.0
    out["nearest_crossing"] = crossings["port_name"].to_numpy()[idx]
    out["crossing_trucks"] = crossings["trucks"].to_numpy()[idx].astype(float)

    sec = layers.security.state_security(params.security_year).set_index("CVE_ENT")
    for col in ("homicide_rate", "cargo_theft_rate", "advisory_level"):
        out[col] = out["CVE_ENT"].map(sec[col]).astype(float)

    ports = layers.transport.seaports()
    dist, idx = cKDTree(_xy(ports)).query(xy)
    out["seaport_km"] = dist / 1000.0
    out["nearest_seaport"] = ports["name"].to_numpy()[idx]

    pop = layers.labor.population_points()
    if network.straight_line:
        tree = cKDTree(_xy(pop))
        weights = pop["population"].to_numpy()
        hits = tree.query_ball_point(xy, r=params.labor_radius_km * 1000.0)
        out["labor_pool"] = [float(weights[h].sum()) for h in hits]
        out["distance_method"] = network.describe()
        out.attrs["network"] = {"source": "straight-line"}
        return out[_column_order(out)]

    from siting.routing import network_criteria

    net, info = routing_network(network, progress=progress)
    found = network_criteria(
        candidates,
        net,
        crossings=crossings,
        seaports=ports,
        population=pop,
        state_risk=sec[params.route_risk_indicator].astype(float).to_dict(),
        commute_min=params.commute_min,
        access_speed_kph=network.access_speed_kph,
        tau_min=params.crossing_tau_min,
        max_snap_m=network.max_snap_km * 1000.0,
        progress=progress,
    )
    for col in (
        "crossing_drive_min", "crossing_access", "seaport_drive_min", "route_risk",
        "labor_pool", "nearest_crossing", "nearest_seaport", "reachable",
    ):  # fmt: skip
        out[col] = found[col].to_numpy()
    out["snap_km"] = found["snap_m"].to_numpy() / 1000.0
    trucks = crossings.set_index("port_name")["trucks"].astype(float)
    out["crossing_trucks"] = out["nearest_crossing"].map(trucks).astype(float)
    out["distance_method"] = network.describe()
    out.attrs["network"] = info
    return out[_column_order(out)]


def _column_order(out: pd.DataFrame) -> list[str]:
    first = ["CVEGEO", "municipality", "CVE_ENT", "state"]
    crit = [c for c in CRITERIA if c in out.columns]
    return [*first, *crit, *[c for c in out.columns if c not in first and c not in crit]]


def routing_network(
    network: NetworkSettings, *, progress: ProgressFactory | None = None
) -> tuple[Any, dict[str, Any]]:
    """Return the :class:`siting.routing.RoutingNetwork` of ``network`` and a description.

    The routing structures are cached on disk (``layers.settings.cache_folder``) under a key of
    the network file's content, the speed tables and the bridged gaps; a cache hit does not build
    the graph at all. The description (``from_cache``, ``cache_file``, ``nodes``, ``arcs``,
    ``seconds``, ``source``, ``speeds``) goes into the run record.
    """
    import time

    from siting.layers import roads
    from siting.routing import build_routing

    t0 = time.perf_counter()
    try:
        key = network.key()
    except OSError as exc:
        msg = (
            f"cannot read the road network {network.source!r} ([network] source): "
            f"{exc.strerror or exc}; give an existing .osm, .osm.bz2, .xml or .graphml file, "
            f'"bundled" or "straight-line"'
        )
        raise InputError(msg) from exc
    bar = progress(total=1, desc=NETWORK_TEXT["progress"], unit="step") if progress else None

    def graph() -> Any:
        if network.bundled:
            return roads.national_graph(speeds=network.speeds, geometry=False)
        if network.download:
            try:
                if network.place is not None:
                    return roads.graph_from_place(network.place, speeds=network.speeds)
                return roads.graph_from_bbox(network.bbox, speeds=network.speeds)  # type: ignore[arg-type]
            except Exception as exc:  # no internet, unknown place, Overpass errors ...
                msg = NETWORK_TEXT["download_failed"].format(area=network.area, error=exc)
                raise InputError(msg) from exc
        try:
            return roads.load_graph(network.source, speeds=network.speeds)
        except layers.DataError as exc:
            raise InputError(str(exc)) from exc
        except (OSError, ValueError, KeyError) as exc:  # unreadable or malformed file
            msg = f"cannot read the road network {network.source!r}: {exc}"
            raise InputError(msg) from exc

    try:
        net = build_routing(graph, source_key=key)  # type: ignore[arg-type]
        if bar is not None:
            bar.update(1)
    finally:
        if bar is not None:
            bar.close()  # before any error message is printed
    if network.bundled:
        source = "bundled"
    elif network.download:
        source = f"download: {network.area}"
    else:
        source = str(Path(network.source).resolve())
    info = {
        "source": source,
        "description": network.describe(),
        "speeds": {
            **(roads.TRUCK_SPEEDS_KPH if network.bundled else roads.OSM_TRUCK_SPEEDS_KPH),
            **dict(network.speeds),
        },  # fmt: skip
        "access_speed_kph": network.access_speed_kph,
        "max_snap_km": network.max_snap_km,
        "nodes": int(net.n_nodes),
        "arcs": int(net.n_arcs),
        "from_cache": bool(net.from_cache),
        "cache_file": net.cache_file,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    built = Path(net.cache_file).stat().st_mtime if net.cache_file else time.time()
    info["built_utc"] = datetime.fromtimestamp(built, UTC).isoformat(timespec="seconds")
    return net, info
