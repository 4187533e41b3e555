"""Static print map of a run, for reports (PNG and PDF).

:func:`static_map` draws one page (letter, tabloid, A4 or A3, landscape or portrait; English or
Spanish): the ranking in EPSG:6372 (INEGI's Lambert Conformal Conic) over the states, coloured on
a colour-blind-safe ramp spanning the run's scores, the commercial border crossings sized by truck
volume, the top candidates numbered on the map and listed with their full names, a score colour
bar, candidate and crossing keys, the criteria and their weights, a scale bar, a north arrow and a
footer with notes, credits and the projection.
:func:`save_static` writes the figure as PNG and PDF without ever leaving a half-written file.

The figure is a plain :class:`matplotlib.figure.Figure` drawn with the Agg canvas: no pyplot, no
global state. Every text built from user data is drawn with ``parse_math=False`` and
``usetex=False``, so a ``$`` in a candidate name is printed as a dollar sign.

Modules, by concept: :mod:`.compose` (:func:`static_map`: input checks and the page's
composition), :mod:`.page` (paper sizes, the figure and its text tools, :func:`save_static`),
:mod:`.layout` (every size, gap and font size), :mod:`.frame` (projection, extent and axes of a
map frame), :mod:`.content` (states, crossings and candidates), :mod:`.labels` (rank labels,
leader lines, crossing names), :mod:`.insets` (lettered detail insets) and :mod:`.furniture`
(title, scale bar, north arrow, list of the best sites, keys and footer).
"""

from siting.maps.static.compose import static_map
from siting.maps.static.page import ORIENTATIONS, PAGE_SIZES, page_size, save_static

__all__ = ["ORIENTATIONS", "PAGE_SIZES", "page_size", "save_static", "static_map"]
