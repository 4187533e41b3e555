"""Detail inset of a state sheet: a close-up where the numbered sites crowd together.

When four or more of the state's numbered sites lie within :data:`CLUSTER_PT` points of one of
them on the sheet (the industrial parks of a metro area), they are numbered in an inset that
enlarges their area, placed in a corner of the map; the main map frames the enlarged area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from matplotlib.patches import Rectangle

from siting.localize import format_number
from siting.maps.atlas import _layout as L
from siting.maps.atlas._draw import _Frame, add_lines, add_polygons, nice_scale
from siting.maps.atlas._labels import _Measure, _Placer, callouts, fold
from siting.maps.atlas._maps import (
    clip,
    draw_cities,
    draw_points,
    draw_roads,
    draw_sites,
    draw_surface,
    municipality_labels,
)
from siting.maps.atlas.context import AtlasContext
from siting.maps.static.page import _Page

#: Radius (points on the sheet) within which numbered sites count as crowded.
CLUSTER_PT = 40.0
#: Fewest crowded sites that get an inset.
CLUSTER_MIN = 4
#: Least enlargement worth an inset.
MIN_ZOOM = 2.0


def find_cluster(fr: _Frame, xy: np.ndarray) -> np.ndarray | None:
    """Mask of the crowded numbered sites (the largest group), None if they do not crowd."""
    if len(xy) < CLUSTER_MIN:
        return None
    pts = fr.to_pt(xy)
    d = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    near = d <= CLUSTER_PT
    best = int(np.argmax(near.sum(axis=1)))
    mask = near[best]
    return mask if mask.sum() >= CLUSTER_MIN else None


def detail_extent(
    xy: np.ndarray, aspect: float, min_size: float = 12_000.0
) -> tuple[float, float, float, float]:
    """Extent (data) around the points ``xy``, padded, with the width/height ``aspect``."""
    xmin, ymin = xy.min(axis=0)
    xmax, ymax = xy.max(axis=0)
    w = max(xmax - xmin, min_size)
    h = max(ymax - ymin, min_size)
    pad = 0.35 * max(w, h)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    w, h = w + 2 * pad, h + 2 * pad
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def draw_detail(
    pg: _Page,
    fr: _Frame,
    ctx: AtlasContext,
    code: str,
    *,
    box: tuple[float, float, float, float],
    sites: pd.DataFrame,
    top: pd.DataFrame,
    labels: list[str],
    muns: pd.DataFrame,
    localities: pd.DataFrame,
    t: dict[str, str],
    lang: str,
    paper: str,
) -> bool:
    """Draw the inset at ``box`` (left, bottom, width, height in inches); False if not worth it."""
    left, bottom, width, height = box
    xy = top.geometry.get_coordinates().to_numpy()
    extent = detail_extent(xy, width / height)
    zoom = (
        (fr.extent[2] - fr.extent[0]) / (fr.x1 - fr.x0) / ((extent[2] - extent[0]) / (width * 72))
    )
    if zoom < MIN_ZOOM:
        return False
    ax = pg.fig.add_axes(pg.rect(left, bottom, width, height), zorder=2)
    ax.set_gid("detail")
    inset = _Frame(pg, ax, extent)
    for spine in ax.spines.values():
        spine.set_linewidth(0.9)
    states = ctx.states
    mask = (states["CVE_ENT"] == code).to_numpy()
    geoms = clip(states.geometry.to_numpy()[~mask], inset)
    add_polygons(
        ax,
        geoms[~shapely.is_empty(geoms)],
        facecolor=L.OTHER_STATE,
        edgecolor=L.STATE_EDGE,
        linewidth=0.9,
        zorder=1.2,
    )
    abroad = clip(ctx.abroad.geometry.to_numpy(), inset)
    add_polygons(ax, abroad[~shapely.is_empty(abroad)], facecolor=L.ABROAD, zorder=1)
    draw_surface(inset, ctx, muns)
    add_lines(
        ax,
        shapely.boundary(states.geometry.to_numpy()[mask]),
        color=L.MAPPED_EDGE,
        linewidth=1.1,
        zorder=4,
    )
    draw_roads(inset, ctx)
    measure = _Measure(pg)
    placer = _Placer(inset.box.buffer(-1.5))
    # title strip
    title = _title(top, t)
    denominator = format_number(nice_scale(inset.representative_fraction()), 0, lang=lang)
    text = f"{title} · 1:{denominator}"
    tw = pg.text_width(text, 6.0) + 0.12
    pg.fig.add_artist(
        Rectangle(
            (left, bottom + height - 0.17),
            min(tw, width),
            0.17,
            transform=pg.inch,
            facecolor="white",
            alpha=0.9,
            edgecolor="none",
            zorder=30,
        )
    )
    pg.text(
        left + 0.06,
        bottom + height - 0.085,
        text,
        fontsize=6.0,
        va="center",
        zorder=31,
        color=L.TEXT,
        gid="detail-title",
    )
    placer.add(
        shapely.box(
            left * 72, (bottom + height - 0.17) * 72, (left + tw) * 72, (bottom + height) * 72
        )
    )
    draw_sites(inset, ctx, sites, top, placer)
    draw_points(inset, ctx, placer, measure)
    inside = localities[shapely.contains(inset.window, localities.geometry.to_numpy())]
    big = inside["population"].to_numpy() >= 300_000
    drawn = draw_cities(inset, placer, measure, inside[big], gid="detail-city-major", major=True)
    callouts(inset, placer, measure, xy, labels, gid_prefix="badge")
    drawn += draw_cities(inset, placer, measure, inside[~big], gid="detail-city")
    municipality_labels(
        inset,
        placer,
        measure,
        muns,
        ctx,
        skip={fold(n) for n in drawn},
        gid_prefix="detail-municipality",
    )
    # the enlarged area on the main map
    x0, y0, x1, y1 = extent
    fr.ax.add_patch(
        Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            fill=False,
            edgecolor="#111111",
            linewidth=1.0,
            zorder=16,
            gid="detail-frame",
        )
    )
    return True


def detail_frame(ax: object) -> list[list[float]]:
    """Corners (data) of the area the inset enlarges, as drawn on the main map ``ax``."""
    for patch in ax.patches:  # type: ignore[attr-defined]
        if patch.get_gid() == "detail-frame":
            x, y = patch.get_xy()
            return [[x, y], [x + patch.get_width(), y + patch.get_height()]]
    return [[0.0, 0.0], [0.0, 0.0]]


def _title(top: pd.DataFrame, t: dict[str, str]) -> str:
    metros = top["metro"].dropna().unique() if "metro" in top.columns else []
    metros = [m for m in metros if isinstance(m, str) and m]
    if len(metros) == 1:
        return t["detail"].format(place=metros[0])
    return t["detail_plain"]
