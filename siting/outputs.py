"""Write a run's outputs atomically, with a record of what produced them."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from siting.result import RunResult

#: Output files, in the order they are written. A contract: other tools rely on these names.
RANKING_CSV = "ranking.csv"
SITES_GEOJSON = "sites.geojson"
MAP_HTML = "map.html"
MAP_PNG = "map.png"
MAP_PDF = "map.pdf"
RUN_RECORD = "run.json"

#: Resolution of ``map.png``: print quality (``map.pdf`` is vector).
PRINT_DPI = 300


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_record(result: RunResult, *, argv: list[str] | None = None) -> dict[str, Any]:
    """Return what produced a run: scenario as resolved, data sources, software versions."""
    scenario = result.scenario.resolved()
    inputs: dict[str, Any] = {}
    source = result.scenario.candidates.source
    if source != "default" and Path(source).is_file():
        inputs["candidates"] = {"path": source, "sha256": _sha256(Path(source))}
    net = result.scenario.network
    if not net.straight_line and not net.bundled and Path(net.source).is_file():
        inputs["road_network"] = {"path": net.source, "sha256": _sha256(Path(net.source))}
    return {
        "siting_version": _version("siting"),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": argv if argv is not None else sys.argv,
        "scenario": scenario,
        "inputs": inputs,
        "candidates": len(result.ranking),
        "notes": result.notes,
        "criteria": [c.as_dict() for c in result.criteria],
        "road_network": result.network.as_dict(),
        "rank_stability": {} if result.stability is None else result.stability.as_dict(),
        "data_sources": result.sources,
        "software": {
            "python": platform.python_version(),
            **{
                d: _version(d)
                for d in (
                    "geopandas",
                    "shapely",
                    "pyproj",
                    "pandas",
                    "numpy",
                    "scipy",
                    "folium",
                    "matplotlib",
                    "osmnx",
                )
            },
        },
    }


def write_outputs(
    result: RunResult,
    out_dir: str | Path,
    *,
    offline_map: bool = True,
    argv: list[str] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write every output of a run into ``out_dir`` and return their paths.

    Files are first written into a hidden staging folder inside ``out_dir`` and moved into place
    only when all of them were written, so a failure never leaves a half-written set.
    """
    from siting.maps.interactive import interactive_map, save_map
    from siting.maps.static import save_static, static_map

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".siting-staging-", dir=out))
    step = on_step or (lambda _name: None)
    try:
        table = result.ranking.drop(columns="geometry")
        step(RANKING_CSV)
        table.to_csv(staging / RANKING_CSV, index=False, float_format="%.10g")
        step(SITES_GEOJSON)
        # JSON has no infinity: an unreachable site's drive times are null there ("inf" in the CSV)
        numeric = result.ranking.select_dtypes("number").columns
        geo = result.ranking.copy()
        geo[numeric] = geo[numeric].replace([np.inf, -np.inf], np.nan)
        geo.to_file(staging / SITES_GEOJSON, driver="GeoJSON")
        step(MAP_HTML)
        fmap = interactive_map(result)
        save_map(fmap, staging / MAP_HTML, offline=offline_map)
        step(MAP_PNG)
        fig = static_map(result)
        save_static(fig, staging / MAP_PNG, staging / MAP_PDF, dpi=PRINT_DPI)
        step(RUN_RECORD)
        record = run_record(result, argv=argv)
        record["outputs"] = [RANKING_CSV, SITES_GEOJSON, MAP_HTML, MAP_PNG, MAP_PDF]
        (staging / RUN_RECORD).write_text(
            json.dumps(record, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
        paths = {}
        for name in (RANKING_CSV, SITES_GEOJSON, MAP_HTML, MAP_PNG, MAP_PDF, RUN_RECORD):
            os.replace(staging / name, out / name)
            paths[name] = out / name
        return paths
    finally:
        shutil.rmtree(staging, ignore_errors=True)
