"""Static print map of a ranking, for reports (PNG and PDF).

:func:`static_map` draws one page: the ranking in EPSG:6372 (INEGI's Lambert Conformal Conic) over
the states, the commercial border crossings sized by truck volume, the top candidates numbered on
the map and listed in a side panel, a score colour bar, a crossing-size key, the criteria and
their weights, a scale bar, a north arrow and a footer with notes, credits and the projection.
:func:`save_static` writes the figure as PNG and PDF without ever leaving a half-written file.

The figure is a plain :class:`matplotlib.figure.Figure` drawn with the Agg canvas: no pyplot, no
global state. Every text built from user data is drawn with ``parse_math=False`` and
``usetex=False``, so a ``$`` in a candidate name is printed as a dollar sign.
"""

from __future__ import annotations

import logging
import math
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colorbar import Colorbar
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib_scalebar.scalebar import ScaleBar
from pyproj import Proj, Transformer

from siting.maps.style import (
    CROSSING_COLOR,
    EXCLUDED_COLOR,
    LAND_COLOR,
    MUTED_TEXT_COLOR,
    SCORE_CMAP,
    SCORE_NORM,
    STATE_EDGE_COLOR,
)
from siting.maps.text import STATIC_TEXT, TEXT

logger = logging.getLogger(__name__)

#: CRS of the print map: Mexico ITRF2008 / LCC, metres.
CRS_MAP = "EPSG:6372"
#: Page sizes in inches (landscape). Mexican offices print on letter ("carta") paper.
PAGE_SIZES: dict[str, tuple[float, float]] = {"letter": (11.0, 8.5), "a4": (11.69, 8.27)}

#: Settings under which the figure is built and saved (independent of the user's rcParams).
_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "text.usetex": False,
    "axes.unicode_minus": True,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
}
#: Keyword arguments of every text: never interpret ``$...$`` as mathtext, never call TeX.
_PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}

_MARGIN = 0.4  # page margin, inches
_PANEL_W = 2.6  # side panel width, inches
_GAP = 0.25  # gap between map and panel, inches
_FOOTER_FS = 6.3  # footer font size, points
_LINE = 1.35  # line height as a multiple of the font size
_LABEL_FS = 6.5  # rank numbers on the map and in the list
_LABEL_PAD = 0.3  # circle padding of rank numbers, fraction of the font size
_CROSSING_MAX_AREA = 260.0  # marker area (points²) of the largest legend value
_CROSSING_MIN_AREA = 5.0
_CROSSINGS_LABELLED = 5  # busiest crossings named on the map
_MIN_ISLAND_KM2 = 300.0  # remote islands smaller than this do not stretch the extent


# --- public API ----------------------------------------------------------------------------------


def static_map(
    ranking: gpd.GeoDataFrame,
    criteria: Sequence[Mapping[str, Any]],
    *,
    layers: Mapping[str, gpd.GeoDataFrame],
    credits: Sequence[str],
    notes: Sequence[str],
    title: str | None = None,
    top_n: int = 10,
    page: str = "letter",
) -> Figure:
    """Draw a one-page print map of a ranking.

    Parameters
    ----------
    ranking
        Ranked candidates (points, any CRS): columns ``rank``, ``name`` and ``score`` (0-100);
        ``municipality`` and ``state`` if present are shown in the list of the best sites; an
        ``excluded`` column (bool), if present, draws those candidates grey. Candidates without a
        rank are never listed.
    criteria
        Criteria in display order, each a mapping with ``name``, ``label``, ``weight`` (fraction)
        and ``direction`` (``"benefit"`` or ``"cost"``).
    layers
        Context layers (any CRS): ``"states"`` (polygons) and ``"crossings"`` (points with
        ``trucks`` and, optionally, ``port_name`` and ``year``).
    credits
        Data credits printed in the footer (e.g. :func:`layers.credits`).
    notes
        Methodological notes printed in the footer (e.g. "Distances are straight-line.").
    title
        Title of the page; defaults to ``maps.text.TEXT["title"]``.
    top_n
        Number of best candidates numbered on the map and listed in the side panel.
    page
        ``"letter"`` (11 x 8.5 in, landscape) or ``"a4"`` (297 x 210 mm, landscape).

    Returns
    -------
    matplotlib.figure.Figure
        The page, with an Agg canvas; save it with :func:`save_static`.

    Raises
    ------
    ValueError
        If an input lacks a required column or layer, has no CRS, or ``top_n``/``page`` are
        invalid; the message lists every problem found.
    """
    _validate(ranking, criteria, layers, credits, notes, top_n, page)
    with mpl.rc_context(_RC):
        return _draw(
            ranking,
            list(criteria),
            layers=layers,
            credits=[str(c) for c in credits],
            notes=[str(n) for n in notes],
            title=TEXT["title"] if title is None else str(title),
            top_n=int(top_n),
            page=page,
        )


