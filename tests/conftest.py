"""Shared fixtures: small real candidate sets built from the bundled data."""

from __future__ import annotations

import os

import geopandas as gpd
import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")
# Property tests draw the same examples on every run and machine (no example database): CI never
# fails by the luck of a draw. Explore with fresh random examples by hand:
#   bash tests/run.sh --hypothesis-profile=explore tests/test_aggregate.py
settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile("deterministic")
os.environ.setdefault("SITING_CACHE_DIR", os.path.join(os.path.dirname(__file__), ".cache"))

#: Real places (municipal seats / industrial cities), lon/lat WGS84.
SMALL_SITES = {
    "Monterrey": (-100.3161, 25.6714),
    "Saltillo": (-101.0053, 25.4232),
    "Querétaro": (-100.3899, 20.5888),
    "Ciudad Juárez": (-106.4245, 31.6904),
    "Tijuana": (-117.0382, 32.5149),
    "Mérida": (-89.6237, 20.9674),
    "Puebla": (-98.2063, 19.0414),
    "Hermosillo": (-110.9559, 29.0729),
}


@pytest.fixture(scope="session")
def small_candidates() -> gpd.GeoDataFrame:
    """Eight real cities as user candidates."""
    names = list(SMALL_SITES)
    lon = [SMALL_SITES[n][0] for n in names]
    lat = [SMALL_SITES[n][1] for n in names]
    return gpd.GeoDataFrame(
        {"name": names, "source": "user"}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )


@pytest.fixture
def candidates_csv(tmp_path):
    """The eight cities as a user CSV file."""
    path = tmp_path / "sites.csv"
    rows = ["name,lon,lat"] + [f"{n},{x},{y}" for n, (x, y) in SMALL_SITES.items()]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
