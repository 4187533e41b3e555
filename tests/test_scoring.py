"""Normalization, weighting, contributions and ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting.aggregate import weighted_sum
from siting.normalize import minmax
from siting.pipeline import score


def test_minmax_benefit_and_cost():
    s = pd.Series([10.0, 20.0, 40.0], name="x")
    assert minmax(s, "benefit").tolist() == pytest.approx([0.0, 1 / 3, 1.0])
    assert minmax(s, "cost").tolist() == pytest.approx([1.0, 2 / 3, 0.0])


def test_minmax_constant_column_does_not_discriminate():
    assert minmax(pd.Series([5.0, 5.0]), "cost").tolist() == [1.0, 1.0]


def test_minmax_refuses_missing_values_and_bad_direction():
    with pytest.raises(ValueError, match="missing or infinite"):
        minmax(pd.Series([1.0, np.nan], name="crossing_km"), "cost")
    with pytest.raises(ValueError, match="`direction` was 'up'"):
        minmax(pd.Series([1.0, 2.0]), "up")


def test_weighted_sum_contributions_add_up():
    norm = pd.DataFrame({"a": [1.0, 0.0, 0.5], "b": [0.0, 1.0, 0.5]})
    out = weighted_sum(norm, {"a": 0.75, "b": 0.25})
    assert out["score"].tolist() == pytest.approx([75.0, 25.0, 50.0])
    assert out["contrib_a"].tolist() == pytest.approx([75.0, 0.0, 37.5])
    np.testing.assert_allclose(out[["contrib_a", "contrib_b"]].sum(axis=1), out["score"])


def test_score_ranks_best_first_and_shares_ties():
    raw = pd.DataFrame(
        {"crossing_km": [100.0, 300.0, 100.0, 500.0], "crossing_trucks": [1e6, 3e6, 1e6, 2e6]}
    )
    out = score(raw, {"crossing_km": 0.5, "crossing_trucks": 0.5})
    # site 0 and 2 are identical: same score, same rank
    assert out.loc[0, "score"] == out.loc[2, "score"]
    assert out["rank"].tolist() == [2, 1, 2, 4]
    assert out["score"].between(0, 100).all()
    np.testing.assert_allclose(out.filter(like="contrib_").sum(axis=1), out["score"])


STRAIGHT_LINE = {
    "weights": {
        "crossing_km": 0.30, "crossing_trucks": 0.10, "labor_pool": 0.15, "homicide_rate": 0.10,
        "cargo_theft_rate": 0.10, "advisory_level": 0.10, "seaport_km": 0.15,
    },
    "network": {"source": "straight-line"},
}  # fmt: skip


def test_run_on_real_cities_straight_line(small_candidates):
    from siting.pipeline import run_scenario
    from siting.scenario import parse_scenario

    result = run_scenario(
        parse_scenario(STRAIGHT_LINE), candidates=small_candidates, rank_ranges=False
    )
    r = result.ranking.set_index("name")
    assert r.loc["Ciudad Juárez", "nearest_crossing"] in {"El Paso", "Ysleta", "Santa Teresa"}
    assert r.loc["Tijuana", "crossing_km"] < 15
    assert 900 < r.loc["Mérida", "crossing_km"] < 1000  # to Brownsville, ~950 km
    assert r.loc["Monterrey", "state"] == "Nuevo León"
    assert r.loc["Mérida", "advisory_level"] == 1
    assert r.loc["Querétaro", "labor_pool"] > 1_000_000
    contrib = result.ranking.filter(like="contrib_").sum(axis=1)
    np.testing.assert_allclose(contrib, result.ranking["score"], atol=1e-9)
    assert result.ranking["rank"].tolist() == sorted(result.ranking["rank"])
    assert sum(c.weight for c in result.criteria) == pytest.approx(1.0)
    assert (result.ranking["distance_method"] == "straight-line").all()
    assert "crossing_drive_min" not in result.ranking and "snap_km" not in result.ranking
    assert any("straight-line" in n for n in result.notes)


def test_default_run_uses_truck_times_on_the_road_network(small_candidates):
    from siting.pipeline import run_scenario
    from siting.scenario import load_scenario

    result = run_scenario(load_scenario(), candidates=small_candidates, rank_ranges=False)
    r = result.ranking.set_index("name")
    assert (r["distance_method"] == "road network (INEGI RNC 2018, truck speeds)").all()
    assert r["reachable"].all() and (r["snap_km"] < 5).all()
    # Monterrey -> Laredo 225 km, 2 h 20 by car; trucks at most 80 km/h take longer. The crossing
    # used is one with commercial capacity (>= min_trucks), not Roma (200 km, 0.6 % of trucks),
    # which stays the nearest of all crossings
    from siting import layers

    trucks = layers.crossings.land_ports().set_index("port_name")["trucks"]
    used = r.loc["Monterrey", "nearest_crossing"]
    assert used in {"Laredo", "Hidalgo"}
    assert trucks[used] >= result.scenario.params.min_trucks == 100_000
    assert r.loc["Monterrey", "nearest_crossing_any"] == "Roma"
    assert r.loc["Monterrey", "crossing_drive_min_any"] < r.loc["Monterrey", "crossing_drive_min"]
    assert 140 < r.loc["Monterrey", "crossing_drive_min"] < 260
    # the road detour: Mérida is ~950 km from Brownsville in a straight line, far more by road
    assert r.loc["Mérida", "crossing_drive_min"] > r.loc["Mérida", "crossing_km"] / 80 * 60 * 1.1
    # labour pool within 45 min by road: Monterrey's metro (5.3 M in 2020) is the deepest here
    assert r["labor_pool"].idxmax() == "Monterrey"
    assert 3_000_000 < r.loc["Monterrey", "labor_pool"] < 6_000_000
    # crossing access counts every crossing; the nearest one alone gives a lower bound
    near = r["crossing_trucks"] * np.exp(-r["crossing_drive_min"] / 240)
    assert (r["crossing_access"] >= near * (1 - 1e-9)).all()
    # route risk is a time-weighted mean of state cargo-theft rates: within their range
    rates = layers.security.state_security()["cargo_theft_rate"]
    assert r["route_risk"].between(rates.min(), rates.max()).all()
    assert r.loc["Tijuana", "route_risk"] == pytest.approx(r.loc["Tijuana", "cargo_theft_rate"])
    np.testing.assert_allclose(
        result.ranking.filter(like="contrib_").sum(axis=1), result.ranking["score"], atol=1e-9
    )
    assert result.sources["roads"]["credit"] == "Fuente: INEGI, Red Nacional de Caminos 2018"
    assert "Fuente: INEGI, Red Nacional de Caminos 2018" in result.credits
    assert result.network.nodes > 80_000


def test_default_candidates_are_parks_and_metro_seats():
    from siting.candidates import default_candidates

    cands = default_candidates()
    assert cands["name"].is_unique
    counts = cands["source"].value_counts()
    # 418 parks with two or more plants before near-duplicate names of one park were merged
    assert counts["industrial_park"] == 383
    assert counts["metro_seat"] == 278
    assert cands.loc[cands["source"] == "metro_seat", "aliases"].eq("").all()
    pacifico = cands[cands["name"].str.contains("Pacifico") & cands["name"].str.contains("Tijuana")]
    assert len(pacifico) == 1 and "Pacifico Ii" in pacifico["aliases"].iloc[0]
