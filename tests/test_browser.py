"""The offline map in a real headless browser (Debian Chromium), with the network blocked.

A person's actions are reproduced through the page's own controls (inputs, selects, buttons,
table rows); the page's ``window.sitingView`` is read only to get numbers at full precision.
Nothing here waits for time to pass or for an animation: the page opens at its final view, the
contexts prefer reduced motion (the page then jumps instead of flying to a site), and the tests
wait only for conditions of the page.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
from playwright.sync_api import sync_playwright  # a test dependency: missing is an error

from siting.maps import interactive_map, save_map
from siting.maps.text import PAGE_TEXT
from siting.pipeline import run_scenario
from siting.scenario import load_scenario
from tests._maps_fixtures import (
    HOSTILE_ALIASES,
    HOSTILE_NAME,
    TEMPLATE_NAME,
    _sites,
    make_run,
    run_variant,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOADED = "window.sitingView !== undefined"
EN, ES = PAGE_TEXT["en"], PAGE_TEXT["es"]
#: A scenario the page is set to through its controls (weights in percent, as the inputs take).
OTHER = {
    "weights": {
        "crossing_drive_min": 5, "crossing_access": 25, "labor_force": 5, "min_wage_daily": 15,
        "homicide_rate": 20, "cargo_theft_rate": 0, "advisory_level": 10, "route_risk": 5,
        "seaport_drive_min": 10, "seaport_risk": 5,
    },
    "method": "topsis",
}  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The map of a real run on 12 parks (two hostile names, a constraint excluding two)."""
    run = make_run(12)
    path = save_map(interactive_map(run), tmp_path_factory.mktemp("browser") / "map.html")
    return run, path


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _open(browser, path, viewport=(1280, 800), fragment="", media=None):
    """Return a new page with the saved map, loaded offline, and its context.

    It records requests, page errors, console errors and dialogs (dismissed).
    """
    width, height = viewport
    context = browser.new_context(
        viewport={"width": width, "height": height}, reduced_motion="reduce", accept_downloads=True
    )
    pg = context.new_page()
    pg.requests, pg.errors, pg.console_errors, pg.dialogs = [], [], [], []

    def block(route):
        pg.requests.append(route.request.url)
        route.abort()

    pg.route(lambda url: url.startswith(("http:", "https:")), block)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    if media:
        pg.emulate_media(media=media)
    pg.goto(path.as_uri() + fragment)
    pg.wait_for_function(LOADED)
    return context, pg


@pytest.fixture
def page(browser, saved):
    _, path = saved
    context, pg = _open(browser, path)
    yield pg
    context.close()


def _table_names(page):
    return page.eval_on_selector_all(
        ".siting-table tbody tr .siting-site", "els => els.map(e => e.textContent)"
    )


def _set_weights(page, weights, method, control="input"):
    """Set the page's weights (percent) and method through the weights panel.

    ``control`` is ``"input"`` (type the numbers) or ``"slider"`` (move the range sliders).
    """
    page.click("[data-tab=weights]")
    for name, value in weights.items():
        page.fill(f"[data-criterion={name}] .siting-weight-{control}", str(value))
    page.select_option(".siting-method-select", method)


def _scores(page):
    out = page.evaluate("sitingView.scores()")
    score = np.array([np.nan if s is None else s for s in out["score"]], dtype=float)
    rank = np.array([np.nan if r is None else r for r in out["rank"]], dtype=float)
    return score, rank


def _download(page, selector):
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_loads_offline_with_title_language_and_every_site(page, saved):
    run, _ = saved
    assert page.errors == [] and page.console_errors == [] and page.dialogs == []
    assert page.requests == []  # the offline base map asks for nothing
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == EN["title"]
    drawn = page.evaluate("sitingView.markers.filter(Boolean).length")
    assert drawn == len(run.ranking)
    assert _table_names(page) == run.ranking["name"].tolist()


def test_the_page_opens_with_the_runs_scores(page, saved):
    run, _ = saved
    score, rank = _scores(page)
    assert np.allclose(score, run.ranking["score"].to_numpy(dtype=float), atol=1e-9, equal_nan=True)
    assert np.array_equal(rank, run.ranking["rank"].to_numpy(dtype=float), equal_nan=True)


