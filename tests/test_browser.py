"""The offline map in a real headless browser (Debian Chromium), with the network blocked."""

from __future__ import annotations

from pathlib import Path

import folium
import pytest

from maps import interactive_map, save_map
from maps.interactive import CANDIDATE_CLASS, SEAPORT_CLASS, escape
from maps.text import INTERACTIVE_TEXT as T
from tests._maps_fixtures import HOSTILE_NAME, TEMPLATE_NAME, make_run

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TILE_HOST = "basemaps.cartocdn.com"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    run = make_run(12)
    m = interactive_map(
        run.ranking, run.criteria, layers=run.layers, credits=run.credits, notes=run.notes
    )
    path = save_map(m, tmp_path_factory.mktemp("browser") / "map.html")
    groups = {
        e.layer_name: e.get_name()
        for e in m._children.values()
        if isinstance(e, folium.FeatureGroup)
    }
    return run, path, groups


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, saved):
    """The saved map, loaded offline; records requests, console errors, page errors, dialogs."""
    _, path, _ = saved
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.requests, pg.errors, pg.console_errors, pg.dialogs = [], [], [], []

    def block(route):
        pg.requests.append(route.request.url)
        route.abort()

    pg.route(lambda url: url.startswith(("http:", "https:")), block)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(path.as_uri())
    pg.wait_for_function("typeof L !== 'undefined' && document.querySelector('path')")
    yield pg
    context.close()


def test_loads_offline_without_errors(page):
    page.wait_for_timeout(300)
    assert page.errors == []
    assert page.evaluate("L.version") == "1.9.3"
    assert page.evaluate("typeof jQuery") == "function"
    # the only network the page wants is basemap tiles, and their failure is the only error
    assert page.requests, "the basemap should have requested tiles"
    assert all(TILE_HOST in url for url in page.requests), page.requests
    for message in page.console_errors:
        assert "Failed to load resource" in message.text
        assert TILE_HOST in message.location["url"]
    assert page.dialogs == []


def test_one_marker_per_candidate(page, saved):
    run, _, groups = saved
    assert page.locator(f"path.{CANDIDATE_CLASS}").count() == len(run.ranking)
    layer = groups[escape(T["layer_candidates"])]
    assert page.evaluate(f"{layer}.getLayers().length") == len(run.ranking)


def test_clicking_a_marker_opens_the_breakdown(page, saved):
    run, _, _ = saved
    best = run.ranking.loc[run.ranking["rank"].idxmin()]
    page.locator(f"path.{CANDIDATE_CLASS}").last.click()  # the best is drawn last, on top
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert f"#1 · {best['name']}" in text
    for crit in run.criteria:
        assert crit["label"] in text
    assert T["total"] in text
    assert f"{best['score']:.1f}" in text
    assert page.locator(".siting-breakdown tbody tr").count() == len(run.criteria)


def test_hostile_names_show_literally_and_run_nothing(page, saved):
    _, _, groups = saved
    layer = groups[escape(T["layer_candidates"])]
    for name in (HOSTILE_NAME, TEMPLATE_NAME):
        opened = page.evaluate(
            f"""(name) => {{
                let found = false;
                {layer}.eachLayer(l => {{
                    const c = l.getPopup().getContent();
                    if (!found && c.querySelector('.siting-popup-title').textContent.endsWith(name)) {{
                        l.openPopup(); window.sitingOpened = l; found = true;
                    }}
                }});
                return found;
            }}""",
            name,
        )
        assert opened, name
        title = page.locator(".leaflet-popup-content .siting-popup-title")
        assert title.inner_text().endswith(name)
        assert page.locator(".leaflet-popup-content script").count() == 0
        # return nothing from evaluate: serializing a Leaflet object takes ages
        page.evaluate("() => { window.sitingOpened.closePopup(); }")
        page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
    page.wait_for_timeout(200)
    assert page.dialogs == []
    assert page.errors == []


def test_layer_control_toggles_overlays_and_their_legend(page):
    control = page.locator(".leaflet-control-layers")
    assert control.count() == 1
    control.hover()
    assert page.locator(f"path.{SEAPORT_CLASS}").count() > 0
    page.get_by_label(T["layer_seaports"]).uncheck()
    assert page.locator(f"path.{SEAPORT_CLASS}").count() == 0
    areas = page.locator(".leaflet-sitingAreas-pane path")
    assert areas.count() == 0
    legend = page.locator(".siting-legend")
    assert T["legend_labor"] not in legend.inner_text()
    control.hover()
    page.get_by_label(T["layer_labor"]).check()
    assert areas.count() > 1000  # municipalities
    assert T["legend_labor"] in legend.inner_text()
    page.get_by_label(T["layer_labor"]).uncheck()
    assert areas.count() == 0
    assert T["legend_labor"] not in legend.inner_text()


def test_legend_notes_and_credits_are_visible(page, saved):
    run, _, _ = saved
    legend = page.locator(".siting-legend")
    assert legend.is_visible() and T["legend_score"] in legend.inner_text()
    notes = page.locator(".siting-notes")
    assert notes.is_visible()
    text = notes.inner_text()
    for note in run.notes:
        assert note in text
    for credit in run.credits:
        assert credit in text
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
