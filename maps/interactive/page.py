"""The page around the layers: basemap, title, legend, notes and credits; building and saving it.

:func:`interactive_map` checks a run's result and assembles the folium map from the context
layers (:mod:`.layers`), the candidates (:mod:`.popups`) and the comparison panel
(:mod:`.comparison`); :func:`save_map` writes it as one HTML file, by default self-contained
(:mod:`siting.maps._offline`).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from siting.layers import CRS_GEO
from siting.maps import _offline
from siting.maps._places import by_metro
from siting.maps.interactive.comparison import _compare_data, _Comparison
from siting.maps.interactive.formatting import escape, script_json
from siting.maps.interactive.layers import (
    AREA_PANE,
    BASE_PANE,
    CROSSING_COLOR,
    LAYER_KEYS,
    SEAPORT_COLOR,
    _crossings_layer,
    _labor_layer,
    _seaports_layer,
    _security_layer,
    _states_layer,
)
from siting.maps.interactive.popups import (
    CANDIDATE_RADIUS,
    TOP_N,
    TOP_RADIUS,
    _candidates_layer,
)
from siting.maps.interactive.resources import asset_text
from siting.maps.style import EXCLUDED_COLOR, SELECTED_COLOR, score_color, score_gradient_css
from siting.maps.text import INTERACTIVE_TEXT as T
from siting.maps.text import TEXT
from siting.result import RunResult

logger = logging.getLogger(__name__)

#: Basemap tiles (CARTO Positron, OpenStreetMap data). Offline they fail to load; the map stays
#: readable thanks to the state polygons drawn over a plain background.
BASEMAP_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
#: Background of the map where no tile is drawn (sea, or everything when offline).
BACKGROUND_COLOR = "#c6d6e3"

REQUIRED_COLUMNS = ("rank", "name", "score", "state", "municipality")
#: Attributes the map reads from each of ``RunResult.criteria``.
CRITERION_KEYS = ("name", "label", "unit", "weight")


def _check_inputs(result: RunResult) -> None:
    """Raise one error listing every problem of the run's ranking, criteria and layers."""
    if not isinstance(result, RunResult):
        msg = (
            "`result` must be a siting.result.RunResult (what siting.run() returns), received "
            f"{type(result).__name__}"
        )
        raise TypeError(msg)
    ranking, layers = result.ranking, result.layers
    if not isinstance(ranking, gpd.GeoDataFrame):
        msg = f"`result.ranking` must be a GeoDataFrame, received {type(ranking).__name__}"
        raise TypeError(msg)
    problems: list[str] = []
    if ranking.crs is None:
        problems.append(f"`ranking` has no CRS (expected {CRS_GEO})")
    missing = [c for c in REQUIRED_COLUMNS if c not in ranking.columns]
    for i, crit in enumerate(result.criteria):
        lacking = [k for k in CRITERION_KEYS if not hasattr(crit, k)]
        if lacking:
            problems.append(f"`criteria[{i}]` lacks attribute(s) {lacking}")
            continue
        name = crit.name
        missing += [c for c in (name, f"norm_{name}", f"contrib_{name}") if c not in ranking]
    if missing:
        problems.append(f"`ranking` lacks column(s) {missing}")
    unknown = sorted(set(layers) - set(LAYER_KEYS))
    if unknown:
        expected = list(LAYER_KEYS)
        problems.append(f"`layers` has unknown key(s) {unknown}; expected some of {expected}")
    for key in set(layers) & set(LAYER_KEYS):
        if not isinstance(layers[key], gpd.GeoDataFrame) or layers[key].crs is None:
            problems.append(f"`layers[{key!r}]` must be a GeoDataFrame with a CRS")
    if problems:
        msg = "cannot draw the interactive map: " + "; ".join(problems)
        raise ValueError(msg)


def _svg_circle(radius: float, fill: str, stroke: str, opacity: float = 0.9) -> str:
    """Return an inline SVG circle: a legend symbol."""
    size = 2 * radius + 4
    return (
        f'<svg width="{size:g}" height="{size:g}"><circle cx="{size / 2:g}" cy="{size / 2:g}" '
        f'r="{radius:g}" fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}"/></svg>'
    )


