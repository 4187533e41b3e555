"""The atlas cover: the national map and the index of the states, :func:`cover_map`.

The national municipal surface (the same classes and colours as every state sheet) with the
state outlines, the crossings and ports, and the country's best sites numbered by national rank
(listed in a box over the Pacific); beside it (landscape) or under it (portrait), the index of
the atlas's states ordered by their best national score, with the page of each state's sheet
in the atlas PDF (the cover is page 1, the states follow in the order given).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from siting.localize import format_date, format_number
from siting.maps._places import PLACE_NAME, PLACE_RANK, top_places
from siting.maps.atlas import _layout as L
from siting.maps.atlas._draw import (
    NORTH_SIZE,
    _Frame,
    add_lines,
    graticule,
    north_arrow,
    scale_bar,
    scale_bar_size,
    step_text,
)
from siting.maps.atlas._labels import _Measure, _Placer, callouts
from siting.maps.atlas._maps import (
    corner_positions,
    country_labels,
    draw_abroad,
    draw_points,
    draw_sites,
    draw_surface,
    sea_labels,
)
from siting.maps.atlas._panel import (
    _entry_layout,
    _line_h,
    draw_footer,
    draw_rows,
    draw_title,
    footer_height,
    footer_lines,
    legend_rows,
    rows_height,
    site_entries,
    text_row,
    wrap_words,
)
from siting.maps.atlas._text import method_name, source_items, texts
from siting.maps.atlas._validate import check_cover_map
from siting.maps.atlas.context import AtlasContext, atlas_context
from siting.maps.atlas.sheet import ATLAS_RC
from siting.maps.static.page import _Page, page_size
from siting.result import RunResult

#: Sites numbered on the cover's map and listed in its box.
COVER_TOP = 10
#: Symbols in the legend of the cover.
COVER_KEYS = ("site", "top_cover", "crossing", "seaport", "abroad")
#: Width of the cover's side panel (landscape), inches.
COVER_PANEL_W = {"letter": 4.1, "a4": 4.1, "tabloid": 4.8, "a3": 4.8}
#: Font sizes tried for the index of the states, largest first.
INDEX_SIZES = (6.8, 6.4, 6.0, 5.6, 5.2, 4.8)


def state_index(ctx: AtlasContext, states: Sequence[str]) -> pd.DataFrame:
    """Index of ``states``: best site, its national rank and score, and the sheet's page.

    Ordered by the best national score (states without a ranked site last, by code); ``page``
    is the page of the state's sheet in the atlas PDF (cover = 1, then ``states`` in order).
    """
    best = ctx.sites.drop_duplicates("CVE_ENT").set_index("CVE_ENT")  # sites: best rank first
    names = ctx.states.set_index("CVE_ENT")["state"]
    short = ctx.states.set_index("CVE_ENT")["state_short"]
    rows = []
    for i, code in enumerate(states):
        has = code in best.index
        rows.append(
            {
                "CVE_ENT": code,
                "state": str(names.get(code, code)),
                "state_short": str(short.get(code, code)),
                "site": str(best.loc[code, "name"]) if has else None,
                "rank": float(best.loc[code, "rank"]) if has else np.nan,
                "score": float(best.loc[code, "score"]) if has else np.nan,
                "page": i + 2,
            }
        )
    columns = ["CVE_ENT", "state", "state_short", "site", "rank", "score", "page"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(
        ["score", "CVE_ENT"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)


def cover_map(
    result: RunResult,
    *,
    surface: gpd.GeoDataFrame | None = None,
    states: Sequence[str] | None = None,
    lang: str = "es",
    page: str = "letter",
    orientation: str = "landscape",
    title: str | None = None,
    author: str | None = None,
    run_id: str | None = None,
    day: dt.date | None = None,
    context: AtlasContext | None = None,
) -> Figure:
    """Draw the atlas cover: the national map and the index of the states by best score.

    Parameters
    ----------
    result
        The national run (:func:`siting.run`).
    surface
        Its municipal surface (:func:`siting.municipal.municipal_surface`); optional when
        ``context`` is given.
    states
        Codes (``CVE_ENT``) of the states in the atlas, in the order of their sheets (page 2
        onwards); default all states by code.
    lang, page, orientation, title, author, run_id, day, context
        As for :func:`~siting.maps.atlas.state_map`; the default title is "Atlas de sitios para
        manufactura de exportación".

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If an argument is invalid; the message lists every problem found.
    """
    ctx = check_cover_map(
        result, states, surface, context, lang, page, orientation, title, author, run_id, day
    )
    if ctx is None:
        ctx = atlas_context(result, surface=surface)  # type: ignore[arg-type]
    codes = list(states) if states is not None else ctx.state_codes()
    with mpl.rc_context(ATLAS_RC):
        return _draw(
            ctx,
            codes,
            lang=lang,
            page=page,
            orientation=orientation,
            title=title,
            author=author,
            run_id=run_id,
            day=day or dt.date.today(),
        )


def _draw(
    ctx: AtlasContext,
    codes: list[str],
    *,
    lang: str,
    page: str,
    orientation: str,
    title: str | None,
    author: str | None,
    run_id: str | None,
    day: dt.date,
) -> Figure:
    t = texts(lang)
    pg = _Page(page_size(page, orientation))
    measure = _Measure(pg)
    W, H = pg.width, pg.height
    text_w = W - 2 * L.MARGIN
    scenario = ctx.result.scenario
    subtitle = t["cover_subtitle"].format(
        scenario=scenario.name,
        method=method_name(scenario.aggregation, lang),
        n_ranked=format_number(len(ctx.sites), 0, lang=lang),
        date=format_date(day, lang=lang),
    )
    draw_title(pg, t["cover_title"] if title is None else title, subtitle, text_w)
    notes = [t["national_note"]]
    sources = source_items(ctx.result.sources, lang)

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
    index = state_index(ctx, codes)

    if W > H:
        panel_w = COVER_PANEL_W[page]
        legend = legend_rows(pg, ctx, t, lang, panel_w, keys=COVER_KEYS)
        map_box = (
            L.MARGIN + L.GRID_PAD,
            bottom_y + L.GRID_PAD,
            W - L.MARGIN - panel_w - L.GAP - L.GRID_PAD,
            top_y - L.GRID_PAD,
        )
        panel_left = W - L.MARGIN - panel_w
        index_box = (panel_left, top_y, panel_w, bottom_y + rows_height(legend) + 0.2)
        legend_at = (panel_left, bottom_y + rows_height(legend))
    else:
        legend_w = L.LEGEND_W_PORTRAIT
        legend = legend_rows(pg, ctx, t, lang, legend_w, keys=COVER_KEYS)
        index_w = text_w - legend_w - L.GAP
        need = _index_height(pg, index, t, lang, index_w, INDEX_SIZES[-2])
        panel_h = min(max(need, rows_height(legend)), 0.56 * (top_y - bottom_y))
        map_box = (
            L.MARGIN + L.GRID_PAD,
            bottom_y + panel_h + L.GAP + L.GRID_PAD,
            W - L.MARGIN - L.GRID_PAD,
            top_y - L.GRID_PAD,
        )
        index_box = (L.MARGIN, bottom_y + panel_h, index_w, bottom_y)
        legend_at = (W - L.MARGIN - legend_w, bottom_y + panel_h)

    x0, y0, x1, y1 = map_box
    ax = pg.fig.add_axes(pg.rect(x0, y0, x1 - x0, y1 - y0))
    ax.set_gid("map")
    bounds = np.array([g.bounds for g in ctx.states["main"]])
    ext = (bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max())
    pad = 0.02 * (ext[2] - ext[0])
    fr = _Frame(pg, ax, (ext[0] - pad, ext[1] - pad, ext[2] + pad, ext[3] + pad))
    step = _draw_map(pg, fr, ctx, t, lang, page, measure)

    draw_rows(legend, *legend_at)
    left, top, width, bottom = index_box
    _draw_index(pg, index, t, lang, left=left, top=top, width=width, bottom=bottom)
    lines = footer(step_text(step))
    draw_footer(pg, lines)
    return pg.fig


def _metro_names(top: pd.DataFrame) -> pd.Series:
    """Return "Metro: site" for each listed site ("site" alone outside the metros)."""
    metro = top[PLACE_NAME]
    named = metro.notna() & metro.astype(str).ne("")
    return top["name"].astype(str).where(~named, metro.astype(str) + ": " + top["name"].astype(str))


def _draw_map(
    pg: _Page,
    fr: _Frame,
    ctx: AtlasContext,
    t: dict[str, str],
    lang: str,
    page: str,
    measure: _Measure,
) -> float:
    draw_abroad(fr, ctx)
    draw_surface(fr, ctx, ctx.municipalities, edges=False)
    add_lines(
        fr.ax,
        shapely.boundary(ctx.states.geometry.to_numpy()),
        color="white",
        linewidth=0.6,
        zorder=4,
        gid="state-outlines",
    )
    step = graticule(fr, t)
    # one site per metro, as on the national map and in ``siting run``: the country's ten best
    # sites are all in Monterrey
    top = top_places(ctx.sites, COVER_TOP)
    top = top.assign(name=_metro_names(top))
    mexico = shapely.union_all(ctx.states["main"].to_numpy())
    land_pt = fr.geom_to_pt(mexico)
    box_w = 2.2 if page in ("letter", "a4") else 2.6
    entries = [
        replace(e, details=[]) for e in site_entries(top, t, lang, number=PLACE_RANK, place="state")
    ]
    box_h = _top_box_height(pg, entries, t, box_w)
    scale_w, scale_h = scale_bar_size(pg, fr, t, page, lang)
    pts = fr.to_pt(top.geometry.get_coordinates().to_numpy()) if len(top) else np.empty((0, 2))
    (bx, by, _, _), (sx, sy, _, _), (nx, ny, _, _) = corner_positions(
        fr,
        [[(box_w, box_h)], [(scale_w, scale_h)], [NORTH_SIZE]],
        land_pt,
        pts,
        allowed=[("ll", "ur", "lr", "ul"), ("lr", "ll", "ul", "ur"), ("ur", "ul", "lr", "ll")],
    )
    scale_bar(pg, fr, sx, sy, t, page, lang)
    north_arrow(pg, fr, nx, ny, t)
    _draw_top_box(pg, entries, t, bx, by, box_w, box_h)
    placer = _Placer(fr.box.buffer(-1.5))
    for left, bottom, w, h in (
        (bx, by, box_w, box_h),
        (sx, sy, scale_w, scale_h),
        (nx, ny, *NORTH_SIZE),
    ):
        placer.add(
            shapely.box(left * 72 - 2, bottom * 72 - 2, (left + w) * 72 + 2, (bottom + h) * 72 + 2)
        )
    draw_sites(fr, ctx, top.iloc[:0], top, placer)
    draw_points(fr, ctx, placer, measure, name=False)
    callouts(
        fr,
        placer,
        measure,
        top.geometry.get_coordinates().to_numpy(),
        [format_number(r, 0, lang=lang) for r in top[PLACE_RANK]],
        gid_prefix="badge",
    )
    sea_labels(fr, ctx, placer, measure, t)
    country_labels(fr, ctx, placer, measure, t)
    return step


_TOP_FS = 5.8


def _top_box_height(pg: _Page, entries: list, t: dict[str, str], width: float) -> float:
    header = wrap_words(
        pg, t["cover_top_header"].format(n=len(entries)), width - 0.16, L.SECTION_FS, "bold"
    )
    body = sum(_entry_layout(pg, e, width - 0.16, _TOP_FS)[2] for e in entries)
    return len(header) * _line_h(L.SECTION_FS) + 0.06 + body + 0.12


def _draw_top_box(
    pg: _Page,
    entries: list,
    t: dict[str, str],
    left: float,
    bottom: float,
    width: float,
    height: float,
) -> None:
    """Draw the country's best sites, listed in a box over the map."""
    pg.fig.add_artist(
        Rectangle(
            (left, bottom),
            width,
            height,
            transform=pg.inch,
            facecolor="white",
            alpha=0.9,
            edgecolor="#9a9a9a",
            linewidth=0.5,
            zorder=30,
            gid="top-box",
        )
    )
    x, y = left + 0.08, bottom + height - 0.06
    row = text_row(
        pg,
        t["cover_top_header"].format(n=len(entries)),
        width - 0.16,
        L.SECTION_FS,
        weight="bold",
        gid="top-header",
        zorder=31,
    )
    row.draw(x, y)
    y -= row.height + 0.06
    for e in entries:
        names, details, h = _entry_layout(pg, e, width - 0.16, _TOP_FS)
        pg.text(
            x + 0.09,
            y - _line_h(_TOP_FS) * 0.45,
            e.label,
            fontsize=L.BADGE_FS - 0.5,
            fontweight="bold",
            ha="center",
            va="center",
            zorder=31,
            gid=f"top-rank-{e.label}",
            bbox={
                "boxstyle": f"circle,pad={L.BADGE_PAD}",
                "fc": "white",
                "ec": "#111111",
                "lw": 0.5,
            },
        )
        pg.text(
            x + width - 0.16,
            y,
            e.score,
            fontsize=_TOP_FS,
            fontweight="bold",
            ha="right",
            va="top",
            zorder=31,
            gid=f"top-score-{e.label}",
        )
        for j, line in enumerate(names):
            pg.text(
                x + 0.25,
                y - j * _line_h(_TOP_FS),
                line,
                fontsize=_TOP_FS,
                fontweight="bold",
                va="top",
                zorder=31,
                gid=f"top-name-{e.label}-{j}",
            )
        yd = y - len(names) * _line_h(_TOP_FS)
        for j, line in enumerate(details):
            pg.text(
                x + 0.25,
                yd - j * _line_h(_TOP_FS - 0.7),
                line,
                fontsize=_TOP_FS - 0.7,
                color=L.MUTED,
                va="top",
                zorder=31,
            )
        y -= h


