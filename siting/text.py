"""User-facing text of the siting package, in one place (English edition).

A Spanish edition replaces these tables; code never embeds user-facing strings elsewhere. The
label and description of each criterion live with the criterion, in both languages
(:mod:`siting.criteria`).
"""

from __future__ import annotations

#: How distances were measured, and the road-network messages of a run.
NETWORK_TEXT: dict[str, str] = {
    "straight_line": "straight-line",
    "bundled": "road network (INEGI RNC 2018, truck speeds)",
    "file": "road network ({name}, truck speeds)",
    "download": "road network (OpenStreetMap download: {area}, truck speeds)",
    "download_failed": (
        "cannot download the OpenStreetMap roads of {area} ([network] source = \"download\"): "
        "{error}; check the internet connection and the place name, or give a network file"
    ),
    "progress": "road network",
    "unreachable_all": "no candidate reaches a commercial crossing on the {network}",
    "user_credit": "Road network: {name} (user-supplied)",
    "unreachable": "unreachable by road: no commercial crossing reachable (site {km:.1f} km from the network)",
    "needs_network": (
        "[weights] {name} needs a road network but [network] source is {source!r}; "
        'set source = "bundled" or a network file, or use {alternative}'
    ),
}

NOTES: dict[str, str] = {
    "straight_line": (
        "Distances are straight-line (not road distances): the scenario sets [network] "
        'source = "straight-line".'
    ),
    "network": (
        "Times are heavy-truck drive times on the {network}; off-network legs at "
        "{access:g} km/h. Crossings: ports of entry with at least {min_trucks:,} trucks in 2024"
        "{waits}. Labour: people (labour force: economically active, state ENOE share) within "
        "{commute:g} min by road. Homicide rate by municipality; route risk: {indicator} of each "
        "state (state rates) weighted by time spent in it on the way to the crossing. Seaports: "
        "container ports (CGPMM){gateways}."
    ),
    "waits": ", plus the typical waits given ({source})",
    "gateways": ", and Los Angeles/Long Beach and Houston through a crossing (estimated US leg)",
    "rank_range": (
        "Rank range: ranks over {draws} random weight sets around the chosen weights "
        "(Dirichlet, concentration {conc:g}, seed {seed}); best/worst, 5th-95th percentile "
        "(Rank 90%) and share of draws in the top {k}; mean Kendall tau vs this ranking "
        "{tau:.2f}."
    ),
    "unreachable": "{n} candidates cannot reach a commercial crossing by road; they are not ranked.",
    "weights_ahp": "Weights from an AHP pairwise-comparison matrix (consistency ratio at most 0.10).",
    "weights_rank_sum": "Weights from an importance order (rank-sum weights).",
    "weights_roc": "Weights from an importance order (rank-order-centroid weights).",
    "weights_entropy": "Weights computed from the data (entropy: criteria that separate sites more weigh more).",
    "weights_critic": "Weights computed from the data (CRITIC: spread and conflict between criteria).",
    "aggregation_weighted_product": (
        "Scores: weighted product (a weak criterion pulls the whole score down); contributions "
        "are each criterion's share of the score in log terms."
    ),
    "aggregation_topsis": (
        "Scores: TOPSIS closeness to the ideal site x 100; contributions are each criterion's "
        "share of the distance from the worst site."
    ),
    "excluded": "{n} of {total} candidates excluded by constraints ({rules}); they are not ranked.",
}

