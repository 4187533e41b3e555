"""The interactive map's Python side: input checks, the page data, the rendered page, saving.

What the page does with its data (scores, table, exports, languages) is tested in Chromium
(``tests/test_browser.py``) and with Node (``tests/js``, ``tests/test_map_scoring.py``).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import tomllib

import numpy as np
import pandas as pd
import pytest

from siting.maps import interactive_map, save_map
from siting.maps._offline import external_references
from siting.maps.interactive import (
    WHY_ALL_MAX,
    WHY_TOP,
    render_page,
    why_sites,
)
from siting.maps.interactive.data import page_data
from siting.maps.text import PAGE_TEXT
from tests._maps_fixtures import HOSTILE_NAME, MAX_CROSSING_KM, TEMPLATE_NAME, make_run

#: Names that Jinja would run if they reached a template (folium renders scripts twice).
JINJA_NAMES = ["{{ 7*7 }}", "{% raw %}x{% endraw %}", "{# c #}{{{x}}}"]


@pytest.fixture(scope="module")
def run():
    return make_run(12)


@pytest.fixture(scope="module")
def data(run):
    return page_data(run, lang="es")


def _embedded(page: str) -> dict:
    """Return the data object the page passes to sitingApp.install."""
    assert len(re.findall(r"sitingApp\.install\(map_\w+, JSON\.parse", page)) == 1
    found = re.findall(r'<script type="application/json" id="siting-data">(.*?)</script>', page)
    assert len(found) == 1, "the page must hold its data once"
    return json.loads(found[0])


def test_refuses_what_is_not_a_run_and_lists_every_problem(run):
    with pytest.raises(TypeError, match="RunResult"):
        interactive_map(run.ranking)
    broken = dataclasses.replace(
        run, ranking=run.ranking.drop(columns=["state", "labor_force"]), layers={"rivers": None}
    )
    with pytest.raises(ValueError, match=r"state.*labor_force|labor_force.*state") as err:
        interactive_map(broken)
    assert "rivers" in str(err.value)
    with pytest.raises(ValueError, match="lang"):
        interactive_map(run, lang="fr")


def test_page_data_has_one_entry_per_site_for_every_column(run, data):
    sites = data["sites"]
    n = len(run.ranking)
    assert sites["n"] == n
    for key, value in sites.items():
        if isinstance(value, list):
            assert len(value) == n, key
    assert set(sites["raw"]) == {c.name for c in run.criteria}
    for values in sites["raw"].values():
        assert len(values) == n
    assert sites["name"] == run.ranking["name"].tolist()
    assert data["lang"] == "es"
    json.dumps(data, allow_nan=False)  # no NaN or infinity anywhere


def test_eligibility_and_exclusion_rules_follow_the_run(run, data):
    sites = data["sites"]
    excluded = run.ranking["excluded"].to_numpy(dtype=bool)
    assert sites["eligible"] == [int(not e) for e in excluded]
    rule = f"crossing_km <= {MAX_CROSSING_KM}"
    assert [r == rule for r in sites["rule"]] == excluded.tolist()
    score = run.ranking["score"].to_numpy(dtype=float)
    assert np.allclose(np.array(sites["run_score"], dtype=float), score, equal_nan=True)


def test_infinite_and_missing_values_become_null(run):
    ranking = run.ranking.copy()
    ranking.loc[3, "crossing_drive_min"] = math.inf
    ranking.loc[4, "homicide_rate"] = np.nan
    data = page_data(dataclasses.replace(run, ranking=ranking))
    raw = data["sites"]["raw"]
    assert raw["crossing_drive_min"][3] is None and raw["homicide_rate"][4] is None
    assert raw["crossing_drive_min"][2] == pytest.approx(ranking.loc[2, "crossing_drive_min"])


def test_criteria_carry_both_languages_their_value_function_and_weight(run, data):
    by_name = {c["name"]: c for c in data["criteria"]}
    assert list(by_name) == [c.name for c in run.criteria]
    for crit in run.criteria:
        entry = by_name[crit.name]
        assert entry["weight"] == pytest.approx(crit.weight)
        assert entry["label"]["en"] and entry["label"]["es"]
        assert entry["label"]["en"] != entry["label"]["es"] or crit.name == "route_risk"
    # labour saturates at 1,000,000 people by default: a threshold, which has no direction
    assert by_name["labor_force"]["vf"]["type"] == "threshold"
    assert by_name["labor_force"]["flippable"] is False
    assert by_name["homicide_rate"]["flippable"] is True


def test_the_page_text_table_has_both_languages_with_the_same_placeholders():
    from string import Formatter

    en, es = PAGE_TEXT["en"], PAGE_TEXT["es"]
    assert set(en) == set(es)
    fields = lambda t: sorted(f for _, f, _, _ in Formatter().parse(t) if f)  # noqa: E731
    for key in en:
        assert fields(en[key]) == fields(es[key]), key
    every_key = set(re.findall(r'\bt\("(\w+)"\)', _assets_text()))
    assert every_key - set(en) == set(), "the page's script uses keys missing from PAGE_TEXT"


def _assets_text() -> str:
    from siting.maps.interactive.resources import asset_text

    return asset_text("app.js") + asset_text("context.js")


def test_toml_base_keeps_the_other_sections_and_leaves_the_pages_to_it(run, data):
    base = tomllib.loads(data["toml"]["base"])
    assert "weights" not in base and "aggregation" not in base
    assert "value_functions" not in base
    assert base["constraints"] == [{"criterion": "crossing_km", "max": MAX_CROSSING_KM}]
    assert base["parameters"]["commute_min"] == run.scenario.params.commute_min
    assert data["toml"]["candidates_given"] is True  # the fixture ranks its own parks
    tables = data["toml"]["value_functions"]["homicide_rate"]["tables"]
    assert tomllib.loads(tables["benefit"]) == {"type": "linear", "direction": "benefit"}


def test_rendered_page_sets_language_title_and_loads_nothing(run, tmp_path):
    m = interactive_map(run, lang="es", title='Sitios <b>"A&B"</b>')
    page = render_page(m)
    assert page.startswith('<!DOCTYPE html>\n<html lang="es">')
    assert "<title>Sitios &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;</title>" in page
    assert external_references(page) == []
    path = save_map(m, tmp_path / "map.html")
    assert path.read_text(encoding="utf-8") == page
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_hostile_and_template_names_reach_the_page_only_as_data(run):
    ranking = run.ranking.copy()
    ranking.loc[3:5, "name"] = JINJA_NAMES
    page = render_page(interactive_map(dataclasses.replace(run, ranking=ranking), why=False))
    data = _embedded(page)
    assert data["sites"]["name"] == ranking["name"].tolist()
    assert HOSTILE_NAME in data["sites"]["name"] and TEMPLATE_NAME in data["sites"]["name"]
    # the markup never holds a name: no tag from a name, no template evaluated
    assert "<script>alert(1)" not in page and "49" not in json.dumps(data["sites"]["name"])


def test_save_map_needs_an_existing_folder_and_leaves_nothing_behind(run, tmp_path):
    m = interactive_map(run, why=False)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        save_map(m, tmp_path / "missing" / "map.html")
    assert list(tmp_path.iterdir()) == []


def test_routes_and_commute_areas_for_every_reachable_site_of_a_small_run(run, data):
    assert data["why"] == {}  # page_data embeds what it is given; interactive_map computes them
    chosen = why_sites(run)
    reachable = run.ranking["reachable"].to_numpy(dtype=bool)
    assert chosen == [int(i) for i in np.flatnonzero(reachable)]
    page = _embedded(render_page(interactive_map(run)))
    entries = page["why"]["sites"]
    assert sorted(int(k) for k in entries) == chosen
    first = entries[str(chosen[0])]
    assert first["route"] and first["catchment"]
    assert first["crossing"] == run.ranking["nearest_crossing"].iloc[chosen[0]]


def test_large_runs_get_routes_for_their_best_sites_only(run):
    n = WHY_ALL_MAX + 1
    ranking = pd.concat([run.ranking] * math.ceil(n / len(run.ranking)), ignore_index=True)
    ranking = ranking.head(n).copy()
    ranking["rank"] = np.arange(n, 0, -1, dtype=float)  # the last row is the best
    ranking.loc[n - 1, "reachable"] = False
    chosen = why_sites(dataclasses.replace(run, ranking=ranking))
    assert len(chosen) == WHY_TOP
    assert chosen == sorted(range(n - 1 - WHY_TOP, n - 1))


def test_toml_base_keeps_value_functions_of_criteria_the_page_does_not_weigh():
    from tests._maps_fixtures import run_variant

    run = run_variant(12, value_functions={"labor_pool": {"type": "log"}})
    data = page_data(run)
    assert tomllib.loads(data["toml"]["base"])["value_functions"] == {"labor_pool": {"type": "log"}}
    assert data["toml"]["value_functions"]["homicide_rate"]["in_scenario"] is False


def test_routes_are_reused_by_a_run_with_other_weights_and_redone_for_another_commute(
    tmp_path, monkeypatch
):
    import siting.whyhere
    from siting.layers import settings
    from siting.maps.interactive import context, why_data
    from tests._maps_fixtures import run_variant

    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    monkeypatch.setattr(context, "_TEXTS", {})
    base = make_run(12)
    first = why_data(base)
    by_name = lambda run, why: {  # noqa: E731
        run.ranking["name"].iloc[int(k)]: v for k, v in why["sites"].items()
    }
    calls = []
    real = siting.whyhere.why_here
    monkeypatch.setattr(
        siting.whyhere, "why_here", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    monkeypatch.setattr(context, "_TEXTS", {})  # as in a new process: read from the disk cache
    other = run_variant(12, weights={"labor_force": 1, "crossing_drive_min": 3})
    assert other.ranking["name"].tolist() != base.ranking["name"].tolist()  # ranked otherwise
    assert by_name(other, why_data(other)) == by_name(base, first)
    assert calls == []
    longer = run_variant(12, parameters={**base.scenario.data["parameters"], "commute_min": 90})
    assert by_name(longer, why_data(longer)) != by_name(base, first)
    assert calls == [1]
