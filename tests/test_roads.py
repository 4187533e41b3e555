"""Road graphs: the bundled national network, OSM XML, GraphML, downloads (mocked), dispatch."""

from __future__ import annotations

import importlib
import itertools
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import osmnx as ox
import pytest
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from siting import layers
from siting.layers import roads, settings

#: whole runs or the national road network: seconds each (`-m "not slow"` skips them)
pytestmark = pytest.mark.slow

ATLIXCO = Path(__file__).parent / "data" / "atlixco_puebla_drive_2025-05-27.osm.bz2"
N_LINES = 125_165
N_NODES = 85_847


@pytest.fixture(scope="module")
def national() -> nx.MultiDiGraph:
    return roads.national_graph()


@pytest.fixture(scope="module")
def atlixco() -> nx.MultiDiGraph:
    return roads.graph_from_osm_xml(ATLIXCO)


def _tiny_osm_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_node(1, x=-100.0, y=25.0)
    G.add_node(2, x=-100.01, y=25.0)
    G.add_edge(1, 2, highway="primary", length=1000.0, oneway=True)
    G.add_edge(2, 1, highway="residential", length=1000.0, oneway=True, maxspeed="10")
    return G


# -- national network ---------------------------------------------------------------------------


def test_bundled_lines_schema():
    lines = roads.national_lines()
    assert len(lines) == N_LINES
    assert lines.crs.to_epsg() == 4326
    assert set(lines["road_class"]) == {
        "toll", "federal", "state", "unknown", "arterial", "ramp", "connector"
    }  # fmt: skip
    assert lines["cve_ent"].str.len().eq(2).all()
    assert "Fuente: INEGI, Red Nacional de Caminos 2018" in layers.credits(["roads"])
    assert layers.data_path(roads.NATIONAL_FILE).stat().st_size < 15e6


def test_national_graph_schema(national):
    G = national
    n_gaps = len(roads.BRIDGE_GAPS)
    assert G.graph["crs"] == "EPSG:4326"
    assert G.number_of_nodes() == N_NODES
    assert G.number_of_edges() == 2 * N_LINES + 2 * n_gaps
    xy = np.array([(d["x"], d["y"]) for _, d in G.nodes(data=True)])
    assert xy[:, 0].min() > -118 and xy[:, 0].max() < -86
    assert xy[:, 1].min() > 14 and xy[:, 1].max() < 33
    table = roads.TRUCK_SPEEDS_KPH
    data = [d for _, _, d in G.edges(data=True)]
    length = np.array([d["length"] for d in data])
    speed = np.array([d["speed_kph"] for d in data])
    cap = np.array([min(table[d["road_class"]], d.get("posted_kph", np.inf)) for d in data])
    tt = np.array([d["travel_time"] for d in data])
    assert (length > 0).all()
    np.testing.assert_allclose(speed, cap)
    np.testing.assert_allclose(tt, length / (speed / 3.6))
    assert not any(d["oneway"] for d in data)
    # every RNC line is two-way: each edge has its reverse with the same travel time
    for u, v, d in list(G.edges(data=True))[::997]:
        back = G.get_edge_data(v, u)
        assert back is not None
        assert d["travel_time"] in [b["travel_time"] for b in back.values()]


def test_national_geometry_runs_from_u_to_v(national):
    for u, v, d in list(national.edges(data=True))[::1009]:
        first, last = d["geometry"].coords[0], d["geometry"].coords[-1]
        assert first == pytest.approx((national.nodes[u]["x"], national.nodes[u]["y"]))
        assert last == pytest.approx((national.nodes[v]["x"], national.nodes[v]["y"]))


def test_national_graph_works_with_osmnx(national):
    # the north-east (Nuevo León, Coahuila, Tamaulipas) keeps the test fast; same schema
    keep = [n for n, d in national.nodes(data=True) if -102 < d["x"] < -97.5 and 24.5 < d["y"] < 28]
    G = national.subgraph(keep).copy()
    nodes, edges = ox.convert.graph_to_gdfs(G)
    assert len(nodes) == len(G) > 5000 and len(edges) == G.number_of_edges()
    assert edges.crs.to_epsg() == 4326 and edges.geometry.is_valid.all()
    assert set(ox.convert.graph_from_gdfs(nodes, edges).edges) == set(G.edges)
    # Monterrey and Saltillo city centres; osmnx's nearest_nodes needs scikit-learn on
    # unprojected graphs, so snap with a KD-tree and route with osmnx
    xy = nodes.to_crs(layers.CRS_METRIC).get_coordinates()
    pts = gpd.GeoSeries.from_xy([-100.3161, -101.0053], [25.6714, 25.4232], crs=4326)
    _, pos = cKDTree(xy.to_numpy()).query(
        pts.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()
    )
    orig, dest = xy.index[pos]
    route = ox.routing.shortest_path(G, orig, dest, weight="length")
    km = (
        sum(
            min(d["length"] for d in G.get_edge_data(a, b).values())
            for a, b in itertools.pairwise(route)
        )
        / 1000
    )
    assert 75 < km < 100  # by road about 85 km


