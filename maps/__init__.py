"""Maps of a ranking: an interactive browser map (folium) and static figures (matplotlib)."""

from siting.maps.interactive import interactive_map, save_map

# static maps (maps/static.py): the lead re-exports static_map and save_static here

__all__ = ["interactive_map", "save_map"]