def test_moving_the_sliders_reproduces_another_scenarios_run(page, saved):
    run, _ = saved
    _set_weights(page, OTHER["weights"], OTHER["method"], control="slider")
    sliders = page.eval_on_selector_all(
        ".siting-weight-slider", "els => els.map(e => Number(e.value))"
    )
    numbers = page.eval_on_selector_all(
        ".siting-weight-input", "els => els.map(e => Number(e.value))"
    )
    assert sliders == numbers == list(OTHER["weights"].values())
    other = (
        run_variant(12, weights=OTHER["weights"], aggregation={"method": OTHER["method"]})
        .ranking.set_index("name")
        .loc[run.ranking["name"]]
    )
    score, rank = _scores(page)
    assert np.allclose(score, other["score"].to_numpy(dtype=float), atol=1e-9, equal_nan=True)
    assert np.array_equal(rank, other["rank"].to_numpy(dtype=float), equal_nan=True)
    assert not np.allclose(score, run.ranking["score"].to_numpy(dtype=float), equal_nan=True)
    # the table follows: ranked sites in the other run's order
    page.click("[data-tab=ranking]")
    ranked = other[other["rank"].notna()].sort_values(["rank"], kind="stable")
    assert _table_names(page)[: len(ranked)] == ranked.index.tolist()
    # and the method's name in the subtitle
    assert EN["method_topsis"] in page.text_content(".siting-sub")


def test_all_weights_zero_is_refused_and_the_last_ranking_stays(page):
    names = list(OTHER["weights"])
    _set_weights(page, dict.fromkeys(names[:-1], 0), "weighted_sum")
    assert page.text_content(".siting-weight-message") == ""
    before = _scores(page)  # one criterion left: a valid ranking
    _set_weights(page, {names[-1]: 0}, "weighted_sum")
    assert page.text_content(".siting-weight-message") == EN["weights_zero"]
    after = _scores(page)
    assert np.array_equal(before[1], after[1], equal_nan=True)
    assert np.array_equal(before[0], after[0], equal_nan=True)


def test_search_filter_and_sort_the_table_and_the_map(page, saved):
    run, _ = saved
    names = run.ranking["name"]
    page.fill(".siting-search", "reynosa")
    expected = [n for n in names if "reynosa" in n.lower()]
    assert _table_names(page) == expected
    visible = page.evaluate("sitingView.visible()")
    assert [names[i] for i, v in enumerate(visible) if v] == expected
    page.click(".siting-filter-reset")
    state = "Tamaulipas"
    page.select_option(".siting-filter-state", state)
    assert _table_names(page) == names[run.ranking["state"] == state].tolist()
    page.click(".siting-filter-reset")
    page.fill(".siting-filter-min", "60")
    scores = run.ranking["score"]
    assert _table_names(page) == names[(scores >= 60) & run.ranking["rank"].notna()].tolist()
    page.click(".siting-filter-reset")
    page.click("[data-sort=name]")
    shown = _table_names(page)
    assert shown == sorted(shown, key=lambda s: s.casefold()) or len(set(shown)) == len(names)
    page.click("[data-sort=score]")  # highest first
    ranked = run.ranking.dropna(subset=["score"]).sort_values("score", ascending=False)
    assert _table_names(page)[:3] == ranked["name"].head(3).tolist()


def test_clicking_a_row_opens_the_sites_popup_with_its_breakdown(page, saved):
    run, _ = saved
    row = run.ranking.index[run.ranking["name"] == "Parque Industrial Reynosa (Reynosa)"][0]
    page.click(f'.siting-table tr[data-site="{row}"] .siting-site')
    popup = page.wait_for_selector(f'.siting-popup[data-site="{row}"]')
    assert (
        popup.query_selector(".siting-popup-title")
        .text_content()
        .endswith("Parque Industrial Reynosa (Reynosa)")
    )
    cells = popup.query_selector_all(".siting-breakdown tbody tr")
    assert len(cells) == len(run.criteria)
    assert page.get_attribute(f'.siting-table tr[data-site="{row}"]', "class").count(
        "siting-current"
    )
    assert parse_qs(page.evaluate("location.hash.slice(1)"))["site"] == [str(row)]


