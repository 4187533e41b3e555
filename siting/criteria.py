"""Criteria: what is measured for each candidate site, and in which direction it is good.

:data:`CRITERIA` is the registry of every criterion siting knows. Each criterion has a stable
``name`` (the column in ``ranking.csv`` and the key in scenario files), a user-facing ``label`` and
``unit`` (see :mod:`siting.text`) and a ``direction``: ``"benefit"`` (more is better) or
``"cost"`` (less is better).

:func:`compute_criteria` measures them for a GeoDataFrame of candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

import layers
from siting.text import CRITERION_TEXT

Direction = Literal["benefit", "cost"]


@dataclass(frozen=True)
class Criterion:
    """A criterion of the registry."""

    name: str
    direction: Direction
    unit: str

    @property
    def label(self) -> str:
        """User-facing name of the criterion."""
        return CRITERION_TEXT[self.name]["label"]

    @property
    def description(self) -> str:
        """One-sentence user-facing description."""
        return CRITERION_TEXT[self.name]["description"]


CRITERIA: dict[str, Criterion] = {
    c.name: c
    for c in [
        Criterion("crossing_km", "cost", "km"),
        Criterion("crossing_trucks", "benefit", "trucks/yr"),
        Criterion("labor_pool", "benefit", "people"),
        Criterion("homicide_rate", "cost", "per 100k"),
        Criterion("cargo_theft_rate", "cost", "per 100k"),
        Criterion("advisory_level", "cost", "level 1-4"),
        Criterion("seaport_km", "cost", "km"),
    ]
}


@dataclass(frozen=True)
class CriteriaParams:
    """Parameters of the criteria.

    Parameters
    ----------
    labor_radius_km
        Radius of the labour pool: population of localities within this straight-line distance.
    security_year
        Year of the SESNSP indicators; ``None`` takes the latest full year.
    min_trucks
        A land port counts as a commercial crossing if it handled at least this many trucks.
    """

    labor_radius_km: float = 50.0
    security_year: int | None = None
    min_trucks: int = 1


def _xy(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return gdf.geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()


def compute_criteria(
    candidates: gpd.GeoDataFrame, params: CriteriaParams | None = None
) -> pd.DataFrame:
    """Measure every criterion of :data:`CRITERIA` for each candidate.

    Distances are straight-line (great-circle approximated in EPSG:6372) until the road network
    lands; the ``distance_method`` column says so.

    Parameters
    ----------
    candidates
        Points with at least a ``state``-independent geometry column, any CRS.
    params
        Criterion parameters; defaults to :class:`CriteriaParams`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``candidates``: one column per criterion, plus ``CVE_ENT``, ``state``,
        ``CVEGEO``, ``municipality``, ``nearest_crossing``, ``nearest_seaport`` and
        ``distance_method``.
    """
    params = params or CriteriaParams()
    xy = _xy(candidates)
    out = pd.DataFrame(index=candidates.index)

    # where the site is: municipality and state (nearest polygon if it falls on a coastline gap)
    muns = layers.boundaries.municipalities().to_crs(layers.CRS_METRIC)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=layers.CRS_METRIC)
    joined = gpd.sjoin_nearest(pts, muns, how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    out["CVEGEO"] = joined["CVEGEO"].to_numpy()
    out["municipality"] = joined["municipality"].to_numpy()
    out["CVE_ENT"] = joined["CVE_ENT"].to_numpy()
    out["state"] = joined["state"].to_numpy()

    crossings = layers.crossings.commercial_crossings(min_trucks=params.min_trucks)
    dist, idx = cKDTree(_xy(crossings)).query(xy)
    out["crossing_km"] = dist / 1000.0
    out["nearest_crossing"] = crossings["port_name"].to_numpy()[idx]
    out["crossing_trucks"] = crossings["trucks"].to_numpy()[idx].astype(float)

    pop = layers.labor.population_points()
    tree = cKDTree(_xy(pop))
    weights = pop["population"].to_numpy()
    hits = tree.query_ball_point(xy, r=params.labor_radius_km * 1000.0)
    out["labor_pool"] = [float(weights[h].sum()) for h in hits]

    sec = layers.security.state_security(params.security_year).set_index("CVE_ENT")
    for col in ("homicide_rate", "cargo_theft_rate", "advisory_level"):
        out[col] = out["CVE_ENT"].map(sec[col]).astype(float)

    ports = layers.transport.seaports()
    dist, idx = cKDTree(_xy(ports)).query(xy)
    out["seaport_km"] = dist / 1000.0
    out["nearest_seaport"] = ports["name"].to_numpy()[idx]
    out["distance_method"] = "straight-line"
    return out
