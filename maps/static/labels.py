"""Labels on the static map: circled rank numbers with leader lines, and crossing names.

Placement works in page points. Crossing markers, crossing names, the scale bar, the north arrow
and the detail insets are obstacles (shapely geometries); :func:`_place_callouts` puts each rank
label, best rank first, on the nearest free spot around its candidate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties

from siting.maps.static.content import _Content
from siting.maps.static.frame import _points
from siting.maps.static.layout import (
    _CROSSING_LABEL_FS,
    _FONT,
    _LABEL_FS,
    _LABEL_PAD,
)
from siting.maps.static.page import _PLAIN, _Page
from siting.maps.style import CROSSING_COLOR


def _label_ranks(
    pg: _Page,
    ax: Axes,
    xy: np.ndarray,
    labels: list[str],
    obstacles: list[shapely.Geometry],
    frame: shapely.Geometry,
) -> None:
    """Draw circled rank labels with leader lines for the points ``xy`` of ``ax``."""
    if not len(xy):
        return
    anchors = _points(pg, ax, xy)
    radii = [_label_radius(pg, s) for s in labels]
    offsets = _place_callouts(anchors, radii, obstacles, frame.buffer(-2))
    for (x, y), (dx, dy), s in zip(xy, offsets, labels, strict=True):
        ax.annotate(
            s,
            xy=(x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=_LABEL_FS,
            fontweight="bold",
            bbox={
                "boxstyle": f"circle,pad={_LABEL_PAD}",
                "fc": "white",
                "ec": "#222222",
                "lw": 0.6,
            },
            arrowprops={
                "arrowstyle": "-",
                "color": "#222222",
                "lw": 0.5,
                "shrinkA": 0,
                "shrinkB": 2.5,
            },
            zorder=7,
            gid=f"rank-label-{s}",
            **_PLAIN,
        )


def _label_radius(pg: _Page, label: str) -> float:
    """Radius (points) of the circle drawn around a rank number."""
    prop = FontProperties(family=_FONT, size=_LABEL_FS, weight="bold")
    w, h, _ = pg.renderer.get_text_width_height_descent(label, prop, ismath=False)
    return max(w, h) * 72.0 / pg.fig.dpi / 2 + _LABEL_PAD * _LABEL_FS + 0.6


def _place_callouts(
    anchors: np.ndarray,
    radii: Sequence[float],
    obstacles: Sequence[shapely.Geometry],
    frame: shapely.Geometry,
) -> list[tuple[float, float]]:
    """Greedy placement of round labels with leader lines, best rank first.

    Each label is tried on rings of growing distance around its point, first in the direction
    away from its neighbours; the first position whose disc stays in ``frame``, touches no
    obstacle, no other labelled point and no earlier label, and whose leader crosses no earlier
    label, wins. If none is free the least-overlapping position is used.

    Returns offsets in points from each anchor.
    """
    points = [shapely.Point(a).buffer(3.5, quad_segs=4) for a in anchors]
    placed: list[shapely.Geometry] = []
    lines: list[shapely.Geometry] = []
    offsets: list[tuple[float, float]] = []
    for i, (anchor, radius) in enumerate(zip(anchors, radii, strict=True)):
        preferred = _away_angle(i, anchors)
        angles = sorted(
            np.deg2rad(np.arange(0, 360, 22.5)),
            key=lambda a: abs(math.remainder(a - preferred, 2 * math.pi)),
        )
        blockers = np.array([*obstacles, *points[:i], *points[i + 1 :], *placed], dtype=object)
        discs_before = np.array(placed, dtype=object)
        leaders = np.array(lines, dtype=object)
        fixed = np.array(list(obstacles), dtype=object)
        best: tuple[float, tuple[float, float]] = (math.inf, (radius + 4.0, 0.0))
        for ring in range(8):
            dist = radius + 4.0 + ring * 1.3 * radius
            for angle in angles:
                dx, dy = dist * math.cos(angle), dist * math.sin(angle)
                center = (anchor[0] + dx, anchor[1] + dy)
                disc = shapely.Point(center).buffer(radius, quad_segs=4)
                leader = shapely.LineString([anchor, center])
                cost = 0.0 if frame.contains(disc) else 1e6
                if len(blockers):
                    hits = blockers[shapely.intersects(disc, blockers)]
                    cost += sum(disc.intersection(b).area for b in hits)
                if len(discs_before):
                    cost += 50.0 * shapely.intersects(leader, discs_before).sum()
                if len(leaders):
                    cost += 20.0 * shapely.crosses(leader, leaders).sum()
                if len(fixed):
                    cost += 10.0 * shapely.intersects(leader, fixed).sum()
                if cost == 0.0:
                    best = (0.0, (dx, dy))
                    break
                cost += ring  # prefer short leaders among imperfect positions
                if cost < best[0]:
                    best = (cost, (dx, dy))
            if best[0] == 0.0:
                break
        dx, dy = best[1]
        offsets.append((dx, dy))
        placed.append(shapely.Point(anchor[0] + dx, anchor[1] + dy).buffer(radius, quad_segs=4))
        lines.append(shapely.LineString([anchor, (anchor[0] + dx, anchor[1] + dy)]))
    return offsets


def _away_angle(i: int, anchors: np.ndarray, reach: float = 45.0) -> float:
    """Direction (radians) pointing away from the labelled points near point ``i``."""
    delta = anchors[i] - np.delete(anchors, i, axis=0)
    if delta.size == 0:
        return math.pi / 4
    dist2 = (delta**2).sum(axis=1)
    near = (dist2 < reach**2) & (dist2 > 1e-6)
    if not near.any():
        return math.pi / 4  # upper right by default
    v = (delta[near] / dist2[near, None]).sum(axis=0)
    if np.hypot(*v) < 1e-9:
        return math.pi / 4
    return math.atan2(v[1], v[0])


def _crossing_obstacles(
    pg: _Page, ax: Axes, c: _Content, frame: shapely.Geometry, labelled: Sequence[int]
) -> list[shapely.Geometry]:
    """Crossing markers in ``frame`` and the names of crossings ``labelled`` (positions)."""
    cpt = _points(pg, ax, c.crossings.geometry.get_coordinates().to_numpy())
    out = [
        shapely.Point(p).buffer(math.sqrt(a) / 2 + 1, quad_segs=4)
        for p, a in zip(cpt, c.areas, strict=True)
        if frame.contains(shapely.Point(p))
    ]
    return out + _label_crossings(pg, ax, c, cpt, frame, labelled, markers=out)


def _label_crossings(
    pg: _Page,
    ax: Axes,
    c: _Content,
    cpt: np.ndarray,
    frame: shapely.Geometry,
    labelled: Sequence[int],
    *,
    markers: Sequence[shapely.Geometry] = (),
) -> list[shapely.Geometry]:
    """Name crossings ``labelled`` (positions) next to their markers, skipping collisions.

    A name never covers another name, nor a crossing marker of ``markers`` but its own.
    """
    crossings = c.crossings
    if "port_name" not in crossings.columns or not len(crossings):
        return []
    placed: list[shapely.Geometry] = []
    for i in labelled:
        if i >= len(crossings):
            break
        name = str(crossings["port_name"].iloc[i])
        px, py = cpt[i]
        half = math.sqrt(c.areas[i]) / 2
        w = pg.text_width(name, _CROSSING_LABEL_FS, "normal") * 72
        h = float(_CROSSING_LABEL_FS)  # height of the name, about its font size
        # above, above-right, above-left, right, left
        for dx, dy, ha in (
            (0, half + 1.5, "center"),
            (half, half, "left"),
            (-half, half, "right"),
            (half + 2, -h / 2, "left"),
            (-half - 2, -h / 2, "right"),
        ):
            x0 = px + dx - {"center": w / 2, "left": 0.0, "right": w}[ha]
            rect = shapely.box(x0, py + dy, x0 + w, py + dy + h)
            others = [m for m in markers if not m.contains(shapely.Point(px, py))]
            if frame.contains(rect) and not any(rect.intersects(p) for p in [*placed, *others]):
                text = ax.annotate(
                    name,
                    xy=(crossings.geometry.iloc[i].x, crossings.geometry.iloc[i].y),
                    xytext=(dx, dy),
                    textcoords="offset points",
                    ha=ha,
                    va="bottom",
                    fontsize=_CROSSING_LABEL_FS,
                    fontstyle="italic",
                    color=CROSSING_COLOR,
                    zorder=6,
                    gid=f"crossing-label-{i}",
                    **_PLAIN,
                )
                placed.append(pg.box(text))
                break
    return placed
