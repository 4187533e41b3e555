"""The road network of a run: scenario section ``[network]`` and its routing structures.

:class:`NetworkSettings` says which network a run is routed on (the bundled INEGI RNC 2018
network, an OSM/GraphML file, an osmnx download, or none: straight-line distances);
:func:`routing_network` turns it into :class:`siting.routing.RoutingNetwork` arrays, from the
disk cache when the inputs are unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from siting import layers
from siting._errors import InputError
from siting.routing import RoutingNetwork
from siting.routing.search import ProgressFactory
from siting.text import NETWORK_TEXT, NETWORK_TEXT_BY_LANG, check_lang

__all__ = ["STRAIGHT_LINE", "NetworkSettings", "routing_network"]

#: Values of ``[network] source`` that switch the road network off.
STRAIGHT_LINE = ("straight-line", "none")


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

    def describe(self, lang: str = "en") -> str:
        """One line for outputs: which distances the criteria use, in ``lang`` ("en" or "es")."""
        text = NETWORK_TEXT_BY_LANG[check_lang(lang)]
        if self.straight_line:
            return text["straight_line"]
        if self.bundled:
            return text["bundled"]
        if self.download:
            return text["download"].format(area=self.area)
        return text["file"].format(name=Path(self.source).name)

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


def routing_network(
    network: NetworkSettings, *, progress: ProgressFactory | None = None
) -> tuple[RoutingNetwork, dict[str, Any]]:
    """Return the :class:`siting.routing.RoutingNetwork` of ``network`` and a description.

    The routing structures are cached on disk (``layers.settings.cache_folder``) under a key of
    the network file's content, the speed tables and the bridged gaps; a cache hit does not build
    the graph at all. The description (``from_cache``, ``cache_file``, ``nodes``, ``arcs``,
    ``seconds``, ``source``, ``speeds``) goes into the run record.
    """
    from siting.layers import roads

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
        except layers.DataError as exc:  # missing, truncated or malformed file (named)
            raise InputError(str(exc)) from exc
        except (OSError, EOFError, SyntaxError, ValueError, KeyError, nx.NetworkXError) as exc:
            msg = (
                f"cannot read the road network {network.source!r} ([network] source): "
                f"{type(exc).__name__}: {exc}; export or download the file again"
            )
            raise InputError(msg) from exc

    try:
        net = RoutingNetwork.cached(graph, source_key=key)  # type: ignore[arg-type]
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
    built = time.time()
    if net.cache_file:
        with contextlib.suppress(OSError):  # removed meanwhile by another run: now
            built = Path(net.cache_file).stat().st_mtime
    info["built_utc"] = datetime.fromtimestamp(built, UTC).isoformat(timespec="seconds")
    return net, info
