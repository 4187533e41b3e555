"""The bundled layers load with the documented schemas and real totals."""

from __future__ import annotations

import pytest

from siting import layers


def test_32_states_with_census_total():
    states = layers.boundaries.states()
    assert len(states) == 32
    assert states["CVE_ENT"].tolist() == [f"{i:02d}" for i in range(1, 33)]
    assert int(states["population"].sum()) == 126_014_024


def test_census_municipalities_sum_to_national_total():
    mun = layers.labor.municipal_population()
    assert len(mun) == 2469
    assert mun["CVEGEO"].is_unique
    assert int(mun["population"].sum()) == 126_014_024
    assert mun.loc[mun["CVEGEO"] == "19039", "municipality"].item() == "Monterrey"


def test_municipal_polygons_and_labor_layer():
    polys = layers.boundaries.municipalities()
    assert len(polys) == 2475
    labor = layers.labor.municipal_labor()
    # the six municipalities created after the census have no census population
    assert int(labor["population"].isna().sum()) == 6
    assert int(labor["population"].sum()) == 126_014_024
    assert (labor["density_km2"].dropna() > 0).all()


def test_population_points_carry_the_census_population():
    pts = layers.labor.population_points()
    total = int(pts["population"].sum())
    assert abs(total - 126_014_024) / 126_014_024 < 1e-4
    assert set(pts["kind"]) == {"locality", "remainder"}
    assert (pts["population"] > 0).all()


def test_laredo_is_the_busiest_truck_port():
    ports = layers.crossings.land_ports()
    assert len(ports) == 28
    assert ports.iloc[0]["port_name"] == "Laredo"
    assert int(ports.iloc[0]["trucks"]) == 3_026_632
    assert int(ports["trucks"].sum()) == 7_617_207
    commercial = layers.crossings.commercial_crossings()
    assert (commercial["trucks"] > 0).all()
    assert len(commercial) < len(ports)


def test_security_uses_latest_full_year_and_joins_to_municipalities():
    sec = layers.security.state_security()
    assert layers.security.latest_full_year() == 2024
    assert len(sec) == 32 and (sec["year"] == 2024).all()
    colima = sec.set_index("state").loc["Colima"]
    assert colima["homicide_rate"] == pytest.approx(109.92)
    assert colima["advisory_level"] == 4
    # robbery of cargo carriers: Puebla and Estado de México lead (SESNSP 2024)
    top2 = set(sec.nlargest(2, "cargo_theft_incidents")["state"])
    assert top2 == {"Puebla", "Estado de México"}
    mun = layers.security.municipal_security()
    assert len(mun) == 2475
    assert mun["homicide_rate"].notna().all()
    mty = mun.set_index("CVEGEO").loc["19039"]
    assert mty["advisory_level"] == sec.set_index("CVE_ENT").loc["19", "advisory_level"]


def test_partial_year_is_refused():
    with pytest.raises(layers.DataError, match="not a full year"):
        layers.security.state_security(2025)


def test_seaports_leave_out_inland_places():
    ports = layers.transport.seaports()
    assert "MXAGU" not in set(ports["unlocode"])
    assert {"MXZLO", "MXLZC", "MXVER", "MXATM"} <= set(ports["unlocode"])
    assert len(layers.transport.airports()) == 144


def test_sources_record_provenance_for_every_file():
    table = layers.sources()
    for key, entry in table.items():
        for field in ("title", "publisher", "date", "licence", "origin", "files", "credit"):
            assert entry.get(field), f"{key} lacks {field}"
        for rel in entry["files"]:
            assert layers.data_path(rel).is_file()
