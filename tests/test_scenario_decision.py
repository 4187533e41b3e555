"""Scenario keys of the decision-science features: parsed, validated together, and run."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from siting import ScenarioError, load_scenario, parse_scenario
from siting.constraints import Constraint
from siting.criteria import default_set

AHP_SCENARIO = """
[weights]
method = "ahp"

[ahp]
criteria = ["crossing_km", "labor_pool", "homicide_rate"]
matrix = [
  [1,     3,     5],
  ["1/3", 1,     2],
  ["1/5", "1/2", 1],
]

[value_functions.advisory_level]
type = "categorical"
map = {"1" = 1.0, "2" = 0.8, "3" = 0.4, "4" = 0.0}

[value_functions.crossing_km]
type = "threshold"
full = 100
zero = 1200

[aggregation]
method = "topsis"

[[constraints]]
criterion = "crossing_km"
max = 900

[[constraints]]
criterion = "labor_pool"
min = 100000

[sensitivity]
draws = 200
seed = 7
concentration = 30
top_k = 5
"""


def test_full_decision_scenario_parses(tmp_path):
    path = tmp_path / "ahp.toml"
    path.write_text(AHP_SCENARIO, encoding="utf-8")
    sc = load_scenario(path)
    assert sc.weight_method == "ahp"
    assert list(sc.weights) == ["crossing_km", "labor_pool", "homicide_rate"]
    assert sum(sc.weights.values()) == pytest.approx(1.0)
    assert sc.weights["crossing_km"] > sc.weights["labor_pool"] > sc.weights["homicide_rate"]
    assert sc.weight_details["consistency_ratio"] < 0.10
    assert sc.value_functions["advisory_level"].kind == "categorical"
    assert sc.aggregation == "topsis"
    assert sc.constraints == (
        Constraint("crossing_km", max=900.0),
        Constraint("labor_pool", min=100000.0),
    )
    assert (sc.sensitivity.draws, sc.sensitivity.seed, sc.sensitivity.top_k) == (200, 7, 5)
    rec = sc.resolved()
    assert rec["weight_method"]["method"] == "ahp" and rec["aggregation"] == {"method": "topsis"}
    assert rec["constraints"][1] == {"criterion": "labor_pool", "min": 100000.0}


def test_rank_order_and_objective_methods():
    sc = parse_scenario(
        {"weights": {"method": "roc", "order": ["labor_pool", "crossing_km", "seaport_km"]}}
    )
    np.testing.assert_allclose(list(sc.weights.values()), [11 / 18, 5 / 18, 2 / 18])
    assert list(sc.weights) == ["labor_pool", "crossing_km", "seaport_km"]
    sc = parse_scenario({"weights": {"method": "rank_sum", "order": ["labor_pool", "crossing_km"]}})
    assert sc.weights == pytest.approx({"labor_pool": 2 / 3, "crossing_km": 1 / 3})
    sc = parse_scenario({"weights": {"method": "entropy"}})
    assert list(sc.weights) == list(default_set("network"))  # computed at run time
    sc = parse_scenario({"weights": {"method": "critic"}, "network": {"source": "straight-line"}})
    assert list(sc.weights) == list(default_set("straight-line"))


def test_every_problem_is_reported_together():
    data = {
        "weights": {"method": "ahp", "crossing_km": 1},
        "ahp": {
            "criteria": ["crossing_km", "labor_pool", "moon"],
            "matrix": [[1, 2], [0.5, 1], [1, 1]],
        },
        "value_functions": {
            "crossing_km": {"type": "target", "target": 1},
            "sun_km": {"type": "linear"},
        },
        "aggregation": {"method": "vikor"},
        "constraints": [{"criterion": "labor_pool", "min": "lots"}],
        "sensitivity": {"draws": 0, "concentration": -1},
    }
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data, path="s.toml")
    text = str(err.value)
    for needle in (
        "[weights] key 'crossing_km' is not used with method = 'ahp'",
        "[ahp] criteria has unknown criteria ['moon']",
        "[ahp] matrix must be square",
        "[value_functions.crossing_km] type 'target' needs key 'width'",
        "[value_functions.sun_km] unknown criterion 'sun_km'",
        "[aggregation] method is 'vikor'; expected one of "
        "['weighted_sum', 'weighted_product', 'topsis']",
        "[[constraints]] #1 min is 'lots'; expected a finite number",
        "[sensitivity] draws is 0; expected a whole number of draws in 1..100000",
        "[sensitivity] concentration is -1; expected a positive number",
    ):
        assert needle in text, needle
    assert len(err.value.problems) == 9, err.value.problems


def test_non_reciprocal_and_inconsistent_ahp_matrices():
    base = {"weights": {"method": "ahp"}}
    crits = ["crossing_km", "labor_pool", "homicide_rate"]
    with pytest.raises(ScenarioError, match=r"\(1,2\) = 3 and \(2,1\) = 3 are not reciprocal"):
        parse_scenario(
            {**base, "ahp": {"criteria": crits, "matrix": [[1, 3, 1], [3, 1, 1], [1, 1, 1]]}}
        )
    # crossing 5x labour, labour 5x homicide, but homicide 3x crossing: a cycle
    bad = [[1, 5, "1/3"], ["1/5", 1, 5], [3, "1/5", 1]]
    with pytest.raises(ScenarioError, match=r"consistency ratio .* exceeds 0\.10") as err:
        parse_scenario({**base, "ahp": {"criteria": crits, "matrix": bad}})
    assert "most inconsistent judgment is" in str(err.value)
    assert "(row " in str(err.value)
    with pytest.raises(ScenarioError, match=r"\[weights\] method = \"ahp\" needs an \[ahp\] table"):
        parse_scenario(base)


def test_weights_negative_or_zero_still_refused():
    with pytest.raises(ScenarioError, match="all weights are zero"):
        parse_scenario({"weights": {"method": "direct", "crossing_km": 0}})
    with pytest.raises(ScenarioError, match="crossing_km is -1"):
        parse_scenario({"weights": {"crossing_km": -1, "labor_pool": 1}})


@pytest.fixture(scope="module")
def default_runs(small_candidates):
    from siting.pipeline import run_scenario

    base = load_scenario()
    return {
        m: run_scenario(
            dataclasses.replace(base, aggregation=m), candidates=small_candidates, rank_ranges=False
        )
        for m in ("weighted_sum", "weighted_product", "topsis")
    }


def test_default_scenario_runs_with_each_aggregation_method(default_runs):
    scores = {}
    for method, res in default_runs.items():
        r = res.ranking
        assert r["score"].between(0, 100).all()
        contrib = r.filter(like="contrib_").sum(axis=1)
        np.testing.assert_allclose(contrib, r["score"], atol=1e-9)
        assert r["rank"].tolist() == sorted(r["rank"])
        scores[method] = r.set_index("name")["score"]
    # the methods differ (else the option would be decoration)
    assert not np.allclose(
        scores["weighted_sum"], scores["topsis"].reindex(scores["weighted_sum"].index)
    )


def test_ahp_scenario_runs_end_to_end(tmp_path, small_candidates):
    from siting.pipeline import run_scenario

    path = tmp_path / "ahp.toml"
    path.write_text(AHP_SCENARIO, encoding="utf-8")
    res = run_scenario(load_scenario(path), candidates=small_candidates, rank_ranges=False)
    r = res.ranking.set_index("name")
    assert r.loc["Mérida", "excluded"] and r.loc["Mérida", "excluded_by"] == "crossing_km <= 900"
    assert not r.loc["Monterrey", "excluded"]
    # threshold: Tijuana is within 100 km of a crossing -> full value
    assert r.loc["Tijuana", "norm_crossing_km"] == 1.0
    assert [c.name for c in res.criteria] == ["crossing_km", "labor_pool", "homicide_rate"]


def test_entropy_weights_are_computed_from_the_data(small_candidates):
    from siting.pipeline import run_scenario

    sc = parse_scenario(
        {
            "weights": {
                "method": "entropy",
                "criteria": ["crossing_km", "labor_pool", "homicide_rate"],
            }
        }
    )
    res = run_scenario(sc, candidates=small_candidates, rank_ranges=False)
    w = {c.name: c.weight for c in res.criteria}
    assert sum(w.values()) == pytest.approx(1.0)
    assert len(set(np.round(list(w.values()), 6))) == 3  # not the equal placeholders
    assert res.scenario.weights == w  # the run record shows the computed weights


def test_documented_complete_example_runs(small_candidates, tmp_path):
    """The 'complete example' of docs/scenario.md parses and runs: the docs cannot rot."""
    import re
    import tomllib
    from pathlib import Path

    from siting.pipeline import run_scenario

    doc = (Path(__file__).parents[1] / "docs" / "scenario.md").read_text(encoding="utf-8")
    example = doc.split("## A complete example", 1)[1]
    toml = re.search(r"```toml\n(.*?)```", example, re.S).group(1)
    sc = parse_scenario(tomllib.loads(toml), path=str(tmp_path / "example.toml"))
    assert sc.weight_details["consistency_ratio"] < 0.10
    assert sc.params.commute_min == 60
    result = run_scenario(sc, candidates=small_candidates, rank_ranges=False)
    r = result.ranking.set_index("name")
    # Mérida is ~28 h by truck from the nearest crossing: excluded by the 10 h rule
    assert r.loc["Mérida", "excluded"] and r.loc["Mérida", "excluded_by"] == "crossing_drive_min <= 600"
    assert not r.loc["Monterrey", "excluded"]
    ranked = r[r["rank"].notna()]
    assert (ranked["crossing_drive_min"] <= 600).all()
    np.testing.assert_allclose(ranked.filter(like="contrib_").sum(axis=1), ranked["score"])