def _legend_html(
    has_excluded: bool, has_crossings: bool, has_seaports: bool, *, metros: bool = False
) -> str:
    """Return the legend (HTML): score scale, top sites, and the symbols the map has.

    ``metros``: the larger circles are the best site of each of the top metros (see
    :func:`siting.maps._places.top_places`), else the top sites.
    """
    mid = score_color(50.0)
    top = T["legend_top_metros"].format(n=TOP_N) if metros else T["legend_top"]
    rows = [
        f'<div class="siting-title2">{escape(T["legend"])}</div>',
        f'<div class="siting-subtitle">{escape(T["legend_score"])}</div>',
        f'<div class="siting-gradient" style="background:{score_gradient_css()}"></div>',
        '<div class="siting-gradient-labels"><span>0</span><span>50</span><span>100</span></div>',
        f'<div class="siting-row">{_svg_circle(TOP_RADIUS, mid, "#222")}{escape(top)}</div>',
    ]
    if has_excluded:
        rows.append(
            f'<div class="siting-row">{_svg_circle(CANDIDATE_RADIUS, EXCLUDED_COLOR, "#222", 0.5)}'
            f"{escape(T['legend_excluded'])}</div>"
        )
    if has_crossings:
        rows.append(
            f'<div class="siting-row">{_svg_circle(9, CROSSING_COLOR, CROSSING_COLOR, 0.35)}'
            f"{escape(T['legend_crossing'])}</div>"
        )
    if has_seaports:
        rows.append(
            f'<div class="siting-row">{_svg_circle(7, "#ffffff", SEAPORT_COLOR, 1.0)}'
            f"{escape(T['legend_seaport'])}</div>"
        )
    return "".join(rows)


def _notes_html(notes: Sequence[str], credits: Sequence[str]) -> str:
    """Return the notes and data credits box (HTML), empty without either."""
    parts = []
    if notes:
        items = "".join(f"<li>{escape(n)}</li>" for n in notes)
        parts.append(f"<b>{escape(T['notes'])}</b><ul>{items}</ul>")
    if credits:
        joined = " · ".join(escape(c) for c in credits)
        label = escape(TEXT["credits"])
        parts.append(f'<div class="siting-credits"><b>{label}</b>: {joined}</div>')
    return "".join(parts)


