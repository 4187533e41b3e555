"""The candidate sites: circle markers coloured by score, and their popups.

A popup shows the site's rank, its metropolitan area and that metro's rank, the other names of a
merged park (``aliases``), its score and per-criterion breakdown (value, 0-1 value, weight,
points), where it was measured from, its rank range over weight draws when the ranking has one,
and a button that adds the site to the comparison panel (:mod:`.comparison`). A site's id, shared
by its button and the panel's data, is its position in the ranking. The larger circles are the
best site of each of the top :data:`TOP_N` metros (one per metro, as ``siting run`` lists them),
or the top :data:`TOP_N` sites when the ranking has no metros.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from siting.maps._places import PLACE_NAME, PLACE_RANK, by_metro, top_places
from siting.maps.interactive.formatting import _fmt, _percent, _text, _whole, escape
from siting.maps.style import EXCLUDED_COLOR, score_color
from siting.maps.text import INTERACTIVE_TEXT as T
from siting.maps.text import TEXT

if TYPE_CHECKING:  # pragma: no cover - types only
    from siting.result import CriterionWeight

#: CSS class of the SVG paths of the candidates (used by tests and custom styling).
CANDIDATE_CLASS = "siting-candidate"
#: Circle radius (px) of a candidate, and of the top-ranked ones.
CANDIDATE_RADIUS = 6
TOP_RADIUS = 9
TOP_N = 10
#: CSS class of the popup's button that adds the site to the comparison (or removes it).
COMPARE_BUTTON_CLASS = "siting-compare-toggle"

#: Optional ranking columns from the Monte Carlo weight sensitivity; the rank range is shown
#: when all three are present, the share of draws in the top k when ``top_k_share`` is.
RANGE_COLUMNS = ("rank_best", "rank_median", "rank_worst")
#: Optional 5th-95th percentile ranks over the weight draws (``siting run`` adds them).
P90_COLUMNS = ("rank_p05", "rank_p95")
SHARE_COLUMN = "top_k_share"


def _excluded_mask(ranking: pd.DataFrame) -> pd.Series:
    """Return whether each candidate is excluded (``excluded`` column, or no score)."""
    excluded = (
        ranking["excluded"].fillna(False).astype(bool)
        if "excluded" in ranking.columns
        else pd.Series(False, index=ranking.index)
    )
    return excluded | ranking["score"].isna()


def _has_range(ranking: pd.DataFrame) -> bool:
    """Return whether the ranking has the rank range over weight draws (all three columns)."""
    return all(c in ranking.columns for c in RANGE_COLUMNS)


def _range_text(row: pd.Series, top_k: int | None) -> str:
    """Return the popup line on the rank range over weight draws ('' when not available)."""
    parts = []
    if all(c in row.index and pd.notna(row[c]) for c in RANGE_COLUMNS):
        parts.append(
            T["popup_range"].format(
                best=_whole(row["rank_best"]),
                worst=_whole(row["rank_worst"]),
                median=f"{float(row['rank_median']):g}",
            )
        )
        if all(c in row.index and pd.notna(row[c]) for c in P90_COLUMNS):
            parts.append(
                T["popup_p90"].format(lo=_whole(row["rank_p05"]), hi=_whole(row["rank_p95"]))
            )
    if SHARE_COLUMN in row.index and pd.notna(row[SHARE_COLUMN]):
        share = f"{float(row[SHARE_COLUMN]):.0%}"
        key = "popup_top_k" if top_k else "popup_top_any"
        parts.append(T[key].format(k=top_k, share=share))
    return "; ".join(parts)


def _place_html(row: pd.Series) -> str:
    """Return the popup line naming the site's metro and the metro's rank ('' without metro)."""
    if "metro" not in row.index:
        return ""
    metro = _text(row["metro"])
    if not metro:
        return f"{escape(T['metro'])}: {escape(T['outside_metro'])}"
    rank = row.get("metro_rank")
    text = (
        T["metro_ranked"].format(metro=metro, rank=_whole(rank))
        if rank is not None and pd.notna(rank)
        else metro
    )
    return f"{escape(T['metro'])}: {escape(text)}"


def _popup_html(
    row: pd.Series,
    criteria: Sequence[CriterionWeight],
    excluded: bool,
    *,
    site_id: int,
    top_k: int | None = None,
) -> str:
    """Return the popup of one candidate (HTML; every value escaped)."""
    rank = row["rank"]
    ranked = not excluded and pd.notna(rank)
    head = f"#{int(rank)} · " if ranked else ""
    parts = [
        '<div class="siting-popup">',
        f'<div class="siting-popup-title">{head}{escape(row["name"])}</div>',
        f'<div class="siting-popup-sub">{escape(row["municipality"])}, '
        f"{escape(row['state'])}</div>",
    ]
    place = _place_html(row)
    if place:
        parts.append(f'<div class="siting-popup-metro">{place}</div>')
    aliases = _text(row.get("aliases")).strip()
    if aliases:
        parts.append(
            f'<div class="siting-popup-aliases">{escape(T["aliases"])}: {escape(aliases)}</div>'
        )
    if excluded:
        by = row.get("excluded_by", "")
        by = "" if pd.isna(by) else f": {escape(by)}"
        parts.append(f'<div class="siting-popup-excluded">{escape(T["excluded_by"])}{by}</div>')
    else:
        parts.append(
            f'<div class="siting-popup-score">{escape(TEXT["score"])} '
            f"<b>{_fmt(row['score'])}</b> / 100</div>"
        )
    # near the top: the popup opens above its marker, so its bottom may be under a map box
    parts.append(
        f'<div class="siting-popup-actions"><button type="button" class="{COMPARE_BUTTON_CLASS}"'
        f' data-siting-id="{int(site_id)}" aria-pressed="false">'
        f"{escape(T['compare_add'])}</button></div>"
    )
    parts.append(
        '<table class="siting-breakdown"><thead><tr>'
        f"<th>{escape(T['criterion'])}</th><th>{escape(T['value'])}</th>"
        f"<th>{escape(T['normalized'])}</th><th>{escape(T['weight'])}</th>"
        f"<th>{escape(T['points'])}</th></tr></thead><tbody>"
    )
    for crit in criteria:
        name = crit.name
        parts.append(
            f"<tr><td>{escape(crit.label)}</td><td>{_fmt(row[name], crit.unit)}</td>"
            f"<td>{_fmt(row[f'norm_{name}'])}</td><td>{_percent(crit.weight)}</td>"
            f"<td>{_fmt(row[f'contrib_{name}'])}</td></tr>"
        )
    parts.append(
        f'</tbody><tfoot><tr><td colspan="4">{escape(T["total"])}</td>'
        f"<td>{_fmt(row['score'])}</td></tr></tfoot></table>"
    )
    context = [
        f"{escape(T[key])}: {escape(row[key])}"
        for key in ("nearest_crossing", "nearest_seaport", "distance_method")
        if key in row.index and pd.notna(row[key])
    ]
    if context:
        parts.append(f'<div class="siting-popup-note">{" · ".join(context)}</div>')
    sensitivity = "" if excluded else _range_text(row, top_k)
    if sensitivity:
        parts.append(f'<div class="siting-popup-range">{escape(sensitivity)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _candidates_layer(
    ranking: gpd.GeoDataFrame, criteria: Sequence[CriterionWeight], *, top_k: int | None
) -> folium.FeatureGroup:
    """Return the candidates; site ids (comparison) are positions in ``ranking``."""
    group = folium.FeatureGroup(name=escape(T["layer_candidates"]))
    excluded = _excluded_mask(ranking).to_numpy()
    # the larger circles: the best site of each of the top metros (or the top sites)
    leaders = top_places(ranking.reset_index(drop=True), TOP_N)  # index: site id
    metros = by_metro(ranking)
    leader_at = {
        int(i): (place_rank, metro)
        for i, place_rank, metro in zip(
            leaders.index, leaders[PLACE_RANK], leaders[PLACE_NAME], strict=True
        )
    }
    # excluded first, then worst to best: the best end up on top
    order = ranking.assign(
        _id=np.arange(len(ranking)), _ex=~excluded, _r=-ranking["rank"].fillna(np.inf)
    ).sort_values(["_ex", "_r"], kind="stable")
    for _, row in order.iterrows():
        index = int(row["_id"])
        is_excluded = bool(excluded[row["_id"]])
        top = index in leader_at
        color = EXCLUDED_COLOR if is_excluded else score_color(float(row["score"]))
        label = (
            f"{escape(row['name'])} ({escape(T['excluded'])})"
            if is_excluded or pd.isna(row["rank"])
            else f"#{int(row['rank'])} {escape(row['name'])}"
        )
        if top and metros:
            place_rank, metro = leader_at[index]
            label += " · " + escape(T["top_metro_tip"].format(metro=metro, rank=_whole(place_rank)))
        folium.CircleMarker(
            location=(row.geometry.y, row.geometry.x),
            radius=TOP_RADIUS if top else CANDIDATE_RADIUS,
            color="#222222",
            weight=1.5 if top else 0.8,
            fill=True,
            fill_color=color,
            fill_opacity=0.5 if is_excluded else 0.9,
            class_name=CANDIDATE_CLASS,
            popup=folium.Popup(
                _popup_html(row, criteria, is_excluded, site_id=row["_id"], top_k=top_k),
                max_width=480,
                autoPanPaddingTopLeft=(60, 60),
            ),
            tooltip=folium.Tooltip(label),
        ).add_to(group)
    return group
