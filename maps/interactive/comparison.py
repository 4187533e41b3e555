"""The comparison panel: the sites a person picks in the browser, side by side.

The same table as ``siting compare`` (rank, rank range over weight draws when the ranking has
it, score, and each criterion's value, 0-1 value and points) for up to :data:`COMPARE_MAX` sites
chosen with the popups' buttons. Python formats every cell (:func:`_compare_data`); the page's
script (``assets/comparison.js``) only lays them out, with ``textContent``, so names and rules
can never become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from siting.maps.interactive.formatting import (
    _number,
    _percent,
    _range_cell,
    _text,
    _whole,
    script_json,
)
from siting.maps.interactive.popups import (
    COMPARE_BUTTON_CLASS,
    P90_COLUMNS,
    SHARE_COLUMN,
    _excluded_mask,
    _has_range,
)
from siting.maps.interactive.resources import asset_text
from siting.maps.style import SELECTED_COLOR
from siting.maps.text import INTERACTIVE_TEXT as T
from siting.maps.text import TEXT

if TYPE_CHECKING:  # pragma: no cover - types only
    from siting.result import CriterionWeight

#: Most sites the comparison panel shows side by side.
COMPARE_MAX = 6
#: CSS class of the comparison panel.
COMPARE_PANEL_CLASS = "siting-compare"


def _compare_data(
    ranking: pd.DataFrame, criteria: Sequence[CriterionWeight], *, top_k: int | None
) -> dict[str, Any]:
    """Return the comparison panel's data: row headings and, per site id, its formatted cells.

    Rows follow ``siting compare``; each has the ``field`` of ``ranking.csv`` it shows
    (``rank_range`` is best to worst), or ``None`` for a criterion's heading. Cells are plain text,
    formatted like the popups. Site ids are positions in ``ranking``, as in the popups' buttons.
    """
    rows: list[dict[str, Any]] = [{"field": "rank", "label": TEXT["rank"]}]
    has_range = _has_range(ranking)
    has_share = SHARE_COLUMN in ranking.columns
    has_p90 = has_range and all(c in ranking.columns for c in P90_COLUMNS)
    if has_range:
        rows.append({"field": "rank_range", "label": T["rank_range"]})
        if has_p90:
            rows.append({"field": "rank_p90", "label": T["rank_p90"]})
        rows.append({"field": "rank_median", "label": T["rank_median"]})
    if has_share:
        label = T["top_k_share"].format(k=top_k) if top_k else T["top_k_share_any"]
        rows.append({"field": SHARE_COLUMN, "label": label})
    rows.append({"field": "score", "label": TEXT["score"]})
    for crit in criteria:
        name = crit.name
        heading = T["compare_criterion"].format(label=crit.label, weight=_percent(crit.weight))
        rows += [
            {"field": None, "label": heading},
            {"field": name, "label": T["value"]},
            {"field": f"norm_{name}", "label": T["normalized"]},
            {"field": f"contrib_{name}", "label": T["points"]},
        ]
    excluded = _excluded_mask(ranking).to_numpy()
    sites: dict[str, dict[str, Any]] = {}
    for i, (_, row) in enumerate(ranking.iterrows()):
        if excluded[i]:
            rule = _text(row.get("excluded_by"))
            rank = T["compare_excluded"].format(rule=rule) if rule else T["compare_excluded_plain"]
        elif pd.isna(row["rank"]):
            rank = T["not_ranked"]
        else:
            rank = _whole(row["rank"])
        cells = {"rank": rank, "score": _number(row["score"])}
        if has_range:
            cells["rank_range"] = _range_cell(row["rank_best"], row["rank_worst"])
            median = row["rank_median"]
            cells["rank_median"] = "—" if pd.isna(median) else f"{float(median):g}"
        if has_p90:
            cells["rank_p90"] = _range_cell(row["rank_p05"], row["rank_p95"])
        if has_share:
            share = row[SHARE_COLUMN]
            cells[SHARE_COLUMN] = "—" if pd.isna(share) else f"{float(share):.0%}"
        for crit in criteria:
            name = crit.name
            cells[name] = _number(row[name], _text(crit.unit))
            cells[f"norm_{name}"] = _number(row[f"norm_{name}"])
            cells[f"contrib_{name}"] = _number(row[f"contrib_{name}"])
        place = ", ".join(t for t in (_text(row["municipality"]), _text(row["state"])) if t)
        sites[str(i)] = {
            "name": _text(row["name"]),
            "place": place,
            "excluded": bool(excluded[i]),
            "cells": cells,
        }
    text = {
        "title": T["compare_title"],
        "clear": T["compare_clear"],
        "add": T["compare_add"],
        "remove": T["compare_remove"],
        "drop": T["compare_drop"],
        "full": T["compare_full"].format(max=COMPARE_MAX),
    }
    return {"max": COMPARE_MAX, "rows": rows, "sites": sites, "text": text}


class _Comparison(MacroElement):
    """The comparison panel and the popups' add/remove buttons (see :func:`_compare_data`).

    Inlines ``assets/comparison.js`` and installs it on the map, with the candidates' group and
    the data embedded with :func:`script_json`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        sitingComparison.install(
            {{ this._parent.get_name() }}, {{ this.group }}, {{ this.data }}, {{ this.options }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, *, group: str, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "SitingComparison"
        self.group = group
        self.data = script_json(data)
        self.options = script_json(
            {
                "buttonClass": COMPARE_BUTTON_CLASS,
                "panelClass": COMPARE_PANEL_CLASS,
                "selectedColor": SELECTED_COLOR,
            }
        )
        self.code = asset_text("comparison.js")
