"""Road networks as osmnx-compatible ``MultiDiGraph`` objects with heavy-truck travel times.

Sources
-------
- the bundled national major-road network, INEGI *Red Nacional de Caminos* 2018
  (:func:`national_graph`, the default of :func:`load_graph`);
- any OpenStreetMap XML file, e.g. an extract of the user's region (:func:`graph_from_osm_xml`);
- an osmnx GraphML file (:func:`graph_from_graphml`, written by :func:`save_graphml`);
- an osmnx download for a place or bounding box with a truck-relevant road filter, cached in the
  siting cache folder (:func:`graph_from_place`, :func:`graph_from_bbox`; need internet).

Graph schema (the interface to the routing engine)
--------------------------------------------------
Graph attribute ``crs`` = ``"EPSG:4326"``. Nodes: ``x`` (longitude), ``y`` (latitude). Edges (one
per direction; RNC lines are two-way, OSM one-way streets keep one direction):

``length``
    metres (national: RNC's true length ``len_rnc_km``, falling back to the simplified geometry's
    ``len_km`` in Estado de México and Veracruz, where RNC's length is missing; never less than
    the length of the line's own polyline, see :func:`_line_length_km`).
``speed_kph``
    heavy-truck speed, see :data:`TRUCK_SPEEDS_KPH` / :data:`OSM_TRUCK_SPEEDS_KPH`.
``travel_time``
    seconds, ``length / speed``.

National edges also carry ``road_class``, ``toll``, ``cve_ent`` (INEGI state code), ``posted_kph``
(RNC posted speed), ``tipo_vial``, ``lanes``, ``code`` and ``name`` (when known), ``geometry``
(shapely LineString from ``u`` to ``v``), ``oneway`` (False) and ``reversed``. Edges that bridge
known breaks of the source data (:data:`BRIDGE_GAPS`) have ``road_class = "bridge_gap"``,
``synthetic = True`` and a ``note``; every other national edge has ``synthetic = False``.

Network quality
---------------
:func:`detour_check` compares network and great-circle distances between the most populous
municipal seats and the US–Mexico land ports; ``tests/test_network_quality.py`` holds the
threshold the bundled network must meet.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import re
import time
import xml.sax
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree.ElementTree import ParseError

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from siting.layers import settings
from siting.layers._data import CRS_GEO, CRS_METRIC, check_columns, data_path
from siting.layers._errors import DataError
from siting.layers._graph import arc_matrix
from siting.layers.crossings import land_ports
from siting.layers.labor import municipal_population

log = logging.getLogger(__name__)

NATIONAL_FILE = "roads/mx_highways_rnc2018.parquet"

#: Heavy-truck speed (km/h) by RNC ``road_class``. The edge speed is
#: ``min(posted speed, TRUCK_SPEEDS_KPH[road_class])``.
#:
#: Reasoning. Mexican federal rules limit loaded freight vehicles below cars: NOM-012-SCT-2-2017
#: and the *Reglamento de Tránsito en Carreteras y Puentes de Jurisdicción Federal* set 80 km/h
#: for trucks and tractor-trailers (95 km/h for buses) on highways where cars may do 110 km/h,
#: or the posted limit if lower. Loaded trucks on grades, through towns and over *topes* average
#: well below that cap on free two-lane roads. Hence:
#:
#: - ``toll`` 80: four-lane *autopistas*; the legal cap is the realistic cruising speed.
#: - ``federal`` 70: free federal roads, mostly two-lane, through towns.
#: - ``state`` 60: state roads, narrower, more grades and towns.
#: - ``unknown`` 80: *carreteras* of Estado de México and Veracruz, where the source has no
#:   admin/toll attribute; they include toll motorways (México–Querétaro, La Tinaja–Cosoleacaque),
#:   so the cap is the highway cap and minor roads are held down by their posted speeds.
#: - ``arterial`` 50: urban arterials (posted mostly 60), with lights and traffic.
#: - ``ramp`` 30: interchanges (*enlaces*).
#: - ``connector`` 30: real RNC streets and *caminos* (some unpaved) that join fragments.
#: - ``bridge_gap`` 30: synthetic edges bridging breaks of the source data (no posted speed);
#:   deliberately slow so that a bridged gap never looks like a motorway.
#:
#: Overrides (scenario): pass ``speeds={"toll": 85.0}``; unspecified classes keep these values.
#: A value above every posted speed (e.g. 130) makes the posted (car) speed apply.
TRUCK_SPEEDS_KPH: dict[str, float] = {
    "toll": 80.0,
    "federal": 70.0,
    "state": 60.0,
    "unknown": 80.0,
    "arterial": 50.0,
    "ramp": 30.0,
    "connector": 30.0,
    "bridge_gap": 30.0,
}

#: Heavy-truck speed (km/h) by OSM ``highway`` value, for OSM and GraphML graphs. The edge speed
#: is ``min(table speed, maxspeed)`` when the way has a parseable ``maxspeed`` (only ~3 % of
#: Mexican OSM ways do). Links get about half their road's speed; ``default`` applies to any
#: ``highway`` value not listed. Same reasoning as :data:`TRUCK_SPEEDS_KPH`: ``motorway`` 80
#: (legal truck cap), ``trunk`` 70 (often a free federal road), ``primary`` 60 ... ``residential``
#: 20. Where an (osmnx-simplified) edge merges several ``highway`` values or ``maxspeed`` values,
#: the lowest speed is used.
OSM_TRUCK_SPEEDS_KPH: dict[str, float] = {
    "motorway": 80.0,
    "motorway_link": 40.0,
    "trunk": 70.0,
    "trunk_link": 35.0,
    "primary": 60.0,
    "primary_link": 30.0,
    "secondary": 50.0,
    "secondary_link": 25.0,
    "tertiary": 40.0,
    "tertiary_link": 20.0,
    "unclassified": 30.0,
    "residential": 20.0,
    "living_street": 10.0,
    "service": 15.0,
    "road": 30.0,
    "default": 25.0,
}

#: Overpass filter of truck-relevant roads for :func:`graph_from_place` / :func:`graph_from_bbox`:
#: motorway to tertiary and their links, no residential streets, no ways closed to motor vehicles
#: or to heavy goods vehicles (``hgv=no``), no areas.
TRUCK_FILTER = (
    '["highway"~"^(motorway|trunk|primary|secondary|tertiary)(_link)?$"]'
    '["area"!~"yes"]["access"!~"private|no"]["motor_vehicle"!~"no"]["hgv"!~"no"]'
)


class BridgeGap(NamedTuple):
    """A break in the source data bridged by a synthetic two-way edge (see :data:`BRIDGE_GAPS`)."""

    lon_a: float
    lat_a: float
    lon_b: float
    lat_b: float
    note: str


#: Breaks of the RNC 2018 copy that :func:`detour_check` exposed and that are data errors, not
#: geography. Each entry joins the nearest national nodes to the two points (which must lie within
#: :data:`BRIDGE_SNAP_M`) by a two-way edge with ``road_class="bridge_gap"``, ``synthetic=True``,
#: the ``note``, length = 1.2 x great-circle distance and the ``bridge_gap`` speed.
BRIDGE_GAPS: tuple[BridgeGap, ...] = (
    BridgeGap(
        -94.43549,
        18.12688,
        -94.41560,
        18.11754,
        "Puente Coatzacoalcos I (MEX-180, Coatzacoalcos - Allende) over the Coatzacoalcos river: "
        "the RNC copy of Veracruz ends the street 'A Villahermosa' on the west bank and the road "
        "'Coatzacoalcos - Villahermosa' on the east bank with no link, so Coatzacoalcos routed "
        "about 600 km to Cardenas, Tabasco (115 km apart).",
    ),
    BridgeGap(
        -91.85675,
        18.61253,
        -91.49730,
        18.78181,
        "MEX-180 across Isla del Carmen (Puente El Zacatal - Ciudad del Carmen - Puente de la "
        "Unidad): the RNC copy has no road on the island, so the toll roads from Villahermosa and "
        "from Campeche end at its two bridges and Ciudad del Carmen - Campeche routed 534 km "
        "(191 km apart). The seat of Carmen snaps about 3.5 km away, to the Zacatal end.",
    ),
    BridgeGap(
        -92.65749,
        18.51315,
        -92.63897,
        18.53793,
        "MEX-180 'Villahermosa - Ciudad del Carmen' at Frontera, Tabasco (bridge over the Grijalva "
        "river): the federal road stops 3.4 km short on both sides, so Villahermosa - Ciudad del "
        "Carmen routed 315 km inland instead of about 170 km along the coast.",
    ),
    BridgeGap(
        -106.56614,
        31.77989,
        -106.52925,
        31.77240,
        "Anapra - Av. Bernardo Norzagaray, Ciudad Juarez: the federal road from the San Jeronimo "
        "- Santa Teresa crossing reaches Anapra but the RNC selection lacks the 3.6 km along the "
        "border to Juarez's Norzagaray boulevard, so the Santa Teresa and El Paso ports (22 km "
        "apart) were 80 km apart by road.",
    ),
)

#: Largest allowed distance (m) between a :data:`BRIDGE_GAPS` point and its network node.
BRIDGE_SNAP_M = 500.0
#: Length of a bridge-gap edge relative to its great-circle distance.
BRIDGE_DETOUR = 1.2

#: Columns of the bundled road file :data:`NATIONAL_FILE`: the ones ``tools/bundle_roads.py``
#: keeps and :func:`national_lines` checks on reading (their meaning is documented there).
NATIONAL_COLUMNS: tuple[str, ...] = (
    "u",
    "v",
    "road_class",
    "toll",
    "code",
    "name",
    "speed_kmh",
    "len_km",
    "len_rnc_km",
    "cve_ent",
    "tipo_vial",
    "lanes",
    "geometry",
)
#: File-name endings :func:`load_graph` reads as OSM XML and as osmnx GraphML.
OSM_SUFFIXES = (".osm", ".osm.bz2", ".xml", ".osm.xml", ".xml.bz2")
GRAPHML_SUFFIXES = (".graphml",)


# --------------------------------------------------------------------------------------------
# speeds


def _validated_speeds(speeds: Mapping[str, float] | None) -> dict[str, float]:
    """Return ``speeds`` as a dict after checking every key and value; raise once listing all."""
    if speeds is None:
        return {}
    if not isinstance(speeds, Mapping):
        msg = f"`speeds` must be a mapping of road class to km/h, got {type(speeds).__name__}"
        raise TypeError(msg)
    known = set(TRUCK_SPEEDS_KPH) | set(OSM_TRUCK_SPEEDS_KPH)
    problems = []
    out = {}
    for key, value in speeds.items():
        if key not in known:
            problems.append(f"unknown road class {key!r} (expected one of {sorted(known)})")
            continue
        try:
            kph = float(value)
        except (TypeError, ValueError):
            problems.append(f"speed of {key!r} must be a number of km/h, got {value!r}")
            continue
        if not (math.isfinite(kph) and kph > 0):
            problems.append(f"speed of {key!r} must be positive and finite, got {value!r}")
            continue
        out[key] = kph
    if problems:
        msg = "`speeds` has problems: " + "; ".join(problems)
        raise ValueError(msg)
    return out


def _rnc_table(speeds: Mapping[str, float] | None) -> dict[str, float]:
    return {
        **TRUCK_SPEEDS_KPH,
        **{k: v for k, v in _validated_speeds(speeds).items() if k in TRUCK_SPEEDS_KPH},
    }


def _osm_table(speeds: Mapping[str, float] | None) -> dict[str, float]:
    over = _validated_speeds(speeds)
    return {**OSM_TRUCK_SPEEDS_KPH, **{k: v for k, v in over.items() if k in OSM_TRUCK_SPEEDS_KPH}}


_SPEED_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", re.IGNORECASE)


def parse_maxspeed(value: Any) -> float | None:
    """Return the lowest speed in km/h found in an OSM ``maxspeed`` value, or None.

    Accepts numbers, strings such as ``"60"``, ``"60 km/h"``, ``"40 mph"``, ``"60;80"`` and lists
    of those (osmnx-simplified edges). Values such as ``"MX:urban"`` or ``"none"`` give None.

    Examples
    --------
    >>> parse_maxspeed("40 mph")
    64.37376
    >>> parse_maxspeed(["80", "60"])
    60.0
    >>> parse_maxspeed("MX:urban") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) and value > 0 else None
    items = (
        value if isinstance(value, list | tuple | set) else str(value).replace("|", ";").split(";")
    )
    found = []
    for item in items:
        if isinstance(item, int | float):
            if math.isfinite(item) and item > 0:
                found.append(float(item))
            continue
        m = _SPEED_RE.match(str(item))
        if m:
            kph = float(m.group(1)) * (1.609344 if (m.group(2) or "").lower() == "mph" else 1.0)
            if kph > 0:
                found.append(kph)
    return min(found) if found else None


