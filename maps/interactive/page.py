"""The page: a folium map, one embedded data object and the page's scripts; building and saving it.

:func:`interactive_map` checks a run's result, makes the folium map (no tile layer of folium's
own, the panes the context layers use) and adds one element holding the page data
(:func:`siting.maps.interactive.data.page_data`, embedded once with
:func:`~siting.maps.interactive.formatting.script_json`) and the page's JavaScript and CSS (package
files in ``assets/``, inlined). The page's script draws every site, layer, table and panel from
that data. :func:`save_map` writes the page as one HTML file, by default self-contained
(:mod:`siting.maps._offline`).

Routes and commute areas ("why here") are embedded for every reachable site of runs up to
:data:`WHY_ALL_MAX` sites, else for the :data:`WHY_TOP` best sites of the run's ranking: a route
and a commute area cost about 1.5 KB a site, and 10,000 of them would exceed the page's size
budget. The page says so for the sites without them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
from branca.element import Element, MacroElement

from siting.layers import CRS_GEO
from siting.maps import _offline
from siting.maps.interactive.data import LANGUAGES, page_data
from siting.maps.interactive.formatting import escape, script_json
from siting.maps.interactive.resources import asset_text
from siting.maps.style import SELECTED_COLOR
from siting.maps.text import PAGE_TEXT
from siting.result import RunResult

logger = logging.getLogger(__name__)

#: Basemap tiles offered as a layer choice (CARTO Positron, OpenStreetMap data); the map opens on
#: the offline base drawn from the bundled data, so it looks the same with or without network.
BASEMAP_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
#: Background of the map where nothing is drawn (the sea).
BACKGROUND_COLOR = "#c6d6e3"
#: Leaflet panes: land and roads under everything, choropleths under the point symbols.
BASE_PANE = "sitingBase"
AREA_PANE = "sitingAreas"
#: Columns the map needs in ``result.ranking``.
REQUIRED_COLUMNS = ("rank", "name", "score", "state", "municipality", "lon", "lat")
#: Attributes the map reads from each of ``RunResult.criteria``.
CRITERION_KEYS = ("name", "label", "unit", "weight", "direction")
#: The context layers the map draws, by key of ``RunResult.layers``.
LAYER_KEYS = ("states", "municipal_labor", "municipal_security", "crossings", "seaports")
#: Runs up to this many sites get a route and commute area for every reachable site ...
WHY_ALL_MAX = 1000
#: ... larger runs for their best sites only (by the run's rank).
WHY_TOP = 500
#: Decimals of the routes and commute areas in the page (4 ≈ 11 m).
WHY_PRECISION = 4
#: Most sites the shortlist holds.
SHORTLIST_MAX = 12
#: ``id`` of the page's data element (``<script type="application/json">``).
DATA_ID = "siting-data"
#: Order of the page's scripts: the codec and scoring first, the app (which uses them) last.
SCRIPTS = ("codec.js", "scoring.js", "context.js", "app.js")


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
        missing += [c for c in (crit.name,) if c not in ranking]
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


def why_sites(result: RunResult) -> list[int]:
    """Return the sites (positions in the ranking) whose route and commute area the page gets.

    Every reachable site up to :data:`WHY_ALL_MAX` sites, else the :data:`WHY_TOP` best by the
    run's rank (see the module docstring).
    """
    ranking = result.ranking
    ok = np.ones(len(ranking), dtype=bool)
    if "reachable" in ranking.columns:
        ok &= ranking["reachable"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if "outside_mexico" in ranking.columns:
        ok &= ~ranking["outside_mexico"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    ids = np.flatnonzero(ok)
    if len(ranking) > WHY_ALL_MAX:
        rank = ranking["rank"].to_numpy(dtype=float)[ids]
        ids = ids[np.argsort(np.where(np.isnan(rank), np.inf, rank), kind="stable")[:WHY_TOP]]
    return sorted(int(i) for i in ids)


def why_data(result: RunResult, sites: list[int] | None = None) -> dict[str, Any]:
    """Return the routes and commute areas of ``sites`` (default :func:`why_sites`) for the page.

    ``{"precision", "count", "sites": {id: {"route", "catchment", "crossing", "minutes"}}}``,
    geometries as encoded polylines (:mod:`siting.maps.interactive.codec`); empty when the run
    used straight-line distances. Cached with the map's context
    (:func:`~siting.maps.interactive.context.cached_json`) under a key of everything the
    geometry depends on (:func:`_why_params`): a run with other weights, the same sites and
    network reuses it.
    """
    from siting.maps.interactive.context import cached_json

    if result.scenario.network.straight_line:
        return {}
    chosen = why_sites(result) if sites is None else sites
    # sites in a canonical order (by place), so that a run ranking them otherwise (other
    # weights) finds the same cache entry; positions in this run's ranking are set after
    canonical = _canonical(result, chosen)
    entries = cached_json(
        "why",
        _why_params(result, canonical),
        lambda: _why_build(result, canonical),
        code=_why_code(),
    )
    out = {str(site): entry for site, entry in zip(canonical, entries, strict=True) if entry}
    return {"precision": WHY_PRECISION, "count": len(chosen), "sites": out}


#: Columns of the ranking that the routes and commute areas depend on (with the scenario).
_WHY_COLUMNS = ("lon", "lat", "nearest_crossing", "crossing_drive_min", "snap_km", "reachable")


def _canonical(result: RunResult, chosen: list[int]) -> list[int]:
    """Return ``chosen`` ordered by their ``_WHY_COLUMNS`` (place first), not by rank."""
    rows = result.ranking.iloc[chosen]
    cols = [c for c in _WHY_COLUMNS if c in rows.columns]
    order = rows.assign(_pos=chosen).sort_values([*cols, "_pos"], kind="stable")["_pos"]
    return [int(i) for i in order]


def _why_params(result: RunResult, canonical: list[int]) -> dict[str, Any]:
    """Return every input of the routes and commute areas of ``canonical``, JSON-ready."""
    ranking = result.ranking.iloc[canonical]
    rows = ranking[[c for c in _WHY_COLUMNS if c in ranking.columns]]
    digest = hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()
    # the network by content: its cache file's name holds the key of its arrays (not the
    # folder, nor when or whether it was built in this run)
    network = {
        k: v
        for k, v in result.network.as_dict().items()
        if k not in ("from_cache", "seconds", "built_utc", "cache_file")
    }
    if result.network.cache_file:
        network["cache_file"] = Path(result.network.cache_file).name
    scenario = result.scenario
    return {
        "rows": digest,
        "params": json.loads(json.dumps(dataclasses.asdict(scenario.params), default=str)),
        "network_settings": json.loads(
            json.dumps(dataclasses.asdict(scenario.network), default=str)
        ),
        "network": network,
        "precision": WHY_PRECISION,
    }


def _why_code() -> list[str]:
    """Return the source files that compute the routes and commute areas."""
    import siting.measure
    import siting.routing.network
    import siting.routing.search
    import siting.whyhere

    return [
        m.__file__ or ""
        for m in (siting.whyhere, siting.measure, siting.routing.search, siting.routing.network)
    ]


def _why_build(result: RunResult, canonical: list[int]) -> list[dict[str, Any] | None]:
    """Return the encoded route and commute area of each of ``canonical`` (None: neither)."""
    from siting.maps.interactive.codec import encode_geometries
    from siting.whyhere import why_here

    frame = why_here(result, canonical)
    found: dict[int, dict[str, Any]] = {}
    encoded = encode_geometries(frame.geometry.to_numpy(), WHY_PRECISION)
    for site, kind, target, minutes, geom in zip(
        frame["site"], frame["kind"], frame["target"], frame["minutes"], encoded, strict=True
    ):
        entry = found.setdefault(int(site), {})
        entry[kind] = geom
        if kind == "route":
            entry["crossing"] = target
            entry["minutes"] = None if minutes is None or minutes != minutes else float(minutes)
    return [found.get(site) for site in canonical]


class _Verbatim(Element):
    """Text added to the page as it is: never compiled as a Jinja template.

    branca renders a MacroElement's macros into new ``Element(text)`` objects, which compiles
    their output as a template a second time: slow for megabytes of data, and ``{{`` in a site's
    name would be template code. The page's data, scripts and head go in as this instead.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "SitingVerbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _Page(MacroElement):
    """The page data, scripts and stylesheet, installed on the map (see the module docstring).

    The data is a ``<script type="application/json">`` element (parsed once with
    ``JSON.parse``, faster than a script literal of the same size); the page's scripts read it
    and install the app on the map.
    """

    def __init__(self, *, title: str, data: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "SitingPage"
        self.title = escape(title)
        self.data = script_json(data)
        self.css = asset_text("siting.css")
        self.code = "\n".join(asset_text(name) for name in SCRIPTS)

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        name = self.get_name()
        colours = (
            f":root {{ --siting-background: {BACKGROUND_COLOR}; "
            f"--siting-selected: {SELECTED_COLOR}; }}"
        )
        figure.header.add_child(
            _Verbatim(
                f"<title>{self.title}</title>\n"
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<style>\n{colours}\n{self.css}\n</style>"
            ),
            name=name,
        )
        figure.html.add_child(
            _Verbatim(f'<script type="application/json" id="{DATA_ID}">{self.data}</script>'),
            name=name,
        )
        figure.script.add_child(
            _Verbatim(
                f"{self.code}\nsitingApp.install({self._parent.get_name()}, "
                f'JSON.parse(document.getElementById("{DATA_ID}").textContent));'
            ),
            name=name,
        )


def interactive_map(
    result: RunResult,
    *,
    title: str | None = None,
    top_k: int | None = None,
    lang: str = "en",
    why: bool = True,
) -> folium.Map:
    """Return the folium map of a run: the page of ``map.html`` (see the module docstring).

    Parameters
    ----------
    result
        The run (:class:`siting.result.RunResult`). The map reads its ``ranking`` (columns
        ``rank``, ``name``, ``score``, ``state``, ``municipality``, ``lon``, ``lat`` and each
        weighted criterion's raw values; optional ``excluded`` / ``excluded_by``,
        ``reachable`` / ``snap_km``, ``outside_mexico``, ``metro``, ``aliases``,
        ``nearest_crossing``, ``nearest_seaport``, ``distance_method`` and the rank range
        columns), its ``criteria`` and ``scenario`` (weights, value functions, aggregation: the
        page re-scores with them), its context ``layers``, ``credits`` and ``notes``.
    title
        Title of the page; default the package's title in the page's language.
    top_k
        The k of ``top_k_share``; default ``result.top_k``.
    lang
        Language the page opens in, ``"es"`` or ``"en"`` (a person can switch).
    why
        Embed routes and commute areas (:func:`why_data`).

    Returns
    -------
    folium.Map
        The page's script exposes ``window.sitingView`` (its current view, scores and exports)
        for notebooks and tests.

    Raises
    ------
    TypeError
        If ``result`` is not a ``RunResult`` or its ranking not a GeoDataFrame.
    ValueError
        Listing every missing column, criterion attribute or unknown layer; or an unknown
        ``lang``.
    """
    from siting.maps.interactive.context import context_data

    _check_inputs(result)
    if lang not in LANGUAGES:
        msg = f"`lang` was {lang!r} but is expected to be one of {list(LANGUAGES)}"
        raise ValueError(msg)
    if top_k is None:
        top_k = result.top_k if result.top_k is not None else result.ranking.attrs.get("top_k")
    ranking = result.ranking
    m = folium.Map(
        location=(23.6, -102.5),
        zoom_start=5,
        tiles=None,
        zoom_control=True,
        control_scale=True,
        zoom_snap=0.25,
    )
    m.default_js = [(n, u) for n, u in m.default_js if n in _offline.INLINED]
    m.default_css = [(n, u) for n, u in m.default_css if n in _offline.INLINED]
    folium.map.CustomPane(BASE_PANE, z_index=250, pointer_events=False).add_to(m)
    folium.map.CustomPane(AREA_PANE, z_index=350, pointer_events=True).add_to(m)
    data = page_data(
        result,
        lang=lang,
        top_k=top_k,
        title=title,
        context=context_data({k: v for k, v in result.layers.items() if k in LAYER_KEYS}),
        why=why_data(result) if why else None,
    )
    data["tiles"] = {
        "url": BASEMAP_URL,
        "attribution": escape(PAGE_TEXT[lang]["tiles_attribution"]),
    }
    data["shortlist_max"] = SHORTLIST_MAX
    lon = ranking["lon"].to_numpy(dtype=float)
    lat = ranking["lat"].to_numpy(dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    # the page fits these bounds itself, once its side panel has taken its share of the window
    # and before the sites are drawn (so they are drawn once), with no animation
    data["bounds"] = (
        [[float(lat[ok].min()), float(lon[ok].min())], [float(lat[ok].max()), float(lon[ok].max())]]
        if ok.any()
        else None
    )
    m.add_child(_Page(title=title or PAGE_TEXT[lang]["title"], data=data))
    m.siting_lang = lang  # type: ignore[attr-defined]
    return m


def render_page(m: folium.Map, *, offline: bool = True) -> str:
    """Return the HTML of the map's page (``<html lang>`` set; assets inlined if ``offline``)."""
    page = m.get_root().render()
    lang = getattr(m, "siting_lang", "en")
    page = page.replace("<html>", f'<html lang="{lang}">', 1)
    return _offline.inline_assets(page) if offline else page


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
        :mod:`siting.maps._offline`), so the file works with no network. The page opens on the
        offline base map; the online tiles are a layer choice.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    if not path.parent.is_dir():
        msg = f"cannot write the map to {str(path)!r}: folder {str(path.parent)!r} does not exist"
        raise FileNotFoundError(msg)
    page = render_page(m, offline=offline)
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
