"""Map content shared by the state sheets and the cover: base layers, symbols, place names.

Every function draws into a :class:`~siting.maps.atlas._draw._Frame` whose extent is set.
Geometry is clipped to the frame (plus a margin) before it is drawn, so a sheet carries only
what it shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from siting.maps.atlas import _layout as L
from siting.maps.atlas._draw import _TO_METRIC, _Frame, add_lines, add_polygons
from siting.maps.atlas._labels import (
    _Measure,
    _Placer,
    area_label,
    fold,
    point_label,
    rotated_box,
)
from siting.maps.atlas.classes import NODATA_FILL, NODATA_HATCH_COLOR
from siting.maps.atlas.context import AtlasContext
from siting.maps.static.page import _PLAIN, _Page
from siting.maps.style import print_cmap

#: Where each sea may be named: (latitude, longitude, text angle in degrees counter-clockwise).
#: A sea is named at the first of its points (nearest the frame's centre first) that lies in
#: the frame, off the land, with room for its name.
SEA_ANCHORS: dict[str, tuple[tuple[float, float, float], ...]] = {
    "gulf_of_mexico": (
        (24.3, -91.5, 0.0),
        (25.4, -96.4, 0.0),
        (22.4, -96.4, 0.0),
        (21.5, -96.9, 0.0),
        (20.3, -95.4, 0.0),
        (18.9, -95.1, 0.0),
        (18.9, -93.5, 0.0),
        (19.6, -91.6, 0.0),
        (20.6, -92.6, 0.0),
        (21.9, -90.0, 0.0),
        (22.7, -89.4, 0.0),
    ),
    "pacific_ocean": (
        (16.5, -106.5, 0.0),
        (14.7, -96.0, 0.0),
        (15.2, -96.7, 0.0),
        (15.1, -94.6, 0.0),
        (14.2, -93.6, 0.0),
        (16.5, -99.9, 0.0),
        (17.5, -101.9, 0.0),
        (17.8, -104.0, 0.0),
        (18.6, -104.5, 0.0),
        (19.9, -105.9, 0.0),
        (20.5, -106.8, 0.0),
        (22.7, -106.7, 0.0),
        (23.6, -112.8, 0.0),
        (28.0, -116.9, 0.0),
        (31.3, -117.7, 0.0),
    ),
    "gulf_of_california": (
        (27.4, -111.4, -56.0),
        (29.0, -112.9, -52.0),
        (30.6, -114.0, -60.0),
        (25.6, -109.9, -50.0),
    ),
    "caribbean": ((18.3, -85.6, 0.0), (19.8, -86.5, 0.0), (20.5, -86.4, 0.0), (21.4, -86.2, 0.0)),
}


def clip(
    geoms: np.ndarray | Sequence[shapely.Geometry], fr: _Frame, pad: float = 0.05
) -> np.ndarray:
    """``geoms`` clipped to the frame grown by ``pad`` of its size (empty ones dropped)."""
    xmin, ymin, xmax, ymax = fr.extent
    g = max(xmax - xmin, ymax - ymin) * pad
    out = shapely.clip_by_rect(
        np.asarray(geoms, dtype=object), xmin - g, ymin - g, xmax + g, ymax + g
    )
    return out


def luminance(color: str) -> float:
    """Relative luminance (0 black - 1 white) of a colour."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def draw_abroad(fr: _Frame, ctx: AtlasContext) -> None:
    """Draw the neighbouring countries, lighter than the land of Mexico."""
    geoms = clip(ctx.abroad.geometry.to_numpy(), fr)
    add_polygons(
        fr.ax,
        geoms[~shapely.is_empty(geoms)],
        facecolor=L.ABROAD,
        edgecolor="#c9c5bb",
        linewidth=0.4,
        zorder=1,
        gid="abroad",
    )


