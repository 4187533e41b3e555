"""Detail insets of the static map: close-ups where the best candidates crowd together.

When three or more of the best candidates are too close to label on the main map
(:func:`_crowds`), up to two insets, lettered A and B when there are two, are drawn in the empty
upper right of the main map (:func:`_free_region`), each with a frame and letter on the main map
marking the area it enlarges, its own scale bar, title and rank labels.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from siting.maps.static.content import _Content, _draw_content
from siting.maps.static.frame import _fit_aspect, _frame, _points
from siting.maps.static.furniture import _scale_bar
from siting.maps.static.labels import _crossing_obstacles, _label_ranks
from siting.maps.static.layout import (
    _FONT,
    _INSET_GAP,
    _INSET_MIN_EACH,
    _INSET_MIN_H,
    _INSET_MIN_ZOOM,
    _INSET_SCALE_FS,
    _INSET_TAG_FS,
    _INSET_TITLE_FS,
    _INSET_TOP,
    _INSET_X,
)
from siting.maps.static.page import _PLAIN, _Page
from siting.maps.text import STATIC_TEXT_BY_LANG

logger = logging.getLogger(__name__)


def _draw_insets(
    pg: _Page,
    ax: Axes,
    c: _Content,
    frame: shapely.Geometry,
    anchors: np.ndarray,
    obstacles: list[shapely.Geometry],
    *,
    lang: str = "en",
) -> np.ndarray:
    """Draw detail insets for crowds of the top candidates at ``anchors`` (page points).

    ``frame`` is the main map's box in page points; titles are in ``lang``. The areas the
    insets occupy are appended to ``obstacles``. Returns a mask of the top candidates still to
    be labelled on the main map.
    """
    on_main = np.ones(len(anchors), dtype=bool)
    crowds = _crowds(anchors)
    region = _free_region(pg, ax, c, obstacles) if crowds else None
    if region is None:
        return on_main
    x0, y0, x1, y1 = region.bounds
    each = _INSET_MIN_EACH * (frame.bounds[3] - frame.bounds[1])
    n = 2 if len(crowds) >= 2 and (y1 - y0) >= 2 * each + _INSET_GAP else 1
    height = ((y1 - y0) - (n - 1) * _INSET_GAP) / n
    # the group holding the best rank gets the upper inset
    chosen = sorted(crowds[:n], key=lambda m: int(m.min()))
    for k, members in enumerate(chosen):
        top = y1 - k * (height + _INSET_GAP)
        box = shapely.box(x0, top - height, x1, top)
        letter = "AB"[k] if n == 2 else ""
        drawn = _draw_detail(pg, ax, c, members, box, letter, obstacles, lang=lang)
        if drawn is not None:
            on_main[members] = False
            obstacles += drawn
    return on_main


def _crowds(anchors: np.ndarray, link: float = 25.0) -> list[np.ndarray]:
    """Return groups (at least 3) of points chained closer than ``link`` points, largest first.

    Among groups of equal size the one holding the best-ranked point comes first.
    """
    n = len(anchors)
    if n < 3:
        return []
    group = list(range(n))  # union-find, single linkage

    def find(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    d = np.hypot(*(anchors[:, None, :] - anchors[None, :, :]).transpose(2, 0, 1))
    for i, j in zip(*np.nonzero(np.triu(d < link, k=1)), strict=True):
        group[find(int(i))] = find(int(j))
    roots = np.array([find(i) for i in range(n)])
    groups = [np.nonzero(roots == r)[0] for r in np.unique(roots)]
    groups = [g for g in groups if len(g) >= 3]
    return sorted(groups, key=lambda g: (-len(g), int(g.min())))


def _free_region(
    pg: _Page, ax: Axes, c: _Content, obstacles: list[shapely.Geometry]
) -> shapely.Geometry | None:
    """Return the empty upper-right area of the main map (page points), if it is tall enough."""
    box = ax.get_position()
    xa, xb = _INSET_X
    (sx0, _), (sx1, sy1) = pg.points(ax.transAxes.transform([[xa, 0.0], [xb, _INSET_TOP]]))
    (_, fy0) = pg.points(ax.transAxes.transform([[0.0, 0.0]])[0])
    strip_pt = shapely.box(sx0, fy0, sx1, sy1)
    to_data = ax.transData.inverted()
    corners = to_data.transform(np.array(strip_pt.bounds).reshape(2, 2) * pg.fig.dpi / 72)
    strip = shapely.box(*corners.ravel())
    # highest occupied point in the strip, in data units then page points
    tops = [fy0]
    land = c.states.geometry.intersection(strip)
    land = land[~land.is_empty]
    occupied = [
        *land,
        *c.cand.geometry[c.cand.intersects(strip)],
        *c.crossings.geometry[c.crossings.intersects(strip.buffer(30_000))].buffer(30_000),
    ]
    if occupied:
        ymax = max(g.bounds[3] for g in occupied)
        tops.append(float(pg.points(ax.transData.transform([[0.0, ymax]])[0, 1])))
    tops += [o.bounds[3] for o in obstacles if o.intersects(strip_pt)]
    bottom = max(tops) + 8.0
    if (sy1 - bottom) < _INSET_MIN_H * (box.height * pg.height * 72):
        logger.debug("detail inset skipped: the upper right of the map is not empty")
        return None
    return shapely.box(sx0, bottom, sx1, sy1)


def _draw_detail(
    pg: _Page,
    ax: Axes,
    c: _Content,
    members: np.ndarray,
    area_pt: shapely.Geometry,
    letter: str,
    obstacles: Sequence[shapely.Geometry],
    *,
    lang: str = "en",
) -> list[shapely.Geometry] | None:
    """Draw a detail inset of the top candidates ``members`` in ``area_pt`` (page points).

    Returns the areas the inset and its frame on the main map occupy (page points), or ``None``
    if the inset would not enlarge the group enough to be worth it.
    """
    box = ax.get_position()
    ax0, ay0, ax1, ay1 = area_pt.bounds
    rect = [
        ax0 / 72 / pg.width,
        ay0 / 72 / pg.height,
        (ax1 - ax0) / 72 / pg.width,
        (ay1 - ay0) / 72 / pg.height,
    ]

    group = c.top.iloc[members]
    gxy = group.geometry.get_coordinates().to_numpy()
    gx0, gy0 = gxy.min(axis=0)
    gx1, gy1 = gxy.max(axis=0)
    pad = max(0.25 * max(gx1 - gx0, gy1 - gy0), 8_000.0)
    extent = (gx0 - pad, gy0 - pad, gx1 + pad, gy1 + pad)
    extent = _fit_aspect(extent, (rect[2] * pg.width) / (rect[3] * pg.height))
    main_scale = np.diff(ax.get_xlim())[0] / (box.width * pg.width)
    detail_scale = (extent[2] - extent[0]) / (rect[2] * pg.width)
    if main_scale / detail_scale < _INSET_MIN_ZOOM:
        logger.debug(
            "detail inset skipped: it would enlarge the group only %.1f times",
            main_scale / detail_scale,
        )
        return None

    iax = pg.fig.add_axes(rect)
    iax.set_gid(f"detail-map-{letter}" if letter else "detail-map")
    iframe = _frame(pg, iax, extent)
    for spine in iax.spines.values():
        spine.set_edgecolor("#222222")
        spine.set_linewidth(0.8)
    _draw_content(iax, c, detail=True)
    ix0, iy0 = iax.get_xlim()[0], iax.get_ylim()[0]
    iw, ih = np.diff(iax.get_xlim())[0], np.diff(iax.get_ylim())[0]
    # frame of the detail on the main map, at least 12 points wide so that it shows
    per_pt = main_scale / 72
    mw, mh = max(iw, 12 * per_pt), max(ih, 12 * per_pt)
    mx0, my0 = ix0 + (iw - mw) / 2, iy0 + (ih - mh) / 2
    ax.add_patch(
        Rectangle(
            (mx0, my0),
            mw,
            mh,
            fill=False,
            edgecolor="#222222",
            linewidth=0.8,
            zorder=6,
            gid="detail-marker",
        )
    )
    marker_pt = _points(pg, ax, np.array([[mx0, my0], [mx0 + mw, my0 + mh]]))
    marker = shapely.box(*marker_pt.min(axis=0), *marker_pt.max(axis=0)).buffer(2)
    if letter:  # name the frame like its inset, at a free outside corner
        mpx0, mpy0 = marker_pt.min(axis=0)
        mpx1, mpy1 = marker_pt.max(axis=0)
        corners = [  # (data xy, offset, ha, va, page-point box of the tag)
            ((mx0, my0 + mh), (-2, 2), "right", "bottom", (mpx0 - 10, mpy1, mpx0, mpy1 + 11)),
            ((mx0 + mw, my0 + mh), (2, 2), "left", "bottom", (mpx1, mpy1, mpx1 + 10, mpy1 + 11)),
            ((mx0, my0), (-2, -2), "right", "top", (mpx0 - 10, mpy0 - 11, mpx0, mpy0)),
            ((mx0 + mw, my0), (2, -2), "left", "top", (mpx1, mpy0 - 11, mpx1 + 10, mpy0)),
        ]
        xy, offset, ha, va, _ = next(
            (
                corner
                for corner in corners
                if not any(shapely.box(*corner[4]).intersects(o) for o in obstacles)
            ),
            corners[0],
        )
        tag = ax.annotate(
            letter,
            xy=xy,
            xytext=offset,
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=_INSET_TAG_FS,
            fontweight="bold",
            bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            zorder=8,
            gid=f"detail-marker-label-{letter}",
            **_PLAIN,
        )
        marker = marker.union(pg.box(tag))

    inside = [
        i
        for i, p in enumerate(c.crossings.geometry)
        if iax.get_xlim()[0] <= p.x <= iax.get_xlim()[1]
        and iax.get_ylim()[0] <= p.y <= iax.get_ylim()[1]
    ]
    iobstacles = _crossing_obstacles(pg, iax, c, iframe, inside)
    iax.add_artist(
        _scale_bar(
            iax,
            lang,
            0.3,
            location="lower left",
            width_fraction=0.01,
            border_pad=0.5,
            frameon=True,
            box_alpha=0.8,
            color="#222222",
            font_properties={"family": _FONT, "size": _INSET_SCALE_FS},
        )
    )
    fx0, fy0, fx1, fy1 = iframe.bounds
    iobstacles.append(shapely.box(fx0, fy0, fx0 + 0.4 * (fx1 - fx0), fy0 + 0.13 * (fy1 - fy0)))
    # the title wraps rather than being cut; only a fourth line would be shortened
    width = rect[2] * pg.width - 0.2
    prefix = f"{letter}  " if letter else ""
    lines = pg.wrap_text(
        _place_name(group, lang=lang),
        width - pg.text_width(prefix, _INSET_TITLE_FS, "bold"),
        _INSET_TITLE_FS,
        "bold",
    )
    if len(lines) > 3:
        lines = [*lines[:2], pg.fit(" ".join(lines[2:]), width, _INSET_TITLE_FS, "bold")]
    lines[0] = prefix + lines[0]
    title = iax.text(
        0.02,
        0.98,
        "\n".join(lines),
        transform=iax.transAxes,
        ha="left",
        va="top",
        fontsize=_INSET_TITLE_FS,
        fontweight="bold",
        bbox={"boxstyle": "square,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.85},
        zorder=8,
        gid="detail-title",
        **_PLAIN,
    )
    iobstacles.append(pg.box(title))
    labels = [str(int(r)) for r in group["_rank"]]
    _label_ranks(pg, iax, gxy, labels, iobstacles, iframe)
    return [area_pt, marker]


def _place_name(group: gpd.GeoDataFrame, *, lang: str = "en") -> str:
    """Title of the detail inset: the municipality or state shared by the group, if any."""
    text = STATIC_TEXT_BY_LANG[lang]
    for cols in (("municipality", "state"), ("state",)):
        if all(col in group.columns for col in cols):
            places = group[list(cols)].astype(str).drop_duplicates()
            if len(places) == 1:
                return text["detail"].format(place=", ".join(places.iloc[0]))
    return text["detail_plain"]
