"""Commercial truck waits at US–Mexico crossings from the US CBP Border Wait Times feed.

**A live snapshot, not a typical wait.** The CBP feed reports the wait at one moment (CBP
updates each crossing at its own pace through the day). A 20-minute wait at 3 a.m. on a Sunday
says little about the wait a plant's trucks will meet on weekday afternoons. Every table made
here therefore carries the time it was fetched (``fetched_at``, UTC) and outputs that use it
should say so, e.g. with :func:`snapshot_label`: "CBP live snapshot of 2025-01-15T19:05:12Z (a
moment, not a typical wait)". A scenario may instead give typical waits by hand (minutes per CBP
port code, standard and FAST lanes), which is the better input for siting; this module's CSV
format (:func:`write_waits_csv`, :func:`read_waits_csv`) is one way to write them down.

Waits are optional. When the feed cannot be reached, :func:`fetch_cbp_waits` raises
:class:`WaitsUnavailableError` (reported by the command line as one message) and nothing is
cached.

Feed format
-----------
``GET https://bwt.cbp.gov/api/bwtnew`` returns a JSON array with one object per crossing (lane
set), e.g.::

    {"port_number": "230404", "border": "Mexican Border", "port_name": "Laredo",
     "crossing_name": "World Trade Bridge", "hours": "24 hrs/day",
     "date": "1/15/2025", "time": "13:05:12", "port_status": "Open",
     "commercial_vehicle_lanes": {
         "maximum_lanes": "14", "cv_automation_type": "Manual", ...,
         "standard_lanes": {"update_time": "At 1:00 pm CST", "operational_status": "delay",
                            "delay_minutes": "35", "lanes_open": "10"},
         "FAST_lanes": {"update_time": "", "operational_status": "N/A",
                        "delay_minutes": "", "lanes_open": ""}},
     "passenger_vehicle_lanes": {...}, "pedestrian_lanes": {...}, ...}

All values are strings. ``port_number`` is six digits: the CBP four-digit port code followed by a
two-digit crossing number. ``operational_status`` is ``"no delay"``, ``"delay"``,
``"Lanes Closed"``, ``"Update Pending"`` or ``"N/A"``; ``delay_minutes`` is empty when no wait is
reported. ``date`` and ``time`` are the feed's own time stamp, in the port's local time without a
zone. The format was established from public client code and a saved response, not from a CBP
specification: GitHub ``WSDOT-GIS/border-crossings``, files ``sample_response.json`` (a saved
``bwtnew`` answer of 2022-06-29), ``types.mts`` / ``packages/border-crossings/types.mts`` (field
types) and ``index.mts`` (the URL ``https://bwt.cbp.gov/api/bwtnew``). Other public clients read
the same field names (``commercial_vehicle_lanes`` → ``standard_lanes`` → ``delay_minutes``).
The parser is defensive: missing sections, unknown statuses and non-numeric minutes give NaN,
not an error.

Caveat: the feed's four-digit prefix is the CBP port code used by
:func:`siting.layers.crossings.land_ports` for the ports checked here (Laredo 2304, Otay Mesa
2506), but CBP may group a bridge under a neighbouring port; join on ``port_code`` and check
the ports that do not match.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import json
import logging
import math
import os
import re
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from siting._csv import escape_formulas
from siting._errors import InputError, SitingError
from siting.layers import settings
from siting.layers._data import package_version

__all__ = [
    "CACHE_SUBFOLDER",
    "CBP_BWT_URL",
    "WAITS_COLUMNS",
    "WaitsUnavailableError",
    "fetch_cbp_waits",
    "parse_cbp_bwt",
    "port_waits",
    "read_waits_csv",
    "snapshot_label",
    "write_waits_csv",
]

logger = logging.getLogger(__name__)

#: The CBP Border Wait Times JSON feed (all land ports, both borders).
CBP_BWT_URL = "https://bwt.cbp.gov/api/bwtnew"

#: Sub-folder of the siting cache folder holding the raw feed answers.
CACHE_SUBFOLDER = "cbp_waits"

#: Columns of :func:`port_waits`, of the waits CSV and of :func:`fetch_cbp_waits`.
WAITS_COLUMNS = ("port_code", "port_name", "standard_min", "fast_min", "crossings", "fetched_at")

#: Columns of :func:`parse_cbp_bwt`.
CROSSING_COLUMNS = (
    "port_code",
    "port_name",
    "crossing_name",
    "standard_min",
    "fast_min",
    "standard_status",
    "fast_status",
    "updated",
    "fetched_at",
)

#: What to do without the feed; part of the :class:`WaitsUnavailableError` message.
MANUAL_WAITS_HINT = (
    "Border waits are optional: siting runs without them. To include them, give typical "
    "commercial truck waits by hand in the scenario's [crossing_waits] section (minutes per "
    'crossing by port name, e.g. Laredo = 60 or "Otay Mesa" = {standard = 45, fast = 20}), or '
    'point it to a waits CSV (file = "waits.csv", columns port_code,standard_min,fast_min).'
)

# operational_status values for which delay_minutes is not a wait
_NO_READING = {"lanes closed", "n/a", "update pending", "closed", ""}
_SNAPSHOT_RE = re.compile(r"^cbp_bwt_(\d{8}T\d{6}Z)\.json$")
_TEMP_KIND = "cbp_bwt"  # temporary files: .cbp_bwt_<pid>_<random>.json.tmp
_STAMP = "%Y%m%dT%H%M%SZ"
_MINUTE_FIELDS = ("standard_min", "fast_min")
_REQUIRED_CSV = ("port_code", "standard_min", "fast_min")


class WaitsUnavailableError(SitingError, ConnectionError):
    """The CBP Border Wait Times feed could not be reached or gave no usable answer.

    Waits are optional; the message says how to give them by hand instead. A
    :class:`~siting.SitingError`, so the command line reports it as one message.
    """


def snapshot_label(table: pd.DataFrame) -> str:
    """Return the label that outputs using a fetched waits table should show.

    Parameters
    ----------
    table
        A table with a ``fetched_at`` column, as from :func:`fetch_cbp_waits`.

    Returns
    -------
    str
        E.g. ``"CBP live snapshot of 2025-01-15T19:05:12Z (a moment, not a typical wait)"``;
        ``"typical waits given by hand"`` when no row has a ``fetched_at``.

    Examples
    --------
    >>> import pandas as pd
    >>> snapshot_label(pd.DataFrame({"fetched_at": ["2025-01-15T19:05:12Z"]}))
    'CBP live snapshot of 2025-01-15T19:05:12Z (a moment, not a typical wait)'
    """
    stamps = sorted(
        {str(v) for v in table.get("fetched_at", pd.Series(dtype=object)) if _filled(v)}
    )
    if not stamps:
        return "typical waits given by hand"
    return f"CBP live snapshot of {', '.join(stamps)} (a moment, not a typical wait)"


def parse_cbp_bwt(
    payload: bytes | str | Sequence[Mapping[str, Any]], *, fetched_at: datetime
) -> pd.DataFrame:
    """Turn a CBP Border Wait Times answer into one row per Mexican-border commercial crossing.

    Crossings on the Canadian border are skipped, and so are crossings without a
    ``commercial_vehicle_lanes`` section or whose section has no commercial lanes
    (``maximum_lanes`` ``"N/A"``) and reports no wait, such as Otay Mesa "Passenger".

    Parameters
    ----------
    payload
        The JSON answer of :data:`CBP_BWT_URL`, as bytes, text or the decoded list.
    fetched_at
        When the answer was fetched; timezone-aware (converted to UTC).

    Returns
    -------
    pandas.DataFrame
        Columns ``port_code`` (CBP 4-digit code: the first four digits of ``port_number``),
        ``port_name``, ``crossing_name``, ``standard_min`` and ``fast_min`` (float minutes of the
        commercial standard and FAST lanes; NaN when the lanes are closed, ``"N/A"``, pending or
        not reported; 0 for "no delay" without a number), ``standard_status`` and
        ``fast_status`` (the feed's ``operational_status``), ``updated`` (the feed's own
        ``date``/``time``, port local time, ISO without zone; empty if not given) and
        ``fetched_at`` (UTC ISO, e.g. ``"2025-01-15T19:05:12Z"``). Sorted by ``port_code`` and
        ``crossing_name``.

    Raises
    ------
    WaitsUnavailableError
        If the payload is not JSON or not a list of crossing objects.
    ValueError
        If ``fetched_at`` has no timezone.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> lanes = {
    ...     "maximum_lanes": "14",
    ...     "standard_lanes": {"operational_status": "delay", "delay_minutes": "35"},
    ...     "FAST_lanes": {"operational_status": "Lanes Closed", "delay_minutes": ""},
    ... }
    >>> feed = [{"port_number": "230404", "border": "Mexican Border", "port_name": "Laredo",
    ...          "crossing_name": "World Trade Bridge", "commercial_vehicle_lanes": lanes}]
    >>> rows = parse_cbp_bwt(feed, fetched_at=datetime(2025, 1, 15, 19, 5, tzinfo=UTC))
    >>> print(rows[["port_code", "standard_min", "fast_min", "fetched_at"]].to_string(index=False))
    port_code  standard_min  fast_min           fetched_at
         2304          35.0       NaN 2025-01-15T19:05:00Z
    """
    stamp = _utc_iso(fetched_at)
    entries = _decode(payload)
    records = []
    skipped = {"canadian": 0, "no_commercial": 0, "bad_port_number": 0}
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        if "mexic" not in str(entry.get("border", "")).lower():
            skipped["canadian"] += 1
            continue
        number = str(entry.get("port_number", "")).strip()
        if not re.fullmatch(r"\d{6}", number):
            skipped["bad_port_number"] += 1
            logger.warning("CBP feed: skipped a crossing with port_number %r", number)
            continue
        section = entry.get("commercial_vehicle_lanes")
        if not isinstance(section, Mapping):
            skipped["no_commercial"] += 1
            continue
        standard, standard_status = _lane_minutes(section.get("standard_lanes"))
        fast, fast_status = _lane_minutes(section.get("FAST_lanes"))
        max_lanes = str(section.get("maximum_lanes", "")).strip().upper()
        if max_lanes in {"N/A", "", "0"} and math.isnan(standard) and math.isnan(fast):
            skipped["no_commercial"] += 1
            continue
        records.append(
            {
                "port_code": number[:4],
                "port_name": str(entry.get("port_name") or "").strip(),
                "crossing_name": str(entry.get("crossing_name") or "").strip(),
                "standard_min": standard,
                "fast_min": fast,
                "standard_status": standard_status,
                "fast_status": fast_status,
                "updated": _feed_time(entry.get("date"), entry.get("time")),
                "fetched_at": stamp,
            }
        )
    logger.debug("CBP feed: %d commercial crossings kept, skipped %s", len(records), skipped)
    table = pd.DataFrame.from_records(records, columns=list(CROSSING_COLUMNS))
    table = table.astype({"standard_min": float, "fast_min": float})
    return table.sort_values(["port_code", "crossing_name"], kind="stable").reset_index(drop=True)


def port_waits(crossing_rows: pd.DataFrame) -> pd.DataFrame:
    """Collapse crossing rows to one row per CBP port: the shortest reported wait.

    Rule: a trucker at a port with several commercial bridges takes the faster one, so
    ``standard_min`` is the minimum of ``standard_min`` over the port's crossings that report a
    value, and ``fast_min`` likewise for FAST lanes (the two minima may come from different
    bridges). NaN when no crossing of the port reports a value. ``crossings`` counts all the
    port's commercial crossings in the input, reporting or not.

    Parameters
    ----------
    crossing_rows
        Output of :func:`parse_cbp_bwt`.

    Returns
    -------
    pandas.DataFrame
        Columns ``port_code``, ``port_name``, ``standard_min``, ``fast_min``, ``crossings``,
        ``fetched_at`` (the latest of the port's rows), one row per ``port_code``, sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"port_code": ["2304", "2304"], "port_name": ["Laredo"] * 2,
    ...                      "standard_min": [45.0, 35.0], "fast_min": [20.0, 50.0],
    ...                      "fetched_at": ["2025-01-15T19:05:12Z"] * 2})
    >>> port_waits(rows)[["port_code", "standard_min", "fast_min", "crossings"]].values.tolist()
    [['2304', 35.0, 20.0, 2]]
    """
    missing = [c for c in ("port_code", "standard_min", "fast_min") if c not in crossing_rows]
    if missing:
        msg = f"`crossing_rows` lacks column(s) {missing}; expected the output of parse_cbp_bwt"
        raise ValueError(msg)
    rows = crossing_rows.copy()
    for column in ("port_name", "fetched_at"):
        if column not in rows:
            rows[column] = ""
    grouped = rows.groupby("port_code", sort=True)
    table = pd.DataFrame(
        {
            "port_name": grouped["port_name"].first(),
            "standard_min": grouped["standard_min"].min(),  # skips NaN; NaN if all NaN
            "fast_min": grouped["fast_min"].min(),
            "crossings": grouped.size(),
            "fetched_at": grouped["fetched_at"].max(),
        }
    ).reset_index()
    table = table.astype({"standard_min": float, "fast_min": float, "crossings": "int64"})
    return table[list(WAITS_COLUMNS)]


def fetch_cbp_waits(
    *,
    cache_dir: Path | None = None,
    timeout: float = 20.0,
    max_age_minutes: float = 15.0,
) -> pd.DataFrame:
    """Download the current CBP Border Wait Times and return the per-port table.

    The raw answer is kept in the cache folder as ``cbp_bwt_<UTC time>.json`` (e.g.
    ``cbp_bwt_20250115T190512Z.json``), written atomically and only once it has parsed into at
    least one Mexican-border commercial crossing. A cached answer younger than
    ``max_age_minutes`` is reused instead of downloading. A cache folder that cannot be created
    or written (read-only, a file in its place, disk full) only costs the cache: the answer is
    used without being kept, with one warning. The result is a live snapshot: see
    :func:`snapshot_label`.

    Parameters
    ----------
    cache_dir
        Folder of the cached answers; ``settings.cache_path("cbp_waits")`` if None.
    timeout
        Seconds to wait for the server.
    max_age_minutes
        Reuse a cached answer fetched less than this many minutes ago; 0 always downloads.

    Returns
    -------
    pandas.DataFrame
        The :func:`port_waits` table, ``fetched_at`` being when the answer was downloaded.

    Raises
    ------
    WaitsUnavailableError
        If the feed cannot be reached (offline, time-out, HTTP error) or its answer is not usable.
        The message says that waits are optional and how to give them by hand.
    """
    if cache_dir is not None:
        folder = Path(cache_dir)
    else:
        folder = settings.cache_path(CACHE_SUBFOLDER, create=False)
    now = _utcnow()
    settings.remove_stale_temp_files(folder, _TEMP_KIND)
    cached = _fresh_snapshot(folder, now, timedelta(minutes=max_age_minutes))
    if cached is not None:
        path, fetched_at = cached
        try:
            rows = parse_cbp_bwt(path.read_bytes(), fetched_at=fetched_at)
        except (WaitsUnavailableError, OSError) as exc:
            logger.warning("ignoring unreadable cached CBP answer %r: %s", str(path), exc)
        else:
            if not rows.empty:
                logger.info("CBP waits from cache %r", str(path))
                return port_waits(rows)
    logger.info("downloading CBP Border Wait Times from %r", CBP_BWT_URL)
    try:
        body = _http_get(CBP_BWT_URL, timeout=timeout)
    except (OSError, http.client.HTTPException) as exc:
        msg = (
            f"could not reach the US CBP Border Wait Times feed at {CBP_BWT_URL!r} "
            f"({_reason(exc)}). {MANUAL_WAITS_HINT}"
        )
        raise WaitsUnavailableError(msg) from exc
    try:
        rows = parse_cbp_bwt(body, fetched_at=now)
    except WaitsUnavailableError as exc:
        msg = f"{exc} {MANUAL_WAITS_HINT}"
        raise WaitsUnavailableError(msg) from exc
    if rows.empty:
        msg = (
            f"the US CBP Border Wait Times feed at {CBP_BWT_URL!r} answered, but listed no "
            f"Mexican-border crossing with commercial lanes. {MANUAL_WAITS_HINT}"
        )
        raise WaitsUnavailableError(msg)
    _save_answer(folder / f"cbp_bwt_{now.strftime(_STAMP)}.json", body)
    return port_waits(rows)


def write_waits_csv(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a waits table to CSV, atomically (temporary file, then rename).

    The first line is the header ``port_code,port_name,standard_min,fast_min,crossings,
    fetched_at`` (no comment lines); unknown minutes are empty cells.

    Parameters
    ----------
    table
        A :func:`port_waits` / :func:`fetch_cbp_waits` table. ``port_name``, ``crossings`` and
        ``fetched_at`` may be absent (written empty).
    path
        Output file; its folder must exist.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    missing = [c for c in _REQUIRED_CSV if c not in table]
    if missing:
        msg = f"`table` lacks column(s) {missing}; expected columns {list(WAITS_COLUMNS)}"
        raise ValueError(msg)
    out = pd.DataFrame({c: table[c] if c in table else "" for c in WAITS_COLUMNS})
    if "crossings" in table:
        out["crossings"] = pd.to_numeric(table["crossings"], errors="coerce").astype("Int64")
    out = escape_formulas(out)  # names from the feed: never a formula in a spreadsheet
    text = out.to_csv(index=False, float_format="%g", lineterminator="\n")
    _atomic_write(path, text.encode("utf-8"))
    return path


def read_waits_csv(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and validate a waits CSV (as written by :func:`write_waits_csv` or by hand).

    Required columns: ``port_code`` (CBP 4-digit code), ``standard_min``, ``fast_min``;
    optional: ``port_name``, ``crossings``, ``fetched_at`` (empty = typical waits given by
    hand). Minutes are numbers ≥ 0; an empty cell means unknown (NaN). Every problem is
    collected and reported at once, each naming the row as a spreadsheet shows it (header =
    row 1) and the field.

    Parameters
    ----------
    path
        The CSV file (UTF-8, comma-separated).

    Returns
    -------
    pandas.DataFrame
        Columns ``port_code``, ``port_name``, ``standard_min``, ``fast_min`` (float),
        ``crossings`` (nullable integer), ``fetched_at``.

    Raises
    ------
    InputError
        If the file is missing or unreadable, lacks a required column, or a row is invalid.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
    except FileNotFoundError:
        msg = f"waits file {str(path)!r} not found"
        raise InputError(msg) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        msg = f"waits file {str(path)!r} could not be read as a UTF-8 CSV: {exc}"
        raise InputError(msg) from exc
    if not records or not any(cell.strip() for cell in records[0]):
        msg = f"waits file {str(path)!r}: row 1 should be the header {','.join(WAITS_COLUMNS)}"
        raise InputError(msg)
    header = [cell.strip() for cell in records[0]]
    missing = [c for c in _REQUIRED_CSV if c not in header]
    if missing:
        msg = (
            f"waits file {str(path)!r}: header (row 1) lacks column(s) {', '.join(missing)}; "
            f"expected {','.join(WAITS_COLUMNS)} (port_name, crossings, fetched_at optional), "
            f"got {','.join(header)}"
        )
        raise InputError(msg)
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        cells = {
            name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)
        }
        row: dict[str, Any] = {"port_name": cells.get("port_name", "")}
        code = cells["port_code"]
        if not re.fullmatch(r"\d{4}", code):
            problems.append(
                f"row {number}, field port_code: expected a 4-digit CBP port code such as "
                f"2304 (Laredo), got {code!r}"
            )
        elif code in seen:
            problems.append(
                f"row {number}, field port_code: {code} already given in row {seen[code]}; "
                "expected one row per port"
            )
        else:
            seen[code] = number
        row["port_code"] = code
        for field in _MINUTE_FIELDS:
            value = cells[field]
            minutes = _minutes_cell(value)
            if minutes is None:
                problems.append(
                    f"row {number}, field {field}: expected minutes as a number ≥ 0, or an "
                    f"empty cell for unknown, got {value!r}"
                )
                minutes = math.nan
            row[field] = minutes
        crossings = cells.get("crossings", "")
        if crossings and not re.fullmatch(r"\d+", crossings):
            problems.append(
                f"row {number}, field crossings: expected a whole number ≥ 0 or an empty cell, "
                f"got {crossings!r}"
            )
            crossings = ""
        row["crossings"] = int(crossings) if crossings else pd.NA
        row["fetched_at"] = cells.get("fetched_at", "")
        rows.append(row)
    if problems:
        if len(problems) == 1:
            msg = f"waits file {str(path)!r}, {problems[0]}"
        else:
            listed = "\n".join(f"  - {p}" for p in problems)
            msg = f"waits file {str(path)!r} has {len(problems)} problems:\n{listed}"
        raise InputError(msg)
    table = pd.DataFrame.from_records(rows, columns=list(WAITS_COLUMNS))
    return table.astype(
        {
            "port_code": str,
            "port_name": str,
            "standard_min": float,
            "fast_min": float,
            "crossings": "Int64",
            "fetched_at": str,
        }
    )


# --- internals -------------------------------------------------------------------------------


def _http_get(url: str, *, timeout: float) -> bytes:
    """Return the body of a GET of ``url``; raise OSError/HTTPException on failure."""
    request = urllib.request.Request(
        url,
        headers={"User-Agent": f"siting/{package_version()}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def _utcnow() -> datetime:
    """Return the current UTC time, to the second (a function so tests can set the clock)."""
    return datetime.now(UTC).replace(microsecond=0)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"{exc.reason}"
    if isinstance(exc, TimeoutError):
        return "no answer before the time-out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _decode(payload: bytes | str | Sequence[Mapping[str, Any]]) -> list[Any]:
    if isinstance(payload, bytes | bytearray | str):
        try:
            payload = json.loads(payload)
        except (ValueError, UnicodeDecodeError) as exc:
            msg = f"the CBP Border Wait Times answer is not JSON ({exc})."
            raise WaitsUnavailableError(msg) from exc
    if not isinstance(payload, list):
        msg = (
            "the CBP Border Wait Times answer is not in the expected format: expected a JSON "
            f"list of crossings, got {type(payload).__name__}."
        )
        raise WaitsUnavailableError(msg)
    return payload


def _lane_minutes(lane: Any) -> tuple[float, str]:
    """Return (minutes or NaN, operational status) of one lane object of the feed."""
    if not isinstance(lane, Mapping):
        return math.nan, ""
    status = str(lane.get("operational_status") or "").strip()
    if status.lower() in _NO_READING:
        return math.nan, status
    raw = str(lane.get("delay_minutes") or "").strip()
    if not raw:
        return (0.0 if status.lower() == "no delay" else math.nan), status
    try:
        minutes = float(raw)
    except ValueError:
        return math.nan, status
    return (minutes if math.isfinite(minutes) and minutes >= 0 else math.nan), status


def _feed_time(date: Any, time: Any) -> str:
    """Return the feed's ``date``/``time`` as ISO local time; the raw text if unparsable."""
    date_text, time_text = str(date or "").strip(), str(time or "").strip()
    if not date_text:
        return ""
    for pattern, text in (
        ("%m/%d/%Y %H:%M:%S", f"{date_text} {time_text}"),
        ("%m/%d/%Y", date_text),
    ):
        try:
            return datetime.strptime(text, pattern).isoformat()
        except ValueError:
            continue
    return f"{date_text} {time_text}".strip()


