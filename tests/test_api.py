"""The Python API analysts use in notebooks: ``siting.run`` and what its result offers."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import textwrap

import folium
import numpy as np
import pytest
from matplotlib.figure import Figure

import siting
from siting import layers
from siting.criterion import CRITERIA, Criterion, register_criterion, unregister_criterion
from siting.maps import save_map
from siting.result import CriterionWeight, NetworkInfo, RunResult, Stability

FOLIUM_ID = re.compile(r"_[0-9a-f]{32}(?![0-9a-f])")


def _normalized(html: str) -> str:
    ids: dict[str, str] = {}
    return FOLIUM_ID.sub(lambda m: ids.setdefault(m.group(0), f"_id{len(ids)}"), html)


#: Weights of the quick straight-line runs (the default weights are network criteria).
STRAIGHT = {"network": "straight-line", "weights": {"crossing_km": 2, "labor_pool": 1}}


@pytest.fixture(scope="module")
def straight(small_candidates) -> RunResult:
    """A quick run: straight-line distances, no weight draws."""
    return siting.run(candidates=small_candidates, rank_ranges=False, **STRAIGHT)


def test_run_takes_none_a_path_or_a_scenario(small_candidates):
    from_default = siting.run(candidates=small_candidates, rank_ranges=False)
    path = siting.scenario.default_scenario_path()
    from_path = siting.run(str(path), small_candidates, rank_ranges=False)
    from_object = siting.run(siting.load_scenario(path), small_candidates, rank_ranges=False)
    for other in (from_path, from_object):
        assert other.ranking.drop(columns="geometry").equals(
            from_default.ranking.drop(columns="geometry")
        )
    assert isinstance(from_default.network, NetworkInfo) and from_default.network.nodes > 80_000
    assert from_default.stability is None and from_default.top_k is None


def test_run_refuses_what_is_not_a_scenario_or_candidates():
    with pytest.raises(TypeError, match="`scenario` was a dict"):
        siting.run({"weights": {}})
    with pytest.raises(TypeError, match="`candidates` was a list"):
        siting.run(candidates=[(-100.3, 25.7)])
    with pytest.raises(TypeError, match="siting.run\\(\\) also takes a path"):
        siting.run_scenario("siting/data/default.toml")


def test_candidates_given_as_a_geodataframe_are_checked(small_candidates):
    bare = small_candidates[["name", "geometry"]]  # no `source`: filled in
    result = siting.run(candidates=bare, rank_ranges=False, **STRAIGHT)
    assert (result.ranking["source"] == "user").all()
    twice = small_candidates.assign(name="Saltillo")
    with pytest.raises(siting.InputError, match="name 'Saltillo' repeats"):
        siting.run(candidates=twice, **STRAIGHT)
    swapped = small_candidates.set_geometry(
        small_candidates.geometry.map(lambda p: type(p)(p.y, p.x))
    )
    with pytest.raises(siting.InputError, match=r"row 0 \('Monterrey'\).*outside Mexico"):
        siting.run(candidates=swapped, **STRAIGHT)


def test_overrides_are_validated_like_a_file(small_candidates):
    with pytest.raises(siting.ScenarioError, match=r"unknown section \[colour\]"):
        siting.run(candidates=small_candidates, colour="red")
    with pytest.raises(siting.ScenarioError, match="unknown criterion 'beaches'"):
        siting.run(candidates=small_candidates, weights={"beaches": 1})


def test_overrides_refuse_a_scenario_changed_in_code(small_candidates):
    changed = dataclasses.replace(siting.load_scenario(), aggregation="topsis")
    with pytest.raises(ValueError, match="changed after it was read"):
        siting.run(changed, small_candidates, parameters={"commute_min": 60})
    parsed = siting.with_overrides(siting.load_scenario(), aggregation="topsis")
    assert siting.with_overrides(parsed, parameters={"commute_min": 60}).aggregation == "topsis"


def test_overrides_change_the_run(straight, small_candidates):
    topsis = siting.run(
        candidates=small_candidates,
        network="straight-line",
        aggregation="topsis",
        weights={"labor_pool": 1},
        rank_ranges=False,
    )
    assert topsis.scenario.aggregation == "topsis"
    assert [c.name for c in topsis.criteria] == ["labor_pool"]
    # one benefit criterion: the ranking is the labour pool's order
    expected = straight.ranking.sort_values("labor_pool", ascending=False)["name"].tolist()
    assert topsis.ranking["name"].tolist() == expected


def test_candidates_from_a_file_are_recorded(candidates_csv):
    result = siting.run(candidates=candidates_csv, rank_ranges=False, **STRAIGHT)
    assert len(result.ranking) == 8
    assert result.scenario.candidates.source == str(candidates_csv.resolve())


def test_result_is_typed(straight):
    assert all(isinstance(c, CriterionWeight) for c in straight.criteria)
    assert sum(c.weight for c in straight.criteria) == pytest.approx(1.0)
    assert straight.network.straight_line
    assert straight.network.as_dict() == {"source": "straight-line"}
    assert [(c.name, c.weight) for c in straight.criteria] == [
        ("crossing_km", pytest.approx(2 / 3)),
        ("labor_pool", pytest.approx(1 / 3)),
    ]


@pytest.mark.slow
def test_explore_is_the_map_that_write_saves(tmp_path, small_candidates):
    result = siting.run(candidates=small_candidates, **STRAIGHT)
    assert isinstance(result.stability, Stability) and result.top_k == 10
    fmap = result.explore()
    assert isinstance(fmap, folium.Map)
    paths = result.write(tmp_path, offline_map=False)
    saved = paths["map.html"].read_text(encoding="utf-8")
    save_map(fmap, tmp_path / "explore.html", offline=False)
    explored = (tmp_path / "explore.html").read_text(encoding="utf-8")
    assert _normalized(explored) == _normalized(saved)
    assert sorted(p.name for p in paths.values()) == sorted(
        ["ranking.csv", "sites.geojson", "map.html", "map.png", "map.pdf", "run.json"]
    )


def test_plot_returns_the_static_figure(straight):
    fig = straight.plot()
    assert isinstance(fig, Figure)
    assert fig.get_size_inches().tolist() == [11.0, 8.5]  # Letter landscape, as map.png


def test_repr_html_shows_the_top_and_escapes_names(small_candidates):
    sites = small_candidates.copy()
    sites.loc[0, "name"] = "<b>Monterrey</b> & co"
    result = siting.run(candidates=sites, rank_ranges=False, **STRAIGHT)
    shown = result._repr_html_()
    assert "&lt;b&gt;Monterrey&lt;/b&gt; &amp; co" in shown and "<b>Monterrey</b>" not in shown
    assert shown.count("<tr") == 1 + 8  # header + every site (fewer than 10)


def test_sensitivity_and_compare_from_the_result(straight):
    sens = straight.sensitivity(draws=50, seed=3)
    assert sens.summary["draws"] == 50 and len(sens.table) == 8
    table = straight.compare(["Saltillo", "monterrey"], draws=20)
    assert list(table.columns[2:]) == ["Saltillo", "Monterrey"]
    with pytest.raises(siting.InputError, match="no candidate named 'Atlantis'"):
        straight.compare(["Atlantis"])


def test_a_criterion_registered_from_outside_is_measured_weighted_and_ranked(small_candidates):
    airports = layers.transport.airports()

    def airport_km(ctx):
        from scipy.spatial import cKDTree

        from siting.measure import metric_xy

        return cKDTree(metric_xy(airports)).query(ctx.xy)[0] / 1000.0

    crit = Criterion(
        key="airport_km",
        direction="cost",
        unit="km",
        label={"en": "Distance to airport", "es": "Distancia al aeropuerto"},
        description={"en": "Straight line to the nearest airport.", "es": "Al aeropuerto."},
        straight=airport_km,
    )
    register_criterion(crit)
    try:
        result = siting.run(
            candidates=small_candidates,
            network="straight-line",
            weights={"airport_km": 1},
            rank_ranges=False,
        )
        ranking = result.ranking
        assert result.criteria[0].label == "Distance to airport"
        # a single cost criterion: the nearest site to an airport is first, the farthest last
        assert ranking["airport_km"].is_monotonic_increasing
        assert ranking["score"].iloc[0] == 100 and ranking["score"].iloc[-1] == 0
        np.testing.assert_allclose(ranking["contrib_airport_km"], ranking["score"])
        with pytest.raises(ValueError, match="already registered"):
            register_criterion(crit)
    finally:
        unregister_criterion("airport_km")
    assert "airport_km" not in CRITERIA


def test_a_criterion_must_say_how_it_is_measured_in_both_languages():
    with pytest.raises(ValueError, match=r"`label` lacks the language\(s\) \['es'\]"):
        Criterion("x", "cost", "km", label={"en": "X"}, description={"en": "x", "es": "x"},
                  straight=len)  # fmt: skip
    with pytest.raises(ValueError, match="give `straight`, `network` or both"):
        Criterion("x", "cost", "km", label={"en": "X", "es": "X"},
                  description={"en": "x", "es": "x"})  # fmt: skip


def test_every_builtin_criterion_has_both_languages_and_a_measure():
    for c in CRITERIA.values():
        assert c.label_in("en") and c.label_in("es") and c.description_in("es")
        assert c.straight is not None or c.network is not None
        assert (c.alternative is not None) == c.needs_network


def test_unrelated_top_level_packages_named_layers_or_maps_do_not_collide(tmp_path):
    # Installed packages are found through sys.path; put packages called `layers` and `maps`
    # (as other PyPI projects are) ahead of everything and import siting next to them.
    for name in ("layers", "maps"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(f'WHO = "the other {name}"\n')
    code = textwrap.dedent(
        """
        import layers, maps, siting
        import siting.layers, siting.maps
        assert layers.WHO == "the other layers" and maps.WHO == "the other maps", (layers, maps)
        assert siting.layers.crossings.commercial_crossings().shape[0] > 10
        assert callable(siting.maps.interactive_map) and callable(siting.maps.static_map)
        print("ok")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
