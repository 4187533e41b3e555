"""Routing engine: direction, parallel edges, unreachable, snapping, catchments, risk, cache."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import osmnx as ox
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from scipy.sparse.csgraph import dijkstra

from siting import layers
from siting._errors import InputError
from siting.routing import (
    RoutingNetwork,
    catchment_sum,
    nearest_target_times,
    network_criteria,
    route_exposure,
)

ATLIXCO = Path(__file__).parent / "data" / "atlixco_puebla_drive_2025-05-27.osm.bz2"
TO_GEO = Transformer.from_crs("EPSG:6372", "EPSG:4326", always_xy=True)
TO_METRIC = Transformer.from_crs("EPSG:4326", "EPSG:6372", always_xy=True)
# an origin in central Mexico, in EPSG:6372 metres
X0, Y0 = TO_METRIC.transform(-100.0, 22.0)


def metric_graph(coords: dict, edges: list[tuple]) -> nx.MultiDiGraph:
    """MultiDiGraph with node x/y in lon/lat from EPSG:6372 offsets (metres) around X0, Y0.

    ``edges`` holds (u, v, travel_time) or (u, v, travel_time, cve_ent).
    """
    G = nx.MultiDiGraph(crs="EPSG:4326")
    for node, (dx, dy) in coords.items():
        lon, lat = TO_GEO.transform(X0 + dx, Y0 + dy)
        G.add_node(node, x=lon, y=lat)
    for e in edges:
        attrs = {"travel_time": float(e[2])}
        if len(e) > 3:
            attrs["cve_ent"] = e[3]
        G.add_edge(e[0], e[1], **attrs)
    return G


def points(offsets: list[tuple[float, float]], **cols) -> gpd.GeoDataFrame:
    xy = np.array([(X0 + dx, Y0 + dy) for dx, dy in offsets]).reshape(-1, 2)
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:6372")


@pytest.fixture(scope="module")
def atlixco() -> nx.MultiDiGraph:
    G = ox.graph_from_xml(ATLIXCO)
    G = ox.routing.add_edge_speeds(G)
    return ox.routing.add_edge_travel_times(G)


@pytest.fixture(scope="module")
def atlixco_net(atlixco) -> RoutingNetwork:
    return RoutingNetwork.from_graph(atlixco)


# -- structure ------------------------------------------------------------------------------------


def test_one_way_direction_and_transpose():
    # A -> B one-way (10 s); B <-> C two-way (5 s)
    G = metric_graph(
        {"A": (0, 0), "B": (1000, 0), "C": (2000, 0)},
        [("A", "B", 10), ("B", "C", 5), ("C", "B", 5)],
    )
    net = RoutingNetwork.from_graph(G)
    a, b, c = (list(net.node_ids).index(k) for k in "ABC")
    from_a = dijkstra(net.csr, indices=a)
    from_b = dijkstra(net.csr, indices=b)
    assert from_a[b] == 10 and from_a[c] == 15
    assert math.isinf(from_b[a])  # B -> A is against the one-way
    # time TO C from every node: a search on the transpose
    to_c = nearest_target_times(net, [c])
    assert to_c.time_s[a] == 15 and to_c.time_s[b] == 5 and to_c.time_s[c] == 0
    # time TO A: nobody can get there
    to_a = nearest_target_times(net, [a])
    assert math.isinf(to_a.time_s[b]) and math.isinf(to_a.time_s[c])
    assert to_a.target[b] == -1 and not to_a.reachable[c]
    # the route from A toward C goes through B
    assert to_c.successor[a] == b and to_c.successor[b] == c and to_c.successor[c] == -1


def test_parallel_edges_collapse_to_minimum_not_sum():
    G = metric_graph({1: (0, 0), 2: (500, 0)}, [(1, 2, 30.0), (1, 2, 10.0), (1, 2, 45.0)])
    net = RoutingNetwork.from_graph(G)
    assert net.n_arcs == 1
    assert net.csr[0, 1] == 10.0
    assert net.csr_t[1, 0] == 10.0
    assert dijkstra(net.csr, indices=0)[1] == 10.0
    assert net.arc_index([0, 1], [1, 0]).tolist() == [0, -1]  # 2 -> 1 does not exist


def test_zero_travel_time_edge_is_an_edge_and_self_loops_dropped():
    G = metric_graph({1: (0, 0), 2: (10, 0), 3: (20, 0)}, [(1, 2, 0.0), (2, 3, 4.0), (3, 3, 1.0)])
    net = RoutingNetwork.from_graph(G)
    assert net.n_arcs == 2
    assert dijkstra(net.csr, indices=0)[2] == 4.0


def test_routing_matrix_is_the_roads_weight_matrix(atlixco, atlixco_net):
    # one builder (siting.layers._graph.arc_matrix) behind both: identical CSR arrays
    ids, mat = layers.roads.weight_matrix(atlixco, "travel_time")
    np.testing.assert_array_equal(ids, atlixco_net.node_ids)
    for name in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(mat, name), getattr(atlixco_net.csr, name))


def test_invalid_graph_lists_every_problem():
    G = metric_graph({1: (0, 0), 2: (10, 0), 3: (20, 0)}, [(1, 2, 5.0)])
    G.add_edge(2, 3)  # no travel_time
    with pytest.raises(InputError, match="lack `travel_time`"):
        RoutingNetwork.from_graph(G)
    with pytest.raises(InputError, match=r"2 problems:(.|\n)*x`/`y`(.|\n)*negative"):
        RoutingNetwork.from_arrays(
            [1, 2], [0.0, np.nan], [0.0, 0.0], [0], [1], [-1.0], crs="EPSG:6372"
        )


def test_unreachable_site_is_explicit():
    # site island {S1, S2} has no road to the crossing node X
    G = metric_graph(
        {"S1": (0, 0), "S2": (1000, 0), "Y": (0, 5000), "X": (0, 10000)},
        [("S1", "S2", 60), ("S2", "S1", 60), ("Y", "X", 600), ("X", "Y", 600)],
    )
    net = RoutingNetwork.from_graph(G)
    sites = points([(0, 0), (0, 5000)])
    crossings = points([(0, 10000)], port_name=["Border"], trucks=[1000.0])
    res = network_criteria(
        sites,
        net,
        crossings=crossings,
        seaports=points([(0, 10000)], name=["Port"]),
        population=points([(1000, 0)], population=[50.0]),
        state_risk={},
        snap_to_main=False,
    )
    assert res["reachable"].tolist() == [False, True]
    assert math.isinf(res.loc[0, "crossing_drive_min"])
    assert pd.isna(res.loc[0, "nearest_crossing"])
    assert res.loc[0, "crossing_access"] == 0.0
    assert math.isnan(res.loc[0, "route_risk"])
    assert res.loc[1, "crossing_drive_min"] == pytest.approx(10.0)
    assert res.loc[1, "nearest_crossing"] == "Border"
    # the island still has its own labour pool (S2's 50 people, 60 s away)
    assert res.loc[0, "labor_pool"] == 50.0 and res.loc[1, "labor_pool"] == 0.0


def test_sites_snap_to_main_network_by_default():
    # main network M1..M4 (two-way chain, crossing at M4); a 2-node fragment F1 -> F2 near the site
    G = metric_graph(
        {
            "M1": (0, 1000),
            "M2": (0, 2000),
            "M3": (0, 3000),
            "M4": (0, 4000),
            "F1": (0, 100),
            "F2": (0, -500),
        },
        [
            ("M1", "M2", 60),
            ("M2", "M1", 60),
            ("M2", "M3", 60),
            ("M3", "M2", 60),
            ("M3", "M4", 60),
            ("M4", "M3", 60),
            ("F1", "F2", 30),
        ],
    )
    net = RoutingNetwork.from_graph(G)
    assert sorted(net.node_ids[net.main].tolist()) == ["M1", "M2", "M3", "M4"]
    kw = {
        "crossings": points([(0, 4000)], port_name=["B"], trucks=[1.0]),
        "seaports": points([(0, 4000)], name=["P"]),
        "population": points([(0, 1000)], population=[1.0]),
        "state_risk": {},
    }
    main = network_criteria(points([(0, 0)]), net, **kw).iloc[0]
    assert main["reachable"] and main["snap_m"] == pytest.approx(1000, abs=1e-3)
    # 1 km at 20 km/h = 3 min, then 3 arcs of 1 min
    assert main["crossing_drive_min"] == pytest.approx(6.0)
    nearest = network_criteria(points([(0, 0)]), net, snap_to_main=False, **kw).iloc[0]
    assert not nearest["reachable"] and nearest["snap_m"] == pytest.approx(100, abs=1e-3)
    assert math.isinf(nearest["crossing_drive_min"])


# -- snapping -------------------------------------------------------------------------------------


def test_snap_known_node_and_distance_in_metres():
    G = metric_graph({10: (0, 0), 20: (1000, 0), 30: (0, 1000)}, [(10, 20, 1.0)])
    net = RoutingNetwork.from_graph(G)
    node, dist = net.snap(points([(1000 + 120.0, 0), (30, 950), (-3, -4)]))
    assert net.node_ids[node].tolist() == [20, 30, 10]
    np.testing.assert_allclose(dist, [120.0, math.hypot(30, 50), 5.0], atol=1e-3)
    # plain lon/lat arrays and an explicit CRS give the same answer
    lon, lat = TO_GEO.transform(X0 + 1120.0, Y0)
    node2, dist2 = net.snap([[lon, lat]])
    assert node2[0] == node[0] and dist2[0] == pytest.approx(120.0, abs=1e-3)
    node3, _ = net.snap([[X0 - 3, Y0 - 4]], crs="EPSG:6372")
    assert net.node_ids[node3[0]] == 10
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        net.snap([1.0, 2.0])


def test_access_leg_added_at_stated_speed():
    G = metric_graph({"S": (0, 0), "X": (10000, 0)}, [("S", "X", 600.0)])
    net = RoutingNetwork.from_graph(G)
    kw = {
        "crossings": points([(10000, 2000)], port_name=["B"], trucks=[1.0]),
        "seaports": points([(10000, 0)], name=["P"]),
        "population": points([(0, 0)], population=[1.0]),
        "state_risk": {},
        "snap_to_main": False,  # a one-way arc: no strongly connected main network here
    }
    sites = points([(0, 1000)])
    res = network_criteria(sites, net, access_speed_kph=20.0, **kw)
    # 1 km at 20 km/h = 3 min; 2 km at the crossing = 6 min; network 10 min
    assert res.loc[0, "snap_m"] == pytest.approx(1000.0, abs=1e-3)
    assert res.loc[0, "crossing_drive_min"] == pytest.approx(3 + 10 + 6, abs=1e-6)
    assert res.loc[0, "seaport_drive_min"] == pytest.approx(3 + 10, abs=1e-6)
    res40 = network_criteria(sites, net, access_speed_kph=40.0, **kw)
    assert res40.loc[0, "crossing_drive_min"] == pytest.approx(1.5 + 10 + 3, abs=1e-6)


# -- nearest targets ------------------------------------------------------------------------------


@pytest.mark.slow
def test_nearest_crossing_matches_networkx_on_atlixco(atlixco, atlixco_net):
    net = atlixco_net
    rng = np.random.default_rng(7)
    targets = rng.choice(net.n_nodes, 6, replace=False)
    ours = nearest_target_times(net, targets)
    ref = nx.multi_source_dijkstra_path_length(
        atlixco.reverse(copy=False), set(net.node_ids[targets].tolist()), weight="travel_time"
    )
    expected = np.array([ref.get(k, np.inf) for k in net.node_ids.tolist()])
    np.testing.assert_allclose(ours.time_s, expected)
    assert (ours.reachable == np.isfinite(expected)).all()
    # the label is a target whose own single-source time equals the minimum
    per_target = dijkstra(net.csr_t, indices=targets)
    ok = ours.reachable
    labelled = per_target[ours.target[ok], np.flatnonzero(ok)]
    np.testing.assert_allclose(labelled, ours.time_s[ok])

    # with access legs: equal to networkx from a virtual source (a farther target can win)
    offsets = rng.uniform(0, 900, len(targets))
    ours_off = nearest_target_times(net, targets, offsets)
    H = nx.MultiDiGraph(atlixco.reverse(copy=True))
    for t, off in zip(net.node_ids[targets].tolist(), offsets, strict=True):
        H.add_edge("virtual", t, travel_time=off)
    ref_off = nx.single_source_dijkstra_path_length(H, "virtual", weight="travel_time")
    expected_off = np.array([ref_off.get(k, np.inf) for k in net.node_ids.tolist()])
    np.testing.assert_allclose(ours_off.time_s, expected_off)
    ok = ours_off.reachable
    labelled = per_target[ours_off.target[ok], np.flatnonzero(ok)] + offsets[ours_off.target[ok]]
    np.testing.assert_allclose(labelled, ours_off.time_s[ok])
    assert not np.array_equal(ours_off.target, ours.target)  # offsets changed some winners


# -- labour pool ----------------------------------------------------------------------------------


def test_labor_pool_equals_networkx_brute_force(atlixco, atlixco_net):
    net = atlixco_net
    rng = np.random.default_rng(3)
    site_nodes = rng.choice(net.n_nodes, 25, replace=False)
    pt_nodes = rng.choice(net.n_nodes, 400)
    pop = rng.integers(10, 5000, len(pt_nodes)).astype(float)
    site_off = rng.uniform(0, 120, len(site_nodes))
    pt_off = rng.uniform(0, 120, len(pt_nodes))
    limit = 600.0
    ours = catchment_sum(
        net,
        site_nodes,
        pt_nodes,
        pop,
        limit,
        origin_offset_s=site_off,
        point_offset_s=pt_off,
        chunk_size=4,  # several chunks, one of them ragged
    )
    R = atlixco.reverse(copy=False)
    ids = net.node_ids
    expected = []
    for s, so in zip(site_nodes, site_off, strict=True):
        reach = nx.single_source_dijkstra_path_length(R, ids[s], cutoff=limit, weight="travel_time")
        t = np.array([reach.get(ids[p], np.inf) for p in pt_nodes])
        expected.append(pop[t + pt_off + so <= limit].sum())
    np.testing.assert_allclose(ours, expected)
    assert 0 < ours.max() < pop.sum()  # a real bound: some, not all, points reached
    # progress factory receives the chunk loop
    seen = []

    def progress(it, total, desc):
        seen.append((total, desc))
        return it

    again = catchment_sum(
        net,
        site_nodes,
        pt_nodes,
        pop,
        limit,
        origin_offset_s=site_off,
        point_offset_s=pt_off,
        chunk_size=10,
        progress=progress,
    )
    np.testing.assert_allclose(again, ours)
    assert seen == [(3, "labour-pool catchments")]


# -- route risk -----------------------------------------------------------------------------------


def two_state_graph() -> nx.MultiDiGraph:
    # S --100 s, state A--> M --300 s, state B--> X (crossing); slower all-B detour S -> D -> X
    return metric_graph(
        {"S": (0, 0), "M": (1000, 0), "X": (2000, 0), "D": (1000, 3000)},
        [
            ("S", "M", 100, "A"),
            ("M", "X", 300, "B"),
            ("S", "D", 250, "B"),
            ("D", "X", 250, "B"),
        ],
    )


def test_route_risk_is_time_weighted_along_fastest_route():
    net = RoutingNetwork.from_graph(two_state_graph())
    pos = {k: i for i, k in enumerate(net.node_ids.tolist())}
    near = nearest_target_times(net, [pos["X"]])
    risk = route_exposure(net, near, {"A": 10.0, "B": 50.0})
    assert risk[pos["S"]] == pytest.approx((100 * 10 + 300 * 50) / 400)  # 40, not the detour's 50
    assert risk[pos["M"]] == pytest.approx(50.0)
    assert risk[pos["X"]] == pytest.approx(50.0)  # at the crossing: its own state
    assert net.node_state_codes[pos["S"]] in {"A", "B"} and net.node_state_codes[pos["X"]] == "B"
    # an unknown state is left out of both sums
    assert route_exposure(net, near, {"B": 50.0})[pos["S"]] == pytest.approx(50.0)
    # same with an access leg at the crossing (virtual-source path)
    near_off = nearest_target_times(net, [pos["X"]], [30.0])
    risk_off = route_exposure(net, near_off, {"A": 10.0, "B": 50.0})
    np.testing.assert_allclose(risk_off, risk)


def test_network_criteria_route_risk_and_crossing_access():
    net = RoutingNetwork.from_graph(two_state_graph())
    crossings = points([(2000, 0), (1000, 3000)], port_name=["X", "D"], trucks=[1000.0, 500.0])
    res = network_criteria(
        points([(0, 0)]),
        net,
        crossings=crossings,
        seaports=points([(1000, 0)], name=["M port"]),
        population=points([(1000, 0)], population=[7.0]),
        state_risk={"A": 10.0, "B": 50.0},
        tau_min=60.0,
        commute_min=1.0,
        snap_to_main=False,  # one-way arcs only: every strongly connected piece is one node
    )
    row = res.iloc[0]
    # D is a crossing too and is 250 s away: it is the nearest, route all in state B
    assert row["nearest_crossing"] == "D"
    assert row["crossing_drive_min"] == pytest.approx(250 / 60)
    assert row["route_risk"] == pytest.approx(50.0)
    expected = 1000 * math.exp(-(400 / 60) / 60) + 500 * math.exp(-(250 / 60) / 60)
    assert row["crossing_access"] == pytest.approx(expected)
    assert row["nearest_seaport"] == "M port"
    assert row["seaport_drive_min"] == pytest.approx(100 / 60)
    assert row["labor_pool"] == 0.0  # M is 100 s > 1 min away
    with pytest.raises(ValueError, match="`tau_min` must be a positive number"):
        network_criteria(
            points([(0, 0)]),
            net,
            crossings=crossings,
            seaports=crossings.rename(columns={"port_name": "name"}),
            population=points([]).assign(population=[]),
            state_risk={},
            tau_min=0,
        )


# -- cache ----------------------------------------------------------------------------------------


def test_cache_hit_miss_and_invalidation(tmp_path, caplog):
    G = two_state_graph()
    with caplog.at_level(logging.INFO, logger="siting.routing"):
        first = RoutingNetwork.cached(G, cache_dir=tmp_path)
    assert not first.from_cache
    files = list(tmp_path.glob("routing_*.npz"))
    assert [f.name for f in files] == [f"routing_{first.key}.npz"]

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="siting.routing"):
        second = RoutingNetwork.cached(G, cache_dir=tmp_path)
    assert second.from_cache and second.key == first.key
    assert "reused cached routing structures" in caplog.text
    assert (second.csr != first.csr).nnz == 0 and (second.csr_t != first.csr_t).nnz == 0
    np.testing.assert_array_equal(second.node_ids, first.node_ids.astype(str))
    np.testing.assert_array_equal(second.arc_state, first.arc_state)
    assert second.states == first.states
    np.testing.assert_allclose(second.xy, first.xy)

    # one edge's travel time changes -> a new key, built afresh
    G2 = G.copy()
    G2.edges["S", "M", 0]["travel_time"] = 101.0
    third = RoutingNetwork.cached(G2, cache_dir=tmp_path)
    assert not third.from_cache and third.key != first.key
    assert third.csr[list(third.node_ids).index("S"), list(third.node_ids).index("M")] == 101.0
    # key_extra (e.g. a speed table version) also changes the key
    assert RoutingNetwork.cached(G, cache_dir=tmp_path, key_extra="v2").key != first.key
    assert len(list(tmp_path.glob("routing_*.npz"))) == 3


def test_cache_integer_ids_round_trip(tmp_path, atlixco):
    net = RoutingNetwork.cached(atlixco, cache_dir=tmp_path)
    again = RoutingNetwork.cached(atlixco, cache_dir=tmp_path)
    assert again.from_cache and again.node_ids.dtype == np.int64
    np.testing.assert_array_equal(again.node_ids, net.node_ids)
    assert again.nbytes == net.nbytes


def test_cache_with_source_key_skips_reading_the_graph(tmp_path):
    G = two_state_graph()
    first = RoutingNetwork.cached(G, cache_dir=tmp_path, source_key="file-sha:abc")
    assert not first.from_cache and first.key.startswith("s")
    # a hit never touches the graph: even an empty graph object is not read
    again = RoutingNetwork.cached(nx.MultiDiGraph(), cache_dir=tmp_path, source_key="file-sha:abc")
    assert again.from_cache and again.n_arcs == first.n_arcs == 4
    other = RoutingNetwork.cached(G, cache_dir=tmp_path, source_key="file-sha:def")
    assert not other.from_cache and other.key != first.key


# -- property: random small directed multigraphs ---------------------------------------------------


@st.composite
def random_network(draw):
    n = draw(st.integers(2, 12))
    m = draw(st.integers(0, 40))
    u = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    v = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    w = draw(st.lists(st.sampled_from([0.0, 1.0, 2.5, 7.0, 30.0]), min_size=m, max_size=m))
    k = draw(st.integers(1, min(n, 4)))
    targets = draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k))
    offsets = draw(st.lists(st.sampled_from([0.0, 0.5, 3.0, 20.0]), min_size=k, max_size=k))
    return n, u, v, w, targets, offsets


@settings(max_examples=60, deadline=None)
@given(random_network())
def test_nearest_and_catchment_match_networkx_on_random_graphs(case):
    n, u, v, w, targets, offsets = case
    x = np.arange(n) * 100.0
    net = RoutingNetwork.from_arrays(np.arange(n), x, np.zeros(n), u, v, w, crs="EPSG:6372")
    ref = nx.MultiDiGraph()
    ref.add_nodes_from(range(n))
    ref.add_weighted_edges_from(zip(v, u, w, strict=True))  # reversed: times TO targets
    for i, (t, off) in enumerate(zip(targets, offsets, strict=True)):
        ref.add_edge(("t", i), t, weight=off)
        ref.add_edge("virtual", ("t", i), weight=0.0)
    dist = nx.single_source_dijkstra_path_length(ref, "virtual")
    near = nearest_target_times(net, targets, offsets)
    expected = np.array([dist.get(i, np.inf) for i in range(n)])
    np.testing.assert_allclose(near.time_s, expected)
    for i in range(n):
        if np.isfinite(expected[i]):
            # the label's own time (offset + time to it) equals the minimum
            t = near.target[i]
            own = nx.shortest_path_length(ref, ("t", t), i, weight="weight")
            assert own == pytest.approx(expected[i])
        else:
            assert near.target[i] == -1 and near.successor[i] == -1
    # catchment of every node within 7 s, weights 1 at every node
    pool = catchment_sum(net, np.arange(n), np.arange(n), np.ones(n), 7.0, chunk_size=3)
    fwd = nx.MultiDiGraph()
    fwd.add_nodes_from(range(n))
    fwd.add_weighted_edges_from(zip(v, u, w, strict=True))
    brute = [len(nx.single_source_dijkstra_path_length(fwd, i, cutoff=7.0)) for i in range(n)]
    np.testing.assert_array_equal(pool, brute)


# -- real bundled data: the national network and the layers ------------------------------------


@pytest.fixture(scope="module")
def national_net(tmp_path_factory) -> RoutingNetwork:
    G = layers.roads.national_graph()
    return RoutingNetwork.cached(G, cache_dir=tmp_path_factory.mktemp("routing"))


@pytest.mark.slow
def test_network_criteria_on_national_network(national_net, small_candidates):
    sec = layers.security.state_security().set_index("CVE_ENT")["homicide_rate"].to_dict()
    res = network_criteria(
        small_candidates,
        national_net,
        crossings=layers.crossings.commercial_crossings(),
        seaports=layers.transport.seaports(),
        population=layers.labor.population_points(),
        state_risk=sec,
    ).set_index(small_candidates["name"])
    assert res["reachable"].all()
    assert (res["snap_m"] < 2000).all()
    mty, juarez, tijuana = res.loc["Monterrey"], res.loc["Ciudad Juárez"], res.loc["Tijuana"]
    # Monterrey: a Tamaulipas/Nuevo León crossing 2-4 h away by truck; metro of 5.3 M people
    assert mty["nearest_crossing"] in {"Laredo", "Hidalgo", "Roma", "Rio Grande City", "Progreso"}
    assert 120 < mty["crossing_drive_min"] < 240
    assert 3e6 < mty["labor_pool"] < 6.5e6
    # border cities: their own crossing, well under an hour; the route stays in their state
    assert juarez["nearest_crossing"] in {"El Paso", "Ysleta", "Santa Teresa", "Tornillo"}
    assert juarez["crossing_drive_min"] < 45
    assert juarez["route_risk"] == pytest.approx(sec["08"])
    assert tijuana["nearest_crossing"] in {"Otay Mesa", "Tecate"}
    assert tijuana["crossing_drive_min"] < 60
    assert tijuana["route_risk"] == pytest.approx(sec["02"])
    # Mérida is far from the border, next to its port
    assert res.loc["Mérida", "crossing_drive_min"] > 20 * 60
    assert res.loc["Mérida", "nearest_seaport"] == "Progreso"
    assert mty["crossing_access"] > res.loc["Querétaro", "crossing_access"]
    lo, hi = min(sec.values()), max(sec.values())
    assert res["route_risk"].between(lo, hi).all()
