"""Label placement on the atlas maps, in page points.

A :class:`_Placer` keeps the areas already taken (labels, symbols, map furniture). Labels are
placed greedily, most important first: the numbered best sites (callouts with leader lines),
crossings and ports, cities, seas and countries, neighbouring states, and last the
municipality names, each only where its text box fits inside its municipality at the sheet's
scale and touches nothing placed before.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.font_manager import FontProperties
from shapely.ops import polylabel

from siting.maps.atlas import _layout as L
from siting.maps.atlas._draw import _Frame
from siting.maps.static.layout import _FONT
from siting.maps.static.page import _PLAIN, _Page

#: White halo around the names of cities, crossings and ports (readable over any fill).
HALO = [patheffects.withStroke(linewidth=1.6, foreground="white")]


def fold(text: str) -> str:
    """Lower case without accents and without a leading "ciudad " (to compare place names).

    Examples
    --------
    >>> fold("Ciudad Apodaca") == fold("Apodaca")
    True
    """
    low = unicodedata.normalize("NFKD", str(text).lower())
    low = "".join(c for c in low if not unicodedata.combining(c)).strip()
    return low.removeprefix("ciudad ").strip()


class _Placer:
    """Areas taken on the page (points), and the frame labels must stay in.

    A *soft* area (a site's marker) keeps labels off but not a city's dot: a city and a site at
    its municipal seat may share a place.
    """

    def __init__(self, frame: shapely.Geometry) -> None:
        self.frame = frame
        self.taken: list[shapely.Geometry] = []
        self.soft: list[shapely.Geometry] = []

    def hits(self, geom: shapely.Geometry, *, soft: bool = True) -> bool:
        """Return True if ``geom`` touches an area already taken (soft ones too if ``soft``)."""
        areas = self.taken + self.soft if soft else self.taken
        if not areas:
            return False
        return bool(shapely.intersects(geom, np.array(areas, dtype=object)).any())

    def overlap(self, geom: shapely.Geometry) -> float:
        """Area of ``geom`` over the areas taken."""
        areas = self.taken + self.soft
        if not areas:
            return 0.0
        arr = np.array(areas, dtype=object)
        hit = arr[shapely.intersects(geom, arr)]
        return float(sum(shapely.area(shapely.intersection(geom, h)) for h in hit))

    def fits(self, geom: shapely.Geometry) -> bool:
        """Return True if ``geom`` is inside the frame and touches nothing taken."""
        return bool(self.frame.contains(geom)) and not self.hits(geom)

    def add(self, geom: shapely.Geometry, *, soft: bool = False) -> None:
        """Mark ``geom`` as taken."""
        (self.soft if soft else self.taken).append(geom)


class _Measure:
    """Text sizes in points, cached."""

    def __init__(self, pg: _Page) -> None:
        self.pg = pg
        self._cache: dict[tuple[str, float, str, str], tuple[float, float]] = {}

    def __call__(
        self, text: str, size: float, weight: str = "normal", style: str = "normal"
    ) -> tuple[float, float]:
        key = (text, size, weight, style)
        if key not in self._cache:
            prop = FontProperties(family=_FONT, size=size, weight=weight, style=style)
            w, _, _ = self.pg.renderer.get_text_width_height_descent(text, prop, ismath=False)
            self._cache[key] = (w * 72.0 / self.pg.fig.dpi, size * 1.17)
        return self._cache[key]

    def block(
        self, lines: Sequence[str], size: float, weight: str = "normal", style: str = "normal"
    ) -> tuple[float, float]:
        """Width and height (points) of lines drawn at ``size`` with line spacing 1.2."""
        w = max(self(s, size, weight, style)[0] for s in lines)
        return w, size * (1.2 * (len(lines) - 1) + 1.17)


def _splits(text: str) -> list[list[str]]:
    """``text`` on one line, then on two lines broken at the space nearest the middle."""
    out = [[text]]
    spaces = [i for i, c in enumerate(text) if c == " "]
    if spaces:
        mid = min(spaces, key=lambda i: abs(i - len(text) / 2))
        out.append([text[:mid], text[mid + 1 :]])
    return out


def area_label(
    fr: _Frame,
    placer: _Placer,
    measure: _Measure,
    area: shapely.Geometry,
    text: str,
    size: float,
    *,
    color: str,
    weight: str = "normal",
    style: str = "normal",
    gid: str | None = None,
    pad: float = 1.0,
    anchors: Sequence[tuple[float, float]] | None = None,
    **kwargs: Any,
) -> bool:
    """Name ``area`` (data) inside itself if the text box fits in it and is free; True if drawn."""
    if shapely.is_empty(area):
        return False
    parts = shapely.get_parts(area)
    main = parts[int(np.argmax(shapely.area(parts)))]
    # quick test: the text's height must fit in the part's inscribed circle
    if anchors is None:
        tolerance = max(fr.m_per_pt * 2, 1.0)
        center = polylabel(main, tolerance=tolerance)
        anchors = [(center.x, center.y)]
    for lines in _splits(text):
        w, h = measure.block(lines, size, weight, style)
        for ax_, ay_ in anchors:
            ((px, py),) = fr.to_pt([[ax_, ay_]])
            box = shapely.box(
                px - w / 2 - pad, py - h / 2 - pad, px + w / 2 + pad, py + h / 2 + pad
            )
            if not placer.fits(box):
                continue
            if not area.contains(fr.box_to_data(box)):
                continue
            fr.ax.text(
                ax_,
                ay_,
                "\n".join(lines),
                fontsize=size,
                color=color,
                ha="center",
                va="center",
                fontweight=weight,
                fontstyle=style,
                linespacing=1.2,
                zorder=11,
                gid=gid,
                clip_on=True,
                **_PLAIN,
                **kwargs,
            )
            placer.add(box)
            return True
    return False


#: Positions of a point's name: (direction x, direction y, ha, va), best first.
_AROUND = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (0.75, 0.75, "left", "bottom"),
    (-0.75, 0.75, "right", "bottom"),
    (0.75, -0.75, "left", "top"),
    (-0.75, -0.75, "right", "top"),
)


def point_label(
    fr: _Frame,
    placer: _Placer,
    measure: _Measure,
    xy: tuple[float, float],
    text: str,
    size: float,
    *,
    radius: float,
    color: str,
    weight: str = "normal",
    style: str = "normal",
    gid: str | None = None,
) -> bool:
    """Name a point symbol of ``radius`` points next to it where free; True if drawn.

    Positions clear of everything are tried first, then positions that only cover site
    markers (soft areas): among dense sites a city keeps its name.
    """
    ((px, py),) = fr.to_pt([xy])
    w, h = measure(text, size, weight, style)
    gap = radius + 1.5
    tries = [(dx, dy, ha, va, soft) for soft in (True, False) for dx, dy, ha, va in _AROUND]
    for dx, dy, ha, va, soft in tries:
        ox, oy = dx * gap, dy * gap
        x0 = px + ox - {"left": 0.0, "center": w / 2, "right": w}[ha]
        y0 = py + oy - {"bottom": 0.0, "center": h / 2, "top": h}[va]
        box = shapely.box(x0 - 0.5, y0, x0 + w + 0.5, y0 + h)
        if placer.frame.contains(box) and not placer.hits(box, soft=soft):
            fr.ax.annotate(
                text,
                xy=xy,
                xytext=(ox, oy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=size,
                color=color,
                fontweight=weight,
                fontstyle=style,
                zorder=13,
                path_effects=HALO,
                gid=gid,
                annotation_clip=True,
                **_PLAIN,
            )
            placer.add(box)
            return True
    return False


def badge_radius(measure: _Measure, label: str) -> float:
    """Radius (points) of the circle around a rank number."""
    w, h = measure(label, L.BADGE_FS, "bold")
    return max(w, h * 0.8) / 2 + L.BADGE_PAD * L.BADGE_FS + 0.6


def callouts(
    fr: _Frame,
    placer: _Placer,
    measure: _Measure,
    xy: np.ndarray,
    labels: Sequence[str],
    *,
    gid_prefix: str = "badge",
) -> None:
    """Circled numbers next to the points ``xy`` (data), with leader lines when pushed away."""
    if not len(xy):
        return
    anchors = fr.to_pt(xy)
    dots = [shapely.Point(a).buffer(3.2, quad_segs=3) for a in anchors]
    inner = fr.box.buffer(-2)
    badges: list[shapely.Geometry] = []
    leaders: list[shapely.Geometry] = []
    for i, (anchor, label) in enumerate(zip(anchors, labels, strict=True)):
        r = badge_radius(measure, label)
        away = _away(i, anchors)
        angles = sorted(
            np.deg2rad(np.arange(0, 360, 22.5)),
            key=lambda a: abs(math.remainder(a - away, 2 * math.pi)),
        )
        others = np.array(dots[:i] + dots[i + 1 :] + badges, dtype=object)
        earlier = np.array(badges, dtype=object)
        lines = np.array(leaders, dtype=object)
        best = (math.inf, (r + 3.0, 0.0))
        for ring in range(9):
            dist = r + 3.0 + ring * 1.15 * r
            for a in angles:
                dx, dy = dist * math.cos(a), dist * math.sin(a)
                c = (anchor[0] + dx, anchor[1] + dy)
                disc = shapely.Point(c).buffer(r, quad_segs=4)
                if not inner.contains(disc):
                    continue
                leader = shapely.LineString([anchor, c])
                cost = placer.overlap(disc)
                if len(others):
                    hit = others[shapely.intersects(disc, others)]
                    cost += sum(disc.intersection(o).area for o in hit) * 3
                if len(earlier):
                    cost += 40.0 * shapely.intersects(leader, earlier).sum()
                if len(lines):
                    cost += 20.0 * shapely.crosses(leader, lines).sum()
                if cost == 0:
                    best = (0.0, (dx, dy))
                    break
                if cost + ring < best[0]:
                    best = (cost + ring, (dx, dy))
            if best[0] == 0:
                break
        dx, dy = best[1]
        center = (anchor[0] + dx, anchor[1] + dy)
        disc = shapely.Point(center).buffer(r, quad_segs=4)
        badges.append(disc)
        leaders.append(shapely.LineString([anchor, center]))
        fr.ax.annotate(
            label,
            xy=tuple(xy[i]),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=L.BADGE_FS,
            fontweight="bold",
            color="#111111",
            bbox={
                "boxstyle": f"circle,pad={L.BADGE_PAD}",
                "fc": "white",
                "ec": "#111111",
                "lw": 0.6,
            },
            arrowprops={
                "arrowstyle": "-",
                "color": "#111111",
                "lw": 0.55,
                "shrinkA": 0,
                "shrinkB": 0,
            },
            zorder=15,
            gid=f"{gid_prefix}-{label}",
            annotation_clip=False,
            **_PLAIN,
        )
    for geom in badges + dots:
        placer.add(geom)
    for line in leaders:
        placer.add(line.buffer(0.6))


def _away(i: int, anchors: np.ndarray, reach: float = 40.0) -> float:
    """Direction (radians) away from the points near point ``i`` (upper right if alone)."""
    delta = anchors[i] - np.delete(anchors, i, axis=0)
    if not delta.size:
        return math.pi / 4
    d2 = (delta**2).sum(axis=1)
    near = (d2 < reach**2) & (d2 > 1e-6)
    if not near.any():
        return math.pi / 4
    v = (delta[near] / d2[near, None]).sum(axis=0)
    return math.atan2(v[1], v[0]) if np.hypot(*v) > 1e-9 else math.pi / 4


def rotated_box(px: float, py: float, w: float, h: float, angle_deg: float) -> shapely.Geometry:
    """Box (points) of a text centred at ``(px, py)``, rotated ``angle_deg`` counter-clockwise."""
    box = shapely.box(px - w / 2, py - h / 2, px + w / 2, py + h / 2)
    return shapely.affinity.rotate(box, angle_deg, origin=(px, py))
