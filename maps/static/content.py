"""What the static map shows in its frames: states, border crossings and candidates.

:func:`_content` projects the ranking and the context layers to
:data:`siting.layers.CRS_METRIC` once and picks the sites to label (the best site of each of
the top metros, see :func:`siting.maps._places.top_places`); :func:`_draw_content`
draws them in a map frame, the main map or a detail inset, whose limits are already set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.colors import Normalize

from siting.layers import CRS_METRIC
from siting.maps._places import PLACE_RANK, by_metro, excluded_mask, ranked_mask, top_places
from siting.maps.static.layout import (
    _CANDIDATE_AREA,
    _CANDIDATE_DETAIL_AREA,
    _CROSSING_MAX_AREA,
    _CROSSING_MIN_AREA,
    _EXCLUDED_AREA_FACTOR,
    _TOP_AREA_FACTOR,
)
from siting.maps.style import (
    CROSSING_COLOR,
    EXCLUDED_COLOR,
    LAND_COLOR,
    STATE_EDGE_COLOR,
    print_cmap,
    print_norm,
)


@dataclass
class _Content:
    """What every map frame (main map and detail inset) draws, in EPSG:6372."""

    cand: gpd.GeoDataFrame
    score: np.ndarray
    excluded: np.ndarray  # excluded by a constraint
    grey: np.ndarray  # excluded or without score
    n_ranked: int  # candidates with a rank and a score, not excluded
    states: gpd.GeoDataFrame
    municipalities: gpd.GeoDataFrame | None
    crossings: gpd.GeoDataFrame  # with trucks, busiest first
    areas: np.ndarray  # crossing marker areas, points²
    # what is labelled and listed: the best site of each of the ``top_n`` best metros, numbered
    # by the metro's rank (column ``_rank``; metro name in ``_place``), or, in a ranking without
    # metros, the best ``top_n`` ranked candidates (``_rank``: their rank; ``_place`` missing)
    top: gpd.GeoDataFrame
    by_metro: bool = False
    # colour scale of the scores: the ranked scores' range rounded out to 5 (print_norm)
    norm: Normalize = field(default_factory=lambda: print_norm([]))


def _content(
    ranking: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    top_n: int,
    *,
    norm: Normalize | None = None,
) -> _Content:
    """Project the ranking and the layers to EPSG:6372 and pick the best ``top_n`` candidates.

    ``norm`` is the colour scale of the scores; by default :func:`siting.maps.style.print_norm`
    of the ranked candidates' scores (the run's range, rounded out to 5 points).
    """
    cand = ranking.to_crs(CRS_METRIC)
    states = layers["states"].to_crs(CRS_METRIC)
    crossings = layers["crossings"].to_crs(CRS_METRIC)
    crossings = crossings[crossings["trucks"].fillna(0) > 0].sort_values("trucks", ascending=False)

    score = pd.to_numeric(cand["score"], errors="coerce")
    excluded = excluded_mask(cand)
    ranked = ranked_mask(cand)
    # one label per metro: the best site of each of the top metros (else the best sites)
    top = top_places(cand, top_n)
    top = top.assign(_rank=top[PLACE_RANK]).drop(columns=PLACE_RANK)

    trucks = crossings["trucks"].to_numpy(dtype=float)
    municipalities = next(
        (
            layers[k].to_crs(CRS_METRIC)
            for k in ("municipalities", "municipal_labor")
            if isinstance(layers.get(k), gpd.GeoDataFrame) and layers[k].crs is not None
        ),
        None,
    )
    return _Content(
        cand=cand,
        score=score.to_numpy(dtype=float),
        excluded=excluded,
        grey=excluded | score.isna().to_numpy(),
        n_ranked=int(ranked.sum()),
        states=states,
        municipalities=municipalities,
        crossings=crossings,
        areas=_crossing_areas(trucks, float(trucks.max()) if trucks.size else 0.0),
        top=top,
        by_metro=by_metro(cand),
        norm=print_norm(score.to_numpy(dtype=float)[ranked]) if norm is None else norm,
    )


def _crossing_areas(trucks: np.ndarray, vmax: float) -> np.ndarray:
    """Marker areas (points²) proportional to truck volumes (``vmax`` gets the largest area)."""
    if trucks.size == 0 or not vmax > 0:
        return np.full(trucks.shape, _CROSSING_MIN_AREA)
    return np.maximum(_CROSSING_MAX_AREA * trucks / vmax, _CROSSING_MIN_AREA)


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
    size = _CANDIDATE_DETAIL_AREA if detail else _CANDIDATE_AREA
    cmap = print_cmap()
    if c.grey.any():
        ax.scatter(
            xy[c.grey, 0],
            xy[c.grey, 1],
            s=size * _EXCLUDED_AREA_FACTOR,
            color=EXCLUDED_COLOR,
            edgecolors="white",
            linewidths=0.3,
            zorder=4,
            gid="candidates-excluded",
        )
    order = np.where(~c.grey)[0]
    order = order[np.argsort(c.score[order], kind="stable")]
    ax.scatter(
        xy[order, 0],
        xy[order, 1],
        c=c.score[order],
        cmap=cmap,
        norm=c.norm,
        s=size,
        edgecolors="#4d4d4d",
        linewidths=0.3,
        zorder=4,
        gid="candidates",
    )
    if len(c.top):
        txy = c.top.geometry.get_coordinates().to_numpy()
        ax.scatter(
            txy[:, 0],
            txy[:, 1],
            c=pd.to_numeric(c.top["score"]).to_numpy(),
            cmap=cmap,
            norm=c.norm,
            s=size * _TOP_AREA_FACTOR,
            edgecolors="black",
            linewidths=0.9,
            zorder=5,
            gid="candidates-top",
        )