def save_static(
    fig: Figure,
    png_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    dpi: int = 200,
) -> tuple[Path, Path]:
    """Save a figure as PNG and PDF, atomically.

    Each file is first written to a hidden temporary file in its destination folder, then moved
    into place with :func:`os.replace`; if anything fails, the temporary files are removed and
    existing files at ``png_path``/``pdf_path`` are left untouched. PDF text stays text
    (TrueType fonts embedded, ``pdf.fonttype`` 42) in DejaVu Sans.

    Parameters
    ----------
    fig
        Figure to save, typically from :func:`static_map`.
    png_path, pdf_path
        Destination files; their folders must exist.
    dpi
        Resolution of the PNG (the PDF is vector; images in it use the same resolution).

    Returns
    -------
    tuple of pathlib.Path
        ``(png_path, pdf_path)``.
    """
    png, pdf = Path(png_path), Path(pdf_path)
    problems = [
        f"folder of `{arg}` {str(p.parent)!r} does not exist"
        for arg, p in (("png_path", png), ("pdf_path", pdf))
        if not p.parent.is_dir()
    ]
    if png.resolve() == pdf.resolve():
        problems.append(f"`png_path` and `pdf_path` are the same file {str(png)!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or dpi <= 0:
        problems.append(f"`dpi` must be a positive number, received {dpi!r}")
    if problems:
        msg = "save_static: " + "; ".join(problems)
        raise ValueError(msg)

    title = fig.get_suptitle()
    creator = f"siting {_siting_version()}"
    jobs = [
        (png, "png", {"Title": title, "Software": creator}),
        (pdf, "pdf", {"Title": title, "Creator": creator, "CreationDate": None}),
    ]
    temps: list[Path] = []
    try:
        with mpl.rc_context(_RC):
            for path, fmt, metadata in jobs:
                tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
                temps.append(tmp)
                fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
        for tmp, (path, _, _) in zip(temps, jobs, strict=True):
            os.replace(tmp, path)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    logger.info("Saved static map to %r and %r", str(png), str(pdf))
    return png, pdf


# --- validation ----------------------------------------------------------------------------------


def _validate(
    ranking: Any,
    criteria: Any,
    layers: Any,
    credits: Any,
    notes: Any,
    top_n: Any,
    page: Any,
) -> None:
    problems: list[str] = []
    if not isinstance(ranking, gpd.GeoDataFrame):
        problems.append(f"`ranking` must be a GeoDataFrame, received {type(ranking).__name__}")
    else:
        missing = [c for c in ("rank", "name", "score") if c not in ranking.columns]
        if missing:
            problems.append(f"`ranking` lacks column(s) {missing}")
        if ranking.crs is None:
            problems.append("`ranking` has no CRS (expected EPSG:4326 points)")
    if isinstance(criteria, str | bytes) or not isinstance(criteria, Sequence):
        problems.append(f"`criteria` must be a list of dicts, received {type(criteria).__name__}")
    else:
        for i, crit in enumerate(criteria):
            if not isinstance(crit, Mapping):
                problems.append(f"`criteria[{i}]` must be a dict, received {type(crit).__name__}")
                continue
            lacking = [k for k in ("name", "label", "weight") if k not in crit]
            if lacking:
                problems.append(f"`criteria[{i}]` lacks key(s) {lacking}")
    if not isinstance(layers, Mapping):
        problems.append(
            f"`layers` must be a dict of GeoDataFrames, received {type(layers).__name__}"
        )
    else:
        for key, cols in (("states", []), ("crossings", ["trucks"])):
            layer = layers.get(key)
            if not isinstance(layer, gpd.GeoDataFrame):
                problems.append(
                    f"`layers[{key!r}]` must be a GeoDataFrame, received {type(layer).__name__}"
                )
                continue
            if layer.crs is None:
                problems.append(f"`layers[{key!r}]` has no CRS")
            lacking = [c for c in cols if c not in layer.columns]
            if lacking:
                problems.append(f"`layers[{key!r}]` lacks column(s) {lacking}")
    for arg, value in (("credits", credits), ("notes", notes)):
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            problems.append(f"`{arg}` must be a list of str, received {type(value).__name__}")
    if isinstance(top_n, bool) or not isinstance(top_n, int | np.integer) or top_n < 0:
        problems.append(f"`top_n` must be a non-negative integer, received {top_n!r}")
    if page not in PAGE_SIZES:
        problems.append(f"`page` was {page!r} but is expected to be in {sorted(PAGE_SIZES)}")
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        msg = f"static_map received {len(problems)} invalid input(s):\n{listed}"
        raise ValueError(msg)


# --- drawing -------------------------------------------------------------------------------------


class _Page:
    """Figure, renderer and text measurement in inches."""

    def __init__(self, size: tuple[float, float]) -> None:
        self.width, self.height = size
        self.fig = Figure(figsize=size, dpi=100, facecolor="white")
        FigureCanvasAgg(self.fig)
        self.renderer: RendererAgg = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.inch = self.fig.dpi_scale_trans

    def text_width(self, text: str, size: float, weight: str = "normal") -> float:
        """Width of ``text`` in inches."""
        prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
        w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w / self.fig.dpi

    def fit(self, text: str, width: float, size: float, weight: str = "normal") -> str:
        """Shorten ``text`` with an ellipsis until it fits ``width`` inches."""
        if self.text_width(text, size, weight) <= width:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.text_width(text[:mid].rstrip() + "…", size, weight) <= width:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + "…"

    def wrap(
        self, items: Sequence[str], width: float, size: float, sep: str = "  ·  "
    ) -> list[str]:
        """Pack ``items`` into lines of at most ``width`` inches, breaking long items at spaces."""
        lines: list[str] = []
        current = ""
        for item in items:
            trial = f"{current}{sep}{item}" if current else item
            if self.text_width(trial, size) <= width:
                current = trial
                continue
            if current:
                lines.append(current)
            current = ""
            for word in item.split(" "):
                trial = f"{current} {word}" if current else word
                if current and self.text_width(trial, size) > width:
                    lines.append(current)
                    current = word
                else:
                    current = trial
        if current:
            lines.append(current)
        return lines

    def rect(self, left: float, bottom: float, width: float, height: float) -> list[float]:
        """Figure-fraction rectangle of a box given in inches."""
        return [left / self.width, bottom / self.height, width / self.width, height / self.height]

    def text(self, x: float, y: float, s: str, **kwargs: Any) -> Any:
        """Add plain text at ``(x, y)`` inches from the lower-left corner of the page."""
        return self.fig.text(x, y, s, transform=self.inch, **_PLAIN, **kwargs)


def _draw(
    ranking: gpd.GeoDataFrame,
    criteria: list[Mapping[str, Any]],
    *,
    layers: Mapping[str, gpd.GeoDataFrame],
    credits: list[str],
    notes: list[str],
    title: str,
    top_n: int,
    page: str,
) -> Figure:
    pg = _Page(PAGE_SIZES[page])
    cand = ranking.to_crs(CRS_MAP)
    states = layers["states"].to_crs(CRS_MAP)
    crossings = layers["crossings"].to_crs(CRS_MAP)
    crossings = crossings[crossings["trucks"].fillna(0) > 0].sort_values("trucks", ascending=False)

    score = pd.to_numeric(cand["score"], errors="coerce")
    rank = pd.to_numeric(cand["rank"], errors="coerce")
    excluded = (
        cand["excluded"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        if "excluded" in cand.columns
        else np.zeros(len(cand), dtype=bool)
    )
    ranked = ~excluded & rank.notna().to_numpy() & score.notna().to_numpy()
    top = cand[ranked].assign(_rank=rank[ranked]).sort_values("_rank", kind="stable").head(top_n)

    # page layout, inches from the lower-left corner
    text_w = pg.width - 2 * _MARGIN
    footer = _footer_lines(pg, notes, credits, states, text_w)
    footer_h = len(footer) * _FOOTER_FS * _LINE / 72
    map_bottom = _MARGIN + footer_h + 0.2
    map_top = pg.height - _MARGIN - 0.72
    map_w = pg.width - 2 * _MARGIN - _PANEL_W - _GAP
    panel_left = _MARGIN + map_w + _GAP

    # title block
    pg.fig.suptitle(
        pg.fit(title, text_w, 15, "bold"),
        x=_MARGIN / pg.width,
        y=1 - _MARGIN / pg.height,
        ha="left",
        va="top",
        fontsize=15,
        fontweight="bold",
        gid="title",
        **_PLAIN,
    )
    subtitle = STATIC_TEXT["subtitle"].format(top_n=len(top), n_ranked=int(ranked.sum()))
    if excluded.any():
        subtitle += STATIC_TEXT["subtitle_excluded"].format(n_excluded=int(excluded.sum()))
    pg.text(
        _MARGIN,
        pg.height - _MARGIN - 0.36,
        subtitle,
        fontsize=9.5,
        color=MUTED_TEXT_COLOR,
        va="top",
        gid="subtitle",
    )

    # map
    ax = pg.fig.add_axes(pg.rect(_MARGIN, map_bottom, map_w, map_top - map_bottom))
    trucks = crossings["trucks"].to_numpy(dtype=float)
    municipalities = next(
        (
            layers[k].to_crs(CRS_MAP)
            for k in ("municipalities", "municipal_labor")
            if isinstance(layers.get(k), gpd.GeoDataFrame) and layers[k].crs is not None
        ),
        None,
    )
    content = _Content(
        cand=cand,
        score=score.to_numpy(dtype=float),
        grey=excluded | score.isna().to_numpy(),
        states=states,
        municipalities=municipalities,
        crossings=crossings,
        areas=_crossing_areas(trucks, float(trucks.max()) if trucks.size else 0.0),
        top=top,
    )
    _draw_map(pg, ax, content)

    # side panel and footer
    legend_top = _draw_legend(pg, panel_left, map_bottom, crossings, criteria, excluded.any())
    _draw_top_list(pg, panel_left, map_top, legend_top + 0.15, top)
    y = _MARGIN + footer_h
    for i, line in enumerate(footer):
        pg.text(
            _MARGIN,
            y - i * _FOOTER_FS * _LINE / 72,
            line,
            fontsize=_FOOTER_FS,
            color=MUTED_TEXT_COLOR,
            va="top",
            gid=f"footer-{i}",
        )
    return pg.fig


def _footer_lines(
    pg: _Page, notes: list[str], credits: list[str], states: gpd.GeoDataFrame, width: float
) -> list[str]:
    lines: list[str] = []
    if notes:
        lines += pg.wrap(
            [STATIC_TEXT["notes"] + " " + notes[0], *notes[1:]], width, _FOOTER_FS, "  "
        )
    if credits:
        lines += pg.wrap(
            [STATIC_TEXT["credits"] + " " + credits[0], *credits[1:]], width, _FOOTER_FS
        )
    deg = _max_convergence(states)
    last = [
        STATIC_TEXT["crs"],
        STATIC_TEXT["north_caption"].format(deg=deg),
        STATIC_TEXT["software"].format(version=_siting_version()),
    ]
    lines += pg.wrap(last, width, _FOOTER_FS, "  ")
    return lines


def _max_convergence(states: gpd.GeoDataFrame) -> float:
    """Largest angle (degrees) between grid north and true north over the states' extent."""
    if states.empty:
        return 0.0
    xmin, ymin, xmax, ymax = states.total_bounds
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, 5), np.linspace(ymin, ymax, 5))
    lon, lat = Transformer.from_crs(CRS_MAP, "EPSG:4326", always_xy=True).transform(xs, ys)
    factors = Proj(CRS_MAP).get_factors(lon.ravel(), lat.ravel())
    return float(np.nanmax(np.abs(factors.meridian_convergence)))


