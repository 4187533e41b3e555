"""Interactive browser map of a ranking (folium / Leaflet), savable as one offline HTML file.

:func:`interactive_map` draws the ranked candidates (circles coloured by score, a popup with the
per-criterion breakdown), the commercial border crossings (circle area proportional to trucks),
the seaports and two municipal choropleths (labour: population density; security: homicide rate),
with a layer control, a legend, the data credits and the run's notes. Each popup has a button
that adds the site to a comparison panel: the same side-by-side table as ``siting compare``
(rank, rank range over weight draws when the ranking has it, score, and each criterion's value,
0-1 value and points) for the sites a person picks in the browser. :func:`save_map` writes the
map atomically; by default as a single self-contained file that works without network
(see :mod:`maps._offline`).

Every string that reaches HTML goes through :func:`escape`: candidate names are user input. The
comparison's data is embedded as JSON made safe for a ``<script>`` element
(:func:`script_json`), and the panel is built with ``textContent`` only.
"""

from __future__ import annotations

import html
import json
import logging
import math
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from siting.maps import _offline
from siting.maps.style import (
    EXCLUDED_COLOR,
    HOMICIDE_BINS,
    LABOR_CMAP,
    LABOR_DENSITY_BINS,
    NODATA_COLOR,
    SECURITY_CMAP,
    SELECTED_COLOR,
    class_colors,
    classify,
    score_color,
    score_gradient_css,
)
from siting.maps.text import INTERACTIVE_TEXT as T
from siting.maps.text import TEXT

logger = logging.getLogger(__name__)

#: Basemap tiles (CARTO Positron, OpenStreetMap data). Offline they fail to load; the map stays
#: readable thanks to the state polygons drawn over a plain background.
BASEMAP_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
#: Background of the map where no tile is drawn (sea, or everything when offline).
BACKGROUND_COLOR = "#c6d6e3"
LAND_COLOR = "#f7f6f0"
#: Area layers are simplified with this tolerance (metres, EPSG:6372) and their coordinates
#: rounded to this many decimals (3 ≈ 100 m) to keep the HTML small.
SIMPLIFY_TOLERANCE_M = 500.0
COORD_DECIMALS = 3
#: CSS classes of the SVG paths of each symbol (used by tests and custom styling).
CANDIDATE_CLASS = "siting-candidate"
CROSSING_CLASS = "siting-crossing"
SEAPORT_CLASS = "siting-seaport"
#: Leaflet panes: state outlines under everything, choropleths under the point symbols.
BASE_PANE = "sitingBase"
AREA_PANE = "sitingAreas"
#: Circle radius (px) of a candidate, and of the top-ranked ones.
CANDIDATE_RADIUS = 6
TOP_RADIUS = 9
TOP_N = 10
#: Radius (px) range of the crossing circles; area ∝ trucks.
CROSSING_RADIUS = (3.0, 22.0)
CROSSING_COLOR = "#54278f"
SEAPORT_COLOR = "#08519c"

#: Most sites the comparison panel shows side by side.
COMPARE_MAX = 6
#: CSS classes of the popup's comparison button and of the comparison panel.
COMPARE_BUTTON_CLASS = "siting-compare-toggle"
COMPARE_PANEL_CLASS = "siting-compare"

REQUIRED_COLUMNS = ("rank", "name", "score", "state", "municipality")
#: Optional ranking columns from the Monte Carlo weight sensitivity; the rank range is shown
#: when all three are present, the share of draws in the top k when ``top_k_share`` is.
RANGE_COLUMNS = ("rank_best", "rank_median", "rank_worst")
#: Optional 5th-95th percentile ranks over the weight draws (``siting run`` adds them).
P90_COLUMNS = ("rank_p05", "rank_p95")
SHARE_COLUMN = "top_k_share"
LAYER_KEYS = ("states", "municipal_labor", "municipal_security", "crossings", "seaports")
CRITERION_KEYS = ("name", "label", "unit", "weight")


def escape(value: Any) -> str:
    r"""Return ``value`` as text safe inside HTML and inside a JavaScript template literal.

    folium embeds popup and tooltip HTML in backtick strings, where a backslash, a backtick or
    ``${`` would be interpreted; they become character references, which HTML shows literally.

    Examples
    --------
    >>> escape('<b>"A&B"</b> `${x}` \\')
    '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; &#96;&#36;{x}&#96; &#92;'
    """
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def script_json(value: Any) -> str:
    r"""Return ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u`` escapes, so no string can close the element
    (``</script>``) or open a comment; U+2028 and U+2029 are escaped too, and so are the
    backtick and ``$``, should the JSON ever land in a template literal. NaN is not JSON: pass
    ``None`` instead (a NaN raises ``ValueError``).

    Examples
    --------
    >>> script_json({"name": "</script><b>&"})
    '{"name": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    for char in "<>&`$\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _number(value: Any, unit: str = "") -> str:
    """Format a number for people as plain text: thousands separators, ~3 significant digits."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return "—"
    if math.isinf(v):  # a drive time to nowhere: the site cannot be routed
        return TEXT["unreachable"]
    a = abs(v)
    text = f"{v:,.0f}" if a >= 100 else f"{v:.1f}" if a >= 10 else f"{v:.2f}"
    return f"{text} {unit}" if unit else text


