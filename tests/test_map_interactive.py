"""Structure of the interactive map: folium objects, rendered HTML, offline page, atomic save."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
from pathlib import Path

import folium
import pytest
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
from jinja2.utils import htmlsafe_json_dumps

from siting.maps import _offline, interactive_map, save_map
from siting.maps.interactive import (
    BASEMAP_URL,
    CANDIDATE_CLASS,
    COMPARE_BUTTON_CLASS,
    COMPARE_MAX,
    CROSSING_CLASS,
    CROSSING_RADIUS,
    SEAPORT_CLASS,
    SEAPORT_RADIUS,
    TOP_N,
    TOP_RADIUS,
    _number,
    escape,
    script_json,
)
from siting.maps.interactive.layers import _security_layer
from siting.maps.interactive.resources import asset_text
from siting.maps.style import EXCLUDED_COLOR, score_color
from siting.maps.text import INTERACTIVE_TEXT as T
from tests._maps_fixtures import (
    HOSTILE_ALIASES,
    HOSTILE_NAME,
    MAX_CROSSING_KM,
    RANGE_TOP_K,
    TEMPLATE_NAME,
    make_run,
    with_rank_range,
    without_rank_range,
)

URL = re.compile(r"https?://[^\s\"'<>)\\]+")


@pytest.fixture(scope="module")
def run():
    return make_run(12)


@pytest.fixture(scope="module")
def fmap(run):
    """The map of a run, without the optional rank range."""
    return interactive_map(dataclasses.replace(run, ranking=without_rank_range(run)))


def _bare(run, ranking, **changes):
    """The run with another ranking and, unless given, no layers, credits or notes."""
    changes = {"layers": {}, "credits": [], "notes": [], **changes}
    return dataclasses.replace(run, ranking=ranking, **changes)


@pytest.fixture(scope="module")
def page(fmap):
    return fmap.get_root().render()


@pytest.fixture(scope="module")
def offline_page(fmap, tmp_path_factory):
    path = save_map(fmap, tmp_path_factory.mktemp("map") / "map.html")
    return path.read_text(encoding="utf-8")


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _circles(fmap, css_class):
    return [
        e
        for e in _walk(fmap)
        if isinstance(e, folium.CircleMarker) and e.options.get("className") == css_class
    ]


def _chrome(fmap):
    return next(e for e in _walk(fmap) if type(e).__name__ == "_Chrome")


def _popup_html(marker) -> str:
    popup = next(c for c in marker._children.values() if isinstance(c, folium.Popup))
    return next(iter(popup.html._children.values())).data


def test_one_candidate_marker_per_candidate_coloured_by_score(run, fmap):
    markers = _circles(fmap, CANDIDATE_CLASS)
    assert len(markers) == len(run.ranking)
    by_name = {}
    for marker in markers:
        title = _popup_html(marker).split('siting-popup-title">')[1].split("</div>")[0]
        name = next(n for n in run.ranking["name"] if title.split(" · ")[-1] == escape(n))
        by_name[name] = marker
    assert len(by_name) == len(run.ranking)
    for _, row in run.ranking.iterrows():
        fill = by_name[row["name"]].options["fillColor"]
        expected = EXCLUDED_COLOR if row["excluded"] else score_color(row["score"])
        assert fill == expected
    # best candidate drawn last (on top)
    best = run.ranking.loc[run.ranking["rank"].idxmin(), "name"]
    assert escape(best) in _popup_html(markers[-1])


def test_popup_shows_breakdown_that_adds_up_to_the_score(run, fmap):
    marker = _circles(fmap, CANDIDATE_CLASS)[-1]
    html = _popup_html(marker)
    row = run.ranking.loc[run.ranking["rank"].idxmin()]
    assert f"#{int(row['rank'])} · " in html
    for crit in run.criteria:
        assert f"<td>{escape(crit.label)}</td>" in html
    # the last column of each body row is the contribution; they add up to the shown total
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    points = [float(r.split("<td>")[-1].split("</td>")[0]) for r in body.split("</tr>")[:-1]]
    assert len(points) == len(run.criteria)
    total = float(html.split("</tbody>")[1].split("<td>")[-1].split("</td>")[0])
    assert total == pytest.approx(row["score"], abs=0.05)
    assert sum(points) == pytest.approx(total, abs=0.01 * len(points) + 0.05)
    assert T["total"] in html


def test_excluded_candidate_popup_says_why_and_has_no_rank(run, fmap):
    html = _popup_html(_circles(fmap, CANDIDATE_CLASS)[0])
    assert f"crossing_km &lt;= {MAX_CROSSING_KM}" in html and T["excluded_by"] in html
    assert 'siting-popup-title">#' not in html  # no rank


def test_crossing_circles_scale_with_square_root_of_trucks(run, fmap):
    markers = _circles(fmap, CROSSING_CLASS)
    crossings = run.layers["crossings"]
    assert len(markers) == len(crossings)
    lo, hi = CROSSING_RADIUS
    top = crossings["trucks"].max()
    radii = {}
    for marker in markers:
        html = _popup_html(marker)
        name = next(n for n in crossings["port_name"] if f": {escape(n)}</b>" in html)
        radii[name] = marker.options["radius"]
    for _, row in crossings.iterrows():
        expected = lo + (hi - lo) * math.sqrt(row["trucks"] / top)
        assert radii[row["port_name"]] == pytest.approx(expected, abs=0.06)
    laredo = _popup_html(next(m for m in markers if m.options["radius"] == hi))
    assert "Laredo" in laredo and f"{top:,}" in laredo


def test_layers_control_legend_credits_and_notes(run, fmap, page):
    assert any(isinstance(e, folium.LayerControl) for e in _walk(fmap))
    groups = {e.layer_name for e in _walk(fmap) if isinstance(e, folium.FeatureGroup)}
    assert {T["layer_candidates"], T["layer_crossings"], T["layer_seaports"]} <= groups
    choropleths = [
        e for e in _walk(fmap) if isinstance(e, folium.GeoJson) and e.layer_name in
        (T["layer_labor"], T["layer_security"])
    ]  # fmt: skip
    assert len(choropleths) == 2 and not any(c.show for c in choropleths)
    chrome = _chrome(fmap)
    assert "siting-legend" in page and T["legend_score"] in chrome.legend
    assert T["legend_excluded"] in chrome.legend  # the run has excluded candidates
    for credit in run.credits:
        assert escape(credit) in chrome.notes
    for note in run.notes:
        assert f"<li>{escape(note)}</li>" in chrome.notes
    assert "OpenStreetMap contributors" in page
    assert T["legend_crossing"] in chrome.legend
    # the legend of each choropleth follows its layer
    assert set(chrome.sections) == {c.get_name() for c in choropleths}
    assert 'L.DomUtil.create("div", "siting-box "' in page  # boxes are Leaflet controls


def test_user_strings_are_escaped_in_html(page, offline_page):
    for html in (page, offline_page):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "Ñandú&#x27;s" in html
        # no raw template-literal syntax from the name reaches the JS
        assert "`${alert(2)}`" not in html and "${alert(2)}" not in html
        assert "&#96;&#36;{alert(2)}&#96; &#92;u0041" in html


def test_escape_handles_html_and_template_literals():
    assert escape(HOSTILE_NAME) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ñandú&#x27;s &#92;&quot;plant"
        "&#92;&quot;&quot;"
    )
    assert "`" not in escape(TEMPLATE_NAME) and "$" not in escape(TEMPLATE_NAME)
    assert escape(3.5) == "3.5"


def test_offline_page_is_self_contained(offline_page):
    assert _offline.external_references(offline_page) == []
    leaflet_js = (Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.js").read_text()
    assert leaflet_js[:5000] in offline_page
    for cdn in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn"):
        assert cdn not in offline_page
    # every URL left is either the tile template or text inside the inlined libraries
    libraries = "".join(
        (Path(pkg.BASE_DIR) / name).read_text()
        for pkg, name in [
            (xstatic.pkg.leaflet, "leaflet.js"),
            (xstatic.pkg.leaflet, "leaflet.css"),
            (xstatic.pkg.jquery, "jquery.min.js"),
        ]
    )
    extra = set(URL.findall(offline_page)) - set(URL.findall(libraries))
    assert extra == {BASEMAP_URL}
    # the layer-control icon is inlined
    assert "url(images/" not in offline_page
    assert offline_page.count("url(data:image/png;base64,") == 3
    assert "jQuery" in offline_page and "L.map(" in offline_page


def test_online_page_links_only_leaflet_and_jquery(fmap, tmp_path):
    html = save_map(fmap, tmp_path / "online.html", offline=False).read_text()
    refs = _offline.external_references(html)
    assert sorted(refs) == sorted(
        url for name, url in [*folium.folium._default_js, *folium.folium._default_css]
        if name in ("leaflet", "jquery", "leaflet_css")
    )  # fmt: skip


def test_offline_refuses_pages_it_cannot_bundle(tmp_path):
    m = folium.Map(tiles=None)
    m.get_root().header.add_child(folium.JavascriptLink("https://example.org/plugin.js"))
    with pytest.raises(ValueError, match=r"https://example.org/plugin.js"):
        save_map(m, tmp_path / "a.html")
    m = folium.Map(tiles=None)
    folium.Marker((20, -100), icon=folium.Icon(icon="star")).add_to(m)
    with pytest.raises(ValueError, match="awesome-markers"):
        save_map(m, tmp_path / "b.html")
    assert list(tmp_path.iterdir()) == []


def test_plain_folium_map_is_made_offline(tmp_path):
    m = folium.Map(tiles=None)
    html = save_map(m, tmp_path / "plain.html").read_text()
    assert _offline.external_references(html) == []


def test_save_is_atomic(fmap, tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("previous map")

    def broken_replace(src, dst):
        msg = "disk full"
        raise OSError(msg)

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_map(fmap, target)
    assert target.read_text() == "previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    monkeypatch.undo()
    out = save_map(fmap, target, offline=False)
    assert out == target and target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    assert (target.stat().st_mode & 0o777) == 0o644


def test_save_into_missing_folder_says_which(fmap, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"folder .*nowhere.* does not exist"):
        save_map(fmap, tmp_path / "nowhere" / "map.html")


def test_invalid_inputs_are_reported_together(run):
    bad = run.ranking.drop(columns=["score", "contrib_labor_force"])
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['score', 'contrib_labor_force'\]"):
        interactive_map(_bare(run, bad))
    # criteria are CriterionWeight records now: a dict (the old form) lacks their attributes
    odd = _bare(run, run.ranking, criteria=[{"name": "x"}], layers={"roads": run.layers["states"]})
    with pytest.raises(
        ValueError,
        match=r"criteria\[0\]` lacks attribute\(s\) \['name', 'label', 'unit', 'weight'\]"
        r".*unknown key\(s\) \[.roads.\]",
    ):
        interactive_map(odd)
    with pytest.raises(TypeError, match=r"result.ranking` must be a GeoDataFrame"):
        interactive_map(_bare(run, run.ranking.drop(columns="geometry")))
    # the old call, with the ranking first, says what the map takes now
    with pytest.raises(TypeError, match=r"RunResult.*received GeoDataFrame"):
        interactive_map(run.ranking)


def test_minimal_map_without_context_layers(run):
    ranking = run.ranking.drop(columns=["excluded", "excluded_by"]).head(1)
    m = interactive_map(_bare(run, ranking), title="T & <b>")
    m.get_root().render()  # renders without error
    assert len(_circles(m, CANDIDATE_CLASS)) == 1
    chrome = _chrome(m)
    assert chrome.title == "T &amp; &lt;b&gt;"
    assert T["legend_excluded"] not in chrome.legend
    assert T["legend_crossing"] not in chrome.legend
    assert chrome.sections == {} and chrome.notes == ""


# --- comparison of sites selected in the browser ---------------------------------------------


def _comparison(fmap):
    return next(e for e in _walk(fmap) if type(e).__name__ == "_Comparison")


def _compare_json(fmap) -> dict:
    return json.loads(_comparison(fmap).data)


def test_compare_data_has_a_record_per_site_matching_its_popup(run, fmap, page):
    data = _compare_json(fmap)
    assert data["max"] == COMPARE_MAX
    assert len(data["sites"]) == len(run.ranking)
    for marker in _circles(fmap, CANDIDATE_CLASS):
        html = _popup_html(marker)
        assert f'class="{COMPARE_BUTTON_CLASS}"' in html and escape(T["compare_add"]) in html
        site = data["sites"][html.split('data-siting-id="')[1].split('"')[0]]
        # the button's id leads to the record of the site whose popup it is in
        title = html.split('siting-popup-title">')[1].split("</div>")[0]
        assert title.split(" · ")[-1] == escape(site["name"])
    for i, (_, row) in enumerate(run.ranking.iterrows()):
        site = data["sites"][str(i)]
        assert site["name"] == row["name"]
        assert site["place"] == f"{row['municipality']}, {row['state']}"
        assert site["excluded"] == bool(row["excluded"])
        assert site["cells"]["score"] == _number(row["score"])
        for crit in run.criteria:
            name = crit.name
            assert site["cells"][name] == _number(row[name], crit.unit)
            assert float(site["cells"][f"contrib_{name}"].replace(",", "")) == pytest.approx(
                row[f"contrib_{name}"], abs=0.05
            )
        rule = f"crossing_km <= {MAX_CROSSING_KM}"
        expected = (
            T["compare_excluded"].format(rule=rule) if row["excluded"] else f"{row['rank']:.0f}"
        )
        assert site["cells"]["rank"] == expected
    # embedded as is, after the candidates' group
    comparison = _comparison(fmap)
    assert f", {comparison.group}, {comparison.data}, {comparison.options}\n" in page


def test_compare_rows_without_the_optional_rank_range(run, fmap):
    data = _compare_json(fmap)
    fields = [r["field"] for r in data["rows"]]
    assert fields[:2] == ["rank", "score"]
    assert not {"rank_range", "rank_median", "top_k_share"} & set(fields)
    per_criterion = [None, "{}", "norm_{}", "contrib_{}"]
    expected = [f and f.format(c.name) for c in run.criteria for f in per_criterion]
    assert fields[2:] == expected
    headings = [r["label"] for r in data["rows"] if r["field"] is None]
    assert headings[0] == T["compare_criterion"].format(
        label=run.criteria[0].label, weight=f"{run.criteria[0].weight * 100:.3g}%"
    )
    assert all(set(s["cells"]) == set(fields) - {None} for s in data["sites"].values())
    assert "siting-popup-range" not in "".join(
        _popup_html(m) for m in _circles(fmap, CANDIDATE_CLASS)
    )


def test_compare_rows_and_popup_with_the_rank_range(run):
    ranking = with_rank_range(run)
    m = interactive_map(_bare(run, ranking), top_k=RANGE_TOP_K)
    data = _compare_json(m)
    fields = [r["field"] for r in data["rows"]]
    assert fields[:5] == ["rank", "rank_range", "rank_median", "top_k_share", "score"]
    labels = {r["field"]: r["label"] for r in data["rows"]}
    assert labels["top_k_share"] == T["top_k_share"].format(k=RANGE_TOP_K)
    for i, (_, row) in enumerate(ranking.iterrows()):
        cells = data["sites"][str(i)]["cells"]
        if row["excluded"]:
            assert cells["rank_range"] == cells["rank_median"] == cells["top_k_share"] == "—"
        else:
            best, worst = row["rank_best"], row["rank_worst"]
            assert cells["rank_range"] == f"{best:.0f}\u2013{worst:.0f}"
            assert cells["rank_median"] == f"{row['rank_median']:g}"
            assert cells["top_k_share"] == f"{row['top_k_share']:.0%}"
    popups = [_popup_html(c) for c in _circles(m, CANDIDATE_CLASS)]
    # every ranked site's popup shows its range; the excluded one has none
    assert sum("siting-popup-range" in p for p in popups) == int((~ranking["excluded"]).sum())
    best = ranking.loc[ranking["rank"].idxmin()]
    line = T["popup_range"].format(
        best=f"{best['rank_best']:.0f}",
        worst=f"{best['rank_worst']:.0f}",
        median=f"{best['rank_median']:g}",
    )
    assert escape(line) in popups[-1]  # the best is drawn last
    assert T["popup_top_k"].format(k=RANGE_TOP_K, share=f"{best['top_k_share']:.0%}") in popups[-1]


def _share_label(m):
    return {r["field"]: r["label"] for r in _compare_json(m)["rows"]}["top_k_share"]


def test_rank_range_needs_all_three_columns_and_k_is_optional(run):
    ranking = with_rank_range(run).drop(columns="rank_worst")
    unstable = _bare(run, ranking, stability=None)  # no rank ranges computed: no top_k
    assert unstable.top_k is None
    data = _compare_json(interactive_map(unstable))
    fields = [r["field"] for r in data["rows"]]
    assert "rank_range" not in fields and "rank_median" not in fields
    # the share alone is still shown; without a k its label does not name one
    assert _share_label(interactive_map(unstable)) == T["top_k_share_any"]
    ranking.attrs["top_k"] = 7  # the old way of passing k, still read last
    assert _share_label(interactive_map(unstable)) == T["top_k_share"].format(k=7)


def test_top_k_defaults_to_the_run_then_the_ranking_attrs(run):
    assert run.top_k is not None
    ranking = with_rank_range(run)
    ranking.attrs["top_k"] = 7
    assert _share_label(interactive_map(_bare(run, ranking))) == T["top_k_share"].format(
        k=run.top_k
    )
    assert _share_label(interactive_map(_bare(run, ranking), top_k=3)) == T["top_k_share"].format(
        k=3
    )


def test_compare_json_cannot_end_the_script_element(run):
    hostile = "</script><script>alert(3)</script><!-- \u2028 &amp; ]]>"
    ranking = run.ranking.head(3).copy()
    ranking.loc[0, "name"] = hostile
    ranking.loc[1, "excluded"] = True
    ranking.loc[1, "excluded_by"] = "</SCRIPT><img src=x onerror=alert(4)>"
    m = interactive_map(_bare(run, ranking))
    page = m.get_root().render()
    embedded = _comparison(m).data
    for char in "<>&`$\u2028":
        assert char not in embedded
    assert "\\u003c/script\\u003e" in embedded
    assert "<script>alert(3)" not in page and "</SCRIPT><img" not in page
    # the browser's JSON reading gives back the exact text
    data = json.loads(embedded)
    assert data["sites"]["0"]["name"] == hostile
    rule = "</SCRIPT><img src=x onerror=alert(4)>"
    assert data["sites"]["1"]["cells"]["rank"] == T["compare_excluded"].format(rule=rule)
    # the page's scripts end only where folium and the offline bundle end them
    assert page.lower().count("</script>") == page.lower().count("<script")


def test_script_json_escapes_and_refuses_nan():
    assert script_json({"a": "<b>&</b>", "é": "\u2029`${x}`"}) == (
        '{"a": "\\u003cb\\u003e\\u0026\\u003c/b\\u003e", "é": "\\u2029\\u0060\\u0024{x}\\u0060"}'
    )
    with pytest.raises(ValueError, match="JSON"):
        script_json({"x": float("nan")})


def test_unreachable_drive_time_reads_as_words():
    from siting.maps.interactive import _number
    from siting.maps.text import TEXT

    assert _number(float("inf"), "min") == TEXT["unreachable"]
    assert _number(125.4, "min") == "125 min"


def test_ninety_percent_rank_range_as_siting_run_writes_it(run):
    """`siting run` adds rank_p05/rank_p95: the panel and popups show the 90 % range too."""
    ranking = with_rank_range(run)
    ranking["rank_p05"] = ranking["rank_best"] + 1
    ranking["rank_p95"] = ranking["rank_worst"] - 1
    m = interactive_map(_bare(run, ranking), top_k=RANGE_TOP_K)
    data = _compare_json(m)
    fields = [r["field"] for r in data["rows"]]
    assert fields[:4] == ["rank", "rank_range", "rank_p90", "rank_median"]
    best = ranking.loc[ranking["rank"].idxmin()]
    cells = data["sites"][str(int(ranking.index.get_loc(best.name)))]["cells"]
    assert cells["rank_p90"] == f"{best['rank_p05']:.0f}\u2013{best['rank_p95']:.0f}"
    popup = [_popup_html(c) for c in _circles(m, CANDIDATE_CLASS)][-1]
    lo, hi = f"{best['rank_p05']:.0f}", f"{best['rank_p95']:.0f}"
    assert escape(T["popup_p90"].format(lo=lo, hi=hi)) in popup


# --- the page's own JavaScript and CSS (maps/interactive/assets) -------------------------------


def test_assets_are_inlined_as_they_are(page, offline_page):
    for html in (page, offline_page):
        for name in ("comparison.js", "chrome.js", "siting.css"):
            assert asset_text(name) in html
        # run-dependent values reach the scripts and the stylesheet as arguments and properties
        assert "sitingComparison.install(" in html and "sitingChrome.install(" in html
        assert "--siting-selected: " in html and "{{" not in asset_text("siting.css")
    assert page.count(asset_text("comparison.js")) == 1


def test_an_asset_that_would_break_the_page_is_refused(tmp_path, monkeypatch):
    import siting.maps.interactive.resources as resources

    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "bad.js").write_text('var s = "</script><script>alert(1)";\n')
    monkeypatch.setattr(resources, "files", lambda _package: tmp_path)
    resources.asset_text.cache_clear()
    try:
        with pytest.raises(ValueError, match="</script"):
            resources.asset_text("bad.js")
        with pytest.raises(FileNotFoundError, match=r"missing asset 'nowhere\.js'"):
            resources.asset_text("nowhere.js")
    finally:
        resources.asset_text.cache_clear()


def test_legend_sections_keep_the_order_of_their_layers(fmap, page):
    chrome = _chrome(fmap)
    names = list(chrome.sections)
    labels = [
        e.get_name() for e in _walk(fmap) if isinstance(e, folium.GeoJson) and e.show is False
    ]
    assert names == [n for n in labels if n in names]  # labour, then security
    assert json.loads(chrome.section_list) == [[n, chrome.sections[n]] for n in names]


def test_page_opens_at_its_final_view_without_animation(fmap, page):
    """The browser tests act at once on a still map (see tests/test_browser.py)."""
    fit = next(e for e in _walk(fmap) if isinstance(e, folium.FitBounds))
    assert fit.options == {"animate": False, "maxZoom": 9, "padding": (30, 30)}
    assert '"animate": false' in page


# --- what changed with municipal security, container ports, metros and the new credits --------


def _feature_by_municipality(layer, municipality: str, state: str) -> dict:
    props = [f["properties"] for f in layer.data["features"]]
    return next(p for p in props if p["m"] == f"<b>{escape(municipality)}</b>, {escape(state)}")


def test_security_tooltip_is_municipal_with_the_state_rate(run):
    gdf = run.layers["municipal_security"]
    layer, legend = _security_layer(gdf.to_crs("EPSG:4326"))
    assert len(layer.data["features"]) == len(gdf)  # one feature per municipality
    tijuana = _feature_by_municipality(layer, "Tijuana", "Baja California")
    mexicali = _feature_by_municipality(layer, "Mexicali", "Baja California")
    rates = gdf.set_index("municipality").loc[["Tijuana", "Mexicali"]]
    assert tijuana["h"] == _number(rates.at["Tijuana", "homicide_rate"])
    assert mexicali["h"] == _number(rates.at["Mexicali", "homicide_rate"])
    assert tijuana["h"] != mexicali["h"]  # municipal rates differ within the state
    assert tijuana["hs"] == mexicali["hs"] == _number(rates["homicide_rate_state"].iloc[0])
    tooltip = next(c for c in layer._children.values() if isinstance(c, folium.GeoJsonTooltip))
    assert tooltip.fields[:3] == ["m", "h", "hs"]
    assert tooltip.aliases[:3] == [
        escape(T["municipality"]),
        escape(T["homicide_rate"]),
        escape(T["homicide_rate_state"]),
    ]
    assert "Jul 2024–Jun 2025" in T["homicide_rate"] and "smoothed" in T["homicide_rate"]
    assert escape(T["legend_security"]) in legend and "municipal" in T["legend_security"]


def test_security_layer_stays_small(run):
    """About 2,470 municipal features: simplified and reduced to their shown values."""
    layer, _ = _security_layer(run.layers["municipal_security"].to_crs("EPSG:4326"))
    size = len(json.dumps(layer.data))
    assert size < 2_000_000, size
    assert {k for f in layer.data["features"] for k in f["properties"]} <= {
        "k", "m", "h", "hs", "c", "a"
    }  # fmt: skip
    # the rows' labels are written once (the tooltip's aliases), not in every feature
    assert not any(
        T["homicide_rate"] in str(v)
        for f in layer.data["features"]
        for v in f["properties"].values()
    )


def test_container_ports_layer_has_six_ports_sized_by_teu(run, fmap):
    ports = run.layers["seaports"]
    markers = _circles(fmap, SEAPORT_CLASS)
    assert len(markers) == len(ports) == 6
    # the fuel terminals are gone (Rosarito remains a municipality of the choropleths)
    assert not any("Rosarito" in _popup_html(m) for m in markers)
    groups = {e.layer_name for e in _walk(fmap) if isinstance(e, folium.FeatureGroup)}
    assert T["layer_seaports"] == "Container ports" and T["layer_seaports"] in groups
    assert T["legend_seaport"] in _chrome(fmap).legend
    by_name = {}
    for marker in markers:
        html = _popup_html(marker)
        by_name[next(n for n in ports["name"] if escape(n) in html)] = (marker, html)
    assert set(by_name) == set(ports["name"])
    lo, hi = SEAPORT_RADIUS
    busiest = ports.loc[ports["teu_per_year"].idxmax(), "name"]
    assert by_name[busiest][0].options["radius"] == hi
    for _, row in ports.iterrows():
        marker, html = by_name[row["name"]]
        assert lo <= marker.options["radius"] <= hi
        assert f"{escape(T['teu_per_year'])}: {_number(row['teu_per_year'])}" in html
        assert f"{row['teu_jan_apr_2024']:,.0f}" in html  # formatted with separators


def test_popups_show_metro_rank_and_escaped_aliases(run, fmap):
    popups = {}
    for marker in _circles(fmap, CANDIDATE_CLASS):
        html = _popup_html(marker)
        title = html.split('siting-popup-title">')[1].split("</div>")[0]
        popups[next(n for n in run.ranking["name"] if title.split(" · ")[-1] == escape(n))] = html
    for _, row in run.ranking.iterrows():
        html = popups[row["name"]]
        metro = html.split('siting-popup-metro">')[1].split("</div>")[0]
        if row["excluded"]:
            assert metro == f"{escape(T['metro'])}: {escape(row['metro'])}"
        else:
            shown = T["metro_ranked"].format(metro=row["metro"], rank=f"{row['metro_rank']:.0f}")
            assert metro == f"{escape(T['metro'])}: {escape(shown)}"
            assert f"#{row['rank']:.0f} · " in html  # the site's own rank stays in the popup
        if row["aliases"]:
            assert f"{escape(T['aliases'])}: {escape(row['aliases'])}" in html
    hostile = popups[run.ranking.loc[run.ranking["aliases"] == HOSTILE_ALIASES, "name"].iloc[0]]
    assert escape(HOSTILE_ALIASES) in hostile
    assert "<img" not in hostile and "${" not in hostile and "`" not in hostile
    # a site without metro or aliases: no alias line, and the metro line says so
    lone = run.ranking.head(1).assign(metro=None, metro_rank=float("nan"), aliases="")
    html = _popup_html(_circles(interactive_map(_bare(run, lone)), CANDIDATE_CLASS)[0])
    assert "siting-popup-aliases" not in html
    assert f"{escape(T['metro'])}: {escape(T['outside_metro'])}" in html


def test_route_risk_popup_says_state_rates(run, fmap):
    crit = next(c for c in run.criteria if c.name == "route_risk")
    assert "(state rates)" in crit.label
    html = _popup_html(_circles(fmap, CANDIDATE_CLASS)[-1])
    assert f"<td>{escape(crit.label)}</td>" in html


def test_larger_circles_are_one_per_metro(run, fmap):
    ranked = run.ranking[~run.ranking["excluded"]]
    best = ranked.sort_values("rank").drop_duplicates("metro").head(TOP_N)
    big = [m for m in _circles(fmap, CANDIDATE_CLASS) if m.options["radius"] == TOP_RADIUS]
    names = {
        _popup_html(m).split('siting-popup-title">')[1].split("</div>")[0].split(" · ", 1)[1]
        for m in big
    }
    assert names == {escape(n) for n in best["name"]}
    assert len(big) == best["metro"].nunique() < len(ranked)  # Reynosa, Saltillo... once each
    chrome = _chrome(fmap)
    assert escape(T["legend_top_metros"].format(n=TOP_N)) in chrome.legend
    # the tooltip of a metro's best site names the metro and its rank
    tips = [
        next(c for c in m._children.values() if isinstance(c, folium.Tooltip)).text for m in big
    ]
    for _, row in best.iterrows():
        tip = T["top_metro_tip"].format(metro=row["metro"], rank=f"{row['metro_rank']:.0f}")
        assert any(escape(tip) in t for t in tips)


def test_every_credit_is_in_the_map(run, fmap, offline_page):
    """The run's credits, new sources included (container ports, ENOE, CONASAMI...), all shown."""
    credits = list(run.credits)
    for source in ("CGPMM", "Port of Long Beach", "municipal", "ENOE", "CONASAMI", "Zona libre"):
        assert any(source in c for c in credits), source
    notes = _chrome(fmap).notes
    for credit in credits:
        assert escape(credit) in notes
        assert htmlsafe_json_dumps(escape(credit))[1:-1] in offline_page  # the notes' JSON
