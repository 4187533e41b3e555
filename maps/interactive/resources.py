"""The page's own JavaScript and CSS, read from the package's ``assets`` folder.

They are plain files (``app.js``, ``scoring.js``, ``context.js``, ``codec.js``,
``siting.css``), so editors, linters and
``node --test`` can read them, and they are inlined into the page: a saved map needs no file
beside it. Values that depend on the run (names of folium's objects, colours, data) are not in
the files: the page's templates pass them to the scripts as arguments, or to the stylesheet as
CSS custom properties.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

#: Sequences that would end the ``<script>`` or ``<style>`` element an asset is inlined into, open
#: an HTML comment in it, or open Jinja code (folium renders a map's scripts through Jinja twice).
_CLOSES_ELEMENT = re.compile(r"</(script|style)|<!--|\{\{|\{%|\{#", re.IGNORECASE)


@cache
def asset_text(name: str) -> str:
    """Return the text of the asset file ``name`` (e.g. ``"comparison.js"``), ready to inline.

    Raises
    ------
    FileNotFoundError
        If the package has no such asset (e.g. an install without its package data).
    ValueError
        If the file contains ``</script``, ``</style``, ``<!--``, ``{{``, ``{%`` or ``{#``,
        which would break the page it is inlined into.

    Examples
    --------
    >>> "sitingApp" in asset_text("app.js")
    True
    """
    path = files(__package__).joinpath("assets", name)
    if not path.is_file():
        msg = f"missing asset {name!r} of {__package__} (is the package data installed?)"
        raise FileNotFoundError(msg)
    text = path.read_text(encoding="utf-8")
    found = _CLOSES_ELEMENT.search(text)
    if found:
        msg = f"asset {name!r} contains {found[0]!r}, which would break the page it is inlined in"
        raise ValueError(msg)
    return text.rstrip("\n")
