"""Input/output settings for siting: cache folder and logging.

Only I/O concerns live here (as in osmnx's ``settings``); analytic parameters such as speed
tables or commute times are explicit function arguments.

Attributes
----------
cache_folder
    Folder for downloaded and derived artefacts (osmnx HTTP cache, routing matrices). Defaults
    to the environment variable ``SITING_CACHE_DIR`` if set when the module is imported, else
    ``~/.cache/siting``. Assign a new value to change it at run time; read it through
    :func:`cache_path` so that ``~`` is expanded and the folder is created on demand.
log_level
    Level used by :func:`log_to_console`.

Cache files are written through a temporary file beside the target (:func:`cache_temp_file`),
named ``.<kind>_<pid>_<random><suffix>.tmp`` so that one left by a killed run is recognised and
removed by the next (:func:`remove_stale_temp_files`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: Environment variable overriding the default cache folder.
CACHE_ENV_VAR = "SITING_CACHE_DIR"

#: A temporary cache file older than this (seconds) is stale whatever its process.
STALE_TEMP_SECONDS = 24 * 3600

#: How to fix an unusable cache folder (ends the warnings about one).
CACHE_HINT = f"to use a cache, free disk space or point {CACHE_ENV_VAR} at a writable folder"

logger = logging.getLogger(__name__)

cache_folder: str | Path = os.environ.get(CACHE_ENV_VAR) or Path("~/.cache/siting")
log_level: int = logging.INFO


def cache_path(*parts: str, create: bool = True) -> Path:
    """Return ``cache_folder`` joined with ``parts``, expanded, optionally creating the folder.

    Parameters
    ----------
    *parts
        Sub-folders below the cache folder, e.g. ``"osmnx"``.
    create
        Create the folder (and parents) if it does not exist.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OSError
        With ``create=True``, if the folder cannot be created (e.g. a file is in its place, or
        no permission). Callers treat the cache as unavailable and carry on without it.

    Examples
    --------
    >>> import siting.layers.settings as s
    >>> s.cache_path("osmnx", create=False).name
    'osmnx'
    """
    path = Path(cache_folder).expanduser().joinpath(*parts)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def cache_temp_file(target: Path, kind: str) -> Path:
    """Create an empty temporary file beside ``target`` and return its path.

    The name is ``.<kind>_<pid>_<random><extension of target>.tmp``, e.g.
    ``.routing_4242_k3j9x0ab.npz.tmp`` for ``routing_<key>.npz``: in the same folder, so that
    :func:`os.replace` onto ``target`` is atomic, and recognised by
    :func:`remove_stale_temp_files` (same ``kind``) if the process dies before renaming it.

    Raises
    ------
    OSError
        If the folder does not exist or is not writable.
    """
    fd, name = tempfile.mkstemp(
        dir=target.parent,
        prefix=f".{kind}_{os.getpid()}_",
        suffix="".join(target.suffixes[-1:]) + ".tmp",
    )
    os.close(fd)
    return Path(name)


def remove_stale_temp_files(
    folder: Path, kind: str, *, max_age: float = STALE_TEMP_SECONDS
) -> list[Path]:
    """Remove temporary files of ``kind`` that killed runs left in ``folder``; return them.

    A file ``.<kind>_<pid>_….tmp`` (see :func:`cache_temp_file`) is stale if process ``pid`` is
    no longer running or the file is older than ``max_age`` seconds; a file of a running
    process is kept (it is being written). Temporary names of older siting versions without a
    process id (``.<kind>_<random>.npz``, ``.<kind>….tmp``) are removed once older than
    ``max_age``. Never raises: a folder that cannot be listed is left alone.
    """
    prefix = f".{kind}_"
    with_pid = re.compile(rf"^{re.escape(prefix)}(\d+)_.+\.tmp$")
    now = time.time()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or not name.endswith((".tmp", ".npz")):
            continue
        match = with_pid.match(name)
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > max_age
        except OSError:
            continue
        if not (old or (match is not None and not process_alive(int(match.group(1))))):
            continue
        with contextlib.suppress(OSError):
            os.remove(entry.path)
            removed.append(Path(entry.path))
            logger.info("removed stale temporary cache file %r", entry.path)
    return removed


def write_atomic(path: Path, kind: str, write: Callable[[BinaryIO], object]) -> None:
    """Write the file ``path`` with ``write(f)``: into a temporary file beside it, then renamed.

    The folder is made if missing; the temporary file (:func:`cache_temp_file`, of ``kind``) is
    removed on any failure, so ``path`` is either the old file or the whole new one.

    Raises
    ------
    OSError
        If the file cannot be written (read-only or missing folder, a file in the folder's
        place, disk full).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache_temp_file(path, kind)
    try:
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def try_cache_write(
    path: Path, write: Callable[[], object], what: str, unwritable: set[str] | None = None
) -> bool:
    """Run ``write()``, which writes the cache file ``path``; True if it did.

    If it raises ``OSError`` (read-only folder, a file in the folder's place, disk full) log one
    warning naming ``what`` and the reason and return False: the run goes on in memory. With
    ``unwritable`` (the caller's set of folders not to try again in this process) the folder is
    added to it, and later writes there are skipped without another warning.
    """
    folder = str(path.parent)
    if unwritable is not None and folder in unwritable:
        return False
    try:
        write()
    except OSError as exc:
        if unwritable is not None:
            unwritable.add(folder)
        logger.warning(
            "could not write the %s %r: %s; continuing without it (%s)",
            what,
            str(path),
            os_error_reason(exc),
            CACHE_HINT,
        )
        return False
    return True


def prune_cache_files(kept: Path, prefix: str, suffix: str, keep: int) -> list[str]:
    """Remove the least recently used files ``prefix*suffix`` beside ``kept`` beyond ``keep``.

    Never ``kept`` (the file just written); readers touch the files they use, so "least
    recently used" is the oldest modification time. Never raises; returns the paths removed.
    """
    try:
        entries = [
            e
            for e in os.scandir(kept.parent)
            if e.name.startswith(prefix) and e.name.endswith(suffix)
        ]
        if len(entries) <= keep:
            return []
        dated = sorted(((e.stat().st_mtime_ns, e.path) for e in entries), reverse=True)
    except OSError:
        return []
    removed = []
    for _, old in dated[keep:]:
        if old != str(kept):
            with contextlib.suppress(OSError):
                os.remove(old)
                removed.append(old)
    return removed


def os_error_reason(exc: OSError) -> str:
    """Return the reason of a failed file operation as short text for a warning.

    Examples
    --------
    >>> import errno
    >>> os_error_reason(OSError(errno.ENOSPC, "No space left on device", "/c/x.tmp"))
    "No space left on device ('/c/x.tmp')"
    """
    if exc.strerror and exc.filename:
        return f"{exc.strerror} ({os.fsdecode(exc.filename)!r})"
    return exc.strerror or str(exc) or type(exc).__name__


def process_alive(pid: int) -> bool:
    """Return False if no process ``pid`` runs on this machine (True when it cannot tell)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: alive, another user's
        return True
    return True


def log_to_console(level: int | None = None) -> None:
    """Send the log records of ``siting`` (with ``siting.layers``, ``siting.maps``) to stderr.

    Library code only logs; applications (the CLI) decide whether to show it.

    Parameters
    ----------
    level
        Logging level; ``log_level`` if None.
    """
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("siting",):  # siting.layers and siting.maps log under it
        logger = logging.getLogger(name)
        logger.setLevel(log_level if level is None else level)
        if not any(isinstance(h, logging.StreamHandler) for h in logger.handlers):
            logger.addHandler(handler)