def _osm_edge_speed(data: Mapping[str, Any], table: Mapping[str, float]) -> float:
    hw = data.get("highway")
    values = hw if isinstance(hw, list | tuple | set) else [hw]
    kph = min(table.get(str(h), table["default"]) for h in values)
    cap = parse_maxspeed(data.get("maxspeed"))
    return min(kph, cap) if cap is not None else kph


def add_truck_speeds(
    G: nx.MultiDiGraph, *, speeds: Mapping[str, float] | None = None
) -> nx.MultiDiGraph:
    """Set ``speed_kph`` and ``travel_time`` on every edge of ``G`` from the truck speed tables.

    Edges with a ``road_class`` (national graph) get ``min(posted_kph, table[road_class])``;
    edges with an OSM ``highway`` get the :data:`OSM_TRUCK_SPEEDS_KPH` rule. ``travel_time`` is
    ``length / speed`` in seconds. The graph is modified in place and returned (like osmnx's
    ``add_edge_speeds``).

    Parameters
    ----------
    G
        Graph whose edges have ``length`` (metres) and ``road_class`` or ``highway``.
    speeds
        Overrides of the default tables, by road class or OSM highway value (km/h).

    Returns
    -------
    networkx.MultiDiGraph
    """
    rnc = _rnc_table(speeds)
    osm = _osm_table(speeds)
    problems = set()
    for u, v, data in G.edges(data=True):
        if "length" not in data:
            problems.add(f"edge ({u}, {v}) has no 'length'")
            continue
        cls = data.get("road_class")
        if cls is not None:
            if cls not in rnc:
                problems.add(f"unknown road_class {cls!r}")
                continue
            kph = rnc[cls]
            posted = data.get("posted_kph")
            if posted is not None and not (isinstance(posted, float) and math.isnan(posted)):
                kph = min(kph, float(posted))
        elif "highway" in data:
            kph = _osm_edge_speed(data, osm)
        else:
            problems.add("edges need 'road_class' (national) or 'highway' (OSM)")
            continue
        data["speed_kph"] = kph
        data["travel_time"] = float(data["length"]) / (kph / 3.6)
        if len(problems) > 20:
            break
    if problems:
        msg = "cannot set truck speeds: " + "; ".join(sorted(problems)[:20])
        raise DataError(msg)
    return G


