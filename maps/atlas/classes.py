"""Classes of the municipal surface: natural breaks of the national best scores.

Every sheet of the atlas colours the municipalities with the same classes, computed once from
the whole country's surface (never from one state's municipalities), so that a colour means
the same score range on every page. The colour of a class is the print ramp
(:func:`siting.maps.style.print_cmap`) at the middle of the class, on the colour scale of the
national scores (:func:`siting.maps.style.print_norm`): a municipality's fill and a site's
marker of the same score have the same colour.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize, to_hex

from siting.localize import format_number
from siting.maps.style import print_cmap, print_norm

#: Fill of a municipality without a ranked site within the commute (hatched on the sheets).
NODATA_FILL = "#ffffff"
#: Hatch lines of that fill.
NODATA_HATCH_COLOR = "#9a9a9a"


@dataclass(frozen=True)
class SurfaceClasses:
    """Natural-breaks classes of ``best_score`` over the national municipal surface.

    Attributes
    ----------
    upper
        Upper bound (inclusive) of each class, lowest class first.
    low, high
        Smallest and largest score that occurs in each class (the legend prints these).
    colors
        Hex colour of each class.
    counts
        Number of municipalities in each class.
    """

    upper: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    colors: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def k(self) -> int:
        """Number of classes (0 when no municipality reaches a site)."""
        return len(self.upper)

    def classify(self, values: pd.Series | np.ndarray | list[float]) -> np.ndarray:
        """Return the class of each value (0 = lowest), ``-1`` for a missing value.

        Examples
        --------
        >>> c = SurfaceClasses((40.0, 80.0), (31.0, 41.0), (40.0, 80.0), ("#ffffcc", "#225ea8"),
        ...                    (3, 4))
        >>> c.classify([35.0, 40.0, 40.1, 95.0, float("nan")]).tolist()
        [0, 0, 1, 1, -1]
        """
        arr = np.asarray(values, dtype=float)
        if not self.k:
            return np.full(arr.shape, -1, dtype=np.int64)
        idx = np.searchsorted(np.asarray(self.upper), arr, side="left")
        idx = np.clip(idx, 0, self.k - 1)
        return np.where(np.isnan(arr), -1, idx).astype(np.int64)

    def labels(self, lang: str = "es") -> list[str]:
        """Return the legend text of each class, e.g. ``"70.1 – 86.7"``."""
        return [
            f"{format_number(lo, lang=lang)} – {format_number(hi, lang=lang)}"
            for lo, hi in zip(self.low, self.high, strict=True)
        ]


@lru_cache(maxsize=8)
def _breaks(data: bytes, k: int) -> np.ndarray:
    """Fisher-Jenks upper bounds of the float64 ``data`` (1.7 s for ~900 values: kept)."""
    values = np.frombuffer(data, dtype=float)
    k = int(min(k, np.unique(values).size))
    if k == 1:
        return np.array([values.max()])
    with warnings.catch_warnings():  # mapclassify warns about duplicate-heavy samples
        warnings.simplefilter("ignore")
        return np.asarray(mapclassify.FisherJenks(values, k=k).bins, dtype=float)


def surface_classes(
    surface: gpd.GeoDataFrame | pd.DataFrame, k: int = 6, *, norm: Normalize | None = None
) -> SurfaceClasses:
    """Return the natural-breaks classes of a national municipal surface's ``best_score``.

    Fisher-Jenks natural breaks (:class:`mapclassify.FisherJenks`) over the non-missing
    ``best_score`` values of the whole ``surface`` (pass the national surface, not one state's
    rows); fewer classes when there are fewer distinct values.

    Parameters
    ----------
    surface
        The municipal surface (:func:`siting.municipal.municipal_surface`), column
        ``best_score``.
    k
        Number of classes, at least 1.
    norm
        Colour scale of the scores; defaults to :func:`siting.maps.style.print_norm` of the
        values. The atlas passes the scale of the national ranking's scores.

    Returns
    -------
    SurfaceClasses

    Raises
    ------
    ValueError
        If ``surface`` lacks ``best_score`` or ``k`` is not a positive integer.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"best_score": [31.0, 33.0, 35.0, 60.0, 62.0, 85.0, 86.0, None]})
    >>> c = surface_classes(s, k=3)
    >>> c.upper, c.counts
    ((35.0, 62.0, 86.0), (3, 2, 2))
    >>> c.labels("es")
    ['31.0 – 35.0', '60.0 – 62.0', '85.0 – 86.0']
    """
    problems = []
    if not isinstance(surface, pd.DataFrame) or "best_score" not in surface.columns:
        problems.append("`surface` must be a (Geo)DataFrame with a `best_score` column")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        problems.append(f"`k` must be a positive integer, received {k!r}")
    if problems:
        raise ValueError("surface_classes: " + "; ".join(problems))
    values = pd.to_numeric(surface["best_score"], errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if norm is None:
        norm = print_norm(values)
    if not values.size:
        return SurfaceClasses((), (), (), (), ())
    upper = np.unique(_breaks(values.tobytes(), int(k)))
    which = np.clip(np.searchsorted(upper, values, side="left"), 0, len(upper) - 1)
    keep = [i for i in range(len(upper)) if (which == i).any()]
    upper = upper[keep]
    which = np.clip(np.searchsorted(upper, values, side="left"), 0, len(upper) - 1)
    low = tuple(float(values[which == i].min()) for i in range(len(upper)))
    high = tuple(float(values[which == i].max()) for i in range(len(upper)))
    cmap = print_cmap()
    colors = tuple(
        to_hex(cmap(float(np.clip(norm((lo + hi) / 2), 0.0, 1.0))))
        for lo, hi in zip(low, high, strict=True)
    )
    counts = tuple(int((which == i).sum()) for i in range(len(upper)))
    return SurfaceClasses(tuple(float(u) for u in upper), low, high, colors, counts)
