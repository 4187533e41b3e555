"""The geometry codec and the data of the browser map's context layers.

``siting.maps.interactive.codec`` encodes coordinates as Encoded Polyline strings; the page's
``assets/codec.js`` decodes them (round trip checked with Node when it is installed).
``siting.maps.interactive.context.context_data`` turns a run's layers into the page's data.
"""

from __future__ import annotations

import errno
import json
import logging
import math
import os
import shutil
import subprocess
import sys
import tomllib
from importlib.resources import as_file, files

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial import cKDTree

from siting import layers
from siting.layers import CRS_METRIC, settings
from siting.maps.interactive import context
from siting.maps.interactive.codec import encode, encode_geometries, encode_geometry
from siting.maps.interactive.formatting import script_json
from siting.maps.style import (
    HOMICIDE_BINS,
    LABOR_CMAP,
    LABOR_DENSITY_BINS,
    SECURITY_CMAP,
    class_colors,
    classify,
)
from siting.scenario import default_scenario_path, parse_scenario

NODE = shutil.which("node")
HOSTILE = '</script><script>alert(1)</script> & "Ñandú\'s" `${x}` \\u0041 \u2028'


# --- a reference implementation, one vertex at a time -------------------------------------------


def _encode_reference(coords, precision: int) -> str:
    """The textbook algorithm (Google's pseudo-code), for comparison with the numpy encoder."""
    out, prev = [], (0, 0)
    factor = 10**precision
    for lon, lat in coords:
        point = (round(lat * factor), round(lon * factor))
        for value, before in zip(point, prev, strict=True):
            v = value - before
            v = ~(v << 1) if v < 0 else v << 1
            while v >= 0x20:
                out.append(chr((0x20 | (v & 0x1F)) + 63))
                v >>= 5
            out.append(chr(v + 63))
        prev = point
    return "".join(out)


def _decode(text: str, precision: int) -> np.ndarray:
    """Decode to an (n, 2) array of lon, lat (the reverse of the encoder)."""
    values, i = [], 0
    while i < len(text):
        result = shift = 0
        while True:
            b = ord(text[i]) - 63
            i += 1
            result |= (b & 0x1F) << shift
            shift += 5
            if b < 0x20:
                break
        values.append(~(result >> 1) if result & 1 else result >> 1)
    latlon = np.cumsum(np.asarray(values, dtype=np.int64).reshape(-1, 2), axis=0)
    return latlon[:, ::-1] / 10.0**precision


def _half_unit(precision: int) -> float:
    return 0.5 * 10.0**-precision + 1e-9


# --- codec ----------------------------------------------------------------------------------------

lonlat = st.tuples(
    st.floats(-180, 180, allow_nan=False, allow_infinity=False),
    st.floats(-90, 90, allow_nan=False, allow_infinity=False),
)


@given(st.lists(lonlat, min_size=1, max_size=40), st.integers(0, 7))
def test_encode_matches_the_textbook_algorithm(coords, precision):
    assert encode(np.array(coords), precision) == _encode_reference(coords, precision)


@given(st.lists(st.lists(lonlat, min_size=2, max_size=12), min_size=1, max_size=6))
def test_lines_of_a_multilinestring_are_encoded_independently(lines):
    # every part restarts from (0, 0): the bulk encoder must not carry deltas across parts
    geom = shapely.MultiLineString(lines)
    parts = [list(p.coords) for p in shapely.get_parts(geom)]
    assert encode_geometry(geom, 5) == [_encode_reference(p, 5) for p in parts]


def test_decoded_vertices_are_within_half_a_step():
    coords = layers.boundaries.states().geometry.iloc[0].exterior.coords
    xy = np.asarray(coords)
    for precision in (3, 4, 5):
        back = _decode(encode(xy, precision), precision)
        assert np.abs(back - xy).max() <= _half_unit(precision)


