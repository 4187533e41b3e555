"""'Why here' shapes (siting.whyhere): each site's truck route to its crossing and commute area.

On a real run over 12 industrial parks (tests/_maps_fixtures.py) and the bundled road network.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.sparse.csgraph import dijkstra

from siting import layers
from siting.layers import CRS_METRIC
from siting.network import NetworkSettings, routing_network
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
