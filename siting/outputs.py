"""Write a run's outputs atomically, with a record of what produced them."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from siting import __version__

if TYPE_CHECKING:  # pragma: no cover - types only
    from siting.result import RunResult

#: Output files, in the order they are written. A contract: other tools rely on these names.
RANKING_CSV = "ranking.csv"
SITES_GEOJSON = "sites.geojson"
MAP_HTML = "map.html"
MAP_PNG = "map.png"
MAP_PDF = "map.pdf"
RUN_RECORD = "run.json"
#: Every file of ``siting run``, in the order they are written.
OUTPUTS = [RANKING_CSV, SITES_GEOJSON, MAP_HTML, MAP_PNG, MAP_PDF, RUN_RECORD]

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
        "siting_version": __version__,
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


def write_staged(
    out_dir: str | os.PathLike[str],
    files: Mapping[str | tuple[str, ...], Callable[..., object]],
    *,
    on_step: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write ``{name: writer(path)}`` into ``out_dir`` atomically and return the paths.

    A writer that makes several files at once is keyed by their names, ``(a, b): writer(pa,
    pb)``. Every writer writes into a hidden staging folder inside ``out_dir``; the files are
    moved into place only when all of them were written, so a failure never leaves a
    half-written set (and never touches the previous outputs). ``on_step(name)`` is called with
    the first name of each writer before it runs.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".siting-staging-", dir=out))
    try:
        names: list[str] = []
        for key, writer in files.items():
            group = (key,) if isinstance(key, str) else key
            if on_step is not None:
                on_step(group[0])
            writer(*(staging / name for name in group))
            names += group
        paths = {}
        for name in names:
            os.replace(staging / name, out / name)
            paths[name] = out / name
        return paths
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_run_record(
    path: Path,
    result: RunResult,
    *,
    outputs: list[str],
    argv: list[str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Write :func:`run_record` of ``result`` as JSON, with ``extra`` sections and ``outputs``."""
    record = run_record(result, argv=argv)
    record.update(extra or {})
    record["outputs"] = outputs
    text = json.dumps(record, indent=2, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")


def _write_ranking_csv(result: RunResult, path: Path) -> None:
    result.ranking.drop(columns="geometry").to_csv(path, index=False, float_format="%.10g")


def _write_sites_geojson(result: RunResult, path: Path) -> None:
    # JSON has no infinity: an unreachable site's drive times are null there ("inf" in the CSV)
    numeric = result.ranking.select_dtypes("number").columns
    geo = result.ranking.copy()
    geo[numeric] = geo[numeric].replace([np.inf, -np.inf], np.nan)
    geo.to_file(path, driver="GeoJSON")


def write_outputs(
    result: RunResult,
    out_dir: str | Path,
    *,
    offline_map: bool = True,
    argv: list[str] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write every output of a run into ``out_dir`` and return their paths.

    ``ranking.csv``, ``sites.geojson``, ``map.html``, ``map.png`` + ``map.pdf`` (one figure) and
    ``run.json``, all or none (:func:`write_staged`).
    """
    from siting.maps import interactive, static  # folium and matplotlib: loaded when needed

    def write_maps(png: Path, pdf: Path) -> None:
        static.save_static(static.static_map(result), png, pdf, dpi=PRINT_DPI)

    files: dict[str | tuple[str, ...], Callable[..., object]] = {
        RANKING_CSV: lambda p: _write_ranking_csv(result, p),
        SITES_GEOJSON: lambda p: _write_sites_geojson(result, p),
        MAP_HTML: lambda p: interactive.save_map(
            interactive.interactive_map(result), p, offline=offline_map
        ),
        (MAP_PNG, MAP_PDF): write_maps,
        RUN_RECORD: lambda p: write_run_record(p, result, argv=argv, outputs=OUTPUTS[:-1]),
    }
    return write_staged(out_dir, files, on_step=on_step)
