"""Writing atlas pages: one sheet (:func:`save_sheet`) or the multi-page atlas PDF.

Both write to a hidden temporary file in the destination folder and move it into place with
:func:`os.replace`: a failure never leaves a half-written file, and an existing file is only
replaced by a complete one. Figures are saved under the atlas's matplotlib settings (DejaVu Sans,
TrueType fonts embedded in PDF, text kept as text in SVG, unhinted text so a page measures the
same at every resolution).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import matplotlib as mpl
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from siting.maps.atlas.sheet import ATLAS_RC

logger = logging.getLogger(__name__)

#: Formats of :func:`save_sheet`.
SHEET_FORMATS: tuple[str, ...] = ("pdf", "png", "svg")


def _title(fig: Figure) -> str:
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    return str(suptitle or "")


def _creator() -> str:
    from siting import __version__

    return f"siting {__version__}"


def _temp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")


def save_sheet(
    fig: Figure, path: str | os.PathLike[str], *, fmt: str = "pdf", dpi: int = 300
) -> Path:
    """Save one atlas page as PDF, PNG or SVG, atomically.

    Parameters
    ----------
    fig
        A page from :func:`~siting.maps.atlas.state_map` or :func:`~siting.maps.atlas.cover_map`.
    path
        Destination file; its folder must exist.
    fmt
        ``"pdf"``, ``"png"`` or ``"svg"``.
    dpi
        Resolution of a PNG (and of the images inside a PDF or SVG).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        If the folder does not exist, ``fmt`` is unknown or ``dpi`` is not a positive number;
        the message lists every problem found.
    """
    out = Path(path)
    problems = []
    if not isinstance(fig, Figure):
        problems.append(f"`fig` must be a matplotlib Figure, received {type(fig).__name__}")
    if not out.parent.is_dir():
        problems.append(f"folder of `path` {str(out.parent)!r} does not exist")
    if fmt not in SHEET_FORMATS:
        problems.append(f"`fmt` was {fmt!r} but is expected to be in {list(SHEET_FORMATS)}")
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not dpi > 0:
        problems.append(f"`dpi` must be a positive number, received {dpi!r}")
    if problems:
        msg = "save_sheet: " + "; ".join(problems)
        raise ValueError(msg)
    metadata = {
        "pdf": {"Title": _title(fig), "Creator": _creator(), "CreationDate": None},
        "png": {"Title": _title(fig), "Software": _creator()},
        "svg": {"Title": _title(fig), "Creator": _creator(), "Date": None},
    }[fmt]
    tmp = _temp(out)
    try:
        with mpl.rc_context(ATLAS_RC):
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("Saved atlas page to %r", str(out))
    return out


def write_atlas_pdf(
    path: str | os.PathLike[str],
    figures: Iterable[Figure],
    *,
    title: str | None = None,
    on_page: Callable[[int], None] | None = None,
    dpi: int = 300,
) -> int:
    """Write pages into one PDF, atomically, one figure at a time.

    ``figures`` is consumed lazily (pass a generator: each page is drawn when needed) and each
    figure is cleared once written, so a 33-page atlas never holds its pages in memory together.

    Parameters
    ----------
    path
        Destination PDF; its folder must exist.
    figures
        The pages, in order (cover first).
    title
        Title in the PDF's metadata; default the first page's title.
    on_page
        Called with the number of pages written after each page (a progress bar's update; the
        library prints nothing).
    dpi
        Resolution of images inside the PDF.

    Returns
    -------
    int
        Number of pages written.

    Raises
    ------
    ValueError
        If the folder does not exist, or ``figures`` holds something else than a Figure (the
        partial file is removed).
    """
    out = Path(path)
    if not out.parent.is_dir():
        msg = f"write_atlas_pdf: folder of `path` {str(out.parent)!r} does not exist"
        raise ValueError(msg)
    tmp = _temp(out)
    pages = 0
    try:
        with mpl.rc_context(ATLAS_RC):
            metadata = {"Creator": _creator(), "CreationDate": None}
            if title is not None:
                metadata["Title"] = title
            with PdfPages(tmp, metadata=metadata) as pdf:
                for fig in figures:
                    if not isinstance(fig, Figure):
                        msg = (
                            f"write_atlas_pdf: page {pages + 1} is a {type(fig).__name__}, "
                            "expected a matplotlib Figure"
                        )
                        raise ValueError(msg)
                    if pages == 0 and title is None:
                        pdf.infodict()["Title"] = _title(fig)
                    pdf.savefig(fig, dpi=dpi, facecolor="white")
                    fig.clear()
                    pages += 1
                    if on_page is not None:
                        on_page(pages)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    logger.info("Wrote atlas of %d pages to %r", pages, str(out))
    return pages
