"""The page of the static map: paper sizes, the figure and its text tools, and saving.

:class:`_Page` holds the figure (Agg canvas, no pyplot) and measures, fits and wraps text in
inches; :func:`save_static` writes a finished figure as PNG and PDF without ever leaving a
half-written file. Every text built from user data goes through ``_PLAIN``: ``parse_math=False``
and ``usetex=False``, so a ``$`` in a candidate name is printed as a dollar sign.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import shapely
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from siting.maps.static.layout import _FONT

logger = logging.getLogger(__name__)

#: Page sizes in inches (landscape). Mexican offices print on letter ("carta") paper; tabloid
#: (11 x 17 in, "doble carta") is their large format, A4 and A3 the ISO ones.
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "letter": (11.0, 8.5),
    "tabloid": (17.0, 11.0),
    "a4": (11.69, 8.27),
    "a3": (16.54, 11.69),
}
#: Orientations of a page.
ORIENTATIONS: tuple[str, ...] = ("landscape", "portrait")


def page_size(page: str, orientation: str = "landscape") -> tuple[float, float]:
    """Return ``(width, height)`` in inches of a paper size in an orientation.

    Raises
    ------
    ValueError
        If ``page`` or ``orientation`` is unknown.

    Examples
    --------
    >>> page_size("letter"), page_size("a4", "portrait")
    ((11.0, 8.5), (8.27, 11.69))
    """
    problems = []
    if page not in PAGE_SIZES:
        problems.append(f"`page` was {page!r} but is expected to be in {sorted(PAGE_SIZES)}")
    if orientation not in ORIENTATIONS:
        problems.append(
            f"`orientation` was {orientation!r} but is expected to be in {list(ORIENTATIONS)}"
        )
    if problems:
        raise ValueError("; ".join(problems))
    w, h = PAGE_SIZES[page]
    return (w, h) if orientation == "landscape" else (h, w)

#: Settings under which the figure is built and saved (independent of the user's rcParams).
_RC: dict[str, Any] = {
    "font.family": _FONT,
    "text.usetex": False,
    "axes.unicode_minus": True,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
}
#: Keyword arguments of every text: never interpret ``$...$`` as mathtext, never call TeX.
_PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}


class _Page:
    """Figure, renderer and text measurement in inches."""

    def __init__(self, size: tuple[float, float]) -> None:
        self.width, self.height = size
        self.fig = Figure(figsize=size, dpi=100, facecolor="white")
        FigureCanvasAgg(self.fig)
        self.renderer: RendererAgg = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.inch = self.fig.dpi_scale_trans

    def text_width(self, text: str, size: float, weight: str = "normal") -> float:
        """Width of ``text`` in inches."""
        prop = FontProperties(family=_FONT, size=size, weight=weight)
        w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
        return w / self.fig.dpi

    def fit(self, text: str, width: float, size: float, weight: str = "normal") -> str:
        """Shorten ``text`` with an ellipsis until it fits ``width`` inches."""
        if self.text_width(text, size, weight) <= width:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.text_width(text[:mid].rstrip() + "…", size, weight) <= width:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + "…"

    def wrap(
        self, items: Sequence[str], width: float, size: float, sep: str = "  ·  "
    ) -> list[str]:
        """Pack ``items`` into lines of at most ``width`` inches, breaking long items at spaces."""
        lines: list[str] = []
        current = ""
        for item in items:
            trial = f"{current}{sep}{item}" if current else item
            if self.text_width(trial, size) <= width:
                current = trial
                continue
            if current:
                lines.append(current)
            current = ""
            for word in item.split(" "):
                trial = f"{current} {word}" if current else word
                if current and self.text_width(trial, size) > width:
                    lines.append(current)
                    current = word
                else:
                    current = trial
        if current:
            lines.append(current)
        return lines

    def rect(self, left: float, bottom: float, width: float, height: float) -> list[float]:
        """Figure-fraction rectangle of a box given in inches."""
        return [left / self.width, bottom / self.height, width / self.width, height / self.height]

    def text(self, x: float, y: float, s: str, **kwargs: Any) -> Any:
        """Add plain text at ``(x, y)`` inches from the lower-left corner of the page."""
        return self.fig.text(x, y, s, transform=self.inch, **_PLAIN, **kwargs)

    def points(self, xy: Any) -> Any:
        """Page points of display (pixel) coordinates ``xy``."""
        return xy * 72.0 / self.fig.dpi

    def box(self, artist: Artist) -> shapely.Geometry:
        """Box (page points) that a drawn ``artist`` covers."""
        ext = artist.get_window_extent(self.renderer)
        to_pt = 72.0 / self.fig.dpi
        return shapely.box(ext.x0 * to_pt, ext.y0 * to_pt, ext.x1 * to_pt, ext.y1 * to_pt)


def save_static(
    fig: Figure,
    png_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    dpi: int = 200,
) -> tuple[Path, Path]:
    """Save a figure as PNG and PDF, atomically.

    Each file is first written to a hidden temporary file in its destination folder, then moved
    into place with :func:`os.replace`; if anything fails, the temporary files are removed and
    existing files at ``png_path``/``pdf_path`` are left untouched. PDF text stays text
    (TrueType fonts embedded, ``pdf.fonttype`` 42) in DejaVu Sans.

    Parameters
    ----------
    fig
        Figure to save, typically from :func:`static_map`.
    png_path, pdf_path
        Destination files; their folders must exist.
    dpi
        Resolution of the PNG (the PDF is vector; images in it use the same resolution).

    Returns
    -------
    tuple of pathlib.Path
        ``(png_path, pdf_path)``.

    Raises
    ------
    ValueError
        If a folder does not exist, both paths are the same file or ``dpi`` is not positive;
        the message lists every problem found.
    """
    from siting import __version__

    png, pdf = Path(png_path), Path(pdf_path)
    problems = [
        f"folder of `{arg}` {str(p.parent)!r} does not exist"
        for arg, p in (("png_path", png), ("pdf_path", pdf))
        if not p.parent.is_dir()
    ]
    if png.resolve() == pdf.resolve():
        problems.append(f"`png_path` and `pdf_path` are the same file {str(png)!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or dpi <= 0:
        problems.append(f"`dpi` must be a positive number, received {dpi!r}")
    if problems:
        msg = "save_static: " + "; ".join(problems)
        raise ValueError(msg)

    title = fig.get_suptitle()
    creator = f"siting {__version__}"
    jobs = [
        (png, "png", {"Title": title, "Software": creator}),
        (pdf, "pdf", {"Title": title, "Creator": creator, "CreationDate": None}),
    ]
    temps: list[Path] = []
    try:
        with mpl.rc_context(_RC):
            for path, fmt, metadata in jobs:
                tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
                temps.append(tmp)
                fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
        for tmp, (path, _, _) in zip(temps, jobs, strict=True):
            os.replace(tmp, path)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    logger.info("Saved static map to %r and %r", str(png), str(pdf))
    return png, pdf
