"""Sites outside Mexico, projected coordinates and odd paths: refused with a clear message.

Measured on the bundled (simplified) INEGI outline: Brownsville is 649 m outside it, El Paso
1.4 km, a point off Mazatlán 8.4 km; Veracruz port 149 m and the Progreso pier 1.2 km are outside
it too but in Mexico (coastal tolerance). See ``siting.layers.boundaries``.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

import siting
from siting import InputError, layers
from siting.candidates import check_candidates, default_candidates, read_candidates
from siting.layers import boundaries
from siting.measure import SiteContext
from siting.network import NetworkSettings

#: An inside site put on row 2 of every CSV, so the offending site is on row 3.
MONTERREY = ("Monterrey", -100.3161, 25.6714)

#: Quick straight-line runs.
QUICK = {"network": "straight-line", "weights": {"crossing_km": 2, "labor_pool": 1}}

#: Points that must be refused, with what the message must say about them.
US_POINTS = {
    "Brownsville": (-97.4975, 25.9017),
    "El Paso": (-106.485, 31.7619),
    "Laredo TX": (-99.507, 27.506),
    "Eagle Pass": (-100.50, 28.71),
    "Calexico": (-115.499, 32.679),
    "Nogales AZ": (-110.94, 31.35),
    "San Diego": (-117.16, 32.72),
}


def _csv(tmp_path: Path, rows: list[tuple[str, float, float]], name: str = "sites.csv") -> Path:
    path = tmp_path / name
    lines = ["name,lon,lat", *[f"{n},{x},{y}" for n, x, y in rows]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _geojson(tmp_path: Path, feats: list[tuple[str, list[float]]], crs=None) -> Path:
    data = {
        "type": "FeatureCollection",
        **({"crs": crs} if crs is not None else {}),
        "features": [
            {"type": "Feature", "properties": {"name": n},
             "geometry": {"type": "Point", "coordinates": xy}}
            for n, xy in feats
        ],
    }  # fmt: skip
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _refused(tmp_path: Path, name: str, lon: float, lat: float) -> str:
    """Read a CSV of Monterrey (row 2) and the site (row 3); return the error message."""
    path = _csv(tmp_path, [MONTERREY, (name, lon, lat)])
    with pytest.raises(InputError) as err:
        read_candidates(path)
    msg = str(err.value)
    assert f"row 3 ('{name}'): lon {lon}, lat {lat} is" in msg
    assert "row 2" not in msg
    assert "look swapped" not in msg  # swapping them would not put the point in Mexico
    assert 'outside="keep"' in msg
    return msg


def _metric(lon: float, lat: float) -> tuple[float, float]:
    to_metric = pyproj.Transformer.from_crs(layers.CRS_GEO, layers.CRS_METRIC, always_xy=True)
    return to_metric.transform(lon, lat)


def test_L01_brownsville_is_refused_across_the_us_border(tmp_path):
    msg = _refused(tmp_path, "Brownsville", *US_POINTS["Brownsville"])
    assert "649 m outside Mexico, beyond the land border with the United States" in msg


def test_L02_el_paso_is_refused_not_labelled_chihuahua(tmp_path):
    msg = _refused(tmp_path, "El Paso", *US_POINTS["El Paso"])
    assert "1.4 km outside Mexico, beyond the land border with the United States" in msg
    assert "Chihuahua" not in msg


def test_L03_laredo_texas_is_refused(tmp_path):
    msg = _refused(tmp_path, "Laredo TX", *US_POINTS["Laredo TX"])
    assert "730 m outside Mexico, beyond the land border with the United States" in msg


def test_L04_eagle_pass_is_refused(tmp_path):
    msg = _refused(tmp_path, "Eagle Pass", *US_POINTS["Eagle Pass"])
    assert "920 m outside Mexico, beyond the land border with the United States" in msg


def test_L05_calexico_is_refused(tmp_path):
    msg = _refused(tmp_path, "Calexico", *US_POINTS["Calexico"])
    assert "1.6 km outside Mexico, beyond the land border with the United States" in msg


def test_L06_nogales_arizona_is_refused(tmp_path):
    msg = _refused(tmp_path, "Nogales AZ", *US_POINTS["Nogales AZ"])
    assert "1.9 km outside Mexico, beyond the land border with the United States" in msg


def test_L07_san_diego_is_refused(tmp_path):
    msg = _refused(tmp_path, "San Diego", *US_POINTS["San Diego"])
    assert "21.0 km outside Mexico, beyond the land border with the United States" in msg


def test_L08_corozal_belize_is_refused(tmp_path):
    msg = _refused(tmp_path, "Corozal", -88.39, 18.39)
    assert "10.0 km outside Mexico, beyond the land border with Belize" in msg


def test_L09_pacific_point_off_mazatlan_is_refused_as_at_sea(tmp_path):
    msg = _refused(tmp_path, "Off Mazatlan", -106.50, 23.15)
    assert "outside Mexico, at sea 8.4 km off the coast" in msg
    assert "land border" not in msg


def test_L10_guatemala_is_refused_even_71_m_outside_the_outline(tmp_path):
    # Tecún Umán faces Ciudad Hidalgo across the Suchiate: no tolerance at the land border
    msg = _refused(tmp_path, "Tecun Uman", -92.146, 14.676)
    assert "71 m outside Mexico, beyond the land border with Guatemala" in msg


def test_L11_border_towns_on_the_mexican_side_get_their_state(tmp_path):
    towns = {
        "Ciudad Juarez": (-106.45, 31.72, "Chihuahua"),
        "Nuevo Laredo": (-99.51, 27.48, "Tamaulipas"),
        "Matamoros": (-97.50, 25.87, "Tamaulipas"),
        "Tijuana": (-117.03, 32.52, "Baja California"),
        "Ciudad Hidalgo": (-92.15, 14.68, "Chiapas"),
    }
    sites = read_candidates(_csv(tmp_path, [(n, x, y) for n, (x, y, _) in towns.items()]))
    found = boundaries.locate(sites)
    assert found["in_mexico"].all()
    assert found["state"].tolist() == [s for _, _, s in towns.values()]
    assert (found["outside_m"] == 0).all()


def test_L12_ports_and_pier_cut_off_by_the_simplified_coast_are_in_mexico(tmp_path):
    ports = {
        "Manzanillo port": (-104.305, 19.06, "Colima"),
        "Veracruz port": (-96.13, 19.20, "Veracruz de Ignacio de la Llave"),
        "Progreso pier": (-89.66, 21.30, "Yucatán"),
    }
    sites = read_candidates(_csv(tmp_path, [(n, x, y) for n, (x, y, _) in ports.items()]))
    found = boundaries.locate(sites)
    assert found["in_mexico"].all()
    assert found["state"].tolist() == [s for _, _, s in ports.values()]
    outside = found["outside_m"].to_numpy()
    assert ((outside > 0) & (outside < boundaries.COAST_TOLERANCE_M)).all()
    assert found["municipality"].tolist() == ["Manzanillo", "Veracruz", "Progreso"]


def test_L13_every_default_candidate_is_in_mexico():
    sites = default_candidates()
    found = boundaries.locate(sites)
    assert len(sites) > 600
    assert found["in_mexico"].all(), sites.loc[~found["in_mexico"], "name"].tolist()
    assert found.index.equals(sites.index)
    assert check_candidates(sites).shape[0] == len(sites)


def test_L14_every_outside_row_is_listed_up_to_five_then_counted(tmp_path):
    rows = [MONTERREY, *[(n, x, y) for n, (x, y) in US_POINTS.items()]]
    with pytest.raises(InputError) as err:
        read_candidates(_csv(tmp_path, rows))
    msg = str(err.value)
    assert "7 sites are outside Mexico" in msg
    for row, name in enumerate(list(US_POINTS)[:5], start=3):
        assert f"row {row} ('{name}')" in msg
    assert "and 2 more" in msg
    assert "Calexico" in msg and "Nogales AZ" not in msg


def test_L15_swapped_hint_when_the_swap_lands_in_mexico(tmp_path):
    # lat -100.31 is not a latitude; swapped, the point is Monterrey
    path = _csv(
        tmp_path, [("Monterrey swapped", 25.6714, -100.3161), ("Merida swapped", 20.97, -89.62)]
    )
    with pytest.raises(InputError) as err:
        read_candidates(path)
    msg = str(err.value)
    assert "row 2 ('Monterrey swapped')" in msg
    assert "lon and lat look swapped: lon -100.3161, lat 25.6714 is in Monterrey, Nuevo" in msg
    # lat -89.62 is a latitude (Antarctica): outside Mexico, and swapped it is Mérida
    assert "row 3 ('Merida swapped')" in msg
    assert "lon -89.62, lat 20.97 is in Mérida, Yucatán" in msg
    assert "projected" not in msg


def test_L16_no_swapped_hint_when_the_swap_stays_outside(tmp_path):
    path = _csv(tmp_path, [MONTERREY, ("Madrid", -3.7, 40.4), ("Brownsville", -97.4975, 25.9017)])
    with pytest.raises(InputError) as err:
        read_candidates(path)
    msg = str(err.value)
    assert "look swapped" not in msg
    assert "row 3 ('Madrid'): lon -3.7, lat 40.4 is outside Mexico, more than 100 km" in msg


def test_L17_projected_geojson_with_a_urn_crs_member_is_reprojected(tmp_path):
    x, y = _metric(-100.3161, 25.6714)
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::6372"}}
    sites = read_candidates(_geojson(tmp_path, [("Monterrey", [x, y])], crs=crs))
    assert sites.crs.to_epsg() == 4326
    assert sites.geometry.x.iloc[0] == pytest.approx(-100.3161, abs=1e-6)
    assert sites.geometry.y.iloc[0] == pytest.approx(25.6714, abs=1e-6)
    assert boundaries.locate(sites)["municipality"].iloc[0] == "Monterrey"


def test_L18_projected_geojson_with_an_epsg_string_crs_member_is_reprojected(tmp_path):
    x, y = _metric(-106.45, 31.72)  # Ciudad Juárez, not El Paso
    sites = read_candidates(_geojson(tmp_path, [("Juarez", [x, y])], crs="EPSG:6372"))
    assert sites.geometry.x.iloc[0] == pytest.approx(-106.45, abs=1e-6)
    assert boundaries.locate(sites)["state"].iloc[0] == "Chihuahua"


def test_L19_geojson_with_a_crs84_crs_member_is_read_as_lon_lat(tmp_path):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    sites = read_candidates(_geojson(tmp_path, [("Saltillo", [-101.0053, 25.4232])], crs=crs))
    assert sites.geometry.x.iloc[0] == pytest.approx(-101.0053)
    assert sites.geometry.y.iloc[0] == pytest.approx(25.4232)


def test_L20_projected_geojson_without_crs_says_projected_not_swapped(tmp_path):
    x, y = _metric(-100.3161, 25.6714)
    path = _geojson(tmp_path, [("Saltillo", [-101.0053, 25.4232]), ("Monterrey", [x, y])])
    with pytest.raises(InputError) as err:
        read_candidates(path)
    msg = str(err.value)
    assert "feature 2 ('Monterrey')" in msg
    assert "look like projected coordinates (metres)" in msg
    assert "add a 'crs' member" in msg and "WGS84" in msg
    assert "look swapped" not in msg
    assert "feature 1" not in msg


def test_L21_unknown_crs_member_is_refused_naming_file_and_crs(tmp_path):
    crs = {"type": "name", "properties": {"name": "EPSG:999999"}}
    path = _geojson(tmp_path, [("Monterrey", [1.0, 2.0])], crs=crs)
    with pytest.raises(InputError, match=r"sites\.geojson.*'EPSG:999999', which is not a known"):
        read_candidates(path)


def test_L22_unparseable_crs_member_is_refused(tmp_path):
    crs = {"type": "link", "properties": {"href": "http://example.com/crs"}}
    path = _geojson(tmp_path, [("Monterrey", [1.0, 2.0])], crs=crs)
    with pytest.raises(InputError, match=r"sites\.geojson.*'crs' member .*link.* not understood"):
        read_candidates(path)


def test_L23_csv_in_metres_is_refused_as_projected(tmp_path):
    x, y = _metric(-100.3161, 25.6714)
    path = _csv(tmp_path, [("Saltillo", -101.0053, 25.4232), ("Monterrey", x, y)])
    with pytest.raises(InputError) as err:
        read_candidates(path)
    msg = str(err.value)
    assert f"row 3 ('Monterrey'): lon {x}, lat {y} are not degrees" in msg
    assert "look like projected coordinates (metres)" in msg
    assert "look swapped" not in msg and "row 2" not in msg


def test_L24_a_directory_is_not_a_candidates_file(tmp_path):
    with pytest.raises(InputError, match="is a directory; pass a CSV or GeoJSON file"):
        read_candidates(tmp_path)
    with pytest.raises(InputError, match="is a directory"):
        siting.run(candidates=tmp_path, rank_ranges=False, **QUICK)


def test_L25_an_unreadable_file_is_reported_clearly(tmp_path, monkeypatch):
    path = _geojson(tmp_path, [("Monterrey", [-100.3161, 25.6714])])

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", denied)  # chmod does not stop root
    with pytest.raises(InputError, match=r"cannot be read \(Permission denied\)"):
        read_candidates(path)


def test_L26_keep_marks_sites_outside_mexico(tmp_path):
    path = _csv(tmp_path, [MONTERREY, ("Brownsville", -97.4975, 25.9017)])
    sites = read_candidates(path, outside="keep")
    assert sites["outside_mexico"].tolist() == [False, True]
    assert sites["outside_mexico"].dtype == bool
    assert "outside_mexico" not in read_candidates(_csv(tmp_path, [MONTERREY])).columns


def test_L27_an_unknown_outside_value_names_the_allowed_ones(tmp_path, small_candidates):
    path = _csv(tmp_path, [MONTERREY])
    allowed = r"`outside` was 'ignore' but is expected to be one of \['refuse', 'keep'\]"
    with pytest.raises(ValueError, match=allowed):
        read_candidates(path, outside="ignore")
    with pytest.raises(ValueError, match=allowed):
        check_candidates(small_candidates, outside="ignore")
    with pytest.raises(ValueError, match=allowed):
        siting.run(candidates=small_candidates, outside="ignore", **QUICK)


def test_L28_kept_sites_outside_mexico_get_no_score_or_rank(tmp_path):
    rows = [
        MONTERREY,
        ("Brownsville", -97.4975, 25.9017),
        ("Saltillo", -101.0053, 25.4232),
        ("Off Mazatlan", -106.50, 23.15),
        ("Queretaro", -100.3899, 20.5888),
    ]
    path = _csv(tmp_path, rows)
    result = siting.run(candidates=path, rank_ranges=False, outside="keep", **QUICK)
    ranking = result.ranking
    assert ranking["rank"].tolist()[:3] == [1, 2, 3]
    out = ranking[ranking["outside_mexico"]]
    assert out["name"].tolist() == ["Brownsville", "Off Mazatlan"]
    assert list(out.index) == [3, 4]  # listed last
    assert out["rank"].isna().all() and out["score"].isna().all()
    cols = [c for c in ranking.columns if c.startswith(("norm_", "contrib_"))]
    assert out[["crossing_km", "labor_pool", *cols]].isna().all().all()
    assert out[["state", "municipality", "CVEGEO", "CVE_ENT"]].isna().all().all()
    assert out["state"].tolist() == [None, None]
    assert out["excluded"].all() and (out["excluded_by"] == "outside Mexico").all()
    inside = ranking[~ranking["outside_mexico"]]
    assert not inside["excluded"].any() and inside["state"].notna().all()
    order = list(ranking.columns)
    assert order.index("outside_mexico") == order.index("excluded_by") + 1
    assert any("outside Mexico" in note for note in result.notes)


def test_L29_kept_sites_outside_mexico_are_left_out_of_rank_ranges(small_candidates):
    brownsville = gpd.GeoDataFrame(
        {"name": ["Brownsville"]}, geometry=gpd.points_from_xy([-97.4975], [25.9017]), crs=4326
    )
    sites = pd.concat([small_candidates[["name", "geometry"]], brownsville], ignore_index=True)
    result = siting.run(candidates=sites, outside="keep", **QUICK)
    ranking = result.ranking
    last = ranking.iloc[-1]
    assert last["name"] == "Brownsville" and bool(last["outside_mexico"])
    assert np.isnan(last["rank_median"]) and np.isnan(last["top_k_share"])
    assert ranking["rank_median"].iloc[:-1].notna().all()


def test_L30_all_sites_outside_mexico_cannot_be_ranked(tmp_path):
    path = _csv(tmp_path, [("Brownsville", -97.4975, 25.9017), ("El Paso", -106.485, 31.7619)])
    with pytest.raises(InputError, match="all 2 candidates are outside Mexico"):
        siting.run(candidates=path, rank_ranges=False, outside="keep", **QUICK)


def test_L31_check_candidates_refuses_brownsville(small_candidates):
    brownsville = gpd.GeoDataFrame(
        {"name": ["Monterrey", "Brownsville"]},
        geometry=gpd.points_from_xy([-100.3161, -97.4975], [25.6714, 25.9017]),
        crs=4326,
    ).to_crs(layers.CRS_METRIC)  # any CRS: checked in lon/lat
    with pytest.raises(InputError, match=r"row 1 \('Brownsville'\).*beyond the land border"):
        check_candidates(brownsville)
    kept = check_candidates(brownsville, outside="keep")
    assert kept["outside_mexico"].tolist() == [False, True]
    assert kept.crs.to_epsg() == 4326


def test_L32_geodataframe_in_metres_labelled_degrees_says_projected(small_candidates):
    wrong = small_candidates.to_crs(layers.CRS_METRIC).set_crs(4326, allow_override=True)
    with pytest.raises(InputError) as err:
        check_candidates(wrong)
    msg = str(err.value)
    assert "row 0 ('Monterrey')" in msg and "projected coordinates (metres)" in msg
    assert "set_crs('EPSG:6372', allow_override=True)" in msg
    assert "look swapped" not in msg


def test_L33_admin_never_gives_a_us_point_a_mexican_state(small_candidates):
    names = [*US_POINTS, "Monterrey"]
    lon = [p[0] for p in US_POINTS.values()] + [-100.3161]
    lat = [p[1] for p in US_POINTS.values()] + [25.6714]
    sites = gpd.GeoDataFrame(
        {"name": names}, geometry=gpd.points_from_xy(lon, lat), crs=4326, index=range(10, 18)
    )
    admin = SiteContext(sites, None, NetworkSettings()).admin  # admin needs neither
    assert admin.index.equals(sites.index)
    assert admin.iloc[:-1].isna().all().all()
    assert admin.iloc[-1].tolist() == ["19039", "Monterrey", "19", "Nuevo León"]
    found = boundaries.locate(sites)
    assert not found["in_mexico"].iloc[:-1].any()
    assert (found["beyond"].iloc[:-1] == "USA").all()


def test_L34_locate_schema_missing_points_and_no_crs():
    pts = gpd.GeoSeries.from_xy([-100.3161, np.nan], [25.6714, np.nan], crs=4326, index=["a", "b"])
    found = boundaries.locate(pts)
    assert list(found.columns) == boundaries.LOCATE_COLUMNS
    assert found.index.tolist() == ["a", "b"]
    assert found["in_mexico"].tolist() == [True, False]
    assert found.loc["b", "state"] is None and np.isnan(found.loc["b", "outside_m"])
    with pytest.raises(ValueError, match="has no CRS"):
        boundaries.locate(gpd.GeoSeries.from_xy([-100.0], [25.0]))


def test_L35_locate_many_points_in_one_call_agrees_with_point_in_polygon():
    """One vectorized call for 20,000 points (its speed is measured in the benchmark)."""
    rng = np.random.default_rng(0)
    pts = gpd.GeoSeries.from_xy(
        rng.uniform(-118, -86, 20_000), rng.uniform(14, 33, 20_000), crs=4326
    )
    found = boundaries.locate(pts)
    assert 0.2 < found["in_mexico"].mean() < 0.4
    inside = found["in_mexico"].to_numpy()
    assert (found["outside_m"].to_numpy()[inside] <= boundaries.COAST_TOLERANCE_M).all()
    assert found["state"].notna().to_numpy().tolist() == inside.tolist()
    metric = pts.to_crs(layers.CRS_METRIC)
    within = shapely.contains_xy(boundaries.mexico(layers.CRS_METRIC), metric.x, metric.y)
    assert inside[within].all() and (found["outside_m"].to_numpy()[within] == 0).all()


def test_L36_national_outline_is_the_union_of_the_states():
    outline = boundaries.mexico(layers.CRS_METRIC)
    assert outline.geom_type == "MultiPolygon"
    assert boundaries.mexico(layers.CRS_METRIC) is outline  # cached
    area_km2 = outline.area / 1e6
    assert 1.90e6 < area_km2 < 2.0e6  # Mexico: 1.96 million km2


@pytest.mark.slow
def test_L37_kept_outside_sites_reach_every_output_through_the_cli(tmp_path, capsys):
    """`siting run --outside keep`: all six files, the outside site last, unranked, in the map."""
    from siting.cli import main

    scenario = tmp_path / "q.toml"
    scenario.write_text(
        "[weights]\ncrossing_km = 2\nlabor_pool = 1\nhomicide_rate = 1\n[network]\nsource = "
        '"straight-line"\n[sensitivity]\ndraws = 100\n',
        encoding="utf-8",
    )
    csv = tmp_path / "c.csv"
    csv.write_text(
        "name,lon,lat\nMonterrey,-100.3161,25.6714\nSaltillo,-101.0053,25.4232\n"
        "Brownsville,-97.4975,25.9017\nQuerétaro,-100.3899,20.5888\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["run", str(scenario), "--candidates", str(csv), "--out", str(out), "-q"]
    assert main(args) == 2  # refused by default, naming the row
    assert "row 4 ('Brownsville')" in capsys.readouterr().err
    assert main([*args, "--outside", "keep"]) == 0
    table = pd.read_csv(out / "ranking.csv")
    last = table.iloc[-1]
    assert last["name"] == "Brownsville" and bool(last["outside_mexico"])
    assert pd.isna(last["rank"]) and pd.isna(last["score"]) and pd.isna(last["state"])
    assert last["excluded_by"] == "outside Mexico"
    assert table["rank"].iloc[:3].tolist() == [1, 2, 3]
    assert "Brownsville" in (out / "map.html").read_text(encoding="utf-8")
    assert (out / "map.png").stat().st_size > 0
