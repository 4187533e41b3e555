"""The state atlas: one print sheet per Mexican state and a cover, from one national run.

:func:`state_map` draws a state's sheet: its municipalities coloured by the best national score
a worker reaches from them (natural-breaks classes computed over all of Mexico,
:func:`surface_classes`), its best sites numbered and listed with their national and state
ranks, the neighbouring states, countries and seas, cities, trunk roads, crossings and ports, a
locator inset, graphic and numeric scale, north arrow, graticule, and a footer with the sources,
the production date, the author and the run's id. :func:`cover_map` draws the national map with
the index of the states by their best score. :func:`atlas_context` prepares the national layers
once for many pages; :func:`save_sheet` and :func:`write_atlas_pdf` write the pages atomically.
Scores are never rescaled by state. The text is Spanish by default (``lang="en"`` for English),
from :data:`siting.maps.text.ATLAS_TEXT_BY_LANG`.

Examples
--------
>>> import itertools
>>> import siting
>>> from siting.municipal import municipal_surface
>>> from siting.maps.atlas import atlas_context, cover_map, state_map, write_atlas_pdf
>>> run = siting.run()  # doctest: +SKIP
>>> ctx = atlas_context(run, surface=municipal_surface(run))  # doctest: +SKIP
>>> codes = ctx.state_codes()  # doctest: +SKIP
>>> pages = itertools.chain(  # each page is drawn when the PDF needs it  # doctest: +SKIP
...     [cover_map(run, context=ctx, states=codes)],
...     (state_map(run, code, context=ctx) for code in codes),
... )
>>> write_atlas_pdf("atlas.pdf", pages)  # doctest: +SKIP
33
"""

from siting.maps.atlas._text import atlas_text
from siting.maps.atlas.classes import SurfaceClasses, surface_classes
from siting.maps.atlas.context import AtlasContext, atlas_context
from siting.maps.atlas.cover import cover_map, state_index
from siting.maps.atlas.save import SHEET_FORMATS, save_sheet, write_atlas_pdf
from siting.maps.atlas.sheet import state_map

__all__ = [
    "SHEET_FORMATS",
    "AtlasContext",
    "SurfaceClasses",
    "atlas_context",
    "atlas_text",
    "cover_map",
    "save_sheet",
    "state_index",
    "state_map",
    "surface_classes",
    "write_atlas_pdf",
]
