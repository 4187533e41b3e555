"""Map furniture of the static map: everything on the page around the map content.

The title and subtitle, the scale bar and north arrow of the main map, the list of the best
candidates (full names, wrapped, never cut), the keys (score colour bar over the run's range,
candidate symbols, crossing sizes, criteria and weights) and the footer (notes, data credits,
projection, grid north and software version). Every text comes from
:data:`siting.maps.text.STATIC_TEXT_BY_LANG` in the page's language and every number goes
through :func:`siting.localize.format_number`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib_scalebar.scalebar import ScaleBar

from siting.localize import format_number
from siting.maps.static.content import _Content, _crossing_areas
from siting.maps.static.frame import _max_convergence
from siting.maps.static.layout import (
    _CANDIDATE_AREA,
    _COLORBAR_FS,
    _CRITERION_FS,
    _DIRECTION_FS,
    _EXCLUDED_AREA_FACTOR,
    _FONT,
    _FOOTER_FS,
    _KEY_FS,
    _KEY_LINE,
    _KEY_SMALL_FS,
    _LABEL_FS,
    _LABEL_PAD,
    _LINE,
    _LIST_HEADER_FS,
    _LIST_LINE,
    _LIST_MORE_FS,
    _LIST_NOTE_FS,
    _MARGIN,
    _NAME_INDENT,
    _NAME_SIZES,
    _NORTH_FS,
    _PANEL_W,
    _PLACE_MIN_FS,
    _ROW_GAP,
    _ROW_MIN_H,
    _SCALE_FS,
    _SECTION_FS,
    _SUBTITLE_FS,
    _SUBTITLE_Y,
    _TITLE_FS,
    _TOP_AREA_FACTOR,
)
from siting.maps.static.page import _PLAIN, _Page
from siting.maps.style import (
    CROSSING_COLOR,
    EXCLUDED_COLOR,
    MUTED_TEXT_COLOR,
    print_cmap,
    print_norm,
)
from siting.maps.text import STATIC_TEXT_BY_LANG

if TYPE_CHECKING:  # pragma: no cover - types only
    from siting.result import CriterionWeight

#: Smallest font sizes (points) the title and subtitle shrink to before they wrap or shorten.
_TITLE_MIN_FS = 11.0
_SUBTITLE_MIN_FS = 8.0


def _fitting_size(
    pg: _Page, text: str, width: float, size: float, smallest: float, weight: str
) -> float:
    """Largest size from ``size`` down to ``smallest`` (half points) at which ``text`` fits."""
    while size > smallest and pg.text_width(text, size, weight) > width:
        size -= 0.5
    return max(size, smallest)


# --- title ---------------------------------------------------------------------------------------


def _draw_title(pg: _Page, title: str, c: _Content, width: float, *, lang: str = "en") -> None:
    """Draw the title and the subtitle counting the candidates, within ``width`` inches.

    Both shrink to fit (down to 11 and 8 points); a title still too long is shortened with an
    ellipsis (the title block has one line), a subtitle wraps to a second line.
    """
    text = STATIC_TEXT_BY_LANG[lang]
    size = _fitting_size(pg, title, width, _TITLE_FS, _TITLE_MIN_FS, "bold")
    pg.fig.suptitle(
        pg.fit(title, width, size, "bold"),
        x=_MARGIN / pg.width,
        y=1 - _MARGIN / pg.height,
        ha="left",
        va="top",
        fontsize=size,
        fontweight="bold",
        gid="title",
        **_PLAIN,
    )
    key = "subtitle_metros" if c.by_metro else "subtitle"
    subtitle = text[key].format(
        top_n=format_number(len(c.top), 0, lang=lang),
        n_ranked=format_number(c.n_ranked, 0, lang=lang),
    )
    if c.excluded.any():
        subtitle += text["subtitle_excluded"].format(
            n_excluded=format_number(int(c.excluded.sum()), 0, lang=lang)
        )
    sub_size = _fitting_size(pg, subtitle, width, _SUBTITLE_FS, _SUBTITLE_MIN_FS, "normal")
    pg.text(
        _MARGIN,
        pg.height - _MARGIN - _SUBTITLE_Y,
        "\n".join(pg.wrap_text(subtitle, width, sub_size)),
        fontsize=sub_size,
        linespacing=1.1,
        color=MUTED_TEXT_COLOR,
        va="top",
        gid="subtitle",
    )


# --- scale bar and north arrow -------------------------------------------------------------------


def _scale_bar(ax: Axes, lang: str, length_fraction: float, **kwargs: object) -> ScaleBar:
    """Return a scale bar in kilometres ("1,000 km", never "1 Mm"), numbers in ``lang``.

    Its length is the round distance (1, 2, 2.5 or 5 x 10^k km) nearest below
    ``length_fraction`` of the width of ``ax`` (a frame in metres, limits set).
    """
    span_km = abs(float(np.diff(ax.get_xlim())[0])) / 1000 * length_fraction
    exp = math.floor(math.log10(span_km)) if span_km > 0 else 0
    km = max(
        (m * 10.0**exp for m in (1, 2, 2.5, 5) if m * 10.0**exp <= span_km * 1.000001),
        default=10.0**exp,
    )

    def label(value: float, unit: str) -> str:
        decimals = 0 if float(value).is_integer() else 1
        return f"{format_number(float(value), decimals, lang=lang)} {unit}"

    return ScaleBar(
        dx=1,
        units="m",
        fixed_value=km,
        fixed_units="km",
        scale_formatter=label,
        **kwargs,
    )


def _scale_bar_and_north(
    ax: Axes, frame: shapely.Geometry, *, lang: str = "en"
) -> list[shapely.Geometry]:
    """Add the scale bar (lower left) and north arrow (upper right); return their areas."""
    ax.add_artist(
        _scale_bar(
            ax,
            lang,
            0.22,
            location="lower left",
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
        STATIC_TEXT_BY_LANG[lang]["north"],
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


# --- the list of the best candidates -------------------------------------------------------------


@dataclass
class _Row:
    """One row of the list: number, score, name lines (runs) and muted place lines."""

    label: str
    score: str
    name: list[list[tuple[str, str]]]  # lines of runs (text, weight): metro in bold, then name
    place: list[str]


@dataclass
class _ListLayout:
    """The rows of the list at one font size, and how many of them are shown."""

    size: float
    rows: list[_Row]
    shown: int

    @property
    def place_size(self) -> float:
        return max(self.size - 1.0, _PLACE_MIN_FS)

    def row_height(self, row: _Row) -> float:
        """Height (inches) of ``row``."""
        lines = len(row.name) * self.size + len(row.place) * self.place_size
        return max(lines * _LIST_LINE / 72, _ROW_MIN_H)

    def height(self, n: int | None = None) -> float:
        """Height (inches) of the first ``n`` rows (all by default) and the gaps between them."""
        rows = self.rows if n is None else self.rows[:n]
        if not rows:
            return 0.0
        return sum(self.row_height(r) for r in rows) + _ROW_GAP * (len(rows) - 1)


#: Height (inches) of the list's header line, from its top to the top of the first row.
_LIST_HEADER_H = 0.3
#: Height (inches) of the "... and n more" line under the rows.
_LIST_MORE_H = _ROW_GAP + _LIST_MORE_FS * _LIST_LINE / 72


def _list_rows(
    pg: _Page, top: gpd.GeoDataFrame, width: float, size: float, *, by_metro: bool, lang: str
) -> list[_Row]:
    """Wrap every row of the list at font ``size`` into a list ``width`` inches wide."""
    text = STATIC_TEXT_BY_LANG[lang]
    place_size = max(size - 1.0, _PLACE_MIN_FS)
    rows = []
    for _, row in top.iterrows():
        score = format_number(float(row["score"]), 1, lang=lang)
        name_w = width - _NAME_INDENT - pg.text_width(score, size, "bold") - 0.12
        runs = [(f"{row['_place']}:", "bold")] if by_metro else []
        runs.append((str(row["name"]), "normal"))
        where = ", ".join(
            str(row[col])
            for col in ("municipality", "state")
            if col in row.index and pd.notna(row[col]) and str(row[col])
        )
        if by_metro:
            site = text["site_rank"].format(rank=format_number(float(row["rank"]), 0, lang=lang))
            where = f"{site} · {where}" if where else site
        rows.append(
            _Row(
                label=str(int(row["_rank"])),
                score=score,
                name=pg.wrap_runs(runs, name_w, size),
                place=pg.wrap_text(where, width - _NAME_INDENT, place_size) if where else [],
            )
        )
    return rows


def _list_layout(
    pg: _Page,
    top: gpd.GeoDataFrame,
    width: float,
    avail: float,
    *,
    by_metro: bool = False,
    lang: str = "en",
) -> _ListLayout:
    """Choose the largest font at which every row fits ``avail`` inches (below the header).

    Names are wrapped, never cut; if the rows do not fit even at the smallest font, the first
    rows that fit are shown above a line saying how many more are in the ranking table.
    """
    layout = _ListLayout(size=_NAME_SIZES[-1], rows=[], shown=0)
    for size in _NAME_SIZES:
        rows = _list_rows(pg, top, width, size, by_metro=by_metro, lang=lang)
        layout = _ListLayout(size=size, rows=rows, shown=len(rows))
        if layout.height() <= avail + 1e-9:
            return layout
    shown = 0
    while shown < len(layout.rows) and layout.height(shown + 1) + _LIST_MORE_H <= avail + 1e-9:
        shown += 1
    layout.shown = shown
    return layout


def _list_height(
    pg: _Page,
    top: gpd.GeoDataFrame,
    width: float,
    avail: float = math.inf,
    *,
    by_metro: bool = False,
    lang: str = "en",
) -> float:
    """Height (inches) the list takes in ``avail`` inches, header included.

    Unbounded by default: the height at the list's largest font.
    """
    if not len(top):
        return _LIST_HEADER_H + _LIST_NOTE_FS * _LIST_LINE / 72
    layout = _list_layout(pg, top, width, avail - _LIST_HEADER_H, by_metro=by_metro, lang=lang)
    more = _LIST_MORE_H if layout.shown < len(layout.rows) else 0.0
    return _LIST_HEADER_H + layout.height(layout.shown) + more


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
        gid=f"list-rank-{label}",
    )


def _draw_top_list(
    pg: _Page,
    left: float,
    top_y: float,
    bottom_y: float,
    top: gpd.GeoDataFrame,
    *,
    by_metro: bool = False,
    lang: str = "en",
    width: float = _PANEL_W,
) -> None:
    """Draw the list of the labelled sites between ``top_y`` and ``bottom_y``, ``width`` wide.

    Each row: the circled number, the full name wrapped over as many lines as it needs (with
    ``by_metro``, the metro's name in bold first: the number is the metro's rank), the score on
    the first line and, on a muted line, the site's rank (``by_metro``), municipality and state.
    Gids: ``list-rank-N``, ``list-score-N``, ``list-metro-N``, ``list-name-N`` and
    ``list-place-N`` for the first piece of each; further lines of a piece add ``.k``.
    """
    text = STATIC_TEXT_BY_LANG[lang]
    pg.text(
        left,
        top_y,
        text["top_header_metros" if by_metro else "top_header"].format(
            n=format_number(len(top), 0, lang=lang)
        ),
        fontsize=_LIST_HEADER_FS,
        fontweight="bold",
        va="top",
        gid="top-header",
    )
    y = top_y - _LIST_HEADER_H
    if not len(top):
        pg.text(left, y, text["empty"], fontsize=_LIST_NOTE_FS, va="top", color=MUTED_TEXT_COLOR)
        return
    layout = _list_layout(pg, top, width, y - bottom_y, by_metro=by_metro, lang=lang)
    size, place_size = layout.size, layout.place_size
    name_x = left + _NAME_INDENT
    for row in layout.rows[: layout.shown]:
        line_h = size * _LIST_LINE / 72
        _rank_badge(pg, left + 0.1, y - line_h / 2, row.label)
        pg.text(
            left + width,
            y,
            row.score,
            fontsize=size,
            fontweight="bold",
            ha="right",
            va="top",
            gid=f"list-score-{row.label}",
        )
        pieces: dict[str, int] = {}
        for i, line in enumerate(row.name):
            x = name_x
            for run, weight in line:
                kind = "metro" if weight == "bold" else "name"
                k = pieces.get(kind, 0)
                pieces[kind] = k + 1
                word = run.lstrip()  # a run after another starts with the space between them
                run_w = pg.text_width(run, size, weight)
                pg.text(
                    x + run_w - pg.text_width(word, size, weight),
                    y - i * line_h,
                    word,
                    fontsize=size,
                    fontweight=weight,
                    va="top",
                    gid=f"list-{kind}-{row.label}" + (f".{k}" if k else ""),
                )
                x += run_w
        place_y = y - len(row.name) * line_h
        for k, line in enumerate(row.place):
            pg.text(
                name_x,
                place_y - k * place_size * _LIST_LINE / 72,
                line,
                fontsize=place_size,
                va="top",
                color=MUTED_TEXT_COLOR,
                gid=f"list-place-{row.label}" + (f".{k}" if k else ""),
            )
        y -= layout.row_height(row) + _ROW_GAP
    if layout.shown < len(layout.rows):
        more = text["more"].format(n=format_number(len(layout.rows) - layout.shown, 0, lang=lang))
        pg.text(
            name_x,
            y,
            more,
            fontsize=_LIST_MORE_FS,
            va="top",
            color=MUTED_TEXT_COLOR,
            gid="list-more",
        )


# --- keys ----------------------------------------------------------------------------------------


def _score_ticks(norm: Normalize) -> list[float]:
    """Ticks of the score colour bar: both ends and round values between them.

    The step is the smallest of 5, 10, 20, 25 and 50 that gives at most 7 round values.

    Examples
    --------
    >>> _score_ticks(Normalize(30, 90)), _score_ticks(Normalize(35, 85))
    ([30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0], [35.0, 40.0, 50.0, 60.0, 70.0, 80.0, 85.0])
    """
    lo, hi = float(norm.vmin), float(norm.vmax)
    step = next(
        (s for s in (5.0, 10.0, 20.0, 25.0, 50.0) if (hi - lo) / s <= 7),
        100.0,
    )
    inner = np.arange(math.ceil(lo / step) * step, hi + 1e-9, step)
    # a round value closer than a third of a step to an end would crowd the end's label
    inner = [float(v) for v in inner if min(v - lo, hi - v) >= step / 3 - 1e-9]
    return sorted({lo, hi, *inner})


def _stack_text(
    pg: _Page,
    x: float,
    y: float,
    lines: Sequence[str],
    size: float,
    *,
    gid: str | None = None,
    **kwargs: object,
) -> float:
    """Draw ``lines`` upwards from ``y`` (the last line's bottom); return the top of the first."""
    step = size * _KEY_LINE / 72
    for k, line in enumerate(reversed(lines)):
        n = len(lines) - 1 - k
        pg.text(
            x,
            y + k * step,
            line,
            fontsize=size,
            va="bottom",
            gid=None if gid is None else gid + (f".{n}" if n else ""),
            **kwargs,
        )
    return y + len(lines) * step


def _draw_legend(
    pg: _Page,
    left: float,
    bottom: float,
    crossings: gpd.GeoDataFrame,
    criteria: list[CriterionWeight],
    any_excluded: bool,
    *,
    norm: Normalize | None = None,
    lang: str = "en",
    width: float = _PANEL_W,
    numbered: bool = False,
) -> float:
    """Draw the keys from ``bottom`` upwards in a column ``width`` wide; return their top.

    From the top: the score colour bar (``norm``: the print ramp's range; default
    :func:`siting.maps.style.print_norm` of no scores, 0-100), the candidate symbols (numbered
    sites if ``numbered``, excluded sites if ``any_excluded``), the crossing sizes and the
    criteria with their weights (labels in ``lang``, wrapped, never cut).
    """
    from siting.criteria import CRITERIA

    text = STATIC_TEXT_BY_LANG[lang]
    norm = print_norm([]) if norm is None else norm
    y = bottom

    # criteria and weights (bottom block)
    if criteria:
        key = f"↑ {text['benefit']}   ↓ {text['cost']}"
        y = _stack_text(
            pg,
            left,
            y,
            pg.wrap_text(key, width, _DIRECTION_FS),
            _DIRECTION_FS,
            color=MUTED_TEXT_COLOR,
        )
        y += 0.05
        for crit in reversed(criteria):
            weight = 100 * float(crit.weight)
            pct = format_number(weight, 0 if abs(weight - round(weight)) < 0.05 else 1, lang=lang)
            arrow = "↓" if crit.direction == "cost" else "↑"
            spec = CRITERIA.get(crit.name)
            label = spec.label_in(lang) if spec is not None else crit.label
            lines = pg.wrap_text(f"{arrow} {label}", width - 0.44, _CRITERION_FS)
            # continuation lines hang under the label, after its arrow
            lines = [lines[0], *(f"   {line}" for line in lines[1:])]
            top = _stack_text(
                pg, left + 0.44, y, lines, _CRITERION_FS, gid=f"criterion-{crit.name}"
            )
            pg.text(
                left + 0.36,
                top - _CRITERION_FS * _KEY_LINE / 72,
                f"{pct}%",
                fontsize=_CRITERION_FS,
                ha="right",
                va="bottom",
            )
            y = top
        y = _stack_text(
            pg, left, y + 0.03, [text["criteria_header"]], _SECTION_FS, fontweight="bold"
        )
        y += 0.16

    # crossing sizes
    if len(crossings):
        vmax = float(crossings["trucks"].max())
        values = _legend_trucks(vmax)
        areas = _crossing_areas(np.array(values), vmax)
        cols = [left + 0.25, left + 0.95, left + 1.75][: len(values)]
        label_y = y
        marker_y = y + 0.13 + math.sqrt(areas[0]) / 72 / 2
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
            pg.text(
                x,
                label_y,
                format_number(v, 0, lang=lang),
                fontsize=_KEY_SMALL_FS,
                ha="center",
                va="bottom",
            )
        y = marker_y + math.sqrt(areas[0]) / 72 / 2 + 0.05
        year = crossings["year"].dropna().unique() if "year" in crossings.columns else []
        sub = (
            text["crossings_sub_year"].format(year=int(year[0]))
            if len(year) == 1
            else text["crossings_sub"]
        )
        y = _stack_text(
            pg,
            left,
            y,
            pg.wrap_text(sub, width, _KEY_SMALL_FS),
            _KEY_SMALL_FS,
            color=MUTED_TEXT_COLOR,
        )
        y = _stack_text(
            pg,
            left,
            y + 0.02,
            pg.wrap_text(text["crossings_header"], width, _SECTION_FS, "bold"),
            _SECTION_FS,
            fontweight="bold",
            gid="crossings-legend",
        )
        y += 0.16

    # candidate symbols: numbered (listed) sites and excluded ones
    cmap = print_cmap()
    symbols = []
    if numbered:
        symbols.append(
            (
                text["top_site"],
                math.sqrt(_CANDIDATE_AREA * _TOP_AREA_FACTOR),
                cmap(0.85),
                "black",
                0.9,
            )
        )
    if any_excluded:
        symbols.append(
            (
                text["excluded"],
                math.sqrt(_CANDIDATE_AREA * _EXCLUDED_AREA_FACTOR),
                EXCLUDED_COLOR,
                "white",
                0.3,
            )
        )
    for label, diameter, face, edge, lw in reversed(symbols):
        lines = pg.wrap_text(label, width - 0.22, _KEY_FS)
        top = _stack_text(pg, left + 0.22, y, lines, _KEY_FS)
        pg.fig.add_artist(
            Line2D(
                [left + 0.09],
                [top - _KEY_FS * _KEY_LINE / 72 / 2],
                marker="o",
                markersize=diameter,
                markerfacecolor=face,
                markeredgecolor=edge,
                markeredgewidth=lw,
                linestyle="none",
                transform=pg.inch,
            )
        )
        y = top + 0.03
    if symbols:
        y += 0.1

    # score colour bar, over the run's range
    lo, hi = (format_number(v, 0, lang=lang) for v in (norm.vmin, norm.vmax))
    y = _stack_text(
        pg,
        left,
        y,
        pg.wrap_text(text["score_range"].format(low=lo, high=hi), width, _KEY_SMALL_FS),
        _KEY_SMALL_FS,
        color=MUTED_TEXT_COLOR,
        gid="score-range",
    )
    bar_h = 0.11
    cax = pg.fig.add_axes(pg.rect(left, y + 0.17, width, bar_h))
    ticks = _score_ticks(norm)
    bar = Colorbar(cax, cmap=cmap, norm=norm, orientation="horizontal", ticks=ticks)
    cax.set_xticks(ticks, labels=[format_number(t, 0, lang=lang) for t in ticks])
    bar.outline.set_linewidth(0.4)
    cax.tick_params(labelsize=_COLORBAR_FS, length=2, width=0.4, pad=1.5)
    cax.set_gid("score-colorbar")
    y += 0.17 + bar_h + 0.06
    y = _stack_text(
        pg,
        left,
        y,
        pg.wrap_text(text["score_label"], width, _SECTION_FS, "bold"),
        _SECTION_FS,
        fontweight="bold",
        gid="score-legend",
    )
    return y


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
    pg: _Page,
    notes: list[str],
    credits: list[str],
    states: gpd.GeoDataFrame,
    width: float,
    *,
    lang: str = "en",
) -> list[str]:
    """Wrap notes, credits and the projection and version lines to ``width`` inches."""
    from siting import __version__

    text = STATIC_TEXT_BY_LANG[lang]
    lines: list[str] = []
    if notes:
        lines += pg.wrap([text["notes"] + " " + notes[0], *notes[1:]], width, _FOOTER_FS, "  ")
    if credits:
        lines += pg.wrap([text["credits"] + " " + credits[0], *credits[1:]], width, _FOOTER_FS)
    deg = _max_convergence(states)
    last = [
        text["crs"],
        text["north_caption"].format(deg=deg),
        text["software"].format(version=__version__),
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
