"""User-facing text of the maps package, in one place (English edition).

A Spanish edition replaces these tables; map code never embeds user-facing strings elsewhere.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    "title": "Candidate manufacturing sites in Mexico, ranked",
    "score": "Score",
    "rank": "Rank",
    "credits": "Data",
    "unreachable": "not reachable by road",
}

#: Strings of the interactive (browser) map, :mod:`siting.maps.interactive`.
INTERACTIVE_TEXT: dict[str, str] = {
    "layer_candidates": "Candidate sites",
    "layer_crossings": "Commercial border crossings (trucks 2024)",
    "layer_seaports": "Container ports",
    "layer_labor": "Labour: population density",
    "layer_security": "Security: homicide rate (municipal)",
    "layer_states": "States",
    "criterion": "Criterion",
    "value": "Value",
    "normalized": "Normalized (0–1)",
    "weight": "Weight",
    "points": "Points",
    "total": "Total (score)",
    "excluded": "Excluded",
    "excluded_by": "Excluded by",
    "not_ranked": "not ranked",
    "trucks": "Inbound trucks 2024",
    "port": "Land port",
    "seaport": "Container port",
    "teu_per_year": "Containers per year (TEU, Jan–Apr 2024 × 3)",
    "teu_jan_apr": "Containers Jan–Apr 2024 (TEU)",
    "teu_short": "{teu} TEU/year",
    "legend": "Legend",
    "legend_score": "Score of a candidate site (0–100)",
    "legend_top": "Larger circle: top 10",
    "legend_top_metros": "Larger circle: best site of each of the top {n} metropolitan areas",
    "legend_excluded": "Excluded by a constraint",
    "legend_crossing": "Border crossing; area ∝ trucks",
    "legend_seaport": "Container port; area ∝ containers (TEU)",
    "legend_labor": "Inhabitants per km² (Censo 2020)",
    "legend_security": (
        "Homicides per 100,000 inhabitants (municipal, Jul 2024–Jun 2025, smoothed toward the "
        "state rate)"
    ),
    "no_data": "no data",
    "municipality": "Municipality",
    "state": "State",
    "population": "Population 2020",
    "density": "Inhabitants per km²",
    "homicide_rate": "Homicides per 100,000 (municipal, Jul 2024–Jun 2025, smoothed)",
    "homicide_rate_state": "Homicide victims per 100,000 (state)",
    "cargo_theft_rate": "Cargo thefts per 100,000 (state)",
    "advisory": "US travel advisory (state)",
    "notes": "Notes",
    "nearest_crossing": "Nearest crossing",
    "nearest_seaport": "Nearest container port",
    "metro": "Metropolitan area",
    "metro_ranked": "{metro} (#{rank} among metropolitan areas)",
    "outside_metro": "outside the metropolitan areas",
    "aliases": "Also listed as",
    "top_metro_tip": "best site in {metro} (#{rank} among metropolitan areas)",
    "distance_method": "Distances",
    "basemap_credit": "© OpenStreetMap contributors © CARTO",
    # rank range over the Monte Carlo weight draws (popup and comparison)
    "popup_range": "Rank over weight draws: {best}–{worst} (median {median})",
    "popup_top_k": "in the top {k} in {share} of draws",
    "popup_top_any": "share of draws in the top ranks: {share}",
    "rank_range": "Rank range over weight draws (best–worst)",
    "rank_p90": "90 % of weight draws (5th–95th percentile rank)",
    "popup_p90": "90 % of draws within ranks {lo}–{hi}",
    "range_cell": "{best}–{worst}",
    "rank_median": "Median rank over weight draws",
    "top_k_share": "Share of weight draws in the top {k}",
    "top_k_share_any": "Share of weight draws in the top ranks",
    # comparison of sites selected in the browser
    "compare_add": "Add to comparison",
    "compare_remove": "Remove from comparison",
    "compare_title": "Comparison of selected sites",
    "compare_clear": "Clear",
    "compare_drop": "×",
    "compare_full": "At most {max} sites can be compared side by side; remove one first.",
    "compare_excluded": "excluded: {rule}",
    "compare_excluded_plain": "excluded",
    "compare_criterion": "{label} · weight {weight}",
}

#: Text of the static print map (:mod:`siting.maps.static`). ``{placeholders}`` are filled by
#: the map.
STATIC_TEXT: dict[str, str] = {
    "subtitle": "Top {top_n} of {n_ranked} ranked candidate sites",
    "subtitle_excluded": " · {n_excluded} excluded by constraints",
    "top_header": "Top {n} candidates",
    "subtitle_metros": (
        "Best site of each of the top {top_n} metropolitan areas · "
        "{n_ranked} ranked candidate sites"
    ),
    "top_header_metros": "Top {n} metropolitan areas",
    "site_rank": "site #{rank}",
    "more": "… and {n} more in the ranking table",
    "empty": "No ranked candidates.",
    "score_label": "Score (0–100, higher is better)",
    "candidate": "Candidate site",
    "excluded": "Excluded by a constraint",
    "crossings_header": "Commercial border crossings",
    "crossings_sub": "inbound trucks per year",
    "crossings_sub_year": "inbound trucks in {year}",
    "criteria_header": "Criteria and weights",
    "benefit": "higher is better",
    "cost": "lower is better",
    "notes": "Notes:",
    "credits": "Data:",
    "crs": "Projection: EPSG:6372 — Mexico ITRF2008 / LCC.",
    "north": "N",
    "north_caption": (
        "The arrow points to grid north; true north differs by up to {deg:.0f}° at the map edges."
    ),
    "software": "Map made with siting {version}.",
    "detail": "Detail: {place}",
    "detail_plain": "Detail of the framed area",
}