# --- index of the states -------------------------------------------------------------------------


def _index_columns(pg: _Page, t: dict[str, str], width: float, size: float) -> list[float]:
    """Widths (inches) of the columns: page, state, best site, national rank, score."""
    page_w = max(pg.text_width(t["index_page"], size, "bold"), pg.text_width("33", size)) + 0.1
    state_w = pg.text_width("Baja California Sur", size) + 0.12
    rank_w = max(pg.text_width(t["index_rank"], size, "bold"), pg.text_width("#999", size)) + 0.1
    score_w = max(pg.text_width(t["index_score"], size, "bold"), pg.text_width("99.9", size)) + 0.1
    site_w = max(width - page_w - state_w - rank_w - score_w, 0.8)
    return [page_w, state_w, site_w, rank_w, score_w]


def _index_rows(
    pg: _Page, index: pd.DataFrame, t: dict[str, str], lang: str, width: float, size: float
) -> tuple[list[float], list[tuple[list[str], list[str], str, str, str, str]]]:
    cols = _index_columns(pg, t, width, size)
    rows = []
    for _, r in index.iterrows():
        has = isinstance(r["site"], str)
        site = r["site"] if has else t["index_none"]
        rows.append(
            (
                wrap_words(pg, str(r["state_short"]), cols[1] - 0.06, size),
                wrap_words(pg, site, cols[2] - 0.08, size),
                format_number(r["page"], 0, lang=lang),
                format_number(r["rank"], 0, lang=lang) if has else "–",
                format_number(r["score"], 1, lang=lang) if has else "–",
                str(r["CVE_ENT"]),
            )
        )
    return cols, rows