def _extent(
    states: gpd.GeoDataFrame, cand: gpd.GeoDataFrame, crossings: gpd.GeoDataFrame
) -> tuple[float, float, float, float]:
    """Bounds of the mainland and large islands, the candidates and the crossings, padded."""
    parts = states.geometry.explode(index_parts=False)
    parts = parts[parts.area >= _MIN_ISLAND_KM2 * 1e6]
    boxes = [g.total_bounds for g in (parts, cand.geometry, crossings.geometry) if not g.empty]
    if not boxes:
        return (1.0e6, 3.0e5, 4.1e6, 2.4e6)  # Mexico in EPSG:6372
    b = np.array(boxes)
    xmin, ymin, xmax, ymax = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    pad = 0.03 * max(xmax - xmin, ymax - ymin, 1e5)
    return xmin - pad, ymin - pad, xmax + pad, ymax + pad


@dataclass
class _Content:
    """What every map frame (main map and detail inset) draws, in EPSG:6372."""

    cand: gpd.GeoDataFrame
    score: np.ndarray
    grey: np.ndarray  # excluded or without score
    states: gpd.GeoDataFrame
    municipalities: gpd.GeoDataFrame | None
    crossings: gpd.GeoDataFrame
    areas: np.ndarray  # crossing marker areas, points²
    top: gpd.GeoDataFrame


