"""The offline map in a real headless browser (Debian Chromium), with the network blocked.

Nothing here waits for time to pass or for an animation to end: the page opens at its final view
(no zoom animation), and the tests wait only for conditions of the page (an element exists, a
popup is gone, the tiles have failed). Leaflet pans the map, animated, to fit a popup that
opens; where it pans depends on the viewport. So the comparison buttons are pressed by
dispatching the click event to the button itself (what a person's click fires), which does not
depend on where the popup is; the one test that clicks with the mouse first puts the button at
the centre of the map itself, with the popup's autoPan off.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import folium
import pytest
from playwright.sync_api import sync_playwright  # a test dependency: missing is an error

from siting.maps import interactive_map, save_map
from siting.maps.interactive import (
    CANDIDATE_CLASS,
    COMPARE_BUTTON_CLASS,
    COMPARE_MAX,
    COMPARE_PANEL_CLASS,
    SEAPORT_CLASS,
    _number,
    escape,
)
from siting.maps.style import SELECTED_COLOR
from siting.maps.text import INTERACTIVE_TEXT as T
from tests._maps_fixtures import (
    HOSTILE_NAME,
    MAX_CROSSING_KM,
    RANGE_TOP_K,
    TEMPLATE_NAME,
    make_run,
    with_rank_range,
    without_rank_range,
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
TILE_HOST = "basemaps.cartocdn.com"
#: The page's script has run: Leaflet is there and the candidates are drawn.
LOADED = f"typeof L !== 'undefined' && document.querySelector('path.{CANDIDATE_CLASS}') !== null"
#: Every basemap tile the map asked for has failed (the network is blocked).
TILES_SETTLED = """() => {
    const tiles = [...document.querySelectorAll('img.leaflet-tile')];
    return tiles.length > 0 && tiles.every(img => img.complete);
}"""
NO_POPUP = "document.querySelectorAll('.leaflet-popup').length === 0"
#: Init script: count the zoom animations Leaflet starts (as the page defines ``L``, wrap the
#: method that starts one; Leaflet 1.9.3, which test_loads_offline_without_errors checks).
COUNT_ZOOM_ANIMATIONS = """
Object.defineProperty(window, "L", {
    configurable: true,
    get() { return window.sitingLeaflet; },
    set(leaflet) {
        window.sitingLeaflet = leaflet;
        window.sitingZoomAnimations = 0;
        const start = leaflet.Map.prototype._tryAnimatedZoom;
        leaflet.Map.prototype._tryAnimatedZoom = function () {
            const started = start.apply(this, arguments);
            if (started) { window.sitingZoomAnimations += 1; }
            return started;
        };
    },
});
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


