"""The road network inside a run: scenario [network], unreachable sites, user networks."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from siting import ScenarioError, parse_scenario
from siting.cli import main
from siting.network import NetworkSettings

#: whole runs or the national road network: seconds each (`-m "not slow"` skips them)
pytestmark = pytest.mark.slow

ATLIXCO = Path(__file__).parent / "data" / "atlixco_puebla_drive_2025-05-27.osm.bz2"
#: Islas Marías, 100 km off the coast of Nayarit: no road reaches them.
ISLAS_MARIAS = (-106.53, 21.63)


@pytest.fixture(scope="module")
def with_island(small_candidates):
    from siting.pipeline import run_scenario
    from siting.scenario import load_scenario

    island = gpd.GeoDataFrame(
        {"name": ["Islas Marías"], "source": ["user"]},
        geometry=gpd.points_from_xy([ISLAS_MARIAS[0]], [ISLAS_MARIAS[1]]),
        crs="EPSG:4326",
    )
    sites = pd.concat([small_candidates, island], ignore_index=True)
    return run_scenario(load_scenario(), candidates=sites, rank_ranges=False)


def test_unreachable_site_is_excluded_explicitly(with_island):
    r = with_island.ranking.set_index("name")
    island = r.loc["Islas Marías"]
    assert not island["reachable"] and island["excluded"]
    assert island["excluded_by"].startswith("unreachable by road")
    assert island["snap_km"] > 25
    assert math.isinf(island["crossing_drive_min"]) and math.isinf(island["seaport_drive_min"])
    assert pd.isna(island["rank"]) and pd.isna(island["score"])  # no made-up score
    assert pd.isna(island["nearest_crossing"])
    ok = r.drop(index="Islas Marías")
    assert ok["reachable"].all() and not ok["excluded"].any()
    assert sorted(ok["rank"].astype(int)) == list(range(1, len(ok) + 1))
    assert np.isfinite(ok["score"]).all()
    assert any("cannot reach a commercial crossing" in n for n in with_island.notes)


def test_unreachable_site_goes_through_every_output(with_island, tmp_path):
    from siting.outputs import write_outputs

    write_outputs(with_island, tmp_path)
    df = pd.read_csv(tmp_path / "ranking.csv").set_index("name")
    assert df.loc["Islas Marías", "crossing_drive_min"] == np.inf  # written as "inf"
    assert pd.isna(df.loc["Islas Marías", "rank"])
    geo = gpd.read_file(tmp_path / "sites.geojson").set_index("name")
    assert pd.isna(geo.loc["Islas Marías", "crossing_drive_min"])  # JSON has no inf: null
    assert not geo.loc["Islas Marías", "reachable"]
    assert geo.loc["Tijuana", "crossing_drive_min"] == pytest.approx(
        df.loc["Tijuana", "crossing_drive_min"], rel=1e-5
    )
    assert (tmp_path / "map.html").stat().st_size > 0 and (tmp_path / "map.png").stat().st_size > 0


def test_network_settings_key_changes_with_speeds():
    base = NetworkSettings()
    assert base.key() == NetworkSettings().key()
    assert base.key() != NetworkSettings(speeds={"toll": 90.0}).key()
    assert NetworkSettings(source=str(ATLIXCO)).key() != base.key()


def test_network_scenario_problems_are_reported_together(tmp_path):
    data = {
        "weights": {"crossing_drive_min": 1, "route_risk": 1},
        "network": {
            "source": "straight-line",
            "access_speed_kph": -5,
            "speeds": {"toll": 500, "hovercraft": 40},
            "colour": "red",
        },
        "parameters": {"commute_min": 0, "route_risk_indicator": "weather"},
    }
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data, path=str(tmp_path / "s.toml"))
    text = str(err.value)
    for expected in (
        "[network] access_speed_kph is -5; expected a number of km/h in 1..120",
        "[network] speeds.toll is 500; expected a number of km/h in 1..200",
        "[network] speeds: unknown road class 'hovercraft'",
        "[network] unknown key 'colour'",
        "[parameters] commute_min is 0; expected a number of minutes in 1..600",
        "[parameters] route_risk_indicator is 'weather'",
        "[weights] crossing_drive_min needs a road network but [network] source is "
        "'straight-line'; set source = \"bundled\" or a network file, or use crossing_km",
        "[weights] route_risk needs a road network",
    ):
        assert expected in text


def test_missing_network_file_is_a_scenario_error(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text('[weights]\ncrossing_drive_min = 1\n[network]\nsource = "roads/mine.osm"\n')
    assert main(["run", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "[network] source file" in err and "mine.osm" in err and "does not exist" in err
    assert "Traceback" not in err and not (tmp_path / "o").exists()


def test_regional_osm_network_without_a_crossing_says_so(tmp_path, capsys):
    """Atlixco's OSM extract holds no border crossing: every site is unreachable, clearly."""
    import shutil

    net = tmp_path / "atlixco.osm.bz2"
    shutil.copy(ATLIXCO, net)
    sites = tmp_path / "sites.csv"
    sites.write_text("name,lon,lat\nAtlixco centro,-98.4360,18.9080\nMetepec,-98.4650,18.9390\n")
    path = tmp_path / "s.toml"
    path.write_text(
        '[weights]\ncrossing_drive_min = 1\nlabor_pool = 1\n[network]\nsource = "atlixco.osm.bz2"\n'
    )
    before = net.read_bytes()
    code = main(["run", str(path), "--candidates", str(sites), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "all 2 candidates are excluded" in err
    assert "no candidate reaches a commercial crossing on the road network (atlixco.osm.bz2" in err
    assert net.read_bytes() == before and not (tmp_path / "o").exists()


def test_labor_pool_on_a_user_osm_network(tmp_path):
    """The OSM path inside criteria: a commute catchment on the Atlixco extract."""
    from siting.criteria import CriteriaParams, compute_criteria

    sites = gpd.GeoDataFrame(
        {"name": ["Atlixco centro"]}, geometry=gpd.points_from_xy([-98.4360], [18.9080]), crs=4326
    )
    net = NetworkSettings(source=str(ATLIXCO))
    short = compute_criteria(sites, CriteriaParams(commute_min=5), net)
    long = compute_criteria(sites, CriteriaParams(commute_min=30), net)
    assert short.loc[0, "snap_km"] < 0.5
    assert not short.loc[0, "reachable"] and math.isinf(short.loc[0, "crossing_drive_min"])
    # Atlixco municipality had 141,793 people in 2020; 30 min reach more than 5 min
    assert 0 < short.loc[0, "labor_pool"] < long.loc[0, "labor_pool"]
    assert (
        short.loc[0, "distance_method"]
        == "road network (atlixco_puebla_drive_2025-05-27.osm.bz2, truck speeds)"
    )
    assert long.attrs["network"]["nodes"] > 1000


def test_straight_line_scenario_from_default_keeps_contract(small_candidates):
    from siting.pipeline import run_scenario
    from siting.scenario import load_scenario

    sc = load_scenario()
    sc = dataclasses.replace(
        sc,
        network=NetworkSettings(source="straight-line"),
        weights={"crossing_km": 0.5, "labor_pool": 0.5},
    )
    result = run_scenario(sc, candidates=small_candidates, rank_ranges=False)
    assert (result.ranking["distance_method"] == "straight-line").all()
    assert "Fuente: INEGI, Red Nacional de Caminos 2018" not in result.credits


def test_cached_routing_skips_the_graph_and_speeds_invalidate_it(tmp_path, monkeypatch):
    from siting import layers
    from siting.network import routing_network

    monkeypatch.setattr(layers.settings, "cache_folder", tmp_path)
    settings = NetworkSettings(source=str(ATLIXCO))
    first, info = routing_network(settings)
    assert not info["from_cache"] and Path(info["cache_file"]).is_file()

    def no_graph(*_a, **_k):
        raise RuntimeError("the graph must not be built on a cache hit")

    monkeypatch.setattr(layers.roads, "load_graph", no_graph)
    again, info = routing_network(settings)
    assert info["from_cache"]
    np.testing.assert_array_equal(again.csr.data, first.csr.data)
    with pytest.raises(RuntimeError, match="must not be built"):  # new speeds: a new key
        routing_network(NetworkSettings(source=str(ATLIXCO), speeds={"primary": 45}))


def _atlixco_graph(*_a, **_k):
    from siting.layers import roads

    return roads.graph_from_osm_xml(ATLIXCO)


def test_download_source_runs_on_the_fetched_osm_network(tmp_path, monkeypatch):
    """`source = "download"`: osmnx is asked for the place (faked here: no network in tests)."""
    from siting import layers
    from siting.pipeline import run_scenario

    asked = []

    def fake_place(query, **kwargs):
        asked.append((query, kwargs))
        return _atlixco_graph()

    monkeypatch.setattr(layers.settings, "cache_folder", tmp_path)
    monkeypatch.setattr(layers.roads, "graph_from_place", fake_place)
    sc = parse_scenario(
        {
            "weights": {"labor_pool": 1, "crossing_drive_min": 1},
            "network": {
                "source": "download",
                "place": "Atlixco, Puebla, México",
                "speeds": {"primary": 55},
            },
        }  # fmt: skip
    )
    sites = gpd.GeoDataFrame(
        {"name": ["Atlixco centro"], "source": ["user"]},
        geometry=gpd.points_from_xy([-98.4360], [18.9080]),
        crs="EPSG:4326",
    )
    with pytest.raises(ScenarioError, match="all 1 candidates are excluded"):
        run_scenario(sc, candidates=sites)  # no crossing on the Atlixco roads
    assert asked == [("Atlixco, Puebla, México", {"speeds": {"primary": 55.0}})]
    # with labour only, the download is routed (and now comes from the routing cache)
    sc = dataclasses.replace(sc, weights={"labor_pool": 1.0})
    from siting.criteria import compute_criteria

    raw = compute_criteria(sites, sc.params, sc.network)
    assert len(asked) == 1 and raw.attrs["network"]["from_cache"]
    assert raw.loc[0, "labor_pool"] > 0
    method = "road network (OpenStreetMap download: Atlixco, Puebla, México, truck speeds)"
    assert raw.loc[0, "distance_method"] == method


def test_download_failure_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from siting import layers

    def offline(*_a, **_k):
        raise ConnectionError("Max retries exceeded with url: /search (nominatim)")

    monkeypatch.setattr(layers.settings, "cache_folder", tmp_path / "cache")
    monkeypatch.setattr(layers.roads, "graph_from_bbox", offline)
    path = tmp_path / "s.toml"
    path.write_text(
        '[weights]\nlabor_pool = 1\n[network]\nsource = "download"\n'
        "bbox = [-98.5, 18.85, -98.38, 18.97]\n"
    )
    assert main(["run", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.split("\r")[-1]  # after the cleared progress bar
    assert err.startswith("siting: error: cannot download the OpenStreetMap roads of bbox -98.5")
    assert "Max retries exceeded" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("network", "message"),
    [
        ({"source": "download"}, 'source = "download" needs exactly one of place'),
        ({"source": "download", "place": "A", "bbox": [0, 0, 1, 1]}, "needs exactly one of"),
        ({"source": "download", "bbox": [1, 0, 0, 1]}, "[network] bbox is [1, 0, 0, 1]; expected"),
        ({"source": "bundled", "place": "Atlixco"}, "place and bbox are only used with"),
    ],
)
def test_download_area_problems(network, message):
    with pytest.raises(ScenarioError) as err:
        parse_scenario({"weights": {"labor_pool": 1}, "network": network})
    assert message in str(err.value)
