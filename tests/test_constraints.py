"""Hard constraints: exactly the breaking sites are excluded, kept in the outputs, unranked."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from siting.constraints import Constraint, apply_constraints, parse_constraints
from siting.criteria import CRITERIA


def test_exactly_the_breaking_rows_are_excluded_with_every_rule_named():
    raw = pd.DataFrame(
        {
            "crossing_km": [100.0, 600.0, 601.0, 900.0, np.nan],
            "labor_pool": [2e5, 5e4, 2e5, 5e4, 2e5],
        }
    )
    rules = [Constraint("crossing_km", max=600), Constraint("labor_pool", min=100000)]
    out = apply_constraints(raw, rules)
    assert out["excluded"].tolist() == [False, True, True, True, True]
    assert out["excluded_by"].tolist() == [
        "",
        "labor_pool >= 100000",
        "crossing_km <= 600",
        "crossing_km <= 600; labor_pool >= 100000",
        "crossing_km <= 600",  # a missing value cannot be shown to meet the rule
    ]
    assert Constraint("homicide_rate", min=1, max=2.5).text == "1 <= homicide_rate <= 2.5"


def test_parse_constraints_reports_every_problem():
    problems: list[str] = []
    rules = parse_constraints(
        [
            {"criterion": "crossing_km", "max": 600},
            {"criterion": "moon_km", "max": 1},
            {"criterion": "labor_pool"},
            {"criterion": "labor_pool", "min": 5, "max": 1},
            {"criterion": "advisory_level", "max": "3"},
            {"criterion": "seaport_km", "below": 3},
        ],
        list(CRITERIA),
        problems,
    )
    assert rules == [Constraint("crossing_km", max=600.0)]
    text = "\n".join(problems)
    for needle in (
        "#2 criterion is 'moon_km'",
        "#3 needs 'min', 'max' or both",
        "#4 min 5 is greater than max 1",
        "#5 max is '3'; expected a finite number",
        "#6 unknown key 'below'",
    ):
        assert needle in text


@pytest.fixture(scope="module")
def constrained(small_candidates):
    from siting.pipeline import run_scenario
    from siting.scenario import load_scenario

    base = load_scenario()
    rules = (Constraint("crossing_km", max=600), Constraint("advisory_level", max=3))
    return run_scenario(base, candidates=small_candidates, rank_ranges=False), run_scenario(
        dataclasses.replace(base, constraints=rules), candidates=small_candidates, rank_ranges=False
    )


def test_run_keeps_excluded_sites_marked_and_unranked(constrained):
    plain, result = constrained
    r = result.ranking.set_index("name")
    raw = plain.ranking.set_index("name")
    breaks = (raw["crossing_km"] > 600) | (raw["advisory_level"] > 3)
    assert set(r.index[r["excluded"]]) == set(raw.index[breaks])
    assert breaks.sum() >= 2 and (~breaks).sum() >= 3  # the fixture exercises both
    assert r.loc["Mérida", "excluded_by"] == "crossing_km <= 600"
    assert r.loc[r["excluded"], "rank"].isna().all()
    eligible = r[~r["excluded"]]
    assert sorted(eligible["rank"].astype(int)) == list(range(1, len(eligible) + 1))
    # excluded rows come last; scores are shown for reference, within 0-100
    assert result.ranking["excluded"].tolist() == sorted(result.ranking["excluded"])
    assert result.ranking["score"].between(0, 100).all()
    assert any("excluded by constraints" in n for n in result.notes)


def test_normalization_uses_only_eligible_sites(constrained):
    _, result = constrained
    r = result.ranking
    ok = r[~r["excluded"]]
    for crit in ("crossing_drive_min", "crossing_access"):  # min-max criteria
        # the eligible sites span the full 0-1 range on their own
        assert ok[f"norm_{crit}"].min() == pytest.approx(0.0)
        assert ok[f"norm_{crit}"].max() == pytest.approx(1.0)
    worst_ok = ok["crossing_drive_min"].max()
    far = r[r["crossing_drive_min"] > worst_ok]
    assert len(far) > 0
    assert (far["norm_crossing_drive_min"] == 0.0).all()  # clipped, not negative


def test_outputs_write_excluded_sites_with_empty_rank(constrained, tmp_path):
    """End to end through ranking.csv and the maps (which draw excluded sites grey)."""
    from siting.outputs import write_outputs

    _, result = constrained
    write_outputs(result, tmp_path)
    df = pd.read_csv(tmp_path / "ranking.csv", dtype={"rank": "string"})
    excluded = df["excluded"].astype(bool)
    assert df.loc[excluded, "rank"].isna().all()
    assert df.loc[~excluded, "rank"].tolist() == [str(i) for i in range(1, (~excluded).sum() + 1)]
    assert (df.loc[excluded, "excluded_by"].str.len() > 0).all()
