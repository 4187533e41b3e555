"""Scenario files: the default loads; mistakes give clear messages naming the key."""

from __future__ import annotations

import pytest

from siting import ScenarioError, load_scenario, parse_scenario
from siting.scenario import default_scenario_path


def test_default_scenario_is_valid():
    sc = load_scenario()
    assert sc.name == "default"
    assert sum(sc.weights.values()) == pytest.approx(1.0)
    assert sc.candidates.source == "default"
    assert sc.path == str(default_scenario_path())


def test_weights_are_rescaled_to_sum_to_one():
    sc = parse_scenario({"weights": {"crossing_km": 3, "labor_pool": 1}})
    assert sc.weights == {"crossing_km": 0.75, "labor_pool": 0.25}


def test_unknown_criterion_is_named(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[weights]\ncrossing_km = 1\ndistance_to_moon = 2\n")
    with pytest.raises(ScenarioError, match="unknown criterion 'distance_to_moon'") as err:
        load_scenario(path)
    assert "crossing_km" in str(err.value)  # lists the expected names
    assert str(path) in str(err.value)


def test_negative_weight_is_refused():
    with pytest.raises(
        ScenarioError, match=r"\[weights\] labor_pool is -1.0; expected a non-negative number"
    ):
        parse_scenario({"weights": {"crossing_km": 1, "labor_pool": -1.0}})


def test_all_zero_weights_are_refused():
    with pytest.raises(ScenarioError, match="all weights are zero"):
        parse_scenario({"weights": {"crossing_km": 0, "labor_pool": 0}})


def test_missing_scenario_file():
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario("/nonexistent/plan.toml")


def test_invalid_toml_is_reported(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[weights\ncrossing_km = 1\n")
    with pytest.raises(ScenarioError, match="is not valid TOML"):
        load_scenario(path)


def test_every_problem_is_reported_together(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        "[weights]\nfoo = 1\nlabor_pool = -2\n"
        "[parameters]\nlabor_radius_km = 0\n"
        "[candidates]\nsource = 'missing.csv'\n"
        "[outptu]\nfolder = 'x'\n"
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    problems = err.value.problems
    assert len(problems) == 5, problems
    text = str(err.value)
    for needle in ("unknown section [outptu]", "unknown criterion 'foo'", "labor_pool is -2",
                   "labor_radius_km is 0", "missing.csv"):
        assert needle in text


def test_candidate_source_is_relative_to_the_scenario(tmp_path, candidates_csv):
    path = tmp_path / "s.toml"
    path.write_text(f"[weights]\ncrossing_km = 1\n[candidates]\nsource = '{candidates_csv.name}'\n")
    sc = load_scenario(path)
    assert sc.candidates.source == str(candidates_csv.resolve())
