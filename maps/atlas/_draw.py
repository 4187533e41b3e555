"""Drawing primitives of the atlas maps: polygons and lines, the frame, graticule, scale, north.

A :class:`_Frame` is a map axes at equal scale on EPSG:6372 with the conversions between data
metres and page points that label placement works in. Polygons and lines are added as single
matplotlib collections built straight from shapely arrays (no GeoPandas plotting: a state's
municipalities are one artist).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon as PolygonPatch
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from pyproj import Transformer

from siting.layers import CRS_GEO, CRS_METRIC
from siting.localize import format_number
from siting.maps.atlas import _layout as L
from siting.maps.static.frame import _fit_aspect
from siting.maps.static.page import _PLAIN, _Page

_TO_GEO = Transformer.from_crs(CRS_METRIC, CRS_GEO, always_xy=True)
_TO_METRIC = Transformer.from_crs(CRS_GEO, CRS_METRIC, always_xy=True)


# --- shapes --------------------------------------------------------------------------------------


def _ring_path(coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    codes[0] = Path.MOVETO
    codes[-1] = Path.CLOSEPOLY
    return coords, codes


def polygon_path(geom: shapely.Geometry) -> Path | None:
    """Compound path of a (multi)polygon, holes included; None if empty."""
    verts, codes = [], []
    for poly in shapely.get_parts(geom):
        if shapely.is_empty(poly) or not isinstance(poly, shapely.Polygon):
            continue
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)
            if len(c) >= 4:
                v, k = _ring_path(c)
                verts.append(v)
                codes.append(k)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def add_polygons(
    ax: Axes,
    geoms: Sequence[shapely.Geometry] | np.ndarray,
    *,
    facecolor: Any,
    edgecolor: Any = "none",
    linewidth: float = 0.0,
    zorder: float = 1.0,
    hatch: str | None = None,
    gid: str | None = None,
) -> PathCollection | None:
    """Add (multi)polygons as one collection; ``facecolor`` may be one colour or one per shape."""
    colors = facecolor if isinstance(facecolor, list | np.ndarray) else None
    paths, kept = [], []
    for i, geom in enumerate(geoms):
        path = None if geom is None else polygon_path(geom)
        if path is not None:
            paths.append(path)
            kept.append(i)
    if not paths:
        return None
    fc = [colors[i] for i in kept] if colors is not None else facecolor
    coll = PathCollection(
        paths,
        facecolors=fc,
        edgecolors=edgecolor,
        linewidths=linewidth,
        zorder=zorder,
        hatch=hatch,
    )
    if gid:
        coll.set_gid(gid)
    ax.add_collection(coll, autolim=False)
    return coll


def add_lines(
    ax: Axes,
    geoms: Sequence[shapely.Geometry] | np.ndarray,
    *,
    color: Any,
    linewidth: float,
    zorder: float,
    gid: str | None = None,
    **kwargs: Any,
) -> LineCollection | None:
    """Add (multi)line strings (or polygon boundaries) as one collection."""
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    parts = parts[~shapely.is_empty(parts)]
    if not len(parts):
        return None
    coords, which = shapely.get_coordinates(parts, return_index=True)
    split = np.flatnonzero(np.diff(which)) + 1
    segments = [s for s in np.split(coords, split) if len(s) >= 2]
    coll = LineCollection(segments, colors=color, linewidths=linewidth, zorder=zorder, **kwargs)
    if gid:
        coll.set_gid(gid)
    ax.add_collection(coll, autolim=False)
    return coll


# --- the frame -----------------------------------------------------------------------------------


class _Frame:
    """A map axes at equal scale, and conversions between data metres and page points."""

    def __init__(self, pg: _Page, ax: Axes, extent: tuple[float, float, float, float]) -> None:
        self.pg, self.ax = pg, ax
        box = ax.get_position()
        aspect = box.width * pg.width / (box.height * pg.height)
        xmin, ymin, xmax, ymax = _fit_aspect(extent, aspect)
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor(L.SEA)
        for spine in ax.spines.values():
            spine.set_edgecolor("#3a3a3a")
            spine.set_linewidth(0.7)
            spine.set_zorder(20)
        ax.apply_aspect()
        box = ax.get_position()
        self.x0 = box.x0 * pg.width * 72  # page points
        self.y0 = box.y0 * pg.height * 72
        self.x1 = box.x1 * pg.width * 72
        self.y1 = box.y1 * pg.height * 72
        self.extent = (xmin, ymin, xmax, ymax)
        self.scale = (self.x1 - self.x0) / (xmax - xmin)  # points per metre
        self.box = shapely.box(self.x0, self.y0, self.x1, self.y1)  # page points
        self.window = shapely.box(xmin, ymin, xmax, ymax)  # data

    @property
    def m_per_pt(self) -> float:
        """Metres of the map per page point."""
        return 1.0 / self.scale

    def to_pt(self, xy: np.ndarray) -> np.ndarray:
        """Return the page points of data coordinates (n, 2)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        xmin, ymin = self.extent[:2]
        return np.column_stack(
            [self.x0 + (xy[:, 0] - xmin) * self.scale, self.y0 + (xy[:, 1] - ymin) * self.scale]
        )

    def to_data(self, pt: np.ndarray) -> np.ndarray:
        """Return the data coordinates of page points (n, 2)."""
        pt = np.asarray(pt, dtype=float).reshape(-1, 2)
        xmin, ymin = self.extent[:2]
        return np.column_stack(
            [xmin + (pt[:, 0] - self.x0) / self.scale, ymin + (pt[:, 1] - self.y0) / self.scale]
        )

    def geom_to_pt(self, geom: shapely.Geometry) -> shapely.Geometry:
        """Return a geometry given in data metres in page points."""
        xmin, ymin = self.extent[:2]
        s = self.scale
        return shapely.affinity.affine_transform(
            geom, [s, 0.0, 0.0, s, self.x0 - xmin * s, self.y0 - ymin * s]
        )

    def box_to_data(self, box: shapely.Geometry) -> shapely.Geometry:
        """Return a geometry given in page points in data metres."""
        xmin, ymin = self.extent[:2]
        s = 1.0 / self.scale
        return shapely.affinity.affine_transform(
            box, [s, 0.0, 0.0, s, xmin - self.x0 * s, ymin - self.y0 * s]
        )

    def representative_fraction(self) -> float:
        """Scale denominator of the printed page (EPSG:6372 metres per page metre)."""
        return (1.0 / self.scale) * 72.0 / 0.0254


