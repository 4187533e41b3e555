"""Map furniture of the static map: everything on the page around the map content.

The title and subtitle, the scale bar and north arrow of the main map, the side panel (list of
the best candidates above the keys: score colour bar, excluded symbol, crossing sizes, criteria
and weights) and the footer (notes, data credits, projection, grid north and software version).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar
from matplotlib.lines import Line2D
from matplotlib_scalebar.scalebar import ScaleBar

from siting.maps.static.content import _Content, _crossing_areas
from siting.maps.static.frame import _max_convergence
from siting.maps.static.layout import (
    _COLORBAR_FS,
    _CRITERION_FS,
    _DIRECTION_FS,
    _FONT,
    _FOOTER_FS,
    _KEY_FS,
    _KEY_SMALL_FS,
    _LABEL_FS,
    _LABEL_PAD,
    _LINE,
    _LIST_HEADER_FS,
    _LIST_MORE_FS,
    _LIST_NOTE_FS,
    _MARGIN,
    _NORTH_FS,
    _PANEL_W,
    _PLACE_FS,
    _SCALE_FS,
    _SECTION_FS,
    _SUBTITLE_FS,
    _SUBTITLE_Y,
    _TITLE_FS,
)
from siting.maps.static.page import _PLAIN, _Page
from siting.maps.style import (
    CROSSING_COLOR,
    EXCLUDED_COLOR,
    MUTED_TEXT_COLOR,
    SCORE_CMAP,
    SCORE_NORM,
)
from siting.maps.text import STATIC_TEXT

if TYPE_CHECKING:  # pragma: no cover - types only
    from siting.result import CriterionWeight


# --- title ---------------------------------------------------------------------------------------


def _draw_title(pg: _Page, title: str, c: _Content, width: float) -> None:
    """Draw the title (shortened to ``width`` inches) and the subtitle counting the candidates."""
    pg.fig.suptitle(
        pg.fit(title, width, _TITLE_FS, "bold"),
        x=_MARGIN / pg.width,
        y=1 - _MARGIN / pg.height,
        ha="left",
        va="top",
        fontsize=_TITLE_FS,
        fontweight="bold",
        gid="title",
        **_PLAIN,
    )
    key = "subtitle_metros" if c.by_metro else "subtitle"
    subtitle = STATIC_TEXT[key].format(top_n=len(c.top), n_ranked=c.n_ranked)
    if c.excluded.any():
        subtitle += STATIC_TEXT["subtitle_excluded"].format(n_excluded=int(c.excluded.sum()))
    pg.text(
        _MARGIN,
        pg.height - _MARGIN - _SUBTITLE_Y,
        subtitle,
        fontsize=_SUBTITLE_FS,
        color=MUTED_TEXT_COLOR,
        va="top",
        gid="subtitle",
    )


# --- scale bar and north arrow -------------------------------------------------------------------


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
            font_properties={"family": _FONT, "size": _SCALE_FS},
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
        fontsize=_NORTH_FS,
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


# --- side panel: list of the best candidates -----------------------------------------------------


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
    pg: _Page,
    left: float,
    top_y: float,
    bottom_y: float,
    top: gpd.GeoDataFrame,
    *,
    by_metro: bool = False,
) -> None:
    """Draw the list "1. name - score" of the labelled sites between ``top_y`` and ``bottom_y``.

    ``by_metro``: each row is a metro (number: its rank; ``_place``: its name) and its best site,
    whose own rank is on the second line.
    """
    pg.text(
        left,
        top_y,
        STATIC_TEXT["top_header_metros" if by_metro else "top_header"].format(n=len(top)),
        fontsize=_LIST_HEADER_FS,
        fontweight="bold",
        va="top",
        gid="top-header",
    )
    y = top_y - 0.3
    if not len(top):
        pg.text(
            left, y, STATIC_TEXT["empty"], fontsize=_LIST_NOTE_FS, va="top", color=MUTED_TEXT_COLOR
        )
        return
    avail = y - bottom_y
    # two lines (name; municipality, state) with circled numbers if there is room, else one
    # line with plain numbers; rows that still do not fit are left to the ranking table
    two_lines = avail / len(top) >= 0.27
    step = min(0.34, avail / len(top)) if two_lines else min(0.2, max(avail / len(top), 0.13))
    fits = max(int(avail / step + 1e-9), 1)  # step may be avail / n: no rounding loss
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
            left + _PANEL_W,
            yc,
            score_text,
            fontsize=name_size,
            fontweight="bold",
            ha="right",
            va="top",
            gid=f"list-score-{label}",
        )
        width = _PANEL_W - 0.27 - score_w - 0.1
        name_left = name_x
        if by_metro:
            metro = pg.text(
                name_x,
                yc,
                pg.fit(f"{row['_place']}: ", width * 0.55, name_size, "bold"),
                fontsize=name_size,
                fontweight="bold",
                va="top",
                gid=f"list-metro-{label}",
            )
            metro_w = pg.text_width(metro.get_text(), name_size, "bold")
            name_left, width = name_x + metro_w, width - metro_w
        name = pg.fit(str(row["name"]), width, name_size)
        pg.text(name_left, yc, name, fontsize=name_size, va="top", gid=f"list-name-{label}")
        if two_lines:
            where = ", ".join(
                str(row[c])
                for c in ("municipality", "state")
                if c in row.index and pd.notna(row[c]) and str(row[c])
            )
            if by_metro:
                site = STATIC_TEXT["site_rank"].format(rank=f"{float(row['rank']):.0f}")
                where = f"{site} · {where}" if where else site
            if where:
                pg.text(
                    name_x,
                    yc - 0.14,
                    pg.fit(where, _PANEL_W - 0.27, _PLACE_FS),
                    fontsize=_PLACE_FS,
                    va="top",
                    color=MUTED_TEXT_COLOR,
                )
    if len(shown) < len(top):
        more = STATIC_TEXT["more"].format(n=len(top) - len(shown))
        pg.text(
            name_x,
            y - len(shown) * step,
            more,
            fontsize=_LIST_MORE_FS,
            va="top",
            color=MUTED_TEXT_COLOR,
        )


# --- side panel: keys ----------------------------------------------------------------------------


def _draw_legend(
    pg: _Page,
    left: float,
    bottom: float,
    crossings: gpd.GeoDataFrame,
    criteria: list[CriterionWeight],
    any_excluded: bool,
) -> float:
    """Draw the keys from ``bottom`` upwards; return the height (inches) they reach."""
    y = bottom

    # criteria and weights (bottom block)
    if criteria:
        key = f"↑ {STATIC_TEXT['benefit']}   ↓ {STATIC_TEXT['cost']}"
        pg.text(left, y, key, fontsize=_DIRECTION_FS, color=MUTED_TEXT_COLOR, va="bottom")
        y += 0.16
        for crit in reversed(criteria):
            weight = 100 * float(crit.weight)
            pct = f"{weight:.0f}%" if abs(weight - round(weight)) < 0.05 else f"{weight:.1f}%"
            arrow = "↓" if crit.direction == "cost" else "↑"
            pg.text(left + 0.36, y, pct, fontsize=_CRITERION_FS, ha="right", va="bottom")
            label = pg.fit(f"{arrow} {crit.label}", _PANEL_W - 0.44, _CRITERION_FS)
            pg.text(
                left + 0.44,
                y,
                label,
                fontsize=_CRITERION_FS,
                va="bottom",
                gid=f"criterion-{crit.name}",
            )
            y += 0.135
        pg.text(
            left,
            y + 0.02,
            STATIC_TEXT["criteria_header"],
            fontsize=_SECTION_FS,
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
            pg.text(x, label_y, f"{v:,.0f}", fontsize=_KEY_SMALL_FS, ha="center", va="bottom")
        y = marker_y + math.sqrt(areas[0]) / 72 / 2 + 0.06
        year = crossings["year"].dropna().unique() if "year" in crossings.columns else []
        sub = (
            STATIC_TEXT["crossings_sub_year"].format(year=int(year[0]))
            if len(year) == 1
            else STATIC_TEXT["crossings_sub"]
        )
        pg.text(left, y, sub, fontsize=_KEY_SMALL_FS, color=MUTED_TEXT_COLOR, va="bottom")
        y += 0.14
        pg.text(
            left,
            y,
            STATIC_TEXT["crossings_header"],
            fontsize=_SECTION_FS,
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
        pg.text(left + 0.2, y, STATIC_TEXT["excluded"], fontsize=_KEY_FS, va="bottom")
        y += 0.2

    # score colour bar
    bar_h = 0.11
    cax = pg.fig.add_axes(pg.rect(left, y + 0.16, _PANEL_W, bar_h))
    bar = Colorbar(
        cax,
        cmap=mpl.colormaps[SCORE_CMAP],
        norm=SCORE_NORM,
        orientation="horizontal",
        ticks=[0, 25, 50, 75, 100],
    )
    bar.outline.set_linewidth(0.4)
    cax.tick_params(labelsize=_COLORBAR_FS, length=2, width=0.4, pad=1.5)
    cax.set_gid("score-colorbar")
    y += 0.16 + bar_h + 0.06
    pg.text(
        left,
        y,
        STATIC_TEXT["score_label"],
        fontsize=_SECTION_FS,
        fontweight="bold",
        va="bottom",
        gid="score-legend",
    )
    return y + 0.2


def _legend_trucks(vmax: float) -> list[float]:
    """Up to three distinct round truck volumes for the size key, largest first."""
    values = [_nice_floor(vmax), _nice_floor(vmax / 3), _nice_floor(vmax / 30)]
    return sorted({v for v in values if v > 0}, reverse=True)


def _nice_floor(value: float) -> float:
    """Return the largest 1, 2, 3 or 5 x 10^k not above ``value``.

    Examples
    --------
    >>> _nice_floor(4_321.0), _nice_floor(0.25), _nice_floor(0.0)
    (3000.0, 0.2, 0.0)
    """
    if value <= 0:
        return 0.0
    exp = math.floor(math.log10(value))
    return max(m * 10.0**exp for m in (1, 2, 3, 5) if m * 10.0**exp <= value * 1.000001)


# --- footer --------------------------------------------------------------------------------------


def _footer_lines(
    pg: _Page, notes: list[str], credits: list[str], states: gpd.GeoDataFrame, width: float
) -> list[str]:
    """Wrap notes, credits and the projection and version lines to ``width`` inches."""
    from siting import __version__

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
        STATIC_TEXT["software"].format(version=__version__),
    ]
    lines += pg.wrap(last, width, _FOOTER_FS, "  ")
    return lines


def _footer_height(lines: list[str]) -> float:
    """Height (inches) of the footer ``lines``."""
    return len(lines) * _FOOTER_FS * _LINE / 72


def _draw_footer(pg: _Page, lines: list[str]) -> None:
    """Draw the footer ``lines`` from the bottom margin up."""
    y = _MARGIN + _footer_height(lines)
    for i, line in enumerate(lines):
        pg.text(
            _MARGIN,
            y - i * _FOOTER_FS * _LINE / 72,
            line,
            fontsize=_FOOTER_FS,
            color=MUTED_TEXT_COLOR,
            va="top",
            gid=f"footer-{i}",
        )
