"""Context layers of the interactive map: states, labour and security choropleths, crossings, ports.

The states are the land under everything (drawn in their own pane, not in the layer control);
the two municipal choropleths start hidden and bring their own legend section; border crossings
are circles whose area is proportional to their truck traffic. Area layers are simplified and
their coordinates rounded to keep ``map.html`` small.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.layers import CRS_GEO, CRS_METRIC
from siting.maps.interactive.formatting import _fmt, _number, _text, _whole, escape
from siting.maps.style import (
    HOMICIDE_BINS,
    LABOR_CMAP,
    LABOR_DENSITY_BINS,
    NODATA_COLOR,
    SECURITY_CMAP,
    class_colors,
    classify,
)
from siting.maps.text import INTERACTIVE_TEXT as T

#: Fill of the states (the land, drawn over the plain background when tiles are missing).
LAND_COLOR = "#f7f6f0"
#: Area layers are simplified with this tolerance (metres, in :data:`siting.layers.CRS_METRIC`)
#: and their coordinates rounded to this many decimals (3 ≈ 100 m) to keep the HTML small.
SIMPLIFY_TOLERANCE_M = 500.0
COORD_DECIMALS = 3
#: Tolerance (metres) of the two municipal choropleths: about 2,470 municipalities each, a
#: context layer seen at zoom 5-9 (1,000 m is about 3 px at zoom 9); halves their share of the
#: page compared with :data:`SIMPLIFY_TOLERANCE_M`.
MUNICIPAL_SIMPLIFY_TOLERANCE_M = 1000.0
#: CSS classes of the SVG paths of the point symbols (used by tests and custom styling).
CROSSING_CLASS = "siting-crossing"
SEAPORT_CLASS = "siting-seaport"
#: Leaflet panes: state outlines under everything, choropleths under the point symbols.
BASE_PANE = "sitingBase"
AREA_PANE = "sitingAreas"
#: Radius (px) range of the crossing circles; area ∝ trucks.
CROSSING_RADIUS = (3.0, 22.0)
#: Radius (px) range of the container-port circles; area ∝ containers (TEU per year).
SEAPORT_RADIUS = (4.0, 14.0)
CROSSING_COLOR = "#54278f"
SEAPORT_COLOR = "#08519c"
#: The context layers :func:`~siting.maps.interactive.interactive_map` draws, by key of
#: ``RunResult.layers``.
LAYER_KEYS = ("states", "municipal_labor", "municipal_security", "crossings", "seaports")


def _geojson(
    gdf: gpd.GeoDataFrame,
    properties: dict[str, Sequence[Any]],
    *,
    tolerance: float = SIMPLIFY_TOLERANCE_M,
) -> dict[str, Any]:
    """Return a compact GeoJSON FeatureCollection of simplified, rounded polygons.

    ``tolerance`` is the simplification tolerance in metres.
    """
    geoms = gdf.geometry.to_crs(CRS_METRIC).simplify(tolerance).to_crs(CRS_GEO)
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
    """Return the legend label of class ``i`` of lower bounds ``bins`` (the last is open).

    Examples
    --------
    >>> _class_label([0, 10, 1000], 1), _class_label([0, 10, 1000], 2)
    ('10 – 1,000', '≥ 1,000')
    """
    lo = f"{bins[i]:,g}"
    return f"≥ {lo}" if i == len(bins) - 1 else f"{lo} – {bins[i + 1]:,g}"


def _choropleth(
    gdf: gpd.GeoDataFrame,
    values: pd.Series,
    bins: Sequence[float],
    cmap: str,
    fields: dict[str, Sequence[str]],
    name: str,
    *,
    aliases: Sequence[str] | None = None,
) -> tuple[folium.GeoJson, str]:
    """Return a hidden choropleth layer and its legend section (HTML).

    ``fields`` are the tooltip's rows (escaped HTML, one per feature), shown after ``aliases``
    (escaped HTML) when given: a label written once in the page rather than in every feature.
    """
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
    data = _geojson(
        gdf,
        {"k": [int(k) for k in classes], **{k: list(v) for k, v in fields.items()}},
        tolerance=MUNICIPAL_SIMPLIFY_TOLERANCE_M,
    )

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        return styles[feature["properties"]["k"]]

    tooltip = (
        folium.GeoJsonTooltip(fields=list(fields), labels=False)
        if aliases is None
        else folium.GeoJsonTooltip(fields=list(fields), aliases=list(aliases), labels=True)
    )
    layer = folium.GeoJson(
        data,
        name=escape(name),
        show=False,
        style_function=style,
        tooltip=tooltip,
        pane=AREA_PANE,
    )
    swatch = '<div class="siting-row"><i style="background:{}"></i>{}</div>'
    rows = [swatch.format(colors[i], _class_label(bins, i)) for i in range(len(bins))]
    if (classes < 0).any():
        rows.append(swatch.format(NODATA_COLOR, escape(T["no_data"])))
    return layer, "".join(rows)


def _labor_layer(gdf: gpd.GeoDataFrame) -> tuple[folium.GeoJson, str]:
    """Return the labour choropleth (population density) and its legend section."""
    tips = [
        f"<b>{escape(m)}</b>, {escape(s)}<br>{escape(T['population'])}: {_fmt(p)}"
        f"<br>{escape(T['density'])}: {_fmt(d)}"
        for m, s, p, d in zip(
            gdf["municipality"], gdf["state"], gdf["population"], gdf["density_km2"], strict=True
        )
    ]
    layer, rows = _choropleth(
        gdf, gdf["density_km2"], LABOR_DENSITY_BINS, LABOR_CMAP, {"tip": tips}, T["layer_labor"]
    )
    return layer, f'<div class="siting-subtitle">{escape(T["legend_labor"])}</div>{rows}'


def _security_layer(gdf: gpd.GeoDataFrame) -> tuple[folium.GeoJson, str]:
    """Return the security choropleth (municipal homicide rate) and its legend section.

    One feature per municipality (the rate is municipal); the tooltip adds the state figures.
    Its rows are labelled once in the page (``aliases``), each feature holding only its values,
    rounded: this layer is a large part of ``map.html``.
    """
    n = len(gdf)

    def column(name: str) -> pd.Series:
        return gdf[name] if name in gdf.columns else pd.Series([np.nan] * n, index=gdf.index)

    fields: dict[str, list[str]] = {
        "m": [
            f"<b>{escape(_text(m))}</b>, {escape(_text(s))}"
            for m, s in zip(column("municipality"), column("state"), strict=True)
        ],
        "h": [_fmt(v) for v in gdf["homicide_rate"]],
    }
    aliases = [escape(T["municipality"]), escape(T["homicide_rate"])]
    optional = (
        ("homicide_rate_state", "homicide_rate_state"),
        ("cargo_theft_rate", "cargo_theft_rate"),
    )
    for key, (col, label) in zip(("hs", "c"), optional, strict=True):
        if col in gdf.columns:
            fields[key] = [_fmt(v) for v in gdf[col]]
            aliases.append(escape(T[label]))
    if "advisory_level" in gdf.columns:
        fields["a"] = [
            f"{_whole(level)} {escape(_text(label))}".strip()
            for level, label in zip(gdf["advisory_level"], column("advisory_label"), strict=True)
        ]
        aliases.append(escape(T["advisory"]))
    layer, rows = _choropleth(
        gdf,
        gdf["homicide_rate"],
        HOMICIDE_BINS,
        SECURITY_CMAP,
        fields,
        T["layer_security"],
        aliases=aliases,
    )
    return layer, f'<div class="siting-subtitle">{escape(T["legend_security"])}</div>{rows}'


def _area_radius(value: float, top: float, limits: tuple[float, float]) -> float:
    """Radius (px) between ``limits`` whose circle area grows with ``value`` up to ``top``.

    Missing values and a non-positive ``top`` get the smallest radius.

    Examples
    --------
    >>> _area_radius(25.0, 100.0, (4.0, 14.0)), _area_radius(float("nan"), 100.0, (4.0, 14.0))
    (9.0, 4.0)
    """
    lo, hi = limits
    if not top > 0 or value != value:
        return lo
    return lo + (hi - lo) * math.sqrt(max(value, 0.0) / top)


def _crossings_layer(gdf: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """Return the border crossings: circles whose area is proportional to the trucks."""
    group = folium.FeatureGroup(name=escape(T["layer_crossings"]))
    trucks = gdf["trucks"].astype(float)
    top = float(trucks.max()) if len(gdf) else 1.0
    for _, row in gdf.assign(_t=trucks).sort_values("_t", ascending=False).iterrows():
        radius = _area_radius(row["_t"], top, CROSSING_RADIUS)
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
    """Return the container ports: white circles, blue outline, area ∝ containers (TEU)."""
    group = folium.FeatureGroup(name=escape(T["layer_seaports"]))
    teu = (
        pd.to_numeric(gdf["teu_per_year"], errors="coerce")
        if "teu_per_year" in gdf.columns
        else pd.Series(np.nan, index=gdf.index)
    )
    top = float(teu.max()) if teu.notna().any() else 0.0
    for _, row in gdf.assign(_t=teu).sort_values("_t", ascending=False).iterrows():
        t = row["_t"]
        radius = _area_radius(t, top, SEAPORT_RADIUS)
        code = row.get("unlocode")
        code = f" ({escape(code)})" if isinstance(code, str) and code else ""
        lines = [f"<b>{escape(T['seaport'])}: {escape(row['name'])}</b>{code}"]
        where = [escape(_text(row.get(c))) for c in ("state", "coast") if _text(row.get(c))]
        if where:
            lines.append(", ".join(where))
        if t == t:
            lines.append(f"{escape(T['teu_per_year'])}: {_fmt(t)}")
        if pd.notna(row.get("teu_jan_apr_2024")):
            lines.append(f"{escape(T['teu_jan_apr'])}: {_fmt(row['teu_jan_apr_2024'])}")
        tip = escape(row["name"])
        if t == t:
            tip += f" · {escape(T['teu_short'].format(teu=_number(t)))}"
        folium.CircleMarker(
            location=(row.geometry.y, row.geometry.x),
            radius=round(radius, 1),
            color=SEAPORT_COLOR,
            weight=2,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=0.9,
            class_name=SEAPORT_CLASS,
            popup=folium.Popup("<br>".join(lines), max_width=300),
            tooltip=folium.Tooltip(tip),
        ).add_to(group)
    return group


def _states_layer(gdf: gpd.GeoDataFrame) -> folium.GeoJson:
    """Return the states as the land under everything (not in the layer control)."""
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
