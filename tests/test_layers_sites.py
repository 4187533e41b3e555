"""Industrial parks merged across spellings, and metropolitan areas, on the bundled data."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from siting import layers
from siting.layers import sites

TIJUANA = "02004"


@pytest.fixture(scope="module")
def raw():
    return sites.industrial_parks(merge_duplicates=False)


@pytest.fixture(scope="module")
def merged():
    return sites.industrial_parks()


def _park_of(parks: pd.DataFrame, name: str, cvegeo: str = TIJUANA) -> pd.Series:
    """The merged park whose name or aliases include ``name`` (exactly one)."""
    local = parks[parks["CVEGEO"] == cvegeo]
    aliases = local["aliases"].str.split(" | ", regex=False)
    hits = local[(local["name"] == name) | aliases.map(lambda a: name in a)]
    assert len(hits) == 1, f"{name!r} is in {len(hits)} parks"
    return hits.iloc[0]


def _members(park: pd.Series) -> set[str]:
    return {park["name"], *(a for a in park["aliases"].split(" | ") if a)}


def test_normalise_park_name():
    norm = sites.normalise_park_name
    assert norm("PARQUE IND. PACÍFICO") == norm("Parque Industrial Pacifico II") == "pacifico"
    assert norm("P.I. RIO BRAVO") == norm("Río Bravo") == "rio bravo"
    assert norm("Nueva Tijuana", places=["Tijuana"]) == "nueva"
    assert norm("Internacional Tijuana", places=["Tijuana"]) == "internacional"
    assert norm("CD. INDUSTRIAL TIJUANA", places=["Tijuana"]) == "tijuana"
    assert norm("CIUDAD INDSUTRIAL XICOHTENCATL") == "xicohtencatl"  # misspelt generic word
    assert norm("") == ""


def test_tijuana_spellings_merge(merged):
    pacifico = _park_of(merged, "PARQUE INDUSTRIAL PACIFICO")
    assert {
        "PARQUE INDUSTRIAL PACIFICO",
        "PARQUE IND. PACIFICO",
        "PARQ. IND. PACIFICO",
        "PACIFICO",
        "PARQUE INDUSTRIAL PACIFICO II",  # phase II within DUPLICATE_KM: same candidate site
        "INDUSTRIAL PACIFICO I",
    } <= _members(pacifico)
    assert pacifico["name"] == "PARQUE INDUSTRIAL PACIFICO"  # the member with most plants
    assert _members(_park_of(merged, "NUEVA TIJUANA")) == {
        "CIUDAD INDUSTRIAL NUEVA TIJUANA",
        "NUEVA TIJUANA",
    }
    internacional = _park_of(merged, "INTERNACIONAL TIJUANA")
    assert internacional["name"] == "PARQUE INDUSTRIAL INTERNACIONAL TIJUANA"
    # "INTERNACIONAL" is reported 6 km away, beyond DUPLICATE_KM: kept apart
    assert "INTERNACIONAL" not in _members(internacional)
    assert {"EL FLORIDO", "PARQUE IND. EL FLORIDO"} <= _members(
        _park_of(merged, "PARQUE INDUSTRIAL EL FLORIDO")
    )


def test_different_nearby_parks_stay_apart(merged):
    # 4.2-4.8 km apart and sharing only "Tijuana"
    assert (
        _park_of(merged, "NUEVA TIJUANA")["name"]
        != _park_of(merged, "INTERNACIONAL TIJUANA")["name"]
    )
    # Baja Maq El Águila and Baja Maq Tijuana: one developer, two parks 3.6 km apart
    assert "Baja Maq Tijuana" not in _members(_park_of(merged, "BAJA MAQ EL AGUILA"))
    # Querétaro: Jurica stays apart from Benito Juárez despite "Benito Juarez Ampliacion Jurica"
    jurica = _park_of(merged, "PARQUE INDUSTRIAL JURICA", "22014")
    assert not any("BENITO" in m.upper() for m in _members(jurica))
    # Coatzacoalcos: the Pajaritos and Morelos petrochemical complexes are two sites
    pajaritos = _park_of(merged, "PARQUE INDUSTRIAL PAJARITOS", "30039")
    assert not any("MORELOS" in m for m in _members(pajaritos))


def test_merge_keeps_columns_and_conserves_establishments(raw, merged):
    assert list(merged.columns) == list(raw.columns)
    assert list(merged.columns) == [
        "name", "CVEGEO", "municipality", "state", "establishments", "sectors", "aliases",
        "geometry",
    ]  # fmt: skip
    assert merged["establishments"].sum() == raw["establishments"].sum() == 3078
    assert len(merged) < len(raw)
    assert merged.crs == raw.crs
    assert merged.groupby("CVEGEO")["name"].apply(lambda s: s.is_unique).all()
    # every reported name is in exactly one merged park
    names = [n for _, p in merged.iterrows() for n in _members(p)]
    assert sorted(names) == sorted(raw["name"])
    assert merged["establishments"].is_monotonic_decreasing


def test_merged_park_unites_sectors(raw, merged):
    pacifico = _park_of(merged, "PARQUE INDUSTRIAL PACIFICO")
    member_rows = raw[(raw["CVEGEO"] == TIJUANA) & raw["name"].isin(_members(pacifico))]
    expected = {s.strip() for t in member_rows["sectors"] for s in t.split(";") if s.strip()}
    assert set(pacifico["sectors"].split("; ")) == expected
    assert pacifico["establishments"] == member_rows["establishments"].sum()


def test_merge_is_order_independent(raw, merged):
    for seed in (0, 1):
        shuffled = raw.sample(frac=1.0, random_state=seed)
        again = sites.merge_duplicate_parks(shuffled)
        pd.testing.assert_frame_equal(
            pd.DataFrame(again.drop(columns="geometry")),
            pd.DataFrame(merged.drop(columns="geometry")),
        )
        assert again.geometry.geom_equals(merged.geometry).all()


def test_merge_duplicates_false_gives_raw_records(raw):
    assert len(raw) == 1902
    assert (raw["aliases"] == "").all()
    assert (raw["establishments"] >= 2).sum() == 418
    assert len(sites.industrial_parks(min_establishments=2, merge_duplicates=False)) == 418


def test_min_establishments_applies_after_merging(merged):
    two = sites.industrial_parks(min_establishments=2)
    assert len(two) == (merged["establishments"] >= 2).sum()
    # "NUEVA TIJUANA" alone had 2; merged with its spelling it counts 8
    eight = sites.industrial_parks(min_establishments=8)
    assert "CIUDAD INDUSTRIAL NUEVA TIJUANA" in set(eight["name"])


def test_merge_is_logged(raw, caplog):
    with caplog.at_level(logging.INFO, logger="siting.layers.sites"):
        sites.merge_duplicate_parks(raw.head(50))
    assert "duplicate park records" in caplog.text


def test_merge_rejects_missing_columns(raw):
    with pytest.raises(layers.DataError, match="lacks column"):
        sites.merge_duplicate_parks(raw.drop(columns="sectors"))


# --- metropolitan areas ------------------------------------------------------------------------


def test_metro_areas_schema_and_names():
    areas = sites.metro_areas()
    assert list(areas.columns) == ["CVEGEO", "CVE_ZM", "metro"]
    assert areas["CVEGEO"].is_unique
    assert len(areas) == 417
    published = set(sites.metro_zones()["zone"])
    assert len(published) == 74
    assert set(areas["metro"]) == published
    assert set(areas["CVEGEO"]) <= set(layers.boundaries.municipalities()["CVEGEO"])


def test_metro_of():
    codes = pd.Series(
        ["05027", "05030", "19006", "02004", "19039", "20067", "05024", "5030"],
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    metro = sites.metro_of(codes)
    assert metro.index.equals(codes.index)
    assert metro[10] == metro[11] == metro[17] == "Saltillo"  # Ramos Arizpe and Saltillo
    assert metro[12] == metro[14] == "Monterrey"  # Apodaca and Monterrey
    assert metro[13] == "Tijuana"
    assert metro[15] == "Oaxaca"
    assert pd.isna(metro[16])  # Parras, Coahuila: rural, outside every zone
    assert metro.name == "metro"


def test_municipalities_created_after_2015_are_not_metropolitan():
    carved = sites.CARVED_FROM_METRO_MEMBERS
    metro = sites.metro_of(pd.Series(list(carved)))
    assert metro.isna().all()
    parents = sites.metro_of(pd.Series(list(carved.values()))).tolist()
    assert parents == ["Ensenada", "Mexicali", "Cancún"]
    names = layers.boundaries.municipalities().set_index("CVEGEO")["municipality"]
    assert [names[c] for c in carved] == ["San Quintín", "San Felipe", "Puerto Morelos"]
