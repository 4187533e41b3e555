"""Interactive browser map of a ranking (folium / Leaflet), savable as one offline HTML file.

:func:`interactive_map` returns the folium map of a run: one page holding the run's data, which
its JavaScript draws and re-scores in the browser (live weights and aggregation method, the
ranking table with filters and search, a shortlist compared side by side, CSV and scenario-TOML
exports, a link that reopens the same view, Spanish and English). :func:`save_map` writes it
atomically; by default as a single self-contained file that works without network (see
:mod:`siting.maps._offline`).

Every string that reaches HTML is escaped: the page data is embedded as JSON made safe for a
``<script>`` element (:func:`script_json`), and the page's script builds every element with
``textContent``.

Modules
-------
:mod:`.page`
    The folium map and the page element; :func:`interactive_map` and :func:`save_map`.
:mod:`.data`
    The page data: sites as column arrays, criteria, scenario, notes, texts.
:mod:`.context`
    The context layers drawn offline: land, roads, places, the US side, choropleths, crossings
    and ports.
:mod:`.codec`
    Encoded polylines: compact coordinates for the page.
:mod:`.formatting`
    HTML and ``<script>`` escaping; numbers formatted for people.
:mod:`.resources`
    The page's JavaScript and CSS (``assets/``), inlined into the page.
"""

from siting.maps.interactive.formatting import escape, script_json
from siting.maps.interactive.page import (
    AREA_PANE,
    BACKGROUND_COLOR,
    BASE_PANE,
    BASEMAP_URL,
    CRITERION_KEYS,
    LAYER_KEYS,
    REQUIRED_COLUMNS,
    SHORTLIST_MAX,
    WHY_ALL_MAX,
    WHY_TOP,
    interactive_map,
    render_page,
    save_map,
    why_data,
    why_sites,
)

__all__ = [
    "AREA_PANE",
    "BACKGROUND_COLOR",
    "BASEMAP_URL",
    "BASE_PANE",
    "CRITERION_KEYS",
    "LAYER_KEYS",
    "REQUIRED_COLUMNS",
    "SHORTLIST_MAX",
    "WHY_ALL_MAX",
    "WHY_TOP",
    "escape",
    "interactive_map",
    "render_page",
    "save_map",
    "script_json",
    "why_data",
    "why_sites",
]