def _fit_aspect(
    extent: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """Grow ``extent`` symmetrically to the width/height ratio ``aspect`` of the axes box."""
    xmin, ymin, xmax, ymax = extent
    w, h = xmax - xmin, ymax - ymin
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        return xmin - grow, ymin, xmax + grow, ymax
    grow = (w / aspect - h) / 2
    return xmin, ymin - grow, xmax, ymax + grow


def _frame(pg: _Page, ax: Axes, extent: tuple[float, float, float, float]) -> shapely.Geometry:
    """Set up a map frame showing ``extent`` at equal scale; return its box in page points."""
    box = ax.get_position()
    xmin, ymin, xmax, ymax = _fit_aspect(extent, box.width * pg.width / (box.height * pg.height))
    # the extent has the aspect of the axes box: equal scale without moving the box
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("white")
    for spine in ax.spines.values():
        spine.set_edgecolor("#9a9a9a")
        spine.set_linewidth(0.6)
    ax.apply_aspect()  # fix the view now, so label placement sees the final transform
    box = ax.get_position()
    return shapely.box(
        box.x0 * pg.width * 72,
        box.y0 * pg.height * 72,
        box.x1 * pg.width * 72,
        box.y1 * pg.height * 72,
    )


def _draw_content(ax: Axes, c: _Content, *, detail: bool = False) -> None:
    """Draw land, borders, crossings and candidates in ``ax`` (limits are kept)."""
    view = ax.get_xlim(), ax.get_ylim()
    window = shapely.box(view[0][0], view[1][0], view[0][1], view[1][1])
    states = c.states[c.states.intersects(window)]
    if not states.empty:
        states.plot(ax=ax, color=LAND_COLOR, edgecolor="none", zorder=1)
        if detail and c.municipalities is not None:
            muns = c.municipalities[c.municipalities.intersects(window)]
            muns.boundary.plot(ax=ax, color=STATE_EDGE_COLOR, linewidth=0.35, zorder=1.5)
        states.boundary.plot(
            ax=ax, color=STATE_EDGE_COLOR, linewidth=1.2 if detail else 0.6, zorder=1.6
        )
    ax.set_xlim(*view[0])  # GeoSeries.plot may change the limits
    ax.set_ylim(*view[1])
    ax.set_xlabel("")
    ax.set_ylabel("")

    # crossings: square markers, area proportional to trucks, below the candidates
    ax.scatter(
        c.crossings.geometry.x,
        c.crossings.geometry.y,
        s=c.areas,
        marker="s",
        color=CROSSING_COLOR,
        alpha=0.8,
        edgecolors="white",
        linewidths=0.5,
        zorder=3,
        gid="crossings",
    )
    # candidates: excluded grey below, then by increasing score so the best are on top
    xy = c.cand.geometry.get_coordinates().to_numpy()
    size = 16 if detail else 10
    if c.grey.any():
        ax.scatter(
            xy[c.grey, 0],
            xy[c.grey, 1],
            s=size * 0.7,
            color=EXCLUDED_COLOR,
            edgecolors="white",
            linewidths=0.2,
            zorder=4,
            gid="candidates-excluded",
        )
    order = np.where(~c.grey)[0]
    order = order[np.argsort(c.score[order], kind="stable")]
    ax.scatter(
        xy[order, 0],
        xy[order, 1],
        c=c.score[order],
        cmap=SCORE_CMAP,
        norm=SCORE_NORM,
        s=size,
        edgecolors="#333333",
        linewidths=0.25,
        zorder=4,
        gid="candidates",
    )
    if len(c.top):
        txy = c.top.geometry.get_coordinates().to_numpy()
        ax.scatter(
            txy[:, 0],
            txy[:, 1],
            c=pd.to_numeric(c.top["score"]).to_numpy(),
            cmap=SCORE_CMAP,
            norm=SCORE_NORM,
            s=size * 2.6,
            edgecolors="black",
            linewidths=0.7,
            zorder=5,
            gid="candidates-top",
        )


def _points(pg: _Page, ax: Axes, xy: np.ndarray) -> np.ndarray:
    """Page coordinates (points) of data coordinates ``xy`` in ``ax``."""
    if not len(xy):
        return np.empty((0, 2))
    return ax.transData.transform(xy) * 72.0 / pg.fig.dpi


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
    return out + _label_crossings(pg, ax, c, cpt, frame, labelled)


def _draw_map(pg: _Page, ax: Axes, c: _Content) -> None:
    """Draw the main map, detail insets where the best candidates crowd, and the rank labels."""
    ax.set_gid("map")
    frame = _frame(pg, ax, _extent(c.states, c.cand, c.crossings))
    _draw_content(ax, c)
    obstacles = _crossing_obstacles(pg, ax, c, frame, range(_CROSSINGS_LABELLED))
    obstacles += _scale_bar_and_north(ax, frame)
    txy = c.top.geometry.get_coordinates().to_numpy()
    labels = [str(int(r)) for r in c.top["_rank"]]
    anchors = _points(pg, ax, txy)
    on_main = np.ones(len(txy), dtype=bool)

    crowds = _crowds(anchors)
    region = _free_region(pg, ax, c, obstacles) if crowds else None
    if region is not None:
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
            drawn = _draw_detail(pg, ax, c, members, box, letter, obstacles)
            if drawn is not None:
                on_main[members] = False
                obstacles += drawn
    if on_main.any():
        _label_ranks(
            pg,
            ax,
            txy[on_main],
            [s for s, m in zip(labels, on_main, strict=True) if m],
            obstacles,
            frame,
        )


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


#: Horizontal span and top of the detail insets, as fractions of the main map frame: the upper
#: right, over Texas and the Gulf of Mexico; their bottom stops above the land below.
_INSET_X = (0.655, 0.99)
_INSET_TOP = 0.985
_INSET_MIN_H = 0.33  # smallest free height (fraction of the frame) for one inset
_INSET_MIN_EACH = 0.24  # smallest height of each of two stacked insets
_INSET_GAP = 8.0  # points between stacked insets


def _free_region(
    pg: _Page, ax: Axes, c: _Content, obstacles: list[shapely.Geometry]
) -> shapely.Geometry | None:
    """Return the empty upper-right area of the main map (page points), if it is tall enough."""
    box = ax.get_position()
    xa, xb = _INSET_X
    (sx0, _), (sx1, sy1) = ax.transAxes.transform([[xa, 0.0], [xb, _INSET_TOP]]) * 72 / pg.fig.dpi
    (_, fy0) = ax.transAxes.transform([[0.0, 0.0]])[0] * 72 / pg.fig.dpi
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
        tops.append(float(ax.transData.transform([[0.0, ymax]])[0, 1] * 72 / pg.fig.dpi))
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
    if main_scale / detail_scale < 2.5:
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
            fontsize=7,
            fontweight="bold",
            bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            zorder=8,
            gid=f"detail-marker-label-{letter}",
            **_PLAIN,
        )
        ext = tag.get_window_extent(pg.renderer)
        to_pt = 72.0 / pg.fig.dpi
        marker = marker.union(
            shapely.box(ext.x0 * to_pt, ext.y0 * to_pt, ext.x1 * to_pt, ext.y1 * to_pt)
        )

    inside = [
        i
        for i, p in enumerate(c.crossings.geometry)
        if iax.get_xlim()[0] <= p.x <= iax.get_xlim()[1]
        and iax.get_ylim()[0] <= p.y <= iax.get_ylim()[1]
    ]
    iobstacles = _crossing_obstacles(pg, iax, c, iframe, inside)
    iax.add_artist(
        ScaleBar(
            dx=1,
            units="m",
            location="lower left",
            length_fraction=0.3,
            width_fraction=0.01,
            border_pad=0.5,
            frameon=True,
            box_alpha=0.8,
            color="#222222",
            font_properties={"family": "DejaVu Sans", "size": 6},
        )
    )
    fx0, fy0, fx1, fy1 = iframe.bounds
    iobstacles.append(shapely.box(fx0, fy0, fx0 + 0.4 * (fx1 - fx0), fy0 + 0.13 * (fy1 - fy0)))
    title = iax.text(
        0.02,
        0.98,
        pg.fit(
            f"{letter}  {_place_name(group)}" if letter else _place_name(group),
            rect[2] * pg.width - 0.1,
            7,
            "bold",
        ),
        transform=iax.transAxes,
        ha="left",
        va="top",
        fontsize=7,
        fontweight="bold",
        bbox={"boxstyle": "square,pad=0.3", "fc": "white", "ec": "none", "alpha": 0.85},
        zorder=8,
        gid="detail-title",
        **_PLAIN,
    )
    ext = title.get_window_extent(pg.renderer)
    to_pt = 72.0 / pg.fig.dpi
    iobstacles.append(shapely.box(ext.x0 * to_pt, ext.y0 * to_pt, ext.x1 * to_pt, ext.y1 * to_pt))
    labels = [str(int(r)) for r in group["_rank"]]
    _label_ranks(pg, iax, gxy, labels, iobstacles, iframe)
    return [area_pt, marker]