def draw_surface(fr: _Frame, ctx: AtlasContext, muns: pd.DataFrame, *, edges: bool = True) -> None:
    """Municipalities filled by their class (hatched when no site is within reach)."""
    geoms = clip(muns.geometry.to_numpy(), fr)
    klass = muns["klass"].to_numpy()
    ok = ~shapely.is_empty(geoms)
    colors = np.array((*ctx.classes.colors, "#000000"), dtype=object)
    has = ok & (klass >= 0)
    add_polygons(
        fr.ax,
        geoms[has],
        facecolor=list(colors[klass[has]]),
        edgecolor=L.MUN_EDGE if edges else list(colors[klass[has]]),
        linewidth=0.3 if edges else 0.15,
        zorder=2,
        gid="surface",
    )
    none = ok & (klass < 0)
    add_polygons(
        fr.ax,
        geoms[none],
        facecolor=NODATA_FILL,
        edgecolor=NODATA_HATCH_COLOR,
        linewidth=0.3 if edges else 0.0,
        hatch="//////",
        zorder=2,
        gid="surface-nodata",
    )


def draw_roads(fr: _Frame, ctx: AtlasContext) -> None:
    """Trunk roads clipped to the frame."""
    lines = clip(ctx.roads, fr, pad=0.01)
    add_lines(
        fr.ax,
        lines[~shapely.is_empty(lines)],
        color=L.ROAD,
        linewidth=0.7,
        zorder=5,
        alpha=0.75,
        gid="roads",
        capstyle="round",
    )


def crossing_sizes(trucks: np.ndarray, vmax: float, largest: float = 95.0) -> np.ndarray:
    """Marker areas (points²) proportional to trucks (``vmax`` gets ``largest``), at least 9."""
    if not vmax > 0:
        return np.full(trucks.shape, 9.0)
    return np.maximum(largest * trucks / vmax, 9.0)


def draw_points(
    fr: _Frame,
    ctx: AtlasContext,
    placer: _Placer,
    measure: _Measure,
    *,
    name: bool = True,
) -> None:
    """Crossings (squares sized by trucks) and container ports (diamonds), named where free."""
    inside = fr.window.buffer(0)
    cr = ctx.crossings
    xy = cr.geometry.get_coordinates().to_numpy()
    trucks = cr["trucks"].to_numpy(dtype=float)
    vmax = float(ctx.crossings["trucks"].max()) if len(ctx.crossings) else 0.0
    areas = crossing_sizes(trucks, vmax)
    fr.ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=areas,
        marker="s",
        color=L.CROSSING,
        alpha=0.85,
        edgecolors="white",
        linewidths=0.5,
        zorder=8,
        gid="crossings",
    )
    sp = ctx.seaports
    sxy = sp.geometry.get_coordinates().to_numpy()
    fr.ax.scatter(
        sxy[:, 0],
        sxy[:, 1],
        s=26,
        marker="D",
        color=L.SEAPORT,
        edgecolors="white",
        linewidths=0.5,
        zorder=8,
        gid="seaports",
    )
    for (x, y), area in zip(xy, areas, strict=True):
        if inside.contains(shapely.Point(x, y)):
            r = math.sqrt(area) / 2
            ((px, py),) = fr.to_pt([[x, y]])
            placer.add(shapely.box(px - r, py - r, px + r, py + r))
    for x, y in sxy:
        if inside.contains(shapely.Point(x, y)):
            ((px, py),) = fr.to_pt([[x, y]])
            placer.add(shapely.Point(px, py).buffer(4, quad_segs=2))
    if not name:
        return
    names = cr["port_name"] if "port_name" in cr.columns else pd.Series([None] * len(cr))
    for i, ((x, y), area, label) in enumerate(zip(xy, areas, names, strict=True)):
        if isinstance(label, str) and inside.contains(shapely.Point(x, y)):
            point_label(
                fr,
                placer,
                measure,
                (x, y),
                label,
                L.POINT_FS,
                radius=math.sqrt(area) / 2,
                color=L.CROSSING,
                style="italic",
                weight="bold",
                gid=f"crossing-name-{i}",
            )
    for i, ((x, y), label) in enumerate(zip(sxy, sp.get("name", []), strict=False)):
        if isinstance(label, str) and inside.contains(shapely.Point(x, y)):
            point_label(
                fr,
                placer,
                measure,
                (x, y),
                label,
                L.POINT_FS,
                radius=3.5,
                color=L.SEAPORT,
                style="italic",
                weight="bold",
                gid=f"seaport-name-{i}",
            )


