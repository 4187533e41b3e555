"""The static map of a run: :func:`static_map` checks its input and composes the page.

The page is laid out from the margins in (:mod:`.layout`): title block on top, footer at the
bottom, the map frame on the left and the side panel on the right. The main map
(:func:`_draw_map`) draws the content, names the busiest crossings, adds the scale bar and
north arrow, detail insets where the best candidates crowd, and the rank labels last, around
everything else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from siting.maps.static.content import _Content, _content, _draw_content
from siting.maps.static.frame import _extent, _frame, _points
from siting.maps.static.furniture import (
    _draw_footer,
    _draw_legend,
    _draw_title,
    _draw_top_list,
    _footer_height,
    _footer_lines,
    _scale_bar_and_north,
)
from siting.maps.static.insets import _draw_insets
from siting.maps.static.labels import _crossing_obstacles, _label_ranks
from siting.maps.static.layout import (
    _CROSSINGS_LABELLED,
    _FOOTER_GAP,
    _GAP,
    _LIST_GAP,
    _MARGIN,
    _PANEL_W,
    _TITLE_BLOCK_H,
)
from siting.maps.static.page import _RC, PAGE_SIZES, _Page
from siting.maps.text import TEXT
from siting.result import CriterionWeight, RunResult


def static_map(
    result: RunResult,
    *,
    title: str | None = None,
    top_n: int = 10,
    page: str = "letter",
) -> Figure:
    """Draw a one-page print map of a run.

    The ranking in EPSG:6372 (INEGI's Lambert Conformal Conic) over the states, the commercial
    border crossings sized by truck volume, the top candidates numbered on the map and listed in
    a side panel, a score colour bar, a crossing-size key, the criteria and their weights, a
    scale bar, a north arrow and a footer with notes, credits and the projection.

    Parameters
    ----------
    result
        The run (:func:`siting.run`). Used: ``ranking`` (points, any CRS; columns ``rank``,
        ``name`` and ``score`` (0-100); ``municipality`` and ``state`` if present are shown in
        the list of the best sites; an ``excluded`` column (bool), if present, draws those
        candidates grey; candidates without a rank are never listed), ``criteria`` in display
        order, ``layers`` (any CRS: ``"states"`` polygons and ``"crossings"`` points with
        ``trucks`` and, optionally, ``port_name`` and ``year``; ``"municipal_labor"`` draws
        municipal borders in the detail insets), ``credits`` and ``notes`` (printed in the
        footer).
    title
        Title of the page; defaults to ``maps.text.TEXT["title"]``.
    top_n
        Number of metros (metropolitan areas) whose best candidate is numbered on the map and
        listed in the side panel, by the metro's rank (ranking columns ``metro`` and
        ``metro_rank``, as in ``siting run``'s table of metros): one label per metro. A ranking
        without ``metro`` numbers its ``top_n`` best candidates instead.
    page
        ``"letter"`` (11 x 8.5 in, landscape) or ``"a4"`` (297 x 210 mm, landscape).

    Returns
    -------
    matplotlib.figure.Figure
        The page, with an Agg canvas; save it with :func:`save_static`.

    Raises
    ------
    ValueError
        If ``result`` is not a run, its ranking or layers lack a required column or layer or
        have no CRS, or ``top_n``/``page`` are invalid; the message lists every problem found.
    """
    _validate(result, top_n, page)
    with mpl.rc_context(_RC):
        return _draw(
            result.ranking,
            list(result.criteria),
            layers=result.layers,
            credits=[str(c) for c in result.credits],
            notes=[str(n) for n in result.notes],
            title=TEXT["title"] if title is None else str(title),
            top_n=int(top_n),
            page=page,
        )


# --- validation ----------------------------------------------------------------------------------


def _validate(result: Any, top_n: Any, page: Any) -> None:
    problems: list[str] = []
    if not isinstance(result, RunResult):
        problems.append(f"`result` must be a RunResult, received {type(result).__name__}")
    else:
        problems += _result_problems(result)
    if isinstance(top_n, bool) or not isinstance(top_n, int | np.integer) or top_n < 0:
        problems.append(f"`top_n` must be a non-negative integer, received {top_n!r}")
    if page not in PAGE_SIZES:
        problems.append(f"`page` was {page!r} but is expected to be in {sorted(PAGE_SIZES)}")
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        msg = f"static_map received {len(problems)} invalid input(s):\n{listed}"
        raise ValueError(msg)


def _result_problems(result: RunResult) -> list[str]:
    """List what a run lacks for the map (in ``ranking``, ``criteria``, ``layers``...)."""
    problems: list[str] = []
    ranking = result.ranking
    if not isinstance(ranking, gpd.GeoDataFrame):
        problems.append(
            f"`result.ranking` must be a GeoDataFrame, received {type(ranking).__name__}"
        )
    else:
        missing = [c for c in ("rank", "name", "score") if c not in ranking.columns]
        if missing:
            problems.append(f"`result.ranking` lacks column(s) {missing}")
        if ranking.crs is None:
            problems.append("`result.ranking` has no CRS (expected EPSG:4326 points)")
    criteria = result.criteria
    if isinstance(criteria, str | bytes) or not isinstance(criteria, Sequence):
        problems.append(
            "`result.criteria` must be a list of CriterionWeight, "
            f"received {type(criteria).__name__}"
        )
    else:
        problems += [
            f"`result.criteria[{i}]` must be a CriterionWeight, received {type(crit).__name__}"
            for i, crit in enumerate(criteria)
            if not isinstance(crit, CriterionWeight)
        ]
    layers = result.layers
    if not isinstance(layers, Mapping):
        problems.append(
            f"`result.layers` must be a dict of GeoDataFrames, received {type(layers).__name__}"
        )
    else:
        for key, cols in (("states", []), ("crossings", ["trucks"])):
            layer = layers.get(key)
            if not isinstance(layer, gpd.GeoDataFrame):
                problems.append(
                    f"`result.layers[{key!r}]` must be a GeoDataFrame, "
                    f"received {type(layer).__name__}"
                )
                continue
            if layer.crs is None:
                problems.append(f"`result.layers[{key!r}]` has no CRS")
            lacking = [c for c in cols if c not in layer.columns]
            if lacking:
                problems.append(f"`result.layers[{key!r}]` lacks column(s) {lacking}")
    for arg, value in (("credits", result.credits), ("notes", result.notes)):
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            problems.append(
                f"`result.{arg}` must be a list of str, received {type(value).__name__}"
            )
    return problems


# --- composition ---------------------------------------------------------------------------------


def _draw(
    ranking: gpd.GeoDataFrame,
    criteria: list[CriterionWeight],
    *,
    layers: Mapping[str, gpd.GeoDataFrame],
    credits: list[str],
    notes: list[str],
    title: str,
    top_n: int,
    page: str,
) -> Figure:
    pg = _Page(PAGE_SIZES[page])
    c = _content(ranking, layers, top_n)

    # page layout, inches from the lower-left corner
    text_w = pg.width - 2 * _MARGIN
    footer = _footer_lines(pg, notes, credits, c.states, text_w)
    map_bottom = _MARGIN + _footer_height(footer) + _FOOTER_GAP
    map_top = pg.height - _MARGIN - _TITLE_BLOCK_H
    map_w = pg.width - 2 * _MARGIN - _PANEL_W - _GAP
    panel_left = _MARGIN + map_w + _GAP

    _draw_title(pg, title, c, text_w)
    ax = pg.fig.add_axes(pg.rect(_MARGIN, map_bottom, map_w, map_top - map_bottom))
    _draw_map(pg, ax, c)
    legend_top = _draw_legend(pg, panel_left, map_bottom, c.crossings, criteria, c.excluded.any())
    _draw_top_list(pg, panel_left, map_top, legend_top + _LIST_GAP, c.top, by_metro=c.by_metro)
    _draw_footer(pg, footer)
    return pg.fig


def _draw_map(pg: _Page, ax: Axes, c: _Content) -> None:
    """Draw the main map, detail insets where the best candidates crowd, and the rank labels."""
    ax.set_gid("map")
    frame = _frame(pg, ax, _extent(c.states, c.cand, c.crossings))
    _draw_content(ax, c)
    obstacles = _crossing_obstacles(pg, ax, c, frame, range(_CROSSINGS_LABELLED))
    obstacles += _scale_bar_and_north(ax, frame)
    txy = c.top.geometry.get_coordinates().to_numpy()
    labels = [str(int(r)) for r in c.top["_rank"]]
    on_main = _draw_insets(pg, ax, c, frame, _points(pg, ax, txy), obstacles)
    if on_main.any():
        _label_ranks(
            pg,
            ax,
            txy[on_main],
            [s for s, m in zip(labels, on_main, strict=True) if m],
            obstacles,
            frame,
        )
