"""US–Mexico land ports of entry with 2024 inbound volumes (BTS).

Schema of ``land_ports()`` (EPSG:4326, one row per port, 28 rows):
    ``port_code`` (CBP 4-digit code, str), ``port_name``, ``us_state``, ``mx_twin_city``,
    ``mx_cvegeo`` (Mexican twin municipality), ``mx_cve_ent``, ``trucks`` (inbound trucks 2024),
    ``truck_containers_loaded``, ``trains``, ``personal_vehicles``, ``pedestrians``, ``year``,
    ``geometry`` (BTS port point, on the US side of the border).

``commercial_crossings()`` keeps the ports that handled at least one truck.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd

from siting.layers._data import CRS_GEO, read_csv

PORTS_FILE = "crossings/us_mexico_land_ports_2024_totals.csv"
_COLUMNS = {
    "PORT_CODE": "port_code",
    "PORT_NAME": "port_name",
    "US_STATE": "us_state",
    "MX_TWIN_CITY": "mx_twin_city",
    "MX_CVEGEO_MUN": "mx_cvegeo",
    "MX_CVE_ENT": "mx_cve_ent",
    "TRUCKS": "trucks",
    "TRUCK_CONTAINERS_LOADED": "truck_containers_loaded",
    "TRAINS": "trains",
    "PERSONAL_VEHICLES": "personal_vehicles",
    "PEDESTRIANS": "pedestrians",
    "YEAR": "year",
}


@cache
def _land_ports() -> gpd.GeoDataFrame:
    df = read_csv(
        PORTS_FILE,
        required=[*_COLUMNS, "LAT", "LON"],
        dtype={"PORT_CODE": str, "MX_CVEGEO_MUN": str, "MX_CVE_ENT": str},
    )
    out = pd.DataFrame({new: df[old] for old, new in _COLUMNS.items()})
    out["mx_cvegeo"] = out["mx_cvegeo"].str.zfill(5)
    out["mx_cve_ent"] = out["mx_cve_ent"].str.zfill(2)
    gdf = gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(df["LON"], df["LAT"]), crs=CRS_GEO)
    return gdf.sort_values("trucks", ascending=False).reset_index(drop=True)


def land_ports() -> gpd.GeoDataFrame:
    """Return the 28 US–Mexico land ports, busiest truck port first.

    Examples
    --------
    >>> from siting import layers
    >>> layers.crossings.land_ports().iloc[0]["port_name"]
    'Laredo'
    """
    return _land_ports().copy()


def commercial_crossings(*, min_trucks: int = 1) -> gpd.GeoDataFrame:
    """Return the land ports that handled at least ``min_trucks`` inbound trucks in 2024."""
    ports = _land_ports()
    return ports[ports["trucks"] >= min_trucks].reset_index(drop=True).copy()