# --------------------------------------------------------------------------------------------
# national network


@cache
def _rnc_lines() -> gpd.GeoDataFrame:
    path = data_path(NATIONAL_FILE)
    gdf = gpd.read_parquet(path)
    check_columns(gdf, list(NATIONAL_COLUMNS), str(path))
    gdf["geom_km"] = gdf.geometry.to_crs(CRS_METRIC).length.to_numpy() / 1000.0
    return gdf


def national_lines() -> gpd.GeoDataFrame:
    """Return the bundled national road lines (INEGI RNC 2018), one row per two-way line.

    Columns: ``u``, ``v`` (node ids), ``road_class``, ``toll``, ``code``, ``name``, ``speed_kmh``
    (posted), ``len_km``, ``len_rnc_km``, ``cve_ent``, ``tipo_vial``, ``lanes``, ``geom_km``
    (polyline length in EPSG:6372), ``geometry``
    (EPSG:4326, from node ``u`` to node ``v``). Bridge gaps are not included (they are graph
    edges only). Credit: "Fuente: INEGI, Red Nacional de Caminos 2018".

    Examples
    --------
    >>> len(national_lines())
    125165
    """
    return _rnc_lines().copy()


def _line_length_km(lines: pd.DataFrame) -> np.ndarray:
    """Return each line's length: RNC's true length, never less than its polyline.

    ``len_rnc_km`` (RNC ``LONGITUD``) falls back to ``len_km`` where missing (states 15 and 30).
    About 11 % of lines have a recorded length well below the length of their own polyline
    (endpoints moved by the 120 m node consolidation; members pro-rated between state files), which
    made some network distances shorter than the straight line; the polyline length in EPSG:6372
    (``geom_km``) is a lower bound, so the larger of the two is used.
    """
    recorded = lines["len_rnc_km"].fillna(lines["len_km"]).to_numpy()
    return np.maximum(recorded, lines["geom_km"].to_numpy())


