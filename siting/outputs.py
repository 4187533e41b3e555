"""Write a run's outputs atomically, with a record of what produced them."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from siting import __version__
from siting._csv import escape_formulas
from siting._errors import OutputError
from siting.layers.settings import process_alive

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
#: The files of ``siting run --no-maps``.
TABLE_OUTPUTS = [RANKING_CSV, SITES_GEOJSON, RUN_RECORD]

#: Resolution of ``map.png``: print quality (``map.pdf`` is vector).
PRINT_DPI = 300

#: Record files of the commands (``siting run``, ``sensitivity``, ``compare``). Each lists the
#: files its command wrote with their SHA-256 (``files``): how siting knows a file is its own.
RECORDS = (RUN_RECORD, "sensitivity.json", "compare.json")

#: Prefix of the hidden staging folders of :func:`write_staged`: ``.siting-staging-<pid>-<random>``.
STAGING_PREFIX = ".siting-staging-"

#: When this process started (a staging folder without a pid older than this is stale).
_STARTED = time.time()

#: ``errno`` values of a write that failed for lack of room or rights: reported as user errors.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


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


def run_inputs(scenario: Any) -> dict[str, Path]:
    """Return the files a scenario reads, ``{what: path}``: outputs must never replace them."""
    found: dict[str, Path] = {}
    here = Path(scenario.path)
    if here.is_file():
        found["scenario"] = here
    if scenario.candidates.source != "default":
        found["candidates"] = Path(scenario.candidates.source)
    net = scenario.network
    if not net.straight_line and not net.bundled and not net.download:
        found["road network"] = Path(net.source)
    waits = (scenario.data.get("crossing_waits") or {}).get("file")
    if isinstance(waits, str) and waits.strip():
        found["crossing waits"] = Path(waits) if Path(waits).is_absolute() else here.parent / waits
    return found


def remove_stale_staging(out_dir: str | os.PathLike[str]) -> list[Path]:
    """Remove the staging folders that killed runs left in ``out_dir``; return them.

    A folder ``.siting-staging-<pid>-…`` is stale when that process is gone; one without a pid
    (older siting) when it is older than this process. Live runs' folders are kept.
    """
    out = Path(out_dir)
    removed = []
    try:
        found = [p for p in out.glob(STAGING_PREFIX + "*") if p.is_dir()]
    except OSError:
        return removed
    for folder in found:
        head = folder.name[len(STAGING_PREFIX) :].split("-", 1)[0]
        if head.isdigit():
            stale = not process_alive(int(head))
        else:
            try:
                stale = folder.stat().st_mtime < _STARTED
            except OSError:
                continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def owned_files(out_dir: str | os.PathLike[str]) -> dict[str, str | None]:
    """Return the files of ``out_dir`` that siting wrote: ``{name: sha256}``.

    Read from the records of earlier runs (:data:`RECORDS`); the SHA-256 is None for a file a
    record lists without one (records written before output hashes were kept, or the record
    itself).
    """
    out = Path(out_dir)
    owned: dict[str, str | None] = {}
    for name in RECORDS:
        try:
            data = json.loads((out / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if not isinstance(data, dict) or "siting_version" not in data:
            continue  # not a siting record: the user's own file of that name
        owned[name] = None
        listed = data.get("outputs")
        for item in listed if isinstance(listed, list) else []:
            if isinstance(item, str):
                owned.setdefault(item, None)
        files = data.get("files")
        for item, info in (files if isinstance(files, dict) else {}).items():
            if isinstance(info, dict) and isinstance(info.get("sha256"), str):
                owned[str(item)] = info["sha256"]
    return owned


def check_output_folder(
    out_dir: str | os.PathLike[str],
    names: Iterable[str],
    *,
    inputs: Mapping[str, str | os.PathLike[str] | None] | None = None,
    force: bool = False,
) -> None:
    """Check, before any work, that the files ``names`` can be written into ``out_dir``.

    Refused: ``out_dir`` is a file or cannot be created or written; one of the files would be
    an input (``inputs``: ``{what: path}``, e.g. ``{"candidates": "sites.csv"}``; refused even
    with ``force``: siting never touches its inputs) or a folder; an existing file that siting
    did not write, or that was changed since (see :func:`owned_files`), unless ``force``.

    Raises
    ------
    siting.OutputError
        Naming the folder or file, the problem and what to do.
    """
    out = Path(out_dir)
    names = list(names)
    if out.exists() and not out.is_dir():
        msg = f"output folder {str(out)!r} is a file; pass a folder with --out"
        raise OutputError(msg)
    for what, path in (inputs or {}).items():
        if path is None or not Path(path).exists():
            continue
        for name in names:
            target = out / name
            if target.exists() and os.path.samefile(target, path):
                msg = (
                    f"writing {name!r} into {str(out)!r} would replace your input {what} "
                    f"{str(path)!r}; siting never modifies its inputs: choose another --out"
                )
                raise OutputError(msg)
    if out.is_dir():
        owned = None
        foreign, changed = [], []
        for name in names:
            target = out / name
            if target.is_dir():
                msg = f"{str(target)!r} is a folder where siting writes a file; move it away"
                raise OutputError(msg)
            if not target.exists() or force:
                continue
            owned = owned_files(out) if owned is None else owned
            if name not in owned:
                foreign.append(name)
            elif owned[name] is not None and _sha256(target) != owned[name]:
                changed.append(name)
        if foreign or changed:
            parts = []
            if foreign:
                parts.append(f"{', '.join(foreign)} (not written by siting)")
            if changed:
                parts.append(f"{', '.join(changed)} (changed since siting wrote it)")
            msg = (
                f"output folder {str(out)!r} holds {' and '.join(parts)}; siting would replace "
                "it: move it away, choose another --out, or pass --force to replace it"
            )
            raise OutputError(msg)
    _probe_writable(out)


def _probe_writable(out: Path) -> None:
    """Create ``out`` (if needed) and a file in it, then undo both; raise OutputError if not."""
    created = []
    for folder in [out, *out.parents]:
        if folder.exists():
            break
        created.append(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=STAGING_PREFIX + f"{os.getpid()}-probe-", dir=out)
        os.close(fd)
        os.remove(probe)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        msg = f"cannot write into output folder {str(out)!r}: {reason}; choose another --out"
        raise OutputError(msg) from None
    finally:
        for folder in created:  # leave no empty folder behind a check
            try:
                folder.rmdir()
            except OSError:
                break


def _write_failed(out: Path, name: str | None, exc: OSError) -> OutputError:
    """Return the error of a write into ``out`` (of the file ``name``; None: the folder)."""
    reason = exc.strerror or str(exc)
    hint = "free some space" if exc.errno in {errno.ENOSPC, errno.EDQUOT} else "check the folder"
    what = "into" if name is None else f"{name!r} into"
    msg = (
        f"could not write {what} {str(out)!r}: {reason}; {hint} or choose another --out "
        "(nothing was written; earlier outputs are unchanged)"
    )
    return OutputError(msg)


def write_staged(
    out_dir: str | os.PathLike[str],
    files: Mapping[str | tuple[str, ...], Callable[..., object]],
    *,
    on_step: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write ``{name: writer(path)}`` into ``out_dir`` atomically and return the paths.

    A writer that makes several files at once is keyed by their names, ``(a, b): writer(pa,
    pb)``. Every writer writes into a hidden staging folder inside ``out_dir``
    (``.siting-staging-<pid>-…``); the files are moved into place only when all of them were
    written, so a failure never leaves a half-written set (and never touches the previous
    outputs). The staging folder is removed on any exit; those of killed runs are removed by
    the next write (:func:`remove_stale_staging`). ``on_step(name)`` is called with the first
    name of each writer before it runs.

    Raises
    ------
    siting.OutputError
        If the folder cannot be created or the disk is full (or read-only, or forbidden).
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(out)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
    except OSError as exc:
        raise _write_failed(out, None, exc) from None
    try:
        names: list[str] = []
        for key, writer in files.items():
            group = (key,) if isinstance(key, str) else key
            if on_step is not None:
                on_step(group[0])
            try:
                writer(*(staging / item for item in group))
            except OSError as exc:
                if isinstance(exc, OutputError) or exc.errno not in _WRITE_ERRNOS:
                    raise
                raise _write_failed(out, group[0], exc) from None
            names += group
        paths = {}
        for item in names:
            os.replace(staging / item, out / item)
            paths[item] = out / item
        return paths
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def file_hashes(paths: Iterable[str | os.PathLike[str]]) -> dict[str, dict[str, Any]]:
    """Return ``{file name: {"sha256": …, "bytes": …}}`` of written files (for the run record)."""
    return {
        Path(p).name: {"sha256": _sha256(Path(p)), "bytes": Path(p).stat().st_size} for p in paths
    }


def write_run_record(
    path: Path,
    result: RunResult,
    *,
    outputs: list[str],
    argv: list[str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Write :func:`run_record` of ``result`` as JSON, with ``extra`` sections and ``outputs``.

    ``files`` gives the size and SHA-256 of each of ``outputs`` found beside ``path``: what ties
    the outputs to the run, and how a later run knows they are siting's (:func:`owned_files`).
    """
    record = run_record(result, argv=argv)
    record.update(extra or {})
    record["outputs"] = outputs
    # the files written beside the record (same staging folder): their hashes make them siting's
    record["files"] = file_hashes(path.parent / n for n in outputs if (path.parent / n).is_file())
    text = json.dumps(record, indent=2, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")


def _write_ranking_csv(result: RunResult, path: Path) -> None:
    table = escape_formulas(result.ranking.drop(columns="geometry"))
    table.to_csv(path, index=False, float_format="%.10g")


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
    force: bool = False,
    maps: bool = True,
    lang: str = "en",
) -> dict[str, Path]:
    """Write every output of a run into ``out_dir`` and return their paths.

    ``lang`` (``"es"`` or ``"en"``) is the language ``map.html`` opens in and that of
    ``map.png`` and ``map.pdf``.

    ``ranking.csv``, ``sites.geojson``, ``map.html``, ``map.png`` + ``map.pdf`` (one figure) and
    ``run.json``, all or none (:func:`write_staged`); without ``maps`` only ``ranking.csv``,
    ``sites.geojson`` and ``run.json`` (:data:`TABLE_OUTPUTS`: for more candidates than the maps
    take, :data:`siting.pipeline.MAX_CANDIDATES`). The folder is checked first
    (:func:`check_output_folder`): an input of the run or, unless ``force``, a file siting did
    not write is never replaced.

    Raises
    ------
    siting.InputError
        With ``maps``, if the run has more candidates than the maps take.
    siting.OutputError
        If the folder is refused or the disk is full.
    """
    from siting.pipeline import check_size

    if maps:
        check_size(len(result.ranking))
    names = OUTPUTS if maps else TABLE_OUTPUTS
    check_output_folder(out_dir, names, inputs=run_inputs(result.scenario), force=force)
    files: dict[str | tuple[str, ...], Callable[..., object]] = {
        RANKING_CSV: lambda p: _write_ranking_csv(result, p),
        SITES_GEOJSON: lambda p: _write_sites_geojson(result, p),
    }
    if maps:
        from siting.maps import interactive, static  # folium and matplotlib: loaded when needed

        def write_maps(png: Path, pdf: Path) -> None:
            static.save_static(static.static_map(result, lang=lang), png, pdf, dpi=PRINT_DPI)

        files[MAP_HTML] = lambda p: interactive.save_map(
            interactive.interactive_map(result, lang=lang), p, offline=offline_map
        )
        files[(MAP_PNG, MAP_PDF)] = write_maps
    files[RUN_RECORD] = lambda p: write_run_record(p, result, argv=argv, outputs=names[:-1])
    return write_staged(out_dir, files, on_step=on_step)