def _place_name(group: gpd.GeoDataFrame) -> str:
    """Title of the detail inset: the municipality or state shared by the group, if any."""
    for cols in (("municipality", "state"), ("state",)):
        if all(col in group.columns for col in cols):
            places = group[list(cols)].astype(str).drop_duplicates()
            if len(places) == 1:
                return STATIC_TEXT["detail"].format(place=", ".join(places.iloc[0]))
    return STATIC_TEXT["detail_plain"]


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


def _crossing_areas(trucks: np.ndarray, vmax: float) -> np.ndarray:
    """Marker areas (points²) proportional to truck volumes (``vmax`` gets the largest area)."""
    if trucks.size == 0 or not vmax > 0:
        return np.full(trucks.shape, _CROSSING_MIN_AREA)
    return np.maximum(_CROSSING_MAX_AREA * trucks / vmax, _CROSSING_MIN_AREA)


def _nice_floor(value: float) -> float:
    """Return the largest 1, 2, 3 or 5 x 10^k not above ``value``."""
    if value <= 0:
        return 0.0
    exp = math.floor(math.log10(value))
    return max(m * 10.0**exp for m in (1, 2, 3, 5) if m * 10.0**exp <= value * 1.000001)


def _legend_trucks(vmax: float) -> list[float]:
    """Up to three distinct round truck volumes for the size key, largest first."""
    values = [_nice_floor(vmax), _nice_floor(vmax / 3), _nice_floor(vmax / 30)]
    return sorted({v for v in values if v > 0}, reverse=True)