def _clean(value: Any) -> Any:
    """Return None for missing values, plain Python scalars otherwise."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def national_graph(
    *, speeds: Mapping[str, float] | None = None, geometry: bool = True
) -> nx.MultiDiGraph:
    """Build the national road graph (INEGI RNC 2018) with heavy-truck travel times.

    Every RNC line becomes two directed edges (RNC lines are two-way); node coordinates are the
    line ends. Known data breaks are bridged by :data:`BRIDGE_GAPS`. See the module docstring for
    the edge schema.

    Parameters
    ----------
    speeds
        Overrides of :data:`TRUCK_SPEEDS_KPH` by road class (km/h).
    geometry
        Attach each line's LineString as edge ``geometry`` (set False for a lighter graph).

    Returns
    -------
    networkx.MultiDiGraph
        About 85,800 nodes and 250,000 edges.

    Examples
    --------
    >>> G = national_graph(geometry=False)
    >>> G.graph["crs"]
    'EPSG:4326'
    """
    t0 = time.perf_counter()
    rnc = _rnc_table(speeds)
    lines = _rnc_lines()
    geoms = lines.geometry.to_numpy()
    first = shapely.get_coordinates(shapely.get_point(geoms, 0))
    last = shapely.get_coordinates(shapely.get_point(geoms, -1))
    u = lines["u"].to_numpy()
    v = lines["v"].to_numpy()

    G = nx.MultiDiGraph(
        crs=CRS_GEO,
        name="INEGI Red Nacional de Caminos 2018 (major roads, repaired)",
        credit="Fuente: INEGI, Red Nacional de Caminos 2018",
        simplified=True,
    )
    nodes = pd.DataFrame({"x": np.r_[first[:, 0], last[:, 0]], "y": np.r_[first[:, 1], last[:, 1]]})
    nodes.index = np.r_[u, v]
    nodes = nodes[~nodes.index.duplicated()]
    G.add_nodes_from(
        (int(n), {"x": float(x), "y": float(y)})
        for n, x, y in zip(nodes.index, nodes["x"], nodes["y"], strict=True)
    )
    gap_pairs = _snap_bridge_gaps(G, BRIDGE_GAPS)

    length_m = _line_length_km(lines) * 1000.0
    cls = lines["road_class"].to_numpy()
    cap = np.array([rnc[c] for c in cls]) if len(cls) else np.array([])
    posted = lines["speed_kmh"].to_numpy().astype(float)
    kph = np.minimum(cap, posted)
    tt = length_m / (kph / 3.6)
    rev = shapely.reverse(geoms) if geometry else None
    toll = lines["toll"].to_numpy().tolist()
    cve = lines["cve_ent"].astype(str).tolist()
    tipo = lines["tipo_vial"].astype(str).tolist()
    optional = {
        key: [_clean(x) for x in lines[key].astype(object).tolist()]
        for key in ("code", "name", "lanes")
    }
    ul, vl, cl = u.tolist(), v.tolist(), [str(c) for c in cls]
    lm, pk, kk, tl = length_m.tolist(), posted.tolist(), kph.tolist(), tt.tolist()

    add_edge = G.add_edge
    for i in range(len(ul)):
        base: dict[str, Any] = {
            "length": lm[i],
            "road_class": cl[i],
            "toll": bool(toll[i]),
            "cve_ent": cve[i],
            "posted_kph": pk[i],
            "speed_kph": kk[i],
            "travel_time": tl[i],
            "tipo_vial": tipo[i],
            "oneway": False,
            "synthetic": False,
        }
        for key, values in optional.items():
            if values[i] is not None:
                base[key] = values[i]
        bwd = base.copy()
        base["reversed"] = False
        bwd["reversed"] = True
        if geometry:
            base["geometry"] = geoms[i]
            bwd["geometry"] = rev[i]
        add_edge(ul[i], vl[i], **base)
        add_edge(vl[i], ul[i], **bwd)

    _add_bridge_gaps(G, BRIDGE_GAPS, gap_pairs, speed_kph=rnc["bridge_gap"], geometry=geometry)
    log.info(
        "built national road graph: %d nodes, %d edges in %.1f s",
        G.number_of_nodes(),
        2 * len(ul) + 2 * len(BRIDGE_GAPS),
        time.perf_counter() - t0,
    )
    return G


def _snap_bridge_gaps(G: nx.MultiDiGraph, gaps: tuple[BridgeGap, ...]) -> list[tuple[int, int]]:
    """Return the node pair of each gap; raise if a gap point is not on the network."""
    if not gaps:
        return []
    ids, tree = _node_tree(G)
    ends = np.array([[g.lon_a, g.lat_a] for g in gaps] + [[g.lon_b, g.lat_b] for g in gaps])
    dist, idx = tree.query(_project(ends[:, 0], ends[:, 1]))
    far = [
        f"{tuple(ends[k].tolist())} is {dist[k]:.0f} m from the network"
        for k in np.flatnonzero(dist > BRIDGE_SNAP_M)
    ]
    if far:
        msg = f"BRIDGE_GAPS points must lie within {BRIDGE_SNAP_M:.0f} m of a node: " + "; ".join(
            far
        )
        raise DataError(msg)
    n = len(gaps)
    return [(int(ids[idx[k]]), int(ids[idx[n + k]])) for k in range(n)]


def _add_bridge_gaps(
    G: nx.MultiDiGraph,
    gaps: tuple[BridgeGap, ...],
    pairs: list[tuple[int, int]],
    *,
    speed_kph: float,
    geometry: bool,
) -> None:
    """Add each gap of ``gaps`` between its node pair as two synthetic edges."""
    for gap, (a, b) in zip(gaps, pairs, strict=True):
        ax, ay, bx, by = G.nodes[a]["x"], G.nodes[a]["y"], G.nodes[b]["x"], G.nodes[b]["y"]
        length = float(BRIDGE_DETOUR * _haversine_m(ax, ay, bx, by))
        # the state of the road the gap starts from (for per-state route statistics)
        cve = next((d["cve_ent"] for _, _, d in G.edges(a, data=True) if d.get("cve_ent")), "")
        for s, t, rev in ((a, b, False), (b, a, True)):
            data: dict[str, Any] = {
                "length": length,
                "road_class": "bridge_gap",
                "toll": False,
                "cve_ent": cve,
                "speed_kph": speed_kph,
                "travel_time": length / (speed_kph / 3.6),
                "oneway": False,
                "reversed": rev,
                "synthetic": True,
                "note": gap.note,
            }
            if geometry:
                data["geometry"] = shapely.LineString(
                    [(G.nodes[s]["x"], G.nodes[s]["y"]), (G.nodes[t]["x"], G.nodes[t]["y"])]
                )
            G.add_edge(s, t, **data)


# --------------------------------------------------------------------------------------------
# OSM XML, GraphML, downloads


def _finish_osm(G: nx.MultiDiGraph, speeds: Mapping[str, float] | None) -> nx.MultiDiGraph:
    add_truck_speeds(G, speeds=speeds)
    return G


def graph_from_osm_xml(
    path: str | Path, *, speeds: Mapping[str, float] | None = None, simplify: bool = True
) -> nx.MultiDiGraph:
    """Read an OpenStreetMap XML file (``.osm``, ``.osm.bz2``, ``.xml``) with truck speeds.

    Uses :func:`osmnx.graph_from_xml`, which keeps one-way streets one-way, then sets truck
    ``speed_kph`` / ``travel_time`` (:data:`OSM_TRUCK_SPEEDS_KPH`, capped by ``maxspeed``).

    Parameters
    ----------
    path
        The OSM XML file; bz2-compressed if its name ends in ``.bz2``.
    speeds
        Overrides of :data:`OSM_TRUCK_SPEEDS_KPH` by ``highway`` value (km/h).
    simplify
        Let osmnx simplify the topology (merge edges through degree-2 nodes).

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    layers.DataError
        If the file does not exist, cannot be read, is truncated or is not OSM XML (the message
        names the file, the parser's complaint with its line, and what to do).
    """
    import osmnx as ox

    path = _existing(path)
    try:
        G = ox.graph_from_xml(path, simplify=simplify)
    except (ParseError, xml.sax.SAXException, EOFError, OSError, nx.NetworkXError) as exc:
        raise DataError(_unreadable(path, "OpenStreetMap XML", exc)) from exc
    except (ValueError, KeyError, TypeError) as exc:  # e.g. osmnx: no nodes or ways in it
        raise DataError(_unreadable(path, "OpenStreetMap XML", exc)) from exc
    log.info("read OSM graph %r: %d nodes, %d edges", str(path), len(G), G.number_of_edges())
    return _finish_osm(G, speeds)


def _to_bool(value: str) -> bool:
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    msg = f"expected a boolean string ('True'/'False'), got {value!r}"
    raise ValueError(msg)


def _to_float_or_none(value: str) -> float | None:
    return None if value in ("", "None", "nan") else float(value)


def _float_or_str(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


def graph_from_graphml(
    path: str | Path, *, speeds: Mapping[str, float] | None = None
) -> nx.MultiDiGraph:
    """Read an osmnx GraphML file (e.g. one written by :func:`save_graphml`).

    If every edge already has ``speed_kph`` and ``travel_time`` and ``speeds`` is None, they are
    kept; otherwise truck speeds are computed with :func:`add_truck_speeds`.

    Parameters
    ----------
    path
        The ``.graphml`` file.
    speeds
        Overrides of the truck speed tables (km/h); forces travel times to be recomputed.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    layers.DataError
        If the file does not exist, cannot be read, is truncated, is not GraphML, was not
        written by osmnx, or lacks node ``x``/``y`` or edge ``length``/``travel_time`` (the
        message names the file, what is wrong and what to do).
    """
    import osmnx as ox

    path = _existing(path)
    try:
        G = ox.load_graphml(
            path,
            edge_dtypes={
                "toll": _to_bool,
                "synthetic": _to_bool,
                "posted_kph": _to_float_or_none,
                "lanes": _float_or_str,
            },
        )
    except (ParseError, EOFError, OSError, UnicodeDecodeError, nx.NetworkXError) as exc:
        raise DataError(_unreadable(path, "GraphML", exc)) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # osmnx's type conversion
        msg = (
            f"GraphML file {str(path)!r} is not an osmnx GraphML file "
            f"({type(exc).__name__}: {exc}); {_GRAPHML_FIX}"
        )
        raise DataError(msg) from exc
    complete = all("speed_kph" in d and "travel_time" in d for _, _, d in G.edges(data=True))
    recompute = speeds is not None or not complete
    problems = _graphml_problems(G, need_length=recompute)
    if problems:
        msg = f"GraphML file {str(path)!r} is not a usable road network: " + "; ".join(problems)
        raise DataError(f"{msg}; {_GRAPHML_FIX}")
    if recompute:
        try:
            add_truck_speeds(G, speeds=speeds)
        except DataError as exc:
            msg = f"GraphML file {str(path)!r}: {exc}; {_GRAPHML_FIX}"
            raise DataError(msg) from exc
    return G


_GRAPHML_FIX = (
    "expected an osmnx graph (graph attribute 'crs', node 'x'/'y' in degrees, edge 'length' in "
    "metres with 'highway' or 'road_class', or 'travel_time' in seconds): save it with "
    "osmnx.save_graphml or siting.layers.roads.save_graphml, or export it again"
)


def _graphml_problems(G: nx.MultiDiGraph, *, need_length: bool) -> list[str]:
    """Return what a GraphML graph lacks for routing (every problem, with an example)."""
    problems = []
    if "crs" not in G.graph:
        problems.append("no graph attribute 'crs'")
    no_xy = [n for n, d in G.nodes(data=True) if d.get("x") is None or d.get("y") is None]
    if no_xy:
        problems.append(
            f"{len(no_xy)} of {len(G)} nodes lack coordinates 'x'/'y' (e.g. node {no_xy[0]!r})"
        )
    if need_length:
        bad = [(u, v) for u, v, d in G.edges(data=True) if "length" not in d]
        what = "'length' (metres) to compute truck travel times from"
    else:
        bad = []
        what = ""
    if bad:
        problems.append(
            f"{len(bad)} of {G.number_of_edges()} edges lack {what} (e.g. edge {bad[0]})"
        )
    return problems


def _unreadable(path: Path, form: str, exc: BaseException) -> str:
    """Return the message for a road network file that cannot be parsed: what, where, what to do."""
    fix = (
        "export it again (e.g. osmnx.save_graphml)"
        if form == "GraphML"
        else "download or export the extract again"
    )
    with contextlib.suppress(OSError):
        if path.stat().st_size == 0:
            return f"road network file {str(path)!r} is empty (0 bytes); {fix}"
    if isinstance(exc, ParseError):
        line, column = exc.position
        text = re.sub(r":? ?line \d+, column \d+$", "", str(exc))
        what = f"is not valid {form}: {text} at line {line}, column {column}"
        if text.startswith(("no element found", "unclosed token")):
            what += " (the file looks truncated)"
    elif isinstance(exc, xml.sax.SAXParseException):
        what = (
            f"is not valid {form}: {exc.getMessage()} at line {exc.getLineNumber()}, "
            f"column {exc.getColumnNumber()}"
        )
    elif isinstance(exc, EOFError):  # a compressed stream that ends early
        what = f"is truncated: {exc}"
    elif isinstance(exc, UnicodeDecodeError):
        what = f"is not {form} text ({exc.reason} at byte {exc.start})"
    elif isinstance(exc, OSError) and exc.errno is not None and exc.errno != errno.EINVAL:
        return f"cannot read road network file {str(path)!r}: {exc.strerror or exc}"
    elif isinstance(exc, OSError):  # bz2/gzip: "Invalid data stream", "Not a gzipped file"
        what = f"is not valid {path.suffix} compressed data ({exc})"
    elif type(exc).__name__ == "InsufficientResponseError":
        what = "contains no OpenStreetMap nodes or ways (roads)"
    else:
        what = f"is not a valid {form} file ({type(exc).__name__}: {exc})"
    return f"road network file {str(path)!r} {what}; {fix}"


def save_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Save ``G`` as GraphML with :func:`osmnx.save_graphml`; return the path written.

    Every attribute listed in the module docstring round-trips with :func:`graph_from_graphml`
    (booleans ``toll``/``synthetic``, numbers ``posted_kph``/``lanes``, shapely ``geometry``).
    The whole national graph with geometry gives a GraphML file of a few hundred MB; prefer
    :func:`national_graph` for it.
    """
    import osmnx as ox

    path = Path(path)
    ox.save_graphml(G, filepath=path)
    return path


@contextlib.contextmanager
def _osmnx_cache() -> Iterator[Path | None]:
    """Turn osmnx's HTTP cache on, in ``<siting cache>/osmnx``, for the duration of a download.

    Yields the folder, or None if it cannot be created (a file in its place, no permission): the
    download then runs without a cache, with one warning. osmnx writes its cache files in place,
    so a killed run or a full disk can leave a truncated answer that would fail every later
    download: such a file is removed and downloaded again, and an answer that cannot be written
    is skipped (one warning; the rest of the download runs without the cache).
    """
    import osmnx as ox

    old = (ox.settings.use_cache, ox.settings.cache_folder)
    try:
        folder: Path | None = settings.cache_path("osmnx")
    except OSError as exc:
        log.warning(
            "could not use the osmnx cache folder %r: %s; downloading without a cache (%s)",
            str(settings.cache_path("osmnx", create=False)),
            settings.os_error_reason(exc),
            settings.CACHE_HINT,
        )
        folder = None
    ox.settings.use_cache = folder is not None
    if folder is not None:
        ox.settings.cache_folder = str(folder)
    try:
        with _guarded_osmnx_http() if folder is not None else contextlib.nullcontext():
            yield folder
    finally:
        ox.settings.use_cache, ox.settings.cache_folder = old


@contextlib.contextmanager
def _guarded_osmnx_http() -> Iterator[None]:
    """Make osmnx's cache reads and writes survive damaged files and failed writes."""
    import osmnx as ox

    http = getattr(ox, "_http", None)
    names = ("_retrieve_from_cache", "_save_to_cache", "_resolve_cache_filepath")
    if http is None or not all(callable(getattr(http, n, None)) for n in names):
        yield  # another osmnx version: left as it is
        return
    retrieve, save = http._retrieve_from_cache, http._save_to_cache

    def safe_retrieve(url: str) -> Any:
        try:
            return retrieve(url)
        except (ValueError, OSError) as exc:  # truncated JSON, not UTF-8, unreadable
            path = http._resolve_cache_filepath(url)
            log.warning(
                "osmnx cache file %r is damaged or unreadable (%s); downloading it again",
                str(path),
                exc,
            )
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def safe_save(url: str, response_json: Any, ok: bool) -> None:
        try:
            save(url, response_json, ok)
        except OSError as exc:
            path = http._resolve_cache_filepath(url)
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)  # a partial answer would fail the next run
            log.warning(
                "could not write the osmnx cache %r: %s; continuing without it (%s)",
                str(path),
                settings.os_error_reason(exc),
                settings.CACHE_HINT,
            )
            ox.settings.use_cache = False  # one warning; restored by _osmnx_cache

    http._retrieve_from_cache, http._save_to_cache = safe_retrieve, safe_save
    try:
        yield
    finally:
        http._retrieve_from_cache, http._save_to_cache = retrieve, save


