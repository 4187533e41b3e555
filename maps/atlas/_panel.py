"""Page furniture of the atlas: title block, legend, list of the best sites, footer.

Each block is measured before it is drawn (:class:`_Row` heights in inches), so the layout can
give the map what the blocks leave. All text is drawn with ``_PLAIN`` (``$`` is a dollar sign).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from siting.localize import format_date, format_minutes, format_number
from siting.maps.atlas import _layout as L
from siting.maps.atlas.classes import NODATA_FILL, NODATA_HATCH_COLOR
from siting.maps.atlas.context import AtlasContext
from siting.maps.static.page import _Page


@dataclass
class _Row:
    """A block of the panel: its height (inches) and how to draw it at ``(left, top)``."""

    height: float
    draw: Callable[[float, float], None]


def draw_rows(rows: Sequence[_Row], left: float, top: float) -> float:
    """Draw ``rows`` downwards from ``top``; return the bottom reached."""
    y = top
    for row in rows:
        row.draw(left, y)
        y -= row.height
    return y


def rows_height(rows: Sequence[_Row]) -> float:
    """Total height (inches) of ``rows``."""
    return float(sum(r.height for r in rows))


def wrap_words(
    pg: _Page, text: str, width: float, size: float, weight: str = "normal"
) -> list[str]:
    """Break ``text`` into lines of at most ``width`` inches, never dropping a character.

    A word longer than the width is broken between characters (no ellipsis, nothing cut).
    """
    width *= L.WRAP_SLACK
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        trial = f"{current} {word}" if current else word
        if pg.text_width(trial, size, weight) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = ""
        while pg.text_width(word, size, weight) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and pg.text_width(word[:cut], size, weight) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _line_h(size: float) -> float:
    return size * L.LINE / 72


def text_row(
    pg: _Page,
    text: str,
    width: float,
    size: float,
    *,
    weight: str = "normal",
    color: str = L.TEXT,
    gap: float = 0.0,
    gid: str | None = None,
    zorder: float = 3.0,
) -> _Row:
    """Return a row of wrapped text."""
    lines = wrap_words(pg, text, width, size, weight)

    def draw(left: float, top: float) -> None:
        for i, line in enumerate(lines):
            pg.text(
                left,
                top - i * _line_h(size),
                line,
                fontsize=size,
                fontweight=weight,
                color=color,
                va="top",
                gid=gid,
                zorder=zorder,
            )

    return _Row(len(lines) * _line_h(size) + gap, draw)


def gap_row(height: float) -> _Row:
    """Empty space."""
    return _Row(height, lambda left, top: None)


# --- title ---------------------------------------------------------------------------------------


def draw_title(pg: _Page, title: str, subtitle: str, width: float) -> None:
    """Title (shrunk to fit ``width``) and subtitle at the top margin."""
    size = L.TITLE_FS
    while size > L.TITLE_MIN_FS and pg.text_width(title, size, "bold") > width:
        size -= 0.5
    top = pg.height - L.MARGIN
    pg.fig.suptitle(
        title,
        x=L.MARGIN / pg.width,
        y=top / pg.height,
        ha="left",
        va="top",
        fontsize=size,
        fontweight="bold",
        color=L.TEXT,
        gid="title",
        parse_math=False,
        usetex=False,
    )
    sub = L.SUBTITLE_FS
    while sub > 6.5 and pg.text_width(subtitle, sub) > width:
        sub -= 0.25
    pg.text(
        L.MARGIN,
        top - size / 72 * 1.25 - 0.04,
        subtitle,
        fontsize=sub,
        color=L.MUTED,
        va="top",
        gid="subtitle",
    )


# --- legend --------------------------------------------------------------------------------------


def limit_text(ctx: AtlasContext, t: dict[str, str], lang: str) -> str:
    """Return the surface's reach: ``"45 minutes"`` (road) or ``"50 km"`` (straight line)."""
    minutes, km = ctx.reach_limit_min, ctx.reach_limit_km
    if np.isfinite(minutes):
        return t["limit_min"].format(minutes=format_number(minutes, 0, lang=lang))
    if np.isfinite(km):
        return t["limit_km"].format(km=format_number(km, 0, lang=lang))
    return t["limit_min"].format(minutes="–")