def _index_height(
    pg: _Page, index: pd.DataFrame, t: dict[str, str], lang: str, width: float, size: float
) -> float:
    _, rows = _index_rows(pg, index, t, lang, width, size)
    body = sum(max(len(a), len(b)) * _line_h(size) + 0.015 for a, b, *_ in rows)
    return body + _line_h(size) + 0.45


def _draw_index(
    pg: _Page,
    index: pd.DataFrame,
    t: dict[str, str],
    lang: str,
    *,
    left: float,
    top: float,
    width: float,
    bottom: float,
) -> None:
    """Draw the index table, at the largest font of :data:`INDEX_SIZES` that fits."""
    head = text_row(
        pg, t["index_header"], width, L.HEADER_FS, weight="bold", gap=0.08, gid="index-header"
    )
    head.draw(left, top)
    y0 = top - head.height
    for size in INDEX_SIZES:
        cols, rows = _index_rows(pg, index, t, lang, width, size)
        heights = [max(len(a), len(b)) * _line_h(size) + 0.015 for a, b, *_ in rows]
        if sum(heights) + _line_h(size) + 0.06 <= y0 - bottom or size == INDEX_SIZES[-1]:
            break
    xs = np.concatenate([[left], left + np.cumsum(cols)])
    headers = [
        t["index_page"],
        t["index_state"],
        t["index_site"],
        t["index_rank"],
        t["index_score"],
    ]
    for i, text in enumerate(headers):
        right = i in (0, 3, 4)
        pg.text(
            xs[i + 1] - 0.06 if right else xs[i],
            y0,
            text,
            fontsize=size,
            fontweight="bold",
            ha="right" if right else "left",
            va="top",
            gid=f"index-col-{i}",
        )
    y = y0 - _line_h(size) - 0.03
    pg.fig.add_artist(
        Rectangle(
            (left, y + 0.015),
            width,
            0.005,
            transform=pg.inch,
            facecolor="#777777",
            edgecolor="none",
        )
    )
    for k, ((state, site, pg_no, rank, score, code), h) in enumerate(
        zip(rows, heights, strict=True)
    ):
        if k % 2 == 0:
            pg.fig.add_artist(
                Rectangle(
                    (left, y - h + 0.012),
                    width,
                    h,
                    transform=pg.inch,
                    facecolor="#f2f2f2",
                    edgecolor="none",
                    zorder=0,
                )
            )
        cells = [[pg_no], state, site, [rank], [score]]
        for i, lines in enumerate(cells):
            right = i in (0, 3, 4)
            for j, line in enumerate(lines):
                pg.text(
                    xs[i + 1] - 0.06 if right else xs[i],
                    y - j * _line_h(size),
                    line,
                    fontsize=size,
                    ha="right" if right else "left",
                    va="top",
                    fontweight="bold" if i == 0 else "normal",
                    gid=f"index-{code}-{i}" if j == 0 else None,
                )
        y -= h