def graph_from_place(
    query: str | dict[str, str],
    *,
    network_filter: str = TRUCK_FILTER,
    speeds: Mapping[str, float] | None = None,
) -> nx.MultiDiGraph:
    """Download the truck road network of a place with osmnx (needs internet; cached).

    Parameters
    ----------
    query
        A place that Nominatim geocodes to a polygon, e.g. ``"Ramos Arizpe, Coahuila, México"``.
    network_filter
        Overpass ``custom_filter``; defaults to :data:`TRUCK_FILTER`.
    speeds
        Overrides of :data:`OSM_TRUCK_SPEEDS_KPH` (km/h).

    Returns
    -------
    networkx.MultiDiGraph
    """
    import osmnx as ox

    with _osmnx_cache() as folder:
        log.info("downloading OSM roads for %r (osmnx cache %r)", query, folder and str(folder))
        G = ox.graph_from_place(query, custom_filter=network_filter)
    return _finish_osm(G, speeds)


def graph_from_bbox(
    bbox: tuple[float, float, float, float],
    *,
    network_filter: str = TRUCK_FILTER,
    speeds: Mapping[str, float] | None = None,
) -> nx.MultiDiGraph:
    """Download the truck road network inside a bounding box with osmnx (needs internet; cached).

    Parameters
    ----------
    bbox
        ``(left, bottom, right, top)`` in degrees (osmnx 2 order: west, south, east, north).
    network_filter
        Overpass ``custom_filter``; defaults to :data:`TRUCK_FILTER`.
    speeds
        Overrides of :data:`OSM_TRUCK_SPEEDS_KPH` (km/h).

    Returns
    -------
    networkx.MultiDiGraph
    """
    import osmnx as ox

    left, bottom, right, top = (float(c) for c in bbox)
    if not (left < right and bottom < top):
        msg = (
            f"`bbox` must be (left, bottom, right, top) with left < right, bottom < top; got {bbox}"
        )
        raise ValueError(msg)
    with _osmnx_cache() as folder:
        log.info("downloading OSM roads for bbox %s (osmnx cache %r)", bbox, folder and str(folder))
        G = ox.graph_from_bbox((left, bottom, right, top), custom_filter=network_filter)
    return _finish_osm(G, speeds)