def test_polygons_are_lists_of_rings_without_the_closing_vertex():
    hole = shapely.Polygon(
        [(0, 0), (4, 0), (4, 4), (0, 4)], holes=[[(1, 1), (2, 1), (2, 2), (1, 2)]]
    )
    [[outer, inner]] = encode_geometry(hole, 3)
    assert _decode(outer, 3).tolist() == [[0, 0], [4, 0], [4, 4], [0, 4]]
    assert _decode(inner, 3).tolist() == [[1, 1], [2, 1], [2, 2], [1, 2]]
    multi = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), hole])
    encoded = encode_geometry(multi, 3)
    assert [len(p) for p in encoded] == [1, 2]  # always polygons of rings, even with one ring
    assert encode_geometry(shapely.box(0, 0, 1, 1), 3) == [encoded[0]]


def test_lines_are_a_flat_list_of_strings():
    line = shapely.LineString([(-99.1, 19.4), (-99.2, 19.5)])
    assert encode_geometry(line, 4) == [encode(np.asarray(line.coords), 4)]
    two = shapely.MultiLineString([line.coords, [(0, 0), (1, 1)]])
    assert len(encode_geometry(two, 4)) == 2


def test_empty_and_missing_geometries_encode_to_nothing():
    assert encode(np.empty((0, 2))) == ""
    assert encode_geometry(None) == []
    assert encode_geometry(shapely.Polygon()) == []
    assert encode_geometry(shapely.MultiLineString()) == []
    polygon = shapely.box(0, 0, 1, 1)
    assert encode_geometries([None, polygon, shapely.LineString()], 2) == [
        [],
        encode_geometry(polygon, 2),
        [],
    ]


def test_codec_errors_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"shape \(3,\); expected \(n, 2\)"):
        encode(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="row 1 is"):
        encode(np.array([[0.0, 0.0], [np.nan, 1.0]]))
    with pytest.raises(ValueError, match="expected 0 to 9 decimals"):
        encode(np.zeros((1, 2)), 12)
    with pytest.raises(TypeError, match="expected an int"):
        encode(np.zeros((1, 2)), 3.0)
    with pytest.raises(TypeError, match="Point"):
        encode_geometry(shapely.Point(0, 0))
    with pytest.raises(TypeError, match="GeometryCollection"):
        encode_geometry(shapely.GeometryCollection([shapely.box(0, 0, 1, 1)]))