def _label_crossings(
    pg: _Page,
    ax: Axes,
    c: _Content,
    cpt: np.ndarray,
    frame: shapely.Geometry,
    labelled: Sequence[int],
) -> list[shapely.Geometry]:
    """Name crossings ``labelled`` (positions) next to their markers, skipping collisions."""
    crossings = c.crossings
    if "port_name" not in crossings.columns or not len(crossings):
        return []
    placed: list[shapely.Geometry] = []
    to_pt = 72.0 / pg.fig.dpi
    for i in labelled:
        if i >= len(crossings):
            break
        name = str(crossings["port_name"].iloc[i])
        px, py = cpt[i]
        half = math.sqrt(c.areas[i]) / 2
        w = pg.text_width(name, 6, "normal") * 72
        h = 6.0
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
            if frame.contains(rect) and not any(rect.intersects(p) for p in placed):
                text = ax.annotate(
                    name,
                    xy=(crossings.geometry.iloc[i].x, crossings.geometry.iloc[i].y),
                    xytext=(dx, dy),
                    textcoords="offset points",
                    ha=ha,
                    va="bottom",
                    fontsize=6,
                    fontstyle="italic",
                    color=CROSSING_COLOR,
                    zorder=6,
                    gid=f"crossing-label-{i}",
                    **_PLAIN,
                )
                ext = text.get_window_extent(pg.renderer)
                placed.append(
                    shapely.box(ext.x0 * to_pt, ext.y0 * to_pt, ext.x1 * to_pt, ext.y1 * to_pt)
                )
                break
    return placed


