"""One print sheet per state: :func:`state_map`.

The layout, from the margins in: the title block on top; the footer (who, when, which run,
notes, sources) at the bottom; between them the map frame and a panel with the list of the
state's best sites and the legend — to the right of the map on a landscape page, under it on a
portrait one. The map fits the state in EPSG:6372 with its neighbours greyed, a locator inset,
the scale (graphic and numeric) and the north arrow in the corners that hide least of the state.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib.figure import Figure

from siting.localize import format_date, format_number
from siting.maps.atlas import _layout as L
from siting.maps.atlas._detail import detail_frame, draw_detail, find_cluster
from siting.maps.atlas._draw import (
    NORTH_SIZE,
    _Frame,
    add_lines,
    add_polygons,
    graticule,
    north_arrow,
    scale_bar,
    scale_bar_size,
    step_text,
)
from siting.maps.atlas._labels import _Measure, _Placer, callouts, fold
from siting.maps.atlas._maps import (
    clip,
    corner_positions,
    country_labels,
    draw_abroad,
    draw_cities,
    draw_points,
    draw_roads,
    draw_sites,
    draw_surface,
    locator,
    municipality_labels,
    port_names,
    sea_labels,
    state_labels,
)
from siting.maps.atlas._panel import (
    draw_footer,
    draw_rows,
    draw_site_list,
    draw_title,
    footer_height,
    footer_lines,
    legend_rows,
    rows_height,
    site_entries,
)
from siting.maps.atlas._text import method_name, source_items, texts
from siting.maps.atlas._validate import check_state_map
from siting.maps.atlas.context import REMOTE_KM, AtlasContext, atlas_context
from siting.maps.static.page import _RC, _Page, page_size
from siting.result import RunResult

#: rc settings of the atlas pages: the static map's, with thin hatching.
ATLAS_RC = {**_RC, "hatch.linewidth": 0.35, "hatch.color": "#9a9a9a", "text.hinting": "no_hinting"}

#: Cities of at least this population are named before the numbered sites are placed.
MAJOR_CITY = 300_000
#: Largest side (inches) of the detail inset.
DETAIL_MAX = 2.6
#: Symbols in the legend of a state sheet, in order.
STATE_KEYS = ("site", "top", "crossing", "seaport", "city", "road", "state", "abroad")


def state_map(
    result: RunResult,
    state: str,
    *,
    surface: gpd.GeoDataFrame | None = None,
    lang: str = "es",
    page: str = "letter",
    orientation: str = "landscape",
    title: str | None = None,
    author: str | None = None,
    run_id: str | None = None,
    day: dt.date | None = None,
    top_n: int = 10,
    context: AtlasContext | None = None,
) -> Figure:
    """Draw the atlas sheet of one state: its municipalities, best sites and context.

    Scores and ranks are the national run's, never rescaled: the surface's classes and the
    sites' colours are the same on every sheet.

    Parameters
    ----------
    result
        The national run (:func:`siting.run`).
    state
        The state's code, ``CVE_ENT`` (``"19"``: Nuevo León, ``"02"``: Baja California).
    surface
        The municipal surface of ``result`` (:func:`siting.municipal.municipal_surface`);
        optional when ``context`` is given.
    lang
        ``"es"`` (default) or ``"en"``: every text of the sheet.
    page, orientation
        Paper (``"letter"``, ``"tabloid"``, ``"a4"``, ``"a3"``) and ``"landscape"`` or
        ``"portrait"``.
    title
        Title of the sheet; defaults to "Sitios para manufactura de exportación — <state>".
    author
        Who prepared the sheet ("Elaboró: ..."); without it the line is left blank to fill by
        hand.
    run_id
        Short hash of the run (printed with "run.json", tying the sheet to its run record).
    day
        Production date printed on the sheet; default today.
    top_n
        Number of the state's best sites (by national rank) numbered and listed.
    context
        :func:`~siting.maps.atlas.atlas_context` of ``result`` and ``surface``, to share the
        national preparation between many sheets.

    Returns
    -------
    matplotlib.figure.Figure
        The page (Agg canvas); save it with :func:`~siting.maps.atlas.save_sheet`.

    Raises
    ------
    ValueError
        If an argument is invalid (unknown state code, language, page or orientation, a run or
        surface lacking what the sheet draws...); the message lists every problem found.
    """
    ctx = check_state_map(
        result,
        state,
        surface,
        context,
        lang,
        page,
        orientation,
        title,
        author,
        run_id,
        day,
        top_n,
    )
    if ctx is None:
        ctx = atlas_context(result, surface=surface)  # type: ignore[arg-type]
    with mpl.rc_context(ATLAS_RC):
        return _draw(
            ctx,
            str(state),
            lang=lang,
            page=page,
            orientation=orientation,
            title=title,
            author=author,
            run_id=run_id,
            day=day or dt.date.today(),
            top_n=int(top_n),
        )


def _draw(
    ctx: AtlasContext,
    code: str,
    *,
    lang: str,
    page: str,
    orientation: str,
    title: str | None,
    author: str | None,
    run_id: str | None,
    day: dt.date,
    top_n: int,
) -> Figure:
    t = texts(lang)
    pg = _Page(page_size(page, orientation))
    measure = _Measure(pg)
    st = ctx.states.set_index("CVE_ENT")
    name = str(st.loc[code, "state"])
    sites = ctx.sites[ctx.sites["CVE_ENT"] == code]
    top = sites.head(top_n)
    W, H = pg.width, pg.height
    text_w = W - 2 * L.MARGIN

    # title block and footer
    scenario = ctx.result.scenario
    subtitle = t["subtitle"].format(
        scenario=scenario.name,
        method=method_name(scenario.aggregation, lang),
        date=format_date(day, lang=lang),
    )
    draw_title(pg, t["title"].format(state=name) if title is None else title, subtitle, text_w)
    main = st.loc[code, "main"]
    remote = not shapely.equals(main, st.loc[code, "geometry"])
    notes = [t["national_note"]]
    if remote:
        notes.append(t["remote_note"].format(km=format_number(REMOTE_KM, 0, lang=lang)))
    sources = source_items(ctx.result.sources, lang)
    # the projection line needs the graticule step, known once the frame is set: measure with
    # the longest step text, draw with the real one

    def footer(step: str) -> list[str]:
        notes_step = [*notes, t["projection"].format(step=step)]
        return footer_lines(
            pg,
            t,
            lang,
            text_w,
            author=author,
            day=day,
            run_id=run_id,
            notes=notes_step,
            sources=sources,
        )

    lines = footer("30′")
    top_y = H - L.MARGIN - L.TITLE_H
    bottom_y = L.MARGIN + footer_height(lines) + L.FOOTER_GAP

    # map and panel boxes
    landscape = W > H
    keys = STATE_KEYS
    if landscape:
        panel_w = L.PANEL_W[page]
        legend = legend_rows(pg, ctx, t, lang, panel_w, keys=keys)
        map_box = (
            L.MARGIN + L.GRID_PAD,
            bottom_y + L.GRID_PAD,
            W - L.MARGIN - panel_w - L.GAP - L.GRID_PAD,
            top_y - L.GRID_PAD,
        )
        panel_left, list_w, n_cols = W - L.MARGIN - panel_w, panel_w, 1
        legend_left, legend_top = panel_left, bottom_y + rows_height(legend)
        list_top, list_bottom = top_y, legend_top + 0.22
    else:
        legend_w = L.LEGEND_W_PORTRAIT
        legend = legend_rows(pg, ctx, t, lang, legend_w, keys=keys)
        list_w = text_w - legend_w - L.GAP
        n_cols = 2 if list_w >= 4.0 else 1
        panel_h = max(rows_height(legend), _list_height(pg, top, t, lang, list_w, n_cols))
        panel_h = min(panel_h, L.PANEL_MAX_PORTRAIT * (top_y - bottom_y))
        panel_left = L.MARGIN
        legend_left, legend_top = W - L.MARGIN - legend_w, bottom_y + panel_h
        list_top, list_bottom = bottom_y + panel_h, bottom_y
        map_box = (
            L.MARGIN + L.GRID_PAD,
            bottom_y + panel_h + L.GAP + L.GRID_PAD,
            W - L.MARGIN - L.GRID_PAD,
            top_y - L.GRID_PAD,
        )
    x0, y0, x1, y1 = map_box
    ax = pg.fig.add_axes(pg.rect(x0, y0, x1 - x0, y1 - y0))
    ax.set_gid("map")
    fr = _Frame(pg, ax, _extent(main))
    step = _draw_map(pg, fr, ctx, code, sites, top, t, lang, page, measure)

    # panel and footer
    draw_rows(legend, legend_left, legend_top)
    n_ranked = len(sites)
    draw_site_list(
        pg,
        site_entries(top, t, lang),
        left=panel_left,
        top=list_top,
        bottom=list_bottom,
        width=list_w,
        header=t["list_header"],
        sub=t["list_sub"].format(n_ranked=format_number(n_ranked, 0, lang=lang)),
        empty=t["list_empty"],
        more=lambda n: t["list_more"].format(n=n),
        n_cols=n_cols,
    )
    lines = footer(step_text(step))
    draw_footer(pg, lines)
    return pg.fig


def _list_height(
    pg: _Page, top: pd.DataFrame, t: dict[str, str], lang: str, width: float, n_cols: int
) -> float:
    """Return the height a portrait page's list needs at a middle font size."""
    from siting.maps.atlas._panel import _entry_layout

    entries = site_entries(top, t, lang)
    col_w = (width - (n_cols - 1) * 0.2) / n_cols
    heights = [_entry_layout(pg, e, col_w, L.LIST_SIZES[2])[2] for e in entries]
    per_col = -(-len(heights) // n_cols) if heights else 0
    columns = [sum(heights[i * per_col : (i + 1) * per_col]) for i in range(n_cols)]
    return max(columns, default=0.3) + 0.55


def _extent(main: shapely.Geometry) -> tuple[float, float, float, float]:
    xmin, ymin, xmax, ymax = main.bounds
    pad = max(L.FRAME_MARGIN * max(xmax - xmin, ymax - ymin), 5000.0)
    return xmin - pad, ymin - pad, xmax + pad, ymax + pad


def _draw_map(
    pg: _Page,
    fr: _Frame,
    ctx: AtlasContext,
    code: str,
    sites: pd.DataFrame,
    top: pd.DataFrame,
    t: dict[str, str],
    lang: str,
    page: str,
    measure: _Measure,
) -> float:
    """Draw the state's map: content, furniture and labels; return the graticule step."""
    ax = fr.ax
    states = ctx.states
    mask = (states["CVE_ENT"] == code).to_numpy()
    others = states[~mask]
    draw_abroad(fr, ctx)
    geoms = clip(others.geometry.to_numpy(), fr)
    add_polygons(
        ax,
        geoms[~shapely.is_empty(geoms)],
        facecolor=L.OTHER_STATE,
        edgecolor=L.STATE_EDGE,
        linewidth=0.9,
        zorder=1.2,
        gid="other-states",
    )
    muns = ctx.municipalities[ctx.municipalities["CVE_ENT"] == code]
    draw_surface(fr, ctx, muns)
    add_lines(
        ax,
        shapely.boundary(states.geometry.to_numpy()[mask]),
        color=L.MAPPED_EDGE,
        linewidth=1.1,
        zorder=4,
        gid="state-outline",
    )
    draw_roads(fr, ctx)
    step = graticule(fr, t)

    # corners: detail inset (if the numbered sites crowd), locator, scale with north arrow,
    # where they hide least of the state
    top_xy = top.geometry.get_coordinates().to_numpy()
    cluster = find_cluster(fr, top_xy)
    scale_w, scale_h = scale_bar_size(pg, fr, t, page, lang)
    block = (scale_w + NORTH_SIZE[0] + 0.04, max(scale_h, NORTH_SIZE[1]))
    loc_w = L.LOCATOR_W * (1.25 if page in ("tabloid", "a3") else 1.0)
    loc_h = loc_w / 1.6
    state_pt = fr.geom_to_pt(states.geometry.to_numpy()[mask][0])
    pts = fr.to_pt(sites.geometry.get_coordinates().to_numpy()) if len(sites) else np.empty((0, 2))
    crossing_pts = fr.to_pt(ctx.crossings.geometry.get_coordinates().to_numpy())
    pts = np.concatenate([pts, np.repeat(crossing_pts, 3, axis=0)])
    sizes = [[(loc_w, loc_h)], [block]]
    allowed = [("ur", "ul", "lr", "ll"), ("ll", "lr", "ul", "ur")]
    if cluster is not None:
        fw, fh = (fr.x1 - fr.x0) / 72, (fr.y1 - fr.y0) / 72
        sides = [min(DETAIL_MAX, f * min(fw, fh)) for f in (0.46, 0.42, 0.38, 0.34)]
        sizes.insert(0, [(side * 1.15, side) for side in sides])
        allowed.insert(0, ("ll", "lr", "ul", "ur"))
        # the crowded sites themselves must stay visible: weigh them heavily
        pts = np.concatenate([pts, np.repeat(fr.to_pt(top_xy[cluster]), 20, axis=0)])
    corners = corner_positions(fr, sizes, state_pt, pts, allowed=allowed)
    (loc_x, loc_y, _, _), (sx, sy, _, _) = corners[-2:]
    locator(pg, ctx, fr, code, loc_x, loc_y, loc_w, loc_h, t)
    scale_bar(pg, fr, sx, sy, t, page, lang)
    north_arrow(pg, fr, sx + scale_w + 0.04, sy + block[1] - NORTH_SIZE[1], t)
    placer = _Placer(fr.box.buffer(-1.5))
    boxes = [(loc_x, loc_y, loc_w, loc_h), (sx, sy, *block)]
    in_detail = np.zeros(len(top), dtype=bool)
    if cluster is not None:
        dx, dy, dw, dh = corners[0]
        loc_all = (
            ctx.localities[ctx.localities["CVE_ENT"] == code]
            if code != "09"
            else (ctx.cities.iloc[:0])
        )
        if draw_detail(
            pg,
            fr,
            ctx,
            code,
            box=(dx, dy, dw, dh),
            sites=sites,
            top=top[cluster],
            labels=[format_number(r, 0, lang=lang) for r in top["state_rank"][cluster]],
            muns=muns,
            localities=loc_all,
            t=t,
            lang=lang,
            paper=page,
        ):
            boxes.append((dx, dy, dw, dh))
            in_detail = cluster
    for left, bottom, w, h in boxes:
        placer.add(
            shapely.box(left * 72 - 2, bottom * 72 - 2, (left + w) * 72 + 2, (bottom + h) * 72 + 2)
        )
    if in_detail.any():  # the enlarged area is named and numbered in the inset
        x0, y0, x1, y1 = fr.to_pt(np.array(detail_frame(ax))).ravel()
        placer.add(shapely.box(x0, y0, x1, y1))

    # symbols and labels, most important first: crossings, ports and the largest cities keep
    # their places, the numbered sites move around them
    draw_sites(fr, ctx, sites, top, placer)
    draw_points(fr, ctx, placer, measure)
    state_geom = states.geometry.to_numpy()[mask][0]
    in_state = (
        ctx.localities[ctx.localities["CVE_ENT"] == code]
        if code != "09"  # Mexico City's localities are its boroughs: named as municipalities
        else ctx.cities[shapely.contains(state_geom, ctx.cities.geometry.to_numpy())]
    )
    big = in_state["population"].to_numpy() >= MAJOR_CITY
    ports = port_names(ctx)
    drawn = draw_cities(
        fr, placer, measure, in_state[big], gid="city-major", major=True, skip=ports
    )
    callouts(
        fr,
        placer,
        measure,
        top_xy[~in_detail],
        [format_number(r, 0, lang=lang) for r in top["state_rank"][~in_detail]],
    )
    drawn += draw_cities(fr, placer, measure, in_state[~big], gid="city", skip=ports)
    city_xy = ctx.cities.geometry.to_numpy()
    outside = ctx.cities[
        shapely.contains(fr.window, city_xy) & ~shapely.contains(state_geom, city_xy)
    ]
    draw_cities(fr, placer, measure, outside, gid="city-other", skip=ports)
    sea_labels(fr, ctx, placer, measure, t)
    country_labels(fr, ctx, placer, measure, t)
    state_labels(fr, ctx, placer, measure, others)
    municipality_labels(fr, placer, measure, muns, ctx, skip={fold(n) for n in drawn})
    return step
