"""The default answer is one an investor could defend (issue: ports, crossings, security, labour,
the user's own data, a metro shortlist): each rule on the real bundled data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import siting
from siting import layers
from siting._errors import InputError, ScenarioError
from siting.scenario import parse_scenario, with_overrides

CONTAINER_PORTS = {"Manzanillo", "Lazaro Cardenas", "Veracruz", "Altamira", "Ensenada", "Mazatlan"}
NOT_PORTS = ("Rosarito", "Cayo Arcas", "Dos Bocas", "Monterrey", "Aguascalientes", "Toluca")


@pytest.fixture(scope="module")
def small(small_candidates):
    """The default scenario on eight real cities, without rank ranges."""
    return siting.run(candidates=small_candidates, rank_ranges=False).ranking.set_index("name")


@pytest.fixture(scope="module")
def default_run():
    """The bundled default run, as `siting run` makes it."""
    return siting.run()


def test_seaports_are_container_ports_or_us_gateways(small):
    for used in small["nearest_seaport"]:
        assert used in CONTAINER_PORTS or " (US) via " in used, used
        assert not any(bad in used.split(" (US)")[0] for bad in NOT_PORTS), used
    # Tijuana ships through Ensenada (about 2 h), not the PEMEX fuel terminal at Rosarito
    assert small.loc["Tijuana", "nearest_seaport"] == "Ensenada"
    assert 60 < small.loc["Tijuana", "seaport_drive_min"] < 180


def test_us_gateways_are_reached_through_a_crossing(small_candidates, small):
    without = siting.run(
        candidates=small_candidates, rank_ranges=False, parameters={"us_gateways": False}
    ).ranking.set_index("name").reindex(small.index)
    assert not without["nearest_seaport"].str.contains("(US)", regex=False).any()
    # a gateway is one more option: time to the best port never grows, access never shrinks
    assert (small["seaport_drive_min"] <= without["seaport_drive_min"] + 1e-9).all()
    assert (small["seaport_access"] >= without["seaport_access"] - 1e-6).all()
    # Ciudad Juárez: a US gateway through a crossing is closer than any Mexican container port
    juarez = small.loc["Ciudad Juárez"]
    assert " (US) via " in juarez["nearest_seaport"]
    assert juarez["seaport_drive_min"] < without.loc["Ciudad Juárez", "seaport_drive_min"]


def test_seaport_access_and_risk(small):
    teu = layers.transport.container_ports().set_index("name")["teu_per_year"]
    # access sums every port: at least the Mexican port used, discounted by its time
    for name in ("Querétaro", "Puebla", "Mérida"):
        row = small.loc[name]
        assert row["nearest_seaport"] in teu.index
        floor = teu[row["nearest_seaport"]] * np.exp(-row["seaport_drive_min"] / 360.0)
        assert row["seaport_access"] >= floor * (1 - 1e-9)
    # risk: the mean of the port's municipal homicide rate and the state rates on the way, so
    # within the range of the inputs
    hom = layers.security.municipal_homicide()
    lo, hi = hom["rate_state"].min(), hom["homicide_rate"].max()
    assert small["seaport_risk"].between(lo, hi).all()


def test_a_site_next_to_manzanillo_carries_the_port_s_violence(small_candidates):
    import geopandas as gpd

    extra = gpd.GeoDataFrame(
        {"name": ["Manzanillo"], "source": "user"},
        geometry=gpd.points_from_xy([-104.3188], [19.0522]),
        crs="EPSG:4326",
    )
    sites = pd.concat([small_candidates, extra], ignore_index=True)
    r = siting.run(candidates=sites, rank_ranges=False).ranking.set_index("name")
    assert r.loc["Manzanillo", "nearest_seaport"] == "Manzanillo"
    # Manzanillo's municipality: about 150 homicides per 100k over the last 12 months
    assert r.loc["Manzanillo", "homicide_rate"] > 120
    assert r.loc["Manzanillo", "seaport_risk"] > 2 * r.loc["Querétaro", "seaport_risk"]


def test_crossings_have_commercial_capacity_and_waits_move_the_choice(small_candidates, small):
    trucks = layers.crossings.land_ports().set_index("port_name")["trucks"]
    assert (trucks[small["nearest_crossing"]] >= 100_000).all()
    assert (small["crossing_drive_min_any"] <= small["crossing_drive_min"] + 1e-9).all()
    assert (small["crossing_wait_min"] == 0).all()  # the default scenario gives no waits
    base = small.loc["Monterrey"]
    # a long typical wait at Monterrey's crossing sends its trucks to another one
    waited = siting.run(
        candidates=small_candidates,
        rank_ranges=False,
        crossing_waits={base["nearest_crossing"]: 600, "Laredo": {"standard": 600, "fast": 5}},
    ).ranking.set_index("name")
    moved = waited.loc["Monterrey"]
    assert moved["nearest_crossing"] not in {base["nearest_crossing"], "Laredo"}
    assert moved["crossing_drive_min"] > base["crossing_drive_min"]
    # FAST lanes: Laredo's 5-minute FAST wait applies instead
    fast = siting.run(
        candidates=small_candidates,
        rank_ranges=False,
        crossing_waits={"lane": "fast", "Laredo": {"standard": 600, "fast": 5}},
    ).ranking.set_index("name")
    assert fast.loc["Monterrey", "crossing_wait_min"] in (0.0, 5.0)
    assert fast.loc["Monterrey", "crossing_drive_min"] <= base["crossing_drive_min"] + 5 + 1e-6


def test_crossing_waits_are_validated():
    with pytest.raises(ScenarioError) as err:
        parse_scenario(
            {
                "weights": {"crossing_drive_min": 1},
                "crossing_waits": {"lane": "slow", "Nowhere": 5, "Laredo": -3, "Hidalgo": {"x": 1}},
            }
        )
    text = str(err.value)
    assert 'lane is \'slow\'; expected "standard" or "fast"' in text
    assert "unknown crossing 'Nowhere'" in text
    assert "Laredo is -3; expected minutes" in text
    assert "Hidalgo is {'x': 1}" in text


def test_crossing_waits_from_a_snapshot_file(tmp_path):
    (tmp_path / "waits.csv").write_text(
        "port_code,port_name,standard_min,fast_min,crossings,fetched_at\n"
        "2304,Laredo,35,20,2,2026-12-01T10:00:00Z\n"
        "2506,Otay Mesa,60,,1,2026-12-01T10:00:00Z\n",
        encoding="utf-8",
    )
    base = {"weights": {"crossing_drive_min": 1}}
    sc = parse_scenario({**base, "crossing_waits": {"file": "waits.csv", "Laredo": 50}},
                        path=str(tmp_path / "s.toml"))  # fmt: skip
    assert sc.params.crossing_waits == {"Laredo": 50.0, "Otay Mesa": 60.0}  # by hand wins
    assert "CBP snapshot 2026-12-01T10:00:00Z" in sc.params.crossing_waits_source
    assert sc.resolved()["parameters"]["crossing_waits_source"].startswith("waits.csv")
    fast = parse_scenario({**base, "crossing_waits": {"file": "waits.csv", "lane": "fast"}},
                          path=str(tmp_path / "s.toml"))  # fmt: skip
    assert fast.params.crossing_waits == {"Laredo": 20.0, "Otay Mesa": 60.0}  # no FAST: standard
    # rows are matched by CBP port code: the feed's names ("Hidalgo/Pharr") are not BTS's, and a
    # table typed by hand may give codes only
    (tmp_path / "codes.csv").write_text(
        "port_code,port_name,standard_min,fast_min\n2305,Hidalgo/Pharr,40,\n", encoding="utf-8"
    )
    (tmp_path / "bare.csv").write_text(
        "port_code,standard_min,fast_min\n2401,25,10\n", encoding="utf-8"
    )
    for name, expected in (("codes.csv", {"Hidalgo": 40.0}), ("bare.csv", {"Ysleta": 25.0})):
        sc = parse_scenario({**base, "crossing_waits": {"file": name}},
                            path=str(tmp_path / "s.toml"))  # fmt: skip
        assert sc.params.crossing_waits == expected


def test_homicide_rate_is_municipal_with_the_state_rate_kept(small_candidates):
    import geopandas as gpd

    pts = gpd.GeoDataFrame(
        {"name": ["Tijuana", "Mexicali"], "source": "user"},
        geometry=gpd.points_from_xy([-117.0382, -115.4523], [32.5149, 32.6245]),
        crs="EPSG:4326",
    )
    r = siting.run(candidates=pts, rank_ranges=False).ranking.set_index("name")
    assert r.loc["Tijuana", "homicide_rate"] > 2 * r.loc["Mexicali", "homicide_rate"]
    assert r.loc["Tijuana", "homicide_rate_state"] == r.loc["Mexicali", "homicide_rate_state"]
    assert r.loc["Tijuana", "min_wage_daily"] == pytest.approx(440.87)  # northern border zone


def test_labour_force_and_wages(small):
    share = layers.labor.state_labor()["pea_share"]
    ratio = small["labor_force"] / small["labor_pool"]
    assert ratio.between(share.min(), share.max()).all()
    assert small.loc["Monterrey", "min_wage_daily"] == pytest.approx(315.04)
    assert small.loc["Tijuana", "min_wage_daily"] / small.loc["Monterrey", "min_wage_daily"] > 1.35
    # the labour force saturates at 1 million: Monterrey's 2 million count the same as 1 million
    assert small.loc["Monterrey", "norm_labor_force"] == pytest.approx(1.0)
    assert small.loc["Saltillo", "norm_labor_force"] == pytest.approx(
        small.loc["Saltillo", "labor_force"] / 1_000_000
    )


def test_candidate_columns_are_criteria(tmp_path, candidates_csv):
    rows = candidates_csv.read_text(encoding="utf-8").splitlines()
    rent = {"Monterrey": "9.5", "Saltillo": "6.0"}
    lines = [rows[0] + ",rent_usd_m2"] + [
        f"{r},{rent.get(r.split(',')[0], '7.0')}" for r in rows[1:]
    ]
    csv = tmp_path / "rent.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = {
        "candidate_criteria": {"rent_usd_m2": {"direction": "cost", "unit": "USD/m2/month",
                                               "label": "Rent", "label_es": "Renta"}},
        "weights": {"crossing_drive_min": 0.5, "rent_usd_m2": 0.5},
    }  # fmt: skip
    scenario = parse_scenario(data, path=str(tmp_path / "s.toml"))
    result = siting.run(scenario, csv, rank_ranges=False)
    r = result.ranking.set_index("name")
    assert r.loc["Saltillo", "rent_usd_m2"] == 6.0 and r.loc["Saltillo", "norm_rent_usd_m2"] == 1.0
    assert r.loc["Monterrey", "norm_rent_usd_m2"] == 0.0
    assert [c.label for c in result.criteria] == ["Truck time to border crossing", "Rent"]
    # a value that is not a number names the column, the candidate and the row
    csv.write_text(csv.read_text(encoding="utf-8").replace("9.5", "n/a"), encoding="utf-8")
    with pytest.raises(InputError, match=r"column 'rent_usd_m2'.*'Monterrey' \(row 2 .*'n/a'"):
        siting.run(scenario, csv, rank_ranges=False)
    # a scenario that weighs a column the candidates lack says so
    with pytest.raises(InputError, match=r"candidates column\(s\) \['rent_usd_m2'\]"):
        siting.run(scenario, candidates_csv, rank_ranges=False)
    with pytest.raises(ScenarioError, match="direction is 'up'"):
        parse_scenario({"candidate_criteria": {"x": {"direction": "up"}}, "weights": {"x": 1}})


@pytest.mark.slow
def test_default_run_is_a_shortlist_of_metros(default_run):
    from siting.cli import metro_table

    r = default_run.ranking
    ranked = r[r["rank"].notna()]
    # the metro of the best site is metro 1; a metro's rank is that of its best site
    assert ranked.iloc[0]["metro_rank"] == 1
    best = ranked.dropna(subset=["metro"]).drop_duplicates("metro")
    assert best["metro_rank"].tolist() == sorted(best["metro_rank"])
    assert r.loc[r["metro"].isna(), "metro_rank"].isna().all()
    table = metro_table(r).splitlines()
    assert len(table) == 11  # header + ten distinct metros
    top10 = best.head(10)["metro"].tolist()
    assert len(set(top10)) == 10 and top10[0] == "Monterrey"
    # no fuel terminal, dry port or misplaced point is anyone's seaport
    ports = r["nearest_seaport"].dropna()
    assert not ports.str.contains("|".join(NOT_PORTS[:3])).any()
    assert ports.map(lambda p: p in CONTAINER_PORTS or " (US) via " in p).all()
    # merged parks keep their other names
    assert (r["aliases"] != "").sum() > 100
    # every new source is credited on the maps and recorded
    for key in ("container_ports", "homicide_municipal", "labor_enoe", "minimum_wage"):
        assert layers.sources()[key]["credit"] in default_run.credits
        assert key in default_run.sources


def test_overrides_reach_the_new_parameters():
    base = siting.scenario.load_scenario()
    changed = with_overrides(base, parameters={"min_trucks": 1, "seaport_tau_min": 120})
    assert changed.params.min_trucks == 1 and changed.params.seaport_tau_min == 120
    with pytest.raises(ScenarioError, match="us_gateways is 'yes'"):
        with_overrides(base, parameters={"us_gateways": "yes"})


def test_map_texts_name_the_period_of_the_bundled_homicide_data():
    from siting.maps.text import PAGE_TEXT

    period = layers.security.municipal_homicide()["period"].iloc[0]  # e.g. "2024-07..2025-06"
    start, end = (pd.Timestamp(p + "-01") for p in period.split(".."))
    months_es = "ene feb mar abr may jun jul ago sep oct nov dic".split()
    labels = {
        "en": f"{start:%b %Y}–{end:%b %Y}",
        "es": f"{months_es[start.month - 1]} {start.year}–{months_es[end.month - 1]} {end.year}",
    }
    for lang, label in labels.items():
        for key in ("homicide_rate", "legend_security"):
            text = PAGE_TEXT[lang][key]
            assert label in text, (lang, key, label, text)
