"""The offline map in a real headless browser (Debian Chromium), with the network blocked."""

from __future__ import annotations

from pathlib import Path

import folium
import pytest

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The map of a run, without the optional rank range (see :func:`saved_range`)."""
    run = make_run(12)
    m = interactive_map(
        without_rank_range(run),
        run.criteria,
        layers=run.layers,
        credits=run.credits,
        notes=run.notes,
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


# --- comparison of sites selected in the browser ---------------------------------------------

PANEL = f".{COMPARE_PANEL_CLASS}"


def _settle(page, layer):
    """Wait until the map stops moving (a popup pans the map into view, animated)."""
    page.evaluate(
        f"""() => new Promise(resolve => {{
            const map = {layer}._map;
            let last = "", same = 0;
            (function tick() {{
                const origin = map.containerPointToLayerPoint([0, 0]).toString();
                same = origin === last ? same + 1 : 0;
                last = origin;
                if (same >= 10) {{ resolve(); }} else {{ requestAnimationFrame(tick); }}
            }})();
        }})"""
    )


def _open_popup(page, layer, name):
    """Open the popup of the candidate called ``name`` (exactly) and wait for it."""
    # a closed popup fades out for 200 ms: wait until it is gone
    page.evaluate(f"() => {{ {layer}._map.closePopup(); }}")
    page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
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
    _settle(page, layer)
    title = page.locator(".leaflet-popup-content .siting-popup-title")
    assert title.inner_text().endswith(name)
    return page.locator(f".leaflet-popup-content .{COMPARE_BUTTON_CLASS}")


def _toggle(page, layer, name):
    """Click the comparison button in ``name``'s popup; return the button's new label."""
    button = _open_popup(page, layer, name)
    button.click()
    _settle(page, layer)  # the popup moves clear of the panel when that grows
    return button.inner_text()


def _column_names(page):
    return page.locator(f"{PANEL} thead .siting-compare-name").evaluate_all(
        "els => els.map(e => e.textContent)"
    )


def _cells(page, field):
    return page.locator(f'{PANEL} tr[data-field="{field}"] td').all_inner_texts()


def _selected_markers(page):
    return page.locator(f'path.{CANDIDATE_CLASS}[stroke="{SELECTED_COLOR}"]').count()


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
        key = crit["name"]
        assert _cells(page, key) == [_number(ranking.at[n, key], crit["unit"]) for n in names]
        assert crit["unit"] in _cells(page, key)[0]
        for field in (f"norm_{key}", f"contrib_{key}"):
            shown = [float(c.replace(",", "")) for c in _cells(page, field)]
            assert shown == pytest.approx([ranking.at[n, field] for n in names], abs=0.01)
    # the contributions add up to the score in each column
    for i, n in enumerate(names):
        points = [float(_cells(page, f"contrib_{c['name']}")[i]) for c in run.criteria]
        assert sum(points) == pytest.approx(ranking.at[n, "score"], abs=0.05)
    headings = page.locator(f"{PANEL} tr.siting-compare-group th").all_inner_texts()
    assert [h.split(" · ")[0] for h in headings] == [c["label"] for c in run.criteria]
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
    # once there is room again the site can be added, and the message goes
    _toggle(page, layer, names[0])
    assert _toggle(page, layer, names[COMPARE_MAX]) == T["compare_remove"]
    assert _column_names(page) == [*names[1:COMPARE_MAX], names[COMPARE_MAX]]
    assert message.count() == 0
    assert page.errors == []


@pytest.fixture(scope="module")
def saved_range(tmp_path_factory):
    """A map of a ranking with the optional rank-range columns of the weight sensitivity."""
    run = make_run(12)
    ranking = with_rank_range(run)
    m = interactive_map(
        ranking,
        run.criteria,
        layers={},
        credits=run.credits,
        notes=run.notes,
        top_k=RANGE_TOP_K,
    )
    path = save_map(m, tmp_path_factory.mktemp("browser_range") / "map.html")
    groups = {
        e.layer_name: e.get_name()
        for e in m._children.values()
        if isinstance(e, folium.FeatureGroup)
    }
    return ranking, path, groups


def test_compare_shows_rank_range_when_the_ranking_has_it(browser, saved_range):
    ranking, path, groups = saved_range
    layer = groups[escape(T["layer_candidates"])]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route(lambda url: url.startswith(("http:", "https:")), lambda route: route.abort())
    try:
        page.goto(path.as_uri())
        page.wait_for_function("typeof L !== 'undefined' && document.querySelector('path')")
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
        assert errors == []
    finally:
        context.close()