def test_hostile_names_stay_inert_text_everywhere(page, saved):
    run, _ = saved
    names = _table_names(page)
    assert HOSTILE_NAME in names and TEMPLATE_NAME in names
    hostile = int(run.ranking.index[run.ranking["name"] == HOSTILE_NAME][0])
    page.click(f'.siting-table tr[data-site="{hostile}"] .siting-site')
    page.wait_for_selector(f'.siting-popup[data-site="{hostile}"]')
    assert HOSTILE_NAME in page.text_content(".siting-popup-title")
    page.click(".siting-shortlist-toggle")
    aliased = int(run.ranking.index[run.ranking["aliases"] == HOSTILE_ALIASES][0])
    page.click(f'.siting-table tr[data-site="{aliased}"] .siting-site')
    assert HOSTILE_ALIASES in page.text_content(".siting-popup-aliases")
    page.click("[data-tab=shortlist]")
    assert HOSTILE_NAME in page.text_content(".siting-compare-table thead")
    # nothing ran: no dialog, no element made from a name
    assert page.dialogs == [] and page.errors == []
    assert (
        page.evaluate(
            "document.querySelectorAll("
            "'.siting-side script, .leaflet-pane script, img[src=x]').length"
        )
        == 0
    )
    name, body = _download(page, ".siting-export-shortlist")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert name == "map-shortlist.csv" and rows[0]["name"] == HOSTILE_NAME


def test_shortlist_compares_sites_and_exports_them(page, saved):
    run, _ = saved
    ids = [int(i) for i in run.ranking.index[:3]]
    for i in ids:
        page.click(f'.siting-table tr[data-site="{i}"] .siting-site')
        page.wait_for_selector(f'.siting-popup[data-site="{i}"]')
        page.click(".siting-shortlist-toggle")
        assert page.get_attribute(".siting-shortlist-toggle", "aria-pressed") == "true"
    page.click("[data-tab=shortlist]")
    heads = page.eval_on_selector_all(
        ".siting-compare-table thead th[data-site]", "els => els.map(e => Number(e.dataset.site))"
    )
    assert heads == ids
    # drop the middle one from its column
    page.click(f'.siting-compare-table th[data-site="{ids[1]}"] .siting-compare-drop')
    _, body = _download(page, ".siting-export-shortlist")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["name"] for r in rows] == run.ranking["name"].iloc[[ids[0], ids[2]]].tolist()
    assert float(rows[0]["score"]) == pytest.approx(run.ranking["score"].iloc[ids[0]], abs=1e-9)


def test_whole_ranking_csv_has_the_pages_scores_at_full_precision(page, saved):
    run, _ = saved
    _set_weights(page, OTHER["weights"], OTHER["method"])
    page.click("[data-tab=shortlist]")
    name, body = _download(page, ".siting-export-ranking")
    assert name == "map-ranking.csv" and body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    score, _ = _scores(page)
    by_name = {r["name"]: r for r in rows}
    assert len(rows) == len(run.ranking)
    for i, site in enumerate(run.ranking["name"]):
        got = by_name[site]["score"]
        assert (got == "" and np.isnan(score[i])) or float(got) == score[i]
    assert [r["rank"] for r in rows[:3]] == ["1", "2", "3"]


def test_exported_toml_reproduces_the_pages_ranking_with_siting_run(page, saved, tmp_path):
    run, _ = saved
    _set_weights(page, OTHER["weights"], OTHER["method"])
    page.click("[data-tab=weights]")
    page.select_option("[data-criterion=min_wage_daily] .siting-weight-direction", "benefit")
    page.click("[data-tab=shortlist]")
    name, body = _download(page, ".siting-export-toml")
    assert name == "map-scenario.toml"
    path = tmp_path / name
    path.write_bytes(body)
    data = tomllib.loads(body.decode("utf-8"))
    assert data["aggregation"]["method"] == "topsis"
    assert data["value_functions"]["min_wage_daily"]["direction"] == "benefit"
    # the run ranked a candidates file: the export says to pass it again
    assert "--candidates" in body.decode("utf-8")
    again = run_scenario(load_scenario(path), candidates=_sites(12).copy(), rank_ranges=False)
    ranked = again.ranking.set_index("name").loc[run.ranking["name"]]
    score, rank = _scores(page)
    assert np.allclose(score, ranked["score"].to_numpy(dtype=float), atol=1e-9, equal_nan=True)
    assert np.array_equal(rank, ranked["rank"].to_numpy(dtype=float), equal_nan=True)