def _symbol(pg: _Page, kind: str, x: float, y: float, ctx: AtlasContext) -> None:
    """Draw the legend symbol ``kind`` centred at ``(x, y)`` inches."""
    add = pg.fig.add_artist
    if kind == "site":
        color = ctx.classes.colors[len(ctx.classes.colors) // 2] if ctx.classes.k else "#888888"
        add(
            Line2D(
                [x],
                [y],
                marker="o",
                markersize=5.6,
                color="#111111",
                linestyle="none",
                transform=pg.inch,
            )
        )
        add(
            Line2D(
                [x],
                [y],
                marker="o",
                markersize=4.0,
                color=color,
                markeredgecolor="white",
                markeredgewidth=0.7,
                linestyle="none",
                transform=pg.inch,
            )
        )
    elif kind in ("top", "top_cover"):
        pg.text(
            x,
            y,
            "1",
            fontsize=L.BADGE_FS,
            fontweight="bold",
            ha="center",
            va="center",
            bbox={
                "boxstyle": f"circle,pad={L.BADGE_PAD}",
                "fc": "white",
                "ec": "#111111",
                "lw": 0.6,
            },
        )
    elif kind == "crossing":
        add(
            Line2D(
                [x],
                [y],
                marker="s",
                markersize=6,
                color=L.CROSSING,
                alpha=0.85,
                markeredgecolor="white",
                markeredgewidth=0.5,
                linestyle="none",
                transform=pg.inch,
            )
        )
    elif kind == "seaport":
        add(
            Line2D(
                [x],
                [y],
                marker="D",
                markersize=5,
                color=L.SEAPORT,
                markeredgecolor="white",
                markeredgewidth=0.5,
                linestyle="none",
                transform=pg.inch,
            )
        )
    elif kind == "city":
        add(
            Line2D(
                [x],
                [y],
                marker="o",
                markersize=3.4,
                color="white",
                markeredgecolor=L.CITY,
                markeredgewidth=0.8,
                linestyle="none",
                transform=pg.inch,
            )
        )
    elif kind == "road":
        add(Line2D([x - 0.1, x + 0.1], [y, y], color=L.ROAD, lw=0.9, transform=pg.inch))
    elif kind in ("state", "abroad"):
        add(
            Rectangle(
                (x - 0.1, y - 0.05),
                0.2,
                0.1,
                transform=pg.inch,
                facecolor=L.OTHER_STATE if kind == "state" else L.ABROAD,
                edgecolor="#9a9a9a",
                linewidth=0.4,
            )
        )


def legend_rows(
    pg: _Page,
    ctx: AtlasContext,
    t: dict[str, str],
    lang: str,
    width: float,
    *,
    keys: Sequence[str],
) -> list[_Row]:
    """Rows of the legend: the surface classes, the no-site swatch, then the symbol ``keys``."""
    limit = limit_text(ctx, t, lang)
    rows = [
        text_row(
            pg, t["legend_header"], width, L.HEADER_FS, weight="bold", gap=0.04, gid="legend-header"
        ),
        text_row(
            pg,
            t["surface_header"].format(limit=limit),
            width,
            L.SECTION_FS,
            weight="bold",
            gap=0.01,
            gid="surface-header",
        ),
        text_row(
            pg,
            t["surface_sub" if np.isfinite(ctx.reach_limit_min) else "surface_sub_km"],
            width,
            L.SUB_FS,
            color=L.MUTED,
            gap=0.05,
        ),
    ]
    labels = ctx.classes.labels(lang)
    entries = [(ctx.classes.colors[i], labels[i], None) for i in reversed(range(ctx.classes.k))]
    entries.append((NODATA_FILL, t["nodata"].format(limit=limit), "//////"))
    step = L.SWATCH_H + 0.035
    cols = 2 if width >= 2.9 else 1
    per_col = -(-len(entries) // cols)
    col_w = width / cols

    def draw_swatches(left: float, top: float) -> None:
        for i, (color, label, hatch) in enumerate(entries):
            c, r = divmod(i, per_col)
            x, y = left + c * col_w, top - r * step - L.SWATCH_H
            pg.fig.add_artist(
                Rectangle(
                    (x, y),
                    L.SWATCH_W,
                    L.SWATCH_H,
                    transform=pg.inch,
                    facecolor=color,
                    edgecolor=NODATA_HATCH_COLOR if hatch else "#8a8a8a",
                    linewidth=0.4,
                    hatch=hatch,
                    gid=f"class-{i}",
                )
            )
            pg.text(
                x + L.SWATCH_W + 0.07,
                y + L.SWATCH_H / 2,
                label,
                fontsize=L.KEY_FS,
                va="center",
                gid=f"class-label-{i}",
            )

    rows.append(_Row(per_col * step + 0.08, draw_swatches))
    year = ""
    if "year" in ctx.crossings.columns and ctx.crossings["year"].notna().any():
        years = ctx.crossings["year"].dropna().unique()
        year = str(int(years[0])) if len(years) == 1 else ""
    texts_of = {
        "site": t["key_site"],
        "top": t["key_top"],
        "top_cover": t["key_top_cover"],
        "crossing": t["key_crossing"].format(year=year) if year else t["key_crossing_any"],
        "seaport": t["key_seaport"],
        "city": t["key_city"],
        "road": t["key_road"],
        "state": t["key_state"],
        "abroad": t["key_abroad"],
    }
    key_cols = 2 if width >= 2.9 else 1
    kw = width / key_cols - 0.3 - 0.05
    cells = [(k, wrap_words(pg, texts_of[k], kw, L.KEY_FS)) for k in keys]
    line = _line_h(L.KEY_FS)
    grid = [cells[i : i + key_cols] for i in range(0, len(cells), key_cols)]
    heights = [max(len(lines) for _, lines in r) * line + 0.045 for r in grid]

    def draw_keys(left: float, top: float) -> None:
        y = top
        for r, h in zip(grid, heights, strict=True):
            for c, (kind, lines) in enumerate(r):
                x = left + c * width / key_cols
                _symbol(pg, kind, x + 0.13, y - line / 2 - 0.01, ctx)
                for j, text in enumerate(lines):
                    pg.text(
                        x + 0.3,
                        y - j * line,
                        text,
                        fontsize=L.KEY_FS,
                        va="top",
                        gid=f"key-{kind}" if j == 0 else None,
                    )
            y -= h

    rows.append(_Row(float(sum(heights)), draw_keys))
    return rows


# --- the list of the best sites -------------------------------------------------------------------


@dataclass
class _Entry:
    label: str  # number in the badge
    name: str
    score: str
    details: list[str]


def site_entries(
    top: pd.DataFrame,
    t: dict[str, str],
    lang: str,
    *,
    number: str = "state_rank",
    place: str = "municipality",
) -> list[_Entry]:
    """Return the entries of the list: number, full name, score and details of each site."""
    out = []
    for _, row in top.iterrows():
        details = []
        where = row.get(place)
        if isinstance(where, str) and where:
            details.append(where)
        if number != "rank":
            details.append(t["list_national"].format(rank=format_number(row["rank"], 0, lang=lang)))
        crossing = row.get("nearest_crossing")
        minutes = row.get("crossing_drive_min")
        if isinstance(crossing, str) and crossing and pd.notna(minutes):
            details.append(
                t["list_crossing"].format(
                    crossing=crossing, time=format_minutes(float(minutes), lang=lang)
                )
            )
        out.append(
            _Entry(
                label=format_number(row[number], 0, lang=lang),
                name=str(row["name"]),
                score=format_number(row["score"], 1, lang=lang),
                details=details,
            )
        )
    return out


_BADGE_COL = 0.25  # inches left of the names


def _entry_layout(
    pg: _Page, e: _Entry, width: float, size: float
) -> tuple[list[str], list[str], float]:
    score_w = pg.text_width(e.score, size, "bold")
    names = wrap_words(pg, e.name, width - _BADGE_COL - score_w - 0.08, size, "bold")
    details = (
        pg.wrap(e.details, (width - _BADGE_COL) * L.WRAP_SLACK, size - 0.7, "  ·  ")
        if e.details
        else []
    )
    height = len(names) * _line_h(size) + len(details) * _line_h(size - 0.7)
    return names, details, height + L.LIST_GAP_PT / 72


def draw_site_list(
    pg: _Page,
    entries: Sequence[_Entry],
    *,
    left: float,
    top: float,
    bottom: float,
    width: float,
    header: str,
    sub: str,
    empty: str,
    more: Callable[[int], str],
    n_cols: int = 1,
    col_gap: float = 0.2,
    gid: str = "list",
) -> None:
    """Header, then the entries flowed into ``n_cols`` columns between ``top`` and ``bottom``.

    The largest font of :data:`~siting.maps.atlas._layout.LIST_SIZES` at which every entry fits
    is used; at the smallest, entries that still do not fit are counted in a last line.
    """
    head = [
        text_row(pg, header, width, L.HEADER_FS, weight="bold", gap=0.02, gid=f"{gid}-header"),
        text_row(pg, sub, width, L.SUB_FS, color=L.MUTED, gap=0.07),
    ]
    y = draw_rows(head, left, top)
    if not entries:
        text_row(pg, empty, width, L.KEY_FS + 0.5, color=L.MUTED, gid=f"{gid}-empty").draw(left, y)
        return
    col_w = (width - (n_cols - 1) * col_gap) / n_cols
    avail = y - bottom
    chosen = None
    for size in L.LIST_SIZES:
        laid = [_entry_layout(pg, e, col_w, size) for e in entries]
        placement = _flow([h for *_, h in laid], avail, n_cols)
        if placement is not None:
            chosen = (size, laid, placement, len(entries))
            break
    if chosen is None:  # smallest size: as many as fit, and a line counting the rest
        size = L.LIST_SIZES[-1]
        laid = [_entry_layout(pg, e, col_w, size) for e in entries]
        more_h = _line_h(L.SUB_FS) + 0.02
        n = len(entries)
        placement = None
        while n > 0 and placement is None:
            n -= 1
            placement = _flow([h for *_, h in laid[:n]] + [more_h], avail, n_cols)
        chosen = (size, laid, placement or [], n)
    size, laid, placement, shown = chosen
    for i in range(shown):
        e = entries[i]
        names, details, _ = laid[i]
        col, offset = placement[i]
        x = left + col * (col_w + col_gap)
        yy = y - offset
        pg.text(
            x + 0.09,
            yy - _line_h(size) * 0.45,
            e.label,
            fontsize=L.BADGE_FS,
            fontweight="bold",
            ha="center",
            va="center",
            gid=f"{gid}-rank-{e.label}",
            bbox={
                "boxstyle": f"circle,pad={L.BADGE_PAD}",
                "fc": "white",
                "ec": "#111111",
                "lw": 0.6,
            },
        )
        pg.text(
            x + col_w,
            yy,
            e.score,
            fontsize=size,
            fontweight="bold",
            ha="right",
            va="top",
            gid=f"{gid}-score-{e.label}",
        )
        for j, line in enumerate(names):
            pg.text(
                x + _BADGE_COL,
                yy - j * _line_h(size),
                line,
                fontsize=size,
                fontweight="bold",
                va="top",
                gid=f"{gid}-name-{e.label}-{j}",
            )
        yd = yy - len(names) * _line_h(size)
        for j, line in enumerate(details):
            pg.text(
                x + _BADGE_COL,
                yd - j * _line_h(size - 0.7),
                line,
                fontsize=size - 0.7,
                color=L.MUTED,
                va="top",
                gid=f"{gid}-details-{e.label}-{j}",
            )
    if shown < len(entries):
        col, offset = placement[shown]
        pg.text(
            left + col * (col_w + col_gap) + _BADGE_COL,
            y - offset,
            more(len(entries) - shown),
            fontsize=L.SUB_FS,
            color=L.MUTED,
            va="top",
            gid=f"{gid}-more",
        )


def _flow(heights: Sequence[float], avail: float, n_cols: int) -> list[tuple[int, float]] | None:
    """Column and offset from the top of each block, filling columns in turn; None: no fit."""
    out = []
    col, used = 0, 0.0
    for h in heights:
        if used + h > avail + 1e-9 and used > 0:
            col, used = col + 1, 0.0
        if col >= n_cols or h > avail + 1e-9:
            return None
        out.append((col, used))
        used += h
    return out


# --- footer --------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    size: float
    color: str
    weight: str = "normal"
    gid: str | None = None


def footer_lines(
    pg: _Page,
    t: dict[str, str],
    lang: str,
    width: float,
    *,
    author: str | None,
    day: dt.date,
    run_id: str | None,
    notes: Sequence[str],
    sources: Sequence[str],
) -> list[_Line]:
    """Lines of the footer: who, when, which run and version; notes; sources."""
    from siting import __version__

    width *= L.WRAP_SLACK
    first = [
        t["author"].format(author=author) if author else t["author_blank"],
        t["made_on"].format(date=format_date(day, lang=lang)),
        t["run"].format(run_id=run_id) if run_id else t["run_blank"],
        t["software"].format(version=__version__),
    ]
    lines = [
        _Line(s, L.FOOTER_FS, L.TEXT, gid=f"footer-who-{i}")
        for i, s in enumerate(pg.wrap(first, width, L.FOOTER_FS, "   ·   "))
    ]
    lines += [
        _Line(s, L.NOTE_FS, L.MUTED, gid=f"footer-note-{i}")
        for i, s in enumerate(pg.wrap(list(notes), width, L.NOTE_FS, "  "))
    ]
    if sources:
        items = [f"{t['sources']} {sources[0]}", *sources[1:]]
        lines += [
            _Line(s, L.SOURCE_FS, L.MUTED, gid=f"footer-sources-{i}")
            for i, s in enumerate(pg.wrap(items, width, L.SOURCE_FS, "  ·  "))
        ]
    return lines


def footer_height(lines: Sequence[_Line]) -> float:
    """Height (inches) of the footer."""
    return float(sum(_line_h(line.size) for line in lines))


def draw_footer(pg: _Page, lines: Sequence[_Line]) -> None:
    """Draw the footer from the bottom margin up, with a thin rule above it."""
    y = L.MARGIN + footer_height(lines)
    pg.fig.add_artist(
        Line2D(
            [L.MARGIN, pg.width - L.MARGIN],
            [y + 0.05, y + 0.05],
            color="#9a9a9a",
            lw=0.5,
            transform=pg.inch,
        )
    )
    for line in lines:
        pg.text(
            L.MARGIN,
            y,
            line.text,
            fontsize=line.size,
            color=line.color,
            fontweight=line.weight,
            va="top",
            gid=line.gid,
        )
        y -= _line_h(line.size)