@pytest.mark.skipif(NODE is None, reason="needs Node.js (`node` on PATH)")
def test_codec_js_decodes_what_python_encodes():
    states = layers.boundaries.states()
    rings = [np.asarray(g.exterior.coords)[:-1] for g in shapely.get_parts(states.geometry)[:40]]
    road = layers.roads.national_lines().geometry.iloc[:200]
    lines = [np.asarray(g.coords) for g in road]
    cases = []
    for precision in (3, 4, 5, 6):
        polygons = [[encode(r, precision)] for r in rings]
        cases.append({"precision": precision, "polygons": polygons})
        cases.append({"precision": precision, "lines": [encode(c, precision) for c in lines]})
    script = (
        "const codec = require(process.argv[1]);"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(cases.map(c => c.polygons"
        " ? codec.polygons(c.polygons, c.precision) : codec.lines(c.lines, c.precision))));"
    )
    with as_file(files("siting.maps.interactive").joinpath("assets", "codec.js")) as path:
        done = subprocess.run(
            [NODE, "-e", script, str(path)],
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    decoded = json.loads(done.stdout)
    for case, back in zip(cases, decoded, strict=True):
        precision = case["precision"]
        if "polygons" in case:  # one ring per polygon; [lat, lon] -> lon, lat
            got, expected = [np.asarray(p[0])[:, ::-1] for p in back], rings
        else:
            got, expected = [np.asarray(line)[:, ::-1] for line in back], lines
        assert len(got) == len(expected)
        for a, b in zip(got, expected, strict=True):
            assert a.shape == b.shape
            assert np.abs(a - b).max() <= _half_unit(precision)


# --- context data of the default run --------------------------------------------------------------


def _default_layers() -> dict[str, gpd.GeoDataFrame]:
    """The context layers of a default run (as siting.pipeline.run_scenario gathers them)."""
    scenario = parse_scenario(tomllib.loads(default_scenario_path().read_text(encoding="utf-8")))
    return {
        "states": layers.boundaries.states(),
        "crossings": layers.crossings.commercial_crossings(min_trucks=scenario.params.min_trucks),
        "municipal_labor": layers.labor.municipal_labor(),
        "municipal_security": layers.security.municipal_security(scenario.params.security_year),
        "seaports": layers.transport.container_ports(),
    }


@pytest.fixture(scope="module")
def default_layers():
    return _default_layers()


@pytest.fixture(scope="module")
def data(default_layers):
    return context.context_data(default_layers)


def _polygons(shape, precision):
    """Shapely (Multi)Polygon from one entry of ``shapes``."""
    polys = [
        shapely.Polygon(_decode(rings[0], precision), [_decode(r, precision) for r in rings[1:]])
        for rings in shape
    ]
    return shapely.MultiPolygon(polys)


def test_context_is_json_without_nan_and_survives_script_json(data):
    assert tuple(data) == context.CONTEXT_KEYS
    text = json.dumps(data, allow_nan=False)
    assert json.loads(script_json(data)) == json.loads(text)
    # the page's budget: the three folium GeoJSON layers alone were 3.8 MB
    assert len(script_json(data).encode()) < 1_300_000


def test_columns_have_one_value_per_row(data):
    def check(table, skip=()):
        sizes = {k: len(v) for k, v in table.items() if isinstance(v, list) and k not in skip}
        assert len(set(sizes.values())) == 1, sizes

    check(data["cities"])
    check(data["crossings"])
    check(data["seaports"])
    check(data["land"])
    check(data["municipal"], skip=("layers",))
    check(data["abroad"]["labels"])
    for layer in data["municipal"]["layers"]:
        assert len(layer["classes"]) == len(data["municipal"]["shapes"])


def test_municipal_classes_match_the_shared_classification(data, default_layers):
    mun = data["municipal"]
    labor, security = default_layers["municipal_labor"], default_layers["municipal_security"]
    by_id = {layer["id"]: layer for layer in mun["layers"]}
    assert list(by_id) == ["labor", "security"]
    assert by_id["labor"]["classes"] == classify(labor["density_km2"], LABOR_DENSITY_BINS).tolist()
    rates = security.set_index("CVEGEO")["homicide_rate"].reindex(labor["CVEGEO"])
    assert by_id["security"]["classes"] == classify(rates, HOMICIDE_BINS).tolist()
    assert by_id["labor"]["colors"] == class_colors(LABOR_CMAP, len(LABOR_DENSITY_BINS))
    assert by_id["security"]["colors"] == class_colors(SECURITY_CMAP, len(HOMICIDE_BINS))
    assert by_id["labor"]["bins"] == list(LABOR_DENSITY_BINS)
    # municipalities created after the census have no density: class -1, value None
    missing = labor["density_km2"].isna().to_numpy()
    assert missing.any()
    assert all(mun["density_km2"][i] is None for i in np.flatnonzero(missing))
    assert mun["municipality"] == labor["municipality"].tolist()


def test_municipal_and_state_shapes_decode_onto_the_real_areas(data, default_layers):
    for key, source, block in (
        ("states", default_layers["states"], data["land"]),
        ("municipal_labor", default_layers["municipal_labor"], data["municipal"]),
    ):
        original = source.geometry.to_crs(CRS_METRIC).to_numpy()
        shapes = [_polygons(s, block["precision"]) for s in block["shapes"]]
        decoded = gpd.GeoSeries(shapes, crs="EPSG:4326").to_crs(CRS_METRIC).to_numpy()
        overlap = shapely.area(shapely.intersection(original, shapely.make_valid(decoded)))
        share = overlap / shapely.area(original)
        # simplified, but each area stays where it is: most of it covered by its own shape
        assert np.median(share) > 0.95, key
        assert share.min() > 0.5, key


def test_state_labels_lie_inside_their_states(data, default_layers):
    land = data["land"]
    points = gpd.GeoSeries.from_xy(land["lon"], land["lat"], crs="EPSG:4326")
    inside = points.within(default_layers["states"].geometry.reset_index(drop=True))
    assert inside.all()
    assert land["name"][:3] == ["Aguascalientes", "Baja California", "Baja California Sur"]
    assert set(land["minzoom"]) <= {5, 6, 7}
    assert land["minzoom"][land["name"].index("Chihuahua")] == 5


def test_roads_are_only_the_trunk_lines():
    trunk = context._trunk_lines()
    rnc = layers.roads.national_lines()
    assert set(trunk["road_class"]) == {"toll", "federal", "unknown"}
    # every toll and federal line, and no local road
    assert (trunk["road_class"] != "unknown").sum() == rnc["road_class"].isin(
        ["toll", "federal"]
    ).sum()
    unknown = trunk[trunk["road_class"] == "unknown"]
    assert set(unknown["cve_ent"]) <= {"15", "30"}  # Estado de México and Veracruz
    assert {"México - Querétaro", "Poza Rica - Veracruz"} <= set(unknown["name"])
    # every drawn vertex is a trunk vertex (Douglas-Peucker keeps vertices), rounded
    roads = context.context_data({})["roads"]
    drawn = np.concatenate([_decode(s, roads["precision"]) for s in roads["lines"]])
    tree = cKDTree(shapely.get_coordinates(trunk.geometry.to_numpy()))
    distance, _ = tree.query(drawn)
    assert distance.max() <= math.sqrt(2) * _half_unit(roads["precision"])
    # and every trunk line is drawn: simplification shortens the network by a few percent only
    lines = [shapely.LineString(_decode(s, roads["precision"])) for s in roads["lines"]]
    drawn_km = gpd.GeoSeries(lines, crs="EPSG:4326").to_crs(CRS_METRIC).length.sum() / 1e3
    trunk_km = trunk.geometry.to_crs(CRS_METRIC).length.sum() / 1e3
    assert 0.95 < drawn_km / trunk_km <= 1.0


def test_cities_are_sorted_by_population_with_growing_minzoom():
    cities = context.context_data({})["cities"]
    population = cities["population"]
    assert len(population) == context.CITY_COUNT
    assert population == sorted(population, reverse=True)
    assert cities["minzoom"] == sorted(cities["minzoom"])
    assert cities["minzoom"][0] == 5
    assert cities["name"][0] == "Ciudad de México"
    assert len(set(cities["name"])) == len(cities["name"])
    # census names without accents become the municipality's name, or get their accents back
    assert {"León", "Querétaro", "Mérida", "Cancún", "Monterrey", "Tijuana"} <= set(cities["name"])
    assert all(name[0].isupper() for name in cities["name"])
    # one label per metro area: Mexico City's boroughs and Ecatepec are not labelled
    assert not {"Iztapalapa", "Ecatepec de Morelos", "Zapopan"} & set(cities["name"])


def test_abroad_is_grey_land_beyond_the_border_with_labels_by_key():
    abroad = context.context_data({})["abroad"]
    precision = abroad["precision"]
    mexico = layers.boundaries.mexico(CRS_METRIC)
    land = gpd.GeoSeries([_polygons(abroad["shapes"], precision)], crs="EPSG:4326").to_crs(
        CRS_METRIC
    )[0]
    # the neighbours do not cover Mexico (beyond the rounding and simplification at the border)
    assert shapely.area(shapely.intersection(shapely.make_valid(land), mexico)) / 1e6 < 2000
    border = np.concatenate([_decode(s, precision) for s in abroad["border"]])
    border = gpd.GeoSeries.from_xy(border[:, 0], border[:, 1], crs="EPSG:4326").to_crs(CRS_METRIC)
    assert border.distance(mexico.boundary).max() < 1500  # on Mexico's outline
    labels = abroad["labels"]
    assert labels["key"] == [key for key, *_ in context.SEA_LABELS]
    points = gpd.GeoSeries.from_xy(labels["lon"], labels["lat"], crs="EPSG:4326").to_crs(CRS_METRIC)
    assert not points.intersects(mexico).any()
    for kind, point in zip(labels["kind"], points, strict=True):
        assert point.intersects(land) == (kind == "country")


def test_crossings_and_ports_busiest_first_with_area_proportional_radii(data, default_layers):
    crossings = data["crossings"]
    trucks = crossings["trucks"]
    assert trucks == sorted(trucks, reverse=True)
    assert sorted(crossings["name"]) == sorted(default_layers["crossings"]["port_name"])
    lo, hi = context.CROSSING_RADIUS
    assert crossings["radius"][0] == hi
    expected = [lo + (hi - lo) * math.sqrt(t / trucks[0]) for t in trucks]
    assert np.allclose(crossings["radius"], expected, atol=0.05)
    ports = data["seaports"]
    assert ports["name"][0] == "Manzanillo"
    assert ports["teu_per_year"] == sorted(ports["teu_per_year"], reverse=True)
    assert ports["radius"][0] == context.SEAPORT_RADIUS[1]


def _tiny_layers():
    """Small hostile layers: three municipalities, two crossings, one port."""
    mun = layers.labor.municipal_labor().head(3).copy()
    mun.loc[0, "municipality"] = HOSTILE
    mun.loc[1, "density_km2"] = np.nan
    sec = layers.security.municipal_security().head(3).copy()
    sec.loc[2, "advisory_label"] = HOSTILE
    crossings = layers.crossings.commercial_crossings().head(2).copy()
    crossings.loc[0, "port_name"] = HOSTILE
    crossings.loc[1, "mx_twin_city"] = np.nan
    crossings["trucks"] = crossings["trucks"].astype(float)
    crossings.loc[1, "trucks"] = np.nan
    ports = layers.transport.container_ports().head(1).copy()
    ports.loc[0, "name"] = HOSTILE
    ports.loc[0, "teu_per_year"] = np.nan
    return {
        "municipal_labor": mun,
        "municipal_security": sec,
        "crossings": crossings,
        "seaports": ports,
    }


def test_hostile_strings_and_missing_values_survive_json_untouched():
    data = context.context_data(_tiny_layers())
    text = script_json(data)
    assert "</script" not in text and "<" not in text and "`" not in text
    back = json.loads(text)
    assert back == json.loads(json.dumps(data, allow_nan=False))
    mun = back["municipal"]
    assert mun["municipality"][0] == HOSTILE
    assert mun["advisory_label"][2] == HOSTILE
    assert mun["density_km2"][1] is None
    assert mun["layers"][0]["classes"][1] == -1
    assert back["crossings"]["name"][0] == HOSTILE
    assert back["crossings"]["twin"][1] is None
    assert back["crossings"]["trucks"][1] is None
    assert back["crossings"]["radius"][1] == context.CROSSING_RADIUS[0]
    assert back["seaports"]["name"] == [HOSTILE]
    assert back["seaports"]["teu_per_year"] == [None]
    assert back["land"] is None


def test_security_values_are_matched_to_the_polygons_by_cvegeo():
    tiny = _tiny_layers()
    shuffled = {**tiny, "municipal_security": tiny["municipal_security"].iloc[::-1]}
    assert context.context_data(shuffled)["municipal"] == context.context_data(tiny)["municipal"]
    alone = context.context_data({"municipal_security": tiny["municipal_security"]})["municipal"]
    assert [layer["id"] for layer in alone["layers"]] == ["security"]
    assert "density_km2" not in alone


def test_without_run_layers_only_the_static_context_is_drawn():
    data = context.context_data({})
    assert {k for k, v in data.items() if v is None} == {
        "land",
        "municipal",
        "crossings",
        "seaports",
    }
    # a fresh dict every call: the caller may change it
    data["cities"]["name"].clear()
    data["roads"]["lines"].clear()
    again = context.context_data({})
    assert again["cities"]["name"] and again["roads"]["lines"]


def test_bad_layers_are_reported_together():
    crossings = layers.crossings.commercial_crossings().drop(columns="trucks")
    no_crs = layers.boundaries.states().set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match="context layers cannot be drawn") as info:
        context.context_data(
            {
                "crossings": crossings,
                "states": no_crs,
                "seaports": pd.DataFrame({"name": ["x"]}),
            }
        )
    message = str(info.value)
    assert "'crossings' lacks the columns ['trucks']" in message
    assert "'states' has no CRS" in message
    assert "'seaports' is a DataFrame, not a GeoDataFrame" in message


# --- the on-disk cache of the derived context ---------------------------------------------------


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """An empty siting cache folder, and a process that has not built any context yet."""
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    monkeypatch.setattr(context, "_TEXTS", {})
    monkeypatch.setattr(context, "_UNWRITABLE", set())
    return tmp_path / "cache" / context.CONTEXT_CACHE_SUBFOLDER


@pytest.fixture
def builds(monkeypatch):
    """Small stand-ins for the static builders (the real ones take two seconds), counted."""
    count = {"abroad": 0, "roads": 0, "cities": 0}
    made = {
        "abroad": {"precision": 3, "shapes": [["_ibE_seK"]], "border": [], "labels": {}},
        "roads": {"precision": 3, "lines": ["_p~iF~ps|U_ulLnnqC", "a\\b"]},
        "cities": {"name": ["Ciudad de México", HOSTILE], "minzoom": [5, 8], "lat": [19.4, 0.5]},
    }

    def builder(name):
        def build():
            count[name] += 1
            return json.loads(json.dumps(made[name]))

        return build

    for name in count:
        monkeypatch.setattr(context, f"_{name}", builder(name))
    return count


def _no_builds(monkeypatch) -> None:
    """Make every builder of the context fail: what follows must come from a cache."""

    def fail(*_args, **_kwargs):
        raise AssertionError("built again instead of read from the cache")

    for name in ("_abroad", "_roads", "_cities", "_simplify_coverage", "_build_label_points"):
        monkeypatch.setattr(context, name, fail)


def _states(n: int = 3) -> gpd.GeoDataFrame:
    return layers.boundaries.states().head(n)


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_context_is_built_once_then_read_from_the_cache_files(cache_dir, builds, monkeypatch):
    first = context.context_data({"states": _states()})
    assert builds == {"abroad": 1, "roads": 1, "cities": 1}
    names = _files(cache_dir)
    assert [n.split("_")[1] for n in names] == ["areas", "labels", "static"]
    assert all(n.startswith("mapcontext_") and n.endswith(".json") for n in names)
    # in the same process: from memory, a fresh copy every call
    first["cities"]["name"].clear()
    again = context.context_data({"states": _states()})
    assert again["cities"]["name"] == ["Ciudad de México", HOSTILE]
    assert builds == {"abroad": 1, "roads": 1, "cities": 1}
    # a new process (nothing in memory): every part is read from its file, nothing is built
    monkeypatch.setattr(context, "_TEXTS", {})
    _no_builds(monkeypatch)
    fresh = context.context_data({"states": _states()})
    assert json.dumps(fresh) == json.dumps(again)
    assert fresh["roads"]["lines"][1] == "a\\b"
    assert _files(cache_dir) == names  # nothing written


def test_cached_context_of_the_default_run_is_the_built_one(cache_dir, default_layers, data):
    """The real context through its files: equal, value for value and type for type."""
    built = context.context_data(default_layers)
    assert len(_files(cache_dir)) == 4  # static; states: areas, labels; municipal areas
    context._TEXTS.clear()
    read = context.context_data(default_layers)
    assert json.dumps(read) == json.dumps(built) == json.dumps(data)


def test_area_shapes_are_cached_by_geometry_content_and_tolerance(cache_dir, builds, monkeypatch):
    states = _states()
    simplified = []
    real = context._simplify_coverage
    monkeypatch.setattr(
        context, "_simplify_coverage", lambda g, t: simplified.append(t) or real(g, t)
    )
    context.context_data({"states": states})
    context.context_data({"states": states.copy()})  # the same geometry, another frame
    assert simplified == [context.STATES_TOLERANCE_M]
    moved = states.copy()
    moved.geometry = states.geometry.translate(0.01, 0.0)
    context.context_data({"states": moved})
    monkeypatch.setattr(context, "STATES_TOLERANCE_M", 2000.0)
    context.context_data({"states": states})
    assert simplified == [1000.0, 1000.0, 2000.0]
    assert sum(n.startswith("mapcontext_areas_") for n in _files(cache_dir)) == 3


DAMAGES = {
    "truncated": (lambda raw: raw[: len(raw) * 2 // 3], "SHA-256 checksum"),
    "empty": (lambda raw: b"", "an empty file"),
    "one byte changed": (lambda raw: raw[:-3] + bytes([raw[-3] ^ 0x01]) + raw[-2:], "SHA-256"),
    "not a cache file": (lambda raw: b"PK\x03\x04\x00\x01 binary\n{}", "not a siting map-"),
    "no header line": (lambda raw: b"{" * 100, "no header line"),
    "another format": (
        lambda raw: raw.replace(b'"format": 1', b'"format": 0', 1),
        f"expected {context.CONTEXT_CACHE_FORMAT}",
    ),
    "another key": (lambda raw: raw.replace(b'"key": "', b'"key": "0', 1), "expected '"),
    "data not JSON": (
        lambda raw: _rehashed(raw, b'{"abroad": '),
        "not JSON",
    ),
}


def _rehashed(raw: bytes, body: bytes) -> bytes:
    """A cache file holding ``body`` with a matching checksum (a foreign writer's file)."""
    import hashlib

    header = json.loads(raw.partition(b"\n")[0])
    header["sha256"] = hashlib.sha256(body).hexdigest()
    return json.dumps(header).encode() + b"\n" + body


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_context_cache_file_is_rebuilt_with_one_warning(
    cache_dir, builds, monkeypatch, caplog, damage
):
    good = context.context_data({})
    (path,) = cache_dir.iterdir()
    spoil, reason = DAMAGES[damage]
    path.write_bytes(spoil(path.read_bytes()))
    monkeypatch.setattr(context, "_TEXTS", {})
    with caplog.at_level(logging.WARNING, logger="siting"):
        rebuilt = context.context_data({})
    (message,) = _warnings(caplog)
    assert str(path) in message and "rebuilding it" in message and reason in message
    assert json.dumps(rebuilt) == json.dumps(good)
    assert builds == {"abroad": 2, "roads": 2, "cities": 2}
    # the damaged file was replaced by a good one: the next process reads it, silently
    caplog.clear()
    monkeypatch.setattr(context, "_TEXTS", {})
    _no_builds(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="siting"):
        assert json.dumps(context.context_data({})) == json.dumps(good)
    assert _warnings(caplog) == [] and _files(cache_dir) == [path.name]


def _unwritable_by_a_file(tmp_path, monkeypatch):
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    monkeypatch.setattr(settings, "cache_folder", blocker)
    return "Not a directory"


def _unwritable_by_a_full_disk(tmp_path, monkeypatch):
    def full(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(context.os, "replace", full)
    return "No space left on device"


@pytest.mark.parametrize("blocked", [_unwritable_by_a_file, _unwritable_by_a_full_disk])
def test_an_unwritable_context_cache_costs_one_warning_and_no_result(
    tmp_path, cache_dir, builds, monkeypatch, caplog, blocked
):
    expected = json.dumps(context.context_data({"states": _states()}))  # with a good cache
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "other")
    monkeypatch.setattr(context, "_TEXTS", {})
    reason = blocked(tmp_path, monkeypatch)
    with caplog.at_level(logging.WARNING, logger="siting"):
        found = context.context_data({"states": _states()})  # three files it cannot write
        again = context.context_data({"states": _states()})  # from memory
    (message,) = _warnings(caplog)
    assert message.startswith("could not write the map context cache")
    assert reason in message and "continuing without it" in message
    assert json.dumps(found) == json.dumps(again) == expected
    assert _files(tmp_path / "other" / context.CONTEXT_CACHE_SUBFOLDER) == []  # no temp file


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ROAD_TOLERANCE_M", 500.0),
        ("CONTEXT_PRECISION", 4),
        ("TRUNK_CLASSES", ("toll",)),
        ("CITY_COUNT", 79),
        ("BORDER_GAP_M", 5000.0),
        ("SEA_LABELS", context.SEA_LABELS[:-1]),
        ("CONTEXT_CACHE_FORMAT", context.CONTEXT_CACHE_FORMAT + 1),
    ],
)
def test_changed_parameters_give_another_cache_key(monkeypatch, name, value):
    before = context._cache_key("static", context._static_params())
    monkeypatch.setattr(context, name, value)
    assert context._cache_key("static", context._static_params()) != before


def test_changed_data_code_or_libraries_give_another_cache_key(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "roads").mkdir(parents=True)
    road_file = data / "roads" / "mx_highways_rnc2018.parquet"
    road_file.write_bytes(b"lines")
    monkeypatch.setattr(context, "data_dir", lambda: data)
    keys = [context._cache_key("static", {})]
    road_file.write_bytes(b"other")  # same size, new modification time
    os.utime(road_file, ns=(1, 1))
    keys.append(context._cache_key("static", {}))
    road_file.write_bytes(b"longer lines")
    os.utime(road_file, ns=(1, 1))
    keys.append(context._cache_key("static", {}))
    (data / "SOURCES.toml").write_text("")  # a new bundled file
    keys.append(context._cache_key("static", {}))
    monkeypatch.setattr(context, "_versions", lambda: {"siting": "0.0", "shapely": "1.0"})
    keys.append(context._cache_key("static", {}))
    monkeypatch.setattr(context, "_source_identity", lambda: {"maps": [["context.py", 1, 2]]})
    keys.append(context._cache_key("static", {}))
    assert len(set(keys)) == len(keys)
    assert context._cache_key("static", {}) == keys[-1]  # and stable


def test_only_the_most_recently_used_cache_files_are_kept(cache_dir, monkeypatch):
    monkeypatch.setattr(context, "CONTEXT_CACHE_MAX_FILES", 2)
    for i in (0, 1):
        context._cached("test", {"i": i}, lambda i=i: i)
    paths = {json.loads(p.read_text().partition("\n")[2]): p for p in cache_dir.iterdir()}
    os.utime(paths[0], ns=(10**18, 10**18))  # 2001: written first...
    os.utime(paths[1], ns=(11 * 10**17, 11 * 10**17))  # 2004
    context._TEXTS.clear()
    assert context._cached("test", {"i": 0}, lambda: 99) == 0  # read (and marked as used)
    context._cached("test", {"i": 2}, lambda: 2)
    left = sorted(json.loads(p.read_text().partition("\n")[2]) for p in cache_dir.iterdir())
    assert left == [0, 2]  # 1 was the least recently used


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_files_of_dead_runs_are_removed(cache_dir, builds):
    cache_dir.mkdir(parents=True)
    dead = cache_dir / f".mapcontext_{_dead_pid()}_abc123.json.tmp"
    live = cache_dir / f".mapcontext_{os.getpid()}_def456.json.tmp"
    for p in (dead, live):
        p.write_text("partial")
    context.context_data({})
    assert not dead.exists() and live.exists()