def test_truck_slower_than_posted_and_override(national):
    toll = [
        (u, v, k)
        for u, v, k, d in national.edges(keys=True, data=True)
        if d["road_class"] == "toll"
    ]
    fast = [e for e in toll if national.edges[e]["posted_kph"] > 80][:50]
    assert fast, "expected toll roads posted above the truck cap"
    for e in fast:
        assert (
            national.edges[e]["speed_kph"]
            == roads.TRUCK_SPEEDS_KPH["toll"]
            < national.edges[e]["posted_kph"]
        )
    slow = roads.national_graph(speeds={"toll": 40.0}, geometry=False)
    for e in fast:
        assert slow.edges[e]["speed_kph"] == 40.0
        assert slow.edges[e]["travel_time"] == pytest.approx(2 * national.edges[e]["travel_time"])
    state = next(
        (u, v, k)
        for u, v, k, d in national.edges(keys=True, data=True)
        if d["road_class"] == "state"
    )
    assert slow.edges[state]["travel_time"] == national.edges[state]["travel_time"]


def test_bridge_gaps_are_marked(national):
    synthetic = [d for _, _, d in national.edges(data=True) if d["synthetic"]]
    assert len(synthetic) == 2 * len(roads.BRIDGE_GAPS) >= 2
    for d in synthetic:
        assert d["road_class"] == "bridge_gap"
        assert len(d["note"]) > 40
        assert d["speed_kph"] == roads.TRUCK_SPEEDS_KPH["bridge_gap"] <= 30
        assert d["cve_ent"] in {"04", "08", "27", "30"}  # Campeche, Chihuahua, Tabasco, Veracruz
    assert all(
        d["road_class"] != "bridge_gap"
        for _, _, d in national.edges(data=True)
        if not d["synthetic"]
    )


def test_bridge_gap_off_network_raises(monkeypatch):
    far = roads.BridgeGap(-100.0, 24.0, -100.5, 24.5, "in the desert")
    monkeypatch.setattr(roads, "BRIDGE_GAPS", (far,))
    with pytest.raises(layers.DataError, match=r"within 500 m of a node"):
        roads.national_graph(geometry=False)


# -- speeds -------------------------------------------------------------------------------------


def test_invalid_speeds_listed_together():
    with pytest.raises(
        ValueError, match=r"unknown road class 'tol'.*speed of 'state' must be positive"
    ):
        roads.national_graph(speeds={"tol": 80, "state": -5})
    with pytest.raises(TypeError, match=r"`speeds` must be a mapping"):
        roads.national_graph(speeds=[("toll", 80)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("60", 60.0), ("40 mph", 64.37376), ("60;80", 60.0), (["80", "50"], 50.0), ("MX:urban", None),
     ("none", None), (None, None), (70, 70.0)],
)  # fmt: skip
def test_parse_maxspeed(value, expected):
    got = roads.parse_maxspeed(value)
    assert got == (None if expected is None else pytest.approx(expected))


def test_add_truck_speeds_osm_rule_and_errors():
    G = roads.add_truck_speeds(_tiny_osm_graph())
    assert G.edges[1, 2, 0]["speed_kph"] == roads.OSM_TRUCK_SPEEDS_KPH["primary"]
    assert G.edges[2, 1, 0]["speed_kph"] == 10.0  # maxspeed below the table value
    assert G.edges[2, 1, 0]["travel_time"] == pytest.approx(360.0)
    G.add_edge(1, 2, length=5.0)
    with pytest.raises(layers.DataError, match=r"'road_class' \(national\) or 'highway' \(OSM\)"):
        roads.add_truck_speeds(G)


# -- OSM XML and GraphML ------------------------------------------------------------------------


def test_osm_xml_atlixco(atlixco):
    G = atlixco
    # osmnx 2.1.1 graph_from_xml on this file (shared/data/osm/SOURCE.md)
    assert (G.number_of_nodes(), G.number_of_edges()) == (6345, 16085)
    table = roads.OSM_TRUCK_SPEEDS_KPH
    for _, _, d in G.edges(data=True):
        assert d["travel_time"] > 0
        assert d["travel_time"] == pytest.approx(d["length"] / (d["speed_kph"] / 3.6))
        hw = d["highway"] if isinstance(d["highway"], list) else [d["highway"]]
        assert d["speed_kph"] <= min(table.get(h, table["default"]) for h in hw)
    motorway = [d["speed_kph"] for _, _, d in G.edges(data=True) if d["highway"] == "motorway"]
    residential = [
        d["speed_kph"] for _, _, d in G.edges(data=True) if d["highway"] == "residential"
    ]
    assert max(motorway) == 80.0 and set(residential) == {20.0}


