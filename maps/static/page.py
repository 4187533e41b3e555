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
from siting.text import LANGUAGES

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


def page_problems(page: Any, orientation: Any, lang: Any = "en") -> list[str]:
    """Return what is wrong with a paper size, an orientation and a language (empty if nothing).

    Examples
    --------
    >>> page_problems("letter", "portrait", "es")
    []
    >>> page_problems("legal", "landscape")
    ["`page` was 'legal' but is expected to be in ['a3', 'a4', 'letter', 'tabloid']"]
    """
    problems = []
    if page not in PAGE_SIZES:
        problems.append(f"`page` was {page!r} but is expected to be in {sorted(PAGE_SIZES)}")
    if orientation not in ORIENTATIONS:
        problems.append(
            f"`orientation` was {orientation!r} but is expected to be in {list(ORIENTATIONS)}"
        )
    if lang not in LANGUAGES:
        problems.append(f"`lang` was {lang!r} but is expected to be one of {list(LANGUAGES)}")
    return problems


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
    problems = page_problems(page, orientation)
    if problems:
        raise ValueError("; ".join(problems))
    w, h = PAGE_SIZES[page]
    return (w, h) if orientation == "landscape" else (h, w)


#: Settings under which the figure is built and saved (independent of the user's rcParams).
_RC: dict[str, Any] = {
    "font.family": _FONT,
    "text.usetex": False,
    # unhinted glyphs: a text measured on the 100-dpi page keeps its width at any dpi and in the
    # PDF, so texts placed side by side (a bold name, then plain text) never collide or drift
    "text.hinting": "no_hinting",
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
        self._widths: dict[tuple[str, float, str, str], float] = {}

    def text_width(self, text: str, size: float, weight: str = "normal") -> float:
        """Width of ``text`` in inches (remembered: the page measures many words again)."""
        key = (text, float(size), weight, str(mpl.rcParams["text.hinting"]))
        if key not in self._widths:
            prop = FontProperties(family=_FONT, size=size, weight=weight)
            w, _, _ = self.renderer.get_text_width_height_descent(text, prop, ismath=False)
            self._widths[key] = w / self.fig.dpi
        return self._widths[key]

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
        current_w = 0.0

        def fits(trial: str, approx: float) -> tuple[bool, float]:
            # widths add up piece by piece; a line within 3% of ``width`` is measured whole
            if abs(approx - width) < 0.03 * width:
                approx = self.text_width(trial, size)
            return approx <= width, approx

        def gap(text: str) -> float:  # width ``text`` adds between two pieces
            return self.text_width(f"a{text}a", size) - self.text_width("aa", size)

        for item in items:
            if current:
                ok, w = fits(
                    f"{current}{sep}{item}", current_w + gap(sep) + self.text_width(item, size)
                )
            else:
                ok, w = fits(item, self.text_width(item, size))
            if ok:
                current, current_w = (f"{current}{sep}{item}" if current else item), w
                continue
            if current:
                lines.append(current)
            current, current_w = "", 0.0
            for word in item.split(" "):
                if not current:
                    current, current_w = word, self.text_width(word, size)
                    continue
                ok, w = fits(
                    f"{current} {word}", current_w + gap(" ") + self.text_width(word, size)
                )
                if ok:
                    current, current_w = f"{current} {word}", w
                else:
                    lines.append(current)
                    current, current_w = word, self.text_width(word, size)
        if current:
            lines.append(current)
        return lines

    def wrap_runs(
        self, runs: Sequence[tuple[str, str]], width: float, size: float
    ) -> list[list[tuple[str, str]]]:
        """Wrap runs of text ``(text, weight)`` into lines of at most ``width`` inches.

        Lines break at spaces; a word wider than a line is split between characters, so no text
        is ever lost or shortened. Each line is a list of runs: consecutive words of one weight
        joined by spaces, every run but the line's first starting with its space.
        """
        words = [(w, weight) for text, weight in runs for w in str(text).split() if w]
        lines: list[list[tuple[str, str]]] = []
        line: list[tuple[str, str]] = []
        line_w = 0.0  # width of ``line``, summed word by word (exact when close to ``width``)

        def joined(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
            out: list[tuple[str, str]] = []
            for word, weight in items:
                if out and out[-1][1] == weight:
                    out[-1] = (f"{out[-1][0]} {word}", weight)
                else:
                    out.append((f" {word}" if out else word, weight))
            return out

        def line_width(items: list[tuple[str, str]]) -> float:
            return sum(self.text_width(t, size, w) for t, w in joined(items))

        def space(weight: str) -> float:
            return self.text_width("a a", size, weight) - self.text_width("aa", size, weight)

        for word, weight in words:
            if line:
                trial = line_w + space(weight) + self.text_width(word, size, weight)
                if abs(trial - width) < 0.03 * width:  # too close to call: measure the line
                    trial = line_width([*line, (word, weight)])
                if trial <= width:
                    line.append((word, weight))
                    line_w = trial
                    continue
            if line:
                lines.append(joined(line))
            # a word wider than the line is split between characters
            while self.text_width(word, size, weight) > width and len(word) > 1:
                lo, hi = 1, len(word) - 1
                while lo < hi:  # longest prefix that fits (at least one character)
                    mid = (lo + hi + 1) // 2
                    if self.text_width(word[:mid], size, weight) <= width:
                        lo = mid
                    else:
                        hi = mid - 1
                lines.append([(word[:lo], weight)])
                word = word[lo:]
            line = [(word, weight)]
            line_w = self.text_width(word, size, weight)
        if line:
            lines.append(joined(line))
        return lines

    def wrap_text(self, text: str, width: float, size: float, weight: str = "normal") -> list[str]:
        """Wrap ``text`` into lines of at most ``width`` inches (see :meth:`wrap_runs`)."""
        return [
            "".join(t for t, _ in line) for line in self.wrap_runs([(text, weight)], width, size)
        ]

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
