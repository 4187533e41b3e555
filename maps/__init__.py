"""Maps of a ranking: an interactive browser map (folium) and static print maps (matplotlib).

Both take a :class:`siting.RunResult`: :func:`interactive_map` returns the folium map that
``map.html`` saves (:func:`save_map`), :func:`static_map` the figure that ``map.png`` and
``map.pdf`` save (:func:`save_static`). The maps never compute scores.
"""

from siting.maps.interactive import interactive_map, save_map
from siting.maps.static import save_static, static_map

__all__ = ["interactive_map", "save_map", "save_static", "static_map"]
