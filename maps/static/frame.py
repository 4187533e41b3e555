"""Map frames of the static map: projection, extent and equal-scale axes.

Every frame (the main map and each detail inset) shows data in :data:`siting.layers.CRS_METRIC`
(EPSG:6372, INEGI's Lambert Conformal Conic, metres) at one scale on both axes. Label placement
works in page points; :func:`_points` converts data coordinates of a frame to them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from pyproj import Proj, Transformer

from siting.layers import CRS_GEO, CRS_METRIC
from siting.maps.static.layout import _MIN_ISLAND_KM2
from siting.maps.static.page import _Page


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


def _points(pg: _Page, ax: Axes, xy: np.ndarray) -> np.ndarray:
    """Page coordinates (points) of data coordinates ``xy`` in ``ax``."""
    if not len(xy):
        return np.empty((0, 2))
    return pg.points(ax.transData.transform(xy))


def _max_convergence(states: gpd.GeoDataFrame) -> float:
    """Largest angle (degrees) between grid north and true north over the states' extent."""
    if states.empty:
        return 0.0
    xmin, ymin, xmax, ymax = states.total_bounds
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, 5), np.linspace(ymin, ymax, 5))
    lon, lat = Transformer.from_crs(CRS_METRIC, CRS_GEO, always_xy=True).transform(xs, ys)
    factors = Proj(CRS_METRIC).get_factors(lon.ravel(), lat.ravel())
    return float(np.nanmax(np.abs(factors.meridian_convergence)))