def _fmt(value: Any, unit: str = "") -> str:
    """Format a number for people, escaped for HTML (see :func:`_number`)."""
    return escape(_number(value, unit))


def _percent(weight: Any) -> str:
    return f"{float(weight) * 100:.3g}%"


def _text(value: Any) -> str:
    """Return ``value`` as text, empty for a missing value."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _whole(value: Any) -> str:
    """Format a rank: a whole number, ``—`` if missing."""
    return "—" if pd.isna(value) else f"{float(value):.0f}"


def _excluded_mask(ranking: pd.DataFrame) -> pd.Series:
    """Return whether each candidate is excluded (``excluded`` column, or no score)."""
    excluded = (
        ranking["excluded"].fillna(False).astype(bool)
        if "excluded" in ranking.columns
        else pd.Series(False, index=ranking.index)
    )
    return excluded | ranking["score"].isna()


def _has_range(ranking: pd.DataFrame) -> bool:
    return all(c in ranking.columns for c in RANGE_COLUMNS)


def _range_text(row: pd.Series, top_k: int | None) -> str:
    """Return the popup line on the rank range over weight draws ('' when not available)."""
    parts = []
    if all(c in row.index and pd.notna(row[c]) for c in RANGE_COLUMNS):
        parts.append(
            T["popup_range"].format(
                best=_whole(row["rank_best"]),
                worst=_whole(row["rank_worst"]),
                median=f"{float(row['rank_median']):g}",
            )
        )
        if all(c in row.index and pd.notna(row[c]) for c in P90_COLUMNS):
            parts.append(
                T["popup_p90"].format(lo=_whole(row["rank_p05"]), hi=_whole(row["rank_p95"]))
            )
    if SHARE_COLUMN in row.index and pd.notna(row[SHARE_COLUMN]):
        share = f"{float(row[SHARE_COLUMN]):.0%}"
        key = "popup_top_k" if top_k else "popup_top_any"
        parts.append(T[key].format(k=top_k, share=share))
    return "; ".join(parts)


def _check_inputs(
    ranking: gpd.GeoDataFrame, criteria: Sequence[Mapping[str, Any]], layers: Mapping[str, Any]
) -> None:
    """Raise one error listing every problem of the inputs."""
    if not isinstance(ranking, gpd.GeoDataFrame):
        msg = f"`ranking` must be a GeoDataFrame, received {type(ranking).__name__}"
        raise TypeError(msg)
    problems: list[str] = []
    if ranking.crs is None:
        problems.append("`ranking` has no CRS (expected EPSG:4326)")
    missing = [c for c in REQUIRED_COLUMNS if c not in ranking.columns]
    for i, crit in enumerate(criteria):
        lacking = [k for k in CRITERION_KEYS if k not in crit]
        if lacking:
            problems.append(f"`criteria[{i}]` lacks key(s) {lacking}")
            continue
        name = crit["name"]
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


def _geojson(gdf: gpd.GeoDataFrame, properties: dict[str, Sequence[Any]]) -> dict[str, Any]:
    """Return a compact GeoJSON FeatureCollection of simplified, rounded polygons."""
    geoms = gdf.geometry.to_crs("EPSG:6372").simplify(SIMPLIFY_TOLERANCE_M).to_crs("EPSG:4326")
    geoms = shapely.transform(geoms.to_numpy(), lambda xy: np.round(xy, COORD_DECIMALS))
    features = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        props = {k: v[i] for k, v in properties.items()}
        features.append(
            {"type": "Feature", "id": i, "properties": props, "geometry": geom.__geo_interface__}
        )
    return {"type": "FeatureCollection", "features": features}


def _class_label(bins: Sequence[float], i: int) -> str:
    lo = f"{bins[i]:,g}"
    return f"≥ {lo}" if i == len(bins) - 1 else f"{lo} – {bins[i + 1]:,g}"


def _choropleth(
    gdf: gpd.GeoDataFrame,
    values: pd.Series,
    bins: Sequence[float],
    cmap: str,
    tips: Sequence[str],
    name: str,
) -> tuple[folium.GeoJson, str]:
    """Return a hidden choropleth layer and its legend section (HTML)."""
    colors = class_colors(cmap, len(bins))
    classes = classify(values.to_numpy(dtype=float), bins)
    styles = {
        int(k): {
            "fillColor": NODATA_COLOR if k < 0 else colors[k],
            "fillOpacity": 0.65,
            "color": "#ffffff",
            "weight": 0.4,
        }
        for k in range(-1, len(bins))
    }
    data = _geojson(gdf, {"k": [int(k) for k in classes], "tip": list(tips)})

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        return styles[feature["properties"]["k"]]

    layer = folium.GeoJson(
        data,
        name=escape(name),
        show=False,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        pane=AREA_PANE,
    )
    swatch = '<div class="siting-row"><i style="background:{}"></i>{}</div>'
    rows = [swatch.format(colors[i], _class_label(bins, i)) for i in range(len(bins))]
    if (classes < 0).any():
        rows.append(swatch.format(NODATA_COLOR, escape(T["no_data"])))
    return layer, "".join(rows)


def _labor_layer(gdf: gpd.GeoDataFrame) -> tuple[folium.GeoJson, str]:
    tips = [
        f"<b>{escape(m)}</b>, {escape(s)}<br>{escape(T['population'])}: {_fmt(p)}"
        f"<br>{escape(T['density'])}: {_fmt(d)}"
        for m, s, p, d in zip(
            gdf["municipality"], gdf["state"], gdf["population"], gdf["density_km2"], strict=True
        )
    ]
    layer, rows = _choropleth(
        gdf, gdf["density_km2"], LABOR_DENSITY_BINS, LABOR_CMAP, tips, T["layer_labor"]
    )
    return layer, f'<div class="siting-subtitle">{escape(T["legend_labor"])}</div>{rows}'


def _security_layer(gdf: gpd.GeoDataFrame) -> tuple[folium.GeoJson, str]:
    # municipalities sharing every displayed value (today: all those of a state, since the
    # indicators are state figures) are merged, which keeps the file small
    shown = [c for c in ("CVE_ENT", "state", "homicide_rate", "cargo_theft_rate",
                         "advisory_level", "advisory_label") if c in gdf.columns]  # fmt: skip
    merged = gdf[[*shown, "geometry"]].dissolve(by=shown, dropna=False, as_index=False)
    tips = []
    for _, row in merged.iterrows():
        tip = f"<b>{escape(row.get('state', ''))}</b>"
        tip += f"<br>{escape(T['homicide_rate'])}: {_fmt(row['homicide_rate'])}"
        if "cargo_theft_rate" in row:
            tip += f"<br>{escape(T['cargo_theft_rate'])}: {_fmt(row['cargo_theft_rate'])}"
        if "advisory_level" in row:
            label = escape(row.get("advisory_label", ""))
            tip += f"<br>{escape(T['advisory'])}: {_fmt(row['advisory_level'])} {label}"
        tips.append(tip)
    layer, rows = _choropleth(
        merged, merged["homicide_rate"], HOMICIDE_BINS, SECURITY_CMAP, tips, T["layer_security"]
    )
    return layer, f'<div class="siting-subtitle">{escape(T["legend_security"])}</div>{rows}'


def _popup_html(
    row: pd.Series,
    criteria: Sequence[Mapping[str, Any]],
    excluded: bool,
    *,
    site_id: int,
    top_k: int | None = None,
) -> str:
    rank = row["rank"]
    ranked = not excluded and pd.notna(rank)
    head = f"#{int(rank)} · " if ranked else ""
    parts = [
        '<div class="siting-popup">',
        f'<div class="siting-popup-title">{head}{escape(row["name"])}</div>',
        f'<div class="siting-popup-sub">{escape(row["municipality"])}, '
        f"{escape(row['state'])}</div>",
    ]
    if excluded:
        by = row.get("excluded_by", "")
        by = "" if pd.isna(by) else f": {escape(by)}"
        parts.append(f'<div class="siting-popup-excluded">{escape(T["excluded_by"])}{by}</div>')
    else:
        parts.append(
            f'<div class="siting-popup-score">{escape(TEXT["score"])} '
            f"<b>{_fmt(row['score'])}</b> / 100</div>"
        )
    # near the top: the popup opens above its marker, so its bottom may be under a map box
    parts.append(
        f'<div class="siting-popup-actions"><button type="button" class="{COMPARE_BUTTON_CLASS}"'
        f' data-siting-id="{int(site_id)}" aria-pressed="false">'
        f"{escape(T['compare_add'])}</button></div>"
    )
    parts.append(
        '<table class="siting-breakdown"><thead><tr>'
        f"<th>{escape(T['criterion'])}</th><th>{escape(T['value'])}</th>"
        f"<th>{escape(T['normalized'])}</th><th>{escape(T['weight'])}</th>"
        f"<th>{escape(T['points'])}</th></tr></thead><tbody>"
    )
    for crit in criteria:
        name = crit["name"]
        parts.append(
            f"<tr><td>{escape(crit['label'])}</td><td>{_fmt(row[name], crit['unit'])}</td>"
            f"<td>{_fmt(row[f'norm_{name}'])}</td><td>{_percent(crit['weight'])}</td>"
            f"<td>{_fmt(row[f'contrib_{name}'])}</td></tr>"
        )
    parts.append(
        f'</tbody><tfoot><tr><td colspan="4">{escape(T["total"])}</td>'
        f"<td>{_fmt(row['score'])}</td></tr></tfoot></table>"
    )
    context = [
        f"{escape(T[key])}: {escape(row[key])}"
        for key in ("nearest_crossing", "nearest_seaport", "distance_method")
        if key in row.index and pd.notna(row[key])
    ]
    if context:
        parts.append(f'<div class="siting-popup-note">{" · ".join(context)}</div>')
    sensitivity = "" if excluded else _range_text(row, top_k)
    if sensitivity:
        parts.append(f'<div class="siting-popup-range">{escape(sensitivity)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _candidates_layer(
    ranking: gpd.GeoDataFrame, criteria: Sequence[Mapping[str, Any]], *, top_k: int | None
) -> folium.FeatureGroup:
    """Return the candidates; site ids (comparison) are positions in ``ranking``."""
    group = folium.FeatureGroup(name=escape(T["layer_candidates"]))
    excluded = _excluded_mask(ranking).to_numpy()
    # excluded first, then worst to best: the best end up on top
    order = ranking.assign(
        _id=np.arange(len(ranking)), _ex=~excluded, _r=-ranking["rank"].fillna(np.inf)
    ).sort_values(["_ex", "_r"], kind="stable")
    for _, row in order.iterrows():
        is_excluded = bool(excluded[row["_id"]])
        top = not is_excluded and pd.notna(row["rank"]) and row["rank"] <= TOP_N
        color = EXCLUDED_COLOR if is_excluded else score_color(float(row["score"]))
        label = (
            f"{escape(row['name'])} ({escape(T['excluded'])})"
            if is_excluded or pd.isna(row["rank"])
            else f"#{int(row['rank'])} {escape(row['name'])}"
        )
        folium.CircleMarker(
            location=(row.geometry.y, row.geometry.x),
            radius=TOP_RADIUS if top else CANDIDATE_RADIUS,
            color="#222222",
            weight=1.5 if top else 0.8,
            fill=True,
            fill_color=color,
            fill_opacity=0.5 if is_excluded else 0.9,
            class_name=CANDIDATE_CLASS,
            popup=folium.Popup(
                _popup_html(row, criteria, is_excluded, site_id=row["_id"], top_k=top_k),
                max_width=480,
                autoPanPaddingTopLeft=(60, 60),
            ),
            tooltip=folium.Tooltip(label),
        ).add_to(group)
    return group


def _range_cell(lo: Any, hi: Any) -> str:
    """A rank range as the comparison panel shows it ("—" when either end is missing)."""
    if pd.isna(lo) or pd.isna(hi):
        return "—"
    return T["range_cell"].format(best=_whole(lo), worst=_whole(hi))


def _compare_data(
    ranking: pd.DataFrame, criteria: Sequence[Mapping[str, Any]], *, top_k: int | None
) -> dict[str, Any]:
    """Return the comparison panel's data: row headings and, per site id, its formatted cells.

    Rows follow ``siting compare``; each has the ``field`` of ``ranking.csv`` it shows
    (``rank_range`` is best to worst), or ``None`` for a criterion's heading. Cells are plain text,
    formatted like the popups.
    """
    rows: list[dict[str, Any]] = [{"field": "rank", "label": TEXT["rank"]}]
    has_range = _has_range(ranking)
    has_share = SHARE_COLUMN in ranking.columns
    has_p90 = has_range and all(c in ranking.columns for c in P90_COLUMNS)
    if has_range:
        rows.append({"field": "rank_range", "label": T["rank_range"]})
        if has_p90:
            rows.append({"field": "rank_p90", "label": T["rank_p90"]})
        rows.append({"field": "rank_median", "label": T["rank_median"]})
    if has_share:
        label = T["top_k_share"].format(k=top_k) if top_k else T["top_k_share_any"]
        rows.append({"field": SHARE_COLUMN, "label": label})
    rows.append({"field": "score", "label": TEXT["score"]})
    for crit in criteria:
        name = crit["name"]
        heading = T["compare_criterion"].format(
            label=crit["label"], weight=_percent(crit["weight"])
        )
        rows += [
            {"field": None, "label": heading},
            {"field": name, "label": T["value"]},
            {"field": f"norm_{name}", "label": T["normalized"]},
            {"field": f"contrib_{name}", "label": T["points"]},
        ]
    excluded = _excluded_mask(ranking).to_numpy()
    sites: dict[str, dict[str, Any]] = {}
    for i, (_, row) in enumerate(ranking.iterrows()):
        if excluded[i]:
            rule = _text(row.get("excluded_by"))
            rank = T["compare_excluded"].format(rule=rule) if rule else T["compare_excluded_plain"]
        elif pd.isna(row["rank"]):
            rank = T["not_ranked"]
        else:
            rank = _whole(row["rank"])
        cells = {"rank": rank, "score": _number(row["score"])}
        if has_range:
            cells["rank_range"] = _range_cell(row["rank_best"], row["rank_worst"])
            median = row["rank_median"]
            cells["rank_median"] = "—" if pd.isna(median) else f"{float(median):g}"
        if has_p90:
            cells["rank_p90"] = _range_cell(row["rank_p05"], row["rank_p95"])
        if has_share:
            share = row[SHARE_COLUMN]
            cells[SHARE_COLUMN] = "—" if pd.isna(share) else f"{float(share):.0%}"
        for crit in criteria:
            name = crit["name"]
            cells[name] = _number(row[name], _text(crit["unit"]))
            cells[f"norm_{name}"] = _number(row[f"norm_{name}"])
            cells[f"contrib_{name}"] = _number(row[f"contrib_{name}"])
        place = ", ".join(t for t in (_text(row["municipality"]), _text(row["state"])) if t)
        sites[str(i)] = {
            "name": _text(row["name"]),
            "place": place,
            "excluded": bool(excluded[i]),
            "cells": cells,
        }
    text = {
        "title": T["compare_title"],
        "clear": T["compare_clear"],
        "add": T["compare_add"],
        "remove": T["compare_remove"],
        "drop": T["compare_drop"],
        "full": T["compare_full"].format(max=COMPARE_MAX),
    }
    return {"max": COMPARE_MAX, "rows": rows, "sites": sites, "text": text}


def _crossings_layer(gdf: gpd.GeoDataFrame) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=escape(T["layer_crossings"]))
    trucks = gdf["trucks"].astype(float)
    top = float(trucks.max()) if len(gdf) else 1.0
    lo, hi = CROSSING_RADIUS
    for _, row in gdf.assign(_t=trucks).sort_values("_t", ascending=False).iterrows():
        radius = lo + (hi - lo) * math.sqrt(max(row["_t"], 0.0) / top) if top > 0 else lo
        twin = row.get("mx_twin_city")
        twin = f" ({escape(twin)})" if isinstance(twin, str) and twin else ""
        folium.CircleMarker(
            location=(row.geometry.y, row.geometry.x),
            radius=round(radius, 1),
            color=CROSSING_COLOR,
            weight=1,
            fill=True,
            fill_color=CROSSING_COLOR,
            fill_opacity=0.35,
            class_name=CROSSING_CLASS,
            popup=folium.Popup(
                f"<b>{escape(T['port'])}: {escape(row['port_name'])}</b>{twin}"
                f"<br>{escape(T['trucks'])}: {_fmt(row['_t'])}",
                max_width=300,
            ),
            tooltip=folium.Tooltip(escape(row["port_name"])),
        ).add_to(group)
    return group


def _seaports_layer(gdf: gpd.GeoDataFrame) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=escape(T["layer_seaports"]))
    for _, row in gdf.iterrows():
        code = row.get("unlocode")
        code = f" ({escape(code)})" if isinstance(code, str) else ""
        folium.CircleMarker(
            location=(row.geometry.y, row.geometry.x),
            radius=4,
            color=SEAPORT_COLOR,
            weight=2,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1.0,
            class_name=SEAPORT_CLASS,
            popup=folium.Popup(
                f"<b>{escape(T['seaport'])}: {escape(row['name'])}</b>{code}", max_width=300
            ),
            tooltip=folium.Tooltip(escape(row["name"])),
        ).add_to(group)
    return group


def _states_layer(gdf: gpd.GeoDataFrame) -> folium.GeoJson:
    return folium.GeoJson(
        _geojson(gdf, {}),
        name=escape(T["layer_states"]),
        control=False,
        style_function=lambda _: {
            "fillColor": LAND_COLOR,
            "fillOpacity": 0.7,
            "color": "#8c8c8c",
            "weight": 0.8,
        },
        pane=BASE_PANE,
        interactive=False,
    )


def _svg_circle(radius: float, fill: str, stroke: str, opacity: float = 0.9) -> str:
    size = 2 * radius + 4
    return (
        f'<svg width="{size:g}" height="{size:g}"><circle cx="{size / 2:g}" cy="{size / 2:g}" '
        f'r="{radius:g}" fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}"/></svg>'
    )


def _legend_html(has_excluded: bool, has_crossings: bool, has_seaports: bool) -> str:
    mid = score_color(50.0)
    rows = [
        f'<div class="siting-title2">{escape(T["legend"])}</div>',
        f'<div class="siting-subtitle">{escape(T["legend_score"])}</div>',
        f'<div class="siting-gradient" style="background:{score_gradient_css()}"></div>',
        '<div class="siting-gradient-labels"><span>0</span><span>50</span><span>100</span></div>',
        f'<div class="siting-row">{_svg_circle(TOP_RADIUS, mid, "#222")}'
        f"{escape(T['legend_top'])}</div>",
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
            f'<div class="siting-row">{_svg_circle(4, "#ffffff", SEAPORT_COLOR, 1.0)}'
            f"{escape(T['legend_seaport'])}</div>"
        )
    return "".join(rows)


_CSS = """
.leaflet-container { background: {{ background }}; }
.leaflet-control-layers { font-size: 13px; }
.leaflet-tooltip { font-size: 12px; }
.siting-box { background: rgba(255,255,255,0.93); padding: 6px 9px; border-radius: 5px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font: 12px/1.35 "Helvetica Neue", Arial, sans-serif;
  color: #222; }
.siting-title { font-size: 15px; font-weight: bold; max-width: 360px; }
.siting-title2 { font-weight: bold; font-size: 13px; margin-bottom: 2px; }
.siting-subtitle { font-weight: bold; margin-top: 5px; }
.siting-legend { max-width: 230px; max-height: 60vh; overflow-y: auto; }
.siting-gradient { height: 10px; border-radius: 2px; margin-top: 3px; }
.siting-gradient-labels { display: flex; justify-content: space-between; font-size: 10px; }
.siting-row { display: flex; align-items: center; gap: 5px; margin-top: 2px; }
.siting-row > i { display: inline-block; width: 14px; height: 10px; flex: none; }
.siting-row > svg { flex: none; }
.siting-notes { max-width: 340px; font-size: 11px; }
.siting-notes ul { margin: 2px 0 4px 16px; padding: 0; }
.siting-credits { color: #444; }
.siting-popup { font: 12px/1.35 "Helvetica Neue", Arial, sans-serif; min-width: 320px; }
.siting-popup-title { font-size: 14px; font-weight: bold; }
.siting-popup-sub { color: #555; margin-bottom: 3px; }
.siting-popup-score { font-size: 13px; margin-bottom: 4px; }
.siting-popup-excluded { color: #a50026; font-weight: bold; margin-bottom: 4px; }
.siting-breakdown { border-collapse: collapse; width: 100%; }
.siting-breakdown th, .siting-breakdown td { padding: 2px 4px; border-bottom: 1px solid #e3e3e3;
  text-align: right; vertical-align: top; }
.siting-breakdown td { white-space: nowrap; }
.siting-breakdown td:first-child { white-space: normal; min-width: 130px; }
.siting-breakdown th:first-child, .siting-breakdown td:first-child { text-align: left; }
.siting-breakdown thead th { font-size: 11px; color: #555; font-weight: normal; }
.siting-breakdown tfoot td { font-weight: bold; border-bottom: none; border-top: 1px solid #999; }
.siting-popup-note { color: #555; font-size: 11px; margin-top: 4px; }
.siting-popup-range { font-size: 11px; margin-top: 4px; }
.siting-popup-actions { margin-bottom: 5px; }
.siting-box button, .siting-popup-actions button { font: inherit; cursor: pointer;
  padding: 2px 8px; border: 1px solid #888; border-radius: 3px; background: #f4f4f4; }
.siting-popup-actions button[aria-pressed="true"] { background: #e3e9fb;
  border-color: {{ selected }}; }
.siting-compare { max-width: min(600px, 50vw); max-height: 60vh; overflow: auto; }
.siting-compare-head { display: flex; align-items: center; gap: 10px;
  justify-content: space-between; }
.siting-compare-message { color: #a50026; margin-top: 3px; }
.siting-compare-table { border-collapse: collapse; margin-top: 4px; }
.siting-compare-table th, .siting-compare-table td { padding: 2px 5px; text-align: right;
  border-bottom: 1px solid #e3e3e3; vertical-align: top; }
.siting-compare-table thead th { vertical-align: bottom; max-width: 150px;
  overflow-wrap: anywhere; position: sticky; top: 0; background: #fff; z-index: 1; }
.siting-compare-table th[scope="row"] { text-align: left; font-weight: normal; color: #555;
  padding-left: 12px; min-width: 110px; max-width: 170px; }
.siting-compare-table tr.siting-compare-group th { text-align: left; font-weight: bold;
  padding-top: 5px; color: #222; }
.siting-compare-table td { white-space: nowrap; }
.siting-compare-table tr[data-field="rank"] td, .siting-compare-table tr[data-field="score"] td {
  font-weight: bold; }
.siting-compare-table td.siting-compare-excluded { color: #a50026; white-space: normal; }
.siting-compare-place { font-weight: normal; color: #555; font-size: 11px; }
.siting-compare-table thead button { padding: 0 5px; margin-top: 2px; }
"""


class _Chrome(MacroElement):
    """Title, zoom buttons, legend and notes/credits boxes, plus the page CSS.

    Added last, so the legend sections of the choropleths can follow their layers' visibility.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            function box(position, cls, content) {
                var Control = L.Control.extend({
                    options: { position: position },
                    onAdd: function () {
                        var div = L.DomUtil.create("div", "siting-box " + cls);
                        div.innerHTML = content;
                        L.DomEvent.disableClickPropagation(div);
                        L.DomEvent.disableScrollPropagation(div);
                        return div;
                    }
                });
                return new Control().addTo(map);
            }
            box("topleft", "siting-title", {{ this.title|tojson }});
            L.control.zoom({ position: "topleft" }).addTo(map);
            var legend = box("bottomleft", "siting-legend", {{ this.legend|tojson }});
            box("bottomright", "siting-notes", {{ this.notes|tojson }});
            var sections = {{ this.sections|tojson }};
            var container = legend.getContainer();
            Object.keys(sections).forEach(function (layer) {
                var div = L.DomUtil.create("div", "siting-legend-section", container);
                div.setAttribute("data-layer", layer);
                div.innerHTML = sections[layer];
            });
            function refresh() {
                container.querySelectorAll(".siting-legend-section").forEach(function (div) {
                    var layer = window[div.getAttribute("data-layer")];
                    div.style.display = layer && map.hasLayer(layer) ? "" : "none";
                });
            }
            map.on("overlayadd overlayremove", refresh);
            refresh();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, title: str, legend: str, notes: str, sections: dict[str, str]) -> None:
        super().__init__()
        self._name = "SitingChrome"
        self.title = title
        self.legend = legend
        self.notes = notes
        self.sections = sections
        self.css = Template(_CSS).render(background=BACKGROUND_COLOR, selected=SELECTED_COLOR)


class _Comparison(MacroElement):
    """The comparison panel and the popups' add/remove buttons (see :func:`_compare_data`).

    The data is embedded with :func:`script_json`; the panel is built with ``createElement`` and
    ``textContent`` only, so names and rules can never become markup.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, group, data) {
            var T = data.text, selected = [], buttons = {}, markers = {}, outline = {};
            var message = "";
            group.eachLayer(function (layer) {
                var popup = layer.getPopup(), content = popup && popup.getContent();
                var button = content && content.querySelector
                    && content.querySelector(".{{ this.button_class }}");
                if (!button) { return; }
                var id = button.getAttribute("data-siting-id");
                buttons[id] = button;
                markers[id] = layer;
                outline[id] = { color: layer.options.color, weight: layer.options.weight };
                button.addEventListener("click", function (event) {
                    L.DomEvent.stop(event);
                    toggle(id);
                });
            });
            var Panel = L.Control.extend({
                options: { position: "topright" },
                onAdd: function () {
                    var div = L.DomUtil.create("div", "siting-box {{ this.panel_class }}");
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                }
            });
            var box = new Panel().addTo(map).getContainer();
            function add(parent, tag, cls, text) {
                var el = document.createElement(tag);
                if (cls) { el.className = cls; }
                if (text !== undefined) { el.textContent = text; }
                parent.appendChild(el);
                return el;
            }
            function button(parent, text, onclick) {
                var b = add(parent, "button", "", text);
                b.type = "button";
                b.addEventListener("click", function (event) {
                    L.DomEvent.stop(event);
                    onclick();
                });
                return b;
            }
            function toggle(id) {
                var at = selected.indexOf(id);
                message = "";
                if (at >= 0) {
                    selected.splice(at, 1);
                } else if (selected.length >= data.max) {
                    message = T.full;
                } else {
                    selected.push(id);
                }
                render();
            }
            function clear() {
                selected = [];
                message = "";
                render();
            }
            function render() {
                Object.keys(buttons).forEach(function (id) {
                    var on = selected.indexOf(id) >= 0;
                    buttons[id].textContent = on ? T.remove : T.add;
                    buttons[id].setAttribute("aria-pressed", on ? "true" : "false");
                    markers[id].setStyle(on
                        ? { color: {{ this.selected_color|tojson }}, weight: 3.5 }
                        : outline[id]);
                });
                while (box.firstChild) { box.removeChild(box.firstChild); }
                box.style.display = selected.length ? "" : "none";
                if (!selected.length) { return keepPopupsClear(); }
                var head = add(box, "div", "siting-compare-head");
                add(head, "div", "siting-title2", T.title);
                button(head, T.clear, clear).className = "siting-compare-clear";
                if (message) { add(box, "div", "siting-compare-message", message); }
                var table = add(box, "table", "siting-compare-table");
                var tr = add(add(table, "thead"), "tr");
                add(tr, "th");
                selected.forEach(function (id) {
                    var site = data.sites[id];
                    var th = add(tr, "th");
                    th.setAttribute("scope", "col");
                    th.setAttribute("data-siting-id", id);
                    add(th, "div", "siting-compare-name", site.name);
                    add(th, "div", "siting-compare-place", site.place);
                    var drop = button(th, T.drop, function () { toggle(id); });
                    drop.className = "siting-compare-drop";
                    drop.title = T.remove;
                    drop.setAttribute("aria-label", T.remove + ": " + site.name);
                });
                var body = add(table, "tbody");
                data.rows.forEach(function (row) {
                    var tr = add(body, "tr");
                    if (row.field === null) {
                        tr.className = "siting-compare-group";
                        var th = add(tr, "th", "", row.label);
                        th.colSpan = selected.length + 1;
                        return;
                    }
                    tr.setAttribute("data-field", row.field);
                    add(tr, "th", "", row.label).setAttribute("scope", "row");
                    selected.forEach(function (id) {
                        var site = data.sites[id];
                        var cls = row.field === "rank" && site.excluded
                            ? "siting-compare-excluded" : "";
                        add(tr, "td", cls, site.cells[row.field]);
                    });
                });
                fit();
                keepPopupsClear();
            }
            // the panel ends above the boxes in the lower right corner (notes, credits)
            function fit() {
                var below = map.getContainer().querySelector(".leaflet-bottom.leaflet-right");
                var room = map.getSize().y - box.offsetTop - 20
                    - (below ? below.offsetHeight : 0);
                box.style.maxHeight = Math.max(room, 160) + "px";
            }
            map.on("resize", function () {
                if (selected.length) { fit(); keepPopupsClear(); }
            });
            // popups pan clear of the panel (right side); an open one moves if now covered
            function keepPopupsClear() {
                var pad = [selected.length ? box.offsetWidth + 20 : 5, 5];
                Object.keys(markers).forEach(function (id) {
                    var popup = markers[id].getPopup();
                    popup.options.autoPanPaddingBottomRight = pad;
                    if (markers[id].isPopupOpen()) { popup.update(); }
                });
            }
            render();
        })({{ this._parent.get_name() }}, {{ this.group }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, *, group: str, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "SitingComparison"
        self.group = group
        self.data = script_json(data)
        self.button_class = COMPARE_BUTTON_CLASS
        self.panel_class = COMPARE_PANEL_CLASS
        self.selected_color = SELECTED_COLOR


def _notes_html(notes: Sequence[str], credits: Sequence[str]) -> str:
    parts = []
    if notes:
        items = "".join(f"<li>{escape(n)}</li>" for n in notes)
        parts.append(f"<b>{escape(T['notes'])}</b><ul>{items}</ul>")
    if credits:
        joined = " · ".join(escape(c) for c in credits)
        label = escape(TEXT["credits"])
        parts.append(f'<div class="siting-credits"><b>{label}</b>: {joined}</div>')
    return "".join(parts)


def interactive_map(
    ranking: gpd.GeoDataFrame,
    criteria: Sequence[Mapping[str, Any]],
    *,
    layers: Mapping[str, gpd.GeoDataFrame],
    credits: Sequence[str],
    notes: Sequence[str],
    title: str | None = None,
    top_k: int | None = None,
) -> folium.Map:
    """Return a folium map of a ranking, its context layers, a legend, credits and notes.

    Parameters
    ----------
    ranking
        Ranked candidates (points), as ``RunResult.ranking``: columns ``rank``, ``name``,
        ``score``, ``state``, ``municipality`` and, for each criterion ``NAME``, ``NAME``,
        ``norm_NAME`` and ``contrib_NAME``; optional ``excluded`` / ``excluded_by``,
        ``nearest_crossing``, ``nearest_seaport``, ``distance_method`` and, from the weight
        sensitivity, ``rank_best`` / ``rank_median`` / ``rank_worst`` (rank range, shown when
        all three are present) and ``top_k_share``.
    criteria
        Criteria in display order: dicts with ``name``, ``label``, ``unit`` and ``weight``.
    layers
        Context layers, any subset of ``"states"`` (background land), ``"municipal_labor"``
        (``population``, ``density_km2``), ``"municipal_security"`` (``homicide_rate``, optional
        ``cargo_theft_rate``, ``advisory_level``, ``advisory_label``), ``"crossings"``
        (``port_name``, ``trucks``) and ``"seaports"`` (``name``).
    credits
        Data credits, shown in a box on the map.
    notes
        Caveats shown on the map (e.g. that distances are straight-line).
    title
        Title shown on the map; defaults to the package's standard title.
    top_k
        The k of ``top_k_share`` (the share of weight draws in which a site is in the top k);
        default ``ranking.attrs["top_k"]`` if set, else the labels do not name k.

    Returns
    -------
    folium.Map
        Candidates are ``CircleMarker`` with CSS class :data:`CANDIDATE_CLASS`, whose popups
        have a button (:data:`COMPARE_BUTTON_CLASS`) adding the site to the comparison panel
        (:data:`COMPARE_PANEL_CLASS`, hidden while empty, at most :data:`COMPARE_MAX` sites);
        choropleths are hidden until switched on in the layer control.

    Raises
    ------
    TypeError
        If ``ranking`` is not a GeoDataFrame.
    ValueError
        Listing every missing column, criterion key or unknown layer.
    """
    _check_inputs(ranking, criteria, layers)
    if top_k is None:
        top_k = ranking.attrs.get("top_k")
    ranking = ranking.to_crs("EPSG:4326")
    ctx = {k: v.to_crs("EPSG:4326") for k, v in layers.items()}

    m = folium.Map(
        location=(23.6, -102.5),
        zoom_start=5,
        tiles=None,
        zoom_control=False,
        control_scale=True,
        zoom_snap=0.25,  # fit Mexico snugly, not to the next whole zoom level
    )
    # instance-level: our map needs only Leaflet and jQuery (folium's popups use $), not
    # Bootstrap, glyphicons, Font Awesome or awesome-markers (see maps._offline)
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
    legend = _legend_html(has_excluded, "crossings" in ctx, "seaports" in ctx)
    m.add_child(
        _Chrome(
            title=escape(title if title is not None else TEXT["title"]),
            legend=legend,
            notes=_notes_html(notes, credits),
            sections=sections,
        )
    )
    if len(ranking):
        minx, miny, maxx, maxy = ranking.total_bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(30, 30), max_zoom=9)
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
        :mod:`maps._offline`), so the file works with no network. Basemap tiles still need
        network; without it the map shows a plain background.

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
