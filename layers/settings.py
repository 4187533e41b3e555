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
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

#: Environment variable overriding the default cache folder.
CACHE_ENV_VAR = "SITING_CACHE_DIR"

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


def log_to_console(level: int | None = None) -> None:
    """Send the log records of ``siting`` (and its ``siting.layers``, ``siting.maps``) to standard error.

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