def test_the_link_reopens_the_same_view(browser, saved):
    run, path = saved
    context, page = _open(browser, path)
    _set_weights(page, OTHER["weights"], OTHER["method"])
    page.click("[data-tab=ranking]")
    page.select_option(".siting-filter-state", "Tamaulipas")
    first = int(run.ranking.index[0])
    page.click(f'.siting-table tr[data-site="{first}"] .siting-site')
    page.click(".siting-shortlist-toggle")
    page.click(".siting-lang-es")
    fragment = page.evaluate("location.hash")
    view, names = page.evaluate("sitingView.view()"), _table_names(page)
    scores = _scores(page)
    assert page.input_value(".siting-link-input").endswith(fragment)
    context.close()
    context, again = _open(browser, path, fragment=fragment)
    assert again.evaluate("sitingView.view()") == view
    assert _table_names(again) == names
    assert np.array_equal(_scores(again)[1], scores[1], equal_nan=True)
    assert again.evaluate("document.documentElement.lang") == "es"
    assert again.is_visible(f'.siting-popup[data-site="{first}"]')
    # a damaged link opens the run's view without an error
    context.close()
    context, bad = _open(browser, path, fragment="#w=1,x&m=nope&s=999,abc&lang=fr&site=-1")
    assert bad.errors == [] and bad.evaluate("sitingView.view().method") == "weighted_sum"
    assert bad.evaluate("sitingView.view().shortlist") == []
    context.close()


def test_spanish_and_english_switch_and_spanish_by_default(browser, saved, tmp_path):
    run, path = saved
    context, page = _open(browser, path)
    page.click(".siting-lang-es")
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.text_content("[data-tab=ranking]") == ES["tab_ranking"]
    assert page.text_content(".siting-h1") == ES["title"]
    assert page.get_attribute(".siting-search", "placeholder") == ES["search"]
    page.click("[data-tab=notes]")
    notes = page.eval_on_selector_all(".siting-notes-list li", "els => els.map(e => e.textContent)")
    assert notes == run.notes_in("es")
    page.click(".siting-lang-en")
    assert page.text_content("[data-tab=ranking]") == EN["tab_ranking"]
    context.close()
    es_path = save_map(interactive_map(run, lang="es"), tmp_path / "map.html")
    context, page = _open(browser, es_path)
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.title() == ES["title"]
    # numbers in the Mexican convention: thousands with commas, decimals with a point
    first = int(run.ranking.index[0])
    page.click(f'.siting-table tr[data-site="{first}"] .siting-site')
    text = page.text_content(".siting-breakdown")
    assert re.search(r"\d,\d{3}", text) and re.search(r"\d\.\d", text)
    context.close()


def test_phone_viewport_shows_the_whole_popup_and_its_close_button(browser, saved):
    run, path = saved
    context, page = _open(browser, path, viewport=(390, 844))
    first = int(run.ranking.index[0])
    page.click(f'.siting-table tr[data-site="{first}"] .siting-site')
    page.wait_for_selector(".leaflet-popup")
    box = page.eval_on_selector(
        ".leaflet-popup-content-wrapper", "e => e.getBoundingClientRect().toJSON()"
    )
    close = page.eval_on_selector(
        ".leaflet-popup-close-button", "e => e.getBoundingClientRect().toJSON()"
    )
    assert box["left"] >= 0 and box["right"] <= 390 and box["width"] <= 390
    assert 0 <= close["left"] and close["right"] <= 390 and close["top"] >= 0
    # nothing covers the close button: it is what a tap at its centre reaches
    x, y = close["left"] + close["width"] / 2, close["top"] + close["height"] / 2
    hit = f"document.elementFromPoint({x}, {y}).closest('.leaflet-popup-close-button') !== null"
    assert page.evaluate(hit)
    # the panel is below the map, full width, and the map keeps the upper part
    side = page.eval_on_selector(".siting-side", "e => e.getBoundingClientRect().toJSON()")
    assert side["width"] == 390 and side["top"] >= 844 * 0.5
    context.close()


def test_print_shows_the_map_and_shortlist_without_controls(browser, saved):
    run, path = saved
    first = int(run.ranking.index[0])
    context, page = _open(browser, path, fragment=f"#s={first}", media="print")
    assert not page.is_visible(".leaflet-control-zoom")
    assert not page.is_visible(".siting-tabs") and not page.is_visible(".siting-exports")
    assert page.is_visible(".siting-compare-table")
    assert not page.is_visible(".siting-table")
    context.close()


def test_excluded_sites_say_why(page, saved):
    run, _ = saved
    excluded = run.ranking.index[run.ranking["excluded"]]
    i = int(excluded[0])
    page.click(f'.siting-table tr[data-site="{i}"] .siting-site')
    text = page.text_content(".siting-popup-excluded")
    assert text == f"{EN['excluded_by']}: {run.ranking['excluded_by'].iloc[i]}"
    assert EN["score_reference"] in page.text_content(".siting-popup-score")