def test_osm_xml_keeps_one_way_streets(atlixco):
    G = atlixco
    one_way = [
        (u, v, d)
        for u, v, d in G.edges(data=True)
        if d["oneway"] and u != v and not G.has_edge(v, u)
    ]
    assert len(one_way) > 1000  # a bidirectional graph would have none
    for u, v, d in one_way[::50]:
        back = nx.shortest_path_length(G, v, u, weight="length")
        assert back > d["length"]  # going back means driving around


def test_osm_speed_override(atlixco, monkeypatch):
    # graph_from_osm_xml passes `speeds` on; osmnx's reading is replaced by a copy of the fixture
    monkeypatch.setattr(ox, "graph_from_xml", lambda path, **kw: atlixco.copy())
    G = roads.graph_from_osm_xml(ATLIXCO, speeds={"residential": 10.0})
    n_res = 0
    for e, d in G.edges.items():
        d0 = atlixco.edges[e]
        if d["highway"] == "residential" and "maxspeed" not in d:
            assert d["travel_time"] == pytest.approx(2 * d0["travel_time"])
            n_res += 1
        elif d["highway"] == "motorway":
            assert d["travel_time"] == d0["travel_time"]
    assert n_res > 10_000


def test_graphml_round_trip_osm(atlixco, tmp_path):
    path = roads.save_graphml(atlixco, tmp_path / "atlixco.graphml")
    G = roads.load_graph(path)
    assert (G.number_of_nodes(), G.number_of_edges()) == (6345, 16085)
    for e, d in atlixco.edges.items():
        assert G.edges[e]["travel_time"] == pytest.approx(d["travel_time"])


def test_graphml_round_trip_national_attributes(national, tmp_path):
    keep = [
        n for n, d in national.nodes(data=True) if -98.8 < d["x"] < -97.6 and 19.1 < d["y"] < 19.8
    ]
    sub = national.subgraph(keep).copy()
    path = roads.save_graphml(sub, tmp_path / "tlaxcala.graphml")
    G = roads.graph_from_graphml(path)
    assert (G.number_of_nodes(), G.number_of_edges()) == (
        sub.number_of_nodes(),
        sub.number_of_edges(),
    )
    for e, d in sub.edges.items():
        g = G.edges[e]
        assert g["travel_time"] == pytest.approx(d["travel_time"])
        assert g["toll"] is d["toll"] and g["synthetic"] is d["synthetic"]
        assert g["posted_kph"] == d["posted_kph"] and g["road_class"] == d["road_class"]
        assert g.get("lanes") == d.get("lanes")
        assert g["geometry"].equals_exact(d["geometry"], 1e-9)
    # recomputed when asked to: the speed table applies to the stored posted speeds
    slow = roads.graph_from_graphml(path, speeds={"federal": 20.0})
    fed = [e for e, d in sub.edges.items() if d["road_class"] == "federal"]
    assert fed and all(slow.edges[e]["speed_kph"] == 20.0 for e in fed)


# -- weight matrix ------------------------------------------------------------------------------


def test_weight_matrix_minimum_of_parallel_edges_zero_arcs_kept_loops_dropped():
    G = nx.MultiDiGraph()
    G.add_edge(1, 2, length=0.0)  # a zero-length arc is an arc, stored as an explicit zero
    G.add_edge(2, 3, length=7.0)
    G.add_edge(2, 3, length=5.0)  # parallel: the minimum, not the sum
    G.add_edge(3, 3, length=1.0)  # self-loop: dropped
    G.add_edge(3, 4, length=2.0)
    ids, mat = roads.weight_matrix(G)
    assert ids.tolist() == [1, 2, 3, 4]
    assert mat.nnz == 3 and mat.data.tolist() == [0.0, 5.0, 2.0]
    assert dijkstra(mat, indices=0).tolist() == [0.0, 0.0, 5.0, 7.0]
    assert np.isinf(dijkstra(mat, indices=3)[:3]).all()  # one-way: no way back


def test_weight_matrix_is_the_national_detour_matrix(national):
    """Node order of the graph; every edge's ``length`` is positive on the bundled network."""
    ids, mat = roads.weight_matrix(national, "length")
    np.testing.assert_array_equal(ids, np.fromiter(national.nodes, dtype=np.int64))
    assert mat.shape == (N_NODES, N_NODES) and (mat.data > 0).all()
    a, b = next(iter(national.edges()))
    best = min(d["length"] for d in national.get_edge_data(a, b).values())
    assert mat[ids.tolist().index(a), ids.tolist().index(b)] == best


