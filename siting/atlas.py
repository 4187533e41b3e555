"""The state atlas of a national run: one print sheet per state, tables and a record.

What ``siting atlas`` writes (:func:`write_atlas`), for the states chosen
(:func:`resolve_states`; all 32 by default), in the agency's language (Spanish by default):

* one sheet per state, ``<CVE_ENT>-<name>.<pdf|png|svg>`` (``19-nuevo-leon.pdf``), drawn by
  :func:`siting.maps.atlas.state_map`;
* ``atlas.pdf`` when more than one state is chosen: a cover (national map and the index of the
  states by their best score) and every state's sheet, one PDF to print or send;
* ``ranking.xlsx`` (one sheet per state, for the agency's staff), ``ranking.csv`` (the same rows,
  UTF-8 with a byte-order mark so Excel reads accents) and ``sites.gpkg`` (layers ``sites`` and
  ``municipal_surface``, for QGIS and ArcGIS): :mod:`siting.tables`;
* ``run.json``: what produced them (:func:`siting.outputs.run_record`), the atlas's options, and
  the :func:`run_id` printed on every sheet.

Every score is the national run's: a state's sheet and sheet of its table list the national
scores and ranks, with the rank within the state beside them (:func:`siting.municipal.state_ranks`),
never a ranking rescaled to the state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from siting import layers
from siting._errors import InputError
from siting.outputs import (
    check_output_folder,
    run_inputs,
    run_record,
    write_run_record,
    write_staged,
)
from siting.result import RunResult

logger = logging.getLogger(__name__)

#: Files of ``siting atlas`` besides the state sheets (a contract, like ``siting run``'s).
ATLAS_PDF = "atlas.pdf"
RANKING_XLSX = "ranking.xlsx"
RANKING_CSV = "ranking.csv"
SITES_GPKG = "sites.gpkg"
RUN_RECORD = "run.json"
#: Formats of the state sheets.
FORMATS: tuple[str, ...] = ("pdf", "png", "svg")
#: Resolution of PNG sheets (and of the images inside PDF and SVG sheets).
DEFAULT_DPI = 300
#: Default language of the atlas: Mexican state agencies are its readers.
DEFAULT_LANG = "es"
#: Characters of :func:`run_id`.
RUN_ID_CHARS = 12

ProgressFactory = Callable[..., Iterable[Any]]


# --- states ---------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def state_slug(name: str) -> str:
    """Return a file-name form of a state name.

    Examples
    --------
    >>> state_slug("Nuevo León"), state_slug("Veracruz de Ignacio de la Llave")
    ('nuevo-leon', 'veracruz-de-ignacio-de-la-llave')
    """
    return _fold(name).replace(" ", "-")


def resolve_states(selectors: Sequence[str] | None = None) -> list[str]:
    """Return the INEGI codes (``CVE_ENT``) of the states named, in code order, without repeats.

    A state is named by its code (``"19"`` or ``"9"`` for ``"09"``), its official or short
    name (``"Nuevo León"``, ``"Coahuila"``; case and accents do not matter: ``"nuevo leon"``) or
    its abbreviation (``"NL"``, ``"CDMX"``). None or an empty list: all 32 states.

    Raises
    ------
    siting.InputError
        Listing every selector that names no state, with the closest state name.

    Examples
    --------
    >>> resolve_states(["nuevo leon", "2", "NL", "CDMX"])
    ['02', '09', '19']
    """
    states = layers.boundaries.states()
    codes = states["CVE_ENT"].tolist()
    if not selectors:
        return sorted(codes)
    names: dict[str, str] = {}
    for _, row in states.iterrows():
        for key in (row["CVE_ENT"], row["state"], row["state_short"], row["abbr"]):
            names[_fold(key)] = row["CVE_ENT"]
    found: list[str] = []
    problems: list[str] = []
    for sel in selectors:
        key = _fold(sel)
        if key.isdigit():
            key = key.zfill(2)
        code = names.get(key)
        if code is None:
            problems.append(f"{sel!r}{_suggestion(key, states)}")
        elif code not in found:
            found.append(code)
    if problems:
        msg = (
            f"--state names no Mexican state: {', '.join(problems)}; give an INEGI code "
            "(01-32), a name (e.g. 'Nuevo León') or an abbreviation (e.g. NL)"
        )
        raise InputError(msg)
    return sorted(found)


def _suggestion(key: str, states: pd.DataFrame) -> str:
    from rapidfuzz import process

    choices = {row["state"]: _fold(row["state"]) for _, row in states.iterrows()}
    best = process.extractOne(key, choices)
    return f" (did you mean {best[2]!r}?)" if best and best[1] >= 60 else ""


def sheet_file(code: str, fmt: str = "pdf") -> str:
    """Return the file name of a state's sheet, e.g. ``19-nuevo-leon.pdf``.

    Examples
    --------
    >>> sheet_file("02", "png")
    '02-baja-california.png'
    """
    states = layers.boundaries.states().set_index("CVE_ENT")
    return f"{code}-{state_slug(states.loc[code, 'state_short'])}.{fmt}"


def atlas_files(states: Sequence[str], fmt: str = "pdf") -> list[str]:
    """Return the files :func:`write_atlas` writes for ``states``, in the order it writes them."""
    names = [sheet_file(code, fmt) for code in states]
    if len(states) > 1:
        names.append(ATLAS_PDF)
    return [*names, RANKING_XLSX, RANKING_CSV, SITES_GPKG, RUN_RECORD]


# --- the run's identity ---------------------------------------------------------------------------


def run_id(result: RunResult) -> str:
    """Return a short hash of what produced a run: printed on every sheet, kept in ``run.json``.

    The SHA-256 of the scenario as resolved, the input files' hashes, the data sources, the
    siting version and the ranking itself (every site's name, score and rank), never of where
    the files are: the same inputs give the same id on any machine, in any folder and on any
    day; any change to them gives another.
    """
    record = run_record(result, argv=[])
    ranking = result.ranking
    table = pd.DataFrame(
        {
            "name": ranking["name"].astype(str),
            "score": pd.to_numeric(ranking["score"], errors="coerce").round(9),
            "rank": pd.to_numeric(ranking["rank"], errors="coerce"),
        }
    )
    # where the scenario and input files sit is not what produced the run: their content is
    scenario = {k: v for k, v in record["scenario"].items() if k != "path"}
    inputs = {what: info["sha256"] for what, info in record["inputs"].items()}
    content = {
        "siting_version": record["siting_version"],
        "scenario": scenario,
        "inputs": inputs,
        "data_sources": record["data_sources"],
        "ranking": hashlib.sha256(table.to_csv(index=False).encode("utf-8")).hexdigest(),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:RUN_ID_CHARS]


# --- writing --------------------------------------------------------------------------------------


def check_options(lang: str, fmt: str, dpi: Any, page: str, orientation: str) -> None:
    """Check the atlas's options (:func:`write_atlas`) before any work.

    Raises
    ------
    siting.InputError
        Listing every invalid option.
    """
    from siting.maps.static.page import page_problems

    problems = page_problems(page, orientation, lang)
    if fmt not in FORMATS:
        problems.append(f"`fmt` was {fmt!r} but is expected to be one of {list(FORMATS)}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 50 <= dpi <= 1200:
        problems.append(f"`dpi` must be an integer from 50 to 1200, received {dpi!r}")
    if problems:
        raise InputError("; ".join(problems))


def write_atlas(
    result: RunResult,
    out_dir: str | Path,
    *,
    states: Sequence[str] | None = None,
    lang: str = DEFAULT_LANG,
    page: str = "letter",
    orientation: str = "landscape",
    fmt: str = "pdf",
    dpi: int = DEFAULT_DPI,
    title: str | None = None,
    author: str | None = None,
    day: dt.date | None = None,
    argv: list[str] | None = None,
    force: bool = False,
    progress: ProgressFactory | None = None,
    on_step: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write the state atlas of a national run into ``out_dir``; return the files' paths.

    See the module docstring for the files. All of them or none are written
    (:func:`siting.outputs.write_staged`); the folder is checked first
    (:func:`siting.outputs.check_output_folder`: never an input, and a file siting did not
    write only with ``force``).

    Parameters
    ----------
    result
        The national run (:func:`siting.run`).
    out_dir
        Output folder (created if needed).
    states
        States by code, name or abbreviation (:func:`resolve_states`); None: all 32.
    lang
        ``"es"`` (default) or ``"en"``: every text of the sheets and tables.
    page, orientation
        Paper (``letter``, ``tabloid``, ``a4``, ``a3``) and ``landscape`` or ``portrait``.
    fmt
        Format of the state sheets: ``pdf``, ``png`` or ``svg`` (``atlas.pdf`` is always PDF).
    dpi
        Resolution of PNG sheets and of images inside PDF/SVG.
    title
        Title of every sheet (default: the text table's, with the state's name).
    author
        Who prepared the sheets ("Elaboró"); None leaves the line blank to fill by hand.
    day
        Production date printed on the sheets (default: today).
    argv
        Command line recorded in ``run.json``.
    force
        Replace files in ``out_dir`` that siting did not write.
    progress
        Optional factory such as :class:`tqdm.tqdm`, called as
        ``progress(iterable, total=..., desc=...)`` around the sheets; default silent.
    on_step
        Called with the first file name of each writing step.

    Raises
    ------
    siting.InputError
        If a state, the language, format, resolution, page or orientation is invalid.
    siting.OutputError
        If the folder is refused or the disk is full.
    """
    from siting import tables
    from siting.maps import atlas as sheets
    from siting.municipal import municipal_surface

    codes = resolve_states(states)
    check_options(lang, fmt, dpi, page, orientation)
    names = atlas_files(codes, fmt)
    check_output_folder(out_dir, names, inputs=run_inputs(result.scenario), force=force)
    day = day or dt.date.today()
    ident = run_id(result)
    surface = municipal_surface(result)
    context = sheets.AtlasContext.build(result, surface)
    common: dict[str, Any] = {
        "lang": lang,
        "page": page,
        "orientation": orientation,
        "title": title,
        "author": author,
        "run_id": ident,
        "day": day,
        "context": context,
    }
    desc = sheets.atlas_text(lang)["progress"]

    def state_figures(paths: Sequence[Path]) -> Iterator[Any]:
        """Draw each state's sheet once, save it as its own file and hand it on."""
        steps: Iterable[int] = range(len(codes))
        if progress is not None:
            steps = progress(steps, total=len(codes), desc=desc)
        for i in steps:
            fig = sheets.state_map(result, codes[i], surface=surface, **common)
            sheets.save_sheet(fig, paths[i], fmt=fmt, dpi=dpi)
            yield fig

    def write_sheets(*paths: Path) -> None:
        sheet_paths = paths[: len(codes)]
        if len(codes) > 1:  # one drawing per state: its file, then the atlas's page
            cover = sheets.cover_map(result, surface=surface, states=codes, **common)
            sheets.write_atlas_pdf(paths[-1], itertools.chain([cover], state_figures(sheet_paths)))
        else:
            for fig in state_figures(sheet_paths):
                _close(fig)

    files: dict[str | tuple[str, ...], Callable[..., object]] = {
        tuple(names[: len(codes) + (len(codes) > 1)]): write_sheets,
        RANKING_XLSX: lambda p: tables.write_ranking_xlsx(
            p, result, states=codes, lang=lang, run_id=ident, day=day, author=author, title=title
        ),
        RANKING_CSV: lambda p: tables.write_ranking_csv(p, result, states=codes, lang=lang),
        SITES_GPKG: lambda p: tables.write_sites_gpkg(p, result, surface, states=codes, lang=lang),
    }
    atlas = {
        "run_id": ident,
        "states": codes,
        "lang": lang,
        "page": page,
        "orientation": orientation,
        "format": fmt,
        "dpi": dpi,
        "title": title,
        "author": author,
        "date": day.isoformat(),
        "municipal_surface": {
            "municipalities": len(surface),
            "reaching_a_site": int(surface["best_score"].notna().sum()),
            "reach_limit_min": _first(surface["reach_limit_min"]),
            "reach_limit_km": _first(surface["reach_limit_km"]),
        },
    }
    files[RUN_RECORD] = lambda p: write_run_record(
        p, result, argv=argv, outputs=names[:-1], extra={"atlas": atlas}
    )
    paths = write_staged(out_dir, files, on_step=on_step)
    logger.info("Wrote the atlas of %d state(s) to %r", len(codes), str(out_dir))
    return paths


def _close(fig: Any) -> None:
    fig.clear()


def _first(values: pd.Series) -> float | None:
    found = pd.to_numeric(values, errors="coerce").dropna()
    return float(found.iloc[0]) if len(found) else None


__all__ = [
    "ATLAS_PDF",
    "DEFAULT_LANG",
    "FORMATS",
    "RANKING_CSV",
    "RANKING_XLSX",
    "RUN_RECORD",
    "SITES_GPKG",
    "atlas_files",
    "check_options",
    "resolve_states",
    "run_id",
    "sheet_file",
    "state_slug",
    "write_atlas",
]
