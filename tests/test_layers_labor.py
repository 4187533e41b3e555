"""State labour markets (ENOE + CONAPO) and minimum-wage zones, on the bundled real data."""

from __future__ import annotations

import pandas as pd
import pytest

from siting import layers

ZONE_DECREE_43 = 43
#: Municipalities created since the 2018 decree from zone members (San Quintín, San Felipe).
ZONE_SUCCESSORS = {"02006", "02007"}


@pytest.fixture(scope="module")
def lab() -> pd.DataFrame:
    return layers.labor.state_labor()


@pytest.fixture(scope="module")
def zones() -> pd.DataFrame:
    return layers.labor.minimum_wage_zones()


def test_state_labor_schema(lab):
    assert list(lab.columns) == [
        "CVE_ENT",
        "state",
        "pea",
        "population_est",
        "pea_share",
        "avg_monthly_wage_mxn",
        "quarters",
    ]
    assert lab["CVE_ENT"].tolist() == [f"{i:02d}" for i in range(1, 33)]
    assert (lab["quarters"] == "2024-Q2..2025-Q1").all()
    assert lab.notna().all().all()


def test_pea_is_the_mean_of_the_latest_four_quarters(lab):
    raw = pd.read_csv(layers.data_path(layers.labor.ENOE_FILE), dtype={"CVE_ENT": str}).query(
        "CVE_ENT == '19' and QUARTER >= '2024-Q2' and QUARTER <= '2025-Q1'"
    )
    assert len(raw) == 4
    nl = lab.set_index("CVE_ENT").loc["19"]
    assert nl["pea"] == pytest.approx(raw["PEA"].mean())
    assert nl["avg_monthly_wage_mxn"] == pytest.approx(raw["AVG_MONTHLY_WAGE_MXN"].mean())


def test_pea_sums_to_about_61_million(lab):
    assert 60e6 < lab["pea"].sum() < 62e6


def test_population_est_is_conapo_and_grows_plausibly_from_the_census(lab):
    census = layers.boundaries.states().set_index("CVE_ENT")["population"]
    ratio = lab.set_index("CVE_ENT")["population_est"] / census
    # four and a half years of growth plus CONAPO's under-count correction (~1.7 %)
    assert ratio.between(0.99, 1.13).all(), ratio[~ratio.between(0.99, 1.13)]
    assert 131e6 < lab["population_est"].sum() < 134e6


def test_population_recovery_is_precise_across_crimes():
    sesnsp = pd.read_csv(layers.data_path(layers.security.CRIME_FILE), dtype={"CVE_ENT": str})
    big = sesnsp[(sesnsp["INCIDENTS"] >= 1000) & (sesnsp["CVE_ENT"] != "00")]
    pop = big["INCIDENTS"] / big["RATE_100K"] * 1e5
    spread = pop.groupby([big["YEAR"], big["CVE_ENT"]]).agg(lambda s: s.max() / s.min() - 1)
    assert spread.max() < 1e-3


def test_pea_share_is_plausible_and_ordered_as_the_data_say(lab):
    share = lab.set_index("CVE_ENT")["pea_share"]
    assert share.between(0.35, 0.60).all(), share[~share.between(0.35, 0.60)]
    national = lab["pea"].sum() / lab["population_est"].sum()
    assert 0.44 < national < 0.48
    assert share["19"] > share["07"]  # Nuevo León above Chiapas
    assert share.idxmin() == "07"


def test_wage_zone_schema_and_one_row_per_municipality(zones):
    assert list(zones.columns) == ["CVEGEO", "wage_zone", "min_wage_daily_mxn", "min_wage_since"]
    assert zones["CVEGEO"].tolist() == layers.boundaries.municipalities()["CVEGEO"].tolist()
    assert len(zones) == 2475
    assert set(zones["wage_zone"]) == {"frontera_norte", "general"}
    assert pd.api.types.is_datetime64_any_dtype(zones["min_wage_since"])


def test_zone_has_the_decree_43_plus_new_municipalities(zones):
    members = layers.labor._zone_members()
    assert members["ASSIGNED"].str.startswith("decree").sum() == ZONE_DECREE_43
    successors = set(members.loc[members["ASSIGNED"].str.startswith("successor"), "CVEGEO"])
    assert successors == ZONE_SUCCESSORS
    frontera = zones.loc[zones["wage_zone"] == "frontera_norte", "CVEGEO"]
    assert len(frontera) == ZONE_DECREE_43 + len(ZONE_SUCCESSORS)
    per_state = frontera.str[:2].value_counts().to_dict()
    assert per_state == {"02": 7, "26": 11, "08": 8, "05": 8, "19": 1, "28": 10}


@pytest.mark.parametrize(
    ("cvegeo", "zone"),
    [
        ("02004", "frontera_norte"),  # Tijuana
        ("08037", "frontera_norte"),  # Juárez
        ("28032", "frontera_norte"),  # Reynosa
        ("28027", "frontera_norte"),  # Nuevo Laredo
        ("02001", "frontera_norte"),  # Ensenada: named by the decree, outside the 25 km strip
        ("02006", "frontera_norte"),  # San Quintín, split from Ensenada
        ("19039", "general"),  # Monterrey
        ("05030", "general"),  # Saltillo
        ("08019", "general"),  # Chihuahua
        ("26027", "general"),  # Fronteras: touches the strip, not named by the decree
        ("19003", "general"),  # Los Aldamas: likewise
    ],
)
def test_known_municipalities(zones, cvegeo, zone):
    assert zones.set_index("CVEGEO").at[cvegeo, "wage_zone"] == zone


def test_min_wage_is_the_2026_decree(zones):
    wage = zones.groupby("wage_zone")["min_wage_daily_mxn"].unique()
    assert wage["frontera_norte"].tolist() == [440.87]
    assert wage["general"].tolist() == [315.04]
    assert (zones["min_wage_since"] == pd.Timestamp("2026-01-01")).all()


def test_min_wage_on_an_earlier_date():
    z = layers.labor.minimum_wage_zones(on="2024-06-30").drop_duplicates("wage_zone")
    wage = z.set_index("wage_zone")
    assert wage.at["frontera_norte", "min_wage_daily_mxn"] == 374.89
    assert wage.at["general", "min_wage_daily_mxn"] == 248.93
    assert (wage["min_wage_since"] == pd.Timestamp("2024-01-01")).all()


def test_min_wage_before_the_zone_existed_is_an_error():
    with pytest.raises(ValueError, match="`on` was '2018-06-01'"):
        layers.labor.minimum_wage_zones(on="2018-06-01")