def _groups(m: folium.Map) -> dict[str, str]:
    """Return the JavaScript variable of each feature group, by layer name."""
    return {
        e.layer_name: e.get_name()
        for e in m._children.values()
        if isinstance(e, folium.FeatureGroup)
    }


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The map of a run, without the optional rank range (see :func:`saved_range`)."""
    run = make_run(12)
    run = dataclasses.replace(run, ranking=without_rank_range(run))
    m = interactive_map(run)
    path = save_map(m, tmp_path_factory.mktemp("browser") / "map.html")
    return run, path, _groups(m)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _open(browser, path, viewport=(1280, 800), init_script=None):
    """Return a new page with the saved map, loaded offline.

    It records requests, console errors, page errors and dialogs (dismissed); returns once the
    page's script has run, so the map is at its final view.
    """
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    if init_script:
        pg.add_init_script(init_script)
    pg.requests, pg.errors, pg.console_errors, pg.dialogs = [], [], [], []

    def block(route):
        pg.requests.append(route.request.url)
        route.abort()

    pg.route(lambda url: url.startswith(("http:", "https:")), block)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(path.as_uri())
    pg.wait_for_function(LOADED)
    return context, pg


@pytest.fixture
def page(browser, saved):
    """The saved map in a 1280 × 800 window (see :func:`_open`)."""
    _, path, _ = saved
    context, pg = _open(browser, path)
    yield pg
    context.close()


def test_loads_offline_without_errors(page):
    page.wait_for_function(TILES_SETTLED)
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


def test_page_opens_at_its_final_view(browser, saved):
    """No zoom animation at load: what a person (or a test) does at once acts on a still map.

    A popup opened during that animation was panned by stale geometry and could end partly off
    the map, and a view set during it was undone when it ended.
    """
    run, path, groups = saved
    layer = groups[escape(T["layer_candidates"])]
    context, page = _open(browser, path, init_script=COUNT_ZOOM_ANIMATIONS)
    try:
        assert page.evaluate("window.sitingZoomAnimations") == 0
        minx, miny, maxx, maxy = run.ranking.total_bounds
        zoom, fitted = page.evaluate(
            f"""() => {{
                const map = {layer}._map;
                const bounds = L.latLngBounds([[{miny}, {minx}], [{maxy}, {maxx}]]);
                // as fitBounds with padding (30, 30) and maxZoom 9
                return [map.getZoom(), Math.min(map.getBoundsZoom(bounds, false, [60, 60]), 9)];
            }}"""
        )
        assert zoom == fitted
        # the counter works: a zoom from the zoom buttons is animated
        page.locator(".leaflet-control-zoom-in").click()
        assert page.evaluate("window.sitingZoomAnimations") == 1
        assert page.errors == []
    finally:
        context.close()


def test_one_marker_per_candidate(page, saved):
    run, _, groups = saved
    assert page.locator(f"path.{CANDIDATE_CLASS}").count() == len(run.ranking)
    layer = groups[escape(T["layer_candidates"])]
    assert page.evaluate(f"{layer}.getLayers().length") == len(run.ranking)


def _centre_on(page, layer, name):
    """Centre the map on the candidate called ``name`` (no animation); return whether found."""
    return page.evaluate(
        f"""(name) => {{
            let found = false;
            {layer}.eachLayer(l => {{
                const t = l.getPopup().getContent().querySelector('.siting-popup-title');
                if (!found && t.textContent.replace(/^#\\d+ · /, '') === name) {{
                    l._map.setView(l.getLatLng(), l._map.getZoom(), {{ animate: false }});
                    found = true;
                }}
            }});
            return found;
        }}""",
        name,
    )


def test_clicking_a_marker_opens_the_breakdown(page, saved):
    run, _, groups = saved
    layer = groups[escape(T["layer_candidates"])]
    best = run.ranking.loc[run.ranking["rank"].idxmin()]
    # at the centre of the map no box covers the marker, whatever the window's size
    assert _centre_on(page, layer, best["name"])
    page.locator(f"path.{CANDIDATE_CLASS}").last.click()  # the best is drawn last, on top
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert f"#1 · {best['name']}" in text
    for crit in run.criteria:
        assert crit.label in text
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
                    const t = l.getPopup().getContent().querySelector('.siting-popup-title');
                    if (!found && t.textContent.endsWith(name)) {{
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
        # no element was made from the name, so nothing in it can run, now or later
        assert page.locator(".leaflet-popup-content :is(script, img, iframe)").count() == 0
        # return nothing from evaluate: serializing a Leaflet object takes ages
        page.evaluate("() => { window.sitingOpened.closePopup(); }")
        page.wait_for_function(NO_POPUP)
    # an alert() blocks the page until the dialog handler has recorded and dismissed it, so
    # this round trip returns only after any dialog was recorded
    assert page.evaluate("() => true")
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
    # the legend sections follow the order of their layers, whichever are on
    page.get_by_label(T["layer_security"]).check()
    text = legend.inner_text()
    assert text.index(T["legend_labor"]) < text.index(T["legend_security"])
    page.get_by_label(T["layer_security"]).uncheck()
    page.get_by_label(T["layer_labor"]).uncheck()
    assert areas.count() == 0
    assert T["legend_labor"] not in legend.inner_text()
    assert T["legend_security"] not in legend.inner_text()


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


# --- comparison of sites selected in the browser ---------------------------------------------

PANEL = f".{COMPARE_PANEL_CLASS}"


def _open_popup(page, layer, name):
    """Open the popup of the candidate called ``name`` (exactly); return its comparison button."""
    # a closed popup fades out before it leaves the page: wait until it is gone
    page.evaluate(f"() => {{ {layer}._map.closePopup(); }}")
    page.wait_for_function(NO_POPUP)
    opened = page.evaluate(
        f"""(name) => {{
            let found = false;
            {layer}.eachLayer(l => {{
                const t = l.getPopup().getContent().querySelector('.siting-popup-title');
                const shown = t.textContent.replace(/^#\\d+ · /, '');
                if (!found && shown === name) {{ l.openPopup(); found = true; }}
            }});
            return found;
        }}""",
        name,
    )
    assert opened, name
    title = page.locator(".leaflet-popup-content .siting-popup-title")
    assert title.inner_text().endswith(name)
    return page.locator(f".leaflet-popup-content .{COMPARE_BUTTON_CLASS}")


def _toggle(page, layer, name):
    """Press the comparison button in ``name``'s popup; return the button's new label.

    The click event goes to the button itself, as a person's click does, wherever Leaflet has
    panned the popup: nothing depends on the viewport or on an animation. Its listener updates
    the panel and the button before the dispatch returns.
    """
    button = _open_popup(page, layer, name)
    button.dispatch_event("click")
    return button.inner_text()


def _column_names(page):
    return page.locator(f"{PANEL} thead .siting-compare-name").evaluate_all(
        "els => els.map(e => e.textContent)"
    )


def _cells(page, field):
    return page.locator(f'{PANEL} tr[data-field="{field}"] td').all_inner_texts()


def _selected_markers(page):
    return page.locator(f'path.{CANDIDATE_CLASS}[stroke="{SELECTED_COLOR}"]').count()


def test_compare_button_takes_a_mouse_click(page, saved):
    """A person's real click on the popup's button adds the site, and the panel's × drops it.

    The popup opens with autoPan off and the map is moved, without animation, so that the button
    is at the centre of the map: no box covers it there and nothing moves before the click.
    """
    run, _, groups = saved
    layer = groups[escape(T["layer_candidates"])]
    best = run.ranking.loc[run.ranking["rank"].idxmin(), "name"]
    placed = page.evaluate(
        f"""(name) => {{
            let marker = null;
            {layer}.eachLayer(l => {{
                const t = l.getPopup().getContent().querySelector('.siting-popup-title');
                if (t.textContent.replace(/^#\\d+ · /, '') === name) {{ marker = l; }}
            }});
            if (!marker) {{ return false; }}
            const map = marker._map;
            marker.getPopup().options.autoPan = false;
            marker.openPopup();
            const box = map.getContainer().getBoundingClientRect();
            const b = marker.getPopup().getElement()
                .querySelector('.{COMPARE_BUTTON_CLASS}').getBoundingClientRect();
            map.panBy([b.left + b.width / 2 - box.left - box.width / 2,
                       b.top + b.height / 2 - box.top - box.height / 2], {{ animate: false }});
            return true;
        }}""",
        best,
    )
    assert placed, best
    button = page.locator(f".leaflet-popup-content .{COMPARE_BUTTON_CLASS}")
    assert button.inner_text() == T["compare_add"]
    button.click()  # Playwright fails, not waits, if the button is covered or outside the window
    assert button.inner_text() == T["compare_remove"]
    assert button.get_attribute("aria-pressed") == "true"
    assert _column_names(page) == [best]
    assert _selected_markers(page) == 1
    # the × in the column heading is a mouse click too (the panel is a fixed box of the map)
    page.locator(f"{PANEL} thead .siting-compare-drop").click()
    assert page.locator(PANEL).is_hidden() and _column_names(page) == []
    assert button.inner_text() == T["compare_add"]
    assert button.get_attribute("aria-pressed") == "false"
    assert _selected_markers(page) == 0
    assert page.errors == [] and page.dialogs == []


def test_compare_selected_sites_side_by_side(page, saved):
    run, _, groups = saved
    layer = groups[escape(T["layer_candidates"])]
    ranking = run.ranking.set_index("name")
    best = run.ranking.loc[run.ranking["rank"].idxmin(), "name"]
    panel = page.locator(PANEL)
    assert panel.count() == 1 and panel.is_hidden()  # nothing selected yet

    assert _toggle(page, layer, best) == T["compare_remove"]
    assert panel.is_visible()
    assert _toggle(page, layer, HOSTILE_NAME) == T["compare_remove"]
    names = [best, HOSTILE_NAME]
    # the hostile name is text: shown literally, no element made from it
    assert _column_names(page) == names
    assert page.locator(f"{PANEL} script, {PANEL} img").count() == 0
    assert _selected_markers(page) == 2
    assert _cells(page, "rank") == [f"{ranking.at[n, 'rank']:.0f}" for n in names]
    assert _cells(page, "score") == [_number(ranking.at[n, "score"]) for n in names]
    for cell, n in zip(_cells(page, "score"), names, strict=True):
        assert float(cell) == pytest.approx(ranking.at[n, "score"], abs=0.05)
    for crit in run.criteria:
        key = crit.name
        assert _cells(page, key) == [_number(ranking.at[n, key], crit.unit) for n in names]
        assert crit.unit in _cells(page, key)[0]
        for field in (f"norm_{key}", f"contrib_{key}"):
            # three significant digits, as in the popups (a 25 % weight gives points >= 10)
            assert _cells(page, field) == [_number(ranking.at[n, field]) for n in names]
    # the contributions add up to the score in each column
    for i, n in enumerate(names):
        points = [float(_cells(page, f"contrib_{c.name}")[i]) for c in run.criteria]
        assert sum(points) == pytest.approx(ranking.at[n, "score"], abs=0.05)
    headings = page.locator(f"{PANEL} tr.siting-compare-group th").all_inner_texts()
    assert [h.split(" · ")[0] for h in headings] == [c.label for c in run.criteria]
    # no rank range without the sensitivity columns
    assert _cells(page, "rank_range") == [] and _cells(page, "top_k_share") == []
    assert page.locator(".siting-popup-range").count() == 0

    # toggling off removes that column only
    assert _toggle(page, layer, best) == T["compare_add"]
    assert _column_names(page) == [HOSTILE_NAME]
    assert _cells(page, "score") == [_number(ranking.at[HOSTILE_NAME, "score"])]
    assert _selected_markers(page) == 1

    # Clear empties and hides the panel and resets every button
    _toggle(page, layer, TEMPLATE_NAME)
    assert _column_names(page) == [HOSTILE_NAME, TEMPLATE_NAME]
    page.locator(f"{PANEL} .siting-compare-clear").click()
    assert panel.is_hidden() and _column_names(page) == []
    assert _selected_markers(page) == 0
    assert _open_popup(page, layer, HOSTILE_NAME).inner_text() == T["compare_add"]
    assert page.errors == [] and page.dialogs == []


def test_compare_excluded_site_and_column_remove_button(page, saved):
    run, _, groups = saved
    layer = groups[escape(T["layer_candidates"])]
    excluded = run.ranking.loc[run.ranking["excluded"]].iloc[0]
    other = run.ranking.loc[run.ranking["rank"] == 2, "name"].item()
    _toggle(page, layer, excluded["name"])
    _toggle(page, layer, other)
    assert _column_names(page) == [excluded["name"], other]
    rule = f"crossing_km <= {MAX_CROSSING_KM}"
    assert excluded["excluded_by"] == rule
    assert _cells(page, "rank") == [T["compare_excluded"].format(rule=rule), "2"]
    excluded_cell = page.locator(f'{PANEL} tr[data-field="rank"] td').first
    assert excluded_cell.get_attribute("class") == "siting-compare-excluded"
    # the drop button in a column heading removes that site, and its popup button follows
    page.locator(f"{PANEL} thead th").nth(1).locator(".siting-compare-drop").click()
    assert _column_names(page) == [other]
    assert _open_popup(page, layer, excluded["name"]).inner_text() == T["compare_add"]
    assert page.errors == [] and page.dialogs == []


def test_compare_refuses_more_than_the_maximum(page, saved):
    run, _, groups = saved
    layer = groups[escape(T["layer_candidates"])]
    names = run.ranking.sort_values("rank")["name"].tolist()
    assert len(names) > COMPARE_MAX
    for name in names[:COMPARE_MAX]:
        _toggle(page, layer, name)
    assert _column_names(page) == names[:COMPARE_MAX]
    assert page.locator(f"{PANEL} .siting-compare-message").count() == 0
    assert _toggle(page, layer, names[COMPARE_MAX]) == T["compare_add"]  # not added
    assert _column_names(page) == names[:COMPARE_MAX]
    message = page.locator(f"{PANEL} .siting-compare-message")
    assert message.inner_text() == T["compare_full"].format(max=COMPARE_MAX)
    assert _selected_markers(page) == COMPARE_MAX
    # once there is room again the site can be added, and the message goes
    _toggle(page, layer, names[0])
    assert _toggle(page, layer, names[COMPARE_MAX]) == T["compare_remove"]
    assert _column_names(page) == [*names[1:COMPARE_MAX], names[COMPARE_MAX]]
    assert message.count() == 0
    assert page.errors == []


@pytest.mark.parametrize("viewport", [(1280, 800), (800, 600)])
def test_compare_panel_stays_above_the_notes_and_popups_pan_clear_of_it(browser, saved, viewport):
    """With the most sites, the panel ends above the notes box; popups keep clear of the panel.

    Popups keep clear through their autoPan padding (the panel's width + 20 px on the right),
    checked as such: where Leaflet then pans a popup is Leaflet's business.
    """
    run, path, groups = saved
    layer = groups[escape(T["layer_candidates"])]
    context, page = _open(browser, path, viewport)
    try:
        padding = f"""() => {{
            const pads = [];
            {layer}.eachLayer(l => pads.push(l.getPopup().options.autoPanPaddingBottomRight));
            return pads;
        }}"""
        assert page.evaluate(padding) == [[5, 5]] * len(run.ranking)
        for name in run.ranking.sort_values("rank")["name"].tolist()[:COMPARE_MAX]:
            _toggle(page, layer, name)
        assert len(_column_names(page)) == COMPARE_MAX
        panel = page.locator(PANEL).bounding_box()
        notes = page.locator(".siting-notes").bounding_box()
        max_height = page.locator(PANEL).evaluate("e => parseFloat(e.style.maxHeight)")
        assert max_height >= 160
        # the panel scrolls rather than cover the notes, unless that left it under 160 px
        if max_height > 160:
            assert panel["y"] + panel["height"] < notes["y"]
        width = page.locator(PANEL).evaluate("e => e.offsetWidth")
        assert page.evaluate(padding) == [[width + 20, 5]] * len(run.ranking)
        page.locator(f"{PANEL} .siting-compare-clear").click()
        assert page.evaluate(padding) == [[5, 5]] * len(run.ranking)
        assert page.errors == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def saved_range(tmp_path_factory):
    """A map of a ranking with the optional rank-range columns of the weight sensitivity."""
    run = make_run(12)
    ranking = with_rank_range(run)
    m = interactive_map(dataclasses.replace(run, ranking=ranking, layers={}), top_k=RANGE_TOP_K)
    path = save_map(m, tmp_path_factory.mktemp("browser_range") / "map.html")
    return ranking, path, _groups(m)


def test_compare_shows_rank_range_when_the_ranking_has_it(browser, saved_range):
    ranking, path, groups = saved_range
    layer = groups[escape(T["layer_candidates"])]
    context, page = _open(browser, path)
    try:
        by_name = ranking.set_index("name")
        names = ranking.sort_values("rank")["name"].iloc[[0, 3]].tolist()
        excluded = ranking.loc[ranking["excluded"], "name"].iloc[0]
        _toggle(page, layer, names[0])
        # the popup shows the range too
        row = by_name.loc[names[0]]
        popup_range = page.locator(".leaflet-popup-content .siting-popup-range").inner_text()
        expected = T["popup_range"].format(
            best=f"{row['rank_best']:.0f}",
            worst=f"{row['rank_worst']:.0f}",
            median=f"{row['rank_median']:g}",
        )
        share = f"{row['top_k_share']:.0%}"
        assert popup_range == f"{expected}; {T['popup_top_k'].format(k=RANGE_TOP_K, share=share)}"
        _toggle(page, layer, names[1])
        _toggle(page, layer, excluded)
        assert _column_names(page) == [*names, excluded]
        rows = [by_name.loc[n] for n in names]
        assert _cells(page, "rank_range") == [
            *(f"{r['rank_best']:.0f}\u2013{r['rank_worst']:.0f}" for r in rows),
            "—",
        ]
        assert _cells(page, "rank_median") == [*(f"{r['rank_median']:g}" for r in rows), "—"]
        assert _cells(page, "top_k_share") == [*(f"{r['top_k_share']:.0%}" for r in rows), "—"]
        label = page.locator(f'{PANEL} tr[data-field="top_k_share"] th').inner_text()
        assert label == T["top_k_share"].format(k=RANGE_TOP_K)
        # rows in the order of `siting compare`
        fields = page.locator(f"{PANEL} tbody tr[data-field]").evaluate_all(
            "els => els.map(e => e.dataset.field)"
        )
        assert fields[:5] == ["rank", "rank_range", "rank_median", "top_k_share", "score"]
        assert page.errors == []
    finally:
        context.close()