def _existing(path: str | Path) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        msg = f"road network file {str(path)!r} does not exist"
        raise DataError(msg)
    return path


def load_graph(
    source: str | Path | None = None, *, speeds: Mapping[str, float] | None = None
) -> nx.MultiDiGraph:
    """Return a road graph from ``source``, dispatching on its form.

    Parameters
    ----------
    source
        None or ``"bundled"``: the national network (:func:`national_graph`); a path ending in
        ``.osm``, ``.osm.bz2``, ``.xml`` (OSM XML, :func:`graph_from_osm_xml`) or ``.graphml``
        (:func:`graph_from_graphml`).
    speeds
        Overrides of the truck speed tables (km/h).

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    layers.DataError
        If the file does not exist or its form is not one of the above.
    """
    if source is None or (isinstance(source, str) and source.strip().lower() == "bundled"):
        return national_graph(speeds=speeds)
    name = Path(source).name.lower()
    if name.endswith(GRAPHML_SUFFIXES):
        return graph_from_graphml(source, speeds=speeds)
    if name.endswith(OSM_SUFFIXES):
        return graph_from_osm_xml(source, speeds=speeds)
    accepted = ", ".join([*OSM_SUFFIXES, *GRAPHML_SUFFIXES])
    msg = (
        f"road network {str(source)!r} is not a recognised form; expected 'bundled' (or None) "
        f"or a file ending in {accepted}"
    )
    raise DataError(msg)