# -- dispatch and errors ------------------------------------------------------------------------


def test_load_graph_dispatch(monkeypatch):
    calls = []
    monkeypatch.setattr(roads, "national_graph", lambda **kw: calls.append(("national", kw)) or "N")
    monkeypatch.setattr(
        roads, "graph_from_osm_xml", lambda p, **kw: calls.append(("osm", p)) or "O"
    )
    monkeypatch.setattr(
        roads, "graph_from_graphml", lambda p, **kw: calls.append(("graphml", p)) or "G"
    )
    assert roads.load_graph(None) == "N"
    assert roads.load_graph("bundled", speeds={"toll": 70}) == "N"
    assert calls[1] == ("national", {"speeds": {"toll": 70}})
    assert roads.load_graph("region.osm.bz2") == "O"
    assert roads.load_graph(Path("x/REGION.OSM")) == "O"
    assert roads.load_graph("net.graphml") == "G"


def test_load_graph_unknown_form(tmp_path):
    bad = tmp_path / "roads.shp"
    bad.write_text("")
    with pytest.raises(
        layers.DataError, match=r"roads\.shp.*not a recognised form.*\.osm\.bz2.*\.graphml"
    ):
        roads.load_graph(bad)


@pytest.mark.parametrize("name", ["missing.osm", "missing.osm.bz2", "missing.graphml"])
def test_load_graph_missing_file(tmp_path, name):
    with pytest.raises(layers.DataError, match=rf"{name}.*does not exist"):
        roads.load_graph(tmp_path / name)


# -- downloads (osmnx mocked; no network) -------------------------------------------------------


@pytest.fixture
def fake_download(monkeypatch, tmp_path):
    seen = {}

    def fake(query, *, custom_filter=None, **kwargs):
        seen.update(
            query=query,
            custom_filter=custom_filter,
            use_cache=ox.settings.use_cache,
            cache_folder=ox.settings.cache_folder,
            kwargs=kwargs,
        )
        return _tiny_osm_graph()

    monkeypatch.setattr(ox, "graph_from_place", fake)
    monkeypatch.setattr(ox, "graph_from_bbox", fake)
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "siting-cache")
    monkeypatch.setattr(ox.settings, "use_cache", False)
    monkeypatch.setattr(ox.settings, "cache_folder", "./elsewhere")
    return seen


def test_graph_from_place_uses_truck_filter_and_cache(fake_download, tmp_path):
    G = roads.graph_from_place("Ramos Arizpe, Coahuila, México", speeds={"primary": 45.0})
    assert fake_download["query"] == "Ramos Arizpe, Coahuila, México"
    assert fake_download["custom_filter"] == roads.TRUCK_FILTER
    assert fake_download["use_cache"] is True
    assert Path(fake_download["cache_folder"]) == tmp_path / "siting-cache" / "osmnx"
    assert (tmp_path / "siting-cache" / "osmnx").is_dir()
    assert G.edges[1, 2, 0]["speed_kph"] == 45.0
    # osmnx's own settings are restored afterwards
    assert ox.settings.use_cache is False and ox.settings.cache_folder == "./elsewhere"


def test_graph_from_bbox_uses_truck_filter_and_cache(fake_download, tmp_path):
    roads.graph_from_bbox((-101.1, 25.3, -100.9, 25.6))
    assert fake_download["query"] == (-101.1, 25.3, -100.9, 25.6)
    assert fake_download["custom_filter"] == roads.TRUCK_FILTER
    assert Path(fake_download["cache_folder"]) == tmp_path / "siting-cache" / "osmnx"
    with pytest.raises(ValueError, match=r"`bbox` must be \(left, bottom, right, top\)"):
        roads.graph_from_bbox((-100.9, 25.3, -101.1, 25.6))


def test_truck_filter_excludes_residential():
    f = roads.TRUCK_FILTER
    assert "motorway|trunk|primary|secondary|tertiary" in f and "(_link)?" in f
    assert "residential" not in f and '["hgv"!~"no"]' in f


def test_cache_folder_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SITING_CACHE_DIR", str(tmp_path / "env-cache"))
    try:
        importlib.reload(settings)
        assert settings.cache_path("x") == tmp_path / "env-cache" / "x"
        assert (tmp_path / "env-cache" / "x").is_dir()
        monkeypatch.delenv("SITING_CACHE_DIR")
        importlib.reload(settings)
        assert settings.cache_path(create=False) == Path("~/.cache/siting").expanduser()
    finally:
        monkeypatch.undo()
        importlib.reload(settings)