class _Chrome(MacroElement):
    """Title, zoom buttons, legend and notes/credits boxes, plus the page CSS.

    Inlines ``assets/siting.css`` (with the colours it needs as CSS custom properties) and
    ``assets/chrome.js``. Added last, so the legend sections of the choropleths can follow
    their layers' visibility.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
:root { --siting-background: {{ this.background }}; --siting-selected: {{ this.selected }}; }
{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.code }}
        sitingChrome.install(
            {{ this._parent.get_name() }},
            {{ this.title|tojson }},
            {{ this.legend|tojson }},
            {{ this.notes|tojson }},
            {{ this.section_list }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, *, title: str, legend: str, notes: str, sections: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "SitingChrome"
        self.title = title
        self.legend = legend
        self.notes = notes
        self.sections = dict(sections)
        # pairs, not an object: the legend sections keep the order of their layers
        self.section_list = script_json(list(self.sections.items()))
        self.background = BACKGROUND_COLOR
        self.selected = SELECTED_COLOR
        self.css = asset_text("siting.css")
        self.code = asset_text("chrome.js")


def interactive_map(
    result: RunResult, *, title: str | None = None, top_k: int | None = None
) -> folium.Map:
    """Return a folium map of a run: its ranking, context layers, a legend, credits and notes.

    Parameters
    ----------
    result
        The run (:class:`siting.result.RunResult`). The map reads its ``ranking`` (columns
        ``rank``, ``name``, ``score``, ``state``, ``municipality`` and, for each criterion
        ``NAME``, ``NAME``, ``norm_NAME`` and ``contrib_NAME``; optional ``excluded`` /
        ``excluded_by``, ``nearest_crossing``, ``nearest_seaport``, ``distance_method``,
        ``metro`` / ``metro_rank`` / ``aliases`` (shown in the popups; the larger circles are
        then the best site of each of the top 10 metros) and,
        from the weight sensitivity, ``rank_best`` / ``rank_median`` / ``rank_worst`` (rank
        range, shown when all three are present), ``rank_p05`` / ``rank_p95`` and
        ``top_k_share``), its ``criteria`` in display order (name, label, unit, weight), its
        context ``layers`` (any subset of ``"states"``, ``"municipal_labor"``,
        ``"municipal_security"``, ``"crossings"`` and ``"seaports"``), its ``credits`` and its
        ``notes`` (caveats shown on the map).
    title
        Title shown on the map; defaults to the package's standard title.
    top_k
        The k of ``top_k_share`` (the share of weight draws in which a site is in the top k);
        default ``result.top_k``, else ``result.ranking.attrs["top_k"]`` if set, else the
        labels do not name k.

    Returns
    -------
    folium.Map
        Candidates are ``CircleMarker`` with CSS class
        :data:`~siting.maps.interactive.CANDIDATE_CLASS`, whose popups have a button
        (:data:`~siting.maps.interactive.COMPARE_BUTTON_CLASS`) adding the site to the
        comparison panel (:data:`~siting.maps.interactive.COMPARE_PANEL_CLASS`, hidden while
        empty, at most :data:`~siting.maps.interactive.COMPARE_MAX` sites); choropleths are
        hidden until switched on in the layer control.

    Raises
    ------
    TypeError
        If ``result`` is not a ``RunResult`` or its ranking not a GeoDataFrame.
    ValueError
        Listing every missing column, criterion attribute or unknown layer.
    """
    _check_inputs(result)
    ranking, criteria = result.ranking, result.criteria
    if top_k is None:
        top_k = result.top_k if result.top_k is not None else ranking.attrs.get("top_k")
    ranking = ranking.to_crs(CRS_GEO)
    ctx = {k: v.to_crs(CRS_GEO) for k, v in result.layers.items()}

    m = folium.Map(
        location=(23.6, -102.5),
        zoom_start=5,
        tiles=None,
        zoom_control=False,
        control_scale=True,
        zoom_snap=0.25,  # fit Mexico snugly, not to the next whole zoom level
    )
    # instance-level: our map needs only Leaflet and jQuery (folium's popups use $), not
    # Bootstrap, glyphicons, Font Awesome or awesome-markers (see siting.maps._offline)
    m.default_js = [(n, u) for n, u in m.default_js if n in _offline.INLINED]
    m.default_css = [(n, u) for n, u in m.default_css if n in _offline.INLINED]
    folium.TileLayer(
        BASEMAP_URL,
        attr=escape(T["basemap_credit"]),
        name="basemap",
        control=False,
        subdomains="abcd",
        max_zoom=19,
    ).add_to(m)
    folium.map.CustomPane(BASE_PANE, z_index=250, pointer_events=False).add_to(m)
    folium.map.CustomPane(AREA_PANE, z_index=350, pointer_events=True).add_to(m)

    sections: dict[str, str] = {}
    if "states" in ctx:
        _states_layer(ctx["states"]).add_to(m)
    builders: list[tuple[str, Callable[[gpd.GeoDataFrame], tuple[folium.GeoJson, str]]]] = [
        ("municipal_labor", _labor_layer),
        ("municipal_security", _security_layer),
    ]
    for key, build in builders:
        if key in ctx:
            layer, legend = build(ctx[key])
            layer.add_to(m)
            sections[layer.get_name()] = legend
    if "crossings" in ctx:
        _crossings_layer(ctx["crossings"]).add_to(m)
    if "seaports" in ctx:
        _seaports_layer(ctx["seaports"]).add_to(m)
    candidates = _candidates_layer(ranking, criteria, top_k=top_k).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    # after the layer control: the panel goes below it
    m.add_child(
        _Comparison(group=candidates.get_name(), data=_compare_data(ranking, criteria, top_k=top_k))
    )

    has_excluded = "excluded" in ranking.columns and bool(ranking["excluded"].fillna(False).any())
    legend = _legend_html(
        has_excluded, "crossings" in ctx, "seaports" in ctx, metros=by_metro(ranking)
    )
    m.add_child(
        _Chrome(
            title=escape(title if title is not None else TEXT["title"]),
            legend=legend,
            notes=_notes_html(result.notes, result.credits),
            sections=sections,
        )
    )
    if len(ranking):
        minx, miny, maxx, maxy = ranking.total_bounds
        fit = folium.FitBounds([[miny, minx], [maxy, maxx]], padding=(30, 30), max_zoom=9)
        # no zoom animation: the page opens at its final view, so nothing moves under a person
        # (or a test) acting at once; a popup opened during the animation was panned by stale
        # geometry and could end partly off the map
        fit.options["animate"] = False
        m.add_child(fit)
    return m


def save_map(m: folium.Map, path: str | os.PathLike[str], *, offline: bool = True) -> Path:
    """Write the map as an HTML file, atomically; by default self-contained for offline use.

    The page is written to a temporary file in the same folder, then moved over ``path``: a
    failure never leaves a half-written map nor a temporary file behind.

    Parameters
    ----------
    m
        The map, e.g. from :func:`interactive_map`.
    path
        Output file; its folder must exist.
    offline
        Inline Leaflet and jQuery and drop folium's unused CDN assets (see
        :mod:`siting.maps._offline`), so the file works with no network. Basemap tiles still
        need network; without it the map shows a plain background.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    if not path.parent.is_dir():
        msg = f"cannot write the map to {str(path)!r}: folder {str(path.parent)!r} does not exist"
        raise FileNotFoundError(msg)
    page = m.get_root().render()
    if offline:
        page = _offline.inline_assets(page)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    logger.info("saved map to %r (%d bytes, offline=%s)", str(path), len(page.encode()), offline)
    return path