def _scale_bar_and_north(ax: Axes, frame: shapely.Geometry) -> list[shapely.Geometry]:
    """Add the scale bar (lower left) and north arrow (upper right); return their areas."""
    ax.add_artist(
        ScaleBar(
            dx=1,
            units="m",
            location="lower left",
            length_fraction=0.22,
            width_fraction=0.008,
            border_pad=0.6,
            frameon=False,
            color="#222222",
            font_properties={"family": "DejaVu Sans", "size": 7},
        )
    )
    # north arrow above the scale bar, over the Pacific
    ax.annotate(
        "",
        xy=(0.045, 0.2),
        xytext=(0.045, 0.115),
        xycoords="axes fraction",
        arrowprops={
            "facecolor": "#222222",
            "edgecolor": "none",
            "width": 2.2,
            "headwidth": 7.5,
            "headlength": 8,
        },
        zorder=8,
        gid="north-arrow",
    )
    ax.text(
        0.045,
        0.21,
        STATIC_TEXT["north"],
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=10,
        fontweight="bold",
        color="#222222",
        zorder=8,
        gid="north-label",
        **_PLAIN,
    )
    x0, y0, x1, y1 = frame.bounds
    w, h = x1 - x0, y1 - y0
    return [
        shapely.box(x0, y0, x0 + 0.3 * w, y0 + 0.09 * h),
        shapely.box(x0, y0, x0 + 0.09 * w, y0 + 0.27 * h),
    ]


def _label_radius(pg: _Page, label: str) -> float:
    """Radius (points) of the circle drawn around a rank number."""
    prop = FontProperties(family="DejaVu Sans", size=_LABEL_FS, weight="bold")
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


def _rank_badge(pg: _Page, x: float, y: float, label: str) -> None:
    pg.text(
        x,
        y,
        label,
        fontsize=_LABEL_FS,
        fontweight="bold",
        ha="center",
        va="center",
        bbox={"boxstyle": f"circle,pad={_LABEL_PAD}", "fc": "white", "ec": "#222222", "lw": 0.6},
    )


