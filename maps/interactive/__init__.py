"""Interactive browser map of a ranking (folium / Leaflet), savable as one offline HTML file.

:func:`interactive_map` draws a run's ranked candidates (circles coloured by score, a popup with
the metro and the per-criterion breakdown; larger circles for the best site of each of the top
metros), the commercial border crossings (circle area proportional to trucks), the container
ports (circle area proportional to containers) and two municipal choropleths (labour: population
density; security: municipal homicide rate), with a layer control, a legend, the data credits
and the run's notes. Each popup has a button that adds the site to a comparison panel: the same
side-by-side table as ``siting compare`` (rank, rank range over weight draws when the ranking
has it, score, and each criterion's value, 0-1 value and points) for the sites a person picks in
the browser.
:func:`save_map` writes the map atomically; by default as a single self-contained file that
works without network (see :mod:`siting.maps._offline`).

Every string that reaches HTML goes through :func:`escape`: candidate names are user input. The
comparison's data is embedded as JSON made safe for a ``<script>`` element
(:func:`script_json`), and the panel is built with ``textContent`` only.

Modules
-------
:mod:`.layers`
    Context layers: states, labour and security choropleths, crossings, container ports.
:mod:`.popups`
    Candidate markers and their popups.
:mod:`.comparison`
    The comparison panel and its data.
:mod:`.page`
    Basemap, title, legend, notes and credits; :func:`interactive_map` and :func:`save_map`.
:mod:`.formatting`
    HTML and ``<script>`` escaping; numbers and ranks formatted for people.
:mod:`.resources`
    The page's JavaScript and CSS (``assets/``), inlined into the page.
"""

from siting.maps.interactive.comparison import COMPARE_MAX, COMPARE_PANEL_CLASS
from siting.maps.interactive.formatting import _number, escape, script_json
from siting.maps.interactive.layers import (
    AREA_PANE,
    BASE_PANE,
    COORD_DECIMALS,
    CROSSING_CLASS,
    CROSSING_COLOR,
    CROSSING_RADIUS,
    LAND_COLOR,
    LAYER_KEYS,
    MUNICIPAL_SIMPLIFY_TOLERANCE_M,
    SEAPORT_CLASS,
    SEAPORT_COLOR,
    SEAPORT_RADIUS,
    SIMPLIFY_TOLERANCE_M,
)
from siting.maps.interactive.page import (
    BACKGROUND_COLOR,
    BASEMAP_URL,
    CRITERION_KEYS,
    REQUIRED_COLUMNS,
    interactive_map,
    save_map,
)
from siting.maps.interactive.popups import (
    CANDIDATE_CLASS,
    CANDIDATE_RADIUS,
    COMPARE_BUTTON_CLASS,
    P90_COLUMNS,
    RANGE_COLUMNS,
    SHARE_COLUMN,
    TOP_N,
    TOP_RADIUS,
)

__all__ = [
    "AREA_PANE",
    "BACKGROUND_COLOR",
    "BASEMAP_URL",
    "BASE_PANE",
    "CANDIDATE_CLASS",
    "CANDIDATE_RADIUS",
    "COMPARE_BUTTON_CLASS",
    "COMPARE_MAX",
    "COMPARE_PANEL_CLASS",
    "COORD_DECIMALS",
    "CRITERION_KEYS",
    "CROSSING_CLASS",
    "CROSSING_COLOR",
    "CROSSING_RADIUS",
    "LAND_COLOR",
    "LAYER_KEYS",
    "MUNICIPAL_SIMPLIFY_TOLERANCE_M",
    "P90_COLUMNS",
    "RANGE_COLUMNS",
    "REQUIRED_COLUMNS",
    "SEAPORT_CLASS",
    "SEAPORT_COLOR",
    "SEAPORT_RADIUS",
    "SHARE_COLUMN",
    "SIMPLIFY_TOLERANCE_M",
    "TOP_N",
    "TOP_RADIUS",
    "_number",
    "escape",
    "interactive_map",
    "save_map",
    "script_json",
]
