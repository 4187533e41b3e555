"""Geospatial layers for Mexican site selection, built from bundled public data.

One module per layer; every function returns a (Geo)DataFrame with a documented schema.
"""

from siting.layers import boundaries, crossings, labor, roads, security, settings, sites, transport
from siting.layers._data import CRS_GEO, CRS_METRIC, credits, data_path, package_version, sources
from siting.layers._errors import DataError

__version__ = package_version()

__all__ = [
    "CRS_GEO",
    "CRS_METRIC",
    "DataError",
    "__version__",
    "boundaries",
    "credits",
    "crossings",
    "data_path",
    "labor",
    "roads",
    "security",
    "settings",
    "sites",
    "sources",
    "transport",
]