def port_names(ctx: AtlasContext) -> set[str]:
    """Folded names of the crossings and seaports (a city of the same name is not repeated)."""
    names = [*ctx.seaports.get("name", []), *ctx.crossings.get("port_name", [])]
    return {fold(n) for n in names if isinstance(n, str)}


def draw_sites(
    fr: _Frame,
    ctx: AtlasContext,
    sites: pd.DataFrame,
    top: pd.DataFrame,
    placer: _Placer | None = None,
) -> None:
    """Draw candidate sites coloured by their national score; the numbered ones larger.

    Each marker is ringed white and black, to stand out on any fill; with a ``placer``, the
    markers in the frame are taken areas for the labels placed afterwards.
    """
    if placer is not None:
        for frame, radius in ((sites, 3.2), (top, 4.2)):
            if not len(frame):
                continue
            pts = fr.to_pt(frame.geometry.get_coordinates().to_numpy())
            for x, y in pts[shapely.contains_xy(fr.box, pts[:, 0], pts[:, 1])]:
                placer.add(shapely.Point(x, y).buffer(radius, quad_segs=2), soft=True)
    cmap = print_cmap()
    for frame, size, gid in ((sites, 11, "sites"), (top, 22, "sites-top")):
        if not len(frame):
            continue
        order = np.argsort(frame["score"].to_numpy(dtype=float), kind="stable")
        xy = frame.geometry.get_coordinates().to_numpy()[order]
        z = 9 if gid == "sites" else 9.5
        ring = 1.2 if gid == "sites" else 1.6
        fr.ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=(np.sqrt(size) + 2 * ring) ** 2,
            color="#111111",
            linewidths=0,
            zorder=z,
            gid=f"{gid}-ring",
        )
        fr.ax.scatter(
            xy[:, 0],
            xy[:, 1],
            c=frame["score"].to_numpy(dtype=float)[order],
            cmap=cmap,
            norm=ctx.norm,
            s=size,
            edgecolors="white",
            linewidths=ring * 0.6,
            zorder=z,
            gid=gid,
        )


