"""User candidate files: CSV and GeoJSON, with clear errors for every kind of mistake."""

from __future__ import annotations

import json

import pytest

from siting import InputError
from siting.candidates import read_candidates


def test_reads_csv(candidates_csv):
    gdf = read_candidates(candidates_csv)
    assert len(gdf) == 8
    assert gdf.crs.to_epsg() == 4326
    assert (gdf["source"] == "user").all()
    assert gdf.loc[gdf["name"] == "Monterrey"].geometry.x.item() == pytest.approx(-100.3161)


def test_reads_geojson(tmp_path):
    path = tmp_path / "s.geojson"
    feats = [
        {"type": "Feature", "properties": {"name": "Saltillo"},
         "geometry": {"type": "Point", "coordinates": [-101.0, 25.42]}},
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    gdf = read_candidates(path)
    assert gdf["name"].tolist() == ["Saltillo"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,lon\nA,-100\n", r"lacks column\(s\) \['lat'\]"),
        ("name,lon,lat\nA,-100,25\nB,abc,25\n", r"row 3: lon is 'abc'; expected a decimal number"),
        ("name,lon,lat\nA,25.6,-100.3\n", r"row 2 \('A'\).*outside Mexico.*swapped"),
        ("name,lon,lat\nA,-100,25\nA,-101,25\n", r"row 3: name 'A' repeats row 2"),
        ("name,lon,lat\n,-100,25\n", r"row 2: name is empty"),
        ("name,lon,lat\n", r"has no rows"),
    ],
)
def test_csv_mistakes_name_the_row(tmp_path, content, message):
    path = tmp_path / "c.csv"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        read_candidates(path)


def test_geojson_needs_points_with_names(tmp_path):
    path = tmp_path / "s.geojson"
    feats = [{"type": "Feature", "properties": {"name": "X"},
              "geometry": {"type": "LineString", "coordinates": [[-100, 25], [-101, 25]]}}]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    with pytest.raises(InputError, match="feature 1: geometry is 'LineString'; expected a Point"):
        read_candidates(path)
    feats[0]["geometry"] = {"type": "Point", "coordinates": [-100, 25]}
    feats[0]["properties"] = {}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    with pytest.raises(InputError, match="feature 1: property 'name' is missing"):
        read_candidates(path)


def test_missing_file_and_wrong_extension(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_candidates(tmp_path / "nope.csv")
    path = tmp_path / "sites.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(InputError, match="extension '.xlsx'"):
        read_candidates(path)