def _draw_top_list(
    pg: _Page, left: float, top_y: float, bottom_y: float, top: gpd.GeoDataFrame
) -> None:
    """Draw the list "1. name - score" of the best candidates between ``top_y`` and ``bottom_y``."""
    width = _PANEL_W
    pg.text(
        left,
        top_y,
        STATIC_TEXT["top_header"].format(n=len(top)),
        fontsize=10,
        fontweight="bold",
        va="top",
        gid="top-header",
    )
    y = top_y - 0.3
    if not len(top):
        pg.text(left, y, STATIC_TEXT["empty"], fontsize=8, va="top", color=MUTED_TEXT_COLOR)
        return
    avail = y - bottom_y
    # two lines (name; municipality, state) with circled numbers if there is room, else one
    # line with plain numbers; rows that still do not fit are left to the ranking table
    two_lines = avail / len(top) >= 0.27
    step = min(0.34, avail / len(top)) if two_lines else min(0.2, max(avail / len(top), 0.13))
    fits = max(int(avail // step), 1)
    shown = top if fits >= len(top) else top.head(fits - 1)
    name_x = left + 0.27
    name_size = 8.0 if step >= 0.17 else 7.0 if step >= 0.15 else 6.5
    for i, (_, row) in enumerate(shown.iterrows()):
        yc = y - i * step
        label = str(int(row["_rank"]))
        if two_lines:
            _rank_badge(pg, left + 0.1, yc - 0.07, label)
        else:
            pg.text(
                left + 0.19,
                yc,
                label,
                fontsize=name_size,
                fontweight="bold",
                ha="right",
                va="top",
                gid=f"list-rank-{label}",
            )
        score_text = f"{float(row['score']):.1f}"
        score_w = pg.text_width(score_text, name_size, "bold")
        pg.text(
            left + width,
            yc,
            score_text,
            fontsize=name_size,
            fontweight="bold",
            ha="right",
            va="top",
            gid=f"list-score-{label}",
        )
        name = pg.fit(str(row["name"]), width - 0.27 - score_w - 0.1, name_size)
        pg.text(name_x, yc, name, fontsize=name_size, va="top", gid=f"list-name-{label}")
        if two_lines:
            where = ", ".join(
                str(row[c])
                for c in ("municipality", "state")
                if c in row.index and pd.notna(row[c]) and str(row[c])
            )
            if where:
                pg.text(
                    name_x,
                    yc - 0.14,
                    pg.fit(where, width - 0.27, 6.5),
                    fontsize=6.5,
                    va="top",
                    color=MUTED_TEXT_COLOR,
                )
    if len(shown) < len(top):
        more = STATIC_TEXT["more"].format(n=len(top) - len(shown))
        pg.text(name_x, y - len(shown) * step, more, fontsize=7, va="top", color=MUTED_TEXT_COLOR)


def _draw_legend(
    pg: _Page,
    left: float,
    bottom: float,
    crossings: gpd.GeoDataFrame,
    criteria: list[Mapping[str, Any]],
    any_excluded: bool,
) -> float:
    """Draw the keys from ``bottom`` upwards; return the height (inches) they reach."""
    width = _PANEL_W
    y = bottom

    # criteria and weights (bottom block)
    if criteria:
        key = f"↑ {STATIC_TEXT['benefit']}   ↓ {STATIC_TEXT['cost']}"
        pg.text(left, y, key, fontsize=6.3, color=MUTED_TEXT_COLOR, va="bottom")
        y += 0.16
        for crit in reversed(criteria):
            weight = 100 * float(crit["weight"])
            pct = f"{weight:.0f}%" if abs(weight - round(weight)) < 0.05 else f"{weight:.1f}%"
            arrow = "↓" if crit.get("direction") == "cost" else "↑"
            pg.text(left + 0.36, y, pct, fontsize=6.8, ha="right", va="bottom")
            label = pg.fit(f"{arrow} {crit['label']}", width - 0.44, 6.8)
            pg.text(
                left + 0.44, y, label, fontsize=6.8, va="bottom", gid=f"criterion-{crit['name']}"
            )
            y += 0.135
        pg.text(
            left,
            y + 0.02,
            STATIC_TEXT["criteria_header"],
            fontsize=8,
            fontweight="bold",
            va="bottom",
        )
        y += 0.35

    # crossing sizes
    if len(crossings):
        vmax = float(crossings["trucks"].max())
        values = _legend_trucks(vmax)
        areas = _crossing_areas(np.array(values), vmax)
        cols = [left + 0.25, left + 0.95, left + 1.75][: len(values)]
        label_y = y
        marker_y = y + 0.14 + math.sqrt(areas[0]) / 72 / 2
        for x, v, area in zip(cols, reversed(values), reversed(areas), strict=True):
            pg.fig.add_artist(
                Line2D(
                    [x],
                    [marker_y],
                    marker="s",
                    markersize=math.sqrt(area),
                    color=CROSSING_COLOR,
                    alpha=0.8,
                    markeredgecolor="white",
                    markeredgewidth=0.5,
                    linestyle="none",
                    transform=pg.inch,
                )
            )
            pg.text(x, label_y, f"{v:,.0f}", fontsize=6.5, ha="center", va="bottom")
        y = marker_y + math.sqrt(areas[0]) / 72 / 2 + 0.06
        year = crossings["year"].dropna().unique() if "year" in crossings.columns else []
        sub = (
            STATIC_TEXT["crossings_sub_year"].format(year=int(year[0]))
            if len(year) == 1
            else STATIC_TEXT["crossings_sub"]
        )
        pg.text(left, y, sub, fontsize=6.5, color=MUTED_TEXT_COLOR, va="bottom")
        y += 0.14
        pg.text(
            left,
            y,
            STATIC_TEXT["crossings_header"],
            fontsize=8,
            fontweight="bold",
            va="bottom",
            gid="crossings-legend",
        )
        y += 0.32

    # candidate symbols
    if any_excluded:
        pg.fig.add_artist(
            Line2D(
                [left + 0.08],
                [y + 0.05],
                marker="o",
                markersize=3,
                color=EXCLUDED_COLOR,
                linestyle="none",
                transform=pg.inch,
            )
        )
        pg.text(left + 0.2, y, STATIC_TEXT["excluded"], fontsize=7, va="bottom")
        y += 0.2

    # score colour bar
    bar_h = 0.11
    cax = pg.fig.add_axes(pg.rect(left, y + 0.16, width, bar_h))
    bar = Colorbar(
        cax,
        cmap=mpl.colormaps[SCORE_CMAP],
        norm=SCORE_NORM,
        orientation="horizontal",
        ticks=[0, 25, 50, 75, 100],
    )
    bar.outline.set_linewidth(0.4)
    cax.tick_params(labelsize=6.5, length=2, width=0.4, pad=1.5)
    cax.set_gid("score-colorbar")
    y += 0.16 + bar_h + 0.06
    pg.text(
        left,
        y,
        STATIC_TEXT["score_label"],
        fontsize=8,
        fontweight="bold",
        va="bottom",
        gid="score-legend",
    )
    return y + 0.2


def _siting_version() -> str:
    try:
        return _version("siting")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"