def nice_scale(denominator: float) -> int:
    """Round a scale denominator to 2-3 significant digits (last one 0 or 5).

    Examples
    --------
    >>> nice_scale(1_847_312), nice_scale(412_345), nice_scale(98_765)
    (1850000, 410000, 99000)
    """
    if not denominator > 0:
        return 0
    step = 5 * 10 ** max(math.floor(math.log10(denominator)) - 2, 0)
    return int(round(denominator / step) * step)


# --- graticule -----------------------------------------------------------------------------------

_GRID_STEPS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0)


def _angle(value: float, step: float) -> str:
    """Return ``"104°"`` or, on a grid finer than a degree, ``"99°30′"`` (absolute value)."""
    v = abs(value)
    deg = math.floor(v + 1e-9)
    minutes = round((v - deg) * 60)
    if step >= 1 or minutes == 0:
        return f"{deg}°"
    return f"{deg}°{minutes:02d}′"


def step_text(step: float) -> str:
    """Graticule interval as printed: ``"2°"``, ``"30′"``."""
    return f"{step:.0f}°" if step >= 1 else f"{round(step * 60)}′"


def graticule(fr: _Frame, t: dict[str, str], *, max_lines: int = 6) -> float:
    """Draw meridians and parallels and label them outside the frame; return the step (°)."""
    xmin, ymin, xmax, ymax = fr.extent
    edge = np.linspace(0, 1, 41)
    bx = np.concatenate(
        [
            xmin + edge * (xmax - xmin),
            np.full(41, xmax),
            xmin + edge * (xmax - xmin),
            np.full(41, xmin),
        ]
    )
    by = np.concatenate(
        [
            np.full(41, ymin),
            ymin + edge * (ymax - ymin),
            np.full(41, ymax),
            ymin + edge * (ymax - ymin),
        ]
    )
    lon, lat = _TO_GEO.transform(bx, by)
    lon0, lon1, lat0, lat1 = lon.min(), lon.max(), lat.min(), lat.max()
    span = max(lon1 - lon0, lat1 - lat0)
    step = next((s for s in _GRID_STEPS if span / s <= max_lines), _GRID_STEPS[-1])
    lines = []
    labels: list[tuple[str, float, float, str]] = []  # text, x or y (data), side
    for value in np.arange(math.ceil(lon0 / step) * step, lon1 + 1e-9, step):
        lats = np.linspace(lat0 - 1, lat1 + 1, 120)
        x, y = _TO_METRIC.transform(np.full_like(lats, value), lats)
        lines.append(np.column_stack([x, y]))
        text = t["lon_west" if value < 0 else "lat_north"].format(angle=_angle(value, step))
        if value >= 0:  # east of Greenwich: not in Mexico, but be correct
            text = f"{_angle(value, step)}E"
        for side, level in (("bottom", ymin), ("top", ymax)):
            at = _crossing(x, y, level)
            if at is not None and xmin < at < xmax:
                labels.append((text, at, level, side))
    for value in np.arange(math.ceil(lat0 / step) * step, lat1 + 1e-9, step):
        lons = np.linspace(lon0 - 1, lon1 + 1, 120)
        x, y = _TO_METRIC.transform(lons, np.full_like(lons, value))
        lines.append(np.column_stack([x, y]))
        text = t["lat_north"].format(angle=_angle(value, step))
        for side, level in (("left", xmin), ("right", xmax)):
            at = _crossing(y, x, level)
            if at is not None and ymin < at < ymax:
                labels.append((text, level, at, side))
    fr.ax.add_collection(
        LineCollection(
            lines, colors=L.GRID, linewidths=0.35, alpha=0.75, zorder=6, gid="graticule"
        ),
        autolim=False,
    )
    placed: list[shapely.Geometry] = []
    for text, x, y, side in labels:
        w = fr.pg.text_width(text, L.GRID_FS) * 72
        dx, dy, ha, va, rot = {
            "bottom": (0, -2.5, "center", "top", 0),
            "top": (0, 2.5, "center", "bottom", 0),
            "left": (-2.5, 0, "right", "center", 90),
            "right": (2.5, 0, "left", "center", 270),
        }[side]
        ((px, py),) = fr.to_pt([[x, y]])
        half = w / 2 + 2
        box = (
            shapely.box(px - half, py - 8, px + half, py + 8)
            if side in ("bottom", "top")
            else shapely.box(px - 8, py - half, px + 8, py + half)
        )
        if any(box.intersects(p) for p in placed):
            continue
        placed.append(box)
        fr.ax.annotate(
            text,
            xy=(x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha if side in ("bottom", "top") else "center",
            va=va if side in ("bottom", "top") else "center",
            rotation=rot,
            rotation_mode="anchor" if side in ("bottom", "top") else "default",
            fontsize=L.GRID_FS,
            color=L.MUTED,
            annotation_clip=False,
            gid=f"grid-{side}",
            **_PLAIN,
        )
        tick = 2.0 / fr.scale
        ox, oy = {"bottom": (0, -tick), "top": (0, tick), "left": (-tick, 0), "right": (tick, 0)}[
            side
        ]
        fr.ax.add_line(
            Line2D([x, x + ox], [y, y + oy], color=L.MUTED, lw=0.5, clip_on=False, zorder=21)
        )
    return step


def _crossing(a: np.ndarray, b: np.ndarray, level: float) -> float | None:
    """Value of ``a`` where the polyline (a, b) crosses ``b == level`` (first crossing)."""
    s = b - level
    idx = np.flatnonzero(np.sign(s[:-1]) * np.sign(s[1:]) <= 0)
    if not len(idx):
        return None
    i = idx[0]
    if s[i + 1] == s[i]:
        return float(a[i])
    f = s[i] / (s[i] - s[i + 1])
    return float(a[i] + f * (a[i + 1] - a[i]))


# --- scale bar and north arrow (page furniture drawn in inches) ---------------------------------


def _nice_length(target_m: float) -> float:
    """Largest 1, 2, 2.5 or 5 x 10^k metres not above ``target_m``."""
    exp = math.floor(math.log10(target_m))
    return max(m * 10.0**exp for m in (1, 2, 2.5, 5) if m * 10.0**exp <= target_m * 1.0001)


def scale_bar_size(
    pg: _Page, fr: _Frame, t: dict[str, str], paper: str, lang: str
) -> tuple[float, float]:
    """Width and height (inches) of the scale block of :func:`scale_bar`."""
    text = _scale_text(fr, t, paper, lang)
    bar_in = _nice_length(0.22 * (fr.x1 - fr.x0) / fr.scale) * fr.scale / 72
    width = max(bar_in + 0.35, pg.text_width(text, L.SCALE_FS)) + 0.16
    return width, 0.46


def _scale_text(fr: _Frame, t: dict[str, str], paper: str, lang: str) -> str:
    denominator = format_number(nice_scale(fr.representative_fraction()), 0, lang=lang)
    return t["scale"].format(scale=denominator, paper=t[f"paper_{paper}"])


def scale_bar(
    pg: _Page, fr: _Frame, left: float, bottom: float, t: dict[str, str], paper: str, lang: str
) -> None:
    """Graphic scale (alternating segments, km) and numeric scale, box at ``(left, bottom)`` in."""
    width, height = scale_bar_size(pg, fr, t, paper, lang)
    pg.fig.add_artist(
        Rectangle(
            (left, bottom),
            width,
            height,
            transform=pg.inch,
            facecolor="white",
            alpha=0.85,
            edgecolor="none",
            zorder=30,
        )
    )
    length_m = _nice_length(0.22 * (fr.x1 - fr.x0) / fr.scale)
    bar_in = length_m * fr.scale / 72
    x0, y0, h = left + 0.08, bottom + 0.2, 0.045
    n = 4
    for i in range(n):
        pg.fig.add_artist(
            Rectangle(
                (x0 + i * bar_in / n, y0),
                bar_in / n,
                h,
                transform=pg.inch,
                facecolor="#222222" if i % 2 == 0 else "white",
                edgecolor="#222222",
                linewidth=0.5,
                zorder=31,
            )
        )
    km = length_m / 1000
    for i, frac in enumerate((0.0, 0.5, 1.0)):
        value = km * frac
        label = format_number(value, 0 if value == int(value) else 1, lang=lang)
        if i == 2:
            label += " km"
        pg.text(
            x0 + frac * bar_in,
            y0 + h + 0.03,
            label,
            fontsize=L.SCALE_FS,
            ha="left" if i == 2 and False else "center",
            va="bottom",
            color="#222222",
            zorder=32,
            gid=f"scale-{i}",
        )
    pg.text(
        x0,
        bottom + 0.06,
        _scale_text(fr, t, paper, lang),
        fontsize=L.SCALE_FS,
        va="bottom",
        color="#222222",
        zorder=32,
        gid="numeric-scale",
    )


def north_angle(fr: _Frame) -> float:
    """Angle (degrees, counter-clockwise from the page's up) of true north at the frame centre."""
    xmin, ymin, xmax, ymax = fr.extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    lon, lat = _TO_GEO.transform(cx, cy)
    x2, y2 = _TO_METRIC.transform(lon, lat + 0.1)
    return math.degrees(math.atan2(-(x2 - cx), y2 - cy))


NORTH_SIZE = (0.34, 0.56)  # width, height of the north arrow's box, inches


def north_arrow(pg: _Page, fr: _Frame, left: float, bottom: float, t: dict[str, str]) -> None:
    """North arrow (pointing to true north) with its "N", box at ``(left, bottom)`` inches."""
    cx, cy = left + NORTH_SIZE[0] / 2, bottom + 0.2
    a = math.radians(north_angle(fr))
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    tip, tail, half = 0.19, -0.1, 0.065
    left_half = np.array([[0, tip], [-half, tail], [0, tail + 0.045]]) @ rot.T + [cx, cy]
    right_half = np.array([[0, tip], [half, tail], [0, tail + 0.045]]) @ rot.T + [cx, cy]
    for pts, fc in ((left_half, "#222222"), (right_half, "white")):
        pg.fig.add_artist(
            PolygonPatch(
                pts,
                closed=True,
                transform=pg.inch,
                facecolor=fc,
                edgecolor="#222222",
                linewidth=0.6,
                zorder=31,
            )
        )
    nx, ny = np.array([0, tip + 0.03]) @ rot.T + [cx, cy]
    pg.text(
        nx,
        ny,
        t["north"],
        fontsize=L.NORTH_FS,
        fontweight="bold",
        ha="center",
        va="bottom",
        rotation=math.degrees(a),
        rotation_mode="anchor",
        color="#222222",
        zorder=32,
        gid="north-label",
    )
