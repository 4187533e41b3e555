"""Compact coordinates for the page: Google Encoded Polyline strings, encoded with numpy.

Every line and ring the page draws travels as one printable ASCII string
(https://developers.google.com/maps/documentation/utilities/polylinealgorithm): latitude then
longitude of each vertex, as integer steps of ``10 ** -precision`` degrees, each the difference
from the previous vertex, zig-zag signed, cut into 5-bit chunks (least significant first, 0x20
marks "more chunks follow") and offset by 63. A vertex of a smooth line costs 2 to 4 characters
at precision 3 (≈ 110 m) instead of about 20 in GeoJSON. The page decodes them with
``assets/codec.js`` (global ``sitingCodec``).

Deltas are taken between the *rounded* coordinates, so rounding errors do not accumulate: every
decoded vertex is within half a step (``0.5 * 10 ** -precision`` degrees) of the original.
Polygon rings are written without their closing vertex (Leaflet closes rings itself).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import shapely

__all__ = ["DEFAULT_PRECISION", "encode", "encode_geometries", "encode_geometry"]

#: Decimals of the coordinates when not given: 4 ≈ 11 m, enough for sites and routes.
DEFAULT_PRECISION = 4
#: Largest precision accepted: 10 ** 9 × 180° still fits the 64-bit integers of the encoder.
MAX_PRECISION = 9

_LINEAL = {shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING}
_POLYGONAL = {shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON}


def _check_precision(precision: int) -> int:
    if isinstance(precision, bool) or not isinstance(precision, int | np.integer):
        msg = f"`precision` was {precision!r}; expected an int from 0 to {MAX_PRECISION}"
        raise TypeError(msg)
    if not 0 <= precision <= MAX_PRECISION:
        msg = f"`precision` was {precision}; expected 0 to {MAX_PRECISION} decimals"
        raise ValueError(msg)
    return int(precision)


def _encode_runs(coords: np.ndarray, starts: np.ndarray, precision: int) -> list[str]:
    """Encode consecutive runs of lon/lat ``coords``; run ``i`` starts at row ``starts[i]``.

    ``starts`` is increasing and begins with 0; the last run ends at the last row. One string per
    run, all computed with array operations (no loop over vertices).
    """
    if not len(starts):
        return []
    # latitude first, as integer steps; each run's first vertex is relative to (0, 0)
    steps = np.rint(coords[:, ::-1] * 10.0**precision).astype(np.int64)
    deltas = steps.copy()
    deltas[1:] -= steps[:-1]
    deltas[starts] = steps[starts]
    values = deltas.ravel()  # lat, lon, lat, lon, ...
    zigzag = (values << 1) ^ (values >> 63)  # negative v -> ~(v << 1)
    width = max(1, int(zigzag.max()).bit_length() // 5 + 1) if len(zigzag) else 1
    shifts = 5 * np.arange(width, dtype=np.int64)
    n_chunks = 1 + (zigzag[:, None] >= (np.int64(1) << shifts[1:])).sum(axis=1)
    chunks = (zigzag[:, None] >> shifts) & 31
    more = np.arange(width) < (n_chunks[:, None] - 1)
    chunks = chunks | np.where(more, 0x20, 0)
    keep = np.arange(width) < n_chunks[:, None]
    text = (chunks[keep] + 63).astype(np.uint8).tobytes().decode("ascii")
    ends = np.cumsum(n_chunks)
    bounds = np.concatenate([[0], ends[2 * starts[1:] - 1], [ends[-1]]]).tolist()
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _as_coords(coords: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
    arr = np.asarray(coords, dtype=float)
    if arr.size == 0:
        return arr.reshape(0, 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        msg = f"`coords` had shape {arr.shape}; expected (n, 2) longitude/latitude pairs"
        raise ValueError(msg)
    if not np.isfinite(arr).all():
        row = int(np.flatnonzero(~np.isfinite(arr).all(axis=1))[0])
        msg = f"`coords` row {row} is {arr[row].tolist()}; coordinates must be finite numbers"
        raise ValueError(msg)
    return arr


def encode(
    coords: np.ndarray | Sequence[Sequence[float]], precision: int = DEFAULT_PRECISION
) -> str:
    """Return the Encoded Polyline string of longitude/latitude ``coords``.

    Parameters
    ----------
    coords
        ``(n, 2)`` array of longitude, latitude pairs (the shapely / GeoJSON order); the string
        holds latitude first, as the format requires. No vertex: ``""``.
    precision
        Decimals kept (0 to :data:`MAX_PRECISION`): 5 is Google's, 4 ≈ 11 m, 3 ≈ 110 m.

    Returns
    -------
    str
        Printable ASCII (``?`` to ``~``); decode with ``sitingCodec.decode(text, precision)``.

    Raises
    ------
    ValueError
        If ``coords`` is not ``(n, 2)``, holds a missing or infinite number, or ``precision`` is
        out of range.

    Examples
    --------
    Google's example (precision 5):

    >>> encode([(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)], 5)
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    >>> encode([(-99.1332, 19.4326)]), encode([])
    ('kpzJfeo{@', '')
    """
    precision = _check_precision(precision)
    arr = _as_coords(coords)
    if not len(arr):
        return ""
    return _encode_runs(arr, np.zeros(1, dtype=np.int64), precision)[0]


def encode_geometries(
    geoms: np.ndarray | Sequence[shapely.Geometry | None], precision: int = DEFAULT_PRECISION
) -> list[list]:
    """Return :func:`encode_geometry` of each geometry, encoding them all in one pass.

    Faster than calling :func:`encode_geometry` in a loop for thousands of polygons (e.g. the
    municipalities): every vertex of every geometry is encoded by the same array operations.

    Examples
    --------
    >>> import shapely
    >>> line = shapely.LineString([(-120.2, 38.5), (-120.95, 40.7)])
    >>> encode_geometries([line, None, shapely.Polygon()], 5)
    [['_p~iF~ps|U_ulLnnqC'], [], []]
    """
    precision = _check_precision(precision)
    arr = np.asarray(geoms, dtype=object)
    if arr.ndim != 1:
        arr = arr.ravel()
    kinds = shapely.get_type_id(arr)
    present = (kinds >= 0) & ~shapely.is_empty(arr)
    polygonal = present & np.isin(kinds, [int(k) for k in _POLYGONAL])
    lineal = present & np.isin(kinds, [int(k) for k in _LINEAL])
    wrong = present & ~polygonal & ~lineal
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        msg = (
            f"geometry {i} is a {shapely.get_type_id(arr[i])!r} ({arr[i].geom_type}); only "
            "(Multi)LineString and (Multi)Polygon can be encoded"
        )
        raise TypeError(msg)
    out: list[list] = [[] for _ in range(len(arr))]
    # lines: one string per part
    parts, owner = shapely.get_parts(arr[lineal], return_index=True)
    owner = np.flatnonzero(lineal)[owner]
    keep = ~shapely.is_empty(parts)
    for i, text in zip(owner[keep], _encode_parts(parts[keep], precision, ring=False), strict=True):
        out[i].append(text)
    # polygons: one list of ring strings per part (exterior first)
    parts, owner = shapely.get_parts(arr[polygonal], return_index=True)
    owner = np.flatnonzero(polygonal)[owner]
    keep = ~shapely.is_empty(parts)
    parts, owner = parts[keep], owner[keep]
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    texts = _encode_parts(rings, precision, ring=True)
    polygons: list[list[str]] = [[] for _ in range(len(parts))]
    for p, text in zip(ring_part.tolist(), texts, strict=True):
        polygons[p].append(text)
    for i, polygon in zip(owner.tolist(), polygons, strict=True):
        out[i].append(polygon)
    return out


def _encode_parts(parts: np.ndarray, precision: int, *, ring: bool) -> list[str]:
    """Encode simple lines or rings (without their closing vertex if ``ring``), one string each."""
    if not len(parts):
        return []
    coords, which = shapely.get_coordinates(parts, return_index=True)
    counts = np.bincount(which, minlength=len(parts))
    if ring:  # drop each ring's closing vertex (equal to its first)
        last = np.cumsum(counts) - 1
        mask = np.ones(len(coords), dtype=bool)
        mask[last[counts > 0]] = False
        coords = coords[mask]
        counts = np.maximum(counts - 1, 0)
    coords = _as_coords(coords)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    texts = _encode_runs(coords, starts[counts > 0], precision) if len(coords) else []
    if (counts > 0).all():
        return texts
    out = [""] * len(parts)
    for i, text in zip(np.flatnonzero(counts > 0).tolist(), texts, strict=True):
        out[i] = text
    return out


def encode_geometry(geom: shapely.Geometry | None, precision: int = DEFAULT_PRECISION) -> list:
    """Return a line or area geometry as nested lists of Encoded Polyline strings.

    Parameters
    ----------
    geom
        A (Multi)LineString or (Multi)Polygon in longitude/latitude; ``None`` or empty
        geometries give ``[]``.
    precision
        Decimals kept (see :func:`encode`).

    Returns
    -------
    list
        Lines: a list of strings, one per line (``[str]`` for a LineString). Areas: **always** a
        list of polygons, each a list of ring strings, exterior first, without the closing vertex
        (``[[str, ...]]`` for a Polygon). ``sitingCodec.lines`` and ``sitingCodec.polygons``
        decode them into Leaflet's nested ``[lat, lon]`` arrays.

    Raises
    ------
    TypeError
        For points and geometry collections.

    Examples
    --------
    >>> import shapely
    >>> encode_geometry(shapely.LineString([(-120.2, 38.5), (-120.95, 40.7)]), 5)
    ['_p~iF~ps|U_ulLnnqC']
    >>> encode_geometry(shapely.box(-99.0, 19.0, -98.0, 20.0), 0)
    [['e@bEA??@@?']]
    >>> len(encode_geometry(shapely.MultiPolygon([shapely.box(0, 0, 1, 1)] * 2), 3))
    2
    >>> encode_geometry(None), encode_geometry(shapely.Polygon())
    ([], [])
    """
    return encode_geometries([geom], precision)[0]
