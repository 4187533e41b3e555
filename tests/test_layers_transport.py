"""Container ports, US gateway ports and the US truck leg (real bundled data, no network)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from siting import layers
from siting.layers import transport

# CGPMM/SICT, January–April 2024 (Grupo T21; FreightWaves 2024-05-22)
CGPMM_TEU = {
    "MXZLO": 1_272_955,
    "MXLZC": 711_148,
    "MXVER": 424_949,
    "MXATM": 288_187,
    "MXESE": 134_075,
    "MXMZT": 12_221,
}
LALB = "Los Angeles/Long Beach"


@pytest.fixture(scope="module")
def ports() -> gpd.GeoDataFrame:
    return transport.container_ports()


@pytest.fixture(scope="module")
def legs() -> pd.DataFrame:
    return transport.us_leg_minutes(layers.crossings.commercial_crossings())


def test_container_ports_schema(ports):
    assert list(ports.columns) == [
        "unlocode", "name", "state", "coast", "teu_jan_apr_2024", "teu_per_year",
        "CVEGEO", "municipality", "CVE_ENT", "country", "geometry",
    ]  # fmt: skip
    assert ports.crs.to_epsg() == 4326
    assert pd.api.types.is_integer_dtype(ports["teu_jan_apr_2024"])
    assert pd.api.types.is_float_dtype(ports["teu_per_year"])
    assert (ports["country"] == "MX").all()
    assert set(ports["coast"]) == {"Pacific", "Gulf"}
    assert ports["teu_jan_apr_2024"].is_monotonic_decreasing
    assert ports["CVEGEO"].str.fullmatch(r"\d{5}").all()
    assert (ports["CVEGEO"].str[:2] == ports["CVE_ENT"]).all()


def test_container_ports_teu_equal_cgpmm(ports):
    assert len(ports) == 6
    teu = ports.set_index("unlocode")["teu_jan_apr_2024"].to_dict()
    assert teu == CGPMM_TEU
    assert ports.set_index("name").loc["Manzanillo", "teu_jan_apr_2024"] == 1_272_955
    # the six ports: 2,843,535 of the national 2,952,195 TEU (96 %)
    assert ports["teu_jan_apr_2024"].sum() == 2_843_535
    assert ports["teu_per_year"].tolist() == [3.0 * t for t in ports["teu_jan_apr_2024"]]


def test_loader_returns_copies(ports):
    a = transport.container_ports()
    a.loc[0, "teu_jan_apr_2024"] = 0
    a.loc[0, "CVEGEO"] = "99999"
    b = transport.container_ports()
    assert b.loc[0, "teu_jan_apr_2024"] == 1_272_955 and b.loc[0, "CVEGEO"] == "06007"
    g = transport.us_gateway_ports()
    g.loc[0, "teu_per_year"] = 0.0
    assert transport.us_gateway_ports().loc[0, "teu_per_year"] > 1e7


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Rosarito Terminal", "MXROT"),
        ("Cayo Arcas", "MXCAT"),
        ("Monterrey", "MXMTY"),
        ("Aguascalientes", "MXAGU"),
        ("Toluca", "MXTLC"),
        ("Dos Bocas", "MXDBT"),
    ],
)
def test_fuel_terminals_and_inland_places_are_not_container_ports(ports, name, code):
    assert name not in set(ports["name"])
    assert code not in set(ports["unlocode"])
    # they are in the raw UN/LOCODE list, and excluded from seaports() with a reason
    raw = transport.seaports(include_non_maritime=True)
    assert code in set(raw["unlocode"])
    assert code in transport.NOT_SEAPORTS
    assert code not in set(transport.seaports()["unlocode"])


def test_misplaced_monterrey_reason_names_chiapas():
    assert "Chiapas" in transport.NOT_SEAPORTS["MXMTY"]
    raw = transport.seaports(include_non_maritime=True).set_index("unlocode")
    pt = raw.loc["MXMTY", "geometry"]
    states = layers.boundaries.states()
    assert states[states.contains(pt)]["CVE_ENT"].tolist() == ["07"]  # Chiapas


def test_container_ports_are_on_the_coast_of_mexico(ports):
    states = layers.boundaries.states().to_crs(layers.CRS_METRIC)
    mexico = states.union_all()
    pts = ports.to_crs(layers.CRS_METRIC)
    assert pts.within(mexico.buffer(2000)).all()
    km_to_coast = pts.distance(mexico.boundary) / 1000
    assert (km_to_coast < 3).all(), km_to_coast.tolist()
    # each port lies in (or right next to) the state it is listed under
    joined = gpd.sjoin_nearest(pts, states[["CVE_ENT", "geometry"]], how="left")
    assert (joined["CVE_ENT_left"] == joined["CVE_ENT_right"]).all()


def test_port_municipalities(ports):
    by_code = ports.set_index("unlocode")
    assert by_code.loc["MXZLO", ["CVEGEO", "municipality"]].tolist() == ["06007", "Manzanillo"]
    assert by_code.loc["MXLZC", ["CVEGEO", "municipality"]].tolist() == [
        "16052",
        "Lázaro Cárdenas",
    ]
    assert by_code.loc["MXVER", "CVEGEO"] == "30193"
    assert by_code.loc["MXATM", "CVEGEO"] == "28003"
    assert by_code.loc["MXESE", "CVEGEO"] == "02001"


def test_us_gateway_ports():
    gw = transport.us_gateway_ports()
    assert list(gw.columns) == [
        "unlocode", "name", "us_state", "teu_per_year", "country", "geometry",
    ]  # fmt: skip
    assert gw.crs.to_epsg() == 4326
    assert (gw["country"] == "US").all()
    by_name = gw.set_index("name")
    # San Pedro Bay = Port of Los Angeles + Port of Long Beach, calendar 2024
    assert by_name.loc[LALB, "teu_per_year"] == 10_297_351 + 9_649_724
    assert set(by_name.loc[LALB, "unlocode"].split(";")) == {"USLAX", "USLGB"}
    assert by_name.loc["Houston", "teu_per_year"] == 4_139_991
    assert by_name.loc["Houston", "us_state"] == "Texas"
    # terminal points are in the US, north of the border
    assert (gw.geometry.y > 29).all()
    assert (
        not gw.to_crs(layers.CRS_METRIC)
        .intersects(layers.boundaries.states().to_crs(layers.CRS_METRIC).union_all())
        .any()
    )


def _road_km(minutes: float) -> float:
    return minutes / 60 * transport.US_TRUCK_KPH


def test_us_leg_plausible_on_known_routes(legs):
    otay = legs.loc["Otay Mesa", LALB]
    laredo = legs.loc["Laredo", "Houston"]
    # Otay Mesa -> San Pedro Bay: about 225 km by I-805/I-5/I-405/I-710, 2.5–3.5 h by truck
    assert 190 < _road_km(otay) < 250
    assert 2.5 * 60 <= otay <= 3.5 * 60
    # Laredo -> Bayport: about 540 (US-59) to 620 km (I-35/I-10), 5–7 h by truck
    assert 500 < _road_km(laredo) < 650
    assert 5 * 60 <= laredo <= 7.5 * 60
    # the West-coast gateway is the near one for California, Houston for Texas
    assert (legs.loc[["Otay Mesa", "Calexico East", "Tecate"]].idxmin(axis=1) == LALB).all()
    assert (legs.loc[["Laredo", "Hidalgo", "Brownsville"]].idxmin(axis=1) == "Houston").all()


def test_us_leg_shape_and_constants(legs):
    crossings = layers.crossings.commercial_crossings()
    assert legs.index.tolist() == crossings["port_name"].tolist()
    assert legs.columns.tolist() == [LALB, "Houston"]
    assert (legs.to_numpy() > 0).all()
    assert 1.1 <= transport.US_ROAD_DETOUR <= 1.35
    assert 60 <= transport.US_TRUCK_KPH <= 100


def test_us_leg_is_monotone_in_distance(legs):
    crossings = layers.crossings.commercial_crossings()
    gw = transport.us_gateway_ports()
    geod = Geod(ellps="WGS84")
    for j, g in enumerate(gw.geometry):
        km = [geod.geometry_length(LineString([c, g])) / 1000 for c in crossings.geometry]
        order = pd.Series(km).argsort().to_numpy()
        assert pd.Series(legs.iloc[order, j].to_numpy()).is_monotonic_increasing
        # and exactly linear in the geodesic distance
        expected = pd.Series(km) * transport.US_ROAD_DETOUR / transport.US_TRUCK_KPH * 60
        assert legs.iloc[:, j].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)


def test_us_leg_accepts_projected_input_and_other_names(legs):
    crossings = layers.crossings.commercial_crossings().to_crs(layers.CRS_METRIC)
    crossings = crossings.rename(columns={"port_name": "name"})
    out = transport.us_leg_minutes(crossings, transport.us_gateway_ports(), name_col="name")
    assert out.to_numpy() == pytest.approx(legs.to_numpy(), rel=1e-9)


def test_us_leg_reports_every_problem():
    bad = gpd.GeoDataFrame({"x": [1, 2]}, geometry=[Point(0, 0), None])
    gw = transport.us_gateway_ports().drop(columns="name")
    with pytest.raises(ValueError, match="lacks column 'port_name'") as err:
        transport.us_leg_minutes(bad, gw)
    text = str(err.value)
    assert "`crossings` has no CRS" in text
    assert "`crossings` has 1 missing, empty or non-point" in text
    assert "`gateways` lacks column 'name'" in text
