"""User-facing text of the siting package, in one place (English edition).

A Spanish edition replaces these tables; code never embeds user-facing strings elsewhere.
"""

from __future__ import annotations

CRITERION_TEXT: dict[str, dict[str, str]] = {
    "crossing_km": {
        "label": "Distance to commercial border crossing",
        "description": "Straight-line distance to the nearest US–Mexico land port that handles trucks.",
    },
    "crossing_trucks": {
        "label": "Truck volume of that crossing",
        "description": "Inbound trucks handled in 2024 by the nearest commercial crossing (BTS).",
    },
    "labor_pool": {
        "label": "Labour pool",
        "description": "Census 2020 population living within the labour-pool radius.",
    },
    "homicide_rate": {
        "label": "Homicide rate",
        "description": "Victims of intentional homicide per 100,000 inhabitants in the state (SESNSP).",
    },
    "cargo_theft_rate": {
        "label": "Cargo-theft rate",
        "description": "Robbery of cargo carriers (robo a transportista) per 100,000 in the state (SESNSP).",
    },
    "advisory_level": {
        "label": "US travel advisory level",
        "description": "US State Department advisory level of the state (1 normal ... 4 do not travel).",
    },
    "seaport_km": {
        "label": "Distance to seaport",
        "description": "Straight-line distance to the nearest seaport.",
    },
}

NOTES: dict[str, str] = {
    "straight_line": (
        "Distances are straight-line (not road distances); the road network is not used yet."
    ),
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
    "wrote": "Wrote {files} to {folder} in {seconds:.1f} s.",
    "interrupted": "siting: interrupted; no outputs were changed",
}

#: Column headings of the top-10 table printed by ``siting run``.
TABLE_HEADINGS: dict[str, str] = {
    "rank": "Rank",
    "name": "Site",
    "state": "State",
    "score": "Score",
    "nearest_crossing": "Nearest crossing",
    "crossing_km": "km",
    "labor_pool": "Labour pool",
}
