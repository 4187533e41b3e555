"""Shared styling of interactive and static maps: colour scale of the score."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_hex

#: Colormap of the 0–100 score (low = red, high = green); shared by every map.
SCORE_CMAP = "RdYlGn"
SCORE_NORM = Normalize(vmin=0.0, vmax=100.0)
#: Colour of a candidate excluded by a hard constraint.
EXCLUDED_COLOR = "#7f7f7f"
#: Outline of a candidate selected for comparison in the interactive map (not on the score scale).
SELECTED_COLOR = "#1f4fd1"


def score_color(score: float) -> str:
    """Return the hex colour of a 0–100 score on the shared scale.

    Examples
    --------
    >>> score_color(100.0)
    '#006837'
    """
    return to_hex(mpl.colormaps[SCORE_CMAP](SCORE_NORM(score)))


# --- choropleth classes (shared by the interactive and static maps) -------------------------------

#: Colour of an area without data (e.g. a municipality created after the 2020 census).
NODATA_COLOR = "#d9d9d9"
#: Class breaks of the labour choropleth: Censo 2020 inhabitants per km² (upper bound open).
LABOR_DENSITY_BINS: tuple[float, ...] = (0.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0)
LABOR_CMAP = "Blues"
#: Class breaks of the security choropleth: municipal homicides per 100,000 (SESNSP, 12 months,
#: smoothed toward the state rate). Four municipalities in five are under 20, the median ~12;
#: the top classes separate the hot spots (Tijuana ~71; Manzanillo ~149, among ~18 above 100).
HOMICIDE_BINS: tuple[float, ...] = (0.0, 10.0, 20.0, 30.0, 50.0, 75.0, 100.0)
SECURITY_CMAP = "OrRd"


def class_colors(cmap: str, n: int, *, low: float = 0.15, high: float = 0.95) -> list[str]:
    """Return ``n`` hex colours sampled evenly from ``cmap`` between ``low`` and ``high``.

    Examples
    --------
    >>> class_colors("Blues", 2)
    ['#d9e8f5', '#083c7d']
    """
    if n < 1:
        msg = f"`n` must be at least 1, received {n}"
        raise ValueError(msg)
    colormap = mpl.colormaps[cmap]
    if n == 1:
        return [to_hex(colormap(high))]
    return [to_hex(colormap(low + (high - low) * i / (n - 1))) for i in range(n)]


def classify(values: Sequence[float] | np.ndarray, bins: Sequence[float]) -> np.ndarray:
    """Return the class index of each value for lower class bounds ``bins``; ``-1`` if missing.

    A value belongs to class ``i`` if ``bins[i] <= value < bins[i + 1]``; the last class is
    open-ended and values below ``bins[0]`` fall in class 0.

    Examples
    --------
    >>> classify([5.0, 10.0, 1e6, float("nan")], [0.0, 10.0, 100.0]).tolist()
    [0, 1, 2, -1]
    """
    arr = np.asarray(values, dtype=float)
    idx = np.searchsorted(np.asarray(bins, dtype=float), arr, side="right") - 1
    idx = np.clip(idx, 0, len(bins) - 1)
    return np.where(np.isnan(arr), -1, idx)


def score_gradient_css(stops: int = 5) -> str:
    """Return a CSS ``linear-gradient`` of the score colour scale from 0 (left) to 100 (right)."""
    colors = [
        f"{score_color(100.0 * i / (stops - 1))} {100 * i // (stops - 1)}%" for i in range(stops)
    ]
    return f"linear-gradient(to right, {', '.join(colors)})"


# --- static (print) map palette -------------------------------------------------------------------

#: Fill of the states on the print map (light grey, prints well in greyscale).
LAND_COLOR = "#e4e4e4"
#: State borders on the print map.
STATE_EDGE_COLOR = "#ffffff"
#: Commercial border crossings on print maps (static map, atlas): dark magenta, off the blue
#: print ramp (:func:`print_cmap`), on which a dark blue would read as a high score.
CROSSING_COLOR = "#7a0177"
#: Container seaports on print maps (atlas): burnt orange, off the ramp and the crossings.
SEAPORT_COLOR = "#b34700"
#: Text of secondary information (captions, footers, municipality lines).
MUTED_TEXT_COLOR = "#555555"


# --- print maps: score ramp and classes (colour-blind safe) ---------------------------------------

#: Sequential ColorBrewer ramp of scores on print maps (static map, state atlas): yellow (low) to
#: dark blue (high). Colour-blind safe and readable in greyscale, unlike the red-yellow-green
#: :data:`SCORE_CMAP`. Its palest end is cut (:data:`PRINT_RAMP_RANGE`) so the lowest colour
#: still stands out from the grey land.
PRINT_CMAP = "YlGnBu"
PRINT_RAMP_RANGE: tuple[float, float] = (0.12, 1.0)
#: Step (score points) to which the ends of a print ramp are rounded outwards.
PRINT_RAMP_STEP = 5.0


def print_cmap() -> LinearSegmentedColormap:
    """Return the print score ramp: :data:`PRINT_CMAP` between :data:`PRINT_RAMP_RANGE`."""
    lo, hi = PRINT_RAMP_RANGE
    base = mpl.colormaps[PRINT_CMAP]
    return LinearSegmentedColormap.from_list(
        f"{PRINT_CMAP}_print", [base(lo + (hi - lo) * i / 255) for i in range(256)]
    )


def print_norm(scores: Sequence[float] | np.ndarray) -> Normalize:
    """Return the colour scale of a print map: the range of ``scores``, rounded out to 5 points.

    The ramp spans the scores that occur (NaN ignored; 0-100 when there are none), so the whole
    ramp is used: a national run scoring 34-87 gets 30-90. A state map uses the national range
    (never its own): the same colour means the same score on every sheet.

    Examples
    --------
    >>> n = print_norm([34.2, 86.7, float("nan")])
    >>> n.vmin, n.vmax
    (30.0, 90.0)
    """
    arr = np.asarray(scores, dtype=float)
    arr = arr[np.isfinite(arr)]
    if not arr.size:
        return Normalize(vmin=0.0, vmax=100.0)
    lo = math.floor(float(arr.min()) / PRINT_RAMP_STEP) * PRINT_RAMP_STEP
    hi = math.ceil(float(arr.max()) / PRINT_RAMP_STEP) * PRINT_RAMP_STEP
    if hi <= lo:
        lo, hi = lo - PRINT_RAMP_STEP, hi + PRINT_RAMP_STEP
    return Normalize(vmin=max(lo, 0.0), vmax=min(hi, 100.0))