CLI: dict[str, str] = {
    "description": "Rank candidate manufacturing sites in Mexico for nearshoring, from bundled public data.",
    "run_help": "score and rank candidate sites; write ranking, GeoJSON, maps and a run record",
    "scenario_help": "scenario TOML file (default: the bundled default scenario)",
    "candidates_help": (
        "CSV with name,lon,lat columns or GeoJSON of points with a 'name' property; "
        "replaces the scenario's candidates"
    ),
    "out_help": "output folder (default: the scenario's [output] folder)",
    "online_map_help": "load Leaflet from CDNs instead of inlining it (smaller map.html, needs internet)",
    "quiet_help": "print only errors",
    "error": "siting: error: {message}",
    "scoring": "Scoring {n} candidates with scenario {scenario!r} ...",
    "writing": "Writing {name} ...",
    "top": "Top {n} of {total} candidates ({method}):",
    "top_metros": "Top {n} of {total} metro areas, each with its best site ({method}):",
    "best_outside": "Best site outside any metro area: {name} (rank {rank:.0f}).",
    "sites_hint": "Every site is ranked in ranking.csv; siting run --sites prints the top 10 sites.",
    "sites_help": "print the top 10 sites instead of the top 10 metro areas",
    "wrote": "Wrote {files} to {folder} in {seconds:.1f} s.",
    "interrupted": "siting: interrupted; no outputs were changed",
    "terminated": "siting: terminated (SIGTERM); no outputs were changed",
    "warning": "siting: warning: {message}",
    "note": "siting: note: {message}",
    "no_maps_help": (
        "write ranking.csv, sites.geojson and run.json only, no maps: for more candidates than "
        "the maps take (see docs/robustness.md, Limits)"
    ),
    "force_help": (
        "replace files in the output folder that siting did not write (or that were changed "
        "since); inputs are never replaced"
    ),
    "outside_help": (
        "sites outside Mexico (across the border or at sea): refuse the file (default) or keep "
        "them, marked outside_mexico, with no score"
    ),
    "sensitivity_help": (
        "Monte Carlo over the weights: rank ranges per site and ranking stability; "
        "writes sensitivity.csv, sensitivity.png and sensitivity.json"
    ),
    "compare_help": (
        "side-by-side raw values, 0-1 values, points, rank and rank range of named sites; "
        "writes compare.csv and compare.json (run record)"
    ),
    "names_help": "candidate names (quote names with spaces)",
    "compare_scenario_help": "scenario TOML file (default: the bundled default scenario)",
    "draws_help": "number of weight draws (default: the scenario's [sensitivity] draws)",
    "compare_draws_help": "number of weight draws for the rank range (default: 200)",
    "seed_help": "random seed (default: the scenario's [sensitivity] seed)",
    "sensitivity_running": "Drawing {draws} weight vectors around the scenario's weights ({method}) ...",
    "sensitivity_summary": (
        "Ranking stability over {draws} draws: mean Kendall tau {tau:.3f} (min {tau_min:.3f}), "
        "mean weighted Spearman {rw:.3f}; {leader!r} stays first in {lead:.0%} of draws; "
        "on average {kept:.1f} of the top {k} stay in the top {k}."
    ),
    "sensitivity_top": "Rank ranges of the top {n} sites:",
    "excluded_count": "{n} of {total} candidates excluded (not ranked; see excluded_by in ranking.csv).",
    "network_cached": "Road network: reused cached routing structures ({nodes:,} nodes) from {path}.",
    "network_built": (
        "Road network: built routing structures ({nodes:,} nodes) in {seconds:.1f} s; "
        "cached to {path} for the next run."
    ),
    "network_none": "Road network: none (straight-line distances).",
    "waits_help": (
        "fetch the current US CBP border wait times (commercial trucks) into a waits CSV that a "
        "scenario's [crossing_waits] file = ... can use; needs internet"
    ),
    "waits_out_help": "CSV to write (default: waits.csv)",
    "waits_max_age_help": "reuse a cached snapshot younger than this many minutes (default: 15)",
    "waits_snapshot": "{label}. Minutes of wait for commercial trucks, standard and FAST lanes:",
    "waits_unmatched": "Not a land port of siting's crossing data (ignored by runs): {codes}.",
    "waits_wrote": (
        "Wrote {path}. This is a snapshot of one moment, not a typical wait; to use it add to "
        'your scenario: [crossing_waits] file = "{name}".'
    ),
}

#: Column headings of the top-10 table printed by ``siting run``.
TABLE_HEADINGS: dict[str, str] = {
    "rank": "Rank",
    "name": "Site",
    "state": "State",
    "score": "Score",
    "nearest_crossing": "Nearest crossing",
    "crossing_km": "km",
    "crossing_drive_min": "Truck h:mm",
    "labor_force": "Labour force",
    "rank_range": "Rank 90%",
}

#: Column headings of the top-10 metro table printed by ``siting run``.
METRO_HEADINGS: dict[str, str] = {
    "metro_rank": "Metro rank",
    "metro": "Metro area",
    "state": "State",
    "name": "Best site",
    "site_rank": "Site rank",
    "score": "Score",
    "nearest_crossing": "Crossing",
    "crossing_drive_min": "Truck h:mm",
    "sites": "Sites",
}

#: Text of the sensitivity chart (``sensitivity.png``).
CHART: dict[str, str] = {
    "title": (
        "Rank ranges of the top {n} sites: {draws} weight draws\n"
        "({method}, concentration {conc:g}, seed {seed})"
    ),
    "xlabel": "Rank (1 = best)",
    "median": "median rank",
    "base": "rank with the chosen weights",
    "footer": "Line: best-worst rank; bar: 5th-95th percentile. Mean Kendall tau {tau:.3f}, "
    "mean weighted Spearman {rw:.3f} vs the base ranking.",
}

#: Row labels of ``siting compare`` (``{label}`` and ``{unit}`` come from the criterion).
COMPARE: dict[str, str] = {
    "rank": "Rank",
    "score": "Score (0-100)",
    "excluded_by": "Excluded by",
    "rank_best": "Best rank over weight draws",
    "rank_median": "Median rank over weight draws",
    "rank_worst": "Worst rank over weight draws",
    "top_k_share": "Share of draws in the top {k}",
    "raw": "{label} ({unit})",
    "norm": "  value 0-1",
    "contrib": "  points (weight {weight:.3f})",
    "unknown": "no candidate named {name!r}; close matches: {matches}",
    "unknown_none": "no candidate named {name!r} and no close match; names look like {examples}",
}
