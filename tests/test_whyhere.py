"""'Why here' shapes (siting.whyhere): each site's truck route to its crossing and commute area.

On a real run over 12 industrial parks (tests/_maps_fixtures.py) and the bundled road network.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.sparse.csgraph import dijkstra

from siting import layers, whyhere
from siting.layers import CRS_METRIC, settings
from siting.network import NetworkSettings, routing_network
from siting.routing import RoutingNetwork
from siting.scenario import load_scenario, with_overrides
from siting.whyhere import (
    CATCHMENT_CELL_M,
    COLUMNS,
    DEFAULT_SIMPLIFY_M,
    _cover,
    _densify,
    _outlines,
    _reached_cells,
    _road_shapes,
    why_here,
)
from tests._maps_fixtures import make_run

ATLIXCO = Path(__file__).parent / "data" / "atlixco_puebla_drive_2025-05-27.osm.bz2"
#: Islas Marías, 100 km off the coast of Nayarit: no road reaches them.
ISLAS_MARIAS = (-106.53, 21.63)


@pytest.fixture(scope="module")
def run():
    return make_run(12)


@pytest.fixture(scope="module")
def shapes(run):
    return why_here(run)


@pytest.fixture(scope="module")
def net(run):
    return routing_network(run.scenario.network)[0]


def _kind(frame: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    return frame[frame["kind"] == kind].set_index("site")


def _metric_xy(lon_lat: np.ndarray) -> np.ndarray:
    pts = gpd.GeoSeries(gpd.points_from_xy(lon_lat[:, 0], lon_lat[:, 1]), crs=4326)
    return pts.to_crs(CRS_METRIC).get_coordinates().to_numpy()


# -- layout -------------------------------------------------------------------------------------


def test_every_reachable_site_gets_a_route_then_a_catchment(run, shapes):
    assert list(shapes.columns) == COLUMNS
    assert shapes.crs.to_epsg() == 4326
    assert shapes.index.equals(pd.RangeIndex(len(shapes)))
    # the constraint excludes two parks, but they reach a crossing: they are drawn too
    assert run.ranking["excluded"].sum() == 2 and run.ranking["reachable"].all()
    assert shapes["site"].tolist() == [i for i in range(len(run.ranking)) for _ in range(2)]
    assert shapes["kind"].tolist() == ["route", "catchment"] * len(run.ranking)
    routes, areas = _kind(shapes, "route"), _kind(shapes, "catchment")
    assert (routes.geom_type == "LineString").all()
    assert areas.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert shapes.is_valid.all() and not shapes.is_empty.any()
    assert areas["target"].isna().all()
    assert (areas["minutes"] == run.scenario.params.commute_min).all()


def test_sites_are_positions_drawn_once_in_the_order_given(run, shapes):
    some = why_here(run, [5, 2, 5])
    assert some["site"].tolist() == [5, 5, 2, 2]
    pd.testing.assert_frame_equal(
        some.reset_index(drop=True),
        pd.concat([shapes[shapes["site"] == 5], shapes[shapes["site"] == 2]]).reset_index(
            drop=True
        ),
    )
    none = why_here(run, [])
    assert none.empty and list(none.columns) == COLUMNS and none.crs.to_epsg() == 4326


def test_bad_arguments_are_named(run):
    with pytest.raises(IndexError, match=r"\[12\], outside the ranking's positions 0\.\.11"):
        why_here(run, [0, 12])
    with pytest.raises(TypeError, match="`sites` must be positions"):
        why_here(run, ["Parque Industrial Reynosa (Reynosa)"])
    with pytest.raises(ValueError, match="`simplify_m` must be metres"):
        why_here(run, [0], simplify_m=-1)
    with pytest.raises(ValueError, match="`cell_m` must be metres > 0"):
        why_here(run, [0], cell_m=0)


# -- routes -------------------------------------------------------------------------------------


def test_route_runs_from_the_site_to_the_crossing_the_ranking_names(run, shapes):
    routes = _kind(shapes, "route")
    ranking = run.ranking.loc[routes.index]
    assert routes["target"].tolist() == ranking["nearest_crossing"].tolist()
    first = np.array([g.coords[0] for g in routes.geometry])
    last = np.array([g.coords[-1] for g in routes.geometry])
    np.testing.assert_allclose(first, ranking[["lon", "lat"]].to_numpy(), atol=1e-9)
    crossings = layers.crossings.commercial_crossings(min_trucks=run.scenario.params.min_trucks)
    at = crossings.set_index("port_name").geometry.loc[routes["target"]]
    gap = np.hypot(*(_metric_xy(last) - _metric_xy(at.get_coordinates().to_numpy())).T)
    assert gap.max() < 100.0  # metres: the route ends on the crossing itself


def test_route_minutes_are_the_rankings_drive_time(run, shapes):
    routes = _kind(shapes, "route")
    ranking = run.ranking.loc[routes.index]
    expected = ranking["crossing_drive_min"] - ranking["crossing_wait_min"].fillna(0.0)
    np.testing.assert_allclose(routes["minutes"], expected, rtol=0, atol=1e-3)


def test_route_leaves_by_the_access_leg_and_follows_the_roads(run, net):
    raw = _kind(why_here(run, [0, 9], simplify_m=0), "route")
    ranking = run.ranking.loc[raw.index]
    nodes, _ = net.snap(ranking.geometry, main_only=True)
    lines = layers.roads.national_lines().to_crs(CRS_METRIC)
    tree = shapely.STRtree(lines.geometry.to_numpy())
    for (site, route), node in zip(raw.geometry.items(), nodes, strict=True):
        xy = _metric_xy(np.asarray(route.coords))
        # the site, then its network node, reached by the straight access leg the ranking drove
        leg = np.hypot(*(xy[1] - xy[0]))
        assert leg == pytest.approx(ranking.loc[site, "snap_km"] * 1000, abs=1.0)
        assert np.hypot(*(xy[1] - net.xy[node])) < 1.0
        # then the roads themselves: every segment runs along an INEGI line (a straight chord
        # from node to node would cut the curves)
        middle = (xy[1:-2] + xy[2:-1]) / 2
        _, off_road = tree.query_nearest(shapely.points(middle), return_distance=True)
        assert len(middle) > 30 and off_road.max() < 1.0


def test_simplified_shapes_stay_within_the_tolerance(run, shapes):
    raw = why_here(run, [0, 3, 11], simplify_m=0).to_crs(CRS_METRIC)
    simple = shapes[shapes["site"].isin([0, 3, 11])].to_crs(CRS_METRIC).reset_index(drop=True)
    assert (raw[["site", "kind"]] == simple[["site", "kind"]]).all(axis=None)
    a, b = raw.geometry.to_numpy(), simple.geometry.to_numpy()
    route = (raw["kind"] == "route").to_numpy()
    assert (shapely.hausdorff_distance(a[route], b[route], densify=0.1) <= DEFAULT_SIMPLIFY_M).all()
    # outlines: about the same area (simplifying may fill a hole of a square kilometre or two)
    changed = shapely.area(shapely.symmetric_difference(a[~route], b[~route]))
    assert (changed <= 0.05 * shapely.area(a[~route])).all()
    n_raw, n_simple = shapely.get_num_coordinates(a), shapely.get_num_coordinates(b)
    assert (n_simple <= n_raw).all() and n_simple.sum() < n_raw.sum() / 3


# -- catchments ---------------------------------------------------------------------------------


def test_catchment_holds_the_sites_network_node(run, shapes, net):
    areas = _kind(shapes, "catchment").to_crs(CRS_METRIC)
    nodes, _ = net.snap(run.ranking.loc[areas.index].geometry, main_only=True)
    xy = net.xy[nodes]
    assert shapely.contains_xy(areas.geometry.to_numpy(), xy[:, 0], xy[:, 1]).all()


def test_catchment_holds_the_people_the_labour_pool_counts(run, shapes, net):
    """The localities that reach the site within the commute (the labour-pool rule) are inside."""
    areas = _kind(shapes, "catchment").to_crs(CRS_METRIC)
    pop = layers.labor.population_points()
    pop_nodes, pop_snap = net.snap(pop, main_only=True)
    pop_xy = pop.to_crs(CRS_METRIC).get_coordinates().to_numpy()
    speed = run.scenario.network.access_speed_kph / 3.6
    budget = run.scenario.params.commute_min * 60.0
    nodes, snap = net.snap(run.ranking.loc[areas.index].geometry, main_only=True)
    for site, node, site_snap in zip(areas.index, nodes, snap, strict=True):
        to_site = dijkstra(net.csr_t, indices=[node], limit=budget)[0]
        counted = pop_snap / speed + to_site[pop_nodes] + site_snap / speed <= budget
        people = pop["population"].to_numpy()[counted]
        assert people.sum() == pytest.approx(run.ranking.loc[site, "labor_pool"])
        inside = shapely.contains_xy(areas.geometry.loc[site], *pop_xy[counted].T)
        assert people[inside].sum() >= 0.95 * people.sum()


def test_catchment_follows_the_roads_and_grows_with_the_commute(run, shapes):
    longer = dataclasses.replace(
        run, scenario=with_overrides(run.scenario, parameters={"commute_min": 90})
    )
    wide = _kind(why_here(longer), "catchment").to_crs(CRS_METRIC)
    base = _kind(shapes, "catchment").to_crs(CRS_METRIC)
    assert (wide["minutes"] == 90).all() and wide.index.equals(base.index)
    assert (wide.area > 1.5 * base.area).all()
    lost = base.geometry.difference(wide.geometry.loc[base.index]).area
    assert (lost <= 0.02 * base.area).all()  # the 45-minute area lies within the 90-minute one
    # roads, not circles: the areas leave out much of their convex hull
    assert (base.area / base.convex_hull.area).min() < 0.8


# -- what is not drawn --------------------------------------------------------------------------


def test_a_site_marked_unreachable_gets_no_rows(run, shapes):
    ranking = run.ranking.copy()
    ranking.loc[[1, 4], "reachable"] = False
    found = why_here(dataclasses.replace(run, ranking=ranking))
    assert sorted(set(found["site"])) == [i for i in range(len(ranking)) if i not in (1, 4)]
    assert why_here(dataclasses.replace(run, ranking=ranking), [1, 4]).empty


@pytest.mark.slow
def test_unreachable_and_foreign_sites_get_nothing_and_waits_are_left_out():
    """A real run: Islas Marías reach no road, Houston is outside Mexico, crossings wait."""
    from siting.pipeline import run_scenario

    places = {
        "Monterrey": (-100.3161, 25.6714),
        "Querétaro": (-100.3899, 20.5888),
        "Islas Marías": ISLAS_MARIAS,
        "Houston": (-95.37, 29.76),
    }
    sites = gpd.GeoDataFrame(
        {"name": list(places), "source": "user", "outside_mexico": [False, False, False, True]},
        geometry=gpd.points_from_xy(*np.array(list(places.values())).T),
        crs=4326,
    )
    waits = {"Laredo": 50, "Hidalgo": 20, "Otay Mesa": 90}
    result = run_scenario(
        with_overrides(load_scenario(), crossing_waits=waits), candidates=sites, rank_ranges=False
    )
    ranking = result.ranking
    where = {name: i for i, name in enumerate(ranking["name"])}
    assert not ranking.loc[where["Islas Marías"], "reachable"]
    found = why_here(result)
    assert sorted(set(found["site"])) == sorted([where["Monterrey"], where["Querétaro"]])
    assert why_here(result, [where["Islas Marías"], where["Houston"]]).empty
    routes = _kind(found, "route")
    waited = ranking.loc[routes.index, "crossing_wait_min"]
    assert (waited > 0).all()
    np.testing.assert_allclose(
        routes["minutes"],
        ranking.loc[routes.index, "crossing_drive_min"] - waited,
        rtol=0,
        atol=1e-3,
    )


def test_straight_line_run_draws_nothing(small_candidates):
    import siting

    result = siting.run(
        candidates=small_candidates,
        network="straight-line",
        weights={"crossing_km": 1, "labor_pool": 1},
        rank_ranges=False,
    )
    found = why_here(result)
    assert found.empty and list(found.columns) == COLUMNS and found.crs.to_epsg() == 4326


# -- the pieces ---------------------------------------------------------------------------------


def test_densify_keeps_vertices_and_spacing():
    xy = np.array([[0.0, 0.0], [2500.0, 0.0], [2500.0, 400.0], [10.0, 10.0], [10.0, 10.0]])
    off = np.array([0, 3, 5])  # an L-shaped line, then a line of length 0
    pts, line, frac = _densify(xy, off, 1000.0)
    first = pts[line == 0]
    assert first[[0, -1]].tolist() == [[0.0, 0.0], [2500.0, 400.0]]
    assert [2500.0, 0.0] in first.tolist()
    steps = np.hypot(*np.diff(first, axis=0).T)
    assert steps.max() <= 1000.0 and len(first) == 5  # 3 pieces, then 1, then the end vertex
    np.testing.assert_allclose(frac[line == 0], np.cumsum([0, *steps]) / 2900.0)
    assert (frac[line == 1] == 1.0).all()


@pytest.mark.slow
def test_catchment_on_a_user_osm_network_is_drawn_node_to_node():
    """An OSM network carries no line shapes here: its arcs are drawn straight."""
    settings = NetworkSettings(source=str(ATLIXCO))
    osm, _ = routing_network(settings)
    shapes = _road_shapes(osm, settings, CATCHMENT_CELL_M)
    assert (np.diff(shapes.line_off) == 2).all() and len(shapes.line_off) == osm.n_arcs + 1
    node, _ = osm.snap(np.array([[-98.4360, 18.9080]]), main_only=True)
    areas = []
    for minutes in (5, 15):
        dist = dijkstra(osm.csr_t, indices=node, limit=minutes * 60.0)[0]
        cells = _reached_cells(
            osm, shapes, dist, minutes * 60.0, np.zeros(len(shapes.line_off) - 1, bool)
        )
        rings = _outlines([_cover(cells)], CATCHMENT_CELL_M)[0]
        areas.append(shapely.union_all([shapely.Polygon(p[o[0] : o[1]]) for p, o in rings]))
    assert all(a.contains(shapely.Point(osm.xy[node[0]])) for a in areas)
    assert areas[1].area > 2 * areas[0].area


# -- the disk cache of the road shapes ------------------------------------------------------------

#: A user network (not the bundled one): its arcs are drawn straight.
USER_NETWORK = NetworkSettings(source="user_roads.osm")


def _small_net() -> RoutingNetwork:
    """Six nodes near Puebla, two-way, with a content key (as the disk cache gives)."""
    G = nx.MultiDiGraph(crs="EPSG:4326")
    for i in range(6):
        G.add_node(i, x=-98.2 + 0.02 * i, y=19.0 + 0.01 * (i % 2))
    for i in range(5):
        G.add_edge(i, i + 1, travel_time=60.0 + i)
        G.add_edge(i + 1, i, travel_time=65.0 + i)
    return RoutingNetwork.from_graph(G)


@pytest.fixture
def shape_cache(tmp_path, monkeypatch):
    """An empty siting cache folder, and a process that has not built any road shapes yet."""
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    monkeypatch.setattr(whyhere, "_SHAPES", {})
    monkeypatch.setattr(whyhere, "_UNWRITABLE", set())
    return tmp_path / "cache" / "routing"


def _counted_builds(monkeypatch) -> list[float]:
    built: list[float] = []
    real = whyhere._build_road_shapes

    def build(net, network, cell_m):
        built.append(cell_m)
        return real(net, network, cell_m)

    monkeypatch.setattr(whyhere, "_build_road_shapes", build)
    return built


def _assert_same_shapes(a, b) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y), f.name
        else:
            assert x == y, f.name


def _shape_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_bundled_road_shapes_are_read_back_from_the_cache(run, net, shape_cache, monkeypatch):
    built = _counted_builds(monkeypatch)
    first = _road_shapes(net, run.scenario.network, CATCHMENT_CELL_M)
    (name,) = _shape_files(shape_cache)
    assert name.startswith("roadshapes_") and name.endswith(".npz") and built == [1000.0]
    assert _road_shapes(net, run.scenario.network, CATCHMENT_CELL_M) is first  # memory
    monkeypatch.setattr(whyhere, "_SHAPES", {})  # a new process
    monkeypatch.setattr(whyhere, "_build_road_shapes", None)  # building would fail
    _assert_same_shapes(_road_shapes(net, run.scenario.network, CATCHMENT_CELL_M), first)


def test_why_here_is_the_same_from_the_cached_road_shapes(run, shapes, shape_cache, monkeypatch):
    cold = why_here(run)  # builds the road shapes, and caches them
    monkeypatch.setattr(whyhere, "_SHAPES", {})
    warm = why_here(run)  # reads them
    for found in (cold, warm):
        pd.testing.assert_frame_equal(
            found.drop(columns="geometry"), shapes.drop(columns="geometry")
        )
        assert (
            shapely.to_wkb(found.geometry.to_numpy()).tolist()
            == shapely.to_wkb(shapes.geometry.to_numpy()).tolist()
        )


def test_road_shape_cache_keys_follow_the_inputs(run, net, monkeypatch):
    network = run.scenario.network
    key = whyhere._shapes_key(net, network, 1000.0)
    assert key == whyhere._shapes_key(net, network, 1000.0)
    other_net = dataclasses.replace(net, key=net.key + "x")
    faster = dataclasses.replace(network, speeds={"toll": 100.0})
    others = [
        whyhere._shapes_key(net, network, 500.0),
        whyhere._shapes_key(other_net, network, 1000.0),
        whyhere._shapes_key(net, faster, 1000.0),
        whyhere._shapes_key(net, USER_NETWORK, 1000.0),
    ]
    monkeypatch.setattr(whyhere, "ROAD_SHAPES_FORMAT", whyhere.ROAD_SHAPES_FORMAT + 1)
    others.append(whyhere._shapes_key(net, network, 1000.0))
    assert len({key, *others}) == 1 + len(others)


def _resaved(path: Path, **changes) -> None:
    """Write the cache file again with some members changed, None: left out (another writer)."""
    with np.load(path) as z:
        members = {name: z[name] for name in z.files}
    for name, change in changes.items():
        members[name] = change(members[name]) if callable(change) else change
    members = {name: a for name, a in members.items() if a is not None}
    with open(path, "wb") as f:
        np.savez(f, **members)


SHAPE_DAMAGES = {
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[:3000]), "BadZipFile"),
    "empty": (lambda p: p.write_bytes(b""), "an empty file"),
    "garbage": (lambda p: p.write_bytes(b"\x00" * 5000), "not a zip archive"),
    "another format": (lambda p: _resaved(p, fmt=np.asarray(0)), "expected 1"),
    "another key": (lambda p: _resaved(p, key=np.asarray("s0")), "of key 's0', expected"),
    "checksum": (
        lambda p: _resaved(p, sample_frac=lambda frac: frac + 0.5),
        "SHA-256 checksum",
    ),
    "missing array": (lambda p: _resaved(p, line_cells=None), "missing array(s) ['line_cells']"),
}


@pytest.mark.parametrize("damage", list(SHAPE_DAMAGES))
def test_a_damaged_road_shape_cache_is_rebuilt_with_one_warning(
    shape_cache, monkeypatch, caplog, damage
):
    net = _small_net()
    good = _road_shapes(net, USER_NETWORK, CATCHMENT_CELL_M)
    (name,) = _shape_files(shape_cache)
    path = shape_cache / name
    spoil, reason = SHAPE_DAMAGES[damage]
    spoil(path)
    monkeypatch.setattr(whyhere, "_SHAPES", {})
    with caplog.at_level(logging.WARNING, logger="siting"):
        rebuilt = _road_shapes(net, USER_NETWORK, CATCHMENT_CELL_M)
    (message,) = _warnings(caplog)
    assert str(path) in message and "rebuilding it" in message and reason in message
    _assert_same_shapes(rebuilt, good)
    # replaced by a good file: read silently next time, no temporary file left
    caplog.clear()
    monkeypatch.setattr(whyhere, "_SHAPES", {})
    built = _counted_builds(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="siting"):
        _assert_same_shapes(_road_shapes(net, USER_NETWORK, CATCHMENT_CELL_M), good)
    assert built == [] and _warnings(caplog) == [] and _shape_files(shape_cache) == [name]


def test_road_shapes_that_do_not_fit_the_network_are_rebuilt(shape_cache, monkeypatch, caplog):
    """A file with a valid checksum but arrays of another network (or a bug): not used."""
    net = _small_net()
    good = _road_shapes(net, USER_NETWORK, CATCHMENT_CELL_M)
    (name,) = _shape_files(shape_cache)
    path = shape_cache / name
    arrays = {f: getattr(good, f) for f in whyhere._SHAPE_ARRAYS}
    arrays["arc_line"] = arrays["arc_line"] + 1000  # lines that do not exist
    _resaved(path, arc_line=arrays["arc_line"], sha256=np.asarray(whyhere._shapes_digest(arrays)))
    monkeypatch.setattr(whyhere, "_SHAPES", {})
    with caplog.at_level(logging.WARNING, logger="siting"):
        _assert_same_shapes(_road_shapes(net, USER_NETWORK, CATCHMENT_CELL_M), good)
    (message,) = _warnings(caplog)
    assert "arc_line holds lines that do not exist" in message


@pytest.mark.parametrize("blocked", ["file", "disk full"])
def test_an_unwritable_road_shape_cache_costs_one_warning(
    tmp_path, shape_cache, monkeypatch, caplog, blocked
):
    net = _small_net()
    expected = _road_shapes(net, USER_NETWORK, CATCHMENT_CELL_M)
    monkeypatch.setattr(whyhere, "_SHAPES", {})
    if blocked == "file":
        blocker = tmp_path / "blocked"
        blocker.write_text("not a folder")
        monkeypatch.setattr(settings, "cache_folder", blocker)
        reason = "Not a directory"
    else:
        monkeypatch.setattr(settings, "cache_folder", tmp_path / "full")

        def full(*_args):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(whyhere.os, "replace", full)
        reason = "No space left on device"
    with caplog.at_level(logging.WARNING, logger="siting"):
        found = _road_shapes(net, USER_NETWORK, CATCHMENT_CELL_M)
        monkeypatch.setattr(whyhere, "_SHAPES", {})
        again = _road_shapes(net, USER_NETWORK, CATCHMENT_CELL_M)  # not tried again
    (message,) = _warnings(caplog)
    assert message.startswith("could not write the road-shape cache")
    assert reason in message and "continuing without it" in message
    _assert_same_shapes(found, expected)
    _assert_same_shapes(again, expected)
    assert _shape_files(tmp_path / "full" / "routing") == []  # no temporary file left


def test_only_the_most_recently_used_road_shape_files_are_kept(shape_cache, monkeypatch):
    monkeypatch.setattr(whyhere, "ROAD_SHAPES_MAX_FILES", 2)
    net = _small_net()
    for cell in (1000.0, 2000.0):
        _road_shapes(net, USER_NETWORK, cell)
    one, two = (
        shape_cache / f"roadshapes_{whyhere._shapes_key(net, USER_NETWORK, c)}.npz"
        for c in (1000.0, 2000.0)
    )
    os.utime(one, ns=(10**18, 10**18))  # 2001: the older of the two...
    os.utime(two, ns=(11 * 10**17, 11 * 10**17))  # 2004
    monkeypatch.setattr(whyhere, "_SHAPES", {})
    _road_shapes(net, USER_NETWORK, 1000.0)  # read: now the most recently used
    _road_shapes(net, USER_NETWORK, 3000.0)
    assert one.exists() and not two.exists() and len(_shape_files(shape_cache)) == 2