def test_a_site_no_road_reaches_says_so(browser, tmp_path):
    from tests._maps_fixtures import ISLAND, run_with_island

    run = run_with_island()
    path = save_map(interactive_map(run), tmp_path / "map.html")
    context, page = _open(browser, path)
    i = int(run.ranking.index[run.ranking["name"] == ISLAND[0]][0])
    row = f'.siting-table tr[data-site="{i}"]'
    assert "siting-row-unreachable" in page.get_attribute(row, "class")
    assert page.text_content(f"{row} .siting-status") == EN["status_unreachable"]
    page.click(f"{row} .siting-site")
    km = page.evaluate(f"sitingApp.formatNumber({run.ranking['snap_km'].iloc[i]}, 'en')")
    assert page.text_content(".siting-popup-excluded") == EN["status_unreachable_km"].format(km=km)
    assert page.query_selector(".siting-popup-score") is None  # no score, not even for reference
    assert EN["legend_unreachable"] in page.text_content(".siting-legend")
    assert EN["legend_excluded"] in page.text_content(".siting-legend")  # the two parks
    context.close()


def test_adding_to_the_shortlist_restyles_one_marker_not_every_site(page, saved):
    run, _ = saved
    page.evaluate("""() => {
        window.restyled = [];
        const setStyle = L.Path.prototype.setStyle;
        L.Path.prototype.setStyle = function (style) {
            if (this.sitingId !== undefined) { window.restyled.push(this.sitingId); }
            return setStyle.call(this, style);
        };
    }""")
    first = int(run.ranking.index[0])
    page.click(f'.siting-table tr[data-site="{first}"] .siting-site')
    page.click(".siting-shortlist-toggle")
    assert page.evaluate("window.restyled") == [first]
    assert page.get_attribute(".siting-shortlist-toggle", "aria-pressed") == "true"


def test_straight_line_run_with_a_site_outside_mexico_kept(browser, tmp_path):
    import siting

    rows = [
        ("Monterrey", -100.3161, 25.6714),
        ("Brownsville", -97.4975, 25.9017),
        ("Saltillo", -101.0053, 25.4232),
        ("Queretaro", -100.3899, 20.5888),
    ]
    csv_path = tmp_path / "sites.csv"
    csv_path.write_text(
        "name,lon,lat\n" + "".join(f"{n},{x},{y}\n" for n, x, y in rows), encoding="utf-8"
    )
    run = siting.run(
        candidates=csv_path,
        outside="keep",
        rank_ranges=False,
        network="straight-line",
        weights={"crossing_km": 2, "labor_pool": 1},
    )
    path = save_map(interactive_map(run), tmp_path / "map.html")
    context, page = _open(browser, path)
    assert page.errors == []
    i = int(run.ranking.index[run.ranking["name"] == "Brownsville"][0])
    row = f'.siting-table tr[data-site="{i}"]'
    assert page.text_content(f"{row} .siting-status") == EN["status_outside"]
    page.click(f"{row} .siting-site")
    assert page.text_content(".siting-popup-excluded") == EN["status_outside_long"]
    assert page.query_selector(".siting-breakdown") is None
    score, rank = _scores(page)
    assert np.allclose(score, run.ranking["score"].to_numpy(dtype=float), atol=1e-9, equal_nan=True)
    assert np.array_equal(rank, run.ranking["rank"].to_numpy(dtype=float), equal_nan=True)
    assert EN["legend_outside"] in page.text_content(".siting-legend")
    context.close()


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)])
def test_the_page_opens_with_every_site_in_view_beside_the_panel(browser, saved, viewport):
    run, path = saved
    context, page = _open(browser, path, viewport=viewport)
    inside = page.evaluate("""() => {
        const view = sitingView.map.getBounds();
        return sitingView.markers.filter(m => m && view.contains(m.getLatLng())).length;
    }""")
    assert inside == len(run.ranking)
    side = page.eval_on_selector(".siting-side", "e => e.getBoundingClientRect().toJSON()")
    box = page.eval_on_selector(".folium-map", "e => e.getBoundingClientRect().toJSON()")
    # the panel never covers the map: beside it on a screen, below it on a phone
    assert box["right"] <= side["left"] + 1 or box["bottom"] <= side["top"] + 1
    context.close()