def draw_cities(
    fr: _Frame,
    placer: _Placer,
    measure: _Measure,
    cities: pd.DataFrame,
    *,
    gid: str = "city",
    major: bool = False,
    skip: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """City dots and names, largest first, where the name fits; return the names drawn.

    A ``major`` city is named even if its dot touches a symbol already placed; cities whose
    (folded) name is in ``skip`` (the ports named on the map) are left out.
    """
    drawn = []
    for i, (_, row) in enumerate(cities.iterrows()):
        if fold(str(row["name"])) in skip:
            continue
        x, y = row.geometry.x, row.geometry.y
        pop = float(row["population"])
        dot = 4.2 if pop >= 1_000_000 else 3.4 if pop >= 250_000 else 2.7
        ((px, py),) = fr.to_pt([[x, y]])
        disc = shapely.Point(px, py).buffer(dot / 2 + 0.3, quad_segs=3)
        if not placer.frame.contains(disc) or (not major and placer.hits(disc, soft=False)):
            continue
        size = L.CITY_FS if pop >= 100_000 else L.CITY_FS_SMALL
        weight = "bold" if pop >= 500_000 else "normal"
        placer.add(disc)
        if point_label(
            fr,
            placer,
            measure,
            (x, y),
            str(row["name"]),
            size,
            radius=dot / 2,
            color=L.CITY,
            weight=weight,
            gid=f"{gid}-name-{i}",
        ):
            fr.ax.plot(
                [x],
                [y],
                marker="o",
                markersize=dot,
                color="white",
                markeredgecolor=L.CITY,
                markeredgewidth=0.8,
                zorder=10,
                gid=f"{gid}-{i}",
            )
            drawn.append(str(row["name"]))
        else:
            placer.taken.pop()
    return drawn


def sea_labels(
    fr: _Frame, ctx: AtlasContext, placer: _Placer, measure: _Measure, t: dict[str, str]
) -> None:
    """Name each sea at one of its anchors that is in the frame and off the land."""
    xmin, ymin, xmax, ymax = fr.extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    for key, anchors in SEA_ANCHORS.items():
        lat = np.array([a[0] for a in anchors])
        lon = np.array([a[1] for a in anchors])
        x, y = _TO_METRIC.transform(lon, lat)
        order = np.argsort(np.hypot(x - cx, y - cy), kind="stable")
        text = t[key]
        w, h = measure(text, L.SEA_FS, style="italic")
        for i in order:
            if not fr.window.contains(shapely.Point(x[i], y[i])):
                continue
            ((px, py),) = fr.to_pt([[x[i], y[i]]])
            box = rotated_box(px, py, w + 4, h + 2, anchors[i][2])
            if not placer.fits(box) or ctx.land.intersects(fr.box_to_data(box)):
                continue
            fr.ax.text(
                x[i],
                y[i],
                text,
                fontsize=L.SEA_FS,
                fontstyle="italic",
                color=L.SEA_TEXT,
                ha="center",
                va="center",
                rotation=anchors[i][2],
                rotation_mode="anchor",
                zorder=11,
                gid=f"sea-{key}",
                **_PLAIN,
            )
            placer.add(box)
            break


def country_labels(
    fr: _Frame, ctx: AtlasContext, placer: _Placer, measure: _Measure, t: dict[str, str]
) -> None:
    """Name the neighbouring countries inside their visible part."""
    for key, geom in zip(ctx.abroad["key"], ctx.abroad.geometry, strict=True):
        visible = shapely.intersection(geom, fr.window.buffer(-4 * fr.m_per_pt))
        if shapely.is_empty(visible):
            continue
        area_label(
            fr,
            placer,
            measure,
            visible,
            t[key],
            8.5,
            color=L.ABROAD_TEXT,
            gid=f"country-{key}",
            pad=3.0,
        )


def state_labels(
    fr: _Frame,
    ctx: AtlasContext,
    placer: _Placer,
    measure: _Measure,
    states: pd.DataFrame,
    *,
    size: float = L.STATE_FS,
    color: str = L.STATE_TEXT,
    gid: str = "state-name",
) -> None:
    """Name ``states`` (short names) inside their visible part, largest first."""
    window = fr.window.buffer(-4 * fr.m_per_pt)
    visible = shapely.intersection(states.geometry.to_numpy(), window)
    order = np.argsort(-shapely.area(visible), kind="stable")
    for i in order:
        if shapely.is_empty(visible[i]) or shapely.area(visible[i]) <= 0:
            continue
        row = states.iloc[i]
        area_label(
            fr,
            placer,
            measure,
            visible[i],
            str(row["state_short"]),
            size,
            color=color,
            gid=f"{gid}-{row['CVE_ENT']}",
            pad=2.0,
        )


def municipality_labels(
    fr: _Frame,
    placer: _Placer,
    measure: _Measure,
    muns: pd.DataFrame,
    ctx: AtlasContext,
    *,
    skip: set[str],
    gid_prefix: str = "municipality",
) -> int:
    """Name municipalities, largest on the page first, where the name fits; return how many."""
    geoms = muns.geometry.to_numpy()
    order = np.argsort(-shapely.area(geoms), kind="stable")
    min_area = (12 / fr.scale) ** 2  # smaller than 12 x 12 points: no room for a name
    n = 0
    colors = ctx.classes.colors
    for i in order:
        geom = geoms[i]
        if shapely.area(geom) < min_area:
            break
        row = muns.iloc[i]
        name = str(row["municipality"])
        if fold(name) in skip:
            continue
        klass = int(row["klass"])
        fill = colors[klass] if klass >= 0 else NODATA_FILL
        color = "white" if luminance(fill) < 0.25 else "#333333"
        big = shapely.area(geom) * fr.scale**2 > 90 * 90
        size = L.MUN_FS_BIG if big else L.MUN_FS
        if area_label(
            fr,
            placer,
            measure,
            geom,
            name,
            size,
            color=color,
            gid=f"{gid_prefix}-{row['CVEGEO']}",
            pad=1.0,
        ):
            n += 1
    return n


def corner_positions(
    fr: _Frame,
    sizes: Sequence[Sequence[tuple[float, float]]],
    avoid: shapely.Geometry,
    points: np.ndarray,
    *,
    allowed: Sequence[Sequence[str]],
    inset: float = 0.07,
    good: float = 0.04,
) -> list[tuple[float, float, float, float]]:
    """Boxes ``(left, bottom, width, height)`` (inches) in the frame's corners.

    Each item, in turn, has size options (largest first) and ``allowed`` corners ("ll", "lr",
    "ul", "ur"); it takes the first size whose best free corner covers less than ``good`` of
    its area with ``avoid`` (page points) and points of ``points`` (page points, 0.15 each),
    else the size and corner of least cost.
    """
    x0, y0, x1, y1 = (v / 72 for v in (fr.x0, fr.y0, fr.x1, fr.y1))
    used: set[str] = set()
    out = []
    for options, corners in zip(sizes, allowed, strict=True):
        best = None
        for w, h in options:
            for corner in corners:
                if corner in used:
                    continue
                left = x0 + inset if corner[1] == "l" else x1 - inset - w
                bottom = y0 + inset if corner[0] == "l" else y1 - inset - h
                box = shapely.box(left * 72, bottom * 72, (left + w) * 72, (bottom + h) * 72)
                cost = shapely.area(shapely.intersection(box, avoid)) / shapely.area(box)
                if len(points):
                    inside = shapely.contains_xy(box, points[:, 0], points[:, 1])
                    cost += 0.15 * float(inside.sum())
                if best is None or cost < best[0] - 1e-9:
                    best = (cost, left, bottom, w, h, corner)
            if best is not None and best[0] < good:
                break
        if best is None:
            w, h = options[-1]
            best = (0.0, x0 + inset, y0 + inset, w, h, "ll")
        used.add(best[5])
        out.append(best[1:5])
    return out


def locator(
    pg: _Page,
    ctx: AtlasContext,
    fr: _Frame,
    code: str,
    left: float,
    bottom: float,
    width: float,
    height: float,
    t: dict[str, str],
) -> None:
    """Inset of Mexico with the state highlighted and the main frame's extent."""
    ax = pg.fig.add_axes(pg.rect(left, bottom, width, height))
    ax.set_gid("locator")
    bounds = np.array([g.bounds for g in ctx.states["main"]])
    ext = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())
    pad = 0.03 * (ext[2] - ext[0])
    ext = (ext[0] - pad, ext[1] - pad, ext[2] + pad, ext[3] + pad)
    _Frame(pg, ax, ext)
    for spine in ax.spines.values():
        spine.set_linewidth(0.5)
        spine.set_edgecolor("#555555")
    states = ctx.locator
    mask = (states["CVE_ENT"] == code).to_numpy()
    add_polygons(
        ax,
        states.geometry.to_numpy()[~mask],
        facecolor="#c8c8c8",
        edgecolor="white",
        linewidth=0.2,
        zorder=1,
    )
    add_polygons(
        ax,
        states.geometry.to_numpy()[mask],
        facecolor=L.LOCATOR_HIGHLIGHT,
        edgecolor=L.LOCATOR_HIGHLIGHT,
        linewidth=0.3,
        zorder=2,
    )
    xmin, ymin, xmax, ymax = fr.extent
    ax.add_patch(
        Rectangle(
            (xmin, ymin),
            xmax - xmin,
            ymax - ymin,
            fill=False,
            edgecolor="#111111",
            linewidth=0.6,
            zorder=3,
        )
    )
    ax.text(
        0.03,
        0.04,
        t["locator"],
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=5.5,
        color=L.MUTED,
        gid="locator-title",
        **_PLAIN,
    )