def _utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = f"`fetched_at` must be timezone-aware (e.g. datetime.now(UTC)), got {moment!r}"
        raise ValueError(msg)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fresh_snapshot(
    folder: Path, now: datetime, max_age: timedelta
) -> tuple[Path, datetime] | None:
    """Return the newest cached answer fetched less than ``max_age`` before ``now``.

    None also if ``folder`` does not exist or cannot be listed (e.g. a file in its place).
    """
    newest: tuple[Path, datetime] | None = None
    try:
        paths = list(folder.iterdir())
    except OSError:
        return None
    for path in paths:
        match = _SNAPSHOT_RE.match(path.name)
        if not match:
            continue
        stamp = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
        if newest is None or stamp > newest[1]:
            newest = (path, stamp)
    if newest is None or not timedelta(0) <= now - newest[1] < max_age:
        return None
    return newest


def _save_answer(path: Path, body: bytes) -> None:
    """Keep a CBP answer in the cache (atomically); one warning if it cannot be written."""
    temp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = settings.cache_temp_file(path, _TEMP_KIND)
        temp.write_bytes(body)
        os.replace(temp, path)
    except OSError as exc:
        logger.warning(
            "could not write the CBP answer cache %r: %s; continuing without it (%s)",
            str(path),
            settings.os_error_reason(exc),
            settings.CACHE_HINT,
        )
    else:
        logger.info("saved CBP answer to %r", str(path))
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file next to ``path``, then rename it over ``path``."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _minutes_cell(value: str) -> float | None:
    """Return minutes of a CSV cell (NaN if empty), or None if invalid."""
    if not value:
        return math.nan
    try:
        minutes = float(value)
    except ValueError:
        return None
    return minutes if math.isfinite(minutes) and minutes >= 0 else None


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and value != ""
