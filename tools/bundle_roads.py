"""Bundle the national road network (INEGI RNC 2018) as a compact GeoParquet file.

One-off conversion, reproducible from the project's shared data catalogue::

    .venv/bin/python tools/bundle_roads.py \
        ../shared/data/roads/mx_highways_rnc2018.gpkg \
        layers/data/roads/mx_highways_rnc2018.parquet

What it does (and nothing else):

- keeps the columns that ``siting.layers.roads`` reads (``layers.roads.NATIONAL_COLUMNS``);
  drops the rest, e.g. ``time_min`` (it is ``len_km / speed_kmh``);
- rounds coordinates to 1e-5 degrees (about 1 m; the source geometry is already simplified to
  about 1 km), which keeps line ends that share a node identical;
- checks that every line starts on its ``u`` node and ends on its ``v`` node at one coordinate
  per node (the contract ``layers.roads.national_graph`` relies on);
- writes GeoParquet with zstd compression, sorted by ``u`` for locality.

The input's sha256 is checked against the value in its ``SOURCE.md`` unless ``--no-check``.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting import layers

SOURCE_SHA256 = "134fbec7435bafefdb52b7943c67db917abbbd3934fc6ab16440c83924a0208c"
DECIMALS = 5

log = logging.getLogger("bundle_roads")


def sha256(path: Path) -> str:
    """Return the hex sha256 of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def node_table(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return one (x, y) per node id from line ends; raise if a node has two positions."""
    geoms = gdf.geometry.to_numpy()
    first = shapely.get_point(geoms, 0)
    last = shapely.get_point(geoms, -1)
    ends = pd.DataFrame(
        {
            "node": np.r_[gdf["u"].to_numpy(), gdf["v"].to_numpy()],
            "x": np.r_[shapely.get_x(first), shapely.get_x(last)],
            "y": np.r_[shapely.get_y(first), shapely.get_y(last)],
        }
    )
    spread = ends.groupby("node")[["x", "y"]].agg(lambda s: s.max() - s.min())
    if (spread.to_numpy() > 0).any():
        bad = spread[(spread > 0).any(axis=1)].index[:10].tolist()
        msg = f"line ends disagree on the position of node(s) {bad}"
        raise ValueError(msg)
    return ends.drop_duplicates("node").set_index("node")


def convert(src: Path, dst: Path) -> gpd.GeoDataFrame:
    """Read ``src`` (the shared GeoPackage), slim it down and write GeoParquet ``dst``."""
    gdf = gpd.read_file(src)
    columns = list(layers.roads.NATIONAL_COLUMNS)
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        msg = f"{str(src)!r} lacks column(s) {missing}; found {list(gdf.columns)}"
        raise ValueError(msg)
    gdf = gdf[columns].copy()
    coords = shapely.get_coordinates(gdf.geometry.to_numpy())
    gdf["geometry"] = shapely.set_coordinates(
        gdf.geometry.to_numpy().copy(), coords.round(DECIMALS)
    )
    gdf["speed_kmh"] = gdf["speed_kmh"].astype("int16")
    gdf["u"] = gdf["u"].astype("int64")
    gdf["v"] = gdf["v"].astype("int64")
    gdf["lanes"] = gdf["lanes"].astype("float32")
    nodes = node_table(gdf)
    gdf = gdf.sort_values(["u", "v"], kind="stable").reset_index(drop=True)
    dst.parent.mkdir(parents=True, exist_ok=True)
    gdf.to_parquet(dst, compression="zstd", index=False, schema_version="1.0.0")
    log.info(
        "wrote %r: %d lines, %d nodes, %.2f MB",
        str(dst),
        len(gdf),
        len(nodes),
        dst.stat().st_size / 1e6,
    )
    return gdf


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="shared/data/roads/mx_highways_rnc2018.gpkg")
    parser.add_argument("dst", type=Path, help="layers/data/roads/mx_highways_rnc2018.parquet")
    parser.add_argument("--no-check", action="store_true", help="skip the sha256 check")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.no_check:
        digest = sha256(args.src)
        if digest != SOURCE_SHA256:
            log.error("sha256 of %r is %s, expected %s", str(args.src), digest, SOURCE_SHA256)
            return 1
    convert(args.src, args.dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
