"""Tables for state agencies: the national ranking by state, for Excel, for a CSV and for GIS.

A state's economic-development agency reads the national run for its own territory, in its own
language, in the programs its staff open. Three files serve it (``siting atlas``), all built from
one table, :func:`agency_table`: one row per candidate site of the chosen states, in atlas order
(by state code, then national rank; sites without a rank last, with the reason). Scores and
national ranks are the national run's, never rescaled; the state rank is the site's place among
the ranked sites of its state (:func:`siting.municipal.state_ranks`).

* :func:`write_ranking_xlsx`: ``ranking.xlsx``, a first "About" sheet (scenario, run id, date,
  version, criteria and weights, notes, data sources) and one sheet per state, with a bold
  frozen header, an autofilter, fitted column widths and number formats.
* :func:`write_ranking_csv`: ``ranking.csv``, every row in one table, UTF-8 with a byte-order mark
  so that Excel reads accents ("Querétaro") right.
* :func:`write_sites_gpkg`: ``sites.gpkg``, a GeoPackage with the layers ``sites`` (points) and
  ``municipal_surface`` (the municipalities of those states and the best score they reach), with
  machine column names, for QGIS and ArcGIS.

Column labels and the text of the About sheet come from :data:`siting.text.AGENCY_COLUMNS_BY_LANG`
and :data:`siting.text.AGENCY_TEXT_BY_LANG`. Text that a spreadsheet would run as a formula (a
site named ``=HYPERLINK(…)``) stays text: an inert string cell in ``ranking.xlsx``, a leading
apostrophe in ``ranking.csv`` (:mod:`siting._csv`).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from siting import __version__
from siting._csv import FORMULA_STARTS, escape_formulas
from siting.criterion import CRITERIA
from siting.localize import format_date
from siting.metros import ranked_mask
from siting.municipal import SURFACE_COLUMNS, state_ranks
from siting.result import RunResult
from siting.text import (
    AGENCY_COLUMNS_BY_LANG,
    AGENCY_TEXT_BY_LANG,
    EXCLUDED_BY_BY_LANG,
    NETWORK_TEXT_BY_LANG,
    check_lang,
)

__all__ = [
    "AGENCY_KEYS",
    "NUMBER_FORMATS",
    "agency_table",
    "labelled",
    "write_ranking_csv",
    "write_ranking_xlsx",
    "write_sites_gpkg",
]

logger = logging.getLogger(__name__)

#: Columns of :func:`agency_table`, in order (those the ranking has).
AGENCY_KEYS: tuple[str, ...] = (
    "rank",
    "state_rank",
    "name",
    "municipality",
    "state",
    "metro",
    "score",
    "nearest_crossing",
    "crossing_drive_min",
    "crossing_km",
    "labor_pool",
    "labor_force",
    "homicide_rate",
    "cargo_theft_rate",
    "nearest_seaport",
    "seaport_drive_min",
    "excluded_by",
    "lon",
    "lat",
)

#: Excel number format of each numeric column of ``ranking.xlsx`` (the cell keeps the full value).
NUMBER_FORMATS: dict[str, str] = {
    "rank": "0",
    "state_rank": "0",
    "score": "#,##0.0",
    "crossing_drive_min": "#,##0",
    "crossing_km": "#,##0.0",
    "labor_pool": "#,##0",
    "labor_force": "#,##0",
    "homicide_rate": "#,##0.0",
    "cargo_theft_rate": "#,##0.00",  # state rates of a few tenths: two decimals tell them apart
    "seaport_drive_min": "#,##0",
    "lon": "0.00000",
    "lat": "0.00000",
}

#: Columns the ranking must have.
_REQUIRED = ("rank", "name", "score", "state", "CVE_ENT")
#: Code columns the ``sites`` layer adds to the table (joins in a GIS; not in the spreadsheets,
#: where Excel would drop a CSV code's leading zero).
_GIS_KEYS = ("CVEGEO", "CVE_ENT")
#: Characters Excel refuses in a sheet name, and its length limit.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
#: Characters XML (so an .xlsx cell) cannot hold: C0 controls but tab, newline, carriage return.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Widest a fitted column gets (characters), and the header's widest line before it wraps.
_MAX_WIDTH = 60
_HEADER_WRAP = 22
#: Column widths of the About sheet (characters).
_ABOUT_WIDTHS = (40, 60, 40, 50)


def agency_table(
    result: RunResult, *, states: Iterable[str] | str | None = None, lang: str = "es"
) -> pd.DataFrame:
    """Return the candidate sites of ``states`` with their national and state ranks.

    One row per candidate site of the national run in the given states, ordered by state code,
    then national rank; sites without a rank (excluded by a constraint, not reachable) follow
    the ranked ones of their state, with an empty rank and, when the ranking says why, the
    reason (``excluded_by``, in ``lang``). Sites with no state (outside Mexico) come last when
    ``states`` is None.

    Parameters
    ----------
    result
        The national run (:func:`siting.run`).
    states
        State codes (``CVE_ENT``, e.g. ``["19", "02"]``; one code as a string is one state);
        None for every site.
    lang
        Language of the text values (the exclusion reasons): ``"es"`` or ``"en"``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``result.ranking``; the columns of :data:`AGENCY_KEYS` that the ranking
        has, values numeric (never formatted): ``rank`` (national, NaN if not ranked),
        ``state_rank``, ``score`` (national 0-100, never rescaled), drive times in minutes
        (``inf`` where not reachable), distances in km, rates per 100,000, ``lon``/``lat``.
        Rename the columns for people with :func:`labelled`.

    Raises
    ------
    ValueError
        If ``result`` is not a run, its ranking lacks a needed column, a state code is unknown
        (naming it and the valid codes) or ``lang`` is not a language of the tables.
    """
    lang = check_lang(lang)
    ranking = _check_result(result)
    codes = _state_codes(result, states)
    return _table(ranking, codes, lang).drop(columns="_code")


def labelled(table: pd.DataFrame, lang: str = "es") -> pd.DataFrame:
    """Return ``table`` with its machine column names replaced by labels in ``lang``.

    Labels come from :data:`siting.text.AGENCY_COLUMNS_BY_LANG`; other columns keep their name.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"rank": [1.0], "name": ["Querétaro"], "score": [87.5], "x": [0]})
    >>> list(labelled(t, "es").columns)
    ['Lugar nacional', 'Sitio', 'Puntaje (0–100)', 'x']
    >>> list(labelled(t, "en").columns)
    ['National rank', 'Site', 'Score (0–100)', 'x']
    """
    labels = AGENCY_COLUMNS_BY_LANG[check_lang(lang)]
    return table.rename(columns={c: labels[c] for c in table.columns if c in labels})


def write_ranking_xlsx(
    path: str | os.PathLike[str],
    result: RunResult,
    *,
    states: Iterable[str] | str | None = None,
    lang: str = "es",
    run_id: str | None = None,
    day: dt.date | None = None,
    author: str | None = None,
    title: str | None = None,
) -> Path:
    """Write ``ranking.xlsx``: an About sheet, then one sheet per state, and return its path.

    The About sheet (``"Acerca de"`` / ``"About"``) gives the title, scenario, aggregation,
    distances, run id, date, siting version, author, states, how to read the sheets, the
    criteria and their weights, the run's notes and its data sources (publisher, date, licence).
    Each state's sheet, named after the state (Excel's rules: at most 31 characters, no
    brackets, colon, asterisk, question mark or slashes, unique), holds its rows of
    :func:`agency_table` with labelled columns: a bold frozen header, an autofilter, column
    widths fitted to the content, :data:`NUMBER_FORMATS` and printing on landscape pages one
    page wide, the header repeated. Sheets follow the state codes; a requested state with no
    site gets a sheet with its header only; with ``states`` None, one sheet per state that has
    sites (and one for sites outside Mexico).

    Empty cells: NaN, and the infinite drive time of a place not reachable by road. Text is
    always a string cell, never a formula (a site named ``=HYPERLINK(…)`` stays that text; text
    that starts like a formula is also marked quote-prefixed).

    Parameters
    ----------
    path
        File to write (replaced if it exists).
    result, states, lang
        As for :func:`agency_table`; ``lang`` is also the language of the labels and of the
        About sheet.
    run_id
        Hash that ties the file to its run record (``run.json``); omitted when None.
    day
        Production date (default: today).
    author
        Who prepared it ("Elaboró"); omitted when None.
    title
        Title of the About sheet (default: the text table's).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        As :func:`agency_table`.
    """
    from openpyxl import Workbook

    lang = check_lang(lang)
    ranking = _check_result(result)
    codes = _state_codes(result, states)
    table = _table(ranking, codes, lang)
    text = AGENCY_TEXT_BY_LANG[lang]
    labels = AGENCY_COLUMNS_BY_LANG[lang]

    book = Workbook()
    about = book.active
    about.title = _sheet_title(text["about_sheet"], set())
    taken = {about.title.casefold()}
    shown: list[str | None] = list(codes) if codes is not None else _present_codes(table)
    names = _state_names(result)
    for code in shown:
        rows = table[table["_code"].eq(code) if code is not None else table["_code"].isna()]
        name = text["outside_sheet"] if code is None else names.get(code, code)
        sheet = book.create_sheet(_sheet_title(name, taken))
        taken.add(sheet.title.casefold())
        _fill_state_sheet(sheet, rows.drop(columns="_code"), labels)
    _fill_about(
        about,
        result,
        lang=lang,
        run_id=run_id,
        day=day or dt.date.today(),
        author=author,
        title=title,
        states=[text["outside_sheet"] if c is None else names.get(c, c) for c in shown],
        n_sites=len(table),
    )
    book.properties.title = title or text["title"]
    book.properties.creator = f"siting {__version__}"
    out = Path(path)
    book.save(out)
    logger.info("Wrote %r (%d state sheet(s), %d sites)", str(out), len(shown), len(table))
    return out


def write_ranking_csv(
    path: str | os.PathLike[str],
    result: RunResult,
    *,
    states: Iterable[str] | str | None = None,
    lang: str = "es",
) -> Path:
    """Write ``ranking.csv``: the rows of every state sheet of ``ranking.xlsx`` in one table.

    Columns labelled in ``lang``; UTF-8 with a byte-order mark (``utf-8-sig``), which Excel needs
    to read accents right; text that a spreadsheet would run as a formula gets a leading
    apostrophe (:func:`siting._csv.escape_formulas`); numbers without float noise (``%.10g``);
    NaN and the infinite drive times of places not reachable by road are empty.

    Parameters
    ----------
    path
        File to write (replaced if it exists).
    result, states, lang
        As for :func:`agency_table`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        As :func:`agency_table`.
    """
    table = agency_table(result, states=states, lang=lang)
    table = labelled(_finite(table), lang)
    out = Path(path)
    escape_formulas(table).to_csv(out, index=False, encoding="utf-8-sig", float_format="%.10g")
    logger.info("Wrote %r (%d sites)", str(out), len(table))
    return out


def write_sites_gpkg(
    path: str | os.PathLike[str],
    result: RunResult,
    surface: gpd.GeoDataFrame,
    *,
    states: Iterable[str] | str | None = None,
    lang: str = "es",
) -> Path:
    """Write ``sites.gpkg``: layers ``sites`` and ``municipal_surface``, for QGIS and ArcGIS.

    Layer ``sites``: the rows of :func:`agency_table` with its machine column names, plus
    ``CVEGEO`` and ``CVE_ENT`` (for joins), points in EPSG:4326. Layer ``municipal_surface``: the
    rows of ``surface`` in those states, columns :data:`siting.municipal.SURFACE_COLUMNS` that it
    has (``CVEGEO``, ``CVE_ENT``, ``municipality``, ``state``, ``best_score``, ``best_site``,
    ``best_rank``, ``reach_min``, ...), polygons promoted to multipolygons, EPSG:4326. Infinite
    values (drive times of places not reachable by road) are written as nulls.

    Parameters
    ----------
    path
        File to write (replaced if it exists).
    result, states, lang
        As for :func:`agency_table` (``lang``: the exclusion reasons).
    surface
        The municipal surface of the run (:func:`siting.municipal.municipal_surface`): a
        GeoDataFrame with a CRS and at least ``CVE_ENT``.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        As :func:`agency_table`, or if ``surface`` is not a GeoDataFrame with a CRS and a
        ``CVE_ENT`` column.
    """
    lang = check_lang(lang)
    ranking = _check_result(result)
    _check_surface(surface)
    codes = _state_codes(result, states)
    table = _table(ranking, codes, lang).drop(columns="_code")
    keys = [c for c in _GIS_KEYS if c in ranking.columns]
    sites = _finite(table.join(ranking[keys]))
    geometry = ranking.geometry.loc[table.index].to_crs(4326)
    sites_layer = gpd.GeoDataFrame(sites, geometry=geometry.to_numpy(), crs=4326)

    wanted = surface if codes is None else surface[surface["CVE_ENT"].isin(codes)]
    columns = [c for c in SURFACE_COLUMNS if c in wanted.columns and c != "geometry"]
    surface_layer = gpd.GeoDataFrame(
        _finite(pd.DataFrame(wanted[columns])),
        geometry=wanted.geometry.to_crs(4326).to_numpy(),
        crs=4326,
    )

    out = Path(path)
    out.unlink(missing_ok=True)  # a fresh file: no layer of an older one survives
    for name, layer, kind in (
        ("sites", sites_layer, "Point"),
        ("municipal_surface", surface_layer, "MultiPolygon"),
    ):
        layer.reset_index(drop=True).to_file(
            out,
            driver="GPKG",
            layer=name,
            engine="pyogrio",
            geometry_type=kind,
            promote_to_multi=kind == "MultiPolygon",
        )
    logger.info(
        "Wrote %r (%d sites, %d municipalities)", str(out), len(sites_layer), len(surface_layer)
    )
    return out


# --- the table -----------------------------------------------------------------------------


def _check_result(result: object) -> gpd.GeoDataFrame:
    """Return the ranking of ``result``; raise ValueError if it is not a run or lacks columns."""
    if not isinstance(result, RunResult):
        msg = f"`result` must be a RunResult (siting.run), received {type(result).__name__}"
        raise ValueError(msg)
    ranking = result.ranking
    missing = [c for c in _REQUIRED if c not in ranking.columns]
    if missing:
        msg = f"`result.ranking` lacks column(s) {missing}; expected a ranking of siting.run"
        raise ValueError(msg)
    return ranking


def _valid_codes(result: RunResult) -> list[str]:
    """State codes a caller may ask for: the run's states layer, else the ranking's."""
    found = result.layers.get("states")
    source = found if found is not None and "CVE_ENT" in found.columns else result.ranking
    return sorted({c for c in source["CVE_ENT"].tolist() if isinstance(c, str) and c})


def _state_codes(result: RunResult, states: Iterable[str] | str | None) -> list[str] | None:
    """Return the requested codes, sorted and unique (None: every site); check every one."""
    if states is None:
        return None
    asked = [states] if isinstance(states, str) else list(states)
    valid = _valid_codes(result)
    unknown = [s for s in asked if not isinstance(s, str) or s not in valid]
    if unknown:
        msg = (
            f"`states` has unknown state code(s) {unknown}; expected CVE_ENT codes of the run's "
            f"states: {valid}"
        )
        raise ValueError(msg)
    if not asked:
        msg = "`states` is empty; give at least one state code, or None for every state"
        raise ValueError(msg)
    return sorted(set(asked))


def _present_codes(table: pd.DataFrame) -> list[str | None]:
    """Return the state codes of ``table``'s rows, sorted, None (no state) last."""
    codes = table["_code"]
    found: list[str | None] = sorted(set(codes.dropna().tolist()))
    return [*found, None] if codes.isna().any() else found


def _state_names(result: RunResult) -> dict[str, str]:
    """State name by code: the run's states layer, else the ranking's ``state`` column."""
    names: dict[str, str] = {}
    for frame in (result.ranking, result.layers.get("states")):
        if frame is not None and {"CVE_ENT", "state"} <= set(frame.columns):
            pairs = frame[["CVE_ENT", "state"]].dropna().drop_duplicates("CVE_ENT")
            names.update(zip(pairs["CVE_ENT"], pairs["state"].astype(str), strict=True))
    return names


def _table(ranking: pd.DataFrame, codes: list[str] | None, lang: str) -> pd.DataFrame:
    """Return the agency table of ``codes``, with a helper column ``_code`` (state code)."""
    ranked = ranked_mask(ranking)
    rank = pd.to_numeric(ranking["rank"], errors="coerce").where(ranked)
    code = ranking["CVE_ENT"].where(
        ranking["CVE_ENT"].map(lambda c: isinstance(c, str) and c != "")
    )
    keep = np.ones(len(ranking), dtype=bool) if codes is None else code.isin(codes).to_numpy()
    out = pd.DataFrame(index=ranking.index)
    for key in AGENCY_KEYS:
        if key == "rank":
            out[key] = rank
        elif key == "state_rank":
            out[key] = state_ranks(ranking)
        elif key == "excluded_by" and key in ranking.columns:
            out[key] = [_reason(by, lang) for by in ranking[key].tolist()]
        elif key in ranking.columns:
            out[key] = ranking[key]
    out["_code"] = code
    out = out[keep]
    # atlas order: state code (no state last), national rank (unranked last), ranking order
    order = pd.DataFrame(
        {"code": out["_code"].fillna("~"), "rank": out["rank"].fillna(np.inf)}, index=out.index
    )
    return out.loc[order.sort_values(["code", "rank"], kind="stable").index]


def _reason(by: object, lang: str) -> str:
    """Return an ``excluded_by`` text in ``lang`` (constraint rules stay as the scenario wrote)."""
    if not isinstance(by, str) or not by:
        return ""
    if lang == "en":
        return by
    outside = EXCLUDED_BY_BY_LANG["en"]["outside"]
    unreachable = _template_pattern(NETWORK_TEXT_BY_LANG["en"]["unreachable"])
    parts = []
    for part in by.split("; "):
        found = unreachable.fullmatch(part)
        if part == outside:
            part = EXCLUDED_BY_BY_LANG[lang]["outside"]
        elif found is not None:
            part = NETWORK_TEXT_BY_LANG[lang]["unreachable"].format(km=float(found["km"]))
        parts.append(part)
    return "; ".join(parts)


def _template_pattern(template: str) -> re.Pattern[str]:
    """Return a regex matching ``template`` filled with a number for its ``{km...}`` field."""
    head, _, tail = template.partition("{km")
    tail = tail.partition("}")[2]
    return re.compile(re.escape(head) + r"(?P<km>-?[0-9.]+|inf|nan)" + re.escape(tail))


def _finite(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` whose infinite numbers are NaN (empty in a file)."""
    out = frame.copy()
    numeric = out.select_dtypes("number").columns
    out[numeric] = out[numeric].replace([np.inf, -np.inf], np.nan)
    return out


def _check_surface(surface: object) -> None:
    """Raise ValueError naming every problem of ``surface``."""
    if not isinstance(surface, gpd.GeoDataFrame):
        msg = (
            "`surface` must be a GeoDataFrame (siting.municipal.municipal_surface), received "
            f"{type(surface).__name__}"
        )
        raise ValueError(msg)
    problems = []
    if surface.crs is None:
        problems.append("it has no CRS")
    if "CVE_ENT" not in surface.columns:
        problems.append("it lacks the column 'CVE_ENT'")
    if problems:
        msg = f"`surface`: {'; '.join(problems)}; expected siting.municipal.municipal_surface"
        raise ValueError(msg)


# --- the workbook --------------------------------------------------------------------------


def _sheet_title(name: str, taken: set[str]) -> str:
    """Return ``name`` as an Excel sheet name not in ``taken`` (casefolded names).

    Examples
    --------
    >>> _sheet_title("Veracruz de Ignacio de la Llave", set())
    'Veracruz de Ignacio de la Llave'
    >>> _sheet_title("a/b: [c]?", set()), _sheet_title("Acerca de", {"acerca de"})
    ('a b c', 'Acerca de (2)')
    """
    clean = " ".join(_SHEET_FORBIDDEN.sub(" ", _XML_ILLEGAL.sub("", name)).split()).strip("'")
    clean = clean[:_SHEET_MAX].strip() or "Sheet"
    if clean.casefold() == "history":  # reserved by Excel
        clean = f"{clean} (1)"
    title, n = clean, 1
    while title.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        title = clean[: _SHEET_MAX - len(suffix)].rstrip() + suffix
    return title


def _put(sheet: Any, row: int, col: int, value: object, number_format: str | None = None) -> Any:
    """Write ``value`` into a cell: text as an inert string, numbers typed; NaN/inf left empty."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    cell = sheet.cell(row=row, column=col)
    if isinstance(value, str):
        if not value:
            return None
        text = _XML_ILLEGAL.sub("", value)
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    else:
        cell.value = value
        if number_format is not None:
            cell.number_format = number_format
    return cell


def _shown_width(value: object, key: str) -> int:
    """Characters ``value`` takes on screen under its number format."""
    if isinstance(value, str):
        return len(value)
    if value is None or not isinstance(value, (int, float, np.number)):
        return 0
    number = float(value)
    if not math.isfinite(number):
        return 0
    fmt = NUMBER_FORMATS.get(key, "General")
    decimals = len(fmt.partition(".")[2])
    grouped = "," if "," in fmt else ""
    return len(f"{number:{grouped}.{decimals}f}")


def _fill_state_sheet(sheet: Any, rows: pd.DataFrame, labels: Mapping[str, str]) -> None:
    """Write one state's rows with a bold frozen header, autofilter, widths and formats."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    keys = list(rows.columns)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6EE")
    header_align = Alignment(wrap_text=True, vertical="top")
    header_border = Border(bottom=Side(style="thin"))
    header_lines = 1
    for j, key in enumerate(keys, start=1):
        label = labels.get(key, key)
        cell = _put(sheet, 1, j, label)
        if cell is not None:
            cell.font, cell.fill = header_font, header_fill
            cell.alignment, cell.border = header_align, header_border
        values = rows[key].tolist()
        for i, value in enumerate(values, start=2):
            _put(sheet, i, j, value, NUMBER_FORMATS.get(key))
        longest_word = max((len(w) for w in label.split()), default=0)
        content = max((_shown_width(v, key) for v in values), default=0)
        width = min(max(content, longest_word, min(len(label), _HEADER_WRAP)) + 2, _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(j)].width = width
        header_lines = max(header_lines, _wrapped_lines(label, width - 2))
    sheet.row_dimensions[1].height = 15 * header_lines
    last = get_column_letter(max(len(keys), 1))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _wrapped_lines(text: str, width: int) -> int:
    """Lines ``text`` takes when wrapped at word boundaries into ``width`` characters."""
    lines, used = 1, 0
    for word in text.split():
        need = len(word) if used == 0 else used + 1 + len(word)
        if need > width and used:
            lines, used = lines + 1, len(word)
        else:
            used = need
    return lines


def _fill_about(
    sheet: Any,
    result: RunResult,
    *,
    lang: str,
    run_id: str | None,
    day: dt.date,
    author: str | None,
    title: str | None,
    states: Sequence[str],
    n_sites: int,
) -> None:
    """Write the About sheet: what the workbook is, how it was made, and its sources."""
    from openpyxl.styles import Alignment, Font

    text = AGENCY_TEXT_BY_LANG[lang]
    labels = AGENCY_COLUMNS_BY_LANG[lang]
    widths = _ABOUT_WIDTHS
    for letter, width in zip("ABCD", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1

    def line(*values: object, strong: bool = False, formats: Sequence[str | None] = ()) -> None:
        nonlocal row
        lines = 1
        for j, value in enumerate(values, start=1):
            fmt = formats[j - 1] if j - 1 < len(formats) else None
            cell = _put(sheet, row, j, value, fmt)
            if cell is None:
                continue
            cell.alignment = wrap
            if strong or j == 1:
                cell.font = bold
            if isinstance(value, str):
                lines = max(lines, _wrapped_lines(value, widths[j - 1] - 2))
        sheet.row_dimensions[row].height = 15 * lines
        row += 1

    def paragraph(value: str, *, strong: bool = False) -> None:
        nonlocal row
        cell = _put(sheet, row, 1, value)
        if cell is not None:
            cell.alignment = wrap
            cell.font = Font(bold=strong)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
            sheet.row_dimensions[row].height = 15 * _wrapped_lines(value, sum(widths) - 4)
        row += 1

    cell = _put(sheet, row, 1, title or text["title"])
    if cell is not None:
        cell.font = Font(bold=True, size=14)
    row += 2
    scenario = result.scenario
    method = str(getattr(scenario, "aggregation", "") or "")
    facts: list[tuple[str, str | None]] = [
        (text["scenario"], str(scenario.name)),
        (text["method"], text.get(f"method_{method}", method)),
        (text["network"], scenario.network.describe(lang)),
        (text["run_id"], run_id),
        (text["date"], format_date(day, lang=lang)),
        (text["version"], __version__),
        (text["author"], author),
        (text["states"], ", ".join(states)),
        (text["sites"], text["sites_value"].format(n=n_sites, total=len(result.ranking))),
    ]
    for label, value in facts:
        if value:
            line(label, value)
    row += 1
    paragraph(text["reading"], strong=True)
    paragraph(text["sheets"])
    paragraph(text["empty"].format(excluded_by=labels["excluded_by"]))
    row += 1
    paragraph(text["criteria"], strong=True)
    line(text["criterion"], text["weight"], text["direction"], strong=True)
    for crit in result.criteria:
        known = CRITERIA.get(crit.name)
        name = known.label_in(lang) if known is not None else crit.label
        direction = text.get(crit.direction, crit.direction)
        line(name, float(crit.weight), direction, formats=[None, "0.0%"])
    notes = result.notes_in(lang)
    if notes:
        row += 1
        paragraph(text["notes"], strong=True)
        for note in notes:
            paragraph(note)
    if result.sources:
        row += 1
        paragraph(text["sources"], strong=True)
        line(text["source"], text["publisher"], text["source_date"], text["licence"], strong=True)
        for source in result.sources.values():
            values = [str(source.get(k) or "") for k in ("title", "publisher", "date", "licence")]
            line(*values)