# --------------------------------------------------------------------------------------------
# network quality


_TO_METRIC = Transformer.from_crs(CRS_GEO, CRS_METRIC, always_xy=True)


def _project(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    x, y = _TO_METRIC.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.column_stack([x, y])


def _node_tree(G: nx.MultiDiGraph) -> tuple[np.ndarray, cKDTree]:
    ids = np.fromiter(G.nodes, dtype=np.int64, count=G.number_of_nodes())
    xy = np.array([(d["x"], d["y"]) for _, d in G.nodes(data=True)], dtype=float)
    return ids, cKDTree(_project(xy[:, 0], xy[:, 1]))


def _haversine_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, float)) for a in (lon1, lat1, lon2, lat2))
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(h))


def weight_matrix(
    G: nx.MultiDiGraph, weight: str = "length"
) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Return node ids and a CSR matrix of ``weight``, parallel edges collapsed by the minimum.

    A helper for network-quality checks, built by the same :func:`siting.layers._graph.arc_matrix`
    as the routing engine: self-loops dropped, zero weights kept as explicit zero arcs.

    Parameters
    ----------
    G
        A road graph.
    weight
        Edge attribute to use (every edge must have it).

    Returns
    -------
    ids : numpy.ndarray
        Node id of each matrix row/column.
    matrix : scipy.sparse.csr_matrix
        ``matrix[i, j]`` = the smallest ``weight`` of the edges from ``ids[i]`` to ``ids[j]``.
    """
    ids = np.fromiter(G.nodes, dtype=np.int64, count=G.number_of_nodes())
    pos = {n: i for i, n in enumerate(ids.tolist())}
    m = G.number_of_edges()
    rows = np.empty(m, np.int64)
    cols = np.empty(m, np.int64)
    vals = np.empty(m, float)
    for k, (a, b, w) in enumerate(G.edges(data=weight)):
        rows[k], cols[k], vals[k] = pos[a], pos[b], w
    matrix, _ = arc_matrix(rows, cols, vals, len(ids))
    return ids, matrix


def detour_points(n_seats: int = 120) -> gpd.GeoDataFrame:
    """Return the check points: the ``n_seats`` most populous municipal seats and the land ports.

    Columns ``name``, ``kind`` (``"seat"``/``"port"``), ``cve_ent`` (Mexican state; for ports the
    twin municipality's), ``geometry`` (EPSG:4326).
    """
    seats = municipal_population().nlargest(n_seats, "population")
    ports = land_ports()
    return gpd.GeoDataFrame(
        {
            "name": [
                *(seats["municipality"] + ", " + seats["state"]),
                *(ports["port_name"] + " (port)"),
            ],
            "kind": ["seat"] * len(seats) + ["port"] * len(ports),
            "cve_ent": [*seats["CVE_ENT"], *ports["mx_cve_ent"]],
        },
        geometry=[*seats.geometry, *ports.geometry],
        crs=CRS_GEO,
    )


def detour_check(
    G: nx.MultiDiGraph,
    *,
    n_seats: int = 120,
    ratio_threshold: float = 2.5,
    min_km: float = 20.0,
    points: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Compare network and great-circle distances between seats and land ports.

    Each point of :func:`detour_points` is snapped to its nearest node (KD-tree in EPSG:6372);
    shortest paths by ``length`` run from every point (one multi-source SciPy Dijkstra). Pairs
    whose great-circle distance is at least ``min_km`` are reported, each in one direction
    (``origin`` before ``destination`` in point order).

    Parameters
    ----------
    G
        A road graph with ``length`` on every edge.
    n_seats
        Number of most populous municipal seats (Censo 2020) to use.
    ratio_threshold
        Pairs whose ``ratio`` exceeds it (or that are unreachable) are ``flagged``.
    min_km
        Skip pairs closer than this (great-circle km).
    points
        Use these points (columns ``name``, ``kind``, ``cve_ent``, geometry) instead.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``destination``, ``origin_kind``, ``destination_kind``,
        ``origin_cve_ent``, ``destination_cve_ent``, ``gc_km``, ``network_km`` (inf if
        unreachable), ``ratio``, ``flagged``, ``origin_snap_m``, ``destination_snap_m``.
    """
    pts = detour_points(n_seats) if points is None else points.to_crs(CRS_GEO)
    lon = pts.geometry.x.to_numpy()
    lat = pts.geometry.y.to_numpy()
    _, tree = _node_tree(G)
    snap, idx = tree.query(_project(lon, lat))
    _, mat = weight_matrix(G, "length")
    dist = dijkstra(mat, directed=True, indices=idx)[:, idx] / 1000.0
    i, j = np.triu_indices(len(pts), k=1)
    gc = _haversine_m(lon[i], lat[i], lon[j], lat[j]) / 1000.0
    net = dist[i, j]
    keep = gc >= min_km
    i, j, gc, net = i[keep], j[keep], gc[keep], net[keep]
    ratio = net / gc
    names = pts["name"].to_numpy()
    kinds = pts["kind"].to_numpy()
    ents = pts["cve_ent"].to_numpy()
    return pd.DataFrame(
        {
            "origin": names[i],
            "destination": names[j],
            "origin_kind": kinds[i],
            "destination_kind": kinds[j],
            "origin_cve_ent": ents[i],
            "destination_cve_ent": ents[j],
            "gc_km": gc,
            "network_km": net,
            "ratio": ratio,
            "flagged": ~(ratio <= ratio_threshold),
            "origin_snap_m": snap[i],
            "destination_snap_m": snap[j],
        }
    )
