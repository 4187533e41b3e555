"""The static map of a run: :func:`static_map` checks its input and composes the page.

The page is laid out from the margins in (:mod:`.layout`), title block on top. Landscape: the
map frame on the left above the footer, the side panel on the right from the title block to the
bottom margin (list of the best sites above the keys). Portrait: the map frame across the page,
below it the list (left) and the keys (right), the footer at the bottom. The main map
(:func:`_draw_map`) draws the content, names the busiest crossings, adds the scale bar and north
arrow, detail insets where the best candidates crowd, and the rank labels last, around
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
    _list_height,
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
    _MIN_MAP_SHARE,
    _PANEL_W,
    _PANEL_W_WIDE,
    _TITLE_BLOCK_H,
    _WIDE_PAGE,
)
from siting.maps.static.page import _RC, _Page, page_problems, page_size
from siting.maps.text import STATIC_TEXT_BY_LANG
from siting.result import CriterionWeight, RunResult


def static_map(
    result: RunResult,
    *,
    title: str | None = None,
    top_n: int = 10,
    page: str = "letter",
    orientation: str = "landscape",
    lang: str = "en",
) -> Figure:
    """Draw a one-page print map of a run.

    The ranking in EPSG:6372 (INEGI's Lambert Conformal Conic) over the states, coloured on a
    colour-blind-safe ramp spanning the run's scores (:func:`siting.maps.style.print_norm`), the
    commercial border crossings sized by truck volume, the top candidates numbered on the map
    and listed with their full names, a score colour bar, candidate and crossing keys, the
    criteria and their weights, a scale bar, a north arrow and a footer with notes, credits and
    the projection. Every text is in ``lang``.

    Parameters
    ----------
    result
        The run (:func:`siting.run`). Used: ``ranking`` (points, any CRS; columns ``rank``,
        ``name`` and ``score`` (0-100); ``municipality`` and ``state`` if present are shown in
        the list of the best sites; an ``excluded`` column (bool), if present, draws those
        candidates grey; candidates without a rank are never listed), ``criteria`` in display
        order, ``layers`` (any CRS: ``"states"`` polygons and ``"crossings"`` points with
        ``trucks`` and, optionally, ``port_name`` and ``year``; ``"municipal_labor"`` draws
        municipal borders in the detail insets), ``credits`` and ``notes_in(lang)`` (printed in
        the footer).
    title
        Title of the page; defaults to the title of
        :data:`siting.maps.text.STATIC_TEXT_BY_LANG` in ``lang``.
    top_n
        Number of metros (metropolitan areas) whose best candidate is numbered on the map and
        listed, by the metro's rank (ranking columns ``metro`` and ``metro_rank``, as in
        ``siting run``'s table of metros): one label per metro. A ranking without ``metro``
        numbers its ``top_n`` best candidates instead.
    page
        Paper size: ``"letter"`` (8.5 x 11 in), ``"tabloid"`` (11 x 17 in), ``"a4"`` or
        ``"a3"`` (:data:`PAGE_SIZES`).
    orientation
        ``"landscape"`` (side panel right of the map) or ``"portrait"`` (list and keys below
        the map).
    lang
        Language of every text on the page: ``"en"`` or ``"es"`` (Mexican Spanish). Numbers
        are written "1,234.5" in both (:func:`siting.localize.format_number`).

    Returns
    -------
    matplotlib.figure.Figure
        The page, with an Agg canvas; save it with :func:`save_static`, which draws it under
        the settings it was measured with (unhinted DejaVu Sans: text fits at any dpi).

    Raises
    ------
    ValueError
        If ``result`` is not a run, its ranking or layers lack a required column or layer or
        have no CRS, or ``top_n``, ``page``, ``orientation`` or ``lang`` are invalid; the
        message lists every problem found.
    """
    _validate(result, top_n, page, orientation, lang)
    with mpl.rc_context(_RC):
        return _draw(
            result.ranking,
            list(result.criteria),
            layers=result.layers,
            credits=[str(c) for c in result.credits],
            notes=[str(n) for n in result.notes_in(lang)],
            title=STATIC_TEXT_BY_LANG[lang]["title"] if title is None else str(title),
            top_n=int(top_n),
            size=page_size(page, orientation),
            lang=lang,
        )


# --- validation ----------------------------------------------------------------------------------


def _validate(result: Any, top_n: Any, page: Any, orientation: Any, lang: Any) -> None:
    problems: list[str] = []
    if not isinstance(result, RunResult):
        problems.append(f"`result` must be a RunResult, received {type(result).__name__}")
    else:
        problems += _result_problems(result)
    if isinstance(top_n, bool) or not isinstance(top_n, int | np.integer) or top_n < 0:
        problems.append(f"`top_n` must be a non-negative integer, received {top_n!r}")
    problems += page_problems(page, orientation, lang)
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
    size: tuple[float, float],
    lang: str = "en",
) -> Figure:
    pg = _Page(size)
    c = _content(ranking, layers, top_n)
    text_w = pg.width - 2 * _MARGIN
    map_top = pg.height - _MARGIN - _TITLE_BLOCK_H
    extent = _extent(c.states, c.cand, c.crossings)
    _draw_title(pg, title, c, text_w, lang=lang)

    # the side panel of a wide landscape page is wider: names wrap less
    panel_w = _PANEL_W_WIDE if pg.width >= max(pg.height, _WIDE_PAGE) else _PANEL_W

    def legend(p: _Page, left: float, bottom: float) -> float:
        return _draw_legend(
            p,
            left,
            bottom,
            c.crossings,
            criteria,
            bool(c.excluded.any()),
            norm=c.norm,
            lang=lang,
            width=panel_w,
            numbered=bool(len(c.top)),
        )

    # page layout, inches from the lower-left corner
    if pg.width >= pg.height:
        # landscape: map over the footer on the left; list above the keys on the right
        map_w = text_w - panel_w - _GAP
        footer = _footer_lines(pg, notes, credits, c.states, map_w, lang=lang)
        map_rect = (_MARGIN, _MARGIN + _footer_height(footer) + _FOOTER_GAP, map_w, 0.0)
        panel_left = _MARGIN + map_w + _GAP
        # the keys sit at the bottom, or right under the list when the list leaves room
        keys_h = legend(_Page(size), 0.0, 0.0)  # measured on a scratch page
        avail = map_top - _MARGIN - keys_h - _LIST_GAP
        used = _list_height(pg, c.top, panel_w, avail, by_metro=c.by_metro, lang=lang)
        keys_bottom = _MARGIN + max(avail - used - _LIST_GAP, 0.0)
        legend(pg, panel_left, keys_bottom)
        list_box = (panel_left, map_top, keys_bottom + keys_h + _LIST_GAP, panel_w)
    else:
        # portrait: map across the page; below it the list (left) and the keys (right), tops
        # aligned; the footer across the bottom
        footer = _footer_lines(pg, notes, credits, c.states, text_w, lang=lang)
        band_bottom = _MARGIN + _footer_height(footer) + _FOOTER_GAP
        list_w = text_w - panel_w - _GAP
        keys_h = legend(_Page(size), 0.0, 0.0)  # measured on a scratch page
        list_h = _list_height(pg, c.top, list_w, by_metro=c.by_metro, lang=lang)
        room = map_top - band_bottom - _GAP
        natural = text_w * (extent[3] - extent[1]) / (extent[2] - extent[0])
        map_h = min(natural, room - max(keys_h, list_h), room)
        map_h = max(map_h, _MIN_MAP_SHARE * room)
        band_top = map_top - map_h - _GAP
        map_rect = (_MARGIN, map_top - map_h, text_w, map_h)
        legend(pg, pg.width - _MARGIN - panel_w, band_top - keys_h)
        list_box = (_MARGIN, band_top, band_bottom, list_w)
    left, bottom, map_w, map_h = map_rect
    if not map_h:
        map_h = map_top - bottom
    ax = pg.fig.add_axes(pg.rect(left, bottom, map_w, map_h))
    _draw_map(pg, ax, c, extent, lang=lang)
    list_left, list_top, list_bottom, list_w = list_box
    _draw_top_list(
        pg,
        list_left,
        list_top,
        list_bottom,
        c.top,
        by_metro=c.by_metro,
        lang=lang,
        width=list_w,
    )
    _draw_footer(pg, footer)
    return pg.fig


def _draw_map(
    pg: _Page,
    ax: Axes,
    c: _Content,
    extent: tuple[float, float, float, float],
    *,
    lang: str = "en",
) -> None:
    """Draw the main map, detail insets where the best candidates crowd, and the rank labels."""
    ax.set_gid("map")
    frame = _frame(pg, ax, extent)
    _draw_content(ax, c)
    obstacles = _crossing_obstacles(pg, ax, c, frame, range(_CROSSINGS_LABELLED))
    obstacles += _scale_bar_and_north(ax, frame, lang=lang)
    txy = c.top.geometry.get_coordinates().to_numpy()
    labels = [str(int(r)) for r in c.top["_rank"]]
    on_main = _draw_insets(pg, ax, c, frame, _points(pg, ax, txy), obstacles, lang=lang)
    if on_main.any():
        _label_ranks(
            pg,
            ax,
            txy[on_main],
            [s for s, m in zip(labels, on_main, strict=True) if m],
            obstacles,
            frame,
        )
